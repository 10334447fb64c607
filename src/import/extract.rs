//! Facts extracted from the text: fault and injustice, the remedies, an outcome inferred
//! when the page states none, and the link to the original page.
//!
//! Every fact keeps the paragraph it came from. Nothing is invented: a fact the text does
//! not support is left out. A stated outcome is never overridden from the prose.

use std::sync::LazyLock;

use regex::Regex;

use crate::import::pattern::compile;

use super::page::{Block, Paragraph};
use super::parse::normalise_heading;
use crate::decision::{Findings, Outcome, Reference};

/// A paragraph (or the summary, numbered `None`) with the section it sits in.
#[derive(Debug, Clone)]
pub struct Passage<'a> {
    /// The `##` section's heading, normalised (`what i found`).
    pub section: String,
    /// The paragraph number; `None` for the Ombudsman's summary.
    pub number: Option<u32>,
    /// The paragraph itself; `None` for the summary.
    pub paragraph: Option<&'a Paragraph>,
    /// The paragraph's full text, items included.
    pub text: String,
}

/// Lists the summary and every paragraph with its section.
pub fn passages<'a>(summary: Option<&str>, blocks: &'a [Block]) -> Vec<Passage<'a>> {
    let mut out = Vec::new();
    if let Some(s) = summary {
        out.push(Passage {
            section: "summary".into(),
            number: None,
            paragraph: None,
            text: s.to_string(),
        });
    }
    let mut section = String::new();
    for block in blocks {
        match block {
            Block::Heading { level: 2, text } => section = normalise_heading(text),
            Block::Paragraph(p) => {
                let mut text = p.text();
                for item in &p.items {
                    text.push(' ');
                    text.push_str(&item.text);
                    for child in &item.children {
                        text.push(' ');
                        text.push_str(&child.text);
                    }
                }
                out.push(Passage {
                    section: section.clone(),
                    number: Some(p.number),
                    paragraph: Some(p),
                    text,
                });
            }
            _ => {}
        }
    }
    out
}

pub(super) static SENTENCE_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"[.!?]["'’”)]?\s+"#).expect("static regex"));
static CLAUSE_BREAK: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?i),?\s+but\s+|;\s*|,\s+however,?\s+|,\s+and\s+|,\s+so\s+"));
static FAULT_YES: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\b(?:was|were|is|are|been)\s+(?:also\s+)?at\s+fault\b|\bfinding\s+of\s+fault\b|\b(?:this|which|that)\s+(?:is|was)\s+(?:also\s+)?fault\b|\bthere\s+was\s+fault\b|\bacted\s+with\s+fault\b|\buphold\s+the\s+complaint\b|\bfault\s+causing\b",
    )
});
static FAULT_NO: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\bnot\s+at\s+fault\b|\bno\s+fault\b|\bnor\s+was\s+there\s+any\s+fault\b|\bdo\s+not\s+uphold\b",
    )
});
/// A question about fault: `whether the Council was at fault`, `if there was fault`.
static FAULT_OPEN: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\b(?:whether|if)\s+(?:the\s+\w+(?:\s+\w+)?|it|they|there|he|she)\s+(?:was|were|is|are|had\s+been|has\s+been|acted)\b[^.;]*\bfault|\b(?:enough|sufficient|no|any)\s+(?:evidence|sign|suggestion|indication)\s+(?:that\s+|of\s+)?(?:the\s+\w+(?:\s+\w+)?|it|there)\s+(?:was|were|had\s+been|acted)\b[^.;]*\bfault|\bcannot\s+say\s+(?:that\s+|whether\s+)?(?:there|the\s+\w+|it)\s+(?:was|were|acted)\b[^.;]*\bfault|\bno\s+finding\s+of\s+fault\b|\bnot\s+to\s+uphold\b",
    )
});
static NEGATION: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?i)\b(?:not|no|nor|unlikely|without|cannot|didn't|did\s+not)\b"));
static INJUSTICE: LazyLock<Regex> = LazyLock::new(|| compile(r"(?i)\binjustice\b"));
static INJUSTICE_GENERIC: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\bwhether\b|\bif\s+there\s+has\s+been\b|\bwe\s+(?:must|may)\b|\bwe\s+investigate\b|\bI\s+refer\s+to\s+this\b",
    )
});

