//! Tags as the HTML standard's tokenizer reads them: a tag's name and attributes as byte
//! ranges of the page, where raw text (a script, a style, a title) ends, and what a `<!`
//! starts. Only what the quick readings need (`render::links::scan`, which finishes built
//! pages, and `import::html::quick`, which reads saved decision pages): each gives `None`
//! for whatever it leaves to a full parser (lol_html, html5ever).

use memchr::{memchr, memmem};

/// A tag as it stands in the page: byte ranges of its name and attributes.
pub struct Tag {
    /// Its name, as written.
    pub name: std::ops::Range<usize>,
    /// Its attributes, in order, repeats included.
    pub attributes: Vec<Attribute>,
    /// Whether it ends with `/>`.
    pub self_closing: bool,
    /// Just past its `>`.
    pub end: usize,
}

/// One attribute of a [`Tag`].
pub struct Attribute {
    /// Its name, as written.
    pub name: std::ops::Range<usize>,
    /// Without its quotes; `None` for an attribute with no `=`.
    pub value: Option<std::ops::Range<usize>>,
    /// From its name to the end of its value, quotes included.
    pub raw: std::ops::Range<usize>,
}

/// HTML's white space in a tag (a carriage return too: the standard reads it as a newline).
fn is_space(c: u8) -> bool {
    CLASS[usize::from(c)] & SPACE != 0
}

/// What ends a name or a value in a tag, as bits of [`CLASS`].
const SPACE: u8 = 1;
const SLASH: u8 = 2;
const GREATER: u8 = 4;
const EQUALS: u8 = 8;

/// Each byte's bits: white space, `/`, `>`, `=`.
static CLASS: [u8; 256] = {
    let mut class = [0; 256];
    class[b'\t' as usize] = SPACE;
    class[b'\n' as usize] = SPACE;
    class[0x0C] = SPACE;
    class[b'\r' as usize] = SPACE;
    class[b' ' as usize] = SPACE;
    class[b'/' as usize] = SLASH;
    class[b'>' as usize] = GREATER;
    class[b'=' as usize] = EQUALS;
    class
};

/// The first byte at or after `from` with one of the bits `stop`; `None` at the end.
fn until(b: &[u8], from: usize, stop: u8) -> Option<usize> {
    b.get(from..)?
        .iter()
        .position(|&c| CLASS[usize::from(c)] & stop != 0)
        .map(|p| from + p)
}

/// The first byte at or after `from` that is not white space; `None` at the end.
fn past_space(b: &[u8], from: usize) -> Option<usize> {
    b.get(from..)?
        .iter()
        .position(|&c| !is_space(c))
        .map(|p| from + p)
}

impl Tag {
    /// Reads the tag whose name starts at `from`, by the tokenizer's tag states. `None`
    /// when the page ends inside it.
    pub fn read(b: &[u8], from: usize) -> Option<Tag> {
        Tag::read_into(b, from, Vec::new())
    }

    /// As [`Tag::read`], with the attributes in `attributes` (emptied first), so that a
    /// reader can use one vector for every tag.
    pub fn read_into(b: &[u8], from: usize, mut attributes: Vec<Attribute>) -> Option<Tag> {
        attributes.clear();
        let mut i = until(b, from, SPACE | SLASH | GREATER)?;
        let mut tag = Tag {
            name: from..i,
            attributes,
            self_closing: false,
            end: 0,
        };
        loop {
            // Before an attribute's name.
            match *b.get(i)? {
                c if is_space(c) => i += 1,
                b'/' => {
                    i += 1;
                    if *b.get(i)? == b'>' {
                        tag.self_closing = true;
                        tag.end = i + 1;
                        return Some(tag);
                    }
                }
                b'>' => {
                    tag.end = i + 1;
                    return Some(tag);
                }
                _ => i = tag.read_attribute(b, i)?,
            }
        }
    }

