//! What the browser shows and filters by: result cards in chunks, the facet columns, and
//! `meta.bin` (the index's table of contents).
//!
//! Doc ids are assigned newest first, so "sort by date" is doc-id order and each year is
//! one doc-id range listed in `meta.bin`: neither needs a download of its own.

use serde::Serialize;

use super::encode::gzip;
use super::shards::TermFiles;
use super::SearchDocument;

/// The most card files an index may have. A result's card is read with its whole file, so
/// more, smaller files mean fewer bytes for the results on screen (at 100,000 decisions
/// about 4 KB a file); with the term files, the pair files and the vocabulary, the index
/// stays under 2,000 files.
pub const MAX_DOC_FILES: usize = 800;
/// The fewest decisions in one card file.
const MIN_CHUNK: usize = 64;
/// The longest excerpt source kept per decision, in characters.
const EXCERPT_CHARS: usize = 360;
/// The facet code of "not known".
pub const NONE16: u16 = u16::MAX;

/// One value of a facet, as `meta.bin` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetValue {
    /// The label shown (`Kent County Council`).
    pub name: String,
    /// The value in URLs (`kent-county-council`).
    pub slug: String,
    /// How many decisions have it.
    pub count: usize,
}

/// The decisions of one year: doc ids `from..to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearRange {
    /// The year.
    pub year: i32,
    /// The first doc id.
    pub from: usize,
    /// One past the last doc id.
    pub to: usize,
}

/// One facet: its values (sorted for display) and each doc's code (an index into values).
#[derive(Debug, Clone, Default)]
pub struct Facet {
    /// The values.
    pub values: Vec<FacetValue>,
    /// Per doc, the index of its value, or [`NONE16`].
    pub codes: Vec<u16>,
}

/// `Children's care services` -> `children-s-care-services` (the Ombudsman's URL style).
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// Builds a facet from each doc's value (`None` when not known), values sorted by name.
pub fn facet<'a>(values: impl Iterator<Item = Option<&'a str>> + Clone) -> Facet {
    let mut names: Vec<&str> = values.clone().flatten().collect();
    names.sort_unstable();
    names.dedup();
    let mut facet = Facet {
        values: names
            .iter()
            .map(|n| FacetValue {
                name: (*n).to_string(),
                slug: slugify(n),
                count: 0,
            })
            .collect(),
        codes: Vec::new(),
    };
    for value in values {
        let code = value.and_then(|v| names.binary_search(&v).ok());
        match code.and_then(|c| u16::try_from(c).ok()) {
            Some(c) => {
                facet.values[usize::from(c)].count += 1;
                facet.codes.push(c);
            }
            None => facet.codes.push(NONE16),
        }
    }
    by_frequency(facet)
}

/// Renumbers a facet's values most frequent first (ties by name), so that in a two-byte
/// column the high bytes are nearly all zero and compress to almost nothing. `search.js`
/// shows the values sorted by name whatever their codes.
fn by_frequency(facet: Facet) -> Facet {
    let mut order: Vec<usize> = (0..facet.values.len()).collect();
    order.sort_by(|&a, &b| {
        facet.values[b]
            .count
            .cmp(&facet.values[a].count)
            .then(a.cmp(&b))
    });
    let mut new_code = vec![NONE16; facet.values.len()];
    for (new, &old) in order.iter().enumerate() {
        new_code[old] = u16::try_from(new).unwrap_or(NONE16);
    }
    let codes = facet
        .codes
        .iter()
        .map(|&c| new_code.get(usize::from(c)).copied().unwrap_or(NONE16))
        .collect();
    let mut values: Vec<Option<FacetValue>> = facet.values.into_iter().map(Some).collect();
    let values = order.iter().filter_map(|&old| values[old].take()).collect();
    Facet { values, codes }
}

/// The doc-id range of each year (docs must be sorted newest first; undated docs last).
pub fn year_ranges(docs: &[&SearchDocument]) -> Vec<YearRange> {
    let mut ranges: Vec<YearRange> = Vec::new();
    for (id, doc) in docs.iter().enumerate() {
        let Some(year) = doc.year else { continue };
        match ranges.last_mut() {
            Some(last) if last.year == year && last.to == id => last.to = id + 1,
            _ => ranges.push(YearRange {
                year,
                from: id,
                to: id + 1,
            }),
        }
    }
    ranges
}

