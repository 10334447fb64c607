//! Serves a site folder with the fake builder from tests/support/fake_site.rs, for trying
//! the preview by hand before the real build is wired in:
//! `cargo run --example serve_fake -- <site-dir> [port]`.

#[path = "../tests/support/fake_site.rs"]
mod fake_site;

use std::path::PathBuf;

use casebook::serve::{Preview, ServeOptions};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().unwrap_or_else(|| ".".to_string()));
    let port = args.next().map_or(Ok(1111), |p| p.parse())?;
    let options = ServeOptions {
        port,
        ..ServeOptions::default()
    };
    let preview = Preview::start(&root, Box::new(fake_site::FakeSite::new(&root)), &options)?;
    eprintln!("serving {} on http://{}", root.display(), preview.addr());
    preview.wait_for_ctrl_c()
}
