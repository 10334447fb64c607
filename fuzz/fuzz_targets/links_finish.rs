//! Finishing a page's links: any text as a page at a depth, or as the 404 page. The quick
//! reading must give lol_html's page byte for byte whenever it does not hand the page over,
//! and neither may panic.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use casebook::config::Settings;
use libfuzzer_sys::fuzz_target;

fn settings() -> &'static Settings {
    static SETTINGS: OnceLock<Settings> = OnceLock::new();
    SETTINGS.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        Settings::load(&root, &Default::default()).expect("default config")
    })
}

/// The page's file: the first byte picks one, the rest is the page.
const FILES: [&str; 4] = [
    "index.html",
    "councils/index.html",
    "decisions/21-019-020/index.html",
    "404.html",
];

fuzz_target!(|bytes: &[u8]| {
    let Some((&pick, page)) = bytes.split_first() else {
        return;
    };
    let Ok(html) = std::str::from_utf8(page) else {
        return;
    };
    let file = FILES[usize::from(pick) % FILES.len()];
    let (quick, full) = casebook::render::links::both_readings(file, html, settings());
    if let (Some(quick), Ok(full)) = (&quick, &full) {
        assert_eq!(quick, full, "the quick reading differs from lol_html's for {file}");
    }
    if quick.is_some() {
        assert!(full.is_ok(), "lol_html failed where the quick reading did not: {full:?}");
    }
});