/// The order in which sections are read for findings: the Ombudsman's conclusions first.
fn finding_rank(section: &str) -> Option<u8> {
    match section {
        "final decision" | "decision" | "conclusions" => Some(0),
        "summary" => Some(1),
        "what i found" | "analysis" => Some(2),
        _ => None,
    }
}

/// Whether fault and injustice were found, each with the paragraph that says so.
pub fn findings(passages: &[Passage<'_>]) -> Findings {
    let mut ranked: Vec<&Passage<'_>> = passages
        .iter()
        .filter(|p| finding_rank(&p.section).is_some())
        .collect();
    ranked.sort_by_key(|p| finding_rank(&p.section));
    let mut findings = Findings::default();
    if let Some((found, number)) = first_verdict(&ranked, fault_verdict) {
        findings.fault = Some(found);
        findings.fault_paragraph = number;
    }
    if let Some((found, number)) = first_verdict(&ranked, injustice_verdict) {
        findings.injustice = Some(found);
        findings.injustice_paragraph = number;
    }
    findings
}

/// The first rank of passages that gives a verdict decides; within it, any "yes" wins
/// (a decision that finds fault in one part and none in another found fault).
fn first_verdict(
    ranked: &[&Passage<'_>],
    verdict: fn(&str) -> Option<bool>,
) -> Option<(bool, Option<u32>)> {
    let mut current_rank = None;
    let mut best: Option<(bool, Option<u32>)> = None;
    for p in ranked {
        let rank = finding_rank(&p.section);
        if best.is_some() && rank != current_rank {
            break;
        }
        current_rank = rank;
        if let Some(found) = verdict(&p.text) {
            match best {
                Some((true, _)) => {}
                Some((false, _)) if !found => {}
                _ => best = Some((found, p.number)),
            }
        }
    }
    best
}

/// Every pattern of [`FAULT_YES`] and [`FAULT_NO`] holds one of these words, so a passage
/// without them gives no verdict and is not split into clauses.
static FAULT_WORDS: LazyLock<Regex> = LazyLock::new(|| compile(r"(?i)fault|uphold"));

/// True when `sentence` gives what someone says, believes or argues rather than what the
/// Ombudsman found: "Mr X believes there was fault", "The Council says it was not at
/// fault", "Mrs Y says the failure caused her an injustice".
pub fn is_a_claim(sentence: &str) -> bool {
    static CLAIM: LazyLock<Regex> = LazyLock::new(|| {
        compile(
            r"(?i)^\W*(?:(?:Mr|Mrs|Ms|Miss|Dr|Mx)\s+\w+(?:\s+and\s+(?:Mr|Mrs|Ms|Miss|Dr|Mx)\s+\w+)?|the\s+(?:council|trust|care\s+provider|provider|complainant|school)|he|she|they)\s+(?:also\s+)?(?:says|said|believes|believed|feels|felt|thinks|thought|argues|argued|claims|claimed|complains|complained|alleges|alleged|disputes|disputed|maintains|contends|told\s+(?:us|me))\b",
        )
    });
    CLAIM.is_match(sentence)
}

/// True when `clause` asks whether there was fault ("I do not need to decide whether there
/// was fault", "before I reached a view on whether the Council was at fault") rather than
/// saying so: the words of a finding inside a question are not a finding.
pub fn asks_about_fault(clause: &str) -> bool {
    FAULT_OPEN.is_match(clause)
}

fn fault_verdict(text: &str) -> Option<bool> {
    if !FAULT_WORDS.is_match(text) {
        return None;
    }
    fault_in_clauses(text)
}

fn fault_in_clauses(text: &str) -> Option<bool> {
    let mut verdict = None;
    for clause in clauses(text) {
        // "Before I reached a view on whether the Council was at fault", "if it was at
        // fault": a question, not a finding (asked only of a clause that gives a verdict).
        let open = || asks_about_fault(&clause);
        let cleaned = FAULT_NO.replace_all(&clause, "");
        if FAULT_YES.is_match(&cleaned) {
            if open() {
                continue;
            }
            return Some(true);
        }
        if FAULT_NO.is_match(&clause) && !open() {
            verdict = Some(false);
        }
    }
    verdict
}

fn injustice_verdict(text: &str) -> Option<bool> {
    // A clause is read only when it names injustice.
    if !INJUSTICE.is_match(text) {
        return None;
    }
    injustice_in_clauses(text)
}

fn injustice_in_clauses(text: &str) -> Option<bool> {
    let mut verdict = None;
    for clause in clauses(text) {
        if !INJUSTICE.is_match(&clause) || INJUSTICE_GENERIC.is_match(&clause) {
            continue;
        }
        if NEGATION.is_match(&clause) {
            verdict.get_or_insert(false);
        } else {
            return Some(true);
        }
    }
    verdict
}

pub(super) fn clauses(text: &str) -> Vec<String> {
    SENTENCE_END
        .split(text)
        // What someone says or believes ("Mr X believes there was fault") is no finding.
        .filter(|s| !is_a_claim(s))
        .flat_map(|s| {
            CLAUSE_BREAK
                .split(s)
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The outcome implied by the findings, for a page that states none; `None` when the text
/// does not support one.
pub fn infer_outcome(passages: &[Passage<'_>], findings: &Findings) -> Option<Outcome> {
    static NOT_INVESTIGATE: LazyLock<Regex> = LazyLock::new(|| {
        compile(
            r"(?i)\b(?:will|did|should)\s+not\s+investigate\b|\bnot\s+to\s+investigate\b|\bstopped\s+(?:our|my)\s+investigation\b|\bwithout\s+(?:further\s+)?investigation\b",
        )
    });
    // "We have upheld this complaint because ..." on a page with no `Decision :` line.
    static UPHELD_PROSE: LazyLock<Regex> = LazyLock::new(|| {
        compile(r"(?i)\b(?:we|I)\s+(?:have\s+)?upheld\s+(?:this|the|Mr|Mrs|Ms|Miss)\b")
    });
    let conclusions = || {
        passages
            .iter()
            .filter(|p| p.number.is_none() || finding_rank(&p.section) == Some(0))
    };
    if conclusions().any(|p| UPHELD_PROSE.is_match(&p.text)) {
        return Some(Outcome::Upheld);
    }
    let summary_closes = passages
        .iter()
        .filter(|p| p.number.is_none() || finding_rank(&p.section) == Some(0))
        .any(|p| NOT_INVESTIGATE.is_match(&p.text));
    match findings.fault {
        Some(true) => Some(Outcome::Upheld),
        _ if summary_closes => Some(Outcome::ClosedAfterInitialEnquiries),
        Some(false) => Some(Outcome::NotUpheld),
        None => None,
    }
}

/// The URL slug the Ombudsman's website uses for a category: lowercase, every run of
/// other characters a dash (`Children's care services` -> `children-s-care-services`).
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The decision's page on the Ombudsman's website, when category and subcategory are known.
pub fn source_url(
    category: Option<&str>,
    subcategory: Option<&str>,
    reference: &Reference,
) -> Option<String> {
    Some(format!(
        "https://www.lgo.org.uk/decisions/{}/{}/{}",
        slug(category?),
        slug(subcategory?),
        reference.slug()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The words looked for first only skip passages that give no verdict.
        #[test]
        fn a_verdict_is_the_same_with_the_words_looked_for_first(
            words in proptest::collection::vec(
                "(fault|Fault|uphold|not|no|nor|was|at|there|the|council|injustice|Injustice|whether|we|must|but|and|so|however|did|caused|finding|of|this|acted|with|complaint|do)[ .,;!]{1,2}",
                0..24,
            )
        ) {
            let text = words.concat();
            proptest::prop_assert_eq!(fault_verdict(&text), fault_in_clauses(&text));
            proptest::prop_assert_eq!(injustice_verdict(&text), injustice_in_clauses(&text));
        }
    }

    fn summary(text: &str) -> Vec<Passage<'static>> {
        vec![Passage {
            section: "summary".into(),
            number: None,
            paragraph: None,
            text: text.into(),
        }]
    }

    #[test]
    fn finds_no_fault_in_what_someone_says_or_in_no_finding() {
        for text in [
            "Mr X believes there was fault in how the Council decided the fence was permitted development.",
            "Mrs Y says the Council's failure caused her distress and an injustice.",
            "The Council says it was not at fault.",
            "I have decided not to uphold the complaint.",
            "I have made no finding of fault.",
            "There is not enough evidence the Council was at fault.",
            "I cannot say there was fault in how the Council carried out the enquiry.",
        ] {
            let f = findings(&summary(text));
            assert_eq!((f.fault, f.injustice), (None, None), "{text}");
        }
        // The Ombudsman's own finding beside a claim is still read.
        let f = findings(&summary(
            "Mr X says the Council ignored him. The Council was at fault.",
        ));
        assert_eq!(f.fault, Some(true));
    }

    #[test]
    fn can_find_fault_in_one_part_and_none_in_another() {
        let f = findings(&summary(
            "The Council was not at fault in how it decided. There was fault in the process it used.",
        ));
        assert_eq!(f.fault, Some(true));
        let f = findings(&summary("There was no fault in the Council's decision."));
        assert_eq!(f.fault, Some(false));
    }

    #[test]
    fn reads_no_finding_in_a_question_about_fault() {
        let f = findings(&summary(
            "Before I reached a view on whether the Council was at fault, Mr X withdrew his complaint.",
        ));
        assert_eq!(f.fault, None);
        let f = findings(&summary(
            "If the Council was at fault, it has put that right.",
        ));
        assert_eq!(f.fault, None);
        for finding in [
            "It was at fault because it did not consider whether she was eligible.",
            "The Council was at fault when it did not tell Mr X if it had received his application.",
        ] {
            assert_eq!(findings(&summary(finding)).fault, Some(true), "{finding}");
        }
    }

    #[test]
    fn can_tell_injustice_from_its_absence() {
        let f = findings(&summary(
            "There was no injustice to Mr X from the wrong process, and it has already remedied his injustice.",
        ));
        assert_eq!(f.injustice, Some(true));
        let f = findings(&summary(
            "However, it is unlikely it caused Mr X a significant injustice.",
        ));
        assert_eq!(f.injustice, Some(false));
        let f = findings(&summary(
            "I find fault causing Mr X an injustice, but there is no significant unremedied injustice remaining.",
        ));
        assert_eq!(f.injustice, Some(true));
    }

    #[test]
    fn can_infer_outcomes_from_findings() {
        let p = summary("The Council was at fault.");
        assert_eq!(infer_outcome(&p, &findings(&p)), Some(Outcome::Upheld));
        let p = summary("The Council was not at fault.");
        assert_eq!(infer_outcome(&p, &findings(&p)), Some(Outcome::NotUpheld));
        let p = summary("We will not investigate this complaint because it is late.");
        assert_eq!(
            infer_outcome(&p, &findings(&p)),
            Some(Outcome::ClosedAfterInitialEnquiries)
        );
        let p = summary("Mr X complained about the Council.");
        assert_eq!(infer_outcome(&p, &findings(&p)), None);
    }

    #[test]
    fn can_slug_categories_like_the_ombudsman() {
        assert_eq!(slug("Children's care services"), "children-s-care-services");
        assert_eq!(slug("Other"), "other");
        assert_eq!(slug("Benefits and tax"), "benefits-and-tax");
        let r = Reference::parse("21 019 020").expect("ref");
        assert_eq!(
            source_url(Some("Children's care services"), Some("Other"), &r).as_deref(),
            Some("https://www.lgo.org.uk/decisions/children-s-care-services/other/21-019-020")
        );
        assert_eq!(source_url(None, Some("Other"), &r), None);
    }
}
