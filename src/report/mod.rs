//! The `report` stage: graph + findings + rendered views → view-models →
//! minijinja templates (from `views/`, embedded, overridable) → a static site.
//!
//! Templates get view-models ([`viewmodel`]), never the graph. No IO here:
//! the caller reads override templates and writes the returned files.

pub mod serve;
pub mod templates;
pub mod viewmodel;

use std::collections::BTreeMap;

use crate::analysis::analyse;
use crate::graph::flow::Flow as DataFlow;
use crate::graph::Graph;
use crate::model::{Kind, State};
use crate::render::split::{thousands, Words, DEFAULT_MAX_NODES};
use crate::render::views::ViewOptions;
use crate::render::{render_view_with, RenderedView, Sizing, Theme, View};
use minijinja::value::{Serde, Value};

pub use templates::Override;
use templates::Templates;
use viewmodel::{dictionary_file, Builder, DiagramPartVm, DiagramVm, Linker, PAGES};

/// Why a report could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A template failed to parse or render.
    #[error("template `{origin}`{}: {message}", line.map(|l| format!(" line {l}")).unwrap_or_default())]
    Template {
        /// The template file (an override's path, or `views/NAME (built-in)`).
        origin: String,
        /// Line in the template, when known.
        line: Option<usize>,
        /// What went wrong.
        message: String,
    },
    /// A template wrote far more than a page may hold.
    #[error("template `{origin}` writes more than {limit} bytes for one page even with its lists shortened — a loop that never ends?")]
    TooLarge {
        /// The template file.
        origin: String,
        /// The most it may write.
        limit: usize,
    },
    /// Handing a page to its writer failed.
    #[error("cannot write `{name}`: {source}")]
    Write {
        /// The page.
        name: String,
        /// Why.
        source: std::io::Error,
    },
    /// A template used up its execution budget (fuel).
    #[error("template `{origin}` exceeded its execution budget ({fuel} steps for one page) — a loop that never ends?")]
    Budget {
        /// The template file.
        origin: String,
        /// The budget it had.
        fuel: u64,
    },
}

/// How to build the report.
#[derive(Clone, Debug)]
pub struct Options {
    /// The state the diagrams and the holding matrix show.
    pub state: State,
    /// Diagram colour scheme.
    pub theme: Theme,
    /// One `report.html` instead of one file per page.
    pub single_file: bool,
    /// Templates replacing built-ins of the same name.
    pub overrides: Vec<Override>,
    /// The frame diagrams are laid out for, and when a view is split into
    /// an overview plus one drawing per group.
    pub sizing: Sizing,
    /// The largest page, in bytes, the report aims for
    /// ([`DEFAULT_PAGE_BUDGET`]): the dictionary continues on numbered pages,
    /// each diagram's group drawings and all lineage drawings together may
    /// take a quarter of it, and a page still larger has its long lists
    /// shortened. `--single-file` keeps the whole dictionary in its one file.
    pub page_budget: usize,
}

/// Default [`Options::page_budget`]: 16 MB, which browsers still open
/// quickly.
pub const DEFAULT_PAGE_BUDGET: usize = 16_000_000;

impl Default for Options {
    fn default() -> Self {
        Options {
            state: State::ToBe,
            theme: Theme::Light,
            single_file: false,
            overrides: Vec::new(),
            sizing: Sizing::default(),
            page_budget: DEFAULT_PAGE_BUDGET,
        }
    }
}

/// The built report: files relative to the output folder, sorted by path.
#[derive(Debug, Default)]
pub struct Site {
    /// (relative path, contents).
    pub files: Vec<(String, Vec<u8>)>,
    /// Things worth telling the user (ignored override files).
    pub warnings: Vec<String>,
    /// The most fuel one page's render used (see [`templates::FUEL_PER_BYTE`]).
    pub fuel_used: u64,
}

