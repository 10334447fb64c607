//! Snapshots of what readers see: the `<main>` of a decision page and of a listing, built
//! in memory (through `MemorySink`, as `serve` will) from the `basic` fixture site.
//! Review changes with `cargo insta review`; never accept them blindly.

mod common;

use casebook::config::{Overrides, Settings};
use casebook::output::MemorySink;

fn build_basic() -> MemorySink {
    let t = common::SiteTest::fixture("sites", "basic");
    let overrides = Overrides {
        base_url: Some("https://example.org/digest/".into()),
        output: None,
    };
    let settings = Settings::load(&t.root, &overrides).expect("config");
    let sink = MemorySink::new();
    let report = casebook::build(&settings, &sink).expect("builds");
    assert_eq!(report.decisions, 2);
    sink
}

fn main_of(sink: &MemorySink, path: &str) -> String {
    let bytes = sink
        .get(path)
        .unwrap_or_else(|| panic!("{path} was not built"));
    let html = String::from_utf8(bytes).expect("utf-8");
    let start = html.find("<main").expect("<main>");
    let end = html.find("</main>").expect("</main>") + "</main>".len();
    html[start..end].to_string()
}

#[test]
fn decision_page_main() {
    let sink = build_basic();
    insta::assert_snapshot!(main_of(&sink, "decisions/22-000-001/index.html"));
}

#[test]
fn council_listing_main() {
    let sink = build_basic();
    insta::assert_snapshot!(main_of(&sink, "councils/fixture-county-council/index.html"));
}

#[test]
fn category_index_main() {
    let sink = build_basic();
    insta::assert_snapshot!(main_of(&sink, "categories/index.html"));
}
