//! A decision page as read, before it is interpreted: the one intermediate that both
//! readers give, the text reader (`parse`) and the HTML reader (`html`), so that the same
//! page gives the same decision whichever form it came in. `decide` turns it into the
//! decision.

/// Which layout the page's paragraphs come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `  1. ` numbered paragraphs.
    Numbered,
    /// `- ` lines.
    Flattened,
    /// No paragraphs at all (a truncated page).
    Empty,
}

/// A `Label : value` metadata line.
#[derive(Debug, Clone)]
pub struct Meta {
    /// The value after the colon.
    pub value: String,
    /// Where the value starts: line and column (1-based).
    pub line: usize,
    /// Column of the value.
    pub column: usize,
}

/// A decision page, parsed but not yet interpreted.
#[derive(Debug, Clone)]
pub struct ParsedPage {
    /// The organisation, from the `Name (ref)` line.
    pub council: String,
    /// The reference text inside the brackets.
    pub reference: String,
    /// The `Category :` line.
    pub category: Option<Meta>,
    /// The `Decision :` line.
    pub decision: Option<Meta>,
    /// The `Decision date :` line.
    pub decision_date: Option<Meta>,
    /// The Ombudsman's summary, without `Summary: `.
    pub summary: Option<String>,
    /// Headings, paragraphs and the signature, in order.
    pub blocks: Vec<Block>,
    /// The layout of the paragraphs.
    pub layout: Layout,
    /// Lines before the `Name (ref)` line that were not furniture and were dropped.
    pub dropped_before_header: Vec<usize>,
}

/// A part of the decision body.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading: level 2 for sections, 3 for sub-headings.
    Heading {
        /// 2 or 3.
        level: u8,
        /// The heading's text.
        text: String,
    },
    /// A numbered paragraph.
    Paragraph(Paragraph),
    /// The signature line.
    Signature(String),
}

/// A paragraph with its number in the whole decision.
#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    /// 1-based, continuous through the decision.
    pub number: u32,
    /// The paragraph's lines (more than one where the copy broke a line).
    pub lines: Vec<String>,
    /// Bullets and nested items under it.
    pub items: Vec<Item>,
    /// Source line of the paragraph's first line.
    pub source_line: usize,
    /// Links in its text, in order (an HTML page's; a text copy has none).
    pub links: Vec<Link>,
}

/// A link in the Ombudsman's text: the words linked, as they appear in the text, and the
/// address they link to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The linked words, whitespace collapsed.
    pub text: String,
    /// The address: absolute once the page is read (a decision's in its normal form).
    pub url: String,
}

impl Paragraph {
    /// The paragraph's text with its lines joined by spaces.
    pub fn text(&self) -> String {
        self.lines.join(" ")
    }
}

/// A bullet or nested numbered item under a paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The number of a nested numbered item; `None` for a bullet.
    pub ordinal: Option<u32>,
    /// The item's text.
    pub text: String,
    /// Items nested under this one.
    pub children: Vec<Item>,
    /// Links in its text, in order.
    pub links: Vec<Link>,
}
