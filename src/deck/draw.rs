//! One positioned drawing → one slide of native shapes.
//!
//! The page is the SVG's page (`render::svg::frame`: title band, drawing,
//! key, legend, footer) scaled to fit the 16:9 slide; every px becomes
//! `Map::scale` EMU and every font size the same factor in points, so the
//! slide looks like the SVG.
//!
//! **Connectors.** Every edge is a `p:cxnSp` glued (`a:stCxn` / `a:endCxn`)
//! to the connection sites of its two boxes on the sides its route leaves
//! and enters. Its geometry follows the route the layout drew:
//! - two points: `straightConnector1`;
//! - one bend: `bentConnector2` (rotated 90° when the route starts
//!   vertically);
//! - two bends that go across, along, across (a Z): `bentConnector3` with
//!   `adj1` at the middle segment;
//! - anything longer: a freeform path (`a:custGeom`) inside the connector,
//!   still glued. We chose the freeform over `bentConnector4/5` because the
//!   router's detours around boxes and labels do not fit those presets'
//!   shapes: an approximation would cross boxes the layout avoided, while the
//!   freeform keeps the exact route, and because it stays glued, PowerPoint
//!   re-routes it as an elbow connector when the user moves a box.
//!   LibreOffice 7.4 ignores a connector's freeform path (glued or not) and
//!   routes it itself between the glued sites: still the right boxes,
//!   another path.

use super::xml::{
    dash, solid, Box, Font, Geometry, Glue, Line, Map, Para, Run, Shape, SlideXml, Text,
};
use crate::render::diagram::{metrics, Diagram, Edge, Layout, Mark, Node, Point, Rect, Swatch};
use crate::render::layout::{GROUP_TITLE_BAND, TITLE_PAD};
use crate::render::page::{
    FOOTER_BAND, KEY_ROW, KEY_TAG, LEGEND_FONT, LEGEND_ROW, MARGIN, TITLE_BAND,
};
use crate::render::svg::{self, colors, stroke_for, Colors, Theme};
use crate::render::text::{sublabel_lines, tag_size, text_width, wrap, CYLINDER_RY, WRAP_CHARS};
use crate::render::Rendered;

/// What one drawing slide holds, for the notes and the checks.
pub struct Drawn {
    /// The slide.
    pub xml: SlideXml,
    /// Node shapes written.
    pub nodes: usize,
    /// Connectors written, by geometry: straight, bent (2 or 3), freeform.
    pub connectors: [usize; 3],
}

/// The preset geometry of a node shape and its adjustment, matching the
/// SVG's shapes: rounded box, plain box, pill, cylinder.
fn geometry_of(node: &Node, r: &Rect) -> (&'static str, Vec<(&'static str, i64)>) {
    use crate::render::diagram::Shape as S;
    let short = r.w.min(r.h).max(1.0);
    let adj = |v: f64| (v.clamp(0.0, 1.0) * 100_000.0).round() as i64;
    match node.shape {
        S::Rounded => ("roundRect", vec![("adj", adj(8.0 / short))]),
        S::Table => ("rect", Vec::new()),
        S::Pill => (
            "roundRect",
            vec![("adj", adj((r.h / 2.0).min(22.0) / short))],
        ),
        // `can`: the ellipse is adj/100000 × the shorter side tall
        S::Cylinder => ("can", vec![("adj", adj(2.0 * CYLINDER_RY / short))]),
    }
}

/// The connection site of a rect / roundRect / can nearest to `p` on the
/// border of `r`: 0 top, 1 left, 2 bottom, 3 right.
pub fn site(r: &Rect, p: Point) -> u32 {
    let d = [
        (p.y - r.y).abs(),
        (p.x - r.x).abs(),
        (p.y - (r.y + r.h)).abs(),
        (p.x - (r.x + r.w)).abs(),
    ];
    let mut best = 0;
    for (i, v) in d.iter().enumerate() {
        if *v < d[best] {
            best = i;
        }
    }
    best as u32
}

