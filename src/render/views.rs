//! Views: which entities and relations each DoDAF model draws, as an
//! abstract [`Diagram`]. Views read the graph (and, for the findings overlay,
//! the analysis); they know nothing about positions or SVG.

use std::collections::{BTreeMap, BTreeSet};

use petgraph::graph::NodeIndex;

use super::diagram::*;
use crate::analysis::Analysis;
use crate::graph::flow::{Arrival, Flow as DataFlow};
use crate::graph::{EdgeKind, Graph};
use crate::model::{Frequency, Kind, Lifecycle, Mechanism, Ref, Role, State, SystemKind};

pub mod focus;
pub use focus::focus;

/// The views `render` can draw.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum View {
    /// OV-2 operational resource flows: performers and needlines.
    Ov2,
    /// OV-5b operational activity model: the journey and the data passed on.
    Ov5b,
    /// SV-1 systems interface description: systems by owner, their interfaces.
    Sv1,
    /// SV-2 systems resource flows: every integration with mechanism and data.
    Sv2,
    /// DIV-2 logical data model: entities, key attributes, relations.
    Div2,
    /// Lineage of one data entity.
    Lineage(String),
}

impl View {
    /// The views drawn when none is asked for (lineage needs an entity).
    pub const DEFAULT: [View; 5] = [View::Ov2, View::Ov5b, View::Sv1, View::Sv2, View::Div2];

    /// The view id and file stem: `sv-1`, `lineage-lead`.
    pub fn id(&self) -> String {
        match self {
            View::Ov2 => "ov-2".into(),
            View::Ov5b => "ov-5b".into(),
            View::Sv1 => "sv-1".into(),
            View::Sv2 => "sv-2".into(),
            View::Div2 => "div-2".into(),
            View::Lineage(e) => format!("lineage-{e}"),
        }
    }

    /// Parses a view id (`lineage` alone is not a view: it needs an entity).
    pub fn parse(s: &str) -> Option<View> {
        match s.to_ascii_lowercase().as_str() {
            "ov-2" | "ov2" => Some(View::Ov2),
            "ov-5b" | "ov5b" => Some(View::Ov5b),
            "sv-1" | "sv1" => Some(View::Sv1),
            "sv-2" | "sv2" => Some(View::Sv2),
            "div-2" | "div2" => Some(View::Div2),
            _ => None,
        }
    }

    /// The title drawn above the view.
    pub fn title(&self) -> String {
        match self {
            View::Ov2 => "OV-2 Operational resource flows".into(),
            View::Ov5b => "OV-5b Operational activity model (customer journey)".into(),
            View::Sv1 => "SV-1 Systems interface description".into(),
            View::Sv2 => "SV-2 Systems resource flows".into(),
            View::Div2 => "DIV-2 Logical data model".into(),
            View::Lineage(e) => format!("Data lineage: {e}"),
        }
    }
}

/// Number of fill colours views may use.
pub const PALETTE: usize = 10;

/// Options for building a view.
pub struct ViewOptions<'a> {
    /// The state drawn.
    pub state: State,
    /// Findings to overlay on SV-1 / SV-2 (None: no overlay).
    pub findings: Option<&'a Analysis>,
    /// The data flow of `state`, when the caller has it already (lineage
    /// views compute it otherwise; the report draws one per entity).
    pub flow: Option<&'a DataFlow>,
}

/// Rules whose findings the SV overlay highlights.
pub const OVERLAY_RULES: [&str; 5] = [
    "data-silo",
    "data-island",
    "orphan-integration",
    "pii-exposure",
    "single-point-of-failure",
];

/// Builds one view's diagram. `None` for a lineage of an unknown entity.
pub fn build(view: &View, g: &Graph<'_>, opts: &ViewOptions<'_>) -> Option<Diagram> {
    let mut d = Diagram::blank(
        &view.id(),
        &view.title(),
        &footer(g, opts.state),
        Flow::TopDown,
    );
    match view {
        View::Ov2 => ov2(g, opts, &mut d),
        View::Ov5b => ov5b(g, opts, &mut d),
        View::Sv1 => sv(g, opts, &mut d, false),
        View::Sv2 => sv(g, opts, &mut d, true),
        View::Div2 => div2(g, &mut d),
        View::Lineage(e) => {
            let n = g.node(e).filter(|&n| g.entity(n).kind() == Kind::Entity)?;
            d.title = format!("Data lineage: {}", g.entity(n).name());
            lineage(g, opts, n, &mut d);
        }
    }
    lifecycle_legend(&mut d);
    if d.nodes.is_empty() {
        d.empty_note = Some(format!(
            "Nothing to draw: the model has no {} in the {} state.",
            what(view),
            opts.state
        ));
    }
    d.bound_text();
    Some(d)
}

