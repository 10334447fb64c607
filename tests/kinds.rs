//! Plain-English summaries of the fixture pages of every kind of decision that
//! `REAL-DECISIONS.md` describes, in both layouts: each asserted sentence by sentence.
//! The fixtures are written for these tests (`tests/fixtures/kinds/README.md`).

use std::path::{Path, PathBuf};

use casebook::decision::Decision;
use casebook::import::{self, Imported};
use casebook::summary::{readability, summarise, trace, PlainSummary};

const LAYOUTS: [&str; 2] = ["numbered", "compact"];

fn kinds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kinds")
}

/// Imports one fixture the way `casebook import` does.
fn import_kind(kind: &str, layout: &str) -> Imported {
    let path = kinds_dir().join(kind).join(format!("{layout}.txt"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = import::decode(&path, &bytes).unwrap_or_else(|d| panic!("{d}"));
    import::import_text(&path, &text, "0").unwrap_or_else(|ds| panic!("{}: {ds:?}", path.display()))
}

fn every_kind() -> Vec<String> {
    let mut kinds: Vec<String> = std::fs::read_dir(kinds_dir())
        .expect("kinds folder")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    kinds.sort();
    kinds
}

#[test]
#[ignore = "prints every kind's summary for review"]
fn prints_every_kind() {
    for kind in every_kind() {
        for layout in LAYOUTS {
            let imported = import_kind(&kind, layout);
            let d: &Decision = &imported.decision;
            let s: PlainSummary = summarise(d);
            println!(
                "== {kind}/{layout} ({:.1}) {:?}\n{}",
                readability::measure(&s.text()).reading_ease,
                d.outcome,
                s.headline
            );
            for p in &s.parts {
                println!("  {}: {} {:?}", p.title, p.text, p.paragraphs);
            }
            for w in &imported.warnings {
                println!("  warning: {w}");
            }
        }
    }
}

/// Every sentence of a summary, headline first.
fn lines(s: &PlainSummary) -> Vec<String> {
    s.headline_lines
        .iter()
        .chain(s.parts.iter().flat_map(|p| p.lines.iter()))
        .map(|l| l.text.clone())
        .collect()
}

/// What one kind's summary must say (whole sentences) and must not say (anywhere).
struct Expect {
    kind: &'static str,
    says: &'static [&'static str],
    never: &'static [&'static str],
}

/// Never in any summary: a finding the outcome line was turned into, the Ombudsman's
/// first person, the old wording that said more than the decision.
const NEVER_ANYWHERE: &[&str] = &[
    "so it does not need to do anything",
    " we ",
    " our ",
    "We ",
    "Our ",
];

const NOT_DECIDED: &str = "No finding was made on whether the council was at fault.";
const NOTHING_ASKED: &str = "The Ombudsman did not ask the council to do anything.";
const NO_FINDING: &[&str] = &[
    "was not at fault",
    "The council was at fault",
    "found no fault",
    "There was fault",
    "There was no fault",
];

