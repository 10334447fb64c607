//! Raw decision pages, as copied from the Ombudsman's website -> [`Decision`]s.
//!
//! `furniture` says which lines are not part of the decision, `parse` turns lines into a
//! header, metadata, summary and structured body, `markdown` writes that body as Markdown,
//! and `extract` reads facts (findings, remedies, an inferred outcome) from the text.
//! [`import_text`] is pure: it returns a decision and its warnings, or the errors that stop
//! it. It never writes `content/`; `content::write` persists what it returns.
//! [`html::import_html`] reads HTML pages into the same parsed page, then the same steps.

pub mod categories;
pub mod complete;
pub mod extract;
pub mod furniture;
pub mod html;
pub mod markdown;
pub mod page;
pub mod parse;
pub(crate) mod pattern;
pub mod remedies;
pub mod source_url;

use std::borrow::Cow;
use std::path::Path;

use chrono::NaiveDate;

use crate::decision::{Decision, Field, Outcome, Provenance, Reference};
use crate::diagnostics::Diagnostic;
use page::{Layout, Meta};
use parse::Line;

/// A decision imported from a raw page, with what the importer could not know.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The decision.
    pub decision: Decision,
    /// Fields left out or inferred, text dropped: each a warning naming the file.
    pub warnings: Vec<Diagnostic>,
}

/// Decodes a raw page's bytes: UTF-8 (with or without a byte-order mark) or UTF-16 with a
/// byte-order mark; Windows and old Mac line endings become `\n`.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<String, Diagnostic> {
    let text = if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        decode_utf16(path, rest, u16::from_le_bytes)?
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        decode_utf16(path, rest, u16::from_be_bytes)?
    } else {
        let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
        if memchr::memchr(0, bytes).is_some() {
            return Err(Diagnostic::error(
                path,
                "this looks like a binary file, not a decision page",
            )
            .expected("a text file copied from the Ombudsman's website"));
        }
        match std::str::from_utf8(bytes) {
            Ok(s) => s.to_string(),
            Err(e) => {
                let offset = e.valid_up_to();
                let lossy = String::from_utf8_lossy(bytes);
                return Err(Diagnostic::error(
                    path,
                    format!("the file is not UTF-8 text (byte {offset} is invalid)"),
                )
                .at_span(&lossy, offset, offset + 1)
                .expected("UTF-8 text: save the page as UTF-8"));
            }
        }
    };
    // Most pages have no carriage return: they are kept as decoded, not copied again.
    let text = match crate::content::split::unix_line_ends(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(unix) => unix,
    };
    if text.trim().is_empty() {
        return Err(Diagnostic::error(path, "the file is empty")
            .expected("a decision page copied from the Ombudsman's website"));
    }
    Ok(text)
}

fn decode_utf16(path: &Path, bytes: &[u8], word: fn([u8; 2]) -> u16) -> Result<String, Diagnostic> {
    let units: Vec<u16> = bytes.chunks_exact(2).map(|c| word([c[0], c[1]])).collect();
    String::from_utf16(&units).map_err(|_| {
        Diagnostic::error(
            path,
            "the file starts like UTF-16 text but is not valid UTF-16",
        )
        .expected("UTF-8 or UTF-16 text")
    })
}

/// Lines of a text page, numbered from 1, trailing white space removed.
fn lines(text: &str) -> Vec<Line<'_>> {
    text.split('\n')
        .enumerate()
        .map(|(i, t)| Line {
            number: i + 1,
            text: t.trim_end(),
        })
        .collect()
}

/// Parses a text page, or `None` when it has no `Name (NN NNN NNN)` line.
pub fn parse_text(text: &str) -> Option<page::ParsedPage> {
    let lines = lines(text);
    let (header, council, reference) = parse::find_header(&lines)?;
    Some(parse::parse_page(&lines, header, council, reference))
}

