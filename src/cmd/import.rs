//! `casebook import`: read raw pages in parallel, import each, and persist the decisions
//! into `content/` without clobbering hand edits. A bad file never stops the others.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rayon::prelude::*;

use crate::cli::ImportArgs;
use crate::content::{self, Persisted};
use crate::diagnostics::Diagnostic;
use crate::import::{self, Imported};

/// What an import run did, file by file.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Files written for the first time.
    pub imported: usize,
    /// Files replaced because their source changed (or a hand edit was forced over).
    pub updated: usize,
    /// Files whose content was already up to date.
    pub unchanged: usize,
    /// Files left alone because they were edited by hand.
    pub skipped: usize,
    /// Files that could not be imported.
    pub failed: usize,
    /// The pages that could not be imported (read, or their content file written).
    pub failed_pages: Vec<PathBuf>,
    /// Every message, in input order.
    pub diagnostics: Vec<Diagnostic>,
    /// Notes for the user (hand edits kept, backups made).
    pub notes: Vec<String>,
}

/// Runs `casebook import`.
pub fn run(root: &Path, args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let report = import_paths(root, &args.paths, args.force)?;
    print_report(&report);
    Ok(if report.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Prints an import's messages on stderr and its summary line on stdout.
pub fn print_report(report: &ImportReport) {
    for d in &report.diagnostics {
        eprintln!("{d}");
    }
    for n in &report.notes {
        eprintln!("{n}");
    }
    println!(
        "imported {}, updated {}, unchanged {}, skipped {}, failed {}",
        report.imported, report.updated, report.unchanged, report.skipped, report.failed
    );
}

/// A raw page to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The page.
    pub path: PathBuf,
    /// Whether a sidecar may stand beside it: false for an HTML page that its folder's
    /// listing showed without one, so that import need not look.
    pub may_have_sidecar: bool,
}

/// Every raw page named by `paths`: files as given, folders walked for `.txt`, `.html`
/// and `.htm` files.
pub fn source_files(paths: &[PathBuf]) -> (Vec<Source>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        if path.is_dir() {
            let listed: Vec<PathBuf> = walkdir::WalkDir::new(path)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(walkdir::DirEntry::into_path)
                .collect();
            // Compared without case, so that a folder on a disk that ignores case is
            // read as the system reads it (a page is looked at more, never less).
            let lower = |p: &Path| p.to_string_lossy().to_lowercase();
            let sidecars: HashSet<String> = listed
                .iter()
                .filter(|p| {
                    p.extension()
                        .is_some_and(|x| x.eq_ignore_ascii_case("json"))
                })
                .map(|p| lower(p))
                .collect();
            let mut found: Vec<Source> = listed
                .into_iter()
                .filter(|p| {
                    p.extension().is_some_and(|x| x.eq_ignore_ascii_case("txt"))
                        || import::html::is_html(p)
                })
                .map(|path| Source {
                    may_have_sidecar: import::html::is_html(&path)
                        && sidecars.contains(&lower(&import::html::sidecar_path(&path))),
                    path,
                })
                .collect();
            found.sort_by(|a, b| a.path.cmp(&b.path));
            if found.is_empty() {
                problems.push(Diagnostic::warning(
                    path,
                    "the folder holds no .txt or .html files",
                ));
            }
            files.extend(found);
        } else if path.exists() {
            files.push(Source {
                path: path.clone(),
                may_have_sidecar: true,
            });
        } else {
            problems.push(Diagnostic::error(path, "no such file or folder"));
        }
    }
    (files, problems)
}

/// Imports the page `source`.
fn import_file(source: &Source) -> Result<Imported, Vec<Diagnostic>> {
    let path = source.path.as_path();
    let io_error = |e: std::io::Error| vec![Diagnostic::error(path, e.to_string())];
    if import::html::is_html(path) {
        let bytes = crate::fs::read_at_most(path, import::html::MAX_BYTES)
            .map_err(io_error)?
            .map_err(|len| vec![import::html::too_big(path, len)])?;
        let (url, mut warnings) = if source.may_have_sidecar {
            sidecar_url(path)
        } else {
            (None, Vec::new())
        };
        let sha = content::write::sha256_hex(&bytes);
        let mut imported = import::html::import_html(path, &bytes, url.as_deref(), &sha)?;
        warnings.append(&mut imported.warnings);
        imported.warnings = warnings;
        return Ok(imported);
    }
    let bytes = crate::fs::read(path).map_err(io_error)?;
    let text = import::decode(path, &bytes).map_err(|d| vec![d])?;
    import::import_text(path, &text, &content::write::sha256_hex(&bytes))
}

/// The URL in the page's sidecar (`<name>.json` beside it), when there is one; a sidecar
/// that cannot be read is a warning, and the page is imported without it.
fn sidecar_url(page: &Path) -> (Option<String>, Vec<Diagnostic>) {
    let path = import::html::sidecar_path(page);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return (None, Vec::new());
    };
    match serde_json::from_str::<import::html::Sidecar>(&text) {
        Ok(sidecar) => (Some(sidecar.url), Vec::new()),
        Err(e) => (
            None,
            vec![
                Diagnostic::warning(&path, format!("the sidecar is not readable: {e}"))
                    .at(e.line(), e.column())
                    .expected(r#"JSON like {"url": "https://www.lgo.org.uk/decisions/..."}"#),
            ],
        ),
    }
}

