//! The Art. 28(2) GDPR customer notice of sub-processor changes: who the processor is, when
//! the changes take effect, by when and how to object, and for each new, changed or dropped
//! sub-processor what a customer's reviewer asks (what it does and for which service, which
//! data it receives, where, under which transfer mechanism, for how long). Written as
//! `notice.md`, a self-contained `notice.html` and `notice.txt` (an e-mail body) per language.

use super::changes::describe;
use super::html;
use super::i18n::{self, Lang, fill, text};
use super::transfers::{file_name, published_url};
use crate::analysis::TransferAnalysis;
use crate::analysis::changes::{Change, ChangeKind, RegisterChanges, Subject};
use crate::analysis::classify::Status;
use crate::graph::{FlowGraph, NodeKind};
use crate::model::key::fold;
use crate::model::{CompactString, EntityRef, Organisation, Processor, Register};
use chrono::NaiveDate;
use foldhash::{HashMap, HashMapExt};
use maud::{Markup, html};
use std::collections::{BTreeMap, BTreeSet};

/// The dates and contact of a notice, from the policy.
#[derive(Debug, Clone)]
pub struct Terms {
    /// The date of the notice: the evaluation date.
    pub date: NaiveDate,
    /// When the changes take effect: the date plus `notice-days`.
    pub effective: NaiveDate,
    /// The last day to object: the date plus `objection-days`.
    pub objection_deadline: NaiveDate,
    /// Where objections go; the organisation's e-mail or DPO when the policy names none.
    pub contact: Option<String>,
    /// Where the page, the notices and the feed are published.
    pub publish_url: Option<String>,
}

/// Where customers send objections: the policy's contact, else the organisation's e-mail,
/// else its DPO.
pub fn objection_contact(policy: Option<&str>, organisation: &Organisation) -> Option<String> {
    policy
        .map(str::to_string)
        .or_else(|| organisation.email.clone())
        .or_else(|| organisation.dpo.clone())
}

impl Terms {
    /// The terms for a notice dated `date`.
    pub fn new(
        date: NaiveDate,
        notice_days: u32,
        objection_days: u32,
        contact: Option<String>,
        organisation: &Organisation,
        publish_url: Option<String>,
    ) -> Terms {
        let plus = |days: u32| date + chrono::Days::new(u64::from(days));
        Terms {
            date,
            effective: plus(notice_days),
            objection_deadline: plus(objection_days),
            contact: objection_contact(contact.as_deref(), organisation),
            publish_url,
        }
    }
}

/// What a notice is made from.
pub struct NoticeSources<'a> {
    pub changes: &'a RegisterChanges,
    /// The new version, its graph and analysis: what the sub-processors are now.
    pub register: &'a Register,
    pub graph: &'a FlowGraph,
    pub transfers: &'a TransferAnalysis,
    /// The old version, for the sub-processors that are dropped.
    pub old_register: &'a Register,
    pub terms: Terms,
}

/// Whether a sub-processor is new, changed or dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntryKind {
    Added,
    Changed,
    Removed,
}

impl EntryKind {
    fn key(self) -> &'static str {
        match self {
            EntryKind::Added => "added",
            EntryKind::Changed => "changed",
            EntryKind::Removed => "removed",
        }
    }
}

/// One sub-processor in the notice: its changes in words and the facts a reviewer asks for.
pub struct Entry {
    pub kind: EntryKind,
    pub name: String,
    /// The dropped sub-processor a new one takes over from (the same service).
    pub replaces: Vec<String>,
    pub changes: Vec<String>,
    /// (label, value) in the order a reviewer reads them.
    pub facts: Vec<(String, String)>,
    /// The worst transfer status of the sub-processor, for highlighting.
    pub status: Option<Status>,
}

/// A notice in one language, before it is rendered.
pub struct Notice {
    pub lang: Lang,
    pub subject: String,
    pub greeting: String,
    pub intro: String,
    pub organisation: Vec<(String, String)>,
    pub dates: Vec<(String, String)>,
    pub how_to_object: String,
    pub entries: Vec<Entry>,
    pub links: Vec<(String, String)>,
    pub footer: String,
}

