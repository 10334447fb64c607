//! The inverted index in memory: every term -> the decisions that contain it, with a
//! field-weighted term frequency for each, built in parallel.
//!
//! Three kinds of term: a stem (`safeguard`: every decision with any form of the word), a
//! form (`safeguard\u{1}safeguarding`: the decisions with that exact word, so that they
//! rank first; placed with its stem, [`route`]) and a synonym group's key (`#cin`:
//! the decisions with any of the group's names, [`synonyms`]). Beside them, the pairs of
//! neighbouring words, stop words too ([`pairs`]), gathered in the same reading of the
//! text.
//!
//! Decisions are processed in chunks on rayon's pool; each chunk interns its own vocabulary
//! and splits its postings by the top bits of the term's FNV-1a hash, so the merge runs in
//! parallel too (one hash range per task) and its output comes out sorted by hash, which is
//! the order the term files are packed in. Doc ids are positions in the slice given, so
//! postings are ascending without sorting.

use std::collections::HashMap;

use rayon::prelude::*;
use rustc_hash::FxBuildHasher;

use super::encode::{get_varint, put_varint};
use super::pairs::{self, ChunkPairs, EncodedPairs};
#[cfg(doc)]
use super::synonyms;
use super::synonyms::Synonyms;
use super::text::{fnv1a, for_each_cased_word, form_term, route, term_of, STOP_WORDS};
use super::SearchDocument;

mod words;

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

/// One term's postings in one chunk of docs, packed as the chunk is read: per doc, the
/// varint gap from the previous doc id (the first from 0, so the first is the doc id
/// itself) and the varint weighted term frequency. About two bytes a doc where the two
/// lists of [`TermPostings`] take six.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Packed {
    count: u32,
    last: u32,
    bytes: Vec<u8>,
}

impl Packed {
    /// Adds `doc` (above every doc added before) with its term frequency.
    fn push(&mut self, doc: u32, tf: u16) {
        put_varint(&mut self.bytes, u64::from(doc - self.last));
        put_varint(&mut self.bytes, u64::from(tf));
        self.last = doc;
        self.count += 1;
    }

    /// How many docs the term is in, in this chunk.
    fn len(&self) -> usize {
        self.count as usize
    }

    /// Appends the docs and term frequencies to `to`.
    fn unpack_into(&self, to: &mut TermPostings) {
        let mut pos = 0;
        let mut doc = 0u32;
        let mut next = || get_varint(&self.bytes, &mut pos).unwrap_or(0);
        for _ in 0..self.count {
            // Both were written from a u32 and a u16.
            doc += u32::try_from(next()).unwrap_or(u32::MAX);
            let tf = u16::try_from(next()).unwrap_or(u16::MAX);
            to.docs.push(doc);
            to.tfs.push(tf);
        }
    }
}

/// One term's postings over the whole corpus: its lists from the chunks it occurs in, in
/// chunk order, so doc ids ascend through them. The chunks' lists are kept as they were
/// packed, not joined into one: a merge that copied them would hold every list twice for
/// a moment. The term files unpack each term only while they encode it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Postings {
    chunks: Vec<Packed>,
}

impl Postings {
    /// How many docs the term is in.
    pub fn len(&self) -> usize {
        self.chunks.iter().map(Packed::len).sum()
    }

    /// True when the term is in no doc.
    pub fn is_empty(&self) -> bool {
        self.chunks.iter().all(|c| c.count == 0)
    }

    /// The docs and term frequencies as lists.
    pub fn unpack(&self) -> TermPostings {
        let len = self.len();
        let mut to = TermPostings {
            docs: Vec::with_capacity(len),
            tfs: Vec::with_capacity(len),
        };
        for chunk in &self.chunks {
            chunk.unpack_into(&mut to);
        }
        to
    }
}

/// One indexed term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The hash that places the term in its file ([`route`]).
    pub hash: u32,
    /// The term itself.
    pub text: String,
    /// Where it occurs.
    pub postings: Postings,
}