/// Makes every `id` (and the `aria-labelledby` that points at one) of an
/// SVG document unique on the page by prefixing it. The SVG writer uses no
/// other id references (no `href`, no `url(#…)`), and model text inside it
/// is escaped, so `id="` only occurs in attributes.
pub fn prefix_ids(svg: &str, prefix: &str) -> String {
    svg.replace(" id=\"", &format!(" id=\"{prefix}")).replace(
        " aria-labelledby=\"",
        &format!(" aria-labelledby=\"{prefix}"),
    )
}

/// One view drawn for the report: its SVG, or its overview and parts.
struct Drawn {
    title: String,
    svg: String,
    /// File stem in the report's `svg/` folder ([`FileNames`]).
    file: String,
    explanation: Option<String>,
    parts: Vec<DrawnPart>,
    /// Labels of the parts not drawn (beyond the budget).
    omitted: Vec<String>,
    /// Bytes of SVG the parts may take.
    budget: usize,
}

/// One group's drawing of a split view.
struct DrawnPart {
    label: String,
    summary: String,
    depth: usize,
    svg: String,
    /// The group's slug ([`crate::render::RenderedPart::slug`]).
    slug: String,
    /// File stem in the report's `svg/` folder.
    file: String,
}

impl Drawn {
    /// Draws the view; its parts only while their SVG fits in `budget` bytes
    /// (the overview is always drawn).
    fn new(view: &View, title: String, r: &RenderedView, theme: Theme, budget: usize) -> Drawn {
        let w = Words::of(view);
        let count = |n: usize, (one, many): (&str, &str)| {
            format!("{} {}", thousands(n), crate::words::agree(n, one, many))
        };
        let mut used = 0usize;
        let mut parts = Vec::new();
        let mut omitted = Vec::new();
        for p in &r.parts {
            if !omitted.is_empty() {
                omitted.push(p.label.clone());
                continue;
            }
            let svg = p.rendered.svg(theme);
            if used + svg.len() > budget {
                omitted.push(p.label.clone());
                continue;
            }
            used += svg.len();
            let mut summary = format!(
                "{}, {} inside",
                count(p.nodes, w.node),
                count(p.edges_inside, w.edge)
            );
            if p.is_overview {
                summary.push_str(&format!("; an overview of its {}", w.short.1));
            }
            parts.push(DrawnPart {
                label: p.label.clone(),
                summary,
                depth: p.depth,
                svg,
                slug: p.slug.clone(),
                file: String::new(),
            });
        }
        Drawn {
            title,
            svg: r.main.svg(theme),
            file: String::new(),
            explanation: r.explanation.clone(),
            parts,
            omitted,
            budget,
        }
    }

    /// Bytes of SVG: the drawing and its parts.
    fn size(&self) -> usize {
        self.svg.len() + self.parts.iter().map(|p| p.svg.len()).sum::<usize>()
    }
}

/// The folder, inside the report's, that holds every drawing as its own
/// SVG file (not written with `--single-file`). `views/_macros.html` links
/// to `svg/{{ d.file }}` (a literal `/`: autoescaping would write one from a
/// value as `&#x2f;`).
pub const SVG_FOLDER: &str = "svg";

/// Names the drawings' files: the stems `revarch render` uses (`sv-2`,
/// `sv-1--sales` for a group's drawing, `lineage-lead`), reduced to
/// characters that are safe in a file name and a URL on every system
/// (`A-Z a-z 0-9 . _ -`, never a leading dot), at most [`FILE_STEM_MAX`]
/// bytes, and unique even where the file system ignores case (a second
/// `lineage-a--b`, say entity `a--b` beside group `b` of `lineage-a`,
/// becomes `lineage-a--b-2`).
#[derive(Default)]
struct FileNames {
    /// Stems given so far, lowercased.
    used: std::collections::BTreeSet<String>,
}

/// Longest file stem of a drawing (with its suffix and `.svg` it stays far
/// below the 255 bytes file systems allow).
pub const FILE_STEM_MAX: usize = 120;

impl FileNames {
    fn name(&mut self, stem: &str) -> String {
        let base = file_stem(stem);
        let mut name = base.clone();
        let mut n = 2usize;
        while !self.used.insert(name.to_ascii_lowercase()) {
            name = format!("{base}-{n}");
            n += 1;
        }
        name
    }
}

