//! `casebook watch`.

use std::path::Path;
use std::process::ExitCode;

use crate::cli::BuildArgs;

/// Runs `casebook watch`.
pub fn run(_root: &Path, _args: &BuildArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`casebook watch` is not available in this version yet")
}
