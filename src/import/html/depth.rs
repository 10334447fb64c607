//! Parsing with a guard against pathological nesting, in one pass.
//!
//! Building the tree of a page nested thousands of levels deep costs time that grows
//! faster than the page (the HTML tree-building algorithm scans the stack of open elements
//! at each tag), so such a page is refused. The guard sits between html5ever's tokenizer
//! and its tree builder: it counts the depth of the tags as they go by, and once a page is
//! deeper than [`MAX_DEPTH`] it stops handing them to the tree builder, so the rest of the
//! page costs only the tokenizer's linear pass. A decision page nests a few dozen levels
//! at most.

use std::cell::Cell;

use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts, TreeSink};
use html5ever::{local_name, LocalName, TokenizerResult};

use super::stream::{Document, Scope, Sink};

/// The deepest nesting read. Deeper pages are refused.
pub const MAX_DEPTH: usize = 512;

/// Elements that never have an end tag.
const VOID: &[LocalName] = &[
    local_name!("area"),
    local_name!("base"),
    local_name!("br"),
    local_name!("col"),
    local_name!("embed"),
    local_name!("hr"),
    local_name!("img"),
    local_name!("input"),
    local_name!("link"),
    local_name!("meta"),
    local_name!("param"),
    local_name!("source"),
    local_name!("track"),
    local_name!("wbr"),
];

/// A token sink that counts nesting and passes tokens on to `inner` while the page is no
/// deeper than [`MAX_DEPTH`].
struct Guard<S> {
    inner: S,
    depth: Cell<usize>,
    max: Cell<usize>,
}

impl<S: TokenSink> TokenSink for Guard<S> {
    type Handle = S::Handle;

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<S::Handle> {
        if let Token::TagToken(tag) = &token {
            match tag.kind {
                TagKind::StartTag if !tag.self_closing && !VOID.contains(&tag.name) => {
                    let d = self.depth.get() + 1;
                    self.depth.set(d);
                    self.max.set(self.max.get().max(d));
                }
                TagKind::EndTag => self.depth.set(self.depth.get().saturating_sub(1)),
                TagKind::StartTag => {}
            }
        }
        if self.max.get() > MAX_DEPTH {
            return TokenSinkResult::Continue;
        }
        self.inner.process_token(token, line)
    }

    fn end(&self) {
        if self.max.get() <= MAX_DEPTH {
            self.inner.end();
        }
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.inner
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}

/// Reads `text` as a whole document (into the walk's pieces of `scope`, see `stream`), or
/// says how deep it nests when that is deeper than [`MAX_DEPTH`].
pub fn parse(text: &str, scope: Scope) -> Result<Document, usize> {
    let builder = TreeBuilder::new(Sink::new(scope), TreeBuilderOpts::default());
    let guard = Guard {
        inner: builder,
        depth: Cell::new(0),
        max: Cell::new(0),
    };
    let tokenizer = Tokenizer::new(guard, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(text.into());
    while !matches!(tokenizer.feed(&input), TokenizerResult::Done) {}
    tokenizer.end();
    let guard = tokenizer.sink;
    let max = guard.max.get();
    if max > MAX_DEPTH {
        return Err(max);
    }
    Ok(guard.inner.sink.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_tell_a_deep_page_from_a_long_one() {
        let long = "<p>a<br>b</p>".repeat(5_000);
        assert!(parse(&long, Scope::Page).is_ok());
        let deep = format!("{}x{}", "<div>".repeat(600), "</div>".repeat(600));
        assert_eq!(parse(&deep, Scope::Page).err(), Some(600));
        assert!(parse("<div><div>x</div></div>", Scope::Page).is_ok());
    }
}
