//! Checks that a model hangs together: ids are well-formed and unique, and
//! every reference names an existing entity of the right kind.

use std::collections::{BTreeMap, BTreeSet};

use super::entity::{Kind, Ref};
use super::syntax::Span;
use super::types::*;
use crate::diag::{did_you_mean, Diagnostic};
use crate::hash::FastMap;

/// Every entity by id. Built by [`validate`]; the graph builds its own.
pub struct Index<'m> {
    by_id: FastMap<&'m str, Ref<'m>>,
}

impl<'m> Index<'m> {
    /// Indexes the model's entities; the first of duplicate ids wins.
    pub fn new(model: &'m Model) -> Index<'m> {
        let mut by_id = FastMap::default();
        for e in model.entities() {
            by_id.entry(e.id().as_str()).or_insert(e);
        }
        Index { by_id }
    }
    /// Looks an id up.
    pub fn get(&self, id: &str) -> Option<Ref<'m>> {
        self.by_id.get(id).copied()
    }
}

/// Validates `model`, appending diagnostics. `rules` are the known rule ids
/// (for `allow` and `settings`); `invalid_ids` are entities that failed to
/// load; `unread` names, per viewpoint (`"SV"`), the file of it that could not
/// be read: references to its kinds are not checked (they would all be
/// unknown) but counted in one diagnostic.
///
/// Unknown references get no did-you-mean here: it is the costly part, so
/// [`Suggestions::apply`] adds it later, to the diagnostics that are shown.
pub fn validate(
    model: &Model,
    rules: &[&str],
    invalid_ids: &BTreeSet<String>,
    unread: &BTreeMap<&'static str, String>,
    diags: &mut Vec<Diagnostic>,
) -> Suggestions {
    let mut v = Validator {
        index: Index::new(model),
        model,
        rules,
        invalid_ids,
        unread,
        unchecked: BTreeMap::new(),
        pending: FastMap::default(),
        duplicates: FastMap::default(),
        diags,
    };
    v.ids();
    v.references();
    v.unchecked_duplicates();
    v.rules_named();
    v.integrations();
    v.holdings();
    for (viewpoint, n) in &v.unchecked {
        let file = &unread[viewpoint];
        v.diags.push(
            Diagnostic::warning(
                "unchecked-references",
                format!(
                    "{} into {viewpoint} not checked: `{file}` could not be read",
                    crate::words::count(*n, "reference", "references")
                ),
            )
            .help(format!(
                "fix `{file}` first; its references are checked then"
            )),
        );
    }
    Suggestions { pending: v.pending }
}

/// Unknown references waiting for their did-you-mean (see [`validate`]).
pub struct Suggestions {
    pending: FastMap<Span, (String, Vec<Kind>)>,
}

impl Suggestions {
    /// Adds did-you-mean (or the list of known ids) to the unknown-reference
    /// diagnostics in `diags`: work in proportion to the diagnostics shown,
    /// not to every dangling reference of a broken model.
    pub fn apply(&self, model: &Model, diags: &mut [Diagnostic]) {
        let mut candidates: FastMap<Vec<Kind>, Vec<(String, &str)>> = FastMap::default();
        for d in diags.iter_mut().filter(|d| d.code == "unknown-reference") {
            let Some(label) = &d.primary else { continue };
            let Some((word, kinds)) = self.pending.get(&label.span) else {
                continue;
            };
            let ids = candidates.entry(kinds.clone()).or_insert_with(|| {
                model
                    .entities()
                    .filter(|e| kinds.contains(&e.kind()))
                    .map(|e| (e.id().as_str().to_lowercase(), e.id().as_str()))
                    .collect()
            });
            let wanted = kinds
                .iter()
                .map(|k| k.label())
                .collect::<Vec<_>>()
                .join(" or ");
            match crate::diag::did_you_mean_lower(word, ids.iter().map(|(l, c)| (l.as_str(), *c))) {
                Some(s) => d.help.push(format!("did you mean `{s}`?")),
                None if ids.is_empty() => d.help.push(format!("the model defines no {wanted} yet")),
                None if ids.len() <= 12 => {
                    let mut known: Vec<&str> = ids.iter().map(|(_, c)| *c).collect();
                    known.sort_unstable();
                    d.help.push(format!("known: {}", known.join(", ")));
                }
                None => {}
            }
        }
    }
}

