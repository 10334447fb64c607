//! "What the complaint was about": the first sentences of the decision's complaint
//! section, in the past tense and plain words, with lists folded into sentences.

use std::sync::LazyLock;

use regex::Regex;

use super::line::{About, Cite, Line};
use super::readability::measure;
use super::source::{Para, Source};
use super::text::{
    compile, finish, first_person, quote, sentences, strip_list_tail, tidy, word_count,
};

/// At most this many sentences and words in the part.
const MAX_SENTENCES: usize = 3;
const MAX_WORDS: usize = 50;
/// A sentence after the first is kept only when it reads at least this easily: the
/// Ombudsman's hardest sentences are left to the decision itself.
const MIN_EASE: f64 = 50.0;
/// A sentence after the first is kept only when it has at most this many words.
const MAX_LATER_WORDS: usize = 20;
/// At most this many sentences from one paragraph.
const MAX_PER_PARAGRAPH: usize = 2;

static COMPLAINANT_INTRO: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^the complainant,?\s+(?:whom|who)\s+I\s+(?:shall\s+|will\s+)?(?:refer\s+to|call)\s+(?:as\s+)?([A-Z][a-z]{0,3}\s[A-Z]),\s*",
    )
});
static REFER_AS: LazyLock<Regex> =
    LazyLock::new(|| compile(r"^I (?:shall |will )?(?:refer to|call) (.+?) as ([A-Z])\.?$"));
static PRESENT: LazyLock<Regex> =
    LazyLock::new(|| compile(r"\b(complains|says|wants|believes|feels|considers)\b"));
static LONG_TAIL: LazyLock<Regex> =
    LazyLock::new(|| compile(r",\s+(?:when|after|because|which|who|as|including|putting|so)\b"));

/// The part's sentences, each with its paragraph.
pub(crate) fn part(src: &Source<'_>) -> Vec<Line> {
    let section = src.section(|h| {
        h.contains("complaint") && !h.contains("considered") && !h.contains("investigat")
    });
    let Some(section) = section.filter(|s| !s.paragraphs.is_empty()) else {
        return vec![from_summary(src)];
    };
    let subject = src.complainant.as_ref().map_or("they", |p| p.subject);
    let mut out: Vec<String> = Vec::new();
    let mut lines: Vec<Line> = Vec::new();
    for para in &section.paragraphs {
        let before = out.len();
        for sentence in paragraph_sentences(para, subject) {
            let words: usize = out.iter().map(|s| word_count(s)).sum();
            let full = out.len() >= MAX_SENTENCES || out.len() - before >= MAX_PER_PARAGRAPH;
            if full || words + word_count(&sentence) > MAX_WORDS {
                break;
            }
            let hard = word_count(&sentence) > MAX_LATER_WORDS
                || measure(&sentence).reading_ease < MIN_EASE;
            if !out.is_empty() && hard {
                continue;
            }
            let text = if first_person(&sentence) {
                quote(src.ombudsman, &sentence)
            } else {
                sentence.clone()
            };
            lines.push(Line::new(
                text,
                About::Complaint,
                Cite::Paragraph(para.number),
            ));
            out.push(sentence);
        }
        if out.len() >= MAX_SENTENCES {
            break;
        }
    }
    if lines.is_empty() {
        return vec![from_summary(src)];
    }
    lines
}

/// A truncated page: the Ombudsman's summary's first sentence when it is about the
/// complaint, else what the page's header says.
fn from_summary(src: &Source<'_>) -> Line {
    let first = src
        .decision
        .summary
        .as_deref()
        .and_then(|s| sentences(s).into_iter().next())
        .filter(|s| s.to_lowercase().contains("complain"));
    if let Some(sentence) = first {
        let ours = tidy(&past_tense(&shorten(&sentence)));
        if !first_person(&ours) {
            return Line::new(ours, About::Complaint, Cite::Summary);
        }
    }
    let about = match (&src.decision.category, &src.decision.subcategory) {
        (Some(c), Some(s)) if s != "Other" => {
            format!(" about {} ({})", c.to_lowercase(), s.to_lowercase())
        }
        (Some(c), _) => format!(" about {}", c.to_lowercase()),
        _ => String::new(),
    };
    Line::new(
        finish(&format!(
            "{} complained to the Ombudsman{about}",
            src.person_label()
        )),
        About::Complaint,
        Cite::None,
    )
}

/// One paragraph as our sentences: a list folded into sentences, first-person asides
/// dropped, long sentences cut at a trailing clause. Made one at a time, as the part takes
/// them: it stops after a few.
fn paragraph_sentences<'a>(para: &'a Para, subject: &str) -> Box<dyn Iterator<Item = String> + 'a> {
    let text = COMPLAINANT_INTRO.replace(para.text.trim(), "$1 ");
    if let Some(intro) = text.trim_end().strip_suffix(':') {
        return Box::new(list_sentences(intro, &para.items, subject).into_iter());
    }
    let sentences = sentences(&text).into_iter();
    Box::new(sentences.filter_map(|s| {
        if let Some(c) = REFER_AS.captures(&s) {
            return Some(format!("The decision calls {} {}.", &c[1], &c[2]));
        }
        if s.starts_with("I ") || s.starts_with("We ") || s.starts_with("Our ") || s.contains(" I ")
        {
            return None;
        }
        Some(tidy(&past_tense(&shorten(&s))))
    }))
}

