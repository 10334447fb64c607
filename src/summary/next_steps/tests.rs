use super::*;

#[test]
fn can_name_whom_payments_on_conditions_go_to() {
    let paid = |to: Option<&str>| Remedy {
        kind: RemedyKind::Payment,
        text: "pay".into(),
        amount: None,
        to: to.map(str::to_string),
        deadline: None,
        already_done: false,
        commitment: Commitment::Conditional,
        paragraph: None,
    };
    let whom =
        |to: &[Option<&str>]| pay_whom(to.iter().map(|t| paid(*t)).collect::<Vec<_>>().iter());
    assert_eq!(whom(&[Some("Mrs Y")]), "pay Mrs Y");
    assert_eq!(
        whom(&[Some("Mrs Y"), Some("Mrs Z"), Some("Mrs Y")]),
        "pay Mrs Y and Mrs Z"
    );
    assert_eq!(
        whom(&[Some("Mrs Y"), Some("Mrs Z"), Some("Mr X")]),
        "pay Mrs Y, Mrs Z and Mr X"
    );
    assert_eq!(whom(&[Some("Mrs Y"), None]), "make payments");
    assert_eq!(whom(&[None]), "make a payment");
}

#[test]
fn can_name_the_body_that_agreed_in_a_joint_case() {
    let reference = crate::decision::Reference::parse("23 107 440").expect("reference");
    let mut d = crate::decision::Decision::new(reference, "Eastmoor Council");
    d.body = "## Agreed action\n\n7. Within one month, the Trust has agreed to:\n    - apologise to Mrs N; and\n\n8. The Council will review its leaflet.\n\n9. We recommended that within one month the Council:\n    - pay Mrs N £100.\n".into();
    let remedy = |text: &str, paragraph: u32| Remedy {
        kind: RemedyKind::Apology,
        text: text.into(),
        amount: None,
        to: None,
        deadline: None,
        already_done: false,
        commitment: Commitment::Agreed,
        paragraph: Some(paragraph),
    };
    let src = Source::new(&d);
    assert_eq!(
        agent(&src, &remedy("apologise to Mrs N", 7)),
        Some("the trust")
    );
    assert_eq!(
        agent(&src, &remedy("The Council will review its leaflet.", 8)),
        None
    );
    assert_eq!(agent(&src, &remedy("pay Mrs N £100", 9)), None);
    let mut trust = d.clone();
    trust.council = "Eastmoor Hospitals NHS Trust".into();
    let src = Source::new(&trust);
    assert_eq!(agent(&src, &remedy("apologise to Mrs N", 7)), None);
    assert_eq!(
        agent(&src, &remedy("pay Mrs N £100", 9)),
        Some("the council")
    );
    // A body named by its name: "Sandmoor Council has agreed to refund ...".
    let mut provider = d.clone();
    provider.council = "Brightwell Care Limited".into();
    provider.body =
        "## Agreed action\n\n7. Sandmoor Council has agreed to refund £1,240 to Mrs Y’s estate.\n"
            .into();
    let src = Source::new(&provider);
    assert_eq!(
        agent(
            &src,
            &remedy(
                "Sandmoor Council has agreed to refund £1,240 to Mrs Y’s estate.",
                7
            )
        ),
        Some("the council")
    );
    // The body just before the list, not one named earlier in its paragraph.
    let mut council = d.clone();
    council.body = "## Agreed action\n\n7. The Trust accepted our findings. Within one month, the Council has agreed to:\n    - apologise to Mrs N.\n".into();
    let src = Source::new(&council);
    assert_eq!(agent(&src, &remedy("apologise to Mrs N", 7)), None);
}

#[test]
fn can_rewrite_a_remedy_as_an_action() {
    assert_eq!(
        rewrite("remind the relevant staff of the deadline for circulating the minutes; and").0,
        "remind the relevant staff of the deadline for sending out the minutes"
    );
    assert_eq!(
        rewrite("The Council will provide us with evidence it has done these things.").0,
        "send the Ombudsman evidence it has done these things"
    );
    assert_eq!(
        rewrite("Within one month the Trust has agreed to arrange a fresh appeal.").0,
        "arrange a fresh appeal"
    );
    let (head, tail) = rewrite("Within two months, the Council will send the Ombudsman an action plan which sets out the ways it will improve.");
    assert_eq!(head, "send the Ombudsman an action plan");
    assert_eq!(
        tail.as_deref(),
        Some("The plan will set out the ways it will improve.")
    );
}

#[test]
fn can_describe_payments_with_their_purpose() {
    let r = Remedy {
        kind: RemedyKind::Payment,
        text: "Make a symbolic payment to Mr X of £250 to recognise the avoidable distress it has likely caused him.".into(),
        amount: Some(crate::decision::Money::from_pounds(250)),
        to: Some("Mr X".into()),
        deadline: Some("within a month".into()),
        already_done: false,
        commitment: crate::decision::Commitment::Agreed,
        paragraph: Some(45),
    };
    assert_eq!(
        action(&r).0,
        "pay Mr X £250 for the avoidable distress it has likely caused him"
    );
    let refund = Remedy {
        text: "refund Ms R the £10 fee for her application.".into(),
        amount: Some(crate::decision::Money::from_pounds(10)),
        to: Some("Ms R".into()),
        ..r.clone()
    };
    assert!(
        action(&refund).0.starts_with("refund Ms R £10"),
        "{:?}",
        action(&refund)
    );
    let unsaid = Remedy {
        amount: None,
        to: None,
        ..refund
    };
    assert_eq!(action(&unsaid).0, "make a refund for her application");
}
