//! The "at a glance" panels and `/statistics/` end to end: the real binary builds a site
//! of generated decisions (`casebook::corpus`, imported through `casebook import`) and the
//! default site, and the figures the pages draw, tabulate and offer as CSV are checked
//! against figures counted here another way, from `/data/decisions.json`.

mod common;

use std::collections::BTreeMap;

use common::SiteTest;
use regex::Regex;
use serde_json::Value;

/// Outcome columns in the order the CSVs and tables use.
const OUTCOMES: [&str; 4] = [
    "Upheld",
    "Not upheld",
    "Closed after initial enquiries",
    "Outcome not stated",
];

fn outcome_column(record: &Value) -> usize {
    match record["outcome"].as_str() {
        Some("Upheld") => 0,
        Some("Not upheld") => 1,
        Some("Closed after initial enquiries") => 2,
        _ => 3,
    }
}

fn year_label(record: &Value) -> String {
    record["decision_date"]
        .as_str()
        .map_or_else(|| "Undated".to_string(), |d| d[..4].to_string())
}

/// Rows of a CSV as (first field, the others), after checking its header.
fn csv_rows(text: &str, header: &[&str]) -> Vec<(String, Vec<String>)> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let got: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(got, header, "CSV header");
    r.records()
        .map(|rec| {
            let rec = rec.expect("a CSV record");
            let mut fields = rec.iter().map(String::from);
            let label = fields.next().expect("a label");
            (label, fields.collect())
        })
        .collect()
}

/// Per year (oldest first, `Undated` last): counts of each outcome and the total.
fn expected_by_year(records: &[&Value]) -> Vec<(String, Vec<String>)> {
    let mut years: BTreeMap<(bool, String), [usize; 4]> = BTreeMap::new();
    for r in records {
        let label = year_label(r);
        years.entry((label == "Undated", label)).or_default()[outcome_column(r)] += 1;
    }
    years
        .into_iter()
        .map(|((_, label), c)| {
            let mut cells: Vec<String> = c.iter().map(ToString::to_string).collect();
            cells.push(c.iter().sum::<usize>().to_string());
            (label, cells)
        })
        .collect()
}

fn by_year_header() -> Vec<&'static str> {
    let mut h = vec!["Year"];
    h.extend(OUTCOMES);
    h.push("Total");
    h
}

/// The stated amounts of a record's payments, in pence, and whether one had no amount.
fn payments(record: &Value) -> (u64, bool, bool) {
    let mut total = 0;
    let (mut stated, mut unstated) = (false, false);
    for m in record["remedies"].as_array().expect("remedies") {
        if m["kind"] != "payment" {
            continue;
        }
        match m["amount"].as_f64() {
            #[allow(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "amounts are small positive pounds"
            )]
            Some(pounds) => {
                total += (pounds * 100.0).round() as u64;
                stated = true;
            }
            None => unstated = true,
        }
    }
    (total, stated, unstated && !stated)
}

/// The figure panel's chart: SVG description, value texts after the bars, table rows.
struct Drawn {
    description: String,
    values: Vec<String>,
    table: Vec<Vec<String>>,
}

fn strip_tags(html: &str) -> String {
    Regex::new(r"<[^>]+>")
        .expect("regex")
        .replace_all(html, "")
        .trim()
        .to_string()
}

