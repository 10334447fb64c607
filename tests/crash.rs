//! Killed at random moments: `build`, `import` and `fetch` are sent SIGKILL part-way through,
//! again and again, on a generated site, and what they leave is checked.
//!
//! - `build`: a reader loop checks, all the while, that `public/index.html` exists; after each
//!   kill `public/` is exactly one whole build (the one before, or the one killed, never a
//!   mix); after the next uninterrupted build it equals a clean build and no staging folder
//!   is left.
//! - `import`: after each kill every content file is whole (byte for byte what an
//!   uninterrupted import writes); after the next run no temporary file is left and the
//!   content equals an uninterrupted import's.
//! - `fetch`: against the imitation website (tests/support/lgo_site.rs) on 127.0.0.1; after
//!   each kill every source page, sidecar, state file and content file is whole (what an
//!   uninterrupted fetch writes, timestamps aside); after the next run no temporary file is
//!   left and `sources/` and `content/` equal an uninterrupted fetch's.
//!
//! The moments come from a seeded generator; the seed is printed, and
//! `CASEBOOK_CRASH_SEED=<seed>` replays a failing run.

#![cfg(unix)]

mod common;
#[path = "support/fetch_site.rs"]
mod fetch_site;
#[path = "support/lgo_site.rs"]
mod lgo_site;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use casebook::corpus::Rng;
use common::SiteTest;
use fetch_site::{fetched_tree, Site};

const TRIALS: usize = 30;
/// Decisions in the generated site of the build test: enough for a build to write a few
/// hundred files, few enough to keep thirty builds quick in a debug binary.
const BUILD_DECISIONS: usize = 30;
/// Decisions in the generated site of the import test (an import is quicker than a build).
const IMPORT_DECISIONS: usize = 80;

/// Every file under `dir` (path relative to it, bytes), skipping the names `skip` accepts.
fn tree(dir: &Path, skip: impl Fn(&str) -> bool) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| !skip(&e.file_name().to_string_lossy()))
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .display()
                .to_string();
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// The seed of this run: `CASEBOOK_CRASH_SEED`, or the clock's nanoseconds.
fn seed(test: &str) -> u64 {
    let seed = std::env::var("CASEBOOK_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            u64::from(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .expect("clock")
                    .subsec_nanos(),
            )
        });
    eprintln!("{test}: seed {seed} (replay with CASEBOOK_CRASH_SEED={seed})");
    seed
}

/// The default site plus `decisions` synthetic decision pages in `raw/`.
fn generated_site(decisions: usize) -> SiteTest {
    let t = SiteTest::default_site();
    let raw = t.root.join("raw");
    for i in 0..decisions {
        let page = casebook::corpus::page(i);
        casebook::fs::write_atomic(&raw.join(&page.file_name), page.text.as_bytes())
            .expect("write page");
    }
    t
}

/// Starts `casebook --root <root> <args>` quietly.
fn spawn(root: &Path, args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_casebook"))
        .arg("--root")
        .arg(root)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start casebook")
}

/// Runs `args` to the end and returns how long it took.
fn timed_run(t: &SiteTest, args: &[&str]) -> Duration {
    let start = Instant::now();
    let run = t.run(args);
    assert!(run.success, "{args:?} failed: {}", run.stderr);
    start.elapsed()
}

/// Runs `args`, kills it with SIGKILL after a random moment within `span`, and reaps it.
fn kill_at_random(root: &Path, args: &[&str], span: Duration, rng: &mut Rng) -> Duration {
    let span_ms = usize::try_from(span.as_millis())
        .unwrap_or(usize::MAX)
        .max(1);
    let after = Duration::from_millis(rng.below(span_ms) as u64);
    let mut child = spawn(root, args);
    std::thread::sleep(after);
    // Fails only when the run had already ended, which is one of the moments to try too.
    let _ = child.kill();
    child.wait().expect("reap");
    after
}

/// Sets the site's title, so that two builds differ on every page.
fn set_title(root: &Path, title: &str) {
    let config = root.join("config.toml");
    let text = std::fs::read_to_string(&config).expect("config");
    let re = regex::Regex::new(r#"(?m)^title = ".*"$"#).expect("pattern");
    assert!(re.is_match(&text), "the default config has a title line");
    let text = re.replace(&text, format!(r#"title = "{title}""#).as_str());
    std::fs::write(&config, text.as_bytes()).expect("write config");
}

/// The names in the site's folder that a build leaves behind when killed.
fn staging_leftovers(root: &Path) -> Vec<String> {
    std::fs::read_dir(root)
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public."))
        .collect()
}

/// Watches `path` from another thread until dropped, counting the checks that missed it.
struct Reader {
    stop: Arc<AtomicBool>,
    misses: Arc<AtomicUsize>,
    checks: Arc<AtomicUsize>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Reader {
    fn start(path: PathBuf) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let misses = Arc::new(AtomicUsize::new(0));
        let checks = Arc::new(AtomicUsize::new(0));
        let (s, m, c) = (stop.clone(), misses.clone(), checks.clone());
        let thread = std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                if std::fs::metadata(&path).is_err() {
                    m.fetch_add(1, Ordering::Relaxed);
                }
                c.fetch_add(1, Ordering::Relaxed);
                // Often enough to catch a gap of a few syscalls, without taking a whole core.
                std::thread::sleep(Duration::from_micros(100));
            }
        });
        Self {
            stop,
            misses,
            checks,
            thread: Some(thread),
        }
    }

    /// Stops the loop; returns (checks, misses).
    fn finish(mut self) -> (usize, usize) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            t.join().expect("reader");
        }
        (
            self.checks.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }
}

