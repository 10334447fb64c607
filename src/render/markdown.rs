//! Markdown to HTML: the one pulldown-cmark parser constructor ([`new_cmark_parser`]),
//! shared by every caller (pages, decisions, and later the search indexer), and the event
//! transforms that make a decision readable:
//!
//! - every paragraph of the decision's numbered list gets an anchor, `<li id="p27">`,
//!   counted from the list's own start number (a list after a heading starts at `4.`);
//! - the text's own references, "paragraph 27", "paragraphs 27 and 30", "paragraphs 4 to
//!   6", link to those anchors (statute references like "Schedule 5, paragraph 1/3" do not);
//! - the first use of each glossary term becomes a link to its explanation on the page,
//!   described for screen readers (`aria-describedby`) and titled for mouse users;
//! - raw HTML in the text is shown as text, never run, and links with script schemes are
//!   dropped: decisions and pages are content, not code.
//!
//! Pure: text in, HTML out.

use std::collections::HashSet;
use std::sync::LazyLock;

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, TextMergeStream,
};
use regex::Regex;

use super::highlight;
use crate::site::Glossary;

/// The one way casebook parses Markdown, so that every consumer agrees.
pub fn new_cmark_parser(text: &str) -> Parser<'_> {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    Parser::new_ext(text, options)
}

/// A rendered decision body and the glossary terms it uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedBody {
    /// The HTML.
    pub html: String,
    /// Indices into the glossary's entries, in order of first use.
    pub terms: Vec<usize>,
}

/// Renders a decision's body: paragraph anchors, linked references, glossary terms, its
/// headings moved one level down (the page's own `<h2>` sits above them).
pub fn render_decision_body(body: &str, glossary: &Glossary) -> RenderedBody {
    render_decision_body_linking(body, glossary, &|_| None)
}

/// [`render_decision_body`], with each link's address passed through `local`: where it
/// gives a path (a link to a decision the digest has: `/decisions/24-005-444/`), the link
/// goes there instead.
pub fn render_decision_body_linking(
    body: &str,
    glossary: &Glossary,
    local: &LocalLinks<'_>,
) -> RenderedBody {
    render_decision_body_at(body, glossary, local, &|_| None)
}

/// [`render_decision_body_linking`], with each link's and image's final address (a root
/// path) passed through `relative` too: where it gives one (`../../decisions/x/index.html`),
/// the body is written with it, so the page's finishing pass need not read the body.
pub fn render_decision_body_at(
    body: &str,
    glossary: &Glossary,
    local: &LocalLinks<'_>,
    relative: &LocalLinks<'_>,
) -> RenderedBody {
    let mut t = Transform::new(glossary, Mode::Decision, max_paragraph(body));
    t.local = Some(local);
    t.relative = Some(relative);
    let mut html = String::with_capacity(body.len() * 3 / 2);
    let events = TextMergeStream::new(new_cmark_parser(body)).filter_map(|e| t.event(e));
    pulldown_cmark::html::push_html(&mut html, events);
    RenderedBody {
        html,
        terms: t.used_terms,
    }
}

/// Renders a standalone page: fenced code highlighted, raw HTML shown as text.
pub fn render_page(body: &str) -> String {
    let glossary = Glossary::default();
    let mut t = Transform::new(&glossary, Mode::Page, 0);
    let mut html = String::with_capacity(body.len() * 2);
    let events = TextMergeStream::new(new_cmark_parser(body)).filter_map(|e| t.event(e));
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// The plain text of Markdown (for feeds and search): no markup, paragraphs on lines.
pub fn plain_text(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    for event in new_cmark_parser(body) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t);
            }
            // Inline ends (a link, emphasis) are inside a sentence: no space after them.
            Event::End(
                TagEnd::Link | TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough,
            ) => {}
            Event::SoftBreak | Event::HardBreak | Event::End(_)
                if !out.ends_with(['\n', ' ']) && !out.is_empty() =>
            {
                out.push(' ');
            }
            _ => {}
        }
    }
    out.trim().to_string()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Decision,
    Page,
}

