//! The data that flows through the render stage.
//!
//! `views` turns the graph into an abstract [`Diagram`] (what to draw: nodes,
//! edges, groups, legend); `layout` turns a diagram into a [`Layout`] (where:
//! boxes, edge paths, label positions, group frames); `svg` and the other
//! exporters draw a diagram with its layout. Like d2's `d2target`, the
//! drawing stages never see the model or the graph.

/// Text sizes and spacing shared by layout (which measures) and the SVG
/// writer (which draws); both must agree or text overflows its box.
///
/// Sized for a 16:9 slide: a drawing that fits 1920 × 1080 px at its own
/// size shows node names at 20 px and every other text at ≥ 14 px, the
/// legibility targets for a room (`--fit slide` lays out to that frame). A
/// drawing at 1:1 in a browser reads like a slide too.
pub mod metrics {
    /// Font size of a node's main label, px.
    pub const LABEL: f64 = 20.0;
    /// Font size of a node's second line (kind, vendor) and of its extra lines.
    pub const SMALL: f64 = 14.0;
    /// Font size of edge labels.
    pub const EDGE: f64 = 14.0;
    /// Font size of group titles.
    pub const GROUP: f64 = 15.0;
    /// Font size of the view's title.
    pub const TITLE: f64 = 28.0;
    /// Font size of legend entries, the footer and notes.
    pub const NOTE: f64 = 14.0;
    /// Line height as a multiple of the font size.
    pub const LINE: f64 = 1.3;
    /// Horizontal padding inside a node box, px (each side).
    pub const PAD_X: f64 = 14.0;
    /// Vertical padding inside a node box, px (each side).
    pub const PAD_Y: f64 = 8.0;
    /// Smallest node width, px.
    pub const MIN_WIDTH: f64 = 110.0;
}

/// Flow direction of a layered layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// Ranks from top to bottom.
    TopDown,
    /// Ranks from left to right.
    LeftRight,
}

/// Shape of a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Rectangle with rounded corners (systems, activities).
    Rounded,
    /// Plain rectangle (data entities: a table header + attribute lines).
    Table,
    /// Pill / stadium (performers).
    Pill,
    /// Cylinder (data stores: warehouse).
    Cylinder,
}

/// How a node or edge is emphasised. A node may have several marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mark {
    /// Exists only after the plan (drawn dashed).
    Planned,
    /// Removed during the plan (drawn dotted, faded).
    Retiring,
    /// Involved in an error-level finding (findings overlay).
    FindingError,
    /// Involved in a warning-level finding.
    FindingWarning,
    /// Involved in an info-level finding.
    FindingInfo,
    /// Named by a finding of the overlay without being what it is about
    /// (the system that needs a silo's data, the rest of an integration's
    /// stack): a thin outline, so the subjects stand out.
    FindingRelated,
    /// Personal data (DIV).
    Pii,
    /// The entity a lineage view is about / its system of record.
    Focus,
    /// Somewhere an entity should be but is not (lineage "missing").
    Missing,
    /// Diff: new in this version (or newly in this view).
    Added,
    /// Diff: only in the old version; drawn back in from it.
    Removed,
    /// Diff: in both versions, changed.
    Changed,
    /// An activity no system supports in the drawn state (OV-5b): done by
    /// hand.
    Unsupported,
}

impl Mark {
    /// The diff marks, in the order legends and exporters list them.
    pub const DIFF: [Mark; 3] = [Mark::Added, Mark::Removed, Mark::Changed];

    /// Whether this is one of the diff marks.
    pub fn is_diff(self) -> bool {
        Mark::DIFF.contains(&self)
    }
}

/// A node to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Stable key, unique in the diagram (`sys-salesforce`); becomes the SVG id.
    pub key: String,
    /// Main label (the entity name).
    pub label: String,
    /// Second line in smaller type (kind, vendor, stage).
    pub sublabel: Option<String>,
    /// Further lines (DIV attributes), drawn below a rule.
    pub lines: Vec<String>,
    /// Shape.
    pub shape: Shape,
    /// Fill colour class (a palette index chosen by the view, e.g. by
    /// system kind or performer), 0..PALETTE.
    pub color: usize,
    /// Emphasis.
    pub marks: Vec<Mark>,
    /// Index into [`Diagram::groups`], if the node belongs to a group.
    pub group: Option<usize>,
    /// Tooltip text (SVG `<title>`): id, description.
    pub tooltip: String,
}

/// An edge to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    /// Stable key, unique in the diagram (`int-lead-sync`).
    pub key: String,
    /// Index of the source node.
    pub from: usize,
    /// Index of the target node.
    pub to: usize,
    /// Label lines (may be empty).
    pub label: Vec<String>,
    /// Arrowheads at both ends.
    pub both_ways: bool,
    /// Emphasis (planned/retiring/finding…).
    pub marks: Vec<Mark>,
    /// Tooltip text.
    pub tooltip: String,
}

/// A group of nodes drawn inside one frame (owner, performer lane, domain).
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// Stable key.
    pub key: String,
    /// Title drawn on the frame.
    pub label: String,
    /// Palette index of the frame tint.
    pub color: usize,
}

