//! Loading Tera templates: the theme's `templates/`, with the site's own `templates/`
//! overriding any file of the same name, and every template error located.
//!
//! Syntax errors are found file by file, so that all of them are reported, each with its
//! file, line and column. A render error naming an unknown variable is located by finding
//! the variable in the template sources. Autoescaping is on for `.html` and `.xml`.

use std::collections::BTreeMap;
use std::error::Error as _;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tera::{Context, ErrorKind, ReportError, Tera};

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
        tera.autoescape_on([".html", ".xml"]);
        tera.set_escape_fn(escape_to);
        let raw: Vec<(&str, &str)> = sources
            .iter()
            .map(|(n, (_, t))| (n.as_str(), t.as_str()))
            .collect();
        if let Err(e) = tera.add_raw_templates(raw) {
            if let Some(report) = report_of(&e) {
                return Err(vec![located(&sources, report, "template error")]);
            }
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
    /// file and, where Tera gives one (an unknown variable or field, a bad filter), its
    /// line and column.
    pub fn render<T: Serialize>(&self, name: &str, view: &T) -> Result<String, Diagnostic> {
        let context = Context::from_serialize(view).map_err(|e| {
            Diagnostic::error(
                self.path_of(name),
                format!("could not build the page data: {e}"),
            )
        })?;
        self.tera
            .render(name, &context)
            .map_err(|e| match report_of(&e) {
                Some(report) => located(&self.sources, report, &format!("rendering {name}")),
                None => Diagnostic::error(self.path_of(name), chain(&e)),
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
}

/// The report of a syntax or rendering error: its template, place and message.
fn report_of(e: &tera::Error) -> Option<&ReportError> {
    match e.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => Some(report),
        _ => None,
    }
}

/// The diagnostic for `report`: the template's file, the line and column where the error
/// is, and what Tera says of it (for an unknown variable, the ones there are). `what`
/// starts the message; an unknown variable or field is named with the whole path written
/// in the template (`unknown variable `site.titel``), located at its start.
fn located(
    sources: &BTreeMap<String, (PathBuf, String)>,
    report: &ReportError,
    what: &str,
) -> Diagnostic {
    let span = report.span();
    let (path, text) = sources.get(report.filename()).map_or_else(
        || (PathBuf::from(report.filename()), ""),
        |(p, t)| (p.clone(), t.as_str()),
    );
    let said = report.message();
    let unknown = said.starts_with("Variable `") || said.starts_with("Field `");
    let range = if unknown {
        dotted_path(text, span.range.clone())
    } else {
        span.range.clone()
    };
    let Some(written) = text.get(range.clone()) else {
        return Diagnostic::error(path, format!("{what}: {said}"))
            .at(span.start_line, span.start_col + 1);
    };
    let message = if unknown {
        format!("unknown variable `{written}` ({what}): {said}")
    } else if !written.is_empty() && written.len() <= 80 && !written.contains('\n') {
        format!("{what} at `{written}`: {said}")
    } else {
        format!("{what}: {said}")
    };
    Diagnostic::error(path, message).at_span(text, range.start, range.end)
}

/// `range` (a name in `text`) widened to the dotted path it is part of: `site.titel` for
/// `titel`.
fn dotted_path(text: &str, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let is_part = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    let Some(before) = text.get(..range.start) else {
        return range;
    };
    let start = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_part(c))
        .last()
        .map_or(range.start, |(i, _)| i);
    let end = text.get(range.end..).map_or(range.end, |after| {
        range.end + after.find(|c: char| !is_part(c)).unwrap_or(after.len())
    });
    start..end
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

/// Parses one template alone. Only a syntax error is reported here: a missing parent or
/// included template is not one (all the templates are checked together later).
fn check_syntax(name: &str, path: &Path, text: &str) -> Result<(), Diagnostic> {
    let mut scratch = Tera::default();
    let Err(e) = scratch.add_raw_template(name, text) else {
        return Ok(());
    };
    let ErrorKind::SyntaxError(report) = e.kind() else {
        return Ok(());
    };
    let mut sources = BTreeMap::new();
    sources.insert(name.to_string(), (path.to_path_buf(), text.to_string()));
    Err(located(&sources, report, "template syntax error"))
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

/// [`escape`] for Tera, which writes what it escapes.
fn escape_to(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, b) in bytes.iter().enumerate() {
        let entity: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[start..i])?;
        out.write_all(entity)?;
        start = i + 1;
    }
    out.write_all(&bytes[start..])
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
    fn errors_on_an_unknown_variable_or_field_at_its_place() {
        let t = Templates::from_sources(
            sources(&[
                ("page.html", "<h1>{{ title }}</h1>\n<p>{{ page.titel }}</p>"),
                (
                    "list.html",
                    "<h1>{{ title }}</h1>\n\n  <p>{{ site.titel }}</p>",
                ),
            ]),
            Vec::new(),
        )
        .expect("loads");
        #[derive(Serialize)]
        struct Site {
            title: &'static str,
        }
        #[derive(Serialize)]
        struct V {
            title: &'static str,
            site: Site,
        }
        let view = V {
            title: "x",
            site: Site { title: "y" },
        };
        let d = t.render("page.html", &view).expect_err("unknown variable");
        assert_eq!(d.path, PathBuf::from("t/page.html"));
        let loc = d.location.expect("located");
        assert_eq!((loc.line, loc.column), (2, 7), "{d}");
        assert!(d.message.contains("unknown variable `page.titel`"), "{d}");
        assert!(d.message.contains("`page` is not defined"), "{d}");
        assert!(
            d.message.contains("site, title"),
            "the variables there are: {d}"
        );
        let d = t.render("list.html", &view).expect_err("unknown field");
        assert_eq!(d.path, PathBuf::from("t/list.html"));
        let loc = d.location.expect("located");
        assert_eq!((loc.line, loc.column), (3, 9), "{d}");
        assert!(d.message.contains("unknown variable `site.titel`"), "{d}");
        assert!(d.message.contains("`titel` is not defined"), "{d}");
        assert!(d.message.contains("Available fields: title"), "{d}");
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
