//! The built site for every reader, measured in Debian's headless Chromium:
//! - axe-core (WCAG 2.2 A and AA, and best practice) finds no violation on any page type,
//!   at 1280 and 375 px, in the light and the dark colour scheme;
//! - no page scrolls sideways at 320 px or at 640 px (1280 px at 200% zoom);
//! - a decision printed to PDF holds what a reader needs on paper, without navigation;
//! - the site opened from disk: the search page says it needs serving, and how.
//!
//! The audit runs `tests/browser-tools/audit.mjs` (axe-core and playwright-core from npm,
//! installed by `npm ci --prefix tests/browser-tools`; CI does it). Screenshots of every
//! view are kept in `target/screenshots/a11y/`.

#[path = "support/chromium.rs"]
mod chromium;
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{repo, SiteTest};

/// `target/screenshots/<sub>/`, beside the test binaries.
fn screenshots(sub: &str) -> PathBuf {
    let bin = Path::new(env!("CARGO_BIN_EXE_casebook"));
    let target = bin
        .parent()
        .and_then(Path::parent)
        .expect("the binary sits in target/<profile>/");
    let dir = target.join("screenshots").join(sub);
    std::fs::create_dir_all(&dir).expect("screenshots folder");
    dir
}

/// The default site with one more decision about the same council, category, outcome and
/// year as 18 014 059, and one decision per listing page: every page type has a second page.
fn site_with_second_pages() -> SiteTest {
    let t = SiteTest::default_site();
    let config = t.root.join("config.toml");
    let text = std::fs::read_to_string(&config).expect("config");
    let text = text.replace("paginate_by = 30", "paginate_by = 1");
    std::fs::write(&config, text).expect("write config");
    let first = t.root.join("content/decisions/2019/18-014-059.md");
    let twin = std::fs::read_to_string(&first)
        .expect("seed decision")
        .replacen(
            "reference = \"18 014 059\"",
            "reference = \"18 014 060\"",
            1,
        );
    std::fs::write(t.root.join("content/decisions/2019/18-014-060.md"), twin).expect("twin");
    let run = t.run(&["build"]);
    assert!(run.success, "{}", run.stderr);
    t
}

