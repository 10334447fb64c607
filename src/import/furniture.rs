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

/// How much of a line decides whether it is furniture: every furniture line, and every
/// opening of a banner paragraph, is shorter than this.
const HEAD_CHARS: usize = 64;

/// True when `line` is page furniture and not part of the decision. Only the start of a
/// line is looked at, so the long paragraphs of a decision cost next to nothing.
pub fn is_furniture(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() {
        return false;
    }
    let head: String = t
        .chars()
        .take(HEAD_CHARS)
        .collect::<String>()
        .to_lowercase();
    let whole = t.chars().nth(HEAD_CHARS).is_none();
    (whole && FURNITURE.contains(&head.as_str()))
        || BANNER_OPENINGS.iter().any(|o| head.starts_with(o))
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
    let lower = t.to_lowercase();
    lower.ends_with("on behalf of the ombudsman")
        || lower.ends_with("on behalf of the ombudsmen")
        || lower == "ombudsman's decision"
        || lower == "ombudsman’s decision"
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
