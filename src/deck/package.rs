//! The fixed parts of a presentation (content types, relationships, one
//! slide master with one blank layout, a theme, a notes master) and the zip
//! that holds them with the generated slides.
//!
//! Determinism: parts are written in a fixed order, every entry with the
//! same timestamp (1980-01-01, the zip epoch) and permissions, deflated by
//! the same library; the same slides give the same bytes.

use std::fmt::Write as _;
use std::io::Write as _;

use super::template::{Template, Use};
use super::xml::esc;
use super::DeckError;

/// Slide width, EMU (16:9, 13.333 in).
pub const SLIDE_W: i64 = 12_192_000;
/// Slide height, EMU (7.5 in).
pub const SLIDE_H: i64 = 6_858_000;

/// The namespaces every PresentationML part declares.
pub const NS: &str = "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" \
xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" \
xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\"";

const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const REL_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const R_BASE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// One generated slide: its shape tree and its speaker notes.
pub struct SlidePart {
    /// The `p:sld` document (without the XML declaration).
    pub xml: String,
    /// The speaker notes, one paragraph per entry.
    pub notes: Vec<String>,
    /// What kind of slide it is (which layout of a template it takes).
    pub kind: Use,
}

const CT: &str = "application/vnd.openxmlformats-officedocument.presentationml";
const THEME_CT: &str = "application/vnd.openxmlformats-officedocument.theme+xml";

/// The masters, layouts and theme the slides are made on: the built-in
/// ones or a template's.
struct Frame {
    /// Slide masters: part name and id, in order.
    masters: Vec<(String, u32)>,
    /// The presentation's theme (the first master's).
    theme: String,
    /// The notes master's theme (always the deck's own).
    notes_theme: String,
    /// Slide size, EMU.
    size: (i64, i64),
    /// The layout part for the title, text and drawing slides.
    layouts: [String; 3],
    /// The fixed parts (masters, layouts, themes, media and their rels).
    fixed: Vec<(String, Vec<u8>)>,
    /// Content types of the fixed parts that are not `.rels`.
    types: Vec<(String, String)>,
}

impl Frame {
    fn builtin() -> Frame {
        let master = "ppt/slideMasters/slideMaster1.xml";
        let layout = "ppt/slideLayouts/slideLayout1.xml";
        let fixed: Vec<(String, String)> = vec![
            ("ppt/theme/theme1.xml".into(), theme("revarch")),
            ("ppt/theme/theme2.xml".into(), theme("revarch notes")),
            (master.into(), self::master()),
            (
                "ppt/slideMasters/_rels/slideMaster1.xml.rels".into(),
                rels(&[
                    ("rId1", "slideLayout", "../slideLayouts/slideLayout1.xml"),
                    ("rId2", "theme", "../theme/theme1.xml"),
                ]),
            ),
            (layout.into(), self::layout()),
            (
                "ppt/slideLayouts/_rels/slideLayout1.xml.rels".into(),
                rels(&[("rId1", "slideMaster", "../slideMasters/slideMaster1.xml")]),
            ),
        ];
        Frame {
            masters: vec![(master.into(), 2_147_483_648)],
            theme: "ppt/theme/theme1.xml".into(),
            notes_theme: "ppt/theme/theme2.xml".into(),
            size: (SLIDE_W, SLIDE_H),
            layouts: [layout.into(), layout.into(), layout.into()],
            fixed: fixed
                .into_iter()
                .map(|(n, t)| (n, t.into_bytes()))
                .collect(),
            types: vec![
                (master.into(), format!("{CT}.slideMaster+xml")),
                (layout.into(), format!("{CT}.slideLayout+xml")),
                ("ppt/theme/theme1.xml".into(), THEME_CT.into()),
                ("ppt/theme/theme2.xml".into(), THEME_CT.into()),
            ],
        }
    }

