//! Splitting large views: a view with more nodes than stay readable in one
//! drawing (`max_nodes`, default [`DEFAULT_MAX_NODES`]) is drawn as an
//! **overview** (one node per group, edges between groups counted) plus one
//! drawing **per group** (its members, their edges, and each edge that
//! leaves the group drawn to a small boundary node standing for the other
//! group, so nothing silently disappears; or, as the part's written
//! variant for when that does not fit, written under its members' names).
//!
//! Pipeline: `views` builds the whole [`Diagram`]; [`group_paths`] says, from
//! the graph, which group (and sub-group) each node belongs to — the owner
//! team of a system or data entity and the teams above it, the performer of
//! an activity, a performer's own reporting line; [`split`] cuts the diagram
//! into smaller diagrams; `layout` lays out each of them. The full diagram
//! of a split view is never laid out.
//!
//! How groups are cut (deterministic, no hashing): nodes are grouped by the
//! first level of their paths where they differ. A group still above the
//! threshold is split again by the next level (sub-teams), or — when the
//! model has no finer grouping — into even parts in view order (the drawing
//! says so). When a group has more sub-groups than the threshold, adjacent
//! sub-groups are packed into drawings of at most `max_nodes` nodes, each
//! sub-group in its own frame. Groups are sorted by name, then id; nodes
//! without an owner go to one "Unowned" group, last.

use std::collections::{BTreeMap, BTreeSet};

use super::diagram::*;
use super::views::View;
use crate::graph::{EdgeKind, Graph};
use crate::model::Kind;

/// Views with more nodes than this are split unless told otherwise.
pub const DEFAULT_MAX_NODES: usize = 120;

/// One level of a node's grouping: a group id and its name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Seg {
    /// Stable id (a performer id); slugified for file names.
    pub key: String,
    /// Display name.
    pub label: String,
}

/// The words a view's split drawings use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Words {
    /// What a node is, singular / plural ("system", "systems").
    pub node: (&'static str, &'static str),
    /// What an edge is, singular / plural ("integration", "integrations").
    pub edge: (&'static str, &'static str),
    /// What a group is, singular / plural ("owning team", "owning teams").
    pub group: (&'static str, &'static str),
    /// A group in short, singular / plural ("team", "teams").
    pub short: (&'static str, &'static str),
    /// The name of the group of nodes without one.
    pub other: &'static str,
}

impl Words {
    /// The words of one view.
    pub fn of(view: &View) -> Words {
        let team = ("owning team", "owning teams");
        match view {
            View::Ov2 => Words {
                node: ("performer", "performers"),
                edge: ("needline", "needlines"),
                group: ("team", "teams"),
                short: ("team", "teams"),
                other: "Other",
            },
            View::Ov5b => Words {
                node: ("activity", "activities"),
                edge: ("hand-off", "hand-offs"),
                group: ("performer", "performers"),
                short: ("performer", "performers"),
                other: "No performer",
            },
            View::Sv1 => Words {
                node: ("system", "systems"),
                edge: ("interface", "interfaces"),
                group: team,
                short: ("team", "teams"),
                other: "Unowned",
            },
            View::Sv2 | View::Lineage(_) => Words {
                node: ("system", "systems"),
                edge: ("integration", "integrations"),
                group: team,
                short: ("team", "teams"),
                other: "Unowned",
            },
            View::Div2 => Words {
                node: ("data entity", "data entities"),
                edge: ("relation", "relations"),
                group: ("data owner", "data owners"),
                short: ("team", "teams"),
                other: "No data owner",
            },
        }
    }

    /// The words of a swimlane view cut along its journey stages.
    fn by_stage(self) -> Words {
        Words {
            group: ("journey stage", "journey stages"),
            short: ("part of the journey", "parts of the journey"),
            ..self
        }
    }

    fn nodes(&self, n: usize) -> String {
        count(n, self.node)
    }
    fn edges(&self, n: usize) -> String {
        count(n, self.edge)
    }
}

fn count(n: usize, (one, many): (&str, &str)) -> String {
    format!("{} {}", thousands(n), crate::words::agree(n, one, many))
}

/// `3000` → `3,000`.
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Longest reporting line followed (guards against owner cycles).
const MAX_DEPTH: usize = 16;

