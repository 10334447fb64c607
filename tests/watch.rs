//! `casebook watch`'s loop in-process: a fake builder (tests/support/fake_site.rs) stands in
//! for the real build; the real watcher sees real file edits in a tempdir, and the output
//! folder is checked on disk.

#[path = "support/client.rs"]
mod client;
#[path = "support/fake_site.rs"]
mod fake_site;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use casebook::cmd::watch::watch_into;
use client::wait_for;
use fake_site::FakeSite;

const WAIT: Duration = Duration::from_secs(10);

struct Watching {
    _dir: tempfile::TempDir,
    root: PathBuf,
    out: PathBuf,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for Watching {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Watching {
    fn read(&self, rel: &str) -> Option<String> {
        fs::read_to_string(self.out.join(rel)).ok()
    }

    fn wait_until(&self, rel: &str, check: impl Fn(Option<&str>) -> bool) -> Option<String> {
        let found = wait_for(WAIT, || {
            let now = self.read(rel);
            check(now.as_deref()).then_some(())
        });
        assert!(
            found.is_some(),
            "{rel} never matched; now {:?}",
            self.read(rel)
        );
        self.read(rel)
    }
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap_or(root)).unwrap_or_else(|e| panic!("{e}"));
    fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
}

fn start() -> Watching {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path().to_path_buf();
    write(&root, "config.toml", "title = \"T\"\n");
    write(
        &root,
        "content/decisions/2022/a.md",
        "Decision A\n\nFirst.\n",
    );
    write(
        &root,
        "content/decisions/2022/b.md",
        "Decision B\n\nText of B.\n",
    );
    write(&root, "static/site.css", "p {}\n");
    let out = root.join("public");
    let stop = Arc::new(AtomicBool::new(false));
    let thread = {
        let (root, out, stop) = (root.clone(), out.clone(), Arc::clone(&stop));
        std::thread::spawn(move || {
            let fake = Box::new(FakeSite::new(&root));
            if let Err(e) = watch_into(&root, &out, fake, &stop) {
                panic!("watch: {e:#}");
            }
        })
    };
    let watching = Watching {
        _dir: dir,
        root,
        out,
        stop,
        thread: Some(thread),
    };
    // The first build writes these in no particular order: wait for all of them.
    for rel in [
        "index.html",
        "decisions/index.html",
        "decisions/a/index.html",
        "decisions/b/index.html",
        "404.html",
        "site.css",
        "data/decisions.json",
    ] {
        watching.wait_until(rel, |t| t.is_some());
    }
    watching
}

#[test]
fn builds_public_without_the_livereload_script() {
    let w = start();
    for rel in [
        "index.html",
        "decisions/a/index.html",
        "404.html",
        "site.css",
        "data/decisions.json",
    ] {
        let text = w.read(rel).unwrap_or_else(|| panic!("{rel} missing"));
        assert!(
            !text.contains("__casebook"),
            "{rel} has the live-reload script"
        );
    }
}

#[test]
fn rebuilds_public_on_change_and_keeps_it_when_an_edit_breaks() {
    let w = start();
    write(
        &w.root,
        "content/decisions/2022/a.md",
        "Decision A\n\nSecond.\n",
    );
    w.wait_until("decisions/a/index.html", |t| {
        t.is_some_and(|t| t.contains("Second."))
    });
    write(
        &w.root,
        "content/decisions/2022/a.md",
        "Decision A\n\nBROKEN\n",
    );
    std::thread::sleep(Duration::from_millis(400));
    let kept = w.read("decisions/a/index.html").unwrap_or_default();
    assert!(kept.contains("Second."), "the last good page stays: {kept}");
    write(
        &w.root,
        "content/decisions/2022/a.md",
        "Decision A\n\nThird.\n",
    );
    w.wait_until("decisions/a/index.html", |t| {
        t.is_some_and(|t| t.contains("Third."))
    });
}

#[test]
fn removes_the_pages_of_deleted_files() {
    let w = start();
    fs::remove_file(w.root.join("content/decisions/2022/b.md")).unwrap_or_else(|e| panic!("{e}"));
    w.wait_until("decisions/b/index.html", |t| t.is_none());
    let index = w.read("index.html").unwrap_or_default();
    assert!(!index.contains("/decisions/b/"), "{index}");
    // The data export follows as deferred work; then no temporary file is left behind.
    w.wait_until("data/decisions.json", |t| {
        t.is_some_and(|t| !t.contains("Decision B"))
    });
    let leftovers: Vec<_> = walkdir::WalkDir::new(&w.out)
        .into_iter()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".casebook-"))
        .map(|e| e.path().display().to_string())
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
