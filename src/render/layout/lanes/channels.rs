//! Gutter track packing: the segments sharing a gutter ordered by how
//! their ends turn (libavoid-style nudging) and packed on tracks.

use super::*;

/// A position along a gutter, compared before coordinates exist: `major`
/// is `2 × slot + 1` for a port of a box in that slot, `2 × gap` for a
/// track in that gap; `minor` the port's offset from the box centre or the
/// track's place. Horizontal gutters use real coordinates (major 0).
pub(super) type Key = (i64, f64);

fn kcmp(a: Key, b: Key) -> Ordering {
    a.0.cmp(&b.0).then(a.1.total_cmp(&b.1))
}

/// A segment in a gutter (or an edge label reserved in one). Edges merged
/// into one trunk share one segment with an end per branch.
#[derive(Clone, Debug)]
pub(super) struct CSeg {
    pub(super) edge: usize,
    /// Which of the edge's gutter legs (0, 1, 2 …).
    pub(super) leg: usize,
    pub(super) lo: Key,
    pub(super) hi: Key,
    /// Where the path turns at each end: −1 towards smaller positions
    /// across the gutter (left / up), +1 towards larger, 0 no turn (labels).
    pub(super) ends: Vec<(Key, i8)>,
    /// The turns at `lo` and `hi` (the outermost ends).
    pub(super) t_lo: i8,
    pub(super) t_hi: i8,
    /// Room across the gutter.
    pub(super) thick: f64,
    /// Extent along the gutter for packing (real coordinates; horizontal
    /// gutters only).
    pub(super) ext: (f64, f64),
    /// Whether this reserves an edge label (not only a line).
    pub(super) label: bool,
}

impl CSeg {
    pub(super) fn new(edge: usize, leg: usize, a: (Key, i8), b: (Key, i8)) -> CSeg {
        CSeg::of_ends(edge, leg, vec![a, b])
    }
    pub(super) fn of_ends(edge: usize, leg: usize, ends: Vec<(Key, i8)>) -> CSeg {
        let first = ends.first().copied().unwrap_or(((0, 0.0), 0));
        let (mut lo, mut hi) = (first, first);
        for &e in &ends {
            if kcmp(e.0, lo.0) == Ordering::Less {
                lo = e;
            }
            if kcmp(e.0, hi.0) == Ordering::Greater {
                hi = e;
            }
        }
        CSeg {
            edge,
            leg,
            lo: lo.0,
            hi: hi.0,
            ends,
            t_lo: lo.1,
            t_hi: hi.1,
            thick: TRACK,
            ext: (lo.0 .1, hi.0 .1),
            label: false,
        }
    }
    fn overlaps_keys(&self, o: &CSeg) -> bool {
        kcmp(self.lo, o.hi) != Ordering::Greater && kcmp(o.lo, self.hi) != Ordering::Greater
    }
}

/// Packs a gutter's segments; in a gutter on a lane or column border, the
/// border is packed too, as a segment across everything in the middle of
/// the order, so no track runs on it. Returns the tracks' offsets, the room
/// they take and the border's offset (its middle), if packed.
pub(super) fn pack_with_border(
    segs: &[CSeg],
    by_ext: bool,
    border: bool,
) -> (Vec<f64>, f64, Option<f64>) {
    let mut ord = order_segments(segs);
    if !border || segs.is_empty() {
        let (pos, room) = pack(segs, &ord, by_ext);
        return (pos, room, None);
    }
    let mut all = segs.to_vec();
    let mut wall = CSeg::of_ends(usize::MAX, 0, Vec::new());
    wall.lo = (i64::MIN, f64::NEG_INFINITY);
    wall.hi = (i64::MAX, f64::INFINITY);
    wall.ext = (f64::NEG_INFINITY, f64::INFINITY);
    all.push(wall);
    ord.insert(ord.len() / 2, segs.len());
    let (mut pos, room) = pack(&all, &ord, by_ext);
    let mid = pos.pop().map(|p| p + TRACK / 2.0);
    (pos, room, mid)
}

/// How much crossing `s` placed before (left of / above) `t` costs.
fn pair_cost(s: &CSeg, t: &CSeg) -> f64 {
    if !s.overlaps_keys(t) {
        return 0.0;
    }
    let inside = |k: Key, o: &CSeg| -> f64 {
        let a = kcmp(k, o.lo);
        let b = kcmp(k, o.hi);
        if a == Ordering::Greater && b == Ordering::Less {
            1.0
        } else if a == Ordering::Equal || b == Ordering::Equal {
            1.5
        } else {
            0.0
        }
    };
    let mut c = 0.0;
    for &(k, turn) in &s.ends {
        if turn > 0 {
            c += inside(k, t);
        }
    }
    for &(k, turn) in &t.ends {
        if turn < 0 {
            c += inside(k, s);
        }
    }
    c
}

