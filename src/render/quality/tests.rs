//! Tests of the quality measures, checked against all-pairs counts.

use super::*;
use crate::render::diagram::{
    Caption, Edge, Flow, Group, LegendItem, Mark, Node, Paragraph, Shape, Swatch as Sw,
};
use crate::render::layout::layout;

fn p(x: f64, y: f64) -> Point {
    Point { x, y }
}
fn r(x: f64, y: f64, w: f64, h: f64) -> Rect {
    Rect { x, y, w, h }
}
fn edge(points: &[Point], from: usize, to: usize, label: Option<Rect>) -> DrawnEdge {
    DrawnEdge {
        points: points.to_vec(),
        from,
        to,
        label,
    }
}
/// Two boxes far apart at the left and right (the ends of the edges
/// under test) and whatever else a test adds.
fn drawing(boxes: &[Rect], edges: Vec<DrawnEdge>) -> Drawing {
    let mut all = vec![
        r(-1000.0, -1000.0, 10.0, 10.0),
        r(1000.0, 1000.0, 10.0, 10.0),
    ];
    all.extend_from_slice(boxes);
    Drawing {
        page: (1920.0, 1080.0),
        boxes: all,
        frames: Vec::new(),
        edges,
        texts: Vec::new(),
    }
}

#[test]
fn an_edge_through_a_box_counts_a_near_miss_and_its_own_ends_do_not() {
    let b = r(100.0, 100.0, 50.0, 30.0);
    // straight through the middle
    let d = drawing(
        &[b],
        vec![edge(&[p(0.0, 115.0), p(300.0, 115.0)], 0, 1, None)],
    );
    assert_eq!(edges_through_boxes(&d), 1);
    // 1 px above the box, and along its top border: no
    let d = drawing(
        &[b],
        vec![
            edge(&[p(0.0, 99.0), p(300.0, 99.0)], 0, 1, None),
            edge(&[p(0.0, 100.0), p(300.0, 100.0)], 0, 1, None),
        ],
    );
    assert_eq!(edges_through_boxes(&d), 0);
    // grazing 0.4 px inside (within the tolerance): no; 1 px inside: yes
    let graze = drawing(
        &[b],
        vec![edge(&[p(0.0, 100.4), p(300.0, 100.4)], 0, 1, None)],
    );
    assert_eq!(edges_through_boxes(&graze), 0);
    let inside = drawing(
        &[b],
        vec![edge(&[p(0.0, 101.0), p(300.0, 101.0)], 0, 1, None)],
    );
    assert_eq!(edges_through_boxes(&inside), 1);
    // an edge that starts inside its own source box
    let own = drawing(
        &[b],
        vec![edge(&[p(125.0, 115.0), p(300.0, 115.0)], 2, 1, None)],
    );
    assert_eq!(edges_through_boxes(&own), 0);
    // entering one box twice (a zigzag) counts once, two boxes count two
    let c = r(200.0, 100.0, 50.0, 30.0);
    let zig = drawing(
        &[b, c],
        vec![edge(
            &[
                p(0.0, 110.0),
                p(300.0, 110.0),
                p(300.0, 120.0),
                p(0.0, 120.0),
            ],
            0,
            1,
            None,
        )],
    );
    assert_eq!(edges_through_boxes(&zig), 2);
    // a diagonal through a corner only
    let corner = drawing(
        &[b],
        vec![edge(&[p(90.0, 100.0), p(110.0, 80.0)], 0, 1, None)],
    );
    assert_eq!(edges_through_boxes(&corner), 0);
}

