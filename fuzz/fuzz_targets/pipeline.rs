//! `pipeline`: a structured model description (`arbitrary`) → RON text →
//! load + validate → (if valid) graph → analysis in both states → every view
//! (and two lineages) rendered, split above a fuzzed `max_nodes`, each
//! drawing checked with `render::layout::check_invariants` and written as
//! SVG (three themes), DOT and Mermaid → the HTML report built in memory →
//! a semantic diff against a mutated copy (text, Markdown, JSON, diff
//! drawings) and against itself (must be empty). Everything in memory.
//!
//! Ids come from small pools (`s0`…`s9`, `e0`…`e7`…) and references are
//! drawn from the ids that exist, so most inputs load clean and reach the
//! later stages; a few bytes values make a reference dangle or an id
//! repeat, so validation failures are exercised too.
#![no_main]

use std::sync::atomic::{AtomicUsize, Ordering};

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use revarch::analysis::{analyse, PlanDelta, RULE_IDS};
use revarch::diag::{render, JsonDiagnostic};
use revarch::diff::output::{to_json, to_markdown, to_text, DiffReport, SideInfo};
use revarch::diff::{compare, FindingStatus, Options as DiffOptions};
use revarch::graph::Graph;
use revarch::model::{read_texts, Loaded, State};
use revarch::render::diff::{diff_mermaid, render_diff};
use revarch::render::export::{to_dot, to_mermaid};
use revarch::render::layout::check_invariants;
use revarch::render::{render_view, Rendered, Theme, View};
use revarch::report;

const MAX_PERFORMERS: usize = 6;
const MAX_SYSTEMS: usize = 10;
const MAX_ENTITIES: usize = 8;
const MAX_INTEGRATIONS: usize = 14;
const MAX_ACTIVITIES: usize = 8;
const MAX_EXCHANGES: usize = 5;
const MAX_KPIS: usize = 3;
const MAX_LIST: usize = 4;

/// A reference: resolves to an existing id of its pool unless ≥ 250 (dangles).
#[derive(Arbitrary, Debug, Clone, Copy)]
struct R(u8);

/// A text: mostly from a pool of awkward strings, sometimes anything.
#[derive(Arbitrary, Debug, Clone)]
enum Txt {
    Pool(u8),
    Raw(String),
}

const TEXTS: &[&str] = &[
    "CRM",
    "Salesforce Sales Cloud",
    "",
    " ",
    "a",
    "<script>alert(1)</script>",
    "Tom & Jerry \"quoted\" 'single'",
    "line\nbreak",
    "tab\there",
    "back\\slash",
    "ÄÖÜ ß → ✓ 漢字 😀",
    "\u{202e}rtl override",
    "--> ]] }} {{ %} `code` @team #1 | pipe",
    "a very long name that goes on and on and on to force wrapping in boxes and labels ok",
    "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW",
    "\u{0}\u{1}\u{7f}",
];

