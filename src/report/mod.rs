//! The `report` stage: graph + findings + rendered views → view-models →
//! minijinja templates (from `views/`, embedded, overridable) → a static site.
//!
//! Templates get view-models ([`viewmodel`]), never the graph. No IO here:
//! the caller reads override templates and writes the returned files.

pub mod templates;
pub mod viewmodel;

use std::collections::BTreeMap;

use crate::analysis::analyse;
use crate::graph::flow::Flow as DataFlow;
use crate::graph::Graph;
use crate::model::{Kind, State};
use crate::render::split::{thousands, Words, DEFAULT_MAX_NODES};
use crate::render::views::ViewOptions;
use crate::render::{render_view_with, RenderedView, Theme, View};
use minijinja::value::{Serde, Value};

pub use templates::Override;
use templates::Templates;
use viewmodel::{Builder, DiagramPartVm, DiagramVm, Linker, PAGES};

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
    /// Views with more nodes are drawn as an overview plus one drawing per
    /// group (`0`: never split).
    pub max_nodes: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            state: State::ToBe,
            theme: Theme::Light,
            single_file: false,
            overrides: Vec::new(),
            max_nodes: DEFAULT_MAX_NODES,
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
    explanation: Option<String>,
    /// (label, summary, depth, SVG)
    parts: Vec<(String, String, usize, String)>,
}

impl Drawn {
    fn new(view: &View, title: String, r: &RenderedView, theme: Theme) -> Drawn {
        let w = Words::of(view);
        let count = |n: usize, (one, many): (&str, &str)| {
            format!("{} {}", thousands(n), crate::words::agree(n, one, many))
        };
        Drawn {
            title,
            svg: r.main.svg(theme),
            explanation: r.explanation.clone(),
            parts: r
                .parts
                .iter()
                .map(|p| {
                    let mut summary = format!(
                        "{}, {} inside",
                        count(p.nodes, w.node),
                        count(p.edges_inside, w.edge)
                    );
                    if p.is_overview {
                        summary.push_str(&format!("; an overview of its {}", w.short.1));
                    }
                    (p.label.clone(), summary, p.depth, p.rendered.svg(theme))
                })
                .collect(),
        }
    }
}

struct Diagrams {
    svgs: BTreeMap<String, Drawn>,
}

impl Diagrams {
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
            .map(|(i, (label, summary, depth, svg))| {
                let anchor = format!("{anchor}-p{}", i + 1);
                DiagramPartVm {
                    label: label.clone(),
                    summary: summary.clone(),
                    depth: *depth,
                    diagram: DiagramVm {
                        view: view.id(),
                        svg: prefix_ids(svg, &format!("{anchor}--")),
                        anchor,
                        title: format!("{} — {label}", drawn.title),
                        explanation: None,
                        parts: Vec::new(),
                    },
                }
            })
            .collect();
        Some(DiagramVm {
            view: view.id(),
            svg: prefix_ids(&drawn.svg, &format!("{anchor}--")),
            anchor,
            title: if drawn.explanation.is_some() {
                format!("{} — overview", drawn.title)
            } else {
                drawn.title.clone()
            },
            explanation: drawn.explanation.clone(),
            parts,
        })
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
    let templates = Templates::new(&opts.overrides)?;
    let mut warnings: Vec<String> = templates
        .unknown
        .iter()
        .map(|o| format!("template `{o}` replaces no built-in template; ignored"))
        .collect();
    warnings.sort();

    // analyses of both states
    let to_be = analyse(g, State::ToBe);
    let as_is = analyse(g, State::AsIs);

