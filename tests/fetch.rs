//! `casebook fetch` end to end: the real binary against an imitation of the Ombudsman's
//! website on 127.0.0.1 (tests/support/lgo_site.rs). Every site here points `[fetch]
//! source` at the imitation, so no test reaches the internet. Each fault asserts what the
//! run reports and that nothing was lost or half-written.

#[path = "support/lgo_site.rs"]
mod lgo_site;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use chrono::NaiveDate;
use lgo_site::{entries, Entry, Fault, Imitation, SiteData};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

/// A site in a temporary folder whose `[fetch]` points at `source`.
struct Site {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Site {
    fn new(source: &str, extra_fetch: &str) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("site");
        std::fs::create_dir_all(&root).expect("mkdir");
        let config = format!(
            "title = \"T\"\nbase_url = \"https://digest.example/\"\n\n[fetch]\nsource = \"{source}\"\ncontact = \"news@digest.example\"\n{extra_fetch}"
        );
        std::fs::write(root.join("config.toml"), config).expect("config");
        Self { _dir: dir, root }
    }

    fn fetch(&self, args: &[&str]) -> (bool, String, String, Option<i32>) {
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

    /// Every file under `sub`, relative, sorted.
    fn files(&self, sub: &str) -> Vec<String> {
        let base = self.root.join(sub);
        let mut v: Vec<String> = walkdir::WalkDir::new(&base)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&base)
                    .expect("prefix")
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        v.sort();
        v
    }

    fn pages(&self) -> Vec<String> {
        self.files("sources")
            .into_iter()
            .filter(|f| f.ends_with(".html"))
            .collect()
    }

    /// No temporary file is left anywhere in the site.
    fn assert_no_temporary_files(&self) {
        let tmp: Vec<String> = self
            .files("")
            .into_iter()
            .filter(|f| f.ends_with(".tmp"))
            .collect();
        assert!(tmp.is_empty(), "half-written files left: {tmp:?}");
    }

