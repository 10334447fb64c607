//! An HTML page's bytes -> its text and read document, in the charset it is really in.
//!
//! A byte-order mark decides first. Otherwise the page's own declaration
//! (`<meta charset>` or `<meta http-equiv="Content-Type" content="...; charset=...">`) is
//! read from the document as it is read. A declaration can lie: a page saved as UTF-8 that still
//! declares `windows-1252`, or Windows-1252 bytes under a UTF-8 declaration. UTF-8 is
//! self-checking, so valid UTF-8 with non-ASCII characters is read as UTF-8 whatever the
//! page declares, and bytes that are not valid UTF-8 under a UTF-8 declaration (or none)
//! are read as Windows-1252, the Web's fallback; each of these says so in a warning.

use std::borrow::Cow;
use std::path::Path;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

use super::stream::Document;
use super::walk::Element;
use crate::diagnostics::Diagnostic;

/// Reads decoded text into a document, or refuses it.
pub type Parse<'a> = &'a dyn Fn(&str) -> Result<Document, Diagnostic>;

/// The decoded page.
#[derive(Debug)]
pub struct Decoded<'a> {
    /// The page's text (the bytes themselves when they are UTF-8).
    pub text: Cow<'a, str>,
    /// The document read.
    pub document: Document,
    /// What was noticed about the charset.
    pub warnings: Vec<Diagnostic>,
}

/// Decodes `bytes` and parses them with `parse`.
pub fn decode<'a>(
    path: &Path,
    bytes: &'a [u8],
    parse: Parse<'_>,
) -> Result<Decoded<'a>, Diagnostic> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let text = encoding
            .decode_without_bom_handling_and_without_replacement(&bytes[bom..])
            .ok_or_else(|| {
                Diagnostic::error(
                    path,
                    format!(
                        "the file starts with a {} byte-order mark but is not valid {0}",
                        encoding.name()
                    ),
                )
                .expected("an HTML page saved in one charset")
            })?
            .into_owned();
        let document = parse(&text)?;
        return Ok(Decoded {
            text: Cow::Owned(text),
            document,
            warnings: Vec::new(),
        });
    }
    if memchr::memchr(0, bytes).is_some() {
        return Err(
            Diagnostic::error(path, "this looks like a binary file, not an HTML page")
                .expected("a decision page saved from the Ombudsman's website"),
        );
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            let document = parse(text)?;
            let mut warnings = Vec::new();
            if let Some(declared) = declared(&document).filter(|e| *e != UTF_8) {
                if !text.is_ascii() {
                    warnings.push(Diagnostic::warning(
                        path,
                        format!(
                            "the page declares the charset {} but its bytes are UTF-8: read as UTF-8",
                            declared.name()
                        ),
                    ));
                }
            }
            Ok(Decoded {
                text: Cow::Borrowed(text),
                document,
                warnings,
            })
        }
        Err(e) => not_utf8(path, bytes, e.valid_up_to(), parse),
    }
}

/// Bytes that are not UTF-8: read in the declared charset, or as Windows-1252 when the
/// page declares UTF-8 or nothing.
fn not_utf8(
    path: &Path,
    bytes: &[u8],
    bad_byte: usize,
    parse: Parse<'_>,
) -> Result<Decoded<'static>, Diagnostic> {
    let lossy = String::from_utf8_lossy(bytes);
    let declared = declared(&parse(&lossy)?);
    let (encoding, warning) = match declared {
        Some(e) if e != UTF_8 => (e, None),
        Some(_) => (
            WINDOWS_1252,
            Some(format!(
                "the page declares UTF-8 but byte {bad_byte} is not UTF-8: read as windows-1252; check the text"
            )),
        ),
        None => (
            WINDOWS_1252,
            Some(format!(
                "the page declares no charset and byte {bad_byte} is not UTF-8: read as windows-1252; check the text"
            )),
        ),
    };
    let text = encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .ok_or_else(|| {
            Diagnostic::error(
                path,
                format!(
                    "the page declares the charset {} but its bytes are not {0}",
                    encoding.name()
                ),
            )
            .expected("an HTML page whose bytes are in the charset it declares")
        })?
        .into_owned();
    let document = parse(&text)?;
    Ok(Decoded {
        text: Cow::Owned(text),
        document,
        warnings: warning
            .map(|w| Diagnostic::warning(path, w))
            .into_iter()
            .collect(),
    })
}

/// The charset a `<meta>` element names, if it names one.
pub fn declared_by(e: &Element) -> Option<&str> {
    e.attr("charset").or_else(|| {
        e.attr("http-equiv")
            .filter(|h| h.trim().eq_ignore_ascii_case("content-type"))
            .and_then(|_| e.attr("content"))
            .and_then(charset_of_content)
    })
}

/// The charset the page declares, if any: the first `<meta>` naming one this reader
/// knows. A UTF-16 declaration on a page with no byte-order mark means UTF-8 (the HTML
/// standard's rule).
fn declared(document: &Document) -> Option<&'static Encoding> {
    document.charsets.iter().find_map(|label| {
        let encoding = Encoding::for_label(label.trim().as_bytes())?;
        Some(
            if encoding.is_single_byte() || encoding.output_encoding() == encoding {
                encoding.output_encoding()
            } else {
                UTF_8
            },
        )
    })
}

/// `text/html; charset=windows-1252` -> `windows-1252`.
fn charset_of_content(content: &str) -> Option<&str> {
    let lower = content.to_ascii_lowercase();
    let at = lower.find("charset=")? + "charset=".len();
    let rest = content[at..].trim_start_matches(['"', '\'']);
    let end = rest.find(['"', '\'', ';', ' ']).unwrap_or(rest.len());
    Some(&rest[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Document, Diagnostic> {
        Ok(super::super::depth::parse(text, super::super::stream::Scope::Page).expect("shallow"))
    }

    fn read(bytes: &[u8]) -> Decoded<'_> {
        decode(Path::new("a.html"), bytes, &parse).expect("decodes")
    }

    #[test]
    fn honours_a_bom_then_the_declaration() {
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend("<p>£5</p>".encode_utf16().flat_map(u16::to_le_bytes));
        assert!(read(&utf16).text.contains("£5"));
        let latin = b"<meta charset=\"iso-8859-1\"><p>\xA35</p>";
        let d = read(latin);
        assert!(d.text.contains("£5"));
        assert!(d.warnings.is_empty());
        let equiv = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\"><p>\x935\x94</p>";
        assert!(read(equiv).text.contains("“5”"));
    }

    #[test]
    fn reads_through_a_lying_declaration_and_says_so() {
        let utf8_declared_latin = "<meta charset=\"windows-1252\"><p>£5 – Mr X’s</p>";
        let d = read(utf8_declared_latin.as_bytes());
        assert!(d.text.contains("£5 – Mr X’s"));
        assert!(d.warnings[0].message.contains("bytes are UTF-8"));
        let latin_declared_utf8 = b"<meta charset=\"utf-8\"><p>\xA35</p>";
        let d = read(latin_declared_utf8);
        assert!(d.text.contains("£5"));
        assert!(d.warnings[0].message.contains("declares UTF-8"));
    }

    #[test]
    fn errors_on_binary_and_malformed_bytes() {
        assert!(decode(Path::new("a.html"), b"\x89PNG\x00\x00", &parse).is_err());
        let bad_sjis = b"<meta charset=\"shift_jis\"><p>\x82</p>";
        let e = decode(Path::new("a.html"), bad_sjis, &parse).expect_err("malformed");
        assert!(e.message.contains("Shift_JIS"), "{}", e.message);
    }
}
