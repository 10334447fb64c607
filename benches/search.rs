//! Search index benchmark: indexes synthetic corpora and prints the index size, file
//! count, the bytes a browser downloads for a first query, indexing time and peak memory.
//!
//! `cargo bench --bench search -- 10000 100000 [--corpus] [--seed-sized]` (sizes default
//! to 10,000; both corpora by default). `--corpus` is `casebook::corpus`, the build
//! benchmark's pages (about 520 words each), imported in memory (not timed); `--seed-sized`
//! is `benches/synthetic`, decisions made of the seeds' paragraphs at their length (about
//! 2,000 words each, like real decisions). `SEARCH_BENCH_OUT=dir` writes the index there.
//! `cargo bench --bench search -- --build-site SITE` builds a whole site (output discarded)
//! and prints each step's share of the build time, the search step's among them.

#[path = "synthetic/mod.rs"]
mod synthetic;

use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::time::Instant;

use casebook::output::OutputFile;
use casebook::search::encode::{decode_list, read_term_file};
use casebook::search::synonyms::Synonyms;
use casebook::search::{blocks, build_index, document, shards, text, SearchDocument};
use rayon::prelude::*;

/// Peak resident memory of this process so far, in MiB.
fn peak_rss_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}

/// CPU seconds (user + system) this process has used so far.
fn cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let _ = flate2::read::GzDecoder::new(bytes).read_to_end(&mut out);
    out
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() {
        vec![10_000]
    } else {
        sizes
    };
    if let Some(i) = args.iter().position(|a| a == "--build-site") {
        build_site(std::path::Path::new(
            args.get(i + 1).map_or(".", String::as_str),
        ));
        return;
    }
    let only =
        |name: &str| !args.iter().any(|a| a.starts_with("--")) || args.iter().any(|a| a == name);
    for n in sizes {
        if only("--corpus") {
            let decisions = corpus(n);
            run(&format!("casebook::corpus n={n}"), decisions);
        }
        if only("--seed-sized") {
            let seeds = synthetic::load_seeds(std::path::Path::new("content"));
            let paragraphs = synthetic::seed_paragraphs(&seeds);
            let decisions = synthetic::corpus(n, &seeds[0], &paragraphs);
            run(&format!("seed-sized n={n}"), decisions);
        }
    }
}

/// A sink that keeps nothing (the build's output is not the point here).
struct Discard;

impl casebook::output::OutputSink for Discard {
    fn write(&self, _file: OutputFile) -> std::io::Result<()> {
        Ok(())
    }
}

/// Builds the site at `root` in memory, discarding the output, and prints each step's
/// time: how much of a whole build the search step takes.
fn build_site(root: &std::path::Path) {
    let settings =
        match casebook::config::Settings::load(root, &casebook::config::Overrides::default()) {
            Ok(s) => s,
            Err(problems) => {
                problems.iter().for_each(|p| eprintln!("{p}"));
                return;
            }
        };
    match casebook::build(&settings, &Discard) {
        Ok(report) => {
            println!("{}", report.summary());
            for (step, secs, _) in &report.steps {
                println!(
                    "  {step}: {secs:.1} s ({:.0}%)",
                    100.0 * secs / report.seconds
                );
            }
            println!("  peak RSS: {} MiB", peak_rss_mib());
        }
        Err(failure) => failure.diagnostics.iter().for_each(|d| eprintln!("{d}")),
    }
}

/// `n` decisions of the benchmark corpus (`casebook::corpus`), imported in memory.
fn corpus(n: usize) -> Vec<casebook::decision::Decision> {
    (0..n)
        .into_par_iter()
        .filter_map(|i| {
            let page = casebook::corpus::page(i);
            let path = std::path::Path::new(&page.file_name);
            casebook::import::import_text(path, &page.text, "")
                .ok()
                .map(|d| d.decision)
        })
        .collect()
}

