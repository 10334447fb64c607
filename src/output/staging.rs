//! The staging-folder sink: stream files into a fresh folder beside the output, swap it in
//! only when the whole build succeeded (see [`super::swap`] for the swap itself and for the
//! clearing of folders a killed build left).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use super::swap;
use super::{check_path, Counted, Make, OutputFile, OutputSink};
use crate::fs::with_path;

/// Writes a build into a staging folder next to `output`.
#[derive(Debug)]
pub struct StagingSink {
    output: PathBuf,
    /// The output folder's own name (`public`).
    name: String,
    staging: tempfile::TempDir,
    files: AtomicUsize,
    bytes: AtomicU64,
    /// Folders already made inside the staging folder, so each is made once.
    folders: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
}

impl StagingSink {
    /// Creates a fresh, empty staging folder beside `output` (`.public.staging-<pid>-XXXX`),
    /// on the same file system so the final swap is a rename, after removing the staging
    /// folders that killed builds left there.
    pub fn create(output: &Path) -> std::io::Result<Self> {
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(|e| with_path(e, "create folder", &parent))?;
        let name = output
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        swap::remove_leftovers(&parent, &name);
        let staging = tempfile::Builder::new()
            .prefix(&swap::staging_prefix(&name, std::process::id()))
            .tempdir_in(&parent)
            .map_err(|e| with_path(e, "create a staging folder in", &parent))?;
        Ok(Self {
            output: output.to_path_buf(),
            name,
            staging,
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            folders: std::sync::Mutex::new(std::collections::HashSet::new()),
        })
    }

    /// The staging folder.
    pub fn path(&self) -> &Path {
        self.staging.path()
    }

    /// Files written so far.
    pub fn files(&self) -> usize {
        self.files.load(Ordering::Relaxed)
    }

    /// Bytes written so far.
    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }

    /// Puts the staging folder in place of the output folder: in one step where the system
    /// can swap two folders, so the output is a whole site, old or new, at every instant.
    /// The old output is deleted only after the new one is in place.
    pub fn commit(self) -> std::io::Result<()> {
        let staging = self.staging.keep();
        let swapped = swap::swap_in(&staging, &self.output, &self.name);
        if swapped.is_err() {
            // Whatever is left at the staging path (the new build, or the old output it was
            // swapped with) is not the published site.
            let _ = std::fs::remove_dir_all(&staging);
        }
        swapped
    }
}

impl OutputSink for StagingSink {
    /// Writes `file` straight into the staging folder: the folder itself is the temporary
    /// copy, invisible until [`StagingSink::commit`] swaps it in whole, so a file in it needs
    /// no temporary name of its own, and no fsync.
    fn write(&self, file: OutputFile) -> std::io::Result<()> {
        let target = self.target(&file.path)?;
        std::fs::write(&target, &file.bytes).map_err(|e| with_path(e, "write", &target))?;
        self.count(file.bytes.len() as u64);
        Ok(())
    }

    /// Streams the file into the staging folder through a buffer: never held whole.
    fn write_with(&self, path: &str, make: Make<'_>) -> std::io::Result<u64> {
        let target = self.target(path)?;
        let file = std::fs::File::create(&target).map_err(|e| with_path(e, "write", &target))?;
        let mut out = Counted::new(std::io::BufWriter::with_capacity(1 << 16, file));
        make(&mut out)
            .and_then(|()| out.flush())
            .map_err(|e| with_path(e, "write", &target))?;
        self.count(out.bytes);
        Ok(out.bytes)
    }
}

impl StagingSink {
    /// Where `path` goes in the staging folder, its folder made.
    fn target(&self, path: &str) -> std::io::Result<PathBuf> {
        check_path(path)?;
        let target = self.staging.path().join(path);
        let dir = target.parent().unwrap_or(self.staging.path());
        let made = self
            .folders
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .contains(dir);
        if !made {
            std::fs::create_dir_all(dir).map_err(|e| with_path(e, "create folder", dir))?;
            self.folders
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert(dir.to_path_buf());
        }
        Ok(target)
    }

    fn count(&self, bytes: u64) {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::testing::{file, names};

    #[test]
    fn can_swap_a_finished_build_over_the_old_output() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("public");
        std::fs::create_dir_all(&out).expect("mkdir");
        std::fs::write(out.join("old.html"), "old").expect("write");
        let sink = StagingSink::create(&out).expect("staging");
        sink.write(file("a/index.html", "new")).expect("write");
        assert_eq!(
            std::fs::read_to_string(out.join("old.html")).expect("old"),
            "old"
        );
        sink.commit().expect("commit");
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).expect("new"),
            "new"
        );
        assert!(!out.join("old.html").exists());
        assert_eq!(names(dir.path()), ["public"]);
    }

    #[test]
    fn can_stream_a_file_into_place_and_count_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("public");
        let sink = StagingSink::create(&out).expect("staging");
        let size = sink
            .write_with("data/big.csv", &mut |w| {
                for i in 0..100_000 {
                    writeln!(w, "row {i}")?;
                }
                Ok(())
            })
            .expect("streamed");
        let written = std::fs::read_to_string(sink.path().join("data/big.csv")).expect("read");
        assert_eq!(written.lines().count(), 100_000);
        assert_eq!(size, written.len() as u64);
        assert_eq!((sink.files(), sink.bytes()), (1, size));
        let refused = sink.write_with("../escape", &mut |_| Ok(()));
        assert!(refused.is_err());
        let failed = sink.write_with("data/bad.csv", &mut |_| Err(std::io::Error::other("no")));
        assert!(failed.is_err_and(|e| e.to_string().contains("bad.csv")));
    }

    #[test]
    fn can_leave_the_old_output_and_no_staging_folder_when_dropped() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("public");
        std::fs::create_dir_all(&out).expect("mkdir");
        std::fs::write(out.join("old.html"), "old").expect("write");
        {
            let sink = StagingSink::create(&out).expect("staging");
            sink.write(file("index.html", "half")).expect("write");
        }
        assert_eq!(names(dir.path()), ["public"]);
        assert_eq!(names(&out), ["old.html"]);
    }
}
