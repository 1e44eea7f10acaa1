//! The page around a drawing: title band, the laid-out diagram, legend rows
//! and footer. The SVG writer draws it, and the layout measures candidate
//! drawings with it (a drawing is judged by the whole page it makes, not
//! by its graph alone), so both get the same numbers from here.

use super::diagram::{metrics, Diagram, Edge, Layout, Rect, Swatch};
use super::text::{node_size, text_width, wrap};

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
pub const LEGEND_GAP: f64 = 16.0;
/// Narrowest page, px (so a one-box view still has room for its legend).
const MIN_CONTENT: f64 = 560.0;
/// A title wider than the drawing wraps at this width (or the drawing's,
/// when wider), px: a long title no longer widens a small drawing's page
/// into a strip that a slide shows at a fraction of its size.
pub const TITLE_WRAP: f64 = 960.0;
/// Height of each further title line, px.
pub const TITLE_LINE: f64 = 36.0;
/// Advance width of the title's text (bold, so a little wider).
fn title_width(s: &str) -> f64 {
    text_width(s, metrics::TITLE) * 1.08
}

/// The title's lines on a page whose drawing is `layout_w` wide: one line
/// when it fits `max(layout_w, TITLE_WRAP)`; else two lines, as balanced as
/// the words allow (at the " — " of a subtitle when both halves fit that
/// width), unless two lines would be wider than 1.5 × the width — then as
/// few lines as that width allows. A word wider than the width gets a line
/// of its own.
pub fn title_lines(title: &str, layout_w: f64) -> Vec<String> {
    let width = layout_w.max(TITLE_WRAP);
    if title_width(title) <= width {
        return vec![title.to_string()];
    }
    let words: Vec<&str> = title.split_whitespace().collect();
    // the narrowest two-line break
    let two = (1..words.len())
        .map(|k| {
            let (a, b) = (words[..k].join(" "), words[k..].join(" "));
            (title_width(&a).max(title_width(&b)), a, b)
        })
        .min_by(|x, y| x.0.total_cmp(&y.0));
    match two {
        Some((w2, a, b)) if w2 <= width * 1.5 => {
            let w2 = w2.max(width);
            if let Some((head, tail)) = title.split_once(" — ") {
                let tail = format!("— {tail}");
                if title_width(head) <= w2 && title_width(&tail) <= w2 {
                    return vec![head.to_string(), tail];
                }
            }
            vec![a, b]
        }
        _ => greedy_lines(&words, width * 1.5),
    }
}

/// `words` in as few lines of at most `width` as a greedy fill gives.
fn greedy_lines(words: &[&str], width: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in words {
        if line.is_empty() {
            line.push_str(word);
        } else if title_width(&format!("{line} {word}")) <= width {
            line.push(' ');
            line.push_str(word);
        } else {
            lines.push(std::mem::take(&mut line));
            line.push_str(word);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

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
        let (w, h) = page_size(d, l);
        self.legible(w, h)
    }
}

/// One legend entry placed in a row: text, swatch, x of its start.
pub type LegendEntry = (String, Swatch, f64);

/// Height of one row of the key of tagged edge labels, px.
pub const KEY_ROW: f64 = 22.0;
/// Gap between key columns, px.
const KEY_COL_GAP: f64 = 28.0;
/// Room for an entry's tag before its text, px.
pub const KEY_TAG: f64 = 40.0;

/// One entry of the key: tag number, text, position (x, y of the row top,
/// relative to the key's top-left).
#[derive(Clone, Debug, PartialEq)]
pub struct KeyEntry {
    /// The tag's number.
    pub n: usize,
    /// "From → To: mechanism · frequency · entities", wrapped: one line
    /// per `\n`, each [`KEY_ROW`] high.
    pub text: String,
    /// Left of the entry.
    pub x: f64,
    /// Top of the entry's row.
    pub y: f64,
}

/// The page of one view.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    /// Whole page, px.
    pub width: f64,
    /// Whole page, px.
    pub height: f64,
    /// The title's lines ([`title_lines`]), the first at the top.
    pub title: Vec<String>,
    /// Top of the drawing area (below the title's lines).
    pub draw_top: f64,
    /// Left of the key of tagged edge labels (from the content's left).
    pub key_left: f64,
    /// Top of the key (below the drawing, or beside it at its top).
    pub key_top: f64,
    /// The key's entries (empty when no label is tagged).
    pub key: Vec<KeyEntry>,
    /// Top of the legend.
    pub legend_top: f64,
    /// Legend entries in rows.
    pub legend: Vec<Vec<LegendEntry>>,
}

