//! File-system helpers that put the path into every error and never leave a half-written
//! file behind.
//!
//! Every write in casebook goes through [`write_atomic`]: the bytes go to a temporary file
//! in the same folder, which is then renamed over the target, so a reader (or an
//! interrupted run) sees the old file or the new one, never a mix. The temporary file's name
//! carries the writer's process id (`.casebook-<pid>-XXXXXX.tmp`), so that
//! [`remove_stale_temporaries`] can clear what a killed run left without touching a running
//! one's.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// How the name of every temporary file [`write_atomic`] makes begins.
const TEMP_PREFIX: &str = ".casebook-";
/// How it ends.
const TEMP_SUFFIX: &str = ".tmp";

/// Reads a whole file as bytes, naming the file in the error.
pub fn read(path: &Path) -> io::Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| with_path(e, "read", path))
}

/// Reads a whole file as bytes when it is at most `max` bytes long; else says how long it
/// is (`Err(len)`) without reading it. One open, as [`read`] does, into room for the size
/// the system gave and one byte more. A file that grows past `max` while it is read (or
/// that has no size, such as a pipe) is read no further than `max + 1` bytes.
pub fn read_at_most(path: &Path, max: u64) -> io::Result<Result<Vec<u8>, u64>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).map_err(|e| with_path(e, "read", path))?;
    let len = file
        .metadata()
        .map_err(|e| with_path(e, "read", path))?
        .len();
    if len > max {
        return Ok(Err(len));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0).saturating_add(1));
    // Through `take`, which asks the system for no size again and stops a file that grew.
    (&mut file)
        .take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| with_path(e, "read", path))?;
    if bytes.len() as u64 > max {
        return Ok(Err(bytes.len() as u64));
    }
    Ok(Ok(bytes))
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
        .prefix(&format!("{TEMP_PREFIX}{}-", std::process::id()))
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

/// True when `e` says the disk (or the user's quota) has no room for what was written.
pub fn no_room(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded | io::ErrorKind::FileTooLarge
    )
}

/// Removes, anywhere under `dir`, the temporary files of [`write_atomic`] whose writing process
/// is gone: what a killed run left. Returns the paths removed; a file that cannot be removed
/// now is left for the next run.
pub fn remove_stale_temporaries(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            e.file_name()
                .to_str()
                .and_then(temporary_pid)
                .is_some_and(|pid| pid != std::process::id() && !process_alive(pid))
        })
        .filter_map(|e| std::fs::remove_file(e.path()).ok().map(|()| e.into_path()))
        .collect()
}

/// The writer's process id when `name` is the name of a [`write_atomic`] temporary file.
fn temporary_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(TEMP_PREFIX)?.strip_suffix(TEMP_SUFFIX)?;
    let (pid, random) = rest.split_once('-')?;
    if random.is_empty() {
        return None;
    }
    parse_pid(pid)
}

/// A process id written in decimal (never 0).
pub(crate) fn parse_pid(digits: &str) -> Option<u32> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|&pid| pid > 0)
}

/// Whether process `pid` still runs. When unsure, says yes, so nothing of it is removed.
#[cfg(unix)]
pub(crate) fn process_alive(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return true;
    };
    match rustix::process::test_kill_process(pid) {
        Ok(()) => true,
        Err(e) => e != rustix::io::Errno::SRCH,
    }
}

/// Whether process `pid` still runs: without a way to ask, assume so and remove nothing.
#[cfg(not(unix))]
pub(crate) fn process_alive(_pid: u32) -> bool {
    true
}

/// Adds what was being done and to which path to an IO error.
pub fn with_path(e: io::Error, doing: &str, path: &Path) -> io::Error {
    io::Error::new(
        e.kind(),
        format!("could not {doing} `{}`: {e}", path.display()),
    )
}

#[cfg(test)]
pub(crate) mod tests {
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
    fn reads_a_file_only_when_it_is_small_enough() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("page.html");
        std::fs::write(&path, b"0123456789").expect("write");
        assert_eq!(
            read_at_most(&path, 10).expect("read"),
            Ok(b"0123456789".to_vec())
        );
        assert_eq!(read_at_most(&path, 9).expect("read"), Err(10));
        let missing = read_at_most(&dir.path().join("none.html"), 9).expect_err("missing");
        assert!(missing.to_string().contains("none.html"), "{missing}");
        // A page as long as the website's, and one empty file.
        let page: Vec<u8> = (0..40_000u32).map(|i| b'a' + (i % 26) as u8).collect();
        std::fs::write(&path, &page).expect("write");
        assert_eq!(read_at_most(&path, 40_000).expect("read"), Ok(page));
        std::fs::write(&path, b"").expect("write");
        assert_eq!(read_at_most(&path, 40_000).expect("read"), Ok(Vec::new()));
    }

    /// A pipe has no size to check first: it is read no further than one byte past the
    /// limit, however much its writer sends.
    #[cfg(unix)]
    #[test]
    fn reads_a_pipe_no_further_than_its_limit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("pipe.html");
        rustix::fs::mknodat(
            rustix::fs::CWD,
            &path,
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::RUSR | rustix::fs::Mode::WUSR,
            0,
        )
        .expect("mkfifo");
        let writer = {
            let path = path.clone();
            std::thread::spawn(move || {
                // The reader stops early and closes the pipe: the write then fails.
                let _ = std::fs::write(&path, vec![b'x'; 1 << 20]);
            })
        };
        assert_eq!(read_at_most(&path, 20_000).expect("read"), Err(20_001));
        writer.join().expect("writer");
        // A limit below the first step of growth.
        let writer = {
            let path = path.clone();
            std::thread::spawn(move || {
                let _ = std::fs::write(&path, vec![b'x'; 100]);
            })
        };
        assert_eq!(read_at_most(&path, 9).expect("read"), Err(10));
        writer.join().expect("writer");
        // A short pipe is read whole.
        let writer = {
            let path = path.clone();
            std::thread::spawn(move || std::fs::write(&path, b"<html></html>").expect("write"))
        };
        assert_eq!(
            read_at_most(&path, 20_000).expect("read"),
            Ok(b"<html></html>".to_vec())
        );
        writer.join().expect("writer");
    }

    /// A process id that is not running: a child that has exited and been reaped.
    pub(crate) fn dead_pid() -> u32 {
        let mut child = std::process::Command::new("true").spawn().expect("spawn");
        let pid = child.id();
        child.wait().expect("wait");
        pid
    }

    #[test]
    fn can_remove_the_temporaries_of_a_dead_writer_only() {
        let dir = tempfile::tempdir().expect("tempdir");
        let dead = dead_pid();
        let alive = std::process::id();
        let names = [
            format!("a/.casebook-{dead}-x1.tmp"),
            format!(".casebook-{alive}-x2.tmp"),
            format!(".casebook-{dead}-.tmp"),
            ".casebook-x3.tmp".to_string(),
            format!("b/.casebook-{dead}-x4.md"),
            "b/keep.md".to_string(),
        ];
        for name in &names {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, "x").expect("write");
        }
        let removed = remove_stale_temporaries(dir.path());
        assert_eq!(removed, [dir.path().join(&names[0])]);
        for name in &names[1..] {
            assert!(dir.path().join(name).exists(), "{name} kept");
        }
    }

    #[test]
    fn errors_name_the_path() {
        let err = read(Path::new("/nonexistent/casebook/x.md")).expect_err("missing");
        assert!(err.to_string().contains("/nonexistent/casebook/x.md"));
    }
}