/// One legend entry.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendItem {
    /// What the swatch looks like.
    pub swatch: Swatch,
    /// What it means.
    pub text: String,
}

/// A legend swatch.
#[derive(Clone, Debug, PartialEq)]
pub enum Swatch {
    /// A node fill of a palette colour.
    Fill(usize),
    /// A node outline with a mark.
    Outline(Mark),
    /// A line with a mark (or plain when None).
    Line(Option<Mark>),
}

/// Everything one view draws, before layout.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagram {
    /// View id, also the file stem (`sv-1`).
    pub view: String,
    /// Title (`SV-1 Systems interface description`).
    pub title: String,
    /// Footer text (model name, plan period, state).
    pub footer: String,
    /// Layout direction.
    pub flow: Flow,
    /// Nodes, in a deterministic order.
    pub nodes: Vec<Node>,
    /// Edges, in a deterministic order.
    pub edges: Vec<Edge>,
    /// Groups.
    pub groups: Vec<Group>,
    /// Legend.
    pub legend: Vec<LegendItem>,
    /// A note drawn when the diagram has nothing to show.
    pub empty_note: Option<String>,
    /// Swimlanes: when set, the groups are lanes (one horizontal band
    /// each, in group order) and the nodes sit in columns left to right
    /// (OV-5b: performers × journey stages). Laid out by `layout::lanes`.
    pub lanes: Option<Lanes>,
    /// Text drawn between the title and the drawing (a focus slide's problem
    /// and fix). A diagram with a caption is drawn as a 16:9 slide.
    pub caption: Option<Caption>,
}

/// The column structure of a swimlane diagram ([`Diagram::lanes`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Lanes {
    /// Column titles, left to right (journey stages in journey order).
    pub columns: Vec<String>,
    /// Column of each node, parallel to [`Diagram::nodes`] (index into
    /// `columns`). A node without one (None, out of range or missing) is
    /// drawn in the column of its neighbours, else in an untitled column
    /// at the right; a node without a group in an untitled lane at the
    /// bottom.
    pub column: Vec<Option<usize>>,
}

/// The text block of a slide: a small line naming what it is about, then
/// paragraphs, each wrapped by the SVG writer to the drawing's width.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Caption {
    /// Small line above the paragraphs (level, finding key, state).
    pub kicker: String,
    /// Paragraphs, in order.
    pub paragraphs: Vec<Paragraph>,
}

/// One paragraph of a [`Caption`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Paragraph {
    /// Lead word drawn in bold ("Problem", "Fix"); may be empty.
    pub lead: String,
    /// The text as runs: `(true, id)` is code (drawn emphasised), `(false,
    /// text)` plain — as [`crate::analysis::spans`] reads a finding's message.
    pub runs: Vec<(bool, String)>,
}

/// Characters of one drawn text (a label, a line, a legend entry) at most.
pub const MAX_TEXT: usize = 160;
/// Characters of a tooltip (`<title>`) at most.
pub const MAX_TOOLTIP: usize = 1_000;
/// Characters of one caption paragraph (all its runs) at most.
pub const MAX_PARAGRAPH: usize = 600;

impl Diagram {
    /// A diagram with the given header and nothing in it.
    pub fn blank(view: &str, title: &str, footer: &str, flow: Flow) -> Diagram {
        Diagram {
            view: view.to_string(),
            title: title.to_string(),
            footer: footer.to_string(),
            flow,
            nodes: Vec::new(),
            edges: Vec::new(),
            groups: Vec::new(),
            legend: Vec::new(),
            empty_note: None,
            lanes: None,
            caption: None,
        }
    }

    /// Cuts every text to [`MAX_TEXT`] characters (tooltips to
    /// [`MAX_TOOLTIP`]), ending a cut one with `…`: a name of megabytes must
    /// not become a box of megabytes in every view, page and PNG. The model,
    /// the report's text and the findings keep the whole text.
    pub fn bound_text(&mut self) {
        cut(&mut self.title, MAX_TEXT);
        cut(&mut self.footer, MAX_TEXT);
        for n in &mut self.nodes {
            cut(&mut n.label, MAX_TEXT);
            if let Some(s) = &mut n.sublabel {
                cut(s, MAX_TEXT);
            }
            n.lines.iter_mut().for_each(|l| cut(l, MAX_TEXT));
            cut(&mut n.tooltip, MAX_TOOLTIP);
        }
        for e in &mut self.edges {
            e.label.iter_mut().for_each(|l| cut(l, MAX_TEXT));
            cut(&mut e.tooltip, MAX_TOOLTIP);
        }
        for g in &mut self.groups {
            cut(&mut g.label, MAX_TEXT);
        }
        for l in &mut self.legend {
            cut(&mut l.text, MAX_TEXT);
        }
        if let Some(lanes) = &mut self.lanes {
            lanes.columns.iter_mut().for_each(|c| cut(c, MAX_TEXT));
        }
        if let Some(n) = &mut self.empty_note {
            cut(n, MAX_TEXT);
        }
        if let Some(c) = &mut self.caption {
            cut(&mut c.kicker, MAX_TEXT);
            c.paragraphs.iter_mut().for_each(Paragraph::bound);
        }
    }
}

