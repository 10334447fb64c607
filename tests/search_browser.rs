//! The search page in a real browser: builds the default site (the five seed decisions)
//! with the real binary at a domain root, serves it on 127.0.0.1, and reads the results
//! headless Chromium shows for deep links and filters.

#[path = "support/chromium.rs"]
mod chromium;
#[path = "support/search_site.rs"]
mod search_site;
#[path = "support/static_server.rs"]
mod static_server;

use search_site::{
    assemble_site, browse, browse_page, manifest, out_text, page_output, results, serve, strings,
};

/// The decision pages the browser read (for excerpts or to check a phrase) since `asked`
/// was last emptied.
fn pages_read(asked: &static_server::Asked) -> Vec<String> {
    let mut asked = asked
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let pages = asked
        .iter()
        .filter(|p| p.starts_with("/decisions/") && p.len() > "/decisions/".len())
        .cloned()
        .collect();
    asked.clear();
    pages
}

#[test]
fn can_read_a_decision_page_for_an_excerpt_only_when_the_card_does_not_show_the_match() {
    let site = tempfile::tempdir().expect("site dir");
    assemble_site(site.path());
    let (base, asked) = static_server::serve_logged(site.path().to_path_buf());

    let dom = browse(&["--dump-dom"], &format!("{base}/search/?q=Kent"));
    let (links, status) = results(&dom);
    assert_eq!(
        links.first().map(String::as_str),
        Some("/decisions/19-010-314/"),
        "{status}"
    );
    assert_eq!(
        pages_read(&asked),
        Vec::<String>::new(),
        "the council's name is the result's heading: nothing to read"
    );

    let dom = browse(
        &["--dump-dom"],
        &format!("{base}/search/?q=%22Family%20Assistance%22"),
    );
    assert_eq!(results(&dom).0, ["/decisions/21-019-020/"]);
    assert!(
        dom.contains("<mark>Family</mark> <mark>Assistance</mark>"),
        "{dom}"
    );
    assert_eq!(
        pages_read(&asked),
        Vec::<String>::new(),
        "the phrase is whole in the summary"
    );

    let dom = browse(
        &["--dump-dom"],
        &format!("{base}/search/?q=anger%20management"),
    );
    assert_eq!(results(&dom).0, ["/decisions/18-014-059/"]);
    assert!(dom.contains("<mark>anger</mark> <mark>management</mark>"));
    assert_eq!(
        pages_read(&asked),
        ["/decisions/18-014-059/"],
        "the summaries lack the words: the page is read for the excerpt"
    );
}

/// Rewrites the `meta.bin` of the index built into `site` with `version` as its format.
fn set_index_format(site: &std::path::Path, version: u64) {
    use std::io::{Read, Write};
    let path = site.join("search/index/meta.bin");
    let bytes = std::fs::read(&path).expect("meta.bin");
    let mut raw = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut raw)
        .expect("gzip");
    let mut meta: serde_json::Value = serde_json::from_str(&raw).expect("meta is JSON");
    meta["version"] = version.into();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(meta.to_string().as_bytes()).expect("gzip");
    std::fs::write(&path, gz.finish().expect("gzip")).expect("meta.bin written");
}

#[test]
fn says_so_when_the_index_is_of_another_format_than_its_script() {
    let site = tempfile::tempdir().expect("site dir");
    assemble_site(site.path());
    set_index_format(site.path(), u64::from(casebook::search::FORMAT) - 1);
    let base = serve(site.path().to_path_buf());
    let dom = browse(&["--dump-dom"], &format!("{base}/search/?q=council"));
    let (links, status) = results(&dom);
    assert!(
        links.is_empty(),
        "no results from an index it cannot read: {links:?}"
    );
    assert!(
        status.contains("another version") && status.contains("reload the page"),
        "{status}"
    );
}

