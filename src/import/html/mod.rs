//! Saved or fetched HTML decision pages -> [`Imported`] decisions, through the same
//! [`ParsedPage`](crate::import::page::ParsedPage) the text reader produces, so that the
//! same page gives the same decision whichever form it came in.
//!
//! `charset` decodes the bytes; `quick` reads them when the page needs none of the tree
//! builder's repairs, as pages saved from the website do, and otherwise `depth` and
//! `stream` read them with html5ever's tokenizer and tree builder. Neither builds a tree:
//! the appends go straight to `walk`, which turns them into pieces of text; `assemble`
//! builds the parsed page. A page is read for its `<article id="article">` alone first,
//! walking nothing before it (the website's navigation and cookie banner), and read whole
//! only when it has none ([`read_page`]). What the
//! reader relies on in the website's markup, as little as it can: the decision is inside
//! `<article id="article">` when there is one, else found by its `Name (NN NNN NNN)` line
//! and a `Summary:` after it; metadata is in `label`/`value` pairs or `Label : value`
//! text; `<h1>`..`<h6>` (or a block all in bold) are headings; top-level `<ol>` items are
//! the paragraphs, `<ul>` items bullets. `<link rel="canonical">`, or the sidecar's URL,
//! gives the source URL and, when the page states no category, the category slugs.
//!
//! # The sidecar
//!
//! A page `sources/2024/24-005-444.html` may have a sidecar `24-005-444.html.json` beside
//! it, written by whoever fetched the page (`casebook fetch`); import reads only `url`:
//!
//! ```json
//! {
//!   "url": "https://www.lgo.org.uk/decisions/housing/homelessness/24-005-444",
//!   "fetched_at": "2025-01-31T09:00:00Z",
//!   "etag": "\"abc\"",
//!   "last_modified": "Fri, 31 Jan 2025 08:00:00 GMT",
//!   "sha256": "<hex SHA-256 of the page's bytes>"
//! }
//! ```
//!
//! Every key but `url` is optional and unknown keys are ignored. The sidecar's URL is the
//! address the page was fetched from; it wins over the page's canonical link.

pub mod assemble;
pub mod charset;
pub mod depth;
pub mod quick;
pub mod stream;
pub mod walk;

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{categories, decide, source_url, Imported, Origin};
use crate::decision::Reference;
use crate::diagnostics::{Diagnostic, Location};
use stream::{Document, Scope};
use walk::{Kind, Piece};

/// The largest HTML page imported. A decision page is well under a megabyte.
pub const MAX_BYTES: u64 = 10 * 1024 * 1024;

/// What a fetcher records beside a page (see the module's documentation).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sidecar {
    /// The address the page was fetched from.
    pub url: String,
    /// When it was fetched (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetched_at: Option<String>,
    /// The response's `ETag`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// The response's `Last-Modified`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// Hex SHA-256 of the page's bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

/// The sidecar's path for `page`: `<name>.json` beside it.
pub fn sidecar_path(page: &Path) -> std::path::PathBuf {
    let mut name = page.file_name().unwrap_or_default().to_os_string();
    name.push(".json");
    page.with_file_name(name)
}

/// True for the extensions read as HTML: `.html` and `.htm`.
pub fn is_html(path: &Path) -> bool {
    path.extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("html") || x.eq_ignore_ascii_case("htm"))
}

/// Imports one HTML page. `path` names the file in diagnostics and provenance,
/// `source_sha256` is the hash of `bytes`, and `fetched_from` is the sidecar's URL.
pub fn import_html(
    path: &Path,
    bytes: &[u8],
    fetched_from: Option<&str>,
    source_sha256: &str,
) -> Result<Imported, Vec<Diagnostic>> {
    let Headed {
        mut decoded,
        mut pieces,
        index,
        council,
        reference_text,
        reference,
    } = headed(path, bytes)?;
    let text = &decoded.text;
    for piece in &mut pieces {
        piece.links.retain_mut(|l| match source_url::link(&l.url) {
            Some(url) => {
                l.url = url;
                true
            }
            None => false,
        });
    }
    let locate = |needle: &str| line_and_column(text, needle);
    let page = assemble::page(pieces, index, &council, &reference_text, &locate);
    let canonical = decoded.document.canonical.take();
    let mut origin = origin(path, canonical, fetched_from, &reference);
    origin
        .warnings
        .splice(0..0, decoded.warnings.iter().cloned());
    if !ends_whole(text) {
        origin.warnings.push(Diagnostic::warning(
            path,
            "the HTML ends before `</html>`: the page looks cut off",
        ));
    }
    Ok(decide(path, &page, reference, source_sha256, &origin))
}

