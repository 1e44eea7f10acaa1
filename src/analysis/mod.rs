//! The `analysis` stage: rules over the graph → findings.
//!
//! One file per rule; each implements [`Rule`] and is listed in [`RULES`].
//! Rules do no IO and see only the [`Context`] (graph + one state's data flow
//! and system network). Settings (severity per rule) and per-entity `allow`
//! suppressions are applied here, not in the rules.

mod data_island;
mod data_silo;
mod kpi_not_computable;
mod kpi_without_data;
mod orphan_integration;
mod pii_exposure;
mod single_point_of_failure;
mod system_of_record;
mod unowned;
mod unrealized_needline;
mod unsupported_activity;
mod unused_system;
mod warehouse_gap;

use std::collections::{BTreeMap, BTreeSet};

use petgraph::graph::NodeIndex;
use serde::Serialize;

use crate::graph::algo::SystemNet;
use crate::graph::flow::Flow;
use crate::graph::{EdgeKind, Graph};
use crate::hash::FastMap;
use crate::model::syntax::Span;
use crate::model::{Kind, Level, State};
use crate::sample::Sample;

/// A rule: one kind of architectural problem.
pub trait Rule: Sync {
    /// Stable id, e.g. `data-silo`.
    fn id(&self) -> &'static str;
    /// Severity unless the model's settings say otherwise.
    fn default_level(&self) -> Level;
    /// One line: what it finds and why that matters.
    fn rationale(&self) -> &'static str;
    /// One line: how to fix it in general.
    fn fix(&self) -> &'static str;
    /// Finds problems in one state.
    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>);
}

/// Registers every rule once, in documentation order: its type and its
/// id. Gives [`RULES`], [`RULE_IDS`] and each rule's `ID` (which its
/// `Rule::id` returns), so an id is written in one place (like ruff's
/// rule registry).
macro_rules! register {
    ($($module:ident::$rule:ident => $id:literal,)*) => {
        /// Every rule, in documentation order.
        pub const RULES: &[&dyn Rule] = &[$(&$module::$rule),*];

        /// Every rule id (what `allow` and `settings` may name), in the
        /// order of [`RULES`].
        pub const RULE_IDS: &[&str] = &[$($id),*];

        $(impl $module::$rule {
            /// The rule's id.
            pub const ID: &'static str = $id;
        })*
    };
}

register! {
    data_silo::DataSilo => "data-silo",
    data_island::DataIsland => "data-island",
    warehouse_gap::WarehouseGap => "warehouse-gap",
    orphan_integration::OrphanIntegration => "orphan-integration",
    unrealized_needline::UnrealizedNeedline => "unrealized-needline",
    unsupported_activity::UnsupportedActivity => "unsupported-activity",
    system_of_record::SystemOfRecordConflict => "system-of-record-conflict",
    pii_exposure::PiiExposure => "pii-exposure",
    kpi_without_data::KpiWithoutData => "kpi-without-data",
    kpi_not_computable::KpiNotComputable => "kpi-not-computable",
    unused_system::UnusedSystem => "unused-system",
    single_point_of_failure::SinglePointOfFailure => "single-point-of-failure",
    unowned::Unowned => "unowned",
}

/// Looks a rule up by id.
pub fn rule(id: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.id() == id)
}

/// What a rule sees: the graph and one state's derived facts.
pub struct Context<'g, 'm> {
    /// The dependency graph.
    pub graph: &'g Graph<'m>,
    /// The state analysed.
    pub state: State,
    /// Where each data entity is available.
    pub flow: Flow,
    /// The system network.
    pub net: SystemNet,
    /// How many active integrations carry each entity out of each system
    /// (both ends count for a bidirectional integration).
    forwards: FastMap<(NodeIndex, NodeIndex), u32>,
}