    fn template(t: &Template) -> Frame {
        // The notes master's theme: the first free `ppt/theme/themeN.xml`.
        let notes_theme = (1..)
            .map(|k| format!("ppt/theme/theme{k}.xml"))
            .find(|n| !t.parts.contains_key(n))
            .unwrap_or_else(|| "ppt/theme/revarchNotes.xml".into());
        let layout = |u: Use| t.layout(u).map_or(String::new(), |l| l.part.clone());
        let mut fixed: Vec<(String, Vec<u8>)> = t
            .parts
            .iter()
            .map(|(n, k)| (n.clone(), k.bytes.clone()))
            .collect();
        fixed.push((notes_theme.clone(), theme("revarch notes").into_bytes()));
        let mut types: Vec<(String, String)> = t
            .parts
            .iter()
            .filter(|(n, _)| !n.ends_with(".rels"))
            .map(|(n, k)| (n.clone(), k.content_type.clone()))
            .collect();
        types.push((notes_theme.clone(), THEME_CT.into()));
        Frame {
            masters: t.masters.clone(),
            theme: t.theme.clone(),
            notes_theme,
            size: t.size,
            layouts: [layout(Use::Title), layout(Use::Text), layout(Use::Drawing)],
            fixed,
            types,
        }
    }

    fn layout(&self, kind: Use) -> &str {
        match kind {
            Use::Title => &self.layouts[0],
            Use::Text => &self.layouts[1],
            Use::Drawing => &self.layouts[2],
        }
    }
}

/// A target relative to the folder of `from` (both part names under the
/// package root): `ppt/slides/slide1.xml` → `ppt/slideLayouts/a.xml` is
/// `../slideLayouts/a.xml`.
fn relative(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = from.split('/').collect();
    let from_dir = &from_dir[..from_dir.len().saturating_sub(1)];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out: Vec<&str> = vec![".."; from_dir.len() - common];
    out.extend(&to_parts[common..]);
    out.join("/")
}

/// The slide size the slides are drawn on: the template's or 16:9 at
/// 13.333 × 7.5 in.
pub fn size(template: Option<&Template>) -> (i64, i64) {
    template.map_or((SLIDE_W, SLIDE_H), |t| t.size)
}

/// The whole package as (part name, bytes), in the order they are zipped.
pub fn parts(
    title: &str,
    slides: &[SlidePart],
    template: Option<&Template>,
) -> Vec<(String, Vec<u8>)> {
    let frame = template.map_or_else(Frame::builtin, Frame::template);
    let mut parts: Vec<(String, String)> = Vec::new();
    let n = slides.len();
    parts.push(("[Content_Types].xml".into(), content_types(n, &frame)));
    parts.push(("_rels/.rels".into(), root_rels()));
    parts.push(("docProps/core.xml".into(), core(title)));
    parts.push(("docProps/app.xml".into(), app(n)));
    parts.push(("ppt/presentation.xml".into(), presentation(n, &frame)));
    parts.push((
        "ppt/_rels/presentation.xml.rels".into(),
        presentation_rels(n, &frame),
    ));
    parts.push(("ppt/presProps.xml".into(), pres_props()));
    parts.push(("ppt/viewProps.xml".into(), view_props()));
    parts.push(("ppt/tableStyles.xml".into(), table_styles()));
    let mut out: Vec<(String, Vec<u8>)> = parts
        .into_iter()
        .map(|(n, t)| (n, t.into_bytes()))
        .collect();
    out.extend(frame.fixed.iter().cloned());
    let notes_master = "ppt/notesMasters/notesMaster1.xml";
    let mut rest: Vec<(String, String)> = vec![
        (notes_master.into(), notes_master_xml()),
        (
            "ppt/notesMasters/_rels/notesMaster1.xml.rels".into(),
            rels(&[("rId1", "theme", &relative(notes_master, &frame.notes_theme))]),
        ),
    ];
    for (i, s) in slides.iter().enumerate() {
        let k = i + 1;
        let slide = format!("ppt/slides/slide{k}.xml");
        rest.push((slide.clone(), format!("{DECL}{}", s.xml)));
        rest.push((
            format!("ppt/slides/_rels/slide{k}.xml.rels"),
            rels(&[
                (
                    "rId1",
                    "slideLayout",
                    &relative(&slide, frame.layout(s.kind)),
                ),
                (
                    "rId2",
                    "notesSlide",
                    &format!("../notesSlides/notesSlide{k}.xml"),
                ),
            ]),
        ));
        rest.push((
            format!("ppt/notesSlides/notesSlide{k}.xml"),
            notes_slide(&s.notes),
        ));
        rest.push((
            format!("ppt/notesSlides/_rels/notesSlide{k}.xml.rels"),
            rels(&[
                ("rId1", "notesMaster", "../notesMasters/notesMaster1.xml"),
                ("rId2", "slide", &format!("../slides/slide{k}.xml")),
            ]),
        ));
    }
    out.extend(rest.into_iter().map(|(n, t)| (n, t.into_bytes())));
    out
}

