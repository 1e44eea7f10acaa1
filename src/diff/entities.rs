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

/// At most this many added entities are compared with each removed one.
pub(super) const RENAME_CANDIDATES_MAX: usize = 64;

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
/// the share of top-level fields (besides the id) with equal values. The
/// definition; [`Tokens::similarity`] computes the same number faster.
#[cfg(test)]
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

/// The share of equal fields at which two entities of a kind may be a rename.
const RENAME_SIMILARITY: f64 = 0.8;

/// The token of an empty or missing field (every other value gets its own).
const EMPTY: u32 = 0;

/// An entity's top-level fields as (field, value) numbers, sorted by field:
/// equal numbers are equal canonical values ([`canonical`]; every empty
/// value is [`EMPTY`]). `None` for an entity that is not a record.
struct Tokens(Option<Vec<(u32, u32)>>);

/// Numbers for field names and values, shared by both sides.
#[derive(Default)]
struct Interner {
    keys: crate::hash::FastMap<String, u32>,
    values: crate::hash::FastMap<String, u32>,
}

impl Interner {
    fn tokens(&mut self, v: &Value) -> Tokens {
        let Value::Object(map) = v else {
            return Tokens(None);
        };
        let mut out = Vec::with_capacity(map.len());
        for (k, x) in map {
            let next = self.keys.len() as u32;
            let key = *self.keys.entry(k.clone()).or_insert(next);
            let value = if is_empty(x) {
                EMPTY
            } else {
                let next = self.values.len() as u32 + 1;
                *self.values.entry(canonical(x)).or_insert(next)
            };
            out.push((key, value));
        }
        out.sort_unstable();
        Tokens(Some(out))
    }
}

impl Tokens {
    /// [`similarity`], by merging the two sorted field lists: a field only
    /// one side has is equal when it is empty there.
    fn similarity(&self, other: &Tokens) -> f64 {
        let (Some(a), Some(b)) = (&self.0, &other.0) else {
            return 0.0;
        };
        let (mut i, mut j, mut keys, mut same) = (0, 0, 0usize, 0usize);
        while i < a.len() || j < b.len() {
            keys += 1;
            match (a.get(i), b.get(j)) {
                (Some(x), Some(y)) if x.0 == y.0 => {
                    same += usize::from(x.1 == y.1);
                    i += 1;
                    j += 1;
                }
                (Some(x), Some(y)) if x.0 < y.0 => {
                    same += usize::from(x.1 == EMPTY);
                    i += 1;
                }
                (Some(x), None) => {
                    same += usize::from(x.1 == EMPTY);
                    i += 1;
                }
                (_, Some(y)) => {
                    same += usize::from(y.1 == EMPTY);
                    j += 1;
                }
                (None, None) => break,
            }
        }
        if keys == 0 {
            return 1.0;
        }
        same as f64 / keys as f64
    }

    /// The value of `key` (missing: [`EMPTY`]).
    fn get(&self, key: u32) -> u32 {
        self.0
            .as_ref()
            .and_then(|f| f.binary_search_by_key(&key, |x| x.0).ok().map(|i| f[i].1))
            .unwrap_or(EMPTY)
    }
}

/// How many fields two entities whose union of fields has at most `n`
/// fields may differ in and still reach [`RENAME_SIMILARITY`] (the same
/// floating-point test as the pairing).
fn max_differing(n: usize) -> usize {
    (1..=n)
        .map(|m| {
            (0..=m)
                .take_while(|d| (m - d) as f64 / m as f64 >= RENAME_SIMILARITY)
                .last()
                .unwrap_or(0)
        })
        .max()
        .unwrap_or(0)
}

/// Pairs removed and added entities of the same kind that are the same thing
/// under a new id: same name, or at least 80 % of their fields equal.
/// Returns old id → new id.
pub(super) fn detect_renames(old: &Side<'_>, new: &Side<'_>) -> BTreeMap<String, String> {
    detect_renames_counted(old, new).0
}

