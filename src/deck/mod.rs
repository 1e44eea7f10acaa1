//! The `deck` stage: graph + findings + positioned drawings → an editable
//! 16:9 PowerPoint deck (Office Open XML) of native shapes.
//!
//! Data in: the [`Graph`], a [`State`], the views to draw and a theme. Data
//! out: the bytes of a `.pptx` (the CLI writes them atomically). Slides: a
//! title slide, the AV-1 goals and the plan's health as native tables, one
//! slide per diagram view (and per part of a split view) laid out exactly
//! like `render --fit slide`, a focus slide per finding (the top
//! `max_findings` by severity), and the StdV-1 standards as a table. Every
//! slide has speaker notes. With a [`Template`] the slides sit on the
//! company's masters and layouts and the text slides take its theme's
//! fonts and colours (`template.rs`); without, on a clean built-in master.
//!
//! Invariants: the deck never sees RON; drawing slides are made from
//! `render::Rendered` (diagram + layout) and the SVG's page and colours
//! (`render::svg::frame`, `colors`, `stroke_for`), so they cannot disagree
//! with the SVG; every user string goes through [`xml::esc`]; the same
//! model and options give byte-identical bytes (fixed part order, fixed zip
//! timestamps); nothing here does IO.

pub mod draw;
pub mod package;
pub mod template;
pub mod xml;

use std::fmt::Write as _;

use crate::analysis::{analyse, Analysis, Finding, PlanDelta};
use crate::graph::Graph;
use crate::model::{Level, State};
use crate::render::{render_view, slides, Fit, Rendered, Sizing, Theme, View};
use package::SlidePart;
pub use template::Template;
use template::Use;
use xml::{solid, Box, Cell, Font, Para, Shape, SlideXml, Text};

/// Why a deck could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DeckError {
    /// Packing the parts failed.
    #[error("cannot pack the deck: {0}")]
    Zip(String),
    /// The template is not a zip file.
    #[error("template {path} is not a .pptx (not a zip file: {why})")]
    NotZip {
        /// The template as the user named it.
        path: String,
        /// What the zip reader said.
        why: String,
    },
    /// The template is a zip but not a presentation.
    #[error("template {path} is not a PowerPoint presentation: {why}")]
    NotPresentation {
        /// The template.
        path: String,
        /// What is missing.
        why: String,
    },
    /// A part the template names is not in it.
    #[error("template {path}: part {part} is missing (named by {from})")]
    MissingPart {
        /// The template.
        path: String,
        /// The missing part.
        part: String,
        /// The part (or .rels) that names it.
        from: String,
    },
    /// A part of the template cannot be used.
    #[error("template {path}: part {part} cannot be used: {why}")]
    BadTemplatePart {
        /// The template.
        path: String,
        /// The part.
        part: String,
        /// Why.
        why: String,
    },
    /// The template exceeds a size limit.
    #[error("template {path} is too large: {what}")]
    TemplateTooLarge {
        /// The template.
        path: String,
        /// What exceeds which limit.
        what: String,
    },
    /// The template's slides are not 16:9.
    #[error(
        "template {path}: its slides are {w} × {h} EMU ({:.2} × {:.2} in), not 16:9; the deck's drawings are laid out for 16:9 (in PowerPoint: Design ▸ Slide Size ▸ Widescreen, then save the template again)",
        *w as f64 / 914_400.0,
        *h as f64 / 914_400.0
    )]
    SlideSize {
        /// The template.
        path: String,
        /// Width, EMU.
        w: i64,
        /// Height, EMU.
        h: i64,
    },
}

/// What to put in the deck.
#[derive(Clone, Debug)]
pub struct Options {
    /// The state the drawings and focus slides show.
    pub state: State,
    /// The views to draw, in order.
    pub views: Vec<View>,
    /// Colours.
    pub theme: Theme,
    /// Focus slides for at most this many findings (most severe first).
    pub max_findings: usize,
    /// The company's masters, layouts and theme (None: the built-in ones).
    pub template: Option<Template>,
}

/// A written deck.
pub struct Deck {
    /// The `.pptx` file.
    pub bytes: Vec<u8>,
    /// One line per slide: what it is (for the CLI's summary and tests).
    pub slides: Vec<String>,
}

/// Default number of focus slides.
pub const DEFAULT_FINDINGS: usize = 10;

