//! An in-memory sink: a map from path to bytes, for `serve`.

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

use super::{check_path, OutputFile, OutputSink};

/// Keeps every file in memory.
#[derive(Debug, Default)]
pub struct MemorySink {
    files: Mutex<BTreeMap<String, Vec<u8>>>,
}

impl MemorySink {
    /// An empty sink.
    pub fn new() -> Self {
        Self::default()
    }

    /// The bytes of the file at `path`, if it was written.
    pub fn get(&self, path: &str) -> Option<Vec<u8>> {
        self.lock().get(path).cloned()
    }

    /// How many files it holds.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether it holds no file.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    /// Every file, by path.
    pub fn into_map(self) -> BTreeMap<String, Vec<u8>> {
        self.files
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Vec<u8>>> {
        // A panic while holding the lock cannot leave the map half-updated.
        self.files.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl OutputSink for MemorySink {
    fn write(&self, file: OutputFile) -> std::io::Result<()> {
        check_path(&file.path)?;
        self.lock().insert(file.path, file.bytes);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_keep_files_by_path() {
        let sink = MemorySink::new();
        sink.write(OutputFile {
            path: "a/index.html".into(),
            bytes: b"x".to_vec(),
        })
        .expect("write");
        assert_eq!(sink.get("a/index.html"), Some(b"x".to_vec()));
        assert!(sink
            .write(OutputFile {
                path: "../x".into(),
                bytes: Vec::new()
            })
            .is_err());
        assert_eq!(sink.into_map().len(), 1);
    }
}