/// The default theme's glossary groups, as a build of the default site indexes them.
fn theme_synonyms() -> Synonyms {
    let path = std::path::Path::new("themes/default/glossary.toml");
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let entries = casebook::site::glossary::Glossary::parse(path, &text).unwrap_or_default();
    Synonyms::from_glossary(&entries)
}

fn run(name: &str, decisions: Vec<casebook::decision::Decision>) {
    let rss_corpus = peak_rss_mib();
    let started = Instant::now();
    let docs: Vec<SearchDocument> = decisions
        .par_iter()
        .map(|d| {
            let url = format!("/decisions/{}/", d.reference.slug());
            document(d, &url, d.summary.as_deref().unwrap_or(""))
        })
        .collect();
    let to_text = started.elapsed().as_secs_f64();
    // The documents borrow from the decisions (as the build's do from its site model).
    let rss_docs = peak_rss_mib();
    let started = Instant::now();
    let cpu = cpu_secs();
    let synonyms = theme_synonyms();
    let files = build_index(&docs, &synonyms);
    let index_secs = started.elapsed().as_secs_f64();
    let index_cpu = cpu_secs() - cpu;
    let rss_index = peak_rss_mib();
    let total: usize = files.iter().map(|f| f.bytes.len()).sum();
    println!("{name}");
    let refs: Vec<&SearchDocument> = docs.iter().collect();
    let t = Instant::now();
    let inverted = casebook::search::postings::invert(&refs, &synonyms);
    let invert_secs = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let _terms = shards::term_files(&inverted);
    let terms_secs = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let pair_files = casebook::search::pairs::pair_files(&inverted.pairs);
    let pair_bytes: usize = pair_files.files.iter().map(Vec::len).sum();
    println!(
        "  breakdown (a second run): invert {invert_secs:.1} s, encode+pack+gzip terms {terms_secs:.1} s, pairs {:.1} s ({} pair files, {:.1} MB; {} pairs)",
        t.elapsed().as_secs_f64(),
        pair_files.files.len(),
        pair_bytes as f64 / 1e6,
        inverted.pairs.iter().map(|p| p.len()).sum::<usize>()
    );
    println!("  files: {} ({:.1} MB)", files.len(), total as f64 / 1e6);
    println!(
        "  time: markdown->text {to_text:.1} s, build_index {index_secs:.1} s wall, {index_cpu:.1} s CPU on {} threads",
        rayon::current_num_threads()
    );
    println!(
        "  peak RSS: {rss_corpus} MiB with corpus, {rss_docs} MiB with corpus and search docs, {rss_index} MiB after indexing (+{} MiB)",
        rss_index.saturating_sub(rss_docs)
    );
    if let Ok(dir) = std::env::var("SEARCH_BENCH_OUT") {
        write_site(std::path::Path::new(&dir), &files);
    }
    for query in [
        "anger management",
        "council tax",
        "direct payments",
        "complaint",
    ] {
        first_query(&files, query);
    }
    for (typo, meant) in [
        ("complant", "complaint"),
        ("safegaurding", "safeguarding"),
        ("ocmplaint", "complaint"),
        ("sfaeguarding", "safeguarding"),
    ] {
        typo_query(&files, typo, meant);
    }
    for phrase in [
        "direct payments",
        "child in need",
        "the council should have",
    ] {
        phrase_query(&files, phrase);
    }
}

