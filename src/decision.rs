//! The data model: one Ombudsman decision and the facts casebook knows about it.
//!
//! Types, serde and invariants only. Nothing here reads files, parses Markdown or renders
//! templates: `import` builds a [`Decision`] from a raw page, `content` stores it as a
//! front-matter Markdown file and loads it back, and everything downstream reads it.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One published decision of the Local Government and Social Care Ombudsman.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// The case reference as the Ombudsman writes it: `21 019 020`, `17 002 402b`.
    pub reference: Reference,
    /// The organisation complained about: usually a council, sometimes a care provider.
    pub council: String,
    /// The Ombudsman's category (`Children's care services`), when known.
    pub category: Option<String>,
    /// The subcategory (`Other`, `Child protection`), when known.
    pub subcategory: Option<String>,
    /// The outcome, when stated or inferred (see [`Decision::inferred`]).
    pub outcome: Option<Outcome>,
    /// The date of the final decision, when stated.
    pub decision_date: Option<NaiveDate>,
    /// The Ombudsman's own summary, verbatim.
    pub summary: Option<String>,
    /// An editor's plain-English summary; when present it replaces the generated one.
    pub plain_summary: Option<String>,
    /// The decision's page on the Ombudsman's website, when it can be derived.
    pub source_url: Option<String>,
    /// Every field the source page did not state and the importer inferred from the text.
    pub inferred: Vec<Field>,
    /// Whether fault and injustice were found.
    pub findings: Findings,
    /// What the organisation agreed to do, or had already done, to put things right.
    pub remedies: Vec<Remedy>,
    /// Where the decision came from.
    pub provenance: Option<Provenance>,
    /// Set when the copy of the page is incomplete: what is missing, in words
    /// ("no final decision; the text stops mid-sentence"). The summary then says nothing
    /// the missing part would hold.
    pub incomplete: Option<String>,
    /// The decision text as Markdown: `##` sections, `###` sub-headings, and paragraphs as
    /// an ordered list numbered continuously through the whole decision.
    pub body: String,
}

impl Decision {
    /// A decision with only its reference and organisation known: every other field empty.
    /// Fill the rest with struct update syntax (`Decision { outcome, ..Decision::new(r, c) }`).
    pub fn new(reference: Reference, council: impl Into<String>) -> Self {
        Self {
            reference,
            council: council.into(),
            category: None,
            subcategory: None,
            outcome: None,
            decision_date: None,
            summary: None,
            plain_summary: None,
            source_url: None,
            inferred: Vec::new(),
            findings: Findings::default(),
            remedies: Vec::new(),
            provenance: None,
            incomplete: None,
            body: String::new(),
        }
    }

    /// True when `field` was inferred by the importer rather than stated by the source.
    pub fn is_inferred(&self, field: Field) -> bool {
        self.inferred.contains(&field)
    }

    /// The year of the decision, when its date is known.
    pub fn year(&self) -> Option<i32> {
        use chrono::Datelike;
        self.decision_date.map(|d| d.year())
    }
}

/// A case reference: two digits of year, then two groups of three digits, and in joint
/// cases a letter suffix (`17 002 402b`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Reference(String);

