//! `sources/.fetch-state.json`: which date windows of the search results have been walked
//! to the end, so that the next fetch goes on from there. Kept in `sources/` so that it
//! travels with the pages (a CI run commits both). Written atomically after every window.
//!
//! A window is recorded as done before its pages are imported (import runs once, at the
//! end of the fetch), so the state also lists the pages kept since the last import that
//! finished: a fetch killed before its import leaves them there, and the next fetch imports
//! them although it does not walk their windows again.
//!
//! A window walked with `--category` or `--subcategory` is done only for walks that keep
//! the same decisions or fewer; one a walk left unfinished (a failure) is listed apart, so
//! that a fetch with no dates goes back for it; and a window stays open for
//! `[fetch] revisit_days` after its last day, as the website publishes a decision some
//! time after it was made.

use std::path::{Path, PathBuf};

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::listing::Window;

/// Which decisions of a window a walk keeps: every one (neither set), or those of one
/// category or subcategory slug (in lower case).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    /// `--category`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// `--subcategory`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subcategory: Option<String>,
}

impl Filter {
    /// The filter of `--category` and `--subcategory`.
    pub fn new(category: Option<&str>, subcategory: Option<&str>) -> Self {
        let slug = |s: Option<&str>| s.map(|s| s.trim().to_ascii_lowercase());
        Self {
            category: slug(category),
            subcategory: slug(subcategory),
        }
    }

    /// Whether a walk that kept what `self` keeps kept every decision `other` keeps.
    pub fn covers(&self, other: &Filter) -> bool {
        let covers =
            |mine: &Option<String>, theirs: &Option<String>| mine.is_none() || mine == theirs;
        covers(&self.category, &other.category) && covers(&self.subcategory, &other.subcategory)
    }

    /// Whether a decision of `category` / `subcategory` is kept.
    pub fn keeps(&self, category: &str, subcategory: &str) -> bool {
        let keeps = |slug: &Option<String>, of: &str| {
            slug.as_deref().is_none_or(|s| s.eq_ignore_ascii_case(of))
        };
        keeps(&self.category, category) && keeps(&self.subcategory, subcategory)
    }
}

/// One window walked to the end, every decision it kept fetched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowDone {
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
    /// How many results the website said it had.
    pub results: usize,
    /// When it was finished (RFC 3339, UTC).
    pub finished_at: String,
    /// The decisions it kept (every one when empty).
    #[serde(default, flatten)]
    pub filter: Filter,
}

/// A window a walk began and left unfinished (a page failed, or the results did not add
/// up): a fetch with no dates goes back to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowLeft {
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
    /// The decisions the walk was to keep.
    #[serde(default, flatten)]
    pub filter: Filter,
    /// How many walks in a row left it unfinished.
    #[serde(default)]
    pub walks: u32,
}

/// After this many walks in a row left a window unfinished, a fetch with no dates no
/// longer goes back to it (a decision the website lists but will not serve would otherwise
/// fail every fetch for ever); a fetch with its dates walks it again.
pub const MAX_WALKS: u32 = 3;

/// The fetch state of a site.
/// Unknown keys are ignored, so that a state file a later casebook wrote can still be read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FetchState {
    /// Windows walked to the end, oldest first.
    pub windows: Vec<WindowDone>,
    /// Windows a walk left unfinished, oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unfinished: Vec<WindowLeft>,
    /// Pages of finished windows not yet imported, relative to the site's root
    /// (`sources/2025/24-005-444.html`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unimported: Vec<String>,
}

/// The state file of the site at `root`.
pub fn state_path(root: &Path) -> PathBuf {
    root.join("sources").join(".fetch-state.json")
}

impl FetchState {
    /// Reads the state; a missing file is a fresh state, a damaged one an error naming it.
    pub fn load(root: &Path) -> anyhow::Result<Self> {
        let path = state_path(root);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                anyhow::anyhow!(
                    "{}:{}:{}: the fetch state is damaged: {e} (expected the JSON casebook writes; delete the file to walk every window again)",
                    path.display(),
                    e.line(),
                    e.column()
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(crate::fs::with_path(e, "read", &path).into()),
        }
    }

    /// Writes the state atomically.
    pub fn save(&self, root: &Path) -> std::io::Result<()> {
        let mut json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        json.push(b'\n');
        crate::fs::write_atomic(&state_path(root), &json)
    }

    /// Whether `window` was walked to the end, keeping at least what `filter` keeps, more
    /// than `revisit` days after its last day had passed, so that nothing new can appear
    /// in it. A window walked sooner is walked again.
    pub fn is_done(&self, window: Window, filter: &Filter, revisit: Days) -> bool {
        self.windows.iter().any(|w| {
            w.from <= window.from
                && w.to >= window.to
                && w.filter.covers(filter)
                && NaiveDate::parse_from_str(w.finished_at.get(..10).unwrap_or(""), "%Y-%m-%d")
                    .is_ok_and(|day| w.to.checked_add_days(revisit).is_some_and(|end| day > end))
        })
    }

