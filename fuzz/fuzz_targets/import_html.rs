//! The HTML import: raw bytes as a saved or fetched page holds them, in any charset,
//! imported and written as a content file. Must never panic, and a decision it imports must
//! write to a content file that loads.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let path = Path::new("fuzz.html");
    let sha = casebook::content::write::sha256_hex(bytes);
    let Ok(imported) = casebook::import::html::import_html(path, bytes, None, &sha) else {
        return;
    };
    let written =
        casebook::content::render_file(&imported.decision).expect("an imported decision writes");
    if let Err(d) = casebook::content::load::parse_decision(Path::new("fuzz.md"), &written) {
        panic!("an imported decision's content file does not load: {d}\n{written}");
    }
});
