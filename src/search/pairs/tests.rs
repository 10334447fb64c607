use super::*;

#[test]
fn can_count_a_varints_bytes() {
    for value in [
        0,
        1,
        127,
        128,
        16_383,
        16_384,
        u64::from(u32::MAX),
        u64::MAX,
    ] {
        let mut out = Vec::new();
        put_varint(&mut out, value);
        assert_eq!(varint_len(value), out.len(), "{value}");
    }
}

fn read(gz: &[u8]) -> Vec<(u32, Vec<u32>)> {
    read_pair_file(gz).expect("a pair file")
}

fn unpacked(chunk: &ChunkPairs, part: usize) -> Vec<PairDoc> {
    let mut out = Vec::new();
    for run in &chunk.runs {
        unpack(&run.parts[part], &mut out);
    }
    out
}

/// Merges hash range `part` of `chunks`.
fn merge_of(chunks: &[ChunkPairs], parts: usize, part: usize, docs: usize) -> EncodedPairs {
    let runs = by_part(chunks.to_vec(), parts).swap_remove(part);
    merge(runs, docs)
}

#[test]
fn can_collect_each_doc_once_per_pair() {
    let mut c = Collector::new(2, |h| usize::from(h >= 1 << 31));
    for doc in [0, 0, 3, 300] {
        c.add(7, doc);
        if doc == 3 {
            c.add(u32::MAX, 3);
        }
    }
    let chunk = c.finish();
    assert_eq!(
        unpacked(&chunk, 0),
        [pair_doc(7, 0), pair_doc(7, 3), pair_doc(7, 300)]
    );
    assert_eq!(unpacked(&chunk, 1), [pair_doc(u32::MAX, 3)]);
}

#[test]
fn can_keep_two_pairs_that_meet_at_one_place() {
    let other = (1..u32::MAX)
        .find(|&h| place_of(h) == place_of(0))
        .expect("a hash at the place of 0");
    let chunk = chunk_of(&[(0, 1), (other, 1), (0, 1), (other, 1), (0, 2)]);
    let found: Vec<PairDoc> = (0..4).flat_map(|p| unpacked(&chunk, p)).collect();
    let mut expected = vec![pair_doc(0, 1), pair_doc(0, 2), pair_doc(other, 1)];
    expected.sort_unstable();
    assert_eq!(found, expected);
}

proptest::proptest! {
    /// Whatever a decision repeats, and whichever pairs meet at one place of the
    /// collector's memory, each pair keeps each of its decisions once.
    #[test]
    fn collects_each_pair_and_doc_once_whatever_repeats(
        occurrences in proptest::collection::vec(
            (proptest::sample::select(vec![0u32, 1, 7, 4096, 1 << 20, 1 << 31, u32::MAX]), 0u32..6),
            0..300,
        ),
    ) {
        let chunk = chunk_of(&occurrences);
        let found: Vec<PairDoc> = (0..4).flat_map(|p| unpacked(&chunk, p)).collect();
        let mut expected: Vec<PairDoc> =
            occurrences.iter().map(|&(h, d)| pair_doc(h, d)).collect();
        expected.sort_unstable();
        expected.dedup();
        proptest::prop_assert_eq!(found, expected);
    }
}

fn chunk_of(occurrences: &[(u32, u32)]) -> ChunkPairs {
    let mut c = Collector::new(4, |h| (h >> 30) as usize);
    // A collector takes docs in order, as the indexer reads them.
    let mut occurrences = occurrences.to_vec();
    occurrences.sort_by_key(|&(_, doc)| doc);
    for (hash, doc) in occurrences {
        c.add(hash, doc);
    }
    c.finish()
}

