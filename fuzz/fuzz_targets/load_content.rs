//! Loading a content file: front matter and body. Must never panic; a file that loads must
//! write back to a file that loads to the same decision.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let path = Path::new("fuzz.md");
    let Ok(decision) = casebook::content::load::parse_decision(path, text) else {
        return;
    };
    let Ok(written) = casebook::content::render_file(&decision) else {
        return;
    };
    let again = casebook::content::load::parse_decision(path, &written)
        .unwrap_or_else(|d| panic!("a written file does not load: {d}\n{written}"));
    let rewritten = casebook::content::render_file(&again).expect("renders twice");
    assert_eq!(written, rewritten, "writing is not stable");
});
