//! The grid of lanes × columns and its slots, and the choice of
//! arrangement (wrap, boxes side by side per column) by the fitted scale.

use super::*;

/// A side of a box.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Side {
    Left,
    Right,
    Top,
    Bottom,
}

/// How an edge is routed, in grid terms.
#[derive(Clone, Copy, Debug)]
pub(super) enum Plan {
    /// An end is out of range.
    Invalid,
    /// from == to.
    SelfLoop,
    /// Straight along a slot row; a jog in vertical gutter `v` if needed.
    Row { sa: Side, sb: Side, v: usize },
    /// Straight along a slot column; a jog in horizontal gap `h` if needed.
    Col { sa: Side, sb: Side, h: usize },
    /// Via vertical gutter `v1`, horizontal gap `h` (if any) and vertical
    /// gutter `v2` (= `v1` without `h`).
    Z {
        sa: Side,
        sb: Side,
        v1: usize,
        h: Option<usize>,
        v2: usize,
    },
}

/// The grid: lanes × columns, and the slots within. Vertical gutter `v`
/// lies left of slot column `v` (`v = ns`: right of the last); horizontal
/// gap `h` above slot row `h` (`h = nr`: below the last).
#[derive(Clone, Debug)]
pub(super) struct Grid {
    lane_of: Vec<usize>,
    col_of: Vec<usize>,
    /// Lanes drawn (groups, plus one for nodes without a group).
    pub(super) nl: usize,
    /// Columns drawn (the diagram's, plus one for nodes without a column).
    pub(super) nc: usize,
    /// Per column: first slot column and how many.
    pub(super) cslots: Vec<(usize, usize)>,
    /// Per lane: first slot row and how many.
    pub(super) lrows: Vec<(usize, usize)>,
    /// Slot columns and slot rows in all.
    pub(super) ns: usize,
    pub(super) nr: usize,
    /// Per node: (slot column, slot row).
    pub(super) slot: Vec<(usize, usize)>,
}

impl Grid {
    /// Whether vertical gutter `v` lies between two columns (or outside).
    pub(super) fn col_boundary(&self, v: usize) -> bool {
        v == self.ns || self.cslots.iter().any(|&(f, _)| f == v)
    }
    /// Whether horizontal gap `h` lies between two lanes (or outside).
    pub(super) fn lane_boundary(&self, h: usize) -> bool {
        h == self.nr || self.lrows.iter().any(|&(f, _)| f == h)
    }

    /// Sets the slots of every node: `kc[c]` boxes side by side in column
    /// `c`, the nodes of each cell in the given order (row by row).
    fn arrange(&mut self, cells: &BTreeMap<(usize, usize), Vec<usize>>, kc: &[usize]) {
        let k_of = |c: usize| kc.get(c).copied().unwrap_or(1).max(1);
        let mut rows = vec![1usize; self.nl];
        for (&(l, c), v) in cells {
            rows[l] = rows[l].max(v.len().div_ceil(k_of(c)));
        }
        self.cslots.clear();
        let mut s = 0;
        for c in 0..self.nc {
            self.cslots.push((s, k_of(c)));
            s += k_of(c);
        }
        self.ns = s;
        self.lrows.clear();
        let mut r = 0;
        for &k in &rows {
            self.lrows.push((r, k));
            r += k;
        }
        self.nr = r;
        for (&(l, c), v) in cells {
            self.place_cell(l, c, v);
        }
    }

    fn place_cell(&mut self, l: usize, c: usize, members: &[usize]) {
        let (f, k) = self.cslots[c];
        let r0 = self.lrows[l].0;
        for (idx, &i) in members.iter().enumerate() {
            self.slot[i] = (f + idx % k, r0 + idx / k);
        }
    }

    /// Widths of the slot columns and heights of the slot rows (the
    /// largest box in each).
    pub(super) fn slot_sizes(&self, sizes: &[(f64, f64)]) -> (Vec<f64>, Vec<f64>) {
        let mut sw = vec![0.0f64; self.ns];
        let mut rh = vec![0.0f64; self.nr];
        for (i, &(s, r)) in self.slot.iter().enumerate() {
            sw[s] = sw[s].max(sizes[i].0);
            rh[r] = rh[r].max(sizes[i].1);
        }
        (sw, rh)
    }

