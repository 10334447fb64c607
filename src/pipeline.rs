//! The machinery of [`crate::build`]: timing each step, collecting every problem from
//! many threads, counting what was written, and the parallel loops of the render step.
//! The order of the steps lives in `lib.rs`; this module only runs them.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use rayon::prelude::*;

use crate::config::Settings;
use crate::decision::Decision;
use crate::diagnostics::Diagnostic;
use crate::inputs;
use crate::output::{Make, OutputFile, OutputSink};
use crate::render::{DecisionExtract, Job, Renderer};
use crate::summary::{Origin, PlainSummary};

/// What a successful build did.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildReport {
    /// Decisions in the site.
    pub decisions: usize,
    /// HTML pages written.
    pub pages: usize,
    /// Files written (pages, feeds, data, static files).
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Seconds per step, in order, with the process's peak resident memory in bytes when
    /// the step ended, where the platform reports it.
    pub steps: Vec<(&'static str, f64, Option<u64>)>,
    /// Problems that did not stop the build.
    pub warnings: Vec<Diagnostic>,
}

impl BuildReport {
    /// The one-line summary printed after each build.
    pub fn summary(&self) -> String {
        #[allow(clippy::cast_precision_loss, reason = "a size shown to one decimal")]
        let mb = self.bytes as f64 / 1_000_000.0;
        format!(
            "built {} pages ({} files, {mb:.1} MB) from {} decisions in {:.2} s",
            self.pages, self.files, self.decisions, self.seconds
        )
    }
}

/// Why a build failed: every problem found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildFailure {
    /// Every error and warning, errors first.
    pub diagnostics: Vec<Diagnostic>,
}

impl BuildFailure {
    /// A failure from an IO error on `path`.
    pub fn io(path: &Path, e: &std::io::Error) -> Self {
        Self {
            diagnostics: vec![Diagnostic::error(path, e.to_string())],
        }
    }
}

impl fmt::Display for BuildFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (errors, _) = crate::diagnostics::count(&self.diagnostics);
        write!(f, "the build failed with {errors} error(s)")
    }
}

impl std::error::Error for BuildFailure {}

/// The state of one build run, shared by the threads of a step.
pub struct Steps<'a> {
    sink: &'a dyn OutputSink,
    started: Instant,
    timings: Mutex<Vec<(&'static str, f64, Option<u64>)>>,
    problems: Mutex<Vec<Diagnostic>>,
    files: AtomicUsize,
    pages: AtomicUsize,
    bytes: AtomicU64,
    progress: indicatif::ProgressBar,
}

impl<'a> Steps<'a> {
    /// A run writing into `sink`.
    pub fn new(sink: &'a dyn OutputSink) -> Self {
        Self {
            sink,
            started: Instant::now(),
            timings: Mutex::new(Vec::new()),
            problems: Mutex::new(Vec::new()),
            files: AtomicUsize::new(0),
            pages: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            progress: indicatif::ProgressBar::hidden(),
        }
    }

    /// Shows a progress bar over the `len` decision pages (on a terminal only).
    pub fn show_progress(&mut self, len: usize) {
        self.progress = crate::progress::bar(len as u64, "rendering");
    }

    /// One decision page done.
    pub fn tick(&self) {
        self.progress.inc(1);
    }

    /// Takes the progress bar off the terminal.
    pub fn end_progress(&self) {
        self.progress.finish_and_clear();
    }

    /// Runs one step and records how long it took and the process's peak memory when it
    /// ended (the peak so far: a step that raised it shows it first).
    pub fn time<T>(&self, name: &'static str, step: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = step();
        let secs = start.elapsed().as_secs_f64();
        lock(&self.timings).push((name, secs, crate::stats::peak_memory_bytes()));
        out
    }

    /// Records problems.
    pub fn problems(&self, found: impl IntoIterator<Item = Diagnostic>) {
        lock(&self.problems).extend(found);
    }

