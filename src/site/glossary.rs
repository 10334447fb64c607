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
use regex_automata::dfa::{dense, regex::Regex as DfaRegex};
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
    matcher: Option<Matcher>,
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
        let spellings = spellings(&entries);
        let matcher = pattern(&spellings).and_then(|p| Matcher::new(&p, DENSE_LIMIT));
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
        self.matcher.iter().flat_map(move |m| {
            m.find_iter(text).filter_map(|range| {
                let i = *self.by_spelling.get(&folded(&text[range.clone()]))?;
                Some((range, i))
            })
        })
    }
}

/// Every spelling of every entry (its term and its `also`), with whether it is matched
/// with its case and its entry's index; longest first, so that "child in need plan" wins
/// over "child in need".
fn spellings(entries: &[Entry]) -> Vec<(String, bool, usize)> {
    let mut spellings: Vec<(String, bool, usize)> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let sensitive = e.case_sensitive();
        for s in std::iter::once(&e.term).chain(&e.also) {
            if !s.trim().is_empty() {
                spellings.push((s.trim().to_string(), sensitive, i));
            }
        }
    }
    spellings.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
    spellings
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

/// The pattern of `spellings`, each a whole word, or `None` when there are none. The word
/// boundaries are ASCII ones: a term next to a letter that is not ASCII (`LADOé`) is still
/// found, and a dense DFA cannot be built with Unicode ones.
fn pattern(spellings: &[(String, bool, usize)]) -> Option<String> {
    let alternatives: Vec<String> = spellings
        .iter()
        .map(|(s, sensitive, _)| {
            let flags = if *sensitive { "-i" } else { "i" };
            format!("(?{flags}:{})", regex::escape(s))
        })
        .collect();
    (!alternatives.is_empty()).then(|| format!(r"(?-u:\b)(?:{})(?-u:\b)", alternatives.join("|")))
}

/// The largest DFA the glossary's matcher compiles in full, for each of its two (forward
/// and reverse; the default glossary's are 570 KB and 375 KB); a site glossary that would
/// need more is matched by the regex crate instead.
const DENSE_LIMIT: usize = 8 << 20;

/// Finds the spellings of every term, leftmost first. The pattern is compiled in full to a
/// dense DFA once a build (about 17 ms): the renderer searches each short piece of a
/// decision's text on its own, thousands a second on every thread, and a dense DFA has no
/// cache to fill or to share between threads and no set-up per search. Against the regex
/// crate's lazily built DFA, the decisions step of a 10,000-decision build took 3% less
/// time. A glossary too large for [`DENSE_LIMIT`] is left to the regex crate, which reads
/// the same pattern the same way (the same terms found, more slowly; nothing is reported).
#[derive(Debug, Clone)]
enum Matcher {
    Dense(std::sync::Arc<DfaRegex>),
    Regex(Regex),
}

impl Matcher {
    /// `pattern` compiled to a dense DFA of at most `limit` bytes, else by the regex crate.
    fn new(pattern: &str, limit: usize) -> Option<Self> {
        let dense = DfaRegex::builder()
            .dense(
                dense::Config::new()
                    .dfa_size_limit(Some(limit))
                    .determinize_size_limit(Some(4 * limit)),
            )
            .build(pattern);
        match dense {
            Ok(dfa) => Some(Self::Dense(std::sync::Arc::new(dfa))),
            Err(_) => Regex::new(pattern).ok().map(Self::Regex),
        }
    }

    fn find_iter<'a>(&'a self, text: &'a str) -> Found<'a> {
        match self {
            Self::Dense(dfa) => Found::Dense(dfa.find_iter(text)),
            Self::Regex(re) => Found::Regex(re.find_iter(text)),
        }
    }
}

/// The matches of a [`Matcher`] in a text, as byte ranges.
enum Found<'a> {
    Dense(regex_automata::dfa::regex::FindMatches<'a, 'a, dense::DFA<Vec<u32>>>),
    Regex(regex::Matches<'a, 'a>),
}

