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
mod tests {
    use super::*;

    use proptest::strategy::Strategy;

    proptest::proptest! {
        /// The checks before the regex never turn away a line the regex reads.
        #[test]
        fn reads_a_header_as_the_regex_alone_does(
            line in proptest::prop_oneof![
                "[ (a-cA-C0-9)\u{a0}\u{663}]{0,30}",
                ("[ a-cA-C()]{0,8}", "[ 0-9\u{663}\u{a0}aB]{0,14}", "[ )\u{a0}]{0,2}")
                    .prop_map(|(p, i, s)| format!("{p}({i}){s}")),
            ]
        ) {
            let alone = HEADER
                .captures(&line)
                .and_then(|c| Some((c.get(1)?.as_str(), c.get(2)?.as_str())));
            proptest::prop_assert_eq!(header_of(&line), alone);
        }
    }

    #[test]
    fn reads_a_header_and_nothing_like_one() {
        for (line, name, reference) in [
            (
                "Kent County Council (24 005 444)",
                "Kent County Council",
                "24 005 444",
            ),
            (
                "  London Borough of Hackney ( 16 000 000 ) ",
                "London Borough of Hackney",
                "16 000 000 ",
            ),
            (
                "Care Home (Part 2) Ltd (21019020a)",
                "Care Home (Part 2) Ltd",
                "21019020a",
            ),
            (
                "Kent County Council (24 005 444 B)",
                "Kent County Council",
                "24 005 444 B",
            ),
        ] {
            assert_eq!(header_of(line), Some((name, reference)), "{line}");
        }
        for line in [
            "The Council paid Mr X (see paragraph 12)",
            "Kent County Council (24 005 44)",
            "Kent County Council (24 005 4444)",
            "Kent County Council (24 005 444",
            "(24 005 444) Kent County Council",
            "Kent County Council (24 0O5 444)",
        ] {
            assert_eq!(header_of(line), None, "{line}");
        }
    }

    /// A line's start and text as the whole-line patterns read them before ([`rest`]).
    fn whole_line(pattern: &str, line: &str) -> Option<(Vec<Option<String>>, String)> {
        let c = Regex::new(pattern).expect("regex").captures(line)?;
        let groups = c.len();
        let text = c.get(groups - 1).map_or("", |m| m.as_str()).to_string();
        let starts = (1..groups - 1)
            .map(|i| c.get(i).map(|m| m.as_str().to_string()))
            .collect();
        Some((starts, text))
    }

    fn by_start(start: &Regex, line: &str) -> Option<(Vec<Option<String>>, String)> {
        let c = start.captures(line)?;
        let starts = (1..c.len())
            .map(|i| c.get(i).map(|m| m.as_str().to_string()))
            .collect();
        Some((starts, rest(line, &c).to_string()))
    }

    proptest::proptest! {
        #[test]
        fn can_read_a_line_by_its_start_as_by_the_whole_line(
            line in "([ \t\u{a0}]{0,5}([0-9]{1,4}\\.|[•●]|-)[ \t\u{2003}]{0,2})?[ \t\u{a0}\u{2003}0-9.•●\\-a-zA-Z\r]{0,12}",
        ) {
            for (old, new) in [
                (r"^(\s*)(\d{1,3})\.\s+(.*)$", &*NUMBERED),
                (r"^(\s*)[•·▪◦●]\s*(.*)$", &*BULLET),
                (r"^ ?-\s+(.*)$", &*DASH),
            ] {
                proptest::prop_assert_eq!(whole_line(old, &line), by_start(new, &line), "{}", old);
            }
        }
    }

