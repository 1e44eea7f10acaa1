//! `kpi-not-computable`: a KPI whose source data never reaches the system
//! it is computed in.
//!
//! `kpi-without-data` asks whether a KPI has sources and whether they are
//! held somewhere; this rule follows them: each source must be available in
//! the KPI's `computed_in` system through integrations active in the state
//! (held there, or carried there by a chain of them). A KPI that measures an
//! AV goal is one level more severe (the plan's own goal cannot be
//! tracked). KPIs without `computed_in`, without sources, with sources held
//! nowhere or computed in a system that is gone are `kpi-without-data`'s.

use petgraph::graph::NodeIndex;

use super::{Context, Finding, Rule};
use crate::graph::EdgeKind;
use crate::model::Level;

/// See the module documentation.
pub struct KpiNotComputable;

impl Rule for KpiNotComputable {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn default_level(&self) -> Level {
        Level::Warning
    }
    fn rationale(&self) -> &'static str {
        "A KPI whose data never reaches the system that computes it is a number nobody can produce; if it measures a goal, the plan cannot be tracked."
    }
    fn fix(&self) -> &'static str {
        "Carry each source entity to the KPI's `computed_in` system (from its system of record or where it already arrives), or compute the KPI where its data is."
    }
    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        let g = cx.graph;
        for (k, def) in super::kpis(cx) {
            let Some(place) = g
                .out(k, EdgeKind::ComputedIn)
                .find(|&s| g.present(s, cx.state))
            else {
                continue; // none, or gone: kpi-without-data
            };
            // held somewhere (else kpi-without-data) but not available here
            let missing: Vec<NodeIndex> = g
                .out(k, EdgeKind::ComputedFrom)
                .filter(|&e| !cx.flow.of(e).holders.is_empty() && !cx.flow.available(e, place))
                .collect();
            if missing.is_empty() {
                continue;
            }
            let goals: Vec<NodeIndex> = g
                .inc(k, EdgeKind::Measures)
                .filter(|&goal| g.present(goal, cx.state))
                .collect();
            // where each missing source stops: the systems it reaches
            let first = missing[0];
            let reach = super::sources(cx.flow.of(first));
            let goal_text = if goals.is_empty() {
                String::new()
            } else {
                format!(
                    "; it measures goal {}, which the plan cannot track without it",
                    cx.list(&goals, 3)
                )
            };
            let mut related = missing.clone();
            related.push(place);
            related.extend(&goals);
            let mut f = cx.finding(
                self,
                "source-does-not-reach",
                k,
                &related,
                if missing.len() == 1 {
                    format!(
                        "KPI `{}` ({}) is computed in `{}`, but `{}` never arrives there: it is available only in {}{goal_text}",
                        cx.id(k),
                        super::text(&def.name),
                        cx.id(place),
                        cx.id(first),
                        cx.list(&reach, 4),
                    )
                } else {
                    format!(
                        "KPI `{}` ({}) is computed in `{}`, but {} never arrive there (`{}` is available only in {}){goal_text}",
                        cx.id(k),
                        super::text(&def.name),
                        cx.id(place),
                        cx.list(&missing, 4),
                        cx.id(first),
                        cx.list(&reach, 4),
                    )
                },
                format!(
                    "add an integration carrying `{}` to `{}` from {}, or compute `{}` where its data is",
                    cx.id(first),
                    cx.id(place),
                    cx.list_or(&reach, 3),
                    cx.id(k)
                ),
            );
            f.raise = !goals.is_empty();
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::testing::{findings, keys};
    use crate::model::{Level, State};

    const DIV: &str = r#"(entities: [(id: "sub", name: "Subscription")])"#;

    /// Billing masters `sub`, a warehouse gets it; the KPI is computed in
    /// BI, which the warehouse feeds only when `feed` is true.
    fn sv(feed: bool) -> String {
        let feed = if feed {
            r#"(id: "dw-bi", name: "dw-bi", source: "dw", target: "bi", carries: ["sub"], mechanism: native_connector, frequency: daily),"#
        } else {
            ""
        };
        format!(
            r#"(systems: [
            (id: "bill", name: "Billing", kind: billing, holds: [(entity: "sub", role: record)]),
            (id: "dw", name: "DW", kind: data_warehouse),
            (id: "bi", name: "BI", kind: bi),
          ], integrations: [
            (id: "bill-dw", name: "bill-dw", source: "bill", target: "dw", carries: ["sub"], mechanism: batch_etl, frequency: daily),
            {feed}
          ])"#
        )
    }

    const STDV: &str = r#"(standards: [(id: "nrr", name: "NRR", kind: kpi(formula: "x", unit: "%", computed_from: ["sub"], computed_in: "bi"))])"#;

    #[test]
    fn a_source_that_never_reaches_the_computing_system() {
        let s = sv(false);
        let files = [("sv.ron", s.as_str()), ("div.ron", DIV), ("stdv.ron", STDV)];
        let f = findings("kpi-not-computable", &files, State::ToBe);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].key(), "kpi-not-computable/source-does-not-reach:nrr");
        assert_eq!(f[0].level, Level::Warning);
        assert!(
            f[0].message
                .contains("`sub` never arrives there: it is available only in `bill` and `dw`"),
            "{}",
            f[0].message
        );
        assert!(
            f[0].fix
                .starts_with("add an integration carrying `sub` to `bi` from `bill` or `dw`"),
            "{}",
            f[0].fix
        );
        // near miss: the warehouse feeds BI
        let s = sv(true);
        let files = [("sv.ron", s.as_str()), ("div.ron", DIV), ("stdv.ron", STDV)];
        assert!(keys("kpi-not-computable", &files, State::ToBe).is_empty());
    }

    #[test]
    fn a_goal_kpi_is_one_level_more_severe() {
        let s = sv(false);
        let av = r#"(goals: [(id: "grow", name: "Grow NRR", target: "110%", kpi: "nrr")])"#;
        let files = [
            ("sv.ron", s.as_str()),
            ("div.ron", DIV),
            ("stdv.ron", STDV),
            ("av.ron", av),
        ];
        let f = findings("kpi-not-computable", &files, State::ToBe);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].level, Level::Error);
        assert!(
            f[0].message.contains("it measures goal `grow`"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn kpi_without_data_cases_are_left_to_that_rule() {
        // no computed_in, and a source held nowhere: not this rule's
        let stdv = r#"(standards: [
            (id: "a", name: "A", kind: kpi(formula: "x", unit: "%", computed_from: ["sub"])),
            (id: "b", name: "B", kind: kpi(formula: "x", unit: "%", computed_from: ["ghost"], computed_in: "bi")),
          ])"#;
        let div =
            r#"(entities: [(id: "sub", name: "Subscription"), (id: "ghost", name: "Ghost")])"#;
        let s = sv(false);
        let files = [("sv.ron", s.as_str()), ("div.ron", div), ("stdv.ron", stdv)];
        assert!(keys("kpi-not-computable", &files, State::ToBe).is_empty());
    }
}
