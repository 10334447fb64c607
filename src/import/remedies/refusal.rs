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

use crate::import::pattern::compile;

use super::{amount_in, classify, money, remedy, MONEY};
use crate::decision::{Commitment, Remedy, RemedyKind};

/// The organisation as a sentence's subject: `the council`, `the academy trust`, `it`.
const SUBJECT: &str = r"(?:the\s+(?:\w+\s+)?(?:council|trust|authority|provider|school|academy|board|icb|organisation|company|home)|it|they)";
/// Saying no: `refused`, `did not agree`, `is not willing`, `cannot afford`.
const SAYS_NO: &str = r"(?:refused|refuses|declined|declines|rejected|rejects|not\s+(?:yet\s+)?(?:agree|agreed|accept|accepted)|(?:hasn't|didn't|doesn't|won't)\s+(?:agree|agreed|accept|accepted)|is\s+not\s+willing|is\s+unwilling|is\s+unable|cannot\s+afford|can't\s+afford)";

/// The organisation as the subject of a refusal, then the refusal; what it refuses follows.
static REFUSAL: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"(?i)\b{SUBJECT}\s+(?:(?:has|have|had|did|does|do|would|will|still|also|then|now|subsequently|again|says\s+it|said\s+it)\s+)*{SAYS_NO}\b"
    ))
});
/// A refusal (or an agreement) that belongs to the complaint's history or to the fault,
/// not to the remedy.
static NOT_OF_THE_REMEDY: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"(?i){}|\b(?:in|on|by|from|until)\s+(?:\d{{1,2}}\s+)?{MONTH}\b|\bcomplaint\s+response\b|\bresponse\s+to\s+(?:his|her|their|the)\s+complaint\b|\bat\s+the\s+time\b|\bwhen\b|\binitially\b|\bat\s+first\b|\bwas\s+(?:also\s+)?at\s+fault\b|\bthat\s+(?:is|was)\s+fault\b",
        before()
    ))
});
/// A month's name.
const MONTH: &str =
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)";
/// Words that place what a sentence says before the decision: "last year", "previously",
/// "in 2023", "in May 2023".
fn before() -> String {
    format!(
        r"\b(?:last|that|the\s+previous)\s+(?:year|month|week)\b|\bpreviously\b|\bin\s+the\s+past\b|\bin\s+(?:(?:\d{{1,2}}\s+)?{MONTH}\s+)?\d{{4}}\b"
    )
}
/// The organisation saying yes to what was asked, itself the subject: "The Council has
/// agreed to", "It accepted my recommendations", "the Council has now agreed."; not "The
/// Council accepted it took too long" nor "accepted our findings".
static SAYS_YES: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"(?i)\b{SUBJECT}\s+(?:(?:has|have|had|now|also|then|already|subsequently|since)\s+)*(?:agreed|agrees|accepted|accepts)(?:\s+to\b|\s+(?:all\s+|each\s+|both\s+)?(?:of\s+)?(?:my|our|the|these|those|its|his|her)\s+(?:\w+\s+)?(?:recommendations?|remed(?:y|ies)|proposals?|suggestions?|actions?)\b|\s*[.:;])"
    ))
});

/// Whether `sentence` says the organisation agreed to or accepted what the Ombudsman asked:
/// the organisation is the one agreeing (not "Mr X accepted the Council's offer"), and the
/// agreement is not the complaint's history ("The Council agreed to reassess him in March
/// 2023 but did not").
pub(super) fn says_yes(sentence: &str) -> bool {
    SAYS_YES.is_match(sentence) && !NOT_OF_THE_REMEDY.is_match(sentence)
}

/// What happened before, in an action section: "Last year the Council agreed to reassess
/// Mr Y but it has not done so", not a remedy.
pub(super) fn is_history(sentence: &str) -> bool {
    static HISTORY: LazyLock<Regex> = LazyLock::new(|| compile(&format!("(?i){}", before())));
    static TO_COME: LazyLock<Regex> =
        LazyLock::new(|| compile(r"(?i)\b(?:will|should|must|within)\b"));
    HISTORY.is_match(sentence) && !TO_COME.is_match(sentence)
}