/// A quoted phrase: what the browser fetches before its first results (meta, one term file
/// per word, a pair file's table and one block of it per pair of neighbouring words, the
/// cards of the first ten), and how many decisions have every pair. A phrase of three words
/// or more also reads the pages of about as many candidates as it shows (not counted here).
fn phrase_query(files: &[OutputFile], phrase: &str) {
    let by_path: HashMap<&str, &OutputFile> = files.iter().map(|f| (f.path.as_str(), f)).collect();
    let size = |p: &str| by_path.get(p).map_or(0, |f| f.bytes.len());
    let meta: serde_json::Value =
        serde_json::from_slice(&gunzip(&by_path["search/index/meta.bin"].bytes))
            .unwrap_or_default();
    let term_bounds: Vec<u32> =
        serde_json::from_value(meta["term_files"].clone()).unwrap_or_default();
    let pair_bounds: Vec<u32> =
        serde_json::from_value(meta["pair_files"].clone()).unwrap_or_default();
    let chunk = meta["chunk"].as_u64().unwrap_or(1) as usize;
    let mut words = Vec::new();
    text::for_each_word(phrase, |w| words.push(w.to_string()));
    let key = |w: &str| text::term_of(w).unwrap_or_else(|| w.to_string());
    let mut paths = BTreeSet::new();
    for w in &words {
        if let Some(term) = text::term_of(w) {
            let file = shards::file_for(&term_bounds, text::route(&term));
            paths.insert(format!("search/index/terms/{file:04}.bin"));
        }
    }
    let mut found: Option<BTreeSet<u32>> = None;
    let (mut pairs_read, mut pair_bytes) = (BTreeSet::new(), 0usize);
    for pair in words.windows(2) {
        let hash = casebook::search::pairs::pair_hash(&key(&pair[0]), &key(&pair[1]));
        let path = format!(
            "search/index/pairs/{:04}.bin",
            shards::file_for(&pair_bounds, hash)
        );
        let file = &by_path[path.as_str()].bytes;
        let entries = casebook::search::pairs::read_pair_file(file).unwrap_or_default();
        // What search-index.js asks for: the table (the file's first bytes), then the block that
        // may hold the pair, unless the table's bytes already hold it.
        let head = blocks::HEAD_BYTES.min(file.len());
        let block = blocks::table(file)
            .and_then(|t| blocks::block_for(&t, hash).map(|b| b.range.clone()))
            .filter(|r| r.end > head)
            .map_or(0, |r| r.len());
        if pairs_read.insert(path) {
            pair_bytes += head + block;
        }
        let docs: BTreeSet<u32> = entries
            .into_iter()
            .find(|(h, _)| *h == hash)
            .map(|(_, d)| d.into_iter().collect())
            .unwrap_or_default();
        found = Some(match found {
            None => docs,
            Some(f) => f.intersection(&docs).copied().collect(),
        });
    }
    let found = found.unwrap_or_default();
    let cards: BTreeSet<String> = found
        .iter()
        .take(10)
        .map(|&d| format!("search/index/docs/{:04}.bin", d as usize / chunk))
        .collect();
    let index_bytes: usize = paths.iter().map(|p| size(p)).sum::<usize>() + pair_bytes;
    let card_bytes: usize = cards.iter().map(|p| size(p)).sum();
    let meta_bytes = size("search/index/meta.bin");
    println!(
        "  phrase {phrase:?}: {} decisions have every pair; meta {:.0} KB + {} term and pair files {:.0} KB + {} card files {:.0} KB = {:.0} KB to first results",
        found.len(),
        meta_bytes as f64 / 1e3,
        paths.len() + pairs_read.len(),
        index_bytes as f64 / 1e3,
        cards.len(),
        card_bytes as f64 / 1e3,
        (meta_bytes + index_bytes + card_bytes) as f64 / 1e3
    );
}

