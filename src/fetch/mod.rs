//! `casebook fetch`: decisions from the Ombudsman's website into `sources/`.
//!
//! Network I/O at the edge of the pipeline: `client` (the polite HTTP client, the only
//! code that talks to the network), `robots` (robots.txt rules), `listing` (search
//! results and decision pages read as data, pure), `state` (which date windows are done)
//! and `store` (the raw pages in `sources/`). [`Fetcher`] walks them in order and returns
//! the pages it kept; `cmd::fetch` hands those to `import`, which turns them into content
//! files. Nothing here writes `content/`, and nothing here ever deletes a page.

pub mod client;
pub mod listing;
pub mod robots;
pub mod state;
pub mod store;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use url::Url;

use client::{Answer, Client, FetchError, Validators};
use listing::{DecisionUrl, PageKind, Window};
use robots::Robots;
use state::FetchState;
use store::{Saved, Store};

use crate::config::Settings;

/// After this many failures in a row to reach the website, the run stops.
const UNREACHABLE_LIMIT: usize = 3;

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

/// Stops a walk: the run was interrupted or the website cannot be reached.
#[derive(Debug)]
struct Stop;

/// One fetch run over one website.
pub struct Fetcher<'a> {
    root: PathBuf,
    client: Client,
    robots: Robots,
    store: Store,
    state: FetchState,
    report: FetchReport,
    seen: HashSet<String>,
    unreachable_in_a_row: usize,
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
        let contact = if fetch.contact.trim().is_empty() {
            settings.config.base_url.clone()
        } else {
            fetch.contact.clone()
        };
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
            robots: Robots::allow_all(),
            store,
            state,
            root: settings.root.clone(),
            report,
            seen: HashSet::new(),
            unreachable_in_a_row: 0,
            observer,
        })
    }

    /// The date windows to walk: those asked for, or from the newest window done to today.
    fn plan(&self, options: &FetchOptions) -> anyhow::Result<Vec<Window>> {
        let today = chrono::Utc::now().date_naive();
        let until = options.until.unwrap_or(today);
        let since = match options.since {
            Some(since) => since,
            None if !options.urls.is_empty() => return Ok(Vec::new()),
            None => self.state.resume_from().ok_or_else(|| {
                anyhow::anyhow!(
                    "nothing to fetch: no earlier fetch to continue from ({} has no windows); give `--since YYYY-MM-DD` or decision addresses",
                    state::state_path(&self.root).display()
                )
            })?,
        };
        if until < since {
            anyhow::bail!("--until {until} is before --since {since}");
        }
        Ok(listing::month_windows(since, until))
    }

    fn read_robots(&mut self) -> Result<(), Stop> {
        let mut url = self.client.origin().clone();
        url.set_path("/robots.txt");
        url.set_query(None);
        match self.client.get(&url, &Validators::default(), None) {
            Ok(Answer::Page(page)) => self.robots = Robots::parse(&page.body),
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
        if let Some(delay) = self.robots.crawl_delay() {
            self.client.at_least(delay);
        }
        Ok(())
    }

    fn run(&mut self, options: &FetchOptions, windows: &[Window]) -> Result<(), Stop> {
        for raw in &options.urls {
            match self.named_url(raw) {
                Ok(link) => self.decision(&link, true)?,
                Err(message) => self.fail(message),
            }
        }
        if windows.is_empty() {
            return Ok(());
        }
        let referer = self.open_session()?;
        for &window in windows {
            if self.state.is_done(window) {
                self.report.windows_done += 1;
                continue;
            }
            self.window(window, &referer, options)?;
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

    /// Walks one window's result pages, then fetches its decisions; records the window
    /// as done when every one of them is kept.
    fn window(
        &mut self,
        window: Window,
        referer: &Url,
        options: &FetchOptions,
    ) -> Result<(), Stop> {
        let failures_before = self.report.failures.len();
        let pages_before = self.report.pages.len();
        let Some((results, links)) = self.window_links(window, referer)? else {
            return Ok(());
        };
        let keep = |l: &DecisionUrl| {
            options
                .category
                .as_ref()
                .is_none_or(|c| c.eq_ignore_ascii_case(&l.category))
                && options
                    .subcategory
                    .as_ref()
                    .is_none_or(|s| s.eq_ignore_ascii_case(&l.subcategory))
        };
        for link in links.iter().filter(|l| keep(l)) {
            self.decision(link, false)?;
        }
        if self.report.failures.len() == failures_before {
            self.state.finish(window, results);
            // This window's pages: an earlier window's are listed already, or it is not done.
            let pages = &self.report.pages[pages_before..];
            self.state.add_unimported(&self.root, pages);
            if let Err(e) = self.state.save(&self.root) {
                self.fail(format!("could not save the fetch state: {e}"));
            }
            self.report.windows_done += 1;
            self.observer.progress(&self.report);
        }
        Ok(())
    }

    /// Every decision link in one window's results, or `None` when the window stopped.
    fn window_links(
        &mut self,
        window: Window,
        referer: &Url,
    ) -> Result<Option<(usize, Vec<DecisionUrl>)>, Stop> {
        let mut links: Vec<DecisionUrl> = Vec::new();
        let mut page = 1;
        let mut results = None;
        while results.is_none_or(|n| page <= listing::page_count(n)) {
            let url = listing::results_url(self.client.origin(), window, page);
            let Some(html) = self.listing_page(&url, referer)? else {
                return Ok(None);
            };
            let Some(count) = listing::result_count(&html) else {
                self.reject(
                    &url,
                    &format!("results-{}-p{page}", window.from),
                    &html,
                    "states no result count (an empty search shell?)",
                );
                return Ok(None);
            };
            let found = listing::decision_links(&html, &url);
            if found.is_empty() && count > 0 {
                self.reject(
                    &url,
                    &format!("results-{}-p{page}", window.from),
                    &html,
                    &format!("says {count} results but links to no decision"),
                );
                return Ok(None);
            }
            for link in found {
                if !links.iter().any(|l| l.reference == link.reference) {
                    links.push(link);
                    self.report.links += 1;
                }
            }
            self.observer.progress(&self.report);
            results = Some(count);
            page += 1;
        }
        Ok(Some((results.unwrap_or(0), links)))
    }

    fn listing_page(&mut self, url: &Url, referer: &Url) -> Result<Option<String>, Stop> {
        if !self.robots.allowed(url.as_str()) {
            self.fail(format!(
                "{url}: robots.txt does not allow casebook to fetch it; stopped this window"
            ));
            return Ok(None);
        }
        match self.client.get(url, &Validators::default(), Some(referer)) {
            Ok(Answer::Page(page)) => {
                self.unreachable_in_a_row = 0;
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

    /// Fetches one decision page into `sources/`. A page already kept is not downloaded
    /// again unless `recheck`, and then only if it changed (a conditional request).
    fn decision(&mut self, link: &DecisionUrl, recheck: bool) -> Result<(), Stop> {
        if !self.seen.insert(link.reference.slug()) {
            return Ok(());
        }
        let url = &link.url;
        if !self.robots.allowed(url.as_str()) {
            self.fail(format!(
                "{url}: robots.txt does not allow casebook to fetch it"
            ));
            return Ok(());
        }
        let held = self.store.held(&link.reference);
        let path = self.store.page_path(&link.reference);
        if held.is_some() && !recheck {
            self.report.already_had += 1;
            self.report.pages.push(path);
            self.observer.progress(&self.report);
            return Ok(());
        }
        let validators = held.as_ref().map(store::validators).unwrap_or_default();
        match self.client.get(url, &validators, None) {
            Ok(Answer::NotModified) if held.is_some() => {
                self.unreachable_in_a_row = 0;
                self.report.unchanged += 1;
                self.report.pages.push(path);
            }
            Ok(Answer::NotModified) => {
                self.fail(format!(
                    "{url}: answered 304 to a request that was not conditional"
                ));
            }
            Ok(Answer::Page(page)) => {
                self.unreachable_in_a_row = 0;
                self.keep(link, &page)?;
            }
            Err(e) => self.network_failure(format!("{url}: {e}"), &e)?,
        }
        self.observer.progress(&self.report);
        Ok(())
    }

    /// Keeps a fetched page in `sources/`; stops the run when the disk has no room left,
    /// since every page after it would fail the same way.
    fn keep(&mut self, link: &DecisionUrl, page: &client::Page) -> Result<(), Stop> {
        let html = String::from_utf8_lossy(&page.body);
        if let PageKind::NotADecision(what) = listing::page_kind(&html, &link.reference) {
            self.reject(
                &link.url,
                &link.reference.slug(),
                &html,
                &format!("answered with {what}, not the decision"),
            );
            return Ok(());
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
                self.report.pages.push(path);
            }
            Err(e) if crate::fs::no_room(&e) => {
                self.fail(format!("{}: fetched, but could not keep it: {e}", link.url));
                self.fail(format!(
                    "{}: no room left to keep pages; stopped (free some space and run the same command again to go on from here)",
                    self.store.dir().display()
                ));
                return Err(Stop);
            }
            Err(e) => self.fail(format!("{}: fetched, but could not keep it: {e}", link.url)),
        }
        Ok(())
    }

    /// Keeps a page that was not what was asked for, and fails with a message saying so.
    fn reject(&mut self, url: &Url, name: &str, body: &str, what: &str) {
        let kept = match store::keep_rejected(&self.root, name, body.as_bytes()) {
            Ok(path) => format!("kept as {}", path.display()),
            Err(e) => format!("could not be kept: {e}"),
        };
        let stop = if url.path().contains("SearchResults") {
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
        if e.is_unreachable() {
            self.unreachable_in_a_row += 1;
            if self.unreachable_in_a_row >= UNREACHABLE_LIMIT {
                self.fail(format!(
                    "{}: the website did not answer {UNREACHABLE_LIMIT} times in a row; stopped (run the same command again to go on from here)",
                    self.client.origin()
                ));
                return Err(Stop);
            }
        } else {
            self.unreachable_in_a_row = 0;
        }
        Ok(())
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

/// Records that every page fetched so far has been imported: the state's list of pages
/// waiting for import is emptied.
pub fn imported(root: &Path) -> anyhow::Result<()> {
    let mut state = FetchState::load(root)?;
    if state.unimported.is_empty() {
        return Ok(());
    }
    state.unimported.clear();
    state.save(root)?;
    Ok(())
}

/// The `sources/` folder of the site at `root`.
pub fn sources_dir(root: &Path) -> PathBuf {
    root.join("sources")
}
