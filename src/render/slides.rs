//! Focus slides (`revarch render --focus KEY|all`): which findings of a
//! state to draw, their diagrams ([`views::focus`]) and their file names.
//!
//! A finding is named by its key exactly as `revarch check --format json`
//! prints it ([`Finding::key`]); suppressed findings (an `allow` in the
//! model) can be named too and say so in the caption, but `all` draws only
//! the reported ones. File stems ([`stems`]) are computed over every key of
//! the state, so a finding's file has the same name whether it is drawn
//! alone or with `all` — the report can link to it by the same function.

use std::collections::BTreeSet;
use std::fmt;

use super::diagram::{Diagram, Flow as DiagramFlow, Layout};
use super::views::{self, ViewOptions};
use super::{layout, svg, Rendered};
use crate::analysis::{analyse, Analysis, Finding};
use crate::diag::did_you_mean;
use crate::graph::flow::Flow;
use crate::graph::Graph;
use crate::model::State;

/// What `--focus all` is spelled.
pub const ALL: &str = "all";

/// Characters of a key's slug at most (before the `focus-` prefix and a
/// hash suffix): file names stay far below the usual 255-byte limit.
pub const MAX_SLUG: usize = 80;

/// One focus slide ready to write.
pub struct Slide {
    /// The finding's key.
    pub key: String,
    /// File stem: `focus-` and the key's slug, unique in the state.
    pub stem: String,
    /// The drawing.
    pub rendered: Rendered,
}

/// Why a focus slide cannot be drawn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SlideError {
    /// No finding of the state has this key.
    UnknownKey {
        /// The key asked for.
        key: String,
        /// The state searched.
        state: State,
        /// A hint: a near key, the other state, or where keys are listed.
        hint: String,
    },
}

impl fmt::Display for SlideError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SlideError::UnknownKey { key, state, hint } => write!(
                f,
                "no finding `{}` in the {state} state{hint}",
                crate::diag::escape_control(key)
            ),
        }
    }
}

impl std::error::Error for SlideError {}

/// A file-name-safe slug of a finding key: lower case, `[a-z0-9._-]`, the
/// key's `/`, `:` and `[` as `--`, `,` as `-`, at most [`MAX_SLUG`]
/// characters; a cut key gets 8 hex digits of a hash of the whole key, so
/// keys that share a long prefix still differ.
/// `data-silo/unreachable:ticket[gainsight,score-health]` →
/// `data-silo--unreachable--ticket--gainsight-score-health`.
pub fn slug(key: &str) -> String {
    let mut s = String::with_capacity(key.len().min(MAX_SLUG + 16));
    for c in key.chars() {
        match c {
            c if c.is_ascii_alphanumeric() => s.push(c.to_ascii_lowercase()),
            '-' | '_' | '.' => s.push(c),
            '/' | ':' | '[' => s.push_str("--"),
            ']' => {}
            _ => s.push('-'),
        }
    }
    let cut = s.len() > MAX_SLUG; // ASCII only: bytes are characters
    if cut {
        s.truncate(MAX_SLUG);
    }
    // no leading dot (hidden file) or separator, no trailing separator
    let trimmed = s
        .trim_start_matches(['-', '.', '_'])
        .trim_end_matches(['-', '.', '_']);
    let mut out = if trimmed.is_empty() {
        "finding".to_string()
    } else {
        trimmed.to_string()
    };
    if cut {
        out.push_str(&format!("-{:08x}", fnv1a(key.as_bytes()) as u32));
    }
    out
}

/// FNV-1a, 64 bits: a stable hash (the standard library's is not).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// File stems for `keys`, in order: `focus-{slug}`, made unique ignoring
/// case (for case-insensitive file systems) by `-2`, `-3`… in key order.
pub fn stems(keys: &[String]) -> Vec<String> {
    let mut used: BTreeSet<String> = BTreeSet::new();
    keys.iter()
        .map(|k| {
            let base = format!("focus-{}", slug(k));
            let mut stem = base.clone();
            let mut i = 2usize;
            while !used.insert(stem.to_ascii_lowercase()) {
                stem = format!("{base}-{i}");
                i += 1;
            }
            stem
        })
        .collect()
}

/// Every finding of an analysis with its `allow` reason (None when
/// reported): reported ones first, in the analysis' order.
fn entries(a: &Analysis) -> Vec<(&Finding, Option<&str>)> {
    a.findings
        .iter()
        .map(|f| (f, None))
        .chain(
            a.suppressed
                .iter()
                .map(|s| (&s.finding, Some(s.reason.as_str()))),
        )
        .collect()
}

