//! Diff drawings: one view of two versions of a model, for review.
//!
//! The view is built on both graphs (same state, no findings overlay) and the
//! two [`Diagram`]s are merged by key: everything NEW draws, plus what only
//! OLD draws, added back (an edge whose end exists only in OLD connects to
//! that drawn-back node). Each element then gets at most one diff mark:
//! - only in OLD's diagram: [`Mark::Removed`];
//! - only in NEW's diagram: [`Mark::Added`] (new, or newly in this view, e.g.
//!   after a lifecycle change);
//! - in both, for an element that is an entity (node `sys-<id>`, edge
//!   `int-<id>` / `xchg-<id>`, …): the classification of the model diff
//!   ([`DiffMarks`]);
//! - in both, for a derived edge (OV-5b hand-offs `flow-…`, SV-1 interfaces
//!   `if-…`, DIV-2 relations `rel-…`): [`Mark::Changed`] when its label or
//!   direction differs, and, for an SV-1 interface, when one of the
//!   integrations behind it is marked.
//!
//! Only the change is emphasised: the other emphases (lineage focus and
//! missing, PII) are dropped, their meaning stays in the node text; lifecycle
//! dashes stay on unchanged elements, a diff mark replaces them. Diagram
//! keys, so SVG ids, stay unique. Everything is in diagram order, so the same
//! inputs give the same bytes.

use std::collections::{BTreeMap, BTreeSet};

use super::diagram::{Diagram, Edge, Flow, Lanes, LegendItem, Mark, Node, Swatch};
use super::{export, layout, views, Rendered, View};
use crate::graph::Graph;
use crate::model::{Kind, State};

/// Entity ids classified by the model diff.
#[derive(Clone, Debug, Default)]
pub struct DiffMarks {
    /// Ids only in NEW.
    pub added: BTreeSet<String>,
    /// Ids only in OLD.
    pub removed: BTreeSet<String>,
    /// Ids in both whose definition differs.
    pub changed: BTreeSet<String>,
}

impl DiffMarks {
    /// The mark of an entity id (added before removed before changed).
    pub fn mark_of(&self, id: &str) -> Option<Mark> {
        if self.added.contains(id) {
            Some(Mark::Added)
        } else if self.removed.contains(id) {
            Some(Mark::Removed)
        } else if self.changed.contains(id) {
            Some(Mark::Changed)
        } else {
            None
        }
    }
}

/// Longest subtitle kept (characters); longer ones end with `…`.
const SUBTITLE_MAX: usize = 120;

/// The note of a Mermaid diff whose view has no change.
pub const NO_CHANGE: &str = "no change in this view";

/// The chosen view of NEW with OLD's removed elements drawn in, marked.
/// None when the view cannot be built (e.g. lineage of an entity neither side has).
pub fn render_diff(
    view: &View,
    old: &Graph<'_>,
    new: &Graph<'_>,
    state: State,
    marks: &DiffMarks,
    subtitle: &str,
) -> Option<Rendered> {
    let diagram = diff_diagram(view, old, new, state, marks, subtitle)?;
    let layout = layout::layout(&diagram);
    Some(Rendered { diagram, layout })
}

/// Mermaid flowchart of the changed neighbourhood: changed/added/removed elements plus their direct
/// neighbours in the merged view, for a GitHub comment. Returns the Mermaid source (no ``` fences).
///
/// Kept: every marked node and edge, every edge touching a marked node,
/// and the nodes at their ends. Labels of marked elements start with the
/// mark's glyph (`+`, `−`, `Δ`), so the change reads without colour. When
/// nothing in the view changed (or the view exists in neither version), a
/// flowchart with the single note [`NO_CHANGE`].
pub fn diff_mermaid(
    view: &View,
    old: &Graph<'_>,
    new: &Graph<'_>,
    state: State,
    marks: &DiffMarks,
) -> String {
    let mut d = match diff_diagram(view, old, new, state, marks, "") {
        Some(d) => neighbourhood(&d),
        None => Diagram::blank(&view.id(), &view.title(), "", Flow::LeftRight),
    };
    d.title = format!("{} — changes", d.title);
    if d.nodes.is_empty() {
        d.edges.clear();
        d.empty_note = Some(NO_CHANGE.to_string());
    }
    export::to_mermaid(&d)
}

/// The merged, marked diagram of one view (what [`render_diff`] lays out);
/// for other exporters (DOT). `subtitle` is appended to the title.
pub fn diff_diagram(
    view: &View,
    old: &Graph<'_>,
    new: &Graph<'_>,
    state: State,
    marks: &DiffMarks,
    subtitle: &str,
) -> Option<Diagram> {
    let opts = views::ViewOptions {
        state,
        findings: None,
        flow: None,
    };
    let d_old = views::build(view, old, &opts);
    let d_new = views::build(view, new, &opts);
    let ctx = Ctx {
        old,
        new,
        state,
        marks,
        interfaces: *view == View::Sv1,
    };
    let mut d = merge(d_old, d_new, &ctx)?;
    let subtitle = clean_subtitle(subtitle);
    if !subtitle.is_empty() {
        d.title = format!("{} — {subtitle}", d.title);
    }
    Some(d)
}

/// What the merge needs besides the two diagrams.
struct Ctx<'a, 'g> {
    old: &'a Graph<'g>,
    new: &'a Graph<'g>,
    state: State,
    marks: &'a DiffMarks,
    /// Derived system–system edges stand for integrations (SV-1).
    interfaces: bool,
}