    /// Every page in sources/ matches its sidecar's hash.
    fn assert_pages_whole(&self) {
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

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn site_with(entries: Vec<Entry>) -> Imitation {
    Imitation::start(SiteData {
        entries,
        robots: Some("User-agent: *\nDisallow: /private/\n".into()),
        ..SiteData::default()
    })
}

fn page_url(site: &Imitation, e: &Entry) -> String {
    format!("{}{}", site.url(), e.path)
}

fn slug_of(e: &Entry) -> String {
    e.path.rsplit('/').next().expect("slug").to_string()
}

#[test]
fn can_walk_months_of_search_results_page_by_page_into_sources() {
    // 25 decisions, one a day from 20 January: 12 in January, 13 in February (2 pages).
    let website = site_with(entries(20, day("2025-01-20")));
    let site = Site::new(&website.url(), "");
    let (ok, stdout, stderr, _) = site.fetch(&[
        "--since",
        "2025-01-01",
        "--until",
        "2025-02-28",
        "--delay",
        "0",
    ]);
    assert!(ok, "{stdout}\n{stderr}");
    assert!(
        stdout.contains(
            "fetch: windows 2/2, links 25, fetched 25, unchanged 0, already had 0, failed 0"
        ),
        "{stdout}"
    );
    assert_eq!(site.pages().len(), 25, "{:?}", site.pages());
    assert!(site.pages().iter().all(|p| p.starts_with("20")), "by year");
    assert!(
        stdout.contains("imported 25, updated 0, unchanged 0, skipped 0, failed 0"),
        "import's own summary line: {stdout}"
    );
    let md = site.files("content/decisions");
    assert_eq!(md.len(), 25, "{md:?}");
    let seed = site
        .files("content/decisions")
        .into_iter()
        .find(|f| f.ends_with("18-014-059.md"))
        .expect("seed 18 014 059 imported");
    let text = std::fs::read_to_string(site.root.join("content/decisions").join(seed)).expect("md");
    assert!(
        text.contains("source_file = \"18-014-059.html\""),
        "provenance names the page: {text}"
    );
    assert!(
        text.contains("source_url = \"https://www.lgo.org.uk/decisions/children-s-care-services/other/18-014-059\""),
        "the original's address (the page's canonical link): {text}"
    );
    site.assert_pages_whole();
    site.assert_no_temporary_files();
    for page in [1, 2] {
        let target = format!("/Decisions/SearchResults?fd=2025-02-01&td=2025-02-28&page={page}");
        assert_eq!(
            website
                .requests()
                .iter()
                .filter(|r| r.target == target)
                .count(),
            1,
            "{target}"
        );
    }
    let searches: Vec<_> = website
        .requests()
        .into_iter()
        .filter(|r| r.path() == "/Decisions/SearchResults")
        .collect();
    assert!(searches.iter().all(|r| r.headers.contains_key("referer")));
    let ua = &website.requests()[0].headers["user-agent"];
    assert!(
        ua.starts_with(&format!("casebook/{}", env!("CARGO_PKG_VERSION")))
            && ua.contains("news@digest.example"),
        "{ua}"
    );
    assert_eq!(
        website.requests()[0].target,
        "/robots.txt",
        "robots.txt first"
    );
    let state: serde_json::Value = serde_json::from_slice(
        &std::fs::read(site.root.join("sources/.fetch-state.json")).expect("state"),
    )
    .expect("json");
    assert_eq!(
        state["windows"].as_array().map(Vec::len),
        Some(2),
        "{state}"
    );
    assert_eq!(state["windows"][1]["results"], 13);

    // The next run, with no dates, goes on from the newest month done and downloads
    // nothing it already has.
    let before = website.requests().len();
    let (ok, stdout, stderr, _) = site.fetch(&["--delay", "0"]);
    assert!(ok, "{stdout}\n{stderr}");
    assert!(stdout.contains("fetched 0"), "{stdout}");
    let again = &website.requests()[before..];
    assert!(
        again.iter().all(|r| !r.path().starts_with("/decisions/")),
        "downloaded again: {:?}",
        again.iter().map(|r| &r.target).collect::<Vec<_>>()
    );
    assert!(
        !again.iter().any(|r| r.target.contains("fd=2025-02-01")),
        "a month done after its end is not walked again"
    );
}

/// Fetches March 2025 with `flag` (`--category` or `--subcategory`) set to the slug that
/// stands at `segment` of an imitation page's path (2 the category, 3 the subcategory),
/// upper-cased, and asserts that only the pages with that slug were requested and kept.
fn keeps_only_the_slug_asked_for(flag: &str, segment: usize) {
    let all = entries(15, day("2025-03-01"));
    let slug_of = |path: &str| path.split('/').nth(segment).map(str::to_string);
    let wanted = slug_of(&all[4].path).expect("slug");
    let expected = all
        .iter()
        .filter(|e| slug_of(&e.path).as_deref() == Some(wanted.as_str()))
        .count();
    assert!(
        expected < all.len(),
        "the imitation has other {flag} slugs too"
    );
    let website = site_with(all);
    let site = Site::new(&website.url(), "");
    let (ok, stdout, stderr, _) = site.fetch(&[
        "--since",
        "2025-03-01",
        "--until",
        "2025-03-31",
        "--delay",
        "0",
        flag,
        &wanted.to_uppercase(),
    ]);
    assert!(ok, "{stdout}\n{stderr}");
    assert_eq!(site.pages().len(), expected, "{stdout}");
    let requested: Vec<String> = website
        .requests()
        .into_iter()
        .filter(|r| r.path().starts_with("/decisions/"))
        .map(|r| r.path().to_string())
        .collect();
    assert_eq!(requested.len(), expected, "only those pages were requested");
    assert!(
        requested
            .iter()
            .all(|p| slug_of(p).as_deref() == Some(wanted.as_str())),
        "{flag} {wanted}: {requested:?}"
    );
}

#[test]
fn keeps_only_the_category_asked_for() {
    keeps_only_the_slug_asked_for("--category", 2);
}

#[test]
fn keeps_only_the_subcategory_asked_for() {
    keeps_only_the_slug_asked_for("--subcategory", 3);
}

#[test]
fn asks_again_only_whether_a_named_page_changed() {
    let all = entries(0, day("2025-01-01"));
    let website = site_with(all.clone());
    let site = Site::new(&website.url(), "");
    let url = page_url(&website, &all[3]);
    let (ok, stdout, stderr, _) = site.fetch(&[&url, "--delay", "0"]);
    assert!(ok, "{stdout}\n{stderr}");
    assert!(stdout.contains("fetched 1"), "{stdout}");
    let page = site.root.join("sources").join(&site.pages()[0]);
    let sidecar = PathBuf::from(format!("{}.json", page.display()));
    let stamps = |p: &Path| {
        std::fs::metadata(p)
            .and_then(|m| m.modified())
            .expect("mtime")
    };
    let (page_time, sidecar_time) = (stamps(&page), stamps(&sidecar));
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&sidecar).expect("sidecar")).expect("json");
    assert_eq!(meta["url"].as_str(), Some(url.as_str()));
    assert!(
        meta["etag"].is_string()
            && meta["last_modified"].is_string()
            && meta["fetched_at"].is_string()
    );

