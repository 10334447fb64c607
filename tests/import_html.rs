//! `casebook import` on HTML pages, through the real binary: HTML renditions of the five
//! seeds give the same content files as their text, hand-written saved pages import, and
//! every kind of bad HTML is reported by name while the other files still import.

use std::path::{Path, PathBuf};
use std::process::Output;

fn casebook(root: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_casebook"))
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .expect("the casebook binary runs")
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
    std::fs::write(path, bytes).expect("write");
}

/// Every content file the site holds, by file name.
fn content_files(site: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = walkdir::WalkDir::new(site.join("content/decisions"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(site)
                .expect("inside")
                .display()
                .to_string();
            (rel, read(e.path()))
        })
        .collect();
    out.sort();
    out
}

/// The file without its `[provenance]` table (the last table of the front matter).
fn without_provenance(text: &str) -> String {
    let start = text.find("\n[provenance]\n").expect("a provenance table");
    let end = text[start + 1..].find("\n+++\n").expect("closing fence") + start + 1;
    format!("{}{}", &text[..start], &text[end..])
}

fn seeds() -> Vec<PathBuf> {
    let mut seeds: Vec<PathBuf> = std::fs::read_dir(repo().join("tests/fixtures/seeds"))
        .expect("seeds")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    seeds.sort();
    seeds
}

#[test]
fn html_renditions_of_the_seeds_give_the_same_content_files_as_their_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (text_site, html_site) = (dir.path().join("text"), dir.path().join("html"));
    for seed in seeds() {
        let text = read(&seed);
        let html = casebook::corpus::html::rendition(&text).expect("a decision");
        let name = seed
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        write(
            &dir.path().join("raw-text").join(format!("{name}.txt")),
            text.as_bytes(),
        );
        write(
            &dir.path().join("raw-html").join(format!("{name}.html")),
            html.as_bytes(),
        );
    }
    for (site, raw) in [(&text_site, "raw-text"), (&html_site, "raw-html")] {
        std::fs::create_dir_all(site).expect("site");
        let out = casebook(
            site,
            &["import", dir.path().join(raw).to_str().expect("utf-8")],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stdout(&out).contains("imported 5,"), "{}", stdout(&out));
    }
    let (text_files, html_files) = (content_files(&text_site), content_files(&html_site));
    assert_eq!(text_files.len(), 5);
    for ((text_name, text), (html_name, html)) in text_files.iter().zip(&html_files) {
        assert_eq!(text_name, html_name);
        assert_ne!(text, html, "the provenance names a different source file");
        assert_eq!(
            without_provenance(text),
            without_provenance(html),
            "{text_name}"
        );
        assert!(
            html.contains(".html\""),
            "{html_name} names its HTML source"
        );
    }
}
