//! The preview's deferred work runs behind its answers. After a save, the pages it
//! changes are rebuilt at once, at the normal priority, so that the browser shows the
//! edit without delay; the files no page shows (the search index, the data files, the
//! sitemap: a second or more of work on a large site, redone whenever the site has been
//! quiet for a moment) are redone on a rayon pool of their own whose threads run, on
//! Linux, at a lower scheduling priority (nice 10). So while the search index is redone,
//! the server's threads and the next save's rebuild get the processors first. With
//! nothing else to do, the deferred work has the whole machine, as before.
//!
//! Linux keeps a nice value per thread, so lowering one thread leaves the server's alone.
//! Elsewhere the nice value is the whole process's, so nothing is lowered (the portable
//! fallback): the preview works the same, only without the priority.

use anyhow::Context;

/// The nice value the deferred work runs at (0 is normal, 19 the lowest).
pub const NICE: i32 = 10;

/// Lowers the calling thread's scheduling priority to [`NICE`] where a thread has its own;
/// does nothing elsewhere. A refusal is not an error: the work just runs at the priority
/// it had.
pub fn lower_this_thread() {
    #[cfg(target_os = "linux")]
    {
        // `None` is the calling thread on Linux, not the whole process.
        let _ = rustix::process::setpriority_process(None, NICE);
    }
}

/// The calling thread's nice value, where threads have their own (for tests and tools).
pub fn this_thread_nice() -> Option<i32> {
    #[cfg(target_os = "linux")]
    {
        rustix::process::getpriority_process(None).ok()
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

/// The rayon pool for the preview's deferred work: as many threads as rayon would use,
/// each at the lower priority.
pub fn pool() -> anyhow::Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("casebook deferred {i}"))
        .start_handler(|_| lower_this_thread())
        .build()
        .context("cannot start the threads for deferred work")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowers_only_the_thread_that_asks() {
        let before = this_thread_nice();
        let lowered = std::thread::spawn(|| {
            lower_this_thread();
            this_thread_nice()
        })
        .join()
        .ok()
        .flatten();
        assert_eq!(
            this_thread_nice(),
            before,
            "the caller's priority is unchanged"
        );
        if cfg!(target_os = "linux") {
            // A thread starting at nice 0 (or already lower) ends at least at NICE.
            assert!(lowered.is_some_and(|n| n >= NICE), "lowered to {lowered:?}");
        } else {
            assert_eq!(lowered, None);
        }
    }

    #[test]
    fn runs_the_pools_work_at_the_lower_priority() {
        let Ok(pool) = pool() else {
            panic!("the pool starts");
        };
        let nice: Vec<Option<i32>> = pool.broadcast(|_| this_thread_nice());
        if cfg!(target_os = "linux") {
            assert!(
                nice.iter().all(|n| n.is_some_and(|n| n >= NICE)),
                "{nice:?}"
            );
        }
    }
}
