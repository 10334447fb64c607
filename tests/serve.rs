//! The preview server in-process, over real HTTP and the real file watcher: a fake builder
//! (tests/support/fake_site.rs) stands in for the real build, which is not on this branch.
//! Each test makes a site in a tempdir, starts the preview on 127.0.0.1 port 0, and
//! fetches pages, edits files and listens to the live-reload stream. The last tests run
//! the real binary.

#[path = "support/binary.rs"]
mod binary;
#[path = "support/client.rs"]
mod client;
#[path = "support/fake_site.rs"]
mod fake_site;
#[path = "support/preview.rs"]
mod preview;

use std::fs;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::Duration;

use client::{get, raw_get, Events};
use preview::{start, start_with, write_site, WAIT};

#[test]
fn serves_pages_with_livereload_injected_into_html_only() {
    let site = start();
    assert!(site.addr().ip().is_loopback());
    let home = get(site.addr(), "/");
    assert_eq!(home.status, 200);
    assert_eq!(home.content_type, "text/html; charset=utf-8");
    assert!(home.body.contains("/decisions/a/"), "{}", home.body);
    assert!(
        home.body
            .contains("<script src=\"/__casebook/livereload.js\" defer></script></body>"),
        "{}",
        home.body
    );
    let css = get(site.addr(), "/site.css");
    assert_eq!(
        (css.status, css.content_type.as_str()),
        (200, "text/css; charset=utf-8")
    );
    assert_eq!(css.body, "main { color: black }\n");
    let script = get(site.addr(), "/__casebook/livereload.js");
    assert_eq!(script.content_type, "text/javascript; charset=utf-8");
    assert!(script.body.contains("EventSource"));
    // What the preview holds in memory is the built file, without the script.
    let held = site.preview.shared().file("index.html").unwrap_or_default();
    assert!(!String::from_utf8_lossy(&held).contains("__casebook"));
}

#[test]
fn serves_index_for_directories_redirects_and_404() {
    let site = start();
    let page = get(site.addr(), "/decisions/a/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("The first version of A."));
    let redirect = get(site.addr(), "/decisions/a");
    assert_eq!(redirect.status, 308);
    assert_eq!(redirect.location.as_deref(), Some("/decisions/a/"));
    let missing = get(site.addr(), "/decisions/zzz/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("fake not found page"),
        "{}",
        missing.body
    );
    assert!(missing.body.contains("__casebook/livereload.js"));
    assert_eq!(get(site.addr(), "/nope.css").status, 404);
}

#[test]
fn never_serves_anything_outside_the_site() {
    let site = start_with(|root| {
        write_site(root);
        let outside = root.parent().unwrap_or(root);
        fs::write(outside.join("secret.txt"), "TOP-SECRET").unwrap_or_else(|e| panic!("{e}"));
        #[cfg(unix)]
        std::os::unix::fs::symlink(outside.join("secret.txt"), root.join("static/leak.txt"))
            .unwrap_or_else(|e| panic!("{e}"));
        // A file on disk in the output folder is not the served site either.
        fs::create_dir_all(root.join("public")).unwrap_or_else(|e| panic!("{e}"));
        fs::write(root.join("public/secret.txt"), "TOP-SECRET").unwrap_or_else(|e| panic!("{e}"));
    });
    for target in [
        "/../secret.txt",
        "/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/secret.txt",
        "/decisions/..%2f..%2fsecret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/decisions\\..\\..\\secret.txt",
        "//secret.txt",
        "/public/secret.txt",
        "/leak.txt",
        "/static/leak.txt",
        "/C:/secret.txt",
        "/%00secret.txt",
        "http://localhost/../secret.txt",
    ] {
        let (status, body) = raw_get(site.addr(), target);
        assert!(matches!(status, 400 | 404), "{target}: status {status}");
        assert!(!body.contains("TOP-SECRET"), "{target} leaked the secret");
    }
    let (status, _) = raw_get(site.addr(), "/%2e%2e/secret.txt");
    assert_eq!(status, 400, "traversal is refused, not looked up");
}

#[test]
fn reloads_the_browser_after_an_edit() {
    let site = start();
    let events = Events::connect(site.addr());
    assert_eq!(events.expect("hello", WAIT).name, "hello");
    assert_eq!(events.expect("ok", WAIT).name, "ok");
    site.write(
        "content/decisions/2022/a.md",
        "Decision A\n\nThe second version of A.\n",
    );
    events.expect("reload", WAIT);
    let page = get(site.addr(), "/decisions/a/");
    assert!(
        page.body.contains("The second version of A."),
        "{}",
        page.body
    );
    assert_eq!(
        site.full_builds.load(Ordering::SeqCst),
        1,
        "one decision, no full rebuild"
    );
}

#[test]
fn keeps_the_last_good_site_and_shows_the_error_until_fixed() {
    let site = start();
    let events = Events::connect(site.addr());
    events.expect("ok", WAIT);
    site.write(
        "content/decisions/2022/a.md",
        "Decision A\n\nnow BROKEN here\n",
    );
    let errors = events.expect("errors", WAIT);
    let items: serde_json::Value = serde_json::from_str(&errors.data).unwrap_or_default();
    assert_eq!(items[0]["file"], "content/decisions/2022/a.md");
    assert_eq!(items[0]["line"], 3);
    assert_eq!(items[0]["column"], 5);
    let text = items[0]["text"].as_str().unwrap_or_default();
    assert!(text.contains("this decision is broken"), "{text}");
    assert!(
        text.contains("now BROKEN here"),
        "the snippet shows the line: {text}"
    );
    let page = get(site.addr(), "/decisions/a/");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("The first version of A."),
        "last good page"
    );
    // A browser opening a page now is told about the error at once.
    let late = Events::connect(site.addr());
    late.expect("errors", WAIT);

    site.write("content/decisions/2022/a.md", "Decision A\n\nFixed A.\n");
    events.expect("reload", WAIT);
    site.wait_for_page("/decisions/a/", 200, "Fixed A.");
    let after = Events::connect(site.addr());
    after.expect("hello", WAIT);
    assert_eq!(after.next(WAIT).map(|e| e.name).as_deref(), Some("ok"));
}

