//! A change to static files only (`static/**`, `themes/<name>/static/**`): they are copied
//! again and nothing is rendered, because no page holds a static file's bytes (pages link
//! to `static/style.css` by name). A stylesheet edit in a preview of 10,000 decisions
//! shows in milliseconds instead of a whole build's seconds.

use super::SiteState;
use crate::diagnostics::Diagnostic;
use crate::output::OutputFile;
use crate::serve::rebuild::SiteDelta;
use crate::watch::{Change, ChangeKind};

/// True when `changes` touch static files and nothing else of the site.
pub fn only_static(changes: &[Change]) -> bool {
    super::only(changes, ChangeKind::Static)
}

impl SiteState {
    /// The site's static files as they are now: each changed or new one is written, each
    /// one gone is removed. A file that cannot be read fails the rebuild, as in a build.
    pub fn apply_static(&mut self) -> Result<SiteDelta, Vec<Diagnostic>> {
        let files = crate::inputs::static_files(&self.settings);
        let mut written = Vec::with_capacity(files.len());
        for (path, source) in &files {
            let bytes = crate::fs::read(source)
                .map_err(|e| vec![Diagnostic::error(source, e.to_string())])?;
            written.push(OutputFile {
                path: path.clone(),
                bytes,
            });
        }
        let removed = self
            .statics
            .iter()
            .filter(|p| !files.contains_key(*p))
            .cloned()
            .collect();
        self.statics = files.into_keys().collect();
        Ok(self.publish(written, removed))
    }
}
