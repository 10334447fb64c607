//! Process figures for benchmark reports: peak resident memory, read from the kernel.

/// The process's peak resident set size in bytes (`VmHWM` in `/proc/self/status`), where
/// the platform reports it.
pub fn peak_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Prints `peak memory: N MiB` on stderr when `CASEBOOK_REPORT_PEAK_MEMORY` is set, so a
/// benchmark can read the figure of the process it ran.
pub fn report_peak_memory() {
    if std::env::var_os("CASEBOOK_REPORT_PEAK_MEMORY").is_some() {
        if let Some(bytes) = peak_memory_bytes() {
            #[allow(clippy::cast_precision_loss, reason = "a display figure")]
            let mib = bytes as f64 / 1_048_576.0;
            eprintln!("peak memory: {mib:.1} MiB");
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn can_read_peak_memory_on_linux() {
        if cfg!(target_os = "linux") {
            assert!(super::peak_memory_bytes().is_some_and(|b| b > 0));
        }
    }
}