fn what(view: &View) -> &'static str {
    match view {
        View::Ov2 => "performers",
        View::Ov5b => "activities",
        View::Sv1 | View::Sv2 => "systems",
        View::Div2 => "data entities",
        View::Lineage(_) => "system holding this entity",
    }
}

fn footer(g: &Graph<'_>, state: State) -> String {
    let av = &g.model.av;
    let name = if av.name.is_empty() {
        "Revenue architecture"
    } else {
        &av.name
    };
    let state_text = match state {
        State::AsIs => "as-is (today)",
        State::ToBe => "to-be (after the plan)",
    };
    let mut parts = vec![name.to_string()];
    if !av.plan_period.is_empty() {
        parts.push(format!("plan period {}", av.plan_period));
    }
    parts.push(state_text.to_string());
    parts.push("drawn by revarch".to_string());
    parts.join(" · ")
}

fn lifecycle_marks(r: Ref<'_>) -> Vec<Mark> {
    match r.lifecycle() {
        Lifecycle::Planned => vec![Mark::Planned],
        Lifecycle::Retiring => vec![Mark::Retiring],
        Lifecycle::Current => vec![],
    }
}

fn tooltip(r: Ref<'_>) -> String {
    match r.description() {
        Some(d) => format!("{} `{}` — {}", r.kind().label(), r.id(), d),
        None => format!("{} `{}`", r.kind().label(), r.id()),
    }
}

fn node_for(
    g: &Graph<'_>,
    n: NodeIndex,
    shape: Shape,
    color: usize,
    sublabel: Option<String>,
) -> Node {
    let r = g.entity(n);
    Node {
        key: g.key(n),
        label: r.name().to_string(),
        sublabel,
        lines: Vec::new(),
        shape,
        color,
        marks: lifecycle_marks(r),
        group: None,
        tooltip: tooltip(r),
    }
}

fn lifecycle_legend(d: &mut Diagram) {
    for m in [Mark::Planned, Mark::Retiring] {
        let has = d.nodes.iter().any(|n| n.marks.contains(&m))
            || d.edges.iter().any(|e| e.marks.contains(&m));
        if has {
            d.legend.extend(lifecycle_legend_item(m));
        }
    }
}

/// The legend entry of a lifecycle mark (planned, retiring); None for others.
pub(crate) fn lifecycle_legend_item(m: Mark) -> Option<LegendItem> {
    let text = match m {
        Mark::Planned => "planned (introduced during the plan period)",
        Mark::Retiring => "retiring (removed during the plan period)",
        _ => return None,
    };
    Some(LegendItem {
        swatch: Swatch::Outline(m),
        text: text.into(),
    })
}

// ---------------------------------------------------------------------------
// OV
// ---------------------------------------------------------------------------

fn ov2(g: &Graph<'_>, opts: &ViewOptions<'_>, d: &mut Diagram) {
    d.flow = Flow::LeftRight;
    let mut index = BTreeMap::new();
    for (i, p) in g.present_of(Kind::Performer, opts.state).enumerate() {
        let sub = match g.entity(p) {
            Ref::Performer(def) => Some(format!("{:?}", def.kind).to_lowercase()),
            _ => None,
        };
        index.insert(p, d.nodes.len());
        d.nodes.push(node_for(g, p, Shape::Pill, i % PALETTE, sub));
    }
    for x in g.present_of(Kind::Exchange, opts.state) {
        let (Some(from), Some(to)) = (
            g.inc(x, EdgeKind::Sends).next(),
            g.out(x, EdgeKind::Receives).next(),
        ) else {
            continue;
        };
        let (Some(&a), Some(&b)) = (index.get(&from), index.get(&to)) else {
            continue;
        };
        let carried: Vec<String> = g
            .out(x, EdgeKind::Carries)
            .map(|e| g.entity(e).name().to_string())
            .collect();
        let mut label = vec![g.entity(x).name().to_string()];
        if !carried.is_empty() {
            label.push(carried.join(", "));
        }
        d.edges.push(Edge {
            key: g.key(x),
            from: a,
            to: b,
            label,
            both_ways: false,
            marks: lifecycle_marks(g.entity(x)),
            tooltip: tooltip(g.entity(x)),
        });
    }
    d.legend.push(LegendItem {
        swatch: Swatch::Line(None),
        text: "needline: the provider → the performer who needs it, with the data carried".into(),
    });
}

