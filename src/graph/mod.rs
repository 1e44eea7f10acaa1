//! The `graph` stage: one typed dependency graph over all five viewpoints.
//!
//! Nodes are the model's entities (borrowed, typed: [`Ref`]); edges are the
//! relations between them ([`EdgeKind`]). The graph holds every entity of
//! both states; each query takes the [`State`] to look at. Analyses and
//! renderers work on this graph, never on the raw RON structs' references.

pub mod algo;
pub mod cuts;
pub mod export;
pub mod flow;

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use serde::Serialize;

use crate::hash::FastMap;
use crate::model::{Kind, Model, Ref, Role, StandardKind, State, SystemKind};

pub use petgraph::graph::NodeIndex as Node;

/// A relation between two entities.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EdgeKind {
    /// performer → anything it owns.
    Owns,
    /// performer → activity it carries out.
    Performs,
    /// system → activity people use it for.
    Supports,
    /// data entity → activity that needs it.
    Consumes,
    /// activity → data entity it creates or updates.
    Produces,
    /// performer → exchange it provides.
    Sends,
    /// exchange → performer that needs it.
    Receives,
    /// exchange or integration → data entity carried.
    Carries,
    /// exchange → activity it serves.
    Serves,
    /// system → data entity it holds as a copy.
    Holds,
    /// system → data entity it is the system of record for.
    Masters,
    /// system → integration (source) and integration → system (target).
    FlowsTo,
    /// integration → system it passes through.
    RoutesVia,
    /// integration → exchange (needline) it realises.
    Realizes,
    /// standard → system or data entity it applies to.
    AppliesTo,
    /// goal → KPI standard that measures it.
    Measures,
    /// KPI standard → data entity it is computed from.
    ComputedFrom,
    /// KPI standard → system where it is computed.
    ComputedIn,
    /// data entity → related data entity.
    RelatesTo,
}

impl EdgeKind {
    /// The kebab-case name used in exports.
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Owns => "owns",
            EdgeKind::Performs => "performs",
            EdgeKind::Supports => "supports",
            EdgeKind::Consumes => "consumes",
            EdgeKind::Produces => "produces",
            EdgeKind::Sends => "sends",
            EdgeKind::Receives => "receives",
            EdgeKind::Carries => "carries",
            EdgeKind::Serves => "serves",
            EdgeKind::Holds => "holds",
            EdgeKind::Masters => "masters",
            EdgeKind::FlowsTo => "flows-to",
            EdgeKind::RoutesVia => "routes-via",
            EdgeKind::Realizes => "realizes",
            EdgeKind::AppliesTo => "applies-to",
            EdgeKind::Measures => "measures",
            EdgeKind::ComputedFrom => "computed-from",
            EdgeKind::ComputedIn => "computed-in",
            EdgeKind::RelatesTo => "relates-to",
        }
    }
}

/// The dependency graph of one model.
pub struct Graph<'m> {
    /// The model the graph borrows from.
    pub model: &'m Model,
    g: DiGraph<Ref<'m>, EdgeKind>,
    by_id: FastMap<&'m str, NodeIndex>,
    /// Source and target of each integration node (by node index).
    ends: Vec<Option<(NodeIndex, NodeIndex)>>,
    /// Per state (`State::ALL` order), whether each node (by index) is an
    /// integration that moves data in that state.
    active: [Vec<bool>; 2],
    /// Outgoing edges by node and kind.
    out: Adjacency,
    /// Incoming edges by node and kind.
    inc: Adjacency,
}

/// The edges of every node in one direction, grouped by kind, each group in
/// insertion (model) order: `out`/`inc` are a binary search and a slice, not
/// a scan of all of a node's edges (hubs and popular entities have
/// thousands) plus an allocation.
#[derive(Default)]
struct Adjacency {
    /// Node `n`'s edges are `list[start[n]..start[n + 1]]`.
    start: Vec<u32>,
    /// (kind, node at the other end), sorted by kind within a node.
    list: Vec<(EdgeKind, NodeIndex)>,
}

impl Adjacency {
    /// `edges` are (node, kind, other end) in insertion order.
    fn new(nodes: usize, edges: &[(NodeIndex, EdgeKind, NodeIndex)]) -> Adjacency {
        let mut start = vec![0u32; nodes + 1];
        for &(n, _, _) in edges {
            start[n.index() + 1] += 1;
        }
        for i in 0..nodes {
            start[i + 1] += start[i];
        }
        let mut fill: Vec<u32> = start.clone();
        let mut list = vec![(EdgeKind::Owns, NodeIndex::new(0)); edges.len()];
        for &(n, kind, other) in edges {
            let at = &mut fill[n.index()];
            list[*at as usize] = (kind, other);
            *at += 1;
        }
        for i in 0..nodes {
            // stable: keeps insertion order within a kind
            list[start[i] as usize..start[i + 1] as usize].sort_by_key(|&(k, _)| k);
        }
        Adjacency { start, list }
    }

