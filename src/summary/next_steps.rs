//! "What happens now": what the organisation has already done, then each remedy it agreed
//! to, grouped by deadline, with amounts; or that nothing more is needed; or why the
//! Ombudsman did not investigate.

use std::sync::LazyLock;

use regex::Regex;

use super::course::{Course, Reading};
use super::line::{About, Cite, Line};
use super::plain_words::capitalise;
use super::pronoun::name_person;
use super::source::Source;
use super::text::{compile, finish, first_person, quote, sentences_at, strip_list_tail, tidy};
use crate::decision::{Commitment, Remedy, RemedyKind};

static LEADING_DEADLINE: LazyLock<Regex> = LazyLock::new(|| compile(r"(?i)^within\s+[^,]+,\s*"));
static ANY_DEADLINE: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i),?\s*\bwithin\s+(?:a|an|one|two|three|four|five|six|eight|ten|twelve|\d+)\s+(?:working\s+)?(?:days?|weeks?|months?)(?:\s+of\s+(?:the\s+date\s+of\s+)?(?:my|the|this)\s+(?:final\s+)?decision)?",
    )
});
static SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^(?:for\s+)?(?:the\s+(?:care\s+provider|\w+)|it|they)\s+(?:will|should|has\s+agreed\s+to|agreed\s+to|to|must)\s+|^to\s+",
    )
});
static PROVIDE_US: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?i)\bprovide\s+(?:us|the\s+Ombudsman)\s+with\b|\bprovide\s+us\b"));
static US: LazyLock<Regex> = LazyLock::new(|| compile(r"\bus\b"));
static WHICH_SETS_OUT: LazyLock<Regex> =
    LazyLock::new(|| compile(r"^(.*?\bplan)\s+which\s+(sets out|explains|shows|says)\s+(.*)$"));
static APOLOGY_FOR: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)apologi[sz]e[ds]?\s+(?:directly\s+)?(?:to\s+(?:Mr|Mrs|Ms|Miss|Dr|Mx)\s+[A-Z]\s+)?(for\s+[^,.;]+)",
    )
});
static ACTION_WORDS: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?i)\bapologi[sz]e|\bpay\b|\bpayment\b|£\d"));
/// Where a payment's purpose ends and another remedy begins: ", and to consider ...",
/// " and review ...", "; ..." (not "time and trouble").
static NEXT_REMEDY: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i),\s+and\s+|;|\s+and\s+(?:to\s+)?(?:review|apologise|pay|refund|provide|remind|train|consider|reconsider|reassess|offer|write|make)\b",
    )
});
static PAY_PURPOSE: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\bto\s+(?:recognise|acknowledge|reflect)\s+([^.;]+)|\b(for\s+(?:the|his|her|their|its)\s+[^.;]+)",
    )
});

/// The part's sentences.
pub(crate) fn part(src: &Source<'_>, reading: &Reading) -> Vec<Line> {
    let d = src.decision;
    let org = src.org;
    let who = src.ombudsman;
    let mut out: Vec<Line> = Vec::new();
    let not_investigated = matches!(
        reading.course,
        Course::NotInvestigated | Course::Stopped | Course::AlreadyPutRight
    );
    if not_investigated && d.remedies.iter().all(|r| r.already_done) {
        out.extend(done_sentences(src));
        let put_right = reading.course == Course::AlreadyPutRight;
        let more = if out.is_empty() && !put_right {
            ""
        } else {
            " more"
        };
        out.push(Line::new(
            format!("{who} did not ask {org} to do anything{more}."),
            About::Remedy,
            reading.cite,
        ));
        return out;
    }
    let done = done_sentences(src);
    let pending = pending_sentences(src, done.is_empty());
    let has_done = !done.is_empty();
    out.extend(done);
    let has_pending = !pending.is_empty();
    out.extend(pending);
    let open = open_sentences(src);
    if !has_pending && open.is_empty() {
        out.extend(nothing_pending(src, has_done));
    }
    out.extend(open);
    out
}

/// "pay Mrs Y", "pay Mrs Y and Mrs Z", "make payments": whom `payments` go to, each once,
/// when the decision names them all.
fn pay_whom<'a>(payments: impl Iterator<Item = &'a Remedy>) -> String {
    let mut named: Vec<&str> = Vec::new();
    let mut count = 0;
    let mut unnamed = false;
    for r in payments {
        count += 1;
        match r.to.as_deref() {
            Some(to) if !named.contains(&to) => named.push(to),
            Some(_) => {}
            None => unnamed = true,
        }
    }
    match (unnamed, named.as_slice()) {
        (false, [one]) => format!("pay {one}"),
        (false, [first @ .., last]) if !first.is_empty() => {
            format!("pay {} and {last}", first.join(", "))
        }
        _ if count > 1 => "make payments".to_string(),
        _ => "make a payment".to_string(),
    }
}