impl<'g, 'm> Context<'g, 'm> {
    /// Derives the state's facts from the graph.
    pub fn new(graph: &'g Graph<'m>, state: State) -> Context<'g, 'm> {
        let mut forwards: FastMap<(NodeIndex, NodeIndex), u32> = FastMap::default();
        for i in graph.nodes_of(Kind::Integration) {
            if !graph.integration_active(i, state) {
                continue;
            }
            let (Some((s, t)), crate::model::Ref::Integration(def)) =
                (graph.ends(i), graph.entity(i))
            else {
                continue;
            };
            for e in graph.out(i, crate::graph::EdgeKind::Carries) {
                *forwards.entry((s, e)).or_default() += 1;
                if def.direction == crate::model::Direction::Bidirectional {
                    *forwards.entry((t, e)).or_default() += 1;
                }
            }
        }
        Context {
            graph,
            state,
            flow: Flow::compute(graph, state),
            net: SystemNet::new(graph, state),
            forwards,
        }
    }

    /// How many active integrations carry `entity` out of `system`.
    pub fn forwards(&self, system: NodeIndex, entity: NodeIndex) -> u32 {
        self.forwards.get(&(system, entity)).copied().unwrap_or(0)
    }

    /// `` `id` `` of a node, for messages.
    pub fn id(&self, n: NodeIndex) -> &'m str {
        self.graph.entity(n).id().as_str()
    }

    /// `` `a`, `b` and `c` `` (at most `max` named, then "and N more").
    /// Only the names shown are formatted.
    pub fn list(&self, nodes: &[NodeIndex], max: usize) -> String {
        self.list_iter(nodes.iter().copied(), max)
    }

    /// [`Context::list`] of any sized sequence (e.g. map keys, without
    /// collecting them first).
    pub fn list_iter(&self, nodes: impl ExactSizeIterator<Item = NodeIndex>, max: usize) -> String {
        let total = nodes.len();
        join_counted(&self.names(nodes, max), total, "and")
    }

    /// `` `a` `` for the first `max` (at least one) nodes.
    fn names(&self, nodes: impl Iterator<Item = NodeIndex>, max: usize) -> Vec<String> {
        nodes
            .take(max.max(1))
            .map(|n| format!("`{}`", self.id(n)))
            .collect()
    }

    /// A new finding about `subject`.
    pub fn finding(
        &self,
        rule: &dyn Rule,
        case: &'static str,
        subject: NodeIndex,
        related: &[NodeIndex],
        message: String,
        fix: String,
    ) -> Finding {
        let sample = Sample::distinct(
            related.iter().copied().filter(|&n| n != subject),
            RELATED_MAX,
        );
        self.finding_with(rule, case, subject, sample, message, fix)
    }

    /// Like [`Context::finding`], for a long related list that the rule
    /// knows holds neither duplicates nor the subject: `related` yields
    /// `total` entities, defining ones first; only the first
    /// [`RELATED_MAX`] are read. Keeps a finding O(1) in the size of the
    /// list (the list itself can grow with the model, and so can the number
    /// of such findings).
    #[allow(clippy::too_many_arguments)]
    pub fn finding_distinct(
        &self,
        rule: &dyn Rule,
        case: &'static str,
        subject: NodeIndex,
        related: impl Iterator<Item = NodeIndex>,
        total: usize,
        message: String,
        fix: String,
    ) -> Finding {
        let items: Vec<NodeIndex> = related.take(RELATED_MAX).collect();
        debug_assert!(!items.contains(&subject));
        let sample = Sample {
            total: total.max(items.len()),
            items,
        };
        self.finding_with(rule, case, subject, sample, message, fix)
    }

    fn finding_with(
        &self,
        rule: &dyn Rule,
        case: &'static str,
        subject: NodeIndex,
        sample: Sample<NodeIndex>,
        message: String,
        fix: String,
    ) -> Finding {
        let e = self.graph.entity(subject);
        let mut rel: Vec<Entity> = sample
            .items
            .iter()
            .map(|&n| Entity::of(self.graph, n))
            .collect();
        rel.sort();
        Finding {
            rule: rule.id(),
            case,
            level: rule.default_level(),
            subject: Entity {
                kind: e.kind(),
                id: e.id().as_str().to_string(),
                span: e.id().span(),
            },
            related: rel,
            related_more: sample.more(),
            identity: Vec::new(),
            raise: false,
            message,
            fix,
        }
    }

    /// `a or b`, for choices.
    pub fn list_or(&self, nodes: &[NodeIndex], max: usize) -> String {
        self.list_or_iter(nodes.iter().copied(), max)
    }

    /// [`Context::list_or`] of any sized sequence.
    pub fn list_or_iter(
        &self,
        nodes: impl ExactSizeIterator<Item = NodeIndex>,
        max: usize,
    ) -> String {
        let total = nodes.len();
        join_counted(&self.names(nodes, max), total, "or")
    }
}

