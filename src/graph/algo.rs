//! Connectivity of the system network: which systems can exchange data at
//! all (components) and which systems everything else depends on (cut points).

use petgraph::graph::NodeIndex;

use super::{EdgeKind, Graph};
use crate::hash::FastMap;
use crate::model::{Kind, State};
use crate::sample::Sample;

/// The undirected network of systems linked by active integrations in one
/// state. An integration that runs via a platform links source — platform —
/// target, so the platform counts as a system the flow depends on.
pub struct SystemNet {
    /// Systems present in the state, in model order.
    pub systems: Vec<NodeIndex>,
    pos: FastMap<NodeIndex, usize>,
    adj: Vec<Vec<usize>>,
}

/// A system whose failure splits the network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CutPoint {
    /// The system.
    pub system: NodeIndex,
    /// Groups of systems that would lose their connection to the rest (for
    /// the DFS root of a component, the largest part is the rest; otherwise
    /// the rest is the part holding the root).
    pub cut_off: Vec<CutGroup>,
}

/// Systems cut off together: up to [`SAMPLE`] of them, in model order
/// (listing every member of every group would be quadratic on long chains),
/// and how many there are (`total`).
pub type CutGroup = Sample<NodeIndex>;

/// How many members of a cut-off group are named.
pub const SAMPLE: usize = 5;

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

    /// Articulation points (Tarjan, iterative: no recursion on big models),
    /// with the groups each one would cut off. O(V + E) plus the output.
    pub fn cut_points(&self) -> Vec<CutPoint> {
        let n = self.systems.len();
        let mut disc = vec![usize::MAX; n];
        let mut low = vec![0usize; n];
        let mut size = vec![1usize; n];
        let mut order: Vec<usize> = Vec::with_capacity(n); // preorder
                                                           // (node, parent, next neighbour index)
        let mut stack: Vec<(usize, usize, usize)> = Vec::new();
        // per node: children subtrees that are separated by it (start in preorder, len)
        let mut separated: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
        let mut root_children: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
        let mut is_root = vec![false; n];
        for root in 0..n {
            if disc[root] != usize::MAX {
                continue;
            }
            is_root[root] = true;
            disc[root] = order.len();
            low[root] = disc[root];
            order.push(root);
            stack.push((root, usize::MAX, 0));
            while let Some(&mut (u, parent, ref mut next)) = stack.last_mut() {
                if let Some(&v) = self.adj[u].get(*next) {
                    *next += 1;
                    if v == parent {
                        continue;
                    }
                    if disc[v] == usize::MAX {
                        disc[v] = order.len();
                        low[v] = disc[v];
                        order.push(v);
                        stack.push((v, u, 0));
                    } else {
                        low[u] = low[u].min(disc[v]);
                    }
                } else {
                    stack.pop();
                    if parent != usize::MAX {
                        low[parent] = low[parent].min(low[u]);
                        size[parent] += size[u];
                        let subtree = (disc[u], size[u]);
                        if is_root[parent] {
                            root_children[parent].push(subtree);
                        } else if low[u] >= disc[parent] {
                            separated[parent].push(subtree);
                        }
                    }
                }
            }
        }
        let group = |(start, len): (usize, usize)| -> CutGroup {
            let mut g: Vec<usize> = order[start..start + len.min(SAMPLE)].to_vec();
            g.sort_unstable();
            CutGroup {
                items: g.into_iter().map(|i| self.systems[i]).collect(),
                total: len,
            }
        };
        let mut out = Vec::new();
        for u in 0..n {
            let groups: Vec<(usize, usize)> = if is_root[u] {
                if root_children[u].len() < 2 {
                    continue;
                }
                // All child subtrees are split from each other; the largest
                // stays "the rest".
                let mut kids = root_children[u].clone();
                let largest = kids
                    .iter()
                    .enumerate()
                    .max_by_key(|(i, (_, len))| (*len, usize::MAX - i))
                    .map(|(i, _)| i)
                    .unwrap_or(0);
                kids.remove(largest);
                kids
            } else {
                if separated[u].is_empty() {
                    continue;
                }
                separated[u].clone()
            };
            let mut cut_off: Vec<CutGroup> = groups.into_iter().map(group).collect();
            cut_off.sort_by(|a, b| a.items.cmp(&b.items));
            out.push(CutPoint {
                system: self.systems[u],
                cut_off,
            });
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

    fn samples(c: &CutPoint) -> Vec<Vec<NodeIndex>> {
        c.cut_off.iter().map(|g| g.items.clone()).collect()
    }

    fn int(id: &str, s: &str, t: &str) -> String {
        format!(
            r#"(id: "{id}", name: "{id}", source: "{s}", target: "{t}", carries: [], mechanism: api, frequency: daily)"#
        )
    }

    #[test]
    fn components_and_cut_points() {
        // a - b - c   (b is a cut point), c - a? no.  d - e (e cut? no: 2 nodes), f alone
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
        let cuts = net.cut_points();
        assert_eq!(cuts.len(), 1);
        assert_eq!(cuts[0].system, n("b"));
        assert_eq!(samples(&cuts[0]), vec![vec![n("c")]]);
    }

    #[test]
    fn cycle_has_no_cut_point_and_hub_cuts_each_leaf() {
        let ints = [
            int("ab", "a", "b"),
            int("bc", "b", "c"),
            int("ca", "c", "a"),
            int("cd", "c", "d"),
            int("ce", "c", "e"),
        ]
        .join(",");
        let (m, _) = net(&ints);
        let g = Graph::build(&m);
        let n = |id| g.node(id).unwrap();
        let cuts = SystemNet::new(&g, State::ToBe).cut_points();
        assert_eq!(cuts.len(), 1);
        assert_eq!(cuts[0].system, n("c"));
        assert_eq!(samples(&cuts[0]), vec![vec![n("d")], vec![n("e")]]);
    }

    #[test]
    fn root_cut_point_reports_smaller_sides() {
        // a is the DFS root joining {b, c} and {d}
        let ints = [
            int("ab", "a", "b"),
            int("bc", "b", "c"),
            int("ad", "a", "d"),
        ]
        .join(",");
        let (m, _) = net(&ints);
        let g = Graph::build(&m);
        let n = |id| g.node(id).unwrap();
        let cuts = SystemNet::new(&g, State::ToBe).cut_points();
        let a = cuts.iter().find(|c| c.system == n("a")).unwrap();
        assert_eq!(samples(a), vec![vec![n("d")]]);
        let b = cuts.iter().find(|c| c.system == n("b")).unwrap();
        assert_eq!(samples(b), vec![vec![n("c")]]);
    }

    #[test]
    fn long_chain_does_not_overflow() {
        let mut sys = Vec::new();
        let mut ints = Vec::new();
        for i in 0..20_000 {
            sys.push(format!(r#"(id: "s{i}", name: "s", kind: other)"#));
            if i > 0 {
                ints.push(int(
                    &format!("i{i}"),
                    &format!("s{}", i - 1),
                    &format!("s{i}"),
                ));
            }
        }
        let text = format!(
            "(systems: [{}], integrations: [{}])",
            sys.join(","),
            ints.join(",")
        );
        let m = model(&[("sv.ron", &text)]);
        let g = Graph::build(&m);
        let cuts = SystemNet::new(&g, State::ToBe).cut_points();
        assert_eq!(cuts.len(), 19_998);
        let last = cuts
            .iter()
            .find(|c| c.system == g.node("s1").unwrap())
            .unwrap();
        assert_eq!(last.cut_off.iter().map(|g| g.total).sum::<usize>(), 19_998);
        assert_eq!(last.cut_off[0].items.len(), SAMPLE);
    }
}