#[test]
fn an_edge_across_a_foreign_frame_counts_into_its_own_does_not() {
    // boxes 2 and 3 (after the two far-away ones) in frames A and C,
    // frame B between them holds neither
    let d0 = drawing(
        &[r(0.0, 100.0, 50.0, 30.0), r(600.0, 100.0, 50.0, 30.0)],
        Vec::new(),
    );
    let frame = |x: f64| GroupFrame {
        rect: r(x, 50.0, 150.0, 150.0),
        title_band: r(x, 50.0, 150.0, 24.0),
    };
    let mut d = d0.clone();
    d.frames = vec![frame(-50.0), frame(250.0), frame(550.0)];
    // straight from box 2 to box 3: leaves A, crosses B, enters C
    d.edges = vec![edge(&[p(50.0, 115.0), p(600.0, 115.0)], 2, 3, None)];
    assert_eq!(edges_through_foreign_frames(&d), 1);
    // near miss: around B, below it, only A and C (its own) entered
    d.edges = vec![edge(
        &[
            p(25.0, 130.0),
            p(25.0, 230.0),
            p(625.0, 230.0),
            p(625.0, 130.0),
        ],
        2,
        3,
        None,
    )];
    assert_eq!(edges_through_foreign_frames(&d), 0);
    assert_eq!(edges_through_titles(&d), 0);
}

#[test]
fn an_edge_through_a_title_band_counts_one_below_it_does_not() {
    let frame = r(100.0, 100.0, 300.0, 200.0);
    let mut d = drawing(&[], Vec::new());
    d.frames.push(GroupFrame {
        rect: frame,
        title_band: r(100.0, 100.0, 300.0, 24.0),
    });
    d.edges = vec![edge(&[p(200.0, 0.0), p(200.0, 110.0)], 0, 1, None)];
    assert_eq!(edges_through_titles(&d), 1);
    // through the frame's body, 1 px below the band
    d.edges = vec![edge(&[p(0.0, 125.0), p(500.0, 125.0)], 0, 1, None)];
    assert_eq!(edges_through_titles(&d), 0);
    assert_eq!(edges_through_boxes(&d), 0, "frames are not boxes");
}

#[test]
fn bends_are_corners_not_collinear_or_repeated_points() {
    let ell = [
        p(0.0, 0.0),
        p(10.0, 0.0),
        p(10.0, 0.0),
        p(20.0, 0.0),
        p(20.0, 10.0),
    ];
    assert_eq!(edge_bends(&ell), 1);
    // 0.9 px off the line: straight; 1.5 px off: a bend
    assert_eq!(edge_bends(&[p(0.0, 0.0), p(50.0, 0.9), p(100.0, 0.0)]), 0);
    assert_eq!(edge_bends(&[p(0.0, 0.0), p(50.0, 1.5), p(100.0, 0.0)]), 1);
    // turning back along itself is a bend
    assert_eq!(edge_bends(&[p(0.0, 0.0), p(50.0, 0.0), p(20.0, 0.0)]), 1);
    // a finely sampled gentle curve has no corners
    let arc: Vec<Point> = (0..=32)
        .map(|i| {
            let a = std::f64::consts::FRAC_PI_2 * i as f64 / 32.0;
            p(200.0 * a.cos(), 200.0 * a.sin())
        })
        .collect();
    assert_eq!(edge_bends(&arc), 0);
    // a staircase: every corner
    let stairs = [
        p(0.0, 0.0),
        p(10.0, 0.0),
        p(10.0, 10.0),
        p(20.0, 10.0),
        p(20.0, 20.0),
    ];
    let d = drawing(&[], vec![edge(&stairs, 0, 1, None), edge(&ell, 0, 1, None)]);
    assert_eq!(bends(&d), 4);
}

#[test]
fn a_label_nearer_another_edge_counts_an_almost_as_near_one_does_not() {
    let own = [p(0.0, 0.0), p(300.0, 0.0)];
    let label = r(100.0, 5.0, 40.0, 14.0); // 5 px below its own edge
    let other_at = |y: f64| [p(0.0, y), p(300.0, y)];
    // the other edge 3 px below the label: nearer
    let d = drawing(
        &[],
        vec![
            edge(&own, 0, 1, Some(label)),
            edge(&other_at(22.0), 0, 1, None),
        ],
    );
    assert_eq!(labels_nearer_other_edge(&d), 1);
    // 4.8 px below: within the tolerance of 5
    let d = drawing(
        &[],
        vec![
            edge(&own, 0, 1, Some(label)),
            edge(&other_at(23.8), 0, 1, None),
        ],
    );
    assert_eq!(labels_nearer_other_edge(&d), 0);
    // a label on its own edge is never nearer another, even one that
    // crosses it too
    let on = r(100.0, -7.0, 40.0, 14.0);
    let cross = [p(120.0, -50.0), p(120.0, 50.0)];
    let d = drawing(
        &[],
        vec![edge(&own, 0, 1, Some(on)), edge(&cross, 0, 1, None)],
    );
    assert_eq!(labels_nearer_other_edge(&d), 0);
    // a label far out (70 px) with another edge's line right under it
    let far = r(100.0, 70.0, 40.0, 14.0);
    let d = drawing(
        &[],
        vec![
            edge(&own, 0, 1, Some(far)),
            edge(&other_at(90.0), 0, 1, None),
        ],
    );
    assert_eq!(labels_nearer_other_edge(&d), 1);
}

