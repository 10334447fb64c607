//! Editors and git, as `watch` and `serve` see them: after each way an editor saves a file,
//! and after a `git checkout` that switches 1,000 content files at once, the site the
//! preview serves and the folder `watch` writes must end equal to a fresh build of the same
//! sources, file for file. Both run in-process over the real watcher and the real build
//! (`SiteBuild`); the preview is also asked for a page over HTTP.
//!
//! The save patterns: a write in place (truncate, then write in two parts); a temporary file
//! renamed over; vim's backup-and-rename (rename to `file~`, write anew, delete `file~`,
//! with vim's `4913` probe file); delete, then create a moment later.

#[path = "support/client.rs"]
mod client;
#[path = "support/content_files.rs"]
mod content_files;
#[path = "support/fake_site.rs"]
mod fake_site;

use content_files::decision_files;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use casebook::cmd::watch::watch_into;
use casebook::serve::adapter::SiteBuild;
use casebook::serve::{Preview, Rebuild, ServeOptions};

/// How long a rebuild may take to settle (a debug build of 1,000 decisions on a busy
/// machine is slow).
const SETTLE: Duration = Duration::from_secs(180);

/// A site made by `casebook init` holding `decisions` generated decisions, imported.
fn site(decisions: usize) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    run(Command::new(env!("CARGO_BIN_EXE_casebook"))
        .arg("init")
        .arg(&root));
    std::fs::remove_dir_all(root.join("content/decisions")).expect("only generated decisions");
    let raw = tmp.path().join("raw");
    std::fs::create_dir_all(&raw).expect("raw");
    for i in 0..decisions {
        let page = casebook::corpus::page(i);
        std::fs::write(raw.join(&page.file_name), page.text).expect("write");
    }
    run(Command::new(env!("CARGO_BIN_EXE_casebook"))
        .arg("--root")
        .arg(&root)
        .arg("import")
        .arg(&raw));
    (tmp, root)
}

fn run(command: &mut Command) {
    let out = command.output().expect("runs");
    assert!(
        out.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A fresh full build of the site's sources as they are now.
fn fresh(root: &Path, base_url: Option<&str>) -> BTreeMap<String, Vec<u8>> {
    SiteBuild::new(root, base_url.map(str::to_string))
        .full()
        .unwrap_or_else(|e| panic!("a fresh build: {e:?}"))
        .iter()
        .map(|(path, bytes)| (path.to_string(), bytes.to_vec()))
        .collect()
}

/// Every file under `dir`, relative, with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .display()
                .to_string();
            (rel, std::fs::read(e.path()).unwrap_or_default())
        })
        .collect()
}

/// Waits until `now()` equals a fresh build of the sources as they are now.
fn settle(
    what: &str,
    root: &Path,
    base_url: Option<&str>,
    now: impl Fn() -> BTreeMap<String, Vec<u8>>,
) {
    settle_to(what, &fresh(root, base_url), now);
}

/// `text` with one more paragraph, so that each save changes the page.
fn edited(root: &Path, rel: &str, note: &str) -> String {
    let text = std::fs::read_to_string(root.join(rel)).expect("read");
    format!("{text}\n{note}\n")
}

/// One way of saving: writes the new text of `rel` (relative to the site's folder `root`).
type Save = fn(root: &Path, rel: &str, text: &str);

/// An editor's ways of saving `rel` with new text, each named.
fn save_patterns() -> Vec<(&'static str, Save)> {
    vec![
        ("a write in place", |root, rel, text| {
            let mut file = std::fs::File::create(root.join(rel)).expect("truncate");
            let (first, rest) = text.split_at(text.len() / 2);
            file.write_all(first.as_bytes()).expect("write");
            file.flush().expect("flush");
            std::thread::sleep(Duration::from_millis(60));
            file.write_all(rest.as_bytes()).expect("write");
        }),
        ("a temporary file renamed over", |root, rel, text| {
            let path = root.join(rel);
            let tmp = path.with_file_name(".save.md.tmp.123");
            std::fs::write(&tmp, text).expect("write temporary");
            std::fs::rename(&tmp, &path).expect("rename over");
        }),
        ("vim's backup and rename", |root, rel, text| {
            let path = root.join(rel);
            let dir = path.parent().expect("folder");
            // vim checks it may write in the folder with a file named 4913 first.
            std::fs::write(dir.join("4913"), "").expect("probe");
            std::fs::remove_file(dir.join("4913")).expect("probe gone");
            let backup = PathBuf::from(format!("{}~", path.display()));
            std::fs::rename(&path, &backup).expect("backup");
            std::fs::write(&path, text).expect("write anew");
            std::fs::remove_file(&backup).expect("drop the backup");
        }),
        ("a delete, then a create", |root, rel, text| {
            let path = root.join(rel);
            std::fs::remove_file(&path).expect("delete");
            std::thread::sleep(Duration::from_millis(150));
            std::fs::write(&path, text).expect("create");
        }),
    ]
}

