//! Statistics: the figures behind the "at a glance" panels and `/statistics/`, counted
//! from the site model. Pure: every function reads decisions already in memory and costs
//! one pass over the decisions it is given.
//!
//! Honesty rules kept here rather than in templates:
//! - undated decisions are a row of their own ([`YearCounts::year`] is `None`), never
//!   dropped;
//! - outcomes the importer inferred are counted in [`Glance::inferred_outcomes`];
//! - a share is a percentage only when it rests on at least [`MIN_FOR_PERCENT`] decisions;
//! - payment totals add only the amounts the decisions state, and say how many decisions
//!   they come from and how many agree a payment without an amount.

use std::collections::{BTreeMap, HashMap};

use super::{OutcomeCounts, Site, TaxonomyKind, Term};
use crate::decision::{Decision, Field, Outcome, RemedyKind};

/// Below this many decisions, a share is shown as counts only, never as a percentage.
pub const MIN_FOR_PERCENT: usize = 10;

/// How many top councils or categories a panel lists.
pub const TOP: usize = 5;

/// Every remedy kind, in the order panels list them.
pub const REMEDY_KINDS: [RemedyKind; 6] = [
    RemedyKind::Apology,
    RemedyKind::Payment,
    RemedyKind::ProcedureChange,
    RemedyKind::Review,
    RemedyKind::Training,
    RemedyKind::Other,
];

/// The outcomes of the decisions of one year (or of the undated ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearCounts {
    /// The year; `None` for decisions with no date.
    pub year: Option<i32>,
    /// Their outcomes.
    pub outcomes: OutcomeCounts,
}

impl YearCounts {
    /// How many decisions in all.
    pub fn total(&self) -> usize {
        self.outcomes.total()
    }
}

/// How many of the decisions upheld or not upheld were upheld: "12 of 20". Not "of those
/// investigated": the Ombudsman upholds some complaints it did not investigate (the council
/// had already put things right) and does not uphold some it stopped investigating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share {
    /// Upheld decisions.
    pub upheld: usize,
    /// Decisions upheld plus not upheld (closed after initial enquiries and unknown outcomes
    /// left out).
    pub upheld_or_not: usize,
}

impl Share {
    /// The share of `counts` upheld.
    pub fn of(counts: &OutcomeCounts) -> Self {
        Self {
            upheld: counts.upheld,
            upheld_or_not: counts.upheld + counts.not_upheld,
        }
    }

    /// The upheld share as a whole percentage, only when it rests on at least
    /// [`MIN_FOR_PERCENT`] decisions upheld or not upheld.
    pub fn percent(&self) -> Option<usize> {
        (self.upheld_or_not >= MIN_FOR_PERCENT)
            .then(|| (self.upheld * 100 + self.upheld_or_not / 2) / self.upheld_or_not)
    }
}

/// Payments agreed in a group of decisions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Payments {
    /// The sum of every amount the decisions state, in pence.
    pub total_pence: u64,
    /// How many decisions state at least one amount (the total comes from these).
    pub decisions_with_amount: usize,
    /// How many decisions agree a payment without stating an amount (not in the total).
    pub decisions_without_amount: usize,
}

impl Payments {
    /// Adds decision `d`'s payments.
    pub fn add(&mut self, d: &Decision) {
        let mut stated = false;
        let mut unstated = false;
        for r in d
            .remedies
            .iter()
            .filter(|r| r.kind == RemedyKind::Payment && r.is_agreed())
        {
            match r.amount {
                Some(a) => {
                    self.total_pence += a.pence;
                    stated = true;
                }
                None => unstated = true,
            }
        }
        self.decisions_with_amount += usize::from(stated);
        self.decisions_without_amount += usize::from(unstated && !stated);
    }

    /// True when no decision agrees a payment.
    pub fn is_empty(&self) -> bool {
        self.decisions_with_amount == 0 && self.decisions_without_amount == 0
    }
}

/// How many decisions agreed a remedy of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RemedyCount {
    /// The kind.
    pub kind: RemedyKind,
    /// Decisions with at least one remedy of that kind.
    pub decisions: usize,
}

/// One term with the number of a group's decisions it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermCount<'a> {
    /// The term.
    pub term: &'a Term,
    /// How many of the group's decisions it holds.
    pub count: usize,
}