/// Width of the page a drawing of `layout_w` needs for `d`'s title (wrapped
/// by [`title_lines`]), and the title's lines.
fn content_width(d: &Diagram, layout_w: f64) -> (f64, Vec<String>) {
    let lines = title_lines(&d.title, layout_w);
    let title_w = lines.iter().map(|l| title_width(l)).fold(0.0, f64::max);
    // the footer line is never cut by the page's edge: a narrow drawing's
    // page widens for it (up to FOOTER_MAX_W; a longer one is shortened
    // when drawn, see `footer_text`)
    let footer_w = text_width(&d.footer, metrics::NOTE).min(FOOTER_MAX_W);
    (layout_w.max(title_w).max(footer_w).max(MIN_CONTENT), lines)
}

/// Widest a page grows for its footer line, px.
const FOOTER_MAX_W: f64 = 900.0;

#[cfg(test)]
mod footer_tests {
    use super::*;

    #[test]
    fn a_long_footer_shortens_the_name_and_keeps_the_rest() {
        let f = "A very long architecture name indeed · plan period FY2027 · to-be (after the plan) · drawn by revarch";
        assert_eq!(footer_text(f, 10_000.0), f);
        let w = text_width(f, metrics::NOTE) * 0.8;
        let short = footer_text(f, w);
        assert!(
            short.ends_with("plan period FY2027 · to-be (after the plan) · drawn by revarch"),
            "{short}"
        );
        assert!(
            short.starts_with("A very") && short.contains("… ·"),
            "{short}"
        );
        assert!(text_width(&short, metrics::NOTE) <= w);
    }
}

/// The footer as drawn in `width` px: whole when it fits, else with its
/// first part (the architecture's name) shortened with `…`, so the plan
/// period, the state, "drawn by revarch" and any note stay.
pub fn footer_text(footer: &str, width: f64) -> String {
    if text_width(footer, metrics::NOTE) <= width {
        return footer.to_string();
    }
    let Some((name, tail)) = footer.split_once(" · ") else {
        return footer.to_string();
    };
    let mut chars: Vec<char> = name.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let short: String = chars.iter().collect();
        let line = format!("{}… · {tail}", short.trim_end());
        if text_width(&line, metrics::NOTE) <= width {
            return line;
        }
    }
    tail.to_string()
}

/// The text of a tagged edge's key entry.
fn key_text(d: &Diagram, e: &Edge) -> String {
    // a pill to another group is labelled "→ Group (n)": no second arrow
    let name = |i: usize| {
        d.nodes
            .get(i)
            .map_or("?", |n| n.label.trim_start_matches("→ "))
    };
    let arrow = if e.both_ways { "↔" } else { "→" };
    format!(
        "{} {arrow} {}: {}",
        name(e.from),
        name(e.to),
        e.label.join(" · ")
    )
}

/// Most key columns tried.
const KEY_MAX_COLS: usize = 4;
/// Width of the key when it stands right of the drawing (or in a corner
/// of it), px.
const KEY_SIDE_W: f64 = 400.0;
/// Narrower widths tried for a key right of the drawing: a key that wraps
/// more but still ends above the drawing's bottom gives a page nearer the
/// frame's shape (the bundled SV-2: 1899 px wide at 2.01 with 400 px).
const KEY_SIDE_NARROW: [f64; 2] = [340.0, 290.0];
/// Gap between the drawing and a key right of it, px.
const KEY_SIDE_GAP: f64 = 32.0;

/// The tagged labels of `l`: (tag, key text), by tag.
fn tagged(d: &Diagram, l: &Layout) -> Vec<(usize, String)> {
    let mut t: Vec<(usize, String)> = d
        .edges
        .iter()
        .zip(&l.edges)
        .filter_map(|(e, p)| Some((p.tag?, key_text(d, e))))
        .collect();
    t.sort_by_key(|t| t.0);
    t
}

