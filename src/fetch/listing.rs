//! The website's search results, read as data: date windows to walk, the result count a
//! page states, and the decision links it holds. Pure functions over strings; no network.

use chrono::{Datelike, Months, NaiveDate};
use scraper::{Html, Selector};
use url::Url;

use crate::decision::Reference;

/// Results the website shows on one page of search results.
pub const RESULTS_PER_PAGE: usize = 10;

/// One calendar month (or the part of it asked for): the dates of one walk of the results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Window {
    /// The first day, included.
    pub from: NaiveDate,
    /// The last day, included.
    pub to: NaiveDate,
}

/// The windows that cover `since..=until`, one calendar month at a time: the first and the
/// last are cut to the dates asked for. Empty when `until` is before `since`.
pub fn month_windows(since: NaiveDate, until: NaiveDate) -> Vec<Window> {
    let mut windows = Vec::new();
    let mut from = since;
    while from <= until {
        let Some(next_month) = from
            .with_day(1)
            .and_then(|first| first.checked_add_months(Months::new(1)))
        else {
            break;
        };
        let month_end = next_month.pred_opt().unwrap_or(next_month);
        let to = month_end.min(until);
        windows.push(Window { from, to });
        from = next_month;
    }
    windows
}

/// The address of one page of search results for `window`.
pub fn results_url(source: &Url, window: Window, page: usize) -> Url {
    let mut url = source.clone();
    url.set_path("/Decisions/SearchResults");
    url.query_pairs_mut()
        .clear()
        .append_pair("fd", &window.from.format("%Y-%m-%d").to_string())
        .append_pair("td", &window.to.format("%Y-%m-%d").to_string())
        .append_pair("page", &page.to_string());
    url
}

/// How many result pages a search with `results` results has.
pub fn page_count(results: usize) -> usize {
    results.div_ceil(RESULTS_PER_PAGE)
}

/// The number in "Your search has N results" (also "1 result", "1,234 results"), read
/// from the page's text; `None` when the page states no count (an empty search shell).
pub fn result_count(html: &str) -> Option<usize> {
    let text = page_text(html);
    let at = text.find("Your search has")?;
    let rest = text[at + "Your search has".len()..].trim_start();
    let digits: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .filter(char::is_ascii_digit)
        .collect();
    let after = rest[rest
        .find(|c: char| !(c.is_ascii_digit() || c == ','))
        .unwrap_or(rest.len())..]
        .trim_start();
    if digits.is_empty() || !after.starts_with("result") {
        return None;
    }
    digits.parse().ok()
}

/// A decision page's address on the website: `/decisions/<category>/<subcategory>/<ref>`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DecisionUrl {
    /// The category slug (`housing`).
    pub category: String,
    /// The subcategory slug (`homelessness`).
    pub subcategory: String,
    /// The case reference the address names.
    pub reference: Reference,
    /// The full address.
    pub url: Url,
}

impl DecisionUrl {
    /// Reads a decision address; `None` for any other address (listings, the search page,
    /// other hosts are the caller's business).
    pub fn parse(url: &Url) -> Option<Self> {
        let [category, subcategory, reference] =
            crate::import::source_url::decision_segments(url.path_segments()?)?;
        let slug_ok = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        };
        if !slug_ok(category) || !slug_ok(subcategory) || !reference.contains('-') {
            return None;
        }
        let reference = Reference::parse(reference)?;
        let mut url = url.clone();
        url.set_query(None);
        url.set_fragment(None);
        Some(Self {
            category: category.to_ascii_lowercase(),
            subcategory: subcategory.to_ascii_lowercase(),
            reference,
            url,
        })
    }
}