/// The order of a gutter's segments across it (see the module doc).
fn order_segments(segs: &[CSeg]) -> Vec<usize> {
    type SortKey = (i8, u8, i64, f64, i64, f64);
    let key = |s: &CSeg| -> SortKey {
        let class = s.t_lo + s.t_hi;
        let (lo, hi) = (s.lo, s.hi);
        match (s.t_lo, s.t_hi) {
            // "\": the one reaching further on goes first
            (-1, 1) => (class, 0, -hi.0, -hi.1, -lo.0, -lo.1),
            // "/": the one reaching further on goes last
            (1, -1) => (class, 1, hi.0, hi.1, lo.0, lo.1),
            // "C": inner ones first; "⊃": outer ones first
            (-1, -1) => (class, 0, hi.0 - lo.0, hi.1 - lo.1, lo.0, lo.1),
            (1, 1) => (class, 0, lo.0 - hi.0, lo.1 - hi.1, lo.0, lo.1),
            _ => (class, 2, lo.0, lo.1, hi.0, hi.1),
        }
    };
    let cmp_key = |a: &SortKey, b: &SortKey| -> Ordering {
        a.0.cmp(&b.0)
            .then(a.1.cmp(&b.1))
            .then(a.2.cmp(&b.2))
            .then(a.3.total_cmp(&b.3))
            .then(a.4.cmp(&b.4))
            .then(a.5.total_cmp(&b.5))
    };
    let keys: Vec<SortKey> = segs.iter().map(key).collect();
    let mut ord: Vec<usize> = (0..segs.len()).collect();
    ord.sort_by(|&a, &b| {
        cmp_key(&keys[a], &keys[b])
            .then(segs[a].edge.cmp(&segs[b].edge))
            .then(segs[a].leg.cmp(&segs[b].leg))
    });
    let k = ord.len();
    if !(2..=SIFT_MAX).contains(&k) {
        return ord;
    }
    // Sifting: move each segment to the place where it crosses least.
    let cost: Vec<Vec<f64>> = (0..k)
        .map(|a| (0..k).map(|b| pair_cost(&segs[a], &segs[b])).collect())
        .collect();
    for _ in 0..2 {
        for (x, row) in cost.iter().enumerate() {
            let Some(at) = ord.iter().position(|&y| y == x) else {
                continue;
            };
            ord.remove(at);
            // x at place p costs Σ_{j<p} cost[o_j][x] + Σ_{j≥p} cost[x][o_j]
            let mut at_p = Vec::with_capacity(ord.len() + 1);
            let mut c: f64 = ord.iter().map(|&y| row[y]).sum();
            at_p.push(c);
            for &y in &ord {
                c += cost[y][x] - row[y];
                at_p.push(c);
            }
            let min = at_p.iter().copied().fold(f64::INFINITY, f64::min);
            // stay put unless a place is strictly better
            let best = if at_p[at] <= min + 1e-9 {
                at
            } else {
                at_p.iter().position(|&v| v <= min + 1e-9).unwrap_or(at)
            };
            ord.insert(best, x);
        }
    }
    ord
}

/// Packs ordered segments on tracks: each one just past every earlier one
/// it overlaps. Returns offsets (across the gutter) and the total room.
fn pack(segs: &[CSeg], ord: &[usize], by_ext: bool) -> (Vec<f64>, f64) {
    let mut pos = vec![0.0f64; segs.len()];
    let mut room = 0.0f64;
    for (rank, &x) in ord.iter().enumerate() {
        let mut off = 0.0f64;
        for &y in &ord[..rank] {
            let hit = if by_ext {
                let m = if segs[x].label || segs[y].label {
                    LABEL_CLEAR
                } else {
                    2.0
                };
                segs[x].ext.0 < segs[y].ext.1 + m && segs[y].ext.0 < segs[x].ext.1 + m
            } else {
                segs[x].overlaps_keys(&segs[y])
            };
            if hit {
                off = off.max(pos[y] + segs[y].thick);
            }
        }
        pos[x] = off;
        room = room.max(off + segs[x].thick);
    }
    (pos, room)
}
