//! The `diff` stage: two models → what changed in architecture terms.
//!
//! [`compare`] takes two graphs (OLD and NEW) and derives:
//! - entity changes per viewpoint (added, removed, changed field by field,
//!   renamed with `--detect-renames`), ignoring formatting and order;
//! - relation changes (the graph's edges that appear or disappear);
//! - the findings delta per state, matched by finding key (rule, case and
//!   the entities that define the finding; never the message);
//! - lineage changes (which systems each data entity reaches, per state);
//! - the impact of each changed system or integration: the activities it
//!   supports, the KPIs whose data flows through it, the entities whose
//!   lineage changes through it.
//!
//! `output` writes a [`ModelDiff`] as text, Markdown or JSON. The diagram of
//! the change is drawn by `render::diff`.

mod entities;
mod findings;
mod impact;
pub mod output;
mod relations;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

use crate::analysis::Entity as FindingEntity;
use crate::graph::Graph;
use crate::model::syntax::Span;
use crate::model::{Kind, Level, State};

pub use relations::sentence;

/// How an entity or relation changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    /// Only in NEW.
    Added,
    /// Only in OLD.
    Removed,
    /// In both, with different fields.
    Changed,
    /// In both under different ids (`--detect-renames`), maybe with changed fields.
    Renamed,
}

impl Change {
    /// As written in output: `added`, `removed`…
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
            Change::Renamed => "renamed",
        }
    }
}

/// What happened to one field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldOp {
    /// A value was set, changed or cleared (`old` → `new`).
    Set,
    /// An element was added to a list (`new`).
    Added,
    /// An element was removed from a list (`old`).
    Removed,
}

/// One changed field of an entity.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldChange {
    /// Field path: `lifecycle`, `holds[lead].role`, `kind.formula`.
    pub field: String,
    /// What happened.
    pub op: FieldOp,
    /// The value before (None: not set).
    pub old: Option<Value>,
    /// The value after (None: not set).
    pub new: Option<Value>,
}

/// One entity that changed.
#[derive(Clone, Debug, Serialize)]
pub struct EntityChange {
    /// Its kind.
    pub kind: Kind,
    /// Its id (in NEW; in OLD for a removed entity).
    pub id: String,
    /// The id in OLD, for a renamed entity.
    pub old_id: Option<String>,
    /// Its name (in NEW, or OLD if removed).
    pub name: String,
    /// How it changed.
    pub change: Change,
    /// Changed fields (for `changed` and `renamed`).
    pub fields: Vec<FieldChange>,
    /// Where it is in OLD.
    #[serde(skip)]
    pub old_span: Option<Span>,
    /// Where it is in NEW.
    #[serde(skip)]
    pub new_span: Option<Span>,
}

/// One relation that appeared or disappeared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RelationChange {
    /// `added` or `removed`.
    pub change: Change,
    /// The relation kind (the graph's edge kinds, `flows-to` for an integration).
    pub relation: &'static str,
    /// From this entity…
    pub from: String,
    /// …to this one.
    pub to: String,
    /// The integration, for `flows-to`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}

impl EntityChange {
    /// What a lifecycle change means, in a word: `retired` (now retiring),
    /// `planned` (now planned), `un-retired` (retiring no more), `now
    /// current` (planned no more); None without a lifecycle change.
    pub fn lifecycle_word(&self) -> Option<&'static str> {
        let f = self.fields.iter().find(|f| f.field == "lifecycle")?;
        let name = |v: &Option<Value>| {
            v.as_ref()
                .and_then(Value::as_str)
                .unwrap_or("current")
                .to_string()
        };
        match (name(&f.old).as_str(), name(&f.new).as_str()) {
            (_, "retiring") => Some("retired"),
            (_, "planned") => Some("planned"),
            ("retiring", _) => Some("un-retired"),
            ("planned", _) => Some("now current"),
            _ => None,
        }
    }
}

/// How a finding compares between OLD and NEW.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingStatus {
    /// Only in NEW: the change introduces it.
    Introduced,
    /// Only in OLD: the change resolves it.
    Resolved,
    /// In both, for another reason (the same rule, subject and identity,
    /// another case): one finding the change keeps with a new reason.
    Changed,
    /// In both.
    Unchanged,
}

/// A finding and what the change does to it.
#[derive(Clone, Debug, Serialize)]
pub struct FindingChange {
    /// Introduced, resolved or unchanged.
    pub status: FindingStatus,
    /// The finding's key (with NEW's ids).
    pub key: String,
    /// Rule id.
    pub rule: &'static str,
    /// Severity (NEW's; OLD's for a resolved finding).
    pub level: Level,
    /// States in which the finding has this status.
    pub states: Vec<State>,
    /// The finding's subject.
    pub subject: FindingEntity,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub fix: String,
    /// For a changed finding, its case (reason) in OLD.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_before: Option<&'static str>,
    /// In which side's files `subject`'s span is (true: NEW).
    #[serde(skip)]
    pub in_new: bool,
}

