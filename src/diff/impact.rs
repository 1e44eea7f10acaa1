//! Lineage changes and the impact of changed systems and integrations.

use std::collections::{BTreeMap, BTreeSet};

use petgraph::graph::NodeIndex;

use super::{sorted, Change, EntityChange, Impact, LineageChange};
use crate::graph::flow::Flow;
use crate::graph::{EdgeKind, Graph};
use crate::model::{Kind, Ref, StandardKind, State};

/// An id on one side, mapped to NEW's ids.
struct Ids<'a, 'g, 'm> {
    g: &'g Graph<'m>,
    renames: &'a BTreeMap<String, String>,
}

impl Ids<'_, '_, '_> {
    fn id(&self, n: NodeIndex) -> String {
        let s = self.g.entity(n).id().as_str();
        self.renames
            .get(s)
            .cloned()
            .unwrap_or_else(|| s.to_string())
    }
}

/// Systems each data entity reaches (held or delivered), by NEW's ids.
fn reach(
    g: &Graph<'_>,
    state: State,
    renames: &BTreeMap<String, String>,
) -> BTreeMap<String, BTreeSet<String>> {
    let ids = Ids { g, renames };
    let flow = Flow::compute(g, state);
    g.nodes_of(Kind::Entity)
        .map(|e| {
            let systems = flow.of(e).reach.keys().map(|&s| ids.id(s)).collect();
            (ids.id(e), systems)
        })
        .collect()
}

/// For each data entity, the systems it reaches in NEW and not in OLD and
/// the other way round, per state (identical changes in both states merged).
pub(super) fn lineage(
    old: &Graph<'_>,
    new: &Graph<'_>,
    renames: &BTreeMap<String, String>,
) -> Vec<LineageChange> {
    let none = BTreeMap::new();
    let mut rows: BTreeMap<(String, Vec<String>, Vec<String>), Vec<State>> = BTreeMap::new();
    for state in State::ALL {
        let before = reach(old, state, renames);
        let after = reach(new, state, &none);
        let entities: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
        for e in entities {
            // An entity added or removed altogether is an entity change, not lineage.
            let (Some(b), Some(a)) = (before.get(e), after.get(e)) else {
                continue;
            };
            let gained: Vec<String> = a.difference(b).cloned().collect();
            let lost: Vec<String> = b.difference(a).cloned().collect();
            if gained.is_empty() && lost.is_empty() {
                continue;
            }
            rows.entry((e.clone(), gained, lost))
                .or_default()
                .push(state);
        }
    }
    rows.into_iter()
        .map(|((entity, gained, lost), states)| LineageChange {
            entity,
            states,
            gained,
            lost,
        })
        .collect()
}

/// What depends on each changed system or integration.
pub(super) fn impact(
    old: &Graph<'_>,
    new: &Graph<'_>,
    changes: &[EntityChange],
    lineage: &[LineageChange],
    renames: &BTreeMap<String, String>,
) -> Vec<Impact> {
    let none = BTreeMap::new();
    let sides = [
        Ids { g: old, renames },
        Ids {
            g: new,
            renames: &none,
        },
    ];
    let mut out = Vec::new();
    for c in changes {
        if !matches!(c.kind, Kind::System | Kind::Integration) {
            continue;
        }
        let old_id = c.old_id.as_deref().unwrap_or(&c.id);
        let nodes = [
            (c.change != Change::Added)
                .then(|| old.node(old_id))
                .flatten(),
            (c.change != Change::Removed)
                .then(|| new.node(&c.id))
                .flatten(),
        ];
        let mut activities = BTreeSet::new();
        let mut kpis = BTreeSet::new();
        let mut data = BTreeSet::new();
        for (side, node) in sides.iter().zip(nodes) {
            let Some(n) = node else { continue };
            let g = side.g;
            match g.entity(n) {
                Ref::System(_) => {
                    activities.extend(g.out(n, EdgeKind::Supports).map(|a| side.id(a)));
                    kpis.extend(g.inc(n, EdgeKind::ComputedIn).map(|k| side.id(k)));
                    for (e, _) in g.held_by(n) {
                        data.insert(side.id(e));
                        kpis.extend(kpis_from(g, e).map(|k| side.id(k)));
                    }
                }
                Ref::Integration(_) => {
                    let carried: Vec<NodeIndex> = g.out(n, EdgeKind::Carries).collect();
                    for &e in &carried {
                        data.insert(side.id(e));
                        kpis.extend(kpis_from(g, e).map(|k| side.id(k)));
                    }
                    // Activities at the receiving end that use the data…
                    if let Some((_, t)) = g.ends(n) {
                        for a in g.out(t, EdgeKind::Supports) {
                            if g.inc(a, EdgeKind::Consumes).any(|e| carried.contains(&e)) {
                                activities.insert(side.id(a));
                            }
                        }
                    }
                    // …and those served by the needlines it realises.
                    for x in g.out(n, EdgeKind::Realizes) {
                        activities.extend(g.out(x, EdgeKind::Serves).map(|a| side.id(a)));
                    }
                }
                _ => {}
            }
        }
        // Entities whose lineage changes through this element: data it holds
        // or carries, or whose reach gained or lost this system.
        let entities: Vec<String> = lineage
            .iter()
            .filter(|l| {
                data.contains(&l.entity) || l.gained.contains(&c.id) || l.lost.contains(&c.id)
            })
            .map(|l| l.entity.clone())
            .collect();
        out.push(Impact {
            kind: c.kind,
            id: c.id.clone(),
            change: c.change,
            activities: sorted(activities),
            kpis: sorted(kpis),
            entities: sorted(entities),
        });
    }
    out
}

/// KPI standards computed from a data entity.
fn kpis_from<'a>(g: &'a Graph<'_>, entity: NodeIndex) -> impl Iterator<Item = NodeIndex> + 'a {
    g.inc(entity, EdgeKind::ComputedFrom)
        .filter(move |&k| matches!(g.entity(k), Ref::Standard(s) if matches!(s.kind, StandardKind::Kpi { .. })))
}
