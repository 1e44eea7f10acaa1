//! SVG writer: a positioned diagram → one standalone, deck-ready SVG file.
//!
//! Compatibility choices (browsers, LibreOffice, rsvg, resvg all draw the
//! same): presentation attributes instead of CSS, arrowheads as explicit
//! polygons instead of `<marker>`, no external fonts, images or scripts, a
//! safe font stack, every user string XML-escaped. Numbers are written with
//! one decimal so output is byte-stable.

use std::fmt::Write;

use super::diagram::{
    metrics, Diagram, Edge, EdgePath, Layout, Mark, Node, Point, Rect, Shape, Swatch,
};
use super::layout::GROUP_TITLE_BAND;
use super::text::{sublabel_lines, tag_size, wrap, WRAP_CHARS};

mod caption;
mod lanes;

/// Colour scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Theme {
    /// Light background, tinted fills (default; slides with white backgrounds).
    Light,
    /// Dark background (dark slide templates, projectors in dim rooms).
    Dark,
    /// Greyscale-safe: black on white, emphasis by line style and weight.
    Print,
}

/// The font stack used for all text.
pub const FONT: &str =
    "'Helvetica Neue', Helvetica, Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif";

use super::page::{
    legend_rows, FOOTER_BAND, KEY_ROW, KEY_TAG, LEGEND_FONT, LEGEND_GAP, LEGEND_ROW, MARGIN,
    TITLE_BAND,
};

pub(crate) struct Colors {
    pub(crate) background: &'static str,
    pub(crate) text: &'static str,
    pub(crate) muted: &'static str,
    pub(crate) stroke: &'static str,
    pub(crate) edge: &'static str,
    pub(crate) label_bg: &'static str,
    pub(crate) group_stroke: &'static str,
    pub(crate) fills: [&'static str; 10],
    pub(crate) group_fills: [&'static str; 10],
    pub(crate) error: &'static str,
    pub(crate) warning: &'static str,
    pub(crate) info: &'static str,
    pub(crate) focus: &'static str,
    pub(crate) pii: &'static str,
    /// Diff: added elements.
    pub(crate) added: &'static str,
    /// Diff: removed elements.
    pub(crate) removed: &'static str,
    /// Diff: changed elements.
    pub(crate) changed: &'static str,
    /// Glyph colour inside a diff badge (on the mark colour).
    pub(crate) badge_ink: &'static str,
}

// Emphasis colours are from the Okabe–Ito palette (colour-blind safe).
const LIGHT: Colors = Colors {
    background: "#ffffff",
    text: "#1f2328",
    muted: "#57606a",
    stroke: "#6e7781",
    edge: "#57606a",
    label_bg: "#ffffff",
    group_stroke: "#afb8c1",
    fills: [
        "#d6e6f5", "#fde3c8", "#d8efd6", "#f3d6e4", "#d2ebee", "#fff0bf", "#e4e4e4", "#ececec",
        "#f8d4d0", "#e5e3f4",
    ],
    group_fills: [
        "#f3f8fd", "#fef8f1", "#f4fbf3", "#fcf4f8", "#f2f9fa", "#fffbee", "#f6f6f6", "#f8f8f8",
        "#fdf3f2", "#f7f6fc",
    ],
    error: "#d55e00",
    warning: "#e69f00",
    info: "#0072b2",
    focus: "#009e73",
    pii: "#cc79a7",
    added: "#009e73",
    removed: "#d55e00",
    changed: "#0072b2",
    badge_ink: "#ffffff",
};

const DARK: Colors = Colors {
    background: "#16181d",
    text: "#e6e8eb",
    muted: "#a0a7b1",
    stroke: "#8b949e",
    edge: "#9aa3ad",
    label_bg: "#16181d",
    group_stroke: "#3d444d",
    fills: [
        "#1d3550", "#4d3219", "#203f26", "#46263a", "#1b3d42", "#463d17", "#33363b", "#2b2e33",
        "#4d2220", "#2e2d4a",
    ],
    group_fills: [
        "#1a2330", "#261f19", "#1a261d", "#251c22", "#1a2527", "#25231a", "#1e2024", "#1c1e22",
        "#261b1b", "#1f1f2b",
    ],
    error: "#ff7f3f",
    warning: "#f0b429",
    info: "#56b4e9",
    focus: "#3dd6a3",
    pii: "#e59cc3",
    added: "#3dd6a3",
    removed: "#ff7f3f",
    changed: "#56b4e9",
    badge_ink: "#16181d",
};

const PRINT: Colors = Colors {
    background: "#ffffff",
    text: "#000000",
    muted: "#333333",
    stroke: "#000000",
    edge: "#000000",
    label_bg: "#ffffff",
    group_stroke: "#777777",
    fills: [
        "#ffffff", "#f2f2f2", "#e6e6e6", "#ffffff", "#f2f2f2", "#e6e6e6", "#ffffff", "#f2f2f2",
        "#e6e6e6", "#ffffff",
    ],
    group_fills: [
        "#fafafa", "#f7f7f7", "#fafafa", "#f7f7f7", "#fafafa", "#f7f7f7", "#fafafa", "#f7f7f7",
        "#fafafa", "#f7f7f7",
    ],
    error: "#000000",
    warning: "#000000",
    info: "#555555",
    focus: "#000000",
    pii: "#000000",
    added: "#000000",
    removed: "#555555",
    changed: "#000000",
    badge_ink: "#000000",
};

/// The colours of a theme (the deck draws with the same ones).
pub(crate) fn colors(theme: Theme) -> &'static Colors {
    match theme {
        Theme::Light => &LIGHT,
        Theme::Dark => &DARK,
        Theme::Print => &PRINT,
    }
}

/// Characters that must not reach an SVG or HTML document raw: the C0
/// controls but tab, LF and CR (XML 1.0 forbids them; NUL and ESC break
/// parsers and terminals), DEL and the C1 controls (HTML parse errors, the
/// SVG is inlined into HTML) and the noncharacters (U+FDD0–U+FDEF and every
/// U+xFFFE / U+xFFFF; XML 1.0 forbids U+FFFE and U+FFFF). Every writer of
/// model text into SVG or HTML shows them as U+FFFD `�`.
pub fn is_unsafe_char(c: char) -> bool {
    let u = c as u32;
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || (0xfdd0..=0xfdef).contains(&u)
        || u & 0xfffe == 0xfffe
}

/// Escapes text for XML content and attribute values; characters for which
/// [`is_unsafe_char`] holds become U+FFFD.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if is_unsafe_char(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// A number with one decimal, never `-0.0`.
fn n(v: f64) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    let s = format!("{:.1}", v);
    if s == "-0.0" {
        "0.0".into()
    } else {
        s
    }
}

