//! The site as data: every decision (newest first), the taxonomies that group them, the
//! standalone pages and the glossary. Built from values already loaded; pure, no IO.
//!
//! [`Site`] holds decisions *without their bodies*: at 100,000 decisions the bodies alone
//! are over a gigabyte, so the render step reads each body back from
//! [`Site::sources`] when it renders that decision's page, and drops it afterwards.

pub mod glossary;
pub mod page;
pub mod statistics;
pub mod taxonomy;

use std::collections::HashMap;
use std::path::PathBuf;

use crate::config::Settings;
use crate::decision::{Decision, Outcome};

pub use glossary::Glossary;
pub use page::Page;
pub use taxonomy::{Taxonomies, Taxonomy, TaxonomyKind, Term};

/// Everything the render step needs to know about the site.
#[derive(Debug, Clone)]
pub struct Site {
    /// The settings the site was built with.
    pub settings: Settings,
    /// Every decision, newest first (undated last); `body` is left empty.
    pub decisions: Vec<Decision>,
    /// The content file of each decision, by the same index.
    pub sources: Vec<PathBuf>,
    /// Decisions grouped by council, category, outcome and year.
    pub taxonomies: Taxonomies,
    /// Standalone pages, by weight then title.
    pub pages: Vec<Page>,
    /// The theme's glossary with the site's merged in.
    pub glossary: Glossary,
    /// Each decision's index by its reference slug, for [`Site::find`].
    by_slug: HashMap<String, usize>,
}

/// How many decisions of a group had each outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutcomeCounts {
    /// Upheld.
    pub upheld: usize,
    /// Not upheld.
    pub not_upheld: usize,
    /// Closed after initial enquiries.
    pub closed: usize,
    /// No outcome known.
    pub unknown: usize,
}

impl OutcomeCounts {
    /// The count for `outcome`.
    pub fn get(&self, outcome: Option<Outcome>) -> usize {
        match outcome {
            Some(Outcome::Upheld) => self.upheld,
            Some(Outcome::NotUpheld) => self.not_upheld,
            Some(Outcome::ClosedAfterInitialEnquiries) => self.closed,
            None => self.unknown,
        }
    }
}

/// Puts standalone pages in the order the site lists them: by weight, then title.
pub fn sort_pages(pages: &mut [Page]) {
    pages.sort_by(|a, b| a.weight.cmp(&b.weight).then_with(|| a.title.cmp(&b.title)));
}

impl Site {
    /// Drops what no step after the pages reads of a decision: its remedies, provenance,
    /// source address, editor's summary (its text is in the page's extract), the list of
    /// what was inferred and the incompleteness note. For a build that keeps nothing
    /// afterwards, so that its last step, the search index, reuses that memory.
    pub fn shed_page_details(&mut self) {
        for d in &mut self.decisions {
            d.remedies = Vec::new();
            d.provenance = None;
            d.source_url = None;
            d.plain_summary = None;
            d.inferred = Vec::new();
            d.incomplete = None;
        }
    }

    /// Builds the site from loaded decisions and the file each came from. Decisions are
    /// sorted newest first; their bodies are dropped (see the module docs).
    pub fn new(
        settings: Settings,
        files: Vec<(PathBuf, Decision)>,
        mut pages: Vec<Page>,
        glossary: Glossary,
    ) -> Self {
        let mut files = files;
        files.sort_by(|(_, a), (_, b)| {
            b.decision_date
                .cmp(&a.decision_date)
                .then_with(|| a.reference.cmp(&b.reference))
        });
        let (sources, decisions): (Vec<PathBuf>, Vec<Decision>) = files
            .into_iter()
            .map(|(p, mut d)| {
                d.body = String::new();
                (p, d)
            })
            .unzip();
        sort_pages(&mut pages);
        let mut by_slug = HashMap::with_capacity(decisions.len());
        for (i, d) in decisions.iter().enumerate() {
            by_slug.entry(d.reference.slug()).or_insert(i);
        }
        Self {
            by_slug,
            taxonomies: Taxonomies::build(&decisions),
            settings,
            decisions,
            sources,
            pages,
            glossary,
        }
    }

