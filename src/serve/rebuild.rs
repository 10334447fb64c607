//! The contract between the preview and the site builder: [`Rebuild`] turns the site's
//! folder into [`SiteFiles`] (everything) or a [`SiteDelta`] (what a batch of changes
//! touched). [`LiveSite`] drives a `Rebuild` through a series of change batches, keeping
//! the changes of a failed rebuild so that the next one covers them. No IO, no HTTP.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;

use axum::body::Bytes;

use super::held::HeldFile;
use crate::diagnostics::Diagnostic;
use crate::output::OutputFile;
use crate::watch::Change;

/// Builds a site, fully or incrementally. Implemented over the real build by
/// [`crate::serve::adapter`], and by fakes in tests.
pub trait Rebuild: Send {
    /// Builds every file of the site from the sources on disk. `Err` carries every problem
    /// that stopped the build (warnings go to the terminal, not here).
    fn full(&mut self) -> Result<SiteFiles, Vec<Diagnostic>>;

    /// Brings the site up to date after `changes`.
    ///
    /// `changes` lists every source path that changed since the last call that returned
    /// `Ok` (the caller re-sends the changes of failed calls), so the result, applied to the
    /// files of that last good build, must give exactly what [`Rebuild::full`] would give
    /// now. A change may name a created, modified or removed file (look at the disk); the
    /// same path may be sent again after a failure, so handling a change must be
    /// idempotent. Returning a delta that replaces the whole site (see [`SiteDelta::full`]) is always
    /// correct; for a changed decision the fast path re-renders its page and the pages, feeds
    /// and data files that list it, and nothing else.
    fn changed(&mut self, changes: &[Change]) -> Result<SiteDelta, Vec<Diagnostic>>;

    /// Files that the last successful `changed` left out because no open page shows them
    /// (data exports, search index, feeds, sitemap), rendered after its delta was served so
    /// that they do not hold up the browser's reload. They are published without a reload.
    /// If this fails, the builder keeps them stale and returns them from the next call.
    /// The default defers nothing.
    fn deferred(&mut self) -> Result<SiteDelta, Vec<Diagnostic>> {
        Ok(SiteDelta::default())
    }

    /// The deferred work as a task that can run on another thread while the preview keeps
    /// answering changes; its files are handed back through [`Rebuild::accept_deferred`].
    /// `None` (the default) means: call [`Rebuild::deferred`] instead.
    fn deferred_task(&mut self) -> Option<DeferredTask> {
        None
    }

    /// A whole build that may hand some files to `early` before the rest (the listings,
    /// so that the home page can be answered while the decision pages render), returning
    /// the files it did not hand over. The default builds at once: [`Rebuild::full`].
    fn full_in_stages(
        &mut self,
        _early: &(dyn Fn(SiteFiles) + Sync),
    ) -> Result<SiteFiles, Vec<Diagnostic>> {
        self.full()
    }

    /// True when deferred work is due: some files no page shows are missing or out of
    /// date (after a first build that left them for later, `serve` holds back a request
    /// for a missing file until they arrive).
    fn deferred_due(&self) -> bool {
        false
    }

    /// Takes the files of a finished [`DeferredTask`] and returns what changed. Only called
    /// when no rebuild happened since the task was made.
    fn accept_deferred(&mut self, files: Vec<OutputFile>) -> SiteDelta {
        SiteDelta {
            written: files,
            ..SiteDelta::default()
        }
    }
}

/// Deferred work that runs apart from the builder (see [`Rebuild::deferred_task`]).
pub type DeferredTask = Box<dyn FnOnce() -> Result<Vec<OutputFile>, Vec<Diagnostic>> + Send>;

/// Every file of a built site, by path relative to the site root (`decisions/x/index.html`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteFiles {
    files: HashMap<String, HeldFile>,
}

impl SiteFiles {
    /// An empty site.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds or replaces one file. The preview holds every file for as long as it runs, so
    /// files are held compressed (see [`HeldFile`]).
    pub fn insert(&mut self, file: OutputFile) {
        self.files.insert(file.path, HeldFile::new(file.bytes));
    }