#[test]
fn can_search_the_seeds_in_a_browser() {
    let site = tempfile::tempdir().expect("site dir");
    assemble_site(site.path());
    let base = serve(site.path().to_path_buf());

    let dom = browse(
        &["--dump-dom"],
        &format!("{base}/search/?q=anger%20management"),
    );
    let (links, status) = results(&dom);
    assert_eq!(links, ["/decisions/18-014-059/"], "status: {status}\n{dom}");
    assert!(status.contains("1 decision matches"), "{status}");
    assert!(
        dom.contains("<mark>anger</mark> <mark>management</mark>"),
        "the excerpt comes from the decision page when the summaries lack the words"
    );

    let dom = browse(
        &["--dump-dom"],
        &format!("{base}/search/?q=%22Family%20Assistance%20Order%22"),
    );
    let (links, status) = results(&dom);
    assert_eq!(links, ["/decisions/21-019-020/"], "{status}");
    assert!(
        dom.contains("<mark>Family</mark> <mark>Assistance</mark> <mark>Order</mark>"),
        "hit highlighted"
    );

    let dom = browse(&["--dump-dom"], &format!("{base}/search/?q=council"));
    let (all, _) = results(&dom);
    assert_eq!(all.len(), 5, "every seed mentions the council: {all:?}");

    let dom = browse(
        &["--dump-dom"],
        &format!("{base}/search/?q=council&council=kent-county-council"),
    );
    let (kent, status) = results(&dom);
    assert_eq!(kent, ["/decisions/19-010-314/"], "{status}");

    let dom = browse(
        &["--dump-dom"],
        &format!("{base}/search/?q=council&year=2022&sort=date"),
    );
    let (year, _) = results(&dom);
    assert_eq!(year, ["/decisions/21-019-020/"]);

    for q in ["19%20010%20314", "19010314", "19-010-314"] {
        let dom = browse(&["--dump-dom"], &format!("{base}/search/?q={q}"));
        assert_eq!(results(&dom).0, ["/decisions/19-010-314/"], "reference {q}");
    }

    let dom = browse(
        &["--dump-dom"],
        &format!("{base}/search/?q=council&sort=date"),
    );
    let (newest_first, _) = results(&dom);
    assert_eq!(
        newest_first,
        [
            "/decisions/23-015-769/",
            "/decisions/21-019-020/",
            "/decisions/19-010-314/",
            "/decisions/18-014-059/",
            "/decisions/23-009-433/",
        ],
        "newest first, the undated decision last"
    );

    let dom = browse(
        &["--dump-dom"],
        &format!("{base}/search/?category=children-s-care-services"),
    );
    let (browsed, status) = results(&dom);
    assert_eq!(
        browsed.len(),
        4,
        "a filter without words lists its decisions: {status}"
    );
    assert!(
        status.contains("4 decisions match these filters"),
        "{status}"
    );

    let shots = manifest().join("target/screenshots");
    std::fs::create_dir_all(&shots).expect("screenshot dir");
    let shot = shots.join("search.png");
    browse(
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,2000",
        ],
        &format!("{base}/search/?q=anger%20management"),
    );
    assert!(shot.exists(), "screenshot written");
}

/// A site published under a path of its host (a GitHub project site, `/digest/`) reads its
/// own decision pages to check a phrase of three words, not the host's root.
#[test]
fn can_check_a_phrase_on_a_site_under_a_path_of_its_host() {
    let host = tempfile::tempdir().expect("host dir");
    let site = host.path().join("digest");
    assemble_site(&site);
    let (base, asked) = static_server::serve_logged(host.path().to_path_buf());
    let dom = browse(
        &["--dump-dom"],
        &format!("{base}/digest/search/?q=%22child%20in%20need%22"),
    );
    let (links, status) = results(&dom);
    assert!(!links.is_empty(), "{status}");
    let read = pages_read(&asked);
    assert!(
        read.is_empty(),
        "nothing asked for outside /digest/: {read:?}"
    );
}

/// A phrase reads the table of each pair file it needs and one block of it by range
/// requests; from a host that ignores ranges it reads the whole files, and from one that
/// sends more than asked it cuts out its range, and finds the same.
#[test]
fn can_read_a_pair_file_a_block_at_a_time_or_whole() {
    let site = tempfile::tempdir().expect("site dir");
    assemble_site(site.path());
    let query = "/search/?q=%22child%20in%20need%22%20Kent";
    let (ranged, asked) = static_server::serve_logged(site.path().to_path_buf());
    let by_ranges = results(&browse(&["--dump-dom"], &format!("{ranged}{query}")));
    let (whole, asked_whole) = static_server::serve_without_ranges(site.path().to_path_buf());
    let by_files = results(&browse(&["--dump-dom"], &format!("{whole}{query}")));
    let (wider, _) = static_server::serve_wider_ranges(site.path().to_path_buf());
    let by_wider = results(&browse(&["--dump-dom"], &format!("{wider}{query}")));
    assert!(!by_ranges.0.is_empty(), "{}", by_ranges.1);
    assert_eq!(by_ranges, by_files);
    assert_eq!(
        by_ranges, by_wider,
        "a range wider than asked for is cut to it"
    );
    let log = |asked: &static_server::Asked| -> Vec<String> {
        asked
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .filter(|p| p.contains("/pairs/"))
            .cloned()
            .collect()
    };
    let ranges = log(&asked);
    assert!(
        ranges.iter().any(|p| p.contains(" bytes 0-")),
        "the table first: {ranges:?}"
    );
    assert!(
        ranges
            .iter()
            .any(|p| p.contains(" bytes ") && !p.contains(" bytes 0-")),
        "then the block that holds the pair: {ranges:?}"
    );
    assert!(
        log(&asked_whole).iter().all(|p| !p.contains(" bytes ")),
        "whole files from the other host"
    );
}

