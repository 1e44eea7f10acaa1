//! `single-point-of-failure`: an integration or system that lies on every
//! route by which some data reaches a place that needs it, so that its
//! failure alone stops an activity or a KPI.
//!
//! For each data entity that an activity or KPI needs in a system (see
//! [`super::needs`]) and that arrives there today, every route from its
//! systems of record (from the systems holding it, when none is the
//! record) to that place is considered; what all routes share is a single
//! point of failure for the flow ([`crate::graph::cuts`]): an integration,
//! a system the data is relayed through, or the platform an integration
//! routes via. Not reported: the last integration into the place when
//! nothing else rides on it, and not routed via a platform (every
//! point-to-point feed is that; it is the design, not a hidden risk) —
//! its platform, if any, is reported instead. A flow that feeds a KPI
//! measuring an AV goal names the goal (the severity stays: a single route
//! is a risk to watch, not a fault; `kpi-not-computable` is the fault).

use std::collections::BTreeMap;

use petgraph::graph::NodeIndex;

use super::{Context, Finding, Need, Rule};
use crate::graph::cuts::single_points;
use crate::graph::EdgeKind;
use crate::model::{Kind, Level};

/// How many cut flows a message names.
const FLOWS_NAMED: usize = 3;

/// See the module documentation.
pub struct SinglePointOfFailure;

/// The needs of one entity that a point's failure would stop: the first
/// few, and how many.
struct Cut<'n> {
    entity: NodeIndex,
    needs: Vec<&'n Need>,
    total: usize,
}

impl Rule for SinglePointOfFailure {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn default_level(&self) -> Level {
        Level::Info
    }
    fn rationale(&self) -> &'static str {
        "When every route by which data reaches the activity or KPI that needs it runs through one integration or system, its outage stops that work."
    }
    fn fix(&self) -> &'static str {
        "Monitor it and alert on failures, or add a second route for the data that does not pass through it."
    }
    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        let g = cx.graph;
        let needs = super::needs(cx);
        // entity -> its needs that are met today, in order
        let mut by_entity: BTreeMap<NodeIndex, Vec<&Need>> = BTreeMap::new();
        for n in &needs {
            if n.places.iter().any(|&p| cx.flow.available(n.entity, p)) {
                by_entity.entry(n.entity).or_default().push(n);
            }
        }
        // point -> per entity, the needs it cuts
        let mut cuts: BTreeMap<NodeIndex, Vec<Cut<'_>>> = BTreeMap::new();
        for (e, list) in by_entity {
            let flow = cx.flow.of(e);
            let mut sources: Vec<NodeIndex> = flow.records().collect();
            if sources.is_empty() {
                sources = flow.holders.iter().map(|(s, _)| *s).collect();
            }
            let places: Vec<&[NodeIndex]> = list.iter().map(|n| n.places.as_slice()).collect();
            for (p, sample) in single_points(g, cx.flow.hops(e), &sources, &places) {
                cuts.entry(p).or_default().push(Cut {
                    entity: e,
                    needs: sample.items.iter().map(|&j| list[j]).collect(),
                    total: sample.total,
                });
            }
        }
        for (point, cut) in cuts {
            if let Some((from, to)) = g.ends(point) {
                // an integration: its platform's finding, if it has one
                if g.out(point, EdgeKind::RoutesVia).next().is_some() {
                    continue;
                }
                // the design of a point-to-point feed: it delivers to the
                // place itself (judged by the needs kept; the rest are
                // later activities and KPIs of the same flows)
                let last_hop = cut
                    .iter()
                    .flat_map(|c| &c.needs)
                    .all(|n| n.places.contains(&to) || n.places.contains(&from));
                if last_hop {
                    continue;
                }
            }
            out.push(finding(self, cx, point, &cut));
        }
    }
}

