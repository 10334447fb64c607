//! The names the quick reading knows: what the tree builder does with each start tag in
//! the body, which elements the standard calls special, and the atoms of common names.

use html5ever::{local_name, LocalName};

/// What the tree builder does with a start tag in the body, for the tags read here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rule {
    /// Inserted with no end tag.
    Void,
    /// `<hr>`: as `Void`, but it closes an open `<p>`.
    ThematicBreak,
    /// `<script>`, `<style>`, `<title>`: raw text to the end tag.
    Raw,
    /// Blocks that close an open `<p>`.
    Block,
    Heading,
    Pre,
    Form,
    ListItem,
    /// `<dd>`, `<dt>`.
    Definition,
    Button,
    Link,
    /// Formatting elements while they nest properly, and the elements the tree builder
    /// inserts by its rule for "any other" element: nothing else happens on the way.
    Inline,
    /// Anything else: left to html5ever.
    Other,
}

pub(super) fn rule(name: &str) -> Rule {
    match name {
        "meta" | "link" | "base" | "area" | "br" | "embed" | "img" | "wbr" | "input" | "param"
        | "source" | "track" => Rule::Void,
        "hr" => Rule::ThematicBreak,
        "script" | "style" | "title" => Rule::Raw,
        "address" | "article" | "aside" | "blockquote" | "center" | "details" | "dialog"
        | "dir" | "div" | "dl" | "fieldset" | "figcaption" | "figure" | "footer" | "header"
        | "hgroup" | "main" | "menu" | "nav" | "ol" | "p" | "search" | "section" | "summary"
        | "ul" => Rule::Block,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Rule::Heading,
        "pre" => Rule::Pre,
        "form" => Rule::Form,
        "li" => Rule::ListItem,
        "dd" | "dt" => Rule::Definition,
        "button" => Rule::Button,
        "a" => Rule::Link,
        "b" | "big" | "code" | "em" | "font" | "i" | "s" | "small" | "strike" | "strong" | "tt"
        | "u" | "span" | "abbr" | "acronym" | "cite" | "dfn" | "kbd" | "q" | "samp" | "sub"
        | "sup" | "time" | "var" | "data" | "label" | "mark" | "bdi" | "bdo" | "ins" | "del"
        | "output" | "meter" | "progress" | "picture" | "video" | "audio" | "canvas" | "slot" => {
            Rule::Inline
        }
        _ => Rule::Other,
    }
}

/// The standard's "special" elements, as html5ever lists them.
pub(super) fn is_special(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "applet"
            | "area"
            | "article"
            | "aside"
            | "base"
            | "basefont"
            | "bgsound"
            | "blockquote"
            | "body"
            | "br"
            | "button"
            | "caption"
            | "center"
            | "col"
            | "colgroup"
            | "dd"
            | "details"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "embed"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "frame"
            | "frameset"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "head"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "iframe"
            | "img"
            | "input"
            | "isindex"
            | "li"
            | "link"
            | "listing"
            | "main"
            | "marquee"
            | "menu"
            | "meta"
            | "nav"
            | "noembed"
            | "noframes"
            | "noscript"
            | "object"
            | "ol"
            | "p"
            | "param"
            | "plaintext"
            | "pre"
            | "script"
            | "section"
            | "select"
            | "source"
            | "style"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "template"
            | "textarea"
            | "tfoot"
            | "th"
            | "thead"
            | "title"
            | "tr"
            | "track"
            | "ul"
            | "wbr"
            | "xmp"
    )
}

/// The atom for a tag's or an attribute's `name`: the names pages use most matched as
/// text, any other looked up in the atom tables (which hash it).
pub(super) fn atom(name: &str) -> LocalName {
    element_atom(name)
        .or_else(|| attribute_atom(name))
        .unwrap_or_else(|| LocalName::from(name))
}

