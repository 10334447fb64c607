//! Term sharding: the encoded posting lists, packed into a bounded number of term files by
//! hash range.
//!
//! Terms are sorted by FNV-1a hash; consecutive terms are packed into a file until it
//! reaches the target size, and a new file starts only where the hash changes. The first
//! hash of each file is listed in `meta.bin` (`term_files`), so the browser finds a term's
//! file by hashing it and a binary search, without a dictionary. Greedy packing keeps every
//! pair of neighbouring files above the target, so there are at most
//! `2 * total / target + 1` files; the target starts at `total / MAX_TERM_FILES` and is
//! raised until the files are within [`MAX_TERM_FILES`] ([`pack_within`]), so that the
//! files are as small as the cap allows: a two-word query fetches two of them.

use rayon::prelude::*;

use super::encode::{encode_list, encode_subset, gzip, put_term, put_varint, EncodedList};
use super::postings::{Inverted, Term, TermPostings};
use super::text::FORM_MARK;

/// The most term files an index may have.
pub const MAX_TERM_FILES: usize = 1_000;
/// The smallest target size of a term file before compression (small sites get few files).
pub(super) const MIN_TARGET: usize = 16 * 1024;
/// BM25 parameters.
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// The term files of an index.
#[derive(Debug, Clone, Default)]
pub struct TermFiles {
    /// The first hash in each file, ascending (`boundaries[0]` is always 0).
    pub boundaries: Vec<u32>,
    /// Each file's gzip-compressed bytes.
    pub files: Vec<Vec<u8>>,
}

/// The BM25 term-frequency factor of `tf` in a doc of `length` (average `average`),
/// quantised to 1..=15.
pub fn impact(tf: u16, length: u32, average: f32) -> u8 {
    #[allow(clippy::cast_precision_loss, reason = "lengths are far below 2^24")]
    let norm = K1 * (1.0 - B + B * length as f32 / average.max(1.0));
    let tf = f32::from(tf);
    let weight = tf * (K1 + 1.0) / (tf + norm);
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "clamped to 1..=15"
    )]
    let q = (weight / (K1 + 1.0) * 15.0).ceil().clamp(1.0, 15.0) as u8;
    q
}

/// Encodes every term of `inverted` and packs the entries into term files.
pub fn term_files(inverted: &Inverted) -> TermFiles {
    let doc_count = inverted.doc_lengths.len();
    #[allow(clippy::cast_precision_loss, reason = "an average needs no precision")]
    let average = inverted
        .doc_lengths
        .iter()
        .map(|&l| f64::from(l))
        .sum::<f64>() as f32
        / doc_count.max(1) as f32;
    // A form's list is written as positions in its stem's, which shares its hash: each
    // run of terms with one hash is unpacked once, the stem with its forms.
    let same_hash: Vec<&[Term]> = inverted.terms.chunk_by(|a, b| a.hash == b.hash).collect();
    let entries: Vec<Vec<u8>> = same_hash
        .par_iter()
        .flat_map_iter(|terms| {
            let lists: Vec<TermPostings> = terms.iter().map(|t| t.postings.unpack()).collect();
            let stem_docs = |term: &Term| {
                let (stem, _) = term.text.split_once(FORM_MARK)?;
                let at = terms.iter().position(|t| t.text == stem)?;
                Some(lists[at].docs.as_slice())
            };
            let entries: Vec<Vec<u8>> = terms
                .iter()
                .zip(&lists)
                .map(|(term, p)| match stem_docs(term) {
                    Some(stem) => entry(term, p, &encode_subset(stem, &p.docs)),
                    None => {
                        let impacts: Vec<u8> = p
                            .docs
                            .iter()
                            .zip(&p.tfs)
                            .map(|(&d, &tf)| impact(tf, inverted.doc_lengths[d as usize], average))
                            .collect();
                        entry(term, p, &encode_list(&p.docs, &impacts, doc_count))
                    }
                })
                .collect();
            entries
        })
        .collect();
    let total: usize = entries.iter().map(Vec::len).sum();
    let hashes: Vec<u32> = inverted.terms.iter().map(|t| t.hash).collect();
    let groups = pack_within(&hashes, &entries, total, MAX_TERM_FILES);
    let boundaries = groups
        .iter()
        .map(|g| if g.start == 0 { 0 } else { hashes[g.start] })
        .collect();
    let files = groups
        .par_iter()
        .map(|g| {
            let mut raw = Vec::new();
            put_varint(&mut raw, g.len() as u64);
            for entry in &entries[g.clone()] {
                raw.extend_from_slice(entry);
            }
            gzip(&raw)
        })
        .collect();
    TermFiles { boundaries, files }
}

/// A term's entry in its term file: its text, doc count and encoded list.
fn entry(term: &Term, postings: &TermPostings, list: &EncodedList) -> Vec<u8> {
    let mut entry = Vec::with_capacity(list.data.len() + term.text.len() + 8);
    put_term(&mut entry, &term.text, postings.docs.len(), list);
    entry
}

