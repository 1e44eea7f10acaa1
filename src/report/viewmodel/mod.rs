//! View-models: plain, serialisable data per page. Templates receive these,
//! never the graph; every string in them is *unescaped* model text (the
//! templates autoescape it), except [`DiagramVm::svg`], which is a complete
//! SVG document already escaped by the SVG writer.

use crate::render::split::thousands;
use std::collections::{BTreeMap, BTreeSet};

use petgraph::graph::NodeIndex;
use serde::Serialize;

use crate::analysis::{rule, Analysis, Finding, PlanDelta, PlanStatus};
use crate::graph::flow::{Arrival, Flow};
use crate::graph::{EdgeKind, Graph};
use crate::model::{Kind, Level, Lifecycle, Ref, Role, StandardKind, State};

/// The report's pages, in navigation order.
pub const PAGES: [(&str, &str); 7] = [
    ("index", "AV-1 Overview"),
    ("dictionary", "AV-2 Dictionary"),
    ("ov", "OV Operational"),
    ("sv", "SV Systems"),
    ("stdv", "StdV Standards"),
    ("div", "DIV Data"),
    ("findings", "Findings"),
];

/// How links are written: one file per page, or one file with sections.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Linker {
    /// All pages in one file (`#anchor` links) instead of `page.html#anchor`.
    pub single_file: bool,
}

impl Linker {
    /// Link to a page.
    pub fn page(self, page: &str) -> String {
        if self.single_file {
            format!("#page-{page}")
        } else {
            format!("{page}.html")
        }
    }
    /// Link to an anchor on a page.
    pub fn anchor(self, page: &str, anchor: &str) -> String {
        if self.single_file {
            format!("#{anchor}")
        } else {
            format!("{page}.html#{anchor}")
        }
    }
}

/// The dictionary page `k` (from 0): `dictionary`, `dictionary-2`, …
pub fn dictionary_file(k: u32) -> String {
    if k == 0 {
        "dictionary".to_string()
    } else {
        format!("dictionary-{}", k + 1)
    }
}

/// The dictionary anchor of an entity: `sys-salesforce`.
pub fn anchor_of(kind: Kind, id: &str) -> String {
    format!("{}-{}", kind.prefix(), id)
}

/// A link to an entity's dictionary entry.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Link {
    /// Display text (the entity's name).
    pub text: String,
    /// The entity id.
    pub id: String,
    /// Where it points.
    pub href: String,
    /// `planned`, `retiring` or empty.
    pub lifecycle: String,
}

/// Everything the layout (`base.html`) needs.
#[derive(Clone, Debug, Serialize)]
pub struct SiteVm {
    /// Architecture name.
    pub name: String,
    /// Plan period, e.g. FY2027.
    pub plan_period: String,
    /// How the model was named on the command line.
    pub model: String,
    /// The state drawn in the diagrams.
    pub state: String,
    /// The colour scheme (`light`, `dark`, `print`): the diagrams' and the
    /// page's (`<html data-theme>`).
    pub theme: String,
    /// Navigation entries.
    pub nav: Vec<NavVm>,
    /// The revarch version that wrote the report.
    pub version: String,
}

/// One navigation entry.
#[derive(Clone, Debug, Serialize)]
pub struct NavVm {
    /// Page id.
    pub id: String,
    /// Label.
    pub label: String,
    /// Link.
    pub href: String,
}

/// An inlined diagram.
#[derive(Clone, Debug, Serialize)]
pub struct DiagramVm {
    /// View id (`sv-2`).
    pub view: String,
    /// Anchor of its figure.
    pub anchor: String,
    /// Caption.
    pub title: String,
    /// The SVG document, ids prefixed; already escaped (rendered with `|safe`).
    pub svg: String,
    /// The name of the drawing's own file in the report's `svg/` folder
    /// (`sv-2.svg`; templates link to `svg/{{ file }}`, so that the `/` is
    /// not escaped); empty in `--single-file`, which has no files beside it.
    pub file: String,
    /// Its natural (drawn) width in CSS pixels; 0 if unknown. The page shows
    /// it at no less than 0.75 of this (`style.css`).
    pub width: u32,
    /// Its natural height in CSS pixels; 0 if unknown.
    pub height: u32,
    /// The natural size in words (`3,951 × 727 px`); empty if unknown.
    pub size: String,
    /// When the view is too large for one drawing (`svg` is then its
    /// overview): why, in plain words.
    pub explanation: Option<String>,
    /// … and each group's drawing.
    pub parts: Vec<DiagramPartVm>,
    /// Groups whose drawing is left out (the page would grow too large),
    /// with a sentence why; empty when every part is drawn.
    pub omitted: Vec<String>,
    /// The sentence.
    pub omitted_note: String,
}

impl DiagramVm {
    /// A drawing without parts; its size is read from the SVG's root element.
    pub fn new(view: String, title: String, svg: String, anchor: String, file: String) -> Self {
        let (width, height) = super::natural_size(&svg).unwrap_or((0, 0));
        let size = if width > 0 {
            format!(
                "{} × {} px",
                thousands(width as usize),
                thousands(height as usize)
            )
        } else {
            String::new()
        };
        DiagramVm {
            view,
            anchor,
            title,
            svg,
            file,
            width,
            height,
            size,
            explanation: None,
            parts: Vec::new(),
            omitted: Vec::new(),
            omitted_note: String::new(),
        }
    }
}

/// One group's drawing of a split view.
#[derive(Clone, Debug, Serialize)]
pub struct DiagramPartVm {
    /// The group's name with the groups above it (`Sales › DACH Sales`).
    pub label: String,
    /// Its size in words (`6 systems, 5 integrations inside`).
    pub summary: String,
    /// 1 for a group of the overview, 2 for a sub-group…
    pub depth: usize,
    /// The drawing (its `parts` are empty).
    pub diagram: DiagramVm,
}

