//! The command line: clap derive types for every subcommand and its flags. No IO, no logic.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// casebook turns published Ombudsman decisions into a searchable static digest site.
#[derive(Debug, Parser)]
#[command(name = "casebook", version, about, propagate_version = true)]
pub struct Cli {
    /// The site's folder: the one holding `config.toml`.
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,

    /// The step to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Turn decision pages copied from the Ombudsman's website into content files.
    Import(ImportArgs),
    /// Fetch decision pages from the Ombudsman's website into `sources/`, then import them.
    Fetch(FetchArgs),
    /// Render the site into `public/`.
    Build(BuildArgs),
    /// Build, serve on 127.0.0.1 and reload the browser on every change.
    Serve(ServeArgs),
    /// Rebuild `public/` on every change, without a server.
    Watch(BuildArgs),
    /// Check content and links; exits non-zero on any problem (for CI).
    Check(CheckArgs),
    /// Create a new site in a folder.
    Init(InitArgs),
}

/// `casebook import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Raw decision files (`.txt`), or folders holding them.
    #[arg(required = true, value_name = "FILE_OR_FOLDER")]
    pub paths: Vec<PathBuf>,

    /// Replace content files that were edited by hand, keeping each old file beside the
    /// new one as `<name>.md.<timestamp>.bak`.
    #[arg(long)]
    pub force: bool,
}

/// `casebook fetch`.
#[derive(Debug, Args)]
pub struct FetchArgs {
    /// Decision pages to fetch, such as
    /// `https://www.lgo.org.uk/decisions/housing/homelessness/24-005-444`.
    #[arg(value_name = "URL")]
    pub urls: Vec<String>,

    /// Walk the website's search results from this day (YYYY-MM-DD). With neither dates
    /// nor URLs, the fetch goes on from where the last fetches left off: the months they
    /// left unfinished or that are still open, and from the newest month done to today.
    #[arg(long, value_name = "DATE")]
    pub since: Option<chrono::NaiveDate>,

    /// The last day to walk (default: today).
    #[arg(long, value_name = "DATE")]
    pub until: Option<chrono::NaiveDate>,

    /// Keep only decisions in this category (its slug in the website's addresses, such as
    /// `housing`).
    #[arg(long, value_name = "SLUG")]
    pub category: Option<String>,

    /// Keep only decisions in this subcategory (such as `homelessness`).
    #[arg(long, value_name = "SLUG")]
    pub subcategory: Option<String>,

    /// Seconds between two requests (default: `[fetch] delay` in config.toml, 1).
    #[arg(long, value_name = "SECONDS")]
    pub delay: Option<f64>,
}

/// Flags shared by `build` and `watch`.
#[derive(Debug, Args, Clone, Default)]
pub struct BuildArgs {
    /// Override `base_url` from config.toml (for deploy previews).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,

    /// Where to write the site (default: `public/` in the site's folder).
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
}

/// `casebook serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port to listen on.
    #[arg(long, default_value_t = 1111)]
    pub port: u16,

    /// The address to bind; loopback unless you mean to share the preview.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,

    /// Override `base_url` (default: the local address).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
}

/// `casebook check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Also print readability figures for every decision's summaries.
    #[arg(long)]
    pub readability: bool,
}

/// `casebook init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create the site in.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}
