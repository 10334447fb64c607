//! The small synthetic page (about 3 KB of text): the corpus of earlier benchmarks, kept
//! for quick load tests (`corpus --small`).

use super::{
    bullet_line, heading_text, paragraph_line, signature, RawPage, Rng, AMOUNTS, BANNER,
    CATEGORIES, COUNCILS, DEADLINES, MONTHS, PEOPLE,
};

const BACKGROUND: &[&str] = &[
    "In {month} {year}, {person} asked the Council for help with {topic}.",
    "The Council carried out an assessment and wrote to {person} with its decision.",
    "{person} was unhappy with the decision and made a complaint to the Council.",
    "The Council replied at stage one of its complaints procedure and did not uphold the complaint.",
    "{person} asked the Council to consider the complaint at stage two. The Council did not reply for {weeks} weeks.",
    "The Council’s policy says it will reply to a complaint within 20 working days.",
    "The case notes show the officer visited the family on {day} {month} and recorded the visit the next day.",
    "The guidance says the Council should review the plan at least every three months.",
];

const TOPICS: &[&str] = &[
    "a care package for her mother",
    "school transport for his son",
    "council tax arrears",
    "a homelessness application",
    "repairs to a council flat",
    "a parking penalty charge",
    "an education, health and care plan",
    "noise from a neighbouring business",
];

/// Page `i` of the small corpus.
pub fn page(i: usize) -> RawPage {
    let mut rng = Rng::new(i as u64 ^ 0x5EED_CA5E);
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
    let day = 1 + rng.below(28);
    let month = rng.pick(MONTHS);
    let person = rng.pick(PEOPLE);
    let topic = rng.pick(TOPICS);
    let numbered = rng.below(3) != 0;
    let with_meta = rng.below(20) != 0;
    let mut ctx = Ctx {
        rng,
        numbered,
        person,
        topic,
        month,
        year,
        out: String::new(),
        in_section: 0,
        number: 0,
    };

    if ctx.rng.below(10) == 0 {
        ctx.out.push_str(BANNER);
        ctx.out.push('\n');
    }
    ctx.out.push_str(&format!("{council} ({reference})\n"));
    let gap = if numbered { "\n" } else { "" };
    if with_meta {
        ctx.out.push_str(&format!(
            "{gap}Category : {category} > {subcategory}\n{gap}"
        ));
        ctx.out.push_str(&format!("Decision : {outcome}\n{gap}"));
        ctx.out.push_str(&format!(
            "Decision date : {day:02} {month} {}\n{gap}",
            year + 1
        ));
    }
    ctx.out
        .push_str(&format!("The Ombudsman's final decision:\n{gap}"));
    ctx.out
        .push_str(&format!("Summary: {}\n", summary(outcome, person, topic)));
    ctx.body(outcome);
    RawPage {
        file_name: format!("{i:06}_synthetic.txt"),
        text: ctx.out,
    }
}

fn summary(outcome: &str, person: &str, topic: &str) -> String {
    match outcome {
        "Upheld" => format!("{person} complained about how the Council dealt with {topic}. The Council was at fault because it delayed its decision. This caused {person} avoidable distress. The Council has agreed to apologise and make a payment."),
        "Not upheld" => format!("{person} complained about how the Council dealt with {topic}. We found no fault in how the Council made its decision."),
        _ => format!("We will not investigate {person}’s complaint about {topic}. This is because {person} could have appealed to a tribunal, and it was reasonable to expect them to do so."),
    }
}

struct Ctx<'a> {
    rng: Rng,
    numbered: bool,
    person: &'a str,
    topic: &'a str,
    month: &'a str,
    year: usize,
    out: String,
    in_section: usize,
    number: usize,
}