/// Imports one page's text. `path` names the file in diagnostics and provenance, and
/// `source_sha256` is the hash of its raw bytes.
pub fn import_text(
    path: &Path,
    text: &str,
    source_sha256: &str,
) -> Result<Imported, Vec<Diagnostic>> {
    let lines = lines(text);
    let Some((header, council, reference_text)) = parse::find_header(&lines) else {
        return Err(vec![Diagnostic::error(path, "no `Name (NN NNN NNN)` line: this is not a decision page")
            .at(1, 1)
            .expected("a line naming the organisation and the case reference, like `Kent County Council (19 010 314)`")]);
    };
    let Some(reference) = Reference::parse(reference_text) else {
        return Err(vec![Diagnostic::error(
            path,
            format!("`{reference_text}` is not a case reference"),
        )
        .at(lines[header].number, 1)
        .expected("a reference like 21 019 020")]);
    };
    let page = parse::parse_page(&lines, header, council, reference_text);
    Ok(decide(
        path,
        &page,
        reference,
        source_sha256,
        &Origin::default(),
    ))
}

/// What is known of a page from outside its text: the address it came from, and the
/// category and subcategory that address names.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    /// The page's address on the Ombudsman's website, normalised.
    pub source_url: Option<String>,
    /// Category and subcategory names looked up from the address's slugs.
    pub category: Option<(String, Option<String>)>,
    /// Problems met while reading the origin (an unreadable sidecar, an unknown slug).
    pub warnings: Vec<Diagnostic>,
}

