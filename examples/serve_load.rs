//! Load on `casebook serve`: a site of N generated decisions (as `serve_latency` makes
//! them), the preview started in-process on 127.0.0.1 with the real build, C clients asking
//! for decision pages and the home page over keep-alive connections for S seconds, while one
//! decision file is rewritten ten times a second (editor-style atomic saves). The clients
//! are tasks on a two-thread runtime (as wrk's connections share its threads), not a
//! thread each: 64 threads on two processors would measure the scheduler's queue.
//!
//! ```text
//! cargo run --release --example serve_load -- --decisions 10000 --clients 64 --seconds 30
//! cargo run --release --example serve_load -- --decisions 10000 --clients 8 --seconds 600 --sample 10
//! ```
//!
//! Every answer is checked: status 200, a whole page (ends with `</html>` after the
//! injected live-reload script), and for the decision being rewritten, exactly one save
//! marker (`load-marker-N`), so a page mixing two builds would count as a failure. Prints
//! failures, p50/p99/max latency, requests per second, and the process's resident memory
//! every `--sample` seconds with its first, last and largest value.

// The allocator the `casebook` binary uses, so that memory and speed are the preview's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../tests/support/generated_site.rs"]
mod generated_site;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use casebook::serve::adapter::SiteBuild;
use casebook::serve::{Preview, ServeOptions};

struct Args {
    decisions: usize,
    clients: usize,
    seconds: u64,
    sample: u64,
}

fn parse_args() -> anyhow::Result<Args> {
    let mut args = Args {
        decisions: 10_000,
        clients: 64,
        seconds: 30,
        sample: 1,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--decisions" => args.decisions = value.parse()?,
            "--clients" => args.clients = value.parse()?,
            "--seconds" => args.seconds = value.parse()?,
            "--sample" => args.sample = value.parse()?,
            other => bail!("unknown flag {other}"),
        }
    }
    if args.decisions == 0 || args.clients == 0 || args.sample == 0 {
        bail!("--decisions, --clients and --sample must be at least 1");
    }
    Ok(args)
}

