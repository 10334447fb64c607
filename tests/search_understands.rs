//! Search that understands how people write, in headless Chromium on the built default
//! site (the five seed decisions): word forms, phrases, prefixes, typos, the glossary's
//! other names, exclusion, ranking, and a URL that follows the typing. Which decisions
//! should be found is worked out from the decision pages' own text, not written down.

#[path = "support/chromium.rs"]
mod chromium;
#[path = "support/generated_site.rs"]
mod generated_site;
#[path = "support/search_site.rs"]
mod search_site;
#[path = "support/static_server.rs"]
mod static_server;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;

use regex::Regex;
use search_site::{assemble_site, browse, serve};

struct Site {
    root: PathBuf,
    base: String,
}

/// The default site, built and served once for every test in this file.
fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("site dir");
        let root = dir.keep();
        assemble_site(&root);
        let base = serve(root.clone());
        Site { root, base }
    })
}

/// Every decision's URL and its content file's text (front matter and body: the words a
/// decision's own page shows, without the links to other decisions around them).
fn decision_texts() -> Vec<(String, String)> {
    let reference = Regex::new(r#"(?m)^reference = "([^"]+)""#).expect("regex");
    let mut out = Vec::new();
    let years = search_site::manifest().join("content/decisions");
    for year in std::fs::read_dir(years).expect("content/decisions") {
        for file in std::fs::read_dir(year.expect("year").path()).expect("year dir") {
            let text = std::fs::read_to_string(file.expect("file").path()).expect("content");
            let slug = reference
                .captures(&text)
                .map(|c| c[1].replace(' ', "-"))
                .expect("a reference");
            out.push((format!("/decisions/{slug}/"), text));
        }
    }
    out
}

/// The decisions whose text matches `pattern` (case-insensitive).
fn pages_matching(pattern: &str) -> BTreeSet<String> {
    let re = Regex::new(&format!("(?i){pattern}")).expect("pattern");
    decision_texts()
        .into_iter()
        .filter(|(_, text)| re.is_match(text))
        .map(|(url, _)| url)
        .collect()
}

/// The results (in order) and the status line for `query` opened as a deep link.
fn search(query: &str) -> (Vec<String>, String) {
    search_site::search(&site().base, query)
}

fn set(links: &[String]) -> BTreeSet<String> {
    links.iter().cloned().collect()
}

#[test]
fn can_find_other_forms_of_a_word() {
    let safeguard = pages_matching(r"\bsafeguard");
    let others = pages_matching(r"\bsafeguard(ing|ed|s)\b");
    assert!(
        others.len() > pages_matching(r"\bsafeguard\b").len(),
        "some seeds say only safeguarding or safeguarded"
    );
    let (links, status) = search("safeguard");
    assert_eq!(set(&links), safeguard, "{status}");

    let apologised = pages_matching(r"\bapologised\b");
    assert!(pages_matching(r"\bapologising\b").is_empty());
    let (links, status) = search("apologising");
    assert_eq!(set(&links), apologised, "{status}");
    assert_eq!(links.len(), 5, "every seed says apologised");

    let delayed = pages_matching(r"\bdelayed\b");
    assert_eq!(delayed.len(), 2);
    let (links, status) = search("delaying");
    assert_eq!(set(&links), pages_matching(r"\bdelay"), "{status}");
    assert!(delayed.is_subset(&set(&links)));
}

#[test]
fn can_rank_the_exact_word_above_its_other_forms() {
    let exact = pages_matching(r"\bsafeguard\b");
    assert!(!exact.is_empty());
    let (links, status) = search("safeguard");
    let first: BTreeSet<String> = links.iter().take(exact.len()).cloned().collect();
    assert_eq!(
        first, exact,
        "the decisions that say 'safeguard' come first: {status}"
    );
}

#[test]
fn can_match_a_quoted_phrase_only_in_that_order() {
    assert!(
        !pages_matching(r"\bhelp\b[\s\S]*\bearly\b").is_empty(),
        "the words are there, apart or the other way round"
    );
    let (links, status) = search("\"help early\"");
    assert!(links.is_empty(), "{links:?} {status}");
    assert!(status.contains("No decisions match"), "{status}");

    let kent_in_need = pages_matching(r"\bchild in need\b")
        .intersection(&pages_matching(r"\bKent\b"))
        .cloned()
        .collect::<BTreeSet<_>>();
    assert!(!kent_in_need.is_empty());
    let (links, status) = search("\"child in need\" Kent");
    assert_eq!(set(&links), kent_in_need, "{status}");
}

/// A site of 60 decisions made from the seeds, where every decision has the words
/// "quilted" and "blankets" many times but only the first two say "quilted blankets" (and
/// "Norleying"), and the other 58 say "winter blankets quilted": its URL, those two
/// decisions' pages, its `public/` folder, and the log of what was asked of it.
fn crowded_site() -> &'static (String, BTreeSet<String>, PathBuf, static_server::Asked) {
    static SITE: OnceLock<(String, BTreeSet<String>, PathBuf, static_server::Asked)> =
        OnceLock::new();
    SITE.get_or_init(|| {
        let site = tempfile::tempdir().expect("site dir").keep();
        let made = generated_site::generate_site(&site, 60).expect("generated site");
        let wanted = made[..2]
            .iter()
            .map(|(_, dashed)| format!("/decisions/{dashed}/"))
            .collect();
        for (i, (rel, _)) in made.iter().enumerate() {
            let extra = if i < 2 {
                "\nAt Norleying the council should have offered quilted blankets in winter.\n"
            } else {
                "\nIn winter the blankets were quilted. Winter came; quilted covers, blankets \
                 quilted in winter, winter blankets quilted, nor warm.\n"
            };
            let path = site.join(rel);
            let text = std::fs::read_to_string(&path).expect("content file");
            std::fs::write(&path, text + extra).expect("write");
        }
        search_site::build_at_root(&site, None);
        let public = site.join("public");
        let (base, asked) = static_server::serve_logged(public.clone());
        (base, wanted, public, asked)
    })
}

