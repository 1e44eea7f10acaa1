//! The `render` stage: graph → views → layout → SVG / PNG / DOT / Mermaid.
//!
//! `views` decides *what* each DoDAF model shows ([`diagram::Diagram`]);
//! `layout` decides *where* ([`diagram::Layout`], built on layout-rs);
//! `svg`, `png` and `export` draw. The drawing stages never see the model.

pub mod crossings;
pub mod diagram;
pub mod diff;
pub mod export;
pub mod layout;
pub mod png;
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
    };
    let diagram = views::build(view, g, &opts)?;
    let layout = layout::layout(&diagram);
    Some(Rendered { diagram, layout })
}