/// Imports every page under `paths` into the site at `root`: pages are read and parsed in
/// parallel, duplicates are settled in input order, then files are written in parallel.
pub fn import_paths(root: &Path, paths: &[PathBuf], force: bool) -> anyhow::Result<ImportReport> {
    // What a killed import left: temporary files of a write that never finished.
    crate::fs::remove_stale_temporaries(&root.join("content"));
    let (files, problems) = source_files(paths);
    let mut report = ImportReport {
        failed: problems.iter().filter(|d| d.is_error()).count(),
        diagnostics: problems,
        ..ImportReport::default()
    };
    let progress = crate::progress::bar(files.len() as u64, "importing");
    let existing = existing_files(root);
    let mut claimed: HashMap<String, PathBuf> = HashMap::new();
    // Pages are imported and written a batch at a time, so memory holds one batch of
    // decisions (bodies included), not the whole corpus.
    for batch in files.chunks(BATCH) {
        let results: Vec<(PathBuf, Result<Imported, Vec<Diagnostic>>)> = batch
            .par_iter()
            .map(|source| {
                let r = import_file(source);
                progress.inc(1);
                (source.path.clone(), r)
            })
            .collect();
        let jobs = claim(root, &existing, &mut claimed, &mut report, results);
        let written: Vec<(PathBuf, PathBuf, anyhow::Result<Persisted>)> = jobs
            .into_par_iter()
            .map(|(source, decision, target)| {
                let result = content::render_file(&decision)
                    .map_err(anyhow::Error::from)
                    .and_then(|text| Ok(content::persist(&target, &text, force)?));
                (source, target, result)
            })
            .collect();
        for (source, target, result) in written {
            tally(&mut report, &source, &target, result);
        }
    }
    progress.finish_and_clear();
    Ok(report)
}

/// Pages imported and written together: enough to keep every thread busy, few enough that
/// memory stays flat however many pages there are.
const BATCH: usize = 1024;

/// Where each imported decision of a batch goes; failures and a second page with a
/// reference already claimed (by this batch or an earlier one) are counted and reported.
fn claim(
    root: &Path,
    existing: &HashMap<String, PathBuf>,
    claimed: &mut HashMap<String, PathBuf>,
    report: &mut ImportReport,
    results: Vec<(PathBuf, Result<Imported, Vec<Diagnostic>>)>,
) -> Vec<(PathBuf, crate::decision::Decision, PathBuf)> {
    let mut jobs = Vec::new();
    for (source, result) in results {
        let imported = match result {
            Ok(imported) => imported,
            Err(diagnostics) => {
                report.failed += 1;
                report.failed_pages.push(source);
                report.diagnostics.extend(diagnostics);
                continue;
            }
        };
        report.diagnostics.extend(imported.warnings);
        let decision = imported.decision;
        let slug = decision.reference.slug();
        if let Some(first) = claimed.get(&slug) {
            report.failed += 1;
            report.failed_pages.push(source.clone());
            report.diagnostics.push(
                Diagnostic::error(
                    &source,
                    format!(
                        "reference {} is also in `{}`, imported from there; this file was not imported",
                        decision.reference,
                        first.display()
                    ),
                )
                .expected("one page per case reference"),
            );
            continue;
        }
        claimed.insert(slug.clone(), source.clone());
        let target = existing
            .get(&slug)
            .cloned()
            .unwrap_or_else(|| content::decision_path(root, &decision));
        jobs.push((source, decision, target));
    }
    jobs
}

fn tally(
    report: &mut ImportReport,
    source: &Path,
    target: &Path,
    result: anyhow::Result<Persisted>,
) {
    match result {
        Ok(Persisted::Created) => report.imported += 1,
        Ok(Persisted::Updated) => report.updated += 1,
        Ok(Persisted::Unchanged) => report.unchanged += 1,
        Ok(Persisted::KeptHandEdit) => {
            report.skipped += 1;
            report.diagnostics.push(
                Diagnostic::warning(
                    target,
                    format!(
                        "was edited by hand, so it was left as it is (the import of `{}` was skipped)",
                        source.display()
                    ),
                )
                .expected("`--force` to replace it and keep the edited file beside it"),
            );
        }
        Ok(Persisted::Replaced { backup }) => {
            report.updated += 1;
            report.notes.push(format!(
                "note: {} was edited by hand; the edited file was kept as {}",
                target.display(),
                backup.display()
            ));
        }
        Err(e) => {
            report.failed += 1;
            report.failed_pages.push(source.to_path_buf());
            report
                .diagnostics
                .push(Diagnostic::error(target, format!("{e:#}")));
        }
    }
}

/// The content files already in the site, by reference slug (their file stem), so that a
/// re-import finds a file wherever an editor put it.
fn existing_files(root: &Path) -> HashMap<String, PathBuf> {
    content::load::decision_paths(&root.join("content").join("decisions"))
        .into_iter()
        .filter_map(|p| {
            let stem = p.file_stem()?.to_string_lossy().into_owned();
            Some((stem, p))
        })
        .collect()
}
