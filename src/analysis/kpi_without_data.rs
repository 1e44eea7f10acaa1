//! `kpi-without-data`: a KPI that cannot be computed — it names no source
//! data, its data is held nowhere, or the system it is computed in is gone.

use petgraph::graph::NodeIndex;

use super::{Context, Finding, Rule};
use crate::graph::EdgeKind;
use crate::model::Level;

/// See the module documentation.
pub struct KpiWithoutData;

impl Rule for KpiWithoutData {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn default_level(&self) -> Level {
        Level::Error
    }
    fn rationale(&self) -> &'static str {
        "A KPI without data behind it cannot measure the goal it is tied to."
    }
    fn fix(&self) -> &'static str {
        "Name the entities it is computed from (`computed_from`) and make sure a system holds them."
    }
    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        let g = cx.graph;
        for (k, def) in super::kpis(cx) {
            let sources: Vec<NodeIndex> = g.out(k, EdgeKind::ComputedFrom).collect();
            if sources.is_empty() {
                out.push(cx.finding(
                    self,
                    "no-sources",
                    k,
                    &[],
                    format!(
                        "KPI `{}` ({}) names no data it is computed from",
                        cx.id(k),
                        super::text(&def.name)
                    ),
                    format!(
                        "list the data entities in `computed_from` of `{}`",
                        cx.id(k)
                    ),
                ));
                continue;
            }
            let unheld: Vec<NodeIndex> = sources
                .iter()
                .copied()
                .filter(|&e| cx.flow.of(e).holders.is_empty())
                .collect();
            if !unheld.is_empty() {
                out.push(cx.finding(
                    self,
                    "data-not-held",
                    k,
                    &unheld,
                    format!(
                        "KPI `{}` ({}) is computed from {}, which no system holds",
                        cx.id(k),
                        super::text(&def.name),
                        cx.list(&unheld, 4),
                    ),
                    format!(
                        "add {} to `holds` of the system that masters it",
                        cx.list(&unheld, 4)
                    ),
                ));
            }
            let gone: Vec<NodeIndex> = g
                .out(k, EdgeKind::ComputedIn)
                .filter(|&s| !g.present(s, cx.state))
                .collect();
            if !gone.is_empty() {
                out.push(cx.finding(
                    self,
                    "computed-in-gone",
                    k,
                    &gone,
                    format!(
                        "KPI `{}` ({}) is computed in `{}`, which {}",
                        cx.id(k),
                        super::text(&def.name),
                        cx.id(gone[0]),
                        super::absent_reason(cx, gone[0])
                    ),
                    format!(
                        "move `computed_in` of `{}` to a system that exists",
                        cx.id(k)
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::testing::keys;
    use crate::model::State;

    #[test]
    fn kpis_without_data() {
        let stdv = r#"(standards: [
            (id: "a", name: "A", kind: kpi(formula: "f", unit: "%")),
            (id: "b", name: "B", kind: kpi(formula: "f", unit: "%", computed_from: ["sub", "inv"], computed_in: "looker")),
            (id: "ok", name: "OK", kind: kpi(formula: "f", unit: "%", computed_from: ["sub"])),
          ])"#;
        let sv = r#"(systems: [(id: "bill", name: "Billing", kind: billing, holds: [(entity: "sub", role: record)]),
                              (id: "looker", name: "Looker", kind: bi, lifecycle: retiring)])"#;
        let div =
            r#"(entities: [(id: "sub", name: "Subscription"), (id: "inv", name: "Invoice")])"#;
        let files = [("stdv.ron", stdv), ("sv.ron", sv), ("div.ron", div)];
        assert_eq!(
            keys("kpi-without-data", &files, State::ToBe),
            vec![
                "kpi-without-data/computed-in-gone:b",
                "kpi-without-data/data-not-held:b",
                "kpi-without-data/no-sources:a",
            ]
        );
        assert_eq!(keys("kpi-without-data", &files, State::AsIs).len(), 2);
    }
}
