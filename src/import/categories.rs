//! The Ombudsman's categories and subcategories, by the slugs its website's addresses use.
//!
//! Slugs are lossy (capitals and apostrophes are gone: `children-s-care-services`), so a
//! slug is turned back into a name through this table, never by guessing. A slug that is
//! not in the table gives no name.

use super::extract::slug;

/// Every category with the subcategories seen on the website, as the website names them.
pub const CATEGORIES: &[(&str, &[&str])] = &[
    (
        "Adult care services",
        &[
            "Assessment and care plan",
            "Charging",
            "Direct payments",
            "Domiciliary care",
            "Residential care",
            "Safeguarding",
            "Transition",
            "Other",
        ],
    ),
    (
        "Benefits and tax",
        &[
            "Business rates",
            "Council tax",
            "Council tax support",
            "Housing benefit and council tax benefit",
            "Other",
        ],
    ),
    (
        "Children's care services",
        &[
            "Adoption",
            "Child protection",
            "Disabled children",
            "Fostering",
            "Looked after children",
            "Special guardianship",
            "Other",
        ],
    ),
    (
        "Education",
        &[
            "Admissions",
            "Alternative provision",
            "Elective home education",
            "School transport",
            "Special educational needs",
            "Other",
        ],
    ),
    (
        "Environment and regulation",
        &[
            "Antisocial behaviour",
            "Cemeteries and crematoria",
            "Drainage",
            "Licensing",
            "Noise",
            "Pollution",
            "Refuse and recycling",
            "Street cleaning",
            "Trees",
            "Other",
        ],
    ),
    ("Health", &["Other"]),
    (
        "Housing",
        &[
            "Allocations",
            "Council house repairs",
            "Disabled facilities grants",
            "Homelessness",
            "Private housing",
            "Other",
        ],
    ),
    (
        "Other Categories",
        &[
            "Corporate and other services",
            "COVID-19",
            "Councillor conduct and standards",
            "Land",
            "Leisure and culture",
            "Trading standards",
            "Other",
        ],
    ),
    (
        "Planning",
        &[
            "Building control",
            "Enforcement",
            "Planning advice",
            "Planning applications",
            "Other",
        ],
    ),
    (
        "Transport and highways",
        &[
            "Highway repair and maintenance",
            "Parking and other penalties",
            "Public transport",
            "Rights of way",
            "Traffic management",
            "Other",
        ],
    ),
];

/// The category named by `category_slug`, and the subcategory named by `sub_slug` within
/// it when the table knows it.
pub fn from_slugs(
    category_slug: &str,
    sub_slug: &str,
) -> Option<(&'static str, Option<&'static str>)> {
    /// The slugs of [`CATEGORIES`], in its order.
    static SLUGS: std::sync::LazyLock<Vec<(String, Vec<String>)>> =
        std::sync::LazyLock::new(|| {
            CATEGORIES
                .iter()
                .map(|(name, subs)| (slug(name), subs.iter().map(|s| slug(s)).collect()))
                .collect()
        });
    let k = SLUGS.iter().position(|(s, _)| s == category_slug)?;
    let (name, subs) = CATEGORIES[k];
    let sub = SLUGS[k]
        .1
        .iter()
        .position(|s| s == sub_slug)
        .map(|j| subs[j]);
    Some((name, sub))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_map_slugs_to_names() {
        assert_eq!(
            from_slugs("children-s-care-services", "other"),
            Some(("Children's care services", Some("Other")))
        );
        assert_eq!(
            from_slugs("other-categories", "covid-19"),
            Some(("Other Categories", Some("COVID-19")))
        );
        assert_eq!(
            from_slugs("housing", "no-such-thing"),
            Some(("Housing", None))
        );
        assert_eq!(from_slugs("not-a-category", "other"), None);
    }

    #[test]
    fn knows_every_category_the_corpus_uses() {
        for (category, subs) in crate::corpus::CATEGORIES {
            for sub in *subs {
                assert_eq!(
                    from_slugs(&slug(category), &slug(sub)),
                    Some((*category, Some(*sub))),
                    "{category} > {sub}"
                );
            }
        }
    }
}