/// The activities whose data reaches each processor.
fn activities_by_processor(sources: &NoticeSources) -> HashMap<CompactString, Vec<String>> {
    let mut by: HashMap<CompactString, BTreeSet<String>> = HashMap::new();
    for a in &sources.register.activities {
        for reached in sources.transfers.recipients.of(&a.key) {
            let node = &sources.graph.graph[reached.node];
            if node.kind == NodeKind::Processor {
                by.entry(node.key.clone())
                    .or_default()
                    .insert(a.name.to_string());
            }
        }
        for r in &a.recipients {
            if let Some(EntityRef::Processor(key)) = &r.target {
                by.entry(key.clone())
                    .or_default()
                    .insert(a.name.to_string());
            }
        }
    }
    by.into_iter()
        .map(|(k, v)| (k, v.into_iter().collect()))
        .collect()
}

fn join_or(lang: Lang, items: Vec<String>) -> String {
    if items.is_empty() {
        text(lang, "records.not_recorded")
    } else {
        items.join(", ")
    }
}

/// The facts a reviewer asks about a sub-processor, as the new (or, if dropped, the old)
/// version records them.
fn facts(
    lang: Lang,
    p: &Processor,
    sources: &NoticeSources,
    used_by: &HashMap<CompactString, Vec<String>>,
    transfers_to: &BTreeMap<&str, Vec<&crate::analysis::Transfer>>,
) -> (Vec<(String, String)>, Option<Status>) {
    let words = &sources.changes.category_words;
    let mut what: Vec<String> = p.service.iter().map(ToString::to_string).collect();
    what.extend(p.details().notes.iter().cloned());
    let mut for_service: Vec<String> = p.groups.iter().map(|group| group.to_string()).collect();
    for a in used_by.get(&p.key).into_iter().flatten() {
        if !for_service.contains(a) {
            for_service.push(a.clone());
        }
    }
    let transfers = transfers_to
        .get(p.key.as_str())
        .cloned()
        .unwrap_or_default();
    // The categories the register records for it; the ones the analysis sees reaching it
    // only when it records none.
    let mut ids: Vec<String> = p
        .data_categories
        .iter()
        .map(|c| c.id().to_string())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if ids.is_empty() {
        ids = transfers
            .iter()
            .flat_map(|t| t.categories().map(str::to_string))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
    }
    let places: Vec<String> = p
        .effective_locations()
        .iter()
        .map(|place| i18n::place(lang, place))
        .collect();
    let worst = transfers.iter().max_by_key(|t| t.status);
    let mechanisms = i18n::mechanisms(lang, &p.transfer_mechanisms);
    let mechanism = match worst {
        None => {
            if mechanisms.is_empty() {
                text(lang, "notice.no_transfer")
            } else {
                mechanisms.join(", ")
            }
        }
        Some(t) => i18n::labelled(
            lang,
            &format!(
                "{} – {} ({})",
                join_or(lang, mechanisms),
                i18n::status(lang, t.status),
                i18n::destination_code(lang, &t.country),
            ),
            &i18n::assessment(lang, &t.assessment),
        ),
    };
    let mut out = vec![
        (text(lang, "notice.what"), join_or(lang, what)),
        (text(lang, "notice.for"), join_or(lang, for_service)),
        (
            text(lang, "notice.data"),
            join_or(lang, i18n::category_ids(lang, &ids, words)),
        ),
        (text(lang, "notice.where"), join_or(lang, places)),
    ];
    if let Some(seat) = &p.country
        && !p.locations.is_empty()
    {
        out.push((text(lang, "notice.seat"), i18n::place(lang, seat)));
    }
    out.push((text(lang, "notice.mechanism"), mechanism));
    out.push((
        text(lang, "notice.retention"),
        p.retention
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_else(|| text(lang, "records.not_recorded")),
    ));
    out.push((text(lang, "notice.dpa"), i18n::evidence(lang, &p.dpa)));
    (out, worst.map(|t| t.status))
}

