//! Relevance benchmark: how well the real `search.js`, in Debian's headless Chromium, finds
//! what people mean, on the five seeds plus a generated real-sized corpus.
//!
//! `cargo bench --bench relevance` (generated decisions: `CASEBOOK_RELEVANCE_SIZE`, default
//! 2000; `CASEBOOK_RELEVANCE_KEEP=1` keeps the site afterwards). The site is imported and built by the release binary with the default theme and
//! served on 127.0.0.1; every query is opened as a deep link (`/search/?q=...`) and the
//! result list read from the page's DOM.
//!
//! The queries are drawn from the corpus by rule, seven kinds of about eight: an exact rare
//! word, a rare word with its middle letter dropped, the same with its first letter dropped
//! (a slip the word's first two letters do not show), a four-letter prefix, two words, a quoted phrase of
//! two common words, and an abbreviation or its expansion. Which decisions are relevant is
//! worked out from the content files' text, not from the index: the decisions holding the
//! word, the prefix, both words, the words in that order, or the abbreviation or its
//! expansion (written here, not read from the glossary).
//!
//! Printed per kind: precision at 5 (relevant results among the first five, over the
//! smaller of five and the number of relevant decisions) and mean reciprocal rank at 5
//! (one over the rank of the first relevant result, zero when none is in the first five).

#[path = "../tests/support/chromium.rs"]
mod chromium;
#[path = "scratch/mod.rs"]
mod scratch;
#[path = "../tests/support/search_site.rs"]
mod search_site;
#[path = "../tests/support/static_server.rs"]
mod static_server;

#[path = "relevance/queries.rs"]
mod queries;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use queries::{Corpus, Query};
use rayon::prelude::*;

/// Runs the release binary on `site`; fails the benchmark if it fails.
fn casebook(site: &Path, args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .arg("--root")
        .arg(site)
        .args(args)
        .output()
        .expect("casebook runs");
    assert!(
        out.status.success(),
        "casebook {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A site with the repository's theme, config and pages, the seeds and `n` generated
/// decisions imported, built at `public/` with root-relative links; with the seeds' content
/// files.
fn prepare(n: usize) -> (PathBuf, BTreeSet<PathBuf>) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = scratch::base().join("casebook-bench-relevance");
    let _ = std::fs::remove_dir_all(&site);
    let init = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .arg("init")
        .arg(&site)
        .output()
        .expect("casebook runs");
    assert!(init.status.success(), "casebook init failed");
    // The repository's theme as it stands (init's copy is the one compiled in).
    scratch::copy_tree(&repo.join("themes"), &site.join("themes"));
    std::fs::copy(repo.join("config.toml"), site.join("config.toml")).expect("config");
    let seeds = repo.join("tests/fixtures/seeds");
    casebook(&site, &["import", &seeds.to_string_lossy()]);
    let seed_files: BTreeSet<PathBuf> = queries::content_files(&site.join("content/decisions"))
        .into_iter()
        .collect();
    let raw = site.join("raw");
    (0..n).into_par_iter().for_each(|i| {
        let page = casebook::corpus::page(i);
        casebook::fs::write_atomic(&raw.join(&page.file_name), page.text.as_bytes())
            .expect("write raw page");
    });
    casebook(&site, &["import", &raw.to_string_lossy()]);
    casebook(&site, &["build", "--base-url", "/"]);
    (site, seed_files)
}

/// Precision at 5 and reciprocal rank at 5 of `results` against `relevant`.
fn scores(results: &[String], relevant: &BTreeSet<String>) -> (f64, f64) {
    let top: Vec<&String> = results.iter().take(5).collect();
    let hits = top.iter().filter(|r| relevant.contains(**r)).count();
    let precision = hits as f64 / relevant.len().min(5) as f64;
    let rank = top.iter().position(|r| relevant.contains(*r));
    (precision, rank.map_or(0.0, |i| 1.0 / (i + 1) as f64))
}

/// One query's outcome.
struct Scored<'a> {
    query: &'a Query,
    precision: f64,
    reciprocal_rank: f64,
    results: Vec<String>,
    status: String,
}

/// Prints each query's outcome, then each kind's means; returns the lowest MRR@5.
fn report(scored: &[Scored<'_>]) -> f64 {
    let mut kinds: Vec<&str> = Vec::new();
    for s in scored {
        if !kinds.contains(&s.query.kind) {
            kinds.push(s.query.kind);
        }
        let first: Vec<&str> = s.results.iter().take(5).map(String::as_str).collect();
        println!(
            "  {:<14} {:<40} relevant {:>4}  P@5 {:.2}  RR {:.2}  {:?} {first:?}",
            s.query.kind,
            format!("{:?}", s.query.text),
            s.query.relevant.len(),
            s.precision,
            s.reciprocal_rank,
            s.status,
        );
    }
    let mut worst = f64::MAX;
    for kind in kinds {
        let of_kind: Vec<&Scored<'_>> = scored.iter().filter(|s| s.query.kind == kind).collect();
        let count = of_kind.len() as f64;
        let precision = of_kind.iter().map(|s| s.precision).sum::<f64>() / count;
        let mrr = of_kind.iter().map(|s| s.reciprocal_rank).sum::<f64>() / count;
        worst = worst.min(mrr);
        println!(
            "{kind:<14} queries {:>2}  P@5 {precision:.3}  MRR@5 {mrr:.3}",
            of_kind.len()
        );
    }
    worst
}

fn main() {
    let n = scratch::env_list("CASEBOOK_RELEVANCE_SIZE", 2000)[0];
    let (site, seeds) = prepare(n);
    let corpus = Corpus::read(&site.join("content/decisions"), &seeds);
    let queries: Vec<Query> = corpus.queries();
    println!(
        "relevance: {} decisions ({} seeds, {n} generated), {} queries",
        corpus.len(),
        corpus.len() - n,
        queries.len()
    );
    let base = search_site::serve(site.join("public"));
    let scored: Vec<Scored<'_>> = queries
        .par_iter()
        .map(|query| {
            let (results, status) = search_site::search(&base, &query.text);
            let (precision, reciprocal_rank) = scores(&results, &query.relevant);
            Scored {
                query,
                precision,
                reciprocal_rank,
                results,
                status,
            }
        })
        .collect();
    let worst = report(&scored);
    println!("lowest MRR@5 of a kind: {worst:.3} (target 0.9)");
    if std::env::var_os("CASEBOOK_RELEVANCE_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&site);
    }
}