/// `stem` with every character outside `A-Z a-z 0-9 . _ -` as `-`, leading
/// dots and dashes removed, cut to [`FILE_STEM_MAX`] bytes; `drawing` if
/// nothing is left.
pub fn file_stem(stem: &str) -> String {
    let mut out: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let start = out.len() - out.trim_start_matches(['.', '-']).len();
    out.drain(..start);
    // only ASCII is left, so any byte is a character boundary
    out.truncate(FILE_STEM_MAX);
    if out.is_empty() {
        "drawing".into()
    } else {
        out
    }
}

/// The natural size of an SVG document: the `width` and `height` of its
/// root element, rounded up to whole pixels (`None` if it has none).
pub fn natural_size(svg: &str) -> Option<(u32, u32)> {
    let start = svg.find("<svg")?;
    let end = start + svg[start..].find('>')?;
    let root = &svg[start..end];
    let attr = |name: &str| -> Option<u32> {
        let pat = format!(" {name}=\"");
        let i = root.find(&pat)? + pat.len();
        let v: f64 = root[i..].split('"').next()?.parse().ok()?;
        (v.is_finite() && v > 0.0).then(|| v.ceil().min(f64::from(u32::MAX)) as u32)
    };
    Some((attr("width")?, attr("height")?))
}

struct Diagrams {
    svgs: BTreeMap<String, Drawn>,
    /// Whether the drawings are in files too (not `--single-file`).
    files: bool,
}

impl Diagrams {
    /// Gives every drawing its file name, in key order (deterministic).
    fn name_files(&mut self) {
        let mut names = FileNames::default();
        for (key, drawn) in &mut self.svgs {
            drawn.file = names.name(key);
            for p in &mut drawn.parts {
                p.file = names.name(&format!("{key}--{}", p.slug));
            }
        }
    }

    /// Every drawing's file: (path inside the report, SVG), in key order.
    fn files(&self) -> impl Iterator<Item = (String, &str)> {
        self.svgs.values().flat_map(|d| {
            std::iter::once((&d.file, &d.svg))
                .chain(d.parts.iter().map(|p| (&p.file, &p.svg)))
                .map(|(file, svg)| (format!("{SVG_FOLDER}/{file}.svg"), svg.as_str()))
        })
    }

    /// The file name of a drawing ([`DiagramVm::file`]).
    fn href(&self, file: &str) -> String {
        if self.files {
            format!("{file}.svg")
        } else {
            String::new()
        }
    }

    fn get(&self, view: &View, page: &str) -> Option<DiagramVm> {
        self.keyed(&view.id(), view, page)
    }
    fn keyed(&self, key: &str, view: &View, page: &str) -> Option<DiagramVm> {
        let drawn = self.svgs.get(key)?;
        let anchor = format!("{page}-{}", view.id());
        // part anchors `{anchor}-p{i}` and their id prefixes `{anchor}-p{i}--`
        // can equal neither the overview's prefix `{anchor}--` nor each other
        let parts = drawn
            .parts
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let anchor = format!("{anchor}-p{}", i + 1);
                DiagramPartVm {
                    label: p.label.clone(),
                    summary: p.summary.clone(),
                    depth: p.depth,
                    diagram: DiagramVm::new(
                        view.id(),
                        format!("{} — {}", drawn.title, p.label),
                        prefix_ids(&p.svg, &format!("{anchor}--")),
                        anchor,
                        self.href(&p.file),
                    ),
                }
            })
            .collect();
        let omitted_note = if drawn.omitted.is_empty() {
            String::new()
        } else {
            format!(
                "The drawings of the other {} groups are left out to keep this page under {}: {} is the most this view may add. Draw them with `revarch render {} --max-nodes N`.",
                thousands(drawn.omitted.len()),
                megabytes(drawn.budget * 4),
                megabytes(drawn.budget),
                view.id()
            )
        };
        let title = if drawn.explanation.is_some() {
            format!("{} — overview", drawn.title)
        } else {
            drawn.title.clone()
        };
        let mut vm = DiagramVm::new(
            view.id(),
            title,
            prefix_ids(&drawn.svg, &format!("{anchor}--")),
            anchor,
            self.href(&drawn.file),
        );
        vm.explanation = drawn.explanation.clone();
        vm.parts = parts;
        vm.omitted = drawn.omitted.clone();
        vm.omitted_note = omitted_note;
        Some(vm)
    }
}