/// Everything an "at a glance" panel shows about one group of decisions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glance<'a> {
    /// How many decisions.
    pub total: usize,
    /// Their outcomes.
    pub outcomes: OutcomeCounts,
    /// Outcomes per year, oldest first, undated last.
    pub by_year: Vec<YearCounts>,
    /// How many have no date.
    pub undated: usize,
    /// How many outcomes were inferred by the importer rather than stated.
    pub inferred_outcomes: usize,
    /// Upheld out of upheld or not upheld.
    pub share: Share,
    /// Decisions agreeing each kind of remedy (kinds with none left out).
    pub remedies: Vec<RemedyCount>,
    /// Payments agreed.
    pub payments: Payments,
    /// The terms of another taxonomy holding most of these decisions, most first.
    pub top: Vec<TermCount<'a>>,
}

/// The panel figures of the decisions at `indices`, with the top [`TOP`] terms of `top`
/// (categories on a council's page, councils on the others).
pub fn glance<'a>(site: &'a Site, indices: &[usize], top: TaxonomyKind) -> Glance<'a> {
    let outcomes = site.outcome_counts(indices);
    let by_year = by_year(site, indices);
    let mut payments = Payments::default();
    let mut inferred_outcomes = 0;
    for &i in indices {
        let d = &site.decisions[i];
        payments.add(d);
        inferred_outcomes += usize::from(d.outcome.is_some() && d.is_inferred(Field::Outcome));
    }
    Glance {
        total: indices.len(),
        outcomes,
        undated: by_year
            .iter()
            .find(|y| y.year.is_none())
            .map_or(0, YearCounts::total),
        by_year,
        inferred_outcomes,
        share: Share::of(&outcomes),
        remedies: remedies(site, indices),
        payments,
        top: top_terms(site, indices, top, TOP),
    }
}

/// Outcomes per year of the decisions at `indices`: oldest year first, the undated last.
pub fn by_year(site: &Site, indices: &[usize]) -> Vec<YearCounts> {
    let mut years: BTreeMap<Option<i32>, OutcomeCounts> = BTreeMap::new();
    for &i in indices {
        let d = &site.decisions[i];
        years.entry(d.year()).or_default().add(d.outcome);
    }
    let undated = years.remove(&None);
    years
        .into_iter()
        .chain(undated.map(|u| (None, u)))
        .map(|(year, outcomes)| YearCounts { year, outcomes })
        .collect()
}

/// How many of the decisions at `indices` agree each kind of remedy.
pub fn remedies(site: &Site, indices: &[usize]) -> Vec<RemedyCount> {
    let mut counts = [0usize; REMEDY_KINDS.len()];
    for &i in indices {
        let d = &site.decisions[i];
        for (n, kind) in REMEDY_KINDS.iter().enumerate() {
            counts[n] += usize::from(d.remedies.iter().any(|r| r.kind == *kind && r.is_agreed()));
        }
    }
    REMEDY_KINDS
        .into_iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .map(|(kind, decisions)| RemedyCount { kind, decisions })
        .collect()
}

/// The `limit` terms of `kind` holding most of the decisions at `indices`, most first
/// (ties by the taxonomy's order).
pub fn top_terms<'a>(
    site: &'a Site,
    indices: &[usize],
    kind: TaxonomyKind,
    limit: usize,
) -> Vec<TermCount<'a>> {
    let taxonomy = site.taxonomies.get(kind);
    let mut counts: HashMap<usize, usize> = HashMap::new();
    for &i in indices {
        if let Some(at) = term_of(site, i, kind) {
            *counts.entry(at).or_default() += 1;
        }
    }
    let mut ranked: Vec<(usize, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked
        .into_iter()
        .take(limit)
        .map(|(at, count)| TermCount {
            term: &taxonomy.terms[at],
            count,
        })
        .collect()
}

/// The position of decision `index`'s term in the taxonomy of `kind`.
fn term_of(site: &Site, index: usize, kind: TaxonomyKind) -> Option<usize> {
    let d = &site.decisions[index];
    let name = match kind {
        TaxonomyKind::Council => Some(d.council.clone()),
        TaxonomyKind::Category => d.category.clone(),
        TaxonomyKind::Outcome => d.outcome.map(|o| o.label().to_string()),
        TaxonomyKind::Year => d.year().map(|y| y.to_string()),
    }?;
    site.taxonomies.get(kind).position(&name)
}

/// One category with its upheld share and payments, for `/statistics/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryFigures<'a> {
    /// The category.
    pub term: &'a Term,
    /// Upheld out of upheld or not upheld.
    pub share: Share,
    /// Payments agreed.
    pub payments: Payments,
}

