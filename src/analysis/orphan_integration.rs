//! `orphan-integration`: a pipe nobody needs or that cannot work. Cases:
//! `retired-endpoint` (touches a system that does not exist in the state),
//! `carries-nothing`, `source-lacks-data` (carries an entity its source
//! neither holds nor receives), `target-never-uses` (delivers an entity its
//! target neither stores, uses in an activity or KPI, nor forwards).

use petgraph::graph::NodeIndex;

use super::{Context, Finding, Rule};
use crate::graph::EdgeKind;
use crate::model::{Direction, Kind, Level, Ref, State};

/// See the module documentation.
pub struct OrphanIntegration;

impl Rule for OrphanIntegration {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn default_level(&self) -> Level {
        Level::Warning
    }
    fn rationale(&self) -> &'static str {
        "Integrations that carry nothing useful cost licence fees, break silently and confuse audits."
    }
    fn fix(&self) -> &'static str {
        "Record what the target does with the data if the model misses it; otherwise fix what the integration carries and where to, or retire it."
    }
    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        let g = cx.graph;
        for i in g.present_of(Kind::Integration, cx.state) {
            let (Some((s, t)), Ref::Integration(def)) = (g.ends(i), g.entity(i)) else {
                continue;
            };
            let mut gone: Vec<NodeIndex> = vec![s, t];
            gone.extend(g.out(i, EdgeKind::RoutesVia));
            gone.retain(|&n| !g.present(n, cx.state));
            gone.dedup();
            if !gone.is_empty() {
                let reasons: Vec<String> = gone
                    .iter()
                    .map(|&n| format!("`{}` {}", cx.id(n), super::absent_reason(cx, n)))
                    .collect();
                let state_word = match cx.state {
                    State::ToBe => "after the plan",
                    State::AsIs => "today",
                };
                out.push(cx.finding(
                    self,
                    "retired-endpoint",
                    i,
                    &gone,
                    format!(
                        "integration `{}` ({}) connects a system that does not exist {state_word}: {}",
                        cx.id(i),
                        super::text(&def.name),
                        reasons.join(", ")
                    ),
                    format!(
                        "give `{}` the same lifecycle as its systems (`retiring` or `planned`), or point it at the replacement system",
                        cx.id(i)
                    ),
                ));
                continue;
            }
            let carried: Vec<NodeIndex> = g.out(i, EdgeKind::Carries).collect();
            if carried.is_empty() {
                out.push(cx.finding(
                    self,
                    "carries-nothing",
                    i,
                    &[s, t],
                    format!(
                        "integration `{}` from `{}` to `{}` carries no data entity",
                        cx.id(i),
                        cx.id(s),
                        cx.id(t)
                    ),
                    format!("list what `{}` moves in `carries`, or retire it", cx.id(i)),
                ));
                continue;
            }
            let both = def.direction == Direction::Bidirectional;
            let missing: Vec<NodeIndex> = carried
                .iter()
                .copied()
                .filter(|&e| !(cx.flow.available(e, s) || both && cx.flow.available(e, t)))
                .collect();
            if !missing.is_empty() {
                let mut related = missing.clone();
                related.push(s);
                out.push(cx.finding(
                    self,
                    "source-lacks-data",
                    i,
                    &related,
                    format!(
                        "integration `{}` carries {} out of `{}`, which neither holds nor receives it",
                        cx.id(i),
                        cx.list(&missing, 4),
                        cx.id(s)
                    ),
                    format!(
                        "add the entity to `holds` of `{}` (or feed it there), or remove it from `carries` of `{}`",
                        cx.id(s),
                        cx.id(i)
                    ),
                ));
            }
            let unused: Vec<NodeIndex> = carried
                .iter()
                .copied()
                .filter(|&e| !(uses(cx, t, e, i) || both && uses(cx, s, e, i)))
                .collect();
            if !unused.is_empty() {
                let mut related = unused.clone();
                related.push(t);
                let all = unused.len() == carried.len();
                out.push(cx.finding(
                    self,
                    "target-never-uses",
                    i,
                    &related,
                    format!(
                        "integration `{}` delivers {} to `{}`, which never stores, uses or forwards {}",
                        cx.id(i),
                        cx.list(&unused, 4),
                        cx.id(t),
                        match (all, unused.len()) {
                            (true, _) => "any of it",
                            (false, 1) => "it",
                            (false, _) => "them",
                        }
                    ),
                    // usually the use is real and not modelled yet: say how
                    // to record it first, retiring only if nothing uses it
                    if all {
                        format!(
                            "record in the model what `{}` does with the data (it holds it, an activity or KPI there uses it, or an integration forwards it); if nothing does, retire `{}`",
                            cx.id(t),
                            cx.id(i)
                        )
                    } else {
                        format!(
                            "record in the model what `{}` does with {}, or stop carrying {} in `{}`",
                            cx.id(t),
                            cx.list(&unused, 4),
                            if unused.len() == 1 { "it" } else { "them" },
                            cx.id(i)
                        )
                    },
                ));
            }
        }
    }
}