fn ov5b(g: &Graph<'_>, opts: &ViewOptions<'_>, d: &mut Diagram) {
    d.flow = Flow::LeftRight;
    // activities in journey order
    let mut acts: Vec<NodeIndex> = g.present_of(Kind::Activity, opts.state).collect();
    acts.sort_by_key(|&a| match g.entity(a) {
        Ref::Activity(def) => (def.stage, def.order, def.id.as_str().to_string()),
        _ => unreachable_key(),
    });
    // one lane per performer, in order of first activity
    let mut lanes: BTreeMap<NodeIndex, usize> = BTreeMap::new();
    let mut lane_order: Vec<NodeIndex> = Vec::new();
    for &a in &acts {
        if let Some(p) = g.inc(a, EdgeKind::Performs).next() {
            if let std::collections::btree_map::Entry::Vacant(v) = lanes.entry(p) {
                v.insert(lane_order.len());
                lane_order.push(p);
            }
        }
    }
    for (i, &p) in lane_order.iter().enumerate() {
        d.groups.push(Group {
            key: g.key(p),
            label: g.entity(p).name().to_string(),
            color: i % PALETTE,
        });
    }
    // one column per journey stage that has an activity, in journey order
    let stage_of = |a: NodeIndex| match g.entity(a) {
        Ref::Activity(def) => Some(def.stage),
        _ => None,
    };
    let stages: BTreeSet<crate::model::Stage> = acts.iter().filter_map(|&a| stage_of(a)).collect();
    let column: BTreeMap<crate::model::Stage, usize> =
        stages.iter().enumerate().map(|(i, &s)| (s, i)).collect();
    let mut swim = Lanes {
        columns: stages.iter().map(|s| format!("{s:?}")).collect(),
        column: Vec::new(),
    };
    let mut index = BTreeMap::new();
    let mut unsupported = false;
    for &a in &acts {
        let Some(stage) = stage_of(a) else { continue };
        let lane = g
            .inc(a, EdgeKind::Performs)
            .next()
            .and_then(|p| lanes.get(&p).copied());
        // the systems people use for it in this state: the box's second line
        let systems: Vec<&str> = g
            .inc(a, EdgeKind::Supports)
            .filter(|&s| g.present(s, opts.state))
            .map(|s| g.entity(s).name())
            .collect();
        let sub = match systems.len() {
            0 => "no supporting system".to_string(),
            1 | 2 => systems.join(", "),
            k => format!("{} +{}", systems[..2].join(", "), k - 2),
        };
        let mut n = node_for(g, a, Shape::Rounded, lane.unwrap_or(0) % PALETTE, Some(sub));
        if systems.is_empty() {
            n.marks.push(Mark::Unsupported);
            unsupported = true;
        }
        n.group = lane;
        index.insert(a, d.nodes.len());
        d.nodes.push(n);
        swim.column.push(column.get(&stage).copied());
    }
    d.lanes = Some(swim);
    // Data passed on: each activity takes each entity it needs from the
    // most recent earlier activity (in journey order) that produces it.
    // (Linking every producer to every consumer turns the journey into a
    // hairball: reporting needs everything.)
    let mut producers: BTreeMap<NodeIndex, Vec<usize>> = BTreeMap::new();
    for (pos, &a) in acts.iter().enumerate() {
        for e in g.out(a, EdgeKind::Produces) {
            producers.entry(e).or_default().push(pos);
        }
    }
    let mut flows: BTreeMap<(usize, usize), Vec<String>> = BTreeMap::new();
    for (pos, &b) in acts.iter().enumerate() {
        for e in g.inc(b, EdgeKind::Consumes) {
            let earlier = producers
                .get(&e)
                .and_then(|list| list.iter().rev().find(|&&p| p < pos).copied());
            if let Some(p) = earlier {
                let a = acts[p];
                flows
                    .entry((index[&a], index[&b]))
                    .or_default()
                    .push(g.entity(e).name().to_string());
            }
        }
    }
    for ((a, b), mut names) in flows {
        names.sort();
        names.dedup();
        d.edges.push(Edge {
            key: format!("flow-{}-{}", d.nodes[a].key, d.nodes[b].key),
            from: a,
            to: b,
            label: vec![names.join(", ")],
            both_ways: false,
            marks: Vec::new(),
            tooltip: format!(
                "{} → {}: {}",
                d.nodes[a].label,
                d.nodes[b].label,
                names.join(", ")
            ),
        });
    }
    d.legend.push(LegendItem {
        swatch: Swatch::Line(None),
        text: "data handed on: from the latest earlier activity that produces it to the one that needs it".into(),
    });
    if unsupported {
        d.legend.push(LegendItem {
            swatch: Swatch::Outline(Mark::Unsupported),
            text: "no supporting system: done by hand".into(),
        });
    }
}

fn unreachable_key() -> (crate::model::Stage, u32, String) {
    (crate::model::Stage::Report, u32::MAX, String::new())
}

// ---------------------------------------------------------------------------
// SV
// ---------------------------------------------------------------------------

