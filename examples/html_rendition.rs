//! Writes the HTML rendition of a text decision page:
//! `cargo run --example html_rendition -- PAGE.txt > PAGE.html`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: html_rendition <page.txt>");
        return ExitCode::FAILURE;
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    match casebook::corpus::html::rendition(&text) {
        Some(html) => {
            print!("{html}");
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("{path}: not a decision page");
            ExitCode::FAILURE
        }
    }
}
