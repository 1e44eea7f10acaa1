//! revarch's benchmark table (`cargo bench --bench table -- [OPTIONS]`).
//!
//! Three sections, all in one process so the numbers are comparable:
//!
//! - **stages**: for each scale (a synthetic model from `revarch::gen`, made
//!   in memory), the median time and the peak heap of every pipeline stage:
//!   parse, load (parse + validate), graph, flow + network per state, each
//!   rule, each view's build / layout / SVG, and the whole HTML report.
//!   Peak heap is measured by a counting global allocator: the most memory
//!   the stage held above what was live when it started.
//! - **layout**: for SV-1 and SV-2 of each scale, revarch's layout + SVG
//!   (in process) side by side with Graphviz `dot -Tsvg` on the same view's
//!   DOT export (`render --format dot`; whole `dot` process), the ratio
//!   revarch / dot, and the edge crossings of both drawings (ours from the
//!   positioned edges, dot's from `dot -Tjson`'s splines, sampled) counted
//!   by the same function (`revarch::render::crossings`).
//! - **legibility**: every drawing `revarch render` writes for each view of
//!   each model (each part of a split view too), measured by
//!   `revarch::render::quality` fitted to a 1920×1080 slide, for three
//!   engines on the same graph with the same node sizes: revarch; Graphviz
//!   dot (`dot -Tjson` on the DOT export with every node `fixedsize` at our
//!   box size and edge labels at our font size; its geometry read back into
//!   a `Layout` of the same diagram: y flipped, splines sampled, label boxes
//!   of our size at dot's label position); ELK layered (elkjs, run by
//!   `node bench/elk.js` once for all drawings on `export::to_elk_json`:
//!   orthogonal routing, label sizes, groups as compound nodes with
//!   `INCLUDE_CHILDREN`). Every drawing gets the same page around it
//!   (title, legend, footer: `page::page_size`), so only the engines differ.
//!
//! Options: `--scales S,M,L` (names S, M, L, XL or a number of systems),
//! `--layout-scales 50,200,1000,models,…` (a path is a model of yours:
//! all its views are compared), `--runs N` (median of N, default 5;
//! a stage slower than 2 s runs fewer times, see `runs_for`), `--dot PATH`
//! (default `dot` on PATH; `--no-dot` to skip), `--dot-timeout SECS`
//! (default 60), `--legibility models,examples,S,M,PATH` (default
//! `models`; `examples`: every model under examples/ that loads without
//! errors; `--no-legibility` to skip), `--elk FILE` (default
//! `bench/elk.js`, which loads elkjs from `bench/.elk`, where `bench/run.sh`
//! installs it; `--no-elk` to skip), `--node PATH` (default `node`),
//! `--elk-timeout SECS` (the whole ELK batch, default 600),
//! `--legibility-svg DIR` (each engine's drawing of each view, drawn by
//! revarch's SVG writer, for looking at),
//! `--only stages|check|layout|legibility` (`check`: the stages up to
//! the analysis), `--json FILE` (rows for
//! `bench/results.py`). Without options (as `cargo bench` runs it) it
//! measures S and M only (legibility: the bundled model), so a plain
//! `cargo bench` stays short.

use std::alloc::{GlobalAlloc, Layout as AllocLayout, System};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use revarch::analysis::{analyse, Context, RULES, RULE_IDS};
use revarch::gen::{generate, GenOptions};
use revarch::graph::export::dot_text;
use revarch::graph::Graph;
use revarch::model::{self, State};
use revarch::render::crossings::{count_crossings, layout_crossings, Polyline};
use revarch::render::diagram::{metrics, Diagram, Layout as DLayout, Point, Rect};
use revarch::render::quality::{self, Drawing, Quality, SLIDE};
use revarch::render::split::DEFAULT_MAX_NODES;
use revarch::render::text::{label_size, node_size};
use revarch::render::{export, layout, render_view_with, svg, views, Sizing, Theme, View};
use revarch::report;
use serde_json::{json, Value};

// ------------------------------------------------------------ allocator

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: AllocLayout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: AllocLayout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: AllocLayout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: AllocLayout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grow(new_size - layout.size());
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

fn grow(n: usize) {
    let now = LIVE.fetch_add(n, Ordering::Relaxed) + n;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

#[global_allocator]
static ALLOC: Counting = Counting;

// ------------------------------------------------------------ measuring

/// Median seconds and peak heap (bytes above the live heap at the start)
/// of `runs` calls of `f`; the value of the last call.
fn measure<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, usize, T) {
    let mut times = Vec::new();
    let mut peak = 0;
    let mut last = None;
    for _ in 0..runs.max(1) {
        drop(last.take());
        let base = LIVE.load(Ordering::Relaxed);
        PEAK.store(base, Ordering::Relaxed);
        let t = Instant::now();
        let v = std::hint::black_box(f());
        times.push(t.elapsed().as_secs_f64());
        peak = peak.max(PEAK.load(Ordering::Relaxed).saturating_sub(base));
        last = Some(v);
    }
    times.sort_by(f64::total_cmp);
    let v = last.expect("at least one run");
    (times[times.len() / 2], peak, v)
}

/// Fewer repetitions for slow stages: a first run decides how many more fit
/// in about ten seconds (at least one, at most `runs`).
fn runs_for(first: f64, runs: usize) -> usize {
    if first <= 0.0 {
        return runs;
    }
    ((10.0 / first) as usize).clamp(1, runs)
}

fn adaptive<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, usize, usize, T) {
    let (first, _, _) = measure(1, &mut f);
    let n = runs_for(first, runs);
    let (t, peak, v) = measure(n, f);
    (t, peak, n, v)
}

// ------------------------------------------------------------ arguments

struct Args {
    scales: Vec<(String, usize)>,
    layout_scales: Vec<(String, usize)>,
    runs: usize,
    dot: Option<String>,
    dot_timeout: f64,
    stages: bool,
    layout: bool,
    /// Stages up to the analysis only (what `check` runs).
    check_only: bool,
    json: Option<PathBuf>,
    /// Whether to measure legibility, and of which models.
    legibility_on: bool,
    legibility: String,
    /// `bench/elk.js` (None: ELK not run).
    elk: Option<PathBuf>,
    node: String,
    elk_timeout: f64,
    /// Write every engine's drawing, drawn by revarch's SVG writer, here.
    legibility_svg: Option<PathBuf>,
}