const EXPECT: &[Expect] = &[
    Expect {
        kind: "closed_late",
        says: &[
            "The Ombudsman decided not to investigate.",
            "This is because the complaint was made too late.",
            NOT_DECIDED,
            NOTHING_ASKED,
        ],
        never: NO_FINDING,
    },
    Expect {
        kind: "closed_tribunal",
        says: &[
            "The Ombudsman decided not to investigate.",
            "This is because Ms Y could appeal to a tribunal.",
            NOT_DECIDED,
            NOTHING_ASKED,
        ],
        never: NO_FINDING,
    },
    Expect {
        kind: "closed_court",
        says: &[
            "This is because Mrs Y could take the matter to court.",
            NOT_DECIDED,
            NOTHING_ASKED,
        ],
        never: NO_FINDING,
    },
    Expect {
        kind: "closed_no_fault_sign",
        says: &[
            "This is because there was not enough sign of fault by the council.",
            NOT_DECIDED,
        ],
        never: NO_FINDING,
    },
    Expect {
        kind: "closed_nothing_more",
        says: &[
            "This is because an investigation would not achieve anything more.",
            NOT_DECIDED,
        ],
        never: NO_FINDING,
    },
    Expect {
        kind: "closed_premature",
        says: &[
            "This is because the council had not yet had the chance to respond to the complaint.",
            NOT_DECIDED,
        ],
        never: NO_FINDING,
    },
    Expect {
        kind: "closed_jurisdiction",
        says: &[
            "This is because the law does not let the Ombudsman look at this kind of complaint.",
            NOT_DECIDED,
        ],
        never: NO_FINDING,
    },
    Expect {
        kind: "upheld_remedies",
        says: &[
            "The council was at fault.",
            "It will apologise to Mrs Y, pay her £300 and take other action.",
            "Within one month, the council will apologise to Mrs Y for the delay.",
            "It will also pay Mrs Y £300 for the distress caused by the delay.",
        ],
        never: &["No finding was made", "not investigate"],
    },
    Expect {
        kind: "upheld_not_agreed",
        says: &[
            "The council did not agree to apologise to Ms Y.",
            "The council did not agree to pay Ms Y £1,400.",
        ],
        never: &["will apologise", "will pay", "will review", "agreed to do", "has agreed"],
    },
    Expect {
        kind: "upheld_recommended_no_answer",
        says: &[
            "The Ombudsman asked the council to apologise to Mr X.",
            "The Ombudsman asked the council to pay Mr X £400 for his distress.",
        ],
        never: &["will apologise", "will pay", "agreed", "did not agree"],
    },
    Expect {
        kind: "upheld_partly_agreed",
        says: &[
            "The council was at fault.",
            "It will apologise to Mr X, but it did not agree to pay Mr X £300.",
            "Within one month, the council will apologise to Mr X.",
            "The council did not agree to pay Mr X £300 for his distress.",
        ],
        never: &["will pay", "will also pay", "pay him £300"],
    },
    Expect {
        kind: "upheld_conditional_remedies",
        says: &[
            "The council was at fault.",
            "Within one month, the council will review Miss B's banding, taking the GP's letter into account.",
            "The council may also pay Miss B, on conditions the decision sets out.",
            "The council also agreed to consider more, on conditions the decision sets out.",
        ],
        never: &["will pay", "will also pay", "will backdate", "will also backdate", "pay Miss B £150"],
    },
    Expect {
        kind: "upheld_paid_and_instalments",
        says: &[
            "The council was at fault.",
            "The council has already paid Mrs Y £400.",
            "Within one month, it will pay Mrs Y £1,810.",
            "The council may also pay Mrs Y, on conditions the decision sets out.",
        ],
        never: &["will pay Mrs Y £400", "pay her £400", "pay Mrs Y £100", "pay her £100", "£50."],
    },
    Expect {
        kind: "upheld_already_put_right",
        says: &[
            "The Ombudsman did not investigate.",
            "This is because the council had already put things right by apologising and paying Mr X £100.",
            "The complaint is recorded as upheld.",
            "The Ombudsman did not ask the council to do anything more.",
        ],
        never: &["The council was at fault", "did not ask it to do anything more"],
    },
    Expect {
        kind: "upheld_no_injustice",
        says: &[
            "The council was at fault.",
            "There was fault by the council, but it did not cause injustice to Ms Y.",
            NOTHING_ASKED,
        ],
        never: &["caused Ms Y an injustice"],
    },
    Expect {
        kind: "not_upheld_claims",
        says: &[
            "The Ombudsman found no fault by the council.",
            "There was no fault by the council.",
            "The Ombudsman did not ask the council to do anything.",
        ],
        // Mrs Y's belief of fault and injustice, and the council's own say, are claims: not
        // findings, not a course ("did not investigate"), not an injustice.
        never: &[
            "The council was at fault",
            "There was fault in how",
            "caused Mrs Y an injustice",
            "decided not to investigate",
            "No finding was made",
        ],
    },
    Expect {
        kind: "joint_trust_agreed",
        says: &[
            "The Ombudsmen found no fault by the council.",
            "Within one month, the trust will apologise to Mr N.",
            "The trust will also pay Mr N £300 for his distress and time and trouble.",
        ],
        // The council's decision page, but the trust agreed the remedies.
        never: &["the council will", "It will also pay", "The council was at fault"],
    },
    Expect {
        kind: "admissions_appeal_panel",
        says: &[
            "The complaint is recorded as upheld.",
            "There was fault by the appeal panel which caused injustice to Mrs A.",
            "The panel was also at fault because it did not weigh Mrs A's reasons against the school's case.",
            "Within one month, the trust will arrange a fresh appeal before a differently constituted panel.",
            "It will also pay Mrs A £100 for her time and trouble.",
            "The trust may also pay Mrs A, on conditions the decision sets out.",
        ],
        // The fault is the independent appeal panel's, not the trust's that arranged it;
        // the further £150 depends on what Mrs A shows.
        never: &["The trust was at fault", "will the trust", "£250", "pay Mrs A £150"],
    },
    Expect {
        kind: "upheld_no_further_fault",
        says: &[
            "The Ombudsman found no further fault by the council.",
            "The complaint is recorded as upheld.",
        ],
        never: &["The council was at fault", "was not at fault"],
    },
    Expect {
        kind: "not_upheld_no_fault",
        says: &[
            "The Ombudsman found no fault by the council.",
            "The Ombudsman found no fault in how the council decided Mr X was not entitled to a single person discount on his council tax.",
            NOTHING_ASKED,
        ],
        never: &["No finding was made"],
    },
    Expect {
        kind: "not_upheld_discontinued",
        says: &[
            "The Ombudsman started to investigate but stopped.",
            "This is because there was not enough sign of fault by the council.",
            "The complaint is recorded as not upheld.",
            NOT_DECIDED,
        ],
        never: NO_FINDING,
    },
    Expect {
        kind: "not_upheld_discretion",
        says: &[
            "The Ombudsman started to investigate but stopped.",
            "This is because Mr X had taken the matter to court.",
            NOT_DECIDED,
        ],
        never: NO_FINDING,
    },
    Expect {
        kind: "joint_nhs",
        says: &[
            "The Ombudsmen found no fault by the trust.",
            "The complaint is recorded as not upheld.",
            "There was fault by the council, which has agreed to put things right.",
            "Within one month, the council will apologise to Mr X for the missed care visits.",
        ],
        never: &["the trust was at fault", "the trust will", "NHS body", "The trust was at fault"],
    },
    Expect {
        kind: "care_provider",
        says: &[
            "The care provider was at fault.",
            "It will apologise to Mrs Y and pay her £150.",
            "Within one month, the care provider will apologise to Mrs Y.",
        ],
        never: &["council", "Council"],
    },
    Expect {
        kind: "public_interest_report",
        says: &[
            "The council was at fault.",
            "It will apologise to Mrs Y, pay her £2,400 and pay her £500.",
            "It will also pay Mrs Y £2,400 for the support her son missed.",
            "The fault caused injustice to Mrs Y and her son.",
        ],
        never: &["No finding was made", "at fault ."],
    },
    Expect {
        kind: "no_header_prose_outcome",
        says: &[
            "The Ombudsman upheld the complaint, because the council agreed to put things right early.",
            "It will apologise to Mr X and pay him £200.",
            "It will also pay Mr X £200 for the delay.",
        ],
        never: &["The council was at fault", "was not at fault"],
    },
];

