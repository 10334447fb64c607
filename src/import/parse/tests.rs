use super::*;

use proptest::strategy::Strategy;

proptest::proptest! {
    /// The checks before the regex never turn away a line the regex reads.
    #[test]
    fn reads_a_header_as_the_regex_alone_does(
        line in proptest::prop_oneof![
            "[ (a-cA-C0-9)\u{a0}\u{663}]{0,30}",
            ("[ a-cA-C()]{0,8}", "[ 0-9\u{663}\u{a0}aB]{0,14}", "[ )\u{a0}]{0,2}")
                .prop_map(|(p, i, s)| format!("{p}({i}){s}")),
        ]
    ) {
        let alone = HEADER
            .captures(&line)
            .and_then(|c| Some((c.get(1)?.as_str(), c.get(2)?.as_str())));
        proptest::prop_assert_eq!(header_of(&line), alone);
    }
}

#[test]
fn reads_a_header_and_nothing_like_one() {
    for (line, name, reference) in [
        (
            "Kent County Council (24 005 444)",
            "Kent County Council",
            "24 005 444",
        ),
        (
            "  London Borough of Hackney ( 16 000 000 ) ",
            "London Borough of Hackney",
            "16 000 000 ",
        ),
        (
            "Care Home (Part 2) Ltd (21019020a)",
            "Care Home (Part 2) Ltd",
            "21019020a",
        ),
        (
            "Kent County Council (24 005 444 B)",
            "Kent County Council",
            "24 005 444 B",
        ),
    ] {
        assert_eq!(header_of(line), Some((name, reference)), "{line}");
    }
    for line in [
        "The Council paid Mr X (see paragraph 12)",
        "Kent County Council (24 005 44)",
        "Kent County Council (24 005 4444)",
        "Kent County Council (24 005 444",
        "(24 005 444) Kent County Council",
        "Kent County Council (24 0O5 444)",
    ] {
        assert_eq!(header_of(line), None, "{line}");
    }
}

/// A line's start and text as the whole-line patterns read them before ([`rest`]).
fn whole_line(pattern: &str, line: &str) -> Option<(Vec<Option<String>>, String)> {
    let c = Regex::new(pattern).expect("regex").captures(line)?;
    let groups = c.len();
    let text = c.get(groups - 1).map_or("", |m| m.as_str()).to_string();
    let starts = (1..groups - 1)
        .map(|i| c.get(i).map(|m| m.as_str().to_string()))
        .collect();
    Some((starts, text))
}

fn by_start(start: &Regex, line: &str) -> Option<(Vec<Option<String>>, String)> {
    let c = start.captures(line)?;
    let starts = (1..c.len())
        .map(|i| c.get(i).map(|m| m.as_str().to_string()))
        .collect();
    Some((starts, rest(line, &c).to_string()))
}

proptest::proptest! {
    #[test]
    fn can_read_a_line_by_its_start_as_by_the_whole_line(
        line in "([ \t\u{a0}]{0,5}([0-9]{1,4}\\.|[•●]|-)[ \t\u{2003}]{0,2})?[ \t\u{a0}\u{2003}0-9.•●\\-a-zA-Z\r]{0,12}",
    ) {
        for (old, new) in [
            (r"^(\s*)(\d{1,3})\.\s+(.*)$", &*NUMBERED),
            (r"^(\s*)[•·▪◦●]\s*(.*)$", &*BULLET),
            (r"^ ?-\s+(.*)$", &*DASH),
        ] {
            proptest::prop_assert_eq!(whole_line(old, &line), by_start(new, &line), "{}", old);
        }
    }
}

fn lines(text: &str) -> Vec<Line<'_>> {
    text.lines()
        .enumerate()
        .map(|(i, t)| Line {
            number: i + 1,
            text: t.trim_end(),
        })
        .collect()
}

fn parse(text: &str) -> ParsedPage {
    let ls = lines(text);
    let (i, name, reference) = find_header(&ls).expect("header");
    parse_page(&ls, i, name, reference)
}

fn paragraphs(page: &ParsedPage) -> Vec<&Paragraph> {
    page.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p),
            _ => None,
        })
        .collect()
}

#[test]
fn can_read_the_header_and_metadata() {
    let page = parse(
        "A Council (21 019 020)\n\nCategory : Education > Special educational needs\n\n\
         Decision : Upheld\n\nDecision date : 25 Aug 2022\n\nThe Ombudsman's final decision:\n\n\
         Summary: It was at fault.\n\nThe complaint\n\n  1. Text.\n",
    );
    assert_eq!(page.council, "A Council");
    assert_eq!(page.reference, "21 019 020");
    let cat = page.category.expect("category");
    assert_eq!(cat.value, "Education > Special educational needs");
    assert_eq!((cat.line, cat.column), (3, 12));
    assert_eq!(page.decision.expect("decision").value, "Upheld");
    assert_eq!(page.summary.as_deref(), Some("It was at fault."));
    assert_eq!(page.layout, Layout::Numbered);
}

