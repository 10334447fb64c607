//! Lines of a raw decision page -> its header, metadata, summary and a structured body.
//!
//! Two layouts exist. In the *numbered* layout paragraphs are `  1. text` items (the copy
//! restarts numbering in each section; the real decision numbers them continuously), with
//! `•` bullets and deeper `1.` items under a paragraph. In the *flattened* layout every
//! paragraph and bullet is a `- ` line, and a paragraph ending in `:` introduces sub-items.
//! Bare lines are headings, or, when they read as running text, the continuation of the
//! paragraph before (a broken join in the copy). Nothing here rewords the text. What it
//! gives is the [`ParsedPage`] of `page`, which the HTML reader gives too.

use std::sync::LazyLock;

use regex::Regex;

use super::furniture::{is_furniture, is_signature};
use super::page::{Block, Item, Layout, Meta, Paragraph, ParsedPage};

/// One line of the source: its 1-based number and its text without trailing space.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    /// 1-based line number in the source.
    pub number: usize,
    /// The text, trailing white space removed.
    pub text: &'a str,
}

/// Section headings that open a top-level section (`##`); other headings are sub-headings.
const SECTION_HEADINGS: &[&str] = &[
    "the complaint",
    "complaint summary",
    "the ombudsman's role and powers",
    "the ombudsmen's role and powers",
    "legal and administrative background",
    "what i have investigated",
    "what i have not investigated",
    "what i have and have not investigated",
    "what i have and haven't investigated",
    "how i considered this complaint",
    "how i considered this complaint and what i have not investigated",
    "my assessment",
    "assessment",
    "what i have considered",
    "what i found",
    "conclusions",
    "agreed action",
    "agreed actions",
    "recommended action",
    "recommended actions",
    "action",
    "actions",
    "final decision",
    "decision",
    "parts of the complaint that i did not investigate",
    "the ombudsman's final decision",
    "report summary",
    "how we considered this complaint",
    "what we found",
    "recommendations",
];

static HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(\S.*?)\s*\(\s*(\d{2}\s*\d{3}\s*\d{3}\s*[A-Za-z]?)\s*\)\s*$")
        .expect("static regex")
});
static META: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(Category|Decision date|Decision)\s*:\s*(.*)$").expect("static regex")
});
// The starts of numbered, bullet and dash lines; a line's text is the rest of it. Matching
// the start alone, not `(.*)$` to the end, saves reading every long paragraph line through
// (with the captures, a backtracking search: a quarter of a text import).
static NUMBERED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\s*)(\d{1,3})\.\s+").expect("static regex"));
static BULLET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\s*)[•·▪◦●]\s*").expect("static regex"));
static DASH: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^ ?-\s+").expect("static regex"));

/// The text of `line` after the start `captures` matched.
fn rest<'a>(line: &'a str, captures: &regex::Captures<'_>) -> &'a str {
    captures.get(0).map_or(line, |m| &line[m.end()..])
}
static SENTENCE_BREAK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"[.!?]["'’”)]?\s+["'‘“(]?[A-Z]"#).expect("static regex"));

/// Finds the `Name (NN NNN NNN)` line: the council and the reference.
pub fn find_header<'a>(lines: &[Line<'a>]) -> Option<(usize, &'a str, &'a str)> {
    lines.iter().enumerate().find_map(|(i, line)| {
        let (name, reference) = header_of(line.text)?;
        Some((i, name, reference))
    })
}

