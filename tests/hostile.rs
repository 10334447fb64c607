//! Hostile content: XSS payloads of every kind in the OWASP filter-evasion cheat sheet
//! (script tags, event handlers, `javascript:` and `data:` URLs, SVG, broken-up tags,
//! entities, attribute breakouts, mutation tricks) put through every field that reaches a
//! page, a feed, the sitemap, the search index or the open data: council, category,
//! subcategory, summary, plain summary, remedy text, body, glossary term and meaning, page
//! title and text, the config's title and description.
//!
//! The same site is also built with harmless words in place of the payloads; the hostile
//! build must add no element or attribute the harmless one lacks (a payload that broke out
//! would), every HTML page must parse without an error in html5ever, the feeds and sitemap
//! must parse as XML, the data files as JSON and CSV with every payload kept word for word,
//! no link may carry a script scheme, and in Chromium no payload may run: each one's script
//! is `document.documentElement.dataset.xss=1`, which would mark the page.

#[path = "support/chromium.rs"]
mod chromium;
mod common;
#[path = "support/static_server.rs"]
mod static_server;

use std::collections::BTreeSet;
use std::path::Path;

use common::SiteTest;

/// What a payload runs when it breaks out.
const JS: &str = "document.documentElement.dataset.xss=1";

/// The payloads; `{JS}` stands for [`JS`].
const PAYLOADS: &[&str] = &[
    "<script>{JS}</script>",
    "<SCRIPT SRC=//xss.invalid/x.js></SCRIPT>",
    "<img src=x onerror={JS}>",
    "<img src=\"x\" onerror=\"{JS}\">",
    "<IMG SRC=javascript:{JS}>",
    "<svg onload={JS}>",
    "<svg><script>{JS}</script></svg>",
    "<body onload={JS}>",
    "<iframe src=\"javascript:{JS}\"></iframe>",
    "<a href=\"javascript:{JS}\">click</a>",
    "[click](javascript:{JS})",
    "[click](JaVaScRiPt:{JS})",
    "[click](&#106;avascript:{JS})",
    "[click](java&#x09;script:{JS})",
    "<javascript:{JS}>",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:{JS})",
    "[click](vbscript:msgbox(1))",
    "\"><script>{JS}</script>",
    "' onmouseover={JS} x='",
    "\" onfocus=\"{JS}\" autofocus=\"",
    "</title><script>{JS}</script>",
    "</textarea><script>{JS}</script>",
    "</script><script>{JS}</script>",
    "<scr<script>ipt>{JS}</scr</script>ipt>",
    "&lt;script&gt;{JS}&lt;/script&gt;",
    "&#60;script&#62;{JS}&#60;/script&#62;",
    "<<SCRIPT>{JS};//<</SCRIPT>",
    "<IMG \"\"\"><SCRIPT>{JS}</SCRIPT>\">",
    "<details open ontoggle={JS}>",
    "<math><mtext><table><mglyph><style><img src=x onerror={JS}>",
    "]]><script>{JS}</script><![CDATA[",
    "<!--<script>{JS}</script>-->",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:{JS}\">",
    "<style>@import'javascript:{JS}';</style>",
    "<input autofocus onfocus={JS}>",
    "<base href=\"javascript:/\">",
    "{{ config }}{% raw %}",
    "line\u{2028}separator\u{2029}<script>{JS}</script>",
    "=cmd|' /C calc'!A0",
];

fn payload(i: usize) -> String {
    PAYLOADS[i].replace("{JS}", JS)
}

