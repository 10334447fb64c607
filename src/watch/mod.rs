//! Watching a site's folder: notify events, debounced by `notify-debouncer-full`, turned into
//! batches of [`Change`]s relative to the site's folder, each classified by [`ChangeKind`].
//! No rendering and no HTTP: whoever holds a [`SiteWatcher`] decides what to rebuild.
//!
//! What is watched: the site's folder itself (not recursively: `config.toml` and new top
//! folders), and recursively `content/`, `templates/`, `static/` and `themes/`, added when
//! they appear. `public/` and `target/` are never watched, so writing the output does not
//! trigger a rebuild and a big output folder costs no inotify watches.

mod classify;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::Context;
use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

pub use classify::{classify, Change, ChangeKind};

/// How long the watcher waits for a path to go quiet before reporting it. Short, so a save
/// shows fast; an editor's atomic save (write temp, rename over) lands in one batch.
pub const DEBOUNCE: Duration = Duration::from_millis(30);

/// The folders below the site's folder that hold site sources.
const SOURCE_DIRS: &[&str] = &["content", "templates", "static", "themes"];

/// A running watch on a site's folder. Dropping it stops the watch.
pub struct SiteWatcher {
    root: PathBuf,
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    events: Receiver<DebounceEventResult>,
    watched: BTreeSet<PathBuf>,
    ignored: Vec<PathBuf>,
}

impl std::fmt::Debug for SiteWatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SiteWatcher")
            .field("root", &self.root)
            .field("watched", &self.watched)
            .finish_non_exhaustive()
    }
}

impl SiteWatcher {
    /// Starts watching the site in `root`, reporting paths once they were quiet for `debounce`.
    pub fn start(root: &Path, debounce: Duration) -> anyhow::Result<Self> {
        let root = root
            .canonicalize()
            .with_context(|| format!("cannot watch `{}`", root.display()))?;
        let (tx, events) = mpsc::channel();
        let mut debouncer = new_debouncer(debounce, None, tx)
            .with_context(|| format!("cannot watch `{}`", root.display()))?;
        debouncer
            .watch(&root, RecursiveMode::NonRecursive)
            .with_context(|| format!("cannot watch `{}`", root.display()))?;
        let mut watcher = Self {
            root,
            debouncer,
            events,
            watched: BTreeSet::new(),
            ignored: Vec::new(),
        };
        watcher.watch_source_dirs();
        Ok(watcher)
    }

    /// The site's folder, canonicalised.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Ignores every path below `dir` from now on: the output folder, when it lies inside a
    /// watched folder (`--output static/out`), so that writing it triggers no rebuild.
    pub fn ignore(&mut self, dir: &Path) {
        // The folder may not exist yet: canonicalise its parent then.
        let canonical = dir.canonicalize().ok().or_else(|| {
            let parent = dir.parent()?.canonicalize().ok()?;
            Some(parent.join(dir.file_name()?))
        });
        self.ignored
            .push(canonical.unwrap_or_else(|| dir.to_path_buf()));
    }

    /// Waits up to `timeout` for the next batch of changes to site sources. Returns an empty
    /// batch when nothing relevant changed in time; watcher errors are printed, not fatal.
    pub fn next_batch(&mut self, timeout: Duration) -> Vec<Change> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let paths = match self.events.recv_timeout(left) {
                // Reading a file (as the build does) is no change.
                Ok(Ok(events)) => events
                    .into_iter()
                    .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
                    .flat_map(|e| e.event.paths),
                Ok(Err(errors)) => {
                    for error in errors {
                        eprintln!("warning: watching the site: {error}");
                    }
                    continue;
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                    return Vec::new();
                }
            };
            let paths: Vec<PathBuf> = paths
                .filter(|p| !self.ignored.iter().any(|dir| p.starts_with(dir)))
                .collect();
            self.watch_source_dirs();
            let changes = changes_below(&self.root, paths);
            if !changes.is_empty() {
                return changes;
            }
        }
    }

    /// Adds a recursive watch for each source folder that exists and is not watched yet.
    fn watch_source_dirs(&mut self) {
        for dir in SOURCE_DIRS {
            let path = self.root.join(dir);
            if self.watched.contains(&path) || !path.is_dir() {
                continue;
            }
            match self.debouncer.watch(&path, RecursiveMode::Recursive) {
                Ok(()) => {
                    self.watched.insert(path);
                }
                Err(e) => eprintln!("warning: cannot watch `{}`: {e}", path.display()),
            }
        }
        self.watched.retain(|p| p.is_dir());
    }
}

/// Turns absolute event paths into sorted, de-duplicated changes relative to `root`,
/// dropping ignored ones. A path that is now a folder (created or moved in) stands for every
/// file below it, since files written into a new folder before its watch was added would
/// otherwise be missed.
pub fn changes_below(root: &Path, paths: impl IntoIterator<Item = PathBuf>) -> Vec<Change> {
    let mut changes = BTreeSet::new();
    for path in paths {
        let Ok(relative) = path.strip_prefix(root) else {
            continue;
        };
        if path.is_dir() && !path.is_symlink() {
            if classify(relative) == ChangeKind::Ignored {
                continue;
            }
            for entry in walkdir::WalkDir::new(&path).into_iter().flatten() {
                if entry.file_type().is_file() {
                    if let Ok(rel) = entry.path().strip_prefix(root) {
                        changes.insert(Change::new(rel));
                    }
                }
            }
            continue;
        }
        changes.insert(Change::new(relative));
    }
    changes
        .into_iter()
        .filter(|c| c.kind != ChangeKind::Ignored)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_expand_a_new_folder_into_its_files() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/decisions/2025"))?;
        std::fs::write(root.join("content/decisions/2025/a.md"), "a")?;
        std::fs::write(root.join("content/decisions/2025/.a.md.swp"), "a")?;
        let changes = changes_below(
            root,
            [
                root.join("content/decisions/2025"),
                root.join("public/index.html"),
                PathBuf::from("/elsewhere/config.toml"),
            ],
        );
        assert_eq!(
            changes,
            vec![Change::new("content/decisions/2025/a.md")],
            "only the real file below the new folder"
        );
        Ok(())
    }

    #[test]
    fn can_report_real_edits_and_skip_an_ignored_folder() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        std::fs::create_dir_all(root.join("static"))?;
        let mut watcher = SiteWatcher::start(root, Duration::from_millis(20))?;
        watcher.ignore(&root.join("static/out"));
        std::fs::create_dir_all(root.join("static/out"))?;
        std::fs::write(root.join("static/out/x.css"), "x")?;
        std::fs::write(root.join("static/a.css"), "a")?;
        std::fs::write(root.join("config.toml"), "title = \"t\"")?;
        let mut seen = BTreeSet::new();
        let deadline = Instant::now() + Duration::from_secs(5);
        while seen.len() < 2 && Instant::now() < deadline {
            seen.extend(watcher.next_batch(Duration::from_millis(200)));
        }
        let expected = BTreeSet::from([Change::new("config.toml"), Change::new("static/a.css")]);
        assert_eq!(seen, expected);
        assert!(watcher.next_batch(Duration::from_millis(200)).is_empty());
        Ok(())
    }

    #[test]
    fn can_keep_removed_paths() {
        let root = Path::new("/site");
        let changes = changes_below(
            root,
            [
                root.join("content/decisions/gone.md"),
                root.join("content/decisions/gone.md"),
            ],
        );
        assert_eq!(changes, vec![Change::new("content/decisions/gone.md")]);
        assert_eq!(changes[0].kind, ChangeKind::Decision);
    }
}
