//! Wording shared by every output: singular/plural agreement with a count,
//! and numbers written compactly.

/// `one` when `n` is 1, else `many`: the noun or the verb that agrees with a
/// count (`1 needline goes`, `2 needlines go`).
pub fn agree<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// `noun` with its indefinite article: `a system`, `an activity`, `an
/// integration` (by the first letter; every noun revarch names this way
/// starts with a consonant sound when it starts with a consonant).
pub fn a(noun: &str) -> String {
    let vowel = noun
        .chars()
        .next()
        .is_some_and(|c| "aeiouAEIOU".contains(c));
    format!("{} {noun}", if vowel { "an" } else { "a" })
}

/// `n` and the word that agrees with it: `1 system`, `3 systems`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", agree(n, one, many))
}

/// A floating-point number as a person would write it: `0.95` and `120000`
/// as usual (Rust's shortest round-trip form), but a very large or very
/// small one in exponent form (`1e308`, `2.5e-12`) instead of hundreds of
/// digits. `NaN`, `inf` and `-inf` are spelled as in RON.
pub fn number(f: f64) -> String {
    let a = f.abs();
    if f.is_finite() && a != 0.0 && !(1e-6..1e16).contains(&a) {
        format!("{f:e}")
    } else {
        format!("{f}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_agree() {
        assert_eq!(count(1, "needline", "needlines"), "1 needline");
        assert_eq!(count(2, "needline", "needlines"), "2 needlines");
        assert_eq!(count(0, "needline", "needlines"), "0 needlines");
        assert_eq!(agree(1, "goes", "go"), "goes");
        assert_eq!(agree(2, "goes", "go"), "go");
    }

    #[test]
    fn numbers_are_compact() {
        assert_eq!(number(1e308), "1e308");
        assert_eq!(number(-1e308), "-1e308");
        assert_eq!(number(1e-300), "1e-300");
        assert_eq!(number(f64::MAX), "1.7976931348623157e308");
        assert_eq!(number(f64::MIN_POSITIVE), "2.2250738585072014e-308");
        assert_eq!(number(0.95), "0.95");
        assert_eq!(number(120000.0), "120000");
        assert_eq!(number(1.5), "1.5");
        assert_eq!(number(0.0), "0");
        assert_eq!(number(123456789012345.0), "123456789012345");
        assert_eq!(number(0.000001), "0.000001");
        assert_eq!(number(f64::NAN), "NaN");
        assert_eq!(number(f64::INFINITY), "inf");
        assert_eq!(number(f64::NEG_INFINITY), "-inf");
        for f in [1e308, 1e-300, 0.95, 120000.0, 3.25e20] {
            assert_eq!(number(f).parse::<f64>(), Ok(f), "round trip of {f}");
            assert!(number(f).len() <= 24, "{}", number(f));
        }
    }
}

#[cfg(test)]
mod article_tests {
    #[test]
    fn nouns_get_their_article() {
        assert_eq!(super::a("activity"), "an activity");
        assert_eq!(super::a("information exchange"), "an information exchange");
        assert_eq!(super::a("data entity"), "a data entity");
        assert_eq!(super::a("system"), "a system");
    }
}
