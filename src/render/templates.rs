//! Loading Tera templates: the theme's `templates/`, with the site's own `templates/`
//! overriding any file of the same name, and every template error located.
//!
//! Syntax errors are found file by file, so that all of them are reported, each with its
//! file, line and column; so are the references Tera checks when the templates are loaded
//! together (an unknown filter, a missing include or parent block). A render error is
//! located by the span Tera 2 gives it. Autoescaping is on for `.html` and `.xml`.
//!
//! The `default` filter keeps Tera 1's meaning: it replaces a null value too (a field the
//! page does not have is null, as every optional field of the views is), not only an
//! undefined one.

use std::collections::BTreeMap;
use std::error::Error as _;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tera::{Context, ErrorKind, Kwargs, ReportError, State, Tera, Value};

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
        tera.register_filter("default", default_filter);
        let raw: Vec<(&str, &str)> = sources
            .iter()
            .map(|(n, (_, t))| (n.as_str(), t.as_str()))
            .collect();
        // Each template parsed alone above, so what fails here is a reference between
        // them, or to a filter, test or function (Tera reports them all in one message).
        if let Err(e) = tera.add_raw_templates(raw) {
            return Err(load_errors(&sources, &chain(&e)));
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
                Some(report) => {
                    let (path, text) = source_of(&self.sources, report.filename());
                    located(path, text, report, &format!("rendering {name}"))
                }
                None => Diagnostic::error(self.path_of(name), chain(&e)),
            })
    }

    /// Whether a template of this name is loaded.
    pub fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    fn path_of(&self, name: &str) -> PathBuf {
        source_of(&self.sources, name).0
    }
}

/// The file and text of template `name`, or the name alone (and no text) for one not
/// loaded.
fn source_of<'a>(
    sources: &'a BTreeMap<String, (PathBuf, String)>,
    name: &str,
) -> (PathBuf, &'a str) {
    sources.get(name).map_or_else(
        || (PathBuf::from(name), ""),
        |(p, t)| (p.clone(), t.as_str()),
    )
}

/// The report of a syntax or rendering error: its template, place and message.
fn report_of(e: &tera::Error) -> Option<&ReportError> {
    match e.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => Some(report),
        _ => None,
    }
}

/// The diagnostic for `report`, an error in the template `text` read from `path`: the
/// line and column where the error is, and what Tera says of it (for an unknown variable,
/// the ones there are). `what` starts the message; an unknown variable or field is named
/// with the whole path written in the template (`unknown variable `site.titel``), located
/// at its start.
fn located(path: PathBuf, text: &str, report: &ReportError, what: &str) -> Diagnostic {
    let span = report.span();
    let said = report.message();
    // "Variable `page` is not defined", "Field `titel` is not defined": the name is
    // Tera's span; the message names it with the whole path written before it.
    let name = said
        .strip_prefix("Variable `")
        .or_else(|| said.strip_prefix("Field `"))
        .and_then(|rest| rest.split_once("` is not defined"))
        .map(|(name, _)| name);
    let unknown = name.is_some_and(|n| text.get(span.range.clone()) == Some(n));
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
/// `titel`, `page.titel` for `page`. A path with a subscript before the name (`a[0].b`)
/// is left as the name; one after it (`page.items[0]`) ends before it.
fn dotted_path(text: &str, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let is_part = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    let (Some(before), Some(after)) = (text.get(..range.start), text.get(range.end..)) else {
        return range;
    };
    let start = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_part(c))
        .last()
        .map_or(range.start, |(i, _)| i);
    // `]` before the path: it follows a subscript, and the path alone would mislead.
    let path = &text[start..range.start];
    if before[..start].ends_with(']') || path.starts_with('.') || path.contains("..") {
        return range;
    }
    let tail = after.find(|c: char| !is_part(c)).unwrap_or(after.len());
    let end = range.end + after[..tail].trim_end_matches('.').len();
    start..end
}

