//! The page around a drawing: title band, the laid-out diagram, legend rows
//! and footer. The SVG writer draws it, and the layout measures candidate
//! drawings with it (a drawing is judged by the whole page it makes, not
//! by its graph alone), so both get the same numbers from here.

use super::diagram::{metrics, Diagram, Layout, Swatch};
use super::text::{node_size, text_width};

/// Empty space left and right of everything, px.
pub const MARGIN: f64 = 24.0;
/// Height of the title band above the drawing, px.
pub const TITLE_BAND: f64 = 56.0;
/// Font size of legend entries, px.
pub const LEGEND_FONT: f64 = metrics::NOTE;
/// Height of one legend row, px.
pub const LEGEND_ROW: f64 = 24.0;
/// Room for the "Legend" heading at the start of the first row, px.
pub const LEGEND_HEAD: f64 = 76.0;
/// Height of the footer band, px.
pub const FOOTER_BAND: f64 = 34.0;
/// Gap between the drawing and the legend, px.
const LEGEND_GAP: f64 = 16.0;
/// Narrowest page, px (so a one-box view still has room for its legend).
const MIN_CONTENT: f64 = 560.0;

/// What a drawing is laid out for (`render --fit`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Fit {
    /// A 16:9 slide, 1920 × 1080 px: legible when the whole page fits it at
    /// its own size or larger (node names ≥ 20 px, other text ≥ 14 px).
    #[default]
    Slide,
    /// A4 landscape at 96 dpi, 1123 × 794 px: legible when the page fits it
    /// at ≥ 0.75 × (node names ≥ 15 px ≈ 11 pt, other text ≥ 10.5 px ≈ 8 pt).
    A4,
    /// No frame: the layout the graph suggests, split by node count only.
    None,
}

impl Fit {
    /// The frame (width, height) in px, if any.
    pub fn frame(self) -> Option<(f64, f64)> {
        match self {
            Fit::Slide => Some((1920.0, 1080.0)),
            Fit::A4 => Some((1123.0, 794.0)),
            Fit::None => None,
        }
    }

    /// The smallest scale at which the page is legible in the frame.
    pub fn min_scale(self) -> f64 {
        match self {
            Fit::Slide | Fit::None => 1.0,
            Fit::A4 => 0.75,
        }
    }

    /// The scale at which a page of `w` × `h` px is shown fitted to the
    /// frame (1 without a frame).
    pub fn scale(self, w: f64, h: f64) -> f64 {
        match self.frame() {
            Some((fw, fh)) if w > 0.0 && h > 0.0 => (fw / w).min(fh / h),
            _ => 1.0,
        }
    }

    /// Whether a page of `w` × `h` px meets the legibility target.
    pub fn legible(self, w: f64, h: f64) -> bool {
        self.scale(w, h) >= self.min_scale() - 1e-9
    }

    /// Whether `d` laid out as `l` meets the legibility target.
    pub fn fits(self, d: &Diagram, l: &Layout) -> bool {
        let (w, h) = page_size(d, l.width, l.height);
        self.legible(w, h)
    }
}

/// One legend entry placed in a row: text, swatch, x of its start.
pub type LegendEntry = (String, Swatch, f64);

/// The page of one view.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    /// Whole page, px.
    pub width: f64,
    /// Whole page, px.
    pub height: f64,
    /// Top of the drawing area.
    pub draw_top: f64,
    /// Top of the legend.
    pub legend_top: f64,
    /// Legend entries in rows.
    pub legend: Vec<Vec<LegendEntry>>,
}

/// Width of the page a drawing of `content_w` needs for `d`'s title.
fn content_width(d: &Diagram, layout_w: f64) -> f64 {
    let title_w = text_width(&d.title, metrics::TITLE) * 1.08;
    layout_w.max(title_w).max(MIN_CONTENT)
}