/// A page read as far as its header: the decision's organisation and reference.
struct Headed<'a> {
    /// The page decoded and read (its pieces taken out, below).
    decoded: charset::Decoded<'a>,
    pieces: Vec<Piece>,
    /// The header's piece.
    index: usize,
    council: String,
    reference_text: String,
    reference: Reference,
}

fn headed<'a>(path: &Path, bytes: &'a [u8]) -> Result<Headed<'a>, Vec<Diagnostic>> {
    let mut decoded = read_document(path, bytes)?;
    let pieces = std::mem::take(&mut decoded.document.pieces);
    let document = &decoded.document;
    let (index, council, reference_text) = find_header(
        path,
        &pieces,
        document.in_article,
        document.title.as_deref(),
    )?;
    let Some(reference) = Reference::parse(&reference_text) else {
        return Err(vec![Diagnostic::error(
            path,
            format!("`{reference_text}` is not a case reference"),
        )
        .expected("a reference like 21 019 020")]);
    };
    Ok(Headed {
        decoded,
        pieces,
        index,
        council,
        reference_text,
        reference,
    })
}

/// The reference of the decision an HTML page holds, read as [`import_html`] reads it but
/// no further (for `fetch`, which keeps what import will take); the errors import would
/// give a page that is not a decision.
pub fn reference(path: &Path, bytes: &[u8]) -> Result<Reference, Vec<Diagnostic>> {
    headed(path, bytes).map(|h| h.reference)
}

/// The page's text in its charset and the document read from it: quickly where the
/// page allows, else by html5ever (which refuses a page nested too deep).
fn read_document<'a>(
    path: &Path,
    bytes: &'a [u8],
) -> Result<charset::Decoded<'a>, Vec<Diagnostic>> {
    if bytes.len() as u64 > MAX_BYTES {
        return Err(vec![too_big(path, bytes.len() as u64)]);
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(vec![Diagnostic::error(path, "the file is empty")
            .expected("a decision page saved from the Ombudsman's website")]);
    }
    let parse = |text: &str| {
        read_page(text).map_err(|levels| {
            Diagnostic::error(
                path,
                format!("the page nests its elements {levels} levels deep: not read"),
            )
            .expected(format!(
                "a page nested at most {} levels deep",
                depth::MAX_DEPTH
            ))
        })
    };
    charset::decode(path, bytes, &parse).map_err(|d| vec![d])
}

/// The document of the page `text` (see `stream`), or how deep it nests when that is
/// too deep to read. The page is read for its `<article id="article">` alone first, which
/// walks nothing before it; a page without one is read again whole. Either way the
/// document is the whole page's reading.
pub fn read_page(text: &str) -> Result<Document, usize> {
    let read = |scope| quick::read(text, scope).map_or_else(|| depth::parse(text, scope), Ok);
    let document = read(Scope::Article)?;
    if document.in_article {
        return Ok(document);
    }
    read(Scope::Page)
}

/// Where `needle` (a header value) is in the page's `text`, for a diagnostic: its first
/// line and column, or the page's start.
fn line_and_column(text: &str, needle: &str) -> (usize, usize) {
    // A value with `>` or `&` is most often written escaped: look for that first, as a
    // search that fails reads the whole page.
    let escaped = crate::corpus::html::escape(needle);
    let (first, second) = if escaped.len() > needle.len() {
        (escaped.as_str(), needle)
    } else {
        (needle, escaped.as_str())
    };
    let find = |n: &str| memchr::memmem::find(text.as_bytes(), n.as_bytes());
    let at = find(first).or_else(|| find(second)).unwrap_or(0);
    let l = Location::of_offset(text, at);
    (l.line, l.column)
}

/// The error for a file over [`MAX_BYTES`].
pub fn too_big(path: &Path, len: u64) -> Diagnostic {
    Diagnostic::error(
        path,
        format!(
            "the file is {:.1} MB, too big for a decision page: not read",
            len as f64 / 1_048_576.0
        ),
    )
    .expected(format!(
        "an HTML page of at most {} MB",
        MAX_BYTES / 1_048_576
    ))
}

fn ends_whole(text: &str) -> bool {
    let tail: String = text
        .trim_end()
        .chars()
        .rev()
        .take(7)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    tail.eq_ignore_ascii_case("</html>")
}

/// The pieces that read as a `Name (ref)` header line, outside links: each one's number,
/// name and reference.
fn header_pieces(pieces: &[Piece]) -> impl Iterator<Item = (usize, String, String)> + '_ {
    pieces
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.in_link && matches!(p.kind, Kind::Heading | Kind::Plain { .. }))
        .filter_map(|(i, p)| {
            let text = p.text();
            let (name, reference) = crate::import::parse::header_of(&text)?;
            Some((i, name.to_string(), reference.to_string()))
        })
}