/// Which systems a data entity reaches that it did not, or no longer does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LineageChange {
    /// The data entity.
    pub entity: String,
    /// States where this change happens.
    pub states: Vec<State>,
    /// Systems where it is now available (held or delivered).
    pub gained: Vec<String>,
    /// Systems where it is no longer available.
    pub lost: Vec<String>,
}

/// What depends on a changed system or integration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Impact {
    /// System or integration.
    pub kind: Kind,
    /// Its id.
    pub id: String,
    /// How it changed.
    pub change: Change,
    /// Activities that use it (or, for an integration, that use the data it
    /// delivers or the needline it realises).
    pub activities: Vec<String>,
    /// KPI standards whose data flows through it or that are computed in it.
    pub kpis: Vec<String>,
    /// Data entities whose lineage changes and that it holds or carries.
    pub entities: Vec<String>,
}

/// Options of [`compare`].
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Pair removed and added entities that look like the same thing under a
    /// new id.
    pub detect_renames: bool,
}

/// Everything that changed between two models.
#[derive(Clone, Debug, Serialize)]
pub struct ModelDiff {
    /// Entity changes, by viewpoint order, then id.
    pub entities: Vec<EntityChange>,
    /// Changes to the model's own fields (name, plan period, rule settings).
    pub settings: Vec<FieldChange>,
    /// Relation changes.
    pub relations: Vec<RelationChange>,
    /// Findings per status.
    pub findings: Vec<FindingChange>,
    /// Lineage changes.
    pub lineage: Vec<LineageChange>,
    /// Impact of changed systems and integrations.
    pub impact: Vec<Impact>,
}

impl ModelDiff {
    /// Whether the architecture changed at all (formatting and order do not count).
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty() && self.settings.is_empty() && self.relations.is_empty()
    }

    /// Findings with a status.
    pub fn findings_with(&self, status: FindingStatus) -> impl Iterator<Item = &FindingChange> {
        self.findings.iter().filter(move |f| f.status == status)
    }

    /// How many findings have each status, each finding (rule, subject,
    /// identity) counted once: one whose status differs between the states
    /// (resolved today, still there after the plan; another reason after
    /// the plan) counts as introduced if the change introduces it in either
    /// state, else resolved, else changed, else unchanged.
    pub fn finding_counts(&self) -> BTreeMap<FindingStatus, usize> {
        // by what is wrong (the key without its case): the two states of a
        // changed finding have two keys
        let mut headline: BTreeMap<String, FindingStatus> = BTreeMap::new();
        for f in &self.findings {
            let slot = headline
                .entry(crate::analysis::key_identity(&f.key))
                .or_insert(f.status);
            // declaration order: Introduced < Resolved < Changed < Unchanged
            if f.status < *slot {
                *slot = f.status;
            }
        }
        let mut out = BTreeMap::new();
        for status in headline.into_values() {
            *out.entry(status).or_insert(0) += 1;
        }
        out
    }

    /// Ids of added, removed and changed entities (for drawing the change).
    pub fn marks(&self) -> crate::render::diff::DiffMarks {
        let mut m = crate::render::diff::DiffMarks::default();
        for e in &self.entities {
            match e.change {
                Change::Added => m.added.insert(e.id.clone()),
                Change::Removed => m.removed.insert(e.id.clone()),
                Change::Changed | Change::Renamed => m.changed.insert(e.id.clone()),
            };
        }
        m
    }

    /// Entity changes of one viewpoint.
    pub fn viewpoint(&self, vp: &str) -> impl Iterator<Item = &EntityChange> + '_ {
        let vp = vp.to_string();
        self.entities
            .iter()
            .filter(move |e| e.kind.viewpoint() == vp)
    }
}

/// The viewpoints, in order.
pub const VIEWPOINTS: [&str; 5] = ["AV", "OV", "SV", "StdV", "DIV"];

/// Compares two models (both valid).
pub fn compare(old: &Graph<'_>, new: &Graph<'_>, opts: Options) -> ModelDiff {
    let old_side = entities::Side::new(old.model);
    let new_side = entities::Side::new(new.model);
    let renames = if opts.detect_renames {
        entities::detect_renames(&old_side, &new_side)
    } else {
        BTreeMap::new()
    };
    let entities = entities::entity_changes(&old_side, &new_side, &renames);
    let settings = entities::settings_changes(old.model, new.model);
    let relations = relations::relation_changes(old, new, &renames);
    let findings = findings::delta(old, new, &renames);
    let lineage = impact::lineage(old, new, &renames);
    let impact = impact::impact(old, new, &entities, &lineage, &renames);
    ModelDiff {
        entities,
        settings,
        relations,
        findings,
        lineage,
        impact,
    }
}

/// Ids as a sorted, deduplicated list.
fn sorted(ids: impl IntoIterator<Item = String>) -> Vec<String> {
    ids.into_iter()
        .collect::<BTreeSet<String>>()
        .into_iter()
        .collect()
}

#[cfg(test)]
mod tests;
