//! Layered placement of one graph: components laid out one by one, packed
//! in shelves, transposed for left-right flow.

use super::*;

/// Lays out a graph (`sizes` per node, links between them) in local
/// coordinates with the top-left corner at (0, 0). Disconnected
/// components are packed towards `aspect` (width : height of the result).
pub(super) fn place_graph(
    sizes: &[(f64, f64)],
    links: &[Link],
    params: Params,
    budget: &mut usize,
) -> Placed {
    let (flow, aspect) = (params.flow, params.aspect);
    let n = sizes.len();
    if n == 0 {
        return Placed {
            routes: vec![Vec::new(); links.len()],
            ..Placed::default()
        };
    }
    // Everything below works top-down: a left-right layout is the
    // transposed top-down layout of the transposed boxes (exactly what
    // layout-rs does internally too).
    let lr = flow == Flow::LeftRight;
    let tsizes: Vec<(f64, f64)> = sizes
        .iter()
        .map(|&(w, h)| if lr { (h, w) } else { (w, h) })
        .collect();

    // Weakly connected components, numbered in order of their first node.
    let mut comp = vec![usize::MAX; n];
    let mut adj: Vec<Vec<usize>> = vec![Vec::new(); n];
    for l in links {
        adj[l.a].push(l.b);
        adj[l.b].push(l.a);
    }
    let mut ncomp = 0;
    for s in 0..n {
        if comp[s] != usize::MAX {
            continue;
        }
        comp[s] = ncomp;
        let mut stack = vec![s];
        while let Some(u) = stack.pop() {
            for &v in &adj[u] {
                if comp[v] == usize::MAX {
                    comp[v] = ncomp;
                    stack.push(v);
                }
            }
        }
        ncomp += 1;
    }
    let mut comp_nodes: Vec<Vec<usize>> = vec![Vec::new(); ncomp];
    let mut local = vec![0usize; n];
    for i in 0..n {
        local[i] = comp_nodes[comp[i]].len();
        comp_nodes[comp[i]].push(i);
    }
    let mut comp_links: Vec<Vec<usize>> = vec![Vec::new(); ncomp];
    for (li, l) in links.iter().enumerate() {
        comp_links[comp[l.a]].push(li);
    }

    let mut placed_comps: Vec<Placed> = Vec::with_capacity(ncomp);
    for c in 0..ncomp {
        let cs: Vec<(f64, f64)> = comp_nodes[c].iter().map(|&i| tsizes[i]).collect();
        let cl: Vec<Link> = comp_links[c]
            .iter()
            .map(|&li| Link {
                a: local[links[li].a],
                b: local[links[li].b],
                label_flow: links[li].label_flow,
                count: links[li].count,
            })
            .collect();
        let layered = place_component(&cs, &cl, budget);
        let grid = if params.grid {
            let ta = if lr { 1.0 / aspect } else { aspect };
            place_grid(&cs, &cl, &layered.centres, ta, params.gap, params.untangle)
        } else {
            None
        };
        placed_comps.push(grid.unwrap_or(layered));
    }

    // Components packed into each other's free space, towards the target
    // aspect (in the top-down space everything here works in).
    let aspect = if lr { 1.0 / aspect } else { aspect };
    let offsets = pack(
        &placed_comps,
        &comp_nodes,
        &comp_links,
        &tsizes,
        links,
        aspect,
    );

    let mut out = Placed {
        centres: vec![pt(0.0, 0.0); n],
        routes: vec![Vec::new(); links.len()],
        w: 0.0,
        h: 0.0,
    };
    let tr = |p: Point, o: Point| -> Point {
        let q = pt(p.x + o.x, p.y + o.y);
        if lr {
            pt(q.y, q.x)
        } else {
            q
        }
    };
    for c in 0..ncomp {
        let o = offsets[c];
        let p = &placed_comps[c];
        for (k, &i) in comp_nodes[c].iter().enumerate() {
            out.centres[i] = tr(p.centres[k], o);
        }
        for (k, &li) in comp_links[c].iter().enumerate() {
            out.routes[li] = p.routes[k].iter().map(|&q| tr(q, o)).collect();
        }
    }
    normalise(sizes, &mut out);
    out
}

