//! layout-rs, guarded: its layering and order read back from its DAG under
//! `catch_unwind`, a muted panic hook and a predicted-work budget.

use super::*;

/// A [`RenderBackend`] that only counts the arrows layout-rs draws (one per
/// edge we gave it: a cheap consistency check) and ignores everything else.
#[derive(Default)]
pub(super) struct Capture {
    pub(super) arrows: usize,
}

impl RenderBackend for Capture {
    fn draw_rect(
        &mut self,
        _xy: LPoint,
        _size: LPoint,
        _look: &StyleAttr,
        _properties: Option<String>,
        _clip: Option<ClipHandle>,
    ) {
    }
    fn draw_line(
        &mut self,
        _start: LPoint,
        _stop: LPoint,
        _look: &StyleAttr,
        _properties: Option<String>,
    ) {
    }
    fn draw_circle(
        &mut self,
        _xy: LPoint,
        _size: LPoint,
        _look: &StyleAttr,
        _properties: Option<String>,
    ) {
    }
    fn draw_text(&mut self, _xy: LPoint, _text: &str, _look: &StyleAttr) {}
    fn draw_arrow(
        &mut self,
        _path: &[(LPoint, LPoint)],
        _dashed: bool,
        _head: (bool, bool),
        _look: &StyleAttr,
        _properties: Option<String>,
        _text: &str,
    ) {
        self.arrows += 1;
    }
    fn create_clip(&mut self, _xy: LPoint, _size: LPoint, _rounded_px: usize) -> ClipHandle {
        0
    }
}

thread_local! {
    /// Whether this thread is inside a guarded call.
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

/// Whether the current thread is inside a guarded layout-rs call, whose
/// panic is caught and becomes a fallback layout. The library never
/// touches the process-wide panic hook: a program that wants those panics
/// silent installs a hook that asks this (the CLI does:
/// [`crate::cli::quiet_layout_panics`]).
pub fn in_guarded_call() -> bool {
    GUARDED.with(Cell::get)
}

/// Runs `f`, returning `None` if it panics (the thread is flagged for
/// [`in_guarded_call`] meanwhile).
pub(super) fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    let was = GUARDED.with(|g| g.replace(true));
    let r = panic::catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(was));
    r.ok()
}

/// What we read back from layout-rs: its ranks (rows, in order, dummies
/// included) and, per vertex, its successors.
pub(super) struct Rows {
    pub(super) rows: Vec<Vec<usize>>,
    pub(super) succ: Vec<Vec<usize>>,
    pub(super) arrows: usize,
}

/// Runs layout-rs's layered layout on an acyclic component and returns
/// its layering: ranks after its node sinking, dummy nodes, and the order
/// after its crossing reduction. `None` if it panicked or returned
/// something inconsistent.
pub(super) fn layout_rs_layering(
    n: usize,
    dag: &[(usize, usize)],
    topo: &[usize],
) -> Option<Layering> {
    let mut topo_pos = vec![0usize; n];
    for (k, &v) in topo.iter().enumerate() {
        topo_pos[v] = k;
    }
    // Feed edges sorted by the topological position of their source: when
    // layout-rs adds u→v it asks whether u is reachable from v, and v has no
    // outgoing edges yet, so that (otherwise exponential) search is O(1).
    let mut order: Vec<usize> = (0..dag.len()).collect();
    order.sort_by_key(|&i| (topo_pos[dag[i].0], topo_pos[dag[i].1], i));

    let out = guarded(|| {
        let mut vg = VisualGraph::new(Orientation::TopToBottom);
        // Its DAG verification re-runs an exponential reachability check
        // after every edge, even in release builds.
        vg.dag.set_validate(false);
        let handles: Vec<_> = (0..n)
            .map(|_| {
                // Sizes do not influence ranks or order (only its own x/y
                // placement, which we skip); element orientation is the
                // flipped graph orientation, as its DOT builder does.
                let el = Element::create(
                    ShapeKind::new_box(""),
                    StyleAttr::simple(),
                    Orientation::LeftToRight,
                    LPoint::new(10.0, 10.0),
                );
                vg.add_node(el)
            })
            .collect();
        for &i in &order {
            let (a, b) = dag[i];
            // No text: a labelled arrow becomes an extra rank-occupying
            // connector sized by the crate's own text guess. We make room
            // for labels ourselves (stretch_gaps).
            vg.add_edge(Arrow::simple(""), handles[a], handles[b]);
        }
        let mut cap = Capture::default();
        // disable_layout: skip its Brandes–Köpf x placement and edge fixing
        // (we place and route ourselves; its placement scheduler is the
        // part that can run for minutes, and draws 2–4× wider).
        vg.do_it(false, false, true, &mut cap);
        let rows: Vec<Vec<usize>> = vg
            .dag
            .ranks()
            .iter()
            .map(|row| row.iter().map(|h| h.get_index()).collect())
            .collect();
        let succ: Vec<Vec<usize>> = (0..vg.num_nodes())
            .map(|i| vg.succ(i.into()).iter().map(|h| h.get_index()).collect())
            .collect();
        Rows {
            rows,
            succ,
            arrows: cap.arrows,
        }
    })?;
    layering_from_rows(n, dag, out)
}

/// Checks and converts layout-rs's rows into a [`Layering`].
pub(super) fn layering_from_rows(n: usize, dag: &[(usize, usize)], out: Rows) -> Option<Layering> {
    let nv = out.succ.len();
    if out.arrows != dag.len() || nv < n {
        return None;
    }
    let layers: Vec<Vec<usize>> = out.rows.into_iter().filter(|r| !r.is_empty()).collect();
    let mut vrank = vec![usize::MAX; nv];
    for (r, row) in layers.iter().enumerate() {
        for &v in row {
            if v >= nv || vrank[v] != usize::MAX {
                return None;
            }
            vrank[v] = r;
        }
    }
    if vrank.contains(&usize::MAX) {
        return None;
    }
    // Chains: from every real node through dummies (exactly one successor
    // each) to the next real node.
    let mut by_ends: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for a in 0..n {
        for &s in &out.succ[a] {
            let mut chain = vec![a];
            let mut cur = s;
            while cur >= n {
                chain.push(cur);
                match out.succ.get(cur).map(Vec::as_slice) {
                    Some(&[next]) if chain.len() <= nv => cur = next,
                    _ => return None,
                }
            }
            chain.push(cur);
            if chain.windows(2).any(|w| vrank[w[1]] != vrank[w[0]] + 1) {
                return None;
            }
            if by_ends.insert((a, cur), chain).is_some() {
                return None;
            }
        }
    }
    let mut chains = Vec::with_capacity(dag.len());
    let mut flipped = Vec::with_capacity(dag.len());
    for &(a, b) in dag {
        if let Some(c) = by_ends.remove(&(a, b)) {
            chains.push(c);
            flipped.push(false);
        } else if let Some(c) = by_ends.remove(&(b, a)) {
            chains.push(c);
            flipped.push(true);
        } else {
            return None;
        }
    }
    if !by_ends.is_empty() {
        return None;
    }
    Some(Layering {
        n,
        layers,
        vrank,
        chains,
        flipped,
    })
}