    std::thread::sleep(Duration::from_millis(20));
    let (ok, stdout, stderr, _) = site.fetch(&[&url, "--delay", "0"]);
    assert!(ok, "{stdout}\n{stderr}");
    assert!(stdout.contains("fetched 0, unchanged 1"), "{stdout}");
    let last = website.requests().pop().expect("a request");
    assert_eq!(
        last.headers.get("if-none-match"),
        meta["etag"].as_str().map(str::to_string).as_ref()
    );
    assert!(last.headers.contains_key("if-modified-since"));
    assert_eq!(
        (stamps(&page), stamps(&sidecar)),
        (page_time, sidecar_time),
        "a 304 writes nothing"
    );
}

#[test]
fn waits_as_retry_after_says_on_429() {
    let all = entries(0, day("2025-01-01"));
    let target = all[0].clone();
    let website = site_with(all);
    website.with_data(|d| {
        d.faults.insert(
            target.path.clone(),
            Fault::Status {
                code: 429,
                retry_after: Some(2),
                times: 1,
            },
        );
    });
    let site = Site::new(&website.url(), "");
    let (ok, stdout, stderr, _) = site.fetch(&[&page_url(&website, &target), "--delay", "0"]);
    assert!(ok, "{stdout}\n{stderr}");
    let tries: Vec<_> = website
        .requests()
        .into_iter()
        .filter(|r| r.path() == target.path)
        .collect();
    assert_eq!(tries.len(), 2);
    assert!(
        tries[1].at - tries[0].at >= Duration::from_secs(2),
        "waited as asked"
    );
    assert_eq!(
        site.pages(),
        vec![format!(
            "20{}/{}.html",
            &slug_of(&target)[..2],
            slug_of(&target)
        )]
    );
    site.assert_pages_whole();
}

#[test]
fn backs_off_and_retries_503_twice_then_gets_the_page() {
    let all = entries(0, day("2025-01-01"));
    let target = all[1].clone();
    let website = site_with(all);
    website.with_data(|d| {
        d.faults.insert(
            target.path.clone(),
            Fault::Status {
                code: 503,
                retry_after: None,
                times: 2,
            },
        );
    });
    let site = Site::new(&website.url(), "");
    let (ok, stdout, stderr, _) = site.fetch(&[&page_url(&website, &target), "--delay", "0"]);
    assert!(ok, "{stdout}\n{stderr}");
    assert_eq!(website.count(&target.path), 3);
    assert_eq!(site.pages().len(), 1);
}

#[test]
fn gives_up_after_a_bounded_number_of_503s() {
    let all = entries(0, day("2025-01-01"));
    let target = all[1].clone();
    let website = site_with(all);
    website.with_data(|d| {
        d.faults.insert(
            target.path.clone(),
            Fault::Status {
                code: 503,
                retry_after: Some(0),
                times: 100,
            },
        );
    });
    let site = Site::new(&website.url(), "retries = 2\n");
    let (ok, stdout, stderr, code) = site.fetch(&[&page_url(&website, &target), "--delay", "0"]);
    assert!(!ok && code == Some(1), "{stdout}\n{stderr}");
    assert_eq!(website.count(&target.path), 3, "the first try and 2 more");
    assert!(
        stderr.contains(&target.path) && stderr.contains("503 3 times"),
        "{stderr}"
    );
    assert!(stdout.contains("failed 1"), "{stdout}");
    assert!(site.pages().is_empty());
}

