//! The one place casebook talks to the network: a polite HTTP client for one website.
//!
//! One request at a time, at least `delay` apart (longer when robots.txt asks, by
//! [`Client::at_least`]); a User-Agent naming casebook, its version and a contact;
//! conditional requests; 429 and 503 waited out as `Retry-After` says (or with a doubling
//! back-off), a bounded number of times; connect and read timeouts; a maximum page size;
//! redirects followed only within the website (one with no `Location` is an error at
//! once); cookies kept for the session. Once the caller has read robots.txt and handed its
//! rules over ([`Client::obey`]), every request is checked against them before it is made:
//! the first and each redirect. robots.txt itself is always fetched, and asked for as
//! text. An error met after a redirect names the address it was met at.
//! Everything else is the caller's.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use url::Url;

use super::robots::Robots;
use crate::config::FetchConfig;

/// The longest casebook waits before trying a request again (what `Retry-After` or the
/// back-off may ask; a robots.txt Crawl-delay is not bounded by it).
pub const MAX_WAIT: Duration = Duration::from_secs(120);
const MAX_REDIRECTS: usize = 5;

/// The `Accept` of every request but robots.txt's: the pages casebook reads are HTML.
const ACCEPT_PAGE: &str = "text/html,application/xhtml+xml";
/// The `Accept` of robots.txt, which is plain text (RFC 9309), whatever a server calls it.
const ACCEPT_ROBOTS_TXT: &str = "text/plain, */*;q=0.5";

/// What a page was last served with, to ask only for a changed page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// The `ETag` header.
    pub etag: Option<String>,
    /// The `Last-Modified` header.
    pub last_modified: Option<String>,
}

/// A page as served.
#[derive(Debug, Clone)]
pub struct Page {
    /// The address it came from, after redirects within the website.
    pub url: Url,
    /// Its bytes.
    pub body: Vec<u8>,
    /// Its validators, for the next conditional request.
    pub validators: Validators,
}

/// A successful answer.
#[derive(Debug, Clone)]
pub enum Answer {
    /// 200 with a page.
    Page(Page),
    /// 304: the page has not changed since the validators were given.
    NotModified,
}

/// Why a request gave no page.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// A status other than 200, 304, a redirect, 429 or 503, from the address asked for
    /// (or, for robots.txt, a 4xx wherever a redirect led: the caller reads any 4xx for
    /// robots.txt as no rules, as RFC 9309 says, and matches on this variant).
    #[error("the website answered {0}")]
    Status(u16),
    /// As [`FetchError::Status`], from the address a redirect led to.
    #[error("the website answered {status} at {url} (redirected from the address asked for)")]
    StatusAfterRedirect {
        /// The status.
        status: u16,
        /// The address that answered it.
        url: String,
    },
    /// 429 or 503 every time.
    #[error("the website answered {status} {tries} times; gave up (run again later)")]
    Busy {
        /// The last status.
        status: u16,
        /// How many requests were made.
        tries: u32,
    },
    /// Asked to wait longer than casebook waits.
    #[error("the website answered {status} and asked to wait {seconds} s, longer than casebook waits ({} s)", MAX_WAIT.as_secs())]
    WaitTooLong {
        /// The status.
        status: u16,
        /// What `Retry-After` said.
        seconds: u64,
    },
    /// A redirect out of the website, or a broken one.
    #[error("redirected to {0}, outside the website; not followed")]
    Redirect(String),
    /// A redirect status with no `Location` (or an empty one) to follow.
    #[error("the website answered {0} with no Location to follow")]
    NoLocation(u16),
    /// An address robots.txt does not allow, asked for or redirected to; not requested.
    #[error("robots.txt does not allow casebook to fetch {0}; not requested")]
    Disallowed(String),
    /// More redirects than casebook follows.
    #[error("more than {MAX_REDIRECTS} redirects")]
    TooManyRedirects,
    /// The body is over the size limit.
    #[error("the page is larger than {0} bytes (`[fetch] max_page_bytes`); not kept")]
    TooLarge(u64),
    /// No answer in time.
    #[error("no answer within the timeout ({0})")]
    Timeout(String),
    /// The answer stopped before its end.
    #[error("the answer was cut off before its end ({0}); nothing kept")]
    Truncated(String),
    /// No connection.
    #[error("network error: {0}")]
    Network(String),
    /// Ctrl-C.
    #[error("interrupted")]
    Interrupted,
    /// Any of the above that does not name an address, met at the address a redirect
    /// led to (a status there is [`FetchError::StatusAfterRedirect`]).
    #[error("{error}, at {url} (redirected from the address asked for)")]
    AfterRedirect {
        /// The address that gave the error.
        url: String,
        /// What went wrong there.
        error: Box<FetchError>,
    },
}

