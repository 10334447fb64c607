//! The headline: what the Ombudsman did and found, then the main things that put it right
//! ("The council was at fault. It has apologised and will pay Mr B £750.").
//!
//! Each sentence comes from the decision's words: what the Ombudsman did with the
//! complaint (see [`super::course`]) and its conclusions. The outcome line is only ever
//! reported as what it is ("The complaint is recorded as upheld."), never as a finding.

use super::course::{Course, Reading};
use super::findings::Conclusion;
use super::line::{About, Cite, Line};
use super::next_steps::summary_actions;
use super::plain_words::capitalise;
use super::source::{person, Source};
use super::text::{finish, join_and};
use crate::decision::{Commitment, Outcome, Remedy, RemedyKind};

/// The headline's sentences for the decision read by `src`.
pub(crate) fn headline(src: &Source<'_>, reading: &Reading, found: &[Conclusion]) -> Vec<Line> {
    let d = src.decision;
    let who = src.ombudsman;
    let recorded = d.outcome.map(|o| {
        Line::new(
            format!("The complaint is recorded as {}.", o.label().to_lowercase()),
            About::Outcome,
            Cite::Outcome,
        )
    });
    // What the Ombudsman did and found, and whether a remedy clause follows it.
    let (mut out, remedied) = match reading.course {
        Course::NotInvestigated => {
            let mut out = because(&format!("{who} decided not to investigate"), reading);
            if d.outcome != Some(Outcome::ClosedAfterInitialEnquiries) {
                out.extend(recorded);
            }
            return out;
        }
        Course::AlreadyPutRight => {
            let mut out = because(&format!("{who} did not investigate"), reading);
            out.extend(recorded);
            return out;
        }
        Course::Stopped => {
            let mut out = because(
                &format!("{who} started to investigate but stopped"),
                reading,
            );
            out.extend(recorded);
            return out;
        }
        Course::ResolvedEarly => (
            vec![Line::new(
                format!(
                    "{who} upheld the complaint, because {} agreed to put things right early.",
                    src.org
                ),
                About::Investigation,
                reading.cite,
            )],
            true,
        ),
        Course::Investigated | Course::Unknown => (
            conclusions(src, found, recorded),
            found.iter().any(|c| c.fault && c.about_org),
        ),
    };
    if remedied {
        out.extend(remedy_clause(src, &d.remedies));
    }
    out
}

/// "... decided not to investigate. This is because the complaint was made too late."
fn because(what: &str, reading: &Reading) -> Vec<Line> {
    let mut lines = vec![Line::new(finish(what), About::Investigation, reading.cite)];
    if let Some(r) = &reading.reason {
        lines.push(Line::new(
            finish(&format!("This is because {}", r.clause)),
            About::Investigation,
            r.cite,
        ));
    }
    lines
}

/// What an investigation found about the organisation: "The council was at fault.", or
/// "The Ombudsman found no fault by the council."; the outcome as recorded when it says
/// otherwise or nothing was found.
fn conclusions(src: &Source<'_>, found: &[Conclusion], recorded: Option<Line>) -> Vec<Line> {
    let who = src.ombudsman;
    let mut out = Vec::new();
    let fault = found.iter().find(|c| c.fault && c.about_org);
    let no_fault = found.iter().find(|c| !c.fault && c.about_org);
    if let Some(c) = fault {
        // Only the organisation's admission, where the Ombudsman made no finding of its own
        // ("I do not need to decide whether there was fault ... The Council has already
        // accepted that"): said as the admission.
        let admitted = found
            .iter()
            .filter(|c| c.fault && c.about_org)
            .all(|c| c.admission.is_some());
        let sentence = match &c.admission {
            Some(verb) if admitted => format!("{} {verb} it was at fault.", capitalise(src.org)),
            _ => format!("{} was at fault.", capitalise(src.org)),
        };
        out.push(Line::new(sentence, About::Fault, c.cite));
    } else if let Some(c) = no_fault {
        let more = if c.further { "further " } else { "" };
        out.push(Line::new(
            format!("{who} found no {more}fault by {}.", src.org),
            About::Fault,
            c.cite,
        ));
    }
    let disagrees = match src.decision.outcome {
        Some(Outcome::Upheld) => fault.is_none(),
        Some(Outcome::NotUpheld) => found.iter().any(|c| c.fault) || no_fault.is_none(),
        _ => false,
    };
    if disagrees || out.is_empty() {
        out.extend(recorded);
    }
    if out.is_empty() {
        out.push(Line::note(
            "This copy of the decision does not say what the Ombudsman decided.",
        ));
    }
    out
}

