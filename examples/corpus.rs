//! Writes a synthetic corpus of raw decision pages:
//! `cargo run --release --example corpus -- N DIR [--html]`.
//!
//! The pages come from `casebook::corpus::page`, in the layouts of the real seeds; with
//! `--html` each is written as the website's HTML (`casebook::corpus::html`) instead of
//! text. Import them with `casebook --root SITE import DIR`.

use std::path::PathBuf;
use std::process::ExitCode;

use rayon::prelude::*;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(n), Some(dir)) = (
        args.first().and_then(|n| n.parse::<usize>().ok()),
        args.get(1),
    ) else {
        eprintln!("usage: corpus <number of pages> <folder>");
        return ExitCode::FAILURE;
    };
    let dir = PathBuf::from(dir);
    let html = args.iter().any(|a| a == "--html");
    let result: std::io::Result<()> = (0..n).into_par_iter().try_for_each(|i| {
        let page = casebook::corpus::page(i);
        match casebook::corpus::html::rendition(&page.text).filter(|_| html) {
            Some(markup) => casebook::fs::write_atomic(
                &dir.join(page.file_name.replace(".txt", ".html")),
                markup.as_bytes(),
            ),
            None => casebook::fs::write_atomic(&dir.join(&page.file_name), page.text.as_bytes()),
        }
    });
    match result {
        Ok(()) => {
            println!("wrote {n} pages to {}", dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
