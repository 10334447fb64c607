//! The text import: raw bytes as a file holds them, decoded and imported, and the decision
//! written as a content file. Must never panic, and a decision it imports must write to a
//! content file that loads.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let path = Path::new("fuzz.txt");
    let Ok(text) = casebook::import::decode(path, bytes) else {
        return;
    };
    let sha = casebook::content::write::sha256_hex(bytes);
    let Ok(imported) = casebook::import::import_text(path, &text, &sha) else {
        return;
    };
    let written =
        casebook::content::render_file(&imported.decision).expect("an imported decision writes");
    if let Err(d) = casebook::content::load::parse_decision(Path::new("fuzz.md"), &written) {
        panic!("an imported decision's content file does not load: {d}\n{written}");
    }
});
