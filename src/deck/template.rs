//! `--template FILE.pptx`: the company's own slide masters, layouts and
//! theme for the generated slides.
//!
//! What is taken: every slide master the template's `presentation.xml`
//! lists, with everything its relationships reach (its slide layouts, its
//! theme, their pictures and other media), byte for byte, under the part
//! names they had; the slide size (16:9 only). What is not: the template's
//! slides, notes slides, notes and handout masters, document properties
//! and view settings (the deck writes its own). A relationship of a master
//! or layout to one of those parts is dropped from its `.rels`.
//!
//! Reading is bounded: at most [`MAX_ENTRIES`] zip entries, [`MAX_PART`]
//! bytes per part once inflated and [`MAX_TOTAL`] for all parts read, so a
//! zip bomb is refused before it is inflated further. Every failure is a
//! [`DeckError`] naming the template and the part; nothing here panics or
//! does IO (the CLI reads the file, at most [`MAX_FILE`] bytes).

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write as _;
use std::io::Read;

use super::xml::esc;
use super::DeckError;

/// Largest template file read, bytes.
pub const MAX_FILE: u64 = 64 << 20;
/// Largest part read from a template, bytes once inflated.
pub const MAX_PART: u64 = 32 << 20;
/// Largest sum of the parts read from a template, bytes once inflated.
pub const MAX_TOTAL: u64 = 128 << 20;
/// Most entries a template zip may have.
pub const MAX_ENTRIES: usize = 10_000;

const P_NS: &str = "http://schemas.openxmlformats.org/presentationml/2006/main";
const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const RELS_TYPE: &str = "application/vnd.openxmlformats-package.relationships+xml";

/// Relationship types (their last segment) a kept part may not keep: the
/// deck writes its own slides, notes and presentation.
const DROPPED: [&str; 6] = [
    "slide",
    "notesSlide",
    "notesMaster",
    "handoutMaster",
    "officeDocument",
    "presentation",
];

/// Part names (or folders) the deck writes itself: a kept part may not
/// take one of them.
const OWN: [&str; 9] = [
    "[Content_Types].xml",
    "_rels/",
    "docProps/",
    "ppt/presentation.xml",
    "ppt/_rels/presentation.xml.rels",
    "ppt/presProps.xml",
    "ppt/viewProps.xml",
    "ppt/tableStyles.xml",
    "ppt/slides/",
];

/// A part taken from the template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kept {
    /// Its content type (from the template's `[Content_Types].xml`).
    pub content_type: String,
    /// Its bytes (a `.rels` part rewritten without dropped relationships).
    pub bytes: Vec<u8>,
}

/// A slide layout of the template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// Part name (`ppt/slideLayouts/slideLayout2.xml`).
    pub part: String,
    /// Its `type` (`title`, `titleOnly`, `blank`, `obj`…; `cust` if unset).
    pub kind: String,
    /// Its name (`Title Slide`).
    pub name: String,
    /// The placeholder types it has (`title`, `ctrTitle`, `subTitle`…).
    pub placeholders: BTreeSet<String>,
}

/// What the deck takes from a template.
#[derive(Clone, Debug)]
pub struct Template {
    /// The kept parts by name (sorted: the order they are zipped in).
    pub parts: BTreeMap<String, Kept>,
    /// The slide masters: part name and `sldMasterId` id, in the
    /// template's order.
    pub masters: Vec<(String, u32)>,
    /// The layouts of every master, in the masters' order.
    pub layouts: Vec<Layout>,
    /// The first master's theme (the presentation's theme).
    pub theme: String,
    /// Slide width and height, EMU.
    pub size: (i64, i64),
}

/// Which kind of slide a layout is chosen for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Use {
    /// The title slide.
    Title,
    /// A text slide (a title and a table).
    Text,
    /// A drawing (it has its own title band).
    Drawing,
}

