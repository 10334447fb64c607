//! Loading Tera templates: the theme's `templates/`, with the site's own `templates/`
//! overriding any file of the same name, and every template error located.
//!
//! Syntax errors are found file by file, so that all of them are reported, each with its
//! file, line and column. A render error naming an unknown variable is located by finding
//! the variable in the template sources. Autoescaping is on for `.html` and `.xml`.

use std::collections::BTreeMap;
use std::error::Error as _;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;
use tera::{Context, Tera};

use crate::config::Settings;
use crate::diagnostics::Diagnostic;

/// The templates every theme must have.
pub const REQUIRED: [&str; 9] = [
    "base.html",
    "index.html",
    "decision.html",
    "taxonomy_list.html",
    "taxonomy_term.html",
    "list.html",
    "page.html",
    "404.html",
    "search.html",
];

/// Loaded, parsed templates and where each came from.
#[derive(Debug)]
pub struct Templates {
    tera: Tera,
    /// Template name -> (file, text), for locating errors.
    sources: BTreeMap<String, (PathBuf, String)>,
}

impl Templates {
    /// Loads the theme's templates and the site's overrides, reporting every problem.
    pub fn load(settings: &Settings) -> Result<Self, Vec<Diagnostic>> {
        let theme_dir = settings.theme_dir().join("templates");
        let mut problems = Vec::new();
        if !theme_dir.is_dir() {
            problems.push(
                Diagnostic::error(
                    settings.root.join("config.toml"),
                    format!(
                        "the theme `{}` has no templates folder `{}`",
                        settings.config.theme,
                        theme_dir.display()
                    ),
                )
                .expected("a theme folder with templates/, like themes/default"),
            );
            return Err(problems);
        }
        let mut sources = BTreeMap::new();
        for dir in [theme_dir, settings.site_templates_dir()] {
            read_dir_templates(&dir, &mut sources, &mut problems);
        }
        Self::from_sources(sources, problems)
    }

    /// Parses templates given as name -> (file, text).
    pub fn from_sources(
        sources: BTreeMap<String, (PathBuf, String)>,
        mut problems: Vec<Diagnostic>,
    ) -> Result<Self, Vec<Diagnostic>> {
        for (name, (path, text)) in &sources {
            if let Err(d) = check_syntax(name, path, text) {
                problems.push(d);
            }
        }
        for name in REQUIRED {
            if !sources.contains_key(name) {
                problems.push(
                    Diagnostic::error(name, "the theme has no such template")
                        .expected(format!("`{name}` in the theme's or the site's templates/")),
                );
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape);
        let raw: Vec<(&str, &str)> = sources
            .iter()
            .map(|(n, (_, t))| (n.as_str(), t.as_str()))
            .collect();
        if let Err(e) = tera.add_raw_templates(raw) {
            let message = chain(&e);
            let path = sources
                .iter()
                .find(|(n, _)| message.contains(&format!("'{n}'")))
                .map_or_else(|| PathBuf::from("templates"), |(_, (p, _))| p.clone());
            return Err(vec![Diagnostic::error(path, message)]);
        }
        Ok(Self { tera, sources })
    }

    /// Renders template `name` with `view`. A failure is a diagnostic naming the template
    /// file and, for an unknown variable, its line and column.
    pub fn render<T: Serialize>(&self, name: &str, view: &T) -> Result<String, Diagnostic> {
        let context = Context::from_serialize(view).map_err(|e| {
            Diagnostic::error(
                self.path_of(name),
                format!("could not build the page data: {e}"),
            )
        })?;
        self.tera.render(name, &context).map_err(|e| {
            let fields = serde_json::to_value(view).unwrap_or_default();
            self.locate_render_error(name, &e, &fields)
        })
    }

    /// Whether a template of this name is loaded.
    pub fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    fn path_of(&self, name: &str) -> PathBuf {
        self.sources
            .get(name)
            .map_or_else(|| PathBuf::from(name), |(p, _)| p.clone())
    }

    fn locate_render_error(
        &self,
        name: &str,
        e: &tera::Error,
        fields: &serde_json::Value,
    ) -> Diagnostic {
        static VARIABLE: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"Variable `([^`]+)` not found in context while rendering '([^']+)'")
                .unwrap_or_else(|e| unreachable!("valid pattern: {e}"))
        });
        let message = chain(e);
        if let Some(c) = VARIABLE.captures(&message) {
            let variable = &c[1];
            let rendering = &c[2];
            // Look in the template named by the error first, then in every other one
            // (the variable may sit in a parent or an included template).
            let order = std::iter::once(rendering)
                .chain(std::iter::once(name))
                .chain(self.sources.keys().map(String::as_str));
            for candidate in order {
                if let Some((path, text)) = self.sources.get(candidate) {
                    if let Some(offset) = find_in_tags(text, variable) {
                        return Diagnostic::error(
                            path,
                            format!("unknown variable `{variable}` (rendering {name})"),
                        )
                        .at_span(text, offset, offset + variable.len())
                        .expected(known_fields(fields, variable));
                    }
                }
            }
        }
        Diagnostic::error(self.path_of(name), message)
    }
}

