//! casebook: a static-site generator for a searchable digest of Local Government and
//! Social Care Ombudsman decisions.
//!
//! The pipeline, one module per step:
//! raw page -`import`-> [`decision::Decision`] -`content`-> `content/decisions/YYYY/ref.md`
//! -[`inputs`]-> decisions -[`site`]-> [`site::Site`] -[`render`]-> [`output::OutputFile`]s
//! -[`output`]-> `public/`.
//!
//! [`build`] runs the steps in order. `serve` calls the same function with a
//! [`output::MemorySink`]; to re-render what one edited decision affects, it can call the
//! step functions directly: [`render::Renderer::decision`],
//! [`render::Renderer::jobs_affected_by`], [`render::Renderer::render`] and
//! [`render::Renderer::data`].

pub mod check;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod content;
pub mod corpus;
pub mod decision;
pub mod diagnostics;
pub mod fetch;
pub mod fs;
pub mod import;
pub mod inputs;
pub mod markup;
pub mod output;
pub mod pipeline;
pub mod progress;
pub mod render;
pub mod search;
pub mod serve;
pub mod site;
pub mod stats;
pub mod summary;
pub mod watch;

pub use pipeline::{BuildFailure, BuildReport};

use config::Settings;
use output::OutputSink;
use pipeline::Steps;
use render::{Renderer, Templates};
use site::Site;

/// Builds the site described by `settings`, handing every file to `sink` as soon as it is
/// rendered. Returns every problem found (content, pages, glossary, templates), not only
/// the first; on failure the caller must not publish what the sink received.
pub fn build(settings: &Settings, sink: &dyn OutputSink) -> Result<BuildReport, BuildFailure> {
    build_keeping_state(settings, sink, Stages::Publish).map(|built| built.report)
}

/// In what order a build makes its files.
#[derive(Clone, Copy)]
pub enum Stages<'a> {
    /// Everything, decision pages first (`serve`'s later full builds).
    Whole,
    /// Everything, as [`Stages::Whole`], for `build`, which keeps nothing afterwards: the
    /// cards (about 2 KB a decision) and what no later step reads of the decisions
    /// ([`Site::shed_page_details`]) are freed before the search index, the build's
    /// largest step in memory, is made, and [`Built::card_data`] is `None`.
    Publish,
    /// `serve`'s first build: the listings first (home, councils, categories...), then
    /// `early` is called, so that those can be answered while the decision pages render;
    /// the data export and the search index are left out, for the deferred work.
    PagesFirst(&'a (dyn Fn() + Sync)),
    /// `check`'s build: every page, each decision shown to the inspector as it renders,
    /// and the data export; no search index (no page links into it, and it is the
    /// build's largest step in time and memory).
    Checking(&'a pipeline::Inspect<'a>),
}

impl std::fmt::Debug for Stages<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Whole => "Whole",
            Self::Publish => "Publish",
            Self::PagesFirst(_) => "PagesFirst",
            Self::Checking(_) => "Checking",
        })
    }
}

/// A built site with what an incremental rebuild needs to bring it up to date (`serve`).
#[derive(Debug)]
pub struct Built {
    /// What the build did.
    pub report: BuildReport,
    /// The site model (decisions without bodies, taxonomies, pages, glossary); after
    /// [`Stages::Publish`], without what [`Site::shed_page_details`] drops either.
    pub site: Site,
    /// The loaded templates.
    pub templates: Templates,
    /// Each decision's extract (plain-English summary), by the site's decision index.
    pub extracts: Vec<render::DecisionExtract>,
    /// The cards' computed data (URLs, dates, each card as pages show it), for a renderer
    /// of the same site;
    /// `None` after [`Stages::Publish`].
    pub card_data: Option<std::sync::Arc<render::views::CardData>>,
}