impl Template {
    /// The layout for a kind of slide: the title slide takes a `title`
    /// layout (or one named "Title Slide"), a text slide `titleOnly`, a
    /// drawing `blank`; each falls back to the others, then to the first
    /// layout.
    pub fn layout(&self, kind: Use) -> Option<&Layout> {
        let order: &[&str] = match kind {
            Use::Title => &["title", "titleOnly", "blank"],
            Use::Text => &["titleOnly", "blank", "title"],
            Use::Drawing => &["blank", "titleOnly", "title"],
        };
        if kind == Use::Title {
            if let Some(l) = self.layouts.iter().find(|l| l.kind == "title") {
                return Some(l);
            }
            if let Some(l) = self
                .layouts
                .iter()
                .find(|l| l.name.eq_ignore_ascii_case("Title Slide"))
            {
                return Some(l);
            }
        }
        order
            .iter()
            .find_map(|k| self.layouts.iter().find(|l| l.kind == *k))
            .or_else(|| self.layouts.first())
    }

    /// Reads a template from the bytes of a `.pptx`; `origin` names it in
    /// errors (the path the user gave).
    pub fn parse(bytes: &[u8], origin: &str) -> Result<Template, DeckError> {
        let mut zip = Zip::open(bytes, origin)?;
        let not_pres = |why: String| DeckError::NotPresentation {
            path: origin.to_string(),
            why,
        };
        let types = zip
            .text("[Content_Types].xml")?
            .ok_or_else(|| not_pres("it has no [Content_Types].xml".into()))?;
        let types = ContentTypes::parse(&types).map_err(|e| zip.bad("[Content_Types].xml", e))?;
        let root = zip
            .text("_rels/.rels")?
            .ok_or_else(|| not_pres("it has no _rels/.rels".into()))?;
        let root = parse_rels(&root, "").map_err(|e| zip.bad("_rels/.rels", e))?;
        let main = root
            .iter()
            .find(|r| !r.external && r.kind == "officeDocument")
            .and_then(|r| r.part.clone())
            .ok_or_else(|| not_pres("_rels/.rels names no main document".into()))?;
        let pres = zip
            .text(&main)?
            .ok_or_else(|| zip.missing(&main, "_rels/.rels"))?;
        let pres_rels_name = rels_name(&main);
        let pres_rels = zip
            .text(&pres_rels_name)?
            .ok_or_else(|| zip.missing(&pres_rels_name, &main))?;
        let pres_rels = parse_rels(&pres_rels, &main).map_err(|e| zip.bad(&pres_rels_name, e))?;
        let (size, master_ids) = {
            let doc =
                roxmltree::Document::parse(&pres).map_err(|e| zip.bad(&main, e.to_string()))?;
            let top = doc.root_element();
            if !top.has_tag_name((P_NS, "presentation")) {
                return Err(not_pres(format!("{main} is not a p:presentation")));
            }
            let size = top
                .children()
                .find(|n| n.has_tag_name((P_NS, "sldSz")))
                .and_then(|n| {
                    let cx = n.attribute("cx")?.parse::<i64>().ok()?;
                    let cy = n.attribute("cy")?.parse::<i64>().ok()?;
                    Some((cx, cy))
                })
                .ok_or_else(|| zip.bad(&main, "no valid p:sldSz".into()))?;
            let ids: Vec<(u32, String)> = top
                .descendants()
                .filter(|n| n.has_tag_name((P_NS, "sldMasterId")))
                .filter_map(|n| {
                    let id = n.attribute("id")?.parse::<u32>().ok()?;
                    Some((id, n.attribute((R_NS, "id"))?.to_string()))
                })
                .collect();
            (size, ids)
        };
        check_size(size, origin)?;
        if master_ids.is_empty() {
            return Err(not_pres(format!("{main} lists no slide master")));
        }
        let mut masters = Vec::new();
        for (id, rid) in &master_ids {
            let part = pres_rels
                .iter()
                .find(|r| &r.id == rid && !r.external)
                .and_then(|r| r.part.clone())
                .ok_or_else(|| zip.bad(&main, format!("slide master {rid} has no relationship")))?;
            if !masters.iter().any(|(p, _)| p == &part) {
                masters.push((part, *id));
            }
        }

        // Everything the masters reach.
        let mut parts: BTreeMap<String, Kept> = BTreeMap::new();
        let mut rels_of: BTreeMap<String, Vec<Rel>> = BTreeMap::new();
        let mut queue: VecDeque<(String, String)> = masters
            .iter()
            .map(|(p, _)| (p.clone(), main.clone()))
            .collect();
        while let Some((part, from)) = queue.pop_front() {
            if parts.contains_key(&part) {
                continue;
            }
            check_name(&part, origin)?;
            let bytes = zip.bytes(&part)?.ok_or_else(|| zip.missing(&part, &from))?;
            let content_type = types
                .of(&part)
                .ok_or_else(|| zip.bad(&part, "it has no content type".into()))?;
            let rname = rels_name(&part);
            if let Some(text) = zip.text(&rname)? {
                let list = parse_rels(&text, &part).map_err(|e| zip.bad(&rname, e))?;
                let kept: Vec<Rel> = list
                    .into_iter()
                    .filter(|r| r.external || !DROPPED.contains(&r.kind.as_str()))
                    .collect();
                for r in &kept {
                    if r.external {
                        continue;
                    }
                    match &r.part {
                        Some(p) => queue.push_back((p.clone(), rname.clone())),
                        None => {
                            return Err(
                                zip.bad(&rname, format!("target {} leaves the package", r.target))
                            )
                        }
                    }
                }
                parts.insert(
                    rname.clone(),
                    Kept {
                        content_type: RELS_TYPE.into(),
                        bytes: write_rels(&kept).into_bytes(),
                    },
                );
                rels_of.insert(part.clone(), kept);
            }
            parts.insert(
                part,
                Kept {
                    content_type,
                    bytes,
                },
            );
        }

        // The masters' layouts, in each master's order, and the theme.
        let mut layouts = Vec::new();
        let mut theme = None;
        for (master, _) in &masters {
            let rels = rels_of.get(master).map(Vec::as_slice).unwrap_or(&[]);
            if theme.is_none() {
                theme = rels
                    .iter()
                    .find(|r| r.kind == "theme" && !r.external)
                    .and_then(|r| r.part.clone());
            }
            let text = part_text(&parts, master).map_err(|e| zip.bad(master, e))?;
            let doc =
                roxmltree::Document::parse(text).map_err(|e| zip.bad(master, e.to_string()))?;
            if !doc.root_element().has_tag_name((P_NS, "sldMaster")) {
                return Err(zip.bad(master, "it is not a p:sldMaster".into()));
            }
            for n in doc
                .descendants()
                .filter(|n| n.has_tag_name((P_NS, "sldLayoutId")))
            {
                let Some(rid) = n.attribute((R_NS, "id")) else {
                    continue;
                };
                let Some(part) = rels
                    .iter()
                    .find(|r| r.id == rid && r.kind == "slideLayout")
                    .and_then(|r| r.part.clone())
                else {
                    return Err(zip.bad(master, format!("layout {rid} has no relationship")));
                };
                let text = part_text(&parts, &part).map_err(|e| zip.bad(&part, e))?;
                let layout = read_layout(&part, text).map_err(|e| zip.bad(&part, e))?;
                layouts.push(layout);
            }
        }
        let theme =
            theme.ok_or_else(|| zip.bad(&masters[0].0, "the slide master has no theme".into()))?;
        if layouts.is_empty() {
            return Err(zip.bad(&masters[0].0, "the slide master has no layout".into()));
        }
        Ok(Template {
            parts,
            masters,
            layouts,
            theme,
            size,
        })
    }
}

