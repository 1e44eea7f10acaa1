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
pub mod page;
pub mod png;
pub mod quality;
pub mod slides;
pub mod split;
pub mod svg;
pub mod text;
pub mod views;

use std::collections::BTreeMap;

use crate::analysis::analyse;
use crate::graph::Graph;
use crate::model::State;

pub use page::Fit;
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

/// Like [`render`], but laid out for `sizing.fit`, and a view that is too
/// large (see [`render_view_with`]) is split by [`split::split`] into an
/// overview and one drawing per group, each laid out on its own.
pub fn render_view(
    view: &View,
    g: &Graph<'_>,
    state: State,
    findings: bool,
    sizing: Sizing,
) -> Option<RenderedView> {
    let analysis = findings.then(|| analyse(g, state));
    let opts = views::ViewOptions {
        state,
        findings: analysis.as_ref(),
        flow: None,
    };
    render_view_with(view, g, &opts, sizing)
}

/// How a view is sized: the frame it is laid out for and when it is split.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sizing {
    /// The frame (`--fit`).
    pub fit: Fit,
    /// `Some(n)`: split a view of more than `n` nodes (`Some(0)`: never) —
    /// the `--max-nodes` override. `None`: split when the view is not
    /// legible in the frame (for [`Fit::None`]: above
    /// [`split::DEFAULT_MAX_NODES`]).
    pub max_nodes: Option<usize>,
}

impl Default for Sizing {
    fn default() -> Sizing {
        Sizing {
            fit: Fit::Slide,
            max_nodes: None,
        }
    }
}

impl Sizing {
    /// Split by node count only (`0`: never), fitted to `fit`.
    pub fn nodes(fit: Fit, max_nodes: usize) -> Sizing {
        Sizing {
            fit,
            max_nodes: Some(max_nodes),
        }
    }
}

/// Smallest node-count threshold the legibility split goes down to: below
/// it a drawing that still does not fit is drawn as it is (its boundary
/// nodes — one per other group it exchanges with — are what does not fit,
/// and a smaller cut would only add more of them).
const MIN_SPLIT_NODES: usize = 8;

/// [`MIN_SPLIT_NODES`] for a swimlane view, cut into runs of journey
/// stages: a part there gains no boundary nodes, so the cut can go on
/// until each part is a stage or two.
const MIN_STAGE_SPLIT_NODES: usize = 3;

/// Nodes per view laid out with the full candidate search
/// ([`layout::layout_fit`]); later drawings of the view get the quick one.
const VIEW_EFFORT: usize = 600;

/// Views above this many nodes get one round of layouts in the legibility
/// split (the area bound still picks the threshold).
const LARGE_VIEW: usize = 1_000;

/// Rounds of layouts the legibility split spends (thresholds rejected by
/// the area bound alone cost none); after them the last cut is drawn.
const MAX_LAYOUT_ROUNDS: usize = 3;

/// The most of the frame a written part's boxes may cover ([`page::fill`]
/// with the least gap) for the legibility split to lay it out: measured on
/// the generated M (300 systems), written parts fitted a slide up to 0.59
/// and none from 0.64 up; laying out the ones above 0.7 (25–43 boxes)
/// made `report` on M 2 s slower (11.4 s against 9.5 s).
const WRITTEN_FILL_MAX: f64 = 0.7;