/// The incomplete kinds: the same investigated decision cut short in different places.
const CUT: &[&str] = &[
    "cut_role_and_powers",
    "cut_mid_sentence",
    "cut_mid_heading",
    "no_final_decision",
];

#[test]
fn can_say_what_each_kind_of_decision_says_in_both_layouts() {
    for e in EXPECT {
        for layout in LAYOUTS {
            let d = import_kind(e.kind, layout).decision;
            let s = summarise(&d);
            let got = lines(&s);
            for want in e.says {
                assert!(
                    got.iter().any(|l| l == want),
                    "{}/{layout}: no sentence {want:?} in {got:#?}",
                    e.kind
                );
            }
            let text = s.text();
            for bad in e.never.iter().chain(NEVER_ANYWHERE) {
                assert!(
                    !text.contains(bad),
                    "{}/{layout}: says {bad:?}: {text}",
                    e.kind
                );
            }
            assert_eq!(d.incomplete, None, "{}/{layout}", e.kind);
        }
    }
}

/// Each remedy of `kind` as (kind, amount in pounds, commitment, already done).
fn remedies_of(kind: &str, layout: &str) -> Vec<(String, Option<u64>, String, bool)> {
    import_kind(kind, layout)
        .decision
        .remedies
        .iter()
        .map(|r| {
            (
                format!("{:?}", r.kind),
                r.amount.map(|a| a.pence / 100),
                format!("{:?}", r.commitment),
                r.already_done,
            )
        })
        .collect()
}

