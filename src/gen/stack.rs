//! One regional stack (one business unit in one region): its systems and
//! integrations, teams, activities, needline, standards and data entities,
//! with its planted problems and the findings they must produce.
//!
//! The wiring keeps every system on at least two paths except the sales
//! tools hanging off the CRM (so the CRM is the stack's single point of
//! failure, as in most real stacks), and every integration carries only what
//! its source has and its target keeps — so the only warnings are planted.

use super::writer::{
    attr, key, one_way, pii, strings, sync, Act, End, Ent, How, Int, Kpi, Std, Sys, Writer, Xchg,
    CW, ERP, HIGHTOUCH, WORKATO,
};
use super::{Group, Plant, Slot, SLOTS};
use crate::model::Lifecycle;

use End::{Central, Local};
use Slot::*;

/// Entities that are personal data (besides each region's webinar attendance).
const PII: [&str; 5] = ["lead", "contact", "call", "ticket", "product-usage"];

/// A regional stack being built.
pub(super) struct Stack<'g> {
    g: &'g Group,
    systems: Vec<Sys>,
    ints: Vec<Int>,
    /// `state rule/case:subject` findings its plants must produce.
    expect: Vec<String>,
    sales: String,
    cs: String,
    tax: String,
    price_book: String,
    territory: String,
    attendance: String,
    deal_reg: String,
    handoff: String,
    renewals: String,
}

