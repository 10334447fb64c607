//! "What the Ombudsman found": its conclusions about fault and injustice, each with the
//! paragraph or summary sentence it comes from.
//!
//! The outcome line is never turned into a finding: a decision the Ombudsman did not
//! investigate, or stopped investigating, gets "No finding was made on whether ... was at
//! fault"; an investigated one gets the Ombudsman's own conclusions ("was (not) at fault
//! for ...", "there was no fault in ...", "has admitted it was at fault"), and nothing when
//! it states none. A conclusion about another body (the council, in a case about a trust) keeps that
//! body's name.

use std::sync::LazyLock;

use regex::Regex;

use super::course::{Course, Reading};
use super::line::{About, Cite, Line};
use super::plain_words::capitalise;
use super::source::Source;
use super::text::{compile, finish, first_person, quote, sentences, tidy, word_count};
use crate::import::extract::{asks_about_fault, is_a_claim};

/// One conclusion about fault, as our sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Conclusion {
    /// True when it says there was fault.
    pub(crate) fault: bool,
    /// True when it is about the organisation the decision is about.
    pub(crate) about_org: bool,
    /// True when it has no detail beyond "was (not) at fault" / "no (further) fault by".
    pub(crate) bare: bool,
    /// True when it is about fault beyond an earlier case's ("no further fault").
    pub(crate) further: bool,
    /// Our sentence.
    pub(crate) sentence: String,
    /// True when it also says whether the fault caused an injustice.
    pub(crate) mentions_injustice: bool,
    /// Where it comes from.
    pub(crate) cite: Cite,
    /// For the organisation's admission where the Ombudsman declined to decide ("I do not
    /// need to decide whether there was fault ... The Council has already accepted that"),
    /// its verb: `accepted`, `admitted`.
    pub(crate) admission: Option<String>,
}

static AT_FAULT: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?i)\b(?:was|were)\s+(not\s+)?(?:also\s+)?at\s+fault\b\s*(.*)"));
static THERE_WAS: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\b(there\s+was\s+no|nor\s+was\s+there\s+any|there\s+was)\s+(further\s+)?fault\s+((?:in|by|when)\s+.*)",
    )
});
static FOUND: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\b(?:I|we|the\s+Ombudsm[ae]n)\s+(?:have\s+)?found\s+(no\s+)?(further\s+)?fault\s+((?:in|by|with|when|because)\s+.*)",
    )
});
static FAULT_IT: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)\bthere\s+was\s+fault\s+(?:as\s+|because\s+|in\s+that\s+|when\s+)?it\s+(.*)")
});
static ADMITTED: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\bhas\s+(already\s+)?(admitted|accepted)\s+(?:that\s+)?(?:it\s+(?:was\s+at|acted\s+with)\s+)?fault",
    )
});
/// "The Council has already accepted that", after a sentence asking whether there was fault.
static ACCEPTED_THAT: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^(.*?)\bhas\s+(already\s+)?(admitted|accepted)\s+(?:that|this|it)\s*(?:[.,;]|$|\band\b)",
    )
});
static LEAD_IN: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^(?:and\s+|so\s+|but\s+)?(?:I|we)\s+(?:have\s+)?(?:find|found|consider|considered|am\s+satisfied|decided)\s+(?:that\s+)?",
    )
});
static CLAUSE: LazyLock<Regex> = LazyLock::new(|| compile(r";\s+|,\s+but\s+|\.\s+However,?\s+"));
static AND_THIS: LazyLock<Regex> = LazyLock::new(|| compile(r"\s*, and ((?:this|that|these) )"));
static THIS_DID: LazyLock<Regex> =
    LazyLock::new(|| compile(r"^(this|that) (?:caused|meant|led|left|has caused|did)\b"));
static INJUSTICE: LazyLock<Regex> = LazyLock::new(|| compile(r"(?i)\binjustice\b"));

/// At most this many conclusions.
const MAX_CONCLUSIONS: usize = 3;
/// Words above which a "no fault in ..." beside a finding of fault is left out.
const LONG_ASIDE: usize = 20;
/// A subject of more words than this is not a plain "The council".
const MAX_SUBJECT_WORDS: usize = 4;

