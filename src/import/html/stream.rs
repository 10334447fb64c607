//! html5ever's tree builder -> the walk's events, with no tree in between.
//!
//! The tree builder does the HTML standard's work (the end tags a page leaves out, `<p>`
//! closed by a list, misnested bold, tables) and tells a sink what to append where. This
//! sink builds nothing: an element appended to an open element opens in the walk, the
//! elements above it close first, and text goes to the walk as it comes. For a page built
//! in order, as pages are, that is the tree's own order, and the walk reads the same pieces
//! it would read from the tree. The rare moves of the standard (text put before a table it
//! was inside, formatting carried across a paragraph) keep the page's words in their order
//! and only change which block a word is counted in.
//!
//! On the way it keeps what the importer asks of the page beside the pieces: the title,
//! the canonical link, the declared charsets, and whether there is an
//! `<article id="article">` (the walk then reads only inside it).

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use html5ever::interface::{ExpandedName, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::StrTendril;
use html5ever::tree_builder::ElementFlags;
use html5ever::{Attribute, QualName};

use super::charset;
use super::walk::{Element, Piece, Walker};

/// What a reading walks: the whole page, or only its `<article id="article">`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The whole page: its pieces are the article's when it has one, else the page's.
    Page,
    /// Only the article: a page that has one reads as it does with [`Scope::Page`], at
    /// less cost, as nothing before the article is walked; a page without one reads
    /// with no pieces and `in_article` false.
    Article,
}

/// What one reading of a page gives.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Document {
    /// The pieces of the first `<article id="article">` when the page has one, else of
    /// the whole page.
    pub pieces: Vec<Piece>,
    /// Whether `pieces` are the article's.
    pub in_article: bool,
    /// The first `<title>`'s text, white space collapsed, when it has any.
    pub title: Option<String>,
    /// The `href` of the first `<link rel="canonical">` that has one.
    pub canonical: Option<String>,
    /// The charset each `<meta>` that declares one names, in order.
    pub charsets: Vec<String>,
}

/// A node the tree builder holds: an element, or something else (the document, a
/// comment) that the walk does not see.
#[derive(Debug)]
pub struct Node {
    element: Element,
    is_element: bool,
}

type Handle = Rc<Node>;

/// What stands for the document among the open elements, numbered 0.
fn document() -> Element {
    Element {
        key: 0,
        name: QualName::new(None, Default::default(), Default::default()),
        attrs: Vec::new(),
    }
}

/// What is appended to a node.
pub enum Child<'a> {
    /// An element.
    Element(Element),
    /// A node the walk does not see (a comment).
    Other,
    /// Text.
    Text(&'a str),
}

/// How far down the open elements a parent is looked for: as deep as the reader goes
/// (the tree builder itself scans its stack of open elements as far at each tag). A page
/// built in order appends to one of the top few.
const SEARCH: usize = super::depth::MAX_DEPTH + 1;

#[derive(Debug)]
enum Article {
    NotYet,
    Inside { key: usize, walker: Box<Walker> },
    Done(Vec<Piece>),
}

#[derive(Debug)]
enum Title {
    NotYet,
    Inside { key: usize, text: String },
    Done(String),
}

/// The walk's side of the tree builder: the elements open in the walk and what the
/// importer keeps of the page. [`State::append`] takes each append as the tree builder
/// makes it.
#[derive(Debug)]
pub struct State {
    /// The elements open in the walk, the document at the bottom.
    open: Vec<Element>,
    /// The walk of the page outside the article: none with [`Scope::Article`].
    outer: Option<Walker>,
    article: Article,
    title: Title,
    canonical: Option<String>,
    charsets: Vec<String>,
}

/// The sink: hand it to html5ever's `TreeBuilder`; `finish` gives the [`Document`].
#[derive(Debug)]
pub struct Sink {
    next_key: Cell<usize>,
    document: Handle,
    state: RefCell<State>,
}

impl Sink {
    /// A sink that walks `scope`.
    pub fn new(scope: Scope) -> Self {
        let document = Rc::new(Node {
            element: document(),
            is_element: false,
        });
        Sink {
            next_key: Cell::new(1),
            document: document.clone(),
            state: RefCell::new(State::new(scope)),
        }
    }

