//! What the link rule keeps of a whole site, kept small: each string once, in one buffer,
//! by number ([`Strings`]); each distinct link once, by number ([`Table`]), so that the
//! hundred pages that share a navigation bar share its links; and each page's anchors as
//! varint gaps ([`Anchors`]). At 100,000 decisions that is a few million links and anchors
//! in a few hundred thousand distinct strings.

use std::hash::{BuildHasher, Hash};

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

use crate::search::encode::{get_varint, put_varint};

/// Strings kept once each, by number, in one buffer: a string costs its bytes and twelve
/// more, where a boxed string in a map and a list costs its bytes twice and fifty more.
#[derive(Debug, Default)]
pub(super) struct Strings {
    text: String,
    /// Where each string ends in `text` (its start is where the one before ends).
    ends: Vec<usize>,
    /// Each string's number, by the string's hash.
    ids: HashTable<u32>,
}

/// The number of an interned thing: never `u32::MAX`, which links use as a mark.
fn next_id(len: usize) -> u32 {
    u32::try_from(len).map_or(u32::MAX - 1, |i| i.min(u32::MAX - 1))
}

impl Strings {
    /// The number of `s`, kept if new.
    pub(super) fn intern(&mut self, s: &str) -> u32 {
        let hash = FxBuildHasher.hash_one(s);
        let Self { text, ends, ids } = self;
        if let Some(&id) = ids.find(hash, |&id| get(text, ends, id) == s) {
            return id;
        }
        let id = next_id(ends.len());
        text.push_str(s);
        ends.push(text.len());
        ids.insert_unique(hash, id, |&id| FxBuildHasher.hash_one(get(text, ends, id)));
        id
    }

    /// The number of `s`, if kept.
    pub(super) fn find(&self, s: &str) -> Option<u32> {
        let hash = FxBuildHasher.hash_one(s);
        self.ids
            .find(hash, |&id| get(&self.text, &self.ends, id) == s)
            .copied()
    }

    /// The string numbered `id` (empty for a number never given).
    pub(super) fn get(&self, id: u32) -> &str {
        get(&self.text, &self.ends, id)
    }
}

fn get<'a>(text: &'a str, ends: &[usize], id: u32) -> &'a str {
    let id = id as usize;
    let Some(&end) = ends.get(id) else {
        return "";
    };
    let start = id
        .checked_sub(1)
        .and_then(|i| ends.get(i))
        .map_or(0, |&s| s);
    text.get(start..end).unwrap_or("")
}

/// Small values kept once each, by number.
#[derive(Debug)]
pub(super) struct Table<T> {
    all: Vec<T>,
    ids: HashTable<u32>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Self {
            all: Vec::new(),
            ids: HashTable::new(),
        }
    }
}

impl<T: Copy + Eq + Hash> Table<T> {
    /// The number of `value`, kept if new.
    pub(super) fn intern(&mut self, value: T) -> u32 {
        let hash = FxBuildHasher.hash_one(value);
        let Self { all, ids } = self;
        if let Some(&id) = ids.find(hash, |&id| all.get(id as usize) == Some(&value)) {
            return id;
        }
        let id = next_id(all.len());
        all.push(value);
        ids.insert_unique(hash, id, |&id| {
            all.get(id as usize)
                .map_or(0, |v| FxBuildHasher.hash_one(v))
        });
        id
    }

    /// The value numbered `id`.
    pub(super) fn get(&self, id: u32) -> Option<T> {
        self.all.get(id as usize).copied()
    }
}

/// A page's anchor numbers, sorted and without repeats, as the varint gaps between them:
/// a decision page's sixty-odd anchors take a byte each instead of four.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Anchors(Box<[u8]>);

impl Anchors {
    /// The anchors `sorted` (ascending, no repeats).
    pub(super) fn new(sorted: &[u32]) -> Self {
        debug_assert!(sorted.windows(2).all(|w| w[0] < w[1]), "sorted, no repeats");
        let mut bytes = Vec::with_capacity(sorted.len());
        let mut last = 0;
        for &id in sorted {
            put_varint(&mut bytes, u64::from(id - last));
            last = id;
        }
        Self(bytes.into_boxed_slice())
    }

    /// True when `id` is one of them.
    pub(super) fn contains(&self, id: u32) -> bool {
        let (mut pos, mut at) = (0, 0u64);
        while let Some(gap) = get_varint(&self.0, &mut pos) {
            at += gap;
            if at >= u64::from(id) {
                return at == u64::from(id);
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_keep_each_string_once_by_number() {
        let mut strings = Strings::default();
        let a = strings.intern("decisions/1/index.html");
        let b = strings.intern("");
        let c = strings.intern("#p2");
        assert_eq!(strings.intern("decisions/1/index.html"), a);
        assert_eq!(strings.intern(""), b);
        assert_eq!(
            [strings.get(a), strings.get(b), strings.get(c)],
            ["decisions/1/index.html", "", "#p2"]
        );
        assert_eq!(strings.find("#p2"), Some(c));
        assert_eq!(strings.find("#p3"), None);
        assert_eq!(strings.get(99), "");
    }

    #[test]
    fn can_keep_many_strings_as_the_table_grows() {
        let mut strings = Strings::default();
        let ids: Vec<u32> = (0..10_000)
            .map(|i| strings.intern(&format!("p{i}")))
            .collect();
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(strings.get(*id), format!("p{i}"));
            assert_eq!(strings.find(&format!("p{i}")), Some(*id));
        }
    }

    #[test]
    fn can_keep_each_value_once_by_number() {
        let mut table = Table::default();
        let a = table.intern((1u32, 2u32));
        let b = table.intern((2, 1));
        assert_ne!(a, b);
        assert_eq!(table.intern((1, 2)), a);
        assert_eq!(table.get(b), Some((2, 1)));
        assert_eq!(table.get(7), None);
    }

    proptest::proptest! {
        #[test]
        fn anchors_hold_what_they_were_made_of(
            ids in proptest::collection::btree_set(0u32..100_000, 0..80),
            probe in 0u32..100_001,
        ) {
            let sorted: Vec<u32> = ids.iter().copied().collect();
            let anchors = Anchors::new(&sorted);
            for id in &sorted {
                proptest::prop_assert!(anchors.contains(*id));
            }
            proptest::prop_assert_eq!(anchors.contains(probe), ids.contains(&probe));
        }
    }
}
