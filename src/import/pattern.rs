//! The fixed patterns that read decisions, compiled one way for the importer and the
//! summariser alike.

use regex::Regex;

/// Compiles one of casebook's fixed patterns. `\b` is made an ASCII word boundary: a
/// Unicode one makes the regex engine give up its fast search for its slowest on any text
/// with a curly apostrophe or a pound sign (nearly every decision), and the patterns only
/// look for English words.
///
/// # Panics
/// On an invalid pattern: every pattern is a literal in the crate, compiled by its tests.
pub(crate) fn compile(pattern: &str) -> Regex {
    Regex::new(&pattern.replace(r"\b", r"(?-u:\b)")).expect("static regex")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_english_words_beside_curly_quotes_and_pound_signs() {
        let re = compile(r"(?i)\bagreed\b");
        assert!(re.is_match("the Council’s officer agreed’"));
        assert!(re.is_match("£50 agreed"));
        assert!(!re.is_match("disagreed"));
        assert!(!re.is_match("agreedly"));
    }
}