/// `casebook watch` in-process into `<root>/public`, stopped when dropped.
struct Watching {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Watching {
    fn start(root: &Path, base_url: Option<&str>) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (root, stop) = (root.to_path_buf(), Arc::clone(&stop));
            let base_url = base_url.map(str::to_string);
            std::thread::spawn(move || {
                let build = Box::new(SiteBuild::new(&root, base_url));
                if let Err(e) = watch_into(&root, &root.join("public"), build, &stop) {
                    panic!("watch: {e:#}");
                }
            })
        };
        Self {
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The preview with the real build, on 127.0.0.1 port 0.
fn preview(root: &Path) -> Preview {
    let options = ServeOptions {
        port: 0,
        ..ServeOptions::default()
    };
    Preview::start(
        root,
        Box::new(SiteBuild::new(root, Some("/".into()))),
        &options,
    )
    .unwrap_or_else(|e| panic!("start: {e:#}"))
}

/// What the preview holds and serves.
fn held(preview: &Preview) -> BTreeMap<String, Vec<u8>> {
    preview.shared().with_files(|files| {
        files
            .iter()
            .map(|(path, bytes)| (path.to_string(), bytes.to_vec()))
            .collect()
    })
}

/// The page of decision file `rel`, over HTTP, holds `note`.
fn assert_served(preview: &Preview, rel: &str, note: &str) {
    let slug = Path::new(rel)
        .file_stem()
        .expect("a file name")
        .to_string_lossy()
        .into_owned();
    let page = client::get(preview.addr(), &format!("/decisions/{slug}/"));
    assert_eq!(page.status, 200, "{rel}");
    assert!(
        page.body.contains(note),
        "{rel}: the served page shows the save"
    );
}

#[test]
fn watch_ends_equal_to_a_fresh_build_after_every_way_editors_save() {
    let (_tmp, root) = site(30);
    let files = decision_files(&root);
    let _watching = Watching::start(&root, None);
    settle("the first build", &root, None, || {
        tree(&root.join("public"))
    });
    for (n, (what, save)) in save_patterns().into_iter().enumerate() {
        let rel = &files[n * 7 % files.len()];
        let text = edited(&root, rel, &format!("Saved by pattern {n}."));
        save(&root, rel, &text);
        settle(what, &root, None, || tree(&root.join("public")));
    }
}

#[test]
fn serve_ends_equal_to_a_fresh_build_after_every_way_editors_save() {
    let (_tmp, root) = site(30);
    let files = decision_files(&root);
    let preview = preview(&root);
    settle("the first build", &root, Some("/"), || held(&preview));
    for (n, (what, save)) in save_patterns().into_iter().enumerate() {
        let rel = &files[n * 7 % files.len()];
        // Plain words, so that the page shows them as written.
        let note = format!("Saved by pattern {n}.");
        let text = edited(&root, rel, &note);
        save(&root, rel, &text);
        settle(what, &root, Some("/"), || held(&preview));
        assert_served(&preview, rel, &note);
    }
}

/// Makes the site in `root` a git repository with two branches, `main` and `edited`,
/// which differ in every decision file; `main` checked out.
fn two_branches(root: &Path) {
    let git = |args: &[&str]| {
        run(Command::new("git")
            .arg("-C")
            .arg(root)
            .args([
                "-c",
                "user.name=Test",
                "-c",
                "user.email=test@example.invalid",
            ])
            .args(args));
    };
    std::fs::write(root.join(".gitignore"), "public/\n").expect("gitignore");
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "main"]);
    git(&["checkout", "-q", "-b", "edited"]);
    for rel in decision_files(root) {
        let text = edited(root, &rel, "Edited on the other branch.");
        std::fs::write(root.join(rel), text).expect("edit");
    }
    git(&["commit", "-q", "-a", "-m", "edited"]);
    git(&["checkout", "-q", "main"]);
}

fn checkout(root: &Path, branch: &str) {
    run(Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["checkout", "-q", branch]));
}