/// `12 MB`, `0.5 MB`.
fn megabytes(bytes: usize) -> String {
    let mb = bytes as f64 / 1_000_000.0;
    if mb >= 10.0 || mb.fract() == 0.0 {
        format!("{} MB", mb.round())
    } else {
        format!("{mb:.1} MB")
    }
}

fn diagram_title(view: &View) -> String {
    match view {
        View::Ov2 => "OV-2 Operational resource flows".into(),
        View::Ov5b => "OV-5b Operational activity model (customer journey)".into(),
        View::Sv1 => "SV-1 Systems interface description".into(),
        View::Sv2 => "SV-2 Systems resource flows".into(),
        View::Div2 => "DIV-2 Logical data model".into(),
        View::Lineage(e) => format!("Lineage of {e}"),
    }
}

/// Builds every page of the report for one model. `label` names the model
/// (its path) in the footer.
pub fn build(g: &Graph<'_>, label: &str, opts: &Options) -> Result<Site, ReportError> {
    let mut files = Vec::new();
    let built = build_with(g, label, opts, &mut |name, bytes| {
        files.push((name.to_string(), bytes.to_vec()));
        Ok(())
    })?;
    files.sort();
    Ok(Site {
        files,
        warnings: built.warnings,
        fuel_used: built.fuel_used,
    })
}

/// What [`build_with`] reports besides the pages.
#[derive(Debug, Default)]
pub struct Built {
    /// Things worth telling the user (ignored override files).
    pub warnings: Vec<String>,
    /// The most fuel one page's render used (see [`templates::FUEL_PER_BYTE`]).
    pub fuel_used: u64,
}

