//! `casebook watch`: build `public/` and rebuild it on every change, without a server.

use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use crate::cli::BuildArgs;
use crate::serve::adapter::SiteBuild;
use crate::serve::{disk, report, run_rebuilds, LiveSite, Rebuild, Rebuilt};
use crate::watch::{SiteWatcher, DEBOUNCE};

/// Runs `casebook watch` until the process is stopped.
pub fn run(root: &Path, args: &BuildArgs) -> anyhow::Result<ExitCode> {
    let rebuild = Box::new(SiteBuild::new(root, args.base_url.clone()));
    let out = args.output.clone().unwrap_or_else(|| root.join("public"));
    eprintln!("watching {} (Ctrl-C to stop)", root.display());
    watch_into(root, &out, rebuild, &AtomicBool::new(false))?;
    Ok(ExitCode::SUCCESS)
}

/// Builds the site into `out`, then rebuilds it there on every change until `stop` is set.
pub fn watch_into(
    root: &Path,
    out: &Path,
    rebuild: Box<dyn Rebuild>,
    stop: &AtomicBool,
) -> anyhow::Result<()> {
    let mut watcher = SiteWatcher::start(root, DEBOUNCE)?;
    watcher.ignore(out);
    let mut live = LiveSite::new(rebuild);
    let started = Instant::now();
    let first = live.build_full();
    write_or_report(out, &first, watcher.root());
    report(&first, &[], started.elapsed(), watcher.root());
    run_rebuilds(&mut watcher, &mut live, stop, None, |rebuilt, site_root| {
        write_or_report(out, &rebuilt, site_root);
    });
    Ok(())
}

fn write_or_report(out: &Path, rebuilt: &Rebuilt, _root: &Path) {
    if let Err(e) = disk::write_rebuilt(out, rebuilt) {
        eprintln!("error: writing {}: {e:#}", out.display());
    }
}