/// Splits entries (sorted by hash) into ranges of about `target` bytes, never between two
/// entries with the same hash. An empty index gets one empty range.
pub fn pack(hashes: &[u32], entries: &[Vec<u8>], target: usize) -> Vec<std::ops::Range<usize>> {
    let mut groups = Vec::new();
    let mut start = 0;
    let mut size = 0;
    for (i, entry) in entries.iter().enumerate() {
        if i > start && size + entry.len() > target && hashes[i] != hashes[i - 1] {
            groups.push(start..i);
            start = i;
            size = 0;
        }
        size += entry.len();
    }
    groups.push(start..entries.len());
    groups
}

/// Packs `entries` (of `total` bytes) into as many files as `max` allows, so that a query
/// fetches as few bytes as it can ([`fitting_target`] with greedy packing).
pub fn pack_within(
    hashes: &[u32],
    entries: &[Vec<u8>],
    total: usize,
    max: usize,
) -> Vec<std::ops::Range<usize>> {
    let target = fitting_target(total, max, |target| pack(hashes, entries, target).len());
    pack(hashes, entries, target)
}

/// The smallest target size, from `total / max` (at least `MIN_TARGET`) raised by a tenth
/// at a time, at which greedy packing gives no more than `max` files (`files(target)`
/// counts them). Greedy packing can leave a file short of the target where a hash cannot
/// be split, but two neighbouring files always hold more than it, so the search ends.
pub fn fitting_target(total: usize, max: usize, files: impl Fn(usize) -> usize) -> usize {
    let mut target = MIN_TARGET.max(total / max.max(1));
    while files(target) > max {
        target += target / 10 + 1;
    }
    target
}

/// The term file that holds a term with `hash` (what `search-index.js` computes).
pub fn file_for(boundaries: &[u32], hash: u32) -> usize {
    boundaries.partition_point(|&b| b <= hash).saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::encode::read_term_file;
    use crate::search::postings::invert;
    use crate::search::text::route;
    use crate::search::SearchDocument;
    use std::io::Read;

    #[test]
    fn can_pack_without_splitting_a_hash() {
        let hashes = [1, 2, 2, 3, 4, 5];
        let entries: Vec<Vec<u8>> = vec![vec![0; 10]; 6];
        let groups = pack(&hashes, &entries, 15);
        assert_eq!(groups, vec![0..1, 1..3, 3..4, 4..5, 5..6]);
        assert_eq!(pack(&[], &[], 10), vec![0..0]);
    }

    #[test]
    fn can_bound_the_number_of_files() {
        let hashes: Vec<u32> = (0..10_000).collect();
        let entries: Vec<Vec<u8>> = (0..10_000).map(|i| vec![0; 1 + i % 97]).collect();
        let total: usize = entries.iter().map(Vec::len).sum();
        let target = total / 50;
        assert!(pack(&hashes, &entries, target).len() <= 2 * total / target + 1);
    }

    #[test]
    fn can_fill_but_never_pass_the_cap() {
        let hashes: Vec<u32> = (0..10_000).collect();
        let entries: Vec<Vec<u8>> = (0..10_000).map(|i| vec![0; 1 + i % 97]).collect();
        let total: usize = entries.iter().map(Vec::len).sum();
        for max in [1, 7, 100, 1_000] {
            let groups = pack_within(&hashes, &entries, total, max);
            assert!(groups.len() <= max, "{max}: {}", groups.len());
            assert_eq!(
                groups.iter().map(ExactSizeIterator::len).sum::<usize>(),
                10_000
            );
        }
        // Near the cap, not half of it (where the smallest target allows that many).
        assert!(total / 20 > MIN_TARGET);
        assert!(pack_within(&hashes, &entries, total, 20).len() >= 18);
        // One hash is never split, however small the cap.
        let same = vec![5u32; 100];
        let big: Vec<Vec<u8>> = vec![vec![0; 1_000]; 100];
        assert_eq!(pack_within(&same, &big, 100_000, 3), vec![0..100]);
    }

    #[test]
    fn can_impact_rise_with_frequency_and_fall_with_length() {
        assert!(impact(5, 100, 100.0) > impact(1, 100, 100.0));
        assert!(impact(2, 1000, 100.0) < impact(2, 50, 100.0));
        assert_eq!(impact(0, 100, 100.0), 1);
        assert_eq!(impact(u16::MAX, 1, 100.0), 15);
    }

    #[test]
    fn can_find_every_term_in_its_file() {
        let docs: Vec<SearchDocument> = (0..50)
            .map(|i| SearchDocument {
                text: format!("word{i} share w{}", i % 7),
                ..SearchDocument::default()
            })
            .collect();
        let files = term_files(&invert(
            &docs.iter().collect::<Vec<_>>(),
            &crate::search::synonyms::Synonyms::default(),
        ));
        for term in ["word0", "word49", "share", "share\u{1}share", "w3"] {
            let gz = &files.files[file_for(&files.boundaries, route(term))];
            let mut raw = Vec::new();
            flate2::read::GzDecoder::new(gz.as_slice())
                .read_to_end(&mut raw)
                .expect("gzip");
            let entries = read_term_file(&raw).expect("term file");
            assert!(entries.iter().any(|(t, _, _)| t == term), "{term}");
        }
    }
}
