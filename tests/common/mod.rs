//! `SiteTest`: copy a fixture site into a temporary folder, run the real `casebook` binary
//! on it, and look at what it wrote. See tests/README.md.

#![allow(dead_code, reason = "each test binary uses part of the helper")]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository's root (where the default site and theme live).
pub(crate) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A site in a temporary folder.
pub(crate) struct SiteTest {
    /// Keeps the folder alive.
    pub(crate) dir: tempfile::TempDir,
    /// The site's root inside it.
    pub(crate) root: PathBuf,
}

/// What one run of the binary did.
pub(crate) struct Run {
    /// Exit status was success.
    pub(crate) success: bool,
    /// Standard output.
    pub(crate) stdout: String,
    /// Standard error.
    pub(crate) stderr: String,
}

impl SiteTest {
    /// A copy of `tests/fixtures/<kind>/<case>/`, with the repository's `themes/` added when
    /// the fixture has none.
    pub(crate) fn fixture(kind: &str, case: &str) -> Self {
        let src = repo().join("tests/fixtures").join(kind).join(case);
        assert!(src.is_dir(), "no fixture at {}", src.display());
        Self::copy_of(&src)
    }

    /// A copy of the repository's default site (config, content, themes).
    pub(crate) fn default_site() -> Self {
        let t = Self::empty();
        for part in ["config.toml", "content", "themes"] {
            copy(&repo().join(part), &t.root.join(part));
        }
        t
    }

    /// The default site with its seed decisions replaced by `n` generated ones
    /// (`casebook::corpus`, imported through `casebook import`), built.
    pub(crate) fn generated(n: usize) -> Self {
        let t = Self::default_site();
        std::fs::remove_dir_all(t.root.join("content/decisions")).expect("drop the seeds");
        let raw = t.dir.path().join("raw");
        for i in 0..n {
            let page = casebook::corpus::page(i);
            casebook::fs::write_atomic(&raw.join(&page.file_name), page.text.as_bytes())
                .expect("write a raw page");
        }
        let import = t.run(&["import", &raw.to_string_lossy()]);
        assert!(import.success, "{}", import.stderr);
        let build = t.run(&["build"]);
        assert!(build.success, "{}", build.stderr);
        t
    }

    fn empty() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("site");
        std::fs::create_dir_all(&root).expect("mkdir");
        Self { dir, root }
    }

    fn copy_of(src: &Path) -> Self {
        let t = Self::empty();
        copy(src, &t.root);
        if !t.root.join("themes").exists() {
            copy(&repo().join("themes"), &t.root.join("themes"));
        }
        t
    }

    /// Runs `casebook --root <site> <args>`.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_casebook"))
            .arg("--root")
            .arg(&self.root)
            .args(args)
            .output()
            .expect("run casebook");
        Run {
            success: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// The site's `public/` folder.
    pub(crate) fn public(&self) -> PathBuf {
        self.root.join("public")
    }

    /// Replaces the first `from` in the site's file at `path` (from the site's root) with
    /// `to`; the file must hold `from`.
    pub(crate) fn edit(&self, path: &str, from: &str, to: &str) {
        let file = self.root.join(path);
        let text =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert!(text.contains(from), "{} has no `{from}`", file.display());
        std::fs::write(&file, text.replacen(from, to, 1)).expect("write");
    }

    /// A file of the built site, as text.
    pub(crate) fn read(&self, path: &str) -> String {
        let p = self.public().join(path);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
    }

    /// Every built `.html` file, as (path, text).
    pub(crate) fn html_files(&self) -> Vec<(String, String)> {
        let public = self.public();
        walkdir::WalkDir::new(&public)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(&public)
                    .expect("inside")
                    .display()
                    .to_string();
                (rel, std::fs::read_to_string(e.path()).expect("read html"))
            })
            .collect()
    }

    /// Names in the site's folder (to spot a staging folder left behind).
    pub(crate) fn root_entries(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.root)
            .expect("list")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

/// Copies a file or a folder tree.
pub(crate) fn copy(src: &Path, dst: &Path) {
    if src.is_file() {
        std::fs::create_dir_all(dst.parent().expect("parent")).expect("mkdir");
        std::fs::copy(src, dst).expect("copy file");
        return;
    }
    for entry in walkdir::WalkDir::new(src)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry.path().strip_prefix(src).expect("inside");
        let target = dst.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Every `href`, `src` and `action` value in `html`.
pub(crate) fn links(html: &str) -> Vec<String> {
    let re = regex::Regex::new(r#"(?:href|src|action)="([^"]*)""#).expect("pattern");
    re.captures_iter(html).map(|c| c[1].to_string()).collect()
}