/// `It has apologised and will pay Mr B £750.`, `It will apologise to Mr X, pay him £250
/// and take other action.`, `It has apologised and agreed to do more.`, `It has
/// apologised, and nothing more is needed.`
fn remedy_clause(src: &Source<'_>, all: &[Remedy]) -> Option<Line> {
    let refused = not_agreed(all);
    let line = agreed_clause(src, all)?;
    if refused.is_empty() {
        return Some(line);
    }
    let text = line.text.trim_end_matches('.');
    Some(Line {
        text: format!("{text}, but it did not agree to {refused}."),
        ..line
    })
}

/// What the organisation did not agree to (`apologise and pay Ms Y £1,400`), or nothing.
fn not_agreed(remedies: &[Remedy]) -> String {
    let mut bits: Vec<String> = Vec::new();
    let mut named: Option<&str> = None;
    for r in remedies
        .iter()
        .filter(|r| r.commitment == Commitment::NotAgreed)
    {
        let bit = to_come(r, &mut named).unwrap_or_else(|| match r.kind {
            RemedyKind::Payment => "make a payment".to_string(),
            _ => "take other action".to_string(),
        });
        if !bits.contains(&bit) {
            bits.push(bit);
        }
    }
    join_and(&bits)
}

/// The remedies the organisation agreed to, as one sentence; when it agreed to none of
/// those the decision names, that it did not agree to them.
fn agreed_clause(src: &Source<'_>, all: &[Remedy]) -> Option<Line> {
    let remedies: Vec<Remedy> = all.iter().filter(|r| r.is_agreed()).cloned().collect();
    let conditional = all.iter().any(|r| r.commitment == Commitment::Conditional);
    let cite = all
        .iter()
        .find_map(|r| r.paragraph)
        .map_or(Cite::Summary, Cite::Paragraph);
    let refused = not_agreed(all);
    if remedies.is_empty() && !conditional && !refused.is_empty() {
        return Some(Line::new(
            format!("It did not agree to {refused}."),
            About::Remedy,
            cite,
        ));
    }
    let recommended = all.iter().any(|r| r.commitment == Commitment::Recommended);
    if remedies.iter().all(|r| r.already_done) && !conditional && recommended {
        return Some(Line::new(
            format!("{} asked it to put things right.", src.ombudsman),
            About::Remedy,
            cite,
        ));
    }
    let (done, mut pending) = apologies_and_payments(&remedies);
    let other = conditional
        || remedies.iter().any(|r| {
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
        (false, true, false) if src.incomplete => format!("It has {done}"),
        (false, true, false) => format!("It has {done}, and nothing more is needed"),
        (true, true, false) => return no_remedy_read(src),
    };
    Some(Line::new(finish(&sentence), About::Remedy, cite))
}

/// When no remedy was read: that the organisation agreed to act, where the decision has
/// an action section; what the Ombudsman's summary says of a copy cut short; or nothing
/// ("What happens now" says the Ombudsman asked for nothing more).
fn no_remedy_read(src: &Source<'_>) -> Option<Line> {
    let action = src.section(|h| h.contains("action") || h.contains("recommendation"));
    if let Some(section) = action {
        let cite = section
            .paragraphs
            .first()
            .map_or(Cite::None, |p| Cite::Paragraph(p.number));
        return Some(Line::new(
            "It has agreed to take action.",
            About::Remedy,
            cite,
        ));
    }
    if src.incomplete || src.is_truncated() {
        // Only what the Ombudsman's own summary says.
        return summary_actions(src)
            .into_iter()
            .next()
            .map(|s| Line::new(replace_org(&s, src), About::Remedy, Cite::Summary));
    }
    None
}

/// The apologies and payments already made (`apologised`, `paid Mr B £750`) and those to
/// come (`apologise to Mr X`, `pay him £250`), each once.
fn apologies_and_payments(remedies: &[Remedy]) -> (Vec<String>, Vec<String>) {
    let mut done: Vec<String> = Vec::new();
    let mut pending: Vec<String> = Vec::new();
    let mut named: Option<&str> = None;
    for r in remedies {
        let bit = match (r.kind, r.amount) {
            (RemedyKind::Apology, _) if r.already_done => "apologised".to_string(),
            (RemedyKind::Payment, Some(a)) if r.already_done => {
                format!("paid{} {}", to(r, &mut named), a.display())
            }
            _ => match to_come(r, &mut named) {
                Some(bit) => bit,
                None => continue,
            },
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
    (done, pending)
}

/// An apology or a payment with its amount, still to come, as a verb phrase: `apologise
/// to Mr X`, `pay him £250`.
fn to_come<'a>(r: &'a Remedy, named: &mut Option<&'a str>) -> Option<String> {
    match (r.kind, r.amount) {
        (RemedyKind::Apology, _) => Some(format!("apologise{}", to(r, named))),
        (RemedyKind::Payment, Some(a)) => Some(format!("pay{} {}", to(r, named), a.display())),
        _ => None,
    }
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