impl FetchError {
    /// True when the website could not be reached at all (the network is gone, the
    /// server is down), as opposed to one page going wrong.
    pub fn is_unreachable(&self) -> bool {
        match self {
            FetchError::AfterRedirect { error, .. } => error.is_unreachable(),
            e => matches!(e, FetchError::Network(_) | FetchError::Timeout(_)),
        }
    }

    /// True when the website asked casebook to slow down (429 or 503 after every try, or a
    /// `Retry-After` longer than casebook waits).
    pub fn slows_down(&self) -> bool {
        match self {
            FetchError::AfterRedirect { error, .. } => error.slows_down(),
            e => matches!(e, FetchError::Busy { .. } | FetchError::WaitTooLong { .. }),
        }
    }

    /// This error as met at `url`: wrapped in [`FetchError::AfterRedirect`] when `url` is
    /// not the address asked for and the error does not already name it.
    fn at(self, url: &Url, asked: &Url) -> FetchError {
        // A bare status after a redirect is robots.txt's 4xx, which the caller reads as
        // no rules wherever it came from; any other is `StatusAfterRedirect`.
        let names_it = matches!(
            self,
            FetchError::Status(_)
                | FetchError::Redirect(_)
                | FetchError::Disallowed(_)
                | FetchError::StatusAfterRedirect { .. }
                | FetchError::TooManyRedirects
                | FetchError::Interrupted
                | FetchError::AfterRedirect { .. }
        );
        if url == asked || names_it {
            self
        } else {
            FetchError::AfterRedirect {
                url: url.to_string(),
                error: Box::new(self),
            }
        }
    }
}

/// The polite client for one website.
#[derive(Debug)]
pub struct Client {
    agent: ureq::Agent,
    origin: Url,
    delay: Duration,
    max_page_bytes: u64,
    retries: u32,
    last_request: Option<Instant>,
    interrupted: Arc<AtomicBool>,
    requests: usize,
    /// The rules every request is checked against; everything is allowed until
    /// [`Client::obey`] is given the website's.
    robots: Robots,
}

/// The User-Agent: `casebook/<version> (+<contact>)`.
pub fn user_agent(contact: &str) -> String {
    format!("casebook/{} (+{contact})", env!("CARGO_PKG_VERSION"))
}

