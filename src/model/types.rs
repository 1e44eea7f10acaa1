//! The model file format: one Rust type per RON construct.
//!
//! These types *are* the documentation of the format: every field carries a
//! doc comment, and `revarch schema` turns them into a JSON Schema for editors.
//! They are deserialized by [`super::syntax`] (our span-keeping RON reader), so
//! every identifier and reference remembers where it was written.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::hash::{Hash, Hasher};

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::syntax::{Span, Spanned};

// ---------------------------------------------------------------------------
// Identifiers
// ---------------------------------------------------------------------------

/// An entity's identifier, or a reference to one, with where it was written.
///
/// Equality, ordering and hashing look at the text only, so an `Id` read from
/// a file and one built in code compare equal.
#[derive(Clone, Debug, Default)]
pub struct Id {
    name: String,
    span: Span,
}

impl Id {
    /// An identifier that was not read from a file (tests, generated models).
    pub fn new(name: impl Into<String>) -> Id {
        Id {
            name: name.into(),
            span: Span::default(),
        }
    }
    /// An identifier with a known location.
    pub fn with_span(name: impl Into<String>, span: Span) -> Id {
        Id {
            name: name.into(),
            span,
        }
    }
    /// The identifier's text.
    pub fn as_str(&self) -> &str {
        &self.name
    }
    /// Where it was written (a default span when built in code).
    pub fn span(&self) -> Span {
        self.span
    }
}

impl PartialEq for Id {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}
impl Eq for Id {}
impl Hash for Id {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name.hash(state)
    }
}
impl PartialOrd for Id {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Id {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.name.cmp(&other.name)
    }
}
impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}
impl std::borrow::Borrow<str> for Id {
    fn borrow(&self) -> &str {
        &self.name
    }
}
impl Serialize for Id {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.name)
    }
}
impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Spanned::<String>::deserialize(d)?;
        Ok(Id {
            name: s.value,
            span: s.span,
        })
    }
}
impl JsonSchema for Id {
    fn schema_name() -> Cow<'static, str> {
        "Id".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "An identifier: letters, digits, `-`, `_` and `.`, unique across the whole model.",
            "pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]*$"
        })
    }
}

/// Free text that remembers where it was written (used for rule ids in
/// `allow` and `settings`, so a typo can be pointed at).
pub type Text = Id;

// ---------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------

/// When something exists, relative to the plan period.
///
/// The model describes two states: **as-is** (`current` + `retiring`) and
/// **to-be** (`current` + `planned`).
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Lifecycle {
    /// In place today and kept through the plan period.
    #[default]
    Current,
    /// Introduced during the plan period: part of the to-be state only.
    Planned,
    /// Removed during the plan period: part of the as-is state only.
    Retiring,
}

/// Which of the two states of the plan year to look at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum State {
    /// Today: `current` and `retiring` elements.
    #[serde(rename = "as-is")]
    AsIs,
    /// The end of the plan period: `current` and `planned` elements.
    #[serde(rename = "to-be")]
    ToBe,
}

impl State {
    /// Both states, as-is first.
    pub const ALL: [State; 2] = [State::AsIs, State::ToBe];
    /// The name used on the command line and in output.
    pub fn as_str(self) -> &'static str {
        match self {
            State::AsIs => "as-is",
            State::ToBe => "to-be",
        }
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Lifecycle {
    /// Whether an element with this lifecycle exists in `state`.
    pub fn present_in(self, state: State) -> bool {
        !matches!(
            (self, state),
            (Lifecycle::Planned, State::AsIs) | (Lifecycle::Retiring, State::ToBe)
        )
    }
}

/// A finding deliberately accepted for one entity, like `#[allow]` in Rust.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Allow {
    /// The rule id to silence for this entity (see `revarch rules`).
    pub rule: Text,
    /// Why this is acceptable; shown next to the suppressed finding.
    pub reason: String,
}

/// How seriously a rule's findings are taken.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Switched off: the rule does not run.
    Off,
    /// Worth knowing; never fails a check unless `--fail-on info`.
    Info,
    /// Should be fixed during the plan period.
    Warning,
    /// Breaks the architecture; fails `check` by default.
    Error,
}

impl Level {
    /// One level more severe (info → warning → error); off and error stay.
    pub fn raised(self) -> Level {
        match self {
            Level::Info => Level::Warning,
            Level::Warning => Level::Error,
            other => other,
        }
    }

    /// The lower-case name used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Model-wide settings for the analyses.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Severity per rule id, overriding the rule's default, e.g.
    /// `{"unowned": off, "data-silo": error}`.
    pub rules: BTreeMap<Text, Level>,
}

