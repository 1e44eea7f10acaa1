//! A uniform view over every entity of every viewpoint.

use serde::Serialize;

use super::types::*;

/// The kind of an entity; ids are unique across all kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// AV goal.
    Goal,
    /// AV principle.
    Principle,
    /// AV glossary term.
    Term,
    /// OV performer.
    Performer,
    /// OV activity.
    Activity,
    /// OV information exchange (needline).
    Exchange,
    /// SV system.
    System,
    /// SV integration.
    Integration,
    /// StdV standard.
    Standard,
    /// DIV data entity.
    Entity,
}

impl Kind {
    /// Every kind, in viewpoint order.
    pub const ALL: [Kind; 10] = [
        Kind::Goal,
        Kind::Principle,
        Kind::Term,
        Kind::Performer,
        Kind::Activity,
        Kind::Exchange,
        Kind::System,
        Kind::Integration,
        Kind::Standard,
        Kind::Entity,
    ];

    /// Its name in machine-readable output, as JSON writes it (`system`,
    /// `entity`, `exchange`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Goal => "goal",
            Kind::Principle => "principle",
            Kind::Term => "term",
            Kind::Performer => "performer",
            Kind::Activity => "activity",
            Kind::Exchange => "exchange",
            Kind::System => "system",
            Kind::Integration => "integration",
            Kind::Standard => "standard",
            Kind::Entity => "entity",
        }
    }

    /// How people call it, e.g. "data entity".
    pub fn label(self) -> &'static str {
        match self {
            Kind::Goal => "goal",
            Kind::Principle => "principle",
            Kind::Term => "glossary term",
            Kind::Performer => "performer",
            Kind::Activity => "activity",
            Kind::Exchange => "information exchange",
            Kind::System => "system",
            Kind::Integration => "integration",
            Kind::Standard => "standard",
            Kind::Entity => "data entity",
        }
    }

    /// The viewpoint it belongs to.
    pub fn viewpoint(self) -> &'static str {
        match self {
            Kind::Goal | Kind::Principle | Kind::Term => "AV",
            Kind::Performer | Kind::Activity | Kind::Exchange => "OV",
            Kind::System | Kind::Integration => "SV",
            Kind::Standard => "StdV",
            Kind::Entity => "DIV",
        }
    }

    /// Stable short prefix, used for anchors (`sys-salesforce`) and graph ids.
    pub fn prefix(self) -> &'static str {
        match self {
            Kind::Goal => "goal",
            Kind::Principle => "principle",
            Kind::Term => "term",
            Kind::Performer => "perf",
            Kind::Activity => "act",
            Kind::Exchange => "xchg",
            Kind::System => "sys",
            Kind::Integration => "int",
            Kind::Standard => "std",
            Kind::Entity => "data",
        }
    }
}

