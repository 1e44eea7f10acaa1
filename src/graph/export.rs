//! The dependency graph written for other tools: Graphviz DOT and JSON.

use petgraph::visit::EdgeRef;
use serde::Serialize;

use super::{EdgeKind, Graph};
use crate::model::{Kind, Lifecycle, State};

/// One node of the JSON export.
#[derive(Serialize)]
pub struct JsonNode<'a> {
    /// The entity id.
    pub id: &'a str,
    /// Its kind.
    pub kind: Kind,
    /// Its viewpoint.
    pub viewpoint: &'static str,
    /// Display name.
    pub name: &'a str,
    /// Lifecycle.
    pub lifecycle: Lifecycle,
}

/// One edge of the JSON export.
#[derive(Serialize)]
pub struct JsonEdge<'a> {
    /// Source entity id.
    pub from: &'a str,
    /// Target entity id.
    pub to: &'a str,
    /// Relation.
    pub kind: EdgeKind,
}

/// The JSON export.
#[derive(Serialize)]
pub struct JsonGraph<'a> {
    /// Format version of this document.
    pub version: u32,
    /// The state the graph shows.
    pub state: State,
    /// Nodes in model order.
    pub nodes: Vec<JsonNode<'a>>,
    /// Edges in model order.
    pub edges: Vec<JsonEdge<'a>>,
}

fn edges_in(
    g: &Graph<'_>,
    state: State,
) -> Vec<(
    petgraph::graph::NodeIndex,
    petgraph::graph::NodeIndex,
    EdgeKind,
)> {
    let mut edges: Vec<_> = g
        .inner()
        .edge_references()
        .filter(|e| g.present(e.source(), state) && g.present(e.target(), state))
        .map(|e| (e.source(), e.target(), *e.weight()))
        .collect();
    edges.sort();
    edges
}

/// The graph of `state` as JSON (pretty-printed, stable order).
pub fn to_json(g: &Graph<'_>, state: State) -> String {
    let nodes = g
        .inner()
        .node_indices()
        .filter(|&n| g.present(n, state))
        .map(|n| {
            let e = g.entity(n);
            JsonNode {
                id: e.id().as_str(),
                kind: e.kind(),
                viewpoint: e.kind().viewpoint(),
                name: e.name(),
                lifecycle: e.lifecycle(),
            }
        })
        .collect();
    let edges = edges_in(g, state)
        .into_iter()
        .map(|(a, b, kind)| JsonEdge {
            from: g.entity(a).id().as_str(),
            to: g.entity(b).id().as_str(),
            kind,
        })
        .collect();
    let doc = JsonGraph {
        version: 1,
        state,
        nodes,
        edges,
    };
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

/// Escapes text for a double-quoted DOT string (line breaks centred).
pub fn dot_escape(s: &str) -> String {
    dot_text(s, "\\n")
}

/// Escapes text for a DOT double-quoted string. `\` and `"` get a
/// backslash (so Graphviz's own escapes like `\N` or `\l` cannot be smuggled
/// in), line breaks become `brk` (`\n` centres the line, `\l` left-aligns
/// it), carriage returns vanish and other control characters become spaces.
/// The one DOT escaper of the crate (the render exporters use it too).
pub fn dot_text(s: &str, brk: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str(brk),
            '\r' => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn colour(kind: Kind) -> &'static str {
    match kind.viewpoint() {
        "AV" => "#f2e8cf",
        "OV" => "#d8e8f8",
        "SV" => "#d9f0d9",
        "StdV" => "#f8e0c8",
        _ => "#eadcf4",
    }
}

/// The graph of `state` as a Graphviz digraph.
pub fn to_dot(g: &Graph<'_>, state: State) -> String {
    let mut out = String::new();
    let title = if g.model.av.name.is_empty() {
        "revarch".to_string()
    } else {
        g.model.av.name.clone()
    };
    out.push_str(&format!(
        "digraph \"{}\" {{\n  label=\"{} ({})\";\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n",
        dot_escape(&title),
        dot_escape(&title),
        state
    ));
    for n in g.inner().node_indices().filter(|&n| g.present(n, state)) {
        let e = g.entity(n);
        let style = match e.lifecycle() {
            Lifecycle::Current => "",
            Lifecycle::Planned => ", style=\"rounded,filled,dashed\"",
            Lifecycle::Retiring => ", style=\"rounded,filled,dotted\"",
        };
        out.push_str(&format!(
            "  \"{}\" [label=\"{}\\n({} {})\", fillcolor=\"{}\"{}];\n",
            dot_escape(&g.key(n)),
            dot_escape(e.name()),
            e.kind().viewpoint(),
            e.kind().label(),
            colour(e.kind()),
            style
        ));
    }
    for (a, b, kind) in edges_in(g, state) {
        out.push_str(&format!(
            "  \"{}\" -> \"{}\" [label=\"{}\"];\n",
            dot_escape(&g.key(a)),
            dot_escape(&g.key(b)),
            kind.as_str()
        ));
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::tests::model;

    fn sample() -> crate::model::Model {
        model(&[
            (
                "sv.ron",
                r#"(systems: [(id: "crm", name: "CRM \"main\"", kind: crm, holds: [(entity: "lead", role: record)]),
                                   (id: "old", name: "Old", kind: other, lifecycle: retiring)])"#,
            ),
            ("div.ron", r#"(entities: [(id: "lead", name: "Lead")])"#),
        ])
    }

    #[test]
    fn dot_escapes_and_filters_by_state() {
        let m = sample();
        let g = Graph::build(&m);
        let dot = to_dot(&g, State::ToBe);
        assert!(
            dot.contains(r#""sys-crm" [label="CRM \"main\"\n(SV system)""#),
            "{dot}"
        );
        assert!(
            dot.contains(r#""sys-crm" -> "data-lead" [label="masters"]"#),
            "{dot}"
        );
        assert!(!dot.contains("sys-old"), "retiring system is not in to-be");
        assert!(to_dot(&g, State::AsIs).contains("sys-old"));
    }

    #[test]
    fn json_is_stable_and_valid() {
        let m = sample();
        let g = Graph::build(&m);
        let a = to_json(&g, State::AsIs);
        assert_eq!(a, to_json(&g, State::AsIs));
        let v: serde_json::Value = serde_json::from_str(&a).unwrap();
        assert_eq!(v["nodes"].as_array().unwrap().len(), 3);
        assert_eq!(v["edges"][0]["kind"], "masters");
        assert_eq!(v["state"], "as-is");
    }
}
