//! Code highlighting behind one function, so the highlighter can be swapped (as Zola
//! swapped syntect for giallo) without touching the Markdown renderer.
//!
//! syntect marks tokens with CSS classes prefixed `hl-`; the colours live in the theme's
//! `static/highlight.css`, whose colours keep AA contrast in the light and dark schemes. No
//! inline styles, so a site's CSS (and a reader's high-contrast mode) stays in charge.
//!
//! A code block may scroll sideways, so it can take keyboard focus (`tabindex="0"`) and is
//! a labelled group naming its language, for screen readers.

use std::sync::LazyLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// The class prefix syntect uses, and the shipped CSS expects.
pub const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// syntect's bundled syntaxes, as shipped: loading them reads a dump, where adding one
/// and building the set again would link and compress every syntax anew (about a fifth
/// of a second of each build, each `serve` and each `check`).
static DEFAULTS: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// TOML, which the bundled syntaxes lack, for front matter and config: a set of its own
/// (its definition includes no other syntax).
static TOML: LazyLock<SyntaxSet> = LazyLock::new(|| {
    let mut builder = syntect::parsing::SyntaxSetBuilder::new();
    // The definition ships in the binary; a failure here is a bug caught by the tests.
    if let Ok(toml) = syntect::parsing::SyntaxDefinition::load_from_str(
        include_str!("syntaxes/TOML.sublime-syntax"),
        true,
        None,
    ) {
        builder.add(toml);
    }
    builder.build()
});

/// The syntax `lang` names (a token such as `json`, or a file extension), with its set.
fn find_syntax(lang: &str) -> Option<(&'static SyntaxReference, &'static SyntaxSet)> {
    [&*TOML, &*DEFAULTS].into_iter().find_map(|set| {
        set.find_syntax_by_token(lang)
            .or_else(|| set.find_syntax_by_extension(lang))
            .map(|syntax| (syntax, set))
    })
}

/// `code` as an HTML `<pre>` block, highlighted when `lang` names a known syntax
/// (`json`, `python`, `sh`, ...) and escaped plain text otherwise.
pub fn highlight(code: &str, lang: &str) -> String {
    let lang = lang.split([' ', ',']).next().unwrap_or("").trim();
    let lang_attr = escape(lang);
    let syntax = if lang.is_empty() {
        None
    } else {
        find_syntax(lang)
    };
    let name = syntax.map_or_else(|| lang_attr.clone(), |(s, _)| escape(&s.name));
    let inner = match syntax {
        Some((syntax, set)) => {
            let mut generator =
                ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
            let ok = LinesWithEndings::from(code).all(|line| {
                generator
                    .parse_html_for_line_which_includes_newline(line)
                    .is_ok()
            });
            if ok {
                generator.finalize()
            } else {
                escape(code)
            }
        }
        None => escape(code),
    };
    let focus = "tabindex=\"0\" role=\"group\"";
    if lang.is_empty() {
        format!(
            "<pre class=\"code\" {focus} aria-label=\"Code example\"><code>{inner}</code></pre>\n"
        )
    } else {
        format!(
            "<pre class=\"code\" data-lang=\"{lang_attr}\" {focus} aria-label=\"Code example: {name}\"><code class=\"language-{lang_attr}\">{inner}</code></pre>\n"
        )
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_highlight_toml_front_matter() {
        let html = highlight(
            "# a comment\nreference = \"21 019 020\"\ndecision_date = 2022-08-25\n[findings]\nfault = true\n",
            "toml",
        );
        for scope in ["hl-comment", "hl-string", "hl-entity", "hl-constant"] {
            assert!(html.contains(scope), "{scope} missing in {html}");
        }
        assert!(html.contains("21 019 020"), "{html}");
    }

    #[test]
    fn can_highlight_json_into_classes() {
        let html = highlight("{\"a\": 1}\n", "json");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(html.contains("data-lang=\"json\""), "{html}");
        assert!(
            html.contains("tabindex=\"0\" role=\"group\" aria-label=\"Code example: JSON\""),
            "reachable by keyboard, labelled: {html}"
        );
        assert!(!html.contains("style="), "{html}");
    }

    #[test]
    fn can_fall_back_to_escaped_text_for_unknown_languages() {
        let html = highlight("<b>x</b>\n", "no-such-lang");
        assert!(html.contains("&lt;b&gt;x&lt;/b&gt;"), "{html}");
    }
}