impl Iterator for Found<'_> {
    type Item = std::ops::Range<usize>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Self::Dense(m) => m.next().map(|m| m.range()),
            Self::Regex(m) => m.next().map(|m| m.range()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy;

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

    /// The theme's glossary as a site reads it, and its pattern left to the regex crate.
    static THEME_GLOSSARY: std::sync::LazyLock<(Glossary, Matcher)> =
        std::sync::LazyLock::new(|| {
            let text = include_str!("../../themes/default/glossary.toml");
            let g =
                Glossary::new(Glossary::parse(Path::new("glossary.toml"), text).expect("parses"));
            let pattern = pattern(&spellings(&g.entries)).expect("terms");
            (g, Matcher::new(&pattern, 0).expect("compiles"))
        });

    /// What the default glossary's dense DFA and the regex crate find in `text`.
    fn both(text: &str) -> (Vec<std::ops::Range<usize>>, Vec<std::ops::Range<usize>>) {
        let (g, lazy) = &*THEME_GLOSSARY;
        assert!(
            matches!(g.matcher, Some(Matcher::Dense(_))),
            "the glossary is matched by a dense DFA"
        );
        assert!(
            matches!(lazy, Matcher::Regex(_)),
            "a limit of 0 leaves it to the regex crate"
        );
        let dense = g.matcher.iter().flat_map(|m| m.find_iter(text)).collect();
        (dense, lazy.find_iter(text).collect())
    }

    #[test]
    fn finds_on_the_seeds_what_the_regex_crate_finds() {
        let seeds = [
            include_str!("../../tests/fixtures/seeds/000_50cd1d307db875a2.txt"),
            include_str!("../../tests/fixtures/seeds/001_7966daec091fde94.txt"),
            include_str!("../../tests/fixtures/seeds/002_5e711a4f8692b820.txt"),
            include_str!("../../tests/fixtures/seeds/003_6e307939c2b36ad2.txt"),
            include_str!("../../tests/fixtures/seeds/004_cd97c01f90c015c2.txt"),
        ];
        let mut found = 0;
        for seed in seeds {
            let (dense, lazy) = both(seed);
            assert_eq!(dense, lazy);
            found += dense.len();
        }
        assert!(found > 20, "the seeds use the glossary's terms: {found}");
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
        let found: Vec<(&str, &str)> = g
            .find(text)
            .map(|(r, i)| (&text[r], g.entries[i].term.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("Maladmini\u{17f}tration", "maladministration"),
                ("social wor\u{212a}er", "social worker"),
            ]
        );
    }

    #[test]
    fn leaves_a_glossary_too_large_to_compile_in_full_to_the_regex_crate() {
        let g = Glossary::new(vec![entry("child in need", &["CIN"])]);
        assert!(matches!(g.matcher, Some(Matcher::Dense(_))));
        let pattern = pattern(&spellings(&g.entries)).expect("terms");
        let small = Matcher::new(&pattern, 1_000).expect("compiles");
        assert!(matches!(small, Matcher::Regex(_)));
        let text = "A CIN plan for a child in need.";
        let found: Vec<_> = small.find_iter(text).map(|r| &text[r]).collect();
        assert_eq!(found, ["CIN", "child in need"]);
    }

    proptest::proptest! {
        #[test]
        fn finds_in_any_text_what_the_regex_crate_finds(
            pieces in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::sample::select(vec![
                        "LADO", "lado", "Lado", "EHC plan", "ehcp", "EHCP", "child in need",
                        "Child In Need plan", "CIN", "cin", "section 47", "s47", "s.47",
                        "maladministration", "FAO", "DFG", "SEND", "SEN",
                        // Letters the pattern's case folding reads as `s` and `k`.
                        "\u{17f}ection 47", "maladmini\u{17f}tration", "\u{17f}47", "\u{212a}",
                    ]).prop_map(str::to_string),
                    "[ a-zA-Z0-9.,'\\n\\u{a0}é\\u{17f}\\u{212a}-]{0,6}",
                ],
                0..24,
            ),
        ) {
            let (dense, lazy) = both(&pieces.concat());
            proptest::prop_assert_eq!(dense, lazy);
        }
    }

    #[test]
    fn errors_on_an_unknown_key_with_its_line() {
        let text = "[[terms]]\nterm = \"A\"\nmeaning = \"B\"\nmeans = \"C\"\n";
        let d = Glossary::parse(Path::new("g.toml"), text).expect_err("unknown key");
        assert_eq!(d.location.expect("located").line, 4, "{d}");
    }
}