/// Gives the path in the digest for a link's address, when the digest has that page.
type LocalLinks<'a> = dyn Fn(&str) -> Option<String> + 'a;

/// The state of one render: where we are in lists, links, headings and code.
struct Transform<'g> {
    glossary: &'g Glossary,
    /// Where a link's address goes instead, when it is a page of this digest.
    local: Option<&'g LocalLinks<'g>>,
    /// A root path as the page it is written into reaches it (see [`render_decision_body_at`]).
    relative: Option<&'g LocalLinks<'g>>,
    mode: Mode,
    max_paragraph: u64,
    /// One entry per open list: `Some(next number)` for the decision's top-level
    /// numbered list, `None` for every other list.
    lists: Vec<Option<u64>>,
    /// One entry per open item: whether its tags were replaced by an anchored `<li>`.
    items: Vec<bool>,
    /// Depth of links, headings and code, inside which text is left as it is.
    plain_depth: usize,
    /// One entry per open image: whether it was kept (a dropped one with a script URL
    /// leaves its description as text).
    images: Vec<bool>,
    /// The text of a fenced code block being collected, and its language.
    code: Option<(String, String)>,
    used: HashSet<usize>,
    used_terms: Vec<usize>,
}

impl<'g> Transform<'g> {
    fn new(glossary: &'g Glossary, mode: Mode, max_paragraph: u64) -> Self {
        Self {
            glossary,
            local: None,
            mode,
            max_paragraph,
            lists: Vec::new(),
            items: Vec::new(),
            plain_depth: 0,
            images: Vec::new(),
            code: None,
            used: HashSet::new(),
            used_terms: Vec::new(),
            relative: None,
        }
    }

