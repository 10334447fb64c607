//! The `casebook` binary: parse the command line, run the step, set the exit code.

use std::process::ExitCode;

use clap::Parser;

use casebook::cli::{Cli, Command};
use casebook::cmd;

// glibc's allocator spends a third of a 100,000-decision build in malloc and free once
// the heap is large and shared by rayon's threads; mimalloc keeps allocation cheap. It is
// built without transparent huge pages (the `no_thp` feature): with them it asked the
// kernel to back its regions with 2 MiB pages, each resident whole however little of it is
// used, and as the kernel merged pages in the background a `serve` left running grew by
// 50 MB in ten minutes of saves, and a build's peak was 5 to 15% higher.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Import(args) => cmd::import::run(&cli.root, args),
        Command::Fetch(args) => cmd::fetch::run(&cli.root, args),
        Command::Build(args) => cmd::build::run(&cli.root, args),
        Command::Serve(args) => cmd::serve::run(&cli.root, args),
        Command::Watch(args) => cmd::watch::run(&cli.root, args),
        Command::Check(args) => cmd::check::run(&cli.root, args),
        Command::Init(args) => cmd::init::run(args),
    };
    casebook::stats::report_peak_memory();
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
