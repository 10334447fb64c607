//! The site's configuration: [`Config`] as written in `<root>/config.toml`, and
//! [`Settings`], the config with command-line overrides applied and every path resolved.
//!
//! Reads `config.toml` only; knows nothing of content or templates. Unknown keys and bad
//! values become [`Diagnostic`]s naming the file, line and column, and all of them are
//! reported at once.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;

/// `config.toml` as the site's editor writes it. Every key is optional.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The site's name, shown in every page's header and title.
    pub title: String,
    /// One or two sentences saying what the site is, for the home page and feeds.
    pub description: String,
    /// Where the site is published, such as `https://example.org/` or
    /// `https://user.github.io/digest/`. Links between pages are relative and never use
    /// it; the URLs that must be absolute (feeds, sitemap, `robots.txt`, canonical and
    /// Open Graph links, the open data) start with it.
    pub base_url: String,
    /// The theme's folder name under `themes/`.
    pub theme: String,
    /// Decisions per listing page.
    pub paginate_by: usize,
    /// The pages' language, as a BCP 47 tag (`en-GB`).
    pub language: String,
    /// Who publishes the digest (the feeds' author).
    pub publisher: String,
    /// How many of the newest decisions each Atom feed carries.
    pub feed_limit: usize,
    /// The acknowledgement of the source shown on every decision page.
    pub acknowledgement: String,
    /// How `casebook fetch` talks to the Ombudsman's website.
    pub fetch: FetchConfig,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            title: "Ombudsman decisions digest".to_string(),
            description: "Decisions of the Local Government and Social Care Ombudsman, \
                          explained in plain English."
                .to_string(),
            base_url: "/".to_string(),
            theme: "default".to_string(),
            paginate_by: 30,
            language: "en-GB".to_string(),
            publisher: "casebook".to_string(),
            feed_limit: 30,
            acknowledgement: "Decision text © Local Government and Social Care Ombudsman, \
                              reproduced with acknowledgement and without amendment."
                .to_string(),
            fetch: FetchConfig::default(),
        }
    }
}

/// The `[fetch]` table: where `casebook fetch` gets decisions and how politely.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FetchConfig {
    /// The website, such as `https://www.lgo.org.uk`: HTTPS, or HTTP to a loopback address.
    pub source: String,
    /// How the website's operators can reach whoever runs the fetch (an email address or a
    /// web page), sent in the User-Agent; the site's `base_url` when empty.
    pub contact: String,
    /// Seconds between two requests (`--delay` overrides it).
    #[serde(with = "seconds")]
    pub delay: Duration,
    /// Seconds to wait for a connection, and for each read of an answer.
    #[serde(with = "seconds")]
    pub timeout: Duration,
    /// The largest page accepted, in bytes.
    pub max_page_bytes: u64,
    /// How many times a request answered 429 or 503 is tried again.
    pub retries: u32,
    /// For how many days after its last day a month of results is walked again by each
    /// fetch, as a decision can appear on the website some time after it was made.
    pub revisit_days: u32,
}

impl Default for FetchConfig {
    fn default() -> Self {
        Self {
            source: "https://www.lgo.org.uk".to_string(),
            contact: String::new(),
            delay: Duration::from_secs(1),
            timeout: Duration::from_secs(30),
            max_page_bytes: 5_000_000,
            retries: 4,
            revisit_days: 90,
        }
    }
}

/// A [`Duration`] written as a number of seconds (`1`, `0.5`).
mod seconds {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(d.as_secs_f64())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        let secs = f64::deserialize(d)?;
        Duration::try_from_secs_f64(secs).map_err(|_| {
            serde::de::Error::custom(format!(
                "`{secs}` is not a number of seconds (expected 0 or more)"
            ))
        })
    }
}

/// Values from the command line that replace the config's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    /// `--base-url`.
    pub base_url: Option<String>,
    /// `--output`.
    pub output: Option<PathBuf>,
}

/// The config with overrides applied and every path resolved: what the build reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The config, with `base_url` overridden when asked.
    pub config: Config,
    /// The site's folder (the one holding `config.toml`).
    pub root: PathBuf,
    /// Where the built site goes (`<root>/public` unless overridden).
    pub output: PathBuf,
    /// The base URL without its trailing `/`: `https://user.github.io/digest`, or the empty
    /// string for a site served from a domain root with relative links.
    pub base_url: String,
}

