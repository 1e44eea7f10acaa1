//! `warehouse-gap`: an entity a KPI is computed from never reaches the
//! analytics warehouse or BI tool, so the KPI cannot be reported.
//!
//! Only KPIs that do not say where they are computed count: the warehouse
//! is where a KPI is computed unless the model says otherwise. A KPI with a
//! `computed_in` system is `kpi-not-computable`'s, which follows its sources
//! to that very system (so each KPI is checked by exactly one of the two).

use std::collections::BTreeMap;

use petgraph::graph::NodeIndex;

use super::{Context, Finding, Rule};
use crate::graph::EdgeKind;
use crate::model::{Kind, Level};

/// See the module documentation.
pub struct WarehouseGap;

impl Rule for WarehouseGap {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn default_level(&self) -> Level {
        Level::Warning
    }
    fn rationale(&self) -> &'static str {
        "A KPI whose data never reaches the warehouse or BI tool is computed by hand, or not at all."
    }
    fn fix(&self) -> &'static str {
        "Add a batch ETL (or connector) that carries the entity into the warehouse."
    }
    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        let g = cx.graph;
        let analytics: Vec<NodeIndex> = g
            .present_of(Kind::System, cx.state)
            .filter(|&s| g.system_kind(s).is_some_and(|k| k.is_analytics()))
            .collect();
        // entity -> KPIs that need it
        let mut needed: BTreeMap<NodeIndex, Vec<NodeIndex>> = BTreeMap::new();
        for (k, _) in super::kpis(cx) {
            // computed somewhere named: kpi-not-computable's
            if g.out(k, EdgeKind::ComputedIn).next().is_some() {
                continue;
            }
            for e in g.out(k, EdgeKind::ComputedFrom) {
                needed.entry(e).or_default().push(k);
            }
        }
        for (e, kpis) in needed {
            let flow = cx.flow.of(e);
            if flow.holders.is_empty() {
                continue; // kpi-without-data says so
            }
            if analytics.iter().any(|&a| flow.reach.contains_key(&a)) {
                continue;
            }
            let holders: Vec<NodeIndex> = flow.holders.iter().map(|(s, _)| *s).collect();
            let mut related = kpis.clone();
            related.extend(&holders);
            let (case, message, fix) = if analytics.is_empty() {
                (
                    "no-warehouse",
                    format!(
                        "{} (`{}`) feeds {} but the model has no warehouse or BI system in the {} state",
                        super::text(g.entity(e).name()),
                        cx.id(e),
                        cx.list(&kpis, 3),
                        cx.state
                    ),
                    "add the analytics warehouse (kind `data_warehouse`) and load the KPI data into it".to_string(),
                )
            } else {
                (
                    "not-loaded",
                    format!(
                        "{} (`{}`) feeds {} but never reaches {}: it stays in {}",
                        super::text(g.entity(e).name()),
                        cx.id(e),
                        cx.list(&kpis, 3),
                        cx.list_or(&analytics, 2),
                        cx.list(&flow.reach.keys().copied().collect::<Vec<_>>(), 4)
                    ),
                    {
                        // from the system of record, not a copy of it
                        let from = super::sources(flow).first().copied().unwrap_or(holders[0]);
                        format!(
                            "add a batch ETL carrying `{}` from `{}`{} to `{}`",
                            cx.id(e),
                            cx.id(from),
                            if super::is_record(flow, from) {
                                " (its system of record)"
                            } else {
                                ""
                            },
                            cx.id(analytics[0])
                        )
                    },
                )
            };
            out.push(cx.finding(self, case, e, &related, message, fix));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::testing::keys;
    use crate::model::State;

    const STDV: &str = r#"(standards: [(id: "nrr", name: "NRR", kind: kpi(formula: "x", unit: "%", computed_from: ["sub"]))])"#;
    const DIV: &str = r#"(entities: [(id: "sub", name: "Subscription")])"#;

    fn sv(lifecycle: &str) -> String {
        format!(
            r#"(systems: [
            (id: "bill", name: "Billing", kind: billing, holds: [(entity: "sub", role: record)]),
            (id: "dw", name: "DW", kind: data_warehouse),
          ], integrations: [
            (id: "etl", name: "etl", source: "bill", target: "dw", carries: ["sub"], mechanism: batch_etl, frequency: daily, lifecycle: {lifecycle}),
          ])"#
        )
    }

    #[test]
    fn gap_when_not_loaded() {
        let s = sv("planned");
        let files = [("sv.ron", s.as_str()), ("div.ron", DIV), ("stdv.ron", STDV)];
        assert_eq!(
            keys("warehouse-gap", &files, State::AsIs),
            vec!["warehouse-gap/not-loaded:sub"]
        );
        assert!(keys("warehouse-gap", &files, State::ToBe).is_empty());
    }

    #[test]
    fn no_warehouse_at_all() {
        let sv = r#"(systems: [(id: "bill", name: "Billing", kind: billing, holds: [(entity: "sub", role: record)])])"#;
        let files = [("sv.ron", sv), ("div.ron", DIV), ("stdv.ron", STDV)];
        assert_eq!(
            keys("warehouse-gap", &files, State::ToBe),
            vec!["warehouse-gap/no-warehouse:sub"]
        );
    }

    #[test]
    fn the_fix_loads_from_the_system_of_record_not_a_copy() {
        // the copy is listed first in the model; the fix still names the record
        let sv = r#"(systems: [
            (id: "crm", name: "CRM", kind: crm, holds: [(entity: "sub", role: copy)]),
            (id: "bill", name: "Billing", kind: billing, holds: [(entity: "sub", role: record)]),
            (id: "dw", name: "DW", kind: data_warehouse),
          ])"#;
        let files = [("sv.ron", sv), ("div.ron", DIV), ("stdv.ron", STDV)];
        let f = crate::analysis::testing::findings("warehouse-gap", &files, State::ToBe);
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].fix,
            "add a batch ETL carrying `sub` from `bill` (its system of record) to `dw`"
        );
        // near miss: with only a copy held, the copy is the source
        let sv = r#"(systems: [
            (id: "crm", name: "CRM", kind: crm, holds: [(entity: "sub", role: copy)]),
            (id: "dw", name: "DW", kind: data_warehouse),
          ])"#;
        let files = [("sv.ron", sv), ("div.ron", DIV), ("stdv.ron", STDV)];
        let f = crate::analysis::testing::findings("warehouse-gap", &files, State::ToBe);
        assert_eq!(
            f[0].fix,
            "add a batch ETL carrying `sub` from `crm` to `dw`"
        );
    }

    #[test]
    fn a_kpi_placed_elsewhere_is_left_to_kpi_not_computable() {
        // computed in billing itself: the warehouse is not where it is made
        let stdv = r#"(standards: [(id: "nrr", name: "NRR", kind: kpi(formula: "x", unit: "%", computed_from: ["sub"], computed_in: "bill"))])"#;
        let s = sv("planned");
        let files = [("sv.ron", s.as_str()), ("div.ron", DIV), ("stdv.ron", stdv)];
        assert!(keys("warehouse-gap", &files, State::AsIs).is_empty());
        assert!(keys("kpi-not-computable", &files, State::AsIs).is_empty());
        // computed in the warehouse it never reaches: one finding, the KPI's
        let stdv = stdv.replace("\"bill\"))", "\"dw\"))");
        let files = [
            ("sv.ron", s.as_str()),
            ("div.ron", DIV),
            ("stdv.ron", stdv.as_str()),
        ];
        assert!(keys("warehouse-gap", &files, State::AsIs).is_empty());
        assert_eq!(
            keys("kpi-not-computable", &files, State::AsIs),
            vec!["kpi-not-computable/source-does-not-reach:nrr"]
        );
    }
}