/// Pages to audit, as (name, path, selector to wait for).
type Pages = Vec<(String, String, Option<&'static str>)>;

/// Every page type, as (name, path, selector to wait for).
fn pages(t: &SiteTest) -> Pages {
    let mut pages: Pages = [
        ("home", ""),
        ("decision", "decisions/18-014-059/"),
        ("decisions", "decisions/"),
        ("decisions-2", "decisions/page/2/"),
        ("councils", "councils/"),
        ("council", "councils/northamptonshire-county-council/"),
        (
            "council-2",
            "councils/northamptonshire-county-council/page/2/",
        ),
        ("categories", "categories/"),
        ("category", "categories/children-s-care-services/"),
        ("category-2", "categories/children-s-care-services/page/2/"),
        ("subcategory", "categories/children-s-care-services/other/"),
        (
            "subcategory-2",
            "categories/children-s-care-services/other/page/2/",
        ),
        ("outcomes", "outcomes/"),
        ("outcome", "outcomes/upheld/"),
        ("outcome-2", "outcomes/upheld/page/2/"),
        ("years", "years/"),
        ("year", "years/2019/"),
        ("year-2", "years/2019/page/2/"),
        ("search", "search/"),
        ("statistics", "statistics/"),
        ("about", "about/"),
        ("using-the-data", "using-the-data/"),
        ("404", "no-such-page/"),
    ]
    .into_iter()
    .map(|(n, p)| (n.to_string(), p.to_string(), None))
    .collect();
    for (name, path, _) in &pages {
        if name != "404" {
            let file = t.public().join(path).join("index.html");
            assert!(file.is_file(), "{name}: no page at {}", file.display());
        }
    }
    pages.push((
        "search-results".into(),
        "search/?q=care".into(),
        Some("#search-results li"),
    ));
    pages.push((
        "search-no-results".into(),
        "search/?q=zebracrossingxyz".into(),
        Some("#search-status:not(:empty)"),
    ));
    pages
}

/// Runs the audit script on `pages` of the built site; returns its results.
fn audit(t: &SiteTest, pages: Pages, views: serde_json::Value) -> Vec<serde_json::Value> {
    let tools = repo().join("tests/browser-tools");
    assert!(
        tools.join("node_modules/axe-core").is_dir()
            && tools.join("node_modules/playwright-core").is_dir(),
        "this test needs axe-core and playwright-core: run `npm ci --prefix tests/browser-tools` \
         (CI does it)"
    );
    let pages: Vec<serde_json::Value> = pages
        .into_iter()
        .map(|(name, path, wait)| serde_json::json!({"name": name, "path": path, "waitFor": wait}))
        .collect();
    let config = serde_json::json!({
        "root": t.public(),
        "chromium": chromium::path(),
        "flags": chromium::FLAGS,
        "screenshots": screenshots("a11y"),
        "pages": pages,
        "views": views,
    });
    let config_path = t.dir.path().join("audit.json");
    std::fs::write(&config_path, config.to_string()).expect("write audit config");
    let out = Command::new("node")
        .arg(tools.join("audit.mjs"))
        .arg(&config_path)
        .output()
        .expect("run node (Debian package nodejs)");
    assert!(
        out.status.success(),
        "the audit failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("the audit prints JSON");
    report["results"].as_array().expect("results").clone()
}

fn view(width: u32, scheme: &str, axe: bool) -> serde_json::Value {
    serde_json::json!({"width": width, "height": 900, "scheme": scheme, "axe": axe})
}

/// The six views every page is seen in: axe at 1280 and 375 px in both schemes, reflow
/// at 320 px and at 640 px (1280 px at 200% zoom).
fn every_view() -> serde_json::Value {
    serde_json::json!([
        view(1280, "light", true),
        view(1280, "dark", true),
        view(375, "light", true),
        view(375, "dark", true),
        view(320, "light", false),
        view(640, "dark", false),
    ])
}

/// Every axe violation and sideways scroll in `results`, one line each.
fn problems(results: &[serde_json::Value]) -> Vec<String> {
    let mut problems = Vec::new();
    for r in results {
        let place = format!(
            "{} (/{}) at {} px, {} scheme",
            r["page"].as_str().unwrap_or("?"),
            r["path"].as_str().unwrap_or("?"),
            r["width"],
            r["scheme"].as_str().unwrap_or("?")
        );
        for v in r["violations"].as_array().into_iter().flatten() {
            problems.push(format!(
                "{place}: {} ({}, {}): {}",
                v["id"].as_str().unwrap_or("?"),
                v["impact"].as_str().unwrap_or("?"),
                v["help"].as_str().unwrap_or(""),
                v["targets"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|t| t.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let (scroll, client) = (r["scrollWidth"].as_u64(), r["clientWidth"].as_u64());
        if scroll > client {
            problems.push(format!(
                "{place}: scrolls sideways ({scroll:?} px of content in {client:?} px)"
            ));
        }
    }
    problems
}

#[test]
fn every_page_type_passes_axe_and_reflows_in_both_schemes() {
    let t = site_with_second_pages();
    let results = audit(&t, pages(&t), every_view());
    let expected = pages(&t).len() * 6;
    assert_eq!(results.len(), expected, "every page in every view");
    let problems = problems(&results);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The folder under `public/<taxonomy>/` holding the most decisions' pages.
fn biggest_term(t: &SiteTest, taxonomy: &str) -> String {
    let dir = t.public().join(taxonomy);
    let name = std::fs::read_dir(&dir)
        .expect("taxonomy folder")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| {
            let pages = std::fs::read_dir(e.path().join("page")).map_or(0, Iterator::count);
            (pages, e.file_name().to_string_lossy().into_owned())
        })
        .max()
        .expect("a term")
        .1;
    format!("{taxonomy}/{name}/")
}

#[test]
fn the_statistics_pages_and_full_glance_panels_pass_axe_and_reflow() {
    let t = SiteTest::generated(160);
    let pages: Pages = [
        ("statistics".to_string(), "statistics/".to_string()),
        ("council-glance".into(), biggest_term(&t, "councils")),
        ("category-glance".into(), biggest_term(&t, "categories")),
        ("year-glance".into(), biggest_term(&t, "years")),
        ("outcome-glance".into(), "outcomes/upheld/".into()),
    ]
    .into_iter()
    .map(|(name, path)| (name, path, None))
    .collect();
    for (name, path, _) in &pages {
        let html = std::fs::read_to_string(t.public().join(path).join("index.html"))
            .unwrap_or_else(|e| panic!("{name}: {path}: {e}"));
        assert!(
            name == "statistics" || html.contains("class=\"glance\""),
            "{name}: no glance panel at {path}"
        );
        assert!(html.contains("%"), "{name}: no percentage at {path}");
    }
    let results = audit(&t, pages.clone(), every_view());
    assert_eq!(results.len(), pages.len() * 6, "every page in every view");
    let problems = problems(&results);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Runs headless Chromium with `args` on `url` and returns its stdout.
fn chromium_run(args: &[String], url: &str) -> String {
    let profile = tempfile::tempdir().expect("profile dir");
    let out = chromium::command(profile.path())
        .args(args)
        .arg(url)
        .output()
        .expect("start chromium");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_decision_prints_with_its_facts_summary_paragraphs_and_source_without_navigation() {
    let t = SiteTest::default_site();
    assert!(t.run(&["build"]).success);
    let page = t.public().join("decisions/18-014-059/index.html");
    let pdf = screenshots("print").join("decision.pdf");
    let _ = std::fs::remove_file(&pdf);
    chromium_run(
        &[
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".into(),
        ],
        &format!("file://{}", page.display()),
    );
    let bytes = std::fs::read(&pdf).unwrap_or_else(|e| panic!("{}: {e}", pdf.display()));
    assert!(bytes.starts_with(b"%PDF"), "not a PDF");
    let text = Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("run pdftotext (Debian package poppler-utils; CI installs it)");
    let text = String::from_utf8_lossy(&text.stdout);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for want in [
        "Northamptonshire County Council",
        "Key facts",
        "Decision date",
        "In plain English",
        "The decision",
        "1. ",
        "https://www.lgo.org.uk/decisions/children-s-care-services/other/18-014-059",
        "Local Government and Social Care Ombudsman, reproduced with acknowledgement",
        "Cite this decision",
    ] {
        assert!(
            flat.contains(want),
            "the printed page lacks {want:?}:\n{text}"
        );
    }
    for unwanted in [
        "Skip to main content",
        "Search decisions",
        "Atom feed",
        "Related decisions",
    ] {
        assert!(
            !flat.contains(unwanted),
            "the printed page shows {unwanted:?}:\n{text}"
        );
    }
}

#[test]
fn the_search_page_opened_from_disk_says_it_needs_serving_and_how() {
    let t = SiteTest::default_site();
    assert!(t.run(&["build"]).success);
    let page = t.public().join("search/index.html");
    let dom = chromium_run(
        &["--dump-dom".into(), "--virtual-time-budget=3000".into()],
        &format!("file://{}?q=care", page.display()),
    );
    assert!(
        dom.contains("Search needs the site to be served"),
        "no notice: {dom}"
    );
    assert!(dom.contains("casebook serve"), "says how: {dom}");
}