#[test]
fn label_overlaps_count_boxes_bands_and_labels_but_not_near_misses() {
    let b = r(100.0, 100.0, 50.0, 30.0);
    let line = [p(0.0, 0.0), p(1.0, 0.0)];
    // 1 px clear of the box (left of it), and touching it (below)
    let clear = r(49.0, 100.0, 50.0, 14.0);
    let touch = r(100.0, 130.0, 50.0, 14.0);
    let d = drawing(
        &[b],
        vec![
            edge(&line, 0, 1, Some(clear)),
            edge(&line, 0, 1, Some(touch)),
        ],
    );
    assert_eq!(label_overlaps(&d), 0);
    // 2 px into the box
    let into = r(52.0, 100.0, 50.0, 14.0);
    let d = drawing(&[b], vec![edge(&line, 0, 1, Some(into))]);
    assert_eq!(label_overlaps(&d), 1);
    // two labels on top of each other: one pair
    let a = r(300.0, 300.0, 50.0, 14.0);
    let a2 = r(310.0, 305.0, 50.0, 14.0);
    let d = drawing(
        &[],
        vec![edge(&line, 0, 1, Some(a)), edge(&line, 0, 1, Some(a2))],
    );
    assert_eq!(label_overlaps(&d), 1);
    // on a frame's title band, not in its body
    let mut d = drawing(
        &[],
        vec![edge(&line, 0, 1, Some(r(410.0, 410.0, 40.0, 14.0)))],
    );
    d.frames.push(GroupFrame {
        rect: r(400.0, 400.0, 200.0, 200.0),
        title_band: r(400.0, 400.0, 200.0, 24.0),
    });
    assert_eq!(label_overlaps(&d), 1);
    d.edges[0].label = Some(r(410.0, 425.0, 40.0, 14.0));
    assert_eq!(label_overlaps(&d), 0);
}

#[test]
fn text_is_fitted_into_the_frame_and_scored() {
    let mut d = drawing(&[], Vec::new());
    d.page = (3840.0, 1080.0);
    d.texts = vec![
        Text {
            font_px: 14.0,
            role: TextRole::Name,
        },
        Text {
            font_px: 11.0,
            role: TextRole::Other,
        },
        Text {
            font_px: 9.0,
            role: TextRole::Glyph,
        },
    ];
    let wide_page = d.clone();
    let q = measure(&d, SLIDE);
    assert_eq!(q.aspect, 3840.0 / 1080.0);
    assert_eq!(q.fitted_scale, 0.5);
    assert_eq!(q.smallest_name_px, Some(7.0));
    assert_eq!(q.smallest_text_px, Some(5.5), "glyphs are not text");
    assert!(!q.legible());
    // a page of half the frame is scaled up
    d.page = (960.0, 540.0);
    let big = measure(&d, SLIDE);
    assert_eq!(big.fitted_scale, 2.0);
    assert_eq!(big.smallest_name_px, Some(28.0));
    assert_eq!(big.smallest_text_px, Some(22.0));
    assert!(big.legible());
    // 10 px names at scale 2 is exactly the target of 20: legible
    d.texts[0].font_px = 10.0;
    let exact = measure(&d, SLIDE);
    assert!(exact.legible());
    d.texts[0].font_px = 9.9;
    assert!(!measure(&d, SLIDE).legible(), "just below the target");
    // refitting is measuring for the other frame
    assert_eq!(q.fit(A4_LANDSCAPE), measure(&wide_page, A4_LANDSCAPE));
    // lower is better: legible beats illegible, fewer crossings beat more
    assert!(score(&big, SLIDE) < score(&q, SLIDE));
    let mut crossed = big;
    crossed.crossings = 3;
    assert!(score(&big, SLIDE) < score(&crossed, SLIDE));
    let mut conflicted = big;
    conflicted.label_overlaps = 1;
    assert!(score(&crossed, SLIDE) < score(&conflicted, SLIDE));
    // the frame's shape counts: a 16:9 page scores better than a 4:1 one
    // with the same text size
    let mut wide = big;
    wide.aspect = 4.0;
    assert!(score(&big, SLIDE) < score(&wide, SLIDE));
    // scoring for another frame refits
    assert_eq!(
        score(&big, A4_LANDSCAPE),
        score(&big.fit(A4_LANDSCAPE), A4_LANDSCAPE)
    );
}

