//! The relevance benchmark's queries and their relevant decisions, drawn by rule from the
//! content files' own text (never from the search index), so that what counts as found is
//! independent of the code under test.

use std::collections::{BTreeSet, HashMap};
use std::ops::RangeBounds;
use std::path::{Path, PathBuf};

use regex::Regex;

/// Queries of each drawn kind.
const PER_KIND: usize = 8;

/// One query, its kind, and the decision pages (`/decisions/<slug>/`) it should find.
pub(crate) struct Query {
    pub(crate) kind: &'static str,
    pub(crate) text: String,
    pub(crate) relevant: BTreeSet<String>,
}

/// One decision: its page, whether it is a seed, its text, and its words as indices into
/// the corpus's vocabulary, sentence by sentence.
struct Doc {
    url: String,
    seed: bool,
    text: String,
    sentences: Vec<Vec<u32>>,
}

/// Every decision of a site's content, with its vocabulary.
pub(crate) struct Corpus {
    docs: Vec<Doc>,
    words: Vec<String>,
    /// Each word's index in `words`.
    ids: HashMap<String, u32>,
    /// For each word, the decisions holding it (ascending, once each).
    holders: Vec<Vec<u32>>,
}

/// The content files (`.md`) under `decisions`, in order.
pub(crate) fn content_files(decisions: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(decisions)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.path().to_path_buf())
        .collect();
    files.sort();
    files
}

/// The words of `text`, lower-cased: runs of letters and digits.
fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// A content file's searchable text: its front matter's quoted values and its body.
fn searchable(file: &str) -> (String, String) {
    let mut parts = file.splitn(3, "+++");
    let _ = parts.next();
    let front = parts.next().unwrap_or("");
    let body = parts.next().unwrap_or("");
    let mut text = String::new();
    let mut reference = String::new();
    for line in front.lines() {
        if line.starts_with('[') {
            continue;
        }
        if let Some((key, value)) = line.split_once(" = \"") {
            let value = value.trim_end_matches('"');
            if key == "reference" && reference.is_empty() {
                reference = value.to_string();
            }
            text.push_str(value);
            text.push('\n');
        }
    }
    text.push_str(body);
    (reference, text.replace('’', "'"))
}

impl Corpus {
    /// Reads every content file under `decisions`; those named in `seeds` are the seeds.
    pub(crate) fn read(decisions: &Path, seeds: &BTreeSet<PathBuf>) -> Self {
        let mut corpus = Corpus {
            docs: Vec::new(),
            words: Vec::new(),
            ids: HashMap::new(),
            holders: Vec::new(),
        };
        for path in content_files(decisions) {
            let file = std::fs::read_to_string(&path).expect("content file");
            let (reference, text) = searchable(&file);
            let d = corpus.docs.len() as u32;
            let mut sentences = Vec::new();
            for sentence in text.split(['.', ';', ':', '!', '?', '\n', '(', ')']) {
                let ids: Vec<u32> = tokens(sentence)
                    .map(|w| {
                        let next = corpus.ids.len() as u32;
                        let id = *corpus.ids.entry(w.clone()).or_insert(next);
                        if id == next {
                            corpus.words.push(w);
                            corpus.holders.push(Vec::new());
                        }
                        let holders = &mut corpus.holders[id as usize];
                        if holders.last() != Some(&d) {
                            holders.push(d);
                        }
                        id
                    })
                    .collect();
                if !ids.is_empty() {
                    sentences.push(ids);
                }
            }
            corpus.docs.push(Doc {
                url: format!("/decisions/{}/", reference.replace(' ', "-")),
                seed: seeds.contains(&path),
                text,
                sentences,
            });
        }
        corpus
    }

    /// How many decisions.
    pub(crate) fn len(&self) -> usize {
        self.docs.len()
    }

    fn pages(&self, docs: impl IntoIterator<Item = u32>) -> BTreeSet<String> {
        docs.into_iter()
            .map(|d| self.docs[d as usize].url.clone())
            .collect()
    }

    fn has_seed(&self, docs: &[u32]) -> bool {
        docs.iter().any(|&d| self.docs[d as usize].seed)
    }

    /// Whether word `w` is of letters only, as many as `lengths` allows, and held by as
    /// many decisions as `held_by` allows.
    fn is_word(
        &self,
        w: u32,
        lengths: impl RangeBounds<usize>,
        held_by: impl RangeBounds<usize>,
    ) -> bool {
        let word = &self.words[w as usize];
        lengths.contains(&word.chars().count())
            && word.chars().all(char::is_alphabetic)
            && held_by.contains(&self.holders[w as usize].len())
    }

