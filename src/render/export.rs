//! A [`Diagram`] written for other tools: Graphviz DOT, Mermaid and the
//! ELK JSON graph.
//!
//! The exporters work from the abstract diagram only (no layout: Graphviz,
//! Mermaid and ELK lay the view out themselves), in diagram order, so the
//! same diagram always gives the same bytes.
//!
//! Invariant: every piece of model text (labels, keys, tooltips, title,
//! footer) goes through an escaper before it is written, and always lands
//! inside a quoted string (DOT) or a quoted label made of entity codes
//! (Mermaid), so no label can end its string early and add syntax. Mermaid
//! ids are never built from keys (`n0`, `n1`, … and `g0`, … instead), so
//! keys cannot clash with Mermaid keywords or arrow syntax.

use crate::graph::export::dot_text;
use std::fmt::Write as _;

use super::diagram::{metrics, Diagram, Edge, Flow, Mark, Node, Shape};
use super::layout::{GROUP_PAD, GROUP_TITLE_BAND};
use super::text::{label_size, node_size, text_width};

/// Light node fills by palette index (wraps around).
const FILLS: [&str; 8] = [
    "#dbeafe", "#dcfce7", "#fef3c7", "#f3e8ff", "#ffe4e6", "#e0f2fe", "#ecfccb", "#f1f5f9",
];

/// Lighter tints for group frames, by palette index (wraps around).
const TINTS: [&str; 8] = [
    "#f0f6ff", "#f0fdf4", "#fffbeb", "#faf5ff", "#fff1f2", "#f0f9ff", "#f7fee7", "#f8fafc",
];

/// Outline of an ordinary node or edge.
const INK: &str = "#475569";
/// Outline of a group frame.
const FRAME: &str = "#cbd5e1";
/// Error-level findings.
const RED: &str = "#d1242f";
/// Info-level findings.
const BLUE: &str = "#0969da";
/// Personal data.
const PURPLE: &str = "#8250df";
/// Retiring things and missing entities.
const GREY: &str = "#8c959f";
/// Activities no system supports.
const AMBER: &str = "#bf8700";

/// Font stack handed to Graphviz.
const FONT: &str = "Helvetica,Arial,sans-serif";

fn fill(color: usize) -> &'static str {
    FILLS[color % FILLS.len()]
}

fn tint(color: usize) -> &'static str {
    TINTS[color % TINTS.len()]
}

/// Nodes of each group (by index) and the ungrouped ones, in diagram order.
/// A node whose group index is out of range counts as ungrouped.
fn partition(d: &Diagram) -> (Vec<Vec<usize>>, Vec<usize>) {
    let mut grouped = vec![Vec::new(); d.groups.len()];
    let mut loose = Vec::new();
    for (i, n) in d.nodes.iter().enumerate() {
        match n.group.filter(|&g| g < d.groups.len()) {
            Some(g) => grouped[g].push(i),
            None => loose.push(i),
        }
    }
    (grouped, loose)
}

/// Node `i` as the exporters write it: in a swimlane diagram its column
/// (journey stage) leads its second line, since DOT and Mermaid draw the
/// lanes as clusters but have no columns.
fn exported(d: &Diagram, i: usize) -> std::borrow::Cow<'_, Node> {
    let n = &d.nodes[i];
    let column = d
        .lanes
        .as_ref()
        .and_then(|l| l.columns.get(l.column.get(i).copied().flatten()?));
    match column {
        Some(c) => {
            let mut n = n.clone();
            n.sublabel = Some(match &n.sublabel {
                Some(s) => format!("{c} · {s}"),
                None => c.clone(),
            });
            std::borrow::Cow::Owned(n)
        }
        None => std::borrow::Cow::Borrowed(n),
    }
}

/// Edges whose ends exist, in diagram order.
fn valid_edges(d: &Diagram) -> impl Iterator<Item = &Edge> {
    d.edges
        .iter()
        .filter(move |e| e.from < d.nodes.len() && e.to < d.nodes.len())
}

// ---------------------------------------------------------------- DOT

/// A DOT quoted string holding `s` (line breaks centred).
fn dq(s: &str) -> String {
    format!("\"{}\"", dot_text(s, "\\n"))
}

/// The label of a node: label, sublabel and extra lines, one per line.
/// Tables left-align their attribute lines with `\l`.
fn dot_node_label(n: &Node) -> String {
    let mut out = dot_text(&n.label, "\\n");
    if let Some(sub) = &n.sublabel {
        out.push_str("\\n");
        out.push_str(&dot_text(sub, "\\n"));
    }
    if n.lines.is_empty() {
        return out;
    }
    if n.shape == Shape::Table {
        // `\n` ends (and centres) the header; each attribute ends with `\l`.
        out.push_str("\\n");
        for line in &n.lines {
            out.push_str(&dot_text(line, "\\l"));
            out.push_str("\\l");
        }
    } else {
        for line in &n.lines {
            out.push_str("\\n");
            out.push_str(&dot_text(line, "\\n"));
        }
    }
    out
}

/// Outline colour for finding marks (the most severe wins), if any.
fn finding_colour(marks: &[Mark]) -> Option<&'static str> {
    if marks.contains(&Mark::FindingError) {
        Some(RED)
    } else if marks.contains(&Mark::FindingWarning) {
        // Red too: the DOT overlay marks every error or warning the same
        // way (bold, red); Mermaid tells them apart (red / amber classes).
        Some(RED)
    } else if marks.contains(&Mark::FindingInfo) {
        Some(BLUE)
    } else {
        None
    }
}

fn is_finding(marks: &[Mark]) -> bool {
    marks.contains(&Mark::FindingError) || marks.contains(&Mark::FindingWarning)
}