/// [`render_view`] with the state's analysis and data flow already at hand
/// in `opts` (the report draws hundreds of views of one state and computes
/// them once).
///
/// With a frame and no `max_nodes`, the split is decided by legibility: the
/// whole view (up to [`split::DEFAULT_MAX_NODES`] nodes) is laid out and
/// kept when its page fits the frame ([`Fit::fits`]); otherwise the view is
/// split with lower and lower node thresholds until every drawing fits (a
/// part fits when its drawing or its written variant does,
/// [`split::Part::written`]) or the threshold reaches [`MIN_SPLIT_NODES`].
pub fn render_view_with(
    view: &View,
    g: &Graph<'_>,
    opts: &views::ViewOptions<'_>,
    sizing: Sizing,
) -> Option<RenderedView> {
    let diagram = views::build(view, g, opts)?;
    let nodes = diagram.nodes.len();
    let fit = sizing.fit;
    // The full candidate search for the first VIEW_EFFORT nodes laid out
    // (repeats across rounds count), a quick one after: deterministic.
    let spent = std::cell::Cell::new(0usize);
    let effort = |d: &diagram::Diagram| {
        let full = spent.get() < VIEW_EFFORT;
        spent.set(spent.get() + d.nodes.len());
        full
    };
    let layout_fit = |d: &diagram::Diagram| layout::layout_fit_effort(d, fit, effort(d));
    // Layouts of several drawings at once, in parallel: the effort of each
    // is decided first, in order, so the result is the sequential one.
    // Drawings whose content is in `cache` are not laid out again.
    let lay_many = |ds: &[&diagram::Diagram], cache: &mut BTreeMap<String, diagram::Layout>| {
        let mut todo: Vec<(&diagram::Diagram, bool)> = Vec::new();
        let mut keys: Vec<String> = Vec::new();
        for d in ds {
            let key = fingerprint(d);
            if !cache.contains_key(&key) && !keys.contains(&key) {
                todo.push((d, effort(d)));
                keys.push(key);
            }
        }
        let layouts = crate::par::map(&todo, |&(d, full)| layout::layout_fit_effort(d, fit, full));
        cache.extend(keys.into_iter().zip(layouts));
    };
    let whole = |diagram: diagram::Diagram, layout: diagram::Layout| RenderedView {
        main: Rendered { diagram, layout },
        parts: Vec::new(),
        explanation: None,
        nodes,
        groups: 0,
    };
    let cap = split::DEFAULT_MAX_NODES;
    let by_legibility = sizing.max_nodes.is_none() && fit.frame().is_some();
    let max_nodes = sizing.max_nodes.unwrap_or(cap);
    if max_nodes == 0 || (nodes <= max_nodes && !by_legibility) {
        let layout = layout_fit(&diagram);
        return Some(whole(diagram, layout));
    }
    let paths = split::group_paths(g, &diagram);
    let words = split::Words::of(view);
    if !by_legibility {
        return match split::split(&diagram, &paths, words, max_nodes) {
            Some(cut) => {
                let mut cache = BTreeMap::new();
                lay_many(&assembly_order(&cut), &mut cache);
                lay_written(&cut, &mut cache, fit);
                Some(assemble(cut, nodes, &cache, fit))
            }
            None => {
                let layout = layout_fit(&diagram);
                Some(whole(diagram, layout))
            }
        };
    }
    if nodes <= cap && !page::surely_illegible(&diagram, fit) {
        let layout = layout_fit(&diagram);
        if fit.fits(&diagram, &layout) {
            return Some(whole(diagram, layout));
        }
    }
    // Layouts of parts already tried, by content: lowering the threshold
    // re-cuts only the groups above it, the other parts come back equal.
    let mut cache: BTreeMap<String, diagram::Layout> = BTreeMap::new();
    let mut threshold = (nodes - 1).min(cap);
    let mut last: Option<split::Split> = None;
    let mut rounds = 0;
    // a swimlane view is cut along its journey, where a smaller cut only
    // means fewer stages per drawing (no boundary nodes are added)
    let min_split = if diagram.lanes.is_some() {
        MIN_STAGE_SPLIT_NODES
    } else {
        MIN_SPLIT_NODES
    };
    while threshold >= min_split {
        let Some(cut) = split::split(&diagram, &paths, words, threshold) else {
            break;
        };
        // Cheap bound first: a part whose boxes alone cannot fit needs a
        // lower threshold whatever its layout.
        let drawings = || {
            std::iter::once((&cut.overview, cut.groups))
                .chain(cut.parts.iter().map(|p| (&p.diagram, p.nodes)))
        };
        // (a part with its boundary written on its boxes fits when either
        // drawing of it does: see `choose`)
        let written = |d: &diagram::Diagram| {
            cut.parts
                .iter()
                .find(|p| std::ptr::eq(&p.diagram, d))
                .and_then(|p| p.written.as_ref())
        };
        let mut worst = drawings()
            .filter(|(d, _)| {
                page::surely_illegible(d, fit)
                    && written(d).is_none_or(|w| page::surely_illegible(w, fit))
            })
            .map(|(_, n)| n)
            .max();
        let bounded = worst.is_some();
        if !bounded {
            rounds += 1;
            let ds: Vec<&diagram::Diagram> = drawings().map(|(d, _)| d).collect();
            lay_many(&ds, &mut cache);
            let fits = |d: &diagram::Diagram, cache: &BTreeMap<String, diagram::Layout>| {
                cache.get(&fingerprint(d)).is_some_and(|l| fit.fits(d, l))
            };
            lay_written(&cut, &mut cache, fit);
            for (d, n) in drawings() {
                if !fits(d, &cache) && written(d).is_none_or(|w| !fits(w, &cache)) {
                    worst = Some(worst.map_or(n, |w: usize| w.max(n)));
                }
            }
        }
        last = Some(cut);
        let Some(worst) = worst else { break };
        let max_rounds = if nodes > LARGE_VIEW {
            1
        } else {
            MAX_LAYOUT_ROUNDS
        };
        if !bounded && rounds >= max_rounds {
            break;
        }
        // Below the largest drawing that does not fit (an overview that
        // does not fit counts its groups), by at least a quarter.
        threshold = (threshold - 1).min(worst.saturating_mul(3) / 4);
    }
    let Some(cut) = last else {
        let layout = layout_fit(&diagram);
        return Some(whole(diagram, layout));
    };
    let (by, words) = (cut.by.clone(), cut.words);
    lay_many(&assembly_order(&cut), &mut cache);
    lay_written(&cut, &mut cache, fit);
    let rv = assemble(cut, nodes, &cache, fit);
    Some(legible_note(rv, fit, words, &by))
}

