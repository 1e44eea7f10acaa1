//! Entity changes: added, removed, changed (field by field) and renamed.
//!
//! Entities are compared through their serialized form (the typed model, so
//! defaults are filled in and formatting is gone) with every list treated as
//! a set: reordering entities, fields or list items is no change.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

use super::{Change, EntityChange, FieldChange, FieldOp};
use crate::model::{Kind, Ref};

/// Fields holding free text: never rewritten by the rename map.
const TEXT_FIELDS: [&str; 6] = [
    "name",
    "description",
    "reason",
    "purpose",
    "scope",
    "formula",
];

/// Fields that identify an element of a list of records (`holds`, `attributes`…).
const ELEMENT_KEYS: [&str; 5] = ["entity", "id", "name", "rule", "to"];

/// An entity's fields as JSON, without its id.
pub(super) fn fields(e: Ref<'_>) -> Value {
    let v = match e {
        Ref::Goal(x) => serde_json::to_value(x),
        Ref::Principle(x) => serde_json::to_value(x),
        Ref::Term(x) => serde_json::to_value(x),
        Ref::Performer(x) => serde_json::to_value(x),
        Ref::Activity(x) => serde_json::to_value(x),
        Ref::Exchange(x) => serde_json::to_value(x),
        Ref::System(x) => serde_json::to_value(x),
        Ref::Integration(x) => serde_json::to_value(x),
        Ref::Standard(x) => serde_json::to_value(x),
        Ref::Entity(x) => serde_json::to_value(x),
    };
    let mut v = v.unwrap_or(Value::Null);
    if let Value::Object(map) = &mut v {
        map.remove("id");
    }
    v
}

/// Replaces references to renamed ids (old → new) in `v`, leaving free text alone.
pub(super) fn apply_renames(v: &mut Value, renames: &BTreeMap<String, String>) {
    if renames.is_empty() {
        return;
    }
    match v {
        Value::String(s) => {
            if let Some(new) = renames.get(s.as_str()) {
                *s = new.clone();
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|x| apply_renames(x, renames)),
        Value::Object(map) => {
            for (k, x) in map.iter_mut() {
                if !TEXT_FIELDS.contains(&k.as_str()) {
                    apply_renames(x, renames);
                }
            }
        }
        _ => {}
    }
}

/// The field changes between two versions of an entity.
pub(super) fn field_changes(old: &Value, new: &Value) -> Vec<FieldChange> {
    let mut out = Vec::new();
    diff_value("", old, new, &mut out);
    out
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::String(s) => s.is_empty(),
        _ => false,
    }
}

fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_string()
    } else {
        format!("{path}.{field}")
    }
}

fn diff_value(path: &str, old: &Value, new: &Value, out: &mut Vec<FieldChange>) {
    if old == new || (is_empty(old) && is_empty(new)) {
        return;
    }
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for k in keys {
                let null = Value::Null;
                diff_value(
                    &join(path, k),
                    a.get(k).unwrap_or(&null),
                    b.get(k).unwrap_or(&null),
                    out,
                );
            }
        }
        (Value::Array(a), Value::Array(b)) => diff_list(path, a, b, out),
        (Value::Array(a), n) if is_empty(n) => diff_list(path, a, &[], out),
        (o, Value::Array(b)) if is_empty(o) => diff_list(path, &[], b, out),
        _ => out.push(FieldChange {
            field: path.to_string(),
            op: FieldOp::Set,
            old: (!is_empty(old)).then(|| old.clone()),
            new: (!is_empty(new)).then(|| new.clone()),
        }),
    }
}

/// The field that identifies each element of both lists, if there is one.
fn element_key(a: &[Value], b: &[Value]) -> Option<&'static str> {
    ELEMENT_KEYS.into_iter().find(|k| {
        let mut seen = [BTreeSet::new(), BTreeSet::new()];
        [a, b].iter().enumerate().all(|(side, list)| {
            list.iter().all(|x| match x.get(k) {
                Some(Value::String(s)) => seen[side].insert(s.clone()),
                _ => false,
            })
        }) && !(a.is_empty() && b.is_empty())
    })
}

