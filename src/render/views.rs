//! Typed views: what each kind of page gives its template, as `#[derive(Serialize)]`
//! structs that borrow from the [`Site`]. The template contract is these types: a renamed
//! field is a compile error here and a located template error there, never a silent blank.
//!
//! Listing pages get [`DecisionCard`]s (title, date, URL, facts, the Ombudsman's summary),
//! never page bodies, so their cost stays linear in the number of decisions.

use serde::Serialize;

pub use super::cards::{Card, CardData, CardView, Cards, DecisionCard, RenderCard};

use crate::site::{OutcomeCounts, Site, Term};
use crate::summary::PlainSummary;

/// The site-wide part of every page.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView<'a> {
    /// The site's title.
    pub title: &'a str,
    /// The site's description.
    pub description: &'a str,
    /// Always empty, kept so that `{{ site.base_url }}/councils/` still means "the
    /// councils page, from the site root": every such link is made relative to its page
    /// when the page is finished (see themes/default/README.md).
    pub base_url: &'a str,
    /// The pages' language tag.
    pub language: &'a str,
    /// The acknowledgement of the Ombudsman as the source.
    pub acknowledgement: &'a str,
    /// Links for the header navigation.
    pub nav: Vec<Link>,
    /// Links to the standalone pages, for the footer.
    pub pages: Vec<Link>,
    /// URL of the site-wide Atom feed.
    pub feed_url: String,
    /// URL of the search page.
    pub search_url: String,
    /// URL of the theme's static files folder, with a trailing `/`.
    pub static_url: String,
}

/// A titled link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    /// The link text.
    pub title: String,
    /// The full URL.
    pub url: String,
}

impl<'a> SiteView<'a> {
    /// The site-wide view of `site`.
    pub fn new(site: &'a Site) -> Self {
        let s = &site.settings;
        let link = |title: &str, path: &str| Link {
            title: title.to_string(),
            url: s.url(path),
        };
        Self {
            title: &s.config.title,
            description: &s.config.description,
            base_url: "",
            language: &s.config.language,
            acknowledgement: &s.config.acknowledgement,
            nav: vec![
                link("Decisions", "decisions/"),
                link("Councils", "councils/"),
                link("Categories", "categories/"),
                link("Outcomes", "outcomes/"),
                link("Years", "years/"),
            ],
            pages: site.pages.iter().map(|p| link(&p.title, &p.path)).collect(),
            feed_url: s.url("atom.xml"),
            search_url: s.url("search/"),
            static_url: s.url("static/"),
        }
    }
}

/// A term with its count and outcome breakdown, for lists of terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermSummary<'a> {
    /// The term's name.
    pub name: &'a str,
    /// Its first listing page.
    pub url: String,
    /// How many decisions it has.
    pub count: usize,
    /// Upheld decisions.
    pub upheld: usize,
    /// Decisions not upheld.
    pub not_upheld: usize,
    /// Decisions closed after initial enquiries.
    pub closed: usize,
    /// Decisions with no known outcome.
    pub unknown: usize,
    /// Subcategories, for a category.
    pub children: Vec<TermSummary<'a>>,
}

impl<'a> TermSummary<'a> {
    /// The summary of `term`; `depth` 1 includes its children.
    pub fn new(site: &'a Site, term: &'a Term, with_children: bool) -> Self {
        let OutcomeCounts {
            upheld,
            not_upheld,
            closed,
            unknown,
        } = site.outcome_counts(&term.decisions);
        Self {
            name: &term.name,
            url: site.settings.url(&term.path),
            count: term.decisions.len(),
            upheld,
            not_upheld,
            closed,
            unknown,
            children: if with_children {
                term.children
                    .iter()
                    .map(|t| Self::new(site, t, false))
                    .collect()
            } else {
                Vec::new()
            },
        }
    }
}

/// One page of a paginated listing.
#[derive(Debug, Clone, Serialize)]
pub struct Paginator<'a> {
    /// The decisions on this page.
    pub items: Vec<Card<'a>>,
    /// This page's number, from 1.
    pub number: usize,
    /// How many pages there are.
    pub count: usize,
    /// How many decisions in all.
    pub total: usize,
    /// The previous page, if any.
    pub previous_url: Option<String>,
    /// The next page, if any.
    pub next_url: Option<String>,
    /// Links to the first, last and nearby pages (a window, so a page's size does not
    /// grow with the number of pages).
    pub pages: Vec<PageLink>,
}