mod matrix;
mod pages;

pub use matrix::*;
pub use pages::*;

/// Builds view-models from the graph and findings of one model.
pub struct Builder<'a, 'm> {
    /// The dictionary page (0 = `dictionary.html`, k = `dictionary-{k+1}.html`)
    /// of each node, by node index; empty: all on the first.
    dict_page: Vec<u32>,
    g: &'a Graph<'m>,
    link: Linker,
    state: State,
    /// to-be analysis
    pub to_be: &'a Analysis,
    /// as-is analysis
    pub as_is: &'a Analysis,
}

fn lifecycle_str(l: Lifecycle) -> String {
    match l {
        Lifecycle::Current => String::new(),
        Lifecycle::Planned => "planned".into(),
        Lifecycle::Retiring => "retiring".into(),
    }
}

/// Words of a serde snake_case enum value: `batch_etl` → `batch etl`.
pub fn words<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s.replace('_', " "),
        _ => String::new(),
    }
}

fn sort_key(name: &str, id: &str) -> (String, String) {
    (name.to_lowercase(), id.to_string())
}

impl<'a, 'm> Builder<'a, 'm> {
    /// A builder for one graph.
    pub fn new(
        g: &'a Graph<'m>,
        link: Linker,
        state: State,
        to_be: &'a Analysis,
        as_is: &'a Analysis,
    ) -> Self {
        Builder {
            dict_page: Vec::new(),
            g,
            link,
            state,
            to_be,
            as_is,
        }
    }

    /// Link to the dictionary entry of a node.
    pub fn node_link(&self, n: NodeIndex) -> Link {
        let e = self.g.entity(n);
        let page = dictionary_file(self.dict_page.get(n.index()).copied().unwrap_or(0));
        Link {
            text: e.name().to_string(),
            id: e.id().as_str().to_string(),
            href: self
                .link
                .anchor(&page, &anchor_of(e.kind(), e.id().as_str())),
            lifecycle: lifecycle_str(e.lifecycle()),
        }
    }

    /// Link to an entity by id (None if it does not exist).
    pub fn id_link(&self, id: &str) -> Option<Link> {
        self.g.node(id).map(|n| self.node_link(n))
    }

    fn links(&self, nodes: impl IntoIterator<Item = NodeIndex>) -> Vec<Link> {
        let mut seen = BTreeSet::new();
        nodes
            .into_iter()
            .filter(|n| seen.insert(*n))
            .map(|n| self.node_link(n))
            .collect()
    }

    fn owner(&self, e: Ref<'m>) -> Option<Link> {
        e.owner().and_then(|o| self.id_link(o.as_str()))
    }

    /// Activities in journey order (stage, order, id).
    fn journey(&self) -> Vec<NodeIndex> {
        let mut acts: Vec<NodeIndex> = self.g.nodes_of(Kind::Activity).collect();
        acts.sort_by_key(|&a| match self.g.entity(a) {
            Ref::Activity(d) => (Some(d.stage), d.order, d.id.as_str().to_string()),
            e => (None, 0, e.id().as_str().to_string()),
        });
        acts
    }

