//! `casebook serve` as a user runs it: the real binary and the real build on a site made by
//! `casebook init` with the five seeds. Edits a decision and sees the new page and a reload
//! event; breaks a template and a decision and sees the last good page still served with
//! the error (file and line) shown; fixes them and sees the errors clear.

#[path = "support/binary.rs"]
mod binary;
#[path = "support/client.rs"]
mod client;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use client::{get, raw_get, wait_for, Events};

const WAIT: Duration = Duration::from_secs(20);

fn site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = tmp.path().join("site");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_casebook"))
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let root_arg = root.to_str().unwrap_or_else(|| panic!("utf-8 path"));
    run(&["init", root_arg]);
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds");
    run(&[
        "--root",
        root_arg,
        "import",
        seeds.to_str().unwrap_or_else(|| panic!("utf-8")),
    ]);
    (tmp, root)
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"));
    assert!(text.contains(from), "{} holds {from:?}", path.display());
    // An editor's atomic save: a temporary file renamed over the original.
    let tmp = path.with_extension("md.swp-tmp");
    std::fs::write(&tmp, text.replacen(from, to, 1)).unwrap_or_else(|e| panic!("{e}"));
    std::fs::rename(&tmp, path).unwrap_or_else(|e| panic!("{e}"));
}

/// Waits for the errors to clear: `ok`, or a `reload` (which reloads the page without them).
fn expect_cleared(events: &Events) {
    let deadline = std::time::Instant::now() + WAIT;
    while std::time::Instant::now() < deadline {
        if let Some(e) = events.next(Duration::from_millis(200)) {
            if e.name == "ok" || e.name == "reload" {
                return;
            }
        }
    }
    panic!("the errors never cleared");
}

fn page_with(addr: SocketAddr, path: &str, text: &str) -> Option<String> {
    let reply = get(addr, path);
    (reply.status == 200 && reply.body.contains(text)).then_some(reply.body)
}

#[test]
fn can_preview_edits_and_survive_broken_ones() {
    let (_tmp, root) = site();
    let (_child, addr) = binary::spawn_serve(&root);
    let page = "/decisions/19-010-314/";
    wait_for(WAIT, || page_with(addr, page, "Kent County Council"))
        .unwrap_or_else(|| panic!("the first build is served"));
    let events = Events::connect(addr);
    events.expect("hello", WAIT);

    let kent = root.join("content/decisions/2020/19-010-314.md");
    edit(&kent, "We spoke to Mr X", "We spoke to Mr X in person");
    events.expect("reload", WAIT);
    wait_for(WAIT, || page_with(addr, page, "We spoke to Mr X in person"))
        .unwrap_or_else(|| panic!("the edit is served"));
    let listing = get(addr, "/councils/kent-county-council/");
    assert_eq!(listing.status, 200);

    edit(&kent, "council = \"Kent County Council\"", "council = Kent");
    let errors = events.expect("errors", WAIT);
    let errors = format!("{errors:?}");
    assert!(
        errors.contains("19-010-314.md") && errors.contains(":3:"),
        "{errors}"
    );
    let still = get(addr, page);
    assert_eq!(still.status, 200, "the last good page is still served");
    assert!(still.body.contains("We spoke to Mr X in person"));
    assert!(
        still.body.contains("19-010-314.md"),
        "the page carries the error for its overlay"
    );

    edit(&kent, "council = Kent", "council = \"Kent County Council\"");
    expect_cleared(&events);
    let template = root.join("themes/default/templates/decision.html");
    let text = std::fs::read_to_string(&template).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&template, format!("{text}\n{{% if %}}\n")).unwrap_or_else(|e| panic!("{e}"));
    let errors = format!("{:?}", events.expect("errors", WAIT));
    assert!(errors.contains("decision.html"), "{errors}");
    assert_eq!(
        get(addr, page).status,
        200,
        "the last good page is still served"
    );
    std::fs::write(&template, text).unwrap_or_else(|e| panic!("{e}"));
    expect_cleared(&events);

    assert_eq!(get(addr, "/no/such/page/").status, 404);
    for attack in [
        "/../config.toml",
        "/%2e%2e/config.toml",
        "/..%2fconfig.toml",
        "/decisions/..%5c..%5cconfig.toml",
    ] {
        let (status, body) = raw_get(addr, attack);
        assert!(status == 400 || status == 404, "{attack}: {status}");
        assert!(!body.contains("base_url"), "{attack} leaked the config");
    }
}

#[test]
fn serves_pages_first_and_holds_back_the_search_index_until_it_is_made() {
    let (_tmp, root) = site();
    let (_child, addr) = binary::spawn_serve(&root);
    // The first build makes the pages; the search index and data files follow as
    // deferred work, and a request for one of them waits for it rather than failing.
    wait_for(WAIT, || page_with(addr, "/", "decisions"))
        .unwrap_or_else(|| panic!("the home page is served"));
    let meta = get(addr, "/search/index/meta.bin");
    assert_eq!(meta.status, 200, "the search index is served once made");
    let data = get(addr, "/data/decisions.json");
    assert_eq!(data.status, 200);
    let json: serde_json::Value =
        serde_json::from_str(&data.body).unwrap_or_else(|e| panic!("data JSON: {e}"));
    let count = json
        .as_array()
        .or_else(|| json.get("decisions").and_then(|d| d.as_array()))
        .map_or(0, Vec::len);
    assert_eq!(count, 5, "the data file lists the five seeds");
    assert_eq!(
        get(addr, "/no/such/page/").status,
        404,
        "a missing page is still 404"
    );
}
