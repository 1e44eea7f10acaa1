//! Relation changes: the graph's edges that appear or disappear.

use std::collections::{BTreeMap, BTreeSet};

use super::{Change, RelationChange};
use crate::graph::{EdgeKind, Graph};
use crate::model::Ref;

/// One relation, by ids: (kind, from, to, via). An integration is one
/// `flows-to` relation from its source to its target, via the integration.
type Rel = (&'static str, String, String, Option<String>);

fn relations(g: &Graph<'_>, renames: &BTreeMap<String, String>) -> BTreeSet<Rel> {
    let id = |n| {
        let s = g.entity(n).id().as_str();
        renames.get(s).cloned().unwrap_or_else(|| s.to_string())
    };
    let inner = g.inner();
    let mut out = BTreeSet::new();
    for e in inner.edge_indices() {
        let Some((a, b)) = inner.edge_endpoints(e) else {
            continue;
        };
        let kind = inner[e];
        if kind == EdgeKind::FlowsTo {
            continue; // one relation per integration below
        }
        out.insert((kind.as_str(), id(a), id(b), None));
    }
    for i in g.nodes_of(crate::model::Kind::Integration) {
        if let (Some((s, t)), Ref::Integration(_)) = (g.ends(i), g.entity(i)) {
            out.insert(("flows-to", id(s), id(t), Some(id(i))));
        }
    }
    out
}

/// Relations only in OLD (removed) or only in NEW (added), sorted.
pub(super) fn relation_changes(
    old: &Graph<'_>,
    new: &Graph<'_>,
    renames: &BTreeMap<String, String>,
) -> Vec<RelationChange> {
    let a = relations(old, renames);
    let b = relations(new, &BTreeMap::new());
    let mut out: Vec<RelationChange> = a
        .difference(&b)
        .map(|r| make(r, Change::Removed))
        .chain(b.difference(&a).map(|r| make(r, Change::Added)))
        .collect();
    out.sort_by(|x, y| {
        (&x.from, x.relation, &x.to, &x.via, x.change)
            .cmp(&(&y.from, y.relation, &y.to, &y.via, y.change))
    });
    out
}

fn make(r: &Rel, change: Change) -> RelationChange {
    RelationChange {
        change,
        relation: r.0,
        from: r.1.clone(),
        to: r.2.clone(),
        via: r.3.clone(),
    }
}

/// The relation in words, with ids as code spans: "`crm` holds a copy of `lead`".
pub fn sentence(r: &RelationChange) -> String {
    let (a, b) = (format!("`{}`", r.from), format!("`{}`", r.to));
    match r.relation {
        "owns" => format!("{a} owns {b}"),
        "performs" => format!("{a} performs {b}"),
        "supports" => format!("{a} supports activity {b}"),
        "consumes" => format!("{b} needs {a}"),
        "produces" => format!("{a} produces {b}"),
        "sends" => format!("{a} provides {b}"),
        "receives" => format!("{b} receives {a}"),
        "carries" => format!("{a} carries {b}"),
        "serves" => format!("{a} serves {b}"),
        "holds" => format!("{a} holds a copy of {b}"),
        "masters" => format!("{a} is the system of record for {b}"),
        "flows-to" => match &r.via {
            Some(i) => format!("{a} → {b} by `{i}`"),
            None => format!("{a} → {b}"),
        },
        "routes-via" => format!("{a} runs via {b}"),
        "realizes" => format!("{a} realizes {b}"),
        "applies-to" => format!("{a} applies to {b}"),
        "measures" => format!("{a} is measured by {b}"),
        "computed-from" => format!("{a} is computed from {b}"),
        "computed-in" => format!("{a} is computed in {b}"),
        "relates-to" => format!("{a} relates to {b}"),
        other => format!("{a} {other} {b}"),
    }
}