/// Runs one fetch of every seed with a fault on one of them; the others are kept whole,
/// the faulty one is not kept at all, and the failure names its address.
fn one_faulty_page(fault: Fault, extra_fetch: &str, expected: &str) -> (Site, Imitation, Entry) {
    let all = entries(0, day("2025-01-01"));
    let target = all[2].clone();
    let website = site_with(all.clone());
    website.with_data(|d| {
        d.faults.insert(target.path.clone(), fault);
    });
    let site = Site::new(&website.url(), extra_fetch);
    let urls: Vec<String> = all.iter().map(|e| page_url(&website, e)).collect();
    let mut args: Vec<&str> = urls.iter().map(String::as_str).collect();
    args.extend(["--delay", "0"]);
    let (ok, stdout, stderr, code) = site.fetch(&args);
    assert!(!ok && code == Some(1), "{stdout}\n{stderr}");
    let line = stderr
        .lines()
        .find(|l| l.contains(&target.path))
        .unwrap_or_else(|| panic!("no failure names {}:\n{stderr}", target.path));
    assert!(line.contains(expected), "{line}");
    assert!(
        stdout.contains("fetched 4,") && stdout.contains("failed 1"),
        "{stdout}"
    );
    let slug = slug_of(&target);
    assert_eq!(site.pages().len(), 4);
    assert!(
        !site.pages().iter().any(|p| p.contains(&slug)),
        "the faulty page was kept"
    );
    site.assert_pages_whole();
    site.assert_no_temporary_files();
    (site, website, target)
}

#[test]
fn names_a_page_that_stalls_past_the_timeout_and_keeps_the_others() {
    one_faulty_page(
        Fault::Stall(Duration::from_secs(4)),
        "timeout = 1\n",
        "timeout",
    );
}

#[test]
fn keeps_nothing_of_a_truncated_page() {
    one_faulty_page(Fault::Truncated, "", "cut off");
}

#[test]
fn keeps_for_inspection_a_decision_address_that_answers_with_the_search_page() {
    let (site, _, _) =
        one_faulty_page(Fault::Body(lgo_site::search_page()), "", "not the decision");
    let rejected = site.files(".casebook/rejected");
    assert_eq!(rejected.len(), 1, "{rejected:?}");
    let kept = std::fs::read_to_string(site.root.join(".casebook/rejected").join(&rejected[0]))
        .expect("kept");
    assert!(kept.contains("Search decisions"));
}

#[test]
fn names_a_captcha_page_instead_of_keeping_it_as_a_decision() {
    let captcha = "<html><head><title>Just a moment...</title></head><body><p>Verify you are human</p></body></html>";
    one_faulty_page(Fault::Body(captcha.into()), "", "\"Just a moment...\"");
}

#[test]
fn follows_no_redirect_to_another_host() {
    let elsewhere = site_with(entries(0, day("2025-01-01")));
    let to = format!("{}/decisions/a/b/99-999-999", elsewhere.url());
    one_faulty_page(Fault::Redirect(to), "", "outside the website");
    assert!(
        elsewhere.requests().is_empty(),
        "the other host was contacted"
    );
}

#[test]
fn keeps_nothing_of_a_page_over_the_size_limit() {
    one_faulty_page(
        Fault::Huge(300_000),
        "max_page_bytes = 200000\n",
        "larger than 200000 bytes",
    );
}

