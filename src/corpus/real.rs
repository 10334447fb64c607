//! The real-sized synthetic page: as long as the Ombudsman's decisions (the seeds are 1,682
//! to 3,213 words in 34 to 75 paragraphs and items), with their sections, sub-headings,
//! bullet lists, paragraph references, remedies and payments.
//!
//! A page draws its number of paragraphs (25 to 60) and of words (1,500 to 3,500) first,
//! then fills each section's paragraphs from that section's sentences until the paragraph
//! has its share of the words. A Zipf-like tail of rare words (places, schools, officers'
//! roles made of syllables) keeps the vocabulary growing with the corpus as a real one does.

use super::{
    bullet_line, heading_text, paragraph_line, signature, RawPage, Rng, AMOUNTS, BANNER,
    CATEGORIES, COUNCILS, DEADLINES, MONTHS, PEOPLE,
};

/// Fewest and most numbered paragraphs in a page.
pub const PARAGRAPHS: (usize, usize) = (25, 60);
/// Fewest and most words in a page's decision text.
pub const WORDS: (usize, usize) = (1_500, 3_500);

const TOPICS: &[&str] = &[
    "a care package for her mother",
    "school transport for his son",
    "council tax arrears",
    "a homelessness application",
    "repairs to a council flat",
    "a parking penalty charge",
    "an education, health and care plan",
    "noise from a neighbouring business",
    "a child in need plan for her children",
    "direct payments for his care",
    "charges for residential care",
    "a planning application next to their home",
];

const COMPLAINT: &[&str] = &[
    "{person} complains the Council delayed dealing with {topic} and did not keep them informed.",
    "{person} also says the Council did not respond to emails and telephone calls between {month} and the end of {year}.",
    "{person} says this caused distress, frustration and uncertainty, and the time and trouble of pursuing the complaint.",
    "{person} wants the Council to apologise, to pay for the costs incurred and to change how it deals with similar cases.",
];

const ROLE: &[&str] = &[
    "We investigate complaints about ‘maladministration’ and ‘service failure’. In this statement, I have used the word fault to refer to these. We must also consider whether any fault has had an adverse impact on the person making the complaint. I refer to this as ‘injustice’. If there has been fault which has caused an injustice, we may suggest a remedy. (Local Government Act 1974, sections 26(1) and 26A(1), as amended)",
    "If we are satisfied with an organisation’s actions or proposed actions, we can complete our investigation and issue a decision statement. (Local Government Act 1974, section 30(1B) and 34H(i), as amended)",
    "We consider whether there was fault in the way an organisation made its decision. If there was no fault in the decision making, we cannot question the outcome. (Local Government Act 1974, section 34(3), as amended)",
    "We cannot investigate late complaints unless we decide there are good reasons. Late complaints are when someone takes more than 12 months to complain to us about something a council has done. (Local Government Act 1974, sections 26B and 34D, as amended)",
    "The law says we cannot normally investigate a complaint when someone can appeal to a tribunal. However, we may decide to investigate if we consider it would be unreasonable to expect the person to appeal. (Local Government Act 1974, section 26(6)(a), as amended)",
];

const CONSIDERED: &[&str] = &[
    "I spoke to {person} about the complaint and considered the information {person} provided.",
    "I made enquiries of the Council and considered its comments and the documents it provided, including the case notes and its correspondence with {person}.",
    "I considered the Council’s policies and the relevant law and guidance, which I refer to where relevant.",
    "{person} and the Council had an opportunity to comment on my draft decision. I considered any comments received before making a final decision.",
];

const LAW: &[&str] = &[
    "The {guidance} says the Council should assess a person’s needs and decide which of them it must meet.",
    "The Council’s policy says it will reply to a complaint at stage one within 20 working days, and at stage two within 65 working days.",
    "The guidance says the Council should review the plan at least every three months and involve the family in each review.",
    "Where a council decides not to meet a need, it must give written reasons for its decision and explain how the person can challenge it.",
    "The Council’s procedures say a social worker should record each visit within two working days and share the record with the manager.",
    "The {guidance} says councils should act without delay, and in any case within the timescales it sets out.",
    "Councils have a duty to provide suitable alternative education where a child cannot attend school because of illness or exclusion.",
    "The law says the Council must keep a written record of its decision and the reasons for it.",
];