/// Whether `system` does something with `entity` other than receive it
/// through `via` (the integration under test).
fn uses(cx: &Context<'_, '_>, system: NodeIndex, entity: NodeIndex, via: NodeIndex) -> bool {
    let g = cx.graph;
    let st = cx.state;
    // The warehouse and BI tools store/query everything they receive.
    if g.system_kind(system).is_some_and(|k| k.is_analytics()) {
        return true;
    }
    if g.held_by(system).any(|(e, _)| e == entity) {
        return true;
    }
    let activity_use = g.out(system, EdgeKind::Supports).any(|a| {
        g.present(a, st)
            && (g.inc(a, EdgeKind::Consumes).any(|e| e == entity)
                || g.out(a, EdgeKind::Produces).any(|e| e == entity))
    });
    if activity_use {
        return true;
    }
    let kpi_use = g
        .inc(system, EdgeKind::ComputedIn)
        .any(|k| g.present(k, st) && g.out(k, EdgeKind::ComputedFrom).any(|e| e == entity));
    if kpi_use {
        return true;
    }
    // forwarded by another active integration (a bidirectional `via` counts
    // itself at both ends, so it must not count as forwarding its own data),
    // and not merely sent back where it came from (a round trip uses nothing)
    let own = match g.entity(via) {
        Ref::Integration(d) if d.direction == Direction::Bidirectional => 1,
        _ => 0,
    };
    let forwards = cx.forwards(system, entity);
    if forwards <= own {
        return false;
    }
    let back = match g.ends(via) {
        Some((a, b)) => {
            let other = if a == system { b } else { a };
            g.out(system, EdgeKind::FlowsTo)
                .chain(g.inc(system, EdgeKind::FlowsTo))
                .filter(|&j| j != via && g.integration_active(j, st))
                .filter(|&j| g.out(j, EdgeKind::Carries).any(|c| c == entity))
                .filter(|&j| match (g.ends(j), g.entity(j)) {
                    (Some((from, to)), Ref::Integration(d)) => {
                        (from == system && to == other)
                            || (d.direction == Direction::Bidirectional
                                && from == other
                                && to == system)
                    }
                    _ => false,
                })
                .count() as u32
        }
        None => 0,
    };
    forwards > own + back
}

#[cfg(test)]
mod tests {
    use crate::analysis::testing::keys;
    use crate::model::State;

    const DIV: &str = r#"(entities: [(id: "lead", name: "Lead"), (id: "acct", name: "Account")])"#;

