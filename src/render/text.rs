//! Text measurement for the SVG font stack.
//!
//! The SVG writer sets `font-family: "Helvetica Neue", Helvetica, Arial,
//! "Liberation Sans", "DejaVu Sans", sans-serif`. We cannot know which of
//! those the viewer has, so widths come from the Helvetica/Arial advance
//! widths (Arial and Liberation Sans are metric-compatible with Helvetica)
//! and are padded a little: DejaVu Sans, the usual last resort on Linux, is
//! about 8–10 % wider, and text that overflows its box looks broken while a
//! box a few pixels too wide does not. Layout measures with these functions
//! and the SVG writer draws with the same [`wrap`], so the two agree on every
//! line break.

use super::diagram::{metrics, Node, Shape};

/// Node labels longer than this many characters are wrapped (see [`wrap`]).
pub const WRAP_CHARS: usize = 28;

/// Node sublabels (kind · vendor) longer than this many characters are
/// wrapped onto more lines (see [`sublabel_lines`]).
pub const SUB_WRAP_CHARS: usize = 30;

/// The lines a node's sublabel is drawn on: [`wrap`]ped at
/// [`SUB_WRAP_CHARS`], balanced, so a long vendor name makes the box a
/// line taller instead of much wider. Layout and SVG writer both use it.
pub fn sublabel_lines(s: &str) -> Vec<String> {
    wrap(s, SUB_WRAP_CHARS)
}

/// Vertical gap between a node's label block and the rule above its extra
/// `lines`, px (the rule is drawn in the middle of the gap).
pub const RULE_GAP: f64 = 8.0;

/// Vertical radius of a cylinder's elliptical caps, px. The top cap is drawn
/// as a full ellipse (2 × this) and the bottom one shows half of one, so a
/// cylinder is `3 × CYLINDER_RY` taller than the same text in a box.
pub const CYLINDER_RY: f64 = 8.0;

/// Padding around an edge label's text inside its box, px (each side).
pub const EDGE_LABEL_PAD: f64 = 3.0;

/// Extra width for a node's main label, which the SVG writer may draw in a
/// semibold weight (bold Helvetica is 5–10 % wider than regular).
const LABEL_WEIGHT_FACTOR: f64 = 1.08;

/// Safety factor on every measured width (font substitution, hinting,
/// kerning differences between renderers).
const GENEROUS: f64 = 1.06;

/// Advance widths of Helvetica (= Arial) for ASCII 32..=126, in 1/1000 em,
/// from the Adobe font metrics.
const ASCII_WIDTHS: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // ' '../
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0..9
    278, 278, 584, 584, 584, 556, 1015, // :..@
    667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, // A..M
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // N..Z
    278, 278, 278, 469, 556, 333, // [..`
    556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, // a..m
    556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, // n..z
    334, 260, 334, 584, // {..~
];

/// Advance width of one character in 1/1000 em (before the safety factor).
fn char_width(c: char) -> f64 {
    let cp = c as u32;
    if (32..=126).contains(&cp) {
        return f64::from(ASCII_WIDTHS[(cp - 32) as usize]);
    }
    match cp {
        // Control characters, combining marks, zero-width space/joiners,
        // variation selectors and the BOM take no room.
        0..=31 | 0x7f..=0x9f => 0.0,
        0x0300..=0x036f | 0x200b..=0x200f | 0xfe00..=0xfe0f | 0xfeff => 0.0,
        // No-break space and thin spaces.
        0xa0 => 278.0,
        0x2009 | 0x202f => 200.0,
        // En dash, em dash, ellipsis, bullet, typographic quotes.
        0x2013 => 556.0,
        0x2014 | 0x2026 => 1000.0,
        0x2022 => 350.0,
        0x2018..=0x201a => 222.0,
        0x201c..=0x201e => 333.0,
        // Wide (East Asian full-width) characters: Hangul Jamo, CJK
        // radicals..Yi, Hangul syllables, CJK compatibility, full-width
        // forms, emoji and the supplementary ideographic planes.
        0x1100..=0x115f
        | 0x2e80..=0xa4cf
        | 0xac00..=0xd7a3
        | 0xf900..=0xfaff
        | 0xfe30..=0xfe4f
        | 0xff00..=0xff60
        | 0xffe0..=0xffe6
        | 0x1f300..=0x1faff
        | 0x20000..=0x3fffd => 1000.0,
        // Latin-1 / Latin Extended letters: like their base letters;
        // capitals are wider.
        _ if c.is_uppercase() => 722.0,
        // Everything else (Latin with diacritics, Greek, Cyrillic, symbols):
        // a bit wider than an average lowercase letter.
        _ => 600.0,
    }
}