/// A template's slide size must be 16:9 (within 1 %) and one PowerPoint
/// accepts (1 to 56 inches a side).
fn check_size((w, h): (i64, i64), origin: &str) -> Result<(), DeckError> {
    const MIN: i64 = 914_400;
    const MAX: i64 = 51_206_400;
    let in_range = (MIN..=MAX).contains(&w) && (MIN..=MAX).contains(&h);
    let ratio = w as f64 / h.max(1) as f64;
    if in_range && (ratio / (16.0 / 9.0) - 1.0).abs() <= 0.01 {
        Ok(())
    } else {
        Err(DeckError::SlideSize {
            path: origin.to_string(),
            w,
            h,
        })
    }
}

/// A kept part's name must be a plain name under `ppt/` and not one the
/// deck writes itself.
fn check_name(part: &str, origin: &str) -> Result<(), DeckError> {
    let own = OWN
        .iter()
        .any(|o| part == *o || (o.ends_with('/') && part.starts_with(o)))
        || part.starts_with("ppt/notesSlides/")
        || part.starts_with("ppt/notesMasters/");
    if own || !part.starts_with("ppt/") {
        return Err(DeckError::BadTemplatePart {
            path: origin.to_string(),
            part: part.to_string(),
            why: "a slide master's part at a name the deck writes itself".into(),
        });
    }
    Ok(())
}

