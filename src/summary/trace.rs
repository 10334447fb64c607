//! The traceability check: everything checkable in a summary must come from its decision.
//!
//! Every £ amount, number, person label (`Mr X`, a lone `Y`), month and deadline phrase in
//! the summary must appear in the decision's text or front matter; every statement about
//! the investigation, fault, injustice and remedies must point at a paragraph that exists
//! or at the Ombudsman's summary ([`unsourced`]); no sentence may repeat or speak as the
//! Ombudsman; and a decision closed without investigation gets no statement on fault.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::source::PERSON;
use super::text::{compile, first_person, sentence_key, sentences};

use super::{Cite, Line, Origin, PlainSummary};
use crate::decision::{Decision, Outcome};

static MONEY: LazyLock<Regex> = LazyLock::new(|| compile(r"£\s?(\d[\d,]*)(?:\.(\d{2}))?"));
static NUMBER: LazyLock<Regex> = LazyLock::new(|| compile(r"\d[\d,]*(?:\.\d+)?"));
static LETTER: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?:^|[^\w’'-])([B-HJ-Z])(?:[^\w’'-]|$)"));
static MONTH: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b",
    )
});
static DEADLINE: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?i)\bwithin\s+\w+\s+(?:working\s+)?(?:days?|weeks?|months?)\b"));
static SAYS_FAULT: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\b(?:was|were)\s+(?:not\s+)?(?:also\s+)?at\s+fault\b|\bthere\s+was\s+(?:no\s+)?fault\b|\bfound\s+no\s+fault\b",
    )
});
static QUOTED: LazyLock<Regex> = LazyLock::new(|| compile(r"“[^”]*”"));

/// Everything in `summary` that cannot be traced to `decision`, one message each; empty
/// when the summary passes.
pub fn untraceable(decision: &Decision, summary: &PlainSummary) -> Vec<String> {
    let source = normalise(&haystack(decision));
    let text = normalise(&summary.text());
    // The decision is read for a kind of fact only when the summary states one.
    let mut problems = untraced_amounts(&text, &source);
    problems.extend(untraced_numbers(&text, &source));
    problems.extend(untraced_phrases(&text, &source));
    problems.extend(untraced_letters(&text, &source));
    problems.extend(contradictions(decision, summary));
    problems.extend(unsourced(decision, summary));
    problems.extend(repeated(summary));
    problems
}

/// The £ amounts of `text` that `source` does not state (to the penny).
fn untraced_amounts(text: &str, source: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut amounts: Option<HashSet<u64>> = None;
    for c in MONEY.captures_iter(text) {
        let amounts = amounts.get_or_insert_with(|| {
            MONEY
                .captures_iter(source)
                .filter_map(|c| pence(&c))
                .collect()
        });
        if pence(&c).is_none_or(|p| !amounts.contains(&p)) {
            problems.push(format!("amount `{}` is not in the decision", &c[0]));
        }
    }
    problems
}

/// The numbers of `text` (amounts aside) that `source` does not hold.
fn untraced_numbers(text: &str, source: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let without_money = MONEY.replace_all(text, " ");
    let mut numbers: Option<HashSet<String>> = None;
    for m in NUMBER.find_iter(&without_money) {
        let numbers = numbers
            .get_or_insert_with(|| NUMBER.find_iter(source).map(|m| bare(m.as_str())).collect());
        if !numbers.contains(&bare(m.as_str())) {
            problems.push(format!("number `{}` is not in the decision", m.as_str()));
        }
    }
    problems
}

/// The person labels, months and deadline phrases of `text` that `source` does not hold
/// (deadlines in any case).
fn untraced_phrases(text: &str, source: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut lowercase: Option<String> = None;
    let checks: [(&Regex, &str, bool); 3] = [
        (&PERSON, "person", false),
        (&MONTH, "month", false),
        (&DEADLINE, "deadline", true),
    ];
    for (re, what, fold) in checks {
        for m in re.find_iter(text) {
            let found = if fold {
                lowercase
                    .get_or_insert_with(|| source.to_lowercase())
                    .contains(&m.as_str().to_lowercase())
            } else {
                source.contains(m.as_str())
            };
            if !found {
                problems.push(format!("{what} `{}` is not in the decision", m.as_str()));
            }
        }
    }
    problems
}