/// [`build`], keeping the site model, templates and extracts, in the order `stages` says.
pub fn build_keeping_state(
    settings: &Settings,
    sink: &dyn OutputSink,
    stages: Stages<'_>,
) -> Result<Built, BuildFailure> {
    let mut steps = Steps::new(sink);
    let inputs = steps.time("load", || inputs::load(settings));
    steps.show_progress(inputs.decisions.len());
    steps.problems(inputs.diagnostics);
    let templates = steps.time("templates", || Templates::load(settings));
    let mut site = steps.time("site", || {
        Site::new(
            settings.clone(),
            inputs.decisions,
            inputs.pages,
            inputs.glossary,
        )
    });
    let templates = match templates {
        Ok(t) => t,
        Err(problems) => {
            steps.problems(problems);
            return Err(steps.fail());
        }
    };
    let renderer = match steps.time("cards", || Renderer::new(&site, &templates)) {
        Ok(r) => r,
        Err(problem) => {
            steps.problems([problem]);
            return Err(steps.fail());
        }
    };
    let extracts = render_in_stages(&renderer, &steps, stages);
    steps.time("static", || pipeline::copy_static(settings, &steps));
    let card_data = (!matches!(stages, Stages::Publish)).then(|| renderer.card_data());
    drop(renderer);
    if matches!(stages, Stages::Publish) {
        site.shed_page_details();
    }
    if matches!(stages, Stages::Whole | Stages::Publish) {
        steps.time("search", || {
            steps.write_all(Ok(pipeline::search_index(&site, &extracts, &steps)));
        });
    }
    let report = steps.finish(site.decisions.len())?;
    Ok(Built {
        report,
        site,
        templates,
        extracts,
        card_data,
    })
}

/// Every page, feed and file the renderer makes (all but the static files and the search
/// index), in the order `stages` says; returns each decision's extract.
fn render_in_stages(
    renderer: &Renderer<'_>,
    steps: &Steps<'_>,
    stages: Stages<'_>,
) -> Vec<render::DecisionExtract> {
    let listings: Vec<render::Job> = renderer
        .jobs()
        .into_iter()
        .filter(|j| *j != render::Job::Statistics)
        .collect();
    let listings_step = |steps: &Steps| {
        steps.time("statistics", || {
            steps.write_all(renderer.statistics(statistics_wanted()));
        });
        steps.time("listings", || {
            pipeline::run_jobs(renderer, &listings, steps)
        });
    };
    let decisions_step = |steps: &Steps, inspect: Option<&pipeline::Inspect<'_>>| {
        let extracts = steps.time("decisions", || {
            pipeline::render_decisions(renderer, steps, inspect)
        });
        steps.end_progress();
        extracts
    };
    let data_step = |steps: &Steps, extracts: &[render::DecisionExtract]| {
        steps.time("data", || {
            renderer.data(extracts, |path, make| steps.write_with(path, make));
        });
    };
    match stages {
        // The search index follows, once the renderer is done with (`build_keeping_state`).
        Stages::Whole | Stages::Publish => {
            let extracts = decisions_step(steps, None);
            listings_step(steps);
            data_step(steps, &extracts);
            extracts
        }
        Stages::PagesFirst(early) => {
            listings_step(steps);
            early();
            decisions_step(steps, None)
        }
        Stages::Checking(inspect) => {
            let extracts = decisions_step(steps, Some(inspect));
            listings_step(steps);
            data_step(steps, &extracts);
            extracts
        }
    }
}

/// False when `CASEBOOK_BENCH_WITHOUT_STATISTICS` is set: `benches/build.rs` builds once
/// without the statistics (no panels, no `/statistics/`) to measure what they cost. Not a
/// setting for sites.
fn statistics_wanted() -> bool {
    std::env::var_os("CASEBOOK_BENCH_WITHOUT_STATISTICS").is_none()
}

/// Builds into `settings.output`: a staging folder swapped in only when the whole build
/// succeeded. A failed build leaves the old output untouched and no staging folder.
pub fn build_to_disk(settings: &Settings) -> Result<BuildReport, BuildFailure> {
    pipeline::check_output(settings)?;
    let sink = output::StagingSink::create(&settings.output)
        .map_err(|e| BuildFailure::io(&settings.output, &e))?;
    let report = build(settings, &sink)?;
    sink.commit()
        .map_err(|e| BuildFailure::io(&settings.output, &e))?;
    Ok(report)
}