    fn lines(text: &str) -> Vec<Line<'_>> {
        text.lines()
            .enumerate()
            .map(|(i, t)| Line {
                number: i + 1,
                text: t.trim_end(),
            })
            .collect()
    }

    fn parse(text: &str) -> ParsedPage {
        let ls = lines(text);
        let (i, name, reference) = find_header(&ls).expect("header");
        parse_page(&ls, i, name, reference)
    }

    fn paragraphs(page: &ParsedPage) -> Vec<&Paragraph> {
        page.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph(p) => Some(p),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn can_read_the_header_and_metadata() {
        let page = parse(
            "A Council (21 019 020)\n\nCategory : Education > Special educational needs\n\n\
             Decision : Upheld\n\nDecision date : 25 Aug 2022\n\nThe Ombudsman's final decision:\n\n\
             Summary: It was at fault.\n\nThe complaint\n\n  1. Text.\n",
        );
        assert_eq!(page.council, "A Council");
        assert_eq!(page.reference, "21 019 020");
        let cat = page.category.expect("category");
        assert_eq!(cat.value, "Education > Special educational needs");
        assert_eq!((cat.line, cat.column), (3, 12));
        assert_eq!(page.decision.expect("decision").value, "Upheld");
        assert_eq!(page.summary.as_deref(), Some("It was at fault."));
        assert_eq!(page.layout, Layout::Numbered);
    }

    #[test]
    fn can_number_paragraphs_continuously_across_sections() {
        let page = parse(
            "A Council (21 019 020)\nSummary: S.\nThe complaint\n  1. One.\n  2. Two.\n\
             Back to top\nWhat I found\n  1. Three:\n    • a bullet;\n    • another.\n  1. Four.\n",
        );
        let ps = paragraphs(&page);
        let numbers: Vec<u32> = ps.iter().map(|p| p.number).collect();
        assert_eq!(numbers, [1, 2, 3, 4]);
        assert_eq!(ps[2].items.len(), 2);
        assert_eq!(ps[2].items[0].text, "a bullet;");
        let headings: Vec<_> = page
            .blocks
            .iter()
            .filter(|b| matches!(b, Block::Heading { .. }))
            .collect();
        assert_eq!(headings.len(), 2, "Back to top is furniture");
    }

    #[test]
    fn can_nest_numbered_items_under_bullets() {
        let page = parse(
            "A Council (21 019 020)\nSummary: S.\nThe complaint\n  1. Intro:\n    • a bullet:\n      1. first;\n      2. second.\n",
        );
        let ps = paragraphs(&page);
        assert_eq!(ps[0].items[0].children.len(), 2);
        assert_eq!(ps[0].items[0].children[1].ordinal, Some(2));
    }

    #[test]
    fn can_tell_sections_from_sub_headings() {
        let page = parse(
            "A Council (21 019 020)\nSummary: S.\nWhat I found\n  1. A.\nMy findings\n  1. B.\n",
        );
        let levels: Vec<u8> = page
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { level, .. } => Some(*level),
                _ => None,
            })
            .collect();
        assert_eq!(levels, [2, 3]);
    }

    #[test]
    fn can_unflatten_items_after_a_colon() {
        let page = parse(
            "A Council (21 019 020)\nSummary: S.\nThe complaint\n- Mr X says:\n- The Council failed.\n\
             - It stopped letters.\n- He suffered distress. He wants an apology.\n- It said:\n\
             - it had not explained;\n- it had not recorded. It apologised; or\n- it was late.\n- A new paragraph.\n",
        );
        let ps = paragraphs(&page);
        let shape: Vec<(u32, usize)> = ps.iter().map(|p| (p.number, p.items.len())).collect();
        assert_eq!(shape, [(1, 2), (2, 0), (3, 3), (4, 0)]);
        assert_eq!(page.layout, Layout::Flattened);
    }

    #[test]
    fn can_tell_a_parallel_paragraph_from_an_item() {
        let page = parse(
            "A Council (21 019 020)\nSummary: S.\nAgreed actions\n- Within a month, the Council will:\n\
             - Apologise to Mr X.\n- Pay Mr X £250.\n- Within two months, the Council will review its policy.\n",
        );
        let ps = paragraphs(&page);
        assert_eq!(ps.len(), 2);
        assert_eq!(ps[0].items.len(), 2);
    }

    #[test]
    fn can_join_a_broken_line_to_its_paragraph() {
        let page = parse(
            "A Council (21 019 020)\nSummary: S.\nMy findings\n- It was late, and\n\
             Mr X felt ignored. - The Council says so.\n- Next.\n",
        );
        let ps = paragraphs(&page);
        assert_eq!(ps.len(), 2);
        assert_eq!(ps[0].lines.len(), 2);
    }

    #[test]
    fn can_drop_a_cookie_banner_before_the_header() {
        let page = parse(
            "Review your privacy settings\nRequired cookies\nA Council (21 019 020)\nSummary: S.\n",
        );
        assert!(page.dropped_before_header.is_empty());
        assert_eq!(page.layout, Layout::Empty);
        let page = parse("Some stray words\nA Council (21 019 020)\n");
        assert_eq!(page.dropped_before_header, [1]);
    }

    #[test]
    fn keeps_the_signature() {
        let page = parse(
            "A Council (21 019 020)\nSummary: S.\nFinal decision\n  1. Done.\n\n\
             Investigator's decision on behalf of the Ombudsman\n\nPrint this page\n\nReview your privacy settings\nPrivacy settings\n",
        );
        assert!(matches!(page.blocks.last(), Some(Block::Signature(_))));
    }
}
