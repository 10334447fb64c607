//! `casebook build` end to end: the real binary on fixture sites and on the default site.

mod common;

use common::{links, SiteTest};

#[test]
fn can_build_the_default_site() {
    let t = SiteTest::default_site();
    let run = t.run(&["build"]);
    assert!(run.success, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("built "),
        "one-line summary: {}",
        run.stdout
    );
    assert!(run.stdout.contains("from 5 decisions"), "{}", run.stdout);
    for path in [
        "index.html",
        "404.html",
        "robots.txt",
        "sitemap.xml",
        "atom.xml",
        "decisions/index.html",
        "decisions/18-014-059/index.html",
        "councils/index.html",
        "councils/northamptonshire-county-council/index.html",
        "councils/northamptonshire-county-council/atom.xml",
        "categories/index.html",
        "categories/children-s-care-services/index.html",
        "categories/children-s-care-services/atom.xml",
        "categories/children-s-care-services/other/index.html",
        "outcomes/upheld/index.html",
        "years/2019/index.html",
        "about/index.html",
        "using-the-data/index.html",
        "data/decisions.json",
        "data/decisions.csv",
        "static/style.css",
        "static/highlight.css",
    ] {
        assert!(t.public().join(path).is_file(), "{path} missing");
    }
    let page = t.read("decisions/18-014-059/index.html");
    assert!(page.contains("<li id=\"p27\">"), "paragraph anchor");
    assert!(
        page.contains("paragraphs <a href=\"#p27\">27</a> and <a href=\"#p30\">30</a>"),
        "linked references"
    );
    assert!(page.contains("id=\"plain-summary\""));
    assert!(page.contains("Local Government and Social Care Ombudsman"));
    assert!(page.contains(
        "href=\"https://www.lgo.org.uk/decisions/children-s-care-services/other/18-014-059\""
    ));
    assert!(page.contains("class=\"term\""), "glossary terms explained");
    let using = t.read("using-the-data/index.html");
    assert!(using.contains("class=\"hl-"), "highlighted code");
    assert_eq!(
        t.root_entries(),
        ["config.toml", "content", "public", "themes"]
    );
}

#[test]
fn can_export_every_decision_with_its_plain_summary() {
    let t = SiteTest::default_site();
    assert!(t.run(&["build"]).success);
    let json: serde_json::Value =
        serde_json::from_str(&t.read("data/decisions.json")).expect("valid json");
    let records = json.as_array().expect("array");
    assert_eq!(records.len(), 5);
    for r in records {
        assert!(r["plain_summary"].is_string(), "{r}");
        assert!(r["reference"].is_string(), "{r}");
        assert!(r.get("remedies").is_some(), "{r}");
    }
    let csv = t.read("data/decisions.csv");
    assert_eq!(
        csv.lines()
            .next()
            .map(|l| l.starts_with("reference,url,council")),
        Some(true)
    );
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(reader.records().count(), 5);
}

#[test]
fn can_escape_markup_from_content_everywhere() {
    let t = SiteTest::fixture("sites", "basic");
    let run = t.run(&["build"]);
    assert!(run.success, "{}", run.stderr);
    for (path, html) in t.html_files() {
        // The only scripts are the theme's own search scripts, loaded from its static
        // folder: each tag a `src` and nothing inside.
        let theirs = [
            "porter2.js",
            "search-core.js",
            "search-index.js",
            "search.js",
        ];
        for (i, _) in html.match_indices("<script") {
            let tag = &html[i..html[i..].find("</script>").map_or(html.len(), |e| i + e)];
            let src = tag
                .strip_prefix("<script src=\"")
                .and_then(|rest| rest.split('"').next())
                .unwrap_or_default();
            let name = src.rsplit('/').next().unwrap_or_default();
            assert!(
                src.contains("/static/") && theirs.contains(&name) && tag.ends_with("defer>"),
                "{path} runs a script: {tag}"
            );
        }
        assert!(!html.contains("<img src=x"), "{path} has raw markup");
        assert!(
            !html.contains("\" onmouseover=\""),
            "{path}: attribute injection"
        );
    }
    let page = t.read("decisions/22-000-001/index.html");
    assert!(
        page.contains("&lt;script&gt;alert(&quot;council&quot;)&lt;/script&gt; Borough Council")
    );
    assert!(page.contains("&lt;script&gt;alert(&quot;body&quot;)&lt;/script&gt;"));
    let about = t.read("about/index.html");
    assert!(about.contains("&lt;b&gt;raw HTML&lt;/b&gt;"), "{about}");
    let feed = t.read("atom.xml");
    assert!(!feed.contains("<script"), "{feed}");
}

#[test]
fn can_mark_inferred_values_and_use_the_sites_glossary_and_templates() {
    let t = SiteTest::fixture("sites", "basic");
    assert!(t.run(&["build"]).success);
    let page = t.read("decisions/22-000-001/index.html");
    assert!(page.contains("(inferred)"), "inferred outcome marked");
    assert!(
        page.contains("Site-specific explanation of LADO."),
        "site glossary wins"
    );
    assert!(page.contains("£300"), "remedy amount");
    assert!(
        t.read("404.html").contains("Site's own 404"),
        "site template overrides theme"
    );
    // paginate_by = 1: two decisions make two pages.
    assert!(t.public().join("decisions/page/2/index.html").is_file());
    let listing = t.read("decisions/index.html");
    assert!(!listing.contains("id=\"p1\""), "listings carry no bodies");
}

