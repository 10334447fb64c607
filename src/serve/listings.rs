//! Which pages of a paginated listing a change shows on.
//!
//! A listing page shows its term's name and counts, a page of cards and links to the other
//! pages; the first page also shows the term's "at a glance" panel. When a change leaves a
//! listing's decisions the same, in the same order, with the same name and counts, only
//! the pages holding a changed decision's card (and the first page) can differ from what
//! was published: at 10,000 decisions that is two or three pages of a listing of hundreds.
//! Anything else (a decision joined, left or moved within the listing) renders it whole.

use std::collections::{BTreeSet, HashSet};

use crate::render::views::TermSummary;
use crate::render::Job;
use crate::site::{Site, TaxonomyKind, Term};

/// What every page of a listing shows besides its cards, and its decisions in order.
struct Listing<'s> {
    /// The folder the listing's pages are under (`decisions/`, `councils/kent/`).
    base: &'s str,
    decisions: std::borrow::Cow<'s, [usize]>,
    /// The term's name and counts, and its parent's name for a subcategory.
    summary: Option<(TermSummary<'s>, Option<&'s str>)>,
}

fn listing<'s>(site: &'s Site, job: &Job) -> Option<Listing<'s>> {
    match *job {
        Job::AllDecisions => Some(Listing {
            base: "decisions/",
            decisions: (0..site.decisions.len()).collect::<Vec<_>>().into(),
            summary: None,
        }),
        Job::Term { kind, term, sub } => {
            let parent = site.taxonomies.get(kind).terms.get(term)?;
            let this = match sub {
                Some(s) => parent.children.get(s)?,
                None => parent,
            };
            Some(Listing {
                base: &this.path,
                decisions: this.decisions.as_slice().into(),
                summary: Some((
                    TermSummary::new(site, this, sub.is_none()),
                    sub.map(|_| parent.name.as_str()),
                )),
            })
        }
        _ => None,
    }
}

/// The listing job of `site` whose pages are under `path`.
fn job_at(site: &Site, path: &str, like: &Job) -> Option<Job> {
    match *like {
        Job::AllDecisions => Some(Job::AllDecisions),
        Job::Term { kind, .. } => term_job(site, kind, path),
        _ => None,
    }
}

/// The listing job of the term (or subcategory) of `kind` at `path`.
pub fn term_job(site: &Site, kind: TaxonomyKind, path: &str) -> Option<Job> {
    let terms: &[Term] = &site.taxonomies.get(kind).terms;
    terms.iter().enumerate().find_map(|(term, entry)| {
        if entry.path == path {
            return Some(Job::Term {
                kind,
                term,
                sub: None,
            });
        }
        let sub = entry.children.iter().position(|c| c.path == path)?;
        Some(Job::Term {
            kind,
            term,
            sub: Some(sub),
        })
    })
}

/// For a listing job of `new`: its folder and the page numbers (1-based) that can differ
/// from the same listing in `old`, when the change is one that leaves the rest alone.
/// `changed` holds the references of the decisions whose cards changed. `None`: render
/// the job whole.
pub fn pages_to_render(
    old: &Site,
    new: &Site,
    job: &Job,
    changed: &HashSet<&str>,
    per_page: usize,
) -> Option<(String, BTreeSet<usize>)> {
    let now = listing(new, job)?;
    let before = listing(old, &job_at(old, now.base, job)?)?;
    if before.summary != now.summary || before.decisions.len() != now.decisions.len() {
        return None;
    }
    let same_order = before
        .decisions
        .iter()
        .zip(now.decisions.iter())
        .all(|(&a, &b)| old.decisions[a].reference == new.decisions[b].reference);
    if !same_order {
        return None;
    }
    let per_page = per_page.max(1);
    let mut pages = BTreeSet::from([1]);
    for (at, &i) in now.decisions.iter().enumerate() {
        if changed.contains(new.decisions[i].reference.as_str()) {
            pages.insert(at / per_page + 1);
        }
    }
    Some((now.base.to_string(), pages))
}