// ---------------------------------------------------------------------------
// The whole model
// ---------------------------------------------------------------------------

/// A whole model in one file (`model.ron`): the five viewpoints together.
/// In a model folder each viewpoint is its own file instead (`av.ron`, …).
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Model {
    /// All Viewpoint: scope, goals, principles, glossary, settings.
    pub av: AllViewpoint,
    /// Operational Viewpoint: performers, activities, information exchanges.
    pub ov: Operational,
    /// Systems Viewpoint: systems and integrations.
    pub sv: Systems,
    /// Standards Viewpoint: data-quality rules, KPI definitions, regulations.
    pub stdv: Standards,
    /// Data and Information Viewpoint: data entities and their relations.
    pub div: Data,
}

// ---------------------------------------------------------------------------
// AV — All Viewpoint
// ---------------------------------------------------------------------------

/// AV (`av.ron`): what the architecture is for.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct AllViewpoint {
    /// The architecture's name, e.g. "Acme revenue architecture".
    pub name: String,
    /// Why the architecture is described: the decisions it supports.
    pub purpose: String,
    /// What is in and out of scope.
    pub scope: String,
    /// The plan period, e.g. "FY2027".
    pub plan_period: String,
    /// The performer accountable for the architecture (usually RevOps).
    pub owner: Option<Id>,
    /// Goals for the plan period, each measured by a KPI standard.
    pub goals: Vec<Goal>,
    /// Principles every change should follow.
    pub principles: Vec<Principle>,
    /// Glossary of business terms.
    pub glossary: Vec<Term>,
    /// Rule severities for this model.
    pub settings: Settings,
}

/// A goal for the plan period with a measurable target.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    /// Unique id.
    pub id: Id,
    /// Short name, e.g. "Grow net revenue retention".
    pub name: String,
    /// Longer explanation.
    #[serde(default)]
    pub description: Option<String>,
    /// Accountable performer (team or role id).
    #[serde(default)]
    pub owner: Option<Id>,
    /// Free-form tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Findings accepted for this goal.
    #[serde(default)]
    pub allow: Vec<Allow>,
    /// The measurable target, e.g. "NRR >= 115% by Q4".
    pub target: String,
    /// The KPI standard (a `kpi(...)` standard) that measures the target.
    #[serde(default)]
    pub kpi: Option<Id>,
}

/// A principle of the architecture.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Principle {
    /// Unique id.
    pub id: Id,
    /// The principle in a few words, e.g. "One system of record per entity".
    pub name: String,
    /// Statement of the principle.
    #[serde(default)]
    pub description: Option<String>,
    /// Performer who guards it.
    #[serde(default)]
    pub owner: Option<Id>,
    /// Free-form tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Findings accepted for this principle.
    #[serde(default)]
    pub allow: Vec<Allow>,
    /// Why the principle holds.
    #[serde(default)]
    pub rationale: Option<String>,
}

/// A glossary term.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// Unique id.
    pub id: Id,
    /// The term, e.g. "MQL".
    pub name: String,
    /// Its definition.
    #[serde(default)]
    pub description: Option<String>,
    /// Performer who owns the definition.
    #[serde(default)]
    pub owner: Option<Id>,
    /// Free-form tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Findings accepted for this term.
    #[serde(default)]
    pub allow: Vec<Allow>,
    /// Other words people use for it.
    #[serde(default)]
    pub aliases: Vec<String>,
}

// ---------------------------------------------------------------------------
// OV — Operational Viewpoint
// ---------------------------------------------------------------------------

/// OV (`ov.ron`): who does what in the customer journey.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Operational {
    /// Teams, roles and external parties.
    pub performers: Vec<Performer>,
    /// Activities of the customer journey.
    pub activities: Vec<Activity>,
    /// Information exchanges (needlines) between performers.
    pub exchanges: Vec<Exchange>,
}

/// What kind of performer.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum PerformerKind {
    /// A team, e.g. Marketing.
    #[default]
    Team,
    /// A role inside a team, e.g. SDR.
    Role,
    /// Someone outside the company: prospect, customer, partner.
    External,
}

/// A team, role or external party.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Performer {
    /// Unique id.
    pub id: Id,
    /// Display name, e.g. "Sales Development".
    pub name: String,
    /// What the performer does.
    #[serde(default)]
    pub description: Option<String>,
    /// The team this performer reports to, if any.
    #[serde(default)]
    pub owner: Option<Id>,
    /// Free-form tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Findings accepted for this performer.
    #[serde(default)]
    pub allow: Vec<Allow>,
    /// Team, role or external party.
    #[serde(default)]
    pub kind: PerformerKind,
}