/// Fill colour and legend text per system kind family.
fn kind_color(k: SystemKind) -> (usize, &'static str) {
    use SystemKind::*;
    match k {
        Crm | SalesEngagement | ConversationIntelligence | Cpq => {
            (0, "sales (CRM, engagement, CPQ)")
        }
        MarketingAutomation | Enrichment | Webinar => {
            (1, "marketing (automation, enrichment, events)")
        }
        CsPlatform | SupportDesk | ProductAnalytics => (2, "customer (success, support, product)"),
        Billing | Erp => (3, "finance (billing, ERP)"),
        DataWarehouse | Bi | ReverseEtl => (4, "data (warehouse, BI, reverse ETL)"),
        Ipaas => (5, "integration platform"),
        Spreadsheet => (6, "spreadsheets"),
        Other => (7, "other"),
    }
}

fn kind_text(k: SystemKind) -> &'static str {
    use SystemKind::*;
    match k {
        Crm => "CRM",
        MarketingAutomation => "marketing automation",
        SalesEngagement => "sales engagement",
        ConversationIntelligence => "conversation intelligence",
        Cpq => "CPQ",
        CsPlatform => "CS platform",
        SupportDesk => "support desk",
        Billing => "billing",
        Erp => "ERP",
        ProductAnalytics => "product analytics",
        Enrichment => "enrichment",
        Ipaas => "iPaaS",
        DataWarehouse => "data warehouse",
        Bi => "BI",
        ReverseEtl => "reverse ETL",
        Webinar => "webinar",
        Spreadsheet => "spreadsheet",
        Other => "other",
    }
}

fn mechanism_text(m: Mechanism) -> &'static str {
    match m {
        Mechanism::NativeConnector => "native connector",
        Mechanism::Api => "API",
        Mechanism::Webhook => "webhook",
        Mechanism::Ipaas => "iPaaS",
        Mechanism::BatchEtl => "batch ETL",
        Mechanism::ReverseEtl => "reverse ETL",
        Mechanism::ManualExport => "manual export",
    }
}

fn frequency_text(f: Frequency) -> &'static str {
    match f {
        Frequency::RealTime => "real time",
        Frequency::Hourly => "hourly",
        Frequency::Daily => "daily",
        Frequency::Weekly => "weekly",
        Frequency::Monthly => "monthly",
        Frequency::OnDemand => "on demand",
    }
}

/// Systems and integrations the overlay outlines, by id: the subjects of
/// the [`OVERLAY_RULES`]' findings with the worst level among them
/// (`Finding*`), and the other drawn entities those findings name, faintly
/// ([`Mark::FindingRelated`]); a subject of one finding stays a subject.
///
/// What a finding is *about*, on a systems drawing: its subject when that
/// is a system or integration (the isolated system, the orphan integration,
/// the exposed PII holder, the single point of failure); for a data entity
/// (a silo of unreachable data), the systems that hold it — where the data
/// is trapped — while the systems that need it are related; every system of
/// a data island.
pub fn overlay_marks(g: &Graph<'_>, findings: &Analysis) -> BTreeMap<String, Mark> {
    let mut subjects: BTreeMap<String, Mark> = BTreeMap::new();
    let mut related: BTreeSet<String> = BTreeSet::new();
    let drawn = |kind: Kind| matches!(kind, Kind::System | Kind::Integration);
    for f in findings
        .findings
        .iter()
        .filter(|f| OVERLAY_RULES.contains(&f.rule))
    {
        let mark = match f.level {
            crate::model::Level::Error => Mark::FindingError,
            crate::model::Level::Warning => Mark::FindingWarning,
            _ => Mark::FindingInfo,
        };
        let holds_subject = |id: &str| {
            let (Some(s), Some(e)) = (g.node(id), g.node(&f.subject.id)) else {
                return false;
            };
            g.held_by(s).any(|(held, _)| held == e)
        };
        let mut strong: Vec<&str> = Vec::new();
        let mut faint: Vec<&str> = Vec::new();
        if drawn(f.subject.kind) {
            strong.push(&f.subject.id);
        }
        for e in f.related.iter().filter(|e| drawn(e.kind)) {
            let about =
                f.rule == "data-island" || (f.subject.kind == Kind::Entity && holds_subject(&e.id));
            if about {
                strong.push(&e.id);
            } else {
                faint.push(&e.id);
            }
        }
        for id in strong {
            let slot = subjects.entry(id.to_string()).or_insert(mark);
            // FindingError < FindingWarning < FindingInfo in declaration order
            if mark < *slot {
                *slot = mark;
            }
        }
        related.extend(faint.into_iter().map(str::to_string));
    }
    for id in related {
        subjects.entry(id).or_insert(Mark::FindingRelated);
    }
    subjects
}