#[test]
fn shows_a_template_error_with_file_and_line() {
    let site = start();
    let events = Events::connect(site.addr());
    events.expect("ok", WAIT);
    site.write(
        "templates/page.html",
        "<html>\n<body>{% broken %}{{body}}</body></html>\n",
    );
    let errors = events.expect("errors", WAIT);
    assert!(
        errors.data.contains("\"file\":\"templates/page.html\""),
        "{}",
        errors.data
    );
    assert!(errors.data.contains("\"line\":2"), "{}", errors.data);
    assert!(get(site.addr(), "/decisions/b/")
        .body
        .contains("Text of B."));
    site.write(
        "templates/page.html",
        "<html>\n<body><article>{{body}}</article></body></html>\n",
    );
    events.expect("reload", WAIT);
    site.wait_for_page("/decisions/b/", 200, "<article>Decision B");
}

#[test]
fn survives_rapid_repeated_saves() {
    let site = start();
    for i in 0..30 {
        site.write(
            "content/decisions/2022/a.md",
            &format!("Decision A\n\nSave number {i}.\n"),
        );
        std::thread::sleep(Duration::from_millis(3));
    }
    site.wait_for_page("/decisions/a/", 200, "Save number 29.");
}

#[test]
fn handles_a_deleted_file() {
    let site = start();
    fs::remove_file(site.root.join("content/decisions/2022/b.md"))
        .unwrap_or_else(|e| panic!("{e}"));
    site.wait_for_page("/decisions/b/", 404, "fake not found page");
    let home = get(site.addr(), "/");
    assert!(!home.body.contains("/decisions/b/"), "{}", home.body);
}

