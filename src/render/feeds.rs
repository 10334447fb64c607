//! Atom feeds: the whole site (`/atom.xml`), each council (`/councils/<slug>/atom.xml`)
//! and each category (`/categories/<slug>/atom.xml`), newest decisions first.
//!
//! Entries carry light metadata and the Ombudsman's summary, never the decision text.
//! Undated decisions are left out: a feed orders by date and Atom requires one.

use std::fmt::Write as _;

use super::xml_escape as esc;
use crate::output::OutputFile;
use crate::site::Site;

/// What a feed is about.
#[derive(Debug, Clone, Copy)]
pub struct FeedScope<'a> {
    /// The feed's title.
    pub title: &'a str,
    /// The site path of the page the feed follows (`councils/x/`, or `` for the site).
    pub page_path: &'a str,
    /// Its decisions, newest first.
    pub decisions: &'a [usize],
}

/// The feed for `scope`, written at `<page_path>atom.xml`.
pub fn feed(site: &Site, scope: FeedScope<'_>) -> OutputFile {
    let s = &site.settings;
    let path = format!("{}atom.xml", scope.page_path);
    let self_url = s.absolute_url(&path);
    let dated: Vec<usize> = scope
        .decisions
        .iter()
        .copied()
        .filter(|&i| site.decisions[i].decision_date.is_some())
        .take(s.config.feed_limit)
        .collect();
    let updated = dated
        .first()
        .and_then(|&i| site.decisions[i].decision_date)
        .map_or_else(|| "1970-01-01".to_string(), |d| d.to_string());
    let mut xml = String::with_capacity(1024 + dated.len() * 800);
    // Writing into a String cannot fail.
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n\
         \x20 <title>{title}</title>\n\
         \x20 <subtitle>{subtitle}</subtitle>\n\
         \x20 <link rel=\"self\" type=\"application/atom+xml\" href=\"{self_url}\"/>\n\
         \x20 <link rel=\"alternate\" type=\"text/html\" href=\"{page}\"/>\n\
         \x20 <id>{self_url}</id>\n\
         \x20 <updated>{updated}T00:00:00Z</updated>\n\
         \x20 <author><name>{publisher}</name></author>\n\
         \x20 <generator>casebook</generator>\n",
        lang = esc(&s.config.language),
        title = esc(scope.title),
        subtitle = esc(&s.config.description),
        self_url = esc(&self_url),
        page = esc(&s.absolute_url(scope.page_path)),
        publisher = esc(&s.config.publisher),
    );
    for i in dated {
        entry(site, i, &mut xml);
    }
    xml.push_str("</feed>\n");
    OutputFile {
        path,
        bytes: xml.into_bytes(),
    }
}

fn entry(site: &Site, index: usize, xml: &mut String) {
    let d = &site.decisions[index];
    let url = site.settings.absolute_url(&site.decision_path(index));
    let date = d.decision_date.map(|x| x.to_string()).unwrap_or_default();
    let outcome = d
        .outcome
        .map(|o| format!(": {}", o.label()))
        .unwrap_or_default();
    let _ = write!(
        xml,
        "  <entry>\n    <title>{council} ({reference}){outcome}</title>\n\
         \x20   <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n\
         \x20   <id>{url}</id>\n    <updated>{date}T00:00:00Z</updated>\n",
        council = esc(&d.council),
        reference = esc(d.reference.as_str()),
        outcome = esc(&outcome),
        url = esc(&url),
    );
    for term in [d.category.as_deref(), d.subcategory.as_deref()]
        .into_iter()
        .flatten()
    {
        let _ = writeln!(xml, "    <category term=\"{}\"/>", esc(term));
    }
    if let Some(summary) = &d.summary {
        let _ = writeln!(xml, "    <summary type=\"text\">{}</summary>", esc(summary));
    }
    xml.push_str("  </entry>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::tests::sample_site;

    #[test]
    fn can_write_an_escaped_feed_of_dated_decisions() {
        let site = sample_site();
        let all: Vec<usize> = (0..site.decisions.len()).collect();
        let f = feed(
            &site,
            FeedScope {
                title: "All <decisions>",
                page_path: "",
                decisions: &all,
            },
        );
        let xml = String::from_utf8(f.bytes).expect("utf-8");
        assert_eq!(f.path, "atom.xml");
        assert!(
            xml.contains("<title>All &lt;decisions&gt;</title>"),
            "{xml}"
        );
        assert_eq!(xml.matches("<entry>").count(), 2, "undated left out: {xml}");
        assert!(xml.contains("&lt;script&gt;"), "{xml}");
    }
}