/// Lays out, into `cache`, the written variant ([`split::Part::written`])
/// of every part of `cut` whose drawing is laid out in `cache` and does
/// not fit `fit`, unless its boxes cover more than [`WRITTEN_FILL_MAX`] of
/// the frame or it is laid out already. With the full search: a written
/// part has wide boxes and few edges, and the quick search's two
/// candidates leave it tall (measured on the generated M's SV-1 in the
/// last round: 2 of 14 written parts fit a slide with the quick search, 7
/// of 13 with the full one).
fn lay_written(cut: &split::Split, cache: &mut BTreeMap<String, diagram::Layout>, fit: Fit) {
    let mut todo: Vec<&diagram::Diagram> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    for p in &cut.parts {
        let (Some(w), Some(l)) = (&p.written, cache.get(&fingerprint(&p.diagram))) else {
            continue;
        };
        if fit.fits(&p.diagram, l) || page::fill(w, fit, page::LEAST_GAP) > WRITTEN_FILL_MAX {
            continue;
        }
        let key = fingerprint(w);
        if !cache.contains_key(&key) && !keys.contains(&key) {
            todo.push(w);
            keys.push(key);
        }
    }
    let laid = crate::par::map(&todo, |d| layout::layout_fit(d, fit));
    cache.extend(keys.into_iter().zip(laid));
}

/// What identifies a drawing's content for the layout cache of
/// [`render_view_with`]: its view, title, nodes (key, label, group,
/// sublabel, lines: what sizes a box) and edges (key, ends, label).
/// Layouts depend on nothing else that a split changes (a part and its
/// written variant differ in their lines).
fn fingerprint(d: &diagram::Diagram) -> String {
    use std::fmt::Write as _;
    let mut s = format!("{}\u{0}{}\u{0}", d.view, d.title);
    for n in &d.nodes {
        let _ = write!(
            s,
            "{}\u{1}{}\u{1}{:?}\u{1}{:?}\u{1}{:?}\u{2}",
            n.key, n.label, n.group, n.sublabel, n.lines
        );
    }
    for e in &d.edges {
        let _ = write!(
            s,
            "{}\u{1}{}\u{1}{}\u{1}{:?}\u{2}",
            e.key, e.from, e.to, e.label
        );
    }
    s
}

/// Says in a split view's explanation that legibility decided the split.
fn legible_note(mut rv: RenderedView, fit: Fit, words: split::Words, by: &str) -> RenderedView {
    let why = match fit {
        Fit::A4 => "too many to fit an A4 page with text of 8 pt or more",
        Fit::Slide | Fit::None => {
            "too many to fit a 16:9 slide with names of 20 px and other text of 14 px or more"
        }
    };
    rv.explanation = Some(split::explain(words, rv.nodes, why, by));
    rv
}