fn element_atom(name: &str) -> Option<LocalName> {
    Some(match name {
        "a" => local_name!("a"),
        "abbr" => local_name!("abbr"),
        "address" => local_name!("address"),
        "article" => local_name!("article"),
        "aside" => local_name!("aside"),
        "audio" => local_name!("audio"),
        "b" => local_name!("b"),
        "base" => local_name!("base"),
        "blockquote" => local_name!("blockquote"),
        "body" => local_name!("body"),
        "br" => local_name!("br"),
        "button" => local_name!("button"),
        "canvas" => local_name!("canvas"),
        "center" => local_name!("center"),
        "cite" => local_name!("cite"),
        "code" => local_name!("code"),
        "dd" => local_name!("dd"),
        "del" => local_name!("del"),
        "details" => local_name!("details"),
        "dialog" => local_name!("dialog"),
        "div" => local_name!("div"),
        "dl" => local_name!("dl"),
        "dt" => local_name!("dt"),
        "em" => local_name!("em"),
        "figcaption" => local_name!("figcaption"),
        "figure" => local_name!("figure"),
        "font" => local_name!("font"),
        "footer" => local_name!("footer"),
        "form" => local_name!("form"),
        "h1" => local_name!("h1"),
        "h2" => local_name!("h2"),
        "h3" => local_name!("h3"),
        "h4" => local_name!("h4"),
        "h5" => local_name!("h5"),
        "h6" => local_name!("h6"),
        "head" => local_name!("head"),
        "header" => local_name!("header"),
        "hr" => local_name!("hr"),
        "html" => local_name!("html"),
        "i" => local_name!("i"),
        "iframe" => local_name!("iframe"),
        "img" => local_name!("img"),
        "input" => local_name!("input"),
        "ins" => local_name!("ins"),
        "label" => local_name!("label"),
        "li" => local_name!("li"),
        "link" => local_name!("link"),
        "main" => local_name!("main"),
        "mark" => local_name!("mark"),
        "meta" => local_name!("meta"),
        "nav" => local_name!("nav"),
        "noscript" => local_name!("noscript"),
        "ol" => local_name!("ol"),
        "option" => local_name!("option"),
        "p" => local_name!("p"),
        "picture" => local_name!("picture"),
        "pre" => local_name!("pre"),
        "q" => local_name!("q"),
        "s" => local_name!("s"),
        "script" => local_name!("script"),
        "section" => local_name!("section"),
        "select" => local_name!("select"),
        "small" => local_name!("small"),
        "source" => local_name!("source"),
        "span" => local_name!("span"),
        "strong" => local_name!("strong"),
        "style" => local_name!("style"),
        "sub" => local_name!("sub"),
        "summary" => local_name!("summary"),
        "sup" => local_name!("sup"),
        "svg" => local_name!("svg"),
        "table" => local_name!("table"),
        "td" => local_name!("td"),
        "template" => local_name!("template"),
        "textarea" => local_name!("textarea"),
        "th" => local_name!("th"),
        "time" => local_name!("time"),
        "title" => local_name!("title"),
        "tr" => local_name!("tr"),
        "u" => local_name!("u"),
        "ul" => local_name!("ul"),
        "video" => local_name!("video"),
        _ => return None,
    })
}

fn attribute_atom(name: &str) -> Option<LocalName> {
    Some(match name {
        "action" => local_name!("action"),
        "alt" => local_name!("alt"),
        "aria-hidden" => local_name!("aria-hidden"),
        "aria-label" => local_name!("aria-label"),
        "async" => local_name!("async"),
        "charset" => local_name!("charset"),
        "class" => local_name!("class"),
        "colspan" => local_name!("colspan"),
        "content" => local_name!("content"),
        "crossorigin" => local_name!("crossorigin"),
        "datetime" => local_name!("datetime"),
        "defer" => local_name!("defer"),
        "dir" => local_name!("dir"),
        "for" => local_name!("for"),
        "height" => local_name!("height"),
        "hidden" => local_name!("hidden"),
        "href" => local_name!("href"),
        "http-equiv" => local_name!("http-equiv"),
        "id" => local_name!("id"),
        "integrity" => local_name!("integrity"),
        "lang" => local_name!("lang"),
        "loading" => local_name!("loading"),
        "media" => local_name!("media"),
        "method" => local_name!("method"),
        "name" => local_name!("name"),
        "placeholder" => local_name!("placeholder"),
        "property" => local_name!("property"),
        "rel" => local_name!("rel"),
        "reversed" => local_name!("reversed"),
        "role" => local_name!("role"),
        "rowspan" => local_name!("rowspan"),
        "sizes" => local_name!("sizes"),
        "src" => local_name!("src"),
        "srcset" => local_name!("srcset"),
        "start" => local_name!("start"),
        "tabindex" => local_name!("tabindex"),
        "target" => local_name!("target"),
        "type" => local_name!("type"),
        "value" => local_name!("value"),
        "width" => local_name!("width"),
        _ => return None,
    })
}

pub(super) fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}
