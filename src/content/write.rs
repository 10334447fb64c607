//! Writing decisions to `content/` without ever losing a hand edit.
//!
//! A file written by casebook records, in `[provenance] written_sha256`, the SHA-256 of its
//! own text without that line. A file whose text no longer matches that hash was edited by
//! hand: [`persist`] leaves it alone unless forced, and then keeps it beside the new one.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::front_matter::FrontMatter;
use crate::decision::Decision;
use crate::fs::{with_path, write_atomic};

const HASH_KEY: &str = "written_sha256 = ";

/// The text of the content file for `decision`: TOML front matter between `+++` lines, a
/// blank line, then the Markdown body. Deterministic: the same decision gives the same bytes.
pub fn render_file(decision: &Decision) -> Result<String, toml::ser::Error> {
    let mut front = FrontMatter::from_decision(decision);
    front.clear_written_hash();
    let front = toml::to_string(&front)?;
    let draft = format!("+++\n{front}+++\n\n{}\n", decision.body.trim_end());
    if decision.provenance.is_none() {
        return Ok(draft);
    }
    // `[provenance]` is the front matter's last table and `written_sha256` its last key,
    // so the hash of the draft goes on the line before the closing `+++`: the file TOML
    // would write with it, composed once.
    let at = "+++\n".len() + front.len();
    let line = format!("{HASH_KEY}\"{}\"\n", sha256_hex(draft.as_bytes()));
    let text = [&draft[..at], &line, &draft[at..]].concat();
    debug_assert_eq!(without_hash_line(&text), draft);
    Ok(text)
}

/// SHA-256 of `bytes` as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// The byte range of the `written_sha256` line inside the front matter (between the opening
/// `+++` and the closing one), newline included. A body line that happens to start the same
/// way is the decision's text, never the hash.
fn hash_line(text: &str) -> Option<std::ops::Range<usize>> {
    let mut lines = text.split_inclusive('\n');
    let opening = lines.next()?;
    if opening.trim_end() != "+++" {
        return None;
    }
    let mut at = opening.len();
    for line in lines {
        if line.trim_end() == "+++" {
            return None;
        }
        if line.starts_with(HASH_KEY) {
            return Some(at..at + line.len());
        }
        at += line.len();
    }
    None
}

fn without_hash_line(text: &str) -> String {
    match hash_line(text) {
        Some(range) => [&text[..range.start], &text[range.end..]].concat(),
        None => text.to_string(),
    }
}

/// True when `text` is exactly what casebook wrote: its recorded hash matches its content.
/// A file with no recorded hash was written by a person, so it counts as edited.
pub fn is_untouched(text: &str) -> bool {
    let recorded = hash_line(text).and_then(|range| {
        text[range]
            .strip_prefix(HASH_KEY)
            .map(|v| v.trim().trim_matches('"').to_string())
    });
    recorded.is_some_and(|hash| hash == sha256_hex(without_hash_line(text).as_bytes()))
}

/// What [`persist`] did with one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Persisted {
    /// There was no file; it was written.
    Created,
    /// The file already held exactly these bytes; nothing was written.
    Unchanged,
    /// The file was casebook's own and out of date; it was replaced.
    Updated,
    /// The file was edited by hand and left alone.
    KeptHandEdit,
    /// The file was edited by hand; it was moved to `backup` and the new one written.
    Replaced {
        /// Where the hand-edited file now is.
        backup: PathBuf,
    },
}

/// Writes `text` to `path` unless that would lose a hand edit. With `force`, a hand-edited
/// file is first renamed to `<name>.md.<timestamp>.bak` beside the new one.
pub fn persist(path: &Path, text: &str, force: bool) -> std::io::Result<Persisted> {
    let existing = match std::fs::read(path) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(with_path(e, "read", path)),
    };
    let Some(existing) = existing else {
        write_atomic(path, text.as_bytes())?;
        return Ok(Persisted::Created);
    };
    if existing == text.as_bytes() {
        return Ok(Persisted::Unchanged);
    }
    let untouched = std::str::from_utf8(&existing).is_ok_and(is_untouched);
    if untouched {
        write_atomic(path, text.as_bytes())?;
        return Ok(Persisted::Updated);
    }
    if !force {
        return Ok(Persisted::KeptHandEdit);
    }
    let backup = backup_path(path);
    std::fs::rename(path, &backup).map_err(|e| with_path(e, "move aside", path))?;
    write_atomic(path, text.as_bytes())?;
    Ok(Persisted::Replaced { backup })
}

