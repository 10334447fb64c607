//! The remedies a decision names: what the organisation agreed to do (from the agreed or
//! recommended action section), whether it agreed to each (a refusal there or in the final
//! decision marks what it names as not agreed; `consider ...` and `if ...` are only
//! conditional), an amount only where it is a sum (not `£50 a month` nor `up to £150`),
//! and an apology it had already made (from the findings or summary).

use std::sync::LazyLock;

use regex::Regex;

use super::extract::{clauses, Passage, SENTENCE_END};
use crate::decision::{Commitment, Money, Remedy, RemedyKind};

static MONEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"£\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{2}))?").expect("static regex")
});
static DEADLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bwithin\s+(?:a|an|one|two|three|four|five|six|eight|ten|twelve|\d+)\s+(?:working\s+)?(?:days?|weeks?|months?)")
        .expect("static regex")
});
static PERSON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Mx)\s+[A-Z]\b|\bthe\s+complainant\b").expect("static regex")
});
static ALREADY_APOLOGISED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bhas\s+(?:already\s+)?apologised\b|\bapologised\s+to\s+(?:Mr|Mrs|Ms|Miss|Dr|Mx)\s+[A-Z]\b|\bhas\s+admitted\s+it\s+was\s+at\s+fault,\s+apologised\b")
        .expect("static regex")
});

/// A sentence saying the organisation did not take a remedy on.
static NOT_AGREED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:refused|refuses|declined|declines|rejected|rejects)\b|\b(?:has|have|had|did|does|do|would|will)\s+not\s+(?:agreed?|accepted?)\b|\b(?:hasn't|didn't|doesn't|won't)\s+(?:agreed?|accept(?:ed)?)\b")
        .expect("static regex")
});
/// A refusal that was later taken back, or only at first: not a refusal at the end.
static REFUSED_ONCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:initially|at\s+first|originally|previously|now\s+agreed|later\s+agreed|since\s+agreed|has\s+now)\b")
        .expect("static regex")
});
/// A refusal of every recommendation, not of one of them.
static REFUSED_ALL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\brecommendations?\b|\bto\s+remedy\b|\bremed(?:y|ies)\b|\bany\s+of\b|\bour\s+(?:proposed\s+)?(?:action|remedy)\b|\bthe\s+(?:proposed\s+|agreed\s+)?action\b")
        .expect("static regex")
});
/// A clause saying the organisation agreed to something.
static AGREED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:agreed|agrees|accepted|accepts)\b").expect("static regex")
});
/// A remedy only to be considered, or done only if something is so.
static CONDITIONAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\W*if\b|\bconsider\b").expect("static regex"));
/// A remedy already done when the decision was made.
static ALREADY_DONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:has|had|have)\s+already\s+(?:paid|apologised|refunded|reimbursed|made|sent|carried\s+out|completed|reviewed|reassessed)\b")
        .expect("static regex")
});
/// An amount that is a rate or a most, not a sum (`£50 a month`, `up to £150`).
static RATE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:a|an|per|each|every|for\s+each|for\s+every)\s+(?:day|night|week|fortnight|month|year|quarter|hour)\b").expect("static regex")
});
static CAP_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bup\s+to\s*$").expect("static regex"));

fn is_action_section(section: &str) -> bool {
    (section.contains("action") || section.contains("recommendation"))
        && !section.contains("what i have")
}

