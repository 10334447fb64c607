//! A guard against pathological nesting, run before the tree is built.
//!
//! Building the tree of a page nested thousands of levels deep costs time that grows
//! faster than the page (the HTML tree-building algorithm scans the stack of open elements
//! at each tag), so such a page is refused before it is built. html5ever's tokenizer
//! counts the depth in one linear pass; it runs only on pages with many tags, since a page
//! with few tags cannot nest deeply. A decision page nests a few dozen levels at most.

use std::cell::Cell;

use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// The deepest nesting read. Deeper pages are refused.
pub const MAX_DEPTH: usize = 512;

/// Elements that never have an end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

#[derive(Default)]
struct DepthSink {
    depth: Cell<usize>,
    max: Cell<usize>,
}

impl TokenSink for DepthSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        if let Token::TagToken(tag) = token {
            match tag.kind {
                TagKind::StartTag if !tag.self_closing && !VOID.contains(&&*tag.name) => {
                    let d = self.depth.get() + 1;
                    self.depth.set(d);
                    self.max.set(self.max.get().max(d));
                }
                TagKind::EndTag => self.depth.set(self.depth.get().saturating_sub(1)),
                TagKind::StartTag => {}
            }
        }
        TokenSinkResult::Continue
    }
}

/// How deep `text` nests its elements, or `None` when it has too few tags to nest deeper
/// than [`MAX_DEPTH`] (the count is then not worth taking).
pub fn too_deep(text: &str) -> Option<usize> {
    let tags = text.bytes().filter(|b| *b == b'<').count();
    if tags <= MAX_DEPTH {
        return None;
    }
    let tokenizer = Tokenizer::new(DepthSink::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(text.into());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let max = tokenizer.sink.max.get();
    (max > MAX_DEPTH).then_some(max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_tell_a_deep_page_from_a_long_one() {
        let long = "<p>a<br>b</p>".repeat(5_000);
        assert_eq!(too_deep(&long), None);
        let deep = format!("{}x{}", "<div>".repeat(600), "</div>".repeat(600));
        assert_eq!(too_deep(&deep), Some(600));
        assert_eq!(too_deep("<div><div>x</div></div>"), None);
    }
}
