//! `casebook fetch` against faults of the imitation website and of the machine: rate
//! limits, errors, stalls, cut-off and wrong pages, redirects, robots.txt, the website
//! killed mid-run, a full disk and Ctrl-C. Each asserts what the run reports and that
//! nothing was lost or half-written.

#[path = "support/fetch_site.rs"]
mod fetch_site;
#[path = "support/lgo_site.rs"]
mod lgo_site;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use fetch_site::{day, fetched_tree, page_url, site_with, slug_of, Site};
use lgo_site::{entries, Entry, Fault, Imitation, SiteData};

/// Fetches seed `index` alone from a website that answers it with status `code`
/// (`Retry-After: retry_after`) `times` times; returns the website, the site, the page and
/// what the run said.
fn status_fault(
    index: usize,
    code: u16,
    retry_after: Option<u64>,
    times: usize,
    extra_fetch: &str,
) -> (Imitation, Site, Entry, (bool, String, String, Option<i32>)) {
    let all = entries(0, day("2025-01-01"));
    let target = all[index].clone();
    let website = site_with(all);
    website.with_data(|d| {
        d.faults.insert(
            target.path.clone(),
            Fault::Status {
                code,
                retry_after,
                times,
            },
        );
    });
    let site = Site::new(&website.url(), extra_fetch);
    let run = site.fetch(&[&page_url(&website, &target), "--delay", "0"]);
    (website, site, target, run)
}

#[test]
fn waits_as_retry_after_says_on_429() {
    let (website, site, target, (ok, stdout, stderr, _)) = status_fault(0, 429, Some(2), 1, "");
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
    let (website, site, target, (ok, stdout, stderr, _)) = status_fault(1, 503, None, 2, "");
    assert!(ok, "{stdout}\n{stderr}");
    assert_eq!(website.count(&target.path), 3);
    assert_eq!(site.pages().len(), 1);
}

#[test]
fn gives_up_after_a_bounded_number_of_503s() {
    let (website, site, target, (ok, stdout, stderr, code)) =
        status_fault(1, 503, Some(0), 100, "retries = 2\n");
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
    let (site, _, _) = one_faulty_page(
        Fault::Body(lgo_site::search_page()),
        "",
        "other than the decision",
    );
    let rejected = site.files(".casebook/rejected");
    assert_eq!(rejected.len(), 1, "{rejected:?}");
    let kept = std::fs::read_to_string(site.root.join(".casebook/rejected").join(&rejected[0]))
        .expect("kept");
    assert!(kept.contains("Search decisions"));
}

#[test]
fn names_a_captcha_page_instead_of_keeping_it_as_a_decision() {
    let captcha = "<html><head><title>Just a moment...</title></head><body><p>Verify you are human</p></body></html>";
    one_faulty_page(Fault::Body(captcha.into()), "", "`Just a moment...`");
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
    assert!(
        stderr
            .lines()
            .any(|l| l.contains(&all[0].path) && l.contains("robots.txt does not allow")),
        "the refusal names the page: {stderr}"
    );
    let (ok, _, stderr, _) = site.fetch_months("2025-01-01", "2025-01-31", &[]);
    assert!(!ok);
    let refused: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("robots.txt does not allow"))
        .collect();
    assert!(
        !refused.is_empty() && refused.iter().all(|l| l.contains("/decisions/")),
        "each refusal names its page: {stderr}"
    );
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
    let (ok, stdout, stderr, _) = site.fetch_months("2025-01-01", "2025-01-31", &[]);
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
    let state = std::fs::read_to_string(site.root.join("sources/.fetch-state.json"))
        .expect("the state lists the window left unfinished");
    let state: serde_json::Value = serde_json::from_str(&state).expect("json");
    assert_eq!(state["windows"], serde_json::json!([]), "no window done");
    assert_eq!(state["unfinished"][0]["from"], "2025-01-01", "{state}");
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
    // Sidecars name the website's address, which differs between the two imitations; each
    // page's sidecar is checked against the page itself instead (`assert_pages_whole`).
    let written = |root: &Path| {
        let mut files = fetched_tree(root);
        files.retain(|name, _| !name.ends_with(".html.json"));
        files
    };
    let wanted = written(&reference.root);
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
    assert!(
        stderr
            .lines()
            .any(|l| l.contains("/decisions/") && l.contains("fetched, but could not keep it")),
        "the page the disk refused is named: {stderr}"
    );
    let kept_first = site.pages();
    assert!(
        !kept_first.is_empty() && kept_first.len() < all.len(),
        "{kept_first:?}"
    );
    site.assert_pages_whole();
    site.assert_no_temporary_files();
    for (name, bytes) in written(&site.root) {
        if name == "sources/.fetch-state.json" {
            continue; // a state an unfinished run wrote: fewer windows done
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
    let got = written(&site.root);
    let differ: Vec<&String> = got
        .keys()
        .chain(wanted.keys())
        .filter(|name| got.get(*name) != wanted.get(*name))
        .collect();
    assert!(
        differ.is_empty(),
        "these differ from an uninterrupted fetch: {differ:?}"
    );
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

    let (ok, stdout, stderr, _) = site.fetch_months("2025-01-01", "2025-01-31", &[]);
    assert!(ok, "{stdout}\n{stderr}");
    assert_eq!(site.pages().len(), all.len());
    for e in &all {
        assert!(website.count(&e.path) <= 1, "{} downloaded twice", e.path);
    }
}