/// A phrase whose words are in every decision, but in that order in only two that rank
/// low for the words alone: reading the best candidates' pages one by one cannot find
/// them, so the index's pairs of neighbouring words must.
#[test]
fn can_find_a_phrase_among_many_decisions_with_its_words() {
    let (base, wanted, _, _) = crowded_site();
    let (links, status) = search_site::search(base, "\"quilted blankets\"");
    assert_eq!(&set(&links), wanted, "{status}");
    assert!(status.starts_with("2 "), "{status}");
    // The other order is in the other 58, and a pair of words needs no page read.
    let (_, status) = search_site::search(base, "\"blankets quilted\"");
    assert!(status.starts_with("58 "), "{status}");
    // A longer phrase has each pair somewhere: pages are read, best first, until a screen
    // of results holds the phrase word for word.
    let (links, status) = search_site::search(base, "\"winter blankets quilted\"");
    assert_eq!(links.len(), 10, "{status}");
    assert!(
        status.starts_with("10 of the best 10 candidates have “\"winter blankets quilted\"” word for word. Showing 1 to 10. 48 more have each pair of its neighbouring words and are read when you show more."),
        "{status}"
    );
    // Each pair is in the 58 ("winter blankets", "blankets were"), the phrase in none: at
    // most 20 pages are read for a screen, and the 38 not read are counted, and not said
    // to match or not to.
    let (links, status) = search_site::search(base, "\"winter blankets were\"");
    assert!(links.is_empty(), "{links:?}");
    // Each pair came from its file's block, read by a range request after the table.
    let asked = crowded_site()
        .3
        .lock()
        .map(|a| a.clone())
        .unwrap_or_default();
    let blocks: Vec<&String> = asked
        .iter()
        .filter(|p| p.contains("/pairs/") && p.contains(" bytes ") && !p.contains(" bytes 0-"))
        .collect();
    assert!(!blocks.is_empty(), "{asked:?}");
    assert!(
        status.starts_with("None of the best 20 candidates has “\"winter blankets were\"” word for word; 38 more have each pair"),
        "{status}"
    );
}

