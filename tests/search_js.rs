//! The pure parts of the search (`search-core.js`) in headless Chromium, checked against the Rust side: the
//! stemmer over every word of the seeds and of an English word list, the phrase check, the
//! edit distance and nearest-word lookup, and the query parser's use of the glossary's
//! other names.

#[path = "support/chromium.rs"]
mod chromium;
#[path = "support/search_site.rs"]
mod search_site;
#[path = "support/static_server.rs"]
mod static_server;

use casebook::search::synonyms::Synonyms;
use casebook::search::text;
use search_site::{browse_page, manifest, out_text};

/// A section of `search-core.js` between its `// ---- NAME` marker and the next end marker.
fn section(js: &str, start: &str, end: &str) -> String {
    js.split(start)
        .nth(1)
        .and_then(|s| s.split(end).next())
        .unwrap_or_else(|| panic!("search-core.js marks {start}"))
        .to_string()
}

/// Runs `script` after porter2.js and search-core.js's tokenizer and query helpers; `script`
/// sets `out`, returned as JSON.
fn run_js(data: &serde_json::Value, script: &str) -> serde_json::Value {
    let static_dir = manifest().join("themes/default/static");
    let js = std::fs::read_to_string(static_dir.join("search-core.js")).expect("search-core.js");
    let porter2 = std::fs::read_to_string(static_dir.join("porter2.js")).expect("porter2.js");
    let tokenizer = section(
        &js,
        "// ---- tokenizer (mirrors src/search/text.rs) ----",
        "// ---- end of tokenizer ----",
    );
    let helpers = section(
        &js,
        "// ---- query helpers",
        "// ---- end of query helpers ----",
    );
    let page = format!(
        "<!DOCTYPE html><meta charset=utf-8><pre id=out></pre><script>{porter2}</script>\
         <script type=application/json id=data>{data}</script><script>\
         var encoder = new TextEncoder();\n{tokenizer}\n// ---- query helpers{helpers}\n\
         var data = JSON.parse(document.getElementById('data').textContent); var out = null;\n\
         {script}\ndocument.getElementById('out').textContent = JSON.stringify(out);</script>",
        data = data.to_string().replace("</", "<\\/"),
    );
    let dom = browse_page("page.html", &page);
    let json = out_text(&dom).expect("output");
    let json = json
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("page output {e}: {dom}"))
}

/// The English word list: Debian's `wamerican` (CI installs it when missing).
const WORD_LIST: &str = "/usr/share/dict/words";

