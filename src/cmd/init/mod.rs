//! `casebook init <dir>`: a new site that `import` and `build` work in straight away.
//!
//! The default theme and the starter pages are built into the binary, so `init` works
//! wherever casebook is installed; the new site gets its own copy of the theme to change,
//! and a GitHub Actions workflow (`update.yml`) that keeps it up to date: daily, it installs
//! this version of casebook from a release (checksum verified), fetches, commits, checks,
//! builds and deploys to GitHub Pages.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context};
use include_dir::{include_dir, Dir};

use crate::cli::InitArgs;
use crate::fs::write_atomic;

static THEME: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");
static PAGES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/content/pages");

const CONFIG: &str = r#"# casebook site configuration. Every key is optional; unknown keys are rejected.
title = "Ombudsman decisions digest"
description = "Decisions of the Local Government and Social Care Ombudsman, each explained in plain English."
# Where the site will be published; override with `casebook build --base-url URL`.
base_url = "https://example.org/"
theme = "default"
paginate_by = 30
language = "en-GB"

# Where `casebook fetch` gets decisions, and how politely.
[fetch]
source = "https://www.lgo.org.uk"
# How the website's operators can reach you (an email address or a web page), sent with
# every request; base_url when empty (fetch will not run while both are placeholders).
contact = ""
# Seconds between two requests.
delay = 1
"#;

const GITIGNORE: &str = "/public\n*.bak\n/.casebook\n";

const UPDATE_WORKFLOW: &str = include_str!("update.yml");

/// Where releases of casebook are published (`owner/name` on GitHub): set by the release
/// workflow when it builds the binaries; a placeholder in a build from source.
const RELEASE_REPOSITORY: &str = match option_env!("CASEBOOK_RELEASE_REPOSITORY") {
    Some(repo) => repo,
    None => "OWNER/casebook",
};

/// The site's workflow, pinned to this version of casebook.
pub fn update_workflow() -> String {
    UPDATE_WORKFLOW
        .replace("@VERSION@", env!("CARGO_PKG_VERSION"))
        .replace("@REPOSITORY@", RELEASE_REPOSITORY)
}

/// Runs `casebook init`.
pub fn run(args: &InitArgs) -> anyhow::Result<ExitCode> {
    let dir = &args.dir;
    create_site(dir)?;
    println!("created a new casebook site in {}", dir.display());
    println!("next:");
    println!(
        "  casebook --root {} import <decision pages (.txt) or folders>",
        dir.display()
    );
    println!("  casebook --root {} build", dir.display());
    println!("  casebook --root {} serve", dir.display());
    println!(
        "  casebook --root {} fetch --since YYYY-MM-DD   (decisions from the website)",
        dir.display()
    );
    println!(
        "to publish it and keep it up to date, push it to GitHub: .github/workflows/update.yml runs daily"
    );
    if RELEASE_REPOSITORY.starts_with("OWNER/") {
        println!(
            "  (this casebook was built from source: set CASEBOOK_REPOSITORY in that file to where its releases are)"
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes a new site into `dir`, which must be missing or empty: nothing a user wrote is
/// ever overwritten.
pub fn create_site(dir: &Path) -> anyhow::Result<()> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir)
            .with_context(|| format!("could not read `{}`", dir.display()))?;
        if entries.next().is_some() {
            bail!(
                "`{}` is not empty; choose a new folder (init never overwrites files)",
                dir.display()
            );
        }
    }
    write_atomic(&dir.join("config.toml"), CONFIG.as_bytes())?;
    write_atomic(&dir.join(".gitignore"), GITIGNORE.as_bytes())?;
    write_atomic(
        &dir.join(".github/workflows/update.yml"),
        update_workflow().as_bytes(),
    )?;
    // Decision files go in content/decisions/: `casebook import` writes them.
    write_atomic(&dir.join("content/decisions/.gitkeep"), b"")?;
    copy_dir(&PAGES, &dir.join("content/pages"))?;
    copy_dir(&THEME, &dir.join("themes/default"))?;
    Ok(())
}

/// Copies an embedded folder below `target`. Embedded paths are relative to the embedded
/// root, at every depth.
fn copy_dir(source: &Dir<'_>, target: &Path) -> anyhow::Result<()> {
    for file in source.files() {
        write_atomic(&target.join(file.path()), file.contents())?;
    }
    for sub in source.dirs() {
        copy_dir(sub, target)?;
    }
    Ok(())
}