impl Ctx<'_> {
    fn fill(&mut self, template: &str) -> String {
        let weeks = 3 + self.rng.below(20);
        let day = 1 + self.rng.below(28);
        template
            .replace("{person}", self.person)
            .replace("{topic}", self.topic)
            .replace("{month}", self.month)
            .replace("{year}", &self.year.to_string())
            .replace("{weeks}", &weeks.to_string())
            .replace("{day}", &day.to_string())
    }

    fn heading(&mut self, text: &str) {
        if self.numbered && self.number > 0 {
            self.out.push_str("\nBack to top\n");
        }
        self.out.push_str(&heading_text(self.numbered, text));
        self.in_section = 0;
    }

    fn paragraph(&mut self, text: &str) {
        self.in_section += 1;
        self.number += 1;
        self.out
            .push_str(&paragraph_line(self.numbered, self.in_section, text));
    }

    fn bullets(&mut self, items: &[String]) {
        for item in items {
            self.out.push_str(&bullet_line(self.numbered, item));
        }
    }

    fn body(&mut self, outcome: &str) {
        self.heading("The complaint");
        let p = self.fill("{person} complains the Council delayed dealing with {topic} and did not keep them informed.");
        self.paragraph(&p);
        let p = self.fill("{person} says this caused distress and uncertainty.");
        self.paragraph(&p);
        self.heading("The Ombudsman’s role and powers");
        self.paragraph("We investigate complaints about ‘maladministration’ and ‘service failure’. In this statement, I have used the word fault to refer to these. We must also consider whether any fault has had an adverse impact on the person making the complaint. I refer to this as ‘injustice’. (Local Government Act 1974, sections 26(1) and 26A(1), as amended)");
        self.paragraph("If we are satisfied with an organisation’s actions or proposed actions, we can complete our investigation and issue a decision statement. (Local Government Act 1974, section 30(1B) and 34H(i), as amended)");
        self.heading("How I considered this complaint");
        let p =
            self.fill("I considered the information {person} provided and the Council’s comments.");
        self.paragraph(&p);
        self.paragraph("Both parties had an opportunity to comment on my draft decision. I considered any comments received before making a final decision.");
        self.heading("What I found");
        self.heading("What happened");
        let first_background = self.number + 1;
        let count = 4 + self.rng.below(12);
        for _ in 0..count {
            let t = self.rng.pick(BACKGROUND);
            let p = self.fill(t);
            self.paragraph(&p);
        }
        self.paragraph("The Council’s records show it considered the following:");
        let items = vec![
            self.fill("the assessment of {person}’s needs;"),
            "the views of the family;".to_string(),
            "the relevant guidance.".to_string(),
        ];
        self.bullets(&items);
        self.heading("My findings");
        let cite = format!(
            "As set out in paragraphs {} and {}, the Council did not follow its own timescales.",
            first_background,
            first_background + 1
        );
        self.findings(outcome, &cite);
    }

    fn findings(&mut self, outcome: &str, cite: &str) {
        match outcome {
            "Upheld" => {
                self.paragraph(&format!("{cite} This was fault."));
                let p = self.fill(
                    "The fault caused {person} an injustice: avoidable distress and uncertainty.",
                );
                self.paragraph(&p);
                self.heading("Agreed action");
                let deadline = self.rng.pick(DEADLINES);
                let amount = AMOUNTS[self.rng.below(AMOUNTS.len())];
                self.paragraph(&format!(
                    "{deadline} of my final decision, the Council will:"
                ));
                let items = vec![
                    format!("apologise to {};", self.person),
                    format!(
                        "pay {} £{amount} to recognise the distress caused; and",
                        self.person
                    ),
                    "remind staff of the timescales in its complaints procedure.".to_string(),
                ];
                self.bullets(&items);
                self.paragraph("The Council will provide us with evidence it has complied with the above actions.");
                self.heading("Final decision");
                self.paragraph(
                    "I find fault causing injustice. I have completed my investigation.",
                );
            }
            "Not upheld" => {
                self.paragraph("The Council considered the relevant information and explained its decision. There was no fault in how it reached its decision.");
                self.heading("Final decision");
                self.paragraph(
                    "I have completed my investigation. There was no fault by the Council.",
                );
            }
            _ => {
                self.paragraph("The law says we cannot normally investigate a complaint when someone could appeal to a tribunal. I consider it was reasonable for the complainant to appeal.");
                self.heading("Final decision");
                self.paragraph("We will not investigate this complaint. This is because the complainant could have appealed to a tribunal.");
            }
        }
        self.out.push_str(signature(self.numbered));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::import_text;
    use std::path::Path;

    #[test]
    fn can_generate_the_same_page_twice() {
        assert_eq!(page(42).text, page(42).text);
        assert_ne!(page(42).text, page(43).text);
    }

    #[test]
    fn can_import_every_generated_layout() {
        let mut numbered = 0;
        for i in 0..200 {
            let p = page(i);
            let imported = import_text(Path::new(&p.file_name), &p.text, "00").expect("imports");
            assert!(
                imported.decision.body.contains("## The complaint"),
                "{}",
                p.text
            );
            if !imported
                .decision
                .is_inferred(crate::decision::Field::ParagraphNumbers)
            {
                numbered += 1;
            }
        }
        assert!(
            numbered > 50 && numbered < 190,
            "both layouts appear: {numbered}"
        );
    }

    #[test]
    fn generates_unique_references_for_a_large_corpus() {
        let refs: std::collections::HashSet<String> = (0..20_000)
            .map(|i| {
                page(i)
                    .text
                    .lines()
                    .find(|l| l.contains(" ("))
                    .unwrap_or("")
                    .to_string()
            })
            .collect();
        assert_eq!(refs.len(), 20_000);
    }
}
