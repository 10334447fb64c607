//! A parsed body -> Markdown: `##` sections, `###` sub-headings, paragraphs as one ordered
//! list numbered continuously (so `27.` is paragraph 27), bullets and nested items as
//! nested lists, and the signature as a closing paragraph.
//!
//! The Ombudsman's text is escaped, not edited: characters that Markdown would read as
//! markup are backslash-escaped so that the page shows exactly what was written. A link
//! the page had (an HTML page's; a text copy has none) becomes a Markdown link around the
//! same words: `[decision 24 005 444](<https://...>)`.

use std::iter::Peekable;
use std::slice::Iter;
use std::sync::LazyLock;

use super::page::{Block, Item, Link, Paragraph};

/// Renders the body blocks as Markdown.
pub fn to_markdown(blocks: &[Block]) -> String {
    let mut out = String::new();
    let mut in_list = false;
    for block in blocks {
        match block {
            Block::Heading { level, text } => {
                end_list(&mut out, &mut in_list);
                let hashes = "#".repeat(usize::from(*level));
                out.push_str(&format!("{hashes} {}\n\n", escape_line(text)));
            }
            Block::Paragraph(p) => {
                in_list = true;
                push_paragraph(&mut out, p);
            }
            Block::Signature(text) => {
                end_list(&mut out, &mut in_list);
                out.push_str(&format!("{}\n\n", escape_line(text)));
            }
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

fn end_list(out: &mut String, in_list: &mut bool) {
    if *in_list {
        out.push('\n');
        *in_list = false;
    }
}

fn push_paragraph(out: &mut String, p: &Paragraph) {
    let marker = format!("{}. ", p.number);
    let indent = " ".repeat(marker.len());
    out.push_str(&marker);
    let mut links = p.links.iter().peekable();
    for (i, line) in p.lines.iter().enumerate() {
        if i > 0 {
            out.push_str(&indent);
        }
        out.push_str(&linked_line(line, &mut links));
        out.push('\n');
    }
    push_items(out, &p.items, &indent);
}

fn push_items(out: &mut String, items: &[Item], indent: &str) {
    for item in items {
        let marker = match item.ordinal {
            Some(n) => format!("{n}. "),
            None => "- ".to_string(),
        };
        out.push_str(indent);
        out.push_str(&marker);
        out.push_str(&linked_line(&item.text, &mut item.links.iter().peekable()));
        out.push('\n');
        let child_indent = format!("{indent}{}", " ".repeat(marker.len()));
        push_items(out, &item.children, &child_indent);
    }
}

/// A line escaped, with the links that `links` holds next wrapped around their words
/// where the line has them, in order. A link whose words are not on this line (they span
/// a line break) waits for the next line; its words stay text either way.
fn linked_line(line: &str, links: &mut Peekable<Iter<'_, Link>>) -> String {
    let mut out = String::new();
    let mut at = 0;
    while let Some(link) = links.peek() {
        let Some(found) = line[at..].find(link.text.as_str()).map(|i| at + i) else {
            break;
        };
        let end = found + link.text.len();
        out.push_str(&escape(&line[at..found], at == 0, true));
        out.push('[');
        out.push_str(&escape(&line[found..end], found == 0, false));
        out.push_str("](<");
        out.push_str(&link_destination(&link.url));
        out.push_str(">)");
        at = end;
        links.next();
    }
    out.push_str(&escape(&line[at..], at == 0, false));
    out
}

/// An address as a `<...>` link destination: the characters that would end it
/// percent-encoded.
fn link_destination(url: &str) -> String {
    url.chars()
        .map(|c| match c {
            '<' => "%3C".to_string(),
            '>' => "%3E".to_string(),
            '\n' | '\r' => String::new(),
            '\\' => "%5C".to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// Escapes a line of the Ombudsman's text so Markdown shows it as written.
pub fn escape_line(text: &str) -> String {
    escape(text, true, false)
}

/// The bytes [`escape`] may put a backslash before: every byte [`needs_escape`] escapes
/// in some place (tried with every next byte, at a line's start or not, before a link or
/// not), so the rules are written once.
static MAY_ESCAPE: LazyLock<[bool; 256]> = LazyLock::new(|| {
    let nexts = || std::iter::once(None).chain((0..=u8::MAX).map(Some));
    std::array::from_fn(|b| {
        let b = u8::try_from(b).unwrap_or(u8::MAX);
        nexts().any(|next| {
            [(true, true), (true, false), (false, true), (false, false)]
                .iter()
                .any(|&(first, link)| needs_escape(b, first, next, link))
        })
    })
});

/// Escapes `text`, which starts the line when `at_start` (where `#`, `-` and a number with
/// a dot would be read as markup) and comes just before a link when `before_link` (where a
/// last `!` would make the link an image).
fn escape(text: &str, at_start: bool, before_link: bool) -> String {
    // Every character escaped is ASCII, so the text is read by bytes and copied in runs
    // between them; a byte after one is its next character's first. Most bytes are none
    // of them, which one look-up in a table says (40% faster than the match alone).
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 8);
    let mut copied = 0;
    let may_escape = &*MAY_ESCAPE;
    for (i, &b) in bytes.iter().enumerate() {
        if !may_escape[usize::from(b)] {
            continue;
        }
        let next = bytes.get(i + 1).copied();
        if needs_escape(b, i == 0 && at_start, next, before_link) {
            // `i` is at an ASCII byte, so both slices end on character boundaries.
            out.push_str(&text[copied..i]);
            out.push('\\');
            copied = i;
        }
    }
    out.push_str(&text[copied..]);
    if at_start {
        escape_leading_number(out)
    } else {
        out
    }
}

/// Whether byte `b` needs a backslash: `first` when it starts a line, `next` the byte
/// after it, `before_link` when the text comes just before a link.
fn needs_escape(b: u8, first: bool, next: Option<u8>, before_link: bool) -> bool {
    match b {
        b'\\' | b'`' | b'*' | b'_' | b'[' | b']' | b'<' | b'>' | b'|' | b'~' => true,
        b'&' => next.is_some_and(|n| n.is_ascii_alphanumeric() || n == b'#'),
        b'#' | b'+' | b'-' | b'=' => first,
        b'!' => next == Some(b'[') || (next.is_none() && before_link),
        _ => false,
    }
}

/// A line that starts `2018. ` or `3) ` would become a list item; escape its dot.
fn escape_leading_number(text: String) -> String {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &text[digits..];
    if digits > 0
        && (rest.starts_with(". ") || rest.starts_with(") ") || rest == "." || rest == ")")
    {
        format!("{}\\{}", &text[..digits], rest)
    } else {
        text
    }
}

/// Undoes [`escape_line`]: the text as the Ombudsman wrote it, a link reduced to its words.
pub fn unescape(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match chars.get(i + 1) {
            Some(&n) if c == '\\' && n.is_ascii_punctuation() => {
                out.push(n);
                i += 2;
                continue;
            }
            _ => {}
        }
        if c == '[' {
            if let Some((close, after)) = link_at(&chars, i) {
                let words: String = chars[i + 1..close].iter().collect();
                out.push_str(&unescape(&words));
                i = after;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// The longest link text or address [`unescape`] looks through, so that a line of
/// unmatched brackets costs no more than a scan of this many characters each.
const MAX_LINK_CHARS: usize = 2_000;

/// For the `[` at `open`, when a Markdown link `[words](address)` starts there: where its
/// `]` is, and the index just after its `)`.
fn link_at(chars: &[char], open: usize) -> Option<(usize, usize)> {
    let close = scan(chars, open + 1, '[', ']')?;
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let end = if chars.get(close + 2) == Some(&'<') {
        let gt = scan(chars, close + 3, '\0', '>')?;
        scan(chars, gt + 1, '\0', ')')?
    } else {
        scan(chars, close + 2, '(', ')')?
    };
    Some((close, end + 1))
}

/// The index of the `close` that ends a span starting at `from` (nested `open`/`close`
/// pairs and backslash escapes skipped), within [`MAX_LINK_CHARS`] and one line.
fn scan(chars: &[char], from: usize, open: char, close: char) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = from;
    while i < chars.len() && i - from < MAX_LINK_CHARS {
        match chars[i] {
            '\\' => i += 1,
            '\n' => return None,
            c if c == close && depth == 0 => return Some(i),
            c if c == close => depth -= 1,
            c if c == open => depth += 1,
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn looks_up_every_byte_the_rules_may_escape() {
        let nexts = [
            None,
            Some(b'['),
            Some(b'#'),
            Some(b'a'),
            Some(b'1'),
            Some(b' '),
        ];
        for b in 0..=u8::MAX {
            for next in nexts {
                for (first, link) in [(true, true), (false, false), (true, false), (false, true)] {
                    if needs_escape(b, first, next, link) {
                        assert!(MAY_ESCAPE[usize::from(b)], "{:?}", char::from(b));
                    }
                }
            }
        }
    }

    use super::*;

    /// The character-at-a-time reading [`escape`] replaced, kept to check it against.
    fn escape_by_chars(text: &str, at_start: bool, before_link: bool) -> String {
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let next = chars.get(i + 1).copied();
            let escape = match c {
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' => true,
                '&' => next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '#'),
                '#' | '+' | '-' | '=' => i == 0 && at_start,
                '!' => next == Some('[') || (next.is_none() && before_link),
                _ => false,
            };
            if escape {
                out.push('\\');
            }
            out.push(c);
        }
        if at_start {
            escape_leading_number(out)
        } else {
            out
        }
    }

    proptest::proptest! {
        #[test]
        fn escapes_by_bytes_as_by_characters(
            text in "[0-9a-z &#!+=.)\\\\`*_\\[\\]<>|~£é’-]{0,40}",
            at_start: bool,
            before_link: bool,
        ) {
            proptest::prop_assert_eq!(
                escape(&text, at_start, before_link),
                escape_by_chars(&text, at_start, before_link)
            );
        }
    }

    fn para(number: u32, text: &str, items: Vec<Item>) -> Block {
        Block::Paragraph(Paragraph {
            number,
            lines: vec![text.to_string()],
            items,
            source_line: 1,
            links: Vec::new(),
        })
    }

    fn bullet(text: &str, children: Vec<Item>) -> Item {
        Item {
            ordinal: None,
            text: text.into(),
            children,
            links: Vec::new(),
        }
    }

    #[test]
    fn can_render_sections_and_continuous_numbers() {
        let md = to_markdown(&[
            Block::Heading {
                level: 2,
                text: "The complaint".into(),
            },
            para(9, "Nine.", vec![]),
            para(
                10,
                "Ten:",
                vec![bullet(
                    "a;",
                    vec![Item {
                        ordinal: Some(1),
                        text: "deep".into(),
                        children: vec![],
                        links: vec![],
                    }],
                )],
            ),
            Block::Heading {
                level: 3,
                text: "My findings".into(),
            },
            para(11, "Eleven.", vec![]),
            Block::Signature("Investigator's decision on behalf of the Ombudsman".into()),
        ]);
        assert_eq!(
            md,
            "## The complaint\n\n9. Nine.\n10. Ten:\n    - a;\n      1. deep\n\n### My findings\n\n11. Eleven.\n\n\
             Investigator's decision on behalf of the Ombudsman\n"
        );
    }

    #[test]
    fn can_escape_markup_and_round_trip_it() {
        for text in [
            "a *b* _c_ [d](e) <script>",
            "# not a heading",
            "2018. A year",
            "AT&T &amp; R&D",
            "- dash",
            "x \\ y",
            "a [bracket] (aside) and ![image]",
        ] {
            let escaped = escape_line(text);
            assert_eq!(unescape(&escaped), text, "{escaped}");
        }
        assert_eq!(escape_line("2018. A year"), "2018\\. A year");
        assert_eq!(escape_line("<b>"), "\\<b\\>");
    }

    #[test]
    fn a_link_becomes_a_markdown_link_around_the_same_words_and_unescapes_to_them() {
        let link = |text: &str, url: &str| Link {
            text: text.into(),
            url: url.into(),
        };
        let mut p = Paragraph {
            number: 4,
            lines: vec![
                "See decision 24 005 444, and the Act!".into(),
                "Wow! the [guidance] too.".into(),
            ],
            items: vec![Item {
                ordinal: None,
                text: "the guidance".into(),
                children: vec![],
                links: vec![link("guidance", "https://example.org/a>b")],
            }],
            source_line: 0,
            links: vec![
                link(
                    "decision 24 005 444",
                    "https://www.lgo.org.uk/decisions/housing/homelessness/24-005-444",
                ),
                link("the Act", "https://www.legislation.gov.uk/ukpga/2014/23"),
                link("[guidance]", "https://example.org/g"),
                link("not there", "https://example.org/x"),
            ],
        };
        let md = to_markdown(&[Block::Paragraph(p.clone())]);
        assert_eq!(
            md,
            "4. See [decision 24 005 444](<https://www.lgo.org.uk/decisions/housing/homelessness/24-005-444>), \
             and [the Act](<https://www.legislation.gov.uk/ukpga/2014/23>)!\n   \
             Wow! the [\\[guidance\\]](<https://example.org/g>) too.\n   \
             - the [guidance](<https://example.org/a%3Eb>)\n"
        );
        let lines: Vec<&str> = md.lines().collect();
        assert_eq!(
            unescape(lines[0].trim_start_matches("4. ")),
            "See decision 24 005 444, and the Act!"
        );
        assert_eq!(unescape(lines[1].trim()), "Wow! the [guidance] too.");
        // The words a reader sees in the rendered page are the Ombudsman's.
        let html = crate::render::markdown::plain_text(&md);
        assert!(
            html.contains("See decision 24 005 444, and the Act!"),
            "{html}"
        );
        let bang = linked_line(
            "Hey!here",
            &mut [link("here", "https://e.org/")].iter().peekable(),
        );
        assert_eq!(bang, "Hey\\![here](<https://e.org/>)");
        p.links.clear();
        p.items[0].links.clear();
        assert!(!to_markdown(&[Block::Paragraph(p)]).contains("](<"));
    }
}
