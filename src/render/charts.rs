//! Charts as data: turns the figures of [`crate::site::statistics`] into a [`Chart`] the
//! theme draws as SVG (`partials/chart.html`), the same figures as table cells, and the
//! CSV download. Geometry is plain numbers (percentages of the chart's width, pixels down
//! it) so the template only places shapes; colours and patterns are the theme's.
//!
//! Every chart is horizontal bars, one row per year or term, with the label above the
//! bar and the figures after it: rows stack down a phone's screen instead of widening.

use serde::Serialize;

use crate::decision::Money;
use crate::output::OutputFile;
use crate::site::statistics::{Payments, Share, YearCounts};
use crate::site::OutcomeCounts;

/// The widest bar, as a percentage of the chart's width (the rest holds its figures).
const BAR_SPAN: f64 = 50.0;
/// Pixels per row: a label line, then the bar.
const ROW_HEIGHT: u32 = 40;
/// Pixels of a bar's height.
pub const BAR_HEIGHT: u32 = 14;

/// One series of a stacked chart, for the legend and the segments' fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Series {
    /// `Upheld`.
    pub name: &'static str,
    /// `upheld`: the theme's CSS class and pattern suffix.
    pub slug: &'static str,
}

/// The outcome series, in the Ombudsman's order, then outcomes not stated.
pub const OUTCOME_SERIES: [Series; 4] = [
    Series {
        name: "Upheld",
        slug: "upheld",
    },
    Series {
        name: "Not upheld",
        slug: "not-upheld",
    },
    Series {
        name: "Closed after initial enquiries",
        slug: "closed",
    },
    Series {
        name: "Outcome not stated",
        slug: "unknown",
    },
];

/// One coloured piece of a bar.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Segment {
    /// The series' slug.
    pub slug: &'static str,
    /// Left edge, percent of the chart's width.
    #[serde(serialize_with = "percent")]
    pub x: f64,
    /// Width, percent of the chart's width.
    #[serde(serialize_with = "percent")]
    pub width: f64,
    /// What it stands for, in words (`12 upheld`), for the segment's tooltip.
    pub text: String,
}

/// One row: a label, a bar of segments, the figures after it, and the table's cells.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// `2022`, `Undated`, a council's name.
    pub label: String,
    /// The figures written after the bar: `40 decisions`.
    pub value_text: String,
    /// The bar's segments (none for a row too small to draw honestly).
    pub segments: Vec<Segment>,
    /// Where the figures start, percent of the width (the bar's end).
    #[serde(serialize_with = "percent")]
    pub text_x: f64,
    /// The label's baseline, pixels from the top.
    pub label_y: u32,
    /// The bar's top edge, pixels from the top.
    pub bar_y: u32,
    /// The table's cells after the label, as shown.
    pub cells: Vec<String>,
    /// The CSV's fields after the label: plain numbers.
    #[serde(skip)]
    pub csv: Vec<String>,
}

/// A chart with its text alternative, table and CSV download.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chart {
    /// An id unique on its page (`by-year`), for the SVG's title, description and patterns.
    pub id: String,
    /// The chart's title.
    pub title: String,
    /// The text alternative: every figure the chart draws, in sentences.
    pub description: String,
    /// The legend; empty for a chart of one series.
    pub series: Vec<Series>,
    /// The rows, top to bottom.
    pub rows: Vec<Row>,
    /// The table's column headings (the first heads the labels).
    pub columns: Vec<String>,
    /// The SVG's height in pixels.
    pub height: u32,
    /// The bars' height in pixels.
    pub bar_height: u32,
    /// Where the CSV is written: a site path (`councils/x/by-year.csv`).
    #[serde(skip)]
    pub csv_path: String,
    /// The CSV's URL.
    pub csv_url: String,
}

impl Chart {
    fn new(id: &str, title: String, columns: Vec<String>, series: Vec<Series>) -> Self {
        Self {
            id: id.to_string(),
            title,
            description: String::new(),
            series,
            rows: Vec::new(),
            columns,
            height: 0,
            bar_height: BAR_HEIGHT,
            csv_path: String::new(),
            csv_url: String::new(),
        }
    }

