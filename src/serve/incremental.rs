//! Incremental rebuilds for `serve` and `watch`: after a decision file changes, re-render
//! only what shows it, and defer what no open page shows.
//!
//! What one decision's page, listing and count appear on:
//! - its own page;
//! - the pages of the decisions near it in date within its council and its category
//!   (their "related decisions" panels), and, when it joins or leaves a council or
//!   category, every page of that council (they show the council's count);
//! - the listings, feeds and indexes that list or count it (`Renderer::jobs_affected_by`),
//!   for its old and its new council, category, outcome and year;
//! - the data export, the search index and the sitemap, which are deferred: rendered after
//!   the browser has reloaded.
//!
//! A change to static files alone copies them again ([`only_static`]); one to standalone
//! pages' text renders just those pages ([`only_pages`]). Anything else (config,
//! templates, theme, glossary, a page's title or path) rebuilds the whole site, which is
//! always correct. Only files whose bytes changed are
//! sent; files that are no longer produced are removed.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod affected;
mod deferred;
mod pages;
mod statics;

pub use pages::only_pages;
pub use statics::only_static;

use affected::{render_affected, Reach};

use super::held::{hash, HeldFile, HeldSink};
use super::reach::index_by_reference;
use super::rebuild::{SiteDelta, SiteFiles};
use crate::config::Settings;
use crate::decision::Decision;
use crate::diagnostics::Diagnostic;
use crate::output::OutputFile;
use crate::render::{DecisionExtract, Job, Renderer, Templates};
use crate::site::Site;
use crate::watch::{Change, ChangeKind};

/// The state kept between rebuilds: the site model, the templates, each decision's extract
/// and a hash of every file last published.
#[derive(Debug)]
pub struct SiteState {
    settings: Settings,
    site: Site,
    templates: Arc<Templates>,
    extracts: HashMap<PathBuf, DecisionExtract>,
    /// The card data of `site` as last computed, reused by edits that change no card.
    card_data: Arc<crate::render::views::CardData>,
    published: HashMap<String, u64>,
    /// The paths of the static files last copied (`static/style.css`), so that a static
    /// file removed is told from a page that happens to live under `static/`.
    statics: BTreeSet<String>,
    deferred_due: bool,
}

/// Builds the whole site, keeping the state for later incremental rebuilds. With `early`,
/// the listings are built first and handed to it, then the decision pages, which are
/// returned; the data export and search index are left to the deferred work, which is
/// then due.
pub fn build_full(
    settings: Settings,
    early: Option<&(dyn Fn(SiteFiles) + Sync)>,
) -> Result<(SiteState, SiteFiles), Vec<Diagnostic>> {
    // Each file is compressed as it is rendered, on the thread that rendered it: the site is
    // never held uncompressed.
    let sink = HeldSink::new();
    let published = std::sync::Mutex::new(HashMap::new());
    let record = |map| recorded(&published, map);
    let hand_over = || {
        if let Some(early) = early {
            early(record(sink.take()));
        }
    };
    let stages = match early {
        Some(_) => crate::Stages::PagesFirst(&hand_over),
        None => crate::Stages::Whole,
    };
    let built = crate::build_keeping_state(&settings, &sink, stages).map_err(|f| f.diagnostics)?;
    let card_data = built.card_data.clone().ok_or_else(|| {
        // `Stages::Whole` and `PagesFirst` keep the cards; only `Publish` does not.
        vec![Diagnostic::error(
            "casebook",
            "internal error: the preview's build kept no cards",
        )]
    })?;
    for warning in &built.report.warnings {
        eprintln!("{warning}");
    }
    let files = record(sink.take());
    let extracts = built
        .site
        .sources
        .iter()
        .cloned()
        .zip(built.extracts)
        .collect();
    let statics = crate::inputs::static_files(&settings).into_keys().collect();
    let state = SiteState {
        statics,
        settings,
        site: built.site,
        templates: Arc::new(built.templates),
        extracts,
        card_data,
        published: published
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
        deferred_due: early.is_some(),
    };
    Ok((state, files))
}

