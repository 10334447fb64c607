//! Writes a synthetic corpus of raw decision pages:
//! `cargo run --release --example corpus -- [--small] [--html] N DIR`.
//!
//! The pages come from `casebook::corpus`, in the layouts of the real seeds and as long as
//! real decisions (1,500 to 3,500 words); `--small` writes the short pages of earlier
//! benchmarks (about 3 KB each) instead. With `--html` each is written as the website's
//! HTML (`casebook::corpus::html`) instead of text. Import them with
//! `casebook --root SITE import DIR`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

use casebook::corpus::Size;
use rayon::prelude::*;

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut flag = |name: &str| match args.iter().position(|a| a == name) {
        Some(at) => {
            args.remove(at);
            true
        }
        None => false,
    };
    let size = if flag("--small") {
        Size::Small
    } else {
        Size::Real
    };
    let html = flag("--html");
    let (Some(n), Some(dir)) = (
        args.first().and_then(|n| n.parse::<usize>().ok()),
        args.get(1),
    ) else {
        eprintln!("usage: corpus [--small] [--html] <number of pages> <folder>");
        return ExitCode::FAILURE;
    };
    let dir = PathBuf::from(dir);
    let bytes = AtomicUsize::new(0);
    let result: std::io::Result<()> = (0..n).into_par_iter().try_for_each(|i| {
        let page = casebook::corpus::page_of(size, i);
        match casebook::corpus::html::rendition(&page.text).filter(|_| html) {
            Some(markup) => {
                bytes.fetch_add(markup.len(), Ordering::Relaxed);
                casebook::fs::write_atomic(
                    &dir.join(page.file_name.replace(".txt", ".html")),
                    markup.as_bytes(),
                )
            }
            None => {
                bytes.fetch_add(page.text.len(), Ordering::Relaxed);
                casebook::fs::write_atomic(&dir.join(&page.file_name), page.text.as_bytes())
            }
        }
    });
    match result {
        Ok(()) => {
            #[allow(clippy::cast_precision_loss, reason = "a size shown to one decimal")]
            let mb = bytes.into_inner() as f64 / 1e6;
            println!("wrote {n} pages ({mb:.1} MB) to {}", dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
