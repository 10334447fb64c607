//! The elements and text of an HTML document, as they open and close -> the pieces of text
//! a reader sees, in order: headings, plain blocks, list items with their depth, and
//! `label`/`value` pairs.
//!
//! The walk takes events, not a tree (`stream` feeds it from html5ever's tree builder), so
//! 10,000 levels of nesting cost no stack. Scripts, styles, forms, navigation, footers and anything whose id or class
//! names a cookie banner are skipped; text is whitespace-collapsed as a browser shows it
//! (`&nbsp;` stays a no-break space) and `<br>` breaks a block into lines.

use std::borrow::Cow;

use html5ever::{local_name, ns, Attribute, LocalName, QualName};

use crate::import::page::Link;

/// An element as the walk sees it: its name and attributes, and a number that tells it
/// from every other element of the document.
#[derive(Debug, Clone)]
pub struct Element {
    /// Unique within the document.
    pub key: usize,
    /// The element's name.
    pub name: QualName,
    /// Its attributes, as the page wrote them.
    pub attrs: Vec<Attribute>,
}

impl Element {
    /// The local name (`p`, `li`, ...).
    pub fn name(&self) -> &str {
        &self.name.local
    }

    /// The value of the attribute `name` (not namespaced), if the element has it.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.name.ns == ns!() && &*a.name.local == name)
            .map(|a| &*a.value)
    }

    fn classes(&self) -> impl Iterator<Item = &str> {
        self.attr("class").unwrap_or("").split_ascii_whitespace()
    }
}

/// What a piece of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `<h1>` to `<h6>`.
    Heading,
    /// Any other block (`<p>`, `<div>`, ...). `bold` when all its text is bold.
    Plain {
        /// Every character of it is inside `<strong>` or `<b>`.
        bold: bool,
    },
    /// A list item.
    Item {
        /// How many lists enclose it (1 for a top-level list).
        depth: usize,
        /// Its number, for an item of an ordered list.
        ordinal: Option<u32>,
    },
    /// An element with the class `label`.
    Label,
    /// An element with the class `value`.
    Value,
}

/// One block of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// What it is.
    pub kind: Kind,
    /// Its lines (split at `<br>`), whitespace collapsed, none empty.
    pub lines: Vec<String>,
    /// Whether it sits inside a link (a listing's entries do).
    pub in_link: bool,
    /// The links inside it with an `http(s)` or site-relative `href`, in order; `url` is
    /// the `href` as the page wrote it.
    pub links: Vec<Link>,
}

impl Piece {
    /// The lines joined by spaces (borrowed when there is one line, as there mostly is).
    pub fn text(&self) -> Cow<'_, str> {
        match self.lines.as_slice() {
            [line] => Cow::Borrowed(line),
            lines => Cow::Owned(lines.join(" ")),
        }
    }
}

const SKIPPED: &[LocalName] = &[
    local_name!("script"),
    local_name!("style"),
    local_name!("noscript"),
    local_name!("template"),
    local_name!("nav"),
    local_name!("footer"),
    local_name!("form"),
    local_name!("button"),
    local_name!("select"),
    local_name!("textarea"),
    local_name!("iframe"),
    local_name!("svg"),
    local_name!("head"),
    local_name!("object"),
    local_name!("canvas"),
];

const BLOCKS: &[LocalName] = &[
    local_name!("p"),
    local_name!("div"),
    local_name!("section"),
    local_name!("article"),
    local_name!("main"),
    local_name!("aside"),
    local_name!("header"),
    local_name!("blockquote"),
    local_name!("table"),
    local_name!("thead"),
    local_name!("tbody"),
    local_name!("tr"),
    local_name!("td"),
    local_name!("th"),
    local_name!("dl"),
    local_name!("dt"),
    local_name!("dd"),
    local_name!("pre"),
    local_name!("hr"),
    local_name!("figure"),
    local_name!("figcaption"),
    local_name!("address"),
    local_name!("ol"),
    local_name!("ul"),
    local_name!("li"),
    local_name!("h1"),
    local_name!("h2"),
    local_name!("h3"),
    local_name!("h4"),
    local_name!("h5"),
    local_name!("h6"),
    local_name!("body"),
    local_name!("caption"),
];

/// An open element that owns the text inside it.
#[derive(Debug, Clone, Copy)]
struct Owner {
    node: usize,
    kind: Kind,
    /// The piece already emitted for it (text after a nested list continues it).
    piece: Option<usize>,
}