#[test]
fn can_number_paragraphs_continuously_across_sections() {
    let page = parse(
        "A Council (21 019 020)\nSummary: S.\nThe complaint\n  1. One.\n  2. Two.\n\
         Back to top\nWhat I found\n  1. Three:\n    • a bullet;\n    • another.\n  1. Four.\n",
    );
    let ps = paragraphs(&page);
    let numbers: Vec<u32> = ps.iter().map(|p| p.number).collect();
    assert_eq!(numbers, [1, 2, 3, 4]);
    assert_eq!(ps[2].items.len(), 2);
    assert_eq!(ps[2].items[0].text, "a bullet;");
    let headings: Vec<_> = page
        .blocks
        .iter()
        .filter(|b| matches!(b, Block::Heading { .. }))
        .collect();
    assert_eq!(headings.len(), 2, "Back to top is furniture");
}

#[test]
fn can_nest_numbered_items_under_bullets() {
    let page = parse(
        "A Council (21 019 020)\nSummary: S.\nThe complaint\n  1. Intro:\n    • a bullet:\n      1. first;\n      2. second.\n",
    );
    let ps = paragraphs(&page);
    assert_eq!(ps[0].items[0].children.len(), 2);
    assert_eq!(ps[0].items[0].children[1].ordinal, Some(2));
}

#[test]
fn can_tell_sections_from_sub_headings() {
    let page =
        parse("A Council (21 019 020)\nSummary: S.\nWhat I found\n  1. A.\nMy findings\n  1. B.\n");
    let levels: Vec<u8> = page
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level, .. } => Some(*level),
            _ => None,
        })
        .collect();
    assert_eq!(levels, [2, 3]);
}

#[test]
fn can_unflatten_items_after_a_colon() {
    let page = parse(
        "A Council (21 019 020)\nSummary: S.\nThe complaint\n- Mr X says:\n- The Council failed.\n\
         - It stopped letters.\n- He suffered distress. He wants an apology.\n- It said:\n\
         - it had not explained;\n- it had not recorded. It apologised; or\n- it was late.\n- A new paragraph.\n",
    );
    let ps = paragraphs(&page);
    let shape: Vec<(u32, usize)> = ps.iter().map(|p| (p.number, p.items.len())).collect();
    assert_eq!(shape, [(1, 2), (2, 0), (3, 3), (4, 0)]);
    assert_eq!(page.layout, Layout::Flattened);
}

#[test]
fn can_tell_a_parallel_paragraph_from_an_item() {
    let page = parse(
        "A Council (21 019 020)\nSummary: S.\nAgreed actions\n- Within a month, the Council will:\n\
         - Apologise to Mr X.\n- Pay Mr X £250.\n- Within two months, the Council will review its policy.\n",
    );
    let ps = paragraphs(&page);
    assert_eq!(ps.len(), 2);
    assert_eq!(ps[0].items.len(), 2);
}

#[test]
fn can_join_a_broken_line_to_its_paragraph() {
    let page = parse(
        "A Council (21 019 020)\nSummary: S.\nMy findings\n- It was late, and\n\
         Mr X felt ignored. - The Council says so.\n- Next.\n",
    );
    let ps = paragraphs(&page);
    assert_eq!(ps.len(), 2);
    assert_eq!(ps[0].lines.len(), 2);
}

#[test]
fn can_drop_a_cookie_banner_before_the_header() {
    let page = parse(
        "Review your privacy settings\nRequired cookies\nA Council (21 019 020)\nSummary: S.\n",
    );
    assert!(page.dropped_before_header.is_empty());
    assert_eq!(page.layout, Layout::Empty);
    let page = parse("Some stray words\nA Council (21 019 020)\n");
    assert_eq!(page.dropped_before_header, [1]);
}

#[test]
fn keeps_the_signature() {
    let page = parse(
        "A Council (21 019 020)\nSummary: S.\nFinal decision\n  1. Done.\n\n\
         Investigator's decision on behalf of the Ombudsman\n\nPrint this page\n\nReview your privacy settings\nPrivacy settings\n",
    );
    assert!(matches!(page.blocks.last(), Some(Block::Signature(_))));
}