/// The value in kB of `key` in `/proc/self/<file>` (Linux), in MB, or 0 when it cannot be
/// read.
fn proc_mb(file: &str, key: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/self/{file}"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// This process's resident set size in MB.
fn rss_mb() -> f64 {
    proc_mb("status", "VmRSS:")
}

/// How much of this process's memory is in transparent huge pages, in MB. A 2 MiB huge
/// page is resident as a whole however little of it is used.
fn huge_mb() -> f64 {
    proc_mb("smaps_rollup", "AnonHugePages:")
}

/// Why an answer is not a whole page of one build, if it is not.
fn check_page(status: u16, body: &str, rewritten: bool) -> Option<String> {
    if status != 200 {
        return Some(format!("status {status}"));
    }
    if !body.trim_end().ends_with("</html>") || !body.contains("/__casebook/livereload.js") {
        return Some("not a whole page".into());
    }
    let markers = body.matches("load-marker-").count();
    (rewritten && markers != 1).then(|| format!("{markers} save markers"))
}

/// A latency histogram in microseconds, from 1 µs to 60 s at three significant digits:
/// a fixed size however long the run, so that the bench's own record of millions of
/// requests does not grow the resident memory it measures.
type Latencies = hdrhistogram::Histogram<u64>;

fn latencies() -> Latencies {
    // The bounds are constants that hdrhistogram accepts.
    Latencies::new_with_bounds(1, 60_000_000, 3).unwrap_or_else(|e| panic!("histogram: {e}"))
}

struct Tally {
    latencies: Mutex<Latencies>,
    failures: AtomicU64,
    first_failure: Mutex<Option<String>>,
}

/// Which page the `i`th request of a client asks for: every fourth the page being
/// rewritten, one in 16 the home page, else a decision spread over the site.
fn target(i: usize, slugs: &[String], rewritten: usize) -> (String, bool) {
    match i % 16 {
        0 => ("/".to_string(), false),
        1 | 5 | 9 | 13 => (format!("/decisions/{}/", slugs[rewritten]), true),
        _ => (
            format!("/decisions/{}/", slugs[(i * 7919) % slugs.len()]),
            false,
        ),
    }
}

/// One client: one keep-alive HTTP/1.1 connection (reopened if it drops), one request at
/// a time, until `stop`. The clients are tasks on a small runtime of their own, as wrk's
/// connections are, so that the figures measure the server, not 64 threads queueing for
/// two processors.
async fn client(
    n: usize,
    addr: std::net::SocketAddr,
    slugs: Arc<Vec<String>>,
    rewritten: usize,
    stop: Arc<AtomicBool>,
    tally: Arc<Tally>,
) {
    let mut latencies = latencies();
    let mut i = n;
    let mut sender = None;
    while !stop.load(Ordering::Relaxed) {
        let (path, is_rewritten) = target(i, &slugs, rewritten);
        i += 1;
        let started = Instant::now();
        let answer = get(&mut sender, addr, &path).await;
        latencies.saturating_record(started.elapsed().as_micros().try_into().unwrap_or(u64::MAX));
        let problem = match answer {
            Ok((status, body)) => match std::str::from_utf8(&body) {
                Ok(body) => check_page(status, body, is_rewritten),
                Err(_) => Some("not UTF-8".into()),
            },
            Err(e) => {
                sender = None;
                Some(format!("request: {e:#}"))
            }
        };
        if let Some(problem) = problem {
            tally.failures.fetch_add(1, Ordering::Relaxed);
            let mut first = tally
                .first_failure
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            first.get_or_insert(format!("{path}: {problem}"));
        }
    }
    // Same bounds on both sides, so adding cannot fail.
    let _ = tally
        .latencies
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .add(&latencies);
}

type Sender = hyper::client::conn::http1::SendRequest<http_body_util::Empty<hyper::body::Bytes>>;

/// GETs `path` over the client's connection, opening one first if it has none.
async fn get(
    sender: &mut Option<Sender>,
    addr: std::net::SocketAddr,
    path: &str,
) -> anyhow::Result<(u16, hyper::body::Bytes)> {
    use http_body_util::BodyExt;
    if sender.is_none() {
        let stream = tokio::net::TcpStream::connect(addr).await?;
        let io = hyper_util::rt::TokioIo::new(stream);
        let (s, connection) = hyper::client::conn::http1::handshake(io).await?;
        tokio::spawn(connection);
        *sender = Some(s);
    }
    let Some(s) = sender.as_mut() else {
        bail!("no connection");
    };
    let request = hyper::Request::get(path)
        .header(hyper::header::HOST, addr.to_string())
        .body(http_body_util::Empty::new())?;
    let response = tokio::time::timeout(Duration::from_secs(10), async {
        let response = s.send_request(request).await?;
        let status = response.status().as_u16();
        let body = response.into_body().collect().await?.to_bytes();
        anyhow::Ok((status, body))
    })
    .await
    .context("no answer in 10 s")??;
    Ok(response)
}

fn main() -> anyhow::Result<()> {
    let args = parse_args()?;
    let dir = tempfile::tempdir()?;
    let root = dir.path().to_path_buf();
    let decisions = generated_site::generate_site(&root, args.decisions)?;
    let options = ServeOptions {
        port: 0,
        ..ServeOptions::default()
    };
    let started = Instant::now();
    let preview = Preview::start(&root, Box::new(SiteBuild::staged(&root, None)), &options)?;
    eprintln!("first build and start in {:.1?}", started.elapsed());
    let addr = preview.addr();
    let slugs: Arc<Vec<String>> = Arc::new(decisions.iter().map(|(_, s)| s.clone()).collect());

    // The decision rewritten ten times a second, each save with one new marker.
    let rewritten = decisions.len() / 2;
    let path = root.join(&decisions[rewritten].0);
    let original = std::fs::read_to_string(&path)?;
    casebook::fs::write_atomic(&path, format!("{original}\nload-marker-0\n").as_bytes())?;
    std::thread::sleep(Duration::from_secs(2));

    let stop = Arc::new(AtomicBool::new(false));
    let tally = Arc::new(Tally {
        latencies: Mutex::new(latencies()),
        failures: AtomicU64::new(0),
        first_failure: Mutex::new(None),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let clients: Vec<_> = (0..args.clients)
        .map(|n| {
            let slugs = Arc::clone(&slugs);
            let (stop, tally) = (Arc::clone(&stop), Arc::clone(&tally));
            runtime.spawn(client(n, addr, slugs, rewritten, stop, tally))
        })
        .collect();

    let run = Instant::now();
    let mut saves = 0_u64;
    let mut samples = Vec::new();
    let mut next_sample = Duration::ZERO;
    while run.elapsed() < Duration::from_secs(args.seconds) {
        if run.elapsed() >= next_sample {
            samples.push(rss_mb());
            eprintln!(
                "{:>5.0} s  rss {:.0} MB  (huge pages {:.0} MB)",
                run.elapsed().as_secs_f64(),
                rss_mb(),
                huge_mb()
            );
            next_sample += Duration::from_secs(args.sample);
        }
        saves += 1;
        let text = format!("{original}\nload-marker-{saves}\n");
        casebook::fs::write_atomic(&path, text.as_bytes())?;
        std::thread::sleep(Duration::from_millis(100));
    }
    samples.push(rss_mb());
    stop.store(true, Ordering::SeqCst);
    for c in clients {
        let _ = runtime.block_on(c);
    }

    let latencies = std::mem::replace(
        &mut *tally
            .latencies
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
        latencies(),
    );
    if latencies.is_empty() {
        bail!("no request was answered");
    }
    let ms = |us: u64| us as f64 / 1000.0;
    let max_rss = samples.iter().copied().fold(0.0, f64::max);
    println!(
        "decisions={} clients={} seconds={} saves={saves} requests={} rps={:.0} failed={} \
         p50={:.1}ms p99={:.1}ms max={:.1}ms rss_first={:.0}MB rss_last={:.0}MB rss_max={max_rss:.0}MB",
        args.decisions,
        args.clients,
        args.seconds,
        latencies.len(),
        latencies.len() as f64 / run.elapsed().as_secs_f64(),
        tally.failures.load(Ordering::Relaxed),
        ms(latencies.value_at_quantile(0.5)),
        ms(latencies.value_at_quantile(0.99)),
        ms(latencies.max()),
        samples.first().copied().unwrap_or(0.0),
        samples.last().copied().unwrap_or(0.0),
    );
    if let Some(first) = tally
        .first_failure
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .as_ref()
    {
        println!("first failure: {first}");
    }
    drop(preview);
    Ok(())
}
