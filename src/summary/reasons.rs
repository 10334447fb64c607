//! Why the Ombudsman did not investigate a complaint closed after initial enquiries:
//! the common reasons (too late, a tribunal or court to go to, already put right, not
//! enough fault or injustice to justify it), found in the Ombudsman's own words.

use std::sync::LazyLock;

use regex::Regex;

use super::source::Source;
use super::text::{compile, sentences, tidy, word_count};

/// A reason the Ombudsman gave for not investigating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reason {
    /// A clause to follow "because": `the complaint was made too late`.
    pub(crate) short: String,
    /// The Ombudsman's own sentence giving the reason, in plain words, when there is one.
    pub(crate) long: Option<String>,
    /// The paragraph it comes from; `None` for the Ombudsman's summary.
    pub(crate) paragraph: Option<u32>,
}

static LATE: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?i)\blate\b|more than (?:12|twelve) months|out of time"));
static TRIBUNAL: LazyLock<Regex> =
    LazyLock::new(|| compile(r"\b(?:the\s+)?((?:[A-Z][\w’'-]*\s+)*Tribunal)\b|(?i:\btribunal\b)"));
static APPEAL: LazyLock<Regex> = LazyLock::new(|| compile(r"(?i)right of appeal|\bappeal\b"));
static COURT_INSTEAD: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)reasonable (?:to expect|for) [^.]*(?:court|legal action)|(?:go|going|gone) to court|legal remedy",
    )
});
static COURT_DONE: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)court (?:has|had) (?:already )?(?:considered|decided|dealt)|(?:considered|decided) (?:by|in) (?:a |the )?court|court proceedings",
    )
});
static REMEDIED: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)already (?:put (?:things|this|matters) right|remedied|offered|apologised)|(?:suitable|appropriate|fair|reasonable) remedy",
    )
});
static NO_FAULT: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)not enough evidence of fault|insufficient evidence of fault|no (?:sign|evidence) of fault|unlikely (?:we|I) would find fault",
    )
});
static SMALL: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)not (?:significant|serious) enough|(?:injustice|impact) (?:is|was) not (?:significant|serious)|no (?:significant|worthwhile) (?:injustice|outcome)|could not (?:achieve|add)|would not (?:achieve|add|lead)",
    )
});
static BECAUSE: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?i)\bbecause\b|\bas it is\b|\bthis is because\b"));

/// The reason in the summary, then the final decision, then any other section that is
/// not the complaint or the Ombudsman's standard text about its powers.
pub(crate) fn reason(src: &Source<'_>) -> Option<Reason> {
    let mut texts: Vec<(Option<u32>, String)> = src
        .decision
        .summary
        .iter()
        .map(|s| (None, s.clone()))
        .collect();
    let order = |h: &str| u8::from(!h.contains("final decision"));
    let mut sections: Vec<_> = src
        .sections
        .iter()
        .filter(|s| !s.heading.contains("role and powers") && s.heading != "the complaint")
        .collect();
    sections.sort_by_key(|s| order(&s.heading));
    for s in sections {
        texts.extend(
            s.paragraphs
                .iter()
                .map(|p| (Some(p.number), format!("{} {}", p.text, p.items.join(" ")))),
        );
    }
    let person = src.person_label();
    let mut found = texts.iter().find_map(|(number, t)| {
        classify(t, person, src.org).map(|r| Reason {
            paragraph: *number,
            ..r
        })
    })?;
    // "This is because she can appeal" follows our sentence about the council: name her.
    if let (Some(p), Some(long)) = (&src.complainant, &found.long) {
        let pronoun = format!("because {} ", p.subject);
        found.long = Some(long.replacen(&pronoun, &format!("because {} ", p.label), 1));
    }
    Some(found)
}

fn classify(text: &str, person: &str, org: &str) -> Option<Reason> {
    let short = if LATE.is_match(text) {
        "it was made too late".to_string()
    } else if TRIBUNAL.is_match(text) || APPEAL.is_match(text) {
        let body = TRIBUNAL.captures(text).and_then(|c| c.get(1)).map_or_else(
            || "a tribunal".to_string(),
            |m| format!("the {}", m.as_str()),
        );
        format!("{person} could appeal to {body}")
    } else if COURT_DONE.is_match(text) {
        "a court has dealt with the matter".to_string()
    } else if COURT_INSTEAD.is_match(text) {
        format!("{person} could take the matter to court")
    } else if REMEDIED.is_match(text) {
        format!("{org} had already done enough to put things right")
    } else if NO_FAULT.is_match(text) {
        format!("there was not enough sign of fault by {org}")
    } else if SMALL.is_match(text) {
        "an investigation would not change anything for them".to_string()
    } else {
        return None;
    };
    let long = sentences(text)
        .into_iter()
        .find(|s| BECAUSE.is_match(s) && word_count(s) <= 30)
        .map(|s| tidy(&s));
    Some(Reason {
        short,
        long,
        paragraph: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_find_each_reason() {
        let late = classify(
            "We will not investigate. This is because the complaint is late.",
            "Mr X",
            "the council",
        );
        assert_eq!(late.map(|r| r.short), Some("it was made too late".into()));
        let tribunal = classify(
            "It is reasonable for Ms Y to appeal to the First-tier Tribunal instead.",
            "Ms Y",
            "the council",
        );
        assert_eq!(
            tribunal.map(|r| r.short),
            Some("Ms Y could appeal to the First-tier Tribunal".into())
        );
        let remedied = classify(
            "The Council has already offered a suitable remedy.",
            "Mr X",
            "the council",
        );
        assert_eq!(
            remedied.map(|r| r.short),
            Some("the council had already done enough to put things right".into())
        );
        assert!(classify("Nothing here.", "Mr X", "the council").is_none());
    }

    #[test]
    fn can_keep_the_ombudsmans_because_sentence() {
        let r = classify(
            "We will not investigate this complaint. This is because Mr X could appeal to a tribunal.",
            "Mr X",
            "the council",
        );
        assert_eq!(
            r.and_then(|r| r.long),
            Some("This is because Mr X could appeal to a tribunal.".into())
        );
    }
}
