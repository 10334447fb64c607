//! Walking the search results one date window at a time: the result pages of a window,
//! checked against the count they state, then the decisions the filter keeps; the window
//! recorded as done, or as left unfinished for the next fetch to go back to.

use url::Url;

use super::listing::{self, DecisionUrl, Window};
use super::state;
use super::{Fetcher, Flow, Stop};
use crate::fetch::client::{Answer, Validators};

impl Fetcher<'_> {
    /// Walks one window's result pages, then fetches the decisions the filter keeps;
    /// records the window as done when every one of them is kept, and as left unfinished
    /// otherwise (a fetch with no dates goes back to it).
    pub(super) fn window(&mut self, window: Window, referer: &Url) -> Result<(), Stop> {
        let failures_before = self.report.failures.len();
        let pages_before = self.report.pages.len();
        let walked = self.walk(window, referer);
        let finished =
            matches!(walked, Ok(Some(_))) && self.report.failures.len() == failures_before;
        match walked {
            Ok(Some(results)) if finished => {
                self.state.finish(window, &self.filter, results);
                // This window's pages: an earlier window's are listed already, or it is
                // not done.
                let pages = &self.report.pages[pages_before..];
                self.state.add_unimported(&self.root, pages);
                self.report.windows_done += 1;
            }
            _ => {
                let counted = walked.is_ok();
                let walks = self.state.leave(window, &self.filter, counted);
                if counted && walks == state::MAX_WALKS {
                    let mut flags = String::new();
                    if let Some(c) = &self.filter.category {
                        flags.push_str(&format!(" --category {c}"));
                    }
                    if let Some(s) = &self.filter.subcategory {
                        flags.push_str(&format!(" --subcategory {s}"));
                    }
                    self.observer.failure(&format!(
                        "the month from {} to {} was left unfinished by {walks} walks in a row: a fetch with no dates goes back to it only while it is among the newest months (`casebook fetch --since {} --until {}{flags}` walks it again)",
                        window.from, window.to, window.from, window.to
                    ));
                }
            }
        }
        if let Err(e) = self.state.save(&self.root) {
            self.fail(format!("could not save the fetch state: {e}"));
        }
        self.observer.progress(&self.report);
        walked.map(|_| ())
    }

    /// The walk of one window: its results, then its decisions, until the window or the
    /// run stops; the number of results when it went to the end.
    fn walk(&mut self, window: Window, referer: &Url) -> Result<Option<usize>, Stop> {
        let Some(listed) = self.window_links(window, referer)? else {
            return Ok(None);
        };
        let filter = self.filter.clone();
        for link in listed
            .links
            .iter()
            .filter(|l| filter.keeps(&l.category, &l.subcategory))
        {
            if self.decision(link, false)? == Flow::StopWindow {
                return Ok(None);
            }
        }
        Ok(listed.complete.then_some(listed.results))
    }

    /// Every decision link in one window's results, or `None` when the window stopped.
    fn window_links(&mut self, window: Window, referer: &Url) -> Result<Option<Listed>, Stop> {
        let mut links: Vec<DecisionUrl> = Vec::new();
        let mut page = 1;
        // The most results any page of the window said (the count can change during the
        // walk, as decisions are published).
        let mut results: Option<usize> = None;
        while results.is_none_or(|n| page <= listing::page_count(n)) {
            let url = listing::results_url(self.client.origin(), window, page);
            let Some(html) = self.listing_page(&url, referer)? else {
                return Ok(None);
            };
            let name = format!("results-{}-p{page}", window.from);
            let Some(count) = listing::result_count(&html) else {
                self.reject(
                    &url,
                    &name,
                    &html,
                    "states no result count (an empty search shell?)",
                    true,
                );
                return Ok(None);
            };
            let found = listing::decision_links(&html, &url);
            if found.is_empty() && count > 0 {
                self.reject(
                    &url,
                    &name,
                    &html,
                    &format!("says {count} results but links to no decision"),
                    true,
                );
                return Ok(None);
            }
            for link in found {
                if !links.iter().any(|l| l.reference == link.reference) {
                    self.report.links += 1;
                    if self.filter.keeps(&link.category, &link.subcategory) {
                        self.report.wanted += 1;
                    }
                    links.push(link);
                }
            }
            self.observer.progress(&self.report);
            let said = results.map_or(count, |n| n.max(count));
            // The results said more than the pages linked to (a page repeated, one said
            // fewer results, a decision was published during the walk): what is missing is
            // not known. The decisions linked are fetched; the window is not done.
            if page >= listing::page_count(said) && links.len() < said {
                self.reject(
                    &url,
                    &name,
                    &html,
                    &format!(
                        "the results for {} to {} said {said}, but their {page} pages linked to {} different decisions; those are fetched, and the month is left for the next fetch to walk again",
                        window.from,
                        window.to,
                        links.len()
                    ),
                    false,
                );
                return Ok(Some(Listed {
                    results: said,
                    links,
                    complete: false,
                }));
            }
            results = Some(said);
            page += 1;
        }
        Ok(Some(Listed {
            results: results.unwrap_or(0),
            links,
            complete: true,
        }))
    }

    fn listing_page(&mut self, url: &Url, referer: &Url) -> Result<Option<String>, Stop> {
        if !self.client.allows(url) {
            self.fail(format!(
                "{url}: robots.txt does not allow casebook to fetch it; stopped this window"
            ));
            return Ok(None);
        }
        match self.client.get(url, &Validators::default(), Some(referer)) {
            Ok(Answer::Page(page)) => {
                self.answered();
                Ok(Some(String::from_utf8_lossy(&page.body).into_owned()))
            }
            Ok(Answer::NotModified) => {
                self.fail(format!("{url}: answered 304 to a request that was not conditional; stopped this window"));
                Ok(None)
            }
            Err(e) => {
                self.network_failure(format!("{url}: {e}; stopped this window"), &e)?;
                Ok(None)
            }
        }
    }
}

/// What one window's result pages listed.
struct Listed {
    /// The most results a page said.
    results: usize,
    /// The decisions linked, each once, in the order listed.
    links: Vec<DecisionUrl>,
    /// Whether the pages linked to as many decisions as the results said.
    complete: bool,
}
