//! Plain-English summaries of the fixture pages of every kind of decision that
//! `REAL-DECISIONS.md` describes, in both layouts: each asserted sentence by sentence.
//! The fixtures are written for these tests (`tests/fixtures/kinds/README.md`).

use std::path::{Path, PathBuf};

use casebook::decision::Decision;
use casebook::import::{self, Imported};
use casebook::summary::{readability, summarise, PlainSummary};

const LAYOUTS: [&str; 2] = ["numbered", "compact"];

fn kinds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kinds")
}

/// Imports one fixture the way `casebook import` does.
fn import_kind(kind: &str, layout: &str) -> Imported {
    let path = kinds_dir().join(kind).join(format!("{layout}.txt"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = import::decode(&path, &bytes).unwrap_or_else(|d| panic!("{d}"));
    import::import_text(&path, &text, "0").unwrap_or_else(|ds| panic!("{}: {ds:?}", path.display()))
}

fn every_kind() -> Vec<String> {
    let mut kinds: Vec<String> = std::fs::read_dir(kinds_dir())
        .expect("kinds folder")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    kinds.sort();
    kinds
}

#[test]
#[ignore = "prints every kind's summary for review"]
fn prints_every_kind() {
    for kind in every_kind() {
        for layout in LAYOUTS {
            let imported = import_kind(&kind, layout);
            let d: &Decision = &imported.decision;
            let s: PlainSummary = summarise(d);
            println!(
                "== {kind}/{layout} ({:.1}) {:?}\n{}",
                readability::measure(&s.text()).reading_ease,
                d.outcome,
                s.headline
            );
            for p in &s.parts {
                println!("  {}: {} {:?}", p.title, p.text, p.paragraphs);
            }
            for w in &imported.warnings {
                println!("  warning: {w}");
            }
        }
    }
}
