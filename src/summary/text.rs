//! Small text helpers for the summariser: sentences, tidying a clause taken from a
//! decision into one of our sentences, list-item endings.

use std::sync::LazyLock;

use regex::Regex;

use super::plain_words::{capitalise, plain};

static SHORT_BRACKET: LazyLock<Regex> =
    LazyLock::new(|| compile(r"\s*\((?:[A-Z][A-Za-z’']{0,5}|[A-Z]{2,8}’?s?)\)"));
static THE_COUNCIL: LazyLock<Regex> =
    LazyLock::new(|| compile(r"\b[Tt]he (Council|Care Provider|Provider|Trust)\b"));
static OUR: LazyLock<Regex> = LazyLock::new(|| compile(r"\b([Oo])ur\b"));
static FIRST_PERSON: LazyLock<Regex> =
    LazyLock::new(|| compile(r"\b(?:[Ww]e|[Oo]ur|[Oo]urs|us|I|[Mm]y|me)\b"));
static QUOTED: LazyLock<Regex> = LazyLock::new(|| compile(r#"“[^”]*”|"[^"]*""#));

pub(crate) use crate::import::pattern::compile;

/// The sentences of `text`, each with its closing punctuation.
pub(crate) fn sentences(text: &str) -> Vec<String> {
    sentences_at(text)
        .into_iter()
        .map(|(_, s)| s.to_string())
        .collect()
}

/// The sentences of `text` as [`sentences`] gives them, each with the byte offset in
/// `text` where it starts.
pub(crate) fn sentences_at(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut push = |from: usize, to: usize| {
        let piece = &text[from..to];
        let trimmed = piece.trim();
        // Only the last can be empty: the others hold their closing punctuation.
        if !trimmed.is_empty() {
            out.push((from + piece.len() - piece.trim_start().len(), trimmed));
        }
    };
    for end in sentence_ends(text) {
        let next = text[end..].chars().next();
        // `Mr X. He` ends a sentence; `e.g. the` and `£9. 50` do not.
        if next.is_some_and(|c| c.is_uppercase() || c == '‘' || c == '“' || c == '"') {
            push(start, end);
            start = end;
        }
    }
    push(start, text.len());
    out
}

/// Where a sentence may end in `text`: after `.`, `!` or `?`, then at most one closing
/// quotation mark or bracket, then white space (all of it): the byte offset just past the
/// white space, in order. The summariser splits every paragraph it reads, so this is a
/// scan rather than a regular expression (`[.!?]["'’”)]?\s+`), which cost four times as
/// much.
fn sentence_ends(text: &str) -> impl Iterator<Item = usize> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(found) = memchr::memchr3(b'.', b'!', b'?', &text.as_bytes()[from..]) {
            let after = from + found + 1;
            let mut rest = text[after..].chars();
            let mut end = after;
            let mut c = rest.next();
            if c.is_some_and(|c| matches!(c, '"' | '\'' | '’' | '”' | ')')) {
                // A closer counts only when white space follows it.
                let mut peek = rest.clone();
                if peek.next().is_some_and(char::is_whitespace) {
                    end += c.map_or(0, char::len_utf8);
                    c = rest.next();
                }
            }
            let mut spaces = 0;
            while let Some(w) = c.filter(|c| c.is_whitespace()) {
                spaces += w.len_utf8();
                c = rest.next();
            }
            if spaces == 0 {
                from = after;
                continue;
            }
            from = end + spaces;
            return Some(from);
        }
        None
    })
}

/// A sentence as compared for repeats: lower case, letters and digits only, without a
/// leading subject (`It has agreed ...` repeats `The council has agreed ...`), so that
/// `The council was at fault .` repeats `the Council was at fault.`.
pub(crate) fn sentence_key(sentence: &str) -> String {
    let lower = sentence.trim().to_lowercase();
    let text = [
        "it ",
        "the council ",
        "the care provider ",
        "the trust ",
        "the nhs body ",
        "the organisation ",
    ]
    .iter()
    .find_map(|s| lower.strip_prefix(s))
    .unwrap_or(&lower);
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// True when `text`, outside quotation marks, speaks in the first person (`we`, `our`,
/// `I`): the Ombudsman's voice, which the digest never takes.
pub(crate) fn first_person(text: &str) -> bool {
    FIRST_PERSON.is_match(&QUOTED.replace_all(text, " "))
}

/// The Ombudsman's own sentence, quoted with attribution: `The Ombudsman said: “...”`.
pub(crate) fn quote(who: &str, sentence: &str) -> String {
    let s = sentence.trim().replace('“', "‘").replace('”', "’");
    format!("{who} said: “{s}”")
}

/// Words in `text`.
pub(crate) fn word_count(text: &str) -> usize {
    // As `split_whitespace().count()` counts, read byte by byte: the summariser counts the
    // words of every sentence it weighs, and most of them are ASCII.
    let b = text.as_bytes();
    let mut words = 0;
    let mut in_word = false;
    let mut i = 0;
    while i < b.len() {
        let (white, len) = if b[i] < 0x80 {
            (b[i].is_ascii_whitespace() || b[i] == 0x0B, 1)
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            (c.is_whitespace(), c.len_utf8())
        };
        if !white && !in_word {
            words += 1;
        }
        in_word = !white;
        i += len;
    }
    words
}

/// A clause from the decision made into one of our sentences: straight apostrophes,
/// `the council` in lower case, short bracketed abbreviations (`(FAO)`) dropped, plain
/// words, a capital at the start and a full stop at the end.
pub(crate) fn tidy(clause: &str) -> String {
    // One character searched at a time (a memchr each), not both at once (char by char).
    let text: std::borrow::Cow<'_, str> = if clause.contains('’') || clause.contains('‘') {
        clause.replace(['’', '‘'], "'").into()
    } else {
        clause.into()
    };
    let text = SHORT_BRACKET.replace_all(&text, "");
    // Each match is `The X` or `the X`: `the x`. (Found by position: a replacement that
    // asks for the pattern's groups takes the regex crate's slower search at every match.)
    let text = replace_matches(&THE_COUNCIL, &text, |m| {
        format!("the {}", m[4..].to_lowercase())
    });
    // In the Ombudsman's own text "our" is always the Ombudsman's.
    let text = replace_matches(&OUR, &text, |m| {
        if m.starts_with('O') {
            "The Ombudsman's"
        } else {
            "the Ombudsman's"
        }
        .to_string()
    });
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = plain(&text);
    let text = strip_list_tail(&text);
    finish(&text)
}

