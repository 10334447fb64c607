//! `casebook serve`: build the site into memory, serve it on loopback, and reload the
//! browser on every change.

use std::net::IpAddr;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use crate::cli::ServeArgs;
use crate::serve::adapter::SiteBuild;
use crate::serve::{bind_warning, Preview, ServeOptions};

/// Runs `casebook serve` until Ctrl-C.
pub fn run(root: &Path, args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let bind: IpAddr = args
        .bind
        .parse()
        .with_context(|| format!("--bind `{}` is not an IP address", args.bind))?;
    if let Some(warning) = bind_warning(bind) {
        eprintln!("{warning}");
    }
    let options = ServeOptions {
        bind,
        port: args.port,
        ..ServeOptions::default()
    };
    let base_url = args
        .base_url
        .clone()
        .unwrap_or_else(|| local_url(bind, args.port));
    let rebuild = Box::new(SiteBuild::staged(root, Some(base_url)));
    let preview = Preview::start(root, rebuild, &options)?;
    eprintln!(
        "serving {} on {} (Ctrl-C to stop)",
        root.display(),
        local_url(preview.addr().ip(), preview.addr().port())
    );
    preview.wait_for_ctrl_c()?;
    Ok(ExitCode::SUCCESS)
}

fn local_url(ip: IpAddr, port: u16) -> String {
    match ip {
        IpAddr::V6(v6) => format!("http://[{v6}]:{port}"),
        IpAddr::V4(v4) => format!("http://{v4}:{port}"),
    }
}
