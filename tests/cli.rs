//! The command line as a new user meets it: `init`, then `import` and `build` in the new site.

use std::path::Path;
use std::process::Output;

fn casebook(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(args)
        .output()
        .expect("the casebook binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn can_init_a_site_that_imports_and_builds_straight_away() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("digest");
    let site_arg = site.to_str().expect("utf-8 path");
    let out = casebook(&["init", site_arg]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for file in [
        "config.toml",
        "themes/default/templates/base.html",
        "themes/default/static/style.css",
        "content/pages/about.md",
    ] {
        assert!(site.join(file).is_file(), "{file} missing");
    }
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds");
    let out = casebook(&["--root", site_arg, "import", seeds.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = casebook(&["--root", site_arg, "build"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(site
        .join("public/decisions/18-014-059/index.html")
        .is_file());
    // The Dudley page (flattened layout) carries no numbers: the page says they are ours.
    let read = |p: &str| std::fs::read_to_string(site.join(p)).expect("page");
    let note = "shows no paragraph numbers";
    assert!(read("public/decisions/23-009-433/index.html").contains(note));
    assert!(!read("public/decisions/18-014-059/index.html").contains(note));
}

#[test]
fn errors_on_init_into_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(tmp.path().join("notes.txt"), "mine").expect("write");
    let out = casebook(&["init", tmp.path().to_str().expect("utf-8")]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("is not empty"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("notes.txt")).expect("kept"),
        "mine"
    );
}

#[test]
fn can_show_help_for_every_command() {
    for cmd in [
        "import", "fetch", "build", "serve", "watch", "check", "init",
    ] {
        let out = casebook(&[cmd, "--help"]);
        assert!(out.status.success(), "{cmd} --help");
        assert!(text(&out.stdout).contains("Usage: casebook"), "{cmd}");
    }
}