fn part_text<'a>(parts: &'a BTreeMap<String, Kept>, name: &str) -> Result<&'a str, String> {
    let kept = parts.get(name).ok_or("it is missing")?;
    std::str::from_utf8(&kept.bytes).map_err(|_| "it is not UTF-8 XML".to_string())
}

fn read_layout(part: &str, text: &str) -> Result<Layout, String> {
    let doc = roxmltree::Document::parse(text).map_err(|e| e.to_string())?;
    let top = doc.root_element();
    if !top.has_tag_name((P_NS, "sldLayout")) {
        return Err("it is not a p:sldLayout".into());
    }
    let name = top
        .children()
        .find(|n| n.has_tag_name((P_NS, "cSld")))
        .and_then(|n| n.attribute("name"))
        .unwrap_or("")
        .to_string();
    let placeholders = top
        .descendants()
        .filter(|n| n.has_tag_name((P_NS, "ph")))
        .map(|n| n.attribute("type").unwrap_or("obj").to_string())
        .collect();
    Ok(Layout {
        part: part.to_string(),
        kind: top.attribute("type").unwrap_or("cust").to_string(),
        name,
        placeholders,
    })
}

/// The zip of a template, read with caps.
struct Zip<'a> {
    archive: zip::ZipArchive<std::io::Cursor<&'a [u8]>>,
    origin: &'a str,
    read: u64,
}

impl<'a> Zip<'a> {
    fn open(bytes: &'a [u8], origin: &'a str) -> Result<Zip<'a>, DeckError> {
        let archive =
            zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| DeckError::NotZip {
                path: origin.to_string(),
                why: e.to_string(),
            })?;
        if archive.len() > MAX_ENTRIES {
            return Err(DeckError::TemplateTooLarge {
                path: origin.to_string(),
                what: format!("{} zip entries (at most {MAX_ENTRIES})", archive.len()),
            });
        }
        Ok(Zip {
            archive,
            origin,
            read: 0,
        })
    }

    fn missing(&self, part: &str, from: &str) -> DeckError {
        DeckError::MissingPart {
            path: self.origin.to_string(),
            part: part.to_string(),
            from: from.to_string(),
        }
    }

    fn bad(&self, part: &str, why: String) -> DeckError {
        DeckError::BadTemplatePart {
            path: self.origin.to_string(),
            part: part.to_string(),
            why,
        }
    }

    /// A part's bytes, None if the zip has no such entry.
    fn bytes(&mut self, name: &str) -> Result<Option<Vec<u8>>, DeckError> {
        let origin = self.origin;
        let bad = |why: String| DeckError::BadTemplatePart {
            path: origin.to_string(),
            part: name.to_string(),
            why,
        };
        let entry = match self.archive.by_name(name) {
            Ok(f) => f,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(bad(e.to_string())),
        };
        let left = MAX_TOTAL.saturating_sub(self.read);
        let cap = MAX_PART.min(left);
        let mut out = Vec::new();
        entry
            .take(cap + 1)
            .read_to_end(&mut out)
            .map_err(|e| bad(e.to_string()))?;
        if out.len() as u64 > cap {
            let what = if cap < MAX_PART {
                format!(
                    "the parts read, up to {name}, inflate to more than {} MiB",
                    MAX_TOTAL >> 20
                )
            } else {
                format!("part {name} inflates to more than {} MiB", MAX_PART >> 20)
            };
            return Err(DeckError::TemplateTooLarge {
                path: origin.to_string(),
                what,
            });
        }
        self.read += out.len() as u64;
        Ok(Some(out))
    }

    /// A part as UTF-8 text (an XML part), None if the zip has no such entry.
    fn text(&mut self, name: &str) -> Result<Option<String>, DeckError> {
        match self.bytes(name)? {
            None => Ok(None),
            Some(b) => String::from_utf8(b)
                .map(Some)
                .map_err(|_| self.bad(name, "it is not UTF-8 XML".into())),
        }
    }
}