/// A phrase of three words reads about as many decision pages as it shows results, and
/// "Show more" reads on: 10 pages for the first 10 results, 10 more for the next 10, and
/// the status counts what was read.
#[test]
fn reads_a_phrases_candidates_only_as_far_as_the_results_shown() {
    let (base, _, public, _) = crowded_site();
    let page = READ_ON_PAGE.replace("QUERY", "%22winter%20blankets%20quilted%22");
    // Beside the site's pages, so the frame is on the same origin; the frame counts its
    // own fetches.
    std::fs::write(public.join("read-on.html"), page).expect("write page");
    let dom = browse(
        &["--dump-dom", "--virtual-time-budget=15000"],
        &format!("{base}/read-on.html"),
    );
    let seen = search_site::page_output(&dom);
    assert_eq!(seen[0]["results"], 10, "{seen}");
    assert_eq!(seen[0]["pages"], 10, "one page read per result: {seen}");
    assert_eq!(seen[1]["results"], 20, "{seen}");
    assert_eq!(seen[1]["pages"], 20, "{seen}");
    let status = seen[1]["status"].as_str().unwrap_or_default();
    assert!(
        status.starts_with("20 of the best 20 candidates have")
            && status.contains("38 more have each pair"),
        "{status}"
    );
}

/// A candidate whose page cannot be read (gone from the host, a network fault) is neither
/// a result nor said to lack the phrase: the status counts it apart.
#[test]
fn counts_a_candidate_whose_page_cannot_be_read_apart() {
    let site = tempfile::tempdir().expect("site dir").keep();
    let made = generated_site::generate_site(&site, 12).expect("generated site");
    for (rel, _) in &made {
        let path = site.join(rel);
        let text = std::fs::read_to_string(&path).expect("content file");
        std::fs::write(
            &path,
            text + "\nIn winter the blankets were quilted: winter blankets quilted.\n",
        )
        .expect("write");
    }
    search_site::build_at_root(&site, None);
    let gone = site
        .join("public/decisions")
        .join(&made[0].1)
        .join("index.html");
    std::fs::remove_file(&gone).expect("remove a decision page");
    let base = serve(site.join("public"));
    let (links, status) = search_site::search(&base, "\"winter blankets quilted\"");
    assert_eq!(links.len(), 10, "{status}");
    assert!(
        !links.contains(&format!("/decisions/{}/", made[0].1)),
        "{links:?}"
    );
    assert!(status.starts_with("11 decisions match"), "{status}");
    assert!(
        status.ends_with("The pages of 1 candidate could not be read, so they are left out."),
        "{status}"
    );
}

/// Searches `?q=QUERY` in a frame and notes the results and the decision pages fetched
/// once they show, then presses "Show more results" and notes them again.
const READ_ON_PAGE: &str = r##"<!DOCTYPE html><meta charset="utf-8"><title>read on</title>
<iframe id="f" src="/search/?q=QUERY" width="900" height="700"></iframe><pre id="out"></pre>
<script>
var f = document.getElementById("f"), seen = [];
function look() {
  var d = f.contentDocument, w = f.contentWindow;
  seen.push({ results: d.querySelectorAll("#search-results h2 a").length,
    status: d.getElementById("search-status").textContent,
    pages: w.performance.getEntriesByType("resource").map(function (e) { return new URL(e.name).pathname; })
      .filter(function (p) { return /^\/decisions\/[^/]+\/$/.test(p); }).length });
}
f.addEventListener("load", function () {
  setTimeout(function () {
    look();
    f.contentDocument.getElementById("search-more").click();
    setTimeout(function () {
      look();
      document.getElementById("out").textContent = JSON.stringify(seen);
    }, 3000);
  }, 4000);
});
</script>"##;