fn dot_node(out: &mut String, n: &Node, indent: &str) {
    let (shape, mut style) = match n.shape {
        Shape::Rounded => ("box", vec!["rounded", "filled"]),
        Shape::Table => ("box", vec!["filled"]),
        Shape::Pill => ("oval", vec!["filled"]),
        Shape::Cylinder => ("cylinder", vec!["filled"]),
    };
    let mut fillcolor = fill(n.color);
    let mut color = INK;
    let mut fontcolor = None;
    let mut penwidth = None;
    let mut peripheries = None;
    if n.marks.contains(&Mark::Planned) || n.marks.contains(&Mark::Missing) {
        style.push("dashed");
    }
    if n.marks.contains(&Mark::Retiring) {
        style.push("dotted");
        fontcolor = Some(GREY);
    }
    if n.marks.contains(&Mark::Missing) {
        fillcolor = "#ffffff";
        color = GREY;
        fontcolor = Some(GREY);
    }
    if n.marks.contains(&Mark::Pii) {
        color = PURPLE;
        peripheries = Some(2);
    }
    if n.marks.contains(&Mark::Focus) {
        style.push("bold");
        penwidth = Some("2.5");
    }
    if n.marks.contains(&Mark::Unsupported) {
        color = AMBER;
        penwidth = Some("2.5");
    }
    if let Some(c) = finding_colour(&n.marks) {
        color = c;
        if !style.contains(&"bold") {
            style.push("bold");
        }
        penwidth = Some(if is_finding(&n.marks) { "2.5" } else { "1.5" });
    }
    let _ = write!(
        out,
        "{indent}{} [label=\"{}\", shape={shape}, style=\"{}\", fillcolor=\"{fillcolor}\", color=\"{color}\"",
        dq(&n.key),
        dot_node_label(n),
        style.join(","),
    );
    if let Some(c) = fontcolor {
        let _ = write!(out, ", fontcolor=\"{c}\"");
    }
    if let Some(p) = penwidth {
        let _ = write!(out, ", penwidth={p}");
    }
    if let Some(p) = peripheries {
        let _ = write!(out, ", peripheries={p}");
    }
    if !n.tooltip.is_empty() {
        let _ = write!(out, ", tooltip={}", dq(&n.tooltip));
    }
    out.push_str("];\n");
}

fn dot_edge(out: &mut String, d: &Diagram, e: &Edge) {
    let mut attrs = vec![format!("id={}", dq(&e.key))];
    if !e.label.is_empty() {
        attrs.push(format!("label={}", dq(&e.label.join("\n"))));
    }
    if e.both_ways {
        attrs.push("dir=both".to_string());
    }
    let mut style = Vec::new();
    if e.marks.contains(&Mark::Planned) {
        style.push("dashed");
    }
    if e.marks.contains(&Mark::Retiring) {
        style.push("dotted");
    }
    if let Some(c) = finding_colour(&e.marks) {
        style.push("bold");
        attrs.push(format!("color=\"{c}\", fontcolor=\"{c}\""));
        if is_finding(&e.marks) {
            attrs.push("penwidth=2".to_string());
        }
    } else if e.marks.contains(&Mark::Retiring) {
        attrs.push(format!("color=\"{GREY}\", fontcolor=\"{GREY}\""));
    }
    if !style.is_empty() {
        attrs.push(format!("style=\"{}\"", style.join(",")));
    }
    if !e.tooltip.is_empty() {
        attrs.push(format!("tooltip={}", dq(&e.tooltip)));
    }
    let _ = writeln!(
        out,
        "  {} -> {} [{}];",
        dq(&d.nodes[e.from].key),
        dq(&d.nodes[e.to].key),
        attrs.join(", ")
    );
}

/// The view as a Graphviz digraph (`dot -Tsvg view.dot > view.svg`).
///
/// One `cluster_N` subgraph per group that has nodes (Graphviz draws no
/// empty cluster), then the ungrouped nodes, then the edges, each in diagram
/// order. Node ids are the quoted node keys; edge ids are the edge keys. The
/// footer is kept as the graph's `comment`; the legend is not exported
/// (marks show as line styles and colours instead). Edges whose ends are
/// out of range are skipped.
pub fn to_dot(d: &Diagram) -> String {
    let mut out = String::new();
    let rankdir = match d.flow {
        Flow::TopDown => "TB",
        Flow::LeftRight => "LR",
    };
    let _ = writeln!(out, "digraph {} {{", dq(&d.view));
    let _ = writeln!(
        out,
        "  graph [label={}, labelloc=t, fontsize=16, fontname=\"{FONT}\", rankdir={rankdir}, nodesep=0.4, ranksep=0.6];",
        dq(&d.title)
    );
    if !d.footer.is_empty() {
        let _ = writeln!(out, "  graph [comment={}];", dq(&d.footer));
    }
    let _ = writeln!(
        out,
        "  node [fontname=\"{FONT}\", fontsize=12, margin=\"0.15,0.08\"];"
    );
    let _ = writeln!(
        out,
        "  edge [fontname=\"{FONT}\", fontsize=10, color=\"{INK}\", arrowsize=0.8];"
    );

    let (grouped, loose) = partition(d);
    for (gi, (g, members)) in d.groups.iter().zip(&grouped).enumerate() {
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(out, "  subgraph cluster_{gi} {{");
        let _ = writeln!(
            out,
            "    graph [label={}, id={}, style=\"rounded,filled\", fillcolor=\"{}\", color=\"{FRAME}\", fontsize=12, labeljust=l];",
            dq(&g.label),
            dq(&g.key),
            tint(g.color)
        );
        for &i in members {
            dot_node(&mut out, &exported(d, i), "    ");
        }
        out.push_str("  }\n");
    }
    for &i in &loose {
        dot_node(&mut out, &exported(d, i), "  ");
    }
    if d.nodes.is_empty() {
        if let Some(note) = &d.empty_note {
            let _ = writeln!(
                out,
                "  \"empty\" [shape=plaintext, label={}, fontcolor=\"{GREY}\"];",
                dq(note)
            );
        }
    }
    for e in valid_edges(d) {
        dot_edge(&mut out, d, e);
    }
    out.push_str("}\n");
    out
}

// ------------------------------------------------------------ Mermaid