/// A line style: colour, width (px), SVG dash pattern, opacity.
pub(crate) struct Stroke {
    pub(crate) color: &'static str,
    pub(crate) width: f64,
    pub(crate) dash: Option<&'static str>,
    pub(crate) opacity: Option<f64>,
}

/// The line style of an element with `marks` (`base` colour and width
/// when unmarked).
pub(crate) fn stroke_for(
    marks: &[Mark],
    c: &Colors,
    theme: Theme,
    base: &'static str,
    base_width: f64,
) -> Stroke {
    let mut s = Stroke {
        color: base,
        width: base_width,
        dash: None,
        opacity: None,
    };
    for m in marks {
        match m {
            Mark::Planned => s.dash = Some("7 4"),
            Mark::Retiring => {
                s.dash = Some("2 3");
                s.opacity = Some(0.65);
            }
            _ => {}
        }
    }
    if marks.contains(&Mark::Unsupported) {
        s.color = c.warning;
        s.width = 2.5;
    }
    // findings override colour and weight (worst first)
    let finding = [Mark::FindingError, Mark::FindingWarning, Mark::FindingInfo]
        .into_iter()
        .find(|m| marks.contains(m));
    match finding {
        Some(Mark::FindingError) => {
            s.color = c.error;
            s.width = 3.5;
        }
        Some(Mark::FindingWarning) => {
            s.color = c.warning;
            s.width = 3.0;
            if theme == Theme::Print {
                s.dash = Some("9 3");
            } else {
                s.color = c.error;
                s.dash = Some("9 3");
            }
        }
        Some(_) => {
            s.color = c.info;
            s.width = 2.5;
        }
        None if marks.contains(&Mark::FindingRelated) => {
            // involved, not the subject: thin and dotted, in the findings'
            // colour, so the subjects' heavy outlines stand out
            s.color = if theme == Theme::Print {
                c.stroke
            } else {
                c.warning
            };
            s.width = 1.75;
            s.dash = Some("1 3");
        }
        None => {}
    }
    if marks.contains(&Mark::Focus) {
        s.color = c.focus;
        s.width = 3.0;
    }
    if marks.contains(&Mark::Missing) {
        s.color = c.error;
        s.width = 2.5;
        s.dash = Some("5 4");
    }
    if marks.contains(&Mark::Pii) && finding.is_none() {
        s.color = c.pii;
        s.width = 2.0;
    }
    // A diff mark decides the whole line style: in a diff drawing the
    // change is the subject (lifecycle dashes stay on unchanged context).
    // Each mark differs by colour, weight and dash pattern, so print
    // (greyscale) tells them apart too; the badge glyph repeats it.
    match diff_mark(marks) {
        Some(Mark::Added) => {
            s.color = c.added;
            s.width = 3.0;
            s.dash = None;
            s.opacity = None;
        }
        Some(Mark::Removed) => {
            s.color = c.removed;
            s.width = 2.0;
            s.dash = Some("8 3 2 3");
            // faded as a whole (see REMOVED_OPACITY), not the outline alone
            s.opacity = None;
        }
        Some(_) => {
            s.color = c.changed;
            s.width = 2.5;
            s.dash = (theme == Theme::Print).then_some("4 2");
            s.opacity = None;
        }
        None => {}
    }
    s
}