/// The grouping of each node of `d` (outermost group first), from the
/// graph: a performer's reporting line ends with itself; an activity is
/// grouped under its performer's line; anything else under its owner's line.
/// Nodes that are no entity of the graph fall back to their diagram group.
pub fn group_paths(g: &Graph<'_>, d: &Diagram) -> Vec<Vec<Seg>> {
    let line = |p| {
        let mut chain = Vec::new();
        let mut seen = BTreeSet::new();
        let mut cur = Some(p);
        while let Some(n) = cur {
            if !seen.insert(n) || chain.len() >= MAX_DEPTH {
                break;
            }
            let e = g.entity(n);
            chain.push(Seg {
                key: e.id().as_str().to_string(),
                label: e.name().to_string(),
            });
            cur = g.inc(n, EdgeKind::Owns).next();
        }
        chain.reverse();
        chain
    };
    d.nodes
        .iter()
        .map(|node| {
            let entity = node.key.split_once('-').and_then(|(_, id)| {
                g.node(id)
                    .filter(|&n| g.key(n) == node.key)
                    .map(|n| (n, g.entity(n).kind()))
            });
            match entity {
                Some((n, Kind::Performer)) => line(n),
                Some((n, kind)) => {
                    let by = if kind == Kind::Activity {
                        g.inc(n, EdgeKind::Performs).next()
                    } else {
                        None
                    };
                    by.or_else(|| g.inc(n, EdgeKind::Owns).next())
                        .map(line)
                        .unwrap_or_default()
                }
                None => node
                    .group
                    .and_then(|i| d.groups.get(i))
                    .map(|gr| {
                        vec![Seg {
                            key: gr.key.clone(),
                            label: gr.label.clone(),
                        }]
                    })
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// One group's drawing.
#[derive(Clone, Debug, PartialEq)]
pub struct Part {
    /// File-safe, unique slug (`sales--dach-sales`); the file is `VIEW--SLUG`.
    pub slug: String,
    /// The group's name with the groups above it (`Sales › DACH Sales`).
    pub label: String,
    /// Depth below the overview (1 = a group of the overview).
    pub depth: usize,
    /// Nodes of the view in this group.
    pub nodes: usize,
    /// Edges of the view with both ends in this group.
    pub edges_inside: usize,
    /// Whether this drawing is itself an overview of sub-groups.
    pub is_overview: bool,
    /// The drawing.
    pub diagram: Diagram,
    /// The same drawing with its boundary written on its boxes
    /// ([`Boundary::Written`]): what is drawn instead when `diagram` does
    /// not fit its frame legibly. None for a swimlane part and a drawing
    /// with nothing to write.
    pub written: Option<Diagram>,
}

/// How a group's drawing shows the edges that leave the group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Boundary {
    /// Each to a boundary node (a pill) standing for the other group, one
    /// edge per member and other group, counted.
    Drawn,
    /// Written under each member's name instead (`→ Sales (3)`: three
    /// edges to the Sales group's nodes; `←` from them, `↔` both ways),
    /// and no boundary nodes, except for edges that carry a finding,
    /// which stay drawn. A part of a large view can have a boundary edge
    /// from every member to every other group: on the generated 300-system
    /// model, SV-1 and SV-2 parts of 15–26 systems had 40–390 crossings
    /// and text below the slide's targets, all of it from those edges.
    Written,
}

/// Lines written under a member's name ([`Boundary::Written`]) are
/// filled up to about this many characters.
const WRITTEN_LINE: usize = 34;

/// A view split into an overview and one drawing per group.
#[derive(Clone, Debug, PartialEq)]
pub struct Split {
    /// One node per group, edges between groups counted.
    pub overview: Diagram,
    /// Every group's drawing, overview order (depth first).
    pub parts: Vec<Part>,
    /// Groups in the overview.
    pub groups: usize,
    /// What the view is drawn per ("owning team and sub-team").
    pub by: String,
    /// Nodes of the whole view.
    pub nodes: usize,
    /// A sentence for readers: why and how the view is split.
    pub explanation: String,
    /// The words the split drawings use (a swimlane view cut along its
    /// journey speaks of stages, not of its groups).
    pub words: Words,
}

/// A group in the tree of groups.
#[derive(Debug, Clone)]
struct TNode {
    seg: String,
    label: String,
    parent: Option<usize>,
    children: Vec<usize>,
    members: Vec<usize>,
    /// Sub-groups drawn as frames (a packed drawing): id, label and members.
    frames: Vec<(String, String, Vec<usize>)>,
    /// Why this group is cut into parts that are not groups of the model.
    note: Option<String>,
    depth: usize,
}

struct Builder<'a> {
    paths: &'a [Vec<Seg>],
    max: usize,
    words: Words,
    tree: Vec<TNode>,
    /// Journey stages of a swimlane view: groups keep their order (by key)
    /// instead of being sorted by name; neighbouring stages always share
    /// drawings (the overview shows the parts), drawn as the view's lanes
    /// rather than as frames.
    stages: bool,
}

/// Where to cut a sequence of sizes (each at most `max`) into runs of
/// at most `max`: the fewest runs, and among those the ones whose largest
/// run is smallest (linear partition by dynamic programming, O(k·n²)):
/// the start index of every run but the first.
fn even_runs(sizes: &[usize], max: usize) -> Vec<usize> {
    let n = sizes.len();
    if n == 0 {
        return Vec::new();
    }
    let mut prefix = vec![0usize; n + 1];
    for (i, s) in sizes.iter().enumerate() {
        prefix[i + 1] = prefix[i] + s;
    }
    let sum = |a: usize, b: usize| prefix[b] - prefix[a];
    // best[k][j]: smallest largest run splitting the first j into k runs
    let mut best: Vec<Vec<usize>> = vec![vec![usize::MAX; n + 1]];
    best[0][0] = 0;
    let mut from: Vec<Vec<usize>> = vec![vec![0; n + 1]];
    for k in 1..=n {
        let mut row = vec![usize::MAX; n + 1];
        let mut arg = vec![0; n + 1];
        for j in 1..=n {
            for (i, &prev) in best[k - 1].iter().enumerate().take(j).skip(k - 1) {
                if prev == usize::MAX {
                    continue;
                }
                let run = sum(i, j);
                if run > max {
                    continue;
                }
                let worst = prev.max(run);
                if worst < row[j] {
                    row[j] = worst;
                    arg[j] = i;
                }
            }
        }
        let done = row[n] != usize::MAX;
        best.push(row);
        from.push(arg);
        if done {
            let mut cuts = Vec::new();
            let mut j = n;
            for kk in (1..=k).rev() {
                let i = from[kk][j];
                if i > 0 {
                    cuts.push(i);
                }
                j = i;
            }
            cuts.reverse();
            return cuts;
        }
    }
    Vec::new()
}

/// The order of a journey stage's path key (`stage_paths`): its column.
fn stage_rank(key: &str) -> usize {
    key.rsplit('-')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(usize::MAX)
}

impl Builder<'_> {
    fn add(&mut self, parent: usize, seg: String, label: String, members: Vec<usize>) -> usize {
        let depth = self.tree[parent].depth + 1;
        let id = self.tree.len();
        self.tree.push(TNode {
            seg,
            label,
            parent: Some(parent),
            children: Vec::new(),
            members,
            frames: Vec::new(),
            note: None,
            depth,
        });
        self.tree[parent].children.push(id);
        id
    }

    /// Splits tree node `t` (if above the threshold), grouping from `level`.
    fn grow(&mut self, t: usize, level: usize) {
        let members = self.tree[t].members.clone();
        if members.len() <= self.max {
            return;
        }
        // the first level where the members differ
        let mut lv = level;
        let groups = loop {
            let mut groups: BTreeMap<Option<&Seg>, Vec<usize>> = BTreeMap::new();
            for &m in &members {
                groups.entry(self.paths[m].get(lv)).or_default().push(m);
            }
            if groups.len() == 1 && groups.keys().all(Option::is_some) && lv < MAX_DEPTH * 2 {
                lv += 1;
                continue;
            }
            break groups;
        };
        if groups.len() == 1 {
            // no finer grouping in the model: even parts in view order
            let k = members.len().div_ceil(self.max);
            let size = members.len().div_ceil(k);
            let name = if t == 0 {
                String::new()
            } else {
                format!("{} ", self.tree[t].label)
            };
            for (i, chunk) in members.chunks(size).enumerate() {
                let c = self.add(
                    t,
                    format!("part-{}", i + 1),
                    format!("{name}part {} of {k}", i + 1),
                    chunk.to_vec(),
                );
                self.tree[c].note = Some(format!(
                    "part {} of {k}: the model groups these {} no further, so they are cut into parts in view order",
                    i + 1,
                    self.words.nodes(members.len())
                ));
            }
            return;
        }
        // named groups sorted by name then id; the unnamed rest last
        let mut named: Vec<(&Seg, Vec<usize>)> = Vec::new();
        let mut rest = Vec::new();
        for (k, v) in groups {
            match k {
                Some(s) => named.push((s, v)),
                None => rest = v,
            }
        }
        if self.stages {
            // journey order: the keys end in their column number
            named.sort_by_key(|a| stage_rank(&a.0.key));
        } else {
            named.sort_by(|a, b| (&a.0.label, &a.0.key).cmp(&(&b.0.label, &b.0.key)));
        }
        let mut children: Vec<(String, String, Vec<usize>)> = named
            .into_iter()
            .map(|(s, v)| (s.key.clone(), s.label.clone(), v))
            .collect();
        if !rest.is_empty() {
            let (seg, label) = if t == 0 || lv == 0 {
                ("unowned".to_string(), self.words.other.to_string())
            } else {
                (
                    "direct".to_string(),
                    format!("{} itself", self.tree[t].label),
                )
            };
            children.push((seg, label, rest));
        }
        // the overview shows every group; below it, small sub-groups share drawings
        if t == 0 && children.len() <= self.max && !self.stages {
            for (seg, label, v) in children {
                let c = self.add(t, seg, label, v);
                self.grow(c, lv + 1);
            }
            return;
        }
        // pack neighbouring sub-groups into drawings of at most `max`
        // nodes, one frame per sub-group
        // balanced: as few drawings as `max` allows, of about equal size
        let small: usize = children
            .iter()
            .map(|c| c.2.len())
            .filter(|&n| n <= self.max)
            .sum();
        let target = small.div_ceil(small.div_ceil(self.max).max(1)).max(1);
        let mut bins: Vec<Vec<(String, String, Vec<usize>)>> = Vec::new();
        let mut size = 0;
        if self.stages && children.iter().all(|c| c.2.len() <= self.max) {
            // journey stages: runs of neighbouring stages, as few as `max`
            // allows and as even as they can be (no lone last stage)
            let sizes: Vec<usize> = children.iter().map(|c| c.2.len()).collect();
            let mut cuts = even_runs(&sizes, self.max).into_iter();
            let mut next = cuts.next();
            for (i, child) in children.into_iter().enumerate() {
                if bins.is_empty() || next == Some(i) {
                    if next == Some(i) {
                        next = cuts.next();
                    }
                    bins.push(Vec::new());
                }
                if let Some(b) = bins.last_mut() {
                    b.push(child);
                }
            }
            children = Vec::new();
        }
        for child in children {
            let n = child.2.len();
            let open = bins
                .last()
                .is_some_and(|b| b.iter().all(|f| f.2.len() <= self.max));
            if open && n <= self.max && size + n <= target {
                size += n;
                if let Some(b) = bins.last_mut() {
                    b.push(child);
                }
            } else {
                size = n;
                bins.push(vec![child]);
            }
        }
        let total = bins.iter().filter(|b| b.len() > 1).count();
        let mut i = 0;
        for mut bin in bins {
            if bin.len() == 1 {
                if let Some((seg, label, v)) = bin.pop() {
                    let c = self.add(t, seg, label, v);
                    self.grow(c, lv + 1);
                }
                continue;
            }
            let first = bin.first().map(|b| b.1.clone()).unwrap_or_default();
            let last = bin.last().map(|b| b.1.clone()).unwrap_or_default();
            let members: Vec<usize> = {
                let mut m: Vec<usize> = bin.iter().flat_map(|b| b.2.iter().copied()).collect();
                m.sort_unstable();
                m
            };
            let n = bin.len();
            i += 1;
            let c = self.add(
                t,
                format!("part-{i}"),
                if self.stages {
                    format!("{first} – {last}")
                } else if n == 2 {
                    format!("{first}, {last}")
                } else {
                    format!("{first} … {last} ({n} {})", self.words.short.1)
                },
                members,
            );
            if !self.stages {
                self.tree[c].frames = bin;
            }
            self.tree[c].note = Some(format!(
                "part {i} of {total}: {n} {} side by side",
                self.words.group.1
            ));
        }
    }

    /// The group's name with the groups above it.
    fn full_label(&self, t: usize) -> String {
        let mut parts = Vec::new();
        let mut cur = Some(t);
        while let Some(c) = cur {
            if self.tree[c].parent.is_some() {
                parts.push(self.tree[c].label.clone());
            }
            cur = self.tree[c].parent;
        }
        parts.reverse();
        parts.join(" › ")
    }
}

/// Each node's journey stage as a one-level path (key `SLUG-N`: the
/// stage's name and column), for cutting a swimlane view into runs of stages. A node
/// without a column takes the column of its first neighbour that has one,
/// else the last. None when the view has fewer than two stages.
fn stage_paths(d: &Diagram, l: &Lanes) -> Option<Vec<Vec<Seg>>> {
    if l.columns.len() < 2 {
        return None;
    }
    let col = |m: usize| {
        l.column
            .get(m)
            .copied()
            .flatten()
            .filter(|&c| c < l.columns.len())
    };
    let last = l.columns.len() - 1;
    let mut cols: Vec<usize> = (0..d.nodes.len())
        .map(|m| col(m).unwrap_or(usize::MAX))
        .collect();
    for e in &d.edges {
        for (a, b) in [(e.from, e.to), (e.to, e.from)] {
            if a < cols.len() && b < cols.len() && cols[a] == usize::MAX {
                if let Some(c) = col(b) {
                    cols[a] = c;
                }
            }
        }
    }
    Some(
        cols.into_iter()
            .map(|c| {
                let c = if c == usize::MAX { last } else { c };
                vec![Seg {
                    key: format!("{}-{c}", slugify(&l.columns[c])),
                    label: l.columns[c].clone(),
                }]
            })
            .collect(),
    )
}

/// Makes a file-safe slug segment of a group id.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    // A file name part: long names (a 10,000-character team name) are cut,
    // file systems refuse names over 255 bytes.
    out.truncate(60);
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        "group".into()
    } else {
        out
    }
}

