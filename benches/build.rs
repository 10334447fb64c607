//! Build benchmark: imports a synthetic corpus (`casebook::corpus`) into a site with the
//! default theme, then builds it with the release binary, printing seconds, pages per
//! second, peak memory (the child's `VmHWM`) and the output's size, then each step's
//! seconds with the peak memory when it ended (the step that set the peak shows it first).
//!
//! `cargo bench --bench build` (sizes: `CASEBOOK_BENCH_SIZES=10000,100000`, default 10000;
//! runs per size: `CASEBOOK_BENCH_RUNS`, default 3, the median is reported). Each line
//! gives the `statistics` step's share of the build; `CASEBOOK_BENCH_STATISTICS=1` also
//! builds each size without the statistics and prints the CPU time they add.
//! `CASEBOOK_BENCH_BIN=PATH` measures that binary instead (the profile-guided build that
//! `scripts/pgo.sh` makes, as the published binaries are).
//! Work happens under /dev/shm when it exists, so the disk does not dominate the figures
//! (`CASEBOOK_BENCH_DIR` puts it elsewhere, so two checkouts can bench side by side).
//! Sites are kept between runs under `<scratch>/casebook-bench-build/<n>/` (imported once);
//! set `CASEBOOK_BENCH_FRESH=1` to import again, `CASEBOOK_BENCH_CLEAN=1` to delete them.

#[path = "scratch/mod.rs"]
mod scratch;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use rayon::prelude::*;

fn scratch_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CASEBOOK_BENCH_DIR") {
        return PathBuf::from(dir);
    }
    scratch::base().join("casebook-bench-build")
}

/// The binary measured: `CASEBOOK_BENCH_BIN` when set (`scripts/bench.sh` sets it to the
/// profile-guided build with `CASEBOOK_BENCH_PGO=1`), else the release build's.
fn binary() -> PathBuf {
    std::env::var_os("CASEBOOK_BENCH_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_casebook")),
        PathBuf::from,
    )
}

/// Runs the measured [`binary`]; under GNU time when present, so that its CPU seconds (user,
/// system) are reported too: wall time alone misleads on a machine shared with others.
/// With `without_statistics`, the build leaves out the statistics (to measure their cost).
fn casebook(site: &Path, args: &[&str], without_statistics: bool) -> (f64, String, String, bool) {
    let start = Instant::now();
    let gnu_time = Path::new("/usr/bin/time");
    let mut command = if gnu_time.is_file() {
        let mut c = Command::new(gnu_time);
        c.args(["-f", "cpu: %U s user, %S s system"]).arg(binary());
        c
    } else {
        Command::new(binary())
    };
    if without_statistics {
        command.env("CASEBOOK_BENCH_WITHOUT_STATISTICS", "1");
    }
    let out = command
        .env("CASEBOOK_REPORT_PEAK_MEMORY", "1")
        .env("CASEBOOK_TIMINGS", "1")
        .arg("--root")
        .arg(site)
        .args(args)
        .output()
        .expect("casebook runs");
    let secs = start.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    (secs, stdout, stderr, out.status.success())
}

/// Copies the repository's current theme, pages and config into a bench site.
fn refresh_theme(site: &Path) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let _ = std::fs::remove_dir_all(site.join("themes"));
    scratch::copy_tree(&repo.join("themes"), &site.join("themes"));
    scratch::copy_tree(&repo.join("content/pages"), &site.join("content/pages"));
    std::fs::copy(repo.join("config.toml"), site.join("config.toml")).expect("config");
}

/// A site of `n` imported synthetic decisions, with the repository's theme and pages.
fn prepare(n: usize) -> PathBuf {
    let site = scratch_dir().join(n.to_string());
    let marker = site.join(".imported");
    if marker.exists() && std::env::var_os("CASEBOOK_BENCH_FRESH").is_none() {
        refresh_theme(&site);
        return site;
    }
    let _ = std::fs::remove_dir_all(&site);
    let raw = scratch_dir().join(format!("raw-{n}"));
    let _ = std::fs::remove_dir_all(&raw);
    (0..n).into_par_iter().for_each(|i| {
        let page = casebook::corpus::page(i);
        casebook::fs::write_atomic(&raw.join(&page.file_name), page.text.as_bytes())
            .expect("write raw page");
    });
    std::fs::create_dir_all(&site).expect("site folder");
    refresh_theme(&site);
    let raw_arg = raw.to_string_lossy().into_owned();
    let (secs, summary, _, ok) = casebook(&site, &["import", &raw_arg], false);
    assert!(ok, "import failed: {summary}");
    eprintln!("prepared {n} decisions in {secs:.1} s ({summary})");
    let _ = std::fs::remove_dir_all(&raw);
    std::fs::write(&marker, b"").expect("marker");
    site
}

fn output_size(dir: &Path) -> (u64, usize) {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .fold((0, 0), |(bytes, files), e| {
            (bytes + e.metadata().map_or(0, |m| m.len()), files + 1)
        })
}

