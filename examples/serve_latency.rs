//! Rebuild latency of `casebook serve`: the time from saving a decision file to its new page
//! being served over HTTP, as a browser sees it (save, live-reload event, GET the page,
//! check the new text is there). Generates a site of N decisions from the five seed content
//! files, starts the preview on 127.0.0.1, makes M edits (editor-style atomic saves) and
//! prints the median and p95. Then as many edits that move a decision to another council
//! (timed until the decision's page names the new council), the time from start to the
//! first page served, and the resident memory (`VmRSS`, `VmHWM`) of the process, which
//! holds the preview.
//!
//! ```text
//! cargo run --release --example serve_latency -- --decisions 10000 --edits 50 [--moves 10] [--builder fake|real]
//! ```
//!
//! `--builder fake` (default) uses the fake builder from tests/support/fake_site.rs;
//! `--builder real` uses `casebook::serve::adapter::SiteBuild`, the real build once wired.

// The allocator the `casebook` binary uses, so that memory and speed are the preview's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../tests/support/client.rs"]
mod client;
#[path = "../tests/support/fake_site.rs"]
mod fake_site;
#[path = "../tests/support/generated_site.rs"]
mod generated_site;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use casebook::serve::adapter::SiteBuild;
use casebook::serve::{Preview, Rebuild, ServeOptions};

struct Args {
    decisions: usize,
    edits: usize,
    moves: usize,
    real: bool,
}

fn parse_args() -> anyhow::Result<Args> {
    let mut args = Args {
        decisions: 10_000,
        edits: 50,
        moves: 10,
        real: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--decisions" => args.decisions = value.parse()?,
            "--edits" => args.edits = value.parse()?,
            "--moves" => args.moves = value.parse()?,
            "--builder" => args.real = value == "real",
            other => bail!("unknown flag {other}"),
        }
    }
    Ok(args)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn main() -> anyhow::Result<()> {
    let args = parse_args()?;
    let dir = tempfile::tempdir()?;
    let root = dir.path().to_path_buf();
    let started = Instant::now();
    let decisions = generated_site::generate_site(&root, args.decisions)?;
    eprintln!(
        "generated {} decisions in {:.1?}",
        decisions.len(),
        started.elapsed()
    );

    let builder: Box<dyn Rebuild> = if args.real {
        Box::new(SiteBuild::staged(&root, None))
    } else {
        Box::new(fake_site::FakeSite::new(&root))
    };
    // A free port, so that a client can ask for the home page while the first build runs,
    // as a user's browser does.
    let port = std::net::TcpListener::bind(("127.0.0.1", 0))?
        .local_addr()?
        .port();
    let options = ServeOptions {
        port,
        ..ServeOptions::default()
    };
    let started = Instant::now();
    let poller = std::thread::spawn(move || {
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
        loop {
            if std::net::TcpStream::connect(addr).is_ok() && client::get(addr, "/").status == 200 {
                return started.elapsed();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    });
    let preview = Preview::start(&root, builder, &options)?;
    let addr = preview.addr();
    let whole = started.elapsed();
    let first_page = poller
        .join()
        .map_err(|_| anyhow::anyhow!("the home page poller failed"))?;
    let home = client::get(addr, "/");
    if home.status != 200 {
        bail!("the home page answered {}", home.status);
    }
    eprintln!(
        "home page served after {first_page:.1?}; first build (pages) done after {whole:.1?}"
    );
    let events = client::Events::connect(addr);
    events.expect("ok", Duration::from_secs(30));

    println!(
        "decisions={} edits={} moves={} builder={} first-page={:.0}ms",
        args.decisions,
        args.edits,
        args.moves,
        if args.real { "real" } else { "fake" },
        first_page.as_secs_f64() * 1000.0,
    );
    let edits = edit_text(&root, &decisions, args.edits, addr, &events)?;
    println!("text edit: {}", figures(edits));
    let moves = move_council(&root, &decisions, args.moves, addr, &events)?;
    println!("council move: {}", figures(moves));
    println!(
        "memory: resident {} MiB, peak resident {} MiB",
        status_mib("VmRSS:"),
        status_mib("VmHWM:")
    );
    drop(preview);
    Ok(())
}

/// Saves `path` with `text` and waits until `url` is served holding `marker`.
fn save_and_wait(
    path: &Path,
    text: &str,
    url: &str,
    marker: &str,
    addr: std::net::SocketAddr,
    events: &client::Events,
) -> anyhow::Result<Duration> {
    events.drain();
    let t0 = Instant::now();
    casebook::fs::write_atomic(path, text.as_bytes())?;
    loop {
        events.expect("reload", Duration::from_secs(60));
        let page = client::get(addr, url);
        if page.status == 200 && page.body.contains(marker) {
            break;
        }
        if t0.elapsed() > Duration::from_secs(60) {
            bail!("{url} never showed {marker}");
        }
    }
    let took = t0.elapsed();
    std::thread::sleep(Duration::from_millis(150));
    Ok(took)
}

/// `count` edits of a decision's text, each timed until its page shows the new text.
fn edit_text(
    root: &Path,
    decisions: &[(PathBuf, String)],
    count: usize,
    addr: std::net::SocketAddr,
    events: &client::Events,
) -> anyhow::Result<Vec<Duration>> {
    let mut times = Vec::with_capacity(count);
    for n in 0..count {
        let (rel, dashed) = &decisions[(n * 7919) % decisions.len()];
        let path = root.join(rel);
        let marker = format!("latency-marker-{n}");
        let text = std::fs::read_to_string(&path)? + &format!("\n{marker}\n");
        let url = format!("/decisions/{dashed}/");
        times.push(save_and_wait(&path, &text, &url, &marker, addr, events)?);
    }
    Ok(times)
}

/// `count` edits that move a decision to a council of its own, each timed until its page
/// names the new council.
fn move_council(
    root: &Path,
    decisions: &[(PathBuf, String)],
    count: usize,
    addr: std::net::SocketAddr,
    events: &client::Events,
) -> anyhow::Result<Vec<Duration>> {
    let mut times = Vec::with_capacity(count);
    for n in 0..count {
        let (rel, dashed) = &decisions[(n * 104_729 + 13) % decisions.len()];
        let path = root.join(rel);
        let council = format!("Moved District Council {n:03}");
        let text: String = std::fs::read_to_string(&path)?
            .lines()
            .map(|line| {
                if line.starts_with("council = ") {
                    format!("council = \"{council}\"\n")
                } else {
                    format!("{line}\n")
                }
            })
            .collect();
        let url = format!("/decisions/{dashed}/");
        times.push(save_and_wait(&path, &text, &url, &council, addr, events)?);
    }
    Ok(times)
}

/// Median, p95, min and max of `times`.
fn figures(mut times: Vec<Duration>) -> String {
    if times.is_empty() {
        return "no edits".to_string();
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "median={:.1}ms p95={:.1}ms min={:.1}ms max={:.1}ms",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.95)),
        ms(times[0]),
        ms(times[times.len() - 1]),
    )
}

/// A figure of this process's `/proc/self/status`, in MiB (`?` where there is none).
fn status_mib(key: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(key))
                .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        })
        .map_or_else(|| "?".to_string(), |kib| (kib / 1024).to_string())
}
