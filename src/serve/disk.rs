//! Writing rebuilds into an output folder for `casebook watch`, every file atomically
//! (a temporary file, then a rename, via [`crate::fs::write_atomic`]): a full build writes
//! every file and removes the ones that are gone; a delta writes and removes only what it
//! names. Files whose bytes did not change are left alone.
//!
//! Interim: once `build`'s staging-folder sink is on main, a full rebuild should go through
//! it (a fresh folder swapped in whole); deltas keep using per-file atomic writes.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use anyhow::{bail, Context};

use super::rebuild::{Rebuilt, SiteDelta, SiteFiles};

/// Writes a rebuild's result below `out`; returns how many files were written or removed.
/// A failed rebuild writes nothing.
pub fn write_rebuilt(out: &Path, rebuilt: &Rebuilt) -> anyhow::Result<usize> {
    match rebuilt {
        Rebuilt::Full(files) => write_full(out, files),
        Rebuilt::Delta(delta) | Rebuilt::Deferred(delta) if delta.replaces_all => {
            let files: SiteFiles = delta.written.iter().cloned().collect();
            write_full(out, &files)
        }
        Rebuilt::Delta(delta) | Rebuilt::Deferred(delta) => write_delta(out, delta),
        Rebuilt::Failed(_) => Ok(0),
    }
}

/// Makes `out` hold exactly `files`.
pub fn write_full(out: &Path, files: &SiteFiles) -> anyhow::Result<usize> {
    let mut touched = 0;
    for (path, bytes) in files.iter() {
        touched += usize::from(write_if_changed(out, path, bytes)?);
    }
    let keep: HashSet<PathBuf> = files.iter().map(|(p, _)| out.join(p)).collect();
    if out.is_dir() {
        for entry in walkdir::WalkDir::new(out).contents_first(true) {
            let entry = entry.with_context(|| format!("cannot list `{}`", out.display()))?;
            let path = entry.path();
            if entry.file_type().is_dir() {
                // Only empty folders go; `remove_dir` refuses the others.
                if path != out {
                    let _ = std::fs::remove_dir(path);
                }
            } else if !keep.contains(path) {
                std::fs::remove_file(path)
                    .with_context(|| format!("cannot remove `{}`", path.display()))?;
                touched += 1;
            }
        }
    }
    Ok(touched)
}

/// Writes and removes the files `delta` names.
pub fn write_delta(out: &Path, delta: &SiteDelta) -> anyhow::Result<usize> {
    let mut touched = 0;
    for file in &delta.written {
        touched += usize::from(write_if_changed(out, &file.path, &file.bytes)?);
    }
    for path in &delta.removed {
        let target = out.join(checked(path)?);
        match std::fs::remove_file(&target) {
            Ok(()) => touched += 1,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(e).with_context(|| format!("cannot remove `{}`", target.display()))
            }
        }
    }
    Ok(touched)
}

fn write_if_changed(out: &Path, path: &str, bytes: &[u8]) -> anyhow::Result<bool> {
    let target = out.join(checked(path)?);
    if std::fs::read(&target).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    crate::fs::write_atomic(&target, bytes)?;
    Ok(true)
}

/// A built file's path, refused unless it stays inside the output folder.
fn checked(path: &str) -> anyhow::Result<&Path> {
    let p = Path::new(path);
    if path.is_empty() || !p.components().all(|c| matches!(c, Component::Normal(_))) {
        bail!("refusing to write `{path}`: not a plain path inside the output folder");
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::OutputFile;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn can_write_full_and_remove_stale_files() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("public");
        std::fs::create_dir_all(out.join("old/deep"))?;
        std::fs::write(out.join("old/deep/x.html"), "stale")?;
        let site: SiteFiles = [file("index.html", "i"), file("a/b.html", "b")]
            .into_iter()
            .collect();
        write_full(&out, &site)?;
        assert_eq!(std::fs::read_to_string(out.join("a/b.html"))?, "b");
        assert!(!out.join("old").exists());
        assert_eq!(
            write_full(&out, &site)?,
            0,
            "nothing changed, nothing written"
        );
        Ok(())
    }

    #[test]
    fn can_write_a_delta() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let out = dir.path();
        std::fs::write(out.join("gone.html"), "g")?;
        let delta = SiteDelta {
            written: vec![file("new.html", "n")],
            removed: vec!["gone.html".into(), "never-was.html".into()],
            replaces_all: false,
        };
        assert_eq!(write_delta(out, &delta)?, 2);
        assert!(out.join("new.html").exists() && !out.join("gone.html").exists());
        Ok(())
    }

    #[test]
    fn errors_on_paths_outside_the_output() {
        for bad in ["../x.html", "/etc/passwd", "a/../../x", ""] {
            let delta = SiteDelta {
                written: vec![file(bad, "x")],
                ..SiteDelta::default()
            };
            assert!(
                write_delta(Path::new("/nonexistent"), &delta).is_err(),
                "{bad}"
            );
        }
    }
}
