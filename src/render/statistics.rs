//! The statistics views: the "at a glance" panel of a council, category, subcategory,
//! outcome or year page ([`GlanceView`]), and `/statistics/` ([`StatisticsPage`]), each
//! with its charts' CSV downloads.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use super::charts::{self, year_label, Chart};
use super::views::{Link, SiteView};
use super::Renderer;
use crate::decision::Money;
use crate::diagnostics::Diagnostic;
use crate::output::OutputFile;
use crate::site::statistics::{self as stats, Glance, Payments, Share, YearCounts};
use crate::site::{OutcomeCounts, Site, TaxonomyKind, Term};

/// How many councils `/statistics/` ranks.
const TOP_COUNCILS: usize = 10;

/// One kind of remedy with how many decisions agree it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemedyFigure {
    /// `Apology`.
    pub kind: &'static str,
    /// Decisions agreeing at least one.
    pub decisions: usize,
}

/// A term with the number of the panel's decisions it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TopTerm {
    /// The term's name.
    pub name: String,
    /// Its listing page.
    pub url: String,
    /// How many of the panel's decisions.
    pub count: usize,
}

/// The "at a glance" panel of one term's page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GlanceView {
    /// How many decisions.
    pub total: usize,
    /// How many have no date (a row of their own in the chart).
    pub undated: usize,
    /// How many outcomes the importer inferred from the text.
    pub inferred_outcomes: usize,
    /// How many have no outcome stated.
    pub unknown_outcomes: usize,
    /// Upheld decisions.
    pub upheld: usize,
    /// Decisions upheld or not upheld (closed after initial enquiries left out).
    pub upheld_or_not: usize,
    /// The upheld share in percent, only when it rests on 10 or more decisions.
    pub upheld_percent: Option<usize>,
    /// Decisions agreeing each kind of remedy.
    pub remedies: Vec<RemedyFigure>,
    /// The total of the payment amounts stated (`£12,300`), when any is.
    pub payments_total: Option<String>,
    /// How many decisions state a payment amount.
    pub payments_decisions: usize,
    /// How many agree a payment without stating an amount.
    pub payments_unstated: usize,
    /// `Categories` or `Councils`: what [`GlanceView::top`] lists.
    pub top_kind: &'static str,
    /// The top terms of the other taxonomy.
    pub top: Vec<TopTerm>,
    /// Decisions per year by outcome.
    pub chart: Chart,
}

impl GlanceView {
    /// The panel of the decisions at `indices`, of the page at site path `path`; on a
    /// council's page (`kind`) it ranks categories, elsewhere councils.
    pub fn new(site: &Site, indices: &[usize], kind: TaxonomyKind, path: &str) -> Self {
        let top_kind = if kind == TaxonomyKind::Council {
            TaxonomyKind::Category
        } else {
            TaxonomyKind::Council
        };
        let g: Glance<'_> = stats::glance(site, indices, top_kind);
        let csv_path = format!("{path}by-year.csv");
        let chart = charts::by_year(
            "glance-by-year",
            "Decisions per year by outcome".into(),
            &g.by_year,
        )
        .with_csv(csv_path.clone(), site.settings.url(&csv_path));
        Self {
            total: g.total,
            undated: g.undated,
            inferred_outcomes: g.inferred_outcomes,
            unknown_outcomes: g.outcomes.unknown,
            upheld: g.share.upheld,
            upheld_or_not: g.share.upheld_or_not,
            upheld_percent: g.share.percent(),
            remedies: g
                .remedies
                .iter()
                .map(|r| RemedyFigure {
                    kind: r.kind.label(),
                    decisions: r.decisions,
                })
                .collect(),
            payments_total: (g.payments.decisions_with_amount > 0).then(|| {
                Money {
                    pence: g.payments.total_pence,
                }
                .display()
            }),
            payments_decisions: g.payments.decisions_with_amount,
            payments_unstated: g.payments.decisions_without_amount,
            top_kind: top_kind.title(),
            top: g
                .top
                .iter()
                .map(|t| TopTerm {
                    name: t.term.name.clone(),
                    url: site.settings.url(&t.term.path),
                    count: t.count,
                })
                .collect(),
            chart,
        }
    }
}

/// Which term's page a panel belongs to: its taxonomy, its index there, and the index of
/// a subcategory among its children.
type TermKey = (TaxonomyKind, usize, Option<usize>);

/// The "at a glance" panel of every term's page, computed once, in parallel, ahead of the
/// listings that show them.
#[derive(Debug, Default)]
pub struct Glances {
    by_term: HashMap<TermKey, GlanceView>,
}

impl Glances {
    /// The panel of every term and subcategory of `site`. Each costs one pass over its
    /// term's decisions, so all of them cost a pass per taxonomy.
    pub fn of_every_term(site: &Site) -> Self {
        let mut terms: Vec<(TermKey, &Term)> = Vec::new();
        for kind in TaxonomyKind::ALL {
            for (i, term) in site.taxonomies.get(kind).terms.iter().enumerate() {
                terms.push(((kind, i, None), term));
                for (c, child) in term.children.iter().enumerate() {
                    terms.push(((kind, i, Some(c)), child));
                }
            }
        }
        let by_term = terms
            .into_par_iter()
            .map(|(key, term)| {
                let view = GlanceView::new(site, &term.decisions, key.0, &term.path);
                (key, view)
            })
            .collect();
        Self { by_term }
    }