    // diagrams: each view once, inlined with page-unique ids
    let mut svgs = BTreeMap::new();
    let mut views: Vec<View> = View::DEFAULT.to_vec();
    views.extend(
        g.nodes_of(Kind::Entity)
            .map(|n| View::Lineage(g.entity(n).id().as_str().to_string())),
    );
    let flow = DataFlow::compute(g, opts.state);
    let view_opts = ViewOptions {
        state: opts.state,
        findings: Some(match opts.state {
            State::ToBe => &to_be,
            State::AsIs => &as_is,
        }),
        flow: Some(&flow),
    };
    for view in &views {
        if let Some(r) = render_view_with(view, g, &view_opts, opts.max_nodes) {
            svgs.insert(
                view.id(),
                Drawn::new(view, diagram_title(view), &r, opts.theme),
            );
        }
    }
    // the findings page shows the to-be overlay whatever --state says
    if opts.state != State::ToBe {
        let to_be_opts = ViewOptions {
            state: State::ToBe,
            findings: Some(&to_be),
            flow: None,
        };
        if let Some(r) = render_view_with(&View::Sv2, g, &to_be_opts, opts.max_nodes) {
            svgs.insert(
                "findings-sv-2".into(),
                Drawn::new(
                    &View::Sv2,
                    format!("{} (to-be)", diagram_title(&View::Sv2)),
                    &r,
                    opts.theme,
                ),
            );
        }
    }
    let d = Diagrams { svgs };

    let link = Linker {
        single_file: opts.single_file,
    };
    let b = Builder::new(g, link, opts.state, &to_be, &as_is);
    let site = b.site(label);
    let pick = |views: &[View], page: &str| -> Vec<DiagramVm> {
        views.iter().filter_map(|v| d.get(v, page)).collect()
    };
    let lineage: BTreeMap<String, DiagramVm> = g
        .nodes_of(Kind::Entity)
        .filter_map(|n| {
            let id = g.entity(n).id().as_str().to_string();
            let dv = d.get(&View::Lineage(id.clone()), "div")?;
            Some((id, dv))
        })
        .collect();
    let findings_diagram = d
        .keyed("findings-sv-2", &View::Sv2, "findings")
        .or_else(|| d.get(&View::Sv2, "findings"));

    let page_vms: Vec<(&str, Value)> = vec![
        ("index", Value::from(Serde(b.index()))),
        ("dictionary", Value::from(Serde(b.dictionary()))),
        (
            "ov",
            Value::from(Serde(b.ov(pick(&[View::Ov2, View::Ov5b], "ov")))),
        ),
        (
            "sv",
            Value::from(Serde(b.sv(pick(&[View::Sv1, View::Sv2], "sv")))),
        ),
        ("stdv", Value::from(Serde(b.stdv()))),
        (
            "div",
            Value::from(Serde(b.div(pick(&[View::Div2], "div"), lineage))),
        ),
        (
            "findings",
            Value::from(Serde(b.findings(findings_diagram.into_iter().collect()))),
        ),
    ];

    let title_of = |id: &str| {
        PAGES
            .iter()
            .find(|(p, _)| *p == id)
            .map(|(_, t)| t.to_string())
            .unwrap_or_default()
    };
    let site_v = Value::from(Serde(&site));
    let mut files = Vec::new();
    if opts.single_file {
        let mut body = String::new();
        for (id, vm) in &page_vms {
            let ctx = context(&site_v, id, &title_of(id), vm.clone(), true);
            body.push_str(&templates.render(&format!("{id}.html"), ctx)?);
        }
        let ctx = minijinja::context! {
            site => site_v.clone(),
            page_id => "single",
            title => "Report",
            fragment => false,
            body => Value::from_safe_string(body),
        };
        files.push((
            "report.html".to_string(),
            templates.render("single.html", ctx)?.into_bytes(),
        ));
    } else {
        for (id, vm) in &page_vms {
            let ctx = context(&site_v, id, &title_of(id), vm.clone(), false);
            let html = templates.render(&format!("{id}.html"), ctx)?;
            files.push((format!("{id}.html"), html.into_bytes()));
        }
    }
    files.sort();
    Ok(Site { files, warnings })
}

fn context(site: &Value, id: &str, title: &str, page: Value, fragment: bool) -> Value {
    minijinja::context! {
        site => site.clone(),
        page_id => id,
        title => title,
        page => page,
        fragment => fragment,
    }
}

#[cfg(test)]
mod tests;
