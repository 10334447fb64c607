//! The remedies a decision names: what the organisation agreed to do (from the agreed or
//! recommended action section), whether it agreed to each (a refusal there or in the final
//! decision marks what it names as not agreed; `consider ...` and `if ...` are only
//! conditional), an amount only where it is a sum (not `£50 a month`, `up to £150` nor
//! `£500, less the £100 it has already paid`; `£300 a week (£1,200 in total)` is £1,200),
//! and an apology it had already made (from the findings or summary).

use std::sync::LazyLock;

use regex::Regex;

use crate::import::pattern::compile;

mod conditions;
mod refusal;

use super::extract::{Passage, SENTENCE_END};
use crate::decision::{Commitment, Money, Remedy, RemedyKind};
use conditions::{is_conditional, FURTHER_WHEN};
use refusal::{accepts_the_recommendations, refusal, takes_back, Refused};

static MONEY: LazyLock<Regex> =
    LazyLock::new(|| compile(r"£\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{2}))?"));
static DEADLINE: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\bwithin\s+(?:a|an|one|two|three|four|five|six|eight|ten|twelve|\d+)\s+(?:working\s+)?(?:days?|weeks?|months?)",
    )
});
static PERSON: LazyLock<Regex> =
    LazyLock::new(|| compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Mx)\s+[A-Z]\b|\bthe\s+complainant\b"));
static ALREADY_APOLOGISED: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\bhas\s+(?:already\s+)?apologised\b|\bapologised\s+to\s+(?:Mr|Mrs|Ms|Miss|Dr|Mx)\s+[A-Z]\b|\bhas\s+admitted\s+it\s+was\s+at\s+fault,\s+apologised\b",
    )
});

/// A sentence that asks for a remedy or says one was agreed (and not only that the
/// recommendations were).
static ASKS: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)\b(?:should|must|will|agreed\s+to|agrees\s+to|recommend(?:ed|s)?)\b")
});
/// Agreeing: `agreed`, `accepted` (see [`agrees`]).
static AGREEMENT: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?i)\b(?:agreed|agrees|accepted|accepts)\b"));
/// A remedy already done when the decision was made, said so from its first words.
static ALREADY_DONE: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^\W*(?:(?:the\s+\w+(?:\s+\w+)?|it|they)\s+)?(?:has|had|have)\s+already\s+(?:paid|apologised|refunded|reimbursed|made|sent|carried\s+out|completed|reviewed|reassessed)\b",
    )
});
/// A remedy said to be done already after it: "pay Mr X £250, which it has already done".
static DONE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i),?\s+which\s+(?:it|they|the\s+\w+)\s+(?:has|have)\s+(?:now\s+|already\s+)*done\W*$",
    )
});
/// An amount that is a rate or a most, not a sum (`£50 a month`, `up to £150`).
static RATE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^\s*(?:a|an|per|each|every|for\s+each|for\s+every)\s+(?:day|night|week|fortnight|month|year|quarter|hour)\b",
    )
});
static CAP_BEFORE: LazyLock<Regex> = LazyLock::new(|| compile(r"(?i)\bup\s+to\s*$"));
/// An amount less what was paid: `£500, less the £100 it has already paid`.
static LESS_AFTER: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?i)^\s*,?\s*(?:less|minus)\s+(?:the\s+)?£"));

fn is_action_section(section: &str) -> bool {
    (section.contains("action") || section.contains("recommendation"))
        && !section.contains("what i have")
}

