//! The hot functions, one at a time: importing a raw page and its HTML rendition, reading
//! a decision's words into the search index, rendering a decision's Markdown, rendering a
//! whole decision page, and summarising a decision. `cargo bench --bench hot`
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
    let mut rounds: Vec<f64> = (0..7).map(|_| round(n, per, &mut f)).collect();
    println!(
        "{name:<36} {:>8.1} µs per decision",
        median(&mut rounds) * 1e6
    );
}

/// One round: `n` calls of `f` (which handles `per` decisions), in seconds a decision.
fn round(n: u32, per: usize, f: &mut dyn FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..n {
        f();
    }
    start.elapsed().as_secs_f64() / f64::from(n) / per.max(1) as f64
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Like [`measure`] for two ways of doing the same work, in rounds taken in turn so that
/// a machine slowing down or speeding up weighs on both; prints each one's median and the
/// median of the second's time over the first's, round by round.
fn compare(a: (&str, impl FnMut()), b: (&str, impl FnMut()), per: usize) {
    let (names, mut fa, mut fb) = ([a.0, b.0], a.1, b.1);
    let mut times = [Vec::new(), Vec::new()];
    for _ in 0..15 {
        times[0].push(round(40, per, &mut fa));
        times[1].push(round(40, per, &mut fb));
    }
    let mut ratios: Vec<f64> = times[1].iter().zip(&times[0]).map(|(b, a)| b / a).collect();
    for (name, t) in names.iter().zip(&mut times) {
        println!("{name:<36} {:>8.1} µs per decision", median(t) * 1e6);
    }
    println!(
        "{:<36} {:>8.3} (the second's time over the first's, median of {} rounds taken in turn)",
        "  ratio",
        median(&mut ratios),
        ratios.len()
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
    let html: Vec<(PathBuf, String)> = seeds
        .iter()
        .filter_map(|(p, t)| {
            let page = casebook::corpus::html::rendition(t)?;
            Some((p.with_extension("html"), page))
        })
        .collect();
    compare(
        ("import: parse a raw page", || {
            for (path, text) in &seeds {
                black_box(casebook::import::import_text(path, text, "0").ok());
            }
        }),
        ("import: parse an HTML page", || {
            for (path, page) in &html {
                black_box(
                    casebook::import::html::import_html(path, page.as_bytes(), None, "0").ok(),
                );
            }
        }),
        seeds.len(),
    );
    let decisions: Vec<_> = seeds
        .iter()
        .filter_map(|(p, t)| casebook::import::import_text(p, t, "0").ok())
        .map(|i| i.decision)
        .collect();

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let settings = Settings::load(root, &Overrides::default()).expect("the default site's config");
    let inputs = casebook::inputs::load(&settings);
    let glossary = inputs.glossary.clone();
    // 1,000 documents (the seeds, 200 times each), so that the indexer's chunks and
    // vocabularies are of a real build's sizes.
    let docs: Vec<_> = (0..200)
        .flat_map(|_| decisions.iter())
        .map(|d| casebook::search::document(d, "/decisions/x/", ""))
        .collect();
    let refs: Vec<_> = docs.iter().collect();
    let synonyms = casebook::search::synonyms::Synonyms::from_glossary(&glossary.entries);
    measure("search: read a decision's words", 5, docs.len(), || {
        black_box(casebook::search::postings::invert(&refs, &synonyms));
    });
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
