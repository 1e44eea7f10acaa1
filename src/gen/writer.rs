//! The writer: one text buffer per list of each viewpoint file, filled in one
//! pass (central stack, then each regional stack), then put together.

use super::catalog::{self, JURISDICTIONS};
use super::ron_text::{self, List};
use super::stack::Stack;
use super::{plan_groups, Generated, Group, Slot, CENTRAL, MARKER};
use crate::model::{Counts, Lifecycle};

/// Ids of the central stack.
pub(super) const CW: &str = "snowflake-global";
pub(super) const LOOKER: &str = "looker";
pub(super) const WORKATO: &str = "workato";
pub(super) const HIGHTOUCH: &str = "hightouch";
pub(super) const ERP: &str = "netsuite";
pub(super) const CENTRAL_IDS: [&str; CENTRAL] = [CW, LOOKER, WORKATO, HIGHTOUCH, ERP];

/// A system to write.
pub(super) struct Sys {
    pub slot: Slot,
    pub id: String,
    pub name: String,
    pub description: String,
    pub owner: Option<String>,
    pub kind: &'static str,
    pub vendor: &'static str,
    pub lifecycle: Lifecycle,
    /// (entity, system of record?)
    pub holds: Vec<(String, bool)>,
    pub comment: Option<String>,
    /// Holds or receives personal data (so a privacy regulation must cover it).
    pub pii: bool,
}

/// One end of an integration: a system of the regional stack, or of the
/// central stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum End {
    Local(Slot),
    Central(&'static str),
}

/// How an integration moves data.
#[derive(Clone, Copy)]
pub(super) struct How {
    pub mechanism: &'static str,
    pub frequency: &'static str,
    pub bidirectional: bool,
}

/// `How` of a one-way integration.
pub(super) const fn one_way(mechanism: &'static str, frequency: &'static str) -> How {
    How {
        mechanism,
        frequency,
        bidirectional: false,
    }
}

/// `How` of a two-way sync.
pub(super) const fn sync(mechanism: &'static str, frequency: &'static str) -> How {
    How {
        mechanism,
        frequency,
        bidirectional: true,
    }
}

/// An integration to write.
pub(super) struct Int {
    pub id: String,
    pub name: String,
    pub description: String,
    pub owner: String,
    pub source: End,
    pub target: End,
    pub carries: Vec<String>,
    pub how: How,
    pub via: Option<&'static str>,
    pub realizes: Vec<String>,
    pub lifecycle: Lifecycle,
    pub comment: Option<String>,
}

/// An activity to write.
pub(super) struct Act<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub performer: &'a str,
    pub stage: &'a str,
    pub order: u32,
    pub inputs: &'a [&'a str],
    pub outputs: &'a [&'a str],
    pub systems: &'a [&'a str],
    pub comment: Option<&'a str>,
}

/// An information exchange (needline) to write.
pub(super) struct Xchg<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub owner: &'a str,
    pub from: &'a str,
    pub to: &'a str,
    pub carries: &'a [&'a str],
    pub activity: Option<&'a str>,
}

/// A KPI standard to write.
pub(super) struct Kpi<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub owner: &'a str,
    pub formula: &'a str,
    pub unit: &'a str,
    pub from: &'a [&'a str],
    pub computed_in: &'a str,
}

/// Any other standard to write; `kind` is RON (`policy(privacy: true)`).
pub(super) struct Std<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub description: Option<&'a str>,
    pub owner: &'a str,
    pub kind: &'a str,
    pub applies_to: &'a [&'a str],
}

/// An attribute of a data entity.
pub(super) struct Attr {
    pub name: &'static str,
    pub ty: &'static str,
    pub key: bool,
    pub pii: bool,
}

/// A plain attribute.
pub(super) const fn attr(name: &'static str, ty: &'static str) -> Attr {
    Attr {
        name,
        ty,
        key: false,
        pii: false,
    }
}

/// A key attribute.
pub(super) const fn key(name: &'static str, ty: &'static str) -> Attr {
    Attr {
        name,
        ty,
        key: true,
        pii: false,
    }
}

