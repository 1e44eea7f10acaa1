//! The view-model of each page: what its template receives.

use serde::Serialize;

use super::{DiagramVm, Link, MatrixVm, NavVm};

/// AV-1.
#[derive(Clone, Debug, Serialize)]
pub struct IndexVm {
    /// Purpose.
    pub purpose: String,
    /// Scope.
    pub scope: String,
    /// Owner.
    pub owner: Option<Link>,
    /// Goals.
    pub goals: Vec<GoalVm>,
    /// Principles.
    pub principles: Vec<PrincipleVm>,
    /// Findings per state (to-be first).
    pub health: Vec<HealthVm>,
    /// What the plan does to findings.
    pub plan: PlanVm,
    /// Entities per viewpoint.
    pub viewpoints: Vec<ViewpointVm>,
}

/// A goal.
#[derive(Clone, Debug, Serialize)]
pub struct GoalVm {
    /// The goal.
    pub link: Link,
    /// Description.
    pub description: String,
    /// Target.
    pub target: String,
    /// KPI measuring it.
    pub kpi: Option<Link>,
    /// Owner.
    pub owner: Option<Link>,
}

/// A principle.
#[derive(Clone, Debug, Serialize)]
pub struct PrincipleVm {
    /// The principle.
    pub link: Link,
    /// Description.
    pub description: String,
    /// Why.
    pub rationale: String,
}

/// Findings of one state.
#[derive(Clone, Debug, Serialize)]
pub struct HealthVm {
    /// `to-be` / `as-is`.
    pub state: String,
    /// Errors.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Infos.
    pub infos: usize,
    /// Allowed (suppressed) findings.
    pub allowed: usize,
    /// Per rule.
    pub rules: Vec<RuleCountVm>,
}

/// Findings of one rule.
#[derive(Clone, Debug, Serialize)]
pub struct RuleCountVm {
    /// Rule id.
    pub rule: String,
    /// Severity.
    pub level: String,
    /// How many.
    pub count: usize,
    /// Link to the rule's findings (to-be only).
    pub href: Option<String>,
}

/// Plan delta counts.
#[derive(Clone, Debug, Serialize)]
pub struct PlanVm {
    /// Introduced by the plan.
    pub introduced: usize,
    /// Resolved by the plan.
    pub resolved: usize,
    /// In both states for the same reason.
    pub unchanged: usize,
    /// In both states for another reason.
    pub changed: usize,
    /// Link to the findings page.
    pub findings_href: String,
    /// Link to the resolved findings.
    pub resolved_href: String,
}

/// Entities of one viewpoint.
#[derive(Clone, Debug, Serialize)]
pub struct ViewpointVm {
    /// AV, OV…
    pub id: String,
    /// Title.
    pub title: String,
    /// Its page.
    pub href: String,
    /// Counts per kind.
    pub counts: Vec<CountVm>,
}

/// A labelled count.
#[derive(Clone, Debug, Serialize)]
pub struct CountVm {
    /// What.
    pub label: String,
    /// How many.
    pub count: usize,
}

/// AV-2.
#[derive(Clone, Debug, Serialize)]
pub struct DictionaryVm {
    /// Every entity, alphabetical by name (of this page, when the
    /// dictionary is split into pages).
    pub entries: Vec<DictEntryVm>,
    /// When the dictionary is split: a link to each of its pages.
    pub parts: Vec<NavVm>,
    /// Which of them this is (from 1).
    pub part: usize,
}

/// One dictionary entry.
#[derive(Clone, Debug, Serialize)]
pub struct DictEntryVm {
    /// Anchor id (`sys-crm`).
    pub anchor: String,
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Kind label.
    pub kind: String,
    /// Viewpoint.
    pub viewpoint: String,
    /// planned / retiring / empty.
    pub lifecycle: String,
    /// Description.
    pub description: String,
    /// Owner.
    pub owner: Option<Link>,
    /// Where used.
    pub uses: Vec<UseVm>,
}

/// A group of relations.
#[derive(Clone, Debug, Serialize)]
pub struct UseVm {
    /// How related.
    pub label: String,
    /// To what.
    pub links: Vec<Link>,
}

/// OV.
#[derive(Clone, Debug, Serialize)]
pub struct OvVm {
    /// OV-2, OV-5b.
    pub diagrams: Vec<DiagramVm>,
    /// Performers.
    pub performers: Vec<PerformerVm>,
    /// Activities in journey order.
    pub activities: Vec<ActivityVm>,
    /// Needlines.
    pub exchanges: Vec<ExchangeVm>,
    /// OV-3.
    pub ov3: MatrixVm,
}