#[test]
fn can_tell_remedies_agreed_from_those_refused_or_only_to_consider_and_count_only_the_agreed() {
    use casebook::site::statistics::Payments;
    let r = |k: &str, a: Option<u64>, c: &str, done: bool| (k.to_string(), a, c.to_string(), done);
    for layout in LAYOUTS {
        assert_eq!(
            remedies_of("upheld_not_agreed", layout),
            [
                r("Apology", None, "NotAgreed", false),
                r("Payment", Some(1400), "NotAgreed", false),
                r("Review", None, "NotAgreed", false),
            ],
            "{layout}: the council refused these recommendations"
        );
        assert_eq!(
            remedies_of("upheld_partly_agreed", layout),
            [
                r("Apology", None, "Agreed", false),
                r("Payment", Some(300), "NotAgreed", false),
            ],
            "{layout}: the council agreed to apologise, not to pay, and the £300 is there once"
        );
        assert_eq!(
            remedies_of("upheld_conditional_remedies", layout),
            [
                r("Review", None, "Agreed", false),
                r("Other", None, "Conditional", false),
                r("Payment", None, "Conditional", false),
            ],
            "{layout}: `consider ... up to £150 a month` is no sum the council will pay"
        );
        assert_eq!(
            remedies_of("upheld_paid_and_instalments", layout),
            [
                r("Payment", Some(400), "Agreed", true),
                r("Payment", Some(1810), "Agreed", false),
                r("Payment", None, "Agreed", false),
                r("Payment", Some(100), "Conditional", false),
            ],
            "{layout}: £400 already paid, £50 a month is a rate, £100 only to consider"
        );
        assert_eq!(
            remedies_of("upheld_recommended_no_answer", layout),
            [
                r("Apology", None, "Recommended", false),
                r("Payment", Some(400), "Recommended", false),
            ],
            "{layout}: recommended, and nothing says the council agreed"
        );
        assert_eq!(
            remedies_of("admissions_appeal_panel", layout),
            [
                r("Other", None, "Agreed", false),
                r("Payment", Some(100), "Agreed", false),
                r("Payment", Some(150), "Conditional", false),
            ],
            "{layout}: £100 outright, a further £150 only if Mrs A shows what she paid"
        );
        let mut payments = Payments::default();
        for kind in [
            "upheld_recommended_no_answer",
            "upheld_not_agreed",
            "upheld_partly_agreed",
            "upheld_conditional_remedies",
            "upheld_paid_and_instalments",
            "admissions_appeal_panel",
        ] {
            payments.add(&import_kind(kind, layout).decision);
        }
        assert_eq!(
            payments.total_pence,
            (400 + 1810 + 100) * 100,
            "{layout}: only the payments agreed, each once"
        );
        assert_eq!(payments.decisions_with_amount, 2);
    }
}

#[test]
fn can_cover_every_kind_folder() {
    let mut covered: Vec<&str> = EXPECT.iter().map(|e| e.kind).collect();
    covered.extend(CUT);
    covered.extend(["cookie_banner", "contents_list"]);
    covered.sort_unstable();
    assert_eq!(every_kind(), covered);
}