/// Builds the report and hands each file to `sink` (path relative to the
/// report's folder, bytes) as soon as it is rendered, so only one page is
/// held at a time. First every drawing as its own file
/// (`svg/sv-2.svg`, `svg/sv-1--sales.svg`: [`SVG_FOLDER`], named by
/// [`file_stem`]; not with `--single-file`), then the pages in navigation
/// order (`index.html` first). A failing `sink` stops the build.
pub fn build_with(
    g: &Graph<'_>,
    label: &str,
    opts: &Options,
    sink: &mut dyn FnMut(&str, &[u8]) -> std::io::Result<()>,
) -> Result<Built, ReportError> {
    let templates = Templates::new(&opts.overrides, templates::fuel_for(opts.page_budget))?;
    let mut warnings: Vec<String> = templates
        .unknown
        .iter()
        .map(|o| format!("template `{o}` replaces no built-in template; ignored"))
        .collect();
    warnings.sort();
    let budget = opts.page_budget.max(1);
    // a diagram (its parts), and all lineage drawings together, may take a
    // quarter of a page: two diagrams plus the tables fit
    let diagram_budget = budget / 4;

    // analyses of both states
    let to_be = analyse(g, State::ToBe);
    let as_is = analyse(g, State::AsIs);

    // diagrams: each view once, inlined with page-unique ids
    let mut svgs = BTreeMap::new();
    let flow = DataFlow::compute(g, opts.state);
    let view_opts = ViewOptions {
        state: opts.state,
        findings: Some(match opts.state {
            State::ToBe => &to_be,
            State::AsIs => &as_is,
        }),
        flow: Some(&flow),
    };
    // the views are laid out in parallel (crate::par), results in order
    let rendered = crate::par::map(&View::DEFAULT, |view| {
        render_view_with(view, g, &view_opts, opts.sizing)
    });
    for (view, r) in View::DEFAULT.iter().zip(rendered) {
        if let Some(r) = r {
            svgs.insert(
                view.id(),
                Drawn::new(view, diagram_title(view), &r, opts.theme, diagram_budget),
            );
        }
    }
    // lineage drawings in entity order while they fit, leaving out any one
    // larger than an eighth of their budget (a central entity's lineage can
    // fill it alone); once it is full the rest are not even laid out
    let entities: Vec<_> = g.nodes_of(Kind::Entity).collect();
    let lineage_max = diagram_budget / 8;
    // Lineages are drawn in bulk, one per entity, as reference: they keep
    // the node-count rule (split above 120 nodes) unless --max-nodes says
    // otherwise; splitting each by legibility multiplied their bytes and
    // pushed most of them out of the page budget on a 300-system model.
    let lineage_sizing = Sizing {
        max_nodes: Some(opts.sizing.max_nodes.unwrap_or(DEFAULT_MAX_NODES)),
        ..opts.sizing
    };
    let (mut lineage_used, mut lineage_drawn) = (0usize, 0usize);
    // laid out a few at a time in parallel, taken in entity order: the
    // same drawings as one by one, and at most one batch laid out past
    // the point where the budget is full
    let batch = crate::par::threads() * 2;
    'lineages: for chunk in entities.chunks(batch.max(1)) {
        let views: Vec<View> = chunk
            .iter()
            .map(|&n| View::Lineage(g.entity(n).id().as_str().to_string()))
            .collect();
        let rendered = crate::par::map(&views, |view| {
            render_view_with(view, g, &view_opts, lineage_sizing)
                .map(|r| Drawn::new(view, diagram_title(view), &r, opts.theme, lineage_max))
        });
        for (view, drawn) in views.iter().zip(rendered) {
            let Some(drawn) = drawn else { continue };
            let size = drawn.size();
            if size > lineage_max {
                continue;
            }
            if lineage_used + size > diagram_budget {
                break 'lineages;
            }
            lineage_used += size;
            lineage_drawn += 1;
            svgs.insert(view.id(), drawn);
        }
    }
    let lineage_note = if lineage_drawn < entities.len() {
        format!(
            "Lineage is drawn for {} of {} entities: in entity order while the drawings fit in {}, leaving out any one larger than {}, so that this page stays under {}. Where every entity is held and received is in the holding matrix above; draw any lineage with `revarch render --entity ID`.",
            thousands(lineage_drawn),
            thousands(entities.len()),
            megabytes(diagram_budget),
            megabytes(lineage_max),
            megabytes(budget),
        )
    } else {
        String::new()
    };
    // the findings page shows the to-be overlay whatever --state says
    if opts.state != State::ToBe {
        let to_be_opts = ViewOptions {
            state: State::ToBe,
            findings: Some(&to_be),
            flow: None,
        };
        if let Some(r) = render_view_with(&View::Sv2, g, &to_be_opts, opts.sizing) {
            svgs.insert(
                "findings-sv-2".into(),
                Drawn::new(
                    &View::Sv2,
                    format!("{} (to-be)", diagram_title(&View::Sv2)),
                    &r,
                    opts.theme,
                    diagram_budget,
                ),
            );
        }
    }
    let mut d = Diagrams {
        svgs,
        files: !opts.single_file,
    };
    d.name_files();
    // every drawing as its own file beside the pages (the pages link to
    // them); one file has only its inlined copies
    if d.files {
        for (name, svg) in d.files() {
            sink(&name, svg.as_bytes()).map_err(|source| ReportError::Write { name, source })?;
        }
    }

    let link = Linker {
        single_file: opts.single_file,
    };
    let mut b = Builder::new(g, link, opts.state, &to_be, &as_is);
    // in one file the dictionary's pages are sections of it
    let dict_pages = b.paginate_dictionary(budget * 7 / 10);
    let mut site = b.site(label);
    site.theme = match opts.theme {
        Theme::Light => "light",
        Theme::Dark => "dark",
        Theme::Print => "print",
    }
    .to_string();
    let pick = |views: &[View], page: &str| -> Vec<DiagramVm> {
        views.iter().filter_map(|v| d.get(v, page)).collect()
    };

    let title_of = |id: &str| {
        PAGES
            .iter()
            .find(|(p, _)| *p == id)
            .map(|(_, t)| t.to_string())
            .unwrap_or_default()
    };
    let site_v = Value::from(Serde(&site));
    let mut body = String::new();
    let mut fuel_used = 0u64;
    // pages in navigation order; each view-model is built just before its
    // page is rendered and dropped after
    let mut pages: Vec<String> = vec!["index".into()];
    pages.extend((0..dict_pages as u32).map(dictionary_file));
    pages.extend(["ov", "sv", "stdv", "div", "findings"].map(String::from));
    for file in &pages {
        let id = if file.starts_with("dictionary") {
            "dictionary"
        } else {
            file.as_str()
        };
        // one file: each dictionary page is a section with its own id
        let page_id = if opts.single_file { file.as_str() } else { id };
        let vm = match id {
            "index" => Value::from(Serde(b.index())),
            "dictionary" => {
                let k = file
                    .strip_prefix("dictionary-")
                    .and_then(|k| k.parse::<usize>().ok())
                    .map_or(0, |k| k - 1);
                Value::from(Serde(b.dictionary(k)))
            }
            "ov" => Value::from(Serde(b.ov(pick(&[View::Ov2, View::Ov5b], "ov")))),
            "sv" => Value::from(Serde(b.sv(pick(&[View::Sv1, View::Sv2], "sv")))),
            "stdv" => Value::from(Serde(b.stdv())),
            "div" => {
                let lineage: BTreeMap<String, DiagramVm> = entities
                    .iter()
                    .filter_map(|&n| {
                        let id = g.entity(n).id().as_str().to_string();
                        let dv = d.get(&View::Lineage(id.clone()), "div")?;
                        Some((id, dv))
                    })
                    .collect();
                Value::from(Serde(b.div(
                    pick(&[View::Div2], "div"),
                    lineage,
                    lineage_note.clone(),
                )))
            }
            _ => {
                let findings_diagram = d
                    .keyed("findings-sv-2", &View::Sv2, "findings")
                    .or_else(|| d.get(&View::Sv2, "findings"));
                Value::from(Serde(b.findings(findings_diagram.into_iter().collect())))
            }
        };
        let html = render_bounded(
            &templates,
            (id, page_id),
            &site_v,
            &title_of(id),
            vm,
            opts.single_file,
            budget,
        )?;
        fuel_used = fuel_used.max(templates.max_fuel_used());
        if opts.single_file {
            body.push_str(&html);
        } else {
            let name = format!("{file}.html");
            sink(&name, html.as_bytes()).map_err(|source| ReportError::Write { name, source })?;
        }
    }
    if opts.single_file {
        let body_len = body.len();
        let ctx = minijinja::context! {
            site => site_v.clone(),
            page_id => "single",
            title => "Report",
            fragment => false,
            body => Value::from_safe_string(body),
            notes => Vec::<String>::new(),
        };
        // the sections as they are, plus a page's worth of its own
        let limit = body_len.saturating_add(budget);
        let html = templates
            .render_limited("single.html", ctx, limit)?
            .map_err(|_| templates.too_large("single.html", limit))?;
        fuel_used = fuel_used.max(templates.max_fuel_used());
        sink("report.html", html.as_bytes()).map_err(|source| ReportError::Write {
            name: "report.html".into(),
            source,
        })?;
    }
    Ok(Built {
        warnings,
        fuel_used,
    })
}

