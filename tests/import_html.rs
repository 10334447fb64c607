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

/// Imports `pages` (name, text) as text into one site and as their HTML renditions into
/// another, and asserts the same content files, provenance aside.
fn assert_html_imports_as_text(pages: &[(String, String)]) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (text_site, html_site) = (dir.path().join("text"), dir.path().join("html"));
    for (name, text) in pages {
        let html = casebook::corpus::html::rendition(text).expect("a decision");
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
        let imported = format!("imported {},", pages.len());
        assert!(stdout(&out).contains(&imported), "{}", stdout(&out));
    }
    let (text_files, html_files) = (content_files(&text_site), content_files(&html_site));
    assert_eq!(text_files.len(), pages.len());
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

#[test]
fn html_renditions_of_the_seeds_give_the_same_content_files_as_their_text() {
    let pages: Vec<(String, String)> = seeds()
        .iter()
        .map(|seed| {
            let name = seed.file_stem().expect("stem").to_string_lossy();
            (name.into_owned(), read(seed))
        })
        .collect();
    assert_eq!(pages.len(), 5);
    assert_html_imports_as_text(&pages);
}

#[test]
fn html_renditions_of_every_kind_in_both_layouts_give_the_same_content_files_as_their_text() {
    let kinds = repo().join("tests/fixtures/kinds");
    for layout in ["compact", "numbered"] {
        let mut pages: Vec<(String, String)> = std::fs::read_dir(&kinds)
            .expect("kinds")
            .map(|e| e.expect("entry").path())
            .filter_map(|dir| {
                let text = std::fs::read_to_string(dir.join(format!("{layout}.txt"))).ok()?;
                let name = dir
                    .file_name()
                    .expect("name")
                    .to_string_lossy()
                    .into_owned();
                Some((name, text))
            })
            .collect();
        pages.sort();
        assert!(pages.len() >= 20, "{layout}: {} kinds", pages.len());
        assert_html_imports_as_text(&pages);
    }
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(repo().join("tests/fixtures/html").join(name)).expect("fixture")
}

fn import_folder(files: &[(&str, Vec<u8>)]) -> (tempfile::TempDir, Output) {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, bytes) in files {
        write(&dir.path().join("raw").join(name), bytes);
    }
    let site = dir.path().join("site");
    std::fs::create_dir_all(&site).expect("site");
    let raw = dir.path().join("raw");
    let out = casebook(&site, &["import", raw.to_str().expect("utf-8")]);
    (dir, out)
}

/// The stderr line that names `file`, which must exist.
fn line_naming<'a>(err: &'a str, file: &str) -> &'a str {
    err.lines()
        .find(|l| l.contains(file))
        .unwrap_or_else(|| panic!("nothing names {file}:\n{err}"))
}

