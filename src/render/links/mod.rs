//! Finishing a rendered HTML page: every link written from the site root (`/councils/`,
//! as views and templates write them) becomes relative to the page, so the built site
//! works opened from disk, served at `/` or moved under any sub-path, with no `base_url`.
//!
//! The one rule templates follow: write links between pages of the site from the root,
//! `{{ site.base_url }}/councils/` or a URL a view gives. Then, in every page:
//! - `href`, `src`, `action` and `poster` become relative, and a link to a folder points
//!   at its `index.html` (a browser shows a folder listing for `councils/` on disk);
//! - `data-index`, `data-root` and `data-*-url` attributes holding a root path
//!   (`data-index="/search/index/"`) become relative too, without `index.html`: scripts
//!   fetch from them;
//! - `<link rel="canonical">` and `<meta property="og:url">` hold the page's full URL,
//!   built from `base_url` (the only absolute URLs in a page): set on the template's own,
//!   or added at the end of `<head>` when it has none.
//!
//! The 404 page is served at any depth, so its links stay root paths under `base_url`'s
//! path. Pure: text in, text out.
//!
//! Pages are read quickly (`scan.rs`) when their markup is the plain kind templates write,
//! and by lol_html otherwise (an SVG chart, a `<noscript>`); both give the same bytes.
//!
//! A decision page's body, most of its bytes, is written with its links already relative
//! ([`page_link`]) and put into the page after this pass, which then reads only the page
//! around it (`Renderer::decision`).

mod scan;

use lol_html::html_content::{ContentType, Element, EndTag};
use lol_html::{element, rewrite_str, text, RewriteStrSettings};

use crate::config::Settings;
use crate::diagnostics::Diagnostic;

/// How a page's root links are rewritten.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode<'a> {
    /// Relative, through this many `../` (the page's folder depth).
    Relative(usize),
    /// From the domain root, below this path (`/digest`, or empty).
    Rooted(&'a str),
}

/// The page at `file` (`decisions/21-019-020/index.html`, `404.html`) with its root links
/// made relative and its canonical URL added.
pub fn finish(file: &str, html: &str, settings: &Settings) -> Result<String, Diagnostic> {
    let (mode, canonical) = plan(file, settings);
    if let Some(page) = scan::finish(html, mode, canonical.as_deref()) {
        return Ok(page);
    }
    #[cfg(test)]
    FULL_READINGS.with(|n| n.set(n.get() + 1));
    rewrite_str(html, rewriter(html, mode, canonical)).map_err(|e| {
        Diagnostic::error(
            file,
            format!("could not make the page's links relative: {e}"),
        )
    })
}

#[cfg(test)]
thread_local! {
    /// How many pages this thread has finished through lol_html, not the quick reading.
    pub(crate) static FULL_READINGS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// [`finish`]'s two readings of the page at `file`, for the differential fuzz target: the
/// quick one (`None` when it leaves the page to lol_html) and lol_html's.
#[doc(hidden)]
pub fn both_readings(
    file: &str,
    html: &str,
    settings: &Settings,
) -> (Option<String>, Result<String, String>) {
    let (mode, canonical) = plan(file, settings);
    let quick = scan::finish(html, mode, canonical.as_deref());
    let full = rewrite_str(html, rewriter(html, mode, canonical)).map_err(|e| e.to_string());
    (quick, full)
}

/// What [`finish`] makes of a link `url` in an `href` or `src` of the page at `file`
/// (`None`: left as it is), for HTML the page's own code writes into it after the
/// finishing pass. The address is as it will be written, before HTML escaping.
pub fn page_link(file: &str, url: &str, settings: &Settings) -> Option<String> {
    rewrite(url, mode_for(file, settings), true)
}

/// The page served at any depth.
const NOT_FOUND: &str = "404.html";

/// How the links of the page at `file` are rewritten, and its canonical URL (none for the
/// 404 page).
fn plan<'a>(file: &str, settings: &'a Settings) -> (Mode<'a>, Option<String>) {
    let canonical = (file != NOT_FOUND).then(|| settings.absolute_url(page_path(file)));
    (mode_for(file, settings), canonical)
}

/// `href`, `src`, `action` and `poster`, in any case: the attributes that hold a link,
/// pointed at a folder's `index.html`.
fn is_link(name: &str) -> bool {
    ["href", "src", "action", "poster"]
        .iter()
        .any(|n| name.eq_ignore_ascii_case(n))
}

/// The canonical link and og:url added before `</head>` for `url`, each unless the page
/// has its own (`seen`: 1 the canonical link, 2 og:url).
fn canonical_tags(url: &str, seen: u8) -> String {
    let url = super::xml_escape(url);
    let mut tags = String::new();
    if seen & 1 == 0 {
        tags.push_str(&format!("<link rel=\"canonical\" href=\"{url}\">\n"));
    }
    if seen & 2 == 0 {
        tags.push_str(&format!("<meta property=\"og:url\" content=\"{url}\">\n"));
    }
    tags
}

fn mode_for<'a>(file: &str, settings: &'a Settings) -> Mode<'a> {
    if file == NOT_FOUND {
        Mode::Rooted(settings.base_path())
    } else {
        Mode::Relative(file.matches('/').count())
    }
}

