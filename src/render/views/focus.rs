//! Focus views: one slide per finding (`revarch render --focus KEY`).
//!
//! A focus diagram draws what a finding names — its subject and related
//! entities — and just enough around them to read the problem, not the
//! whole model: a silo's system with the places that need its data and the
//! missing links to them; an orphan integration's two ends; a data entity's
//! holders, where it arrives and where it is needed; a single point of
//! failure with its neighbours and what it cuts off. Entities that are not
//! drawn as boxes (data entities, KPIs, standards) appear as role lines on
//! the systems that hold, compute or need them ("holds Support ticket
//! (system of record)"). The finding's message and fix become the slide's
//! [`Caption`]; a finding with nothing to draw gets a caption-only slide.
//!
//! Named entities carry the finding's level mark; the link the fix adds is a
//! [`Mark::Missing`] edge, or — when an integration already runs between the
//! two systems — that integration, marked and labelled "but not …". A slide
//! stays small: at most [`MAX_NAMED`] boxes of what the finding names and
//! [`MAX_CONTEXT`] neighbours of each kind (the rest counted in the caption).

use std::collections::{BTreeMap, BTreeSet};

use petgraph::graph::NodeIndex;

use super::{
    footer, frequency_text, kind_color, kind_text, lifecycle_legend, lifecycle_marks,
    mechanism_text, node_for, tooltip, ViewOptions, PALETTE,
};
use crate::analysis::{spans, Finding};
use crate::graph::flow::{Arrival, Flow as DataFlow};
use crate::graph::{EdgeKind, Graph};
use crate::model::{Direction, Kind, Level, Lifecycle, Ref, Role, StandardKind, State, SystemKind};
use crate::render::diagram::*;

/// Neighbours the finding does not name drawn at most, of each of the two
/// kinds of context (named entities are bounded by the finding itself:
/// [`crate::analysis::RELATED_MAX`]).
pub const MAX_CONTEXT: usize = 6;
/// Boxes of what the finding names drawn at most (the subject first, then
/// what the problem cannot be read without: where data is needed, the
/// system of record); a finding may name 20 related entities.
pub const MAX_NAMED: usize = 6;
/// Data entities named on a context edge (then "and N more").
const CONTEXT_DATA: usize = 3;
/// Role lines under one box at most (then "… N more").
const MAX_LINES: usize = 4;

/// The view id of every focus diagram (files are named by the finding key).
pub const VIEW_ID: &str = "focus";

/// A human title for a rule id (`data-silo` → "Data silo").
pub fn rule_title(rule: &str) -> String {
    let known = match rule {
        "data-silo" => "Data silo",
        "data-island" => "Data island",
        "warehouse-gap" => "Warehouse gap",
        "orphan-integration" => "Orphan integration",
        "unrealized-needline" => "Unrealised needline",
        "unsupported-activity" => "Unsupported activity",
        "system-of-record-conflict" => "System-of-record conflict",
        "pii-exposure" => "Personal data exposure",
        "kpi-without-data" => "KPI without data",
        "unused-system" => "Unused system",
        "single-point-of-failure" => "Single point of failure",
        "unowned" => "Unowned",
        other => {
            let mut s = other.replace('-', " ");
            if let Some(c) = s.get(..1) {
                let up = c.to_uppercase();
                s.replace_range(..1, &up);
            }
            return s;
        }
    };
    known.to_string()
}

/// The focus diagram of one finding of `opts.state`. `allowed`: the reason
/// when the finding is suppressed by an `allow` in the model (shown in the
/// caption). Never fails: a finding whose subject is not in `g` or names
/// nothing drawable gets a caption-only diagram.
pub fn focus(g: &Graph<'_>, f: &Finding, allowed: Option<&str>, opts: &ViewOptions<'_>) -> Diagram {
    let own;
    let flow = match opts.flow {
        Some(fl) => fl,
        None => {
            own = DataFlow::compute(g, opts.state);
            &own
        }
    };
    let subject = g.node(&f.subject.id);
    let subject_name = subject.map_or(f.subject.id.as_str(), |n| g.entity(n).name());
    let d = Diagram {
        view: VIEW_ID.to_string(),
        title: format!("{}: {subject_name}", rule_title(f.rule)),
        footer: footer(g, opts.state),
        flow: Flow::LeftRight,
        nodes: Vec::new(),
        edges: Vec::new(),
        groups: Vec::new(),
        legend: Vec::new(),
        empty_note: None,
        caption: None,
        lanes: None,
    };
    let mut b = Focus {
        g,
        state: opts.state,
        flow,
        mark: match f.level {
            Level::Error => Mark::FindingError,
            Level::Warning => Mark::FindingWarning,
            _ => Mark::FindingInfo,
        },
        d,
        index: BTreeMap::new(),
        context: 0,
        needed: 0,
        left_out: BTreeSet::new(),
        named_drawn: 0,
        left_named: BTreeSet::new(),
        more_lines: BTreeMap::new(),
        edge_keys: BTreeSet::new(),
        named: BTreeSet::new(),
        core: BTreeSet::new(),
        highlight: BTreeSet::new(),
        lacking: BTreeMap::new(),
    };
    let related: Vec<NodeIndex> = f.related.iter().filter_map(|e| g.node(&e.id)).collect();
    b.named.extend(subject);
    b.named.extend(related.iter().copied());
    if let Some(s) = subject {
        b.draw(f, s, &related);
    }
    b.finish(f, allowed)
}

/// Whether a node the finding names or context around it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tag {
    /// Named by the finding: always drawn, with the finding's mark.
    Named,
    /// Context: drawn while fewer than [`MAX_CONTEXT`] are.
    Context,
    /// Context that the problem cannot be read without (an integration's
    /// ends, where data is needed): drawn first, unmarked, also at most
    /// [`MAX_CONTEXT`] (a data entity may be held in hundreds of systems).
    Needed,
}

