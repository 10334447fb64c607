//! The indexer's table of the distinct words a chunk has seen, looked up once for every
//! word of every decision: the hottest lookup of a build.
//!
//! A general hash map keyed by `String` costs two memory reads a lookup, the slot and the
//! key's bytes elsewhere on the heap, and most of the table does not fit in the cache. Here
//! a word of up to 16 bytes (nearly every word) is its own key, held in the slot as two
//! integers: a lookup reads one slot (two to a cache line) and compares two integers.
//! Longer words go to an ordinary map beside it.

use std::collections::HashMap;

use rustc_hash::FxBuildHasher;

/// The longest word held in a slot, in bytes.
const INLINE: usize = 16;
/// The slots of a new table (a power of two).
const FIRST_CAPACITY: usize = 1 << 12;

/// A word's bytes, zero-padded, as two integers. A word is never empty and holds no zero
/// byte (the tokenizer keeps letters and digits), so no two words of up to [`INLINE`]
/// bytes share a key, and `[0, 0]` is no word's: it marks an empty slot.
type Key = [u64; 2];

fn key_of(word: &[u8]) -> Key {
    // Byte by byte into registers: a copy into a buffer read back as integers stalls on
    // every lookup (the wide read waits for the narrow writes).
    let mut key = [0u64; 2];
    for (i, &b) in word.iter().take(INLINE).enumerate() {
        key[i / 8] |= u64::from(b) << (8 * (i % 8));
    }
    key
}

/// Where a key's probe starts: the top bits of a multiplicative hash of both halves.
fn start_of(key: Key, shift: u32) -> usize {
    let mixed = (key[0] ^ key[1].rotate_left(29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    // The shift leaves as many bits as the table's size needs, at most 63.
    #[allow(
        clippy::cast_possible_truncation,
        reason = "fewer bits than usize holds"
    )]
    let start = (mixed >> shift) as usize;
    start
}

#[derive(Clone, Copy)]
struct Slot<V> {
    key: Key,
    value: V,
}

/// Words to values: open addressing with linear probing, at most half full.
pub(super) struct Words<V> {
    slots: Vec<Slot<V>>,
    /// 64 minus the number of bits of a slot's index.
    shift: u32,
    len: usize,
    long: HashMap<Box<str>, V, FxBuildHasher>,
}

impl<V: Copy + Default> Default for Words<V> {
    fn default() -> Self {
        Words {
            slots: vec![Slot::empty(); FIRST_CAPACITY],
            shift: 64 - FIRST_CAPACITY.trailing_zeros(),
            len: 0,
            long: HashMap::default(),
        }
    }
}

impl<V: Copy + Default> Slot<V> {
    fn empty() -> Self {
        Slot {
            key: [0, 0],
            value: V::default(),
        }
    }
}

impl<V: Copy + Default> Words<V> {
    /// The value of `word` (not empty, no zero byte), if it was inserted.
    #[inline]
    pub(super) fn get(&self, word: &str) -> Option<V> {
        if word.len() > INLINE {
            return self.long.get(word).copied();
        }
        let key = key_of(word.as_bytes());
        let mask = self.slots.len() - 1;
        let mut at = start_of(key, self.shift);
        loop {
            let slot = &self.slots[at];
            if slot.key == key {
                return Some(slot.value);
            }
            if slot.key == [0, 0] {
                return None;
            }
            at = (at + 1) & mask;
        }
    }

    /// Sets the value of `word` (not empty, no zero byte), which is not in the table yet.
    pub(super) fn insert(&mut self, word: &str, value: V) {
        if word.len() > INLINE {
            self.long.insert(word.into(), value);
            return;
        }
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        self.place(key_of(word.as_bytes()), value);
        self.len += 1;
    }

    fn place(&mut self, key: Key, value: V) {
        let mask = self.slots.len() - 1;
        let mut at = start_of(key, self.shift);
        while self.slots[at].key != [0, 0] && self.slots[at].key != key {
            at = (at + 1) & mask;
        }
        self.slots[at] = Slot { key, value };
    }

    fn grow(&mut self) {
        let doubled = vec![Slot::empty(); self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, doubled);
        self.shift -= 1;
        for slot in old {
            if slot.key != [0, 0] {
                self.place(slot.key, slot.value);
            }
        }
    }

    /// How many words the table holds.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.len + self.long.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_find_every_word_inserted_and_no_other() {
        let mut words: Words<u32> = Words::default();
        let list: Vec<String> = (0..20_000)
            .map(|i| format!("w{i}"))
            .chain(["a", "sixteen-byte-wor", "seventeen-byte-wo", "école"].map(String::from))
            .chain((0..50).map(|i| format!("{}{i}", "long".repeat(10))))
            .collect();
        for (i, w) in list.iter().enumerate() {
            assert_eq!(words.get(w), None, "{w} before it is inserted");
            words.insert(w, u32::try_from(i).expect("few words"));
        }
        assert_eq!(words.len(), list.len());
        for (i, w) in list.iter().enumerate() {
            assert_eq!(words.get(w), Some(u32::try_from(i).expect("few")), "{w}");
        }
        for absent in [
            "w20000",
            "b",
            "sixteen-byte-woX",
            "seventeen-byte-wX",
            "ecole",
        ] {
            assert_eq!(words.get(absent), None, "{absent}");
        }
    }

    #[test]
    fn keeps_words_that_differ_only_past_eight_bytes_apart() {
        let mut words: Words<u8> = Words::default();
        words.insert("safeguarding", 1);
        words.insert("safeguardings", 2);
        words.insert("safeguar", 3);
        assert_eq!(words.get("safeguarding"), Some(1));
        assert_eq!(words.get("safeguardings"), Some(2));
        assert_eq!(words.get("safeguar"), Some(3));
        assert_eq!(words.get("safeguard"), None);
    }
}
