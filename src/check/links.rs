//! `casebook check`'s link rule: every internal link (`href` and `src`) of the built site
//! points at a file, and every `#anchor` at an `id` or `name` on its page.
//!
//! The build streams its files through a [`LinkSink`], which keeps of each page only what
//! the rule needs (its path, its anchors and its links, as numbers standing for strings
//! kept once) and drops the bytes, so checking a site costs about what building it costs,
//! at any size. [`LinkSink::broken`] then resolves every link at once.
//!
//! Internal links are relative ones (resolved against their page), those under the base
//! URL and root-relative ones; links to other sites are not followed.

use std::borrow::Cow;
use std::sync::{Mutex, PoisonError};

use rustc_hash::FxHashMap as HashMap;

use super::interned::{Anchors, Strings, Table};
use crate::output::{check_path, Counted, Make, OutputFile, OutputSink};

/// A link in a built page that points nowhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// The page holding the link (its path in the output).
    pub page: String,
    /// The link as written.
    pub href: String,
    /// Why it is broken.
    pub reason: String,
}

/// An output sink that checks links instead of keeping files.
#[derive(Debug)]
pub struct LinkSink {
    base: String,
    base_path: String,
    state: Mutex<State>,
}

/// One link of a page that is broken or may be: as written (`href`), and the path and
/// fragment it goes to, resolved once every file is written. Kept once however many
/// pages have it (a site of 100,000 decisions has a few million links, most of them the
/// same few hundred thousand), and each page keeps its links' numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Link {
    href: u32,
    /// The path, or [`MISSING_HERE`]: an `#anchor` of the link's own page that the page
    /// does not have, found as the page was written. (A link to an anchor its page has is
    /// not kept at all: most of a decision page's links are its own paragraphs' and
    /// terms'.)
    path: u32,
    /// The fragment, or [`NO_FRAGMENT`].
    fragment: u32,
}

/// [`Link::path`] of a link to an anchor its own page lacks.
const MISSING_HERE: u32 = u32::MAX;
/// [`Link::fragment`] of a link with no `#`.
const NO_FRAGMENT: u32 = u32::MAX;

#[derive(Debug, Default)]
struct State {
    /// Paths: of written files, and of link targets (query and leading `/` removed).
    paths: Strings,
    /// Anchor names and fragments.
    names: Strings,
    /// Links as written.
    hrefs: Strings,
    /// Each distinct link.
    links: Table<Link>,
    /// Each written file by path number: its anchors, or `None` when not a page.
    written: HashMap<u32, Option<Anchors>>,
    /// Each page's links (numbers in `links`), in the order written, by page path number.
    pages: HashMap<u32, Box<[u32]>>,
}

/// Why a link is broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Broken {
    NoFile,
    NoAnchor,
}

impl LinkSink {
    /// A sink for a site built under `base_url`.
    pub fn new(base_url: &str) -> Self {
        let base = base_url.trim_end_matches('/');
        let base_path = base
            .split_once("://")
            .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
            .unwrap_or("");
        Self {
            base: base.to_string(),
            base_path: base_path.to_string(),
            state: Mutex::new(State::default()),
        }
    }

    /// Every link of the pages written that points at no file, or at an `#anchor` its
    /// page does not have; by page path, then in the order of the page.
    pub fn broken(self) -> Vec<BrokenLink> {
        let state = self
            .state
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let mut known: HashMap<(u32, Option<u32>), Option<Broken>> = HashMap::default();
        let mut out = Vec::new();
        let mut pages: Vec<(&str, &[u32])> = state
            .pages
            .iter()
            .map(|(&page, links)| (state.paths.get(page), &**links))
            .collect();
        pages.sort_unstable_by_key(|&(page, _)| page);
        for (page, links) in pages {
            for link in links.iter().filter_map(|&id| state.links.get(id)) {
                let fragment = (link.fragment != NO_FRAGMENT).then_some(link.fragment);
                let verdict = if link.path == MISSING_HERE {
                    Some(Broken::NoAnchor)
                } else {
                    *known
                        .entry((link.path, fragment))
                        .or_insert_with(|| state.resolve(link.path, fragment))
                };
                let Some(why) = verdict else { continue };
                let fragment = fragment.map_or("", |f| state.names.get(f));
                out.push(BrokenLink {
                    page: page.to_string(),
                    href: state.hrefs.get(link.href).to_string(),
                    reason: match why {
                        Broken::NoFile => "no such page or file".to_string(),
                        Broken::NoAnchor => format!("the page has no anchor `#{fragment}`"),
                    },
                });
            }
        }
        out
    }

