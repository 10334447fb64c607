//! Pairs of neighbouring words, so that a quoted phrase finds the decisions with its words
//! in that order without reading every candidate's page.
//!
//! A pair is two words that follow one another in a field, each as its stem, or as
//! written when it is a stop word ("child in need" gives `child`/`in` and `in`/`need`). It
//! is kept as its hash ([`pair_hash`]: from the FNV-1a hashes of its two words) and the
//! decisions it occurs in ([`PairDoc`]): no text
//! and no term frequency, because a pair only filters (the words' own postings rank). Two pairs with
//! one hash share a list, which can only add a candidate, and the browser reads the pages
//! of the results it shows to check the phrase word for word anyway.
//!
//! # Pair files (`search/index/pairs/NNNN.bin`)
//!
//! Pairs sorted by hash, packed greedily by size as term files are, in at most
//! [`MAX_PAIR_FILES`] files whose first hashes `meta.bin` lists (`pair_files`). Each file
//! is a block file ([`blocks`]): blocks of about [`blocks::BLOCK_BYTES`] keyed by their
//! first hash, so a phrase fetches the table and one block per pair of its words, not a
//! whole file (about 200 KB at 100,000 decisions, which a host that ignores ranges sends). An inflated block is a varint count,
//! then per pair: the varint gap from the previous hash in the block (the first from 0),
//! the list's kind byte, the varint decision count, the varint byte length and the list
//! ([`encode::encode_docs`]: doc ids, no impacts).

use rayon::prelude::*;

use super::blocks;
#[cfg(doc)]
use super::encode;
use super::encode::{decode_list, encode_docs, get_varint, put_varint, EncodedList};
use super::shards::{fitting_target, TermFiles};
use super::text::fnv1a;

/// The most pair files an index may have. A phrase reads a file's table and one block of
/// it, whatever the file's size, so few large files cost a phrase nothing and leave the
/// index's file count to the card files, which are read whole.
pub const MAX_PAIR_FILES: usize = 100;

/// One occurrence of a pair in a decision: the pair's hash in the high 32 bits, the doc
/// id in the low 32, so that sorting groups a pair's decisions, ascending. The whole index
/// of pairs is one sorted, deduplicated list of these (8 bytes a decision a pair, no
/// allocation per pair).
pub type PairDoc = u64;

fn pair_doc(hash: u32, doc: u32) -> PairDoc {
    (u64::from(hash) << 32) | u64::from(doc)
}

/// The hash of a [`PairDoc`].
pub fn hash_of(p: PairDoc) -> u32 {
    // The high half: the shift leaves 32 bits.
    #[allow(clippy::cast_possible_truncation, reason = "the high 32 bits")]
    let h = (p >> 32) as u32;
    h
}

/// The doc id of a [`PairDoc`].
pub fn doc_of(p: PairDoc) -> u32 {
    #[allow(clippy::cast_possible_truncation, reason = "the low 32 bits")]
    let d = p as u32;
    d
}

/// The hash of the pair "`first`, then `second`" (what `search-core.js`'s `pairHash`
/// computes): [`pair_hash_of_words`] of the two words' FNV-1a hashes.
pub fn pair_hash(first: &str, second: &str) -> u32 {
    pair_hash_of_words(fnv1a(first), fnv1a(second))
}

/// The hash of a pair from its words' FNV-1a hashes, so that an indexer hashes each word
/// once, not once per pair it is in: the first word's hash times an odd constant, the
/// second's added with xor (so that "a b" and "b a" differ), then murmur3's finish, so
/// that every bit of both reaches the top bits, which place the pair in its file.
pub fn pair_hash_of_words(first: u32, second: u32) -> u32 {
    let mut h = first.wrapping_mul(0x9e37_79b1) ^ second;
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^ (h >> 16)
}

/// How many occurrences a collector holds unpacked before it packs them into a run (8 MB),
/// so a thread's memory does not grow with the size of its chunk.
pub const RUN_LEN: usize = 1 << 20;

