//! A change to standalone pages only (`content/pages/*.md`) that leaves every page's title
//! and path, and so the footer every other page shows, as they were: only the pages whose
//! text changed are rendered again. A page added, removed, renamed or moved goes to a whole
//! rebuild.

use super::SiteState;
use crate::diagnostics::Diagnostic;
use crate::render::{Job, Renderer};
use crate::serve::rebuild::SiteDelta;
use crate::site::Page;
use crate::watch::{Change, ChangeKind};

/// True when `changes` touch standalone pages and nothing else of the site.
pub fn only_pages(changes: &[Change]) -> bool {
    super::only(changes, ChangeKind::Page)
}

/// What other pages show of the standalone pages: the footer's links, in order.
fn links(pages: &[Page]) -> Vec<(&str, &str)> {
    pages
        .iter()
        .map(|p| (p.title.as_str(), p.path.as_str()))
        .collect()
}

impl SiteState {
    /// Reloads the standalone pages and renders again those whose text changed; `None`
    /// when the footer's links changed, which every page shows (a whole rebuild then). A
    /// page that does not load fails the rebuild, as in a build.
    pub fn apply_pages(&mut self) -> Result<Option<SiteDelta>, Vec<Diagnostic>> {
        let dir = self.settings.content_dir().join("pages");
        let (mut pages, problems) = crate::inputs::load_pages(&dir);
        if problems.iter().any(Diagnostic::is_error) {
            return Err(problems);
        }
        crate::site::sort_pages(&mut pages);
        if links(&pages) != links(&self.site.pages) {
            return Ok(None);
        }
        let changed: Vec<usize> = (0..pages.len())
            .filter(|&i| self.site.pages.get(i) != pages.get(i))
            .collect();
        self.site.pages = pages;
        let renderer = Renderer::with_cards(
            &self.site,
            &self.templates,
            std::sync::Arc::clone(&self.card_data),
        );
        let mut written = Vec::new();
        for i in changed {
            written.extend(renderer.render(&Job::Page(i)).map_err(|d| vec![d])?);
        }
        drop(renderer);
        Ok(Some(self.publish(written, Vec::new())))
    }
}