impl Reference {
    /// Parses a reference written with spaces, dashes or nothing between the groups
    /// (`21 019 020`, `21-019-020`, `21019020`, `17 002 402b`).
    pub fn parse(text: &str) -> Option<Self> {
        let compact: String = text
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '\u{a0}'))
            .collect();
        let (digits, suffix) = match compact.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
            Some((i, _)) => compact.split_at(i),
            None => (compact.as_str(), ""),
        };
        let suffix_ok = suffix.is_empty()
            || (suffix.len() == 1 && suffix.chars().all(|c| c.is_ascii_alphabetic()));
        if digits.len() != 8 || !suffix_ok {
            return None;
        }
        Some(Self(format!(
            "{} {} {}{}",
            &digits[..2],
            &digits[2..5],
            &digits[5..],
            suffix.to_ascii_lowercase()
        )))
    }

    /// The reference as the Ombudsman writes it, with spaces.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The reference with dashes, as used in file names and URLs: `21-019-020`.
    pub fn slug(&self) -> String {
        self.0.replace(' ', "-")
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Reference {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Reference {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Reference::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{text}` is not a case reference; expected two digits, then two groups of \
                 three digits, and an optional letter, like \"21 019 020\" or \"17 002 402b\""
            ))
        })
    }
}

/// The three outcomes the Ombudsman's site shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// The Ombudsman found fault (the complaint was upheld).
    Upheld,
    /// The Ombudsman found no fault.
    NotUpheld,
    /// The Ombudsman decided not to investigate further after initial enquiries.
    ClosedAfterInitialEnquiries,
}

impl Outcome {
    /// Every outcome, in display order.
    pub const ALL: [Outcome; 3] = [
        Outcome::Upheld,
        Outcome::NotUpheld,
        Outcome::ClosedAfterInitialEnquiries,
    ];

    /// The label the Ombudsman uses: `Upheld`, `Not upheld`, `Closed after initial enquiries`.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Upheld => "Upheld",
            Outcome::NotUpheld => "Not upheld",
            Outcome::ClosedAfterInitialEnquiries => "Closed after initial enquiries",
        }
    }

    /// The URL slug: `upheld`, `not-upheld`, `closed-after-initial-enquiries`.
    pub fn slug(self) -> &'static str {
        match self {
            Outcome::Upheld => "upheld",
            Outcome::NotUpheld => "not-upheld",
            Outcome::ClosedAfterInitialEnquiries => "closed-after-initial-enquiries",
        }
    }

    /// Parses a label, case-insensitively and ignoring surrounding space.
    pub fn parse(text: &str) -> Option<Self> {
        let wanted = text.trim().to_lowercase();
        Outcome::ALL
            .into_iter()
            .find(|o| o.label().to_lowercase() == wanted)
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl Serialize for Outcome {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.label())
    }
}

impl<'de> Deserialize<'de> for Outcome {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Outcome::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown outcome `{text}`; expected \"Upheld\", \"Not upheld\" or \
                 \"Closed after initial enquiries\""
            ))
        })
    }
}

/// A field of a decision that can be inferred rather than stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The organisation's name.
    Council,
    /// The category.
    Category,
    /// The subcategory.
    Subcategory,
    /// The outcome.
    Outcome,
    /// The decision date.
    DecisionDate,
    /// The link to the original page.
    SourceUrl,
    /// The paragraph numbers: pages in the flattened `- ` layout carry none, so the
    /// importer reconstructs them.
    ParagraphNumbers,
}

impl Field {
    /// The field's name as written in front matter.
    pub fn name(self) -> &'static str {
        match self {
            Field::Council => "council",
            Field::Category => "category",
            Field::Subcategory => "subcategory",
            Field::Outcome => "outcome",
            Field::DecisionDate => "decision_date",
            Field::SourceUrl => "source_url",
            Field::ParagraphNumbers => "paragraph_numbers",
        }
    }
}

/// What the Ombudsman found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Findings {
    /// Whether the Ombudsman found fault; `None` when the text does not say.
    pub fault: Option<bool>,
    /// The paragraph that says so.
    pub fault_paragraph: Option<u32>,
    /// Whether the fault caused injustice; `None` when the text does not say.
    pub injustice: Option<bool>,
    /// The paragraph that says so.
    pub injustice_paragraph: Option<u32>,
}

/// The kind of a remedy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemedyKind {
    /// An apology.
    Apology,
    /// A payment.
    Payment,
    /// A change to procedures, or a reminder to staff about them.
    ProcedureChange,
    /// A review, reassessment or reconsideration.
    Review,
    /// Training for staff.
    Training,
    /// Anything else (evidence to the Ombudsman, a record placed on file, ...).
    Other,
}

impl RemedyKind {
    /// A short label for pages.
    pub fn label(self) -> &'static str {
        match self {
            RemedyKind::Apology => "Apology",
            RemedyKind::Payment => "Payment",
            RemedyKind::ProcedureChange => "Procedure change",
            RemedyKind::Review => "Review",
            RemedyKind::Training => "Training",
            RemedyKind::Other => "Other action",
        }
    }
}

/// One thing the organisation agreed to do (or had already done) to put things right.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Remedy {
    /// What kind of remedy it is.
    pub kind: RemedyKind,
    /// The Ombudsman's words for it, verbatim.
    pub text: String,
    /// The amount of a payment.
    pub amount: Option<Money>,
    /// Who receives it (`Mr X`), as the decision names them.
    pub to: Option<String>,
    /// The deadline as the decision words it (`within one month`).
    pub deadline: Option<String>,
    /// True when the decision says it was already done before the decision.
    #[serde(default)]
    pub already_done: bool,
    /// Whether the organisation took it on: agreed (the default, not written), only to
    /// consider or on a condition, or not agreed.
    #[serde(default, skip_serializing_if = "Commitment::is_agreed")]
    pub commitment: Commitment,
    /// The paragraph it comes from.
    pub paragraph: Option<u32>,
}

impl Remedy {
    /// Whether the organisation agreed to it (see [`Commitment`]): only these are shown
    /// as what it will do, and counted.
    pub fn is_agreed(&self) -> bool {
        self.commitment.is_agreed()
    }
}

/// Whether the organisation took a remedy on, as the decision says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Commitment {
    /// Agreed, or recommended with nothing said against it.
    #[default]
    Agreed,
    /// To be considered, or done only if something is so (`consider paying ...`, `if
    /// the review shows ...`): not a promise to do it.
    Conditional,
    /// The decision says the organisation did not agree to it (refused, declined, did
    /// not agree).
    NotAgreed,
    /// Recommended, and the decision says nowhere that the organisation agreed to a
    /// remedy or accepted the recommendations.
    Recommended,
}

impl Commitment {
    /// True for [`Commitment::Agreed`].
    pub fn is_agreed(&self) -> bool {
        *self == Commitment::Agreed
    }

    /// A short label for pages: none for an agreed remedy.
    pub fn label(self) -> Option<&'static str> {
        match self {
            Commitment::Agreed => None,
            Commitment::Conditional => Some("to consider, or only if a condition is met"),
            Commitment::NotAgreed => Some("recommended, not agreed"),
            Commitment::Recommended => Some("recommended; the decision does not say it was agreed"),
        }
    }
}

/// An amount of money in pence, written in front matter as pounds (`250` or `250.5`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money {
    /// The amount in pence.
    pub pence: u64,
}

