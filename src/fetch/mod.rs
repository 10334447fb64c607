//! `casebook fetch`: decisions from the Ombudsman's website into `sources/`.
//!
//! Network I/O at the edge of the pipeline: `client` (the polite HTTP client, the only
//! code that talks to the network), `robots` (robots.txt rules), `listing` (search
//! results and decision pages read as data, pure), `state` (which date windows are done)
//! and `store` (the raw pages in `sources/`). [`Fetcher`] walks them in order (`windows`
//! walks the search results, a date window at a time) and returns the pages it kept;
//! `cmd::fetch` hands those to `import`, which turns them into content files. Nothing here
//! writes `content/`, and nothing here ever deletes a page. `lock` keeps two fetches of
//! one site from running at once; `contact` says who is fetching.

pub mod client;
mod contact;
pub mod listing;
mod lock;
pub mod robots;
pub mod state;
pub mod store;
mod windows;

pub use lock::{lock, Lock};

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use chrono::{Days, NaiveDate};
use url::Url;

use client::{Answer, Client, FetchError, Validators};
use listing::{DecisionUrl, PageKind, Window};
use robots::Robots;
use state::{FetchState, Filter};
use store::{Saved, Store};

use crate::config::Settings;

/// After this many failures in a row to reach the website, the run stops.
const UNREACHABLE_LIMIT: usize = 3;

/// After this many addresses in a row on which the website asked casebook to slow down
/// (every retry refused, or a longer wait than casebook makes), the run stops: one address
/// refused may be that page's fault, two in a row are the website's answer.
const SLOW_DOWN_LIMIT: usize = 2;

/// What to fetch.
#[derive(Debug, Clone, Default)]
pub struct FetchOptions {
    /// Decision pages named on the command line.
    pub urls: Vec<String>,
    /// Walk the search results from this day...
    pub since: Option<NaiveDate>,
    /// ... to this day (default: today).
    pub until: Option<NaiveDate>,
    /// Keep only decisions in this category slug.
    pub category: Option<String>,
    /// Keep only decisions in this subcategory slug.
    pub subcategory: Option<String>,
    /// Seconds between requests, replacing `[fetch] delay`.
    pub delay: Option<Duration>,
}

/// What a fetch did.
#[derive(Debug, Clone, Default)]
pub struct FetchReport {
    /// Date windows of the plan that are done: walked to the end in this run, or before it
    /// and not walked again.
    pub windows_done: usize,
    /// Date windows in the plan.
    pub windows_planned: usize,
    /// Decision links found in the search results.
    pub links: usize,
    /// Of those, the links `--category` and `--subcategory` keep (all of them without).
    pub wanted: usize,
    /// Pages downloaded and kept (new or changed).
    pub fetched: usize,
    /// Pages the website said had not changed (304), or served with the same bytes.
    pub unchanged: usize,
    /// Pages already in `sources/`, not downloaded again.
    pub already_had: usize,
    /// Every failure: the address and what happened.
    pub failures: Vec<String>,
    /// Every page this run fetched or found already kept, for `import`.
    pub pages: Vec<PathBuf>,
    /// True when Ctrl-C stopped the run.
    pub interrupted: bool,
}

/// Told about progress as it happens (a progress bar, a log).
pub trait Observer {
    /// The counts changed.
    fn progress(&mut self, report: &FetchReport);
    /// Something failed: `message` names the address and what happened.
    fn failure(&mut self, message: &str);
}

/// Stops a walk: the run was interrupted, the website cannot be reached or asked
/// casebook to slow down, or the disk is full.
#[derive(Debug)]
struct Stop;

/// Whether the walk of a window goes on after a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Go,
    /// The decision's address answered with something else (a captcha, the search page):
    /// the window's other decisions would too.
    StopWindow,
}

/// One fetch run over one website.
pub struct Fetcher<'a> {
    root: PathBuf,
    client: Client,
    store: Store,
    state: FetchState,
    report: FetchReport,
    seen: HashSet<String>,
    unreachable_in_a_row: usize,
    slowed_in_a_row: usize,
    /// The decisions the windows keep.
    filter: Filter,
    /// How long after its end a window is walked again.
    revisit: Days,
    observer: &'a mut dyn Observer,
}

