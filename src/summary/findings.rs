//! "What the Ombudsman found": fault or not, and whether it caused an injustice.
//!
//! The outcome decides what may be said: an `Upheld` decision found fault, a `Not upheld`
//! one did not, and a decision closed after initial enquiries made no finding. Within
//! that, the Ombudsman's own conclusions (the final decision, then its summary) give the
//! detail: "was (not) at fault for ...", "there was no fault in ...", "has admitted it was
//! at fault".

use std::sync::LazyLock;

use regex::Regex;

use super::plain_words::capitalise;
use super::source::Source;
use super::text::{compile, sentences, tidy, word_count};
use crate::decision::Outcome;

/// One conclusion about fault, as our sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Conclusion {
    /// True when it says there was fault.
    pub(crate) fault: bool,
    /// Our sentence.
    pub(crate) sentence: String,
    /// True when it also says whether the fault caused an injustice.
    pub(crate) mentions_injustice: bool,
}

static AT_FAULT: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\b(?:was|were)\s+(not\s+)?(?:also\s+)?at\s+fault\s+((?:for|in|when|by|because)\b.*)",
    )
});
static THERE_WAS: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\b(there\s+was\s+no|nor\s+was\s+there\s+any|there\s+was)\s+fault\s+((?:in|by|when)\s+.*)",
    )
});
static FOUND: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\b(?:I|we)\s+(?:have\s+)?found\s+(no\s+)?fault\s+((?:in|by|with|when|because)\s+.*)",
    )
});
static FAULT_IT: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)\bthere\s+was\s+fault\s+(?:as\s+|because\s+|in\s+that\s+|when\s+)?it\s+(.*)")
});
static ADMITTED: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\bhas\s+(?:already\s+)?(?:admitted|accepted)\s+(?:that\s+)?(?:it\s+(?:was\s+at|acted\s+with)\s+)?fault",
    )
});
static CLAUSE: LazyLock<Regex> = LazyLock::new(|| compile(r";\s+|,\s+but\s+|\.\s+However,?\s+"));
static AND_THIS: LazyLock<Regex> = LazyLock::new(|| compile(r", and (?:this|that|these) "));
static INJUSTICE: LazyLock<Regex> = LazyLock::new(|| compile(r"(?i)\binjustice\b"));

/// At most this many conclusions.
const MAX_CONCLUSIONS: usize = 3;
/// Words above which a "no fault in ..." beside a finding of fault is left out.
const LONG_ASIDE: usize = 20;

/// The part's text and the paragraphs it draws on.
pub(crate) fn part(src: &Source<'_>) -> (String, Vec<u32>) {
    let d = src.decision;
    let org = src.org;
    let person = src.person_label();
    let mut paragraphs = Vec::new();
    let found_fault = match d.outcome {
        Some(Outcome::ClosedAfterInitialEnquiries) => {
            let text = format!(
                "The Ombudsman made some early checks and decided not to investigate. So it did not decide whether {org} was at fault."
            );
            return (text, paragraphs);
        }
        Some(Outcome::Upheld) => true,
        Some(Outcome::NotUpheld) => false,
        None => match d.findings.fault {
            Some(found) => found,
            None => {
                return (
                    "This copy of the decision does not say what the Ombudsman found.".into(),
                    paragraphs,
                )
            }
        },
    };
    let (conclusions, from) = conclusions(src, found_fault);
    paragraphs.extend(from);
    paragraphs.extend(d.findings.fault_paragraph);
    let mut out: Vec<String> = Vec::new();
    if !conclusions.iter().any(|c| c.fault == found_fault) {
        let not = if found_fault { "" } else { "not " };
        out.push(format!("The Ombudsman found {org} was {not}at fault."));
    }
    out.extend(conclusions.iter().map(|c| c.sentence.clone()));
    if found_fault && !conclusions.iter().any(|c| c.mentions_injustice) {
        match d.findings.injustice {
            Some(true) => out.push(format!(
                "The fault caused {person} an injustice. That means it caused {} harm or loss.",
                src.complainant.as_ref().map_or("them", |p| p.object)
            )),
            Some(false) => out.push(format!(
                "The Ombudsman found the fault did not cause {person} real harm or loss."
            )),
            None => {}
        }
        paragraphs.extend(d.findings.injustice_paragraph);
    } else if conclusions.iter().any(|c| INJUSTICE.is_match(&c.sentence)) {
        // A term of art from the Ombudsman's words: explain it in place.
        out.push("An injustice is harm or loss that a fault causes.".into());
    }
    paragraphs.sort_unstable();
    paragraphs.dedup();
    (out.join(" "), paragraphs)
}

/// The Ombudsman's conclusions about fault from the final decision, or from its summary
/// when the final decision states none; only those that agree with the outcome.
fn conclusions(src: &Source<'_>, found_fault: bool) -> (Vec<Conclusion>, Vec<u32>) {
    let mut used = Vec::new();
    let mut found = Vec::new();
    if let Some(section) = src.section(|h| h.contains("final decision") || h == "decision") {
        for para in &section.paragraphs {
            let before = found.len();
            collect(&para.text, src.org, &mut found);
            if found.len() > before {
                used.push(para.number);
            }
        }
    }
    if found.is_empty() {
        if let Some(summary) = &src.decision.summary {
            collect(summary, src.org, &mut found);
        }
    }
    // Never contradict the outcome: a `Not upheld` summary says no fault only. Beside a
    // finding of fault, a long "no fault in ..." is left to the decision.
    found.retain(|c| found_fault || !c.fault);
    if found.iter().any(|c| c.fault) {
        found.retain(|c| c.fault || word_count(&c.sentence) <= LONG_ASIDE);
    }
    while found.len() > MAX_CONCLUSIONS {
        match found.iter().rposition(|c| c.fault != found_fault) {
            Some(i) => found.remove(i),
            None => found.remove(found.len() - 1),
        };
    }
    let mut seen_fault = false;
    for c in &mut found {
        if c.fault && seen_fault {
            c.sentence = c
                .sentence
                .replacen(" was at fault", " was also at fault", 1);
        }
        seen_fault |= c.fault;
    }
    (found, used)
}