/// Opacity of a removed element (node or edge with its label).
pub(crate) const REMOVED_OPACITY: f64 = 0.6;

/// The diff mark of an element, if any (added before removed before changed).
pub(crate) fn diff_mark(marks: &[Mark]) -> Option<Mark> {
    Mark::DIFF.into_iter().find(|m| marks.contains(m))
}

/// The glyph in a diff badge.
fn diff_glyph(m: Mark) -> &'static str {
    match m {
        Mark::Added => "+",
        Mark::Removed => "\u{2212}",
        _ => "\u{394}",
    }
}

/// A round badge with the diff glyph, centred on (cx, cy).
fn diff_badge(out: &mut String, m: Mark, cx: f64, cy: f64, r: f64, c: &Colors, theme: Theme) {
    let (fill, stroke) = if theme == Theme::Print {
        (c.background, c.text)
    } else {
        let fill = match m {
            Mark::Added => c.added,
            Mark::Removed => c.removed,
            _ => c.changed,
        };
        (fill, c.background)
    };
    let _ = writeln!(
        out,
        "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\"/>",
        n(cx),
        n(cy),
        n(r)
    );
    let size = badge_font(r);
    text(
        out,
        cx,
        cy + size * 0.35,
        Font {
            size,
            fill: c.badge_ink,
            anchor: "middle",
            weight: Some("700"),
        },
        diff_glyph(m),
    );
}

/// The point at fraction `t` of a polyline's length.
fn along(points: &[Point], t: f64) -> Point {
    let len = |a: &Point, b: &Point| ((b.x - a.x).powi(2) + (b.y - a.y).powi(2)).sqrt();
    let total: f64 = points.windows(2).map(|w| len(&w[0], &w[1])).sum();
    let mut left = total * t;
    for w in points.windows(2) {
        let l = len(&w[0], &w[1]);
        if l > 0.0 && left <= l {
            let f = left / l;
            return Point {
                x: w[0].x + (w[1].x - w[0].x) * f,
                y: w[0].y + (w[1].y - w[0].y) * f,
            };
        }
        left -= l;
    }
    points.last().copied().unwrap_or_default()
}

/// Radius of the diff badge on an edge.
pub(crate) const BEAD: f64 = 7.0;
/// Radius of the diff badge on a node's corner, px.
pub(crate) const NODE_BADGE: f64 = 8.0;
/// Radius of the diff badge on a legend swatch, px.
pub(crate) const LEGEND_BADGE: f64 = 6.0;

/// Size of the glyph in a diff badge of radius `r`, px.
pub(crate) fn badge_font(r: f64) -> f64 {
    r * 1.5
}

/// Where an edge's diff badge goes: the first point along the path, from
/// the middle outwards, whose badge covers no obstacle (boxes, group title
/// bands, edge labels, earlier badges); the middle if none is free.
fn bead_at(points: &[Point], obstacles: &[Rect]) -> Point {
    const TRIES: [f64; 11] = [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.25, 0.75, 0.15, 0.85];
    let r = BEAD + 2.0;
    TRIES
        .iter()
        .map(|&t| along(points, t))
        .find(|p| {
            let b = Rect {
                x: p.x - r,
                y: p.y - r,
                w: 2.0 * r,
                h: 2.0 * r,
            };
            !obstacles.iter().any(|o| o.overlaps(&b))
        })
        .unwrap_or_else(|| along(points, 0.5))
}

/// ` opacity="…"` for a removed element's group, else nothing.
fn group_opacity(marks: &[Mark]) -> String {
    if diff_mark(marks) == Some(Mark::Removed) {
        format!(" opacity=\"{}\"", n(REMOVED_OPACITY))
    } else {
        String::new()
    }
}

