//! Writing rebuilds into an output folder for `casebook watch`, every file atomically
//! (a temporary file, then a rename, via [`crate::fs::write_atomic`]): a full build writes
//! every file and removes the ones that are gone; a delta writes and removes only what it
//! names. Files whose bytes did not change are left alone.
//!
//! Interim: once `build`'s staging-folder sink is on main, a full rebuild should go through
//! it (a fresh folder swapped in whole); deltas keep using per-file atomic writes.

use std::path::Path;

use anyhow::Context;

use super::rebuild::{Rebuilt, SiteDelta, SiteFiles};

/// Writes a rebuild's result below `out`; returns how many files were written or removed.
/// A failed rebuild writes nothing.
pub fn write_rebuilt(out: &Path, rebuilt: &Rebuilt) -> anyhow::Result<usize> {
    match rebuilt {
        Rebuilt::Full(files) => write_full(out, files),
        Rebuilt::Delta(delta) | Rebuilt::Deferred(delta) => match &delta.whole {
            Some(whole) => Ok(write_full(out, whole)? + write_delta(out, delta)?),
            None => write_delta(out, delta),
        },
        Rebuilt::Failed(_) => Ok(0),
    }
}

/// Makes `out` hold exactly `files`, as `build` does: every file goes into a fresh staging
/// folder, which replaces `out` whole only when all of them were written.
pub fn write_full(out: &Path, files: &SiteFiles) -> anyhow::Result<usize> {
    use crate::output::{OutputFile, OutputSink, StagingSink};
    let sink = StagingSink::create(out)
        .with_context(|| format!("cannot create a staging folder beside `{}`", out.display()))?;
    for (path, bytes) in files.iter() {
        sink.write(OutputFile {
            path: path.to_string(),
            bytes: bytes.to_vec(),
        })
        .with_context(|| format!("cannot write `{path}` into the staging folder"))?;
    }
    sink.commit()
        .with_context(|| format!("cannot replace `{}`", out.display()))?;
    Ok(files.len())
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

/// A built file's path, refused unless it stays inside the output folder (the same rule
/// the build's sinks apply).
fn checked(path: &str) -> anyhow::Result<&Path> {
    crate::output::check_path(path)?;
    Ok(Path::new(path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::testing::file;

    #[test]
    fn can_swap_in_a_full_site_and_drop_stale_files() -> anyhow::Result<()> {
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
            2,
            "the whole site is swapped in again"
        );
        let left: Vec<_> = std::fs::read_dir(dir.path())?
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(left, ["public"], "no staging or old folder left behind");
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
            whole: None,
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