/// Every conclusion in `text`, appended to `out` unless already there.
fn collect(text: &str, org: &str, out: &mut Vec<Conclusion>) {
    for sentence in sentences(text) {
        let parts: Vec<&str> = CLAUSE.split(&sentence).collect();
        for (i, clause) in parts.iter().enumerate() {
            let tail = parts
                .get(i + 1)
                .filter(|t| INJUSTICE.is_match(t) && !is_conclusion(t));
            let Some(mut c) = conclusion(clause, org, out.is_empty()) else {
                continue;
            };
            if let Some(tail) = tail {
                c.sentence = format!("{}, but {}", c.sentence.trim_end_matches('.'), tail);
                c.mentions_injustice = true;
            }
            c.sentence = split_consequence(&tidy(&c.sentence));
            if word_count(&c.sentence) <= 30 && !out.iter().any(|o| o.sentence == c.sentence) {
                out.push(c);
            }
        }
    }
}

/// `..., and this delay caused ...` becomes a sentence of its own.
fn split_consequence(sentence: &str) -> String {
    match AND_THIS.find(sentence) {
        Some(m) => format!(
            "{}. {}",
            &sentence[..m.start()],
            capitalise(&sentence[m.start() + 6..])
        ),
        None => sentence.to_string(),
    }
}

fn is_conclusion(clause: &str) -> bool {
    AT_FAULT.is_match(clause)
        || THERE_WAS.is_match(clause)
        || ADMITTED.is_match(clause)
        || FOUND.is_match(clause)
}

/// One clause as a conclusion about fault, or `None` when it is not one.
fn conclusion(clause: &str, org: &str, first: bool) -> Option<Conclusion> {
    let subject = if first {
        capitalise(org)
    } else {
        "It".to_string()
    };
    let mentions_injustice = INJUSTICE.is_match(clause);
    if let Some(c) = AT_FAULT.captures(clause) {
        let not = c.get(1).map_or("", |_| "not ");
        return Some(Conclusion {
            fault: not.is_empty(),
            sentence: format!("{subject} was {not}at fault {}", &c[2]),
            mentions_injustice,
        });
    }
    if let Some(c) = FOUND.captures(clause) {
        let no = c.get(1).map_or("", |_| "no ");
        return Some(Conclusion {
            fault: no.is_empty(),
            sentence: format!("The Ombudsman found {no}fault {}", &c[2]),
            mentions_injustice,
        });
    }
    if let Some(c) = FAULT_IT.captures(clause) {
        return Some(Conclusion {
            fault: true,
            sentence: format!("{subject} was at fault because it {}", &c[1]),
            mentions_injustice,
        });
    }
    if let Some(c) = THERE_WAS.captures(clause) {
        let fault = c[1].eq_ignore_ascii_case("there was");
        let no = if fault { "" } else { "no " };
        return Some(Conclusion {
            fault,
            sentence: format!("There was {no}fault {}", &c[2]),
            mentions_injustice,
        });
    }
    if ADMITTED.is_match(clause) {
        return Some(Conclusion {
            fault: true,
            sentence: format!("{} had already admitted it was at fault", capitalise(org)),
            mentions_injustice: false,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<Conclusion> {
        let mut out = Vec::new();
        collect(text, "the council", &mut out);
        out
    }

    #[test]
    fn can_read_mixed_conclusions_with_their_injustice() {
        let found = all("I find tThe Council was not at fault in how it supported Mr X’s family. It was at fault for not consulting other agencies, but this did not cause any injustice.");
        assert_eq!(found.len(), 2);
        assert!(!found[0].fault);
        assert_eq!(
            found[0].sentence,
            "The council was not at fault in how it supported Mr X's family."
        );
        assert_eq!(
            found[1].sentence,
            "It was at fault for not consulting other agencies, but this did not cause any injustice."
        );
        assert!(found[1].mentions_injustice);
    }

    #[test]
    fn can_read_there_was_and_admitted() {
        let found = all("There was no fault in the Council’s first decision. There was fault it delayed the assessment. The Council has already admitted it acted with fault.");
        let sentences: Vec<&str> = found.iter().map(|c| c.sentence.as_str()).collect();
        assert_eq!(
            sentences,
            vec![
                "There was no fault in the council's first decision.",
                "It was at fault because it delayed the assessment.",
                "The council had already admitted it was at fault."
            ]
        );
    }

    #[test]
    fn can_split_a_consequence_into_its_own_sentence() {
        assert_eq!(
            split_consequence(
                "It was at fault because it delayed, and this delay caused Mr X an injustice."
            ),
            "It was at fault because it delayed. This delay caused Mr X an injustice."
        );
    }

    #[test]
    fn can_read_what_the_ombudsman_found() {
        let found = all("We found no fault in how the Council assessed her application.");
        assert_eq!(found.len(), 1);
        assert!(!found[0].fault);
        assert_eq!(
            found[0].sentence,
            "The Ombudsman found no fault in how the council assessed her application."
        );
    }

    #[test]
    fn can_ignore_text_without_conclusions() {
        assert!(all("I have completed my investigation.").is_empty());
    }
}
