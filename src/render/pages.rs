//! The render jobs: which template each page kind uses, with which view, at which path.

use rayon::prelude::*;

use super::markdown;
use super::statistics::{self, GlanceView};
use super::views::{
    page_path, DecisionPage, Fact, HomePage, Link, ListPage, PageView, Paginator, RemedyView,
    TaxonomyPage, TermExplained, TermPage, TermSummary, TitledPage,
};
use super::{feeds, links, sitemap, DecisionExtract, RenderedDecision, Renderer};
use crate::decision::{organisation_noun, Commitment, Decision, Field};
use crate::diagnostics::Diagnostic;
use crate::output::OutputFile;
use crate::site::{TaxonomyKind, Term};
use crate::summary::{self, Origin, PlainSummary};

/// How many related decisions of each kind a decision page links to.
pub const RELATED: usize = 5;
/// How many decisions the home page lists.
const LATEST: usize = 10;

/// One independent unit of rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Job {
    /// `index.html`.
    Home,
    /// `decisions/` and its pages.
    AllDecisions,
    /// `atom.xml`.
    SiteFeed,
    /// `councils/`, `categories/`, `outcomes/`, `years/`.
    TaxonomyIndex(TaxonomyKind),
    /// A term's listing pages (and its feed, for councils and categories): `term` indexes
    /// the taxonomy's terms, `sub` the term's subcategories.
    Term {
        /// Which taxonomy.
        kind: TaxonomyKind,
        /// Index into its terms.
        term: usize,
        /// Index into the term's children, for a subcategory.
        sub: Option<usize>,
    },
    /// A standalone page, by index into `Site::pages`.
    Page(usize),
    /// `404.html`.
    NotFound,
    /// `search/index.html`: the page the search script runs in, when the theme has
    /// `search.html`.
    Search,
    /// `statistics/index.html` and its charts' CSV files, when the theme has
    /// `statistics.html`.
    Statistics,
    /// `robots.txt`.
    Robots,
    /// `sitemap.xml` (and its parts).
    Sitemap,
}

/// The page at site path `path` (`councils/`), its links made relative to it.
fn html(r: &Renderer<'_>, path: &str, text: &str) -> Result<OutputFile, Diagnostic> {
    let file = format!("{path}index.html");
    let text = links::finish(&file, text, &r.site.settings)?;
    Ok(OutputFile {
        path: file,
        bytes: text.into_bytes(),
    })
}

/// Which pages of a paginated listing to render: every one, or only these page numbers
/// (1-based). A job that is not a listing renders whole either way.
pub type ListingPages<'p> = Option<&'p std::collections::BTreeSet<usize>>;

pub(super) fn render_job(
    r: &Renderer<'_>,
    job: &Job,
    only: ListingPages<'_>,
    emit: Emit<'_>,
) -> Result<(), Diagnostic> {
    let site = r.site;
    let one = |file: OutputFile| {
        emit(file);
        Ok(())
    };
    match *job {
        Job::Home => one(home(r)?),
        Job::AllDecisions => all_decisions(r, only, emit),
        Job::SiteFeed => {
            let all: Vec<usize> = (0..site.decisions.len()).collect();
            let scope = feeds::FeedScope {
                title: &site.settings.config.title,
                page_path: "",
                decisions: &all,
            };
            one(feeds::feed(site, scope))
        }
        Job::TaxonomyIndex(kind) => one(taxonomy_index(r, kind)?),
        Job::Term { kind, term, sub } => term_pages(r, (kind, term, sub), only, emit),
        Job::Page(i) => one(standalone_page(r, i)?),
        Job::NotFound => one(not_found(r)?),
        Job::Search => {
            let view = TitledPage {
                site: &r.view,
                title: "Search decisions",
            };
            one(html(
                r,
                "search/",
                &r.templates.render("search.html", &view)?,
            )?)
        }
        Job::Statistics => {
            statistics::page(r)?.into_iter().for_each(emit);
            Ok(())
        }
        Job::Robots => one(sitemap::robots(&site.settings)),
        Job::Sitemap => {
            sitemap::sitemaps(&site.settings, &page_paths(r), sitemap::MAX_URLS)
                .into_iter()
                .for_each(emit);
            Ok(())
        }
    }
}