fn scale(s: &str) -> Result<(String, usize), String> {
    let named = match s {
        "S" => Some(30),
        "M" => Some(300),
        "L" => Some(3_000),
        "XL" => Some(30_000),
        _ => None,
    };
    match named {
        Some(n) => Ok((s.to_string(), n)),
        // A model folder or file (layout section only): systems 0.
        None if Path::new(s).exists() => Ok((s.to_string(), 0)),
        None => s
            .parse::<usize>()
            .map(|n| (n.to_string(), n))
            .map_err(|_| format!("unknown scale `{s}` (S, M, L, XL or a number of systems)")),
    }
}

fn scales(list: &str) -> Result<Vec<(String, usize)>, String> {
    list.split(',')
        .filter(|s| !s.is_empty())
        .map(scale)
        .collect()
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        scales: scales("S,M")?,
        layout_scales: scales("S,M")?,
        runs: 5,
        dot: Some("dot".into()),
        dot_timeout: 60.0,
        stages: true,
        layout: true,
        check_only: false,
        json: None,
        legibility_on: true,
        legibility: "models".into(),
        elk: Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/elk.js")),
        node: "node".into(),
        elk_timeout: 600.0,
        legibility_svg: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            // passed by `cargo bench`
            "--bench" => {}
            "--scales" => {
                a.scales = scales(&value()?)?;
                if a.scales.iter().any(|s| s.1 == 0) {
                    return Err("--scales: S, M, L, XL or a number of systems".into());
                }
            }
            "--layout-scales" => a.layout_scales = scales(&value()?)?,
            "--runs" => a.runs = value()?.parse().map_err(|_| "--runs: a number")?,
            "--dot" => a.dot = Some(value()?),
            "--no-dot" => a.dot = None,
            "--dot-timeout" => {
                a.dot_timeout = value()?.parse().map_err(|_| "--dot-timeout: seconds")?
            }
            "--only" => match value()?.as_str() {
                "stages" => {
                    a.layout = false;
                    a.legibility_on = false;
                }
                "check" => {
                    a.layout = false;
                    a.legibility_on = false;
                    a.check_only = true;
                }
                "layout" => {
                    a.stages = false;
                    a.legibility_on = false;
                }
                "legibility" => {
                    a.stages = false;
                    a.layout = false;
                }
                other => {
                    return Err(format!(
                        "--only: stages, check, layout or legibility, not `{other}`"
                    ))
                }
            },
            "--legibility" => a.legibility = value()?,
            "--no-legibility" => a.legibility_on = false,
            "--elk" => a.elk = Some(PathBuf::from(value()?)),
            "--no-elk" => a.elk = None,
            "--legibility-svg" => a.legibility_svg = Some(PathBuf::from(value()?)),
            "--node" => a.node = value()?,
            "--elk-timeout" => {
                a.elk_timeout = value()?.parse().map_err(|_| "--elk-timeout: seconds")?
            }
            "--json" => a.json = Some(PathBuf::from(value()?)),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(a)
}

// ------------------------------------------------------------ stages

struct Row {
    scale: String,
    stage: String,
    seconds: f64,
    peak: usize,
    runs: usize,
    note: String,
}

fn model_files(systems: usize) -> Vec<(&'static str, String)> {
    generate(&GenOptions { systems, seed: 1 })
}

const VIEWS: [View; 5] = [View::Ov2, View::Ov5b, View::Sv1, View::Sv2, View::Div2];