/// A relationship of a part.
#[derive(Clone, Debug)]
struct Rel {
    id: String,
    /// Full type URI.
    type_uri: String,
    /// Last segment of the type (`slideLayout`, `theme`, `image`…).
    kind: String,
    target: String,
    external: bool,
    /// The part it names (internal targets), None if it leaves the package.
    part: Option<String>,
}

/// The `.rels` part of a part: `ppt/slides/slide1.xml` →
/// `ppt/slides/_rels/slide1.xml.rels`.
pub fn rels_name(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// Resolves a relationship target against the part that holds it (`""`
/// for the package root): `../theme/theme1.xml` from
/// `ppt/slideMasters/slideMaster1.xml` is `ppt/theme/theme1.xml`. None if
/// it climbs above the package root.
pub fn resolve(source: &str, target: &str) -> Option<String> {
    let target = target.split(['#', '?']).next().unwrap_or("");
    let mut path: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        let mut dir: Vec<&str> = source.split('/').collect();
        dir.pop();
        dir
    };
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                path.pop()?;
            }
            s => path.push(s),
        }
    }
    (!path.is_empty()).then(|| path.join("/"))
}

fn parse_rels(text: &str, source: &str) -> Result<Vec<Rel>, String> {
    let doc = roxmltree::Document::parse(text).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for n in doc
        .descendants()
        .filter(|n| n.has_tag_name((REL_NS, "Relationship")))
    {
        let (Some(id), Some(type_uri), Some(target)) = (
            n.attribute("Id"),
            n.attribute("Type"),
            n.attribute("Target"),
        ) else {
            return Err("a relationship without Id, Type or Target".into());
        };
        let external = n.attribute("TargetMode") == Some("External");
        out.push(Rel {
            id: id.to_string(),
            type_uri: type_uri.to_string(),
            kind: type_uri.rsplit('/').next().unwrap_or("").to_string(),
            target: target.to_string(),
            external,
            part: if external {
                None
            } else {
                resolve(source, target)
            },
        });
    }
    Ok(out)
}

fn write_rels(list: &[Rel]) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"{REL_NS}\">"
    );
    for r in list {
        let _ = write!(
            s,
            "<Relationship Id=\"{}\" Type=\"{}\" Target=\"{}\"{}/>",
            esc(&r.id),
            esc(&r.type_uri),
            esc(&r.target),
            if r.external {
                " TargetMode=\"External\""
            } else {
                ""
            }
        );
    }
    s.push_str("</Relationships>");
    s
}

/// A package's `[Content_Types].xml`.
struct ContentTypes {
    /// Extension (lower case) → type.
    defaults: BTreeMap<String, String>,
    /// Part name (lower case, no leading `/`) → type.
    overrides: BTreeMap<String, String>,
}

impl ContentTypes {
    fn parse(text: &str) -> Result<ContentTypes, String> {
        let doc = roxmltree::Document::parse(text).map_err(|e| e.to_string())?;
        let mut defaults = BTreeMap::new();
        let mut overrides = BTreeMap::new();
        for n in doc.descendants() {
            let ct = n.attribute("ContentType");
            match (n.tag_name().name(), ct) {
                ("Default", Some(ct)) => {
                    if let Some(ext) = n.attribute("Extension") {
                        defaults.insert(ext.to_ascii_lowercase(), ct.to_string());
                    }
                }
                ("Override", Some(ct)) => {
                    if let Some(p) = n.attribute("PartName") {
                        overrides.insert(
                            p.trim_start_matches('/').to_ascii_lowercase(),
                            ct.to_string(),
                        );
                    }
                }
                _ => {}
            }
        }
        Ok(ContentTypes {
            defaults,
            overrides,
        })
    }

    fn of(&self, part: &str) -> Option<String> {
        let lower = part.to_ascii_lowercase();
        if let Some(t) = self.overrides.get(&lower) {
            return Some(t.clone());
        }
        let ext = lower.rsplit_once('.').map(|(_, e)| e)?;
        self.defaults.get(ext).cloned()
    }
}
