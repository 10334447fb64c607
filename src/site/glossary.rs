//! The glossary: jargon in decisions (FAO, section 47, LADO, maladministration, ...) and
//! what it means in everyday words. The theme ships one (`themes/<name>/glossary.toml`);
//! a site adds or replaces terms in `content/glossary.toml`.
//!
//! Pure: parses text already read and finds terms in text. The file format:
//!
//! ```toml
//! [[terms]]
//! term = "section 47"                # the spelling shown in the glossary
//! meaning = "An enquiry by children's services when they think a child may be at risk of significant harm."
//! also = ["s47", "s.47"]             # optional: other spellings found in decisions
//! match_case = false                 # optional: default true for all-capital terms (FAO)
//! abbreviates = "child in need"      # optional: this term is short for that one (CIN); search
//!                                    # finds each one's decisions from the other
//! ```

use std::collections::HashMap;
use std::path::Path;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;

/// One explained term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The term as the glossary shows it.
    pub term: String,
    /// What it means, in everyday words.
    pub meaning: String,
    /// Other spellings.
    #[serde(default)]
    pub also: Vec<String>,
    /// Whether matching is case-sensitive; by default only for all-capital terms.
    #[serde(default)]
    pub match_case: Option<bool>,
    /// The longer term (or its spelling) that this one abbreviates: `CIN` -> `child in need`.
    #[serde(default)]
    pub abbreviates: Option<String>,
}

impl Entry {
    /// The anchor id of the term on a page: `term-section-47`.
    pub fn anchor(&self) -> String {
        format!("term-{}", slug::slugify(&self.term))
    }