/// Stage of the customer journey, in journey order.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Reaching people who may buy (campaigns, content, events).
    Attract,
    /// Capturing leads (forms, lists, enrichment).
    Capture,
    /// Qualifying leads (scoring, MQL, SDR qualification, SQL).
    Qualify,
    /// Working opportunities (discovery, demo, proposal, CPQ).
    Opportunity,
    /// Closing deals (negotiation, contract, closed won/lost).
    Close,
    /// Onboarding new customers.
    Onboard,
    /// Driving product adoption and health.
    Adopt,
    /// Renewing contracts.
    Renew,
    /// Expanding accounts (upsell, cross-sell).
    Expand,
    /// Invoicing customers.
    Invoice,
    /// Collecting cash and recognising revenue.
    Collect,
    /// Supporting customers (tickets, escalations).
    Support,
    /// Reporting and forecasting across the journey.
    Report,
}

/// An operational activity of the customer journey.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    /// Unique id.
    pub id: Id,
    /// Name, e.g. "Qualify inbound leads".
    pub name: String,
    /// What happens.
    #[serde(default)]
    pub description: Option<String>,
    /// Accountable performer, if other than the one performing it.
    #[serde(default)]
    pub owner: Option<Id>,
    /// Free-form tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Findings accepted for this activity.
    #[serde(default)]
    pub allow: Vec<Allow>,
    /// Performer who carries it out.
    pub performer: Id,
    /// Journey stage.
    pub stage: Stage,
    /// Position in the journey (activities are listed by stage, then order).
    #[serde(default)]
    pub order: u32,
    /// Data entities the activity needs.
    #[serde(default)]
    pub inputs: Vec<Id>,
    /// Data entities the activity creates or updates.
    #[serde(default)]
    pub outputs: Vec<Id>,
    /// Systems people use to carry it out.
    #[serde(default)]
    pub systems: Vec<Id>,
    /// Whether it exists today, is planned, or is being retired.
    #[serde(default)]
    pub lifecycle: Lifecycle,
}

/// An information exchange (needline): one performer needs data from another.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Exchange {
    /// Unique id.
    pub id: Id,
    /// Name, e.g. "MQL hand-off".
    pub name: String,
    /// What is exchanged and why.
    #[serde(default)]
    pub description: Option<String>,
    /// Accountable performer.
    #[serde(default)]
    pub owner: Option<Id>,
    /// Free-form tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Findings accepted for this exchange.
    #[serde(default)]
    pub allow: Vec<Allow>,
    /// Performer that provides the information.
    pub from: Id,
    /// Performer that needs it.
    pub to: Id,
    /// Data entities carried.
    #[serde(default)]
    pub carries: Vec<Id>,
    /// The activity this exchange serves.
    #[serde(default)]
    pub activity: Option<Id>,
    /// Whether it exists today, is planned, or is being retired.
    #[serde(default)]
    pub lifecycle: Lifecycle,
}

// ---------------------------------------------------------------------------
// SV — Systems Viewpoint
// ---------------------------------------------------------------------------

/// SV (`sv.ron`): the tool stack and how it is connected.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Systems {
    /// Systems (applications, data stores, spreadsheets).
    pub systems: Vec<System>,
    /// Integrations between systems.
    pub integrations: Vec<Integration>,
}

/// What a system is for.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SystemKind {
    /// Customer relationship management (Salesforce, HubSpot CRM).
    Crm,
    /// Marketing automation (Marketo, HubSpot Marketing).
    MarketingAutomation,
    /// Sales engagement (Outreach, Salesloft).
    SalesEngagement,
    /// Conversation intelligence (Gong).
    ConversationIntelligence,
    /// Configure-price-quote.
    Cpq,
    /// Customer-success platform (Gainsight).
    CsPlatform,
    /// Support desk (Zendesk).
    SupportDesk,
    /// Subscription billing (Stripe, Chargebee).
    Billing,
    /// ERP / accounting (NetSuite).
    Erp,
    /// Product analytics (Amplitude).
    ProductAnalytics,
    /// Data enrichment (ZoomInfo, Clearbit).
    Enrichment,
    /// Integration platform (Workato).
    Ipaas,
    /// Analytics data warehouse (Snowflake, BigQuery).
    DataWarehouse,
    /// Business intelligence (Looker, Tableau).
    Bi,
    /// Reverse ETL (Hightouch, Census).
    ReverseEtl,
    /// Webinar / events platform.
    Webinar,
    /// Spreadsheets and shared drives.
    Spreadsheet,
    /// Anything else.
    Other,
}