fn stroke_attrs(s: &Stroke) -> String {
    let mut a = format!(" stroke=\"{}\" stroke-width=\"{}\"", s.color, n(s.width));
    if let Some(d) = s.dash {
        a.push_str(&format!(" stroke-dasharray=\"{d}\""));
    }
    if let Some(o) = s.opacity {
        a.push_str(&format!(" opacity=\"{}\"", n(o)));
    }
    a
}

/// How a piece of text is set.
struct Font<'a> {
    size: f64,
    fill: &'a str,
    anchor: &'a str,
    weight: Option<&'a str>,
}

fn text(out: &mut String, x: f64, y: f64, f: Font<'_>, s: &str) {
    let Font {
        size,
        fill,
        anchor,
        weight,
    } = f;
    let _ = write!(
        out,
        "<text x=\"{}\" y=\"{}\" font-family=\"{FONT}\" font-size=\"{}\" fill=\"{fill}\" text-anchor=\"{anchor}\"",
        n(x),
        n(y),
        n(size)
    );
    if let Some(w) = weight {
        let _ = write!(out, " font-weight=\"{w}\"");
    }
    let _ = writeln!(out, ">{}</text>", escape(s));
}

fn mark_class(marks: &[Mark]) -> String {
    let mut classes = Vec::new();
    for m in marks {
        classes.push(match m {
            Mark::Planned => "planned",
            Mark::Retiring => "retiring",
            Mark::FindingError => "finding finding-error",
            Mark::FindingWarning => "finding finding-warning",
            Mark::FindingInfo => "finding finding-info",
            Mark::FindingRelated => "finding-related",
            Mark::Pii => "pii",
            Mark::Focus => "focus",
            Mark::Missing => "missing",
            Mark::Added => "added",
            Mark::Removed => "removed",
            Mark::Changed => "changed",
            Mark::Unsupported => "unsupported",
        });
    }
    classes.join(" ")
}

