//! Swimlanes: lane bands with their titles at the left, column headers on
//! top and faint column separators, for a diagram with
//! [`Diagram::lanes`](crate::render::diagram::Diagram::lanes) laid out by
//! the swimlane layout; and the badge of an activity no system supports.

use super::*;
use crate::render::layout::{column_title_lines, lane_title_lines, TITLE_PAD};

/// Draws the lanes and column headers; false (nothing drawn) unless the
/// diagram has lanes and the layout their geometry.
pub(super) fn draw(out: &mut String, d: &Diagram, l: &Layout, c: &Colors) -> bool {
    let (Some(lanes), Some(geo)) = (&d.lanes, &l.lanes) else {
        return false;
    };
    let lh = metrics::GROUP * metrics::LINE;
    let title_font = Font {
        size: metrics::GROUP,
        fill: c.text,
        anchor: "start",
        weight: Some("600"),
    };
    let mut bottom = 0.0f64;
    for (i, g) in d.groups.iter().enumerate() {
        let Some(r) = l.groups.get(i) else { continue };
        bottom = bottom.max(r.y + r.h);
        let _ = writeln!(
            out,
            "<g id=\"group-{}\" class=\"group lane\">",
            escape(&g.key)
        );
        let _ = writeln!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"{}\" stroke-width=\"1.0\"/>",
            n(r.x),
            n(r.y),
            n(r.w),
            n(r.h),
            c.group_fills[g.color % c.group_fills.len()],
            c.group_stroke
        );
        if let Some(t) = geo.titles.get(i) {
            let _ = writeln!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"{}\" stroke-width=\"1.0\"/>",
                n(t.x),
                n(t.y),
                n(t.w),
                n(t.h),
                c.fills[g.color % c.fills.len()],
                c.group_stroke
            );
            let lines = lane_title_lines(&g.label);
            let top = t.y + (t.h - lh * lines.len() as f64) / 2.0;
            for (k, line) in lines.iter().enumerate() {
                let font = Font { ..title_font };
                text(
                    out,
                    t.x + TITLE_PAD,
                    top + lh * k as f64 + metrics::GROUP,
                    font,
                    line,
                );
            }
        }
        out.push_str("</g>\n");
    }
    if let Some(r) = &geo.rest {
        bottom = bottom.max(r.y + r.h);
        let _ = writeln!(
            out,
            "<rect class=\"lane-rest\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.0\" stroke-dasharray=\"4 4\"/>",
            n(r.x),
            n(r.y),
            n(r.w),
            n(r.h),
            c.group_stroke
        );
    }
    out.push_str("<g class=\"columns\">\n");
    for (i, r) in geo.columns.iter().enumerate() {
        let _ = writeln!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"{}\" stroke-width=\"1.0\"/>",
            n(r.x),
            n(r.y),
            n(r.w),
            n(r.h),
            c.group_fills[6],
            c.group_stroke
        );
        if i > 0 && bottom > r.y + r.h {
            let _ = writeln!(
                out,
                "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"1.0\" stroke-dasharray=\"3 5\"/>",
                n(r.y + r.h),
                n(bottom),
                c.group_stroke,
                x = n(r.x)
            );
        }
        let Some(title) = lanes.columns.get(i) else {
            continue;
        };
        let lines = column_title_lines(title);
        let top = r.y + (r.h - lh * lines.len() as f64) / 2.0;
        for (k, line) in lines.iter().enumerate() {
            text(
                out,
                r.x + r.w / 2.0,
                top + lh * k as f64 + metrics::GROUP,
                Font {
                    anchor: "middle",
                    ..title_font
                },
                line,
            );
        }
    }
    out.push_str("</g>\n");
    true
}

/// The "no supporting system" badge: a prohibition sign (circle and slash)
/// of radius `r` centred on (`cx`, `cy`).
pub(super) fn no_system_badge(out: &mut String, cx: f64, cy: f64, r: f64, c: &Colors) {
    let d = r * std::f64::consts::FRAC_1_SQRT_2;
    let _ = writeln!(
        out,
        "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\" stroke=\"{}\" stroke-width=\"2.0\"/>",
        n(cx),
        n(cy),
        n(r),
        c.background,
        c.warning
    );
    let _ = writeln!(
        out,
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"2.0\"/>",
        n(cx - d),
        n(cy - d),
        n(cx + d),
        n(cy + d),
        c.warning
    );
}

/// Characters per line of node labels in this layout.
pub(super) fn wrap_chars(l: &Layout) -> usize {
    l.lanes.as_ref().map_or(WRAP_CHARS, |g| g.wrap)
}