/// Width in px of `s` set in the SVG font stack at `font_size` px (one line;
/// a `\n` is measured as nothing). Slightly generous so text never
/// overflows the box measured for it.
pub fn text_width(s: &str, font_size: f64) -> f64 {
    let em: f64 = s.chars().map(char_width).sum();
    em / 1000.0 * font_size * GENEROUS
}

/// Split `s` at spaces into as few lines as a limit of `max_chars`
/// characters per line allows, balanced so the lines have similar lengths
/// (a 40-character label becomes two lines of about 20, not 28 + 12).
///
/// A single word longer than `max_chars` is never broken (it gets a line of
/// its own). Runs of spaces collapse. Always returns at least one line (an
/// empty string for empty input). Used for node labels with
/// [`WRAP_CHARS`]; the SVG writer must call it the same way.
pub fn wrap(s: &str, max_chars: usize) -> Vec<String> {
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.is_empty() {
        return vec![String::new()];
    }
    let max_chars = max_chars.max(1);
    let total = words.iter().map(|w| w.chars().count()).sum::<usize>() + words.len() - 1;
    if total <= max_chars {
        return vec![words.join(" ")];
    }
    let greedy = greedy_wrap(&words, max_chars);
    let target = greedy.len();
    // Balance: the narrowest limit that still needs no more lines than the
    // plain greedy wrap. Limits only shrink from max_chars, so no line gets
    // longer than the plain wrap allows.
    let mut best = greedy;
    let mut limit = total.div_ceil(target);
    while limit < max_chars {
        let lines = greedy_wrap(&words, limit);
        if lines.len() <= target {
            best = lines;
            break;
        }
        limit += 1;
    }
    best
}