    fn node(&self, name: QualName, attrs: Vec<Attribute>, is_element: bool) -> Handle {
        let key = self.next_key.get();
        self.next_key.set(key + 1);
        Rc::new(Node {
            element: Element { key, name, attrs },
            is_element,
        })
    }

    fn add(&self, parent: Option<&Handle>, child: NodeOrText<Handle>) {
        let mut state = self.state.borrow_mut();
        let parent = parent.map(|p| p.element.key);
        match child {
            NodeOrText::AppendNode(node) if node.is_element => {
                state.append(parent, Child::Element(node.element.clone()));
            }
            NodeOrText::AppendNode(_) => state.append(parent, Child::Other),
            NodeOrText::AppendText(text) => state.append(parent, Child::Text(&text)),
        }
    }
}

/// Whether `e` is an `<article id="article">` (its first `id`, as the tokenizer keeps it):
/// the element the decision is in, when the page has one.
pub fn is_the_article(e: &Element) -> bool {
    e.name() == "article" && e.attr("id") == Some("article")
}

impl State {
    /// Nothing read yet; the document is the node numbered 0.
    pub fn new(scope: Scope) -> State {
        State {
            open: vec![document()],
            outer: (scope == Scope::Page).then(Walker::default),
            article: Article::NotYet,
            title: Title::NotYet,
            canonical: None,
            charsets: Vec::new(),
        }
    }

    /// Whether the page's `<article id="article">` has not opened yet.
    pub fn awaits_article(&self) -> bool {
        matches!(self.article, Article::NotYet)
    }

    /// Appends `child`; under the node numbered `parent` when it is open in the walk
    /// (closing what is above it), else where the walk is.
    pub fn append(&mut self, parent: Option<usize>, child: Child<'_>) {
        if let Some(parent) = parent {
            self.enter(parent);
        }
        match child {
            Child::Element(e) => self.open(e),
            Child::Other => {}
            Child::Text(text) => self.text(text),
        }
    }

    fn walker(&mut self) -> Option<&mut Walker> {
        match &mut self.article {
            Article::NotYet => self.outer.as_mut(),
            Article::Inside { walker, .. } => Some(walker),
            Article::Done(_) => None,
        }
    }

    /// The walk that reads what is appended now: none after the article, nor before it
    /// with [`Scope::Article`].
    fn reading(&self) -> Option<&Walker> {
        match &self.article {
            Article::NotYet => self.outer.as_ref(),
            Article::Inside { walker, .. } => Some(walker),
            Article::Done(_) => None,
        }
    }

    /// Whether an element called `name` appended now would have its attributes read:
    /// always those the importer reads in the head and the article, else only while the
    /// walk reads.
    pub fn reads_attributes(&self, name: &str) -> bool {
        matches!(name, "meta" | "link" | "article") || self.observes()
    }

    /// Whether appending white space now would change nothing the walk reads (see
    /// [`Walker::at_space`]), so that it need not be appended.
    pub fn ignores_white_space(&self) -> bool {
        self.reading().is_none_or(Walker::at_space)
    }

    /// Whether what is appended now can change the document by more than the elements
    /// the importer reads wherever they are (`<meta>`, `<link>`, `<title>`, the
    /// article): not inside an element the walk skips, nor after the article, nor before
    /// it with [`Scope::Article`].
    pub fn observes(&self) -> bool {
        self.reading().is_some_and(|w| !w.skipping())
    }

    /// Closes the open elements above the one numbered `key`, if it is open.
    pub fn enter(&mut self, key: usize) {
        if self.open.last().is_some_and(|e| e.key == key) {
            return;
        }
        let Some(above) = self
            .open
            .iter()
            .rev()
            .take(SEARCH)
            .position(|e| e.key == key)
        else {
            return;
        };
        for _ in 0..above {
            if let Some(node) = self.open.pop() {
                self.close(&node);
            }
        }
    }

