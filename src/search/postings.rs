//! The inverted index in memory: every term -> the decisions that contain it, with a
//! field-weighted term frequency for each, built in parallel.
//!
//! Decisions are processed in chunks on rayon's pool; each chunk interns its own vocabulary
//! and splits its postings by the top bits of the term's FNV-1a hash, so the merge runs in
//! parallel too (one hash range per task) and its output comes out sorted by hash, which is
//! the order the term files are packed in. Doc ids are positions in the slice given, so
//! postings are ascending without sorting.

use std::collections::HashMap;

use rayon::prelude::*;

use super::text::{fnv1a, for_each_word, term_of, FnvBuild};
use super::SearchDocument;

/// How many hash ranges the merge is split into (a power of two).
const PARTS: usize = 64;
/// The fewest decisions per indexing task. Bigger tasks mean fewer partial posting lists
/// to merge (a common word appears once per task), so tasks are as big as keeps every
/// thread busy: about four per thread.
const MIN_CHUNK: usize = 256;

/// One term's postings: ascending doc ids and the weighted term frequency in each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermPostings {
    /// Doc ids, ascending.
    pub docs: Vec<u32>,
    /// Weighted term frequency per doc (same length as `docs`).
    pub tfs: Vec<u16>,
}

/// One indexed term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// FNV-1a hash of the term (`text::fnv1a`).
    pub hash: u32,
    /// The term itself.
    pub text: String,
    /// Where it occurs.
    pub postings: TermPostings,
}

/// The whole inverted index: terms sorted by (hash, text), and each doc's weighted length.
#[derive(Debug, Clone, Default)]
pub struct Inverted {
    /// Every term, sorted by hash then text.
    pub terms: Vec<Term>,
    /// Weighted token count per doc (for BM25 length normalisation).
    pub doc_lengths: Vec<u32>,
}

/// The weight of each field's words: a hit in the summary counts more than one in the text.
/// The reference is indexed as written (`21 019 020`: three words) and run together
/// (`21019020`), so both spellings find it.
fn fields<'a>(
    doc: &'a SearchDocument,
    compact_reference: &'a str,
    text: &'a str,
) -> [(&'a str, u16); 6] {
    [
        (doc.council.as_str(), 3),
        (doc.reference.as_str(), 3),
        (compact_reference, 3),
        (doc.summary.as_str(), 3),
        (doc.plain_summary.as_str(), 2),
        (text, 1),
    ]
}

/// One chunk's index: postings split into `PARTS` hash ranges.
struct ChunkIndex {
    parts: Vec<Vec<(String, TermPostings)>>,
    lengths: Vec<u32>,
}

fn part_of(hash: u32) -> usize {
    (hash >> (32 - PARTS.trailing_zeros())) as usize
}

/// A chunk's vocabulary: each distinct raw word seen maps to its term's id (stop words to
/// `None`), so stemming and the stop-word test run once per word, not once per token.
#[derive(Default)]
struct Vocabulary {
    words: HashMap<String, Option<usize>, FnvBuild>,
    terms: HashMap<String, usize, FnvBuild>,
    postings: Vec<TermPostings>,
    tf: Vec<u16>,
}

impl Vocabulary {
    fn id(&mut self, word: &str) -> Option<usize> {
        if let Some(&id) = self.words.get(word) {
            return id;
        }
        let id = term_of(word).map(|term| {
            let next = self.postings.len();
            let id = *self.terms.entry(term).or_insert(next);
            if id == next {
                self.postings.push(TermPostings::default());
                self.tf.push(0);
            }
            id
        });
        self.words.insert(word.to_string(), id);
        id
    }
}

/// Where the indexer gets a decision's text when its [`SearchDocument`] does not hold it:
/// the text of the doc at a position, read only while that doc is indexed, so the texts of
/// a whole corpus are never in memory at once. `None`: the doc's own `text`.
pub type TextSource<'a> = &'a (dyn Fn(usize) -> Option<String> + Sync);

fn index_chunk(base: usize, docs: &[&SearchDocument], source: TextSource<'_>) -> ChunkIndex {
    let mut vocab = Vocabulary::default();
    let mut touched: Vec<usize> = Vec::new();
    let mut lengths = Vec::with_capacity(docs.len());
    for (offset, doc) in docs.iter().enumerate() {
        let mut length = 0u32;
        let compact: String = doc.reference.split_whitespace().collect();
        let loaded = source(base + offset);
        let body = loaded.as_deref().unwrap_or(&doc.text);
        for (text, weight) in fields(doc, &compact, body) {
            for_each_word(text, |word| {
                let Some(id) = vocab.id(word) else { return };
                if vocab.tf[id] == 0 {
                    touched.push(id);
                }
                vocab.tf[id] = vocab.tf[id].saturating_add(weight);
                length += u32::from(weight);
            });
        }
        #[allow(
            clippy::cast_possible_truncation,
            reason = "doc counts are cut to u32 in build_index"
        )]
        let doc_id = (base + offset) as u32;
        for id in touched.drain(..) {
            vocab.postings[id].docs.push(doc_id);
            vocab.postings[id].tfs.push(vocab.tf[id]);
            vocab.tf[id] = 0;
        }
        lengths.push(length);
    }
    let mut parts: Vec<Vec<(String, TermPostings)>> = (0..PARTS).map(|_| Vec::new()).collect();
    for (term, id) in vocab.terms {
        let p = part_of(fnv1a(&term));
        parts[p].push((term, std::mem::take(&mut vocab.postings[id])));
    }
    ChunkIndex { parts, lengths }
}