impl Ctx<'_, '_> {
    /// The entity id behind a diagram key (`sys-crm` → `crm`), if the key
    /// is an entity's in either graph; None for derived keys.
    fn entity_of<'k>(&self, key: &'k str) -> Option<&'k str> {
        let (_, id) = key.split_once('-')?;
        [self.new, self.old]
            .into_iter()
            .any(|g| g.node(id).is_some_and(|n| g.key(n) == key))
            .then_some(id)
    }

    /// The diff mark of an SV-1 interface between systems `a` and `b`
    /// drawn in both versions: changed if any integration between them
    /// (in either version, present in the state) is marked.
    fn interface_changed(&self, a: &str, b: &str) -> bool {
        [self.new, self.old].into_iter().any(|g| {
            g.present_of(Kind::Integration, self.state).any(|i| {
                let Some((s, t)) = g.ends(i) else {
                    return false;
                };
                let (s, t) = (g.entity(s).id().as_str(), g.entity(t).id().as_str());
                ((s == a && t == b) || (s == b && t == a))
                    && self.marks.mark_of(g.entity(i).id().as_str()).is_some()
            })
        })
    }
}

/// Marks that compete with the diff's emphasis and are dropped.
fn competing(m: Mark) -> bool {
    matches!(
        m,
        Mark::Focus
            | Mark::Missing
            | Mark::Pii
            | Mark::FindingError
            | Mark::FindingWarning
            | Mark::FindingInfo
            | Mark::FindingRelated
    )
}

fn mark_word(m: Mark) -> &'static str {
    match m {
        Mark::Added => "added",
        Mark::Removed => "removed",
        _ => "changed",
    }
}

fn glyph(m: Mark) -> &'static str {
    match m {
        Mark::Added => "+",
        Mark::Removed => "\u{2212}",
        _ => "\u{394}",
    }
}

/// Drops competing marks, adds the diff mark and says it in the tooltip.
fn apply(marks: &mut Vec<Mark>, tooltip: &mut String, m: Option<Mark>) {
    marks.retain(|&m| !competing(m) && !m.is_diff());
    if let Some(m) = m {
        marks.push(m);
        *tooltip = if tooltip.is_empty() {
            mark_word(m).to_string()
        } else {
            format!("{}: {tooltip}", mark_word(m))
        };
    }
}

fn diff_of(marks: &[Mark]) -> Option<Mark> {
    Mark::DIFF.into_iter().find(|m| marks.contains(m))
}

/// Merges OLD's and NEW's diagram of one view; None if neither exists.
fn merge(old: Option<Diagram>, new: Option<Diagram>, ctx: &Ctx<'_, '_>) -> Option<Diagram> {
    let base = new.as_ref().or(old.as_ref())?;
    let mut d = Diagram::blank(&base.view, &base.title, &base.footer, base.flow);
    let empty_note = base.empty_note.clone();
    let old = old.unwrap_or_else(|| Diagram::blank(&d.view, &d.title, &d.footer, d.flow));
    let new = new.unwrap_or_else(|| Diagram::blank(&d.view, &d.title, &d.footer, d.flow));

    // Groups: NEW's, then those only OLD has (by key).
    let mut group_index: BTreeMap<String, usize> = BTreeMap::new();
    for g in new.groups.iter().chain(&old.groups) {
        if !group_index.contains_key(&g.key) {
            group_index.insert(g.key.clone(), d.groups.len());
            d.groups.push(g.clone());
        }
    }
    let regroup = |from: &Diagram, gi: Option<usize>| {
        gi.and_then(|i| from.groups.get(i))
            .and_then(|g| group_index.get(&g.key))
            .copied()
    };

    // Nodes: NEW's in order (indices unchanged), then OLD-only ones.
    let old_nodes: BTreeMap<&str, usize> = first_index(old.nodes.iter().map(|n| n.key.as_str()));
    let mut node_index: BTreeMap<String, usize> = BTreeMap::new();
    for n in &new.nodes {
        let mut n = n.clone();
        n.group = regroup(&new, n.group);
        let mark = match old_nodes.get(n.key.as_str()) {
            None => Some(Mark::Added),
            Some(&o) => match ctx.entity_of(&n.key) {
                Some(id) => ctx.marks.mark_of(id),
                None => node_differs(&old.nodes[o], &n).then_some(Mark::Changed),
            },
        };
        apply(&mut n.marks, &mut n.tooltip, mark);
        node_index.entry(n.key.clone()).or_insert(d.nodes.len());
        d.nodes.push(n);
    }
    let mut old_only = Vec::new();
    for (oi, n) in old.nodes.iter().enumerate() {
        if node_index.contains_key(&n.key) {
            continue;
        }
        let mut n = n.clone();
        n.group = regroup(&old, n.group);
        apply(&mut n.marks, &mut n.tooltip, Some(Mark::Removed));
        node_index.insert(n.key.clone(), d.nodes.len());
        d.nodes.push(n);
        old_only.push(oi);
    }
    // Swimlanes: the columns of both in their common order, each node in
    // its own version's column.
    if new.lanes.is_some() || old.lanes.is_some() {
        let none = Lanes::default();
        let (nl, ol) = (
            new.lanes.as_ref().unwrap_or(&none),
            old.lanes.as_ref().unwrap_or(&none),
        );
        let columns = merge_order(&nl.columns, &ol.columns);
        let col_of = |l: &Lanes, i: usize| {
            let name = l.columns.get(l.column.get(i).copied().flatten()?)?;
            columns.iter().position(|c| c == name)
        };
        let column = (0..new.nodes.len())
            .map(|i| col_of(nl, i))
            .chain(old_only.iter().map(|&oi| col_of(ol, oi)))
            .collect();
        d.lanes = Some(Lanes { columns, column });
    }

    // Edges: matched by key (the k-th edge of a key with the k-th).
    let old_edges: BTreeMap<(&str, usize), usize> = occurrences(&old.edges)
        .into_iter()
        .enumerate()
        .map(|(i, occ)| (occ, i))
        .collect();
    let mut matched = BTreeSet::new();
    for (e, occ) in new.edges.iter().zip(occurrences(&new.edges)) {
        if e.from >= new.nodes.len() || e.to >= new.nodes.len() {
            continue;
        }
        let mut e = e.clone();
        let twin = old_edges
            .get(&occ)
            .and_then(|&i| old.edges.get(i).map(|o| (i, o)));
        let mark = match twin {
            None => Some(Mark::Added),
            Some((i, o)) => {
                matched.insert(i);
                edge_mark(&d, &old, o, &e, ctx)
            }
        };
        apply(&mut e.marks, &mut e.tooltip, mark);
        d.edges.push(e);
    }
    for (i, e) in old.edges.iter().enumerate() {
        if matched.contains(&i) {
            continue;
        }
        let ends = (old.nodes.get(e.from), old.nodes.get(e.to));
        let (Some(a), Some(b)) = ends else { continue };
        let (Some(&from), Some(&to)) = (node_index.get(&a.key), node_index.get(&b.key)) else {
            continue;
        };
        let mut e = e.clone();
        e.from = from;
        e.to = to;
        apply(&mut e.marks, &mut e.tooltip, Some(Mark::Removed));
        d.edges.push(e);
    }

    d.legend = legend(&d, &new, &old);
    if d.nodes.is_empty() {
        d.empty_note = empty_note;
    }
    unique_keys(d.nodes.iter_mut().map(|n| &mut n.key));
    unique_keys(d.edges.iter_mut().map(|e| &mut e.key));
    Some(d)
}