/// The key in columns (reading down each column) within `width`, each
/// entry wrapped to its column; `max_cols` columns at most, the number
/// that makes the key shortest (ties: fewer). Entries and height.
fn key_entries(tagged: &[(usize, String)], width: f64, max_cols: usize) -> (Vec<KeyEntry>, f64) {
    if tagged.is_empty() {
        return (Vec::new(), 0.0);
    }
    // Characters per line for a column of `col_w` px (an average glyph is
    // about half the font size, set generously).
    let wrapped = |col_w: f64| -> Vec<Vec<String>> {
        let chars = (((col_w - KEY_TAG) / (metrics::NOTE * 0.52)).floor() as usize).max(12);
        tagged.iter().map(|(_, t)| wrap(t, chars)).collect()
    };
    // Column-major fill: a column takes entries until it holds its share.
    let columns = |lines: &[Vec<String>], cols: usize| -> Vec<(usize, usize)> {
        let total: usize = lines.iter().map(Vec::len).sum();
        let share = total.div_ceil(cols);
        let (mut col, mut used) = (0usize, 0usize);
        lines
            .iter()
            .map(|l| {
                if used > 0 && used + l.len() > share && col + 1 < cols {
                    col += 1;
                    used = 0;
                }
                let at = (col, used);
                used += l.len();
                at
            })
            .collect()
    };
    type Choice = (f64, usize, Vec<Vec<String>>, Vec<(usize, usize)>);
    let mut best: Option<Choice> = None;
    for cols in 1..=max_cols.max(1) {
        let col_w = (width - (cols - 1) as f64 * KEY_COL_GAP) / cols as f64;
        if col_w < 240.0 && cols > 1 {
            break;
        }
        let lines = wrapped(col_w);
        let at = columns(&lines, cols);
        let rows = lines
            .iter()
            .zip(&at)
            .map(|(l, &(_, used))| used + l.len())
            .max()
            .unwrap_or(0);
        let h = rows as f64 * KEY_ROW;
        if best.as_ref().is_none_or(|(bh, ..)| h < *bh - 0.5) {
            best = Some((h, cols, lines, at));
        }
    }
    let Some((h, cols, lines, at)) = best else {
        return (Vec::new(), 0.0);
    };
    let col_w = (width - (cols - 1) as f64 * KEY_COL_GAP) / cols as f64;
    let entries = tagged
        .iter()
        .zip(lines)
        .zip(at)
        .map(|((&(n, _), l), (col, used))| KeyEntry {
            n,
            x: col as f64 * (col_w + KEY_COL_GAP),
            y: used as f64 * KEY_ROW,
            text: l.join("\n"),
        })
        .collect();
    (entries, h)
}

/// The page for `d` laid out as `l`. A key of tagged labels goes into an
/// empty corner of the drawing when one has room for it; else under the
/// drawing, or right of it when that makes the page nearer 16:9.
pub fn page(d: &Diagram, l: &Layout) -> Page {
    let tags = tagged(d, l);
    let below = arrange(d, l, &tags, None);
    if tags.is_empty() {
        return below;
    }
    if let Some((x, y, key)) = key_inside(l, &tags) {
        // the page of the drawing alone, with the key in its corner
        let mut p = arrange(d, l, &[], None);
        p.key_left = x;
        p.key_top = p.draw_top + y;
        p.key = key;
        return p;
    }
    let off = |p: &Page| ((p.width / p.height.max(1.0)) / (16.0 / 9.0)).ln().abs();
    let mut best = below;
    for w in std::iter::once(KEY_SIDE_W).chain(KEY_SIDE_NARROW) {
        let right = arrange(d, l, &tags, Some(w));
        if off(&right) < off(&best) {
            best = right;
        }
    }
    best
}

/// Space kept between a key inside the drawing and anything drawn, px.
const KEY_INSIDE_PAD: f64 = 16.0;

/// A corner of the drawing area where the key (one column of
/// [`KEY_SIDE_W`], or two) lies clear of every box, frame, lane, edge line
/// and label, with [`KEY_INSIDE_PAD`] around it: its top-left (drawing
/// coordinates) and entries. Corners are tried bottom-right, top-right,
/// bottom-left, top-left.
fn key_inside(l: &Layout, tags: &[(usize, String)]) -> Option<(f64, f64, Vec<KeyEntry>)> {
    let pad = KEY_INSIDE_PAD;
    let mut obstacles: Vec<Rect> = l.nodes.iter().chain(&l.groups).copied().collect();
    obstacles.extend(l.edges.iter().filter_map(|e| e.label));
    if let Some(geo) = &l.lanes {
        obstacles.extend(geo.titles.iter().chain(&geo.columns).copied());
        obstacles.extend(geo.rest);
    }
    for cols in [1, 2] {
        let w = KEY_SIDE_W * cols as f64 + KEY_COL_GAP * (cols - 1) as f64;
        let (key, h) = key_entries(tags, w, cols);
        let (kw, kh) = (w + 2.0 * pad, h + 2.0 * pad);
        if kw > l.width || kh > l.height {
            continue;
        }
        let (right, bottom) = (l.width - kw, l.height - kh);
        for (x, y) in [(right, bottom), (right, 0.0), (0.0, bottom), (0.0, 0.0)] {
            let r = Rect { x, y, w: kw, h: kh };
            let clear = !obstacles.iter().any(|o| o.overlaps(&r))
                && !l.edges.iter().any(|e| {
                    e.points
                        .windows(2)
                        .any(|s| crate::render::layout::seg_hits(s[0], s[1], &r, 0.0))
                });
            if clear {
                return Some((x + pad, y + pad, key));
            }
        }
    }
    None
}

