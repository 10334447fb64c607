//! Splitting a content file into its TOML front matter and its Markdown body.
//!
//! Front matter sits between two `+++` lines at the very top (the Zola convention). The
//! split keeps byte offsets so that a TOML error can be reported at its line and column in
//! the whole file, not in the front matter alone.

use std::borrow::Cow;

/// A content file split at its `+++` fences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The TOML between the fences.
    pub front_matter: &'a str,
    /// Byte offset of `front_matter` in the whole file.
    pub front_matter_offset: usize,
    /// Everything after the closing fence, without the blank line that follows it.
    pub body: &'a str,
}

/// Why a file could not be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitError {
    /// What went wrong.
    pub message: String,
    /// What was expected.
    pub expected: String,
    /// Byte offset where the problem is.
    pub offset: usize,
}

/// Parses a whole file's text (a byte-order mark is skipped) into its front matter as `T`
/// and the file's parts (offsets count from after the byte-order mark): every error is placed at its line and column in the whole file, and
/// `expected` (what the front matter should hold) is added to a TOML error.
pub fn parse_front_matter<'t, T: serde::de::DeserializeOwned>(
    path: &std::path::Path,
    text: &'t str,
    expected: Option<&str>,
) -> Result<(T, Split<'t>), crate::diagnostics::Diagnostic> {
    use crate::diagnostics::Diagnostic;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let parts = split(text).map_err(|e| {
        Diagnostic::error(path, e.message)
            .at_span(text, e.offset, e.offset)
            .expected(e.expected)
    })?;
    let front: T = toml::from_str(parts.front_matter).map_err(|e| {
        let (start, end) = e.span().map_or((0, 0), |r| (r.start, r.end));
        let offset = parts.front_matter_offset;
        let d = Diagnostic::error(
            path,
            format!("invalid front matter: {}", e.message().trim()),
        )
        .at_span(text, offset + start, offset + end);
        match expected {
            Some(x) => d.expected(x),
            None => d,
        }
    })?;
    Ok((front, parts))
}

/// A body with every line ending as `\n`: CRLF, and a lone CR too (Markdown and HTML read
/// both as a line end), so that writing a file back and reading it again gives the same
/// body, and every reader of a file (the site model, a page's body, a content page, an
/// imported page) gets the same text. Borrowed as it is when it has no CR.
pub fn unix_line_ends(body: &str) -> Cow<'_, str> {
    // The memchr crate's search, many bytes at a time: every body and imported page is
    // read through here.
    if memchr::memchr(b'\r', body.as_bytes()).is_some() {
        Cow::Owned(body.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(body)
    }
}

/// Splits `text` (with any byte-order mark already removed) at its `+++` fences.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let Some(after_open) = strip_fence(text) else {
        let message = if text.trim().is_empty() {
            "the file is empty".to_string()
        } else {
            "the file does not start with front matter".to_string()
        };
        return Err(SplitError {
            message,
            expected:
                "a first line of `+++` opening the TOML front matter (did you forget to add `+++`?)"
                    .to_string(),
            offset: 0,
        });
    };
    let start = text.len() - after_open.len();
    let mut offset = start;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let front_matter = &text[start..offset];
            let rest = &text[offset + line.len()..];
            let body = rest
                .strip_prefix("\r\n")
                .or_else(|| rest.strip_prefix('\n'))
                .unwrap_or(rest);
            return Ok(Split {
                front_matter,
                front_matter_offset: start,
                body,
            });
        }
        offset += line.len();
    }
    Err(SplitError {
        message: "the front matter is never closed".to_string(),
        expected: "a line of `+++` closing the front matter".to_string(),
        offset: text.len(),
    })
}

fn strip_fence(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("+++")?;
    let rest = rest.trim_start_matches([' ', '\t']);
    rest.strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_every_line_with_a_line_feed() {
        assert_eq!(unix_line_ends("a\r\r\nb\rc\r\nd\n"), "a\n\nb\nc\nd\n");
        assert_eq!(
            unix_line_ends("no carriage return\n"),
            "no carriage return\n"
        );
    }

    #[test]
    fn can_split_front_matter_and_body() {
        let text = "+++\na = 1\n+++\n\n## Body\n";
        let s = split(text).expect("splits");
        assert_eq!(s.front_matter, "a = 1\n");
        assert_eq!(s.front_matter_offset, 4);
        assert_eq!(s.body, "## Body\n");
    }

    #[test]
    fn can_split_windows_line_endings() {
        let s = split("+++\r\na = 1\r\n+++\r\n\r\nbody").expect("splits");
        assert_eq!(s.front_matter, "a = 1\r\n");
        assert_eq!(s.body, "body");
    }

    #[test]
    fn errors_on_missing_opening_fence() {
        let e = split("a = 1\n+++\n").expect_err("no fence");
        assert!(e.expected.contains("did you forget"));
        assert_eq!(split("").expect_err("empty").message, "the file is empty");
    }

    #[test]
    fn errors_on_unclosed_front_matter() {
        let e = split("+++\na = 1\n").expect_err("unclosed");
        assert_eq!(e.message, "the front matter is never closed");
        assert_eq!(e.offset, 10);
    }
}
