use std::path::{Path, PathBuf};

use super::*;
use crate::config::Settings;
use crate::decision::{Decision, Outcome, Reference};
use crate::site::Glossary;

/// Three decisions, one undated, one with markup in its council name.
pub(crate) fn sample_site() -> Site {
    let make = |r: &str, council: &str, date: Option<(i32, u32, u32)>| Decision {
        category: Some("Education".into()),
        subcategory: Some("Special educational needs".into()),
        outcome: Some(Outcome::Upheld),
        decision_date: date.and_then(|(y, m, d)| chrono::NaiveDate::from_ymd_opt(y, m, d)),
        summary: Some(format!("Summary of {r} <script>alert(1)</script>")),
        body: "1. Text.\n".into(),
        ..Decision::new(Reference::parse(r).expect("reference"), council)
    };
    let files = vec![
        make("21 000 001", "A Council", Some((2021, 3, 1))),
        make(
            "22 000 002",
            "<script>B</script> Council",
            Some((2022, 3, 1)),
        ),
        make("23 000 003", "A Council", None),
    ]
    .into_iter()
    .map(|d| (PathBuf::from(format!("{}.md", d.reference.slug())), d))
    .collect();
    Site::new(
        Settings::with_defaults(Path::new(".")),
        files,
        Vec::new(),
        Glossary::default(),
    )
}

pub(crate) fn sample_extracts(site: &Site) -> Vec<DecisionExtract> {
    site.decisions
        .iter()
        .map(|d| DecisionExtract {
            plain_summary: format!("Plain summary of {}", d.reference),
            origin: Origin::Generated,
        })
        .collect()
}