/// A link to one page of a listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageLink {
    /// The page number.
    pub number: usize,
    /// Its URL.
    pub url: String,
    /// Whether it is the page being shown.
    pub current: bool,
    /// Whether pages were skipped before this one (show an ellipsis).
    pub gap_before: bool,
}

/// The site path of page `number` of the listing at `base` (`councils/x/`):
/// `councils/x/` for page 1, `councils/x/page/2/` after.
pub fn page_path(base: &str, number: usize) -> String {
    if number <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{number}/")
    }
}

impl<'a> Paginator<'a> {
    /// Page `number` (from 1) of `indices`, `per_page` at a time, under `base`.
    pub fn new(
        cards: &'a Cards<'_>,
        base: &str,
        indices: &[usize],
        per_page: usize,
        number: usize,
    ) -> Self {
        let per_page = per_page.max(1);
        let count = indices.len().div_ceil(per_page).max(1);
        let start = (number - 1) * per_page;
        let end = (start + per_page).min(indices.len());
        let site = cards.site();
        let url = |n: usize| site.settings.url(&page_path(base, n));
        let mut wanted: Vec<usize> = [1, number.saturating_sub(2), number, number + 2, count]
            .into_iter()
            .chain(number.saturating_sub(1)..=number + 1)
            .filter(|n| (1..=count).contains(n))
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut previous = 0;
        let pages = wanted
            .into_iter()
            .map(|n| {
                let link = PageLink {
                    number: n,
                    url: url(n),
                    current: n == number,
                    gap_before: n > previous + 1,
                };
                previous = n;
                link
            })
            .collect();
        Self {
            items: cards.many(indices.get(start..end).unwrap_or(&[])),
            number,
            count,
            total: indices.len(),
            previous_url: (number > 1).then(|| url(number - 1)),
            next_url: (number < count).then(|| url(number + 1)),
            pages,
        }
    }
}

/// One line of a decision's key-facts panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fact {
    /// `Council`, `Outcome`, ...
    pub label: &'static str,
    /// The value as shown.
    pub value: String,
    /// A link for the value (the council's page, the paragraph that says so).
    pub url: Option<String>,
    /// True when casebook inferred the value rather than the Ombudsman stating it.
    pub inferred: bool,
}

/// One remedy, for the key-facts panel.
#[derive(Debug, Clone, Serialize)]
pub struct RemedyView<'a> {
    /// `Apology`, `Payment`, ...
    pub kind: &'static str,
    /// The Ombudsman's words.
    pub text: &'a str,
    /// `£750`.
    pub amount: Option<String>,
    /// Who receives it.
    pub to: Option<&'a str>,
    /// `within one month`.
    pub deadline: Option<&'a str>,
    /// Done before the decision.
    pub already_done: bool,
    /// `to consider, or only if a condition is met`, `recommended, not agreed`, or
    /// `recommended; the decision does not say it was agreed`; none when agreed.
    pub commitment: Option<&'static str>,
    /// `#p37`, the paragraph it comes from.
    pub paragraph_url: Option<String>,
    /// The paragraph number.
    pub paragraph: Option<u32>,
}

/// A glossary term explained on a decision page.
#[derive(Debug, Clone, Serialize)]
pub struct TermExplained<'a> {
    /// The term.
    pub term: &'a str,
    /// What it means.
    pub meaning: &'a str,
    /// The id of the term's `<dt>`; its `<dd>` has `<anchor>-meaning`.
    pub anchor: String,
}

