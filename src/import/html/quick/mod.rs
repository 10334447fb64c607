//! The quick reading of a page: the [`Document`] html5ever's tree builder gives, for the
//! pages that need none of its repairs, at a fraction of its cost (it took about half of
//! an HTML import's time).
//!
//! Tags are found with `memchr` and read by the tokenizer's rules (`crate::markup`). The
//! reading keeps the tree builder's stack of open elements and makes the appends the tree
//! builder would make to the same [`State`], in the same order: the implied `<html>`,
//! `<head>` and `<body>`, text and comments where the standard puts them, `<pre>`'s first
//! line feed dropped. It reads only what it can read exactly, and gives `None` for the
//! rest, which goes to html5ever:
//!
//! - an end tag that does not close the element open last (the tree builder's repairs
//!   start there), and a page that ends before its body or inside a tag or raw text;
//! - a start tag the standard treats by rules of its own: tables, forms in forms, nested
//!   links or buttons, a list item or heading that would close another, any block (or
//!   `<hr>`) while a `<p>` is open, `<svg>` and `<math>`, `<noscript>`, `<template>`,
//!   `<textarea>` and the other raw text elements but `<script>`, `<style>` and `<title>`,
//!   and any name it does not know;
//! - text before the body that is not white space, a NUL byte, a character reference not
//!   written in full (`crate::markup::entities`), a comment that ends an odd way or a
//!   script that holds one, and a page nested more than [`MAX_OPEN`] deep.
//!
//! A property test and a fuzz target hold the two readings side by side: wherever the
//! quick one reads a page, it must give html5ever's document.

mod names;

use std::borrow::Cow;

use html5ever::tendril::StrTendril;
use html5ever::{local_name, ns, Attribute, LocalName, QualName};

use memchr::memchr;
use names::{atom, is_heading, is_special, rule, Rule};

use super::stream::{is_the_article, Child, Document, Scope, State};
use super::walk::Element;
use crate::markup::entities;
use crate::markup::tags::{self, Tag};

/// The deepest the quick reading goes: deeper pages go to html5ever and its depth guard.
pub const MAX_OPEN: usize = 256;

/// The document html5ever would read from `text` walking `scope`, or `None` when the page
/// holds markup this reading leaves to html5ever (see the module).
pub fn read(text: &str, scope: Scope) -> Option<Document> {
    let b = text.as_bytes();
    if memchr(0, b).is_some() {
        return None;
    }
    // The tokenizer reads a carriage return, alone or before a line feed, as a line feed.
    let text = crate::content::split::unix_line_ends(text);
    let mut reader = Reader {
        html: &text,
        state: State::new(scope),
        stack: Vec::new(),
        mode: Mode::Initial,
        next_key: 1,
        ignore_lf: false,
        spare: Vec::new(),
        unseen: None,
    };
    reader.run()?;
    matches!(
        reader.mode,
        Mode::InBody | Mode::AfterBody | Mode::AfterAfterBody
    )
    .then(|| reader.state.finish())
}

/// The tree builder's insertion modes the quick reading goes through (`Initial` stands
/// for "initial" and "before html", which read the same tokens alike).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Initial,
    BeforeHead,
    InHead,
    AfterHead,
    InBody,
    AfterBody,
    AfterAfterBody,
}

/// An element on the stack of open elements.
struct Open {
    key: usize,
    name: LocalName,
}

struct Reader<'a> {
    html: &'a str,
    state: State,
    /// The tree builder's stack of open elements.
    stack: Vec<Open>,
    mode: Mode,
    next_key: usize,
    /// A line feed right after `<pre>` is dropped.
    ignore_lf: bool,
    /// The attributes of the last start tag read, kept for the next one's.
    spare: Vec<tags::Attribute>,
    /// Inside an element of the body that the walk does not observe (one it skips, any
    /// after the article, and with [`Scope::Article`] any before it): how deep that
    /// element sits on the stack. What opens inside goes on the stack alone, numbered 0,
    /// and reaches neither the walk, whose document it cannot change, nor the state: the
    /// walk sees the element close when what follows it is appended. The article opening
    /// inside ends this, its unseen ancestors staying on the stack (see [`Reader::current`]).
    unseen: Option<usize>,
}