    /// Base widths of the vertical gutters and heights of the gaps.
    pub(super) fn base_gutters(&self) -> (Vec<f64>, Vec<f64>) {
        let vw = (0..=self.ns)
            .map(|v| {
                if self.col_boundary(v) {
                    COL_GAP
                } else {
                    SUB_GAP
                }
            })
            .collect();
        let hh = (0..=self.nr)
            .map(|h| {
                if h == 0 || h == self.nr {
                    LANE_PAD
                } else if self.lane_boundary(h) {
                    2.0 * LANE_PAD
                } else {
                    ROW_GAP
                }
            })
            .collect();
        (vw, hh)
    }

    /// Widens slot columns so that every column title fits its header cell
    /// (`col_need`), and slot rows so that every lane title fits its strip
    /// (`lane_need`).
    pub(super) fn stretch_for_titles(
        &self,
        (sw, vw): (&mut [f64], &[f64]),
        (rh, hh): (&mut [f64], &[f64]),
        col_need: &[f64],
        lane_need: &[f64],
    ) {
        for (c, &(f, k)) in self.cslots.iter().enumerate() {
            // a header spans from the middle of the gutters around the
            // column (from the lane titles for the first, to the end for
            // the last)
            let mut have = (vw[f] + vw[f + k]) / 2.0;
            if c == 0 {
                have += vw[f] / 2.0;
            }
            if c + 1 == self.nc {
                have += vw[f + k] / 2.0;
            }
            have += sw[f..f + k].iter().sum::<f64>() + vw[f + 1..f + k].iter().sum::<f64>();
            let need = col_need.get(c).copied().unwrap_or(0.0);
            if have < need && k > 0 {
                let add = (need - have) / k as f64;
                sw[f..f + k].iter_mut().for_each(|w| *w += add);
            }
        }
        for (l, &(f, k)) in self.lrows.iter().enumerate() {
            let mut have = if l == 0 { hh[f] } else { hh[f] / 2.0 };
            have += if l + 1 == self.nl {
                hh[f + k]
            } else {
                hh[f + k] / 2.0
            };
            have += rh[f..f + k].iter().sum::<f64>() + hh[f + 1..f + k].iter().sum::<f64>();
            let need = lane_need.get(l).copied().unwrap_or(0.0);
            if have < need && k > 0 {
                let add = (need - have) / k as f64;
                rh[f..f + k].iter_mut().for_each(|h| *h += add);
            }
        }
    }
}

/// Column of every node: its own, else the median column of its
/// neighbours, else an extra column at the right (`columns.len()`).
pub(super) fn columns_of(d: &Diagram, lanes: &Lanes, lane_of: &[usize]) -> Vec<usize> {
    let n = d.nodes.len();
    let nc0 = lanes.columns.len();
    let own: Vec<Option<usize>> = (0..n)
        .map(|i| lanes.column.get(i).copied().flatten().filter(|&c| c < nc0))
        .collect();
    let mut near: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in &d.edges {
        if e.from < n && e.to < n && e.from != e.to {
            if let Some(c) = own[e.to] {
                near[e.from].push(c);
            }
            if let Some(c) = own[e.from] {
                near[e.to].push(c);
            }
        }
    }
    let lane = |i: usize| lane_of.get(i).copied().unwrap_or(usize::MAX);
    let mut taken: BTreeSet<(usize, usize)> = (0..n)
        .filter_map(|i| own[i].map(|c| (lane(i), c)))
        .collect();
    // the median column of each placed neighbour; nodes without one
    // (pills of other groups, activities without a stage) in order of it
    let wanted: Vec<Option<usize>> = (0..n)
        .map(|i| {
            let v = &mut near[i];
            v.sort_unstable();
            (!v.is_empty()).then(|| v[(v.len() - 1) / 2])
        })
        .collect();
    let mut loose: Vec<usize> = (0..n).filter(|&i| own[i].is_none()).collect();
    loose.sort_by_key(|&i| (wanted[i].unwrap_or(usize::MAX), i));
    let mut col: Vec<usize> = own.iter().map(|c| c.unwrap_or(nc0)).collect();
    for i in loose {
        let Some(w) = wanted[i] else { continue };
        // the nearest column whose cell in the node's lane is still free
        // (stacking them in one column makes the drawing taller), else
        // the wanted one
        let c = (0..nc0)
            .filter(|&c| !taken.contains(&(lane(i), c)))
            .min_by_key(|&c| (c.abs_diff(w), c))
            .filter(|&c| c.abs_diff(w) <= 1)
            .unwrap_or(w);
        taken.insert((lane(i), c));
        col[i] = c;
    }
    col
}

