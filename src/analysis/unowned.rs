//! `unowned`: a system or data entity with no owning team.

use super::{Context, Finding, Rule};
use crate::model::{Kind, Level};

/// See the module documentation.
pub struct Unowned;

impl Rule for Unowned {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn default_level(&self) -> Level {
        Level::Warning
    }
    fn rationale(&self) -> &'static str {
        "Without an owner nobody fixes the data, approves access or pays the renewal."
    }
    fn fix(&self) -> &'static str {
        "Set `owner` to the team (performer id) accountable for it."
    }
    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        let g = cx.graph;
        let candidates = g
            .present_of(Kind::System, cx.state)
            .chain(g.nodes_of(Kind::Entity));
        for n in candidates {
            let e = g.entity(n);
            if e.owner().is_some() {
                continue;
            }
            let case = if e.kind() == Kind::System {
                "system"
            } else {
                "entity"
            };
            out.push(cx.finding(
                self,
                case,
                n,
                &[],
                format!(
                    "{} {} (`{}`) has no owner",
                    e.kind().label(),
                    super::text(e.name()),
                    e.id()
                ),
                format!("set `owner` of `{}` to the accountable team", e.id()),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::testing::keys;
    use crate::model::State;

    #[test]
    fn systems_and_entities_need_owners() {
        let ov = r#"(performers: [(id: "ops", name: "RevOps")])"#;
        let sv = r#"(systems: [(id: "a", name: "A", kind: crm, owner: "ops"), (id: "b", name: "B", kind: bi),
                               (id: "c", name: "C", kind: bi, lifecycle: planned)])"#;
        let div = r#"(entities: [(id: "e", name: "E"), (id: "f", name: "F", owner: "ops")])"#;
        let files = [("ov.ron", ov), ("sv.ron", sv), ("div.ron", div)];
        assert_eq!(
            keys("unowned", &files, State::AsIs),
            vec!["unowned/entity:e", "unowned/system:b"]
        );
    }
}