/// The drawings of a cut in the order [`assemble`] has always laid them
/// out (the parts, then the overview), which decides each one's effort.
fn assembly_order(cut: &split::Split) -> Vec<&diagram::Diagram> {
    cut.parts
        .iter()
        .map(|p| &p.diagram)
        .chain(std::iter::once(&cut.overview))
        .collect()
}

/// A part's drawing, or the same part with its boundary written on its
/// boxes (`written`, [`split::Part::written`]) when the drawing does not
/// fit `fit` legibly and the written one fits, or at least reads larger.
/// (`written` is asked for only then; [`lay_written`] has laid it out.)
fn choose(drawn: Rendered, written: impl FnOnce() -> Option<Rendered>, fit: Fit) -> Rendered {
    if fit.fits(&drawn.diagram, &drawn.layout) {
        return drawn;
    }
    let scale = |r: &Rendered| {
        let (w, h) = page::page_size(&r.diagram, &r.layout);
        fit.scale(w, h)
    };
    match written() {
        Some(w) if scale(&w) > scale(&drawn) => w,
        _ => drawn,
    }
}

/// A cut view with its layouts: its overview and every part, each laid
/// out in `layouts` (by [`fingerprint`]; [`render_view_with`] fills it).
fn assemble(
    cut: split::Split,
    nodes: usize,
    layouts: &BTreeMap<String, diagram::Layout>,
    fit: Fit,
) -> RenderedView {
    let lay = |diagram: diagram::Diagram| {
        let layout = layouts
            .get(&fingerprint(&diagram))
            .cloned()
            .unwrap_or_else(|| layout::layout_fit(&diagram, fit));
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
            rendered: choose(
                lay(p.diagram),
                || {
                    let w = p.written?;
                    let layout = layouts.get(&fingerprint(&w))?.clone();
                    Some(Rendered { diagram: w, layout })
                },
                fit,
            ),
        })
        .collect();
    RenderedView {
        main: lay(cut.overview),
        parts,
        explanation: Some(cut.explanation),
        nodes,
        groups: cut.groups,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(label: &str, width: f64, height: f64) -> Rendered {
        let diagram = diagram::Diagram::blank("sv-1--a", label, "", diagram::Flow::TopDown);
        let layout = diagram::Layout {
            width,
            height,
            ..Default::default()
        };
        Rendered { diagram, layout }
    }

    #[test]
    fn a_part_that_does_not_fit_is_drawn_written_when_that_reads_larger() {
        let fit = Fit::Slide;
        let too_wide = || rendered("drawn", 4000.0, 900.0);
        let chosen = choose(too_wide(), || Some(rendered("written", 1800.0, 800.0)), fit);
        assert_eq!(chosen.diagram.title, "written");
        // still too large, but larger on the slide than the drawn one
        let chosen = choose(too_wide(), || Some(rendered("written", 2400.0, 900.0)), fit);
        assert_eq!(chosen.diagram.title, "written");
        // near misses: smaller on the slide, or nothing written
        let chosen = choose(too_wide(), || Some(rendered("written", 5000.0, 900.0)), fit);
        assert_eq!(chosen.diagram.title, "drawn");
        assert_eq!(choose(too_wide(), || None, fit).diagram.title, "drawn");
    }

    #[test]
    fn a_part_that_fits_is_drawn_without_laying_out_the_written_one() {
        let chosen = choose(
            rendered("drawn", 1600.0, 800.0),
            || panic!("laid out the written part of a drawing that fits"),
            Fit::Slide,
        );
        assert_eq!(chosen.diagram.title, "drawn");
    }

    #[test]
    fn a_written_part_is_not_given_its_drawn_layout() {
        let r = rendered("part", 100.0, 100.0);
        let mut d = r.diagram.clone();
        d.nodes.push(diagram::Node {
            key: "sys-a".into(),
            label: "A".into(),
            sublabel: None,
            lines: Vec::new(),
            shape: diagram::Shape::Rounded,
            color: 0,
            marks: Vec::new(),
            group: None,
            tooltip: String::new(),
        });
        let mut written = d.clone();
        written.nodes[0].lines.push("→ Sales (2)".into());
        assert_ne!(fingerprint(&d), fingerprint(&written));
        assert_eq!(fingerprint(&d), fingerprint(&d.clone()));
    }
}
