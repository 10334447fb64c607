//! `casebook check`: load the site's content and report every problem, exiting non-zero
//! on any error (for CI). With `--readability`, also print how easy each decision's
//! plain-English summary is to read, beside the Ombudsman's own summary.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;

use crate::cli::CheckArgs;
use crate::content::ContentFile;
use crate::decision::Decision;
use crate::diagnostics::{self, Diagnostic};
use crate::summary::readability::{measure, Readability};
use crate::summary::{summarise, Origin, PlainSummary};

/// Runs `casebook check`.
pub fn run(root: &Path, args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let dir = root.join("content").join("decisions");
    let mut problems = Vec::new();
    let checked = if dir.is_dir() {
        check_site(root, args.readability)
    } else {
        problems.push(
            Diagnostic::error(&dir, "there is no content folder to check")
                .expected("a site folder holding content/decisions/ (see `casebook init`)"),
        );
        check_content(&dir, args.readability, Vec::new())
    };
    problems.extend(checked.problems);
    for d in &problems {
        let source = std::fs::read_to_string(&d.path).ok();
        eprintln!("{}", d.render(source.as_deref()));
    }
    if args.readability {
        print!("{}", report_rows(&checked.rows));
    }
    let (errors, warnings) = diagnostics::count(&problems);
    println!(
        "checked {} decisions: {errors} errors, {warnings} warnings",
        checked.decisions
    );
    Ok(if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// What checking found.
struct Checked {
    /// Every problem, in the order to print them.
    problems: Vec<Diagnostic>,
    /// With `--readability`, each decision's figures.
    rows: Vec<ReadabilityRow>,
    /// How many decisions the rules were run on.
    decisions: usize,
}

/// One decision's findings, by its index in the site.
type Found = (usize, Vec<Diagnostic>, Option<ReadabilityRow>);

/// Checks the site in one build: the build's own problems (content files, templates), each
/// decision's rules as its page is rendered, against the summary the page shows, and then
/// the links of every page. A site that cannot get as far as its decision pages (a broken
/// config or template) has its content checked without the build.
fn check_site(root: &Path, readability: bool) -> Checked {
    let (mut problems, settings) = match check_settings(root) {
        Ok(loaded) => loaded,
        Err(problems) => {
            return check_content(&root.join("content/decisions"), readability, problems)
        }
    };
    let found: Mutex<Vec<Found>> = Mutex::new(Vec::new());
    let inspect = |index: usize, path: &Path, decision: &Decision, shown: &PlainSummary| {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let problems = crate::check::check_rendered(path, decision, &text, shown);
        let row = readability.then(|| readability_row(decision, shown));
        lock(&found).push((index, problems, row));
    };
    let sink = crate::check::LinkSink::new(CHECK_BASE_URL);
    let built = crate::build_keeping_state(&settings, &sink, crate::Stages::Checking(&inspect))
        .map(|built| built.report);
    if let Ok(report) = &built {
        super::print_timings(report);
    }
    let mut found = found.into_inner().unwrap_or_else(PoisonError::into_inner);
    let (build_problems, links_checked) = match built {
        Ok(report) => (report.warnings, true),
        Err(failure) if found.is_empty() => {
            // Stopped before the decision pages: check the content files by themselves,
            // and keep of the build's problems those only a build finds.
            let decisions = settings.decisions_dir();
            problems.extend(
                failure
                    .diagnostics
                    .into_iter()
                    .filter(|d| !d.path.starts_with(&decisions)),
            );
            return check_content(&decisions, readability, problems);
        }
        Err(failure) => (failure.diagnostics, false),
    };
    problems.extend(build_problems);
    found.sort_by_key(|(index, _, _)| *index);
    let decisions = found.len();
    let mut rows = Vec::new();
    for (_, found, row) in found {
        problems.extend(found);
        rows.extend(row);
    }
    // A failed build publishes nothing: its pages' links are not worth reporting.
    if links_checked {
        problems.extend(broken_links(root, sink));
    }
    Checked {
        problems,
        rows,
        decisions,
    }
}

/// The site's settings as `check` builds with them (every link under
/// [`CHECK_BASE_URL`]), with the warning about the site's own `base_url`, if any; the
/// problems of a config that cannot be read.
fn check_settings(
    root: &Path,
) -> Result<(Vec<Diagnostic>, crate::config::Settings), Vec<Diagnostic>> {
    let own = crate::config::Settings::load(root, &Default::default())?;
    let overrides = crate::config::Overrides {
        base_url: Some(CHECK_BASE_URL.to_string()),
        output: None,
    };
    // The config as read once, with check's base URL.
    let settings = crate::config::Settings::from_config(root, own.config.clone(), &overrides)
        .map_err(|d| vec![d])?;
    Ok((own.base_url_warning().into_iter().collect(), settings))
}

/// Checks the content files in `dir` without building (when the site cannot be built),
/// after the problems already `found`: each file is read again and its text dropped
/// after, so no more than a few bodies are in memory at once.
fn check_content(dir: &Path, readability: bool, found: Vec<Diagnostic>) -> Checked {
    let mut problems = found;
    let (decisions, load_problems) = crate::inputs::load_decisions(dir);
    problems.extend(load_problems);
    let checked: Vec<(Vec<Diagnostic>, Option<ReadabilityRow>)> = decisions
        .par_iter()
        .map(|(path, loaded)| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            let decision = match crate::inputs::load_body(path, loaded) {
                Ok(d) => d,
                Err(d) => return (vec![d], None),
            };
            let shown = summarise(&decision);
            let found = crate::check::check_rendered(path, &decision, &text, &shown);
            let row = readability.then(|| readability_row(&decision, &shown));
            (found, row)
        })
        .collect();
    let mut rows = Vec::new();
    for (found, row) in checked {
        problems.extend(found);
        rows.extend(row);
    }
    Checked {
        problems,
        rows,
        decisions: decisions.len(),
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Each update is a single push: a panic cannot leave the list torn.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn broken_links(root: &Path, sink: crate::check::LinkSink) -> Vec<Diagnostic> {
    sink.broken()
        .into_iter()
        .map(|b| {
            Diagnostic::error(
                root.join("public").join(&b.page),
                format!(
                    "the link `{}` points nowhere: {}",
                    b.href.trim_start_matches(CHECK_BASE_URL),
                    b.reason
                ),
            )
            .expected("a link to a page of the site")
        })
        .collect()
}

/// The address the site is built under for checking, so internal links can be told apart.
const CHECK_BASE_URL: &str = "http://casebook.check/";

/// One decision's figures: our summary's and, when it has one, the Ombudsman's.
#[derive(Debug, Clone)]
pub struct ReadabilityRow {
    /// The case reference.
    pub reference: String,
    /// Who wrote our summary.
    pub origin: Origin,
    /// Our summary's figures.
    pub ours: Readability,
    /// The Ombudsman's summary's figures, when the decision has one.
    pub theirs: Option<Readability>,
}

/// The figures for every decision, in the order given.
pub fn readability_rows(files: &[ContentFile]) -> Vec<ReadabilityRow> {
    files
        .iter()
        .map(|f| readability_row(&f.decision, &summarise(&f.decision)))
        .collect()
}

/// One decision's figures, `shown` being the plain-English summary its page shows.
fn readability_row(decision: &Decision, shown: &PlainSummary) -> ReadabilityRow {
    ReadabilityRow {
        reference: decision.reference.to_string(),
        origin: shown.origin,
        ours: measure(&shown.text()),
        theirs: decision.summary.as_deref().map(measure),
    }
}

/// The readability table printed by `casebook check --readability`: per decision, our
/// summary's reading ease, grade and words per sentence beside the Ombudsman's, then the
/// averages.
pub fn readability_report(files: &[ContentFile]) -> String {
    report_rows(&readability_rows(files))
}

/// The readability table of rows already measured.
fn report_rows(rows: &[ReadabilityRow]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Readability: Flesch reading ease (higher is easier), Flesch-Kincaid grade, words per sentence"
    );
    let _ = writeln!(
        out,
        "{:<22} | {:^17} | {:^17}",
        "", "ours", "the Ombudsman's"
    );
    let _ = writeln!(
        out,
        "{:<12} {:<9} | {:>5} {:>5} {:>5} | {:>5} {:>5} {:>5}",
        "reference", "summary", "ease", "grade", "w/s", "ease", "grade", "w/s"
    );
    for row in rows {
        let origin = match row.origin {
            Origin::Generated => "generated",
            Origin::Editor => "editor",
        };
        let _ = writeln!(
            out,
            "{:<12} {:<9} | {} | {}",
            row.reference,
            origin,
            figures(Some(&row.ours)),
            figures(row.theirs.as_ref())
        );
    }
    let ours: Vec<&Readability> = rows.iter().map(|r| &r.ours).collect();
    let theirs: Vec<&Readability> = rows.iter().filter_map(|r| r.theirs.as_ref()).collect();
    let easier = rows
        .iter()
        .filter(|r| {
            r.theirs
                .is_none_or(|t| r.ours.reading_ease > t.reading_ease)
        })
        .count();
    let _ = writeln!(
        out,
        "{:<22} | {} | {}",
        format!("average of {}", rows.len()),
        averages(&ours),
        averages(&theirs)
    );
    let _ = writeln!(
        out,
        "ours reads more easily than the Ombudsman's for {easier} of {} decisions",
        rows.len()
    );
    out
}

fn figures(r: Option<&Readability>) -> String {
    match r {
        Some(r) => format!(
            "{:>5.1} {:>5.1} {:>5.1}",
            r.reading_ease, r.grade, r.words_per_sentence
        ),
        None => format!("{:>5} {:>5} {:>5}", "-", "-", "-"),
    }
}

fn averages(rows: &[&Readability]) -> String {
    if rows.is_empty() {
        return figures(None);
    }
    #[allow(clippy::cast_precision_loss, reason = "a count of decisions")]
    let n = rows.len() as f64;
    let mean = |f: fn(&Readability) -> f64| rows.iter().map(|r| f(r)).sum::<f64>() / n;
    format!(
        "{:>5.1} {:>5.1} {:>5.1}",
        mean(|r| r.reading_ease),
        mean(|r| r.grade),
        mean(|r| r.words_per_sentence)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(reference: &str, summary: Option<&str>, plain: Option<&str>) -> ContentFile {
        let mut text = format!(
            "+++\nreference = \"{reference}\"\ncouncil = \"Kent County Council\"\noutcome = \"Not upheld\"\n"
        );
        if let Some(s) = summary {
            let _ = writeln!(text, "summary = \"{s}\"");
        }
        if let Some(p) = plain {
            let _ = writeln!(text, "plain_summary = \"{p}\"");
        }
        text.push_str("+++\n## The complaint\n\n1. Mr X complains the Council lost his form.\n");
        let path = std::path::PathBuf::from("a.md");
        let decision = crate::content::load::parse_decision(&path, &text).expect("valid test file");
        ContentFile { path, decision }
    }

    #[test]
    fn can_report_each_decision_and_the_averages() {
        let files = [
            file("21 019 020", Some("The Council’s consideration of the complainant’s representations was procedurally deficient."), None),
            file("21 019 021", None, Some("The council did nothing wrong.")),
        ];
        let report = readability_report(&files);
        assert!(report.contains("21 019 020   generated"), "{report}");
        assert!(report.contains("21 019 021   editor"), "{report}");
        assert!(report.contains("average of 2"), "{report}");
        assert!(report.contains("for 2 of 2 decisions"), "{report}");
        let rows = readability_rows(&files);
        assert!(rows[1].theirs.is_none());
        assert!(rows[0].ours.reading_ease > rows[0].theirs.map_or(100.0, |t| t.reading_ease));
    }

    #[test]
    fn can_report_no_decisions() {
        let report = readability_report(&[]);
        assert!(report.contains("average of 0"), "{report}");
    }
}