    /// Records `window` as walked to the end with `results` results, keeping what
    /// `filter` keeps.
    pub fn finish(&mut self, window: Window, filter: &Filter, results: usize) {
        // A window done or left unfinished that this walk covered (as a daily fetch covers
        // the days of the month it walked the day before) is this one now.
        let covered = |from: NaiveDate, to: NaiveDate, f: &Filter| {
            window.from <= from && to <= window.to && filter.covers(f)
        };
        self.windows.retain(|w| !covered(w.from, w.to, &w.filter));
        self.unfinished
            .retain(|w| !covered(w.from, w.to, &w.filter));
        self.windows.push(WindowDone {
            from: window.from,
            to: window.to,
            results,
            finished_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            filter: filter.clone(),
        });
        self.windows.sort_by_key(|w| (w.from, w.to));
    }

    /// Records `window` as begun and left unfinished by a walk keeping what `filter`
    /// keeps; returns how many walks in a row have left it so. A walk the run stopped
    /// (Ctrl-C, the website unreachable or asking to slow down, a full disk) is not
    /// `counted`: the window waits for a walk that could go to its end.
    pub fn leave(&mut self, window: Window, filter: &Filter, counted: bool) -> u32 {
        // Entries this walk covered are folded into its own, keeping their count.
        let covered =
            |w: &WindowLeft| window.from <= w.from && w.to <= window.to && filter.covers(&w.filter);
        let before = self
            .unfinished
            .iter()
            .filter(|w| covered(w))
            .map(|w| w.walks)
            .max()
            .unwrap_or(0);
        self.unfinished.retain(|w| !covered(w));
        let walks = before.saturating_add(u32::from(counted));
        self.unfinished.push(WindowLeft {
            from: window.from,
            to: window.to,
            filter: filter.clone(),
            walks,
        });
        self.unfinished.sort_by_key(|w| (w.from, w.to));
        walks
    }

    /// Adds `pages` (under `root`) to the pages not yet imported, each once.
    pub fn add_unimported(&mut self, root: &Path, pages: &[PathBuf]) {
        let mut known: std::collections::HashSet<String> =
            self.unimported.iter().cloned().collect();
        for page in pages.iter().filter_map(|p| p.strip_prefix(root).ok()) {
            let page = page.to_string_lossy().replace('\\', "/");
            if known.insert(page.clone()) {
                self.unimported.push(page);
            }
        }
    }

    /// The pages not yet imported that are still there, as paths under `root`.
    pub fn unimported_pages(&self, root: &Path) -> Vec<PathBuf> {
        self.unimported
            .iter()
            .filter(|p| !p.split('/').any(|s| s == ".." || s.is_empty()))
            .map(|p| root.join(p))
            .filter(|p| p.is_file())
            .collect()
    }

    /// The windows a fetch with no dates walks, keeping what `filter` keeps, oldest
    /// first: the calendar months from the newest window done to `today`, each window an
    /// earlier walk left unfinished (fewer than [`MAX_WALKS`] times) and each window done
    /// too soon to be settled (see [`FetchState::is_done`]). `None` when no walk of those
    /// decisions was ever finished or begun. Windows already done are in the list and
    /// skipped by the walk, so that the count of windows says what the plan covered.
    pub fn windows_to_walk(
        &self,
        filter: &Filter,
        revisit: Days,
        today: NaiveDate,
    ) -> Option<Vec<Window>> {
        let relevant = |f: &Filter| f.covers(filter) || filter.covers(f);
        let newest = self
            .windows
            .iter()
            .filter(|w| w.filter.covers(filter))
            .map(|w| w.from)
            .max();
        let left: Vec<&WindowLeft> = self
            .unfinished
            .iter()
            .filter(|w| relevant(&w.filter))
            .collect();
        if newest.is_none() && left.is_empty() {
            return None;
        }
        let window = |from: NaiveDate, to: NaiveDate| Window { from, to };
        let inside = |w: Window, of: &WindowLeft| of.from <= w.from && w.to <= of.to;
        // Walked and left unfinished too often: not walked again for being recent either.
        let given_up: Vec<&WindowLeft> = left
            .iter()
            .copied()
            .filter(|w| w.walks >= MAX_WALKS)
            .collect();
        let mut candidates: Vec<Window> = newest
            .and_then(|from| from.with_day(1))
            .map(|from| super::listing::month_windows(from, today))
            .unwrap_or_default();
        candidates.extend(
            left.iter()
                .filter(|w| w.walks < MAX_WALKS)
                .map(|w| window(w.from, w.to)),
        );
        candidates.extend(
            self.windows
                .iter()
                .filter(|w| w.filter.covers(filter))
                .map(|w| window(w.from, w.to))
                .filter(|w| !self.is_done(*w, filter, revisit))
                .filter(|w| !given_up.iter().any(|g| inside(*w, g))),
        );
        // Wider windows first, so that a window inside one already planned is left out.
        candidates.sort_by_key(|w| (w.from, std::cmp::Reverse(w.to)));
        let mut plan: Vec<Window> = Vec::new();
        for w in candidates {
            if !plan.iter().any(|p| p.from <= w.from && w.to <= p.to) {
                plan.push(w);
            }
        }
        plan.sort();
        plan.dedup();
        Some(plan)
    }
}

#[cfg(test)]
mod tests;
