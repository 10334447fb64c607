//! The quick reading of a page for [`super::finish`]: the tags of the markup our templates
//! write, found with `memchr` and read by the HTML standard's tokenizer rules for tags,
//! attributes, comments and raw text, without lol_html's token and selector machinery (the
//! 15 KB around a decision page's body took 77 µs through lol_html).
//!
//! It makes exactly the changes the lol_html rewriter makes, and writes a changed tag the
//! way lol_html writes it (`<` name, each attribute after one space, as it stood or as
//! `name="value"`, then ` />` or `>`), so both give the same bytes; a property test holds
//! the two side by side on generated markup. Whatever it is not sure of, it leaves to
//! lol_html by giving `None`: `<svg>` and `<math>` (foreign content), `<noscript>` (read
//! as HTML of its own), `<plaintext>`, a comment inside a script, a comment or tag the
//! page ends inside, `<!` that is not a comment or a doctype, a NUL byte, a second
//! `<head>`, a `<head>` with no `</head>` or with another end tag in it (but those of
//! `<title>`, `<style>` and `<script>`), and a repeated attribute in a tag it changes.

use memchr::memchr;

use super::{canonical_tags, is_data_url, is_link, rewrite, Mode};
use crate::markup::tags::{
    after, raw_text, raw_text_end, skip_markup_declaration, skip_script, Raw, Tag,
};

/// The page with its root links rewritten for `mode` and `canonical` set as lol_html's
/// rewriter would, or `None` when the page holds markup this reading leaves to lol_html.
pub(super) fn finish(html: &str, mode: Mode<'_>, canonical: Option<&str>) -> Option<String> {
    let b = html.as_bytes();
    if memchr(0, b).is_some() {
        return None;
    }
    let mut page = Page {
        html,
        out: String::with_capacity(html.len() + 512),
        copied: 0,
        mode,
        canonical,
        seen: 0,
        head: Head::NotYet,
    };
    let mut i = 0;
    while let Some(at) = memchr(b'<', &b[i..]) {
        let lt = i + at;
        i = match b.get(lt + 1) {
            Some(c) if c.is_ascii_alphabetic() => page.start_tag(lt)?,
            Some(b'/') => page.end_tag(lt)?,
            Some(b'!') => skip_markup_declaration(b, lt)?,
            // A processing instruction is a bogus comment, to the next `>`.
            Some(b'?') => after(b, lt, b">")?,
            _ => lt + 1,
        };
    }
    if page.head == Head::Open && canonical.is_some() {
        return None;
    }
    page.out.push_str(&html[page.copied..]);
    Some(page.out)
}

/// Where the page stands with its `<head>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Head {
    NotYet,
    Open,
    Closed,
}

struct Page<'a> {
    html: &'a str,
    out: String,
    /// `html[..copied]` is in `out`, as it stands or changed.
    copied: usize,
    mode: Mode<'a>,
    canonical: Option<&'a str>,
    /// Which of the two the page has: 1 the canonical link, 2 og:url.
    seen: u8,
    head: Head,
}

