//! `casebook fetch` end to end: the real binary against an imitation of the Ombudsman's
//! website on 127.0.0.1 (tests/support/lgo_site.rs). Every site here points `[fetch]
//! source` at the imitation, so no test reaches the internet. This file: walking the
//! search results, filters, conditional requests, what is kept, import and init; the
//! faults are in tests/fetch_faults.rs.

#[path = "support/fetch_site.rs"]
mod fetch_site;
#[path = "support/lgo_site.rs"]
mod lgo_site;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use fetch_site::{day, page_url, site_with, Site};
use lgo_site::{entries, Fault};

#[test]
fn can_walk_months_of_search_results_page_by_page_into_sources() {
    // 25 decisions, one a day from 20 January: 12 in January, 13 in February (2 pages).
    let website = site_with(entries(20, day("2025-01-20")));
    let site = Site::new(&website.url(), "");
    let (ok, stdout, stderr, _) = site.fetch_months("2025-01-01", "2025-02-28", &[]);
    assert!(ok, "{stdout}\n{stderr}");
    assert!(
        stdout.contains(
            "fetch: windows 2/2, links 25, fetched 25, unchanged 0, already had 0, failed 0"
        ),
        "{stdout}"
    );
    assert_eq!(site.pages().len(), 25, "{:?}", site.pages());
    assert!(site.pages().iter().all(|p| p.starts_with("20")), "by year");
    assert!(
        stdout.contains("imported 25, updated 0, unchanged 0, skipped 0, failed 0"),
        "import's own summary line: {stdout}"
    );
    let md = site.files("content/decisions");
    assert_eq!(md.len(), 25, "{md:?}");
    let seed = site
        .files("content/decisions")
        .into_iter()
        .find(|f| f.ends_with("18-014-059.md"))
        .expect("seed 18 014 059 imported");
    let text = std::fs::read_to_string(site.root.join("content/decisions").join(seed)).expect("md");
    assert!(
        text.contains("source_file = \"18-014-059.html\""),
        "provenance names the page: {text}"
    );
    assert!(
        text.contains("source_url = \"https://www.lgo.org.uk/decisions/children-s-care-services/other/18-014-059\""),
        "the original's address (the page's canonical link): {text}"
    );
    site.assert_pages_whole();
    site.assert_no_temporary_files();
    for page in [1, 2] {
        let target = format!("/Decisions/SearchResults?fd=2025-02-01&td=2025-02-28&page={page}");
        assert_eq!(
            website
                .requests()
                .iter()
                .filter(|r| r.target == target)
                .count(),
            1,
            "{target}"
        );
    }
    let searches: Vec<_> = website
        .requests()
        .into_iter()
        .filter(|r| r.path() == "/Decisions/SearchResults")
        .collect();
    assert!(searches.iter().all(|r| r.headers.contains_key("referer")));
    let ua = &website.requests()[0].headers["user-agent"];
    assert!(
        ua.starts_with(&format!("casebook/{}", env!("CARGO_PKG_VERSION")))
            && ua.contains("news@digest.example"),
        "{ua}"
    );
    assert_eq!(
        website.requests()[0].target,
        "/robots.txt",
        "robots.txt first"
    );
    let state: serde_json::Value = serde_json::from_slice(
        &std::fs::read(site.root.join("sources/.fetch-state.json")).expect("state"),
    )
    .expect("json");
    assert_eq!(
        state["windows"].as_array().map(Vec::len),
        Some(2),
        "{state}"
    );
    assert_eq!(state["windows"][1]["results"], 13);

    // The next run, with no dates, goes on from the newest month done and downloads
    // nothing it already has.
    let before = website.requests().len();
    let (ok, stdout, stderr, _) = site.fetch(&["--delay", "0"]);
    assert!(ok, "{stdout}\n{stderr}");
    assert!(stdout.contains("fetched 0"), "{stdout}");
    let again = &website.requests()[before..];
    assert!(
        again.iter().all(|r| !r.path().starts_with("/decisions/")),
        "downloaded again: {:?}",
        again.iter().map(|r| &r.target).collect::<Vec<_>>()
    );
    assert!(
        !again.iter().any(|r| r.target.contains("fd=2025-02-01")),
        "a month done after its end is not walked again"
    );
}