/// Escapes text for a Mermaid double-quoted label using Mermaid's entity
/// codes (`#quot;`, `#35;`, …), which Mermaid turns back into characters
/// when it draws. Besides `"`, this covers everything Mermaid or the HTML
/// label could read as syntax: `#` (the entity marker itself), `<` `>` `&`
/// (HTML), backticks (markdown strings), `%` (comments and directives), `|`
/// (edge-label delimiters), `;` and brackets. Line breaks become `<br/>`
/// (added here, after escaping, so only ours are real tags); other control
/// characters become spaces.
fn mm_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '`' => out.push_str("#96;"),
            '%' => out.push_str("#37;"),
            '|' => out.push_str("#124;"),
            ';' => out.push_str("#59;"),
            '[' => out.push_str("#91;"),
            ']' => out.push_str("#93;"),
            '{' => out.push_str("#123;"),
            '}' => out.push_str("#125;"),
            '(' => out.push_str("#40;"),
            ')' => out.push_str("#41;"),
            '\\' => out.push_str("#92;"),
            '\n' => out.push_str("<br/>"),
            '\r' => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text for a `%%` comment: one line, no control characters, and no `%`,
/// `{` or `}` (Mermaid looks for `%%{init: …}%%` directives even inside
/// comments).
fn mm_comment(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '%' | '{' | '}' => '_',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

/// Text for a YAML double-quoted scalar (the front-matter title).
fn yaml_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn mm_node_label(n: &Node) -> String {
    let mut parts = vec![mm_text(&n.label)];
    if let Some(sub) = &n.sublabel {
        parts.push(mm_text(sub));
    }
    parts.extend(n.lines.iter().map(|l| mm_text(l)));
    let label = parts.join("<br/>");
    if label.is_empty() {
        // Mermaid rejects an empty quoted label.
        " ".to_string()
    } else {
        label
    }
}

fn mm_node(out: &mut String, i: usize, n: &Node, indent: &str) {
    let (open, close) = match n.shape {
        Shape::Rounded => ("(", ")"),
        Shape::Table => ("[", "]"),
        Shape::Pill => ("([", "])"),
        Shape::Cylinder => ("[(", ")]"),
    };
    let _ = writeln!(out, "{indent}n{i}{open}\"{}\"{close}", mm_node_label(n));
}

/// Mermaid classes for marks, in the order they are defined (later ones
/// win when a node has several). The diff marks come last and use the
/// Okabe–Ito colours of the SVG writer (bluish green, vermillion, blue).
const MARK_CLASSES: [(Mark, &str, &str); 13] = [
    (Mark::Pii, "pii", "stroke:#8250df,stroke-width:2px"),
    (
        Mark::Unsupported,
        "unsupported",
        "stroke:#bf8700,stroke-width:2.5px",
    ),
    (Mark::Focus, "focus", "stroke-width:3px"),
    (
        Mark::Planned,
        "planned",
        "stroke-dasharray:6 4,stroke-width:1.5px",
    ),
    (
        Mark::Retiring,
        "retiring",
        "stroke-dasharray:2 3,opacity:0.6,color:#57606a",
    ),
    (
        Mark::Missing,
        "missing",
        "fill:#ffffff,stroke:#8c959f,stroke-dasharray:4 3,color:#57606a",
    ),
    (
        Mark::FindingRelated,
        "findingRelated",
        "stroke:#bf8700,stroke-width:1.5px,stroke-dasharray:1 3",
    ),
    (
        Mark::FindingInfo,
        "findingInfo",
        "stroke:#0969da,stroke-width:2px",
    ),
    (
        Mark::FindingWarning,
        "findingWarning",
        "stroke:#bf8700,stroke-width:3px",
    ),
    (
        Mark::FindingError,
        "findingError",
        "stroke:#d1242f,stroke-width:3px",
    ),
    (
        Mark::Changed,
        "changed",
        "stroke:#0072b2,stroke-width:3px,stroke-dasharray:none",
    ),
    (
        Mark::Removed,
        "removed",
        "stroke:#d55e00,stroke-width:2px,stroke-dasharray:8 3 2 3,opacity:0.6",
    ),
    (
        Mark::Added,
        "added",
        "stroke:#009e73,stroke-width:3px,stroke-dasharray:none",
    ),
];

/// `linkStyle` of edges with a diff mark (the first mark that applies wins).
const DIFF_LINKS: [(Mark, &str); 3] = [
    (Mark::Added, "stroke:#009e73,stroke-width:3px"),
    (
        Mark::Removed,
        "stroke:#d55e00,stroke-width:2px,stroke-dasharray:8 3 2 3",
    ),
    (Mark::Changed, "stroke:#0072b2,stroke-width:2.5px"),
];

/// The view as a Mermaid flowchart that GitHub renders (in a ```` ```mermaid ````
/// block).
///
/// Node ids are `n0`, `n1`, … by node index and subgraph ids `g0`, … by
/// group index, each with its key in a `%%` comment, so ids are unique and
/// safe whatever the keys hold. Labels are quoted and entity-escaped. The
/// title goes into the front matter; the footer is a comment. Fill colours
/// and marks become `classDef`/`class` lines (finding and then diff classes
/// last, so they win); marked edges get `linkStyle` lines, one per edge (a
/// diff mark first). Removed edges are dashed (`-.->`), added ones thick
/// (`==>`); a diff mark replaces the planned/retiring dashes. Groups without nodes and
/// edges whose ends are out of range are skipped.
pub fn to_mermaid(d: &Diagram) -> String {
    let mut out = String::new();
    out.push_str("---\n");
    let _ = writeln!(out, "title: \"{}\"", yaml_text(&d.title));
    out.push_str("---\n");
    let dir = match d.flow {
        Flow::TopDown => "TD",
        Flow::LeftRight => "LR",
    };
    let _ = writeln!(out, "flowchart {dir}");
    let _ = writeln!(out, "  %% revarch view {}", mm_comment(&d.view));
    if !d.footer.is_empty() {
        let _ = writeln!(out, "  %% {}", mm_comment(&d.footer));
    }

    let (grouped, loose) = partition(d);
    for (gi, (g, members)) in d.groups.iter().zip(&grouped).enumerate() {
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(out, "  %% g{gi} = {}", mm_comment(&g.key));
        let label = mm_text(&g.label);
        let label = if label.is_empty() { " ".into() } else { label };
        let _ = writeln!(out, "  subgraph g{gi}[\"{label}\"]");
        for &i in members {
            let _ = writeln!(out, "    %% n{i} = {}", mm_comment(&d.nodes[i].key));
            mm_node(&mut out, i, &exported(d, i), "    ");
        }
        out.push_str("  end\n");
    }
    for &i in &loose {
        let _ = writeln!(out, "  %% n{i} = {}", mm_comment(&d.nodes[i].key));
        mm_node(&mut out, i, &exported(d, i), "  ");
    }
    if d.nodes.is_empty() {
        if let Some(note) = &d.empty_note {
            let text = mm_text(note);
            let text = if text.is_empty() { " ".into() } else { text };
            let _ = writeln!(out, "  empty[\"{text}\"]");
        }
    }

    // Edges; remember which ones need a linkStyle (by emitted index).
    let mut link_diff: [Vec<usize>; 3] = Default::default();
    let mut link_red = Vec::new();
    let mut link_amber = Vec::new();
    let mut link_blue = Vec::new();
    let mut link_grey = Vec::new();
    for (li, e) in valid_edges(d).enumerate() {
        let diff = DIFF_LINKS.iter().position(|(m, _)| e.marks.contains(m));
        let removed = e.marks.contains(&Mark::Removed);
        let dashed = removed
            || (diff.is_none()
                && (e.marks.contains(&Mark::Planned) || e.marks.contains(&Mark::Retiring)));
        let thick = match diff {
            Some(_) => e.marks.contains(&Mark::Added),
            None => is_finding(&e.marks),
        };
        let arrow = match (e.both_ways, dashed, thick) {
            (false, true, _) => "-.->",
            (true, true, _) => "<-.->",
            (false, false, true) => "==>",
            (true, false, true) => "<==>",
            (false, false, false) => "-->",
            (true, false, false) => "<-->",
        };
        let label = if e.label.is_empty() {
            String::new()
        } else {
            let text = e.label.iter().map(|l| mm_text(l)).collect::<Vec<_>>();
            format!("|\"{}\"|", text.join("<br/>"))
        };
        let _ = writeln!(out, "  %% e{li} = {}", mm_comment(&e.key));
        let _ = writeln!(out, "  n{} {arrow}{label} n{}", e.from, e.to);
        if let Some(k) = diff {
            link_diff[k].push(li);
        } else if e.marks.contains(&Mark::FindingError) {
            link_red.push(li);
        } else if e.marks.contains(&Mark::FindingWarning) {
            link_amber.push(li);
        } else if e.marks.contains(&Mark::FindingInfo) {
            link_blue.push(li);
        } else if e.marks.contains(&Mark::Retiring) {
            link_grey.push(li);
        }
    }

    // Node fills by palette index, only for the colours in use.
    let mut colours: Vec<usize> = d.nodes.iter().map(|n| n.color % FILLS.len()).collect();
    colours.sort_unstable();
    colours.dedup();
    for c in &colours {
        let _ = writeln!(
            out,
            "  classDef c{c} fill:{},stroke:{INK},color:#1f2328",
            FILLS[*c]
        );
    }
    for c in &colours {
        let ids = ids_where(d, |n| n.color % FILLS.len() == *c);
        let _ = writeln!(out, "  class {ids} c{c}");
    }
    for (mark, class, css) in MARK_CLASSES {
        let ids = ids_where(d, |n| n.marks.contains(&mark));
        if !ids.is_empty() {
            let _ = writeln!(out, "  classDef {class} {css}");
            let _ = writeln!(out, "  class {ids} {class}");
        }
    }
    for (gi, (g, members)) in d.groups.iter().zip(&grouped).enumerate() {
        if !members.is_empty() {
            let _ = writeln!(out, "  style g{gi} fill:{},stroke:{FRAME}", tint(g.color));
        }
    }
    for ((_, css), links) in DIFF_LINKS.iter().zip(&link_diff) {
        if !links.is_empty() {
            let list = links.iter().map(usize::to_string).collect::<Vec<_>>();
            let _ = writeln!(out, "  linkStyle {} {css}", list.join(","));
        }
    }
    for (links, css) in [
        (&link_red, "stroke:#d1242f,stroke-width:2.5px,color:#d1242f"),
        (
            &link_amber,
            "stroke:#bf8700,stroke-width:2.5px,color:#bf8700",
        ),
        (&link_blue, "stroke:#0969da,stroke-width:2px"),
        (&link_grey, "stroke:#8c959f"),
    ] {
        if !links.is_empty() {
            let list = links.iter().map(usize::to_string).collect::<Vec<_>>();
            let _ = writeln!(out, "  linkStyle {} {css}", list.join(","));
        }
    }
    out
}

/// `n0,n3,…` for the nodes matching `pred` (empty if none).
fn ids_where(d: &Diagram, pred: impl Fn(&Node) -> bool) -> String {
    d.nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| pred(n))
        .map(|(i, _)| format!("n{i}"))
        .collect::<Vec<_>>()
        .join(",")
}