#[test]
fn can_import_hand_written_saved_pages_beside_text_pages() {
    let seed = std::fs::read(&seeds()[3]).expect("seed");
    let (dir, out) = import_folder(&[
        ("saved-page.html", fixture("saved-page.html")),
        ("no-article.htm", fixture("no-article.html")),
        ("no-labels.HTML", fixture("no-labels.html")),
        ("seed.txt", seed),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("imported 4, updated 0, unchanged 0, skipped 0, failed 0"));
    let site = dir.path().join("site/content/decisions");
    let saved = read(&site.join("2025/24-005-444.md"));
    for fact in [
        "council = \"Harbourside District Council\"",
        "category = \"Housing\"",
        "subcategory = \"Homelessness\"",
        "outcome = \"Upheld\"",
        "decision_date = 2025-03-07",
        // The canonical link, normalised: https, www, no `?displaypref`.
        "source_url = \"https://www.lgo.org.uk/decisions/housing/homelessness/24-005-444\"",
        "inferred = []",
        "summary = \"Ms\u{a0}K complained the Council delayed",
        "amount = 900",
        "## The complaint\n\n1. Ms K complains the Council:\n   - took too long to decide her homelessness application; and\n",
        "2. Ms K says this caused her “months of worry”.\n   She wants the Council to pay",
        "## The Ombudsman’s role and powers\n\n3. We investigate",
        "### My findings\n\n6. The Council took six months",
        "9. I find fault causing injustice.",
        "\n\nInvestigator's decision on behalf of the Ombudsman\n",
    ] {
        assert!(saved.contains(fact), "{fact}\n{saved}");
    }
    for furniture in [
        "cookie",
        "Back to top",
        "Print this page",
        "Make a complaint",
        "gtag",
        "©",
    ] {
        assert!(!saved.contains(furniture), "{furniture} was dropped");
    }
    let no_article = read(&site.join("2024/23-018-765.md"));
    assert!(no_article.contains("category = \"Planning\""));
    assert!(no_article.contains("outcome = \"Not upheld\""));
    assert!(no_article.contains("## What I found\n\n2. The Council visited"));
    assert!(no_article.contains("4. I have completed my investigation."));
    let no_labels = read(&site.join("undated/22-004-117.md"));
    assert!(
        no_labels.contains("category = \"Education\"\nsubcategory = \"Special educational needs\"")
    );
    assert!(no_labels.contains("inferred = [\"category\", \"subcategory\", \"outcome\"]"));
    let err = stderr(&out);
    assert!(line_naming(&err, "no-labels.HTML").contains("taken from its address"));
    assert!(read(&site.join("2019/18-014-059.md")).contains("source_file = \"seed.txt\""));
}

#[test]
fn a_sidecar_gives_the_address_a_page_was_fetched_from() {
    let page = String::from_utf8(fixture("no-labels.html"))
        .expect("utf-8")
        .replace("<link rel=\"canonical\"", "<link rel=\"alternate\"");
    let sidecar = br#"{"url": "http://lgo.org.uk/decisions/education/school-transport/22-004-117?displaypref=2",
        "fetched_at": "2025-01-31T09:00:00Z", "etag": "\"x\"", "sha256": "00", "extra": 1}"#;
    let (dir, out) = import_folder(&[
        ("22-004-117.html", page.clone().into_bytes()),
        ("22-004-117.html.json", sidecar.to_vec()),
        (
            "other.html",
            page.replace("22 004 117", "22 004 118").into_bytes(),
        ),
        ("other.html.json", b"{ not json".to_vec()),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let site = dir.path().join("site/content/decisions/undated");
    let fetched = read(&site.join("22-004-117.md"));
    assert!(fetched.contains(
        "subcategory = \"School transport\"\noutcome = \"Closed after initial enquiries\"\nsource_url = \"https://www.lgo.org.uk/decisions/education/school-transport/22-004-117\""
    ), "{fetched}");
    let other = read(&site.join("22-004-118.md"));
    assert!(!other.contains("source_url"), "{other}");
    assert!(line_naming(&stderr(&out), "other.html.json:1:3").contains("sidecar is not readable"));
}

fn rendition_of_seed(i: usize) -> String {
    casebook::corpus::html::rendition(&read(&seeds()[i])).expect("a decision")
}

#[test]
fn reports_every_bad_page_by_name_and_imports_the_rest() {
    let listing = "<html><head><title>Decisions - Search results</title></head><body><p>Your search has 2 results</p>\
        <ul><li><a href=\"/decisions/housing/homelessness/24-005-444\"><h3>Kent County Council (24 005 444)</h3></a><p>Summary: a.</p></li>\
        <li><a href=\"/decisions/housing/allocations/24-005-445\"><h3>Essex County Council (24 005 445)</h3></a><p>Summary: b.</p></li></ul></body></html>";
    let unlinked_listing =
        "<html><body><h3>Kent County Council (24 005 444)</h3><p>Summary: a.</p>\
        <h3>Essex County Council (24 005 445)</h3><p>Summary: b.</p></body></html>";
    let search = "<html><head><title>Search decisions</title></head><body><form action=\"/Decisions/SearchResults\"><input name=\"fd\"></form><p>Search the decisions</p></body></html>";
    let error = "<html><head><title>Page not found</title></head><body><h1>404</h1><p>Sorry, we could not find that page.</p></body></html>";
    let captcha = "<html><head><title>Just a moment...</title></head><body><h1>Please verify you are a human</h1><div class=\"captcha\">Press and hold</div></body></html>";
    let cookie_wall = "<html><body><div id=\"cookie-wall\"><h2>Review your privacy settings</h2><p>We use cookies.</p></div></body></html>";
    let truncated_before_header = rendition_of_seed(0)[..900].to_string();
    let deep = format!(
        "<html><body>{}Not a decision{}</body></html>",
        "<div>".repeat(10_000),
        "</div>".repeat(10_000)
    );
    let big = format!(
        "<html><body>{}</body></html>",
        "<p>filler text</p>".repeat(50 * 1024 * 1024 / 18)
    );
    let sjis = b"<html><head><meta charset=\"shift_jis\"></head><body>\x82</body></html>".to_vec();
    let cases: &[(&str, &[u8], &str)] = &[
        (
            "listing.html",
            listing.as_bytes(),
            "it links to 2 decisions, like a listing",
        ),
        (
            "unlinked.html",
            unlinked_listing.as_bytes(),
            "it names 2 decisions, like a listing",
        ),
        (
            "search.html",
            search.as_bytes(),
            "not a decision (its title is `Search decisions`)",
        ),
        (
            "error.html",
            error.as_bytes(),
            "not a decision (its title is `Page not found`)",
        ),
        (
            "captcha.html",
            captcha.as_bytes(),
            "not a decision (its title is `Just a moment...`)",
        ),
        (
            "cookie-wall.html",
            cookie_wall.as_bytes(),
            "no `Name (NN NNN NNN)` line",
        ),
        (
            "truncated.html",
            truncated_before_header.as_bytes(),
            "no `Name (NN NNN NNN)` line",
        ),
        ("deep.html", deep.as_bytes(), "levels deep: not read"),
        ("big.html", big.as_bytes(), "too big for a decision page"),
        (
            "sjis.html",
            &sjis,
            "declares the charset Shift_JIS but its bytes are not Shift_JIS",
        ),
        ("empty.htm", b"  \n", "the file is empty"),
        (
            "binary.html",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00",
            "binary file",
        ),
    ];
    let mut files: Vec<(&str, Vec<u8>)> = cases.iter().map(|(n, b, _)| (*n, b.to_vec())).collect();
    files.push(("good.html", fixture("saved-page.html")));
    files.push(("good.txt", std::fs::read(&seeds()[0]).expect("seed")));
    let (_dir, out) = import_folder(&files);
    assert!(
        !out.status.success(),
        "bad files make the exit code non-zero"
    );
    let err = stderr(&out);
    for (name, _, message) in cases {
        let line = line_naming(&err, name);
        assert!(line.starts_with("error: "), "{line}");
        assert!(line.contains(message), "{name}: {line}");
    }
    assert!(
        stdout(&out).contains(&format!(
            "imported 2, updated 0, unchanged 0, skipped 0, failed {}",
            cases.len()
        )),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_truncated_decision_imports_with_a_warning_as_text_does() {
    let html = rendition_of_seed(3);
    let cut = html.find("<h2>The complaint</h2>").expect("a section") + 10;
    let (dir, out) = import_folder(&[("cut.html", html.as_bytes()[..cut].to_vec())]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("cut.html: no decision text after the summary: the page looks truncated"),
        "{err}"
    );
    assert!(
        err.contains("cut.html: the HTML ends before `</html>`"),
        "{err}"
    );
    let file = read(&dir.path().join("site/content/decisions/2019/18-014-059.md"));
    assert!(file.contains("outcome = \"Upheld\""));
    assert!(file.contains("summary = \"the Council failed to follow its procedures"));
}

#[test]
fn can_read_a_page_whose_declared_charset_lies() {
    let page = |charset: &str, body: &[u8]| {
        let mut bytes = format!(
            "<html><head><meta charset=\"{charset}\"></head><body><article id=\"article\"><h1>Kent County Council (19 010 314)</h1>\
             <p>Summary: The Council agreed to pay Mr X "
        )
        .into_bytes();
        bytes.extend_from_slice(body);
        bytes.extend_from_slice(b" and apologise.</p><h2>The complaint</h2><ol><li>Text.</li></ol></article></body></html>");
        bytes
    };
    // Declares UTF-8, bytes are Windows-1252 (a pound sign and curly quotes).
    let (dir, out) = import_folder(&[("latin.html", page("utf-8", b"\xA3250 \x93now\x94"))]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        line_naming(&err, "latin.html").contains("declares UTF-8 but byte"),
        "{err}"
    );
    let file = read(
        &dir.path()
            .join("site/content/decisions/undated/19-010-314.md"),
    );
    assert!(
        file.contains("pay Mr X £250 “now” and apologise."),
        "{file}"
    );
    // Declares Windows-1252, bytes are UTF-8.
    let (dir, out) = import_folder(&[("utf8.html", page("windows-1252", "£250 “now”".as_bytes()))]);
    assert!(line_naming(&stderr(&out), "utf8.html").contains("its bytes are UTF-8: read as UTF-8"));
    let file = read(
        &dir.path()
            .join("site/content/decisions/undated/19-010-314.md"),
    );
    assert!(
        file.contains("pay Mr X £250 “now” and apologise."),
        "{file}"
    );
}

#[test]
fn refuses_ten_thousand_levels_of_nested_lists_in_a_decision() {
    let nested = format!(
        "{}deepest{}",
        "<ul><li>level".repeat(10_000),
        "</li></ul>".repeat(10_000)
    );
    let page = format!(
        "<html><body><article id=\"article\"><h1>Kent County Council (19 010 314)</h1><p>Summary: S.</p>\
         <h2>The complaint</h2><ol><li>Mr X complains:{nested}</li></ol></article></body></html>"
    );
    let (_dir, out) = import_folder(&[
        ("nested.html", page.into_bytes()),
        ("good.html", fixture("no-labels.html")),
    ]);
    let err = stderr(&out);
    assert!(
        line_naming(&err, "nested.html").contains("levels deep: not read"),
        "{err}"
    );
    assert!(stdout(&out).contains("imported 1, updated 0, unchanged 0, skipped 0, failed 1"));
}

#[test]
fn flattens_lists_nested_below_two_levels() {
    let nested = format!(
        "{}deepest{}",
        "<ul><li>level".repeat(100),
        "</li></ul>".repeat(100)
    );
    let page = format!(
        "<html><body><article id=\"article\"><h1>Kent County Council (19 010 314)</h1><p>Summary: S.</p>\
         <h2>The complaint</h2><ol><li>Mr X complains:{nested}</li></ol></article></body></html>"
    );
    let (dir, out) = import_folder(&[("nested.html", page.into_bytes())]);
    assert!(out.status.success(), "{}", stderr(&out));
    let file = read(
        &dir.path()
            .join("site/content/decisions/undated/19-010-314.md"),
    );
    assert!(file.contains("1. Mr X complains:\n   - level\n"), "{file}");
    assert!(file.contains("deepest"));
    let deepest_indent = file.lines().map(|l| l.len() - l.trim_start().len()).max();
    assert!(
        deepest_indent <= Some(8),
        "lists are flattened below two levels"
    );
}

#[test]
fn a_link_to_another_decision_stays_a_link_to_the_digests_page_or_the_website() {
    let page = String::from_utf8(fixture("saved-page.html"))
        .expect("utf-8")
        .replace(
            "decided the application in December 2024.",
            "decided the application in December 2024, as in \
             <a href=\"/Decisions/Adult-Care-Services/Other/18-014-059?displaypref=1\">decision\n 18 014 059</a>; \
             see <a href=\"#top\">above</a>, <a href=\"javascript:alert(1)\">this</a> and \
             <a href=\"https://www.legislation.gov.uk/ukpga/1996/52/section/184\">the Housing Act</a>.",
        );
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    let raw = dir.path().join("raw");
    write(&raw.join("saved-page.html"), page.as_bytes());
    write(
        &raw.join("seed.txt"),
        &std::fs::read(&seeds()[3]).expect("seed"),
    );
    let site_arg = site.to_str().expect("utf-8");
    let init = std::process::Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["init", site_arg])
        .output()
        .expect("init runs");
    assert!(init.status.success(), "{}", stderr(&init));
    let raw_arg = raw.to_str().expect("utf-8");
    let out = casebook(&site, &["import", raw_arg]);
    assert!(out.status.success(), "{}", stderr(&out));

    // The content file keeps the links as Markdown links around the Ombudsman's words.
    let content = read(&site.join("content/decisions/2025/24-005-444.md"));
    for kept in [
        "[decision 18 014 059](<https://www.lgo.org.uk/decisions/adult-care-services/other/18-014-059>)",
        "[an earlier decision](<https://www.lgo.org.uk/decisions/housing/homelessness/23-001-234>)",
        "[the Housing Act](<https://www.legislation.gov.uk/ukpga/1996/52/section/184>)",
        "; see above, this and",
    ] {
        assert!(content.contains(kept), "{kept}\n{content}");
    }
    // Importing the same pages again changes nothing.
    let again = casebook(&site, &["import", raw_arg]);
    assert!(
        stdout(&again).contains("imported 0, updated 0, unchanged 2"),
        "{}",
        stdout(&again)
    );

    let build = casebook(&site, &["build"]);
    assert!(build.status.success(), "{}", stderr(&build));
    let html = read(&site.join("public/decisions/24-005-444/index.html"));
    for link in [
        // A decision the digest has: its page here.
        "<a href=\"../../decisions/18-014-059/index.html\">decision 18 014 059</a>",
        // One it has not: the Ombudsman's page.
        "<a href=\"https://www.lgo.org.uk/decisions/housing/homelessness/23-001-234\">an earlier decision</a>",
        "<a href=\"https://www.legislation.gov.uk/ukpga/1996/52/section/184\">the Housing Act</a>",
    ] {
        assert!(html.contains(link), "{link}");
    }
    // No Markdown shows through anywhere: not in the summary, the feed or the open data.
    for file in [
        "public/decisions/24-005-444/index.html",
        "public/data/decisions.json",
        "public/atom.xml",
    ] {
        let text = read(&site.join(file));
        assert!(!text.contains("](<"), "{file} shows link markup");
    }
    let check = casebook(&site, &["check"]);
    assert!(
        check.status.success(),
        "{}{}",
        stdout(&check),
        stderr(&check)
    );
}