/// An open list.
#[derive(Debug, Clone, Copy)]
struct List {
    ordered: bool,
    next: u32,
}

/// Turns the events of a document (or of one element of it) into pieces: [`Walker::open`]
/// and [`Walker::close`] each element, [`Walker::text`] between, then [`Walker::finish`].
#[derive(Debug, Default)]
pub struct Walker {
    pieces: Vec<Piece>,
    owners: Vec<Owner>,
    lists: Vec<List>,
    lines: Vec<String>,
    line: String,
    /// The block being read has bold text.
    saw_bold: bool,
    /// The block being read has text that is not bold.
    saw_plain: bool,
    bold_depth: usize,
    link_depth: usize,
    skip_depth: usize,
    /// The link being read, when it has an `href` worth keeping.
    anchor: Option<Link>,
    /// Links closed in the block being read.
    links: Vec<Link>,
}

fn is_skipped(e: &Element) -> bool {
    let cookie = |s: &str| {
        s.as_bytes()
            .windows(6)
            .any(|w| w.eq_ignore_ascii_case(b"cookie"))
    };
    SKIPPED.contains(&e.name.local)
        || e.attr("id").is_some_and(cookie)
        || e.classes()
            .any(|c| cookie(c) || c == "back-to-top" || c == "print")
}

impl Walker {
    /// The pieces read, once every element is closed.
    pub fn finish(mut self) -> Vec<Piece> {
        self.flush();
        self.pieces
    }

    /// Whether white space now would change nothing: the line being read is empty or
    /// ends with a space (closing elements before it would only empty the line).
    pub fn at_space(&self) -> bool {
        self.line.is_empty() || self.line.ends_with(' ')
    }

    /// Whether the walk is inside an element it skips (and so reads nothing of what
    /// opens there but that it opens).
    pub fn skipping(&self) -> bool {
        self.skip_depth > 0
    }

    /// An element starts.
    pub fn open(&mut self, e: &Element) {
        if self.skip_depth > 0 || is_skipped(e) {
            self.skip_depth += 1;
            return;
        }
        let name = e.name();
        match name {
            "br" => self.break_line(),
            "b" | "strong" => self.bold_depth += 1,
            "a" => {
                self.link_depth += 1;
                self.anchor = e.attr("href").and_then(kept_href).map(|url| Link {
                    text: String::new(),
                    url,
                });
            }
            _ => {}
        }
        if let Some(kind) = self.owner_kind(e) {
            self.flush();
            self.owners.push(Owner {
                node: e.key,
                kind,
                piece: None,
            });
        } else if BLOCKS.contains(&e.name.local) {
            self.flush();
        }
        if name == "ol" || name == "ul" {
            let start = e.attr("start").and_then(|s| s.trim().parse().ok());
            self.lists.push(List {
                ordered: name == "ol",
                next: start.unwrap_or(1),
            });
        }
    }

    /// An element ends (after everything inside it).
    pub fn close(&mut self, e: &Element) {
        if self.skip_depth > 0 {
            self.skip_depth -= 1;
            return;
        }
        let name = e.name();
        match name {
            "b" | "strong" => self.bold_depth = self.bold_depth.saturating_sub(1),
            "a" => {
                self.link_depth = self.link_depth.saturating_sub(1);
                if let Some(mut anchor) = self.anchor.take() {
                    anchor.text.truncate(anchor.text.trim_end().len());
                    if !anchor.text.is_empty() {
                        self.links.push(anchor);
                    }
                }
            }
            _ => {}
        }
        if self.owners.last().is_some_and(|o| o.node == e.key) {
            self.flush();
            self.owners.pop();
        } else if BLOCKS.contains(&e.name.local) {
            self.flush();
        }
        if name == "ol" || name == "ul" {
            self.lists.pop();
        }
    }

    /// The kind of piece an element owns, if it owns one. An `<li>` takes its number here.
    fn owner_kind(&mut self, e: &Element) -> Option<Kind> {
        let mut value = false;
        for class in e.classes() {
            match class {
                "label" => return Some(Kind::Label),
                "value" => value = true,
                _ => {}
            }
        }
        if value {
            return Some(Kind::Value);
        }
        match e.name() {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Some(Kind::Heading),
            "p" | "div" | "td" | "th" | "dt" | "dd" | "blockquote" | "pre" => {
                // Inside a list item, a paragraph is part of the item.
                if self
                    .owners
                    .last()
                    .is_some_and(|o| matches!(o.kind, Kind::Item { .. }))
                {
                    None
                } else {
                    Some(Kind::Plain { bold: false })
                }
            }
            "li" => {
                let depth = self.lists.len().max(1);
                let ordinal = match self.lists.last_mut() {
                    Some(list) if list.ordered => {
                        let n = e
                            .attr("value")
                            .and_then(|v| v.trim().parse().ok())
                            .unwrap_or(list.next);
                        list.next = n.saturating_add(1);
                        Some(n)
                    }
                    _ => None,
                };
                Some(Kind::Item { depth, ordinal })
            }
            _ => None,
        }
    }

