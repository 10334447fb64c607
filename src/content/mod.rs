//! Front-matter Markdown files in `content/` <-> [`crate::decision::Decision`] values:
//! the load step and its inverse.
//!
//! `split` finds the `+++` fences, `front_matter` maps the TOML to the model, `load` reads
//! a folder in parallel and collects every diagnostic, `write` serialises a decision and
//! refuses to clobber a hand edit. No HTML and no templates here.

pub mod front_matter;
pub mod load;
pub mod refs;
pub mod split;
pub mod write;

pub use load::{load_decisions, ContentFile, Loaded};
pub use write::{persist, render_file, Persisted};

use std::path::{Path, PathBuf};

use crate::decision::Decision;

/// Where a decision's file lives below the site root:
/// `content/decisions/<year>/<reference-with-dashes>.md`, or `undated/` when its date
/// is not known.
pub fn decision_path(root: &Path, decision: &Decision) -> PathBuf {
    let folder = decision
        .year()
        .map_or_else(|| "undated".to_string(), |y| y.to_string());
    root.join("content")
        .join("decisions")
        .join(folder)
        .join(format!("{}.md", decision.reference.slug()))
}