#[test]
fn can_merge_chunks_in_order() {
    let chunks = [
        chunk_of(&[(5, 0), (3 << 30, 1), (1, 3), (5, 4)]),
        chunk_of(&[(2, 9), (5, 9)]),
    ];
    let merged = merge_of(&chunks, 4, 0, 100);
    assert_eq!(merged.hashes, [1, 2, 5]);
    let files = pair_files(&[merged, merge_of(&chunks, 4, 3, 100)]);
    let entries = read(&files.files[0]);
    assert_eq!(
        entries,
        [
            (1, vec![3]),
            (2, vec![9]),
            (5, vec![0, 4, 9]),
            (3 << 30, vec![1])
        ]
    );
}

#[test]
fn can_merge_the_runs_of_a_large_chunk() {
    let mut c = Collector::new(4, |h| (h >> 30) as usize);
    let docs = u32::try_from(RUN_LEN * 3 / 2 / 1000).expect("docs");
    for doc in 0..docs {
        for pair in 0..1000u32 {
            c.add(pair * 4_000_000, doc);
        }
    }
    let chunk = c.finish();
    assert_eq!(chunk.runs.len(), 2);
    let parts: Vec<EncodedPairs> = (0..4)
        .map(|p| merge_of(std::slice::from_ref(&chunk), 4, p, docs as usize))
        .collect();
    let files = pair_files(&parts);
    let all: Vec<(u32, Vec<u32>)> = files.files.iter().flat_map(|f| read(f)).collect();
    assert_eq!(all.len(), 1000);
    assert!(all
        .iter()
        .all(|(_, d)| *d == (0..docs).collect::<Vec<u32>>()));
}

#[test]
fn can_find_every_pair_in_its_file() {
    let pairs: Vec<(u32, Vec<u32>)> = (0..5_000u32)
        .map(|i| {
            (
                i * 800_000,
                (0..1 + i % 40).map(|d| d * 3 + i % 3).collect(),
            )
        })
        .collect();
    let occurrences: Vec<(u32, u32)> = pairs
        .iter()
        .flat_map(|(h, docs)| docs.iter().map(|&d| (*h, d)))
        .collect();
    let chunk = chunk_of(&occurrences);
    let parts: Vec<EncodedPairs> = (0..4)
        .map(|p| merge_of(std::slice::from_ref(&chunk), 4, p, 200))
        .collect();
    let files = pair_files(&parts);
    assert!(files.files.len() > 1, "{} files", files.files.len());
    for (hash, docs) in &pairs {
        let file = crate::search::shards::file_for(&files.boundaries, *hash);
        let entries = read(&files.files[file]);
        let found = entries.iter().find(|(h, _)| h == hash);
        assert_eq!(found.map(|(_, d)| d), Some(docs), "{hash}");
    }
}

/// `pair_hash("child", "need")`, worked out by hand from the definition.
const PAIR_CHILD_NEED: u32 = 0x7383_7f24;

#[test]
fn can_hash_a_pair_from_its_words_hashes() {
    let (child, need) = (fnv1a("child"), fnv1a("need"));
    assert_eq!(pair_hash("child", "need"), pair_hash_of_words(child, need));
    assert_ne!(pair_hash("child", "need"), pair_hash("need", "child"));
    // A fixed value, so that a change here is seen to change the browser's side too.
    assert_eq!(pair_hash("child", "need"), PAIR_CHILD_NEED);
}

proptest::proptest! {
    #[test]
    fn spreads_pairs_over_the_top_bits_that_place_them_in_files(
        words in proptest::collection::vec("[a-z]{1,9}", 64..65),
    ) {
        // 63 distinct pairs of neighbours land in at least 16 of the 64 top-six-bit ranges.
        let mut seen = std::collections::BTreeSet::new();
        let mut ranges = std::collections::BTreeSet::new();
        for w in words.windows(2) {
            if seen.insert((w[0].clone(), w[1].clone())) {
                ranges.insert(pair_hash(&w[0], &w[1]) >> 26);
            }
        }
        proptest::prop_assume!(seen.len() > 40);
        proptest::prop_assert!(ranges.len() >= 16, "{} ranges", ranges.len());
    }
}
