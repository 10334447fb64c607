//! Incremental rebuilds against the real build: after each kind of decision edit, the site
//! the preview holds (last build + delta + deferred files) must equal a fresh full build,
//! file for file.

#[path = "support/content_files.rs"]
mod content_files;

use std::path::{Path, PathBuf};

use casebook::serve::adapter::SiteBuild;
use casebook::serve::{Rebuild, SiteFiles};
use casebook::watch::Change;
use content_files::decision_files;

/// A site made by `casebook init`, holding the seeds and 60 synthetic decisions, with
/// small pages so that listings paginate.
fn site() -> (tempfile::TempDir, PathBuf) {
    site_of(60)
}

/// The same with `n` synthetic decisions.
fn site_of(n: usize) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_casebook"))
        .arg("init")
        .arg(&root)
        .output()
        .expect("init runs");
    assert!(out.status.success());
    let config = root.join("config.toml");
    let text = std::fs::read_to_string(&config).expect("config");
    std::fs::write(&config, text.replace("paginate_by = 30", "paginate_by = 4")).expect("config");
    let raw = tmp.path().join("raw");
    for i in 0..n {
        let page = casebook::corpus::small_page(i);
        std::fs::create_dir_all(&raw).expect("raw");
        std::fs::write(raw.join(&page.file_name), page.text).expect("write");
    }
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds");
    for dir in [seeds, raw] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_casebook"))
            .arg("--root")
            .arg(&root)
            .arg("import")
            .arg(&dir)
            .output()
            .expect("import runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    (tmp, root)
}

fn full(root: &Path) -> SiteFiles {
    SiteBuild::new(root, Some("/".into()))
        .full()
        .expect("full build")
}

/// Applies `edit`, rebuilds incrementally, and checks the result against a full build.
/// Returns how many decision pages the rebuild wrote.
fn check_edit(
    preview: &mut SiteBuild,
    live: &mut SiteFiles,
    root: &Path,
    changed: &[&str],
    what: &str,
) -> usize {
    let changes: Vec<Change> = changed.iter().map(|p| Change::new(*p)).collect();
    let delta = preview
        .changed(&changes)
        .unwrap_or_else(|e| panic!("{what}: {e:?}"));
    assert!(
        !delta.replaces_all(),
        "{what}: a decision edit is incremental"
    );
    let pages = delta
        .written
        .iter()
        .filter(|f| f.path.starts_with("decisions/") && f.path.ends_with("/index.html"))
        .filter(|f| f.path.matches('/').count() == 2)
        .count();
    live.apply(delta);
    live.apply(preview.deferred().expect("deferred files"));
    assert_full_build(live, root, what);
    pages
}

/// `live` holds the files of a full build of `root`, no more, no fewer, byte for byte.
fn assert_full_build(live: &SiteFiles, root: &Path, what: &str) {
    let fresh = full(root);
    let live_paths: std::collections::BTreeSet<&str> = live.iter().map(|(p, _)| p).collect();
    let fresh_paths: std::collections::BTreeSet<&str> = fresh.iter().map(|(p, _)| p).collect();
    let extra: Vec<_> = live_paths.difference(&fresh_paths).collect();
    let missing: Vec<_> = fresh_paths.difference(&live_paths).collect();
    assert!(
        extra.is_empty() && missing.is_empty(),
        "{what}: stale {extra:?}, missing {missing:?}"
    );
    for (path, bytes) in fresh.iter() {
        assert!(
            live.get(path) == Some(bytes),
            "{what}: {path} differs from a full build"
        );
    }
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{rel} holds {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

#[test]
fn can_rebuild_incrementally_exactly_as_a_full_build_would() {
    let (_tmp, root) = site();
    let mut preview = SiteBuild::new(&root, Some("/".into()));
    let mut live = preview.full().expect("first build");

    let kent = "content/decisions/2020/19-010-314.md";
    edit(&root, kent, "We spoke to Mr X", "We spoke to Mr X again");
    check_edit(&mut preview, &mut live, &root, &[kent], "a text edit");

    edit(
        &root,
        kent,
        "council = \"Kent County Council\"",
        "council = \"Essex County Council\"",
    );
    check_edit(
        &mut preview,
        &mut live,
        &root,
        &[kent],
        "a move to another council",
    );

    edit(
        &root,
        kent,
        "decision_date = 2020-07-10",
        "decision_date = 2016-01-05",
    );
    check_edit(
        &mut preview,
        &mut live,
        &root,
        &[kent],
        "a new date and year",
    );

    edit(
        &root,
        kent,
        "outcome = \"Upheld\"",
        "outcome = \"Not upheld\"",
    );
    check_edit(&mut preview, &mut live, &root, &[kent], "a new outcome");

    let moved = "content/decisions/2020/19-010-314-copy.md";
    let text = std::fs::read_to_string(root.join(kent)).expect("read");
    std::fs::remove_file(root.join(kent)).expect("remove");
    check_edit(
        &mut preview,
        &mut live,
        &root,
        &[kent],
        "a deleted decision",
    );

    std::fs::write(root.join(moved), text).expect("write");
    check_edit(&mut preview, &mut live, &root, &[moved], "a new decision");
}

#[test]
fn keeps_the_last_good_site_on_a_broken_decision() {
    let (_tmp, root) = site();
    let mut preview = SiteBuild::new(&root, Some("/".into()));
    let mut live = preview.full().expect("first build");
    let essex = "content/decisions/2024/23-015-769.md";
    edit(
        &root,
        essex,
        "council = \"Essex County Council\"",
        "council = Essex",
    );
    let errors = preview
        .changed(&[Change::new(essex)])
        .expect_err("broken front matter");
    assert!(
        errors[0].to_string().contains("23-015-769.md:"),
        "{}",
        errors[0]
    );
    edit(
        &root,
        essex,
        "council = Essex",
        "council = \"Essex County Council (fixed)\"",
    );
    check_edit(&mut preview, &mut live, &root, &[essex], "the fix");
    let page = live.get("decisions/23-015-769/index.html").expect("page");
    assert!(String::from_utf8_lossy(&page).contains("Essex County Council (fixed)"));
}

/// Sets the front matter line that starts with `key = ` in `rel` to `key = value`.
fn set_field(root: &Path, rel: &str, key: &str, value: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).expect("read");
    let prefix = format!("{key} = ");
    let line = text
        .lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("{rel} has a {key} line"))
        .to_string();
    std::fs::write(&path, text.replacen(&line, &format!("{prefix}{value}"), 1)).expect("write");
}