/// Greedy line filling: each line takes words while it stays within `limit`.
fn greedy_wrap(words: &[&str], limit: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut cur_len = 0usize;
    for w in words {
        let wl = w.chars().count();
        if cur_len > 0 && cur_len + 1 + wl > limit {
            lines.push(std::mem::take(&mut cur));
            cur_len = 0;
        }
        if cur_len > 0 {
            cur.push(' ');
            cur_len += 1;
        }
        cur.push_str(w);
        cur_len += wl;
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Height of one line of text at `font_size`, px.
fn line_height(font_size: f64) -> f64 {
    font_size * metrics::LINE
}

/// Widest of `lines` at `font_size`, px.
fn max_width(lines: &[String], font_size: f64) -> f64 {
    lines
        .iter()
        .map(|l| text_width(l, font_size))
        .fold(0.0, f64::max)
}

/// Size (width, height) in px of a node's box: its wrapped label at
/// [`metrics::LABEL`], the sublabel and the extra `lines` at
/// [`metrics::SMALL`] (below a rule, [`RULE_GAP`]), with [`metrics::PAD_X`] /
/// [`metrics::PAD_Y`] around and at least [`metrics::MIN_WIDTH`] wide.
///
/// Per shape: a `Table` has a header band (label + sublabel with padding)
/// and then one line per attribute; a `Pill` adds half its height in width
/// for the round ends; a `Cylinder` adds `3 × CYLINDER_RY` in height for
/// its caps. Returned sizes are whole pixels.
pub fn node_size(n: &Node) -> (f64, f64) {
    node_size_wrapped(n, WRAP_CHARS)
}

/// [`node_size`] with the label wrapped at `wrap_chars` characters per
/// line instead of [`WRAP_CHARS`] (swimlane diagrams choose narrower
/// boxes; the SVG writer wraps alike).
pub fn node_size_wrapped(n: &Node, wrap_chars: usize) -> (f64, f64) {
    let label_lines = wrap(&n.label, wrap_chars);
    let label_w = max_width(&label_lines, metrics::LABEL) * LABEL_WEIGHT_FACTOR;
    let label_h = label_lines.len() as f64 * line_height(metrics::LABEL);
    // A present sublabel takes its line even when empty, as it is drawn.
    let (sub_w, sub_h) = match &n.sublabel {
        Some(s) => {
            let lines = sublabel_lines(s);
            (
                max_width(&lines, metrics::SMALL),
                lines.len() as f64 * line_height(metrics::SMALL),
            )
        }
        None => (0.0, 0.0),
    };
    let lines_w = max_width(&n.lines, metrics::SMALL);
    let lines_h = n.lines.len() as f64 * line_height(metrics::SMALL);
    let text_w = label_w.max(sub_w).max(lines_w);
    let head_h = label_h + sub_h;

    let (mut w, mut h) = match n.shape {
        Shape::Table => {
            // Header band with its own padding; the body has half padding
            // above and below the attribute lines, and keeps some height
            // even without attributes so the table still reads as a table.
            let header = head_h + 2.0 * metrics::PAD_Y;
            let body = if n.lines.is_empty() {
                metrics::PAD_Y
            } else {
                lines_h + metrics::PAD_Y
            };
            (text_w + 2.0 * metrics::PAD_X, header + body)
        }
        Shape::Rounded | Shape::Pill | Shape::Cylinder => {
            let extra = if n.lines.is_empty() {
                0.0
            } else {
                RULE_GAP + lines_h
            };
            (
                text_w + 2.0 * metrics::PAD_X,
                head_h + extra + 2.0 * metrics::PAD_Y,
            )
        }
    };
    match n.shape {
        Shape::Pill => w += h * 0.5,
        Shape::Cylinder => h += 3.0 * CYLINDER_RY,
        Shape::Rounded | Shape::Table => {}
    }
    w = w.max(metrics::MIN_WIDTH);
    (w.ceil(), h.ceil())
}

/// Size (width, height) in px of the tag that stands for an edge label
/// (its number, semibold at [`metrics::EDGE`], in a small box).
pub fn tag_size(n: usize) -> (f64, f64) {
    let w = text_width(&n.to_string(), metrics::EDGE) * LABEL_WEIGHT_FACTOR + 10.0;
    (
        w.max(24.0).ceil(),
        (line_height(metrics::EDGE) + 4.0).ceil(),
    )
}

/// Size (width, height) in px of an edge label's box holding `lines` at
/// [`metrics::EDGE`], with [`EDGE_LABEL_PAD`] around. `(0, 0)` when there
/// is nothing to show.
pub fn label_size(lines: &[String]) -> (f64, f64) {
    if lines.iter().all(|l| l.trim().is_empty()) {
        return (0.0, 0.0);
    }
    let w = max_width(lines, metrics::EDGE) + 2.0 * EDGE_LABEL_PAD;
    let h = lines.len() as f64 * line_height(metrics::EDGE) + 2.0 * EDGE_LABEL_PAD;
    (w.ceil(), h.ceil())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(label: &str, shape: Shape) -> Node {
        Node {
            key: "k".into(),
            label: label.into(),
            sublabel: None,
            lines: vec![],
            shape,
            color: 0,
            marks: vec![],
            group: None,
            tooltip: String::new(),
        }
    }

    #[test]
    fn widths_follow_helvetica() {
        // "Salesforce" in Helvetica at 14 px is about 64 px wide.
        let w = text_width("Salesforce", 14.0);
        assert!(w > 62.0 && w < 72.0, "{w}");
        assert!(text_width("iiii", 10.0) < text_width("MMMM", 10.0));
        assert!(text_width("数据", 10.0) >= 20.0);
        assert_eq!(text_width("", 10.0), 0.0);
    }

    #[test]
    fn wrap_balances_and_keeps_words() {
        assert_eq!(wrap("Salesforce", 28), vec!["Salesforce"]);
        assert_eq!(wrap("", 28), vec![""]);
        let l = wrap("Customer data platform for the revenue team", 28);
        assert_eq!(l.len(), 2);
        assert!(l.iter().all(|x| x.chars().count() <= 28), "{l:?}");
        let diff = l[0].len().abs_diff(l[1].len());
        assert!(diff <= 8, "{l:?}");
        let long = wrap("Supercalifragilisticexpialidocious-integration x", 10);
        assert_eq!(long[0], "Supercalifragilisticexpialidocious-integration");
        let sixty = "a".repeat(9) + " " + &"b".repeat(20) + " " + &"c".repeat(29);
        assert!(wrap(&sixty, 28).len() >= 2);
    }

    #[test]
    fn node_sizes_grow_with_content() {
        let small = node_size(&node("A", Shape::Rounded));
        assert_eq!(small.0, metrics::MIN_WIDTH);
        let mut t = node("Account", Shape::Table);
        let t0 = node_size(&t);
        t.lines = vec!["id".into(), "name".into(), "owner_id".into()];
        let t3 = node_size(&t);
        assert!(t3.1 > t0.1 + 2.0 * metrics::SMALL);
        let c = node_size(&node("Warehouse", Shape::Cylinder));
        let r = node_size(&node("Warehouse", Shape::Rounded));
        assert!(c.1 >= r.1 + 3.0 * CYLINDER_RY);
        let long = node_size(&node(&"word ".repeat(12), Shape::Rounded));
        assert!(long.1 > r.1);
    }

    #[test]
    fn label_sizes() {
        assert_eq!(label_size(&[]), (0.0, 0.0));
        let (w, h) = label_size(&["REST, nightly".into(), "Lead".into()]);
        assert!(w > 60.0 && h > 2.0 * metrics::EDGE);
    }
}