impl Paragraph {
    /// Cuts the runs to [`MAX_PARAGRAPH`] characters in all (the lead to
    /// [`MAX_TEXT`]), ending a cut one with `…`; drops the runs after it.
    fn bound(&mut self) {
        cut(&mut self.lead, MAX_TEXT);
        let mut left = MAX_PARAGRAPH;
        let mut keep = 0;
        for (_, text) in &mut self.runs {
            keep += 1;
            let chars = text.chars().count();
            if chars > left {
                cut(text, left.max(1));
                break;
            }
            left -= chars;
        }
        self.runs.truncate(keep);
    }
}

/// Cuts `s` to `max` characters, the last one `…`.
fn cut(s: &mut String, max: usize) {
    if let Some((at, _)) = s.char_indices().nth(max) {
        let keep = s[..at].char_indices().last().map_or(0, |(i, _)| i);
        s.truncate(keep);
        s.push('…');
    }
}

/// A point, px.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Point {
    /// x, px from the left.
    pub x: f64,
    /// y, px from the top.
    pub y: f64,
}

/// An axis-aligned rectangle, px.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// Whether two rectangles overlap (touching edges do not count).
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }
    /// The centre.
    pub fn center(&self) -> Point {
        Point {
            x: self.x + self.w / 2.0,
            y: self.y + self.h / 2.0,
        }
    }
}

/// Where an edge goes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EdgePath {
    /// Polyline from the source box border to the target box border (at
    /// least two points). The SVG writer may smooth it.
    pub points: Vec<Point>,
    /// The label's box, if the edge has a label.
    pub label: Option<Rect>,
    /// `Some(n)`: the label is drawn as the tag `n` in `label`'s box, on
    /// the edge, and in full in the key under the drawing (when it has no
    /// room beside its own edge, or the layout chose tags to stay compact).
    pub tag: Option<usize>,
}

/// A diagram's geometry. Indices match the diagram's nodes, edges, groups.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layout {
    /// Size of the drawing area (without title, legend and footer).
    pub width: f64,
    /// Height of the drawing area.
    pub height: f64,
    /// Node boxes.
    pub nodes: Vec<Rect>,
    /// Edge paths.
    pub edges: Vec<EdgePath>,
    /// Group frames (including their title band); for a swimlane diagram
    /// the lane bands (including the title strip at their left).
    pub groups: Vec<Rect>,
    /// Swimlane geometry, for a diagram with [`Diagram::lanes`].
    pub lanes: Option<LaneGeometry>,
}

/// Where the titles of a swimlane diagram go ([`Layout::lanes`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LaneGeometry {
    /// The title strip at the left of each lane (index = group). No node,
    /// edge or edge label covers it.
    pub titles: Vec<Rect>,
    /// The header cell of each column (index = [`Lanes::columns`]), on top
    /// of the lanes; its x range is the column's. One more, untitled, when
    /// some node has no column. No node, edge or edge label covers one.
    pub columns: Vec<Rect>,
    /// The band of the nodes without a lane (below the lanes, untitled).
    pub rest: Option<Rect>,
    /// Characters per line of node labels (the layout chooses narrower
    /// boxes than other diagrams have when that suits the frame).
    pub wrap: usize,
}

#[cfg(test)]
mod bound_tests {
    use super::*;

    #[test]
    fn drawn_texts_are_cut_with_an_ellipsis() {
        let mut s = "é".repeat(MAX_TEXT + 1);
        cut(&mut s, MAX_TEXT);
        assert_eq!(s.chars().count(), MAX_TEXT);
        assert!(s.ends_with("é…"));
        let mut short = "Salesforce".to_string();
        cut(&mut short, MAX_TEXT);
        assert_eq!(short, "Salesforce");
        let mut exact = "x".repeat(MAX_TEXT);
        cut(&mut exact, MAX_TEXT);
        assert_eq!(exact.len(), MAX_TEXT);
    }

    #[test]
    fn caption_paragraphs_are_bounded_across_their_runs() {
        let mut p = Paragraph {
            lead: "L".repeat(MAX_TEXT * 2),
            runs: vec![
                (false, "a".repeat(MAX_PARAGRAPH - 10)),
                (true, "b".repeat(100)),
                (false, "c".repeat(100)),
            ],
        };
        p.bound();
        assert_eq!(p.lead.chars().count(), MAX_TEXT);
        assert_eq!(p.runs.len(), 2);
        assert_eq!(p.runs[1].1.chars().count(), 10);
        assert!(p.runs[1].1.ends_with('…'));
        let total: usize = p.runs.iter().map(|(_, t)| t.chars().count()).sum();
        assert_eq!(total, MAX_PARAGRAPH);
        let mut short = Paragraph {
            lead: "Fix".into(),
            runs: vec![(false, "add ".into()), (true, "crm".into())],
        };
        let before = short.clone();
        short.bound();
        assert_eq!(short, before);
    }
}