/// A borrowed entity of any kind.
#[derive(Clone, Copy, Debug)]
pub enum Ref<'m> {
    /// AV goal.
    Goal(&'m Goal),
    /// AV principle.
    Principle(&'m Principle),
    /// AV glossary term.
    Term(&'m Term),
    /// OV performer.
    Performer(&'m Performer),
    /// OV activity.
    Activity(&'m Activity),
    /// OV exchange.
    Exchange(&'m Exchange),
    /// SV system.
    System(&'m System),
    /// SV integration.
    Integration(&'m Integration),
    /// StdV standard.
    Standard(&'m Standard),
    /// DIV data entity.
    Entity(&'m Entity),
}

macro_rules! common {
    ($self:ident, $e:ident => $body:expr) => {
        match $self {
            Ref::Goal($e) => $body,
            Ref::Principle($e) => $body,
            Ref::Term($e) => $body,
            Ref::Performer($e) => $body,
            Ref::Activity($e) => $body,
            Ref::Exchange($e) => $body,
            Ref::System($e) => $body,
            Ref::Integration($e) => $body,
            Ref::Standard($e) => $body,
            Ref::Entity($e) => $body,
        }
    };
}

impl<'m> Ref<'m> {
    /// Its kind.
    pub fn kind(self) -> Kind {
        match self {
            Ref::Goal(_) => Kind::Goal,
            Ref::Principle(_) => Kind::Principle,
            Ref::Term(_) => Kind::Term,
            Ref::Performer(_) => Kind::Performer,
            Ref::Activity(_) => Kind::Activity,
            Ref::Exchange(_) => Kind::Exchange,
            Ref::System(_) => Kind::System,
            Ref::Integration(_) => Kind::Integration,
            Ref::Standard(_) => Kind::Standard,
            Ref::Entity(_) => Kind::Entity,
        }
    }
    /// Its id.
    pub fn id(self) -> &'m Id {
        common!(self, e => &e.id)
    }
    /// Its display name.
    pub fn name(self) -> &'m str {
        common!(self, e => &e.name)
    }
    /// Its description.
    pub fn description(self) -> Option<&'m str> {
        common!(self, e => e.description.as_deref())
    }
    /// Its owner reference.
    pub fn owner(self) -> Option<&'m Id> {
        common!(self, e => e.owner.as_ref())
    }
    /// Its tags.
    pub fn tags(self) -> &'m [String] {
        common!(self, e => &e.tags)
    }
    /// Its accepted findings.
    pub fn allow(self) -> &'m [Allow] {
        common!(self, e => &e.allow)
    }
    /// Its lifecycle, for the kinds that have one (others always exist).
    pub fn lifecycle(self) -> Lifecycle {
        match self {
            Ref::Activity(a) => a.lifecycle,
            Ref::Exchange(x) => x.lifecycle,
            Ref::System(s) => s.lifecycle,
            Ref::Integration(i) => i.lifecycle,
            Ref::Standard(s) => s.lifecycle,
            _ => Lifecycle::Current,
        }
    }
    /// `system `crm` ("Salesforce")` style reference for messages.
    pub fn describe(self) -> String {
        format!("{} `{}`", self.kind().label(), self.id())
    }
}

impl Model {
    /// Every entity, in viewpoint and file order.
    pub fn entities(&self) -> impl Iterator<Item = Ref<'_>> {
        let av = &self.av;
        av.goals
            .iter()
            .map(Ref::Goal)
            .chain(av.principles.iter().map(Ref::Principle))
            .chain(av.glossary.iter().map(Ref::Term))
            .chain(self.ov.performers.iter().map(Ref::Performer))
            .chain(self.ov.activities.iter().map(Ref::Activity))
            .chain(self.ov.exchanges.iter().map(Ref::Exchange))
            .chain(self.sv.systems.iter().map(Ref::System))
            .chain(self.sv.integrations.iter().map(Ref::Integration))
            .chain(self.stdv.standards.iter().map(Ref::Standard))
            .chain(self.div.entities.iter().map(Ref::Entity))
    }

    /// Number of entities of each viewpoint: (AV, OV, SV, StdV, DIV).
    pub fn counts(&self) -> Counts {
        Counts {
            goals: self.av.goals.len(),
            principles: self.av.principles.len(),
            terms: self.av.glossary.len(),
            performers: self.ov.performers.len(),
            activities: self.ov.activities.len(),
            exchanges: self.ov.exchanges.len(),
            systems: self.sv.systems.len(),
            integrations: self.sv.integrations.len(),
            standards: self.stdv.standards.len(),
            entities: self.div.entities.len(),
        }
    }
}

/// How many entities of each kind a model has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// AV goals.
    pub goals: usize,
    /// AV principles.
    pub principles: usize,
    /// AV glossary terms.
    pub terms: usize,
    /// OV performers.
    pub performers: usize,
    /// OV activities.
    pub activities: usize,
    /// OV exchanges.
    pub exchanges: usize,
    /// SV systems.
    pub systems: usize,
    /// SV integrations.
    pub integrations: usize,
    /// StdV standards.
    pub standards: usize,
    /// DIV data entities.
    pub entities: usize,
}

#[cfg(test)]
mod tests {
    use super::Kind;

    #[test]
    fn kind_names_are_the_json_names() {
        for k in Kind::ALL {
            let json = serde_json::to_value(k).expect("serializes");
            assert_eq!(json.as_str(), Some(k.as_str()), "{k:?}");
        }
    }
}