/// Two orders of columns merged into one that keeps both (NEW's first
/// where they disagree); each name once.
fn merge_order(a: &[String], b: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let next = match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x == y => {
                i += 1;
                j += 1;
                x
            }
            // take from `b` first only what `a` does not hold further on
            (Some(x), Some(y)) if a[i..].contains(y) || !b[j..].contains(x) => {
                i += 1;
                x
            }
            (_, Some(y)) => {
                j += 1;
                y
            }
            (Some(x), None) => {
                i += 1;
                x
            }
            (None, None) => break,
        };
        if !out.contains(next) {
            out.push(next.clone());
        }
    }
    out
}

/// Whether a node without an entity behind it is drawn differently.
fn node_differs(a: &Node, b: &Node) -> bool {
    a.label != b.label || a.sublabel != b.sublabel || a.lines != b.lines || a.shape != b.shape
}

/// The mark of an edge drawn in both versions.
fn edge_mark(
    merged: &Diagram,
    old: &Diagram,
    o: &Edge,
    e: &Edge,
    ctx: &Ctx<'_, '_>,
) -> Option<Mark> {
    if let Some(id) = ctx.entity_of(&e.key) {
        return ctx.marks.mark_of(id);
    }
    let reshaped = o.label != e.label
        || o.both_ways != e.both_ways
        || old.nodes.get(o.from).map(|n| &n.key) != merged.nodes.get(e.from).map(|n| &n.key)
        || old.nodes.get(o.to).map(|n| &n.key) != merged.nodes.get(e.to).map(|n| &n.key);
    let behind = ctx.interfaces
        && match (
            merged.nodes.get(e.from).and_then(|n| ctx.entity_of(&n.key)),
            merged.nodes.get(e.to).and_then(|n| ctx.entity_of(&n.key)),
        ) {
            (Some(a), Some(b)) => ctx.interface_changed(a, b),
            _ => false,
        };
    (reshaped || behind).then_some(Mark::Changed)
}

/// Index of the first occurrence of each key.
fn first_index<'k>(keys: impl Iterator<Item = &'k str>) -> BTreeMap<&'k str, usize> {
    let mut out = BTreeMap::new();
    for (i, k) in keys.enumerate() {
        out.entry(k).or_insert(i);
    }
    out
}

/// (key, how many edges with that key came before) per edge.
fn occurrences(edges: &[Edge]) -> Vec<(&str, usize)> {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    edges
        .iter()
        .map(|e| {
            let k = seen.entry(e.key.as_str()).or_insert(0);
            *k += 1;
            (e.key.as_str(), *k - 1)
        })
        .collect()
}

/// Makes keys unique in order: a repeated key gets `~2`, `~3`, … (the first
/// suffix not taken).
fn unique_keys<'a>(keys: impl Iterator<Item = &'a mut String>) {
    let keys: Vec<&mut String> = keys.collect();
    let mut taken: BTreeSet<String> = keys.iter().map(|k| k.to_string()).collect();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for k in keys {
        if seen.insert(k.clone()) {
            continue;
        }
        let mut i = 2;
        let fresh = loop {
            let c = format!("{k}~{i}");
            if !taken.contains(&c) {
                break c;
            }
            i += 1;
        };
        taken.insert(fresh.clone());
        seen.insert(fresh.clone());
        *k = fresh;
    }
}