/// Zips the parts: deflated, fixed timestamp and permissions, in order.
pub fn zip(parts: &[(String, Vec<u8>)]) -> Result<Vec<u8>, DeckError> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let time = zip::DateTime::default(); // 1980-01-01 00:00:00
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(time)
        .unix_permissions(0o644);
    for (name, text) in parts {
        w.start_file(name.as_str(), opts)
            .map_err(|e| DeckError::Zip(e.to_string()))?;
        w.write_all(text)
            .map_err(|e| DeckError::Zip(e.to_string()))?;
    }
    let cursor = w.finish().map_err(|e| DeckError::Zip(e.to_string()))?;
    Ok(cursor.into_inner())
}

fn rels(list: &[(&str, &str, &str)]) -> String {
    let mut s = format!("{DECL}<Relationships xmlns=\"{REL_NS}\">");
    for (id, kind, target) in list {
        let _ = write!(
            s,
            "<Relationship Id=\"{id}\" Type=\"{R_BASE}/{kind}\" Target=\"{}\"/>",
            esc(target)
        );
    }
    s.push_str("</Relationships>");
    s
}

fn content_types(slides: usize, frame: &Frame) -> String {
    let ct = CT;
    let mut s = format!(
        "{DECL}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/ppt/presentation.xml\" ContentType=\"{ct}.presentation.main+xml\"/>\
<Override PartName=\"/ppt/presProps.xml\" ContentType=\"{ct}.presProps+xml\"/>\
<Override PartName=\"/ppt/viewProps.xml\" ContentType=\"{ct}.viewProps+xml\"/>\
<Override PartName=\"/ppt/tableStyles.xml\" ContentType=\"{ct}.tableStyles+xml\"/>\
<Override PartName=\"/ppt/notesMasters/notesMaster1.xml\" ContentType=\"{ct}.notesMaster+xml\"/>"
    );
    for (part, t) in &frame.types {
        let _ = write!(
            s,
            "<Override PartName=\"/{}\" ContentType=\"{}\"/>",
            esc(part),
            esc(t)
        );
    }
    s.push_str("<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>");
    for k in 1..=slides {
        let _ = write!(
            s,
            "<Override PartName=\"/ppt/slides/slide{k}.xml\" ContentType=\"{ct}.slide+xml\"/>\
<Override PartName=\"/ppt/notesSlides/notesSlide{k}.xml\" ContentType=\"{ct}.notesSlide+xml\"/>"
        );
    }
    s.push_str("</Types>");
    s
}

fn root_rels() -> String {
    format!(
        "{DECL}<Relationships xmlns=\"{REL_NS}\">\
<Relationship Id=\"rId1\" Type=\"{R_BASE}/officeDocument\" Target=\"ppt/presentation.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
<Relationship Id=\"rId3\" Type=\"{R_BASE}/extended-properties\" Target=\"docProps/app.xml\"/>\
</Relationships>"
    )
}