    /// Adds or replaces one file already held.
    pub fn insert_held(&mut self, path: String, file: HeldFile) {
        self.files.insert(path, file);
    }

    /// Removes one file, saying whether it was there.
    pub fn remove(&mut self, path: &str) -> bool {
        self.files.remove(path).is_some()
    }

    /// The bytes of one file.
    pub fn get(&self, path: &str) -> Option<Bytes> {
        self.files.get(path).map(HeldFile::bytes)
    }

    /// One file as held (cheap to clone; [`HeldFile::bytes`] gives its bytes).
    pub fn held(&self, path: &str) -> Option<&HeldFile> {
        self.files.get(path)
    }

    /// The bytes the files take in memory, compressed as they are held.
    pub fn held_len(&self) -> usize {
        self.files.values().map(HeldFile::held_len).sum()
    }

    /// True when the file exists.
    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// The number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True for a site with no files.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Every file's path and bytes, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Bytes)> {
        self.files
            .iter()
            .map(|(path, held)| (path.as_str(), held.bytes()))
    }

    /// Adds every file of `other`, replacing those of the same path.
    pub fn extend(&mut self, other: SiteFiles) {
        self.files.extend(other.files);
    }

    /// Applies a delta: replaces everything with `delta.whole` when it is set, then writes
    /// and removes the files it names.
    pub fn apply(&mut self, delta: SiteDelta) {
        if let Some(whole) = delta.whole {
            *self = whole;
        }
        for file in delta.written {
            self.insert(file);
        }
        for path in &delta.removed {
            self.files.remove(path);
        }
    }
}

impl FromIterator<OutputFile> for SiteFiles {
    fn from_iter<I: IntoIterator<Item = OutputFile>>(iter: I) -> Self {
        let mut site = Self::new();
        for file in iter {
            site.insert(file);
        }
        site
    }
}

/// What a rebuild changed in the built site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteDelta {
    /// Files added or replaced.
    pub written: Vec<OutputFile>,
    /// Paths of files that no longer exist.
    pub removed: Vec<String>,
    /// The whole site, as held, when the rebuild made every file again: every file not in
    /// it is gone (kept as held, so a whole rebuild is never copied out uncompressed).
    pub whole: Option<SiteFiles>,
}

impl SiteDelta {
    /// A delta that replaces the whole site with `files`.
    pub fn full(files: SiteFiles) -> Self {
        Self {
            whole: Some(files),
            ..Self::default()
        }
    }

    /// True when the delta replaces the whole site.
    pub fn replaces_all(&self) -> bool {
        self.whole.is_some()
    }

    /// The number of files written plus removed.
    pub fn len(&self) -> usize {
        self.whole.as_ref().map_or(0, SiteFiles::len) + self.written.len() + self.removed.len()
    }

    /// True when nothing changed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0 && !self.replaces_all()
    }
}

/// The result of one rebuild step.
#[derive(Debug)]
pub enum Rebuilt {
    /// The first good build, or a full one after the site never built: the whole site.
    Full(SiteFiles),
    /// An incremental rebuild.
    Delta(SiteDelta),
    /// Files rendered after a delta (see [`Rebuild::deferred`]): no reload needed.
    Deferred(SiteDelta),
    /// The build failed; the last good site stays.
    Failed(Vec<Diagnostic>),
}

/// Drives a [`Rebuild`] through change batches: full until the first success, then
/// incremental, re-sending the changes of failed steps until one succeeds.
pub struct LiveSite {
    rebuild: Box<dyn Rebuild>,
    built: bool,
    pending: BTreeMap<PathBuf, Change>,
}

impl std::fmt::Debug for LiveSite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveSite")
            .field("built", &self.built)
            .field("pending", &self.pending.len())
            .finish_non_exhaustive()
    }
}

