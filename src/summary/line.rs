//! One sentence of a summary and where it comes from: every statement about the
//! investigation, fault, injustice and remedies points at the paragraph or the sentence of
//! the Ombudsman's summary that says it.

use serde::Serialize;

/// What a sentence of a summary is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum About {
    /// What the complaint was.
    Complaint,
    /// Whether the Ombudsman investigated, and why not.
    Investigation,
    /// Whether there was fault.
    Fault,
    /// Whether the fault caused an injustice.
    Injustice,
    /// What the organisation did or will do, with deadlines.
    Remedy,
    /// How the case was recorded (the `Decision :` line).
    Outcome,
    /// About this copy of the decision, or a word explained: no claim about the case.
    Note,
}

impl About {
    /// True for the statements that must point at their source: investigation, fault,
    /// injustice and remedies (with their deadlines).
    pub fn is_claim(self) -> bool {
        matches!(
            self,
            About::Investigation | About::Fault | About::Injustice | About::Remedy
        )
    }
}

/// Where a sentence comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Cite {
    /// Nothing: a note, or (a fault the check reports) a claim with no source.
    #[default]
    None,
    /// A numbered paragraph of the decision (`#p27`).
    Paragraph(u32),
    /// The Ombudsman's own summary.
    Summary,
    /// The page's `Decision :` line.
    Outcome,
}

/// One sentence of a summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// The sentence.
    pub text: String,
    /// What it is about.
    pub about: About,
    /// The paragraph it comes from, for a link such as `#p27`.
    pub paragraph: Option<u32>,
    /// True when it comes from the Ombudsman's own summary.
    pub from_summary: bool,
    /// True when it comes from the page's `Decision :` line.
    pub from_outcome: bool,
}

impl Line {
    /// A sentence about `about`, from `cite`.
    pub fn new(text: impl Into<String>, about: About, cite: Cite) -> Self {
        Self {
            text: text.into(),
            about,
            paragraph: match cite {
                Cite::Paragraph(n) => Some(n),
                _ => None,
            },
            from_summary: cite == Cite::Summary,
            from_outcome: cite == Cite::Outcome,
        }
    }

    /// A sentence that makes no claim about the case.
    pub fn note(text: impl Into<String>) -> Self {
        Self::new(text, About::Note, Cite::None)
    }

    /// Where it comes from.
    pub fn cite(&self) -> Cite {
        match (self.paragraph, self.from_summary, self.from_outcome) {
            (Some(n), _, _) => Cite::Paragraph(n),
            (None, true, _) => Cite::Summary,
            (None, false, true) => Cite::Outcome,
            _ => Cite::None,
        }
    }

    /// True when it names its source.
    pub fn is_sourced(&self) -> bool {
        self.cite() != Cite::None
    }
}

/// `lines` joined as one text.
pub fn join(lines: &[Line]) -> String {
    lines
        .iter()
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_say_where_a_line_comes_from() {
        let l = Line::new("It was late.", About::Investigation, Cite::Paragraph(7));
        assert_eq!(l.cite(), Cite::Paragraph(7));
        assert!(l.is_sourced());
        assert!(!Line::note("This copy is not complete.").is_sourced());
        assert!(!About::Note.is_claim() && About::Remedy.is_claim());
        assert_eq!(join(&[Line::note("A."), Line::note("B.")]), "A. B.");
    }
}
