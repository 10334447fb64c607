//! Taxonomies: decisions grouped by council, category (with subcategories), outcome and
//! year. A [`Term`] holds indices into [`Site::decisions`](super::Site::decisions), never
//! copies, so a listing costs one `usize` per decision it lists.
//!
//! Pure: built from decisions already in memory.

use std::collections::{BTreeMap, HashMap};

use crate::decision::{Decision, Outcome};

/// The four ways the site groups decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TaxonomyKind {
    /// By organisation (`/councils/<slug>/`).
    Council,
    /// By category, with subcategories as children (`/categories/<cat>/<sub>/`).
    Category,
    /// By outcome (`/outcomes/<slug>/`).
    Outcome,
    /// By year of decision (`/years/<yyyy>/`).
    Year,
}

impl TaxonomyKind {
    /// Every kind, in the order the site shows them.
    pub const ALL: [TaxonomyKind; 4] = [
        TaxonomyKind::Council,
        TaxonomyKind::Category,
        TaxonomyKind::Outcome,
        TaxonomyKind::Year,
    ];

    /// The URL folder: `councils`, `categories`, `outcomes`, `years`.
    pub fn folder(self) -> &'static str {
        match self {
            TaxonomyKind::Council => "councils",
            TaxonomyKind::Category => "categories",
            TaxonomyKind::Outcome => "outcomes",
            TaxonomyKind::Year => "years",
        }
    }

    /// The plural title: `Councils`.
    pub fn title(self) -> &'static str {
        match self {
            TaxonomyKind::Council => "Councils",
            TaxonomyKind::Category => "Categories",
            TaxonomyKind::Outcome => "Outcomes",
            TaxonomyKind::Year => "Years",
        }
    }

    /// The singular, lower-case name: `council`.
    pub fn singular(self) -> &'static str {
        match self {
            TaxonomyKind::Council => "council",
            TaxonomyKind::Category => "category",
            TaxonomyKind::Outcome => "outcome",
            TaxonomyKind::Year => "year",
        }
    }
}

/// One term: a council, a category, a subcategory, an outcome or a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The name as shown: `Northamptonshire County Council`, `Upheld`, `2022`.
    pub name: String,
    /// The site path of its first listing page, with a trailing `/`:
    /// `councils/northamptonshire-county-council/`.
    pub path: String,
    /// Its decisions as indices into `Site::decisions`, newest first.
    pub decisions: Vec<usize>,
    /// Subcategories of a category; empty otherwise.
    pub children: Vec<Term>,
}

/// Every term of one kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taxonomy {
    /// Which grouping this is.
    pub kind: TaxonomyKind,
    /// The terms in display order (names A-Z, outcomes as the Ombudsman orders them,
    /// years newest first).
    pub terms: Vec<Term>,
    by_name: HashMap<String, usize>,
}

impl Taxonomy {
    /// Groups `decisions` (already sorted newest first) by `kind`.
    pub fn build(kind: TaxonomyKind, decisions: &[Decision]) -> Self {
        let mut groups: BTreeMap<SortKey, (String, Vec<usize>)> = BTreeMap::new();
        for (i, d) in decisions.iter().enumerate() {
            if let Some((key, name)) = key_of(kind, d) {
                groups
                    .entry(key)
                    .or_insert_with(|| (name, Vec::new()))
                    .1
                    .push(i);
            }
        }
        let mut slugs = Slugs::default();
        let mut terms = Vec::with_capacity(groups.len());
        for (name, indices) in groups.into_values() {
            let path = format!("{}/{}/", kind.folder(), slugs.unique(&name));
            let children = if kind == TaxonomyKind::Category {
                subcategories(&path, &indices, decisions)
            } else {
                Vec::new()
            };
            terms.push(Term {
                name,
                path,
                decisions: indices,
                children,
            });
        }
        let by_name = terms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.name.clone(), i))
            .collect();
        Self {
            kind,
            terms,
            by_name,
        }
    }

    /// The position in [`Taxonomy::terms`] of the term named `name`.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    /// The term named `name`.
    pub fn term(&self, name: &str) -> Option<&Term> {
        self.by_name.get(name).map(|&i| &self.terms[i])
    }
}

/// How terms sort: names case-insensitively, outcomes in order, years newest first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum SortKey {
    Name(String, String),
    Outcome(Outcome),
    Year(std::cmp::Reverse<i32>),
}

fn key_of(kind: TaxonomyKind, d: &Decision) -> Option<(SortKey, String)> {
    let name_key = |n: &str| SortKey::Name(n.to_lowercase(), n.to_string());
    match kind {
        TaxonomyKind::Council => Some((name_key(&d.council), d.council.clone())),
        TaxonomyKind::Category => d.category.as_deref().map(|c| (name_key(c), c.to_string())),
        TaxonomyKind::Outcome => d
            .outcome
            .map(|o| (SortKey::Outcome(o), o.label().to_string())),
        TaxonomyKind::Year => d
            .year()
            .map(|y| (SortKey::Year(std::cmp::Reverse(y)), y.to_string())),
    }
}