    fn open(&mut self, e: Element) {
        match e.name() {
            "meta" => self
                .charsets
                .extend(charset::declared_by(&e).map(str::to_string)),
            "link" if self.canonical.is_none() => {
                let canonical = e
                    .attr("rel")
                    .is_some_and(|r| r.split_ascii_whitespace().any(|t| t == "canonical"));
                if canonical {
                    self.canonical = e.attr("href").map(str::to_string);
                }
            }
            "title" if matches!(self.title, Title::NotYet) => {
                self.title = Title::Inside {
                    key: e.key,
                    text: String::new(),
                };
            }
            "article" if matches!(self.article, Article::NotYet) && is_the_article(&e) => {
                self.article = Article::Inside {
                    key: e.key,
                    walker: Box::default(),
                };
            }
            _ => {}
        }
        if let Some(w) = self.walker() {
            w.open(&e);
        }
        self.open.push(e);
    }

    fn close(&mut self, e: &Element) {
        if let Some(w) = self.walker() {
            w.close(e);
        }
        if matches!(self.title, Title::Inside { key, .. } if key == e.key) {
            if let Title::Inside { text, .. } = std::mem::replace(&mut self.title, Title::NotYet) {
                self.title = Title::Done(text);
            }
        }
        if matches!(self.article, Article::Inside { key, .. } if key == e.key) {
            if let Article::Inside { walker, .. } =
                std::mem::replace(&mut self.article, Article::NotYet)
            {
                self.article = Article::Done(walker.finish());
            }
        }
    }

    fn text(&mut self, text: &str) {
        if let Title::Inside { text: title, .. } = &mut self.title {
            title.push_str(text);
        }
        if let Some(w) = self.walker() {
            w.text(text);
        }
    }

    /// The document read, once the page has ended.
    pub fn finish(mut self) -> Document {
        while self.open.len() > 1 {
            if let Some(node) = self.open.pop() {
                self.close(&node);
            }
        }
        let title = match self.title {
            Title::NotYet => None,
            Title::Inside { text, .. } | Title::Done(text) => Some(text),
        }
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty());
        let (pieces, in_article) = match self.article {
            Article::Done(pieces) => (pieces, true),
            Article::Inside { walker, .. } => (walker.finish(), true),
            Article::NotYet => (self.outer.map(Walker::finish).unwrap_or_default(), false),
        };
        Document {
            pieces,
            in_article,
            title,
            canonical: self.canonical,
            charsets: self.charsets,
        }
    }
}

impl TreeSink for Sink {
    type Handle = Handle;
    type Output = Document;
    type ElemName<'a> = ExpandedName<'a>;

