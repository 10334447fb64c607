use super::*;

#[test]
fn can_read_a_payment_with_amount_person_and_deadline() {
    let r = remedy(
        "pay Mr B £1,250.50 and",
        Some("within one month".into()),
        Some(34),
    )
    .expect("remedy");
    assert_eq!(r.kind, RemedyKind::Payment);
    assert_eq!(r.amount, Some(Money { pence: 125_050 }));
    assert_eq!(r.to.as_deref(), Some("Mr B"));
    assert_eq!(r.deadline.as_deref(), Some("within one month"));
    assert_eq!(r.paragraph, Some(34));
    // The list's "and" joins the item to the next: not the remedy's words.
    assert_eq!(r.text, "pay Mr B £1,250.50");
}

#[test]
fn can_tell_a_payment_made_on_a_condition_however_it_is_said() {
    for text in [
        "pay Mrs Z up to £300 towards her costs on receipt of invoices",
        "pay Mr Q up to £300 when he provides a repair invoice",
        "refund Ms R's costs once she sends the receipts",
        "pay Mr X £120, provided he shows the Council the bills",
        "pay Mr X £120 subject to receiving evidence of the cost",
        "pay Mr X £350 subject to Mr X providing a receipt",
        "pay Mrs Y £150 upon receipt of invoices",
        "pay Mr X £150 if he agrees to the Council's contractor inspecting the wall",
        "pay Mr X £75 once the Council receives his bank details",
        "pay Mr X £120 on condition that he returns the claim form",
        "refund Mrs W £400 if the review finds she was charged wrongly",
        "pay Mr X £100 should the review show he was eligible",
    ] {
        assert!(is_conditional(text), "{text}");
    }
    for text in [
        "pay Mr X £250 when it next reviews his case",
        "pay Mrs Y £300 for the distress caused",
        "if it has not already done so, apologise to Mr X",
        "remind staff they should check the file before closing a case",
    ] {
        assert!(!is_conditional(text), "{text}");
    }
}

#[test]
fn can_keep_a_choice_of_two_remedies_one_remedy() {
    let items = alternatives(
        [
            "apologise to Ms R;",
            "reconsider Ms R's application with the consultant's letter or",
            "explain in writing why the letter does not change its decision; and",
            "pay Ms R £100.",
        ]
        .into_iter(),
    );
    assert_eq!(
        items,
        [
            "apologise to Ms R;",
            "reconsider Ms R's application with the consultant's letter or explain in writing why the letter does not change its decision; and",
            "pay Ms R £100.",
        ]
    );
    let items = alternatives(
        [
            "pay Mr X £200;",
            "or, if he prefers, carry out a new review.",
        ]
        .into_iter(),
    );
    assert_eq!(
        items,
        ["pay Mr X £200; or, if he prefers, carry out a new review."]
    );
}

#[test]
fn can_leave_out_the_words_that_join_list_items() {
    for (item, text) in [
        ("pay Mr B £750 and", "pay Mr B £750"),
        (
            "remind the relevant staff of the deadline; and",
            "remind the relevant staff of the deadline",
        ),
        ("apologise to Mrs Y, and", "apologise to Mrs Y"),
        ("apologise to Mrs Y;", "apologise to Mrs Y"),
        ("review its policy.", "review its policy."),
        (
            "pay Mr X £100 for time and trouble and",
            "pay Mr X £100 for time and trouble",
        ),
        ("apologise to Mr Grand", "apologise to Mr Grand"),
    ] {
        assert_eq!(without_list_glue(item), text, "{item}");
    }
}

#[test]
fn can_classify_remedies() {
    let kind = |t: &str| classify(&t.to_lowercase(), false);
    assert_eq!(kind("Send Mr X a written apology"), RemedyKind::Apology);
    assert_eq!(
        kind("remind the relevant staff of the deadline"),
        RemedyKind::ProcedureChange
    );
    assert_eq!(kind("provide training to its staff"), RemedyKind::Training);
    assert_eq!(kind("review its decision"), RemedyKind::Review);
    assert_eq!(
        kind("place a copy of the decision on Mr X's records"),
        RemedyKind::Other
    );
}

#[test]
fn pays_an_estate_as_the_decision_says() {
    let r = remedy("refund £6,480 to Mr Z’s estate;", None, Some(9)).expect("remedy");
    assert_eq!(r.to.as_deref(), Some("Mr Z’s estate"));
    let r = remedy("pay Mr Z £100;", None, Some(9)).expect("remedy");
    assert_eq!(r.to.as_deref(), Some("Mr Z"));
}