/// The notice in one language.
pub fn build(sources: &NoticeSources, lang: Lang) -> Notice {
    let changes = sources.changes;
    let organisation = &sources.register.organisation;
    let terms = &sources.terms;
    let name = organisation.name.as_str();
    let plain = |s: &str| s.to_string();

    // Each notifiable change under the sub-processor it concerns (new keys; dropped ones by
    // their old key).
    let mut by_processor: BTreeMap<CompactString, Vec<&Change>> = BTreeMap::new();
    for c in changes.notifiable() {
        let key = match c.subject {
            Subject::Transfer => changes
                .processor_keys
                .get(c.key.as_str())
                .cloned()
                .unwrap_or_else(|| c.key.as_str().into()),
            _ => c.key.as_str().into(),
        };
        by_processor.entry(key).or_default().push(c);
    }
    let new_processors: HashMap<&str, &Processor> = sources
        .register
        .processors
        .iter()
        .map(|p| (p.key.as_str(), p))
        .collect();
    let old_processors: HashMap<&str, &Processor> = sources
        .old_register
        .processors
        .iter()
        .map(|p| (p.key.as_str(), p))
        .collect();
    let used_by = activities_by_processor(sources);
    let transfers_to = sources.transfers.by_importer();
    // Dropped sub-processors by their service, so a new one with the same service is told as
    // their replacement.
    let mut dropped_by_service: HashMap<String, Vec<String>> = HashMap::new();
    for list in by_processor.values() {
        for c in list {
            if c.subject == Subject::Processor
                && c.kind == ChangeKind::Removed
                && let Some(p) = old_processors.get(c.key.as_str())
                && let Some(service) = &p.service
            {
                dropped_by_service
                    .entry(fold(service))
                    .or_default()
                    .push(p.name.to_string());
            }
        }
    }

    let mut entries = Vec::new();
    for (key, list) in &by_processor {
        let removed = list
            .iter()
            .any(|c| c.subject == Subject::Processor && c.kind == ChangeKind::Removed);
        let added = list
            .iter()
            .any(|c| c.subject == Subject::Processor && c.kind == ChangeKind::Added);
        let kind = if removed {
            EntryKind::Removed
        } else if added {
            EntryKind::Added
        } else {
            EntryKind::Changed
        };
        let processor = if removed {
            old_processors.get(key.as_str())
        } else {
            new_processors.get(key.as_str())
        };
        let Some(processor) = processor else {
            // A transfer to an importer that is not a processor of the register (an activity
            // states it): told as a change without facts.
            entries.push(Entry {
                kind,
                name: list[0].name.to_string(),
                replaces: Vec::new(),
                changes: list
                    .iter()
                    .map(|c| {
                        let line = describe(lang, c, &changes.category_words, &plain);
                        match &c.reason {
                            Some(reason) => format!("{line} ({})", i18n::reason(lang, reason)),
                            None => line,
                        }
                    })
                    .collect(),
                facts: Vec::new(),
                status: None,
            });
            continue;
        };
        let (facts, status) = if removed {
            (Vec::new(), None)
        } else {
            facts(lang, processor, sources, &used_by, &transfers_to)
        };
        let replaces = if added {
            processor
                .service
                .as_ref()
                .and_then(|s| dropped_by_service.get(&fold(s)))
                .cloned()
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        // A transfer's reason is told once, with the mechanism among the facts.
        let described: Vec<String> = list
            .iter()
            .filter(|c| {
                !(c.subject == Subject::Processor
                    && matches!(c.kind, ChangeKind::Added | ChangeKind::Removed))
            })
            .map(|c| describe(lang, c, &changes.category_words, &plain))
            .collect();
        entries.push(Entry {
            kind,
            name: processor.name.to_string(),
            replaces,
            changes: described,
            facts,
            status,
        });
    }
    entries.sort_by_key(|a| (a.kind, fold(&a.name)));

    let mut organisation_lines = vec![(text(lang, "cover.name"), name.to_string())];
    for (key, value) in [
        ("cover.address", organisation.address.clone()),
        (
            "cover.country",
            organisation.country.as_ref().map(|c| i18n::place(lang, c)),
        ),
        ("cover.email", organisation.email.clone()),
        ("cover.dpo", organisation.dpo.clone()),
        ("cover.website", organisation.website.clone()),
    ] {
        if let Some(value) = value {
            organisation_lines.push((text(lang, key), value));
        }
    }
    let dates = vec![
        (text(lang, "notice.date"), terms.date.to_string()),
        (text(lang, "notice.effective"), terms.effective.to_string()),
        (
            text(lang, "notice.deadline"),
            terms.objection_deadline.to_string(),
        ),
    ];
    let deadline = terms.objection_deadline.to_string();
    let how_to_object = match &terms.contact {
        Some(contact) => fill(
            text(lang, "notice.how_to_object"),
            &[("contact", contact), ("deadline", &deadline)],
        ),
        None => fill(
            text(lang, "notice.how_to_object_reply"),
            &[("deadline", &deadline)],
        ),
    };
    let mut links = Vec::new();
    if let Some(base) = &terms.publish_url {
        links.push((
            text(lang, "notice.page"),
            published_url(base, "subprocessors", "html", lang),
        ));
        links.push((
            text(lang, "notice.subscribe"),
            published_url(base, "feed", "xml", lang),
        ));
    }
    let effective = terms.effective.to_string();
    Notice {
        lang,
        subject: fill(text(lang, "notice.subject"), &[("organisation", name)]),
        greeting: text(lang, "notice.greeting"),
        intro: fill(
            text(lang, "notice.intro"),
            &[("organisation", name), ("effective", &effective)],
        ),
        organisation: organisation_lines,
        dates,
        how_to_object,
        entries,
        links,
        footer: fill(
            text(lang, "notice.footer"),
            &[
                ("old", &changes.old.sources.join(", ")),
                ("new", &changes.new.sources.join(", ")),
                ("date", &changes.as_of.to_string()),
            ],
        ),
    }
}

fn entry_heading(lang: Lang, entry: &Entry) -> String {
    let mut heading = i18n::labelled(
        lang,
        &text(lang, &format!("notice.status.{}", entry.kind.key())),
        &entry.name,
    );
    if !entry.replaces.is_empty() {
        heading.push_str(&format!(
            " ({})",
            fill(
                text(lang, "notice.replaces"),
                &[("name", &entry.replaces.join(", "))]
            )
        ));
    }
    heading
}

/// The notice as an e-mail body; its first line is the subject.
pub fn plain_text(notice: &Notice) -> String {
    let lang = notice.lang;
    let c = i18n::colon(lang);
    let mut out = format!(
        "{}{c}{}\n\n{}\n\n{}\n\n",
        text(lang, "notice.subject_label"),
        notice.subject,
        notice.greeting,
        notice.intro
    );
    for (label, value) in &notice.dates {
        out.push_str(&format!("{label}{c}{value}\n"));
    }
    out.push_str(&format!("\n{}\n", notice.how_to_object));
    for entry in &notice.entries {
        out.push_str(&format!("\n{}\n", entry_heading(lang, entry)));
        for line in &entry.changes {
            out.push_str(&format!("- {line}\n"));
        }
        for (label, value) in &entry.facts {
            out.push_str(&format!("  {label}{c}{value}\n"));
        }
    }
    out.push_str(&format!("\n{}\n", text(lang, "notice.processor_heading")));
    for (label, value) in &notice.organisation {
        out.push_str(&format!("  {label}{c}{value}\n"));
    }
    for (label, url) in &notice.links {
        out.push_str(&format!("\n{label}{c}{url}"));
    }
    if !notice.links.is_empty() {
        out.push('\n');
    }
    out.push_str(&format!("\n-- \n{}\n", notice.footer));
    out
}

/// The notice as Markdown.
pub fn markdown(notice: &Notice) -> String {
    let lang = notice.lang;
    let c = i18n::colon(lang);
    let mut out = format!(
        "# {}\n\n{}\n\n{}\n\n",
        super::markdown_text(&notice.subject),
        super::markdown_text(&notice.greeting),
        super::markdown_text(&notice.intro)
    );
    for (label, value) in &notice.dates {
        out.push_str(&format!(
            "- **{}**{c}{}\n",
            super::markdown_text(label),
            super::markdown_text(value)
        ));
    }
    out.push_str(&format!(
        "\n{}\n",
        super::markdown_text(&notice.how_to_object)
    ));
    out.push_str(&format!("\n## {}\n", text(lang, "notice.changes_heading")));
    for entry in &notice.entries {
        out.push_str(&format!(
            "\n### {}\n\n",
            super::markdown_text(&entry_heading(lang, entry))
        ));
        if !entry.changes.is_empty() {
            out.push_str(&format!("**{}**\n\n", text(lang, "notice.what_changed")));
            for line in &entry.changes {
                out.push_str(&format!("- {}\n", super::markdown_text(line)));
            }
            out.push('\n');
        }
        if !entry.facts.is_empty() {
            out.push_str("| | |\n|---|---|\n");
            for (label, value) in &entry.facts {
                out.push_str(&format!(
                    "| {} | {} |\n",
                    super::markdown_text(label),
                    super::markdown_text(value)
                ));
            }
        }
    }
    out.push_str(&format!(
        "\n## {}\n\n",
        text(lang, "notice.processor_heading")
    ));
    for (label, value) in &notice.organisation {
        out.push_str(&format!(
            "- **{}**{c}{}\n",
            super::markdown_text(label),
            super::markdown_text(value)
        ));
    }
    for (label, url) in &notice.links {
        out.push_str(&format!("\n{}{c}<{url}>\n", super::markdown_text(label)));
    }
    out.push_str(&format!(
        "\n---\n\n{}\n",
        super::markdown_text(&notice.footer)
    ));
    out
}

fn status_class(status: Option<Status>) -> &'static str {
    match status {
        Some(Status::Error) => "status-error",
        Some(Status::Warning) => "status-warning",
        Some(Status::Ok) => "status-ok",
        _ => "",
    }
}

