//! Coordinates: ranks as bands along the flow axis, positions across a rank
//! by isotonic regression towards the neighbours, gaps stretched for labels.

use super::*;

/// Coordinates and routes for a layering (top-down). Returns node centres
/// and, per DAG edge, the interior points of its route from its source to
/// its target.
#[allow(clippy::type_complexity)]
pub(super) fn coordinates(sizes: &[(f64, f64)], l: &Layering) -> (Vec<Point>, Vec<Vec<Point>>) {
    let n = l.n;
    let nv = l.num_vertices();
    let nranks = l.layers.len();
    let (vpred, vsucc) = l.adjacency();
    let is_dummy = |v: usize| v >= n;
    let vwidth = |v: usize| if v < n { sizes[v].0 } else { DUMMY_W };
    let mut pos = vec![0usize; nv];
    for layer in &l.layers {
        for (i, &v) in layer.iter().enumerate() {
            pos[v] = i;
        }
    }

    // Across ranks: pack, then pull every vertex towards the mean of its
    // neighbours (isotonic regression keeps order and gaps).
    let sep = |a: usize, b: usize| -> f64 {
        let gap = if is_dummy(a) || is_dummy(b) {
            DUMMY_GAP
        } else {
            NODE_GAP
        };
        (vwidth(a) + vwidth(b)) / 2.0 + gap
    };
    let mut x = vec![0.0f64; nv];
    for layer in &l.layers {
        let mut cur = 0.0;
        for (i, &v) in layer.iter().enumerate() {
            if i > 0 {
                cur += sep(layer[i - 1], v);
            }
            x[v] = cur;
        }
    }
    for it in 0..10 {
        let (down, up) = match it % 3 {
            0 => (true, false),
            1 => (false, true),
            _ => (true, true),
        };
        let rs: Vec<usize> = if up && !down {
            (0..nranks).rev().collect()
        } else {
            (0..nranks).collect()
        };
        for r in rs {
            let layer = &l.layers[r];
            if layer.is_empty() {
                continue;
            }
            let mut target = Vec::with_capacity(layer.len());
            let mut weight = Vec::with_capacity(layer.len());
            for &v in layer {
                let mut sum = 0.0;
                let mut cnt = 0.0;
                if down {
                    for &u in &vpred[v] {
                        sum += x[u];
                        cnt += 1.0;
                    }
                }
                if up {
                    for &u in &vsucc[v] {
                        sum += x[u];
                        cnt += 1.0;
                    }
                }
                if cnt > 0.0 {
                    target.push(sum / cnt);
                    // Dummies pull harder: long edges come out straight.
                    weight.push(if is_dummy(v) { 4.0 } else { 1.0 } * f64::sqrt(cnt));
                } else {
                    target.push(x[v]);
                    weight.push(0.25);
                }
            }
            let gaps: Vec<f64> = layer.windows(2).map(|w| sep(w[0], w[1])).collect();
            let xs = isotonic_with_gaps(&target, &weight, &gaps);
            for (&v, &xv) in layer.iter().zip(&xs) {
                x[v] = xv;
            }
        }
    }

    // Rank bands along the flow axis.
    let mut band_h = vec![0.0f64; nranks];
    for (&r, size) in l.vrank.iter().zip(sizes) {
        band_h[r] = band_h[r].max(size.1);
    }
    let mut band_top = vec![0.0f64; nranks];
    for r in 1..nranks {
        band_top[r] = band_top[r - 1] + band_h[r - 1] + RANK_GAP;
    }
    let centres: Vec<Point> = (0..n)
        .map(|v| pt(x[v], band_top[l.vrank[v]] + band_h[l.vrank[v]] / 2.0))
        .collect();

    // Routes: leave the upper end through the bottom of its rank band, pass
    // each skipped rank vertically at the dummy's position, enter the lower
    // end from the top of its band. Segments turn only in the gaps between
    // bands, which hold no boxes. Ports are spread along the box border in
    // the order of the other ends, so edges leaving one box do not cross.
    let bottom = |r: usize| band_top[r] + band_h[r];
    let m = l.chains.len();
    let mut out_port = vec![0.0f64; m];
    let mut in_port = vec![0.0f64; m];
    let mut outs: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut ins: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, c) in l.chains.iter().enumerate() {
        outs[c[0]].push(i);
        ins[c[c.len() - 1]].push(i);
    }
    let spread =
        |list: &mut Vec<usize>, key: &dyn Fn(usize) -> f64, w: f64, ports: &mut Vec<f64>| {
            list.sort_by(|&p, &q| key(p).total_cmp(&key(q)).then(p.cmp(&q)));
            let k = list.len();
            if k < 2 {
                return;
            }
            let step = (12.0f64).min((w - 16.0).max(0.0) / (k - 1) as f64);
            for (j, &i) in list.iter().enumerate() {
                ports[i] = (j as f64 - (k - 1) as f64 / 2.0) * step;
            }
        };
    for v in 0..n {
        let next_x = |i: usize| x[l.chains[i][1]];
        spread(&mut outs[v], &next_x, sizes[v].0, &mut out_port);
        let prev_x = |i: usize| x[l.chains[i][l.chains[i].len() - 2]];
        spread(&mut ins[v], &prev_x, sizes[v].0, &mut in_port);
    }
    let routes: Vec<Vec<Point>> = l
        .chains
        .iter()
        .enumerate()
        .map(|(i, chain)| {
            let a = chain[0];
            let b = chain[chain.len() - 1];
            let mut pts = vec![pt(x[a] + out_port[i], bottom(l.vrank[a]))];
            for &dmy in &chain[1..chain.len() - 1] {
                let r = l.vrank[dmy];
                pts.push(pt(x[dmy], band_top[r]));
                pts.push(pt(x[dmy], bottom(r)));
            }
            pts.push(pt(x[b] + in_port[i], band_top[l.vrank[b]]));
            if l.flipped[i] {
                pts.reverse();
            }
            pts
        })
        .collect();
    (centres, routes)
}

