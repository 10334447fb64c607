//! A parsed body -> Markdown: `##` sections, `###` sub-headings, paragraphs as one ordered
//! list numbered continuously (so `27.` is paragraph 27), bullets and nested items as
//! nested lists, and the signature as a closing paragraph.
//!
//! The Ombudsman's text is escaped, not edited: characters that Markdown would read as
//! markup are backslash-escaped so that the page shows exactly what was written.

use super::parse::{Block, Item, Paragraph};

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
    for (i, line) in p.lines.iter().enumerate() {
        if i > 0 {
            out.push_str(&indent);
        }
        out.push_str(&escape_line(line));
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
        out.push_str(&escape_line(&item.text));
        out.push('\n');
        let child_indent = format!("{indent}{}", " ".repeat(marker.len()));
        push_items(out, &item.children, &child_indent);
    }
}

/// Escapes a line of the Ombudsman's text so Markdown shows it as written.
pub fn escape_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let escape = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' => true,
            '&' => next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '#'),
            '#' | '+' | '-' | '=' => i == 0,
            '!' => next == Some('['),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    escape_leading_number(&out)
}

/// A line that starts `2018. ` or `3) ` would become a list item; escape its dot.
fn escape_leading_number(text: &str) -> String {
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let rest = &text[digits..];
    if digits > 0 && (rest.starts_with(". ") || rest.starts_with(") ") || rest == "." || rest == ")") {
        format!("{}\\{}", &text[..digits], rest)
    } else {
        text.to_string()
    }
}

/// Undoes [`escape_line`]: the text as the Ombudsman wrote it.
pub fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(&n) = chars.peek() {
                if n.is_ascii_punctuation() {
                    out.push(n);
                    chars.next();
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(number: u32, text: &str, items: Vec<Item>) -> Block {
        Block::Paragraph(Paragraph {
            number,
            lines: vec![text.to_string()],
            items,
            source_line: 1,
        })
    }

    fn bullet(text: &str, children: Vec<Item>) -> Item {
        Item {
            ordinal: None,
            text: text.into(),
            children,
        }
    }

    #[test]
    fn can_render_sections_and_continuous_numbers() {
        let md = to_markdown(&[
            Block::Heading { level: 2, text: "The complaint".into() },
            para(9, "Nine.", vec![]),
            para(10, "Ten:", vec![bullet("a;", vec![Item { ordinal: Some(1), text: "deep".into(), children: vec![] }])]),
            Block::Heading { level: 3, text: "My findings".into() },
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
        for text in ["a *b* _c_ [d](e) <script>", "# not a heading", "2018. A year", "AT&T &amp; R&D", "- dash", "x \\ y"] {
            let escaped = escape_line(text);
            assert_eq!(unescape(&escaped), text, "{escaped}");
        }
        assert_eq!(escape_line("2018. A year"), "2018\\. A year");
        assert_eq!(escape_line("<b>"), "\\<b\\>");
    }
}