/// A personal-data attribute.
pub(super) const fn pii(name: &'static str, ty: &'static str) -> Attr {
    Attr {
        name,
        ty,
        key: false,
        pii: true,
    }
}

/// A relation to another data entity: (to, cardinality, label).
pub(super) type Rel = (&'static str, &'static str, &'static str);

/// A data entity to write.
pub(super) struct Ent<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub owner: &'a str,
    pub classification: &'a str,
    /// The reason of an `allow` of `system-of-record-conflict`.
    pub partitioned: Option<&'a str>,
    pub attrs: &'a [Attr],
    pub rels: &'a [Rel],
    pub comment: Option<&'a str>,
}

pub(super) struct Writer {
    pub systems: usize,
    pub seed: u64,
    pub company: &'static str,
    pub groups: Vec<Group>,
    pub units: usize,
    pub counts: Counts,
    /// `state rule/case:subject` lines for av.ron.
    pub expected: Vec<String>,
    pub sys: List,
    pub ints: List,
    pub performers: List,
    pub activities: List,
    pub exchanges: List,
    pub standards: List,
    pub entities: List,
    /// Systems that hold or receive personal data, per jurisdiction.
    pub privacy: Vec<Vec<String>>,
    /// Systems SOC 2 applies to.
    pub soc2: Vec<String>,
}

fn lifecycle_str(l: Lifecycle) -> &'static str {
    match l {
        Lifecycle::Current => "current",
        Lifecycle::Planned => "planned",
        Lifecycle::Retiring => "retiring",
    }
}

/// Owned copies of string slices.
pub(super) fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

impl Writer {
    pub fn new(systems: usize, seed: u64) -> Writer {
        let mut rng = super::Rng::derived(seed, 0);
        let company = catalog::COMPANIES[rng.below(catalog::COMPANIES.len())];
        let (groups, units) = plan_groups(systems - CENTRAL, seed);
        Writer {
            systems,
            seed,
            company,
            groups,
            units,
            counts: Counts::default(),
            expected: Vec::new(),
            sys: List::default(),
            ints: List::default(),
            performers: List::default(),
            activities: List::default(),
            exchanges: List::default(),
            standards: List::default(),
            entities: List::default(),
            privacy: vec![Vec::new(); JURISDICTIONS.len()],
            soc2: strings(&CENTRAL_IDS),
        }
    }

    pub fn run(mut self) -> Generated {
        self.central();
        let groups = std::mem::take(&mut self.groups);
        for g in &groups {
            self.stack(&Stack::new(g));
        }
        self.groups = groups;
        self.privacy_standards();
        // the central stack's single routes: the warehouse and the ETL into
        // it (every global KPI and the reverse-ETL flows), NetSuite (which
        // relays what Workato books into it), and the iPaaS
        for point in [CW, "netsuite-to-global", ERP, WORKATO] {
            self.expected
                .push(format!("both single-point-of-failure/only-route:{point}"));
        }
        self.expected.sort();
        self.expected.dedup();
        let files = vec![
            ("av.ron", self.av()),
            ("ov.ron", self.ov()),
            ("sv.ron", self.sv()),
            ("stdv.ron", self.stdv()),
            ("div.ron", self.div()),
        ];
        Generated {
            files,
            counts: self.counts,
            groups: self.groups.len(),
            units: self.units,
            planted: self.groups.iter().map(|g| g.plants.len()).sum(),
            expected: self.expected,
        }
    }

    /// How many regional stacks have `slot`.
    pub fn with_slot(&self, slot: Slot) -> usize {
        self.groups.iter().filter(|g| g.has(slot)).count()
    }

    /// The first lines of every file.
    pub fn header(&self, what: &str) -> String {
        let mut out = String::new();
        ron_text::comment(
            &mut out,
            "",
            &format!(
                "Generated by `revarch gen --systems {} --seed {}`: {what} of {}, a synthetic revenue architecture. Regenerate it rather than edit it: the same command always writes the same bytes.",
                self.systems, self.seed, self.company
            ),
        );
        debug_assert!(out.starts_with(MARKER));
        out
    }