#[test]
fn reads_a_rate_or_a_most_as_no_sum() {
    let sum = |t: &str| amount_in(t).map(|m| m.pence / 100);
    assert_eq!(
        sum("pay Mr X £100 for his distress and £50 for his time and trouble"),
        Some(150)
    );
    assert_eq!(
        sum("pay Mr X £100 and a further £50 if he provides evidence"),
        Some(100)
    );
    assert_eq!(sum("pay Mrs Y £50 a month until it has paid"), None);
    assert_eq!(sum("pay Mr X £175 for each week"), None);
    assert_eq!(sum("pay Mr X £20 per night"), None);
    assert_eq!(sum("consider paying Miss B up to £150"), None);
    assert_eq!(
        sum("pay Ms Y £1,400, which is £175 for each week beyond six weeks"),
        Some(1400)
    );
    assert_eq!(sum("pay Mr X £300 to recognise his distress"), Some(300));
    assert_eq!(
        sum("pay Mr X £500, less the £100 it has already paid him"),
        None
    );
    assert_eq!(
        sum("pay Mrs Y the remaining arrears of £1,810, less any tax it must deduct"),
        Some(1810)
    );
    assert_eq!(
        sum("pay Mr X £300 a week for 4 weeks (£1,200 in total)"),
        Some(1200)
    );
}

#[test]
fn marks_a_remedy_to_consider_or_on_a_condition() {
    let commitment = |t: &str| remedy(t, None, Some(7)).map(|r| r.commitment);
    assert_eq!(
        commitment("consider whether to pay Mrs Y a further £100"),
        Some(Commitment::Conditional)
    );
    assert_eq!(
        commitment("if the review shows she was rehoused late, pay her £150"),
        Some(Commitment::Conditional)
    );
    assert_eq!(
        commitment("reconsider its decision on Mr X's application"),
        Some(Commitment::Agreed)
    );
    assert_eq!(commitment("apologise to Mr X"), Some(Commitment::Agreed));
}

#[test]
fn marks_what_a_refusal_names_unless_a_later_sentence_takes_it_back() {
    let remedies = || -> Vec<Remedy> {
        ["apologise to Mr X;", "pay Mr X £300;", "review its policy."]
            .iter()
            .filter_map(|t| remedy(t, None, Some(5)))
            .collect()
    };
    let mut out = remedies();
    refusals(
        &mut out,
        &sentences("It did not agree to pay Mr X £300."),
        Some(6),
    );
    let agreed: Vec<bool> = out.iter().map(Remedy::is_agreed).collect();
    assert_eq!(agreed, [true, false, true]);
    let mut out = remedies();
    let text = "In response to my draft decision, the Council refused to pay Mr X £300. After further correspondence, it accepted the recommendation.";
    refusals(&mut out, &sentences(text), Some(6));
    assert!(out.iter().all(Remedy::is_agreed), "taken back");
    let mut out = remedies();
    refusals(
        &mut out,
        &sentences("The Council has refused our recommendations."),
        Some(6),
    );
    assert!(out.iter().all(|r| !r.is_agreed()));
}

#[test]
fn reads_a_condition_only_where_the_remedy_has_one() {
    let conditional = |t: &str| is_conditional(t);
    assert!(conditional("consider whether to pay Mrs Y a further £100"));
    assert!(conditional("to consider backdating her priority date"));
    assert!(conditional(
        "refund Mr X's carer £420 if she provides receipts"
    ));
    assert!(!conditional(
        "if it has not already done so, apologise to Mr X"
    ));
    assert!(!conditional(
        "remind social workers to consider the Care Act guidance"
    ));
    assert!(!conditional(
        "review its charging policy to consider whether it is fair"
    ));
}

#[test]
fn reads_as_done_only_what_was_done() {
    let done = |t: &str| remedy(t, None, Some(4)).is_some_and(|r| r.already_done);
    assert!(done(
        "The Council has already paid Mrs Y £400 of the arrears."
    ));
    assert!(!done(
        "pay Mr X £500, less the £100 it has already paid him"
    ));
    assert!(!done(
        "review the assessment decisions it has already made on other cases"
    ));
}