/// Aggregated edges between two drawn units.
#[derive(Default)]
struct Agg {
    count: usize,
    forward: bool,
    backward: bool,
    worst: Option<Mark>,
    single: Option<usize>,
}

fn finding_mark(marks: &[Mark]) -> Option<Mark> {
    marks
        .iter()
        .copied()
        .filter(|m| {
            matches!(
                m,
                Mark::FindingError | Mark::FindingWarning | Mark::FindingInfo
            )
        })
        .min()
}

fn worse(a: Option<Mark>, b: Option<Mark>) -> Option<Mark> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

/// Splits `d` when it has more than `max_nodes` nodes (`0`: never).
/// `paths[i]` is node `i`'s grouping ([`group_paths`]). None when the view
/// stays one drawing.
pub fn split(d: &Diagram, paths: &[Vec<Seg>], words: Words, max_nodes: usize) -> Option<Split> {
    if max_nodes == 0 || d.nodes.len() <= max_nodes || paths.len() != d.nodes.len() {
        return None;
    }
    // a swimlane view is cut along its journey: runs of neighbouring stages,
    // every performer's lane in each
    let stage_paths = d.lanes.as_ref().and_then(|l| stage_paths(d, l));
    let stages = stage_paths.is_some();
    let (paths, words) = match &stage_paths {
        Some(p) => (p.as_slice(), words.by_stage()),
        None => (paths, words),
    };
    let mut b = Builder {
        stages,
        paths,
        max: max_nodes,
        words,
        tree: vec![TNode {
            seg: String::new(),
            label: String::new(),
            parent: None,
            children: Vec::new(),
            members: (0..d.nodes.len()).collect(),
            frames: Vec::new(),
            note: None,
            depth: 0,
        }],
    };
    b.grow(0, 0);
    let tree = &b.tree;
    // each node's path in the tree (root … leaf)
    let mut leaf_path: Vec<Vec<usize>> = vec![Vec::new(); d.nodes.len()];
    for (t, tn) in tree.iter().enumerate() {
        if tn.children.is_empty() {
            let mut chain = vec![t];
            let mut cur = tn.parent;
            while let Some(p) = cur {
                chain.push(p);
                cur = tree[p].parent;
            }
            chain.reverse();
            for &m in &tn.members {
                leaf_path[m] = chain.clone();
            }
        }
    }
    // edges inside each group
    let mut inside = vec![0usize; tree.len()];
    for e in &d.edges {
        let (a, c) = (&leaf_path[e.from], &leaf_path[e.to]);
        for (x, y) in a.iter().zip(c) {
            if x != y {
                break;
            }
            inside[*x] += 1;
        }
    }
    // unique slugs, depth first order
    let mut order = Vec::new();
    let mut stack: Vec<usize> = tree[0].children.iter().rev().copied().collect();
    while let Some(t) = stack.pop() {
        order.push(t);
        stack.extend(tree[t].children.iter().rev().copied());
    }
    let mut slugs: Vec<String> = vec![String::new(); tree.len()];
    let mut used = BTreeSet::new();
    for &t in &order {
        let own = slugify(&tree[t].seg);
        let base = match tree[t].parent {
            Some(p) if p != 0 => format!("{}--{own}", slugs[p]),
            _ => own,
        };
        let mut slug = base.clone();
        let mut n = 2;
        while !used.insert(slug.clone()) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        slugs[t] = slug;
    }
    let top = tree[0].children.len();
    let by = words.group.0;
    let ctx = Ctx {
        d,
        tree,
        leaf_path: &leaf_path,
        inside: &inside,
        words,
        labels: (0..tree.len()).map(|t| b.full_label(t)).collect(),
        slugs: &slugs,
    };
    let mut overview = ctx.draw(0, Boundary::Drawn);
    overview.title = format!(
        "{} — overview by {by} ({} in {top} groups; each group drawn separately)",
        d.title,
        words.nodes(d.nodes.len()),
    );
    let parts = order
        .iter()
        .map(|&t| {
            let what = format!(
                "{}, {} inside",
                words.nodes(tree[t].members.len()),
                words.edges(inside[t])
            );
            let titled = |mut diagram: Diagram| {
                diagram.title = format!("{} — {} ({what})", d.title, ctx.labels[t]);
                diagram.view = format!("{}--{}", d.view, slugs[t]);
                diagram
            };
            let diagram = titled(ctx.draw(t, Boundary::Drawn));
            let leaf = tree[t].children.is_empty();
            let written = d
                .lanes
                .is_none()
                .then(|| titled(ctx.draw(t, Boundary::Written)))
                .filter(|w| *w != diagram);
            Part {
                slug: slugs[t].clone(),
                label: ctx.labels[t].clone(),
                depth: tree[t].depth,
                nodes: tree[t].members.len(),
                edges_inside: inside[t],
                is_overview: !leaf,
                diagram,
                written,
            }
        })
        .collect();
    let why = format!("more than the {max_nodes} that stay readable in one drawing");
    let explanation = explain(words, d.nodes.len(), &why, by);
    Some(Split {
        overview,
        parts,
        groups: top,
        nodes: d.nodes.len(),
        by: by.to_string(),
        explanation,
        words,
    })
}

