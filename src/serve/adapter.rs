//! Where `serve` and `watch` meet the real build: [`SiteBuild`] implements [`Rebuild`] by
//! calling [`render_whole_site`], the single function to point at `build`'s renderer.
//!
//! `SiteBuild::changed` picks the cheapest rebuild that is still exact: decision edits are
//! re-rendered where they show ([`incremental`]), static files alone are copied again, a
//! standalone page's text renders that page, and anything else (config, templates,
//! glossary, a page's title or path, other files) renders the whole site. What no open page shows (feeds, sitemap, data files, search index)
//! follows from `deferred()`, after the browser has reloaded.

use std::path::{Path, PathBuf};

use super::incremental::{self, SiteState};
use super::rebuild::{DeferredTask, Rebuild, SiteDelta, SiteFiles};
use crate::config::{Overrides, Settings};
use crate::diagnostics::Diagnostic;
use crate::output::{MemorySink, OutputFile};
use crate::watch::Change;

/// The real site build, as the preview and `watch` see it: a full build first, then
/// incremental rebuilds for decision edits (see [`super::incremental`]).
#[derive(Debug)]
pub struct SiteBuild {
    root: PathBuf,
    base_url: Option<String>,
    state: Option<SiteState>,
    /// Whether a first build may come in stages (see [`Rebuild::full_in_stages`]).
    staged_first: bool,
}

impl SiteBuild {
    /// The build of the site in `root`, with `base_url` overriding the config's when given.
    pub fn new(root: &Path, base_url: Option<String>) -> Self {
        Self {
            root: root.to_path_buf(),
            base_url,
            state: None,
            staged_first: false,
        }
    }

    /// The same, whose first build comes in stages: the listings, then the decision
    /// pages, then (as deferred work) the data export and the search index, so that
    /// `serve` answers the home page sooner. Later full builds are whole, as they replace
    /// the whole site.
    pub fn staged(root: &Path, base_url: Option<String>) -> Self {
        Self {
            staged_first: true,
            ..Self::new(root, base_url)
        }
    }
}

impl SiteBuild {
    /// A whole build, in stages when `early` is given (see [`incremental::build_full`]).
    fn build(
        &mut self,
        early: Option<&(dyn Fn(SiteFiles) + Sync)>,
    ) -> Result<SiteFiles, Vec<Diagnostic>> {
        self.state = None;
        let overrides = Overrides {
            base_url: self.base_url.clone(),
            output: None,
        };
        let settings = Settings::load(&self.root, &overrides)?;
        let (state, files) = incremental::build_full(settings, early)?;
        self.state = Some(state);
        Ok(files)
    }
}

impl Rebuild for SiteBuild {
    fn full(&mut self) -> Result<SiteFiles, Vec<Diagnostic>> {
        self.build(None)
    }

    fn full_in_stages(
        &mut self,
        early: &(dyn Fn(SiteFiles) + Sync),
    ) -> Result<SiteFiles, Vec<Diagnostic>> {
        self.build(self.staged_first.then_some(early))
    }

    fn changed(&mut self, changes: &[Change]) -> Result<SiteDelta, Vec<Diagnostic>> {
        match self.state.as_mut() {
            Some(state) if incremental::is_incremental(changes) => state.apply(&self.root, changes),
            Some(state) if incremental::only_static(changes) => state.apply_static(),
            Some(state) if incremental::only_pages(changes) => match state.apply_pages()? {
                Some(delta) => Ok(delta),
                None => self.full().map(SiteDelta::full),
            },
            _ => self.full().map(SiteDelta::full),
        }
    }

    fn deferred(&mut self) -> Result<SiteDelta, Vec<Diagnostic>> {
        self.state
            .as_mut()
            .map_or_else(|| Ok(SiteDelta::default()), SiteState::deferred)
    }

    fn deferred_task(&mut self) -> Option<DeferredTask> {
        self.state.as_mut().and_then(SiteState::deferred_task)
    }

    fn deferred_due(&self) -> bool {
        self.state.as_ref().is_some_and(SiteState::deferred_due)
    }

    fn accept_deferred(&mut self, files: Vec<OutputFile>) -> SiteDelta {
        self.state
            .as_mut()
            .map_or_else(SiteDelta::default, |s| s.accept_deferred(files))
    }
}

/// Renders the whole site of `root` into memory with the real build: config (with
/// `base_url` overridden when given), content, templates, every page, feed, data file and
/// the search index. On failure, every diagnostic the build found.
pub fn render_whole_site(
    root: &Path,
    base_url: Option<&str>,
) -> Result<SiteFiles, Vec<Diagnostic>> {
    let overrides = Overrides {
        base_url: base_url.map(str::to_string),
        output: None,
    };
    let settings = Settings::load(root, &overrides)?;
    let sink = MemorySink::new();
    match crate::build(&settings, &sink) {
        Ok(report) => {
            for warning in &report.warnings {
                eprintln!("{warning}");
            }
            Ok(sink
                .into_map()
                .into_iter()
                .map(|(path, bytes)| OutputFile { path, bytes })
                .collect())
        }
        Err(failure) => Err(failure.diagnostics),
    }
}
