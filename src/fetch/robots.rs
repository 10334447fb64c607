//! The website's robots.txt, read with `texting_robots`: which addresses casebook may
//! fetch, and the crawl delay the site asks for. Pure: the client fetches the file.

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

    /// The `Crawl-delay` the site asks for, if any.
    pub fn crawl_delay(&self) -> Option<Duration> {
        let secs = self.robot.as_ref()?.delay?;
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
    fn allows_everything_without_rules() {
        assert!(Robots::allow_all().allowed("https://x.org/anything"));
        assert!(Robots::parse(b"\xff\xfe garbage").allowed("https://x.org/decisions/"));
    }
}