impl Page<'_> {
    /// Reads the start tag at `lt`, writes it changed when it must be, and returns where
    /// reading goes on (past the raw text of a `<script>`, `<style>` or `<title>`).
    fn start_tag(&mut self, lt: usize) -> Option<usize> {
        let b = self.html.as_bytes();
        let tag = Tag::read(b, lt + 1)?;
        let name = &self.html[tag.name.clone()];
        let is = |n: &str| name.eq_ignore_ascii_case(n);
        if ["svg", "math", "noscript", "plaintext"]
            .iter()
            .any(|n| is(n))
        {
            return None;
        }
        if is("head") {
            if self.head != Head::NotYet {
                return None;
            }
            self.head = Head::Open;
        }
        let changes = self.changes(&tag, name)?;
        if !changes.is_empty() {
            self.out.push_str(&self.html[self.copied..lt]);
            self.write_tag(&tag, &changes);
            self.copied = tag.end;
        }
        match raw_text(name) {
            Some(Raw::Script) => skip_script(b, tag.end, name),
            Some(Raw::Text) => raw_text_end(b, tag.end, name),
            None => Some(tag.end),
        }
    }

    /// Reads the end tag (or the `</` that is none) at `lt`; before `</head>`, adds the
    /// canonical link and og:url the page did not have.
    fn end_tag(&mut self, lt: usize) -> Option<usize> {
        let b = self.html.as_bytes();
        match b.get(lt + 2) {
            Some(c) if c.is_ascii_alphabetic() => {
                let tag = Tag::read(b, lt + 2)?;
                let name = &self.html[tag.name.clone()];
                if self.head == Head::Open {
                    if name.eq_ignore_ascii_case("head") {
                        self.head = Head::Closed;
                        self.close_head(lt);
                    } else if self.canonical.is_some() && raw_text(name).is_none() {
                        // lol_html ends the head at the end tag of an element it is in,
                        // and so adds the canonical link there.
                        return None;
                    }
                }
                Some(tag.end)
            }
            Some(b'>') => Some(lt + 3),
            // `</` then anything else starts a bogus comment, to the next `>`.
            Some(_) => after(b, lt, b">"),
            None => None,
        }
    }

    /// Before the `</head>` at `lt`: the canonical link and og:url the page lacks.
    fn close_head(&mut self, lt: usize) {
        let Some(url) = self.canonical else { return };
        self.out.push_str(&self.html[self.copied..lt]);
        self.copied = lt;
        self.out.push_str(&canonical_tags(url, self.seen));
    }

    /// The new values of `tag`'s attributes, in the order lol_html's handlers set them:
    /// root links first, then a canonical link's or og:url's full URL. `None` when a name
    /// it would change is repeated in the tag.
    fn changes(&mut self, tag: &Tag, name: &str) -> Option<Vec<Change>> {
        let html = self.html;
        let mut changes = Vec::new();
        for (k, a) in tag.attributes.iter().enumerate() {
            let attribute = &html[a.name.clone()];
            let link = is_link(attribute);
            if !link && !is_data_url(attribute) {
                continue;
            }
            let value = a.value.clone().map_or("", |v| &html[v]);
            if let Some(new) = rewrite(value, self.mode, link) {
                changes.push(Change {
                    at: Some(k),
                    name: "",
                    value: new,
                });
            }
        }
        let canonical = if name.eq_ignore_ascii_case("link") {
            (tag.value(html, "rel")
                .is_some_and(|v| v.eq_ignore_ascii_case("canonical")))
            .then_some(("href", 1))
        } else if name.eq_ignore_ascii_case("meta") {
            (tag.value(html, "property") == Some("og:url")).then_some(("content", 2))
        } else {
            None
        };
        if let (Some((attribute, bit)), Some(url)) = (canonical, self.canonical) {
            self.seen |= bit;
            changes.push(Change {
                at: tag.position(html, attribute),
                name: attribute,
                value: url.to_string(),
            });
        }
        if !changes.is_empty() && tag.repeats_a_name(html) {
            return None;
        }
        Some(changes)
    }

    /// Writes `tag` with `changes` as lol_html serialises a changed start tag.
    fn write_tag(&mut self, tag: &Tag, changes: &[Change]) {
        let html = self.html;
        let out = &mut self.out;
        out.push('<');
        out.push_str(&html[tag.name.clone()]);
        let value_of = |k: usize| changes.iter().rev().find(|c| c.at == Some(k));
        for (k, a) in tag.attributes.iter().enumerate() {
            out.push(' ');
            match value_of(k) {
                Some(change) => push_attribute(out, &html[a.name.clone()], &change.value),
                None => out.push_str(&html[a.raw.clone()]),
            }
        }
        // An attribute the tag did not have goes last (once: the last value set wins).
        let mut added: Vec<&str> = Vec::new();
        for c in changes.iter().rev().filter(|c| c.at.is_none()) {
            if !added.contains(&c.name) {
                added.push(c.name);
                out.push(' ');
                push_attribute(out, c.name, &c.value);
            }
        }
        if tag.self_closing {
            if !tag.attributes.is_empty() || !added.is_empty() {
                out.push(' ');
            }
            out.push_str("/>");
        } else {
            out.push('>');
        }
    }
}

