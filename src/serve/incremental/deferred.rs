//! The files no open page shows (the data export, the search index, the sitemap): left
//! out of an incremental rebuild and rendered after the browser has reloaded, on a
//! snapshot of the site, by another thread.

use std::collections::HashSet;
use std::sync::Arc;

use super::SiteState;
use crate::diagnostics::Diagnostic;
use crate::output::{gather, MemorySink, OutputFile};
use crate::render::{DecisionExtract, Job, Renderer, Templates};
use crate::serve::rebuild::{DeferredTask, SiteDelta};
use crate::site::Site;

impl SiteState {
    /// The files left out of the last incremental rebuild (the data export, the search
    /// index, the sitemap), rendered now. Nothing when none is due.
    pub fn deferred(&mut self) -> Result<SiteDelta, Vec<Diagnostic>> {
        match self.deferred_task() {
            Some(task) => Ok(self.accept_deferred(task()?)),
            None => Ok(SiteDelta::default()),
        }
    }

    /// True when the files no page shows are out of date (or not made yet).
    pub fn deferred_due(&self) -> bool {
        self.deferred_due
    }

    /// The deferred files as a task over a snapshot of the site, to run on another thread.
    pub fn deferred_task(&mut self) -> Option<DeferredTask> {
        if !self.deferred_due {
            return None;
        }
        self.deferred_due = false;
        let site = self.site.clone();
        let templates = Arc::clone(&self.templates);
        let extracts: Vec<DecisionExtract> = site
            .sources
            .iter()
            .map(|s| {
                self.extracts.get(s).cloned().unwrap_or(DecisionExtract {
                    plain_summary: String::new(),
                    origin: crate::summary::Origin::Generated,
                })
            })
            .collect();
        Some(Box::new(move || {
            deferred_files(&site, &templates, &extracts)
        }))
    }

    /// Publishes the files of a finished deferred task; index files it no longer
    /// produces are removed.
    pub fn accept_deferred(&mut self, files: Vec<OutputFile>) -> SiteDelta {
        let now: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        let removed = self
            .published
            .keys()
            .filter(|p| {
                p.strip_prefix(crate::search::INDEX_DIR)
                    .is_some_and(|rest| rest.starts_with('/'))
                    && !now.contains(p.as_str())
            })
            .cloned()
            .collect();
        self.publish(files, removed)
    }
}

/// The data export, the sitemap and the search index of `site`.
fn deferred_files(
    site: &Site,
    templates: &Templates,
    extracts: &[DecisionExtract],
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    // The data files and the sitemap show no cards: make none.
    let renderer = Renderer::without_cards(site, templates);
    let gathered = renderer.data(extracts, |path, make| {
        gather(path, make).map_err(|e| Diagnostic::error(path, e.to_string()))
    });
    let (mut files, mut problems) = (Vec::new(), Vec::new());
    for file in gathered {
        match file {
            Ok(file) => files.push(file),
            Err(d) => problems.push(d),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    files.extend(renderer.render(&Job::Sitemap).map_err(|d| vec![d])?);
    let sink = MemorySink::new();
    let steps = crate::pipeline::Steps::new(&sink);
    files.extend(crate::pipeline::search_index(site, extracts, &steps));
    Ok(files)
}