/// The default site built and served with its search page as `change` makes it (a
/// site's own templates/search.html), searched for `Kent` as a deep link: the results and
/// the status line, and the page's DOM. The site's folder lives as long as the result.
fn search_own_page(
    change: impl FnOnce(String) -> String,
) -> (tempfile::TempDir, Vec<String>, String, String) {
    let site = tempfile::tempdir().expect("site dir");
    assemble_site(site.path());
    let path = site.path().join("search/index.html");
    let page = std::fs::read_to_string(&path).expect("page");
    std::fs::write(&path, change(page)).expect("write page");
    let (base, _) = static_server::serve_logged(site.path().to_path_buf());
    let dom = browse(&["--dump-dom"], &format!("{base}/search/?q=Kent"));
    let (links, status) = results(&dom);
    (site, links, status, dom)
}

#[test]
fn says_what_is_missing_when_a_sites_search_page_does_not_load_the_index_script() {
    // A page written before the index had its own script: without that script's tag.
    let (_site, links, status, dom) = search_own_page(|page| {
        let tag = page
            .split("<script")
            .find(|s| s.contains("search-index.js"))
            .map(|s| format!("<script{}", &s[..s.find("</script>").expect("closed") + 9]))
            .expect("the default page loads search-index.js");
        page.replace(&tag, "")
    });
    assert!(links.is_empty(), "{links:?}");
    assert!(
        status.contains("does not load search-index.js"),
        "the page says what is missing: {status}"
    );
    let app = dom
        .split("id=\"search-app\"")
        .nth(1)
        .and_then(|s| s.split('>').next())
        .expect("the search app");
    assert!(!app.contains("hidden"), "the message is shown: {app}");
}

#[test]
fn can_search_from_a_sites_own_page_without_the_filters_fieldset() {
    let (_site, links, status, _) = search_own_page(|page| {
        let open = page
            .find("<fieldset>")
            .expect("the default page has the fieldset");
        let legend_end = page[open..].find("</legend>").expect("its legend") + open + 9;
        let without =
            format!("{}{}", &page[..open], &page[legend_end..]).replace("</fieldset>", "");
        assert!(!without.contains("fieldset"));
        without
    });
    assert!(!links.is_empty(), "results for Kent: {status}");
    assert!(
        !status.contains("not available"),
        "no error on the page: {status}"
    );
}

#[test]
fn can_tell_readers_without_javascript_where_to_browse() {
    let site = tempfile::tempdir().expect("site dir");
    assemble_site(site.path());
    let page = std::fs::read_to_string(site.path().join("search/index.html")).expect("page");
    let noscript = page
        .split("<noscript>")
        .nth(1)
        .and_then(|s| s.split("</noscript>").next())
        .expect("noscript");
    for href in [
        "/councils/",
        "/categories/",
        "/outcomes/",
        "/years/",
        "/decisions/",
    ] {
        let leads_there = noscript
            .split("href=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .any(|link| search_site::resolve("/search/", link) == href);
        assert!(leads_there, "{href}: {noscript}");
    }
    assert!(page.contains("<label for=\"search-q\">"), "labelled input");
    assert!(page.contains("aria-live=\"polite\""), "results announced");
}

#[test]
fn can_tokenize_and_hash_the_same_in_rust_and_javascript() {
    let js = std::fs::read_to_string(manifest().join("themes/default/static/search-core.js"))
        .expect("search-core.js");
    let tokenizer = js
        .split("// ---- tokenizer (mirrors src/search/text.rs) ----")
        .nth(1)
        .and_then(|s| s.split("// ---- end of tokenizer ----").next())
        .expect("search-core.js marks its tokenizer");
    let samples = [
        "Mr X's Anger-Management course (21 019 020), £250; the policies.",
        "ÉCOLE Ombudsman’s naïve café classes buses analysis ties",
        "ΟΔΟΣ straße İstanbul 2022-08-25 EHC plan",
        "Supercalifragilisticexpialidociousnessesandthensomemorewords",
    ];
    let stop: Vec<&str> = casebook::search::text::STOP_WORDS.to_vec();
    let porter2 = std::fs::read_to_string(manifest().join("themes/default/static/porter2.js"))
        .expect("porter2.js");
    let page = format!(
        "<!DOCTYPE html><meta charset=utf-8><pre id=out></pre><script>{porter2}</script><script>var encoder = new TextEncoder();\n{tokenizer}\n\
         var stop = new Set({stop}); var out = {samples}.map(function (s) {{\n\
           var t = tokens(s, stop);\n\
           var pairs = t.slice(1).map(function (x, i) {{ return pairHash(t[i] + PAIR + x); }});\n\
           return [t, t.map(fnv1a), pairs]; }});\n\
         document.getElementById('out').textContent = JSON.stringify(out);</script>",
        stop = serde_json::to_string(&stop).expect("json"),
        samples = serde_json::to_string(&samples).expect("json"),
    );
    let dom = browse_page("tokens.html", &page);
    let json = out_text(&dom).expect("output");
    let from_js: Vec<(Vec<String>, Vec<u32>, Vec<u32>)> =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("tokenizer output {e}: {dom}"));
    assert_eq!(from_js.len(), samples.len());
    for (sample, (tokens, hashes, pairs)) in samples.iter().zip(from_js) {
        let rust = casebook::search::text::terms(sample);
        assert_eq!(tokens, rust, "{sample}");
        let rust_hashes: Vec<u32> = rust
            .iter()
            .map(|t| casebook::search::text::fnv1a(t))
            .collect();
        assert_eq!(hashes, rust_hashes, "{sample}");
        let rust_pairs: Vec<u32> = rust
            .windows(2)
            .map(|w| casebook::search::pairs::pair_hash(&w[0], &w[1]))
            .collect();
        assert_eq!(pairs, rust_pairs, "pair hashes of {sample}");
    }
}