#[test]
fn a_killed_build_leaves_a_whole_site_and_the_next_build_a_clean_one() {
    let mut rng = Rng::new(seed("build"));
    let t = generated_site(BUILD_DECISIONS);
    let raw = t.root.join("raw").display().to_string();
    let import = t.run(&["import", &raw]);
    assert!(import.success, "{}", import.stderr);
    let titles = ["Digest A", "Digest B"];
    // One clean build of each title: every state `public/` may be in.
    let mut clean = Vec::new();
    let mut span = Duration::ZERO;
    for title in titles {
        set_title(&t.root, title);
        span = span.max(timed_run(&t, &["build"]));
        clean.push(tree(&t.public(), |_| false));
    }
    assert_ne!(
        clean[0], clean[1],
        "the two titles give two different builds"
    );
    let span = span.mul_f64(1.2);

    let reader = Reader::start(t.public().join("index.html"));
    let mut current = 1;
    for trial in 0..TRIALS {
        let next = trial % 2;
        set_title(&t.root, titles[next]);
        let after = kill_at_random(&t.root, &["build"], span, &mut rng);
        let now = tree(&t.public(), |_| false);
        let whole = if now == clean[current] {
            current
        } else if now == clean[next] {
            next
        } else {
            panic!("trial {trial}: killed after {after:?}, public/ is not one whole build");
        };
        current = whole;
    }
    let (checks, misses) = reader.finish();
    eprintln!("build: {TRIALS} kills, {checks} reads of public/index.html, {misses} missed");
    assert_eq!(
        misses, 0,
        "public/index.html was missing {misses} times of {checks}"
    );

    set_title(&t.root, titles[0]);
    timed_run(&t, &["build"]);
    assert!(
        tree(&t.public(), |_| false) == clean[0],
        "the next build equals a clean one"
    );
    assert_eq!(staging_leftovers(&t.root), Vec::<String>::new());
}

/// A temporary file of an atomic write.
fn is_temporary(name: &str) -> bool {
    name.starts_with(".casebook-") && name.ends_with(".tmp")
}

#[test]
fn a_killed_import_leaves_whole_files_and_the_next_run_a_clean_import() {
    let mut rng = Rng::new(seed("import"));
    // Only the generated pages, so that every content file is one import writes.
    let sites = [
        generated_site(IMPORT_DECISIONS),
        generated_site(IMPORT_DECISIONS),
    ];
    for site in &sites {
        std::fs::remove_dir_all(site.root.join("content/decisions")).expect("empty the site");
    }
    let [reference, t] = sites;
    let raw = reference.root.join("raw").display().to_string();
    let span = timed_run(&reference, &["import", &raw]).mul_f64(1.2);
    let expected = tree(&reference.root.join("content"), |_| false);

    let raw = t.root.join("raw").display().to_string();
    let content = t.root.join("content");
    let mut temporaries_seen = 0;
    for trial in 0..TRIALS {
        // Take away some of the imported files, so that each run has pages to write.
        for path in tree(&content.join("decisions"), |_| false).into_keys() {
            if rng.below(2) == 0 {
                let _ = std::fs::remove_file(content.join("decisions").join(path));
            }
        }
        let after = kill_at_random(&t.root, &["import", &raw], span, &mut rng);
        let now = tree(&content, is_temporary);
        temporaries_seen += tree(&content, |n| !is_temporary(n)).len();
        for (path, bytes) in &now {
            assert!(
                expected.get(path) == Some(bytes),
                "trial {trial}: killed after {after:?}, `{path}` is not a whole content file"
            );
        }
    }
    eprintln!("import: {TRIALS} kills, {temporaries_seen} temporary files found after them");

    let run = t.run(&["import", &raw]);
    assert!(run.success, "{}", run.stderr);
    let left: Vec<String> = tree(&t.root, |n| !is_temporary(n)).into_keys().collect();
    assert_eq!(left, Vec::<String>::new(), "no temporary file left");
    let now = tree(&content, |_| false);
    let differ: Vec<&String> = expected
        .keys()
        .chain(now.keys())
        .filter(|k| expected.get(*k) != now.get(*k))
        .collect();
    assert!(
        differ.is_empty(),
        "the next run ends equal to an uninterrupted import; these differ: {differ:?}"
    );
}

