//! Debian's headless Chromium for the browser tests: where it is, and a command started
//! with the flags this machine needs (no sandbox as root, no GPU, no background network,
//! a fresh profile); running it on a page with a time limit; and screenshots kept as
//! test artifacts.

#![allow(dead_code, reason = "each test binary uses a part")]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The flags every browser test starts Chromium with.
pub(crate) const FLAGS: [&str; 7] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
];

/// The `chromium` binary: on the PATH, or Debian's; fails the test with what to install.
pub(crate) fn path() -> PathBuf {
    let on_path = std::env::var_os("PATH")
        .map(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join("chromium"))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    on_path
        .into_iter()
        .chain(["/usr/bin/chromium", "/usr/bin/chromium-browser"].map(PathBuf::from))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| {
            panic!(
                "this test needs headless Chromium: install the Debian package `chromium` \
                 (CI installs it)"
            )
        })
}

/// A Chromium command with [`FLAGS`] and its profile in `profile` (a fresh temporary folder).
pub(crate) fn command(profile: &Path) -> Command {
    let mut command = Command::new(path());
    command
        .args(FLAGS)
        .arg(format!("--user-data-dir={}", profile.display()));
    command
}

/// Runs Chromium (fresh profile, [`FLAGS`]) with `args` on `url` and returns its stdout;
/// fails the test if it has not finished within 90 s.
pub(crate) fn run(args: &[&str], url: &str) -> String {
    let profile = tempfile::tempdir().expect("profile dir");
    let mut child = command(profile.path())
        .args(args)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let started = Instant::now();
    while child.try_wait().expect("wait for chromium").is_none() {
        if started.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            panic!("chromium did not finish within 90 s on {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().expect("chromium output");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `target/screenshots/`, beside the test binaries.
pub(crate) fn screenshots() -> PathBuf {
    let bin = Path::new(env!("CARGO_BIN_EXE_casebook"));
    let dir = bin
        .parent()
        .and_then(Path::parent)
        .expect("the binary sits in target/<profile>/")
        .join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshots folder");
    dir
}

/// Screenshots `url` at window `size` (`"WIDTH,HEIGHT"`, no scrollbars) into
/// [`screenshots()`]`/name`, checks a PNG was written, and returns its path.
pub(crate) fn screenshot(url: &str, name: &str, size: &str) -> PathBuf {
    let path = screenshots().join(name);
    let _ = std::fs::remove_file(&path);
    let to = format!("--screenshot={}", path.display());
    let window = format!("--window-size={size}");
    run(&["--hide-scrollbars", &to, &window], url);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        bytes.starts_with(b"\x89PNG"),
        "{} is not a PNG",
        path.display()
    );
    path
}