/// Runs a fetch for the site described by `settings`.
pub fn fetch(
    settings: &Settings,
    options: &FetchOptions,
    interrupted: Arc<AtomicBool>,
    observer: &mut dyn Observer,
) -> anyhow::Result<FetchReport> {
    let mut fetcher = Fetcher::new(settings, options, interrupted, observer)?;
    let windows = fetcher.plan(options)?;
    fetcher.report.windows_planned = windows.len();
    if fetcher.read_robots().is_ok() {
        let _ = fetcher.run(options, &windows);
    }
    Ok(fetcher.finish())
}

impl<'a> Fetcher<'a> {
    fn new(
        settings: &Settings,
        options: &FetchOptions,
        interrupted: Arc<AtomicBool>,
        observer: &'a mut dyn Observer,
    ) -> anyhow::Result<Self> {
        let fetch = &settings.config.fetch;
        crate::config::check_fetch_source(&fetch.source)
            .map_err(|(m, e)| anyhow::anyhow!("[fetch] source: {m} (expected {e})"))?;
        let origin = Url::parse(&fetch.source)?;
        let contact = contact::contact(&fetch.contact, &settings.config.base_url, &origin)?;
        let mut config = fetch.clone();
        if let Some(delay) = options.delay {
            config.delay = delay;
        }
        let store = Store::new(&settings.root);
        // What a killed fetch left: temporary files of a page, sidecar or state write that
        // never finished (the import that follows clears its own in `content/`).
        crate::fs::remove_stale_temporaries(store.dir());
        let state = FetchState::load(&settings.root)?;
        // The pages of windows an earlier fetch finished but did not import (killed first).
        let report = FetchReport {
            pages: state.unimported_pages(&settings.root),
            ..FetchReport::default()
        };
        Ok(Self {
            client: Client::new(origin, &config, &contact, interrupted),
            store,
            state,
            root: settings.root.clone(),
            report,
            seen: HashSet::new(),
            unreachable_in_a_row: 0,
            slowed_in_a_row: 0,
            filter: Filter::new(options.category.as_deref(), options.subcategory.as_deref()),
            revisit: Days::new(u64::from(fetch.revisit_days)),
            observer,
        })
    }

