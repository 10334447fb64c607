//! Pieces of an HTML page -> the [`ParsedPage`] the text reader produces, with the text
//! reader's rules: metadata lines and `label`/`value` pairs, the summary, furniture and the
//! cookie banner dropped, headings levelled by the same list of section names, and the
//! paragraphs numbered continuously through the decision.
//!
//! Top-level `<ol>` items are the numbered paragraphs (a section restarting at 1 continues
//! the count; a `start` or `value` that jumps ahead is honoured). A page whose paragraphs
//! are `<p>` elements carries no numbers: it is the flattened layout, and the numbers are
//! the digest's. Lists nest at most two levels under a paragraph (items, then their
//! children); anything deeper joins the deepest level, so no later step recurses deeply.

use super::walk::{Kind, Piece};
use crate::import::furniture::{is_signature, kept};
use crate::import::page::{Block, Item, Layout, Meta, Paragraph, ParsedPage};
use crate::import::parse::{heading_level, is_final_decision_marker, looks_like_heading, meta_of};

/// Where a piece sits in the decoded source, for diagnostics: line and column (1-based).
pub type Locate<'a> = &'a dyn Fn(&str) -> (usize, usize);

/// Builds the page from `pieces[header]` (the `Name (ref)` piece) onwards.
pub fn page(
    mut pieces: Vec<Piece>,
    header: usize,
    council: &str,
    reference: &str,
    locate: Locate<'_>,
) -> ParsedPage {
    let mut page = ParsedPage {
        council: council.to_string(),
        reference: reference.to_string(),
        category: None,
        decision: None,
        decision_date: None,
        summary: None,
        blocks: Vec::new(),
        layout: Layout::Empty,
        dropped_before_header: Vec::new(),
    };
    let start = header + 1 + preamble(&pieces[header + 1..], &mut page, locate);
    let keep = {
        let texts: Vec<_> = pieces[start..].iter().map(Piece::text).collect();
        kept(texts.iter().map(|t| &**t))
    };
    let mut keep = keep.into_iter();
    let body: Vec<Piece> = pieces
        .drain(start..)
        .filter(|_| keep.next().unwrap_or(false))
        .collect();
    let numbered = body
        .iter()
        .filter(|p| {
            matches!(
                p.kind,
                Kind::Item {
                    depth: 1,
                    ordinal: Some(_)
                }
            )
        })
        .count();
    let plain = body
        .iter()
        .filter(|p| matches!(p.kind, Kind::Plain { bold: false }) && !is_signature(&p.text()))
        .count();
    page.layout = match (numbered, plain) {
        (0, 0) => Layout::Empty,
        (n, d) if n >= d => Layout::Numbered,
        _ => Layout::Flattened,
    };
    page.blocks = Body::new(page.layout).build(body);
    page
}

/// Reads metadata, the "final decision" marker and the summary; returns the index of the
/// first body piece.
fn preamble(pieces: &[Piece], page: &mut ParsedPage, locate: Locate<'_>) -> usize {
    let mut i = 0;
    while i < pieces.len() {
        let piece = &pieces[i];
        let text = piece.text();
        let meta = |label: &str, value: &str| {
            let (line, column) = locate(value);
            let meta = Meta {
                value: value.trim().to_string(),
                line,
                column,
            };
            (label.trim().trim_end_matches(':').trim().to_string(), meta)
        };
        let found = match piece.kind {
            Kind::Label => pieces
                .get(i + 1)
                .filter(|v| v.kind == Kind::Value)
                .map(|v| {
                    i += 1;
                    meta(&text, &v.text())
                }),
            _ => meta_of(&text).map(|(label, value, _)| meta(label, value)),
        };
        if let Some((label, meta)) = found {
            match label.to_lowercase().as_str() {
                "category" => page.category = Some(meta),
                "decision" => page.decision = Some(meta),
                "decision date" => page.decision_date = Some(meta),
                _ => {}
            }
            i += 1;
            continue;
        }
        if text.trim().is_empty() || is_final_decision_marker(&text) || !kept([&*text])[0] {
            i += 1;
            continue;
        }
        if let Some(summary) = text.trim().strip_prefix("Summary:") {
            let summary = summary.trim();
            if summary.is_empty() {
                // `<h3>Summary:</h3><p>...</p>`: the summary is the next block.
                if let Some(next) = pieces.get(i + 1) {
                    page.summary = Some(next.text().trim().to_string());
                    return i + 2;
                }
            }
            page.summary = Some(summary.to_string());
            return i + 1;
        }
        return i;
    }
    pieces.len()
}