/// Renders a page; when it comes out larger than `budget` bytes, renders it
/// again with its long lists shortened (every list of more than
/// [`LIST_KEEP`] items, at any depth, keeps the same share of its items)
/// until it fits, and says so at the top of the page. Grids (`cells`,
/// `cols`), navigation and diagrams are never shortened.
fn render_bounded(
    templates: &Templates,
    (id, page_id): (&str, &str),
    site: &Value,
    title: &str,
    page: Value,
    fragment: bool,
    budget: usize,
) -> Result<String, ReportError> {
    let no_notes: Vec<String> = Vec::new();
    let name = format!("{id}.html");
    let full = match templates.render_limited(
        &name,
        context(site, page_id, title, page.clone(), fragment, &no_notes),
        budget,
    )? {
        Ok(html) => return Ok(html),
        Err(size) => size,
    };
    let mut size = full;
    let mut share = 1.0f64;
    for _ in 0..8 {
        // aim a tenth below the budget: lists are not all alike
        share *= (budget as f64 * 0.9 / size as f64).min(0.95);
        let mut left_out = 0usize;
        let shortened = shorten(&page, share, &mut left_out);
        let note = format!(
            "This page would be {}{}; to keep it under {} its long lists show only their first entries ({} entries left out). Every entity and where it is used is in the dictionary.",
            if full > budget.saturating_mul(templates::ABORT_FACTOR) {
                "more than "
            } else {
                ""
            },
            megabytes(full.min(budget.saturating_mul(templates::ABORT_FACTOR))),
            megabytes(budget),
            thousands(left_out)
        );
        let notes = vec![note];
        match templates.render_limited(
            &name,
            context(site, page_id, title, shortened, fragment, &notes),
            budget,
        )? {
            Ok(html) => return Ok(html),
            Err(larger) => size = larger,
        }
    }
    // lists cannot shrink further (each keeps LIST_KEEP items): the page as
    // it is, over the budget
    let shortened = shorten(&page, share, &mut 0);
    let limit = budget.saturating_mul(templates::ABORT_FACTOR);
    let ctx = context(site, page_id, title, shortened, fragment, &[]);
    templates
        .render_limited(&name, ctx, limit)?
        .map_err(|_| templates.too_large(&name, limit))
}

