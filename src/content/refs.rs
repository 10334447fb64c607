//! The decision text's own references to its paragraphs ("paragraph 27", "paragraphs 27
//! and 30", "paragraphs 4 to 6"), and the paragraph numbers a body holds.
//!
//! One definition, shared by `render` (which links each reference to `#pN`) and `check`
//! (which reports references that point nowhere). References to other documents'
//! paragraphs ("Schedule 5/5A, paragraph 1/3", "paragraph 3 of Schedule 2") are not the
//! decision's own and are left alone.

use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// One paragraph number referred to in the text, with the byte range of the number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParagraphRef {
    /// The paragraph referred to.
    pub number: u32,
    /// Where its digits are in the text.
    pub span: Range<usize>,
}

static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    crate::import::pattern::compile(
        r"(?i)\b(paragraphs?|paras?\.?)\s+(\d{1,3}(?:\s*(?:,|and|to|-|–|or)\s*\d{1,3})*)",
    )
});
static NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d{1,3}").expect("static regex"));
static RANGE_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:to|-|–)\s*$").expect("static regex"));

/// Every reference to one of the decision's own paragraphs in `text`. A range
/// ("paragraphs 4 to 6") gives its two ends; the numbers between are not in the text.
pub fn paragraph_refs(text: &str) -> Vec<ParagraphRef> {
    let mut out = Vec::new();
    for caps in REFERENCE.captures_iter(text) {
        let (Some(whole), Some(list)) = (caps.get(0), caps.get(2)) else {
            continue;
        };
        if refers_elsewhere(text, whole.start(), list.end()) {
            continue;
        }
        for m in NUMBER.find_iter(list.as_str()) {
            if let Ok(number) = m.as_str().parse() {
                let start = list.start() + m.start();
                out.push(ParagraphRef {
                    number,
                    span: start..start + m.len(),
                });
            }
        }
    }
    out
}

/// True when the numbers after `paragraph` belong to another document: a legal citation
/// (`Schedule 5/5A, paragraph 1/3`, `paragraph 3 of Schedule 2`, `paragraph 4(b)`).
fn refers_elsewhere(text: &str, start: usize, end: usize) -> bool {
    let after = &text[end..];
    let before = &text[..start];
    let window_start = before.char_indices().rev().nth(40).map_or(0, |(i, _)| i);
    let before_window = before[window_start..].to_lowercase();
    after.starts_with('/')
        || after.starts_with('(')
        || after.trim_start().to_lowercase().starts_with("of ")
        || before_window.contains("schedule")
        || before_window.contains(" act ")
        || before_window.contains("regulation")
}

/// True when the words between two numbers of a reference make it a range.
pub fn is_range(between: &str) -> bool {
    RANGE_WORD.is_match(between)
}

/// The paragraph numbers a decision body holds: the items of its top-level ordered list.
pub fn paragraph_numbers(body: &str) -> BTreeSet<u32> {
    body.lines()
        .filter_map(|line| {
            let (number, _) = line.split_once(". ")?;
            number.parse().ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(text: &str) -> Vec<u32> {
        paragraph_refs(text).into_iter().map(|r| r.number).collect()
    }

    #[test]
    fn can_find_single_paired_and_listed_references() {
        assert_eq!(numbers("as set out in paragraph 12."), [12]);
        assert_eq!(
            numbers("the main findings in paragraphs 27 and 30. My role"),
            [27, 30]
        );
        assert_eq!(numbers("see paragraphs 4, 5 and 9"), [4, 5, 9]);
        assert_eq!(numbers("see paragraphs 4 to 6"), [4, 6]);
        let text = "in paragraphs 27 and 30";
        let spans: Vec<&str> = paragraph_refs(text)
            .iter()
            .map(|r| &text[r.span.clone()])
            .collect();
        assert_eq!(spans, ["27", "30"]);
    }

    #[test]
    fn leaves_references_to_other_documents_alone() {
        assert!(
            numbers("(Local Government Act 1974, Schedule 5/5A, paragraph 1/3, as amended)")
                .is_empty()
        );
        assert!(numbers("under paragraph 3 of Schedule 2").is_empty());
        assert!(numbers("paragraph 4(b) of the regulations").is_empty());
    }

    #[test]
    fn can_list_a_bodys_paragraph_numbers() {
        let body = "## A\n\n1. One.\n2. Two:\n   - a bullet\n   1. nested\n\n## B\n\n3. Three.\n";
        assert_eq!(
            paragraph_numbers(body).into_iter().collect::<Vec<_>>(),
            [1, 2, 3]
        );
    }
}