/// `text` with every match of `pattern` replaced by what `with` makes of the matched text.
fn replace_matches(pattern: &Regex, text: &str, with: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for m in pattern.find_iter(text) {
        out.push_str(&text[at..m.start()]);
        out.push_str(&with(m.as_str()));
        at = m.end();
    }
    out.push_str(&text[at..]);
    out
}

/// `text` with a capital first letter and one closing full stop.
pub(crate) fn finish(text: &str) -> String {
    let text = text.trim().trim_end_matches([',', ';', ':', ' ']);
    if text.is_empty() {
        return String::new();
    }
    let mut out = capitalise(text);
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// A list item without its joining tail: `...; and`, `... and`, `...;`, `...,`, `...:`.
pub(crate) fn strip_list_tail(text: &str) -> String {
    let mut t = text.trim();
    loop {
        let before = t;
        for tail in ["; and", "; or", " and", " or", ";", ",", ":"] {
            if let Some(rest) = t.strip_suffix(tail) {
                t = rest.trim_end();
            }
        }
        if t == before {
            return t.to_string();
        }
    }
}

/// `a`, `a and b`, `a, b and c`.
pub(crate) fn join_and(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn finds_the_sentence_ends_the_pattern_finds(
            text in r#"([a-zA-Z£9 ]{0,4}[.!?"'’”)\t\n\u{a0}\u{2009}]{0,3}){0,12}"#
        ) {
            let pattern = compile(r#"[.!?]["'’”)]?\s+"#);
            let want: Vec<usize> = pattern.find_iter(&text).map(|m| m.end()).collect();
            proptest::prop_assert_eq!(sentence_ends(&text).collect::<Vec<_>>(), want);
        }
    }

    proptest::proptest! {
        #[test]
        fn counts_words_as_split_whitespace_does(
            text in "[a-z£’é \t\n\r\u{b}\u{c}\u{85}\u{a0}\u{2009}\u{3000}]{0,40}"
        ) {
            proptest::prop_assert_eq!(word_count(&text), text.split_whitespace().count());
        }
    }

    #[test]
    fn can_find_where_sentences_may_end() {
        let ends = |t| sentence_ends(t).collect::<Vec<_>>();
        assert_eq!(ends("Yes. No.\u{a0}\n Maybe"), vec![5, 12]);
        assert_eq!(ends("He said “no.” Then... left!) x?\""), vec![18, 26, 33]);
        assert_eq!(ends("£9.50 e.g.x end."), Vec::<usize>::new());
    }

    #[test]
    fn can_split_sentences() {
        assert_eq!(
            sentences("It was late. He paid £9.50 on time. e.g. this stays. End"),
            vec![
                "It was late.",
                "He paid £9.50 on time. e.g. this stays.",
                "End"
            ]
        );
    }

    #[test]
    fn can_say_where_each_sentence_starts() {
        let text = "  It was late.  He paid £9.50 on time. End ";
        for (at, s) in sentences_at(text) {
            assert!(text[at..].starts_with(s), "{at}: {s}");
        }
        assert_eq!(
            sentences_at(text)
                .iter()
                .map(|(at, _)| *at)
                .collect::<Vec<_>>(),
            [2, 16, 40]
        );
    }

    #[test]
    fn can_tidy_a_clause() {
        assert_eq!(
            tidy("the Council’s Family Assistance Order (FAO) was made prior to this; and"),
            "The council's Family Assistance Order was made before this."
        );
    }

    #[test]
    fn can_tell_the_ombudsmans_voice_from_ours() {
        assert!(first_person("It was further to our earlier investigation."));
        assert!(first_person("We found no fault."));
        assert!(!first_person("The Ombudsman said: “We found no fault.”"));
        assert!(!first_person("Mr X used the bus."));
        assert_eq!(
            quote("The Ombudsman", "We found “no” fault."),
            "The Ombudsman said: “We found ‘no’ fault.”"
        );
    }

    #[test]
    fn can_join_with_and() {
        let parts = ["a".to_string(), "b".to_string(), "c".to_string()];
        assert_eq!(join_and(&parts), "a, b and c");
        assert_eq!(join_and(&parts[..1]), "a");
    }
}