/// The part's sentences.
pub(crate) fn part(src: &Source<'_>, reading: &Reading, found: &[Conclusion]) -> Vec<Line> {
    let org = src.org;
    match reading.course {
        Course::NotInvestigated
        | Course::AlreadyPutRight
        | Course::ResolvedEarly
        | Course::Stopped => {
            // Said without a subject: read without its heading (in the data export and
            // search), `It` could stand for the organisation.
            return vec![Line::new(
                format!("No finding was made on whether {org} was at fault."),
                About::Fault,
                reading.cite,
            )];
        }
        Course::Investigated | Course::Unknown => {}
    }
    let mut out: Vec<Line> = found
        .iter()
        .filter(|c| !c.bare || found.iter().all(|o| o.bare))
        .map(|c| Line::new(c.sentence.clone(), About::Fault, c.cite))
        .collect();
    if out.is_empty() {
        return vec![nothing_found(src)];
    }
    let org_fault = found.iter().any(|c| c.fault && c.about_org);
    if org_fault && !found.iter().any(|c| c.mentions_injustice) {
        out.extend(injustice(src, found));
    } else if found.iter().any(|c| INJUSTICE.is_match(&c.sentence)) {
        // A term of art from the Ombudsman's words: explain it in place.
        out.push(Line::note(
            "An injustice is harm or loss that a fault causes.",
        ));
    }
    out
}

/// When no conclusion was found: the summary's sentence of what was found, or else one
/// about fault, quoted; or a note.
fn nothing_found(src: &Source<'_>) -> Line {
    if src.incomplete {
        return Line::note("This copy of the decision stops before the Ombudsman's findings.");
    }
    let summary = src
        .decision
        .summary
        .as_deref()
        .map(sentences)
        .unwrap_or_default();
    // The summary's own sentence of what was found ("We found fault which caused Ms Y
    // injustice."), said of the Ombudsman, before its first sentence, which is most
    // often the complaint.
    if let Some(rest) = summary.iter().find_map(|s| {
        WE_FOUND
            .captures(s)
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().to_string())
    }) {
        return Line::new(
            finish(&tidy(&format!("{} found {rest}", src.ombudsman))),
            About::Fault,
            Cite::Summary,
        );
    }
    if summary.is_empty() {
        return Line::note("This copy of the decision does not say what the Ombudsman found.");
    }
    // A sentence of the summary about what was found, quoted; never the complaint ("Mr X
    // complained the Council ..."), which is not a finding.
    match summary
        .into_iter()
        .find(|s| SPEAKS_OF_FINDINGS.is_match(s) && !is_a_claim(s))
    {
        Some(found) => Line::new(quote(src.ombudsman, &found), About::Fault, Cite::Summary),
        None => Line::note("The decision below sets out what the Ombudsman found."),
    }
}

/// A sentence that speaks of what the Ombudsman found.
static SPEAKS_OF_FINDINGS: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?i)fault|injustice|uphold|\bfound\b|\bfind\b"));

/// A summary sentence saying what the Ombudsman found: `We found fault which ...`.
static WE_FOUND: LazyLock<Regex> =
    LazyLock::new(|| compile(r"^(?:We|I)\s+(?:have\s+)?found\s+((?:no\s+)?fault\b.*?)[.!]?$"));

