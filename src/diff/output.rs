//! A [`ModelDiff`] as terminal text, a Markdown pull-request comment, or JSON.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::{
    sentence, Change, EntityChange, FieldChange, FieldOp, FindingChange, FindingStatus, ModelDiff,
    VIEWPOINTS,
};
use crate::diag::Paint;
use crate::model::syntax::Span;
use crate::model::{Counts, Level, Loaded, State};
use crate::words::count;

/// One side of the comparison, as the outputs name it.
pub struct SideInfo<'a> {
    /// How the user named it: a path, `main:models`, ….
    pub label: &'a str,
    /// The loaded model (for locations, name and counts).
    pub loaded: &'a Loaded,
}

/// Everything the outputs need.
pub struct DiffReport<'a> {
    /// The comparison.
    pub diff: &'a ModelDiff,
    /// OLD.
    pub old: SideInfo<'a>,
    /// NEW.
    pub new: SideInfo<'a>,
    /// `--fail-on-new`: the level at which introduced findings fail (None: never).
    pub fail_on_new: Option<Level>,
    /// Mermaid source of the changed neighbourhood, shown in Markdown.
    pub mermaid: Option<String>,
}

impl DiffReport<'_> {
    /// Introduced findings at or above `--fail-on-new`.
    pub fn failing(&self) -> Vec<&FindingChange> {
        match self.fail_on_new {
            Some(level) => self
                .diff
                .findings_with(FindingStatus::Introduced)
                .filter(|f| f.level >= level)
                .collect(),
            None => Vec::new(),
        }
    }

    fn location(&self, span: Option<Span>, in_new: bool) -> Option<(String, usize, usize)> {
        let span = span?;
        let sources = if in_new {
            &self.new.loaded.sources
        } else {
            &self.old.loaded.sources
        };
        if sources.is_empty() || (span.start == 0 && span.end == 0) {
            return None;
        }
        let lc = sources.line_col(span);
        Some((sources.name(span.file).to_string(), lc.line, lc.col))
    }

    fn entity_location(&self, e: &EntityChange) -> Option<(String, usize, usize)> {
        match e.change {
            Change::Removed => self.location(e.old_span, false),
            _ => self.location(e.new_span, true),
        }
    }

    fn counts(&self) -> BTreeMap<Change, usize> {
        let mut m = BTreeMap::new();
        for e in &self.diff.entities {
            *m.entry(e.change).or_default() += 1;
        }
        m
    }

    /// "3 changes: 1 added, 1 removed, 1 changed" or "no architectural change".
    fn change_summary(&self) -> String {
        if self.diff.is_empty() {
            return "no architectural change".to_string();
        }
        let c = self.counts();
        let parts: Vec<String> = [
            Change::Added,
            Change::Removed,
            Change::Changed,
            Change::Renamed,
        ]
        .iter()
        .filter_map(|k| c.get(k).map(|n| format!("{n} {}", k.as_str())))
        .collect();
        let n = self.diff.entities.len();
        let mut s = count(n, "entity", "entities");
        if !parts.is_empty() {
            s.push_str(&format!(" ({})", parts.join(", ")));
        }
        if !self.diff.settings.is_empty() {
            s.push_str(", model settings changed");
        }
        let rel = self.diff.relations.len();
        if rel > 0 {
            s.push_str(&format!(", {}", count(rel, "relation", "relations")));
        }
        s
    }

    /// The findings line of the header: each finding counted once
    /// ([`super::ModelDiff::finding_counts`]); "changed" only when any is.
    fn findings_summary(&self) -> String {
        let c = self.diff.finding_counts();
        let n = |st| c.get(&st).copied().unwrap_or(0);
        let changed = match n(FindingStatus::Changed) {
            0 => String::new(),
            k => format!(", {k} changed reason"),
        };
        format!(
            "findings: {} introduced, {} resolved{changed}, {} unchanged",
            n(FindingStatus::Introduced),
            n(FindingStatus::Resolved),
            n(FindingStatus::Unchanged)
        )
    }
}

// ---------------------------------------------------------------------------
// values
// ---------------------------------------------------------------------------

