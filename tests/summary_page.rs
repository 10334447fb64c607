//! What a decision page says in plain English, read back from the built page: every kind
//! of decision (`tests/fixtures/kinds/`, both layouts) and the five real seeds are
//! imported and built by the real binary, and no sentence of the page's plain-English
//! summary (headline and parts together) may repeat, even with case and punctuation set
//! aside. `casebook check` must pass on the same sites, and must report a repeat when an
//! editor's summary has one.

mod common;

use std::collections::HashMap;

use common::{repo, SiteTest};
use scraper::{ElementRef, Html, Node, Selector};

const LAYOUTS: [&str; 2] = ["numbered", "compact"];

/// A site of every kind's page in `layout`, with the seeds, imported and built.
fn kinds_site(layout: &str) -> SiteTest {
    let t = SiteTest::default_site();
    std::fs::remove_dir_all(t.root.join("content/decisions")).expect("drop the content");
    let raw = t.dir.path().join("raw");
    std::fs::create_dir_all(&raw).expect("raw folder");
    let kinds = repo().join("tests/fixtures/kinds");
    for entry in std::fs::read_dir(&kinds).expect("kinds folder") {
        let dir = entry.expect("entry").path();
        if dir.is_dir() {
            let name = dir
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            std::fs::copy(
                dir.join(format!("{layout}.txt")),
                raw.join(format!("{name}.txt")),
            )
            .expect("copy a kind");
        }
    }
    common::copy(&repo().join("tests/fixtures/seeds"), &raw.join("seeds"));
    let import = t.run(&["import", &raw.to_string_lossy()]);
    assert!(import.success, "{}", import.stderr);
    assert!(import.stdout.contains("failed 0"), "{}", import.stdout);
    let build = t.run(&["build"]);
    assert!(build.success, "{}", build.stderr);
    t
}

/// The text of `el` without its source links (`¶9`, `summary`).
fn text_without_sources(el: ElementRef<'_>) -> String {
    let mut out = String::new();
    for node in el.descendants() {
        let Node::Text(text) = node.value() else {
            continue;
        };
        let in_source = node.ancestors().any(|a| {
            a.value()
                .as_element()
                .is_some_and(|e| e.name() == "a" && e.classes().any(|c| c == "source"))
        });
        if !in_source {
            out.push_str(text);
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The page's plain-English summary: the headline and each part's paragraph.
fn plain_summary(html: &str) -> Vec<String> {
    let page = Html::parse_document(html);
    let select =
        Selector::parse("#plain-summary p.headline, #plain-summary h3 + p").expect("selector");
    page.select(&select).map(text_without_sources).collect()
}

/// The sentences of `text`: a sentence ends at `.`, `!` or `?` before a space and a
/// capital letter (so `£2,400.` ends one and `e.g. the` does not).
fn sentences(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        current.push(c);
        let ends = matches!(c, '.' | '!' | '?')
            && chars.get(i + 1) == Some(&' ')
            && chars.get(i + 2).is_some_and(|n| n.is_uppercase());
        if ends {
            out.push(current.trim().to_string());
            current.clear();
        }
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_string());
    }
    out
}

/// A sentence with case, spaces and punctuation set aside.
fn normalised(sentence: &str) -> String {
    sentence
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Every sentence said more than once on one decision page, with the page.
fn repeats(t: &SiteTest) -> Vec<String> {
    let mut found = Vec::new();
    let mut pages = 0;
    for (path, html) in t.html_files() {
        let inner = path.trim_start_matches("decisions/");
        if !path.starts_with("decisions/") || inner.matches('/').count() != 1 {
            continue;
        }
        let said = plain_summary(&html);
        if said.is_empty() {
            continue;
        }
        pages += 1;
        let mut seen: HashMap<String, String> = HashMap::new();
        for sentence in said.iter().flat_map(|p| sentences(p)) {
            if let Some(before) = seen.insert(normalised(&sentence), sentence.clone()) {
                found.push(format!("{path}: `{sentence}` repeats `{before}`"));
            }
        }
    }
    assert!(
        pages >= 29,
        "only {pages} decision pages read in {}",
        t.root.display()
    );
    found
}

#[test]
fn can_say_each_sentence_once_on_every_kind_and_seed() {
    for layout in LAYOUTS {
        let t = kinds_site(layout);
        let found = repeats(&t);
        assert!(found.is_empty(), "{layout}:\n{}", found.join("\n"));
        let check = t.run(&["check"]);
        assert!(
            !check.stderr.contains("said twice"),
            "{layout}: {}",
            check.stderr
        );
    }
}

#[test]
fn can_split_and_compare_sentences_like_a_reader() {
    assert_eq!(
        sentences("The council was at fault. It will pay her £2,400. See e.g. the text."),
        vec![
            "The council was at fault.",
            "It will pay her £2,400.",
            "See e.g. the text."
        ]
    );
    assert_eq!(
        normalised("The council was at fault ."),
        normalised("the Council was at fault.")
    );
}

/// A site holding one decision whose editor's summary says a sentence twice.
fn site_with_editors_repeat() -> SiteTest {
    let t = SiteTest::default_site();
    t.edit(
        "content/decisions/undated/23-009-433.md",
        "+++\n",
        "+++\nplain_summary = \"The council was at fault. It apologised. The Council was at fault .\"\n",
    );
    t
}

#[test]
fn can_report_a_repeated_sentence_in_an_editors_summary() {
    let t = site_with_editors_repeat();
    let check = t.run(&["check"]);
    assert!(
        check.stderr.contains("23-009-433.md")
            && check
                .stderr
                .contains("`The Council was at fault .` is said twice"),
        "{}",
        check.stderr
    );
}
