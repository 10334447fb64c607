//! A preview started in-process on 127.0.0.1 port 0 over a small site in a tempdir, built
//! by the fake builder, plus a guard that kills a child process when dropped.

#![allow(
    dead_code,
    reason = "each test crate including this uses a different part"
)]

use std::fs;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicUsize;
use std::sync::Arc;
use std::time::Duration;

use casebook::serve::{Preview, ServeOptions};
use tempfile::TempDir;

use crate::client::{get, wait_for, Reply};
use crate::fake_site::FakeSite;

pub(crate) const WAIT: Duration = Duration::from_secs(10);

pub(crate) struct Site {
    _dir: TempDir,
    pub(crate) root: PathBuf,
    pub(crate) preview: Preview,
    pub(crate) full_builds: Arc<AtomicUsize>,
}

impl Site {
    pub(crate) fn addr(&self) -> SocketAddr {
        self.preview.addr()
    }

    pub(crate) fn write(&self, rel: &str, text: &str) {
        let path = self.root.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).unwrap_or_else(|e| panic!("mkdir: {e}"));
        }
        fs::write(&path, text).unwrap_or_else(|e| panic!("write {rel}: {e}"));
    }

    /// Waits until `path` is served with `status` and a body containing `text`.
    pub(crate) fn wait_for_page(&self, path: &str, status: u16, text: &str) -> Reply {
        wait_for(WAIT, || {
            let reply = get(self.addr(), path);
            (reply.status == status && reply.body.contains(text)).then_some(reply)
        })
        .unwrap_or_else(|| {
            let now = get(self.addr(), path);
            panic!(
                "{path} never served {status} with {text:?}; now {} {:?}",
                now.status, now.body
            )
        })
    }
}

pub(crate) fn write_site(root: &Path) {
    let files = [
        ("config.toml", "title = \"Test\"\n"),
        ("content/decisions/2022/a.md", "Decision A\n\nThe first version of A.\n"),
        ("content/decisions/2022/b.md", "Decision B\n\nText of B.\n"),
        (
            "templates/page.html",
            "<!doctype html><html><head><title>{{title}}</title></head>\n<body><main>{{body}}</main></body></html>\n",
        ),
        ("static/site.css", "main { color: black }\n"),
    ];
    for (rel, text) in files {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap_or(root)).unwrap_or_else(|e| panic!("{e}"));
        fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
    }
}

pub(crate) fn start_with(prepare: impl FnOnce(&Path)) -> Site {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let root = dir.path().join("site");
    fs::create_dir_all(&root).unwrap_or_else(|e| panic!("{e}"));
    prepare(&root);
    let fake = FakeSite::new(&root);
    let full_builds = fake.full_builds.clone();
    let options = ServeOptions {
        port: 0,
        ..ServeOptions::default()
    };
    let preview =
        Preview::start(&root, Box::new(fake), &options).unwrap_or_else(|e| panic!("start: {e:#}"));
    Site {
        _dir: dir,
        root,
        preview,
        full_builds,
    }
}

pub(crate) fn start() -> Site {
    start_with(write_site)
}

/// Kills the child process when dropped, so a failed assertion leaves no server behind.
pub(crate) struct Child(pub(crate) std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