    fn event<'a>(&mut self, event: Event<'a>) -> Option<Event<'a>> {
        if let Some((code, lang)) = &mut self.code {
            return match event {
                Event::End(TagEnd::CodeBlock) => {
                    let html = highlight::highlight(code, lang);
                    self.code = None;
                    Some(Event::Html(html.into()))
                }
                Event::Text(t) => {
                    code.push_str(&t);
                    None
                }
                _ => None,
            };
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) if self.plain_depth == 0 && self.mode == Mode::Decision => {
                Some(self.annotate(&text))
            }
            // Raw HTML is content, not markup: show it as text.
            Event::Html(html) | Event::InlineHtml(html) => Some(Event::Text(html)),
            other => Some(other),
        }
    }

    fn start<'a>(&mut self, tag: Tag<'a>) -> Option<Event<'a>> {
        match tag {
            Tag::List(start) => {
                let numbered = self.mode == Mode::Decision && self.lists.is_empty();
                self.lists.push(start.filter(|_| numbered));
                Some(Event::Start(Tag::List(start)))
            }
            Tag::Item => Some(self.item()),
            Tag::CodeBlock(CodeBlockKind::Fenced(lang)) if self.mode == Mode::Page => {
                self.code = Some((String::new(), lang.to_string()));
                None
            }
            Tag::Heading {
                level,
                id,
                classes,
                attrs,
            } => {
                self.plain_depth += 1;
                // A decision's headings sit under its page's own.
                let level = match self.mode {
                    Mode::Decision => deeper(level),
                    Mode::Page => level,
                };
                Some(Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }))
            }
            link @ Tag::Link { .. } => {
                self.plain_depth += 1;
                Some(self.link(link))
            }
            image @ Tag::Image { .. } => self.image(image),
            Tag::CodeBlock(kind) => {
                self.plain_depth += 1;
                Some(Event::Start(Tag::CodeBlock(kind)))
            }
            // An HTML block becomes a paragraph of text.
            Tag::HtmlBlock => Some(Event::Html("<p>".into())),
            other => Some(Event::Start(other)),
        }
    }

    /// A list item; in a decision's numbered list, one whose number links to itself.
    fn item<'a>(&mut self) -> Event<'a> {
        let anchored = self.lists.len() == 1 && self.lists[0].is_some();
        self.items.push(anchored);
        match self.lists.last_mut() {
            Some(Some(n)) if anchored => {
                // The number is a link to the paragraph itself, to share or cite. (Put
                // together piece by piece, the number written once: every paragraph of
                // every decision comes through here.)
                let number = n.to_string();
                let mut html = String::with_capacity(120);
                for piece in [
                    "<li id=\"p",
                    &number,
                    "\"><a class=\"para-num\" href=\"#p",
                    &number,
                    "\"><span class=\"visually-hidden\">Paragraph </span>",
                    &number,
                    ".</a> ",
                ] {
                    html.push_str(piece);
                }
                *n += 1;
                Event::Html(html.into())
            }
            _ => Event::Start(Tag::Item),
        }
    }

    /// A link, to where it goes: a decision's own page for a link to it on the website,
    /// `#` for an unsafe address, relative to the page.
    fn link<'a>(&self, mut tag: Tag<'a>) -> Event<'a> {
        if let Tag::Link { dest_url, .. } = &mut tag {
            let url = std::mem::replace(dest_url, CowStr::Borrowed(""));
            let url = match self.local.and_then(|local| local(&url)) {
                Some(path) => CowStr::from(path),
                None if safe_url(&url) => url,
                None => CowStr::from("#"),
            };
            *dest_url = self.relative_to_page(url);
        }
        Event::Start(tag)
    }

    /// An image with a safe address, relative to the page; nothing for another (its end
    /// is dropped too).
    fn image<'a>(&mut self, mut tag: Tag<'a>) -> Option<Event<'a>> {
        if let Tag::Image { dest_url, .. } = &mut tag {
            let keep = safe_url(dest_url);
            self.images.push(keep);
            if !keep {
                return None;
            }
            let url = std::mem::replace(dest_url, CowStr::Borrowed(""));
            *dest_url = self.relative_to_page(url);
        }
        Some(Event::Start(tag))
    }

    fn end<'a>(&mut self, tag: TagEnd) -> Option<Event<'a>> {
        match tag {
            TagEnd::List(ordered) => {
                self.lists.pop();
                Some(Event::End(TagEnd::List(ordered)))
            }
            TagEnd::Item => {
                if self.items.pop().unwrap_or(false) {
                    Some(Event::Html("</li>\n".into()))
                } else {
                    Some(Event::End(TagEnd::Item))
                }
            }
            TagEnd::Heading(level) => {
                self.plain_depth = self.plain_depth.saturating_sub(1);
                let level = match self.mode {
                    Mode::Decision => deeper(level),
                    Mode::Page => level,
                };
                Some(Event::End(TagEnd::Heading(level)))
            }
            TagEnd::Link | TagEnd::CodeBlock => {
                self.plain_depth = self.plain_depth.saturating_sub(1);
                Some(Event::End(tag))
            }
            TagEnd::Image => {
                if self.images.pop().unwrap_or(true) {
                    Some(Event::End(tag))
                } else {
                    None
                }
            }
            TagEnd::HtmlBlock => Some(Event::Html("</p>\n".into())),
            other => Some(Event::End(other)),
        }
    }

    fn relative_to_page<'a>(&self, url: CowStr<'a>) -> CowStr<'a> {
        match self.relative.and_then(|relative| relative(&url)) {
            Some(path) => CowStr::from(path),
            None => url,
        }
    }

    /// Text with its paragraph references linked and its first glossary terms marked,
    /// as one HTML event; every piece of the text itself is escaped.
    fn annotate<'a>(&mut self, text: &str) -> Event<'a> {
        let mut marks: Vec<(usize, usize, String)> = paragraph_links(text, self.max_paragraph);
        for (range, entry) in self.glossary.find(text) {
            let overlaps = marks
                .iter()
                .any(|(s, e, _)| range.start < *e && *s < range.end);
            if overlaps || !self.used.insert(entry) {
                continue;
            }
            self.used_terms.push(entry);
            let e = &self.glossary.entries[entry];
            let anchor = e.anchor();
            let html = format!(
                "<a class=\"term\" href=\"#{anchor}\" aria-describedby=\"{anchor}-meaning\" title=\"{}\">{}</a>",
                escape(&format!("{}: {}", e.term, e.meaning)),
                escape(&text[range.clone()])
            );
            marks.push((range.start, range.end, html));
        }
        marks.sort_by_key(|m| m.0);
        let mut out = String::with_capacity(text.len() + marks.len() * 80);
        let mut at = 0;
        for (start, end, html) in marks {
            escape_into(&mut out, &text[at..start]);
            out.push_str(&html);
            at = end;
        }
        escape_into(&mut out, &text[at..]);
        Event::Html(out.into())
    }
}