/// The errors Tera finds when it loads the templates together (an unknown filter, test or
/// function, a missing include, a block its parent lacks): one diagnostic each. Its file,
/// line and column are read from Tera's report (`error: ...`, then `--> name:line:col`
/// with the column counted from 1); an error without one (a missing parent, a circular
/// extend) names its file in quotes (`'name'`).
fn load_errors(sources: &BTreeMap<String, (PathBuf, String)>, message: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for part in message.split("\nerror: ").filter(|p| !p.trim().is_empty()) {
        let part = part.trim_start_matches("error: ");
        let said = part.lines().next().unwrap_or(part).trim();
        let place = part.lines().find_map(|l| l.trim().strip_prefix("--> "));
        let located = place.and_then(|p| {
            let mut fields = p.rsplitn(3, ':');
            let column: usize = fields.next()?.trim().parse().ok()?;
            let line: usize = fields.next()?.trim().parse().ok()?;
            let (path, _) = sources.get(fields.next()?.trim())?;
            Some(Diagnostic::error(path, format!("template error: {said}")).at(line, column))
        });
        out.push(located.unwrap_or_else(|| {
            let path = sources
                .iter()
                .find(|(n, _)| part.contains(&format!("'{n}'")))
                .map_or_else(|| PathBuf::from("templates"), |(_, (p, _))| p.clone());
            Diagnostic::error(path, said.to_string())
        }));
    }
    out
}

/// Tera 1's `default`: the argument `value` when the value is undefined or null (or, with
/// `boolean=true`, falsy), else the value itself.
fn default_filter(value: Value, kwargs: Kwargs, _: &State) -> tera::TeraResult<Value> {
    let fallback = kwargs.must_get::<Value>("value")?;
    let boolean = kwargs.get::<bool>("boolean")?.unwrap_or_default();
    let missing = value.is_undefined() || value.is_none() || (boolean && !value.is_truthy());
    Ok(if missing { fallback } else { value })
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
    Err(located(
        path.to_path_buf(),
        text,
        report,
        "template syntax error",
    ))
}

/// Escapes text for HTML content and quoted attributes: `& < > " '` (Tera's own escaper,
/// with its `fast` feature, leaves `'` alone, and a quoted attribute may use either quote).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    escape_pieces(text, |piece| out.push_str(piece));
    out
}

/// [`escape`] for Tera, which writes what it escapes.
fn escape_to(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut result = Ok(());
    escape_pieces(text, |piece| {
        if result.is_ok() {
            result = out.write_all(piece.as_bytes());
        }
    });
    result
}