#[test]
fn can_summarise_a_page_with_a_cookie_banner_or_a_contents_list_like_the_plain_page() {
    for kind in ["cookie_banner", "contents_list"] {
        for layout in LAYOUTS {
            let d = import_kind(kind, layout).decision;
            let s = summarise(&d);
            let got = lines(&s);
            for want in [
                "The council was at fault.",
                "It will apologise to Mr X and pay him £250.",
                "Mr X complained the council did not give him a copy of its report before a child protection conference about his son.",
                "Within one month, the council will apologise to Mr X.",
                "It will also pay Mr X £250 for his distress.",
            ] {
                assert!(got.iter().any(|l| l == want), "{kind}/{layout}: no {want:?} in {got:#?}");
            }
            assert!(!s.text().contains("Cookie") && !s.text().contains("cookie"));
            assert_eq!(d.incomplete, None, "{kind}/{layout}");
        }
    }
}

#[test]
fn can_mark_a_page_cut_short_and_claim_nothing_from_the_missing_part() {
    let missing = [
        ("cut_role_and_powers", "mid-sentence"),
        ("cut_mid_sentence", "mid-sentence"),
        ("cut_mid_heading", "heading (“Agreed act”)"),
        ("no_final_decision", "no final decision"),
    ];
    for (kind, what) in missing {
        for layout in LAYOUTS {
            let imported = import_kind(kind, layout);
            let d = &imported.decision;
            let marked = d.incomplete.as_deref().unwrap_or_default();
            assert!(marked.contains(what), "{kind}/{layout}: {marked:?}");
            assert!(
                marked.contains("no final decision"),
                "{kind}/{layout}: {marked:?}"
            );
            let warned = imported
                .warnings
                .iter()
                .map(ToString::to_string)
                .find(|w| w.contains("looks incomplete"))
                .unwrap_or_else(|| panic!("{kind}/{layout}: no warning"));
            assert!(warned.contains(&format!("{layout}.txt")), "{warned}");
            assert!(warned.contains(what), "{warned}");
            let s = summarise(d);
            let got = lines(&s);
            // Only what the Ombudsman's summary says, from it, with the person its "him"
            // stands for named: the headline is read alone, before Mr X is named.
            assert!(
                got.iter()
                    .any(|l| l == "It has agreed to apologise and pay Mr X £250."),
                "{got:#?}"
            );
            assert!(
                !s.headline.contains("him"),
                "{kind}/{layout}: {}",
                s.headline
            );
            assert!(
                got.iter()
                    .any(|l| l.starts_with("This copy of the decision is not complete")),
                "{got:#?}"
            );
            for bad in ["did not ask", "nothing more is needed", "Within one month"] {
                assert!(!s.text().contains(bad), "{kind}/{layout}: says {bad:?}");
            }
            for l in s
                .headline_lines
                .iter()
                .chain(s.parts.iter().flat_map(|p| p.lines.iter()))
            {
                if l.about.is_claim() {
                    assert!(
                        l.from_summary,
                        "{kind}/{layout}: {l:?} is not from the summary"
                    );
                }
            }
        }
    }
}

#[test]
fn can_trace_every_claim_of_every_kind_to_its_source() {
    for kind in every_kind() {
        for layout in LAYOUTS {
            let d = import_kind(&kind, layout).decision;
            let s = summarise(&d);
            let problems = trace::untraceable(&d, &s);
            assert!(problems.is_empty(), "{kind}/{layout}: {problems:#?}");
        }
    }
}

#[test]
fn can_read_every_kind_more_easily_than_the_ombudsman() {
    for kind in every_kind() {
        for layout in LAYOUTS {
            let d = import_kind(&kind, layout).decision;
            let s = summarise(&d);
            let ours = readability::measure(&s.text());
            assert!(
                ours.reading_ease >= 65.0,
                "{kind}/{layout}: reading ease {:.1}: {}",
                ours.reading_ease,
                s.text()
            );
            assert!(
                ours.words_per_sentence <= 15.0,
                "{kind}/{layout}: {:.1} words per sentence: {}",
                ours.words_per_sentence,
                s.text()
            );
            if let Some(theirs) = d.summary.as_deref().map(readability::measure) {
                assert!(
                    ours.reading_ease > theirs.reading_ease,
                    "{kind}/{layout}: ours {:.1}, the Ombudsman's {:.1}",
                    ours.reading_ease,
                    theirs.reading_ease
                );
            }
        }
    }
}