/// Fetches March 2025 with `flag` (`--category` or `--subcategory`) set to the slug that
/// stands at `segment` of an imitation page's path (2 the category, 3 the subcategory),
/// upper-cased, and asserts that only the pages with that slug were requested and kept.
fn keeps_only_the_slug_asked_for(flag: &str, segment: usize) {
    let all = entries(15, day("2025-03-01"));
    let slug_of = |path: &str| path.split('/').nth(segment).map(str::to_string);
    let wanted = slug_of(&all[4].path).expect("slug");
    let expected = all
        .iter()
        .filter(|e| slug_of(&e.path).as_deref() == Some(wanted.as_str()))
        .count();
    assert!(
        expected < all.len(),
        "the imitation has other {flag} slugs too"
    );
    let website = site_with(all);
    let site = Site::new(&website.url(), "");
    let (ok, stdout, stderr, _) =
        site.fetch_months("2025-03-01", "2025-03-31", &[flag, &wanted.to_uppercase()]);
    assert!(ok, "{stdout}\n{stderr}");
    assert_eq!(site.pages().len(), expected, "{stdout}");
    let requested: Vec<String> = website
        .requests()
        .into_iter()
        .filter(|r| r.path().starts_with("/decisions/"))
        .map(|r| r.path().to_string())
        .collect();
    assert_eq!(requested.len(), expected, "only those pages were requested");
    assert!(
        requested
            .iter()
            .all(|p| slug_of(p).as_deref() == Some(wanted.as_str())),
        "{flag} {wanted}: {requested:?}"
    );
}

#[test]
fn keeps_only_the_category_asked_for() {
    keeps_only_the_slug_asked_for("--category", 2);
}

#[test]
fn keeps_only_the_subcategory_asked_for() {
    keeps_only_the_slug_asked_for("--subcategory", 3);
}

#[test]
fn asks_again_only_whether_a_named_page_changed() {
    let all = entries(0, day("2025-01-01"));
    let website = site_with(all.clone());
    let site = Site::new(&website.url(), "");
    let url = page_url(&website, &all[3]);
    let (ok, stdout, stderr, _) = site.fetch(&[&url, "--delay", "0"]);
    assert!(ok, "{stdout}\n{stderr}");
    assert!(stdout.contains("fetched 1"), "{stdout}");
    let page = site.root.join("sources").join(&site.pages()[0]);
    let sidecar = PathBuf::from(format!("{}.json", page.display()));
    let stamps = |p: &Path| {
        std::fs::metadata(p)
            .and_then(|m| m.modified())
            .expect("mtime")
    };
    let (page_time, sidecar_time) = (stamps(&page), stamps(&sidecar));
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&sidecar).expect("sidecar")).expect("json");
    assert_eq!(meta["url"].as_str(), Some(url.as_str()));
    assert!(
        meta["etag"].is_string()
            && meta["last_modified"].is_string()
            && meta["fetched_at"].is_string()
    );

    std::thread::sleep(Duration::from_millis(20));
    let (ok, stdout, stderr, _) = site.fetch(&[&url, "--delay", "0"]);
    assert!(ok, "{stdout}\n{stderr}");
    assert!(stdout.contains("fetched 0, unchanged 1"), "{stdout}");
    let last = website.requests().pop().expect("a request");
    assert_eq!(
        last.headers.get("if-none-match"),
        meta["etag"].as_str().map(str::to_string).as_ref()
    );
    assert!(last.headers.contains_key("if-modified-since"));
    assert_eq!(
        (stamps(&page), stamps(&sidecar)),
        (page_time, sidecar_time),
        "a 304 writes nothing"
    );
}

#[test]
fn keeps_a_decision_the_website_no_longer_shows() {
    let all = entries(0, day("2025-01-01"));
    let website = site_with(all.clone());
    let site = Site::new(&website.url(), "");
    let url = page_url(&website, &all[4]);
    assert!(site.fetch(&[&url, "--delay", "0"]).0);
    let kept = site.pages();
    website.with_data(|d| {
        d.faults.insert(all[4].path.clone(), Fault::Gone);
    });
    let (ok, _, stderr, _) = site.fetch(&[&url, "--delay", "0"]);
    assert!(!ok);
    assert!(stderr.contains("answered 404"), "{stderr}");
    assert_eq!(site.pages(), kept, "fetch never deletes a page");
    site.assert_pages_whole();
}

