//! Writing DrawingML by hand: one escaping function, units, and a slide
//! builder that hands out shape ids and writes shapes, connectors, groups,
//! text boxes and tables.

use std::fmt::Write as _;

use super::package::{FONT, NS, TREE_HEAD};

/// Escapes text for XML content and attribute values: `& < > " '`, and
/// characters XML 1.0 forbids (or that break parsers) become U+FFFD — the
/// same function the SVG and HTML writers use. Everything the user typed
/// goes through here.
pub fn esc(s: &str) -> String {
    crate::render::svg::escape(s)
}

/// EMU per point.
pub const EMU_PER_PT: f64 = 12_700.0;

/// Maps page px to slide EMU: the page is scaled to fit the slide and
/// centred.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Map {
    /// EMU per px.
    pub scale: f64,
    /// Left of the page on the slide, EMU.
    pub ox: f64,
    /// Top of the page on the slide, EMU.
    pub oy: f64,
}

impl Map {
    /// The map that fits a page of `w` × `h` px into a `sw` × `sh` EMU
    /// slide, centred. A degenerate page maps at 1 px = 1/96 in.
    pub fn fit(w: f64, h: f64, sw: i64, sh: i64) -> Map {
        let (sw, sh) = (sw as f64, sh as f64);
        if !(w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0) {
            return Map {
                scale: 9_525.0,
                ox: 0.0,
                oy: 0.0,
            };
        }
        let scale = (sw / w).min(sh / h);
        Map {
            scale,
            ox: (sw - w * scale) / 2.0,
            oy: (sh - h * scale) / 2.0,
        }
    }
    /// An x coordinate, EMU.
    pub fn x(&self, px: f64) -> i64 {
        emu(self.ox + px * self.scale)
    }
    /// A y coordinate, EMU.
    pub fn y(&self, px: f64) -> i64 {
        emu(self.oy + px * self.scale)
    }
    /// A length, EMU.
    pub fn len(&self, px: f64) -> i64 {
        emu(px * self.scale)
    }
    /// A font size of `px` in hundredths of a point (`sz`), within what
    /// PowerPoint accepts (1–4000 pt).
    pub fn font(&self, px: f64) -> i64 {
        let v = (px * self.scale / EMU_PER_PT * 100.0).round();
        if v.is_finite() {
            (v as i64).clamp(100, 400_000)
        } else {
            1_000
        }
    }
}

/// A finite EMU value, rounded; non-finite values become 0.
pub fn emu(v: f64) -> i64 {
    if v.is_finite() {
        v.round().clamp(-2.0e10, 2.0e10) as i64
    } else {
        0
    }
}

/// `#rrggbb` → `RRGGBB` (anything else: black).
pub fn hex(c: &str) -> String {
    let h = c.trim_start_matches('#');
    if h.len() == 6 && h.chars().all(|c| c.is_ascii_hexdigit()) {
        h.to_ascii_uppercase()
    } else {
        "000000".into()
    }
}

/// The prefix of a colour that names a colour of the slide master's scheme
/// (`scheme:tx1`, `scheme:accent1`) instead of an RGB value: text slides
/// made with a template take their colours from its theme this way.
pub const SCHEME: &str = "scheme:";

/// A solid fill of `color` with an optional opacity (0–1).
pub fn solid(color: &str, alpha: Option<f64>) -> String {
    if let Some(name) = color.strip_prefix(SCHEME) {
        // Only the fixed scheme names the deck writes itself reach here;
        // anything else is escaped all the same.
        return format!(
            "<a:solidFill><a:schemeClr val=\"{}\"/></a:solidFill>",
            esc(name)
        );
    }
    match alpha {
        Some(a) if a < 1.0 => format!(
            "<a:solidFill><a:srgbClr val=\"{}\"><a:alpha val=\"{}\"/></a:srgbClr></a:solidFill>",
            hex(color),
            (a.clamp(0.0, 1.0) * 100_000.0).round() as i64
        ),
        _ => format!(
            "<a:solidFill><a:srgbClr val=\"{}\"/></a:solidFill>",
            hex(color)
        ),
    }
}

/// A line: colour, width EMU, preset dash, opacity, line ends.
#[derive(Clone, Debug, Default)]
pub struct Line {
    /// `#rrggbb`.
    pub color: String,
    /// Width, EMU.
    pub width: i64,
    /// Preset dash (`dash`, `sysDot`…), None for solid.
    pub dash: Option<&'static str>,
    /// Opacity (None: opaque).
    pub alpha: Option<f64>,
    /// Arrowhead at the start of the path.
    pub head: bool,
    /// Arrowhead at the end of the path.
    pub tail: bool,
}