/// How many decisions go into one card file.
pub fn chunk_size(doc_count: usize) -> usize {
    MIN_CHUNK.max(doc_count.div_ceil(MAX_DOC_FILES))
}

/// The text a result's excerpt is cut from: the Ombudsman's summary, then ours.
pub fn excerpt_source(doc: &SearchDocument) -> String {
    let joined = format!("{} {}", doc.summary.trim(), doc.plain_summary.trim());
    let joined = joined.trim();
    match joined.char_indices().nth(EXCERPT_CHARS) {
        None => joined.to_string(),
        Some((cut, _)) => {
            let cut = joined[..cut].rfind(' ').unwrap_or(cut);
            format!("{}…", &joined[..cut])
        }
    }
}

/// One result card: `[url, reference, council, category, subcategory, outcome, date,
/// excerpt]` (council, category and outcome as facet codes; -1 when not known).
type Card<'a> = (&'a str, &'a str, i32, i32, &'a str, i32, String, String);

fn code(c: u16) -> i32 {
    if c == NONE16 {
        -1
    } else {
        i32::from(c)
    }
}

/// The gzip-compressed card files: docs `i * chunk .. (i + 1) * chunk` in file `i`.
pub fn card_files(docs: &[&SearchDocument], facets: &[&Facet; 3], chunk: usize) -> Vec<Vec<u8>> {
    use rayon::prelude::*;
    let ids: Vec<usize> = (0..docs.len()).collect();
    ids.par_chunks(chunk)
        .map(|ids| {
            let cards: Vec<Card<'_>> = ids
                .iter()
                .map(|&i| {
                    let d = docs[i];
                    (
                        d.url.as_str(),
                        d.reference.as_str(),
                        code(facets[0].codes[i]),
                        code(facets[1].codes[i]),
                        d.subcategory.as_deref().unwrap_or(""),
                        code(facets[2].codes[i]),
                        d.date.map(|x| x.to_string()).unwrap_or_default(),
                        excerpt_source(d),
                    )
                })
                .collect();
            gzip(serde_json::to_string(&cards).unwrap_or_default().as_bytes())
        })
        .collect()
}

/// A facet column as bytes: a width byte (1 or 2), then each doc's code; "not known" is
/// all ones. One byte suffices up to 255 values; wider codes are written as two planes,
/// every doc's low byte, then every doc's high byte (which compresses far better than
/// interleaved little-endian pairs).
pub fn facet_column(facet: &Facet) -> Vec<u8> {
    let mut raw = Vec::with_capacity(1 + 2 * facet.codes.len());
    if facet.values.len() < usize::from(u8::MAX) {
        raw.push(1);
        raw.extend(
            facet
                .codes
                .iter()
                .map(|&c| u8::try_from(c).unwrap_or(u8::MAX)),
        );
    } else {
        raw.push(2);
        raw.extend(facet.codes.iter().map(|&c| c.to_le_bytes()[0]));
        raw.extend(facet.codes.iter().map(|&c| c.to_le_bytes()[1]));
    }
    gzip(&raw)
}

/// The index's table of contents, `meta.bin`.
#[derive(Debug, Serialize)]
pub struct Meta<'a> {
    /// The format version.
    pub version: u32,
    /// Changes with every index that differs: `search-index.js` adds it to every other fetch.
    pub build: String,
    /// How many decisions.
    pub docs: usize,
    /// Decisions per card file.
    pub chunk: usize,
    /// The first hash in each term file.
    pub term_files: &'a [u32],
    /// The first hash in each pair file (pairs of neighbouring words, for phrases).
    pub pair_files: &'a [u32],
    /// The words never indexed.
    pub stop_words: &'static [&'static str],
    /// The first two letters of each vocabulary file ([`super::vocab`]).
    pub vocab_files: &'a [String],
    /// The first ending key of each word-ending file ([`super::vocab::end_files`]).
    pub end_files: &'a [String],
    /// The glossary's groups of other names ([`super::synonyms`]).
    pub synonyms: &'a [super::synonyms::Group],
    /// Facet values.
    pub councils: &'a [FacetValue],
    /// Facet values.
    pub categories: &'a [FacetValue],
    /// Facet values.
    pub outcomes: &'a [FacetValue],
    /// The doc-id range of each year, newest first.
    pub years: &'a [YearRange],
}

