//! The organisation saying no to a remedy: "The Council did not agree to pay Mr X £300",
//! "The care provider has refused to carry out these recommendations", "It has refused."
//!
//! Read only where the organisation is the subject (`the council`, `it`, `the trust`,
//! ...), so that the complainant declining an offer is no refusal; only of what is to come
//! (`to pay`, `the recommendations`, nothing more), so that "the Council refused Mr X's
//! request", the fault itself, is none either; and not in a sentence about fault or about
//! the complaint's history ("when it refused", "in its complaint response").

use std::sync::LazyLock;

use regex::Regex;

use super::{amount_in, classify, remedy};
use crate::decision::{Commitment, Remedy, RemedyKind};

/// The organisation as the subject of a refusal, then the refusal; what it refuses follows.
static REFUSAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:the\s+(?:council|trust|authority|care\s+provider|provider|school|academy|board|icb|organisation|company|home)|it|they)\s+(?:(?:has|have|had|did|does|do|would|will|still|also|then|now|subsequently|again)\s+)*(?:refused|refuses|declined|declines|rejected|rejects|not\s+(?:agree|agreed|accept|accepted)|(?:hasn't|didn't|doesn't|won't)\s+(?:agree|agreed|accept|accepted))\b",
    )
    .expect("static regex")
});
/// A refusal that belongs to the complaint's history or to the fault, not to the remedy.
static NOT_OF_THE_REMEDY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bfault\b|\bcomplaint\s+response\b|\bresponse\s+to\s+(?:his|her|their|the)\s+complaint\b|\bat\s+the\s+time\b|\bwhen\b|\bin\s+\d{4}\b|\binitially\b|\bat\s+first\b")
        .expect("static regex")
});
/// The organisation's refusal after `but`, itself the subject of the sentence: "The
/// Council agreed to apologise but declined to pay Mr X".
static BUT_REFUSAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\W*(?:the\s+(?:council|trust|authority|care\s+provider|provider|school|academy|board|icb|organisation|company|home)|it|they)\b[^.;]*?,?\s+but\s+(?:(?:has|had|did|does|would|will|then|still)\s+)*(?:refused|declined|rejected|not\s+(?:agree|agreed|accept|accepted))\b",
    )
    .expect("static regex")
});
/// Everything but one remedy: "agreed to all but the payment", "has agreed to my
/// recommendations, except the payment to Mr X".
static ALL_BUT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:agreed\s+to|accepted)\s+(?:all|everything|(?:all\s+)?(?:of\s+)?(?:my|our|the)\s+recommendations)\s*,?\s+(?:but|except(?:\s+for)?)\s+(.+?)\W*$")
        .expect("static regex")
});
/// What refuses every recommendation: the recommendations, the remedy, or nothing named.
static ALL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:to\s+)?(?:(?:carry\s+out|implement|follow|comply\s+with|act\s+on|accept|agree\s+to)\s+)?(?:(?:the|my|our|these|this|those|any\s+of\s+(?:the|my|our))\s+)?(?:(?:proposed\s+|recommended\s+)?(?:recommendations?|remedy|remedies|action))\b|^\W*(?:to\s+)?remedy\b|^\W*(?:to(?:\s+(?:do\s+(?:so|this|that|it)|comply))?)?\W*$")
        .expect("static regex")
});
/// What goes beyond the remedies named: "any further payment".
static BEYOND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:further|additional|more|remaining|any\s+other|the\s+rest)\b")
        .expect("static regex")
});
/// A later sentence taking a refusal back: "After further correspondence, it accepted the
/// recommendation", "it has now agreed".
static TAKEN_BACK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:accepted|agreed\s+to)\s+(?:the|my|our|all|these)\s+(?:\w+\s+)?recommendations?\b|\b(?:now|since|later|subsequently)\s+(?:agreed|accepted)\b")
        .expect("static regex")
});

/// What a refusal refuses: every remedy, or the words after it (`pay Mr X £300`).
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Refused<'a> {
    All,
    These(&'a str),
}

/// The refusal `clause` makes, if it is the organisation's refusal of a remedy.
pub(super) fn refusal(clause: &str) -> Option<Refused<'_>> {
    if let Some(c) = ALL_BUT.captures(clause) {
        return c.get(1).map(|m| Refused::These(m.as_str()));
    }
    let m = REFUSAL.find(clause).or_else(|| BUT_REFUSAL.find(clause))?;
    if NOT_OF_THE_REMEDY.is_match(clause) {
        return None;
    }
    let rest = clause[m.end()..].trim();
    if ALL.is_match(rest) {
        return Some(Refused::All);
    }
    let object = rest.strip_prefix("to ")?;
    (!BEYOND.is_match(object)).then_some(Refused::These(object.trim_end_matches(['.', ';', ','])))
}

/// Whether `clause` takes back a refusal before it.
pub(super) fn takes_back(clause: &str) -> bool {
    TAKEN_BACK.is_match(clause)
}