/// How many places the collector's memory of the pairs just added has (a power of two:
/// 4,096 places, 32 KB, a few times a decision's distinct pairs).
const RECENT: usize = 1 << 12;

/// Where in a collector's memory the pair whose hash is `hash` goes: the top bits of a
/// multiplicative hash of it (FNV-1a's low bits mix poorly).
fn place_of(hash: u32) -> usize {
    (hash.wrapping_mul(0x9e37_79b1) >> (32 - RECENT.trailing_zeros())) as usize
}

/// The pairs of one chunk of decisions, gathered as its words are read, each as its hash.
/// Occurrences are packed into runs ([`ChunkPairs`]) every [`RUN_LEN`].
pub struct Collector {
    seen: Vec<PairDoc>,
    /// The occurrence last added at each place (by the pair's hash): a pair found there
    /// again in the same decision is not added twice. A decision says most of its pairs
    /// more than once (a real one about 1.4 times each, a generated one 2.7), and each
    /// occurrence added costs its share of the sort in [`Collector::pack`], which drops
    /// repeats anyway; two pairs that meet at one place are both added, as before.
    recent: Box<[PairDoc]>,
    parts: usize,
    part_of: fn(u32) -> usize,
    packed: ChunkPairs,
}

impl Collector {
    /// A collector that splits pairs into `parts` hash ranges (`part_of` gives a hash's
    /// range, rising with the hash).
    pub fn new(parts: usize, part_of: fn(u32) -> usize) -> Collector {
        Collector {
            seen: Vec::new(),
            // No occurrence is `u64::MAX`: doc ids stop below `u32::MAX`.
            recent: vec![PairDoc::MAX; RECENT].into_boxed_slice(),
            parts,
            part_of,
            packed: ChunkPairs::default(),
        }
    }

    /// Records that the pair whose hash is `hash` occurs in `doc`. Docs come in order (a
    /// chunk's docs are read one after another): a doc never before the last one added.
    pub fn add(&mut self, hash: u32, doc: u32) {
        debug_assert!(self.seen.last().is_none_or(|&p| doc_of(p) <= doc));
        let occurrence = pair_doc(hash, doc);
        if let Some(last) = self.recent.get_mut(place_of(hash)) {
            if *last == occurrence {
                return;
            }
            *last = occurrence;
        }
        self.seen.push(occurrence);
        if self.seen.len() >= RUN_LEN {
            self.pack();
        }
    }

    /// Packs the occurrences held so far into a run.
    fn pack(&mut self) {
        let seen = &mut self.seen;
        // Added in doc order, so a stable sort by hash alone leaves each pair's docs in
        // order: a radix sort of the 32-bit hashes, several times faster than comparing.
        radsort::sort_by_key(seen, |&p| hash_of(p));
        seen.dedup();
        let mut run = Run {
            parts: Vec::with_capacity(self.parts),
        };
        let mut i = 0;
        for part in 0..self.parts {
            let mut bytes = Vec::new();
            let mut previous = 0;
            while i < seen.len() && (self.part_of)(hash_of(seen[i])) == part {
                let hash = hash_of(seen[i]);
                let end = i + seen[i..].partition_point(|&p| hash_of(p) == hash);
                put_varint(&mut bytes, u64::from(hash - previous));
                put_varint(&mut bytes, (end - i) as u64);
                let mut doc = 0;
                for &p in &seen[i..end] {
                    put_varint(&mut bytes, u64::from(doc_of(p) - doc));
                    doc = doc_of(p);
                }
                previous = hash;
                i = end;
            }
            bytes.shrink_to_fit();
            run.parts.push(bytes);
        }
        self.packed.runs.push(run);
        seen.clear();
    }

    /// The chunk's pairs, packed.
    pub fn finish(mut self) -> ChunkPairs {
        if !self.seen.is_empty() {
            self.pack();
        }
        self.packed
    }
}

/// One chunk's pairs, packed in runs (one per [`RUN_LEN`] occurrences, in doc order).
#[derive(Debug, Clone, Default)]
pub struct ChunkPairs {
    runs: Vec<Run>,
}