type EndTagHandler = Box<dyn FnOnce(&mut EndTag<'_>) -> lol_html::HandlerResult>;

fn rewriter<'h>(
    html: &'h str,
    mode: Mode<'h>,
    canonical: Option<String>,
) -> RewriteStrSettings<'h, 'static> {
    // The parser reads `<noscript>` as text (scripts run); its markup is rewritten as
    // HTML of its own, gathered first since text can arrive in pieces.
    let mut noscript = String::new();
    // Which of the two the template wrote itself: 1 the canonical link, 2 og:url.
    let seen = std::rc::Rc::new(std::cell::Cell::new(0u8));
    let (seen_end, canonical_end) = (seen.clone(), canonical.clone());
    RewriteStrSettings::new()
        // Only attributes change, so markup the parser cannot place for sure is kept as it
        // is rather than failing the page.
        .with_strict(false)
        .append_element_content_handler(element!("*", move |el| {
            rewrite_attributes(el, html, mode);
            Ok(())
        }))
        .append_element_content_handler(element!(
            r#"link[rel="canonical"], meta[property="og:url"]"#,
            move |el| {
                // A template's own canonical link: the page's full URL, not a relative one.
                if let Some(url) = &canonical {
                    let (attr, bit) = if el.tag_name() == "link" {
                        ("href", 1)
                    } else {
                        ("content", 2)
                    };
                    seen.set(seen.get() | bit);
                    let _ = el.set_attribute(attr, url);
                }
                Ok(())
            }
        ))
        .append_element_content_handler(element!("head", move |el| {
            if let Some(url) = canonical_end.clone() {
                let seen = seen_end.clone();
                let add: EndTagHandler = Box::new(move |end: &mut EndTag<'_>| {
                    end.before(&canonical_tags(&url, seen.get()), ContentType::Html);
                    Ok(())
                });
                el.on_end_tag(add)?;
            }
            Ok(())
        }))
        .append_element_content_handler(text!("noscript", move |t| {
            noscript.push_str(t.as_str());
            if t.last_in_text_node() {
                let inner = rewrite_str(&noscript, rewriter(&noscript, mode, None))?;
                t.replace(&inner, ContentType::Html);
                noscript.clear();
            } else {
                t.remove();
            }
            Ok(())
        }))
}

/// The site path of a page file: `decisions/x/index.html` -> `decisions/x/`.
fn page_path(file: &str) -> &str {
    file.strip_suffix("index.html").unwrap_or(file)
}

fn rewrite_attributes(el: &mut Element<'_, '_>, html: &str, mode: Mode<'_>) {
    // Names and values are read where they stand in `html` (lol_html would copy each into
    // a new string); an attribute with no place there (none here: the handlers add none
    // before this one) is read by copy.
    let read = |at: Option<lol_html::html_content::SourceLocation>, copy: &dyn Fn() -> String| {
        at.and_then(|l| html.get(l.bytes())).map_or_else(
            || std::borrow::Cow::Owned(copy()),
            std::borrow::Cow::Borrowed,
        )
    };
    let changes: Vec<(String, String)> = el
        .attributes()
        .iter()
        .filter_map(|a| {
            let name = read(a.name_source_location(), &|| a.name());
            let name = name.as_ref();
            let link = is_link(name);
            if !link && !is_data_url(name) {
                return None;
            }
            let value = read(a.value_source_location(), &|| a.value());
            rewrite(&value, mode, link).map(|v| (name.to_ascii_lowercase(), v))
        })
        .collect();
    for (name, value) in changes {
        // The names were read from the element itself, so they are valid.
        let _ = el.set_attribute(&name, &value);
    }
}

/// `data-index`, `data-root` and `data-*-url`, in any case.
fn is_data_url(name: &str) -> bool {
    let n = name.as_bytes();
    let starts = n.len() >= 5 && n[..5].eq_ignore_ascii_case(b"data-");
    let ends = n.len() >= 4 && n[n.len() - 4..].eq_ignore_ascii_case(b"-url");
    starts
        && (ends
            || name.eq_ignore_ascii_case("data-index")
            || name.eq_ignore_ascii_case("data-root"))
}