fn sv(g: &Graph<'_>, opts: &ViewOptions<'_>, d: &mut Diagram, per_integration: bool) {
    d.flow = if per_integration {
        Flow::LeftRight
    } else {
        Flow::TopDown
    };
    let overlay = opts
        .findings
        .map(|a| overlay_marks(g, a))
        .unwrap_or_default();
    let integrations: Vec<NodeIndex> = g.present_of(Kind::Integration, opts.state).collect();
    // Systems of the state, plus "ghosts": systems gone in this state that a
    // present integration still points at — so the dangling pipe stays visible.
    let mut systems: Vec<NodeIndex> = g.present_of(Kind::System, opts.state).collect();
    let mut ghosts: BTreeSet<NodeIndex> = BTreeSet::new();
    for &i in &integrations {
        if let Some((s, t)) = g.ends(i) {
            for end in [s, t] {
                if !g.present(end, opts.state) {
                    ghosts.insert(end);
                }
            }
        }
    }
    systems.extend(ghosts.iter().copied());
    // SV-1 groups systems by owning team
    let mut groups: BTreeMap<String, usize> = BTreeMap::new();
    if !per_integration {
        let mut owners: Vec<NodeIndex> = systems
            .iter()
            .filter_map(|&s| g.inc(s, EdgeKind::Owns).next())
            .collect();
        owners.sort_by_key(|&p| g.entity(p).name().to_string());
        owners.dedup();
        for (i, p) in owners.into_iter().enumerate() {
            groups.insert(g.entity(p).id().as_str().to_string(), d.groups.len());
            d.groups.push(Group {
                key: g.key(p),
                label: format!("owned by {}", g.entity(p).name()),
                color: i % PALETTE,
            });
        }
    }
    let mut index = BTreeMap::new();
    let mut kinds_used: BTreeMap<usize, &'static str> = BTreeMap::new();
    for &s in &systems {
        let Ref::System(def) = g.entity(s) else {
            continue;
        };
        let (color, family) = kind_color(def.kind);
        kinds_used.insert(color, family);
        let sub = match &def.vendor {
            Some(v) if !v.is_empty() => format!("{} · {}", kind_text(def.kind), v),
            _ => kind_text(def.kind).to_string(),
        };
        let shape = if def.kind == SystemKind::DataWarehouse {
            Shape::Cylinder
        } else {
            Shape::Rounded
        };
        let sub = if ghosts.contains(&s) {
            match def.lifecycle {
                Lifecycle::Retiring => format!("{sub} · gone after the plan"),
                _ => format!("{sub} · not there yet"),
            }
        } else {
            sub
        };
        let mut n = node_for(g, s, shape, color, Some(sub));
        if let Some(m) = overlay.get(def.id.as_str()) {
            n.marks.push(*m);
        }
        n.group = def
            .owner
            .as_ref()
            .and_then(|o| groups.get(o.as_str()).copied());
        index.insert(s, d.nodes.len());
        d.nodes.push(n);
    }
    if per_integration {
        for i in integrations {
            let (Some((s, t)), Ref::Integration(def)) = (g.ends(i), g.entity(i)) else {
                continue;
            };
            let (Some(&a), Some(&b)) = (index.get(&s), index.get(&t)) else {
                continue;
            };
            let carried: Vec<String> = g
                .out(i, EdgeKind::Carries)
                .map(|e| g.entity(e).name().to_string())
                .collect();
            let mut head = format!(
                "{} · {}",
                mechanism_text(def.mechanism),
                frequency_text(def.frequency)
            );
            if let Some(via) = g.out(i, EdgeKind::RoutesVia).next() {
                head.push_str(&format!(" · via {}", g.entity(via).name()));
            }
            let mut label = vec![head];
            label.push(if carried.is_empty() {
                "(carries nothing)".to_string()
            } else {
                carried.join(", ")
            });
            let mut marks = lifecycle_marks(g.entity(i));
            if let Some(m) = overlay.get(def.id.as_str()) {
                marks.push(*m);
            }
            d.edges.push(Edge {
                key: g.key(i),
                from: a,
                to: b,
                label,
                both_ways: def.direction == crate::model::Direction::Bidirectional,
                marks,
                tooltip: format!("{} — {}", def.name, tooltip(g.entity(i))),
            });
        }
        d.legend.push(LegendItem {
            swatch: Swatch::Line(None),
            text: "integration: mechanism · frequency, then the data it carries (⇄ both ways)"
                .into(),
        });
    } else {
        // one interface per pair of systems, whatever the number of integrations
        let mut pairs: BTreeMap<(usize, usize), (Vec<NodeIndex>, bool)> = BTreeMap::new();
        for i in integrations {
            let Some((s, t)) = g.ends(i) else { continue };
            let (Some(&a), Some(&b)) = (index.get(&s), index.get(&t)) else {
                continue;
            };
            let key = (a.min(b), a.max(b));
            let entry = pairs.entry(key).or_default();
            let reverse = a > b
                || matches!(g.entity(i), Ref::Integration(def) if def.direction == crate::model::Direction::Bidirectional);
            entry.1 |= reverse;
            entry.0.push(i);
        }
        for ((a, b), (ints, both)) in pairs {
            let forward_first = ints
                .iter()
                .any(|&i| g.ends(i).is_some_and(|(s, _)| index.get(&s) == Some(&a)));
            let (from, to) = if forward_first { (a, b) } else { (b, a) };
            let both = both && forward_first;
            let mut marks = Vec::new();
            if ints
                .iter()
                .all(|&i| g.entity(i).lifecycle() == Lifecycle::Planned)
            {
                marks.push(Mark::Planned);
            } else if ints
                .iter()
                .all(|&i| g.entity(i).lifecycle() == Lifecycle::Retiring)
            {
                marks.push(Mark::Retiring);
            }
            let worst = ints
                .iter()
                .filter_map(|&i| overlay.get(g.entity(i).id().as_str()).copied())
                .min();
            marks.extend(worst);
            let names: Vec<String> = ints
                .iter()
                .map(|&i| g.entity(i).name().to_string())
                .collect();
            d.edges.push(Edge {
                key: format!("if-{}-{}", d.nodes[from].key, d.nodes[to].key),
                from,
                to,
                label: if ints.len() > 1 {
                    vec![format!("{} integrations", ints.len())]
                } else {
                    Vec::new()
                },
                both_ways: both,
                marks,
                tooltip: names.join("\n"),
            });
        }
        d.legend.push(LegendItem {
            swatch: Swatch::Line(None),
            text: "interface: at least one integration between the two systems".into(),
        });
    }
    for (color, family) in kinds_used {
        d.legend.push(LegendItem {
            swatch: Swatch::Fill(color),
            text: family.to_string(),
        });
    }
    if opts.findings.is_some() {
        overlay_legend(d);
    }
}