/// Waits until `now()` equals `expected`; on timeout, names the files that differ.
fn settle_to(
    what: &str,
    expected: &BTreeMap<String, Vec<u8>>,
    now: impl Fn() -> BTreeMap<String, Vec<u8>>,
) {
    let started = Instant::now();
    loop {
        let got = now();
        if got == *expected {
            eprintln!(
                "{what}: equal to a fresh build after {:?}",
                started.elapsed()
            );
            return;
        }
        if started.elapsed() > SETTLE {
            let differ: Vec<&String> = expected
                .keys()
                .chain(got.keys())
                .filter(|k| expected.get(*k) != got.get(*k))
                .take(20)
                .collect();
            panic!("{what}: not equal to a fresh build after {SETTLE:?}; these differ: {differ:?}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// With the real build. `watch` and `serve` watch the same site at once, and each state is
/// built fresh once (four builds of 1,000 decisions in a debug binary take minutes, so this
/// one runs on request: `cargo test --test editors -- --ignored`; the fake builder's test
/// below checks the same events on every run).
#[test]
#[ignore = "minutes in a debug build; run with --ignored"]
fn watch_and_serve_end_equal_to_a_real_build_after_a_git_checkout_of_1000_files() {
    let (_tmp, root) = site(1000);
    two_branches(&root);
    let files = decision_files(&root);
    assert_eq!(files.len(), 1000);
    let _watching = Watching::start(&root, Some("/"));
    let preview = preview(&root);
    let on_main = fresh(&root, Some("/"));
    settle_to("watch: the first build", &on_main, || {
        tree(&root.join("public"))
    });
    settle_to("serve: the first build", &on_main, || held(&preview));
    checkout(&root, "edited");
    let on_edited = fresh(&root, Some("/"));
    assert_ne!(on_main, on_edited);
    settle_to("watch: checkout of `edited`", &on_edited, || {
        tree(&root.join("public"))
    });
    settle_to("serve: checkout of `edited`", &on_edited, || held(&preview));
    assert_served(&preview, &files[0], "Edited on the other branch.");
    assert_served(&preview, &files[999], "Edited on the other branch.");
}

/// A site of 1,000 decisions for the fake builder (tests/support/fake_site.rs), which
/// rebuilds decision by decision as the real build does, so a missed event shows.
fn fake_site_of_1000() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    std::fs::create_dir_all(root.join("static")).expect("static");
    std::fs::write(root.join("config.toml"), "title = \"T\"\n").expect("config");
    std::fs::write(root.join("static/site.css"), "p {}\n").expect("css");
    for i in 0..1000 {
        let path = root.join(format!("content/decisions/{}/d{i:04}.md", 2010 + i % 15));
        std::fs::create_dir_all(path.parent().expect("folder")).expect("mkdir");
        std::fs::write(path, format!("Decision {i}\n\nText of decision {i}.\n")).expect("write");
    }
    (tmp, root)
}

fn fake_fresh(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fake_site::FakeSite::new(root)
        .full()
        .unwrap_or_else(|e| panic!("a fresh build: {e:?}"))
        .iter()
        .map(|(path, bytes)| (path.to_string(), bytes.to_vec()))
        .collect()
}

#[test]
fn watch_and_serve_end_equal_to_a_fresh_build_after_a_git_checkout_of_1000_files() {
    let (_tmp, root) = fake_site_of_1000();
    two_branches(&root);
    let files = decision_files(&root);
    assert_eq!(files.len(), 1000);
    let stop = Arc::new(AtomicBool::new(false));
    let watching = {
        let (root, stop) = (root.clone(), Arc::clone(&stop));
        std::thread::spawn(move || {
            let fake = Box::new(fake_site::FakeSite::new(&root));
            if let Err(e) = watch_into(&root, &root.join("public"), fake, &stop) {
                panic!("watch: {e:#}");
            }
        })
    };
    let options = ServeOptions {
        port: 0,
        ..ServeOptions::default()
    };
    let preview = Preview::start(&root, Box::new(fake_site::FakeSite::new(&root)), &options)
        .unwrap_or_else(|e| panic!("start: {e:#}"));
    let on_main = fake_fresh(&root);
    settle_to("watch: the first build", &on_main, || {
        tree(&root.join("public"))
    });
    settle_to("serve: the first build", &on_main, || held(&preview));
    for (branch, text) in [
        ("edited", "Edited on the other branch."),
        ("main", "Text of decision"),
    ] {
        checkout(&root, branch);
        let expected = fake_fresh(&root);
        settle_to(&format!("watch: checkout of `{branch}`"), &expected, || {
            tree(&root.join("public"))
        });
        settle_to(&format!("serve: checkout of `{branch}`"), &expected, || {
            held(&preview)
        });
        for rel in [&files[0], &files[500], &files[999]] {
            assert_served(&preview, rel, text);
        }
    }
    stop.store(true, Ordering::SeqCst);
    watching.join().expect("watch stops");
}