impl LiveSite {
    /// Wraps a builder; nothing is built yet.
    pub fn new(rebuild: Box<dyn Rebuild>) -> Self {
        Self {
            rebuild,
            built: false,
            pending: BTreeMap::new(),
        }
    }

    /// Builds the whole site.
    pub fn build_full(&mut self) -> Rebuilt {
        match self.guarded(|rebuild| rebuild.full()) {
            Ok(files) => {
                self.built = true;
                self.pending.clear();
                Rebuilt::Full(files)
            }
            Err(diagnostics) => Rebuilt::Failed(diagnostics),
        }
    }

    /// The first build, in stages where the builder allows it (see
    /// [`Rebuild::full_in_stages`]): `Full` holds the files not handed to `early`.
    pub fn build_in_stages(&mut self, early: &(dyn Fn(SiteFiles) + Sync)) -> Rebuilt {
        match self.guarded(|rebuild| rebuild.full_in_stages(early)) {
            Ok(files) => {
                self.built = true;
                self.pending.clear();
                Rebuilt::Full(files)
            }
            Err(diagnostics) => Rebuilt::Failed(diagnostics),
        }
    }

    /// Rebuilds after a batch of changes (plus any left over from failed steps).
    pub fn rebuild(&mut self, changes: &[Change]) -> Rebuilt {
        if !self.built {
            return self.build_full();
        }
        for change in changes {
            self.pending.insert(change.path.clone(), change.clone());
        }
        let all: Vec<Change> = self.pending.values().cloned().collect();
        match self.guarded(|rebuild| rebuild.changed(&all)) {
            Ok(delta) => {
                self.pending.clear();
                Rebuilt::Delta(delta)
            }
            Err(diagnostics) => Rebuilt::Failed(diagnostics),
        }
    }

    /// The deferred part of the last incremental rebuild, if there is any.
    pub fn deferred(&mut self) -> Option<Rebuilt> {
        match self.guarded(|rebuild| rebuild.deferred()) {
            Ok(delta) if delta.is_empty() => None,
            Ok(delta) => Some(Rebuilt::Deferred(delta)),
            Err(diagnostics) => Some(Rebuilt::Failed(diagnostics)),
        }
    }

    /// The deferred work of the last incremental rebuild as a task for another thread, if
    /// the builder offers one.
    pub fn deferred_task(&mut self) -> Option<DeferredTask> {
        self.guarded(|rebuild| Ok(rebuild.deferred_task()))
            .ok()
            .flatten()
    }

    /// True when the builder has deferred work to do.
    pub fn deferred_due(&self) -> bool {
        self.rebuild.deferred_due()
    }

    /// Hands the files of a finished deferred task back to the builder.
    pub fn accept_deferred(&mut self, files: Vec<OutputFile>) -> Option<Rebuilt> {
        match self.guarded(|rebuild| Ok(rebuild.accept_deferred(files))) {
            Ok(delta) if delta.is_empty() => None,
            Ok(delta) => Some(Rebuilt::Deferred(delta)),
            Err(diagnostics) => Some(Rebuilt::Failed(diagnostics)),
        }
    }