struct Validator<'a, 'm> {
    index: Index<'m>,
    model: &'m Model,
    rules: &'a [&'a str],
    invalid_ids: &'a BTreeSet<String>,
    unread: &'a BTreeMap<&'static str, String>,
    /// References not checked, per unread viewpoint.
    unchecked: BTreeMap<&'static str, usize>,
    /// Unknown references (by span): the id written and the kinds it may name.
    pending: FastMap<Span, (String, Vec<Kind>)>,
    /// Ids defined more than once: the kinds of their definitions, where
    /// their `duplicate-id` diagnostic is in `diags`, and how many
    /// references to them were left unchecked (they may mean either).
    duplicates: FastMap<&'m str, Duplicate>,
    diags: &'a mut Vec<Diagnostic>,
}

/// An id defined more than once (see `Validator::duplicates`).
struct Duplicate {
    kinds: Vec<Kind>,
    diagnostic: usize,
    unchecked: usize,
}

/// The longest id accepted, in characters.
pub const MAX_ID_CHARS: usize = 200;

/// An id for a message: up to 60 characters, then `…`.
fn shown(id: &str) -> std::borrow::Cow<'_, str> {
    match id.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &id[..at]).into(),
        None => id.into(),
    }
}

fn valid_id(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

impl<'a, 'm> Validator<'a, 'm> {
    fn ids(&mut self) {
        // the index keeps the first entity of each id: any other is a duplicate
        for e in self.model.entities() {
            let id = e.id();
            let length = id.as_str().chars().count();
            if length > MAX_ID_CHARS {
                self.diags.push(
                    Diagnostic::error(
                        "invalid-id",
                        format!(
                            "{} id `{}` is {length} characters long; ids have at most {MAX_ID_CHARS}",
                            e.kind().label(),
                            shown(id.as_str())
                        ),
                    )
                    .at(id.span(), "too long")
                    .help("an id is a short handle (`salesforce`, `lead-sync`); put the long text in `name` or `description`"),
                );
                continue;
            }
            if !valid_id(id.as_str()) {
                let suggestion: String = id
                    .as_str()
                    .trim()
                    .to_lowercase()
                    .chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                            c
                        } else {
                            '-'
                        }
                    })
                    .collect::<String>()
                    .trim_matches('-')
                    .to_string();
                let mut d = Diagnostic::error(
                    "invalid-id",
                    format!(
                        "{} id `{}` is not a valid id",
                        e.kind().label(),
                        shown(id.as_str())
                    ),
                )
                .at(
                    id.span(),
                    "ids use letters, digits, `-`, `_` and `.`, starting with a letter or digit",
                );
                if valid_id(&suggestion) {
                    d = d.help(format!("try `{suggestion}`"));
                }
                self.diags.push(d);
            }
            match self.index.get(id.as_str()) {
                Some(prev) if !std::ptr::eq(prev.id(), id) => {
                    let d = Diagnostic::error(
                        "duplicate-id",
                        format!(
                            "duplicate id `{}`: this {} reuses the id of {} defined earlier",
                            id,
                            e.kind().label(),
                            crate::words::a(prev.kind().label())
                        ),
                    )
                    .at(id.span(), "defined again here")
                    .also(prev.id().span(), "first defined here")
                    .help("ids are unique across all viewpoints; rename one of them");
                    let at = self.diags.len();
                    self.diags.push(d);
                    let dup = self
                        .duplicates
                        .entry(prev.id().as_str())
                        .or_insert_with(|| Duplicate {
                            kinds: vec![prev.kind()],
                            diagnostic: at,
                            unchecked: 0,
                        });
                    if !dup.kinds.contains(&e.kind()) {
                        dup.kinds.push(e.kind());
                    }
                }
                _ => {}
            }
        }
    }

    /// Tells, on each `duplicate-id` diagnostic, how many references to the
    /// id were not checked because they may mean either definition.
    fn unchecked_duplicates(&mut self) {
        for (id, dup) in &self.duplicates {
            if dup.unchecked == 0 {
                continue;
            }
            if let Some(d) = self.diags.get_mut(dup.diagnostic) {
                d.help.push(format!(
                    "{} to `{id}` were not checked: they may mean either; they are checked once the ids differ",
                    crate::words::count(dup.unchecked, "reference", "references")
                ));
            }
        }
    }

    /// Checks one reference. `whose` describes the referencing entity and field.
    /// `whose` is only called to report a problem (most references are fine).
    fn check(&mut self, r: &Id, expected: &[Kind], whose: &dyn Fn() -> String) -> Option<Ref<'m>> {
        let wanted = || {
            expected
                .iter()
                .map(|k| k.label())
                .collect::<Vec<_>>()
                .join(" or ")
        };
        match self.index.get(r.as_str()) {
            Some(found) if expected.contains(&found.kind()) => Some(found),
            None => {
                if self.invalid_ids.contains(r.as_str()) {
                    return None; // already reported where it is defined
                }
                if let Some(vp) = expected
                    .iter()
                    .map(|k| k.viewpoint())
                    .find(|vp| self.unread.contains_key(vp))
                {
                    *self.unchecked.entry(vp).or_default() += 1;
                    return None; // its file did not load: every id would be unknown
                }
                let (wanted, whose) = (wanted(), whose());
                self.pending
                    .insert(r.span(), (r.as_str().to_string(), expected.to_vec()));
                self.diags.push(
                    Diagnostic::error(
                        "unknown-reference",
                        format!("unknown {wanted} `{}` in {whose}", shown(r.as_str())),
                    )
                    .at(r.span(), format!("no {wanted} has this id")),
                );
                None
            }
            Some(found) => {
                // an id defined twice, once as what is wanted: the reference
                // may mean that one; the duplicate is the error to fix
                if let Some(dup) = self.duplicates.get_mut(r.as_str()) {
                    if dup.kinds.iter().any(|k| expected.contains(k)) {
                        dup.unchecked += 1;
                        return None;
                    }
                }
                let (wanted, whose) = (wanted(), whose());
                let found_as = crate::words::a(found.kind().label());
                self.diags.push(
                    Diagnostic::error(
                        "wrong-kind",
                        format!(
                            "`{r}` is {found_as}, but {whose} needs {}",
                            crate::words::a(&wanted)
                        ),
                    )
                    .at(r.span(), format!("expected {}", crate::words::a(&wanted)))
                    .also(
                        found.id().span(),
                        format!("`{r}` is defined here as {found_as}"),
                    ),
                );
                None
            }
        }
    }

    fn each(&mut self, refs: &[Id], expected: &[Kind], whose: &dyn Fn() -> String) {
        for r in refs {
            self.check(r, expected, whose);
        }
    }

    fn references(&mut self) {
        use Kind::*;
        let m = self.model;
        for e in m.entities() {
            if let Some(owner) = e.owner() {
                self.check(owner, &[Performer], &|| {
                    format!("`owner` of {}", e.describe())
                });
            }
        }
        if let Some(owner) = &m.av.owner {
            self.check(owner, &[Performer], &|| {
                "`owner` of the architecture (av)".to_string()
            });
        }
        for g in &m.av.goals {
            if let Some(kpi) = &g.kpi {
                let whose = || format!("`kpi` of goal `{}`", g.id);
                if let Some(Ref::Standard(s)) = self.check(kpi, &[Standard], &whose) {
                    let whose = whose();
                    if !matches!(s.kind, StandardKind::Kpi { .. }) {
                        self.diags.push(
                            Diagnostic::error(
                                "wrong-kind",
                                format!(
                                    "standard `{kpi}` is {}, but {whose} needs a KPI standard",
                                    crate::words::a(s.kind.label())
                                ),
                            )
                            .at(kpi.span(), "expected a `kpi(...)` standard")
                            .also(s.id.span(), "defined here"),
                        );
                    }
                }
            }
        }
        for a in &m.ov.activities {
            let who = |f: &str| format!("`{f}` of activity `{}`", a.id);
            self.check(&a.performer, &[Performer], &|| who("performer"));
            self.each(&a.inputs, &[Entity], &|| who("inputs"));
            self.each(&a.outputs, &[Entity], &|| who("outputs"));
            self.each(&a.systems, &[System], &|| who("systems"));
        }
        for x in &m.ov.exchanges {
            let who = |f: &str| format!("`{f}` of exchange `{}`", x.id);
            self.check(&x.from, &[Performer], &|| who("from"));
            self.check(&x.to, &[Performer], &|| who("to"));
            self.each(&x.carries, &[Entity], &|| who("carries"));
            if let Some(a) = &x.activity {
                self.check(a, &[Activity], &|| who("activity"));
            }
        }
        for s in &m.sv.systems {
            for h in &s.holds {
                self.check(&h.entity, &[Entity], &|| {
                    format!("`holds` of system `{}`", s.id)
                });
            }
        }
        for i in &m.sv.integrations {
            let who = |f: &str| format!("`{f}` of integration `{}`", i.id);
            self.check(&i.source, &[System], &|| who("source"));
            self.check(&i.target, &[System], &|| who("target"));
            self.each(&i.carries, &[Entity], &|| who("carries"));
            if let Some(via) = &i.via {
                self.check(via, &[System], &|| who("via"));
            }
            self.each(&i.realizes, &[Exchange], &|| who("realizes"));
        }
        for s in &m.stdv.standards {
            self.each(&s.applies_to, &[System, Entity], &|| {
                format!("`applies_to` of standard `{}`", s.id)
            });
            if let StandardKind::Kpi {
                computed_from,
                computed_in,
                ..
            } = &s.kind
            {
                self.each(computed_from, &[Entity], &|| {
                    format!("`computed_from` of KPI `{}`", s.id)
                });
                if let Some(c) = computed_in {
                    self.check(c, &[System], &|| format!("`computed_in` of KPI `{}`", s.id));
                }
            }
        }
        for e in &m.div.entities {
            for r in &e.relations {
                self.check(&r.to, &[Entity], &|| {
                    format!("`relations` of data entity `{}`", e.id)
                });
            }
        }
    }

    fn rule_name(&mut self, rule: &Id, whose: &str) {
        if self.rules.contains(&rule.as_str()) {
            return;
        }
        let suggestion = did_you_mean(rule.as_str(), self.rules.iter().copied());
        let d = Diagnostic::error("unknown-rule", format!("unknown rule `{rule}` in {whose}"))
            .at(rule.span(), "no rule has this id");
        let d = match suggestion {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None => d.help(format!("rules: {}", self.rules.join(", "))),
        };
        self.diags.push(d);
    }

    fn rules_named(&mut self) {
        for e in self.model.entities() {
            for a in e.allow() {
                self.rule_name(&a.rule, &format!("`allow` of {}", e.describe()));
            }
        }
        for rule in self.model.av.settings.rules.keys() {
            self.rule_name(rule, "`settings.rules`");
        }
    }

    fn integrations(&mut self) {
        for i in &self.model.sv.integrations {
            if i.source == i.target {
                self.diags.push(
                    Diagnostic::error(
                        "self-integration",
                        format!("integration `{}` connects `{}` to itself", i.id, i.source),
                    )
                    .at(i.target.span(), "same system as the source")
                    .help("an integration moves data between two different systems"),
                );
            }
            if let Some(via) = &i.via {
                if via == &i.source || via == &i.target {
                    self.diags.push(
                        Diagnostic::warning(
                            "via-endpoint",
                            format!("integration `{}` runs via `{via}`, which is one of its ends", i.id),
                        )
                        .at(via.span(), "`via` names the platform in between")
                        .help("remove `via`, or name the iPaaS / reverse-ETL system the data passes through"),
                    );
                }
            }
            duplicates(self.diags, &i.carries, &|| {
                format!("`carries` of integration `{}`", i.id)
            });
        }
    }

    fn holdings(&mut self) {
        for s in &self.model.sv.systems {
            duplicates(self.diags, s.holds.iter().map(|h| &h.entity), &|| {
                format!("`holds` of system `{}`", s.id)
            });
        }
        for a in &self.model.ov.activities {
            duplicates(self.diags, &a.systems, &|| {
                format!("`systems` of activity `{}`", a.id)
            });
        }
    }
}