    fn finish(self) -> Document {
        self.state.into_inner().finish()
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> Handle {
        self.document.clone()
    }

    fn elem_name<'a>(&'a self, target: &'a Handle) -> ExpandedName<'a> {
        target.element.name.expanded()
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, _: ElementFlags) -> Handle {
        self.node(name, attrs, true)
    }

    fn create_comment(&self, _text: StrTendril) -> Handle {
        self.node(self.document.element.name.clone(), Vec::new(), false)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> Handle {
        self.node(self.document.element.name.clone(), Vec::new(), false)
    }

    fn append(&self, parent: &Handle, child: NodeOrText<Handle>) {
        self.add(Some(parent), child);
    }

    fn append_based_on_parent_node(&self, _: &Handle, _: &Handle, child: NodeOrText<Handle>) {
        self.add(None, child);
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &Handle) -> Handle {
        target.clone()
    }

    fn same_node(&self, x: &Handle, y: &Handle) -> bool {
        Rc::ptr_eq(x, y)
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, _sibling: &Handle, child: NodeOrText<Handle>) {
        self.add(None, child);
    }

    fn add_attrs_if_missing(&self, _target: &Handle, _attrs: Vec<Attribute>) {}

    fn remove_from_parent(&self, _target: &Handle) {}

    fn reparent_children(&self, _node: &Handle, _new_parent: &Handle) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use ego_tree::iter::Edge;
    use html5ever::interface::ElemName;
    use scraper::Node as TreeNode;

    /// The walk over scraper's tree, as the reader did before it streamed: the pieces
    /// under the first `article#article`, else under the root.
    fn from_tree(html: &str) -> (Vec<Piece>, bool) {
        let doc = scraper::Html::parse_document(html);
        let article = scraper::Selector::parse("article#article")
            .ok()
            .and_then(|s| doc.select(&s).next());
        let root = article.map_or_else(|| doc.tree.root(), |a| *a);
        let mut keys = std::collections::HashMap::new();
        let mut element = |id: ego_tree::NodeId, e: &scraper::node::Element| {
            let next = keys.len() + 1;
            let key = *keys.entry(id).or_insert(next);
            Element {
                key,
                name: e.name.clone(),
                attrs: e
                    .attrs
                    .iter()
                    .map(|(name, value)| Attribute {
                        name: name.clone(),
                        value: StrTendril::from(&**value),
                    })
                    .collect(),
            }
        };
        let mut w = Walker::default();
        for edge in root.traverse() {
            match edge {
                Edge::Open(n) => match n.value() {
                    TreeNode::Element(e) => w.open(&element(n.id(), e)),
                    TreeNode::Text(t) => w.text(t),
                    _ => {}
                },
                Edge::Close(n) => {
                    if let TreeNode::Element(e) = n.value() {
                        w.close(&element(n.id(), e));
                    }
                }
            }
        }
        (w.finish(), article.is_some())
    }

    fn streamed(html: &str) -> Document {
        super::super::depth::parse(html, Scope::Page).expect("shallow")
    }

    fn same_as_the_tree(html: &str) {
        let (pieces, in_article) = from_tree(html);
        let doc = streamed(html);
        assert_eq!(doc.in_article, in_article, "{html}");
        assert_eq!(doc.pieces, pieces, "{html}");
    }

    #[test]
    fn reads_the_pieces_the_tree_gives() {
        for html in [
            "<!doctype html><title>T</title><p>One<p>Two<ol start=3><li>a<li>b<ul><li>c</ul></ol>",
            "<h2>The complaint</h2><div class=label>Category</div><div class=value>A &gt; B</div>",
            "<table><tr><td>cell<p>para</table><b><i>bold</b> italic</i> after",
            "<p>a<b>b</p>c</b>d<div><strong>Heading</strong></div><p>x<br>y</p>",
            "<nav>Home</nav><div id=cookieBanner>We use cookies</div><p>Kept <a href=/d/x>a link</a>",
            "<form><article id=article><p>Inside</p></article></form><p>outside",
            "<ul><li>one<li>two</ul><dl><dt>t<dd>d</dl><pre>\nline</pre><template><p>no</template>",
            "<svg><title>s</title><foreignObject><p>in svg</p></foreignObject></svg><p>after",
            "<p>unclosed <b>bold <i>both",
        ] {
            same_as_the_tree(html);
        }
        let deep = format!(
            "<ol><li>{}deep{}</li><li>next</ol><p>after",
            "<div>".repeat(300),
            "</div>".repeat(300)
        );
        same_as_the_tree(&deep);
        let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
        for dir in ["seeds", "html"] {
            let dir = std::path::Path::new(fixtures).join(dir);
            for entry in std::fs::read_dir(&dir).expect("fixtures").flatten() {
                let text = std::fs::read_to_string(entry.path()).expect("a fixture");
                let html = crate::corpus::html::rendition(&text).unwrap_or(text);
                same_as_the_tree(&html);
            }
        }
        for i in 0..20 {
            let page = crate::corpus::page(i);
            let html = crate::corpus::html::rendition(&page.text).expect("a decision");
            same_as_the_tree(&html);
        }
    }

    #[test]
    fn keeps_the_title_the_canonical_link_and_the_charsets() {
        let doc = streamed(
            "<html><head><meta charset=\"windows-1252\"><title> A \n decision </title>\
             <link rel=\"stylesheet\" href=\"/s.css\"><link rel=\"x canonical\" href=\"/decisions/a/b/1\">\
             <link rel=canonical href=/second>\
             <meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head><body><p>x",
        );
        assert_eq!(doc.title.as_deref(), Some("A decision"));
        assert_eq!(doc.canonical.as_deref(), Some("/decisions/a/b/1"));
        assert_eq!(doc.charsets, ["windows-1252", "utf-8"]);
        assert!(!doc.in_article);
        assert_eq!(streamed("<title> </title><p>x").title, None);
    }

    #[test]
    fn names_elements_for_the_tree_builder() {
        let sink = Sink::new(Scope::Page);
        let p = sink.create_element(
            QualName::new(None, html5ever::ns!(html), html5ever::local_name!("p")),
            Vec::new(),
            ElementFlags::default(),
        );
        assert_eq!(&**sink.elem_name(&p).local_name(), "p");
        assert!(sink.same_node(&p, &p.clone()));
    }
}
