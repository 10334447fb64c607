//! `casebook fetch` going on from where it left off without losing decisions: filters,
//! results that do not add up, months left unfinished or walked before the website had
//! published all their decisions, a website asking to slow down or answering a captcha,
//! and two fetches of one site at once. The real binary against the imitation website on
//! 127.0.0.1 (tests/support/lgo_site.rs); no test reaches the internet.

#[path = "support/fetch_site.rs"]
mod fetch_site;
#[path = "support/lgo_site.rs"]
mod lgo_site;

use chrono::{Datelike, Days, Months, NaiveDate};

use fetch_site::{day, site_with, Site};
use lgo_site::{entries, entry, Entry, Fault, Imitation};

fn walk(site: &Site, since: &str, until: &str) -> (bool, String, String) {
    let (ok, stdout, stderr, _) = site.fetch_months(since, until, &[]);
    (ok, stdout, stderr)
}

fn state(site: &Site) -> serde_json::Value {
    let text = std::fs::read_to_string(site.root.join("sources/.fetch-state.json"))
        .expect("the fetch state");
    serde_json::from_str(&text).expect("json")
}

fn decision_requests(website: &Imitation) -> usize {
    website
        .requests()
        .iter()
        .filter(|r| r.path().starts_with("/decisions/"))
        .count()
}

fn result_requests(website: &Imitation) -> usize {
    website
        .requests()
        .iter()
        .filter(|r| r.path() == "/Decisions/SearchResults")
        .count()
}

/// Makes `entry`'s address answer 500 the first time it is asked for.
fn fail_once(website: &Imitation, entry: &Entry) {
    website.with_data(|d| {
        d.faults.insert(
            entry.path.clone(),
            Fault::Status {
                code: 500,
                retry_after: None,
                times: 1,
            },
        );
    });
}

fn category(e: &Entry) -> String {
    e.path.split('/').nth(2).expect("category").to_string()
}

#[test]
fn a_walk_with_a_category_leaves_the_other_decisions_of_its_months_to_fetch() {
    let all = entries(20, day("2025-01-20"));
    let wanted = category(&all[0]);
    let kept = all.iter().filter(|e| category(e) == wanted).count();
    assert!(kept < all.len(), "the imitation has other categories");
    let website = site_with(all.clone());
    let site = Site::new(&website.url(), "");
    let (ok, stdout, stderr, _) =
        site.fetch_months("2025-01-01", "2025-02-28", &["--category", &wanted]);
    assert!(ok, "{stdout}\n{stderr}");
    assert!(
        stdout.contains(&format!(
            "links 25 ({kept} kept by the filter), fetched {kept},"
        )),
        "{stdout}"
    );
    assert_eq!(state(&site)["windows"][0]["category"], wanted.as_str());

    // Every decision of the same months: those the filter left out are fetched now.
    let (ok, stdout, stderr) = walk(&site, "2025-01-01", "2025-02-28");
    assert!(ok, "{stdout}\n{stderr}");
    assert!(
        stdout.contains(&format!(
            "windows 2/2, links 25, fetched {}, unchanged 0, already had {kept}, failed 0",
            all.len() - kept
        )),
        "{stdout}"
    );
    assert_eq!(site.pages().len(), all.len());
}

/// A results page that says `count` results and links to `links` of them.
fn results_page(count: usize, links: &[Entry]) -> String {
    let items: String = links
        .iter()
        .map(|e| format!("<li><a href=\"{}\">{}</a></li>", e.path, e.path))
        .collect();
    format!(
        "<html><head><title>Search results</title></head><body><p>Your search has {count} results</p><ul>{items}</ul></body></html>"
    )
}

