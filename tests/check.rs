//! `casebook check` run as a real binary on sites in a temporary folder.

use std::path::Path;
use std::process::{Command, Output};

fn casebook(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_casebook"))
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .expect("run casebook")
}

/// A new site (from `casebook init`) holding the five seed decisions as the project
/// imported them.
fn seed_site() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .arg("init")
        .arg(tmp.path().join("site"))
        .output()
        .expect("run casebook init");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/decisions");
    for entry in walkdir::WalkDir::new(&from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry.path().strip_prefix(&from).expect("below content");
        let to = tmp.path().join("site/content/decisions").join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &to).expect("copy");
        }
    }
    tmp
}

fn site_root(tmp: &tempfile::TempDir) -> std::path::PathBuf {
    tmp.path().join("site")
}

#[test]
fn can_print_readability_for_every_decision() {
    let site = seed_site();
    let out = casebook(&site_root(&site), &["check", "--readability"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for reference in [
        "23 009 433",
        "18 014 059",
        "21 019 020",
        "19 010 314",
        "23 015 769",
    ] {
        assert!(
            stdout.contains(&format!("{reference}   generated")),
            "{reference}:\n{stdout}"
        );
    }
    assert!(stdout.contains("average of 5"), "{stdout}");
    assert!(stdout.contains("for 5 of 5 decisions"), "{stdout}");
    assert!(stdout.contains("checked 5 decisions: 0 errors"), "{stdout}");
}

#[test]
fn can_check_without_readability() {
    let site = seed_site();
    let out = casebook(&site_root(&site), &["check"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(!stdout.contains("Readability"), "{stdout}");
    assert!(stdout.contains("checked 5 decisions"), "{stdout}");
}

#[test]
fn errors_on_a_broken_file_but_checks_the_others() {
    let site = seed_site();
    let bad = site_root(&site).join("content/decisions/2020/broken.md");
    std::fs::write(
        &bad,
        "+++\nreference = \"21 019 099\"\ncouncil = \n+++\nbody\n",
    )
    .expect("write");
    let out = casebook(&site_root(&site), &["check", "--readability"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("broken.md:3:"), "{stderr}");
    assert!(stdout.contains("checked 5 decisions: 1 errors"), "{stdout}");
    assert!(stdout.contains("average of 5"), "{stdout}");
}

#[test]
fn errors_on_a_folder_without_content() {
    let site = tempfile::tempdir().expect("tempdir");
    let out = casebook(&site_root(&site), &["check"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no content folder"), "{stderr}");
}

#[test]
fn errors_on_a_reference_to_a_missing_paragraph_and_a_broken_link() {
    let site = seed_site();
    let root = site_root(&site);
    let file = root.join("content/decisions/2019/18-014-059.md");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(
        &file,
        text.replace("paragraphs 27 and 30", "paragraphs 27 and 60"),
    )
    .expect("write");
    let about = root.join("content/pages/about.md");
    let page = std::fs::read_to_string(&about).expect("read");
    std::fs::write(
        &about,
        format!("{page}\n[A dead link](/councils/nowhere/)\n"),
    )
    .expect("write");
    let out = casebook(&root, &["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    let line = stderr
        .lines()
        .find(|l| l.contains("paragraph 60"))
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(line.contains("18-014-059.md:"), "{line}");
    assert!(
        line.contains("(expected a paragraph from 1 to 38)"),
        "{line}"
    );
    assert!(
        stderr.contains("/councils/nowhere/") && stderr.contains("points nowhere"),
        "{stderr}"
    );
}

#[test]
fn warns_of_an_injustice_found_with_no_fault() {
    let site = seed_site();
    let root = site_root(&site);
    let file = root.join("content/decisions/2019/18-014-059.md");
    let text = std::fs::read_to_string(&file).expect("read");
    assert!(text.contains("fault = true\n"), "the seed finds fault");
    std::fs::write(&file, text.replacen("fault = true\n", "fault = false\n", 1)).expect("write");
    let out = casebook(&root, &["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = stderr
        .lines()
        .find(|l| l.contains("`injustice = true` with `fault = false`"))
        .unwrap_or_else(|| panic!("no warning:\n{stderr}"));
    assert!(
        line.contains("18-014-059.md:"),
        "names the file and line: {line}"
    );
    assert!(line.starts_with("warning"), "{line}");
}