/// A slip that stems to a word the decisions hold (`norlying`: "nor") still finds the
/// written word it is one letter from, first, and says so.
#[test]
fn can_forgive_a_slip_that_stems_to_another_word() {
    let (base, wanted, _, _) = crowded_site();
    let (links, status) = search_site::search(base, "norlying");
    assert_eq!(&set(&links[..2.min(links.len())]), wanted, "{status}");
    assert!(
        status.contains("Including results for “norleying”"),
        "{status}"
    );
}

/// A slip in a word's first two letters (`ellbrook`, for "Zellbrook") on a site whose
/// vocabulary spans several files, so that the file of the slip's first two letters does
/// not hold the word: the word-ending files find it, and the one that holds it is read.
#[test]
fn can_forgive_a_slip_in_the_first_two_letters() {
    use casebook::search::vocab::file_for;
    use std::io::Read;
    let site = tempfile::tempdir().expect("site dir");
    let made = generated_site::generate_site(site.path(), 3).expect("generated site");
    // Words of every first two letters, enough for many vocabulary files.
    let filler: String = (0..26 * 26 * 20)
        .map(|i| {
            let (a, b) = (b'a' + (i / 20 / 26) as u8, b'a' + (i / 20 % 26) as u8);
            format!("{}{}filler{i} ", char::from(a), char::from(b))
        })
        .collect();
    for (i, (rel, _)) in made.iter().enumerate() {
        let extra = if i == 0 {
            format!("\nThe family moved to Zellbrook.\n\n{filler}\n")
        } else {
            "\nThe family moved away.\n".to_string()
        };
        let path = site.path().join(rel);
        let text = std::fs::read_to_string(&path).expect("content file");
        std::fs::write(&path, text + &extra).expect("write");
    }
    search_site::build_at_root(site.path(), None);
    let public = site.path().join("public");
    let mut meta = String::new();
    let bytes = std::fs::read(public.join("search/index/meta.bin")).expect("meta.bin");
    flate2::read::GzDecoder::new(bytes.as_slice())
        .read_to_string(&mut meta)
        .expect("gzip");
    let meta: serde_json::Value = serde_json::from_str(&meta).expect("meta JSON");
    let vocab: Vec<String> = serde_json::from_value(meta["vocab_files"].clone()).expect("vocab");
    let ends: Vec<String> = serde_json::from_value(meta["end_files"].clone()).expect("ends");
    assert_ne!(
        file_for(&vocab, "el"),
        file_for(&vocab, "ze"),
        "the site's vocabulary must span files for this test: {vocab:?}"
    );
    let (base, asked) = static_server::serve_logged(public);
    let (links, status) = search_site::search(&base, "ellbrook");
    let zellbrook = format!("/decisions/{}/", made[0].1);
    assert_eq!(links, [zellbrook], "{status}");
    assert!(
        status.contains("Showing results for “zellbrook”"),
        "{status}"
    );
    let file = format!("/search/index/ends/{:04}.bin", file_for(&ends, "ok09"));
    let paths = asked.lock().expect("log").clone();
    let read: Vec<&String> = paths.iter().filter(|p| p.contains("/ends/")).collect();
    assert!(
        read.iter().any(|p| p.starts_with(&file)),
        "{file} not in {read:?}"
    );
}

#[test]
fn can_match_the_word_being_typed_as_a_prefix() {
    let (links, status) = search("safegu");
    assert_eq!(set(&links), pages_matching(r"\bsafegu"), "{status}");
    assert!(!status.contains("Showing results for"), "{status}");
    let (links, _) = search("safegu ");
    assert!(links.is_empty(), "a finished word is not a prefix");
}

#[test]
fn can_forgive_a_typo_and_say_so() {
    for (typo, meant, pattern) in [
        ("safegaurding", "safeguarding", r"\bsafeguard"),
        (
            "Northamtonshire",
            "northamptonshire",
            r"\bNorthamptonshire\b",
        ),
        ("Cafcas", "cafcass", r"\bCafcass\b"),
    ] {
        let (links, status) = search(typo);
        assert_eq!(set(&links), pages_matching(pattern), "{typo}: {status}");
        assert!(
            status
                .to_lowercase()
                .contains(&format!("showing results for “{meant}”")),
            "{typo}: {status}"
        );
    }
    let (links, status) = search("xqzvbnmwk");
    assert!(links.is_empty(), "nothing near: {status}");
}