/// Whether `link`, relative to the built file `page`, names a file that exists in `public`
/// (what a browser opening the file from disk would load).
fn resolves_on_disk(public: &std::path::Path, page: &str, link: &str) -> bool {
    let path = link.split(['#', '?']).next().unwrap_or("");
    if path.is_empty() {
        return true;
    }
    let dir = std::path::Path::new(page)
        .parent()
        .unwrap_or(std::path::Path::new(""));
    let mut target = public.join(dir);
    for segment in path.split('/') {
        match segment {
            "." | "" => {}
            ".." => {
                if !target.pop() || !target.starts_with(public) {
                    return false;
                }
            }
            s => target.push(s),
        }
    }
    target.is_file()
}

fn assert_relative_links_resolve(t: &SiteTest, base: &str) {
    let public = t.public();
    for (path, html) in t.html_files() {
        if path == "404.html" {
            continue;
        }
        for link in links(&html) {
            if link.starts_with('#') || link.starts_with("https://www.lgo.org.uk/") {
                continue;
            }
            if link.starts_with(base) {
                // Only the canonical link, built from base_url, is absolute.
                let canonical = format!("<link rel=\"canonical\" href=\"{link}\">");
                assert!(html.contains(&canonical), "{path}: {link} is absolute");
                continue;
            }
            assert!(
                !link.contains("://") && !link.starts_with('/'),
                "{path}: {link} is not relative"
            );
            assert!(
                resolves_on_disk(&public, &path, &link),
                "{path}: {link} names no file on disk"
            );
        }
    }
}

#[test]
fn can_link_every_page_relatively_so_the_site_opens_from_disk() {
    let t = SiteTest::fixture("sites", "basic");
    let run = t.run(&["build"]);
    assert!(run.success, "{}", run.stderr);
    assert_relative_links_resolve(&t, "https://example.org/");
    let home = t.read("index.html");
    assert!(home.contains("href=\"static/style.css\""), "{home}");
    assert!(home.contains("action=\"search/index.html\""), "{home}");
    let decision = t.read("decisions/22-000-001/index.html");
    assert!(decision.contains("href=\"../../static/style.css\""));
    assert!(decision.contains("href=\"../../index.html\""));
    let search = t.read("search/index.html");
    assert!(
        search.contains("data-index=\"../search/index/\""),
        "{search}"
    );
    assert!(search.contains("data-root=\"../\""), "{search}");
}

#[test]
fn can_keep_full_urls_where_standards_need_them_under_a_sub_path() {
    let t = SiteTest::fixture("sites", "basic");
    let base = "https://user.github.io/digest/";
    let run = t.run(&["build", "--base-url", base]);
    assert!(run.success, "{}", run.stderr);
    assert!(
        !run.stderr.contains("base_url"),
        "no warning: {}",
        run.stderr
    );
    assert_relative_links_resolve(&t, base);
    let decision = t.read("decisions/22-000-001/index.html");
    assert!(decision.contains(
        "<link rel=\"canonical\" href=\"https://user.github.io/digest/decisions/22-000-001/\">"
    ));
    assert!(decision.contains(
        "<meta property=\"og:url\" content=\"https://user.github.io/digest/decisions/22-000-001/\">"
    ));
    assert!(t
        .read("robots.txt")
        .contains("Sitemap: https://user.github.io/digest/sitemap.xml"));
    assert!(t
        .read("sitemap.xml")
        .contains("<loc>https://user.github.io/digest/decisions/22-000-001/</loc>"));
    assert!(t
        .read("atom.xml")
        .contains("href=\"https://user.github.io/digest/decisions/22-000-001/\""));
    assert!(t
        .read("data/decisions.csv")
        .contains("https://user.github.io/digest/decisions/22-000-001/"));
    // The 404 page is served at any depth: it links from the base path.
    let not_found = t.read("404.html");
    for link in links(&not_found) {
        assert!(
            link.starts_with("/digest/") || link.starts_with('#') || link.starts_with("https://"),
            "404.html: {link}"
        );
    }
}

#[test]
fn warns_when_base_url_does_not_say_where_the_site_is_published() {
    let t = SiteTest::fixture("sites", "basic");
    let config = t.root.join("config.toml");
    let text = std::fs::read_to_string(&config).expect("config");
    let text = text.replace("base_url = \"https://example.org/\"", "base_url = \"/\"");
    std::fs::write(&config, &text).expect("write config");
    let run = t.run(&["build"]);
    assert!(run.success, "{}", run.stderr);
    assert!(run.stderr.contains("warning"), "{}", run.stderr);
    assert!(
        run.stderr.contains("config.toml:3:1") && run.stderr.contains("`base_url`"),
        "names the key's place: {}",
        run.stderr
    );
    // The links between pages work anyway; feeds hold root paths.
    assert_relative_links_resolve(&t, "/");
    assert!(t.read("robots.txt").contains("Sitemap: /sitemap.xml"));
    let check = t.run(&["check"]);
    assert!(check.success, "a warning is not an error: {}", check.stderr);
    assert!(check.stderr.contains("`base_url`"), "{}", check.stderr);
    assert!(
        check.stdout.contains("1 warnings") || check.stdout.contains("1 warning"),
        "{}",
        check.stdout
    );
}