fn backup_path(path: &Path) -> PathBuf {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let mut candidate = path.with_file_name(format!("{name}.{stamp}.bak"));
    let mut n = 1;
    while candidate.exists() {
        candidate = path.with_file_name(format!("{name}.{stamp}-{n}.bak"));
        n += 1;
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decision::{Provenance, Reference};

    fn decision() -> Decision {
        Decision {
            category: Some("Education".into()),
            decision_date: chrono::NaiveDate::from_ymd_opt(2022, 8, 25),
            summary: Some("A \"quoted\" summary.".into()),
            provenance: Some(Provenance {
                source_file: "a.txt".into(),
                source_sha256: "00".into(),
                written_sha256: None,
            }),
            body: "## The complaint\n\n1. Text.\n".into(),
            ..Decision::new(Reference::parse("21 019 020").expect("ref"), "Test Council")
        }
    }

    /// The file as TOML itself writes it with the hash in: composed without the hash,
    /// hashed, composed again (as `render_file` did before it composed once).
    fn composed_twice(decision: &Decision) -> String {
        let compose = |d: &Decision| {
            let front = toml::to_string(&FrontMatter::from_decision(d)).expect("serialises");
            format!("+++\n{front}+++\n\n{}\n", d.body.trim_end())
        };
        let mut d = decision.clone();
        if let Some(p) = d.provenance.as_mut() {
            p.written_sha256 = None;
        }
        let draft = compose(&d);
        if let Some(p) = d.provenance.as_mut() {
            p.written_sha256 = Some(sha256_hex(draft.as_bytes()));
        }
        compose(&d)
    }

    #[test]
    fn writes_the_hash_where_toml_would() {
        use crate::decision::{Money, Remedy, RemedyKind};
        let plain = decision();
        let mut full = decision();
        full.remedies = vec![Remedy {
            kind: RemedyKind::Payment,
            text: "Pay Mr X £250.".into(),
            amount: Some(Money { pence: 25_000 }),
            to: Some("Mr X".into()),
            deadline: Some("within one month".into()),
            already_done: false,
            commitment: crate::decision::Commitment::Agreed,
            paragraph: Some(3),
        }];
        full.findings.fault = Some(true);
        full.plain_summary = Some("Ours.".into());
        let mut stale = decision();
        if let Some(p) = stale.provenance.as_mut() {
            p.written_sha256 = Some("an old hash".into());
        }
        let mut none = decision();
        none.provenance = None;
        for d in [plain, full, stale, none] {
            assert_eq!(render_file(&d).expect("renders"), composed_twice(&d));
        }
    }

    #[test]
    fn can_detect_untouched_and_hand_edited_files() {
        let text = render_file(&decision()).expect("renders");
        assert!(text.contains("decision_date = 2022-08-25\n"), "{text}");
        assert!(is_untouched(&text));
        let edited = text.replace("Text.", "Text, corrected.");
        assert!(!is_untouched(&edited));
        assert!(!is_untouched("+++\nreference = \"21 019 020\"\n+++\n"));
    }

    /// Found by fuzzing (`tests/fixtures/fuzz/load_content-render_file-assert.md`): a body
    /// line that starts like the hash line was dropped from the hashed text, so the file's own
    /// check failed and an editor's change to that line went unnoticed.
    #[test]
    fn can_keep_a_body_line_that_looks_like_the_hash_line() {
        let mut d = decision();
        d.body = "1. Text.\n\nwritten_sha256 = \"abc\"\n".into();
        let text = render_file(&d).expect("renders");
        assert!(text.ends_with("written_sha256 = \"abc\"\n"), "{text}");
        assert!(is_untouched(&text));
        assert!(!is_untouched(&text.replace("= \"abc\"", "= \"abd\"")));
    }

    #[test]
    fn can_render_the_fuzzed_content_file_again() {
        let fixture = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/fuzz/load_content-render_file-assert.md"
        );
        let text = std::fs::read_to_string(fixture).expect("fixture");
        let decision = super::super::load::parse_decision(std::path::Path::new(fixture), &text)
            .expect("the fixture is a valid content file");
        let again = render_file(&decision).expect("renders");
        assert!(is_untouched(&again));
    }

    #[test]
    fn can_keep_hand_edits_unless_forced() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("21-019-020.md");
        let text = render_file(&decision()).expect("renders");
        assert_eq!(
            persist(&path, &text, false).expect("write"),
            Persisted::Created
        );
        assert_eq!(
            persist(&path, &text, false).expect("write"),
            Persisted::Unchanged
        );

        let mut newer = decision();
        newer.council = "Renamed Council".into();
        let newer_text = render_file(&newer).expect("renders");
        assert_eq!(
            persist(&path, &newer_text, false).expect("write"),
            Persisted::Updated
        );

        let hand = newer_text.replace("Text.", "Text, corrected by an editor.");
        std::fs::write(&path, &hand).expect("hand edit");
        assert_eq!(
            persist(&path, &text, false).expect("write"),
            Persisted::KeptHandEdit
        );
        assert_eq!(std::fs::read_to_string(&path).expect("read"), hand);

        let Persisted::Replaced { backup } = persist(&path, &text, true).expect("write") else {
            panic!("expected a replacement");
        };
        assert_eq!(std::fs::read_to_string(&backup).expect("backup"), hand);
        assert_eq!(std::fs::read_to_string(&path).expect("new"), text);
    }
}
