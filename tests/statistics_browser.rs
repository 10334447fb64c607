//! The statistics pages in headless Chromium (Debian package `chromium`): a council's page
//! and `/statistics/` of a generated site, at 1280 and 375 px. At 375 px the page must not
//! scroll sideways. Screenshots are kept under `target/screenshots/`.
//!
//! The width is read by a page of the test's own (`probe.html` beside each page) that
//! frames the page 375 px wide and writes its scroll width into the DOM Chromium dumps.

#[path = "support/chromium.rs"]
mod chromium;
mod common;

use common::SiteTest;

/// The page's document width and viewport width in a frame `width` px wide (headless
/// Chromium keeps windows at least 500 px wide, so the page is framed).
fn widths(t: &SiteTest, page: &str, width: u32) -> (u32, u32) {
    let dir = t.public().join(page);
    let probe = format!(
        "<!doctype html><html lang=\"en\"><title>probe</title><body>\
         <iframe id=\"f\" src=\"index.html\" style=\"width:{width}px;height:900px;border:0\">\
         </iframe><script>f.addEventListener('load', () => {{ \
         const d = f.contentDocument.documentElement; \
         document.body.setAttribute('data-widths', d.scrollWidth + ' ' + d.clientWidth); \
         }});</script></body></html>"
    );
    std::fs::write(dir.join("probe.html"), probe).expect("probe");
    let url = format!("file://{}", dir.join("probe.html").display());
    let dom = chromium::run(
        &[
            "--hide-scrollbars",
            "--allow-file-access-from-files",
            "--dump-dom",
            "--virtual-time-budget=3000",
        ],
        &url,
    );
    let at = dom.find("data-widths=\"").expect("the probe ran") + "data-widths=\"".len();
    let text = &dom[at..at + dom[at..].find('"').expect("end of attribute")];
    let mut parts = text.split(' ').map(|n| n.parse::<u32>().expect("a width"));
    (
        parts.next().expect("scroll width"),
        parts.next().expect("client width"),
    )
}

fn screenshot(t: &SiteTest, page: &str, name: &str, size: &str) {
    let url = format!(
        "file://{}",
        t.public().join(page).join("index.html").display()
    );
    chromium::screenshot(&url, name, size);
}

#[test]
fn can_read_the_statistics_on_a_phone_without_sideways_scrolling() {
    let t = SiteTest::default_site();
    std::fs::remove_dir_all(t.root.join("content/decisions")).expect("drop the seeds");
    let raw = t.dir.path().join("raw");
    for i in 0..160 {
        let page = casebook::corpus::page(i);
        casebook::fs::write_atomic(&raw.join(&page.file_name), page.text.as_bytes())
            .expect("write a raw page");
    }
    assert!(t.run(&["import", &raw.to_string_lossy()]).success);
    let base = format!("file://{}/", t.public().display());
    let run = t.run(&["build", "--base-url", &base]);
    assert!(run.success, "{}", run.stderr);
    // The council with the longest name: the widest labels a chart draws.
    let council = std::fs::read_dir(t.public().join("councils"))
        .expect("councils")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .max_by_key(|n| (n.len(), n.clone()))
        .expect("a council");
    let council = format!("councils/{council}/");
    for page in [council.as_str(), "statistics/", "categories/education/"] {
        let (scroll, client) = widths(&t, page, 375);
        assert!(
            client <= 375,
            "{page}: the viewport is a phone's ({client} px)"
        );
        assert!(
            scroll <= client,
            "{page} scrolls sideways at 375 px: {scroll} px of content in {client} px"
        );
    }
    screenshot(&t, &council, "council-glance-phone.png", "375,2200");
    screenshot(&t, &council, "council-glance.png", "1280,2000");
    screenshot(&t, "statistics/", "statistics-phone.png", "375,3600");
    screenshot(&t, "statistics/", "statistics.png", "1280,3000");
}