/// The merged legend: both versions' entries (without those of dropped
/// marks), lifecycle entries only if an unchanged element still shows the
/// style, then one entry per diff mark in use.
fn legend(d: &Diagram, new: &Diagram, old: &Diagram) -> Vec<LegendItem> {
    let mut out: Vec<LegendItem> = Vec::new();
    for item in new.legend.iter().chain(&old.legend) {
        if let Swatch::Outline(m) = item.swatch {
            if competing(m) || matches!(m, Mark::Planned | Mark::Retiring) {
                continue;
            }
        }
        if !out.contains(item) {
            out.push(item.clone());
        }
    }
    let all_marks = || {
        d.nodes
            .iter()
            .map(|n| &n.marks)
            .chain(d.edges.iter().map(|e| &e.marks))
    };
    for m in [Mark::Planned, Mark::Retiring] {
        if all_marks().any(|ms| ms.contains(&m) && diff_of(ms).is_none()) {
            out.extend(views::lifecycle_legend_item(m));
        }
    }
    for m in Mark::DIFF {
        if all_marks().any(|ms| ms.contains(&m)) {
            let text = match m {
                Mark::Added => "added (+): new in this version, or newly in this view",
                Mark::Removed => "removed (\u{2212}): only in the old version, drawn back in faded",
                _ => "changed (\u{394}): in both versions, its definition changed",
            };
            out.push(LegendItem {
                swatch: Swatch::Outline(m),
                text: text.into(),
            });
        }
    }
    out
}

/// One line, no control characters, at most [`SUBTITLE_MAX`] characters.
fn clean_subtitle(s: &str) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let t = one_line.trim();
    if t.chars().count() > SUBTITLE_MAX {
        let mut cut: String = t.chars().take(SUBTITLE_MAX - 1).collect();
        cut.push('…');
        cut
    } else {
        t.to_string()
    }
}