#[test]
fn refuses_an_address_outside_the_website() {
    let website = site_with(entries(0, day("2025-01-01")));
    let site = Site::new(&website.url(), "");
    let (ok, _, stderr, _) = site.fetch(&[
        "https://www.lgo.org.uk/decisions/a/b/21-019-020",
        "--delay",
        "0",
    ]);
    assert!(!ok);
    assert!(stderr.contains("not on the website"), "{stderr}");
}

#[test]
fn can_import_sources_again_without_the_network_keeping_hand_edits() {
    let all = entries(0, day("2025-01-01"));
    let mut website = site_with(all.clone());
    let site = Site::new(&website.url(), "");
    let urls: Vec<String> = all.iter().map(|e| page_url(&website, e)).collect();
    let mut args: Vec<&str> = urls.iter().map(String::as_str).collect();
    args.extend(["--delay", "0"]);
    let (ok, stdout, stderr, _) = site.fetch(&args);
    assert!(ok, "{stdout}\n{stderr}");
    website.kill();
    let edited = site.root.join("content/decisions").join(
        site.files("content/decisions")
            .into_iter()
            .find(|f| f.ends_with("21-019-020.md"))
            .expect("imported"),
    );
    let mut text = std::fs::read_to_string(&edited).expect("md");
    text.push_str("\nAn editor's note.\n");
    std::fs::write(&edited, &text).expect("edit");
    let out = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .arg("--root")
        .arg(&site.root)
        .args(["import", "sources"])
        .current_dir(&site.root)
        .output()
        .expect("import");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("imported 0, updated 0, unchanged 4, skipped 1, failed 0"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&edited).expect("md"),
        text,
        "the hand edit is kept"
    );
}

#[cfg(unix)]
#[test]
fn can_init_a_site_that_fetches_builds_and_carries_its_update_workflow() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("digest");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_casebook"))
            .args(args)
            .output()
            .expect("run casebook")
    };
    let root_arg = root.to_str().expect("utf-8");
    assert!(run(&["init", root_arg]).status.success());
    let workflow =
        std::fs::read_to_string(root.join(".github/workflows/update.yml")).expect("workflow");
    assert!(
        workflow.contains(&format!(
            "CASEBOOK_VERSION: \"{}\"",
            env!("CARGO_PKG_VERSION")
        )),
        "pinned"
    );
    assert!(
        workflow.contains("sha256sum -c")
            && workflow.contains("cron:")
            && workflow.contains("workflow_dispatch")
    );
    assert!(workflow.contains("casebook fetch") && workflow.contains("deploy-pages"));
    let config = std::fs::read_to_string(root.join("config.toml")).expect("config");
    assert!(
        config.contains("source = \"https://www.lgo.org.uk\""),
        "{config}"
    );

    // Pointed at the imitation (never at the website), the new site fetches and builds,
    // once it says who is fetching: `init` leaves `contact` empty and `base_url` on
    // example.org, which would tell the website's operators nothing.
    let website = site_with(entries(0, day("2025-01-01")));
    let config = config.replace("https://www.lgo.org.uk", &website.url());
    std::fs::write(root.join("config.toml"), &config).expect("config");
    let fetch = [
        "--root",
        root_arg,
        "fetch",
        "--since",
        "2025-01-01",
        "--until",
        "2025-01-31",
        "--delay",
        "0",
    ];
    let out = run(&fetch);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("`[fetch] contact` is empty"), "{stderr}");
    assert!(
        website.requests().is_empty(),
        "nothing asked of the website"
    );
    let config = config.replace("contact = \"\"", "contact = \"news@digest.example\"");
    std::fs::write(root.join("config.toml"), config).expect("config");
    let out = run(&fetch);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&["--root", root_arg, "build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(root
        .join("public/decisions/18-014-059/index.html")
        .is_file());
}