    /// The layout's data.
    pub fn site(&self, label: &str) -> SiteVm {
        let av = &self.g.model.av;
        SiteVm {
            name: av.name.clone(),
            plan_period: av.plan_period.clone(),
            model: label.to_string(),
            state: self.state.as_str().to_string(),
            theme: String::new(),
            nav: PAGES
                .iter()
                .map(|(id, label)| NavVm {
                    id: id.to_string(),
                    label: label.to_string(),
                    href: self.link.page(id),
                })
                .collect(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }

    // -----------------------------------------------------------------------
    // AV-1
    // -----------------------------------------------------------------------

    /// The overview page.
    pub fn index(&self) -> IndexVm {
        let av = &self.g.model.av;
        let goals = self
            .g
            .nodes_of(Kind::Goal)
            .filter_map(|n| match self.g.entity(n) {
                Ref::Goal(goal) => Some(GoalVm {
                    link: self.node_link(n),
                    description: goal.description.clone().unwrap_or_default(),
                    target: goal.target.clone(),
                    kpi: goal.kpi.as_ref().and_then(|k| self.id_link(k.as_str())),
                    owner: self.owner(self.g.entity(n)),
                }),
                _ => None,
            })
            .collect();
        let principles = self
            .g
            .nodes_of(Kind::Principle)
            .filter_map(|n| match self.g.entity(n) {
                Ref::Principle(p) => Some(PrincipleVm {
                    link: self.node_link(n),
                    description: p.description.clone().unwrap_or_default(),
                    rationale: p.rationale.clone().unwrap_or_default(),
                }),
                _ => None,
            })
            .collect();
        let delta = PlanDelta::new(self.as_is, self.to_be);
        let c = self.g.model.counts();
        let vp = |id: &str, title: &str, page: &str, counts: Vec<(&str, usize)>| ViewpointVm {
            id: id.into(),
            title: title.into(),
            href: self.link.page(page),
            counts: counts
                .into_iter()
                .map(|(l, n)| CountVm {
                    label: l.into(),
                    count: n,
                })
                .collect(),
        };
        IndexVm {
            purpose: av.purpose.clone(),
            scope: av.scope.clone(),
            owner: av.owner.as_ref().and_then(|o| self.id_link(o.as_str())),
            goals,
            principles,
            health: vec![
                self.health(State::ToBe, self.to_be),
                self.health(State::AsIs, self.as_is),
            ],
            plan: PlanVm {
                introduced: delta.introduced.len(),
                resolved: delta.resolved.len(),
                unchanged: delta.unchanged.len(),
                changed: delta.changed.len(),
                findings_href: self.link.page("findings"),
                resolved_href: self.link.anchor("findings", "resolved"),
            },
            viewpoints: vec![
                vp(
                    "AV",
                    "All viewpoint",
                    "dictionary",
                    vec![
                        ("goals", c.goals),
                        ("principles", c.principles),
                        ("glossary terms", c.terms),
                    ],
                ),
                vp(
                    "OV",
                    "Operational",
                    "ov",
                    vec![
                        ("performers", c.performers),
                        ("activities", c.activities),
                        ("exchanges", c.exchanges),
                    ],
                ),
                vp(
                    "SV",
                    "Systems",
                    "sv",
                    vec![("systems", c.systems), ("integrations", c.integrations)],
                ),
                vp(
                    "StdV",
                    "Standards",
                    "stdv",
                    vec![("standards", c.standards)],
                ),
                vp("DIV", "Data", "div", vec![("data entities", c.entities)]),
            ],
        }
    }

    fn health(&self, state: State, a: &Analysis) -> HealthVm {
        let count = |l: Level| a.findings.iter().filter(|f| f.level == l).count();
        let mut by_rule: BTreeMap<&str, (usize, Level)> = BTreeMap::new();
        for f in &a.findings {
            let e = by_rule.entry(f.rule).or_insert((0, f.level));
            e.0 += 1;
        }
        // documentation order of rules
        let rules = crate::analysis::RULE_IDS
            .iter()
            .filter_map(|id| {
                by_rule.get(id).map(|(n, level)| RuleCountVm {
                    rule: id.to_string(),
                    level: level.as_str().into(),
                    count: *n,
                    href: (state == State::ToBe)
                        .then(|| self.link.anchor("findings", &format!("rule-{id}"))),
                })
            })
            .collect();
        HealthVm {
            state: state.as_str().into(),
            errors: count(Level::Error),
            warnings: count(Level::Warning),
            infos: count(Level::Info),
            allowed: a.suppressed.len(),
            rules,
        }
    }

    // -----------------------------------------------------------------------
    // AV-2
    // -----------------------------------------------------------------------

    /// Every node in dictionary order (alphabetical by name, then id).
    fn dictionary_order(&self) -> Vec<NodeIndex> {
        let g = self.g;
        let mut nodes: Vec<NodeIndex> = g.inner().node_indices().collect();
        nodes.sort_by_cached_key(|&n| {
            let e = g.entity(n);
            sort_key(e.name(), e.id().as_str())
        });
        nodes
    }

    /// Splits the dictionary into pages of at most about `budget` bytes of
    /// HTML each (estimated from each entry's text and links, see
    /// [`entry_size`](Self::entry_size)) and makes every link point at the
    /// page its entry is on. Returns the number of pages (1 when it fits).
    pub fn paginate_dictionary(&mut self, budget: usize) -> usize {
        let order = self.dictionary_order();
        let mut pages = vec![0u32; self.g.inner().node_count()];
        let (mut page, mut used) = (0u32, 0usize);
        for n in order {
            let size = self.entry_size(n);
            if used > 0 && used + size > budget {
                page += 1;
                used = 0;
            }
            used += size;
            pages[n.index()] = page;
        }
        self.dict_page = if page == 0 { Vec::new() } else { pages };
        page as usize + 1
    }

    /// An estimate of a dictionary entry's HTML size: its text plus fixed
    /// markup, and per related entity its name and id plus the link markup
    /// (on a 30,000-system model within 10 % of the rendered size; pages are
    /// filled to 70 % of the budget, which leaves room for a misestimate).
    fn entry_size(&self, n: NodeIndex) -> usize {
        use petgraph::Direction::{Incoming, Outgoing};
        let g = self.g;
        let e = g.entity(n);
        let text = e.name().len() + e.id().as_str().len() + e.description().unwrap_or("").len();
        let mut size = 400 + text;
        for dir in [Outgoing, Incoming] {
            for m in g.inner().neighbors_directed(n, dir) {
                let o = g.entity(m);
                size += 60 + o.name().len() + o.id().as_str().len();
            }
        }
        size
    }

    /// The integrated dictionary: every entity, alphabetical (`page`: only
    /// the entries of that page after [`paginate_dictionary`](Self::paginate_dictionary)).
    pub fn dictionary(&self, page: usize) -> DictionaryVm {
        let g = self.g;
        let nodes = self.dictionary_order();
        let count = self.dict_page.iter().max().map_or(1, |&m| m as usize + 1);
        let parts = if count > 1 {
            (0..count)
                .map(|k| NavVm {
                    id: format!("{}", k + 1),
                    label: format!("{}", k + 1),
                    href: self.link.page(&dictionary_file(k as u32)),
                })
                .collect()
        } else {
            Vec::new()
        };
        let entries = nodes
            .into_iter()
            .filter(|n| self.dict_page.get(n.index()).map_or(0, |&p| p as usize) == page)
            .map(|n| {
                let e = g.entity(n);
                DictEntryVm {
                    anchor: anchor_of(e.kind(), e.id().as_str()),
                    id: e.id().as_str().into(),
                    name: e.name().into(),
                    kind: e.kind().label().into(),
                    viewpoint: e.kind().viewpoint().into(),
                    lifecycle: lifecycle_str(e.lifecycle()),
                    description: e.description().unwrap_or_default().into(),
                    owner: self.owner(e),
                    uses: self.uses(n),
                }
            })
            .collect();
        DictionaryVm {
            entries,
            parts,
            part: page + 1,
        }
    }

    /// Where an entity is used: its relations, grouped and worded.
    fn uses(&self, n: NodeIndex) -> Vec<UseVm> {
        use EdgeKind::*;
        let is_system = self.g.entity(n).kind() == Kind::System;
        let out: [(EdgeKind, &str); 18] = [
            (Owns, "owns"),
            (Performs, "performs"),
            (Supports, "supports"),
            (Consumes, "needed by"),
            (Produces, "produces"),
            (Sends, "provides"),
            (Receives, "to"),
            (Carries, "carries"),
            (Serves, "serves"),
            (Masters, "system of record for"),
            (Holds, "holds a copy of"),
            (FlowsTo, if is_system { "sends via" } else { "to" }),
            (RoutesVia, "runs via"),
            (Realizes, "realizes"),
            (AppliesTo, "applies to"),
            (Measures, "measured by"),
            (ComputedFrom, "computed from"),
            (ComputedIn, "computed in"),
        ];
        let inc: [(EdgeKind, &str); 17] = [
            (Performs, "performed by"),
            (Supports, "supported by"),
            (Consumes, "needs"),
            (Produces, "produced by"),
            (Sends, "from"),
            (Receives, "receives"),
            (Carries, "carried by"),
            (Serves, "served by"),
            (Masters, "system of record"),
            (Holds, "copies in"),
            (FlowsTo, if is_system { "receives via" } else { "from" }),
            (RoutesVia, "routes"),
            (Realizes, "realized by"),
            (AppliesTo, "governed by"),
            (Measures, "measures"),
            (ComputedFrom, "feeds KPI"),
            (ComputedIn, "computes KPI"),
        ];
        let mut uses = Vec::new();
        for (kind, label) in inc {
            let links = self.links(self.g.inc(n, kind));
            if !links.is_empty() {
                uses.push(UseVm {
                    label: label.into(),
                    links,
                });
            }
        }
        for (kind, label) in out {
            let links = self.links(self.g.out(n, kind));
            if !links.is_empty() {
                uses.push(UseVm {
                    label: label.into(),
                    links,
                });
            }
        }
        let rel_out = self.links(self.g.out(n, RelatesTo));
        let rel_in = self.links(self.g.inc(n, RelatesTo));
        if !rel_out.is_empty() || !rel_in.is_empty() {
            let mut links = rel_out;
            links.extend(rel_in);
            links.dedup();
            uses.push(UseVm {
                label: "related to".into(),
                links,
            });
        }
        uses
    }

    // -----------------------------------------------------------------------
    // OV
    // -----------------------------------------------------------------------

    /// The operational page (diagrams are added by the caller).
    pub fn ov(&self, diagrams: Vec<DiagramVm>) -> OvVm {
        let g = self.g;
        let performers = g
            .nodes_of(Kind::Performer)
            .filter_map(|n| match g.entity(n) {
                Ref::Performer(p) => Some(PerformerVm {
                    link: self.node_link(n),
                    kind: words(&p.kind),
                    description: p.description.clone().unwrap_or_default(),
                    owner: self.owner(g.entity(n)),
                    activities: self.links(g.out(n, EdgeKind::Performs)),
                }),
                _ => None,
            })
            .collect();
        let activities = self
            .journey()
            .into_iter()
            .filter_map(|n| match g.entity(n) {
                Ref::Activity(a) => Some(ActivityVm {
                    link: self.node_link(n),
                    stage: words(&a.stage),
                    order: a.order,
                    performer: self.id_link(a.performer.as_str()),
                    inputs: self.links(g.inc(n, EdgeKind::Consumes)),
                    outputs: self.links(g.out(n, EdgeKind::Produces)),
                    systems: self.links(g.inc(n, EdgeKind::Supports)),
                    lifecycle: lifecycle_str(a.lifecycle),
                }),
                _ => None,
            })
            .collect();
        let exchanges = g
            .nodes_of(Kind::Exchange)
            .filter_map(|n| match g.entity(n) {
                Ref::Exchange(x) => Some(ExchangeVm {
                    link: self.node_link(n),
                    from: self.id_link(x.from.as_str()),
                    to: self.id_link(x.to.as_str()),
                    carries: self.links(g.out(n, EdgeKind::Carries)),
                    activity: x.activity.as_ref().and_then(|a| self.id_link(a.as_str())),
                    realized_by: self.links(g.inc(n, EdgeKind::Realizes)),
                    lifecycle: lifecycle_str(x.lifecycle),
                }),
                _ => None,
            })
            .collect();
        OvVm {
            diagrams,
            performers,
            activities,
            exchanges,
            ov3: self.ov3(),
        }
    }

    /// OV-3: performer × performer, cells list the exchanges and their data.
    fn ov3(&self) -> MatrixVm {
        let g = self.g;
        let mut cells: BTreeMap<(NodeIndex, NodeIndex), Vec<NodeIndex>> = BTreeMap::new();
        let mut from_set = BTreeSet::new();
        let mut to_set = BTreeSet::new();
        for x in g.nodes_of(Kind::Exchange) {
            for f in g.inc(x, EdgeKind::Sends) {
                for t in g.out(x, EdgeKind::Receives) {
                    cells.entry((f, t)).or_default().push(x);
                    from_set.insert(f);
                    to_set.insert(t);
                }
            }
        }
        let order = |set: &BTreeSet<NodeIndex>| -> Vec<NodeIndex> {
            g.nodes_of(Kind::Performer)
                .filter(|n| set.contains(n))
                .collect()
        };
        let (rows, cols) = (order(&from_set), order(&to_set));
        let head = MatrixVm {
            anchor: "ov-3".into(),
            title: "OV-3 Operational resource-flow matrix".into(),
            corner: "from ↓ / to →".into(),
            note: "Each cell lists the information exchanges (needlines) from the row's performer to the column's, with the data they carry.".into(),
            cols: Vec::new(),
            rows: Vec::new(),
            list_reason: None,
            print_chunks: Vec::new(),
        };
        let rows = self.flow_rows(&rows, &cols, &cells);
        matrix(head, self.links(cols.iter().copied()), rows)
    }

    // -----------------------------------------------------------------------
    // SV
    // -----------------------------------------------------------------------

    /// The systems page.
    pub fn sv(&self, diagrams: Vec<DiagramVm>) -> SvVm {
        let g = self.g;
        let anchors = self.finding_anchors();
        let systems = g
            .nodes_of(Kind::System)
            .filter_map(|n| match g.entity(n) {
                Ref::System(s) => Some(SystemVm {
                    findings: self.findings_about(s.id.as_str(), &anchors),
                    link: self.node_link(n),
                    kind: words(&s.kind),
                    vendor: s.vendor.clone().unwrap_or_default(),
                    owner: self.owner(g.entity(n)),
                    lifecycle: lifecycle_str(s.lifecycle),
                    records: self.links(g.out(n, EdgeKind::Masters)),
                    copies: self.links(g.out(n, EdgeKind::Holds)),
                }),
                _ => None,
            })
            .collect();
        let integrations = g
            .nodes_of(Kind::Integration)
            .filter_map(|n| match g.entity(n) {
                Ref::Integration(i) => Some(IntegrationVm {
                    link: self.node_link(n),
                    source: self.id_link(i.source.as_str()),
                    target: self.id_link(i.target.as_str()),
                    carries: self.links(g.out(n, EdgeKind::Carries)),
                    mechanism: words(&i.mechanism),
                    frequency: words(&i.frequency),
                    direction: words(&i.direction),
                    via: i.via.as_ref().and_then(|v| self.id_link(v.as_str())),
                    realizes: self.links(g.out(n, EdgeKind::Realizes)),
                    lifecycle: lifecycle_str(i.lifecycle),
                    active: g.integration_active(n, self.state),
                }),
                _ => None,
            })
            .collect();
        SvVm {
            diagrams,
            systems,
            integrations,
            sv5: self.sv5(),
            sv6: self.sv6(),
        }
    }

    /// SV-5: activity × system, ● where the system supports the activity.
    fn sv5(&self) -> MatrixVm {
        let g = self.g;
        let systems: Vec<NodeIndex> = g
            .nodes_of(Kind::System)
            .filter(|&s| g.out(s, EdgeKind::Supports).next().is_some())
            .collect();
        let col_index: BTreeMap<NodeIndex, usize> =
            systems.iter().enumerate().map(|(i, &c)| (c, i)).collect();
        let head = MatrixVm {
            anchor: "sv-5".into(),
            title: "SV-5 Activity × system traceability".into(),
            corner: "activity ↓ / system →".into(),
            note: "● the system supports the activity; a row without a mark is done by hand."
                .into(),
            cols: Vec::new(),
            rows: Vec::new(),
            list_reason: None,
            print_chunks: Vec::new(),
        };
        let rows = self
            .journey()
            .into_iter()
            .map(|a| {
                let sup: BTreeSet<usize> = g
                    .inc(a, EdgeKind::Supports)
                    .filter_map(|s| col_index.get(&s).copied())
                    .collect();
                let filled = sup
                    .into_iter()
                    .map(|i| {
                        (
                            i,
                            Cell {
                                mark: "●".into(),
                                class: "yes".into(),
                                title: "supports".into(),
                                items: vec![],
                            },
                        )
                    })
                    .collect();
                (self.node_link(a), filled)
            })
            .collect();
        matrix(head, self.links(systems.iter().copied()), rows)
    }

    /// SV-6: system × system, cells list the integrations and their data.
    fn sv6(&self) -> MatrixVm {
        let g = self.g;
        let mut cells: BTreeMap<(NodeIndex, NodeIndex), Vec<NodeIndex>> = BTreeMap::new();
        for i in g.nodes_of(Kind::Integration) {
            if let Some((s, t)) = g.ends(i) {
                cells.entry((s, t)).or_default().push(i);
            }
        }
        let sources: BTreeSet<NodeIndex> = cells.keys().map(|k| k.0).collect();
        let targets: BTreeSet<NodeIndex> = cells.keys().map(|k| k.1).collect();
        let rows: Vec<NodeIndex> = g
            .nodes_of(Kind::System)
            .filter(|n| sources.contains(n))
            .collect();
        let cols: Vec<NodeIndex> = g
            .nodes_of(Kind::System)
            .filter(|n| targets.contains(n))
            .collect();
        let head = MatrixVm {
            anchor: "sv-6".into(),
            title: "SV-6 Systems resource-flow matrix".into(),
            corner: "source ↓ / target →".into(),
            note: "Each cell lists the integrations from the row's system to the column's, with the data entities they carry (bidirectional integrations appear under their declared source).".into(),
            cols: Vec::new(),
            rows: Vec::new(),
            list_reason: None,
            print_chunks: Vec::new(),
        };
        let rows = self.flow_rows(&rows, &cols, &cells);
        matrix(head, self.links(cols.iter().copied()), rows)
    }

    /// The filled cells of a flow matrix (OV-3, SV-6): `cells` maps (row,
    /// column) to the flows between them (exchanges or integrations); each
    /// cell lists the flows and the data entities they carry.
    fn flow_rows(
        &self,
        rows: &[NodeIndex],
        cols: &[NodeIndex],
        cells: &BTreeMap<(NodeIndex, NodeIndex), Vec<NodeIndex>>,
    ) -> Vec<(Link, Vec<(usize, Cell)>)> {
        let g = self.g;
        let col_index: BTreeMap<NodeIndex, usize> =
            cols.iter().enumerate().map(|(i, &c)| (c, i)).collect();
        rows.iter()
            .map(|&r| {
                let filled = cells
                    .range((r, NodeIndex::new(0))..)
                    .take_while(|((f, _), _)| *f == r)
                    .filter_map(|((_, t), flows)| {
                        let mut items = Vec::new();
                        for &x in flows {
                            items.push(self.node_link(x));
                            items.extend(self.links(g.out(x, EdgeKind::Carries)));
                        }
                        Some((
                            *col_index.get(t)?,
                            Cell {
                                items,
                                ..Cell::default()
                            },
                        ))
                    })
                    .collect();
                (self.node_link(r), filled)
            })
            .collect()
    }

    // -----------------------------------------------------------------------
    // StdV
    // -----------------------------------------------------------------------

    /// The standards page.
    pub fn stdv(&self) -> StdvVm {
        let g = self.g;
        let mut groups: Vec<StandardGroupVm> = ["KPI", "data-quality rule", "regulation", "policy"]
            .iter()
            .map(|k| StandardGroupVm {
                kind: k.to_string(),
                standards: vec![],
            })
            .collect();
        let mut kpis = Vec::new();
        let mut compliance = Vec::new();
        let pii_entities: Vec<NodeIndex> = g
            .nodes_of(Kind::Entity)
            .filter(|&n| matches!(g.entity(n), Ref::Entity(e) if e.is_pii()))
            .collect();
        // Systems where any of `entities` is held or delivered by an
        // integration: the same reach the pii-exposure rule uses, so this
        // table and `check` agree.
        let flow = Flow::compute(g, self.state);
        let pii_holders = |entities: &[NodeIndex]| -> Vec<NodeIndex> {
            g.nodes_of(Kind::System)
                .filter(|&s| {
                    g.present(s, self.state) && entities.iter().any(|&e| flow.available(e, s))
                })
                .collect()
        };
        for n in g.nodes_of(Kind::Standard) {
            let Ref::Standard(s) = g.entity(n) else {
                continue;
            };
            let detail = match &s.kind {
                StandardKind::DataQuality { rule } => rule.clone(),
                StandardKind::Kpi { formula, unit, .. } => format!("{formula} ({unit})"),
                StandardKind::Regulation {
                    privacy,
                    jurisdiction,
                } => {
                    let mut d = jurisdiction.clone().unwrap_or_default();
                    if *privacy {
                        if !d.is_empty() {
                            d.push_str(", ");
                        }
                        d.push_str("privacy");
                    }
                    d
                }
                StandardKind::Policy { privacy } => {
                    if *privacy {
                        "privacy".into()
                    } else {
                        String::new()
                    }
                }
            };
            let applies: Vec<NodeIndex> = g.out(n, EdgeKind::AppliesTo).collect();
            let vm = StandardVm {
                link: self.node_link(n),
                detail,
                description: s.description.clone().unwrap_or_default(),
                applies_to: self.links(applies.iter().copied()),
                owner: self.owner(g.entity(n)),
                lifecycle: lifecycle_str(s.lifecycle),
            };
            if let Some(gr) = groups.iter_mut().find(|gr| gr.kind == s.kind.label()) {
                gr.standards.push(vm);
            }
            if let StandardKind::Kpi { formula, unit, .. } = &s.kind {
                kpis.push(KpiVm {
                    link: self.node_link(n),
                    formula: formula.clone(),
                    unit: unit.clone(),
                    sources: self.links(g.out(n, EdgeKind::ComputedFrom)),
                    computed_in: self.links(g.out(n, EdgeKind::ComputedIn)),
                    goals: self.links(g.inc(n, EdgeKind::Measures)),
                });
            }
            if s.kind.is_privacy() && s.lifecycle.present_in(self.state) {
                let listed_entities: Vec<NodeIndex> = applies
                    .iter()
                    .copied()
                    .filter(|&a| g.entity(a).kind() == Kind::Entity)
                    .collect();
                // a standard that lists entities covers only those
                let scope: Vec<NodeIndex> = if listed_entities.is_empty() {
                    pii_entities.clone()
                } else {
                    pii_entities
                        .iter()
                        .copied()
                        .filter(|e| listed_entities.contains(e))
                        .collect()
                };
                let systems: Vec<NodeIndex> = applies
                    .iter()
                    .copied()
                    .filter(|&a| g.entity(a).kind() == Kind::System)
                    .collect();
                let misses: Vec<NodeIndex> = pii_holders(&scope)
                    .into_iter()
                    .filter(|s| !systems.contains(s))
                    .collect();
                compliance.push(ComplianceVm {
                    link: self.node_link(n),
                    entities: self.links(scope),
                    systems: self.links(systems),
                    misses: self.links(misses),
                });
            }
        }
        groups.retain(|g| !g.standards.is_empty());
        let privacy_systems: BTreeSet<NodeIndex> = g
            .nodes_of(Kind::Standard)
            .filter(|&n| {
                matches!(g.entity(n), Ref::Standard(s) if s.kind.is_privacy() && s.lifecycle.present_in(self.state))
            })
            .flat_map(|n| g.out(n, EdgeKind::AppliesTo))
            .collect();
        let uncovered = pii_holders(&pii_entities)
            .into_iter()
            .filter(|s| !privacy_systems.contains(s));
        StdvVm {
            groups,
            kpis,
            compliance,
            uncovered: self.links(uncovered),
        }
    }

    // -----------------------------------------------------------------------
    // DIV
    // -----------------------------------------------------------------------

    /// The data page (`lineage`: per-entity lineage diagrams by entity id).
    pub fn div(
        &self,
        diagrams: Vec<DiagramVm>,
        lineage: BTreeMap<String, DiagramVm>,
        lineage_note: String,
    ) -> DivVm {
        let g = self.g;
        let anchors = self.finding_anchors();
        let entities = g
            .nodes_of(Kind::Entity)
            .filter_map(|n| match g.entity(n) {
                Ref::Entity(e) => Some(EntityVm {
                    findings: self.findings_about(e.id.as_str(), &anchors),
                    link: self.node_link(n),
                    classification: words(&e.classification),
                    pii: e.is_pii(),
                    description: e.description.clone().unwrap_or_default(),
                    owner: self.owner(g.entity(n)),
                    attributes: e
                        .attributes
                        .iter()
                        .map(|a| AttributeVm {
                            name: a.name.clone(),
                            ty: a.ty.clone().unwrap_or_default(),
                            key: a.key,
                            pii: a.pii,
                        })
                        .collect(),
                    relations: e
                        .relations
                        .iter()
                        .filter_map(|r| {
                            Some(RelationVm {
                                to: self.id_link(r.to.as_str())?,
                                cardinality: r.cardinality.label().into(),
                                label: r.label.clone().unwrap_or_default(),
                            })
                        })
                        .collect(),
                    lineage: lineage.get(e.id.as_str()).cloned(),
                }),
                _ => None,
            })
            .collect();
        DivVm {
            diagrams,
            entities,
            crud: self.crud(),
            lineage_note,
        }
    }

    /// Entity × system: R record, C copy, → received, ✗ needed but missing.
    fn crud(&self) -> MatrixVm {
        let g = self.g;
        let flow = Flow::compute(g, self.state);
        let systems: Vec<NodeIndex> = g.present_of(Kind::System, self.state).collect();
        let col_index: BTreeMap<NodeIndex, usize> =
            systems.iter().enumerate().map(|(i, &c)| (c, i)).collect();
        let rows = g
            .nodes_of(Kind::Entity)
            .map(|e| {
                let mut needed: BTreeSet<NodeIndex> = BTreeSet::new();
                for a in g.out(e, EdgeKind::Consumes) {
                    if g.present(a, self.state) {
                        needed.extend(g.inc(a, EdgeKind::Supports));
                    }
                }
                for k in g.inc(e, EdgeKind::ComputedFrom) {
                    if g.present(k, self.state) {
                        needed.extend(g.out(k, EdgeKind::ComputedIn));
                    }
                }
                let held: BTreeMap<NodeIndex, Role> = g
                    .inc(e, EdgeKind::Masters)
                    .map(|s| (s, Role::Record))
                    .chain(g.inc(e, EdgeKind::Holds).map(|s| (s, Role::Copy)))
                    .collect();
                let reach = &flow.of(e).reach;
                // Only systems that hold, receive or need the entity can
                // have a mark.
                let candidates: BTreeSet<NodeIndex> = held
                    .keys()
                    .copied()
                    .chain(reach.keys().copied())
                    .chain(needed.iter().copied())
                    .collect();
                let filled = candidates
                    .into_iter()
                    .filter_map(|s| {
                        let (mark, class, title) = match (held.get(&s), reach.get(&s)) {
                            (Some(Role::Record), _) => ("R", "record", "system of record"),
                            (Some(Role::Copy), _) => ("C", "copy", "holds a copy"),
                            (None, Some(Arrival::Received { .. })) => {
                                ("→", "received", "received by integration")
                            }
                            (None, _) if needed.contains(&s) => {
                                ("✗", "missing", "needed here but never delivered")
                            }
                            _ => return None,
                        };
                        Some((
                            *col_index.get(&s)?,
                            Cell {
                                mark: mark.into(),
                                class: class.into(),
                                title: title.into(),
                                items: vec![],
                            },
                        ))
                    })
                    .collect();
                (self.node_link(e), filled)
            })
            .collect();
        let head = MatrixVm {
            anchor: "div-crud".into(),
            title: "Data holding matrix (entity × system)".into(),
            corner: "entity ↓ / system →".into(),
            note: format!(
                "R system of record · C copy · → received through integrations · ✗ needed by an activity or KPI there but never delivered ({} state).",
                self.state
            ),
            cols: Vec::new(),
            rows: Vec::new(),
            list_reason: None,
            print_chunks: Vec::new(),
        };
        matrix(head, self.links(systems.iter().copied()), rows)
    }

    // -----------------------------------------------------------------------
    // Findings
    // -----------------------------------------------------------------------

    /// The findings page.
    pub fn findings(&self, diagrams: Vec<DiagramVm>) -> FindingsVm {
        let delta = PlanDelta::new(self.as_is, self.to_be);
        let mut rules: Vec<RuleFindingsVm> = Vec::new();
        for f in &self.to_be.findings {
            let vm = self.finding(f, delta.describe(&f.key()));
            match rules.iter_mut().find(|r| r.rule == f.rule) {
                Some(r) => r.findings.push(vm),
                None => rules.push(RuleFindingsVm {
                    rule: f.rule.into(),
                    anchor: format!("rule-{}", f.rule),
                    rationale: rule(f.rule).map(|r| r.rationale()).unwrap_or("").into(),
                    findings: vec![vm],
                }),
            }
        }
        let resolved = self
            .as_is
            .findings
            .iter()
            .filter(|f| delta.status(&f.key()) == PlanStatus::Resolved)
            .map(|f| self.finding(f, delta.describe(&f.key())))
            .collect();
        let allowed = self
            .to_be
            .suppressed
            .iter()
            .map(|s| AllowedVm {
                finding: self.finding(&s.finding, delta.describe(&s.finding.key())),
                reason: s.reason.clone(),
            })
            .collect();
        let mut page = FindingsVm {
            total: self.to_be.findings.len(),
            jump: JumpVm::default(),
            rules,
            resolved,
            allowed,
            diagrams,
        };
        self.anchor_findings(&mut page);
        page.jump = self.jump_list(&page);
        page
    }

    /// Gives every finding on the page a stable, unique anchor made from its
    /// key (`f-data-silo-unreachable-ticket-gainsight-score-health`; a
    /// second key that sanitises the same gets `-2`).
    fn anchor_findings(&self, page: &mut FindingsVm) {
        let anchors = self.finding_anchors();
        let all = page
            .rules
            .iter_mut()
            .flat_map(|r| r.findings.iter_mut())
            .chain(page.resolved.iter_mut())
            .chain(page.allowed.iter_mut().map(|a| &mut a.finding));
        for f in all {
            let anchor = anchors
                .get(&f.key)
                .cloned()
                .unwrap_or_else(|| finding_anchor(&f.key));
            f.href = self.link.anchor("findings", &anchor);
            f.anchor = anchor;
        }
    }

    /// Every finding's anchor by key, for the findings page and the pages
    /// that link to it: to-be findings, then as-is ones, then accepted
    /// ones, in the analyses' order; a key that sanitises like an earlier
    /// one gets `-2`, `-3`.
    fn finding_anchors(&self) -> BTreeMap<String, String> {
        unique_anchors(
            self.to_be
                .findings
                .iter()
                .chain(&self.as_is.findings)
                .chain(self.to_be.suppressed.iter().map(|s| &s.finding))
                .map(Finding::key),
        )
    }

    /// Links to the to-be findings about entity `id` (as their subject
    /// first, then as a related entity), at most [`ENTITY_FINDINGS`], and
    /// how many more there are. Text: the rule id.
    fn findings_about(&self, id: &str, anchors: &BTreeMap<String, String>) -> (Vec<Link>, usize) {
        let subject = self.to_be.findings.iter().filter(|f| f.subject.id == id);
        let related = self
            .to_be
            .findings
            .iter()
            .filter(|f| f.subject.id != id && f.related.iter().any(|e| e.id == id));
        let all: Vec<Link> = subject
            .chain(related)
            .map(|f| {
                let key = f.key();
                let anchor = anchors
                    .get(&key)
                    .cloned()
                    .unwrap_or_else(|| finding_anchor(&key));
                Link {
                    text: f.rule.to_string(),
                    id: key,
                    href: self.link.anchor("findings", &anchor),
                    lifecycle: String::new(),
                }
            })
            .collect();
        let more = all.len().saturating_sub(ENTITY_FINDINGS);
        (all.into_iter().take(ENTITY_FINDINGS).collect(), more)
    }

    /// The jump list at the top of the findings page: the to-be findings by
    /// severity, by rule and by what they are about (the
    /// [`JUMP_SUBJECTS`] most affected, then a count of the rest), each
    /// entry linking to its first finding (or rule section) with a count.
    fn jump_list(&self, page: &FindingsVm) -> JumpVm {
        let findings: Vec<&FindingVm> = page.rules.iter().flat_map(|r| &r.findings).collect();
        let mut levels: Vec<JumpLink> = Vec::new();
        for level in ["error", "warning", "info"] {
            let of: Vec<&&FindingVm> = findings.iter().filter(|f| f.level == level).collect();
            if let Some(first) = of.first() {
                levels.push(JumpLink {
                    text: level.into(),
                    href: first.href.clone(),
                    count: of.len(),
                });
            }
        }
        let rules = page
            .rules
            .iter()
            .map(|r| JumpLink {
                text: r.rule.clone(),
                href: self.link.anchor("findings", &r.anchor),
                count: r.findings.len(),
            })
            .collect();
        // subjects in order of first appearance, then by count (stable)
        let mut subjects: Vec<JumpLink> = Vec::new();
        let mut keys: Vec<String> = Vec::new();
        for f in &findings {
            let Some(s) = &f.subject else { continue };
            // one entry per entity (its dictionary link), not per name
            match keys.iter().position(|k| *k == s.href) {
                Some(i) => subjects[i].count += 1,
                None => {
                    keys.push(s.href.clone());
                    subjects.push(JumpLink {
                        text: s.text.clone(),
                        href: f.href.clone(),
                        count: 1,
                    });
                }
            }
        }
        subjects.sort_by_key(|j| std::cmp::Reverse(j.count));
        let subjects_more = subjects.len().saturating_sub(JUMP_SUBJECTS);
        subjects.truncate(JUMP_SUBJECTS);
        JumpVm {
            levels,
            rules,
            subjects,
            subjects_more,
        }
    }

    /// A finding's view-model; `plan` says what the plan does to it.
    fn finding(&self, f: &Finding, plan: String) -> FindingVm {
        FindingVm {
            rule: f.rule.into(),
            case: f.case.into(),
            level: f.level.as_str().into(),
            key: f.key(),
            plan,
            subject: self.id_link(&f.subject.id),
            related: f
                .related
                .iter()
                .filter_map(|e| self.id_link(&e.id))
                .collect(),
            related_more: f.related_more,
            message: f.message.clone(),
            fix: f.fix.clone(),
            rationale: rule(f.rule).map(|r| r.rationale()).unwrap_or("").into(),
            anchor: String::new(),
            href: String::new(),
        }
    }
}

/// Subjects the findings page's jump list names before it counts the rest.
pub const JUMP_SUBJECTS: usize = 30;

/// Findings a system or data entity row links to before it counts the rest.
pub const ENTITY_FINDINGS: usize = 6;

/// Anchors for finding keys ([`finding_anchor`]), in order: a key that
/// sanitises like an earlier one gets `-2`, `-3`; a repeated key keeps its
/// first anchor.
pub fn unique_anchors(keys: impl IntoIterator<Item = String>) -> BTreeMap<String, String> {
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut map: BTreeMap<String, String> = BTreeMap::new();
    for key in keys {
        if map.contains_key(&key) {
            continue;
        }
        let base = finding_anchor(&key);
        let mut anchor = base.clone();
        let mut n = 1;
        while !used.insert(anchor.clone()) {
            n += 1;
            anchor = format!("{base}-{n}");
        }
        map.insert(key, anchor);
    }
    map
}

/// A finding's anchor from its key: `f-` and the key's letters and digits,
/// every other run of characters one `-`.
pub fn finding_anchor(key: &str) -> String {
    let mut out = String::from("f-");
    for c in key.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') && out.len() > 2 {
        out.pop();
    }
    out
}