impl Client {
    /// A client for the website at `origin`, with the config's limits. `interrupted` is
    /// checked before each request and during each wait.
    pub fn new(
        origin: Url,
        config: &FetchConfig,
        contact: &str,
        interrupted: Arc<AtomicBool>,
    ) -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(user_agent(contact))
            .timeout_connect(Some(config.timeout))
            .timeout_per_read(Some(config.timeout))
            .timeout_per_call(Some(config.timeout.saturating_mul(4)))
            .build()
            .into();
        Self {
            agent,
            origin,
            delay: config.delay,
            max_page_bytes: config.max_page_bytes,
            retries: config.retries,
            last_request: None,
            interrupted,
            requests: 0,
            robots: Robots::allow_all(),
        }
    }

    /// Obeys `robots` from now on: no request is made to an address they do not allow,
    /// whether asked for or redirected to ([`FetchError::Disallowed`]), and requests are
    /// at least their `Crawl-delay` apart ([`Client::at_least`]). robots.txt itself is
    /// fetched whatever they say. Until this is called, everything is allowed.
    pub fn obey(&mut self, robots: Robots) {
        if let Some(delay) = robots.crawl_delay() {
            self.at_least(delay);
        }
        self.robots = robots;
    }

    /// Whether the rules obeyed allow `url` (for a caller that says so before asking).
    pub fn allows(&self, url: &Url) -> bool {
        self.robots.allowed(url.as_str())
    }

    /// The website's address.
    pub fn origin(&self) -> &Url {
        &self.origin
    }

    /// How many requests were made.
    pub fn requests(&self) -> usize {
        self.requests
    }

    /// Makes the delay between requests at least `delay`: a robots.txt Crawl-delay,
    /// honoured in full, since it is the website's own rule for every request
    /// ([`MAX_WAIT`] bounds only what a busy answer asks; [`Robots::crawl_delay`] bounds
    /// a figure no run could wait out).
    pub fn at_least(&mut self, delay: Duration) {
        self.delay = self.delay.max(delay);
    }

    /// Whether `url` is on the website: same scheme, host and port.
    pub fn is_on_site(&self, url: &Url) -> bool {
        url.scheme() == self.origin.scheme()
            && url.host() == self.origin.host()
            && url.port_or_known_default() == self.origin.port_or_known_default()
    }

    /// GETs `url`, following redirects within the website that robots.txt allows and
    /// waiting out 429 and 503. A request for robots.txt (`/robots.txt`, and wherever it
    /// redirects) is not checked against the rules and asks for text.
    pub fn get(
        &mut self,
        url: &Url,
        validators: &Validators,
        referer: Option<&Url>,
    ) -> Result<Answer, FetchError> {
        let asked = url;
        let mut url = url.clone();
        self.follow(&mut url, validators, referer)
            .map_err(|e| e.at(&url, asked))
    }

    /// [`Client::get`]'s requests, `url` left at the address the last one went to.
    fn follow(
        &mut self,
        url: &mut Url,
        validators: &Validators,
        referer: Option<&Url>,
    ) -> Result<Answer, FetchError> {
        let asked = url.clone();
        let robots_txt = url.path() == "/robots.txt";
        let mut redirects = 0;
        let mut tries = 0;
        loop {
            if !self.is_on_site(url) {
                return Err(FetchError::Redirect(url.to_string()));
            }
            if !robots_txt && !self.robots.allowed(url.as_str()) {
                return Err(FetchError::Disallowed(url.to_string()));
            }
            self.wait(self.turn())?;
            tries += 1;
            let accept = if robots_txt {
                ACCEPT_ROBOTS_TXT
            } else {
                ACCEPT_PAGE
            };
            let mut response = self.send(url, validators, referer, accept)?;
            let status = response.status().as_u16();
            match status {
                200 => return self.read_page(url.clone(), &mut response).map(Answer::Page),
                304 => return Ok(Answer::NotModified),
                301 | 302 | 303 | 307 | 308 => {
                    // Without a Location the same request would only be made again.
                    let Some(location) = header(&response, "location") else {
                        return Err(FetchError::NoLocation(status));
                    };
                    redirects += 1;
                    if redirects > MAX_REDIRECTS {
                        return Err(FetchError::TooManyRedirects);
                    }
                    // Tries are counted for each address: a 429 or 503 after a redirect
                    // is waited out as many times as one at the address asked for.
                    tries = 0;
                    *url = url
                        .join(&location)
                        .map_err(|_| FetchError::Redirect(format!("`{location}`")))?;
                }
                429 | 503 => self.wait_out(status, tries, &response)?,
                // The caller reads a 4xx for robots.txt as no rules, wherever it came from.
                _ if *url == asked || (robots_txt && (400..500).contains(&status)) => {
                    return Err(FetchError::Status(status));
                }
                _ => {
                    return Err(FetchError::StatusAfterRedirect {
                        status,
                        url: url.to_string(),
                    })
                }
            }
        }
    }

    /// Waits as a 429 or 503 answer's `Retry-After` asks (or backs off), or gives up
    /// after the tries allowed or when asked to wait longer than [`MAX_WAIT`].
    fn wait_out(
        &self,
        status: u16,
        tries: u32,
        response: &ureq::http::Response<ureq::Body>,
    ) -> Result<(), FetchError> {
        if tries > self.retries {
            return Err(FetchError::Busy { status, tries });
        }
        let wait = match header(response, "retry-after") {
            Some(value) => retry_after(&value, chrono::Utc::now()),
            None => None,
        }
        .unwrap_or_else(|| backoff(tries));
        if wait > MAX_WAIT {
            return Err(FetchError::WaitTooLong {
                status,
                seconds: wait.as_secs(),
            });
        }
        self.wait(wait)
    }

    fn send(
        &mut self,
        url: &Url,
        validators: &Validators,
        referer: Option<&Url>,
        accept: &str,
    ) -> Result<ureq::http::Response<ureq::Body>, FetchError> {
        let mut request = self.agent.get(url.as_str()).header("Accept", accept);
        if let Some(etag) = &validators.etag {
            request = request.header("If-None-Match", etag);
        }
        if let Some(modified) = &validators.last_modified {
            request = request.header("If-Modified-Since", modified);
        }
        if let Some(referer) = referer {
            request = request.header("Referer", referer.as_str());
        }
        self.requests += 1;
        let result = request.call();
        self.last_request = Some(Instant::now());
        result.map_err(|e| self.error(e))
    }

    fn read_page(
        &mut self,
        url: Url,
        response: &mut ureq::http::Response<ureq::Body>,
    ) -> Result<Page, FetchError> {
        let validators = Validators {
            etag: header(response, "etag"),
            last_modified: header(response, "last-modified"),
        };
        let result = response
            .body_mut()
            .with_config()
            .limit(self.max_page_bytes)
            .read_to_vec();
        self.last_request = Some(Instant::now());
        let body = result.map_err(|e| self.error(e))?;
        Ok(Page {
            url,
            body,
            validators,
        })
    }

    fn error(&self, e: ureq::Error) -> FetchError {
        match e {
            ureq::Error::BodyExceedsLimit(_) => FetchError::TooLarge(self.max_page_bytes),
            ureq::Error::Timeout(t) => FetchError::Timeout(t.to_string()),
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
                FetchError::Truncated(io.to_string())
            }
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
                FetchError::Timeout(io.to_string())
            }
            ureq::Error::Protocol(p) => FetchError::Truncated(p.to_string()),
            other => FetchError::Network(other.to_string()),
        }
    }

    /// How long until the next request may go.
    fn turn(&self) -> Duration {
        self.last_request
            .map_or(Duration::ZERO, |t| self.delay.saturating_sub(t.elapsed()))
    }

    /// Sleeps `wait` in short steps, stopping early on Ctrl-C. A wait too long for the
    /// clock to add (`delay = 1e19` in config.toml) lasts until Ctrl-C rather than
    /// panicking.
    fn wait(&self, wait: Duration) -> Result<(), FetchError> {
        let end = Instant::now().checked_add(wait);
        loop {
            if self.interrupted.load(Ordering::SeqCst) {
                return Err(FetchError::Interrupted);
            }
            let left = end.map_or(Duration::MAX, |end| {
                end.saturating_duration_since(Instant::now())
            });
            if left.is_zero() {
                return Ok(());
            }
            std::thread::sleep(left.min(Duration::from_millis(100)));
        }
    }
}