/// The chart with id `id` on `html`.
fn drawn(html: &str, id: &str) -> Drawn {
    let start = html
        .find(&format!("id=\"chart-{id}\""))
        .unwrap_or_else(|| panic!("no chart {id}"));
    let end = html[start..].find("</figure>").expect("figure end") + start;
    let figure = &html[start..end];
    let svg = Regex::new(&format!(
        r#"<svg [^>]*role="img" aria-labelledby="{id}-title {id}-desc""#
    ))
    .expect("regex");
    assert!(svg.is_match(figure), "accessible name: {figure}");
    assert!(
        figure.contains(&format!("<title id=\"{id}-title\">")),
        "title"
    );
    let description = Regex::new(&format!(r#"<desc id="{id}-desc">([^<]*)</desc>"#))
        .expect("regex")
        .captures(figure)
        .map(|c| c[1].to_string())
        .expect("a description");
    let values = Regex::new(r#"<text class="chart-value"[^>]*>([^<]*)</text>"#)
        .expect("regex")
        .captures_iter(figure)
        .map(|c| c[1].to_string())
        .collect();
    let body = &figure[figure.find("<tbody>").expect("a table")..];
    let table = Regex::new(r"(?s)<tr>(.*?)</tr>")
        .expect("regex")
        .captures_iter(body)
        .map(|row| {
            Regex::new(r"(?s)<t[hd][^>]*>(.*?)</t[hd]>")
                .expect("regex")
                .captures_iter(&row[1])
                .map(|c| strip_tags(&c[1]))
                .collect()
        })
        .collect();
    Drawn {
        description,
        values,
        table,
    }
}

/// The `<section class="glance">` of a page.
fn panel(html: &str) -> &str {
    let start = html
        .find("<section class=\"glance\"")
        .expect("an at-a-glance panel");
    let end = html[start..].find("</section>").expect("panel end") + start;
    &html[start..end]
}

fn decisions_word(n: &str) -> String {
    format!("{n} decision{}", if n == "1" { "" } else { "s" })
}

#[test]
fn can_show_the_same_figures_in_chart_table_and_csv_as_the_open_data() {
    let t = SiteTest::generated(240);
    let data: Value = serde_json::from_str(&t.read("data/decisions.json")).expect("JSON");
    let records: Vec<&Value> = data.as_array().expect("an array").iter().collect();
    assert_eq!(records.len(), 240);

    let page = t.read("statistics/index.html");
    check_by_year(&records, &t, &page);
    check_shares(&records, &t);
    check_payments(&records, &t, &page);
    check_council(&records, &t);
}

fn check_by_year(records: &[&Value], t: &SiteTest, page: &str) {
    // The whole digest, per year and outcome, undated decisions as their own row.
    let all = expected_by_year(records);
    assert!(
        all.iter().any(|(l, _)| l == "Undated"),
        "the corpus has undated decisions"
    );
    let csv = csv_rows(&t.read("statistics/by-year.csv"), &by_year_header());
    assert_eq!(csv, all, "statistics/by-year.csv");
    let chart = drawn(page, "by-year");
    for ((label, cells), row) in all.iter().zip(&chart.table) {
        assert_eq!(&row[0], label);
        assert_eq!(&row[1..], cells.as_slice(), "table row {label}");
    }
    assert_eq!(chart.table.len(), all.len());
    for ((label, cells), value) in all.iter().zip(&chart.values) {
        let total = decisions_word(&cells[4]);
        assert_eq!(value, &total, "value drawn after the {label} bar");
        assert!(
            chart.description.contains(&format!("{label}: {total} (")),
            "description states {label}: {}",
            chart.description
        );
        for (name, n) in OUTCOMES.iter().zip(cells) {
            if n != "0" {
                let stated = format!("{n} {}", name.to_lowercase());
                let sentence = chart
                    .description
                    .split(". ")
                    .find(|s| s.starts_with(&format!("{label}:")))
                    .expect("a sentence per row");
                assert!(sentence.contains(&stated), "{sentence} states {stated}");
            }
        }
    }
    let inferred = records
        .iter()
        .filter(|r| {
            !r["outcome"].is_null()
                && r["inferred"]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|f| f == "outcome"))
        })
        .count();
    assert!(inferred > 0, "the corpus has inferred outcomes");
    assert!(
        page.contains(&format!("{inferred} outcomes were inferred")),
        "inferred outcomes counted and labelled"
    );
    assert!(page.contains("numbers alone do not show"), "the caveat");
}

fn check_shares(records: &[&Value], t: &SiteTest) {
    // Upheld share by category.
    let mut shares: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for r in records {
        if let Some(c) = r["category"].as_str() {
            let e = shares.entry(c.to_lowercase()).or_default();
            match outcome_column(r) {
                0 => {
                    e.0 += 1;
                    e.1 += 1;
                }
                1 => e.1 += 1,
                _ => {}
            }
        }
    }
    let csv = csv_rows(
        &t.read("statistics/upheld-by-category.csv"),
        &["Category", "Upheld", "Upheld or not upheld", "Upheld share"],
    );
    assert_eq!(csv.len(), shares.len());
    for (label, fields) in &csv {
        let (upheld, upheld_or_not) = shares[&label.to_lowercase()];
        assert_eq!(fields[0], upheld.to_string(), "{label}");
        assert_eq!(fields[1], upheld_or_not.to_string(), "{label}");
        let percent = if upheld_or_not >= 10 {
            ((upheld * 100 + upheld_or_not / 2) / upheld_or_not).to_string()
        } else {
            String::new()
        };
        assert_eq!(fields[2], percent, "{label}: no percentage below 10");
    }
}

fn check_payments(records: &[&Value], t: &SiteTest, page: &str) {
    // Payments by year: only stated amounts, with how many decisions they come from.
    let mut paid: BTreeMap<(bool, String), (u64, usize, usize)> = BTreeMap::new();
    for r in records {
        let label = year_label(r);
        let (pence, stated, unstated) = payments(r);
        let e = paid.entry((label == "Undated", label)).or_default();
        e.0 += pence;
        e.1 += usize::from(stated);
        e.2 += usize::from(unstated);
    }
    let csv = csv_rows(
        &t.read("statistics/payments-by-year.csv"),
        &[
            "Year",
            "Payments stated",
            "Decisions stating an amount",
            "Decisions agreeing a payment without an amount",
        ],
    );
    let expected: Vec<(String, Vec<String>)> = paid
        .into_iter()
        .map(|((_, label), (pence, s, u))| {
            (
                label,
                vec![
                    format!("{}.{:02}", pence / 100, pence % 100),
                    s.to_string(),
                    u.to_string(),
                ],
            )
        })
        .collect();
    assert_eq!(csv, expected, "statistics/payments-by-year.csv");
    let chart = drawn(page, "payments-by-year");
    assert_eq!(chart.table.len(), expected.len());
    for (row, (label, fields)) in chart.table.iter().zip(&expected) {
        assert_eq!(&row[0], label);
        assert_eq!(row[2], fields[1]);
        assert!(chart.description.contains(&format!("{label}: {}", row[1])));
    }
}

fn check_council(records: &[&Value], t: &SiteTest) {
    // The council with the most decisions: its panel against its own records.
    let mut by_council: BTreeMap<&str, Vec<&Value>> = BTreeMap::new();
    for r in records {
        by_council
            .entry(r["council"].as_str().expect("council"))
            .or_default()
            .push(r);
    }
    let (name, mine) = by_council
        .iter()
        .max_by_key(|(n, v)| (v.len(), std::cmp::Reverse(**n)))
        .expect("a council");
    let council_page = t
        .html_files()
        .into_iter()
        .find(|(path, html)| {
            path.starts_with("councils/")
                && path.ends_with("/index.html")
                && !path.contains("/page/")
                && html.contains(&format!("<h1>{name}</h1>"))
        })
        .map(|(path, html)| (path.trim_end_matches("index.html").to_string(), html))
        .expect("the council's page");
    let (dir, html) = council_page;
    let expected = expected_by_year(mine);
    let csv = csv_rows(&t.read(&format!("{dir}by-year.csv")), &by_year_header());
    assert_eq!(csv, expected, "{dir}by-year.csv");
    let glance = panel(&html);
    let chart = drawn(glance, "glance-by-year");
    assert_eq!(chart.table.len(), expected.len());
    for (row, (label, cells)) in chart.table.iter().zip(&expected) {
        assert_eq!(&row[0], label);
        assert_eq!(&row[1..], cells.as_slice());
    }
    let upheld = mine.iter().filter(|r| outcome_column(r) == 0).count();
    let upheld_or_not = mine.iter().filter(|r| outcome_column(r) < 2).count();
    assert!(
        glance.contains(&format!(
            "{upheld} of {upheld_or_not}{}, leaving out those closed after initial enquiries",
            if upheld_or_not >= 10 {
                format!(" ({}%)", (upheld * 100 + upheld_or_not / 2) / upheld_or_not)
            } else {
                String::new()
            }
        )),
        "share upheld in {glance}"
    );
    assert_eq!(
        glance.contains(&format!("{upheld} of {upheld_or_not} (")),
        upheld_or_not >= 10,
        "a percentage only from 10 upheld or not upheld"
    );
    let (pence, with, _) = mine
        .iter()
        .map(|r| payments(r))
        .fold((0, 0, 0), |(p, w, u), (pence, s, un)| {
            (p + pence, w + usize::from(s), u + usize::from(un))
        });
    if with > 0 {
        let money = casebook::decision::Money { pence }.display();
        assert!(
            glance.contains(&format!("{money} in {with} decision")),
            "payments {money} from {with} decisions in {glance}"
        );
    }
    assert!(glance.contains("Top categories"), "{glance}");
    assert!(glance.contains("numbers alone do not show"), "the caveat");
    assert!(
        glance.contains("href=\"") && glance.contains("by-year.csv\" download"),
        "a CSV download"
    );
}

#[test]
fn can_give_counts_not_percentages_for_a_small_council() {
    let t = SiteTest::default_site();
    let run = t.run(&["build"]);
    assert!(run.success, "{}", run.stderr);
    for page in [
        "councils/northamptonshire-county-council/index.html",
        "categories/children-s-care-services/index.html",
        "categories/children-s-care-services/child-protection/index.html",
        "outcomes/upheld/index.html",
        "years/2019/index.html",
    ] {
        let html = t.read(page);
        let glance = panel(&html);
        assert!(glance.contains("At a glance"), "{page}");
        assert!(
            !strip_tags(glance).contains('%'),
            "{page} has fewer than 10 decisions"
        );
        assert!(glance.contains("numbers alone do not show"), "{page}");
        let chart = drawn(glance, "glance-by-year");
        assert!(!chart.table.is_empty(), "{page}");
    }
    let council = t.read("councils/northamptonshire-county-council/index.html");
    assert!(panel(&council).contains("Top categories"));
    let category = t.read("categories/children-s-care-services/index.html");
    assert!(panel(&category).contains("Top councils"));
    assert!(t
        .read("statistics/index.html")
        .contains("<h1>Statistics</h1>"));
    let home = t.read("index.html");
    assert!(
        home.contains("statistics/\">Statistics</a>")
            || home.contains("statistics/index.html\">Statistics</a>"),
        "the navigation links /statistics/"
    );
    assert!(t.read("sitemap.xml").contains("statistics/"));
}

#[test]
fn can_build_a_theme_without_a_statistics_page() {
    let t = SiteTest::default_site();
    let theme = t.root.join("themes/default/templates");
    std::fs::remove_file(theme.join("statistics.html")).expect("drop the template");
    let run = t.run(&["build"]);
    assert!(run.success, "{}", run.stderr);
    assert!(!t.public().join("statistics").exists());
    assert!(!t.read("index.html").contains(">Statistics</a>"));
}
