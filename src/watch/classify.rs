//! What a changed path means for the site: [`ChangeKind`] sorts a path below the site's
//! folder into content (a decision, a page, the glossary), templates, static files, config,
//! something else inside the site, or noise to ignore (editor swap and temp files, `.git`,
//! `public/`, `target/`). Pure: looks only at the path, never at the disk.

use std::path::{Component, Path, PathBuf};

/// What kind of site source a changed path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    /// A decision's content file: `content/decisions/**/*.md`.
    Decision,
    /// Any other Markdown page below `content/`.
    Page,
    /// A glossary file (`glossary.toml`) below `content/` or in a theme's folder.
    Glossary,
    /// A Tera template: `templates/**` or `themes/<name>/templates/**`.
    Template,
    /// A static file: `static/**` or `themes/<name>/static/**`.
    Static,
    /// `config.toml`, or a theme's `theme.toml`.
    Config,
    /// Inside a watched folder but of no known kind (a removed folder, an image beside
    /// content): the rebuild cannot tell what depends on it, so it rebuilds everything.
    Other,
    /// Not part of the site: editor temp and swap files, `.git`, `public/`, `target/`.
    Ignored,
}

impl ChangeKind {
    /// True when a change of this kind may touch every page, so the rebuild should be full.
    pub fn needs_full_rebuild(self) -> bool {
        matches!(
            self,
            Self::Config | Self::Template | Self::Glossary | Self::Other
        )
    }
}

/// One changed path, relative to the site's folder, and what kind of source it is.
///
/// A change means "may have been created, modified or removed": whoever handles it looks at
/// the disk for the current state. A rename arrives as two changes, old path and new path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Change {
    /// The path relative to the site's folder (`content/decisions/2022/21-019-020.md`).
    pub path: PathBuf,
    /// What the path is.
    pub kind: ChangeKind,
}

impl Change {
    /// Classifies `path` (relative to the site's folder).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let kind = classify(&path);
        Self { path, kind }
    }
}

/// Folders at the top of the site whose contents are never site sources.
const IGNORED_TOP: &[&str] = &["public", "target", "node_modules"];

/// Classifies a path relative to the site's folder.
pub fn classify(path: &Path) -> ChangeKind {
    let Some(parts) = normal_parts(path) else {
        return ChangeKind::Ignored;
    };
    if parts.is_empty() || parts.iter().any(|p| is_editor_noise(p)) {
        return ChangeKind::Ignored;
    }
    let file = parts[parts.len() - 1];
    match parts.as_slice() {
        [top, ..] if IGNORED_TOP.contains(top) => ChangeKind::Ignored,
        ["config.toml"] => ChangeKind::Config,
        [_] => ChangeKind::Ignored,
        ["content", ..] if file == "glossary.toml" => ChangeKind::Glossary,
        ["content", "decisions", .., _] if is_markdown(file) => ChangeKind::Decision,
        ["content", ..] if is_markdown(file) => ChangeKind::Page,
        ["content", ..] => ChangeKind::Other,
        ["templates", ..] => ChangeKind::Template,
        ["static", ..] => ChangeKind::Static,
        ["themes", _, "glossary.toml"] => ChangeKind::Glossary,
        ["themes", _, "theme.toml"] => ChangeKind::Config,
        ["themes", _, "templates", ..] => ChangeKind::Template,
        ["themes", _, "static", ..] => ChangeKind::Static,
        ["themes", ..] => ChangeKind::Other,
        _ => ChangeKind::Ignored,
    }
}

/// The path's parts as UTF-8 strings; `None` for paths that climb out (`..`), are
/// absolute, or are not UTF-8.
fn normal_parts(path: &Path) -> Option<Vec<&str>> {
    let mut parts = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_str()?),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts)
}

fn is_markdown(file: &str) -> bool {
    Path::new(file)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
}

/// Editor and OS noise: hidden files and folders (`.git`, `.file.swp`, `.#lock`,
/// `.goutputstream-*`), backups (`file~`, `#file#`, `*.bak`), swap and temp files, and
/// vim's `4913` write test.
fn is_editor_noise(name: &str) -> bool {
    const NOISE_EXTENSIONS: &[&str] = &[
        "swp", "swo", "swx", "swn", "tmp", "temp", "bak", "orig", "part", "crswap", "kate-swp",
    ];
    if name.starts_with('.') || name.ends_with('~') || name == "4913" {
        return true;
    }
    if name.starts_with('#') && name.ends_with('#') {
        return true;
    }
    name.rsplit_once('.').is_some_and(|(_, ext)| {
        NOISE_EXTENSIONS
            .iter()
            .any(|noise| ext.eq_ignore_ascii_case(noise))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(path: &str) -> ChangeKind {
        classify(Path::new(path))
    }

    #[test]
    fn can_classify_content() {
        assert_eq!(
            kind("content/decisions/2022/21-019-020.md"),
            ChangeKind::Decision
        );
        assert_eq!(kind("content/decisions/x.md"), ChangeKind::Decision);
        assert_eq!(kind("content/about.md"), ChangeKind::Page);
        assert_eq!(kind("content/decisions"), ChangeKind::Other);
        assert_eq!(kind("content/decisions/2022"), ChangeKind::Other);
        assert_eq!(kind("content/glossary.toml"), ChangeKind::Glossary);
        assert_eq!(kind("themes/default/glossary.toml"), ChangeKind::Glossary);
    }

    #[test]
    fn can_classify_templates_static_and_config() {
        assert_eq!(kind("templates/decision.html"), ChangeKind::Template);
        assert_eq!(
            kind("themes/default/templates/base.html"),
            ChangeKind::Template
        );
        assert_eq!(kind("static/site.css"), ChangeKind::Static);
        assert_eq!(
            kind("themes/default/static/js/search.js"),
            ChangeKind::Static
        );
        assert_eq!(kind("config.toml"), ChangeKind::Config);
        assert_eq!(kind("./config.toml"), ChangeKind::Config);
        assert_eq!(kind("themes/default/theme.toml"), ChangeKind::Config);
        assert_eq!(kind("themes/default/README"), ChangeKind::Other);
    }

    #[test]
    fn can_ignore_editor_noise_and_outputs() {
        for path in [
            "content/decisions/.21-019-020.md.swp",
            "content/decisions/21-019-020.md~",
            "content/decisions/#21-019-020.md#",
            "content/decisions/.#21-019-020.md",
            "content/decisions/4913",
            "content/decisions/21-019-020.md.tmp",
            "content/decisions/21-019-020.md.20240101T000000.bak",
            "templates/.goutputstream-ABC123",
            "static/.DS_Store",
            ".git/index",
            ".git",
            "public/index.html",
            "target/debug/casebook",
            "README.md",
            "config.toml.bak",
            "../outside/config.toml",
            "/etc/passwd",
            "",
        ] {
            assert_eq!(kind(path), ChangeKind::Ignored, "{path}");
        }
    }

    #[test]
    fn can_tell_which_kinds_need_a_full_rebuild() {
        assert!(!ChangeKind::Decision.needs_full_rebuild());
        assert!(!ChangeKind::Page.needs_full_rebuild());
        assert!(!ChangeKind::Static.needs_full_rebuild());
        assert!(ChangeKind::Template.needs_full_rebuild());
        assert!(ChangeKind::Config.needs_full_rebuild());
        assert!(ChangeKind::Glossary.needs_full_rebuild());
        assert!(ChangeKind::Other.needs_full_rebuild());
    }
}