/// Lists are sets: elements are matched by their key field, or by value.
fn diff_list(path: &str, a: &[Value], b: &[Value], out: &mut Vec<FieldChange>) {
    let key_of = |k: &str, x: &Value| x.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    if let Some(k) = element_key(a, b) {
        let old: BTreeMap<String, &Value> = a.iter().map(|x| (key_of(k, x), x)).collect();
        let new: BTreeMap<String, &Value> = b.iter().map(|x| (key_of(k, x), x)).collect();
        let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
        for key in keys {
            let item = format!("{path}[{key}]");
            match (old.get(key), new.get(key)) {
                (Some(o), Some(n)) => diff_value(&item, o, n, out),
                (Some(o), None) => out.push(FieldChange {
                    field: path.to_string(),
                    op: FieldOp::Removed,
                    old: Some((*o).clone()),
                    new: None,
                }),
                (None, Some(n)) => out.push(FieldChange {
                    field: path.to_string(),
                    op: FieldOp::Added,
                    old: None,
                    new: Some((*n).clone()),
                }),
                (None, None) => {}
            }
        }
        return;
    }
    // By value: a multiset, compared on the canonical (sorted) rendering.
    let canon = |list: &[Value]| -> BTreeMap<String, (Value, usize)> {
        let mut m: BTreeMap<String, (Value, usize)> = BTreeMap::new();
        for x in list {
            let c = canonical(x);
            m.entry(c).or_insert_with(|| (x.clone(), 0)).1 += 1;
        }
        m
    };
    let old = canon(a);
    let new = canon(b);
    for (c, (v, n)) in &old {
        let m = new.get(c).map(|x| x.1).unwrap_or(0);
        for _ in m..*n {
            out.push(FieldChange {
                field: path.to_string(),
                op: FieldOp::Removed,
                old: Some(v.clone()),
                new: None,
            });
        }
    }
    for (c, (v, n)) in &new {
        let m = old.get(c).map(|x| x.1).unwrap_or(0);
        for _ in m..*n {
            out.push(FieldChange {
                field: path.to_string(),
                op: FieldOp::Added,
                old: None,
                new: Some(v.clone()),
            });
        }
    }
}