fn header(response: &ureq::http::Response<ureq::Body>, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// The wait a `Retry-After` value asks for: seconds, or an HTTP date.
pub fn retry_after(value: &str, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    if let Ok(secs) = value.trim().parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value.trim()).ok()?;
    let secs = (at.with_timezone(&chrono::Utc) - now).num_seconds().max(0);
    Some(Duration::from_secs(u64::try_from(secs).unwrap_or(0)))
}

/// The wait before try `n + 1` when the website gives no `Retry-After`: 1, 2, 4, 8 ...
/// seconds, at most [`MAX_WAIT`].
pub fn backoff(tries: u32) -> Duration {
    Duration::from_secs(1u64 << tries.saturating_sub(1).min(16)).min(MAX_WAIT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_read_retry_after_as_seconds_or_a_date() {
        let now = chrono::DateTime::parse_from_rfc3339("2025-01-01T12:00:00Z")
            .expect("date")
            .with_timezone(&chrono::Utc);
        assert_eq!(retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            retry_after("Wed, 01 Jan 2025 12:00:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            retry_after("Wed, 01 Jan 2025 11:00:00 GMT", now),
            Some(Duration::ZERO),
            "a date in the past means now"
        );
        assert_eq!(retry_after("soon", now), None);
    }

    #[test]
    fn backs_off_by_doubling_up_to_a_bound() {
        let waits: Vec<u64> = (1..=4).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(waits, vec![1, 2, 4, 8]);
        assert_eq!(backoff(40), MAX_WAIT);
    }

    /// A client for a website that is never asked anything.
    fn idle_client(delay: Duration, interrupted: bool) -> Client {
        let config = FetchConfig {
            delay,
            ..FetchConfig::default()
        };
        let origin = Url::parse("http://127.0.0.1:9/").expect("address");
        Client::new(
            origin,
            &config,
            "news@example.org",
            Arc::new(AtomicBool::new(interrupted)),
        )
    }

    #[test]
    fn honours_a_crawl_delay_longer_than_the_longest_retry_wait() {
        let mut client = idle_client(Duration::from_secs(1), false);
        client.at_least(Duration::from_secs(300));
        assert_eq!(client.delay, Duration::from_secs(300));
        client.at_least(Duration::from_secs(2));
        assert_eq!(
            client.delay,
            Duration::from_secs(300),
            "at least, never less"
        );
    }

    #[test]
    fn obeying_robots_txt_takes_its_crawl_delay_and_its_rules() {
        let mut client = idle_client(Duration::from_secs(1), false);
        client.obey(Robots::parse(
            b"User-agent: *\nCrawl-delay: 300\nDisallow: /private/\n",
        ));
        assert_eq!(client.delay, Duration::from_secs(300));
        let origin = Url::parse("http://127.0.0.1:9/").expect("address");
        assert!(!client.allows(&origin.join("/private/x").expect("url")));
        assert!(client.allows(&origin.join("/decisions/a/b/24-005-444").expect("url")));
    }

    #[test]
    fn waits_out_a_delay_too_long_for_the_clock_until_ctrl_c() {
        let client = idle_client(Duration::MAX, true);
        assert!(matches!(
            client.wait(Duration::MAX),
            Err(FetchError::Interrupted)
        ));
    }

    #[test]
    fn names_casebook_its_version_and_the_contact() {
        let ua = user_agent("news@example.org");
        assert!(ua.starts_with("casebook/"), "{ua}");
        assert!(ua.contains(env!("CARGO_PKG_VERSION")), "{ua}");
        assert!(ua.ends_with("(+news@example.org)"), "{ua}");
    }
}
