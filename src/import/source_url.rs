//! Addresses of decision pages on the Ombudsman's website: normalised, and read for the
//! category and subcategory slugs they carry.
//!
//! A decision lives at `/decisions/<category-slug>/<subcategory-slug>/<reference-with-dashes>`.
//! The same page is reached over `http` or `https`, with or without `www.`, and with
//! `?displaypref=N`, none of which changes it: the normal form is
//! `https://www.lgo.org.uk/decisions/<cat>/<sub>/<ref>`, lower-case, with no query,
//! fragment or trailing slash.

use std::sync::LazyLock;

use url::Url;

/// A decision page's address, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionUrl {
    /// The normal form of the address.
    pub url: String,
    /// The category's slug.
    pub category_slug: String,
    /// The subcategory's slug.
    pub subcategory_slug: String,
    /// The reference with dashes (`24-005-444`).
    pub reference_slug: String,
}

/// Reads `address` (absolute, or relative to the website) as a decision page's address;
/// `None` when it is not one.
pub fn parse(address: &str) -> Option<DecisionUrl> {
    decision(&resolve(address)?)
}

/// The category, subcategory and reference of a decision page's path
/// (`/decisions/<cat>/<sub>/<ref>`, `decisions` in any case) as written, from its
/// segments; empty ones (a doubled or trailing `/`) are skipped. `None` for another path.
pub fn decision_segments<'a>(segments: impl IntoIterator<Item = &'a str>) -> Option<[&'a str; 3]> {
    let mut segments = segments.into_iter().filter(|s| !s.is_empty());
    let (first, cat, sub, reference) = (
        segments.next()?,
        segments.next()?,
        segments.next()?,
        segments.next()?,
    );
    (segments.next().is_none() && first.eq_ignore_ascii_case("decisions"))
        .then_some([cat, sub, reference])
}

/// `address` resolved against the website.
fn resolve(address: &str) -> Option<Url> {
    static WEBSITE: LazyLock<Option<Url>> =
        LazyLock::new(|| Url::parse("https://www.lgo.org.uk/").ok());
    WEBSITE.as_ref()?.join(address.trim()).ok()
}

/// The decision page `url` is, if it is one.
fn decision(url: &Url) -> Option<DecisionUrl> {
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?.to_ascii_lowercase();
    if host.trim_start_matches("www.") != "lgo.org.uk" {
        return None;
    }
    let [cat, sub, reference] =
        decision_segments(url.path_segments()?)?.map(str::to_ascii_lowercase);
    let is_slug =
        |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if ![&cat, &sub, &reference].iter().all(|s| is_slug(s)) {
        return None;
    }
    Some(DecisionUrl {
        url: format!("https://www.lgo.org.uk/decisions/{cat}/{sub}/{reference}"),
        category_slug: cat,
        subcategory_slug: sub,
        reference_slug: reference,
    })
}

/// The address a link in a decision's text points to, absolute: a decision's in its
/// normal form, any other web address resolved against the website (a saved page's links
/// are relative to it). `None` for what is not a web address.
pub fn link(href: &str) -> Option<String> {
    let url = resolve(href)?;
    if let Some(decision) = decision(&url) {
        return Some(decision.url);
    }
    matches!(url.scheme(), "http" | "https").then(|| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_resolve_links_in_the_text() {
        assert_eq!(
            link("/Decisions/Housing/Homelessness/24-005-444?displaypref=1").as_deref(),
            Some("https://www.lgo.org.uk/decisions/housing/homelessness/24-005-444")
        );
        assert_eq!(
            link("/information-centre/reports").as_deref(),
            Some("https://www.lgo.org.uk/information-centre/reports")
        );
        assert_eq!(
            link("https://www.legislation.gov.uk/ukpga/2014/23").as_deref(),
            Some("https://www.legislation.gov.uk/ukpga/2014/23")
        );
        assert_eq!(link("javascript:alert(1)"), None);
        assert_eq!(link("mailto:x@example.org"), None);
    }

    #[test]
    fn can_normalise_the_forms_of_one_address() {
        let want = "https://www.lgo.org.uk/decisions/housing/homelessness/24-005-444";
        for form in [
            want,
            "http://www.lgo.org.uk/decisions/housing/homelessness/24-005-444",
            "https://lgo.org.uk/decisions/housing/homelessness/24-005-444?displaypref=1",
            "https://www.LGO.org.uk/Decisions/Housing/Homelessness/24-005-444/#top",
            "/decisions/housing/homelessness/24-005-444",
        ] {
            let parsed = parse(form).unwrap_or_else(|| panic!("{form}"));
            assert_eq!(parsed.url, want, "{form}");
            assert_eq!(parsed.category_slug, "housing");
            assert_eq!(parsed.reference_slug, "24-005-444");
        }
    }

    #[test]
    fn reads_the_websites_own_addresses() {
        for form in [
            "https://www.lgo.org.uk/decisions/housing/homelessness/24-005-444",
            " /Decisions/Housing/Homelessness/24-005-444/ ",
        ] {
            let read = parse(form).expect(form);
            assert_eq!(
                read.url, "https://www.lgo.org.uk/decisions/housing/homelessness/24-005-444",
                "{form}"
            );
            assert_eq!(read.reference_slug, "24-005-444", "{form}");
        }
        for other in ["/decisions/a/b", "/decisions/a/b/c/d"] {
            assert!(parse(other).is_none(), "{other}");
        }
    }

    #[test]
    fn refuses_other_addresses() {
        for other in [
            "https://example.com/decisions/housing/homelessness/24-005-444",
            "https://www.lgo.org.uk/decisions",
            "https://www.lgo.org.uk/Decisions/SearchResults?fd=2025-01-01",
            "javascript:alert(1)",
            "ftp://www.lgo.org.uk/decisions/a/b/c",
        ] {
            assert_eq!(parse(other), None, "{other}");
        }
    }
}