/// Some occurrences, packed, per hash range: per pair (ascending hash), the varint gap
/// from the previous hash in the range, the varint doc count and the varint gaps between
/// its doc ids (the first from 0). About two bytes an occurrence. Each range in a buffer
/// of its own, so that it is freed as soon as its range is merged.
#[derive(Debug, Clone, Default)]
struct Run {
    parts: Vec<Vec<u8>>,
}

/// The packed occurrences of one hash range, from every chunk's runs in chunk order.
#[derive(Debug, Default)]
pub struct PartRuns(Vec<Vec<u8>>);

/// The runs of `chunks` (in chunk order) regrouped by hash range, `parts` of them: the
/// buffers move, nothing is copied.
pub fn by_part(chunks: Vec<ChunkPairs>, parts: usize) -> Vec<PartRuns> {
    let mut out: Vec<PartRuns> = (0..parts).map(|_| PartRuns::default()).collect();
    for run in chunks.into_iter().flat_map(|c| c.runs) {
        for (part, bytes) in run.parts.into_iter().enumerate() {
            if let Some(to) = out.get_mut(part) {
                to.0.push(bytes);
            }
        }
    }
    out
}

/// Appends the occurrences packed in `bytes` to `out`.
fn unpack(bytes: &[u8], out: &mut Vec<PairDoc>) {
    let mut pos = 0;
    let mut hash = 0u32;
    let next = |pos: &mut usize| {
        let v = get_varint(bytes, pos).unwrap_or(0);
        u32::try_from(v).unwrap_or(u32::MAX)
    };
    while pos < bytes.len() {
        hash += next(&mut pos);
        let count = next(&mut pos);
        let mut doc = 0;
        for _ in 0..count {
            doc += next(&mut pos);
            out.push(pair_doc(hash, doc));
        }
    }
}

/// The encoded pair lists of one hash range: hashes ascending, and each one's entry (kind
/// byte, varint doc count, varint length, list) in one buffer.
#[derive(Debug, Clone, Default)]
pub struct EncodedPairs {
    hashes: Vec<u32>,
    ends: Vec<usize>,
    bytes: Vec<u8>,
}

impl EncodedPairs {
    /// How many pairs.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    fn entry(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.bytes[start..self.ends[i]]
    }
}

/// Merges the runs of one hash range (from [`by_part`]) and encodes its pairs for an index
/// of `doc_count` decisions; each run is freed once read.
pub fn merge(runs: PartRuns, doc_count: usize) -> EncodedPairs {
    let mut all = Vec::new();
    for bytes in runs.0 {
        unpack(&bytes, &mut all);
    }
    all.sort_unstable();
    let mut out = EncodedPairs::default();
    let mut docs = Vec::new();
    let mut i = 0;
    while i < all.len() {
        let hash = hash_of(all[i]);
        let end = i + all[i..].partition_point(|&p| hash_of(p) == hash);
        docs.clear();
        docs.extend(all[i..end].iter().map(|&p| doc_of(p)));
        docs.dedup();
        let list = encode_docs(&docs, doc_count);
        out.bytes.push(list.kind);
        put_varint(&mut out.bytes, docs.len() as u64);
        put_varint(&mut out.bytes, list.data.len() as u64);
        out.bytes.extend_from_slice(&list.data);
        out.hashes.push(hash);
        out.ends.push(out.bytes.len());
        i = end;
    }
    out.bytes.shrink_to_fit();
    out
}

