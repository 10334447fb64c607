//! `casebook build`.

use std::path::Path;
use std::process::ExitCode;

use crate::cli::BuildArgs;

/// Runs `casebook build`.
pub fn run(_root: &Path, _args: &BuildArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`casebook build` is not available in this version yet")
}