/// The remedies the organisation did not agree to, and those it will only consider or
/// do on a condition: the first said as not agreed, the second in the Ombudsman's words.
fn open_sentences(src: &Source<'_>) -> Vec<Line> {
    let org = capitalise(src.org);
    let remedies = &src.decision.remedies;
    let mut out = Vec::new();
    // Short, and with no "will": the decision's own words, in the list of remedies,
    // carry the conditions.
    let conditional = |payment: bool| {
        remedies.iter().filter(move |r| {
            r.commitment == Commitment::Conditional
                && !r.already_done
                && (r.kind == RemedyKind::Payment) == payment
        })
    };
    if let Some(r) = conditional(true).next() {
        out.push(Line::new(
            format!(
                "{org} may also {}, on conditions the decision sets out.",
                pay_whom(conditional(true))
            ),
            About::Remedy,
            cite(r),
        ));
    }
    if let Some(r) = conditional(false).next() {
        out.push(Line::new(
            format!("{org} also agreed to consider more, on conditions the decision sets out."),
            About::Remedy,
            cite(r),
        ));
    }
    for r in remedies
        .iter()
        .filter(|r| r.commitment == Commitment::Recommended && !r.already_done)
    {
        let (phrase, _) = action(r);
        let whom = agent(src, r).unwrap_or(src.org);
        out.push(Line::new(
            finish(&format!("{} asked {whom} to {phrase}", src.ombudsman)),
            About::Remedy,
            cite(r),
        ));
    }
    for r in remedies
        .iter()
        .filter(|r| r.commitment == Commitment::NotAgreed && !r.already_done)
    {
        let (phrase, _) = action(r);
        let who = agent(src, r).map_or_else(|| org.clone(), capitalise);
        out.push(Line::new(
            finish(&format!("{who} did not agree to {phrase}")),
            About::Remedy,
            cite(r),
        ));
    }
    out
}

/// When no action to come was read: where the decision lists them, what the Ombudsman's
/// summary says of a copy cut short, or that the Ombudsman asked for nothing (more).
fn nothing_pending(src: &Source<'_>, has_done: bool) -> Vec<Line> {
    let org = src.org;
    if let Some(section) = src.section(|h| h.contains("action") || h.contains("recommendation")) {
        let cite = section
            .paragraphs
            .first()
            .map_or(Cite::None, |p| Cite::Paragraph(p.number));
        return vec![Line::new(
            format!("The decision below lists what {org} agreed to do."),
            About::Remedy,
            cite,
        )];
    }
    if src.incomplete || src.is_truncated() {
        let mut out: Vec<Line> = summary_actions(src)
            .into_iter()
            .map(|s| Line::new(s, About::Remedy, Cite::Summary))
            .collect();
        out.push(Line::note(format!(
            "This copy of the decision is not complete. It may not show all that {org} agreed to do."
        )));
        return out;
    }
    let line = match final_paragraph(src) {
        Some(n) => Line::new(
            format!(
                "{} did not ask {org} to do anything{}.",
                src.ombudsman,
                if has_done { " more" } else { "" }
            ),
            About::Remedy,
            Cite::Paragraph(n),
        ),
        None => Line::note(format!(
            "This copy of the decision does not say whether {org} agreed to do anything."
        )),
    };
    vec![line]
}

/// The first paragraph of the final decision.
fn final_paragraph(src: &Source<'_>) -> Option<u32> {
    src.section(|h| h.contains("final decision") || h == "decision")
        .and_then(|s| s.paragraphs.first())
        .map(|p| p.number)
}

/// For a page with no decision text: the Ombudsman's summary's sentences about an
/// apology or a payment, with `It` made the organisation, and a pronoun for the person
/// who complained made their label (they are read without the sentences before them).
pub(crate) fn summary_actions(src: &Source<'_>) -> Vec<String> {
    let Some(summary) = src.decision.summary.as_deref() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (start, s) in sentences_at(summary) {
        if !ACTION_WORDS.is_match(s) {
            continue;
        }
        let s = tidy(s);
        let s = src
            .complainant
            .as_ref()
            .and_then(|p| name_person(&s, &summary[..start], p))
            .unwrap_or(s);
        out.push(match s.strip_prefix("It ") {
            Some(rest) => format!("{} {rest}", capitalise(src.org)),
            None => s,
        });
    }
    out
}

