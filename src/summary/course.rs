//! What the Ombudsman did with the complaint, in its own words: investigated it, decided
//! not to (and why), did not because the organisation had already put things right, or
//! started and stopped. The `Decision :` line records how a case was closed, not this:
//! "Not upheld" can be an investigation stopped early, "Upheld" a complaint the council
//! had already put right, so the summariser reads it from the text.
//!
//! Read from the Ombudsman's summary first, then the final decision, then the assessment
//! and findings; never from "The Ombudsman's role and powers", which lists what the
//! Ombudsman can do in general.

use std::sync::LazyLock;

use regex::{Regex, RegexSet};

use super::line::Cite;
use super::source::{Para, Source};
use super::text::{compile, sentences, tidy};
use crate::import::extract::is_a_claim;

/// What the Ombudsman did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Course {
    /// It decided not to investigate.
    NotInvestigated,
    /// It did not investigate because the organisation had already put things right.
    AlreadyPutRight,
    /// It upheld the complaint because the organisation agreed to resolve it early.
    ResolvedEarly,
    /// It started an investigation and stopped (discontinued, ended, used its discretion).
    Stopped,
    /// It investigated and reached findings.
    Investigated,
    /// The text does not say.
    Unknown,
}

/// Why, as a clause to follow "because", with where the decision says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reason {
    /// `the complaint was made too late`.
    pub(crate) clause: String,
    /// Where it comes from.
    pub(crate) cite: Cite,
}

/// What the Ombudsman did, where the decision says so, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reading {
    /// What it did.
    pub(crate) course: Course,
    /// The sentence that says so.
    pub(crate) cite: Cite,
    /// That sentence, as the Ombudsman wrote it.
    pub(crate) sentence: String,
    /// Why it did not investigate or stopped, when a sure rule reads it.
    pub(crate) reason: Option<Reason>,
}

static STOPPED: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\b(?:discontinued|ended|stopped|closed)\s+(?:our|my|the|its|their)\s+investigation|\bdiscretion\s+not\s+to\s+(?:continue|go\s+on|pursue|investigate\s+further)|\bnot\s+to\s+continue\s+(?:the|our|my|with|investigating)\b",
    )
});
static NOT_INVESTIGATE: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\b(?:will|shall|did|do|does|would)\s+not\s+(?:be\s+)?investigat|\bdecided\s+not\s+to\s+investigate|\bcan\s*not\s+investigate\s+(?:this|Mr|Mrs|Ms|Miss|Dr|Mx|the\s+complaint|[A-Z][a-z]*['’]s)",
    )
});
static EARLY: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\bagreed\s+to\s+resolve\s+(?:the|this|his|her|their)?\s*complaint\s+early|\bresolve\s+it\s+early",
    )
});
static COMPLETED: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)\b(?:have|has)\s+completed\s+(?:my|our|the|its|their)\s+investigation")
});