/// Builds the deck.
pub fn build(g: &Graph<'_>, opts: &Options) -> Result<Deck, DeckError> {
    let theme = opts.theme;
    let tpl = opts.template.as_ref();
    let c = &Look::new(crate::render::svg::colors(theme), tpl);
    let size = package::size(tpl);
    let state = opts.state;
    let to_be = analyse(g, State::ToBe);
    let as_is = analyse(g, State::AsIs);
    let current = if state == State::ToBe { &to_be } else { &as_is };
    let av = &g.model.av;
    let mut parts: Vec<SlidePart> = Vec::new();
    let mut names: Vec<String> = Vec::new();

    // 1. Title.
    parts.push(title_slide(g, state, c));
    names.push("title".into());
    // 2. Goals.
    parts.push(goals_slide(g, c));
    names.push("goals".into());
    // 3. Health.
    parts.push(health_slide(&as_is, &to_be, c));
    names.push("health".into());
    // 4. The plan: what it resolves and introduces.
    parts.push(plan_slide(&as_is, &to_be, c));
    names.push("plan".into());
    // 5. One slide per drawing.
    let sizing = Sizing {
        fit: Fit::Slide,
        max_nodes: None,
    };
    // laid out in parallel (crate::par), slides in view order
    let rendered = crate::par::map(&opts.views, |view| {
        render_view(view, g, state, true, sizing)
    });
    for (view, rv) in opts.views.iter().zip(rendered) {
        let Some(rv) = rv else {
            continue;
        };
        let mut drawings: Vec<(String, &Rendered)> = vec![(view.id(), &rv.main)];
        for p in &rv.parts {
            drawings.push((format!("{}--{}", view.id(), p.slug), &p.rendered));
        }
        for (stem, r) in drawings {
            parts.push(view_slide(view, &stem, r, current, state, theme, size));
            names.push(stem);
        }
    }
    // 6. Focus slides, most severe first.
    if opts.max_findings > 0 && !current.findings.is_empty() {
        let keys: Vec<String> = current
            .findings
            .iter()
            .take(opts.max_findings)
            .map(Finding::key)
            .collect();
        // Every key comes from this state's analysis: no error is possible,
        // but one would only drop the focus slides.
        if let Ok(list) = slides::slides(g, state, &keys) {
            for s in list {
                let f = current.findings.iter().find(|f| f.key() == s.key);
                parts.push(focus_slide(&s.rendered, f, theme, size));
                names.push(s.stem);
            }
        }
    }
    // 7. Standards.
    parts.push(standards_slide(g, c));
    names.push("standards".into());

    let title = if av.name.is_empty() {
        "Revenue architecture".to_string()
    } else {
        av.name.clone()
    };
    let files = package::parts(&title, &parts, tpl);
    let bytes = package::zip(&files)?;
    Ok(Deck {
        bytes,
        slides: names,
    })
}

type Colors = crate::render::svg::Colors;

/// How the text slides (title, goals, health, plan, standards) look: the
/// SVG theme's colours and the fixed font on the built-in master, or the
/// template theme's colours (scheme references) and fonts (`+mj-lt`,
/// `+mn-lt`) on a template's, with its master's background showing.
/// Drawings keep the SVG theme either way (their colours carry meaning).
struct Look {
    /// Slide size, EMU.
    w: i64,
    h: i64,
    /// Slide background (None: the master's).
    background: Option<&'static str>,
    text: &'static str,
    muted: &'static str,
    /// Table header fill and text.
    head_fill: &'static str,
    head_text: &'static str,
    /// Table row fills, alternating.
    rows: [&'static str; 2],
    /// Heading and body fonts.
    major: Font,
    minor: Font,
    /// The placeholder a text slide's title is (if its layout has one).
    title_ph: Option<&'static str>,
    /// The placeholders of the title slide's title and purpose.
    ctr_ph: Option<&'static str>,
    sub_ph: Option<&'static str>,
}

impl Look {
    fn new(c: &Colors, tpl: Option<&Template>) -> Look {
        let Some(t) = tpl else {
            return Look {
                w: package::SLIDE_W,
                h: package::SLIDE_H,
                background: Some(c.background),
                text: c.text,
                muted: c.muted,
                head_fill: c.fills[0],
                head_text: c.text,
                rows: [c.background, c.group_fills[6]],
                major: Font::Fixed,
                minor: Font::Fixed,
                title_ph: None,
                ctr_ph: None,
                sub_ph: None,
            };
        };
        let has = |u: Use, ph: &str| t.layout(u).is_some_and(|l| l.placeholders.contains(ph));
        let ctr_ph = if has(Use::Title, "ctrTitle") {
            Some("ctrTitle")
        } else if has(Use::Title, "title") {
            Some("title")
        } else {
            None
        };
        Look {
            w: t.size.0,
            h: t.size.1,
            background: None,
            text: "scheme:tx1",
            muted: "scheme:tx2",
            head_fill: "scheme:accent1",
            head_text: "scheme:bg1",
            rows: ["scheme:bg1", "scheme:bg2"],
            major: Font::Major,
            minor: Font::Minor,
            title_ph: has(Use::Text, "title").then_some("title"),
            ctr_ph,
            sub_ph: has(Use::Title, "subTitle").then_some("subTitle"),
        }
    }

