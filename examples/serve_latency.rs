//! Rebuild latency of `casebook serve`: the time from saving a decision file to its new page
//! being served over HTTP, as a browser sees it (save, live-reload event, GET the page,
//! check the new text is there). Generates a site of N decisions from the five seed content
//! files, starts the preview on 127.0.0.1, makes M edits (editor-style atomic saves) and
//! prints the median and p95.
//!
//! ```text
//! cargo run --release --example serve_latency -- --decisions 10000 --edits 50 [--builder fake|real]
//! ```
//!
//! `--builder fake` (default) uses the fake builder from tests/support/fake_site.rs;
//! `--builder real` uses `casebook::serve::adapter::SiteBuild`, the real build once wired.

#[path = "../tests/support/client.rs"]
mod client;
#[path = "../tests/support/fake_site.rs"]
mod fake_site;
#[path = "../tests/support/generated_site.rs"]
mod generated_site;

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use casebook::serve::adapter::SiteBuild;
use casebook::serve::{Preview, Rebuild, ServeOptions};

struct Args {
    decisions: usize,
    edits: usize,
    real: bool,
}

fn parse_args() -> anyhow::Result<Args> {
    let mut args = Args {
        decisions: 10_000,
        edits: 50,
        real: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--decisions" => args.decisions = value.parse()?,
            "--edits" => args.edits = value.parse()?,
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
        Box::new(SiteBuild::new(&root, None))
    } else {
        Box::new(fake_site::FakeSite::new(&root))
    };
    let options = ServeOptions {
        port: 0,
        ..ServeOptions::default()
    };
    let started = Instant::now();
    let preview = Preview::start(&root, builder, &options)?;
    let addr = preview.addr();
    eprintln!("first build and start in {:.1?}", started.elapsed());
    let events = client::Events::connect(addr);
    events.expect("ok", Duration::from_secs(30));

    let mut times = Vec::with_capacity(args.edits);
    for n in 0..args.edits {
        let (rel, dashed) = &decisions[(n * 7919) % decisions.len()];
        let path = root.join(rel);
        let marker = format!("latency-marker-{n}");
        let text = std::fs::read_to_string(&path)? + &format!("\n{marker}\n");
        events.drain();
        let t0 = Instant::now();
        casebook::fs::write_atomic(&path, text.as_bytes())?;
        let url = format!("/decisions/{dashed}/");
        loop {
            events.expect("reload", Duration::from_secs(60));
            let page = client::get(addr, &url);
            if page.status == 200 && page.body.contains(&marker) {
                break;
            }
            if t0.elapsed() > Duration::from_secs(60) {
                bail!("{url} never showed {marker}");
            }
        }
        times.push(t0.elapsed());
        std::thread::sleep(Duration::from_millis(150));
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "decisions={} edits={} builder={} median={:.1}ms p95={:.1}ms min={:.1}ms max={:.1}ms",
        args.decisions,
        args.edits,
        if args.real { "real" } else { "fake" },
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.95)),
        ms(times[0]),
        ms(times[times.len() - 1]),
    );
    drop(preview);
    Ok(())
}