/// The whole inverted index: terms sorted by (hash, text), and each doc's weighted length.
#[derive(Debug, Clone, Default)]
pub struct Inverted {
    /// Every term, sorted by hash then text.
    pub terms: Vec<Term>,
    /// Every pair of neighbouring words, encoded, per hash range (ascending).
    pub pairs: Vec<EncodedPairs>,
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
) -> [(&'a str, u16); 8] {
    [
        (doc.council.as_ref(), 3),
        (doc.reference.as_str(), 3),
        (compact_reference, 3),
        (doc.summary.as_ref(), 3),
        // A decision filed under Safeguarding is found by `safeguarding`, whether or not
        // its text uses the word.
        (doc.category.as_deref().unwrap_or_default(), 2),
        (doc.subcategory.as_deref().unwrap_or_default(), 2),
        (doc.plain_summary.as_ref(), 2),
        (text, 1),
    ]
}

/// A term of one chunk: its [`route`], its text and its postings there.
type ChunkTerm = (u32, String, Packed);

/// One chunk's index: postings split into `PARTS` hash ranges.
struct ChunkIndex {
    parts: Vec<Vec<ChunkTerm>>,
    pairs: ChunkPairs,
    lengths: Vec<u32>,
}

fn part_of(hash: u32) -> usize {
    (hash >> (32 - PARTS.trailing_zeros())) as usize
}

/// A word's ids in a chunk's [`Vocabulary`]: its stem's and its form's term ids, or, for a
/// stop word, `stem` at [`STOP_IDS`] and above (its pair id) and `form` unused; and its
/// [`Synonyms::word_id`].
#[derive(Debug, Clone, Copy, Default)]
struct WordIds {
    stem: u32,
    form: u32,
    name: u32,
}

/// A chunk's vocabulary: each distinct raw word seen maps to its [`WordIds`], so stemming
/// and the stop-word test run once per word, not once per token.
#[derive(Default)]
struct Vocabulary {
    /// Each word's ids.
    words: words::Words<WordIds>,
    terms: HashMap<String, usize, FxBuildHasher>,
    /// Each term id's [`route`]: for a stem, its FNV-1a hash, which the pairs it is in are
    /// hashed from; for a form term, its stem's.
    routes: Vec<u32>,
    postings: Vec<Packed>,
    tf: Vec<u16>,
}

impl Vocabulary {
    fn term(&mut self, term: String) -> usize {
        let next = self.postings.len();
        if let Some(&id) = self.terms.get(&term) {
            return id;
        }
        self.routes.push(route(&term));
        self.terms.insert(term, next);
        self.postings.push(Packed::default());
        self.tf.push(0);
        next
    }

    /// Adds `doc_id` with its counts to the postings of the terms it `touched`, and
    /// clears them for the next doc.
    fn post(&mut self, touched: &mut Vec<usize>, doc_id: u32) {
        for id in touched.drain(..) {
            self.postings[id].push(doc_id, self.tf[id]);
            self.tf[id] = 0;
        }
    }

    /// Each term with its postings, in the part its route goes to.
    fn into_parts(mut self) -> Vec<Vec<ChunkTerm>> {
        let mut parts: Vec<Vec<ChunkTerm>> = (0..PARTS).map(|_| Vec::new()).collect();
        for (term, id) in self.terms {
            let hash = self.routes[id];
            let p = part_of(hash);
            // Held until every chunk is read: without the room their growth left.
            let mut postings = std::mem::take(&mut self.postings[id]);
            postings.bytes.shrink_to_fit();
            parts[p].push((hash, term, postings));
        }
        parts
    }

    /// The word's [`WordIds`]. Called for every token, so kept inline; a word seen for the
    /// first time (the rare case) goes to `new_word`.
    #[inline(always)]
    fn id(&mut self, word: &str, synonyms: &Synonyms) -> WordIds {
        match self.words.get(word) {
            Some(id) => id,
            None => self.new_word(word, synonyms),
        }
    }

    #[inline(never)]
    fn new_word(&mut self, word: &str, synonyms: &Synonyms) -> WordIds {
        let (stem, form) = match term_of(word) {
            Some(stem) => {
                let form = self.term(form_term(&stem, word));
                (self.term(stem), form)
            }
            None => (stop_id(word).unwrap_or(STOP_IDS), 0),
        };
        // A chunk's terms are far fewer than `STOP_IDS` (each costs memory): a term id
        // there would read as a stop word's.
        debug_assert!(
            self.postings.len() < STOP_IDS,
            "term ids reach the stop words'"
        );
        let id = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let found = WordIds {
            stem: id(stem),
            form: id(form),
            name: synonyms.word_id(word),
        };
        self.words.insert(word, found);
        found
    }
}

/// Stop words are not terms, but they are in pairs: they get ids from here up.
const STOP_IDS: usize = (u32::MAX / 2) as usize;

fn stop_id(word: &str) -> Option<usize> {
    STOP_WORDS.binary_search(&word).ok().map(|i| STOP_IDS + i)
}

/// Each stop word's FNV-1a hash (its [`route`]), by its place in [`STOP_WORDS`].
static STOP_HASHES: std::sync::LazyLock<Vec<u32>> =
    std::sync::LazyLock::new(|| STOP_WORDS.iter().map(|w| fnv1a(w)).collect());

/// The FNV-1a hash of the text of a stem's (or a stop word's) id.
fn hash_of_id(vocab: &Vocabulary, id: usize) -> u32 {
    let hash = match id.checked_sub(STOP_IDS) {
        Some(stop) => STOP_HASHES.get(stop),
        None => vocab.routes.get(id),
    };
    // Every id the indexer makes has a hash; an unknown one stands for no text.
    hash.copied().unwrap_or_else(|| fnv1a(""))
}

/// The pair hash of term (or stop word) `first` then `second`.
fn pair_hash_of(vocab: &Vocabulary, first: usize, second: usize) -> u32 {
    pairs::pair_hash_of_words(hash_of_id(vocab, first), hash_of_id(vocab, second))
}

/// Per doc: the terms it touched, and its weighted length.
struct Counter {
    touched: Vec<usize>,
    length: u32,
}

impl Counter {
    fn add(&mut self, vocab: &mut Vocabulary, id: usize, weight: u16) {
        if vocab.tf[id] == 0 {
            self.touched.push(id);
        }
        vocab.tf[id] = vocab.tf[id].saturating_add(weight);
    }
}

/// Where the indexer gets a decision's text when its [`SearchDocument`] does not hold it:
/// the text of the doc at a position, read only while that doc is indexed, so the texts of
/// a whole corpus are never in memory at once. `None`: the doc's own `text`.
pub type TextSource<'a> = &'a (dyn Fn(usize) -> Option<String> + Sync);

fn index_chunk(
    base: usize,
    docs: &[&SearchDocument],
    synonyms: &Synonyms,
    source: TextSource<'_>,
) -> ChunkIndex {
    let mut vocab = Vocabulary::default();
    let mut counter = Counter {
        touched: Vec::new(),
        length: 0,
    };
    let mut lengths = Vec::with_capacity(docs.len());
    let mut names = synonyms.matcher();
    let mut pairs = pairs::Collector::new(PARTS, part_of);
    for (offset, doc) in docs.iter().enumerate() {
        #[allow(
            clippy::cast_possible_truncation,
            reason = "doc counts are cut to u32 in build_index"
        )]
        let doc_id = (base + offset) as u32;
        counter.length = 0;
        let compact: String = doc.reference.split_whitespace().collect();
        let loaded = source(base + offset);
        let body = loaded.as_deref().unwrap_or(&doc.text);
        for (text, weight) in fields(doc, &compact, body) {
            names.reset();
            let mut previous = None;
            for_each_cased_word(text, |word, capitals| {
                let ids = vocab.id(word, synonyms);
                names.push(ids.name, capitals, |key| {
                    let id = vocab.term(key.to_string());
                    counter.add(&mut vocab, id, weight);
                });
                let (stem, form) = (ids.stem as usize, ids.form as usize);
                if stem >= STOP_IDS {
                    // A stop word is in pairs as itself ("child in need": `child`/`in`, `in`/`need`).
                    if let Some(first) = previous.replace(stem) {
                        pairs.add(pair_hash_of(&vocab, first, stem), doc_id);
                    }
                    return;
                }
                counter.add(&mut vocab, stem, weight);
                counter.add(&mut vocab, form, weight);
                counter.length += u32::from(weight);
                if let Some(first) = previous.replace(stem) {
                    pairs.add(pair_hash_of(&vocab, first, stem), doc_id);
                }
            });
        }
        vocab.post(&mut counter.touched, doc_id);
        lengths.push(counter.length);
    }
    ChunkIndex {
        parts: vocab.into_parts(),
        pairs: pairs.finish(),
        lengths,
    }
}