/// Whether the organisation's fault caused the person an injustice, as the decision's
/// findings record it, when no conclusion (`found`) said.
///
/// "No injustice" is said as narrowly as the paragraph it comes from: of one fault when
/// the conclusions found fault elsewhere too (Kent's late minutes, beside the fault the
/// council admitted), and as "probably" when the paragraph says "unlikely".
fn injustice(src: &Source<'_>, found: &[Conclusion]) -> Option<Line> {
    let d = src.decision;
    let who = src.ombudsman;
    let person = src.person_label();
    let cite = d
        .findings
        .injustice_paragraph
        .map_or(Cite::Summary, Cite::Paragraph);
    let sentence = if d.findings.injustice? {
        format!(
            "The fault caused {person} an injustice. That means it caused {} harm or loss.",
            src.complainant.as_ref().map_or("them", |p| p.object)
        )
    } else {
        let said = match cite {
            Cite::Paragraph(n) => src.paragraph(n).map(|p| p.text.as_str()),
            _ => src.decision.summary.as_deref(),
        };
        let hedged = said.is_some_and(|t| UNLIKELY.is_match(t));
        let elsewhere = found.iter().any(|c| c.fault && c.cite != cite);
        let fault = if elsewhere { "one fault" } else { "the fault" };
        if hedged {
            format!("{who} found {fault} was not likely to have caused {person} real harm or loss.")
        } else {
            format!("{who} found {fault} did not cause {person} real harm or loss.")
        }
    };
    Some(Line::new(sentence, About::Injustice, cite))
}

/// A finding of no injustice said as a likelihood.
static UNLIKELY: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?i)\b(?:unlikely|not\s+likely|probably\s+(?:did\s+)?not)\b"));

/// The Ombudsman's conclusions about fault: from the final decision, then its summary,
/// then its findings, until one has detail.
pub(crate) fn conclusions(src: &Source<'_>) -> Vec<Conclusion> {
    let mut found: Vec<Conclusion> = Vec::new();
    let final_decision = src
        .section(|h| h.contains("final decision") || h == "decision" || h.contains("conclusion"));
    if let Some(section) = final_decision {
        for para in &section.paragraphs {
            collect(&para.text, src, Cite::Paragraph(para.number), &mut found);
        }
    }
    // Read on while nothing said has detail about the organisation itself.
    let more = |found: &[Conclusion]| found.iter().all(|c| c.bare || !c.about_org);
    if more(&found) {
        if let Some(summary) = &src.decision.summary {
            collect(summary, src, Cite::Summary, &mut found);
        }
    }
    if more(&found) {
        if let Some(section) =
            src.section(|h| h.contains("findings") || h == "analysis" || h.contains("found"))
        {
            for para in &section.paragraphs {
                collect(&para.text, src, Cite::Paragraph(para.number), &mut found);
            }
        }
    }
    // Beside a finding of fault, a long "no fault in ..." is left to the decision.
    if found.iter().any(|c| c.fault) {
        found.retain(|c| c.fault || word_count(&c.sentence) <= LONG_ASIDE);
    }
    while found.len() > MAX_CONCLUSIONS {
        match found.iter().rposition(|c| c.bare) {
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
    found
}

/// Every conclusion in `text`, from `cite`, appended to `out` unless already there.
fn collect(text: &str, src: &Source<'_>, cite: Cite, out: &mut Vec<Conclusion>) {
    let all = sentences(text);
    for (k, sentence) in all.iter().enumerate() {
        // A conclusion needs the word "fault": most sentences are passed over unsplit. What
        // someone says or believes is no conclusion.
        if !has_fault(sentence) || is_a_claim(sentence) {
            continue;
        }
        let parts: Vec<&str> = CLAUSE.split(sentence).collect();
        for (i, clause) in parts.iter().enumerate() {
            if asks_about_fault(clause) {
                // A question, not a finding; what answers it may follow.
                let answer = all
                    .get(k + 1)
                    .and_then(|next| accepted_after_question(next, src.org, cite))
                    .map(|mut c| {
                        c.sentence = tidy(&c.sentence);
                        c
                    });
                if let Some(c) = answer.filter(|c| !out.iter().any(|o| o.sentence == c.sentence)) {
                    out.push(c);
                }
                continue;
            }
            let after_org = out.last().is_some_and(|c| c.about_org);
            // "The appeal panel did not properly consider the case. It was at fault.": `It`
            // is the body the sentence before is about, when that is another body.
            // So is the `it` of "...; there was fault because it did not explain the delay"
            // after a clause about another body.
            let named;
            let body = if i == 0 {
                k.checked_sub(1)
                    .and_then(|b| other_subject(&all[b], src.org))
            } else {
                other_subject(sentence, src.org)
            };
            let clause = match body {
                Some(body) if IT.is_match(clause) => {
                    named = IT.replace(clause, format!("{body} ")).into_owned();
                    named.as_str()
                }
                Some(body) if FAULT_IT.is_match(clause) => {
                    named = FAULT_IT
                        .replace(clause, |c: &regex::Captures<'_>| {
                            format!("{body} was at fault because it {}", &c[1])
                        })
                        .into_owned();
                    named.as_str()
                }
                _ => clause,
            };
            let Some(mut c) = conclusion(clause, src, after_org, cite) else {
                continue;
            };
            let tail = parts
                .get(i + 1)
                .filter(|t| INJUSTICE.is_match(t) && !is_conclusion(t));
            if let Some(tail) = tail {
                c.sentence = format!("{}, but {}", c.sentence.trim_end_matches('.'), tail);
                c.mentions_injustice = true;
                c.bare = false;
            }
            c.sentence = split_consequence(&tidy(&c.sentence));
            if first_person(&c.sentence) {
                // No sure rewrite: the Ombudsman's own words, quoted.
                c.sentence = quote(src.ombudsman, sentence);
            }
            if word_count(&c.sentence) <= 30 && !out.iter().any(|o| o.sentence == c.sentence) {
                out.push(c);
            }
        }
    }
}

/// A clause whose subject is `It` or `They`.
static IT: LazyLock<Regex> = LazyLock::new(|| compile(r"^\s*(?:It|They)\s+"));
/// The subject a sentence opens with, when it is a body: "The appeal panel", "The school's
/// governing body".
static OPENING_BODY: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"^\s*((?:The|the)\s+(?:[\w’']+\s+){0,3}?(?:panel|governing\s+body|governors|trust|care\s+provider|provider|council|group))\b",
    )
});

