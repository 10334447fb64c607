//! Reading a decision for the summariser: the body's sections and numbered paragraphs,
//! the person who complained, and how to name the organisation.
//!
//! Reads the `Decision` only; never edits it.

use std::sync::LazyLock;

use regex::Regex;

use super::text::compile;

use crate::decision::{organisation_noun, Decision};
use crate::import::markdown;
use crate::import::parse::normalise_heading;

/// A `##` section of the body.
#[derive(Debug, Clone, Default)]
pub(crate) struct Section {
    /// The heading, lowercased with straight apostrophes (`what i found`).
    pub(crate) heading: String,
    /// Its numbered paragraphs, in order.
    pub(crate) paragraphs: Vec<Para>,
}

/// One numbered paragraph with its bullets (nested items flattened).
#[derive(Debug, Clone, Default)]
pub(crate) struct Para {
    /// The paragraph's number in the whole decision.
    pub(crate) number: u32,
    /// The paragraph's own text.
    pub(crate) text: String,
    /// Its bullets and nested items, in order.
    pub(crate) items: Vec<String>,
}

/// A person named in the decision (`Mr X`), with the pronouns that go with the title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Person {
    /// The label as the decision writes it.
    pub(crate) label: String,
    /// `he`, `she` or `they`.
    pub(crate) subject: &'static str,
    /// `him`, `her` or `them`.
    pub(crate) object: &'static str,
}

/// Everything the summariser reads from one decision.
#[derive(Debug)]
pub(crate) struct Source<'a> {
    /// The decision.
    pub(crate) decision: &'a Decision,
    /// The body's sections.
    pub(crate) sections: Vec<Section>,
    /// The person who complained, when the decision names one.
    pub(crate) complainant: Option<Person>,
    /// How our sentences name the organisation: `the council`, `the care provider`, ...
    pub(crate) org: &'static str,
    /// `The Ombudsman`, or `The Ombudsmen` in a joint case.
    pub(crate) ombudsman: &'static str,
    /// True when the importer found this copy of the decision incomplete.
    pub(crate) incomplete: bool,
}

/// The titles a decision's people are labelled by (`Mr X`), as a pattern's alternatives.
pub(crate) const TITLES: &str = "Mr|Mrs|Ms|Miss|Dr|Mx";

/// A person's label: a title and one capital letter.
pub(crate) static PERSON: LazyLock<Regex> =
    LazyLock::new(|| compile(&format!(r"\b(?:{TITLES})\s[A-Z]\b")));

impl<'a> Source<'a> {
    /// Reads `decision`.
    pub(crate) fn new(decision: &'a Decision) -> Self {
        let sections = sections(&decision.body);
        let complainant = complainant(decision, &sections);
        let joint = sections.iter().any(|s| s.heading.contains("ombudsmen"))
            || decision
                .reference
                .as_str()
                .ends_with(|c: char| c.is_ascii_alphabetic());
        Self {
            decision,
            sections,
            complainant,
            org: organisation_noun(&decision.council),
            ombudsman: if joint {
                "The Ombudsmen"
            } else {
                "The Ombudsman"
            },
            incomplete: decision.incomplete.is_some(),
        }
    }

    /// The first section with paragraphs whose heading satisfies `wanted` (a contents list
    /// before the decision repeats the headings with nothing under them).
    pub(crate) fn section(&self, wanted: impl Fn(&str) -> bool) -> Option<&Section> {
        self.sections
            .iter()
            .find(|s| wanted(&s.heading) && !s.paragraphs.is_empty())
    }

    /// The numbered paragraph `number`, wherever it is.
    pub(crate) fn paragraph(&self, number: u32) -> Option<&Para> {
        self.sections
            .iter()
            .flat_map(|s| &s.paragraphs)
            .find(|p| p.number == number)
    }

    /// True when the body has no numbered paragraphs (a truncated page).
    pub(crate) fn is_truncated(&self) -> bool {
        self.sections.iter().all(|s| s.paragraphs.is_empty())
    }

    /// The complainant's label, or a plain description when the decision names no one.
    pub(crate) fn person_label(&self) -> &str {
        self.complainant
            .as_ref()
            .map_or("the person who complained", |p| p.label.as_str())
    }
}

/// The body's `##` sections with their numbered paragraphs. Plain string matching: this
/// runs on every line of every decision.
pub(crate) fn sections(body: &str) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    let mut in_para = false;
    for line in body.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            out.push(Section {
                heading: normalise_heading(&unescape(heading)),
                paragraphs: Vec::new(),
            });
            in_para = false;
            continue;
        }
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if out.is_empty() {
            out.push(Section::default());
        }
        let Some(section) = out.last_mut() else {
            continue;
        };
        if let Some((number, text)) = numbered(line) {
            section.paragraphs.push(Para {
                number,
                text: unescape(text),
                items: Vec::new(),
            });
            in_para = true;
        } else if !line.starts_with(' ') {
            in_para = false;
        } else if let Some(para) = section.paragraphs.last_mut().filter(|_| in_para) {
            add_line(para, line);
        }
    }
    out
}