/// The view for `decision.html`.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionPage<'a> {
    /// Site-wide values.
    pub site: &'a SiteView<'a>,
    /// The page's title.
    pub title: String,
    /// The page's URL from the site root (made relative in the page).
    pub url: String,
    /// The page's full URL, from `base_url`, for the text to cite it by.
    pub permalink: String,
    /// The decision's card (reference, council, outcome, date, ...).
    pub decision: Card<'a>,
    /// The key-facts panel.
    pub facts: Vec<Fact>,
    /// What the council agreed to do (some only to consider, or on a condition: see
    /// [`RemedyView::commitment`]).
    pub remedies: Vec<RemedyView<'a>>,
    /// What the Ombudsman recommended and the council did not agree to, or that the
    /// decision does not say it agreed to (see [`RemedyView::commitment`]).
    pub remedies_not_agreed: Vec<RemedyView<'a>>,
    /// The digest's plain-English summary.
    pub plain_summary: &'a PlainSummary,
    /// Whether it was generated or written by an editor, in words.
    pub plain_summary_origin: &'static str,
    /// The decision text as HTML, with paragraph anchors.
    pub body_html: &'a str,
    /// True when the Ombudsman's page carried no paragraph numbers and the digest numbered
    /// the paragraphs itself (the flattened `- ` layout).
    pub paragraphs_reconstructed: bool,
    /// What this copy of the decision is missing, when the importer found it incomplete.
    pub incomplete: Option<&'a str>,
    /// Glossary terms used in the text.
    pub terms: Vec<TermExplained<'a>>,
    /// Other decisions about the same council.
    pub related_council: Vec<Card<'a>>,
    /// Other decisions in the same category.
    pub related_category: Vec<Card<'a>>,
    /// The council's listing page.
    pub council_url: Option<String>,
    /// How many decisions the digest holds about this council.
    pub council_count: usize,
    /// The category's listing page.
    pub category_url: Option<String>,
    /// The original on the Ombudsman's website.
    pub source_url: Option<&'a str>,
}

/// The view for `taxonomy_list.html` (`/councils/`, `/categories/`, ...).
#[derive(Debug, Clone, Serialize)]
pub struct TaxonomyPage<'a> {
    /// Site-wide values.
    pub site: &'a SiteView<'a>,
    /// `Councils`.
    pub title: &'static str,
    /// `council`.
    pub kind: &'static str,
    /// The page's full URL.
    pub url: String,
    /// Every term.
    pub terms: Vec<TermSummary<'a>>,
}

/// The view for `taxonomy_term.html` (one council, category, subcategory, outcome, year).
#[derive(Debug, Clone, Serialize)]
pub struct TermPage<'a> {
    /// Site-wide values.
    pub site: &'a SiteView<'a>,
    /// The page's title.
    pub title: String,
    /// `council`, `category`, `subcategory`, `outcome`, `year`.
    pub kind: &'static str,
    /// The page's full URL.
    pub url: String,
    /// The term with its counts (and subcategories for a category).
    pub term: TermSummary<'a>,
    /// The parent category of a subcategory.
    pub parent: Option<Link>,
    /// The list of all terms of this kind.
    pub taxonomy: Link,
    /// The term's Atom feed, for councils and categories.
    pub feed_url: Option<String>,
    /// The "at a glance" panel, on the first page.
    pub glance: Option<super::statistics::GlanceView>,
    /// This page of decisions.
    pub paginator: Paginator<'a>,
}

/// The view for `list.html` (`/decisions/`).
#[derive(Debug, Clone, Serialize)]
pub struct ListPage<'a> {
    /// Site-wide values.
    pub site: &'a SiteView<'a>,
    /// The page's title.
    pub title: String,
    /// The page's full URL.
    pub url: String,
    /// This page of decisions.
    pub paginator: Paginator<'a>,
}

/// The view for `index.html`.
#[derive(Debug, Clone, Serialize)]
pub struct HomePage<'a> {
    /// Site-wide values.
    pub site: &'a SiteView<'a>,
    /// The page's full URL.
    pub url: String,
    /// How many decisions.
    pub decision_count: usize,
    /// How many councils.
    pub council_count: usize,
    /// The newest decisions.
    pub latest: Vec<Card<'a>>,
    /// Every category with its counts.
    pub categories: Vec<TermSummary<'a>>,
    /// Every outcome with its counts.
    pub outcomes: Vec<TermSummary<'a>>,
    /// Every year with its counts.
    pub years: Vec<TermSummary<'a>>,
}

/// The view for `page.html` (standalone Markdown pages).
#[derive(Debug, Clone, Serialize)]
pub struct PageView<'a> {
    /// Site-wide values.
    pub site: &'a SiteView<'a>,
    /// The page's title.
    pub title: &'a str,
    /// Its description.
    pub description: Option<&'a str>,
    /// The page's full URL.
    pub url: String,
    /// The page's HTML.
    pub content: String,
}

/// The view for pages with only a title: `404.html`, `search.html`.
#[derive(Debug, Clone, Serialize)]
pub struct TitledPage<'a> {
    /// Site-wide values.
    pub site: &'a SiteView<'a>,
    /// The page's title.
    pub title: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_name_listing_pages() {
        assert_eq!(page_path("councils/a/", 1), "councils/a/");
        assert_eq!(page_path("councils/a/", 3), "councils/a/page/3/");
    }
}
