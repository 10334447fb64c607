//! A fake site builder for testing `serve` and `watch` without the real build: it renders
//! each `content/decisions/**/*.md` file into `decisions/<stem>/index.html` through
//! `templates/page.html` (text escaped, no Markdown), lists them on `index.html` and
//! `decisions/index.html`, copies `static/**` (never following symlinks) and writes a
//! `404.html`. A decision containing `BROKEN`, or a template containing `{% broken`, fails
//! with a diagnostic at that line and column. Incremental like the real build should be:
//! a changed decision re-renders its page and the two listings only, and its data export
//! (`data/decisions.json`) afterwards, as deferred work.

#![allow(
    dead_code,
    reason = "each test crate including this uses a different part"
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use casebook::diagnostics::Diagnostic;
use casebook::output::OutputFile;
use casebook::serve::{Rebuild, SiteDelta, SiteFiles};
use casebook::watch::{Change, ChangeKind};

const DEFAULT_TEMPLATE: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>{{title}}</title></head><body><main>{{body}}</main></body></html>";

/// The fake builder.
pub(crate) struct FakeSite {
    root: PathBuf,
    /// Decision stem -> title (first line), for the listings.
    decisions: BTreeMap<String, String>,
    /// How many full builds ran.
    pub(crate) full_builds: Arc<AtomicUsize>,
    /// True when `data/decisions.json` is behind the decisions.
    data_stale: bool,
}

impl FakeSite {
    /// A builder for the site in `root`.
    pub(crate) fn new(root: &Path) -> Self {
        Self {
            root: root.to_path_buf(),
            decisions: BTreeMap::new(),
            full_builds: Arc::default(),
            data_stale: false,
        }
    }

    fn template(&self) -> Result<String, Vec<Diagnostic>> {
        let rel = Path::new("templates/page.html");
        let text = match std::fs::read_to_string(self.root.join(rel)) {
            Ok(text) => text,
            Err(_) => return Ok(DEFAULT_TEMPLATE.to_string()),
        };
        match text.find("{% broken") {
            Some(at) => Err(vec![Diagnostic::error(rel, "unknown tag `broken`")
                .at_span(&text, at, at + 9)
                .expected("a Tera tag such as `if` or `for`")]),
            None => Ok(text),
        }
    }

    /// Renders one decision file; `None` when it no longer exists.
    fn decision(
        &self,
        rel: &Path,
        template: &str,
    ) -> Result<Option<(String, OutputFile)>, Vec<Diagnostic>> {
        let Ok(text) = std::fs::read_to_string(self.root.join(rel)) else {
            return Ok(None);
        };
        if let Some(at) = text.find("BROKEN") {
            return Err(vec![Diagnostic::error(rel, "this decision is broken")
                .at_span(&text, at, at + 6)
                .expected("a decision without the word BROKEN")]);
        }
        let title = text.lines().next().unwrap_or("").to_string();
        let page = template
            .replace("{{title}}", &escape(&title))
            .replace("{{body}}", &escape(&text));
        Ok(Some((
            title,
            html(&format!("decisions/{}/index.html", stem(rel)), &page),
        )))
    }

    fn listings(&self, template: &str) -> Vec<OutputFile> {
        let items: String = self
            .decisions
            .iter()
            .map(|(stem, title)| {
                format!(
                    "<li><a href=\"/decisions/{stem}/\">{}</a></li>",
                    escape(title)
                )
            })
            .collect();
        let list = template
            .replace("{{title}}", "Decisions")
            .replace("{{body}}", &format!("<ul>{items}</ul>"));
        vec![
            html("index.html", &list),
            html("decisions/index.html", &list),
        ]
    }

    fn data(&self) -> OutputFile {
        let rows: Vec<String> = self
            .decisions
            .iter()
            .map(|(stem, title)| format!("{{\"stem\":{stem:?},\"title\":{title:?}}}"))
            .collect();
        OutputFile {
            path: "data/decisions.json".to_string(),
            bytes: format!("[{}]", rows.join(",")).into_bytes(),
        }
    }

    fn static_file(&self, rel: &Path) -> Option<OutputFile> {
        let path = self.root.join(rel);
        if path.is_symlink() {
            return None;
        }
        let bytes = std::fs::read(&path).ok()?;
        let out = rel.strip_prefix("static").ok()?;
        Some(OutputFile {
            path: slash(out),
            bytes,
        })
    }

    fn files_below(&self, dir: &str) -> Vec<PathBuf> {
        walkdir::WalkDir::new(self.root.join(dir))
            .sort_by_file_name()
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| {
                e.path()
                    .strip_prefix(&self.root)
                    .ok()
                    .map(Path::to_path_buf)
            })
            .collect()
    }
}

impl Rebuild for FakeSite {
    fn full(&mut self) -> Result<SiteFiles, Vec<Diagnostic>> {
        self.full_builds.fetch_add(1, Ordering::SeqCst);
        let template = self.template()?;
        let mut files = Vec::new();
        let mut errors = Vec::new();
        let mut decisions = BTreeMap::new();
        for rel in self.files_below("content/decisions") {
            if Change::new(&rel).kind != ChangeKind::Decision {
                continue;
            }
            match self.decision(&rel, &template) {
                Ok(Some((title, page))) => {
                    decisions.insert(stem(&rel), title);
                    files.push(page);
                }
                Ok(None) => {}
                Err(d) => errors.extend(d),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        self.decisions = decisions;
        files.extend(self.listings(&template));
        files.push(self.data());
        self.data_stale = false;
        files.push(html(
            "404.html",
            &template
                .replace("{{title}}", "Not found")
                .replace("{{body}}", "fake not found page"),
        ));
        for rel in self.files_below("static") {
            files.extend(self.static_file(&rel));
        }
        Ok(files.into_iter().collect())
    }

    fn changed(&mut self, changes: &[Change]) -> Result<SiteDelta, Vec<Diagnostic>> {
        if changes
            .iter()
            .any(|c| c.kind.needs_full_rebuild() || c.kind == ChangeKind::Page)
        {
            return self.full().map(SiteDelta::full);
        }
        let template = self.template()?;
        let mut delta = SiteDelta::default();
        let mut errors = Vec::new();
        let mut decisions = self.decisions.clone();
        for change in changes {
            match change.kind {
                ChangeKind::Decision => match self.decision(&change.path, &template) {
                    Ok(Some((title, page))) => {
                        decisions.insert(stem(&change.path), title);
                        delta.written.push(page);
                    }
                    Ok(None) => {
                        decisions.remove(&stem(&change.path));
                        delta
                            .removed
                            .push(format!("decisions/{}/index.html", stem(&change.path)));
                    }
                    Err(d) => errors.extend(d),
                },
                ChangeKind::Static => match self.static_file(&change.path) {
                    Some(file) => delta.written.push(file),
                    None => delta
                        .removed
                        .extend(change.path.strip_prefix("static").ok().map(slash)),
                },
                _ => {}
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        self.decisions = decisions;
        delta.written.extend(self.listings(&template));
        self.data_stale = true;
        Ok(delta)
    }

    fn deferred(&mut self) -> Result<SiteDelta, Vec<Diagnostic>> {
        let mut delta = SiteDelta::default();
        if std::mem::take(&mut self.data_stale) {
            delta.written.push(self.data());
        }
        Ok(delta)
    }
}

fn stem(rel: &Path) -> String {
    rel.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn slash(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn html(path: &str, text: &str) -> OutputFile {
    OutputFile {
        path: path.to_string(),
        bytes: text.as_bytes().to_vec(),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