static REMEDIED: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\balready\s+(?:remedied|put\s+(?:things|this|matters|it)\s+right)|\bprovided\s+a\s+(?:satisfactory|suitable|fair)\s+(?:response|remedy)|\balready\s+(?:offered|provided)\s+a\s+(?:suitable|fair|reasonable|satisfactory)\s+remedy",
    )
});
static BY_DOING: LazyLock<Regex> = LazyLock::new(|| compile(r"\b(by\s+[a-z]+ing\b[^.;:]*)"));
static LATE: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\b(?:complaint|it)\s+(?:is|was)\s+late\b|\blate\s+complaint|more than (?:12|twelve) months|out of time",
    )
});
static TRIBUNAL: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"\b(?:the\s+)?((?:[A-Z][\w’'-]*\s+)+Tribunal)\b|(?i:\bappeal(?:ed)?\s+to\s+(?:a|the)\s+tribunal\b|\bright\s+of\s+appeal\b)",
    )
});
/// An appeal to a court rather than a tribunal: "he can appeal to the magistrates' court".
static COURT_APPEAL: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\bappeal(?:ed)?\s+(?:to|with)\s+(?:the\s+|a\s+)?((?:magistrates[’']?|county|crown|high|family)\s+court|court)\b",
    )
});
/// An appeal already made: "has appealed to the Tribunal", "lodged an appeal".
static APPEALED: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\b(?:has|have|had)\s+(?:already\s+)?appealed\b|\b(?:lodged|made|brought)\s+an\s+appeal\b|\bappeal\s+is\s+(?:now\s+)?(?:before|with)\b",
    )
});
static COURT_STARTED: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\b(?:started|begun|began|taken|issued)\s+(?:legal\s+action|court\s+proceedings|proceedings)",
    )
});
static COURT_INSTEAD: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)reasonable (?:to expect|for) [^.]*(?:court|legal action)|(?:go|going) to court")
});
static COURT_DONE: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)court (?:has|had) (?:already )?(?:considered|decided|dealt)|(?:considered|decided) (?:by|in) (?:a |the )?court",
    )
});
static PREMATURE: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\bnot\s+(?:yet\s+)?had\s+(?:the|a|an)\s+(?:chance|opportunity)\s+to\s+(?:respond|reply|investigate|consider)",
    )
});
static JURISDICTION: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\boutside\s+(?:our|the\s+Ombudsman['’]s|my)\s+(?:jurisdiction|remit|powers)|\blaw\s+does\s+not\s+allow\s+(?:us|the\s+Ombudsman)",
    )
});
static NO_FAULT: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)not enough evidence of fault|insufficient evidence of fault|no (?:sign|evidence) of fault|not enough sign of fault",
    )
});
static NOTHING_MORE: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)would not (?:achieve|add|lead to) (?:anything|a different|any)|could not (?:achieve|add) anything|no worthwhile outcome",
    )
});

/// Every pattern [`reason`] tries, as one set.
static REASONS: LazyLock<RegexSet> = LazyLock::new(|| {
    let patterns = [
        &REMEDIED,
        &LATE,
        &COURT_STARTED,
        &COURT_DONE,
        &COURT_APPEAL,
        &TRIBUNAL,
        &COURT_INSTEAD,
        &PREMATURE,
        &JURISDICTION,
        &NO_FAULT,
        &NOTHING_MORE,
    ];
    RegexSet::new(patterns.map(|p| p.as_str())).expect("each pattern compiles alone")
});

/// The patterns [`course_of`] tries, as one set: most sentences match none.
static COURSES: LazyLock<RegexSet> = LazyLock::new(|| {
    let patterns = [&EARLY, &STOPPED, &NOT_INVESTIGATE, &COMPLETED];
    RegexSet::new(patterns.map(|p| p.as_str())).expect("each pattern compiles alone")
});

/// What the Ombudsman did with the complaint read by `src`.
pub(crate) fn read(src: &Source<'_>) -> Reading {
    // The sentences are read in order (the summary, then the sections that say what was
    // decided) and split only as far as needed: the answer is most often in the summary
    // or the final decision, before the long findings.
    let mut texts = Texts::new(src);
    let mut found = None;
    let mut i = 0;
    loop {
        // Sentences `i` and `i + 1` (the sentence after can say why).
        texts.read_to(i + 1);
        let Some((cite, s)) = texts.read.get(i) else {
            break;
        };
        let next = texts.read.get(i + 1).map(|(_, n)| n.as_str());
        if let Some(course) = course_of(s, next) {
            found = Some((i, course, *cite, s.clone()));
            break;
        }
        i += 1;
    }
    let Some((i, course, cite, sentence)) = found else {
        return Reading {
            course: Course::Unknown,
            cite: Cite::None,
            sentence: String::new(),
            reason: None,
        };
    };
    let reason = match course {
        Course::NotInvestigated | Course::Stopped | Course::AlreadyPutRight => {
            let texts = texts.all();
            // The sentence itself, the one after it, then anything else.
            let order = std::iter::once(i)
                .chain(std::iter::once(i + 1))
                .chain((0..texts.len()).filter(move |&j| j != i && j != i + 1));
            order
                .filter_map(|j| texts.get(j))
                .find_map(|(c, s)| reason(s, src).map(|clause| Reason { clause, cite: *c }))
        }
        _ => None,
    };
    Reading {
        course,
        cite,
        sentence,
        reason,
    }
}