/// The remedies: what the organisation agreed to do (from the agreed or recommended
/// action section), and an apology it had already made (from the findings or summary).
/// A sentence there saying the organisation did not agree to a remedy marks it
/// [`Commitment::NotAgreed`] (all of them when it refuses the recommendations), and is
/// no remedy itself; as does one in the final decision.
pub fn remedies(passages: &[Passage<'_>], headings: &[&str]) -> Vec<Remedy> {
    let mut out = from_action_sections(passages);
    for p in passages.iter().filter(|p| {
        matches!(
            p.section.as_str(),
            "final decision" | "decision" | "summary"
        )
    }) {
        refusals(&mut out, &sentences(&p.text), p.number);
    }
    let open = |r: &Remedy| !r.already_done && r.is_agreed();
    if out.iter().any(open) && !says_agreed(passages, headings) {
        for r in out.iter_mut().filter(|r| open(r)) {
            r.commitment = Commitment::Recommended;
        }
    }
    if !out.iter().any(|r| r.kind == RemedyKind::Apology) {
        if let Some(r) = already_made_apology(passages) {
            out.insert(0, r);
        }
    }
    out
}

/// Whether the decision says the organisation agreed or accepted, where it says how the
/// organisation answered the recommendations (the action sections, the final decision, the
/// summary), or has an "agreed action" section: else its remedies are only recommended.
/// "In 2022 the Council agreed to assess him", in what happened, is not an answer.
fn says_agreed(passages: &[Passage<'_>], headings: &[&str]) -> bool {
    // The sections' names first: most decisions have an "Agreed action" section.
    passages.iter().any(|p| p.section.contains("agreed"))
        || headings.iter().any(|h| refusal::says_yes(h))
        || passages.iter().any(|p| {
            answers_recommendations(&p.section)
                && AGREEMENT.is_match(&p.text)
                && sentences(&p.text).iter().any(|s| refusal::says_yes(s))
        })
}

/// The sections in which a decision says how the organisation answered what the Ombudsman
/// recommended.
fn answers_recommendations(section: &str) -> bool {
    is_action_section(section)
        || matches!(section, "final decision" | "decision" | "summary")
        || section.contains("conclusion")
}

/// The sentences of `text`, trimmed.
fn sentences(text: &str) -> Vec<String> {
    SENTENCE_END
        .split(text)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Applies the organisation's refusals among `clauses` (sentences), in order, unless a
/// later one takes them back. A refusal naming nothing refuses what the sentence before
/// it names, or, with nothing named there either, every remedy unless the same sentences
/// agree to some.
fn refusals(out: &mut Vec<Remedy>, clauses: &[String], paragraph: Option<u32>) {
    if !clauses.iter().any(|c| refusal::may_refuse(c)) {
        return;
    }
    let found: Vec<Option<Refused<'_>>> = clauses.iter().map(|c| refusal(c)).collect();
    apply_refusals(out, clauses, found, paragraph);
}

/// [`refusals`] with each clause's refusal (or none) read already.
fn apply_refusals(
    out: &mut Vec<Remedy>,
    clauses: &[String],
    found: Vec<Option<Refused<'_>>>,
    paragraph: Option<u32>,
) {
    let said: Vec<bool> = found.iter().map(Option::is_some).collect();
    let refused_at = found
        .into_iter()
        .enumerate()
        .filter_map(|(i, r)| r.map(|r| (i, r)));
    for (i, refused) in refused_at {
        if clauses[i + 1..].iter().any(|c| takes_back(c, &refused)) {
            continue;
        }
        let refused = match refused {
            Refused::Unnamed => {
                let before = i.checked_sub(1).map(|b| clauses[b].as_str());
                let names = before.filter(|b| {
                    !said[i - 1] && classify(&b.to_lowercase(), false) != RemedyKind::Other
                });
                match names {
                    Some(b) => Refused::These(b),
                    None if clauses.iter().any(|c| refusal::says_yes(c)) => continue,
                    None => Refused::All,
                }
            }
            refused => refused,
        };
        refusal::apply(out, &refused, paragraph);
    }
}

/// The remedies of the agreed or recommended action sections, each once, those a
/// sentence there refuses marked.
fn from_action_sections(passages: &[Passage<'_>]) -> Vec<Remedy> {
    let mut out = Vec::new();
    for p in passages.iter().filter(|p| is_action_section(&p.section)) {
        let Some(para) = p.paragraph else { continue };
        let intro = para.text();
        let intro_deadline = deadline(&intro);
        let all_sentences = sentences(&intro);
        let found: Vec<Option<Refused<'_>>> = if refusal::may_refuse(&intro) {
            all_sentences.iter().map(|c| refusal(c)).collect()
        } else {
            vec![None; all_sentences.len()]
        };
        let refuses = found.iter().any(Option::is_some);
        if para.items.is_empty() {
            // Sentence by sentence: those that ask for a remedy or say one was agreed are
            // remedies; the rest (what happened before, what the person said, that the
            // recommendations were accepted) is not; then the refusals mark what they name.
            for (sentence, refused) in all_sentences.iter().zip(&found) {
                let asked = (ASKS.is_match(sentence) || ALREADY_DONE.is_match(sentence))
                    && !accepts_the_recommendations(sentence)
                    && !refusal::is_history(sentence);
                if asked && refused.is_none() {
                    for r in remedy_parts(sentence, intro_deadline.as_ref(), p.number) {
                        push_new(&mut out, r);
                    }
                }
            }
            if refuses {
                apply_refusals(&mut out, &all_sentences, found, p.number);
            }
            continue;
        }
        // "The Council did not agree to:" then the items.
        let refused_items = refuses && intro.trim_end().ends_with(':');
        // "..., and once Mr X provides receipts, the Council has agreed to:": every item
        // on that condition.
        let conditional_items = intro.trim_end().ends_with(':') && is_conditional(&intro);
        // "the Council should either:" then the choices: one remedy.
        let either = intro.trim_end().to_ascii_lowercase().ends_with("either:");
        let items = alternatives(para.items.iter().map(|i| i.text.as_str()));
        let items = if either && !items.is_empty() {
            vec![items.join(" ")]
        } else {
            items
        };
        for item in items {
            if let Some(refused) = refusal(&item) {
                refusal::apply(&mut out, &refused, p.number);
            } else {
                for mut r in remedy_parts(&item, intro_deadline.as_ref(), p.number) {
                    if refused_items {
                        r.commitment = Commitment::NotAgreed;
                    } else if conditional_items {
                        r.commitment = Commitment::Conditional;
                    }
                    push_new(&mut out, r);
                }
            }
        }
        if refuses && !refused_items {
            apply_refusals(&mut out, &all_sentences, found, p.number);
        }
    }
    out
}

/// Adds `r` unless an apology to its person, or a payment of its amount to its person, is
/// already there (a paragraph saying what the organisation agreed to of the
/// recommendations before it); payments with no amount are told apart by nothing, so
/// each is kept.
/// "apologise to Mr X and pay him £200" is two remedies.
fn push_new(out: &mut Vec<Remedy>, r: Remedy) {
    if r.kind == RemedyKind::Apology && r.amount.is_some() {
        let payment = Remedy {
            kind: RemedyKind::Payment,
            ..r.clone()
        };
        push_new(out, Remedy { amount: None, ..r });
        push_new(out, payment);
        return;
    }
    let words = |t: &str| -> String {
        t.to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == ' ')
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let kind = r.kind;
    // Only other actions are told apart by their words, and only from their own kind.
    let mine = std::cell::OnceCell::new();
    let same = |o: &Remedy| {
        if o.kind != kind
            || o.amount != r.amount
            || o.already_done != r.already_done
            || (r.to.is_some() && o.to != r.to)
        {
            return false;
        }
        match kind {
            RemedyKind::Apology => true,
            RemedyKind::Payment => r.amount.is_some(),
            // "review how it handles requests" listed, then "The Council has agreed to
            // review how it handles requests".
            _ => {
                let mine: &String = mine.get_or_init(|| words(&r.text));
                let theirs = words(&o.text);
                theirs.len() > 20
                    && mine.len() > 20
                    && (mine.contains(theirs.as_str()) || theirs.contains(mine.as_str()))
            }
        }
    };
    if !out.iter().any(same) {
        out.push(r);
    }
}

/// The first amount in `text` that is a sum: not a rate (`£50 a month`) nor a most (`up
/// to £150`), which no total may add.
fn amount_in(text: &str) -> Option<Money> {
    static TOTAL: LazyLock<Regex> = LazyLock::new(|| {
        compile(
            r"(?i)(£\s?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{2})?)\s+in\s+total\b|\btotal\s+of\s+(£\s?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{2})?)",
        )
    });
    let c = MONEY.captures(text)?;
    let whole = c.get(0)?;
    if LESS_AFTER.is_match(&text[whole.end()..]) {
        return None;
    }
    if RATE_AFTER.is_match(&text[whole.end()..]) || CAP_BEFORE.is_match(&text[..whole.start()]) {
        // `£300 a week for 4 weeks (£1,200 in total)`: the total is the sum.
        let total = TOTAL.captures(text)?;
        let stated = total.get(1).or_else(|| total.get(2))?;
        return amount_in(stated.as_str());
    }
    let first = money(&c)?;
    // "£100 for his distress and £50 for his time and trouble": one payment of both.
    static AND_FOR: LazyLock<Regex> =
        LazyLock::new(|| compile(r"(?i)^\s+for\s+[^£;,]+?\s+and\s+$"));
    let mut total = first.pence;
    let mut end = whole.end();
    for next in MONEY.captures_iter(&text[end..]) {
        let Some(m) = next.get(0) else { break };
        let (start, stop) = (end + m.start(), end + m.end());
        let joined = AND_FOR.is_match(&text[end..start])
            && RATE_AFTER.find(&text[stop..]).is_none()
            && LESS_AFTER.find(&text[stop..]).is_none();
        if !joined {
            break;
        }
        total += money(&next)?.pence;
        end = stop;
    }
    Some(Money { pence: total })
}

/// The amount a [`MONEY`] match states.
fn money(c: &regex::Captures<'_>) -> Option<Money> {
    let pounds: u64 = c.get(1)?.as_str().replace(',', "").parse().ok()?;
    let pence: u64 = c.get(2).map_or(Some(0), |m| m.as_str().parse().ok())?;
    Some(Money {
        pence: pounds * 100 + pence,
    })
}

/// "pay Mr X £100 and a further £50 if he provides receipts": the payment made outright,
/// and the further one on its condition (or once something is done).
static FURTHER_IF: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^(.*£\s?\d.*?)[,;]?\s+and\s+((?:a\s+further|an\s+(?:additional|extra)|another)\s+£.*)$",
    )
});