/// The `Name (ref)` piece. Outside an `<article id="article">` a `Summary:` must follow it,
/// and a page naming several decisions is a listing, not a decision.
fn find_header(
    path: &Path,
    pieces: &[Piece],
    in_article: bool,
    title: Option<&str>,
) -> Result<(usize, String, String), Vec<Diagnostic>> {
    let mut headers = header_pieces(pieces);
    // Inside the article the first header is the decision's: the rest of the page is not
    // read for others.
    let first = match headers.next() {
        Some(first) if in_article => return Ok(first),
        first => first,
    };
    let headers: Vec<(usize, String, String)> = first.into_iter().chain(headers).collect();
    let linked = pieces
        .iter()
        .filter(|p| p.in_link && crate::import::parse::header_of(&p.text()).is_some())
        .count();
    let titled = title.map_or_else(String::new, |t| format!(" (its title is `{t}`)"));
    let not_a_decision = |why: String| {
        vec![Diagnostic::error(
            path,
            format!("this page is not a decision{titled}: {why}"),
        )
        .expected("a decision page saved from the Ombudsman's website, with a line like `Kent County Council (19 010 314)`")]
    };
    let Some(first) = headers.first().cloned() else {
        return Err(not_a_decision(if linked > 0 {
            format!("it links to {linked} decisions, like a listing or search results page")
        } else {
            "it has no `Name (NN NNN NNN)` line".to_string()
        }));
    };
    let mut refs: Vec<&str> = headers.iter().map(|h| h.2.as_str()).collect();
    refs.sort_unstable();
    refs.dedup();
    if refs.len() > 1 {
        return Err(not_a_decision(format!(
            "it names {} decisions, like a listing or search results page",
            refs.len()
        )));
    }
    let has_summary = pieces[first.0..]
        .iter()
        .any(|p| p.text().trim_start().starts_with("Summary:"));
    if !has_summary {
        return Err(not_a_decision(format!(
            "`{} ({})` is not followed by a `Summary:`",
            first.1, first.2
        )));
    }
    Ok(first)
}

/// The page's address (sidecar first, then the canonical link) and what its slugs say.
fn origin(
    path: &Path,
    canonical: Option<String>,
    fetched_from: Option<&str>,
    reference: &Reference,
) -> Origin {
    let mut origin = Origin::default();
    let Some(address) = fetched_from.map(str::to_string).or(canonical) else {
        return origin;
    };
    let Some(url) = source_url::parse(&address) else {
        origin.warnings.push(Diagnostic::warning(
            path,
            format!(
                "`{address}` is not the address of a decision on the Ombudsman's website: not used"
            ),
        ));
        return origin;
    };
    if url.reference_slug != reference.slug() {
        origin.warnings.push(Diagnostic::warning(
            path,
            format!(
                "the page's address `{}` names reference {}, but the page is {reference}: the address was not used",
                url.url, url.reference_slug
            ),
        ));
        return origin;
    }
    match categories::from_slugs(&url.category_slug, &url.subcategory_slug) {
        Some((category, sub)) => {
            origin.category = Some((category.to_string(), sub.map(str::to_string)));
        }
        None => origin.warnings.push(Diagnostic::warning(
            path,
            format!(
                "the address's category `{}` is not one the digest knows",
                url.category_slug
            ),
        )),
    }
    origin.source_url = Some(url.url);
    origin
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_page_with_or_without_the_article_as_html5ever_reads_it_whole() {
        // The article, however its tag is written, is read first; a page without it (or
        // with only another article) is read again whole: the same document either way.
        for page in [
            "<main><article id=article>x</article></main>",
            "<article class=\"a\" id=\"article\" id=\"other\">x</article><p>y</p>",
            "<ARTICLE ID='article'>x</ARTICLE>",
            "<p>Article 8</p><Article\nid=article>x</Article>",
            "<p>Article 8 of the Convention</p>",
            "<article class=\"article-card\">x</article><p>y</p>",
            "<article id=other id=article>x</article><p>y</p>",
            "<articles id=article>x</articles>",
            "<article id=Article>x</article><p>y</p>",
            "<article",
            "<main><article id=art&#105;cle><p>A</p></article></main><p>B</p>",
            "<main><article class=article-card><p>A</p></article></main><p>B</p>",
            "<main><div><ARTICLE ID=article><p>A</p></ARTICLE></div><p>B</p></main>",
        ] {
            assert_eq!(read_page(page), depth::parse(page, Scope::Page), "{page}");
        }
    }
}
