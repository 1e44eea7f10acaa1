//! A diagram with a [`Caption`] is drawn as a slide: the caption (a small
//! kicker line, then paragraphs with a bold lead word and code spans in a
//! monospace font) sits between the title and the drawing, wrapped to the
//! drawing's width (at least [`MIN_WIDTH`]), and the page is padded to
//! 16:9 with the drawing centred, so it fills a presentation slide.
//!
//! Widths are measured like every other text (`text::text_width`, which
//! errs on the wide side); code is measured as a monospace font (0.6 em per
//! character, what Menlo, Consolas, Liberation Mono and DejaVu Sans Mono
//! set). A word wider than the line (a 200-character id) is broken by
//! characters; text glued to code (`` `crm`, ``) never wraps apart.

use std::fmt::Write;

use super::{escape, legend_rows, n, Colors, FONT, FOOTER_BAND, LEGEND_ROW, MARGIN, TITLE_BAND};
use crate::render::diagram::{Caption, Diagram, Layout, Paragraph};
use crate::render::page::LegendEntry;
use crate::render::text::text_width;

/// Font size of the caption's paragraphs, px.
pub const FONT_SIZE: f64 = 16.0;
/// Font size of the kicker line, px (the smallest text of a slide but the
/// footer).
pub const KICKER_SIZE: f64 = 14.0;
/// Narrowest content width of a slide, px: a caption wraps at about 100
/// characters a line, and the page is scaled up, not the text squeezed.
pub const MIN_WIDTH: f64 = 960.0;
/// Width over height of a slide.
pub const ASPECT: f64 = 16.0 / 9.0;
/// Monospace font stack for code spans.
pub const MONO: &str =
    "Menlo, Consolas, 'Liberation Mono', 'DejaVu Sans Mono', 'Courier New', monospace";

const LINE: f64 = 1.35;
const PARAGRAPH_GAP: f64 = 6.0;
/// Space between the caption and the drawing.
const BOTTOM_GAP: f64 = 18.0;
/// Where the caption block starts (the title's baseline is at 38).
const TOP: f64 = TITLE_BAND - 8.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    Lead,
    Code,
    Plain,
}

#[derive(Clone, Debug, PartialEq)]
struct Tok {
    style: Style,
    text: String,
    /// Preceded by a space (else glued to the token before).
    space: bool,
}

/// One drawn line of a paragraph.
type Line = Vec<Tok>;

/// The caption broken into lines: (font size, lines) per block.
pub(super) struct Lines {
    blocks: Vec<(f64, Vec<Line>)>,
}

impl Lines {
    /// Height from [`TOP`] to where the drawing may start.
    fn height(&self) -> f64 {
        let text: f64 = self
            .blocks
            .iter()
            .map(|(size, lines)| size * LINE * lines.len() as f64)
            .sum();
        text + PARAGRAPH_GAP * self.blocks.len().saturating_sub(1) as f64 + BOTTOM_GAP
    }
}

/// The geometry of a slide page.
pub(super) struct Page {
    pub width: f64,
    pub height: f64,
    /// Left of the drawing (centred in the content width).
    pub draw_x: f64,
    pub draw_top: f64,
    pub legend_top: f64,
    pub legend: Vec<Vec<LegendEntry>>,
    pub lines: Lines,
}

fn width_of(t: &Tok, size: f64) -> f64 {
    match t.style {
        Style::Plain => text_width(&t.text, size),
        // bold Helvetica is 5–10 % wider than regular
        Style::Lead => text_width(&t.text, size) * 1.1,
        Style::Code => t.text.chars().count() as f64 * 0.6 * size * 1.06,
    }
}

/// A paragraph as tokens: the lead word (with a colon), then each run's
/// words, remembering which follow a space.
fn tokens(p: &Paragraph) -> Vec<Tok> {
    let mut out = Vec::new();
    if !p.lead.is_empty() {
        out.push(Tok {
            style: Style::Lead,
            text: format!("{}:", p.lead.trim()),
            space: false,
        });
    }
    let mut pending = !out.is_empty();
    for (code, text) in &p.runs {
        let style = if *code { Style::Code } else { Style::Plain };
        let mut any = false;
        for (i, word) in text.split_whitespace().enumerate() {
            let space = if i == 0 {
                pending || text.starts_with(char::is_whitespace)
            } else {
                true
            };
            out.push(Tok {
                style,
                text: word.to_string(),
                space: space && !out.is_empty(),
            });
            any = true;
        }
        pending = if any {
            text.ends_with(char::is_whitespace)
        } else {
            pending || !text.is_empty()
        };
    }
    out
}