/// The Ombudsman's text without Markdown escapes or link markup (a link becomes its
/// words); most lines have neither.
fn unescape(text: &str) -> String {
    if memchr::memchr(b'\\', text.as_bytes()).is_some() || text.contains("](") {
        markdown::unescape(text)
    } else {
        text.to_string()
    }
}

/// `27. text` -> (27, "text").
fn numbered(line: &str) -> Option<(u32, &str)> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 4 {
        return None;
    }
    let rest = line[digits..].strip_prefix(". ")?;
    Some((line[..digits].parse().ok()?, rest.trim_start()))
}

/// An indented `- item`, `* item` or `1. item` -> "item".
fn item(line: &str) -> Option<&str> {
    let t = line.trim_start();
    if let Some(rest) = t
        .strip_prefix("- ")
        .or_else(|| t.strip_prefix("* "))
        .or_else(|| t.strip_prefix("+ "))
    {
        return Some(rest.trim_start());
    }
    numbered(t).map(|(_, rest)| rest)
}

fn add_line(para: &mut Para, line: &str) {
    if let Some(text) = item(line) {
        para.items.push(unescape(text));
        return;
    }
    let text = unescape(line.trim());
    let target = para.items.last_mut().unwrap_or(&mut para.text);
    target.push(' ');
    target.push_str(&text);
}

/// The first person named in the complaint, else in the Ombudsman's summary, else the
/// first one a remedy is for, else the first one in the body.
fn complainant(decision: &Decision, sections: &[Section]) -> Option<Person> {
    let complaint_text: String = sections
        .iter()
        .filter(|s| s.heading.contains("complaint") && !s.heading.contains("considered"))
        .take(1)
        .flat_map(|s| s.paragraphs.iter())
        .map(|p| format!("{} {}", p.text, p.items.join(" ")))
        .collect::<Vec<_>>()
        .join(" ");
    let label = PERSON
        .find(&complaint_text)
        .map(|m| m.as_str().to_string())
        .or_else(|| {
            decision
                .summary
                .as_deref()
                .and_then(|s| PERSON.find(s))
                .map(|m| m.as_str().to_string())
        })
        .or_else(|| decision.remedies.iter().find_map(|r| r.to.clone()))
        .or_else(|| PERSON.find(&decision.body).map(|m| m.as_str().to_string()))?;
    Some(person(&label))
}

/// A person with the pronouns that go with their title.
pub(crate) fn person(label: &str) -> Person {
    let title = label.split_whitespace().next().unwrap_or("");
    let (subject, object) = match title {
        "Mr" => ("he", "him"),
        "Mrs" | "Ms" | "Miss" => ("she", "her"),
        _ => ("they", "them"),
    };
    Person {
        label: label.to_string(),
        subject,
        object,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "## The complaint\n\n1. The complainant, whom I refer to as Mr X, complains:\n   - a \\*thing\\*;\n     continued\n   - another.\n2. Second.\n\n## What I found\n\n### Sub\n\n3. Third\n   line.\n\nInvestigator's decision on behalf of the Ombudsman\n";

    #[test]
    fn can_read_sections_paragraphs_and_items() {
        let s = sections(BODY);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].heading, "the complaint");
        assert_eq!(s[0].paragraphs.len(), 2);
        assert_eq!(
            s[0].paragraphs[0].items,
            vec!["a *thing*; continued", "another."]
        );
        assert_eq!(s[1].paragraphs[0].number, 3);
        assert_eq!(s[1].paragraphs[0].text, "Third line.");
    }

    #[test]
    fn reads_a_link_as_its_words() {
        let body = "## What I found\n\n4. As in [decision 24 005 444](<https://www.lgo.org.uk/decisions/housing/homelessness/24-005-444>), it was \\[not\\] fault:\n   - see [the Act](https://example.org/a_(b)).\n";
        let s = sections(body);
        let p = &s[0].paragraphs[0];
        assert_eq!(p.text, "As in decision 24 005 444, it was [not] fault:");
        assert_eq!(p.items, vec!["see the Act."]);
    }

    #[test]
    fn can_give_pronouns_for_titles() {
        assert_eq!(person("Ms Y").object, "her");
        assert_eq!(person("Mr B").subject, "he");
        assert_eq!(person("Dr Z").object, "them");
    }
}
