//! The polite client of `casebook fetch` (src/fetch/client.rs) against the imitation
//! website on 127.0.0.1 (tests/support/lgo_site.rs): redirects (checked against
//! robots.txt hop by hop, one with no Location, an error at the end of one, named with
//! the address it was met at) and the Accept header each request sends. Most drive the
//! client itself, from the library; those that show what a run reports run the real
//! binary. No test reaches the internet.

#[path = "support/fetch_site.rs"]
mod fetch_site;
#[path = "support/lgo_site.rs"]
mod lgo_site;

use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use casebook::config::FetchConfig;
use casebook::fetch::client::{Answer, Client, FetchError, Validators};
use casebook::fetch::robots::Robots;
use url::Url;

use fetch_site::{day, page_url, site_with, Site};
use lgo_site::{entries, Entry, Fault, Imitation};

/// A client for the imitation, with no delay between requests.
fn client_for(website: &Imitation) -> Client {
    let config = FetchConfig {
        delay: Duration::ZERO,
        timeout: Duration::from_secs(5),
        ..FetchConfig::default()
    };
    let origin = Url::parse(&website.url()).expect("the imitation's address");
    Client::new(
        origin,
        &config,
        "news@digest.example",
        Arc::new(AtomicBool::new(false)),
    )
}

/// The imitation's address for `path`.
fn at(website: &Imitation, path: &str) -> Url {
    Url::parse(&format!("{}{path}", website.url())).expect("address")
}

/// The imitation with the five seeds, and the seeds.
fn website() -> (Imitation, Vec<Entry>) {
    let all = entries(0, day("2025-01-01"));
    (site_with(all.clone()), all)
}

fn get(client: &mut Client, url: &Url) -> Result<Answer, FetchError> {
    client.get(url, &Validators::default(), None)
}

/// Makes `entry`'s address redirect to `/private/secret`, which the imitation's robots.txt
/// disallows.
fn redirect_to_private(website: &Imitation, entry: &Entry) {
    website.with_data(|d| {
        d.faults.insert(
            entry.path.clone(),
            Fault::Redirect("/private/secret".into()),
        );
    });
}

/// The rules of the imitation's robots.txt (`fetch_site::site_with`).
fn no_private() -> Robots {
    Robots::parse(b"User-agent: *\nDisallow: /private/\n")
}

#[test]
fn requests_no_redirect_target_robots_txt_disallows() {
    let (website, all) = website();
    redirect_to_private(&website, &all[0]);
    let mut client = client_for(&website);
    client.obey(no_private());
    let e = get(&mut client, &at(&website, &all[0].path)).expect_err("disallowed");
    assert!(matches!(&e, FetchError::Disallowed(_)), "{e:?}");
    assert_eq!(
        e.to_string(),
        format!(
            "robots.txt does not allow casebook to fetch {}/private/secret; not requested",
            website.url()
        )
    );
    assert!(
        !e.is_unreachable(),
        "one page refused, not the website gone"
    );
    assert_eq!(website.count(&all[0].path), 1);
    assert_eq!(
        website.count("/private/secret"),
        0,
        "the target was requested"
    );
}

#[test]
fn checks_every_redirect_hop_against_robots_txt() {
    let (website, all) = website();
    website.with_data(|d| {
        d.faults
            .insert(all[0].path.clone(), Fault::Redirect(all[1].path.clone()));
        d.faults.insert(
            all[1].path.clone(),
            Fault::Redirect("/private/secret".into()),
        );
    });
    let mut client = client_for(&website);
    client.obey(no_private());
    let e = get(&mut client, &at(&website, &all[0].path)).expect_err("disallowed");
    assert!(matches!(e, FetchError::Disallowed(_)), "{e:?}");
    assert_eq!(
        website.count(&all[1].path),
        1,
        "the allowed hop was followed"
    );
    assert_eq!(website.count("/private/secret"), 0);
}

#[test]
fn requests_no_address_robots_txt_disallows() {
    let (website, _) = website();
    let mut client = client_for(&website);
    client.obey(no_private());
    let e = get(&mut client, &at(&website, "/private/secret")).expect_err("disallowed");
    assert!(matches!(e, FetchError::Disallowed(_)), "{e:?}");
    assert!(website.requests().is_empty(), "{:?}", website.requests());
    assert_eq!(client.requests(), 0);
}