#[test]
fn can_rebuild_a_large_council_and_category_exactly_as_a_full_build_would() {
    // 300 decisions over 10 categories, and a third of them moved into one council, so
    // that both terms are far larger than the reach of a related list: a change re-renders
    // only the pages near the decision, and must still give the full build's site.
    let (_tmp, root) = site_of(300);
    let files = decision_files(&root);
    for (i, rel) in files.iter().enumerate() {
        if i % 3 == 0 {
            set_field(&root, rel, "council", "\"Kent County Council\"");
        }
    }
    let mut preview = SiteBuild::new(&root, Some("/".into()));
    let mut live = preview.full().expect("first build");
    let kent = files[150].as_str();
    let text = std::fs::read_to_string(root.join(kent)).expect("read");
    let category = text
        .lines()
        .find_map(|l| l.strip_prefix("category = "))
        .expect("a category")
        .to_string();
    let in_category = files
        .iter()
        .filter(|f| {
            std::fs::read_to_string(root.join(f))
                .is_ok_and(|t| t.lines().any(|l| l == format!("category = {category}")))
        })
        .count();
    assert!(in_category > 25, "the category holds {in_category}");

    set_field(&root, kent, "decision_date", "2011-03-04");
    check_edit(&mut preview, &mut live, &root, &[kent], "a new date");

    set_field(&root, kent, "outcome", "\"Not upheld\"");
    check_edit(&mut preview, &mut live, &root, &[kent], "a new outcome");

    // Leaving Kent changes the count every Kent decision's page shows.
    set_field(&root, kent, "council", "\"Essex County Council\"");
    let pages = check_edit(&mut preview, &mut live, &root, &[kent], "a new council");
    assert!(
        pages >= 100,
        "only {pages} pages: Kent's count changed on each of its pages"
    );

    set_field(&root, kent, "category", "\"Planning and development\"");
    check_edit(&mut preview, &mut live, &root, &[kent], "a new category");
}

#[test]
fn can_build_in_stages_the_same_site_as_a_whole_build() {
    let (_tmp, root) = site();
    let mut preview = SiteBuild::staged(&root, Some("/".into()));
    let early = std::sync::Mutex::new(Vec::new());
    let rest = preview
        .full_in_stages(&|files| {
            early
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(files)
        })
        .expect("staged build");
    let early = early
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    assert_eq!(early.len(), 1, "the listings are handed over once");
    let mut live = early.into_iter().next().unwrap_or_default();
    assert!(live.contains("index.html"), "the home page comes early");
    assert!(
        !live.contains("decisions/19-010-314/index.html"),
        "decision pages come after"
    );
    live.extend(rest);
    assert!(
        !live.contains("data/decisions.json"),
        "the data export is deferred"
    );
    live.apply(preview.deferred().expect("deferred files"));
    let fresh = full(&root);
    let paths = |s: &SiteFiles| -> std::collections::BTreeSet<String> {
        s.iter().map(|(p, _)| p.to_string()).collect()
    };
    assert_eq!(paths(&live), paths(&fresh));
    for (path, bytes) in fresh.iter() {
        assert!(
            live.get(path) == Some(bytes),
            "{path} differs from a whole build"
        );
    }
    // Later edits work on the staged state as on any other.
    let kent = "content/decisions/2020/19-010-314.md";
    edit(&root, kent, "We spoke to Mr X", "We spoke to Mr X again");
    check_edit(
        &mut preview,
        &mut live,
        &root,
        &[kent],
        "an edit after a staged build",
    );
}