/// Drops repeated points and merges straight runs (collinear axis-parallel
/// segments), so the bends left are real.
fn simplify(points: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let mut out: Vec<(i64, i64)> = Vec::with_capacity(points.len());
    for &p in points {
        if out.last() == Some(&p) {
            continue;
        }
        if out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            let same_x = a.0 == b.0 && b.0 == p.0;
            let same_y = a.1 == b.1 && b.1 == p.1;
            if same_x || same_y {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}

fn bbox(points: &[(i64, i64)]) -> Box {
    let (mut x0, mut y0, mut x1, mut y1) = (i64::MAX, i64::MAX, i64::MIN, i64::MIN);
    for &(x, y) in points {
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    if points.is_empty() {
        return Box::default();
    }
    Box {
        x: x0,
        y: y0,
        w: x1 - x0,
        h: y1 - y0,
    }
}

/// The box of a connector rotated by 90°: same centre, width and height
/// swapped (DrawingML rotates the unrotated box about its centre).
fn rotated(b: Box) -> Box {
    let (cx, cy) = (b.x + b.w / 2, b.y + b.h / 2);
    Box {
        x: cx - b.h / 2,
        y: cy - b.w / 2,
        w: b.h,
        h: b.w,
    }
}

/// 90° clockwise, in 60000ths of a degree.
const ROT_90: i64 = 5_400_000;

/// The connector geometry for a route (EMU points): see the module doc.
pub fn route_geometry(points: &[(i64, i64)]) -> (Box, Geometry) {
    let p = simplify(points);
    let b = bbox(&p);
    let preset = |prst, rot, flip_h, flip_v, adj| Geometry::Preset {
        prst,
        rot,
        flip_h,
        flip_v,
        adj,
    };
    let ratio = |part: i64, whole: i64| ((part as f64 / whole as f64) * 100_000.0).round() as i64;
    match p.as_slice() {
        [a, z] => (
            b,
            preset("straightConnector1", 0, z.0 < a.0, z.1 < a.1, Vec::new()),
        ),
        [a, m, z] if a.1 == m.1 && m.0 == z.0 => (
            b,
            preset("bentConnector2", 0, z.0 < a.0, z.1 < a.1, Vec::new()),
        ),
        [a, m, z] if a.0 == m.0 && m.1 == z.1 => (
            rotated(b),
            preset("bentConnector2", ROT_90, a.1 > z.1, a.0 < z.0, Vec::new()),
        ),
        [a, m, n, z] if a.1 == m.1 && m.0 == n.0 && n.1 == z.1 && z.0 != a.0 => (
            b,
            preset(
                "bentConnector3",
                0,
                z.0 < a.0,
                z.1 < a.1,
                vec![("adj1", ratio(m.0 - a.0, z.0 - a.0))],
            ),
        ),
        [a, m, n, z] if a.0 == m.0 && m.1 == n.1 && n.0 == z.0 && z.1 != a.1 => (
            rotated(b),
            preset(
                "bentConnector3",
                ROT_90,
                a.1 > z.1,
                a.0 < z.0,
                vec![("adj1", ratio(m.1 - a.1, z.1 - a.1))],
            ),
        ),
        _ => (b, Geometry::Path(p)),
    }
}

/// A DrawingML line from the SVG line style of `marks`.
fn line_for(
    marks: &[Mark],
    c: &Colors,
    theme: Theme,
    base: &'static str,
    width: f64,
    map: &Map,
) -> Line {
    let st = stroke_for(marks, c, theme, base, width);
    Line {
        color: st.color.to_string(),
        width: map.len(st.width).max(3_175),
        dash: dash(st.dash),
        alpha: st.opacity,
        head: false,
        tail: false,
    }
}

fn px_box(map: &Map, r: &Rect, dx: f64, dy: f64) -> Box {
    Box {
        x: map.x(r.x + dx),
        y: map.y(r.y + dy),
        w: map.len(r.w),
        h: map.len(r.h),
    }
}

/// A text box (no fill, no line) with one paragraph.
#[allow(clippy::too_many_arguments)]
fn label(
    s: &mut SlideXml,
    name: &str,
    at: Box,
    text: &str,
    sz: i64,
    bold: bool,
    color: &str,
    align: &'static str,
) -> u32 {
    s.shape(&Shape {
        name,
        descr: "",
        at,
        geom: "rect",
        adj: &[],
        fill: String::new(),
        line: None,
        text: Some(Text {
            paras: vec![Para::one(align, text, sz, bold, color)],
            anchor: "ctr",
            inset: [0; 4],
            wrap: false,
        }),
        text_box: true,
    })
}

/// Draws one rendered drawing (a view, a part of a split view, a focus
/// slide) as a slide of `size` (width, height EMU).
pub fn drawing(r: &Rendered, theme: Theme, size: (i64, i64)) -> Drawn {
    let (d, l) = (&r.diagram, &r.layout);
    let c = colors(theme);
    let f = svg::frame(d, l);
    let map = Map::fit(f.width, f.height, size.0, size.1);
    let mut s = SlideXml::new();
    s.background(c.background);
    // Title band. A page narrower than the slide leaves room on the right:
    // the title may run on to the slide's margin, and a title wider than
    // that is set smaller (not cut off at the slide's edge).
    let title_x = map.x(MARGIN);
    let title_w = (size.0 - title_x - map.len(MARGIN)).max(map.len(f.width - 2.0 * MARGIN));
    let needed = map.len(text_width(&d.title, metrics::TITLE) * 1.08);
    let mut title_sz = map.font(metrics::TITLE);
    if needed > title_w && needed > 0 {
        title_sz = (title_sz as f64 * title_w as f64 / needed as f64)
            .round()
            .max(800.0) as i64;
    }
    label(
        &mut s,
        "Title",
        Box {
            x: title_x,
            y: map.y(0.0),
            w: title_w,
            h: map.len(TITLE_BAND),
        },
        &d.title,
        title_sz,
        true,
        c.text,
        "l",
    );
    if let Some(cap) = &d.caption {
        caption(&mut s, d, l, cap, &f, &map, c);
    }
    let (dx, dy) = (f.draw_x, f.draw_top);
    if let Some(note) = &d.empty_note {
        label(
            &mut s,
            "Note",
            Box {
                x: map.x(dx),
                y: map.y(dy + 20.0),
                w: map.len(f.width - 2.0 * MARGIN),
                h: map.len(30.0),
            },
            note,
            map.font(metrics::NOTE),
            false,
            c.muted,
            "l",
        );
    }
    if !lanes(&mut s, d, l, &map, dx, dy, c) {
        for (i, g) in d.groups.iter().enumerate() {
            let Some(r) = l.groups.get(i) else { continue };
            let short = r.w.min(r.h).max(1.0);
            s.shape(&Shape {
                name: &format!("Group {}", g.key),
                descr: "",
                at: px_box(&map, r, dx, dy),
                geom: "roundRect",
                adj: &[("adj", ((10.0 / short).min(0.5) * 100_000.0).round() as i64)],
                fill: solid(c.group_fills[g.color % c.group_fills.len()], None),
                line: Some(Line {
                    color: c.group_stroke.into(),
                    width: map.len(1.0).max(3_175),
                    ..Line::default()
                }),
                text: Some(Text {
                    paras: vec![Para::one(
                        "l",
                        &g.label,
                        map.font(metrics::GROUP),
                        true,
                        c.muted,
                    )],
                    anchor: "t",
                    inset: [
                        map.len(10.0),
                        map.len(GROUP_TITLE_BAND - metrics::GROUP * 1.35).max(0),
                        map.len(10.0),
                        0,
                    ],
                    wrap: true,
                }),
                text_box: false,
            });
        }
    }
    // Nodes are drawn above the connectors glued to them: their ids first.
    let first = s.reserve(d.nodes.len());
    let node_id = |i: usize| first + i as u32;
    let mut connectors = [0usize; 3];
    for (i, e) in d.edges.iter().enumerate() {
        let Some(p) = l.edges.get(i) else { continue };
        if p.points.len() < 2 {
            continue;
        }
        let kind = edge(&mut s, d, l, e, p, (dx, dy), &map, c, theme, node_id);
        connectors[kind] += 1;
    }
    let wrap_at = l.lanes.as_ref().map_or(WRAP_CHARS, |g| g.wrap);
    let mut nodes = 0;
    for (i, n) in d.nodes.iter().enumerate() {
        let Some(r) = l.nodes.get(i) else { continue };
        node(&mut s, node_id(i), n, r, (dx, dy), &map, c, theme, wrap_at);
        nodes += 1;
    }
    // The "no supporting system" badge of an unsupported activity, on its
    // top-left corner as in the SVG (a prohibition sign).
    for (i, n) in d.nodes.iter().enumerate() {
        let Some(r) = l.nodes.get(i) else { continue };
        if !n.marks.contains(&Mark::Unsupported) {
            continue;
        }
        let rad = 8.0;
        s.shape(&Shape {
            name: &format!("Badge no system {}", n.key),
            descr: "no system supports this activity",
            at: Box {
                x: map.x(r.x + dx - rad),
                y: map.y(r.y + dy - rad),
                w: map.len(2.0 * rad),
                h: map.len(2.0 * rad),
            },
            geom: "noSmoking",
            adj: &[("adj", 18_750)],
            fill: solid(c.warning, None),
            line: None,
            text: None,
            text_box: false,
        });
    }
    key(&mut s, d, &f, &map, c);
    legend(&mut s, &f, &map, c, theme);
    // Footer: a rule and the footer text.
    let fy = f.height - FOOTER_BAND + 4.0;
    s.shape(&Shape {
        name: "Footer rule",
        descr: "",
        at: Box {
            x: map.x(MARGIN),
            y: map.y(fy),
            w: map.len(f.width - 2.0 * MARGIN),
            h: 0,
        },
        geom: "line",
        adj: &[],
        fill: String::new(),
        line: Some(Line {
            color: c.group_stroke.into(),
            width: map.len(1.0).max(3_175),
            ..Line::default()
        }),
        text: None,
        text_box: false,
    });
    label(
        &mut s,
        "Footer",
        Box {
            x: map.x(MARGIN),
            y: map.y(fy),
            w: map.len(f.width - 2.0 * MARGIN),
            h: map.len(FOOTER_BAND - 4.0),
        },
        &d.footer,
        map.font(metrics::NOTE),
        false,
        c.muted,
        "l",
    );
    Drawn {
        xml: s,
        nodes,
        connectors,
    }
}

#[allow(clippy::too_many_arguments)]
fn node(
    s: &mut SlideXml,
    id: u32,
    n: &Node,
    r: &Rect,
    (dx, dy): (f64, f64),
    map: &Map,
    c: &Colors,
    theme: Theme,
    wrap_at: usize,
) {
    let fill = if n.marks.contains(&Mark::Missing) {
        c.background
    } else {
        c.fills[n.color % c.fills.len()]
    };
    let (geom, adj) = geometry_of(n, r);
    let mut paras = vec![Para::one(
        "ctr",
        &wrap(&n.label, wrap_at).join("\n"),
        map.font(metrics::LABEL),
        true,
        c.text,
    )];
    if let Some(sub) = &n.sublabel {
        paras.push(Para::one(
            "ctr",
            &sublabel_lines(sub).join("\n"),
            map.font(metrics::SMALL),
            false,
            c.muted,
        ));
    }
    for line in &n.lines {
        paras.push(Para::one(
            "l",
            line,
            map.font(metrics::SMALL),
            false,
            c.text,
        ));
    }
    let top = if geom == "can" {
        2.0 * CYLINDER_RY
    } else {
        0.0
    };
    // Half the SVG's padding: the SVG's line breaks are kept (`a:br`), and
    // the slack absorbs differences between font rasterisers.
    let pad = map.len(metrics::PAD_X / 2.0);
    s.shape_as(
        id,
        &Shape {
            name: &format!("Node {}", n.key),
            descr: &n.tooltip,
            at: px_box(map, r, dx, dy),
            geom,
            adj: &adj,
            fill: solid(fill, None),
            line: Some(line_for(&n.marks, c, theme, c.stroke, 1.2, map)),
            text: Some(Text {
                paras,
                anchor: "ctr",
                inset: [pad, map.len(top), pad, 0],
                wrap: true,
            }),
            text_box: false,
        },
    );
}

#[allow(clippy::too_many_arguments)]
fn edge(
    s: &mut SlideXml,
    d: &Diagram,
    l: &Layout,
    e: &Edge,
    p: &crate::render::diagram::EdgePath,
    (dx, dy): (f64, f64),
    map: &Map,
    c: &Colors,
    theme: Theme,
    node_id: impl Fn(usize) -> u32,
) -> usize {
    let pts: Vec<(i64, i64)> = p
        .points
        .iter()
        .map(|q| (map.x(q.x + dx), map.y(q.y + dy)))
        .collect();
    let (at, geom) = route_geometry(&pts);
    let kind = match &geom {
        Geometry::Preset { prst, .. } if prst.starts_with("straight") => 0,
        Geometry::Preset { .. } => 1,
        Geometry::Path(_) => 2,
    };
    let glue = |node: usize, q: Point| {
        l.nodes.get(node).map(|r| Glue {
            id: node_id(node),
            site: site(r, q),
        })
    };
    let (first, last) = (p.points[0], p.points[p.points.len() - 1]);
    let mut line = line_for(&e.marks, c, theme, c.edge, 1.4, map);
    line.tail = true;
    line.head = e.both_ways;
    let key = |i: usize| d.nodes.get(i).map_or("?", |n| n.key.as_str());
    let name = format!("Edge {}: {} -> {}", e.key, key(e.from), key(e.to));
    let label_box = p.label.map(|r| px_box(map, &r, dx, dy));
    let has_label = label_box.is_some() && (p.tag.is_some() || !e.label.is_empty());
    if let (true, Some(lb)) = (has_label, label_box) {
        s.start_group(
            &format!("Edge {} with label", e.key),
            at.union(lb).union(bbox(&pts)),
        );
    }
    s.connector(
        &name,
        &e.tooltip,
        at,
        &geom,
        (glue(e.from, first), glue(e.to, last)),
        &line,
    );
    if let (true, Some(lb)) = (has_label, label_box) {
        let text = match p.tag {
            Some(t) => Text {
                paras: vec![Para::one(
                    "ctr",
                    &t.to_string(),
                    map.font(metrics::EDGE),
                    true,
                    c.text,
                )],
                anchor: "ctr",
                inset: [0; 4],
                wrap: false,
            },
            None => Text {
                paras: e
                    .label
                    .iter()
                    .enumerate()
                    .map(|(i, t)| {
                        Para::one(
                            "ctr",
                            t,
                            map.font(metrics::EDGE),
                            false,
                            if i == 0 { c.muted } else { c.text },
                        )
                    })
                    .collect(),
                anchor: "ctr",
                inset: [0; 4],
                wrap: false,
            },
        };
        let tagged = p.tag.is_some();
        s.shape(&Shape {
            name: &format!("Label {}", e.key),
            descr: "",
            at: lb,
            geom: if tagged { "roundRect" } else { "rect" },
            adj: if tagged { &[("adj", 50_000)] } else { &[] },
            fill: solid(c.label_bg, if tagged { None } else { Some(0.92) }),
            line: tagged.then(|| Line {
                color: line.color.clone(),
                width: map.len(1.2).max(3_175),
                ..Line::default()
            }),
            text: Some(text),
            text_box: !tagged,
        });
        s.end_group();
    }
    kind
}

/// The caption of a focus slide: kicker and paragraphs in one text box
/// between the title band and the drawing.
fn caption(
    s: &mut SlideXml,
    d: &Diagram,
    l: &Layout,
    cap: &crate::render::diagram::Caption,
    f: &svg::Frame,
    map: &Map,
    c: &Colors,
) {
    let sizes = svg::caption_font_sizes(d, l);
    let kicker = sizes.first().copied().unwrap_or(metrics::NOTE);
    let body = sizes.get(1).copied().unwrap_or(metrics::LABEL);
    let mut paras = vec![Para::one(
        "l",
        &cap.kicker,
        map.font(kicker),
        false,
        c.muted,
    )];
    for p in &cap.paragraphs {
        let mut runs = Vec::new();
        if !p.lead.is_empty() {
            runs.push(Run {
                text: format!("{}: ", p.lead),
                sz: map.font(body),
                bold: true,
                color: c.text.into(),
                font: Font::Fixed,
            });
        }
        for (code, t) in &p.runs {
            runs.push(Run {
                text: t.clone(),
                sz: map.font(body),
                bold: *code,
                color: if *code { c.info.into() } else { c.text.into() },
                font: Font::Fixed,
            });
        }
        paras.push(Para { align: "l", runs });
    }
    s.shape(&Shape {
        name: "Caption",
        descr: "",
        at: Box {
            x: map.x(MARGIN),
            y: map.y(TITLE_BAND),
            w: map.len(f.width - 2.0 * MARGIN),
            h: map.len((f.draw_top - TITLE_BAND).max(0.0)),
        },
        geom: "rect",
        adj: &[],
        fill: String::new(),
        line: None,
        text: Some(Text {
            paras,
            anchor: "t",
            inset: [0; 4],
            wrap: true,
        }),
        text_box: true,
    });
}

/// Lane bands, their title strips and the column headers of a swimlane
/// diagram; false when the diagram has none.
fn lanes(
    s: &mut SlideXml,
    d: &Diagram,
    l: &Layout,
    map: &Map,
    dx: f64,
    dy: f64,
    c: &Colors,
) -> bool {
    let (Some(lanes), Some(geo)) = (&d.lanes, &l.lanes) else {
        return false;
    };
    let thin = || Line {
        color: c.group_stroke.into(),
        width: map.len(1.0).max(3_175),
        ..Line::default()
    };
    let title = |text: &str, align: &'static str| Text {
        paras: vec![Para::one(
            align,
            text,
            map.font(metrics::GROUP),
            true,
            c.text,
        )],
        anchor: "ctr",
        inset: [map.len(TITLE_PAD), 0, map.len(TITLE_PAD / 2.0), 0],
        wrap: true,
    };
    for (i, g) in d.groups.iter().enumerate() {
        let Some(r) = l.groups.get(i) else { continue };
        s.shape(&Shape {
            name: &format!("Lane {}", g.key),
            descr: "",
            at: px_box(map, r, dx, dy),
            geom: "rect",
            adj: &[],
            fill: solid(c.group_fills[g.color % c.group_fills.len()], None),
            line: Some(thin()),
            text: None,
            text_box: false,
        });
        if let Some(t) = geo.titles.get(i) {
            s.shape(&Shape {
                name: &format!("Lane title {}", g.key),
                descr: "",
                at: px_box(map, t, dx, dy),
                geom: "rect",
                adj: &[],
                fill: solid(c.fills[g.color % c.fills.len()], None),
                line: Some(thin()),
                text: Some(title(&g.label, "l")),
                text_box: false,
            });
        }
    }
    if let Some(r) = &geo.rest {
        s.shape(&Shape {
            name: "Lane rest",
            descr: "",
            at: px_box(map, r, dx, dy),
            geom: "rect",
            adj: &[],
            fill: String::new(),
            line: Some(Line {
                dash: Some("dash"),
                ..thin()
            }),
            text: None,
            text_box: false,
        });
    }
    for (i, r) in geo.columns.iter().enumerate() {
        let t = lanes.columns.get(i).map_or("", String::as_str);
        s.shape(&Shape {
            name: &format!("Column {}", i + 1),
            descr: "",
            at: px_box(map, r, dx, dy),
            geom: "rect",
            adj: &[],
            fill: solid(c.group_fills[6], None),
            line: Some(thin()),
            text: Some(title(t, "ctr")),
            text_box: false,
        });
    }
    true
}

/// The key of tagged edge labels: a tag and its text per entry.
fn key(s: &mut SlideXml, _d: &Diagram, f: &svg::Frame, map: &Map, c: &Colors) {
    let (ox, oy) = (
        MARGIN + f.page.key_left + f.key_dx,
        f.page.key_top + f.key_dy,
    );
    for k in &f.page.key {
        let (tw, th) = tag_size(k.n);
        let (x, y) = (ox + k.x, oy + k.y);
        s.shape(&Shape {
            name: &format!("Key tag {}", k.n),
            descr: "",
            at: Box {
                x: map.x(x),
                y: map.y(y + (KEY_ROW - th) / 2.0),
                w: map.len(tw),
                h: map.len(th),
            },
            geom: "roundRect",
            adj: &[("adj", 50_000)],
            fill: solid(c.label_bg, None),
            line: Some(Line {
                color: c.stroke.into(),
                width: map.len(1.2).max(3_175),
                ..Line::default()
            }),
            text: Some(Text {
                paras: vec![Para::one(
                    "ctr",
                    &k.n.to_string(),
                    map.font(metrics::EDGE),
                    true,
                    c.text,
                )],
                anchor: "ctr",
                inset: [0; 4],
                wrap: false,
            }),
            text_box: false,
        });
        let lines = k.text.split('\n').count().max(1) as f64;
        let w = k
            .text
            .split('\n')
            .map(|t| text_width(t, metrics::NOTE))
            .fold(0.0, f64::max)
            * 1.05;
        label(
            s,
            &format!("Key {}", k.n),
            Box {
                x: map.x(x + KEY_TAG),
                y: map.y(y),
                w: map.len(w),
                h: map.len(KEY_ROW * lines),
            },
            &k.text,
            map.font(metrics::NOTE),
            false,
            c.text,
            "l",
        );
    }
}

/// The legend: heading, then each entry's swatch and text.
fn legend(s: &mut SlideXml, f: &svg::Frame, map: &Map, c: &Colors, theme: Theme) {
    if f.legend.is_empty() {
        return;
    }
    let top = f.legend_top;
    label(
        s,
        "Legend",
        Box {
            x: map.x(MARGIN),
            y: map.y(top),
            w: map.len(70.0),
            h: map.len(LEGEND_ROW),
        },
        "Legend",
        map.font(LEGEND_FONT),
        true,
        c.text,
        "l",
    );
    for (row, items) in f.legend.iter().enumerate() {
        let y = top + LEGEND_ROW * row as f64;
        for (text, swatch, x) in items {
            let x = MARGIN + *x;
            let sw = Box {
                x: map.x(x),
                y: map.y(y + 4.0),
                w: map.len(28.0),
                h: map.len(14.0),
            };
            let name = format!("Legend swatch {text}");
            match swatch {
                Swatch::Fill(i) => {
                    s.shape(&Shape {
                        name: &name,
                        descr: "",
                        at: sw,
                        geom: "roundRect",
                        adj: &[("adj", 21_429)],
                        fill: solid(c.fills[i % c.fills.len()], None),
                        line: Some(Line {
                            color: c.stroke.into(),
                            width: map.len(1.0).max(3_175),
                            ..Line::default()
                        }),
                        text: None,
                        text_box: false,
                    });
                }
                Swatch::Outline(m) => {
                    s.shape(&Shape {
                        name: &name,
                        descr: "",
                        at: sw,
                        geom: "roundRect",
                        adj: &[("adj", 21_429)],
                        fill: solid(c.background, None),
                        line: Some(line_for(&[*m], c, theme, c.stroke, 1.2, map)),
                        text: None,
                        text_box: false,
                    });
                }
                Swatch::Line(m) => {
                    let marks: Vec<Mark> = m.iter().copied().collect();
                    let mut line = line_for(&marks, c, theme, c.edge, 1.4, map);
                    line.tail = true;
                    s.shape(&Shape {
                        name: &name,
                        descr: "",
                        at: Box {
                            x: sw.x,
                            y: map.y(y + 11.0),
                            w: sw.w,
                            h: 0,
                        },
                        geom: "line",
                        adj: &[],
                        fill: String::new(),
                        line: Some(line),
                        text: None,
                        text_box: false,
                    });
                }
            }
            label(
                s,
                &format!("Legend {text}"),
                Box {
                    x: map.x(x + 36.0),
                    y: map.y(y),
                    w: map.len(text_width(text, LEGEND_FONT) * 1.1 + 4.0),
                    h: map.len(LEGEND_ROW),
                },
                text,
                map.font(LEGEND_FONT),
                false,
                c.muted,
                "l",
            );
        }
    }
}
