//! Rendering a decision page: a content file loaded, put in a one-decision site with the
//! default theme and glossary, and rendered. Must never panic.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use casebook::config::Settings;
use casebook::render::{Renderer, Templates};
use casebook::site::{glossary::Glossary, Site};
use libfuzzer_sys::fuzz_target;

/// The repository's default site: settings, templates and the theme's glossary.
fn theme() -> &'static (Settings, Templates, Glossary) {
    static THEME: OnceLock<(Settings, Templates, Glossary)> = OnceLock::new();
    THEME.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let settings = Settings::load(&root, &Default::default()).expect("default config");
        let templates = Templates::load(&settings).expect("default theme");
        let path = settings.theme_dir().join("glossary.toml");
        let text = std::fs::read_to_string(&path).expect("theme glossary");
        let entries = Glossary::parse(&path, &text).expect("glossary parses");
        (settings, templates, Glossary::new(entries))
    })
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let Ok(decision) = casebook::content::load::parse_decision(Path::new("fuzz.md"), text) else {
        return;
    };
    let (settings, templates, glossary) = theme();
    let site = Site::new(
        settings.clone(),
        vec![(PathBuf::from("fuzz.md"), decision.clone())],
        Vec::new(),
        glossary.clone(),
    );
    let Ok(renderer) = Renderer::new(&site, templates) else {
        return;
    };
    let _ = renderer.decision(0, &decision);
});