#[test]
fn the_frames_are_the_fit_targets() {
    for fit in [Fit::Slide, Fit::A4, Fit::None] {
        let frame = Frame::of(fit);
        assert_eq!(frame.map(|f| (f.width, f.height)), fit.frame(), "{fit:?}");
        if let Some(f) = frame {
            // legible at the frame's smallest scale, node names set at LABEL
            assert!((f.min_name_px - metrics::LABEL * fit.min_scale()).abs() < 1e-9);
        }
    }
}

#[test]
fn degenerate_geometry_is_measured_without_panic() {
    let nan = f64::NAN;
    let d = Drawing {
        page: (0.0, nan),
        boxes: vec![r(nan, 0.0, 10.0, 10.0), r(0.0, 0.0, -5.0, 10.0)],
        frames: vec![GroupFrame {
            rect: r(0.0, 0.0, f64::INFINITY, 1.0),
            title_band: r(0.0, 0.0, f64::INFINITY, 1.0),
        }],
        edges: vec![
            edge(
                &[p(nan, 0.0), p(1.0, 1.0), p(1.0, 1.0)],
                7,
                9,
                Some(r(nan, 0.0, 1.0, 1.0)),
            ),
            edge(&[], 0, 0, Some(r(0.0, 0.0, 1.0, 1.0))),
            edge(&[p(0.0, 0.0)], 0, 1, None),
        ],
        texts: vec![Text {
            font_px: nan,
            role: TextRole::Name,
        }],
    };
    let q = measure(&d, SLIDE);
    assert_eq!((q.width, q.height), (1.0, 1.0));
    assert_eq!(q.name_font_px, None);
    assert!(score(&q, SLIDE).is_finite());
    assert_eq!(measure(&Drawing::default(), A4_LANDSCAPE).conflicts(), 0);
}

/// A deterministic scatter of boxes, labels and zigzag edges.
fn scatter(seed: u64, n: usize) -> Drawing {
    let mut state = seed;
    let mut next = |m: f64| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) % 100_000) as f64 / 100_000.0 * m
    };
    let boxes: Vec<Rect> = (0..n)
        .map(|_| {
            r(
                next(2000.0),
                next(1200.0),
                40.0 + next(120.0),
                20.0 + next(40.0),
            )
        })
        .collect();
    let frames = (0..n / 10)
        .map(|_| {
            let f = r(
                next(2000.0),
                next(1200.0),
                100.0 + next(300.0),
                100.0 + next(200.0),
            );
            GroupFrame {
                rect: f,
                title_band: Rect { h: 24.0, ..f },
            }
        })
        .collect();
    let edges = (0..n)
        .map(|i| {
            let pts: Vec<Point> = (0..3 + i % 3)
                .map(|_| p(next(2200.0), next(1300.0)))
                .collect();
            let label =
                (i % 2 == 0).then(|| r(next(2000.0), next(1200.0), 30.0 + next(60.0), 16.0));
            edge(&pts, i % n, (i * 7 + 1) % n, label)
        })
        .collect();
    Drawing {
        page: (2200.0, 1300.0),
        boxes,
        frames,
        edges,
        texts: Vec::new(),
    }
}