/// The sentence that says why and how a view is split: `why` completes
/// "This view has N nodes, …" (e.g. "more than the 120 that stay readable
/// in one drawing"), `by` what it is drawn per.
pub fn explain(words: Words, nodes: usize, why: &str, by: &str) -> String {
    format!(
        "This view has {}, {why}, so it is drawn per {by}: the overview shows the {} and the {} between them; open a {} to see its {}.",
        words.nodes(nodes),
        words.short.1,
        words.edge.1,
        words.short.0,
        words.node.1,
    )
}

struct Ctx<'a> {
    d: &'a Diagram,
    tree: &'a [TNode],
    leaf_path: &'a [Vec<usize>],
    inside: &'a [usize],
    words: Words,
    labels: Vec<String>,
    slugs: &'a [String],
}

/// The columns of a swimlane diagram's part holding `members` (in this
/// order): the columns they use, in the view's order. Boundary nodes added
/// later have none (the layout puts them beside their neighbours).
fn part_lanes(l: &Lanes, members: &[usize]) -> Lanes {
    let col = |m: usize| {
        l.column
            .get(m)
            .copied()
            .flatten()
            .filter(|&c| c < l.columns.len())
    };
    let used: BTreeSet<usize> = members.iter().filter_map(|&m| col(m)).collect();
    let new_index: BTreeMap<usize, usize> = used.iter().enumerate().map(|(i, &c)| (c, i)).collect();
    Lanes {
        columns: used.iter().map(|&c| l.columns[c].clone()).collect(),
        column: members
            .iter()
            .map(|&m| col(m).and_then(|c| new_index.get(&c).copied()))
            .collect(),
    }
}