/// Packs the encoded pairs of every hash range (in range order) into pair files, as many
/// as [`MAX_PAIR_FILES`] allows, at the target [`fitting_target`] finds.
pub fn pair_files(parts: &[EncodedPairs]) -> TermFiles {
    let total: usize = parts.iter().map(|p| p.bytes.len() + 3 * p.len()).sum();
    let target = fitting_target(total, MAX_PAIR_FILES, |target| {
        let mut count = 1;
        walk(parts, target, |new_file, _, _| {
            count += usize::from(new_file)
        });
        count
    });
    let mut boundaries = vec![0];
    let mut files: Vec<Vec<Block>> = vec![Vec::new()];
    walk(parts, target, |new_file, hash, entry| {
        if new_file {
            boundaries.push(hash);
            files.push(Vec::new());
        }
        if let Some(blocks) = files.last_mut() {
            let open = blocks
                .last()
                .is_some_and(|b| b.entries.len() + entry.len() <= blocks::BLOCK_BYTES);
            if !open {
                blocks.push(Block {
                    first: hash,
                    last: 0,
                    count: 0,
                    entries: Vec::new(),
                });
            }
            if let Some(block) = blocks.last_mut() {
                block.push(hash, entry);
            }
        }
    });
    let files = files
        .into_par_iter()
        .map(|blocks| blocks::pack(blocks.into_iter().map(Block::into_raw).collect()))
        .collect();
    TermFiles { boundaries, files }
}

/// The pairs of one block of a pair file as they are gathered.
struct Block {
    first: u32,
    last: u32,
    count: u64,
    entries: Vec<u8>,
}

impl Block {
    fn push(&mut self, hash: u32, entry: &[u8]) {
        put_varint(&mut self.entries, u64::from(hash - self.last));
        self.entries.extend_from_slice(entry);
        self.last = hash;
        self.count += 1;
    }

    /// The block's first hash and its bytes as the browser reads them once inflated: a
    /// varint count, then per pair the gap from the previous hash (the first from 0).
    fn into_raw(self) -> (u32, Vec<u8>) {
        let mut raw = Vec::with_capacity(self.entries.len() + 5);
        put_varint(&mut raw, self.count);
        raw.extend_from_slice(&self.entries);
        (self.first, raw)
    }
}

/// The pairs of `parts` in order, packed greedily into files of about `target` bytes:
/// `pair(new_file, hash, entry)` for each, `new_file` where a file other than the first
/// starts.
fn walk(parts: &[EncodedPairs], target: usize, mut pair: impl FnMut(bool, u32, &[u8])) {
    let (mut size, mut n, mut previous) = (0usize, 0usize, 0u32);
    for part in parts {
        for (i, &hash) in part.hashes.iter().enumerate() {
            let entry = part.entry(i);
            let new_file = n > 0 && size + entry.len() > target;
            if new_file {
                (size, n, previous) = (0, 0, 0);
            }
            let gap = hash - previous;
            size += varint_len(u64::from(gap)) + entry.len();
            n += 1;
            pair(new_file, hash, entry);
            previous = hash;
        }
    }
}

/// The bytes [`put_varint`] writes for `value`.
fn varint_len(value: u64) -> usize {
    (64 - value.leading_zeros() as usize).max(1).div_ceil(7)
}

/// Reads a pair file back: (hash, doc ids) per pair, or `None` when it is not one (for
/// tests and benchmarks; the browser reads them in `search-index.js`).
pub fn read_pair_file(file: &[u8]) -> Option<Vec<(u32, Vec<u32>)>> {
    let mut out = Vec::new();
    for (_, raw) in blocks::unpack(file)? {
        read_pair_block(&raw, &mut out)?;
    }
    Some(out)
}

/// Appends the pairs of one inflated block of a pair file to `out`.
fn read_pair_block(raw: &[u8], out: &mut Vec<(u32, Vec<u32>)>) -> Option<()> {
    let mut pos = 0;
    let count = get_varint(raw, &mut pos)?;
    let mut hash = 0u32;
    for _ in 0..count {
        hash = hash.checked_add(u32::try_from(get_varint(raw, &mut pos)?).ok()?)?;
        let kind = *raw.get(pos)?;
        pos += 1;
        let _df = get_varint(raw, &mut pos)?;
        let len = usize::try_from(get_varint(raw, &mut pos)?).ok()?;
        let data = raw.get(pos..pos.checked_add(len)?)?.to_vec();
        pos += len;
        let docs = decode_list(&EncodedList { kind, data })?;
        out.push((hash, docs.into_iter().map(|(d, _)| d).collect()));
    }
    Some(())
}

#[cfg(test)]
mod tests;