/// Weighted least squares positions for a row: minimise Σ wᵢ(xᵢ − tᵢ)²
/// subject to xᵢ₊₁ − xᵢ ≥ gapᵢ (pool-adjacent-violators on the positions
/// with the cumulative gaps subtracted).
pub(super) fn isotonic_with_gaps(target: &[f64], weight: &[f64], gaps: &[f64]) -> Vec<f64> {
    let m = target.len();
    let mut offset = vec![0.0f64; m];
    for i in 1..m {
        offset[i] = offset[i - 1] + gaps[i - 1];
    }
    // Blocks: (weighted mean, total weight, count).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(m);
    for i in 0..m {
        let w = weight[i].max(1e-6);
        let mut cur = (target[i] - offset[i], w, 1usize);
        while let Some(&(pm, pw, pc)) = blocks.last() {
            if pm <= cur.0 {
                break;
            }
            blocks.pop();
            let tw = pw + cur.1;
            cur = ((pm * pw + cur.0 * cur.1) / tw, tw, pc + cur.2);
        }
        blocks.push(cur);
    }
    let mut out = Vec::with_capacity(m);
    for (mean, _, c) in blocks {
        for _ in 0..c {
            let i = out.len();
            out.push(mean + offset[i]);
        }
    }
    out
}

/// Widens the gaps between ranks so edge labels fit: each labelled link
/// asks for room in the gap nearest the middle of its span; the flow axis
/// is then stretched inside those gaps (ranks move rigidly, so boxes keep
/// their shape and never overlap).
pub(super) fn stretch_gaps(sizes: &[(f64, f64)], links: &[Link], p: &mut Placed) {
    if links.iter().all(|l| l.label_flow <= 0.0) {
        return;
    }
    let n = sizes.len();
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|&a, &b| p.centres[a].y.total_cmp(&p.centres[b].y).then(a.cmp(&b)));
    // Rows: boxes whose centres share a y (both engines centre each rank).
    let mut bands: Vec<(f64, f64)> = Vec::new();
    let mut row_y = f64::NEG_INFINITY;
    for &i in &idx {
        let c = p.centres[i];
        let (top, bot) = (c.y - sizes[i].1 / 2.0, c.y + sizes[i].1 / 2.0);
        match bands.last_mut() {
            Some(b) if c.y - row_y <= 1.0 => {
                b.0 = b.0.min(top);
                b.1 = b.1.max(bot);
            }
            _ => {
                bands.push((top, bot));
                row_y = c.y;
            }
        }
    }
    // Gaps between consecutive bands (skipped where bands overlap).
    let gaps: Vec<Option<(f64, f64)>> = bands
        .windows(2)
        .map(|w| {
            if w[1].0 > w[0].1 {
                Some((w[0].1, w[1].0))
            } else {
                None
            }
        })
        .collect();
    let mut need = vec![0.0f64; gaps.len()];
    for l in links {
        if l.label_flow <= 0.0 {
            continue;
        }
        let (ya, yb) = (p.centres[l.a].y, p.centres[l.b].y);
        let (lo, hi) = (ya.min(yb), ya.max(yb));
        let mid = (lo + hi) / 2.0;
        let mut best: Option<(f64, usize)> = None;
        for (k, g) in gaps.iter().enumerate() {
            if let Some((g0, g1)) = *g {
                if g0 >= lo && g1 <= hi {
                    let dd = ((g0 + g1) / 2.0 - mid).abs();
                    if best.is_none_or(|(bd, _)| dd < bd) {
                        best = Some((dd, k));
                    }
                }
            }
        }
        if let Some((_, k)) = best {
            need[k] = need[k].max(l.label_flow + 2.0 * LABEL_CLEAR);
        }
    }
    let extra: Vec<f64> = gaps
        .iter()
        .zip(&need)
        .map(|(g, &nd)| match g {
            Some((g0, g1)) => (nd - (g1 - g0)).max(0.0).ceil(),
            None => 0.0,
        })
        .collect();
    if extra.iter().all(|&e| e == 0.0) {
        return;
    }
    let map = |y: f64| -> f64 {
        let mut acc = 0.0;
        for (g, &e) in gaps.iter().zip(&extra) {
            let Some((g0, g1)) = *g else { continue };
            if y >= g1 {
                acc += e;
            } else {
                if y > g0 {
                    acc += e * (y - g0) / (g1 - g0);
                }
                break;
            }
        }
        y + acc
    };
    for c in p.centres.iter_mut() {
        c.y = map(c.y);
    }
    for q in p.routes.iter_mut().flatten() {
        q.y = map(q.y);
    }
}
