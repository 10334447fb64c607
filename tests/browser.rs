//! What a reader sees: the default site built with the real binary, opened in headless
//! Chromium (Debian package `chromium`). Screenshots are kept under
//! `target/screenshots/` as test artifacts.

#[path = "support/chromium.rs"]
mod chromium;
mod common;

use chromium::screenshot;

fn dump_dom(url: &str) -> String {
    chromium::run(
        &[
            "--hide-scrollbars",
            "--dump-dom",
            "--virtual-time-budget=5000",
        ],
        url,
    )
}

#[test]
fn can_read_the_home_page_and_a_decision_in_a_browser() {
    let t = common::SiteTest::default_site();
    let base = format!("file://{}/", t.public().display());
    let run = t.run(&["build", "--base-url", &base]);
    assert!(run.success, "{}", run.stderr);

    let home_url = format!("{base}index.html");
    let home = dump_dom(&home_url);
    assert!(
        home.contains("<title>Ombudsman decisions digest</title>"),
        "{home}"
    );
    assert!(home.contains("Latest decisions"), "{home}");
    assert!(home.contains("Northamptonshire County Council"), "{home}");
    assert!(home.contains("role=\"search\""), "{home}");
    assert!(home.contains("numbers alone do not show"), "counts caveat");
    screenshot(&home_url, "home.png", "1280,1800");

    let decision_url = format!("{base}decisions/18-014-059/index.html");
    let page = dump_dom(&decision_url);
    assert!(
        page.contains("<title>Northamptonshire County Council (18 014 059)"),
        "title: {page}"
    );
    assert!(page.contains("<h1>Northamptonshire County Council</h1>"));
    for fact in [
        "Key facts",
        "Council",
        "Outcome",
        "Upheld",
        "25 October 2019",
        "£750",
    ] {
        assert!(page.contains(fact), "key fact {fact} missing");
    }
    assert!(page.contains("id=\"plain-summary\""));
    assert!(page.contains("<li id=\"p1\">") && page.contains("<li id=\"p27\">"));
    assert!(
        page.contains("paragraphs <a href=\"#p27\">27</a> and <a href=\"#p30\">30</a>"),
        "linked paragraph references"
    );
    assert!(
        page.contains("Read the original decision"),
        "link to the original"
    );
    assert!(page.contains("Local Government and Social Care Ombudsman"));
    screenshot(&decision_url, "decision.png", "1280,2400");
    screenshot(&decision_url, "decision-phone.png", "390,2000");
}
