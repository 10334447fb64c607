//! Import benchmark: generates synthetic decision pages (`casebook::corpus`) and imports them
//! with the release binary, printing decisions per second and peak memory: the text pages,
//! then their HTML renditions (as the website serves them) into a second site, each
//! imported twice (the second time nothing has changed).
//!
//! `cargo bench --bench import` (sizes: `CASEBOOK_BENCH_SIZES=1000,10000`, default 10000).
//! Work happens under /dev/shm when it exists, so the disk does not dominate the figures.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use rayon::prelude::*;

fn scratch() -> PathBuf {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    }
}

fn sizes() -> Vec<usize> {
    std::env::var("CASEBOOK_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .filter(|v: &Vec<usize>| !v.is_empty())
        .unwrap_or_else(|| vec![10_000])
}

fn run_import(site: &Path, raw: &Path) -> (f64, String, String) {
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .env("CASEBOOK_REPORT_PEAK_MEMORY", "1")
        .arg("--root")
        .arg(site)
        .arg("import")
        .arg(raw)
        .output()
        .expect("casebook runs");
    let secs = start.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let peak = stderr
        .lines()
        .find_map(|l| l.strip_prefix("peak memory: "))
        .unwrap_or("unknown")
        .to_string();
    (secs, stdout, peak)
}

fn main() {
    for n in sizes() {
        let dir = tempfile::tempdir_in(scratch()).expect("scratch folder");
        let (raw, html) = (dir.path().join("raw"), dir.path().join("html"));
        (0..n).into_par_iter().for_each(|i| {
            let page = casebook::corpus::page(i);
            casebook::fs::write_atomic(&raw.join(&page.file_name), page.text.as_bytes())
                .expect("write raw page");
            let rendition = casebook::corpus::html::rendition(&page.text).expect("a decision");
            let name = Path::new(&page.file_name).with_extension("html");
            casebook::fs::write_atomic(&html.join(name), rendition.as_bytes())
                .expect("write HTML page");
        });
        for (form, pages) in [("text", &raw), ("HTML", &html)] {
            let site = dir.path().join(format!("site-{form}"));
            std::fs::create_dir_all(&site).expect("site folder");
            for run in ["import", "re-import unchanged"] {
                let (secs, summary, peak) = run_import(&site, pages);
                println!(
                    "{form} {run} {n} decisions: {secs:.2} s, {:.0} decisions/s, peak memory {peak} [{summary}]",
                    n as f64 / secs
                );
            }
        }
    }
}