#[test]
fn fetches_nothing_robots_txt_disallows() {
    let all = entries(3, day("2025-01-01"));
    let website = Imitation::start(SiteData {
        entries: all.clone(),
        robots: Some("User-agent: *\nDisallow: /decisions/\n".into()),
        ..SiteData::default()
    });
    let site = Site::new(&website.url(), "");
    let (ok, stdout, stderr, _) = site.fetch(&[&page_url(&website, &all[0]), "--delay", "0"]);
    assert!(!ok, "{stdout}\n{stderr}");
    assert!(stderr.contains("robots.txt does not allow"), "{stderr}");
    let (ok, _, stderr, _) = site.fetch(&[
        "--since",
        "2025-01-01",
        "--until",
        "2025-01-31",
        "--delay",
        "0",
    ]);
    assert!(!ok);
    assert!(
        website
            .requests()
            .iter()
            .all(|r| !r.path().starts_with("/decisions/")),
        "{stderr}"
    );
    assert!(site.pages().is_empty());
}

#[test]
fn stops_a_window_that_comes_back_as_an_empty_search_shell() {
    let website = site_with(entries(3, day("2025-01-01")));
    website.with_data(|d| {
        d.faults.insert(
            "/Decisions/SearchResults".into(),
            Fault::Body(lgo_site::search_page()),
        );
    });
    let site = Site::new(&website.url(), "");
    let (ok, stdout, stderr, _) = site.fetch(&[
        "--since",
        "2025-01-01",
        "--until",
        "2025-01-31",
        "--delay",
        "0",
    ]);
    assert!(!ok, "{stdout}\n{stderr}");
    assert!(
        stderr.contains("/Decisions/SearchResults?fd=2025-01-01&td=2025-01-31&page=1")
            && stderr.contains("no result count")
            && stderr.contains("stopped this window"),
        "{stderr}"
    );
    assert!(
        stdout.contains("windows 0/1"),
        "zero results is not success: {stdout}"
    );
    assert_eq!(site.files(".casebook/rejected").len(), 1);
    assert!(
        !site.root.join("sources/.fetch-state.json").exists(),
        "no window done"
    );
}

#[test]
fn goes_on_after_the_website_was_killed_mid_run_without_downloading_again() {
    let all = entries(25, day("2025-01-01"));
    let mut website = site_with(all.clone());
    website.with_data(|d| d.die_after_pages = Some(12));
    let site = Site::new(&website.url(), "timeout = 2\n");
    let args = [
        "--since",
        "2025-01-01",
        "--until",
        "2025-02-28",
        "--delay",
        "0",
    ];
    let (ok, stdout, stderr, _) = site.fetch(&args);
    assert!(!ok, "{stdout}\n{stderr}");
    assert!(website.is_dead());
    assert!(
        stderr.contains("did not answer 3 times in a row"),
        "{stderr}"
    );
    let kept_first = site.pages();
    assert!(
        !kept_first.is_empty() && kept_first.len() < all.len(),
        "{kept_first:?}"
    );
    site.assert_pages_whole();
    site.assert_no_temporary_files();

    website.restart();
    let (ok, stdout, stderr, _) = site.fetch(&args);
    assert!(ok, "{stdout}\n{stderr}");
    assert_eq!(site.pages().len(), all.len());
    site.assert_pages_whole();
    for e in &all {
        let served = website
            .requests()
            .iter()
            .filter(|r| r.path() == e.path)
            .count();
        assert!(served <= 1, "{} downloaded twice", e.path);
    }
}

#[test]
fn keeps_a_decision_the_website_no_longer_shows() {
    let all = entries(0, day("2025-01-01"));
    let website = site_with(all.clone());
    let site = Site::new(&website.url(), "");
    let url = page_url(&website, &all[4]);
    assert!(site.fetch(&[&url, "--delay", "0"]).0);
    let kept = site.pages();
    website.with_data(|d| {
        d.faults.insert(all[4].path.clone(), Fault::Gone);
    });
    let (ok, _, stderr, _) = site.fetch(&[&url, "--delay", "0"]);
    assert!(!ok);
    assert!(stderr.contains("answered 404"), "{stderr}");
    assert_eq!(site.pages(), kept, "fetch never deletes a page");
    site.assert_pages_whole();
}

#[test]
fn refuses_an_address_outside_the_website() {
    let website = site_with(entries(0, day("2025-01-01")));
    let site = Site::new(&website.url(), "");
    let (ok, _, stderr, _) = site.fetch(&[
        "https://www.lgo.org.uk/decisions/a/b/21-019-020",
        "--delay",
        "0",
    ]);
    assert!(!ok);
    assert!(stderr.contains("not on the website"), "{stderr}");
}

