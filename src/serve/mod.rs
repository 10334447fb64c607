//! Local preview with live reload (`casebook serve`) and the rebuild loop it shares with
//! `casebook watch`.
//!
//! The preview holds the last good site in memory ([`state::Shared`]), serves it over HTTP
//! on loopback ([`http`]), and rebuilds through the narrow [`Rebuild`] contract whenever
//! the [`crate::watch::SiteWatcher`] reports changes. A failed rebuild keeps the last good
//! site and shows the errors in the terminal and, through [`livereload`], in the browser.
//! It never parses content or renders pages itself.

pub mod adapter;
pub mod background;
pub mod disk;
pub mod held;
pub mod http;
pub mod incremental;
pub mod listings;
pub mod livereload;
pub mod paths;
pub mod reach;
pub mod rebuild;
pub mod schedule;
pub mod state;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::Context;

pub use rebuild::{LiveSite, Rebuild, Rebuilt, SiteDelta, SiteFiles};
pub use state::Shared;

use crate::diagnostics::Diagnostic;
use crate::output::OutputFile;
use crate::watch::{Change, SiteWatcher};

/// How the preview listens.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The address to bind (loopback by default).
    pub bind: IpAddr,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// How long a changed path must be quiet before a rebuild.
    pub debounce: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self {
            bind: IpAddr::from([127, 0, 0, 1]),
            port: 1111,
            debounce: crate::watch::DEBOUNCE,
        }
    }
}

/// The warning to print when the preview is reachable from other machines.
pub fn bind_warning(bind: IpAddr) -> Option<String> {
    (!bind.is_loopback()).then(|| {
        format!(
            "warning: serving on {bind}, which other machines may reach; the preview is \
             meant for this machine only (use --bind 127.0.0.1)"
        )
    })
}

/// A running preview: the HTTP server plus the watch-and-rebuild thread. Dropping it stops
/// both.
#[derive(Debug)]
pub struct Preview {
    addr: SocketAddr,
    shared: Arc<Shared>,
    runtime: Option<tokio::runtime::Runtime>,
    stop: Arc<AtomicBool>,
    rebuilder: Option<JoinHandle<()>>,
}