/// The organisation's refusal after `but`, itself the subject of the sentence: "The
/// Council agreed to apologise but declined to pay Mr X", "... but not to pay Mr X".
static BUT_REFUSAL: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"(?i)^\W*{SUBJECT}\b[^.;]*?,?\s+but\s+(?:(?:has|had|did|does|would|will|then|still)\s+)*(?:{SAYS_NO}|not)\b"
    ))
});
/// Everything but one remedy: "agreed to all but the payment", "has agreed to my
/// recommendations, except the payment to Mr X", "... apart from the payment".
static ALL_BUT: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\b(?:agreed\s+to|accepted)\s+(?:all|everything|(?:all\s+)?(?:of\s+)?(?:my|our|the)\s+recommendations)\s*,?\s+(?:but|except(?:\s+for)?|apart\s+from|other\s+than)\s+(.+?)\W*$",
    )
});
/// One recommendation named after the word: "the recommendation to pay Mr X £300", "my
/// recommendation that it apologise".
static ONE_RECOMMENDATION: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^\W*(?:to\s+)?(?:(?:accept|follow|implement|carry\s+out|act\s+on)\s+)?(?:the|my|our)\s+recommendation\s+(?:to|that\s+(?:it|they|the\s+\w+)\s+(?:should\s+)?)\s*(.+?)\W*$",
    )
});
/// What refuses every recommendation: the recommendations, the remedy.
static ALL: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^\W*(?:to\s+)?(?:(?:carry\s+out|implement|follow|comply\s+with|act\s+on|accept|agree\s+to)\s+)?(?:(?:the|my|our|these|this|those|any\s+of\s+(?:the|my|our))\s+)?(?:(?:proposed\s+|recommended\s+)?(?:recommendations?|remedy|remedies|action))\b|^\W*(?:to\s+)?remedy\b",
    )
});
/// Nothing named: "It has refused.", "It refused to do so."
static NOTHING_NAMED: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?i)^\W*(?:to(?:\s+(?:do\s+(?:so|this|that|it)|comply))?)?\W*$"));
/// What goes beyond the remedies named: "any further payment".
static BEYOND: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)\b(?:further|additional|remaining|any\s+other|the\s+rest)\b|\bmore\b")
});
/// A limit the organisation sets on a payment: "It is only willing to pay Mr X £150", "The
/// Council will not pay more than £100", "it will only refund £50".
static LIMIT: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"(?i)\b{SUBJECT}\s+(?:(?:is|was)\s+only\s+(?:willing|prepared|able)\s+to|will\s+only|(?:will|would)\s+not|(?:has|have)\s+only\s+agreed\s+to)\s+((?:pay|refund)\b[^£]*£.*?)\W*$"
    ))
});
/// "pay more than £200": the larger payment recommended refused.
static MORE_THAN: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?i)^(pay|refund)\b.*\bmore\s+than\s+£"));
/// A later sentence taking back every refusal: "After further correspondence, it accepted
/// the recommendation".
static TAKEN_BACK: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\b(?:accepted|agreed\s+to)\s+(?:the|my|our|all|these)\s+(?:\w+\s+)?recommendations?\b",
    )
});
/// A later agreement, taking back a refusal of what it names: "it has now agreed to pay".
static NOW_AGREED: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?i)\b(?:now|since|later|subsequently)\s+(?:agreed|accepted)\b"));

/// What a refusal refuses: every remedy, the words after it (`pay Mr X £300`), or what
/// the sentence before it names ("We asked it to reconsider the payment. It refused.").
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Refused<'a> {
    All,
    These(&'a str),
    Unnamed,
    /// Payments above the sum the words name: "It is only willing to pay Mr X £150", "The
    /// Council will not pay more than £100 for his distress".
    Above(&'a str),
}

/// Whether `text` holds a word every refusal needs: a quick test that passes over most
/// paragraphs before they are split into sentences and read.
pub(super) fn may_refuse(text: &str) -> bool {
    static WORDS: LazyLock<Regex> = LazyLock::new(|| {
        compile(
            r"(?i)refus|declin|reject|\bnot\s+(?:yet\s+)?(?:agree|accept|willing)|n't\s+(?:agree|accept)|unwilling|unable|afford|\bbut\s+not\b|\ball\s+but\b|\bexcept\b|\bapart\s+from\b|\bother\s+than\b|\bonly\s+(?:willing|prepared|able|agreed)\b|\bwill\s+only\b|\bnot\s+(?:pay|refund)\b",
        )
    });
    WORDS.is_match(text)
}

/// The refusal `clause` makes, if it is the organisation's refusal of a remedy. A refusal
/// that names nothing ("It refused.") is [`Refused::Unnamed`]: what it refuses is in the
/// sentence before.
pub(super) fn refusal(clause: &str) -> Option<Refused<'_>> {
    if let Some(c) = LIMIT.captures(clause) {
        if !NOT_OF_THE_REMEDY.is_match(clause) {
            return c.get(1).map(|m| Refused::Above(m.as_str()));
        }
    }
    if let Some(c) = ALL_BUT.captures(clause) {
        return c.get(1).map(|m| Refused::These(m.as_str()));
    }
    let m = REFUSAL.find(clause).or_else(|| BUT_REFUSAL.find(clause))?;
    if NOT_OF_THE_REMEDY.is_match(clause) {
        return None;
    }
    let rest = clause[m.end()..].trim();
    if let Some(c) = ONE_RECOMMENDATION.captures(rest) {
        return c.get(1).map(|m| Refused::These(m.as_str()));
    }
    if ALL.is_match(rest) {
        return Some(Refused::All);
    }
    if NOTHING_NAMED.is_match(rest) {
        return Some(Refused::Unnamed);
    }
    let object = rest.strip_prefix("to ")?.trim_end_matches(['.', ';', ',']);
    if MORE_THAN.is_match(object) {
        // "will not agree to pay more than £200": a larger sum recommended is refused
        // ([`apply`] finds it).
        return Some(Refused::These(object));
    }
    (!BEYOND.is_match(object)).then_some(Refused::These(object))
}

