//! The traceability check: everything checkable in a summary must come from its decision.
//!
//! Every £ amount, number, person label (`Mr X`, a lone `Y`), month and deadline phrase in
//! the summary must appear in the decision's text or front matter, and what the summary
//! says about fault must agree with the decision's stated outcome.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::text::compile;

use super::{Origin, PlainSummary};
use crate::decision::{Decision, Outcome};

static MONEY: LazyLock<Regex> = LazyLock::new(|| compile(r"£\s?(\d[\d,]*)(?:\.(\d{2}))?"));
static NUMBER: LazyLock<Regex> = LazyLock::new(|| compile(r"\d[\d,]*(?:\.\d+)?"));
static PERSON: LazyLock<Regex> = LazyLock::new(|| compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Mx)\s[A-Z]\b"));
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
    compile(r"(?i)\b(?:was|were)\s+(?:also\s+)?at\s+fault\b|\bthere\s+was\s+fault\b")
});

/// Everything in `summary` that cannot be traced to `decision`, one message each; empty
/// when the summary passes.
pub fn untraceable(decision: &Decision, summary: &PlainSummary) -> Vec<String> {
    let source = normalise(&haystack(decision));
    let text = normalise(&summary.text());
    let mut problems = Vec::new();
    let amounts: HashSet<u64> = MONEY
        .captures_iter(&source)
        .filter_map(|c| pence(&c))
        .collect();
    for c in MONEY.captures_iter(&text) {
        if pence(&c).is_none_or(|p| !amounts.contains(&p)) {
            problems.push(format!("amount `{}` is not in the decision", &c[0]));
        }
    }
    let without_money = MONEY.replace_all(&text, " ");
    let numbers: HashSet<String> = NUMBER
        .find_iter(&source)
        .map(|m| bare(m.as_str()))
        .collect();
    for m in NUMBER.find_iter(&without_money) {
        if !numbers.contains(&bare(m.as_str())) {
            problems.push(format!("number `{}` is not in the decision", m.as_str()));
        }
    }
    let checks: [(&Regex, &str, bool); 3] = [
        (&PERSON, "person", false),
        (&MONTH, "month", false),
        (&DEADLINE, "deadline", true),
    ];
    for (re, what, fold) in checks {
        let hay = if fold {
            source.to_lowercase()
        } else {
            source.clone()
        };
        for m in re.find_iter(&text) {
            let needle = if fold {
                m.as_str().to_lowercase()
            } else {
                m.as_str().to_string()
            };
            if !hay.contains(&needle) {
                problems.push(format!("{what} `{}` is not in the decision", m.as_str()));
            }
        }
    }
    let letters: HashSet<&str> = LETTER
        .captures_iter(&source)
        .filter_map(|c| c.get(1))
        .map(|m| m.as_str())
        .collect();
    for c in LETTER.captures_iter(&text) {
        if let Some(m) = c.get(1).filter(|m| !letters.contains(m.as_str())) {
            problems.push(format!("person `{}` is not in the decision", m.as_str()));
        }
    }
    problems.extend(contradictions(decision, summary));
    problems
}

/// What the summary says about fault against the decision's stated outcome. A generated
/// headline must state the outcome in its fixed words; any summary, an editor's too, must
/// not say there was fault when the decision found none or did not investigate.
pub fn contradictions(decision: &Decision, summary: &PlainSummary) -> Vec<String> {
    let headline = summary.headline.to_lowercase();
    let generated = summary.origin == Origin::Generated;
    let mut problems = Vec::new();
    let mut fail = |m: &str| problems.push(format!("{m} (outcome: {:?})", decision.outcome));
    let (wanted, fault_allowed) = match decision.outcome {
        Some(Outcome::Upheld) => ("at fault", true),
        Some(Outcome::NotUpheld) => ("not at fault", false),
        Some(Outcome::ClosedAfterInitialEnquiries) => ("did not investigate", false),
        None => return problems,
    };
    let states = headline.contains(wanted)
        && (decision.outcome != Some(Outcome::Upheld) || !headline.contains("not at fault"));
    if generated && !states {
        fail(&format!("the headline does not say `{wanted}`"));
    }
    if !fault_allowed && says_fault(&summary.text()) {
        fail("the summary says there was fault");
    }
    problems
}

/// True when a sentence of `text` says there was fault (not "whether it was at fault").
fn says_fault(text: &str) -> bool {
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

fn normalise(text: &str) -> String {
    text.replace(['’', '‘'], "'")
        .replace('\u{a0}', " ")
        .replace('\\', "")
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
    use crate::summary::SummaryPart;

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
            parts: vec![SummaryPart {
                title: "t".into(),
                text: text.into(),
                paragraphs: vec![],
            }],
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
    fn errors_on_a_summary_that_contradicts_the_outcome() {
        let d = decision("1. No fault.\n", Outcome::NotUpheld);
        let s = summary("The council was at fault.", "");
        assert!(!contradictions(&d, &s).is_empty());
        let closed = decision("1. Late.\n", Outcome::ClosedAfterInitialEnquiries);
        let s = summary(
            "The Ombudsman did not investigate this complaint.",
            "There was fault in it.",
        );
        assert_eq!(contradictions(&closed, &s).len(), 1);
    }
}