#[test]
fn handles_a_renamed_file() {
    let site = start();
    fs::rename(
        site.root.join("content/decisions/2022/a.md"),
        site.root.join("content/decisions/2022/c.md"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    site.wait_for_page("/decisions/c/", 200, "The first version of A.");
    site.wait_for_page("/decisions/a/", 404, "fake not found page");
}

#[test]
fn handles_a_new_folder() {
    let site = start();
    site.write(
        "content/decisions/2026/d.md",
        "Decision D\n\nIn a new folder.\n",
    );
    site.wait_for_page("/decisions/d/", 200, "In a new folder.");
    // A whole folder moved in at once.
    let staged = site.root.parent().unwrap_or(&site.root).join("staged");
    fs::create_dir_all(&staged).unwrap_or_else(|e| panic!("{e}"));
    fs::write(staged.join("e.md"), "Decision E\n\nMoved in.\n").unwrap_or_else(|e| panic!("{e}"));
    fs::rename(&staged, site.root.join("content/decisions/2027")).unwrap_or_else(|e| panic!("{e}"));
    site.wait_for_page("/decisions/e/", 200, "Moved in.");
}

#[test]
fn handles_an_editors_atomic_save() {
    let site = start();
    let events = Events::connect(site.addr());
    events.expect("ok", WAIT);
    let dir = site.root.join("content/decisions/2022");
    fs::write(
        dir.join(".a.md.tmp1234"),
        "Decision A\n\nSaved atomically.\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    fs::rename(dir.join(".a.md.tmp1234"), dir.join("a.md")).unwrap_or_else(|e| panic!("{e}"));
    events.expect("reload", WAIT);
    site.wait_for_page("/decisions/a/", 200, "Saved atomically.");
    assert_eq!(get(site.addr(), "/decisions/.a/").status, 404);
    // Vim-style: a swap file and a backup file come and go; neither is a page.
    fs::write(dir.join(".b.md.swp"), "swap").unwrap_or_else(|e| panic!("{e}"));
    fs::write(dir.join("b.md~"), "Decision B\n\nbackup\n").unwrap_or_else(|e| panic!("{e}"));
    std::thread::sleep(Duration::from_millis(300));
    assert!(get(site.addr(), "/decisions/b/")
        .body
        .contains("Text of B."));
}

#[test]
fn rebuilds_everything_when_config_changes() {
    let site = start();
    let events = Events::connect(site.addr());
    events.expect("ok", WAIT);
    site.write("config.toml", "title = \"Changed\"\n");
    events.expect("reload", WAIT);
    assert_eq!(site.full_builds.load(Ordering::SeqCst), 2);
    site.write("static/new.css", "p {}\n");
    site.wait_for_page("/new.css", 200, "p {}");
}

#[test]
fn serves_an_error_page_until_the_first_build_succeeds() {
    let site = start_with(|root| {
        write_site(root);
        fs::write(
            root.join("content/decisions/2022/b.md"),
            "BROKEN from the start\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    });
    let first = get(site.addr(), "/");
    assert_eq!(first.status, 503);
    assert!(first.body.contains("__casebook/livereload.js"));
    let events = Events::connect(site.addr());
    events.expect("errors", WAIT);
    site.write("content/decisions/2022/b.md", "Decision B\n\nRepaired.\n");
    events.expect("reload", WAIT);
    site.wait_for_page("/decisions/b/", 200, "Repaired.");
}

#[test]
fn livereload_injection_is_only_called_by_serve() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut callers = Vec::new();
    for entry in walkdir::WalkDir::new(&src).into_iter().flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "rs") && !path.starts_with(src.join("serve")) {
            let text = fs::read_to_string(path).unwrap_or_default();
            if text.contains("inject_livereload") || text.contains("livereload::") {
                callers.push(path.display().to_string());
            }
        }
    }
    assert!(
        callers.is_empty(),
        "live reload used outside serve: {callers:?}"
    );
}

#[test]
fn does_not_rebuild_when_files_are_only_read() {
    let site = start();
    let events = Events::connect(site.addr());
    events.expect("ok", WAIT);
    for entry in walkdir::WalkDir::new(&site.root).into_iter().flatten() {
        if entry.file_type().is_file() {
            let _ = fs::read(entry.path());
        }
    }
    let _ = get(site.addr(), "/");
    assert_eq!(events.next(Duration::from_millis(400)), None);
    assert_eq!(site.full_builds.load(Ordering::SeqCst), 1);
}

#[test]
fn the_binary_serves_on_loopback_with_live_reload() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    write_site(dir.path());
    let (_child, addr) = binary::spawn_serve(dir.path());
    assert!(addr.ip().is_loopback(), "{addr}");
    assert_eq!(get(addr, "/__casebook/livereload.js").status, 200);
    // Built or not (until the real build is wired in), every page carries the script.
    let home = get(addr, "/");
    assert!(matches!(home.status, 200 | 503), "{}", home.status);
    assert!(
        home.body.contains("/__casebook/livereload.js"),
        "{}",
        home.body
    );
    let (status, _) = raw_get(addr, "/%2e%2e/%2e%2e/etc/passwd");
    assert_eq!(status, 400);
}

#[test]
fn the_binary_refuses_a_bind_that_is_no_address() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["serve", "--bind", "localhost:80", "--port", "0"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--bind `localhost:80` is not an IP address"),
        "{stderr}"
    );
}

#[test]
fn handles_a_deleted_folder() {
    let site = start();
    site.write("content/decisions/2023/x.md", "Decision X\n\nSoon gone.\n");
    site.wait_for_page("/decisions/x/", 200, "Soon gone.");
    fs::remove_dir_all(site.root.join("content/decisions/2023")).unwrap_or_else(|e| panic!("{e}"));
    site.wait_for_page("/decisions/x/", 404, "fake not found page");
    assert_eq!(get(site.addr(), "/decisions/a/").status, 200);
}

#[test]
fn answers_head_and_refuses_other_methods() {
    use std::io::{Read, Write};
    let site = start();
    let send = |request: &str| {
        let mut stream =
            std::net::TcpStream::connect(site.addr()).unwrap_or_else(|e| panic!("{e}"));
        stream
            .write_all(request.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
        let mut reply = String::new();
        let _ = stream.read_to_string(&mut reply);
        reply
    };
    let head = send("HEAD /decisions/a/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(
        head.contains("content-type: text/html; charset=utf-8"),
        "{head}"
    );
    assert!(
        !head.contains("The first version of A."),
        "HEAD has no body: {head}"
    );
    let post = send(
        "POST /decisions/a/ HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    assert!(post.starts_with("HTTP/1.1 405"), "{post}");
}

#[test]
fn publishes_deferred_files_without_a_second_reload() {
    let site = start();
    let data = get(site.addr(), "/data/decisions.json");
    assert_eq!(data.content_type, "application/json; charset=utf-8");
    assert!(data.body.contains("\"Decision A\""), "{}", data.body);
    let events = Events::connect(site.addr());
    events.expect("ok", WAIT);
    site.write(
        "content/decisions/2022/a.md",
        "Decision A, renamed\n\nText.\n",
    );
    events.expect("reload", WAIT);
    site.wait_for_page("/data/decisions.json", 200, "\"Decision A, renamed\"");
    assert_eq!(
        events.next(Duration::from_millis(300)),
        None,
        "one reload only"
    );
}
