//! `unused-system`: a system that holds no data, supports no activity,
//! computes no KPI, routes no integration and sends or receives no data.

use super::{Context, Finding, Rule};
use crate::graph::EdgeKind;
use crate::model::Level;

/// See the module documentation.
pub struct UnusedSystem;

impl Rule for UnusedSystem {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn default_level(&self) -> Level {
        Level::Warning
    }
    fn rationale(&self) -> &'static str {
        "A system nobody uses still costs licences, access reviews and attack surface."
    }
    fn fix(&self) -> &'static str {
        "Retire it (`lifecycle: retiring`), or record what it is used for."
    }
    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        let g = cx.graph;
        let st = cx.state;
        for &s in &cx.net.systems {
            let used = g.held_by(s).next().is_some()
                || g.out(s, EdgeKind::Supports).any(|a| g.present(a, st))
                || g.inc(s, EdgeKind::ComputedIn).any(|k| g.present(k, st))
                || g.inc(s, EdgeKind::RoutesVia).any(|i| g.present(i, st))
                || g.inc(s, EdgeKind::FlowsTo)
                    .chain(g.out(s, EdgeKind::FlowsTo))
                    .any(|i| {
                        g.integration_active(i, st) && g.out(i, EdgeKind::Carries).next().is_some()
                    });
            if used {
                continue;
            }
            out.push(cx.finding(
                self,
                "unused",
                s,
                &[],
                format!(
                    "{} (`{}`) holds no data, supports no activity, computes no KPI and exchanges no data",
                    super::text(g.entity(s).name()),
                    cx.id(s)
                ),
                format!(
                    "retire `{}` (`lifecycle: retiring`), or add what it holds and which activities use it",
                    cx.id(s)
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::testing::keys;
    use crate::model::State;

    #[test]
    fn unused_only_when_nothing_uses_it() {
        let sv = r#"(systems: [
            (id: "idle", name: "Idle", kind: other),
            (id: "wk", name: "Workato", kind: ipaas),
            (id: "a", name: "A", kind: crm, holds: [(entity: "e", role: record)]),
            (id: "b", name: "B", kind: bi),
          ], integrations: [(id: "i", name: "i", source: "a", target: "b", via: "wk", carries: ["e"], mechanism: ipaas, frequency: daily)])"#;
        let stdv = r#"(standards: [(id: "k", name: "K", kind: kpi(formula: "f", unit: "n", computed_from: ["e"], computed_in: "b"))])"#;
        let div = r#"(entities: [(id: "e", name: "E")])"#;
        let files = [("sv.ron", sv), ("stdv.ron", stdv), ("div.ron", div)];
        assert_eq!(
            keys("unused-system", &files, State::ToBe),
            vec!["unused-system/unused:idle"]
        );
    }
}