const HAPPENED: &[&str] = &[
    "In {month} {year}, {person} asked the Council for help with {topic}.",
    "On {day} {month} {year}, the {officer} visited the family at home and recorded the visit in the case notes the next day.",
    "The Council carried out an assessment and wrote to {person} with its decision on {day} {month}.",
    "{person} was unhappy with the decision and complained to the Council on {day} {month}.",
    "The Council replied at stage one of its complaints procedure and did not uphold the complaint.",
    "{person} asked the Council to consider the complaint at stage two. The Council did not reply for {weeks} weeks.",
    "The case notes show the {officer} spoke to {person} by telephone and agreed to send a copy of the plan, but there is no record it did so.",
    "A meeting took place at {place} on {day} {month}. The minutes record that {person} raised concerns about the delay and the lack of contact.",
    "The Council says it was short of staff at the time and that the {officer} had a high number of cases.",
    "In its response to my enquiries, the Council accepted it should have told {person} about the delay and apologised for not doing so.",
    "{person} chased the Council on {day} {month} and again {weeks} days later. The Council acknowledged the emails but did not answer the questions in them.",
    "The Council’s records include a letter from {place} dated {day} {month} {year}, which says the support had not started.",
    "The Council reviewed the plan in {month}. The review recorded that the actions agreed at the last meeting were still outstanding.",
    "{person} provided copies of receipts for the costs incurred while the Council considered the request, totalling £{amount}.",
];

const FINDINGS_FAULT: &[&str] = &[
    "The Council did not follow its own timescales, and it has not given a good reason for the delay. This was fault.",
    "There is no record the Council told {person} about the delay or what would happen next. That was also fault.",
    "I cannot say what the outcome would have been without the fault, but {person} has been left with uncertainty about whether it would have been different.",
    "The fault caused {person} an injustice: avoidable distress and frustration, and the time and trouble of pursuing the complaint.",
    "The Council has accepted the findings of its own stage two investigation, and I have no reason to depart from them.",
];

const FINDINGS_NONE: &[&str] = &[
    "The Council considered the relevant information and explained its decision. There was no fault in how it reached its decision.",
    "I understand {person} disagrees with the decision, but it is not for me to question a decision the Council made without fault.",
    "The records show the Council kept {person} informed and replied to the complaint within its timescales.",
    "The Council properly considered the evidence from {place} before it made its decision.",
];

const CLOSED: &[&str] = &[
    "The law says we cannot normally investigate a complaint when someone could appeal to a tribunal. I consider it was reasonable for {person} to appeal.",
    "The tribunal is the right body to decide what support should be provided, and it can order the Council to act.",
    "It is unlikely an investigation would lead to a different outcome or achieve more than the Council has already done.",
];

const GUIDANCE: &[&str] = &[
    "Care and Support Statutory Guidance",
    "statutory guidance ‘Working together to safeguard children 2018’",
    "Homelessness Code of Guidance for Local Authorities",
    "SEND Code of Practice",
    "Council’s complaints procedure",
];

const OFFICERS: &[&str] = &[
    "social worker",
    "housing officer",
    "case officer",
    "team manager",
    "SEN officer",
    "planning officer",
];

const PLACES: &[&str] = &["School", "Road", "Centre", "Court", "House", "Lodge"];
const SYLLABLES: &[&str] = &[
    "ash", "bel", "cot", "dor", "el", "fen", "gar", "hol", "ing", "ker", "lin", "mer", "nor",
    "ock", "pen", "rid", "sel", "thorn", "ul", "ver", "wick", "ford", "ley", "ton",
];

/// Page `i` of the real-sized corpus.
pub fn page(i: usize) -> RawPage {
    let mut rng = Rng::new(i as u64 ^ 0x0BD5_CA5E_2024);
    let year = 2015 + rng.below(11);
    let reference = super::reference(year, i);
    let council = rng.pick(COUNCILS);
    let (category, subs) = CATEGORIES[rng.below(CATEGORIES.len())];
    let subcategory = rng.pick(subs);
    let outcome = match rng.below(10) {
        0..=4 => "Upheld",
        5..=7 => "Not upheld",
        _ => "Closed after initial enquiries",
    };
    let paragraphs = PARAGRAPHS.0 + rng.below(PARAGRAPHS.1 - PARAGRAPHS.0 + 1);
    // Longer decisions have more paragraphs, as in the seeds, with a spread either side.
    let span = WORDS.1 - WORDS.0;
    let share = (paragraphs - PARAGRAPHS.0) * span / (PARAGRAPHS.1 - PARAGRAPHS.0);
    // Aim inside the range by a margin: a paragraph ends at a sentence's end.
    let words = WORDS.0 + 80 + (share * 3 + rng.below(span + 1)) / 4 * (span - 160) / span;
    let mut w = Writer {
        numbered: rng.below(3) != 0,
        person: rng.pick(PEOPLE),
        topic: rng.pick(TOPICS),
        month: rng.pick(MONTHS),
        year,
        rng,
        words,
        written: 0,
        flexible: 0,
        closing: if outcome == "Upheld" { 110 } else { 20 },
        out: String::new(),
        in_section: 0,
        number: 0,
        started: false,
    };
    let with_meta = w.rng.below(20) != 0;
    if w.rng.below(10) == 0 {
        w.out.push_str(BANNER);
        w.out.push('\n');
    }
    let gap = if w.numbered { "\n" } else { "" };
    w.out.push_str(&format!("{council} ({reference})\n{gap}"));
    if with_meta {
        w.out.push_str(&format!(
            "Category : {category} > {subcategory}\n{gap}Decision : {outcome}\n{gap}\
             Decision date : {:02} {} {}\n{gap}",
            1 + w.rng.below(28),
            w.month,
            year + 1
        ));
    }
    w.out
        .push_str(&format!("The Ombudsman's final decision:\n{gap}"));
    let summary = summary(outcome, w.person, w.topic);
    w.out.push_str(&format!("Summary: {summary}\n"));
    w.body(outcome, paragraphs);
    RawPage {
        file_name: format!("{i:06}_synthetic.txt"),
        text: w.out,
    }
}

