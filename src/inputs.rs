//! Reading the site's inputs for a build: decisions (without keeping their bodies),
//! standalone pages, the glossaries and the static files. The one place besides
//! `content::load` where the build reads the site's folder; parsing is left to `content`
//! and `site`, so everything here is IO and bookkeeping.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Settings;
use crate::content;
use crate::decision::Decision;
use crate::diagnostics::Diagnostic;
use crate::site::{page, Glossary, Page};

/// Everything a build reads before rendering.
#[derive(Debug, Default)]
pub struct Inputs {
    /// Each decision and its file, bodies dropped.
    pub decisions: Vec<(PathBuf, Decision)>,
    /// Standalone pages.
    pub pages: Vec<Page>,
    /// The merged glossary.
    pub glossary: Glossary,
    /// Every problem found, in path order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads every input of the site in `settings`, reporting every problem.
pub fn load(settings: &Settings) -> Inputs {
    let (decisions, mut diagnostics) = load_decisions(&settings.decisions_dir());
    let (pages, page_problems) = load_pages(&settings.content_dir().join("pages"));
    diagnostics.extend(page_problems);
    let mut entries = Vec::new();
    let mut site_entries = Vec::new();
    for (path, into) in [
        (settings.theme_dir().join("glossary.toml"), &mut entries),
        (
            settings.content_dir().join("glossary.toml"),
            &mut site_entries,
        ),
    ] {
        match read_optional(&path) {
            Ok(Some(text)) => match Glossary::parse(&path, &text) {
                Ok(found) => into.extend(found),
                Err(d) => diagnostics.push(d),
            },
            Ok(None) => {}
            Err(d) => diagnostics.push(d),
        }
    }
    Inputs {
        decisions,
        pages,
        glossary: Glossary::merge(entries, site_entries),
        diagnostics,
    }
}

/// Loads every decision below `dir` in parallel, dropping each body as soon as it is
/// parsed, so memory holds metadata only. Two files with one reference: the first by
/// path is kept, the second reported (as `content::load_decisions` does).
pub fn load_decisions(dir: &Path) -> (Vec<(PathBuf, Decision)>, Vec<Diagnostic>) {
    let results: Vec<(PathBuf, Result<Decision, Diagnostic>)> = content::load::decision_paths(dir)
        .into_par_iter()
        .map(|path| {
            let result = content::load::load_decision(&path).map(|mut d| {
                d.body = String::new();
                d
            });
            (path, result)
        })
        .collect();
    let mut decisions = Vec::with_capacity(results.len());
    let mut problems = Vec::new();
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    for (path, result) in results {
        match result {
            Ok(d) => {
                if let Some(first) = seen.get(d.reference.as_str()) {
                    problems.push(
                        Diagnostic::error(
                            &path,
                            format!(
                                "reference {} is also used by `{}`; this file was left out",
                                d.reference,
                                first.display()
                            ),
                        )
                        .at(1, 1)
                        .expected("one file per case reference"),
                    );
                } else {
                    seen.insert(d.reference.as_str().to_string(), path.clone());
                    decisions.push((path, d));
                }
            }
            Err(d) => problems.push(d),
        }
    }
    (decisions, problems)
}

/// The decision with its body read back from its file, for rendering its page. Only the
/// `+++` fences are found again; the front matter is not parsed twice (the metadata comes
/// from `loaded`, read moments before in the same build).
pub fn load_body(path: &Path, loaded: &Decision) -> Result<Decision, Diagnostic> {
    let body = load_body_text(path)?;
    let mut full = loaded.clone();
    full.body = body;
    Ok(full)
}

/// The body of the decision file at `path` alone (for the search index, which reads
/// nothing else of it): the same text [`load_body`] gives.
pub fn load_body_text(path: &Path) -> Result<String, Diagnostic> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Diagnostic::error(path, format!("could not read the file: {e}")))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let parts = content::split::split(text).map_err(|e| {
        Diagnostic::error(path, e.message)
            .at_span(text, e.offset, e.offset)
            .expected(e.expected)
    })?;
    // The same body `content::load` reads, lone CRs included.
    Ok(content::split::unix_line_ends(parts.body).into_owned())
}

/// Loads `content/pages/*.md`; two pages at one path are an error.
pub fn load_pages(dir: &Path) -> (Vec<Page>, Vec<Diagnostic>) {
    let mut pages: Vec<Page> = Vec::new();
    let mut problems = Vec::new();
    for path in content::load::decision_paths(dir) {
        let parsed =
            read_optional(&path).and_then(|t| page::parse_page(&path, &t.unwrap_or_default()));
        match parsed {
            Ok(p) => {
                if let Some(other) = pages.iter().find(|o| o.path == p.path) {
                    problems.push(
                        Diagnostic::error(
                            &path,
                            format!(
                                "the page path `{}` is also used by `{}`",
                                p.path,
                                other.source.display()
                            ),
                        )
                        .at(1, 1)
                        .expected("a `path` of its own"),
                    );
                } else {
                    pages.push(p);
                }
            }
            Err(d) => problems.push(d),
        }
    }
    (pages, problems)
}

/// The static files to copy: the theme's `static/`, then the site's `static/` (which
/// wins for the same path), as output path -> file, under `static/`.
pub fn static_files(settings: &Settings) -> BTreeMap<String, PathBuf> {
    let mut files = BTreeMap::new();
    for dir in [
        settings.theme_dir().join("static"),
        settings.root.join("static"),
    ] {
        for entry in walkdir::WalkDir::new(&dir)
            .into_iter()
            .filter_map(Result::ok)
        {
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(&dir) else {
                continue;
            };
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            files.insert(format!("static/{}", rel.join("/")), entry.into_path());
        }
    }
    files
}

fn read_optional(path: &Path) -> Result<Option<String>, Diagnostic> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Diagnostic::error(
            path,
            format!("could not read the file: {e}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_back_the_body_the_site_model_read() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("a.md");
        let text =
            "+++\nreference = \"21 019 020\"\ncouncil = \"A Council\"\n+++\n\npu\r\r\nrae\rend\r\n";
        std::fs::write(&path, text).expect("writes");
        let loaded = content::load::parse_decision(&path, text).expect("parses");
        let full = load_body(&path, &loaded).expect("reads back");
        assert_eq!(full.body, "pu\n\nrae\nend\n");
        assert_eq!(full, loaded);
    }
}
