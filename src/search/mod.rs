//! Full-text search on a static host: decisions -> the files of a search index, which the
//! theme's scripts (`themes/default/static/search-core.js`, `search-index.js` and
//! `search.js`) query in the browser. No disk IO here: the index comes back as
//! [`OutputFile`]s below `search/index/`, and `output` writes them.
//!
//! # Why not Pagefind
//!
//! Pagefind's crate (1.6, `default-features = false`, custom records, no HTML parsing)
//! was measured first (the bench is in this branch's history, commit "Measure pagefind on
//! casebook::corpus too"). On `casebook::corpus`, 10,000 decisions took 14.6 s and
//! 1.8 GB and wrote 10,219 files; 30,000 took 86.5 s and 5.4 GB and wrote 30,266 files,
//! and a first query downloaded about 670 KB before any result text (its JS and WASM,
//! `pf_meta`, which lists every page, and every filter file). On seed-sized decisions
//! (about 2,000 words, like real ones) 10,000 took 92 s and 5.9 GB. Pagefind writes one
//! fragment file per page; `max_fragments` bundles them, but then every result fetches
//! a bundle of other pages' full text. Each of the three 100,000-decision targets (first
//! query < 300 KB, index < 1/3 of a 30 s build, < 2,000 files) fails, so this module
//! builds its own index.
//!
//! Ours at 100,000 decisions (`cargo bench --bench search -- 100000`): 1,161 files
//! (6.0 MB) on `casebook::corpus`, 1,338 files (33 MB) seed-sized; 3.1 and 21.9
//! CPU-seconds to index; a first query fetches 10 to 138 KB before results show, and
//! 140 to 173 KB more of facet columns (once a visit) for the counts. In a whole
//! `casebook build` of 100,000 `casebook::corpus` decisions the search step took about
//! 5 s of 120 s.

//! # Layout (`search/index/`)
//!
//! - `meta.bin`: the table of contents (JSON): the index's format ([`FORMAT`]), doc count,
//!   cards per file, the first hash of each term file, the stop words, the first two
//!   letters of each vocabulary file, the first ending key of each word-ending file, the
//!   glossary's groups of other names, the facet values with counts, each year's doc-id
//!   range, and a build id that `search-index.js` appends to every other fetch (`?v=`).
//! - `terms/NNNN.bin`: posting lists, sharded by FNV-1a hash range into at most
//!   [`shards::MAX_TERM_FILES`] files ([`shards`]); each term's list is delta + varint
//!   with a 4-bit BM25 impact, or a bitmap when that is smaller ([`encode`]), so no single
//!   term costs more than `docs / 8` bytes. Beside each stem (`safeguard`) are its written
//!   forms (`safeguard\u{1}safeguarding`: the decisions with that exact word, written as
//!   positions in the stem's list, or "same as the stem" in one byte when the word has no
//!   other form), so one fetch per query word gets both; a glossary group's term (`#child-in-need`) lists the decisions with any of its
//!   names ([`synonyms`]).
//! - `pairs/NNNN.bin`: the decisions of each pair of neighbouring words ("child in": the
//!   stem `child`, then `in`), found by the hash of the pair, in at most
//!   [`pairs::MAX_PAIR_FILES`] files ([`pairs`]); only a quoted phrase reads them: a
//!   file's table and the one block of it that holds the pair, by range requests
//!   ([`blocks`]).
//! - `vocab/NNNN.bin`: every written word with its decision count, sorted, whole
//!   two-letter groups a file ([`vocab`]): the browser fetches one file for the prefix of
//!   the word being typed or for the neighbours of a typo, never the whole vocabulary.
//! - `ends/NNNN.bin`: the same words of five characters or more, by their last two
//!   characters and length ([`vocab::end_key`]), so that a typo in a word's first two
//!   letters is corrected too: a typo of six letters or more whose vocabulary file has no
//!   word one edit away fetches the file (most often one) of its ending key at the lengths
//!   it may stand for.
//! - `docs/NNNN.bin`: result cards (url, reference, council, category, subcategory,
//!   outcome, date, excerpt source), [`records::chunk_size`] decisions a file, at most
//!   [`records::MAX_DOC_FILES`] files.
//! - `facets/{council,category,outcome}.bin`: one code per decision (one byte, or two
//!   when a facet has 255 values or more), fetched to filter or to count results per value.
//!
//! Every file is gzip-compressed (the browser inflates it with `DecompressionStream`),
//! each pair file block by block, and named `.bin`, so no host adds or strips a
//! `Content-Encoding`.
//!
//! Doc ids are assigned newest first: "sort by date" is doc-id order and a year filter is
//! a doc-id range, both free. A query fetches `meta.bin`, one term file per query word,
//! and the card files of the results it shows; facet columns follow for the counts.
//!
//! # Tokens, queries and ranking
//!
//! [`text`] lowercases, splits on anything not a letter or digit, drops stop words and
//! stems with Snowball's English stemmer; `search-core.js` does the same (its stemmer is the
//! `porter2` npm package, vendored; a test checks both agree on every word of the seeds
//! and an English word list). A query is slots that must all match (AND): a word (its
//! stem, with the exact form ranked first), a glossary name (its group's term), or, for
//! the last word when nothing follows it and it is not a word of the index, the words it
//! starts (at most four stems, most frequent first). A word found nowhere is replaced by
//! the nearest written word within one edit (5 to 8 letters) or two (9 or more), which the
//! page says. `-word` removes the decisions with that word. A quoted phrase is its words'
//! slots and the slots of its pairs of neighbouring words (stop words too), so it finds
//! only decisions where each word follows the one before: a phrase of two words is then
//! exact; for a longer one the candidates' pages are read, best first, until a screen of
//! results has the whole phrase in one run (at most 20 pages for one screen).
//! Results rank by the sum over slots of `idf * impact` (plus half of the exact form's),
//! where the impact is BM25's term-frequency factor (field-weighted: summary and council
//! count three times, category, subcategory and plain summary twice) quantised at build time. The excerpt comes from
//! the summaries in the card; when they lack the query's words (or for a phrase),
//! `search.js` reads the decision page (for the results on screen only) and uses its
//! paragraph with most of them.