/// A performer.
#[derive(Clone, Debug, Serialize)]
pub struct PerformerVm {
    /// It.
    pub link: Link,
    /// team / role / external.
    pub kind: String,
    /// Description.
    pub description: String,
    /// Owner.
    pub owner: Option<Link>,
    /// Activities it performs.
    pub activities: Vec<Link>,
}

/// An activity.
#[derive(Clone, Debug, Serialize)]
pub struct ActivityVm {
    /// It.
    pub link: Link,
    /// Journey stage.
    pub stage: String,
    /// Order in the stage.
    pub order: u32,
    /// Performer.
    pub performer: Option<Link>,
    /// Data needed.
    pub inputs: Vec<Link>,
    /// Data produced.
    pub outputs: Vec<Link>,
    /// Supporting systems.
    pub systems: Vec<Link>,
    /// Lifecycle.
    pub lifecycle: String,
}

/// A needline.
#[derive(Clone, Debug, Serialize)]
pub struct ExchangeVm {
    /// It.
    pub link: Link,
    /// Provider.
    pub from: Option<Link>,
    /// Consumer.
    pub to: Option<Link>,
    /// Data.
    pub carries: Vec<Link>,
    /// Activity served.
    pub activity: Option<Link>,
    /// Integrations realising it.
    pub realized_by: Vec<Link>,
    /// Lifecycle.
    pub lifecycle: String,
}

/// SV.
#[derive(Clone, Debug, Serialize)]
pub struct SvVm {
    /// SV-1, SV-2.
    pub diagrams: Vec<DiagramVm>,
    /// Systems.
    pub systems: Vec<SystemVm>,
    /// Integrations.
    pub integrations: Vec<IntegrationVm>,
    /// SV-5.
    pub sv5: MatrixVm,
    /// SV-6.
    pub sv6: MatrixVm,
}

/// A system.
#[derive(Clone, Debug, Serialize)]
pub struct SystemVm {
    /// It.
    pub link: Link,
    /// Kind.
    pub kind: String,
    /// Vendor.
    pub vendor: String,
    /// Owner.
    pub owner: Option<Link>,
    /// Lifecycle.
    pub lifecycle: String,
    /// Entities it is the system of record for.
    pub records: Vec<Link>,
    /// Entities it holds copies of.
    pub copies: Vec<Link>,
    /// The to-be findings about it (text: the rule), and how many more.
    pub findings: (Vec<Link>, usize),
}

/// An integration.
#[derive(Clone, Debug, Serialize)]
pub struct IntegrationVm {
    /// It.
    pub link: Link,
    /// Source system.
    pub source: Option<Link>,
    /// Target system.
    pub target: Option<Link>,
    /// Data carried.
    pub carries: Vec<Link>,
    /// Mechanism.
    pub mechanism: String,
    /// Frequency.
    pub frequency: String,
    /// one way / bidirectional.
    pub direction: String,
    /// Platform it runs via.
    pub via: Option<Link>,
    /// Needlines realised.
    pub realizes: Vec<Link>,
    /// Lifecycle.
    pub lifecycle: String,
    /// Whether it moves data in the report's state.
    pub active: bool,
}

/// StdV.
#[derive(Clone, Debug, Serialize)]
pub struct StdvVm {
    /// Standards by kind.
    pub groups: Vec<StandardGroupVm>,
    /// KPI definitions.
    pub kpis: Vec<KpiVm>,
    /// Privacy coverage per privacy standard.
    pub compliance: Vec<ComplianceVm>,
    /// Systems holding or receiving PII that no privacy standard lists.
    pub uncovered: Vec<Link>,
}

/// Standards of one kind.
#[derive(Clone, Debug, Serialize)]
pub struct StandardGroupVm {
    /// Kind label.
    pub kind: String,
    /// Standards.
    pub standards: Vec<StandardVm>,
}

/// A standard.
#[derive(Clone, Debug, Serialize)]
pub struct StandardVm {
    /// It.
    pub link: Link,
    /// Rule, formula or jurisdiction.
    pub detail: String,
    /// Description.
    pub description: String,
    /// What it applies to.
    pub applies_to: Vec<Link>,
    /// Owner.
    pub owner: Option<Link>,
    /// Lifecycle.
    pub lifecycle: String,
}

/// A KPI definition.
#[derive(Clone, Debug, Serialize)]
pub struct KpiVm {
    /// It.
    pub link: Link,
    /// Formula.
    pub formula: String,
    /// Unit.
    pub unit: String,
    /// Source entities.
    pub sources: Vec<Link>,
    /// Where computed.
    pub computed_in: Vec<Link>,
    /// Goals it measures.
    pub goals: Vec<Link>,
}

