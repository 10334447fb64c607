//! `&Site` -> [`OutputFile`]s: every page, feed and data file of the site. Never touches
//! disk; the caller hands each file to an [`OutputSink`](crate::output::OutputSink).
//!
//! Work is cut into independent units so that a caller can render everything (`build`)
//! or only what one change affects (`serve`):
//! - [`Renderer::decision`]: one decision page, given its body (read back by the caller);
//!   it also returns the decision's [`DecisionExtract`] (plain summary) for the data files;
//! - [`Renderer::render`] of a [`Job`]: the home page, a listing with all its pages and its
//!   feed, a taxonomy index, a standalone page, the 404 page, robots.txt, the sitemap;
//! - [`Renderer::data`]: the open-data files, from every decision's extract;
//! - [`Renderer::jobs`] lists every job of the site, [`Renderer::jobs_affected_by`] the
//!   jobs whose output shows a given decision.

pub mod cards;
pub mod charts;
pub mod data;
pub mod feeds;
pub mod highlight;
pub mod links;
pub mod markdown;
pub mod pages;
pub mod sitemap;
pub mod statistics;
pub mod templates;
pub mod views;

use crate::diagnostics::Diagnostic;
use crate::output::{Make, OutputFile};
use crate::site::{Site, TaxonomyKind};
use crate::summary::Origin;

pub use pages::{Emit, Job};
pub use templates::Templates;
pub use views::SiteView;

/// The template of one decision's card in listings, rendered once per decision.
pub const CARD_TEMPLATE: &str = "partials/card.html";

/// The template of `/statistics/`; a theme without it has no statistics page.
pub const STATISTICS_TEMPLATE: &str = "statistics.html";

/// The site-wide view, with a link to `/statistics/` when the theme draws it.
fn site_view<'s>(site: &'s Site, templates: &Templates) -> SiteView<'s> {
    let mut view = SiteView::new(site);
    if templates.has(STATISTICS_TEMPLATE) {
        view.nav.push(views::Link {
            title: "Statistics".into(),
            url: site.settings.url(statistics::PATH),
        });
    }
    view
}

/// What the decision pages pass on to the steps that need every decision at once (the
/// data export now, the search index later) without keeping bodies in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionExtract {
    /// The plain-English summary as plain text.
    pub plain_summary: String,
    /// Whether it was generated or written by an editor.
    pub origin: Origin,
}

/// One rendered decision page and its extract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedDecision {
    /// `decisions/<ref>/index.html`.
    pub file: OutputFile,
    /// What later steps need from it.
    pub extract: DecisionExtract,
    /// The plain-English summary the page shows (`check` traces its claims).
    pub summary: crate::summary::PlainSummary,
}

/// Renders a site through its templates.
#[derive(Debug)]
pub struct Renderer<'s> {
    site: &'s Site,
    templates: &'s Templates,
    view: SiteView<'s>,
    cards: views::Cards<'s>,
    /// The "at a glance" panels, when [`Renderer::statistics`] computed them ahead of the
    /// listings; otherwise each term's job computes its own.
    glances: std::sync::OnceLock<statistics::Glances>,
    /// What a decision page's template is given for its body: an HTML comment no content
    /// can forge (escaped text cannot write `<!--`, and the number is new each run). The
    /// page is finished without its body, which is then put where the mark is
    /// ([`Renderer::decision`]).
    body_mark: String,
}

fn body_mark() -> String {
    use std::hash::BuildHasher;
    let random = std::collections::hash_map::RandomState::new();
    format!(
        "<!--casebook body {:016x}{:016x}-->",
        random.hash_one(1u8),
        random.hash_one(2u8)
    )
}

impl<'s> Renderer<'s> {
    /// A renderer of `site` with `templates`. Renders every decision's card once, from
    /// the theme's `partials/card.html` when it has one (like Hugo's `partialCached`).
    pub fn new(site: &'s Site, templates: &'s Templates) -> Result<Self, Diagnostic> {
        Self::reusing_cards(site, templates, |_| None)
    }

