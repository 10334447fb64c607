//! A pronoun of the Ombudsman's summary that stands for the person who complained,
//! named when our sentence is read without the sentence before it.
//!
//! The headline of a decision whose copy stops early quotes what the Ombudsman's own
//! summary says was agreed: "The Council has agreed to apologise and pay him £250." In
//! the summary, "him" follows "Mr X"; in the headline (shown alone in listings and feeds)
//! it would follow nothing. The pronoun becomes the person's label only when that is
//! certainly whom it stands for: the person the summary names last before the sentence,
//! of the pronoun's gender, with nobody else named between.

use std::sync::LazyLock;

use regex::Regex;

use super::source::{Person, TITLES};
use super::text::compile;

/// Anyone a decision names or speaks of besides by a pronoun: `Mr X`, `Mrs Y`, a son, a
/// landlord. Whoever is named last is whom a following pronoun most likely stands for.
static SOMEONE: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"\b(?:(?:{TITLES})\.?\s[A-Z]\b|(?i:sons?|daughters?|father|mother|parents?|husband|wife|partner|brother|sister|child|children|grand(?:son|daughter|mother|father|child)|uncle|aunt|nephew|niece|friend|neighbours?|landlord|tenant|carer|advocate|representative|solicitor|councillor|MP)\b)",
    ))
});

/// `him` as an object; `her` only where it cannot be a possessive (`pay her £250`, not
/// `pay her son`).
static HIM: LazyLock<Regex> = LazyLock::new(|| compile(r"\bhim\b"));
static HER: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"\bher(?:[ ]+(?:£|[0-9]|(?:for|and|a|an|to|in|within|by|back|some|what)\b)|[.,;]|$)")
});

/// `sentence` with its first pronoun for `person` replaced by the person's label, when
/// `before` (the summary up to the sentence) names that person last.
pub(crate) fn name_person(sentence: &str, before: &str, person: &Person) -> Option<String> {
    let pronoun = match person.object {
        "him" => HIM.find(sentence)?,
        "her" => HER.find(sentence)?,
        _ => return None,
    };
    let label = person.label.as_str();
    let last = SOMEONE.find_iter(before).last()?;
    if last.as_str().replace('.', "") != label.replace('.', "") {
        return None;
    }
    if SOMEONE.is_match(&sentence[..pronoun.start()]) {
        return None;
    }
    let end = pronoun.start() + person.object.len();
    Some(format!(
        "{}{label}{}",
        &sentence[..pronoun.start()],
        &sentence[end..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(label: &str, object: &'static str) -> Person {
        Person {
            label: label.into(),
            subject: if object == "him" { "he" } else { "she" },
            object,
        }
    }

    #[test]
    fn can_name_the_person_a_pronoun_stands_for() {
        let before = "The Council did not share a report with Mr X. This caused him distress. ";
        assert_eq!(
            name_person(
                "It has agreed to apologise and pay him £250.",
                before,
                &person("Mr X", "him")
            )
            .as_deref(),
            Some("It has agreed to apologise and pay Mr X £250.")
        );
        let before = "Mrs Y complained about a fall. ";
        assert_eq!(
            name_person(
                "It has agreed to pay her £150 and apologise.",
                before,
                &person("Mrs Y", "her")
            )
            .as_deref(),
            Some("It has agreed to pay Mrs Y £150 and apologise.")
        );
    }

    proptest::proptest! {
        /// Whatever the sentences, a named pronoun is the only change: the sentence is the
        /// same with the label put back as the pronoun, and the summary before it names
        /// the person.
        #[test]
        fn changes_nothing_but_one_pronoun(
            before in proptest::collection::vec(WORDS, 0..12),
            sentence in proptest::collection::vec(WORDS, 1..12),
        ) {
            let before = before.join(" ");
            let sentence = sentence.join(" ");
            let him = person("Mr X", "him");
            if let Some(named) = name_person(&sentence, &before, &him) {
                let at = named.find("Mr X").expect("the label is in the sentence");
                let back = format!("{}him{}", &named[..at], &named[at + "Mr X".len()..]);
                proptest::prop_assert_eq!(back, sentence);
                proptest::prop_assert!(before.rfind("Mr X").is_some());
            }
        }
    }

    /// Words the property test makes sentences of: people, pronouns, and others.
    const WORDS: &str =
        "(Mr X|Mr Z|Mrs Y|him|her|his|son|the|Council|will|pay|£100|to|and|apologise|\\.)";

    #[test]
    fn leaves_a_pronoun_that_may_stand_for_someone_else() {
        let him = person("Mr X", "him");
        let her = person("Mrs Y", "her");
        // Someone else was named last.
        let before = "Mr X complained about his son's care. The son was left alone. ";
        assert_eq!(name_person("It will pay him £100.", before, &him), None);
        // Someone else is named in the sentence before the pronoun.
        let before = "Mr X complained. ";
        assert_eq!(
            name_person(
                "It will apologise to his son and pay him £100.",
                before,
                &him
            ),
            None
        );
        // `her` as a possessive.
        let before = "Mrs Y complained. ";
        assert_eq!(name_person("It will pay her son £100.", before, &her), None);
        // Nobody named before: nothing to name.
        assert_eq!(name_person("It will pay him £100.", "", &him), None);
        // Another person of the same gender named last.
        let before = "Mrs Y complained about Mr Z. ";
        assert_eq!(name_person("It will pay him £100.", before, &him), None);
        // A pronoun of the other gender.
        let before = "Mr X complained. ";
        assert_eq!(name_person("It will pay her £100.", before, &him), None);
    }
}