/// Positions along one axis: gutter starts, slot starts, the end.
pub(super) fn positions(start: f64, slots: &[f64], gutters: &[f64]) -> (Vec<f64>, Vec<f64>, f64) {
    let mut g0 = Vec::with_capacity(gutters.len());
    let mut s0 = Vec::with_capacity(slots.len());
    let mut cur = start;
    for (i, &gw) in gutters.iter().enumerate() {
        g0.push(cur);
        cur += gw;
        if let Some(&sw) = slots.get(i) {
            s0.push(cur);
            cur += sw;
        }
    }
    (g0, s0, cur)
}

/// Everything fixed before routing: the grid with its arrangement, the
/// boxes' sizes and the titles.
pub(super) struct Setup<'a> {
    pub(super) d: &'a Diagram,
    /// The frame the arrangement is chosen for.
    pub(super) fit: Fit,
    /// Whether candidates may be compared by real layouts.
    pub(super) full: bool,
    pub(super) g: Grid,
    pub(super) cells: BTreeMap<(usize, usize), Vec<usize>>,
    /// Characters per line of node labels.
    pub(super) wrap: usize,
    pub(super) sizes: Vec<(f64, f64)>,
    pub(super) strip_w: f64,
    pub(super) header_h: f64,
    /// Room each lane title needs (height), each column title (width).
    pub(super) lane_need: Vec<f64>,
    pub(super) col_need: Vec<f64>,
}