fn stages(name: &str, systems: usize, runs: usize, check_only: bool, rows: &mut Vec<Row>) {
    let files = model_files(systems);
    let texts: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let bytes: usize = texts.iter().map(|(_, t)| t.len()).sum();
    let mut row = |stage: &str, (seconds, peak, runs): (f64, usize, usize), note: String| {
        eprintln!(
            "  {name:>5} {stage:<28} {:>10.2} ms {:>9.1} MB",
            seconds * 1e3,
            mb(peak)
        );
        rows.push(Row {
            scale: name.to_string(),
            stage: stage.to_string(),
            seconds,
            peak,
            runs,
            note,
        });
    };

    let (t, p, n, _) = adaptive(runs, || model::load_texts(&texts));
    row(
        "parse",
        (t, p, n),
        format!("{:.1} MB of RON", bytes as f64 / 1e6),
    );
    let (t, p, n, loaded) = adaptive(runs, || model::read_texts(&texts, RULE_IDS));
    let entities = loaded.model.entities().count();
    row(
        "load (parse + validate)",
        (t, p, n),
        format!("{entities} entities"),
    );
    if loaded.has_errors() {
        eprintln!("  the generated model is invalid; stopping this scale");
        return;
    }
    let (t, p, n, g) = adaptive(runs, || Graph::build(&loaded.model));
    row(
        "graph",
        (t, p, n),
        format!(
            "{} nodes, {} edges",
            g.inner().node_count(),
            g.inner().edge_count()
        ),
    );
    for state in [State::AsIs, State::ToBe] {
        let (t, p, n, _) = adaptive(runs, || Context::new(&g, state));
        row(
            &format!("flow + network ({})", state_name(state)),
            (t, p, n),
            String::new(),
        );
    }
    let cx = Context::new(&g, State::ToBe);
    for rule in RULES {
        let (t, p, n, found) = adaptive(runs, || {
            let mut out = Vec::new();
            rule.check(&cx, &mut out);
            out.len()
        });
        row(
            &format!("rule {}", rule.id()),
            (t, p, n),
            format!("{found} findings (to-be)"),
        );
    }
    drop(cx);
    let (t, p, n, _) = adaptive(runs, || {
        (analyse(&g, State::AsIs), analyse(&g, State::ToBe))
    });
    row("analysis (both states)", (t, p, n), String::new());
    if check_only {
        return;
    }

    let to_be = analyse(&g, State::ToBe);
    for view in VIEWS {
        let opts = views::ViewOptions {
            state: State::ToBe,
            findings: matches!(view, View::Sv1 | View::Sv2).then_some(&to_be),
            flow: None,
        };
        let (t, p, n, d) = adaptive(runs, || views::build(&view, &g, &opts));
        let Some(d) = d else { continue };
        let id = view.id();
        row(
            &format!("{id} build"),
            (t, p, n),
            format!("{} nodes, {} edges", d.nodes.len(), d.edges.len()),
        );
        let (t, p, n, l) = adaptive(runs, || layout::layout(&d));
        row(
            &format!("{id} layout"),
            (t, p, n),
            format!("{:.0} × {:.0} px", l.width, l.height),
        );
        let (t, p, n, s) = adaptive(runs, || svg::to_svg(&d, &l, Theme::Light));
        row(
            &format!("{id} SVG"),
            (t, p, n),
            format!("{:.0} kB", s.len() as f64 / 1e3),
        );
        if d.nodes.len() > DEFAULT_MAX_NODES {
            // What `render` and `report` draw: split per group, each part laid out.
            let (t, p, n, drawn) = adaptive(runs, || {
                let v = render_view_with(
                    &view,
                    &g,
                    &opts,
                    revarch::render::Sizing::nodes(revarch::render::Fit::Slide, DEFAULT_MAX_NODES),
                )?;
                let bytes: usize = std::iter::once(&v.main)
                    .chain(v.parts.iter().map(|p| &p.rendered))
                    .map(|r| r.svg(Theme::Light).len())
                    .sum();
                Some((v.parts.len(), bytes))
            });
            let (parts, bytes) = drawn.unwrap_or_default();
            row(
                &format!("{id} drawn split (build + split + layout + SVG)"),
                (t, p, n),
                format!("overview + {parts} drawings, {:.0} kB", bytes as f64 / 1e3),
            );
        }
    }
    let opts = report::Options::default();
    let (t, p, n, site) = adaptive(runs, || report::build(&g, "bench", &opts));
    let note = match site {
        Ok(site) => format!(
            "{} files, {:.1} MB",
            site.files.len(),
            site.files.iter().map(|(_, b)| b.len()).sum::<usize>() as f64 / 1e6
        ),
        Err(e) => format!("failed: {e}"),
    };
    row("HTML report (all pages)", (t, p, n), note);
}

fn state_name(s: State) -> &'static str {
    match s {
        State::AsIs => "as-is",
        State::ToBe => "to-be",
    }
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

// ------------------------------------------------------------ layout vs dot

struct LayoutRow {
    scale: String,
    view: String,
    nodes: usize,
    edges: usize,
    ours: f64,
    ours_runs: usize,
    ours_crossings: usize,
    dot: Result<f64, String>,
    dot_runs: usize,
    dot_crossings: Result<usize, String>,
}

fn layout_vs_dot(name: &str, systems: usize, a: &Args, tmp: &Path, out: &mut Vec<LayoutRow>) {
    // A name that is not a scale is a model folder or file: every view of it.
    let (loaded, views) = if systems == 0 {
        let source = model::ModelSource::Path(PathBuf::from(name));
        (model::read(&source, RULE_IDS), VIEWS.to_vec())
    } else {
        let files = model_files(systems);
        let texts: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
        (
            model::read_texts(&texts, RULE_IDS),
            vec![View::Sv1, View::Sv2],
        )
    };
    if loaded.has_errors() {
        eprintln!("  the model {name} is invalid; skipping it");
        return;
    }
    let g = Graph::build(&loaded.model);
    let to_be = analyse(&g, State::ToBe);
    for view in views {
        let opts = views::ViewOptions {
            state: State::ToBe,
            findings: Some(&to_be),
            flow: None,
        };
        let Some(d) = views::build(&view, &g, &opts) else {
            continue;
        };
        let (ours, _, ours_runs, (l, _svg)) = adaptive(a.runs, || {
            let l = layout::layout(&d);
            let s = svg::to_svg(&d, &l, Theme::Light);
            (l, s)
        });
        let ours_crossings = layout_crossings(&d, &l);
        let (dot, dot_runs, dot_crossings) = match &a.dot {
            None => (Err("not run".to_string()), 0, Err("not run".to_string())),
            Some(dot) => run_dot(dot, &d, a, tmp),
        };
        eprintln!(
            "  {name:>5} {:<5} {:>5} nodes: revarch {:>8.1} ms, {} crossings; dot {}, {}",
            view.id(),
            d.nodes.len(),
            ours * 1e3,
            ours_crossings,
            match &dot {
                Ok(t) => format!("{:.1} ms", t * 1e3),
                Err(e) => e.clone(),
            },
            match &dot_crossings {
                Ok(c) => format!("{c} crossings"),
                Err(e) => e.clone(),
            }
        );
        out.push(LayoutRow {
            scale: name.to_string(),
            view: view.id(),
            nodes: d.nodes.len(),
            edges: d.edges.len(),
            ours,
            ours_runs,
            ours_crossings,
            dot,
            dot_runs,
            dot_crossings,
        });
    }
}

