//! Files read a block at a time: a small table, then independently gzip-compressed
//! blocks, so the browser fetches the table and the one block it needs with HTTP range
//! requests (`Range: bytes=...`, which static hosts answer with `206 Partial Content`)
//! instead of the whole file. A host that ignores ranges sends the whole file, which reads
//! the same way.
//!
//! # Layout
//!
//! - 4 bytes: [`MAGIC`].
//! - 4 bytes: the table's length in bytes, little-endian.
//! - The table: a varint count of blocks, then per block the varint gap of its first key
//!   from the previous block's first key (the first from 0) and the varint length of the
//!   block as stored.
//! - The blocks, one after another, each a whole gzip stream.
//!
//! Keys are the `u32` hashes the entries of a block are sorted by: the block that holds a
//! key is the last one whose first key is not above it. The browser asks for the first
//! [`HEAD_BYTES`] of a file to read its table (and, in the rare file whose table is longer,
//! for the file's first bytes again up to the table's end).

use rayon::prelude::*;

use super::encode::{get_varint, gzip, put_varint};

/// The first bytes of a block file.
pub const MAGIC: &[u8; 4] = b"CBB1";

/// The bytes `search-index.js` asks for first: the magic, the table's length and, in nearly
/// every file, the whole table (a block takes 3 to 6 bytes of it).
pub const HEAD_BYTES: usize = 2048;

/// About how many bytes of entries a block holds before it is compressed. An entry larger
/// than this is a block of its own.
pub const BLOCK_BYTES: usize = 8 * 1024;

/// The file of `blocks`, each its first key and its entries as they are read once
/// inflated. Blocks must come in ascending order of first key.
pub fn pack(blocks: Vec<(u32, Vec<u8>)>) -> Vec<u8> {
    let stored: Vec<(u32, Vec<u8>)> = blocks
        .into_par_iter()
        .map(|(first, raw)| (first, gzip(&raw)))
        .collect();
    let mut table = Vec::new();
    put_varint(&mut table, stored.len() as u64);
    let mut previous = 0;
    for (first, bytes) in &stored {
        debug_assert!(*first >= previous, "blocks in order of their first keys");
        put_varint(&mut table, u64::from(first.saturating_sub(previous)));
        put_varint(&mut table, bytes.len() as u64);
        previous = *first;
    }
    let body: usize = stored.iter().map(|(_, b)| b.len()).sum();
    let mut file = Vec::with_capacity(8 + table.len() + body);
    file.extend_from_slice(MAGIC);
    // A table of u32::MAX bytes would need hundreds of millions of blocks.
    file.extend_from_slice(&u32::try_from(table.len()).unwrap_or(u32::MAX).to_le_bytes());
    file.extend_from_slice(&table);
    for (_, bytes) in stored {
        file.extend_from_slice(&bytes);
    }
    file
}

/// A block's first key and where it is stored in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The key of its first entry.
    pub first: u32,
    /// Its bytes in the file.
    pub range: std::ops::Range<usize>,
}

/// The table of the block file that begins with `head` (at least its first 8 bytes and
/// its table), or `None` when it is not one.
pub fn table(head: &[u8]) -> Option<Vec<Block>> {
    if head.get(..4)? != MAGIC {
        return None;
    }
    let len = u32::from_le_bytes(head.get(4..8)?.try_into().ok()?) as usize;
    let table = head.get(8..8usize.checked_add(len)?)?;
    let mut pos = 0;
    let count = get_varint(table, &mut pos)?;
    let mut blocks = Vec::new();
    let (mut first, mut at) = (0u32, 8 + len);
    for _ in 0..count {
        first = first.checked_add(u32::try_from(get_varint(table, &mut pos)?).ok()?)?;
        let size = usize::try_from(get_varint(table, &mut pos)?).ok()?;
        let end = at.checked_add(size)?;
        blocks.push(Block {
            first,
            range: at..end,
        });
        at = end;
    }
    Some(blocks)
}

/// The block of `blocks` that holds `key`, if any may.
pub fn block_for(blocks: &[Block], key: u32) -> Option<&Block> {
    let after = blocks.partition_point(|b| b.first <= key);
    after.checked_sub(1).and_then(|i| blocks.get(i))
}

/// Every block of a whole block file, inflated, with its first key (for tests and
/// benchmarks; the browser reads blocks in `search-index.js`).
pub fn unpack(file: &[u8]) -> Option<Vec<(u32, Vec<u8>)>> {
    use std::io::Read;
    table(file)?
        .into_iter()
        .map(|block| {
            let mut raw = Vec::new();
            flate2::read::GzDecoder::new(file.get(block.range)?)
                .read_to_end(&mut raw)
                .ok()?;
            Some((block.first, raw))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_read_back_each_block_and_find_the_one_holding_a_key() {
        let blocks = vec![
            (3, b"first".to_vec()),
            (3, b"same first key".to_vec()),
            (70_000, vec![7; 20_000]),
            (u32::MAX, Vec::new()),
        ];
        let file = pack(blocks.clone());
        assert_eq!(&file[..4], MAGIC);
        assert_eq!(unpack(&file), Some(blocks));
        let table = table(&file).expect("a table");
        assert_eq!(table.len(), 4);
        assert_eq!(
            table[0].range.start,
            8 + u32::from_le_bytes(file[4..8].try_into().expect("4")) as usize
        );
        assert_eq!(table[3].range.end, file.len());
        assert!(
            table[2].range.len() < 1_000,
            "each block compressed on its own"
        );
        assert_eq!(block_for(&table, 2), None, "before the first key");
        assert_eq!(block_for(&table, 3).map(|b| b.first), Some(3));
        assert_eq!(
            block_for(&table, 69_999).map(|b| b.range.clone()),
            Some(table[1].range.clone())
        );
        assert_eq!(block_for(&table, 70_000).map(|b| b.first), Some(70_000));
        assert_eq!(block_for(&table, u32::MAX).map(|b| b.first), Some(u32::MAX));
    }

    #[test]
    fn reads_only_a_block_file_and_only_a_whole_table() {
        let file = pack(vec![(1, b"x".to_vec())]);
        assert!(
            table(&file[..file.len() - 1]).is_some(),
            "the table alone is enough"
        );
        let table_end = file.len() - table(&file).expect("t")[0].range.len();
        assert_eq!(table(&file[..table_end - 1]), None, "a table cut short");
        assert_eq!(table(b"\x1f\x8b\x08\x00"), None, "a gzip file");
        assert_eq!(table(b""), None);
        let mut lying = file.clone();
        lying[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(table(&lying), None, "a table longer than the file");
    }
}