/// Palette index of boundary nodes (neutral grey).
const BOUNDARY_COLOR: usize = 7;

/// `items` joined by " · " into lines of about `width` characters (an
/// item longer than that has a line of its own).
fn fill_lines(items: &[String], width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for item in items {
        let need = cur.chars().count() + 3 + item.chars().count();
        if !cur.is_empty() && need > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push_str(" · ");
        }
        cur.push_str(item);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

impl Ctx<'_> {
    /// Where diagram node `m` is drawn in the drawing of tree node `t`:
    /// `Ok(unit)` inside (a child group, or the node itself in a leaf), or
    /// `Err(group)` outside: the group standing for it (the child of the
    /// lowest common ancestor on its side).
    fn place(&self, t: usize, m: usize) -> Result<usize, usize> {
        let p = &self.leaf_path[m];
        let depth = self.tree[t].depth;
        if p.get(depth) == Some(&t) {
            if self.tree[t].children.is_empty() {
                Ok(m)
            } else {
                Ok(p.get(depth + 1).copied().unwrap_or(t))
            }
        } else {
            // common prefix of t's chain and p
            let mut chain = vec![t];
            let mut cur = self.tree[t].parent;
            while let Some(c) = cur {
                chain.push(c);
                cur = self.tree[c].parent;
            }
            chain.reverse();
            let common = chain.iter().zip(p).take_while(|(a, b)| a == b).count();
            Err(p.get(common).copied().unwrap_or(0))
        }
    }

    fn draw(&self, t: usize, boundary: Boundary) -> Diagram {
        let d = self.d;
        let tn = &self.tree[t];
        let w = self.words;
        let leaf = tn.children.is_empty();
        let mut out = Diagram::blank(&d.view, &d.title, &d.footer, d.flow);
        if let Some(note) = &tn.note {
            out.footer = format!("{} · {note}", d.footer);
        }
        // units drawn: key → index in out.nodes
        let mut index: BTreeMap<usize, usize> = BTreeMap::new();
        if leaf {
            // the members, in view order, with their own frames (or one per packed sub-group)
            let mut group_map: BTreeMap<usize, usize> = BTreeMap::new();
            let mut frame_of: BTreeMap<usize, usize> = BTreeMap::new();
            if d.lanes.is_some() && tn.frames.is_empty() {
                // lanes keep the view's order
                let used: BTreeSet<usize> = tn
                    .members
                    .iter()
                    .filter_map(|&m| d.nodes[m].group)
                    .filter(|&g| g < d.groups.len())
                    .collect();
                for g in used {
                    group_map.insert(g, out.groups.len());
                    out.groups.push(d.groups[g].clone());
                }
            }
            for (i, (key, label, members)) in tn.frames.iter().enumerate() {
                out.groups.push(Group {
                    key: format!("grp-{i}-{}", slugify(key)),
                    label: label.clone(),
                    color: i % super::views::PALETTE,
                });
                for &m in members {
                    frame_of.insert(m, i);
                }
            }
            for &m in &tn.members {
                let mut n = d.nodes[m].clone();
                n.group = if tn.frames.is_empty() {
                    n.group.and_then(|g| {
                        let next = group_map.len();
                        let gi = *group_map.entry(g).or_insert(next);
                        if gi == next {
                            if let Some(gr) = d.groups.get(g) {
                                out.groups.push(gr.clone());
                            } else {
                                group_map.remove(&g);
                                return None;
                            }
                        }
                        Some(gi)
                    })
                } else {
                    frame_of.get(&m).copied()
                };
                index.insert(m, out.nodes.len());
                out.nodes.push(n);
            }
            out.legend = d.legend.clone();
            out.lanes = d.lanes.as_ref().map(|l| part_lanes(l, &tn.members));
        } else {
            for (i, &c) in tn.children.iter().enumerate() {
                let ct = &self.tree[c];
                let mut worst = None;
                let mut flagged = 0;
                for &m in &ct.members {
                    let f = finding_mark(&d.nodes[m].marks);
                    if f.is_some() {
                        flagged += 1;
                    }
                    worst = worse(worst, f);
                }
                let mut n = Node {
                    key: format!("grp-{}", self.slugs[c]),
                    label: ct.label.clone(),
                    sublabel: Some(format!(
                        "{} · {} inside",
                        w.nodes(ct.members.len()),
                        w.edges(self.inside[c])
                    )),
                    lines: Vec::new(),
                    shape: Shape::Rounded,
                    color: i % super::views::PALETTE,
                    marks: Vec::new(),
                    group: None,
                    tooltip: format!(
                        "{}: {} ({}, {} inside)",
                        w.group.0,
                        self.labels[c],
                        w.nodes(ct.members.len()),
                        w.edges(self.inside[c])
                    ),
                };
                if flagged > 0 {
                    n.lines.push(format!("{} with findings", w.nodes(flagged)));
                }
                n.marks.extend(worst);
                index.insert(c, out.nodes.len());
                out.nodes.push(n);
            }
            out.legend.push(LegendItem {
                swatch: Swatch::Line(None),
                text: format!(
                    "{} between two groups, counted (the box says how many stay inside)",
                    w.edge.1
                ),
            });
            out.legend.extend(
                d.legend
                    .iter()
                    .filter(|l| match l.swatch {
                        Swatch::Outline(m) => finding_mark(&[m]).is_some(),
                        _ => false,
                    })
                    .cloned(),
            );
        }
        // edges: inside kept (leaf) or counted per pair of units; leaving ones per outside group
        let mut pairs: BTreeMap<(usize, usize), Agg> = BTreeMap::new();
        let mut outside: BTreeMap<(usize, usize), Agg> = BTreeMap::new();
        for (ei, e) in d.edges.iter().enumerate() {
            let f = finding_mark(&e.marks);
            match (self.place(t, e.from), self.place(t, e.to)) {
                (Ok(a), Ok(b)) if leaf => {
                    let mut ne = e.clone();
                    ne.from = index[&a];
                    ne.to = index[&b];
                    out.edges.push(ne);
                }
                (Ok(a), Ok(b)) => {
                    if a == b {
                        continue;
                    }
                    let key = (a.min(b), a.max(b));
                    let agg = pairs.entry(key).or_default();
                    agg.count += 1;
                    if a < b || e.both_ways {
                        agg.forward = true;
                    }
                    if a > b || e.both_ways {
                        agg.backward = true;
                    }
                    agg.worst = worse(agg.worst, f);
                }
                (Ok(a), Err(o)) | (Err(o), Ok(a)) => {
                    let leaving = self.place(t, e.from).is_ok();
                    let agg = outside.entry((a, o)).or_default();
                    agg.count += 1;
                    if leaving || e.both_ways {
                        agg.forward = true;
                    }
                    if !leaving || e.both_ways {
                        agg.backward = true;
                    }
                    agg.worst = worse(agg.worst, f);
                    agg.single = Some(ei);
                }
                (Err(_), Err(_)) => {}
            }
        }
        for ((a, b), agg) in &pairs {
            let (from, to) = if agg.forward { (*a, *b) } else { (*b, *a) };
            out.edges.push(Edge {
                key: format!(
                    "agg-{}-{}",
                    out.nodes[index[&from]].key, out.nodes[index[&to]].key
                ),
                from: index[&from],
                to: index[&to],
                label: vec![w.edges(agg.count)],
                both_ways: agg.forward && agg.backward,
                marks: agg.worst.into_iter().collect(),
                tooltip: format!(
                    "{} between {} and {}",
                    w.edges(agg.count),
                    self.labels[*a],
                    self.labels[*b]
                ),
            });
        }
        // written boundary: every unflagged leaving edge as a line of its
        // member; only the flagged ones are drawn
        if boundary == Boundary::Written {
            let (written, drawn): (BTreeMap<_, _>, BTreeMap<_, _>) = std::mem::take(&mut outside)
                .into_iter()
                .partition(|(_, agg)| agg.worst.is_none());
            outside = drawn;
            let mut per_member: BTreeMap<usize, Vec<String>> = BTreeMap::new();
            for ((a, o), agg) in &written {
                let arrow = match (agg.forward, agg.backward) {
                    (true, true) => "↔",
                    (false, true) => "←",
                    _ => "→",
                };
                per_member
                    .entry(*a)
                    .or_default()
                    .push(format!("{arrow} {} ({})", self.labels[*o], agg.count));
            }
            for (a, items) in &per_member {
                let n = &mut out.nodes[index[a]];
                let lines = fill_lines(items, WRITTEN_LINE);
                n.tooltip = format!(
                    "{}; {} with other groups: {}",
                    n.tooltip,
                    w.edge.1,
                    items.join(", ")
                );
                n.lines.extend(lines);
            }
            if !written.is_empty() {
                out.legend.push(LegendItem {
                    swatch: Swatch::Line(None),
                    text: format!(
                        "→ Group (3) under a name: 3 {} to that group's {} (← from them, ↔ both ways), drawn in that group's drawing",
                        w.edge.1, w.node.1
                    ),
                });
            }
        }
        // boundary nodes, one per outside group, in tree order
        let mut per_group: BTreeMap<usize, usize> = BTreeMap::new();
        for ((_, o), agg) in &outside {
            *per_group.entry(*o).or_default() += agg.count;
        }
        let mut boundary: BTreeMap<usize, usize> = BTreeMap::new();
        for (&o, &n) in &per_group {
            boundary.insert(o, out.nodes.len());
            out.nodes.push(Node {
                key: format!("out-{}", self.slugs[o]),
                label: format!("→ {} ({n})", self.labels[o]),
                sublabel: Some(format!("{} to and from that group", w.edge.1)),
                lines: Vec::new(),
                shape: Shape::Pill,
                color: BOUNDARY_COLOR,
                marks: Vec::new(),
                group: None,
                tooltip: format!(
                    "{} of this group {} to {}, drawn separately",
                    w.edges(n),
                    crate::words::agree(n, "goes", "go"),
                    self.labels[o]
                ),
            });
        }
        for ((a, o), agg) in &outside {
            let inner = index[a];
            let b = boundary[o];
            let (from, to) = if agg.forward { (inner, b) } else { (b, inner) };
            let single = (agg.count == 1).then_some(agg.single).flatten();
            let (key, label, marks, tooltip) = match single.map(|i| &d.edges[i]) {
                Some(e) if leaf => (
                    format!("{}--out", e.key),
                    e.label.clone(),
                    e.marks.clone(),
                    e.tooltip.clone(),
                ),
                _ => (
                    format!("out-{}-{o}", out.nodes[inner].key),
                    vec![w.edges(agg.count)],
                    agg.worst.into_iter().collect(),
                    format!(
                        "{} between {} and {}",
                        w.edges(agg.count),
                        out.nodes[inner].label,
                        self.labels[*o]
                    ),
                ),
            };
            out.edges.push(Edge {
                key,
                from,
                to,
                label,
                both_ways: agg.forward && agg.backward,
                marks,
                tooltip,
            });
        }
        if !boundary.is_empty() {
            out.legend.push(LegendItem {
                swatch: Swatch::Fill(BOUNDARY_COLOR),
                text: format!(
                    "→ another group (pill): {} leaving this group, drawn in full in that group's drawing",
                    w.edge.1
                ),
            });
        }
        // boundary labels, lines and tooltips are made of group names
        out.bound_text();
        out
    }
}

#[cfg(test)]
mod tests;