/// Times `dot -Tsvg` on the diagram's DOT (median; fewer runs when slow),
/// then counts the crossings of `dot -Tjson`'s drawing of it.
fn run_dot(
    dot: &str,
    d: &Diagram,
    a: &Args,
    tmp: &Path,
) -> (Result<f64, String>, usize, Result<usize, String>) {
    let file = tmp.join(format!("{}-{}.dot", d.view, d.nodes.len()));
    if let Err(e) = std::fs::write(&file, export::to_dot(d)) {
        return (Err(format!("cannot write DOT: {e}")), 0, Err("-".into()));
    }
    let timeout = Duration::from_secs_f64(a.dot_timeout);
    let mut times = Vec::new();
    let mut runs = a.runs;
    let mut i = 0;
    while i < runs {
        match timed(dot, &["-Tsvg", "-o", "/dev/null"], &file, timeout, tmp) {
            Ok(t) => times.push(t),
            Err(e) => return (Err(e), i, Err("-".into())),
        }
        if i == 0 {
            runs = runs_for(times[0], a.runs);
        }
        i += 1;
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    let json_out = tmp.join("dot.json");
    let crossings = timed(
        dot,
        &["-Tjson", "-o", &json_out.to_string_lossy()],
        &file,
        timeout,
        tmp,
    )
    .and_then(|_| std::fs::read_to_string(&json_out).map_err(|e| e.to_string()))
    .and_then(|text| dot_crossings(&text));
    (Ok(median), runs, crossings)
}

/// Runs `dot ARGS FILE` with a timeout; its seconds, or why it failed.
fn timed(
    dot: &str,
    args: &[&str],
    file: &Path,
    timeout: Duration,
    tmp: &Path,
) -> Result<f64, String> {
    let err_path = tmp.join("dot.stderr");
    let err = std::fs::File::create(&err_path).map_err(|e| e.to_string())?;
    let start = Instant::now();
    let mut child = Command::new(dot)
        .args(args)
        .arg(file)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(err)
        .spawn()
        .map_err(|e| format!("cannot run {dot}: {e}"))?;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                let t = start.elapsed().as_secs_f64();
                if status.success() {
                    return Ok(t);
                }
                let text = std::fs::read_to_string(&err_path).unwrap_or_default();
                let first = text
                    .lines()
                    .find(|l| l.contains("Error"))
                    .or_else(|| text.lines().next())
                    .unwrap_or("")
                    .trim()
                    .to_string();
                return Err(format!("dot failed ({status}): {first}"));
            }
            Ok(None) if start.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("> {:.0} s (stopped)", timeout.as_secs_f64()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(e) => return Err(e.to_string()),
        }
    }
}

/// The crossings of a `dot -Tjson` drawing: node boxes from `pos`/`width`/
/// `height`, each edge's B-spline (`pos`: optional `s,x,y`, control points,
/// optional `e,x,y` arrow tip) sampled into a polyline.
fn dot_crossings(text: &str) -> Result<usize, String> {
    let j: Value = serde_json::from_str(text).map_err(|e| format!("dot JSON: {e}"))?;
    let mut boxes: std::collections::BTreeMap<u64, Rect> = Default::default();
    for o in j["objects"].as_array().into_iter().flatten() {
        let (Some(id), Some(pos)) = (o["_gvid"].as_u64(), o["pos"].as_str()) else {
            continue;
        };
        if o.get("nodes").is_some() {
            continue;
        }
        let p = point(pos).ok_or("bad node pos")?;
        let inch = |k: &str| {
            o[k].as_str()
                .and_then(|s| s.parse::<f64>().ok())
                .unwrap_or(0.0)
                * 72.0
        };
        let (w, h) = (inch("width"), inch("height"));
        boxes.insert(
            id,
            Rect {
                x: p.x - w / 2.0,
                y: p.y - h / 2.0,
                w,
                h,
            },
        );
    }
    let far = Rect {
        x: f64::MIN,
        y: f64::MIN,
        w: 0.0,
        h: 0.0,
    };
    let mut lines: Vec<(Vec<Point>, [Rect; 2])> = Vec::new();
    for e in j["edges"].as_array().into_iter().flatten() {
        let ends = [
            e["tail"]
                .as_u64()
                .and_then(|i| boxes.get(&i).copied())
                .unwrap_or(far),
            e["head"]
                .as_u64()
                .and_then(|i| boxes.get(&i).copied())
                .unwrap_or(far),
        ];
        let Some(pos) = e["pos"].as_str() else {
            continue;
        };
        for spline in pos.split(';') {
            let (mut start, mut end, mut ctrl) = (None, None, Vec::new());
            for tok in spline.split_whitespace() {
                if let Some(rest) = tok.strip_prefix("e,") {
                    end = point(rest);
                } else if let Some(rest) = tok.strip_prefix("s,") {
                    start = point(rest);
                } else if let Some(p) = point(tok) {
                    ctrl.push(p);
                }
            }
            let mut poly: Vec<Point> = start.into_iter().collect();
            poly.extend(sample_bezier(&ctrl));
            poly.extend(end);
            lines.push((poly, ends));
        }
    }
    let polys: Vec<Polyline<'_>> = lines
        .iter()
        .map(|(p, ends)| Polyline {
            points: p,
            ends: *ends,
        })
        .collect();
    Ok(count_crossings(&polys))
}

fn point(s: &str) -> Option<Point> {
    let (x, y) = s.split_once(',')?;
    Some(Point {
        x: x.trim().parse().ok()?,
        y: y.trim().parse().ok()?,
    })
}

/// Samples a piecewise cubic Bézier (p0, then three points per piece) into
/// a polyline of 8 segments per piece.
fn sample_bezier(c: &[Point]) -> Vec<Point> {
    if c.len() < 4 {
        return c.to_vec();
    }
    let mut out = vec![c[0]];
    let mut i = 0;
    while i + 3 < c.len() {
        let (p0, p1, p2, p3) = (c[i], c[i + 1], c[i + 2], c[i + 3]);
        for s in 1..=8 {
            let t = s as f64 / 8.0;
            let u = 1.0 - t;
            let (a, b, cc, dd) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
            out.push(Point {
                x: a * p0.x + b * p1.x + cc * p2.x + dd * p3.x,
                y: a * p0.y + b * p1.y + cc * p2.y + dd * p3.y,
            });
        }
        i += 3;
    }
    out
}

// ------------------------------------------------------------ legibility

/// One drawing measured for one engine.
struct LegRow {
    model: String,
    view: String,
    nodes: usize,
    edges: usize,
    engine: &'static str,
    quality: Result<Quality, String>,
}

/// A drawing to measure: what `revarch render` draws for one view (or one
/// part of a split view).
struct Sheet {
    model: String,
    view: String,
    diagram: Diagram,
    layout: DLayout,
}