impl SystemKind {
    /// Whether reporting happens here (a warehouse or BI tool).
    pub fn is_analytics(self) -> bool {
        matches!(self, SystemKind::DataWarehouse | SystemKind::Bi)
    }
}

/// How a system holds a data entity.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The system of record: the master, the number everybody trusts.
    Record,
    /// A copy kept in sync (or not) from elsewhere.
    Copy,
}

/// A data entity held by a system.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Holding {
    /// The data entity.
    pub entity: Id,
    /// System of record or copy.
    pub role: Role,
}

/// A system of the tool stack.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct System {
    /// Unique id.
    pub id: Id,
    /// Display name, e.g. "Salesforce".
    pub name: String,
    /// What it is used for.
    #[serde(default)]
    pub description: Option<String>,
    /// Owning team (performer id).
    #[serde(default)]
    pub owner: Option<Id>,
    /// Free-form tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Findings accepted for this system.
    #[serde(default)]
    pub allow: Vec<Allow>,
    /// What kind of system.
    pub kind: SystemKind,
    /// Vendor or product, e.g. "Salesforce Sales Cloud".
    #[serde(default)]
    pub vendor: Option<String>,
    /// Whether it exists today, is planned, or is being retired.
    #[serde(default)]
    pub lifecycle: Lifecycle,
    /// Data entities stored here, and in what role.
    #[serde(default)]
    pub holds: Vec<Holding>,
}

/// How an integration moves data.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Mechanism {
    /// The vendors' own connector.
    NativeConnector,
    /// Custom code against an API.
    Api,
    /// Event push.
    Webhook,
    /// A recipe in an integration platform.
    Ipaas,
    /// Scheduled extract-load into the warehouse.
    BatchEtl,
    /// Warehouse back into operational tools.
    ReverseEtl,
    /// Somebody exports a CSV and imports it elsewhere.
    ManualExport,
}

/// How often data moves.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// Within seconds or minutes of a change.
    RealTime,
    /// Every hour.
    Hourly,
    /// Every day.
    Daily,
    /// Every week.
    Weekly,
    /// Every month.
    Monthly,
    /// When somebody remembers to.
    OnDemand,
}

/// Which way data moves.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// From source to target only.
    #[default]
    OneWay,
    /// Both ways (sync).
    Bidirectional,
}

/// An integration: data moving from one system to another.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Integration {
    /// Unique id.
    pub id: Id,
    /// Display name, e.g. "Marketo → Salesforce lead sync".
    pub name: String,
    /// What it does.
    #[serde(default)]
    pub description: Option<String>,
    /// Team that maintains it.
    #[serde(default)]
    pub owner: Option<Id>,
    /// Free-form tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Findings accepted for this integration.
    #[serde(default)]
    pub allow: Vec<Allow>,
    /// System the data comes from.
    pub source: Id,
    /// System the data goes to.
    pub target: Id,
    /// Data entities carried.
    #[serde(default)]
    pub carries: Vec<Id>,
    /// How data moves.
    pub mechanism: Mechanism,
    /// How often.
    pub frequency: Frequency,
    /// One way or both ways.
    #[serde(default)]
    pub direction: Direction,
    /// A system the data passes through (an iPaaS or reverse-ETL tool).
    #[serde(default)]
    pub via: Option<Id>,
    /// Information exchanges (needlines) this integration realises.
    #[serde(default)]
    pub realizes: Vec<Id>,
    /// Whether it exists today, is planned, or is being retired.
    #[serde(default)]
    pub lifecycle: Lifecycle,
}

// ---------------------------------------------------------------------------
// StdV — Standards Viewpoint
// ---------------------------------------------------------------------------

/// StdV (`stdv.ron`): what everybody agrees to measure and obey.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Standards {
    /// Data-quality rules, KPI definitions, regulations and policies.
    pub standards: Vec<Standard>,
}

/// The kind of standard, with what only that kind has.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum StandardKind {
    /// A data-quality rule, e.g. `data_quality(rule: "Every Account has an industry")`.
    DataQuality {
        /// The rule as people check it.
        rule: String,
    },
    /// A KPI definition, e.g. `kpi(formula: "...", unit: "%", computed_from: ["subscription"], computed_in: "looker")`.
    Kpi {
        /// How it is computed.
        formula: String,
        /// Unit: "%", "USD", "days"…
        unit: String,
        /// Data entities it is computed from.
        #[serde(default)]
        computed_from: Vec<Id>,
        /// System where it is computed (usually the BI tool or warehouse).
        #[serde(default)]
        computed_in: Option<Id>,
    },
    /// A law or external regulation, e.g. `regulation(privacy: true, jurisdiction: "EU")`.
    Regulation {
        /// Whether it governs personal data (GDPR, CCPA: yes; SOC 2: no).
        #[serde(default)]
        privacy: bool,
        /// Where it applies, e.g. "EU".
        #[serde(default)]
        jurisdiction: Option<String>,
    },
    /// An internal policy, e.g. `policy(privacy: true)`.
    Policy {
        /// Whether it governs personal data.
        #[serde(default)]
        privacy: bool,
    },
}

