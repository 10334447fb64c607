//! The preview in a real browser (headless Chromium): the error overlay over the last good
//! page, and an open page reloading by itself after an edit. Needs Debian's `chromium`.

#[path = "support/chromium.rs"]
mod chromium;
#[path = "support/client.rs"]
mod client;
#[path = "support/fake_site.rs"]
mod fake_site;
#[path = "support/preview.rs"]
mod preview;

use std::time::Duration;

use client::{wait_for, Events};
use preview::{start, Child, WAIT};

/// Runs headless Chromium on `url` and returns the DOM after scripts ran.
fn chromium_dom(url: &str) -> String {
    let profile = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut child = chromium::command(profile.path())
        // The live-reload stream never ends, so wait a fixed time, not for idle.
        .args(["--timeout=3000", "--dump-dom"])
        .arg(url)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("chromium: {e}"));
    let finished = wait_for(Duration::from_secs(60), || child.try_wait().ok().flatten());
    if finished.is_none() {
        let _ = child.kill();
        let _ = child.wait();
        panic!("chromium did not finish within 60 s");
    }
    let mut dom = String::new();
    if let Some(mut stdout) = child.stdout.take() {
        use std::io::Read;
        let _ = stdout.read_to_string(&mut dom);
    }
    dom
}

#[test]
fn a_browser_shows_the_error_overlay_over_the_last_good_page() {
    let site = start();
    let events = Events::connect(site.addr());
    events.expect("ok", WAIT);
    site.write(
        "content/decisions/2022/a.md",
        "Decision A\n\n<b>BROKEN</b> here\n",
    );
    events.expect("errors", WAIT);
    let dom = chromium_dom(&format!("http://{}/decisions/a/", site.addr()));
    assert!(
        dom.contains("The first version of A."),
        "last good page: {dom}"
    );
    assert!(dom.contains("id=\"casebook-errors\""), "overlay: {dom}");
    assert!(
        dom.contains("content/decisions/2022/a.md:3:4"),
        "file and line: {dom}"
    );
    assert!(dom.contains("this decision is broken"), "{dom}");
    // The overlay shows text, never markup from the file.
    assert!(dom.contains("&lt;b&gt;BROKEN&lt;/b&gt;"), "{dom}");
    site.write("content/decisions/2022/a.md", "Decision A\n\nFixed.\n");
    events.expect("reload", WAIT);
    let dom = chromium_dom(&format!("http://{}/decisions/a/", site.addr()));
    assert!(
        dom.contains("Fixed.") && !dom.contains("casebook-errors"),
        "{dom}"
    );
}

#[test]
fn a_browser_reloads_by_itself_after_an_edit() {
    let site = start();
    let shared = site.preview.shared().clone();
    let profile = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // Headless Chromium without --dump-dom keeps the page open, like a person's browser.
    let _browser = Child(
        chromium::command(profile.path())
            .arg(format!("http://{}/decisions/a/", site.addr()))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("chromium: {e}")),
    );
    let listening = wait_for(Duration::from_secs(30), || {
        (shared.listeners() >= 1 && shared.pages_sent() >= 1).then_some(())
    });
    assert!(
        listening.is_some(),
        "the browser never opened the live-reload stream"
    );
    let before = shared.pages_sent();
    site.write(
        "content/decisions/2022/a.md",
        "Decision A\n\nEdited while open.\n",
    );
    let reloaded = wait_for(WAIT, || (shared.pages_sent() > before).then_some(()));
    assert!(
        reloaded.is_some(),
        "the browser did not fetch the page again"
    );
}
