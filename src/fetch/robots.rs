//! The website's robots.txt, read with `texting_robots`: which addresses casebook may
//! fetch, and the crawl delay the site asks for. Pure: the client fetches the file, and
//! once it is given these rules ([`super::client::Client::obey`]) checks every request
//! against them, redirects included.

use std::time::Duration;

use texting_robots::Robot;

/// The rules for casebook on one website.
pub struct Robots {
    robot: Option<Robot>,
}

impl std::fmt::Debug for Robots {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Robots")
            .field("rules", &self.robot.is_some())
            .finish()
    }
}

/// The agent name matched against `User-agent:` lines.
pub const AGENT: &str = "casebook";

/// The longest Crawl-delay casebook reads: one day. A day between requests already means
/// one page a day, so a larger figure (`1e30`, `inf`) is read as one day rather than
/// thrown away: the site's wish to be fetched slowly is kept, and the wait stays one the
/// clock can add to now (`1e30` seconds is no `Duration` at all, and
/// `Duration::from_secs_f32` panics on it).
pub const MAX_CRAWL_DELAY: Duration = Duration::from_secs(24 * 60 * 60);

impl Robots {
    /// Rules from the text of a robots.txt. A file that cannot be read as rules allows
    /// everything, as a missing file does (RFC 9309, section 2.3.1.3).
    pub fn parse(text: &[u8]) -> Self {
        Self {
            robot: Robot::new(AGENT, text).ok(),
        }
    }

    /// No robots.txt (the site answered 404): everything is allowed.
    pub fn allow_all() -> Self {
        Self { robot: None }
    }

    /// Whether `url` may be fetched.
    pub fn allowed(&self, url: &str) -> bool {
        self.robot.as_ref().is_none_or(|r| r.allowed(url))
    }

    /// The `Crawl-delay` the site asks for, if any, at most [`MAX_CRAWL_DELAY`].
    pub fn crawl_delay(&self) -> Option<Duration> {
        crawl_delay(self.robot.as_ref()?.delay?)
    }
}

/// A Crawl-delay of `secs` seconds as a wait: none for a figure that is not a number or is
/// negative (as if the line were not there), and at most [`MAX_CRAWL_DELAY`].
fn crawl_delay(secs: f32) -> Option<Duration> {
    if secs.is_nan() || secs < 0.0 {
        None
    } else if secs >= MAX_CRAWL_DELAY.as_secs_f32() {
        Some(MAX_CRAWL_DELAY)
    } else {
        Duration::try_from_secs_f32(secs).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_disallow_decisions_for_every_agent() {
        let r = Robots::parse(b"User-agent: *\nDisallow: /decisions/\n");
        assert!(!r.allowed("https://x.org/decisions/housing/homelessness/24-005-444"));
        assert!(r.allowed("https://x.org/Decisions/SearchResults?fd=2025-01-01"));
    }

    #[test]
    fn can_follow_rules_for_casebook_by_name_and_a_crawl_delay() {
        let text =
            b"User-agent: *\nDisallow: /\n\nUser-agent: casebook\nAllow: /\nCrawl-delay: 5\n";
        let r = Robots::parse(text);
        assert!(r.allowed("https://x.org/decisions/a/b/24-005-444"));
        assert_eq!(r.crawl_delay(), Some(Duration::from_secs(5)));
    }

    #[test]
    fn honours_a_long_crawl_delay_in_full() {
        let r = Robots::parse(b"User-agent: *\nCrawl-delay: 300\n");
        assert_eq!(r.crawl_delay(), Some(Duration::from_secs(300)));
    }

    #[test]
    fn reads_a_huge_crawl_delay_as_one_day_and_ignores_a_nonsensical_one() {
        let day = MAX_CRAWL_DELAY;
        assert_eq!(day, Duration::from_secs(24 * 60 * 60));
        for huge in ["86401", "1e30", "1e40", "inf"] {
            let r = Robots::parse(format!("User-agent: *\nCrawl-delay: {huge}\n").as_bytes());
            assert_eq!(r.crawl_delay(), Some(day), "Crawl-delay: {huge}");
        }
        for nonsense in ["-5", "NaN", "-inf", "soon", ""] {
            let text = format!("User-agent: *\nDisallow: /private/\nCrawl-delay: {nonsense}\n");
            let r = Robots::parse(text.as_bytes());
            assert_eq!(r.crawl_delay(), None, "Crawl-delay: {nonsense}");
            assert!(
                !r.allowed("https://x.org/private/a"),
                "the rest of the file still counts"
            );
        }
    }

    #[test]
    fn can_read_any_figure_as_a_crawl_delay_without_panicking() {
        assert_eq!(crawl_delay(0.5), Some(Duration::from_millis(500)));
        assert_eq!(crawl_delay(0.0), Some(Duration::ZERO));
        assert_eq!(crawl_delay(-0.0), Some(Duration::ZERO));
        for huge in [86_400.0, 1e30, f32::MAX, f32::INFINITY] {
            assert_eq!(crawl_delay(huge), Some(MAX_CRAWL_DELAY), "{huge}");
        }
        for nonsense in [-1.0, -1e30, f32::NEG_INFINITY, f32::NAN] {
            assert_eq!(crawl_delay(nonsense), None, "{nonsense}");
        }
    }

    #[test]
    fn allows_everything_without_rules() {
        assert!(Robots::allow_all().allowed("https://x.org/anything"));
        assert!(Robots::parse(b"\xff\xfe garbage").allowed("https://x.org/decisions/"));
    }
}