/// `text` escaped, in pieces: runs of it as they are and the entities between them.
fn escape_pieces(text: &str, mut piece: impl FnMut(&str)) {
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // Every special character is ASCII, so `i` is a character boundary.
        piece(&text[start..i]);
        piece(entity);
        start = i + 1;
    }
    piece(&text[start..]);
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

    /// The templates `pairs` (with the required ones), loaded.
    fn loaded(pairs: &[(&str, &str)]) -> Templates {
        Templates::from_sources(sources(pairs), Vec::new()).expect("loads")
    }

    /// Where `d` is: its file, and its line and column when it has them.
    fn place(d: &Diagnostic) -> (PathBuf, Option<(usize, usize)>) {
        (d.path.clone(), d.location.map(|l| (l.line, l.column)))
    }

    /// A page's `site`, for the tests that look into it.
    #[derive(Serialize)]
    struct Site {
        title: &'static str,
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
        let t = loaded(&[
            ("page.html", "<h1>{{ title }}</h1>\n<p>{{ page.titel }}</p>"),
            (
                "list.html",
                "<h1>{{ title }}</h1>\n\n  <p>{{ site.titel }}</p>",
            ),
        ]);
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
        assert_eq!(place(&d), ("t/page.html".into(), Some((2, 7))), "{d}");
        assert!(d.message.contains("unknown variable `page.titel`"), "{d}");
        assert!(d.message.contains("`page` is not defined"), "{d}");
        assert!(
            d.message.contains("site, title"),
            "the variables there are: {d}"
        );
        let d = t.render("list.html", &view).expect_err("unknown field");
        assert_eq!(place(&d), ("t/list.html".into(), Some((3, 9))), "{d}");
        assert!(d.message.contains("unknown variable `site.titel`"), "{d}");
        assert!(d.message.contains("`titel` is not defined"), "{d}");
        assert!(d.message.contains("Available fields: title"), "{d}");
    }

    #[test]
    fn errors_on_each_unknown_filter_or_missing_include_at_its_place() {
        let errs = Templates::from_sources(
            sources(&[
                (
                    "page.html",
                    "<h1>{{ title }}</h1>\n<p>{{ title | slugify }}</p>",
                ),
                (
                    "partials/p.html",
                    "x\n\n{% include \"partials/nope.html\" %}",
                ),
            ]),
            Vec::new(),
        )
        .expect_err("unknown references");
        assert_eq!(errs.len(), 2, "{errs:?}");
        let filter = errs
            .iter()
            .find(|d| d.path == Path::new("t/page.html"))
            .expect("the page's error");
        let loc = filter.location.expect("located");
        assert_eq!(loc.line, 2, "{filter}");
        assert!(filter.message.contains("slugify"), "{filter}");
        let include = errs
            .iter()
            .find(|d| d.path == Path::new("t/partials/p.html"))
            .expect("the partial's error");
        assert_eq!(include.location.map(|l| l.line), Some(3), "{include}");
        assert!(include.message.contains("partials/nope.html"), "{include}");
    }

    #[test]
    fn errors_in_an_included_or_parent_template_name_that_template() {
        let t = loaded(&[
                ("base.html", "<title>{{ site.titel }}</title>{% block content %}{% endblock content %}"),
                ("page.html", "{% extends \"base.html\" %}{% block content %}{% include \"partials/p.html\" %}{% endblock content %}"),
                ("list.html", "{% include \"partials/p.html\" %}"),
                ("partials/p.html", "ok\n  {{ nope }}"),
            ]);
        #[derive(Serialize)]
        struct V {
            site: Site,
        }
        let view = V {
            site: Site { title: "x" },
        };
        let d = t
            .render("page.html", &view)
            .expect_err("unknown field in the parent");
        assert_eq!(d.path, PathBuf::from("t/base.html"), "{d}");
        assert!(d.message.contains("unknown variable `site.titel`"), "{d}");
        let d = t
            .render("list.html", &view)
            .expect_err("unknown variable in the partial");
        assert_eq!(place(&d), ("t/partials/p.html".into(), Some((2, 6))), "{d}");
        assert!(d.message.contains("rendering list.html"), "{d}");
    }

    #[test]
    fn names_the_field_after_a_subscript_without_a_broken_path() {
        let t = loaded(&[("page.html", "{{ items[0].titel }}")]);
        #[derive(Serialize)]
        struct Item {
            title: &'static str,
        }
        #[derive(Serialize)]
        struct V {
            items: Vec<Item>,
        }
        let d = t
            .render(
                "page.html",
                &V {
                    items: vec![Item { title: "x" }],
                },
            )
            .expect_err("unknown field");
        assert!(!d.message.contains("items[0"), "{d}");
        assert!(d.message.contains("`titel`"), "{d}");
        assert_eq!(d.location.map(|l| (l.line, l.column)), Some((1, 13)), "{d}");
    }

    #[test]
    fn default_replaces_a_null_value_as_tera_1_did() {
        let t = loaded(&[(
            "page.html",
            "{{ a | default(value=\"none\") }}/{{ b | default(value=\"none\") }}/\
                 {{ c | default(value=\"empty\", boolean=true) }}",
        )]);
        #[derive(Serialize)]
        struct V {
            a: Option<&'static str>,
            b: Option<&'static str>,
            c: &'static str,
        }
        let html = t
            .render(
                "page.html",
                &V {
                    a: None,
                    b: Some("b"),
                    c: "",
                },
            )
            .expect("renders");
        assert_eq!(html, "none/b/empty");
    }

    #[test]
    fn iterates_a_struct_in_the_order_of_its_fields() {
        let t = loaded(&[(
            "page.html",
            "{% for k, v in m %}{{ k }}={{ v }} {% endfor %}",
        )]);
        #[derive(Serialize)]
        struct M {
            zebra: u8,
            apple: u8,
            mango: u8,
        }
        #[derive(Serialize)]
        struct V {
            m: M,
        }
        let view = V {
            m: M {
                zebra: 1,
                apple: 2,
                mango: 3,
            },
        };
        for _ in 0..5 {
            let html = t.render("page.html", &view).expect("renders");
            assert_eq!(html, "zebra=1 apple=2 mango=3 ");
        }
    }

    #[test]
    fn can_escape_content_by_default() {
        let t = loaded(&[("page.html", "{{ title }}")]);
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