/// The organisation and reference of a `Name (NN NNN NNN)` line.
pub fn header_of(text: &str) -> Option<(&str, &str)> {
    // Most lines are not headers and many are long: the regex runs only on a line that
    // ends with `)`, as every header does.
    // Nor on one whose last brackets do not hold eight digits (any the regex reads as
    // digits), perhaps a letter, and white space.
    let (_, inside) = text.trim_end().strip_suffix(')')?.rsplit_once('(')?;
    let inside = inside.trim_end();
    let inside = inside
        .strip_suffix(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(inside);
    let mut digits = 0;
    for c in inside.chars().filter(|c| !c.is_whitespace()) {
        if !c.is_numeric() {
            return None;
        }
        digits += 1;
    }
    if digits != 8 {
        return None;
    }
    let caps = HEADER.captures(text)?;
    Some((caps.get(1)?.as_str(), caps.get(2)?.as_str()))
}

/// The label, the value and the value's byte offset of a `Category : ...`,
/// `Decision : ...` or `Decision date : ...` line.
pub fn meta_of(text: &str) -> Option<(&str, &str, usize)> {
    let caps = META.captures(text)?;
    let (label, value) = (caps.get(1)?, caps.get(2)?);
    Some((label.as_str(), value.as_str(), value.start()))
}

/// True for the "The Ombudsman's final decision:" line before the summary.
pub fn is_final_decision_marker(text: &str) -> bool {
    let lower = text.trim().to_lowercase();
    lower.starts_with("the ombudsman's final decision")
        || lower.starts_with("the ombudsman’s final decision")
        || lower.starts_with("the ombudsmen's final decision")
        || lower.starts_with("the ombudsmen’s final decision")
}

/// A heading's level: 2 for the sections every decision has, 3 for other headings.
pub fn heading_level(text: &str) -> u8 {
    if SECTION_HEADINGS.contains(&normalise_heading(text).as_str()) {
        2
    } else {
        3
    }
}

/// Parses a page whose header is `lines[header]`.
pub fn parse_page(lines: &[Line<'_>], header: usize, council: &str, reference: &str) -> ParsedPage {
    let dropped_before_header = lines[..header]
        .iter()
        .filter(|l| !l.text.trim().is_empty() && !is_furniture(l.text))
        .map(|l| l.number)
        .collect();
    let mut page = ParsedPage {
        council: council.to_string(),
        reference: reference.to_string(),
        category: None,
        decision: None,
        decision_date: None,
        summary: None,
        blocks: Vec::new(),
        layout: Layout::Empty,
        dropped_before_header,
    };
    let rest = &lines[header + 1..];
    let body_start = parse_preamble(rest, &mut page);
    let body = strip_cookie_banner(&rest[body_start..]);
    page.layout = detect_layout(&body);
    page.blocks = BodyParser::new(page.layout).parse(&body);
    page
}

/// Reads metadata lines, the "final decision" marker and the summary. Returns the index
/// of the first body line.
fn parse_preamble(lines: &[Line<'_>], page: &mut ParsedPage) -> usize {
    for (i, line) in lines.iter().enumerate() {
        let text = line.text.trim();
        if text.is_empty() || is_furniture(text) {
            continue;
        }
        if let Some((label, value, start)) = meta_of(line.text) {
            let column = line.text[..start].chars().count() + 1;
            let meta = Meta {
                value: value.trim().to_string(),
                line: line.number,
                column,
            };
            match label {
                "Category" => page.category = Some(meta),
                "Decision" => page.decision = Some(meta),
                _ => page.decision_date = Some(meta),
            }
            continue;
        }
        if is_final_decision_marker(text) {
            continue;
        }
        if let Some(summary) = text.strip_prefix("Summary:") {
            page.summary = Some(summary.trim().to_string());
            return i + 1;
        }
        return i;
    }
    lines.len()
}

/// Drops the cookie banner block (from "Review your privacy settings" to "Privacy settings")
/// and any other furniture line.
fn strip_cookie_banner<'a>(lines: &[Line<'a>]) -> Vec<Line<'a>> {
    let keep = super::furniture::kept(lines.iter().map(|l| l.text));
    lines
        .iter()
        .zip(keep)
        .filter_map(|(l, k)| k.then_some(*l))
        .collect()
}

fn detect_layout(lines: &[Line<'_>]) -> Layout {
    let numbered = lines.iter().filter(|l| NUMBERED.is_match(l.text)).count();
    let dashed = lines.iter().filter(|l| DASH.is_match(l.text)).count();
    match (numbered, dashed) {
        (0, 0) => Layout::Empty,
        (n, d) if n >= d => Layout::Numbered,
        _ => Layout::Flattened,
    }
}

/// How the flattened layout's current sub-item list continues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SubList {
    /// No list open.
    Closed,
    /// The last paragraph ended in `:`; its first item decides the mode.
    Opened,
    /// Items end in `;` (or `; and`, `; or`): the list ends after an item ending in `.`.
    Semicolons,
    /// Items are single sentences: the list ends at a longer item.
    Sentences,
}

struct BodyParser {
    layout: Layout,
    blocks: Vec<Block>,
    next_number: u32,
    sub_list: SubList,
}

impl BodyParser {
    fn new(layout: Layout) -> Self {
        Self {
            layout,
            blocks: Vec::new(),
            next_number: 1,
            sub_list: SubList::Closed,
        }
    }