/// HTML's white space, once carriage returns are line feeds.
fn is_white(text: &str) -> bool {
    text.bytes()
        .all(|c| matches!(c, b'\t' | b'\n' | b'\x0C' | b' '))
}

/// A tag or attribute name as the tokenizer gives it: ASCII letters in lower case.
fn lower(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|c| c.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

impl Reader<'_> {
    fn run(&mut self) -> Option<()> {
        let html = self.html;
        let b = html.as_bytes();
        let mut i = 0;
        while i < b.len() {
            // Tags often follow one another: no search for the next one then.
            let lt = if b[i] == b'<' {
                i
            } else {
                memchr(b'<', &b[i..]).map_or(b.len(), |p| i + p)
            };
            if lt > i {
                self.text(&html[i..lt])?;
            }
            if lt == b.len() {
                break;
            }
            i = match b.get(lt + 1) {
                Some(c) if c.is_ascii_alphabetic() => self.start_tag(lt)?,
                Some(b'/') => self.end_tag(lt)?,
                Some(b'!') => self.declaration(lt)?,
                // A processing instruction is a bogus comment, to the next `>`.
                Some(b'?') => {
                    self.comment();
                    tags::after(b, lt, b">")?
                }
                _ => {
                    self.text("<")?;
                    lt + 1
                }
            };
        }
        Some(())
    }

    /// The key of the node the state appends to: the element open last that the state
    /// was given (elements opened unseen, numbered 0, were not), else the document. Unseen
    /// elements stay open under the article when it opens inside them; what follows the
    /// article goes to its nearest ancestor the state knows, which closes the article.
    fn current(&self) -> usize {
        self.stack
            .iter()
            .rev()
            .find(|o| o.key != 0)
            .map_or(0, |o| o.key)
    }

    fn top_is(&self, name: &str) -> bool {
        self.stack.last().is_some_and(|o| &*o.name == name)
    }

    /// Whether an element called `name` is open. With every end tag closing the element
    /// open last, an open `<form>` is the tree builder's form element pointer, and an open
    /// `<a>` its link among the active formatting elements.
    fn is_open(&self, name: &str) -> bool {
        self.stack.iter().any(|o| &*o.name == name)
    }

    /// Text between tags, character references decoded.
    fn text(&mut self, raw: &str) -> Option<()> {
        if self.unseen.is_some() {
            self.ignore_lf = false;
            return Some(());
        }
        if self.mode == Mode::InBody && !self.ignore_lf {
            let parent = self.current();
            if entities::find_ampersand(raw).is_none() {
                // White space the walk would not see is not appended: the elements it
                // would close close at the next append, with the same effect.
                if !(self.state.ignores_white_space() && is_white(raw)) {
                    self.state.append(Some(parent), Child::Text(raw));
                }
                return Some(());
            }
            // Text with references goes to the walk in pieces, decoded on the way: the
            // walk reads split text as it reads it whole.
            let state = &mut self.state;
            return entities::decode_in_pieces(raw, |piece| {
                state.append(Some(parent), Child::Text(piece));
            });
        }
        let decoded = entities::decode(raw)?;
        let mut text: &str = &decoded;
        if std::mem::take(&mut self.ignore_lf) {
            text = text.strip_prefix('\n').unwrap_or(text);
        }
        if text.is_empty() {
            return Some(());
        }
        match self.mode {
            Mode::Initial | Mode::BeforeHead => is_white(text).then_some(()),
            Mode::InHead | Mode::AfterHead | Mode::AfterBody | Mode::AfterAfterBody => {
                if !is_white(text) {
                    return None;
                }
                self.state.append(Some(self.current()), Child::Text(text));
                Some(())
            }
            Mode::InBody => {
                self.state.append(Some(self.current()), Child::Text(text));
                Some(())
            }
        }
    }

    /// A comment (or bogus comment), appended where the standard puts it.
    fn comment(&mut self) {
        self.ignore_lf = false;
        if self.unseen.is_some() {
            return;
        }
        let parent = match self.mode {
            Mode::Initial | Mode::AfterAfterBody => 0,
            Mode::AfterBody => self.stack.first().map_or(0, |o| o.key),
            _ => self.current(),
        };
        self.state.append(Some(parent), Child::Other);
    }

    /// `<!`: a comment or a doctype (which the walk does not see).
    fn declaration(&mut self, lt: usize) -> Option<usize> {
        self.ignore_lf = false;
        let b = self.html.as_bytes();
        let end = tags::skip_markup_declaration(b, lt)?;
        if b[lt + 2..].starts_with(b"--") {
            self.comment();
        }
        Some(end)
    }

    fn element(&mut self, name: LocalName, attrs: Vec<Attribute>) -> Element {
        let key = self.next_key;
        self.next_key += 1;
        Element {
            key,
            name: QualName::new(None, ns!(html), name),
            attrs,
        }
    }

    /// The tag's attributes as the tokenizer gives them: names in lower case, the first
    /// of a repeated name kept, values decoded.
    fn attributes(&self, tag: &Tag) -> Option<Vec<Attribute>> {
        let mut attrs: Vec<Attribute> = Vec::with_capacity(tag.attributes.len());
        for a in &tag.attributes {
            let name = lower(&self.html[a.name.clone()]);
            if attrs.iter().any(|x| *x.name.local == *name) {
                continue;
            }
            let value = match a.value.clone() {
                Some(v) => entities::decode(&self.html[v])?,
                None => Cow::Borrowed(""),
            };
            attrs.push(Attribute {
                name: QualName::new(None, ns!(), atom(&name)),
                value: StrTendril::from(&*value),
            });
        }
        Some(attrs)
    }

    /// Inserts an element at the current node and pushes it on the stack.
    fn open(&mut self, name: LocalName, tag: Option<&Tag>) -> Option<usize> {
        if self.stack.len() >= MAX_OPEN {
            return None;
        }
        if self.unseen.is_some() {
            return self.open_unseen(name, tag);
        }
        self.state.enter(self.current());
        let attrs = match tag {
            Some(tag) if self.state.reads_attributes(&name) => self.attributes(tag)?,
            _ => Vec::new(),
        };
        let element = self.element(name, attrs);
        Some(self.insert(element))
    }

    /// An element opening where the walk observes nothing: it goes on the stack alone,
    /// but what the importer reads wherever it is does not. The head's elements go to
    /// html5ever; the article is read, the walk seeing it from where it opens.
    fn open_unseen(&mut self, name: LocalName, tag: Option<&Tag>) -> Option<usize> {
        match &*name {
            "meta" | "link" | "title" => return None,
            "article" if self.state.awaits_article() => {
                let attrs = match tag {
                    Some(tag) => self.attributes(tag)?,
                    None => Vec::new(),
                };
                let element = self.element(name.clone(), attrs);
                if is_the_article(&element) {
                    self.unseen = None;
                    self.state.enter(self.current());
                    return Some(self.insert(element));
                }
            }
            _ => {}
        }
        self.stack.push(Open { key: 0, name });
        Some(0)
    }

    /// Appends `element` where the walk is (its parent entered) and pushes it on the
    /// stack; returns its key.
    fn insert(&mut self, element: Element) -> usize {
        let (key, name) = (element.key, element.name.local.clone());
        self.state.append(None, Child::Element(element));
        self.stack.push(Open { key, name });
        if self.mode == Mode::InBody && !self.state.observes() {
            self.unseen = Some(self.stack.len());
        }
        key
    }

    /// Inserts an element that has no end tag.
    fn void(&mut self, name: LocalName, tag: &Tag) -> Option<usize> {
        self.open(name, Some(tag))?;
        self.pop();
        Some(tag.end)
    }

    fn pop(&mut self) {
        self.stack.pop();
        if self.unseen.is_some_and(|depth| self.stack.len() < depth) {
            self.unseen = None;
        }
    }

    /// A `<script>`, `<style>` or `<title>` and its text, to its end tag.
    fn raw(&mut self, name: LocalName, tag: &Tag) -> Option<usize> {
        let b = self.html.as_bytes();
        let close = if name == local_name!("script") {
            tags::skip_script(b, tag.end, &name)?
        } else {
            tags::raw_text_end(b, tag.end, &name)?
        };
        let title = name == local_name!("title");
        let key = self.open(name, Some(tag))?;
        let content = &self.html[tag.end..close];
        // A title's text is read even where the walk skips it.
        if !content.is_empty() && (self.unseen.is_none() || title) {
            let text = if title {
                entities::decode(content)?
            } else {
                Cow::Borrowed(content)
            };
            self.state.append(Some(key), Child::Text(&text));
        }
        let end = Tag::read(b, close + 2)?;
        self.pop();
        Some(end.end)
    }

    fn start_tag(&mut self, lt: usize) -> Option<usize> {
        self.ignore_lf = false;
        let spare = std::mem::take(&mut self.spare);
        let tag = Tag::read_into(self.html.as_bytes(), lt + 1, spare)?;
        let name = atom(&lower(&self.html[tag.name.clone()]));
        let end = self.start(name, &tag);
        self.spare = tag.attributes;
        end
    }

    /// The start tag `tag`, called `name`, by the rules of the insertion mode.
    fn start(&mut self, name: LocalName, tag: &Tag) -> Option<usize> {
        loop {
            match self.mode {
                Mode::Initial => {
                    if name == local_name!("html") {
                        self.open(name, Some(tag))?;
                        self.mode = Mode::BeforeHead;
                        return Some(tag.end);
                    }
                    self.open(local_name!("html"), None)?;
                    self.mode = Mode::BeforeHead;
                }
                Mode::BeforeHead => match &*name {
                    "head" => {
                        self.open(name, Some(tag))?;
                        self.mode = Mode::InHead;
                        return Some(tag.end);
                    }
                    "html" => return None,
                    _ => {
                        self.open(local_name!("head"), None)?;
                        self.mode = Mode::InHead;
                    }
                },
                Mode::InHead => match &*name {
                    "meta" | "link" | "base" => return self.void(name, tag),
                    "title" | "style" | "script" => return self.raw(name, tag),
                    "head" | "html" | "noscript" | "noframes" | "template" | "basefont"
                    | "bgsound" => return None,
                    _ => {
                        self.close_head()?;
                    }
                },
                Mode::AfterHead => match &*name {
                    "body" => {
                        self.open(name, Some(tag))?;
                        self.mode = Mode::InBody;
                        return Some(tag.end);
                    }
                    "html" | "head" | "base" | "basefont" | "bgsound" | "link" | "meta"
                    | "noframes" | "script" | "style" | "template" | "title" | "frameset" => {
                        return None
                    }
                    _ => {
                        self.open(local_name!("body"), None)?;
                        self.mode = Mode::InBody;
                    }
                },
                Mode::InBody => return self.in_body(name, tag),
                Mode::AfterBody | Mode::AfterAfterBody => return None,
            }
        }
    }

    fn close_head(&mut self) -> Option<()> {
        if !self.top_is("head") {
            return None;
        }
        self.pop();
        self.mode = Mode::AfterHead;
        Some(())
    }

    /// A start tag in the body, by the tree builder's rules for the ones read here.
    fn in_body(&mut self, name: LocalName, tag: &Tag) -> Option<usize> {
        match rule(&name) {
            Rule::Void => return self.void(name, tag),
            Rule::ThematicBreak => {
                self.no_open_p()?;
                return self.void(name, tag);
            }
            Rule::Raw => return self.raw(name, tag),
            Rule::Block => self.no_open_p()?,
            Rule::Heading => {
                self.no_open_p()?;
                if self.stack.last().is_some_and(|o| is_heading(&o.name)) {
                    return None;
                }
            }
            Rule::Pre => {
                self.no_open_p()?;
                self.open(name, Some(tag))?;
                self.ignore_lf = true;
                return Some(tag.end);
            }
            Rule::Form if self.is_open("form") => return None,
            Rule::Form => self.no_open_p()?,
            Rule::ListItem => {
                self.no_open_item(&["li"])?;
                self.no_open_p()?;
            }
            Rule::Definition => {
                self.no_open_item(&["dd", "dt"])?;
                self.no_open_p()?;
            }
            Rule::Button if self.is_open("button") => return None,
            Rule::Link if self.is_open("a") => return None,
            Rule::Button | Rule::Link | Rule::Inline => {}
            Rule::Other => return None,
        }
        self.open(name, Some(tag))?;
        Some(tag.end)
    }

    /// `Some` when no `<p>` is open (a block would close it).
    fn no_open_p(&self) -> Option<()> {
        (!self.is_open("p")).then_some(())
    }

    /// `Some` when a new list item (`<li>`, or `<dd>`/`<dt>`) would close none: the
    /// tree builder looks down the stack for one, through elements that are not special
    /// and through `<address>`, `<div>` and `<p>`.
    fn no_open_item(&self, items: &[&str]) -> Option<()> {
        for open in self.stack.iter().rev() {
            let n: &str = &open.name;
            if items.contains(&n) {
                return None;
            }
            if is_special(n) && !matches!(n, "address" | "div" | "p") {
                break;
            }
        }
        Some(())
    }

    fn end_tag(&mut self, lt: usize) -> Option<usize> {
        self.ignore_lf = false;
        let b = self.html.as_bytes();
        match b.get(lt + 2) {
            Some(c) if c.is_ascii_alphabetic() => {}
            // `</>` is nothing.
            Some(b'>') => return Some(lt + 3),
            Some(_) => {
                self.comment();
                return tags::after(b, lt, b">");
            }
            None => return None,
        }
        // `</name>` closing the element open last, as most end tags do: read at once.
        if let Some(open) = self.stack.last().filter(|_| self.mode == Mode::InBody) {
            let name = open.name.as_bytes();
            let end = lt + 2 + name.len();
            let simple = b.get(lt + 2..end) == Some(name) && b.get(end) == Some(&b'>');
            if simple && !matches!(&*open.name, "body" | "html") {
                self.pop();
                return Some(end + 1);
            }
        }
        let tag = Tag::read(b, lt + 2)?;
        let name = lower(&self.html[tag.name.clone()]);
        match (self.mode, &*name) {
            (Mode::InHead, "head") => self.close_head()?,
            (Mode::InBody, "body") if self.top_is("body") => self.mode = Mode::AfterBody,
            (Mode::InBody, "html") if self.top_is("body") => self.mode = Mode::AfterAfterBody,
            (Mode::AfterBody, "html") => self.mode = Mode::AfterAfterBody,
            (Mode::InBody, "body" | "html" | "br") => return None,
            (Mode::InBody, n) if self.top_is(n) => self.pop(),
            _ => return None,
        }
        Some(tag.end)
    }
}

/// Both readings of `text` walking `scope`: the quick one (`None` when it gives way) and
/// html5ever's. For the fuzz target that holds them side by side.
#[doc(hidden)]
pub fn both_readings(text: &str, scope: Scope) -> (Option<Document>, Result<Document, usize>) {
    (read(text, scope), super::depth::parse(text, scope))
}

#[cfg(test)]
mod tests;