    /// Text inside the open elements.
    pub fn text(&mut self, text: &str) {
        if self.skip_depth > 0 {
            return;
        }
        // HTML's white space is ASCII's (space, tab, line feed, form feed, return); each
        // run of it is one space, as a browser shows it.
        let middle = text.trim_ascii();
        if text.starts_with(|c: char| c.is_ascii_whitespace()) {
            self.space();
        }
        if middle.is_empty() {
            return;
        }
        if single_spaced(middle.as_bytes()) {
            self.words(middle);
        } else {
            self.collapse(middle);
        }
        if text.ends_with(|c: char| c.is_ascii_whitespace()) {
            self.space();
        }
    }

    /// Text with no white space at either end, read word by word.
    fn collapse(&mut self, text: &str) {
        for (i, word) in text.split_ascii_whitespace().enumerate() {
            if i > 0 {
                self.space();
            }
            self.words(word);
        }
    }

    /// Words with single spaces between them, none at either end.
    fn words(&mut self, words: &str) {
        if let Some(a) = self.anchor.as_mut() {
            a.text.push_str(words);
        }
        if self.bold_depth > 0 {
            self.saw_bold = true;
        } else {
            self.saw_plain = true;
        }
        self.line.push_str(words);
    }

    /// A run of white space: one space, unless the line is empty or ends in one.
    fn space(&mut self) {
        if !self.line.is_empty() && !self.line.ends_with(' ') {
            self.line.push(' ');
            if let Some(a) = self.anchor.as_mut().filter(|a| !a.text.is_empty()) {
                a.text.push(' ');
            }
        }
    }

    fn break_line(&mut self) {
        let line = self.line.trim_end_matches(' ');
        if !line.is_empty() {
            self.lines.push(line.to_string());
        }
        self.line.clear();
    }

    /// Ends the current block: its lines become a piece (or continue its owner's piece).
    fn flush(&mut self) {
        self.break_line();
        let bold = self.saw_bold && !self.saw_plain;
        self.saw_bold = false;
        self.saw_plain = false;
        if self.lines.is_empty() {
            return;
        }
        let lines = std::mem::take(&mut self.lines);
        let links = std::mem::take(&mut self.links);
        let in_link = self.link_depth > 0;
        let owner = self.owners.last_mut();
        if let Some(i) = owner.as_ref().and_then(|o| o.piece) {
            if let Some(piece) = self.pieces.get_mut(i) {
                piece.lines.extend(lines);
                piece.links.extend(links);
            }
            return;
        }
        let kind = match owner.as_ref().map(|o| o.kind) {
            Some(Kind::Plain { .. }) | None => Kind::Plain { bold },
            Some(kind) => kind,
        };
        if let Some(o) = owner {
            o.piece = Some(self.pieces.len());
        }
        self.pieces.push(Piece {
            kind,
            lines,
            in_link,
            links,
        });
    }
}

/// True when the only white space in `text` is single spaces (then it reads as it is).
fn single_spaced(text: &[u8]) -> bool {
    if text.len() <= 64 {
        // Short text (most text between tags) costs less read byte by byte.
        let mut after_space = false;
        for &c in text {
            match c {
                b'\n' | b'\t' | b'\r' | 0x0C => return false,
                b' ' if after_space => return false,
                b' ' => after_space = true,
                _ => after_space = false,
            }
        }
        return true;
    }
    static TWO_SPACES: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"  "));
    memchr::memchr3(b'\n', b'\t', b'\r', text).is_none()
        && memchr::memchr(0x0C, text).is_none()
        && TWO_SPACES.find(text).is_none()
}