/// A TOML string holding `s`.
fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Writes the site: one decision per payload, with the payload in every text field, and a
/// glossary, a page and a config holding them all. `word(i)` gives the text of payload `i`.
fn write_site(root: &Path, word: &dyn Fn(usize) -> String) {
    let all: String = (0..PAYLOADS.len()).map(word).collect::<Vec<_>>().join(" ");
    std::fs::write(
        root.join("config.toml"),
        format!(
            "title = {}\ndescription = {}\nbase_url = \"/\"\n",
            toml_str(&format!("Digest {all}")),
            toml_str(&format!("About {all}"))
        ),
    )
    .expect("config");
    let decisions = root.join("content/decisions/2021");
    std::fs::create_dir_all(&decisions).expect("mkdir");
    for i in 0..PAYLOADS.len() {
        let w = word(i);
        let text = format!(
            r#"+++
reference = "21 000 {i:03}"
council = {council}
category = {category}
subcategory = {subcategory}
outcome = "Upheld"
decision_date = 2021-03-01
inferred = []
summary = {summary}
plain_summary = {plain}
source_url = {source}

[findings]
fault = true
fault_paragraph = 2
injustice = true

[[remedies]]
kind = "payment"
text = {remedy}
amount = 300
to = {to}
deadline = "within one month"
paragraph = 2
+++

## The complaint

1. Mr X complains about the council. {w} Hostileterm{i} was told.

## What I found

2. The Council was at fault. {w}

### {w}

3. [A link]({w}) and <{w}>.
"#,
            council = toml_str(&format!("{w} Council {i}")),
            category = toml_str(&format!("{w} Category")),
            subcategory = toml_str(&format!("{w} Subcategory")),
            summary = toml_str(&format!("Summary {w}")),
            plain = toml_str(&format!("Plain {w}")),
            source = toml_str(&w),
            remedy = toml_str(&format!("pay {w} £300")),
            to = toml_str(&w),
        );
        std::fs::write(decisions.join(format!("21-000-{i:03}.md")), text).expect("decision");
    }
    let glossary: String = (0..PAYLOADS.len())
        .map(|i| {
            format!(
                "[[terms]]\nterm = {}\nmeaning = {}\nalso = [{}]\n\n",
                toml_str(&format!("Hostileterm{i}")),
                toml_str(&format!("Meaning {}", word(i))),
                toml_str(&word(i)),
            )
        })
        .collect();
    std::fs::write(root.join("content/glossary.toml"), glossary).expect("glossary");
    let pages = root.join("content/pages");
    std::fs::create_dir_all(&pages).expect("mkdir");
    std::fs::write(
        pages.join("hostile.md"),
        format!(
            "+++\ntitle = {}\ndescription = {}\n+++\n\n{all}\n\n## {all}\n",
            toml_str(&format!("Page {all}")),
            toml_str(&format!("Description {all}")),
        ),
    )
    .expect("page");
}

/// A site built from `word`, with the repository's theme.
fn built(word: &dyn Fn(usize) -> String) -> SiteTest {
    let t = SiteTest::fixture("sites", "basic");
    let _ = std::fs::remove_dir_all(t.root.join("content"));
    let _ = std::fs::remove_dir_all(t.root.join("templates"));
    write_site(&t.root, word);
    let run = t.run(&["build"]);
    assert!(run.success, "build failed: {}", run.stderr);
    t
}

/// Every file of the built site with a name ending in `ext`, as (path, text).
fn files(t: &SiteTest, ext: &str) -> Vec<(String, String)> {
    let public = t.public();
    walkdir::WalkDir::new(&public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name().to_string_lossy().ends_with(ext))
        .map(|e| {
            let rel = e.path().strip_prefix(&public).expect("inside");
            (
                rel.display().to_string(),
                std::fs::read_to_string(e.path()).expect("read"),
            )
        })
        .collect()
}

/// Every (element, attribute) pair in `html`, with `-` for an element itself.
fn shapes(html: &scraper::Html) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for node in html.tree.nodes() {
        if let Some(el) = node.value().as_element() {
            out.insert((el.name().to_string(), "-".to_string()));
            for (name, _) in el.attrs() {
                out.insert((el.name().to_string(), name.to_string()));
            }
        }
    }
    out
}

/// The scheme-like start of a URL, as a browser reads it: no spaces or controls, lower case.
fn scheme_of(url: &str) -> String {
    url.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(12)
        .collect::<String>()
        .to_ascii_lowercase()
}

fn harmless(i: usize) -> String {
    format!("harmless{i}")
}

#[test]
fn hostile_content_stays_text_in_every_page_and_file() {
    let hostile = built(&payload);
    let plain = built(&harmless);
    let allowed: BTreeSet<(String, String)> = files(&plain, ".html")
        .iter()
        .flat_map(|(_, text)| shapes(&scraper::Html::parse_document(text)))
        .collect();
    let pages = files(&hostile, ".html");
    assert!(pages.len() > PAYLOADS.len(), "every decision has a page");
    for i in 0..PAYLOADS.len() {
        let page = hostile.read(&format!("decisions/21-000-{i:03}/index.html"));
        let text: String = scraper::Html::parse_document(&page)
            .root_element()
            .text()
            .collect();
        let council = format!("{} Council {i}", payload(i));
        assert!(
            text.contains(&council),
            "decision {i} shows its council as text: {council}"
        );
    }
    for (path, text) in &pages {
        let html = scraper::Html::parse_document(text);
        assert!(
            html.errors.is_empty(),
            "{path}: html5ever found {:?}",
            html.errors
        );
        let new: Vec<_> = shapes(&html).difference(&allowed).cloned().collect();
        assert!(new.is_empty(), "{path}: content made new markup {new:?}");
        for node in html.tree.nodes() {
            let Some(el) = node.value().as_element() else {
                continue;
            };
            for (name, value) in el.attrs() {
                let scheme = scheme_of(value);
                if ["href", "src", "action", "formaction", "content"].contains(&name) {
                    for bad in ["javascript:", "data:", "vbscript:"] {
                        assert!(
                            !scheme.starts_with(bad),
                            "{path}: <{}> {name}={value:?}",
                            el.name()
                        );
                    }
                }
            }
        }
        for script in html.select(&scraper::Selector::parse("script").expect("selector")) {
            let code: String = script.text().collect();
            assert!(
                !code.contains("xss"),
                "{path}: a payload reached a script: {code}"
            );
        }
    }
}