#[test]
fn allows_everything_until_told_what_robots_txt_says() {
    let (website, all) = website();
    redirect_to_private(&website, &all[0]);
    let mut client = client_for(&website);
    let e = get(&mut client, &at(&website, &all[0].path)).expect_err("a 404 at the end");
    assert!(
        matches!(e, FetchError::StatusAfterRedirect { status: 404, .. }),
        "{e:?}"
    );
    assert_eq!(website.count("/private/secret"), 1);
}

#[test]
fn names_the_address_a_redirect_led_to_when_the_error_is_met_there() {
    let (website, all) = website();
    let config = FetchConfig {
        delay: Duration::ZERO,
        retries: 1,
        max_page_bytes: 10_000,
        ..FetchConfig::default()
    };
    let origin = Url::parse(&website.url()).expect("the imitation's address");
    let mut client = Client::new(
        origin,
        &config,
        "news@digest.example",
        Arc::new(AtomicBool::new(false)),
    );
    website.with_data(|d| {
        d.faults
            .insert(all[0].path.clone(), Fault::Redirect("/moved/busy".into()));
        d.faults.insert(
            "/moved/busy".into(),
            Fault::Status {
                code: 503,
                retry_after: Some(0),
                times: 100,
            },
        );
        d.faults
            .insert(all[1].path.clone(), Fault::Redirect("/moved/huge".into()));
        d.faults.insert("/moved/huge".into(), Fault::Huge(50_000));
    });

    let e = get(&mut client, &at(&website, &all[0].path)).expect_err("busy at the end");
    let FetchError::AfterRedirect { url, error } = &e else {
        panic!("the error met after the redirect, with its address: {e:?}");
    };
    assert!(url.ends_with("/moved/busy"), "{url}");
    assert!(
        matches!(
            **error,
            FetchError::Busy {
                status: 503,
                tries: 2
            }
        ),
        "{error:?}"
    );
    assert!(
        e.slows_down(),
        "a busy answer after a redirect still asks to slow down"
    );
    assert!(!e.is_unreachable());
    assert!(e.to_string().contains("/moved/busy"), "{e}");
    assert_eq!(website.count("/moved/busy"), 2);

    let e = get(&mut client, &at(&website, &all[1].path)).expect_err("too large at the end");
    let FetchError::AfterRedirect { url, error } = &e else {
        panic!("the error met after the redirect, with its address: {e:?}");
    };
    assert!(url.ends_with("/moved/huge"), "{url}");
    assert!(matches!(**error, FetchError::TooLarge(10_000)), "{error:?}");
    assert!(!e.slows_down());

    // An error at the address asked for is not wrapped.
    website.with_data(|d| {
        d.faults.insert(all[2].path.clone(), Fault::Huge(50_000));
    });
    let e = get(&mut client, &at(&website, &all[2].path)).expect_err("too large");
    assert!(matches!(e, FetchError::TooLarge(10_000)), "{e:?}");
}

#[test]
fn fetches_robots_txt_whatever_the_rules_say() {
    let (website, _) = website();
    let mut client = client_for(&website);
    client.obey(Robots::parse(b"User-agent: *\nDisallow: /\n"));
    let answer = get(&mut client, &at(&website, "/robots.txt")).expect("robots.txt");
    let Answer::Page(page) = answer else {
        panic!("a page, not {answer:?}");
    };
    assert!(String::from_utf8_lossy(&page.body).contains("Disallow: /private/"));
    // Wherever robots.txt redirects to, as RFC 9309 has a crawler follow it.
    website.with_data(|d| {
        d.faults.insert(
            "/robots.txt".into(),
            Fault::Redirect("/moved/robots.txt".into()),
        );
    });
    let e = get(&mut client, &at(&website, "/robots.txt")).expect_err("a 404 at the end");
    assert!(
        matches!(e, FetchError::Status(404)),
        "a 4xx for robots.txt, read by the caller as no rules: {e:?}"
    );
    assert_eq!(website.count("/moved/robots.txt"), 1);
}

