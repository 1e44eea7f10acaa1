//! The `render` stage: graph → views → layout → SVG / PNG / DOT / Mermaid.
//!
//! `views` decides *what* each DoDAF model shows ([`diagram::Diagram`]);
//! `layout` decides *where* ([`diagram::Layout`], built on layout-rs);
//! `split` cuts a view above `max_nodes` nodes into an overview and one
//! drawing per group (before layout: the whole view is then never laid out);
//! `svg`, `png` and `export` draw; `quality` measures a drawing (size on a
//! slide, crossings, label conflicts). The drawing stages never see the model.

pub mod crossings;
pub mod diagram;
pub mod diff;
pub mod export;
pub mod layout;
pub mod png;
pub mod quality;
pub mod split;
pub mod svg;
pub mod text;
pub mod views;

use crate::analysis::analyse;
use crate::graph::Graph;
use crate::model::State;

pub use svg::Theme;
pub use views::View;

/// A view ready to write.
pub struct Rendered {
    /// The abstract diagram.
    pub diagram: diagram::Diagram,
    /// Its geometry.
    pub layout: diagram::Layout,
}

impl Rendered {
    /// The SVG document.
    pub fn svg(&self, theme: Theme) -> String {
        svg::to_svg(&self.diagram, &self.layout, theme)
    }
}

/// Builds and lays out one view. `findings`: overlay SV-1/SV-2 with the
/// state's silo, island and orphan findings. None for a lineage of an
/// unknown entity.
pub fn render(view: &View, g: &Graph<'_>, state: State, findings: bool) -> Option<Rendered> {
    let analysis = findings.then(|| analyse(g, state));
    let opts = views::ViewOptions {
        state,
        findings: analysis.as_ref(),
        flow: None,
    };
    let diagram = views::build(view, g, &opts)?;
    let layout = layout::layout(&diagram);
    Some(Rendered { diagram, layout })
}

/// One group's drawing of a split view.
pub struct RenderedPart {
    /// File-safe slug (`sales--dach-sales`): the file is `VIEW--SLUG.svg`.
    pub slug: String,
    /// The group's name with the groups above it.
    pub label: String,
    /// Depth below the overview (1 = a group of the overview).
    pub depth: usize,
    /// Nodes of the view in the group.
    pub nodes: usize,
    /// Edges of the view inside the group.
    pub edges_inside: usize,
    /// Whether this drawing is an overview of sub-groups.
    pub is_overview: bool,
    /// The drawing.
    pub rendered: Rendered,
}

/// A view ready to write: one drawing, or — above the threshold — an
/// overview (`main`) and one drawing per group (`parts`).
pub struct RenderedView {
    /// The view, or its overview when split.
    pub main: Rendered,
    /// The groups' drawings (empty when the view is not split).
    pub parts: Vec<RenderedPart>,
    /// Why and how the view is split (None when it is not).
    pub explanation: Option<String>,
    /// Nodes of the whole view.
    pub nodes: usize,
    /// Groups in the overview (0 when not split).
    pub groups: usize,
}

/// Like [`render`], but a view with more than `max_nodes` nodes (`0`: no
/// limit) is split by [`split::split`] into an overview and one drawing
/// per group, each laid out on its own.
pub fn render_view(
    view: &View,
    g: &Graph<'_>,
    state: State,
    findings: bool,
    max_nodes: usize,
) -> Option<RenderedView> {
    let analysis = findings.then(|| analyse(g, state));
    let opts = views::ViewOptions {
        state,
        findings: analysis.as_ref(),
        flow: None,
    };
    render_view_with(view, g, &opts, max_nodes)
}

/// [`render_view`] with the state's analysis and data flow already at hand
/// in `opts` (the report draws hundreds of views of one state and computes
/// them once).
pub fn render_view_with(
    view: &View,
    g: &Graph<'_>,
    opts: &views::ViewOptions<'_>,
    max_nodes: usize,
) -> Option<RenderedView> {
    let diagram = views::build(view, g, opts)?;
    let nodes = diagram.nodes.len();
    let cut = if max_nodes > 0 && nodes > max_nodes {
        let paths = split::group_paths(g, &diagram);
        split::split(&diagram, &paths, split::Words::of(view), max_nodes)
    } else {
        None
    };
    let Some(cut) = cut else {
        let layout = layout::layout(&diagram);
        return Some(RenderedView {
            main: Rendered { diagram, layout },
            parts: Vec::new(),
            explanation: None,
            nodes,
            groups: 0,
        });
    };
    let lay = |diagram: diagram::Diagram| {
        let layout = layout::layout(&diagram);
        Rendered { diagram, layout }
    };
    let parts = cut
        .parts
        .into_iter()
        .map(|p| RenderedPart {
            slug: p.slug,
            label: p.label,
            depth: p.depth,
            nodes: p.nodes,
            edges_inside: p.edges_inside,
            is_overview: p.is_overview,
            rendered: lay(p.diagram),
        })
        .collect();
    Some(RenderedView {
        main: lay(cut.overview),
        parts,
        explanation: Some(cut.explanation),
        nodes,
        groups: cut.groups,
    })
}
