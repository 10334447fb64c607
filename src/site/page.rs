//! Standalone Markdown pages (`content/pages/*.md`: "About this digest", "Using the data"):
//! their TOML front matter and where they are published.
//!
//! Pure: parses text already read. The front matter, between `+++` lines like a decision's:
//!
//! ```toml
//! title = "About this digest"          # required
//! description = "What this site is."   # optional, for search engines and link previews
//! path = "about"                       # optional; default: the file name without `.md`
//! weight = 1                           # optional; orders the footer links, lowest first
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::Diagnostic;

/// A standalone page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The page's title (its `<h1>`).
    pub title: String,
    /// A one-line description, when given.
    pub description: Option<String>,
    /// The site path with a trailing `/`: `about/`.
    pub path: String,
    /// Order among pages, lowest first.
    pub weight: i32,
    /// The Markdown after the front matter.
    pub body: String,
    /// The file it came from.
    pub source: PathBuf,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PageFront {
    title: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    weight: i32,
}

/// Parses the text of the page file at `path`.
pub fn parse_page(path: &Path, text: &str) -> Result<Page, Diagnostic> {
    let (front, parts): (PageFront, _) = crate::content::split::parse_front_matter(
        path,
        text,
        Some("`title` and optionally `description`, `path`, `weight`"),
    )?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let wanted = front.path.unwrap_or(stem);
    let path_ok = !wanted.is_empty()
        && wanted
            .trim_matches('/')
            .split('/')
            .all(|seg| !seg.is_empty() && seg != ".." && seg != ".");
    if !path_ok {
        return Err(
            Diagnostic::error(path, format!("invalid `path`: `{wanted}`"))
                .at(1, 1)
                .expected("a site path such as \"about\" or \"help/data\""),
        );
    }
    Ok(Page {
        title: front.title,
        description: front.description,
        path: format!("{}/", wanted.trim_matches('/')),
        weight: front.weight,
        body: crate::content::split::unix_line_ends(parts.body).into_owned(),
        source: path.to_path_buf(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_parse_a_page_with_its_path_from_the_file_name() {
        let p = parse_page(
            Path::new("pages/about.md"),
            "+++\ntitle = \"About\"\n+++\n\nHi\n",
        )
        .expect("valid");
        assert_eq!(p.title, "About");
        assert_eq!(p.path, "about/");
        assert_eq!(p.body, "Hi\n");
    }

    #[test]
    fn errors_on_an_unknown_key_at_its_line() {
        let d = parse_page(
            Path::new("a.md"),
            "+++\ntitle = \"A\"\ntitel = \"B\"\n+++\n",
        )
        .expect_err("unknown key");
        assert_eq!(d.location.expect("located").line, 3, "{d}");
    }

    #[test]
    fn errors_on_a_path_that_leaves_the_site() {
        let d = parse_page(
            Path::new("a.md"),
            "+++\ntitle = \"A\"\npath = \"../x\"\n+++\n",
        )
        .expect_err("bad path");
        assert!(d.message.contains("../x"), "{d}");
    }
}