/// The KPI standards present in the context's state, with their
/// definitions, in model order.
pub fn kpis<'c, 'm>(
    cx: &'c Context<'_, 'm>,
) -> impl Iterator<Item = (NodeIndex, &'m crate::model::Standard)> + 'c {
    let g = cx.graph;
    g.present_of(Kind::Standard, cx.state)
        .filter_map(move |k| match g.entity(k) {
            crate::model::Ref::Standard(def)
                if matches!(def.kind, crate::model::StandardKind::Kpi { .. }) =>
            {
                Some((k, def))
            }
            _ => None,
        })
}

/// A data entity needed in a system: by an activity (in one of the systems
/// that support it) or by a KPI (in the system it is computed in).
#[derive(Clone, Debug)]
pub struct Need {
    /// The data entity.
    pub entity: NodeIndex,
    /// Where it is needed: having it in any one of them will do. Present
    /// in the state, never empty, in model order.
    pub places: Vec<NodeIndex>,
    /// The activity or KPI that needs it.
    pub who: NodeIndex,
    /// Whether `who` is a KPI.
    pub kpi: bool,
}

/// Every need of the context's state, activities' first (in model order),
/// then KPIs'. Activities without a supporting system and KPIs without a
/// present `computed_in` have no place, so no need here (other rules
/// report them).
pub fn needs(cx: &Context<'_, '_>) -> Vec<Need> {
    let g = cx.graph;
    let mut needs = Vec::new();
    for a in g.present_of(Kind::Activity, cx.state) {
        let places: Vec<NodeIndex> = g
            .inc(a, EdgeKind::Supports)
            .filter(|&s| g.present(s, cx.state))
            .collect();
        if places.is_empty() {
            continue; // unsupported-activity says so
        }
        for e in g.inc(a, EdgeKind::Consumes) {
            needs.push(Need {
                entity: e,
                places: places.clone(),
                who: a,
                kpi: false,
            });
        }
    }
    for (k, _) in kpis(cx) {
        let Some(place) = g
            .out(k, EdgeKind::ComputedIn)
            .find(|&s| g.present(s, cx.state))
        else {
            continue; // kpi-without-data says so
        };
        for e in g.out(k, EdgeKind::ComputedFrom) {
            needs.push(Need {
                entity: e,
                places: vec![place],
                who: k,
                kpi: true,
            });
        }
    }
    needs
}

/// The systems to take an entity from, best first: its systems of record,
/// then systems holding a copy, then systems it only reaches through
/// integrations (each group in model order). A fix proposes the first.
pub fn sources(flow: &crate::graph::flow::EntityFlow) -> Vec<NodeIndex> {
    use crate::model::Role;
    let held = |role: Role| {
        flow.holders
            .iter()
            .filter(move |(_, r)| *r == role)
            .map(|(s, _)| *s)
    };
    let mut out: Vec<NodeIndex> = held(Role::Record).chain(held(Role::Copy)).collect();
    for &s in flow.reach.keys() {
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// Whether `s` is a system of record of the entity `flow` is about.
pub fn is_record(flow: &crate::graph::flow::EntityFlow, s: NodeIndex) -> bool {
    flow.holders
        .iter()
        .any(|&(h, r)| h == s && r == crate::model::Role::Record)
}

/// A finding key without its case (`rule/case:subject[ids]` →
/// `rule:subject[ids]`): what [`Finding::identity_key`] gives, for a key
/// read back (a diff row, a baseline entry).
pub fn key_identity(key: &str) -> String {
    match (key.find('/'), key.find(':')) {
        (Some(slash), Some(colon)) if slash < colon => {
            format!("{}{}", &key[..slash], &key[colon..])
        }
        _ => key.to_string(),
    }
}

/// Why an element does not exist in the context's state: "is retiring" or
/// "is only planned".
pub fn absent_reason(cx: &Context<'_, '_>, n: NodeIndex) -> &'static str {
    match cx.graph.entity(n).lifecycle() {
        crate::model::Lifecycle::Retiring => "is retiring",
        crate::model::Lifecycle::Planned => "is only planned",
        crate::model::Lifecycle::Current => "exists",
    }
}

/// Model text (a name) for a finding's message or fix, where `` `…` `` marks
/// code: a backtick in it is written `` \` `` so that it can neither open
/// nor close a code span (see [`spans`]).
pub fn text(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains('`') {
        s.replace('`', "\\`").into()
    } else {
        s.into()
    }
}

/// A message or fix read as text and code: `` `id` `` is code, `` \` `` is a
/// backtick of model text ([`text`]), and a backtick without a partner is
/// text. Every output that shows code spans (the report's HTML, the diff's
/// Markdown) reads messages with this one function.
pub fn spans(message: &str) -> Vec<(bool, String)> {
    let mut parts: Vec<(bool, String)> = Vec::new();
    let mut current = String::new();
    let mut in_code = false;
    // Where the open code span started in `parts` terms (to undo it).
    let mut chars = message.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'`') => {
                chars.next();
                current.push('`');
            }
            '`' => {
                parts.push((in_code, std::mem::take(&mut current)));
                in_code = !in_code;
            }
            c => current.push(c),
        }
    }
    if in_code {
        // An unpaired backtick: it and what follows are text.
        current.insert(0, '`');
    }
    parts.push((false, current));
    // Merge neighbouring text parts, drop empty ones.
    let mut out: Vec<(bool, String)> = Vec::with_capacity(parts.len());
    for (code, part) in parts {
        match out.last_mut() {
            Some((false, last)) if !code => last.push_str(&part),
            _ if part.is_empty() && !code => {}
            _ => out.push((code, part)),
        }
    }
    out
}

