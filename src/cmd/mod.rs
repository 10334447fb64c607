//! One module per subcommand: each turns parsed flags into calls on the library and
//! prints what happened. Each `run` returns the process exit code.

pub mod build;
pub mod check;
pub mod fetch;
pub mod import;
pub mod init;
pub mod serve;
pub mod watch;

/// With `CASEBOOK_TIMINGS` set, prints each step's seconds and the peak memory after it
/// (for `scripts/bench.sh` and profiling; not a setting for sites).
fn print_timings(report: &crate::BuildReport) {
    if std::env::var_os("CASEBOOK_TIMINGS").is_none() {
        return;
    }
    for (step, secs, _) in &report.steps {
        eprintln!("timing: {step} {secs:.3} s");
    }
    for (step, _, peak) in &report.steps {
        if let Some(bytes) = peak {
            #[allow(clippy::cast_precision_loss, reason = "a display figure")]
            let mib = *bytes as f64 / 1_048_576.0;
            eprintln!("memory: peak {mib:.1} MiB after {step}");
        }
    }
}