/// A value as it would be written in RON, compactly: `"x"`, `[a, b]`, `(k: v)`.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::Null => "none".into(),
        Value::String(s) => format!("{s:?}"),
        Value::Array(a) => format!(
            "[{}]",
            a.iter().map(value_text).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(o) => format!(
            "({})",
            o.iter()
                .filter(|(_, x)| !matches!(x, Value::Null))
                .filter(|(_, x)| !matches!(x, Value::Array(a) if a.is_empty()))
                .map(|(k, x)| format!("{k}: {}", value_text(x)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}

fn opt_text(v: &Option<Value>) -> String {
    v.as_ref()
        .map(value_text)
        .unwrap_or_else(|| "(not set)".into())
}

/// A field change in words: `lifecycle: "current" → "retiring"`, `carries: + "lead"`.
fn field_text(f: &FieldChange) -> (String, String) {
    let what = match f.op {
        FieldOp::Set => format!("{} → {}", opt_text(&f.old), opt_text(&f.new)),
        FieldOp::Added => format!("+ {}", opt_text(&f.new)),
        FieldOp::Removed => format!("− {}", opt_text(&f.old)),
    };
    (f.field.clone(), what)
}

fn states_text(states: &[State]) -> String {
    states
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn viewpoint_title(vp: &str) -> &'static str {
    match vp {
        "AV" => "AV — All Viewpoint",
        "OV" => "OV — Operational",
        "SV" => "SV — Systems",
        "StdV" => "StdV — Standards",
        _ => "DIV — Data and Information",
    }
}

fn change_sign(c: Change) -> &'static str {
    match c {
        Change::Added => "+",
        Change::Removed => "−",
        Change::Changed => "~",
        Change::Renamed => "→",
    }
}

// ---------------------------------------------------------------------------
// text
// ---------------------------------------------------------------------------

/// The sign of a change, coloured.
fn paint_change(p: &Paint, c: Change) -> String {
    let code = match c {
        Change::Added => "32",
        Change::Removed => "31",
        _ => "33",
    };
    p.wrap(code, change_sign(c))
}

/// Model text on its way to a terminal: control characters escaped (ids
/// are validated and field values written with `{:?}`; names reach the
/// text through messages, fixes, labels and file names).
fn t(s: &str) -> std::borrow::Cow<'_, str> {
    crate::diag::escape_control(s)
}

/// The terminal report.
pub fn to_text(r: &DiffReport<'_>, color: bool) -> String {
    let p = Paint(color);
    let d = r.diff;
    let mut s = format!(
        "{} {} → {}\n{}\n{}\n",
        p.wrap("1", "revarch diff"),
        t(r.old.label),
        t(r.new.label),
        r.change_summary(),
        r.findings_summary()
    );
    if !d.settings.is_empty() {
        s.push_str(&format!("\n{}\n", p.wrap("1", "Model settings")));
        for f in &d.settings {
            let (field, what) = field_text(f);
            s.push_str(&format!("  {field}: {what}\n"));
        }
    }
    for vp in VIEWPOINTS {
        let list: Vec<&EntityChange> = d.viewpoint(vp).collect();
        if list.is_empty() {
            continue;
        }
        s.push_str(&format!("\n{}\n", p.wrap("1", viewpoint_title(vp))));
        for e in list {
            let loc = r
                .entity_location(e)
                .map(|(f, l, c)| format!("  {}", p.wrap("2", &format!("{}:{l}:{c}", t(&f)))))
                .unwrap_or_default();
            let renamed = e
                .old_id
                .as_ref()
                .map(|o| format!(" (was `{o}`)"))
                .unwrap_or_default();
            let word = e
                .lifecycle_word()
                .map(|w| format!(" {}", p.wrap("1", w)))
                .unwrap_or_default();
            s.push_str(&format!(
                "  {} {} `{}`{renamed} {:?}{word}{loc}\n",
                paint_change(&p, e.change),
                e.kind.label(),
                e.id,
                e.name
            ));
            for f in &e.fields {
                let (field, what) = field_text(f);
                s.push_str(&format!("      {field}: {what}\n"));
            }
        }
    }
    if !d.relations.is_empty() {
        s.push_str(&format!("\n{}\n", p.wrap("1", "Relations")));
        for rel in &d.relations {
            s.push_str(&format!(
                "  {} {}\n",
                paint_change(&p, rel.change),
                sentence(rel)
            ));
        }
    }
    for (status, title) in [
        (FindingStatus::Introduced, "Findings introduced"),
        (FindingStatus::Resolved, "Findings resolved"),
        (FindingStatus::Changed, "Findings with another reason"),
    ] {
        let list: Vec<&FindingChange> = d.findings_with(status).collect();
        if list.is_empty() {
            continue;
        }
        s.push_str(&format!("\n{} ({})\n", p.wrap("1", title), list.len()));
        for f in list {
            let loc = r
                .location(Some(f.subject.span), f.in_new)
                .map(|(file, l, c)| {
                    format!(
                        "\n      {}",
                        p.wrap("2", &format!("--> {}:{l}:{c}", t(&file)))
                    )
                })
                .unwrap_or_default();
            let before = f
                .case_before
                .map(|c| format!("; was {c}"))
                .unwrap_or_default();
            s.push_str(&format!(
                "  {}[{}] {} ({}{before}){loc}\n",
                p.level(f.level),
                f.rule,
                t(&f.message),
                states_text(&f.states)
            ));
            if status == FindingStatus::Introduced {
                s.push_str(&format!("      fix: {}\n", t(&f.fix)));
            }
        }
    }
    let impact: Vec<_> = d.impact.iter().filter(|i| !impact_empty(i)).collect();
    if !impact.is_empty() {
        s.push_str(&format!("\n{}\n", p.wrap("1", "Impact")));
        for i in impact {
            s.push_str(&format!(
                "  {} `{}` ({})\n",
                i.kind.label(),
                i.id,
                i.change.as_str()
            ));
            for (what, list) in [
                ("activities", &i.activities),
                ("KPIs", &i.kpis),
                ("lineage changes", &i.entities),
            ] {
                if !list.is_empty() {
                    s.push_str(&format!("      {what}: {}\n", ids(list)));
                }
            }
        }
    }
    if !d.lineage.is_empty() {
        s.push_str(&format!("\n{}\n", p.wrap("1", "Lineage")));
        for l in &d.lineage {
            s.push_str(&format!(
                "  `{}` ({}): {}\n",
                l.entity,
                states_text(&l.states),
                lineage_words(l)
            ));
        }
    }
    s.push('\n');
    s.push_str(&verdict(r, false));
    s.push('\n');
    s
}

fn impact_empty(i: &super::Impact) -> bool {
    i.activities.is_empty() && i.kpis.is_empty() && i.entities.is_empty()
}

fn ids(list: &[String]) -> String {
    list.iter()
        .map(|x| format!("`{x}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn lineage_words(l: &super::LineageChange) -> String {
    let mut parts = Vec::new();
    if !l.gained.is_empty() {
        parts.push(format!("now reaches {}", ids(&l.gained)));
    }
    if !l.lost.is_empty() {
        parts.push(format!("no longer reaches {}", ids(&l.lost)));
    }
    parts.join("; ")
}

/// One line: what the change does to the findings, and whether it fails.
fn verdict(r: &DiffReport<'_>, markdown: bool) -> String {
    let intro: Vec<&FindingChange> = r.diff.findings_with(FindingStatus::Introduced).collect();
    let resolved = r.diff.findings_with(FindingStatus::Resolved).count();
    let failing = r.failing();
    let of_level = |l: Level| intro.iter().filter(|f| f.level == l).count();
    let tally = [Level::Error, Level::Warning, Level::Info]
        .iter()
        .filter_map(|&l| {
            let n = of_level(l);
            (n > 0).then(|| count(n, l.as_str(), &format!("{}s", l.as_str())))
        })
        .collect::<Vec<_>>()
        .join(", ");
    let resolves = match resolved {
        0 => String::new(),
        n => format!(", resolves {}", count(n, "finding", "findings")),
    };
    let (icon, text) = if r.diff.is_empty() && intro.is_empty() && resolved == 0 {
        ("✅", "No architectural change.".to_string())
    } else if !failing.is_empty() {
        let level = r.fail_on_new.unwrap_or(Level::Error);
        (
            "❌",
            format!(
                "Introduces {tally}{resolves} — fails `--fail-on-new {}`.",
                level.as_str()
            ),
        )
    } else if intro.is_empty() {
        ("✅", format!("Introduces no findings{resolves}."))
    } else {
        ("⚠️", format!("Introduces {tally}{resolves}."))
    };
    if markdown {
        format!("{icon} **{}**", md_spans(&text))
    } else {
        format!("{icon} {text}")
    }
}

// ---------------------------------------------------------------------------
// markdown
// ---------------------------------------------------------------------------

/// User text for Markdown (GitHub): HTML and Markdown syntax neutralised,
/// on one line, safe in a table cell. `@name` and `#123` get a zero-width
/// space after the sign so they do not ping people or link issues.
pub fn md_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' => out.push_str("&#124;"),
            '\n' | '\r' | '\t' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '~' | '$' => {
                out.push('\\');
                out.push(ch);
            }
            '@' | '#' => {
                out.push(ch);
                out.push('\u{200B}');
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Inline code that is safe anywhere, including table cells. GitHub parses
/// Markdown inside inline HTML, so the content is escaped like [`md_text`].
fn code(s: &str) -> String {
    format!("<code>{}</code>", md_text(s))
}

/// Text with `ids` in backticks (finding messages, sentences): the ids
/// become code, the rest is escaped. Read with [`crate::analysis::spans`],
/// so a backtick in a model name (`` \` `` in the message) stays text.
fn md_spans(s: &str) -> String {
    crate::analysis::spans(s)
        .iter()
        .map(|(is_code, part)| if *is_code { code(part) } else { md_text(part) })
        .collect()
}

fn md_ids(list: &[String]) -> String {
    if list.is_empty() {
        return "—".into();
    }
    list.iter().map(|x| code(x)).collect::<Vec<_>>().join(", ")
}

fn md_change(c: Change) -> &'static str {
    match c {
        Change::Added => "➕ added",
        Change::Removed => "➖ removed",
        Change::Changed => "✏️ changed",
        Change::Renamed => "🔀 renamed",
    }
}

fn md_fields(fields: &[FieldChange]) -> String {
    if fields.is_empty() {
        return String::new();
    }
    fields
        .iter()
        .map(|f| {
            let (field, _) = field_text(f);
            let what = match f.op {
                FieldOp::Set => {
                    format!("{} → {}", code(&opt_text(&f.old)), code(&opt_text(&f.new)))
                }
                FieldOp::Added => format!("\\+ {}", code(&opt_text(&f.new))),
                FieldOp::Removed => format!("− {}", code(&opt_text(&f.old))),
            };
            format!("{}: {what}", code(&field))
        })
        .collect::<Vec<_>>()
        .join("<br>")
}

fn md_finding_head(fix: bool) -> &'static str {
    if fix {
        "| Level | Rule | Finding | States | Fix |\n|---|---|---|---|---|\n"
    } else {
        "| Level | Rule | Finding | States |\n|---|---|---|---|\n"
    }
}

fn md_finding_row(r: &DiffReport<'_>, f: &FindingChange, fix: bool) -> String {
    let loc = r
        .location(Some(f.subject.span), f.in_new)
        .map(|(file, l, _)| format!(" <sub>{}</sub>", md_text(&format!("{file}:{l}"))))
        .unwrap_or_default();
    let before = f
        .case_before
        .map(|c| format!("; was {}", code(c)))
        .unwrap_or_default();
    let mut s = format!(
        "| {} | {} | {}{loc} | {}{before} |",
        f.level.as_str(),
        code(f.rule),
        md_spans(&f.message),
        states_text(&f.states)
    );
    if fix {
        s.push_str(&format!(" {} |", md_spans(&f.fix)));
    }
    s.push('\n');
    s
}

fn md_entity_head(vp: &str) -> String {
    format!(
        "\n#### {}\n\n| Change | Kind | Id | Name | What changed |\n|---|---|---|---|---|\n",
        viewpoint_title(vp)
    )
}

fn md_entity_row(e: &EntityChange) -> String {
    let id = match &e.old_id {
        Some(o) => format!("{} → {}", code(o), code(&e.id)),
        None => code(&e.id),
    };
    let change = match e.lifecycle_word() {
        Some(w) => format!("{} ({w})", md_change(e.change)),
        None => md_change(e.change).to_string(),
    };
    format!(
        "| {change} | {} | {id} | {} | {} |\n",
        e.kind.label(),
        md_text(&e.name),
        md_fields(&e.fields)
    )
}

/// The heading, verdict and per-viewpoint counts that open every comment.
fn md_header(r: &DiffReport<'_>) -> String {
    let d = r.diff;
    let mut s = format!(
        "### revarch: {}\n\n{}\n\n<sub>{} → {} · {}</sub>\n",
        md_text(&r.change_summary()),
        verdict(r, true),
        code(r.old.label),
        code(r.new.label),
        md_text(&r.findings_summary())
    );
    if !d.is_empty() {
        s.push_str(
            "\n| Viewpoint | Added | Removed | Changed | Renamed |\n|---|---|---|---|---|\n",
        );
        for vp in VIEWPOINTS {
            let n = |c: Change| d.viewpoint(vp).filter(|e| e.change == c).count();
            let total = d.viewpoint(vp).count();
            if total == 0 {
                continue;
            }
            s.push_str(&format!(
                "| {vp} | {} | {} | {} | {} |\n",
                n(Change::Added),
                n(Change::Removed),
                n(Change::Changed),
                n(Change::Renamed)
            ));
        }
    }
    s
}

/// Comments of GitHub and GitLab hold at most 65,536 characters; the default
/// `--max-markdown-chars` leaves a little room.
pub const MAX_MARKDOWN_CHARS: usize = 65_000;

/// The pull-request comment (GitHub-flavoured Markdown), however long.
pub fn to_markdown(r: &DiffReport<'_>) -> String {
    full_markdown(r, usize::MAX).unwrap_or_default()
}

/// The pull-request comment in at most `max_chars` characters (0: no
/// limit). A change whose comment would be longer is summarised: the same
/// heading, verdict and counts, a note that it was summarised with the
/// command that writes the whole diff as JSON, then the findings introduced,
/// the findings resolved and the entity changes, each cut with "… and N
/// more" where the room ends. The full comment is never built beyond what
/// could fit (a bulk change to a 30,000-system model was 213 MB).
pub fn to_markdown_within(r: &DiffReport<'_>, max_chars: usize) -> String {
    if max_chars == 0 {
        return to_markdown(r);
    }
    // A char is at most 4 bytes: past 4 × max bytes it cannot fit.
    if let Some(full) = full_markdown(r, max_chars.saturating_mul(4)) {
        if full.chars().count() <= max_chars {
            return full;
        }
    }
    summary_markdown(r, max_chars)
}

/// The whole comment, or None as soon as it passes `max_bytes`.
fn full_markdown(r: &DiffReport<'_>, max_bytes: usize) -> Option<String> {
    let d = r.diff;
    let mut s = md_header(r);
    let over = |s: &String| s.len() > max_bytes;
    if !d.settings.is_empty() {
        s.push_str(&format!(
            "\n#### Model settings\n\n{}\n",
            md_fields(&d.settings)
        ));
    }
    for vp in VIEWPOINTS {
        let mut list = d.viewpoint(vp).peekable();
        if list.peek().is_none() {
            continue;
        }
        s.push_str(&md_entity_head(vp));
        for e in list {
            s.push_str(&md_entity_row(e));
            if over(&s) {
                return None;
            }
        }
    }
    let intro: Vec<&FindingChange> = d.findings_with(FindingStatus::Introduced).collect();
    let resolved: Vec<&FindingChange> = d.findings_with(FindingStatus::Resolved).collect();
    let changed: Vec<&FindingChange> = d.findings_with(FindingStatus::Changed).collect();
    let unchanged: Vec<&FindingChange> = d.findings_with(FindingStatus::Unchanged).collect();
    let table = |s: &mut String, list: &[&FindingChange], fix: bool| -> Option<()> {
        s.push_str(md_finding_head(fix));
        for f in list {
            s.push_str(&md_finding_row(r, f, fix));
            if s.len() > max_bytes {
                return None;
            }
        }
        Some(())
    };
    if !intro.is_empty() {
        s.push_str(&format!("\n#### Findings introduced ({})\n\n", intro.len()));
        table(&mut s, &intro, true)?;
    }
    if !resolved.is_empty() {
        s.push_str(&format!(
            "\n#### Findings resolved ({})\n\n",
            resolved.len()
        ));
        table(&mut s, &resolved, false)?;
    }
    if !changed.is_empty() {
        s.push_str(&format!(
            "\n#### Findings with another reason ({})\n\n",
            changed.len()
        ));
        table(&mut s, &changed, true)?;
    }
    let impact: Vec<_> = d.impact.iter().filter(|i| !impact_empty(i)).collect();
    if !impact.is_empty() {
        s.push_str(&format!(
            "\n<details><summary>Impact of {} changed systems and integrations</summary>\n\n| Element | Change | Activities | KPIs | Lineage changes |\n|---|---|---|---|---|\n",
            impact.len()
        ));
        for i in impact {
            s.push_str(&format!(
                "| {} {} | {} | {} | {} | {} |\n",
                i.kind.label(),
                code(&i.id),
                i.change.as_str(),
                md_ids(&i.activities),
                md_ids(&i.kpis),
                md_ids(&i.entities)
            ));
            if over(&s) {
                return None;
            }
        }
        s.push_str("\n</details>\n");
    }
    if !d.lineage.is_empty() {
        s.push_str(&format!(
            "\n<details><summary>Lineage changes ({})</summary>\n\n",
            d.lineage.len()
        ));
        for l in &d.lineage {
            s.push_str(&format!(
                "- {} ({}): {}\n",
                code(&l.entity),
                states_text(&l.states),
                md_spans(&lineage_words(l))
            ));
            if over(&s) {
                return None;
            }
        }
        s.push_str("\n</details>\n");
    }
    if !d.relations.is_empty() {
        let added = d
            .relations
            .iter()
            .filter(|x| x.change == Change::Added)
            .count();
        s.push_str(&format!(
            "\n<details><summary>Relations: {added} added, {} removed</summary>\n\n",
            d.relations.len() - added
        ));
        for rel in &d.relations {
            let sign = if rel.change == Change::Added {
                "➕"
            } else {
                "➖"
            };
            s.push_str(&format!("- {sign} {}\n", md_spans(&sentence(rel))));
            if over(&s) {
                return None;
            }
        }
        s.push_str("\n</details>\n");
    }
    if !unchanged.is_empty() {
        s.push_str(&format!(
            "\n<details><summary>Unchanged findings ({})</summary>\n\n",
            unchanged.len()
        ));
        table(&mut s, &unchanged, false)?;
        s.push_str("\n</details>\n");
    }
    if let Some(m) = r.mermaid.as_deref().filter(|m| !m.contains("```")) {
        if !d.is_empty() {
            s.push_str(&format!(
                "\n<details><summary>Diagram of the change</summary>\n\n```mermaid\n{}\n```\n\n</details>\n",
                m.trim_end()
            ));
        }
    }
    (!over(&s)).then_some(s)
}

/// Markdown that counts its characters against a limit.
struct Bounded {
    s: String,
    chars: usize,
    max: usize,
}

impl Bounded {
    /// Whether `text` fits with `reserve` characters left over.
    fn fits(&self, text: &str, reserve: usize) -> bool {
        self.chars + text.chars().count() + reserve <= self.max
    }

    fn push(&mut self, text: &str) {
        self.chars += text.chars().count();
        self.s.push_str(text);
    }

    /// A table: `head`, then rows while they fit (keeping `reserve`), then
    /// "… and N more {what}" for the rows left out.
    fn table(
        &mut self,
        head: &str,
        rows: impl ExactSizeIterator<Item = String>,
        what: &str,
        reserve: usize,
    ) {
        let total = rows.len();
        let more = |n: usize| format!("\n… and {n} more {what}\n");
        // Room for the longest "… and N more" line.
        let keep = reserve + more(total).chars().count();
        if !self.fits(head, keep) {
            self.push_if_fits(&more(total), reserve);
            return;
        }
        self.push(head);
        let mut shown = 0;
        for row in rows {
            if !self.fits(&row, keep) {
                break;
            }
            self.push(&row);
            shown += 1;
        }
        if shown < total {
            self.push(&more(total - shown));
        }
    }

    fn push_if_fits(&mut self, text: &str, reserve: usize) {
        if self.fits(text, reserve) {
            self.push(text);
        }
    }
}

/// The comment of a change too large for `max` characters (see
/// [`to_markdown_within`]).
fn summary_markdown(r: &DiffReport<'_>, max: usize) -> String {
    let d = r.diff;
    let mut left_out: Vec<String> = Vec::new();
    if !d.settings.is_empty() {
        left_out.push("the model settings".into());
    }
    let impact = d.impact.iter().filter(|i| !impact_empty(i)).count();
    if impact > 0 {
        left_out.push(format!(
            "the impact of {}",
            count(impact, "element", "elements")
        ));
    }
    if !d.lineage.is_empty() {
        left_out.push(count(d.lineage.len(), "lineage change", "lineage changes"));
    }
    if !d.relations.is_empty() {
        left_out.push(count(
            d.relations.len(),
            "relation change",
            "relation changes",
        ));
    }
    let unchanged = d.findings_with(FindingStatus::Unchanged).count();
    if unchanged > 0 {
        left_out.push(count(unchanged, "unchanged finding", "unchanged findings"));
    }
    if r.mermaid.is_some() && !d.is_empty() {
        left_out.push("the diagram of the change".into());
    }
    let tail = if left_out.is_empty() {
        String::new()
    } else {
        format!(
            "\nNot in this summary: {}.\n",
            crate::analysis::join_list(&left_out, left_out.len())
        )
    };
    let note = format!(
        "\n> **This comment is summarised:** in full it would be longer than {} characters (`--max-markdown-chars`). The complete diff is in the JSON of `revarch diff {} {} --format json` (the CI recipe keeps it as `revarch-diff.json` in the `revarch-diff` artifact).\n",
        max,
        md_text(r.old.label),
        md_text(r.new.label)
    );
    let mut b = Bounded {
        s: String::new(),
        chars: 0,
        max,
    };
    let tail_len = tail.chars().count();
    for part in [md_header(r), note] {
        if !b.fits(&part, tail_len) {
            return too_large(r, max);
        }
        b.push(&part);
    }
    let intro: Vec<&FindingChange> = d.findings_with(FindingStatus::Introduced).collect();
    let resolved: Vec<&FindingChange> = d.findings_with(FindingStatus::Resolved).collect();
    let changed: Vec<&FindingChange> = d.findings_with(FindingStatus::Changed).collect();
    for (list, title, fix, what) in [
        (&intro, "Findings introduced", true, "findings introduced"),
        (&resolved, "Findings resolved", false, "findings resolved"),
        (
            &changed,
            "Findings with another reason",
            true,
            "findings with another reason",
        ),
    ] {
        if list.is_empty() {
            continue;
        }
        let head = format!(
            "\n#### {title} ({})\n\n{}",
            list.len(),
            md_finding_head(fix)
        );
        b.table(
            &head,
            list.iter().map(|f| md_finding_row(r, f, fix)),
            what,
            tail_len,
        );
    }
    for vp in VIEWPOINTS {
        let list: Vec<&EntityChange> = d.viewpoint(vp).collect();
        if list.is_empty() {
            continue;
        }
        let what = format!("{vp} changes");
        b.table(
            &md_entity_head(vp),
            list.iter().map(|e| md_entity_row(e)),
            &what,
            tail_len,
        );
    }
    b.push_if_fits(&tail, 0);
    b.s
}

/// The last resort when not even the heading fits: one line, cut to `max`.
fn too_large(r: &DiffReport<'_>, max: usize) -> String {
    let line = format!(
        "revarch: {}; too large for {max} characters: see `revarch diff … --format json`\n",
        r.change_summary()
    );
    // Counts only, no model text: nothing to escape.
    line.chars().take(max).collect()
}

// ---------------------------------------------------------------------------
// json
// ---------------------------------------------------------------------------

#[derive(Serialize)]
struct JsonSide<'a> {
    model: &'a str,
    name: &'a str,
    plan_period: &'a str,
    counts: Counts,
}

#[derive(Serialize)]
struct JsonLocation {
    file: String,
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct JsonEntity<'a> {
    viewpoint: &'static str,
    #[serde(flatten)]
    change: &'a EntityChange,
    location: Option<JsonLocation>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    #[serde(flatten)]
    finding: &'a FindingChange,
    location: Option<JsonLocation>,
}

#[derive(Serialize)]
struct JsonSummary {
    changed: bool,
    added: usize,
    removed: usize,
    modified: usize,
    renamed: usize,
    relations_added: usize,
    relations_removed: usize,
    findings_introduced: usize,
    findings_resolved: usize,
    findings_changed: usize,
    findings_unchanged: usize,
    fails: bool,
}

#[derive(Serialize)]
struct JsonDiff<'a> {
    version: u32,
    valid: bool,
    old: JsonSide<'a>,
    new: JsonSide<'a>,
    summary: JsonSummary,
    settings: &'a [FieldChange],
    entities: Vec<JsonEntity<'a>>,
    relations: &'a [super::RelationChange],
    findings: BTreeMap<&'static str, Vec<JsonFinding<'a>>>,
    lineage: &'a [super::LineageChange],
    impact: &'a [super::Impact],
}

