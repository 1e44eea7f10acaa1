//! `unrealized-needline`: an information exchange between two teams that
//! no integration realises — the data moves by email, chat or not at all.
//!
//! Needline traceability is opt-in: the rule runs only when the model links
//! at least one integration to an exchange with `realizes`. Exchanges with an
//! external performer (prospect, customer) are realised by people using a
//! system, not by an integration, and are not checked; nor are exchanges
//! whose two teams work in a shared system (the systems supporting the
//! activities each performs) where everything carried is available.

use super::{Context, Finding, Rule};
use crate::graph::EdgeKind;
use crate::model::{Kind, Level, PerformerKind, Ref};

/// See the module documentation.
pub struct UnrealizedNeedline;

impl Rule for UnrealizedNeedline {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn default_level(&self) -> Level {
        Level::Warning
    }
    fn rationale(&self) -> &'static str {
        "A hand-off between teams that no integration carries depends on people copying data by hand."
    }
    fn fix(&self) -> &'static str {
        "Name the integration that carries it in that integration's `realizes`, or plan one."
    }
    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        let g = cx.graph;
        let traced = g
            .nodes_of(Kind::Integration)
            .any(|i| g.out(i, EdgeKind::Realizes).next().is_some());
        if !traced {
            return;
        }
        let external =
            |p| matches!(g.entity(p), Ref::Performer(d) if d.kind == PerformerKind::External);
        for x in g.present_of(Kind::Exchange, cx.state) {
            let ends: Vec<_> = g
                .inc(x, EdgeKind::Sends)
                .chain(g.out(x, EdgeKind::Receives))
                .collect();
            if ends.iter().any(|&p| external(p)) {
                continue;
            }
            let realized = g
                .inc(x, EdgeKind::Realizes)
                .any(|i| g.integration_active(i, cx.state));
            if realized || shared_system(cx, x) {
                continue;
            }
            let planned_only: Vec<_> = g.inc(x, EdgeKind::Realizes).collect();
            let carries: Vec<_> = g.out(x, EdgeKind::Carries).collect();
            let from_to = match (
                g.inc(x, EdgeKind::Sends).next(),
                g.out(x, EdgeKind::Receives).next(),
            ) {
                (Some(a), Some(b)) => format!(" from `{}` to `{}`", cx.id(a), cx.id(b)),
                _ => String::new(),
            };
            let what = if carries.is_empty() {
                String::new()
            } else {
                format!(" ({})", cx.list(&carries, 4))
            };
            let message = if planned_only.is_empty() {
                format!(
                    "needline `{}` ({}){from_to}{what} is realised by no integration",
                    cx.id(x),
                    super::text(g.entity(x).name())
                )
            } else {
                format!(
                    "needline `{}` ({}){from_to}{what} is realised only by {}, which does not run in the {} state",
                    cx.id(x),
                    super::text(g.entity(x).name()),
                    cx.list(&planned_only, 3),
                    cx.state
                )
            };
            let mut related = ends.clone();
            related.extend(&planned_only);
            out.push(cx.finding(
                self,
                "not-realized",
                x,
                &related,
                message,
                format!(
                    "add `realizes: [\"{}\"]` to the integration that carries this hand-off, or plan one",
                    cx.id(x)
                ),
            ));
        }
    }
}

/// Whether sender and receiver work in a common system where every entity
/// the exchange carries is available.
fn shared_system(cx: &Context<'_, '_>, x: petgraph::graph::NodeIndex) -> bool {
    let g = cx.graph;
    let systems_of = |p| -> Vec<petgraph::graph::NodeIndex> {
        let mut v: Vec<_> = g
            .out(p, EdgeKind::Performs)
            .filter(|&a| g.present(a, cx.state))
            .flat_map(|a| g.inc(a, EdgeKind::Supports))
            .filter(|&s| g.present(s, cx.state))
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let (Some(from), Some(to)) = (
        g.inc(x, EdgeKind::Sends).next(),
        g.out(x, EdgeKind::Receives).next(),
    ) else {
        return false;
    };
    let theirs = systems_of(to);
    let carried: Vec<_> = g.out(x, EdgeKind::Carries).collect();
    systems_of(from)
        .into_iter()
        .filter(|s| theirs.binary_search(s).is_ok())
        .any(|s| carried.iter().all(|&e| cx.flow.available(e, s)))
}

#[cfg(test)]
mod tests {
    use crate::analysis::testing::keys;
    use crate::model::State;

    const OV: &str = r#"(performers: [(id: "mkt", name: "Marketing"), (id: "sdr", name: "SDR"), (id: "p", name: "Prospect", kind: external),
                       (id: "ae", name: "AE")],
        exchanges: [
          (id: "mql", name: "MQL hand-off", from: "mkt", to: "sdr", carries: ["lead"]),
          (id: "form", name: "Form", from: "p", to: "mkt", carries: ["lead"]),
          (id: "notes", name: "Call notes", from: "sdr", to: "mkt"),
          (id: "shared", name: "Shared", from: "sdr", to: "ae", carries: ["lead"]),
        ],
        activities: [
          (id: "work", name: "Work leads", performer: "sdr", stage: qualify, systems: ["crm"]),
          (id: "close", name: "Close", performer: "ae", stage: close, systems: ["crm"]),
        ])"#;
    const DIV: &str = r#"(entities: [(id: "lead", name: "Lead")])"#;

    fn sv(realizes: &str, lifecycle: &str) -> String {
        format!(
            r#"(systems: [(id: "ma", name: "MA", kind: marketing_automation, holds: [(entity: "lead", role: record)]),
                          (id: "crm", name: "CRM", kind: crm, holds: [(entity: "lead", role: copy)])],
                integrations: [(id: "sync", name: "sync", source: "ma", target: "crm", carries: ["lead"], mechanism: api,
                                frequency: real_time, realizes: [{realizes}], lifecycle: {lifecycle})])"#
        )
    }

    #[test]
    fn unrealized_when_traceability_is_modelled() {
        let s = sv(r#""mql""#, "current");
        let files = [("ov.ron", OV), ("div.ron", DIV), ("sv.ron", s.as_str())];
        assert_eq!(
            keys("unrealized-needline", &files, State::ToBe),
            vec!["unrealized-needline/not-realized:notes"]
        );
        let s = sv(r#""mql""#, "planned");
        let files = [("ov.ron", OV), ("div.ron", DIV), ("sv.ron", s.as_str())];
        assert_eq!(keys("unrealized-needline", &files, State::AsIs).len(), 2);
    }

    #[test]
    fn silent_when_no_integration_realizes_anything() {
        let s = sv("", "current");
        let files = [("ov.ron", OV), ("div.ron", DIV), ("sv.ron", s.as_str())];
        assert!(keys("unrealized-needline", &files, State::ToBe).is_empty());
    }
}
