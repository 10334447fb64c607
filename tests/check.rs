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

/// A site holding the five seed decisions as the project imported them.
fn seed_site() -> tempfile::TempDir {
    let site = tempfile::tempdir().expect("tempdir");
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/decisions");
    for entry in walkdir::WalkDir::new(&from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry.path().strip_prefix(&from).expect("below content");
        let to = site.path().join("content/decisions").join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &to).expect("copy");
        }
    }
    site
}

#[test]
fn can_print_readability_for_every_decision() {
    let site = seed_site();
    let out = casebook(site.path(), &["check", "--readability"]);
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
    let out = casebook(site.path(), &["check"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(!stdout.contains("Readability"), "{stdout}");
    assert!(stdout.contains("checked 5 decisions"), "{stdout}");
}

#[test]
fn errors_on_a_broken_file_but_checks_the_others() {
    let site = seed_site();
    let bad = site.path().join("content/decisions/2020/broken.md");
    std::fs::write(
        &bad,
        "+++\nreference = \"21 019 099\"\ncouncil = \n+++\nbody\n",
    )
    .expect("write");
    let out = casebook(site.path(), &["check", "--readability"]);
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
    let out = casebook(site.path(), &["check"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no content folder"), "{stderr}");
}