/// `url` rewritten for `mode` when it is a root path (`/x/`, not `//host/x/`), else `None`.
/// `to_index` points a link to a folder at the folder's `index.html`.
fn rewrite(url: &str, mode: Mode<'_>, to_index: bool) -> Option<String> {
    let rest = url.strip_prefix('/').filter(|r| !r.starts_with('/'))?;
    Some(match mode {
        Mode::Rooted(base) => format!("{base}/{rest}"),
        Mode::Relative(depth) => {
            // Put together piece by piece: every link of every page comes through here.
            let split = rest
                .bytes()
                .position(|b| b == b'?' || b == b'#')
                .unwrap_or(rest.len());
            let (path, tail) = rest.split_at(split);
            let index = if to_index && (path.is_empty() || path.ends_with('/')) {
                "index.html"
            } else {
                ""
            };
            let mut out = String::with_capacity(2 + 3 * depth + rest.len() + index.len());
            if depth == 0 && path.is_empty() && index.is_empty() {
                out.push_str("./");
            }
            for _ in 0..depth {
                out.push_str("../");
            }
            out.push_str(path);
            out.push_str(index);
            out.push_str(tail);
            out
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn settings(base: &str) -> Settings {
        let overrides = crate::config::Overrides {
            base_url: Some(base.to_string()),
            output: None,
        };
        Settings::from_config(
            Path::new("site"),
            crate::config::Config::default(),
            &overrides,
        )
        .expect("valid base URL")
    }

    #[test]
    fn reads_attribute_names_in_any_case_and_unicode_values() {
        let html = "<html><head></head><body><A HREF='/councils/'>c</A><div DATA-Index=\"/search/index/\" data-map-URL=\"/m/\" data-é=\"/x/\"></div><a title=\"€\" href=\"/é/\">é</a></body></html>";
        let out = finish("a/index.html", html, &settings("https://x.org/")).expect("finished");
        assert!(out.contains("HREF=\"../councils/index.html\""), "{out}");
        assert!(out.contains("DATA-Index=\"../search/index/\""), "{out}");
        assert!(out.contains("data-map-URL=\"../m/\""), "{out}");
        assert!(out.contains("data-é=\"/x/\""), "{out}");
        assert!(out.contains("href=\"../é/index.html\""), "{out}");
    }

    #[test]
    fn makes_root_links_relative_to_the_page_depth() {
        let r = |url, depth| rewrite(url, Mode::Relative(depth), true);
        assert_eq!(r("/", 0).as_deref(), Some("index.html"));
        assert_eq!(r("/councils/", 0).as_deref(), Some("councils/index.html"));
        assert_eq!(
            r("/decisions/1/#p2", 2).as_deref(),
            Some("../../decisions/1/index.html#p2")
        );
        assert_eq!(
            r("/search/?q=care", 1).as_deref(),
            Some("../search/index.html?q=care")
        );
        assert_eq!(
            r("/static/style.css", 3).as_deref(),
            Some("../../../static/style.css")
        );
    }

    #[test]
    fn data_attributes_keep_folders_as_folders() {
        let r = |url, depth| rewrite(url, Mode::Relative(depth), false);
        assert_eq!(r("/search/index/", 1).as_deref(), Some("../search/index/"));
        assert_eq!(r("/", 0).as_deref(), Some("./"));
    }

    #[test]
    fn leaves_other_links_alone() {
        for url in [
            "https://www.lgo.org.uk/",
            "//cdn.example/x.js",
            "#main",
            "mailto:a@b.c",
            "style.css",
            "",
        ] {
            assert_eq!(rewrite(url, Mode::Relative(2), true), None, "{url}");
        }
    }

    #[test]
    fn the_404_page_links_from_the_base_path() {
        let s = settings("https://user.github.io/digest/");
        let out = finish(
            "404.html",
            r#"<head></head><a href="/decisions/">d</a>"#,
            &s,
        )
        .expect("rewrites");
        assert!(out.contains(r#"href="/digest/decisions/""#), "{out}");
        assert!(!out.contains("canonical"), "{out}");
    }

    #[test]
    fn rewrites_every_link_attribute_and_adds_the_canonical_url() {
        let s = settings("https://user.github.io/digest/");
        let html = r#"<html><head><link rel="stylesheet" href="/static/style.css"></head><body><form action="/search/"><img src="/a.png" alt=""></form><div data-index="/search/index/" data-label="/not/a/url"></div><a href="https://elsewhere.org/x">x</a><noscript><a href="/councils/">c</a></noscript></body></html>"#;
        let out = finish("decisions/1/index.html", html, &s).expect("rewrites");
        for want in [
            r#"href="../../static/style.css""#,
            r#"action="../../search/index.html""#,
            r#"src="../../a.png""#,
            r#"data-index="../../search/index/""#,
            r#"href="https://elsewhere.org/x""#,
            r#"<noscript><a href="../../councils/index.html">c</a></noscript>"#,
            r#"data-label="/not/a/url""#,
            r#"<link rel="canonical" href="https://user.github.io/digest/decisions/1/">"#,
            r#"<meta property="og:url" content="https://user.github.io/digest/decisions/1/">"#,
        ] {
            assert!(out.contains(want), "{want} in {out}");
        }
    }

    #[test]
    fn makes_a_templates_own_canonical_link_absolute_and_adds_no_second() {
        let s = settings("https://x.org/d/");
        let html = r#"<head><link rel="canonical" href="/a/"></head>"#;
        let out = finish("a/index.html", html, &s).expect("rewrites");
        assert_eq!(
            out,
            "<head><link rel=\"canonical\" href=\"https://x.org/d/a/\">\
             <meta property=\"og:url\" content=\"https://x.org/d/a/\">\n</head>"
        );
    }

    #[test]
    fn escapes_the_canonical_url() {
        let s = settings("https://x.org/");
        let out = finish("a&b/index.html", "<head></head>", &s).expect("rewrites");
        assert!(out.contains(r#"href="https://x.org/a&amp;b/""#), "{out}");
    }
}