    // ---- records --------------------------------------------------------------------------

    pub fn system(&mut self, s: &Sys, tags: &[&str]) {
        let l = &mut self.sys;
        if let Some(c) = &s.comment {
            l.comment(c);
        }
        l.open();
        l.str("id", &s.id);
        l.str("name", &s.name);
        l.str("description", &s.description);
        l.opt("owner", s.owner.as_deref());
        l.list("tags", tags);
        l.raw("kind", s.kind);
        l.str("vendor", s.vendor);
        if s.lifecycle != Lifecycle::Current {
            l.raw("lifecycle", lifecycle_str(s.lifecycle));
        }
        let rows: Vec<String> = s
            .holds
            .iter()
            .map(|(e, record)| {
                let mut r = String::from("(entity: ");
                ron_text::push_quoted(&mut r, e);
                r.push_str(if *record {
                    ", role: record)"
                } else {
                    ", role: copy)"
                });
                r
            })
            .collect();
        l.rows("holds", &rows);
        l.close();
        self.counts.systems += 1;
    }

    pub fn integration(&mut self, i: &Int, source: &str, target: &str) {
        let l = &mut self.ints;
        if let Some(c) = &i.comment {
            l.comment(c);
        }
        l.open();
        l.str("id", &i.id);
        l.str("name", &i.name);
        l.str("description", &i.description);
        l.str("owner", &i.owner);
        l.str("source", source);
        l.str("target", target);
        l.opt("via", i.via);
        l.list_always("carries", &i.carries);
        l.raw("mechanism", i.how.mechanism);
        l.raw("frequency", i.how.frequency);
        if i.how.bidirectional {
            l.raw("direction", "bidirectional");
        }
        l.list("realizes", &i.realizes);
        if i.lifecycle != Lifecycle::Current {
            l.raw("lifecycle", lifecycle_str(i.lifecycle));
        }
        l.close();
        self.counts.integrations += 1;
    }

    pub fn performer(
        &mut self,
        id: &str,
        name: &str,
        kind: &str,
        owner: Option<&str>,
        description: &str,
    ) {
        let l = &mut self.performers;
        l.open();
        l.str("id", id);
        l.str("name", name);
        l.str("description", description);
        l.opt("owner", owner);
        l.raw("kind", kind);
        l.close();
        self.counts.performers += 1;
    }

    pub fn activity(&mut self, a: &Act<'_>) {
        let l = &mut self.activities;
        if let Some(c) = a.comment {
            l.comment(c);
        }
        l.open();
        l.str("id", a.id);
        l.str("name", a.name);
        l.str("description", a.description);
        l.str("performer", a.performer);
        l.raw("stage", a.stage);
        l.raw("order", &a.order.to_string());
        l.list("inputs", a.inputs);
        l.list("outputs", a.outputs);
        l.list("systems", a.systems);
        l.close();
        self.counts.activities += 1;
    }

    pub fn exchange(&mut self, x: &Xchg<'_>) {
        let l = &mut self.exchanges;
        l.open();
        l.str("id", x.id);
        l.str("name", x.name);
        l.str("description", x.description);
        l.str("owner", x.owner);
        l.str("from", x.from);
        l.str("to", x.to);
        l.list("carries", x.carries);
        l.opt("activity", x.activity);
        l.close();
        self.counts.exchanges += 1;
    }

    pub fn kpi(&mut self, k: &Kpi<'_>) {
        let mut kind = String::from("kpi(\n                formula: ");
        ron_text::push_quoted(&mut kind, k.formula);
        kind.push_str(",\n                unit: ");
        ron_text::push_quoted(&mut kind, k.unit);
        kind.push_str(",\n                ");
        ron_text::quoted_list(&mut kind, "                ", "computed_from", k.from);
        kind.push_str(",\n                computed_in: ");
        ron_text::push_quoted(&mut kind, k.computed_in);
        kind.push_str(",\n            )");
        let l = &mut self.standards;
        l.open();
        l.str("id", k.id);
        l.str("name", k.name);
        l.str("description", k.description);
        l.str("owner", k.owner);
        l.raw("kind", &kind);
        l.close();
        self.counts.standards += 1;
    }