/// The page for `d` laid out as `l`.
pub fn page(d: &Diagram, l: &Layout) -> Page {
    let content_w = content_width(d, l.width);
    let width = content_w + 2.0 * MARGIN;
    let legend = legend_rows(d, content_w);
    let draw_top = TITLE_BAND;
    let draw_h = if d.empty_note.is_some() {
        l.height.max(80.0)
    } else {
        l.height
    };
    let legend_top = draw_top + draw_h + LEGEND_GAP;
    let legend_h = if legend.is_empty() {
        0.0
    } else {
        LEGEND_ROW * legend.len() as f64
    };
    Page {
        width,
        height: legend_top + legend_h + FOOTER_BAND,
        draw_top,
        legend_top,
        legend,
    }
}

/// Page size for a drawing of `w` × `h` px (what [`page`] would give a
/// layout of that size), without building the legend's text: for scoring
/// many candidate layouts.
pub fn page_size(d: &Diagram, w: f64, h: f64) -> (f64, f64) {
    let content_w = content_width(d, w);
    let rows = legend_row_count(d, content_w);
    let draw_h = if d.empty_note.is_some() {
        h.max(80.0)
    } else {
        h
    };
    let legend_h = if rows == 0 {
        0.0
    } else {
        LEGEND_ROW * rows as f64
    };
    (
        content_w + 2.0 * MARGIN,
        TITLE_BAND + draw_h + LEGEND_GAP + legend_h + FOOTER_BAND,
    )
}

/// Whether `d` cannot be legible in `fit`'s frame whatever its layout: its
/// boxes alone, each with the least gap any layout keeps around it, cover
/// more than the frame's drawing area at the legible scale. A cheap test
/// (no layout) that lets the legibility split skip hopeless drawings.
pub fn surely_illegible(d: &Diagram, fit: Fit) -> bool {
    let Some((fw, fh)) = fit.frame() else {
        return false;
    };
    let s = fit.min_scale();
    let avail_w = fw / s - 2.0 * MARGIN;
    // The least the title, legend and footer take: the legend as wide as
    // the frame allows.
    let (_, overhead) = page_size(d, avail_w, 0.0);
    let avail_h = fh / s - overhead;
    if avail_h <= 0.0 {
        return !d.nodes.is_empty();
    }
    let area: f64 = d
        .nodes
        .iter()
        .map(|n| {
            let (w, h) = node_size(n);
            (w + 24.0) * (h + 24.0)
        })
        .sum();
    area > avail_w * avail_h
}

/// Advance width of a legend entry.
fn entry_width(text: &str) -> f64 {
    // 15 % slack: renderers without Helvetica/Arial (LibreOffice falls back
    // to DejaVu Sans) set text wider, and legend entries sit side by side.
    36.0 + text_width(text, LEGEND_FONT) * 1.15 + 28.0
}

fn legend_row_count(d: &Diagram, width: f64) -> usize {
    legend_rows(d, width).len()
}

/// Legend items laid out in rows, the first row after the heading.
fn legend_rows(d: &Diagram, width: f64) -> Vec<Vec<LegendEntry>> {
    let mut rows: Vec<Vec<LegendEntry>> = Vec::new();
    let mut x = LEGEND_HEAD;
    for item in &d.legend {
        let w = entry_width(&item.text);
        if rows.is_empty() || (x + w > width && x > 0.0) {
            if !rows.is_empty() {
                x = 0.0;
            }
            rows.push(Vec::new());
        }
        if let Some(row) = rows.last_mut() {
            row.push((item.text.clone(), item.swatch.clone(), x));
        }
        x += w;
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::diagram::{Flow, LegendItem};

    #[test]
    fn page_size_agrees_with_the_page() {
        let mut d = Diagram {
            view: "t".into(),
            title: "A title".into(),
            footer: String::new(),
            flow: Flow::TopDown,
            nodes: Vec::new(),
            edges: Vec::new(),
            groups: Vec::new(),
            legend: Vec::new(),
            empty_note: None,
            lanes: None,
        };
        for i in 0..12 {
            d.legend.push(LegendItem {
                swatch: Swatch::Fill(i),
                text: format!("legend entry number {i}"),
            });
        }
        for w in [100.0, 700.0, 1500.0, 4000.0] {
            let l = Layout {
                width: w,
                height: 300.0,
                ..Layout::default()
            };
            let p = page(&d, &l);
            assert_eq!(page_size(&d, w, 300.0), (p.width, p.height));
        }
    }
}