/// The remedies of one sentence or list item: one, or two when a further payment is made
/// only on a condition the first is not ("pay Mr X £100 and a further £50 if he provides
/// receipts": £100 agreed, £50 conditional), the second going to the first's person.
fn remedy_parts(text: &str, deadline: Option<&String>, paragraph: Option<u32>) -> Vec<Remedy> {
    let split = FURTHER_IF
        .captures(text)
        .filter(|c| FURTHER_WHEN.is_match(&c[2]) && !is_conditional(&c[1]));
    let Some(c) = split else {
        return remedy(text, deadline.cloned(), paragraph)
            .into_iter()
            .collect();
    };
    let first = remedy(&c[1], deadline.cloned(), paragraph);
    let further = remedy(&c[2], deadline.cloned(), paragraph).map(|mut r| {
        r.kind = RemedyKind::Payment;
        r.to = r.to.or_else(|| first.as_ref().and_then(|f| f.to.clone()));
        r.commitment = Commitment::Conditional;
        r
    });
    first.into_iter().chain(further).collect()
}

fn remedy(
    text: &str,
    inherited_deadline: Option<String>,
    paragraph: Option<u32>,
) -> Option<Remedy> {
    let trimmed = without_list_glue(text.trim());
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
        already_done: ALREADY_DONE.is_match(trimmed) || DONE_AFTER.is_match(trimmed),
        commitment: if is_conditional(trimmed) {
            Commitment::Conditional
        } else {
            Commitment::Agreed
        },
        paragraph,
    })
}