/// `name="value"`, with `"` escaped as lol_html escapes it.
fn push_attribute(out: &mut String, name: &str, value: &str) {
    out.push_str(name);
    out.push_str("=\"");
    out.push_str(&value.replace('"', "&quot;"));
    out.push('"');
}

/// A new value for the attribute at `at`, or for `name` when the tag has no such attribute
/// (`at` is `None`).
struct Change {
    at: Option<usize>,
    name: &'static str,
    value: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What lol_html's rewriter makes of `html`.
    fn full(html: &str, mode: Mode<'_>, canonical: Option<&str>) -> String {
        lol_html::rewrite_str(
            html,
            super::super::rewriter(html, mode, canonical.map(str::to_string)),
        )
        .expect("lol_html reads any markup")
    }

    /// Both readings of `html` at two folders' depth with a canonical URL: the quick one
    /// when it reads the page, which must then be lol_html's.
    fn both(html: &str) -> Option<String> {
        let (mode, canonical) = (Mode::Relative(2), Some("https://x.org/d/a/"));
        let quick = finish(html, mode, canonical);
        if let Some(quick) = &quick {
            assert_eq!(quick, &full(html, mode, canonical), "in {html}");
        }
        quick
    }

    #[test]
    fn reads_the_markup_templates_write_as_lol_html_does() {
        for html in [
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>A <b> & /x/</title>\
             <link rel=\"stylesheet\" href=\"/static/style.css\"></head>\
             <body><a class=\"x\" href=\"/councils/\">C</a><form action=\"/search/\"><input name=q></form>\
             <!-- <a href=\"/not/\"> --><script src=\"/static/s.js\" defer></script>\
             <script>if (a < b) { x = '<a href=\"/no/\">' }</script><style>a[href=\"/x/\"]{}</style>\
             <img src=/a.png alt=''><video poster='/p.png' src=\"/v.mp4\"></video>\
             <div data-index=\"/search/index/\" data-map-url=\"/m/\" data-label=\"/l/\"></div>\
             <textarea><a href=\"/t/\"></textarea></body></html>",
            "<head><link rel=\"canonical\" href=\"/a/\"></head>",
            "<head><LINK REL=\"CANONICAL\"><meta property=\"og:url\"></head>",
            "<head><meta property=\"OG:URL\" content=\"/x/\"></head><body><link rel=canonical href=/b/></body>",
            "<head></head><a\nhref = \"/a/\"  title='x' >a</a><img src=\"/i.png\"/><br/><img src=\"/j.png\" />",
            "<head></head><a href=\"/a/?q=1&amp;r=2#f\">x</a><a href='/q\"x/'>y</a><a href=/é/>é</a>",
            "<head></head><a href=\"//cdn/x\" src=\"https://x/\">x</a><p>a < b > c</p></x><?pi?></>",
            "<head></head><a href=\"/a/\"title=\"t\"x=>y</a><a =\"/b/\" href>z</a>",
            "<head></HEAD><!----><a href=\"/c/\"></a><SCRIPT>a</script ><a href=\"/d/\"></a>",
            // lol_html reads what follows `a=>` as markup, not script or title text, when a
            // handler wants its tokens there (none does here): a guard for a handler added.
            "<head></head><script a=><a href=\"/x/\"></script><title b=><a href=\"/y/\"></title>",
        ] {
            assert!(both(html).is_some(), "read quickly: {html}");
        }
    }

    #[test]
    fn leaves_what_it_is_not_sure_of_to_lol_html() {
        for html in [
            "<head></head><svg><a href=\"/a/\"></a></svg>",
            "<head></head><math></math>",
            "<head></head><noscript><a href=\"/a/\"></a></noscript>",
            "<head></head><plaintext><a href=\"/a/\">",
            "<head></head><script><!-- <script></script> --></script>",
            "<head></head><!--> <a href=\"/a/\">",
            "<head></head><!---> <a href=\"/a/\">",
            "<head></head><!-- a --!> <a href=\"/a/\"> -->",
            "<head></head><![CDATA[ <a href=\"/a/\"> ]]>",
            "<head></head><a href=\"/a/\" HREF=\"/b/\">",
            "<head></head><a href=\"/a/",
            "<head></head><title>x",
            "<head><a href=\"/a/\">",
            "<head></head><head></head>",
            "<head></head>\0",
        ] {
            assert_eq!(both(html), None, "{html}");
        }
    }