/// The notice's body as HTML, for the page and for the feed's entries.
pub fn html_body(notice: &Notice) -> Markup {
    let lang = notice.lang;
    html! {
        header {
            h1 { (notice.subject) }
        }
        p { (notice.greeting) }
        p { (notice.intro) }
        div.box {
            table {
                @for (label, value) in &notice.dates {
                    tr { th scope="row" { (label) } td { (value) } }
                }
            }
            p { (notice.how_to_object) }
        }
        h2 { (text(lang, "notice.changes_heading")) }
        div.entries {
            @for entry in &notice.entries {
                section.card {
                    h3 {
                        (entry.name)
                        span class={ "badge " (entry.kind.key()) } { (text(lang, &format!("notice.status.{}", entry.kind.key()))) }
                    }
                    @if !entry.replaces.is_empty() {
                        p.muted { (fill(text(lang, "notice.replaces"), &[("name", &entry.replaces.join(", "))])) }
                    }
                    @if !entry.changes.is_empty() {
                        ul.changes {
                            @for line in &entry.changes { li { (line) } }
                        }
                    }
                    @if !entry.facts.is_empty() {
                        dl {
                            @for (label, value) in &entry.facts {
                                dt { (label) }
                                @if *label == text(lang, "notice.mechanism") {
                                    dd class=(status_class(entry.status)) { (value) }
                                } @else {
                                    dd { (value) }
                                }
                            }
                        }
                    }
                }
            }
        }
        h2 { (text(lang, "notice.processor_heading")) }
        table {
            @for (label, value) in &notice.organisation {
                tr { th scope="row" { (label) } td { (html::contact(value)) } }
            }
        }
        @for (label, url) in &notice.links {
            p { (label) (i18n::colon(lang)) a href=(url) { (url) } }
        }
        footer { (notice.footer) }
    }
}

/// The notice as a self-contained HTML page.
pub fn html_page(notice: &Notice) -> String {
    html::page(notice.lang, &notice.subject, html_body(notice))
}

/// The three files of a notice in one language: (file name, bytes).
pub fn files(notice: &Notice) -> Vec<(String, Vec<u8>)> {
    vec![
        (
            file_name("notice", "md", notice.lang),
            markdown(notice).into_bytes(),
        ),
        (
            file_name("notice", "html", notice.lang),
            html_page(notice).into_bytes(),
        ),
        (
            file_name("notice", "txt", notice.lang),
            plain_text(notice).into_bytes(),
        ),
    ]
}
