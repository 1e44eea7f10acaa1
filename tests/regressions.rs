//! Regression tests for problems found by fuzzing and property testing
//! (README, "Fuzzing and property tests"). Each states the input that
//! showed the problem.

use std::time::{Duration, Instant};

use revarch::analysis::RULE_IDS;
use revarch::model::read_texts;

/// `n` systems with ids of about `len` characters and `n` integrations whose
/// source and target are unknown ids of the same length.
fn unknown_long_references(n: usize, len: usize) -> String {
    let systems: Vec<String> = (0..n)
        .map(|i| format!("(id: \"s{i}-{}\", name: \"S\", kind: crm)", "x".repeat(len)))
        .collect();
    let integrations: Vec<String> = (0..n)
        .map(|i| {
            let bad = format!("q{i}-{}", "y".repeat(len));
            format!(
                "(id: \"i{i}\", name: \"I\", source: \"{bad}\", target: \"{bad}\", mechanism: api, frequency: daily)"
            )
        })
        .collect();
    format!(
        "(sv: (systems: [{}], integrations: [{}]))",
        systems.join(",\n"),
        integrations.join(",\n")
    )
}

/// Validation time must not grow with (unknown references × ids × id
/// length²). Found while hunting slow inputs for the `loader` fuzz target:
/// every unknown reference runs `diag::did_you_mean` (full OSA edit
/// distance, O(len²)) against every id of the expected kind, so this
/// 175 KB file (200 systems, 200 integrations with unknown 250-character
/// source and target) takes 14–18 s to validate in a debug build (0.04 s
/// with `did_you_mean` stubbed out in a throwaway experiment), and a
/// 625 KB one (ids of 1,000 characters) minutes; files up to 256 MB are
/// accepted. Fix (in src/diag.rs, being rewritten on another branch): stop
/// computing as soon as the distance exceeds the limit (at most 4) —
/// skip candidates whose length differs by more than the limit and use a
/// banded edit distance (O(len × limit)) — and compute no suggestion for
/// references beyond the error cap. Un-ignore once `did_you_mean` is bounded.
#[test]
#[ignore = "open: did_you_mean is O(candidates × len²) per unknown reference (src/diag.rs)"]
fn unknown_long_references_validate_quickly() {
    let text = unknown_long_references(200, 250);
    let start = Instant::now();
    let loaded = read_texts(&[("model.ron", &text)], RULE_IDS);
    let took = start.elapsed();
    assert!(loaded.has_errors());
    assert!(
        took < Duration::from_secs(2),
        "validating {} KB took {took:?}",
        text.len() / 1024
    );
}

/// The same shape with short ids stays quick today: the problem is the
/// product, not unknown references as such.
#[test]
fn unknown_short_references_validate_quickly() {
    let text = unknown_long_references(200, 8);
    let start = Instant::now();
    let loaded = read_texts(&[("model.ron", &text)], RULE_IDS);
    let took = start.elapsed();
    assert!(loaded.has_errors());
    assert!(took < Duration::from_secs(10), "took {took:?}");
}