impl Settings {
    /// `<root>/content`.
    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    /// `<root>/content/decisions`.
    pub fn decisions_dir(&self) -> PathBuf {
        self.content_dir().join("decisions")
    }

    /// `<root>/themes/<theme>`.
    pub fn theme_dir(&self) -> PathBuf {
        self.root.join("themes").join(&self.config.theme)
    }

    /// `<root>/templates`: the site's own templates, which override the theme's.
    pub fn site_templates_dir(&self) -> PathBuf {
        self.root.join("templates")
    }

    /// A link to a site path as the views and templates write it, from the site root:
    /// `url("decisions/21-019-020/")` is `/decisions/21-019-020/`. Every such link in a
    /// page is made relative to that page when the page is finished
    /// ([`crate::render::links`]), so it works on disk and under any path.
    pub fn url(&self, path: &str) -> String {
        format!("/{}", path.trim_start_matches('/'))
    }

    /// The full URL of a site path, for the places a standard wants one (feeds, sitemap,
    /// `robots.txt`, canonical and Open Graph links, the open data):
    /// `absolute_url("decisions/21-019-020/")` is
    /// `https://user.github.io/digest/decisions/21-019-020/`. Without a `base_url` it is
    /// the path from the domain root, and [`Settings::base_url_warning`] says so.
    pub fn absolute_url(&self, path: &str) -> String {
        format!("{}/{}", self.base_url, path.trim_start_matches('/'))
    }

    /// The path part of `base_url` without its trailing `/`: `/digest` for
    /// `https://user.github.io/digest/`, empty at a domain root. The 404 page, served at
    /// any depth, links from there.
    pub fn base_path(&self) -> &str {
        match self.base_url.split_once("://") {
            Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
            None => &self.base_url,
        }
    }

    /// Whether `base_url` says where the site is published (an `http(s)://` or
    /// `file://` URL), so that feeds and the sitemap can hold full URLs.
    pub fn has_public_url(&self) -> bool {
        self.base_url.contains("://")
    }

    /// The warning a build and `casebook check` give when `base_url` does not say where
    /// the site is published.
    pub fn base_url_warning(&self) -> Option<Diagnostic> {
        if self.has_public_url() {
            return None;
        }
        let path = self.root.join("config.toml");
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let start = key_offset(&text, "base_url");
        let d = Diagnostic::warning(
            &path,
            "`base_url` does not say where the site is published, so the feeds, the \
             sitemap, robots.txt, the open data and the canonical and Open Graph links \
             hold paths from the domain root instead of full URLs (links between pages \
             are relative and work anyway)",
        )
        .expected("base_url = \"https://your.domain/\" in config.toml, or --base-url URL");
        Some(match start {
            Some(start) => d.at_span(&text, start, start + "base_url".len()),
            None => d,
        })
    }

    /// Settings for a site at `root` with the default config and no config file (tests).
    pub fn with_defaults(root: &Path) -> Self {
        let config = Config::default();
        Self {
            base_url: normalise_base_url(&config.base_url),
            output: root.join("public"),
            root: root.to_path_buf(),
            config,
        }
    }

    /// Reads `<root>/config.toml` (a missing file means the defaults), applies `overrides`
    /// and checks every value. Returns every problem found, not only the first.
    pub fn load(root: &Path, overrides: &Overrides) -> Result<Self, Vec<Diagnostic>> {
        let path = root.join("config.toml");
        let config = match std::fs::read_to_string(&path) {
            Ok(text) => Config::parse(&path, &text)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Config::default(),
            Err(e) => {
                return Err(vec![Diagnostic::error(
                    &path,
                    format!("could not read the file: {e}"),
                )])
            }
        };
        Self::from_config(root, config, overrides).map_err(|d| vec![d])
    }