    /// A renderer that takes the card of decision `i` from `reuse(i)` where it has one (a
    /// rebuild after an edit makes only the changed decisions' cards).
    pub fn reusing_cards(
        site: &'s Site,
        templates: &'s Templates,
        reuse: impl Fn(usize) -> Option<tera::Value> + Sync,
    ) -> Result<Self, Diagnostic> {
        let view = site_view(site, templates);
        let mut cards = views::Cards::new(site);
        let render = |d: views::DecisionCard<'_>| {
            templates.render(CARD_TEMPLATE, &views::CardView { site: &view, d })
        };
        let render: Option<views::RenderCard<'_, Diagnostic>> =
            templates.has(CARD_TEMPLATE).then_some(&render);
        cards.prerender(reuse, render)?;
        Ok(Self {
            site,
            templates,
            view,
            cards,
            glances: std::sync::OnceLock::new(),
            body_mark: body_mark(),
        })
    }

    /// A renderer of the pages that show no card (the data files, the sitemap): the
    /// cards' URLs and dates are computed, the cards themselves not made.
    pub fn without_cards(site: &'s Site, templates: &'s Templates) -> Self {
        Self::with_cards(site, templates, views::Cards::new(site).data())
    }

    /// The cards' computed data, to build a later renderer of the same site with
    /// [`Renderer::with_cards`].
    pub fn card_data(&self) -> std::sync::Arc<views::CardData> {
        self.cards.data()
    }

    /// A renderer of `site` reusing card data computed for it before: for a rebuild after
    /// an edit that changed no decision's card, position or count.
    pub fn with_cards(
        site: &'s Site,
        templates: &'s Templates,
        data: std::sync::Arc<views::CardData>,
    ) -> Self {
        Self {
            site,
            templates,
            view: site_view(site, templates),
            cards: views::Cards::from_data(site, data),
            glances: std::sync::OnceLock::new(),
            body_mark: body_mark(),
        }
    }

    /// The site being rendered.
    pub fn site(&self) -> &'s Site {
        self.site
    }

    /// The loaded templates, for a step that renders a page of its own (the search page:
    /// `templates().render("search.html", &view)` with a view holding `site`).
    pub fn templates(&self) -> &'s Templates {
        self.templates
    }

    /// The site-wide part of every view (`site` in templates).
    pub fn site_view(&self) -> &SiteView<'s> {
        &self.view
    }

    /// Every job of the site except the decision pages and the data files.
    pub fn jobs(&self) -> Vec<Job> {
        let t = &self.site.taxonomies;
        let mut jobs = vec![
            Job::Home,
            Job::AllDecisions,
            Job::SiteFeed,
            Job::NotFound,
            Job::Robots,
            Job::Sitemap,
        ];
        if self.templates.has("search.html") {
            jobs.push(Job::Search);
        }
        if self.templates.has(STATISTICS_TEMPLATE) {
            jobs.push(Job::Statistics);
        }
        for kind in TaxonomyKind::ALL {
            jobs.push(Job::TaxonomyIndex(kind));
            for (term, entry) in t.get(kind).terms.iter().enumerate() {
                jobs.push(Job::Term {
                    kind,
                    term,
                    sub: None,
                });
                for sub in 0..entry.children.len() {
                    jobs.push(Job::Term {
                        kind,
                        term,
                        sub: Some(sub),
                    });
                }
            }
        }
        jobs.extend((0..self.site.pages.len()).map(Job::Page));
        jobs
    }

    /// The statistics of the whole site, ahead of the listings (the build's `statistics`
    /// step): computes every term's "at a glance" panel for the listing jobs to use, and
    /// renders `/statistics/` with its CSV files when the theme has it. With `enabled`
    /// false (a benchmark measuring what statistics cost), nothing is computed and the
    /// listings show no panel.
    pub fn statistics(&self, enabled: bool) -> Result<Vec<OutputFile>, Diagnostic> {
        let glances = if enabled {
            statistics::Glances::of_every_term(self.site)
        } else {
            statistics::Glances::none()
        };
        // Set once per renderer: a second call keeps the first panels, which are the same.
        let _ = self.glances.set(glances);
        if enabled && self.templates.has(STATISTICS_TEMPLATE) {
            self.render(&Job::Statistics)
        } else {
            Ok(Vec::new())
        }
    }

    /// The jobs whose output lists or counts decision `index`: its terms' listings and
    /// feeds, the taxonomy indexes, the home page, `/decisions/`, the site feed and the
    /// sitemap. Re-render these, the decision's page, its related decisions' pages
    /// ([`Renderer::decisions_affected_by`]) and the data files, and the site is up to date.
    pub fn jobs_affected_by(&self, index: usize) -> Vec<Job> {
        let mut jobs = vec![Job::Home, Job::AllDecisions, Job::SiteFeed, Job::Sitemap];
        if self.templates.has(STATISTICS_TEMPLATE) {
            jobs.push(Job::Statistics);
        }
        for kind in TaxonomyKind::ALL {
            jobs.push(Job::TaxonomyIndex(kind));
            for (term, entry) in self.site.taxonomies.get(kind).terms.iter().enumerate() {
                if entry.decisions.binary_search(&index).is_err() {
                    continue;
                }
                jobs.push(Job::Term {
                    kind,
                    term,
                    sub: None,
                });
                for (sub, child) in entry.children.iter().enumerate() {
                    if child.decisions.binary_search(&index).is_ok() {
                        jobs.push(Job::Term {
                            kind,
                            term,
                            sub: Some(sub),
                        });
                    }
                }
            }
        }
        jobs
    }

    /// The decisions whose pages show decision `index`: itself, and the decisions whose
    /// "related decisions" lists can include it (its neighbours in date within its council
    /// and its category). Re-render these with [`Renderer::decision`] after it changed.
    pub fn decisions_affected_by(&self, index: usize) -> Vec<usize> {
        let site = self.site;
        let mut out = vec![index];
        let (category, _) = site.category_terms(index);
        for term in [site.council_term(index), category].into_iter().flatten() {
            let at = term.decisions.binary_search(&index).unwrap_or_else(|i| i);
            let from = at.saturating_sub(pages::RELATED);
            let to = (at + pages::RELATED + 1).min(term.decisions.len());
            out.extend(term.decisions[from..to].iter().copied());
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Renders one job, handing each file to `emit` as soon as it is rendered (pages of a
    /// long listing are rendered in parallel, so `emit` may be called from many threads).
    pub fn render_into(&self, job: &Job, emit: Emit<'_>) -> Result<(), Diagnostic> {
        pages::render_job(self, job, None, emit)
    }

    /// Renders one job into its files, collected (for `serve` and tests).
    pub fn render(&self, job: &Job) -> Result<Vec<OutputFile>, Diagnostic> {
        self.render_pages(job, None)
    }

    /// Renders one job into its files, collected; of a paginated listing only the page
    /// numbers in `only` when given (for `serve`, which re-renders the pages a change shows
    /// on).
    pub fn render_pages(
        &self,
        job: &Job,
        only: pages::ListingPages<'_>,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let files = std::sync::Mutex::new(Vec::new());
        pages::render_job(self, job, only, &|f| {
            files
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(f);
        })?;
        let mut files = files
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    /// The open-data files, from every decision's extract (by decision index), handed to
    /// `write` each as its path and what writes it: streamed where the sink can, since at
    /// 100,000 decisions they are hundreds of megabytes. The two are written at once, on
    /// two threads (one took a core alone for a second at 100,000 decisions); what `write`
    /// returns comes back in a fixed order, the JSON's first.
    pub fn data<R: Send>(
        &self,
        extracts: &[DecisionExtract],
        write: impl Fn(&str, Make<'_>) -> R + Sync,
    ) -> [R; 2] {
        let (json, csv) = rayon::join(
            || {
                write(data::JSON_PATH, &mut |out| {
                    data::write_json(self.site, extracts, out)
                })
            },
            || {
                write(data::CSV_PATH, &mut |out| {
                    data::write_csv(self.site, extracts, out)
                })
            },
        );
        [json, csv]
    }

    /// Every site path of an HTML page, for the sitemap.
    pub fn page_paths(&self) -> Vec<String> {
        pages::page_paths(self)
    }
}

/// Escapes text for XML and HTML content and double-quoted attributes.
pub(crate) fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

#[cfg(test)]
pub(crate) mod tests;

#[cfg(test)]
mod incremental_tests {
    use std::path::Path;

    use super::tests::sample_site;
    use super::*;
    use crate::config::Settings;

    fn templates() -> Templates {
        let settings = Settings::with_defaults(Path::new(env!("CARGO_MANIFEST_DIR")));
        Templates::load(&settings).expect("the default theme loads")
    }

    #[test]
    fn can_list_what_one_decision_affects() {
        let site = sample_site();
        let templates = templates();
        let r = Renderer::new(&site, &templates).expect("renderer");
        // All three share a category: each one's page lists the others.
        assert_eq!(r.decisions_affected_by(0), vec![0, 1, 2]);
        let jobs = r.jobs_affected_by(0);
        assert!(jobs.contains(&Job::Home) && jobs.contains(&Job::Sitemap));
        let council = Job::Term {
            kind: TaxonomyKind::Council,
            term: 0,
            sub: None,
        };
        assert!(jobs.iter().any(|j| matches!(
            j,
            Job::Term {
                kind: TaxonomyKind::Council,
                ..
            }
        )));
        assert!(r.jobs().contains(&council));
    }

    #[test]
    fn can_render_one_job_into_files() {
        let site = sample_site();
        let templates = templates();
        let r = Renderer::new(&site, &templates).expect("renderer");
        let files = r.render(&Job::AllDecisions).expect("renders");
        assert_eq!(files[0].path, "decisions/index.html");
        let html = String::from_utf8_lossy(&files[0].bytes);
        assert!(
            html.contains("&lt;script&gt;B&lt;/script&gt; Council"),
            "{html}"
        );
        assert!(!html.contains("<script>"), "{html}");
    }

    /// The decision libFuzzer's render target once timed out on (it was the process's
    /// first input, paying for the theme's loading): it renders, numbered and linked.
    #[test]
    fn can_render_the_decision_the_fuzzer_flagged() {
        let fixture = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/fuzz/render_decision-timeout.md"
        );
        let text = std::fs::read_to_string(fixture).expect("fixture");
        let decision = crate::content::load::parse_decision(Path::new(fixture), &text)
            .expect("a valid content file");
        let site = Site::new(
            Settings::with_defaults(Path::new(env!("CARGO_MANIFEST_DIR"))),
            vec![(fixture.into(), decision.clone())],
            Vec::new(),
            crate::site::Glossary::default(),
        );
        let templates = templates();
        let r = Renderer::new(&site, &templates).expect("renderer");
        let page = r.decision(0, &decision).expect("renders");
        let html = String::from_utf8_lossy(&page.file.bytes);
        assert!(html.contains("id=\"p2\""), "paragraph 2 has its anchor");
        assert!(
            html.contains("href=\"#p1\""),
            "paragraph 1 is linked from 2"
        );
    }
}

#[cfg(test)]
mod decision_page_tests {
    use std::path::{Path, PathBuf};

    use crate::config::Settings;
    use crate::decision::{Decision, Reference};
    use crate::render::{Renderer, Templates};
    use crate::site::{Glossary, Site};

    /// A site at `root` with one decision whose body links from the site root (a page and
    /// an image) and to a paragraph.
    fn decision() -> Decision {
        Decision {
            body: "1. See [the about page](/about/) and ![a plan](/static/plan.png).\n\n\
                   2. As paragraph 1 says, [elsewhere](https://example.org/x?a=1&b=2).\n"
                .into(),
            ..Decision::new(
                Reference::parse("21 000 001").expect("reference"),
                "A Council",
            )
        }
    }

    fn site_at(root: &Path) -> Site {
        Site::new(
            Settings::with_defaults(root),
            vec![(PathBuf::from("21-000-001.md"), decision())],
            Vec::new(),
            Glossary::default(),
        )
    }

    fn copy_tree(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).expect("folder made");
        for entry in std::fs::read_dir(from).expect("folder read").flatten() {
            let target = to.join(entry.file_name());
            if entry.path().is_dir() {
                copy_tree(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).expect("file copied");
            }
        }
    }

    fn page(root: &Path) -> String {
        let site = site_at(root);
        let settings = Settings::with_defaults(root);
        let templates = Templates::load(&settings).expect("theme loads");
        let r = Renderer::new(&site, &templates).expect("renderer");
        let full = decision();
        let file = r.decision(0, &full).expect("renders").file;
        assert_eq!(file.path, "decisions/21-000-001/index.html");
        String::from_utf8(file.bytes).expect("UTF-8")
    }

    /// Every page of the default theme is finished by the quick reading, but those whose
    /// markup it leaves to lol_html: the pages with SVG charts and the search page
    /// (`<noscript>`).
    #[test]
    fn finishes_the_default_themes_pages_by_the_quick_reading() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = site_at(root);
        let templates = Templates::load(&Settings::with_defaults(root)).expect("theme loads");
        let r = Renderer::new(&site, &templates).expect("renderer");
        let full_readings = || super::links::FULL_READINGS.with(std::cell::Cell::get);
        let before = full_readings();
        drop(r.decision(0, &decision()).expect("renders"));
        assert_eq!(full_readings(), before, "the decision page");
        let mut quick = 0;
        for job in r.jobs() {
            let before = full_readings();
            let files = r.render(&job).expect("renders");
            let html = files.iter().filter(|f| f.path.ends_with(".html"));
            let foreign = html
                .clone()
                .filter(|f| {
                    let text = String::from_utf8_lossy(&f.bytes);
                    text.contains("<svg") || text.contains("<noscript")
                })
                .count();
            assert_eq!(full_readings() - before, foreign, "{job:?}");
            quick += html.count() - foreign;
        }
        assert!(quick >= 5, "{quick} pages read quickly");
    }

    /// The page is finished without its body and the body put in after; a theme that
    /// changes `body_html` (so the mark is not in its output) gets the whole page through
    /// the finishing pass. Both give the same bytes.
    #[test]
    fn writes_the_same_page_whether_the_body_skips_the_finishing_pass_or_not() {
        let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let dir = tempfile::tempdir().expect("temp dir");
        let copy = dir.path().join("themes/default");
        copy_tree(&theme, &copy);
        let template = copy.join("templates/decision.html");
        let text = std::fs::read_to_string(&template).expect("template");
        let filtered = text.replace(
            "{{ body_html | safe }}",
            r#"{{ body_html | replace(from="casebook body ", to="casebook  body ") | safe }}"#,
        );
        assert_ne!(
            filtered, text,
            "the default theme writes {{{{ body_html | safe }}}}"
        );
        std::fs::write(&template, filtered).expect("template written");

        let fast = page(Path::new(env!("CARGO_MANIFEST_DIR")));
        let whole = page(dir.path());
        assert!(!fast.contains("<!--casebook"), "the mark is replaced");
        assert!(
            fast.contains(r#"href="../../about/index.html""#)
                && fast.contains(r#"src="../../static/plan.png""#)
                && fast.contains(r##"href="#p1""##),
            "{fast}"
        );
        assert_eq!(fast, whole);
    }
}