impl<'g> Stack<'g> {
    pub fn new(g: &'g Group) -> Stack<'g> {
        let gs = &g.slug;
        let mut st = Stack {
            g,
            systems: Vec::with_capacity(g.size),
            ints: Vec::with_capacity(g.size * 2),
            expect: Vec::new(),
            sales: format!("{gs}-sales"),
            cs: format!("{gs}-cs"),
            tax: format!("{gs}-tax-registration"),
            price_book: format!("{gs}-price-book"),
            territory: format!("{gs}-territory-plan"),
            attendance: format!("{gs}-webinar-attendance"),
            deal_reg: format!("{gs}-deal-registration"),
            handoff: format!("{gs}-cs-handoff"),
            renewals: format!("{gs}-renewals"),
        };
        for &slot in &SLOTS[..g.size] {
            let s = st.system(slot);
            st.systems.push(s);
        }
        st.integrations();
        st.planted_integrations();
        st.unowned();
        st.mark_personal_data();
        st
    }

    fn has(&self, s: Slot) -> bool {
        self.g.has(s)
    }

    fn planted(&self, p: Plant) -> bool {
        self.g.plants.contains(&p)
    }

    fn at(&self, s: Slot) -> Option<usize> {
        SLOTS[..self.g.size].iter().position(|&x| x == s)
    }

    /// The id of the stack's system in `s` ("" when it has none).
    fn id(&self, s: Slot) -> &str {
        self.at(s).map_or("", |i| self.systems[i].id.as_str())
    }

    fn name(&self, s: Slot) -> &str {
        self.at(s).map_or("", |i| self.systems[i].name.as_str())
    }

    fn end_id(&self, e: End) -> &str {
        match e {
            Local(s) => self.id(s),
            Central(c) => c,
        }
    }

    // ---- systems ------------------------------------------------------------------------

    fn system(&self, slot: Slot) -> Sys {
        let g = self.g;
        let gl = g.label.as_str();
        let p = g.product(slot);
        let (id, name) = match slot {
            Warehouse => (
                format!("{}-{}", p.slug, g.slug),
                format!("{} ({gl})", p.name),
            ),
            _ => (format!("{}-{}", g.slug, p.slug), format!("{gl} {}", p.name)),
        };
        let sales = self.sales.as_str();
        let (kind, owner) = match slot {
            Crm => ("crm", sales),
            Warehouse => ("data_warehouse", "data"),
            Marketing => ("marketing_automation", "marketing"),
            Billing => ("billing", "finance"),
            Support => ("support_desk", "support"),
            Success => ("cs_platform", self.cs.as_str()),
            Analytics => ("product_analytics", "product"),
            Engagement => ("sales_engagement", sales),
            Sheet => ("spreadsheet", sales),
            Cpq => ("cpq", sales),
            Enrichment => ("enrichment", sales),
            Conversation => ("conversation_intelligence", sales),
            Webinar => ("webinar", "marketing"),
            WebinarNext => ("webinar", "marketing"),
            Partner => ("other", sales),
            Bi => ("bi", "data"),
        };
        let description = self.description(slot);
        let lifecycle = match slot {
            Webinar if self.has(WebinarNext) => Lifecycle::Retiring,
            WebinarNext => Lifecycle::Planned,
            _ => Lifecycle::Current,
        };
        Sys {
            slot,
            id,
            name,
            description,
            owner: Some(owner.to_string()),
            kind,
            vendor: p.vendor,
            lifecycle,
            holds: self.holds(slot),
            comment: None,
            pii: false,
        }
    }

    /// What the system in `slot` is for, in the stack's words.
    fn description(&self, slot: Slot) -> String {
        let g = self.g;
        let gl = g.label.as_str();
        let crm = format!("{gl} {}", g.product(Crm).name);
        match slot {
            Crm => format!("CRM of {gl}: accounts, contacts, opportunities and the forecast. System of record for {gl} customers; every {gl} sales tool syncs with it."),
            Warehouse => format!("{gl} warehouse hub: Fivetran loads from the regional tools, dbt builds the regional marts, and a nightly share feeds the global warehouse."),
            Marketing => format!("Marketing automation for {gl}: forms, programmes, lead scoring and MQL routing to {crm}."),
            Billing => format!("Subscription billing for {gl} customers: plans, invoices, payments and tax registrations; posts to NetSuite through Workato."),
            Support => format!("{gl} support desk: email, chat and in-app tickets; organisations and users synced from {crm}."),
            Success => format!("Customer-success platform of the {gl} CSMs: health scores, success plans, renewals."),
            Analytics => format!("Product analytics for {gl} workspaces: events, feature adoption, active users per account."),
            Engagement => format!("Sales engagement for {gl} SDRs and AEs: sequences, dialer, email tracking."),
            Sheet => format!("The {gl} sales team's workbook: territory and quota plans, commission checks."),
            Cpq => format!("Quotes, price book and discount approvals for {gl} deals."),
            Enrichment => format!("Firmographic and contact enrichment for {gl} accounts and leads."),
            Conversation => format!("Records and transcribes {gl} customer calls; deal boards for managers."),
            Webinar if self.has(WebinarNext) => format!("Webinar platform of {gl} marketing; replaced by {gl} {} in the plan period.", g.product(WebinarNext).name),
            Webinar => format!("Webinar platform of {gl} marketing: registrations and attendance."),
            WebinarNext => format!("New webinar platform for {gl}, replacing {gl} {}.", g.product(Webinar).name),
            Partner => format!("Partner relationship management for {gl} resellers: deal registration, tiers, co-selling."),
            Bi => format!("{gl} dashboards for regional leadership, on the regional warehouse hub and global benchmarks."),
        }
    }

    /// What the system in `slot` stores: (entity, system of record?).
    fn holds(&self, slot: Slot) -> Vec<(String, bool)> {
        let rec = |e: &str| (e.to_string(), true);
        let copy = |e: &str| (e.to_string(), false);
        let mut h = Vec::new();
        match slot {
            Crm => {
                h.extend(["account", "contact", "opportunity"].map(rec));
                h.extend(
                    [
                        "lead",
                        "campaign",
                        "subscription",
                        "invoice",
                        "health-score",
                        "sales-activity",
                    ]
                    .map(copy),
                );
                for (s, e) in [
                    (Cpq, "quote"),
                    (Conversation, "call"),
                    (Enrichment, "firmographics"),
                ] {
                    if self.has(s) {
                        h.push(copy(e));
                    }
                }
                if self.has(Partner) {
                    h.push(copy(&self.deal_reg));
                }
            }
            Marketing => {
                h.extend(["lead", "campaign"].map(rec));
                h.push(copy("contact"));
                if self.g.reverse_etl {
                    h.push(copy("subscription"));
                }
                if self.has(Webinar) {
                    h.push(copy(&self.attendance));
                }
            }
            Billing => {
                h.extend(["subscription", "invoice", "payment"].map(rec));
                h.push(copy("account"));
                if self.has(Cpq) {
                    h.push(copy("quote"));
                }
                h.push(rec(&self.tax));
            }
            Support => {
                h.push(rec("ticket"));
                h.extend(["account", "contact"].map(copy));
            }
            Success => {
                h.push(rec("health-score"));
                h.extend(["account", "contact", "subscription"].map(copy));
                // A silo is only a silo if the CS platform keeps no copy of its own.
                if !self.planted(Plant::TicketSilo) {
                    h.push(copy("ticket"));
                }
                if !self.planted(Plant::SiloAnalytics) {
                    h.push(copy("product-usage"));
                }
            }
            Analytics => h.push(rec("product-usage")),
            Engagement => {
                h.push(rec("sales-activity"));
                h.extend(["lead", "contact"].map(copy));
            }
            Sheet => {
                h.push(rec(&self.territory));
                h.push(copy("opportunity"));
                if self.planted(Plant::PiiSheet) {
                    h.push(copy("contact"));
                }
                if self.planted(Plant::Island) {
                    h.push(copy("firmographics"));
                }
            }
            Cpq => {
                h.push(rec("quote"));
                h.push(rec(&self.price_book));
                h.extend(["opportunity", "account"].map(copy));
            }
            Enrichment => h.push(rec("firmographics")),
            Conversation => {
                h.push(rec("call"));
                h.extend(["contact", "opportunity"].map(copy));
            }
            Webinar | WebinarNext => {
                h.push(rec(&self.attendance));
                h.push(copy("lead"));
            }
            Partner => {
                h.push(rec(&self.deal_reg));
                h.push(copy("account"));
            }
            Warehouse | Bi => {}
        }
        h
    }

    // ---- integrations -------------------------------------------------------------------

    /// Adds an integration from `source` to `target` and returns it for
    /// further settings.
    fn add(
        &mut self,
        source: End,
        target: End,
        carries: &[&str],
        how: How,
        owner: &str,
        description: &str,
    ) -> &mut Int {
        let slug = |e: End| match e {
            Local(s) => self.g.product(s).slug,
            Central(CW) => "global",
            Central(c) => c,
        };
        let name = |e: End| match e {
            Local(s) => self.name(s).to_string(),
            Central(CW) => "Snowflake (Global)".to_string(),
            Central(ERP) => "NetSuite".to_string(),
            Central(c) => c.to_string(),
        };
        let arrow = if how.bidirectional { "↔" } else { "→" };
        let int = Int {
            id: format!("{}-{}-to-{}", self.g.slug, slug(source), slug(target)),
            name: format!("{} {arrow} {}", name(source), name(target)),
            description: description.to_string(),
            owner: owner.to_string(),
            source,
            target,
            carries: strings(carries),
            how,
            via: None,
            realizes: Vec::new(),
            lifecycle: Lifecycle::Current,
            comment: None,
        };
        self.ints.push(int);
        let last = self.ints.len() - 1;
        &mut self.ints[last]
    }

    fn integrations(&mut self) {
        let cs = self.cs.clone();
        let sales = self.sales.clone();
        self.add(
            Local(Marketing),
            Local(Crm),
            &["lead", "contact", "campaign"],
            sync("native_connector", "real_time"),
            "marketing",
            "Native sync: MQLs and programme membership to the CRM; owner and status back to marketing automation.",
        );
        let mut to_warehouse = vec![
            "lead",
            "contact",
            "account",
            "opportunity",
            "campaign",
            "subscription",
            "invoice",
            "health-score",
            "sales-activity",
        ];
        for (s, e) in [
            (Cpq, "quote"),
            (Conversation, "call"),
            (Enrichment, "firmographics"),
        ] {
            if self.has(s) {
                to_warehouse.push(e);
            }
        }
        self.add(
            Local(Crm),
            Local(Warehouse),
            &to_warehouse,
            one_way("batch_etl", "hourly"),
            "data",
            "Fivetran connector, hourly: the basis of the regional funnel and pipeline models.",
        );
        self.add(
            Local(Billing),
            Local(Crm),
            &["subscription", "invoice"],
            one_way("native_connector", "daily"),
            "revops",
            "Subscriptions (ARR) and invoice status on the account.",
        );
        self.add(
            Local(Billing),
            Central(ERP),
            &["account", "invoice", "payment"],
            one_way("ipaas", "daily"),
            "finance",
            "Workato recipe posting customers, invoices and settled payments to the subsidiary's AR in NetSuite.",
        )
        .via = Some(WORKATO);
        self.add(
            Local(Warehouse),
            Central(CW),
            &[
                "lead",
                "account",
                "opportunity",
                "subscription",
                "invoice",
                "ticket",
                "health-score",
            ],
            one_way("batch_etl", "daily"),
            "data",
            "Nightly share of the regional marts into the global warehouse.",
        );
        self.add(
            Local(Crm),
            Local(Support),
            &["account", "contact"],
            one_way("native_connector", "hourly"),
            "support",
            "Accounts and contacts into support organisations and users, so agents see plan and owner.",
        );
        self.add(
            Local(Support),
            Local(Warehouse),
            &["ticket"],
            one_way("batch_etl", "hourly"),
            "data",
            "Tickets, SLAs and satisfaction ratings for the support dashboards.",
        );
        let handoff = self.handoff.clone();
        self.add(
            Local(Crm),
            Local(Success),
            &["account", "contact", "subscription", "health-score"],
            sync("native_connector", "daily"),
            &cs,
            "Accounts, contacts and subscriptions in; health scores out to the account page.",
        )
        .realizes
        .push(handoff);
        if !self.planted(Plant::TicketSilo) {
            self.add(
                Local(Support),
                Local(Success),
                &["ticket"],
                one_way("api", "hourly"),
                &cs,
                "Open tickets and escalations per account, for the health score.",
            );
        }
        let usage = if self.planted(Plant::SiloAnalytics) {
            Lifecycle::Planned
        } else {
            Lifecycle::Current
        };
        let silo = self.planted(Plant::SiloAnalytics).then(|| {
            format!(
                "PLANTED PROBLEM (data-silo): {} is connected to nothing today, so {} health scores have no usage input. Both syncs are planned for the plan period.",
                self.name(Analytics),
                self.g.label
            )
        });
        let i = self.add(
            Local(Analytics),
            Local(Warehouse),
            &["product-usage"],
            one_way("batch_etl", "daily"),
            "data",
            "Daily export of events and user properties, modelled into usage per account.",
        );
        i.lifecycle = usage;
        i.comment = silo;
        self.add(
            Local(Analytics),
            Local(Success),
            &["product-usage"],
            one_way("native_connector", "daily"),
            &cs,
            "Active users and feature adoption per account into the CS platform's usage object.",
        )
        .lifecycle = usage;
        self.add(
            Local(Engagement),
            Local(Crm),
            &["lead", "contact", "sales-activity"],
            sync("native_connector", "real_time"),
            "revops",
            "Prospects into sequences; emails, calls and sequence states logged back as CRM activities.",
        );
        if self.g.reverse_etl {
            self.add(
                Local(Warehouse),
                Local(Marketing),
                &["subscription"],
                one_way("reverse_etl", "daily"),
                "data",
                "Plan, ARR band and renewal date on customer contacts, to keep customers out of acquisition nurtures.",
            )
            .via = Some(HIGHTOUCH);
        }
        if let Some(life) = self.g.marketing_etl {
            self.add(
                Local(Marketing),
                Local(Warehouse),
                &["lead", "campaign"],
                one_way("batch_etl", "daily"),
                "data",
                "Leads, programme membership and the activity log.",
            )
            .lifecycle = life;
        }
        if self.has(Sheet) && !self.planted(Plant::Island) {
            if self.planted(Plant::PiiSheet) {
                let comment = format!(
                    "PLANTED PROBLEM (pii-exposure): contacts (personal data) are exported into {}, which no privacy regulation covers.",
                    self.name(Sheet)
                );
                self.add(
                    Local(Crm),
                    Local(Sheet),
                    &["opportunity", "contact"],
                    one_way("manual_export", "weekly"),
                    &sales,
                    "Weekly CSV export of the pipeline report — and, since last year, of the contacts of every open deal.",
                )
                .comment = Some(comment);
            } else {
                self.add(
                    Local(Crm),
                    Local(Sheet),
                    &["opportunity"],
                    one_way("manual_export", "weekly"),
                    &sales,
                    "Weekly CSV export of the pipeline report for the commission checks.",
                );
            }
        }
        if self.has(Cpq) {
            self.add(
                Local(Cpq),
                Local(Crm),
                &["opportunity", "account", "quote"],
                sync("native_connector", "real_time"),
                "revops",
                "Opportunity and account into the quote; primary quote totals back onto the opportunity.",
            );
            self.add(
                Local(Cpq),
                Local(Billing),
                &["quote", "account"],
                one_way("ipaas", "real_time"),
                "revops",
                "Workato recipe: a signed order form creates the billing customer and a draft subscription.",
            )
            .via = Some(WORKATO);
        }
        if self.has(Enrichment) && !self.planted(Plant::Island) {
            self.add(
                Local(Enrichment),
                Local(Crm),
                &["firmographics"],
                one_way("native_connector", "daily"),
                "revops",
                "Nightly enrichment of accounts, contacts and leads.",
            );
        }
        if self.has(Conversation) {
            self.add(
                Local(Conversation),
                Local(Crm),
                &["call", "contact", "opportunity"],
                sync("native_connector", "hourly"),
                "revops",
                "Reads contacts and opportunities to match recordings to deals; writes call summaries back.",
            );
        }
        let attendance = self.attendance.clone();
        for slot in [Webinar, WebinarNext] {
            if !self.has(slot) {
                continue;
            }
            let life = match slot {
                WebinarNext => Lifecycle::Planned,
                _ if self.has(WebinarNext) => Lifecycle::Retiring,
                _ => Lifecycle::Current,
            };
            self.add(
                Local(slot),
                Local(Marketing),
                &["lead", &attendance],
                sync("native_connector", "hourly"),
                "marketing",
                "Registrations and attendance into marketing programmes.",
            )
            .lifecycle = life;
            self.add(
                Local(slot),
                Local(Warehouse),
                &[&attendance],
                one_way("batch_etl", "daily"),
                "data",
                "Attendance history for campaign attribution.",
            )
            .lifecycle = life;
        }
        if self.has(Partner) {
            let deal_reg = self.deal_reg.clone();
            self.add(
                Local(Partner),
                Local(Crm),
                &[&deal_reg, "account"],
                sync("native_connector", "daily"),
                &sales,
                "Partner deal registrations onto accounts; account ownership back to the portal.",
            );
        }
        if self.has(Bi) {
            self.add(
                Local(Warehouse),
                Local(Bi),
                &["opportunity", "subscription", "lead"],
                one_way("native_connector", "real_time"),
                "data",
                "Live connection to the regional marts.",
            );
            self.add(
                Central(CW),
                Local(Bi),
                &["opportunity", "subscription"],
                one_way("native_connector", "daily"),
                "data",
                "Global benchmarks next to the regional numbers.",
            );
        }
    }

    /// The integrations that are planted problems, and what they must cause.
    fn planted_integrations(&mut self) {
        let sales = self.sales.clone();
        if self.planted(Plant::SiloAnalytics) {
            self.expect.push(format!(
                "as-is data-silo/isolated-system:{}",
                self.id(Analytics)
            ));
            self.expect
                .push("as-is data-silo/unreachable:product-usage".into());
        }
        if self.planted(Plant::TicketSilo) {
            self.expect.push("both data-silo/unreachable:ticket".into());
        }
        if self.planted(Plant::OrphanUnused) {
            let comment = format!(
                "PLANTED PROBLEM (orphan-integration): {} never uses campaign data.",
                self.name(Support)
            );
            let i = self.add(
                Local(Marketing),
                Local(Support),
                &["campaign"],
                one_way("api", "daily"),
                "marketing",
                "Campaign membership pushed to the support desk for a 2023 launch; nobody has used it since.",
            );
            i.comment = Some(comment);
            let id = i.id.clone();
            self.expect
                .push(format!("both orphan-integration/target-never-uses:{id}"));
        }
        if self.planted(Plant::OrphanNothing) {
            let i = self.add(
                Local(Crm),
                Local(Billing),
                &[],
                one_way("ipaas", "on_demand"),
                "revops",
                "Draft Workato recipe from a cancelled project; still deployed, still billed.",
            );
            i.via = Some(WORKATO);
            i.comment =
                Some("PLANTED PROBLEM (orphan-integration): a recipe that carries nothing.".into());
            let id = i.id.clone();
            self.expect
                .push(format!("both orphan-integration/carries-nothing:{id}"));
        }
        if self.planted(Plant::OrphanLegacy) {
            let comment = format!(
                "PLANTED PROBLEM (orphan-integration): this consultant-built sync is still `current`, so once {} is retired it points at nothing.",
                self.name(Webinar)
            );
            let i = self.add(
                Local(Webinar),
                Local(Crm),
                &["lead"],
                one_way("api", "daily"),
                "revops",
                "Legacy API job creating campaign members for webinar attendees.",
            );
            i.comment = Some(comment);
            let id = i.id.clone();
            self.expect
                .push(format!("to-be orphan-integration/retired-endpoint:{id}"));
        }
        if self.planted(Plant::Island) {
            let comment = format!(
                "PLANTED PROBLEM (data-island): {} and {} only talk to each other: the CRM sync was switched off when the licence was cut, and nobody exports the pipeline into the workbook any more.",
                self.name(Sheet),
                self.name(Enrichment)
            );
            self.add(
                Local(Enrichment),
                Local(Sheet),
                &["firmographics"],
                one_way("manual_export", "monthly"),
                &sales,
                "Monthly list export of target accounts into the territory workbook.",
            )
            .comment = Some(comment);
            let first = self.id(Sheet).to_string();
            self.expect
                .push(format!("both data-island/no-warehouse:{first}"));
            self.expect
                .push(format!("both data-island/cut-off-from-record:{first}"));
        }
        if self.planted(Plant::PiiSheet) {
            self.expect.push(format!(
                "both pii-exposure/uncovered-system:{}",
                self.id(Sheet)
            ));
        }
        if self.planted(Plant::SorConflict) {
            self.expect.push(format!(
                "both system-of-record-conflict/several-records:{}",
                self.tax
            ));
        }
    }

    /// The planted unowned system: the first of the optional sales tools.
    fn unowned(&mut self) {
        if !self.planted(Plant::Unowned) {
            return;
        }
        let slot = [Partner, Conversation, Enrichment, Sheet, Cpq, Engagement]
            .into_iter()
            .find(|&s| self.has(s));
        if let Some(i) = slot.and_then(|s| self.at(s)) {
            let s = &mut self.systems[i];
            s.owner = None;
            s.comment = Some("PLANTED PROBLEM (unowned): the admin who bought it left; nobody has claimed it since.".into());
            let e = format!("both unowned/system:{}", s.id);
            self.expect.push(e);
        }
    }

    /// Which systems hold or receive personal data (a privacy regulation
    /// must list them) — except the planted spreadsheet.
    fn mark_personal_data(&mut self) {
        let attendance = self.attendance.as_str();
        let is_pii = |e: &str| PII.contains(&e) || e == attendance;
        let mut flags: Vec<bool> = self
            .systems
            .iter()
            .map(|s| s.holds.iter().any(|(e, _)| is_pii(e)))
            .collect();
        for i in &self.ints {
            if i.carries.iter().any(|e| is_pii(e)) {
                for end in [i.source, i.target] {
                    if let Some(x) = match end {
                        Local(s) => self.at(s),
                        Central(_) => None,
                    } {
                        flags[x] = true;
                    }
                }
            }
        }
        if self.planted(Plant::PiiSheet) {
            if let Some(x) = self.at(Sheet) {
                flags[x] = false;
            }
        }
        for (s, f) in self.systems.iter_mut().zip(flags) {
            s.pii = f;
        }
    }
}

impl Writer {
    /// Writes one regional stack into every viewpoint.
    pub(super) fn stack(&mut self, st: &Stack<'_>) {
        let g = st.g;
        let gl = g.label.as_str();
        let domain = format!("domain:{}", g.unit);
        let region = format!("region:{}", g.region.slug);
        self.sys.section(&format!("{gl} stack"));
        self.sys.comment(&format!(
            "{gl}: {} systems of the {} business in {}.",
            g.size, g.unit_label, g.region.label
        ));
        for s in &st.systems {
            if s.pii {
                self.privacy[g.region.jurisdiction].push(s.id.clone());
            }
            if matches!(s.slot, Crm | Billing) {
                self.soc2.push(s.id.clone());
            }
            self.system(s, &[&domain, &region]);
        }
        self.ints.section(gl);
        for i in &st.ints {
            self.integration(i, st.end_id(i.source), st.end_id(i.target));
        }
        self.stack_ov(st);
        self.stack_stdv(st);
        self.stack_div(st);
        self.expected.extend(st.expect.iter().cloned());
    }

