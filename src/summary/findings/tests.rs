use super::*;

#[test]
fn can_tell_a_clause_that_could_speak_of_fault() {
    assert!(has_fault("there was FAULT by the council"));
    assert!(has_fault("Fault"));
    assert!(!has_fault("the council was at fau lt"));
    assert!(!has_fault("faul"));
    // Whatever the case, the patterns' own matching agrees.
    let any = compile("(?i)fault");
    for text in [
        "FaUlT",
        "faulT.",
        "fa\u{17f}lt",
        "FAULt",
        "f-ault",
        "\u{212a}fault",
    ] {
        assert_eq!(has_fault(text), any.is_match(text), "{text}");
    }
}

fn all_for(org: &str, text: &str) -> Vec<Conclusion> {
    let reference = crate::decision::Reference::parse("21 019 020").expect("reference");
    let d = crate::decision::Decision::new(reference, org);
    let src = Source::new(&d);
    let mut out = Vec::new();
    collect(text, &src, Cite::Summary, &mut out);
    out
}

fn all(text: &str) -> Vec<Conclusion> {
    all_for("Kent County Council", text)
}

#[test]
fn can_keep_the_name_of_another_body() {
    let found = all_for(
        "Fenmarsh NHS Foundation Trust",
        "The Trust was not at fault in how it discharged him. The Council was at fault because it arranged one visit.",
    );
    let sentences: Vec<&str> = found.iter().map(|c| c.sentence.as_str()).collect();
    assert_eq!(
        sentences,
        vec![
            "The trust was not at fault in how it discharged him.",
            "The council was at fault because it arranged one visit."
        ]
    );
    assert!(found[0].about_org && !found[1].about_org);
}

#[test]
fn can_tell_a_bare_conclusion_and_a_further_one() {
    let found = all("The Council was not at fault. There was no further fault by the Council.");
    assert!(found[0].bare && !found[0].further);
    assert!(found[1].bare && found[1].further);
    assert_eq!(
        found[1].sentence,
        "There was no further fault by the council."
    );
}

#[test]
fn can_quote_a_conclusion_it_cannot_restate_without_our_voice() {
    let found = all("We found no further fault by the Council, further to that identified by our earlier investigation.");
    assert_eq!(
        found[0].sentence,
        "The Ombudsman found no further fault by the council."
    );
    let found = all("We found no fault in how I was told about it.");
    assert_eq!(
        found[0].sentence,
        "The Ombudsman said: “We found no fault in how I was told about it.”"
    );
}

#[test]
fn can_read_mixed_conclusions_with_their_injustice() {
    let found = all("I find tThe Council was not at fault in how it supported Mr X’s family. It was at fault for not consulting other agencies, but this did not cause any injustice.");
    assert_eq!(found.len(), 2);
    assert!(!found[0].fault);
    assert_eq!(
        found[0].sentence,
        "The council was not at fault in how it supported Mr X's family."
    );
    assert_eq!(
        found[1].sentence,
        "It was at fault for not consulting other agencies, but this did not cause any injustice."
    );
    assert!(found[1].mentions_injustice);
}

#[test]
fn can_read_there_was_and_admitted() {
    let found = all("There was no fault in the Council’s first decision. There was fault it delayed the assessment. The Council has already admitted it acted with fault.");
    let sentences: Vec<&str> = found.iter().map(|c| c.sentence.as_str()).collect();
    assert_eq!(
        sentences,
        vec![
            "There was no fault in the council's first decision.",
            "It was at fault because it delayed the assessment.",
            "The council had already admitted it was at fault."
        ]
    );
}

#[test]
fn can_split_a_consequence_into_its_own_sentence() {
    assert_eq!(
        split_consequence(
            "It was at fault because it delayed, and this delay caused Mr X an injustice."
        ),
        "It was at fault because it delayed. This delay caused Mr X an injustice."
    );
    assert_eq!(
        split_consequence("The council was at fault , and this caused injustice to Mrs Y."),
        "The council was at fault. The fault caused injustice to Mrs Y."
    );
    assert_eq!(
        split_consequence("It was at fault, and that meant Mr X lost money."),
        "It was at fault. The fault meant Mr X lost money."
    );
}

#[test]
fn can_read_what_the_ombudsman_found() {
    let found = all("We found no fault in how the Council assessed her application.");
    assert_eq!(found.len(), 1);
    assert!(!found[0].fault);
    assert_eq!(
        found[0].sentence,
        "The Ombudsman found no fault in how the council assessed her application."
    );
}

#[test]
fn can_ignore_text_without_conclusions() {
    assert!(all("I have completed my investigation.").is_empty());
}

