//! When the deferred work (the files no page shows: data, search index, sitemap) may
//! start: when some is due and the site has been quiet long enough (the rebuild loop
//! itself knows whether a run is still going).
//!
//! "Long enough" is a moment, until a run is overtaken by a newer save and dropped. Then
//! it is as long as that run took: saves coming faster than the work finishes would only
//! drop it again, and each dropped run costs a second or more of both processors and a
//! few hundred MB on a large site. Once a run is accepted it is a moment again.

use std::time::{Duration, Instant};

/// The deferred work's schedule, driven by the rebuild loop.
#[derive(Debug, Clone)]
pub struct Schedule {
    due: bool,
    last_change: Instant,
    quiet_needed: Duration,
}

impl Schedule {
    /// Nothing due, nothing running; the site last changed at `now`.
    pub fn new(now: Instant) -> Self {
        Self {
            due: false,
            last_change: now,
            quiet_needed: Duration::ZERO,
        }
    }

    /// The site changed at `now`; `makes_due` when the rebuild left deferred work to do.
    pub fn changed(&mut self, now: Instant, makes_due: bool) {
        self.last_change = now;
        self.due |= makes_due;
    }

    /// Whether a run may start at `now` (the loop has just seen a quiet moment and has no
    /// run going).
    pub fn may_start(&self, now: Instant) -> bool {
        self.due && now.duration_since(self.last_change) >= self.quiet_needed
    }

    /// A run started, or the work was done at once.
    pub fn started(&mut self) {
        self.due = false;
    }

    /// The run finished and its files were taken.
    pub fn accepted(&mut self) {
        self.quiet_needed = Duration::ZERO;
    }

    /// The running run finished after a newer save, which it took `took` to be overtaken
    /// by: its files are dropped and the work is due again, once the site has been quiet
    /// for `took`.
    pub fn overtaken(&mut self, took: Duration) {
        self.due = true;
        self.quiet_needed = took;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn starts_at_the_first_quiet_moment_after_a_save() {
        let t0 = Instant::now();
        let mut s = Schedule::new(t0);
        assert!(!s.may_start(t0 + ms(500)), "nothing is due");
        s.changed(t0 + ms(10), true);
        assert!(s.may_start(t0 + ms(110)));
        s.started();
        assert!(!s.may_start(t0 + ms(200)), "what was due has started");
        s.accepted();
        assert!(!s.may_start(t0 + ms(300)), "nothing is due again");
    }

    #[test]
    fn waits_as_long_as_an_overtaken_run_took_before_starting_again() {
        let t0 = Instant::now();
        let mut s = Schedule::new(t0);
        s.changed(t0, true);
        s.started();
        // Saves every 100 ms while the run takes 1.9 s: it is overtaken.
        s.changed(t0 + ms(1_800), true);
        s.overtaken(ms(1_900));
        assert!(!s.may_start(t0 + ms(2_000)), "saves are still coming");
        s.changed(t0 + ms(2_000), true);
        assert!(
            !s.may_start(t0 + ms(3_800)),
            "quiet for 1.8 s, less than 1.9 s"
        );
        assert!(
            s.may_start(t0 + ms(3_900)),
            "quiet for as long as the run took"
        );
        s.started();
        s.accepted();
        s.changed(t0 + ms(5_000), true);
        assert!(
            s.may_start(t0 + ms(5_100)),
            "after a run is accepted, a moment's quiet is enough again"
        );
    }

    #[test]
    fn a_save_after_a_start_makes_the_work_due_again() {
        let t0 = Instant::now();
        let mut s = Schedule::new(t0);
        s.changed(t0, true);
        s.started();
        s.changed(t0 + ms(50), true);
        assert!(s.may_start(t0 + ms(150)));
    }
}