/// `a, b and c`, or `a, b, c and 4 more`.
pub fn join_list(items: &[String], max: usize) -> String {
    join_with(items, max, "and")
}

fn join_with(items: &[String], max: usize, conj: &str) -> String {
    let shown = items.len().min(max.max(1));
    join_counted(&items[..shown], items.len(), conj)
}

/// `head` joined, followed by "and N more" when the list had `total` items.
pub(crate) fn join_counted(head: &[String], total: usize, conj: &str) -> String {
    let rest = total.saturating_sub(head.len());
    match (head.len(), rest) {
        (0, _) => String::new(),
        (1, 0) => head[0].clone(),
        (_, 0) => format!(
            "{} {conj} {}",
            head[..head.len() - 1].join(", "),
            head[head.len() - 1]
        ),
        (_, r) => format!("{} and {r} more", head.join(", ")),
    }
}

/// How many related entities a finding keeps (see [`Finding::related`]).
pub const RELATED_MAX: usize = 20;

/// For `#[serde(skip_serializing_if = "crate::analysis::is_zero")]`: a
/// count of zero is left out of JSON and SARIF.
pub(crate) fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// An entity named by a finding.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Entity {
    /// Its kind.
    pub kind: Kind,
    /// Its id.
    pub id: String,
    /// Where it is defined (resolved to file:line:col by the output).
    #[serde(skip)]
    pub span: Span,
}

impl Entity {
    fn of(g: &Graph<'_>, n: NodeIndex) -> Entity {
        let e = g.entity(n);
        Entity {
            kind: e.kind(),
            id: e.id().as_str().to_string(),
            span: e.id().span(),
        }
    }
}

/// One problem found by a rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Rule id.
    pub rule: &'static str,
    /// Which form of the problem (rules with several forms), e.g. `carries-nothing`.
    pub case: &'static str,
    /// Severity after the model's settings.
    pub level: Level,
    /// The entity the finding is about (and the one `allow` goes on).
    pub subject: Entity,
    /// Other entities involved, sorted: at most [`RELATED_MAX`] of them (the
    /// first ones the rule names, e.g. where data is needed before where it
    /// is held), so that a finding stays small on a large model.
    pub related: Vec<Entity>,
    /// How many other involved entities `related` leaves out.
    #[serde(skip_serializing_if = "is_zero")]
    pub related_more: usize,
    /// Ids (besides the subject) that make this finding *this* finding: two
    /// findings with the same rule, case, subject and identity are the same
    /// problem even if other related entities changed (e.g. which systems a
    /// point of failure cuts off). Sorted; usually empty.
    #[serde(skip)]
    pub identity: Vec<String>,
    /// One level more severe than the rule's (set by the rule: a KPI that
    /// measures a goal); `analyse` applies it.
    #[serde(skip)]
    pub raise: bool,
    /// What is wrong, in plain words.
    pub message: String,
    /// How to fix this instance.
    pub fix: String,
}