/// The page with the key under the drawing, or right of it in a column of
/// `key_right` px.
fn arrange(d: &Diagram, l: &Layout, tags: &[(usize, String)], key_right: Option<f64>) -> Page {
    let draw_h = if d.empty_note.is_some() {
        l.height.max(80.0)
    } else {
        l.height
    };
    // the title wraps at the drawing's width, so its height is known first
    let key_w = key_right.map_or(0.0, |w| KEY_SIDE_GAP + w);
    let (content_w, title) = content_width(d, l.width + key_w);
    let draw_top = TITLE_BAND + TITLE_LINE * title.len().saturating_sub(1) as f64;
    let (key, key_left, key_top, body_h) = if let Some(side_w) = key_right {
        let (key, key_h) = key_entries(tags, side_w, 1);
        let key_left = content_w - side_w;
        (key, key_left, draw_top, draw_h.max(key_h))
    } else {
        let (key, key_h) = key_entries(tags, content_w, KEY_MAX_COLS);
        let key_top = draw_top + draw_h + LEGEND_GAP;
        let body = if key.is_empty() {
            draw_h
        } else {
            draw_h + LEGEND_GAP + key_h
        };
        (key, 0.0, key_top, body)
    };
    let legend = legend_rows(d, content_w);
    let legend_top = draw_top + body_h + LEGEND_GAP;
    let legend_h = LEGEND_ROW * legend.len() as f64;
    Page {
        width: content_w + 2.0 * MARGIN,
        height: legend_top + legend_h + FOOTER_BAND,
        title,
        draw_top,
        key_left,
        key_top,
        key,
        legend_top,
        legend,
    }
}

/// The size of [`page`]: what candidate layouts are scored by.
pub fn page_size(d: &Diagram, l: &Layout) -> (f64, f64) {
    let p = page(d, l);
    (p.width, p.height)
}

/// Whether `d` cannot be legible in `fit`'s frame whatever its layout: its
/// boxes alone, each with the least gap any layout keeps around it, cover
/// more than the frame's drawing area at the legible scale. A cheap test
/// (no layout) that lets the legibility split skip hopeless drawings.
pub fn surely_illegible(d: &Diagram, fit: Fit) -> bool {
    fill(d, fit, LEAST_GAP) > 1.0
}

/// The least gap any layout keeps around a box, px ([`fill`]).
pub const LEAST_GAP: f64 = 24.0;

/// How much of `fit`'s drawing area at the legible scale `d`'s boxes
/// cover, each with `gap` around it (infinite when title, legend and
/// footer alone leave no room, or a swimlane drawing's lanes alone are
/// taller than the rest; 0 without a frame).
pub fn fill(d: &Diagram, fit: Fit, gap: f64) -> f64 {
    let Some((fw, fh)) = fit.frame() else {
        return 0.0;
    };
    let s = fit.min_scale();
    let avail_w = fw / s - 2.0 * MARGIN;
    let empty = Layout {
        width: avail_w,
        ..Layout::default()
    };
    let (_, overhead) = page_size(d, &empty);
    let avail_h = fh / s - overhead;
    if avail_h <= 0.0 {
        return if d.nodes.is_empty() {
            0.0
        } else {
            f64::INFINITY
        };
    }
    // a swimlane drawing stacks its lanes: a height no layout goes below
    if d.lanes.is_some() && super::layout::least_lanes_height(d) > avail_h {
        return f64::INFINITY;
    }
    let area: f64 = d
        .nodes
        .iter()
        .map(|n| {
            let (w, h) = node_size(n);
            (w + gap) * (h + gap)
        })
        .sum();
    area / (avail_w * avail_h)
}

/// Advance width of a legend entry.
fn entry_width(text: &str) -> f64 {
    // 15 % slack: renderers without Helvetica/Arial (LibreOffice falls back
    // to DejaVu Sans) set text wider, and legend entries sit side by side.
    36.0 + text_width(text, LEGEND_FONT) * 1.15 + 28.0
}

