//! `sources/.fetch-state.json`: which date windows of the search results have been walked
//! to the end, so that the next fetch goes on from there. Kept in `sources/` so that it
//! travels with the pages (a CI run commits both). Written atomically after every window.
//!
//! A window is recorded as done before its pages are imported (import runs once, at the
//! end of the fetch), so the state also lists the pages kept since the last import that
//! finished: a fetch killed before its import leaves them there, and the next fetch imports
//! them although it does not walk their windows again.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::listing::Window;

/// One window walked to the end, every decision in it kept.
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
}

/// The fetch state of a site.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FetchState {
    /// Windows walked to the end, oldest first.
    pub windows: Vec<WindowDone>,
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

    /// Whether `window` was walked to the end after its last day had passed (`today` is
    /// later than its end), so that nothing new can appear in it. A window walked while it
    /// was still running is walked again.
    pub fn is_done(&self, window: Window) -> bool {
        self.windows.iter().any(|w| {
            w.from <= window.from
                && w.to >= window.to
                && NaiveDate::parse_from_str(w.finished_at.get(..10).unwrap_or(""), "%Y-%m-%d")
                    .is_ok_and(|day| day > w.to)
        })
    }

    /// Records `window` as walked to the end with `results` results.
    pub fn finish(&mut self, window: Window, results: usize) {
        self.windows
            .retain(|w| !(w.from == window.from && w.to == window.to));
        self.windows.push(WindowDone {
            from: window.from,
            to: window.to,
            results,
            finished_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        });
        self.windows.sort_by_key(|w| (w.from, w.to));
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

    /// The first day of the newest window walked to the end: where a fetch with no dates
    /// starts (that window is walked again, as new decisions may have been published in it).
    pub fn resume_from(&self) -> Option<NaiveDate> {
        self.windows.iter().map(|w| w.from).max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn can_save_and_load_and_resume_from_the_newest_window() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut state = FetchState::load(dir.path()).expect("fresh");
        assert_eq!(state.resume_from(), None);
        let jan = Window {
            from: d("2025-01-01"),
            to: d("2025-01-31"),
        };
        let feb = Window {
            from: d("2025-02-01"),
            to: d("2025-02-28"),
        };
        state.finish(feb, 3);
        state.finish(jan, 12);
        state.save(dir.path()).expect("save");
        let again = FetchState::load(dir.path()).expect("load");
        assert_eq!(again, state);
        assert_eq!(again.resume_from(), Some(d("2025-02-01")));
        assert!(again.is_done(jan), "finished after its end");
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
        state.finish(running, 1);
        assert!(!state.is_done(running));
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
