//! Byte encodings of the index files, and their decoders (used by tests; `search-core.js` has
//! the browser's copy).
//!
//! - varint: unsigned LEB128, 7 bits a byte, low bits first.
//! - a posting list is either *sparse*: one varint per posting, `(doc - previous_doc) << 4
//!   | impact` (previous starts at -1, impact 1..=15), or *dense*: a bitmap of
//!   `ceil(doc_count / 8)` bytes, bit `d % 8` of byte `d / 8` set when doc `d` has the term
//!   (impacts dropped: a term in one decision in eight or more carries little weight).
//!   Whichever is smaller is written.
//! - a form term's list (`safeguard\u{1}safeguarding`) is a subset of its stem's, so it is
//!   written as positions in the stem's list, whichever is smallest of: the positions it
//!   has (*subset*: one varint per position, delta from the previous, previous starts at
//!   -1), a bitmap over the stem's positions (*subset bitmap*: `ceil(stem_df / 8)` bytes),
//!   or the positions it lacks (*subset complement*, as *subset*). A form has no impacts of
//!   its own: it ranks with its stem's.
//! - a term file: varint term count, then per term: varint byte length + UTF-8 term,
//!   one kind byte (0 sparse, 1 dense, 2 the same decisions as the stem before it, 3 subset,
//!   4 subset bitmap, 5 subset complement), varint document frequency, varint data length,
//!   data.
//! - a list with no impacts (a pair of words) is *sparse docs* (kind 6: one varint per
//!   posting, `doc - previous_doc`, previous starts at -1) or *dense*, whichever is smaller.
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
/// A form term's list as the positions (in its stem's list) it has.
pub const SUBSET: u8 = 3;
/// A form term's list as a bitmap over its stem's list.
pub const SUBSET_BITMAP: u8 = 4;
/// A form term's list as the positions (in its stem's list) it lacks.
pub const SUBSET_COMPLEMENT: u8 = 5;
/// A posting list without impacts, one varint per posting: `doc - previous_doc`
/// (previous starts at -1). Pairs of words are written so ([`encode_docs`]).
pub const SPARSE_DOCS: u8 = 6;

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
    smaller_of(sparse, SPARSE, docs, doc_count)
}

/// Encodes ascending `docs` without impacts: [`SPARSE_DOCS`] or [`DENSE`], whichever is
/// smaller.
pub fn encode_docs(docs: &[u32], doc_count: usize) -> EncodedList {
    let mut sparse = Vec::with_capacity(docs.len() * 2);
    let mut previous: i64 = -1;
    for &doc in docs {
        #[allow(
            clippy::cast_sign_loss,
            reason = "docs ascend, so the delta is at least 1"
        )]
        put_varint(&mut sparse, (i64::from(doc) - previous) as u64);
        previous = i64::from(doc);
    }
    smaller_of(sparse, SPARSE_DOCS, docs, doc_count)
}

/// `sparse` (of `kind`), or the bitmap of `docs` over `doc_count` docs when that is smaller.
fn smaller_of(sparse: Vec<u8>, kind: u8, docs: &[u32], doc_count: usize) -> EncodedList {
    let dense_len = doc_count.div_ceil(8);
    if dense_len >= sparse.len() {
        return EncodedList { kind, data: sparse };
    }
    let mut bitmap = vec![0u8; dense_len];
    for &doc in docs {
        bitmap[doc as usize / 8] |= 1 << (doc % 8);
    }
    EncodedList {
        kind: DENSE,
        data: bitmap,
    }
}