/// The models of `--legibility`: `models` (the bundled one), `examples`
/// (every model under examples/ that loads without errors), S/M/L/XL or a
/// number (generated), or a path.
fn legibility_sources(list: &str) -> Vec<(String, Option<PathBuf>, usize)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for item in list.split(',').filter(|s| !s.is_empty()) {
        match item {
            "models" => out.push(("models".to_string(), Some(root.join("models")), 0)),
            "examples" => {
                for p in example_models(&root.join("examples")) {
                    let name = p
                        .strip_prefix(root)
                        .map(|r| r.display().to_string())
                        .unwrap_or_else(|_| p.display().to_string());
                    out.push((name, Some(p), 0));
                }
            }
            other => match scale(other) {
                Ok((name, 0)) => out.push((name.clone(), Some(PathBuf::from(name)), 0)),
                Ok((name, n)) => out.push((name, None, n)),
                Err(e) => eprintln!("  legibility: {e}; skipped"),
            },
        }
    }
    out
}

/// Model files and folders under `dir`, sorted: every `.ron` file, every
/// folder holding `.ron` files, and those one level further down
/// (`examples/diff/before`).
fn example_models(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let entries = |d: &Path| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(d)
            .map(|r| r.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        v.sort();
        v
    };
    let has_ron = |d: &Path| {
        entries(d)
            .iter()
            .any(|p| p.is_file() && p.extension().is_some_and(|e| e == "ron"))
    };
    for p in entries(dir) {
        let ron_file = p.is_file() && p.extension().is_some_and(|e| e == "ron");
        if ron_file || (p.is_dir() && has_ron(&p)) {
            out.push(p);
        } else if p.is_dir() {
            out.extend(entries(&p).into_iter().filter(|q| q.is_dir() && has_ron(q)));
        }
    }
    out
}

fn legibility(a: &Args, tmp: &Path, rows: &mut Vec<LegRow>, skipped: &mut Vec<(String, String)>) {
    let mut sheets: Vec<Sheet> = Vec::new();
    for (name, path, systems) in legibility_sources(&a.legibility) {
        let loaded = match &path {
            Some(p) => model::read(&model::ModelSource::Path(p.clone()), RULE_IDS),
            None => {
                let files = model_files(systems);
                let texts: Vec<(&str, &str)> =
                    files.iter().map(|(n, t)| (*n, t.as_str())).collect();
                model::read_texts(&texts, RULE_IDS)
            }
        };
        if loaded.has_errors() {
            eprintln!("  legibility: the model {name} does not load without errors; skipped");
            skipped.push((name, "does not load without errors".into()));
            continue;
        }
        let g = Graph::build(&loaded.model);
        let to_be = analyse(&g, State::ToBe);
        let opts = views::ViewOptions {
            state: State::ToBe,
            findings: Some(&to_be),
            flow: None,
        };
        for view in VIEWS {
            // what `revarch render` draws by default (`--fit slide`)
            let Some(v) = render_view_with(&view, &g, &opts, Sizing::default()) else {
                continue;
            };
            let id = view.id();
            let main = if v.parts.is_empty() {
                id.clone()
            } else {
                format!("{id} (overview)")
            };
            sheets.push(Sheet {
                model: name.clone(),
                view: main,
                diagram: v.main.diagram,
                layout: v.main.layout,
            });
            for p in v.parts {
                sheets.push(Sheet {
                    model: name.clone(),
                    view: format!("{id}--{}", p.slug),
                    diagram: p.rendered.diagram,
                    layout: p.rendered.layout,
                });
            }
        }
    }
    eprintln!("  {} drawings", sheets.len());
    let elk = run_elk(a, &sheets, tmp);
    for (i, s) in sheets.iter().enumerate() {
        let d = &s.diagram;
        let row = |engine, quality| LegRow {
            model: s.model.clone(),
            view: s.view.clone(),
            nodes: d.nodes.len(),
            edges: d.edges.len(),
            engine,
            quality,
        };
        let draw = |engine: &str, l: &DLayout| {
            if let Some(dir) = &a.legibility_svg {
                let file = dir.join(format!(
                    "{}--{}--{engine}.svg",
                    file_safe(&s.model),
                    file_safe(&s.view)
                ));
                let written = std::fs::create_dir_all(dir)
                    .and_then(|_| std::fs::write(&file, svg::to_svg(d, l, Theme::Light)));
                if let Err(e) = written {
                    eprintln!("  cannot write {}: {e}", file.display());
                }
            }
            quality::measure(&Drawing::of(d, l), SLIDE)
        };
        let ours = draw("revarch", &s.layout);
        let dot = match &a.dot {
            None => Err("not run".to_string()),
            Some(dot) => dot_drawing(dot, d, a, tmp).map(|l| draw("dot", &l)),
        };
        let elk = match &elk {
            Err(e) => Err(e.clone()),
            Ok(results) => match results.get(&i) {
                None => Err("no result (stopped?)".to_string()),
                Some(Err(e)) => Err(e.clone()),
                Some(Ok(graph)) => elk_layout(graph, d).map(|l| draw("elk", &l)),
            },
        };
        let brief = |q: &Result<Quality, String>| match q {
            Ok(q) => format!(
                "{:.0}×{:.0} {:.1} px {} crossings",
                q.width,
                q.height,
                q.smallest_text_px.unwrap_or(0.0),
                q.crossings
            ),
            Err(e) => e.clone(),
        };
        eprintln!(
            "  {:<24} {:<40} revarch {} | dot {} | elk {}",
            s.model,
            s.view,
            brief(&Ok(ours)),
            brief(&dot),
            brief(&elk)
        );
        rows.push(row("revarch", Ok(ours)));
        rows.push(row("dot", dot));
        rows.push(row("elk", elk));
    }
}

