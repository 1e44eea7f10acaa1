//! Edge crossings of a positioned drawing: the quality figure the benchmark
//! compares with Graphviz (`bench/`), and a number tests can assert on.
//!
//! An edge is a polyline (our [`super::diagram::EdgePath`]s, or a Graphviz spline sampled
//! into one). A *crossing* is a point where a segment of one edge properly
//! intersects a segment of another edge: touching at an end point, running
//! along each other (collinear overlap) and meeting inside one of the two
//! edges' own end boxes (edges fanning out of a shared port) do not count.
//! Two edges that cross three times count three.
//!
//! The count is a sweep over the segments sorted by their left end, testing
//! only segments whose x ranges overlap: near-linear for drawings whose edges
//! are short along x, never worse than all pairs.

use super::diagram::{Diagram, Layout, Point, Rect};

/// One edge for [`count_crossings`]: its polyline and the boxes of its two
/// end nodes (intersections inside them are not crossings).
#[derive(Clone, Debug)]
pub struct Polyline<'a> {
    /// The points, in order (at least two for the edge to count).
    pub points: &'a [Point],
    /// The boxes of the source and target node.
    pub ends: [Rect; 2],
}

/// The crossings of a laid-out diagram.
pub fn layout_crossings(d: &Diagram, l: &Layout) -> usize {
    let lines: Vec<Polyline<'_>> = d
        .edges
        .iter()
        .zip(&l.edges)
        .filter_map(|(e, p)| {
            Some(Polyline {
                points: &p.points,
                ends: [*l.nodes.get(e.from)?, *l.nodes.get(e.to)?],
            })
        })
        .collect();
    count_crossings(&lines)
}

struct Seg {
    a: Point,
    b: Point,
    min_x: f64,
    max_x: f64,
    edge: usize,
}

