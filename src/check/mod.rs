//! `casebook check`'s content rules: what must hold of every content file before a deploy.
//!
//! Loading already rejects bad TOML, missing or mistyped fields, impossible dates, unknown
//! outcomes and duplicate references. On top of that, this checks that every paragraph a
//! decision points at exists (its own "paragraph 27" references, and the paragraphs its
//! findings and remedies cite), that paragraphs are numbered without gaps, and warns about
//! fields a reader will miss. The plain-English summary is checked as a set of claims:
//! every statement about the investigation, fault, injustice and remedies must point at a
//! paragraph or the Ombudsman's summary, and every amount, person and date must be in the
//! decision ([`summary::trace`]). Every problem names the file, line and column.

use std::collections::BTreeSet;

use std::path::Path;

use crate::content::{self, refs, ContentFile};
use crate::decision::Decision;
use crate::diagnostics::Diagnostic;
use crate::summary::{self, trace, Origin, PlainSummary};

/// The decision being checked, and its file.
struct Checked<'a> {
    path: &'a Path,
    decision: &'a Decision,
}

mod interned;
mod links;
pub use links::{BrokenLink, LinkSink};

/// The problems in one loaded decision whose file text is `text`.
pub fn check_decision(file: &ContentFile, text: &str) -> Vec<Diagnostic> {
    let summary = summary::summarise(&file.decision);
    check_rendered(&file.path, &file.decision, text, &summary)
}

/// The problems in the decision at `path` (its file text `text`), whose page shows the
/// plain-English summary `shown`.
pub fn check_rendered(
    path: &Path,
    decision: &Decision,
    text: &str,
    shown: &PlainSummary,
) -> Vec<Diagnostic> {
    let file = Checked { path, decision };
    let mut out = paragraph_problems(&file, text);
    for (missing, field) in [
        (decision.outcome.is_none(), "outcome"),
        (decision.decision_date.is_none(), "decision_date"),
        (decision.category.is_none(), "category"),
    ] {
        if missing {
            out.push(Diagnostic::warning(
                file.path,
                format!("no `{field}`: the decision will be listed without one"),
            ));
        }
    }
    if let Some(what) = &decision.incomplete {
        let offset = find_key(text, "incomplete").unwrap_or(0);
        out.push(
            Diagnostic::warning(
                file.path,
                format!("this copy of the decision is incomplete ({what}): its page says so"),
            )
            .at_span(text, offset, offset + "incomplete".len()),
        );
    }
    out.extend(summary_problems(&file, text, shown));
    if let Some(url) = &decision.source_url {
        if !url.starts_with("https://") && !url.starts_with("http://") {
            let offset = find_key(text, "source_url").unwrap_or(0);
            out.push(
                Diagnostic::error(file.path, format!("`{url}` is not a web address"))
                    .at_span(text, offset, offset + "source_url".len())
                    .expected("an address starting with https://"),
            );
        }
    }
    out
}

/// References in the text, and paragraphs cited by the front matter, to paragraphs that
/// do not exist (errors); a gap in the numbering (a warning).
fn paragraph_problems(file: &Checked<'_>, text: &str) -> Vec<Diagnostic> {
    let decision = file.decision;
    let numbers = &refs::paragraph_numbers(&decision.body);
    let mut out = Vec::new();
    let body_offset = content::split::split(text).map_or(0, |s| text.len() - s.body.len());
    for r in refs::paragraph_refs(&decision.body) {
        if !numbers.contains(&r.number) {
            out.push(
                Diagnostic::error(
                    file.path,
                    format!(
                        "the text refers to paragraph {}, which does not exist",
                        r.number
                    ),
                )
                .at_span(text, body_offset + r.span.start, body_offset + r.span.end)
                .expected(expected_range(numbers)),
            );
        }
    }
    let cited = [
        ("fault_paragraph", decision.findings.fault_paragraph),
        ("injustice_paragraph", decision.findings.injustice_paragraph),
    ]
    .into_iter()
    .chain(decision.remedies.iter().map(|r| ("paragraph", r.paragraph)));
    for (key, paragraph) in cited {
        let Some(n) = paragraph else { continue };
        if !numbers.contains(&n) {
            let offset = find_value(text, key, n).unwrap_or(0);
            out.push(
                Diagnostic::error(
                    file.path,
                    format!("`{key} = {n}` cites a paragraph that does not exist"),
                )
                .at_span(text, offset, offset + key.len())
                .expected(expected_range(numbers)),
            );
        }
    }
    if decision.findings.fault == Some(false) && decision.findings.injustice == Some(true) {
        let offset = text.find("injustice = true").unwrap_or(0);
        out.push(
            Diagnostic::warning(
                file.path,
                "`injustice = true` with `fault = false`: the page would say there was no fault and an injustice from it",
            )
            .at_span(text, offset, offset + "injustice".len())
            .expected("`injustice` found only with `fault = true`, as the Ombudsman finds injustice only where there was fault"),
        );
    }
    if let Some(gap) = first_gap(numbers) {
        out.push(Diagnostic::warning(
            file.path,
            format!("paragraph {gap} is missing: the paragraphs are not numbered continuously"),
        ));
    }
    out
}