/// Bytes before the first results of a query with a typo, as `search.js` fetches them:
/// meta, the term file where the typed word would be (it is not), the vocabulary file of
/// its first two letters, its word-ending files when that file lacks the word meant (those
/// of its last two letters, a letter shorter to a letter longer), the term file of the
/// word meant, and its first ten cards.
fn typo_query(files: &[OutputFile], typo: &str, meant: &str) {
    let by_path: HashMap<&str, &OutputFile> = files.iter().map(|f| (f.path.as_str(), f)).collect();
    let size = |p: &str| by_path.get(p).map_or(0, |f| f.bytes.len());
    let meta: serde_json::Value =
        serde_json::from_slice(&gunzip(&by_path["search/index/meta.bin"].bytes))
            .unwrap_or_default();
    let boundaries: Vec<u32> =
        serde_json::from_value(meta["term_files"].clone()).unwrap_or_default();
    let vocab: Vec<String> =
        serde_json::from_value(meta["vocab_files"].clone()).unwrap_or_default();
    let chunk = meta["chunk"].as_u64().unwrap_or(1) as usize;
    let term_path = |word: &str| {
        let term = text::terms(word).pop().unwrap_or_default();
        format!(
            "search/index/terms/{:04}.bin",
            shards::file_for(&boundaries, text::route(&term))
        )
    };
    let vocab_path = format!(
        "search/index/vocab/{:04}.bin",
        casebook::search::vocab::file_for(&vocab, casebook::search::vocab::group_of(typo))
    );
    // The ending files, read when the vocabulary file has no word one edit away: here,
    // when it does not hold the word meant.
    let ends: Vec<String> = serde_json::from_value(meta["end_files"].clone()).unwrap_or_default();
    let in_vocab = by_path.get(vocab_path.as_str()).is_some_and(|f| {
        String::from_utf8_lossy(&gunzip(&f.bytes))
            .lines()
            .any(|line| line.split('\t').next() == Some(meant))
    });
    let range = casebook::search::vocab::end_key_range(typo);
    let end_paths: Vec<String> = match range {
        Some((first, last)) if !in_vocab && !ends.is_empty() => {
            let file = |key: &str| casebook::search::vocab::file_for(&ends, key);
            (file(&first)..=file(&last))
                .map(|i| format!("search/index/ends/{i:04}.bin"))
                .collect()
        }
        _ => Vec::new(),
    };
    let meant_term = text::terms(meant).pop().unwrap_or_default();
    let meant_path = term_path(meant);
    let entries = read_term_file(&gunzip(&by_path[meant_path.as_str()].bytes)).unwrap_or_default();
    let docs: Vec<u32> = entries
        .iter()
        .find(|(t, _, _)| *t == meant_term)
        .and_then(|(_, _, list)| decode_list(list))
        .unwrap_or_default()
        .iter()
        .map(|p| p.0)
        .collect();
    let mut paths: BTreeSet<String> = [term_path(typo), vocab_path.clone(), meant_path].into();
    paths.extend(end_paths.iter().cloned());
    paths.extend(
        docs.iter()
            .take(10)
            .map(|d| format!("search/index/docs/{:04}.bin", *d as usize / chunk)),
    );
    let bytes: usize = size("search/index/meta.bin") + paths.iter().map(|p| size(p)).sum::<usize>();
    println!(
        "  typo {typo:?} -> {meant:?}: {} results; vocabulary file {:.0} KB, word-ending files {:.0} KB; {:.0} KB to first results",
        docs.len(),
        size(&vocab_path) as f64 / 1e3,
        end_paths.iter().map(|p| size(p)).sum::<usize>() as f64 / 1e3,
        bytes as f64 / 1e3
    );
}

/// A bare search page for timing: the elements search.js needs, nothing else.
const TIMING_PAGE: &str = r#"<!DOCTYPE html><html lang="en"><meta charset="utf-8"><title>Search</title><main>
<div id="search-app" data-index="/search/index/" hidden><form id="search-form"><input id="search-q" name="q">
<fieldset><select id="search-council"><option value="">Any</option></select><select id="search-category"><option value="">Any</option></select>
<select id="search-outcome"><option value="">Any</option></select><select id="search-year"><option value="">Any</option></select>
<select id="search-sort"><option value="relevance">Best</option><option value="date">Newest</option></select></fieldset></form>
<p id="search-status" role="status" aria-live="polite"></p><ol id="search-results"></ol><button id="search-more" hidden>More</button></div>
</main><script src="/porter2.js" defer></script><script src="/search-core.js" defer></script><script src="/search-index.js" defer></script><script src="/search.js" defer></script></html>"#;

