//! The written words of the index, for prefixes and typos in the browser without
//! downloading them all: every word as it appears in decisions (not stemmed, no stop
//! words) with the number of decisions that have it, sorted, in files that each hold
//! whole groups of words with the same first two letters.
//!
//! `meta.bin` lists the first two letters of each file (`vocab_files`), so the browser
//! fetches the one file that can hold `safegu…` (for the prefix of the word being typed)
//! or the neighbours of `safegaurding` within one or two edits, assuming the first two
//! letters are right. A file is lines of `word<TAB>decisions`, gzip-compressed.
//!
//! A typo in the first two letters (`sfaeguarding`, `Nrothamptonshire`) keeps the word's
//! last two letters, and one edit changes its length by at most one letter. So the same
//! words, those of five characters or more, are also packed by their *ending key*
//! ([`end_key`]: the last two characters, then the length as two digits, `ng12` for
//! `safeguarding`) in the `ends` files, whose first keys `meta.bin` lists (`end_files`): a
//! typo's neighbours by one edit there are in the files from its key a letter shorter to a
//! letter longer ([`end_key_range`]), most often one file. The browser reads them for a
//! typo of six letters or more ([`ENDS_FROM`]) whose vocabulary file has no word one edit
//! away, and takes a word from them only when it is one edit away: two edits in the first
//! letters make another word (`unanswered`, "answered").

use std::borrow::Cow;

use super::encode::gzip;
use super::postings::Inverted;
use super::text::FORM_MARK;

/// The most vocabulary files an index may have.
pub const MAX_VOCAB_FILES: usize = 400;
/// The most word-ending files an index may have.
pub const MAX_END_FILES: usize = 200;
/// The fewest letters of a typo looked up in the ending files (`search-core.js`'s `ENDS_FROM`):
/// a shorter word has too many rhymes (`Dover`, "cover").
pub const ENDS_FROM: usize = 6;
/// The shortest word in the ending files: a typo of [`ENDS_FROM`] letters may be one letter
/// longer than the word meant.
pub const MIN_END_CHARS: usize = ENDS_FROM - 1;
/// The smallest target size of a vocabulary file before compression.
const MIN_TARGET: usize = 24 * 1024;

/// The vocabulary files and the first two letters of each.
#[derive(Debug, Clone, Default)]
pub struct VocabFiles {
    /// The first group of each file, ascending (`""` for the first file).
    pub boundaries: Vec<String>,
    /// Each file's gzip-compressed bytes.
    pub files: Vec<Vec<u8>>,
}

/// The first two characters of `word` (the group a vocabulary file never splits).
pub fn group_of(word: &str) -> &str {
    let end = word.char_indices().nth(2).map_or(word.len(), |(i, _)| i);
    &word[..end]
}

/// The ending key of `word`: its last two characters, then its length in characters as two
/// digits (99 for any longer; an indexed word has at most 40 bytes); `None` for a word
/// shorter than [`MIN_END_CHARS`]. `search-core.js` computes the same (`endKey`).
pub fn end_key(word: &str) -> Option<String> {
    let chars = word.chars().count();
    (chars >= MIN_END_CHARS).then(|| ending_at(word, chars, chars))
}

/// The first and last ending keys of the words `typo` may stand for with one edit in its
/// first two letters: its ending a letter shorter, then a letter longer. One edit, not the
/// two a long word is allowed elsewhere: two there make another word (`unanswered`,
/// "answered"). `None` for a typo shorter than [`ENDS_FROM`]. `search-core.js` computes
/// the same (`endKeyRange`).
pub fn end_key_range(typo: &str) -> Option<(String, String)> {
    let chars = typo.chars().count();
    (chars >= ENDS_FROM).then(|| {
        (
            ending_at(typo, chars, chars - 1),
            ending_at(typo, chars, chars + 1),
        )
    })
}

/// The last two characters of `word` (of `chars` characters), then `length` as two digits.
fn ending_at(word: &str, chars: usize, length: usize) -> String {
    let last: String = word.chars().skip(chars.saturating_sub(2)).collect();
    format!("{last}{:02}", length.min(99))
}

/// Every written word of `inverted` with its decision count.
pub fn written_words(inverted: &Inverted) -> Vec<(&str, usize)> {
    inverted
        .terms
        .iter()
        .filter_map(|t| {
            let (_, word) = t.text.split_once(FORM_MARK)?;
            Some((word, t.postings.len()))
        })
        .collect()
}