    /// Words of letters only, `lengths` long, held by one to five decisions, in order.
    fn rare_words(&self, lengths: std::ops::RangeInclusive<usize>) -> Vec<u32> {
        let mut ids: Vec<u32> = (0..self.words.len() as u32)
            .filter(|&w| self.is_word(w, lengths.clone(), 1..=5))
            .collect();
        ids.sort_by(|a, b| self.words[*a as usize].cmp(&self.words[*b as usize]));
        ids
    }

    /// Every query, by kind.
    pub(crate) fn queries(&self) -> Vec<Query> {
        let mut all = Vec::new();
        all.extend(self.exact_and_dropped());
        all.extend(self.prefixes());
        all.extend(self.word_pairs());
        all.extend(self.phrases());
        all.extend(self.abbreviations());
        all
    }

    /// Rare words as typed, and with their middle or first letter dropped (a word the
    /// corpus does not hold), each finding the decisions that hold the word.
    fn exact_and_dropped(&self) -> Vec<Query> {
        let rare = self.rare_words(6..=12);
        let picked = spread(&rare, |&w| self.has_seed(&self.holders[w as usize]), 2);
        let mut out = Vec::new();
        for (i, &&w) in picked.iter().enumerate() {
            let word = &self.words[w as usize];
            let relevant = self.pages(self.holders[w as usize].iter().copied());
            if i % 2 == 0 {
                out.push(Query {
                    kind: "exact word",
                    text: word.clone(),
                    relevant,
                });
            } else {
                // The middle letter dropped, and the first (a slip the word's first two
                // letters do not show, found by the word-ending files).
                for (kind, at) in [
                    ("letter dropped", word.chars().count() / 2),
                    ("first letter dropped", 0),
                ] {
                    let mut letters: Vec<char> = word.chars().collect();
                    letters.remove(at);
                    let typo: String = letters.into_iter().collect();
                    if self.ids.contains_key(&typo) {
                        continue;
                    }
                    out.push(Query {
                        kind,
                        text: typo,
                        relevant: relevant.clone(),
                    });
                }
            }
        }
        out
    }

    /// Four-letter prefixes (as typed, the last word unfinished) that begin words in at
    /// most ten decisions, each finding the decisions with a word that begins so.
    fn prefixes(&self) -> Vec<Query> {
        let mut by_prefix: HashMap<String, BTreeSet<u32>> = HashMap::new();
        for (w, word) in self.words.iter().enumerate() {
            if word.chars().count() >= 4 && word.chars().all(char::is_alphabetic) {
                let prefix: String = word.chars().take(4).collect();
                by_prefix
                    .entry(prefix)
                    .or_default()
                    .extend(self.holders[w].iter().copied());
            }
        }
        let mut candidates: Vec<(String, Vec<u32>)> = by_prefix
            .into_iter()
            .filter(|(p, docs)| (1..=10).contains(&docs.len()) && !self.ids.contains_key(p))
            .map(|(p, docs)| (p, docs.into_iter().collect()))
            .collect();
        candidates.sort();
        spread(&candidates, |(_, docs)| self.has_seed(docs), 1)
            .into_iter()
            .map(|(prefix, docs)| Query {
                kind: "prefix",
                text: prefix.clone(),
                relevant: self.pages(docs.iter().copied()),
            })
            .collect()
    }

    /// Two words of one decision, each in 2 to 30 decisions, together in at most five and
    /// in fewer than either alone: the decisions holding both.
    fn word_pairs(&self) -> Vec<Query> {
        let usable = |w: u32| self.is_word(w, 5.., 2..=30);
        let mut pairs = Vec::new();
        for doc in &self.docs {
            let mut seen: Vec<u32> = Vec::new();
            for &w in doc.sentences.iter().flatten() {
                if usable(w) && !seen.contains(&w) {
                    seen.push(w);
                }
            }
            let found = seen.iter().enumerate().find_map(|(i, &a)| {
                seen[i + 1..].iter().find_map(|&b| {
                    let both = both(&self.holders[a as usize], &self.holders[b as usize]);
                    let fewer = both.len()
                        < self.holders[a as usize]
                            .len()
                            .min(self.holders[b as usize].len());
                    (both.len() <= 5 && fewer).then_some((a, b, both))
                })
            });
            if let Some(pair) = found {
                pairs.push((doc.seed, pair));
            }
        }
        spread(&pairs, |(seed, _)| *seed, 1)
            .into_iter()
            .map(|(_, (a, b, docs))| Query {
                kind: "two words",
                text: format!("{} {}", self.words[*a as usize], self.words[*b as usize]),
                relevant: self.pages(docs.iter().copied()),
            })
            .collect()
    }