/// The view's DOT export as Graphviz is asked to lay it out for the
/// comparison: every node with revarch's box size (`fixedsize`), edge
/// labels at revarch's edge font size, no graph title (the page adds it, as
/// for revarch's own drawing).
fn sized_dot(d: &Diagram) -> String {
    let dot = export::to_dot(d);
    let edge_default = dot
        .find("\n  edge [")
        .and_then(|at| dot[at + 1..].find('\n').map(|e| at + 1 + e + 1))
        .unwrap_or(0);
    let mut out = String::with_capacity(dot.len() + d.nodes.len() * 80);
    out.push_str(&dot[..edge_default]);
    out.push_str(&format!("  edge [fontsize={}];\n", metrics::EDGE));
    let body = dot[edge_default..].trim_end();
    let body = body.strip_suffix('}').unwrap_or(body);
    out.push_str(body);
    out.push_str("  graph [label=\"\"];\n");
    for n in &d.nodes {
        let (w, h) = node_size(n);
        out.push_str(&format!(
            "  \"{}\" [width={:.4}, height={:.4}, fixedsize=true];\n",
            dot_text(&n.key, "\\n"),
            w / 72.0,
            h / 72.0
        ));
    }
    out.push_str("}\n");
    out
}

/// dot's drawing of the view (`dot -Tjson` on [`sized_dot`]) as a layout
/// of the same diagram.
fn dot_drawing(dot: &str, d: &Diagram, a: &Args, tmp: &Path) -> Result<DLayout, String> {
    let file = tmp.join("legibility.dot");
    std::fs::write(&file, sized_dot(d)).map_err(|e| format!("cannot write DOT: {e}"))?;
    let json_out = tmp.join("legibility.json");
    timed(
        dot,
        &["-Tjson", "-o", &json_out.to_string_lossy()],
        &file,
        Duration::from_secs_f64(a.dot_timeout),
        tmp,
    )?;
    let text = std::fs::read_to_string(&json_out).map_err(|e| e.to_string())?;
    dot_layout(&text, d)
}

fn numbers(s: &str) -> Vec<f64> {
    s.split(',').filter_map(|v| v.trim().parse().ok()).collect()
}

/// A `dot -Tjson` drawing as a [`DLayout`] of `d` (y flipped to point down;
/// points are px as our node sizes were given in points): node boxes by
/// key, cluster `cluster_N` frames as group N, each edge (by its `id`) its
/// spline sampled into a polyline and its label box — revarch's label size
/// around dot's label position `lp`.
fn dot_layout(text: &str, d: &Diagram) -> Result<DLayout, String> {
    let j: Value = serde_json::from_str(text).map_err(|e| format!("dot JSON: {e}"))?;
    let bb = numbers(j["bb"].as_str().unwrap_or(""));
    let [x0, y0, x1, y1] = bb[..] else {
        return Err("dot JSON: no bb".into());
    };
    let flip = |p: Point| Point {
        x: p.x - x0,
        y: y1 - p.y,
    };
    let keys: BTreeMap<&str, usize> = d
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.key.as_str(), i))
        .collect();
    let mut l = DLayout {
        width: x1 - x0,
        height: y1 - y0,
        nodes: vec![Rect::default(); d.nodes.len()],
        edges: vec![Default::default(); d.edges.len()],
        groups: vec![Rect::default(); d.groups.len()],
        lanes: None,
    };
    for o in j["objects"].as_array().into_iter().flatten() {
        let name = o["name"].as_str().unwrap_or("");
        if o.get("nodes").is_some() || o.get("subgraphs").is_some() {
            let Some(gi) = name
                .strip_prefix("cluster_")
                .and_then(|s| s.parse::<usize>().ok())
            else {
                continue;
            };
            let cbb = numbers(o["bb"].as_str().unwrap_or(""));
            if let (&[cx0, cy0, cx1, cy1], Some(slot)) = (&cbb[..], l.groups.get_mut(gi)) {
                let top = flip(Point { x: cx0, y: cy1 });
                *slot = Rect {
                    x: top.x,
                    y: top.y,
                    w: cx1 - cx0,
                    h: cy1 - cy0,
                };
            }
            continue;
        }
        let (Some(&i), Some(pos)) = (keys.get(name), o["pos"].as_str().and_then(point)) else {
            continue;
        };
        let inch = |k: &str| {
            o[k].as_str()
                .and_then(|s| s.parse::<f64>().ok())
                .unwrap_or(0.0)
                * 72.0
        };
        let (w, h) = (inch("width"), inch("height"));
        let c = flip(pos);
        l.nodes[i] = Rect {
            x: c.x - w / 2.0,
            y: c.y - h / 2.0,
            w,
            h,
        };
    }
    let edge_keys: BTreeMap<&str, usize> = d
        .edges
        .iter()
        .enumerate()
        .map(|(i, e)| (e.key.as_str(), i))
        .collect();
    for e in j["edges"].as_array().into_iter().flatten() {
        let Some(&i) = e["id"].as_str().and_then(|k| edge_keys.get(k)) else {
            continue;
        };
        let mut poly: Vec<Point> = Vec::new();
        for spline in e["pos"].as_str().unwrap_or("").split(';') {
            let (mut start, mut end, mut ctrl) = (None, None, Vec::new());
            for tok in spline.split_whitespace() {
                if let Some(rest) = tok.strip_prefix("e,") {
                    end = point(rest);
                } else if let Some(rest) = tok.strip_prefix("s,") {
                    start = point(rest);
                } else if let Some(p) = point(tok) {
                    ctrl.push(p);
                }
            }
            poly.extend(start);
            poly.extend(sample_bezier_fine(&ctrl));
            poly.extend(end);
        }
        l.edges[i].points = poly.into_iter().map(flip).collect();
        let (w, h) = label_size(&d.edges[i].label);
        if w > 0.0 {
            if let Some(c) = e["lp"].as_str().and_then(point).map(flip) {
                l.edges[i].label = Some(Rect {
                    x: c.x - w / 2.0,
                    y: c.y - h / 2.0,
                    w,
                    h,
                });
            }
        }
    }
    Ok(l)
}