/// Core properties: the title only (no dates: the file must not depend on
/// when it was written).
fn core(title: &str) -> String {
    format!(
        "{DECL}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>{}</dc:title><dc:creator>revarch</dc:creator></cp:coreProperties>",
        esc(title)
    )
}

fn app(slides: usize) -> String {
    format!(
        "{DECL}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">\
<Application>revarch</Application><PresentationFormat>Widescreen</PresentationFormat><Slides>{slides}</Slides></Properties>"
    )
}

fn presentation(slides: usize, frame: &Frame) -> String {
    let mut s = format!("{DECL}<p:presentation {NS} saveSubsetFonts=\"1\"><p:sldMasterIdLst>");
    for (i, (_, id)) in frame.masters.iter().enumerate() {
        let _ = write!(s, "<p:sldMasterId id=\"{id}\" r:id=\"rId{}\"/>", i + 1);
    }
    let _ = write!(
        s,
        "</p:sldMasterIdLst><p:notesMasterIdLst><p:notesMasterId r:id=\"rId{}\"/></p:notesMasterIdLst><p:sldIdLst>",
        frame.masters.len() + 1
    );
    let first = first_slide_rid(frame);
    for k in 0..slides {
        let _ = write!(s, "<p:sldId id=\"{}\" r:id=\"rId{}\"/>", 256 + k, first + k);
    }
    let (w, h) = frame.size;
    let _ = write!(
        s,
        "</p:sldIdLst><p:sldSz cx=\"{w}\" cy=\"{h}\"/><p:notesSz cx=\"6858000\" cy=\"9144000\"/>\
<p:defaultTextStyle><a:defPPr><a:defRPr lang=\"en-US\"/></a:defPPr></p:defaultTextStyle></p:presentation>"
    );
    s
}

/// Relationship id number of the first slide in presentation.xml.rels:
/// after the masters, the notes master, the theme and the three property
/// parts.
fn first_slide_rid(frame: &Frame) -> usize {
    frame.masters.len() + 6
}

fn presentation_rels(slides: usize, frame: &Frame) -> String {
    let pres = "ppt/presentation.xml";
    let mut list: Vec<(String, &str, String)> = Vec::new();
    for (part, _) in &frame.masters {
        list.push((
            format!("rId{}", list.len() + 1),
            "slideMaster",
            relative(pres, part),
        ));
    }
    let m = frame.masters.len();
    list.push((
        format!("rId{}", m + 1),
        "notesMaster",
        "notesMasters/notesMaster1.xml".into(),
    ));
    list.push((
        format!("rId{}", m + 2),
        "theme",
        relative(pres, &frame.theme),
    ));
    list.push((format!("rId{}", m + 3), "presProps", "presProps.xml".into()));
    list.push((format!("rId{}", m + 4), "viewProps", "viewProps.xml".into()));
    list.push((
        format!("rId{}", m + 5),
        "tableStyles",
        "tableStyles.xml".into(),
    ));
    let first = first_slide_rid(frame);
    for k in 0..slides {
        list.push((
            format!("rId{}", first + k),
            "slide",
            format!("slides/slide{}.xml", k + 1),
        ));
    }
    let refs: Vec<(&str, &str, &str)> = list
        .iter()
        .map(|(a, b, c)| (a.as_str(), *b, c.as_str()))
        .collect();
    rels(&refs)
}

fn pres_props() -> String {
    format!("{DECL}<p:presentationPr {NS}/>")
}

fn view_props() -> String {
    format!(
        "{DECL}<p:viewPr {NS}><p:normalViewPr><p:restoredLeft sz=\"15620\"/><p:restoredTop sz=\"94660\"/></p:normalViewPr>\
<p:gridSpacing cx=\"76200\" cy=\"76200\"/></p:viewPr>"
    )
}

