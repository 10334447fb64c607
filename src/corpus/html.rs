//! A decision page as the Ombudsman's website serves it: the HTML rendition of a parsed
//! text page, for tests, benchmarks and imitation servers.
//!
//! What is known of the website's markup (from public scrapers) is followed: page chrome
//! (navigation, a cookie banner, a footer, "Back to top" and print links, scripts and
//! styles) around `<article id="article">`; in it the organisation with the reference,
//! `label`/`value` pairs for Category, Decision and Decision date, the Summary, then the
//! sections with their paragraphs as ordered lists that restart at 1 in each section,
//! bullets and nested items as nested lists. A page whose paragraphs carry no numbers (the
//! flattened layout) has them as `<p>` elements. The output is deterministic: the same
//! page gives the same bytes.

use std::fmt::Write as _;

use crate::import::page::{Block, Item, Layout, ParsedPage};

const HEAD: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
"#;

const STYLE_AND_SCRIPTS: &str = r#"<link rel="stylesheet" href="/css/site.css">
<style>.label{font-weight:bold}#cookie-banner{position:fixed;bottom:0}</style>
<script src="/js/jquery.min.js"></script>
<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}</script>
</head>
"#;

const NAV: &str = r##"<body>
<a class="skip-link" href="#main">Skip to main content</a>
<div id="cookie-banner" class="cookie-banner" role="dialog">
<h2>Review your privacy settings</h2>
<h3>Required cookies</h3>
<p>These cookies enable the website to function properly. You can only disable these by changing your browser preferences, but this will affect how the website performs.</p>
<a href="#">View required cookies</a>
<h3>Analytical cookies</h3>
<p>Google Analytics cookies help us improve the performance of the website by understanding how visitors use the site.</p>
<p>We recommend you set these 'ON'.</p>
<a href="#">View analytical cookies</a>
<button type="button">Accept recommended settings</button>
<button type="button">Save and close</button>
<h2>Privacy settings</h2>
</div>
<header class="site-header">
<a href="/"><img src="/img/logo.png" alt="LGO logogram"></a>
<nav class="main-nav"><ul>
<li><a href="/make-a-complaint">Make a complaint</a></li>
<li><a href="/decisions">Decisions</a></li>
<li><a href="/information-centre">Information centre</a></li>
<li><a href="/about-us">About us</a></li>
<li><a href="/contact-us">Contact us</a></li>
</ul></nav>
<form class="search" action="/search"><input type="text" name="q" placeholder="Search"><button>Search</button></form>
</header>
<main id="main">
<ul class="breadcrumb"><li><a href="/">Home</a></li><li><a href="/decisions">Decisions</a></li></ul>
"##;

const FOOTER: &str = r#"</main>
<footer class="site-footer">
<ul>
<li><a href="/accessibility">Accessibility</a></li>
<li><a href="/privacy">Privacy</a></li>
<li><a href="/cookies">Cookies</a></li>
</ul>
<p>© Local Government and Social Care Ombudsman</p>
</footer>
<script src="/js/site.js"></script>
<script>gtag('config', 'UA-0000000-1');</script>
</body>
</html>
"#;

/// Renders `page` as the website's HTML. `source_url`, when known, becomes the page's
/// `<link rel="canonical">`.
pub fn render(page: &ParsedPage, source_url: Option<&str>) -> String {
    let mut out = String::with_capacity(16 * 1024);
    out.push_str(HEAD);
    let _ = writeln!(
        out,
        "<title>{} ({}) - Local Government and Social Care Ombudsman</title>",
        escape(&page.council),
        escape(&page.reference)
    );
    if let Some(url) = source_url {
        let _ = writeln!(out, "<link rel=\"canonical\" href=\"{}\">", escape(url));
    }
    out.push_str(STYLE_AND_SCRIPTS);
    out.push_str(NAV);
    out.push_str("<article id=\"article\">\n<header class=\"decision-header\">\n");
    let _ = writeln!(
        out,
        "<h1>{} ({})</h1>",
        escape(&page.council),
        escape(&page.reference)
    );
    for (label, meta) in [
        ("Category", &page.category),
        ("Decision", &page.decision),
        ("Decision date", &page.decision_date),
    ] {
        if let Some(meta) = meta {
            let _ = writeln!(
                out,
                "<p><span class=\"label\">{label} :</span> <span class=\"value\">{}</span></p>",
                escape(&meta.value)
            );
        }
    }
    out.push_str("</header>\n<h2>The Ombudsman&#39;s final decision:</h2>\n");
    if let Some(summary) = &page.summary {
        let _ = writeln!(out, "<p><strong>Summary:</strong> {}</p>", escape(summary));
    }
    body(&mut out, page);
    out.push_str("<p class=\"print\"><a href=\"javascript:window.print()\">Print this page</a></p>\n</article>\n");
    out.push_str(FOOTER);
    out
}

