//! Problems found in a user's files, with where they are and what was expected.
//!
//! A [`Diagnostic`] names the file and, where it can, the line and column (1-based) and
//! what was expected there. Every step that reads user input reports problems this way,
//! so that `import`, `build` and `check` all speak the same language. Printing with a
//! source snippet goes through miette's graphical handler. No pipeline logic lives here.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Something was left out or guessed; the file still went through.
    Warning,
    /// The file could not be used.
    Error,
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file the problem is in.
    pub path: PathBuf,
    /// 1-based line and column, when the problem has a place.
    pub location: Option<Location>,
    /// What is wrong.
    pub message: String,
    /// What was expected instead, when that helps.
    pub expected: Option<String>,
    /// The byte span in `source` that the problem covers, for snippets.
    pub span: Option<(usize, usize)>,
}

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
}

impl Location {
    /// The line and column of byte `offset` in `text`. Offsets past the end point just
    /// after the last character; offsets inside a character count as that character.
    pub fn of_offset(text: &str, offset: usize) -> Self {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line = memchr::memchr_iter(b'\n', before.as_bytes()).count() + 1;
        let line_start = memchr::memrchr(b'\n', before.as_bytes()).map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Self { line, column }
    }
}

impl Diagnostic {
    /// An error in `path` with no particular place.
    pub fn error(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            path: path.into(),
            location: None,
            message: message.into(),
            expected: None,
            span: None,
        }
    }

    /// A warning in `path` with no particular place.
    pub fn warning(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(path, message)
        }
    }

    /// Places the problem at a 1-based line and column.
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.location = Some(Location { line, column });
        self
    }

    /// Places the problem at a byte span of `source` (the whole file's text).
    pub fn at_span(mut self, source: &str, start: usize, end: usize) -> Self {
        self.location = Some(Location::of_offset(source, start));
        self.span = Some((start, end.max(start)));
        self
    }

    /// Says what was expected.
    pub fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }

    /// True for errors, false for warnings.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the diagnostic with a snippet of `source` under it when a span is known.
    /// The first line is always the plain one-line form, so logs stay greppable.
    pub fn render(&self, source: Option<&str>) -> String {
        let mut out = self.to_string();
        if let (Some(src), Some((start, end))) = (source, self.span) {
            let snippet = Snippet {
                name: self.path.display().to_string(),
                source: src.to_string(),
                start: start.min(src.len()),
                len: end.min(src.len()).saturating_sub(start.min(src.len())),
                label: self.expected.clone(),
            };
            let mut rendered = String::new();
            let handler = miette::GraphicalReportHandler::new_themed(
                miette::GraphicalTheme::unicode_nocolor(),
            )
            .with_context_lines(1);
            if handler.render_report(&mut rendered, &snippet).is_ok() {
                // miette repeats the message on its first line; keep only the snippet.
                let body: Vec<&str> = rendered.lines().skip(1).collect();
                out.push('\n');
                out.push_str(body.join("\n").trim_end());
            }
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{level}: {}", display_path(&self.path))?;
        if let Some(loc) = self.location {
            write!(f, ":{}:{}", loc.line, loc.column)?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(expected) = &self.expected {
            write!(f, " (expected {expected})")?;
        }
        Ok(())
    }
}

fn display_path(path: &Path) -> String {
    path.display().to_string()
}

/// A miette view of one diagnostic's snippet.
#[derive(Debug)]
struct Snippet {
    name: String,
    source: String,
    start: usize,
    len: usize,
    label: Option<String>,
}

impl fmt::Display for Snippet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl std::error::Error for Snippet {}

impl miette::Diagnostic for Snippet {
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let label = miette::LabeledSpan::new(
            Some(self.label.clone().unwrap_or_else(|| "here".to_string())),
            self.start,
            self.len,
        );
        Some(Box::new(std::iter::once(label)))
    }
}

/// Counts errors and warnings in a list of diagnostics.
pub fn count(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    (errors, diagnostics.len() - errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_locate_offsets_in_lines_and_characters() {
        let text = "ab\ncé\nx";
        assert_eq!(
            Location::of_offset(text, 0),
            Location { line: 1, column: 1 }
        );
        assert_eq!(
            Location::of_offset(text, 3),
            Location { line: 2, column: 1 }
        );
        // 'é' is two bytes: the offset after it is column 3.
        assert_eq!(
            Location::of_offset(text, 6),
            Location { line: 2, column: 3 }
        );
        // Inside a character counts as that character.
        assert_eq!(
            Location::of_offset(text, 5),
            Location { line: 2, column: 2 }
        );
        assert_eq!(
            Location::of_offset(text, 999),
            Location { line: 3, column: 2 }
        );
    }

    #[test]
    fn can_print_file_line_column_and_expectation() {
        let d = Diagnostic::error("content/a.md", "bad date")
            .at(3, 17)
            .expected("a date like 2022-08-25");
        assert_eq!(
            d.to_string(),
            "error: content/a.md:3:17: bad date (expected a date like 2022-08-25)"
        );
    }

    #[test]
    fn can_render_a_snippet_under_the_message() {
        let src = "+++\nreference = 12\n+++\n";
        let d = Diagnostic::error("a.md", "invalid type").at_span(src, 16, 18);
        let out = d.render(Some(src));
        assert!(out.starts_with("error: a.md:2:13: invalid type"), "{out}");
        assert!(out.contains("reference = 12"), "{out}");
    }
}
