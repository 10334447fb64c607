//! What a change reaches (the decision pages and listing jobs to render again, and the
//! listing folders whose pages may have to go), and rendering it.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::output::OutputFile;
use crate::render::{DecisionExtract, Job, Renderer};
use crate::serve::listings;
use crate::serve::reach::{all_terms, job_for_path, neighbour_terms, neighbours};
use crate::site::Site;

/// What a change reaches: the decision pages and jobs to render again, and the listing
/// folders whose pages may have to be removed.
#[derive(Default)]
pub(super) struct Reach {
    pub(super) pages: BTreeSet<usize>,
    pub(super) jobs: Vec<Job>,
    seen_jobs: HashSet<Job>,
    pub(super) prefixes: BTreeSet<String>,
}

impl Reach {
    pub(super) fn add_jobs(&mut self, list: Vec<Job>) {
        for job in list {
            if !matches!(job, Job::Sitemap) && self.seen_jobs.insert(job) {
                self.jobs.push(job);
            }
        }
    }

    /// A decision now at `i` in `site`: its page, the jobs that show it, and its
    /// neighbours' pages (all of its council's when it joined or left the council).
    pub(super) fn now_at(
        &mut self,
        site: &Site,
        renderer: &Renderer<'_>,
        i: usize,
        council_changed: bool,
    ) {
        self.pages.insert(i);
        self.add_jobs(renderer.jobs_affected_by(i));
        let (council, category) = neighbour_terms(site, i);
        for (term, all) in [(council, council_changed), (category, false)] {
            let Some(term) = term else { continue };
            self.pages.extend(neighbours(term, i, all));
            self.prefixes.insert(term.path.clone());
        }
    }

    /// A decision that was at `i` in the old site (`sites` is old and new): the pages of
    /// its old neighbours that are still there, and the listings of every term it was in.
    pub(super) fn was_at(
        &mut self,
        (old, new): (&Site, &Site),
        new_index: &HashMap<String, usize>,
        i: usize,
        council_changed: bool,
    ) {
        let (council, category) = neighbour_terms(old, i);
        for (term, all) in [(council, council_changed), (category, false)] {
            let Some(term) = term else { continue };
            let old_refs =
                neighbours(term, i, all).map(|j| old.decisions[j].reference.as_str().to_string());
            self.pages
                .extend(old_refs.filter_map(|r| new_index.get(&r).copied()));
            self.prefixes.insert(term.path.clone());
        }
        for term in all_terms(old, i) {
            self.prefixes.insert(term.path.clone());
            if let Some(job) = job_for_path(new, &term.path) {
                self.add_jobs(vec![job]);
            }
        }
    }
}

/// Renders the decision pages and jobs a change reaches (`sites` is old and new):
/// their files, the decisions' extracts, and `prefixes` (the listing folders whose pages
/// may have to be removed) less the listings narrowed to the pages a change is on, whose
/// other pages stay as published. Errors when any page failed.
#[allow(clippy::type_complexity, reason = "three results, named in the doc")]
pub(super) fn render_affected(
    sites: (&Site, &Site),
    renderer: &Renderer<'_>,
    (pages, jobs): (&BTreeSet<usize>, &[Job]),
    changed: &HashSet<&str>,
    mut prefixes: BTreeSet<String>,
) -> Result<
    (
        Vec<OutputFile>,
        Vec<(PathBuf, DecisionExtract)>,
        BTreeSet<String>,
    ),
    Vec<Diagnostic>,
> {
    let mut problems = Vec::new();
    let (mut written, extracts) = render_pages(sites.1, renderer, pages, &mut problems);
    let narrowed = render_jobs(
        sites,
        renderer,
        jobs,
        changed,
        (&mut written, &mut problems),
    );
    for base in narrowed {
        prefixes.remove(&base);
    }
    if problems.iter().any(Diagnostic::is_error) {
        return Err(problems);
    }
    Ok((written, extracts, prefixes))
}

/// The decision pages at `pages` of `site`, with their extracts (by source file); errors
/// go to `problems`.
fn render_pages(
    site: &Site,
    renderer: &Renderer<'_>,
    pages: &BTreeSet<usize>,
    problems: &mut Vec<Diagnostic>,
) -> (Vec<OutputFile>, Vec<(PathBuf, DecisionExtract)>) {
    let rendered: Vec<Result<(PathBuf, OutputFile, DecisionExtract), Diagnostic>> = pages
        .par_iter()
        .map(|&i| {
            let full = crate::inputs::load_body(&site.sources[i], &site.decisions[i])?;
            let r = renderer.decision(i, &full)?;
            Ok((site.sources[i].clone(), r.file, r.extract))
        })
        .collect();
    let mut written = Vec::new();
    let mut extracts = Vec::new();
    for r in rendered {
        match r {
            Ok((source, file, extract)) => {
                extracts.push((source, extract));
                written.push(file);
            }
            Err(d) => problems.push(d),
        }
    }
    (written, extracts)
}

/// Renders `jobs` of the new site (`sites` is old and new) into `written`, errors into
/// `problems`; of a listing that keeps its order only the pages a changed decision is on.
/// Returns the folders of the listings so narrowed.
fn render_jobs(
    (old, new): (&Site, &Site),
    renderer: &Renderer<'_>,
    jobs: &[Job],
    changed: &HashSet<&str>,
    (written, problems): (&mut Vec<OutputFile>, &mut Vec<Diagnostic>),
) -> Vec<String> {
    let per_page = new.settings.config.paginate_by;
    let narrowed: Vec<Option<(String, BTreeSet<usize>)>> = jobs
        .par_iter()
        .map(|job| listings::pages_to_render(old, new, job, changed, per_page))
        .collect();
    let job_files: Vec<Result<Vec<OutputFile>, Diagnostic>> = jobs
        .par_iter()
        .zip(&narrowed)
        .map(|(job, only)| renderer.render_pages(job, only.as_ref().map(|(_, p)| p)))
        .collect();
    for r in job_files {
        match r {
            Ok(files) => written.extend(files),
            Err(d) => problems.push(d),
        }
    }
    narrowed
        .into_iter()
        .flatten()
        .map(|(base, _)| base)
        .collect()
}