/// The pages of the listing of every decision.
fn all_decisions<'a>(
    r: &'a Renderer<'_>,
    only: ListingPages<'_>,
    emit: Emit<'_>,
) -> Result<(), Diagnostic> {
    let site = r.site;
    let all: Vec<usize> = (0..site.decisions.len()).collect();
    let view = |p: Paginator<'a>| ListPage {
        site: &r.view,
        title: "All decisions".into(),
        url: site.settings.url(&page_path("decisions/", p.number)),
        paginator: p,
    };
    listing(r, "decisions/", &all, view, only, emit)
}

/// The site's own page number `i` (`content/pages/`).
fn standalone_page(r: &Renderer<'_>, i: usize) -> Result<OutputFile, Diagnostic> {
    let site = r.site;
    let page = site
        .pages
        .get(i)
        .ok_or_else(|| Diagnostic::error("content/pages", "no such page"))?;
    let view = PageView {
        site: &r.view,
        title: &page.title,
        description: page.description.as_deref(),
        url: site.settings.url(&page.path),
        content: markdown::render_page(&page.body),
    };
    html(r, &page.path, &r.templates.render("page.html", &view)?)
}

/// `404.html`, at the root: served for any address, so its links stay rooted.
fn not_found(r: &Renderer<'_>) -> Result<OutputFile, Diagnostic> {
    let view = TitledPage {
        site: &r.view,
        title: "Page not found",
    };
    let text = r.templates.render("404.html", &view)?;
    let text = links::finish("404.html", &text, &r.site.settings)?;
    Ok(OutputFile {
        path: "404.html".into(),
        bytes: text.into_bytes(),
    })
}

/// Where a job hands each file as soon as it is rendered.
pub type Emit<'e> = &'e (dyn Fn(OutputFile) + Sync);

/// Every page of a paginated listing at `base`, rendered in parallel and handed to `emit`
/// one by one, so that a listing of 100,000 decisions is never held in memory whole.
fn listing<'a, V: serde::Serialize>(
    r: &'a Renderer<'_>,
    base: &str,
    indices: &[usize],
    view: impl Fn(Paginator<'a>) -> V + Sync,
    only: ListingPages<'_>,
    emit: Emit<'_>,
) -> Result<(), Diagnostic> {
    let per_page = r.site.settings.config.paginate_by.max(1);
    let count = indices.len().div_ceil(per_page).max(1);
    let template = if base == "decisions/" {
        "list.html"
    } else {
        "taxonomy_term.html"
    };
    let wanted = |n: &usize| only.is_none_or(|pages| pages.contains(n));
    (1..=count)
        .into_par_iter()
        .filter(wanted)
        .try_for_each(|n| {
            let p = Paginator::new(&r.cards, base, indices, per_page, n);
            let text = r.templates.render(template, &view(p))?;
            emit(html(r, &page_path(base, n), &text)?);
            Ok(())
        })
}

fn home(r: &Renderer<'_>) -> Result<OutputFile, Diagnostic> {
    let site = r.site;
    let t = &site.taxonomies;
    let summaries = |kind: TaxonomyKind| -> Vec<TermSummary<'_>> {
        t.get(kind)
            .terms
            .iter()
            .map(|term| TermSummary::new(site, term, false))
            .collect()
    };
    let latest: Vec<usize> = (0..site.decisions.len().min(LATEST)).collect();
    let view = HomePage {
        site: &r.view,
        url: site.settings.url(""),
        decision_count: site.decisions.len(),
        council_count: t.councils.terms.len(),
        latest: r.cards.many(&latest),
        categories: summaries(TaxonomyKind::Category),
        outcomes: summaries(TaxonomyKind::Outcome),
        years: summaries(TaxonomyKind::Year),
    };
    html(r, "", &r.templates.render("index.html", &view)?)
}

fn taxonomy_index(r: &Renderer<'_>, kind: TaxonomyKind) -> Result<OutputFile, Diagnostic> {
    let site = r.site;
    let path = format!("{}/", kind.folder());
    let view = TaxonomyPage {
        site: &r.view,
        title: kind.title(),
        kind: kind.singular(),
        url: site.settings.url(&path),
        terms: site
            .taxonomies
            .get(kind)
            .terms
            .iter()
            .map(|t| TermSummary::new(site, t, kind == TaxonomyKind::Category))
            .collect(),
    };
    html(r, &path, &r.templates.render("taxonomy_list.html", &view)?)
}

