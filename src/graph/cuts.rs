//! What a flow depends on: the integrations and systems that lie on *every*
//! route by which an entity reaches a place that needs it, so that one of
//! them failing alone stops the entity from arriving.
//!
//! Per entity, the routes form a small graph: a root linked to the systems
//! the entity starts from, and each hop (an integration carrying it) as a
//! node between the two systems it links. Whatever dominates a place (every
//! path from the root passes through it) is a single point of failure for
//! that need: an integration, or a system it passes through on the way
//! (a relay). An integration's routing platform (`via`) fails with it, and a
//! platform can also be the one thing shared by several parallel routes
//! (two integrations through the same iPaaS): that is checked by taking the
//! platform away and searching again.

//!
//! The result is read off the dominator tree: what a node dominates is its
//! subtree, so every point's needs are counted in one pass, with the first
//! few kept ([`Sample`]): linear in the size of the flow even on a chain of
//! thousands of systems where each system is a point for every place after
//! it.

use petgraph::algo::dominators;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{Bfs, NodeFiltered};

use super::flow::Hop;
use super::{EdgeKind, Graph};
use crate::hash::FastMap;
use crate::sample::Sample;

/// How many edge visits the platform searches of one entity may cost in
/// all; past it, the remaining platforms are found through the routes that
/// run via them or through them (exact for all but parallel routes sharing
/// a platform). A hostile model with thousands of platforms stays fast;
/// real ones have a few.
const PLATFORM_BUDGET: usize = 4_000_000;

/// How many needs a point keeps by index (the rest are counted).
pub const KEPT: usize = 8;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum What {
    Root,
    System(NodeIndex),
    Hop(NodeIndex),
    /// The need (index into `needs`) this sink stands for.
    Sink(usize),
}

/// What one node of the dominator tree dominates: how many sinks, the
/// smallest need indices, and its preorder interval; `point` is the same
/// for the node as a point (a system leaves out the needs it is a place
/// of: those sinks hang right below it).
#[derive(Clone, Debug, Default)]
struct Below {
    count: usize,
    first: Vec<usize>,
    point: (usize, Vec<usize>),
    pre: usize,
    end: usize,
}

/// The smallest `KEPT` of the union of sorted lists.
fn merge_first<'a>(lists: impl Iterator<Item = &'a [usize]>) -> Vec<usize> {
    let mut all: Vec<usize> = lists.flatten().copied().collect();
    all.sort_unstable();
    all.dedup();
    all.truncate(KEPT);
    all
}

