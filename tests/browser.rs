//! What a reader sees: the default site built with the real binary, opened in headless
//! Chromium (Debian package `chromium`). Screenshots are kept under
//! `target/screenshots/` as test artifacts.

#[path = "support/chromium.rs"]
mod chromium;
mod common;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

/// `target/screenshots/`, beside the test binaries.
fn screenshots() -> PathBuf {
    let bin = Path::new(env!("CARGO_BIN_EXE_casebook"));
    let target = bin
        .parent()
        .and_then(Path::parent)
        .expect("the binary sits in target/<profile>/");
    let dir = target.join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshots folder");
    dir
}

/// Runs headless Chromium with `args` on `url` and returns its stdout; gives up after 90 s.
fn browse(args: &[String], url: &str) -> String {
    let profile = tempfile::tempdir().expect("profile dir");
    let mut child = chromium::command(profile.path())
        .arg("--hide-scrollbars")
        .args(args)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait for chromium").is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            panic!("chromium did not finish within 90 s on {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().expect("chromium output");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn dump_dom(url: &str) -> String {
    browse(
        &["--dump-dom".into(), "--virtual-time-budget=5000".into()],
        url,
    )
}

fn screenshot(url: &str, name: &str, size: &str) -> PathBuf {
    let path = screenshots().join(name);
    let _ = std::fs::remove_file(&path);
    browse(
        &[
            format!("--screenshot={}", path.display()),
            format!("--window-size={size}"),
        ],
        url,
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        bytes.starts_with(b"\x89PNG"),
        "{} is not a PNG",
        path.display()
    );
    path
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