/// Renders a diagram with its layout as a standalone SVG document.
pub fn to_svg(d: &Diagram, l: &Layout, theme: Theme) -> String {
    let c = colors(theme);
    let page = super::page::page(d, l);
    // a diagram with a caption is a 16:9 slide (see `caption`): its body
    // (the drawing and any key) moves below the caption
    let body_h = page.legend_top - LEGEND_GAP - page.draw_top;
    let (width, height, draw_x, draw_top, legend_top, legend, caption) = match &d.caption {
        None => (
            page.width,
            page.height,
            MARGIN,
            page.draw_top,
            page.legend_top,
            page.legend.clone(),
            None,
        ),
        Some(cap) => {
            let p = caption::page(d, l, cap, page.width - 2.0 * MARGIN, body_h);
            let (w, h, x, t, lt) = (p.width, p.height, p.draw_x, p.draw_top, p.legend_top);
            (w, h, x, t, lt, p.legend, Some(p.lines))
        }
    };
    let (key_dx, key_dy) = (draw_x - MARGIN, draw_top - page.draw_top);
    let mut out = String::with_capacity(4096 + d.nodes.len() * 600 + d.edges.len() * 400);
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"title\">",
        w = n(width),
        h = n(height)
    );
    let _ = writeln!(out, "<title id=\"title\">{}</title>", escape(&d.title));
    let _ = writeln!(out, "<desc>{}</desc>", escape(&d.footer));
    let _ = writeln!(
        out,
        "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"{}\"/>",
        n(width),
        n(height),
        c.background
    );
    // a slide with a caption keeps its title on one line (the caption
    // follows it); a page wraps a long title at its drawing's width
    let title = match &caption {
        Some(_) => std::slice::from_ref(&d.title),
        None => page.title.as_slice(),
    };
    for (k, line) in title.iter().enumerate() {
        text(
            &mut out,
            MARGIN,
            40.0 + super::page::TITLE_LINE * k as f64,
            Font {
                size: metrics::TITLE,
                fill: c.text,
                anchor: "start",
                weight: Some("700"),
            },
            line,
        );
    }
    if let Some(lines) = &caption {
        caption::draw(&mut out, lines, c);
    }
    let _ = writeln!(
        out,
        "<g id=\"diagram\" transform=\"translate({} {})\">",
        n(draw_x),
        n(draw_top)
    );
    if let Some(note) = &d.empty_note {
        text(
            &mut out,
            0.0,
            40.0,
            Font {
                size: metrics::NOTE,
                fill: c.muted,
                anchor: "start",
                weight: None,
            },
            note,
        );
    }
    let lanes_drawn = lanes::draw(&mut out, d, l, c);
    for (i, g) in d.groups.iter().enumerate().filter(|_| !lanes_drawn) {
        let Some(r) = l.groups.get(i) else { continue };
        let fill = c.group_fills[g.color % c.group_fills.len()];
        let _ = writeln!(out, "<g id=\"group-{}\" class=\"group\">", escape(&g.key));
        let _ = writeln!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"10\" fill=\"{fill}\" stroke=\"{}\" stroke-width=\"1.0\"/>",
            n(r.x),
            n(r.y),
            n(r.w),
            n(r.h),
            c.group_stroke
        );
        text(
            &mut out,
            r.x + 10.0,
            r.y + metrics::GROUP * 1.35,
            Font {
                size: metrics::GROUP,
                fill: c.muted,
                anchor: "start",
                weight: Some("600"),
            },
            &g.label,
        );
        out.push_str("</g>\n");
    }
    // What an edge's diff badge must not cover.
    let mut obstacles: Vec<Rect> = Vec::new();
    if d.edges.iter().any(|e| diff_mark(&e.marks).is_some()) {
        obstacles.extend(l.nodes.iter().copied());
        obstacles.extend(l.edges.iter().filter_map(|p| p.label));
        obstacles.extend(l.groups.iter().map(|g| Rect {
            h: GROUP_TITLE_BAND.min(g.h),
            ..*g
        }));
    }
    for (i, e) in d.edges.iter().enumerate() {
        if let Some(p) = l.edges.get(i) {
            edge(&mut out, e, p, &mut obstacles, c, theme);
        }
    }
    for (i, node) in d.nodes.iter().enumerate() {
        if let Some(r) = l.nodes.get(i) {
            draw_node(&mut out, node, r, c, theme, lanes::wrap_chars(l));
        }
    }
    out.push_str("</g>\n");
    if !page.key.is_empty() {
        let _ = writeln!(
            out,
            "<g id=\"key\" transform=\"translate({} {})\">",
            n(MARGIN + page.key_left + key_dx),
            n(page.key_top + key_dy)
        );
        for k in &page.key {
            let (tw, th) = tag_size(k.n);
            let tag = Rect {
                x: k.x,
                y: k.y + (KEY_ROW - th) / 2.0,
                w: tw,
                h: th,
            };
            tag_box(&mut out, &tag, k.n, c.stroke, c);
            for (i, line) in k.text.split('\n').enumerate() {
                text(
                    &mut out,
                    k.x + KEY_TAG,
                    k.y + KEY_ROW * i as f64 + KEY_ROW / 2.0 + metrics::NOTE * 0.36,
                    Font {
                        size: metrics::NOTE,
                        fill: c.text,
                        anchor: "start",
                        weight: None,
                    },
                    line,
                );
            }
        }
        out.push_str("</g>\n");
    }
    if !legend.is_empty() {
        let _ = writeln!(
            out,
            "<g id=\"legend\" transform=\"translate({} {})\">",
            n(MARGIN),
            n(legend_top)
        );
        text(
            &mut out,
            0.0,
            17.0,
            Font {
                size: LEGEND_FONT,
                fill: c.text,
                anchor: "start",
                weight: Some("700"),
            },
            "Legend",
        );
        for (row, items) in legend.iter().enumerate() {
            let y = LEGEND_ROW * row as f64;
            for (item_text, swatch, x) in items {
                let x = *x;
                legend_swatch(&mut out, swatch, x, y + 4.0, c, theme);
                text(
                    &mut out,
                    x + 36.0,
                    y + 17.0,
                    Font {
                        size: LEGEND_FONT,
                        fill: c.muted,
                        anchor: "start",
                        weight: None,
                    },
                    item_text,
                );
            }
        }
        out.push_str("</g>\n");
    }
    let _ = writeln!(
        out,
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"1.0\"/>",
        n(MARGIN),
        n(height - FOOTER_BAND + 4.0),
        n(width - MARGIN),
        n(height - FOOTER_BAND + 4.0),
        c.group_stroke
    );
    text(
        &mut out,
        MARGIN,
        height - 12.0,
        Font {
            size: metrics::NOTE,
            fill: c.muted,
            anchor: "start",
            weight: None,
        },
        &super::page::footer_text(&d.footer, width - 2.0 * MARGIN),
    );
    out.push_str("</svg>\n");
    out
}

/// The page size (width, height) [`to_svg`] draws a diagram with a caption
/// at — a 16:9 slide; None for a diagram without one. The smaller the
/// page, the larger its text when the slide is shown full screen.
pub fn slide_size(d: &Diagram, l: &Layout) -> Option<(f64, f64)> {
    let cap = d.caption.as_ref()?;
    let page = super::page::page(d, l);
    let body_h = page.legend_top - LEGEND_GAP - page.draw_top;
    let p = caption::page(d, l, cap, page.width - 2.0 * MARGIN, body_h);
    Some((p.width, p.height))
}