/// Every written word packed into files by its first two letters.
pub fn vocab_files(words: &[(&str, usize)]) -> VocabFiles {
    let keyed = words
        .iter()
        .map(|&(word, df)| (Cow::Borrowed(group_of(word)), word, df))
        .collect();
    pack(keyed, MAX_VOCAB_FILES)
}

/// Every written word of [`MIN_END_CHARS`] characters or more packed into files by its
/// [`end_key`].
pub fn end_files(words: &[(&str, usize)]) -> VocabFiles {
    let keyed = words
        .iter()
        .filter_map(|&(word, df)| Some((Cow::Owned(end_key(word)?), word, df)))
        .collect();
    pack(keyed, MAX_END_FILES)
}

/// Words sorted by key, then as written, in files of whole groups of one key: a file closes
/// before a group that would take it past the target, so a big group (thousands of names
/// with one first two letters) does not make a typo in a small group beside it fetch them
/// all. Each file's boundary is its first key (`""` for the first file).
fn pack(mut keyed: Vec<(Cow<'_, str>, &str, usize)>, max_files: usize) -> VocabFiles {
    keyed.sort_unstable();
    let total: usize = keyed.iter().map(|(_, w, _)| w.len() + 4).sum();
    let target = MIN_TARGET.max(total / (max_files / 2));
    let mut out = VocabFiles::default();
    let mut raw = String::new();
    for group in keyed.chunk_by(|a, b| a.0 == b.0) {
        let size: usize = group.iter().map(|(_, w, _)| w.len() + 4).sum();
        if !raw.is_empty() && raw.len() + size > target {
            out.files.push(gzip(raw.as_bytes()));
            raw.clear();
        }
        if raw.is_empty() {
            let first = if out.files.is_empty() {
                ""
            } else {
                &*group[0].0
            };
            out.boundaries.push(first.to_string());
        }
        for (_, word, df) in group {
            raw.push_str(word);
            raw.push('\t');
            raw.push_str(&df.to_string());
            raw.push('\n');
        }
    }
    if out.boundaries.is_empty() {
        out.boundaries.push(String::new());
    }
    out.files.push(gzip(raw.as_bytes()));
    out
}

/// The file that holds the words of `key` (a group or an ending key; what `search-core.js`'s
/// `fileFor` computes).
pub fn file_for(boundaries: &[String], key: &str) -> usize {
    boundaries
        .partition_point(|b| b.as_str() <= key)
        .saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::postings::invert;
    use crate::search::synonyms::Synonyms;
    use crate::search::SearchDocument;
    use std::io::Read;

    fn inflate(bytes: &[u8]) -> String {
        let mut raw = String::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_string(&mut raw)
            .expect("gzip");
        raw
    }

    #[test]
    fn can_list_written_words_with_their_decision_counts() {
        let docs = [
            SearchDocument {
                text: "Safeguarding and the safeguards".into(),
                ..SearchDocument::default()
            },
            SearchDocument {
                text: "safeguarding école".into(),
                ..SearchDocument::default()
            },
        ];
        let inverted = invert(&docs.iter().collect::<Vec<_>>(), &Synonyms::default());
        let files = vocab_files(&written_words(&inverted));
        assert_eq!(files.files.len(), 1);
        assert_eq!(
            inflate(&files.files[0]),
            "safeguarding\t2\nsafeguards\t1\nécole\t1\n",
            "stop words left out, words as written"
        );
    }

    #[test]
    fn can_keep_each_two_letter_group_in_one_file() {
        let text: String = (0..20_000)
            .map(|i| format!("w{}x{i} ", char::from(b'a' + (i % 26) as u8)))
            .collect();
        let docs = [SearchDocument {
            text,
            ..SearchDocument::default()
        }];
        let inverted = invert(&docs.iter().collect::<Vec<_>>(), &Synonyms::default());
        let files = vocab_files(&written_words(&inverted));
        assert!(files.files.len() > 1, "{}", files.files.len());
        for (i, gz) in files.files.iter().enumerate() {
            for line in inflate(gz).lines() {
                let group = group_of(line);
                assert_eq!(file_for(&files.boundaries, group), i, "{line}");
            }
        }
    }

    #[test]
    fn can_keep_a_big_group_from_the_small_ones_beside_it() {
        // 30 small groups, one of about 200 KB ("vi", as a generated corpus's names), and
        // 30 small groups after it: a typo in a small group fetches a small file.
        let small = |from: u8| -> Vec<String> {
            (0..30u8)
                .flat_map(|g| {
                    (0..40).map(move |i| {
                        format!("{}{}word{i}", char::from(from), char::from(b'a' + g % 26))
                    })
                })
                .collect()
        };
        let mut words = small(b'p');
        words.extend((0..15_000).map(|i| format!("viname{i}")));
        words.extend(small(b'w'));
        let docs = [SearchDocument {
            text: words.join(" "),
            ..SearchDocument::default()
        }];
        let inverted = invert(&docs.iter().collect::<Vec<_>>(), &Synonyms::default());
        let files = vocab_files(&written_words(&inverted));
        let raw: Vec<String> = files.files.iter().map(|f| inflate(f)).collect();
        let big = file_for(&files.boundaries, "vi");
        assert!(
            raw[big].lines().all(|l| l.starts_with("vi")),
            "the big group alone"
        );
        for group in ["pa", "pz", "wa", "wz"] {
            let i = file_for(&files.boundaries, group);
            assert_ne!(i, big, "{group}");
            assert!(
                raw[i].len() <= MIN_TARGET,
                "{group}: {} bytes",
                raw[i].len()
            );
        }
        for (i, text) in raw.iter().enumerate() {
            for line in text.lines() {
                assert_eq!(file_for(&files.boundaries, group_of(line)), i, "{line}");
            }
        }
    }

    #[test]
    fn can_key_a_word_by_its_ending_and_length() {
        assert_eq!(end_key("safeguarding").as_deref(), Some("ng12"));
        assert_eq!(end_key("kents").as_deref(), Some("ts05"));
        assert_eq!(
            end_key("cafés").as_deref(),
            Some("és05"),
            "characters, not bytes"
        );
        assert_eq!(
            end_key("kent"),
            None,
            "too short for a typo to stand for it"
        );
        assert_eq!(end_key(&"a".repeat(120)).as_deref(), Some("aa99"));
        let range = end_key_range;
        assert_eq!(
            range("sfaeguarding"),
            Some(("ng11".to_string(), "ng13".to_string()))
        );
        assert_eq!(
            range("afcass"),
            Some(("ss05".to_string(), "ss07".to_string()))
        );
        assert_eq!(range("dover"), None, "five letters: too many rhymes");
    }

    #[test]
    fn can_find_the_words_a_typo_in_the_first_two_letters_stands_for() {
        // Words of many endings and lengths, spread over several files.
        let mut words: Vec<String> = (0..6_000)
            .map(|i| {
                let ending = ["ng", "ed", "er", "ss", "on"][i % 5];
                format!("{}{}{ending}", "x".repeat(2 + i % 12), i)
            })
            .collect();
        words.extend(["safeguarding".into(), "cafcass".into(), "cin".into()]);
        let docs = [SearchDocument {
            text: words.join(" "),
            ..SearchDocument::default()
        }];
        let inverted = invert(&docs.iter().collect::<Vec<_>>(), &Synonyms::default());
        let ends = end_files(&written_words(&inverted));
        assert!(ends.files.len() > 1, "{}", ends.files.len());
        let raw: Vec<String> = ends.files.iter().map(|f| inflate(f)).collect();
        let mut seen = 0;
        for (i, text) in raw.iter().enumerate() {
            for line in text.lines() {
                let word = line.split('\t').next().unwrap_or_default();
                let key = end_key(word).expect("only words of five characters or more");
                assert_eq!(
                    file_for(&ends.boundaries, &key),
                    i,
                    "{word}: a key in one file"
                );
                seen += 1;
            }
        }
        assert_eq!(seen, words.len() - 1, "every word but `cin`");
        // `sfaeguarding` (12 characters): the files from ng11 to ng13.
        let (from, to) = (
            file_for(&ends.boundaries, "ng11"),
            file_for(&ends.boundaries, "ng13"),
        );
        assert!((from..=to).any(|i| raw[i].contains("safeguarding\t1\n")));
        let afcass = file_for(&ends.boundaries, "ss05")..=file_for(&ends.boundaries, "ss07");
        assert!(afcass.into_iter().any(|i| raw[i].contains("cafcass\t1\n")));
    }

    #[test]
    fn can_take_the_first_two_characters() {
        assert_eq!(group_of("safeguard"), "sa");
        assert_eq!(group_of("éc"), "éc");
        assert_eq!(group_of("x"), "x");
    }
}