    /// No panel at all.
    pub fn none() -> Self {
        Self::default()
    }

    /// The panel of term `term` of `kind` (of its subcategory `sub`).
    pub fn get(&self, kind: TaxonomyKind, term: usize, sub: Option<usize>) -> Option<&GlanceView> {
        self.by_term.get(&(kind, term, sub))
    }
}

/// The view for `statistics.html`.
#[derive(Debug, Clone, Serialize)]
pub struct StatisticsPage<'a> {
    /// Site-wide values.
    pub site: &'a SiteView<'a>,
    /// `Statistics`.
    pub title: &'static str,
    /// The page's full URL.
    pub url: String,
    /// How many decisions.
    pub total: usize,
    /// How many have no date.
    pub undated: usize,
    /// How many outcomes were inferred from the text.
    pub inferred_outcomes: usize,
    /// How many have no outcome stated.
    pub unknown_outcomes: usize,
    /// How many have no category (left out of the charts by category).
    pub uncategorised: usize,
    /// The payments agreed across the digest.
    pub payments_total: String,
    /// How many decisions state a payment amount.
    pub payments_decisions: usize,
    /// The charts, in order.
    pub charts: Vec<Chart>,
    /// Where the full data is.
    pub data: Vec<Link>,
}

/// The site path of `/statistics/`.
pub const PATH: &str = "statistics/";

/// `/statistics/` and its charts' CSV files.
pub(super) fn page(r: &Renderer<'_>) -> Result<Vec<OutputFile>, Diagnostic> {
    let site = r.site;
    let all: Vec<usize> = (0..site.decisions.len()).collect();
    let g = stats::glance(site, &all, TaxonomyKind::Council);
    let charts = site_charts(site, &all, &g.by_year);
    let mut files = Vec::with_capacity(charts.len() + 1);
    for chart in &charts {
        files.push(chart.csv_file().map_err(|e| {
            Diagnostic::error(
                chart.csv_path.clone(),
                format!("could not write the CSV: {e}"),
            )
        })?);
    }
    let view = StatisticsPage {
        site: &r.view,
        title: "Statistics",
        url: site.settings.url(PATH),
        total: g.total,
        undated: g.undated,
        inferred_outcomes: g.inferred_outcomes,
        unknown_outcomes: g.outcomes.unknown,
        uncategorised: stats::uncategorised(site),
        payments_total: Money {
            pence: g.payments.total_pence,
        }
        .display(),
        payments_decisions: g.payments.decisions_with_amount,
        charts,
        data: vec![
            Link {
                title: "Every decision as JSON".into(),
                url: site.settings.url("data/decisions.json"),
            },
            Link {
                title: "Every decision as CSV".into(),
                url: site.settings.url("data/decisions.csv"),
            },
        ],
    };
    let text = r.templates.render("statistics.html", &view)?;
    let path = format!("{PATH}index.html");
    let text = super::links::finish(&path, &text, &site.settings)?;
    files.push(OutputFile {
        path,
        bytes: text.into_bytes(),
    });
    Ok(files)
}

/// The charts of `/statistics/`, each with its CSV under `statistics/`.
fn site_charts(site: &Site, all: &[usize], by_year: &[YearCounts]) -> Vec<Chart> {
    let categories = stats::by_category(site);
    let csv = |chart: Chart| {
        let path = format!("{PATH}{}.csv", chart.id);
        let url = site.settings.url(&path);
        chart.with_csv(path, url)
    };
    let councils: Vec<(String, OutcomeCounts)> =
        stats::top_terms(site, all, TaxonomyKind::Council, TOP_COUNCILS)
            .into_iter()
            .map(|t| (t.term.name.clone(), site.outcome_counts(&t.term.decisions)))
            .collect();
    let payments_by_year: Vec<(String, Payments)> = stats::payments_by_year(site)
        .into_iter()
        .map(|(y, p)| (year_label(y), p))
        .collect();
    let shares: Vec<(String, Share)> = categories
        .iter()
        .map(|c| (c.term.name.clone(), c.share))
        .collect();
    let payments_by_category: Vec<(String, Payments)> = categories
        .iter()
        .map(|c| (c.term.name.clone(), c.payments))
        .collect();
    let top_title = match councils.len() {
        1 => "The council with the most decisions in this digest".to_string(),
        n => format!("The {n} councils with the most decisions in this digest"),
    };
    vec![
        csv(charts::by_year(
            "by-year",
            "Decisions per year by outcome".into(),
            by_year,
        )),
        csv(charts::shares(
            "upheld-by-category",
            "Share of decisions upheld, by category".into(),
            "Category",
            &shares,
        )),
        csv(charts::payments(
            "payments-by-year",
            "Payments agreed, by year".into(),
            "Year",
            &payments_by_year,
        )),
        csv(charts::payments(
            "payments-by-category",
            "Payments agreed, by category".into(),
            "Category",
            &payments_by_category,
        )),
        csv(charts::outcomes(
            "top-councils",
            top_title,
            "Council",
            &councils,
        )),
    ]
}