impl Money {
    /// An amount of whole pounds.
    pub fn from_pounds(pounds: u64) -> Self {
        Self {
            pence: pounds * 100,
        }
    }

    /// Formats as the decision would: `£250`, `£1,250`, `£99.50`.
    pub fn display(self) -> String {
        let pounds = self.pence / 100;
        let pence = self.pence % 100;
        let digits = pounds.to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        if pence == 0 {
            format!("£{grouped}")
        } else {
            format!("£{grouped}.{pence:02}")
        }
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.pence.is_multiple_of(100) {
            s.serialize_u64(self.pence / 100)
        } else {
            #[allow(
                clippy::cast_precision_loss,
                reason = "amounts are far below 2^52 pence"
            )]
            s.serialize_f64(self.pence as f64 / 100.0)
        }
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let pounds = f64::deserialize(d)?;
        if !(0.0..1e12).contains(&pounds) {
            return Err(serde::de::Error::custom(format!(
                "amount {pounds} is out of range; expected a positive number of pounds"
            )));
        }
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "checked to be in 0..1e12 above"
        )]
        let pence = (pounds * 100.0).round() as u64;
        Ok(Money { pence })
    }
}

/// Where a decision came from, so a re-import knows whether anything changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// The file name of the raw page it was imported from.
    pub source_file: String,
    /// SHA-256 of the raw page's bytes.
    pub source_sha256: String,
    /// SHA-256 of the content file as the importer wrote it (without this line), so that a
    /// hand edit can be told from an untouched file.
    pub written_sha256: Option<String>,
}