/// The lone capital letters of `text` that name a person (`Y`) and that `source` does not.
fn untraced_letters(text: &str, source: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut letters: Option<HashSet<&str>> = None;
    for letter in LETTER.find_iter(text).filter_map(|m| letter_in(m.as_str())) {
        let letters = letters.get_or_insert_with(|| {
            LETTER
                .find_iter(source)
                .filter_map(|m| letter_in(m.as_str()))
                .collect()
        });
        if !letters.contains(letter) {
            problems.push(format!("person `{letter}` is not in the decision"));
        }
    }
    problems
}

/// Every sentence `summary` says again, headline and parts together (an editor's summary
/// too), compared as `sentence_key` does: case, spaces, punctuation and a leading
/// subject set aside, so `The council was at fault .` repeats `It was at fault.`. One
/// message each, quoting the repeat.
pub fn repeated(summary: &PlainSummary) -> Vec<String> {
    let mut seen: HashSet<String> = HashSet::new();
    sentences(&summary.text())
        .into_iter()
        .filter(|s| !seen.insert(sentence_key(s)))
        .map(|s| format!("summary sentence `{s}` is said twice"))
        .collect()
}

/// Every generated sentence about the investigation, fault, injustice or remedies that
/// points at no paragraph of the decision and not at the Ombudsman's summary; every
/// sentence in the Ombudsman's first person outside quotation marks. One message each,
/// quoting the sentence.
pub fn unsourced(decision: &Decision, summary: &PlainSummary) -> Vec<String> {
    let numbers = crate::content::refs::paragraph_numbers(&decision.body);
    let lines: Vec<&Line> = summary
        .headline_lines
        .iter()
        .chain(summary.parts.iter().flat_map(|p| p.lines.iter()))
        .collect();
    let mut problems = Vec::new();
    for l in lines {
        if l.about.is_claim() && !l.is_sourced() {
            problems.push(format!(
                "summary sentence `{}` ({:?}) points at no paragraph and not at the Ombudsman's summary",
                l.text, l.about
            ));
        }
        if l.about.is_claim() && l.cite() == Cite::Outcome {
            problems.push(format!(
                "summary sentence `{}` ({:?}) rests on the outcome line alone, which is not a finding",
                l.text, l.about
            ));
        }
        if let Some(n) = l.paragraph.filter(|n| !numbers.contains(n)) {
            problems.push(format!(
                "summary sentence `{}` points at paragraph {n}, which the decision does not have",
                l.text
            ));
        }
        if l.from_summary && decision.summary.is_none() {
            problems.push(format!(
                "summary sentence `{}` points at the Ombudsman's summary, which the decision does not have",
                l.text
            ));
        }
        if first_person(&l.text) {
            problems.push(format!(
                "summary sentence `{}` speaks as the Ombudsman (we, our, I) outside quotation marks",
                l.text
            ));
        }
    }
    problems
}

/// What the summary says about fault against the decision's stated outcome: a decision
/// closed after initial enquiries made no finding, so no summary, an editor's neither,
/// may say there was fault or that there was none.
pub fn contradictions(decision: &Decision, summary: &PlainSummary) -> Vec<String> {
    let mut problems = Vec::new();
    if decision.outcome == Some(Outcome::ClosedAfterInitialEnquiries) && says_fault(&summary.text())
    {
        problems.push(format!(
            "the summary states a finding on fault, but the decision was closed after initial enquiries ({})",
            match summary.origin {
                Origin::Generated => "generated",
                Origin::Editor => "the editor's `plain_summary`",
            }
        ));
    }
    problems
}

/// True when a sentence of `text` says there was fault (not "whether it was at fault").
fn says_fault(text: &str) -> bool {
    let text = QUOTED.replace_all(text, " ");
    text.split(". ")
        .any(|s| SAYS_FAULT.is_match(s) && !s.to_lowercase().contains("whether"))
}