#[test]
fn can_find_an_abbreviation_and_what_it_stands_for() {
    let written_short = pages_matching(r"\bCIN\b");
    let either = pages_matching(r"\b(CIN|child(ren)? in need)\b");
    assert!(
        written_short.len() < either.len(),
        "some write it in full only"
    );
    let (links, status) = search("CIN");
    assert_eq!(set(&links), either, "{status}");
    let (links, status) = search("child in need");
    assert_eq!(set(&links), either, "and the other way: {status}");
}

#[test]
fn can_leave_out_decisions_with_a_word() {
    let (all, _) = search("council");
    let kent = pages_matching(r"\bKent\b");
    let (links, status) = search("council -Kent");
    let expected: BTreeSet<String> = set(&all).difference(&kent).cloned().collect();
    assert_eq!(set(&links), expected, "{status}");
}

#[test]
fn can_rank_a_councils_decisions_first_for_its_name() {
    let (links, status) = search("Essex");
    assert_eq!(
        links.first().map(String::as_str),
        Some("/decisions/23-015-769/"),
        "Essex County Council's decision first: {status}"
    );
}

/// A page that loads the search page in a frame, types into it as a reader does, and
/// goes back; it writes what it saw into `<pre id="out">` as JSON.
const TYPING_PAGE: &str = r##"<!DOCTYPE html><meta charset="utf-8"><title>typing</title>
<iframe id="f" src="/search/" width="900" height="700"></iframe><pre id="out"></pre>
<script>
var f = document.getElementById("f"), seen = [];
function look(label) {
  var d = f.contentDocument;
  seen.push({ label: label, search: f.contentWindow.location.search, value: d.getElementById("search-q").value,
    results: Array.from(d.querySelectorAll("#search-results h2 a")).map(function (a) { return new URL(a.getAttribute("href"), f.contentWindow.location.href).pathname.replace(/index\.html$/, ""); }) });
}
function type(text) {
  var input = f.contentDocument.getElementById("search-q");
  for (var i = 1; i <= text.length; i++) {
    input.value = text.slice(0, i);
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }
}
f.addEventListener("load", function () {
  setTimeout(function () {
    type("safegu");
    setTimeout(function () {
      look("typed");
      f.contentDocument.getElementById("search-q").value = "";
      type("Kent");
      setTimeout(function () {
        look("typed again");
        f.contentWindow.history.back();
        setTimeout(function () {
          look("back");
          document.getElementById("out").textContent = JSON.stringify(seen);
        }, 2000);
      }, 2000);
    }, 2000);
  }, 1000);
});
</script>"##;

#[test]
fn can_follow_the_typing_in_the_url_and_go_back() {
    let site = site();
    std::fs::write(site.root.join("typing.html"), TYPING_PAGE).expect("write page");
    let dom = browse(
        &["--dump-dom", "--virtual-time-budget=20000"],
        &format!("{}/typing.html", site.base),
    );
    let seen = search_site::page_output(&dom);
    let urls = |i: usize| -> BTreeSet<String> {
        search_site::strings(&seen[i]["results"])
            .into_iter()
            .collect()
    };
    assert_eq!(seen[0]["search"], "?q=safegu", "{seen}");
    assert_eq!(urls(0), pages_matching(r"\bsafegu"), "results while typing");
    assert_eq!(seen[1]["search"], "?q=Kent", "{seen}");
    assert_eq!(urls(1), pages_matching(r"\bKent\b"));
    assert_eq!(
        seen[2]["search"], "?q=safegu",
        "back to the search before: {seen}"
    );
    assert_eq!(seen[2]["value"], "safegu");
    assert_eq!(urls(2), urls(0));
}