impl StandardKind {
    /// A short name for the kind.
    pub fn label(&self) -> &'static str {
        match self {
            StandardKind::DataQuality { .. } => "data-quality rule",
            StandardKind::Kpi { .. } => "KPI",
            StandardKind::Regulation { .. } => "regulation",
            StandardKind::Policy { .. } => "policy",
        }
    }
    /// Whether this standard governs personal data.
    pub fn is_privacy(&self) -> bool {
        matches!(
            self,
            StandardKind::Regulation { privacy: true, .. } | StandardKind::Policy { privacy: true }
        )
    }
}

/// A technical standard.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Standard {
    /// Unique id.
    pub id: Id,
    /// Name, e.g. "Net revenue retention" or "GDPR".
    pub name: String,
    /// Longer explanation.
    #[serde(default)]
    pub description: Option<String>,
    /// Performer accountable for it.
    #[serde(default)]
    pub owner: Option<Id>,
    /// Free-form tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Findings accepted for this standard.
    #[serde(default)]
    pub allow: Vec<Allow>,
    /// The kind, with its own fields.
    pub kind: StandardKind,
    /// Systems and/or data entities it applies to.
    #[serde(default)]
    pub applies_to: Vec<Id>,
    /// Whether it is in force today, planned, or being retired.
    #[serde(default)]
    pub lifecycle: Lifecycle,
}

// ---------------------------------------------------------------------------
// DIV — Data and Information Viewpoint
// ---------------------------------------------------------------------------

/// DIV (`div.ron`): the business objects.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Data {
    /// Data entities.
    pub entities: Vec<Entity>,
}

/// How sensitive a data entity is.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Classification {
    /// May be published.
    Public,
    /// For employees.
    #[default]
    Internal,
    /// Restricted (contracts, revenue).
    Confidential,
    /// Personal data about people: privacy law applies.
    Pii,
}

/// Cardinality of a relation between entities.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Cardinality {
    /// 1 — 1
    OneToOne,
    /// 1 — n
    OneToMany,
    /// n — 1
    ManyToOne,
    /// n — m
    ManyToMany,
}

impl Cardinality {
    /// Crow's-foot style label, e.g. "1..n".
    pub fn label(self) -> &'static str {
        match self {
            Cardinality::OneToOne => "1:1",
            Cardinality::OneToMany => "1:n",
            Cardinality::ManyToOne => "n:1",
            Cardinality::ManyToMany => "n:m",
        }
    }
}

/// A relation from one entity to another.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Relation {
    /// The related entity.
    pub to: Id,
    /// Cardinality from this entity to the other.
    pub cardinality: Cardinality,
    /// The relation's meaning, e.g. "has", "belongs to".
    #[serde(default)]
    pub label: Option<String>,
}

/// An attribute of a data entity.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attribute {
    /// Attribute name, e.g. "email".
    pub name: String,
    /// Type as people say it: "string", "date", "money"…
    #[serde(default, rename = "type")]
    pub ty: Option<String>,
    /// Part of the entity's key.
    #[serde(default)]
    pub key: bool,
    /// Personal data (even if the entity as a whole is not PII).
    #[serde(default)]
    pub pii: bool,
}

/// A data entity (business object).
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Entity {
    /// Unique id.
    pub id: Id,
    /// Name, e.g. "Lead".
    pub name: String,
    /// What it represents.
    #[serde(default)]
    pub description: Option<String>,
    /// Data owner (performer id).
    #[serde(default)]
    pub owner: Option<Id>,
    /// Free-form tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Findings accepted for this entity.
    #[serde(default)]
    pub allow: Vec<Allow>,
    /// Sensitivity.
    #[serde(default)]
    pub classification: Classification,
    /// Attributes (at least the key ones).
    #[serde(default)]
    pub attributes: Vec<Attribute>,
    /// Relations to other entities.
    #[serde(default)]
    pub relations: Vec<Relation>,
}

impl Entity {
    /// Whether privacy law applies: classified PII or with a PII attribute.
    pub fn is_pii(&self) -> bool {
        self.classification == Classification::Pii || self.attributes.iter().any(|a| a.pii)
    }
}