/// Everything a summary may draw on: the front matter's values and the body.
fn haystack(d: &Decision) -> String {
    let mut parts: Vec<String> = vec![
        d.reference.as_str().to_string(),
        d.council.clone(),
        d.body.clone(),
    ];
    parts.extend(d.category.clone());
    parts.extend(d.subcategory.clone());
    parts.extend(d.summary.clone());
    if let Some(date) = d.decision_date {
        parts.push(date.format("%-d %B %Y").to_string());
    }
    for r in &d.remedies {
        parts.push(r.text.clone());
        parts.extend(r.to.clone());
        parts.extend(r.deadline.clone());
        parts.extend(r.amount.map(|a| a.display()));
        parts.extend(r.paragraph.map(|p| p.to_string()));
    }
    parts.join("\n")
}

/// The letter a [`LETTER`] match stands for (what its group captures): the one capital
/// in it, since the characters around it are not word characters. Matching without
/// capturing is the cheaper search, and the decision holds many such letters.
fn letter_in(matched: &str) -> Option<&str> {
    let (at, c) = matched
        .char_indices()
        .find(|(_, c)| matches!(c, 'B'..='H' | 'J'..='Z'))?;
    matched.get(at..at + c.len_utf8())
}

/// Curly apostrophes straight, no-break spaces plain, backslashes (Markdown escapes) gone:
/// in one pass that copies the runs between them.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    // The first byte of `’`, `‘` (E2 80 99, E2 80 98) and of a no-break space (C2 A0).
    while let Some(at) = memchr::memchr3(0xE2, 0xC2, b'\\', rest.as_bytes()) {
        // `at` is the first byte of a character: the three are lead bytes or ASCII.
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let c = tail.chars().next().unwrap_or('\\');
        match c {
            '’' | '‘' => out.push('\''),
            '\u{a0}' => out.push(' '),
            '\\' => {}
            c => out.push(c),
        }
        rest = &tail[c.len_utf8()..];
    }
    out.push_str(rest);
    out
}

fn bare(number: &str) -> String {
    number.replace(',', "").trim_start_matches('0').to_string()
}