/// The files `map` holds, to publish, each one's digest noted in `published`.
fn recorded(
    published: &std::sync::Mutex<HashMap<String, u64>>,
    map: HashMap<String, (u64, HeldFile)>,
) -> SiteFiles {
    let mut published = published
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut files = SiteFiles::new();
    for (path, (digest, held)) in map {
        published.insert(path.clone(), digest);
        files.insert_held(path, held);
    }
    files
}

/// True when `changes` can be handled decision by decision.
pub fn is_incremental(changes: &[Change]) -> bool {
    changes
        .iter()
        .all(|c| matches!(c.kind, ChangeKind::Decision | ChangeKind::Ignored))
}

/// True when `changes` touch files of `kind` and nothing else of the site.
fn only(changes: &[Change], kind: ChangeKind) -> bool {
    changes.iter().any(|c| c.kind == kind)
        && changes
            .iter()
            .all(|c| c.kind == kind || c.kind == ChangeKind::Ignored)
}

/// The decision files after a reload, and what changed.
type Reloaded = (Vec<(PathBuf, Decision)>, Vec<Edit>);

/// One decision before and after a change (either may be missing: added or removed).
struct Edit {
    before: Option<Decision>,
    after: Option<Decision>,
}

impl Edit {
    /// The council term of the decision before and after the edit, in `old` and `new`.
    fn councils<'s>(
        &self,
        old: (&'s Site, &HashMap<String, usize>),
        new: (&'s Site, &HashMap<String, usize>),
    ) -> (Option<&'s str>, Option<&'s str>) {
        let council = |d: &Option<Decision>, (site, index): (&'s Site, &HashMap<String, usize>)| {
            let i = *index.get(d.as_ref()?.reference.as_str())?;
            site.council_term(i).map(|t| t.path.as_str())
        };
        (council(&self.before, old), council(&self.after, new))
    }
}

impl SiteState {
    /// Applies decision changes: reloads the changed files, re-renders what shows them and
    /// returns the files that changed. On a content error, the state is left as it was.
    pub fn apply(&mut self, root: &Path, changes: &[Change]) -> Result<SiteDelta, Vec<Diagnostic>> {
        if let Some(delta) = self.apply_text_edits(root, changes)? {
            return Ok(delta);
        }
        let (files, edits) = self.reload(root, changes)?;
        let site = Site::new(
            self.settings.clone(),
            files,
            self.site.pages.clone(),
            self.site.glossary.clone(),
        );
        let changed: HashSet<&str> = edits
            .iter()
            .flat_map(|e| e.before.iter().chain(e.after.iter()))
            .map(|d| d.reference.as_str())
            .collect();
        let old_index = index_by_reference(&self.site);
        let new_index = index_by_reference(&site);
        // Only the changed decisions' cards are made again; the others are shared.
        let old_cards = &self.card_data;
        let renderer = Renderer::reusing_cards(&site, &self.templates, |i| {
            let reference = site.decisions[i].reference.as_str();
            if changed.contains(reference) {
                return None;
            }
            old_index
                .get(reference)
                .and_then(|&j| old_cards.value(j))
                .cloned()
        })
        .map_err(|d| vec![d])?;
        let (pages, jobs, prefixes) =
            self.affected(&site, &renderer, &edits, &old_index, &new_index);

        let (written, extracts, prefixes) = render_affected(
            (&self.site, &site),
            &renderer,
            (&pages, &jobs),
            &changed,
            prefixes,
        )?;
        let card_data = renderer.card_data();
        drop(renderer);
        self.card_data = card_data;

        let removed = self.removed(&site, &edits, &written, &prefixes);
        for (source, extract) in extracts {
            self.extracts.insert(source, extract);
        }
        let live: HashSet<&PathBuf> = site.sources.iter().collect();
        self.extracts.retain(|source, _| live.contains(source));
        self.site = site;
        self.deferred_due = true;
        Ok(self.publish(written, removed))
    }