/// Every category's upheld share and payments, in the taxonomy's order.
pub fn by_category(site: &Site) -> Vec<CategoryFigures<'_>> {
    site.taxonomies
        .categories
        .terms
        .iter()
        .map(|term| {
            let mut payments = Payments::default();
            for &i in &term.decisions {
                payments.add(&site.decisions[i]);
            }
            CategoryFigures {
                term,
                share: Share::of(&site.outcome_counts(&term.decisions)),
                payments,
            }
        })
        .collect()
}

/// Payments agreed per year of decision, oldest first, undated last.
pub fn payments_by_year(site: &Site) -> Vec<(Option<i32>, Payments)> {
    let mut years: BTreeMap<Option<i32>, Payments> = BTreeMap::new();
    for d in &site.decisions {
        years.entry(d.year()).or_default().add(d);
    }
    let undated = years.remove(&None);
    years
        .into_iter()
        .chain(undated.map(|u| (None, u)))
        .collect()
}

/// Decisions without a category: `/statistics/` counts them so that the categories'
/// figures are not mistaken for every decision's.
pub fn uncategorised(site: &Site) -> usize {
    site.decisions
        .iter()
        .filter(|d| d.category.is_none())
        .count()
}

impl OutcomeCounts {
    /// Counts one more decision with `outcome`.
    pub fn add(&mut self, outcome: Option<Outcome>) {
        match outcome {
            Some(Outcome::Upheld) => self.upheld += 1,
            Some(Outcome::NotUpheld) => self.not_upheld += 1,
            Some(Outcome::ClosedAfterInitialEnquiries) => self.closed += 1,
            None => self.unknown += 1,
        }
    }

