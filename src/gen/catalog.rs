//! The names the generator draws from: companies, business units, regions
//! with their privacy law, and the products of each slot of a regional stack.

/// A product that can fill a slot of a regional stack.
pub(super) struct Product {
    /// How people call it, e.g. "Salesforce".
    pub name: &'static str,
    /// Its part of system ids, e.g. `salesforce` (unique across all slots).
    pub slug: &'static str,
    /// The `vendor` field.
    pub vendor: &'static str,
}

const fn p(name: &'static str, slug: &'static str, vendor: &'static str) -> Product {
    Product { name, slug, vendor }
}

/// A sales region. Every business unit sells into the first few.
pub(super) struct Region {
    /// Label in names, e.g. "EMEA".
    pub label: &'static str,
    /// Part of ids, e.g. `emea`.
    pub slug: &'static str,
    /// Index into [`JURISDICTIONS`].
    pub jurisdiction: usize,
    /// The tax registration customers there give us, e.g. "VAT registration".
    pub tax: &'static str,
}

/// A privacy law (or the region's main one).
pub(super) struct Jurisdiction {
    /// Standard id.
    pub id: &'static str,
    /// Standard name.
    pub name: &'static str,
    /// `jurisdiction` field.
    pub place: &'static str,
    /// `description` field.
    pub description: &'static str,
}

pub(super) const JURISDICTIONS: [Jurisdiction; 7] = [
    Jurisdiction {
        id: "ccpa",
        name: "CCPA / CPRA",
        place: "California, US",
        description: "California Consumer Privacy Act as amended by CPRA: notice at collection, right to know and delete, opt-out of sale and sharing. Applied to every North American system that holds or receives personal data.",
    },
    Jurisdiction {
        id: "gdpr",
        name: "GDPR",
        place: "EU / EEA",
        description: "EU General Data Protection Regulation: records of processing, a DPA with every vendor, DSARs and deletion within 30 days.",
    },
    Jurisdiction {
        id: "pdpa",
        name: "PDPA (Singapore) and APAC equivalents",
        place: "Singapore, APAC",
        description: "Personal Data Protection Act: consent, purpose limitation, breach notification within 3 days; used as the baseline for the APAC region.",
    },
    Jurisdiction {
        id: "lgpd",
        name: "LGPD",
        place: "Brazil, LATAM",
        description: "Lei Geral de Proteção de Dados: legal basis per processing, data subject rights, a named DPO; used as the baseline for LATAM.",
    },
    Jurisdiction {
        id: "uk-gdpr",
        name: "UK GDPR",
        place: "United Kingdom",
        description: "UK GDPR and the Data Protection Act 2018: as GDPR, with the UK's own transfer rules.",
    },
    Jurisdiction {
        id: "au-privacy-act",
        name: "Australian Privacy Act",
        place: "Australia / New Zealand",
        description: "Privacy Act 1988 and the Australian Privacy Principles (and the NZ Privacy Act 2020 for ANZ customers).",
    },
    Jurisdiction {
        id: "appi",
        name: "APPI",
        place: "Japan",
        description: "Act on the Protection of Personal Information: purpose of use, consent for third-party transfer, cross-border transfer records.",
    },
];

pub(super) const REGIONS: [Region; 8] = [
    Region {
        label: "NA",
        slug: "na",
        jurisdiction: 0,
        tax: "sales-tax exemption certificate",
    },
    Region {
        label: "EMEA",
        slug: "emea",
        jurisdiction: 1,
        tax: "VAT registration",
    },
    Region {
        label: "APAC",
        slug: "apac",
        jurisdiction: 2,
        tax: "GST registration",
    },
    Region {
        label: "LATAM",
        slug: "latam",
        jurisdiction: 3,
        tax: "tax ID (CNPJ / RFC)",
    },
    Region {
        label: "UK&I",
        slug: "uki",
        jurisdiction: 4,
        tax: "VAT registration",
    },
    Region {
        label: "DACH",
        slug: "dach",
        jurisdiction: 1,
        tax: "VAT ID (USt-IdNr.)",
    },
    Region {
        label: "ANZ",
        slug: "anz",
        jurisdiction: 5,
        tax: "ABN / GST registration",
    },
    Region {
        label: "Japan",
        slug: "japan",
        jurisdiction: 6,
        tax: "qualified invoice registration",
    },
];

