//! Byte encodings of the index files, and their decoders (used by tests; `search.js` has
//! the browser's copy).
//!
//! - varint: unsigned LEB128, 7 bits a byte, low bits first.
//! - a posting list is either *sparse*: one varint per posting, `(doc - previous_doc) << 4
//!   | impact` (previous starts at -1, impact 1..=15), or *dense*: a bitmap of
//!   `ceil(doc_count / 8)` bytes, bit `d % 8` of byte `d / 8` set when doc `d` has the term
//!   (impacts dropped: a term in one decision in eight or more carries little weight).
//!   Whichever is smaller is written.
//! - a term file: varint term count, then per term: varint byte length + UTF-8 term,
//!   one kind byte (0 sparse, 1 dense, 2 the same decisions as the stem before it, for a
//!   form term), varint document frequency, varint data length, data.
//! - every file is gzip-compressed before it is written (the browser inflates it with
//!   `DecompressionStream`).

use std::io::Write;

use flate2::write::GzEncoder;
use flate2::Compression;

/// A posting list written one varint per posting.
pub const SPARSE: u8 = 0;
/// A posting list written as a bitmap over all docs.
pub const DENSE: u8 = 1;
/// A form term's list that is its stem's (no data): the word has no other form.
pub const SAME: u8 = 2;

/// Appends `value` as a varint.
pub fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        #[allow(clippy::cast_possible_truncation, reason = "masked to 7 bits")]
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    #[allow(clippy::cast_possible_truncation, reason = "below 0x80")]
    out.push(value as u8);
}

/// Reads a varint at `*pos`, advancing it; `None` at a truncated or overlong varint.
pub fn get_varint(bytes: &[u8], pos: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *bytes.get(*pos)?;
        *pos += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Some(value);
        }
    }
    None
}

/// An encoded posting list: its kind and bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedList {
    /// [`SPARSE`] or [`DENSE`].
    pub kind: u8,
    /// The bytes.
    pub data: Vec<u8>,
}

/// Encodes ascending `docs` with their `impacts` (1..=15), choosing the smaller form.
pub fn encode_list(docs: &[u32], impacts: &[u8], doc_count: usize) -> EncodedList {
    let mut sparse = Vec::with_capacity(docs.len() * 2);
    let mut previous: i64 = -1;
    for (&doc, &impact) in docs.iter().zip(impacts) {
        #[allow(
            clippy::cast_sign_loss,
            reason = "docs ascend, so the delta is at least 1"
        )]
        let delta = (i64::from(doc) - previous) as u64;
        put_varint(&mut sparse, delta << 4 | u64::from(impact.clamp(1, 15)));
        previous = i64::from(doc);
    }
    let dense_len = doc_count.div_ceil(8);
    if dense_len < sparse.len() {
        let mut bitmap = vec![0u8; dense_len];
        for &doc in docs {
            bitmap[doc as usize / 8] |= 1 << (doc % 8);
        }
        EncodedList {
            kind: DENSE,
            data: bitmap,
        }
    } else {
        EncodedList {
            kind: SPARSE,
            data: sparse,
        }
    }
}

/// Decodes a posting list into `(doc, impact)` pairs; dense lists give impact 0.
pub fn decode_list(list: &EncodedList) -> Option<Vec<(u32, u8)>> {
    let mut out = Vec::new();
    if list.kind == DENSE {
        for (i, byte) in list.data.iter().enumerate() {
            for bit in 0..8 {
                if byte & (1 << bit) != 0 {
                    out.push((u32::try_from(i * 8 + bit).ok()?, 0));
                }
            }
        }
        return Some(out);
    }
    let mut pos = 0;
    let mut previous: i64 = -1;
    while pos < list.data.len() {
        let value = get_varint(&list.data, &mut pos)?;
        previous += i64::try_from(value >> 4).ok()?;
        #[allow(clippy::cast_possible_truncation, reason = "masked to 4 bits")]
        out.push((u32::try_from(previous).ok()?, (value & 15) as u8));
    }
    Some(out)
}

/// Appends one term's entry to a term file being written.
pub fn put_term(out: &mut Vec<u8>, term: &str, df: usize, list: &EncodedList) {
    put_varint(out, term.len() as u64);
    out.extend_from_slice(term.as_bytes());
    out.push(list.kind);
    put_varint(out, df as u64);
    put_varint(out, list.data.len() as u64);
    out.extend_from_slice(&list.data);
}

/// Reads a whole (inflated) term file: `(term, df, list)` for each entry.
pub fn read_term_file(bytes: &[u8]) -> Option<Vec<(String, u64, EncodedList)>> {
    let mut pos = 0;
    let count = get_varint(bytes, &mut pos)?;
    let mut out = Vec::new();
    for _ in 0..count {
        let len = usize::try_from(get_varint(bytes, &mut pos)?).ok()?;
        let term = std::str::from_utf8(bytes.get(pos..pos + len)?)
            .ok()?
            .to_string();
        pos += len;
        let kind = *bytes.get(pos)?;
        pos += 1;
        let df = get_varint(bytes, &mut pos)?;
        let data_len = usize::try_from(get_varint(bytes, &mut pos)?).ok()?;
        let data = bytes.get(pos..pos + data_len)?.to_vec();
        pos += data_len;
        out.push((term, df, EncodedList { kind, data }));
    }
    Some(out)
}

/// Gzip-compresses `bytes` (writing to a `Vec` cannot fail).
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(bytes.len() / 2), Compression::new(6));
    // Writing into a Vec<u8> only fails on allocation failure, which aborts anyway.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_round_trip_varints() {
        let mut out = Vec::new();
        for v in [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            put_varint(&mut out, v);
        }
        let mut pos = 0;
        for v in [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            assert_eq!(get_varint(&out, &mut pos), Some(v));
        }
        assert_eq!(pos, out.len());
        assert_eq!(get_varint(&[0x80], &mut 0), None, "truncated");
    }

    #[test]
    fn can_round_trip_sparse_lists() {
        let list = encode_list(&[0, 5, 6, 1000], &[3, 15, 1, 7], 100_000);
        assert_eq!(list.kind, SPARSE);
        assert_eq!(
            decode_list(&list),
            Some(vec![(0, 3), (5, 15), (6, 1), (1000, 7)])
        );
    }

    #[test]
    fn can_choose_a_bitmap_for_common_terms() {
        let docs: Vec<u32> = (0..100).step_by(2).collect();
        let impacts = vec![9; docs.len()];
        let list = encode_list(&docs, &impacts, 100);
        assert_eq!(list.kind, DENSE);
        assert_eq!(list.data.len(), 13);
        let decoded = decode_list(&list).expect("decodes");
        assert_eq!(decoded.iter().map(|p| p.0).collect::<Vec<_>>(), docs);
    }

    #[test]
    fn can_round_trip_term_files() {
        let mut file = Vec::new();
        put_varint(&mut file, 2);
        let a = encode_list(&[1, 2], &[1, 2], 50);
        let b = encode_list(&[7], &[15], 50);
        put_term(&mut file, "anger", 2, &a);
        put_term(&mut file, "école", 1, &b);
        let read = read_term_file(&file).expect("reads");
        assert_eq!(read, vec![("anger".into(), 2, a), ("école".into(), 1, b)]);
        assert_eq!(read_term_file(&file[..file.len() - 1]), None, "truncated");
    }
}
