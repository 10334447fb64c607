//! File-system helpers that put the path into every error and never leave a half-written
//! file behind.
//!
//! Every write in casebook goes through [`write_atomic`]: the bytes go to a temporary file
//! in the same folder, which is then renamed over the target, so a reader (or an
//! interrupted run) sees the old file or the new one, never a mix.

use std::io::{self, Write};
use std::path::Path;

/// Reads a whole file as bytes, naming the file in the error.
pub fn read(path: &Path) -> io::Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| with_path(e, "read", path))
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, flushed to
/// disk, then renamed over `path`. Creates missing parent folders.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(|e| with_path(e, "create folder", dir))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".casebook-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| with_path(e, "create a temporary file in", dir))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_data())
        .map_err(|e| with_path(e, "write", tmp.path()))?;
    tmp.persist(path)
        .map_err(|e| with_path(e.error, "rename a temporary file onto", path))?;
    Ok(())
}

/// Adds what was being done and to which path to an IO error.
pub fn with_path(e: io::Error, doing: &str, path: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("could not {doing} `{}`: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_write_atomically_and_replace() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a/b/c.txt");
        write_atomic(&path, b"one").expect("first write");
        write_atomic(&path, b"two").expect("second write");
        assert_eq!(std::fs::read(&path).expect("read"), b"two");
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().expect("parent"))
            .expect("list")
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "temporary files left behind");
    }

    #[test]
    fn errors_name_the_path() {
        let err = read(Path::new("/nonexistent/casebook/x.md")).expect_err("missing");
        assert!(err.to_string().contains("/nonexistent/casebook/x.md"));
    }
}