impl Txt {
    fn get(&self) -> String {
        match self {
            Txt::Pool(i) => TEXTS[*i as usize % TEXTS.len()].to_string(),
            Txt::Raw(s) => s.chars().take(60).collect(),
        }
    }
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Life {
    Current,
    Planned,
    Retiring,
}

#[derive(Arbitrary, Debug, Clone)]
struct PerformerD {
    name: Txt,
    owner: Option<R>,
    kind: u8,
    dup: bool,
}

#[derive(Arbitrary, Debug, Clone)]
struct SystemD {
    name: Txt,
    owner: Option<R>,
    kind: u8,
    vendor: Option<Txt>,
    life: Life,
    holds: Vec<(R, bool)>,
    allow: Option<u8>,
}

#[derive(Arbitrary, Debug, Clone)]
struct IntegrationD {
    source: R,
    target: R,
    carries: Vec<R>,
    mechanism: u8,
    frequency: u8,
    both_ways: bool,
    via: Option<R>,
    realizes: Vec<R>,
    life: Life,
    owner: Option<R>,
}

#[derive(Arbitrary, Debug, Clone)]
struct EntityD {
    name: Txt,
    owner: Option<R>,
    classification: u8,
    attributes: Vec<(Txt, bool, bool)>,
    relations: Vec<(R, u8, Option<Txt>)>,
}

#[derive(Arbitrary, Debug, Clone)]
struct ActivityD {
    name: Txt,
    performer: R,
    stage: u8,
    order: u8,
    inputs: Vec<R>,
    outputs: Vec<R>,
    systems: Vec<R>,
    life: Life,
}

#[derive(Arbitrary, Debug, Clone)]
struct ExchangeD {
    from: R,
    to: R,
    carries: Vec<R>,
    activity: Option<R>,
    life: Life,
}

#[derive(Arbitrary, Debug, Clone)]
struct KpiD {
    from: Vec<R>,
    computed_in: Option<R>,
    privacy_applies_to: Vec<R>,
}

#[derive(Arbitrary, Debug, Clone)]
enum Mutation {
    RemoveIntegration(u8),
    RemoveSystem(u8),
    Lifecycle(u8, Life),
    AddIntegration(IntegrationD),
    RenameSystem(u8, Txt),
    RemoveHolding(u8),
    DropInputs(u8),
    Owner(u8, Option<R>),
    Setting(u8, u8),
}

#[derive(Arbitrary, Debug, Clone)]
struct Desc {
    name: Txt,
    performers: Vec<PerformerD>,
    systems: Vec<SystemD>,
    entities: Vec<EntityD>,
    integrations: Vec<IntegrationD>,
    activities: Vec<ActivityD>,
    exchanges: Vec<ExchangeD>,
    kpis: Vec<KpiD>,
    settings: Vec<(u8, u8)>,
    split_files: bool,
    max_nodes: u8,
    single_file_report: bool,
    detect_renames: bool,
    mutations: Vec<Mutation>,
}

fn s(t: &str) -> String {
    // The ron crate's serializer writes a string literal our reader must accept.
    ron::to_string(t).unwrap_or_else(|_| "\"\"".to_string())
}

fn ids(prefix: &str, n: usize, dups: &[bool]) -> Vec<String> {
    (0..n)
        .map(|i| {
            if i > 0 && dups.get(i).copied().unwrap_or(false) {
                format!("{prefix}{}", i - 1)
            } else {
                format!("{prefix}{i}")
            }
        })
        .collect()
}

fn pick(r: R, pool: &[String]) -> String {
    if pool.is_empty() || r.0 >= 250 {
        format!("missing-{}", r.0)
    } else {
        pool[r.0 as usize % pool.len()].clone()
    }
}

fn list(rs: &[R], pool: &[String]) -> String {
    let items: Vec<String> = rs
        .iter()
        .take(MAX_LIST)
        .map(|r| s(&pick(*r, pool)))
        .collect();
    format!("[{}]", items.join(", "))
}

fn life(l: Life) -> &'static str {
    match l {
        Life::Current => "current",
        Life::Planned => "planned",
        Life::Retiring => "retiring",
    }
}

fn of<'a>(v: &[&'a str], i: u8) -> &'a str {
    v[i as usize % v.len()]
}

const SYSTEM_KINDS: &[&str] = &[
    "crm",
    "marketing_automation",
    "sales_engagement",
    "cpq",
    "billing",
    "erp",
    "ipaas",
    "data_warehouse",
    "bi",
    "reverse_etl",
    "spreadsheet",
    "other",
];
const MECHANISMS: &[&str] = &[
    "native_connector",
    "api",
    "webhook",
    "ipaas",
    "batch_etl",
    "reverse_etl",
    "manual_export",
];
const FREQUENCIES: &[&str] = &[
    "real_time",
    "hourly",
    "daily",
    "weekly",
    "monthly",
    "on_demand",
];
const STAGES: &[&str] = &[
    "attract",
    "capture",
    "qualify",
    "opportunity",
    "close",
    "onboard",
    "adopt",
    "renew",
    "expand",
    "invoice",
    "collect",
    "support",
    "report",
];
const LEVELS: &[&str] = &["off", "info", "warning", "error"];