pub mod blocks;
pub mod encode;
pub mod pairs;
pub mod postings;
pub mod records;
pub mod shards;
pub mod synonyms;
pub mod text;
pub mod vocab;

use std::borrow::Cow;

use chrono::NaiveDate;

use crate::decision::Decision;
use crate::output::OutputFile;

/// The folder of the index below the site root.
pub const INDEX_DIR: &str = "search/index";

/// The index's format, in `meta.bin`: `search-index.js` reads only an index of its own
/// format (its `FORMAT`), so a script a browser or host cached from an older build fails
/// with a message instead of finding nothing. 5: pairs hashed from their words' hashes.
pub const FORMAT: u32 = 5;

/// One decision as the search index sees it. The text it shares with the site model is
/// borrowed, not copied: the index of the whole corpus is built with every document held.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchDocument<'a> {
    /// The decision page's URL, as the browser should follow it (`/decisions/21-019-020/`).
    pub url: String,
    /// `21 019 020`.
    pub reference: String,
    /// The organisation.
    pub council: Cow<'a, str>,
    /// The category, when known.
    pub category: Option<Cow<'a, str>>,
    /// The subcategory, when known.
    pub subcategory: Option<Cow<'a, str>>,
    /// The outcome label (`Upheld`), when known.
    pub outcome: Option<Cow<'a, str>>,
    /// The decision's year, when known.
    pub year: Option<i32>,
    /// The decision date, when known.
    pub date: Option<NaiveDate>,
    /// The Ombudsman's summary.
    pub summary: Cow<'a, str>,
    /// The plain-English summary.
    pub plain_summary: Cow<'a, str>,
    /// The decision text as plain text (Markdown stripped).
    pub text: String,
}

/// The search view of `decision`, whose page is at `url`, with its text.
pub fn document<'a>(
    decision: &'a Decision,
    url: &str,
    plain_summary: &'a str,
) -> SearchDocument<'a> {
    SearchDocument {
        text: text::markdown_to_text(&decision.body),
        ..document_without_text(decision, url, plain_summary)
    }
}