fn summary(outcome: &str, person: &str, topic: &str) -> String {
    match outcome {
        "Upheld" => format!("{person} complained about how the Council dealt with {topic}. The Council was at fault because it delayed its decision and did not keep {person} informed. This caused {person} avoidable distress and uncertainty. The Council has agreed to apologise, make a payment and improve its procedures."),
        "Not upheld" => format!("{person} complained about how the Council dealt with {topic}. We found no fault in how the Council made its decision, so we have completed our investigation."),
        _ => format!("We will not investigate {person}’s complaint about {topic}. This is because {person} could have appealed to a tribunal, and it was reasonable to expect them to do so."),
    }
}

/// The page being written, with what its paragraphs need.
struct Writer<'a> {
    rng: Rng,
    numbered: bool,
    person: &'a str,
    topic: &'a str,
    month: &'a str,
    year: usize,
    /// Words the decision text should have.
    words: usize,
    /// Words written so far.
    written: usize,
    /// Paragraphs still to fill to a share of the words.
    flexible: usize,
    /// Words kept back for the closing sections.
    closing: usize,
    out: String,
    in_section: usize,
    number: usize,
    started: bool,
}

impl Writer<'_> {
    /// A rare proper name: common ones often, a long tail of others once or twice.
    fn place(&mut self) -> String {
        let u = (self.rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let id = (200_000f64.powf(u) - 1.0) as usize;
        let mut x = id * 2_654_435_761 + 7;
        let mut name = String::new();
        for _ in 0..2 + id % 2 {
            name.push_str(SYLLABLES[x % SYLLABLES.len()]);
            x /= SYLLABLES.len();
        }
        let mut chars = name.chars();
        let first = chars.next().map(|c| c.to_ascii_uppercase()).unwrap_or('A');
        format!("{first}{} {}", chars.as_str(), PLACES[id % PLACES.len()])
    }

    fn fill(&mut self, template: &str) -> String {
        let mut out = template
            .replace("{person}", self.person)
            .replace("{topic}", self.topic)
            .replace("{month}", MONTHS[self.rng.below(MONTHS.len())])
            .replace("{year}", &(self.year - self.rng.below(2)).to_string())
            .replace("{weeks}", &(3 + self.rng.below(20)).to_string())
            .replace("{day}", &(1 + self.rng.below(28)).to_string())
            .replace("{amount}", &(20 + self.rng.below(900)).to_string())
            .replace("{officer}", self.rng.pick(OFFICERS))
            .replace("{guidance}", self.rng.pick(GUIDANCE));
        if out.contains("{place}") {
            let place = self.place();
            out = out.replace("{place}", &place);
        }
        out
    }

    /// A paragraph from `pool`, starting at a random sentence, with its share of the words
    /// still to write (the closing sections' words are kept back).
    fn text(&mut self, pool: &[&str]) -> String {
        let left = self.words.saturating_sub(self.written + self.closing);
        let share = left / self.flexible.max(1);
        self.flexible = self.flexible.saturating_sub(1);
        let mut text = String::new();
        let mut count = 0;
        let mut at = self.rng.below(pool.len());
        loop {
            let s = self.fill(pool[at % pool.len()]);
            let n = s.split_whitespace().count();
            // Stop at the sentence boundary nearest the share (at least one sentence).
            if count > 0 && count + n / 2 > share {
                break;
            }
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(&s);
            count += n;
            at += 1 + self.rng.below(2);
        }
        text
    }

    fn heading(&mut self, text: &str) {
        self.written += text.split_whitespace().count();
        if self.numbered && self.started {
            self.out.push_str("\nBack to top\n");
        }
        self.out.push_str(&heading_text(self.numbered, text));
        self.started = true;
        self.in_section = 0;
    }

    /// A sub-heading inside a section: no "Back to top" before it.
    fn subheading(&mut self, text: &str) {
        self.written += text.split_whitespace().count();
        self.out.push_str(&heading_text(self.numbered, text));
    }

    fn paragraph(&mut self, text: &str) {
        self.written += text.split_whitespace().count();
        self.in_section += 1;
        self.number += 1;
        self.out
            .push_str(&paragraph_line(self.numbered, self.in_section, text));
    }

    fn bullets(&mut self, items: &[String]) {
        for item in items {
            self.written += item.split_whitespace().count();
            self.out.push_str(&bullet_line(self.numbered, item));
        }
    }

    fn paragraphs(&mut self, pool: &[&str], count: usize) {
        for _ in 0..count {
            let p = self.text(pool);
            self.paragraph(&p);
        }
    }

    /// The sections of the decision, `total` paragraphs in all.
    fn body(&mut self, outcome: &str, total: usize) {
        let complaint = 2 + self.rng.below(2);
        let role = 2 + self.rng.below(3);
        // Paragraphs left for the law, the events and the findings, after the closing
        // sections (agreed action: 2, final decision: 1).
        let closing = if outcome == "Upheld" { 3 } else { 1 };
        let used = complaint + role + CONSIDERED.len() + closing;
        let left = total.saturating_sub(used).max(6);
        let law = 2 + left / 6;
        let findings = 2 + left / 6;
        let happened = left - law - findings;
        // Paragraphs filled to a share of the words; the list paragraph and the cited one
        // are written as they are.
        self.flexible = complaint + law + happened + findings - 2;
        self.heading("The complaint");
        self.paragraphs(COMPLAINT, complaint);
        self.heading("The Ombudsman’s role and powers");
        for text in &ROLE[..role] {
            self.paragraph(text);
        }
        self.heading("How I considered this complaint");
        for template in CONSIDERED {
            let p = self.fill(template);
            self.paragraph(&p);
        }
        self.heading("What I found");
        self.subheading("Relevant law and guidance");
        self.paragraphs(LAW, law);
        let first_event = self.number + 1;
        self.what_happened(happened);
        self.findings(outcome, findings, first_event);
        self.out.push_str(signature(self.numbered));
    }

    /// "What happened": `happened` paragraphs of events, one of them a list.
    fn what_happened(&mut self, happened: usize) {
        self.subheading("What happened");
        let list_at = self.rng.below(happened);
        for k in 0..happened {
            if k == list_at {
                self.paragraph("The Council’s records show it considered the following:");
                let items = vec![
                    self.fill("the assessment of {person}’s needs and the {officer}’s notes;"),
                    "the views of the family and of the professionals involved;".to_string(),
                    self.fill("the letter from {place}; and"),
                    "the relevant law and guidance.".to_string(),
                ];
                self.bullets(&items);
            } else {
                let p = self.text(HAPPENED);
                self.paragraph(&p);
            }
        }
    }

    /// "My findings" (`findings` paragraphs, the first citing the events from
    /// `first_event`), the agreed action of an upheld complaint, and the final decision.
    fn findings(&mut self, outcome: &str, findings: usize, first_event: usize) {
        self.subheading("My findings");
        let cite = format!(
            "As set out in paragraphs {} and {}, the Council did not act within the timescales it had set.",
            first_event,
            first_event + 1
        );
        match outcome {
            "Upheld" => {
                self.paragraph(&format!("{cite} This was fault."));
                self.paragraphs(FINDINGS_FAULT, findings - 1);
                self.agreed_action();
                self.heading("Final decision");
                self.paragraph("I find fault causing injustice. I have completed my investigation on the basis that the Council has agreed to the actions above.");
            }
            "Not upheld" => {
                self.paragraph(&format!("{cite} The Council has explained why, and the delay did not affect its decision."));
                self.paragraphs(FINDINGS_NONE, findings - 1);
                self.heading("Final decision");
                self.paragraph(
                    "I have completed my investigation. There was no fault by the Council.",
                );
            }
            _ => {
                self.paragraph(&format!(
                    "{cite} That is a matter the tribunal can consider."
                ));
                self.paragraphs(CLOSED, findings - 1);
                self.heading("Final decision");
                self.paragraph("We will not investigate this complaint. This is because the complainant could have appealed to a tribunal.");
            }
        }
    }

    /// The remedies: an apology, one to three payments and some service improvements.
    fn agreed_action(&mut self) {
        self.heading("Agreed action");
        let deadline = self.rng.pick(DEADLINES);
        self.paragraph(&format!(
            "{deadline} of my final decision, the Council has agreed to:"
        ));
        let person = self.person;
        let mut items = vec![format!(
            "apologise to {person} in writing for the faults identified in this statement;"
        )];
        let reasons = [
            "to recognise the distress and uncertainty caused",
            "for the time and trouble of pursuing the complaint",
            "to reimburse the costs incurred while it delayed",
        ];
        for reason in &reasons[..1 + self.rng.below(3)] {
            let amount = AMOUNTS[self.rng.below(AMOUNTS.len())];
            items.push(format!("pay {person} £{amount} {reason};"));
        }
        if self.rng.below(2) == 0 {
            items.push("review its procedures so that complaints are answered within the timescales it has set;".to_string());
        }
        if self.rng.below(2) == 0 {
            items.push(
                "provide training to staff on keeping proper records of visits and decisions; and"
                    .to_string(),
            );
        }
        items.push("remind staff of the timescales in its complaints procedure.".to_string());
        self.bullets(&items);
        self.paragraph(
            "The Council will provide us with evidence it has complied with the above actions.",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decision::{Field, RemedyKind};
    use crate::import::import_text;
    use std::path::Path;

    /// Words of a Markdown body, not counting list numbers, bullets and heading marks.
    fn words(text: &str) -> usize {
        text.split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .filter(|w| {
                w.strip_suffix('.')
                    .is_none_or(|n| n.parse::<usize>().is_err())
            })
            .count()
    }

    #[test]
    fn can_make_pages_as_long_as_real_decisions() {
        let mut lengths = Vec::new();
        for i in 0..300 {
            let p = page(i);
            let d = import_text(Path::new(&p.file_name), &p.text, "00")
                .expect("imports")
                .decision;
            let numbered = d
                .body
                .lines()
                .filter(|l| {
                    l.split_once(". ")
                        .is_some_and(|(n, _)| n.parse::<usize>().is_ok())
                })
                .count();
            assert!(
                (PARAGRAPHS.0..=PARAGRAPHS.1).contains(&numbered),
                "page {i}: {numbered} paragraphs"
            );
            let n = words(&d.body);
            assert!((WORDS.0..=WORDS.1).contains(&n), "page {i}: {n} words");
            lengths.push(n);
        }
        lengths.sort_unstable();
        // Spread over the range, not bunched at one end.
        assert!(lengths[30] < 2_100 && lengths[270] > 2_700, "{lengths:?}");
    }

    #[test]
    fn can_make_the_remedies_and_payments_of_upheld_decisions() {
        let mut payments = 0;
        let mut upheld = 0;
        let mut flattened = 0;
        for i in 0..200 {
            let p = page(i);
            let d = import_text(Path::new(&p.file_name), &p.text, "00")
                .expect("imports")
                .decision;
            if d.is_inferred(Field::ParagraphNumbers) {
                flattened += 1;
            }
            if !p.text.contains("Agreed action") {
                continue;
            }
            upheld += 1;
            assert!(
                d.remedies.iter().any(|r| r.kind == RemedyKind::Apology),
                "page {i}: {:?}",
                d.remedies
            );
            let paid = d
                .remedies
                .iter()
                .filter(|r| r.kind == RemedyKind::Payment && r.amount.is_some())
                .count();
            assert!(paid >= 1, "page {i}: {:?}", d.remedies);
            payments += paid;
        }
        assert!(upheld > 60, "{upheld} upheld");
        assert!(payments > upheld, "some pay more than once: {payments}");
        assert!(
            flattened > 30 && flattened < 120,
            "both layouts: {flattened}"
        );
    }

    #[test]
    fn can_cite_paragraphs_that_exist() {
        for i in 0..50 {
            let p = page(i);
            let d = import_text(Path::new(&p.file_name), &p.text, "00")
                .expect("imports")
                .decision;
            let cited = d.body.find("As set out in paragraphs ").expect("cites");
            let rest = &d.body[cited + 25..];
            let n: usize = rest
                .split_whitespace()
                .next()
                .and_then(|n| n.parse().ok())
                .expect("a number");
            assert!(
                d.body.contains(&format!("\n{n}. ")),
                "page {i}: paragraph {n}"
            );
        }
    }

    #[test]
    fn can_generate_the_same_page_twice() {
        assert_eq!(page(7).text, page(7).text);
        assert_ne!(page(7).text, page(8).text);
    }
}