/// Marks what `refused` names among `out` as not agreed, or adds it as a remedy not
/// agreed (from `paragraph`) when none names it. A refusal of a kind of remedy with no
/// amount marks the one remedy of that kind, and none when there are several.
pub(super) fn apply(out: &mut Vec<Remedy>, refused: &Refused<'_>, paragraph: Option<u32>) {
    let open = |r: &&mut Remedy| !r.already_done;
    let object = match refused {
        Refused::All => {
            for r in out.iter_mut().filter(open) {
                r.commitment = Commitment::NotAgreed;
            }
            return;
        }
        Refused::These(object) => *object,
    };
    // "apologise or pay Mr X for his distress": each one refused.
    static EACH: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\s+(?:or|and)\s+(?:to\s+)?").expect("static regex"));
    let parts: Vec<&str> = EACH.split(object).collect();
    if parts.len() > 1 && parts.iter().all(|p| starts_with_a_remedy(p)) {
        for part in parts {
            apply(out, &Refused::These(part), paragraph);
        }
        return;
    }
    let amount = amount_in(object);
    let kind = classify(&object.to_lowercase(), amount.is_some());
    if kind == RemedyKind::Other {
        return;
    }
    let mut named: Vec<&mut Remedy> = out
        .iter_mut()
        .filter(open)
        .filter(|r| r.kind == kind && (amount.is_none() || r.amount == amount))
        .collect();
    match named.len() {
        0 => {
            if let Some(mut r) = remedy(object, None, paragraph) {
                r.commitment = Commitment::NotAgreed;
                out.push(r);
            }
        }
        1 => named[0].commitment = Commitment::NotAgreed,
        _ if amount.is_some() => {
            for r in named {
                r.commitment = Commitment::NotAgreed;
            }
        }
        // Several of the kind: the one whose purpose the refusal repeats ("pay Mr X for
        // his distress"), if just one does.
        _ => {
            let purpose = object.find(" for ").map(|at| &object[at..]);
            let mut same: Vec<&mut Remedy> = named
                .into_iter()
                .filter(|r| purpose.is_some_and(|p| r.text.contains(p)))
                .collect();
            if let [r] = same.as_mut_slice() {
                r.commitment = Commitment::NotAgreed;
            }
        }
    }
}

/// Whether `text` opens with what a remedy asks for (`pay ...`, `apologise ...`).
fn starts_with_a_remedy(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or("").to_lowercase();
    [
        "apologise",
        "apologize",
        "pay",
        "refund",
        "reimburse",
        "review",
        "reassess",
        "reconsider",
        "remind",
        "train",
        "provide",
        "make",
        "offer",
        "carry",
        "write",
    ]
    .contains(&first.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_only_the_organisations_refusal_of_a_remedy() {
        assert_eq!(
            refusal("It did not agree to pay Mr X £300."),
            Some(Refused::These("pay Mr X £300"))
        );
        assert_eq!(
            refusal("The Council has refused to carry out these recommendations"),
            Some(Refused::All)
        );
        assert_eq!(
            refusal("The care provider has refused."),
            Some(Refused::All)
        );
        assert_eq!(
            refusal("The Council did not accept my recommendations."),
            Some(Refused::All)
        );
        assert_eq!(
            refusal("The Council has not agreed to remedy the injustice"),
            Some(Refused::All)
        );
        assert_eq!(refusal("The Council did not agree to:"), Some(Refused::All));
        assert_eq!(
            refusal("The Council agreed to apologise but declined to pay Mr X £300."),
            Some(Refused::These("pay Mr X £300"))
        );
        assert_eq!(
            refusal("The Council agreed to all but the payment."),
            Some(Refused::These("the payment"))
        );
        assert_eq!(
            refusal("The Council has agreed to my recommendations, except the payment to Mr X."),
            Some(Refused::These("the payment to Mr X"))
        );
        for none in [
            "Mr X declined the Council's offer of £150.",
            "Mr X has not accepted the remedy.",
            "The Council was at fault when it refused to pay for Mr X's respite care",
            "In its complaint response the Council declined to pay Mr X anything",
            "The Council refused Mr X's request for a reassessment without good reason",
            "The Council did not accept it was at fault",
            "The Council initially refused to apologise",
            "it declined to make any further payment",
        ] {
            assert_eq!(refusal(none), None, "{none}");
        }
    }

    #[test]
    fn marks_one_remedy_of_a_kind_or_those_of_its_amount() {
        let mut out: Vec<Remedy> = ["apologise to Mr X;", "pay Mr X £300;", "pay Mr X £50;"]
            .iter()
            .filter_map(|t| remedy(t, None, Some(5)))
            .collect();
        apply(&mut out, &Refused::These("pay Mr X £300"), Some(6));
        let agreed: Vec<bool> = out.iter().map(Remedy::is_agreed).collect();
        assert_eq!(agreed, [true, false, true]);
        apply(&mut out, &Refused::These("make a payment"), Some(6));
        assert!(out[2].is_agreed(), "two payments: which one is not said");
        apply(&mut out, &Refused::These("apologise"), Some(6));
        assert!(!out[0].is_agreed());
        let mut both: Vec<Remedy> = [
            "apologise to Mr X;",
            "pay Mr X £300 for his distress;",
            "refund Mr X £1,200.",
        ]
        .iter()
        .filter_map(|t| remedy(t, None, Some(5)))
        .collect();
        apply(
            &mut both,
            &Refused::These("apologise or pay Mr X for his distress"),
            Some(6),
        );
        let agreed: Vec<bool> = both.iter().map(Remedy::is_agreed).collect();
        assert_eq!(
            agreed,
            [false, false, true],
            "each refused, the payment by its purpose"
        );
        apply(&mut out, &Refused::These("review its policy"), Some(6));
        assert_eq!(
            out.len(),
            4,
            "a refused remedy named nowhere before is added"
        );
        assert!(!out[3].is_agreed());
        assert_eq!(out[3].text, "review its policy");
    }
}
