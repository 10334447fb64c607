//! A site that fetches from the imitation website, for the `casebook fetch` tests: a
//! temporary folder whose `config.toml` points `[fetch] source` at the imitation, with
//! the checks every fault test makes (no temporary file left, every page whole).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::NaiveDate;

use crate::lgo_site::{Entry, Imitation, SiteData};

pub(crate) fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

/// A site in a temporary folder whose `[fetch]` points at `source`.
pub(crate) struct Site {
    _dir: tempfile::TempDir,
    pub(crate) root: PathBuf,
}

impl Site {
    pub(crate) fn new(source: &str, extra_fetch: &str) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("site");
        std::fs::create_dir_all(&root).expect("mkdir");
        let config = format!(
            "title = \"T\"\nbase_url = \"https://digest.example/\"\n\n[fetch]\nsource = \"{source}\"\ncontact = \"news@digest.example\"\n{extra_fetch}"
        );
        std::fs::write(root.join("config.toml"), config).expect("config");
        Self { _dir: dir, root }
    }

    pub(crate) fn fetch(&self, args: &[&str]) -> (bool, String, String, Option<i32>) {
        let out: Output = Command::new(env!("CARGO_BIN_EXE_casebook"))
            .arg("--root")
            .arg(&self.root)
            .arg("fetch")
            .args(args)
            .output()
            .expect("run casebook");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
            out.status.code(),
        )
    }

    /// `casebook fetch --since since --until until --delay 0`, then `more`.
    pub(crate) fn fetch_months(
        &self,
        since: &str,
        until: &str,
        more: &[&str],
    ) -> (bool, String, String, Option<i32>) {
        let mut args = vec!["--since", since, "--until", until, "--delay", "0"];
        args.extend_from_slice(more);
        self.fetch(&args)
    }

    /// Every file under `sub`, relative, sorted.
    pub(crate) fn files(&self, sub: &str) -> Vec<String> {
        files_under(&self.root.join(sub))
    }

    pub(crate) fn pages(&self) -> Vec<String> {
        self.files("sources")
            .into_iter()
            .filter(|f| f.ends_with(".html"))
            .collect()
    }

    /// No temporary file is left anywhere in the site.
    pub(crate) fn assert_no_temporary_files(&self) {
        let tmp: Vec<String> = self
            .files("")
            .into_iter()
            .filter(|f| f.ends_with(".tmp"))
            .collect();
        assert!(tmp.is_empty(), "half-written files left: {tmp:?}");
    }

    /// Every page in sources/ matches its sidecar's hash.
    pub(crate) fn assert_pages_whole(&self) {
        for page in self.pages() {
            let path = self.root.join("sources").join(&page);
            let sidecar: serde_json::Value = serde_json::from_slice(
                &std::fs::read(format!("{}.json", path.display())).expect("sidecar"),
            )
            .expect("sidecar json");
            let bytes = std::fs::read(&path).expect("page");
            assert_eq!(
                sidecar["sha256"].as_str(),
                Some(sha256(&bytes).as_str()),
                "{page} is not the page its sidecar describes"
            );
        }
    }
}

pub(crate) fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub(crate) fn site_with(entries: Vec<Entry>) -> Imitation {
    Imitation::start(SiteData {
        entries,
        robots: Some("User-agent: *\nDisallow: /private/\n".into()),
        ..SiteData::default()
    })
}

pub(crate) fn page_url(site: &Imitation, e: &Entry) -> String {
    format!("{}{}", site.url(), e.path)
}

pub(crate) fn slug_of(e: &Entry) -> String {
    e.path.rsplit('/').next().expect("slug").to_string()
}

/// Every file under `base`, relative, sorted.
fn files_under(base: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(base)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(base)
                .expect("prefix")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    v.sort();
    v
}

/// `sources/` and `content/` of a fetched site with their bytes, by path from the site's
/// root: what a fetch writes. Temporary files are left out, and the moments a run stamps
/// (`fetched_at`, `finished_at`) are blanked, as they differ from run to run.
pub(crate) fn fetched_tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let stamp = regex::Regex::new(r#""(fetched_at|finished_at)":\s*"[^"]*""#).expect("pattern");
    let mut all = BTreeMap::new();
    for sub in ["sources", "content"] {
        for path in files_under(&root.join(sub)) {
            let name = path.rsplit('/').next().unwrap_or(&path);
            if name.starts_with(".casebook-") && name.ends_with(".tmp") {
                continue;
            }
            let bytes = std::fs::read(root.join(sub).join(&path)).expect("read");
            let bytes = if path.ends_with(".json") {
                let text = String::from_utf8(bytes).expect("JSON is UTF-8");
                stamp
                    .replace_all(&text, r#""$1":"""#)
                    .into_owned()
                    .into_bytes()
            } else {
                bytes
            };
            all.insert(format!("{sub}/{path}"), bytes);
        }
    }
    all
}