/// Legend items laid out in rows, the first row after the heading.
pub fn legend_rows(d: &Diagram, width: f64) -> Vec<Vec<LegendEntry>> {
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
    fn a_long_title_wraps_at_the_drawing_and_a_short_one_does_not() {
        let short = "SV-1 Systems interface description";
        assert_eq!(title_lines(short, 300.0), vec![short.to_string()]);
        let long = "OV-5b Operational activity model (customer journey) — overview by \
                    performer (24 activities in 9 groups; each group drawn separately)";
        // wider than TITLE_WRAP: broken at the subtitle's dash
        let lines = title_lines(long, 400.0);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines.iter().all(|l| title_width(l) <= TITLE_WRAP * 1.5));
        // at the subtitle's dash when both halves fit
        let dashed = "Data lineage: Opportunity — to-be after the plan period ends";
        let lines = title_lines(dashed, 100.0);
        assert_eq!(lines.len(), 1, "{lines:?}");
        let lines = title_lines(&format!("{} — {}", "a".repeat(60), "b".repeat(50)), 100.0);
        assert_eq!(lines[1], format!("— {}", "b".repeat(50)), "{lines:?}");
        // a drawing wide enough for the whole title keeps it on one line
        assert_eq!(title_lines(long, 3000.0).len(), 1);
        // near miss: one word wider than the width stands alone, unbroken
        let word = "x".repeat(200);
        let lines = title_lines(&format!("a {word} b"), 100.0);
        assert_eq!(lines, vec!["a".to_string(), word, "b".to_string()]);
        // a very long title: more lines, none past 1.5 × the width
        let lines = title_lines(&"word ".repeat(300), 100.0);
        assert!(lines.len() > 2);
        assert!(lines.iter().all(|l| title_width(l) <= TITLE_WRAP * 1.5));
        assert_eq!(title_lines("", 10.0), vec![String::new()]);
    }

    #[test]
    fn the_key_goes_into_an_empty_corner_and_never_over_a_line() {
        use crate::render::diagram::{EdgePath, Point};
        let tags = vec![(1, "A → B: REST · hourly".to_string())];
        let boxed = |x, y| Rect {
            x,
            y,
            w: 200.0,
            h: 60.0,
        };
        let mut l = Layout {
            width: 1200.0,
            height: 600.0,
            nodes: vec![boxed(0.0, 0.0), boxed(0.0, 500.0)],
            edges: vec![EdgePath {
                points: vec![Point { x: 100.0, y: 60.0 }, Point { x: 100.0, y: 500.0 }],
                label: None,
                tag: Some(1),
            }],
            ..Layout::default()
        };
        let (x, y, key) = key_inside(&l, &tags).expect("the right half is empty");
        assert_eq!(key.len(), 1);
        assert!(x > 600.0 && y > 300.0, "bottom-right first: {x},{y}");
        // near miss: lines across both right corners and boxes in the left
        // ones leave no room
        l.edges.push(EdgePath {
            points: vec![
                Point { x: 1100.0, y: 0.0 },
                Point {
                    x: 1100.0,
                    y: 600.0,
                },
            ],
            label: None,
            tag: None,
        });
        assert!(key_inside(&l, &tags).is_none());
        // too small a drawing has no room either
        let tiny = Layout {
            width: 300.0,
            height: 80.0,
            ..Layout::default()
        };
        assert!(key_inside(&tiny, &tags).is_none());
    }

    #[test]
    fn a_wrapped_title_moves_the_drawing_down_and_narrows_the_page() {
        let mut d = Diagram {
            view: "t".into(),
            title: "word ".repeat(80),
            footer: String::new(),
            flow: Flow::TopDown,
            nodes: Vec::new(),
            edges: Vec::new(),
            groups: Vec::new(),
            legend: Vec::new(),
            empty_note: None,
            caption: None,
            lanes: None,
        };
        let l = Layout {
            width: 500.0,
            height: 300.0,
            ..Layout::default()
        };
        let p = page(&d, &l);
        assert!(p.title.len() >= 2);
        assert!(
            p.width <= 1.5 * TITLE_WRAP + 2.0 * MARGIN + 1.0,
            "{}",
            p.width
        );
        let lines = p.title.len() as f64;
        assert_eq!(p.draw_top, TITLE_BAND + TITLE_LINE * (lines - 1.0));
        d.title = "short".into();
        assert_eq!(page(&d, &l).draw_top, TITLE_BAND);
    }

    #[test]
    fn page_size_agrees_with_the_page() {
        let mut d = Diagram::blank("t", "A title", "", Flow::TopDown);
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
            assert_eq!(page_size(&d, &l), (p.width, p.height));
        }
    }
}
