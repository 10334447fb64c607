//! What the benchmarks share about where they work and what sizes they run.

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