fn loc(l: Option<(String, usize, usize)>) -> Option<JsonLocation> {
    l.map(|(file, line, column)| JsonLocation { file, line, column })
}

fn side<'a>(s: &SideInfo<'a>) -> JsonSide<'a> {
    let m = &s.loaded.model;
    JsonSide {
        model: s.label,
        name: &m.av.name,
        plan_period: &m.av.plan_period,
        counts: m.counts(),
    }
}

/// The JSON document (format documented in the README, "Reviewing a change", `version` 1).
pub fn to_json(r: &DiffReport<'_>) -> String {
    let d = r.diff;
    let c = r.counts();
    // each finding counted once (a list below may hold it in another state)
    let counts = d.finding_counts();
    let n = |st| counts.get(&st).copied().unwrap_or(0);
    let mut findings: BTreeMap<&'static str, Vec<JsonFinding<'_>>> = BTreeMap::new();
    for (st, name) in [
        (FindingStatus::Introduced, "introduced"),
        (FindingStatus::Resolved, "resolved"),
        (FindingStatus::Changed, "changed"),
        (FindingStatus::Unchanged, "unchanged"),
    ] {
        findings.insert(
            name,
            d.findings_with(st)
                .map(|f| JsonFinding {
                    finding: f,
                    location: loc(r.location(Some(f.subject.span), f.in_new)),
                })
                .collect(),
        );
    }
    let doc = JsonDiff {
        version: 1,
        valid: true,
        old: side(&r.old),
        new: side(&r.new),
        summary: JsonSummary {
            changed: !d.is_empty(),
            added: c.get(&Change::Added).copied().unwrap_or(0),
            removed: c.get(&Change::Removed).copied().unwrap_or(0),
            modified: c.get(&Change::Changed).copied().unwrap_or(0),
            renamed: c.get(&Change::Renamed).copied().unwrap_or(0),
            relations_added: d
                .relations
                .iter()
                .filter(|x| x.change == Change::Added)
                .count(),
            relations_removed: d
                .relations
                .iter()
                .filter(|x| x.change == Change::Removed)
                .count(),
            findings_introduced: n(FindingStatus::Introduced),
            findings_resolved: n(FindingStatus::Resolved),
            findings_changed: n(FindingStatus::Changed),
            findings_unchanged: n(FindingStatus::Unchanged),
            fails: !r.failing().is_empty(),
        },
        settings: &d.settings,
        entities: d
            .entities
            .iter()
            .map(|e| JsonEntity {
                viewpoint: e.kind.viewpoint(),
                change: e,
                location: loc(r.entity_location(e)),
            })
            .collect(),
        relations: &d.relations,
        findings,
        lineage: &d.lineage,
        impact: &d.impact,
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