    /// How many decisions in all.
    pub fn total(&self) -> usize {
        self.upheld + self.not_upheld + self.closed + self.unknown
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::config::Settings;
    use crate::decision::{Money, Reference, Remedy};
    use crate::site::Glossary;

    fn payment(pounds: Option<u64>) -> Remedy {
        Remedy {
            kind: RemedyKind::Payment,
            text: "pay".into(),
            amount: pounds.map(Money::from_pounds),
            to: None,
            deadline: None,
            already_done: false,
            commitment: crate::decision::Commitment::Agreed,
            paragraph: None,
        }
    }

    struct Spec {
        council: &'static str,
        category: Option<&'static str>,
        outcome: Option<Outcome>,
        inferred: bool,
        year: Option<i32>,
        remedies: Vec<Remedy>,
    }

    fn site(specs: Vec<Spec>) -> Site {
        let files = specs
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                let reference = Reference::parse(&format!("20 000 {i:03}")).expect("reference");
                let d = Decision {
                    category: s.category.map(String::from),
                    outcome: s.outcome,
                    inferred: if s.inferred {
                        vec![Field::Outcome]
                    } else {
                        Vec::new()
                    },
                    decision_date: s
                        .year
                        .and_then(|y| chrono::NaiveDate::from_ymd_opt(y, 6, 1)),
                    remedies: s.remedies,
                    ..Decision::new(reference, s.council)
                };
                (PathBuf::from(format!("{i}.md")), d)
            })
            .collect();
        Site::new(
            Settings::with_defaults(Path::new(".")),
            files,
            Vec::new(),
            Glossary::default(),
        )
    }

    fn spec(council: &'static str, outcome: Option<Outcome>, year: Option<i32>) -> Spec {
        Spec {
            council,
            category: Some("Education"),
            outcome,
            inferred: false,
            year,
            remedies: Vec::new(),
        }
    }

    fn all(site: &Site) -> Vec<usize> {
        (0..site.decisions.len()).collect()
    }

    #[test]
    fn can_count_outcomes_per_year_with_the_undated_last() {
        let s = site(vec![
            spec("A", Some(Outcome::Upheld), Some(2021)),
            spec("A", Some(Outcome::NotUpheld), Some(2021)),
            spec("A", None, None),
            spec("A", Some(Outcome::ClosedAfterInitialEnquiries), Some(2019)),
            spec("A", Some(Outcome::Upheld), None),
        ]);
        let years = by_year(&s, &all(&s));
        let labels: Vec<Option<i32>> = years.iter().map(|y| y.year).collect();
        assert_eq!(labels, [Some(2019), Some(2021), None]);
        assert_eq!(years[1].outcomes.upheld, 1);
        assert_eq!(years[1].outcomes.not_upheld, 1);
        assert_eq!(years[2].outcomes.unknown, 1);
        assert_eq!(years[2].outcomes.upheld, 1);
        // Nothing dropped: the rows add up to every decision.
        assert_eq!(years.iter().map(YearCounts::total).sum::<usize>(), 5);
        let g = glance(&s, &all(&s), TaxonomyKind::Category);
        assert_eq!(g.undated, 2);
    }

    #[test]
    fn can_count_inferred_outcomes_apart() {
        let mut inferred = spec("A", Some(Outcome::Upheld), Some(2022));
        inferred.inferred = true;
        let s = site(vec![inferred, spec("A", Some(Outcome::Upheld), Some(2022))]);
        let g = glance(&s, &all(&s), TaxonomyKind::Category);
        assert_eq!(g.inferred_outcomes, 1);
        assert_eq!(g.outcomes.upheld, 2);
    }

    #[test]
    fn can_give_a_percentage_only_from_ten_investigated() {
        let nine = Share {
            upheld: 3,
            upheld_or_not: 9,
        };
        assert_eq!(nine.percent(), None);
        let ten = Share {
            upheld: 3,
            upheld_or_not: 10,
        };
        assert_eq!(ten.percent(), Some(30));
        assert_eq!(
            Share {
                upheld: 2,
                upheld_or_not: 3 * MIN_FOR_PERCENT,
            }
            .percent(),
            Some(7)
        );
        // Closed and unknown outcomes are not investigations.
        let s = site(vec![
            spec("A", Some(Outcome::Upheld), Some(2022)),
            spec("A", Some(Outcome::NotUpheld), Some(2022)),
            spec("A", Some(Outcome::ClosedAfterInitialEnquiries), Some(2022)),
            spec("A", None, Some(2022)),
        ]);
        let g = glance(&s, &all(&s), TaxonomyKind::Category);
        assert_eq!(
            g.share,
            Share {
                upheld: 1,
                upheld_or_not: 2
            }
        );
        assert_eq!(g.share.percent(), None);
    }

    #[test]
    fn can_total_only_the_payments_the_decisions_state() {
        let mut a = spec("A", Some(Outcome::Upheld), Some(2022));
        a.remedies = vec![payment(Some(250)), payment(Some(500))];
        let mut b = spec("A", Some(Outcome::Upheld), Some(2023));
        b.remedies = vec![payment(None)];
        let mut c = spec("A", Some(Outcome::Upheld), Some(2023));
        c.remedies = vec![payment(Some(100)), payment(None)];
        let s = site(vec![a, b, c, spec("A", Some(Outcome::NotUpheld), None)]);
        let g = glance(&s, &all(&s), TaxonomyKind::Category);
        assert_eq!(
            g.payments,
            Payments {
                total_pence: 85_000,
                decisions_with_amount: 2,
                decisions_without_amount: 1,
            }
        );
        assert_eq!(
            g.remedies,
            [RemedyCount {
                kind: RemedyKind::Payment,
                decisions: 3
            }]
        );
        let years = payments_by_year(&s);
        assert_eq!(years.len(), 3);
        assert_eq!(
            years[0],
            (
                Some(2022),
                Payments {
                    total_pence: 75_000,
                    decisions_with_amount: 1,
                    decisions_without_amount: 0,
                }
            )
        );
        assert!(years[2].1.is_empty());
        assert_eq!(by_category(&s)[0].payments, g.payments);
    }

    #[test]
    fn can_rank_the_top_terms() {
        let mut specs = vec![
            spec("B", Some(Outcome::Upheld), Some(2022)),
            spec("B", Some(Outcome::Upheld), Some(2022)),
            spec("A", Some(Outcome::Upheld), Some(2022)),
            spec("C", Some(Outcome::Upheld), Some(2022)),
        ];
        specs[3].category = None;
        let s = site(specs);
        let top = top_terms(&s, &all(&s), TaxonomyKind::Council, 2);
        let names: Vec<(&str, usize)> = top
            .iter()
            .map(|t| (t.term.name.as_str(), t.count))
            .collect();
        assert_eq!(names, [("B", 2), ("A", 1)]);
        assert_eq!(uncategorised(&s), 1);
        let cats = top_terms(&s, &all(&s), TaxonomyKind::Category, TOP);
        assert_eq!(cats.len(), 1);
        assert_eq!(cats[0].count, 3);
    }

    #[test]
    fn can_describe_no_decisions() {
        let s = site(Vec::new());
        let g = glance(&s, &[], TaxonomyKind::Council);
        assert_eq!(g.total, 0);
        assert!(g.by_year.is_empty() && g.remedies.is_empty() && g.top.is_empty());
        assert_eq!(g.share.percent(), None);
        assert!(g.payments.is_empty());
        assert!(by_category(&s).is_empty() && payments_by_year(&s).is_empty());
    }
}