#[test]
fn hostile_content_keeps_feeds_sitemap_and_data_well_formed_and_word_for_word() {
    let t = built(&payload);
    let xml = files(&t, ".xml");
    assert!(xml.iter().any(|(p, _)| p == "sitemap.xml"), "a sitemap");
    assert!(xml.iter().any(|(p, _)| p == "atom.xml"), "a feed");
    for (path, text) in &xml {
        let mut reader = quick_xml::Reader::from_str(text);
        let mut depth = 0i64;
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(quick_xml::events::Event::Start(_)) => depth += 1,
                Ok(quick_xml::events::Event::End(_)) => depth -= 1,
                Ok(_) => {}
                Err(e) => panic!(
                    "{path}: not well-formed XML at {}: {e}",
                    reader.error_position()
                ),
            }
        }
        assert_eq!(depth, 0, "{path}: every element closed");
    }
    // The site's feed carries the decisions' hostile summaries as escaped text.
    let feed = &xml.iter().find(|(p, _)| p == "atom.xml").expect("feed").1;
    assert!(!feed.contains("<script>"), "no raw markup in the feed");

    let json: serde_json::Value =
        serde_json::from_str(&t.read("data/decisions.json")).expect("decisions.json parses");
    let rows = json
        .as_array()
        .or_else(|| json.get("decisions").and_then(serde_json::Value::as_array))
        .expect("a list of decisions");
    assert_eq!(rows.len(), PAYLOADS.len());
    let councils: BTreeSet<String> = rows
        .iter()
        .filter_map(|r| r.get("council").and_then(serde_json::Value::as_str))
        .map(str::to_string)
        .collect();
    let expected: BTreeSet<String> = (0..PAYLOADS.len())
        .map(|i| format!("{} Council {i}", payload(i)))
        .collect();
    assert_eq!(
        councils, expected,
        "the JSON keeps every council word for word"
    );

    let csv_text = t.read("data/decisions.csv");
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header = reader.headers().expect("header").clone();
    let council_at = header
        .iter()
        .position(|h| h == "council")
        .expect("council column");
    let mut csv_councils = BTreeSet::new();
    for record in reader.records() {
        let record = record.expect("a well-formed CSV record");
        assert_eq!(record.len(), header.len(), "every row has every column");
        csv_councils.insert(record[council_at].to_string());
    }
    assert_eq!(
        csv_councils, expected,
        "the CSV keeps every council word for word"
    );
}

/// Opens `url` in headless Chromium and returns the DOM after its scripts ran.
fn dump_dom(url: &str) -> String {
    chromium::run(&["--dump-dom", "--virtual-time-budget=3000"], url)
}

#[test]
fn hostile_content_runs_no_script_in_chromium() {
    let t = built(&payload);
    // The control: the same payload written straight into a page does mark it, so a page
    // left unmarked below really ran none.
    std::fs::write(
        t.public().join("control.html"),
        format!("<!doctype html><html><body>{}</body></html>", payload(2)),
    )
    .expect("control page");
    let base = static_server::serve(t.public());
    let control = dump_dom(&format!("{base}/control.html"));
    assert_eq!(
        scraper::Html::parse_document(&control)
            .root_element()
            .value()
            .attr("data-xss"),
        Some("1"),
        "the control page's payload ran and marked it: {control}"
    );
    let home = dump_dom(&format!("{base}/"));
    let mut urls = vec![
        format!("{base}/"),
        format!("{base}/decisions/"),
        format!("{base}/councils/"),
        format!("{base}/categories/"),
        format!("{base}/hostile/"),
        format!("{base}/search/?q=council"),
        format!("{base}/no-such-page/"),
    ];
    // A few decision pages and a council page, reached from the home page's own links.
    let html = scraper::Html::parse_document(&home);
    let links: Vec<String> = html
        .select(&scraper::Selector::parse("a[href]").expect("selector"))
        .filter_map(|a| a.value().attr("href"))
        // Links are relative to the page (the home page is at the site root).
        .map(|h| h.trim_start_matches("./").trim_start_matches('/'))
        .filter(|h| h.starts_with("decisions/21-") || h.starts_with("councils/"))
        .map(|h| format!("{base}/{h}"))
        .collect();
    assert!(
        links.len() >= 6,
        "the home page links decisions and councils: {links:?}"
    );
    urls.extend(links.into_iter().take(6));
    for url in &urls {
        let dom = dump_dom(url);
        assert!(dom.contains("</html>"), "{url}: chromium showed the page");
        let page = scraper::Html::parse_document(&dom);
        let root = page.root_element();
        assert_eq!(root.value().attr("data-xss"), None, "{url}: a payload ran");
    }
}