    /// Applies `overrides` to a parsed config.
    pub fn from_config(
        root: &Path,
        mut config: Config,
        overrides: &Overrides,
    ) -> Result<Self, Diagnostic> {
        if let Some(url) = &overrides.base_url {
            check_base_url(url).map_err(|(message, expected)| {
                Diagnostic::error("--base-url", message).expected(expected)
            })?;
            config.base_url.clone_from(url);
        }
        let output = match &overrides.output {
            Some(p) if p.is_absolute() => p.clone(),
            Some(p) => std::env::current_dir().map_or_else(|_| p.clone(), |cwd| cwd.join(p)),
            None => root.join("public"),
        };
        Ok(Self {
            base_url: normalise_base_url(&config.base_url),
            output,
            root: root.to_path_buf(),
            config,
        })
    }
}

impl Config {
    /// Parses and checks the text of `path`; every problem is reported with its place.
    pub fn parse(path: &Path, text: &str) -> Result<Self, Vec<Diagnostic>> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let (start, end) = e.span().map_or((0, 0), |r| (r.start, r.end));
            vec![Diagnostic::error(path, e.message().trim().to_string()).at_span(text, start, end)]
        })?;
        let problems = config.problems(path, text);
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }

    fn problems(&self, path: &Path, text: &str) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        let mut bad = |key: &str, message: String, expected: &str| {
            let start = key_offset(text, key).unwrap_or(0);
            problems.push(
                Diagnostic::error(path, format!("invalid `{key}`: {message}"))
                    .at_span(text, start, start + key.len())
                    .expected(expected),
            );
        };
        if let Err((message, expected)) = check_base_url(&self.base_url) {
            bad("base_url", message, expected);
        }
        if self.paginate_by == 0 {
            bad(
                "paginate_by",
                "0 decisions per page".into(),
                "a number of 1 or more",
            );
        }
        if self.feed_limit == 0 {
            bad(
                "feed_limit",
                "0 entries per feed".into(),
                "a number of 1 or more",
            );
        }
        let theme_ok = !self.theme.is_empty()
            && self
                .theme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'));
        if !theme_ok {
            bad(
                "theme",
                format!("`{}` is not a theme folder name", self.theme),
                "a folder name under themes/, like \"default\"",
            );
        }
        if let Err((message, expected)) = check_fetch_source(&self.fetch.source) {
            bad("source", message, expected);
        }
        if self.title.trim().is_empty() {
            bad("title", "the title is empty".into(), "the site's name");
        }
        problems
    }
}

fn check_base_url(url: &str) -> Result<(), (String, &'static str)> {
    const EXPECTED: &str = "an http(s) or file URL such as \"https://example.org/\", or \"/\"";
    let ok = url == "/"
        || ["https://", "http://", "file://"]
            .iter()
            .any(|scheme| url.starts_with(scheme) && url.len() > scheme.len());
    if !ok {
        return Err((format!("`{url}` is not a URL"), EXPECTED));
    }
    if url.contains(char::is_whitespace) || url.contains(['?', '#', '"', '<', '>']) {
        return Err((
            format!("`{url}` has characters a base URL cannot hold"),
            EXPECTED,
        ));
    }
    Ok(())
}

/// The fetch source must be an HTTPS origin, or plain HTTP to this machine (tests, mirrors).
pub fn check_fetch_source(source: &str) -> Result<(), (String, &'static str)> {
    const EXPECTED: &str =
        "an https:// address such as \"https://www.lgo.org.uk\" (http:// only to 127.0.0.1 or localhost)";
    let Ok(url) = url::Url::parse(source) else {
        return Err((format!("`{source}` is not a URL"), EXPECTED));
    };
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" if url.host().is_some() => Ok(()),
        "http" if loopback => Ok(()),
        "http" => Err((
            format!("`{source}` is plain HTTP; casebook fetches over HTTPS"),
            EXPECTED,
        )),
        _ => Err((format!("`{source}` is not a website address"), EXPECTED)),
    }
}

/// `https://x.org/digest/` -> `https://x.org/digest`; `/` -> ``.
fn normalise_base_url(url: &str) -> String {
    url.trim_end_matches('/').to_string()
}