/// The list's items, each a remedy, but for one ending "or", which is one remedy with the
/// item after it: "reconsider Ms R's application or" and "explain why the letter does not
/// change its decision" are a choice, not two promises.
fn alternatives<'a>(items: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut open = false;
    for item in items {
        let item = item.trim();
        // An item that opens "or, if he prefers, ..." is the other half of a choice too.
        let or_first = item.to_ascii_lowercase().starts_with("or ")
            || item.to_ascii_lowercase().starts_with("or,");
        match out.last_mut() {
            Some(last) if open || or_first => {
                last.push(' ');
                last.push_str(item);
            }
            _ => out.push(item.to_string()),
        }
        open = item
            .trim_end_matches([',', ';'])
            .to_ascii_lowercase()
            .ends_with(" or");
    }
    out
}

/// A list item without the words that join it to the next: `pay Mr B £750 and` and
/// `remind staff of the deadline; and` end where the remedy does.
fn without_list_glue(item: &str) -> &str {
    let mut text = item;
    loop {
        let lower = text.to_ascii_lowercase();
        let cut = [" and", ";", ","]
            .iter()
            .find(|glue| lower.ends_with(*glue))
            .map_or(text.len(), |glue| text.len() - glue.len());
        if cut == text.len() {
            return text;
        }
        text = text[..cut].trim_end();
    }
}

/// Who a remedy goes to: the person named, or one of theirs (`Mr Z’s estate`, `Mr X’s
/// carer`), as the decision writes it.
fn recipient(text: &str, person: regex::Match<'_>) -> String {
    static THEIRS: LazyLock<Regex> = LazyLock::new(|| {
        compile(
            r"^[’']s\s+(?:estate|carer|family|wife|husband|partner|son|daughter|mother|father|parents|representative|advocate|executor)\b",
        )
    });
    match THEIRS.find(&text[person.end()..]) {
        Some(m) => format!("{}{}", person.as_str(), m.as_str()),
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
mod tests;