    /// Runs one step of the builder; a panic becomes an error (the preview goes on), and
    /// since the builder may be half-updated, the next step is a full build.
    fn guarded<T>(
        &mut self,
        step: impl FnOnce(&mut dyn Rebuild) -> Result<T, Vec<Diagnostic>>,
    ) -> Result<T, Vec<Diagnostic>> {
        let rebuild = &mut *self.rebuild;
        match std::panic::catch_unwind(AssertUnwindSafe(|| step(rebuild))) {
            Ok(result) => result,
            Err(panic) => {
                self.built = false;
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "no message".to_string());
                Err(vec![Diagnostic::error(
                    "(the site build)",
                    format!("the build crashed: {what}"),
                )
                .expected("no crash: please report this as a casebook bug")])
            }
        }
    }

    /// Paths whose changes a failed step left to the next one.
    pub fn pending(&self) -> BTreeSet<PathBuf> {
        self.pending.keys().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.to_string(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn can_apply_partial_and_full_deltas() {
        let mut site: SiteFiles = [file("a.html", "a"), file("b.html", "b")]
            .into_iter()
            .collect();
        site.apply(SiteDelta {
            written: vec![file("a.html", "A"), file("c.html", "c")],
            removed: vec!["b.html".to_string()],
            whole: None,
        });
        assert_eq!(site.get("a.html").as_deref(), Some(&b"A"[..]));
        assert!(site.contains("c.html") && !site.contains("b.html"));
        let only: SiteFiles = [file("z.html", "z")].into_iter().collect();
        site.apply(SiteDelta::full(only.clone()));
        assert_eq!(site, only);
    }

    /// Fails while `fail` is set; records what `changed` was given.
    struct Flaky {
        fail: std::sync::Arc<std::sync::atomic::AtomicBool>,
        seen: std::sync::Arc<std::sync::Mutex<Vec<Vec<Change>>>>,
    }

    impl Rebuild for Flaky {
        fn full(&mut self) -> Result<SiteFiles, Vec<Diagnostic>> {
            if self.fail.load(std::sync::atomic::Ordering::SeqCst) {
                return Err(vec![Diagnostic::error("x", "broken")]);
            }
            Ok(SiteFiles::new())
        }
        fn changed(&mut self, changes: &[Change]) -> Result<SiteDelta, Vec<Diagnostic>> {
            if let Ok(mut seen) = self.seen.lock() {
                seen.push(changes.to_vec());
            }
            self.full().map(SiteDelta::full)
        }
    }

    /// Panics on every incremental step.
    struct Crashy;

    impl Rebuild for Crashy {
        fn full(&mut self) -> Result<SiteFiles, Vec<Diagnostic>> {
            Ok(SiteFiles::new())
        }
        fn changed(&mut self, _: &[Change]) -> Result<SiteDelta, Vec<Diagnostic>> {
            panic!("index out of bounds")
        }
    }

    #[test]
    fn can_turn_a_crash_into_an_error_and_rebuild_fully_next() {
        let mut live = LiveSite::new(Box::new(Crashy));
        assert!(matches!(live.build_full(), Rebuilt::Full(_)));
        let Rebuilt::Failed(errors) = live.rebuild(&[Change::new("content/a.md")]) else {
            panic!("a crash must fail the step");
        };
        assert!(
            errors[0].message.contains("index out of bounds"),
            "{errors:?}"
        );
        // The builder may be half-updated: the next step starts again from scratch.
        assert!(matches!(live.rebuild(&[]), Rebuilt::Full(_)));
    }

    #[test]
    fn can_resend_changes_of_a_failed_step() {
        let fail = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let seen = std::sync::Arc::default();
        let mut live = LiveSite::new(Box::new(Flaky {
            fail: fail.clone(),
            seen: std::sync::Arc::clone(&seen),
        }));
        assert!(matches!(live.build_full(), Rebuilt::Failed(_)));
        fail.store(false, std::sync::atomic::Ordering::SeqCst);
        // Never built: the next step is a full build.
        assert!(matches!(
            live.rebuild(&[Change::new("content/a.md")]),
            Rebuilt::Full(_)
        ));
        fail.store(true, std::sync::atomic::Ordering::SeqCst);
        assert!(matches!(
            live.rebuild(&[Change::new("content/a.md")]),
            Rebuilt::Failed(_)
        ));
        fail.store(false, std::sync::atomic::Ordering::SeqCst);
        assert!(matches!(
            live.rebuild(&[Change::new("content/b.md")]),
            Rebuilt::Delta(_)
        ));
        let seen = seen.lock().map(|s| s.clone()).unwrap_or_default();
        assert_eq!(
            seen.last().cloned(),
            Some(vec![
                Change::new("content/a.md"),
                Change::new("content/b.md")
            ])
        );
        assert!(live.pending().is_empty());
    }
}
