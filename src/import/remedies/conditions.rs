//! Whether a remedy is done only on a condition: `consider ...`, `if the review shows ...`,
//! `... if she provides receipts`, `upon receipt of invoices`; a remedy read as
//! conditional when it is not says less than the decision, the other way more.

use std::sync::LazyLock;

use regex::Regex;

use crate::import::pattern::compile;

/// A remedy only to be considered, or done only if something is so, by its first words:
/// `consider ...`, `to consider ...`, `if ...`.
static CONDITIONAL_START: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^\W*(?:(?:the\s+\w+(?:\s+\w+)?|it|they)\s+(?:will|should|has\s+agreed\s+to|agreed\s+to|to)\s+|to\s+)?(?:consider\b|if\b)",
    )
});

/// `if it has not already done so`: no condition on the remedy.
static IF_NOT_DONE: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)^\W*if\s+(?:it|they|the\s+\w+(?:\s+\w+)?)\s+(?:has|have)\s+not\s+already\b")
});

/// A time that is the person's to bring about: `... once she sends the receipts`, `when he
/// provides an invoice` (an `if` is a [`CONDITION`] wherever it stands).
static IF_PERSON: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\b(?:when|once|after)\s+(?:she|he|they|(?:Mr|Mrs|Ms|Miss|Dr|Mx)\s+[A-Z])\s+(?:provides?|sends?|shows?|gives?|can|is|are|has|have|asks?|applies|returns?)\b",
    )
});

/// A further payment made only once something happens: "a further £100 once the works
/// are done".
pub(super) static FURTHER_WHEN: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?i)\b(?:if|once|when|after|provided|subject\s+to|on\s+receipt)\b"));

/// Whether a remedy is only to consider, or done only if something is so: `consider
/// ...`, `if the review shows ...`, `... if she provides receipts`; not `if it has not
/// already done so, apologise`.
pub(super) fn is_conditional(text: &str) -> bool {
    (CONDITIONAL_START.is_match(text) && !IF_NOT_DONE.is_match(text))
        || IF_PERSON.is_match(text)
        || CONDITION
            .find_iter(text)
            .any(|m| !IF_NOT_DONE.is_match(&text[m.start()..]))
}

/// A condition anywhere in a remedy: `if the review finds ...`, `should the review show
/// ...`, `upon receipt of invoices`, `on condition that ...`, `subject to Mr X providing
/// ...`, `once the Council receives his bank details`. Reading a remedy as conditional
/// when it is not says less than the decision; the other way, more.
static CONDITION: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\bif\b|\bshould\s+(?:the|a|an|his|her|their|its)\s+(?:\w+\s+)?(?:show|find|decide|confirm|conclude|establish)|\b(?:upon|on)\s+(?:receipt|production|sight)\s+of\b|\bon\s+condition\b|\bsubject\s+to\b|\bonce\s+(?:the\s+\w+|it|they)\s+(?:receives?|has\s+received|gets?|is\s+given)\b|\bprovided\s+(?:that\b|(?:he|she|they|Mr|Mrs|Ms|Miss|Dr|Mx)\b)",
    )
});
