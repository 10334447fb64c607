//! `casebook check`.

use std::path::Path;
use std::process::ExitCode;

use crate::cli::CheckArgs;

/// Runs `casebook check`.
pub fn run(_root: &Path, _args: &CheckArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`casebook check` is not available in this version yet")
}
