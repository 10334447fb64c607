//! Debian's headless Chromium for the browser tests: where it is, and a command started
//! with the flags this machine needs (no sandbox as root, no GPU, no background network,
//! a fresh profile).

use std::path::{Path, PathBuf};
use std::process::Command;

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
