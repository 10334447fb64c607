//! The TOML front matter of a decision file, and its conversion to and from [`Decision`].
//!
//! [`FrontMatter`] is shaped like the file (a TOML date, tables for findings, remedies and
//! provenance); [`Decision`] is shaped like the domain. Keeping them apart lets the file
//! format stay readable for editors while the model stays typed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use toml::value::{Date as TomlDate, Datetime};

use crate::decision::Outcome;
use crate::decision::{Decision, Field, Findings, Provenance, Reference, Remedy};

/// The front matter exactly as it is written in a content file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    reference: Reference,
    council: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    subcategory: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    outcome: Option<Outcome>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    decision_date: Option<Datetime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source_url: Option<String>,
    #[serde(default)]
    inferred: Vec<Field>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    incomplete: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    plain_summary: Option<String>,
    #[serde(default)]
    findings: FindingsTable,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    remedies: Vec<Remedy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    provenance: Option<Provenance>,
}

/// `[findings]`, with the same fields as [`Findings`] but unknown keys rejected.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FindingsTable {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fault: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fault_paragraph: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    injustice: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    injustice_paragraph: Option<u32>,
}

/// A front-matter value that is well-formed TOML but not a valid decision field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The key that holds the bad value.
    pub key: &'static str,
    /// What is wrong.
    pub message: String,
    /// What was expected.
    pub expected: String,
}

impl FrontMatter {
    /// The front matter for `decision`.
    pub fn from_decision(decision: &Decision) -> Self {
        Self {
            reference: decision.reference.clone(),
            council: decision.council.clone(),
            category: decision.category.clone(),
            subcategory: decision.subcategory.clone(),
            outcome: decision.outcome,
            decision_date: decision.decision_date.map(to_toml_date),
            source_url: decision.source_url.clone(),
            inferred: decision.inferred.clone(),
            incomplete: decision.incomplete.clone(),
            summary: decision.summary.clone(),
            plain_summary: decision.plain_summary.clone(),
            findings: FindingsTable {
                fault: decision.findings.fault,
                fault_paragraph: decision.findings.fault_paragraph,
                injustice: decision.findings.injustice,
                injustice_paragraph: decision.findings.injustice_paragraph,
            },
            remedies: decision.remedies.clone(),
            provenance: decision.provenance.clone(),
        }
    }

    /// Clears `[provenance] written_sha256`, when there is a provenance table.
    pub(crate) fn clear_written_hash(&mut self) {
        if let Some(p) = self.provenance.as_mut() {
            p.written_sha256 = None;
        }
    }

    /// The decision this front matter describes, with `body` as its text.
    pub fn into_decision(self, body: String) -> Result<Decision, FieldError> {
        let decision_date = self.decision_date.map(from_toml_date).transpose()?;
        Ok(Decision {
            reference: self.reference,
            council: self.council,
            category: self.category,
            subcategory: self.subcategory,
            outcome: self.outcome,
            decision_date,
            summary: self.summary,
            plain_summary: self.plain_summary,
            source_url: self.source_url,
            inferred: self.inferred,
            findings: Findings {
                fault: self.findings.fault,
                fault_paragraph: self.findings.fault_paragraph,
                injustice: self.findings.injustice,
                injustice_paragraph: self.findings.injustice_paragraph,
            },
            remedies: self.remedies,
            provenance: self.provenance,
            incomplete: self.incomplete,
            body,
        })
    }
}

fn to_toml_date(date: NaiveDate) -> Datetime {
    use chrono::Datelike;
    Datetime {
        date: Some(TomlDate {
            year: u16::try_from(date.year()).unwrap_or(0),
            month: u8::try_from(date.month()).unwrap_or(0),
            day: u8::try_from(date.day()).unwrap_or(0),
        }),
        time: None,
        offset: None,
    }
}

fn from_toml_date(value: Datetime) -> Result<NaiveDate, FieldError> {
    let bad = |message: String| FieldError {
        key: "decision_date",
        message,
        expected: "a TOML date with no time, like 2022-08-25".to_string(),
    };
    match (value.date, value.time) {
        (Some(d), None) => {
            NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                .ok_or_else(|| bad(format!("{value} is not a date in the calendar")))
        }
        _ => Err(bad(format!("`{value}` has a time or no date"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_on_a_date_with_a_time() {
        let fm: Result<FrontMatter, _> = toml::from_str(
            "reference = \"21 019 020\"\ncouncil = \"A\"\ndecision_date = 2022-08-25T10:00:00\n",
        );
        let fm = fm.expect("valid toml");
        let err = fm.into_decision(String::new()).expect_err("time rejected");
        assert_eq!(err.key, "decision_date");
    }

    #[test]
    fn errors_on_unknown_keys() {
        let fm: Result<FrontMatter, _> =
            toml::from_str("reference = \"21 019 020\"\ncouncil = \"A\"\ncouncill = \"B\"\n");
        let err = fm.expect_err("unknown key");
        assert!(
            err.to_string().contains("unknown field `councill`"),
            "{err}"
        );
    }
}
