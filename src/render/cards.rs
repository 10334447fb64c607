//! Decision cards: the light metadata listings show for a decision (never its body), with
//! the URL and formatted dates computed once per build, and the card's HTML rendered once
//! per build from the theme's `partials/card.html` and reused by every listing.
//!
//! Each card is also turned into the template engine's value once per build: a page that
//! shows a card (a listing, the home page, a decision's related lists) holds that value,
//! which Tera takes as it is (a shared reference, not a copy of every string), instead of
//! serializing the card's fields again on each page.

use serde::Serialize;

use super::views::SiteView;
use crate::decision::Decision;
use crate::site::Site;

/// A decision as listings show it: light metadata only, borrowed from the site and from
/// [`Cards`]. Pages hold it as a [`Card`], made from it once per build.
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
    /// instead of rendering the same card on every page that lists the decision. Empty
    /// in [`Cards::card`], which the card template renders; set in the [`Card`] pages show.
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

/// A decision's card as pages show it: its [`DecisionCard`] (with its HTML) as Tera's
/// value, made once per build. It serializes into a page's context as that value, shared.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(transparent)]
pub struct Card<'a>(&'a tera::Value);

/// Renders a card's HTML from its [`DecisionCard`] (the theme's card template).
pub type RenderCard<'f, E> = &'f (dyn Fn(DecisionCard<'_>) -> Result<String, E> + Sync);

/// What every card needs that is not stored in a decision: its URL and formatted dates,
/// computed once per build, and the card as Tera's value (with its rendered HTML). Shared
/// (`Arc`) so that a preview can keep it between rebuilds that do not change any card.
#[derive(Debug, Clone, Default)]
pub struct CardData {
    urls: Vec<String>,
    dates: Vec<Option<(String, String)>>,
    values: Vec<tera::Value>,
}

impl CardData {
    /// Decision `index`'s card as pages show it, when the cards were made
    /// ([`Cards::prerender`]) and the index is a decision's.
    pub fn value(&self, index: usize) -> Option<&tera::Value> {
        self.values.get(index)
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
                values: Vec::new(),
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

    /// Makes every card as pages show it (in parallel): its HTML rendered once with
    /// `render`, for listings to reuse, and the card with it as a template value. A card
    /// that `reuse` already has (made by an earlier build, for a decision that has not
    /// changed) is taken from it instead. `render` is `None` for a theme without a card
    /// template: the cards' HTML is then empty.
    pub fn prerender<E: Send>(
        &mut self,
        reuse: impl Fn(usize) -> Option<tera::Value> + Sync,
        render: Option<RenderCard<'_, E>>,
    ) -> Result<(), E> {
        use rayon::prelude::*;
        let values = (0..self.data.urls.len())
            .into_par_iter()
            .map(|i| {
                if let Some(value) = reuse(i) {
                    return Ok(value);
                }
                let card = self.card(i);
                let html = match render {
                    Some(render) => render(card.clone())?,
                    None => String::new(),
                };
                Ok(tera::Value::from_serializable(&DecisionCard {
                    html: &html,
                    ..card
                }))
            })
            .collect::<Result<Vec<tera::Value>, E>>()?;
        std::sync::Arc::make_mut(&mut self.data).values = values;
        Ok(())
    }

    /// The site the cards are of.
    pub fn site(&self) -> &'a Site {
        self.site
    }

    /// The full URL of decision `index`.
    pub fn url(&self, index: usize) -> &str {
        &self.data.urls[index]
    }

    /// The card of decision `index`, without its HTML (the card template renders that).
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
            html: "",
        }
    }

    /// The card of decision `index` as pages show it, with its HTML: made by
    /// [`Cards::prerender`], or kept from it ([`Cards::from_data`]). Cards that were
    /// never made (a renderer of the data files alone) show none.
    pub fn shown(&self, index: usize) -> Card<'_> {
        static NONE: std::sync::LazyLock<tera::Value> = std::sync::LazyLock::new(tera::Value::none);
        Card(self.data.values.get(index).unwrap_or(&NONE))
    }

    /// The cards for `indices`, as pages show them.
    pub fn many(&self, indices: &[usize]) -> Vec<Card<'_>> {
        indices.iter().map(|&i| self.shown(i)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a page's template sees of `card`: the card as its context holds it.
    fn in_context(card: Card<'_>) -> tera::Value {
        #[derive(Serialize)]
        struct Page<'a> {
            d: Card<'a>,
        }
        let context = tera::Context::from_serialize(&Page { d: card }).expect("a context");
        context.get("d").cloned().expect("the card")
    }

    fn field<'v>(card: &'v tera::Value, name: &'v str) -> Option<&'v str> {
        card.get_from_path(name).and_then(tera::Value::as_str)
    }

    /// The card template's stand-in: longer than Tera keeps inside a value (21 bytes),
    /// so that a copy would show.
    fn render(d: DecisionCard<'_>) -> Result<String, &'static str> {
        Ok(format!("<li class=\"card\">{}</li>", d.reference))
    }

    #[test]
    fn a_shown_card_is_the_card_with_its_html_made_once() {
        let site = crate::render::tests::sample_site();
        let mut cards = Cards::new(&site);
        cards.prerender(|_| None, Some(&render)).expect("rendered");
        // Every field of each card, the undated decision's missing date among them, and
        // its HTML.
        assert!(site.decisions.iter().any(|d| d.decision_date.is_none()));
        for i in 0..site.decisions.len() {
            let html = render(cards.card(i)).expect("html");
            let made = tera::Value::from_serializable(&DecisionCard {
                html: &html,
                ..cards.card(i)
            });
            assert_eq!(in_context(cards.shown(i)), made, "card {i}");
        }
        // A page's context holds the card made once, not a copy of its strings.
        let shown = in_context(cards.shown(0));
        let data = cards.data();
        let kept = data.value(0).expect("card 0");
        let html = |v: &tera::Value| field(v, "html").map(str::as_ptr);
        assert_eq!(html(&shown), html(kept));
        let many: Vec<tera::Value> = cards.many(&[2, 0]).into_iter().map(in_context).collect();
        assert_eq!(field(&many[0], "reference"), Some(cards.card(2).reference));
        assert_eq!(field(&many[1], "reference"), Some(cards.card(0).reference));
    }

    #[test]
    fn a_card_made_before_is_reused_and_not_rendered_again() {
        let site = crate::render::tests::sample_site();
        let mut before = Cards::new(&site);
        before.prerender(|_| None, Some(&render)).expect("rendered");
        let before = before.data();
        let fails = |_: DecisionCard<'_>| Err::<String, &str>("rendered again");
        // A card not kept is rendered again...
        let mut cards = Cards::new(&site);
        let all_but_one = |i: usize| before.value(i).filter(|_| i != 1).cloned();
        assert_eq!(
            cards.prerender(all_but_one, Some(&fails)),
            Err("rendered again")
        );
        // ... and kept cards are not: the pages show the cards made before.
        let mut cards = Cards::new(&site);
        cards
            .prerender(|i| before.value(i).cloned(), Some(&fails))
            .expect("every card kept");
        for i in 0..site.decisions.len() {
            assert_eq!(Some(&in_context(cards.shown(i))), before.value(i));
        }
    }

    #[test]
    fn cards_of_a_theme_without_a_card_template_have_no_html() {
        let site = crate::render::tests::sample_site();
        let mut cards = Cards::new(&site);
        cards.prerender::<()>(|_| None, None).expect("no template");
        let data = cards.data();
        assert_eq!(data.value(0).and_then(|v| field(v, "html")), Some(""));
        assert!(
            data.value(site.decisions.len()).is_none(),
            "past the last decision"
        );
        let shown = in_context(cards.shown(0));
        assert_eq!(field(&shown, "council"), Some(cards.card(0).council));
    }

    #[test]
    fn cards_never_made_show_none() {
        let site = crate::render::tests::sample_site();
        assert!(in_context(Cards::new(&site).shown(0)).is_none());
    }
}