/// Where [`to_svg`] puts a drawing's parts on its page, for writers that
/// draw the same page another way (the deck).
#[derive(Clone, Debug)]
pub(crate) struct Frame {
    /// The page, px.
    pub(crate) width: f64,
    /// The page, px.
    pub(crate) height: f64,
    /// Left of the drawing area.
    pub(crate) draw_x: f64,
    /// Top of the drawing area.
    pub(crate) draw_top: f64,
    /// Offset of the key of tagged labels from where `page` puts it.
    pub(crate) key_dx: f64,
    /// Offset of the key of tagged labels from where `page` puts it.
    pub(crate) key_dy: f64,
    /// Top of the legend.
    pub(crate) legend_top: f64,
    /// Legend rows.
    pub(crate) legend: Vec<Vec<super::page::LegendEntry>>,
    /// The page as `page::page` measures it (key entries, etc.).
    pub(crate) page: super::page::Page,
}

/// The [`Frame`] of `d` laid out as `l` (a captioned diagram's 16:9 slide
/// page, or the plain page).
pub(crate) fn frame(d: &Diagram, l: &Layout) -> Frame {
    let page = super::page::page(d, l);
    let body_h = page.legend_top - LEGEND_GAP - page.draw_top;
    let (width, height, draw_x, draw_top, legend_top, legend) = match &d.caption {
        None => (
            page.width,
            page.height,
            MARGIN,
            page.draw_top,
            page.legend_top,
            page.legend.clone(),
        ),
        Some(cap) => {
            let p = caption::page(d, l, cap, page.width - 2.0 * MARGIN, body_h);
            (
                p.width,
                p.height,
                p.draw_x,
                p.draw_top,
                p.legend_top,
                p.legend,
            )
        }
    };
    Frame {
        width,
        height,
        draw_x,
        draw_top,
        key_dx: draw_x - MARGIN,
        key_dy: draw_top - page.draw_top,
        legend_top,
        legend,
        page,
    }
}

/// The font size of every caption line [`to_svg`] draws (the kicker's, then
/// the paragraphs' as wrapped), in order; empty without a caption.
pub(crate) fn caption_font_sizes(d: &Diagram, l: &Layout) -> Vec<f64> {
    let Some(cap) = d.caption.as_ref() else {
        return Vec::new();
    };
    let page = super::page::page(d, l);
    let body_h = page.legend_top - LEGEND_GAP - page.draw_top;
    caption::page(d, l, cap, page.width - 2.0 * MARGIN, body_h)
        .lines
        .font_sizes()
}

fn legend_swatch(out: &mut String, s: &Swatch, x: f64, y: f64, c: &Colors, theme: Theme) {
    match s {
        Swatch::Fill(i) => {
            let _ = writeln!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"28\" height=\"14\" rx=\"3\" fill=\"{}\" stroke=\"{}\" stroke-width=\"1.0\"/>",
                n(x),
                n(y),
                c.fills[i % c.fills.len()],
                c.stroke
            );
        }
        Swatch::Outline(m) => {
            let st = stroke_for(&[*m], c, theme, c.stroke, 1.2);
            let _ = writeln!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"28\" height=\"14\" rx=\"3\" fill=\"{}\"{}{}/>",
                n(x),
                n(y),
                c.background,
                stroke_attrs(&st),
                group_opacity(&[*m])
            );
            if m.is_diff() {
                diff_badge(out, *m, x + 28.0, y + 1.0, LEGEND_BADGE, c, theme);
            }
            if *m == Mark::Unsupported {
                lanes::no_system_badge(out, x, y + 1.0, 6.0, c);
            }
        }
        Swatch::Line(m) => {
            let marks: Vec<Mark> = m.iter().copied().collect();
            let st = stroke_for(&marks, c, theme, c.edge, 1.4);
            let _ = writeln!(
                out,
                "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"{}/>",
                n(x),
                n(y + 7.0),
                n(x + 22.0),
                n(y + 7.0),
                stroke_attrs(&st)
            );
            arrowhead(
                out,
                Point {
                    x: x + 16.0,
                    y: y + 7.0,
                },
                Point {
                    x: x + 28.0,
                    y: y + 7.0,
                },
                st.color,
            );
        }
    }
}