/// Every distinct decision link on a page, resolved against `page_url`, in page order.
/// Links to other hosts are left out.
pub fn decision_links(html: &str, page_url: &Url) -> Vec<DecisionUrl> {
    let document = Html::parse_document(html);
    let Ok(anchors) = Selector::parse("a[href]") else {
        return Vec::new();
    };
    let mut links: Vec<DecisionUrl> = Vec::new();
    for a in document.select(&anchors) {
        let Some(href) = a.value().attr("href") else {
            continue;
        };
        let Ok(url) = page_url.join(href.trim()) else {
            continue;
        };
        if url.host() != page_url.host()
            || url.port_or_known_default() != page_url.port_or_known_default()
        {
            continue;
        }
        if let Some(link) = DecisionUrl::parse(&url) {
            if !links.iter().any(|l| l.reference == link.reference) {
                links.push(link);
            }
        }
    }
    links
}

/// What a decision address answered, judged from its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageKind {
    /// A decision page stating the expected reference.
    Decision,
    /// Another decision than the one asked for, with a short description for the message.
    OtherDecision(String),
    /// No decision at all (a search page, a captcha, a cookie wall), with a short
    /// description for the message.
    NotADecision(String),
}

/// Whether `html` is the decision `reference`: a page whose header `casebook import`
/// reads as that decision ([`crate::import::html::reference`], the importer's own reading
/// stopped at the header). A page import cannot read is the decision when its text still
/// names the reference and has a summary (kept, so that import says what it cannot read,
/// and a later casebook may read it); a search page, captcha or cookie wall names neither.
pub fn page_kind(html: &[u8], reference: &Reference) -> PageKind {
    let wanted = format!("({})", reference.as_str());
    let name = format!("{}.html", reference.slug());
    let problem = match crate::import::html::reference(std::path::Path::new(&name), html) {
        Ok(found) if found == *reference => return PageKind::Decision,
        Ok(found) => {
            return PageKind::OtherDecision(format!(
                "the decision ({}), not {wanted}",
                found.as_str()
            ))
        }
        Err(problems) => problems.into_iter().next().map(|p| p.message),
    };
    let text = page_text(&String::from_utf8_lossy(html));
    if text.to_lowercase().contains(&wanted.to_lowercase()) && text.contains("Summary") {
        return PageKind::Decision;
    }
    PageKind::NotADecision(
        problem.unwrap_or_else(|| format!("a page that does not state {wanted}")),
    )
}

