//! `casebook check`'s content rules: what must hold of every content file before a deploy.
//!
//! Loading already rejects bad TOML, missing or mistyped fields, impossible dates, unknown
//! outcomes and duplicate references. On top of that, this checks that every paragraph a
//! decision points at exists (its own "paragraph 27" references, and the paragraphs its
//! findings and remedies cite), that paragraphs are numbered without gaps, and warns about
//! fields a reader will miss. The plain-English summary is checked as a set of claims:
//! every statement about the investigation, fault, injustice and remedies must point at a
//! paragraph or the Ombudsman's summary, and every amount, person and date must be in the
//! decision ([`summary::trace`]). Every problem names the file, line and column.

use std::collections::BTreeSet;

use crate::content::{self, refs, ContentFile};
use crate::diagnostics::Diagnostic;
use crate::summary::{self, trace, Origin};

/// The problems in one loaded decision whose file text is `text`.
pub fn check_decision(file: &ContentFile, text: &str) -> Vec<Diagnostic> {
    let decision = &file.decision;
    let numbers = refs::paragraph_numbers(&decision.body);
    let mut out = Vec::new();
    let body_offset = content::split::split(text).map_or(0, |s| text.len() - s.body.len());
    for r in refs::paragraph_refs(&decision.body) {
        if !numbers.contains(&r.number) {
            out.push(
                Diagnostic::error(
                    &file.path,
                    format!(
                        "the text refers to paragraph {}, which does not exist",
                        r.number
                    ),
                )
                .at_span(text, body_offset + r.span.start, body_offset + r.span.end)
                .expected(expected_range(&numbers)),
            );
        }
    }
    let cited = [
        ("fault_paragraph", decision.findings.fault_paragraph),
        ("injustice_paragraph", decision.findings.injustice_paragraph),
    ]
    .into_iter()
    .chain(decision.remedies.iter().map(|r| ("paragraph", r.paragraph)));
    for (key, paragraph) in cited {
        let Some(n) = paragraph else { continue };
        if !numbers.contains(&n) {
            let offset = find_value(text, key, n).unwrap_or(0);
            out.push(
                Diagnostic::error(
                    &file.path,
                    format!("`{key} = {n}` cites a paragraph that does not exist"),
                )
                .at_span(text, offset, offset + key.len())
                .expected(expected_range(&numbers)),
            );
        }
    }
    if let Some(gap) = first_gap(&numbers) {
        out.push(Diagnostic::warning(
            &file.path,
            format!("paragraph {gap} is missing: the paragraphs are not numbered continuously"),
        ));
    }
    for (missing, field) in [
        (decision.outcome.is_none(), "outcome"),
        (decision.decision_date.is_none(), "decision_date"),
        (decision.category.is_none(), "category"),
    ] {
        if missing {
            out.push(Diagnostic::warning(
                &file.path,
                format!("no `{field}`: the decision will be listed without one"),
            ));
        }
    }
    if let Some(what) = &decision.incomplete {
        let offset = find_key(text, "incomplete").unwrap_or(0);
        out.push(
            Diagnostic::warning(
                &file.path,
                format!("this copy of the decision is incomplete ({what}): its page says so"),
            )
            .at_span(text, offset, offset + "incomplete".len()),
        );
    }
    out.extend(summary_problems(file, text));
    if let Some(url) = &decision.source_url {
        if !url.starts_with("https://") && !url.starts_with("http://") {
            let offset = find_key(text, "source_url").unwrap_or(0);
            out.push(
                Diagnostic::error(&file.path, format!("`{url}` is not a web address"))
                    .at_span(text, offset, offset + "source_url".len())
                    .expected("an address starting with https://"),
            );
        }
    }
    out
}

/// The plain-English summary's claims that the decision does not support: errors for the
/// generated summary (a fault in casebook), warnings for an editor's (`plain_summary`).
fn summary_problems(file: &ContentFile, text: &str) -> Vec<Diagnostic> {
    let s = summary::summarise(&file.decision);
    trace::untraceable(&file.decision, &s)
        .into_iter()
        .map(|problem| match s.origin {
            Origin::Generated => Diagnostic::error(
                &file.path,
                format!("the generated plain-English summary: {problem}"),
            )
            .expected("every claim traced to the decision: please report this"),
            Origin::Editor => {
                let offset = find_key(text, "plain_summary").unwrap_or(0);
                Diagnostic::warning(&file.path, format!("`plain_summary`: {problem}")).at_span(
                    text,
                    offset,
                    offset + "plain_summary".len(),
                )
            }
        })
        .collect()
}

fn expected_range(numbers: &BTreeSet<u32>) -> String {
    match (numbers.first(), numbers.last()) {
        (Some(a), Some(b)) => format!("a paragraph from {a} to {b}"),
        _ => "a decision with numbered paragraphs".to_string(),
    }
}

fn first_gap(numbers: &BTreeSet<u32>) -> Option<u32> {
    (1..)
        .zip(numbers.iter())
        .find(|(expected, n)| *n != expected)
        .map(|(expected, _)| expected)
}

fn find_key(text: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with(key) {
            return Some(offset + line.len() - line.trim_start().len());
        }
        offset += line.len();
    }
    None
}

