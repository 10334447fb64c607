//! The written words of the index, for prefixes and typos in the browser without
//! downloading them all: every word as it appears in decisions (not stemmed, no stop
//! words) with the number of decisions that have it, sorted, in files that each hold
//! whole groups of words with the same first two letters.
//!
//! `meta.bin` lists the first two letters of each file (`vocab_files`), so the browser
//! fetches the one file that can hold `safegu…` (for the prefix of the word being typed)
//! or the neighbours of `safegaurding` within one or two edits, assuming the first two
//! letters are right. A file is lines of `word<TAB>decisions`, gzip-compressed.

use super::encode::gzip;
use super::postings::Inverted;
use super::text::FORM_MARK;

/// The most vocabulary files an index may have.
pub const MAX_VOCAB_FILES: usize = 400;
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

/// Every written word of `inverted` with its decision count, packed into files.
pub fn vocab_files(inverted: &Inverted) -> VocabFiles {
    let mut words: Vec<(&str, usize)> = inverted
        .terms
        .iter()
        .filter_map(|t| {
            let (_, word) = t.text.split_once(FORM_MARK)?;
            Some((word, t.postings.len()))
        })
        .collect();
    words.sort_unstable();
    let total: usize = words.iter().map(|(w, _)| w.len() + 4).sum();
    let target = MIN_TARGET.max(total / (MAX_VOCAB_FILES / 2));
    let mut out = VocabFiles::default();
    let mut raw = String::new();
    for group in groups(&words) {
        let size: usize = group.iter().map(|(w, _)| w.len() + 4).sum();
        // A file closes before a group that would take it past the target, so a big group
        // (thousands of names with one first two letters) does not make a typo in a small
        // group beside it fetch them all.
        if !raw.is_empty() && raw.len() + size > target {
            out.files.push(gzip(raw.as_bytes()));
            raw.clear();
        }
        if raw.is_empty() {
            let first = if out.files.is_empty() {
                ""
            } else {
                group_of(group[0].0)
            };
            out.boundaries.push(first.to_string());
        }
        for (word, df) in group {
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

/// Sorted `words` in runs with the same first two letters.
fn groups<'w, 'a>(words: &'w [(&'a str, usize)]) -> impl Iterator<Item = &'w [(&'a str, usize)]> {
    words.chunk_by(|a, b| group_of(a.0) == group_of(b.0))
}

/// The vocabulary file that holds the words of `group` (what `search.js` computes).
pub fn file_for(boundaries: &[String], group: &str) -> usize {
    boundaries
        .partition_point(|b| b.as_str() <= group)
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
        let files = vocab_files(&invert(
            &docs.iter().collect::<Vec<_>>(),
            &Synonyms::default(),
        ));
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
        let files = vocab_files(&invert(
            &docs.iter().collect::<Vec<_>>(),
            &Synonyms::default(),
        ));
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
        let files = vocab_files(&invert(
            &docs.iter().collect::<Vec<_>>(),
            &Synonyms::default(),
        ));
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
    fn can_take_the_first_two_characters() {
        assert_eq!(group_of("safeguard"), "sa");
        assert_eq!(group_of("éc"), "éc");
        assert_eq!(group_of("x"), "x");
    }
}