#[test]
fn can_tell_a_question_about_fault_from_a_finding() {
    // Northamptonshire: the Ombudsman did not decide; the council had accepted it.
    let found = all("I do not need to decide whether there was fault in this case. The Council has already accepted that and I set out the main findings in paragraphs 27 and 30.");
    let sentences: Vec<&str> = found.iter().map(|c| c.sentence.as_str()).collect();
    assert_eq!(
        sentences,
        vec!["The council had already accepted it was at fault."]
    );
    assert!(found[0].fault && found[0].about_org);
    // A question alone finds nothing, and another's acceptance is not the council's.
    assert!(all("I do not need to decide whether there was fault in this case.").is_empty());
    assert!(all(
        "I do not need to decide whether the Council was at fault. Mr X has accepted that."
    )
    .is_empty());
    assert!(all(
        "Before I reached a view on whether the Council was at fault, Mr X withdrew his complaint."
    )
    .is_empty());
    // A finding that mentions a question after it is still a finding.
    let found =
        all("The Council was at fault because it did not consider whether she was eligible.");
    assert_eq!(found.len(), 1);
    assert!(found[0].fault);
}

#[test]
fn can_say_an_admission_as_the_decision_words_it() {
    let found = all("The Council has accepted fault.");
    assert_eq!(
        found[0].sentence,
        "The council had accepted it was at fault."
    );
}

#[test]
fn can_tell_an_appeal_panel_from_the_trust_that_arranged_it() {
    let found = all_for(
        "Oakfield Academy Trust",
        "There was fault by the appeal panel which caused injustice to Mrs A. The panel was at fault because it did not consider her case.",
    );
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|c| c.fault && !c.about_org), "{found:?}");
    assert_eq!(
        found[1].sentence,
        "The panel was at fault because it did not consider her case."
    );
}

#[test]
fn can_tell_a_governing_body_from_the_council() {
    let found = all("There was fault by the governing body in how it ranked the applications. There was no fault by the Council.");
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].fault && !found[0].about_org, "{found:?}");
    assert!(!found[1].fault && found[1].about_org, "{found:?}");
}

#[test]
fn never_gives_the_complaint_as_what_was_found() {
    let reference = crate::decision::Reference::parse("21 019 020").expect("reference");
    let mut d = crate::decision::Decision::new(reference, "Kent County Council");
    let found = |d: &crate::decision::Decision| nothing_found(&Source::new(d)).text;
    d.summary = Some(
        "Mr X complained the Council sent enforcement agents. The Council offered £200, which Mr X accepted."
            .into(),
    );
    assert_eq!(
        found(&d),
        "The decision below sets out what the Ombudsman found."
    );
    d.summary =
        Some("Mr X complained the Council delayed. We found fault causing injustice.".into());
    assert_eq!(found(&d), "The Ombudsman found fault causing injustice.");
    d.summary = Some(
        "Mr X complained about the delay. The Council was slow to act, which was fault.".into(),
    );
    assert_eq!(
        found(&d),
        "The Ombudsman said: “The Council was slow to act, which was fault.”"
    );
}

#[test]
fn can_hold_a_council_to_account_for_what_it_commissions() {
    let found = all("There was fault by the care provider, for which the Council is responsible, causing injustice.");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].fault && found[0].about_org, "{found:?}");
    let found = all("There was fault by the care provider in how it recorded the visits.");
    assert!(found[0].fault && !found[0].about_org, "{found:?}");
}

#[test]
fn can_leave_another_bodys_admission_and_an_agreement_to_act_alone() {
    let found = all_for("Eastmoor Council", "The Trust has accepted fault.");
    assert!(found.is_empty(), "{found:?}");
    let found = all("I do not need to decide whether there was fault. The Council has accepted that the appeal should be heard again.");
    assert!(found.is_empty(), "{found:?}");
    let found = all("I do not need to decide whether there was fault. The Council has accepted that, and apologised.");
    assert_eq!(found.len(), 1, "{found:?}");
}

#[test]
fn never_quotes_what_the_person_says_as_a_finding() {
    let reference = crate::decision::Reference::parse("21 019 020").expect("reference");
    let mut d = crate::decision::Decision::new(reference, "Kent County Council");
    let found = |d: &crate::decision::Decision| nothing_found(&Source::new(d)).text;
    d.summary = Some(
        "Mr X says the Council was at fault for failing to find him suitable accommodation.".into(),
    );
    assert_eq!(
        found(&d),
        "The decision below sets out what the Ombudsman found."
    );
    // A sentence about what was found, without the word fault, is quoted.
    d.summary = Some(
        "Mr X complained about repairs. The Ombudsman found the Council took too long.".into(),
    );
    assert_eq!(
        found(&d),
        "The Ombudsman said: “The Ombudsman found the Council took too long.”"
    );
}

#[test]
fn can_tell_whose_fault_it_is_from_the_sentence_before() {
    let found = all("The appeal panel did not properly consider Mrs A’s case. It was at fault. There was no fault by the Council.");
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].fault && !found[0].about_org, "{found:?}");
    assert_eq!(found[0].sentence, "The appeal panel was at fault.");
    assert!(!found[1].fault && found[1].about_org, "{found:?}");
    let found = all("The governing body did not hold a panel meeting in time; there was fault because it did not explain the delay to Mr X.");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].fault && !found[0].about_org, "{found:?}");
    assert_eq!(
        found[0].sentence,
        "The governing body was at fault because it did not explain the delay to Mr X."
    );
    // After a sentence about the organisation, `It` is the organisation.
    let found = all("The Council took six months to decide. It was at fault.");
    assert!(found[0].fault && found[0].about_org, "{found:?}");
}