#[test]
fn reads_a_bare_refusal_by_the_sentence_before_and_takes_back_only_its_kind() {
    let remedies = || -> Vec<Remedy> {
        ["apologise to Mr X;", "pay Mr X £300;", "review its policy."]
            .iter()
            .filter_map(|t| remedy(t, None, Some(5)))
            .collect()
    };
    let agreed = |out: &[Remedy]| out.iter().map(Remedy::is_agreed).collect::<Vec<_>>();
    let mut out = remedies();
    let text = "The Council agreed to apologise and to review its policy. We asked it to reconsider the payment to Mr X. It refused.";
    refusals(&mut out, &sentences(text), Some(6));
    assert_eq!(agreed(&out), [true, false, true]);
    let mut out = remedies();
    let text = "The Council refused to pay Mr X £300. It has now agreed to apologise.";
    refusals(&mut out, &sentences(text), Some(6));
    assert_eq!(agreed(&out), [true, false, true]);
    let mut out = remedies();
    refusals(&mut out, &sentences("It has refused."), Some(6));
    assert_eq!(
        agreed(&out),
        [false, false, false],
        "nothing agreed, nothing named"
    );
}

#[test]
fn tells_a_decision_that_says_the_council_agreed_from_one_that_never_does() {
    let said = |section: &str, text: &str| {
        let passage = Passage {
            section: section.into(),
            number: Some(9),
            paragraph: None,
            text: text.into(),
        };
        says_agreed(&[passage], &[])
    };
    assert!(said(
        "final decision",
        "The Council has agreed to my recommendations."
    ));
    assert!(said(
        "agreed action",
        "Within one month the Council will apologise."
    ));
    assert!(!said(
        "final decision",
        "The Council has not agreed to pay Mr X."
    ));
    assert!(!said(
        "recommendations",
        "I recommend the Council should apologise."
    ));
    assert!(!said(
        "the ombudsman's role and powers",
        "If a council has not accepted our recommendations, we may issue a report."
    ));
    assert!(says_agreed(
        &[],
        &["To remedy the injustice caused, the Council has agreed to:"]
    ));
    // What was agreed before the complaint is no answer to the recommendations.
    assert!(!said(
        "what happened",
        "In 2022 the Council agreed to assess him for a Disabled Facilities Grant."
    ));
    assert!(!said(
        "what i found",
        "The Council accepted Mr X's application in May."
    ));
    assert!(said(
        "recommended action",
        "The Council accepted my recommendations."
    ));
    assert!(said("summary", "The Council agreed to apologise."));
    // Only the organisation's own answer, and not its history.
    assert!(!said(
        "summary",
        "The Council offered £200, which Mr X accepted. We recommended a further £150."
    ));
    assert!(!said(
        "summary",
        "The Council agreed to reassess him in March 2023 but did not do so until May 2024."
    ));
    assert!(said(
        "final decision",
        "I have completed my investigation. The Council has now agreed to my recommendations."
    ));
    assert!(said(
        "agreed action",
        "The Trust will arrange a fresh appeal."
    ));
    // Saying yes to something else is not agreeing to the remedies.
    for text in [
        "The Council accepted it took too long to assess Mr X.",
        "Last year the Council agreed to reassess Mr Y but it has not done so.",
        "They accepted the Council's offer of £100.",
        "The Council accepted our findings but has not yet responded to our recommendations.",
    ] {
        assert!(!said("summary", text), "{text}");
    }
    assert!(!says_agreed(&[], &["What the Council accepted"]));
    assert!(said("final decision", "The Council has agreed."));
    assert!(said(
        "summary",
        "The Council accepted all of our recommendations."
    ));
}

#[test]
fn can_tell_a_further_payment_on_a_condition_from_the_payment_made() {
    let parts = remedy_parts(
        "pay Mr X £100 for his distress and a further £50 if he provides receipts for the repairs.",
        None,
        Some(30),
    );
    assert_eq!(parts.len(), 2, "{parts:?}");
    assert_eq!(parts[0].text, "pay Mr X £100 for his distress");
    assert_eq!(parts[0].amount, Some(Money { pence: 10_000 }));
    assert_eq!(parts[0].commitment, Commitment::Agreed);
    assert_eq!(
        parts[1].text,
        "a further £50 if he provides receipts for the repairs."
    );
    assert_eq!(parts[1].amount, Some(Money { pence: 5_000 }));
    assert_eq!(parts[1].kind, RemedyKind::Payment);
    assert_eq!(parts[1].to.as_deref(), Some("Mr X"));
    assert_eq!(parts[1].commitment, Commitment::Conditional);
    // A further payment with no condition stays one remedy, as does a whole one on a
    // condition.
    assert_eq!(
        remedy_parts("pay Mr X £100 and a further £50 for his time.", None, None).len(),
        1
    );
    // A further payment once something is done is not made now either.
    let parts = remedy_parts(
        "pay Mr X £200 for his distress, and a further £100 once the reinstatement works are done.",
        None,
        None,
    );
    assert_eq!(parts.len(), 2, "{parts:?}");
    assert_eq!(parts[0].amount, Some(Money { pence: 20_000 }));
    assert_eq!(parts[1].amount, Some(Money { pence: 10_000 }));
    assert_eq!(parts[1].commitment, Commitment::Conditional);
    let whole = remedy_parts(
        "if she provides receipts, pay Mrs Y £100 and a further £50 if the repairs cost more.",
        None,
        None,
    );
    assert_eq!(whole.len(), 1);
    assert_eq!(whole[0].commitment, Commitment::Conditional);
}