/// Encodes a form's ascending `docs`, every one of which is in its stem's ascending
/// `stem_docs`, as positions in the stem's list, choosing the smallest of the three forms
/// ([`SAME`] when they are the stem's docs). Docs not in the stem's list are left out.
pub fn encode_subset(stem_docs: &[u32], docs: &[u32]) -> EncodedList {
    let mut has = Vec::with_capacity(docs.len());
    let mut lacks = Vec::with_capacity(stem_docs.len().saturating_sub(docs.len()));
    let mut wanted = docs.iter().peekable();
    for (position, &doc) in stem_docs.iter().enumerate() {
        while wanted.next_if(|&&d| d < doc).is_some() {}
        if wanted.next_if_eq(&&doc).is_some() {
            has.push(position);
        } else {
            lacks.push(position);
        }
    }
    if lacks.is_empty() {
        return EncodedList {
            kind: SAME,
            data: Vec::new(),
        };
    }
    let positions = |list: &[usize]| {
        let mut out = Vec::with_capacity(list.len() * 2);
        let mut previous: i64 = -1;
        for &p in list {
            #[allow(clippy::cast_possible_wrap, reason = "positions are below u32::MAX")]
            let p = p as i64;
            #[allow(clippy::cast_sign_loss, reason = "positions ascend")]
            put_varint(&mut out, (p - previous) as u64);
            previous = p;
        }
        out
    };
    let bitmap_len = stem_docs.len().div_ceil(8);
    let (sparse, complement) = (positions(&has), positions(&lacks));
    if bitmap_len < sparse.len().min(complement.len()) {
        let mut bitmap = vec![0u8; bitmap_len];
        for &p in &has {
            bitmap[p / 8] |= 1 << (p % 8);
        }
        EncodedList {
            kind: SUBSET_BITMAP,
            data: bitmap,
        }
    } else if sparse.len() <= complement.len() {
        EncodedList {
            kind: SUBSET,
            data: sparse,
        }
    } else {
        EncodedList {
            kind: SUBSET_COMPLEMENT,
            data: complement,
        }
    }
}

/// Decodes a form's list against its stem's decoded list: the stem's `(doc, impact)`
/// pairs at the positions the form has. `None` when the data is malformed.
pub fn decode_subset(stem: &[(u32, u8)], list: &EncodedList) -> Option<Vec<(u32, u8)>> {
    let read_positions = || -> Option<Vec<usize>> {
        let mut out = Vec::new();
        let (mut pos, mut previous) = (0, -1i64);
        while pos < list.data.len() {
            previous += i64::try_from(get_varint(&list.data, &mut pos)?).ok()?;
            out.push(usize::try_from(previous).ok()?);
        }
        Some(out)
    };
    let keep: Vec<bool> = match list.kind {
        SAME => vec![true; stem.len()],
        SUBSET_BITMAP => (0..stem.len())
            .map(|p| {
                list.data
                    .get(p / 8)
                    .is_some_and(|b| b & (1 << (p % 8)) != 0)
            })
            .collect(),
        SUBSET | SUBSET_COMPLEMENT => {
            let complement = list.kind == SUBSET_COMPLEMENT;
            let mut keep = vec![complement; stem.len()];
            for p in read_positions()? {
                *keep.get_mut(p)? = !complement;
            }
            keep
        }
        _ => return None,
    };
    Some(
        stem.iter()
            .zip(keep)
            .filter_map(|(&pair, k)| k.then_some(pair))
            .collect(),
    )
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
    if list.kind == SPARSE_DOCS {
        while pos < list.data.len() {
            previous += i64::try_from(get_varint(&list.data, &mut pos)?).ok()?;
            out.push((u32::try_from(previous).ok()?, 1));
        }
        return Some(out);
    }
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
    fn can_write_a_form_as_positions_in_its_stems_list() {
        let stem: Vec<u32> = (0..400).map(|d| d * 3).collect();
        let pairs: Vec<(u32, u8)> = stem.iter().map(|&d| (d, (d % 15 + 1) as u8)).collect();
        for (docs, kind) in [
            (vec![3, 600, 1197], SUBSET),
            (
                stem.iter().copied().filter(|d| d % 2 == 0).collect(),
                SUBSET_BITMAP,
            ),
            (
                stem.iter().copied().filter(|&d| d != 300).collect(),
                SUBSET_COMPLEMENT,
            ),
            (stem.clone(), SAME),
        ] {
            let list = encode_subset(&stem, &docs);
            assert_eq!(list.kind, kind, "{} docs", docs.len());
            let decoded = decode_subset(&pairs, &list).expect("decodes");
            assert_eq!(decoded.iter().map(|p| p.0).collect::<Vec<_>>(), docs);
            assert!(decoded.iter().all(|p| pairs.contains(p)), "stem's impacts");
        }
        let bad = EncodedList {
            kind: SUBSET,
            data: vec![0xff, 0x7f],
        };
        assert_eq!(
            decode_subset(&pairs, &bad),
            None,
            "a position past the list"
        );
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
