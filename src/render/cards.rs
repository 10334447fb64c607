//! Decision cards: the light metadata listings show for a decision (never its body), with
//! the URL and formatted dates computed once per build, and the card's HTML rendered once
//! per build from the theme's `partials/card.html` and reused by every listing.

use serde::Serialize;

use super::views::SiteView;
use crate::decision::Decision;
use crate::site::Site;

/// A decision as listings show it: light metadata only, borrowed from the site and from
/// [`Cards`], so a listing of thousands of decisions allocates nothing per card.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionCard<'a> {
    /// `21 019 020`.
    pub reference: &'a str,
    /// The decision page's URL.
    pub url: &'a str,
    /// The organisation.
    pub council: &'a str,
    /// The category, when known.
    pub category: Option<&'a str>,
    /// The subcategory, when known.
    pub subcategory: Option<&'a str>,
    /// The outcome's label, when known.
    pub outcome: Option<&'static str>,
    /// The outcome's slug, for styling.
    pub outcome_slug: Option<&'static str>,
    /// Whether the outcome was inferred rather than stated.
    pub outcome_inferred: bool,
    /// The date as `2022-08-25`, for `<time datetime>`.
    pub date: Option<&'a str>,
    /// The date as `25 August 2022`.
    pub date_display: Option<&'a str>,
    /// The Ombudsman's own summary.
    pub summary: Option<&'a str>,
    /// The card as HTML, rendered once per build from the theme's `partials/card.html`
    /// (empty when the theme has none): listings print it with `{{ d.html | safe }}`
    /// instead of rendering the same card on every page that lists the decision.
    pub html: &'a str,
}

/// The view `partials/card.html` is rendered with: `d` is the card.
#[derive(Debug, Clone, Serialize)]
pub struct CardView<'a> {
    /// Site-wide values.
    pub site: &'a SiteView<'a>,
    /// The decision.
    pub d: DecisionCard<'a>,
}

/// What every card needs that is not stored in a decision: its URL and formatted dates,
/// computed once per build, and its rendered HTML. Shared (`Arc`) so that a preview can
/// keep it between rebuilds that do not change any card.
#[derive(Debug, Clone, Default)]
pub struct CardData {
    urls: Vec<String>,
    dates: Vec<Option<(String, String)>>,
    html: Vec<String>,
}

impl CardData {
    /// Every card's HTML, by decision index.
    pub fn html(&self) -> &[String] {
        &self.html
    }
}

/// The cards of one site.
#[derive(Debug, Clone)]
pub struct Cards<'a> {
    site: &'a Site,
    data: std::sync::Arc<CardData>,
}

impl<'a> Cards<'a> {
    /// Computes URLs and dates for every decision of `site`.
    pub fn new(site: &'a Site) -> Self {
        use rayon::prelude::*;
        let (urls, dates) = (0..site.decisions.len())
            .into_par_iter()
            .map(|i| {
                let date = site.decisions[i].decision_date.map(|x| {
                    (
                        x.format("%Y-%m-%d").to_string(),
                        x.format("%-d %B %Y").to_string(),
                    )
                });
                (site.settings.url(&site.decision_path(i)), date)
            })
            .unzip();
        Self {
            site,
            data: std::sync::Arc::new(CardData {
                urls,
                dates,
                html: Vec::new(),
            }),
        }
    }

    /// The cards of `site` from data computed for it before (by [`Cards::data`]): the
    /// caller vouches that no decision's card changed since.
    pub fn from_data(site: &'a Site, data: std::sync::Arc<CardData>) -> Self {
        Self { site, data }
    }

    /// The computed data, to keep for [`Cards::from_data`].
    pub fn data(&self) -> std::sync::Arc<CardData> {
        std::sync::Arc::clone(&self.data)
    }

    /// Renders every card once with `render` (in parallel), for listings to reuse; a card
    /// that `reuse` already has (from an earlier build of an unchanged decision) is taken
    /// from it instead.
    pub fn prerender<E: Send>(
        &mut self,
        reuse: impl Fn(usize) -> Option<String> + Sync,
        render: impl Fn(DecisionCard<'_>) -> Result<String, E> + Sync,
    ) -> Result<(), E> {
        use rayon::prelude::*;
        let html = (0..self.data.urls.len())
            .into_par_iter()
            .map(|i| reuse(i).map_or_else(|| render(self.card(i)), Ok))
            .collect::<Result<Vec<String>, E>>()?;
        std::sync::Arc::make_mut(&mut self.data).html = html;
        Ok(())
    }

    /// Every card's HTML, by decision index (empty when the theme has no card template).
    pub fn html(&self) -> &[String] {
        &self.data.html
    }

    /// The site the cards are of.
    pub fn site(&self) -> &'a Site {
        self.site
    }

    /// The full URL of decision `index`.
    pub fn url(&self, index: usize) -> &str {
        &self.data.urls[index]
    }

    /// The card of decision `index`.
    pub fn card(&self, index: usize) -> DecisionCard<'_> {
        let d: &Decision = &self.site.decisions[index];
        let date = self.data.dates[index].as_ref();
        DecisionCard {
            reference: d.reference.as_str(),
            url: &self.data.urls[index],
            council: &d.council,
            category: d.category.as_deref(),
            subcategory: d.subcategory.as_deref(),
            outcome: d.outcome.map(|o| o.label()),
            outcome_slug: d.outcome.map(|o| o.slug()),
            outcome_inferred: d.is_inferred(crate::decision::Field::Outcome),
            date: date.map(|(iso, _)| iso.as_str()),
            date_display: date.map(|(_, shown)| shown.as_str()),
            summary: d.summary.as_deref(),
            html: self.data.html.get(index).map_or("", String::as_str),
        }
    }

    /// Cards for `indices`.
    pub fn many(&self, indices: &[usize]) -> Vec<DecisionCard<'_>> {
        indices.iter().map(|&i| self.card(i)).collect()
    }
}