/// The slides for `wanted` (keys, or [`ALL`]) in `state`: with `all`, every
/// reported finding in the order `check` lists them, then each other key
/// asked for in the order given; each finding once. Fails on the first key
/// that names no finding of the state, with a hint.
pub fn slides(g: &Graph<'_>, state: State, wanted: &[String]) -> Result<Vec<Slide>, SlideError> {
    let analysis = analyse(g, state);
    let all = entries(&analysis);
    let keys: Vec<String> = all.iter().map(|(f, _)| f.key()).collect();
    let names = stems(&keys);
    let mut chosen: Vec<usize> = Vec::new();
    if wanted.iter().any(|w| w.trim() == ALL) {
        chosen.extend(0..analysis.findings.len());
    }
    for w in wanted.iter().map(|w| w.trim()).filter(|w| *w != ALL) {
        match keys.iter().position(|k| k == w) {
            Some(i) => {
                if !chosen.contains(&i) {
                    chosen.push(i);
                }
            }
            None => {
                return Err(SlideError::UnknownKey {
                    key: w.to_string(),
                    state,
                    hint: hint(g, state, w, &keys),
                })
            }
        }
    }
    let flow = Flow::compute(g, state);
    let opts = ViewOptions {
        state,
        findings: None,
        flow: Some(&flow),
    };
    Ok(chosen
        .into_iter()
        .map(|i| {
            let (f, allowed) = all[i];
            Slide {
                key: keys[i].clone(),
                stem: names[i].clone(),
                rendered: lay_out(views::focus(g, f, allowed, &opts)),
            }
        })
        .collect())
}

/// Lays a slide out left to right and top down and keeps the one whose
/// 16:9 page is smaller (so its text is larger on the screen); left to
/// right on a tie. A focus diagram is small: two layouts cost milliseconds.
pub fn lay_out(diagram: Diagram) -> Rendered {
    let size = |d: &Diagram, l: &Layout| svg::slide_size(d, l).map_or(f64::MAX, |(w, _)| w);
    let mut across = diagram;
    across.flow = DiagramFlow::LeftRight;
    let across_layout = layout::layout(&across);
    let mut down = across.clone();
    down.flow = DiagramFlow::TopDown;
    let down_layout = layout::layout(&down);
    if size(&down, &down_layout) < size(&across, &across_layout) {
        Rendered {
            diagram: down,
            layout: down_layout,
        }
    } else {
        Rendered {
            diagram: across,
            layout: across_layout,
        }
    }
}

/// What to tell someone whose key names no finding: the other state, a
/// near key, the findings about a subject or starting with the text, or
/// where keys are listed.
fn hint(g: &Graph<'_>, state: State, wanted: &str, keys: &[String]) -> String {
    let other = match state {
        State::AsIs => State::ToBe,
        State::ToBe => State::AsIs,
    };
    let there = entries(&analyse(g, other))
        .iter()
        .any(|(f, _)| f.key() == wanted);
    if there {
        return format!(" (it is reported in the {other} state: pass `--state {other}`)");
    }
    if let Some(m) = did_you_mean(wanted, keys.iter().map(String::as_str)) {
        return format!(" (did you mean `{m}`?)");
    }
    let about: Vec<&str> = keys
        .iter()
        .filter(|k| {
            k.starts_with(wanted)
                || k.split_once(':')
                    .map(|(_, rest)| rest.split('[').next() == Some(wanted))
                    .unwrap_or(false)
        })
        .map(String::as_str)
        .take(3)
        .collect();
    if !about.is_empty() {
        return format!(
            " (did you mean {}?)",
            about
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        );
    }
    " (`revarch check --format json` lists the keys; `--focus all` draws every finding)".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_readable_safe_and_bounded() {
        assert_eq!(
            slug("data-silo/unreachable:ticket[gainsight,score-health]"),
            "data-silo--unreachable--ticket--gainsight-score-health"
        );
        assert_eq!(
            slug("unowned/system:Legacy.CRM_2"),
            "unowned--system--legacy.crm_2"
        );
        let long = format!("data-silo/isolated-system:{}", "a".repeat(200));
        let s = slug(&long);
        assert!(s.len() <= MAX_SLUG + 9, "{s}");
        assert_ne!(s, slug(&format!("{long}b")));
        for k in [
            "../../etc/passwd",
            "./x",
            ".hidden",
            "/",
            "",
            "a/b\\c\u{0}d é",
        ] {
            let s = slug(k);
            assert!(
                !s.is_empty() && !s.starts_with('.') && !s.starts_with('-'),
                "{k:?} → {s}"
            );
            assert!(
                s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')),
                "{k:?} → {s}"
            );
        }
    }

    #[test]
    fn stems_are_unique_ignoring_case() {
        let keys: Vec<String> = [
            "unowned/system:CRM",
            "unowned/system:crm",
            "unowned/system:crm-2",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let s = stems(&keys);
        let lower: BTreeSet<String> = s.iter().map(|x| x.to_lowercase()).collect();
        assert_eq!(lower.len(), 3, "{s:?}");
        assert_eq!(s[0], "focus-unowned--system--crm");
        assert_eq!(s[1], "focus-unowned--system--crm-2");
        assert_eq!(s[2], "focus-unowned--system--crm-2-2");
    }
}