fn subcategories(parent: &str, indices: &[usize], decisions: &[Decision]) -> Vec<Term> {
    let mut groups: BTreeMap<SortKey, (String, Vec<usize>)> = BTreeMap::new();
    for &i in indices {
        if let Some(sub) = decisions[i].subcategory.as_deref() {
            let key = SortKey::Name(sub.to_lowercase(), sub.to_string());
            groups
                .entry(key)
                .or_insert_with(|| (sub.to_string(), Vec::new()))
                .1
                .push(i);
        }
    }
    let mut slugs = Slugs::default();
    groups
        .into_values()
        .map(|(name, decisions)| Term {
            path: format!("{parent}{}/", slugs.unique(&name)),
            name,
            decisions,
            children: Vec::new(),
        })
        .collect()
}

/// URL slugs, kept unique within one folder: a second `A & B` after `A B` gets `a-b-2`.
#[derive(Debug, Default)]
struct Slugs {
    used: HashMap<String, usize>,
}

impl Slugs {
    fn unique(&mut self, name: &str) -> String {
        let mut base = slug::slugify(name);
        if base.is_empty() || base == "page" {
            base = format!("{base}-term").trim_start_matches('-').to_string();
        }
        let n = self.used.entry(base.clone()).or_insert(0);
        *n += 1;
        if *n == 1 {
            base
        } else {
            format!("{base}-{n}")
        }
    }
}

/// Every taxonomy of a site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taxonomies {
    /// By council.
    pub councils: Taxonomy,
    /// By category, subcategories as children.
    pub categories: Taxonomy,
    /// By outcome.
    pub outcomes: Taxonomy,
    /// By year.
    pub years: Taxonomy,
}

impl Taxonomies {
    /// Builds all four from decisions sorted newest first.
    pub fn build(decisions: &[Decision]) -> Self {
        Self {
            councils: Taxonomy::build(TaxonomyKind::Council, decisions),
            categories: Taxonomy::build(TaxonomyKind::Category, decisions),
            outcomes: Taxonomy::build(TaxonomyKind::Outcome, decisions),
            years: Taxonomy::build(TaxonomyKind::Year, decisions),
        }
    }

    /// The taxonomy of `kind`.
    pub fn get(&self, kind: TaxonomyKind) -> &Taxonomy {
        match kind {
            TaxonomyKind::Council => &self.councils,
            TaxonomyKind::Category => &self.categories,
            TaxonomyKind::Outcome => &self.outcomes,
            TaxonomyKind::Year => &self.years,
        }
    }

    /// All four, in display order.
    pub fn all(&self) -> [&Taxonomy; 4] {
        [
            &self.councils,
            &self.categories,
            &self.outcomes,
            &self.years,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decision::Reference;

    pub(crate) fn decision(reference: &str, council: &str, category: &str, sub: &str) -> Decision {
        Decision {
            category: Some(category.into()),
            subcategory: Some(sub.into()),
            outcome: Some(Outcome::Upheld),
            decision_date: chrono::NaiveDate::from_ymd_opt(2022, 1, 1),
            ..Decision::new(Reference::parse(reference).expect("reference"), council)
        }
    }

    #[test]
    fn can_group_by_council_with_indices_and_slugs() {
        let ds = vec![
            decision("21 000 001", "B Council", "Education", "Other"),
            decision("21 000 002", "a council", "Education", "Other"),
            decision("21 000 003", "B Council", "Housing", "Allocations"),
        ];
        let t = Taxonomy::build(TaxonomyKind::Council, &ds);
        let names: Vec<&str> = t.terms.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["a council", "B Council"]);
        let b = t.term("B Council").expect("term");
        assert_eq!(b.decisions, vec![0, 2]);
        assert_eq!(b.path, "councils/b-council/");
    }

    #[test]
    fn can_nest_subcategories_under_categories() {
        let ds = vec![
            decision("21 000 001", "A", "Children's care services", "Other"),
            decision(
                "21 000 002",
                "A",
                "Children's care services",
                "Child protection",
            ),
        ];
        let t = Taxonomy::build(TaxonomyKind::Category, &ds);
        let cat = t.term("Children's care services").expect("category");
        assert_eq!(cat.path, "categories/children-s-care-services/");
        let subs: Vec<&str> = cat.children.iter().map(|t| t.path.as_str()).collect();
        assert_eq!(
            subs,
            [
                "categories/children-s-care-services/child-protection/",
                "categories/children-s-care-services/other/"
            ]
        );
    }

    #[test]
    fn can_keep_slugs_unique_when_names_collide() {
        let ds = vec![
            decision("21 000 001", "A & B", "X", "Y"),
            decision("21 000 002", "A B", "X", "Y"),
            decision("21 000 003", "", "X", "Y"),
        ];
        let t = Taxonomy::build(TaxonomyKind::Council, &ds);
        let mut paths: Vec<&str> = t.terms.iter().map(|t| t.path.as_str()).collect();
        paths.sort_unstable();
        assert_eq!(
            paths,
            ["councils/a-b-2/", "councils/a-b/", "councils/term/"]
        );
    }

    #[test]
    fn can_order_years_newest_first_and_skip_undated() {
        let mut ds = vec![
            decision("21 000 001", "A", "X", "Y"),
            decision("21 000 002", "A", "X", "Y"),
        ];
        ds[0].decision_date = chrono::NaiveDate::from_ymd_opt(2019, 5, 1);
        ds[1].decision_date = None;
        ds.push(decision("21 000 003", "A", "X", "Y"));
        let t = Taxonomy::build(TaxonomyKind::Year, &ds);
        let names: Vec<&str> = t.terms.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["2022", "2019"]);
    }
}