/// What was already done before the decision: apologies and payments.
fn done_sentences(src: &Source<'_>) -> Vec<Line> {
    let org = capitalise(src.org);
    src.decision
        .remedies
        .iter()
        .filter(|r| r.already_done)
        .filter_map(|r| {
            let text = match r.kind {
                RemedyKind::Apology => Some(finish(&format!(
                    "{org} has already apologised{}{}",
                    to_whom(r),
                    apology_reason(r)
                ))),
                RemedyKind::Payment => r.amount.map(|a| {
                    finish(&format!(
                        "{org} has already paid{} {}",
                        to_whom(r).replacen(" to", "", 1),
                        a.display()
                    ))
                }),
                _ => None,
            }?;
            Some(Line::new(text, About::Remedy, cite(r)))
        })
        .collect()
}

/// The body that is to carry out `r` when it is not the organisation the decision is
/// about: in a joint case, "the Trust has agreed to:" before a list in a council's decision,
/// or "the Council will ..." in a trust's. Read from the remedy's own words, then from the
/// opening of its paragraph.
fn agent(src: &Source<'_>, r: &Remedy) -> Option<&'static str> {
    let intro = r
        .paragraph
        .and_then(|n| src.paragraph(n))
        .map(|p| p.text.as_str());
    // In the remedy, the first body named; in the paragraph's opening, the last (the one
    // just before the list: "The Trust accepted our findings. ..., the Council has agreed
    // to:").
    let body = AGENT
        .captures(&r.text)
        .or_else(|| intro.and_then(|t| AGENT.captures_iter(t).last()))
        .map(|c| c[1].to_lowercase())?;
    let noun = match body.as_str() {
        "council" | "authority" => "the council",
        "trust" => "the trust",
        "board" | "icb" => "the NHS body",
        _ => "the care provider",
    };
    // The organisation's own noun, or an authority in a council's case: no other body.
    (noun != src.org && !(noun == "the council" && src.org == "the authority")).then_some(noun)
}

/// The body that agrees or is to act, as the subject: "the Trust has agreed to", "the
/// Council will", "the care provider should", or before a list: "within one month the
/// Council:".
static AGENT: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\b(?:the|(?-i:[A-Z][\w’'-]*))\s+(council|authority|trust|board|icb|care\s+provider|provider|care\s+home)(?:\s+(?:has\s+(?:now\s+|also\s+)?agreed|agreed|will|should|must|has\s+accepted|accepted|did\s+not\s+agree|has\s+not\s+agreed|refused|declined)\b|\s*:)",
    )
});

/// A remedy that offers a choice: "... or credit his account", "...; or, if he prefers,".
static CHOICE: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?i)[;,]?\s+or\s+(?:,\s*)?(?:if\s+\w+\s+prefers?,?\s+)?[a-z]+\s"));

/// Where a remedy comes from: its paragraph, else the Ombudsman's summary.
fn cite(r: &Remedy) -> Cite {
    r.paragraph.map_or(Cite::Summary, Cite::Paragraph)
}

/// The remedies still to do, grouped by deadline in the order the decision gives them:
/// `Within a month, the council will ...`, then `It will also ...`.
fn pending_sentences(src: &Source<'_>, name_org: bool) -> Vec<Line> {
    let pending: Vec<&Remedy> = src
        .decision
        .remedies
        .iter()
        .filter(|r| !r.already_done && r.is_agreed())
        .collect();
    let mut deadlines: Vec<Option<&str>> = Vec::new();
    for r in &pending {
        let d = r.deadline.as_deref();
        if !deadlines.contains(&d) {
            deadlines.push(d);
        }
    }
    // Remedies with a deadline first; those without one close the list.
    deadlines.sort_by_key(Option::is_none);
    let mut out = Vec::new();
    let mut first = name_org;
    for deadline in deadlines {
        for (i, r) in pending
            .iter()
            .filter(|r| r.deadline.as_deref() == deadline)
            .enumerate()
        {
            let (action, extra) = action(r);
            // A remedy another body agreed to (the council's in a case about a trust, the
            // trust's in a case about a council) is that body's.
            let subject = match agent(src, r) {
                Some(body) => capitalise(body),
                None if first => capitalise(src.org),
                None => "It".into(),
            };
            let also = if i > 0 { "also " } else { "" };
            let sentence = match (deadline, i) {
                (Some(d), 0) => {
                    format!("{}, {} will {action}", capitalise(d), lower_first(&subject))
                }
                _ => format!("{subject} will {also}{action}"),
            };
            let sentence = if first_person(&sentence) {
                quote(src.ombudsman, &r.text)
            } else {
                finish(&sentence)
            };
            out.push(Line::new(sentence, About::Remedy, cite(r)));
            out.extend(extra.map(|e| Line::new(e, About::Remedy, cite(r))));
            first = false;
        }
    }
    out
}

