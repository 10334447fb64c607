//! The headline: what the Ombudsman decided, then the main things that put it right
//! ("The council was at fault. It has apologised and will pay Mr B £750.").
//!
//! The outcome decides the first sentence and is never contradicted.

use super::next_steps::summary_actions;
use super::plain_words::capitalise;
use super::reasons::reason;
use super::source::{person, Source};
use super::text::{finish, join_and};
use crate::decision::{Outcome, Remedy, RemedyKind};

/// The headline for the decision read by `src`.
pub(crate) fn headline(src: &Source<'_>) -> String {
    let d = src.decision;
    let org = capitalise(src.org);
    match (d.outcome, d.findings.fault) {
        (Some(Outcome::ClosedAfterInitialEnquiries), _) => {
            return match reason(src) {
                Some(r) => finish(&format!(
                    "The Ombudsman did not investigate this complaint, because {}",
                    r.short
                )),
                None => "The Ombudsman did not investigate this complaint.".into(),
            };
        }
        (Some(Outcome::NotUpheld), _) => {
            return format!("{org} was not at fault, so it does not need to do anything.");
        }
        // No stated outcome: the importer's finding speaks, when there is one.
        (None, Some(false)) => return format!("{org} was not at fault."),
        (None, None) => {
            return "This copy of the decision does not say what the Ombudsman decided.".into()
        }
        (Some(Outcome::Upheld), _) | (None, Some(true)) => {}
    }
    let remedies = remedy_clause(src, &d.remedies);
    format!("{org} was at fault. {remedies}")
        .trim_end()
        .to_string()
}

/// `It has apologised and will pay Mr B £750.`, `It will apologise to Mr X, pay him £250
/// and take other action.`, `It has apologised and agreed to do more.`, `It has
/// apologised, and nothing more is needed.`
fn remedy_clause(src: &Source<'_>, remedies: &[Remedy]) -> String {
    let mut done: Vec<String> = Vec::new();
    let mut pending: Vec<String> = Vec::new();
    let mut named: Option<&str> = None;
    for r in remedies {
        let bit = match r.kind {
            RemedyKind::Apology if r.already_done => "apologised".to_string(),
            RemedyKind::Apology => format!("apologise{}", to(r, &mut named)),
            RemedyKind::Payment => match r.amount {
                Some(a) if r.already_done => format!("paid{} {}", to(r, &mut named), a.display()),
                Some(a) => format!("pay{} {}", to(r, &mut named), a.display()),
                None => continue,
            },
            _ => continue,
        };
        let list = if r.already_done {
            &mut done
        } else {
            &mut pending
        };
        if !list.contains(&bit) {
            list.push(bit);
        }
    }
    let other = remedies.iter().any(|r| {
        !r.already_done
            && !matches!(r.kind, RemedyKind::Apology | RemedyKind::Payment)
            && !is_evidence(r)
    });
    if other && !pending.is_empty() {
        pending.push("take other action".into());
    }
    let agreed = src.section(|h| h.contains("agreed")).is_some();
    let more = if agreed {
        "agreed to do more"
    } else {
        "will do more"
    };
    let done = join_and(&done);
    let pending = join_and(&pending);
    let sentence = match (done.is_empty(), pending.is_empty(), other) {
        (false, false, _) => format!("It has {done} and will {pending}"),
        (true, false, _) => format!("It will {pending}"),
        (false, true, true) => format!("It has {done} and {more}"),
        (true, true, true) => format!(
            "It {} to put things right",
            more.replace("agreed", "has agreed")
        ),
        (false, true, false) => format!("It has {done}, and nothing more is needed"),
        (true, true, false) if src.section(|h| h.contains("action")).is_some() => {
            "It has agreed to take action".into()
        }
        (true, true, false) if src.is_truncated() => {
            return summary_actions(src)
                .into_iter()
                .next()
                .map(|s| replace_org(&s, src))
                .unwrap_or_default()
        }
        (true, true, false) => "The Ombudsman did not ask it to do anything more".into(),
    };
    finish(&sentence)
}

/// ` to Mr X` the first time a person is named (` Mr X` for a payment), then the pronoun.
fn to<'a>(r: &'a Remedy, named: &mut Option<&'a str>) -> String {
    let Some(label) = r.to.as_deref() else {
        return String::new();
    };
    let text = if *named == Some(label) {
        person(label).object.to_string()
    } else {
        label.to_string()
    };
    named.get_or_insert(label);
    if r.kind == RemedyKind::Payment {
        format!(" {text}")
    } else {
        format!(" to {text}")
    }
}

/// `The council has agreed ...` -> `It has agreed ...` after "The council was at fault."
fn replace_org(sentence: &str, src: &Source<'_>) -> String {
    let org = capitalise(src.org);
    match sentence.strip_prefix(&org) {
        Some(rest) => format!("It{rest}"),
        None => sentence.to_string(),
    }
}

fn is_evidence(r: &Remedy) -> bool {
    r.text.to_lowercase().contains("evidence")
}