impl Finding {
    /// Identity across states, runs and baselines: `rule/case:subject`, plus
    /// `[ids]` of the entities that define the problem (never the message).
    pub fn key(&self) -> String {
        finding_key(self.rule, self.case, &self.subject.id, &self.identity)
    }

    /// What is wrong, without why: `rule:subject[ids]`, the key without its
    /// case. The two states of the plan are compared by it, so a finding
    /// whose reason changes is one finding with another reason, not one
    /// resolved and one introduced. (The key keeps its case: baselines,
    /// SARIF fingerprints and report anchors use it.)
    pub fn identity_key(&self) -> String {
        let mut k = format!("{}:{}", self.rule, self.subject.id);
        if !self.identity.is_empty() {
            k.push('[');
            k.push_str(&self.identity.join(","));
            k.push(']');
        }
        k
    }

    /// Makes `nodes` part of the finding's identity (see [`Finding::identity`]).
    pub fn identified_by(mut self, cx: &Context<'_, '_>, nodes: &[NodeIndex]) -> Finding {
        let mut ids: Vec<String> = nodes.iter().map(|&n| cx.id(n).to_string()).collect();
        ids.sort();
        ids.dedup();
        ids.retain(|id| *id != self.subject.id);
        self.identity = ids;
        self
    }
}

/// The key of a finding from its parts (see [`Finding::key`]): lets a
/// baseline name a finding that is not in the current run.
pub fn finding_key(rule: &str, case: &str, subject: &str, identity: &[String]) -> String {
    let mut k = format!("{rule}/{case}:{subject}");
    if !identity.is_empty() {
        k.push('[');
        k.push_str(&identity.join(","));
        k.push(']');
    }
    k
}

/// A finding silenced by an `allow` on its subject.
#[derive(Clone, Debug, Serialize)]
pub struct Suppressed {
    /// The finding.
    pub finding: Finding,
    /// The reason given in the model.
    pub reason: String,
}

/// The findings of one state.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Analysis {
    /// Findings, most severe first, then by rule and subject.
    pub findings: Vec<Finding>,
    /// Findings silenced by `allow`.
    pub suppressed: Vec<Suppressed>,
}

/// Runs every enabled rule on one state.
pub fn analyse(graph: &Graph<'_>, state: State) -> Analysis {
    let cx = Context::new(graph, state);
    let settings = &graph.model.av.settings.rules;
    let mut result = Analysis::default();
    for rule in RULES {
        let level = settings
            .get(rule.id())
            .copied()
            .unwrap_or(rule.default_level());
        if level == Level::Off {
            continue;
        }
        let mut found = Vec::new();
        rule.check(&cx, &mut found);
        for mut f in found {
            f.level = if f.raise { level.raised() } else { level };
            let allow = graph
                .node(&f.subject.id)
                .map(|n| graph.entity(n).allow())
                .unwrap_or(&[]);
            match allow.iter().find(|a| a.rule.as_str() == f.rule) {
                Some(a) => result.suppressed.push(Suppressed {
                    finding: f,
                    reason: a.reason.clone(),
                }),
                None => result.findings.push(f),
            }
        }
    }
    let order = |f: &Finding| (std::cmp::Reverse(f.level), f.rule, f.key());
    result.findings.sort_by_cached_key(order);
    result
        .findings
        .dedup_by(|a, b| a.rule == b.rule && a.key() == b.key());
    result.suppressed.sort_by_cached_key(|s| order(&s.finding));
    result
}

/// How a finding relates to the plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlanStatus {
    /// In both states: the plan leaves it.
    Unchanged,
    /// Only in to-be: the plan introduces it.
    Introduced,
    /// Only in as-is: the plan resolves it.
    Resolved,
    /// In both states for different reasons (cases): the same problem, which
    /// the plan changes without resolving it.
    Changed,
}