fn overlay_legend(d: &mut Diagram) {
    let used: BTreeSet<Mark> = d
        .nodes
        .iter()
        .flat_map(|n| n.marks.iter())
        .chain(d.edges.iter().flat_map(|e| e.marks.iter()))
        .copied()
        .filter(|m| {
            matches!(
                m,
                Mark::FindingError
                    | Mark::FindingWarning
                    | Mark::FindingInfo
                    | Mark::FindingRelated
            )
        })
        .collect();
    // short entries: the legend must not push a slide-sized drawing over
    // its frame; the counts are in the report and `revarch check`
    for m in used {
        let text = match m {
            Mark::FindingRelated => "involved in a finding",
            Mark::FindingError => "finding (error): what it is about",
            Mark::FindingWarning => "finding (warning): what it is about",
            _ => "finding (info): what it is about",
        };
        d.legend.push(LegendItem {
            swatch: Swatch::Outline(m),
            text: text.to_string(),
        });
    }
}

// ---------------------------------------------------------------------------
// DIV
// ---------------------------------------------------------------------------

fn div2(g: &Graph<'_>, d: &mut Diagram) {
    d.flow = Flow::TopDown;
    let mut index = BTreeMap::new();
    let mut pii = false;
    for n in g.nodes_of(Kind::Entity) {
        let Ref::Entity(def) = g.entity(n) else {
            continue;
        };
        let class = format!("{:?}", def.classification).to_lowercase();
        let mut node = node_for(
            g,
            n,
            Shape::Table,
            if def.is_pii() { 8 } else { 9 },
            Some(if class == "pii" { "PII".into() } else { class }),
        );
        let mut keys: Vec<&crate::model::Attribute> =
            def.attributes.iter().filter(|a| a.key).collect();
        keys.extend(
            def.attributes
                .iter()
                .filter(|a| !a.key)
                .take(6usize.saturating_sub(keys.len())),
        );
        for a in keys {
            let mut line = a.name.clone();
            if let Some(t) = &a.ty {
                line.push_str(&format!(": {t}"));
            }
            if a.key {
                line.push_str("  [key]");
            }
            if a.pii {
                line.push_str("  [PII]");
            }
            node.lines.push(line);
        }
        let hidden = def.attributes.len().saturating_sub(node.lines.len());
        if hidden > 0 {
            node.lines.push(format!("… {hidden} more"));
        }
        if def.is_pii() {
            node.marks.push(Mark::Pii);
            pii = true;
        }
        index.insert(n, d.nodes.len());
        d.nodes.push(node);
    }
    for n in g.nodes_of(Kind::Entity) {
        let Ref::Entity(def) = g.entity(n) else {
            continue;
        };
        for r in &def.relations {
            let (Some(&a), Some(b)) = (
                index.get(&n),
                g.node(r.to.as_str()).and_then(|t| index.get(&t).copied()),
            ) else {
                continue;
            };
            let mut label = r.cardinality.label().to_string();
            if let Some(l) = &r.label {
                label = format!("{l} ({label})");
            }
            d.edges.push(Edge {
                key: format!("rel-{}-{}", d.nodes[a].key, d.nodes[b].key),
                from: a,
                to: b,
                label: vec![label],
                both_ways: false,
                marks: Vec::new(),
                tooltip: format!("{} → {}", def.name, d.nodes[b].label),
            });
        }
    }
    d.legend.push(LegendItem {
        swatch: Swatch::Line(None),
        text: "relation with cardinality (1:n = one of this, many of that)".into(),
    });
    if pii {
        d.legend.push(LegendItem {
            swatch: Swatch::Outline(Mark::Pii),
            text: "personal data (PII): privacy law applies".into(),
        });
    }
}