/// The marked elements of a merged diagram and their direct neighbours,
/// with the mark's glyph in front of each marked label.
fn neighbourhood(d: &Diagram) -> Diagram {
    let marked = |ms: &[Mark]| diff_of(ms).is_some();
    let n = d.nodes.len();
    let edges: Vec<&Edge> = d
        .edges
        .iter()
        .filter(|e| e.from < n && e.to < n)
        .filter(|e| {
            marked(&e.marks) || marked(&d.nodes[e.from].marks) || marked(&d.nodes[e.to].marks)
        })
        .collect();
    let mut keep = vec![false; n];
    for (i, node) in d.nodes.iter().enumerate() {
        keep[i] = marked(&node.marks);
    }
    for e in &edges {
        keep[e.from] = true;
        keep[e.to] = true;
    }
    let mut index = vec![usize::MAX; n];
    let mut out = Diagram::blank(&d.view, &d.title, &d.footer, d.flow);
    out.groups = d.groups.clone();
    for (i, node) in d.nodes.iter().enumerate().filter(|(i, _)| keep[*i]) {
        let mut node = node.clone();
        if let Some(m) = diff_of(&node.marks) {
            node.label = format!("{} {}", glyph(m), node.label);
        }
        index[i] = out.nodes.len();
        out.nodes.push(node);
    }
    // all columns stay (their order is what the exporters need)
    out.lanes = d.lanes.as_ref().map(|l| Lanes {
        columns: l.columns.clone(),
        column: (0..n)
            .filter(|&i| keep[i])
            .map(|i| l.column.get(i).copied().flatten())
            .collect(),
    });
    for e in edges {
        let mut e = e.clone();
        e.from = index[e.from];
        e.to = index[e.to];
        if let Some(m) = diff_of(&e.marks) {
            match e.label.first_mut() {
                Some(first) => *first = format!("{} {first}", glyph(m)),
                None => e.label.push(glyph(m).to_string()),
            }
        }
        out.edges.push(e);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::tests::model;
    use crate::model::Model;
    use crate::render::svg::Theme;

    const SV_OLD: &str = r#"(systems: [
            (id: "crm", name: "CRM", kind: crm, holds: [(entity: "lead", role: record)]),
            (id: "dw", name: "Warehouse", kind: data_warehouse),
            (id: "old-bi", name: "Old BI", kind: bi),
        ], integrations: [
            (id: "crm-dw", name: "CRM to DW", source: "crm", target: "dw", carries: ["lead"], mechanism: batch_etl, frequency: daily),
            (id: "dw-bi", name: "DW to BI", source: "dw", target: "old-bi", carries: ["lead"], mechanism: batch_etl, frequency: daily),
        ])"#;
    const SV_NEW: &str = r#"(systems: [
            (id: "crm", name: "CRM", kind: crm, holds: [(entity: "lead", role: record)]),
            (id: "dw", name: "Warehouse", kind: data_warehouse),
            (id: "new-bi", name: "New BI", kind: bi),
        ], integrations: [
            (id: "crm-dw", name: "CRM to DW", source: "crm", target: "dw", carries: ["lead"], mechanism: batch_etl, frequency: hourly),
            (id: "dw-new-bi", name: "DW to new BI", source: "dw", target: "new-bi", carries: ["lead"], mechanism: reverse_etl, frequency: daily),
        ])"#;
    const DIV: &str = r#"(entities: [(id: "lead", name: "Lead", classification: pii)])"#;

    fn models(old_sv: &str, new_sv: &str) -> (Model, Model) {
        (
            model(&[("sv.ron", old_sv), ("div.ron", DIV)]),
            model(&[("sv.ron", new_sv), ("div.ron", DIV)]),
        )
    }

    fn marks(added: &[&str], removed: &[&str], changed: &[&str]) -> DiffMarks {
        let set = |s: &[&str]| s.iter().map(|s| s.to_string()).collect();
        DiffMarks {
            added: set(added),
            removed: set(removed),
            changed: set(changed),
        }
    }

    fn sv_marks() -> DiffMarks {
        marks(&["new-bi", "dw-new-bi"], &["old-bi", "dw-bi"], &["crm-dw"])
    }

    /// key → diff mark of every node and edge.
    fn marked(d: &Diagram) -> BTreeMap<String, Option<Mark>> {
        d.nodes
            .iter()
            .map(|n| (n.key.clone(), diff_of(&n.marks)))
            .chain(
                d.edges
                    .iter()
                    .map(|e| (format!("edge:{}", e.key), diff_of(&e.marks))),
            )
            .collect()
    }

    /// The `<g …>` opening tag and body of the element with this id.
    fn svg_group<'s>(svg: &'s str, id: &str) -> &'s str {
        let start = svg
            .find(&format!("<g id=\"{id}\""))
            .unwrap_or_else(|| panic!("no {id} in\n{svg}"));
        let end = start + svg[start..].find("</g>").unwrap();
        &svg[start..end]
    }

    #[test]
    fn merge_marks_added_removed_changed_nodes_and_edges() {
        let (o, n) = models(SV_OLD, SV_NEW);
        let (old, new) = (Graph::build(&o), Graph::build(&n));
        let d = diff_diagram(&View::Sv2, &old, &new, State::ToBe, &sv_marks(), "").unwrap();
        let got = marked(&d);
        let want: BTreeMap<String, Option<Mark>> = [
            ("sys-crm", None),
            ("sys-dw", None),
            ("sys-new-bi", Some(Mark::Added)),
            ("sys-old-bi", Some(Mark::Removed)),
            ("edge:int-crm-dw", Some(Mark::Changed)),
            ("edge:int-dw-new-bi", Some(Mark::Added)),
            ("edge:int-dw-bi", Some(Mark::Removed)),
        ]
        .into_iter()
        .map(|(k, m)| (k.to_string(), m))
        .collect();
        assert_eq!(got, want);
        // NEW's nodes keep their order; the removed one comes after them and
        // its integration connects to it.
        let keys: Vec<&str> = d.nodes.iter().map(|n| n.key.as_str()).collect();
        assert_eq!(keys, ["sys-crm", "sys-dw", "sys-new-bi", "sys-old-bi"]);
        let removed = d.edges.iter().find(|e| e.key == "int-dw-bi").unwrap();
        assert_eq!((removed.from, removed.to), (1, 3));
        assert!(
            d.nodes[3].tooltip.starts_with("removed: "),
            "{:?}",
            d.nodes[3]
        );
        // competing emphasis dropped, legend has exactly the marks in use
        assert!(d.nodes.iter().all(|n| !n.marks.contains(&Mark::Pii)));
        let outlines: Vec<Mark> = d
            .legend
            .iter()
            .filter_map(|l| match l.swatch {
                Swatch::Outline(m) => Some(m),
                _ => None,
            })
            .collect();
        assert_eq!(outlines, [Mark::Added, Mark::Removed, Mark::Changed]);
        // the layout holds its promises on the merged diagram
        let r = render_diff(&View::Sv2, &old, &new, State::ToBe, &sv_marks(), "").unwrap();
        assert_eq!(
            layout::check_invariants(&r.diagram, &r.layout),
            Vec::<String>::new()
        );
    }

    #[test]
    fn removed_system_and_its_integrations_are_dashed_and_faded() {
        let (o, n) = models(SV_OLD, SV_NEW);
        let (old, new) = (Graph::build(&o), Graph::build(&n));
        let r = render_diff(&View::Sv2, &old, &new, State::ToBe, &sv_marks(), "").unwrap();
        for theme in [Theme::Light, Theme::Dark, Theme::Print] {
            let svg = r.svg(theme);
            for id in ["sys-old-bi", "edge-int-dw-bi"] {
                let g = svg_group(&svg, id);
                assert!(g.contains(" removed\" opacity=\"0.6\">"), "{theme:?} {g}");
                assert!(g.contains("stroke-dasharray=\"8 3 2 3\""), "{theme:?} {g}");
                assert!(g.contains(">\u{2212}</text>"), "{theme:?} {g}");
            }
            let added = svg_group(&svg, "sys-new-bi");
            assert!(added.contains("stroke-width=\"3.0\""), "{added}");
            assert!(!added.contains("stroke-dasharray"), "{added}");
            assert!(added.contains(">+</text>"), "{added}");
            let changed = svg_group(&svg, "edge-int-crm-dw");
            assert!(changed.contains(">\u{394}</text>"), "{changed}");
            assert!(changed.contains("stroke-width=\"2.5\""), "{changed}");
            // print tells the three apart without colour: dash patterns
            if theme == Theme::Print {
                assert!(changed.contains("stroke-dasharray=\"4 2\""), "{changed}");
            }
            let plain = svg_group(&svg, "sys-crm");
            assert!(plain.contains("class=\"node\">"), "{plain}");
            assert!(!plain.contains("<circle"), "{plain}");
        }
        // colours: Okabe–Ito bluish green, vermillion, blue in light
        let svg = r.svg(Theme::Light);
        assert!(svg_group(&svg, "sys-new-bi").contains("stroke=\"#009e73\""));
        assert!(svg_group(&svg, "sys-old-bi").contains("stroke=\"#d55e00\""));
        assert!(svg_group(&svg, "edge-int-crm-dw").contains("stroke=\"#0072b2\""));
    }

    #[test]
    fn unchanged_model_gives_no_marks() {
        let (o, n) = models(SV_OLD, SV_OLD);
        let (old, new) = (Graph::build(&o), Graph::build(&n));
        let mut views = View::DEFAULT.to_vec();
        views.push(View::Lineage("lead".into()));
        for view in &views {
            for state in State::ALL {
                let plain = views::build(
                    view,
                    &new,
                    &views::ViewOptions {
                        state,
                        findings: None,
                        flow: None,
                    },
                )
                .unwrap();
                let d = diff_diagram(view, &old, &new, state, &DiffMarks::default(), "").unwrap();
                assert!(
                    marked(&d).values().all(Option::is_none),
                    "{}: {:?}",
                    view.id(),
                    marked(&d)
                );
                assert_eq!(d.nodes.len(), plain.nodes.len());
                assert_eq!(d.edges.len(), plain.edges.len());
                assert!(!d
                    .legend
                    .iter()
                    .any(|l| matches!(l.swatch, Swatch::Outline(m) if m.is_diff())));
                let mm = diff_mermaid(view, &old, &new, state, &DiffMarks::default());
                assert!(mm.contains(&format!("  empty[\"{NO_CHANGE}\"]\n")), "{mm}");
                assert!(!mm.contains(" n0"), "{mm}");
            }
        }
    }

    #[test]
    fn derived_edges_are_compared_by_presence_and_label() {
        let ov_old = r#"(performers: [(id: "mk", name: "Marketing"), (id: "sales", name: "Sales")],
            activities: [
              (id: "capture", name: "Capture", performer: "mk", stage: capture, order: 1, outputs: ["lead"]),
              (id: "qualify", name: "Qualify", performer: "sales", stage: qualify, order: 2, inputs: ["lead"]),
              (id: "close", name: "Close", performer: "sales", stage: close, order: 3, inputs: ["lead"]),
            ])"#;
        let ov_new = r#"(performers: [(id: "mk", name: "Marketing"), (id: "sales", name: "Sales")],
            activities: [
              (id: "capture", name: "Capture", performer: "mk", stage: capture, order: 1, outputs: ["lead", "deal"]),
              (id: "qualify", name: "Qualify", performer: "sales", stage: qualify, order: 2, inputs: ["lead", "deal"]),
              (id: "close", name: "Close", performer: "sales", stage: close, order: 3),
            ])"#;
        let div_old = r#"(entities: [(id: "lead", name: "Lead", relations: [(to: "deal", cardinality: one_to_one)]),
                                     (id: "deal", name: "Deal")])"#;
        let div_new = r#"(entities: [(id: "lead", name: "Lead", relations: [(to: "deal", cardinality: one_to_many)]),
                                     (id: "deal", name: "Deal")])"#;
        let o = model(&[("ov.ron", ov_old), ("div.ron", div_old)]);
        let n = model(&[("ov.ron", ov_new), ("div.ron", div_new)]);
        let (old, new) = (Graph::build(&o), Graph::build(&n));
        // the caller marks only entities; derived edges follow from the drawings
        let m = marks(&[], &[], &["capture", "qualify", "close", "lead"]);
        let d = diff_diagram(&View::Ov5b, &old, &new, State::ToBe, &m, "").unwrap();
        let got = marked(&d);
        assert_eq!(
            got["edge:flow-act-capture-act-qualify"],
            Some(Mark::Changed),
            "label lead → deal, lead"
        );
        assert_eq!(got["edge:flow-act-capture-act-close"], Some(Mark::Removed));
        assert_eq!(got["act-close"], Some(Mark::Changed));
        let d = diff_diagram(&View::Div2, &old, &new, State::ToBe, &m, "").unwrap();
        let got = marked(&d);
        assert_eq!(got["edge:rel-data-lead-data-deal"], Some(Mark::Changed));
        assert_eq!(got["data-deal"], None);
        // unchanged derived edge: no mark
        let d = diff_diagram(&View::Div2, &old, &old, State::ToBe, &m, "").unwrap();
        assert_eq!(marked(&d)["edge:rel-data-lead-data-deal"], None);
    }

    #[test]
    fn sv1_interface_changes_with_the_integrations_behind_it() {
        let (o, n) = models(SV_OLD, SV_NEW);
        let (old, new) = (Graph::build(&o), Graph::build(&n));
        let d = diff_diagram(&View::Sv1, &old, &new, State::ToBe, &sv_marks(), "").unwrap();
        let got = marked(&d);
        assert_eq!(got["edge:if-sys-crm-sys-dw"], Some(Mark::Changed));
        assert_eq!(got["edge:if-sys-dw-sys-new-bi"], Some(Mark::Added));
        assert_eq!(got["edge:if-sys-dw-sys-old-bi"], Some(Mark::Removed));
        let quiet = marks(&["new-bi", "dw-new-bi"], &["old-bi", "dw-bi"], &[]);
        let d = diff_diagram(&View::Sv1, &old, &new, State::ToBe, &quiet, "").unwrap();
        assert_eq!(marked(&d)["edge:if-sys-crm-sys-dw"], None);
    }

    #[test]
    fn lifecycle_change_shows_as_presence_in_the_state() {
        // the BI tool retires in NEW: gone from the to-be view, so removed there
        let retiring = SV_OLD
            .replace(
                r#"(id: "old-bi", name: "Old BI", kind: bi)"#,
                r#"(id: "old-bi", name: "Old BI", kind: bi, lifecycle: retiring)"#,
            )
            .replace(
                "frequency: daily),\n        ])",
                "frequency: daily, lifecycle: retiring),\n        ])",
            );
        assert_eq!(retiring.matches("retiring").count(), 2);
        let (o, n) = models(SV_OLD, &retiring);
        let (old, new) = (Graph::build(&o), Graph::build(&n));
        let m = marks(&[], &[], &["old-bi", "dw-bi"]);
        let d = diff_diagram(&View::Sv1, &old, &new, State::ToBe, &m, "").unwrap();
        assert_eq!(marked(&d)["sys-old-bi"], Some(Mark::Removed));
        assert_eq!(marked(&d)["edge:if-sys-dw-sys-old-bi"], Some(Mark::Removed));
        // as-is still has it, changed (and its retiring style gives way)
        let r = render_diff(&View::Sv1, &old, &new, State::AsIs, &m, "").unwrap();
        assert_eq!(marked(&r.diagram)["sys-old-bi"], Some(Mark::Changed));
        let svg = r.svg(Theme::Light);
        let g = svg_group(&svg, "sys-old-bi");
        assert!(g.contains("class=\"node retiring changed\""), "{g}");
        assert!(!g.contains("stroke-dasharray"), "{g}");
        // no unchanged element is retiring: no retiring legend entry
        assert!(!r
            .diagram
            .legend
            .iter()
            .any(|l| l.swatch == Swatch::Outline(Mark::Retiring)));
    }

    #[test]
    fn lineage_on_one_side_only() {
        let with = r#"(entities: [(id: "lead", name: "Lead")])"#;
        let without = r#"(entities: [(id: "other", name: "Other")])"#;
        let sv = r#"(systems: [
            (id: "crm", name: "CRM", kind: crm, holds: [(entity: "lead", role: record)]),
            (id: "dw", name: "DW", kind: data_warehouse)],
          integrations: [(id: "i", name: "i", source: "crm", target: "dw", carries: ["lead"], mechanism: api, frequency: daily)])"#;
        let sv_without = r#"(systems: [(id: "crm", name: "CRM", kind: crm), (id: "dw", name: "DW", kind: data_warehouse)])"#;
        let o = model(&[("sv.ron", sv), ("div.ron", with)]);
        let n = model(&[("sv.ron", sv_without), ("div.ron", without)]);
        let (old, new) = (Graph::build(&o), Graph::build(&n));
        let view = View::Lineage("lead".into());
        let m = marks(&["other"], &["lead", "i"], &["crm"]);
        let d = diff_diagram(&view, &old, &new, State::ToBe, &m, "").unwrap();
        assert!(!d.nodes.is_empty());
        assert!(marked(&d).values().all(|m| *m == Some(Mark::Removed)));
        assert!(d.nodes.iter().all(|n| !n.marks.contains(&Mark::Focus)));
        let back = diff_diagram(&view, &new, &old, State::ToBe, &m, "").unwrap();
        assert!(marked(&back).values().all(|m| *m == Some(Mark::Added)));
        let none = View::Lineage("nobody".into());
        assert!(render_diff(&none, &old, &new, State::ToBe, &m, "").is_none());
        let mm = diff_mermaid(&none, &old, &new, State::ToBe, &m);
        assert!(mm.contains(NO_CHANGE), "{mm}");
    }

    #[test]
    fn keys_stay_unique() {
        let (o, n) = models(SV_OLD, SV_NEW);
        let (old, new) = (Graph::build(&o), Graph::build(&n));
        for view in View::DEFAULT {
            let d = diff_diagram(&view, &old, &new, State::ToBe, &sv_marks(), "").unwrap();
            let nodes: BTreeSet<&str> = d.nodes.iter().map(|n| n.key.as_str()).collect();
            let edges: BTreeSet<&str> = d.edges.iter().map(|e| e.key.as_str()).collect();
            assert_eq!(nodes.len(), d.nodes.len(), "{}", view.id());
            assert_eq!(edges.len(), d.edges.len(), "{}", view.id());
        }
        let mut keys = vec!["a".to_string(), "a".into(), "a~2".into(), "a".into()];
        unique_keys(keys.iter_mut());
        assert_eq!(keys, ["a", "a~3", "a~2", "a~4"]);
    }

    #[test]
    fn deterministic() {
        let (o, n) = models(SV_OLD, SV_NEW);
        let (old, new) = (Graph::build(&o), Graph::build(&n));
        for view in View::DEFAULT {
            let a = render_diff(&view, &old, &new, State::ToBe, &sv_marks(), "x")
                .unwrap()
                .svg(Theme::Light);
            let b = render_diff(&view, &old, &new, State::ToBe, &sv_marks(), "x")
                .unwrap()
                .svg(Theme::Light);
            assert!(a == b, "{}", view.id());
            let a = diff_mermaid(&view, &old, &new, State::ToBe, &sv_marks());
            let b = diff_mermaid(&view, &old, &new, State::ToBe, &sv_marks());
            assert_eq!(a, b);
        }
    }

    #[test]
    fn mermaid_keeps_the_changed_neighbourhood() {
        // crm → dw → old-bi / new-bi, plus a context system far away
        let extra = |sv: &str| {
            sv.replace(
                r#"(id: "old-bi""#,
                r#"(id: "far", name: "Far away", kind: other), (id: "far2", name: "Farther", kind: other), (id: "old-bi""#,
            )
            .replace(
                r#"(id: "new-bi""#,
                r#"(id: "far", name: "Far away", kind: other), (id: "far2", name: "Farther", kind: other), (id: "new-bi""#,
            )
            .replace(
                "frequency: daily),\n        ])",
                r#"frequency: daily), (id: "far-far2", name: "far", source: "far", target: "far2", mechanism: api, frequency: daily)])"#,
            )
        };
        let (o, n) = models(&extra(SV_OLD), &extra(SV_NEW));
        let (old, new) = (Graph::build(&o), Graph::build(&n));
        let m = marks(&["new-bi", "dw-new-bi"], &["old-bi", "dw-bi"], &[]);
        let mm = diff_mermaid(&View::Sv2, &old, &new, State::ToBe, &m);
        assert!(!mm.contains("Far away") && !mm.contains("far-far2"), "{mm}");
        // crm is no neighbour of a marked node; dw is
        assert!(
            !mm.contains("= sys-crm") && !mm.contains("int-crm-dw"),
            "{mm}"
        );
        assert!(mm.contains("= sys-dw"), "{mm}");
        assert!(mm.contains("(\"+ New BI<br/>BI\")"), "{mm}");
        assert!(mm.contains("(\"\u{2212} Old BI<br/>BI\")"), "{mm}");
        assert!(mm.contains("classDef added "), "{mm}");
        assert!(mm.contains("classDef removed "), "{mm}");
        assert!(!mm.contains("classDef changed"), "{mm}");
        assert!(mm.contains("class n1 added\n"), "{mm}");
        assert!(mm.contains("class n2 removed\n"), "{mm}");
        // linkStyle indices point at the right edges, removed ones dashed
        let edges: Vec<&str> = mm
            .lines()
            .filter(|l| l.starts_with("  %% e"))
            .map(|l| l.split(" = ").nth(1).unwrap())
            .collect();
        assert_eq!(edges, ["int-dw-new-bi", "int-dw-bi"]);
        assert!(
            mm.contains("  n0 ==>|\"+ reverse ETL · daily<br/>Lead\"| n1\n"),
            "{mm}"
        );
        assert!(
            mm.contains("  n0 -.->|\"\u{2212} batch ETL · daily<br/>Lead\"| n2\n"),
            "{mm}"
        );
        assert!(mm.contains("  linkStyle 0 stroke:#009e73"), "{mm}");
        assert!(mm.contains("  linkStyle 1 stroke:#d55e00"), "{mm}");
    }

    #[test]
    fn hostile_names_and_subtitle_stay_text() {
        let evil = r#"(systems: [
            (id: "a", name: "<script>alert(1)</script>", kind: crm, vendor: "\"--> n9[\"x\"]"),
            (id: "b", name: "B & 'C' -->|x| %%{init}%%", kind: bi)],
          integrations: [(id: "i", name: "</g><script>", source: "a", target: "b", mechanism: api, frequency: daily)])"#;
        let plain = r#"(systems: [(id: "b", name: "B", kind: bi)])"#;
        let o = model(&[("sv.ron", plain)]);
        let n = model(&[("sv.ron", evil)]);
        let (old, new) = (Graph::build(&o), Graph::build(&n));
        let m = marks(&["a", "i", "<script>"], &["\"-->"], &["b"]);
        let subtitle = "changes from <main> to \"HEAD\" & co\n<script>";
        let r = render_diff(&View::Sv2, &old, &new, State::ToBe, &m, subtitle).unwrap();
        for theme in [Theme::Light, Theme::Dark, Theme::Print] {
            let svg = r.svg(theme);
            assert!(!svg.contains("<script"), "{svg}");
            assert!(!svg.contains("</g><"), "{svg}");
            assert!(svg
                .contains("changes from &lt;main&gt; to &quot;HEAD&quot; &amp; co &lt;script&gt;"));
            resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default()).expect("valid SVG");
        }
        let mm = diff_mermaid(&View::Sv2, &old, &new, State::ToBe, &m);
        for line in mm.lines().skip(3) {
            let t = line.trim_start();
            if t.starts_with("%%") {
                assert!(!t.contains("%%{"), "{line}");
                continue;
            }
            assert_eq!(line.matches('"').count() % 2, 0, "{line}");
            for part in line.split('"').skip(1).step_by(2) {
                for bad in ["<script", "-->", "%%", "[", "|"] {
                    assert!(!part.contains(bad), "{bad} in {line}");
                }
            }
        }
        assert!(mm.contains("#lt;script#gt;alert#40;1#41;"), "{mm}");
    }

    #[test]
    fn long_subtitles_are_cut() {
        assert_eq!(clean_subtitle("  a\tb\n "), "a b");
        let long = "x".repeat(500);
        let c = clean_subtitle(&long);
        assert_eq!(c.chars().count(), SUBTITLE_MAX);
        assert!(c.ends_with('…'));
    }
}