struct Body {
    layout: Layout,
    blocks: Vec<Block>,
    next_number: u32,
    /// How many list levels above an item's own: 1 under an `<ol>` paragraph, 0 under a
    /// `<p>` paragraph whose items follow it as a list of their own.
    offset: usize,
}

impl Body {
    fn new(layout: Layout) -> Self {
        Self {
            layout,
            blocks: Vec::new(),
            next_number: 1,
            offset: 1,
        }
    }

    fn build(mut self, pieces: Vec<Piece>) -> Vec<Block> {
        for piece in pieces {
            let heading_kind = matches!(piece.kind, Kind::Heading | Kind::Plain { bold: true });
            let block = {
                let text = piece.text();
                let text = text.trim();
                if is_signature(text) {
                    Some(Block::Signature(text.to_string()))
                } else if heading_kind && looks_like_heading(text) {
                    Some(Block::Heading {
                        level: heading_level(text),
                        text: text.to_string(),
                    })
                } else {
                    None
                }
            };
            match (block, piece.kind) {
                (Some(block), _) => self.blocks.push(block),
                (None, Kind::Item { depth, ordinal }) => self.item(piece, depth, ordinal),
                (None, _) => self.plain(piece),
            }
        }
        self.blocks
    }

    fn plain(&mut self, piece: Piece) {
        if self.layout == Layout::Numbered {
            let heading = {
                let text = piece.text();
                looks_like_heading(&text).then(|| (heading_level(&text), text.into_owned()))
            };
            if let Some((level, text)) = heading {
                self.blocks.push(Block::Heading { level, text });
                return;
            }
            // An unnumbered block between numbered paragraphs continues the one before,
            // as a bare line does in a text copy.
            if let Some(p) = self.current() {
                match p.items.last_mut() {
                    Some(item) => {
                        item.text.push(' ');
                        item.text.push_str(&piece.text());
                        item.links.extend(piece.links);
                    }
                    None => {
                        p.lines.extend(piece.lines);
                        p.links.extend(piece.links);
                    }
                }
                return;
            }
        }
        self.paragraph(piece, None);
    }

    fn item(&mut self, piece: Piece, depth: usize, ordinal: Option<u32>) {
        if depth == 1 {
            if ordinal.is_some() || self.current().is_none() {
                self.paragraph(piece, ordinal);
                self.offset = 1;
                return;
            }
            self.offset = 0;
        }
        if self.current().is_none() {
            self.paragraph(piece, None);
            return;
        }
        let level = depth.saturating_sub(self.offset).max(1);
        let item = Item {
            ordinal: if level == 1 && self.offset == 0 {
                None
            } else {
                ordinal
            },
            text: piece.text().into_owned(),
            children: Vec::new(),
            links: piece.links,
        };
        if let Some(p) = self.current() {
            match p.items.last_mut() {
                Some(parent) if level >= 2 => parent.children.push(item),
                _ => p.items.push(item),
            }
        }
    }

    fn paragraph(&mut self, piece: Piece, ordinal: Option<u32>) {
        let number = match ordinal {
            Some(n) if n > self.next_number => n,
            _ => self.next_number,
        };
        self.blocks.push(Block::Paragraph(Paragraph {
            number,
            lines: piece.lines,
            items: Vec::new(),
            source_line: 0,
            links: piece.links,
        }));
        self.next_number = number.saturating_add(1);
    }

    fn current(&mut self) -> Option<&mut Paragraph> {
        match self.blocks.last_mut() {
            Some(Block::Paragraph(p)) => Some(p),
            _ => None,
        }
    }
}