fn finding(
    rule: &SinglePointOfFailure,
    cx: &Context<'_, '_>,
    point: NodeIndex,
    cut: &[Cut<'_>],
) -> Finding {
    let g = cx.graph;
    // entity -> (the places it would reach none of, who needs it there, how many)
    let mut flows: BTreeMap<NodeIndex, (Vec<NodeIndex>, Vec<&Need>, usize)> = BTreeMap::new();
    for c in cut {
        let (places, whos, total) = flows.entry(c.entity).or_default();
        *total += c.total;
        for n in &c.needs {
            for &p in &n.places {
                if !places.contains(&p) {
                    places.push(p);
                }
            }
            if !whos.iter().any(|w| w.who == n.who) {
                whos.push(n);
            }
        }
    }
    let named: Vec<String> = flows
        .iter()
        .take(FLOWS_NAMED)
        .map(|(&e, (places, whos, total))| {
            let shown: Vec<String> = whos
                .iter()
                .take(3)
                .map(|n| {
                    if n.kpi {
                        format!("KPI `{}`", cx.id(n.who))
                    } else {
                        g.entity(n.who).describe()
                    }
                })
                .collect();
            format!(
                "`{}` no longer reaches {} (needed by {})",
                cx.id(e),
                cx.list_or(places, 3),
                super::join_counted(&shown, *total, "and"),
            )
        })
        .collect();
    let goals: Vec<NodeIndex> = {
        let mut v: Vec<NodeIndex> = cut
            .iter()
            .flat_map(|c| &c.needs)
            .filter(|n| n.kpi)
            .flat_map(|n| g.inc(n.who, EdgeKind::Measures))
            .filter(|&goal| g.present(goal, cx.state))
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let what = match g.entity(point).kind() {
        Kind::Integration => format!(
            "integration `{}` ({})",
            cx.id(point),
            super::text(g.entity(point).name())
        ),
        _ => format!(
            "{} (`{}`)",
            super::text(g.entity(point).name()),
            cx.id(point)
        ),
    };
    let mut message = format!("if {what} stops, {}", named.join("; "));
    if flows.len() > named.len() {
        let more = flows.len() - named.len();
        message.push_str(&format!(
            "; and {more} more {}",
            crate::words::agree(more, "flow", "flows")
        ));
    }
    if !goals.is_empty() {
        message.push_str(&format!(
            " — the plan could no longer track {} {}",
            crate::words::agree(goals.len(), "goal", "goals"),
            cx.list(&goals, 3)
        ));
    }
    // the first flow's second route: from the entity's best source
    let Some((&e, (places, _, _))) = flows.iter().next() else {
        unreachable!("a point is reported only for the needs it cuts")
    };
    // from where it is held (its record first), not from the point
    let flow = cx.flow.of(e);
    let from: Vec<NodeIndex> = super::sources(flow)
        .into_iter()
        .take_while(|&s| flow.holders.iter().any(|&(h, _)| h == s))
        .filter(|&s| s != point && !places.contains(&s))
        .collect();
    let from_text = match from.first() {
        Some(&s) if super::is_record(flow, s) => {
            format!("from `{}` (its system of record) ", cx.id(s))
        }
        Some(&s) => format!("from `{}` ", cx.id(s)),
        None => String::new(),
    };
    let fix = format!(
        "monitor `{}` and alert on failures; if the flow must not stop, add a second route that does not pass through it (e.g. an integration carrying `{}` {from_text}to `{}`)",
        cx.id(point),
        cx.id(e),
        cx.id(places[0])
    );
    let mut related: Vec<NodeIndex> = Vec::new();
    for (&e, (places, whos, _)) in &flows {
        related.extend(places.iter().copied());
        related.extend(whos.iter().map(|n| n.who));
        related.push(e);
    }
    cx.finding(rule, "only-route", point, &related, message, fix)
}

#[cfg(test)]
mod tests {
    use crate::analysis::testing::{findings, keys};
    use crate::model::{Level, State};

    const DIV: &str = r#"(entities: [(id: "opp", name: "Opportunity")])"#;

    /// The issue's stack: opportunities reach billing only through the
    /// iPaaS, though billing is connected to the rest through the
    /// warehouse and the ERP.
    fn sv(extra: &str) -> String {
        format!(
            r#"(systems: [
            (id: "crm", name: "CRM", kind: crm, holds: [(entity: "opp", role: record)]),
            (id: "wk", name: "Workato", kind: ipaas),
            (id: "bill", name: "Billing", kind: billing),
            (id: "dw", name: "DW", kind: data_warehouse),
            (id: "bi", name: "BI", kind: bi),
            (id: "erp", name: "ERP", kind: erp),
          ], integrations: [
            (id: "opp-sync", name: "Opp sync", source: "crm", target: "bill", via: "wk", carries: ["opp"], mechanism: ipaas, frequency: hourly),
            (id: "crm-dw", name: "CRM to DW", source: "crm", target: "dw", carries: ["opp"], mechanism: batch_etl, frequency: daily),
            (id: "dw-bi", name: "DW to BI", source: "dw", target: "bi", carries: ["opp"], mechanism: native_connector, frequency: daily),
            (id: "bill-dw", name: "Billing to DW", source: "bill", target: "dw", carries: [], mechanism: batch_etl, frequency: daily),
            (id: "bill-erp", name: "Billing to ERP", source: "bill", target: "erp", carries: [], mechanism: api, frequency: daily),
            {extra}
          ])"#
        )
    }

    const OV: &str = r#"(performers: [(id: "fin", name: "Finance")], activities: [
        (id: "invoice", name: "Invoice", performer: "fin", stage: close, inputs: ["opp"], systems: ["bill"]),
      ])"#;

    const STDV: &str = r#"(standards: [(id: "pipe", name: "Pipeline", kind: kpi(formula: "x", unit: "$", computed_from: ["opp"], computed_in: "bi"))])"#;

    fn files<'a>(sv: &'a str, av: &'a str) -> Vec<(&'a str, &'a str)> {
        vec![
            ("sv.ron", sv),
            ("div.ron", DIV),
            ("ov.ron", OV),
            ("stdv.ron", STDV),
            ("av.ron", av),
        ]
    }

    #[test]
    fn the_platform_and_the_relay_on_the_only_route() {
        let sv = sv("");
        let f = findings("single-point-of-failure", &files(&sv, "()"), State::ToBe);
        let k: Vec<String> = f.iter().map(|f| f.key()).collect();
        // the iPaaS (not its integration), the warehouse relay and the ETL
        // upstream of it; not the last hops into billing and BI
        assert_eq!(
            k,
            [
                "single-point-of-failure/only-route:crm-dw",
                "single-point-of-failure/only-route:dw",
                "single-point-of-failure/only-route:wk",
            ],
            "{f:#?}"
        );
        let wk = &f[2];
        assert_eq!(
            wk.message,
            "if Workato (`wk`) stops, `opp` no longer reaches `bill` (needed by activity `invoice`)"
        );
        assert!(
            wk.fix
                .contains("from `crm` (its system of record) to `bill`"),
            "{}",
            wk.fix
        );
        assert_eq!(wk.level, Level::Info);
        assert!(f[0]
            .message
            .starts_with("if integration `crm-dw` (CRM to DW) stops"));
    }

    #[test]
    fn a_goal_kpi_on_the_route_is_named() {
        let sv = sv("");
        let av = r#"(goals: [(id: "grow", name: "Grow", target: "x", kpi: "pipe")])"#;
        let f = findings("single-point-of-failure", &files(&sv, av), State::ToBe);
        let dw = f.iter().find(|f| f.subject.id == "dw").expect("dw");
        assert_eq!(dw.level, Level::Info);
        assert!(
            dw.message
                .ends_with(" — the plan could no longer track goal `grow`"),
            "{}",
            dw.message
        );
        let wk = f.iter().find(|f| f.subject.id == "wk").expect("wk");
        assert!(!wk.message.contains("goal"), "the iPaaS feeds no goal KPI");
    }

    #[test]
    fn near_miss_second_routes() {
        // a direct route to billing and one to BI: nothing is single
        let sv = sv(
            r#"(id: "crm-bill", name: "direct", source: "crm", target: "bill", carries: ["opp"], mechanism: api, frequency: daily),
               (id: "crm-bi", name: "direct bi", source: "crm", target: "bi", carries: ["opp"], mechanism: api, frequency: daily),"#,
        );
        assert!(keys("single-point-of-failure", &files(&sv, "()"), State::ToBe).is_empty());
    }

    #[test]
    fn structural_hubs_alone_are_not_reported() {
        // the hub links everything, but no activity or KPI needs data
        // across it
        let sv = r#"(systems: [
            (id: "hub", name: "Hub", kind: crm), (id: "a", name: "A", kind: other),
            (id: "b", name: "B", kind: other),
          ], integrations: [
            (id: "x", name: "x", source: "a", target: "hub", carries: [], mechanism: api, frequency: daily),
            (id: "y", name: "y", source: "hub", target: "b", carries: [], mechanism: api, frequency: daily),
          ])"#;
        assert!(keys("single-point-of-failure", &[("sv.ron", sv)], State::ToBe).is_empty());
    }
}