fn term_pages<'a>(
    r: &'a Renderer<'_>,
    (kind, term, sub): (TaxonomyKind, usize, Option<usize>),
    only: ListingPages<'_>,
    emit: Emit<'_>,
) -> Result<(), Diagnostic> {
    let site = r.site;
    let missing = || Diagnostic::error(kind.folder(), "no such term");
    let parent: &Term = site
        .taxonomies
        .get(kind)
        .terms
        .get(term)
        .ok_or_else(missing)?;
    let this: &Term = match sub {
        Some(s) => parent.children.get(s).ok_or_else(missing)?,
        None => parent,
    };
    let (title, kind_name) = term_title(kind, parent, sub.map(|_| this));
    let feed = matches!(kind, TaxonomyKind::Council | TaxonomyKind::Category) && sub.is_none();
    // Counted once per term, not once per page: a term's pages stay linear in its size.
    let summary = TermSummary::new(site, this, sub.is_none());
    let glance = match r.glances.get() {
        Some(glances) => glances.get(kind, term, sub).cloned(),
        None => Some(GlanceView::new(site, &this.decisions, kind, &this.path)),
    };
    if let Some(glance) = &glance {
        emit(glance_csv(glance)?);
    }
    let view = |p: Paginator<'a>| TermPage {
        site: &r.view,
        title: title.clone(),
        kind: kind_name,
        url: site.settings.url(&page_path(&this.path, p.number)),
        term: summary.clone(),
        parent: sub.map(|_| Link {
            title: parent.name.clone(),
            url: site.settings.url(&parent.path),
        }),
        taxonomy: Link {
            title: kind.title().into(),
            url: site.settings.url(&format!("{}/", kind.folder())),
        },
        feed_url: feed.then(|| site.settings.url(&format!("{}atom.xml", this.path))),
        glance: glance.clone().filter(|_| p.number == 1),
        paginator: p,
    };
    listing(r, &this.path, &this.decisions, view, only, emit)?;
    if feed {
        emit(feeds::feed(
            site,
            feeds::FeedScope {
                title: &format!("{} — {}", site.settings.config.title, this.name),
                page_path: &this.path,
                decisions: &this.decisions,
            },
        ));
    }
    Ok(())
}

/// A term page's title and the kind of term it names, for the subcategory `child` of
/// `parent` when there is one.
fn term_title(kind: TaxonomyKind, parent: &Term, child: Option<&Term>) -> (String, &'static str) {
    let this = child.unwrap_or(parent);
    match (kind, child) {
        (TaxonomyKind::Category, Some(_)) => {
            (format!("{}: {}", parent.name, this.name), "subcategory")
        }
        (TaxonomyKind::Outcome, _) => (format!("Decisions: {}", this.name), "outcome"),
        (TaxonomyKind::Year, _) => (format!("Decisions from {}", this.name), "year"),
        _ => (this.name.clone(), kind.singular()),
    }
}

/// The CSV of the figures a term's glance chart draws.
fn glance_csv(glance: &GlanceView) -> Result<OutputFile, Diagnostic> {
    glance.chart.csv_file().map_err(|e| {
        Diagnostic::error(
            glance.chart.csv_path.clone(),
            format!("could not write the CSV: {e}"),
        )
    })
}

/// Every site path of an HTML page, in a stable order, for the sitemap.
pub(super) fn page_paths(r: &Renderer<'_>) -> Vec<String> {
    let site = r.site;
    let per_page = site.settings.config.paginate_by.max(1);
    let mut paths = vec![String::new()];
    let listing = |base: &str, n: usize, paths: &mut Vec<String>| {
        let count = n.div_ceil(per_page).max(1);
        paths.extend((1..=count).map(|p| page_path(base, p)));
    };
    listing("decisions/", site.decisions.len(), &mut paths);
    paths.extend((0..site.decisions.len()).map(|i| site.decision_path(i)));
    for kind in TaxonomyKind::ALL {
        paths.push(format!("{}/", kind.folder()));
        for term in &site.taxonomies.get(kind).terms {
            listing(&term.path, term.decisions.len(), &mut paths);
            for child in &term.children {
                listing(&child.path, child.decisions.len(), &mut paths);
            }
        }
    }
    paths.extend(site.pages.iter().map(|p| p.path.clone()));
    if r.templates.has("search.html") {
        paths.push("search/".into());
    }
    if r.templates.has(super::STATISTICS_TEMPLATE) {
        paths.push(statistics::PATH.into());
    }
    paths
}