fn table_styles() -> String {
    format!(
        "{DECL}<a:tblStyleLst xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" def=\"{{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}}\"/>"
    )
}

/// The font every text of the deck uses: on every Office install, and
/// metric-compatible with the Helvetica/Arial widths the layout measures
/// (Liberation Sans stands in for it elsewhere).
pub const FONT: &str = "Arial";

fn theme(name: &str) -> String {
    let fill = "<a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill>";
    let ln = |w: u32| {
        format!("<a:ln w=\"{w}\"><a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill></a:ln>")
    };
    let effect = "<a:effectStyle><a:effectLst/></a:effectStyle>";
    format!(
        "{DECL}<a:theme xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" name=\"{name}\"><a:themeElements>\
<a:clrScheme name=\"revarch\"><a:dk1><a:srgbClr val=\"1F2328\"/></a:dk1><a:lt1><a:srgbClr val=\"FFFFFF\"/></a:lt1>\
<a:dk2><a:srgbClr val=\"57606A\"/></a:dk2><a:lt2><a:srgbClr val=\"F6F8FA\"/></a:lt2>\
<a:accent1><a:srgbClr val=\"0072B2\"/></a:accent1><a:accent2><a:srgbClr val=\"E69F00\"/></a:accent2>\
<a:accent3><a:srgbClr val=\"009E73\"/></a:accent3><a:accent4><a:srgbClr val=\"D55E00\"/></a:accent4>\
<a:accent5><a:srgbClr val=\"CC79A7\"/></a:accent5><a:accent6><a:srgbClr val=\"56B4E9\"/></a:accent6>\
<a:hlink><a:srgbClr val=\"0072B2\"/></a:hlink><a:folHlink><a:srgbClr val=\"CC79A7\"/></a:folHlink></a:clrScheme>\
<a:fontScheme name=\"revarch\"><a:majorFont><a:latin typeface=\"{FONT}\"/><a:ea typeface=\"\"/><a:cs typeface=\"\"/></a:majorFont>\
<a:minorFont><a:latin typeface=\"{FONT}\"/><a:ea typeface=\"\"/><a:cs typeface=\"\"/></a:minorFont></a:fontScheme>\
<a:fmtScheme name=\"revarch\"><a:fillStyleLst>{fill}{fill}{fill}</a:fillStyleLst>\
<a:lnStyleLst>{}{}{}</a:lnStyleLst><a:effectStyleLst>{effect}{effect}{effect}</a:effectStyleLst>\
<a:bgFillStyleLst>{fill}{fill}{fill}</a:bgFillStyleLst></a:fmtScheme></a:themeElements></a:theme>",
        ln(9525),
        ln(12700),
        ln(19050)
    )
}

const CLR_MAP: &str = "bg1=\"lt1\" tx1=\"dk1\" bg2=\"lt2\" tx2=\"dk2\" accent1=\"accent1\" accent2=\"accent2\" \
accent3=\"accent3\" accent4=\"accent4\" accent5=\"accent5\" accent6=\"accent6\" hlink=\"hlink\" folHlink=\"folHlink\"";

/// An empty shape tree's required group properties.
pub const TREE_HEAD: &str = "<p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>\
<p:grpSpPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"0\" cy=\"0\"/><a:chOff x=\"0\" y=\"0\"/><a:chExt cx=\"0\" cy=\"0\"/></a:xfrm></p:grpSpPr>";