#[test]
fn names_the_redirect_target_that_answered_an_error() {
    let (website, all) = website();
    let gone = "/decisions/a/b/19-000-000";
    website.with_data(|d| {
        d.faults
            .insert(all[0].path.clone(), Fault::Redirect(gone.into()));
    });
    let mut client = client_for(&website);
    let e = get(&mut client, &at(&website, &all[0].path)).expect_err("a 404 at the end");
    assert_eq!(
        e.to_string(),
        format!(
            "the website answered 404 at {}{gone} (redirected from the address asked for)",
            website.url()
        )
    );
    let e = get(&mut client, &at(&website, gone)).expect_err("a 404");
    assert_eq!(
        e.to_string(),
        "the website answered 404",
        "asked for directly, the address is the caller's to name"
    );
}

#[test]
fn a_run_names_both_the_page_asked_for_and_where_its_error_came_from() {
    let (website, all) = website();
    let gone = "/decisions/a/b/19-000-000";
    website.with_data(|d| {
        d.faults
            .insert(all[0].path.clone(), Fault::Redirect(gone.into()));
    });
    let site = Site::new(&website.url(), "");
    let (ok, stdout, stderr, _) = site.fetch(&[&page_url(&website, &all[0]), "--delay", "0"]);
    assert!(!ok, "{stdout}\n{stderr}");
    let line = stderr
        .lines()
        .find(|l| l.contains(&all[0].path))
        .unwrap_or_else(|| panic!("no failure names {}:\n{stderr}", all[0].path));
    assert!(
        line.contains(&format!(
            "answered 404 at {}{gone} (redirected from the address asked for)",
            website.url()
        )),
        "{line}"
    );
    assert!(site.pages().is_empty());
}

#[test]
fn a_run_follows_no_redirect_to_an_address_robots_txt_disallows() {
    // The imitation's robots.txt disallows /private/ (tests/support/fetch_site.rs).
    let (website, all) = website();
    redirect_to_private(&website, &all[0]);
    let site = Site::new(&website.url(), "");
    let (ok, stdout, stderr, _) = site.fetch(&[&page_url(&website, &all[0]), "--delay", "0"]);
    assert!(!ok, "{stdout}\n{stderr}");
    assert_eq!(website.count("/private/secret"), 0, "never requested");
    assert!(
        stderr.contains(&all[0].path) && stderr.contains("robots.txt does not allow"),
        "{stderr}"
    );
}

#[test]
fn fails_at_once_on_a_redirect_with_no_location() {
    let (website, all) = website();
    website.with_data(|d| {
        d.faults.insert(
            all[0].path.clone(),
            Fault::Status {
                code: 302,
                retry_after: None,
                times: 100,
            },
        );
    });
    let mut client = client_for(&website);
    let e = get(&mut client, &at(&website, &all[0].path)).expect_err("nowhere to go");
    assert_eq!(
        e.to_string(),
        "the website answered 302 with no Location to follow"
    );
    assert_eq!(website.count(&all[0].path), 1, "asked once, not again");
}

#[test]
fn asks_for_robots_txt_as_text_and_for_decisions_as_html() {
    let (website, all) = website();
    let site = Site::new(&website.url(), "");
    let (ok, stdout, stderr, _) = site.fetch(&[&page_url(&website, &all[0]), "--delay", "0"]);
    assert!(ok, "{stdout}\n{stderr}");
    let accept = |path: &str| {
        let requests = website.requests();
        let request = requests
            .iter()
            .find(|r| r.path() == path)
            .unwrap_or_else(|| panic!("{path} was not requested"));
        request.headers.get("accept").cloned().unwrap_or_default()
    };
    assert_eq!(accept("/robots.txt"), "text/plain, */*;q=0.5");
    assert_eq!(accept(&all[0].path), "text/html,application/xhtml+xml");
}

#[test]
fn reads_robots_txt_redirected_to_a_404_as_no_rules() {
    let (website, all) = website();
    website.with_data(|d| {
        d.faults.insert(
            "/robots.txt".into(),
            Fault::Redirect("/moved/robots.txt".into()),
        );
    });
    let site = Site::new(&website.url(), "");
    let (ok, stdout, stderr, _) = site.fetch(&[&page_url(&website, &all[0]), "--delay", "0"]);
    assert!(
        ok,
        "a 4xx for robots.txt means no rules (RFC 9309): {stdout}\n{stderr}"
    );
    assert_eq!(website.count("/moved/robots.txt"), 1);
    assert_eq!(site.pages().len(), 1);
}
