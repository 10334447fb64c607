//! Who is fetching, as the User-Agent tells the website's operators.

use url::Url;

/// The contact sent in the User-Agent: `[fetch] contact`, else the site's `base_url`; an
/// error when neither tells the website's operators who is fetching: no contact and a
/// `base_url` on a domain kept for documentation (`example.org`, which `casebook init`
/// writes), or a contact on such a domain (but for a mirror on this machine).
pub(super) fn contact(contact: &str, base_url: &str, origin: &Url) -> anyhow::Result<String> {
    const EXPECTED: &str = "an email address or web page of yours in config.toml's [fetch] table, such as `contact = \"newsdesk@your-paper.co.uk\"`: it is sent in the User-Agent";
    let contact = contact.trim();
    if contact.is_empty() {
        let own = Url::parse(base_url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .and_then(|u| u.host_str().map(str::to_string))
            .is_some_and(|h| !is_placeholder(&h));
        if own {
            return Ok(base_url.to_string());
        }
        anyhow::bail!(
            "nothing was fetched: the website's operators could not tell who is fetching: `[fetch] contact` is empty and `base_url` ({base_url}) is not the site's own address (expected {EXPECTED})"
        );
    }
    let web = Url::parse(contact)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"));
    let host = match (web, contact.rsplit_once('@')) {
        (Some(url), _) => url.host_str().map(str::to_string),
        (None, Some((_, domain))) => Some(domain.trim_end_matches('>').to_string()),
        (None, None) => None,
    };
    // A mirror or a test on this machine, whose operators are whoever runs it.
    let mirror = match origin.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    if !mirror && host.is_some_and(|h| is_placeholder(&h)) {
        anyhow::bail!(
            "nothing was fetched: `[fetch] contact` (`{contact}`) is a placeholder nobody can be reached at (expected {EXPECTED})"
        );
    }
    Ok(contact.to_string())
}

/// Whether `host` is on a domain kept for documentation and tests (RFC 2606, RFC 6761),
/// which nobody can be reached at.
fn is_placeholder(host: &str) -> bool {
    let h = host.trim().trim_end_matches('.').to_ascii_lowercase();
    let under = |d: &str| h == d || h.ends_with(&format!(".{d}"));
    h.is_empty()
        || [
            "example.org",
            "example.com",
            "example.net",
            "example",
            "test",
            "invalid",
            "localhost",
        ]
        .iter()
        .any(|d| under(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sends_a_contact_someone_can_be_reached_at() {
        let website = Url::parse("https://www.lgo.org.uk").expect("url");
        let mirror = Url::parse("https://localhost:8443").expect("url");
        let placeholder = "https://example.org/";
        let own = "https://digest.news.co.uk/";
        assert_eq!(contact("", own, &website).expect("base_url"), own);
        assert_eq!(
            contact(" desk@news.co.uk ", placeholder, &website).expect("contact"),
            "desk@news.co.uk"
        );
        let err = contact("", placeholder, &website)
            .expect_err("nobody")
            .to_string();
        assert!(err.contains("`[fetch] contact` is empty"), "{err}");
        assert!(contact("", "/", &website).is_err(), "no base_url");
        assert!(contact("", "https://casebook.example.org/", &mirror).is_err());
        for fake in [
            "you@newsroom.example",
            "a@example.com",
            "https://example.net/about",
        ] {
            let err = contact(fake, own, &website).expect_err(fake).to_string();
            assert!(err.contains("placeholder"), "{err}");
            assert_eq!(contact(fake, own, &mirror).expect("a mirror"), fake);
        }
    }
}
