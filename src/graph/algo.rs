//! Connectivity of the system network: which systems can exchange data at
//! all (components). What a flow depends on is [`super::cuts`]'s.

use petgraph::graph::NodeIndex;

use super::{EdgeKind, Graph};
use crate::hash::FastMap;
use crate::model::{Kind, State};

/// The undirected network of systems linked by active integrations in one
/// state. An integration that runs via a platform links source — platform —
/// target, so the platform counts as a system the flow depends on.
pub struct SystemNet {
    /// Systems present in the state, in model order.
    pub systems: Vec<NodeIndex>,
    pos: FastMap<NodeIndex, usize>,
    adj: Vec<Vec<usize>>,
}

impl SystemNet {
    /// Builds the network of `state`.
    pub fn new(g: &Graph<'_>, state: State) -> SystemNet {
        let systems: Vec<NodeIndex> = g.present_of(Kind::System, state).collect();
        let pos: FastMap<NodeIndex, usize> =
            systems.iter().enumerate().map(|(i, &s)| (s, i)).collect();
        let mut adj = vec![Vec::new(); systems.len()];
        let mut link = |a: NodeIndex, b: NodeIndex| {
            if let (Some(&x), Some(&y)) = (pos.get(&a), pos.get(&b)) {
                if x != y {
                    adj[x].push(y);
                    adj[y].push(x);
                }
            }
        };
        for i in g.nodes_of(Kind::Integration) {
            if !g.integration_active(i, state) {
                continue;
            }
            let Some((s, t)) = g.ends(i) else { continue };
            let vias: Vec<NodeIndex> = g.out(i, EdgeKind::RoutesVia).collect();
            match vias.first() {
                Some(&v) => {
                    link(s, v);
                    link(v, t);
                }
                None => link(s, t),
            }
        }
        for list in &mut adj {
            list.sort_unstable();
            list.dedup();
        }
        SystemNet { systems, pos, adj }
    }

    /// Whether `system` is one of the network's systems (present in the state).
    pub fn contains(&self, system: NodeIndex) -> bool {
        self.pos.contains_key(&system)
    }

    /// Number of distinct systems a system is linked to.
    pub fn degree(&self, system: NodeIndex) -> usize {
        self.pos
            .get(&system)
            .map(|&i| self.adj[i].len())
            .unwrap_or(0)
    }

    /// Connected groups of systems, each in model order, ordered by their
    /// first system.
    pub fn components(&self) -> Vec<Vec<NodeIndex>> {
        let n = self.systems.len();
        let mut comp = vec![usize::MAX; n];
        let mut out: Vec<Vec<NodeIndex>> = Vec::new();
        for start in 0..n {
            if comp[start] != usize::MAX {
                continue;
            }
            let id = out.len();
            let mut members = vec![start];
            comp[start] = id;
            let mut stack = vec![start];
            while let Some(u) = stack.pop() {
                for &v in &self.adj[u] {
                    if comp[v] == usize::MAX {
                        comp[v] = id;
                        members.push(v);
                        stack.push(v);
                    }
                }
            }
            members.sort_unstable();
            out.push(members.into_iter().map(|i| self.systems[i]).collect());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::tests::model;

    fn net(integrations: &str) -> (crate::model::Model, Vec<&'static str>) {
        let systems = ["a", "b", "c", "d", "e", "f"];
        let sys = systems
            .iter()
            .map(|s| format!(r#"(id: "{s}", name: "{s}", kind: other)"#))
            .collect::<Vec<_>>()
            .join(",");
        let text = format!("(systems: [{sys}], integrations: [{integrations}])");
        (model(&[("sv.ron", &text)]), systems.to_vec())
    }

    fn int(id: &str, s: &str, t: &str) -> String {
        format!(
            r#"(id: "{id}", name: "{id}", source: "{s}", target: "{t}", carries: [], mechanism: api, frequency: daily)"#
        )
    }

    #[test]
    fn components() {
        // a - b - c, d - e, f alone
        let ints = [
            int("ab", "a", "b"),
            int("bc", "b", "c"),
            int("de", "d", "e"),
        ]
        .join(",");
        let (m, _) = net(&ints);
        let g = Graph::build(&m);
        let n = |id| g.node(id).unwrap();
        let net = SystemNet::new(&g, State::ToBe);
        let comps = net.components();
        assert_eq!(
            comps,
            vec![
                vec![n("a"), n("b"), n("c")],
                vec![n("d"), n("e")],
                vec![n("f")]
            ]
        );
    }
}