impl Line {
    /// The `a:ln` element.
    pub fn xml(&self) -> String {
        let mut s = format!(
            "<a:ln w=\"{}\">{}",
            self.width.max(0),
            solid(&self.color, self.alpha)
        );
        if let Some(d) = self.dash {
            let _ = write!(s, "<a:prstDash val=\"{d}\"/>");
        }
        s.push_str("<a:round/>");
        if self.head {
            s.push_str("<a:headEnd type=\"triangle\" w=\"med\" len=\"med\"/>");
        }
        if self.tail {
            s.push_str("<a:tailEnd type=\"triangle\" w=\"med\" len=\"med\"/>");
        }
        s.push_str("</a:ln>");
        s
    }
}

/// The DrawingML preset dash closest to an SVG dash pattern of the theme.
pub fn dash(svg: Option<&str>) -> Option<&'static str> {
    match svg? {
        "2 3" => Some("sysDot"),
        "7 4" | "5 4" => Some("dash"),
        "9 3" => Some("lgDash"),
        "8 3 2 3" => Some("dashDot"),
        "4 2" => Some("sysDash"),
        _ => Some("dash"),
    }
}

/// The typeface of a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Font {
    /// The fixed font the layout measures with ([`FONT`]).
    #[default]
    Fixed,
    /// The theme's heading font (`+mj-lt`): a template's own.
    Major,
    /// The theme's body font (`+mn-lt`): a template's own.
    Minor,
}

impl Font {
    /// The `a:latin` and `a:cs` typefaces.
    fn faces(self) -> (&'static str, &'static str) {
        match self {
            Font::Fixed => (FONT, FONT),
            Font::Major => ("+mj-lt", "+mj-cs"),
            Font::Minor => ("+mn-lt", "+mn-cs"),
        }
    }
}

/// One run of text.
#[derive(Clone, Debug)]
pub struct Run {
    /// The text (escaped when written).
    pub text: String,
    /// Size, hundredths of a point.
    pub sz: i64,
    /// Bold.
    pub bold: bool,
    /// `#rrggbb` (or a [`SCHEME`] colour).
    pub color: String,
    /// Typeface.
    pub font: Font,
}

/// One paragraph.
#[derive(Clone, Debug)]
pub struct Para {
    /// `l`, `ctr` or `r`.
    pub align: &'static str,
    /// Runs.
    pub runs: Vec<Run>,
}

impl Para {
    /// A paragraph of one run.
    pub fn one(align: &'static str, text: &str, sz: i64, bold: bool, color: &str) -> Para {
        Para {
            align,
            runs: vec![Run {
                text: text.to_string(),
                sz,
                bold,
                color: color.to_string(),
                font: Font::Fixed,
            }],
        }
    }

    /// The same paragraph with every run in `font`.
    pub fn font(mut self, font: Font) -> Para {
        for r in &mut self.runs {
            r.font = font;
        }
        self
    }
}

/// A text body: paragraphs, anchoring, insets (EMU), wrapping.
#[derive(Clone, Debug)]
pub struct Text {
    /// Paragraphs.
    pub paras: Vec<Para>,
    /// `t`, `ctr` or `b`.
    pub anchor: &'static str,
    /// Insets left, top, right, bottom, EMU.
    pub inset: [i64; 4],
    /// Wrap at the shape's width.
    pub wrap: bool,
}

impl Text {
    /// The `p:txBody` (or `a:txBody` for table cells when `tag` is `a`).
    pub fn xml(&self, tag: &str) -> String {
        let [l, t, r, b] = self.inset;
        let mut s = format!(
            "<{tag}:txBody><a:bodyPr wrap=\"{}\" lIns=\"{l}\" tIns=\"{t}\" rIns=\"{r}\" bIns=\"{b}\" anchor=\"{}\" rtlCol=\"0\"><a:noAutofit/></a:bodyPr><a:lstStyle/>",
            if self.wrap { "square" } else { "none" },
            self.anchor
        );
        for p in &self.paras {
            let _ = write!(s, "<a:p><a:pPr algn=\"{}\"/>", p.align);
            for r in &p.runs {
                // A line feed in a run is a line break (`a:br`) in its paragraph.
                for (i, piece) in r.text.split('\n').enumerate() {
                    if i > 0 {
                        let _ = write!(s, "<a:br><a:rPr lang=\"en-US\" sz=\"{}\"/></a:br>", r.sz);
                    }
                    if piece.is_empty() {
                        continue;
                    }
                    let (latin, cs) = r.font.faces();
                    let _ = write!(
                        s,
                        "<a:r><a:rPr lang=\"en-US\" sz=\"{}\" b=\"{}\" dirty=\"0\">{}<a:latin typeface=\"{latin}\"/><a:cs typeface=\"{cs}\"/></a:rPr><a:t>{}</a:t></a:r>",
                        r.sz,
                        u8::from(r.bold),
                        solid(&r.color, None),
                        esc(piece)
                    );
                }
            }
            let sz = p.runs.first().map_or(1_000, |r| r.sz);
            let _ = write!(s, "<a:endParaRPr lang=\"en-US\" sz=\"{sz}\"/></a:p>");
        }
        if self.paras.is_empty() {
            s.push_str("<a:p><a:endParaRPr lang=\"en-US\"/></a:p>");
        }
        let _ = write!(s, "</{tag}:txBody>");
        s
    }
}