/// Indexes `docs` (doc id = position in the slice), with the names of `synonyms`.
pub fn invert(docs: &[&SearchDocument], synonyms: &Synonyms) -> Inverted {
    invert_with(docs, synonyms, &|_| None)
}

/// Indexes `docs`, taking each one's text from `source` (by doc id) where it gives one.
pub fn invert_with(
    docs: &[&SearchDocument],
    synonyms: &Synonyms,
    source: TextSource<'_>,
) -> Inverted {
    let size = MIN_CHUNK.max(docs.len().div_ceil(rayon::current_num_threads() * 4));
    let chunks: Vec<ChunkIndex> = docs
        .par_chunks(size)
        .enumerate()
        .map(|(i, chunk)| index_chunk(i * size, chunk, synonyms, source))
        .collect();
    let mut doc_lengths = Vec::with_capacity(docs.len());
    let mut by_part: Vec<Vec<Vec<ChunkTerm>>> = (0..PARTS).map(|_| Vec::new()).collect();
    let mut chunk_pairs = Vec::with_capacity(chunks.len());
    for chunk in chunks {
        doc_lengths.extend(chunk.lengths);
        for (p, part) in chunk.parts.into_iter().enumerate() {
            by_part[p].push(part);
        }
        chunk_pairs.push(chunk.pairs);
    }
    let doc_count = doc_lengths.len();
    let pair_runs = pairs::by_part(chunk_pairs, PARTS);
    let (terms, pairs): (Vec<Vec<Term>>, Vec<EncodedPairs>) = rayon::join(
        || by_part.into_par_iter().map(merge_part).collect(),
        || {
            pair_runs
                .into_par_iter()
                .map(|runs| pairs::merge(runs, doc_count))
                .collect()
        },
    );
    Inverted {
        terms: terms.into_iter().flatten().collect(),
        pairs,
        doc_lengths,
    }
}

/// Gathers one hash range's terms across chunks (in chunk order, so doc ids stay
/// ascending): each chunk's lists move, nothing is copied.
fn merge_part(chunks: Vec<Vec<ChunkTerm>>) -> Vec<Term> {
    let mut lists: HashMap<String, (u32, Vec<Packed>), FxBuildHasher> = HashMap::default();
    for chunk in chunks {
        for (hash, term, postings) in chunk {
            lists
                .entry(term)
                .or_insert((hash, Vec::new()))
                .1
                .push(postings);
        }
    }
    let mut terms: Vec<Term> = lists
        .into_iter()
        .map(|(text, (hash, mut chunks))| {
            chunks.shrink_to_fit();
            Term {
                hash,
                text,
                postings: Postings { chunks },
            }
        })
        .collect();
    terms.sort_unstable_by(|a, b| (a.hash, &a.text).cmp(&(b.hash, &b.text)));
    terms
}

#[cfg(test)]
mod tests;
