proptest::proptest! {
    /// The line-by-line reading gives what the pattern `(?m)^([0-9]+)\. ` gives.
    #[test]
    fn finds_the_highest_paragraph_number_as_the_pattern_does(body in "[0-9. a\n\r]{0,80}") {
        let pattern = regex::Regex::new(r"(?m)^([0-9]+)\. ").expect("pattern");
        let want = pattern
            .captures_iter(&body)
            .filter_map(|c| c.get(1)?.as_str().parse::<u64>().ok())
            .max()
            .unwrap_or(0);
        proptest::prop_assert_eq!(super::max_paragraph(&body), want);
    }
}

use super::*;
use crate::site::glossary::Entry;

fn glossary() -> Glossary {
    Glossary::new(vec![Entry {
        term: "LADO".into(),
        meaning: "Local Authority Designated Officer".into(),
        also: Vec::new(),
        match_case: None,
        abbreviates: None,
    }])
}

#[test]
fn can_anchor_paragraphs_from_the_lists_start_number() {
    let body = "## A\n\n1. One\n2. Two\n   - bullet\n   1. nested\n\n## B\n\n3. Three\n";
    let html = render_decision_body(body, &Glossary::default()).html;
    for id in ["p1", "p2", "p3"] {
        assert!(
            html.contains(&format!("<li id=\"{id}\">")),
            "{id} in {html}"
        );
    }
    assert_eq!(html.matches("<li id=").count(), 3, "{html}");
    assert!(html.contains("<h3>A</h3>"), "{html}");
}

#[test]
fn reads_before_a_reference_without_cutting_a_character() {
    // Found by fuzzing: 40 bytes before "paragraph 2" fell inside a curly quote.
    let body = format!("1. a\n2. b\n3. {}paragraph 2.\n", "\u{2019}".repeat(20));
    let html = render_decision_body(&body, &Glossary::default()).html;
    assert!(html.contains("<a href=\"#p2\">2</a>"), "{html}");
}

#[test]
fn can_link_paragraph_references() {
    let body = "1. a\n2. b\n3. c\n4. d\n5. e\n6. See paragraphs 2 and 5, paragraph 3 and paragraphs 4 to 6.\n";
    let html = render_decision_body(body, &Glossary::default()).html;
    for n in 2..=6 {
        assert!(
            html.contains(&format!("<a href=\"#p{n}\">{n}</a>")),
            "{n}: {html}"
        );
    }
    assert!(!html.contains("#p4\">4</a> to <a href=\"#p5"), "{html}");
}

#[test]
fn can_link_each_paragraph_number_to_its_own_anchor() {
    let html = render_decision_body("1. a\n2. b\n", &Glossary::default()).html;
    assert!(
        html.contains("<li id=\"p2\"><a class=\"para-num\" href=\"#p2\"><span class=\"visually-hidden\">Paragraph </span>2.</a> b"),
        "{html}"
    );
}

#[test]
fn can_leave_legislation_references_alone() {
    let body = "1. a\n2. (Local Government Act 1974, Schedule 5/5A, paragraph 1/3, as amended) and paragraph 9.\n";
    let html = render_decision_body(body, &Glossary::default()).html;
    assert!(!html.contains("<a href=\"#p1\""), "{html}");
    assert!(
        !html.contains("<a href=\"#p9\""),
        "past the last paragraph: {html}"
    );
}

#[test]
fn can_explain_the_first_use_of_a_term() {
    let body = "1. The LADO said the LADO would act.\n";
    let r = render_decision_body(body, &glossary());
    assert_eq!(r.terms, vec![0]);
    assert_eq!(r.html.matches("class=\"term\"").count(), 1, "{}", r.html);
    assert!(
        r.html.contains("aria-describedby=\"term-lado-meaning\""),
        "{}",
        r.html
    );
}

#[test]
fn can_show_raw_html_as_text() {
    let body = "1. Hello <script>alert(1)</script> [x](javascript:alert(2))\n\n<div onclick=\"x\">block</div>\n";
    let html = render_decision_body(body, &Glossary::default()).html;
    assert!(!html.contains("<script"), "{html}");
    assert!(html.contains("&lt;script&gt;"), "{html}");
    assert!(!html.contains("<div"), "{html}");
    assert!(!html.contains("javascript:"), "{html}");
    let page = render_page("<img src=x onerror=alert(1)>\n");
    assert!(!page.contains("<img"), "{page}");
}

#[test]
fn can_show_an_image_with_a_script_url_as_its_description() {
    for md in [
        "![the plan](javascript:alert(1))\n",
        "![the plan](data:image/svg+xml;base64,PHN2Zz4=)\n",
    ] {
        let page = render_page(md);
        assert!(!page.contains("<img"), "{page}");
        assert!(page.contains("the plan"), "{page}");
    }
    let kept = render_page("![the plan](https://example.org/plan.png)\n");
    assert!(
        kept.contains("<img src=\"https://example.org/plan.png\" alt=\"the plan\""),
        "{kept}"
    );
}

#[test]
fn can_highlight_fenced_code_in_pages_only() {
    let md = "```json\n{\"a\": 1}\n```\n";
    assert!(render_page(md).contains("hl-"));
    assert!(!render_decision_body(md, &Glossary::default())
        .html
        .contains("hl-"));
}