/// A rectangle in EMU.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Box {
    /// Left.
    pub x: i64,
    /// Top.
    pub y: i64,
    /// Width.
    pub w: i64,
    /// Height.
    pub h: i64,
}

impl Box {
    /// The smallest box around both.
    pub fn union(self, o: Box) -> Box {
        let (x, y) = (self.x.min(o.x), self.y.min(o.y));
        let r = (self.x + self.w).max(o.x + o.w);
        let b = (self.y + self.h).max(o.y + o.h);
        Box {
            x,
            y,
            w: r - x,
            h: b - y,
        }
    }
}

/// A shape to write.
pub struct Shape<'a> {
    /// The shape's name (`Node sys-crm`): what a reader finds it by.
    pub name: &'a str,
    /// Alternative text (a tooltip).
    pub descr: &'a str,
    /// Where.
    pub at: Box,
    /// Preset geometry (`rect`, `roundRect`, `can`…) with its adjustments.
    pub geom: &'a str,
    /// Adjust values (`adj` name, value).
    pub adj: &'a [(&'a str, i64)],
    /// Fill (`a:solidFill…` or `a:noFill`), empty for none.
    pub fill: String,
    /// Outline, None for no line.
    pub line: Option<Line>,
    /// Text, if any.
    pub text: Option<Text>,
    /// A text box (`txBox="1"`) rather than an autoshape.
    pub text_box: bool,
}

/// How a connector is drawn.
pub enum Geometry {
    /// A preset connector (`straightConnector1`, `bentConnector2`,
    /// `bentConnector3`) in its box, with rotation (60000ths of a degree),
    /// flips and adjustments.
    Preset {
        /// Preset name.
        prst: &'static str,
        /// Rotation.
        rot: i64,
        /// Flip horizontally.
        flip_h: bool,
        /// Flip vertically.
        flip_v: bool,
        /// `adj1` etc.
        adj: Vec<(&'static str, i64)>,
    },
    /// The exact route as a freeform path (points in EMU, absolute).
    Path(Vec<(i64, i64)>),
}

/// One end of a connector glued to a shape's connection site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Glue {
    /// The shape's id.
    pub id: u32,
    /// The connection site (rect, roundRect, can: 0 top, 1 left, 2 bottom, 3 right).
    pub site: u32,
}

/// A slide's shape tree being written.
pub struct SlideXml {
    next_id: u32,
    body: String,
    background: Option<String>,
}

impl Default for SlideXml {
    fn default() -> Self {
        SlideXml::new()
    }
}

impl SlideXml {
    /// An empty slide.
    pub fn new() -> SlideXml {
        SlideXml {
            next_id: 2,
            body: String::new(),
            background: None,
        }
    }

    /// Sets the slide background colour.
    pub fn background(&mut self, color: &str) {
        self.background = Some(color.to_string());
    }

    fn id(&mut self) -> u32 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// Reserves `n` ids (for shapes written later, e.g. nodes drawn above
    /// the connectors glued to them); returns the first.
    pub fn reserve(&mut self, n: usize) -> u32 {
        let first = self.next_id;
        self.next_id = self
            .next_id
            .saturating_add(u32::try_from(n).unwrap_or(u32::MAX / 2));
        first
    }

    /// Writes a shape; returns its id.
    pub fn shape(&mut self, s: &Shape<'_>) -> u32 {
        let id = self.id();
        self.shape_as(id, s)
    }

    /// Writes a shape with an id from [`SlideXml::reserve`].
    pub fn shape_as(&mut self, id: u32, s: &Shape<'_>) -> u32 {
        self.write_shape(id, s, None)
    }

