//! `casebook build`: read the config, build into a staging folder, swap it over the
//! output when everything went through, and print every problem and a one-line summary.

use std::path::Path;
use std::process::ExitCode;

use crate::cli::BuildArgs;
use crate::config::{Overrides, Settings};
use crate::diagnostics::Diagnostic;

/// Runs `casebook build`.
pub fn run(root: &Path, args: &BuildArgs) -> anyhow::Result<ExitCode> {
    let overrides = Overrides {
        base_url: args.base_url.clone(),
        output: args.output.clone(),
    };
    let settings = match Settings::load(root, &overrides) {
        Ok(s) => s,
        Err(problems) => {
            // Still check the content, so that one run reports every problem.
            let (_, content_problems) =
                crate::inputs::load_decisions(&root.join("content").join("decisions"));
            print_all(&problems);
            print_all(&content_problems);
            eprintln!("the build did not start: config.toml has problems");
            return Ok(ExitCode::FAILURE);
        }
    };
    let base_url_warning: Vec<Diagnostic> = settings.base_url_warning().into_iter().collect();
    match crate::build_to_disk(&settings) {
        Ok(report) => {
            print_all(&report.warnings);
            print_all(&base_url_warning);
            super::print_timings(&report);
            println!("{}", report.summary());
            Ok(ExitCode::SUCCESS)
        }
        Err(failure) => {
            print_all(&failure.diagnostics);
            eprintln!(
                "{failure}; `{}` was left as it was",
                settings.output.display()
            );
            Ok(ExitCode::FAILURE)
        }
    }
}

fn print_all(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}");
    }
}