    /// The other ends of `n`'s edges of `kind`, in insertion order.
    fn get(&self, n: NodeIndex, kind: EdgeKind) -> &[(EdgeKind, NodeIndex)] {
        let (Some(&a), Some(&b)) = (self.start.get(n.index()), self.start.get(n.index() + 1))
        else {
            return &[];
        };
        let all = &self.list[a as usize..b as usize];
        let lo = all.partition_point(|&(k, _)| k < kind);
        let hi = all.partition_point(|&(k, _)| k <= kind);
        &all[lo..hi]
    }
}

impl<'m> Graph<'m> {
    /// Builds the graph. References that do not resolve (in a model that
    /// failed validation) are skipped, so building never fails.
    pub fn build(model: &'m Model) -> Graph<'m> {
        let mut g = DiGraph::new();
        let mut by_id = FastMap::default();
        for e in model.entities() {
            let ix = g.add_node(e);
            by_id.entry(e.id().as_str()).or_insert(ix);
        }
        let mut graph = Graph {
            model,
            g,
            by_id,
            ends: Vec::new(),
            active: [Vec::new(), Vec::new()],
            out: Adjacency::default(),
            inc: Adjacency::default(),
        };
        graph.add_edges();
        let n = graph.g.node_count();
        let mut forward = Vec::with_capacity(graph.g.edge_count());
        let mut backward = Vec::with_capacity(graph.g.edge_count());
        for e in graph.g.edge_references() {
            forward.push((e.source(), *e.weight(), e.target()));
            backward.push((e.target(), *e.weight(), e.source()));
        }
        graph.out = Adjacency::new(n, &forward);
        graph.inc = Adjacency::new(n, &backward);
        graph.ends = graph
            .g
            .node_indices()
            .map(|n| match graph.g[n] {
                Ref::Integration(i) => Some((
                    graph.node(i.source.as_str())?,
                    graph.node(i.target.as_str())?,
                )),
                _ => None,
            })
            .collect();
        graph.active = State::ALL.map(|state| {
            graph
                .g
                .node_indices()
                .map(|n| graph.compute_active(n, state))
                .collect()
        });
        graph
    }

    fn add_edges(&mut self) {
        let model = self.model;
        let mut edges: Vec<(&str, &str, EdgeKind)> = Vec::new();
        for e in model.entities() {
            if let Some(owner) = e.owner() {
                edges.push((owner.as_str(), e.id().as_str(), EdgeKind::Owns));
            }
        }
        for goal in &model.av.goals {
            if let Some(kpi) = &goal.kpi {
                edges.push((goal.id.as_str(), kpi.as_str(), EdgeKind::Measures));
            }
        }
        for a in &model.ov.activities {
            let id = a.id.as_str();
            edges.push((a.performer.as_str(), id, EdgeKind::Performs));
            edges.extend(
                a.inputs
                    .iter()
                    .map(|e| (e.as_str(), id, EdgeKind::Consumes)),
            );
            edges.extend(
                a.outputs
                    .iter()
                    .map(|e| (id, e.as_str(), EdgeKind::Produces)),
            );
            edges.extend(
                a.systems
                    .iter()
                    .map(|s| (s.as_str(), id, EdgeKind::Supports)),
            );
        }
        for x in &model.ov.exchanges {
            let id = x.id.as_str();
            edges.push((x.from.as_str(), id, EdgeKind::Sends));
            edges.push((id, x.to.as_str(), EdgeKind::Receives));
            edges.extend(
                x.carries
                    .iter()
                    .map(|e| (id, e.as_str(), EdgeKind::Carries)),
            );
            if let Some(a) = &x.activity {
                edges.push((id, a.as_str(), EdgeKind::Serves));
            }
        }
        for s in &model.sv.systems {
            for h in &s.holds {
                let kind = match h.role {
                    Role::Record => EdgeKind::Masters,
                    Role::Copy => EdgeKind::Holds,
                };
                edges.push((s.id.as_str(), h.entity.as_str(), kind));
            }
        }
        for i in &model.sv.integrations {
            let id = i.id.as_str();
            edges.push((i.source.as_str(), id, EdgeKind::FlowsTo));
            edges.push((id, i.target.as_str(), EdgeKind::FlowsTo));
            edges.extend(
                i.carries
                    .iter()
                    .map(|e| (id, e.as_str(), EdgeKind::Carries)),
            );
            if let Some(via) = &i.via {
                edges.push((id, via.as_str(), EdgeKind::RoutesVia));
            }
            edges.extend(
                i.realizes
                    .iter()
                    .map(|x| (id, x.as_str(), EdgeKind::Realizes)),
            );
        }
        for s in &model.stdv.standards {
            let id = s.id.as_str();
            edges.extend(
                s.applies_to
                    .iter()
                    .map(|t| (id, t.as_str(), EdgeKind::AppliesTo)),
            );
            if let StandardKind::Kpi {
                computed_from,
                computed_in,
                ..
            } = &s.kind
            {
                edges.extend(
                    computed_from
                        .iter()
                        .map(|e| (id, e.as_str(), EdgeKind::ComputedFrom)),
                );
                if let Some(c) = computed_in {
                    edges.push((id, c.as_str(), EdgeKind::ComputedIn));
                }
            }
        }
        for e in &model.div.entities {
            for r in &e.relations {
                edges.push((e.id.as_str(), r.to.as_str(), EdgeKind::RelatesTo));
            }
        }
        for (from, to, kind) in edges {
            if let (Some(&a), Some(&b)) = (self.by_id.get(from), self.by_id.get(to)) {
                self.g.add_edge(a, b, kind);
            }
        }
    }

    /// The node of an id.
    pub fn node(&self, id: &str) -> Option<NodeIndex> {
        self.by_id.get(id).copied()
    }

    /// The entity at a node.
    pub fn entity(&self, n: NodeIndex) -> Ref<'m> {
        self.g[n]
    }