#[test]
fn can_import_sources_again_without_the_network_keeping_hand_edits() {
    let all = entries(0, day("2025-01-01"));
    let mut website = site_with(all.clone());
    let site = Site::new(&website.url(), "");
    let urls: Vec<String> = all.iter().map(|e| page_url(&website, e)).collect();
    let mut args: Vec<&str> = urls.iter().map(String::as_str).collect();
    args.extend(["--delay", "0"]);
    let (ok, stdout, stderr, _) = site.fetch(&args);
    assert!(ok, "{stdout}\n{stderr}");
    website.kill();
    let edited = site.root.join("content/decisions").join(
        site.files("content/decisions")
            .into_iter()
            .find(|f| f.ends_with("21-019-020.md"))
            .expect("imported"),
    );
    let mut text = std::fs::read_to_string(&edited).expect("md");
    text.push_str("\nAn editor's note.\n");
    std::fs::write(&edited, &text).expect("edit");
    let out = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .arg("--root")
        .arg(&site.root)
        .args(["import", "sources"])
        .current_dir(&site.root)
        .output()
        .expect("import");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("imported 0, updated 0, unchanged 4, skipped 1, failed 0"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&edited).expect("md"),
        text,
        "the hand edit is kept"
    );
}

#[cfg(unix)]
/// A small tmpfs mounted over a site's folder, so that writes there meet a full disk;
/// unmounted when dropped. Mounting needs root: `None` where it is not allowed.
struct SmallDisk {
    path: PathBuf,
}

impl SmallDisk {
    fn mount(path: &Path, bytes: usize) -> Option<Self> {
        std::fs::create_dir_all(path).expect("mount point");
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={bytes}"), "tmpfs"])
            .arg(path)
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Self {
            path: path.to_path_buf(),
        })
    }

    /// Makes room: the same disk, grown, with everything on it kept.
    fn grow(&self, bytes: usize) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,size={bytes}")])
            .arg(&self.path)
            .status()
            .expect("mount -o remount");
        assert!(status.success(), "could not grow the small disk");
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.path).status();
    }
}

/// Every file a fetch wrote under `dir` with its bytes, by relative path: all but the
/// config (it names the website's port) and the fetch state.
fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("prefix");
            (rel.to_string_lossy().into_owned(), e.path().to_path_buf())
        })
        .filter(|(rel, _)| rel != "config.toml" && !rel.starts_with("sources/.fetch-state"))
        .map(|(rel, path)| (rel, std::fs::read(path).expect("read")))
        .collect()
}