    /// Sets where the CSV is written (`path`) and its URL.
    pub fn with_csv(mut self, path: String, url: String) -> Self {
        self.csv_path = path;
        self.csv_url = url;
        self
    }

    fn push(&mut self, label: String, value_text: String, widths: &[(Series, f64, String)]) {
        let top = u32::try_from(self.rows.len()).unwrap_or(u32::MAX) * ROW_HEIGHT;
        let mut x = 0.0;
        let mut segments = Vec::new();
        for (series, width, text) in widths {
            if *width > 0.0 {
                segments.push(Segment {
                    slug: series.slug,
                    x: round2(x),
                    width: round2(*width),
                    text: text.clone(),
                });
                x += width;
            }
        }
        self.rows.push(Row {
            label,
            value_text,
            segments,
            text_x: round2(x),
            label_y: top + 13,
            bar_y: top + 20,
            cells: Vec::new(),
            csv: Vec::new(),
        });
        self.height = top + ROW_HEIGHT;
    }

    fn last(&mut self) -> &mut Row {
        let n = self.rows.len() - 1;
        &mut self.rows[n]
    }

    /// The CSV download: the table's header, then one line per row of plain numbers.
    pub fn csv_file(&self) -> Result<OutputFile, String> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&self.columns).map_err(|e| e.to_string())?;
        for row in &self.rows {
            w.write_record(std::iter::once(&row.label).chain(&row.csv))
                .map_err(|e| e.to_string())?;
        }
        Ok(OutputFile {
            path: self.csv_path.clone(),
            bytes: w.into_inner().map_err(|e| e.to_string())?,
        })
    }
}