/// Counts proper intersections between segments of different edges (see
/// the module documentation for what does not count).
pub fn count_crossings(lines: &[Polyline<'_>]) -> usize {
    let mut segs: Vec<Seg> = Vec::new();
    for (edge, l) in lines.iter().enumerate() {
        for w in l.points.windows(2) {
            let (a, b) = (w[0], w[1]);
            if !(a.x.is_finite() && a.y.is_finite() && b.x.is_finite() && b.y.is_finite()) {
                continue;
            }
            if a == b {
                continue;
            }
            segs.push(Seg {
                a,
                b,
                min_x: a.x.min(b.x),
                max_x: a.x.max(b.x),
                edge,
            });
        }
    }
    segs.sort_by(|s, t| s.min_x.total_cmp(&t.min_x));
    let mut count = 0;
    // Indices of segments whose x range may still overlap later ones.
    let mut active: Vec<usize> = Vec::new();
    for i in 0..segs.len() {
        let s = &segs[i];
        active.retain(|&j| segs[j].max_x >= s.min_x);
        for &j in &active {
            let t = &segs[j];
            if t.edge == s.edge {
                continue;
            }
            if let Some(p) = proper_intersection(s.a, s.b, t.a, t.b) {
                let inside_end = lines[s.edge]
                    .ends
                    .iter()
                    .chain(lines[t.edge].ends.iter())
                    .any(|r| contains(r, p, 1.0));
                if !inside_end {
                    count += 1;
                }
            }
        }
        active.push(i);
    }
    count
}

/// Whether `p` lies in `r` grown by `slack` on every side.
pub(crate) fn contains(r: &Rect, p: Point, slack: f64) -> bool {
    p.x >= r.x - slack && p.x <= r.x + r.w + slack && p.y >= r.y - slack && p.y <= r.y + r.h + slack
}

fn cross(o: Point, a: Point, b: Point) -> f64 {
    (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)
}

/// The intersection point of segments ab and cd if they cross properly
/// (each one's end points strictly on opposite sides of the other's line).
pub(crate) fn proper_intersection(a: Point, b: Point, c: Point, d: Point) -> Option<Point> {
    // A tolerance relative to the segment lengths: end points within it of
    // the other line count as touching, not crossing.
    let eps = 1e-9
        * (1.0 + (b.x - a.x).abs() + (b.y - a.y).abs())
        * (1.0 + (d.x - c.x).abs() + (d.y - c.y).abs());
    let d1 = cross(c, d, a);
    let d2 = cross(c, d, b);
    let d3 = cross(a, b, c);
    let d4 = cross(a, b, d);
    let opposite = |p: f64, q: f64| (p > eps && q < -eps) || (p < -eps && q > eps);
    if opposite(d1, d2) && opposite(d3, d4) {
        let t = d1 / (d1 - d2);
        Some(Point {
            x: a.x + t * (b.x - a.x),
            y: a.y + t * (b.y - a.y),
        })
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(x: f64, y: f64) -> Point {
        Point { x, y }
    }
    const FAR: Rect = Rect {
        x: -1000.0,
        y: -1000.0,
        w: 1.0,
        h: 1.0,
    };
    fn line(points: &[Point]) -> Polyline<'_> {
        Polyline {
            points,
            ends: [FAR, FAR],
        }
    }

    #[test]
    fn an_x_is_one_crossing() {
        let a = [p(0.0, 0.0), p(10.0, 10.0)];
        let b = [p(0.0, 10.0), p(10.0, 0.0)];
        assert_eq!(count_crossings(&[line(&a), line(&b)]), 1);
    }

    #[test]
    fn parallel_touching_and_collinear_are_not_crossings() {
        let a = [p(0.0, 0.0), p(10.0, 0.0)];
        let b = [p(0.0, 5.0), p(10.0, 5.0)];
        // touches a's end point
        let c = [p(10.0, 0.0), p(20.0, 10.0)];
        // runs along a
        let d = [p(2.0, 0.0), p(8.0, 0.0)];
        assert_eq!(
            count_crossings(&[line(&a), line(&b), line(&c), line(&d)]),
            0
        );
    }

    #[test]
    fn a_zigzag_crossing_twice_counts_twice_and_an_edge_never_crosses_itself() {
        let a = [p(0.0, 5.0), p(30.0, 5.0)];
        let z = [p(0.0, 0.0), p(10.0, 10.0), p(20.0, 0.0), p(25.0, 0.0)];
        assert_eq!(count_crossings(&[line(&a), line(&z)]), 2);
        let own = [p(0.0, 0.0), p(10.0, 10.0), p(10.0, 0.0), p(0.0, 10.0)];
        assert_eq!(count_crossings(&[line(&own)]), 0);
    }

    #[test]
    fn intersections_inside_an_end_box_do_not_count() {
        let a = [p(0.0, 0.0), p(10.0, 10.0)];
        let b = [p(0.0, 10.0), p(10.0, 0.0)];
        let port = Rect {
            x: 4.0,
            y: 4.0,
            w: 2.0,
            h: 2.0,
        };
        let lines = [
            Polyline {
                points: &a,
                ends: [port, FAR],
            },
            line(&b),
        ];
        assert_eq!(count_crossings(&lines), 0);
    }

    #[test]
    fn sweep_agrees_with_all_pairs() {
        // A deterministic pseudo-random set of zigzags.
        let mut state = 7u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 33) % 1000) as f64
        };
        let lines: Vec<Vec<Point>> = (0..40)
            .map(|_| (0..4).map(|_| p(next(), next())).collect())
            .collect();
        let polys: Vec<Polyline<'_>> = lines.iter().map(|l| line(l)).collect();
        let mut brute = 0;
        for i in 0..lines.len() {
            for j in i + 1..lines.len() {
                for s in lines[i].windows(2) {
                    for t in lines[j].windows(2) {
                        if proper_intersection(s[0], s[1], t[0], t[1]).is_some() {
                            brute += 1;
                        }
                    }
                }
            }
        }
        assert!(brute > 50, "the sample should cross a lot: {brute}");
        assert_eq!(count_crossings(&polys), brute);
    }
}