struct Focus<'a, 'g, 'm> {
    g: &'g Graph<'m>,
    state: State,
    flow: &'a DataFlow,
    /// The finding's level mark.
    mark: Mark,
    d: Diagram,
    /// Model node → diagram node.
    index: BTreeMap<NodeIndex, usize>,
    /// Context nodes drawn.
    context: usize,
    /// Needed context nodes drawn.
    needed: usize,
    /// Context nodes left out (distinct).
    left_out: BTreeSet<NodeIndex>,
    /// Named nodes drawn, and left out.
    named_drawn: usize,
    left_named: BTreeSet<NodeIndex>,
    /// Role lines left out per diagram node.
    more_lines: BTreeMap<usize, usize>,
    edge_keys: BTreeSet<String>,
    /// Subject and related entities.
    named: BTreeSet<NodeIndex>,
    /// Drawn nodes that are named or needed (not mere context).
    core: BTreeSet<NodeIndex>,
    /// Integrations and needlines in question (drawn with the finding's mark).
    highlight: BTreeSet<NodeIndex>,
    /// Integrations in question for what they do not carry.
    lacking: BTreeMap<NodeIndex, Vec<String>>,
}

impl Focus<'_, '_, '_> {
    fn name(&self, n: NodeIndex) -> &str {
        self.g.entity(n).name()
    }

    fn present(&self, n: NodeIndex) -> bool {
        self.g.present(n, self.state)
    }

    // -- nodes -------------------------------------------------------------

    /// Draws `n` (systems, performers, activities; other kinds are not
    /// boxes); returns its diagram index, None when not drawn.
    fn node(&mut self, n: NodeIndex, tag: Tag) -> Option<usize> {
        let tag = if self.named.contains(&n) {
            Tag::Named
        } else {
            tag
        };
        if let Some(&i) = self.index.get(&n) {
            if tag != Tag::Context {
                self.core.insert(n);
            }
            if tag == Tag::Named && !self.d.nodes[i].marks.contains(&self.mark) {
                self.d.nodes[i].marks.push(self.mark);
            }
            return Some(i);
        }
        let g = self.g;
        let mut node = match g.entity(n) {
            Ref::System(def) => {
                let mut sub = match &def.vendor {
                    Some(v) if !v.is_empty() => format!("{} · {}", kind_text(def.kind), v),
                    _ => kind_text(def.kind).to_string(),
                };
                if !self.present(n) {
                    sub.push_str(match def.lifecycle {
                        Lifecycle::Retiring => " · gone after the plan",
                        _ => " · not there yet",
                    });
                }
                let shape = if def.kind == SystemKind::DataWarehouse {
                    Shape::Cylinder
                } else {
                    Shape::Rounded
                };
                node_for(g, n, shape, kind_color(def.kind).0, Some(sub))
            }
            Ref::Performer(def) => node_for(
                g,
                n,
                Shape::Pill,
                PALETTE - 1,
                Some(format!("{:?}", def.kind).to_lowercase()),
            ),
            Ref::Activity(def) => node_for(
                g,
                n,
                Shape::Rounded,
                PALETTE - 4,
                Some(format!("activity · {:?}", def.stage).to_lowercase()),
            ),
            _ => return None,
        };
        let (count, max, left) = match tag {
            Tag::Named => (&mut self.named_drawn, MAX_NAMED, &mut self.left_named),
            Tag::Context => (&mut self.context, MAX_CONTEXT, &mut self.left_out),
            Tag::Needed => (&mut self.needed, MAX_CONTEXT, &mut self.left_out),
        };
        if *count >= max {
            left.insert(n);
            return None;
        }
        *count += 1;
        self.left_out.remove(&n);
        self.left_named.remove(&n);
        if tag == Tag::Named {
            node.marks.push(self.mark);
        }
        if tag != Tag::Context {
            self.core.insert(n);
        }
        let i = self.d.nodes.len();
        self.index.insert(n, i);
        self.d.nodes.push(node);
        Some(i)
    }

    /// Adds a mark to a drawn node.
    fn mark_node(&mut self, n: NodeIndex, m: Mark) {
        if let Some(&i) = self.index.get(&n) {
            if !self.d.nodes[i].marks.contains(&m) {
                self.d.nodes[i].marks.push(m);
            }
        }
    }

    /// Adds a role line under a drawn node (at most [`MAX_LINES`]).
    fn line(&mut self, n: NodeIndex, text: String) {
        let Some(&i) = self.index.get(&n) else {
            return;
        };
        let lines = &mut self.d.nodes[i].lines;
        if lines.contains(&text) {
            return;
        }
        if lines.len() < MAX_LINES {
            lines.push(text);
        } else {
            *self.more_lines.entry(i).or_default() += 1;
        }
    }

    /// Systems connected to `s` by an integration of the state, in model
    /// order of the integrations (outgoing first).
    fn neighbours(&self, s: NodeIndex) -> Vec<NodeIndex> {
        let g = self.g;
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        let ints = g
            .out(s, EdgeKind::FlowsTo)
            .chain(g.inc(s, EdgeKind::FlowsTo));
        for i in ints {
            if !self.present(i) {
                continue;
            }
            if let Some((a, b)) = g.ends(i) {
                let other = if a == s { b } else { a };
                if other != s && seen.insert(other) {
                    out.push(other);
                }
            }
        }
        out
    }

    /// Draws `s`'s neighbours as context.
    fn neighbours_as_context(&mut self, s: NodeIndex) {
        for n in self.neighbours(s) {
            self.node(n, Tag::Context);
        }
    }

    /// Systems that hold `e`, records first.
    fn holders(&self, e: NodeIndex) -> Vec<(NodeIndex, Role)> {
        let mut h = self.flow.of(e).holders.clone();
        h.sort_by_key(|&(_, r)| r != Role::Record);
        h
    }

    fn role_text(r: Role) -> &'static str {
        match r {
            Role::Record => "system of record",
            Role::Copy => "copy",
        }
    }

    /// Draws the systems holding `e` with a role line each; system of
    /// record marked.
    fn holders_with_lines(&mut self, e: NodeIndex, tag: Tag) -> Vec<NodeIndex> {
        let name = self.name(e).to_string();
        let mut drawn = Vec::new();
        for (s, role) in self.holders(e) {
            if self.node(s, tag).is_some() {
                self.line(s, format!("holds {name} ({})", Self::role_text(role)));
                drawn.push(s);
            }
        }
        drawn
    }

    /// Systems (present) where `e` is needed: supporting an activity that
    /// consumes it, or computing a KPI from it; with who needs it.
    fn needed_in(&self, e: NodeIndex) -> Vec<(NodeIndex, NodeIndex)> {
        let g = self.g;
        let mut out = Vec::new();
        for a in g.out(e, EdgeKind::Consumes).filter(|&a| self.present(a)) {
            for s in g.inc(a, EdgeKind::Supports).filter(|&s| self.present(s)) {
                out.push((s, a));
            }
        }
        for k in g
            .inc(e, EdgeKind::ComputedFrom)
            .filter(|&k| self.present(k))
        {
            for s in g.out(k, EdgeKind::ComputedIn).filter(|&s| self.present(s)) {
                out.push((s, k));
            }
        }
        out
    }

    /// "activity Score account health" / "KPI CAC".
    fn who(&self, n: NodeIndex) -> String {
        let g = self.g;
        match g.entity(n) {
            Ref::Standard(def) if matches!(def.kind, StandardKind::Kpi { .. }) => {
                format!("KPI {}", def.name)
            }
            r => format!("{} {}", r.kind().label(), r.name()),
        }
    }

    /// Present warehouses first, then BI tools.
    fn analytics(&self) -> Vec<NodeIndex> {
        let g = self.g;
        let mut a: Vec<NodeIndex> = g
            .present_of(Kind::System, self.state)
            .filter(|&s| g.system_kind(s).is_some_and(|k| k.is_analytics()))
            .collect();
        a.sort_by_key(|&s| g.system_kind(s) != Some(SystemKind::DataWarehouse));
        a
    }

    // -- edges -------------------------------------------------------------

    fn push_edge(&mut self, e: Edge) {
        if self.edge_keys.insert(e.key.clone()) {
            self.d.edges.push(e);
        }
    }

    /// Draws integration `i` between its ends when both are drawn.
    fn integration(&mut self, i: NodeIndex) {
        let g = self.g;
        let (Some((s, t)), Ref::Integration(def)) = (g.ends(i), g.entity(i)) else {
            return;
        };
        let (Some(&a), Some(&b)) = (self.index.get(&s), self.index.get(&t)) else {
            return;
        };
        if a == b {
            return;
        }
        let carried: Vec<String> = g
            .out(i, EdgeKind::Carries)
            .map(|e| g.entity(e).name().to_string())
            .collect();
        let asked = self.highlight.contains(&i) || self.named.contains(&i);
        let mut head = format!(
            "{} · {}",
            mechanism_text(def.mechanism),
            frequency_text(def.frequency)
        );
        if let Some(via) = g.out(i, EdgeKind::RoutesVia).next() {
            head.push_str(&format!(" · via {}", g.entity(via).name()));
        }
        // context shows the first few entities; the link in question all
        let data = match (carried.is_empty(), asked) {
            (true, _) => "(carries nothing)".to_string(),
            (false, true) => carried.join(", "),
            (false, false) => join_some(&carried, CONTEXT_DATA),
        };
        let mut marks = lifecycle_marks(g.entity(i));
        if asked {
            marks.push(self.mark);
        }
        let mut label = vec![head, data];
        if let Some(what) = self.lacking.get(&i) {
            label.push(format!("but not {}", join_some(what, 3)));
        }
        self.push_edge(Edge {
            key: g.key(i),
            from: a,
            to: b,
            label,
            both_ways: def.direction == Direction::Bidirectional,
            marks,
            tooltip: format!("{} — {}", def.name, tooltip(g.entity(i))),
        });
    }

    /// Draws an integration with its ends (needed context).
    fn integration_with_ends(&mut self, i: NodeIndex) {
        if let Some((s, t)) = self.g.ends(i) {
            self.node(s, Tag::Needed);
            self.node(t, Tag::Needed);
            self.integration(i);
        }
    }

    /// Integrations of the state between drawn systems with at least one
    /// end named by the finding or needed to read it: links among mere
    /// neighbours are left out.
    /// Those in question are drawn one by one; the others between one pair
    /// of systems are merged into one edge ("3 integrations").
    fn induced(&mut self) {
        let g = self.g;
        let systems: Vec<NodeIndex> = self.index.keys().copied().collect();
        let mut pairs: BTreeMap<(usize, usize), Vec<NodeIndex>> = BTreeMap::new();
        for s in systems {
            let outs: Vec<NodeIndex> = g.out(s, EdgeKind::FlowsTo).collect();
            for i in outs {
                let asked = self.named.contains(&i) || self.highlight.contains(&i);
                if !(asked || self.present(i)) {
                    continue;
                }
                let Some((a, b)) = g.ends(i) else { continue };
                let (Some(&x), Some(&y)) = (self.index.get(&a), self.index.get(&b)) else {
                    continue;
                };
                if asked {
                    self.integration(i);
                } else if self.core.contains(&a) || self.core.contains(&b) {
                    pairs.entry((x.min(y), x.max(y))).or_default().push(i);
                }
            }
        }
        for ints in pairs.into_values() {
            match ints.as_slice() {
                [i] => self.integration(*i),
                _ => self.merged(&ints),
            }
        }
    }

    /// Several context integrations between one pair of systems, as one edge.
    fn merged(&mut self, ints: &[NodeIndex]) {
        let g = self.g;
        let Some((s, t)) = ints.first().and_then(|&i| g.ends(i)) else {
            return;
        };
        let (Some(&a), Some(&b)) = (self.index.get(&s), self.index.get(&t)) else {
            return;
        };
        let mut data: Vec<String> = Vec::new();
        let mut both = false;
        for &i in ints {
            for e in g.out(i, EdgeKind::Carries) {
                let name = g.entity(e).name().to_string();
                if !data.contains(&name) {
                    data.push(name);
                }
            }
            let reverse = g.ends(i).is_some_and(|(x, _)| x != s);
            let bidi = matches!(g.entity(i), Ref::Integration(d) if d.direction == Direction::Bidirectional);
            both |= reverse || bidi;
        }
        let mut marks = Vec::new();
        for m in [Lifecycle::Planned, Lifecycle::Retiring] {
            if ints.iter().all(|&i| g.entity(i).lifecycle() == m) {
                marks.extend(lifecycle_marks(g.entity(ints[0])));
            }
        }
        let mut label = vec![format!("{} integrations", ints.len())];
        if !data.is_empty() {
            label.push(join_some(&data, CONTEXT_DATA));
        }
        let names: Vec<&str> = ints.iter().map(|&i| g.entity(i).name()).collect();
        let key = format!("ints-{}-{}", self.d.nodes[a].key, self.d.nodes[b].key);
        self.push_edge(Edge {
            key,
            from: a,
            to: b,
            label,
            both_ways: both,
            marks,
            tooltip: names.join("\n"),
        });
    }

    /// A present integration from `from` to `to` (or both ways between them).
    fn existing(&self, from: NodeIndex, to: NodeIndex) -> Option<NodeIndex> {
        let g = self.g;
        let forward = g
            .out(from, EdgeKind::FlowsTo)
            .find(|&i| self.present(i) && g.ends(i).is_some_and(|(_, t)| t == to));
        forward.or_else(|| {
            g.out(to, EdgeKind::FlowsTo).find(|&i| {
                self.present(i)
                    && g.ends(i).is_some_and(|(_, t)| t == from)
                    && matches!(g.entity(i), Ref::Integration(d) if d.direction == Direction::Bidirectional)
            })
        })
    }

    /// Integrations of the state (present) that carry `e` into `s`.
    fn carrying_into(&self, s: NodeIndex, e: NodeIndex) -> Vec<NodeIndex> {
        let g = self.g;
        let mut out = Vec::new();
        let ints = g
            .inc(s, EdgeKind::FlowsTo)
            .chain(g.out(s, EdgeKind::FlowsTo).filter(|&i| {
                matches!(g.entity(i), Ref::Integration(d) if d.direction == Direction::Bidirectional)
            }));
        for i in ints {
            if self.present(i) && g.out(i, EdgeKind::Carries).any(|c| c == e) {
                out.push(i);
            }
        }
        out
    }

    /// `what` does not flow from `from` to `to`: when an integration runs
    /// between them already it is the one in question and its label says
    /// what it lacks ("but not Support ticket"); else a missing link.
    fn lacks(&mut self, from: NodeIndex, to: NodeIndex, what: &str, label: String) {
        match self.existing(from, to) {
            Some(i) => {
                self.highlight.insert(i);
                let list = self.lacking.entry(i).or_default();
                if !list.iter().any(|w| w == what) {
                    list.push(what.to_string());
                }
            }
            None => self.missing(from, to, label),
        }
    }

    /// A link that does not exist: what the fix adds.
    fn missing(&mut self, from: NodeIndex, to: NodeIndex, label: String) {
        let (Some(&a), Some(&b)) = (self.index.get(&from), self.index.get(&to)) else {
            return;
        };
        if a == b {
            return;
        }
        let key = format!("missing-{}-{}", self.d.nodes[a].key, self.d.nodes[b].key);
        let tooltip = format!(
            "missing: {} → {}: {label}",
            self.d.nodes[a].label, self.d.nodes[b].label
        );
        self.push_edge(Edge {
            key,
            from: a,
            to: b,
            label: vec![label],
            both_ways: false,
            marks: vec![Mark::Missing],
            tooltip,
        });
    }

    /// A plain labelled relation (works in, performs, supports).
    fn relation(&mut self, from: NodeIndex, to: NodeIndex, label: &str, marks: Vec<Mark>) {
        let (Some(&a), Some(&b)) = (self.index.get(&from), self.index.get(&to)) else {
            return;
        };
        if a == b {
            return;
        }
        let key = format!("rel-{}-{}", self.d.nodes[a].key, self.d.nodes[b].key);
        let tooltip = format!(
            "{} {label} {}",
            self.d.nodes[a].label, self.d.nodes[b].label
        );
        self.push_edge(Edge {
            key,
            from: a,
            to: b,
            label: vec![label.to_string()],
            both_ways: false,
            marks,
            tooltip,
        });
    }

    /// A needline between its performers (drawn when both are).
    fn needline(&mut self, x: NodeIndex) {
        let g = self.g;
        let (Some(p), Some(q)) = (
            g.inc(x, EdgeKind::Sends).next(),
            g.out(x, EdgeKind::Receives).next(),
        ) else {
            return;
        };
        let (Some(&a), Some(&b)) = (self.index.get(&p), self.index.get(&q)) else {
            return;
        };
        if a == b {
            return;
        }
        let carried: Vec<&str> = g
            .out(x, EdgeKind::Carries)
            .map(|e| g.entity(e).name())
            .collect();
        let mut label = vec![format!("needline: {}", g.entity(x).name())];
        if !carried.is_empty() {
            label.push(carried.join(", "));
        }
        let mut marks = lifecycle_marks(g.entity(x));
        if self.named.contains(&x) {
            marks.push(self.mark);
        }
        self.push_edge(Edge {
            key: g.key(x),
            from: a,
            to: b,
            label,
            both_ways: false,
            marks,
            tooltip: tooltip(g.entity(x)),
        });
    }

    // -- what each finding draws ---------------------------------------------

    fn draw(&mut self, f: &Finding, s: NodeIndex, related: &[NodeIndex]) {
        match (f.rule, f.case) {
            ("data-silo", "isolated-system") => self.isolated_system(s),
            ("data-silo", "unreachable") => self.unreachable(s, related),
            ("data-island", "no-warehouse") => self.island_no_warehouse(s, related),
            ("data-island", "cut-off-from-record") => self.island_cut_off(s, related),
            ("warehouse-gap", _) => self.warehouse_gap(s, related),
            ("orphan-integration", case) => self.orphan(s, case, related),
            ("unrealized-needline", _) => self.unrealized(s, related),
            ("unsupported-activity", _) => self.unsupported(s, related),
            ("system-of-record-conflict", case) => self.record_conflict(s, case, related),
            ("pii-exposure", _) => self.pii(s, related),
            ("kpi-without-data", case) => self.kpi(s, case, related),
            ("single-point-of-failure", _) => self.only_route(s, related),
            _ => self.generic(s, related),
        }
        // a needline's slide shows only what runs between the two sides
        if f.rule != "unrealized-needline" {
            self.induced();
        }
    }

    /// A system that holds data and exchanges none: where its data is
    /// needed, and the warehouse, with the missing links.
    fn isolated_system(&mut self, s: NodeIndex) {
        let g = self.g;
        self.node(s, Tag::Named);
        let held: Vec<(NodeIndex, Role)> = g.held_by(s).collect();
        let mut targets: BTreeMap<NodeIndex, Vec<String>> = BTreeMap::new();
        let mut order: Vec<NodeIndex> = Vec::new();
        for &(e, role) in &held {
            let name = self.name(e).to_string();
            self.line(s, format!("holds {name} ({})", Self::role_text(role)));
            for (t, who) in self.needed_in(e) {
                if t == s {
                    continue;
                }
                if self.node(t, Tag::Needed).is_some() {
                    let who = self.who(who);
                    self.line(t, format!("needs {name} ({who})"));
                    self.mark_node(t, Mark::Missing);
                    if !targets.contains_key(&t) {
                        order.push(t);
                    }
                    let list = targets.entry(t).or_default();
                    if !list.contains(&name) {
                        list.push(name.clone());
                    }
                }
            }
        }
        let is_warehouse = g.system_kind(s) == Some(SystemKind::DataWarehouse);
        if let Some(w) = self.analytics().first().copied().filter(|_| !is_warehouse) {
            if w != s && self.node(w, Tag::Needed).is_some() {
                if !targets.contains_key(&w) {
                    order.push(w);
                }
                let list = targets.entry(w).or_default();
                for &(e, _) in &held {
                    let name = self.name(e).to_string();
                    if !list.contains(&name) {
                        list.push(name);
                    }
                }
            }
        }
        for t in order {
            let names = targets.get(&t).cloned().unwrap_or_default();
            self.missing(s, t, format!("no integration: {}", join_some(&names, 3)));
        }
    }

    /// A data entity needed where no integration chain brings it.
    fn unreachable(&mut self, e: NodeIndex, related: &[NodeIndex]) {
        let g = self.g;
        let name = self.name(e).to_string();
        let who: Vec<NodeIndex> = related
            .iter()
            .copied()
            .filter(|&n| g.entity(n).kind() != Kind::System)
            .collect();
        let places: Vec<NodeIndex> = related
            .iter()
            .copied()
            .filter(|&n| g.entity(n).kind() == Kind::System && !self.flow.available(e, n))
            .collect();
        // where it is needed first: the slide is about them
        for &p in &places {
            self.node(p, Tag::Named);
            self.mark_node(p, Mark::Missing);
            for &w in &who {
                let w = self.who(w);
                self.line(p, format!("needs {name} ({w}) — never arrives"));
            }
        }
        // the holders the finding names (a widely copied entity has many)
        let mut holders = Vec::new();
        for (s, role) in self.holders(e) {
            if self.named.contains(&s) && self.node(s, Tag::Named).is_some() {
                self.line(s, format!("holds {name} ({})", Self::role_text(role)));
                holders.push(s);
            }
        }
        let reach: Vec<(NodeIndex, Arrival)> = self
            .flow
            .of(e)
            .reach
            .iter()
            .map(|(&s, &a)| (s, a))
            .collect();
        // where it arrives: first the systems that feed a place already,
        // then those it reaches straight from a drawn holder
        let mut arrivals: Vec<(u8, NodeIndex)> = reach
            .iter()
            .filter_map(|&(s, arrival)| {
                let Arrival::Received { from, .. } = arrival else {
                    return None;
                };
                if places.iter().any(|&p| self.existing(s, p).is_some()) {
                    Some((0, s))
                } else if holders.contains(&from) {
                    Some((1, s))
                } else {
                    None
                }
            })
            .collect();
        arrivals.sort();
        for (_, s) in arrivals {
            if self.node(s, Tag::Context).is_some() {
                self.line(s, format!("receives {name}"));
            }
        }
        for &p in &places {
            // from where it is available: a system already integrated with
            // the place if there is one (the fix is then one more entity)
            let from = reach
                .iter()
                .map(|&(s, _)| s)
                .find(|&s| self.index.contains_key(&s) && self.existing(s, p).is_some())
                .or(reach
                    .iter()
                    .map(|&(s, _)| s)
                    .find(|s| self.index.contains_key(s)))
                .or(holders.first().copied());
            if let Some(from) = from {
                self.lacks(from, p, &name, format!("no integration carries {name}"));
            }
        }
    }

    /// Systems that exchange data only among themselves.
    fn island_no_warehouse(&mut self, first: NodeIndex, related: &[NodeIndex]) {
        self.node(first, Tag::Named);
        for &n in related {
            self.node(n, Tag::Named);
        }
        if let Some(w) = self
            .analytics()
            .into_iter()
            .find(|&w| self.g.system_kind(w) == Some(SystemKind::DataWarehouse))
        {
            if self.node(w, Tag::Needed).is_some() {
                self.missing(first, w, "no path to the warehouse".to_string());
            }
        }
    }

    /// A group keeping copies whose system of record is outside it.
    fn island_cut_off(&mut self, first: NodeIndex, related: &[NodeIndex]) {
        let g = self.g;
        let entities = of_kind(g, related, Kind::Entity);
        let mut masters: BTreeSet<NodeIndex> = BTreeSet::new();
        for &e in &entities {
            masters.extend(self.flow.of(e).records());
        }
        self.node(first, Tag::Named);
        // the systems of record before the rest of the group
        for &m in &masters {
            self.node(m, Tag::Named);
        }
        let members: Vec<NodeIndex> = std::iter::once(first)
            .chain(
                related
                    .iter()
                    .copied()
                    .filter(|&n| g.entity(n).kind() == Kind::System && !masters.contains(&n)),
            )
            .collect();
        for &m in &members {
            self.node(m, Tag::Named);
        }
        for &e in &entities {
            let name = self.name(e).to_string();
            let records: Vec<NodeIndex> = self.flow.of(e).records().collect();
            for &r in &records {
                if self.node(r, Tag::Named).is_some() {
                    self.line(r, format!("holds {name} (system of record)"));
                }
            }
            let copy = members
                .iter()
                .copied()
                .find(|&m| g.held_by(m).any(|(h, role)| h == e && role == Role::Copy));
            for &m in &members {
                if g.held_by(m).any(|(h, role)| h == e && role == Role::Copy) {
                    self.line(m, format!("holds a copy of {name}"));
                }
            }
            if let (Some(r), Some(c)) = (records.first(), copy) {
                self.missing(*r, c, format!("{name}: the copy is never synced"));
            }
        }
    }

    /// KPI data that never reaches the warehouse or BI.
    fn warehouse_gap(&mut self, e: NodeIndex, related: &[NodeIndex]) {
        let g = self.g;
        let name = self.name(e).to_string();
        let holders = self.holders_with_lines(e, Tag::Needed);
        // where it arrives straight from a drawn holder
        let received: Vec<NodeIndex> = self
            .flow
            .of(e)
            .reach
            .iter()
            .filter(|(_, a)| matches!(a, Arrival::Received { from, .. } if holders.contains(from)))
            .map(|(&s, _)| s)
            .collect();
        for s in received {
            if self.node(s, Tag::Context).is_some() {
                self.line(s, format!("receives {name}"));
            }
        }
        let analytics = self.analytics();
        if let (Some(&h), Some(&a)) = (holders.first(), analytics.first()) {
            if self.node(a, Tag::Needed).is_some() {
                self.mark_node(a, Mark::Missing);
                self.line(a, format!("never receives {name}"));
                self.lacks(h, a, &name, format!("{name} is never loaded"));
            }
        }
        for &k in related
            .iter()
            .filter(|&&n| g.entity(n).kind() == Kind::Standard)
        {
            let who = self.who(k);
            let places: Vec<NodeIndex> = g.out(k, EdgeKind::ComputedIn).collect();
            for p in places {
                if self.node(p, Tag::Context).is_some() {
                    self.line(p, format!("computes {who} from {name}"));
                }
            }
        }
    }

    /// An integration that carries nothing useful or touches a system gone.
    fn orphan(&mut self, i: NodeIndex, case: &str, related: &[NodeIndex]) {
        let g = self.g;
        self.highlight.insert(i);
        self.integration_with_ends(i);
        let Some((s, t)) = g.ends(i) else {
            return;
        };
        let entities = of_kind(g, related, Kind::Entity);
        for e in entities {
            let name = self.name(e).to_string();
            match case {
                "source-lacks-data" => {
                    self.line(s, format!("neither holds nor receives {name}"));
                }
                "target-never-uses" => {
                    self.line(t, format!("never stores, uses or forwards {name}"));
                }
                _ => {}
            }
        }
        // a platform it runs via that is gone (retired-endpoint names it)
        for v in related.iter().copied().filter(|&n| n != s && n != t) {
            if g.entity(v).kind() == Kind::System && self.node(v, Tag::Named).is_some() {
                self.line(v, "the integration runs via it".to_string());
            }
        }
        if case == "carries-nothing" {
            self.line(s, "sends nothing through it".to_string());
        }
    }

    /// A needline no integration realises: the two teams, the systems they
    /// work in, and what runs (or is only planned) between those.
    fn unrealized(&mut self, x: NodeIndex, related: &[NodeIndex]) {
        let g = self.g;
        let (Some(p), Some(q)) = (
            g.inc(x, EdgeKind::Sends).next(),
            g.out(x, EdgeKind::Receives).next(),
        ) else {
            self.generic(x, related);
            return self.induced();
        };
        self.node(p, Tag::Named);
        self.node(q, Tag::Named);
        self.needline(x);
        let mut sides: Vec<Vec<NodeIndex>> = Vec::new();
        for who in [p, q] {
            let mut systems: Vec<NodeIndex> = Vec::new();
            for a in g.out(who, EdgeKind::Performs).filter(|&a| self.present(a)) {
                for s in g.inc(a, EdgeKind::Supports).filter(|&s| self.present(s)) {
                    if !systems.contains(&s) {
                        systems.push(s);
                    }
                }
            }
            systems.truncate(3);
            let mut drawn = Vec::new();
            for s in systems {
                if self.node(s, Tag::Context).is_some() {
                    self.relation(who, s, "works in", Vec::new());
                    drawn.push(s);
                }
            }
            sides.push(drawn);
        }
        let realizing = of_kind(g, related, Kind::Integration);
        for &i in &realizing {
            self.integration_with_ends(i);
        }
        // what runs between the systems of one side and the other's
        for &a in &sides[0] {
            let ints: Vec<NodeIndex> = g
                .out(a, EdgeKind::FlowsTo)
                .chain(g.inc(a, EdgeKind::FlowsTo))
                .collect();
            for i in ints {
                let other = g.ends(i).map(|(s, t)| if s == a { t } else { s });
                if self.present(i) && other.is_some_and(|o| sides[1].contains(&o)) {
                    self.integration(i);
                }
            }
        }
        let (from, to) = (&sides[0], &sides[1]);
        let linked = self.d.edges.iter().any(|e| {
            from.iter().any(|s| self.index.get(s) == Some(&e.from))
                && to.iter().any(|s| self.index.get(s) == Some(&e.to))
                && !e.key.starts_with("rel-")
        });
        if linked || !realizing.is_empty() {
            return;
        }
        if let (Some(&a), Some(&b)) = (from.first(), to.first()) {
            let carried: Vec<String> = g
                .out(x, EdgeKind::Carries)
                .map(|e| g.entity(e).name().to_string())
                .collect();
            let what = if carried.is_empty() {
                String::new()
            } else {
                format!(": {}", join_some(&carried, 3))
            };
            self.missing(a, b, format!("no integration realises the needline{what}"));
        }
    }

    /// An activity no system of the state supports.
    fn unsupported(&mut self, a: NodeIndex, related: &[NodeIndex]) {
        let g = self.g;
        self.node(a, Tag::Named);
        let performers: Vec<NodeIndex> = g.inc(a, EdgeKind::Performs).collect();
        for p in performers {
            if self.node(p, Tag::Needed).is_some() {
                self.relation(p, a, "performs", Vec::new());
            }
        }
        let gone = of_kind(g, related, Kind::System);
        for &s in &gone {
            if self.node(s, Tag::Named).is_some() {
                self.relation(s, a, "supports", lifecycle_marks(g.entity(s)));
            }
        }
        if gone.is_empty() {
            // where its data is: the systems that could support it
            let data: Vec<NodeIndex> = g
                .inc(a, EdgeKind::Consumes)
                .chain(g.out(a, EdgeKind::Produces))
                .collect();
            let mut seen = BTreeSet::new();
            for e in data {
                if seen.insert(e) {
                    self.holders_with_lines(e, Tag::Context);
                }
            }
        }
    }

    /// An entity with several, no or no holding system of record.
    fn record_conflict(&mut self, e: NodeIndex, case: &str, related: &[NodeIndex]) {
        let name = self.name(e).to_string();
        for &r in related {
            self.node(r, Tag::Named);
        }
        self.holders_with_lines(e, Tag::Context);
        if case == "several-records" {
            // the pipes moving the entity between two of its records
            let records: Vec<NodeIndex> = self.flow.of(e).records().collect();
            for &r in &records {
                for i in self.carrying_into(r, e) {
                    if self
                        .g
                        .ends(i)
                        .is_some_and(|(a, b)| records.contains(&a) && records.contains(&b))
                    {
                        self.highlight.insert(i);
                    }
                }
            }
        }
        if case == "not-held" {
            for (s, who) in self.needed_in(e) {
                if self.node(s, Tag::Needed).is_some() {
                    let who = self.who(who);
                    self.mark_node(s, Mark::Missing);
                    self.line(s, format!("needs {name} ({who}) — held nowhere"));
                }
            }
        }
    }

    /// Personal data in a system no privacy standard covers.
    fn pii(&mut self, s: NodeIndex, related: &[NodeIndex]) {
        let g = self.g;
        self.node(s, Tag::Named);
        for &e in related
            .iter()
            .filter(|&&n| g.entity(n).kind() == Kind::Entity)
        {
            let name = self.name(e).to_string();
            let held = g.held_by(s).any(|(h, _)| h == e);
            self.line(
                s,
                format!(
                    "{} {name} (personal data)",
                    if held { "holds" } else { "receives" }
                ),
            );
            for i in self.carrying_into(s, e) {
                self.highlight.insert(i);
                self.integration_with_ends(i);
            }
        }
        self.neighbours_as_context(s);
    }

    /// A KPI (not drawn as a box): the systems it is computed in, and where
    /// its data is held.
    fn kpi(&mut self, k: NodeIndex, case: &str, related: &[NodeIndex]) {
        let g = self.g;
        let who = self.who(k);
        let places: Vec<NodeIndex> = g.out(k, EdgeKind::ComputedIn).collect();
        for &p in &places {
            if self.node(p, Tag::Needed).is_some() {
                self.line(p, format!("computes {who}"));
            }
        }
        match case {
            "no-sources" => {
                for &p in &places {
                    self.line(p, "… from no named data".to_string());
                }
            }
            "data-not-held" => {
                for &e in related {
                    let name = self.name(e).to_string();
                    for &p in &places {
                        self.mark_node(p, Mark::Missing);
                        self.line(p, format!("needs {name} — held by no system"));
                    }
                }
            }
            _ => {
                let data: Vec<NodeIndex> = g.out(k, EdgeKind::ComputedFrom).collect();
                for e in data {
                    self.holders_with_lines(e, Tag::Context);
                }
            }
        }
    }

    /// An integration or system on every route of some data to where it is
    /// needed: the point, the route the data takes today (from where it is
    /// held, through the point, to the place), and each place with what it
    /// would lose.
    fn only_route(&mut self, p: NodeIndex, related: &[NodeIndex]) {
        let g = self.g;
        let point_is_integration = g.entity(p).kind() == Kind::Integration;
        if point_is_integration {
            self.highlight.insert(p);
            self.integration_with_ends(p);
        } else {
            self.node(p, Tag::Named);
        }
        let name = self.name(p).to_string();
        let places = of_kind(g, related, Kind::System);
        let entities = of_kind(g, related, Kind::Entity);
        for e in entities {
            let ename = self.name(e).to_string();
            let needed: Vec<NodeIndex> = self
                .needed_in(e)
                .into_iter()
                .map(|(s, _)| s)
                .filter(|s| places.contains(s))
                .collect();
            for place in needed {
                if self.node(place, Tag::Named).is_none() {
                    continue;
                }
                // the route today, back from the place to where it is held
                // (a tree: each system is reached once, so this ends)
                let mut at = place;
                while let Some(&Arrival::Received { integration, from }) =
                    self.flow.of(e).reach.get(&at)
                {
                    // in question when it runs into, out of or via the point
                    // (before it is drawn: the drawing reads it)
                    let through = from == p
                        || at == p
                        || g.out(integration, EdgeKind::RoutesVia).any(|v| v == p);
                    if !point_is_integration && through {
                        self.highlight.insert(integration);
                    }
                    self.integration_with_ends(integration);
                    at = from;
                }
                self.line(place, format!("no {ename} if {name} fails"));
            }
        }
    }

    /// Any other finding: what it names, each kind in its own way, and the
    /// subject's neighbours when it is a system.
    fn generic(&mut self, subject: NodeIndex, related: &[NodeIndex]) {
        let g = self.g;
        for n in std::iter::once(subject).chain(related.iter().copied()) {
            match g.entity(n) {
                Ref::System(_) | Ref::Performer(_) | Ref::Activity(_) => {
                    self.node(n, Tag::Named);
                }
                Ref::Integration(_) => {
                    self.highlight.insert(n);
                    self.integration_with_ends(n);
                }
                Ref::Exchange(_) => {
                    for p in g
                        .inc(n, EdgeKind::Sends)
                        .chain(g.out(n, EdgeKind::Receives))
                    {
                        self.node(p, Tag::Needed);
                    }
                    self.needline(n);
                }
                Ref::Entity(_) => {
                    self.holders_with_lines(n, Tag::Context);
                }
                Ref::Standard(def) => {
                    let who = self.who(n);
                    let places: Vec<NodeIndex> = if matches!(def.kind, StandardKind::Kpi { .. }) {
                        g.out(n, EdgeKind::ComputedIn).collect()
                    } else {
                        g.out(n, EdgeKind::AppliesTo)
                            .filter(|&t| g.entity(t).kind() == Kind::System)
                            .collect()
                    };
                    for p in places {
                        if self.node(p, Tag::Context).is_some() {
                            self.line(p, who.clone());
                        }
                    }
                }
                Ref::Goal(_) => {
                    let kpis: Vec<NodeIndex> = g.out(n, EdgeKind::Measures).collect();
                    for k in kpis {
                        let who = self.who(k);
                        let places: Vec<NodeIndex> = g.out(k, EdgeKind::ComputedIn).collect();
                        for p in places {
                            if self.node(p, Tag::Context).is_some() {
                                self.line(p, format!("computes {who}"));
                            }
                        }
                    }
                }
                Ref::Principle(_) | Ref::Term(_) => {}
            }
        }
        if g.entity(subject).kind() == Kind::System {
            if g.entity(subject).owner().is_none() {
                self.line(subject, "no owner".to_string());
            }
            self.neighbours_as_context(subject);
        }
    }

    // -- caption, legend -----------------------------------------------------

    fn finish(mut self, f: &Finding, allowed: Option<&str>) -> Diagram {
        for (&i, &more) in &self.more_lines {
            if let Some(n) = self.d.nodes.get_mut(i) {
                n.lines.push(format!("… {more} more"));
            }
        }
        let mut paragraphs = vec![
            Paragraph {
                lead: "Problem".into(),
                runs: spans(&f.message),
            },
            Paragraph {
                lead: "Fix".into(),
                runs: spans(&f.fix),
            },
        ];
        if let Some(reason) = allowed {
            paragraphs.push(Paragraph {
                lead: "Allowed".into(),
                runs: vec![(false, reason.to_string())],
            });
        }
        let mut not_drawn = Vec::new();
        if !self.left_named.is_empty() {
            let n = self.left_named.len();
            not_drawn.push(format!(
                "{} the finding names",
                crate::words::count(n, "more system", "more systems")
            ));
        }
        if !self.left_out.is_empty() {
            let n = self.left_out.len();
            not_drawn.push(crate::words::count(n, "more neighbour", "more neighbours"));
        }
        if !not_drawn.is_empty() {
            paragraphs.push(Paragraph {
                lead: "Not drawn".into(),
                runs: vec![(
                    false,
                    format!(
                        "{} (a slide shows at most {MAX_NAMED} of what the finding names and {MAX_CONTEXT} neighbours of each kind)",
                        not_drawn.join(" and ")
                    ),
                )],
            });
        }
        let state = match self.state {
            State::AsIs => "as-is (today)",
            State::ToBe => "to-be (after the plan)",
        };
        self.d.caption = Some(Caption {
            kicker: format!("{} · {} · {state}", f.level, f.key()),
            paragraphs,
        });
        if self.d.nodes.is_empty() {
            self.d.empty_note = Some(format!(
                "Nothing to draw: {} {} has no system, integration or team to show it on.",
                f.subject.kind.label(),
                f.subject.id
            ));
        }
        self.legend();
        self.d.bound_text();
        self.d
    }

    fn legend(&mut self) {
        let d = &mut self.d;
        let node_has = |d: &Diagram, m: Mark| d.nodes.iter().any(|n| n.marks.contains(&m));
        let edge_has = |d: &Diagram, m: Mark| d.edges.iter().any(|e| e.marks.contains(&m));
        let mut items = Vec::new();
        if node_has(d, self.mark) {
            items.push((
                Swatch::Outline(self.mark),
                "named by the finding".to_string(),
            ));
        }
        if edge_has(d, self.mark) {
            items.push((
                Swatch::Line(Some(self.mark)),
                "the link in question".to_string(),
            ));
        }
        if node_has(d, Mark::Missing) {
            items.push((
                Swatch::Outline(Mark::Missing),
                "needs data it does not get".to_string(),
            ));
        }
        if edge_has(d, Mark::Missing) {
            items.push((
                Swatch::Line(Some(Mark::Missing)),
                "missing link: what the fix adds".to_string(),
            ));
        }
        if d.edges.iter().any(|e| e.key.starts_with("int-")) {
            items.push((
                Swatch::Line(None),
                "integration: mechanism · frequency, then the data it carries".to_string(),
            ));
        }
        for (swatch, text) in items {
            d.legend.push(LegendItem { swatch, text });
        }
        let mut kinds: BTreeMap<usize, &'static str> = BTreeMap::new();
        for &n in self.index.keys() {
            if let Ref::System(def) = self.g.entity(n) {
                let (c, family) = kind_color(def.kind);
                kinds.insert(c, family);
            }
        }
        for (color, family) in kinds {
            d.legend.push(LegendItem {
                swatch: Swatch::Fill(color),
                text: family.to_string(),
            });
        }
        lifecycle_legend(d);
    }
}

/// `a, b and c` / `a, b and 3 more`.
fn join_some(items: &[String], max: usize) -> String {
    crate::analysis::join_list(items, max)
}

/// The entities of `kind` among `related`, in order.
fn of_kind(g: &Graph<'_>, related: &[NodeIndex], kind: Kind) -> Vec<NodeIndex> {
    related
        .iter()
        .copied()
        .filter(|&n| g.entity(n).kind() == kind)
        .collect()
}

#[cfg(test)]
mod tests;
