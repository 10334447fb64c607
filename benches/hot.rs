//! The hot functions, one at a time: importing a raw page, rendering a decision's Markdown,
//! rendering a whole decision page, and summarising a decision. `cargo bench --bench hot`
//! prints the time per call (median of several rounds) for each, on the five real seeds
//! and the default site's theme.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use casebook::config::{Overrides, Settings};
use casebook::render::{Renderer, Templates};
use casebook::site::Site;

/// Runs `f` (which handles `per` decisions) in rounds of `n` calls and prints the median
/// time per decision.
fn measure(name: &str, n: u32, per: usize, mut f: impl FnMut()) {
    let mut rounds: Vec<f64> = (0..7)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..n {
                f();
            }
            start.elapsed().as_secs_f64() / f64::from(n) / per.max(1) as f64
        })
        .collect();
    rounds.sort_by(f64::total_cmp);
    println!(
        "{name:<36} {:>8.1} µs per decision",
        rounds[rounds.len() / 2] * 1e6
    );
}

fn seeds() -> Vec<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("seed folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).expect("seed");
            let text = casebook::import::decode(&p, &bytes).expect("seed decodes");
            (p, text)
        })
        .collect()
}

fn main() {
    let seeds = seeds();
    measure("import: parse a raw page", 200, seeds.len(), || {
        for (path, text) in &seeds {
            black_box(casebook::import::import_text(path, text, "0").ok());
        }
    });
    let decisions: Vec<_> = seeds
        .iter()
        .filter_map(|(p, t)| casebook::import::import_text(p, t, "0").ok())
        .map(|i| i.decision)
        .collect();

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let settings = Settings::load(root, &Overrides::default()).expect("the default site's config");
    let inputs = casebook::inputs::load(&settings);
    let glossary = inputs.glossary.clone();
    measure(
        "render: a decision's Markdown",
        200,
        decisions.len(),
        || {
            for d in &decisions {
                black_box(casebook::render::markdown::render_decision_body(
                    &d.body, &glossary,
                ));
            }
        },
    );
    measure(
        "summary: summarise a decision",
        500,
        decisions.len(),
        || {
            for d in &decisions {
                black_box(casebook::summary::summarise(d));
            }
        },
    );

    let templates = Templates::load(&settings).expect("the default theme");
    let site = Site::new(
        settings.clone(),
        inputs.decisions,
        inputs.pages,
        inputs.glossary,
    );
    let renderer = Renderer::new(&site, &templates).expect("renderer");
    let fulls: Vec<_> = (0..site.decisions.len())
        .map(|i| casebook::inputs::load_body(&site.sources[i], &site.decisions[i]).expect("body"))
        .collect();
    measure("render: a whole decision page", 100, fulls.len(), || {
        for (i, full) in fulls.iter().enumerate() {
            black_box(renderer.decision(i, full).ok());
        }
    });
    let pages: Vec<String> = (0..fulls.len())
        .filter_map(|i| renderer.decision(i, &fulls[i]).ok())
        .map(|r| String::from_utf8_lossy(&r.file.bytes).into_owned())
        .collect();
    measure(
        "render: make a page's links relative",
        100,
        pages.len(),
        || {
            for (i, page) in pages.iter().enumerate() {
                let file = format!("decisions/{i}/index.html");
                black_box(casebook::render::links::finish(&file, page, &settings).ok());
            }
        },
    );
}