/// The body `sentence` opens with as its subject, when it is not the organisation.
fn other_subject(sentence: &str, org: &str) -> Option<String> {
    let body = OPENING_BODY.captures(sentence)?.get(1)?.as_str();
    names_other_body(body, org).then(|| capitalise(body))
}

/// `..., and this delay caused ...` becomes a sentence of its own. A bare `this` or
/// `that` before a verb is the fault the first half states, and is named so
/// (`at fault, and this caused ...` becomes `at fault. The fault caused ...`): the second
/// sentence then reads on its own when the first was already said.
fn split_consequence(sentence: &str) -> String {
    let Some((whole, this)) = AND_THIS
        .captures(sentence)
        .and_then(|c| Some((c.get(0)?, c.get(1)?)))
    else {
        return sentence.to_string();
    };
    let head = &sentence[..whole.start()];
    let rest = &sentence[this.start()..];
    let rest = match THIS_DID.captures(rest) {
        Some(c) => format!("The fault {}", &rest[c[1].len() + 1..]),
        None => capitalise(rest),
    };
    format!("{head}. {rest}")
}

fn is_conclusion(clause: &str) -> bool {
    AT_FAULT.is_match(clause)
        || THERE_WAS.is_match(clause)
        || ADMITTED.is_match(clause)
        || FOUND.is_match(clause)
}

/// The words that name the organisation a decision is about, in a subject.
fn org_words(org: &str) -> &'static [&'static str] {
    match org {
        "the council" => &["council", "authority"],
        "the trust" => &["trust"],
        "the NHS body" => &["trust", "board", "group", "body"],
        "the care provider" => &[
            "provider",
            "care home",
            "the home",
            "company",
            "limited",
            "ltd",
        ],
        _ => &[],
    }
}

/// True when `text` names a body other than the organisation (the council in a trust's
/// case).
fn names_other_body(text: &str, org: &str) -> bool {
    let lower = text.to_lowercase();
    let own = org_words(org);
    // An appeal panel (a school admissions appeal) and a school's governing body are bodies
    // of their own: their fault is not the trust's or the council's.
    [
        "council",
        "trust",
        "care provider",
        "provider",
        "group",
        "panel",
        "governing body",
        "governors",
    ]
    .iter()
    .any(|w| lower.contains(w) && !own.iter().any(|o| o.contains(w) || w.contains(o)))
}