/// The (fictional) company the model describes.
pub(super) const COMPANIES: [&str; 8] = [
    "Globex Cloud",
    "Initech Software",
    "Acme Analytics",
    "Vandelay Platforms",
    "Hooli Workplace",
    "Cyberdyne Data",
    "Umbrella Logistics Cloud",
    "Soylent Commerce",
];

/// Business units after the core business: product lines first, then
/// acquired brands built from [`BRAND_HEADS`] × [`BRAND_TAILS`].
pub(super) const UNITS: [&str; 40] = [
    "Payments",
    "Logistics",
    "Commerce",
    "Analytics",
    "Security",
    "Payroll",
    "Lending",
    "Insurance",
    "Health",
    "Education",
    "Media",
    "Energy",
    "Mobility",
    "Hospitality",
    "Retail",
    "Field Service",
    "Procurement",
    "Legal",
    "Developer",
    "Identity",
    "Observability",
    "Collaboration",
    "Workforce",
    "Supply Chain",
    "Fleet",
    "Property",
    "Travel",
    "Events",
    "Nonprofit",
    "Public Sector",
    "Manufacturing",
    "Construction",
    "Agritech",
    "Telecom",
    "Gaming",
    "Marketplace",
    "Expenses",
    "Treasury",
    "Compliance",
    "Data Platform",
];

pub(super) const BRAND_HEADS: [&str; 30] = [
    "North", "Blue", "Bright", "Clear", "Swift", "Silver", "Red", "Green", "Iron", "Stone",
    "Cloud", "Star", "Sun", "Oak", "Pine", "River", "Summit", "Harbor", "Falcon", "Cedar", "Maple",
    "Copper", "Amber", "Crystal", "Eagle", "Granite", "Lake", "Meadow", "Orbit", "Quartz",
];

pub(super) const BRAND_TAILS: [&str; 30] = [
    "wave", "peak", "path", "field", "bridge", "light", "works", "point", "gate", "stack", "line",
    "forge", "leaf", "rock", "mark", "spring", "view", "base", "hub", "core", "scale", "loop",
    "shift", "well", "yard", "craft", "ware", "sight", "port", "flow",
];

// ---- products per slot ------------------------------------------------------------------

pub(super) const CRM: [Product; 3] = [
    p(
        "Salesforce",
        "salesforce",
        "Salesforce Sales Cloud (Enterprise Edition)",
    ),
    p("HubSpot", "hubspot", "HubSpot Sales Hub Enterprise"),
    p("Dynamics 365", "dynamics", "Microsoft Dynamics 365 Sales"),
];

/// Marketing automation: Marketo, HubSpot (with a HubSpot CRM), Pardot
/// (with Salesforce), Customer Insights (with Dynamics).
pub(super) const MARKETING: [Product; 4] = [
    p("Marketo", "marketo", "Adobe Marketo Engage"),
    p(
        "HubSpot Marketing",
        "hubspot-marketing",
        "HubSpot Marketing Hub Enterprise",
    ),
    p(
        "Pardot",
        "pardot",
        "Salesforce Marketing Cloud Account Engagement (Pardot)",
    ),
    p(
        "Customer Insights",
        "customer-insights",
        "Microsoft Dynamics 365 Customer Insights – Journeys",
    ),
];

pub(super) const WAREHOUSE: [Product; 4] = [
    p("Snowflake", "snowflake", "Snowflake (Enterprise)"),
    p("BigQuery", "bigquery", "Google BigQuery"),
    p("Redshift", "redshift", "Amazon Redshift Serverless"),
    p("Databricks", "databricks", "Databricks SQL warehouse"),
];