#[test]
fn the_grids_agree_with_all_pairs() {
    for seed in [1, 2, 3] {
        let d = scatter(seed, 60);
        // through boxes and titles, all pairs
        let through_all = |rects: &[Rect], skip_ends: bool| {
            let mut c = 0;
            for e in &d.edges {
                for (k, b) in rects.iter().enumerate() {
                    if skip_ends && (k == e.from || k == e.to) {
                        continue;
                    }
                    if segments(&e.points).any(|(a, z)| segment_enters(a, z, b, TOLERANCE)) {
                        c += 1;
                    }
                }
            }
            c
        };
        let bands: Vec<Rect> = d.frames.iter().map(|f| f.title_band).collect();
        let tb = through_all(&d.boxes, true);
        assert!(tb > 10, "the sample should hit boxes: {tb}");
        assert_eq!(edges_through_boxes(&d), tb);
        assert_eq!(edges_through_titles(&d), through_all(&bands, false));
        // label overlaps, all pairs
        let labels: Vec<Rect> = d.edges.iter().filter_map(|e| e.label).collect();
        let mut ov = 0;
        for (i, l) in labels.iter().enumerate() {
            ov += d
                .boxes
                .iter()
                .chain(&bands)
                .filter(|b| overlap(l, b, TOLERANCE))
                .count();
            ov += labels[i + 1..]
                .iter()
                .filter(|m| overlap(l, m, TOLERANCE))
                .count();
        }
        assert!(ov > 5, "the sample should overlap: {ov}");
        assert_eq!(label_overlaps(&d), ov);
        // labels nearer another edge, all pairs
        let dist = |l: &Rect, e: &DrawnEdge| {
            segments(&e.points)
                .map(|(a, b)| rect_segment_distance(l, a, b))
                .fold(f64::INFINITY, f64::min)
        };
        let mut nearer = 0;
        for (i, e) in d.edges.iter().enumerate() {
            let Some(l) = e.label else { continue };
            let own = dist(&l, e);
            if own <= TOLERANCE {
                continue;
            }
            if d.edges
                .iter()
                .enumerate()
                .any(|(j, o)| j != i && dist(&l, o) < own - TOLERANCE)
            {
                nearer += 1;
            }
        }
        assert!(nearer > 5, "the sample should mislead: {nearer}");
        assert_eq!(labels_nearer_other_edge(&d), nearer);
    }
}

fn node(key: &str, label: &str, group: Option<usize>, marks: Vec<Mark>) -> Node {
    Node {
        key: key.into(),
        label: label.into(),
        sublabel: Some("CRM · Salesforce".into()),
        lines: vec!["email (PII)".into(), String::new()],
        shape: Shape::Rounded,
        color: 0,
        marks,
        group,
        tooltip: String::new(),
    }
}

fn sample_diagram() -> Diagram {
    Diagram {
        view: "sv-1".into(),
        title: "SV-1 Systems".into(),
        footer: "model · to-be".into(),
        flow: Flow::LeftRight,
        nodes: vec![
            node(
                "a",
                "A system with a name long enough to wrap onto two lines",
                Some(0),
                vec![],
            ),
            node("b", "B", Some(0), vec![Mark::Added]),
            Node {
                sublabel: Some(
                    "a sublabel long enough to wrap onto a second line in the box".into(),
                ),
                ..node("c", "C", None, vec![])
            },
        ],
        edges: vec![
            Edge {
                key: "ab".into(),
                from: 0,
                to: 1,
                label: vec!["REST · hourly".into(), "Account".into()],
                both_ways: false,
                marks: vec![Mark::Changed],
                tooltip: String::new(),
            },
            Edge {
                key: "bc".into(),
                from: 1,
                to: 2,
                label: vec![],
                both_ways: true,
                marks: vec![],
                tooltip: String::new(),
            },
        ],
        groups: vec![Group {
            key: "sales".into(),
            label: "Sales".into(),
            color: 1,
        }],
        legend: vec![
            LegendItem {
                swatch: Sw::Fill(0),
                text: "CRM".into(),
            },
            LegendItem {
                swatch: Sw::Outline(Mark::Added),
                text: "added".into(),
            },
        ],
        empty_note: None,
        caption: None,
        lanes: None,
    }
}