#[test]
fn can_write_to_another_output_folder() {
    let t = SiteTest::fixture("sites", "basic");
    let out = t.dir.path().join("elsewhere");
    let run = t.run(&["build", "--output", out.to_str().expect("utf-8 path")]);
    assert!(run.success, "{}", run.stderr);
    assert!(out.join("index.html").is_file());
    assert!(!t.public().exists());
}

#[test]
fn errors_on_an_output_folder_that_holds_the_site() {
    let t = SiteTest::fixture("sites", "basic");
    let run = t.run(&["build", "--output", t.root.to_str().expect("utf-8 path")]);
    assert!(!run.success);
    assert!(
        run.stderr.contains("holds the site's own files"),
        "{}",
        run.stderr
    );
    assert!(t.root.join("content").is_dir(), "the site is still there");
}

/// Every folder in tests/fixtures/invalid/ fails with every line of its
/// `expected_stderr.txt` in stderr, leaves the previous public/ untouched and leaves no
/// staging folder behind.
#[test]
fn errors_on_every_invalid_fixture_with_file_line_and_column() {
    let dir = common::repo().join("tests/fixtures/invalid");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .expect("invalid fixtures")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    assert!(cases.len() >= 8, "{cases:?}");
    for case in cases {
        let t = SiteTest::fixture("invalid", &case);
        let expected = std::fs::read_to_string(t.root.join("expected_stderr.txt"))
            .unwrap_or_else(|e| panic!("{case}: expected_stderr.txt: {e}"));
        std::fs::create_dir_all(t.public()).expect("mkdir");
        std::fs::write(t.public().join("old.html"), "previous build").expect("write");
        let run = t.run(&["build"]);
        assert!(!run.success, "{case} should fail");
        for line in expected.lines().filter(|l| !l.trim().is_empty()) {
            assert!(
                run.stderr.contains(line),
                "{case}: `{line}` not in stderr:\n{}",
                run.stderr
            );
        }
        assert_eq!(
            t.read("old.html"),
            "previous build",
            "{case}: public/ changed"
        );
        let leftovers: Vec<String> = t
            .root_entries()
            .into_iter()
            .filter(|n| n.contains("staging"))
            .collect();
        assert!(leftovers.is_empty(), "{case}: left {leftovers:?}");
    }
}

/// `casebook build` frees what no step after the pages reads (the cards, each decision's
/// remedies, provenance and source address) before it makes the search index; `serve`
/// keeps them. Both must write the same files, the search index among them.
#[test]
fn builds_the_same_files_whether_or_not_it_keeps_the_site_model() {
    use casebook::config::{Overrides, Settings};
    use casebook::output::MemorySink;
    let t = SiteTest::default_site();
    // One decision with every field the published build drops.
    t.edit(
        "content/decisions/2019/18-014-059.md",
        "inferred = []\n",
        "inferred = [\"subcategory\"]\nplain_summary = \"The council was at fault.\"\nincomplete = \"the page ends early\"\n",
    );
    let settings = Settings::load(&t.root, &Overrides::default()).expect("config");
    let build = |stages: casebook::Stages<'_>| {
        let sink = MemorySink::new();
        let built = casebook::build_keeping_state(&settings, &sink, stages).expect("builds");
        (sink.into_map(), built.site)
    };
    let (published, shed) = build(casebook::Stages::Publish);
    let (kept, site) = build(casebook::Stages::Whole);
    assert!(published
        .keys()
        .any(|p| p.starts_with("search/index/terms/")));
    assert_eq!(
        published.keys().collect::<Vec<_>>(),
        kept.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &published {
        assert!(kept[path] == *bytes, "{path} differs");
    }
    // What the published build's model no longer holds, every decision's; the site
    // kept for `serve` still has it.
    let details = |d: &casebook::decision::Decision| {
        [
            !d.remedies.is_empty(),
            d.provenance.is_some(),
            d.source_url.is_some(),
            d.plain_summary.is_some(),
            !d.inferred.is_empty(),
            d.incomplete.is_some(),
        ]
    };
    let edited = |site: &casebook::site::Site| {
        site.decisions
            .iter()
            .find(|d| d.reference.as_str() == "18 014 059")
            .map(details)
    };
    assert_eq!(edited(&site), Some([true; 6]));
    assert_eq!(edited(&shed), Some([false; 6]));
    assert!(shed.decisions.iter().all(|d| details(d) == [false; 6]));
    assert_eq!(shed.decisions.len(), site.decisions.len());
    assert!(shed.decisions.iter().zip(&site.decisions).all(|(a, b)| {
        (&a.reference, &a.council, &a.summary, a.decision_date)
            == (&b.reference, &b.council, &b.summary, b.decision_date)
    }));
}