// ------------------------------------------------------------ ELK

/// The view as an [ELK JSON](https://eclipse.dev/elk/documentation/tooldevelopers/graphdatastructure/jsonformat.html)
/// graph for ELK layered (elkjs `elk.layout(graph)`): the geometry input
/// only — every node with its box size as revarch measures it
/// ([`node_size`]), every edge with its label's size ([`label_size`]), each
/// group as a compound node holding its members (padding as revarch's
/// frames: [`GROUP_PAD`] around, the title band [`GROUP_TITLE_BAND`] on
/// top). Ids are `n{i}`, `e{i}` and `g{i}` by index in the diagram (so no
/// model text is an id); labels carry the text. Layout options: layered,
/// the view's direction, orthogonal routing, hierarchy handled across
/// groups, and coordinates of the result relative to the root
/// (`elk.json.shapeCoords` / `edgeCoords` = `ROOT`). Styles are not
/// exported. Edges whose ends are out of range are skipped.
pub fn to_elk_json(d: &Diagram) -> String {
    use serde_json::{json, Value};
    let node = |i: usize| {
        let (w, h) = node_size(&d.nodes[i]);
        json!({ "id": format!("n{i}"), "width": w, "height": h })
    };
    let (grouped, loose) = partition(d);
    let mut children: Vec<Value> = Vec::new();
    for (gi, (g, members)) in d.groups.iter().zip(&grouped).enumerate() {
        let w = text_width(&g.label, metrics::GROUP);
        children.push(json!({
            "id": format!("g{gi}"),
            "labels": [{ "text": g.label, "width": w, "height": metrics::GROUP * metrics::LINE }],
            "layoutOptions": {
                "elk.padding": format!(
                    "[top={},left={GROUP_PAD},bottom={GROUP_PAD},right={GROUP_PAD}]",
                    GROUP_TITLE_BAND + GROUP_PAD
                ),
                "elk.nodeLabels.placement": "[H_LEFT, V_TOP, INSIDE]",
            },
            "children": members.iter().map(|&i| node(i)).collect::<Vec<_>>(),
        }));
    }
    children.extend(loose.iter().map(|&i| node(i)));
    let edges: Vec<Value> = d
        .edges
        .iter()
        .enumerate()
        .filter(|(_, e)| e.from < d.nodes.len() && e.to < d.nodes.len())
        .map(|(i, e)| {
            let mut edge = json!({
                "id": format!("e{i}"),
                "sources": [format!("n{}", e.from)],
                "targets": [format!("n{}", e.to)],
            });
            let (w, h) = label_size(&e.label);
            if w > 0.0 {
                edge["labels"] = json!([{ "text": e.label.join("\n"), "width": w, "height": h }]);
            }
            edge
        })
        .collect();
    let direction = match d.flow {
        Flow::TopDown => "DOWN",
        Flow::LeftRight => "RIGHT",
    };
    let graph = json!({
        "id": "root",
        "layoutOptions": {
            "elk.algorithm": "layered",
            "elk.direction": direction,
            "elk.edgeRouting": "ORTHOGONAL",
            "elk.hierarchyHandling": "INCLUDE_CHILDREN",
            "elk.json.shapeCoords": "ROOT",
            "elk.json.edgeCoords": "ROOT",
        },
        "children": children,
        "edges": edges,
    });
    let mut out = serde_json::to_string_pretty(&graph).unwrap_or_default();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::diagram::{Group, LegendItem, Swatch};

    fn node(key: &str, label: &str, shape: Shape, group: Option<usize>) -> Node {
        Node {
            key: key.into(),
            label: label.into(),
            sublabel: None,
            lines: vec![],
            shape,
            color: 0,
            marks: vec![],
            group,
            tooltip: String::new(),
        }
    }

    fn edge(key: &str, from: usize, to: usize, label: &[&str]) -> Edge {
        Edge {
            key: key.into(),
            from,
            to,
            label: label.iter().map(|s| s.to_string()).collect(),
            both_ways: false,
            marks: vec![],
            tooltip: String::new(),
        }
    }

    /// Four nodes (one per shape), two groups, marked edges.
    fn sample() -> Diagram {
        let mut crm = node("sys-salesforce", "Salesforce", Shape::Rounded, Some(0));
        crm.sublabel = Some("CRM".into());
        crm.tooltip = "sys-salesforce: the CRM".into();
        crm.marks = vec![Mark::FindingError];
        let mut lead = node("de.lead", "Lead", Shape::Table, Some(1));
        lead.lines = vec!["email (PII)".into(), "source".into()];
        lead.color = 2;
        lead.marks = vec![Mark::Pii];
        let mut rep = node("perf-ae", "Account executive", Shape::Pill, None);
        rep.color = 3;
        let mut wh = node("sys-snowflake", "Snowflake", Shape::Cylinder, Some(0));
        wh.marks = vec![Mark::Planned];
        let mut e0 = edge("int-lead-sync", 0, 3, &["leads", "hourly"]);
        e0.marks = vec![Mark::Planned];
        let mut e1 = edge("int-crm-rep", 2, 0, &[]);
        e1.both_ways = true;
        let mut e2 = edge("int-old", 3, 1, &["old"]);
        e2.marks = vec![Mark::Retiring, Mark::FindingWarning];
        Diagram {
            view: "sv-1".into(),
            title: "SV-1 Systems interface description".into(),
            footer: "Northwind FY2027 · current".into(),
            flow: Flow::LeftRight,
            nodes: vec![crm, lead, rep, wh],
            edges: vec![e0, e1, e2],
            groups: vec![
                Group {
                    key: "own-revops".into(),
                    label: "RevOps".into(),
                    color: 1,
                },
                Group {
                    key: "own-marketing".into(),
                    label: "Marketing".into(),
                    color: 4,
                },
                Group {
                    key: "own-empty".into(),
                    label: "Nobody".into(),
                    color: 5,
                },
            ],
            legend: vec![LegendItem {
                swatch: Swatch::Line(Some(Mark::Planned)),
                text: "planned".into(),
            }],
            empty_note: None,
            lanes: None,
            caption: None,
        }
    }

    const HOSTILE: [&str; 8] = [
        "<script>alert(1)</script>",
        "\"]; evil[",
        "line one\nline two\r\n\"]]; x-->y",
        "%% comment %%{init: {}}%%",
        "`**md**` ``",
        "#quot; #35; ###",
        "back\\slash\\\" \\N \\l end\\",
        "a|b} {c) (d; e & f",
    ];

    /// A diagram whose every text field is hostile.
    fn hostile() -> Diagram {
        let mut d = sample();
        for (i, n) in d.nodes.iter_mut().enumerate() {
            n.label = HOSTILE[i % HOSTILE.len()].into();
            n.sublabel = Some(HOSTILE[(i + 1) % HOSTILE.len()].into());
            n.lines = vec![HOSTILE[(i + 2) % HOSTILE.len()].into()];
            n.key = format!("{}-{i}", HOSTILE[(i + 3) % HOSTILE.len()]);
            n.tooltip = HOSTILE[(i + 4) % HOSTILE.len()].into();
        }
        for (i, e) in d.edges.iter_mut().enumerate() {
            e.label = vec![HOSTILE[(i + 5) % HOSTILE.len()].into(), "\"".into()];
            e.key = HOSTILE[(i + 6) % HOSTILE.len()].into();
            e.tooltip = HOSTILE[(i + 7) % HOSTILE.len()].into();
        }
        for (i, g) in d.groups.iter_mut().enumerate() {
            g.label = HOSTILE[(i + 1) % HOSTILE.len()].into();
            g.key = HOSTILE[(i + 2) % HOSTILE.len()].into();
        }
        d.title = HOSTILE[1].into();
        d.footer = HOSTILE[2].into();
        d.view = HOSTILE[0].into();
        d
    }

    /// A DOT token: a quoted string's raw contents, or anything else.
    #[derive(Debug, PartialEq)]
    enum Tok {
        Str(String),
        Word(String),
        Punct(String),
    }

    /// Tokenises DOT the way Graphviz's scanner does for the subset we
    /// write; panics on an unterminated string.
    fn dot_tokens(s: &str) -> Vec<Tok> {
        let cs: Vec<char> = s.chars().collect();
        let mut toks = Vec::new();
        let mut i = 0;
        while i < cs.len() {
            let c = cs[i];
            if c.is_whitespace() {
                i += 1;
            } else if c == '"' {
                let mut raw = String::new();
                i += 1;
                loop {
                    assert!(i < cs.len(), "unterminated string in:\n{s}");
                    match cs[i] {
                        '"' => break,
                        '\\' => {
                            raw.push('\\');
                            raw.push(cs[i + 1]);
                            i += 2;
                        }
                        c => {
                            raw.push(c);
                            i += 1;
                        }
                    }
                }
                i += 1;
                toks.push(Tok::Str(raw));
            } else if c == '-' && cs.get(i + 1) == Some(&'>') {
                toks.push(Tok::Punct("->".into()));
                i += 2;
            } else if c.is_alphanumeric() || c == '_' || c == '.' || c == '-' {
                let start = i;
                while i < cs.len() && (cs[i].is_alphanumeric() || "_.-".contains(cs[i])) {
                    i += 1;
                }
                toks.push(Tok::Word(cs[start..i].iter().collect()));
            } else {
                toks.push(Tok::Punct(c.to_string()));
                i += 1;
            }
        }
        toks
    }

    /// Undoes [`dot_text`] for a `\n`-broken string.
    fn dot_unescape(raw: &str) -> String {
        let mut out = String::new();
        let mut it = raw.chars();
        while let Some(c) = it.next() {
            if c == '\\' {
                match it.next() {
                    Some('n') => out.push('\n'),
                    Some(c) => out.push(c),
                    None => panic!("dangling backslash"),
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn dot_structure() {
        let dot = to_dot(&sample());
        assert!(dot.starts_with("digraph \"sv-1\" {\n"), "{dot}");
        assert!(dot.ends_with("}\n"));
        assert!(dot.contains("label=\"SV-1 Systems interface description\""));
        assert!(dot.contains("rankdir=LR"));
        assert!(dot.contains("subgraph cluster_0 {"));
        assert!(dot.contains("subgraph cluster_1 {"));
        assert!(!dot.contains("cluster_2"), "empty group dropped");
        assert!(dot.contains(
            "\"sys-salesforce\" [label=\"Salesforce\\nCRM\", shape=box, style=\"rounded,filled,bold\""
        ));
        assert!(dot.contains("tooltip=\"sys-salesforce: the CRM\""));
        assert!(dot.contains("color=\"#d1242f\""));
        assert!(dot.contains(
            "\"de.lead\" [label=\"Lead\\nemail (PII)\\lsource\\l\", shape=box, style=\"filled\""
        ));
        assert!(dot.contains("\"perf-ae\" [label=\"Account executive\", shape=oval"));
        assert!(dot.contains("shape=cylinder, style=\"filled,dashed\""));
        assert!(dot.contains(
            "\"sys-salesforce\" -> \"sys-snowflake\" [id=\"int-lead-sync\", label=\"leads\\nhourly\", style=\"dashed\"];"
        ));
        assert!(dot.contains("\"perf-ae\" -> \"sys-salesforce\" [id=\"int-crm-rep\", dir=both];"));
        assert!(dot.contains("style=\"dotted,bold\""));
        // Grouped nodes sit inside their cluster; the loose one outside.
        let c0 = dot.find("subgraph cluster_0").unwrap();
        let c1 = dot.find("subgraph cluster_1").unwrap();
        assert!(c0 < dot.find("\"sys-salesforce\" [").unwrap());
        assert!(dot.find("\"sys-snowflake\" [").unwrap() < c1);
        assert!(c1 < dot.find("\"de.lead\" [").unwrap());
        // Deterministic.
        assert_eq!(dot, to_dot(&sample()));
        // TopDown.
        let mut d = sample();
        d.flow = Flow::TopDown;
        assert!(to_dot(&d).contains("rankdir=TB"));
    }

    #[test]
    fn dot_hostile_text_stays_in_strings() {
        let d = hostile();
        let dot = to_dot(&d);
        let toks = dot_tokens(&dot);
        // Outside strings only our own vocabulary appears.
        let allowed = [
            "digraph",
            "graph",
            "node",
            "edge",
            "subgraph",
            "label",
            "labelloc",
            "t",
            "fontsize",
            "fontname",
            "rankdir",
            "LR",
            "nodesep",
            "ranksep",
            "comment",
            "margin",
            "color",
            "arrowsize",
            "id",
            "style",
            "fillcolor",
            "labeljust",
            "l",
            "shape",
            "box",
            "oval",
            "cylinder",
            "fontcolor",
            "penwidth",
            "peripheries",
            "tooltip",
            "dir",
            "both",
        ];
        for t in &toks {
            match t {
                Tok::Word(w) => assert!(
                    allowed.contains(&w.as_str())
                        || w.starts_with("cluster_")
                        || w.parse::<f64>().is_ok(),
                    "bare word {w:?} outside a string in:\n{dot}"
                ),
                Tok::Punct(p) => assert!(
                    ["{", "}", "[", "]", ";", ",", "=", "->"].contains(&p.as_str()),
                    "stray {p:?} in:\n{dot}"
                ),
                Tok::Str(_) => {}
            }
        }
        // Every node key survives as one string token, exactly.
        let strings: Vec<String> = toks
            .iter()
            .filter_map(|t| match t {
                Tok::Str(s) => Some(dot_unescape(s)),
                _ => None,
            })
            .collect();
        for n in &d.nodes {
            let key = n.key.replace('\r', "");
            assert!(strings.contains(&key), "key {key:?} lost");
        }
        // Node statements: one per node, edges: one per edge.
        let arrows = toks
            .iter()
            .filter(|t| **t == Tok::Punct("->".into()))
            .count();
        assert_eq!(arrows, d.edges.len());
        // Graphviz escapes like \N or \l from the text are neutralised.
        assert!(dot.contains("\\\\N"));
        // No HTML-like labels (`label=<…>`), where markup would be live.
        assert!(!dot.contains("=<"));
        // Each line has balanced quotes (no multi-line strings).
        for line in dot.lines() {
            let mut n = 0;
            let mut esc = false;
            for c in line.chars() {
                match (esc, c) {
                    (true, _) => esc = false,
                    (false, '\\') => esc = true,
                    (false, '"') => n += 1,
                    _ => {}
                }
            }
            assert_eq!(n % 2, 0, "unbalanced quotes on {line:?}");
        }
    }

    #[test]
    fn dot_empty_and_bad_indices() {
        let mut d = sample();
        d.nodes.clear();
        d.empty_note = Some("Nothing \"here\"".into());
        let dot = to_dot(&d);
        assert!(dot.contains("\"empty\" [shape=plaintext, label=\"Nothing \\\"here\\\"\""));
        assert!(!dot.contains("->"), "edges to missing nodes are skipped");
        assert!(!dot.contains("cluster_"));
        let mut d = sample();
        d.nodes[0].group = Some(99);
        d.edges[0].to = 99;
        let dot = to_dot(&d);
        assert_eq!(dot.matches(" -> ").count(), 2);
        assert!(
            dot.contains("  \"sys-salesforce\" [label"),
            "out-of-range group: loose"
        );
    }

    /// Runs Graphviz when it is installed; skipped (passes) otherwise.
    #[test]
    fn dot_renders_with_graphviz_if_installed() {
        use std::io::Write;
        use std::process::{Command, Stdio};
        for (name, d) in [("sample", sample()), ("hostile", hostile())] {
            let dot = to_dot(&d);
            let child = Command::new("dot")
                .arg("-Tplain")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn();
            let Ok(mut child) = child else {
                eprintln!("graphviz `dot` not found: skipping");
                return;
            };
            child
                .stdin
                .take()
                .unwrap()
                .write_all(dot.as_bytes())
                .unwrap();
            let out = child.wait_with_output().unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success(),
                "{name}: dot failed: {}\n{dot}",
                String::from_utf8_lossy(&out.stderr)
            );
            // No label broke out into extra nodes or edges.
            let nodes = stdout.lines().filter(|l| l.starts_with("node ")).count();
            let edges = stdout.lines().filter(|l| l.starts_with("edge ")).count();
            assert_eq!(nodes, d.nodes.len(), "{name}:\n{stdout}");
            assert_eq!(edges, d.edges.len(), "{name}:\n{stdout}");
        }
    }

    #[test]
    fn mermaid_structure() {
        let mm = to_mermaid(&sample());
        assert!(mm.starts_with(
            "---\ntitle: \"SV-1 Systems interface description\"\n---\nflowchart LR\n"
        ));
        assert!(mm.contains("  subgraph g0[\"RevOps\"]\n"));
        assert!(mm.contains("  subgraph g1[\"Marketing\"]\n"));
        assert!(!mm.contains("g2"), "empty group dropped");
        assert!(mm.contains("    %% n0 = sys-salesforce\n    n0(\"Salesforce<br/>CRM\")\n"));
        assert!(mm.contains("    n1[\"Lead<br/>email #40;PII#41;<br/>source\"]\n"));
        assert!(mm.contains("  n2([\"Account executive\"])\n"));
        assert!(mm.contains("    n3[(\"Snowflake\")]\n"));
        assert!(mm.contains("  n0 -.->|\"leads<br/>hourly\"| n3\n"));
        assert!(mm.contains("  n2 <--> n0\n"));
        assert!(mm.contains("  n3 -.->|\"old\"| n1\n"));
        assert!(mm.contains("  classDef findingError stroke:#d1242f"));
        assert!(mm.contains("  class n0 findingError\n"));
        assert!(mm.contains("  class n3 planned\n"));
        assert!(mm.contains("  class n1 pii\n"));
        assert!(mm.contains("  class n0,n3 c0\n"));
        assert!(mm.contains("  linkStyle 2 stroke:#bf8700"));
        assert!(mm.contains("  style g0 fill:"));
        // Finding classes come after the others so they win.
        assert!(mm.find("classDef planned").unwrap() < mm.find("classDef findingError").unwrap());
        // Every subgraph is closed.
        assert_eq!(
            mm.lines()
                .filter(|l| l.trim_start().starts_with("subgraph "))
                .count(),
            mm.lines().filter(|l| l.trim() == "end").count()
        );
        assert_eq!(mm, to_mermaid(&sample()));
        let mut d = sample();
        d.flow = Flow::TopDown;
        assert!(to_mermaid(&d).contains("\nflowchart TD\n"));
        // Edge to a missing node is skipped; link indices follow emitted edges.
        d.edges[0].to = 42;
        let mm = to_mermaid(&d);
        assert!(!mm.contains("n42"));
        assert!(mm.contains("  linkStyle 1 stroke:#bf8700"));
    }

    #[test]
    fn mermaid_diff_marks_win_over_lifecycle_and_findings() {
        let mut d = sample();
        d.nodes[3].marks = vec![Mark::Planned, Mark::Added];
        d.nodes[1].marks = vec![Mark::Pii, Mark::Removed];
        d.edges[0].marks = vec![Mark::Planned, Mark::Added];
        d.edges[1].marks = vec![Mark::Removed];
        d.edges[2].marks = vec![Mark::Retiring, Mark::FindingWarning, Mark::Changed];
        let mm = to_mermaid(&d);
        assert!(mm.contains("  n0 ==>|\"leads<br/>hourly\"| n3\n"), "{mm}");
        assert!(mm.contains("  n2 <-.-> n0\n"), "{mm}");
        assert!(mm.contains("  n3 -->|\"old\"| n1\n"), "{mm}");
        // one linkStyle per edge, the diff one
        assert!(mm.contains("  linkStyle 0 stroke:#009e73"), "{mm}");
        assert!(mm.contains("  linkStyle 1 stroke:#d55e00"), "{mm}");
        assert!(mm.contains("  linkStyle 2 stroke:#0072b2"), "{mm}");
        assert_eq!(mm.matches("linkStyle").count(), 3, "{mm}");
        // diff classes after every other class, solid over planned dashes
        assert!(mm.contains("classDef added stroke:#009e73,stroke-width:3px,stroke-dasharray:none"));
        assert!(mm.find("class n3 planned").unwrap() < mm.find("class n3 added").unwrap());
        assert!(mm.find("classDef findingError").unwrap() < mm.find("classDef removed").unwrap());
        assert!(mm.contains("  class n1 removed\n"));
    }

    #[test]
    fn mermaid_escapes_every_label() {
        for s in HOSTILE {
            let e = mm_text(s);
            // Strip our own entity codes and line breaks, then nothing
            // Mermaid could read as syntax may be left.
            let mut plain = e.replace("<br/>", "");
            while let Some(i) = plain.find('#') {
                let end = i + plain[i..].find(';').expect("entity code closed");
                plain.replace_range(i..=end, "");
            }
            for bad in [
                '"', '<', '>', '`', '%', '|', '[', ']', '(', ')', '{', '}', ';', '\\', '\r',
            ] {
                assert!(!plain.contains(bad), "{bad:?} in {e:?}");
            }
            // `#` only as the start of one of our entity codes.
            for (i, _) in e.match_indices('#') {
                let rest = &e[i + 1..];
                let end = rest.find(';').expect("entity code closed");
                let code = &rest[..end];
                assert!(
                    code.chars().all(|c| c.is_ascii_alphanumeric()),
                    "bad entity {code:?} in {e:?}"
                );
            }
            assert!(!e.contains('\n'));
        }
        assert_eq!(
            mm_text("<script>alert(1)</script>"),
            "#lt;script#gt;alert#40;1#41;#lt;/script#gt;"
        );
        assert_eq!(mm_text("\"]; evil["), "#quot;#93;#59; evil#91;");
        assert_eq!(mm_text("a\nb"), "a<br/>b");
        assert_eq!(mm_text("#1"), "#35;1");
    }

    #[test]
    fn mermaid_hostile_diagram_keeps_its_shape() {
        let d = hostile();
        let mm = to_mermaid(&d);
        let body = mm.split("\n---\n").nth(1).expect("front matter closed");
        for line in body.lines() {
            let t = line.trim_start();
            if t.starts_with("%%") {
                continue;
            }
            // Outside comments, quotes only delimit labels: an even number,
            // and nothing between them contains the hostile payloads raw.
            assert_eq!(line.matches('"').count() % 2, 0, "{line:?}");
            for part in line.split('"').skip(1).step_by(2) {
                assert!(!part.contains("<script"), "{line:?}");
                assert!(!part.contains('`') && !part.contains('%'), "{line:?}");
            }
            // Statement lines start with our own ids or keywords.
            let first = t.split([' ', '(', '[']).next().unwrap();
            let ok = first == "flowchart"
                || first == "subgraph"
                || first == "end"
                || first == "class"
                || first == "classDef"
                || first == "style"
                || first == "linkStyle"
                || (first.starts_with('n') && first[1..].parse::<usize>().is_ok());
            assert!(ok, "unexpected statement {line:?}");
        }
        // No directive can hide in a comment.
        assert!(!mm.contains("%%{"));
        // The key comments are single lines.
        assert_eq!(
            mm.lines()
                .filter(|l| l.trim_start().starts_with("%% n"))
                .count(),
            d.nodes.len()
        );
        // Front matter: one title line, properly quoted YAML.
        let title = mm.lines().nth(1).unwrap();
        assert_eq!(title, "title: \"\\\"]; evil[\"");
    }

    #[test]
    fn elk_json_has_every_node_with_its_size_groups_as_compound_nodes_and_labelled_edges() {
        let d = sample();
        let text = to_elk_json(&d);
        assert_eq!(text, to_elk_json(&d), "deterministic");
        let j: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(j["layoutOptions"]["elk.direction"], "RIGHT");
        assert_eq!(j["layoutOptions"]["elk.edgeRouting"], "ORTHOGONAL");
        assert_eq!(
            j["layoutOptions"]["elk.hierarchyHandling"],
            "INCLUDE_CHILDREN"
        );
        let top = j["children"].as_array().expect("children");
        // three groups (the empty one too) and the one ungrouped node
        let ids: Vec<&str> = top.iter().filter_map(|c| c["id"].as_str()).collect();
        assert_eq!(ids, ["g0", "g1", "g2", "n2"]);
        let members: Vec<&str> = top[0]["children"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["id"].as_str())
            .collect();
        assert_eq!(members, ["n0", "n3"]);
        assert_eq!(top[1]["labels"][0]["text"], "Marketing");
        let (w, h) = node_size(&d.nodes[0]);
        assert_eq!(top[0]["children"][0]["width"].as_f64(), Some(w));
        assert_eq!(top[0]["children"][0]["height"].as_f64(), Some(h));
        let edges = j["edges"].as_array().expect("edges");
        assert_eq!(edges.len(), 3);
        assert_eq!(edges[0]["sources"][0], "n0");
        assert_eq!(edges[0]["targets"][0], "n3");
        assert_eq!(edges[0]["labels"][0]["text"], "leads\nhourly");
        let (lw, lh) = label_size(&d.edges[0].label);
        assert_eq!(edges[0]["labels"][0]["width"].as_f64(), Some(lw));
        assert_eq!(edges[0]["labels"][0]["height"].as_f64(), Some(lh));
        assert!(edges[1].get("labels").is_none(), "no label, no label box");
        // hostile text stays inside JSON strings; out-of-range edges are skipped
        let mut h = hostile();
        h.edges[0].to = 99;
        let j: serde_json::Value = serde_json::from_str(&to_elk_json(&h)).expect("valid JSON");
        assert_eq!(j["edges"].as_array().map(Vec::len), Some(2));
        assert_eq!(j["edges"][0]["id"], "e1");
    }
}