/// Whether `clause`, after a refusal of `refused`, takes it back: it accepts the
/// recommendations, or has now agreed to that kind of remedy.
pub(super) fn takes_back(clause: &str, refused: &Refused<'_>) -> bool {
    if TAKEN_BACK.is_match(clause) {
        return true;
    }
    if !NOW_AGREED.is_match(clause) {
        return false;
    }
    match refused {
        Refused::These(object) => {
            let kind = |t: &str| classify(&t.to_lowercase(), amount_in(t).is_some());
            kind(object) == kind(clause)
        }
        Refused::All | Refused::Unnamed => true,
        Refused::Above(_) => false,
    }
}

/// Whether `clause` only says the recommendations were accepted: no remedy of its own.
pub(super) fn accepts_the_recommendations(clause: &str) -> bool {
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
        Refused::Unnamed => return,
        Refused::Above(object) => {
            refuse_more_than(out, object);
            return;
        }
        Refused::These(object) => *object,
    };
    if MORE_THAN.is_match(object) {
        refuse_more_than(out, object);
        return;
    }
    // "apologise or pay Mr X for his distress": each one refused.
    static EACH: LazyLock<Regex> = LazyLock::new(|| compile(r"\s+(?:or|and)\s+(?:to\s+)?"));
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
        // "declined to arrange a fresh appeal hearing": the one other action that shares
        // a word of five letters or more with it.
        let words: Vec<String> = object
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() >= 5)
            .map(str::to_lowercase)
            .collect();
        let mut same: Vec<&mut Remedy> = out
            .iter_mut()
            .filter(open)
            .filter(|r| r.kind == RemedyKind::Other)
            .filter(|r| {
                let text = r.text.to_lowercase();
                words.iter().any(|w| text.contains(w.as_str()))
            })
            .collect();
        if let [r] = same.as_mut_slice() {
            r.commitment = Commitment::NotAgreed;
        }
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

/// "pay more than £200 for her distress": the payments recommended above that sum (or of
/// no stated sum) are refused, or, of several, the one for the purpose the refusal repeats.
/// Nothing is taken as agreed in its place: whether the organisation will pay the £200 is
/// for the decision to say.
fn refuse_more_than(out: &mut [Remedy], object: &str) {
    let cap = MONEY.captures(object).and_then(|c| money(&c));
    let purpose = object.find(" for ").map(|at| &object[at..]);
    let mut larger: Vec<&mut Remedy> = out
        .iter_mut()
        .filter(|r| !r.already_done && r.kind == RemedyKind::Payment)
        .filter(|r| match (r.amount, cap) {
            (Some(amount), Some(cap)) => amount > cap,
            _ => true,
        })
        .collect();
    // Of several, the one for the purpose the refusal repeats; with none named, every
    // payment above the sum: none was agreed as recommended.
    // The purpose's own words ("distress" of "for Mr X's distress"), as the remedy may say
    // it another way ("for his distress").
    let words: Vec<String> = purpose
        .unwrap_or_default()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 5)
        .map(str::to_lowercase)
        .collect();
    let repeats = |r: &&mut Remedy| {
        let text = r.text.to_lowercase();
        words.iter().any(|w| text.contains(w.as_str()))
    };
    if larger.len() > 1 && larger.iter().any(repeats) {
        larger.retain(repeats);
    }
    for r in larger {
        r.commitment = Commitment::NotAgreed;
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
            Some(Refused::Unnamed)
        );
        assert_eq!(
            refusal("The Council did not accept my recommendations."),
            Some(Refused::All)
        );
        assert_eq!(
            refusal("The Council has not agreed to remedy the injustice"),
            Some(Refused::All)
        );
        assert_eq!(
            refusal("The Council did not agree to:"),
            Some(Refused::Unnamed)
        );
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

    #[test]
    fn reads_refusals_in_more_words_and_of_one_recommendation() {
        let these = |t: &str| match refusal(t) {
            Some(Refused::These(object)) => Some(object.to_string()),
            _ => None,
        };
        for (text, object) in [
            (
                "The Council has declined to accept the recommendation to pay Mr X £300.",
                "pay Mr X £300",
            ),
            (
                "It has rejected my recommendation that it apologise.",
                "apologise",
            ),
            (
                "The academy trust refused to pay Mrs Y £150.",
                "pay Mrs Y £150",
            ),
            ("It is not willing to pay Mr X £300.", "pay Mr X £300"),
            ("The Council says it cannot afford to pay Mr X.", "pay Mr X"),
            (
                "The Council agreed to apologise and review its process, but not to pay Mr X £300.",
                "pay Mr X £300",
            ),
            (
                "The Council will not agree to pay more than £200.",
                "pay more than £200",
            ),
            (
                "It has not yet agreed to review its procedures.",
                "review its procedures",
            ),
            (
                "The Council has accepted my recommendations apart from the payment to Mr X.",
                "the payment to Mr X",
            ),
            (
                "The Council agreed to apologise but did not agree to our recommendation to pay Mr X £300.",
                "pay Mr X £300",
            ),
        ] {
            assert_eq!(these(text).as_deref(), Some(object), "{text}");
        }
    }
}