    /// Writes a shape as a placeholder of the slide's layout (`ph`: `title`,
    /// `ctrTitle`, `subTitle`…) at its own position, so that it is the
    /// slide's title for the outline, readers and accessibility.
    pub fn placeholder(&mut self, s: &Shape<'_>, ph: &str) -> u32 {
        let id = self.id();
        self.write_shape(id, s, Some(ph))
    }

    fn write_shape(&mut self, id: u32, s: &Shape<'_>, ph: Option<&str>) -> u32 {
        let (locks, nv) = match ph {
            Some(t) => (
                "><a:spLocks noGrp=\"1\"/></p:cNvSpPr>".to_string(),
                format!(
                    "<p:nvPr><p:ph type=\"{}\"{}/></p:nvPr>",
                    esc(t),
                    if t == "subTitle" { " idx=\"1\"" } else { "" }
                ),
            ),
            None => (
                format!("{}/>", if s.text_box { " txBox=\"1\"" } else { "" }),
                "<p:nvPr/>".to_string(),
            ),
        };
        let _ = write!(
            self.body,
            "<p:sp><p:nvSpPr><p:cNvPr id=\"{id}\" name=\"{}\"{}/><p:cNvSpPr{locks}{nv}</p:nvSpPr>\
<p:spPr><a:xfrm><a:off x=\"{}\" y=\"{}\"/><a:ext cx=\"{}\" cy=\"{}\"/></a:xfrm><a:prstGeom prst=\"{}\"><a:avLst>",
            esc(s.name),
            descr(s.descr),
            s.at.x,
            s.at.y,
            s.at.w.max(0),
            s.at.h.max(0),
            s.geom
        );
        for (name, v) in s.adj {
            let _ = write!(self.body, "<a:gd name=\"{name}\" fmla=\"val {v}\"/>");
        }
        self.body.push_str("</a:avLst></a:prstGeom>");
        if s.fill.is_empty() {
            self.body.push_str("<a:noFill/>");
        } else {
            self.body.push_str(&s.fill);
        }
        match &s.line {
            Some(l) => self.body.push_str(&l.xml()),
            None => self.body.push_str("<a:ln><a:noFill/></a:ln>"),
        }
        self.body.push_str("</p:spPr>");
        let text = s.text.clone().unwrap_or(Text {
            paras: Vec::new(),
            anchor: "ctr",
            inset: [0; 4],
            wrap: true,
        });
        self.body.push_str(&text.xml("p"));
        self.body.push_str("</p:sp>");
        id
    }

    /// Writes a connector from `start` to `end` in box `at`; returns its id.
    pub fn connector(
        &mut self,
        name: &str,
        descr_text: &str,
        at: Box,
        geom: &Geometry,
        glue: (Option<Glue>, Option<Glue>),
        line: &Line,
    ) -> u32 {
        let id = self.id();
        let _ = write!(
            self.body,
            "<p:cxnSp><p:nvCxnSpPr><p:cNvPr id=\"{id}\" name=\"{}\"{}/><p:cNvCxnSpPr>",
            esc(name),
            descr(descr_text)
        );
        if let Some(g) = glue.0 {
            let _ = write!(self.body, "<a:stCxn id=\"{}\" idx=\"{}\"/>", g.id, g.site);
        }
        if let Some(g) = glue.1 {
            let _ = write!(self.body, "<a:endCxn id=\"{}\" idx=\"{}\"/>", g.id, g.site);
        }
        self.body
            .push_str("</p:cNvCxnSpPr><p:nvPr/></p:nvCxnSpPr><p:spPr>");
        match geom {
            Geometry::Preset {
                prst,
                rot,
                flip_h,
                flip_v,
                adj,
            } => {
                let _ = write!(self.body, "<a:xfrm");
                if *rot != 0 {
                    let _ = write!(self.body, " rot=\"{rot}\"");
                }
                if *flip_h {
                    self.body.push_str(" flipH=\"1\"");
                }
                if *flip_v {
                    self.body.push_str(" flipV=\"1\"");
                }
                let _ = write!(
                    self.body,
                    "><a:off x=\"{}\" y=\"{}\"/><a:ext cx=\"{}\" cy=\"{}\"/></a:xfrm><a:prstGeom prst=\"{prst}\"><a:avLst>",
                    at.x, at.y, at.w.max(0), at.h.max(0)
                );
                for (name, v) in adj {
                    let _ = write!(self.body, "<a:gd name=\"{name}\" fmla=\"val {v}\"/>");
                }
                self.body.push_str("</a:avLst></a:prstGeom>");
            }
            Geometry::Path(points) => {
                let (w, h) = (at.w.max(1), at.h.max(1));
                let _ = write!(
                    self.body,
                    "<a:xfrm><a:off x=\"{}\" y=\"{}\"/><a:ext cx=\"{w}\" cy=\"{h}\"/></a:xfrm><a:custGeom><a:avLst/><a:gdLst/><a:ahLst/><a:cxnLst/>\
<a:rect l=\"0\" t=\"0\" r=\"r\" b=\"b\"/><a:pathLst><a:path w=\"{w}\" h=\"{h}\" fill=\"none\">",
                    at.x, at.y
                );
                for (i, (x, y)) in points.iter().enumerate() {
                    let tag = if i == 0 { "moveTo" } else { "lnTo" };
                    let _ = write!(
                        self.body,
                        "<a:{tag}><a:pt x=\"{}\" y=\"{}\"/></a:{tag}>",
                        (x - at.x).clamp(0, w),
                        (y - at.y).clamp(0, h)
                    );
                }
                self.body.push_str("</a:path></a:pathLst></a:custGeom>");
            }
        }
        self.body.push_str("<a:noFill/>");
        self.body.push_str(&line.xml());
        self.body.push_str("</p:spPr></p:cxnSp>");
        id
    }