    /// The fast path: when every change edits an existing decision without touching
    /// anything a listing, feed or related panel shows (its text, findings, remedies, an
    /// editor's summary), only its own page changes, and the site model is updated in
    /// place. `None` when a change needs the general path.
    fn apply_text_edits(
        &mut self,
        root: &Path,
        changes: &[Change],
    ) -> Result<Option<SiteDelta>, Vec<Diagnostic>> {
        let mut updates = Vec::new();
        for change in changes.iter().filter(|c| c.kind == ChangeKind::Decision) {
            let path = under(root, &change.path);
            let Some(index) = self.site.sources.iter().position(|s| *s == path) else {
                return Ok(None);
            };
            if !path.is_file() {
                return Ok(None);
            }
            let full = crate::content::load::load_decision(&path).map_err(|d| vec![d])?;
            if !same_listing(&self.site.decisions[index], &full) {
                return Ok(None);
            }
            updates.push((index, full));
        }
        for (index, full) in &updates {
            let mut meta = full.clone();
            meta.body = String::new();
            self.site.decisions[*index] = meta;
        }
        let renderer =
            Renderer::with_cards(&self.site, &self.templates, Arc::clone(&self.card_data));
        let mut written = Vec::new();
        let mut extracts = Vec::new();
        for (index, full) in &updates {
            let rendered = renderer.decision(*index, full).map_err(|d| vec![d])?;
            extracts.push((self.site.sources[*index].clone(), rendered.extract));
            written.push(rendered.file);
        }
        drop(renderer);
        self.extracts.extend(extracts);
        self.deferred_due = true;
        Ok(Some(self.publish(written, Vec::new())))
    }

    /// Reloads the changed decision files into a new list of (file, decision) pairs.
    fn reload(&self, root: &Path, changes: &[Change]) -> Result<Reloaded, Vec<Diagnostic>> {
        let mut files: HashMap<PathBuf, Decision> = self
            .site
            .sources
            .iter()
            .cloned()
            .zip(self.site.decisions.iter().cloned())
            .collect();
        let mut edits = Vec::new();
        let mut problems = Vec::new();
        let paths: BTreeSet<PathBuf> = changes
            .iter()
            .filter(|c| c.kind == ChangeKind::Decision)
            .map(|c| under(root, &c.path))
            .collect();
        for path in paths {
            let before = files.remove(&path);
            let after = if path.is_file() {
                match crate::content::load::load_decision(&path) {
                    Ok(mut d) => {
                        d.body = String::new();
                        Some(d)
                    }
                    Err(d) => {
                        problems.push(d);
                        continue;
                    }
                }
            } else {
                None
            };
            if let Some(d) = &after {
                files.insert(path.clone(), d.clone());
            }
            edits.push(Edit { before, after });
        }
        problems.extend(shared_references(&files));
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok((files.into_iter().collect(), edits))
    }

