//! HTML read by hand where a full parser costs too much: the tokenizer's rules for tags,
//! attributes, comments and raw text, and its character references. What reads it (the
//! link finishing of built pages, the quick reading of saved decision pages) gives up and
//! hands the page to a full parser (lol_html, html5ever) whenever it meets markup these
//! rules do not cover.

pub mod entities;
pub mod tags;