fn find_value(text: &str, key: &str, value: u32) -> Option<usize> {
    let wanted = format!("{key} = {value}");
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim() == wanted {
            return Some(offset + line.len() - line.trim_start().len());
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn file(text: &str) -> ContentFile {
        let path = Path::new("content/decisions/2020/20-000-001.md");
        let decision = content::load::parse_decision(path, text).expect("valid file");
        ContentFile {
            path: path.to_path_buf(),
            decision,
        }
    }

    const HEAD: &str =
        "+++\nreference = \"20 000 001\"\ncouncil = \"A Council\"\noutcome = \"Upheld\"\n\
                        decision_date = 2020-01-02\ncategory = \"Education\"\n";

    #[test]
    fn can_pass_a_sound_decision() {
        let text = format!("{HEAD}+++\n\n## A\n\n1. One.\n2. As paragraph 1 says.\n");
        assert!(check_decision(&file(&text), &text).is_empty());
    }

    #[test]
    fn errors_on_a_reference_to_a_missing_paragraph_at_its_place() {
        let text = format!("{HEAD}+++\n\n## A\n\n1. One.\n2. See paragraphs 1 and 7.\n");
        let d = check_decision(&file(&text), &text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("paragraph 7"));
        let loc = d[0].location.expect("located");
        assert_eq!((loc.line, loc.column), (12, 25));
        assert_eq!(d[0].expected.as_deref(), Some("a paragraph from 1 to 2"));
    }

    #[test]
    fn errors_on_a_remedy_citing_a_missing_paragraph() {
        let text = format!(
            "{HEAD}\n[[remedies]]\nkind = \"apology\"\ntext = \"Apologise.\"\nparagraph = 9\n+++\n\n1. One.\n"
        );
        let d = check_decision(&file(&text), &text);
        assert_eq!(d[0].location.expect("located").line, 11);
        // The summary's sentence about the apology points at the same missing paragraph.
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(d[1].message.contains("plain-English summary"), "{d:?}");
        assert!(d[1]
            .message
            .contains("paragraph 9, which the decision does not have"));
    }

    #[test]
    fn errors_on_a_summary_claim_that_points_nowhere() {
        // A remedy with no paragraph and no Ombudsman's summary to come from.
        let text = format!(
            "{HEAD}\n[[remedies]]\nkind = \"apology\"\ntext = \"Apologise to Mr X.\"\nto = \"Mr X\"\n+++\n\n1. Mr X complains.\n"
        );
        let d = check_decision(&file(&text), &text);
        assert!(
            d.iter().any(|d| d
                .message
                .contains("points at the Ombudsman's summary, which the decision does not have")),
            "{d:?}"
        );
    }

    #[test]
    fn warns_about_gaps_and_missing_fields() {
        let text = "+++\nreference = \"20 000 001\"\ncouncil = \"A\"\n+++\n\n1. One.\n3. Three.\n";
        let d = check_decision(&file(text), text);
        let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert!(
            messages
                .iter()
                .any(|m| m.contains("paragraph 2 is missing")),
            "{messages:?}"
        );
        assert_eq!(d.iter().filter(|d| d.is_error()).count(), 0);
        assert_eq!(d.len(), 4);
    }
}

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

/// Every internal link (`href` and `src`) in the built `files` that points at no file, or at
/// an `#anchor` its page does not have. Internal links are relative ones (resolved against
/// their page), those under `base_url` and root-relative ones; links to other sites are
/// not followed.
pub fn broken_links(
    files: &std::collections::BTreeMap<String, Vec<u8>>,
    base_url: &str,
) -> Vec<BrokenLink> {
    use std::sync::LazyLock;
    static LINK: LazyLock<regex::Regex> =
        LazyLock::new(|| regex::Regex::new(r#"(?:href|src)="([^"]*)""#).expect("static regex"));
    let base = base_url.trim_end_matches('/');
    let base_path = base
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
        .unwrap_or("");
    let mut out = Vec::new();
    for (page, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        for caps in LINK.captures_iter(&html) {
            let Some(href) = caps.get(1).map(|m| m.as_str().replace("&amp;", "&")) else {
                continue;
            };
            let local = if let Some(rest) = href.strip_prefix(base) {
                rest.to_string()
            } else if href.starts_with('/') && !href.starts_with("//") {
                href.strip_prefix(base_path).unwrap_or(&href).to_string()
            } else if href.starts_with('#') {
                format!("/{page}{href}")
            } else if let Some(local) = resolve_relative(page, &href) {
                local
            } else {
                continue;
            };
            if let Some(reason) = resolve(files, &local) {
                out.push(BrokenLink {
                    page: page.clone(),
                    href,
                    reason,
                });
            }
        }
    }
    out
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

/// Why `link` (a path below the site root, with an optional query and `#fragment`) does
/// not resolve in `files`, or `None` when it does.
fn resolve(files: &std::collections::BTreeMap<String, Vec<u8>>, link: &str) -> Option<String> {
    let (path, fragment) = link
        .split_once('#')
        .map_or((link, None), |(p, f)| (p, Some(f)));
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    let path = path.trim_start_matches('/');
    let candidates = if path.is_empty() || path.ends_with('/') {
        vec![format!("{path}index.html")]
    } else {
        vec![path.to_string(), format!("{path}/index.html")]
    };
    let Some(target) = candidates.iter().find_map(|c| files.get(c)) else {
        return Some("no such page or file".to_string());
    };
    let fragment = fragment.filter(|f| !f.is_empty())?;
    let html = String::from_utf8_lossy(target);
    let has_anchor = html.contains(&format!("id=\"{fragment}\""))
        || html.contains(&format!("name=\"{fragment}\""));
    (!has_anchor).then(|| format!("the page has no anchor `#{fragment}`"))
}

#[cfg(test)]
mod link_tests {
    use super::*;
    use std::collections::BTreeMap;

    fn site(pages: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
        pages
            .iter()
            .map(|(p, h)| ((*p).to_string(), h.as_bytes().to_vec()))
            .collect()
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