/// The model as RON: one whole-model file, or the five viewpoint files.
fn to_ron(d: &Desc) -> Vec<(&'static str, String)> {
    let np = d.performers.len().min(MAX_PERFORMERS);
    let ns = d.systems.len().min(MAX_SYSTEMS);
    let ne = d.entities.len().min(MAX_ENTITIES);
    let ni = d.integrations.len().min(MAX_INTEGRATIONS);
    let na = d.activities.len().min(MAX_ACTIVITIES);
    let nx = d.exchanges.len().min(MAX_EXCHANGES);
    let nk = d.kpis.len().min(MAX_KPIS);
    let perf_dups: Vec<bool> = d.performers.iter().map(|p| p.dup).collect();
    let p = ids("p", np, &perf_dups);
    let sy = ids("s", ns, &[]);
    let e = ids("e", ne, &[]);
    let a = ids("a", na, &[]);
    let x = ids("x", nx, &[]);

    let opt = |field: &str, r: Option<R>, pool: &[String]| match r {
        Some(r) => format!(", {field}: {}", s(&pick(r, pool))),
        None => String::new(),
    };

    let mut av = format!(
        "(name: {}, purpose: \"fuzz\", scope: \"fuzz\", plan_period: \"FY\"",
        s(&d.name.get())
    );
    if !d.settings.is_empty() {
        let rules: Vec<String> = d
            .settings
            .iter()
            .take(3)
            .map(|(r, l)| format!("{}: {}", s(of(RULE_IDS, *r)), of(LEVELS, *l)))
            .collect();
        av.push_str(&format!(", settings: (rules: {{{}}})", rules.join(", ")));
    }
    av.push(')');

    let mut ov = String::from("(performers: [");
    for (i, pd) in d.performers.iter().take(np).enumerate() {
        ov.push_str(&format!(
            "(id: {}, name: {}, kind: {}{}),\n",
            s(&p[i]),
            s(&pd.name.get()),
            of(&["team", "role", "external"], pd.kind),
            opt("owner", pd.owner, &p)
        ));
    }
    ov.push_str("], activities: [");
    for (i, ad) in d.activities.iter().take(na).enumerate() {
        ov.push_str(&format!(
            "(id: {}, name: {}, performer: {}, stage: {}, order: {}, inputs: {}, outputs: {}, systems: {}, lifecycle: {}),\n",
            s(&a[i]),
            s(&ad.name.get()),
            s(&pick(ad.performer, &p)),
            of(STAGES, ad.stage),
            ad.order,
            list(&ad.inputs, &e),
            list(&ad.outputs, &e),
            list(&ad.systems, &sy),
            life(ad.life)
        ));
    }
    ov.push_str("], exchanges: [");
    for (i, xd) in d.exchanges.iter().take(nx).enumerate() {
        ov.push_str(&format!(
            "(id: {}, name: \"X\", from: {}, to: {}, carries: {}, lifecycle: {}{}),\n",
            s(&x[i]),
            s(&pick(xd.from, &p)),
            s(&pick(xd.to, &p)),
            list(&xd.carries, &e),
            life(xd.life),
            opt("activity", xd.activity, &a)
        ));
    }
    ov.push_str("])");

    let mut sv = String::from("(systems: [");
    for (i, sd) in d.systems.iter().take(ns).enumerate() {
        let holds: Vec<String> = sd
            .holds
            .iter()
            .take(MAX_LIST)
            .map(|(r, rec)| {
                format!(
                    "(entity: {}, role: {})",
                    s(&pick(*r, &e)),
                    if *rec { "record" } else { "copy" }
                )
            })
            .collect();
        let allow = match sd.allow {
            Some(r) => format!(
                ", allow: [(rule: {}, reason: \"fuzz\")]",
                s(of(RULE_IDS, r))
            ),
            None => String::new(),
        };
        let vendor = match &sd.vendor {
            Some(v) => format!(", vendor: {}", s(&v.get())),
            None => String::new(),
        };
        sv.push_str(&format!(
            "(id: {}, name: {}, kind: {}, lifecycle: {}, holds: [{}]{}{}{}),\n",
            s(&sy[i]),
            s(&sd.name.get()),
            of(SYSTEM_KINDS, sd.kind),
            life(sd.life),
            holds.join(", "),
            opt("owner", sd.owner, &p),
            vendor,
            allow
        ));
    }
    sv.push_str("], integrations: [");
    for (i, id) in d.integrations.iter().take(ni).enumerate() {
        sv.push_str(&format!(
            "(id: \"i{i}\", name: \"I{i}\", source: {}, target: {}, carries: {}, mechanism: {}, frequency: {}, direction: {}, realizes: {}, lifecycle: {}{}{}),\n",
            s(&pick(id.source, &sy)),
            s(&pick(id.target, &sy)),
            list(&id.carries, &e),
            of(MECHANISMS, id.mechanism),
            of(FREQUENCIES, id.frequency),
            if id.both_ways { "bidirectional" } else { "one_way" },
            list(&id.realizes, &x),
            life(id.life),
            opt("via", id.via, &sy),
            opt("owner", id.owner, &p),
        ));
    }
    sv.push_str("])");

    let mut stdv = String::from("(standards: [");
    for (i, kd) in d.kpis.iter().take(nk).enumerate() {
        stdv.push_str(&format!(
            "(id: \"k{i}\", name: \"K\", kind: kpi(formula: \"f\", unit: \"%\", computed_from: {}{})),\n",
            list(&kd.from, &e),
            opt("computed_in", kd.computed_in, &sy)
        ));
        if !kd.privacy_applies_to.is_empty() {
            stdv.push_str(&format!(
                "(id: \"g{i}\", name: \"G\", kind: regulation(privacy: true), applies_to: {}),\n",
                list(&kd.privacy_applies_to, &sy)
            ));
        }
    }
    stdv.push_str("])");

    let mut div = String::from("(entities: [");
    for (i, ed) in d.entities.iter().take(ne).enumerate() {
        let attrs: Vec<String> = ed
            .attributes
            .iter()
            .take(MAX_LIST)
            .map(|(n, key, pii)| format!("(name: {}, key: {key}, pii: {pii})", s(&n.get())))
            .collect();
        let rels: Vec<String> = ed
            .relations
            .iter()
            .take(MAX_LIST)
            .map(|(r, c, l)| {
                let label = match l {
                    Some(l) => format!(", label: {}", s(&l.get())),
                    None => String::new(),
                };
                format!(
                    "(to: {}, cardinality: {}{label})",
                    s(&pick(*r, &e)),
                    of(
                        &["one_to_one", "one_to_many", "many_to_one", "many_to_many"],
                        *c
                    )
                )
            })
            .collect();
        div.push_str(&format!(
            "(id: {}, name: {}, classification: {}, attributes: [{}], relations: [{}]{}),\n",
            s(&e[i]),
            s(&ed.name.get()),
            of(
                &["public", "internal", "confidential", "pii"],
                ed.classification
            ),
            attrs.join(", "),
            rels.join(", "),
            opt("owner", ed.owner, &p)
        ));
    }
    div.push_str("])");

    if d.split_files {
        vec![
            ("av.ron", av),
            ("ov.ron", ov),
            ("sv.ron", sv),
            ("stdv.ron", stdv),
            ("div.ron", div),
        ]
    } else {
        vec![(
            "model.ron",
            format!("(av: {av}, ov: {ov}, sv: {sv}, stdv: {stdv}, div: {div})"),
        )]
    }
}