    #[test]
    fn the_404_page_keeps_root_links_under_the_base_path() {
        let html = "<head></head><a href=\"/decisions/\">d</a>";
        let mode = Mode::Rooted("/digest");
        let quick = finish(html, mode, None).expect("read quickly");
        assert_eq!(quick, full(html, mode, None));
        assert!(quick.contains("href=\"/digest/decisions/\""), "{quick}");
    }

    /// An attribute of a start tag: a name the links pass reads or not, a value, quoted or not.
    fn attribute() -> impl Strategy<Value = String> {
        (
            prop::sample::select(vec![
                "href",
                "HREF",
                "src",
                "action",
                "poster",
                "data-index",
                "data-root",
                "data-map-url",
                "DATA-X-URL",
                "data-label",
                "rel",
                "REL",
                "property",
                "content",
                "class",
                "=x",
            ]),
            prop::sample::select(vec![
                "/",
                "/a/",
                "/a/?q=1#f",
                "//h/x",
                "https://x.org/",
                "",
                "canonical",
                "CANONICAL",
                "og:url",
                "/é/",
                "/a\"b/",
                "/a'b/",
                "x y",
                "/a>b/",
            ]),
            prop::sample::select(vec!["\"", "'", "", "none", "bare"]),
            prop::sample::select(vec![" ", "  ", "\n", ""]),
        )
            .prop_map(|(name, value, quote, space)| match quote {
                "none" => format!("{space}{name}"),
                "bare" => format!("{space}{name}="),
                q => format!("{space}{name}={q}{value}{q}"),
            })
    }

    /// Text, comments, declarations and raw text that hold or look like links.
    fn other_markup() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "a",
            " ",
            "x < y",
            "&amp;",
            "/councils/",
            "é",
            ">",
            "\"",
            "'",
            "\n",
            "<!-- c -->",
            "<!---->",
            "<!-->",
            "<!-- <a href=\"/x/\"> -->",
            "<!-- a --!> b -->",
            "<!DOCTYPE html>",
            "<?xml ?>",
            "</>",
            "</ x>",
            "<![CDATA[x]]>",
            "<",
            "</head >",
            "<script>var a = '<a href=\"/x/\">';</script>",
            "<script><!-- x --></script>",
            "</script",
            "</title>",
            "</scriptx>",
        ])
        .prop_map(str::to_string)
    }

    fn fragment() -> impl Strategy<Value = String> {
        let names = prop::sample::select(vec![
            "a", "A", "link", "LINK", "meta", "head", "HEAD", "div", "img", "form", "video",
            "script", "style", "title", "textarea", "p", "noscript", "svg", "x-el", "br", "iframe",
            "xmp", "noembed", "noframes", "template", "table",
        ]);
        let attribute = attribute();
        let start = (
            names.clone(),
            prop::collection::vec(attribute, 0..4),
            prop::sample::select(vec!["", "/", " /", " "]),
        )
            .prop_map(|(name, attributes, close)| {
                format!("<{name}{}{close}>", attributes.concat())
            });
        let end = names.prop_map(|n| format!("</{n}>"));
        let other = other_markup();
        prop_oneof![start, end, other]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        /// Whatever the markup, the quick reading gives lol_html's page or leaves it to
        /// lol_html.
        #[test]
        fn gives_lol_htmls_page_or_none(
            parts in prop::collection::vec(fragment(), 0..24),
            depth in 0usize..3,
            rooted in any::<bool>(),
            canonical in any::<bool>(),
        ) {
            let html = parts.concat();
            let mode = if rooted { Mode::Rooted("/d") } else { Mode::Relative(depth) };
            let canonical = canonical.then_some("https://x.org/a/?b=\"c\"&d");
            if let Some(quick) = finish(&html, mode, canonical) {
                prop_assert_eq!(quick, full(&html, mode, canonical), "{}", html);
            }
        }
    }
}
