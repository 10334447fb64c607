//! What the preview server holds: the last good site in memory, the current build errors
//! (if the last rebuild failed), a version that changes with every good rebuild, and the
//! broadcast channel that tells browsers to reload or show the errors. One value, shared by
//! the HTTP handlers and the rebuild thread: no globals.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{PoisonError, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use tokio::sync::{broadcast, watch};

use super::rebuild::{Rebuilt, SiteFiles};

/// A message to every connected browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveEvent {
    /// The site changed: reload the page.
    Reload,
    /// The last rebuild failed: show these errors (JSON, see `livereload::overlay_json`).
    Errors(String),
    /// The errors are gone and nothing else changed: hide the overlay.
    Ok,
}

/// The preview's state.
#[derive(Debug)]
pub struct Shared {
    site: RwLock<Snapshot>,
    /// True while the rest of a first build that came in stages (decision pages, then the
    /// search index and data) is still being made: a request for a missing file waits.
    unseen_pending: watch::Sender<bool>,
    events: broadcast::Sender<LiveEvent>,
    instance: u128,
    pages_sent: AtomicU64,
}

#[derive(Debug, Default)]
struct Snapshot {
    files: SiteFiles,
    errors: Option<String>,
    generation: u64,
    built: bool,
}

impl Default for Shared {
    fn default() -> Self {
        Self::new()
    }
}

impl Shared {
    /// An empty preview: no site yet, no errors.
    pub fn new() -> Self {
        let (events, _) = broadcast::channel(64);
        let instance = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Self {
            site: RwLock::new(Snapshot::default()),
            unseen_pending: watch::channel(false).0,
            events,
            instance,
            pages_sent: AtomicU64::new(0),
        }
    }

    /// Takes in the result of a rebuild; `errors_json` is the overlay payload for a failure.
    /// Tells the browsers what happened.
    pub fn publish(&self, rebuilt: Rebuilt, errors_json: Option<String>) {
        // The missing files have come (or will not: the build failed, and the request
        // gets its answer from the last good site).
        let settles = match &rebuilt {
            Rebuilt::Deferred(_) | Rebuilt::Failed(_) => true,
            Rebuilt::Delta(delta) => delta.replaces_all(),
            Rebuilt::Full(_) => false,
        };
        let event = {
            let mut site = self.site.write().unwrap_or_else(PoisonError::into_inner);
            // Errors stand until a rebuild succeeds. The deferred files of an earlier,
            // good site can arrive after a save that broke the site: they are served (the
            // last good site is), but the errors are still the site's.
            let had_errors = match rebuilt {
                Rebuilt::Deferred(_) => false,
                _ => site.errors.take().is_some(),
            };
            match rebuilt {
                Rebuilt::Full(files) => {
                    site.files = files;
                    site.built = true;
                    site.generation += 1;
                    Some(LiveEvent::Reload)
                }
                Rebuilt::Delta(delta) if !delta.is_empty() => {
                    site.files.apply(delta);
                    site.generation += 1;
                    Some(LiveEvent::Reload)
                }
                Rebuilt::Delta(_) => had_errors.then_some(LiveEvent::Ok),
                Rebuilt::Deferred(delta) => {
                    site.files.apply(delta);
                    None
                }
                Rebuilt::Failed(_) => {
                    let json = errors_json.unwrap_or_else(|| "[]".to_string());
                    site.errors = Some(json.clone());
                    Some(LiveEvent::Errors(json))
                }
            }
        };
        if settles {
            self.unseen_pending.send_replace(false);
        }
        if let Some(event) = event {
            // No receivers just means no browser is connected.
            let _ = self.events.send(event);
        }
    }

    /// Adds the rest of a first build that came in stages (the decision pages after the
    /// listings): no reload, as no page already shown changed. Requests for missing files
    /// go on waiting while `more_to_come` (the search index and data files).
    pub fn publish_rest(&self, rest: SiteFiles, more_to_come: bool) {
        {
            let mut site = self.site.write().unwrap_or_else(PoisonError::into_inner);
            site.files.extend(rest);
        }
        if !more_to_come {
            self.unseen_pending.send_replace(false);
        }
    }

    /// Says that some files are still being made (the rest of a first build that comes in
    /// stages); the next deferred result (or a failure) settles it.
    pub fn expect_unseen_files(&self) {
        self.unseen_pending.send_replace(true);
    }

    /// Waits, at most `limit`, until no files no page shows are being made. True when
    /// there was something to wait for.
    pub async fn unseen_files_made(&self, limit: std::time::Duration) -> bool {
        let mut pending = self.unseen_pending.subscribe();
        if !*pending.borrow() {
            return false;
        }
        let _ = tokio::time::timeout(limit, pending.wait_for(|p| !*p)).await;
        true
    }

    /// Counts one HTML page sent with status 200 (each carries the live-reload script).
    pub fn count_page_sent(&self) {
        self.pages_sent.fetch_add(1, Ordering::Relaxed);
    }

    /// How many HTML pages were sent with status 200 so far: a reloading browser shows up here.
    pub fn pages_sent(&self) -> u64 {
        self.pages_sent.load(Ordering::Relaxed)
    }

    /// How many browsers listen for live events now.
    pub fn listeners(&self) -> usize {
        self.events.receiver_count()
    }