    fn case_sensitive(&self) -> bool {
        self.match_case.unwrap_or_else(|| {
            self.term.chars().any(char::is_alphabetic) && !self.term.chars().any(char::is_lowercase)
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GlossaryFile {
    #[serde(default)]
    terms: Vec<Entry>,
}

/// Every term, and a matcher that finds them in text.
#[derive(Debug, Clone)]
pub struct Glossary {
    /// The terms, in file order (the site's additions after the theme's).
    pub entries: Vec<Entry>,
    matcher: Option<Regex>,
    by_spelling: HashMap<String, usize>,
}

impl Default for Glossary {
    fn default() -> Self {
        Self::new(Vec::new())
    }
}

impl Glossary {
    /// A glossary of `entries`.
    pub fn new(entries: Vec<Entry>) -> Self {
        let mut spellings: Vec<(String, bool, usize)> = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            let sensitive = e.case_sensitive();
            for s in std::iter::once(&e.term).chain(&e.also) {
                if !s.trim().is_empty() {
                    spellings.push((s.trim().to_string(), sensitive, i));
                }
            }
        }
        // Longest first, so "child in need plan" wins over "child in need".
        spellings.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        let alternatives: Vec<String> = spellings
            .iter()
            .map(|(s, sensitive, _)| {
                let flags = if *sensitive { "-i" } else { "i" };
                format!("(?{flags}:{})", regex::escape(s))
            })
            .collect();
        let matcher = if alternatives.is_empty() {
            None
        } else {
            // ASCII word boundaries keep matching on the regex crate's fast DFA path; the
            // terms are English words, so a Unicode boundary would change nothing.
            Regex::new(&format!(r"(?-u:\b)(?:{})(?-u:\b)", alternatives.join("|"))).ok()
        };
        let by_spelling = spellings
            .into_iter()
            .map(|(s, _, i)| (folded(&s), i))
            .collect();
        Self {
            entries,
            matcher,
            by_spelling,
        }
    }

    /// Parses a glossary file's text.
    pub fn parse(path: &Path, text: &str) -> Result<Vec<Entry>, Diagnostic> {
        toml::from_str::<GlossaryFile>(text)
            .map(|f| f.terms)
            .map_err(|e| {
                let (start, end) = e.span().map_or((0, 0), |r| (r.start, r.end));
                Diagnostic::error(path, e.message().trim().to_string())
                    .at_span(text, start, end)
                    .expected(
                        "[[terms]] tables with `term`, `meaning` and optional `also`, `match_case`, `abbreviates`",
                    )
            })
    }

    /// The theme's entries with the site's merged in: a site entry with the same term
    /// (ignoring case) replaces the theme's, others are added.
    pub fn merge(theme: Vec<Entry>, site: Vec<Entry>) -> Self {
        let mut entries = theme;
        for entry in site {
            let key = entry.term.to_lowercase();
            match entries.iter_mut().find(|e| e.term.to_lowercase() == key) {
                Some(existing) => *existing = entry,
                None => entries.push(entry),
            }
        }
        Self::new(entries)
    }

    /// Every glossary term in `text`: byte range and the entry's index.
    pub fn find<'a>(
        &'a self,
        text: &'a str,
    ) -> impl Iterator<Item = (std::ops::Range<usize>, usize)> + 'a {
        self.matcher.iter().flat_map(move |re| {
            re.find_iter(text).filter_map(|m| {
                let i = *self.by_spelling.get(&folded(m.as_str()))?;
                Some((m.range(), i))
            })
        })
    }
}

/// A spelling as its matches are looked up: in lower case, and with a long s (`ſ`, which
/// the pattern's case folding matches as `s` but which has no lower case of its own) as
/// `s`. The Kelvin sign, the other letter the folding adds to English words, lowercases to
/// `k` already.
fn folded(text: &str) -> String {
    let lower = text.to_lowercase();
    if lower.contains('\u{17f}') {
        lower.replace('\u{17f}', "s")
    } else {
        lower
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(term: &str, also: &[&str]) -> Entry {
        Entry {
            term: term.into(),
            meaning: format!("meaning of {term}"),
            also: also.iter().map(|s| (*s).to_string()).collect(),
            match_case: None,
            abbreviates: None,
        }
    }

    /// Each term `g` finds in `text`: the words as written, and the term they stand for.
    fn found<'a>(g: &'a Glossary, text: &'a str) -> Vec<(&'a str, &'a str)> {
        g.find(text)
            .map(|(r, i)| (&text[r], g.entries[i].term.as_str()))
            .collect()
    }

    #[test]
    fn can_find_terms_longest_first_and_acronyms_by_case() {
        let g = Glossary::new(vec![
            entry("child in need", &[]),
            entry("child in need plan", &[]),
            entry("CIN", &[]),
        ]);
        let text = "A Child in need plan, a CIN meeting, and cinema.";
        assert_eq!(
            found(&g, text),
            [("Child in need plan", "child in need plan"), ("CIN", "CIN")]
        );
    }

    #[test]
    fn finds_a_term_written_with_a_long_s_or_a_kelvin_sign() {
        // Inside a word: at either end of one, such a letter is not an ASCII word
        // character, so no boundary is there.
        let g = Glossary::new(vec![
            entry("maladministration", &[]),
            entry("social worker", &[]),
        ]);
        let text = "Maladmini\u{17f}tration by a social wor\u{212a}er.";
        assert_eq!(
            found(&g, text),
            [
                ("Maladmini\u{17f}tration", "maladministration"),
                ("social wor\u{212a}er", "social worker"),
            ]
        );
    }

    #[test]
    fn can_let_a_site_replace_and_add_terms() {
        let g = Glossary::merge(
            vec![entry("LADO", &[])],
            vec![entry("lado", &[]), entry("Early Help", &[])],
        );
        assert_eq!(g.entries.len(), 2);
        assert_eq!(g.entries[0].term, "lado");
    }

    #[test]
    fn errors_on_an_unknown_key_with_its_line() {
        let text = "[[terms]]\nterm = \"A\"\nmeaning = \"B\"\nmeans = \"C\"\n";
        let d = Glossary::parse(Path::new("g.toml"), text).expect_err("unknown key");
        assert_eq!(d.location.expect("located").line, 4, "{d}");
    }
}