    /// Hands one file to the sink, counting it; an IO error becomes a problem.
    pub fn write(&self, file: OutputFile) {
        let (path, len) = (file.path.clone(), file.bytes.len() as u64);
        match self.sink.write(file) {
            Ok(()) => {
                self.files.fetch_add(1, Ordering::Relaxed);
                self.bytes.fetch_add(len, Ordering::Relaxed);
                if path.ends_with(".html") {
                    self.pages.fetch_add(1, Ordering::Relaxed);
                }
            }
            Err(e) => self.problems([Diagnostic::error(path, e.to_string())]),
        }
    }

    /// Hands the file at `path` that `make` writes to the sink, counting it; an error
    /// becomes a problem. Safe to call from several threads at once.
    pub fn write_with(&self, path: &str, make: Make<'_>) {
        match self.sink.write_with(path, make) {
            Ok(len) => {
                self.files.fetch_add(1, Ordering::Relaxed);
                self.bytes.fetch_add(len, Ordering::Relaxed);
            }
            Err(e) => self.problems([Diagnostic::error(path, e.to_string())]),
        }
    }

    /// Writes every file of a step's result, or records its problem.
    pub fn write_all(&self, files: Result<Vec<OutputFile>, Diagnostic>) {
        match files {
            Ok(files) => files.into_iter().for_each(|f| self.write(f)),
            Err(d) => self.problems([d]),
        }
    }

    /// The build's failure so far, with every problem.
    pub fn fail(self) -> BuildFailure {
        BuildFailure {
            diagnostics: dedupe(
                self.problems
                    .into_inner()
                    .unwrap_or_else(PoisonError::into_inner),
            ),
        }
    }