/// [`document`] without the text, for [`build_index_with`], which reads each text when it
/// reaches it.
pub fn document_without_text<'a>(
    decision: &'a Decision,
    url: &str,
    plain_summary: &'a str,
) -> SearchDocument<'a> {
    SearchDocument {
        url: url.to_string(),
        reference: decision.reference.to_string(),
        council: Cow::Borrowed(&decision.council),
        category: decision.category.as_deref().map(Cow::Borrowed),
        subcategory: decision.subcategory.as_deref().map(Cow::Borrowed),
        outcome: decision.outcome.map(|o| Cow::Borrowed(o.label())),
        year: decision.year(),
        date: decision.decision_date,
        summary: Cow::Borrowed(decision.summary.as_deref().unwrap_or_default()),
        plain_summary: Cow::Borrowed(plain_summary),
        text: String::new(),
    }
}

/// Builds the index files for `docs` (paths relative to the site root, under
/// [`INDEX_DIR`]). Doc order does not matter: docs are sorted newest first. Doc ids are
/// u32, so a corpus beyond `u32::MAX` decisions is cut there. `synonyms` are the
/// glossary's other names ([`synonyms::Synonyms::from_glossary`]).
pub fn build_index(docs: &[SearchDocument], synonyms: &synonyms::Synonyms) -> Vec<OutputFile> {
    build_index_with(docs, synonyms, &|_| None)
}

/// [`build_index`] for docs whose text is left out: `text(i)` gives the text of `docs[i]`
/// when the indexer reaches it, and it is dropped as soon as that doc is indexed, so memory
/// holds the postings but never the texts of the whole corpus (about 13 KB a decision).
pub fn build_index_with(
    docs: &[SearchDocument],
    synonyms: &synonyms::Synonyms,
    text: postings::TextSource<'_>,
) -> Vec<OutputFile> {
    let order = newest_first(docs);
    let sorted: Vec<&SearchDocument> = order.iter().map(|&i| &docs[i]).collect();
    let inverted = postings::invert_with(&sorted, synonyms, &|id| text(order[id]));
    let ((terms, pairs), (words, ends)) = word_files(&inverted);
    drop(inverted);
    let councils = records::facet(sorted.iter().map(|d| Some(d.council.as_ref())));
    let categories = records::facet(sorted.iter().map(|d| d.category.as_deref()));
    let outcomes = records::facet(sorted.iter().map(|d| d.outcome.as_deref()));
    let chunk = records::chunk_size(sorted.len());
    let cards = records::card_files(&sorted, &[&councils, &categories, &outcomes], chunk);
    let columns: Vec<Vec<u8>> = [&councils, &categories, &outcomes]
        .map(records::facet_column)
        .into();
    let years = records::year_ranges(&sorted);
    let meta = records::Meta {
        version: FORMAT,
        build: records::build_id(
            &terms,
            &pairs,
            &cards,
            &columns,
            &[&words.files, &ends.files],
        ),
        docs: sorted.len(),
        chunk,
        term_files: &terms.boundaries,
        pair_files: &pairs.boundaries,
        stop_words: text::STOP_WORDS,
        vocab_files: &words.boundaries,
        end_files: &ends.boundaries,
        synonyms: &synonyms.groups,
        councils: &councils.values,
        categories: &categories.values,
        outcomes: &outcomes.values,
        years: &years,
    };
    let mut files = vec![file("meta.bin", records::meta_file(&meta))];
    files.extend(numbered("terms", terms.files));
    files.extend(numbered("pairs", pairs.files));
    files.extend(numbered("docs", cards));
    files.extend(numbered("vocab", words.files));
    files.extend(numbered("ends", ends.files));
    files.extend(facet_files(columns));
    files
}

/// The files of the words, built at once: the terms and pairs, then the vocabulary and
/// its word endings.
fn word_files(
    inverted: &postings::Inverted,
) -> (
    (shards::TermFiles, shards::TermFiles),
    (vocab::VocabFiles, vocab::VocabFiles),
) {
    rayon::join(
        || {
            rayon::join(
                || shards::term_files(inverted),
                || pairs::pair_files(&inverted.pairs),
            )
        },
        || {
            let written = vocab::written_words(inverted);
            rayon::join(
                || vocab::vocab_files(&written),
                || vocab::end_files(&written),
            )
        },
    )
}

/// The facet columns' files, in the order [`records`] makes them: council, category,
/// outcome.
fn facet_files(columns: Vec<Vec<u8>>) -> impl Iterator<Item = OutputFile> {
    ["council", "category", "outcome"]
        .iter()
        .zip(columns)
        .map(|(name, bytes)| file(&format!("facets/{name}.bin"), bytes))
}