/// The visible text of a page (scripts and styles left out), words joined by single spaces.
fn page_text(html: &str) -> String {
    let document = Html::parse_document(html);
    let mut text = String::new();
    for node in document.root_element().descendants() {
        let Some(t) = node.value().as_text() else {
            continue;
        };
        let in_code = node.ancestors().any(|a| {
            a.value()
                .as_element()
                .is_some_and(|e| matches!(e.name(), "script" | "style" | "noscript" | "template"))
        });
        if !in_code {
            for word in t.split_whitespace() {
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(word);
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    fn u(s: &str) -> Url {
        Url::parse(s).expect("url")
    }

    #[test]
    fn can_cut_dates_into_calendar_months() {
        let w = month_windows(d("2024-12-15"), d("2025-02-10"));
        assert_eq!(
            w,
            vec![
                Window {
                    from: d("2024-12-15"),
                    to: d("2024-12-31")
                },
                Window {
                    from: d("2025-01-01"),
                    to: d("2025-01-31")
                },
                Window {
                    from: d("2025-02-01"),
                    to: d("2025-02-10")
                },
            ]
        );
        assert_eq!(month_windows(d("2024-02-01"), d("2024-02-29")).len(), 1);
        assert!(month_windows(d("2025-02-01"), d("2025-01-01")).is_empty());
    }

    #[test]
    fn can_build_a_results_address() {
        let w = Window {
            from: d("2025-01-01"),
            to: d("2025-01-31"),
        };
        let url = results_url(&u("http://127.0.0.1:8080/"), w, 3);
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:8080/Decisions/SearchResults?fd=2025-01-01&td=2025-01-31&page=3"
        );
        assert_eq!((page_count(0), page_count(10), page_count(11)), (0, 1, 2));
    }

    #[test]
    fn can_read_the_result_count_in_every_spelling() {
        let page = |s: &str| format!("<html><body><p class=x>{s}</p></body></html>");
        assert_eq!(result_count(&page("Your search has 23 results")), Some(23));
        assert_eq!(
            result_count(&page("Your search has <b>1,234</b> results")),
            Some(1234)
        );
        assert_eq!(
            result_count(&page("Your  search has\n1 result")),
            Some(1),
            "spaces and lines"
        );
        assert_eq!(result_count(&page("Your search has 1 result")), Some(1));
        assert_eq!(result_count(&page("Your search has 0 results")), Some(0));
    }

    #[test]
    fn finds_no_count_in_an_empty_search_shell() {
        let shell = "<html><body><form action=/Decisions/SearchResults></form>\
                     <script>var s = 'Your search has 5 results';</script></body></html>";
        assert_eq!(result_count(shell), None);
        assert_eq!(result_count("<p>Your search has many results</p>"), None);
    }

    #[test]
    fn can_collect_decision_links_once_each_in_page_order() {
        let html = r#"<ul>
            <li><a href="/decisions/housing/homelessness/24-005-444">A</a></li>
            <li><a href="https://www.lgo.org.uk/decisions/education/special-educational-needs/23-009-433b?x=1#top">B</a></li>
            <li><a href="/decisions/housing/homelessness/24-005-444">A again</a></li>
            <li><a href="/decisions/housing">a category</a></li>
            <li><a href="https://elsewhere.example/decisions/a/b/21-019-020">other host</a></li>
            <li><a href="/Decisions/SearchResults?page=2">next</a></li>
            <li><a href="/decisions/a/b/not-a-ref">bad</a></li>
        </ul>"#;
        let links = decision_links(
            html,
            &u("https://www.lgo.org.uk/Decisions/SearchResults?page=1"),
        );
        let got: Vec<(&str, &str, &str, &str)> = links
            .iter()
            .map(|l| {
                (
                    l.category.as_str(),
                    l.subcategory.as_str(),
                    l.reference.as_str(),
                    l.url.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("housing", "homelessness", "24 005 444", "https://www.lgo.org.uk/decisions/housing/homelessness/24-005-444"),
                ("education", "special-educational-needs", "23 009 433b", "https://www.lgo.org.uk/decisions/education/special-educational-needs/23-009-433b"),
            ]
        );
    }

    #[test]
    fn can_tell_a_decision_from_a_search_page_or_a_captcha() {
        let r = Reference::parse("24 005 444").expect("ref");
        let decision = "<html><body><article id=article><h1>Kent County Council (24 005 444)</h1>\
                        <p>Summary: fault.</p></article></body></html>";
        assert_eq!(page_kind(decision.as_bytes(), &r), PageKind::Decision);
        let search =
            "<html><head><title>Search decisions</title></head><body><form></form></body></html>";
        match page_kind(search.as_bytes(), &r) {
            PageKind::NotADecision(what) => assert!(what.contains("Search decisions"), "{what}"),
            kind => panic!("a search page is not a decision: {kind:?}"),
        }
        let other = "<html><body><h1>Kent County Council (21 019 020)</h1><p>Summary: no fault.</p></body></html>";
        match page_kind(other.as_bytes(), &r) {
            PageKind::OtherDecision(what) => assert!(what.contains("21 019 020"), "{what}"),
            kind => panic!("another reference: {kind:?}"),
        }
    }

    #[test]
    fn a_page_naming_the_decision_that_import_cannot_read_is_kept_for_import_to_say_so() {
        let r = Reference::parse("24 999 999").expect("ref");
        let page = "<html><head><title>Decisions</title></head><body><p>Kent County Council (24 999 999)</p><p>Summary</p></body></html>";
        assert_eq!(page_kind(page.as_bytes(), &r), PageKind::Decision);
    }
}