/// Searches `?q=council` in a frame, notes the filters' lists and the facet files fetched
/// once the results show, then turns to the filters (`TURN`, replaced by the script that
/// does) and notes them again.
const FILTERS_PAGE: &str = r##"<!DOCTYPE html><meta charset="utf-8"><title>filters</title>
<iframe id="f" src="/search/?q=council" width="900" height="700"></iframe><pre id="out"></pre>
<script>
var f = document.getElementById("f"), seen = [];
function texts(d, id) {
  return Array.from(d.querySelectorAll("#" + id + " option")).map(function (o) { return o.textContent; });
}
function look(label) {
  var d = f.contentDocument, w = f.contentWindow;
  seen.push({ label: label, council: texts(d, "search-council"), year: texts(d, "search-year"),
    results: d.querySelectorAll("#search-results h2 a").length,
    facets: w.performance.getEntriesByType("resource").map(function (e) { return new URL(e.name).pathname; })
      .filter(function (p) { return p.indexOf("/facets/") >= 0; }).sort() });
}
f.addEventListener("load", function () {
  setTimeout(function () {
    look("results");
    TURN;
    setTimeout(function () {
      look("filters");
      document.getElementById("out").textContent = JSON.stringify(seen);
    }, 2000);
  }, 3000);
});
</script>"##;

/// A query fetches the council, category and outcome of every decision (170 KB at 100,000
/// decisions) only when the reader turns to the filters: the results come without them,
/// the lists show the names until then, and the counts of the results after.
#[test]
fn can_count_the_results_by_council_once_the_reader_turns_to_the_filters() {
    let site = tempfile::tempdir().expect("site dir");
    assemble_site(site.path());
    let base = serve(site.path().to_path_buf());
    for (how, turn) in [
        (
            "focus",
            r#"f.contentDocument.getElementById("search-council").focus()"#,
        ),
        (
            "pointer",
            r#"f.contentDocument.querySelector("fieldset").dispatchEvent(new PointerEvent("pointerenter"))"#,
        ),
    ] {
        let page = FILTERS_PAGE.replace("TURN", turn);
        std::fs::write(site.path().join(format!("{how}.html")), page).expect("write page");
        let dom = browse(
            &["--dump-dom", "--virtual-time-budget=15000"],
            &format!("{base}/{how}.html"),
        );
        counts_come_when_wanted(&page_output(&dom), how);
    }
}

/// What the filters page noted: no facet file and no council counts with the results, the
/// three files and the counts once the reader turned (`how`) to the filters.
fn counts_come_when_wanted(seen: &serde_json::Value, how: &str) {
    let list = |i: usize, name: &str| strings(&seen[i][name]);
    let counted = |options: &[String]| options.iter().skip(1).all(|o| o.ends_with(')'));
    assert_eq!(seen[0]["results"], 5, "{seen}");
    assert!(
        list(0, "facets").is_empty(),
        "no facet file for the results: {seen}"
    );
    assert!(
        list(0, "council").contains(&"Kent County Council".to_string()),
        "names without counts until the filters are wanted: {seen}"
    );
    assert!(
        counted(&list(0, "year")),
        "years are counted from the index's year ranges, no file needed: {seen}"
    );
    assert_eq!(
        list(1, "facets"),
        [
            "/search/index/facets/category.bin",
            "/search/index/facets/council.bin",
            "/search/index/facets/outcome.bin"
        ],
        "{how}: {seen}"
    );
    assert!(
        list(1, "council").contains(&"Kent County Council (1)".to_string())
            && counted(&list(1, "council")),
        "the results counted by council: {seen}"
    );
}