fn arrowhead(out: &mut String, from: Point, tip: Point, color: &str) {
    let (dx, dy) = (tip.x - from.x, tip.y - from.y);
    let len = (dx * dx + dy * dy).sqrt();
    if len < 0.01 {
        return;
    }
    let (ux, uy) = (dx / len, dy / len);
    let (size, half) = (10.0, 4.5);
    let base = Point {
        x: tip.x - ux * size,
        y: tip.y - uy * size,
    };
    let _ = writeln!(
        out,
        "<polygon points=\"{},{} {},{} {},{}\" fill=\"{color}\"/>",
        n(tip.x),
        n(tip.y),
        n(base.x - uy * half),
        n(base.y + ux * half),
        n(base.x + uy * half),
        n(base.y - ux * half)
    );
}

fn edge(
    out: &mut String,
    e: &Edge,
    path: &EdgePath,
    obstacles: &mut Vec<Rect>,
    c: &Colors,
    theme: Theme,
) {
    let (points, label) = (&path.points[..], path.label.as_ref());
    if points.len() < 2 {
        return;
    }
    let st = stroke_for(&e.marks, c, theme, c.edge, 1.4);
    let classes = mark_class(&e.marks);
    let _ = writeln!(
        out,
        "<g id=\"edge-{}\" class=\"edge{}{}\"{}>",
        escape(&e.key),
        if classes.is_empty() { "" } else { " " },
        classes,
        group_opacity(&e.marks)
    );
    if !e.tooltip.is_empty() {
        let _ = writeln!(out, "<title>{}</title>", escape(&e.tooltip));
    }
    let mut d = format!("M{},{}", n(points[0].x), n(points[0].y));
    for p in &points[1..] {
        let _ = write!(d, " L{},{}", n(p.x), n(p.y));
    }
    let _ = writeln!(
        out,
        "<path d=\"{d}\" fill=\"none\" stroke-linejoin=\"round\"{}/>",
        stroke_attrs(&st)
    );
    let last = points.len() - 1;
    arrowhead(out, points[last - 1], points[last], st.color);
    if e.both_ways {
        arrowhead(out, points[1], points[0], st.color);
    }
    if let (Some(r), Some(tag)) = (label, path.tag) {
        tag_box(out, r, tag, st.color, c);
    } else if let (Some(r), false) = (label, e.label.is_empty()) {
        let _ = writeln!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"{}\" fill-opacity=\"0.92\"/>",
            n(r.x),
            n(r.y),
            n(r.w),
            n(r.h),
            c.label_bg
        );
        let lh = metrics::EDGE * metrics::LINE;
        let top = r.y + (r.h - lh * e.label.len() as f64) / 2.0;
        for (i, line) in e.label.iter().enumerate() {
            let y = top + lh * (i as f64) + metrics::EDGE * 1.0;
            let color = if i == 0 { c.muted } else { c.text };
            text(
                out,
                r.x + r.w / 2.0,
                y,
                Font {
                    size: metrics::EDGE,
                    fill: color,
                    anchor: "middle",
                    weight: None,
                },
                line,
            );
        }
    }
    if let Some(m) = diff_mark(&e.marks) {
        let p = bead_at(points, obstacles);
        obstacles.push(Rect {
            x: p.x - BEAD,
            y: p.y - BEAD,
            w: 2.0 * BEAD,
            h: 2.0 * BEAD,
        });
        diff_badge(out, m, p.x, p.y, BEAD, c, theme);
    }
    out.push_str("</g>\n");
}

/// A numbered tag standing for an edge label (on the edge, and in the key).
fn tag_box(out: &mut String, r: &Rect, number: usize, stroke: &str, c: &Colors) {
    let _ = writeln!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" fill=\"{}\" stroke=\"{stroke}\" stroke-width=\"1.2\"/>",
        n(r.x),
        n(r.y),
        n(r.w),
        n(r.h),
        n(r.h / 2.0),
        c.label_bg
    );
    text(
        out,
        r.x + r.w / 2.0,
        r.y + r.h / 2.0 + metrics::EDGE * 0.36,
        Font {
            size: metrics::EDGE,
            fill: c.text,
            anchor: "middle",
            weight: Some("700"),
        },
        &number.to_string(),
    );
}