/// The remedies: what the organisation agreed to do (from the agreed or recommended
/// action section), and an apology it had already made (from the findings or summary).
/// A sentence there saying the organisation did not agree to a remedy marks it
/// [`Commitment::NotAgreed`] (all of them when it refuses the recommendations), and is
/// no remedy itself; as does one in the final decision.
pub fn remedies(passages: &[Passage<'_>]) -> Vec<Remedy> {
    let mut out = from_action_sections(passages);
    for p in passages
        .iter()
        .filter(|p| matches!(p.section.as_str(), "final decision" | "decision"))
    {
        for clause in clauses(&p.text) {
            if NOT_AGREED.is_match(&clause) && !REFUSED_ONCE.is_match(&clause) {
                mark_not_agreed(&mut out, &clause);
            }
        }
    }
    // "apologise to Mr X and pay him £200" is two remedies.
    let mut i = 0;
    while i < out.len() {
        if out[i].kind == RemedyKind::Apology && out[i].amount.is_some() {
            let payment = Remedy {
                kind: RemedyKind::Payment,
                ..out[i].clone()
            };
            out[i].amount = None;
            out.insert(i + 1, payment);
            i += 1;
        }
        i += 1;
    }
    if !out.iter().any(|r| r.kind == RemedyKind::Apology) {
        if let Some(r) = already_made_apology(passages) {
            out.insert(0, r);
        }
    }
    out
}

/// The remedies of the agreed or recommended action sections, each once, those a
/// sentence there refuses marked.
fn from_action_sections(passages: &[Passage<'_>]) -> Vec<Remedy> {
    let mut out = Vec::new();
    for p in passages.iter().filter(|p| is_action_section(&p.section)) {
        let Some(para) = p.paragraph else { continue };
        let intro = para.text();
        let intro_deadline = deadline(&intro);
        if para.items.is_empty() {
            if !NOT_AGREED.is_match(&intro) {
                if let Some(r) = remedy(&intro, None, p.number) {
                    push_new(&mut out, r);
                }
                continue;
            }
            // What the organisation said to the recommendations: the parts it refused
            // are marked, the parts it agreed to are remedies, the rest is explanation.
            for clause in clauses(&intro) {
                if NOT_AGREED.is_match(&clause) {
                    not_agreed(&mut out, &clause, p.number);
                } else if AGREED.is_match(&clause) {
                    if let Some(r) = remedy(&clause, None, p.number) {
                        push_new(&mut out, r);
                    }
                }
            }
            continue;
        }
        for item in &para.items {
            if let Some(r) = remedy(&item.text, intro_deadline.clone(), p.number) {
                push_new(&mut out, r);
            }
        }
    }
    out
}

/// Adds `r` unless a remedy of its kind, amount and person is already there (a
/// paragraph saying what the organisation agreed to of the recommendations before it).
fn push_new(out: &mut Vec<Remedy>, r: Remedy) {
    let same = |o: &Remedy| {
        o.kind == r.kind
            && o.amount == r.amount
            && o.already_done == r.already_done
            && (r.to.is_none() || o.to == r.to)
            && matches!(r.kind, RemedyKind::Apology | RemedyKind::Payment)
    };
    if !out.iter().any(same) {
        out.push(r);
    }
}

/// A sentence of an action section saying the organisation did not agree: the remedies
/// it names are marked, or added as not agreed when none before names them.
fn not_agreed(out: &mut Vec<Remedy>, sentence: &str, paragraph: Option<u32>) {
    if REFUSED_ONCE.is_match(sentence) {
        return;
    }
    if mark_not_agreed(out, sentence) {
        return;
    }
    if let Some(mut r) = remedy(sentence, None, paragraph) {
        if r.kind != RemedyKind::Other {
            r.commitment = Commitment::NotAgreed;
            out.push(r);
        }
    }
}

/// Marks the remedies a refusal names (all of them when it refuses the recommendations
/// or the remedy); whether it named any.
fn mark_not_agreed(out: &mut [Remedy], sentence: &str) -> bool {
    let lower = sentence.to_lowercase();
    let amount = amount_in(sentence);
    let kind = classify(&lower, amount.is_some());
    let specific = kind != RemedyKind::Other;
    let all = !specific && REFUSED_ALL.is_match(sentence);
    let mut marked = false;
    for r in out.iter_mut().filter(|r| !r.already_done) {
        let named = all
            || (specific
                && r.kind == kind
                && (amount.is_none() || r.amount == amount || r.amount.is_none()));
        if named {
            r.commitment = Commitment::NotAgreed;
            marked = true;
        }
    }
    marked
}

/// The first amount in `text` that is a sum: not a rate (`£50 a month`) nor a most (`up
/// to £150`), which no total may add.
fn amount_in(text: &str) -> Option<Money> {
    let c = MONEY.captures(text)?;
    let whole = c.get(0)?;
    if RATE_AFTER.is_match(&text[whole.end()..]) || CAP_BEFORE.is_match(&text[..whole.start()]) {
        return None;
    }
    let pounds: u64 = c.get(1)?.as_str().replace(',', "").parse().ok()?;
    let pence: u64 = c.get(2).map_or(Some(0), |m| m.as_str().parse().ok())?;
    Some(Money {
        pence: pounds * 100 + pence,
    })
}

fn remedy(
    text: &str,
    inherited_deadline: Option<String>,
    paragraph: Option<u32>,
) -> Option<Remedy> {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed.ends_with(':') && !MONEY.is_match(trimmed) {
        return None;
    }
    let lower = trimmed.to_lowercase();
    let amount = amount_in(trimmed);
    let kind = classify(&lower, amount.is_some() || MONEY.is_match(trimmed));
    let to = (kind == RemedyKind::Payment || kind == RemedyKind::Apology)
        .then(|| PERSON.find(trimmed).map(|m| recipient(trimmed, m)))
        .flatten();
    Some(Remedy {
        kind,
        text: trimmed.to_string(),
        amount,
        to,
        deadline: deadline(trimmed).or(inherited_deadline),
        already_done: ALREADY_DONE.is_match(trimmed),
        commitment: if CONDITIONAL.is_match(trimmed) {
            Commitment::Conditional
        } else {
            Commitment::Agreed
        },
        paragraph,
    })
}

/// Who a remedy goes to: the person named, or their estate (`Mr Z’s estate`), as the
/// decision writes it.
fn recipient(text: &str, person: regex::Match<'_>) -> String {
    let after = &text[person.end()..];
    let estate = ["’s estate", "'s estate"]
        .iter()
        .find(|e| after.starts_with(**e));
    match estate {
        Some(e) => format!("{}{e}", person.as_str()),
        None => person.as_str().to_string(),
    }
}

fn classify(lower: &str, has_amount: bool) -> RemedyKind {
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    if has(&["apolog"]) {
        RemedyKind::Apology
    } else if has_amount || has(&[" pay ", "pay ", "payment"]) {
        RemedyKind::Payment
    } else if has(&["training", "train "]) {
        RemedyKind::Training
    } else if has(&[
        "review",
        "reconsider",
        "reassess",
        "re-assess",
        "fresh assessment",
        "new assessment",
    ]) {
        RemedyKind::Review
    } else if has(&["with evidence", "evidence of", "evidence it has"]) {
        RemedyKind::Other
    } else if has(&[
        "remind",
        "procedure",
        "policy",
        "policies",
        "guidance",
        "process",
        "practice",
        "action plan",
        "improve",
    ]) {
        RemedyKind::ProcedureChange
    } else {
        RemedyKind::Other
    }
}

fn deadline(text: &str) -> Option<String> {
    DEADLINE.find(text).map(|m| {
        let s = m.as_str();
        let mut chars = s.chars();
        chars
            .next()
            .map(|c| c.to_lowercase().chain(chars).collect())
            .unwrap_or_default()
    })
}

/// The first sentence, in the findings, final decision or summary, that says the
/// organisation has already apologised.
fn already_made_apology(passages: &[Passage<'_>]) -> Option<Remedy> {
    let allowed = |s: &str| {
        matches!(
            s,
            "summary" | "final decision" | "what i found" | "analysis" | "conclusions"
        )
    };
    // The Ombudsman's paragraphs first, with their numbers; the summary last.
    let numbered = passages.iter().filter(|p| p.number.is_some());
    let summary = passages.iter().filter(|p| p.number.is_none());
    numbered
        .chain(summary)
        .filter(|p| allowed(&p.section) && p.text.contains("pologis"))
        .find_map(|p| {
            let sentence = SENTENCE_END
                .split(&p.text)
                .find(|s| ALREADY_APOLOGISED.is_match(s))?;
            let sentence = sentence.trim();
            let sentence = if sentence.ends_with('.') {
                sentence.to_string()
            } else {
                format!("{sentence}.")
            };
            Some(Remedy {
                kind: RemedyKind::Apology,
                to: PERSON.find(&sentence).map(|m| m.as_str().to_string()),
                text: sentence,
                amount: None,
                deadline: None,
                already_done: true,
                commitment: Commitment::Agreed,
                paragraph: p.number,
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_read_a_payment_with_amount_person_and_deadline() {
        let r = remedy(
            "pay Mr B £1,250.50 and",
            Some("within one month".into()),
            Some(34),
        )
        .expect("remedy");
        assert_eq!(r.kind, RemedyKind::Payment);
        assert_eq!(r.amount, Some(Money { pence: 125_050 }));
        assert_eq!(r.to.as_deref(), Some("Mr B"));
        assert_eq!(r.deadline.as_deref(), Some("within one month"));
        assert_eq!(r.paragraph, Some(34));
    }

    #[test]
    fn can_classify_remedies() {
        let kind = |t: &str| classify(&t.to_lowercase(), false);
        assert_eq!(kind("Send Mr X a written apology"), RemedyKind::Apology);
        assert_eq!(
            kind("remind the relevant staff of the deadline"),
            RemedyKind::ProcedureChange
        );
        assert_eq!(kind("provide training to its staff"), RemedyKind::Training);
        assert_eq!(kind("review its decision"), RemedyKind::Review);
        assert_eq!(
            kind("place a copy of the decision on Mr X's records"),
            RemedyKind::Other
        );
    }

    #[test]
    fn pays_an_estate_as_the_decision_says() {
        let r = remedy("refund £6,480 to Mr Z’s estate;", None, Some(9)).expect("remedy");
        assert_eq!(r.to.as_deref(), Some("Mr Z’s estate"));
        let r = remedy("pay Mr Z £100;", None, Some(9)).expect("remedy");
        assert_eq!(r.to.as_deref(), Some("Mr Z"));
    }

    #[test]
    fn reads_a_rate_or_a_most_as_no_sum() {
        let sum = |t: &str| amount_in(t).map(|m| m.pence / 100);
        assert_eq!(sum("pay Mrs Y £50 a month until it has paid"), None);
        assert_eq!(sum("pay Mr X £175 for each week"), None);
        assert_eq!(sum("pay Mr X £20 per night"), None);
        assert_eq!(sum("consider paying Miss B up to £150"), None);
        assert_eq!(
            sum("pay Ms Y £1,400, which is £175 for each week beyond six weeks"),
            Some(1400)
        );
        assert_eq!(sum("pay Mr X £300 to recognise his distress"), Some(300));
    }

    #[test]
    fn marks_a_remedy_to_consider_or_on_a_condition() {
        let commitment = |t: &str| remedy(t, None, Some(7)).map(|r| r.commitment);
        assert_eq!(
            commitment("consider whether to pay Mrs Y a further £100"),
            Some(Commitment::Conditional)
        );
        assert_eq!(
            commitment("if the review shows she was rehoused late, pay her £150"),
            Some(Commitment::Conditional)
        );
        assert_eq!(
            commitment("reconsider its decision on Mr X's application"),
            Some(Commitment::Agreed)
        );
        assert_eq!(commitment("apologise to Mr X"), Some(Commitment::Agreed));
    }

    #[test]
    fn marks_what_a_refusal_names_and_keeps_one_taken_back() {
        let mut out: Vec<Remedy> = ["apologise to Mr X;", "pay Mr X £300;", "review its policy."]
            .iter()
            .filter_map(|t| remedy(t, None, Some(5)))
            .collect();
        assert!(mark_not_agreed(
            &mut out,
            "It did not agree to pay Mr X £300"
        ));
        let agreed: Vec<bool> = out.iter().map(Remedy::is_agreed).collect();
        assert_eq!(agreed, [true, false, true]);
        not_agreed(
            &mut out,
            "The Council initially refused to apologise",
            Some(6),
        );
        assert!(out[0].is_agreed(), "a refusal taken back is no refusal");
        assert!(mark_not_agreed(
            &mut out,
            "The Council has refused our recommendations"
        ));
        assert!(out.iter().all(|r| !r.is_agreed()));
    }
}