pub(super) const BILLING: [Product; 4] = [
    p("Stripe", "stripe", "Stripe Billing"),
    p("Chargebee", "chargebee", "Chargebee Billing"),
    p("Zuora", "zuora", "Zuora Billing"),
    p("Recurly", "recurly", "Recurly"),
];

pub(super) const SUPPORT: [Product; 4] = [
    p("Zendesk", "zendesk", "Zendesk Suite Professional"),
    p("Freshdesk", "freshdesk", "Freshworks Freshdesk"),
    p(
        "ServiceNow CSM",
        "servicenow",
        "ServiceNow Customer Service Management",
    ),
    p("Intercom", "intercom", "Intercom"),
];

pub(super) const SUCCESS: [Product; 4] = [
    p("Gainsight", "gainsight", "Gainsight CS"),
    p("ChurnZero", "churnzero", "ChurnZero"),
    p("Totango", "totango", "Totango"),
    p("Vitally", "vitally", "Vitally"),
];

pub(super) const ANALYTICS: [Product; 4] = [
    p("Amplitude", "amplitude", "Amplitude Analytics"),
    p("Mixpanel", "mixpanel", "Mixpanel"),
    p("Pendo", "pendo", "Pendo"),
    p("Heap", "heap", "Heap (Contentsquare)"),
];

pub(super) const ENGAGEMENT: [Product; 3] = [
    p("Outreach", "outreach", "Outreach"),
    p("Salesloft", "salesloft", "Salesloft"),
    p("Apollo", "apollo", "Apollo.io"),
];

pub(super) const SHEET: [Product; 2] = [
    p("Google Sheets", "google-sheets", "Google Workspace"),
    p(
        "Excel Online",
        "excel",
        "Microsoft 365 (Excel on SharePoint)",
    ),
];

/// CPQ: Salesforce CPQ only next to a Salesforce CRM.
pub(super) const CPQ: [Product; 3] = [
    p("Salesforce CPQ", "cpq", "Salesforce Revenue Cloud (CPQ)"),
    p("DealHub", "dealhub", "DealHub CPQ"),
    p("PandaDoc", "pandadoc", "PandaDoc (quotes and e-signature)"),
];

pub(super) const ENRICHMENT: [Product; 4] = [
    p("ZoomInfo", "zoominfo", "ZoomInfo SalesOS"),
    p(
        "Clearbit",
        "clearbit",
        "Clearbit (HubSpot Breeze Intelligence)",
    ),
    p("Cognism", "cognism", "Cognism"),
    p("D&B Hoovers", "dnb", "Dun & Bradstreet Hoovers"),
];

pub(super) const CONVERSATION: [Product; 3] = [
    p("Gong", "gong", "Gong"),
    p("Chorus", "chorus", "ZoomInfo Chorus"),
    p("Clari Copilot", "clari-copilot", "Clari Copilot"),
];

/// Webinar tools in use today.
pub(super) const WEBINAR: [Product; 2] = [
    p("ON24", "on24", "ON24 Webcast Elite"),
    p("Hopin", "hopin", "Hopin Events"),
];

/// Webinar tools a region moves to.
pub(super) const WEBINAR_NEXT: [Product; 2] = [
    p("Zoom Webinars", "zoom-webinars", "Zoom Webinars"),
    p("Goldcast", "goldcast", "Goldcast"),
];

pub(super) const PARTNER: [Product; 3] = [
    p("PartnerStack", "partnerstack", "PartnerStack"),
    p("Impartner", "impartner", "Impartner PRM"),
    p("Crossbeam", "crossbeam", "Crossbeam"),
];

pub(super) const BI: [Product; 2] = [
    p("Tableau", "tableau", "Tableau Cloud"),
    p("Power BI", "power-bi", "Microsoft Power BI"),
];
