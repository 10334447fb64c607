//! The only writer of `public/`: files produced by `render` and `search` arrive here as
//! [`OutputFile`] values, one at a time and from many threads, through an [`OutputSink`].
//!
//! - [`StagingSink`] (for `build`) streams each file into a fresh staging folder next to
//!   the output (each file written under a temporary name, then renamed), and
//!   [`StagingSink::commit`] swaps the folder over the output only when the whole build
//!   succeeded, in one step on Linux (`swap`), and a new build first clears the staging
//!   folders a killed build left. Dropping it without committing deletes the staging folder, so a failed
//!   build leaves the old output untouched and no staging folder behind.
//! - [`MemorySink`] (for `serve`) keeps every file in a map from path to bytes.
//!
//! Never renders.

mod memory;
mod staging;
mod swap;

pub use memory::{snug, MemorySink};
pub use staging::StagingSink;

/// One file of the built site: its path below the site root (`decisions/21-019-020/index.html`)
/// and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output folder, with `/` separators and no leading `/`.
    pub path: String,
    /// The file's contents.
    pub bytes: Vec<u8>,
}

/// What makes a file by writing its bytes into the stream it is given (the data files,
/// hundreds of megabytes at 100,000 decisions, are made this way so that they need not be
/// held whole).
pub type Make<'a> = &'a mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>;

/// Receives the files of a build as they are rendered, from any thread.
pub trait OutputSink: Send + Sync {
    /// Takes one file. Writing the same path twice replaces the first.
    fn write(&self, file: OutputFile) -> std::io::Result<()>;

    /// Takes the file at `path` that `make` writes, and returns its size. A sink that
    /// writes to disk streams it there; by default it is gathered ([`gather`]) and given
    /// to [`OutputSink::write`].
    fn write_with(&self, path: &str, make: Make<'_>) -> std::io::Result<u64> {
        gather_and_write(self, path, make)
    }
}

/// [`OutputSink::write_with`] for a sink that takes files whole: the file is gathered
/// ([`gather`]) and given to [`OutputSink::write`]; returns its size.
pub fn gather_and_write<S: OutputSink + ?Sized>(
    sink: &S,
    path: &str,
    make: Make<'_>,
) -> std::io::Result<u64> {
    let file = gather(path, make)?;
    let len = file.bytes.len() as u64;
    sink.write(file)?;
    Ok(len)
}

/// A writer that passes its bytes on to `inner` and counts them.
#[derive(Debug)]
pub struct Counted<W> {
    inner: W,
    /// The bytes written so far.
    pub bytes: u64,
}

impl<W> Counted<W> {
    /// Counts what is written to `inner`, from 0.
    pub fn new(inner: W) -> Self {
        Self { inner, bytes: 0 }
    }
}

impl<W: std::io::Write> std::io::Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The file at `path` that `make` writes, held whole.
pub fn gather(path: &str, make: Make<'_>) -> std::io::Result<OutputFile> {
    let mut bytes = Vec::new();
    make(&mut bytes)?;
    Ok(OutputFile {
        path: path.into(),
        bytes,
    })
}

/// Checks that `path` is a relative path with `/` separators that stays inside the
/// output folder.
pub fn check_path(path: &str) -> std::io::Result<()> {
    let ok = !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && path
            .split('/')
            .all(|seg| !seg.is_empty() && seg != "." && seg != "..");
    if ok {
        Ok(())
    } else {
        Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("`{path}` is not a path inside the output folder"),
        ))
    }
}

/// What the output and preview unit tests share: a file to write, and a folder's names.
#[cfg(test)]
pub(crate) mod testing {
    use std::path::Path;

    use super::OutputFile;

    /// An output file at `path` holding `text`.
    pub(crate) fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    /// The names in `dir`, sorted.
    pub(crate) fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("list")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_on_paths_that_leave_the_output() {
        for bad in ["", "/a", "../a", "a/../../b", "a//b", "a\\b"] {
            assert!(check_path(bad).is_err(), "{bad:?}");
        }
        check_path("decisions/1/index.html").expect("fine");
    }
}