/// How the digest's own words name an organisation (the summary's sentences, the decision
/// page's label). A company (`Ltd`, `Limited`, `LLP`,
/// `plc`, `CIC`) is the care provider whatever its name holds ("Borough Care Ltd"); a
/// trust is the trust; an NHS body (an integrated care board) is no care provider; a
/// council or a borough is the council; an authority that is not a council (a fire, park
/// or combined authority) is the authority.
pub fn organisation_noun(name: &str) -> &'static str {
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has = |w: &str| words.contains(&w);
    let company = ["ltd", "limited", "llp", "plc", "cic", "aka"]
        .iter()
        .any(|w| has(w));
    if company {
        "the care provider"
    } else if has("trust") {
        "the trust"
    } else if has("nhs")
        || lower.contains("integrated care board")
        || lower.contains("clinical commissioning")
    {
        "the NHS body"
    } else if has("council") || has("borough") {
        "the council"
    } else if has("authority") {
        "the authority"
    } else if ["care", "homes", "healthcare", "nursing"]
        .iter()
        .any(|w| has(w))
    {
        "the care provider"
    } else {
        "the organisation"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_name_organisations() {
        assert_eq!(organisation_noun("Kent County Council"), "the council");
        assert_eq!(
            organisation_noun("Sunrise Care Homes Ltd"),
            "the care provider"
        );
        assert_eq!(organisation_noun("Leeds NHS Trust"), "the trust");
        assert_eq!(
            organisation_noun("NHS Leeds Clinical Commissioning Group"),
            "the NHS body"
        );
        assert_eq!(
            organisation_noun("Sunrise Meadows Care Limited (AKA Sunrise Meadows)"),
            "the care provider"
        );
        assert_eq!(organisation_noun("Acme"), "the organisation");
        assert_eq!(organisation_noun("Borough Care Ltd"), "the care provider");
        assert_eq!(
            organisation_noun("Kent and Medway Integrated Care Board"),
            "the NHS body"
        );
        assert_eq!(
            organisation_noun("Royal Borough of Greenwich"),
            "the council"
        );
        assert_eq!(
            organisation_noun("London Fire and Emergency Planning Authority"),
            "the authority"
        );
        assert_eq!(organisation_noun("Ashdown Learning Trust"), "the trust");
        assert_eq!(
            organisation_noun("Meadowbank Nursing Home"),
            "the care provider"
        );
        assert_eq!(
            organisation_noun("Councillor Care Services"),
            "the care provider"
        );
    }

    #[test]
    fn can_parse_references_in_every_spelling() {
        for text in ["21 019 020", "21-019-020", "21019020", " 21 019 020 "] {
            let r = Reference::parse(text).expect("valid reference");
            assert_eq!(r.as_str(), "21 019 020");
            assert_eq!(r.slug(), "21-019-020");
        }
        let joint = Reference::parse("17 002 402B").expect("suffix");
        assert_eq!(joint.as_str(), "17 002 402b");
        assert_eq!(joint.slug(), "17-002-402b");
    }

    #[test]
    fn errors_on_malformed_references() {
        for text in [
            "",
            "21 019",
            "21 019 0200",
            "21 019 020bc",
            "ab 019 020",
            "21 019 02x",
        ] {
            assert!(
                Reference::parse(text).is_none(),
                "{text:?} should not parse"
            );
        }
    }

    #[test]
    fn can_round_trip_outcomes() {
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.label()), Some(o));
        }
        assert_eq!(Outcome::parse(" not UPHELD "), Some(Outcome::NotUpheld));
        assert_eq!(Outcome::parse("Partly upheld"), None);
    }

    #[test]
    fn can_format_money_like_the_decisions() {
        assert_eq!(Money::from_pounds(250).display(), "£250");
        assert_eq!(Money::from_pounds(1250).display(), "£1,250");
        assert_eq!(Money { pence: 9950 }.display(), "£99.50");
        assert_eq!(Money::from_pounds(1_000_000).display(), "£1,000,000");
    }
}