/// A value rendered with sorted lists, so order does not matter.
pub(super) fn canonical(v: &Value) -> String {
    match v {
        Value::Array(items) => {
            let mut parts: Vec<String> = items.iter().map(canonical).collect();
            parts.sort();
            format!("[{}]", parts.join(","))
        }
        Value::Object(map) => {
            // serde_json's map is sorted by key (no preserve_order feature).
            let parts: Vec<String> = map
                .iter()
                .map(|(k, x)| format!("{k:?}:{}", canonical(x)))
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        other => other.to_string(),
    }
}

/// One side's entities by id: (kind, name, fields, span).
pub(super) struct Side<'m> {
    pub(super) by_id: BTreeMap<String, (Ref<'m>, Value)>,
}

impl<'m> Side<'m> {
    pub(super) fn new(model: &'m crate::model::Model) -> Side<'m> {
        let by_id = model
            .entities()
            .map(|e| (e.id().as_str().to_string(), (e, fields(e))))
            .collect();
        Side { by_id }
    }
}

/// How alike two versions of an entity are, 0..=1, for rename detection:
/// the share of top-level fields (besides the id) with equal values.
fn similarity(a: &Value, b: &Value) -> f64 {
    let (Value::Object(a), Value::Object(b)) = (a, b) else {
        return 0.0;
    };
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    if keys.is_empty() {
        return 1.0;
    }
    let null = Value::Null;
    let same = keys
        .iter()
        .filter(|k| {
            let (x, y) = (a.get(**k).unwrap_or(&null), b.get(**k).unwrap_or(&null));
            canonical(x) == canonical(y) || (is_empty(x) && is_empty(y))
        })
        .count();
    same as f64 / keys.len() as f64
}

/// Pairs removed and added entities of the same kind that are the same thing
/// under a new id: same name, or at least 80 % of their fields equal.
/// Returns old id → new id.
pub(super) fn detect_renames(old: &Side<'_>, new: &Side<'_>) -> BTreeMap<String, String> {
    let removed: Vec<(&String, &(Ref<'_>, Value))> = old
        .by_id
        .iter()
        .filter(|(id, _)| !new.by_id.contains_key(*id))
        .collect();
    let added: Vec<(&String, &(Ref<'_>, Value))> = new
        .by_id
        .iter()
        .filter(|(id, _)| !old.by_id.contains_key(*id))
        .collect();
    let mut candidates: Vec<(u32, &String, &String)> = Vec::new();
    for (oid, (oe, ov)) in &removed {
        for (nid, (ne, nv)) in &added {
            if oe.kind() != ne.kind() {
                continue;
            }
            let sim = similarity(ov, nv);
            let same_name = oe.name() == ne.name() && !oe.name().is_empty();
            if same_name || sim >= 0.8 {
                // Score in thousandths; the name counts as a strong signal.
                let score = (sim * 1000.0) as u32 + if same_name { 1000 } else { 0 };
                candidates.push((score, oid, nid));
            }
        }
    }
    // Best first; ties broken by ids, so the pairing is deterministic.
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)).then(a.2.cmp(b.2)));
    let mut used_old = BTreeSet::new();
    let mut used_new = BTreeSet::new();
    let mut out = BTreeMap::new();
    for (_, o, n) in candidates {
        if used_old.contains(o) || used_new.contains(n) {
            continue;
        }
        used_old.insert(o);
        used_new.insert(n);
        out.insert(o.clone(), n.clone());
    }
    out
}

/// Every entity change between two sides. `renames` maps old ids to new.
pub(super) fn entity_changes(
    old: &Side<'_>,
    new: &Side<'_>,
    renames: &BTreeMap<String, String>,
) -> Vec<EntityChange> {
    let renamed_to: BTreeSet<&String> = renames.values().collect();
    let mut out = Vec::new();
    for (id, (oe, ov)) in &old.by_id {
        let new_id = renames.get(id).unwrap_or(id);
        let mut ov = ov.clone();
        apply_renames(&mut ov, renames);
        match new.by_id.get(new_id) {
            Some((ne, nv)) if ne.kind() == oe.kind() => {
                let fields = field_changes(&ov, nv);
                let renamed = new_id != id;
                if fields.is_empty() && !renamed {
                    continue;
                }
                out.push(EntityChange {
                    kind: ne.kind(),
                    id: new_id.clone(),
                    old_id: renamed.then(|| id.clone()),
                    name: ne.name().to_string(),
                    change: if renamed {
                        Change::Renamed
                    } else {
                        Change::Changed
                    },
                    fields,
                    old_span: Some(oe.id().span()),
                    new_span: Some(ne.id().span()),
                });
            }
            Some((ne, _)) => {
                // Same id, different kind: a removal and an addition.
                out.push(removed(id, *oe));
                out.push(added(new_id, *ne));
            }
            None => out.push(removed(id, *oe)),
        }
    }
    for (id, (ne, _)) in &new.by_id {
        if !old.by_id.contains_key(id) && !renamed_to.contains(id) {
            out.push(added(id, *ne));
        }
    }
    out.sort_by(|a, b| {
        (kind_order(a.kind), &a.id, a.change).cmp(&(kind_order(b.kind), &b.id, b.change))
    });
    out
}

fn kind_order(k: Kind) -> usize {
    Kind::ALL.iter().position(|x| *x == k).unwrap_or(usize::MAX)
}

fn removed(id: &str, e: Ref<'_>) -> EntityChange {
    EntityChange {
        kind: e.kind(),
        id: id.to_string(),
        old_id: None,
        name: e.name().to_string(),
        change: Change::Removed,
        fields: Vec::new(),
        old_span: Some(e.id().span()),
        new_span: None,
    }
}

fn added(id: &str, e: Ref<'_>) -> EntityChange {
    EntityChange {
        kind: e.kind(),
        id: id.to_string(),
        old_id: None,
        name: e.name().to_string(),
        change: Change::Added,
        fields: Vec::new(),
        old_span: None,
        new_span: Some(e.id().span()),
    }
}

/// Changes to the model's own settings (name, plan period, rule levels…),
/// which belong to no entity.
pub(super) fn settings_changes(
    old: &crate::model::Model,
    new: &crate::model::Model,
) -> Vec<FieldChange> {
    #[derive(Serialize)]
    struct Own<'a> {
        name: &'a str,
        purpose: &'a str,
        scope: &'a str,
        plan_period: &'a str,
        owner: Option<&'a str>,
        settings: &'a crate::model::Settings,
    }
    let own = |m: &crate::model::Model| {
        serde_json::to_value(Own {
            name: &m.av.name,
            purpose: &m.av.purpose,
            scope: &m.av.scope,
            plan_period: &m.av.plan_period,
            owner: m.av.owner.as_ref().map(|o| o.as_str()),
            settings: &m.av.settings,
        })
        .unwrap_or(Value::Null)
    };
    field_changes(&own(old), &own(new))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lists_are_sets_and_records_match_by_key() {
        let old = json!({"carries": ["a", "b"], "holds": [{"entity": "x", "role": "copy"}, {"entity": "y", "role": "record"}]});
        let new = json!({"carries": ["b", "c"], "holds": [{"entity": "y", "role": "copy"}, {"entity": "x", "role": "copy"}]});
        let ch = field_changes(&old, &new);
        let text: Vec<String> = ch
            .iter()
            .map(|c| format!("{} {:?} {:?} {:?}", c.field, c.op, c.old, c.new))
            .collect();
        assert_eq!(
            text,
            vec![
                r#"carries Removed Some(String("a")) None"#,
                r#"carries Added None Some(String("c"))"#,
                r#"holds[y].role Set Some(String("record")) Some(String("copy"))"#,
            ]
        );
        let reordered = json!({"carries": ["b", "a"], "holds": [{"role": "record", "entity": "y"}, {"entity": "x", "role": "copy"}]});
        assert!(field_changes(&old, &reordered).is_empty());
    }

    #[test]
    fn empty_and_missing_are_the_same() {
        let old = json!({"description": null, "tags": []});
        let new = json!({"tags": []});
        assert!(field_changes(&old, &new).is_empty());
        let set = field_changes(&json!({"description": null}), &json!({"description": "x"}));
        assert_eq!(set.len(), 1);
        assert_eq!(set[0].op, FieldOp::Set);
        assert_eq!(set[0].old, None);
    }

    #[test]
    fn renames_leave_text_alone() {
        let mut v = json!({"name": "crm", "source": "crm", "carries": ["crm"], "allow": [{"rule": "x", "reason": "crm"}]});
        let map = BTreeMap::from([("crm".to_string(), "salesforce".to_string())]);
        apply_renames(&mut v, &map);
        assert_eq!(
            v,
            json!({"name": "crm", "source": "salesforce", "carries": ["salesforce"], "allow": [{"rule": "x", "reason": "crm"}]})
        );
    }

    #[test]
    fn duplicate_values_in_lists_count() {
        let ch = field_changes(&json!({"t": ["a"]}), &json!({"t": ["a", "a"]}));
        assert_eq!(ch.len(), 1);
        assert_eq!(ch[0].op, FieldOp::Added);
    }
}
