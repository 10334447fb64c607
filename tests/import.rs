//! `casebook import` on the five real seeds and on bad input, through the real binary.

use std::collections::HashMap;
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

fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds")
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

fn front_matter(text: &str) -> toml::Table {
    let rest = text.strip_prefix("+++\n").expect("opening fence");
    let end = rest.find("\n+++\n").expect("closing fence");
    rest[..end].parse().expect("valid TOML")
}

fn body(text: &str) -> &str {
    let end = text[4..].find("\n+++\n").expect("closing fence") + 4;
    &text[end + 5..]
}

/// Imports the seeds into a fresh site and returns it.
fn imported_seeds() -> tempfile::TempDir {
    let site = tempfile::tempdir().expect("tempdir");
    let out = casebook(
        site.path(),
        &["import", seeds_dir().to_str().expect("utf-8 path")],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    site
}

fn decision_file(site: &Path, year: &str, slug: &str) -> String {
    read(
        &site
            .join("content/decisions")
            .join(year)
            .join(format!("{slug}.md")),
    )
}

#[test]
fn can_import_the_five_seeds_with_their_fields() {
    let site = imported_seeds();
    let cases = [
        (
            "2022",
            "21-019-020",
            "Stockton-on-Tees Borough Council",
            "Other",
            "Upheld",
            "2022-08-25",
        ),
        (
            "2024",
            "23-015-769",
            "Essex County Council",
            "Other",
            "Upheld",
            "2024-08-06",
        ),
        (
            "2019",
            "18-014-059",
            "Northamptonshire County Council",
            "Other",
            "Upheld",
            "2019-10-25",
        ),
        (
            "2020",
            "19-010-314",
            "Kent County Council",
            "Child protection",
            "Upheld",
            "2020-07-10",
        ),
    ];
    for (year, slug, council, sub, outcome, date) in cases {
        let fm = front_matter(&decision_file(site.path(), year, slug));
        assert_eq!(
            fm["reference"].as_str(),
            Some(slug.replace('-', " ").as_str())
        );
        assert_eq!(fm["council"].as_str(), Some(council));
        assert_eq!(fm["category"].as_str(), Some("Children's care services"));
        assert_eq!(fm["subcategory"].as_str(), Some(sub));
        assert_eq!(fm["outcome"].as_str(), Some(outcome));
        assert_eq!(
            fm["decision_date"]
                .as_datetime()
                .map(ToString::to_string)
                .as_deref(),
            Some(date)
        );
        // Kent's page uses the flattened `- ` layout, which carries no paragraph numbers.
        let inferred: Vec<&str> = fm["inferred"]
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        let expected: &[&str] = if slug == "19-010-314" {
            &["paragraph_numbers"]
        } else {
            &[]
        };
        assert_eq!(inferred, expected, "{slug}");
        let url = fm["source_url"].as_str().expect("source_url");
        assert!(
            url.ends_with(&format!(
                "/decisions/children-s-care-services/{}/{slug}",
                sub.to_lowercase().replace(' ', "-")
            )),
            "{url}"
        );
        assert_eq!(fm["findings"]["fault"].as_bool(), Some(true), "{slug}");
        let prov = &fm["provenance"];
        assert_eq!(prov["source_sha256"].as_str().map(str::len), Some(64));
        assert!(prov["source_file"]
            .as_str()
            .is_some_and(|f| f.ends_with(".txt")));
    }
}

#[test]
fn can_import_a_page_with_no_metadata_lines() {
    let site = imported_seeds();
    let text = decision_file(site.path(), "undated", "23-009-433");
    let fm = front_matter(&text);
    assert_eq!(
        fm["council"].as_str(),
        Some("Dudley Metropolitan Borough Council")
    );
    assert_eq!(fm["outcome"].as_str(), Some("Upheld"));
    let inferred: Vec<&str> = fm["inferred"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert!(inferred.contains(&"outcome"), "{inferred:?}");
    for absent in ["category", "subcategory", "decision_date", "source_url"] {
        assert!(
            !fm.contains_key(absent),
            "{absent} must be left out, not guessed"
        );
    }
    let remedies = fm["remedies"].as_array().expect("remedies");
    let payment = remedies
        .iter()
        .find(|r| r["kind"].as_str() == Some("payment"))
        .expect("payment");
    assert_eq!(payment["amount"].as_integer(), Some(250));
    assert_eq!(payment["to"].as_str(), Some("Mr X"));
    assert_eq!(payment["deadline"].as_str(), Some("within a month"));
    assert!(remedies
        .iter()
        .any(|r| r["kind"].as_str() == Some("apology")));
}

#[test]
fn warns_about_fields_that_cannot_be_known() {
    let site = tempfile::tempdir().expect("tempdir");
    let seed = seeds_dir().join("001_7966daec091fde94.txt");
    let out = casebook(site.path(), &["import", seed.to_str().expect("utf-8")]);
    assert!(out.status.success());
    let err = stderr(&out);
    for expected in [
        "states no decision date",
        "states no category",
        "inferred `Upheld`",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert!(
        err.contains("001_7966daec091fde94.txt"),
        "warnings name the file:\n{err}"
    );
}

#[test]
fn can_number_paragraphs_as_the_ombudsman_did() {
    let site = imported_seeds();
    let text = decision_file(site.path(), "2019", "18-014-059");
    let b = body(&text);
    let para = |n: u32| {
        b.lines()
            .find(|l| l.starts_with(&format!("{n}. ")))
            .unwrap_or_else(|| panic!("paragraph {n} missing"))
            .to_string()
    };
    // "I set out the main findings in paragraphs 27 and 30."
    assert!(para(27).contains("main findings were:"), "{}", para(27));
    assert!(
        para(30).contains("At stage three panel noted:"),
        "{}",
        para(30)
    );
    assert!(para(33).contains("paragraphs 27 and 30"), "{}", para(33));
    assert!(para(37).starts_with("37. Within one month of my decision the Council should:"));
    // Numbers run 1..=38 without gaps or repeats.
    let numbers: Vec<u32> = b
        .lines()
        .filter_map(|l| l.split_once(". ").and_then(|(n, _)| n.parse().ok()))
        .collect();
    assert_eq!(numbers, (1..=38).collect::<Vec<u32>>());
    // Bullets stay nested under their paragraph.
    let after_27: Vec<&str> = b
        .lines()
        .skip_while(|l| !l.starts_with("27. "))
        .skip(1)
        .take(2)
        .collect();
    assert!(
        after_27.iter().all(|l| l.starts_with("    - ")),
        "{after_27:?}"
    );
    // Sections and sub-headings.
    assert!(b.contains("\n## What I found\n\n### Background for the child in need process\n"));
    assert!(b.contains("## Agreed action\n"));
}

#[test]
fn can_keep_numbering_continuous_across_bullets_in_the_copy() {
    let site = imported_seeds();
    let b = body(&decision_file(site.path(), "2022", "21-019-020")).to_string();
    let numbered: Vec<u32> = b
        .lines()
        .filter_map(|l| l.split_once(". ").and_then(|(n, _)| n.parse().ok()))
        .collect();
    let expected: Vec<u32> = (1..=numbered.len() as u32).collect();
    assert_eq!(numbered, expected);
    // The copy restarts at "1." after the bullet list; the real paragraph follows on.
    let closure = b
        .lines()
        .position(|l| l.contains("reasons for closing the case;"))
        .expect("para");
    let lines: Vec<&str> = b.lines().collect();
    let bullet = lines[closure + 1];
    assert!(
        bullet.starts_with("  ") && bullet.trim_start() == "- The FAO had expired",
        "{bullet}"
    );
    assert!(
        lines[closure + 6].contains("In that closure report"),
        "{}",
        lines[closure + 6]
    );
    assert!(!b.contains("Back to top") && !b.contains("Print this page") && !b.contains("cookies"));
    assert!(b
        .trim_end()
        .ends_with("Investigator's decision on behalf of the Ombudsman"));
}

fn tokens(text: &str, strip_markers: &regex::Regex) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for line in text.lines() {
        let line = strip_markers.replace(line, "");
        let line = line.replace('\\', "");
        for word in line.split_whitespace() {
            *counts.entry(word.to_string()).or_insert(0) += 1;
        }
    }
    counts
}

/// Lines of the source that carry the Ombudsman's words (not furniture, not the header and
/// metadata lines whose values are checked field by field).
fn source_words(source: &str) -> String {
    let mut out = String::new();
    let mut banner = false;
    for line in source.lines() {
        let t = line.trim();
        if t == "Review your privacy settings" {
            banner = true;
        }
        if banner {
            banner = t != "Privacy settings";
            continue;
        }
        let furniture = [
            "Back to top",
            "Print this page",
            "LGO logogram",
            "The Ombudsman's final decision:",
        ];
        let metadata = ["Category :", "Decision :", "Decision date :"];
        if furniture.contains(&t)
            || metadata.iter().any(|m| t.starts_with(m))
            || t.ends_with(')') && t.contains(" (") && !t.contains('.')
        {
            continue;
        }
        out.push_str(t.strip_prefix("Summary:").unwrap_or(t));
        out.push('\n');
    }
    out
}

#[test]
fn keeps_every_word_of_every_seed() {
    let site = imported_seeds();
    let markers = regex::Regex::new(r"^\s*(?:\d+\.|•|-|#+)\s+").expect("regex");
    let files: Vec<PathBuf> = walkdir::WalkDir::new(site.path().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .map(walkdir::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    assert_eq!(files.len(), 5);
    for file in files {
        let text = read(&file);
        let fm = front_matter(&text);
        let source_name = fm["provenance"]["source_file"]
            .as_str()
            .expect("source file");
        let source = read(&seeds_dir().join(source_name));
        let output = format!("{}\n{}", fm["summary"].as_str().unwrap_or(""), body(&text));
        let have = tokens(&output, &markers);
        let want = tokens(&source_words(&source), &markers);
        let missing: Vec<_> = want
            .iter()
            .filter(|(w, n)| have.get(*w).copied().unwrap_or(0) < **n)
            .collect();
        assert!(missing.is_empty(), "{source_name}: words lost: {missing:?}");
    }
}

#[test]
fn can_reimport_unchanged_sources_without_writing() {
    let site = imported_seeds();
    let path = site.path().join("content/decisions/2020/19-010-314.md");
    let before = std::fs::read(&path).expect("read");
    let modified = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .expect("mtime");
    let out = casebook(
        site.path(),
        &["import", seeds_dir().to_str().expect("utf-8")],
    );
    assert!(out.status.success());
    assert!(
        stdout(&out).contains("imported 0, updated 0, unchanged 5, skipped 0, failed 0"),
        "{}",
        stdout(&out)
    );
    assert_eq!(std::fs::read(&path).expect("read"), before);
    assert_eq!(
        std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .expect("mtime"),
        modified
    );
}

#[test]
fn never_overwrites_a_hand_edit_without_force() {
    let site = imported_seeds();
    let path = site.path().join("content/decisions/2020/19-010-314.md");
    let edited = read(&path).replace("Kent County Council", "Kent County Council (corrected)");
    std::fs::write(&path, &edited).expect("hand edit");

    let out = casebook(
        site.path(),
        &["import", seeds_dir().to_str().expect("utf-8")],
    );
    assert!(out.status.success(), "a kept hand edit is not a failure");
    assert!(
        stdout(&out).contains("unchanged 4, skipped 1"),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains("19-010-314.md") && stderr(&out).contains("edited by hand"),
        "{}",
        stderr(&out)
    );
    assert_eq!(read(&path), edited);

    let out = casebook(
        site.path(),
        &["import", "--force", seeds_dir().to_str().expect("utf-8")],
    );
    assert!(out.status.success());
    assert!(!read(&path).contains("(corrected)"));
    let backups: Vec<PathBuf> = std::fs::read_dir(path.parent().expect("folder"))
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".bak"))
        .collect();
    assert_eq!(
        backups.len(),
        1,
        "the edited file is kept beside the new one"
    );
    assert_eq!(read(&backups[0]), edited);
}

#[test]
fn can_handle_windows_endings_bom_trailing_space_and_a_suffix() {
    let site = tempfile::tempdir().expect("tempdir");
    let raw = tempfile::tempdir().expect("tempdir");
    let seed = read(&seeds_dir().join("004_cd97c01f90c015c2.txt")).replace(
        "Kent County Council (19 010 314)",
        "Kent County Council (17 002 402b)",
    );
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend(
        seed.lines()
            .map(|l| format!("{l}  \r\n"))
            .collect::<String>()
            .into_bytes(),
    );
    let file = raw.path().join("windows.txt");
    std::fs::write(&file, bytes).expect("write");
    let out = casebook(site.path(), &["import", file.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = decision_file(site.path(), "2020", "17-002-402b");
    assert!(!text.contains('\r') && !text.contains('\u{feff}'));
    assert!(
        !text.lines().any(|l| l.ends_with(' ')),
        "no trailing spaces kept"
    );
    let fm = front_matter(&text);
    assert_eq!(fm["reference"].as_str(), Some("17 002 402b"));
    assert_eq!(fm["council"].as_str(), Some("Kent County Council"));
    assert!(fm["source_url"]
        .as_str()
        .is_some_and(|u| u.ends_with("/17-002-402b")));
    // Same words, same numbering as the clean seed imported alone.
    let clean_site = imported_seeds();
    assert_eq!(
        body(&text),
        body(&decision_file(clean_site.path(), "2020", "19-010-314"))
    );
}

#[test]
fn reports_every_bad_file_and_imports_the_rest() {
    let site = tempfile::tempdir().expect("tempdir");
    let raw = tempfile::tempdir().expect("tempdir");
    let dir = raw.path();
    let stockton = read(&seeds_dir().join("000_50cd1d307db875a2.txt"));
    std::fs::write(dir.join("a_good.txt"), &stockton).expect("write");
    std::fs::write(dir.join("b_duplicate.txt"), &stockton).expect("write");
    std::fs::write(dir.join("c_empty.txt"), "").expect("write");
    std::fs::write(
        dir.join("d_binary.txt"),
        [0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0xFF],
    )
    .expect("write");
    std::fs::write(
        dir.join("e_latin1.txt"),
        b"Kent County Council (19 010 314)\nSummary: caf\xe9 fault.\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("f_no_header.txt"),
        "The complaint\n\n  1. Mr X complains.\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("g_truncated.txt"),
        "Essex County Council (23 015 769)\n\nCategory : Children's care services > Other\n\nDecision : Upheld\n\n\
         Decision date : 06 Aug 2024\n\nThe Ombudsman's final decision:\n\nSummary: There was fault.\n",
    )
    .expect("write");

    let out = casebook(site.path(), &["import", dir.to_str().expect("utf-8")]);
    let (err, last) = (stderr(&out), stdout(&out));
    assert!(!out.status.success(), "failures give a non-zero exit code");
    assert!(
        last.trim_end()
            .ends_with("imported 2, updated 0, unchanged 0, skipped 0, failed 5"),
        "{last}"
    );
    let expect_line = |file: &str, words: &str| {
        let line = err
            .lines()
            .find(|l| l.contains(file) && l.contains(words))
            .unwrap_or_else(|| panic!("no message for {file} saying {words:?} in:\n{err}"));
        line.to_string()
    };
    assert!(expect_line("b_duplicate.txt", "also in").contains("a_good.txt"));
    expect_line("c_empty.txt", "the file is empty");
    expect_line("d_binary.txt", "binary");
    assert!(expect_line("e_latin1.txt", "not UTF-8").contains("e_latin1.txt:2:13"));
    assert!(expect_line("f_no_header.txt", "Name (NN NNN NNN)").contains("f_no_header.txt:1:1"));
    expect_line("g_truncated.txt", "truncated");
    assert!(site
        .path()
        .join("content/decisions/2022/21-019-020.md")
        .is_file());
    assert!(site
        .path()
        .join("content/decisions/2024/23-015-769.md")
        .is_file());
    let leftovers = walkdir::WalkDir::new(site.path())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .count();
    assert_eq!(leftovers, 0, "no temporary files left behind");
}

#[test]
fn errors_on_a_missing_path() {
    let site = tempfile::tempdir().expect("tempdir");
    let out = casebook(site.path(), &["import", "no/such/file.txt"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("no/such/file.txt: no such file or folder"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).contains("failed 1"));
}

#[test]
fn can_load_back_what_import_wrote() {
    let site = imported_seeds();
    let loaded = casebook::content::load_decisions(&site.path().join("content/decisions"));
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    assert_eq!(loaded.files.len(), 5);
    for file in &loaded.files {
        let source = seeds_dir().join(
            &file
                .decision
                .provenance
                .as_ref()
                .expect("provenance")
                .source_file,
        );
        let bytes = std::fs::read(&source).expect("seed");
        let text = casebook::import::decode(&source, &bytes).expect("decodes");
        let sha = casebook::content::write::sha256_hex(&bytes);
        let mut fresh = casebook::import::import_text(&source, &text, &sha)
            .expect("imports")
            .decision;
        let mut back = file.decision.clone();
        if let (Some(a), Some(b)) = (fresh.provenance.as_mut(), back.provenance.as_mut()) {
            a.written_sha256 = None;
            b.written_sha256 = None;
        }
        fresh.body = fresh.body.trim_end().to_string();
        back.body = back.body.trim_end().to_string();
        assert_eq!(fresh, back, "{}", file.path.display());
    }
}

#[test]
fn never_panics_on_cut_or_shuffled_pages() {
    for entry in std::fs::read_dir(seeds_dir()).expect("seeds") {
        let path = entry.expect("entry").path();
        let text = read(&path);
        let cuts = (0..text.len())
            .step_by(113)
            .filter(|&i| text.is_char_boundary(i));
        for cut in cuts {
            let _ = casebook::import::import_text(&path, &text[..cut], "00");
        }
        let mut lines: Vec<&str> = text.lines().collect();
        lines.reverse();
        let _ = casebook::import::import_text(&path, &lines.join("\n"), "00");
        let indented: String = text.lines().map(|l| format!("        {l}\n")).collect();
        let _ = casebook::import::import_text(&path, &indented, "00");
    }
}