/// The text of every heading of `blocks`: where a report states what the council agreed
/// ("To remedy the injustice caused, the Council has agreed to:").
fn headings(blocks: &[page::Block]) -> Vec<&str> {
    blocks
        .iter()
        .filter_map(|b| match b {
            page::Block::Heading { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

/// Interprets a parsed page: metadata, outcome, findings, remedies and the Markdown body.
/// Both readers (text and HTML) end here, so the same page gives the same decision.
pub fn decide(
    path: &Path,
    page: &page::ParsedPage,
    reference: Reference,
    source_sha256: &str,
    origin: &Origin,
) -> Imported {
    let mut notes = Notes {
        path,
        inferred: Vec::new(),
        warnings: origin.warnings.clone(),
    };
    note_dropped_text(page, &mut notes);
    let (category, subcategory) = category_of(page, origin, &mut notes);
    let passages = extract::passages(page.summary.as_deref(), &page.blocks);
    let findings = extract::findings(&passages);
    let outcome = outcome(
        path,
        page,
        &passages,
        &findings,
        &mut notes.inferred,
        &mut notes.warnings,
    );
    let decision_date = decision_date(path, page.decision_date.as_ref(), &mut notes.warnings);
    let incomplete = complete::missing(page);
    note_gaps(page, category.is_none(), incomplete.as_deref(), &mut notes);
    let source_url = origin
        .source_url
        .clone()
        .or_else(|| extract::source_url(category.as_deref(), subcategory.as_deref(), &reference));
    if source_url.is_none() {
        notes.warn("no link to the original page: it needs the category and subcategory".into());
    }
    let decision = Decision {
        reference,
        council: page.council.clone(),
        category,
        subcategory,
        outcome,
        decision_date,
        summary: page.summary.clone(),
        plain_summary: None,
        source_url,
        inferred: notes.inferred,
        findings,
        remedies: remedies::remedies(&passages, &headings(&page.blocks)),
        provenance: Some(provenance(path, source_sha256)),
        incomplete,
        body: markdown::to_markdown(&page.blocks),
    };
    Imported {
        decision,
        warnings: notes.warnings,
    }
}

/// What reading a page noted beside the decision: the fields inferred, the warnings.
struct Notes<'a> {
    path: &'a Path,
    inferred: Vec<Field>,
    warnings: Vec<Diagnostic>,
}

impl Notes<'_> {
    fn warn(&mut self, message: String) {
        self.warnings.push(Diagnostic::warning(self.path, message));
    }
}

/// A warning for the lines before the `Council (reference)` line, which are not imported.
fn note_dropped_text(page: &page::ParsedPage, notes: &mut Notes<'_>) {
    if page.dropped_before_header.is_empty() {
        return;
    }
    let list: Vec<String> = page
        .dropped_before_header
        .iter()
        .map(ToString::to_string)
        .collect();
    notes.warn(format!(
        "text before the `{} ({})` line was not imported (lines {})",
        page.council,
        page.reference,
        list.join(", ")
    ));
}

/// The page's category and subcategory; from its address (inferred, with a warning) when
/// the page states none.
fn category_of(
    page: &page::ParsedPage,
    origin: &Origin,
    notes: &mut Notes<'_>,
) -> (Option<String>, Option<String>) {
    let (category, subcategory) = category_parts(page.category.as_ref());
    if category.is_some() {
        return (category, subcategory);
    }
    let Some((c, s)) = &origin.category else {
        return (category, subcategory);
    };
    notes.inferred.push(Field::Category);
    if s.is_some() {
        notes.inferred.push(Field::Subcategory);
    }
    notes.warn(format!(
        "the page states no category: `{c}{}` taken from its address",
        s.as_ref().map(|s| format!(" > {s}")).unwrap_or_default()
    ));
    (Some(c.clone()), s.clone())
}

/// Warnings for what the page lacks: a category, a summary, the decision text, its end.
fn note_gaps(
    page: &page::ParsedPage,
    no_category: bool,
    incomplete: Option<&str>,
    notes: &mut Notes<'_>,
) {
    if no_category {
        notes.warn("the page states no category: left out".into());
    }
    if page.summary.is_none() {
        notes.warn("the page has no `Summary:` line: left out".into());
    }
    match page.layout {
        Layout::Empty => notes.warn(
            "no decision text after the summary: the page looks truncated; only its header and summary were imported"
                .into(),
        ),
        Layout::Flattened => notes.inferred.push(Field::ParagraphNumbers),
        Layout::Numbered => {}
    }
    if let (Some(what), false) = (incomplete, page.layout == Layout::Empty) {
        notes.warn(format!(
            "this copy of the page looks incomplete ({what}): imported, marked `incomplete`; the summary says nothing about what is missing"
        ));
    }
}

/// Where the decision came from: the page's file name and the SHA-256 of its bytes.
fn provenance(path: &Path, source_sha256: &str) -> Provenance {
    Provenance {
        source_file: path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ),
        source_sha256: source_sha256.to_string(),
        written_sha256: None,
    }
}

/// `Category : A > B` -> (A, B).
pub fn category_parts(meta: Option<&Meta>) -> (Option<String>, Option<String>) {
    let Some(meta) = meta else {
        return (None, None);
    };
    let mut parts = meta.value.splitn(2, '>').map(|s| s.trim().to_string());
    let category = parts.next().filter(|s| !s.is_empty());
    let subcategory = parts.next().filter(|s| !s.is_empty());
    (category, subcategory)
}

fn outcome(
    path: &Path,
    page: &page::ParsedPage,
    passages: &[extract::Passage<'_>],
    findings: &crate::decision::Findings,
    inferred: &mut Vec<Field>,
    warnings: &mut Vec<Diagnostic>,
) -> Option<Outcome> {
    if let Some(meta) = &page.decision {
        // Older pages qualify the outcome: `Upheld: maladministration and injustice`.
        let head = meta.value.split([':', '-', '–']).next().unwrap_or_default();
        if let Some(o) = Outcome::parse(&meta.value).or_else(|| Outcome::parse(head)) {
            return Some(o);
        }
        warnings.push(
            Diagnostic::warning(
                path,
                format!(
                    "unknown decision `{}`: the outcome was left out",
                    meta.value
                ),
            )
            .at(meta.line, meta.column)
            .expected("Upheld, Not upheld or Closed after initial enquiries"),
        );
        return None;
    }
    match extract::infer_outcome(passages, findings) {
        Some(o) => {
            inferred.push(Field::Outcome);
            let from = findings
                .fault_paragraph
                .map_or_else(|| "the summary".to_string(), |n| format!("paragraph {n}"));
            warnings.push(Diagnostic::warning(
                path,
                format!(
                    "the page states no outcome: inferred `{}` from {from}",
                    o.label()
                ),
            ));
            Some(o)
        }
        None => {
            warnings.push(Diagnostic::warning(
                path,
                "the page states no outcome and the text does not settle one: left out",
            ));
            None
        }
    }
}

fn decision_date(
    path: &Path,
    meta: Option<&Meta>,
    warnings: &mut Vec<Diagnostic>,
) -> Option<NaiveDate> {
    let Some(meta) = meta else {
        warnings.push(Diagnostic::warning(
            path,
            "the page states no decision date: left out",
        ));
        return None;
    };
    let value = meta.value.as_str();
    let parsed = ["%d %b %Y", "%d %B %Y", "%Y-%m-%d", "%d/%m/%Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(value, f).ok());
    if parsed.is_none() {
        warnings.push(
            Diagnostic::warning(
                path,
                format!("`{value}` is not a date: the decision date was left out"),
            )
            .at(meta.line, meta.column)
            .expected("a date like 25 Aug 2022"),
        );
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_decode_boms_and_line_endings() {
        let p = Path::new("a.txt");
        let text = decode(p, b"\xEF\xBB\xBFA (21 019 020)\r\nB\rC").expect("utf8 with bom");
        assert_eq!(text, "A (21 019 020)\nB\nC");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Hi £".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(p, &utf16).expect("utf16"), "Hi £");
    }

    #[test]
    fn errors_on_empty_binary_and_non_utf8_files() {
        let p = Path::new("a.txt");
        assert_eq!(
            decode(p, b"").expect_err("empty").message,
            "the file is empty"
        );
        assert_eq!(
            decode(p, b" \n\r\n").expect_err("blank").message,
            "the file is empty"
        );
        assert!(decode(p, b"PK\x03\x04\x00\x00")
            .expect_err("binary")
            .message
            .contains("binary"));
        let e = decode(p, b"line one\nab\xE9cd").expect_err("latin-1");
        let loc = e.location.expect("located");
        assert_eq!((loc.line, loc.column), (2, 3));
    }

    #[test]
    fn errors_on_a_page_with_no_header() {
        let errs =
            import_text(Path::new("a.txt"), "Just some text\n", "00").expect_err("no header");
        assert!(errs[0].message.contains("Name (NN NNN NNN)"));
    }

    #[test]
    fn can_import_a_truncated_page_with_a_warning() {
        let imported = import_text(
            Path::new("a.txt"),
            "A Council (21 019 020)\nCategory : Education > Other\nDecision : Not upheld\nDecision date : 1 Feb 2023\nSummary: No fault.\n",
            "00",
        )
        .expect("imports");
        assert!(imported
            .warnings
            .iter()
            .any(|w| w.message.contains("truncated")));
        assert_eq!(imported.decision.outcome, Some(Outcome::NotUpheld));
        assert!(imported.decision.body.trim().is_empty());
    }

    #[test]
    fn keeps_a_stated_outcome_over_the_prose() {
        let imported = import_text(
            Path::new("a.txt"),
            "A Council (21 019 020)\nDecision : Upheld\nSummary: The Council was not at fault.\n",
            "00",
        )
        .expect("imports");
        assert_eq!(imported.decision.outcome, Some(Outcome::Upheld));
        assert!(!imported.decision.is_inferred(Field::Outcome));
    }

    #[test]
    fn can_read_a_qualified_outcome_and_warn_on_an_unknown_one() {
        let import = |line: &str| {
            import_text(
                Path::new("a.txt"),
                &format!("A Council (21 019 020)\n{line}\nSummary: S.\n"),
                "00",
            )
            .expect("imports")
        };
        let qualified = import("Decision : Upheld: maladministration and injustice");
        assert_eq!(qualified.decision.outcome, Some(Outcome::Upheld));
        let unknown = import("Decision : Withdrawn");
        assert_eq!(unknown.decision.outcome, None);
        let w = unknown
            .warnings
            .iter()
            .find(|w| w.message.contains("Withdrawn"))
            .expect("warning");
        assert_eq!(w.location.map(|l| (l.line, l.column)), Some((2, 12)));
    }

    #[test]
    fn warns_at_an_unreadable_date() {
        let imported = import_text(
            Path::new("a.txt"),
            "A Council (21 019 020)\n\nDecision date : 31 Foo 2022\nSummary: S.\n",
            "00",
        )
        .expect("imports");
        let w = imported
            .warnings
            .iter()
            .find(|w| w.message.contains("31 Foo 2022"))
            .expect("date warning");
        let loc = w.location.expect("located");
        assert_eq!((loc.line, loc.column), (3, 17));
    }
}
