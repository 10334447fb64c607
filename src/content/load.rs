//! Loading `content/decisions/**/*.md` into decisions, in parallel, reporting every problem.
//!
//! A bad file never stops the others: each file gives a decision or a diagnostic with the
//! file, line and column, and the caller decides what a failure means for the run.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::front_matter::FrontMatter;
use crate::decision::Decision;
use crate::diagnostics::Diagnostic;

/// A decision and the content file it was loaded from.
#[derive(Debug, Clone)]
pub struct ContentFile {
    /// The file, as found under the site's root.
    pub path: PathBuf,
    /// The decision it holds.
    pub decision: Decision,
}

/// What loading a folder of decisions found.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Every decision that loaded, sorted by path.
    pub files: Vec<ContentFile>,
    /// Every problem, sorted by path.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses one content file's text into a decision.
pub fn parse_decision(path: &Path, text: &str) -> Result<Decision, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (front, parts): (FrontMatter, _) = super::split::parse_front_matter(path, text, None)?;
    let body = super::split::unix_line_ends(parts.body).into_owned();
    front.into_decision(body).map_err(|e| {
        let start = key_offset(parts.front_matter, e.key).unwrap_or(0) + parts.front_matter_offset;
        Diagnostic::error(path, format!("invalid `{}`: {}", e.key, e.message))
            .at_span(text, start, start + e.key.len())
            .expected(e.expected)
    })
}

fn key_offset(front_matter: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in front_matter.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with(key) && trimmed[key.len()..].trim_start().starts_with('=') {
            return Some(offset + (line.len() - trimmed.len()));
        }
        offset += line.len();
    }
    None
}

/// Reads and parses one file.
pub fn load_decision(path: &Path) -> Result<Decision, Diagnostic> {
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::error(path, format!("could not read the file: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
        Diagnostic::error(path, "the file is not valid UTF-8 text")
            .at_span(&lossy, offset, offset)
            .expected("a UTF-8 Markdown file")
    })?;
    parse_decision(path, &text)
}

/// Every `*.md` file below `dir`, sorted. A missing folder has no files.
pub fn decision_paths(dir: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    paths.sort();
    paths
}

/// Loads every decision below `dir` in parallel. Two files with the same reference: the
/// first (by path) is kept and the second is reported.
pub fn load_decisions(dir: &Path) -> Loaded {
    let results: Vec<(PathBuf, Result<Decision, Diagnostic>)> = decision_paths(dir)
        .into_par_iter()
        .map(|path| {
            let result = load_decision(&path);
            (path, result)
        })
        .collect();
    let mut loaded = Loaded::default();
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    for (path, result) in results {
        match result {
            Ok(decision) => {
                let key = decision.reference.as_str().to_string();
                if let Some(first) = seen.get(&key) {
                    loaded.diagnostics.push(
                        Diagnostic::error(
                            &path,
                            format!(
                                "reference {key} is also used by `{}`; this file was left out",
                                first.display()
                            ),
                        )
                        .at(1, 1)
                        .expected("one file per case reference"),
                    );
                } else {
                    seen.insert(key, path.clone());
                    loaded.files.push(ContentFile { path, decision });
                }
            }
            Err(d) => loaded.diagnostics.push(d),
        }
    }
    loaded
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "+++\nreference = \"21 019 020\"\ncouncil = \"A Council\"\n\
                        decision_date = 2022-08-25\n+++\n\n## The complaint\n";

    #[test]
    fn can_parse_a_minimal_file() {
        let d = parse_decision(Path::new("a.md"), GOOD).expect("parses");
        assert_eq!(d.council, "A Council");
        assert_eq!(d.body, "## The complaint\n");
    }

    #[test]
    fn reads_every_line_ending_as_one_so_that_writing_back_is_stable() {
        // Found by fuzzing: `\r\r\n` lost one `\r` at each write and read.
        let text = GOOD.replace("## The complaint\n", "pu\r\r\nrae\rend\r\n");
        let d = parse_decision(Path::new("a.md"), &text).expect("parses");
        assert_eq!(d.body, "pu\n\nrae\nend\n");
        let written = crate::content::render_file(&d).expect("writes");
        let again = parse_decision(Path::new("a.md"), &written).expect("parses again");
        assert_eq!(
            crate::content::render_file(&again).expect("writes"),
            written
        );
    }

    #[test]
    fn errors_on_bad_toml_at_the_line_in_the_whole_file() {
        let text = GOOD.replace("council = \"A Council\"", "council = A Council");
        let d = parse_decision(Path::new("a.md"), &text).expect_err("bad toml");
        let loc = d.location.expect("located");
        assert_eq!((loc.line, loc.column), (3, 11), "{d}");
    }

    #[test]
    fn errors_on_a_missing_field() {
        let text = GOOD.replace("council = \"A Council\"\n", "");
        let d = parse_decision(Path::new("a.md"), &text).expect_err("missing");
        assert!(d.message.contains("missing field `council`"), "{d}");
    }

    #[test]
    fn errors_on_an_impossible_date_at_its_key() {
        let text = GOOD.replace("2022-08-25", "2022-02-30");
        let d = parse_decision(Path::new("a.md"), &text).expect_err("bad date");
        let loc = d.location.expect("located");
        assert_eq!(loc.line, 4, "{d}");
    }

    #[test]
    fn errors_on_a_bad_outcome_with_what_was_expected() {
        let text = GOOD.replace("+++\n\n", "outcome = \"Partly upheld\"\n+++\n\n");
        let d = parse_decision(Path::new("a.md"), &text).expect_err("bad outcome");
        assert!(d.message.contains("Closed after initial enquiries"), "{d}");
        assert_eq!(d.location.expect("located").line, 5);
    }
}