    /// The links of `page` as (written, root path with fragment) pairs, from its `hrefs`
    /// ([`attributes`]); `None` for a link to an anchor of `page` itself (`#p12`), which
    /// the page's own anchors settle.
    fn links_of(&self, page: &str, hrefs: &[&str]) -> Vec<(String, Option<String>)> {
        let (base, base_path) = (self.base.as_str(), self.base_path.as_str());
        let mut out = Vec::new();
        for &written in hrefs {
            let href = if written.contains("&amp;") {
                written.replace("&amp;", "&")
            } else {
                written.to_string()
            };
            let local = if let Some(rest) = href.strip_prefix(base) {
                Some(rest.to_string())
            } else if href.starts_with('/') && !href.starts_with("//") {
                Some(href.strip_prefix(base_path).unwrap_or(&href).to_string())
            } else if href.starts_with('#') {
                None
            } else if let Some(local) = resolve_relative(page, &href) {
                Some(local)
            } else {
                continue;
            };
            out.push((href, local));
        }
        out
    }
}

/// The values of a page's links (`href="..."`, `src="..."`) and of its anchors (`id="..."`,
/// `name="..."`), in page order: what the patterns `(?:href|src)="[^"]*"` and
/// `(?:id|name)="[^"]*"` find, each searched on its own as a regex's `find_iter` does
/// (one match ends before the next starts), in one pass over the page's `="`.
fn attributes(html: &str) -> (Vec<&str>, Vec<&str>) {
    let bytes = html.as_bytes();
    let (mut links, mut anchors) = (Vec::new(), Vec::new());
    // Where each search goes on from: the end of its last match.
    let (mut links_from, mut anchors_from) = (0, 0);
    for at in memchr::memmem::find_iter(bytes, b"=\"") {
        let name = &bytes[..at];
        let link = [&b"href"[..], b"src"]
            .into_iter()
            .find(|n| name.ends_with(n));
        let anchor = [&b"id"[..], b"name"]
            .into_iter()
            .find(|n| name.ends_with(n));
        if link.is_none() && anchor.is_none() {
            continue;
        }
        let start = at + 2;
        // No closing quote: neither pattern matches here or anywhere after.
        let Some(len) = memchr::memchr(b'"', &bytes[start..]) else {
            break;
        };
        // Between ASCII quotes, so on character boundaries.
        let value = html.get(start..start + len).unwrap_or_default();
        let end = start + len + 1;
        if link.is_some_and(|n| at - n.len() >= links_from) {
            links.push(value);
            links_from = end;
        }
        if anchor.is_some_and(|n| at - n.len() >= anchors_from) {
            anchors.push(value);
            anchors_from = end;
        }
    }
    (links, anchors)
}

impl State {
    /// Why the link to `path` (and `fragment`) is broken, or `None` when it resolves.
    fn resolve(&self, path: u32, fragment: Option<u32>) -> Option<Broken> {
        let path = self.paths.get(path);
        let candidates = if path.is_empty() || path.ends_with('/') {
            vec![format!("{path}index.html")]
        } else {
            vec![path.to_string(), format!("{path}/index.html")]
        };
        let Some(target) = candidates
            .iter()
            .find_map(|c| self.paths.find(c).and_then(|id| self.written.get(&id)))
        else {
            return Some(Broken::NoFile);
        };
        let fragment = fragment.filter(|f| !self.names.get(*f).is_empty())?;
        let found = target
            .as_ref()
            .is_some_and(|anchors| anchors.contains(fragment));
        (!found).then_some(Broken::NoAnchor)
    }
}

