//! Property tests of the text import (proptest), on the real seeds and fixture pages with
//! random changes, and on arbitrary text:
//!
//! - it never panics, whatever the text;
//! - it never loses a word: a word added anywhere in a decision's text (after the page's
//!   header, up to its signature) is in the content file, and so is every word of the unchanged pages, furniture aside;
//! - it is idempotent: the content file, loaded and written again, is the same bytes, and
//!   importing the same page twice gives the same file.
//!
//! A failing case is printed by proptest, shrunk; `PROPTEST_CASES=N` runs more cases.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use casebook::content::{load::parse_decision, render_file};
use casebook::import::import_text;
use proptest::prelude::*;

/// The five seeds and the fixture pages, as (file name, text).
fn pages() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = Vec::new();
    for dir in ["seeds", "raw"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .expect("fixtures")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        for f in files {
            let text = std::fs::read_to_string(&f).expect("read fixture");
            out.push((f.display().to_string(), text));
        }
    }
    assert!(out.len() >= 5, "the seeds are there");
    out
}

/// Imports `text` into the content file's text; `None` when the import refuses it.
fn import(text: &str) -> Option<String> {
    let sha = casebook::content::write::sha256_hex(text.as_bytes());
    let imported = import_text(Path::new("page.txt"), text, &sha).ok()?;
    Some(render_file(&imported.decision).expect("a decision always renders"))
}

/// The words of `text`: runs of letters and digits.
fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The line where a page's header ends: the first `Summary` line, or line 10.
fn header_end(lines: &[&str]) -> usize {
    lines
        .iter()
        .position(|l| l.trim_start().starts_with("Summary"))
        .map_or(10.min(lines.len()), |i| i + 1)
}

/// The line where the decision ends: its signature (what follows is the website's own
/// footer and cookie banner, furniture), or the end of the page.
fn decision_end(lines: &[&str]) -> usize {
    lines
        .iter()
        .rposition(|l| casebook::import::furniture::is_signature(l))
        .map_or(lines.len(), |i| i + 1)
}

/// A word no page holds, made from `stem`.
fn marker(stem: &str) -> String {
    format!("Zq{stem}")
}

#[test]
fn every_word_of_the_pages_after_their_header_is_kept() {
    for (name, text) in pages() {
        let Some(out) = import(&text) else { continue };
        let lines: Vec<&str> = text.lines().collect();
        let body = lines[header_end(&lines)..]
            .iter()
            .filter(|l| !casebook::import::furniture::is_furniture(l))
            .copied()
            .collect::<Vec<_>>()
            .join("\n");
        let lost: Vec<String> = words(&body).difference(&words(&out)).cloned().collect();
        assert!(lost.is_empty(), "{name}: lost {lost:?}");
    }
}

/// Cases per property: 64, or `PROPTEST_CASES`.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(64)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn never_panics_on_arbitrary_text(text in "\\PC*") {
        let _ = import(&text);
    }

    #[test]
    fn never_panics_on_a_page_with_random_edits(
        which in 0usize..64,
        at in 0usize..100_000,
        cut in 0usize..400,
        insert in "(\\PC|\n|  1\\. |• |- |Decision : |Category : | > |\\(\\d\\d \\d\\d\\d \\d\\d\\d\\))*",
    ) {
        let pages = pages();
        let text = &pages[which % pages.len()].1;
        let chars: Vec<char> = text.chars().collect();
        let at = at % (chars.len() + 1);
        let end = (at + cut).min(chars.len());
        let edited: String = chars[..at]
            .iter()
            .chain(insert.chars().collect::<Vec<_>>().iter())
            .chain(chars[end..].iter())
            .collect();
        let _ = import(&edited);
    }

    #[test]
    fn never_loses_a_word_added_to_a_page(
        which in 0usize..64,
        line in 0usize..10_000,
        stems in proptest::collection::vec("[a-z]{3,8}", 1..4),
        new_line in any::<bool>(),
    ) {
        let pages = pages();
        let (name, text) = &pages[which % pages.len()];
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let borrowed: Vec<&str> = lines.iter().map(String::as_str).collect();
        let (start, end) = (header_end(&borrowed), decision_end(&borrowed));
        let line = start + line % end.saturating_sub(start).max(1);
        let added: Vec<String> = stems.iter().map(|s| marker(s)).collect();
        if new_line || line >= lines.len() || lines[line].trim().is_empty() {
            lines.insert(line.min(lines.len()), added.join(" "));
        } else {
            lines[line] = format!("{} {}", lines[line], added.join(" "));
        }
        let edited = lines.join("\n");
        let out = import(&edited);
        prop_assert!(out.is_some(), "{} still imports", name);
        let out = out.unwrap_or_default();
        let kept = words(&out);
        for w in &added {
            prop_assert!(kept.contains(w), "{}: `{}` added at line {} was lost", name, w, line + 1);
        }
    }

    #[test]
    fn the_content_file_loads_and_writes_back_to_the_same_bytes(
        which in 0usize..64,
        line in 0usize..10_000,
        stem in "[a-z]{3,8}",
    ) {
        let pages = pages();
        let (name, text) = &pages[which % pages.len()];
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let start = header_end(&lines.iter().map(String::as_str).collect::<Vec<_>>());
        let line = (start + line % (lines.len() - start).max(1)).min(lines.len());
        lines.insert(line, marker(&stem));
        let edited = lines.join("\n");
        let Some(first) = import(&edited) else {
            return Err(TestCaseError::fail(format!("{name} no longer imports")));
        };
        let second = import(&edited);
        prop_assert_eq!(second.as_deref(), Some(first.as_str()), "importing twice");
        let loaded = parse_decision(Path::new("x.md"), &first);
        prop_assert!(loaded.is_ok(), "{}: its own content file loads: {:?}", name, loaded.err());
        let again = render_file(&loaded.expect("checked")).expect("renders");
        prop_assert_eq!(again, first);
    }
}