/// Reports an id listed twice in one list.
/// `whose` (the list, for the message) is only called on a duplicate.
fn duplicates<'i>(
    diags: &mut Vec<Diagnostic>,
    ids: impl IntoIterator<Item = &'i Id>,
    whose: &dyn Fn() -> String,
) {
    let mut seen: FastMap<&str, Span> = FastMap::default();
    for id in ids {
        if let Some(first) = seen.get(id.as_str()) {
            diags.push(
                Diagnostic::error(
                    "duplicate-entry",
                    format!("`{id}` is listed twice in {}", whose()),
                )
                .at(id.span(), "listed again here")
                .also(*first, "first listed here"),
            );
        } else {
            seen.insert(id.as_str(), id.span());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::model::read_texts;

    /// (code, message, location) of each diagnostic.
    fn diags(files: &[(&str, &str)]) -> Vec<(String, String, String)> {
        let l = read_texts(files, &["data-silo", "unowned"]);
        l.diagnostics
            .iter()
            .map(|d| {
                let at = d
                    .primary
                    .as_ref()
                    .map(|p| l.sources.location(p.span))
                    .unwrap_or_default();
                let help = d.help.join(" | ");
                (d.code.to_string(), format!("{} [{help}]", d.message), at)
            })
            .collect()
    }

    #[test]
    fn unknown_reference_suggests_the_closest_id_of_the_right_kind() {
        let ov = r#"(performers: [(id: "sales", name: "Sales")],
  activities: [(id: "a", name: "A", performer: "slaes", stage: close)])"#;
        let d = diags(&[("ov.ron", ov)]);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].0, "unknown-reference");
        assert!(
            d[0].1
                .contains("unknown performer `slaes` in `performer` of activity `a`"),
            "{d:?}"
        );
        assert!(d[0].1.contains("did you mean `sales`?"), "{d:?}");
        assert_eq!(d[0].2, "ov.ron:2:48");
    }

    #[test]
    fn unknown_reference_lists_known_ids_when_nothing_is_close() {
        let sv = r#"(systems: [(id: "crm", name: "CRM", kind: crm, holds: [(entity: "zzzz", role: record)])])"#;
        let div = r#"(entities: [(id: "lead", name: "Lead")])"#;
        let d = diags(&[("sv.ron", sv), ("div.ron", div)]);
        assert!(d[0].1.contains("known: lead"), "{d:?}");
    }

    #[test]
    fn wrong_kind_and_kpi_kind() {
        let av = r#"(goals: [(id: "g", name: "G", target: "t", kpi: "gdpr")])"#;
        let stdv = r#"(standards: [(id: "gdpr", name: "GDPR", kind: regulation(privacy: true), applies_to: ["g"])])"#;
        let d = diags(&[("av.ron", av), ("stdv.ron", stdv)]);
        let codes: Vec<&str> = d.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(codes, vec!["wrong-kind", "wrong-kind"], "{d:?}");
        assert!(
            d[0].1.contains(
                "standard `gdpr` is a regulation, but `kpi` of goal `g` needs a KPI standard"
            ),
            "{d:?}"
        );
        assert!(
            d[1].1.contains(
                "`g` is a goal, but `applies_to` of standard `gdpr` needs a system or data entity"
            ),
            "{d:?}"
        );
    }

    #[test]
    fn a_duplicate_id_is_the_one_error_not_a_cascade_of_wrong_kinds() {
        // `lead` is an activity and a data entity: the references that want
        // the entity may mean it, so only the duplicate is reported
        let ov = r#"(performers: [(id: "p", name: "P")],
  activities: [(id: "lead", name: "Capture", performer: "p", stage: capture, outputs: ["lead"]),
               (id: "q", name: "Qualify", performer: "p", stage: qualify, inputs: ["lead"])])"#;
        let sv = r#"(systems: [(id: "crm", name: "CRM", kind: crm, holds: [(entity: "lead", role: record)])])"#;
        let div = r#"(entities: [(id: "lead", name: "Lead")])"#;
        let d = diags(&[("ov.ron", ov), ("sv.ron", sv), ("div.ron", div)]);
        let codes: Vec<&str> = d.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(codes, ["duplicate-id"], "{d:?}");
        assert!(d[0].1.contains("reuses the id of an activity"), "{d:?}");
        assert!(
            d[0].1.contains("3 references to `lead` were not checked"),
            "{d:?}"
        );
        // near miss: a reference that wants neither kind is still wrong
        let sv = r#"(systems: [(id: "crm", name: "CRM", kind: crm, owner: "lead")])"#;
        let d = diags(&[("ov.ron", ov), ("sv.ron", sv), ("div.ron", div)]);
        let codes: Vec<&str> = d.iter().map(|x| x.0.as_str()).collect();
        assert!(codes.contains(&"wrong-kind"), "{d:?}");
        let wrong = d.iter().find(|x| x.0 == "wrong-kind").unwrap();
        assert!(
            wrong
                .1
                .contains("`lead` is an activity, but `owner` of system `crm` needs a performer"),
            "{d:?}"
        );
    }

    #[test]
    fn duplicate_ids_across_viewpoints_point_at_both() {
        let sv = r#"(systems: [(id: "crm", name: "CRM", kind: crm)])"#;
        let div = r#"(entities: [(id: "crm", name: "CRM data")])"#;
        let l = read_texts(&[("sv.ron", sv), ("div.ron", div)], &[]);
        let dup = l
            .diagnostics
            .iter()
            .find(|d| d.code == "duplicate-id")
            .unwrap();
        assert_eq!(
            l.sources.location(dup.primary.as_ref().unwrap().span),
            "div.ron:1:18"
        );
        assert_eq!(l.sources.location(dup.secondary[0].span), "sv.ron:1:17");
    }

    #[test]
    fn invalid_ids_rules_and_lists() {
        let sv = r#"(systems: [(id: "Sales Force!", name: "SF", kind: crm, allow: [(rule: "data-slio", reason: "x")]),
  (id: "b", name: "B", kind: crm, holds: [(entity: "e", role: record), (entity: "e", role: copy)])],
  integrations: [(id: "i", name: "i", source: "b", target: "b", mechanism: api, frequency: daily)])"#;
        let div = r#"(entities: [(id: "e", name: "E")])"#;
        let d = diags(&[("sv.ron", sv), ("div.ron", div)]);
        let codes: Vec<&str> = d.iter().map(|x| x.0.as_str()).collect();
        for code in [
            "invalid-id",
            "unknown-rule",
            "duplicate-entry",
            "self-integration",
        ] {
            assert!(codes.contains(&code), "{code}: {d:?}");
        }
        let invalid = d.iter().find(|x| x.0 == "invalid-id").unwrap();
        assert!(invalid.1.contains("try `sales-force`"), "{d:?}");
        let rule = d.iter().find(|x| x.0 == "unknown-rule").unwrap();
        assert!(rule.1.contains("did you mean `data-silo`?"), "{d:?}");
    }

    #[test]
    fn id_syntax() {
        assert!(valid_id("salesforce"));
        assert!(valid_id("sfdc-2.0_x"));
        assert!(valid_id("3pl"));
        assert!(!valid_id(""));
        assert!(!valid_id("-x"));
        assert!(!valid_id("sales force"));
        assert!(!valid_id("<script>"));
    }
}