/// Breaks a token wider than `max` into pieces that fit (by characters).
fn split_wide(t: Tok, size: f64, max: f64) -> Vec<Tok> {
    if width_of(&t, size) <= max {
        return vec![t];
    }
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut first = true;
    for ch in t.text.chars() {
        cur.push(ch);
        let probe = Tok {
            style: t.style,
            text: cur.clone(),
            space: false,
        };
        if width_of(&probe, size) > max && cur.chars().count() > 1 {
            cur.pop();
            out.push(Tok {
                style: t.style,
                text: std::mem::take(&mut cur),
                space: first && t.space,
            });
            first = false;
            cur.push(ch);
        }
    }
    if !cur.is_empty() {
        out.push(Tok {
            style: t.style,
            text: cur,
            space: first && t.space,
        });
    }
    out
}

/// Greedy wrap of tokens to `max` px; glued tokens stay on one line
/// unless the glued unit alone is wider than a line.
fn wrap(toks: Vec<Tok>, size: f64, max: f64) -> Vec<Line> {
    // units: runs of tokens glued together
    let mut units: Vec<Vec<Tok>> = Vec::new();
    for t in toks {
        match units.last_mut() {
            Some(u) if !t.space => u.push(t),
            _ => units.push(vec![t]),
        }
    }
    let space = text_width(" ", size);
    let mut lines: Vec<Line> = Vec::new();
    let mut line: Line = Vec::new();
    let mut x = 0.0;
    for unit in units {
        let w: f64 = unit.iter().map(|t| width_of(t, size)).sum();
        let lead = if line.is_empty() { 0.0 } else { space };
        if !line.is_empty() && x + lead + w > max {
            lines.push(std::mem::take(&mut line));
            x = 0.0;
        }
        if w <= max {
            x += if line.is_empty() { 0.0 } else { space } + w;
            line.extend(unit);
            continue;
        }
        // wider than a line: token by token, breaking the wide ones
        for t in unit.into_iter().flat_map(|t| split_wide(t, size, max)) {
            let w = width_of(&t, size);
            let gap = if line.is_empty() || !t.space {
                0.0
            } else {
                space
            };
            if !line.is_empty() && x + gap + w > max {
                lines.push(std::mem::take(&mut line));
                x = 0.0;
            }
            x += if line.is_empty() { 0.0 } else { gap } + w;
            line.push(t);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The caption's lines at a content width of `width` px.
fn lines(cap: &Caption, width: f64) -> Lines {
    let mut blocks = Vec::new();
    if !cap.kicker.is_empty() {
        let kicker = Paragraph {
            lead: String::new(),
            runs: vec![(false, cap.kicker.clone())],
        };
        blocks.push((KICKER_SIZE, wrap(tokens(&kicker), KICKER_SIZE, width)));
    }
    for p in &cap.paragraphs {
        blocks.push((FONT_SIZE, wrap(tokens(p), FONT_SIZE, width)));
    }
    Lines { blocks }
}

/// Lays out a slide page: the caption wrapped to the content width, the
/// page widened (and the caption re-wrapped) or heightened to 16:9.
/// `body_h`: the height of the drawing and its key ([`crate::render::page`]).
pub(super) fn page(d: &Diagram, l: &Layout, cap: &Caption, content_w: f64, body_h: f64) -> Page {
    let draw_h = body_h;
    let mut cw = content_w.max(MIN_WIDTH);
    let mut widened = false;
    loop {
        let lines = lines(cap, cw);
        let legend = legend_rows(d, cw);
        let legend_h = LEGEND_ROW * legend.len() as f64;
        let caption_bottom = TOP + lines.height();
        let natural = caption_bottom.max(TITLE_BAND) + draw_h + 16.0 + legend_h + FOOTER_BAND;
        // whole pixels in 16:9 (a multiple of 16 wide, of 9 high)
        let width = ((cw + 2.0 * MARGIN) / 16.0).ceil() * 16.0;
        if !widened && natural * ASPECT > width {
            // too tall for 16:9: widen once (the caption gets shorter)
            cw = natural * ASPECT - 2.0 * MARGIN;
            widened = true;
            continue;
        }
        let height = natural.max(width / ASPECT).ceil();
        let extra = height - natural;
        let draw_top = caption_bottom.max(TITLE_BAND) + extra / 2.0;
        let draw_x = if d.nodes.is_empty() {
            MARGIN
        } else {
            MARGIN + ((width - 2.0 * MARGIN - l.width) / 2.0).max(0.0)
        };
        return Page {
            width,
            height,
            draw_x,
            draw_top,
            legend_top: draw_top + draw_h + 16.0 + extra / 2.0,
            legend,
            lines,
        };
    }
}

/// Draws the caption's lines below the title.
pub(super) fn draw(out: &mut String, lines: &Lines, c: &Colors) {
    let _ = writeln!(out, "<g id=\"caption\">");
    let mut y = TOP;
    for (i, (size, block)) in lines.blocks.iter().enumerate() {
        if i > 0 {
            y += PARAGRAPH_GAP;
        }
        let kicker = *size < FONT_SIZE;
        let fill = if kicker { c.muted } else { c.text };
        for line in block {
            y += size * LINE;
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" font-family=\"{FONT}\" font-size=\"{}\" fill=\"{fill}\">",
                n(MARGIN),
                n(y - size * (LINE - 1.0)),
                n(*size)
            );
            for (j, t) in line.iter().enumerate() {
                if j > 0 && t.space {
                    out.push(' ');
                }
                match t.style {
                    Style::Plain => out.push_str(&escape(&t.text)),
                    Style::Lead => {
                        let _ = write!(
                            out,
                            "<tspan font-weight=\"700\">{}</tspan>",
                            escape(&t.text)
                        );
                    }
                    Style::Code => {
                        let _ = write!(
                            out,
                            "<tspan font-family=\"{MONO}\">{}</tspan>",
                            escape(&t.text)
                        );
                    }
                }
            }
            out.push_str("</text>\n");
        }
    }
    out.push_str("</g>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(lead: &str, runs: &[(bool, &str)]) -> Paragraph {
        Paragraph {
            lead: lead.into(),
            runs: runs.iter().map(|(c, t)| (*c, t.to_string())).collect(),
        }
    }

    fn text_of(line: &Line) -> String {
        let mut s = String::new();
        for (j, t) in line.iter().enumerate() {
            if j > 0 && t.space {
                s.push(' ');
            }
            s.push_str(&t.text);
        }
        s
    }

    /// Drawn width of a line, as `wrap` counts it.
    fn line_width(line: &Line, size: f64) -> f64 {
        line.iter()
            .enumerate()
            .map(|(j, t)| {
                let gap = if j > 0 && t.space {
                    text_width(" ", size)
                } else {
                    0.0
                };
                gap + width_of(t, size)
            })
            .sum()
    }

    #[test]
    fn code_glued_to_punctuation_stays_together_and_spaces_are_kept() {
        let p = para(
            "Fix",
            &[
                (false, "add "),
                (true, "crm"),
                (false, ", then "),
                (true, "dw"),
            ],
        );
        let lines = wrap(tokens(&p), FONT_SIZE, 10_000.0);
        assert_eq!(lines.len(), 1);
        assert_eq!(text_of(&lines[0]), "Fix: add crm, then dw");
        for max in (60..400).step_by(7) {
            let lines = wrap(tokens(&p), FONT_SIZE, f64::from(max));
            let texts: Vec<String> = lines.iter().map(text_of).collect();
            assert!(
                texts.iter().all(|t| !t.starts_with(',')),
                "{max}: {texts:?}"
            );
            assert_eq!(texts.join(" "), "Fix: add crm, then dw", "{max}");
        }
    }

    #[test]
    fn every_line_fits_and_long_words_are_broken() {
        let long = "x".repeat(400);
        let p = para(
            "Problem",
            &[(false, "a silo in "), (true, &long), (false, " today")],
        );
        let max = 300.0;
        let lines = wrap(tokens(&p), FONT_SIZE, max);
        assert!(lines.len() > 3);
        for l in &lines {
            assert!(line_width(l, FONT_SIZE) <= max + 0.01, "{}", text_of(l));
        }
        let all: String = lines.iter().flatten().map(|t| t.text.as_str()).collect();
        assert_eq!(all.matches('x').count(), 400);
    }

    #[test]
    fn empty_paragraphs_have_no_lines() {
        assert!(wrap(tokens(&para("", &[])), FONT_SIZE, 100.0).is_empty());
        assert!(wrap(tokens(&para("", &[(false, "   ")])), FONT_SIZE, 100.0).is_empty());
    }
}
