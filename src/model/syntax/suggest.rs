//! Did-you-mean and "expected one of" texts for errors.

// ---------------------------------------------------------------------------------------
// Suggestions
// ---------------------------------------------------------------------------------------

/// The candidate closest to `typed`, if it is close enough to be a likely
/// typo: the one suggester of the crate ([`crate::diag::did_you_mean`]), so
/// a field, a variant, an id and a rule name are all guessed alike.
pub(super) fn did_you_mean<'c>(typed: &str, candidates: &[&'c str]) -> Option<&'c str> {
    crate::diag::did_you_mean(typed, candidates.iter().copied())
}

pub(super) fn backticked(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn expected_list(names: &[&str], what: &str) -> String {
    match names {
        [] => format!("there are no {what}s"),
        [one] => format!("expected `{one}`"),
        _ => format!("expected one of {}", backticked(names)),
    }
}
