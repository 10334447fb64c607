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

use chrono::{Days, NaiveDate};
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
        let same = |from: NaiveDate, to: NaiveDate, f: &Filter| {
            from == window.from && to == window.to && f == filter
        };
        self.windows.retain(|w| !same(w.from, w.to, &w.filter));
        // A window left unfinished that this walk covered is finished too.
        self.unfinished
            .retain(|w| !(window.from <= w.from && w.to <= window.to && filter.covers(&w.filter)));
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
        let add = u32::from(counted);
        let same =
            |w: &WindowLeft| w.from == window.from && w.to == window.to && w.filter == *filter;
        if let Some(left) = self.unfinished.iter_mut().find(|w| same(w)) {
            left.walks = left.walks.saturating_add(add);
            return left.walks;
        }
        self.unfinished.push(WindowLeft {
            from: window.from,
            to: window.to,
            filter: filter.clone(),
            walks: add,
        });
        self.unfinished.sort_by_key(|w| (w.from, w.to));
        add
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
        let mut plan: Vec<Window> = newest
            .map(|from| super::listing::month_windows(from, today))
            .unwrap_or_default();
        let left = left
            .into_iter()
            .filter(|w| w.walks < MAX_WALKS)
            .map(|w| Window {
                from: w.from,
                to: w.to,
            });
        let unsettled = self
            .windows
            .iter()
            .filter(|w| w.filter.covers(filter))
            .map(|w| Window {
                from: w.from,
                to: w.to,
            });
        for window in left.chain(unsettled) {
            let covered = plan
                .iter()
                .any(|p| p.from <= window.from && window.to <= p.to);
            if !covered && !self.is_done(window, filter, revisit) {
                plan.push(window);
            }
        }
        plan.sort();
        plan.dedup();
        Some(plan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    /// The first day of each window a fetch with no dates walks (those done skipped).
    fn walked(state: &FetchState, filter: &Filter, revisit: Days) -> Vec<NaiveDate> {
        let today = chrono::Utc::now().date_naive();
        state
            .windows_to_walk(filter, revisit, today)
            .unwrap_or_default()
            .into_iter()
            .filter(|w| !state.is_done(*w, filter, revisit))
            .map(|w| w.from)
            .collect()
    }

    #[test]
    fn can_save_and_load_and_go_on_from_the_newest_window() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut state = FetchState::load(dir.path()).expect("fresh");
        let today = chrono::Utc::now().date_naive();
        assert_eq!(
            state.windows_to_walk(&Filter::default(), NO_REVISIT, today),
            None
        );
        let jan = Window {
            from: d("2025-01-01"),
            to: d("2025-01-31"),
        };
        let feb = Window {
            from: d("2025-02-01"),
            to: d("2025-02-28"),
        };
        let all = Filter::default();
        state.finish(feb, &all, 3);
        state.finish(jan, &all, 12);
        state.save(dir.path()).expect("save");
        let again = FetchState::load(dir.path()).expect("load");
        assert_eq!(again, state);
        let plan = again
            .windows_to_walk(&all, NO_REVISIT, today)
            .expect("a plan");
        assert_eq!(plan[0].from, d("2025-02-01"), "from the newest window done");
        assert_eq!(walked(&again, &all, NO_REVISIT)[0], d("2025-03-01"));
        assert!(
            again.is_done(jan, &all, NO_REVISIT),
            "finished after its end"
        );
    }

    const NO_REVISIT: Days = Days::new(0);

    fn month(m: u32) -> Window {
        let from = NaiveDate::from_ymd_opt(2025, m, 1).expect("date");
        let to = from
            .checked_add_months(chrono::Months::new(1))
            .and_then(|d| d.pred_opt())
            .expect("date");
        Window { from, to }
    }

    #[test]
    fn a_window_walked_with_a_filter_is_done_only_for_what_the_filter_kept() {
        let mut state = FetchState::default();
        let housing = Filter::new(Some("Housing"), None);
        let homelessness = Filter::new(Some("housing"), Some("homelessness"));
        state.finish(month(1), &housing, 40);
        assert!(state.is_done(month(1), &housing, NO_REVISIT));
        assert!(
            state.is_done(month(1), &homelessness, NO_REVISIT),
            "fewer decisions"
        );
        assert!(
            !state.is_done(month(1), &Filter::default(), NO_REVISIT),
            "every decision"
        );
        assert!(!state.is_done(month(1), &Filter::new(Some("education"), None), NO_REVISIT));
        let today = chrono::Utc::now().date_naive();
        assert_eq!(
            state.windows_to_walk(&Filter::default(), NO_REVISIT, today),
            None
        );
        let plan = state
            .windows_to_walk(&housing, NO_REVISIT, today)
            .expect("a plan");
        assert_eq!(plan[0], month(1));
        let json = serde_json::to_string(&state).expect("json");
        assert!(json.contains(r#""category":"housing""#), "{json}");
        assert_eq!(
            serde_json::from_str::<FetchState>(&json).expect("back"),
            state
        );
    }

    #[test]
    fn a_fetch_with_no_dates_goes_back_to_a_window_left_unfinished() {
        let mut state = FetchState::default();
        let all = Filter::default();
        state.finish(month(1), &all, 15);
        state.leave(month(2), &all, true);
        state.finish(month(3), &all, 11);
        assert_eq!(walked(&state, &all, NO_REVISIT)[0], d("2025-02-01"));
        assert!(!state.is_done(month(2), &all, NO_REVISIT));
        state.finish(month(2), &all, 14);
        assert!(state.unfinished.is_empty(), "finishing it clears it");
        assert_eq!(walked(&state, &all, NO_REVISIT)[0], d("2025-04-01"));
    }

    #[test]
    fn walks_no_month_between_one_left_unfinished_and_the_newest_done() {
        let mut state = FetchState::default();
        let all = Filter::default();
        let jan_2024 = Window {
            from: d("2024-01-01"),
            to: d("2024-01-31"),
        };
        state.leave(jan_2024, &all, true);
        state.finish(month(11), &all, 3);
        let plan = state
            .windows_to_walk(&all, NO_REVISIT, d("2025-12-07"))
            .expect("a plan");
        let firsts: Vec<_> = plan.iter().map(|w| w.from).collect();
        assert_eq!(
            firsts,
            [d("2024-01-01"), d("2025-11-01"), d("2025-12-01")],
            "not the 21 months between"
        );
    }

    #[test]
    fn a_window_left_unfinished_is_cleared_by_a_walk_that_covers_it() {
        let mut state = FetchState::default();
        let all = Filter::default();
        let first_week = Window {
            from: d("2025-01-01"),
            to: d("2025-01-07"),
        };
        state.leave(first_week, &all, true);
        state.leave(month(2), &Filter::new(Some("housing"), None), true);
        state.finish(month(1), &all, 30);
        state.finish(month(2), &all, 30);
        assert!(state.unfinished.is_empty(), "{:?}", state.unfinished);
        // A narrower walk clears nothing it did not cover.
        state.leave(month(3), &all, true);
        state.finish(month(3), &Filter::new(Some("housing"), None), 4);
        assert_eq!(state.unfinished.len(), 1);
    }

    #[test]
    fn stops_going_back_to_a_window_left_unfinished_too_often() {
        let mut state = FetchState::default();
        let all = Filter::default();
        state.finish(month(6), &all, 3);
        for walks in 1..=MAX_WALKS {
            assert_eq!(state.leave(month(2), &all, true), walks);
            assert_eq!(state.leave(month(2), &all, false), walks, "a stopped walk");
            let back = walked(&state, &all, NO_REVISIT).contains(&d("2025-02-01"));
            assert_eq!(back, walks < MAX_WALKS, "after {walks} walks");
        }
        assert!(!state.is_done(month(2), &all, NO_REVISIT), "still not done");
    }

    #[test]
    fn reads_a_state_file_with_keys_it_does_not_know() {
        let state: FetchState =
            serde_json::from_str(r#"{"windows": [], "written_by": "a later casebook"}"#)
                .expect("read");
        assert_eq!(state, FetchState::default());
    }

    #[test]
    fn a_window_stays_open_for_the_revisit_days_after_its_end() {
        let mut state = FetchState::default();
        let all = Filter::default();
        let today = chrono::Utc::now().date_naive();
        let recent = Window {
            from: today - Days::new(40),
            to: today - Days::new(10),
        };
        let old = Window {
            from: today - Days::new(400),
            to: today - Days::new(370),
        };
        state.finish(old, &all, 5);
        state.finish(recent, &all, 5);
        assert!(state.is_done(recent, &all, NO_REVISIT));
        assert!(
            !state.is_done(recent, &all, Days::new(30)),
            "walked 10 days after its end"
        );
        assert!(state.is_done(old, &all, Days::new(30)));
        assert_eq!(walked(&state, &all, Days::new(30))[0], recent.from);
    }

    #[test]
    fn keeps_the_pages_not_yet_imported_relative_to_the_root() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        let page = root.join("sources/2025/25-000-001.html");
        std::fs::create_dir_all(page.parent().expect("parent")).expect("mkdir");
        std::fs::write(&page, "<html>").expect("write");
        let mut state = FetchState::default();
        let gone = root.join("sources/2025/25-000-002.html");
        state.add_unimported(root, &[page.clone(), gone.clone()]);
        state.add_unimported(root, std::slice::from_ref(&page));
        state.unimported.push("../outside.html".into());
        state.save(root).expect("save");
        let again = FetchState::load(root).expect("load");
        assert_eq!(
            again.unimported[..2],
            [
                "sources/2025/25-000-001.html",
                "sources/2025/25-000-002.html"
            ]
        );
        assert_eq!(again.unimported_pages(root), vec![page]);
        assert!(!std::fs::read_to_string(state_path(root))
            .expect("state")
            .contains("unimported\": []"));
    }

    #[test]
    fn walks_again_a_window_finished_before_its_end() {
        let mut state = FetchState::default();
        let today = chrono::Utc::now().date_naive();
        let running = Window {
            from: today,
            to: today,
        };
        state.finish(running, &Filter::default(), 1);
        assert!(!state.is_done(running, &Filter::default(), NO_REVISIT));
    }

    #[test]
    fn errors_on_a_damaged_state_file_naming_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("sources")).expect("mkdir");
        std::fs::write(state_path(dir.path()), "{\"windows\": [").expect("write");
        let err = FetchState::load(dir.path())
            .expect_err("damaged")
            .to_string();
        assert!(err.contains(".fetch-state.json:1:"), "{err}");
    }
}
