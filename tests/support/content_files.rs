//! The content files of a site, for tests that edit them.

use std::path::Path;

/// Every decision file of the site at `root`, relative to it, sorted.
pub(crate) fn decision_files(root: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(root.join("content/decisions"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter_map(|e| {
            e.path()
                .strip_prefix(root)
                .ok()
                .map(|p| p.display().to_string())
        })
        .collect();
    files.sort();
    files
}