impl Preview {
    /// Listens, watches `root`, builds the site with `rebuild`, and serves it. Returns once
    /// the first build is done; while it runs, pages say the site is building. A failed
    /// first build still serves (a page that shows the errors).
    pub fn start(
        root: &Path,
        rebuild: Box<dyn Rebuild>,
        options: &ServeOptions,
    ) -> anyhow::Result<Self> {
        // Listen first, so that a taken port fails at once, not after a long build.
        let listener = TcpListener::bind((options.bind, options.port))
            .with_context(|| format!("cannot listen on {}:{}", options.bind, options.port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let watcher = SiteWatcher::start(root, options.debounce)?;
        let shared = Arc::new(Shared::new());
        let runtime = spawn_server(listener, Arc::clone(&shared))?;

        let mut live = LiveSite::new(rebuild);
        let started = Instant::now();
        // The listings are answered as soon as they are made; a request for a page still
        // in the making waits for it.
        let first = live.build_in_stages(&|early| {
            eprintln!(
                "serving the first {} files (home page, listings) after {} ms",
                early.len(),
                started.elapsed().as_millis()
            );
            shared.expect_unseen_files();
            shared.publish(Rebuilt::Full(early), None);
        });
        report(&first, &[], started.elapsed(), watcher.root());
        let errors = errors_json(&first, watcher.root());
        match first {
            // Built already: the listings came first, and these are the rest.
            Rebuilt::Full(rest) if shared.is_built() => {
                shared.publish_rest(rest, live.deferred_due());
            }
            first => shared.publish(first, errors),
        }

        let stop = Arc::new(AtomicBool::new(false));
        let rebuilder = spawn_rebuilder(watcher, live, Arc::clone(&shared), Arc::clone(&stop))?;
        Ok(Self {
            addr,
            shared,
            runtime: Some(runtime),
            stop,
            rebuilder: Some(rebuilder),
        })
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The preview's state (for tests and tools).
    pub fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    /// Serves until Ctrl-C, then stops.
    pub fn wait_for_ctrl_c(mut self) -> anyhow::Result<()> {
        if let Some(runtime) = &self.runtime {
            runtime
                .block_on(tokio::signal::ctrl_c())
                .context("cannot wait for Ctrl-C")?;
        }
        self.shutdown();
        Ok(())
    }

    fn shutdown(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.rebuilder.take() {
            let _ = thread.join();
        }
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Starts the HTTP server on its own small runtime.
fn spawn_server(
    listener: TcpListener,
    shared: Arc<Shared>,
) -> anyhow::Result<tokio::runtime::Runtime> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the HTTP runtime")?;
    let app = http::router(shared);
    runtime.spawn(async move {
        match tokio::net::TcpListener::from_std(listener) {
            Ok(listener) => {
                if let Err(e) = axum::serve(listener, app).await {
                    eprintln!("error: the preview server stopped: {e}");
                }
            }
            Err(e) => eprintln!("error: cannot listen: {e}"),
        }
    });
    Ok(runtime)
}

/// The thread that rebuilds on every change; the files no page shows are redone on a
/// pool of their own, behind the server's answers (see [`background`]).
fn spawn_rebuilder(
    mut watcher: SiteWatcher,
    mut live: LiveSite,
    shared: Arc<Shared>,
    stop: Arc<AtomicBool>,
) -> anyhow::Result<JoinHandle<()>> {
    let pool = background::pool()?;
    std::thread::Builder::new()
        .name("casebook rebuild".into())
        .spawn(move || {
            run_rebuilds(
                &mut watcher,
                &mut live,
                &stop,
                Some(&pool),
                |rebuilt, root| {
                    let errors = errors_json(&rebuilt, root);
                    shared.publish(rebuilt, errors);
                },
            );
        })
        .context("cannot start the rebuild thread")
}

/// The loop `serve` and `watch` share: wait for changes, rebuild, report in the terminal,
/// hand the result to `apply`; until `stop` is set. The deferred work (the files no page
/// shows) runs on `background` when given, else on a thread of its own.
pub fn run_rebuilds(
    watcher: &mut SiteWatcher,
    live: &mut LiveSite,
    stop: &AtomicBool,
    background: Option<&rayon::ThreadPool>,
    mut apply: impl FnMut(Rebuilt, &Path),
) {
    // Files no page shows (data, search index, sitemap) are brought up to date when the
    // site has been quiet for a moment, on another thread where the builder allows it, so
    // that a run of saves is never held up by them. A result that a newer rebuild has
    // overtaken is dropped, and the work is done again for the newer site, when
    // `schedule` says so.
    let mut schedule = schedule::Schedule::new(Instant::now());
    // A first build may have left the deferred work to do: start it at the first quiet
    // moment.
    schedule.changed(Instant::now(), live.deferred_due());
    let mut generation = 0_u64;
    let mut running: Option<RunningDeferred> = None;
    while !stop.load(Ordering::SeqCst) {
        let changes = watcher.next_batch(Duration::from_millis(100));
        if let Some((more, took)) = finished(&mut running, generation, &mut schedule, live) {
            report(&more, &[], took, watcher.root());
            apply(more, watcher.root());
        }
        if changes.is_empty() {
            if running.is_none() && schedule.may_start(Instant::now()) {
                schedule.started();
                let started = Instant::now();
                if let Some(task) = live.deferred_task() {
                    let (tx, rx) = std::sync::mpsc::channel();
                    let job = move || {
                        let _ = tx.send(task());
                    };
                    match background {
                        Some(pool) => pool.spawn(job),
                        None => drop(std::thread::spawn(job)),
                    }
                    running = Some((generation, started, rx));
                } else if let Some(more) = live.deferred() {
                    report(&more, &[], started.elapsed(), watcher.root());
                    apply(more, watcher.root());
                }
            }
            continue;
        }
        let started = Instant::now();
        let rebuilt = live.rebuild(&changes);
        report(&rebuilt, &changes, started.elapsed(), watcher.root());
        if matches!(rebuilt, Rebuilt::Delta(_) | Rebuilt::Full(_)) {
            generation += 1;
        }
        schedule.changed(started, matches!(rebuilt, Rebuilt::Delta(_)));
        apply(rebuilt, watcher.root());
    }
}

/// The result of the deferred work `running`, when it has come and no rebuild has
/// overtaken it (made for site `generation`), with the time it took; taken from `live`.
fn finished(
    running: &mut Option<RunningDeferred>,
    generation: u64,
    schedule: &mut schedule::Schedule,
    live: &mut LiveSite,
) -> Option<(Rebuilt, Duration)> {
    let (made_at, started, rx) = running.as_ref()?;
    let result = rx.try_recv().ok()?;
    let (made_at, started) = (*made_at, *started);
    *running = None;
    if made_at != generation {
        schedule.overtaken(started.elapsed());
        return None;
    }
    schedule.accepted();
    let more = match result {
        Ok(files) => live.accept_deferred(files),
        Err(diagnostics) => Some(Rebuilt::Failed(diagnostics)),
    };
    more.map(|m| (m, started.elapsed()))
}

fn errors_json(rebuilt: &Rebuilt, root: &Path) -> Option<String> {
    match rebuilt {
        Rebuilt::Failed(diagnostics) => Some(livereload::overlay_json(root, diagnostics)),
        _ => None,
    }
}

/// A deferred task on its thread: the rebuild generation it was made for, when it
/// started, and where its files will arrive.
type RunningDeferred = (
    u64,
    Instant,
    std::sync::mpsc::Receiver<Result<Vec<OutputFile>, Vec<Diagnostic>>>,
);

/// Prints what a rebuild did, or its errors with snippets, to the terminal.
pub fn report(rebuilt: &Rebuilt, changes: &[Change], took: Duration, root: &Path) {
    let what = match changes {
        [] => String::new(),
        [one] => format!(" after a change to {}", one.path.display()),
        many => format!(" after {} changes", many.len()),
    };
    let ms = took.as_secs_f64() * 1000.0;
    match rebuilt {
        Rebuilt::Full(files) => eprintln!("built {} files in {ms:.0} ms{what}", files.len()),
        Rebuilt::Delta(delta) => {
            eprintln!("rebuilt {} files in {ms:.0} ms{what}", delta.len());
        }
        Rebuilt::Deferred(delta) => {
            eprintln!(
                "then {} more files (no page shows them) in {ms:.0} ms",
                delta.len()
            );
        }
        Rebuilt::Failed(diagnostics) => {
            eprintln!("build failed{what}:");
            for d in diagnostics {
                eprintln!("{}", render_with_source(d, root));
            }
            eprintln!("the last good site stays in place; fix and save, and it rebuilds");
        }
    }
}

fn render_with_source(d: &Diagnostic, root: &Path) -> String {
    let path: PathBuf = root.join(&d.path);
    d.render(std::fs::read_to_string(path).ok().as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_warn_only_off_loopback() {
        assert_eq!(bind_warning(IpAddr::from([127, 0, 0, 1])), None);
        assert_eq!(
            bind_warning("::1".parse().unwrap_or(IpAddr::from([0; 4]))),
            None
        );
        assert!(bind_warning(IpAddr::from([0, 0, 0, 0])).is_some());
        assert!(bind_warning(IpAddr::from([192, 168, 1, 2])).is_some());
    }
}
