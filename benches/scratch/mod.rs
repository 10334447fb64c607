//! What the benchmarks share about where they work, what sizes they run, and copying
//! the repository's theme into their sites.

#![allow(dead_code, reason = "each benchmark uses a part")]

use std::path::{Path, PathBuf};

/// Where a benchmark works: /dev/shm when it exists, so the disk does not dominate the
/// figures, else the temporary folder.
pub(crate) fn base() -> PathBuf {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    }
}

/// The comma-separated numbers in the environment variable `name` (those that parse), or
/// `default` when it is unset or names none.
pub(crate) fn env_list(name: &str, default: usize) -> Vec<usize> {
    std::env::var(name)
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .filter(|v: &Vec<usize>| !v.is_empty())
        .unwrap_or_else(|| vec![default])
}

/// Copies the folder `src` into `dst`, folders and files, over what `dst` holds.
pub(crate) fn copy_tree(src: &Path, dst: &Path) {
    for entry in walkdir::WalkDir::new(src)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry.path().strip_prefix(src).expect("inside");
        let target = dst.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}