fn casebook(root: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_casebook"))
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .expect("the casebook binary runs")
}

/// Through the real binary: import one layout of every kind into a new site, build it and
/// check it. The cut pages are reported by name and marked, their pages say so, every
/// summary line links to its source, and `check` finds every claim traced.
#[test]
fn can_import_build_and_check_every_kind_through_the_binary() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    let init = casebook(tmp.path(), &["init", site.to_str().expect("utf-8")]);
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let pages: Vec<String> = every_kind()
        .iter()
        .map(|k| {
            kinds_dir()
                .join(k)
                .join("numbered.txt")
                .display()
                .to_string()
        })
        .collect();
    let mut args = vec!["import"];
    args.extend(pages.iter().map(String::as_str));
    let out = casebook(&site, &args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{err}");
    for kind in CUT {
        let line = err
            .lines()
            .find(|l| l.contains(&format!("{kind}/numbered.txt")) && l.contains("looks incomplete"))
            .unwrap_or_else(|| panic!("no incomplete warning for {kind}:\n{err}"));
        assert!(line.contains("no final decision"), "{line}");
    }
    let content = std::fs::read_to_string(site.join("content/decisions/2023/23-013-209.md"))
        .expect("the cut page was imported");
    assert!(
        content.contains("incomplete = \"no final decision; the text stops mid-sentence"),
        "{content}"
    );

    let out = casebook(&site, &["build", "--base-url", "/"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = |slug: &str| {
        std::fs::read_to_string(site.join("public/decisions").join(slug).join("index.html"))
            .unwrap_or_else(|e| panic!("{slug}: {e}"))
    };
    let cut = page("23-013-209");
    assert!(
        cut.contains("This copy of the decision is incomplete"),
        "no notice"
    );
    assert!(cut.contains("the text stops mid-sentence"));
    let whole = page("23-013-212");
    assert!(!whole.contains("This copy of the decision is incomplete"));
    let remedies = page("23-012-377");
    for source in [
        r##"<a class="source" href="#p10" aria-label="Source: paragraph 10">¶10</a>"##,
        r##"<a class="source" href="#p13" aria-label="Source: paragraph 13">¶13</a>"##,
    ] {
        assert!(remedies.contains(source), "no {source}");
    }
    assert!(remedies.contains(r#"id="p13""#), "the link's target exists");
    let closed = page("24-003-118");
    assert!(
        closed.contains(r##"href="#ombudsman-summary" aria-label="Source: the Ombudsman's summary">summary</a>"##),
        "a sentence from the Ombudsman's summary links to it"
    );
    assert!(closed.contains(r#"id="ombudsman-summary""#));
    // A care company is named as one, not as a council.
    let provider = page("23-009-517");
    assert!(provider.contains("<dt>Organisation</dt>"), "key facts");
    assert!(!provider.contains("<dt>Council</dt>"));
    assert!(!provider.contains("What the council"));
    // Recommendations the council refused are listed apart, never as agreed.
    let refused = page("24-011-202");
    assert!(refused.contains("Remedies recommended"));
    assert!(refused.contains("(recommended, not agreed)"));
    assert!(!refused.contains("Remedies agreed"));
    assert!(!refused.contains("will pay"));

    let out = casebook(&site, &["check", "--readability"]);
    let report = String::from_utf8_lossy(&out.stdout).into_owned();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{err}\n{report}");
    assert!(!err.contains("plain-English summary"), "{err}");
    assert!(
        err.contains("23-013-209.md") && err.contains("is incomplete"),
        "{err}"
    );
    for reference in ["24 003 118", "23 012 377", "17 002 402b", "22 005 691"] {
        assert!(
            report.contains(reference),
            "no readability row for {reference}:\n{report}"
        );
    }
}

#[test]
fn can_record_no_finding_from_what_the_person_or_the_council_says() {
    for layout in ["numbered", "compact"] {
        let findings = import_kind("not_upheld_claims", layout).decision.findings;
        assert_eq!(
            (findings.fault, findings.injustice),
            (Some(false), None),
            "{layout}: the Ombudsman's 'no fault', not Mrs Y's belief of fault and injustice"
        );
    }
}