impl OutputSink for LinkSink {
    fn write(&self, file: OutputFile) -> std::io::Result<()> {
        check_path(&file.path)?;
        if !file.path.ends_with(".html") {
            self.not_a_page(&file.path);
            return Ok(());
        }
        // Pages are UTF-8: checked the fast way first.
        let html = std::str::from_utf8(&file.bytes)
            .map_or_else(|_| String::from_utf8_lossy(&file.bytes), Cow::Borrowed);
        let (hrefs, anchors) = attributes(&html);
        let links = self.links_of(&file.path, &hrefs);
        // Every update below finishes before the lock is let go: a panic cannot tear it.
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let state = &mut *state;
        let mut names: Vec<u32> = anchors.iter().map(|a| state.names.intern(a)).collect();
        names.sort_unstable();
        names.dedup();
        let links: Vec<Link> = links
            .iter()
            .filter_map(|(href, local)| {
                let Some(local) = local else {
                    // An anchor of this page, whose anchors are all known now.
                    let fragment = href.strip_prefix('#').unwrap_or(href);
                    let fragment = (!fragment.is_empty()).then(|| state.names.intern(fragment))?;
                    return names.binary_search(&fragment).is_err().then(|| Link {
                        href: state.hrefs.intern(href),
                        path: MISSING_HERE,
                        fragment,
                    });
                };
                let (path, fragment) = local
                    .split_once('#')
                    .map_or((local.as_str(), None), |(p, f)| (p, Some(f)));
                let path = path.split_once('?').map_or(path, |(p, _)| p);
                Some(Link {
                    href: state.hrefs.intern(href),
                    path: state.paths.intern(path.trim_start_matches('/')),
                    fragment: fragment.map_or(NO_FRAGMENT, |f| state.names.intern(f)),
                })
            })
            .collect();
        let links = links.into_iter().map(|l| state.links.intern(l)).collect();
        let id = state.paths.intern(&file.path);
        state.written.insert(id, Some(Anchors::new(&names)));
        state.pages.insert(id, links);
        Ok(())
    }

    /// A streamed file (the data export, hundreds of megabytes at 100,000 decisions) is
    /// an HTML page's link target only: its bytes are counted and let go, never held.
    fn write_with(&self, path: &str, make: Make<'_>) -> std::io::Result<u64> {
        if path.ends_with(".html") {
            return crate::output::gather_and_write(self, path, make);
        }
        check_path(path)?;
        let mut counted = Counted::new(std::io::sink());
        make(&mut counted)?;
        self.not_a_page(path);
        Ok(counted.bytes)
    }
}

impl LinkSink {
    /// Records a file that is not a page: a link target with no anchors.
    fn not_a_page(&self, path: &str) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let id = state.paths.intern(path);
        state.written.insert(id, None);
    }
}