/// Lists of at most this many items are never shortened.
pub const LIST_KEEP: usize = 20;

/// A copy of `v` with every list longer than [`LIST_KEEP`] cut to `share`
/// of its items (at least `LIST_KEEP`), counting what is left out.
fn shorten(v: &Value, share: f64, left_out: &mut usize) -> Value {
    use minijinja::value::ValueKind;
    match v.kind() {
        ValueKind::Seq => {
            let items: Vec<Value> = v.try_iter().map(|i| i.collect()).unwrap_or_default();
            let keep = if items.len() > LIST_KEEP {
                ((items.len() as f64 * share).ceil() as usize).clamp(LIST_KEEP, items.len())
            } else {
                items.len()
            };
            *left_out += items.len() - keep;
            Value::from(
                items
                    .iter()
                    .take(keep)
                    .map(|i| shorten(i, share, left_out))
                    .collect::<Vec<_>>(),
            )
        }
        ValueKind::Map => {
            let Ok(keys) = v.try_iter() else {
                return v.clone();
            };
            let mut m: BTreeMap<String, Value> = BTreeMap::new();
            for k in keys {
                let Some(key) = k.as_str().map(str::to_string) else {
                    return v.clone();
                };
                let field = v.get_attr(&key).unwrap_or_default();
                let keep_whole = matches!(
                    key.as_str(),
                    "cells"
                        | "cols"
                        | "entries"
                        | "parts"
                        | "diagrams"
                        | "lineage"
                        | "nav"
                        | "omitted"
                );
                let field = if keep_whole {
                    field
                } else {
                    shorten(&field, share, left_out)
                };
                m.insert(key, field);
            }
            Value::from(m)
        }
        _ => v.clone(),
    }
}

fn context(
    site: &Value,
    id: &str,
    title: &str,
    page: Value,
    fragment: bool,
    notes: &[String],
) -> Value {
    minijinja::context! {
        site => site.clone(),
        page_id => id,
        title => title,
        page => page,
        fragment => fragment,
        notes => notes.to_vec(),
    }
}

#[cfg(test)]
mod tests;