/// Findings of both states and what the plan does to them, each counted
/// once: findings are matched by [`Finding::identity_key`] (rule, subject,
/// identity), so one whose reason differs between the states is
/// `changed`, never both resolved and introduced.
#[derive(Clone, Debug, Serialize)]
pub struct PlanDelta {
    /// To-be keys of findings the plan introduces, sorted.
    pub introduced: Vec<String>,
    /// As-is keys of findings the plan resolves, sorted.
    pub resolved: Vec<String>,
    /// Keys of findings in both states for the same reason, sorted.
    pub unchanged: Vec<String>,
    /// To-be keys of findings in both states for another reason, sorted.
    pub changed: Vec<String>,
    /// For each of `changed`, the as-is key (its reason today).
    #[serde(skip)]
    pub was: BTreeMap<String, String>,
    /// The as-is keys of `changed` (`was`'s values), sorted.
    #[serde(skip)]
    changed_today: Vec<String>,
}

impl PlanDelta {
    /// "{before}changes the reason of N{after}" when the plan changes the
    /// reason of any finding, else nothing, so a verdict without such
    /// findings reads as it always did (the one wording `check`'s text and
    /// the deck use).
    pub fn changed_phrase(&self, before: &str, after: &str) -> String {
        match self.changed.len() {
            0 => String::new(),
            n => format!("{before}changes the reason of {n}{after}"),
        }
    }

    /// Compares the as-is and to-be analyses.
    pub fn new(as_is: &Analysis, to_be: &Analysis) -> PlanDelta {
        // identity -> keys, per state
        let by_identity = |a: &Analysis| {
            let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for f in &a.findings {
                m.entry(f.identity_key()).or_default().push(f.key());
            }
            m
        };
        let (before, after) = (by_identity(as_is), by_identity(to_be));
        let mut d = PlanDelta {
            introduced: Vec::new(),
            resolved: Vec::new(),
            unchanged: Vec::new(),
            changed: Vec::new(),
            was: BTreeMap::new(),
            changed_today: Vec::new(),
        };
        let empty = Vec::new();
        let identities: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
        for id in identities {
            let old = before.get(id).unwrap_or(&empty);
            let new = after.get(id).unwrap_or(&empty);
            // the same key in both: unchanged; what is left pairs up as a
            // changed reason, and the rest is resolved or introduced
            let (mut old_left, mut new_left) = (Vec::new(), Vec::new());
            for k in old {
                if new.contains(k) {
                    d.unchanged.push(k.clone());
                } else {
                    old_left.push(k.clone());
                }
            }
            new_left.extend(new.iter().filter(|k| !old.contains(k)).cloned());
            let paired = old_left.len().min(new_left.len());
            for (o, n) in old_left.drain(..paired).zip(new_left.drain(..paired)) {
                d.was.insert(n.clone(), o);
                d.changed.push(n);
            }
            d.resolved.extend(old_left);
            d.introduced.extend(new_left);
        }
        for v in [
            &mut d.introduced,
            &mut d.resolved,
            &mut d.unchanged,
            &mut d.changed,
        ] {
            v.sort();
            v.dedup();
        }
        d.changed_today = d.was.values().cloned().collect();
        d.changed_today.sort();
        d
    }

    /// The status of a finding's key (of either state): introduced,
    /// resolved, changed (both sides of a finding whose reason the plan
    /// changes) or unchanged.
    pub fn status(&self, key: &str) -> PlanStatus {
        let has = |v: &[String]| v.binary_search_by(|k| k.as_str().cmp(key)).is_ok();
        if has(&self.introduced) {
            PlanStatus::Introduced
        } else if has(&self.resolved) {
            PlanStatus::Resolved
        } else if has(&self.changed) || has(&self.changed_today) {
            PlanStatus::Changed
        } else {
            PlanStatus::Unchanged
        }
    }

    /// How the plan treats the finding of `key`, in words: "introduced by
    /// the plan", "resolved by the plan", "also today", or "also today, for
    /// another reason (today: CASE)".
    pub fn describe(&self, key: &str) -> String {
        match self.status(key) {
            PlanStatus::Introduced => "introduced by the plan".into(),
            PlanStatus::Resolved => "resolved by the plan".into(),
            PlanStatus::Unchanged => "also today".into(),
            PlanStatus::Changed => match self.case_today(key) {
                Some(case) => format!("also today, for another reason (today: {case})"),
                None => "also today, for another reason".into(),
            },
        }
    }