    fn stack_ov(&mut self, st: &Stack<'_>) {
        let g = st.g;
        let gl = g.label.as_str();
        let (sales, cs) = (st.sales.as_str(), st.cs.as_str());
        self.performers.section(&format!("{gl} teams"));
        self.performer(
            sales,
            &format!("{gl} Sales"),
            "team",
            Some("sales"),
            &format!("SDRs, AEs and sales engineers selling to {gl} customers; own the {gl} CRM and sales tools."),
        );
        self.performer(
            cs,
            &format!("{gl} Customer Success"),
            "team",
            Some("cs"),
            &format!("CSMs for {gl} customers: onboarding, adoption, renewals."),
        );

        self.activities.section(gl);
        let id = |x: &str| format!("{}-{x}", g.slug);
        let crm = st.id(Crm);
        // one stage of the journey that differs from stack to stack
        let rotating = match g.rotating {
            2 if !st.has(Cpq) => 1,
            6 if !st.has(Webinar) => 0,
            r => r,
        };
        match rotating {
            0 => {
                let mut systems = vec![st.id(Marketing)];
                let mut inputs = vec![];
                if st.has(Enrichment) {
                    systems.push(st.id(Enrichment));
                    inputs.push("firmographics");
                }
                self.activity(&Act {
                    id: &id("capture-leads"),
                    name: &format!("Capture and enrich {gl} leads"),
                    description: "Form fills are enriched in real time so forms stay short and routing works.",
                    performer: "marketing",
                    stage: "capture",
                    order: 1,
                    inputs: &inputs,
                    outputs: &["lead"],
                    systems: &systems,
                    comment: None,
                });
            }
            1 => {
                let mut systems = vec![crm];
                let mut inputs = vec!["opportunity", "contact"];
                if st.has(Conversation) {
                    systems.push(st.id(Conversation));
                    inputs.push("call");
                }
                self.activity(&Act {
                    id: &id("discovery"),
                    name: &format!("Run {gl} discovery and demos"),
                    description: "Discovery call and tailored demo; next steps and qualification fields kept in the CRM.",
                    performer: sales,
                    stage: "opportunity",
                    order: 1,
                    inputs: &inputs,
                    outputs: &["opportunity"],
                    systems: &systems,
                    comment: None,
                });
            }
            2 => self.activity(&Act {
                id: &id("quotes"),
                name: &format!("Quote {gl} deals"),
                description: "Quotes from the regional price book; discounts above 20% go to the deal desk.",
                performer: sales,
                stage: "opportunity",
                order: 2,
                inputs: &["opportunity", "account"],
                outputs: &["quote"],
                systems: &[st.id(Cpq)],
                comment: None,
            }),
            3 => self.activity(&Act {
                id: &id("onboarding"),
                name: &format!("Onboard {gl} customers"),
                description: "Kick-off within 5 days of close, success plan, admin training.",
                performer: cs,
                stage: "onboard",
                order: 1,
                inputs: &["account", "contact", "subscription"],
                outputs: &["health-score"],
                systems: &[st.id(Success), crm],
                comment: None,
            }),
            4 => self.activity(&Act {
                id: &id("invoicing"),
                name: &format!("Invoice {gl} customers"),
                description: "Annual and monthly invoices with the customer's tax registration; overages monthly in arrears.",
                performer: "finance",
                stage: "invoice",
                order: 1,
                inputs: &["subscription", &st.tax],
                outputs: &["invoice"],
                systems: &[st.id(Billing)],
                comment: None,
            }),
            5 => self.activity(&Act {
                id: &id("support"),
                name: &format!("Resolve {gl} support tickets"),
                description: "Email, chat and in-app tickets; P1 response within 1 hour for enterprise plans.",
                performer: "support",
                stage: "support",
                order: 1,
                inputs: &["account", "contact", "ticket"],
                outputs: &["ticket"],
                systems: &[st.id(Support)],
                comment: None,
            }),
            _ => {
                let mut systems = vec![st.id(Webinar)];
                if st.has(WebinarNext) {
                    systems.push(st.id(WebinarNext));
                }
                systems.push(st.id(Marketing));
                self.activity(&Act {
                    id: &id("webinars"),
                    name: &format!("Host {gl} webinars"),
                    description: "Two webinars a month; registrations and attendance flow back into marketing programmes.",
                    performer: "marketing",
                    stage: "attract",
                    order: 1,
                    inputs: &["campaign"],
                    outputs: &[&st.attendance],
                    systems: &systems,
                    comment: None,
                });
            }
        }
        self.activity(&Act {
            id: &id("qualify-leads"),
            name: &format!("Qualify {gl} MQLs into SQLs"),
            description:
                "SDRs work every MQL within the SLA and convert qualified ones into opportunities.",
            performer: sales,
            stage: "qualify",
            order: 1,
            inputs: &["lead", "contact"],
            outputs: &["opportunity", "sales-activity"],
            systems: &[crm, st.id(Engagement)],
            comment: None,
        });
        let ticket_silo = st.planted(Plant::TicketSilo).then(|| {
            format!(
                "PLANTED PROBLEM (data-silo): no integration carries tickets from {} to {}, so this activity cannot see them.",
                st.name(Support),
                st.name(Success)
            )
        });
        self.activity(&Act {
            id: &st.renewals,
            name: &format!("Monitor {gl} account health and run renewals"),
            description: "CSMs run their book from the health score (usage, support experience, subscription) and own renewals 120 days out.",
            performer: cs,
            stage: "renew",
            order: 1,
            inputs: &["subscription", "health-score", "product-usage", "ticket"],
            outputs: &["opportunity"],
            systems: &[st.id(Success), crm],
            comment: ticket_silo.as_deref(),
        });
        let mut expect = Vec::new();
        if st.planted(Plant::Unsupported) {
            let a = id("territory-planning");
            self.activity(&Act {
                id: &a,
                name: &format!("Plan {gl} territories and quotas"),
                description: "Yearly territory carve and quota setting.",
                performer: sales,
                stage: "report",
                order: 9,
                inputs: &["opportunity", "account"],
                outputs: &[],
                systems: &[],
                comment: Some("PLANTED PROBLEM (unsupported-activity): done in slide decks and email; no system supports it."),
            });
            expect.push(format!("both unsupported-activity/no-system:{a}"));
        }

        self.exchanges.section(gl);
        self.exchange(&Xchg {
            id: &st.handoff,
            name: &format!("{gl} sales-to-CS hand-off"),
            description:
                "CS needs the account, its contacts and what was sold before the kick-off call.",
            owner: cs,
            from: sales,
            to: cs,
            carries: &["account", "contact", "subscription"],
            activity: Some(&st.renewals),
        });
        if st.planted(Plant::Unrealized) {
            let x = id("support-escalations");
            self.exchanges.comment("PLANTED PROBLEM (unrealized-needline): escalations reach CS by Slack and email; no integration realises this needline.");
            self.exchange(&Xchg {
                id: &x,
                name: &format!("{gl} support escalations"),
                description: "CS needs open P1/P2 tickets per account before QBRs.",
                owner: cs,
                from: "support",
                to: cs,
                carries: &["ticket"],
                activity: Some(&st.renewals),
            });
            expect.push(format!("both unrealized-needline/not-realized:{x}"));
        }
        self.expected.append(&mut expect);
    }