    /// A quoted phrase of two common words (each of four letters or more, in a tenth of
    /// the decisions or more) that stand together in one to five decisions: the decisions
    /// with the two words in that order within a sentence.
    fn phrases(&self) -> Vec<Query> {
        let tenth = self.docs.len().div_ceil(10);
        let common = |w: u32| self.is_word(w, 4.., tenth..);
        let mut bigrams: HashMap<(u32, u32), Vec<u32>> = HashMap::new();
        for (d, doc) in self.docs.iter().enumerate() {
            for sentence in &doc.sentences {
                for pair in sentence.windows(2) {
                    if common(pair[0]) && common(pair[1]) && pair[0] != pair[1] {
                        let docs = bigrams.entry((pair[0], pair[1])).or_default();
                        if docs.last() != Some(&(d as u32)) {
                            docs.push(d as u32);
                        }
                    }
                }
            }
        }
        let mut candidates: Vec<((u32, u32), Vec<u32>)> = bigrams
            .into_iter()
            .filter(|(_, docs)| (1..=5).contains(&docs.len()))
            .collect();
        candidates.sort_by_key(|((a, b), _)| {
            (
                self.words[*a as usize].clone(),
                self.words[*b as usize].clone(),
            )
        });
        spread(&candidates, |(_, docs)| self.has_seed(docs), 1)
            .into_iter()
            .map(|((a, b), docs)| Query {
                kind: "phrase",
                text: format!(
                    "\"{} {}\"",
                    self.words[*a as usize], self.words[*b as usize]
                ),
                relevant: self.pages(docs.iter().copied()),
            })
            .collect()
    }

    /// Abbreviations and what they stand for, each finding the decisions that use either
    /// (abbreviations in capitals only); those no decision uses are left out.
    fn abbreviations(&self) -> Vec<Query> {
        let cin = r"(?-i:\bCIN\b)|\bchild(?:ren)? in need\b";
        let ehc = r"(?-i:\bEHCP\b)|\bEHC plan|\beducation, health and care plan";
        let sen = r"(?-i:\bSEND?\b)|\bspecial educational needs\b";
        let dfg = r"(?-i:\bDFGs?\b)|\bdisabled facilities grants?\b";
        let lado = r"(?-i:\bLADO\b)|\blocal authority designated officer\b";
        let cafcass = r"\bCafcass\b|\bChildren and Family Court Advisory\b";
        let s17 = r"\bs\.?17\b|\bsection 17\b";
        let list = [
            ("CIN", cin),
            ("child in need", cin),
            ("EHCP", ehc),
            ("EHC plan", ehc),
            ("education health and care plan", ehc),
            ("SEN", sen),
            ("SEND", sen),
            ("special educational needs", sen),
            ("DFG", dfg),
            ("disabled facilities grant", dfg),
            ("LADO", lado),
            ("Cafcass", cafcass),
            ("s17", s17),
        ];
        list.into_iter()
            .filter_map(|(query, pattern)| {
                let re = Regex::new(&format!("(?i){pattern}")).expect("pattern");
                let docs = (0..self.docs.len() as u32)
                    .filter(|&d| re.is_match(&self.docs[d as usize].text));
                let relevant = self.pages(docs);
                (!relevant.is_empty()).then(|| Query {
                    kind: "abbreviation",
                    text: query.to_string(),
                    relevant,
                })
            })
            .collect()
    }
}

/// The decisions in both ascending lists.
fn both(a: &[u32], b: &[u32]) -> Vec<u32> {
    a.iter()
        .filter(|d| b.binary_search(d).is_ok())
        .copied()
        .collect()
}

/// `PER_KIND * times` items of `items`, evenly spread: half from those `from_seed` holds
/// true of (the real decisions' words), the rest from the others, topped up from either.
fn spread<T, F: Fn(&T) -> bool>(items: &[T], from_seed: F, times: usize) -> Vec<&T> {
    let want = PER_KIND * times;
    let (seeds, others): (Vec<&T>, Vec<&T>) = items.iter().partition(|i| from_seed(i));
    let take = |from: &[&'_ T], n: usize| -> Vec<usize> {
        let n = n.min(from.len());
        (0..n).map(|i| i * from.len() / n.max(1)).collect()
    };
    let from_seeds = take(&seeds, (want / 2).max(want.saturating_sub(others.len())));
    let from_others = take(&others, want - from_seeds.len());
    from_seeds
        .into_iter()
        .map(|i| seeds[i])
        .chain(from_others.into_iter().map(|i| others[i]))
        .collect()
}
