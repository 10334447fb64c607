//! Synthetic decision pages in the layouts of the real ones, for benchmarks and load tests.
//!
//! [`page`] makes page `i` of a corpus: deterministic (the same `i` gives the same bytes),
//! varied (councils, categories, outcomes, dates, both paragraph layouts, bullets, nested
//! items, payments, paragraph references, page furniture, a cookie banner, pages with no
//! metadata lines) and shaped like the seeds, so that a benchmark exercises the same code
//! paths as real input. It makes text only; writing it anywhere is the caller's business.
//!
//! Two sizes: [`Size::Real`] (the default, [`real`]) is as long as the Ombudsman's own
//! decisions: 1,500 to 3,500 words in 25 to 60 numbered paragraphs, with the sections,
//! bullet lists, remedies and payments of the seeds. [`Size::Small`] ([`small`]) is the
//! earlier, much shorter page (about 3 KB), for quick load tests. [`html`] renders a page
//! as the website's HTML.

pub mod html;
pub mod real;
pub mod small;

pub(crate) const COUNCILS: &[&str] = &[
    "Kent County Council",
    "Essex County Council",
    "Stockton-on-Tees Borough Council",
    "Dudley Metropolitan Borough Council",
    "Northamptonshire County Council",
    "Birmingham City Council",
    "Leeds City Council",
    "Manchester City Council",
    "Liverpool City Council",
    "Bristol City Council",
    "Cornwall Council",
    "Norfolk County Council",
    "Suffolk County Council",
    "Devon County Council",
    "Surrey County Council",
    "Hampshire County Council",
    "Lancashire County Council",
    "Nottinghamshire County Council",
    "London Borough of Camden",
    "London Borough of Hackney",
    "Royal Borough of Greenwich",
    "Sheffield City Council",
    "Wiltshire Council",
    "Durham County Council",
    "Cumberland Council",
    "North Yorkshire Council",
    "Somerset Council",
    "Buckinghamshire Council",
    "Leicestershire County Council",
    "Brighton & Hove City Council",
    "Westminster City Council",
    "Oxfordshire County Council",
    "Cambridgeshire County Council",
    "Plymouth City Council",
    "Bradford Metropolitan District Council",
    "Kirklees Council",
    "Wakefield Metropolitan District Council",
    "Wirral Metropolitan Borough Council",
    "Sunderland City Council",
    "Coventry City Council",
    "Bright Horizons Care Ltd",
    "Oakfield Care Homes Limited",
];

/// The Ombudsman's categories with some of their subcategories, as the website names them.
pub const CATEGORIES: &[(&str, &[&str])] = &[
    (
        "Adult care services",
        &[
            "Direct payments",
            "Residential care",
            "Assessment and care plan",
            "Charging",
            "Safeguarding",
        ],
    ),
    (
        "Benefits and tax",
        &[
            "Council tax",
            "Housing benefit and council tax benefit",
            "Business rates",
        ],
    ),
    (
        "Children's care services",
        &[
            "Other",
            "Child protection",
            "Looked after children",
            "Disabled children",
        ],
    ),
    (
        "Education",
        &[
            "Special educational needs",
            "School transport",
            "Alternative provision",
            "Admissions",
        ],
    ),
    (
        "Environment and regulation",
        &["Refuse and recycling", "Noise", "Antisocial behaviour"],
    ),
    ("Health", &["Other"]),
    (
        "Housing",
        &["Homelessness", "Allocations", "Council house repairs"],
    ),
    ("Planning", &["Planning applications", "Enforcement"]),
    (
        "Transport and highways",
        &[
            "Parking and other penalties",
            "Highway repair and maintenance",
        ],
    ),
    ("Other Categories", &["Other"]),
];

pub(crate) const MONTHS: &[&str] = &[
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
pub(crate) const PEOPLE: &[&str] = &["Mr X", "Mrs Y", "Ms Z", "Mr B", "Miss C", "Mr D"];
pub(crate) const AMOUNTS: &[u32] = &[100, 150, 200, 250, 300, 350, 500, 750, 1000, 1250, 2400];
pub(crate) const DEADLINES: &[&str] = &[
    "Within one month",
    "Within four weeks",
    "Within two months",
    "Within three months",
];

pub(crate) const BANNER: &str = "Review your privacy settings\n\nRequired cookies\n\nThese cookies enable the website to function properly. You can only disable these by changing your browser preferences, but this will affect how the website performs.\n\nView required cookies\n\nAnalytical cookies\n\nGoogle Analytics cookies help us improve the performance of the website by understanding how visitors use the site.\nWe recommend you set these 'ON'.\n\nView analytical cookies\n\nPrivacy settings\n";

/// A synthetic page: a file name in the seeds' style and its text.
#[derive(Debug, Clone)]
pub struct RawPage {
    /// `000123_synthetic.txt`.
    pub file_name: String,
    /// The page's text.
    pub text: String,
}

/// A small deterministic generator (SplitMix64), so corpora are the same on every machine.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator started from `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next_u64() % (n.max(1) as u64)).unwrap_or(0)
    }

    pub(crate) fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len())]
    }
}

/// How long the pages of a corpus are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Size {
    /// As long as real decisions (the seeds): 1,500 to 3,500 words, 25 to 60 paragraphs.
    #[default]
    Real,
    /// The short pages of earlier benchmarks (about 3 KB of text).
    Small,
}

/// Page `i` of the real-sized synthetic corpus.
pub fn page(i: usize) -> RawPage {
    real::page(i)
}

/// Page `i` of the small synthetic corpus.
pub fn small_page(i: usize) -> RawPage {
    small::page(i)
}

/// Page `i` of the corpus of pages of `size`.
pub fn page_of(size: Size, i: usize) -> RawPage {
    match size {
        Size::Real => real::page(i),
        Size::Small => small::page(i),
    }
}

/// A heading as both page sizes write it: set off by blank lines on a numbered page, on a
/// line of its own otherwise.
pub(crate) fn heading_text(numbered: bool, text: &str) -> String {
    if numbered {
        format!("\n{text}\n\n")
    } else {
        format!("{text}\n")
    }
}

/// How both page sizes end: the signature, with "Back to top" and "Print this page" on a
/// numbered page.
pub(crate) fn signature(numbered: bool) -> &'static str {
    if numbered {
        "\nBack to top\n\nInvestigator's decision on behalf of the Ombudsman\n\nPrint this page\n"
    } else {
        "Investigator's decision on behalf of the Ombudsman\n"
    }
}

/// A paragraph's line: numbered within its section (`n`), or a dash.
pub(crate) fn paragraph_line(numbered: bool, n: usize, text: &str) -> String {
    if numbered {
        format!("  {n}. {text}\n")
    } else {
        format!("- {text}\n")
    }
}

/// A bullet's line: an indented bullet on a numbered page, a dash otherwise.
pub(crate) fn bullet_line(numbered: bool, item: &str) -> String {
    if numbered {
        format!("    • {item}\n")
    } else {
        format!("- {item}\n")
    }
}

/// The reference of page `i` of either corpus: unique for `i` below 1,000,000.
pub(crate) fn reference(year: usize, i: usize) -> String {
    format!("{:02} {:03} {:03}", year % 100, i / 1000 % 1000, i % 1000)
}