    /// The decision pages and jobs to re-render, and the listing folders whose pages may
    /// have to be removed.
    fn affected(
        &self,
        site: &Site,
        renderer: &Renderer<'_>,
        edits: &[Edit],
        old_index: &HashMap<String, usize>,
        new_index: &HashMap<String, usize>,
    ) -> (BTreeSet<usize>, Vec<Job>, BTreeSet<String>) {
        let mut reach = Reach::default();
        // Listings of every decision, and the indexes that count them, list a removed one too.
        let mut global = vec![Job::Home, Job::AllDecisions, Job::SiteFeed];
        if renderer.templates().has(crate::render::STATISTICS_TEMPLATE) {
            global.push(Job::Statistics);
        }
        global.extend(crate::site::TaxonomyKind::ALL.map(Job::TaxonomyIndex));
        reach.add_jobs(global);
        for edit in edits {
            // Every page of a council's decisions shows how many it has: when the decision
            // joined or left a council, all of them change. Otherwise (and in its category,
            // whose count no decision page shows) only the pages whose related lists can
            // show it: its neighbours where it was and where it is.
            let (was_in, is_in) = edit.councils((&self.site, old_index), (site, new_index));
            let council_changed = was_in != is_in;
            let after = edit.after.as_ref();
            if let Some(&i) = after.and_then(|d| new_index.get(d.reference.as_str())) {
                reach.now_at(site, renderer, i, council_changed);
            }
            let before = edit.before.as_ref();
            if let Some(&i) = before.and_then(|d| old_index.get(d.reference.as_str())) {
                reach.was_at((&self.site, site), new_index, i, council_changed);
            }
        }
        reach.prefixes.insert("decisions/".to_string());
        (reach.pages, reach.jobs, reach.prefixes)
    }

    /// Paths published before that are no longer produced: pages of removed decisions, and
    /// listing pages (pagination, feeds) of re-rendered or vanished terms.
    fn removed(
        &self,
        site: &Site,
        edits: &[Edit],
        written: &[OutputFile],
        prefixes: &BTreeSet<String>,
    ) -> Vec<String> {
        let now: HashSet<&str> = written.iter().map(|f| f.path.as_str()).collect();
        let live: HashSet<String> = site.decisions.iter().map(|d| d.reference.slug()).collect();
        let mut removed = Vec::new();
        for e in edits {
            if let Some(d) = &e.before {
                if !live.contains(&d.reference.slug()) {
                    removed.push(format!("decisions/{}/index.html", d.reference.slug()));
                }
            }
        }
        for path in self.published.keys() {
            let listed = prefixes.iter().any(|p| {
                path.strip_prefix(p.as_str()).is_some_and(|rest| {
                    rest == "index.html" || rest == "atom.xml" || rest.starts_with("page/")
                })
            });
            if listed && !now.contains(path.as_str()) {
                removed.push(path.clone());
            }
        }
        removed.sort();
        removed.dedup();
        removed
    }

    /// Keeps only the files whose bytes changed, and records what is now published.
    fn publish(&mut self, written: Vec<OutputFile>, removed: Vec<String>) -> SiteDelta {
        let written: Vec<OutputFile> = written
            .into_iter()
            .filter(|f| {
                self.published.insert(f.path.clone(), hash(&f.bytes)) != Some(hash(&f.bytes))
            })
            .collect();
        for path in &removed {
            self.published.remove(path);
        }
        SiteDelta {
            written,
            removed,
            whole: None,
        }
    }
}

/// `path` as it is when absolute, else under the site's `root`.
fn under(root: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        root.join(path)
    }
}

/// An error for each file that uses a case reference an earlier one uses.
fn shared_references(files: &HashMap<PathBuf, Decision>) -> Vec<Diagnostic> {
    let mut seen: HashMap<&str, &PathBuf> = HashMap::new();
    let mut problems = Vec::new();
    for (path, d) in files {
        if let Some(first) = seen.insert(d.reference.as_str(), path) {
            problems.push(
                Diagnostic::error(
                    path,
                    format!(
                        "reference {} is also used by `{}`",
                        d.reference,
                        first.display()
                    ),
                )
                .expected("one file per case reference"),
            );
        }
    }
    problems
}

/// True when `a` and `b` look the same wherever other pages show a decision: its card in
/// listings and related panels, feeds, the counts and the order of the listings.
fn same_listing(a: &Decision, b: &Decision) -> bool {
    a.reference == b.reference
        && a.council == b.council
        && a.category == b.category
        && a.subcategory == b.subcategory
        && a.outcome == b.outcome
        && a.decision_date == b.decision_date
        && a.summary == b.summary
        && a.inferred == b.inferred
}