/// What `sentence` says the Ombudsman did, if anything; `next` is the sentence after it.
fn course_of(sentence: &str, next: Option<&str>) -> Option<Course> {
    let s = sentence;
    // "Mrs Y complained the Council did not investigate": the complaint, not the course.
    if !COURSES.is_match(s) || is_a_claim(s) {
        return None;
    }
    Some(if EARLY.is_match(s) {
        Course::ResolvedEarly
    } else if STOPPED.is_match(s) {
        Course::Stopped
    } else if NOT_INVESTIGATE.is_match(s) {
        if REMEDIED.is_match(s) || next.is_some_and(|n| REMEDIED.is_match(n)) {
            Course::AlreadyPutRight
        } else {
            Course::NotInvestigated
        }
    } else if COMPLETED.is_match(s) {
        Course::Investigated
    } else {
        return None;
    })
}

/// The sentences the course is read from, each with where it is, split as they are asked
/// for: the summary's, then each paragraph's of the final decision, then of the assessment
/// and findings.
struct Texts<'s> {
    read: Vec<(Cite, String)>,
    paragraphs: std::vec::IntoIter<&'s Para>,
}

impl<'s> Texts<'s> {
    fn new(src: &'s Source<'_>) -> Self {
        let read = src
            .decision
            .summary
            .iter()
            .flat_map(|s| sentences(s))
            .map(|s| (Cite::Summary, s))
            .collect();
        let rank = |h: &str| {
            if h.contains("final decision") || h == "decision" || h.contains("conclusion") {
                Some(0)
            } else if h.contains("assessment")
                || h.contains("analysis")
                || h.contains("found")
                || h.contains("findings")
            {
                Some(1)
            } else {
                None
            }
        };
        let mut sections: Vec<_> = src
            .sections
            .iter()
            .filter_map(|s| rank(&s.heading).map(|r| (r, s)))
            .collect();
        sections.sort_by_key(|(r, _)| *r);
        let paragraphs: Vec<&Para> = sections
            .into_iter()
            .flat_map(|(_, s)| &s.paragraphs)
            .collect();
        Texts {
            read,
            paragraphs: paragraphs.into_iter(),
        }
    }

    /// Splits paragraphs until sentence `i` is read, or there are no more.
    fn read_to(&mut self, i: usize) {
        while self.read.len() <= i {
            let Some(p) = self.paragraphs.next() else {
                return;
            };
            let text = format!("{} {}", p.text, p.items.join(" "));
            let cite = Cite::Paragraph(p.number);
            self.read
                .extend(sentences(&text).into_iter().map(|t| (cite, t)));
        }
    }

    /// Every sentence.
    fn all(mut self) -> Vec<(Cite, String)> {
        self.read_to(usize::MAX);
        self.read
    }
}