/// An `href` worth keeping as a link: a web address or a path on the page's site, not a
/// fragment, a script, an e-mail address or a file the browser saved beside the page.
fn kept_href(href: &str) -> Option<String> {
    let href = href.trim();
    let lower = href.to_ascii_lowercase();
    let web = lower.starts_with("http://") || lower.starts_with("https://");
    let rooted = href.starts_with('/') && !href.starts_with("//");
    (web || rooted).then(|| href.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk(html: &str) -> Vec<Piece> {
        super::super::depth::parse(html, super::super::stream::Scope::Page)
            .expect("shallow")
            .pieces
    }

    #[test]
    fn can_read_lists_headings_and_line_breaks() {
        let p = walk(
            "<h2>The  complaint</h2><ol start=\"3\"><li>One<br>more &amp; <i>more</i><ul><li>a&nbsp;b</li></ul></li>\
             <li value=\"9\">Nine</li></ol><p><strong>Heading</strong></p><script>x()</script>",
        );
        let kinds: Vec<Kind> = p.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::Heading,
                Kind::Item {
                    depth: 1,
                    ordinal: Some(3)
                },
                Kind::Item {
                    depth: 2,
                    ordinal: None
                },
                Kind::Item {
                    depth: 1,
                    ordinal: Some(9)
                },
                Kind::Plain { bold: true },
            ]
        );
        assert_eq!(p[0].lines, ["The complaint"]);
        assert_eq!(p[1].lines, ["One", "more & more"]);
        assert_eq!(p[2].lines, ["a\u{a0}b"]);
    }

    #[test]
    fn keeps_the_links_of_a_block_with_their_words() {
        let p = walk(
            "<ol><li>As in <a href=\"/decisions/a/b/24-005-444\"> decision\n 24 <b>005</b> 444 </a>; \
             <a href=\"#top\">top</a>, <a href=\"javascript:x()\">this</a>, \
             <a href=\"https://example.org/act\">the Act</a>.</li></ol>",
        );
        assert_eq!(p.len(), 1);
        assert_eq!(
            p[0].text(),
            "As in decision 24 005 444 ; top, this, the Act."
        );
        let links: Vec<(&str, &str)> = p[0]
            .links
            .iter()
            .map(|l| (l.text.as_str(), l.url.as_str()))
            .collect();
        assert_eq!(
            links,
            [
                ("decision 24 005 444", "/decisions/a/b/24-005-444"),
                ("the Act", "https://example.org/act"),
            ]
        );
        assert!(p[0].text().contains(&links[0].0.to_string()));
    }

    #[test]
    fn skips_furniture_elements_and_survives_deep_nesting() {
        let p = walk("<nav>Home</nav><div id=\"cookieBanner\">We use cookies</div><p>Kept</p>");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].lines, ["Kept"]);
        // As deep as the reader goes (`depth::MAX_DEPTH`).
        let deep = format!("{}text{}", "<div>".repeat(500), "</div>".repeat(500));
        assert_eq!(walk(&deep).len(), 1);
        let lists = format!("{}deep{}", "<ul><li>".repeat(250), "</li></ul>".repeat(250));
        assert!(walk(&lists)
            .iter()
            .any(|p| matches!(p.kind, Kind::Item { depth, .. } if depth > 100)));
    }

    /// The text reading as it was first written, word by word: the reference for the
    /// faster one that copies runs of words.
    fn text_by_words(w: &mut Walker, text: &str) {
        let starts_blank = text.starts_with(|c: char| c.is_ascii_whitespace());
        for (i, word) in text.split_ascii_whitespace().enumerate() {
            if i > 0 || starts_blank {
                w.space();
            }
            w.words(word);
        }
        if text.ends_with(|c: char| c.is_ascii_whitespace()) {
            w.space();
        }
    }

    proptest::proptest! {
        #[test]
        fn reads_text_as_word_by_word_reading_does(
            chunks in proptest::collection::vec("[ a\\t\\n\u{a0}é.]{0,12}", 0..6),
            linked in proptest::bool::ANY,
        ) {
            let start = || Walker {
                anchor: linked.then(|| Link { text: String::new(), url: "/x".to_string() }),
                ..Walker::default()
            };
            let (mut fast, mut slow) = (start(), start());
            for chunk in &chunks {
                fast.text(chunk);
                text_by_words(&mut slow, chunk);
            }
            proptest::prop_assert_eq!(&fast.line, &slow.line);
            proptest::prop_assert_eq!(
                fast.anchor.map(|a| a.text),
                slow.anchor.map(|a| a.text)
            );
            proptest::prop_assert_eq!(fast.saw_plain, slow.saw_plain);
        }
    }
}