    fn stack_stdv(&mut self, st: &Stack<'_>) {
        let g = st.g;
        let gl = g.label.as_str();
        let id = |x: &str| format!("{}-{x}", g.slug);
        self.standards.section(gl);
        if g.kpi {
            let place = if st.has(Bi) {
                st.id(Bi)
            } else {
                st.id(Warehouse)
            };
            self.kpi(&Kpi {
                id: &id("win-rate"),
                name: &format!("{gl} win rate"),
                description: &format!("Share of {gl} opportunities closed won, by segment."),
                owner: &st.sales,
                formula: "opportunities closed won ÷ opportunities closed in the quarter",
                unit: "%",
                from: &["opportunity"],
                computed_in: place,
            });
        } else {
            let mut kind = String::from("data_quality(rule: ");
            super::ron_text::push_quoted(
                &mut kind,
                &format!(
                    "Every {gl} billing customer has a validated {} before the first invoice",
                    g.region.tax
                ),
            );
            kind.push(')');
            self.standard(&Std {
                id: &id("tax-id-check"),
                name: &format!("{gl} customers have a valid {}", g.region.tax),
                description: None,
                owner: "finance",
                kind: &kind,
                applies_to: &[&st.tax, st.id(Billing)],
            });
        }
        if st.planted(Plant::PaymentSilo) {
            self.standards.comment("PLANTED PROBLEM (kpi-not-computable): payments go from billing straight to NetSuite; the regional warehouse, where DSO is computed, never gets them.");
            self.kpi(&Kpi {
                id: &id("dso"),
                name: &format!("{gl} days sales outstanding"),
                description: &format!(
                    "How fast {gl} customers pay, for the regional finance review."
                ),
                owner: "finance",
                formula: "accounts receivable ÷ revenue of the quarter × days in the quarter",
                unit: "days",
                from: &["invoice", "payment"],
                computed_in: st.id(Warehouse),
            });
            self.expected.push(format!(
                "both kpi-not-computable/source-does-not-reach:{}",
                id("dso")
            ));
        }
    }

