//! Fetch benchmark: an imitation of the Ombudsman's website on 127.0.0.1 serving generated
//! decision pages (HTML renditions of `casebook::corpus`, one a day), and the release binary
//! fetching them all with `--delay 0`, walking the month windows of the search results and
//! importing what it fetched. Prints pages per second (fetch and import together) and the
//! fetch process's peak memory.
//!
//! `cargo bench --bench fetch` (sizes: `CASEBOOK_BENCH_SIZES=1000,5000`, default 1000).
//! Work happens under /dev/shm when it exists, so the disk does not dominate the figures.

#[path = "../tests/support/lgo_site.rs"]
mod lgo_site;
#[path = "scratch/mod.rs"]
mod scratch;

use std::process::Command;
use std::time::Instant;

use chrono::NaiveDate;

fn main() {
    for n in scratch::env_list("CASEBOOK_BENCH_SIZES", 1000) {
        bench(n);
    }
}

fn bench(n: usize) {
    let first = NaiveDate::from_ymd_opt(2021, 1, 1).expect("date");
    let entries = lgo_site::entries(n.saturating_sub(5), first);
    let last = entries.iter().map(|e| e.date).max().unwrap_or(first);
    let bytes: usize = entries.iter().map(|e| e.html.len()).sum();
    let website = lgo_site::Imitation::start(lgo_site::SiteData {
        entries,
        robots: Some("User-agent: *\nDisallow: /private/\n".into()),
        ..lgo_site::SiteData::default()
    });
    let dir = tempfile::Builder::new()
        .prefix("fetch-bench-")
        .tempdir_in(scratch::base())
        .expect("scratch folder");
    let site = dir.path().join("site");
    std::fs::create_dir_all(&site).expect("site");
    std::fs::write(
        site.join("config.toml"),
        format!(
            "[fetch]\nsource = \"{}\"\ncontact = \"bench@example.org\"\n",
            website.url()
        ),
    )
    .expect("config");
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .arg("--root")
        .arg(&site)
        .args([
            "fetch",
            "--since",
            &first.to_string(),
            "--until",
            &last.to_string(),
            "--delay",
            "0",
        ])
        .env("CASEBOOK_REPORT_PEAK_MEMORY", "1")
        .output()
        .expect("run casebook fetch");
    let secs = start.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    let peak = stderr
        .lines()
        .find(|l| l.starts_with("peak memory"))
        .unwrap_or("peak memory: not reported");
    let requests = website.requests().len();
    #[allow(clippy::cast_precision_loss, reason = "display figures")]
    let (rate, mib) = (n as f64 / secs, bytes as f64 / 1_048_576.0);
    println!("fetch {n} pages ({mib:.1} MiB of HTML, {requests} requests, --delay 0): {secs:.2} s, {rate:.0} pages/s, {peak}");
    for line in stdout.lines() {
        println!("  {line}");
    }
}
