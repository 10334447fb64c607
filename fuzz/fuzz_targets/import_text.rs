//! The text import: raw bytes as a file holds them, decoded and imported, and the decision
//! written as a content file. Must never panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let path = Path::new("fuzz.txt");
    let Ok(text) = casebook::import::decode(path, bytes) else {
        return;
    };
    let sha = casebook::content::write::sha256_hex(bytes);
    if let Ok(imported) = casebook::import::import_text(path, &text, &sha) {
        let _ = casebook::content::render_file(&imported.decision);
    }
});
