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

use std::path::Path;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
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
    /// Every spelling of every term (longest first), ignoring ASCII case.
    matcher: Option<AhoCorasick>,
    /// Per pattern of `matcher`: its spelling, whether its case must match, its entry.
    spellings: Vec<(String, bool, usize)>,
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
                let s = s.trim();
                if s.is_empty() {
                    continue;
                }
                spellings.push((s.to_string(), sensitive, i));
                // The matcher ignores the case of ASCII letters only: a spelling with
                // other letters is also looked for in lower and upper case.
                if !sensitive && !s.is_ascii() {
                    spellings.push((s.to_lowercase(), false, i));
                    spellings.push((s.to_uppercase(), false, i));
                }
            }
        }
        // Longest first, so "child in need plan" wins over "child in need".
        spellings.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        spellings.dedup();
        let matcher = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(spellings.iter().map(|s| s.0.as_str()))
            .ok()
            .filter(|_| !spellings.is_empty());
        Self {
            entries,
            matcher,
            spellings,
        }
    }

    /// Every glossary term in `text`: byte range and the entry's index. Terms are found
    /// as whole words (an ASCII letter, digit or `_` on neither side), from the left, the
    /// longest spelling that starts at a place, and never overlapping: as the regular
    /// expression `\b(?:longest|...|shortest)\b` would find them, in one pass over the
    /// text that finds every spelling at every place (this runs on every piece of text
    /// of every decision, where the regular expression cost twice as much).
    pub fn find(&self, text: &str) -> Vec<(std::ops::Range<usize>, usize)> {
        let Some(matcher) = &self.matcher else {
            return Vec::new();
        };
        let mut found: Vec<(usize, usize, usize)> = matcher
            .find_overlapping_iter(text)
            .filter(|m| self.fits(text, m.pattern().as_usize(), m.range()))
            .map(|m| (m.start(), m.pattern().as_usize(), m.end()))
            .collect();
        // By place, then longest (the patterns are numbered longest first).
        found.sort_unstable();
        let mut last = 0;
        found
            .into_iter()
            .filter_map(|(start, pattern, end)| {
                if start < last {
                    return None;
                }
                last = end;
                Some((start..end, self.spellings[pattern].2))
            })
            .collect()
    }

    /// Whether spelling `pattern`, found at `range`, is a whole word in the case it needs.
    fn fits(&self, text: &str, pattern: usize, range: std::ops::Range<usize>) -> bool {
        let (spelling, sensitive, _) = &self.spellings[pattern];
        (!sensitive || text.get(range.clone()) == Some(spelling.as_str()))
            && word_edge(text, range.start)
            && word_edge(text, range.end)
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
}

/// Whether a whole word can start or end at byte `at` of `text`: an ASCII word character
/// (letter, digit, `_`) on one side and not on the other.
fn word_edge(text: &str, at: usize) -> bool {
    let word = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
    let bytes = text.as_bytes();
    word(at.checked_sub(1).and_then(|i| bytes.get(i))) != word(bytes.get(at))
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

    #[test]
    fn can_find_terms_longest_first_and_acronyms_by_case() {
        let g = Glossary::new(vec![
            entry("child in need", &[]),
            entry("child in need plan", &[]),
            entry("CIN", &[]),
        ]);
        let text = "A Child in need plan, a CIN meeting, and cinema.";
        let found: Vec<(&str, &str)> = g
            .find(text)
            .into_iter()
            .map(|(r, i)| (&text[r], g.entries[i].term.as_str()))
            .collect();
        assert_eq!(
            found,
            [("Child in need plan", "child in need plan"), ("CIN", "CIN")]
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

#[cfg(test)]
mod matching {
    //! The matcher against the regular expression it replaced, as the oracle.
    use super::*;
    use proptest::prelude::*;
    use regex::Regex;

    /// The regular expression's matches: range and entry (the alternative that matched,
    /// in order, longest first).
    fn oracle(g: &Glossary, text: &str) -> Vec<(std::ops::Range<usize>, usize)> {
        let mut spellings: Vec<(String, bool, usize)> = Vec::new();
        for (i, e) in g.entries.iter().enumerate() {
            for s in std::iter::once(&e.term).chain(&e.also) {
                spellings.push((s.trim().to_string(), e.case_sensitive(), i));
            }
        }
        spellings.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        let alternatives: Vec<String> = spellings
            .iter()
            .map(|(s, sensitive, _)| {
                let flags = if *sensitive { "-i" } else { "i" };
                format!("((?{flags}:{}))", regex::escape(s))
            })
            .collect();
        let re =
            Regex::new(&format!(r"(?-u:\b)(?:{})(?-u:\b)", alternatives.join("|"))).expect("valid");
        re.captures_iter(text)
            .map(|c| {
                let whole = c.get(0).expect("a match").range();
                let which = (1..c.len()).find(|&k| c.get(k).is_some()).expect("a group");
                (whole, spellings[which - 1].2)
            })
            .collect()
    }

    fn glossary() -> Glossary {
        let e = |term: &str, also: &[&str]| Entry {
            term: term.into(),
            meaning: String::new(),
            also: also.iter().map(|s| (*s).to_string()).collect(),
            match_case: None,
            abbreviates: None,
        };
        Glossary::new(vec![
            e("child in need", &["CIN plan"]),
            e("child in need plan", &[]),
            e("CIN", &[]),
            e("section 47", &["s47", "s.47"]),
            e("fault", &[]),
            e("EHC plan", &["EHCP"]),
            // Differs from `CIN` only in case, and is matched in any case.
            e("Cin", &[]),
        ])
    }

    proptest! {
        #[test]
        fn finds_what_the_regular_expression_found(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("child"), Just("Child"), Just(" in "), Just("IN"), Just("need"),
                    Just(" plan"), Just("Plan"), Just("CIN"), Just("cin"), Just("section"),
                    Just(" 47"), Just("s47"), Just("S.47"), Just("s."), Just("fault"),
                    Just("FAULTS"), Just("EHC"), Just("ehcp"), Just(" "), Just("_"),
                    Just("x"), Just("4"), Just("é"), Just("."), Just(", "), Just("’"),
                ],
                0..30,
            )
        ) {
            let text: String = parts.concat();
            let g = glossary();
            prop_assert_eq!(g.find(&text), oracle(&g, &text), "{:?}", text);
        }
    }

    #[test]
    fn finds_a_spelling_with_other_letters_in_either_case() {
        let g = Glossary::new(vec![Entry {
            term: "café plan".into(),
            meaning: String::new(),
            also: Vec::new(),
            match_case: None,
            abbreviates: None,
        }]);
        for text in ["a café plan", "A CAFÉ PLAN", "a Café Plan"] {
            assert_eq!(g.find(text).len(), 1, "{text}");
        }
    }
}