/// Byte offset of `key = ...` at the start of a line in `text`.
fn key_offset(text: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key) {
            if rest.trim_start().starts_with('=') {
                return Some(offset + line.len() - trimmed.len());
            }
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        Config::parse(Path::new("config.toml"), text)
    }

    #[test]
    fn can_read_a_full_config() {
        let c = parse("title = \"T\"\nbase_url = \"https://x.org/d/\"\npaginate_by = 10\n")
            .expect("valid");
        assert_eq!(c.title, "T");
        assert_eq!(c.paginate_by, 10);
        assert_eq!(c.theme, "default");
    }

    #[test]
    fn errors_on_unknown_keys_at_their_place() {
        let errs = parse("title = \"T\"\npaginate = 10\n").expect_err("unknown key");
        let d = &errs[0];
        let loc = d.location.expect("located");
        assert_eq!((loc.line, loc.column), (2, 1), "{d}");
        assert!(d.message.contains("unknown field `paginate`"), "{d}");
        assert!(
            d.to_string().contains("`paginate_by`"),
            "lists the keys: {d}"
        );
    }

    #[test]
    fn can_read_a_fetch_table() {
        let c = parse(
            "[fetch]\nsource = \"http://127.0.0.1:8080\"\ndelay = 0.5\ncontact = \"a@b.org\"\n",
        )
        .expect("valid");
        assert_eq!(c.fetch.source, "http://127.0.0.1:8080");
        assert_eq!(c.fetch.delay, Duration::from_millis(500));
        assert_eq!(c.fetch.contact, "a@b.org");
        assert_eq!(c.fetch.timeout, Duration::from_secs(30), "default kept");
        assert_eq!(Config::default().fetch.source, "https://www.lgo.org.uk");
    }

    #[test]
    fn errors_on_a_fetch_source_over_plain_http_or_an_unknown_fetch_key() {
        let errs = parse("[fetch]\nsource = \"http://example.org\"\n").expect_err("http");
        assert_eq!(errs[0].location.expect("located").line, 2, "{errs:?}");
        assert!(errs[0].message.contains("plain HTTP"), "{errs:?}");
        let errs = parse("[fetch]\ndelai = 2\n").expect_err("unknown");
        assert!(
            errs[0].message.contains("unknown field `delai`"),
            "{errs:?}"
        );
        let errs = parse("[fetch]\ndelay = -1\n").expect_err("negative");
        assert!(errs[0].message.contains("seconds"), "{errs:?}");
    }

    #[test]
    fn errors_on_a_mistyped_value() {
        let errs = parse("paginate_by = \"ten\"\n").expect_err("bad type");
        assert_eq!(errs[0].location.expect("located").line, 1);
    }

    #[test]
    fn reports_every_bad_value() {
        let errs = parse("base_url = \"example.org\"\npaginate_by = 0\ntheme = \"../x\"\n")
            .expect_err("bad values");
        let lines: Vec<usize> = errs
            .iter()
            .map(|d| d.location.expect("located").line)
            .collect();
        assert_eq!(lines, vec![1, 2, 3], "{errs:?}");
    }

    #[test]
    fn can_override_base_url_and_build_urls_under_a_sub_path() {
        let root = Path::new("site");
        let overrides = Overrides {
            base_url: Some("https://user.github.io/digest/".into()),
            output: None,
        };
        let s = Settings::from_config(root, Config::default(), &overrides).expect("ok");
        // Links between pages are written from the site root and made relative per page;
        // full URLs are only for the standards that need them.
        assert_eq!(s.url("decisions/1/"), "/decisions/1/");
        assert_eq!(
            s.absolute_url("decisions/1/"),
            "https://user.github.io/digest/decisions/1/"
        );
        assert_eq!(s.absolute_url(""), "https://user.github.io/digest/");
        assert_eq!(s.base_path(), "/digest");
        let root_site = Settings::with_defaults(root);
        assert_eq!(root_site.url("/atom.xml"), "/atom.xml");
    }

    #[test]
    fn errors_on_a_bad_base_url_override() {
        let overrides = Overrides {
            base_url: Some("not a url".into()),
            output: None,
        };
        let err =
            Settings::from_config(Path::new("."), Config::default(), &overrides).expect_err("bad");
        assert!(err.to_string().contains("--base-url"), "{err}");
    }
}