/// The root path (`/decisions/1/index.html#p2`) of `href`, a link relative to `page`
/// (`councils/x/index.html`), or `None` for a link with a scheme (`mailto:`, `https:`). A
/// link that climbs above the site root resolves to no file.
fn resolve_relative(page: &str, href: &str) -> Option<String> {
    let scheme = href
        .split_once(':')
        .is_some_and(|(s, _)| !s.is_empty() && !s.contains(['/', '?', '#']));
    if href.is_empty() || href.starts_with('/') || scheme {
        return None;
    }
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    let split = href.find(['?', '#']).unwrap_or(href.len());
    let (path, tail) = href.split_at(split);
    for segment in path.split('/') {
        match segment {
            "." | "" => {}
            ".." => {
                if parts.pop().is_none() {
                    return Some(format!("/../{href}"));
                }
            }
            s => parts.push(s),
        }
    }
    let trailing = if path.ends_with('/') || path.ends_with("/.") || path == "." {
        "/"
    } else {
        ""
    };
    let joined = parts.join("/");
    let sep = if joined.is_empty() || trailing.is_empty() {
        ""
    } else {
        trailing
    };
    Some(format!("/{joined}{sep}{tail}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(pages: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
        pages
            .iter()
            .map(|(p, h)| ((*p).to_string(), h.as_bytes().to_vec()))
            .collect()
    }

    /// Streams `files` through a sink, as a build does, and returns what it found.
    fn broken_links(files: &[(String, Vec<u8>)], base_url: &str) -> Vec<BrokenLink> {
        let sink = LinkSink::new(base_url);
        for (path, bytes) in files {
            sink.write(OutputFile {
                path: path.clone(),
                bytes: bytes.clone(),
            })
            .expect("a path inside the output");
        }
        sink.broken()
    }

    /// The links and anchors of `html` as the patterns find them: the reference for
    /// [`attributes`].
    fn attributes_by_pattern(html: &str) -> (Vec<&str>, Vec<&str>) {
        fn quoted(m: &str) -> &str {
            let value = m.split_once('"').map_or("", |(_, v)| v);
            value.strip_suffix('"').unwrap_or(value)
        }
        let values = |pattern: &str| -> Vec<&str> {
            regex::Regex::new(pattern)
                .expect("pattern")
                .find_iter(html)
                .map(|m| quoted(m.as_str()))
                .collect()
        };
        (
            values(r#"(?:href|src)="[^"]*""#),
            values(r#"(?:id|name)="[^"]*""#),
        )
    }

    #[test]
    fn can_find_links_and_anchors_as_the_patterns_do() {
        for html in [
            r#"<a href="/x/" id="top">a</a><img src="s.png" name="n">"#,
            r#"<p title="grid=" id="b">x</p><a data-href="y">z</a>"#,
            r#"<a href="a"src="b"id="c"name="d">"#,
            r#"<a href="unclosed>"#,
            r#"<a href="">é</a><b id="">"#,
        ] {
            assert_eq!(attributes(html), attributes_by_pattern(html), "{html}");
        }
    }

    proptest::proptest! {
        #[test]
        fn finds_links_and_anchors_as_the_patterns_do(
            html in "(href|src|id|name|=|\"|=\"|hre|d|a| |<|>|é|x){0,40}",
        ) {
            proptest::prop_assert_eq!(attributes(&html), attributes_by_pattern(&html));
        }
    }

    #[test]
    fn can_report_pages_in_path_order_and_a_rewritten_page_once() {
        let files = site(&[
            ("b/index.html", r#"<a href="/nowhere/">n</a>"#),
            ("a/index.html", r#"<a href="/gone/">g</a>"#),
            (
                "b/index.html",
                r#"<a href="/a/">a</a><a href="/missing/">m</a>"#,
            ),
        ]);
        let broken = broken_links(&files, "https://x.org/");
        let found: Vec<(&str, &str)> = broken
            .iter()
            .map(|b| (b.page.as_str(), b.href.as_str()))
            .collect();
        assert_eq!(
            found,
            [("a/index.html", "/gone/"), ("b/index.html", "/missing/")]
        );
    }

    #[test]
    fn can_take_streamed_files_as_link_targets_and_streamed_pages_as_pages() {
        let sink = LinkSink::new("https://x.org/");
        let size = sink
            .write_with("data/decisions.json", &mut |w| {
                (0..1_000).try_for_each(|i| write!(w, "{{\"n\": {i}}},"))
            })
            .expect("streamed");
        assert!(size > 10_000, "{size}");
        sink.write_with("index.html", &mut |w| {
            w.write_all(br#"<a href="/data/decisions.json">d</a><a href="/data/x.csv">x</a>"#)
        })
        .expect("streamed page");
        assert!(sink.write_with("../out.json", &mut |_| Ok(())).is_err());
        let broken = sink.broken();
        assert_eq!(broken.len(), 1, "{broken:?}");
        assert!(broken[0].href.contains("x.csv"), "{broken:?}");
    }

    #[test]
    fn errors_on_an_anchor_into_a_file_that_is_not_a_page() {
        let files = site(&[
            (
                "index.html",
                r#"<a href="/s.css#x">s</a><a href="/s.css">t</a>"#,
            ),
            ("s.css", r#"a { } /* id="x" */"#),
        ]);
        let broken = broken_links(&files, "https://x.org/");
        assert_eq!(broken.len(), 1, "{broken:?}");
        assert_eq!(broken[0].reason, "the page has no anchor `#x`");
    }

    #[test]
    fn can_follow_internal_links_and_anchors() {
        let files = site(&[
            (
                "index.html",
                r##"<a href="https://x.org/digest/about/">a</a><a href="/digest/style.css">s</a><a href="#top">t</a><b id="top"></b>"##,
            ),
            (
                "about/index.html",
                r#"<a href="https://x.org/digest/decisions/1/#p2">p</a><a href="https://elsewhere.org/">e</a>"#,
            ),
            ("decisions/1/index.html", r#"<li id="p2">two</li>"#),
            ("style.css", ""),
        ]);
        assert!(broken_links(&files, "https://x.org/digest/").is_empty());
    }

    #[test]
    fn can_follow_relative_links() {
        let files = site(&[
            (
                "index.html",
                r#"<a href="councils/index.html">c</a><a href="./">h</a>"#,
            ),
            (
                "councils/x/index.html",
                r#"<a href="../../decisions/1/index.html#p2">p</a><a href="../">u</a><a href="../../static/s.css">s</a><a href="mailto:a@b.c">m</a>"#,
            ),
            ("councils/index.html", ""),
            ("decisions/1/index.html", r#"<li id="p2">two</li>"#),
            ("static/s.css", ""),
        ]);
        assert_eq!(broken_links(&files, "https://x.org/"), vec![]);
    }

    #[test]
    fn errors_on_broken_relative_links() {
        let files = site(&[
            (
                "councils/x/index.html",
                r#"<a href="../../decisions/9/index.html">n</a><a href="../../decisions/1/index.html#p7">a</a><a href="../../../up.html">u</a>"#,
            ),
            ("decisions/1/index.html", r#"<li id="p2">two</li>"#),
        ]);
        let broken = broken_links(&files, "https://x.org/");
        let hrefs: Vec<&str> = broken.iter().map(|b| b.href.as_str()).collect();
        assert_eq!(
            hrefs,
            [
                "../../decisions/9/index.html",
                "../../decisions/1/index.html#p7",
                "../../../up.html"
            ]
        );
    }

    /// Links to the page's own anchors are checked as the page is written; the report
    /// keeps the page's order whichever way a link was checked.
    #[test]
    fn errors_on_missing_anchors_of_the_page_itself_in_page_order() {
        let files = site(&[(
            "a/index.html",
            r##"<p id="p2"><a href="#nope">x</a><a href="/nowhere/">y</a><a href="#p2">z</a><a href="#">top</a><a href="#gone&amp;more">w</a><a href="/a/#p2">v</a></p>"##,
        )]);
        let broken = broken_links(&files, "https://x.org/");
        let found: Vec<(&str, &str, &str)> = broken
            .iter()
            .map(|b| (b.page.as_str(), b.href.as_str(), b.reason.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("a/index.html", "#nope", "the page has no anchor `#nope`"),
                ("a/index.html", "/nowhere/", "no such page or file"),
                (
                    "a/index.html",
                    "#gone&more",
                    "the page has no anchor `#gone&more`"
                ),
            ]
        );
    }

    #[test]
    fn errors_on_missing_pages_and_anchors() {
        let files = site(&[
            (
                "index.html",
                r#"<a href="https://x.org/nowhere/">n</a><a href="https://x.org/d/#p9">p</a>"#,
            ),
            ("d/index.html", r#"<li id="p2">two</li>"#),
        ]);
        let broken = broken_links(&files, "https://x.org/");
        let reasons: Vec<&str> = broken.iter().map(|b| b.reason.as_str()).collect();
        assert_eq!(
            reasons,
            ["no such page or file", "the page has no anchor `#p9`"]
        );
    }
}
