//! Everyday words for the terms of art and formal phrases the Ombudsman's text uses.
//!
//! Applied to the clauses the summariser takes from a decision, never to the decision
//! itself. Each replacement keeps the meaning: "maladministration" is what the Ombudsman
//! itself calls "fault", "prior to" is "before".

use std::sync::LazyLock;

use regex::Regex;

use super::text::compile;

/// Term (case-insensitive, whole words) -> plain replacement.
const REPLACEMENTS: &[(&str, &str)] = &[
    (r"maladministration and service failure", "fault"),
    (r"maladministration", "fault"),
    (r"service failure", "poor service"),
    (r"the complainant", "the person who complained"),
    (r"prior to", "before"),
    (r"in relation to", "about"),
    (r"in respect of", "about"),
    (r"with regard to", "about"),
    (r"regarding", "about"),
    (r"in accordance with", "in line with"),
    (r"in a timely manner", "on time"),
    (r"a number of", "some"),
    (r"subsequently", "later"),
    (r"approximately", "about"),
    (r"sufficient", "enough"),
    (r"additional", "extra"),
    (r"commenced", "started"),
    (r"commence", "start"),
    (r"notified", "told"),
    (r"notifying", "telling"),
    (r"notify", "tell"),
    (r"obtained", "got"),
    (r"obtain", "get"),
    (r"ensured", "made sure"),
    (r"ensure", "make sure"),
    (r"utilised", "used"),
    (r"utilise", "use"),
    (r"facilitated", "helped"),
    (r"facilitate", "help"),
    (r"terminated", "ended"),
    (r"finalised", "finished"),
    (r"finalising", "finishing"),
    (r"finalise", "finish"),
    (r"circulating", "sending out"),
    (r"circulated", "sent out"),
    (r"circulate", "send out"),
    (r"symbolic payment", "payment"),
    (r"statutory", "legal"),
    (r"assistance", "help"),
    (r"numerous", "many"),
    (
        r"remed(?:y|ied) (?:his|her|their|the|this|any) injustice",
        "put things right",
    ),
    (r"unremedied injustice", "harm that has not been put right"),
    (r"whom I (?:shall |will )?refer to as", "called"),
];

/// All the terms as one pattern, one capture group per term, so a text is searched once.
static TERMS: LazyLock<Regex> = LazyLock::new(|| {
    let groups: Vec<String> = REPLACEMENTS
        .iter()
        .map(|(term, _)| format!("({term})"))
        .collect();
    compile(&format!(r"(?i)\b(?:{})\b", groups.join("|")))
});

/// `text` with every listed term replaced by its everyday word. A term written with a
/// capital inside a sentence is part of a name (`Family Assistance Order`) and stays; one
/// at the start of a sentence keeps its capital.
pub(crate) fn plain(text: &str) -> String {
    TERMS
        .replace_all(text, |c: &regex::Captures<'_>| {
            let Some(whole) = c.get(0) else {
                return String::new();
            };
            let found = whole.as_str();
            let plain = (1..c.len())
                .find(|&i| c.get(i).is_some())
                .and_then(|i| REPLACEMENTS.get(i - 1))
                .map_or(found, |(_, plain)| plain);
            if !found.starts_with(char::is_uppercase) {
                return plain.to_string();
            }
            let before = text[..whole.start()].trim_end();
            if before.is_empty() || before.ends_with(['.', '!', '?']) {
                capitalise(plain)
            } else {
                found.to_string()
            }
        })
        .into_owned()
}

/// `text` with its first letter in capitals.
pub(crate) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_replace_terms_of_art() {
        assert_eq!(plain("We found maladministration."), "We found fault.");
        assert_eq!(
            plain("Subsequently, it failed to notify Mr X prior to the meeting."),
            "Later, it failed to tell Mr X before the meeting."
        );
        assert_eq!(plain("circulating the minutes"), "sending out the minutes");
    }

    #[test]
    fn can_leave_words_that_only_contain_a_term() {
        assert_eq!(plain("the ensurer"), "the ensurer");
        assert_eq!(
            plain("a Family Assistance Order"),
            "a Family Assistance Order"
        );
    }
}
