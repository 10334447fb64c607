//! Open data: `/data/decisions.json` and `/data/decisions.csv`, one record per decision
//! with every front-matter field, the page's URL and the digest's plain-English summary.
//!
//! The decision text itself is not repeated here (it is on each page, and would make the
//! files gigabytes at 100,000 decisions); everything else is.

use serde::Serialize;

use super::DecisionExtract;
use crate::decision::{Decision, Field, Findings, Provenance, Remedy, RemedyKind};
use std::io::Write;

use crate::site::Site;
use crate::summary::Origin;

/// One decision in `decisions.json`.
#[derive(Debug, Serialize)]
struct Record<'a> {
    reference: &'a str,
    url: String,
    council: &'a str,
    category: Option<&'a str>,
    subcategory: Option<&'a str>,
    outcome: Option<&'static str>,
    decision_date: Option<String>,
    summary: Option<&'a str>,
    plain_summary: &'a str,
    plain_summary_origin: Origin,
    source_url: Option<&'a str>,
    inferred: &'a [Field],
    findings: &'a Findings,
    remedies: &'a [Remedy],
    provenance: Option<&'a Provenance>,
}

fn record<'a>(site: &'a Site, index: usize, extract: &'a DecisionExtract) -> Record<'a> {
    let d: &Decision = &site.decisions[index];
    Record {
        reference: d.reference.as_str(),
        url: site.settings.absolute_url(&site.decision_path(index)),
        council: &d.council,
        category: d.category.as_deref(),
        subcategory: d.subcategory.as_deref(),
        outcome: d.outcome.map(|o| o.label()),
        decision_date: d.decision_date.map(|x| x.to_string()),
        summary: d.summary.as_deref(),
        plain_summary: &extract.plain_summary,
        plain_summary_origin: extract.origin,
        source_url: d.source_url.as_deref(),
        inferred: &d.inferred,
        findings: &d.findings,
        remedies: &d.remedies,
        provenance: d.provenance.as_ref(),
    }
}

/// Where the JSON export goes.
pub const JSON_PATH: &str = "data/decisions.json";
/// Where the CSV export goes.
pub const CSV_PATH: &str = "data/decisions.csv";

/// Every decision's record, made one at a time as they are written.
struct Records<'a> {
    site: &'a Site,
    extracts: &'a [DecisionExtract],
}

impl Serialize for Records<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let records = self.extracts.iter().enumerate();
        serializer.collect_seq(records.map(|(i, e)| record(self.site, i, e)))
    }
}

/// `data/decisions.json`, written to `out`: an array of records, newest first.
pub fn write_json(
    site: &Site,
    extracts: &[DecisionExtract],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(out, &Records { site, extracts }).map_err(std::io::Error::from)
}

const CSV_HEADER: [&str; 21] = [
    "reference",
    "url",
    "council",
    "category",
    "subcategory",
    "outcome",
    "decision_date",
    "summary",
    "plain_summary",
    "plain_summary_origin",
    "source_url",
    "inferred",
    "fault",
    "fault_paragraph",
    "injustice",
    "injustice_paragraph",
    "remedy_kinds",
    "payments_total_pounds",
    "remedies_json",
    "source_file",
    "source_sha256",
];

/// `data/decisions.csv`, written to `out`: one row per decision; lists joined with `;`,
/// remedies in full as JSON in `remedies_json`.
pub fn write_csv(
    site: &Site,
    extracts: &[DecisionExtract],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_HEADER)?;
    for (i, e) in extracts.iter().enumerate() {
        let r = record(site, i, e);
        let opt = |o: Option<&str>| o.unwrap_or("").to_string();
        let flag = |b: Option<bool>| b.map_or(String::new(), |b| b.to_string());
        let num = |n: Option<u32>| n.map_or(String::new(), |n| n.to_string());
        let payments: u64 = r
            .remedies
            .iter()
            .filter(|m| m.kind == RemedyKind::Payment && m.is_agreed())
            .filter_map(|m| m.amount.map(|a| a.pence))
            .sum();
        let row = [
            r.reference.to_string(),
            r.url.clone(),
            r.council.to_string(),
            opt(r.category),
            opt(r.subcategory),
            opt(r.outcome),
            r.decision_date.clone().unwrap_or_default(),
            opt(r.summary),
            r.plain_summary.to_string(),
            match r.plain_summary_origin {
                Origin::Generated => "generated".into(),
                Origin::Editor => "editor".into(),
            },
            opt(r.source_url),
            r.inferred
                .iter()
                .map(|f| f.name())
                .collect::<Vec<_>>()
                .join(";"),
            flag(r.findings.fault),
            num(r.findings.fault_paragraph),
            flag(r.findings.injustice),
            num(r.findings.injustice_paragraph),
            r.remedies
                .iter()
                .filter(|m| m.is_agreed())
                .map(|m| m.kind.label())
                .collect::<Vec<_>>()
                .join(";"),
            format!("{}.{:02}", payments / 100, payments % 100),
            serde_json::to_string(r.remedies)?,
            r.provenance
                .map(|p| p.source_file.clone())
                .unwrap_or_default(),
            r.provenance
                .map(|p| p.source_sha256.clone())
                .unwrap_or_default(),
        ];
        w.write_record(&row)?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{gather, OutputFile};
    use crate::render::tests::{sample_extracts, sample_site};

    fn json(site: &Site, extracts: &[DecisionExtract]) -> std::io::Result<OutputFile> {
        gather(JSON_PATH, &mut |out| write_json(site, extracts, out))
    }

    fn csv(site: &Site, extracts: &[DecisionExtract]) -> std::io::Result<OutputFile> {
        gather(CSV_PATH, &mut |out| write_csv(site, extracts, out))
    }

    #[test]
    fn can_stream_the_same_json_as_the_records_held_whole() {
        let site = sample_site();
        let extracts = sample_extracts(&site);
        let records: Vec<Record<'_>> = extracts
            .iter()
            .enumerate()
            .map(|(i, e)| record(&site, i, e))
            .collect();
        let whole = serde_json::to_vec_pretty(&records).expect("json");
        assert_eq!(json(&site, &extracts).expect("json").bytes, whole);
        let none = gather(JSON_PATH, &mut |out| write_json(&site, &[], out)).expect("json");
        assert_eq!(none.bytes, b"[]");
    }

    #[test]
    fn can_export_every_field_and_the_plain_summary_as_json() {
        let site = sample_site();
        let f = json(&site, &sample_extracts(&site)).expect("json");
        let v: serde_json::Value = serde_json::from_slice(&f.bytes).expect("valid json");
        let first = &v[0];
        for key in [
            "reference",
            "council",
            "outcome",
            "plain_summary",
            "remedies",
            "inferred",
        ] {
            assert!(first.get(key).is_some(), "{key} in {first}");
        }
        assert!(first.get("body").is_none());
    }

    #[test]
    fn can_export_csv_with_a_header_and_one_row_per_decision() {
        let site = sample_site();
        let f = csv(&site, &sample_extracts(&site)).expect("csv");
        let mut r = ::csv::Reader::from_reader(f.bytes.as_slice());
        assert_eq!(r.headers().expect("header").len(), CSV_HEADER.len());
        assert_eq!(r.records().count(), site.decisions.len());
    }
}