/// Writes the index below `dir`, with a bare search page and its scripts, for timing the
/// first results in a browser (`benches/search_first_results.mjs`).
fn write_site(dir: &std::path::Path, files: &[OutputFile]) {
    let _ = std::fs::create_dir_all(dir.join("search"));
    let _ = std::fs::write(dir.join("search/index.html"), TIMING_PAGE);
    for script in [
        "search.js",
        "porter2.js",
        "search-core.js",
        "search-index.js",
    ] {
        let _ = std::fs::copy(format!("themes/default/static/{script}"), dir.join(script));
    }
    for file in files {
        let path = dir.join(&file.path);
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let _ = std::fs::write(path, &file.bytes);
    }
}

/// Follows `search.js`: meta, the term files of the query words, the cards of the first
/// ten results by relevance; then, apart, the three facet columns the counts need, which
/// the page fetches only when the reader turns to the filters.
fn first_query(files: &[OutputFile], query: &str) {
    let by_path: HashMap<&str, &OutputFile> = files.iter().map(|f| (f.path.as_str(), f)).collect();
    let size = |p: &str| by_path.get(p).map_or(0, |f| f.bytes.len());
    let meta_file = by_path["search/index/meta.bin"];
    let meta: serde_json::Value =
        serde_json::from_slice(&gunzip(&meta_file.bytes)).unwrap_or_default();
    let boundaries: Vec<u32> =
        serde_json::from_value(meta["term_files"].clone()).unwrap_or_default();
    let chunk = meta["chunk"].as_u64().unwrap_or(1) as usize;
    let docs = meta["docs"].as_u64().unwrap_or(0) as f64;
    let mut term_paths = BTreeSet::new();
    let mut scores: Option<HashMap<u32, f64>> = None;
    for term in text::terms(query) {
        let path = format!(
            "search/index/terms/{:04}.bin",
            shards::file_for(&boundaries, text::route(&term))
        );
        let entries = read_term_file(&gunzip(&by_path[path.as_str()].bytes)).unwrap_or_default();
        term_paths.insert(path);
        let postings = entries
            .iter()
            .find(|(t, _, _)| *t == term)
            .and_then(|(_, df, list)| Some((*df, decode_list(list)?)))
            .unwrap_or_default();
        let idf = (1.0 + (docs - postings.0 as f64 + 0.5) / (postings.0 as f64 + 0.5)).ln();
        let these: HashMap<u32, f64> = postings
            .1
            .iter()
            .map(|&(d, i)| (d, idf * f64::from(if i == 0 { 4 } else { i })))
            .collect();
        scores = Some(match scores {
            None => these,
            Some(s) => s
                .into_iter()
                .filter_map(|(d, v)| these.get(&d).map(|w| (d, v + w)))
                .collect(),
        });
    }
    let mut ranked: Vec<(u32, f64)> = scores.unwrap_or_default().into_iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let card_paths: BTreeSet<String> = ranked
        .iter()
        .take(10)
        .map(|(d, _)| format!("search/index/docs/{:04}.bin", *d as usize / chunk))
        .collect();
    let meta_bytes = meta_file.bytes.len();
    let term_bytes: usize = term_paths.iter().map(|p| size(p)).sum();
    let card_bytes: usize = card_paths.iter().map(|p| size(p)).sum();
    let facet_bytes: usize = ["council", "category", "outcome"]
        .iter()
        .map(|f| size(&format!("search/index/facets/{f}.bin")))
        .sum();
    let first = meta_bytes + term_bytes + card_bytes;
    println!(
        "  query {query:?}: {} results; meta {:.0} KB + {} term files {:.0} KB + {} card files {:.0} KB = {:.0} KB to first results; facets {:.0} KB more when the filters are opened (= {:.0} KB)",
        ranked.len(),
        meta_bytes as f64 / 1e3,
        term_paths.len(),
        term_bytes as f64 / 1e3,
        card_paths.len(),
        card_bytes as f64 / 1e3,
        first as f64 / 1e3,
        facet_bytes as f64 / 1e3,
        (first + facet_bytes) as f64 / 1e3
    );
}