/// Coverage of one privacy standard.
#[derive(Clone, Debug, Serialize)]
pub struct ComplianceVm {
    /// The standard.
    pub link: Link,
    /// PII entities in its scope.
    pub entities: Vec<Link>,
    /// Systems it lists.
    pub systems: Vec<Link>,
    /// Systems holding PII in its scope that it does not list.
    pub misses: Vec<Link>,
}

/// DIV.
#[derive(Clone, Debug, Serialize)]
pub struct DivVm {
    /// DIV-2.
    pub diagrams: Vec<DiagramVm>,
    /// Data entities.
    pub entities: Vec<EntityVm>,
    /// Holding matrix.
    pub crud: MatrixVm,
    /// When not every entity's lineage is drawn: why, in plain words.
    pub lineage_note: String,
}

/// A data entity.
#[derive(Clone, Debug, Serialize)]
pub struct EntityVm {
    /// The to-be findings about it (text: the rule), and how many more.
    pub findings: (Vec<Link>, usize),
    /// It.
    pub link: Link,
    /// Classification.
    pub classification: String,
    /// Personal data.
    pub pii: bool,
    /// Description.
    pub description: String,
    /// Owner.
    pub owner: Option<Link>,
    /// Attributes.
    pub attributes: Vec<AttributeVm>,
    /// Relations.
    pub relations: Vec<RelationVm>,
    /// Its lineage diagram.
    pub lineage: Option<DiagramVm>,
}

/// An attribute.
#[derive(Clone, Debug, Serialize)]
pub struct AttributeVm {
    /// Name.
    pub name: String,
    /// Type.
    pub ty: String,
    /// Part of the key.
    pub key: bool,
    /// Personal data.
    pub pii: bool,
}

/// A relation.
#[derive(Clone, Debug, Serialize)]
pub struct RelationVm {
    /// Related entity.
    pub to: Link,
    /// 1:n…
    pub cardinality: String,
    /// Label.
    pub label: String,
}

/// Findings page.
#[derive(Clone, Debug, Serialize)]
pub struct FindingsVm {
    /// Number of to-be findings.
    pub total: usize,
    /// The jump list at the top.
    pub jump: JumpVm,
    /// To-be findings by rule.
    pub rules: Vec<RuleFindingsVm>,
    /// As-is findings the plan resolves.
    pub resolved: Vec<FindingVm>,
    /// To-be findings accepted with `allow`.
    pub allowed: Vec<AllowedVm>,
    /// SV-2 with the overlay.
    pub diagrams: Vec<DiagramVm>,
}

/// The findings page's jump list.
#[derive(Clone, Debug, Default, Serialize)]
pub struct JumpVm {
    /// By severity: error, warning, info (those present).
    pub levels: Vec<JumpLink>,
    /// By rule.
    pub rules: Vec<JumpLink>,
    /// By subject, most findings first, at most [`JUMP_SUBJECTS`].
    pub subjects: Vec<JumpLink>,
    /// Subjects left out of `subjects`.
    pub subjects_more: usize,
}

/// One entry of the jump list.
#[derive(Clone, Debug, Serialize)]
pub struct JumpLink {
    /// What it is (a severity, a rule id, an entity's name).
    pub text: String,
    /// Where it goes.
    pub href: String,
    /// How many findings.
    pub count: usize,
}

/// Findings of one rule.
#[derive(Clone, Debug, Serialize)]
pub struct RuleFindingsVm {
    /// Rule id.
    pub rule: String,
    /// Anchor.
    pub anchor: String,
    /// Why it matters.
    pub rationale: String,
    /// Findings.
    pub findings: Vec<FindingVm>,
}

/// One finding.
#[derive(Clone, Debug, Serialize)]
pub struct FindingVm {
    /// Rule.
    pub rule: String,
    /// Case.
    pub case: String,
    /// error / warning / info.
    pub level: String,
    /// Stable key.
    pub key: String,
    /// Relation to the plan, in words.
    pub plan: String,
    /// Subject.
    pub subject: Option<Link>,
    /// Related entities.
    pub related: Vec<Link>,
    /// Related entities left out of `related`.
    pub related_more: usize,
    /// Message.
    pub message: String,
    /// Fix.
    pub fix: String,
    /// Rule rationale.
    pub rationale: String,
    /// Its anchor on the findings page, stable across runs (from the key).
    pub anchor: String,
    /// Link to it.
    pub href: String,
}

/// An allowed finding.
#[derive(Clone, Debug, Serialize)]
pub struct AllowedVm {
    /// The finding.
    pub finding: FindingVm,
    /// Why it is accepted.
    pub reason: String,
}
