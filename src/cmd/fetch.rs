//! `casebook fetch`: fetch decision pages into `sources/`, then import them with
//! `casebook import`'s rules. Prints each failure with its address, a progress bar on a
//! terminal, and one closing line of counts; exits non-zero when anything failed.

use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use indicatif::ProgressBar;

use crate::cli::FetchArgs;
use crate::config::{Overrides, Settings};
use crate::fetch::{self, FetchOptions, FetchReport, Observer};

/// The exit code of a run stopped by Ctrl-C (128 + SIGINT), as shells expect.
const INTERRUPTED: u8 = 130;

/// Runs `casebook fetch`.
pub fn run(root: &Path, args: &FetchArgs) -> anyhow::Result<ExitCode> {
    let settings = match Settings::load(root, &Overrides::default()) {
        Ok(s) => s,
        Err(problems) => {
            for p in &problems {
                eprintln!("{p}");
            }
            eprintln!("nothing was fetched: config.toml has problems");
            return Ok(ExitCode::FAILURE);
        }
    };
    let options = options(args)?;
    // Held to the end of the import that follows the fetch.
    let _lock = fetch::lock(root)?;
    let interrupted = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&interrupted);
    // The first Ctrl-C lets the page being written finish and the state be saved; a
    // second one ends at once (every write is atomic, so nothing is left half-written).
    let handler = ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            std::process::exit(i32::from(INTERRUPTED));
        }
    });
    if let Err(e) = handler {
        eprintln!("warning: Ctrl-C will stop the fetch at once ({e})");
    }
    let mut bar = Bar::new();
    let report = fetch::fetch(&settings, &options, interrupted, &mut bar)?;
    bar.0.finish_and_clear();
    if report.interrupted {
        eprintln!("interrupted: what was fetched is kept; run the same command to go on");
    }
    let mut not_imported = 0;
    let mut failed = !report.failures.is_empty();
    if !report.pages.is_empty() {
        let imported = crate::cmd::import::import_paths(root, &report.pages, false)?;
        crate::cmd::import::print_report(&imported);
        not_imported = imported.failed;
        failed |= imported.failed > 0;
        // A page that failed to import stays listed, so the next fetch tries it again
        // (a later casebook may read it) and says so again.
        if let Err(e) = fetch::imported(root, &imported.failed_pages) {
            eprintln!("warning: could not record the import in the fetch state: {e}");
            failed = true;
        }
    }
    println!("{}", summary(&report, not_imported));
    Ok(if report.interrupted {
        ExitCode::from(INTERRUPTED)
    } else if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn options(args: &FetchArgs) -> anyhow::Result<FetchOptions> {
    let delay = match args.delay {
        Some(secs) => Some(Duration::try_from_secs_f64(secs).map_err(|_| {
            anyhow::anyhow!("--delay {secs}: expected a number of seconds, 0 or more")
        })?),
        None => None,
    };
    Ok(FetchOptions {
        urls: args.urls.clone(),
        since: args.since,
        until: args.until,
        category: args.category.clone(),
        subcategory: args.subcategory.clone(),
        delay,
    })
}

/// The closing line: every count of the run; `failed` counts the fetch's failures and
/// the pages its import could not import.
pub fn summary(r: &FetchReport, not_imported: usize) -> String {
    let filtered = if r.wanted == r.links {
        String::new()
    } else {
        format!(" ({} kept by the filter)", r.wanted)
    };
    format!(
        "fetch: windows {}/{}, links {}{filtered}, fetched {}, unchanged {}, already had {}, failed {}",
        r.windows_done,
        r.windows_planned,
        r.links,
        r.fetched,
        r.unchanged,
        r.already_had,
        r.failures.len() + not_imported
    )
}

/// The progress bar (hidden when stderr is not a terminal); failures are printed above it.
struct Bar(ProgressBar);

impl Bar {
    fn new() -> Self {
        Self(crate::progress::status("fetching"))
    }
}

impl Observer for Bar {
    fn progress(&mut self, r: &FetchReport) {
        let done = r.fetched + r.unchanged + r.already_had + r.failures.len();
        self.0.set_length(r.wanted.max(done) as u64);
        self.0.set_position(done as u64);
        self.0.set_message(format!(
            "windows {}/{}, links {}, fetched {}, unchanged {}, failed {}",
            r.windows_done,
            r.windows_planned,
            r.links,
            r.fetched,
            r.unchanged,
            r.failures.len()
        ));
    }

    fn failure(&mut self, message: &str) {
        self.0.suspend(|| eprintln!("error: {message}"));
    }
}
