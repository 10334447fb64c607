//! Rendering a decision page: a content file loaded, put in a one-decision site with the
//! default theme and glossary, and rendered. Must never panic.
//!
//! The theme is loaded and one decision rendered before the first input (`init`), so that
//! what is built once per process (templates, the glossary, lazily compiled patterns) is
//! not timed as the first input's cost: libFuzzer's `-timeout=1` once flagged an ordinary
//! decision (`tests/fixtures/fuzz/render_decision-timeout.md`) for it.
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

/// An ordinary decision, rendered once in `init`.
const WARM_UP: &str = include_str!("../../tests/fixtures/fuzz/render_decision-timeout.md");

fuzz_target!(
    init: {
        render(WARM_UP.as_bytes());
    },
    |bytes: &[u8]| render(bytes)
);

fn render(bytes: &[u8]) {
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
}
