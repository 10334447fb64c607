//! Page furniture: the lines the Ombudsman's website adds around a decision, which are not
//! part of it (navigation, print links, the logo's alt text, the cookie banner).

/// Lines that are always furniture, compared after trimming, case-insensitively.
const FURNITURE: &[&str] = &[
    "back to top",
    "print this page",
    "lgo logogram",
    "review your privacy settings",
    "required cookies",
    "view required cookies",
    "analytical cookies",
    "view analytical cookies",
    "privacy settings",
    "we recommend you set these 'on'.",
    "we recommend you set these ‘on’.",
    "accept all cookies",
    "reject all cookies",
    "accept recommended settings",
    "save and close",
    "skip to main content",
];

/// Sentences that open the cookie banner's paragraphs.
const BANNER_OPENINGS: &[&str] = &[
    "these cookies enable the website to function properly",
    "google analytics cookies help us",
    "in using google analytics, we do not collect",
    "we use cookies",
    "this website uses cookies",
];

/// True when `line` is page furniture and not part of the decision. Only the start of a
/// line is compared, so the long paragraphs of a decision cost next to nothing.
///
/// Every furniture line and banner opening is lower-case ASCII apart from curly quotes,
/// which have no case, so comparing ASCII letters without case is comparing lower-cased
/// text; nothing is allocated.
pub fn is_furniture(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty()
        && (FURNITURE.iter().any(|f| t.eq_ignore_ascii_case(f))
            || BANNER_OPENINGS
                .iter()
                .any(|o| starts_with_ignoring_case(t, o)))
}

/// True when `text` starts with `lower` (lower-case), ASCII letters compared without case.
fn starts_with_ignoring_case(text: &str, lower: &str) -> bool {
    text.len() >= lower.len()
        && text.as_bytes()[..lower.len()].eq_ignore_ascii_case(lower.as_bytes())
}

/// True when `text` ends with `lower` (lower-case), ASCII letters compared without case.
fn ends_with_ignoring_case(text: &str, lower: &str) -> bool {
    text.len() >= lower.len()
        && text.as_bytes()[text.len() - lower.len()..].eq_ignore_ascii_case(lower.as_bytes())
}

/// Which of `lines` are kept: not furniture, and not inside the cookie banner block (from
/// "Review your privacy settings" to "Privacy settings").
pub fn kept<'a>(lines: impl IntoIterator<Item = &'a str>) -> Vec<bool> {
    let mut in_banner = false;
    lines
        .into_iter()
        .map(|line| {
            let t = line.trim();
            if t.eq_ignore_ascii_case("review your privacy settings") {
                in_banner = true;
            }
            if in_banner {
                if t.eq_ignore_ascii_case("privacy settings") {
                    in_banner = false;
                }
                return false;
            }
            !is_furniture(line)
        })
        .collect()
}

/// True when `line` is the decision's signature, which is kept.
pub fn is_signature(line: &str) -> bool {
    let t = line.trim();
    if t.len() > 120 {
        return false;
    }
    ends_with_ignoring_case(t, "on behalf of the ombudsman")
        || ends_with_ignoring_case(t, "on behalf of the ombudsmen")
        || t.eq_ignore_ascii_case("ombudsman's decision")
        || t.eq_ignore_ascii_case("ombudsman’s decision")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_recognise_navigation_and_cookie_banner() {
        for line in [
            "Back to top",
            "  Print this page ",
            "LGO logogram",
            "Privacy settings",
            "We recommend you set these 'ON'.",
            "Google Analytics cookies help us improve the performance of the website.",
            "SKIP TO MAIN CONTENT",
            "We recommend you set these ‘On’.",
        ] {
            assert!(is_furniture(line), "{line:?}");
        }
    }

    #[test]
    fn keeps_decision_text_and_the_signature() {
        for line in [
            "The complaint",
            "We investigate complaints about ‘maladministration’.",
            "Investigator's decision on behalf of the Ombudsman",
            "",
            "Back to top of the report",
            "É",
            "Privacy settings are discussed in paragraph 4.",
        ] {
            assert!(!is_furniture(line), "{line:?}");
        }
        assert!(is_signature(
            "Investigator's decision on behalf of the Ombudsman"
        ));
        assert!(is_signature(
            "Investigator’s decision on behalf of the Ombudsman"
        ));
    }
}
