//! A synthetic corpus for the search benchmarks: decisions built from the paragraphs of the
//! five real seeds, with councils, categories, outcomes and dates spread over realistic
//! ranges, and a Zipf-like tail of rare words (names, places, typos) so that the vocabulary
//! keeps growing with the corpus as a real one does.

use std::path::Path;

use casebook::corpus::CATEGORIES;
use casebook::decision::{Decision, Outcome, Reference};

/// The corpus generator's deterministic random numbers, plus a Zipf-like draw.
pub(crate) struct Rng(casebook::corpus::Rng);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Self(casebook::corpus::Rng::new(seed))
    }
    pub(crate) fn next(&mut self) -> u64 {
        self.0.next_u64()
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        self.0.below(n)
    }
    /// Roughly Zipf-distributed in `0..n`: small values are much more likely.
    pub(crate) fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((n as f64).powf(u) - 1.0) as usize
    }
}

const PLACES: [&str; 40] = [
    "Kent",
    "Surrey",
    "Leeds",
    "Bristol",
    "Norfolk",
    "Devon",
    "Camden",
    "Hackney",
    "Bury",
    "Wigan",
    "Dorset",
    "Essex",
    "Luton",
    "Slough",
    "Derby",
    "York",
    "Bath",
    "Hull",
    "Stockport",
    "Sefton",
    "Wirral",
    "Bolton",
    "Oldham",
    "Medway",
    "Swindon",
    "Reading",
    "Torbay",
    "Halton",
    "Rutland",
    "Cornwall",
    "Croydon",
    "Ealing",
    "Barnet",
    "Brent",
    "Harrow",
    "Sutton",
    "Merton",
    "Lambeth",
    "Bexley",
    "Havering",
];
const KINDS: [&str; 10] = [
    "County Council",
    "City Council",
    "Borough Council",
    "District Council",
    "Council",
    "Metropolitan Borough Council",
    "Council (Adult care)",
    "Care Homes Ltd",
    "Council (SEND)",
    "Unitary Council",
];
const SYLLABLES: [&str; 24] = [
    "ka", "lo", "mer", "tan", "vi", "sel", "dor", "pa", "ri", "quin", "bel", "ston", "ash", "wick",
    "ford", "ley", "ham", "ton", "bur", "y", "mo", "ne", "gar", "th",
];

/// The paragraphs (Markdown list items' text) of the seed decisions.
pub(crate) fn seed_paragraphs(seeds: &[Decision]) -> Vec<String> {
    let mut out = Vec::new();
    for d in seeds {
        for line in d.body.lines() {
            let t = line.trim_start();
            let text = match t.split_once(". ") {
                Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit()) => rest,
                _ => t.trim_start_matches("- "),
            };
            if text.split_whitespace().count() > 6 && !text.starts_with('#') {
                out.push(text.to_string());
            }
        }
    }
    out
}

fn rare_word(rng: &mut Rng) -> String {
    let id = rng.zipf(400_000);
    let mut x = id as u64 * 2_654_435_761 + 17;
    let mut w = String::new();
    for _ in 0..2 + id % 3 {
        w.push_str(SYLLABLES[(x % 24) as usize]);
        x /= 24;
    }
    w
}

/// Loads the seed decisions from a site's `content/` folder.
pub(crate) fn load_seeds(content: &Path) -> Vec<Decision> {
    let loaded = casebook::content::load_decisions(content);
    loaded.files.into_iter().map(|f| f.decision).collect()
}

/// `n` synthetic decisions built from `paragraphs`.
pub(crate) fn corpus(n: usize, template: &Decision, paragraphs: &[String]) -> Vec<Decision> {
    let mut rng = Rng::new(42);
    (0..n)
        .map(|i| one(i, &mut rng, template, paragraphs))
        .collect()
}

fn one(i: usize, rng: &mut Rng, template: &Decision, paragraphs: &[String]) -> Decision {
    let council = format!(
        "{} {}",
        PLACES[rng.zipf(PLACES.len() * 9) % PLACES.len()],
        KINDS[(i / 7 + rng.below(3)) % KINDS.len()]
    );
    let (category, subs) = CATEGORIES[rng.zipf(CATEGORIES.len() * 3) % CATEGORIES.len()];
    let subcategory = subs[rng.below(subs.len())];
    let outcome = Outcome::ALL[rng.zipf(3)];
    let year = 2015 + rng.below(11) as i32;
    let date = chrono::NaiveDate::from_yo_opt(year, 1 + rng.below(365) as u32);
    let mut body = String::from("## The complaint\n\n");
    let count = 25 + rng.below(36);
    for p in 0..count {
        if p == 8 {
            body.push_str("\n## What I found\n\n");
        }
        let mut text = paragraphs[rng.below(paragraphs.len())].clone();
        for _ in 0..3 {
            text.push(' ');
            text.push_str(&rare_word(rng));
        }
        text.push_str(&format!(" £{}.", 100 * (1 + rng.below(40))));
        body.push_str(&format!("{}. {text}\n", p + 1));
    }
    let reference = format!("{:02} {:03} {:03}", year % 100, i / 1000 % 1000, i % 1000);
    let summary = paragraphs[rng.below(paragraphs.len())].clone();
    Decision {
        reference: Reference::parse(&reference).unwrap_or_else(|| template.reference.clone()),
        council,
        category: Some(category.to_string()),
        subcategory: Some(subcategory.to_string()),
        outcome: Some(outcome),
        decision_date: date,
        summary: Some(summary),
        body,
        ..template.clone()
    }
}