    pub fn standard(&mut self, s: &Std<'_>) {
        let l = &mut self.standards;
        l.open();
        l.str("id", s.id);
        l.str("name", s.name);
        l.opt("description", s.description);
        l.str("owner", s.owner);
        l.raw("kind", s.kind);
        l.list("applies_to", s.applies_to);
        l.close();
        self.counts.standards += 1;
    }

    pub fn entity(&mut self, e: &Ent<'_>) {
        let l = &mut self.entities;
        if let Some(c) = e.comment {
            l.comment(c);
        }
        l.open();
        l.str("id", e.id);
        l.str("name", e.name);
        l.str("description", e.description);
        l.str("owner", e.owner);
        if let Some(reason) = e.partitioned {
            let mut allow = String::from("[(rule: \"system-of-record-conflict\", reason: ");
            ron_text::push_quoted(&mut allow, reason);
            allow.push_str(")]");
            l.raw("allow", &allow);
        }
        l.raw("classification", e.classification);
        let rows: Vec<String> = e
            .attrs
            .iter()
            .map(|a| {
                let mut r = String::from("(name: ");
                ron_text::push_quoted(&mut r, a.name);
                r.push_str(", type: ");
                ron_text::push_quoted(&mut r, a.ty);
                if a.key {
                    r.push_str(", key: true");
                }
                if a.pii {
                    r.push_str(", pii: true");
                }
                r.push(')');
                r
            })
            .collect();
        l.rows("attributes", &rows);
        let rows: Vec<String> = e
            .rels
            .iter()
            .map(|(to, cardinality, label)| {
                let mut r = String::from("(to: ");
                ron_text::push_quoted(&mut r, to);
                r.push_str(", cardinality: ");
                r.push_str(cardinality);
                r.push_str(", label: ");
                ron_text::push_quoted(&mut r, label);
                r.push(')');
                r
            })
            .collect();
        l.rows("relations", &rows);
        l.close();
        self.counts.entities += 1;
    }

    // ---- files ----------------------------------------------------------------------------

    /// A viewpoint file: the header, then each list. Takes the lists'
    /// text (one copy, into a string of the right size).
    fn file(&self, what: &str, lists: Vec<(&str, List)>) -> String {
        let header = self.header(what);
        let size = header.len()
            + 4
            + lists
                .iter()
                .map(|(k, l)| k.len() + l.text.len() + 16)
                .sum::<usize>();
        let mut out = String::with_capacity(size);
        out.push_str(&header);
        out.push_str("(\n");
        for (i, (key, list)) in lists.into_iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str("    ");
            out.push_str(key);
            out.push_str(": [\n");
            out.push_str(&list.text);
            out.push_str("    ],\n");
        }
        out.push_str(")\n");
        out
    }

    fn ov(&mut self) -> String {
        let lists = vec![
            ("performers", std::mem::take(&mut self.performers)),
            ("activities", std::mem::take(&mut self.activities)),
            ("exchanges", std::mem::take(&mut self.exchanges)),
        ];
        self.file("the Operational Viewpoint (OV)", lists)
    }

    fn sv(&mut self) -> String {
        let lists = vec![
            ("systems", std::mem::take(&mut self.sys)),
            ("integrations", std::mem::take(&mut self.ints)),
        ];
        self.file("the Systems Viewpoint (SV)", lists)
    }

    fn stdv(&mut self) -> String {
        let lists = vec![("standards", std::mem::take(&mut self.standards))];
        self.file("the Standards Viewpoint (StdV)", lists)
    }

    fn div(&mut self) -> String {
        let lists = vec![("entities", std::mem::take(&mut self.entities))];
        self.file("the Data and Information Viewpoint (DIV)", lists)
    }
}