/// [`detect_renames`] and how many pairs it compared.
///
/// Not every removed entity is compared with every added one (that was
/// quadratic): per kind, the added entities are indexed by name and by
/// *blocks* of fields. Two entities reaching 80 % differ in at most `d`
/// fields, so with the fields dealt into `d + 1` blocks, one block is
/// entirely equal (pigeonhole): only entities sharing the name or one block
/// exactly are compared. Fields are dealt by how many different values they
/// have, so every block holds some distinctive ones. Each removed entity is
/// compared with at most [`RENAME_CANDIDATES_MAX`] added ones (same name
/// first, then block by block, each in id order): the work is linear, and
/// a pair is missed only among more look-alikes than that. Below the cap the
/// pairs are exactly those of comparing every pair; the choice among them is
/// unchanged (best score first, ties by ids).
pub(super) fn detect_renames_counted(
    old: &Side<'_>,
    new: &Side<'_>,
) -> (BTreeMap<String, String>, usize) {
    type Entry<'s, 'm> = (&'s String, &'s (Ref<'m>, Value));
    let removed: Vec<Entry<'_, '_>> = old
        .by_id
        .iter()
        .filter(|(id, _)| !new.by_id.contains_key(*id))
        .collect();
    let added: Vec<Entry<'_, '_>> = new
        .by_id
        .iter()
        .filter(|(id, _)| !old.by_id.contains_key(*id))
        .collect();
    let mut interner = Interner::default();
    let removed_tokens: Vec<Tokens> = removed.iter().map(|e| interner.tokens(&e.1 .1)).collect();
    let added_tokens: Vec<Tokens> = added.iter().map(|e| interner.tokens(&e.1 .1)).collect();
    // Indices per kind, in id order.
    let mut kinds: BTreeMap<Kind, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
    for (i, e) in removed.iter().enumerate() {
        kinds.entry(e.1 .0.kind()).or_default().0.push(i);
    }
    for (i, e) in added.iter().enumerate() {
        kinds.entry(e.1 .0.kind()).or_default().1.push(i);
    }
    let mut compared = 0;
    let mut candidates: Vec<(u32, &String, &String)> = Vec::new();
    for (rs, ads) in kinds.values() {
        if rs.is_empty() || ads.is_empty() {
            continue;
        }
        // The kind's fields, most distinctive first, dealt into blocks.
        let mut distinct: BTreeMap<u32, crate::hash::FastSet<u32>> = BTreeMap::new();
        for t in rs
            .iter()
            .map(|&i| &removed_tokens[i])
            .chain(ads.iter().map(|&i| &added_tokens[i]))
        {
            for &(k, v) in t.0.iter().flatten() {
                distinct.entry(k).or_default().insert(v);
            }
        }
        let mut fields: Vec<(usize, u32)> = distinct.iter().map(|(k, v)| (v.len(), *k)).collect();
        fields.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let blocks = max_differing(fields.len()) + 1;
        let mut block_fields: Vec<Vec<u32>> = vec![Vec::new(); blocks];
        for (i, (_, k)) in fields.iter().enumerate() {
            block_fields[i % blocks].push(*k);
        }
        let signature = |t: &Tokens, b: usize| -> Vec<u32> {
            block_fields[b].iter().map(|&k| t.get(k)).collect()
        };
        let mut by_name: crate::hash::FastMap<&str, Vec<usize>> = Default::default();
        let mut by_block: crate::hash::FastMap<(usize, Vec<u32>), Vec<usize>> = Default::default();
        for &a in ads {
            let name = added[a].1 .0.name();
            if !name.is_empty() {
                by_name.entry(name).or_default().push(a);
            }
            if added_tokens[a].0.is_some() {
                for b in 0..blocks {
                    by_block
                        .entry((b, signature(&added_tokens[a], b)))
                        .or_default()
                        .push(a);
                }
            }
        }
        let mut seen: Vec<usize> = Vec::with_capacity(RENAME_CANDIDATES_MAX);
        for &r in rs {
            seen.clear();
            let (oid, (oe, _)) = removed[r];
            let ot = &removed_tokens[r];
            let mut lists: Vec<&Vec<usize>> = Vec::with_capacity(blocks + 1);
            if !oe.name().is_empty() {
                lists.extend(by_name.get(oe.name()));
            }
            if ot.0.is_some() {
                for b in 0..blocks {
                    lists.extend(by_block.get(&(b, signature(ot, b))));
                }
            }
            'gather: for list in lists {
                for &a in list.iter().take(RENAME_CANDIDATES_MAX) {
                    if seen.len() == RENAME_CANDIDATES_MAX {
                        break 'gather;
                    }
                    if !seen.contains(&a) {
                        seen.push(a);
                    }
                }
            }
            for &a in &seen {
                compared += 1;
                let (nid, (ne, _)) = added[a];
                let sim = ot.similarity(&added_tokens[a]);
                let same_name = oe.name() == ne.name() && !oe.name().is_empty();
                if same_name || sim >= RENAME_SIMILARITY {
                    // Score in thousandths; the name counts as a strong signal.
                    let score = (sim * 1000.0) as u32 + if same_name { 1000 } else { 0 };
                    candidates.push((score, oid, nid));
                }
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
    (out, compared)
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
    fn fast_similarity_is_the_definition() {
        let values = [
            json!({}),
            json!({"name": "a"}),
            json!({"name": "a", "tags": []}),
            json!({"name": "a", "tags": ["x", "y"], "owner": null}),
            json!({"name": "b", "tags": ["y", "x"], "owner": "t"}),
            json!({"name": "a", "description": "", "holds": [{"entity": "e", "role": "copy"}]}),
            json!({"name": "a", "holds": [{"role": "copy", "entity": "e"}], "kind": "crm"}),
            json!({"name": "a", "holds": [{"role": "record", "entity": "e"}], "kind": "crm", "owner": "t"}),
            json!("not a record"),
        ];
        let mut interner = Interner::default();
        let tokens: Vec<Tokens> = values.iter().map(|v| interner.tokens(v)).collect();
        for (a, ta) in values.iter().zip(&tokens) {
            for (b, tb) in values.iter().zip(&tokens) {
                assert_eq!(ta.similarity(tb), similarity(a, b), "{a} {b}");
            }
        }
    }

    #[test]
    fn differing_fields_allowed_by_the_threshold() {
        // 4 of 5 equal is 80 %; 7 of 9 is not.
        assert_eq!(max_differing(5), 1);
        assert_eq!(max_differing(9), 1);
        assert_eq!(max_differing(10), 2);
        assert_eq!(max_differing(0), 0);
    }

    #[test]
    fn duplicate_values_in_lists_count() {
        let ch = field_changes(&json!({"t": ["a"]}), &json!({"t": ["a", "a"]}));
        assert_eq!(ch.len(), 1);
        assert_eq!(ch[0].op, FieldOp::Added);
    }
}