/// Runs `node bench/elk.js` once on every sheet's ELK JSON (a timeout for
/// the whole batch); the laid-out graph (or error) per sheet index.
#[allow(clippy::type_complexity)]
fn run_elk(
    a: &Args,
    sheets: &[Sheet],
    tmp: &Path,
) -> Result<BTreeMap<usize, Result<Value, String>>, String> {
    let Some(script) = &a.elk else {
        return Err("not run".into());
    };
    let mut jobs = Vec::with_capacity(sheets.len());
    for (i, s) in sheets.iter().enumerate() {
        let graph: Value = serde_json::from_str(&export::to_elk_json(&s.diagram))
            .map_err(|e| format!("ELK JSON: {e}"))?;
        jobs.push(json!({ "name": i, "graph": graph }));
    }
    let input = tmp.join("elk-in.json");
    let output = tmp.join("elk-out.jsonl");
    std::fs::write(&input, Value::Array(jobs).to_string()).map_err(|e| e.to_string())?;
    let err_path = tmp.join("elk.stderr");
    let err = std::fs::File::create(&err_path).map_err(|e| e.to_string())?;
    let start = Instant::now();
    let mut child = Command::new(&a.node)
        .arg(script)
        .arg(&input)
        .arg(&output)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(err)
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", a.node))?;
    let timeout = Duration::from_secs_f64(a.elk_timeout);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if start.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(e.to_string()),
        }
    };
    if let Some(status) = status {
        if !status.success() {
            let text = std::fs::read_to_string(&err_path).unwrap_or_default();
            return Err(format!(
                "elkjs failed ({status}): {}",
                text.lines().next().unwrap_or("").trim()
            ));
        }
    } else {
        eprintln!("  elkjs stopped after {:.0} s", timeout.as_secs_f64());
    }
    let mut out = BTreeMap::new();
    let text = std::fs::read_to_string(&output).unwrap_or_default();
    for line in text.lines() {
        let Ok(v) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let Some(i) = v["name"].as_u64().map(|i| i as usize) else {
            continue;
        };
        let r = match v["error"].as_str() {
            Some(e) => Err(format!("elkjs: {e}")),
            None => Ok(v["graph"].clone()),
        };
        out.insert(i, r);
    }
    Ok(out)
}

/// ELK's laid-out graph (root coordinates, see `to_elk_json`) as a
/// [`DLayout`] of `d`: `n{i}` boxes, `g{i}` frames, `e{i}` routes (its
/// sections' start, bend and end points) and label boxes.
fn elk_layout(graph: &Value, d: &Diagram) -> Result<DLayout, String> {
    let num = |v: &Value, k: &str| v[k].as_f64().unwrap_or(0.0);
    let rect = |v: &Value| Rect {
        x: num(v, "x"),
        y: num(v, "y"),
        w: num(v, "width"),
        h: num(v, "height"),
    };
    let pt = |v: &Value| Point {
        x: num(v, "x"),
        y: num(v, "y"),
    };
    let index = |id: &str, prefix: &str| id.strip_prefix(prefix)?.parse::<usize>().ok();
    let mut l = DLayout {
        width: num(graph, "width"),
        height: num(graph, "height"),
        nodes: vec![Rect::default(); d.nodes.len()],
        edges: vec![Default::default(); d.edges.len()],
        groups: vec![Rect::default(); d.groups.len()],
        lanes: None,
    };
    let mut stack = vec![graph];
    let mut laid = 0;
    while let Some(v) = stack.pop() {
        for c in v["children"].as_array().into_iter().flatten() {
            let id = c["id"].as_str().unwrap_or("");
            if let Some(slot) = index(id, "n").and_then(|i| l.nodes.get_mut(i)) {
                *slot = rect(c);
                laid += 1;
            } else if let Some(slot) = index(id, "g").and_then(|i| l.groups.get_mut(i)) {
                *slot = rect(c);
            }
            stack.push(c);
        }
        for e in v["edges"].as_array().into_iter().flatten() {
            let Some(path) = e["id"]
                .as_str()
                .and_then(|id| index(id, "e"))
                .and_then(|i| l.edges.get_mut(i))
            else {
                continue;
            };
            for s in e["sections"].as_array().into_iter().flatten() {
                path.points.push(pt(&s["startPoint"]));
                path.points
                    .extend(s["bendPoints"].as_array().into_iter().flatten().map(pt));
                path.points.push(pt(&s["endPoint"]));
            }
            path.label = e["labels"].as_array().and_then(|ls| ls.first()).map(rect);
        }
    }
    if laid != d.nodes.len() {
        return Err(format!("ELK placed {laid} of {} nodes", d.nodes.len()));
    }
    Ok(l)
}

fn opt(v: Option<f64>) -> String {
    v.map_or("–".into(), |v| format!("{v:.1}"))
}

/// Samples a piecewise cubic Bézier into a polyline with points at most
/// about 2 px apart, so that only a kink (a turn tighter than a radius of
/// about 6 px) lies more than 1 px off its neighbours' chord: the bends
/// `quality` counts on a curve are its kinks, not its sampling.
fn sample_bezier_fine(c: &[Point]) -> Vec<Point> {
    if c.len() < 4 {
        return c.to_vec();
    }
    let dist = |a: Point, b: Point| ((b.x - a.x).powi(2) + (b.y - a.y).powi(2)).sqrt();
    let mut out = vec![c[0]];
    let mut i = 0;
    while i + 3 < c.len() {
        let (p0, p1, p2, p3) = (c[i], c[i + 1], c[i + 2], c[i + 3]);
        let hull = dist(p0, p1) + dist(p1, p2) + dist(p2, p3);
        let n = ((hull / 2.0).ceil() as usize).clamp(8, 1024);
        for s in 1..=n {
            let t = s as f64 / n as f64;
            let u = 1.0 - t;
            let (a, b, cc, dd) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
            out.push(Point {
                x: a * p0.x + b * p1.x + cc * p2.x + dd * p3.x,
                y: a * p0.y + b * p1.y + cc * p2.y + dd * p3.y,
            });
        }
        i += 3;
    }
    out
}

/// File-safe name for a drawing's SVG (`--legibility-svg`).
fn file_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

// ------------------------------------------------------------ main

