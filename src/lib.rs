//! casebook: a static-site generator for a searchable digest of Local Government and
//! Social Care Ombudsman decisions.
//!
//! The pipeline, one module per step:
//! raw page -`import`-> [`decision::Decision`] -`content`-> `content/decisions/YYYY/ref.md`
//! -`content::load`-> decisions -> site -> rendered pages -> `public/`.

pub mod cli;
pub mod cmd;
pub mod content;
pub mod decision;
pub mod diagnostics;
pub mod fs;
pub mod import;
pub mod output;
pub mod serve;
pub mod summary;
pub mod watch;