/// Serialises and compresses `meta`.
pub fn meta_file(meta: &Meta<'_>) -> Vec<u8> {
    gzip(serde_json::to_string(meta).unwrap_or_default().as_bytes())
}

/// A short id of the index contents, for cache busting.
pub fn build_id(
    terms: &TermFiles,
    pairs: &TermFiles,
    cards: &[Vec<u8>],
    facets: &[Vec<u8>],
    word_files: &[&[Vec<u8>]],
) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    let files = terms.files.iter().chain(&pairs.files);
    for file in files
        .chain(cards)
        .chain(facets)
        .chain(word_files.iter().copied().flatten())
    {
        hasher.update(Sha256::digest(file));
    }
    hasher
        .finalize()
        .iter()
        .take(5)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_slugify_like_the_ombudsman() {
        assert_eq!(
            slugify("Children's care services"),
            "children-s-care-services"
        );
        assert_eq!(
            slugify("Closed after initial enquiries"),
            "closed-after-initial-enquiries"
        );
        assert_eq!(slugify(" Kent  County Council "), "kent-county-council");
    }

    #[test]
    fn can_count_facet_values() {
        let values = [Some("Kent"), None, Some("Bury"), Some("Kent")];
        let f = facet(values.iter().copied());
        assert_eq!(
            f.values
                .iter()
                .map(|v| (v.name.as_str(), v.count))
                .collect::<Vec<_>>(),
            [("Kent", 2), ("Bury", 1)],
            "most frequent first"
        );
        assert_eq!(f.codes, [0, NONE16, 1, 0]);
    }

    #[test]
    fn can_write_narrow_facet_columns() {
        use std::io::Read;
        let inflate = |gz: Vec<u8>| {
            let mut raw = Vec::new();
            flate2::read::GzDecoder::new(gz.as_slice())
                .read_to_end(&mut raw)
                .expect("gzip");
            raw
        };
        let small = facet([Some("a"), None, Some("b")].into_iter());
        assert_eq!(inflate(facet_column(&small)), [1, 0, 255, 1]);
        let names: Vec<String> = (0..300).map(|i| format!("c{i:03}")).collect();
        let wide = facet(names.iter().map(|n| Some(n.as_str())));
        let raw = inflate(facet_column(&wide));
        assert_eq!((raw[0], raw.len()), (2, 601));
        assert_eq!(
            (raw[300], raw[600]),
            (0x2b, 0x01),
            "code 299, low plane then high"
        );
    }

    #[test]
    fn can_range_years_newest_first() {
        let doc = |year| SearchDocument {
            year,
            ..SearchDocument::default()
        };
        let docs = [doc(Some(2024)), doc(Some(2024)), doc(Some(2022)), doc(None)];
        let refs: Vec<&SearchDocument> = docs.iter().collect();
        assert_eq!(
            year_ranges(&refs),
            [
                YearRange {
                    year: 2024,
                    from: 0,
                    to: 2
                },
                YearRange {
                    year: 2022,
                    from: 2,
                    to: 3
                }
            ]
        );
    }

    #[test]
    fn can_bound_card_files() {
        assert_eq!(chunk_size(5), 64);
        assert!(100_000usize.div_ceil(chunk_size(100_000)) <= MAX_DOC_FILES);
    }

    #[test]
    fn can_cut_long_excerpts_at_a_word() {
        let doc = SearchDocument {
            summary: "word ".repeat(200).into(),
            ..SearchDocument::default()
        };
        let excerpt = excerpt_source(&doc);
        assert!(excerpt.ends_with("word…"));
        assert!(excerpt.chars().count() <= EXCERPT_CHARS + 1);
    }
}