#[test]
fn a_month_whose_pages_link_fewer_decisions_than_its_results_say_is_not_done() {
    // A website that ignores `page=`: every page of the results is the first.
    let all = entries(10, day("2025-01-01"));
    let website = site_with(all.clone());
    website.with_data(|d| {
        d.faults.insert(
            "/Decisions/SearchResults".into(),
            Fault::Body(results_page(15, &all[..10])),
        );
    });
    let site = Site::new(&website.url(), "");
    let (ok, stdout, stderr) = walk(&site, "2025-01-01", "2025-01-31");
    assert!(!ok, "{stdout}\n{stderr}");
    assert!(
        stderr.contains("said 15, but their 2 pages linked to 10 different decisions; those are fetched, and the month is left for the next fetch"),
        "{stderr}"
    );
    assert!(stdout.contains("windows 0/1"), "{stdout}");
    assert_eq!(
        decision_requests(&website),
        10,
        "the decisions linked are fetched"
    );
    assert_eq!(site.pages().len(), 10);
    let state = state(&site);
    assert_eq!(state["windows"], serde_json::json!([]));
    assert_eq!(state["unfinished"][0]["from"], "2025-01-01");
}

#[test]
fn a_fetch_with_no_dates_goes_back_to_a_month_left_unfinished() {
    // 65 decisions, one a day from 1 January 2025: January, February, 6 days of March.
    let all = entries(60, day("2025-01-01"));
    let february = all
        .iter()
        .find(|e| e.date == day("2025-02-10"))
        .expect("a February decision")
        .clone();
    let website = site_with(all);
    fail_once(&website, &february);
    let site = Site::new(&website.url(), "");
    let (ok, stdout, stderr) = walk(&site, "2025-01-01", "2025-03-31");
    assert!(!ok, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("windows 2/3") && stdout.contains("failed 1"),
        "{stdout}"
    );
    assert_eq!(state(&site)["unfinished"][0]["from"], "2025-02-01");

    // The website mended, the daily run (no dates) goes back for February.
    let (ok, stdout, stderr, _) = site.fetch(&["--delay", "0"]);
    assert!(ok, "{stdout}\n{stderr}");
    assert_eq!(website.count(&february.path), 2, "asked again");
    assert_eq!(site.pages().len(), 65);
    assert!(state(&site).get("unfinished").is_none(), "{}", state(&site));
}

fn first_of_last_month() -> NaiveDate {
    let today = chrono::Utc::now().date_naive();
    today
        .with_day(1)
        .and_then(|d| d.checked_sub_months(Months::new(1)))
        .expect("a date")
}

#[test]
fn a_month_is_walked_again_until_the_website_has_had_time_to_publish_its_decisions() {
    let month = first_of_last_month();
    let end = month
        .checked_add_months(Months::new(1))
        .and_then(|d| d.pred_opt())
        .expect("a date");
    let website = site_with(entries(0, month));
    let site = Site::new(&website.url(), "");
    let (ok, stdout, stderr) = walk(&site, &month.to_string(), &end.to_string());
    assert!(ok, "{stdout}\n{stderr}");
    assert_eq!(site.pages().len(), 5);

    // A decision of that month published since.
    let late = entry(&casebook::corpus::page(7).text, month + Days::new(14));
    website.with_data(|d| d.entries.push(late.clone()));
    let before = result_requests(&website);
    let (ok, stdout, stderr, _) = site.fetch(&["--delay", "0"]);
    assert!(ok, "{stdout}\n{stderr}");
    assert!(result_requests(&website) > before, "the month walked again");
    assert_eq!(website.count(&late.path), 1, "{stdout}");
    assert_eq!(site.pages().len(), 6);
}

#[test]
fn a_month_settled_is_not_walked_again() {
    let month = first_of_last_month();
    let website = site_with(entries(0, month));
    let site = Site::new(&website.url(), "revisit_days = 0\n");
    let end = month
        .checked_add_months(Months::new(1))
        .and_then(|d| d.pred_opt())
        .expect("a date");
    let (ok, stdout, stderr) = walk(&site, &month.to_string(), &end.to_string());
    assert!(ok, "{stdout}\n{stderr}");
    let before = result_requests(&website);
    let (ok, stdout, stderr, _) = site.fetch(&["--delay", "0"]);
    assert!(ok, "{stdout}\n{stderr}");
    // Only this month, which has not ended, is walked.
    assert_eq!(result_requests(&website) - before, 1, "{stdout}");
}