/// The plain-English summary's claims that the decision does not support: errors for the
/// generated summary (a fault in casebook), warnings for an editor's (`plain_summary`).
fn summary_problems(file: &Checked<'_>, text: &str, s: &PlainSummary) -> Vec<Diagnostic> {
    trace::untraceable(file.decision, s)
        .into_iter()
        .map(|problem| match s.origin {
            Origin::Generated => Diagnostic::error(
                file.path,
                format!("the generated plain-English summary: {problem}"),
            )
            .expected("every claim traced to the decision: please report this"),
            Origin::Editor => {
                let offset = find_key(text, "plain_summary").unwrap_or(0);
                Diagnostic::warning(file.path, format!("`plain_summary`: {problem}")).at_span(
                    text,
                    offset,
                    offset + "plain_summary".len(),
                )
            }
        })
        .collect()
}

fn expected_range(numbers: &BTreeSet<u32>) -> String {
    match (numbers.first(), numbers.last()) {
        (Some(a), Some(b)) => format!("a paragraph from {a} to {b}"),
        _ => "a decision with numbered paragraphs".to_string(),
    }
}

fn first_gap(numbers: &BTreeSet<u32>) -> Option<u32> {
    (1..)
        .zip(numbers.iter())
        .find(|(expected, n)| *n != expected)
        .map(|(expected, _)| expected)
}

fn find_key(text: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with(key) {
            return Some(offset + line.len() - line.trim_start().len());
        }
        offset += line.len();
    }
    None
}

fn find_value(text: &str, key: &str, value: u32) -> Option<usize> {
    let wanted = format!("{key} = {value}");
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim() == wanted {
            return Some(offset + line.len() - line.trim_start().len());
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn file(text: &str) -> ContentFile {
        let path = Path::new("content/decisions/2020/20-000-001.md");
        let decision = content::load::parse_decision(path, text).expect("valid file");
        ContentFile {
            path: path.to_path_buf(),
            decision,
        }
    }

    const HEAD: &str =
        "+++\nreference = \"20 000 001\"\ncouncil = \"A Council\"\noutcome = \"Upheld\"\n\
                        decision_date = 2020-01-02\ncategory = \"Education\"\n";

    #[test]
    fn can_pass_a_sound_decision() {
        let text = format!("{HEAD}+++\n\n## A\n\n1. One.\n2. As paragraph 1 says.\n");
        assert!(check_decision(&file(&text), &text).is_empty());
    }

    #[test]
    fn errors_on_a_reference_to_a_missing_paragraph_at_its_place() {
        let text = format!("{HEAD}+++\n\n## A\n\n1. One.\n2. See paragraphs 1 and 7.\n");
        let d = check_decision(&file(&text), &text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("paragraph 7"));
        let loc = d[0].location.expect("located");
        assert_eq!((loc.line, loc.column), (12, 25));
        assert_eq!(d[0].expected.as_deref(), Some("a paragraph from 1 to 2"));
    }

    #[test]
    fn errors_on_a_remedy_citing_a_missing_paragraph() {
        let text = format!(
            "{HEAD}\n[[remedies]]\nkind = \"apology\"\ntext = \"Apologise.\"\nparagraph = 9\n+++\n\n1. One.\n"
        );
        let d = check_decision(&file(&text), &text);
        assert_eq!(d[0].location.expect("located").line, 11);
        // The summary's sentence about the apology points at the same missing paragraph.
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(d[1].message.contains("plain-English summary"), "{d:?}");
        assert!(d[1]
            .message
            .contains("paragraph 9, which the decision does not have"));
    }

    #[test]
    fn errors_on_a_summary_claim_that_points_nowhere() {
        // A remedy with no paragraph and no Ombudsman's summary to come from.
        let text = format!(
            "{HEAD}\n[[remedies]]\nkind = \"apology\"\ntext = \"Apologise to Mr X.\"\nto = \"Mr X\"\n+++\n\n1. Mr X complains.\n"
        );
        let d = check_decision(&file(&text), &text);
        assert!(
            d.iter().any(|d| d
                .message
                .contains("points at the Ombudsman's summary, which the decision does not have")),
            "{d:?}"
        );
    }

    #[test]
    fn warns_about_gaps_and_missing_fields() {
        let text = "+++\nreference = \"20 000 001\"\ncouncil = \"A\"\n+++\n\n1. One.\n3. Three.\n";
        let d = check_decision(&file(text), text);
        let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert!(
            messages
                .iter()
                .any(|m| m.contains("paragraph 2 is missing")),
            "{messages:?}"
        );
        assert_eq!(d.iter().filter(|d| d.is_error()).count(), 0);
        assert_eq!(d.len(), 4);
    }
}