impl Renderer<'_> {
    /// Renders the page of decision `index`, given the decision with its body (read back
    /// from `Site::sources[index]` by the caller).
    pub fn decision(&self, index: usize, full: &Decision) -> Result<RenderedDecision, Diagnostic> {
        let site = self.site;
        // A link to another decision the digest has goes to its page here.
        let local = |url: &str| {
            let to = crate::import::source_url::parse(url)?;
            Some(self.cards.url(site.find(&to.reference_slug)?).to_string())
        };
        let file = format!("{}index.html", site.decision_path(index));
        let relative = |url: &str| links::page_link(&file, url, &site.settings);
        let body = markdown::render_decision_body_at(&full.body, &site.glossary, &local, &relative);
        let plain = summary::summarise(full);
        let view = self.decision_view(index, full, &plain, &body.terms);
        let text = self.finish_decision(&file, view, &body.html, || {
            markdown::render_decision_body_linking(&full.body, &site.glossary, &local).html
        })?;
        Ok(RenderedDecision {
            file: OutputFile {
                path: file,
                bytes: text.into_bytes(),
            },
            extract: DecisionExtract {
                plain_summary: plain.text(),
                origin: plain.origin,
            },
            summary: plain,
        })
    }

    /// The view of decision `index`'s page, its body the renderer's mark.
    fn decision_view<'v>(
        &'v self,
        index: usize,
        full: &'v Decision,
        plain: &'v PlainSummary,
        terms: &[usize],
    ) -> DecisionPage<'v> {
        let site = self.site;
        let d = &site.decisions[index];
        let (category, _) = site.category_terms(index);
        let council = site.council_term(index);
        let related = |term: Option<&Term>| {
            term.map(|t| self.cards.many(&site.related(index, t, RELATED)))
                .unwrap_or_default()
        };
        DecisionPage {
            site: &self.view,
            title: format!("{} ({})", d.council, d.reference),
            url: self.cards.url(index).to_string(),
            permalink: site.settings.absolute_url(&site.decision_path(index)),
            decision: self.cards.shown(index),
            facts: facts(self, index),
            remedies: remedies(d, true),
            remedies_not_agreed: remedies(d, false),
            plain_summary: plain,
            plain_summary_origin: match plain.origin {
                Origin::Generated => "generated by this digest from the decision's text",
                Origin::Editor => "written by this digest's editor",
            },
            body_html: &self.body_mark,
            paragraphs_reconstructed: d.is_inferred(crate::decision::Field::ParagraphNumbers),
            incomplete: full.incomplete.as_deref(),
            terms: terms
                .iter()
                .map(|&i| {
                    let e = &site.glossary.entries[i];
                    TermExplained {
                        term: &e.term,
                        meaning: &e.meaning,
                        anchor: e.anchor(),
                    }
                })
                .collect(),
            related_council: related(council),
            related_category: related(category),
            council_url: council.map(|t| site.settings.url(&t.path)),
            council_count: council.map_or(0, |t| t.decisions.len()),
            category_url: category.map(|t| site.settings.url(&t.path)),
            // Only web links: a `javascript:` URL in front matter must not become a link.
            source_url: d
                .source_url
                .as_deref()
                .filter(|u| u.starts_with("https://") || u.starts_with("http://")),
        }
    }

    /// The finished page (links made relative, canonical URL added) of `view`, whose body
    /// is the renderer's mark: the page is finished without the body, most of its bytes,
    /// and `body` (its links written relative already) put where the mark is. A theme
    /// that changes the body (a filter on `body_html`) leaves no mark: its page is
    /// rendered again with `root_body` (links from the root) and finished whole.
    fn finish_decision(
        &self,
        file: &str,
        view: DecisionPage<'_>,
        body: &str,
        root_body: impl FnOnce() -> String,
    ) -> Result<String, Diagnostic> {
        let settings = &self.site.settings;
        let render = |view: &DecisionPage<'_>| self.templates.render("decision.html", view);
        let shell = links::finish(file, &render(&view)?, settings)?;
        let mark = self.body_mark.as_str();
        if let Some(at) = shell.find(mark) {
            // One reading of the shell: the body goes where the mark is (and wherever the
            // theme writes it again).
            let mut page = String::with_capacity(shell.len() + body.len());
            page.push_str(&shell[..at]);
            page.push_str(body);
            page.push_str(&shell[at + mark.len()..].replace(mark, body));
            return Ok(page);
        }
        let root_body = root_body();
        let view = DecisionPage {
            body_html: &root_body,
            ..view
        };
        links::finish(file, &render(&view)?, settings)
    }
}