fn body(out: &mut String, page: &ParsedPage) {
    let numbered = page.layout != Layout::Flattened;
    let mut in_list = false;
    let mut sections = 0;
    for block in &page.blocks {
        match block {
            Block::Paragraph(p) => {
                if numbered && !in_list {
                    out.push_str("<ol>\n");
                    in_list = true;
                }
                out.push_str(if numbered { "<li>" } else { "<p>" });
                for (i, line) in p.lines.iter().enumerate() {
                    if i > 0 {
                        out.push_str("<br>\n");
                    }
                    out.push_str(&escape(line));
                }
                if numbered {
                    items(out, &p.items);
                    out.push_str("</li>\n");
                } else {
                    out.push_str("</p>\n");
                    items(out, &p.items);
                    out.push('\n');
                }
            }
            Block::Heading { level, text } => {
                close_list(out, &mut in_list);
                if *level == 2 {
                    if sections > 0 {
                        out.push_str(
                            "<p class=\"back-to-top\"><a href=\"#top\">Back to top</a></p>\n",
                        );
                    }
                    sections += 1;
                }
                let _ = writeln!(out, "<h{level}>{}</h{level}>", escape(text));
            }
            Block::Signature(text) => {
                close_list(out, &mut in_list);
                let _ = writeln!(
                    out,
                    "<p class=\"signature\"><strong>{}</strong></p>",
                    escape(text)
                );
            }
        }
    }
    close_list(out, &mut in_list);
    out.push_str("<p class=\"back-to-top\"><a href=\"#top\">Back to top</a></p>\n");
}

fn close_list(out: &mut String, in_list: &mut bool) {
    if *in_list {
        out.push_str("</ol>\n");
        *in_list = false;
    }
}

/// Writes items as runs of `<ul>` (bullets) and `<ol>` (numbered items, their numbers as
/// `value` attributes), each item's children nested inside it. Items nest at most a few
/// levels in a parsed page, so the recursion is shallow.
fn items(out: &mut String, items: &[Item]) {
    let mut i = 0;
    while i < items.len() {
        let ordered = items[i].ordinal.is_some();
        let run = items[i..]
            .iter()
            .take_while(|it| it.ordinal.is_some() == ordered)
            .count();
        out.push_str(if ordered { "<ol>" } else { "<ul>" });
        for item in &items[i..i + run] {
            match item.ordinal {
                Some(n) => {
                    let _ = write!(out, "<li value=\"{n}\">");
                }
                None => out.push_str("<li>"),
            }
            out.push_str(&escape(&item.text));
            self::items(out, &item.children);
            out.push_str("</li>");
        }
        out.push_str(if ordered { "</ol>" } else { "</ul>" });
        i += run;
    }
}

/// Escapes text for HTML content and double-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// The HTML rendition of a text page, with its canonical link when the page states its
/// category; `None` when the text is not a decision page.
pub fn rendition(text: &str) -> Option<String> {
    let page = crate::import::parse_text(text)?;
    let (category, subcategory) = crate::import::category_parts(page.category.as_ref());
    let reference = crate::decision::Reference::parse(&page.reference)?;
    let url =
        crate::import::extract::source_url(category.as_deref(), subcategory.as_deref(), &reference);
    Some(render(&page, url.as_deref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_render_the_same_page_twice() {
        let text = super::super::page(7).text;
        let a = rendition(&text).expect("a decision");
        assert_eq!(a, rendition(&text).expect("a decision"));
        assert!(a.contains("<article id=\"article\">"));
        assert!(a.contains("<span class=\"label\">Decision :</span>"));
    }

    #[test]
    fn restarts_numbering_in_each_section_and_escapes_text() {
        let html = rendition(
            "A & B Council (21 019 020)\nCategory : Housing > Homelessness\nSummary: S <b>.\n\
             The complaint\n  1. One.\n  2. Two:\n    • a;\n      1. deep\nWhat I found\n  1. Three.\n",
        )
        .expect("a decision");
        assert_eq!(html.matches("<ol>\n").count(), 2);
        assert!(html.contains("<h1>A &amp; B Council (21 019 020)</h1>"));
        assert!(html.contains("S &lt;b&gt;."));
        assert!(
            html.contains("<li>Two:<ul><li>a;<ol><li value=\"1\">deep</li></ol></li></ul></li>")
        );
        assert!(html.contains(
            "<link rel=\"canonical\" href=\"https://www.lgo.org.uk/decisions/housing/homelessness/21-019-020\">"
        ));
    }
}