    /// The date windows to walk: those asked for, or what the last fetches left to walk
    /// (see [`FetchState::windows_to_walk`]).
    fn plan(&self, options: &FetchOptions) -> anyhow::Result<Vec<Window>> {
        let today = chrono::Utc::now().date_naive();
        let until = options.until.unwrap_or(today);
        let Some(since) = options.since else {
            if !options.urls.is_empty() {
                return Ok(Vec::new());
            }
            let plan = self
                .state
                .windows_to_walk(&self.filter, self.revisit, until)
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "nothing to fetch: no earlier fetch {}to go on from ({}); give `--since YYYY-MM-DD` or decision addresses",
                        if self.filter == Filter::default() {
                            "of every decision "
                        } else {
                            "of these decisions "
                        },
                        state::state_path(&self.root).display()
                    )
                })?;
            return Ok(plan
                .into_iter()
                .filter(|w| w.from <= until)
                .map(|w| Window {
                    from: w.from,
                    to: w.to.min(until),
                })
                .collect());
        };
        if until < since {
            match options.until {
                Some(_) => anyhow::bail!("--until {until} is before --since {since}"),
                None => anyhow::bail!("--since {since} is after today ({today})"),
            }
        }
        Ok(listing::month_windows(since, until))
    }

    fn read_robots(&mut self) -> Result<(), Stop> {
        let mut url = self.client.origin().clone();
        url.set_path("/robots.txt");
        url.set_query(None);
        match self.client.get(&url, &Validators::default(), None) {
            // The client checks every request it makes against them, redirects too.
            Ok(Answer::Page(page)) => self.client.obey(Robots::parse(&page.body)),
            Ok(Answer::NotModified) | Err(FetchError::Status(400..=499)) => {}
            Err(FetchError::Interrupted) => {
                self.report.interrupted = true;
                return Err(Stop);
            }
            Err(e) => {
                self.fail(format!(
                    "{url}: could not read robots.txt: {e}; nothing was fetched"
                ));
                return Err(Stop);
            }
        }
        Ok(())
    }

    fn run(&mut self, options: &FetchOptions, windows: &[Window]) -> Result<(), Stop> {
        for raw in &options.urls {
            match self.named_url(raw) {
                Ok(link) => {
                    self.decision(&link, true)?;
                }
                Err(message) => self.fail(message),
            }
        }
        if windows.is_empty() {
            return Ok(());
        }
        let referer = self.open_session()?;
        for &window in windows {
            if self.state.is_done(window, &self.filter, self.revisit) {
                self.report.windows_done += 1;
                continue;
            }
            self.window(window, &referer)?;
        }
        Ok(())
    }

    fn named_url(&self, raw: &str) -> Result<DecisionUrl, String> {
        let url = Url::parse(raw).or_else(|_| self.client.origin().join(raw));
        let url = url.map_err(|e| format!("{raw}: not an address ({e})"))?;
        if !self.client.is_on_site(&url) {
            return Err(format!(
                "{url}: not on the website {} (`[fetch] source`); not fetched",
                self.client.origin()
            ));
        }
        DecisionUrl::parse(&url).ok_or_else(|| {
            format!("{url}: not a decision address (expected /decisions/<category>/<subcategory>/<reference>)")
        })
    }

    /// Opens the decisions page first, as a browser would, for the session cookie the
    /// search results need; returns the Referer for the search requests.
    fn open_session(&mut self) -> Result<Url, Stop> {
        let mut url = self.client.origin().clone();
        url.set_path("/decisions");
        url.set_query(None);
        let result = self.client.get(&url, &Validators::default(), None);
        if let Err(e) = result {
            self.network_failure(format!("{url}: could not open the decisions page: {e}"), &e)?;
        }
        Ok(url)
    }

    /// Fetches one decision page into `sources/`. A page already kept is not downloaded
    /// again unless `recheck`, and then only if it changed (a conditional request).
    fn decision(&mut self, link: &DecisionUrl, recheck: bool) -> Result<Flow, Stop> {
        // Each decision is asked for once a run, unless asking failed: a decision named on
        // the command line that failed is asked for again when its window lists it.
        if self.seen.contains(&link.reference.slug()) {
            return Ok(Flow::Go);
        }
        let url = &link.url;
        if !self.client.allows(url) {
            self.fail(format!(
                "{url}: robots.txt does not allow casebook to fetch it"
            ));
            return Ok(Flow::Go);
        }
        let held = self.store.held(&link.reference);
        let path = self.store.page_path(&link.reference);
        if held.is_some() && !recheck {
            self.report.already_had += 1;
            self.has(link, path);
            self.observer.progress(&self.report);
            return Ok(Flow::Go);
        }
        let validators = held.as_ref().map(store::validators).unwrap_or_default();
        let mut flow = Flow::Go;
        match self.client.get(url, &validators, None) {
            Ok(Answer::NotModified) if held.is_some() => {
                self.answered();
                self.report.unchanged += 1;
                self.has(link, path);
            }
            Ok(Answer::NotModified) => {
                self.fail(format!(
                    "{url}: answered 304 to a request that was not conditional"
                ));
            }
            Ok(Answer::Page(page)) => {
                self.answered();
                // An address named on the command line (rechecked) is in no window.
                flow = self.keep(link, &page, !recheck)?;
            }
            Err(e) => self.network_failure(format!("{url}: {e}"), &e)?,
        }
        self.observer.progress(&self.report);
        Ok(flow)
    }

    /// Keeps a fetched page in `sources/`; stops the window when the page is not the
    /// decision, and the run when the disk has no room left, since every page after it
    /// would fail the same way.
    fn keep(
        &mut self,
        link: &DecisionUrl,
        page: &client::Page,
        in_window: bool,
    ) -> Result<Flow, Stop> {
        // A page with no decision at all (a captcha, a cookie wall) stops the window, as
        // the window's other addresses would answer the same; another decision's page is
        // that address's failure alone.
        let (what, flow) = match listing::page_kind(&page.body, &link.reference) {
            PageKind::Decision => (None, Flow::Go),
            PageKind::OtherDecision(what) => (Some(what), Flow::Go),
            PageKind::NotADecision(what) => (Some(what), Flow::StopWindow),
        };
        if let Some(what) = what {
            let html = String::from_utf8_lossy(&page.body);
            self.reject(
                &link.url,
                &link.reference.slug(),
                &html,
                &format!("answered with something other than the decision: {what}"),
                in_window && flow == Flow::StopWindow,
            );
            return Ok(flow);
        }
        match self.store.save(
            &link.reference,
            page.url.as_str(),
            &page.body,
            &page.validators,
        ) {
            Ok((path, saved)) => {
                match saved {
                    Saved::New | Saved::Changed => self.report.fetched += 1,
                    Saved::Same => self.report.unchanged += 1,
                }
                self.has(link, path);
            }
            Err(e) if crate::fs::no_room(&e) => {
                self.fail(format!("{}: fetched, but could not keep it: {e}", link.url));
                return Err(self.stop(format!(
                    "{}: no room left to keep pages; stopped (free some space and run the same command again to go on from here)",
                    self.store.dir().display()
                )));
            }
            Err(e) => self.fail(format!("{}: fetched, but could not keep it: {e}", link.url)),
        }
        Ok(Flow::Go)
    }

    /// Keeps a page that was not what was asked for, and fails with a message saying so
    /// (and that the window stops, when it does).
    fn reject(&mut self, url: &Url, name: &str, body: &str, what: &str, stops_window: bool) {
        let kept = match store::keep_rejected(&self.root, name, body.as_bytes()) {
            Ok(path) => format!("kept as {}", path.display()),
            Err(e) => format!("could not be kept: {e}"),
        };
        let stop = if stops_window {
            "; stopped this window"
        } else {
            ""
        };
        self.fail(format!("{url}: {what}; what came back is {kept}{stop}"));
    }

    fn network_failure(&mut self, message: String, e: &FetchError) -> Result<(), Stop> {
        if matches!(e, FetchError::Interrupted) {
            self.report.interrupted = true;
            return Err(Stop);
        }
        self.fail(message);
        if e.slows_down() {
            self.slowed_in_a_row += 1;
            if self.slowed_in_a_row >= SLOW_DOWN_LIMIT {
                return Err(self.stop(format!(
                    "{}: the website asked casebook to slow down on {SLOW_DOWN_LIMIT} addresses in a row; stopped (run the same command again later to go on from here)",
                    self.client.origin()
                )));
            }
            return Ok(());
        }
        self.slowed_in_a_row = 0;
        if e.is_unreachable() {
            self.unreachable_in_a_row += 1;
            if self.unreachable_in_a_row >= UNREACHABLE_LIMIT {
                return Err(self.stop(format!(
                    "{}: the website did not answer {UNREACHABLE_LIMIT} times in a row; stopped (run the same command again to go on from here)",
                    self.client.origin()
                )));
            }
        } else {
            self.unreachable_in_a_row = 0;
        }
        Ok(())
    }

    /// The website answered: the counts of refusals in a row start again.
    fn answered(&mut self) {
        self.unreachable_in_a_row = 0;
        self.slowed_in_a_row = 0;
    }

    /// `link`'s page is in `sources/`: imported at the end, not asked for again this run.
    fn has(&mut self, link: &DecisionUrl, path: PathBuf) {
        self.seen.insert(link.reference.slug());
        self.report.pages.push(path);
    }

    /// Says why the run stops. Not a failure of its own: the failure that made it stop
    /// is counted.
    fn stop(&mut self, message: String) -> Stop {
        self.observer.failure(&message);
        Stop
    }

    fn fail(&mut self, message: String) {
        self.observer.failure(&message);
        self.report.failures.push(message);
        self.observer.progress(&self.report);
    }

    fn finish(mut self) -> FetchReport {
        // An earlier run's unimported page may have been met again in this one.
        let mut seen = HashSet::new();
        self.report.pages.retain(|p| seen.insert(p.clone()));
        self.report
    }
}

/// Records that every page fetched so far has been imported but `failed` (pages under
/// `sources/` that import could not import): the state's list of pages waiting for
/// import keeps only those, for the next fetch to try again.
pub fn imported(root: &Path, failed: &[PathBuf]) -> anyhow::Result<()> {
    let mut state = FetchState::load(root)?;
    let before = state.unimported.clone();
    state.unimported.clear();
    state.add_unimported(root, failed);
    if state.unimported != before {
        state.save(root)?;
    }
    Ok(())
}

/// The `sources/` folder of the site at `root`.
pub fn sources_dir(root: &Path) -> PathBuf {
    root.join("sources")
}