/// A percentage (already rounded to hundredths, between 0 and [`BAR_SPAN`]) as templates
/// write it: a whole one as an integer (`50`, not `50.0`), any other as it is (`33.33`).
#[allow(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's serialize_with passes a reference"
)]
fn percent<S: serde::Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    if value.fract() == 0.0 {
        #[allow(
            clippy::cast_possible_truncation,
            reason = "whole, and between 0 and BAR_SPAN"
        )]
        serializer.serialize_i64(*value as i64)
    } else {
        serializer.serialize_f64(*value)
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[allow(
    clippy::cast_precision_loss,
    reason = "counts and pence are far below 2^52"
)]
fn scale(value: u64, max: u64) -> f64 {
    if max == 0 {
        0.0
    } else {
        value as f64 / max as f64 * BAR_SPAN
    }
}

/// `1 decision`, `12 decisions`.
pub fn decisions(n: usize) -> String {
    format!("{n} decision{}", if n == 1 { "" } else { "s" })
}

/// The label of a year row: the year, or `Undated`.
pub fn year_label(year: Option<i32>) -> String {
    year.map_or_else(|| "Undated".to_string(), |y| y.to_string())
}

fn outcome_values(c: &OutcomeCounts) -> [usize; 4] {
    [c.upheld, c.not_upheld, c.closed, c.unknown]
}

/// Stacked bars of outcomes, one row per `(label, counts)`: decisions per year, or the
/// councils with the most decisions. `label_heading` heads the table's first column.
pub fn outcomes(
    id: &str,
    title: String,
    label_heading: &str,
    rows: &[(String, OutcomeCounts)],
) -> Chart {
    let mut columns = vec![label_heading.to_string()];
    columns.extend(OUTCOME_SERIES.iter().map(|s| s.name.to_string()));
    columns.push("Total".into());
    let mut chart = Chart::new(id, title.clone(), columns, OUTCOME_SERIES.to_vec());
    let max = rows.iter().map(|(_, c)| c.total()).max().unwrap_or(0) as u64;
    let mut sentences = vec![format!("{title}.")];
    for (label, counts) in rows {
        let values = outcome_values(counts);
        let widths: Vec<(Series, f64, String)> = OUTCOME_SERIES
            .iter()
            .zip(values)
            .map(|(s, v)| {
                (
                    *s,
                    scale(v as u64, max),
                    format!("{v} {}", s.name.to_lowercase()),
                )
            })
            .collect();
        let total = decisions(counts.total());
        let parts: Vec<String> = OUTCOME_SERIES
            .iter()
            .zip(values)
            .filter(|(_, v)| *v > 0)
            .map(|(s, v)| format!("{v} {}", s.name.to_lowercase()))
            .collect();
        sentences.push(format!("{label}: {total} ({}).", parts.join(", ")));
        chart.push(label.clone(), total, &widths);
        let mut cells: Vec<String> = values.iter().map(ToString::to_string).collect();
        cells.push(counts.total().to_string());
        let row = chart.last();
        row.csv = cells.clone();
        row.cells = cells;
    }
    chart.description = sentences.join(" ");
    chart
}

/// Decisions per year by outcome, undated decisions as a row of their own.
pub fn by_year(id: &str, title: String, years: &[YearCounts]) -> Chart {
    let rows: Vec<(String, OutcomeCounts)> = years
        .iter()
        .map(|y| (year_label(y.year), y.outcomes))
        .collect();
    outcomes(id, title, "Year", &rows)
}

/// The share of decisions upheld, of those upheld or not upheld, one row per `(label,
/// share)`. A row of fewer than [`MIN_FOR_PERCENT`](crate::site::statistics::MIN_FOR_PERCENT)
/// such decisions gets no bar and no percentage, only its counts.
pub fn shares(id: &str, title: String, label_heading: &str, rows: &[(String, Share)]) -> Chart {
    let columns = vec![
        label_heading.to_string(),
        "Upheld".into(),
        "Upheld or not upheld".into(),
        "Upheld share".into(),
    ];
    let series = OUTCOME_SERIES[..2].to_vec();
    let mut chart = Chart::new(id, title.clone(), columns, series.clone());
    let mut sentences = vec![format!(
        "{title}: of the decisions upheld or not upheld (those closed after initial enquiries \
         left out), how many were upheld."
    )];
    for (label, share) in rows {
        let (upheld, upheld_or_not) = (share.upheld as u64, share.upheld_or_not as u64);
        let counts = format!("{upheld} of {upheld_or_not}");
        let (value_text, widths) = match share.percent() {
            Some(p) => (
                format!("{p}% ({counts})"),
                vec![
                    (
                        series[0],
                        scale(upheld, upheld_or_not),
                        format!("{upheld} upheld"),
                    ),
                    (
                        series[1],
                        scale(upheld_or_not - upheld, upheld_or_not),
                        format!("{} not upheld", upheld_or_not - upheld),
                    ),
                ],
            ),
            None => (format!("{counts} (too few for a percentage)"), Vec::new()),
        };
        sentences.push(match share.percent() {
            Some(p) => format!("{label}: {p}% upheld ({counts})."),
            None => format!("{label}: {counts} upheld, too few for a percentage."),
        });
        chart.push(label.clone(), value_text, &widths);
        let percent = share.percent().map(|p| p.to_string());
        let row = chart.last();
        row.cells = vec![
            upheld.to_string(),
            upheld_or_not.to_string(),
            percent
                .as_ref()
                .map_or_else(|| "too few".to_string(), |p| format!("{p}%")),
        ];
        row.csv = vec![
            upheld.to_string(),
            upheld_or_not.to_string(),
            percent.unwrap_or_default(),
        ];
    }
    chart.description = sentences.join(" ");
    chart
}

/// Payments agreed, one row per `(label, payments)`: only amounts the decisions state are
/// added, with how many decisions they come from.
pub fn payments(
    id: &str,
    title: String,
    label_heading: &str,
    rows: &[(String, Payments)],
) -> Chart {
    let columns = vec![
        label_heading.to_string(),
        "Payments stated".into(),
        "Decisions stating an amount".into(),
        "Decisions agreeing a payment without an amount".into(),
    ];
    let mut chart = Chart::new(id, title.clone(), columns, Vec::new());
    let max = rows.iter().map(|(_, p)| p.total_pence).max().unwrap_or(0);
    let mut sentences = vec![format!(
        "{title}: the sum of the amounts the decisions state, and how many decisions state one."
    )];
    let paying = Series {
        name: "Payments",
        slug: "payment",
    };
    for (label, p) in rows {
        let amount = Money {
            pence: p.total_pence,
        }
        .display();
        // The figures after the bar stay short enough for a phone; the decisions agreeing
        // a payment without an amount are in the description and the table.
        let value_text = format!("{amount} in {}", decisions(p.decisions_with_amount));
        let mut sentence = format!("{label}: {value_text}");
        if p.decisions_without_amount > 0 {
            sentence.push_str(&format!(
                ", and {} more agreeing a payment with no amount stated",
                p.decisions_without_amount
            ));
        }
        sentences.push(format!("{sentence}."));
        let widths = [(paying, scale(p.total_pence, max), amount.clone())];
        chart.push(label.clone(), value_text, &widths);
        let row = chart.last();
        row.cells = vec![
            amount,
            p.decisions_with_amount.to_string(),
            p.decisions_without_amount.to_string(),
        ];
        row.csv = vec![
            format!("{}.{:02}", p.total_pence / 100, p.total_pence % 100),
            p.decisions_with_amount.to_string(),
            p.decisions_without_amount.to_string(),
        ];
    }
    chart.description = sentences.join(" ");
    chart
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(upheld: usize, not_upheld: usize, closed: usize, unknown: usize) -> OutcomeCounts {
        OutcomeCounts {
            upheld,
            not_upheld,
            closed,
            unknown,
        }
    }

    #[test]
    fn can_stack_outcomes_with_the_longest_bar_at_full_span() {
        let rows = vec![
            ("2021".to_string(), counts(2, 2, 0, 0)),
            ("2022".to_string(), counts(4, 2, 1, 1)),
        ];
        let c = outcomes("y", "Decisions per year".into(), "Year", &rows);
        assert_eq!(c.rows[1].text_x, BAR_SPAN);
        assert_eq!(c.rows[0].text_x, BAR_SPAN / 2.0);
        // Zero counts draw no segment.
        assert_eq!(c.rows[0].segments.len(), 2);
        assert_eq!(c.rows[1].segments[1].x, c.rows[1].segments[0].width);
        assert_eq!(c.rows[1].cells, ["4", "2", "1", "1", "8"]);
        assert!(c
            .description
            .contains("2022: 8 decisions (4 upheld, 2 not upheld, 1 closed after initial enquiries, 1 outcome not stated)."));
        assert_eq!(c.height, 2 * ROW_HEIGHT);
    }

    #[test]
    fn can_keep_small_shares_to_counts() {
        let rows = vec![
            (
                "Big".to_string(),
                Share {
                    upheld: 12,
                    upheld_or_not: 20,
                },
            ),
            (
                "Small".to_string(),
                Share {
                    upheld: 3,
                    upheld_or_not: 9,
                },
            ),
        ];
        let c = shares("s", "Upheld".into(), "Category", &rows);
        assert_eq!(c.rows[0].value_text, "60% (12 of 20)");
        assert_eq!(c.rows[1].value_text, "3 of 9 (too few for a percentage)");
        assert!(c
            .description
            .contains("Small: 3 of 9 upheld, too few for a percentage."));
        assert!(c.rows[1].segments.is_empty());
        assert!(!c.rows[1].cells.iter().any(|x| x.contains('%')));
        assert_eq!(c.rows[1].csv[2], "");
    }

    #[test]
    fn can_write_payments_as_pounds_in_the_csv() {
        let p = Payments {
            total_pence: 125_050,
            decisions_with_amount: 3,
            decisions_without_amount: 1,
        };
        let c = payments("p", "Payments".into(), "Year", &[("2022".into(), p)])
            .with_csv("statistics/p.csv".into(), "/statistics/p.csv".into());
        assert_eq!(c.rows[0].value_text, "£1,250.50 in 3 decisions");
        assert!(c.description.contains(
            "2022: £1,250.50 in 3 decisions, and 1 more agreeing a payment with no amount stated."
        ));
        let f = c.csv_file().expect("csv");
        let text = String::from_utf8(f.bytes).expect("utf-8");
        assert_eq!(text.lines().nth(1), Some("2022,1250.50,3,1"), "{text}");
        assert_eq!(f.path, "statistics/p.csv");
    }

    #[test]
    fn can_draw_an_empty_chart() {
        let c = by_year("e", "Nothing".into(), &[]);
        assert!(c.rows.is_empty());
        assert_eq!(c.height, 0);
        let f = c
            .with_csv("x.csv".into(), String::new())
            .csv_file()
            .expect("csv");
        assert_eq!(f.bytes.iter().filter(|&&b| b == b'\n').count(), 1);
    }
}