/// The docs' numbers, newest first (undated last), then by reference: the order of the
/// doc ids.
fn newest_first(docs: &[SearchDocument]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..docs.len().min(u32::MAX as usize)).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&docs[a], &docs[b]);
        (b.date.is_some(), b.date, &a.reference).cmp(&(a.date.is_some(), a.date, &b.reference))
    });
    order
}

/// `files` as `folder/0000.bin`, `folder/0001.bin`, ...
fn numbered(folder: &str, files: Vec<Vec<u8>>) -> impl Iterator<Item = OutputFile> + '_ {
    files
        .into_iter()
        .enumerate()
        .map(move |(i, b)| file(&format!("{folder}/{i:04}.bin"), b))
}

fn file(name: &str, bytes: Vec<u8>) -> OutputFile {
    OutputFile {
        path: format!("{INDEX_DIR}/{name}"),
        bytes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn inflate(bytes: &[u8]) -> Vec<u8> {
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut raw)
            .expect("gzip");
        raw
    }

    fn meta(files: &[OutputFile]) -> serde_json::Value {
        let meta = files
            .iter()
            .find(|f| f.path == "search/index/meta.bin")
            .expect("meta.bin");
        serde_json::from_slice(&inflate(&meta.bytes)).expect("meta is JSON")
    }

    #[test]
    fn writes_the_format_the_browsers_script_reads() {
        let files = build_index(&[], &synonyms::Synonyms::default());
        assert_eq!(meta(&files)["version"], FORMAT);
        let script = include_str!("../../themes/default/static/search-index.js");
        assert!(
            script.contains(&format!("var FORMAT = {FORMAT};")),
            "search-index.js reads format {FORMAT}"
        );
    }

    #[test]
    fn can_index_an_empty_site() {
        let files = build_index(&[], &synonyms::Synonyms::default());
        let meta = meta(&files);
        assert_eq!(meta["docs"], 0);
        assert_eq!(meta["term_files"], serde_json::json!([0]));
        assert!(files.iter().all(|f| f.path.starts_with("search/index/")));
    }

    #[test]
    fn can_number_docs_newest_first() {
        let doc = |reference: &str, date: Option<NaiveDate>| SearchDocument {
            url: format!("/decisions/{reference}/"),
            reference: reference.into(),
            date,
            year: date.map(|d| chrono::Datelike::year(&d)),
            text: "anger management".into(),
            ..SearchDocument::default()
        };
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        let docs = [
            doc("20 000 001", day(2020, 5, 1)),
            doc("23 000 001", None),
            doc("22 000 001", day(2022, 1, 9)),
        ];
        let files = build_index(&docs, &synonyms::Synonyms::default());
        let meta = meta(&files);
        assert_eq!(meta["years"][0]["year"], 2022);
        assert_eq!(meta["years"][1]["from"], 1);
        let cards = files
            .iter()
            .find(|f| f.path == "search/index/docs/0000.bin")
            .expect("cards");
        let cards: serde_json::Value =
            serde_json::from_slice(&inflate(&cards.bytes)).expect("json");
        let urls: Vec<&str> = (0..3).filter_map(|i| cards[i][0].as_str()).collect();
        assert_eq!(
            urls,
            [
                "/decisions/22 000 001/",
                "/decisions/20 000 001/",
                "/decisions/23 000 001/"
            ]
        );
    }

    #[test]
    fn can_make_a_search_document_from_a_decision() {
        let path = std::path::Path::new("tests/fixtures/seeds/000_50cd1d307db875a2.txt");
        let bytes = std::fs::read(path).expect("seed");
        let text = crate::import::decode(path, &bytes).expect("decodes");
        let decision = crate::import::import_text(path, &text, "")
            .expect("imports")
            .decision;
        let doc = document(&decision, "/decisions/21-019-020/", "Plain words.");
        assert_eq!(doc.reference, "21 019 020");
        assert_eq!(doc.outcome.as_deref(), Some("Upheld"));
        assert_eq!(doc.plain_summary, "Plain words.");
        assert!(doc.text.contains("Family Assistance Order"));
        assert!(!doc.text.contains("##"), "Markdown stripped");
    }
}
