//! `casebook init`.

use std::process::ExitCode;

use crate::cli::InitArgs;

/// Runs `casebook init`.
pub fn run(_args: &InitArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`casebook init` is not available in this version yet")
}