static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    // ASCII classes and word boundaries keep this on the regex crate's fast DFA path.
    Regex::new(
        r"(?-u:\b)[Pp]aragraphs?[ \t\n]+[0-9]+(?:(?:[ \t\n]*,[ \t\n]*(?:and[ \t\n]+)?|[ \t\n]+and[ \t\n]+|[ \t\n]+(?:to|or)[ \t\n]+|[ \t\n]*[-–][ \t\n]*)[0-9]+)*",
    )
    .unwrap_or_else(|e| unreachable!("the reference pattern is valid: {e}"))
});

static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[0-9]+").unwrap_or_else(|e| unreachable!("the number pattern is valid: {e}"))
});

/// Links for every "paragraph N" reference in `text`: `(start, end, html)` per number.
/// Numbers past the decision's last paragraph, and references into legislation
/// ("Schedule 5/5A, paragraph 1/3", "paragraph 3 of Schedule 2"), are left alone.
fn paragraph_links(text: &str, max: u64) -> Vec<(usize, usize, String)> {
    let mut links = Vec::new();
    // Most pieces of text name no paragraph: a plain search passes them over for less
    // than setting up the pattern's.
    if !text.contains("aragraph") {
        return links;
    }
    for m in REFERENCE.find_iter(text) {
        let before = &text[text.floor_char_boundary(m.start().saturating_sub(40))..m.start()];
        let after = text[m.end()..].trim_start();
        let legislation = ["Schedule", "Act ", "Regulation", "Part "]
            .iter()
            .any(|w| before.contains(w))
            || after.starts_with('/')
            || after.starts_with("of ")
            || after.starts_with('(');
        if legislation {
            continue;
        }
        for n in NUMBER.find_iter(m.as_str()) {
            let Ok(number) = n.as_str().parse::<u64>() else {
                continue;
            };
            if number == 0 || number > max {
                continue;
            }
            let (start, end) = (m.start() + n.start(), m.start() + n.end());
            links.push((start, end, format!("<a href=\"#p{number}\">{number}</a>")));
        }
    }
    links
}

/// The highest paragraph number in a decision body (`27. ` at the start of a line). Read
/// line by line: a pattern with captures took 1.5% of a build for what the first bytes of
/// each line say.
fn max_paragraph(body: &str) -> u64 {
    body.split('\n')
        .filter_map(|line| {
            let digits = line.bytes().take_while(u8::is_ascii_digit).count();
            let marked = digits > 0 && line.as_bytes().get(digits..digits + 2) == Some(b". ");
            marked.then(|| line[..digits].parse::<u64>().ok()).flatten()
        })
        .max()
        .unwrap_or(0)
}

fn deeper(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        HeadingLevel::H5 | HeadingLevel::H6 => HeadingLevel::H6,
    }
}

/// Whether a link target is safe to follow: no `javascript:`, `data:` or `vbscript:`.
fn safe_url(url: &str) -> bool {
    let lower: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(12)
        .collect::<String>()
        .to_ascii_lowercase();
    !["javascript:", "data:", "vbscript:"]
        .iter()
        .any(|s| lower.starts_with(s))
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    escape_into(&mut out, text);
    out
}

/// [`escape`] onto the end of `out`, with no string of its own.
fn escape_into(out: &mut String, text: &str) {
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(out, text);
}

#[cfg(test)]
mod tests;