    /// Opens a group around the shapes written until [`SlideXml::end_group`];
    /// `at` is their bounding box (the group maps its children 1:1).
    pub fn start_group(&mut self, name: &str, at: Box) -> u32 {
        let id = self.id();
        let _ = write!(
            self.body,
            "<p:grpSp><p:nvGrpSpPr><p:cNvPr id=\"{id}\" name=\"{}\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>\
<p:grpSpPr><a:xfrm><a:off x=\"{x}\" y=\"{y}\"/><a:ext cx=\"{w}\" cy=\"{h}\"/><a:chOff x=\"{x}\" y=\"{y}\"/><a:chExt cx=\"{w}\" cy=\"{h}\"/></a:xfrm></p:grpSpPr>",
            esc(name),
            x = at.x,
            y = at.y,
            w = at.w.max(0),
            h = at.h.max(0)
        );
        id
    }

    /// Closes the group opened last.
    pub fn end_group(&mut self) {
        self.body.push_str("</p:grpSp>");
    }

    /// Writes a table (`a:tbl` in a graphic frame): column widths (EMU),
    /// rows of cells (text, fill), row height (EMU).
    pub fn table(
        &mut self,
        name: &str,
        at: Box,
        cols: &[i64],
        rows: &[Vec<Cell>],
        row_h: i64,
    ) -> u32 {
        let id = self.id();
        let _ = write!(
            self.body,
            "<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id=\"{id}\" name=\"{}\"/><p:cNvGraphicFramePr><a:graphicFrameLocks noGrp=\"1\"/></p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr>\
<p:xfrm><a:off x=\"{}\" y=\"{}\"/><a:ext cx=\"{}\" cy=\"{}\"/></p:xfrm><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/table\">\
<a:tbl><a:tblPr firstRow=\"1\" bandRow=\"1\"/><a:tblGrid>",
            esc(name),
            at.x,
            at.y,
            at.w,
            at.h
        );
        for w in cols {
            let _ = write!(self.body, "<a:gridCol w=\"{w}\"/>");
        }
        self.body.push_str("</a:tblGrid>");
        for row in rows {
            let _ = write!(self.body, "<a:tr h=\"{row_h}\">");
            for cell in row {
                let _ = write!(
                    self.body,
                    "<a:tc>{}<a:tcPr marL=\"91440\" marR=\"91440\" marT=\"45720\" marB=\"45720\">{}</a:tcPr></a:tc>",
                    cell.text.xml("a"),
                    cell.fill
                );
            }
            self.body.push_str("</a:tr>");
        }
        self.body
            .push_str("</a:tbl></a:graphicData></a:graphic></p:graphicFrame>");
        id
    }

    /// The `p:sld` document.
    pub fn finish(self) -> String {
        let bg = match &self.background {
            Some(c) => format!(
                "<p:bg><p:bgPr>{}<a:effectLst/></p:bgPr></p:bg>",
                solid(c, None)
            ),
            None => String::new(),
        };
        format!(
            "<p:sld {NS}><p:cSld>{bg}<p:spTree>{TREE_HEAD}{}</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>",
            self.body
        )
    }
}

/// A table cell.
pub struct Cell {
    /// Its text.
    pub text: Text,
    /// Its fill (`a:solidFill…`), may be empty.
    pub fill: String,
}

fn descr(s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!(" descr=\"{}\"", esc(s))
    }
}