    fn parse(mut self, lines: &[Line<'_>]) -> Vec<Block> {
        for line in lines {
            let text = line.text;
            if text.trim().is_empty() {
                continue;
            }
            if is_signature(text) {
                self.blocks.push(Block::Signature(text.trim().to_string()));
                self.sub_list = SubList::Closed;
            } else if self.layout == Layout::Flattened {
                self.flattened_line(*line);
            } else {
                self.numbered_line(*line);
            }
        }
        self.blocks
    }

    fn numbered_line(&mut self, line: Line<'_>) {
        if let Some(c) = NUMBERED.captures(line.text) {
            let indent = c.get(1).map_or(0, |m| m.as_str().len());
            let ordinal = c.get(2).and_then(|m| m.as_str().parse().ok());
            let text = rest(line.text, &c).to_string();
            if indent >= 4 && self.current_paragraph().is_some() {
                self.push_nested(ordinal, text);
            } else {
                self.push_paragraph(text, line.number);
            }
        } else if let Some(c) = BULLET.captures(line.text) {
            let text = rest(line.text, &c).to_string();
            self.push_item(None, text, line.number);
        } else {
            self.bare_line(line);
        }
    }

    fn flattened_line(&mut self, line: Line<'_>) {
        let Some(c) = DASH.captures(line.text) else {
            self.bare_line(line);
            return;
        };
        let text = rest(line.text, &c).trim().to_string();
        if self.is_sub_item(&text) {
            self.push_item(None, text.clone(), line.number);
            if self.sub_list == SubList::Semicolons && ends_sentence(&text) {
                self.sub_list = SubList::Closed;
            }
        } else {
            self.push_paragraph(text, line.number);
        }
    }

    /// Decides whether a flattened `- ` line is a sub-item of the paragraph before, and
    /// updates the sub-list state.
    fn is_sub_item(&mut self, text: &str) -> bool {
        let starts_lower = text.chars().next().is_some_and(char::is_lowercase);
        match self.sub_list {
            SubList::Closed => false,
            SubList::Opened => {
                self.sub_list = if ends_list_clause(text) {
                    SubList::Semicolons
                } else {
                    SubList::Sentences
                };
                true
            }
            SubList::Semicolons => true,
            SubList::Sentences => {
                let sibling = self.repeats_lead_in(text);
                if starts_lower || (!sibling && !SENTENCE_BREAK.is_match(text)) {
                    true
                } else {
                    self.sub_list = SubList::Closed;
                    false
                }
            }
        }
    }

    /// True when `text` starts with the same word as the paragraph that opened the list
    /// ("Within a month, the Council will:" ... "Within two months, the Council will ..."):
    /// a parallel paragraph, not an item of the list.
    fn repeats_lead_in(&self, text: &str) -> bool {
        let first = |s: &str| {
            s.split_whitespace().next().map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            })
        };
        match (self.current_paragraph(), first(text)) {
            (Some(p), Some(word)) => p.lines.first().and_then(|l| first(l)) == Some(word),
            _ => false,
        }
    }

    fn bare_line(&mut self, line: Line<'_>) {
        let text = line.text.trim();
        if looks_like_heading(text) {
            self.blocks.push(Block::Heading {
                level: heading_level(text),
                text: text.to_string(),
            });
            self.sub_list = SubList::Closed;
        } else if let Some(p) = self.current_paragraph_mut() {
            // A broken join: the copy split one paragraph over two lines.
            match p.items.last_mut() {
                Some(item) => {
                    item.text.push(' ');
                    item.text.push_str(text);
                }
                None => p.lines.push(text.to_string()),
            }
        } else {
            self.push_paragraph(text.to_string(), line.number);
        }
    }

    fn push_paragraph(&mut self, text: String, source_line: usize) {
        let opens_list = text.trim_end().ends_with(':');
        self.blocks.push(Block::Paragraph(Paragraph {
            number: self.next_number,
            lines: vec![text],
            items: Vec::new(),
            source_line,
            links: Vec::new(),
        }));
        self.next_number += 1;
        self.sub_list = if opens_list {
            SubList::Opened
        } else {
            SubList::Closed
        };
    }

    fn push_item(&mut self, ordinal: Option<u32>, text: String, source_line: usize) {
        match self.current_paragraph_mut() {
            Some(p) => p.items.push(Item {
                ordinal,
                text,
                children: Vec::new(),
                links: Vec::new(),
            }),
            // A bullet with no paragraph before it becomes a paragraph of its own.
            None => self.push_paragraph(text, source_line),
        }
    }

    fn push_nested(&mut self, ordinal: Option<u32>, text: String) {
        let item = Item {
            ordinal,
            text,
            children: Vec::new(),
            links: Vec::new(),
        };
        if let Some(p) = self.current_paragraph_mut() {
            match p.items.last_mut() {
                Some(parent) if parent.ordinal.is_none() => parent.children.push(item),
                _ => p.items.push(item),
            }
        }
    }

    /// The paragraph that following items belong to: the last block, if a paragraph.
    fn current_paragraph(&self) -> Option<&Paragraph> {
        match self.blocks.last() {
            Some(Block::Paragraph(p)) => Some(p),
            _ => None,
        }
    }

    fn current_paragraph_mut(&mut self) -> Option<&mut Paragraph> {
        match self.blocks.last_mut() {
            Some(Block::Paragraph(p)) => Some(p),
            _ => None,
        }
    }
}

/// Lowercases a heading and straightens its apostrophes for comparison.
pub fn normalise_heading(text: &str) -> String {
    text.trim().replace(['’', '‘'], "'").to_lowercase()
}

/// A bare line reads as a heading when it is short and is not running text: no sentence
/// break inside and no closing full stop, semicolon or comma.
pub fn looks_like_heading(text: &str) -> bool {
    let last = text.chars().next_back().unwrap_or(' ');
    // Words are counted no further than one too many: paragraphs are long.
    !matches!(last, '.' | ';' | ',')
        && text.split_whitespace().take(21).count() <= 20
        && !SENTENCE_BREAK.is_match(text)
}

fn ends_list_clause(text: &str) -> bool {
    let t = text.trim_end();
    t.ends_with(';')
        || t.ends_with(',')
        || t.ends_with(" or")
        || t.ends_with(" and")
        || t.ends_with(':')
}

fn ends_sentence(text: &str) -> bool {
    let t = text.trim_end().trim_end_matches(['"', '\'', '’', '”', ')']);
    t.ends_with('.') || t.ends_with('!') || t.ends_with('?')
}

#[cfg(test)]
mod tests;