    fn sv(integrations: &str) -> String {
        format!(
            r#"(systems: [
            (id: "ma", name: "Marketo", kind: marketing_automation, holds: [(entity: "lead", role: record)]),
            (id: "crm", name: "CRM", kind: crm, holds: [(entity: "lead", role: copy), (entity: "acct", role: record)]),
            (id: "web", name: "Webinar", kind: webinar, lifecycle: retiring),
            (id: "x", name: "X", kind: other),
          ], integrations: [{integrations}])"#
        )
    }

    fn run(ints: &str, state: State) -> Vec<String> {
        let s = sv(ints);
        keys(
            "orphan-integration",
            &[("sv.ron", &s), ("div.ron", DIV)],
            state,
        )
    }

    #[test]
    fn retired_endpoint_only_after_the_plan() {
        let i = r#"(id: "w", name: "w", source: "web", target: "ma", carries: ["lead"], mechanism: api, frequency: daily)"#;
        assert_eq!(
            run(i, State::ToBe),
            vec!["orphan-integration/retired-endpoint:w"]
        );
        // today the webinar tool exists but holds no lead: the source case
        assert_eq!(
            run(i, State::AsIs),
            vec!["orphan-integration/source-lacks-data:w"]
        );
    }

    #[test]
    fn carries_nothing_and_unused() {
        let i = r#"(id: "n", name: "n", source: "ma", target: "crm", carries: [], mechanism: api, frequency: daily),
                   (id: "u", name: "u", source: "crm", target: "x", carries: ["acct"], mechanism: api, frequency: daily)"#;
        assert_eq!(
            run(i, State::ToBe),
            vec![
                "orphan-integration/carries-nothing:n",
                "orphan-integration/target-never-uses:u"
            ]
        );
    }

    #[test]
    fn useful_integration_is_clean() {
        let i = r#"(id: "ok", name: "ok", source: "ma", target: "crm", carries: ["lead"], mechanism: native_connector, frequency: real_time, direction: bidirectional)"#;
        assert!(run(i, State::ToBe).is_empty());
    }

    #[test]
    fn an_unused_delivery_first_asks_to_record_the_use() {
        let i = r#"(id: "u", name: "u", source: "crm", target: "x", carries: ["acct"], mechanism: api, frequency: daily)"#;
        let s = sv(i);
        let f = crate::analysis::testing::findings(
            "orphan-integration",
            &[("sv.ron", &s), ("div.ron", DIV)],
            State::ToBe,
        );
        assert_eq!(f.len(), 1);
        assert!(
            f[0].fix
                .starts_with("record in the model what `x` does with the data"),
            "{}",
            f[0].fix
        );
        assert!(
            f[0].fix.ends_with("if nothing does, retire `u`"),
            "{}",
            f[0].fix
        );
    }

    #[test]
    fn a_reason_that_changes_with_the_plan_is_one_changed_finding() {
        // today `web` exists and ignores what `u` delivers; after the plan
        // `web` is retired: the same orphan, for another reason
        let i = r#"(id: "u", name: "u", source: "crm", target: "web", carries: ["acct"], mechanism: api, frequency: daily)"#;
        let s = sv(i);
        let m = crate::graph::tests::model(&[("sv.ron", &s), ("div.ron", DIV)]);
        let g = crate::graph::Graph::build(&m);
        let (a, b) = (
            crate::analysis::analyse(&g, State::AsIs),
            crate::analysis::analyse(&g, State::ToBe),
        );
        let d = crate::analysis::PlanDelta::new(&a, &b);
        let ours = |v: &[String]| -> Vec<String> {
            v.iter()
                .filter(|k| k.starts_with("orphan-integration"))
                .cloned()
                .collect()
        };
        assert_eq!(ours(&d.changed), ["orphan-integration/retired-endpoint:u"]);
        assert!(
            ours(&d.introduced).is_empty() && ours(&d.resolved).is_empty(),
            "{d:?}"
        );
        use crate::analysis::PlanStatus;
        assert_eq!(
            d.status("orphan-integration/target-never-uses:u"),
            PlanStatus::Changed
        );
        assert_eq!(
            d.describe("orphan-integration/retired-endpoint:u"),
            "also today, for another reason (today: target-never-uses)"
        );
        // near miss: another integration's orphan is not paired with it
        assert_eq!(
            d.status("orphan-integration/retired-endpoint:v"),
            PlanStatus::Unchanged
        );
    }

    #[test]
    fn a_round_trip_is_no_use() {
        // the mailer gets deals and only sends them back to the CRM
        let sv = r#"(systems: [
            (id: "crm", name: "CRM", kind: crm, holds: [(entity: "deal", role: record)]),
            (id: "mailer", name: "Mailer", kind: marketing_automation),
            (id: "bi", name: "BI", kind: bi),
          ], integrations: [
            (id: "out", name: "out", source: "crm", target: "mailer", carries: ["deal"], mechanism: api, frequency: daily),
            (id: "back", name: "back", source: "mailer", target: "crm", carries: ["deal"], mechanism: api, frequency: daily),
          ])"#;
        let div = r#"(entities: [(id: "deal", name: "Deal")])"#;
        let files = [("sv.ron", sv), ("div.ron", div)];
        assert_eq!(
            keys("orphan-integration", &files, State::ToBe),
            vec!["orphan-integration/target-never-uses:out"]
        );
        // near miss: it also forwards them on to BI
        let sv = sv.replace(
            "          ])",
            r#"            (id: "on", name: "on", source: "mailer", target: "bi", carries: ["deal"], mechanism: api, frequency: daily),
          ])"#,
        );
        let files = [("sv.ron", sv.as_str()), ("div.ron", div)];
        assert!(keys("orphan-integration", &files, State::ToBe).is_empty());
    }
}