    /// The underlying petgraph graph.
    pub fn inner(&self) -> &DiGraph<Ref<'m>, EdgeKind> {
        &self.g
    }

    /// Whether the entity at `n` exists in `state`.
    pub fn present(&self, n: NodeIndex, state: State) -> bool {
        self.g[n].lifecycle().present_in(state)
    }

    /// All nodes of a kind, in model order.
    pub fn nodes_of(&self, kind: Kind) -> impl Iterator<Item = NodeIndex> + '_ {
        self.g
            .node_indices()
            .filter(move |&n| self.g[n].kind() == kind)
    }

    /// Nodes of a kind that exist in `state`.
    pub fn present_of(&self, kind: Kind, state: State) -> impl Iterator<Item = NodeIndex> + '_ {
        self.nodes_of(kind).filter(move |&n| self.present(n, state))
    }

    /// Targets of `n`'s outgoing edges of `kind`.
    pub fn out(&self, n: NodeIndex, kind: EdgeKind) -> impl Iterator<Item = NodeIndex> + '_ {
        self.neighbours(n, kind, Direction::Outgoing)
    }

    /// Sources of `n`'s incoming edges of `kind`.
    pub fn inc(&self, n: NodeIndex, kind: EdgeKind) -> impl Iterator<Item = NodeIndex> + '_ {
        self.neighbours(n, kind, Direction::Incoming)
    }

    fn neighbours(
        &self,
        n: NodeIndex,
        kind: EdgeKind,
        dir: Direction,
    ) -> impl Iterator<Item = NodeIndex> + '_ {
        let adj = match dir {
            Direction::Outgoing => &self.out,
            Direction::Incoming => &self.inc,
        };
        adj.get(n, kind).iter().map(|&(_, m)| m)
    }

    /// The system kind of a system node.
    pub fn system_kind(&self, n: NodeIndex) -> Option<SystemKind> {
        match self.g[n] {
            Ref::System(s) => Some(s.kind),
            _ => None,
        }
    }

    /// Source and target systems of an integration node.
    pub fn ends(&self, integration: NodeIndex) -> Option<(NodeIndex, NodeIndex)> {
        self.ends.get(integration.index()).copied().flatten()
    }

    /// Whether an integration moves data in `state`: it exists and so do
    /// both of its ends (and the platform it runs via).
    pub fn integration_active(&self, integration: NodeIndex, state: State) -> bool {
        let i = match state {
            State::AsIs => 0,
            State::ToBe => 1,
        };
        self.active[i]
            .get(integration.index())
            .copied()
            .unwrap_or(false)
    }

    fn compute_active(&self, integration: NodeIndex, state: State) -> bool {
        if !matches!(self.g[integration], Ref::Integration(_)) {
            return false;
        }
        if !self.present(integration, state) {
            return false;
        }
        let Some((s, t)) = self.ends(integration) else {
            return false;
        };
        let via_ok = self
            .out(integration, EdgeKind::RoutesVia)
            .all(|v| self.present(v, state));
        self.present(s, state) && self.present(t, state) && via_ok
    }

    /// Data entities a system holds (copy or record) in the model.
    pub fn held_by(&self, system: NodeIndex) -> impl Iterator<Item = (NodeIndex, Role)> + '_ {
        self.out(system, EdgeKind::Masters)
            .map(|e| (e, Role::Record))
            .chain(self.out(system, EdgeKind::Holds).map(|e| (e, Role::Copy)))
    }

    /// A display id for a node: `sys-salesforce`.
    pub fn key(&self, n: NodeIndex) -> String {
        let e = self.g[n];
        format!("{}-{}", e.kind().prefix(), e.id())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::read_texts;

    pub(crate) fn model(files: &[(&str, &str)]) -> Model {
        let loaded = read_texts(files, crate::analysis::RULE_IDS);
        let errors: Vec<_> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity == crate::diag::Severity::Error)
            .collect();
        assert!(
            errors.is_empty(),
            "{}",
            crate::diag::render(&loaded.diagnostics, &loaded.sources, false)
        );
        loaded.model
    }

    /// `out`/`inc` (the per-kind index) give exactly what scanning every
    /// edge in insertion order gives, for every node and kind of the
    /// reference model.
    #[test]
    fn adjacency_index_matches_a_scan_of_all_edges() {
        let m = model(&crate::model::load::BUNDLED);
        let g = Graph::build(&m);
        let kinds: Vec<EdgeKind> = g.g.edge_references().map(|e| *e.weight()).collect();
        let mut distinct = kinds.clone();
        distinct.sort();
        distinct.dedup();
        assert!(distinct.len() > 10, "{distinct:?}");
        let mut checked = 0;
        for n in g.g.node_indices() {
            for &k in &distinct {
                let mut out = Vec::new();
                let mut inc = Vec::new();
                for e in g.g.edge_references() {
                    if *e.weight() == k && e.source() == n {
                        out.push(e.target());
                    }
                    if *e.weight() == k && e.target() == n {
                        inc.push(e.source());
                    }
                }
                assert_eq!(g.out(n, k).collect::<Vec<_>>(), out, "{n:?} {k:?}");
                assert_eq!(g.inc(n, k).collect::<Vec<_>>(), inc, "{n:?} {k:?}");
                checked += out.len() + inc.len();
            }
        }
        assert_eq!(checked, 2 * kinds.len());
    }

    #[test]
    fn edges_connect_viewpoints() {
        let m = model(&[
            (
                "ov.ron",
                r#"(performers: [(id: "sales", name: "Sales")],
               activities: [(id: "close", name: "Close", performer: "sales", stage: close, inputs: ["opp"], systems: ["crm"])])"#,
            ),
            (
                "sv.ron",
                r#"(systems: [(id: "crm", name: "CRM", kind: crm, owner: "sales", holds: [(entity: "opp", role: record)]),
                                    (id: "dw", name: "DW", kind: data_warehouse, lifecycle: planned)],
               integrations: [(id: "i1", name: "i", source: "crm", target: "dw", carries: ["opp"], mechanism: batch_etl, frequency: daily)])"#,
            ),
            (
                "div.ron",
                r#"(entities: [(id: "opp", name: "Opportunity")])"#,
            ),
        ]);
        let g = Graph::build(&m);
        let crm = g.node("crm").unwrap();
        let opp = g.node("opp").unwrap();
        let close = g.node("close").unwrap();
        let i1 = g.node("i1").unwrap();
        assert_eq!(g.out(crm, EdgeKind::Masters).collect::<Vec<_>>(), vec![opp]);
        assert_eq!(
            g.out(crm, EdgeKind::Supports).collect::<Vec<_>>(),
            vec![close]
        );
        assert_eq!(
            g.inc(close, EdgeKind::Consumes).collect::<Vec<_>>(),
            vec![opp]
        );
        assert_eq!(g.inc(crm, EdgeKind::Owns).count(), 1);
        assert!(g.integration_active(i1, State::ToBe));
        assert!(!g.integration_active(i1, State::AsIs), "dw is planned");
        assert_eq!(g.present_of(Kind::System, State::AsIs).count(), 1);
    }
}