/// For one entity that starts from `sources` and moves along `hops`, and
/// the sets of places in `needs` (the entity must reach at least one place
/// of each): every integration or system whose failure alone leaves the
/// entity reaching none of the places of some needs, with those needs (by
/// index into `needs`, smallest first). Sources are never points, and a
/// system is never a point for a need it is a place of (those are the ends
/// of the flow, not points on the way). Sorted by point (systems first,
/// then integrations, each in model order). Needs whose places are not
/// reached from the sources at all have no points.
pub fn single_points(
    g: &Graph<'_>,
    hops: &[Hop],
    sources: &[NodeIndex],
    needs: &[&[NodeIndex]],
) -> Vec<(NodeIndex, Sample<usize>)> {
    let mut local: DiGraph<What, ()> = DiGraph::new();
    let root = local.add_node(What::Root);
    let mut systems: FastMap<NodeIndex, NodeIndex> = FastMap::default();
    let mut system = |local: &mut DiGraph<What, ()>, s: NodeIndex| {
        *systems
            .entry(s)
            .or_insert_with(|| local.add_node(What::System(s)))
    };
    for &s in sources {
        let n = system(&mut local, s);
        local.add_edge(root, n, ());
    }
    // integration -> its hop nodes; platform -> hop nodes routed through it
    let mut hop_nodes: FastMap<NodeIndex, Vec<NodeIndex>> = FastMap::default();
    let mut platforms: FastMap<NodeIndex, Vec<NodeIndex>> = FastMap::default();
    for h in hops {
        let a = system(&mut local, h.from);
        let b = system(&mut local, h.to);
        let x = local.add_node(What::Hop(h.integration));
        local.add_edge(a, x, ());
        local.add_edge(x, b, ());
        hop_nodes.entry(h.integration).or_default().push(x);
        for p in g.out(h.integration, EdgeKind::RoutesVia) {
            platforms.entry(p).or_default().push(x);
        }
    }
    let sinks: Vec<NodeIndex> = needs
        .iter()
        .enumerate()
        .map(|(j, places)| {
            let k = local.add_node(What::Sink(j));
            for p in places.iter() {
                if let Some(&n) = systems.get(p) {
                    local.add_edge(n, k, ());
                }
            }
            k
        })
        .collect();

    let dom = dominators::simple_fast(&local, root);
    let below = dominated(&local, root, &dom, needs);
    let is_source = |s: NodeIndex| sources.contains(&s);
    let mut out: Vec<(NodeIndex, Sample<usize>)> = Vec::new();
    let mut push = |point: NodeIndex, count: usize, first: Vec<usize>| {
        if count > 0 {
            out.push((
                point,
                Sample {
                    items: first,
                    total: count,
                },
            ));
        }
    };

    // platforms: taken away and searched again, while the budget lasts
    let mut platform_list: Vec<(NodeIndex, Vec<NodeIndex>)> = platforms.into_iter().collect();
    platform_list.sort();
    let cost = local.node_count() + local.edge_count();
    let mut budget = PLATFORM_BUDGET;
    let mut done_platforms: Vec<NodeIndex> = Vec::new();
    for (p, routed) in &platform_list {
        let p = *p;
        if is_source(p) {
            done_platforms.push(p);
            continue;
        }
        let gone = systems.get(&p).copied();
        match budget.checked_sub(cost) {
            Some(left) => {
                budget = left;
                let view =
                    NodeFiltered::from_fn(&local, |n| Some(n) != gone && !routed.contains(&n));
                let mut seen = vec![false; local.node_count()];
                let mut bfs = Bfs::new(&view, root);
                while let Some(n) = bfs.next(&view) {
                    seen[n.index()] = true;
                }
                let lost: Vec<usize> = sinks
                    .iter()
                    .enumerate()
                    .filter(|&(j, &k)| {
                        dom.immediate_dominator(k).is_some()
                            && !seen[k.index()]
                            && !needs[j].contains(&p)
                    })
                    .map(|(j, _)| j)
                    .collect();
                let count = lost.len();
                push(p, count, lost.into_iter().take(KEPT).collect());
            }
            None => {
                // the routes through it and via it (nested subtrees count once)
                let mut members: Vec<NodeIndex> = routed.clone();
                members.extend(gone);
                let (count, first) = union(&below, &members);
                push(p, count, first);
            }
        }
        done_platforms.push(p);
    }

    // systems the data is relayed through
    let mut relays: Vec<(NodeIndex, NodeIndex)> = systems.iter().map(|(&s, &n)| (s, n)).collect();
    relays.sort();
    for (s, n) in relays {
        if is_source(s) || done_platforms.contains(&s) {
            continue;
        }
        let (count, first) = union(&below, &[n]);
        push(s, count, first);
    }
    // integrations, and the platforms they route via are done above
    let mut ints: Vec<(NodeIndex, Vec<NodeIndex>)> = hop_nodes.into_iter().collect();
    ints.sort();
    for (i, nodes) in ints {
        let (count, first) = union(&below, &nodes);
        push(i, count, first);
    }
    out.sort_by_key(|(p, _)| *p);
    out
}

/// For every node of the dominator tree: the sinks below it (itself
/// included). Iterative: no recursion on a chain of thousands of systems.
fn dominated(
    local: &DiGraph<What, ()>,
    root: NodeIndex,
    dom: &dominators::Dominators<NodeIndex>,
    needs: &[&[NodeIndex]],
) -> Vec<Below> {
    let n = local.node_count();
    let mut children: Vec<Vec<NodeIndex>> = vec![Vec::new(); n];
    for v in local.node_indices() {
        if v == root {
            continue;
        }
        if let Some(u) = dom.immediate_dominator(v) {
            children[u.index()].push(v);
        }
    }
    let mut below = vec![Below::default(); n];
    let mut clock = 0;
    // (node, children visited?)
    let mut stack = vec![(root, false)];
    while let Some((v, done)) = stack.pop() {
        if !done {
            below[v.index()].pre = clock;
            clock += 1;
            stack.push((v, true));
            for &c in children[v.index()].iter().rev() {
                stack.push((c, false));
            }
            continue;
        }
        below[v.index()].end = clock;
        let own: Vec<usize> = match local[v] {
            What::Sink(j) => vec![j],
            _ => Vec::new(),
        };
        let all = &children[v.index()];
        let count = own.len() + all.iter().map(|c| below[c.index()].count).sum::<usize>();
        let first = merge_first(
            std::iter::once(own.as_slice())
                .chain(all.iter().map(|c| below[c.index()].first.as_slice())),
        );
        // a system is no point for the needs it is a place of: those
        // sinks hang right below it (its edge to them is direct)
        let place_of = |c: &NodeIndex| match (local[v], local[*c]) {
            (What::System(s), What::Sink(j)) => needs[j].contains(&s),
            _ => false,
        };
        let point = if all.iter().any(place_of) {
            let kept: Vec<NodeIndex> = all.iter().copied().filter(|c| !place_of(c)).collect();
            (
                kept.iter().map(|c| below[c.index()].count).sum::<usize>(),
                merge_first(kept.iter().map(|c| below[c.index()].first.as_slice())),
            )
        } else {
            (count, first.clone())
        };
        let b = &mut below[v.index()];
        b.count = count;
        b.first = first;
        b.point = point;
    }
    below
}

