//! Text for the search index: Markdown -> plain text, and the tokenizer that the browser's
//! `search-core.js` repeats word for word (lowercase, split on anything not a letter or digit,
//! drop stop words, English stemming, FNV-1a hashing for shard routing).
//!
//! Stemming is Snowball's English (Porter2) stemmer, from the `rust-stemmers` crate here
//! and the `porter2` npm package in the browser (`themes/default/static/porter2.js`);
//! `tests/search_stemmer.rs` checks that both give the same stem for every word of the
//! seeds and of an English word list. Only words of the letters a to z are stemmed (the
//! algorithm is defined for English); any other word is its own term.
//!
//! Any change here must be mirrored in `themes/default/static/search-core.js` (`tokens`, `stem`,
//! `fnv1a`); the stop words travel to the browser in the index's `meta.bin`, so they cannot
//! drift.

use std::sync::LazyLock;

use pulldown_cmark::{Event, Parser, TagEnd};
use rust_stemmers::{Algorithm, Stemmer};

/// Words too common to index or to search for: they match almost every decision.
pub const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
    "before", "being", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had",
    "has", "have", "he", "her", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its",
    "me", "my", "no", "not", "of", "on", "or", "our", "s", "she", "should", "so", "t", "than",
    "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "to", "us",
    "was", "we", "were", "what", "when", "which", "who", "will", "with", "would", "you",
];

/// The longest term the index keeps (in bytes); longer runs are cut.
pub const MAX_TERM_BYTES: usize = 40;

/// The plain text of a Markdown body: text and code events, with block ends as newlines.
pub fn markdown_to_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => out.push('\n'),
            _ => {}
        }
    }
    out
}

/// Calls `each` with every word of `text`, lowercased and cut to [`MAX_TERM_BYTES`], in
/// order, reusing one buffer. Stop words are included and nothing is stemmed: see
/// [`term_of`] and [`for_each_term`].
pub fn for_each_word(text: &str, mut each: impl FnMut(&str)) {
    for_each_cased_word(text, |word, _| each(word));
}

/// [`ASCII_CLASS`]'s bits: a letter or digit, a letter, a lowercase letter.
const ALNUM: u8 = 1;
const ALPHA: u8 = 2;
const LOWER: u8 = 4;

/// Each byte's class for the tokenizer's ASCII runs (0 for anything else).
static ASCII_CLASS: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_digit() {
            table[b] = ALNUM;
        } else if c.is_ascii_uppercase() {
            table[b] = ALNUM | ALPHA;
        } else if c.is_ascii_lowercase() {
            table[b] = ALNUM | ALPHA | LOWER;
        }
        b += 1;
    }
    table
};

/// As [`for_each_word`], also telling whether the word was written in capitals (it has a
/// letter and no lowercase letter: `CIN`, `SEND`).
pub fn for_each_cased_word(text: &str, mut each: impl FnMut(&str, bool)) {
    let bytes = text.as_bytes();
    let mut word = String::with_capacity(48);
    let mut capitals = true;
    let mut letters = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if ASCII_CLASS[usize::from(b)] & ALNUM != 0 {
            // A run of ASCII letters and digits, read in one pass: each byte is looked
            // up once, and lowercased into the word while there is room.
            let mut seen = 0;
            while let Some(&c) = bytes.get(i) {
                let class = ASCII_CLASS[usize::from(c)];
                if class & ALNUM == 0 {
                    break;
                }
                seen |= class;
                if word.len() < MAX_TERM_BYTES {
                    word.push(char::from(c.to_ascii_lowercase()));
                }
                i += 1;
            }
            letters |= seen & ALPHA != 0;
            capitals &= seen & LOWER == 0;
            continue;
        }
        let (letter, c, width) = if b < 0x80 {
            (false, char::from(b), 1)
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            (c.is_alphanumeric(), c, c.len_utf8())
        };
        i += width;
        if letter {
            letters |= c.is_alphabetic();
            capitals &= !c.is_lowercase();
            if word.len() < MAX_TERM_BYTES {
                word.extend(c.to_lowercase());
            }
        } else if !word.is_empty() {
            each(&word, capitals && letters);
            word.clear();
            capitals = true;
            letters = false;
        }
    }
    if !word.is_empty() {
        each(&word, capitals && letters);
    }
}

/// The index term of a lowercased word: `None` for a stop word, else the word stemmed.
pub fn term_of(word: &str) -> Option<String> {
    if is_stop_word(word) {
        return None;
    }
    let mut term = word.to_string();
    stem(&mut term);
    Some(term)
}

/// Calls `each` with every index term of `text`, in order.
pub fn for_each_term(text: &str, mut each: impl FnMut(&str)) {
    for_each_word(text, |word| {
        if let Some(term) = term_of(word) {
            each(&term);
        }
    });
}

/// Every index term of `text`, in order (allocating; for queries and tests).
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_term(text, |t| out.push(t.to_string()));
    out
}

/// True for the words that are never indexed.
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

static ENGLISH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// Stems a lowercased word with Snowball's English stemmer (`safeguarding` -> `safeguard`,
/// `apologised` -> `apologis`) when it is made of the letters a to z only; any other word
/// (digits, accents, other scripts) is kept as it is.
pub fn stem(word: &mut String) {
    if word.is_empty() || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return;
    }
    let stemmed = ENGLISH.stem(word);
    if stemmed != word.as_str() {
        let stemmed = stemmed.into_owned();
        *word = stemmed;
    }
}

