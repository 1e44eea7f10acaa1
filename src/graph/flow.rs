//! Where each data entity can be found in one state: the systems that hold
//! it, and every system an integration chain carrying it delivers it to.

use std::collections::{BTreeMap, VecDeque};

use petgraph::graph::NodeIndex;

use super::{EdgeKind, Graph};
use crate::hash::FastMap;
use crate::model::{Direction, Kind, Ref, Role, State};

/// How an entity is available in a system.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arrival {
    /// The system holds it.
    Held(Role),
    /// An integration delivers it from another system where it is available.
    Received {
        /// The integration.
        integration: NodeIndex,
        /// The system it comes from.
        from: NodeIndex,
    },
}

/// The flow of one data entity.
#[derive(Clone, Debug, Default)]
pub struct EntityFlow {
    /// Systems present in the state that hold it, in model order.
    pub holders: Vec<(NodeIndex, Role)>,
    /// Every system where it is available, with how it got there.
    pub reach: BTreeMap<NodeIndex, Arrival>,
}

impl EntityFlow {
    /// Systems of record among the holders.
    pub fn records(&self) -> impl Iterator<Item = NodeIndex> + '_ {
        self.holders
            .iter()
            .filter(|(_, r)| *r == Role::Record)
            .map(|(s, _)| *s)
    }
}

/// One step an entity can take: an active integration carrying it from one
/// system to another (a bidirectional integration gives two).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hop {
    /// The system it leaves.
    pub from: NodeIndex,
    /// The system it arrives in.
    pub to: NodeIndex,
    /// The integration.
    pub integration: NodeIndex,
}

/// Data flow of every entity in one state.
pub struct Flow {
    /// The state it describes.
    pub state: State,
    per_entity: FastMap<NodeIndex, EntityFlow>,
    hops: FastMap<NodeIndex, Vec<Hop>>,
    empty: EntityFlow,
}

impl Flow {
    /// Computes the flow: for each entity, a breadth-first search from its
    /// holders over the active integrations that carry it. Linear in the
    /// number of (integration, carried entity) pairs.
    pub fn compute(g: &Graph<'_>, state: State) -> Flow {
        // entity -> the hops it can take, in model order of the integrations
        let mut hops: FastMap<NodeIndex, Vec<Hop>> = FastMap::default();
        for i in g.nodes_of(Kind::Integration) {
            if !g.integration_active(i, state) {
                continue;
            }
            let (Some((s, t)), Ref::Integration(def)) = (g.ends(i), g.entity(i)) else {
                continue;
            };
            for e in g.out(i, EdgeKind::Carries) {
                let list = hops.entry(e).or_default();
                list.push(Hop {
                    from: s,
                    to: t,
                    integration: i,
                });
                if def.direction == Direction::Bidirectional {
                    list.push(Hop {
                        from: t,
                        to: s,
                        integration: i,
                    });
                }
            }
        }
        let mut per_entity = FastMap::default();
        for e in g.nodes_of(Kind::Entity) {
            let mut flow = EntityFlow::default();
            for h in g.inc(e, EdgeKind::Masters) {
                if g.present(h, state) {
                    flow.holders.push((h, Role::Record));
                }
            }
            for h in g.inc(e, EdgeKind::Holds) {
                if g.present(h, state) {
                    flow.holders.push((h, Role::Copy));
                }
            }
            flow.holders.sort();
            let mut queue = VecDeque::new();
            for &(h, role) in &flow.holders {
                flow.reach.entry(h).or_insert(Arrival::Held(role));
                queue.push_back(h);
            }
            if let Some(list) = hops.get(&e) {
                let mut adj: FastMap<NodeIndex, Vec<(NodeIndex, NodeIndex)>> = FastMap::default();
                for h in list {
                    adj.entry(h.from).or_default().push((h.to, h.integration));
                }
                while let Some(s) = queue.pop_front() {
                    for &(t, i) in adj.get(&s).map(Vec::as_slice).unwrap_or(&[]) {
                        if let std::collections::btree_map::Entry::Vacant(v) = flow.reach.entry(t) {
                            v.insert(Arrival::Received {
                                integration: i,
                                from: s,
                            });
                            queue.push_back(t);
                        }
                    }
                }
            }
            per_entity.insert(e, flow);
        }
        Flow {
            state,
            per_entity,
            hops,
            empty: EntityFlow::default(),
        }
    }

    /// The flow of one entity (empty for a node that is not an entity).
    pub fn of(&self, entity: NodeIndex) -> &EntityFlow {
        self.per_entity.get(&entity).unwrap_or(&self.empty)
    }

    /// The hops `entity` can take in this state (integrations active and
    /// carrying it), in model order.
    pub fn hops(&self, entity: NodeIndex) -> &[Hop] {
        self.hops.get(&entity).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Whether `entity` is available in `system` (held or delivered).
    pub fn available(&self, entity: NodeIndex, system: NodeIndex) -> bool {
        self.of(entity).reach.contains_key(&system)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::tests::model;

    #[test]
    fn follows_chains_and_directions() {
        let m = model(&[
            (
                "sv.ron",
                r#"(systems: [
                (id: "a", name: "A", kind: crm, holds: [(entity: "lead", role: record)]),
                (id: "b", name: "B", kind: ipaas),
                (id: "c", name: "C", kind: data_warehouse),
                (id: "d", name: "D", kind: other, lifecycle: retiring),
                (id: "e", name: "E", kind: other, holds: [(entity: "lead", role: copy)]),
              ],
              integrations: [
                (id: "ab", name: "ab", source: "a", target: "b", carries: ["lead"], mechanism: api, frequency: daily),
                (id: "bc", name: "bc", source: "b", target: "c", carries: ["lead"], mechanism: api, frequency: daily),
                (id: "cd", name: "cd", source: "c", target: "d", carries: ["lead"], mechanism: api, frequency: daily),
                (id: "ca", name: "ca", source: "c", target: "a", carries: ["other"], mechanism: api, frequency: daily),
              ])"#,
            ),
            (
                "div.ron",
                r#"(entities: [(id: "lead", name: "Lead"), (id: "other", name: "Other")])"#,
            ),
        ]);
        let g = Graph::build(&m);
        let n = |id| g.node(id).unwrap();
        let to_be = Flow::compute(&g, State::ToBe);
        let lead = to_be.of(n("lead"));
        assert_eq!(
            lead.holders,
            vec![(n("a"), Role::Record), (n("e"), Role::Copy)]
        );
        assert!(to_be.available(n("lead"), n("c")));
        assert!(!to_be.available(n("lead"), n("d")), "d is retired in to-be");
        assert!(!to_be.available(n("other"), n("a")), "nobody holds other");
        let as_is = Flow::compute(&g, State::AsIs);
        assert!(as_is.available(n("lead"), n("d")));
        assert_eq!(
            as_is.of(n("lead")).reach[&n("c")],
            Arrival::Received {
                integration: n("bc"),
                from: n("b")
            }
        );
    }
}