fn mutate(d: &Desc) -> Desc {
    let mut m = d.clone();
    for mu in d.mutations.iter().take(4) {
        let ns = m.systems.len().min(MAX_SYSTEMS);
        let ni = m.integrations.len().min(MAX_INTEGRATIONS);
        let na = m.activities.len().min(MAX_ACTIVITIES);
        match mu {
            Mutation::RemoveIntegration(i) if ni > 0 => {
                m.integrations.remove(*i as usize % ni);
            }
            Mutation::RemoveSystem(i) if ns > 0 => {
                // Later systems' ids shift: references to them change too.
                m.systems.remove(*i as usize % ns);
            }
            Mutation::Lifecycle(i, l) if ns > 0 => m.systems[*i as usize % ns].life = *l,
            Mutation::AddIntegration(new) => m.integrations.insert(0, new.clone()),
            Mutation::RenameSystem(i, t) if ns > 0 => m.systems[*i as usize % ns].name = t.clone(),
            Mutation::RemoveHolding(i) if ns > 0 => {
                m.systems[*i as usize % ns].holds.pop();
            }
            Mutation::DropInputs(i) if na > 0 => m.activities[*i as usize % na].inputs.clear(),
            Mutation::Owner(i, o) if ns > 0 => m.systems[*i as usize % ns].owner = *o,
            Mutation::Setting(r, l) => m.settings.push((*r, *l)),
            _ => {}
        }
    }
    m
}