/// Every decision of `all` answers with `fault`; one month is walked.
fn every_decision(fault: Fault) -> (Imitation, bool, String, String) {
    let all = entries(0, day("2025-01-01"));
    let website = site_with(all.clone());
    website.with_data(|d| {
        for e in &all {
            d.faults.insert(e.path.clone(), fault.clone());
        }
    });
    let site = Site::new(&website.url(), "");
    let (ok, stdout, stderr) = walk(&site, "2025-01-01", "2025-01-31");
    (website, ok, stdout, stderr)
}

#[test]
fn stops_the_run_when_the_website_asks_for_a_longer_wait_than_casebook_makes() {
    let (website, ok, stdout, stderr) = every_decision(Fault::Status {
        code: 429,
        retry_after: Some(3600),
        times: 100,
    });
    assert!(!ok);
    assert_eq!(
        decision_requests(&website),
        2,
        "two addresses refused, then it stopped"
    );
    assert!(
        stderr.contains("asked casebook to slow down on 2 addresses in a row; stopped"),
        "{stderr}"
    );
    assert!(
        stdout.contains("failed 2"),
        "the stop is not a failure of its own: {stdout}"
    );
}

#[test]
fn stops_the_run_when_the_website_stays_unavailable() {
    let (website, ok, _, stderr) = every_decision(Fault::Status {
        code: 503,
        retry_after: Some(0),
        times: 100,
    });
    assert!(!ok);
    // Two decisions, each tried and retried 4 times (the default), none of the others.
    assert_eq!(decision_requests(&website), 10, "{stderr}");
}

#[test]
fn one_address_that_stays_unavailable_fails_alone() {
    let all = entries(0, day("2025-01-01"));
    let website = site_with(all.clone());
    website.with_data(|d| {
        d.faults.insert(
            all[2].path.clone(),
            Fault::Status {
                code: 503,
                retry_after: Some(0),
                times: 100,
            },
        );
    });
    let site = Site::new(&website.url(), "");
    let (ok, stdout, stderr) = walk(&site, "2025-01-01", "2025-01-31");
    assert!(!ok && !stderr.contains("stopped"), "{stderr}");
    assert!(
        stdout.contains("fetched 4,") && stdout.contains("failed 1"),
        "{stdout}"
    );
}

#[test]
fn a_decision_address_answering_a_captcha_stops_its_month() {
    let captcha = "<html><head><title>Just a moment...</title></head><body><p>Verify you are human</p></body></html>";
    let (website, ok, stdout, stderr) = every_decision(Fault::Body(captcha.into()));
    assert!(!ok);
    assert_eq!(decision_requests(&website), 1, "{stderr}");
    assert!(
        stderr.contains("`Just a moment...`") && stderr.contains("stopped this window"),
        "{stderr}"
    );
    assert!(
        stdout.contains("windows 0/1") && stdout.contains("failed 1"),
        "{stdout}"
    );
}

#[test]
fn a_second_fetch_of_a_site_refuses_while_one_runs() {
    let website = site_with(entries(0, day("2025-01-01")));
    let site = Site::new(&website.url(), "");
    let dir = site.root.join(".casebook");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join("fetch.lock"))
        .expect("lock file");
    lock.lock().expect("the first fetch's lock");
    let (ok, stdout, stderr) = walk(&site, "2025-01-01", "2025-01-31");
    assert!(!ok, "{stdout}");
    assert!(
        stderr.contains("another `casebook fetch` is running"),
        "{stderr}"
    );
    assert!(
        website.requests().is_empty(),
        "nothing asked of the website"
    );
    drop(lock);
    let (ok, stdout, stderr) = walk(&site, "2025-01-01", "2025-01-31");
    assert!(ok, "{stdout}\n{stderr}");
}