    fn stack_div(&mut self, st: &Stack<'_>) {
        let g = st.g;
        let gl = g.label.as_str();
        self.entities.section(gl);
        let conflict = st.planted(Plant::SorConflict).then(|| {
            format!(
                "PLANTED PROBLEM (system-of-record-conflict): {} and NetSuite both master this (see NetSuite's holdings).",
                st.name(Billing)
            )
        });
        self.entity(&Ent {
            id: &st.tax,
            name: &format!("{gl} {}", g.region.tax),
            description: &format!("The tax registration of a {gl} billing customer, validated before the first invoice."),
            owner: "finance",
            classification: "confidential",
            partitioned: None,
            attrs: &[key("registration_id", "string"), attr("country", "string"), attr("validated_on", "date")],
            rels: &[("account", "many_to_one", "belongs to")],
            comment: conflict.as_deref(),
        });
        if st.has(Cpq) {
            self.entity(&Ent {
                id: &st.price_book,
                name: &format!("{gl} price book"),
                description: &format!(
                    "List prices and discount bands for {gl}, in local currency."
                ),
                owner: &st.sales,
                classification: "internal",
                partitioned: None,
                attrs: &[
                    key("price_book_id", "id"),
                    attr("currency", "string"),
                    attr("valid_from", "date"),
                ],
                rels: &[("quote", "one_to_many", "prices")],
                comment: None,
            });
        }
        if st.has(Sheet) {
            self.entity(&Ent {
                id: &st.territory,
                name: &format!("{gl} territory and quota plan"),
                description: &format!("Territories, account assignments and quotas of the {gl} sales team for the plan year."),
                owner: &st.sales,
                classification: "confidential",
                partitioned: None,
                attrs: &[key("territory", "string"), attr("owner_rep", "string"), attr("quota", "money")],
                rels: &[("account", "one_to_many", "assigns")],
                comment: None,
            });
        }
        if st.has(Webinar) {
            self.entity(&Ent {
                id: &st.attendance,
                name: &format!("{gl} webinar attendance"),
                description: &format!("Who registered for and attended {gl} webinars."),
                owner: "marketing",
                classification: "pii",
                partitioned: None,
                attrs: &[
                    key("registration_id", "id"),
                    pii("attendee_email", "string"),
                    attr("attended_minutes", "integer"),
                ],
                rels: &[
                    ("campaign", "many_to_one", "of"),
                    ("lead", "many_to_one", "by"),
                ],
                comment: None,
            });
        }
        if st.has(Partner) {
            self.entity(&Ent {
                id: &st.deal_reg,
                name: &format!("{gl} partner deal registration"),
                description: &format!(
                    "A reseller's claim on a {gl} opportunity, with partner tier and margin."
                ),
                owner: &st.sales,
                classification: "confidential",
                partitioned: None,
                attrs: &[
                    key("registration_id", "id"),
                    attr("partner", "string"),
                    attr("margin_pct", "percent"),
                ],
                rels: &[("opportunity", "one_to_one", "claims")],
                comment: None,
            });
        }
    }
}
