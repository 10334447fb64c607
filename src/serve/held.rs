//! How the preview holds a built file in memory: compressed with LZ4 when that saves room.
//!
//! The preview keeps every file of the site for as long as it runs (at 10,000 real-sized
//! decisions, 432 MB of pages). HTML compresses to about a quarter, and LZ4 gives a
//! decision page back in tens of microseconds, less than the live-reload injection that
//! copies it anyway. [`HeldSink`] compresses each file on the thread that rendered it, so
//! a whole build never holds the site uncompressed.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Mutex, PoisonError};

use axum::body::Bytes;

use crate::output::{check_path, snug, OutputFile, OutputSink};

/// Files smaller than this are held as they are: compressing them saves little.
const SMALLEST_COMPRESSED: usize = 512;

/// One file's bytes as held: plain, or LZ4-compressed (the block format, with the
/// uncompressed length in front).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeldFile {
    /// The bytes themselves.
    Plain(Bytes),
    /// The bytes compressed.
    Lz4(Bytes),
}

impl HeldFile {
    /// Holds `bytes`, compressed when that makes them at least an eighth smaller.
    pub fn new(bytes: Vec<u8>) -> Self {
        if bytes.len() >= SMALLEST_COMPRESSED {
            let packed = lz4_flex::block::compress_prepend_size(&bytes);
            if packed.len() < bytes.len() - bytes.len() / 8 {
                return HeldFile::Lz4(Bytes::from(packed));
            }
        }
        HeldFile::Plain(Bytes::from(snug(bytes)))
    }

    /// The file's bytes.
    pub fn bytes(&self) -> Bytes {
        match self {
            HeldFile::Plain(bytes) => bytes.clone(),
            // Only bytes this module compressed are ever decompressed; failing here would
            // be a bug in the compressor, so it shows as an empty file, not a crash.
            HeldFile::Lz4(packed) => lz4_flex::block::decompress_size_prepended(packed)
                .map(Bytes::from)
                .unwrap_or_default(),
        }
    }

    /// The bytes it takes in memory.
    pub fn held_len(&self) -> usize {
        match self {
            HeldFile::Plain(bytes) | HeldFile::Lz4(bytes) => bytes.len(),
        }
    }
}

/// A hash of a file's bytes, to tell whether a re-rendered file changed.
pub fn hash(bytes: &[u8]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

/// An output sink that holds every file written, compressed, with the hash of its bytes.
#[derive(Debug, Default)]
pub struct HeldSink {
    files: Mutex<HashMap<String, (u64, HeldFile)>>,
}

impl HeldSink {
    /// An empty sink.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes every file written so far, leaving the sink empty for the rest.
    pub fn take(&self) -> HashMap<String, (u64, HeldFile)> {
        std::mem::take(&mut *self.files.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl OutputSink for HeldSink {
    fn write(&self, file: OutputFile) -> std::io::Result<()> {
        check_path(&file.path)?;
        let digest = hash(&file.bytes);
        let held = HeldFile::new(file.bytes);
        self.files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(file.path, (digest, held));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gives_back_the_bytes_it_was_given() {
        let page = "<p>The council failed to assess the child's needs.</p>\n".repeat(200);
        let held = HeldFile::new(page.clone().into_bytes());
        assert!(matches!(held, HeldFile::Lz4(_)));
        assert!(held.held_len() < page.len() / 4, "{}", held.held_len());
        assert_eq!(held.bytes(), page.as_bytes());

        let small = HeldFile::new(b"<p>short</p>".to_vec());
        assert_eq!(small, HeldFile::Plain(Bytes::from_static(b"<p>short</p>")));
        assert_eq!(small.bytes(), &b"<p>short</p>"[..]);
    }

    #[test]
    fn holds_bytes_that_do_not_compress_as_they_are() {
        // A stream of pseudo-random bytes (an image, a font) does not shrink.
        let mut x: u32 = 2_463_534_242;
        let noise: Vec<u8> = (0..4096)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x as u8
            })
            .collect();
        let held = HeldFile::new(noise.clone());
        assert!(matches!(held, HeldFile::Plain(_)));
        assert_eq!(held.bytes(), noise);
        assert_eq!(HeldFile::new(Vec::new()).bytes(), &b""[..]);
    }

    #[test]
    fn a_sink_keeps_each_file_with_the_hash_of_its_bytes() {
        let sink = HeldSink::new();
        let page = "<li>a decision</li>".repeat(100);
        sink.write(OutputFile {
            path: "index.html".into(),
            bytes: page.clone().into_bytes(),
        })
        .expect("a file inside the site is written");
        assert!(sink
            .write(OutputFile {
                path: "../outside".into(),
                bytes: Vec::new(),
            })
            .is_err());
        let files = sink.take();
        let (digest, held) = &files["index.html"];
        assert_eq!(*digest, hash(page.as_bytes()));
        assert_eq!(held.bytes(), page.as_bytes());
        assert!(sink.take().is_empty());
    }
}