/// The sinks below any of `members` (reached ones only), counted once:
/// subtrees of a tree are nested or apart, so only the outermost count.
fn union(below: &[Below], members: &[NodeIndex]) -> (usize, Vec<usize>) {
    let mut ms: Vec<&Below> = members
        .iter()
        .map(|m| &below[m.index()])
        .filter(|b| b.end > b.pre) // visited: reached from the root
        .collect();
    ms.sort_by_key(|b| (b.pre, std::cmp::Reverse(b.end)));
    let mut count = 0;
    let mut outer: Vec<&Below> = Vec::new();
    let mut reach_end = 0;
    for b in ms {
        if b.pre < reach_end {
            continue; // inside one already counted
        }
        reach_end = b.end;
        count += b.point.0;
        outer.push(b);
    }
    (
        count,
        merge_first(outer.iter().map(|b| b.point.1.as_slice())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::flow::Flow;
    use crate::graph::tests::model;
    use crate::model::State;

    /// crm → (via ipaas) → billing, crm → dw (ETL), dw → bi; `extra`
    /// integrations appended. Needs: 0 billing, 1 BI, 2 billing or BI.
    /// Returns each point with the needs it cuts.
    fn cuts_with(extra: &str) -> Vec<(String, Vec<usize>)> {
        let sv = format!(
            r#"(systems: [
                (id: "crm", name: "CRM", kind: crm, holds: [(entity: "opp", role: record)]),
                (id: "ipaas", name: "iPaaS", kind: ipaas),
                (id: "bill", name: "Billing", kind: billing),
                (id: "dw", name: "DW", kind: data_warehouse),
                (id: "bi", name: "BI", kind: bi),
              ],
              integrations: [
                (id: "crm-bill", name: "a", source: "crm", target: "bill", via: "ipaas", carries: ["opp"], mechanism: ipaas, frequency: hourly),
                (id: "crm-dw", name: "b", source: "crm", target: "dw", carries: ["opp"], mechanism: batch_etl, frequency: daily),
                (id: "dw-bi", name: "c", source: "dw", target: "bi", carries: ["opp"], mechanism: native_connector, frequency: daily),
                {extra}
              ])"#
        );
        let m = model(&[
            ("sv.ron", &sv),
            (
                "div.ron",
                r#"(entities: [(id: "opp", name: "Opportunity")])"#,
            ),
        ]);
        let g = Graph::build(&m);
        let n = |id| g.node(id).unwrap();
        let flow = Flow::compute(&g, State::ToBe);
        let bill = [n("bill")];
        let bi = [n("bi")];
        let either = [n("bill"), n("bi")];
        single_points(&g, flow.hops(n("opp")), &[n("crm")], &[&bill, &bi, &either])
            .into_iter()
            .map(|(p, s)| {
                assert_eq!(s.total, s.items.len());
                (g.entity(p).id().to_string(), s.items)
            })
            .collect()
    }

    fn pairs(v: &[(&str, &[usize])]) -> Vec<(String, Vec<usize>)> {
        v.iter().map(|(p, n)| (p.to_string(), n.to_vec())).collect()
    }

    #[test]
    fn integrations_relays_and_platforms_on_every_route() {
        // billing: the integration and its platform; BI: the ETL, the
        // warehouse relay and the connector; either place: two disjoint
        // routes, so nothing is single for need 2
        assert_eq!(
            cuts_with(""),
            pairs(&[
                ("ipaas", &[0]),
                ("dw", &[1]),
                ("crm-bill", &[0]),
                ("crm-dw", &[1]),
                ("dw-bi", &[1]),
            ])
        );
    }

    #[test]
    fn a_second_route_removes_the_point_but_not_a_shared_platform() {
        // a second, parallel integration to billing through the same iPaaS
        let cuts = cuts_with(
            r#"(id: "crm-bill-2", name: "d", source: "crm", target: "bill", via: "ipaas", carries: ["opp"], mechanism: ipaas, frequency: daily),"#,
        );
        assert!(cuts.contains(&("ipaas".to_string(), vec![0])), "{cuts:?}");
        assert!(
            !cuts.iter().any(|(p, _)| p.starts_with("crm-bill")),
            "{cuts:?}"
        );
        // a direct route to BI bypasses the warehouse
        let cuts = cuts_with(
            r#"(id: "crm-bi", name: "e", source: "crm", target: "bi", carries: ["opp"], mechanism: api, frequency: daily),"#,
        );
        assert!(
            cuts.iter().all(|(_, needs)| !needs.contains(&1)),
            "{cuts:?}"
        );
    }

    #[test]
    fn a_place_is_no_point_for_its_own_need() {
        // billing forwards to BI; a need for "billing or BI" does not make
        // billing a point (it is a place), a need for BI alone does
        let cuts = cuts_with(
            r#"(id: "bill-bi", name: "f", source: "bill", target: "bi", carries: ["opp"], mechanism: api, frequency: daily),"#,
        );
        assert!(!cuts.iter().any(|(p, _)| p == "bill"), "{cuts:?}");
    }

    #[test]
    fn unreached_places_have_no_points() {
        let m = model(&[
            (
                "sv.ron",
                r#"(systems: [
                (id: "a", name: "A", kind: crm, holds: [(entity: "x", role: record)]),
                (id: "b", name: "B", kind: billing),
              ])"#,
            ),
            ("div.ron", r#"(entities: [(id: "x", name: "X")])"#),
        ]);
        let g = Graph::build(&m);
        let n = |id| g.node(id).unwrap();
        let flow = Flow::compute(&g, State::ToBe);
        let b = [n("b")];
        assert!(single_points(&g, flow.hops(n("x")), &[n("a")], &[&b]).is_empty());
    }

    #[test]
    fn a_long_chain_is_counted_not_listed() {
        // s0 → s1 → … → s4999, each system needs the data: every system
        // and integration on the way is a point for every place after it
        let len = 5_000;
        let mut sys = Vec::new();
        let mut ints = Vec::new();
        for i in 0..len {
            let holds = if i == 0 {
                r#", holds: [(entity: "x", role: record)]"#
            } else {
                ""
            };
            sys.push(format!(r#"(id: "s{i}", name: "s", kind: other{holds})"#));
            if i > 0 {
                ints.push(format!(
                    r#"(id: "i{i}", name: "i", source: "s{}", target: "s{i}", carries: ["x"], mechanism: api, frequency: daily)"#,
                    i - 1
                ));
            }
        }
        let text = format!(
            "(systems: [{}], integrations: [{}])",
            sys.join(","),
            ints.join(",")
        );
        let m = model(&[
            ("sv.ron", &text),
            ("div.ron", r#"(entities: [(id: "x", name: "X")])"#),
        ]);
        let g = Graph::build(&m);
        let flow = Flow::compute(&g, State::ToBe);
        let places: Vec<[NodeIndex; 1]> = (1..len)
            .map(|i| [g.node(&format!("s{i}")).unwrap()])
            .collect();
        let needs: Vec<&[NodeIndex]> = places.iter().map(|p| p.as_slice()).collect();
        let cuts = single_points(
            &g,
            flow.hops(g.node("x").unwrap()),
            &[g.node("s0").unwrap()],
            &needs,
        );
        let by_id: FastMap<String, &Sample<usize>> = cuts
            .iter()
            .map(|(p, s)| (g.entity(*p).id().to_string(), s))
            .collect();
        // s1 relays to s2 … s4999; i1 feeds all of s1 … s4999
        assert_eq!(by_id["s1"].total, len - 2);
        assert_eq!(by_id["s1"].items, (1..=KEPT).collect::<Vec<_>>());
        assert_eq!(by_id["i1"].total, len - 1);
        assert!(
            !by_id.contains_key("s4999"),
            "the last place relays nothing"
        );
    }
}