    /// The case (reason) a changed finding has today, from its as-is key.
    pub fn case_today(&self, key: &str) -> Option<&str> {
        let was = self.was.get(key)?;
        let (rule_case, _) = was.split_once(':')?;
        rule_case.split_once('/').map(|(_, case)| case)
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Helpers for rule tests: a model from RON snippets, findings per rule.
    use super::*;
    use crate::graph::tests::model;

    /// The keys of `rule`'s findings on a model, in one state.
    pub fn keys(rule: &str, files: &[(&str, &str)], state: State) -> Vec<String> {
        let m = model(files);
        let g = Graph::build(&m);
        analyse(&g, state)
            .findings
            .into_iter()
            .filter(|f| f.rule == rule)
            .map(|f| f.key())
            .collect()
    }

    /// Like [`keys`], with the messages (to check they read well).
    pub fn findings(rule: &str, files: &[(&str, &str)], state: State) -> Vec<Finding> {
        let m = model(files);
        let g = Graph::build(&m);
        analyse(&g, state)
            .findings
            .into_iter()
            .filter(|f| f.rule == rule)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;

    #[test]
    fn rule_ids_are_unique_and_rules_explained() {
        let ids: std::collections::BTreeSet<&str> = RULES.iter().map(|r| r.id()).collect();
        assert_eq!(ids.len(), RULE_IDS.len());
        for r in RULES {
            assert!(
                !r.rationale().is_empty() && !r.fix().is_empty(),
                "{}",
                r.id()
            );
        }
    }

    #[test]
    fn names_with_backticks_stay_text_in_code_spans() {
        let code = |s: &str| (true, s.to_string());
        let text = |s: &str| (false, s.to_string());
        assert_eq!(
            spans("`a` and `b`"),
            vec![code("a"), text(" and "), code("b")]
        );
        assert_eq!(spans("odd ` one"), vec![text("odd ` one")]);
        assert_eq!(
            spans("x `y` z `w"),
            vec![text("x "), code("y"), text(" z `w")]
        );
        for name in [
            "a`b",
            "``",
            "```",
            "`crm`",
            "<script>`",
            "x\\",
            "a\\`b",
            "\\",
        ] {
            let message = format!("{} (`crm`) holds `lead`", super::text(name));
            assert_eq!(
                spans(&message),
                vec![
                    text(&format!("{name} (")),
                    code("crm"),
                    text(") holds "),
                    code("lead")
                ],
                "{name:?}"
            );
        }
        assert_eq!(super::text("plain"), "plain");
    }

    #[test]
    fn join_lists() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(join_list(&s(&["a"]), 3), "a");
        assert_eq!(join_list(&s(&["a", "b", "c"]), 3), "a, b and c");
        assert_eq!(join_list(&s(&["a", "b", "c", "d"]), 2), "a, b and 2 more");
        assert_eq!(join_counted(&s(&["a", "b"]), 2, "or"), "a or b");
        assert_eq!(join_counted(&s(&["a", "b"]), 10, "or"), "a, b and 8 more");
        assert_eq!(join_counted(&s(&["a"]), 3, "and"), "a and 2 more");
    }

    #[test]
    fn related_is_capped_and_messages_count_the_rest() {
        let n = RELATED_MAX + 7;
        let holds: Vec<String> = (0..n)
            .map(|i| format!(r#"(entity: "e{i:02}", role: record)"#))
            .collect();
        let entities: Vec<String> = (0..n)
            .map(|i| format!(r#"(id: "e{i:02}", name: "E{i}")"#))
            .collect();
        let sv = format!(
            r#"(systems: [(id: "amp", name: "Amp", kind: other, owner: "data", holds: [{}])])"#,
            holds.join(",")
        );
        let div = format!("(entities: [{}])", entities.join(","));
        let ov = r#"(performers: [(id: "data", name: "Data")])"#;
        let f = findings(
            "data-silo",
            &[("sv.ron", &sv), ("div.ron", &div), ("ov.ron", ov)],
            State::ToBe,
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].related.len(), RELATED_MAX);
        assert_eq!(f[0].related_more, 7);
        // the first ones named by the rule are kept, sorted
        assert_eq!(f[0].related[0].id, "e00");
        assert_eq!(
            f[0].related[RELATED_MAX - 1].id,
            format!("e{:02}", RELATED_MAX - 1)
        );
        assert!(
            f[0].message.contains(&format!("`e03` and {} more", n - 4)),
            "{}",
            f[0].message
        );
    }

    const SILO: &str = r#"(systems: [(id: "amp", name: "Amplitude", kind: product_analytics, owner: "data",
        holds: [(entity: "usage", role: record)] ALLOW)])"#;

    fn files(allow: &str, settings: &str) -> Vec<(&'static str, String)> {
        vec![
            ("sv.ron", SILO.replace("ALLOW", allow)),
            (
                "div.ron",
                r#"(entities: [(id: "usage", name: "Usage", owner: "data")])"#.to_string(),
            ),
            (
                "ov.ron",
                r#"(performers: [(id: "data", name: "Data")])"#.to_string(),
            ),
            ("av.ron", format!("(settings: (rules: {{{settings}}}))")),
        ]
    }

    fn run(allow: &str, settings: &str) -> Analysis {
        let f = files(allow, settings);
        let refs: Vec<(&str, &str)> = f.iter().map(|(a, b)| (*a, b.as_str())).collect();
        let m = crate::graph::tests::model(&refs);
        let g = Graph::build(&m);
        analyse(&g, State::ToBe)
    }

    #[test]
    fn settings_change_severity_and_switch_rules_off() {
        let plain = run("", "");
        let silo = plain
            .findings
            .iter()
            .find(|f| f.rule == "data-silo")
            .unwrap();
        assert_eq!(silo.level, Level::Warning);
        let raised = run("", r#""data-silo": error"#);
        assert_eq!(raised.findings[0].rule, "data-silo");
        assert_eq!(raised.findings[0].level, Level::Error);
        let off = run("", r#""data-silo": off"#);
        assert!(off.findings.iter().all(|f| f.rule != "data-silo"));
    }

    #[test]
    fn allow_moves_finding_to_suppressed_with_reason() {
        let a = run(
            r#", allow: [(rule: "data-silo", reason: "exported monthly by hand")]"#,
            "",
        );
        assert!(a.findings.iter().all(|f| f.rule != "data-silo"));
        assert_eq!(a.suppressed.len(), 1);
        assert_eq!(a.suppressed[0].reason, "exported monthly by hand");
        assert_eq!(a.suppressed[0].finding.subject.id, "amp");
    }

    #[test]
    fn plan_delta_classifies_findings() {
        let files = [
            (
                "sv.ron",
                r#"(systems: [
                (id: "amp", name: "Amplitude", kind: product_analytics, holds: [(entity: "usage", role: record)]),
                (id: "dw", name: "DW", kind: data_warehouse, holds: [(entity: "usage", role: copy)]),
              ], integrations: [
                (id: "etl", name: "etl", source: "amp", target: "dw", carries: ["usage"], mechanism: batch_etl, frequency: daily, lifecycle: planned),
              ])"#,
            ),
            ("div.ron", r#"(entities: [(id: "usage", name: "Usage")])"#),
        ];
        let m = crate::graph::tests::model(&files);
        let g = Graph::build(&m);
        let as_is = analyse(&g, State::AsIs);
        let to_be = analyse(&g, State::ToBe);
        let delta = PlanDelta::new(&as_is, &to_be);
        assert!(
            delta
                .resolved
                .iter()
                .any(|k| k.starts_with("data-silo/isolated-system:amp")),
            "{delta:?}"
        );
        assert!(keys("data-silo", &files, State::ToBe)
            .iter()
            .all(|k| !k.contains(":amp")));
        // no changed reason: the verdict's phrase is empty
        assert_eq!(delta.changed_phrase(", ", ""), "");
        let mut two = delta.clone();
        two.changed = vec!["a".into(), "b".into()];
        assert_eq!(
            two.changed_phrase(", and ", ";"),
            ", and changes the reason of 2;"
        );
    }
}