    /// Counts the outcomes of the decisions at `indices`.
    pub fn outcome_counts(&self, indices: &[usize]) -> OutcomeCounts {
        let mut c = OutcomeCounts::default();
        for &i in indices {
            c.add(self.decisions[i].outcome);
        }
        c
    }

    /// The site path of decision `index`: `decisions/21-019-020/`.
    pub fn decision_path(&self, index: usize) -> String {
        format!("decisions/{}/", self.decisions[index].reference.slug())
    }

    /// The index of the decision with this reference slug (`21-019-020`).
    pub fn find(&self, slug: &str) -> Option<usize> {
        self.by_slug.get(slug).copied()
    }

    /// The council term of decision `index`.
    pub fn council_term(&self, index: usize) -> Option<&Term> {
        self.taxonomies
            .councils
            .term(&self.decisions[index].council)
    }

    /// The category term, and the subcategory term within it, of decision `index`.
    pub fn category_terms(&self, index: usize) -> (Option<&Term>, Option<&Term>) {
        let d = &self.decisions[index];
        let cat = d
            .category
            .as_deref()
            .and_then(|c| self.taxonomies.categories.term(c));
        let sub = cat.and_then(|c| {
            let name = d.subcategory.as_deref()?;
            c.children.iter().find(|t| t.name == name)
        });
        (cat, sub)
    }

    /// Up to `limit` other decisions of `term` nearest in date to decision `index`
    /// (newer ones first). Costs O(log n + limit).
    pub fn related(&self, index: usize, term: &Term, limit: usize) -> Vec<usize> {
        let list = &term.decisions;
        let at = list.binary_search(&index).unwrap_or_else(|i| i);
        let start = at.saturating_sub(limit / 2);
        list[start..]
            .iter()
            .copied()
            .filter(|&i| i != index)
            .take(limit)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decision::Reference;

    fn decision(reference: &str, council: &str, date: Option<(i32, u32)>) -> Decision {
        Decision {
            category: Some("Education".into()),
            subcategory: Some("Other".into()),
            outcome: Some(Outcome::NotUpheld),
            decision_date: date.and_then(|(y, m)| chrono::NaiveDate::from_ymd_opt(y, m, 1)),
            body: "text".into(),
            ..Decision::new(Reference::parse(reference).expect("reference"), council)
        }
    }

    fn site(ds: Vec<Decision>) -> Site {
        let files = ds
            .into_iter()
            .map(|d| (PathBuf::from(format!("{}.md", d.reference.slug())), d))
            .collect();
        Site::new(
            Settings::with_defaults(std::path::Path::new(".")),
            files,
            Vec::new(),
            Glossary::default(),
        )
    }

    #[test]
    fn can_sort_newest_first_with_undated_last_and_drop_bodies() {
        let s = site(vec![
            decision("21 000 001", "A", Some((2020, 1))),
            decision("21 000 002", "A", None),
            decision("21 000 003", "A", Some((2022, 1))),
        ]);
        let refs: Vec<&str> = s.decisions.iter().map(|d| d.reference.as_str()).collect();
        assert_eq!(refs, ["21 000 003", "21 000 001", "21 000 002"]);
        assert!(s.decisions.iter().all(|d| d.body.is_empty()));
        assert_eq!(s.sources[0], PathBuf::from("21-000-003.md"));
    }

    #[test]
    fn can_pick_related_decisions_near_in_date() {
        let ds = (1..=9)
            .map(|m| decision(&format!("21 000 00{m}"), "A", Some((2020, m))))
            .collect();
        let s = site(ds);
        let term = s.council_term(4).expect("term");
        assert_eq!(s.related(4, term, 4), vec![2, 3, 5, 6]);
        assert_eq!(s.related(0, term, 2), vec![1, 2]);
        assert_eq!(s.outcome_counts(&term.decisions).not_upheld, 9);
    }
}