/// Shifts a placed graph so its boxes and routes start at (0, 0) and sets
/// its extent.
pub(super) fn normalise(sizes: &[(f64, f64)], p: &mut Placed) {
    let (mut x0, mut y0) = (f64::INFINITY, f64::INFINITY);
    let (mut x1, mut y1) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
    for (c, &(w, h)) in p.centres.iter().zip(sizes) {
        x0 = x0.min(c.x - w / 2.0);
        y0 = y0.min(c.y - h / 2.0);
        x1 = x1.max(c.x + w / 2.0);
        y1 = y1.max(c.y + h / 2.0);
    }
    for q in p.routes.iter().flatten() {
        x0 = x0.min(q.x);
        y0 = y0.min(q.y);
        x1 = x1.max(q.x);
        y1 = y1.max(q.y);
    }
    if !x0.is_finite() || !y0.is_finite() {
        p.w = 0.0;
        p.h = 0.0;
        return;
    }
    for c in p.centres.iter_mut() {
        c.x -= x0;
        c.y -= y0;
    }
    for q in p.routes.iter_mut().flatten() {
        q.x -= x0;
        q.y -= y0;
    }
    p.w = x1 - x0;
    p.h = y1 - y0;
}

/// Lays out one connected component top-down.
pub(super) fn place_component(sizes: &[(f64, f64)], links: &[Link], budget: &mut usize) -> Placed {
    let n = sizes.len();
    if n == 0 {
        return Placed::default();
    }
    if n == 1 || links.is_empty() {
        // A single node (components are connected, so no links either).
        let mut p = Placed {
            centres: vec![pt(sizes[0].0 / 2.0, sizes[0].1 / 2.0)],
            routes: vec![Vec::new(); links.len()],
            ..Placed::default()
        };
        normalise(sizes, &mut p);
        return p;
    }
    let pairs: Vec<(usize, usize)> = links.iter().map(|l| (l.a, l.b)).collect();
    let rev = break_cycles(n, &pairs);
    let dag: Vec<(usize, usize)> = pairs
        .iter()
        .zip(&rev)
        .map(|(&(a, b), &r)| if r { (b, a) } else { (a, b) })
        .collect();
    let topo = topo_order(n, &dag);
    let ranks = sunk_ranks(n, &dag, longest_path_ranks(n, &dag, &topo));
    let cost = crossing_cost(&dag, &ranks);

    let mut layering = None;
    if cost <= *budget {
        *budget -= cost;
        layering = layout_rs_layering(n, &dag, &topo);
    }
    // Candidate layerings, each ordered; the one with the fewest crossings
    // wins (ties: the earlier): layout-rs's (when in budget), ours with
    // longest-path ranks and sources sunk, and ours with dot's minimal-span
    // network-simplex ranks. Minimal span alone is not always fewer
    // crossings (measured: better on 50-node views, worse on some 200-node
    // ones), hence the comparison.
    let mut best: Option<(Layering, usize)> = layering.map(best_order);
    for simplex in [false, true] {
        if best.as_ref().is_some_and(|b| b.1 == 0) {
            break;
        }
        let (l, c) = best_order(own_layering(n, &dag, &topo, simplex));
        if best.as_ref().is_none_or(|b| c < b.1) {
            best = Some((l, c));
        }
    }
    let Some((layering, _)) = best else {
        return Placed::default();
    };
    let (centres, mut routes) = coordinates(sizes, &layering);
    for (route, &r) in routes.iter_mut().zip(&rev) {
        if r {
            route.reverse();
        }
    }
    let mut p = Placed {
        centres,
        routes,
        w: 0.0,
        h: 0.0,
    };
    stretch_gaps(sizes, links, &mut p);
    normalise(sizes, &mut p);
    p
}

/// Most candidate coordinates per axis [`pack`] tries for one component.
const PACK_CANDIDATES: usize = 48;

