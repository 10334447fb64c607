//! Measures the `pagefind` crate's service API on the synthetic corpus, with custom records
//! (no HTML parsing): files, bytes, first-query bytes, indexing time and peak memory.
//!
//! `cargo bench --bench search_pagefind -- 10000 [max_fragments|-] [--seed-sized]`
//! (`casebook::corpus` by default; `--seed-sized` for `benches/synthetic`).

#[path = "synthetic/mod.rs"]
mod synthetic;

use std::collections::BTreeMap;
use std::io::Read;
use std::time::Instant;

fn peak_rss_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let _ = flate2::read::GzDecoder::new(bytes).read_to_end(&mut out);
    out
}

fn cbor_text(word: &str) -> Vec<u8> {
    let mut v = vec![0x60 + word.len() as u8];
    v.extend_from_slice(word.as_bytes());
    v
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().filter(|a| a != "--bench").collect();
    let n: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let max_fragments: Option<u32> = args.get(2).and_then(|a| a.parse().ok());
    let args: Vec<String> = args.into_iter().skip(1).collect();
    let decisions: Vec<casebook::decision::Decision> = if args.iter().any(|a| a == "--seed-sized") {
        let seeds = synthetic::load_seeds(std::path::Path::new("content"));
        let paragraphs = synthetic::seed_paragraphs(&seeds);
        synthetic::corpus(n, &seeds[0], &paragraphs)
    } else {
        (0..n)
            .filter_map(|i| {
                let page = casebook::corpus::page(i);
                let path = std::path::Path::new(&page.file_name);
                casebook::import::import_text(path, &page.text, "")
                    .ok()
                    .map(|d| d.decision)
            })
            .collect()
    };
    let rss_before = peak_rss_mib();
    let started = Instant::now();
    let builder = pagefind::options::PagefindServiceConfig::builder();
    let builder = builder.force_language("en".to_string());
    let options = match max_fragments {
        Some(m) => builder.max_fragments(m).build(),
        None => builder.build(),
    };
    let mut index = pagefind::api::PagefindIndex::new(Some(options)).expect("options");
    for d in &decisions {
        let url = format!("/decisions/{}/", d.reference.slug());
        let mut meta = BTreeMap::new();
        meta.insert(
            "title".to_string(),
            format!("{} ({})", d.council, d.reference),
        );
        let mut filters = BTreeMap::new();
        filters.insert("council".to_string(), vec![d.council.clone()]);
        filters.insert(
            "category".to_string(),
            vec![d.category.clone().unwrap_or_default()],
        );
        filters.insert(
            "outcome".to_string(),
            vec![d.outcome.map(|o| o.label().to_string()).unwrap_or_default()],
        );
        filters.insert(
            "year".to_string(),
            vec![d.year().map(|y| y.to_string()).unwrap_or_default()],
        );
        let mut sort = BTreeMap::new();
        sort.insert(
            "date".to_string(),
            d.decision_date.map(|x| x.to_string()).unwrap_or_default(),
        );
        let text = format!(
            "{} {} {} {}",
            d.council,
            d.reference,
            d.summary.clone().unwrap_or_default(),
            d.body
        );
        index
            .add_custom_record(
                url,
                text,
                "en".into(),
                Some(meta),
                Some(filters),
                Some(sort),
            )
            .await
            .expect("record");
    }
    let files = index.get_files().await.expect("files");
    let elapsed = started.elapsed();
    let rss_after = peak_rss_mib();
    report(
        n,
        max_fragments,
        &files,
        elapsed.as_secs_f64(),
        rss_before,
        rss_after,
    );
}

fn report(
    n: usize,
    maxf: Option<u32>,
    files: &[pagefind::api::SyntheticFile],
    secs: f64,
    before: u64,
    after: u64,
) {
    let total: usize = files.iter().map(|f| f.contents.len()).sum();
    let name = |f: &pagefind::api::SyntheticFile| f.filename.to_string_lossy().to_string();
    let size_of = |pred: &dyn Fn(&str) -> bool| -> usize {
        files
            .iter()
            .filter(|f| pred(&name(f)))
            .map(|f| f.contents.len())
            .sum()
    };
    let base = size_of(&|p| {
        p.ends_with("pagefind.js")
            || p.ends_with("wasm.unknown.pagefind")
            || p.ends_with("pagefind-entry.json")
            || p.ends_with(".pf_meta")
    });
    let filters = size_of(&|p| p.ends_with(".pf_filter"));
    let mut index_bytes = 0;
    for word in ["anger", "management"] {
        let needle = cbor_text(word);
        for f in files.iter().filter(|f| name(f).ends_with(".pf_index")) {
            let raw = gunzip(&f.contents);
            if raw.windows(needle.len()).any(|w| w == needle.as_slice()) {
                index_bytes += f.contents.len();
                break;
            }
        }
    }
    let frags: Vec<usize> = files
        .iter()
        .filter(|f| name(f).ends_with(".pf_fragment"))
        .map(|f| f.contents.len())
        .collect();
    let avg_frag = frags.iter().sum::<usize>() / frags.len().max(1);
    let first_query = base + filters + index_bytes + 5 * avg_frag;
    println!("pagefind n={n} max_fragments={maxf:?}");
    println!("  files: {} ({} fragment files)", files.len(), frags.len());
    println!("  bytes: {:.1} MB", total as f64 / 1e6);
    println!("  index time: {secs:.1} s");
    println!(
        "  peak RSS: {before} MiB before indexing, {after} MiB after (+{} MiB)",
        after.saturating_sub(before)
    );
    println!("  first query 'anger management': js+wasm+entry+meta {:.0} KB, filters {:.0} KB, index chunks {:.0} KB, 5 fragments ~{:.0} KB => {:.0} KB",
        base as f64 / 1e3, filters as f64 / 1e3, index_bytes as f64 / 1e3, 5.0 * avg_frag as f64 / 1e3, first_query as f64 / 1e3);
}
