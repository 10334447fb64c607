//! Is this copy of a decision page complete? Pages copied only in part stop anywhere: in
//! "The Ombudsman's role and powers", mid-sentence, mid-heading, before the final
//! decision. This reads the parsed page and says what is missing, so that import can warn,
//! the content file can record it (`incomplete = "..."`) and the summary can keep quiet
//! about what the missing part would hold.
//!
//! Pure: it reads a [`ParsedPage`] and never changes it.

use std::sync::LazyLock;

use regex::Regex;

use crate::import::pattern::compile;

use super::page::{Block, ParsedPage};
use super::parse::normalise_heading;

static REMEDY_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)\b(?:agreed|will|should)\s+(?:to\s+)?(?:apologi[sz]e|pay)\b|£\s?\d")
});

/// Words or fewer on a last line with no closing punctuation: a heading cut short, not a
/// sentence.
const HEADING_WORDS: usize = 6;

/// What is missing from `page`, in words (`no final decision; the text stops
/// mid-sentence`), or `None` when the page looks complete.
pub fn missing(page: &ParsedPage) -> Option<String> {
    let mut missing: Vec<String> = Vec::new();
    if page.blocks.is_empty() {
        missing.push("no decision text after the summary".into());
    } else if !has_final_decision(&page.blocks) {
        missing.push("no final decision".into());
    }
    if let Some(cut) = cut_short(&page.blocks) {
        missing.push(cut);
    }
    if let Some(summary) = &page.summary {
        // The text is read for remedies only when the summary speaks of them, from the end,
        // where a decision lists what was agreed.
        let shows_remedies = || {
            page.blocks.iter().rev().any(|b| match b {
                Block::Paragraph(p) => {
                    REMEDY_WORDS.is_match(&p.text())
                        || p.items.iter().any(|i| REMEDY_WORDS.is_match(&i.text))
                }
                _ => false,
            })
        };
        if !page.blocks.is_empty() && REMEDY_WORDS.is_match(summary) && !shows_remedies() {
            missing.push(
                "the Ombudsman's summary speaks of remedies that the text does not show".into(),
            );
        }
    }
    (!missing.is_empty()).then(|| missing.join("; "))
}

/// True when a section the Ombudsman closes with ("Final decision", "Decision") has a
/// paragraph under it.
fn has_final_decision(blocks: &[Block]) -> bool {
    let mut in_final = false;
    for b in blocks {
        match b {
            Block::Heading { level: 2, text } => {
                let h = normalise_heading(text);
                in_final = h == "final decision" || h == "decision";
            }
            Block::Paragraph(_) if in_final => return true,
            _ => {}
        }
    }
    false
}

/// How the text stops, when it stops short: at a heading with nothing under it, or in the
/// middle of a sentence. A page that ends with the signature is not cut short.
fn cut_short(blocks: &[Block]) -> Option<String> {
    // A bare `-` or a stray mark after the end is not text.
    let has_words = |b: &&Block| match b {
        Block::Heading { text, .. } => text.chars().any(char::is_alphanumeric),
        Block::Paragraph(p) => p.text().chars().any(char::is_alphanumeric) || !p.items.is_empty(),
        Block::Signature(_) => true,
    };
    match blocks.iter().rev().find(has_words)? {
        Block::Signature(_) => None,
        Block::Heading { text, .. } => Some(stops_at_heading(text)),
        Block::Paragraph(p) => {
            let last = p.items.last().map_or_else(|| p.text(), |i| i.text.clone());
            let last = last.trim();
            let ends = last.ends_with(['.', '!', '?', ')', '’', '”', '"', '\'', ';', ':']);
            if ends {
                None
            } else if last.split_whitespace().count() <= HEADING_WORDS
                && p.items.is_empty()
                && last.starts_with(char::is_uppercase)
            {
                Some(stops_at_heading(last))
            } else {
                Some("the text stops mid-sentence".into())
            }
        }
    }
}

/// A heading last, with nothing under it: cut at or in the middle of a heading.
fn stops_at_heading(text: &str) -> String {
    format!("the text stops at a heading (“{text}”) with nothing under it")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::parse::{find_header, parse_page, Line};

    fn page(text: &str) -> ParsedPage {
        let lines: Vec<Line<'_>> = text
            .lines()
            .enumerate()
            .map(|(i, t)| Line {
                number: i + 1,
                text: t,
            })
            .collect();
        let (header, council, reference) = find_header(&lines).expect("header");
        parse_page(&lines, header, council, reference)
    }

    const HEAD: &str = "A Council (21 019 020)\nSummary: The Council was at fault. It will apologise.\nThe complaint\n- Mr X complains.\n";

    #[test]
    fn can_pass_a_whole_page() {
        let p = page(&format!("{HEAD}Agreed action\n- The Council will apologise.\nFinal decision\n- There was fault.\nInvestigator's decision on behalf of the Ombudsman\n"));
        assert_eq!(missing(&p), None);
    }

    #[test]
    fn can_tell_what_a_cut_page_is_missing() {
        let p = page(&format!(
            "{HEAD}The Ombudsman’s role and powers\n- We investigate complaints about what councils have done and"
        ));
        let m = missing(&p).expect("incomplete");
        assert!(m.contains("no final decision"), "{m}");
        assert!(m.contains("mid-sentence"), "{m}");
        assert!(m.contains("remedies that the text does not show"), "{m}");
        let p = page(&format!(
            "{HEAD}What I found\n- The Council did not apologise.\nAgreed act"
        ));
        let m = missing(&p).expect("incomplete");
        assert!(
            m.contains("heading (“Agreed act”) with nothing under it"),
            "{m}"
        );
    }

    #[test]
    fn can_tell_a_page_with_no_text_after_its_summary() {
        let p = page(HEAD.split("The complaint").next().unwrap_or_default());
        assert_eq!(
            missing(&p).as_deref(),
            Some("no decision text after the summary")
        );
    }
}
