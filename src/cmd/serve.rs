//! `casebook serve`.

use std::path::Path;
use std::process::ExitCode;

use crate::cli::ServeArgs;

/// Runs `casebook serve`.
pub fn run(_root: &Path, _args: &ServeArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`casebook serve` is not available in this version yet")
}