fn pence(c: &regex::Captures<'_>) -> Option<u64> {
    let pounds: u64 = c.get(1)?.as_str().replace(',', "").parse().ok()?;
    let pence: u64 = c.get(2).map_or(Some(0), |m| m.as_str().parse().ok())?;
    Some(pounds * 100 + pence)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn normalises_as_three_replacements_do(text in "[a-z ’‘\u{a0}\\\\“”—é€£]{0,40}") {
            let replaced = text
                .replace(['’', '‘'], "'")
                .replace('\u{a0}', " ")
                .replace('\\', "");
            proptest::prop_assert_eq!(normalise(&text), replaced);
        }
    }

    #[test]
    fn finds_the_letter_of_a_match_as_the_group_captures_it() {
        let text = "Mr X said Y, “Z” and (B) met ’C’ and Q- but not I or A-B, then D\u{a0}E.\nF";
        let captured: Vec<&str> = LETTER
            .captures_iter(text)
            .filter_map(|c| c.get(1))
            .map(|m| m.as_str())
            .collect();
        let found: Vec<&str> = LETTER
            .find_iter(text)
            .filter_map(|m| letter_in(m.as_str()))
            .collect();
        assert!(captured.len() >= 5, "{captured:?}");
        assert_eq!(found, captured);
    }
    use crate::summary::{About, Cite, SummaryPart};

    fn decision(body: &str, outcome: Outcome) -> Decision {
        let text = format!(
            "+++\nreference = \"21 019 020\"\ncouncil = \"Kent County Council\"\noutcome = \"{}\"\n+++\n{body}",
            outcome.label()
        );
        crate::content::load::parse_decision(std::path::Path::new("t.md"), &text).expect("valid")
    }

    fn summary(headline: &str, text: &str) -> PlainSummary {
        PlainSummary {
            origin: Origin::Generated,
            headline: headline.into(),
            headline_lines: vec![Line::new(headline, About::Fault, Cite::Paragraph(1))],
            parts: vec![SummaryPart::new("t", vec![Line::note(text)])],
        }
    }

    #[test]
    fn can_pass_a_summary_drawn_from_the_decision() {
        let d = decision("1. Mr X complained in May 2023. Ms Y and Z agreed.\n2. The Council will pay Mr X £1,250 within one month.\n", Outcome::Upheld);
        let s = summary("The council was at fault.", "Mr X complained in May 2023 about Z. It will pay Mr X £1250 within one month (paragraph 2).");
        assert_eq!(untraceable(&d, &s), Vec::<String>::new());
    }

    #[test]
    fn errors_on_invented_amounts_numbers_people_and_months() {
        let d = decision("1. Mr X complained in May 2023.\n", Outcome::Upheld);
        let s = summary(
            "The council was at fault.",
            "It will pay Mrs Q £300 by June 2024 within two weeks. W agreed.",
        );
        let problems = untraceable(&d, &s);
        for needle in ["£300", "2024", "Mrs Q", "June", "within two weeks", "`W`"] {
            assert!(
                problems.iter().any(|p| p.contains(needle)),
                "{needle}: {problems:?}"
            );
        }
    }

    #[test]
    fn errors_on_a_finding_in_a_decision_closed_without_investigation() {
        let closed = decision("1. Late.\n", Outcome::ClosedAfterInitialEnquiries);
        for text in ["There was fault in it.", "The council was not at fault."] {
            let s = summary("The Ombudsman decided not to investigate.", text);
            assert_eq!(contradictions(&closed, &s).len(), 1, "{text}");
        }
        let s = summary(
            "The Ombudsman decided not to investigate.",
            "No finding was made on whether the council was at fault. The Ombudsman said: “There was no fault.”",
        );
        assert!(contradictions(&closed, &s).is_empty());
    }

    #[test]
    fn errors_on_claims_without_a_source_and_our_voice() {
        let d = decision("1. The Council was at fault.\n", Outcome::Upheld);
        let mut s = summary("The council was at fault.", "");
        s.parts = vec![SummaryPart::new(
            "t",
            vec![
                Line::new("It will pay.", About::Remedy, Cite::None),
                Line::new("It was late.", About::Fault, Cite::Paragraph(9)),
                Line::note("We found fault."),
                Line::new("It was slow.", About::Fault, Cite::Outcome),
            ],
        )];
        let problems = unsourced(&d, &s);
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems[0].contains("`It will pay.` (Remedy) points at no paragraph"));
        assert!(problems[1].contains("paragraph 9, which the decision does not have"));
        assert!(problems[2].contains("speaks as the Ombudsman"));
        assert!(problems[3].contains("rests on the outcome line alone"));
        let fine = summary("The council was at fault.", "It will pay.");
        assert!(unsourced(&d, &fine).is_empty());
    }

    #[test]
    fn errors_on_a_sentence_said_twice_in_any_case_or_punctuation() {
        let mut s = summary("The council was at fault.", "");
        s.parts = vec![SummaryPart::new(
            "t",
            vec![
                // Two sentences in one line: the first repeats the headline.
                Line::note("The council was at fault . This caused injustice."),
                Line::note("It will pay."),
                Line::note("THE COUNCIL WILL PAY!"),
            ],
        )];
        assert_eq!(
            repeated(&s),
            vec![
                "summary sentence `The council was at fault .` is said twice",
                "summary sentence `THE COUNCIL WILL PAY!` is said twice",
            ]
        );
        let editor = PlainSummary {
            origin: Origin::Editor,
            headline: "It apologised. It paid. The council apologised".into(),
            headline_lines: Vec::new(),
            parts: Vec::new(),
        };
        assert_eq!(repeated(&editor).len(), 1);
        assert!(repeated(&summary("The council was at fault.", "It will pay.")).is_empty());
    }
}