impl<'a> Setup<'a> {
    pub(super) fn new(d: &'a Diagram, lanes: &Lanes, fit: Fit, full: bool) -> Setup<'a> {
        let n = d.nodes.len();
        let ng = d.groups.len();
        let lane_of: Vec<usize> = d
            .nodes
            .iter()
            .map(|nd| nd.group.filter(|&g| g < ng).unwrap_or(ng))
            .collect();
        let has_rest = lane_of.contains(&ng);
        let col_of = columns_of(d, lanes, &lane_of);
        let nc0 = lanes.columns.len();
        let extra_col = col_of.contains(&nc0);
        let g = Grid {
            nl: ng + usize::from(has_rest),
            nc: nc0 + usize::from(extra_col),
            lane_of,
            col_of,
            cslots: Vec::new(),
            lrows: Vec::new(),
            ns: 0,
            nr: 0,
            slot: vec![(0, 0); n],
        };
        let mut cells: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
        for i in 0..n {
            cells
                .entry((g.lane_of[i], g.col_of[i]))
                .or_default()
                .push(i);
        }
        let lane_titles: Vec<Vec<String>> = d
            .groups
            .iter()
            .map(|gr| lane_title_lines(&gr.label))
            .collect();
        let col_titles: Vec<Vec<String>> = lanes
            .columns
            .iter()
            .map(|c| column_title_lines(c))
            .collect();
        let strip_w = lane_titles
            .iter()
            .map(|t| title_size(t).0)
            .fold(0.0f64, f64::max)
            .max(if ng > 0 { metrics::MIN_WIDTH } else { 0.0 })
            .ceil();
        let mut lane_need: Vec<f64> = lane_titles.iter().map(|t| title_size(t).1).collect();
        lane_need.resize(g.nl, 0.0);
        let mut col_need: Vec<f64> = col_titles.iter().map(|t| title_size(t).0).collect();
        col_need.resize(g.nc, 0.0);
        let header_h = if g.nc > 0 {
            col_titles
                .iter()
                .map(|t| title_size(t).1)
                .fold(metrics::GROUP * metrics::LINE + 2.0 * TITLE_PAD, f64::max)
                .ceil()
        } else {
            0.0
        };
        let mut s = Setup {
            d,
            fit,
            full,
            g,
            cells,
            wrap: WRAP_CHARS,
            sizes: Vec::new(),
            strip_w,
            header_h,
            lane_need,
            col_need,
        };
        s.choose_arrangement();
        s
    }

    /// The text size (scale) the drawing keeps on the frame with these
    /// box sizes and this many boxes side by side per column, gutters at
    /// their base width.
    fn score(&mut self, sizes: &[(f64, f64)], kc: &[usize]) -> f64 {
        self.g.arrange(&self.cells, kc);
        let (mut sw, mut rh) = self.g.slot_sizes(sizes);
        let (vw, hh) = self.g.base_gutters();
        self.g.stretch_for_titles(
            (&mut sw, &vw),
            (&mut rh, &hh),
            &self.col_need,
            &self.lane_need,
        );
        let w = self.strip_w + sw.iter().sum::<f64>() + vw.iter().sum::<f64>() + 2.0 * MARGIN;
        let h = self.header_h + rh.iter().sum::<f64>() + hh.iter().sum::<f64>() + 2.0 * MARGIN;
        let probe = Layout {
            width: w,
            height: h,
            ..Layout::default()
        };
        let (pw, ph) = page_size(self.d, &probe);
        self.legibility(pw, ph)
    }

    /// The scale a page keeps in the frame, capped at the legibility
    /// target: once a page is legible, the natural arrangement (wrap 28,
    /// stacked) is as good as any.
    fn legibility(&self, pw: f64, ph: f64) -> f64 {
        self.fit.scale(pw, ph).min(self.fit.min_scale())
    }

    /// Chooses the label wrap and how many boxes sit side by side in each
    /// column (see the module doc), and arranges the grid so. Candidates
    /// come from the estimate of [`Setup::score`]; for diagrams of up to
    /// [`MEASURE_MAX`] nodes they are then compared by real layouts
    /// (tracks make gaps taller than the estimate knows), one step per
    /// column tried around the best.
    fn choose_arrangement(&mut self) {
        let nc = self.g.nc;
        if self.fit.frame().is_none() {
            let sizes: Vec<(f64, f64)> = self.d.nodes.iter().map(node_size).collect();
            self.apply(WRAP_CHARS, &vec![1; nc], &sizes);
            return;
        }
        let mut fullest = vec![1usize; nc];
        for (&(_, c), v) in &self.cells {
            fullest[c] = fullest[c].max(v.len());
        }
        let mut cands: Vec<Candidate> = Vec::new();
        let mut tried = BTreeSet::new();
        for wrap in WRAPS {
            let wrap = wrap.min(WRAP_CHARS);
            if !tried.insert(wrap) {
                continue;
            }
            let sizes: Vec<(f64, f64)> = self
                .d
                .nodes
                .iter()
                .map(|n| node_size_wrapped(n, wrap))
                .collect();
            let mut kc = vec![1usize; nc];
            let mut score = self.score(&sizes, &kc);
            loop {
                let mut step: Option<(f64, usize)> = None;
                for c in 0..nc {
                    if kc[c] >= fullest[c] {
                        continue;
                    }
                    kc[c] += 1;
                    let s = self.score(&sizes, &kc);
                    kc[c] -= 1;
                    if s > score * 1.001 && step.is_none_or(|(b, _)| s > b) {
                        step = Some((s, c));
                    }
                }
                match step {
                    Some((s, c)) => {
                        kc[c] += 1;
                        score = s;
                    }
                    None => break,
                }
            }
            cands.push((score, wrap, kc, sizes));
        }
        let measure = self.full && self.d.nodes.len() <= MEASURE_MAX;
        let mut best: Option<Candidate> = None;
        for (score, wrap, kc, sizes) in cands {
            let score = if measure {
                self.apply(wrap, &kc, &sizes);
                self.measured()
            } else {
                score
            };
            if std::env::var("LANES_DEBUG").is_ok() {
                eprintln!("wrap {wrap} kc {kc:?} est {score:.4}");
            }
            // a narrower wrap has to pay off
            if best.as_ref().is_none_or(|(b, ..)| score > b * WRAP_GAIN) {
                best = Some((score, wrap, kc, sizes));
            }
        }
        let Some((mut score, wrap, mut kc, sizes)) = best else {
            return;
        };
        if measure {
            for c in 0..nc {
                for k in [kc[c] + 1, kc[c].saturating_sub(1)] {
                    if k == 0 || k > fullest[c] || k == kc[c] {
                        continue;
                    }
                    let old = kc[c];
                    kc[c] = k;
                    self.apply(wrap, &kc, &sizes);
                    let s = self.measured();
                    if std::env::var("LANES_DEBUG").is_ok() {
                        eprintln!("  col {c} k {k}: {s:.4} vs {score:.4}");
                    }
                    if s > score * 1.001 {
                        score = s;
                        break;
                    }
                    kc[c] = old;
                }
            }
        }
        self.apply(wrap, &kc, &sizes);
    }

    fn apply(&mut self, wrap: usize, kc: &[usize], sizes: &[(f64, f64)]) {
        self.wrap = wrap;
        self.sizes = sizes.to_vec();
        self.g.arrange(&self.cells, kc);
        self.order_cells();
    }

    /// The fitted scale of the real drawing.
    fn measured(&self) -> f64 {
        let l = lay(self);
        let (pw, ph) = page_size(self.d, &l);
        self.legibility(pw, ph)
    }

    /// Orders the nodes of each cell by the barycentre of their
    /// neighbours' slots (rows filled top-down, each row left to right).
    fn order_cells(&mut self) {
        let d = self.d;
        let n = d.nodes.len();
        let mut adj: Vec<Vec<usize>> = vec![Vec::new(); n];
        for e in &d.edges {
            if e.from < n && e.to < n && e.from != e.to {
                adj[e.from].push(e.to);
                adj[e.to].push(e.from);
            }
        }
        let keys: Vec<(usize, usize)> = self
            .cells
            .iter()
            .filter(|(_, v)| v.len() > 1)
            .map(|(&k, _)| k)
            .collect();
        // from the diagram's order every time (candidates are compared
        // on equal terms)
        for &(l, c) in &keys {
            if let Some(members) = self.cells.get_mut(&(l, c)) {
                members.sort_unstable();
                let members = members.clone();
                self.g.place_cell(l, c, &members);
            }
        }
        for _ in 0..4 {
            let mut changed = false;
            for &(l, c) in &keys {
                let Some(members) = self.cells.get(&(l, c)) else {
                    continue;
                };
                let (slot, lane_of, col_of) = (&self.g.slot, &self.g.lane_of, &self.g.col_of);
                // neighbours outside the cell (cell-mates move with it)
                let bary = |i: usize| -> (f64, f64) {
                    let (s, r) = slot[i];
                    let outside: Vec<usize> = adj[i]
                        .iter()
                        .copied()
                        .filter(|&j| lane_of[j] != l || col_of[j] != c)
                        .collect();
                    if outside.is_empty() {
                        return (r as f64, s as f64);
                    }
                    let k = outside.len() as f64;
                    let (sy, sx) = outside.iter().fold((0.0, 0.0), |(y, x), &j| {
                        (y + slot[j].1 as f64, x + slot[j].0 as f64)
                    });
                    (sy / k, sx / k)
                };
                let mut v: Vec<(f64, f64, usize, usize)> = members
                    .iter()
                    .enumerate()
                    .map(|(idx, &i)| {
                        let (y, x) = bary(i);
                        (y, x, idx, i)
                    })
                    .collect();
                let k = self.g.cslots[c].1.max(1);
                v.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.3.cmp(&b.3)));
                for row in v.chunks_mut(k) {
                    row.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.3.cmp(&b.3)));
                }
                let new: Vec<usize> = v.iter().map(|t| t.3).collect();
                if &new != members {
                    changed = true;
                    self.g.place_cell(l, c, &new);
                    self.cells.insert((l, c), new);
                }
            }
            if !changed {
                break;
            }
        }
    }
}

/// An arrangement candidate: fitted scale, wrap, boxes side by side per
/// column, box sizes.
type Candidate = (f64, usize, Vec<usize>, Vec<(f64, f64)>);