/// A `HashMap` hasher for short terms (FNV-1a style, 64-bit, eight bytes at a step, with a
/// splitmix64 finish): much faster than SipHash here, and the keys are our own tokens, not
/// attacker-chosen input on a server.
#[derive(Debug, Clone, Copy)]
pub struct FnvHasher(u64);

impl Default for FnvHasher {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        // FNV's low bits mix poorly and hash tables index by them: finish with splitmix64.
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.0 = (self.0 ^ u64::from_le_bytes(word)).wrapping_mul(0x0100_0000_01b3);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Builds [`FnvHasher`]s.
pub type FnvBuild = std::hash::BuildHasherDefault<FnvHasher>;

/// Between a stem and one of its written forms in a form term (`safeguard\u{1}safeguarding`):
/// the decisions that have that exact word, stored beside the stem's entry.
pub const FORM_MARK: char = '\u{1}';

/// The form term of `word`, whose stem is `stem`.
pub fn form_term(stem: &str, word: &str) -> String {
    let mut t = String::with_capacity(stem.len() + word.len() + 1);
    t.push_str(stem);
    t.push(FORM_MARK);
    t.push_str(word);
    t
}

/// The hash that places a term in its file: a form term goes with its stem.
pub fn route(term: &str) -> u32 {
    fnv1a(term.split(FORM_MARK).next().unwrap_or(term))
}

/// FNV-1a (32-bit) of a term's UTF-8 bytes: which term file holds it.
pub fn fnv1a(term: &str) -> u32 {
    fnv1a_from(FNV_START, term)
}

/// FNV-1a's state before any byte.
pub const FNV_START: u32 = 0x811c_9dc5;

/// FNV-1a from `state` (after the bytes before `more`) on through `more`.
pub fn fnv1a_from(state: u32, more: &str) -> u32 {
    more.bytes()
        .fold(state, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_keep_the_stop_words_sorted_for_binary_search() {
        let mut sorted = STOP_WORDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, STOP_WORDS);
    }

    #[test]
    fn can_tokenize_like_the_browser() {
        assert_eq!(
            terms("Mr X's Anger-Management course (21 019 020), £250; the policies."),
            ["mr", "x", "anger", "manag", "cours", "21", "019", "020", "250", "polici"]
        );
        assert_eq!(
            terms("Ombudsman’s ÉCOLE didn't"),
            ["ombudsman", "école", "didn"]
        );
    }

    #[test]
    fn can_stem_english_word_forms_together() {
        for (words, stemmed) in [
            (
                &["safeguard", "safeguarding", "safeguarded", "safeguards"][..],
                "safeguard",
            ),
            (&["apologised", "apologising", "apologise"][..], "apologis"),
            (&["delay", "delayed", "delaying", "delays"][..], "delay"),
            (&["policies", "policy"][..], "polici"),
        ] {
            for word in words {
                let mut w = (*word).to_string();
                stem(&mut w);
                assert_eq!(w, stemmed, "{word}");
            }
        }
    }

    #[test]
    fn can_keep_words_that_are_not_plain_english_letters() {
        for word in ["école", "21019020", "s17", "ΟΔΟΣ"] {
            let mut w = word.to_string();
            stem(&mut w);
            assert_eq!(w, word);
        }
    }

    #[test]
    fn can_tell_words_written_in_capitals() {
        let mut seen = Vec::new();
        for_each_cased_word("CIN plan, SEND2 Send 17", |w, c| {
            seen.push((w.to_string(), c))
        });
        assert_eq!(
            seen,
            [
                ("cin".to_string(), true),
                ("plan".to_string(), false),
                ("send2".to_string(), true),
                ("send".to_string(), false),
                ("17".to_string(), false)
            ]
        );
    }

    #[test]
    fn can_strip_markdown_to_text() {
        let text = markdown_to_text("## The complaint\n\n1. Mr X *says* `FAO`.\n2. Next\n");
        assert_eq!(text, "The complaint\nMr X says FAO.\nNext\n");
    }

    #[test]
    fn can_hash_terms_like_fnv1a() {
        assert_eq!(fnv1a(""), 0x811c_9dc5);
        assert_eq!(fnv1a("a"), 0xe40c_292c);
        assert_eq!(fnv1a("foobar"), 0xbf9c_f968);
    }

    #[test]
    fn can_cut_very_long_words() {
        let long = "x".repeat(100);
        assert_eq!(terms(&long)[0].len(), MAX_TERM_BYTES);
    }

    /// The word reader as it was first written, a character at a time: the reference for
    /// the one that takes runs of ASCII at once.
    fn cased_words_by_char(text: &str) -> Vec<(String, bool)> {
        let mut out = Vec::new();
        let (mut word, mut capitals, mut letters) = (String::new(), true, false);
        for c in text.chars() {
            if c.is_alphanumeric() {
                letters |= c.is_alphabetic();
                capitals &= !c.is_lowercase();
                if word.len() < MAX_TERM_BYTES {
                    word.extend(c.to_lowercase());
                }
            } else if !word.is_empty() {
                out.push((std::mem::take(&mut word), capitals && letters));
                capitals = true;
                letters = false;
            }
        }
        if !word.is_empty() {
            out.push((word, capitals && letters));
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn reads_the_words_a_character_at_a_time_reading_does(
            text in "([a-zA-Z0-9]{0,50}|[ .,'\u{2019}\u{e9}\u{c9}\u{df}\u{130}\u{660}-]){0,12}",
        ) {
            let mut words = Vec::new();
            for_each_cased_word(&text, |w, caps| words.push((w.to_string(), caps)));
            proptest::prop_assert_eq!(words, cased_words_by_char(&text));
        }
    }
}