#[test]
fn can_refuse_the_larger_payment_of_several() {
    let pay = |text: &str, pounds: u64| Remedy {
        kind: RemedyKind::Payment,
        text: text.into(),
        amount: Some(Money {
            pence: pounds * 100,
        }),
        to: Some("Mrs K".into()),
        deadline: None,
        already_done: false,
        commitment: Commitment::Agreed,
        paragraph: Some(7),
    };
    let mut out = vec![
        pay("pay Mrs K £300 for her mileage", 300),
        pay("pay Mrs K £350 for her distress", 350),
    ];
    refusals(
        &mut out,
        &sentences("The Council agreed to pay Mrs K £300 for her mileage. It will not agree to pay more than £200 for her distress."),
        Some(8),
    );
    let commitments: Vec<Commitment> = out.iter().map(|r| r.commitment).collect();
    assert_eq!(commitments, [Commitment::Agreed, Commitment::NotAgreed]);
    // No purpose repeated: every payment above the sum.
    let mut out = vec![
        pay("pay Mrs Y £800 for her lost rent", 800),
        pay("pay Mrs Y £250 for her distress", 250),
        pay("pay Mrs Y £150 for her time", 150),
    ];
    refusals(
        &mut out,
        &sentences("The Council will not agree to pay more than £200."),
        Some(8),
    );
    let commitments: Vec<Commitment> = out.iter().map(|r| r.commitment).collect();
    assert_eq!(
        commitments,
        [
            Commitment::NotAgreed,
            Commitment::NotAgreed,
            Commitment::Agreed
        ]
    );
}

#[test]
fn can_tell_what_happened_before_from_a_remedy() {
    assert!(refusal::is_history(
        "Last year the Council agreed to reassess Mr Y but it has not done so."
    ));
    assert!(refusal::is_history(
        "In May 2023 the Council agreed to pay Mr X £100."
    ));
    assert!(!refusal::is_history(
        "Within one month the Council will pay Mr X £100."
    ));
    assert!(!refusal::is_history("The Council has agreed to apologise."));
}

#[test]
fn can_refuse_what_a_limit_leaves_out() {
    let pay = |text: &str, pounds: u64| Remedy {
        kind: RemedyKind::Payment,
        text: text.into(),
        amount: Some(Money {
            pence: pounds * 100,
        }),
        to: Some("Mr X".into()),
        deadline: None,
        already_done: false,
        commitment: Commitment::Agreed,
        paragraph: Some(7),
    };
    for sentence in [
        "It is only willing to pay Mr X £150.",
        "The Council will not pay more than £100 for Mr X's distress.",
        "The Council will only pay £200.",
    ] {
        let mut out = vec![pay("pay Mr X £300 for his distress", 300)];
        refusals(&mut out, &sentences(sentence), Some(8));
        assert_eq!(out.len(), 1, "{sentence}: no new remedy from the limit");
        assert_eq!(out[0].commitment, Commitment::NotAgreed, "{sentence}");
    }
    // The purpose said another way still picks its payment, and leaves a refund alone.
    let mut out = vec![
        pay("refund Mr X the £620 it recovered", 620),
        pay("pay Mr X £300 for his distress", 300),
    ];
    refusals(
        &mut out,
        &sentences("The Council will not pay more than £100 for Mr X’s distress."),
        Some(8),
    );
    let commitments: Vec<Commitment> = out.iter().map(|r| r.commitment).collect();
    assert_eq!(commitments, [Commitment::Agreed, Commitment::NotAgreed]);
    // A payment within the limit stays agreed.
    let mut out = vec![pay("pay Mr X £100 for his time", 100)];
    refusals(
        &mut out,
        &sentences("It is only willing to pay Mr X £150."),
        Some(8),
    );
    assert_eq!(out[0].commitment, Commitment::Agreed);
}