#[test]
fn a_kept_page_that_import_cannot_read_counts_as_failed_and_is_tried_again() {
    let all = entries(0, day("2025-01-01"));
    let target = all[1].clone();
    let reference = fetch_site::slug_of(&target).replace('-', " ");
    // The decision's address and reference, but nothing import can read as a decision.
    let unreadable = format!(
        "<html><head><title>Decision</title></head><body><p>Somewhere ({reference})</p><p>Summary</p></body></html>"
    );
    let website = site_with(all);
    website.with_data(|d| {
        d.faults
            .insert(target.path.clone(), Fault::Body(unreadable));
    });
    let site = Site::new(&website.url(), "");
    let (ok, stdout, stderr) = walk(&site, "2025-01-01", "2025-01-31");
    assert!(!ok, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("imported 4,")
            && stdout.contains("fetched 5,")
            && stdout.contains("failed 1"),
        "the last line counts the page import could not read: {stdout}"
    );
    let slug = fetch_site::slug_of(&target);
    assert!(
        site.pages().iter().any(|p| p.contains(&slug)),
        "kept in sources/"
    );
    let waiting = state(&site)["unimported"].to_string();
    assert!(waiting.contains(&slug), "{waiting}");

    // The next fetch (no dates) tries it again, and says so again.
    let (ok, stdout, _, _) = site.fetch(&["--delay", "0"]);
    assert!(!ok && stdout.contains("failed 1"), "{stdout}");
}

#[test]
fn another_decision_at_an_address_fails_that_address_alone() {
    let all = entries(10, day("2025-01-01"));
    let website = site_with(all.clone());
    // The newest decision's address serves another decision's page.
    let newest = all.iter().max_by_key(|e| e.date).expect("entries").clone();
    website.with_data(|d| {
        d.faults
            .insert(newest.path.clone(), Fault::Body(all[0].html.clone()));
    });
    let site = Site::new(&website.url(), "");
    let (ok, stdout, stderr) = walk(&site, "2025-01-01", "2025-01-31");
    assert!(!ok);
    assert!(
        stderr.contains(&newest.path)
            && stderr.contains("the decision (")
            && !stderr.contains("stopped this window"),
        "{stderr}"
    );
    assert!(
        stdout.contains("fetched 14,") && stdout.contains("failed 1"),
        "{stdout}"
    );
    assert_eq!(
        state(&site)["unfinished"][0]["from"],
        "2025-01-01",
        "not done"
    );
}

#[test]
fn a_page_whose_content_file_could_not_be_written_is_imported_by_the_next_fetch() {
    let website = site_with(entries(0, day("2025-01-01")));
    let site = Site::new(&website.url(), "");
    // A file where the decisions' folder should be: no content file can be written.
    std::fs::create_dir_all(site.root.join("content")).expect("mkdir");
    std::fs::write(site.root.join("content/decisions"), "in the way").expect("block");
    let (ok, stdout, _) = walk(&site, "2025-01-01", "2025-01-31");
    assert!(!ok && stdout.contains("failed 5"), "{stdout}");
    std::fs::remove_file(site.root.join("content/decisions")).expect("unblock");
    let (ok, stdout, stderr, _) = site.fetch(&["--delay", "0"]);
    assert!(ok, "{stdout}\n{stderr}");
    assert!(stdout.contains("imported 5,"), "{stdout}");
    assert_eq!(site.files("content/decisions").len(), 5);
}

#[test]
fn a_decision_named_that_failed_is_asked_for_again_when_its_month_lists_it() {
    let all = entries(0, day("2025-01-01"));
    let target = all[1].clone();
    let website = site_with(all);
    fail_once(&website, &target);
    let site = Site::new(&website.url(), "");
    let url = fetch_site::page_url(&website, &target);
    let (ok, stdout, stderr, _) = site.fetch_months("2025-01-01", "2025-01-31", &[&url]);
    assert!(!ok, "the named address failed: {stdout}\n{stderr}");
    assert_eq!(website.count(&target.path), 2, "asked again in its month");
    assert_eq!(site.pages().len(), 5);
    assert!(stdout.contains("windows 1/1"), "{stdout}");
}