/// True when a finding's `detail` is the organisation's to answer for: it names no other
/// body, or names one the organisation is responsible for ("fault by the care provider, for
/// which the Council is responsible": the Ombudsman holds a council to account for what it
/// commissions).
fn answers_for(detail: &str, org: &str) -> bool {
    static RESPONSIBLE: LazyLock<Regex> = LazyLock::new(|| {
        compile(
            r"(?i)\bfor\s+which\s+(?:the\s+)?(?:council|authority|trust)\s+(?:is|was|remains)\s+(?:also\s+)?responsible\b|\bon\s+(?:the\s+)?(?:council|authority|trust)['’]s\s+behalf\b|\bon\s+behalf\s+of\s+the\s+(?:council|authority|trust)\b",
        )
    });
    !names_other_body(detail, org) || RESPONSIBLE.is_match(detail)
}

/// Whom a conclusion's subject names: the organisation (`Some(None)`, the sentence uses
/// our noun or `It`), another body (`Some(Some(name))`), or nothing we can name (`None`).
fn subject(before: &str, org: &str) -> Option<Option<String>> {
    let s = LEAD_IN.replace(before.trim(), "");
    let s = s.trim().trim_end_matches(',');
    let lower = s.to_lowercase();
    if lower.is_empty() || word_count(s) > MAX_SUBJECT_WORDS {
        return None;
    }
    if lower == "it" || lower == "they" || org_words(org).iter().any(|w| lower.ends_with(w)) {
        return Some(None);
    }
    let named = s.starts_with("The ") || s.starts_with("the ");
    (named && names_other_body(s, org)).then(|| Some(capitalise(tidy(s).trim_end_matches('.'))))
}

/// True when `text` holds "fault" in any case. Case-insensitive matching of these letters
/// is ASCII-only (no other character folds to one of them), so this is what the patterns'
/// `(?i)fault` needs.
fn has_fault(text: &str) -> bool {
    text.as_bytes()
        .windows(5)
        .any(|w| w.eq_ignore_ascii_case(b"fault"))
}

/// True when a conclusion's detail adds nothing to "was (not) at fault" / "no fault by X".
fn is_bare(detail: &str) -> bool {
    let d = detail.trim().trim_end_matches('.');
    d.is_empty()
        || (d.starts_with("by ")
            && word_count(d) <= 4
            && !INJUSTICE.is_match(d)
            && !d.contains(" which"))
}

/// One clause as a conclusion about fault, or `None` when it is not one. `after_org`: the
/// conclusion before it was about the organisation, so `It` may name it.
fn conclusion(clause: &str, src: &Source<'_>, after_org: bool, cite: Cite) -> Option<Conclusion> {
    // Every pattern below needs the word: most clauses are passed over without them.
    if !has_fault(clause) {
        return None;
    }
    let org = src.org;
    let org_subject = if after_org {
        "It".to_string()
    } else {
        capitalise(org)
    };
    let mentions_injustice = INJUSTICE.is_match(clause);
    let said = match AT_FAULT.captures(clause) {
        // "... was at fault" whose subject is not a body is no conclusion at all.
        Some(c) => Some(at_fault(clause, &c, org, &org_subject)?),
        None => found_fault(clause, src)
            .or_else(|| {
                FAULT_IT.captures(clause).map(|c| Said {
                    fault: true,
                    about_org: true,
                    bare: false,
                    further: false,
                    sentence: format!("{org_subject} was at fault because it {}", &c[1]),
                })
            })
            .or_else(|| there_was(clause, org)),
    };
    if let Some(said) = said {
        return Some(Conclusion {
            fault: said.fault,
            about_org: said.about_org,
            bare: said.bare && !mentions_injustice,
            further: said.further,
            sentence: said.sentence,
            mentions_injustice,
            cite,
            admission: None,
        });
    }
    let c = ADMITTED.captures(clause)?;
    // Only the organisation's own admission: "The Trust has accepted fault" in a council's
    // case is the trust's.
    let before = &clause[..c.get(0).map_or(0, |m| m.start())];
    if !before.trim().is_empty() && !matches!(subject(before, org), Some(None)) {
        return None;
    }
    // Beside it, as a rule, the Ombudsman's own findings: not an admission alone.
    Some(admitted(org, c.get(1).is_some(), &c[2], cite, false))
}