fn load(files: &[(&'static str, String)]) -> Loaded {
    let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let loaded = read_texts(&refs, RULE_IDS);
    let _ = render(&loaded.diagnostics, &loaded.sources, false);
    for d in &loaded.diagnostics {
        let _ = JsonDiagnostic::new(d, &loaded.sources);
    }
    loaded
}

fn draw(r: &Rendered, what: &str) {
    count(3);
    let bad = check_invariants(&r.diagram, &r.layout);
    assert!(bad.is_empty(), "{what}: layout invariants broken: {bad:#?}");
    for theme in [Theme::Light, Theme::Dark, Theme::Print] {
        let _ = r.svg(theme);
    }
    let _ = to_dot(&r.diagram);
    let _ = to_mermaid(&r.diagram);
}

/// How far inputs got: runs, loaded clean, mutation loaded clean, drawings
/// checked. With `PIPELINE_STATS=1` printed every 1,000 runs, to see that
/// the description reaches the later stages (it is not a finding).
static STATS: [AtomicUsize; 4] = [const { AtomicUsize::new(0) }; 4];

fn count(stage: usize) {
    let n = STATS[stage].fetch_add(1, Ordering::Relaxed) + 1;
    if stage == 0 && n.is_multiple_of(1000) && std::env::var_os("PIPELINE_STATS").is_some() {
        let s: Vec<usize> = STATS.iter().map(|c| c.load(Ordering::Relaxed)).collect();
        eprintln!(
            "pipeline stats: runs {} valid {} mutated-valid {} drawings {}",
            s[0], s[1], s[2], s[3]
        );
    }
}

fn views(g: &Graph<'_>) -> Vec<View> {
    let mut v = View::DEFAULT.to_vec();
    for e in g.model.div.entities.iter().take(2) {
        v.push(View::Lineage(e.id.as_str().to_string()));
    }
    v
}

fuzz_target!(|d: Desc| {
    // libfuzzer-sys's hook aborts on every panic, even a caught one; a
    // layout-rs panic is caught by the library (the view falls back), so
    // wrap that hook as the CLI does (once; after libfuzzer-sys set it)
    revarch::cli::quiet_layout_panics();
    count(0);
    let files = to_ron(&d);
    let a = load(&files);
    if a.has_errors() {
        return;
    }
    count(1);
    let g = Graph::build(&a.model);
    let as_is = analyse(&g, State::AsIs);
    let to_be = analyse(&g, State::ToBe);
    let _ = PlanDelta::new(&as_is, &to_be);
    // the --max-nodes override (0: never split), so splitting is exercised
    // on small models; the default frame (a slide)
    let sizing = revarch::render::Sizing {
        max_nodes: Some(d.max_nodes as usize % 16),
        ..revarch::render::Sizing::default()
    };
    for state in State::ALL {
        for view in views(&g) {
            let Some(rv) = render_view(&view, &g, state, true, sizing) else {
                continue;
            };
            draw(&rv.main, &view.id());
            for part in &rv.parts {
                draw(&part.rendered, &format!("{} part {}", view.id(), part.slug));
            }
        }
    }
    let opts = report::Options {
        single_file: d.single_file_report,
        sizing,
        ..report::Options::default()
    };
    if let Err(e) = report::build(&g, "fuzz", &opts) {
        panic!("report with built-in templates failed: {e}");
    }

    // The same model read again is no change.
    let a2 = load(&files);
    let g2 = Graph::build(&a2.model);
    let same = compare(&g, &g2, DiffOptions::default());
    assert!(
        same.is_empty(),
        "model differs from itself: {:#?}",
        same.entities
    );
    assert!(
        same.findings_with(FindingStatus::Introduced)
            .next()
            .is_none()
            && same.findings_with(FindingStatus::Resolved).next().is_none(),
        "findings changed against itself"
    );

    let b_files = to_ron(&mutate(&d));
    let b = load(&b_files);
    if b.has_errors() {
        return;
    }
    count(2);
    let gb = Graph::build(&b.model);
    let diff = compare(
        &g,
        &gb,
        DiffOptions {
            detect_renames: d.detect_renames,
        },
    );
    let marks = diff.marks();
    let mermaid = diff_mermaid(&View::Sv2, &g, &gb, State::ToBe, &marks);
    let report = DiffReport {
        diff: &diff,
        old: SideInfo {
            label: "old",
            loaded: &a,
        },
        new: SideInfo {
            label: "new",
            loaded: &b,
        },
        fail_on_new: None,
        mermaid: Some(mermaid),
    };
    let _ = to_text(&report, false);
    let _ = to_markdown(&report);
    let _ = to_json(&report);
    for view in views(&gb) {
        if let Some(r) = render_diff(&view, &g, &gb, State::ToBe, &marks, "diff") {
            draw(&r, &format!("diff {}", view.id()));
        }
    }
});