/// One build's figures.
struct Run {
    secs: f64,
    summary: String,
    peak: String,
    cpu: String,
    /// Seconds of each step (`CASEBOOK_TIMINGS`).
    steps: Vec<(String, f64)>,
    /// The process's peak memory when each step ended (`memory: peak N MiB after STEP`).
    memory: Vec<(String, String)>,
}

impl Run {
    fn step(&self, name: &str) -> f64 {
        self.steps
            .iter()
            .find(|(n, _)| n == name)
            .map_or(0.0, |(_, s)| *s)
    }

    /// User plus system CPU seconds, from GNU time's line.
    fn cpu_seconds(&self) -> Option<f64> {
        let numbers: Vec<f64> = self
            .cpu
            .split_whitespace()
            .filter_map(|w| w.parse().ok())
            .collect();
        (numbers.len() == 2).then(|| numbers[0] + numbers[1])
    }
}

/// `runs` builds of `site`; the median by wall time. Without statistics when `without`.
fn measure(site: &Path, runs: usize, without: bool) -> (Run, Vec<f64>) {
    let public = site.join("public");
    let mut results = Vec::new();
    for _ in 0..runs {
        let _ = std::fs::remove_dir_all(&public);
        let (secs, summary, stderr, ok) = casebook(site, &["build"], without);
        assert!(ok, "build failed:\n{stderr}");
        let find = |prefix: &str| {
            stderr
                .lines()
                .find_map(|l| l.strip_prefix(prefix))
                .unwrap_or("unknown")
                .to_string()
        };
        let steps = stderr
            .lines()
            .filter_map(|l| l.strip_prefix("timing: "))
            .filter_map(|l| {
                let mut w = l.split_whitespace();
                Some((w.next()?.to_string(), w.next()?.parse().ok()?))
            })
            .collect();
        let memory = stderr
            .lines()
            .filter_map(|l| l.strip_prefix("memory: peak "))
            .filter_map(|l| {
                let (mib, step) = l.split_once(" after ")?;
                Some((step.to_string(), mib.to_string()))
            })
            .collect();
        results.push(Run {
            secs,
            summary,
            peak: find("peak memory: "),
            cpu: find("cpu: "),
            steps,
            memory,
        });
    }
    results.sort_by(|a, b| a.secs.total_cmp(&b.secs));
    let all = results.iter().map(|r| r.secs).collect();
    (results.swap_remove(results.len() / 2), all)
}

fn main() {
    let runs = scratch::env_list("CASEBOOK_BENCH_RUNS", 3)[0].max(1);
    let compare = std::env::var_os("CASEBOOK_BENCH_STATISTICS").is_some();
    for n in scratch::env_list("CASEBOOK_BENCH_SIZES", 10_000) {
        let site = prepare(n);
        let public = site.join("public");
        let (run, all) = measure(&site, runs, false);
        let (bytes, files) = output_size(&public);
        let pages = run
            .summary
            .strip_prefix("built ")
            .and_then(|s| s.split_whitespace().next())
            .and_then(|p| p.parse::<f64>().ok())
            .unwrap_or(0.0);
        let all: Vec<String> = all.iter().map(|s| format!("{s:.2}")).collect();
        let stats = run.step("statistics");
        println!(
            "build {n} decisions: {:.2} s (runs: {}; cpu {}), {:.0} pages/s, \
             peak memory {}, output {:.1} MB in {files} files [{}]; \
             statistics step {stats:.3} s ({:.1}% of the build)",
            run.secs,
            all.join(", "),
            run.cpu,
            pages / run.secs,
            run.peak,
            bytes as f64 / 1e6,
            run.summary,
            100.0 * stats / run.secs,
        );
        let steps: Vec<String> = run
            .steps
            .iter()
            .map(|(step, secs)| {
                let peak = run.memory.iter().find(|(s, _)| s == step);
                format!(
                    "{step} {secs:.2} s, {}",
                    peak.map_or("?", |(_, m)| m.as_str())
                )
            })
            .collect();
        println!(
            "  steps of {n} (seconds, peak memory so far): {}",
            steps.join("; ")
        );
        if compare {
            let (without, _) = measure(&site, runs, true);
            let share = match (run.cpu_seconds(), without.cpu_seconds()) {
                (Some(with), Some(wo)) => format!(
                    "cpu {with:.2} s with, {wo:.2} s without: statistics add {:.1}%",
                    100.0 * (with - wo) / wo
                ),
                _ => "cpu unknown (no GNU time)".to_string(),
            };
            println!(
                "build {n} decisions without statistics: {:.2} s (cpu {}), peak memory {}; {share}; \
                 listings {:.2} s with, {:.2} s without",
                without.secs,
                without.cpu,
                without.peak,
                run.step("listings"),
                without.step("listings"),
            );
        }
        let _ = std::fs::remove_dir_all(&public);
        if std::env::var_os("CASEBOOK_BENCH_CLEAN").is_some() {
            let _ = std::fs::remove_dir_all(&site);
        }
    }
}