fn draw_node(out: &mut String, node: &Node, r: &Rect, c: &Colors, theme: Theme, wrap_at: usize) {
    let fill = if node.marks.contains(&Mark::Missing) {
        c.background
    } else {
        c.fills[node.color % c.fills.len()]
    };
    let st = stroke_for(&node.marks, c, theme, c.stroke, 1.2);
    let classes = mark_class(&node.marks);
    let _ = writeln!(
        out,
        "<g id=\"{}\" class=\"node{}{}\"{}>",
        escape(&node.key),
        if classes.is_empty() { "" } else { " " },
        classes,
        group_opacity(&node.marks)
    );
    if !node.tooltip.is_empty() {
        let _ = writeln!(out, "<title>{}</title>", escape(&node.tooltip));
    }
    let sa = stroke_attrs(&st);
    let cap = 8.0;
    match node.shape {
        Shape::Rounded | Shape::Table | Shape::Pill => {
            let rx = match node.shape {
                Shape::Rounded => 8.0,
                Shape::Table => 3.0,
                _ => (r.h / 2.0).min(22.0),
            };
            let _ = writeln!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" fill=\"{fill}\"{sa}/>",
                n(r.x),
                n(r.y),
                n(r.w),
                n(r.h),
                n(rx)
            );
        }
        Shape::Cylinder => {
            let (x0, x1, y0, y1) = (r.x, r.x + r.w, r.y + cap, r.y + r.h - cap);
            let rx = r.w / 2.0;
            let _ = writeln!(
                out,
                "<path d=\"M{x0},{y0} A{rx},{cap} 0 0 1 {x1},{y0} L{x1},{y1} A{rx},{cap} 0 0 1 {x0},{y1} Z\" fill=\"{fill}\"{sa}/>",
                x0 = n(x0),
                x1 = n(x1),
                y0 = n(y0),
                y1 = n(y1),
                rx = n(rx),
                cap = n(cap)
            );
            let _ = writeln!(
                out,
                "<path d=\"M{x0},{y0} A{rx},{cap} 0 0 0 {x1},{y0}\" fill=\"none\"{sa}/>",
                x0 = n(x0),
                x1 = n(x1),
                y0 = n(y0),
                rx = n(rx),
                cap = n(cap)
            );
        }
    }
    // text block, vertically centred (same metrics as text::node_size)
    let label_lines = wrap(&node.label, wrap_at);
    let lh = metrics::LABEL * metrics::LINE;
    let sh = metrics::SMALL * metrics::LINE;
    let sub_lines = node
        .sublabel
        .as_deref()
        .map(sublabel_lines)
        .unwrap_or_default();
    let header_h = lh * label_lines.len() as f64 + sh * sub_lines.len() as f64;
    let extra_h = if node.lines.is_empty() {
        0.0
    } else {
        6.0 + sh * node.lines.len() as f64
    };
    let top_cap = if node.shape == Shape::Cylinder {
        cap
    } else {
        0.0
    };
    let block_top = r.y + top_cap + (r.h - top_cap - header_h - extra_h) / 2.0;
    let cx = r.x + r.w / 2.0;
    let mut y = block_top;
    for line in &label_lines {
        text(
            out,
            cx,
            y + metrics::LABEL,
            Font {
                size: metrics::LABEL,
                fill: c.text,
                anchor: "middle",
                weight: Some("600"),
            },
            line,
        );
        y += lh;
    }
    for sub in &sub_lines {
        text(
            out,
            cx,
            y + metrics::SMALL,
            Font {
                size: metrics::SMALL,
                fill: c.muted,
                anchor: "middle",
                weight: None,
            },
            sub,
        );
        y += sh;
    }
    if !node.lines.is_empty() {
        let _ = writeln!(
            out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"1.0\"/>",
            n(r.x),
            n(y + 3.0),
            n(r.x + r.w),
            n(y + 3.0),
            c.stroke
        );
        y += 6.0;
        for line in &node.lines {
            text(
                out,
                r.x + metrics::PAD_X,
                y + metrics::SMALL,
                Font {
                    size: metrics::SMALL,
                    fill: c.text,
                    anchor: "start",
                    weight: None,
                },
                line,
            );
            y += sh;
        }
    }
    if node.marks.contains(&Mark::Unsupported) {
        // on the top-left corner, half outside (like the diff badge)
        lanes::no_system_badge(out, r.x, r.y, 8.0, c);
    }
    if let Some(m) = diff_mark(&node.marks) {
        // on the top-right corner, half outside (the layout keeps gaps
        // and a margin wider than the radius around every box)
        diff_badge(out, m, r.x + r.w, r.y, NODE_BADGE, c, theme);
    }
    out.push_str("</g>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_users_type() {
        assert_eq!(
            escape(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;y&apos;"
        );
        assert_eq!(escape("a\u{1}b"), "a\u{fffd}b");
        assert_eq!(
            escape("\u{0}\u{1b}[1m\u{7f}\u{85}\u{fdd0}\u{fffe}\u{1fffe}\t\n\r\u{a0}é"),
            "\u{fffd}\u{fffd}[1m\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\t\n\r\u{a0}é"
        );
    }

    #[test]
    fn numbers_are_stable() {
        assert_eq!(n(-0.01), "0.0");
        assert_eq!(n(f64::NAN), "0.0");
        assert_eq!(n(12.345), "12.3");
    }
}