// ---------------------------------------------------------------------------
// Lineage
// ---------------------------------------------------------------------------

fn lineage(g: &Graph<'_>, opts: &ViewOptions<'_>, entity: NodeIndex, d: &mut Diagram) {
    d.flow = Flow::LeftRight;
    let own;
    let flow = match opts.flow {
        Some(f) => f,
        None => {
            own = DataFlow::compute(g, opts.state);
            &own
        }
    };
    let ef = flow.of(entity);
    // systems that need it: activities consuming it, KPIs computed from it
    let mut needed: BTreeSet<NodeIndex> = BTreeSet::new();
    for a in g
        .out(entity, EdgeKind::Consumes)
        .filter(|&a| g.present(a, opts.state))
    {
        needed.extend(
            g.inc(a, EdgeKind::Supports)
                .filter(|&s| g.present(s, opts.state)),
        );
    }
    for k in g
        .inc(entity, EdgeKind::ComputedFrom)
        .filter(|&k| g.present(k, opts.state))
    {
        needed.extend(
            g.out(k, EdgeKind::ComputedIn)
                .filter(|&s| g.present(s, opts.state)),
        );
    }
    let mut index: BTreeMap<NodeIndex, usize> = BTreeMap::new();
    let add = |d: &mut Diagram,
               index: &mut BTreeMap<NodeIndex, usize>,
               s: NodeIndex,
               role: &str,
               marks: &[Mark]| {
        let Ref::System(def) = g.entity(s) else {
            return;
        };
        let mut n = node_for(
            g,
            s,
            if def.kind == SystemKind::DataWarehouse {
                Shape::Cylinder
            } else {
                Shape::Rounded
            },
            kind_color(def.kind).0,
            Some(role.to_string()),
        );
        n.marks.extend_from_slice(marks);
        index.insert(s, d.nodes.len());
        d.nodes.push(n);
    };
    for (&s, arrival) in &ef.reach {
        let (role, marks): (String, Vec<Mark>) = match arrival {
            Arrival::Held(Role::Record) => ("system of record".into(), vec![Mark::Focus]),
            Arrival::Held(Role::Copy) => ("holds a copy".into(), vec![]),
            Arrival::Received { .. } => ("receives it".into(), vec![]),
        };
        add(d, &mut index, s, &role, &marks);
    }
    for &s in &needed {
        if !index.contains_key(&s) {
            add(d, &mut index, s, "needs it — missing", &[Mark::Missing]);
        }
    }
    for i in g
        .inc(entity, EdgeKind::Carries)
        .filter(|&i| g.entity(i).kind() == Kind::Integration)
    {
        if !g.integration_active(i, opts.state) {
            continue;
        }
        let (Some((s, t)), Ref::Integration(def)) = (g.ends(i), g.entity(i)) else {
            continue;
        };
        let (Some(&a), Some(&b)) = (index.get(&s), index.get(&t)) else {
            continue;
        };
        d.edges.push(Edge {
            key: g.key(i),
            from: a,
            to: b,
            label: vec![format!(
                "{} · {}",
                mechanism_text(def.mechanism),
                frequency_text(def.frequency)
            )],
            both_ways: def.direction == crate::model::Direction::Bidirectional,
            marks: lifecycle_marks(g.entity(i)),
            tooltip: def.name.clone(),
        });
    }
    d.legend.push(LegendItem {
        swatch: Swatch::Outline(Mark::Focus),
        text: "system of record (where the entity is mastered)".into(),
    });
    d.legend.push(LegendItem {
        swatch: Swatch::Line(None),
        text: "integration carrying the entity".into(),
    });
    if d.nodes.iter().any(|n| n.marks.contains(&Mark::Missing)) {
        d.legend.push(LegendItem {
            swatch: Swatch::Outline(Mark::Missing),
            text: "needed here (by an activity or KPI) but never arrives".into(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::tests::model;
    use crate::render::layout::{check_invariants, layout};
    use crate::render::svg::{to_svg, Theme};

    const OV: &str = r#"(performers: [
            (id: "fin", name: "Finance <&> Billing"),
            (id: "mkt", name: "Marketing"),
            (id: "cs", name: "Customer Success"),
        ], activities: [
            (id: "collect", name: "Collect cash", performer: "fin", stage: collect, inputs: ["sub"], systems: ["sheet"]),
            (id: "attract", name: "Run campaigns", performer: "mkt", stage: attract, outputs: ["sub"], systems: ["mail"]),
            (id: "renew", name: "Run renewals", performer: "cs", stage: renew, inputs: ["sub"], systems: ["old"]),
            (id: "expand", name: "Expand", performer: "cs", stage: renew, order: 2),
        ])"#;
    const SV: &str = r#"(systems: [
            (id: "sheet", name: "Sheets", kind: spreadsheet),
            (id: "mail", name: "Mailer", kind: marketing_automation),
            (id: "old", name: "Old CS tool", kind: cs_platform, lifecycle: retiring),
        ])"#;
    const DIV: &str = r#"(entities: [(id: "sub", name: "Subscription")])"#;

    fn ov5b(state: State) -> Diagram {
        let m = model(&[("ov.ron", OV), ("sv.ron", SV), ("div.ron", DIV)]);
        let g = Graph::build(&m);
        let opts = ViewOptions {
            state,
            findings: None,
            flow: None,
        };
        build(&View::Ov5b, &g, &opts).expect("ov-5b")
    }

    #[test]
    fn ov5b_columns_are_the_used_stages_in_journey_order() {
        let d = ov5b(State::ToBe);
        let lanes = d.lanes.as_ref().expect("lanes");
        // journey order, not alphabetical (attract, collect, renew)
        assert_eq!(lanes.columns, ["Attract", "Renew", "Collect"]);
        assert_eq!(lanes.column.len(), d.nodes.len());
        for (n, c) in d.nodes.iter().zip(&lanes.column) {
            let want = match n.key.as_str() {
                "act-attract" => 0,
                "act-renew" | "act-expand" => 1,
                _ => 2,
            };
            assert_eq!(*c, Some(want), "{}", n.key);
        }
        // one lane per performer, in order of first activity
        let lanes: Vec<&str> = d.groups.iter().map(|g| g.key.as_str()).collect();
        assert_eq!(lanes, ["perf-mkt", "perf-cs", "perf-fin"]);
    }

    #[test]
    fn ov5b_marks_activities_no_system_supports_in_the_state() {
        let mark = |d: &Diagram, key: &str| {
            let n = d.nodes.iter().find(|n| n.key == key).expect(key);
            (n.marks.contains(&Mark::Unsupported), n.sublabel.clone())
        };
        let to_be = ov5b(State::ToBe);
        // no systems at all; only a retiring one (gone after the plan)
        assert_eq!(
            mark(&to_be, "act-expand"),
            (true, Some("no supporting system".into()))
        );
        assert_eq!(
            mark(&to_be, "act-renew"),
            (true, Some("no supporting system".into()))
        );
        assert_eq!(mark(&to_be, "act-collect"), (false, Some("Sheets".into())));
        assert!(to_be
            .legend
            .iter()
            .any(|l| l.swatch == Swatch::Outline(Mark::Unsupported)));
        // today the retiring tool still supports renewals
        let as_is = ov5b(State::AsIs);
        assert_eq!(
            mark(&as_is, "act-renew"),
            (false, Some("Old CS tool".into()))
        );
    }

    #[test]
    fn ov5b_draws_lanes_headers_and_badges_escaped() {
        let d = ov5b(State::ToBe);
        let l = layout(&d);
        assert!(check_invariants(&d, &l).is_empty());
        for theme in [Theme::Light, Theme::Dark, Theme::Print] {
            let svg = to_svg(&d, &l, theme);
            assert!(svg.contains("class=\"group lane\""));
            // wrapped: "Finance <&>" / "Billing"
            assert!(svg.contains(">Finance &lt;&amp;&gt;</text>"));
            assert!(!svg.contains("<&>"));
            for stage in ["Attract", "Renew", "Collect"] {
                assert!(svg.contains(&format!(">{stage}</text>")), "{stage}");
            }
            // a badge per unsupported activity, and one in the legend
            assert_eq!(svg.matches("<circle").count(), 3);
            assert!(svg.contains("class=\"node unsupported\""));
        }
    }

    #[test]
    fn ov5b_exports_lanes_as_clusters_with_the_stage() {
        let d = ov5b(State::ToBe);
        let dot = crate::render::export::to_dot(&d);
        assert_eq!(dot.matches("subgraph cluster_").count(), 3);
        assert!(dot.contains("Collect cash\\nCollect · Sheets"), "{dot}");
        let mm = crate::render::export::to_mermaid(&d);
        assert!(
            mm.contains("Run renewals<br/>Renew · no supporting system"),
            "{mm}"
        );
        assert!(mm.contains("classDef unsupported"));
    }
}