/// A stylesheet edit, a new static file of the site's own and its removal copy or remove
/// just those files, and the site equals a full build after each (a page under `static/`
/// included).
#[test]
fn can_copy_a_changed_static_file_without_rendering_a_page() {
    let (_tmp, root) = site_of(8);
    // A page that lives under `static/` is a page, not a static file: no static change
    // removes it.
    std::fs::write(
        root.join("content/pages/help.md"),
        "+++\ntitle = \"Help\"\npath = \"static/help\"\n+++\n\nHow to read a decision.\n",
    )
    .expect("write page");
    let mut preview = SiteBuild::new(&root, Some("/".into()));
    let mut live = preview.full().expect("first build");
    let css = "themes/default/static/style.css";
    let text = std::fs::read_to_string(root.join(css)).expect("css");
    std::fs::write(root.join(css), text + "\nmain { outline: 0 }\n").expect("write");
    // The paths a change writes and removes, applied to `live`.
    let written = |preview: &mut SiteBuild, live: &mut SiteFiles, path: &str| {
        let delta = preview.changed(&[Change::new(path)]).expect("rebuild");
        let w: Vec<String> = delta.written.iter().map(|f| f.path.clone()).collect();
        let r = delta.removed.clone();
        live.apply(delta);
        (w, r)
    };
    let (w, r) = written(&mut preview, &mut live, css);
    assert_eq!((w, r), (vec!["static/style.css".to_string()], vec![]));
    check_edit(
        &mut preview,
        &mut live,
        &root,
        &[css],
        "a stylesheet edit (again)",
    );

    std::fs::create_dir_all(root.join("static")).expect("static dir");
    std::fs::write(root.join("static/extra.css"), "p { color: red }\n").expect("write");
    let pages = check_edit(
        &mut preview,
        &mut live,
        &root,
        &["static/extra.css"],
        "a new static file",
    );
    assert_eq!(pages, 0, "no page rendered");
    assert!(live.get("static/extra.css").is_some());

    std::fs::remove_file(root.join("static/extra.css")).expect("remove");
    let (w, r) = written(&mut preview, &mut live, "static/extra.css");
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(r, ["static/extra.css"]);
    std::fs::write(root.join("static/extra.css"), "p { color: red }\n").expect("write");
    check_edit(
        &mut preview,
        &mut live,
        &root,
        &["static/extra.css"],
        "the static file back",
    );
    std::fs::remove_file(root.join("static/extra.css")).expect("remove");
    check_edit(
        &mut preview,
        &mut live,
        &root,
        &["static/extra.css"],
        "a removed static file",
    );
    assert!(live.get("static/extra.css").is_none());
    assert!(
        live.get("static/help/index.html").is_some(),
        "the page kept"
    );
}

/// An edit to a standalone page's text renders that page alone; a new title, which every
/// page's footer shows, rebuilds the whole site; the site equals a full build after each.
#[test]
fn can_render_an_edited_standalone_page_alone() {
    let (_tmp, root) = site_of(8);
    let mut preview = SiteBuild::new(&root, Some("/".into()));
    let mut live = preview.full().expect("first build");
    let about = "content/pages/about.md";
    edit(&root, about, "This digest collects", "This digest gathers");
    let delta = preview.changed(&[Change::new(about)]).expect("rebuild");
    let written: Vec<&str> = delta.written.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(written, ["about/index.html"], "only the page itself");
    assert!(delta.removed.is_empty());
    live.apply(delta);
    check_edit(
        &mut preview,
        &mut live,
        &root,
        &[about],
        "a page's text (again)",
    );
    let page = live.get("about/index.html").expect("about");
    assert!(String::from_utf8_lossy(&page[..]).contains("This digest gathers"));

    edit(
        &root,
        about,
        "title = \"About this digest\"",
        "title = \"About the digest\"",
    );
    let delta = preview.changed(&[Change::new(about)]).expect("rebuild");
    assert!(delta.replaces_all(), "every page's footer names it");
    live.apply(delta);
    assert_full_build(&live, &root, "a page's new title");

    // A page that no longer loads fails the rebuild with its file named; mended, the site
    // is a full build's again.
    edit(&root, about, "weight = 1", "weight = \"first\"");
    let errors = preview
        .changed(&[Change::new(about)])
        .expect_err("a bad weight");
    assert!(
        errors.iter().any(|d| d.to_string().contains("about.md")),
        "{errors:?}"
    );
    edit(&root, about, "weight = \"first\"", "weight = 1");
    check_edit(&mut preview, &mut live, &root, &[about], "the page mended");
}