    /// Reads the attribute whose name starts at `start` (`=` included, when it comes
    /// first); returns where its value ends.
    fn read_attribute(&mut self, b: &[u8], start: usize) -> Option<usize> {
        let i = until(b, start + 1, SPACE | SLASH | GREATER | EQUALS)?;
        let name = start..i;
        let mut j = past_space(b, i)?;
        if b[j] != b'=' {
            // No value: the next attribute (or the tag's end) starts after the space.
            self.attributes.push(Attribute {
                name: name.clone(),
                value: None,
                raw: name,
            });
            return Some(j);
        }
        j = past_space(b, j + 1)?;
        let (value, end) = match b[j] {
            quote @ (b'"' | b'\'') => {
                let close = j + 1 + memchr(quote, b.get(j + 1..)?)?;
                (j + 1..close, close + 1)
            }
            // `name=>`: an empty value, and the tag ends (its `raw` is the name alone, as
            // lol_html keeps it).
            b'>' => (j..j, name.end),
            _ => {
                let k = until(b, j, SPACE | GREATER)?;
                (j..k, k)
            }
        };
        self.attributes.push(Attribute {
            name: name.clone(),
            value: Some(value),
            raw: name.start..end,
        });
        Some(end.max(j))
    }

    /// The place of the first attribute called `name` (any case), as lol_html finds it.
    pub fn position(&self, html: &str, name: &str) -> Option<usize> {
        self.attributes
            .iter()
            .position(|a| html[a.name.clone()].eq_ignore_ascii_case(name))
    }

    /// The value of the first attribute called `name`, as it stands.
    pub fn value<'h>(&self, html: &'h str, name: &str) -> Option<&'h str> {
        let a = &self.attributes[self.position(html, name)?];
        Some(a.value.clone().map_or("", |v| &html[v]))
    }

    /// Whether two of its attributes have the same name (in any case).
    pub fn repeats_a_name(&self, html: &str) -> bool {
        let names: Vec<&str> = self
            .attributes
            .iter()
            .map(|a| &html[a.name.clone()])
            .collect();
        names.iter().enumerate().any(|(k, n)| {
            names[k + 1..]
                .iter()
                .any(|other| other.eq_ignore_ascii_case(n))
        })
    }
}

/// How the text after a start tag is read.
pub enum Raw {
    /// Script data: ends at `</script`, unless a comment inside it changes the rules.
    Script,
    /// Raw text or escapable raw text: ends at the matching end tag, nothing else.
    Text,
}

/// How the text after the start tag `name` is read, when it is not markup.
pub fn raw_text(name: &str) -> Option<Raw> {
    let is = |n: &str| name.eq_ignore_ascii_case(n);
    if is("script") {
        Some(Raw::Script)
    } else if [
        "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title",
    ]
    .iter()
    .any(|n| is(n))
    {
        Some(Raw::Text)
    } else {
        None
    }
}

/// Where the end tag `</name` that closes the raw text starting at `from` begins (it is
/// then read as a tag): the first one followed by white space, `/` or `>`, in any case.
pub fn raw_text_end(b: &[u8], from: usize, name: &str) -> Option<usize> {
    let mut i = from;
    loop {
        let lt = i + memchr(b'<', b.get(i..)?)?;
        if b.get(lt + 1) != Some(&b'/') {
            i = lt + 1;
            continue;
        }
        let after = lt + 2 + name.len();
        let closes = b
            .get(lt + 2..after)
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
            && matches!(b.get(after), Some(&c) if is_space(c) || c == b'/' || c == b'>');
        if closes {
            return Some(lt);
        }
        i = lt + 2;
    }
}

/// As [`raw_text_end`] for a script, unless the script holds `<!--`, whose escaped
/// states are left to a full parser.
pub fn skip_script(b: &[u8], from: usize, name: &str) -> Option<usize> {
    let end = raw_text_end(b, from, name)?;
    if memmem::find(&b[from..end], b"<!--").is_some() {
        return None;
    }
    Some(end)
}

/// Past the `<!` at `lt`: a comment (`<!-- ... -->`) or a doctype, to its `>`. `None` for a
/// comment that ends the odd ways (`<!-->`, `<!--->`, `--!>`) and any other declaration.
pub fn skip_markup_declaration(b: &[u8], lt: usize) -> Option<usize> {
    let rest = &b[lt + 2..];
    if let Some(comment) = rest.strip_prefix(b"--") {
        if comment.starts_with(b">") || comment.starts_with(b"->") {
            return None;
        }
        let close = memmem::find(comment, b"-->")?;
        if memmem::find(&comment[..close + 2], b"--!").is_some() {
            return None;
        }
        return Some(lt + 4 + close + 3);
    }
    if rest.len() >= 7 && rest[..7].eq_ignore_ascii_case(b"doctype") {
        return after(b, lt, b">");
    }
    None
}

/// Just past the first `needle` after `at`.
pub fn after(b: &[u8], at: usize, needle: &[u8]) -> Option<usize> {
    memmem::find(b.get(at..)?, needle).map(|p| at + p + needle.len())
}