fn master() -> String {
    let style = |tag: &str| {
        format!(
            "<p:{tag}><a:lvl1pPr><a:defRPr sz=\"1800\"><a:solidFill><a:schemeClr val=\"tx1\"/></a:solidFill>\
<a:latin typeface=\"{FONT}\"/></a:defRPr></a:lvl1pPr></p:{tag}>"
        )
    };
    format!(
        "{DECL}<p:sldMaster {NS}><p:cSld><p:bg><p:bgRef idx=\"1001\"><a:schemeClr val=\"bg1\"/></p:bgRef></p:bg>\
<p:spTree>{TREE_HEAD}</p:spTree></p:cSld><p:clrMap {CLR_MAP}/>\
<p:sldLayoutIdLst><p:sldLayoutId id=\"2147483649\" r:id=\"rId1\"/></p:sldLayoutIdLst>\
<p:txStyles>{}{}{}</p:txStyles></p:sldMaster>",
        style("titleStyle"),
        style("bodyStyle"),
        style("otherStyle")
    )
}

fn layout() -> String {
    format!(
        "{DECL}<p:sldLayout {NS} type=\"blank\" preserve=\"1\"><p:cSld name=\"Blank\"><p:spTree>{TREE_HEAD}</p:spTree></p:cSld>\
<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>"
    )
}

/// A placeholder shape of the notes pages (slide image or notes body).
fn notes_placeholder(id: u32, name: &str, ph: &str, y: i64, h: i64, body: &str) -> String {
    format!(
        "<p:sp><p:nvSpPr><p:cNvPr id=\"{id}\" name=\"{name}\"/><p:cNvSpPr><a:spLocks noGrp=\"1\"/></p:cNvSpPr>\
<p:nvPr>{ph}</p:nvPr></p:nvSpPr><p:spPr><a:xfrm><a:off x=\"685800\" y=\"{y}\"/><a:ext cx=\"5486400\" cy=\"{h}\"/></a:xfrm>\
<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></p:spPr>{body}</p:sp>"
    )
}

fn notes_master_xml() -> String {
    let img = notes_placeholder(
        2,
        "Slide Image Placeholder 1",
        "<p:ph type=\"sldImg\" idx=\"2\"/>",
        685800,
        3086100,
        "",
    );
    let body = notes_placeholder(
        3,
        "Notes Placeholder 2",
        "<p:ph type=\"body\" sz=\"quarter\" idx=\"1\"/>",
        4000500,
        4500563,
        "<p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:endParaRPr lang=\"en-US\"/></a:p></p:txBody>",
    );
    format!(
        "{DECL}<p:notesMaster {NS}><p:cSld><p:bg><p:bgRef idx=\"1001\"><a:schemeClr val=\"bg1\"/></p:bgRef></p:bg>\
<p:spTree>{TREE_HEAD}{img}{body}</p:spTree></p:cSld><p:clrMap {CLR_MAP}/>\
<p:notesStyle><a:lvl1pPr><a:defRPr sz=\"1200\"><a:solidFill><a:schemeClr val=\"tx1\"/></a:solidFill>\
<a:latin typeface=\"{FONT}\"/></a:defRPr></a:lvl1pPr></p:notesStyle></p:notesMaster>"
    )
}

fn notes_slide(paragraphs: &[String]) -> String {
    let img = notes_placeholder(
        2,
        "Slide Image Placeholder 1",
        "<p:ph type=\"sldImg\"/>",
        685800,
        3086100,
        "",
    );
    let mut text = String::new();
    for p in paragraphs {
        let _ = write!(
            text,
            "<a:p><a:r><a:rPr lang=\"en-US\" dirty=\"0\"/><a:t>{}</a:t></a:r></a:p>",
            esc(p)
        );
    }
    if text.is_empty() {
        text.push_str("<a:p><a:endParaRPr lang=\"en-US\"/></a:p>");
    }
    let body = notes_placeholder(
        3,
        "Notes Placeholder 2",
        "<p:ph type=\"body\" idx=\"1\"/>",
        4000500,
        4500563,
        &format!("<p:txBody><a:bodyPr/><a:lstStyle/>{text}</p:txBody>"),
    );
    format!(
        "{DECL}<p:notes {NS}><p:cSld><p:spTree>{TREE_HEAD}{img}{body}</p:spTree></p:cSld>\
<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:notes>"
    )
}