#[test]
fn can_stem_every_word_the_same_in_rust_and_the_browser() {
    let list = std::fs::read_to_string(WORD_LIST).unwrap_or_else(|_| {
        panic!("this test needs {WORD_LIST}: install the Debian package `wamerican`")
    });
    let mut words: Vec<String> = list
        .lines()
        .map(str::to_lowercase)
        .filter(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
        .collect();
    let listed = words.len();
    assert!(listed >= 10_000, "{listed} words in the list");
    let seeds = manifest().join("tests/fixtures/seeds");
    let mut from_seeds = 0;
    for entry in std::fs::read_dir(seeds).expect("seeds") {
        let text = std::fs::read_to_string(entry.expect("seed").path()).expect("seed text");
        text::for_each_word(&text, |w| {
            words.push(w.to_string());
            from_seeds += 1;
        });
    }
    assert!(from_seeds > 5_000, "every word of the seeds: {from_seeds}");
    words.sort_unstable();
    words.dedup();
    let from_js = run_js(
        &serde_json::json!(words),
        "out = data.map(function (w) { return stem(w); });",
    );
    let from_js: Vec<String> = serde_json::from_value(from_js).expect("stems");
    assert_eq!(from_js.len(), words.len());
    let mut differ = Vec::new();
    for (word, js) in words.iter().zip(&from_js) {
        let mut rust = word.clone();
        text::stem(&mut rust);
        if &rust != js {
            differ.push(format!("{word}: rust {rust}, js {js}"));
        }
    }
    assert!(
        differ.is_empty(),
        "{} of {} words differ: {:?}",
        differ.len(),
        words.len(),
        &differ[..differ.len().min(20)]
    );
}

/// A typo's word-ending files are found by the keys the index files its words under: both
/// sides key every word of the seeds (accented ones among them) alike, give the same range
/// of keys a typo of it asks for (none under six letters), and find the same file, also
/// where JavaScript's `<=` would sort otherwise (a character above U+FFFF against one from
/// U+E000 to U+FFFF).
#[test]
fn can_key_word_endings_and_find_their_file_as_the_index_does() {
    use casebook::search::vocab::{end_key, end_key_range, file_for, MIN_END_CHARS};
    let seeds = manifest().join("tests/fixtures/seeds");
    let mut words: Vec<String> = ["cafés", "naïveté", "abcd\u{fb01}", "abcd\u{1d41a}"]
        .iter()
        .map(|w| (*w).to_string())
        .collect();
    words.push("x".repeat(120));
    for entry in std::fs::read_dir(seeds).expect("seeds") {
        let text = std::fs::read_to_string(entry.expect("seed").path()).expect("seed text");
        text::for_each_word(&text, |w| words.push(w.to_string()));
    }
    words.sort_unstable();
    words.dedup();
    words.retain(|w| w.chars().count() >= MIN_END_CHARS);
    // Boundaries as the index sorts them (by bytes): "d\u{fb01}" before "d\u{1d41a}".
    let boundaries: Vec<String> = [
        "",
        "bc04",
        "d\u{fb01}05",
        "d\u{1d41a}05",
        "ed07",
        "ng12",
        "ss05",
    ]
    .iter()
    .map(|b| (*b).to_string())
    .collect();
    let mut sorted = boundaries.clone();
    sorted.sort();
    assert_eq!(sorted, boundaries, "boundaries in the index's order");
    let from_js = run_js(
        &serde_json::json!({ "words": words, "boundaries": boundaries }),
        "out = data.words.map(function (w) {\n\
           var k = endKey(w);\n\
           return [k, fileFor(k, data.boundaries), endKeyRange(w)];\n\
         });",
    );
    type Keyed = (String, usize, Option<(String, String)>);
    let from_js: Vec<Keyed> = serde_json::from_value(from_js).expect("keys");
    let from_rust: Vec<Keyed> = words
        .iter()
        .map(|w| {
            let key = end_key(w).expect("five characters or more");
            let file = file_for(&boundaries, &key);
            (key, file, end_key_range(w))
        })
        .collect();
    assert!(
        from_rust.iter().any(|k| k.2.is_none()) && from_rust.iter().any(|k| k.2.is_some()),
        "words too short for a range and long enough"
    );
    assert!(words.len() > 500, "{} words", words.len());
    assert_eq!(from_js, from_rust);
    let astral = from_rust
        .iter()
        .find(|k| k.0 == "d\u{1d41a}05")
        .expect("the astral key");
    assert_eq!(astral.1, 3, "its own file, after U+FB01's");
}

#[test]
fn can_check_a_phrase_in_order() {
    let out = run_js(
        &serde_json::json!({}),
        "var t = function (s) { return words(s).map(function (x) { return stem(x.w); }); };\n\
         out = [hasPhrase(t('a child in need plan'), t('child in need')),\n\
                hasPhrase(t('Children in need'), t('child in need')),\n\
                hasPhrase(t('early help was offered'), t('help early')),\n\
                hasPhrase(t('help. Early on'), t('help early')),\n\
                hasPhrase(t('need'), t('child in need'))];",
    );
    assert_eq!(
        out,
        serde_json::json!([true, false, false, true, false]),
        "in order and next to each other, across punctuation; not reordered"
    );
}

#[test]
fn can_count_edits_and_find_the_nearest_word() {
    let out = run_js(
        &serde_json::json!([["safeguarding", 5], ["safeguarded", 2], ["cafcass", 1], ["cafe", 9]]),
        "out = [editDistance('safegaurding', 'safeguarding', 2), editDistance('cafcas', 'cafcass', 1),\n\
                editDistance('kitten', 'sitting', 1), allowedEdits('kent'), allowedEdits('cafcas'),\n\
                allowedEdits('safegaurding'), nearest(data, 'safegaurding'), nearest(data, 'cafcas'),\n\
                nearest(data, 'cafx'), withPrefix(data, 'safegu')];",
    );
    assert_eq!(
        out,
        serde_json::json!([
            1,
            1,
            2,
            0,
            1,
            2,
            ["safeguarding"],
            ["cafcass"],
            [],
            ["safeguarding", "safeguarded"]
        ])
    );
}

#[test]
fn can_expand_abbreviations_and_names_from_the_glossary() {
    let path = manifest().join("themes/default/glossary.toml");
    let glossary = std::fs::read_to_string(&path).expect("glossary");
    let entries = casebook::site::glossary::Glossary::parse(&path, &glossary).expect("parses");
    let groups = Synonyms::from_glossary(&entries).groups;
    let stop: Vec<&str> = text::STOP_WORDS.to_vec();
    let out = run_js(
        &serde_json::json!({ "groups": groups, "stop": stop }),
        "var stop = new Set(data.stop);\n\
         function keys(q) { return parseQuery(q, stop, data.groups).slots.map(function (s) { return s.key || s.stem; }); }\n\
         out = [keys('CIN'), keys('child in need Kent'), keys('ehcp'), keys('Education, Health and Care plan'),\n\
                keys('SEND'), keys('DFG'), keys('Disabled Facilities Grant'), keys('LADO'), keys('cinema'),\n\
                parseQuery('\"child in need\" -kent safegu', stop, data.groups)];",
    );
    let key = |name: &str| {
        groups
            .iter()
            .find(|g| g.names.iter().any(|n| n.words.join(" ") == name))
            .map(|g| g.key.clone())
            .unwrap_or_else(|| panic!("a group names {name}"))
    };
    assert_eq!(out[0], serde_json::json!([key("cin")]));
    assert_eq!(out[0], serde_json::json!([key("child in need")]));
    assert_eq!(out[1], serde_json::json!([key("child in need"), "kent"]));
    assert_eq!(out[2], out[3], "EHCP and its long form");
    assert_eq!(
        out[4],
        serde_json::json!([key("special educational needs")])
    );
    assert_eq!(out[5], out[6], "DFG and Disabled Facilities Grant");
    assert_eq!(
        out[7],
        serde_json::json!([key("local authority designated officer")])
    );
    assert_eq!(
        out[8],
        serde_json::json!(["cinema"]),
        "a longer word is not CIN"
    );
    let parsed = &out[9];
    assert_eq!(parsed["phrases"][0]["text"], "child in need");
    assert_eq!(parsed["exclude"], serde_json::json!(["kent"]));
    // The phrase's pairs of neighbouring words, keyed as the index keys them (a stem, or
    // a stop word as written).
    assert_eq!(parsed["slots"][2]["kind"], "pair");
    assert_eq!(parsed["slots"][2]["key"], "child\u{2}in");
    assert_eq!(parsed["slots"][3]["key"], "in\u{2}need");
    assert_eq!(
        parsed["slots"][4]["prefix"], true,
        "the last word is being typed"
    );
}

/// The browser reads a pair file's table as `casebook::search::blocks` writes it, and
/// finds the block that holds a key the same way.
#[test]
fn can_read_a_block_files_table_as_the_index_writes_it() {
    use casebook::search::blocks;
    let raw = |n: usize| vec![b'x'; n];
    let file = blocks::pack(vec![
        (5, raw(10)),
        (900, raw(20_000)),
        (70_000, raw(3)),
        (u32::MAX - 1, raw(1)),
    ]);
    let table = blocks::table(&file).expect("a table");
    let keys = [0u32, 5, 6, 899, 900, 69_999, 70_000, u32::MAX];
    let static_dir = manifest().join("themes/default/static");
    let js = std::fs::read_to_string(static_dir.join("search-core.js")).expect("search-core.js");
    let varint = section(&js, "  function varint(", "\n  }\n");
    let code = section(
        &js,
        "// ---- block files (mirrors src/search/blocks.rs) ----",
        "// ---- end of block files ----",
    );
    let out = run_js(
        &serde_json::json!({ "file": file, "keys": keys }),
        &format!(
            "function varint({varint}\n  }}\n{code}\n\
             var head = new Uint8Array(data.file);\n\
             var table = readBlockTable(head);\n\
             out = {{ table: table.map(function (b) {{ return [b.first, b.from, b.to]; }}),\n\
                     found: data.keys.map(function (k) {{ var b = blockFor(table, k); return b ? b.first : null; }}),\n\
                     cut: readBlockTable(head.subarray(0, 9)), gzip: readBlockTable(new Uint8Array([31, 139, 8, 0, 0, 0, 0, 0])) }};"
        ),
    );
    let want: Vec<serde_json::Value> = table
        .iter()
        .map(|b| serde_json::json!([b.first, b.range.start, b.range.end]))
        .collect();
    assert_eq!(out["table"], serde_json::Value::Array(want));
    let found: Vec<Option<u32>> = keys
        .iter()
        .map(|&k| blocks::block_for(&table, k).map(|b| b.first))
        .collect();
    assert_eq!(out["found"], serde_json::json!(found));
    assert_eq!(out["cut"], serde_json::Value::Null, "a table cut short");
    assert_eq!(out["gzip"], serde_json::Value::Null, "not a block file");
}