fn facts(r: &Renderer<'_>, index: usize) -> Vec<Fact> {
    let site = r.site;
    let d = &site.decisions[index];
    let url = |t: Option<&Term>| t.map(|t| site.settings.url(&t.path));
    let (category, subcategory) = site.category_terms(index);
    let outcome = d
        .outcome
        .and_then(|o| site.taxonomies.outcomes.term(o.label()));
    let stated = |v: Option<&str>| v.unwrap_or("Not stated").to_string();
    vec![
        Fact {
            label: if organisation_noun(&d.council) == "the council" {
                "Council"
            } else {
                "Organisation"
            },
            value: d.council.clone(),
            url: url(site.council_term(index)),
            inferred: d.is_inferred(Field::Council),
        },
        Fact {
            label: "Category",
            value: stated(d.category.as_deref()),
            url: url(category),
            inferred: d.is_inferred(Field::Category),
        },
        Fact {
            label: "Subcategory",
            value: stated(d.subcategory.as_deref()),
            url: url(subcategory),
            inferred: d.is_inferred(Field::Subcategory),
        },
        Fact {
            label: "Outcome",
            value: stated(d.outcome.map(|o| o.label())),
            url: url(outcome),
            inferred: d.is_inferred(Field::Outcome),
        },
        Fact {
            label: "Decision date",
            value: d.decision_date.map_or_else(
                || "Not stated".into(),
                |x| x.format("%-d %B %Y").to_string(),
            ),
            url: None,
            inferred: d.is_inferred(Field::DecisionDate),
        },
        Fact {
            label: "Reference",
            value: d.reference.to_string(),
            url: None,
            inferred: false,
        },
        finding("Fault found", d.findings.fault, d.findings.fault_paragraph),
        finding(
            "Injustice found",
            d.findings.injustice,
            d.findings.injustice_paragraph,
        ),
    ]
}

/// A finding as the decision records it: yes or no, linked to its paragraph.
fn finding(label: &'static str, found: Option<bool>, paragraph: Option<u32>) -> Fact {
    Fact {
        label,
        value: match (found, paragraph) {
            (Some(true), Some(p)) => format!("Yes (paragraph {p})"),
            (Some(false), Some(p)) => format!("No (paragraph {p})"),
            (Some(true), None) => "Yes".into(),
            (Some(false), None) => "No".into(),
            (None, _) => "Not stated".into(),
        },
        url: paragraph.map(|p| format!("#p{p}")),
        inferred: false,
    }
}

/// The remedies the organisation agreed to (`agreed`), some perhaps only to consider,
/// or those it did not agree to.
fn remedies(d: &Decision, agreed: bool) -> Vec<RemedyView<'_>> {
    d.remedies
        .iter()
        .filter(|m| {
            let taken_on = matches!(m.commitment, Commitment::Agreed | Commitment::Conditional);
            taken_on == agreed
        })
        .map(|m| RemedyView {
            kind: m.kind.label(),
            text: &m.text,
            amount: m.amount.map(|a| a.display()),
            to: m.to.as_deref(),
            deadline: m.deadline.as_deref(),
            already_done: m.already_done,
            commitment: m.commitment.label(),
            paragraph_url: m.paragraph.map(|p| format!("#p{p}")),
            paragraph: m.paragraph,
        })
        .collect()
}