fn read_dir_templates(
    dir: &Path,
    sources: &mut BTreeMap<String, (PathBuf, String)>,
    problems: &mut Vec<Diagnostic>,
) {
    if !dir.is_dir() {
        return;
    }
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|x| x == "html" || x == "xml"))
        .collect();
    files.sort();
    for path in files {
        let Ok(rel) = path.strip_prefix(dir) else {
            continue;
        };
        let name = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                sources.insert(name, (path, text));
            }
            Err(e) => problems.push(Diagnostic::error(&path, format!("could not read: {e}"))),
        }
    }
}

/// "one of the fields of `site`: title, description, ..." for a bad `site.titel`.
fn known_fields(view: &serde_json::Value, variable: &str) -> String {
    let parts: Vec<&str> = variable.split('.').collect();
    let mut at = view;
    let mut walked = Vec::new();
    for part in &parts[..parts.len().saturating_sub(1)] {
        match at.get(part) {
            Some(next) if next.is_object() => {
                at = next;
                walked.push(*part);
            }
            _ => break,
        }
    }
    let keys: Vec<&str> = at
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let owner = if walked.is_empty() {
        "the page".to_string()
    } else {
        format!("`{}`", walked.join("."))
    };
    format!("one of the fields of {owner}: {}", keys.join(", "))
}

/// Parses one template alone; a missing parent is not a syntax error (checked later).
fn check_syntax(name: &str, path: &Path, text: &str) -> Result<(), Diagnostic> {
    static POSITION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"--> (\d+):(\d+)").unwrap_or_else(|e| unreachable!("valid pattern: {e}"))
    });
    static EXPECTED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?m)^\s*= (.+)$").unwrap_or_else(|e| unreachable!("valid pattern: {e}"))
    });
    let mut scratch = Tera::default();
    let Err(e) = scratch.add_raw_template(name, text) else {
        return Ok(());
    };
    if matches!(e.kind, tera::ErrorKind::MissingParent { .. }) {
        return Ok(());
    }
    let message = chain(&e);
    let mut d = Diagnostic::error(path, "template syntax error");
    if let Some(c) = POSITION.captures(&message) {
        let line: usize = c[1].parse().unwrap_or(1);
        let column: usize = c[2].parse().unwrap_or(1);
        d = d.at(line, column);
    } else {
        d.message = format!("template error: {}", message.replace('\n', " "));
    }
    if let Some(c) = EXPECTED.captures(&message) {
        d = d.expected(c[1].trim().trim_start_matches("expected ").to_string());
    }
    Err(d)
}

/// Escapes text for HTML content and quoted attributes: `& < > " '`. Unlike Tera's
/// default it leaves `/` alone, so URLs stay readable in the page source.
pub fn escape(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut start = 0;
    for (i, b) in bytes.iter().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // Every special character is ASCII, so `i` is a character boundary.
        out.push_str(&text[start..i]);
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(&text[start..]);
    out
}

/// The error and its causes as one line each.
fn chain(e: &tera::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// The offset of `needle` inside a `{{ }}` or `{% %}` tag of `text`.
fn find_in_tags(text: &str, needle: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = text[from..].find(needle) {
        let at = from + found;
        let before = &text[..at];
        let open = before.rfind("{{").max(before.rfind("{%"));
        let close = before.rfind("}}").max(before.rfind("%}"));
        let boundary_ok =
            !text[at + needle.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_');
        if open.is_some() && open > close && boundary_ok {
            return Some(at);
        }
        from = at + needle.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(pairs: &[(&str, &str)]) -> BTreeMap<String, (PathBuf, String)> {
        let mut all: BTreeMap<String, (PathBuf, String)> = REQUIRED
            .iter()
            .map(|n| ((*n).to_string(), (PathBuf::from(*n), String::from("x"))))
            .collect();
        for (n, t) in pairs {
            all.insert(
                (*n).to_string(),
                (PathBuf::from(format!("t/{n}")), (*t).to_string()),
            );
        }
        all
    }

    #[test]
    fn errors_on_every_syntax_error_with_line_and_column() {
        let errs = Templates::from_sources(
            sources(&[("a.html", "ok\n{{ x "), ("b.html", "{% if %}\n")]),
            Vec::new(),
        )
        .expect_err("syntax errors");
        assert_eq!(errs.len(), 2, "{errs:?}");
        let a = &errs[0];
        assert_eq!(a.path, PathBuf::from("t/a.html"));
        assert_eq!(a.location.map(|l| l.line), Some(2), "{a}");
    }

    #[test]
    fn errors_on_an_unknown_variable_at_its_place() {
        let t = Templates::from_sources(
            sources(&[("page.html", "<h1>{{ title }}</h1>\n<p>{{ page.titel }}</p>")]),
            Vec::new(),
        )
        .expect("loads");
        #[derive(Serialize)]
        struct V {
            title: &'static str,
        }
        let d = t
            .render("page.html", &V { title: "x" })
            .expect_err("unknown");
        let loc = d.location.expect("located");
        assert_eq!((loc.line, loc.column), (2, 7), "{d}");
        assert!(d.message.contains("page.titel"), "{d}");
    }

    #[test]
    fn can_escape_content_by_default() {
        let t = Templates::from_sources(sources(&[("page.html", "{{ title }}")]), Vec::new())
            .expect("loads");
        #[derive(Serialize)]
        struct V {
            title: &'static str,
        }
        let html = t
            .render("page.html", &V { title: "<script>" })
            .expect("renders");
        assert_eq!(html, "&lt;script&gt;");
    }
}
