//! One fetch of a site at a time.

use std::path::Path;

/// Holds the site's fetch lock (`.casebook/fetch.lock`) until dropped: two fetches of one
/// site at once would each request every page, twice as often as the delay allows, and
/// the last to save the state would undo the other's. The operating system releases the
/// lock when the process ends, however it ends.
#[derive(Debug)]
pub struct Lock {
    _file: std::fs::File,
}

/// Takes the fetch lock of the site at `root`; an error when another fetch holds it.
pub fn lock(root: &Path) -> anyhow::Result<Lock> {
    let dir = root.join(".casebook");
    std::fs::create_dir_all(&dir).map_err(|e| crate::fs::with_path(e, "create", &dir))?;
    let path = dir.join("fetch.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| crate::fs::with_path(e, "open", &path))?;
    match file.try_lock() {
        Ok(()) => Ok(Lock { _file: file }),
        Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
            "nothing was fetched: another `casebook fetch` is running on this site (it holds {}); run this one when it has finished",
            path.display()
        ),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(crate::fs::with_path(e, "lock", &path).into())
        }
    }
}