/// Decisions on the imitation website of the fetch test, beside the five seeds.
const FETCH_DECISIONS: usize = 25;
const FETCH_ARGS: [&str; 7] = [
    "fetch",
    "--since",
    "2025-01-01",
    "--until",
    "2025-02-28",
    "--delay",
    "0",
];

/// Asserts that every file in `now` is whole: byte for byte the file an uninterrupted run
/// wrote, or for the state file, a state an uninterrupted run could have written (a prefix
/// of its windows).
fn assert_fetched_files_whole(
    trial: usize,
    after: Duration,
    now: &BTreeMap<String, Vec<u8>>,
    expected: &BTreeMap<String, Vec<u8>>,
) {
    let state = "sources/.fetch-state.json";
    for (path, bytes) in now {
        if path == state {
            let now: serde_json::Value = serde_json::from_slice(bytes).unwrap_or_else(|e| {
                panic!("trial {trial}: killed after {after:?}, the state file is damaged: {e}")
            });
            let full: serde_json::Value =
                serde_json::from_slice(&expected[state]).expect("state JSON");
            let (now, full) = (&now["windows"], &full["windows"]);
            let n = now.as_array().map_or(usize::MAX, Vec::len);
            assert!(
                full.as_array().is_some_and(|w| n <= w.len() && w[..n] == now.as_array().expect("windows")[..]),
                "trial {trial}: killed after {after:?}, the state file is not one a run writes: {now}"
            );
            continue;
        }
        assert!(
            expected.get(path) == Some(bytes),
            "trial {trial}: killed after {after:?}, `{path}` is not a whole file"
        );
    }
    // A page is only ever kept with its sidecar, written after it: a sidecar names a page.
    for path in now.keys().filter(|p| p.ends_with(".html.json")) {
        let page = path.trim_end_matches(".json");
        assert!(
            now.contains_key(page),
            "trial {trial}: killed after {after:?}, `{path}` describes a page not kept"
        );
    }
}

#[test]
fn a_killed_fetch_leaves_whole_files_and_the_next_run_a_clean_fetch() {
    let mut rng = Rng::new(seed("fetch"));
    let website = lgo_site::Imitation::start(lgo_site::SiteData {
        entries: lgo_site::entries(
            FETCH_DECISIONS,
            chrono::NaiveDate::from_ymd_opt(2025, 1, 1).expect("date"),
        ),
        robots: Some("User-agent: *\nDisallow: /private/\n".into()),
        ..lgo_site::SiteData::default()
    });
    let reference_site = Site::new(&website.url(), "");
    let reference = &reference_site.root;
    let started = Instant::now();
    let run = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .arg("--root")
        .arg(reference)
        .args(FETCH_ARGS)
        .output()
        .expect("run casebook");
    let span = started.elapsed().mul_f64(1.2);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let expected = fetched_tree(reference);
    let pages = expected.keys().filter(|p| p.ends_with(".html")).count();
    assert_eq!(pages, FETCH_DECISIONS + 5, "every page fetched");

    let site = Site::new(&website.url(), "");
    let root = site.root.clone();
    let mut temporaries_seen = 0;
    for trial in 0..TRIALS {
        // Take away some pages (with their sidecars and content), and the state, which
        // would say their windows are done, so that each run has work to do.
        for path in fetched_tree(&root).into_keys() {
            let page = path.ends_with(".html") || path.ends_with(".md");
            if page && rng.below(2) == 0 {
                let _ = std::fs::remove_file(root.join(&path));
                let _ = std::fs::remove_file(root.join(format!("{path}.json")));
            }
        }
        let _ = std::fs::remove_file(root.join("sources/.fetch-state.json"));
        let after = kill_at_random(&root, &FETCH_ARGS, span, &mut rng);
        temporaries_seen += tree(&root, |n| !is_temporary(n)).len();
        assert_fetched_files_whole(trial, after, &fetched_tree(&root), &expected);
    }
    eprintln!("fetch: {TRIALS} kills within {span:?}, {temporaries_seen} temporary files found after them");

    let run = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .arg("--root")
        .arg(&root)
        .args(FETCH_ARGS)
        .output()
        .expect("run casebook");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let left: Vec<String> = tree(&root, |n| !is_temporary(n)).into_keys().collect();
    assert_eq!(left, Vec::<String>::new(), "no temporary file left");
    let now = fetched_tree(&root);
    let differ: Vec<&String> = expected
        .keys()
        .chain(now.keys())
        .filter(|k| expected.get(*k) != now.get(*k))
        .collect();
    let missing: Vec<&&String> = differ.iter().filter(|k| !now.contains_key(**k)).collect();
    assert!(
        differ.is_empty(),
        "the next run ends equal to an uninterrupted fetch; these differ: {differ:?}; missing: {missing:?}; stdout: {}",
        String::from_utf8_lossy(&run.stdout)
    );
}