    /// A new subscription to live events.
    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.events.subscribe()
    }

    /// The site's version, unique to this server process: it changes with every good
    /// rebuild, so a browser that reconnects can tell whether it missed one.
    pub fn version(&self) -> String {
        let site = self.site.read().unwrap_or_else(PoisonError::into_inner);
        format!("{:x}-{}", self.instance, site.generation)
    }

    /// The current errors' overlay payload, if the last rebuild failed.
    pub fn errors(&self) -> Option<String> {
        let site = self.site.read().unwrap_or_else(PoisonError::into_inner);
        site.errors.clone()
    }

    /// True once a build succeeded.
    pub fn is_built(&self) -> bool {
        self.site
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .built
    }

    /// The bytes of one built file.
    pub fn file(&self, path: &str) -> Option<Bytes> {
        let held = {
            let site = self.site.read().unwrap_or_else(PoisonError::into_inner);
            site.files.held(path).cloned()
        };
        // Decompressed outside the lock, so that a rebuild is never kept waiting.
        held.map(|file| file.bytes())
    }

    /// Runs `f` with read access to the built files.
    pub fn with_files<T>(&self, f: impl FnOnce(&SiteFiles) -> T) -> T {
        let site = self.site.read().unwrap_or_else(PoisonError::into_inner);
        f(&site.files)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostic;
    use crate::output::OutputFile;
    use crate::serve::rebuild::SiteDelta;

    fn site(text: &str) -> SiteFiles {
        [OutputFile {
            path: "index.html".into(),
            bytes: text.as_bytes().to_vec(),
        }]
        .into_iter()
        .collect()
    }

    #[test]
    fn can_keep_the_last_good_site_when_a_rebuild_fails() {
        let shared = Shared::new();
        let mut events = shared.subscribe();
        shared.publish(Rebuilt::Full(site("one")), None);
        let v1 = shared.version();
        shared.publish(
            Rebuilt::Failed(vec![Diagnostic::error("a.md", "bad")]),
            Some("[1]".into()),
        );
        assert_eq!(shared.file("index.html").as_deref(), Some(&b"one"[..]));
        assert_eq!(shared.errors().as_deref(), Some("[1]"));
        assert_eq!(shared.version(), v1, "a failure is no new version");
        shared.publish(Rebuilt::Delta(SiteDelta::default()), None);
        assert_eq!(shared.errors(), None);
        let got: Vec<LiveEvent> = std::iter::from_fn(|| events.try_recv().ok()).collect();
        assert_eq!(
            got,
            vec![
                LiveEvent::Reload,
                LiveEvent::Errors("[1]".into()),
                LiveEvent::Ok
            ]
        );
    }

    #[test]
    fn keeps_the_errors_when_deferred_files_of_the_last_good_site_arrive() {
        let shared = Shared::new();
        let mut events = shared.subscribe();
        shared.publish(Rebuilt::Full(site("one")), None);
        // A save breaks the site while the search index of the good one is being made.
        shared.publish(
            Rebuilt::Failed(vec![Diagnostic::error("a.md", "bad")]),
            Some("[1]".into()),
        );
        let mut delta = SiteDelta::default();
        delta.written.push(OutputFile {
            path: "search/index.json".into(),
            bytes: b"{}".to_vec(),
        });
        shared.publish(Rebuilt::Deferred(delta), None);
        assert_eq!(
            shared.file("search/index.json").as_deref(),
            Some(&b"{}"[..]),
            "served: the last good site is"
        );
        assert_eq!(shared.errors().as_deref(), Some("[1]"), "still broken");
        let got: Vec<LiveEvent> = std::iter::from_fn(|| events.try_recv().ok()).collect();
        assert_eq!(
            got,
            vec![LiveEvent::Reload, LiveEvent::Errors("[1]".into())],
            "the overlay stays"
        );
        shared.publish(Rebuilt::Delta(SiteDelta::default()), None);
        assert_eq!(shared.errors(), None, "a good rebuild clears them");
    }

    #[test]
    fn holds_back_a_missing_file_until_the_deferred_files_arrive() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("runtime");
        let shared = std::sync::Arc::new(Shared::new());
        shared.publish(Rebuilt::Full(site("one")), None);
        let limit = std::time::Duration::from_secs(30);
        assert!(
            !runtime.block_on(shared.unseen_files_made(limit)),
            "nothing pending"
        );
        shared.expect_unseen_files();
        let waiter = {
            let shared = std::sync::Arc::clone(&shared);
            std::thread::spawn(move || {
                let started = std::time::Instant::now();
                let waited = runtime.block_on(shared.unseen_files_made(limit));
                (waited, started.elapsed(), shared.file("search/index.json"))
            })
        };
        std::thread::sleep(std::time::Duration::from_millis(200));
        let mut delta = SiteDelta::default();
        delta.written.push(OutputFile {
            path: "search/index.json".into(),
            bytes: b"{}".to_vec(),
        });
        shared.publish(Rebuilt::Deferred(delta), None);
        let (waited, took, file) = waiter.join().expect("waiter");
        assert!(waited);
        assert!(took >= std::time::Duration::from_millis(150), "{took:?}");
        assert!(took < limit, "woken by the deferred files, not the limit");
        assert_eq!(file.as_deref(), Some(&b"{}"[..]));
    }

    #[test]
    fn stops_holding_back_when_the_deferred_work_fails() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("runtime");
        let shared = Shared::new();
        shared.expect_unseen_files();
        shared.publish(
            Rebuilt::Failed(vec![Diagnostic::error("a.md", "bad")]),
            None,
        );
        let started = std::time::Instant::now();
        runtime.block_on(shared.unseen_files_made(std::time::Duration::from_secs(30)));
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }
}