fn main() {
    // as the CLI: a caught layout-rs panic (the view falls back) stays quiet
    revarch::cli::quiet_layout_panics();
    let a = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("table: {e}");
            std::process::exit(2);
        }
    };
    let tmp = std::env::temp_dir().join(format!("revarch-bench-{}", std::process::id()));
    if let Err(e) = std::fs::create_dir_all(&tmp) {
        eprintln!("table: cannot create {}: {e}", tmp.display());
        std::process::exit(2);
    }
    let mut rows = Vec::new();
    if a.stages {
        eprintln!("stages (median of up to {} runs):", a.runs);
        for (name, n) in &a.scales {
            stages(name, *n, a.runs, a.check_only, &mut rows);
        }
    }
    let mut lrows = Vec::new();
    if a.layout {
        eprintln!("layout + SVG vs dot -Tsvg:");
        for (name, n) in &a.layout_scales {
            layout_vs_dot(name, *n, &a, &tmp, &mut lrows);
        }
    }
    let mut legrows = Vec::new();
    let mut skipped = Vec::new();
    if a.legibility_on {
        eprintln!("legibility (fitted to 1920×1080) — revarch, dot, ELK:");
        legibility(&a, &tmp, &mut legrows, &mut skipped);
    }
    let _ = std::fs::remove_dir_all(&tmp);

    print_markdown(&rows, &lrows, &legrows);
    if let Some(path) = &a.json {
        let doc = json!({
            "stages": rows.iter().map(|r| json!({
                "scale": r.scale, "stage": r.stage, "seconds": r.seconds,
                "peak_bytes": r.peak, "runs": r.runs, "note": r.note,
            })).collect::<Vec<_>>(),
            "layout": lrows.iter().map(|r| json!({
                "scale": r.scale, "view": r.view, "nodes": r.nodes, "edges": r.edges,
                "revarch_seconds": r.ours, "revarch_runs": r.ours_runs,
                "revarch_crossings": r.ours_crossings,
                "dot_seconds": r.dot.as_ref().ok(), "dot_error": r.dot.as_ref().err(),
                "dot_runs": r.dot_runs,
                "dot_crossings": r.dot_crossings.as_ref().ok(),
                "dot_crossings_error": r.dot_crossings.as_ref().err(),
            })).collect::<Vec<_>>(),
            "legibility": legrows.iter().map(leg_json).collect::<Vec<_>>(),
            "legibility_skipped": skipped.iter().map(|(m, why)| json!({
                "model": m, "reason": why,
            })).collect::<Vec<_>>(),
        });
        let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        if let Err(e) = std::fs::write(path, text) {
            eprintln!("table: cannot write {}: {e}", path.display());
            std::process::exit(2);
        }
    }
}

fn leg_json(r: &LegRow) -> Value {
    let mut v = json!({
        "model": r.model, "view": r.view, "nodes": r.nodes, "edges": r.edges,
        "engine": r.engine,
    });
    match &r.quality {
        Ok(q) => {
            v["quality"] = json!({
                "width": q.width, "height": q.height, "aspect": q.aspect,
                "fitted_scale": q.fitted_scale,
                "smallest_name_px": q.smallest_name_px,
                "smallest_text_px": q.smallest_text_px,
                "legible": q.legible(),
                "crossings": q.crossings, "bends": q.bends,
                "edges_through_boxes": q.edges_through_boxes,
                "edges_through_titles": q.edges_through_titles,
                "edges_through_foreign_frames": q.edges_through_foreign_frames,
                "labels_nearer_other_edge": q.labels_nearer_other_edge,
                "label_overlaps": q.label_overlaps,
                "score": quality::score(q, SLIDE),
            });
        }
        Err(e) => v["error"] = json!(e),
    }
    v
}

fn print_markdown(rows: &[Row], lrows: &[LayoutRow], legrows: &[LegRow]) {
    if !rows.is_empty() {
        println!("| scale | stage | median | peak heap | runs | note |");
        println!("|---|---|---:|---:|---:|---|");
        for r in rows {
            println!(
                "| {} | {} | {:.2} ms | {:.1} MB | {} | {} |",
                r.scale,
                r.stage,
                r.seconds * 1e3,
                mb(r.peak),
                r.runs,
                r.note
            );
        }
        println!();
    }
    if !lrows.is_empty() {
        println!("| scale | view | nodes | edges | revarch layout+SVG | dot -Tsvg | ratio | crossings revarch | crossings dot |");
        println!("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        for r in lrows {
            let (dot, ratio) = match &r.dot {
                Ok(t) => (format!("{:.1} ms", t * 1e3), format!("{:.2}", r.ours / t)),
                Err(e) => (e.clone(), "–".into()),
            };
            let dc = match &r.dot_crossings {
                Ok(c) => c.to_string(),
                Err(e) => e.clone(),
            };
            println!(
                "| {} | {} | {} | {} | {:.1} ms | {} | {} | {} | {} |",
                r.scale,
                r.view,
                r.nodes,
                r.edges,
                r.ours * 1e3,
                dot,
                ratio,
                r.ours_crossings,
                dc
            );
        }
    }
    if !legrows.is_empty() {
        println!();
        println!("| model | view | engine | nodes | size (px) | aspect | smallest name / text at 1920×1080 (px) | crossings | bends | through boxes | through titles | labels nearer another edge | label overlaps | across other groups |");
        println!("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for r in legrows {
            match &r.quality {
                Ok(q) => println!(
                    "| {} | {} | {} | {} | {:.0}×{:.0} | {:.2} | {} / {} | {} | {} | {} | {} | {} | {} | {} |",
                    r.model,
                    r.view,
                    r.engine,
                    r.nodes,
                    q.width,
                    q.height,
                    q.aspect,
                    opt(q.smallest_name_px),
                    opt(q.smallest_text_px),
                    q.crossings,
                    q.bends,
                    q.edges_through_boxes,
                    q.edges_through_titles,
                    q.labels_nearer_other_edge,
                    q.label_overlaps,
                    q.edges_through_foreign_frames
                ),
                Err(e) => println!(
                    "| {} | {} | {} | {} | {e} | | | | | | | | | |",
                    r.model, r.view, r.engine, r.nodes
                ),
            }
        }
    }
}
