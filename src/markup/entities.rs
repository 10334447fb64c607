//! Character references (`&amp;`, `&rsquo;`, `&#8217;`) as the HTML tokenizer decodes them,
//! for those written in full: a known name or a number, ended by `;`. The forms the
//! standard reads by special rules (a name with no `;`, such as `&copy`; a name that is
//! only partly known; a number that maps to another character or to U+FFFD) give `None`,
//! and the page goes to the full parser.

use std::borrow::Cow;

use html5ever::data::NAMED_ENTITIES;
use memchr::memchr;

/// `text` with its character references replaced by the characters they stand for, or
/// `None` when it holds one of the forms left to the full parser (see the module).
pub fn decode(text: &str) -> Option<Cow<'_, str>> {
    if find_ampersand(text).is_none() {
        return Some(Cow::Borrowed(text));
    }
    let mut out = String::with_capacity(text.len());
    decode_in_pieces(text, |piece| out.push_str(piece))?;
    Some(Cow::Owned(out))
}

/// Where the first `&` of `text` is (with none, `text` is its own decoding).
pub fn find_ampersand(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    // Short text (most text between tags) costs less read byte by byte.
    if b.len() <= 32 {
        b.iter().position(|&c| c == b'&')
    } else {
        memchr(b'&', b)
    }
}

/// As [`decode`], handing the text to `f` in pieces (the runs between references, and
/// each reference's characters) instead of building a string. `None` when a reference is
/// left to the full parser, which may come after some pieces were handed over.
pub fn decode_in_pieces(text: &str, mut f: impl FnMut(&str)) -> Option<()> {
    let mut copied = 0;
    let mut at = find_ampersand(text);
    while let Some(amp) = at {
        let rest = &text[amp + 1..];
        if let Some((c, len)) = reference(rest)? {
            if copied < amp {
                f(&text[copied..amp]);
            }
            let mut buffer = [0; 8];
            let first = c.0.encode_utf8(&mut buffer).len();
            let both = first
                + c.1
                    .map_or(0, |second| second.encode_utf8(&mut buffer[first..]).len());
            f(std::str::from_utf8(&buffer[..both]).ok()?);
            copied = amp + 1 + len;
        }
        at = memchr(b'&', &text.as_bytes()[amp + 1..]).map(|p| amp + 1 + p);
    }
    if copied < text.len() {
        f(&text[copied..]);
    }
    Some(())
}

/// Up to two characters a reference stands for.
struct Chars(char, Option<char>);

/// What follows an `&`: `Some(None)` when it starts no reference (the `&` is itself),
/// `Some(Some((chars, length)))` for a reference read in full, `None` when it is left to
/// the full parser.
fn reference(rest: &str) -> Option<Option<(Chars, usize)>> {
    let b = rest.as_bytes();
    match b.first() {
        Some(c) if c.is_ascii_alphanumeric() => {
            let name_len = b.iter().take_while(|c| c.is_ascii_alphanumeric()).count();
            if b.get(name_len) != Some(&b';') {
                return None;
            }
            let &(first, second) = NAMED_ENTITIES.get(&rest[..=name_len])?;
            let first = char::from_u32(first).filter(|_| first != 0)?;
            let second = match second {
                0 => None,
                n => Some(char::from_u32(n)?),
            };
            Some(Some((Chars(first, second), name_len + 1)))
        }
        Some(b'#') => {
            let (hex, digits_from) = match b.get(1) {
                Some(b'x' | b'X') => (true, 2),
                _ => (false, 1),
            };
            let digits = b[digits_from..]
                .iter()
                .take_while(|c| {
                    if hex {
                        c.is_ascii_hexdigit()
                    } else {
                        c.is_ascii_digit()
                    }
                })
                .count();
            let end = digits_from + digits;
            if digits == 0 || digits > 7 || b.get(end) != Some(&b';') {
                return None;
            }
            let value =
                u32::from_str_radix(&rest[digits_from..end], if hex { 16 } else { 10 }).ok()?;
            let c = char::from_u32(value).filter(|_| is_plain(value))?;
            Some(Some((Chars(c, None), end + 1)))
        }
        _ => Some(None),
    }
}

/// A code point the tokenizer gives as it is, with no parse error: not NUL, a surrogate,
/// a control (but tab and line feed), nor a noncharacter.
fn is_plain(v: u32) -> bool {
    matches!(v, 0x09 | 0x0A | 0x20..=0x7E | 0xA0..=0xD7FF | 0xE000..=0xFDCF | 0xFDF0..=0x10FFFF)
        && v & 0xFFFE != 0xFFFE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_references_written_in_full() {
        let d = |t| decode(t).map(Cow::into_owned);
        assert_eq!(d("no references").as_deref(), Some("no references"));
        assert_eq!(
            d("Ombudsman&rsquo;s &amp; &lt;b&gt; &#8217;&#x2019;&nbsp;").as_deref(),
            Some("Ombudsman\u{2019}s & <b> \u{2019}\u{2019}\u{a0}")
        );
        assert_eq!(d("A & B &; &-").as_deref(), Some("A & B &; &-"));
        assert_eq!(d("&NotEqualTilde;").as_deref(), Some("\u{2242}\u{338}"));
        // The forms read by special rules go to the full parser.
        for odd in [
            "&copy 2024",
            "AT&T",
            "&notit;",
            "&#128;",
            "&#0;",
            "&#xD800;",
            "&#12345678;",
            "&#65535;",
        ] {
            assert_eq!(d(odd), None, "{odd}");
        }
    }
}