/// `Mr B complained the Council:` + items -> one sentence for the first item, then
/// `He also said ...` for the next ones.
fn list_sentences(intro: &str, items: &[String], subject: &str) -> Vec<String> {
    let intro = past_tense(intro.trim());
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let item = strip_list_tail(item);
        let item = shorten(&lower_first(&item));
        let gerund = item
            .split_whitespace()
            .next()
            .is_some_and(|w| w.len() > 4 && w.ends_with("ing"));
        let sentence = if i == 0 {
            format!("{intro} {item}")
        } else if gerund {
            // `failing to ...` does not follow "it": "He also complained about failing to ...".
            format!("{subject} also complained about {item}")
        } else if starts_with_verb(&item) {
            format!("{subject} also said it {item}")
        } else {
            format!("{subject} also said {item}")
        };
        out.push(tidy(&sentence));
    }
    out
}

/// Items that start with a verb (`failed to ...`) continue `the Council`; items that
/// start with a subject (`The Council failed ...`) are sentences of their own.
fn starts_with_verb(item: &str) -> bool {
    let first = item.split_whitespace().next().unwrap_or("");
    !matches!(
        first,
        "the" | "it" | "he" | "she" | "they" | "a" | "an" | "this" | "his" | "her" | "their"
    ) && !first.starts_with(char::is_uppercase)
}

fn lower_first(text: &str) -> String {
    let first = text.split_whitespace().next().unwrap_or("");
    if matches!(
        first,
        "The" | "It" | "He" | "She" | "They" | "A" | "An" | "This" | "His" | "Her" | "Their"
    ) {
        let mut chars = text.chars();
        chars
            .next()
            .map(|c| c.to_lowercase().chain(chars).collect())
            .unwrap_or_default()
    } else {
        text.to_string()
    }
}

fn past_tense(text: &str) -> String {
    PRESENT
        .replace_all(text, |c: &regex::Captures<'_>| match &c[1] {
            "complains" => "complained",
            "says" => "said",
            "wants" => "wanted",
            "believes" => "believed",
            "feels" => "felt",
            _ => "considered",
        })
        .into_owned()
}

/// A sentence over 25 words is cut before a trailing `, when ...`/`, which ...` clause.
fn shorten(sentence: &str) -> String {
    if word_count(sentence) <= 25 {
        return sentence.to_string();
    }
    // ", as admission authority, did not ...": an aside the sentence goes on after, not a
    // tail to cut (cut there, it would end "and that the council.").
    let aside = |end: usize| {
        sentence[end..]
            .split_once(',')
            .is_some_and(|(aside, _)| word_count(aside) <= 4)
    };
    LONG_TAIL
        .find_iter(sentence)
        .find(|m| word_count(&sentence[..m.start()]) >= 8 && !aside(m.end()))
        .map_or_else(
            || sentence.to_string(),
            |m| format!("{}.", &sentence[..m.start()]),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_fold_a_list_into_sentences() {
        let items = vec![
            "failed to follow its procedures;".to_string(),
            "delayed dealing with the complaint.".to_string(),
        ];
        assert_eq!(
            list_sentences("Mr B complained the Council", &items, "he"),
            vec![
                "Mr B complained the council failed to follow its procedures.",
                "He also said it delayed dealing with the complaint."
            ]
        );
    }

    #[test]
    fn can_drop_the_complainant_formula() {
        let para = Para {
            number: 1,
            text: "The complainant, whom I refer to as Mr X, complains about his son’s case. I refer to his son as Y.".into(),
            items: vec![],
        };
        assert_eq!(
            paragraph_sentences(&para, "he").collect::<Vec<_>>(),
            vec![
                "Mr X complained about his son's case.",
                "The decision calls his son Y."
            ]
        );
    }

    #[test]
    fn keeps_an_aside_the_sentence_goes_on_after() {
        let long = "Mr and Mrs F complain the appeal panel did not consider their son G’s medical needs, and that the Council, as admission authority, did not tell them what evidence to send.";
        assert_eq!(shorten(long), long);
    }

    #[test]
    fn can_cut_a_long_sentence_at_a_trailing_clause() {
        let long = "Mr X said the Council refused to respond to an initial concern for the welfare of his son, when he told it about a care arrangement breaking down in January.";
        assert_eq!(
            shorten(long),
            "Mr X said the Council refused to respond to an initial concern for the welfare of his son."
        );
    }
}