/// The font sizes of the non-empty `<text>` elements of an SVG, as written.
pub(crate) fn svg_font_sizes(svg: &str) -> Vec<String> {
    let mut sizes: Vec<String> = svg
        .split("<text ")
        .skip(1)
        // not the empty ones: the opening tag right before its end tag
        .filter(|t| {
            t.split_once('>')
                .is_some_and(|(_, rest)| !rest.starts_with("</text>"))
        })
        .filter_map(|t| {
            let rest = t.split("font-size=\"").nth(1)?;
            Some(rest.split('"').next()?.to_string())
        })
        .collect();
    sizes.sort();
    sizes
}

pub(crate) fn drawing_font_sizes(d: &Drawing) -> Vec<String> {
    let mut sizes: Vec<String> = d
        .texts
        .iter()
        .map(|t| format!("{:.1}", t.font_px))
        .collect();
    sizes.sort();
    sizes
}

#[test]
fn the_drawing_of_a_diagram_is_what_the_svg_draws() {
    let d = sample_diagram();
    let l = layout(&d);
    let dr = Drawing::of(&d, &l);
    let svg = svg::to_svg(&d, &l, svg::Theme::Light);
    assert_eq!(dr.page, page::page_size(&d, &l));
    assert_eq!(svg_font_sizes(&svg), drawing_font_sizes(&dr));
    let (w, h) = dr.page;
    assert!(
        svg.contains(&format!("width=\"{w:.1}\" height=\"{h:.1}\"")),
        "{w} {h}"
    );
    assert_eq!(dr.boxes, l.nodes);
    assert_eq!(dr.edges.len(), 2);
    assert!(dr.edges[0].label.is_some() && dr.edges[1].label.is_none());
    assert_eq!(dr.frames.len(), 1);
    assert_eq!(dr.frames[0].title_band.h, GROUP_TITLE_BAND);
    // the long name wraps: one name per line
    let lines = wrap(&d.nodes[0].label, WRAP_CHARS).len();
    assert!(lines > 1);
    let names = dr.texts.iter().filter(|t| t.role == TextRole::Name).count();
    assert_eq!(names, lines + 2);
    let q = measure(&dr, SLIDE);
    assert_eq!(q.name_font_px, Some(metrics::LABEL));
    assert_eq!(q.edges_through_boxes, 0);
    assert_eq!(q.label_overlaps, 0);
    assert_eq!(
        q,
        measure(&Drawing::of(&d, &layout(&d)), SLIDE),
        "deterministic"
    );
    // an empty diagram: the note, the title and the footer
    let empty = Diagram {
        nodes: vec![],
        edges: vec![],
        groups: vec![],
        legend: vec![],
        empty_note: Some("Nothing to show".into()),
        ..d
    };
    let l = layout(&empty);
    let svg = svg::to_svg(&empty, &l, svg::Theme::Dark);
    assert_eq!(
        svg_font_sizes(&svg),
        drawing_font_sizes(&Drawing::of(&empty, &l))
    );
    // a diagram with a caption: a 16:9 slide with the caption's lines
    let mut slide = sample_diagram();
    slide.caption = Some(Caption {
        kicker: "warning · data-silo".into(),
        paragraphs: vec![Paragraph {
            lead: "Zendesk".into(),
            runs: vec![(false, "holds tickets no other system reads. ".repeat(12))],
        }],
    });
    let l = layout(&slide);
    let dr = Drawing::of(&slide, &l);
    let svg = svg::to_svg(&slide, &l, svg::Theme::Light);
    assert_eq!(svg_font_sizes(&svg), drawing_font_sizes(&dr));
    assert_eq!(Some(dr.page), svg::slide_size(&slide, &l));
    assert!(
        svg::caption_font_sizes(&slide, &l).len() > 2,
        "the kicker and a wrapped paragraph"
    );
}