/// Offsets for placed components: the largest first at (0, 0), then each
/// other one (largest first) at the free spot — clear of every box and
/// route already placed, by [`COMP_GAP`] — that keeps the bounding box
/// smallest for a frame of `aspect` (width : height), ties to the top, then
/// the left. So isolated nodes fill the holes a layered drawing leaves
/// (beside a short rank, under a long edge's end) instead of a column of
/// their own. Like Graphviz's `pack`, but on the actual boxes and routes
/// rather than bounding boxes. Deterministic; candidate positions are the
/// edges of what is placed, thinned to [`PACK_CANDIDATES`] per axis.
pub(super) fn pack(
    comps: &[Placed],
    comp_nodes: &[Vec<usize>],
    comp_links: &[Vec<usize>],
    sizes: &[(f64, f64)],
    links: &[Link],
    aspect: f64,
) -> Vec<Point> {
    let nc = comps.len();
    let mut offsets = vec![pt(0.0, 0.0); nc];
    if nc <= 1 {
        return offsets;
    }
    let aspect = if aspect.is_finite() && aspect > 0.0 {
        aspect
    } else {
        ASPECT
    };
    let mut order: Vec<usize> = (0..nc).collect();
    order.sort_by(|&a, &b| {
        let (pa, pb) = (&comps[a], &comps[b]);
        (pb.w * pb.h)
            .partial_cmp(&(pa.w * pa.h))
            .unwrap_or(Ordering::Equal)
            .then(a.cmp(&b))
    });
    // What a component occupies, in its own coordinates: its boxes, and its
    // routes as short pieces (a long diagonal's bounding box would block a
    // whole region).
    let shapes = |c: usize| -> Vec<Rect> {
        let p = &comps[c];
        let mut out: Vec<Rect> = comp_nodes[c]
            .iter()
            .zip(&p.centres)
            .map(|(&i, q)| {
                let (w, h) = sizes[i];
                rect(q.x - w / 2.0, q.y - h / 2.0, w, h)
            })
            .collect();
        for (k, &li) in comp_links[c].iter().enumerate() {
            let l = &links[li];
            let (Some(&ka), Some(&kb)) = (
                comp_nodes[c]
                    .iter()
                    .position(|&i| i == l.a)
                    .and_then(|k| p.centres.get(k)),
                comp_nodes[c]
                    .iter()
                    .position(|&i| i == l.b)
                    .and_then(|k| p.centres.get(k)),
            ) else {
                continue;
            };
            let mut line = vec![ka];
            line.extend(p.routes.get(k).into_iter().flatten().copied());
            line.push(kb);
            for w in line.windows(2) {
                let steps = (dist(w[0], w[1]) / 40.0).ceil().clamp(1.0, 200.0) as usize;
                for s in 0..steps {
                    let q = lerp(w[0], w[1], (s as f64 + 0.5) / steps as f64);
                    out.push(rect(q.x - 12.0, q.y - 12.0, 24.0, 24.0));
                }
            }
        }
        out
    };
    let first = order[0];
    let total: f64 = comps
        .iter()
        .map(|p| (p.w + COMP_GAP) * (p.h + COMP_GAP))
        .sum();
    let side = total.sqrt() * 2.0;
    let mut grid = RectGrid::new(
        rect(0.0, 0.0, side * aspect.max(1.0), side / aspect.min(1.0)),
        256,
    );
    let mut scratch = Vec::new();
    for r in shapes(first) {
        grid.insert(inflate(&r, COMP_GAP / 2.0));
    }
    let (mut bw, mut bh) = (comps[first].w, comps[first].h);
    let frame = |w: f64, h: f64| (w / aspect).max(h);
    for &c in &order[1..] {
        let own: Vec<Rect> = shapes(c)
            .into_iter()
            .map(|r| inflate(&r, COMP_GAP / 2.0))
            .collect();
        let (w, h) = (comps[c].w, comps[c].h);
        let mut xs: Vec<f64> = vec![0.0, bw + COMP_GAP];
        let mut ys: Vec<f64> = vec![0.0, bh + COMP_GAP];
        for r in &grid.rects {
            xs.push(r.x + r.w + COMP_GAP / 2.0);
            ys.push(r.y + r.h + COMP_GAP / 2.0);
            xs.push(r.x - COMP_GAP / 2.0 - w);
            ys.push(r.y - COMP_GAP / 2.0 - h);
        }
        let thin = |v: &mut Vec<f64>| {
            v.retain(|x| x.is_finite() && *x >= 0.0);
            v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(Ordering::Equal));
            v.dedup_by(|a, b| (*a - *b).abs() < 1.0);
            if v.len() > PACK_CANDIDATES {
                let step = v.len() as f64 / PACK_CANDIDATES as f64;
                let keep: Vec<f64> = (0..PACK_CANDIDATES)
                    .map(|i| v[(i as f64 * step) as usize])
                    .collect();
                *v = keep;
            }
        };
        thin(&mut xs);
        thin(&mut ys);
        let mut best: Option<(f64, f64, f64, f64)> = None;
        for &y in &ys {
            for &x in &xs {
                let cost = frame(bw.max(x + w), bh.max(y + h));
                if best.is_some_and(|(bc, by, bx, _)| (cost, y, x) >= (bc, by, bx)) {
                    continue;
                }
                let clear = own.iter().all(|o| {
                    let m = rect(o.x + x, o.y + y, o.w, o.h);
                    !grid.overlaps_any(&m, &mut scratch)
                });
                if clear {
                    best = Some((cost, y, x, 0.0));
                }
            }
        }
        let (x, y) = match best {
            Some((_, y, x, _)) => (x, y),
            None => (0.0, bh + COMP_GAP),
        };
        offsets[c] = pt(x, y);
        for o in &own {
            grid.insert(rect(o.x + x, o.y + y, o.w, o.h));
        }
        bw = bw.max(x + w);
        bh = bh.max(y + h);
    }
    offsets
}