    /// The report, or the failure when any problem is an error.
    pub fn finish(self, decisions: usize) -> Result<BuildReport, BuildFailure> {
        let problems = lock(&self.problems).clone();
        if problems.iter().any(Diagnostic::is_error) {
            return Err(self.fail());
        }
        Ok(BuildReport {
            decisions,
            pages: self.pages.load(Ordering::Relaxed),
            files: self.files.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
            seconds: self.started.elapsed().as_secs_f64(),
            steps: lock(&self.timings).clone(),
            warnings: dedupe(problems),
        })
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Every update under these locks is a single push: a panic cannot leave them torn.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// One diagnostic per distinct problem (a template error repeats on every page that uses
/// the template), errors first, each noting how many more times it happened.
fn dedupe(problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<(Diagnostic, usize)> = Vec::new();
    for d in problems {
        let key = d.to_string();
        if let Some(&i) = seen.get(&key) {
            out[i].1 += 1;
        } else {
            seen.insert(key, out.len());
            out.push((d, 0));
        }
    }
    let mut out: Vec<Diagnostic> = out
        .into_iter()
        .map(|(mut d, more)| {
            if more > 0 {
                d.message = format!("{} (and {more} more times)", d.message);
            }
            d
        })
        .collect();
    out.sort_by_key(|d| std::cmp::Reverse(d.severity));
    out
}

/// What `check` runs on each decision as its page is rendered: the decision's index in the
/// site, its file, the decision with its body, and the plain-English summary its page shows.
pub type Inspect<'a> = dyn Fn(usize, &Path, &Decision, &PlainSummary) + Sync + 'a;

/// Renders every decision page in parallel, reading each body back from its file and
/// dropping it after; returns each decision's extract, by index. `inspect`, when given, sees
/// each decision rendered.
pub fn render_decisions(
    r: &Renderer<'_>,
    steps: &Steps<'_>,
    inspect: Option<&Inspect<'_>>,
) -> Vec<DecisionExtract> {
    let site = r.site();
    (0..site.decisions.len())
        .into_par_iter()
        .map(|i| {
            let rendered =
                inputs::load_body(&site.sources[i], &site.decisions[i]).and_then(|full| {
                    let rendered = r.decision(i, &full)?;
                    if let Some(inspect) = inspect {
                        inspect(i, &site.sources[i], &full, &rendered.summary);
                    }
                    Ok(rendered)
                });
            steps.tick();
            match rendered {
                Ok(rendered) => {
                    steps.write(rendered.file);
                    rendered.extract
                }
                Err(d) => {
                    steps.problems([d]);
                    DecisionExtract {
                        plain_summary: String::new(),
                        origin: Origin::Generated,
                    }
                }
            }
        })
        .collect()
}

/// The search index over every decision. The cards and facets come from the site model;
/// each body is read back, reduced to plain text and indexed only when the indexer reaches
/// it, then dropped, so the texts of the corpus are never all in memory.
pub fn search_index(
    site: &crate::site::Site,
    extracts: &[DecisionExtract],
    steps: &Steps<'_>,
) -> Vec<OutputFile> {
    let docs: Vec<crate::search::SearchDocument> = (0..site.decisions.len())
        .into_par_iter()
        .map(|i| {
            let url = site.settings.url(&site.decision_path(i));
            let plain = extracts.get(i).map_or("", |e| e.plain_summary.as_str());
            // The site model holds no bodies: the text comes from `text` below.
            crate::search::document_without_text(&site.decisions[i], &url, plain)
        })
        .collect();
    let synonyms = crate::search::synonyms::Synonyms::from_glossary(&site.glossary.entries);
    let text = |i: usize| {
        let body = inputs::load_body_text(&site.sources[i])
            .map_err(|d| steps.problems([d]))
            .ok()?;
        Some(crate::search::text::markdown_to_text(&body))
    };
    crate::search::build_index_with(&docs, &synonyms, &text)
}

/// Runs `jobs` in parallel, writing each file as soon as it is rendered: the pages of a
/// long listing (5,000 of them for all of 100,000 decisions) are never held together.
pub fn run_jobs(r: &Renderer<'_>, jobs: &[Job], steps: &Steps<'_>) {
    jobs.par_iter().for_each(|job| {
        if let Err(problem) = r.render_into(job, &|file| steps.write(file)) {
            steps.problems([problem]);
        }
    });
}

/// Copies the theme's and the site's static files.
pub fn copy_static(settings: &Settings, steps: &Steps<'_>) {
    let files: Vec<_> = inputs::static_files(settings).into_iter().collect();
    files
        .par_iter()
        .for_each(|(path, source)| match crate::fs::read(source) {
            Ok(bytes) => steps.write(OutputFile {
                path: path.clone(),
                bytes,
            }),
            Err(e) => steps.problems([Diagnostic::error(source, e.to_string())]),
        });
}

/// Refuses an output folder that is the site's folder or holds it: the swap replaces
/// the output folder whole.
pub fn check_output(settings: &Settings) -> Result<(), BuildFailure> {
    let absolute = |p: &Path| {
        std::fs::canonicalize(p).unwrap_or_else(|_| {
            std::env::current_dir().map_or_else(|_| p.to_path_buf(), |cwd| cwd.join(p))
        })
    };
    let root = absolute(&settings.root);
    let output = absolute(&settings.output);
    if root.starts_with(&output) || output.starts_with(root.join("content")) {
        return Err(BuildFailure {
            diagnostics: vec![Diagnostic::error(
                &settings.output,
                "the output folder holds the site's own files, and a build replaces it whole",
            )
            .expected("a folder of its own, such as public/")],
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_report_a_repeated_problem_once_with_a_count() {
        let d = Diagnostic::error("t.html", "unknown variable").at(2, 3);
        let w = Diagnostic::warning("a.md", "odd");
        let out = dedupe(vec![w, d.clone(), d.clone(), d]);
        assert_eq!(out.len(), 2);
        assert!(out[0].is_error());
        assert!(out[0].message.ends_with("(and 2 more times)"), "{}", out[0]);
    }

    #[test]
    fn errors_on_an_output_folder_that_holds_the_site() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut s = Settings::with_defaults(dir.path());
        s.output = dir.path().to_path_buf();
        assert!(check_output(&s).is_err());
        s.output = dir.path().join("public");
        assert!(check_output(&s).is_ok());
    }
}