/// Why the Ombudsman did not investigate or stopped, when `sentence` says it in words a
/// sure rule restates.
fn reason(sentence: &str, src: &Source<'_>) -> Option<String> {
    // Most sentences give no reason: one pass over them with every pattern at once says
    // so, instead of one pass a pattern.
    if !REASONS.is_match(sentence) || is_a_claim(sentence) {
        return None;
    }
    let person = src.person_label();
    let org = src.org;
    let s = sentence;
    let clause = if REMEDIED.is_match(s) {
        let by = BY_DOING
            .captures(s)
            .map(|c| format!(" {}", lower_first(tidy(&c[1]).trim_end_matches('.'))))
            .unwrap_or_default();
        format!("{org} had already put things right{by}")
    } else if LATE.is_match(s) {
        "the complaint was made too late".to_string()
    } else if let Some(m) = COURT_STARTED.find(s) {
        // "the Council has started court proceedings against Mr X": the council's case.
        let before = s[..m.start()].to_lowercase();
        if ["council", "authority", "trust", "provider"]
            .iter()
            .any(|b| before.contains(b))
        {
            format!("{org} had taken the matter to court")
        } else {
            format!("{person} had taken the matter to court")
        }
    } else if COURT_DONE.is_match(s) {
        "a court has dealt with the matter".to_string()
    } else if let Some(c) = COURT_APPEAL.captures(s) {
        let court = c[1].to_lowercase().replace('\'', "’");
        format!("{person} {} to the {court}", appeal_verb(s))
    } else if let Some(c) = TRIBUNAL.captures(s) {
        let the = c[0].to_lowercase().contains("the tribunal");
        let body = c.get(1).map_or_else(
            || if the { "the Tribunal" } else { "a tribunal" }.to_string(),
            |m| format!("the {}", m.as_str()),
        );
        format!("{person} {} to {body}", appeal_verb(s))
    } else if COURT_INSTEAD.is_match(s) {
        format!("{person} could take the matter to court")
    } else if PREMATURE.is_match(s) {
        format!("{org} had not yet had the chance to respond to the complaint")
    } else if JURISDICTION.is_match(s) {
        "the law does not let the Ombudsman look at this kind of complaint".to_string()
    } else if NO_FAULT.is_match(s) {
        format!("there was not enough sign of fault by {org}")
    } else if NOTHING_MORE.is_match(s) {
        "an investigation would not achieve anything more".to_string()
    } else {
        return None;
    };
    Some(clause)
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// "had appealed" when the person already has, else "could appeal".
fn appeal_verb(sentence: &str) -> &'static str {
    if APPEALED.is_match(sentence) {
        "had appealed"
    } else {
        "could appeal"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(outcome: &str, summary: &str, body: &str) -> Reading {
        let text = format!(
            "+++\nreference = \"21 019 020\"\ncouncil = \"Kent County Council\"\noutcome = \"{outcome}\"\nsummary = \"{summary}\"\n+++\n{body}"
        );
        let d = crate::content::load::parse_decision(std::path::Path::new("t.md"), &text)
            .expect("valid test decision");
        read(&Source::new(&d))
    }

    #[test]
    fn can_read_each_reason_not_to_investigate() {
        for (summary, clause) in [
            ("We will not investigate. This is because the complaint is late.", "the complaint was made too late"),
            ("We will not investigate Mr X’s complaint. This is because he can appeal to a tribunal.", "Mr X could appeal to a tribunal"),
            ("We will not investigate Mr X’s complaint. This is because he can appeal to the magistrates’ court.", "Mr X could appeal to the magistrates’ court"),
            ("We will not investigate Mr X’s complaint. This is because he has appealed to the Tribunal.", "Mr X had appealed to the Tribunal"),
            ("We will not investigate. It is reasonable to expect Mr X to go to court.", "Mr X could take the matter to court"),
            ("We will not investigate. There is not enough evidence of fault by the Council.", "there was not enough sign of fault by the council"),
            ("We will not investigate. An investigation would not achieve anything more.", "an investigation would not achieve anything more"),
            ("We will not investigate. The Council has not yet had the chance to respond.", "the council had not yet had the chance to respond to the complaint"),
            ("We cannot investigate Mr X’s complaint. It is outside our jurisdiction.", "the law does not let the Ombudsman look at this kind of complaint"),
        ] {
            let r = reading("Closed after initial enquiries", summary, "## The complaint\n\n1. Mr X complains.\n");
            assert_eq!(r.course, Course::NotInvestigated, "{summary}");
            assert_eq!(r.cite, Cite::Summary);
            assert_eq!(r.reason.map(|r| r.clause).as_deref(), Some(clause), "{summary}");
        }
    }

    #[test]
    fn can_tell_a_complaint_already_put_right() {
        let r = reading(
            "Upheld",
            "We will not investigate this complaint. This is because the Council has already remedied the injustice by apologising and paying Mr X £100.",
            "",
        );
        assert_eq!(r.course, Course::AlreadyPutRight);
        assert_eq!(
            r.reason.map(|r| r.clause).as_deref(),
            Some("the council had already put things right by apologising and paying Mr X £100")
        );
    }

    #[test]
    fn can_tell_a_stopped_investigation_from_a_finished_one() {
        let r = reading("Not upheld", "We have discontinued our investigation. There is not enough evidence of fault to justify continuing.", "");
        assert_eq!(r.course, Course::Stopped);
        let r = reading("Not upheld", "We found no fault.", "## Final decision\n\n4. I have completed my investigation. The Council was not at fault.\n");
        assert_eq!(r.course, Course::Investigated);
        assert_eq!(r.cite, Cite::Paragraph(4));
    }

    #[test]
    fn can_ignore_what_the_ombudsman_can_do_in_general() {
        let r = reading(
            "Not upheld",
            "",
            "## The Ombudsman’s role and powers\n\n1. We cannot investigate late complaints.\n",
        );
        assert_eq!(r.course, Course::Unknown);
    }
}