#[test]
fn stops_on_a_full_disk_and_goes_on_when_there_is_room() {
    let all = entries(25, day("2025-01-01"));
    let args = [
        "--since",
        "2025-01-01",
        "--until",
        "2025-02-28",
        "--delay",
        "0",
    ];
    // What an uninterrupted fetch gives, from a website of its own.
    let reference_website = site_with(all.clone());
    let reference = Site::new(&reference_website.url(), "");
    let (ok, stdout, stderr, _) = reference.fetch(&args);
    assert!(ok, "{stdout}\n{stderr}");
    let wanted = tree(&reference.root);
    let room: usize = wanted.values().map(|b| b.len().div_ceil(4096) * 4096).sum();

    let website = site_with(all.clone());
    let site = Site::new(&website.url(), "");
    let config = std::fs::read(site.root.join("config.toml")).expect("config");
    // A disk with room for about a third of what the fetch writes.
    let Some(disk) = SmallDisk::mount(&site.root, room / 3) else {
        eprintln!("skipped: this machine does not allow mounting a small tmpfs (needs root)");
        return;
    };
    std::fs::write(site.root.join("config.toml"), &config).expect("config on the small disk");
    let (ok, stdout, stderr, code) = site.fetch(&args);
    assert!(!ok && code == Some(1), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("no room left to keep pages; stopped"),
        "{stderr}"
    );
    let kept_first = site.pages();
    assert!(
        !kept_first.is_empty() && kept_first.len() < all.len(),
        "{kept_first:?}"
    );
    site.assert_pages_whole();
    site.assert_no_temporary_files();
    for (name, bytes) in tree(&site.root) {
        if name.ends_with(".html.json") {
            continue; // the sidecar says when it was fetched
        }
        assert_eq!(
            wanted.get(&name),
            Some(&bytes),
            "{name} is not what an uninterrupted fetch writes"
        );
    }

    disk.grow(room * 4);
    let (ok, stdout, stderr, _) = site.fetch(&args);
    assert!(ok, "{stdout}\n{stderr}");
    site.assert_pages_whole();
    site.assert_no_temporary_files();
    let got = tree(&site.root);
    let names =
        |t: &std::collections::BTreeMap<String, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&got), names(&wanted));
    for (name, bytes) in &got {
        if name.ends_with(".html.json") {
            continue; // the sidecar says when it was fetched
        }
        assert_eq!(
            Some(bytes),
            wanted.get(name),
            "{name} differs from an uninterrupted fetch"
        );
    }
    // Only the page the disk had no room for is downloaded a second time.
    let twice: Vec<&str> = all
        .iter()
        .filter(|e| website.count(&e.path) > 1)
        .map(|e| e.path.as_str())
        .collect();
    assert!(twice.len() <= 1, "downloaded again: {twice:?}");
    assert!(all.iter().all(|e| website.count(&e.path) <= 2));
}

#[test]
fn stops_cleanly_on_ctrl_c_and_goes_on_next_time() {
    let all = entries(15, day("2025-01-01"));
    let website = site_with(all.clone());
    let site = Site::new(&website.url(), "");
    let child = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .arg("--root")
        .arg(&site.root)
        .args([
            "fetch",
            "--since",
            "2025-01-01",
            "--until",
            "2025-01-31",
            "--delay",
            "0.3",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while site.pages().len() < 3 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(status.success());
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    let kept = site.pages();
    assert!(kept.len() >= 3 && kept.len() < all.len(), "{kept:?}");
    site.assert_pages_whole();
    site.assert_no_temporary_files();

    let (ok, stdout, stderr, _) = site.fetch(&[
        "--since",
        "2025-01-01",
        "--until",
        "2025-01-31",
        "--delay",
        "0",
    ]);
    assert!(ok, "{stdout}\n{stderr}");
    assert_eq!(site.pages().len(), all.len());
    for e in &all {
        assert!(website.count(&e.path) <= 1, "{} downloaded twice", e.path);
    }
}

#[test]
fn can_init_a_site_that_fetches_builds_and_carries_its_update_workflow() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("digest");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_casebook"))
            .args(args)
            .output()
            .expect("run casebook")
    };
    let root_arg = root.to_str().expect("utf-8");
    assert!(run(&["init", root_arg]).status.success());
    let workflow =
        std::fs::read_to_string(root.join(".github/workflows/update.yml")).expect("workflow");
    assert!(
        workflow.contains(&format!(
            "CASEBOOK_VERSION: \"{}\"",
            env!("CARGO_PKG_VERSION")
        )),
        "pinned"
    );
    assert!(
        workflow.contains("sha256sum -c")
            && workflow.contains("cron:")
            && workflow.contains("workflow_dispatch")
    );
    assert!(workflow.contains("casebook fetch") && workflow.contains("deploy-pages"));
    let config = std::fs::read_to_string(root.join("config.toml")).expect("config");
    assert!(
        config.contains("source = \"https://www.lgo.org.uk\""),
        "{config}"
    );

    // Pointed at the imitation (never at the website), the new site fetches and builds.
    let website = site_with(entries(0, day("2025-01-01")));
    let config = config.replace("https://www.lgo.org.uk", &website.url());
    std::fs::write(root.join("config.toml"), config).expect("config");
    let out = run(&[
        "--root",
        root_arg,
        "fetch",
        "--since",
        "2025-01-01",
        "--until",
        "2025-01-31",
        "--delay",
        "0",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&["--root", root_arg, "build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(root
        .join("public/decisions/18-014-059/index.html")
        .is_file());
}
