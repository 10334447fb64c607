//! Putting a finished staging folder in place of the output folder, and clearing away the
//! staging folders of builds that were killed before they finished.
//!
//! - [`swap_in`]: on Linux (and macOS) one `renameat2(RENAME_EXCHANGE)` swaps the two folders,
//!   so the output path holds a complete site, old or new, at every instant. Where the call is
//!   missing (another system, or a file system that refuses it) the old output is moved aside
//!   and the new one renamed in: two renames, with a moment in between when the output is
//!   absent.
//! - [`remove_leftovers`]: every staging folder carries the process id of the build that made
//!   it (`.public.staging-<pid>-XXXXXX`, `.public.old-<pid>`). A folder whose process is gone
//!   was left by a killed build and is removed; one whose process still runs belongs to a
//!   build in progress and is left alone. Nothing else in the folder is ever touched.

use std::io;
use std::path::{Path, PathBuf};

use crate::fs::{parse_pid, process_alive, with_path};

/// The prefix of a staging folder made by process `pid` for the output folder `name`.
pub(super) fn staging_prefix(name: &str, pid: u32) -> String {
    format!(".{name}.staging-{pid}-")
}

/// Where the old output waits to be deleted, for the output folder `name`.
fn old_name(name: &str, pid: u32) -> String {
    format!(".{name}.old-{pid}")
}

/// Puts `staging` at `output`. The old output, if any, ends up at a path beside it that
/// [`remove_leftovers`] recognises and is then deleted.
pub(super) fn swap_in(staging: &Path, output: &Path, name: &str) -> io::Result<()> {
    match std::fs::symlink_metadata(output) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return std::fs::rename(staging, output)
                .map_err(|e| with_path(e, "move the new build into", output));
        }
        Err(e) => return Err(with_path(e, "look at", output)),
        Ok(_) => {}
    }
    let old = output.with_file_name(old_name(name, std::process::id()));
    if exchange(staging, output)? {
        // `staging` now holds the old output: move it under the name of an old folder, so
        // that a kill during the deletion below still leaves a name we clear next time.
        let doomed = match std::fs::rename(staging, &old) {
            Ok(()) => old,
            Err(_) => staging.to_path_buf(),
        };
        return remove_any(&doomed).map_err(|e| with_path(e, "remove the old output", &doomed));
    }
    std::fs::rename(output, &old).map_err(|e| with_path(e, "move aside the old output", output))?;
    if let Err(e) = std::fs::rename(staging, output) {
        // Put the old output back, so a failed swap changes nothing.
        let _ = std::fs::rename(&old, output);
        return Err(with_path(e, "move the new build into", output));
    }
    remove_any(&old).map_err(|e| with_path(e, "remove the old output", &old))
}

/// Swaps `a` and `b` in one step. `Ok(false)` when this system or file system cannot.
#[cfg(any(target_os = "linux", target_os = "android", target_os = "macos"))]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => Ok(false),
        Err(e) if e == rustix::io::Errno::NOTSUP => Ok(false),
        Err(e) => Err(with_path(e.into(), "swap the new build with", b)),
    }
}

/// No one-step swap on this system: the caller falls back to two renames.
#[cfg(not(any(target_os = "linux", target_os = "android", target_os = "macos")))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<bool> {
    Ok(false)
}

/// Removes a folder tree, or a file.
fn remove_any(path: &Path) -> io::Result<()> {
    if std::fs::symlink_metadata(path)?.is_dir() {
        std::fs::remove_dir_all(path)
    } else {
        std::fs::remove_file(path)
    }
}

/// Removes, from `parent`, the staging and old-output folders of the output folder `name`
/// whose build process is gone. Returns the paths removed. Errors on single entries are
/// skipped: a leftover that cannot be removed now is tried again on the next build.
pub(super) fn remove_leftovers(parent: &Path, name: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name();
        let Some(pid) = file_name.to_str().and_then(|n| leftover_pid(n, name)) else {
            continue;
        };
        if pid == std::process::id() || process_alive(pid) {
            continue;
        }
        let path = entry.path();
        if remove_any(&path).is_ok() {
            removed.push(path);
        }
    }
    removed
}

/// The process id in `file_name` when it names a staging or old-output folder of `name`.
fn leftover_pid(file_name: &str, name: &str) -> Option<u32> {
    let staging = format!(".{name}.staging-");
    let old = format!(".{name}.old-");
    if let Some(rest) = file_name.strip_prefix(&staging) {
        let (pid, random) = rest.split_once('-')?;
        (!random.is_empty()).then_some(())?;
        return parse_pid(pid);
    }
    parse_pid(file_name.strip_prefix(&old)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::testing::names;

    #[test]
    fn recognises_only_our_folder_names() {
        assert_eq!(
            leftover_pid(".public.staging-123-abcXYZ", "public"),
            Some(123)
        );
        assert_eq!(leftover_pid(".public.old-77", "public"), Some(77));
        for other in [
            "public",
            ".public.staging-abc",
            ".public.staging-12-",
            ".public.staging--x",
            ".public.old-",
            ".public.old-1x",
            ".site.staging-12-ab",
            ".public.staging-0-ab",
            "notes.txt",
        ] {
            assert_eq!(leftover_pid(other, "public"), None, "{other}");
        }
    }

    #[test]
    fn can_remove_the_leftovers_of_a_dead_build_and_keep_a_running_ones() {
        let dir = tempfile::tempdir().expect("tempdir");
        let dead = crate::fs::tests::dead_pid();
        let alive = std::process::id();
        for folder in [
            format!(".public.staging-{dead}-aaaa"),
            format!(".public.old-{dead}"),
            format!(".public.staging-{alive}-bbbb"),
            "public".to_string(),
            ".public.staging-notapid".to_string(),
            format!(".other.staging-{dead}-cccc"),
        ] {
            std::fs::create_dir_all(dir.path().join(&folder).join("x")).expect("mkdir");
        }
        let removed = remove_leftovers(dir.path(), "public");
        assert_eq!(removed.len(), 2, "{removed:?}");
        assert_eq!(
            names(dir.path()),
            [
                format!(".other.staging-{dead}-cccc"),
                format!(".public.staging-{alive}-bbbb"),
                ".public.staging-notapid".to_string(),
                "public".to_string(),
            ]
        );
    }

    #[test]
    fn can_swap_into_an_absent_output() {
        let dir = tempfile::tempdir().expect("tempdir");
        let staging = dir.path().join(".public.staging-1-x");
        std::fs::create_dir_all(&staging).expect("mkdir");
        std::fs::write(staging.join("index.html"), "new").expect("write");
        let out = dir.path().join("public");
        swap_in(&staging, &out, "public").expect("swap");
        assert_eq!(names(dir.path()), ["public"]);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).expect("read"),
            "new"
        );
    }

    #[test]
    fn can_swap_over_an_old_output_and_remove_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let staging = dir.path().join(".public.staging-1-x");
        let out = dir.path().join("public");
        std::fs::create_dir_all(&staging).expect("mkdir");
        std::fs::create_dir_all(out.join("deep/er")).expect("mkdir");
        std::fs::write(staging.join("index.html"), "new").expect("write");
        std::fs::write(out.join("deep/er/old.html"), "old").expect("write");
        swap_in(&staging, &out, "public").expect("swap");
        assert_eq!(names(dir.path()), ["public"]);
        assert_eq!(names(&out), ["index.html"]);
    }
}