    /// A height or top on the 7.5 in built-in slide, scaled to this one's.
    fn sy(&self, v: i64) -> i64 {
        v * self.h / package::SLIDE_H
    }

    /// Writes a shape, as placeholder `ph` if there is one.
    fn shape(s: &mut SlideXml, shape: &Shape<'_>, ph: Option<&str>) {
        match ph {
            Some(ph) => s.placeholder(shape, ph),
            None => s.shape(shape),
        };
    }
}

/// What a view shows, in one sentence.
fn view_sentence(view: &View) -> String {
    match view {
        View::Ov2 => "This is OV-2, the operational resource flows: who in the revenue organisation needs information from whom (needlines).".into(),
        View::Ov5b => "This is OV-5b, the customer journey as swimlanes: each performer's activities by journey stage, with the systems that support them and the data passed on.".into(),
        View::Sv1 => "This is SV-1, the systems interface description: the systems of the revenue stack grouped by owning team, and the interfaces between them.".into(),
        View::Sv2 => "This is SV-2, the systems resource flows: every integration with its mechanism, frequency and the data it carries.".into(),
        View::Div2 => "This is DIV-2, the logical data model: the business entities, their key attributes and how they relate.".into(),
        View::Lineage(e) => format!("This is the lineage of `{e}`: where the entity is held, where it flows and where it is needed."),
    }
}

/// A drawing slide with its notes.
fn view_slide(
    view: &View,
    stem: &str,
    r: &Rendered,
    analysis: &Analysis,
    state: State,
    theme: Theme,
    size: (i64, i64),
) -> SlidePart {
    let drawn = draw::drawing(r, theme, size);
    let d = &r.diagram;
    let keys: std::collections::BTreeSet<&str> = d.nodes.iter().map(|n| n.key.as_str()).collect();
    let on_view = |f: &&Finding| {
        std::iter::once(&f.subject)
            .chain(&f.related)
            .any(|e| keys.contains(format!("{}-{}", e.kind.prefix(), e.id).as_str()))
    };
    let findings: Vec<&Finding> = analysis.findings.iter().filter(on_view).collect();
    let mut notes = vec![format!(
        "{} The drawing ({stem}) shows {} and {} in the {state} state; dashed outlines are planned, dotted ones retiring, and boxes with a thick outline are named by a finding (the legend says which).",
        view_sentence(view),
        crate::words::count(drawn.nodes, "box", "boxes"),
        crate::words::count(drawn.connectors.iter().sum(), "connection", "connections"),
    )];
    if findings.is_empty() {
        notes.push("No finding names anything on this slide.".into());
    } else {
        notes.push(format!(
            "{} on this slide:",
            crate::words::count(findings.len(), "finding", "findings")
        ));
        for f in findings.iter().take(20) {
            notes.push(finding_note(f));
        }
        if findings.len() > 20 {
            notes.push(format!(
                "… and {} more (revarch check).",
                findings.len() - 20
            ));
        }
    }
    SlidePart {
        xml: drawn.xml.finish(),
        notes,
        kind: Use::Drawing,
    }
}

/// A finding as one line of notes: level, message, fix (code spans plain).
fn finding_note(f: &Finding) -> String {
    format!(
        "[{}] {} Fix: {}",
        f.level.as_str(),
        plain(&f.message),
        plain(&f.fix)
    )
}

/// A message with its code spans as plain text.
fn plain(s: &str) -> String {
    crate::analysis::spans(s)
        .into_iter()
        .map(|(_, t)| t)
        .collect()
}

fn focus_slide(r: &Rendered, f: Option<&Finding>, theme: Theme, size: (i64, i64)) -> SlidePart {
    let drawn = draw::drawing(r, theme, size);
    let mut notes = vec![
        "This focus slide shows one finding: the boxes it names and their direct neighbours; a red dashed line is the link the fix adds.".to_string(),
    ];
    if let Some(f) = f {
        notes.push(finding_note(f));
        notes.push(format!("Key: {}", f.key()));
    }
    SlidePart {
        xml: drawn.xml.finish(),
        notes,
        kind: Use::Drawing,
    }
}

/// The fixed text slide frame: background and a title; returns the map
/// unit (EMU per pt is fixed: text slides are drawn in points).
fn text_slide(title: &str, c: &Look) -> SlideXml {
    let mut s = SlideXml::new();
    if let Some(bg) = c.background {
        s.background(bg);
    }
    let shape = Shape {
        name: "Title",
        descr: "",
        at: Box {
            x: 457_200,
            y: 304_800,
            w: c.w - 914_400,
            h: 762_000,
        },
        geom: "rect",
        adj: &[],
        fill: String::new(),
        line: None,
        text: Some(Text {
            paras: vec![Para::one("l", title, 3_200, true, c.text).font(c.major)],
            anchor: "ctr",
            inset: [0; 4],
            wrap: true,
        }),
        text_box: true,
    };
    Look::shape(&mut s, &shape, c.title_ph);
    s
}

fn title_slide(g: &Graph<'_>, state: State, c: &Look) -> SlidePart {
    let av = &g.model.av;
    let name = if av.name.is_empty() {
        "Revenue architecture"
    } else {
        &av.name
    };
    let mut s = SlideXml::new();
    if let Some(bg) = c.background {
        s.background(bg);
    }
    let mut paras = vec![Para::one("l", name, 4_400, true, c.text).font(c.major)];
    if !av.plan_period.is_empty() {
        paras.push(
            Para::one(
                "l",
                &format!("Plan {} · drawn in the {state} state", av.plan_period),
                2_400,
                false,
                c.muted,
            )
            .font(c.minor),
        );
    }
    let shape = Shape {
        name: "Title",
        descr: "",
        at: Box {
            x: 914_400,
            y: c.sy(1_828_800),
            w: c.w - 1_828_800,
            h: c.sy(1_828_800),
        },
        geom: "rect",
        adj: &[],
        fill: String::new(),
        line: None,
        text: Some(Text {
            paras,
            anchor: "b",
            inset: [0; 4],
            wrap: true,
        }),
        text_box: true,
    };
    Look::shape(&mut s, &shape, c.ctr_ph);
    if !av.purpose.is_empty() {
        let shape = Shape {
            name: "Purpose",
            descr: "",
            at: Box {
                x: 914_400,
                y: c.sy(3_810_000),
                w: c.w - 1_828_800,
                h: c.sy(2_286_000),
            },
            geom: "rect",
            adj: &[],
            fill: String::new(),
            line: None,
            text: Some(Text {
                paras: vec![Para::one("l", &av.purpose, 2_000, false, c.text).font(c.minor)],
                anchor: "t",
                inset: [0; 4],
                wrap: true,
            }),
            text_box: true,
        };
        Look::shape(&mut s, &shape, c.sub_ph);
    }
    SlidePart {
        xml: s.finish(),
        notes: vec![
            format!("{name}: the revenue architecture for the plan period {}, as DoDAF-style viewpoints.", av.plan_period),
            format!("Purpose: {}", av.purpose),
        ],
        kind: Use::Title,
    }
}

/// A native table on a text slide: header row and rows, columns sized by
/// `weights`; long tables are cut (the notes say how many rows are left).
fn table(
    s: &mut SlideXml,
    name: &str,
    header: &[&str],
    rows: &[Vec<String>],
    weights: &[f64],
    c: &Look,
) -> usize {
    let row_h = 370_840;
    // Rows below the title and above the health slide's verdict: 12 on a
    // 7.5 in slide, 7 on a 5.625 in one (more are cut, the notes say so).
    let fit = (c.h - 1_219_200 - 1_066_800) / row_h - 1;
    let max_rows = usize::try_from(fit).unwrap_or(0).clamp(1, 12);
    let at = Box {
        x: 457_200,
        y: 1_219_200,
        w: c.w - 914_400,
        h: 0,
    };
    let total: f64 = weights.iter().sum::<f64>().max(1e-9);
    let cols: Vec<i64> = weights
        .iter()
        .map(|w| ((w / total) * at.w as f64).round() as i64)
        .collect();
    let cell = |t: &str, bold: bool, fill: &str, color: &str| Cell {
        text: Text {
            paras: vec![Para::one("l", t, 1_200, bold, color).font(c.minor)],
            anchor: "ctr",
            inset: [0; 4],
            wrap: true,
        },
        fill: solid(fill, None),
    };
    let mut grid: Vec<Vec<Cell>> = vec![header
        .iter()
        .map(|h| cell(h, true, c.head_fill, c.head_text))
        .collect()];
    for (i, r) in rows.iter().take(max_rows).enumerate() {
        let fill = c.rows[i % 2];
        grid.push(r.iter().map(|t| cell(t, false, fill, c.text)).collect());
    }
    let h = row_h * grid.len() as i64;
    s.table(name, Box { h, ..at }, &cols, &grid, row_h);
    rows.len().saturating_sub(max_rows)
}

fn goals_slide(g: &Graph<'_>, c: &Look) -> SlidePart {
    let av = &g.model.av;
    let mut s = text_slide("AV-1 Goals for the plan period", c);
    let rows: Vec<Vec<String>> = av
        .goals
        .iter()
        .map(|goal| {
            vec![
                goal.name.clone(),
                goal.target.clone(),
                goal.kpi
                    .as_ref()
                    .map_or(String::new(), |k| k.as_str().to_string()),
                goal.owner
                    .as_ref()
                    .map_or(String::new(), |k| k.as_str().to_string()),
            ]
        })
        .collect();
    let mut notes = vec![format!(
        "The plan's {} with their targets and the KPIs that measure them.",
        crate::words::count(av.goals.len(), "goal", "goals")
    )];
    if rows.is_empty() {
        notes.push("The model names no goals (AV-1 goals).".into());
    }
    let left = table(
        &mut s,
        "Goals",
        &["Goal", "Target", "KPI", "Owner"],
        &rows,
        &[3.0, 3.0, 1.5, 1.5],
        c,
    );
    if left > 0 {
        notes.push(format!("{left} more goals are not shown (see the report)."));
    }
    SlidePart {
        xml: s.finish(),
        notes,
        kind: Use::Text,
    }
}

fn health_slide(as_is: &Analysis, to_be: &Analysis, c: &Look) -> SlidePart {
    let mut s = text_slide("Architecture health: findings by rule", c);
    // rule → [as-is e/w/i, to-be e/w/i]
    let mut by_rule: std::collections::BTreeMap<&str, [usize; 6]> = Default::default();
    for (k, a) in [as_is, to_be].into_iter().enumerate() {
        for f in &a.findings {
            let slot = match f.level {
                Level::Error => 0,
                Level::Warning => 1,
                _ => 2,
            };
            by_rule.entry(f.rule).or_default()[k * 3 + slot] += 1;
        }
    }
    let rows: Vec<Vec<String>> = by_rule
        .iter()
        .map(|(rule, n)| {
            let mut r = vec![rule.to_string()];
            r.extend(
                n.iter()
                    .map(|v| if *v == 0 { "–".into() } else { v.to_string() }),
            );
            r
        })
        .collect();
    let delta = PlanDelta::new(as_is, to_be);
    let verdict = format!(
        "The plan resolves {}, introduces {}{} and leaves {}.",
        crate::words::count(delta.resolved.len(), "finding", "findings"),
        delta.introduced.len(),
        delta.changed_phrase(", ", ""),
        delta.unchanged.len()
    );
    let left = table(
        &mut s,
        "Findings by rule",
        &[
            "Rule",
            "As-is errors",
            "As-is warnings",
            "As-is info",
            "To-be errors",
            "To-be warnings",
            "To-be info",
        ],
        &rows,
        &[3.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
        c,
    );
    s.shape(&Shape {
        name: "Verdict",
        descr: "",
        at: Box {
            x: 457_200,
            y: c.h - 990_600,
            w: c.w - 914_400,
            h: 609_600,
        },
        geom: "rect",
        adj: &[],
        fill: String::new(),
        line: None,
        text: Some(Text {
            paras: vec![Para::one("l", &verdict, 2_000, true, c.text).font(c.minor)],
            anchor: "ctr",
            inset: [0; 4],
            wrap: true,
        }),
        text_box: true,
    });
    let count = |a: &Analysis, l: Level| a.findings.iter().filter(|f| f.level == l).count();
    let mut notes = vec![
        format!(
            "Findings today (as-is): {} errors, {} warnings, {} info; after the plan (to-be): {} errors, {} warnings, {} info.",
            count(as_is, Level::Error),
            count(as_is, Level::Warning),
            count(as_is, Level::Info),
            count(to_be, Level::Error),
            count(to_be, Level::Warning),
            count(to_be, Level::Info)
        ),
        verdict,
    ];
    if left > 0 {
        notes.push(format!("{left} more rules are not shown."));
    }
    let mut intro = String::new();
    for k in delta.introduced.iter().take(10) {
        let _ = write!(intro, " {k};");
    }
    if !intro.is_empty() {
        notes.push(format!("Introduced by the plan:{intro}"));
    }
    SlidePart {
        xml: s.finish(),
        notes,
        kind: Use::Text,
    }
}

/// A finding's message or fix for a table cell: plain, at most 200 characters.
fn cell_text(s: &str) -> String {
    let p = plain(s);
    match p.char_indices().nth(200) {
        Some((at, _)) => format!("{}…", &p[..at]),
        None => p,
    }
}

fn plan_slide(as_is: &Analysis, to_be: &Analysis, c: &Look) -> SlidePart {
    let delta = PlanDelta::new(as_is, to_be);
    let mut s = text_slide("The plan: findings it resolves and introduces", c);
    let find = |a: &'_ Analysis, k: &str| a.findings.iter().find(|f| f.key() == k).cloned();
    let mut rows: Vec<Vec<String>> = Vec::new();
    for (what, keys, a) in [
        ("introduces", &delta.introduced, to_be),
        ("resolves", &delta.resolved, as_is),
    ] {
        for k in keys {
            if let Some(f) = find(a, k) {
                rows.push(vec![
                    what.to_string(),
                    f.level.as_str().to_string(),
                    cell_text(&f.message),
                    cell_text(&f.fix),
                ]);
            }
        }
    }
    let mut notes = vec![format!(
        "What the plan changes in the architecture's health: it resolves {} and introduces {}{}; {} stay as they are.",
        crate::words::count(delta.resolved.len(), "finding", "findings"),
        delta.introduced.len(),
        delta.changed_phrase(", and ", ""),
        delta.unchanged.len()
    )];
    if rows.is_empty() {
        notes.push("The plan neither resolves nor introduces a finding.".into());
    }
    let left = table(
        &mut s,
        "Plan delta",
        &["The plan", "Level", "Finding", "Fix"],
        &rows,
        &[1.0, 0.8, 4.0, 4.0],
        c,
    );
    if left > 0 {
        notes.push(format!(
            "{left} more are not shown (revarch check lists them all)."
        ));
    }
    for r in rows.iter().take(12) {
        notes.push(format!(
            "The plan {} [{}] {} Fix: {}",
            r[0], r[1], r[2], r[3]
        ));
    }
    SlidePart {
        xml: s.finish(),
        notes,
        kind: Use::Text,
    }
}

fn standards_slide(g: &Graph<'_>, c: &Look) -> SlidePart {
    let std = &g.model.stdv.standards;
    let mut s = text_slide("StdV-1 Standards", c);
    let rows: Vec<Vec<String>> = std
        .iter()
        .map(|st| {
            vec![
                st.name.clone(),
                st.kind.label().to_string(),
                st.applies_to
                    .iter()
                    .map(|i| i.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                format!("{:?}", st.lifecycle).to_lowercase(),
            ]
        })
        .collect();
    let left = table(
        &mut s,
        "Standards",
        &["Standard", "Kind", "Applies to", "Lifecycle"],
        &rows,
        &[3.0, 1.5, 3.0, 1.0],
        c,
    );
    let mut notes = vec![format!(
        "The {} the architecture follows: data-quality rules, KPI definitions, regulations and policies.",
        crate::words::count(std.len(), "standard", "standards")
    )];
    if left > 0 {
        notes.push(format!(
            "{left} more standards are not shown (see the report's StdV-1 page)."
        ));
    }
    SlidePart {
        xml: s.finish(),
        notes,
        kind: Use::Text,
    }
}

#[cfg(test)]
mod tests;