/// Indexes `docs` (doc id = position in the slice).
pub fn invert(docs: &[&SearchDocument]) -> Inverted {
    invert_with(docs, &|_| None)
}

/// Indexes `docs`, taking each one's text from `source` (by doc id) where it gives one.
pub fn invert_with(docs: &[&SearchDocument], source: TextSource<'_>) -> Inverted {
    let size = MIN_CHUNK.max(docs.len().div_ceil(rayon::current_num_threads() * 4));
    let chunks: Vec<ChunkIndex> = docs
        .par_chunks(size)
        .enumerate()
        .map(|(i, chunk)| index_chunk(i * size, chunk, source))
        .collect();
    let mut doc_lengths = Vec::with_capacity(docs.len());
    let mut by_part: Vec<Vec<Vec<(String, TermPostings)>>> =
        (0..PARTS).map(|_| Vec::new()).collect();
    for chunk in chunks {
        doc_lengths.extend(chunk.lengths);
        for (p, part) in chunk.parts.into_iter().enumerate() {
            by_part[p].push(part);
        }
    }
    let terms: Vec<Vec<Term>> = by_part.into_par_iter().map(merge_part).collect();
    Inverted {
        terms: terms.into_iter().flatten().collect(),
        doc_lengths,
    }
}

/// Merges one hash range across chunks (in chunk order, so doc ids stay ascending).
fn merge_part(chunks: Vec<Vec<(String, TermPostings)>>) -> Vec<Term> {
    let mut merged: HashMap<String, TermPostings, FnvBuild> = HashMap::default();
    for chunk in chunks {
        for (term, postings) in chunk {
            let entry = merged.entry(term).or_default();
            entry.docs.extend(postings.docs);
            entry.tfs.extend(postings.tfs);
        }
    }
    let mut terms: Vec<Term> = merged
        .into_iter()
        .map(|(text, postings)| Term {
            hash: fnv1a(&text),
            text,
            postings,
        })
        .collect();
    terms.sort_unstable_by(|a, b| (a.hash, &a.text).cmp(&(b.hash, &b.text)));
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn doc(text: &str) -> SearchDocument {
        SearchDocument {
            text: text.to_string(),
            ..SearchDocument::default()
        }
    }

    #[test]
    fn can_invert_documents_in_doc_order() {
        let docs: Vec<SearchDocument> = (0..600)
            .map(|i| {
                doc(if i % 2 == 0 {
                    "anger management"
                } else {
                    "anger anger"
                })
            })
            .collect();
        let index = invert(&docs.iter().collect::<Vec<_>>());
        let anger = index
            .terms
            .iter()
            .find(|t| t.text == "anger")
            .expect("anger");
        assert_eq!(anger.postings.docs, (0..600).collect::<Vec<u32>>());
        assert_eq!(anger.postings.tfs[0], 1);
        assert_eq!(anger.postings.tfs[1], 2);
        let management = index
            .terms
            .iter()
            .find(|t| t.text == "management")
            .expect("m");
        assert_eq!(management.postings.docs.len(), 300);
        assert!(management.postings.docs.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(index.doc_lengths.len(), 600);
    }

    #[test]
    fn can_sort_terms_by_hash() {
        let docs = [doc("alpha beta gamma delta epsilon zeta eta theta")];
        let index = invert(&docs.iter().collect::<Vec<_>>());
        assert_eq!(index.terms.len(), 8);
        assert!(index.terms.windows(2).all(|w| w[0].hash <= w[1].hash));
    }

    #[test]
    fn can_find_a_reference_in_both_spellings() {
        let docs = [SearchDocument {
            reference: "21 019 020".into(),
            ..SearchDocument::default()
        }];
        let index = invert(&docs.iter().collect::<Vec<_>>());
        for term in ["21", "019", "020", "21019020"] {
            assert!(index.terms.iter().any(|t| t.text == term), "{term}");
        }
    }

    #[test]
    fn can_weight_fields() {
        let docs = [SearchDocument {
            summary: "anger".into(),
            text: "anger".into(),
            ..SearchDocument::default()
        }];
        let index = invert(&docs.iter().collect::<Vec<_>>());
        assert_eq!(index.terms[0].postings.tfs, [4]);
        assert_eq!(index.doc_lengths, [4]);
    }
}