/// What the organisation will do, as a verb phrase (`pay Mr X £250 for ...`), and any
/// sentence that follows it.
fn action(r: &Remedy) -> (String, Option<String>) {
    match r.kind {
        RemedyKind::Apology => {
            let written = ["written", "letter", "in writing"]
                .iter()
                .any(|w| r.text.contains(w));
            let how = if written { " in writing" } else { "" };
            (
                format!("apologise{}{how}{}", to_whom(r), apology_reason(r)),
                None,
            )
        }
        // A choice ("pay Mr X £200; or reduce his arrears by £200"): the decision's words,
        // so that the choice stays one.
        RemedyKind::Payment if CHOICE.is_match(&r.text) => rewrite(&r.text),
        RemedyKind::Payment => {
            let to = r.to.as_deref().map(|t| format!(" {t}")).unwrap_or_default();
            // A refund is said as one: "refund Ms R £10", not "pay Ms R £10".
            let lower = r.text.to_lowercase();
            let verb = ["refund", "reimburse"]
                .into_iter()
                .find(|v| lower.contains(v))
                .unwrap_or("pay");
            let what = match r.amount {
                Some(a) => format!("{verb}{to} {}", a.display()),
                None if verb == "pay" => format!("make a payment{}", to_whom(r)),
                None if to.is_empty() => "make a refund".to_string(),
                None => format!("{verb}{to}"),
            };
            // A sum of several amounts ("£100 for his distress and £50 for his time")
            // has no one purpose.
            let several = r.text.matches('£').count() > 1 && r.amount.is_some();
            let purpose = if several {
                String::new()
            } else {
                pay_purpose(r)
            };
            (format!("{what}{purpose}"), None)
        }
        _ => rewrite(&r.text),
    }
}

/// The Ombudsman's words for a remedy as a verb phrase after "will": the deadline, the
/// subject and list endings dropped, `us` made `the Ombudsman`, and a long `... plan
/// which sets out ...` split in two.
fn rewrite(text: &str) -> (String, Option<String>) {
    let t = LEADING_DEADLINE.replace(text.trim(), "");
    // The deadline before the subject goes first: "Within one month the Trust has agreed
    // to arrange ..." has no comma to end it.
    let t = ANY_DEADLINE.replace_all(&t, "");
    let t = SUBJECT.replace(t.trim_start(), "");
    let t = PROVIDE_US.replace_all(&t, "send the Ombudsman");
    let t = US.replace_all(&t, "the Ombudsman");
    let t = clause(&strip_list_tail(&t));
    if let Some(c) = WHICH_SETS_OUT.captures(&t) {
        let verb = c[2]
            .replacen("sets", "set", 1)
            .replacen("explains", "explain", 1)
            .replacen("shows", "show", 1)
            .replacen("says", "say", 1);
        return (
            c[1].to_string(),
            Some(finish(&format!("The plan will {verb} {}", &c[3]))),
        );
    }
    (t, None)
}

fn to_whom(r: &Remedy) -> String {
    r.to.as_deref()
        .map(|t| format!(" to {t}"))
        .unwrap_or_default()
}

fn apology_reason(r: &Remedy) -> String {
    APOLOGY_FOR
        .captures(&r.text)
        .map(|c| format!(" {}", clause(&c[1])))
        .unwrap_or_default()
}

fn pay_purpose(r: &Remedy) -> String {
    let Some(c) = PAY_PURPOSE.captures(&r.text) else {
        return String::new();
    };
    // The purpose alone: what follows it (", and to consider ...", " and review ...") is
    // another remedy.
    let purpose = |m: regex::Match<'_>| {
        let t = m.as_str();
        let end = NEXT_REMEDY.find(t).map_or(t.len(), |n| n.start());
        clause(&t[..end])
    };
    match (c.get(1), c.get(2)) {
        (Some(m), _) => format!(" for {}", purpose(m)),
        (_, Some(m)) => format!(" {}", purpose(m)),
        _ => String::new(),
    }
}

/// `The trust` -> `the trust`; `The NHS body` -> `the NHS body`.
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A clause from the decision, tidied, to go inside one of our sentences.
fn clause(text: &str) -> String {
    let t = tidy(text.trim());
    let t = t.trim_end_matches('.');
    let mut chars = t.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
