//! The findings delta: which findings a change introduces, resolves or leaves.

use std::collections::{BTreeMap, BTreeSet};

use super::{FindingChange, FindingStatus};
use crate::analysis::{analyse, Finding};
use crate::graph::Graph;
use crate::model::State;

/// A finding's key with OLD's ids mapped to NEW's (renames).
fn mapped_key(f: &Finding, renames: &BTreeMap<String, String>) -> String {
    if renames.is_empty() {
        return f.key();
    }
    let map = |id: &String| renames.get(id).cloned().unwrap_or_else(|| id.clone());
    let mut g = f.clone();
    g.subject.id = map(&f.subject.id);
    g.identity = f.identity.iter().map(map).collect();
    g.identity.sort();
    g.identity.dedup();
    g.key()
}

/// Findings of both models in both states, by status. Rows with the same key
/// and status in both states are merged (their `states` lists both).
pub(super) fn delta(
    old: &Graph<'_>,
    new: &Graph<'_>,
    renames: &BTreeMap<String, String>,
) -> Vec<FindingChange> {
    // (status, key) -> change
    let mut rows: BTreeMap<(FindingStatus, String), FindingChange> = BTreeMap::new();
    for state in State::ALL {
        let before: BTreeMap<String, Finding> = analyse(old, state)
            .findings
            .into_iter()
            .map(|f| (mapped_key(&f, renames), f))
            .collect();
        let after: BTreeMap<String, Finding> = analyse(new, state)
            .findings
            .into_iter()
            .map(|f| (f.key(), f))
            .collect();
        let keys: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
        for key in keys {
            let (status, f, in_new) = match (before.get(key), after.get(key)) {
                (None, Some(f)) => (FindingStatus::Introduced, f, true),
                (Some(f), None) => (FindingStatus::Resolved, f, false),
                (Some(_), Some(f)) => (FindingStatus::Unchanged, f, true),
                (None, None) => continue,
            };
            let row = rows
                .entry((status, key.clone()))
                .or_insert_with(|| FindingChange {
                    status,
                    key: key.clone(),
                    rule: f.rule,
                    level: f.level,
                    states: Vec::new(),
                    subject: f.subject.clone(),
                    message: f.message.clone(),
                    fix: f.fix.clone(),
                    in_new,
                });
            row.states.push(state);
        }
    }
    let mut out: Vec<FindingChange> = rows.into_values().collect();
    // Most severe first within each status, then by key.
    out.sort_by(|a, b| {
        (a.status, std::cmp::Reverse(a.level), &a.key).cmp(&(
            b.status,
            std::cmp::Reverse(b.level),
            &b.key,
        ))
    });
    out
}