/// "The council had (already) admitted/accepted it was at fault", from `cite`.
/// `alone`: the Ombudsman declined to decide, so the admission is all there is.
fn admitted(org: &str, already: bool, verb: &str, cite: Cite, alone: bool) -> Conclusion {
    let already = if already { "already " } else { "" };
    let verb = verb.to_lowercase();
    Conclusion {
        fault: true,
        about_org: true,
        bare: false,
        further: false,
        sentence: format!("{} had {already}{verb} it was at fault", capitalise(org)),
        mentions_injustice: false,
        cite,
        admission: alone.then_some(verb),
    }
}

/// After a sentence that asks whether there was fault ("I do not need to decide whether
/// there was fault in this case."), `next` saying the organisation "has already accepted
/// that": the organisation's admission, the only finding the pair makes.
fn accepted_after_question(next: &str, org: &str, cite: Cite) -> Option<Conclusion> {
    let c = ACCEPTED_THAT.captures(next)?;
    // Only the organisation's own acceptance: "Mr X has accepted that" is not its.
    matches!(subject(&c[1], org), Some(None))
        .then(|| admitted(org, c.get(2).is_some(), &c[3], cite, true))
}

/// What one clause says about fault, as our sentence (see [`Conclusion`]).
struct Said {
    fault: bool,
    about_org: bool,
    bare: bool,
    further: bool,
    sentence: String,
}

/// "... was (not) at fault ..." (`c`, the pattern's match in `clause`): about the
/// organisation unless it names another body; `None` when its subject is not a body.
fn at_fault(clause: &str, c: &regex::Captures<'_>, org: &str, org_subject: &str) -> Option<Said> {
    let whole = c.get(0)?;
    let who = subject(&clause[..whole.start()], org)?;
    let not = c.get(1).map_or("", |_| "not ");
    let detail = c.get(2).map_or("", |m| m.as_str());
    // `at fault, and this caused ...` keeps its consequence; `at fault. It ...` not.
    let detail = if detail.starts_with(|ch: char| ch.is_alphabetic() || ch == ',') {
        detail
    } else {
        ""
    };
    let about_org = who.is_none();
    let name = who.unwrap_or_else(|| org_subject.to_string());
    Some(Said {
        fault: not.is_empty(),
        about_org,
        bare: detail.trim().is_empty(),
        further: false,
        sentence: format!("{name} was {not}at fault {detail}"),
    })
}

/// "I found (no) (further) fault in ...".
fn found_fault(clause: &str, src: &Source<'_>) -> Option<Said> {
    let c = FOUND.captures(clause)?;
    let no = c.get(1).map_or("", |_| "no ");
    let further = c.get(2).is_some();
    // "no further fault by the Council, further to that identified by our earlier
    // investigation": the earlier case is the complaint's; the finding is the first half.
    let detail = c[3].split(", further to").next().unwrap_or_default();
    let more = if further { "further " } else { "" };
    Some(Said {
        fault: no.is_empty(),
        about_org: answers_for(detail, src.org),
        bare: is_bare(detail),
        further,
        sentence: format!("{} found {no}{more}fault {detail}", src.ombudsman),
    })
}

/// "There was (no) (further) fault in/by/when ...".
fn there_was(clause: &str, org: &str) -> Option<Said> {
    let c = THERE_WAS.captures(clause)?;
    let fault = c[1].eq_ignore_ascii_case("there was");
    let further = c.get(2).is_some();
    let detail = &c[3];
    let no = if fault { "" } else { "no " };
    let more = if further { "further " } else { "" };
    Some(Said {
        fault,
        about_org: answers_for(detail, org),
        bare: is_bare(detail),
        further,
        sentence: format!("There was {no}{more}fault {detail}"),
    })
}

#[cfg(test)]
mod tests;
