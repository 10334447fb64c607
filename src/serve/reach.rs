//! How far a decision's change reaches other pages: the terms whose decision pages show
//! it (its council and category), and which of their decisions are near enough in date
//! order for their "related decisions" panels to show it.

use std::collections::HashMap;

use crate::render::Job;
use crate::site::{Site, TaxonomyKind, Term};

/// How far, in date order within a council or category, a decision's change reaches other
/// decisions' "related decisions" panels: a panel shows `RELATED` neighbours, starting
/// half of them before the decision, so no panel reaches further than twice that.
pub const RELATED_REACH: usize = 2 * crate::render::pages::RELATED;

/// Each decision's index in `site`, by reference.
pub fn index_by_reference(site: &Site) -> HashMap<String, usize> {
    site.decisions
        .iter()
        .enumerate()
        .map(|(i, d)| (d.reference.as_str().to_string(), i))
        .collect()
}

/// The terms whose decision pages show decision `i` among their related decisions: its
/// council (whose pages also count its decisions) and its category.
pub fn neighbour_terms(site: &Site, i: usize) -> (Option<&Term>, Option<&Term>) {
    (site.council_term(i), site.category_terms(i).0)
}

/// Every term listing decision `i`.
pub fn all_terms(site: &Site, i: usize) -> Vec<&Term> {
    let (category, subcategory) = site.category_terms(i);
    let mut terms: Vec<&Term> = site
        .council_term(i)
        .into_iter()
        .chain(category)
        .chain(subcategory)
        .collect();
    for kind in [
        crate::site::TaxonomyKind::Outcome,
        crate::site::TaxonomyKind::Year,
    ] {
        terms.extend(
            site.taxonomies
                .get(kind)
                .terms
                .iter()
                .filter(|t| t.decisions.binary_search(&i).is_ok()),
        );
    }
    terms
}

/// The decisions of `term` whose pages show decision `i`: its neighbours in date order, or
/// every one of them when `all` (`i` joined or left a term whose pages show its count).
pub fn neighbours(term: &Term, i: usize, all: bool) -> impl Iterator<Item = usize> + '_ {
    let list = &term.decisions;
    let at = list.binary_search(&i).unwrap_or_else(|p| p);
    let (start, end) = if all {
        (0, list.len())
    } else {
        (
            at.saturating_sub(RELATED_REACH),
            (at + RELATED_REACH + 1).min(list.len()),
        )
    };
    list[start..end].iter().copied()
}

/// The listing job of the term at `path` in `site`, if the term still exists.
pub fn job_for_path(site: &Site, path: &str) -> Option<Job> {
    TaxonomyKind::ALL
        .into_iter()
        .find_map(|kind| super::listings::term_job(site, kind, path))
}
