//! The publishable sub-processor page, as processors show it to their customers: grouped like
//! the register groups them (its `group` column or section headings; sub-processors of a
//! processor under it; the rest together), each with service, place of processing and seat,
//! data categories, DPA, encryption, certifications, retention and transfer mechanism, and a
//! "last updated" date. Written as `subprocessors.html` (self-contained, printable),
//! `subprocessors.md` (pipe tables that ropa's own Markdown reader reads back to the same
//! processors) and `subprocessors.json` (read back exactly), per language.

use super::html;
use super::i18n::{self, Lang, fill, text};
use super::transfers::{file_name, published_url};
use crate::analysis::TransferAnalysis;
use crate::model::key::fold;
use crate::model::published::{
    DOCUMENT, ListedCategory, ListedEvidence, ListedOrganisation, ListedPlace, ListedProcessor,
    ListedTransfer, SubprocessorList, tristate_key,
};
use crate::model::{Processor, RecipientRole, Register};
use chrono::NaiveDate;
use foldhash::{HashMap, HashMapExt};
use maud::{Markup, html};

/// What the page is made from.
pub struct PageSources<'a> {
    pub register: &'a Register,
    pub transfers: &'a TransferAnalysis,
    /// The "last updated" date: the evaluation date.
    pub date: NaiveDate,
    /// The notice period customers are promised (`notice-days`).
    pub notice_days: u32,
    /// Where questions and objections go.
    pub contact: Option<String>,
    pub publish_url: Option<String>,
}

/// The page's columns, by the canonical field each holds; their labels (`page.col.*`) are
/// headings ropa's importer maps back to the same fields.
const COLUMNS: [&str; 16] = [
    "name",
    "legal_entity",
    "service",
    "locations",
    "country",
    "data_categories",
    "dpa",
    "encryption_in_transit",
    "encryption_at_rest",
    "certifications",
    "retention",
    "transfer_mechanism",
    "dpf_certified",
    "parent",
    "url",
    "notes",
];

/// A section of the page and its processors.
struct Section<'a> {
    title: String,
    processors: Vec<&'a Processor>,
}

/// The processors a customer's data may reach: processors and sub-processors, not
/// independent recipients.
fn listed(register: &Register) -> impl Iterator<Item = &Processor> {
    register.processors.iter().filter(|p| {
        matches!(
            p.role,
            RecipientRole::Processor | RecipientRole::SubProcessor
        )
    })
}

/// Sections in the order the register first names them: each group, then the
/// sub-processors of each processor, then the rest.
fn sections<'a>(register: &'a Register, lang: Lang) -> Vec<Section<'a>> {
    let mut order: Vec<String> = Vec::new();
    let mut by_title: HashMap<String, Vec<&Processor>> = HashMap::new();
    let mut place = |title: String, p: &'a Processor| {
        if !by_title.contains_key(&title) {
            order.push(title.clone());
        }
        by_title.entry(title).or_default().push(p);
    };
    let mut processors: Vec<&Processor> = listed(register).collect();
    // The register's row order, so sections read as the register does.
    processors.sort_by(|a, b| a.origin.row.cmp(&b.origin.row).then(a.key.cmp(&b.key)));
    let mut rest = Vec::new();
    for p in &processors {
        if !p.groups.is_empty() {
            for g in &p.groups {
                place(g.to_string(), p);
            }
        } else if let Some(parent) = &p.details().parent {
            place(
                fill(text(lang, "page.engaged_by"), &[("name", &parent.text)]),
                p,
            );
        } else {
            rest.push(*p);
        }
    }
    let mut out: Vec<Section> = order
        .into_iter()
        .map(|title| {
            let processors = by_title.remove(&title).unwrap_or_default();
            Section { title, processors }
        })
        .collect();
    if !rest.is_empty() {
        let title = text(
            lang,
            if out.is_empty() {
                "page.all"
            } else {
                "page.other"
            },
        );
        out.push(Section {
            title,
            processors: rest,
        });
    }
    out
}

/// A processor's cells, in [`COLUMNS`] order, each a list of lines.
fn cells(lang: Lang, p: &Processor, markdown: bool) -> Vec<Vec<String>> {
    let places = |list: &[crate::model::Place]| -> Vec<String> {
        list.iter().map(|x| i18n::place(lang, x)).collect()
    };
    let categories: Vec<String> = if markdown {
        // The register's words: read back, they give the same categories.
        p.data_categories
            .iter()
            .map(|c| c.text.to_string())
            .collect()
    } else {
        p.data_categories
            .iter()
            .map(|c| i18n::category(lang, c))
            .collect()
    };
    let tri = |t| vec![i18n::tristate(lang, t)];
    vec![
        vec![p.name.to_string()],
        p.legal_entity.iter().map(ToString::to_string).collect(),
        p.service.iter().map(ToString::to_string).collect(),
        places(&p.effective_locations()),
        places(&p.country.iter().cloned().collect::<Vec<_>>()),
        categories,
        vec![i18n::evidence(lang, &p.dpa)],
        tri(p.encryption_in_transit),
        tri(p.encryption_at_rest),
        p.certifications.iter().map(|c| c.to_string()).collect(),
        p.retention.iter().map(ToString::to_string).collect(),
        i18n::mechanisms(lang, &p.transfer_mechanisms),
        tri(p.dpf_certified),
        p.details()
            .parent
            .iter()
            .map(|r| r.text.to_string())
            .collect(),
        p.details().url.iter().map(ToString::to_string).collect(),
        p.details().notes.clone(),
    ]
}

fn header_lines(lang: Lang, sources: &PageSources) -> (String, String, String, Option<String>) {
    let name = &sources.register.organisation.name;
    let title = fill(text(lang, "page.title"), &[("organisation", name)]);
    let updated = i18n::labelled(
        lang,
        &text(lang, "page.last_updated"),
        &sources.date.to_string(),
    );
    let intro = fill(
        text(lang, "page.intro"),
        &[
            ("organisation", name),
            ("days", &sources.notice_days.to_string()),
        ],
    );
    let contact = sources
        .contact
        .as_ref()
        .map(|c| fill(text(lang, "page.contact"), &[("contact", c)]));
    (title, updated, intro, contact)
}

/// The report notices (nothing or not all of the register read, reference data outdated),
/// which the page states before its list.
fn notices(lang: Lang, sources: &PageSources) -> Vec<String> {
    sources
        .transfers
        .notices
        .iter()
        .map(|n| i18n::notice(lang, n))
        .collect()
}

/// Writes the page as Markdown, a pipe table per section, in pieces of about 64 KiB (made
/// whole, L's page of 9 MB was held twice over while it grew).
pub fn write_markdown(
    sources: &PageSources,
    lang: Lang,
    to: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    const PIECE: usize = 1 << 16;
    let (title, updated, intro, contact) = header_lines(lang, sources);
    let mut out = format!("# {}\n\n", super::markdown_text(&title));
    for notice in notices(lang, sources) {
        out.push_str(&format!("> **{}**\n\n", super::markdown_text(&notice)));
    }
    out.push_str(&format!(
        "{}\n\n{}\n",
        super::markdown_text(&updated),
        super::markdown_text(&intro)
    ));
    if let Some(contact) = contact {
        out.push_str(&format!("\n{}\n", super::markdown_text(&contact)));
    }
    if let Some(base) = &sources.publish_url {
        out.push_str(&format!(
            "\n{}{}<{}>\n",
            text(lang, "notice.subscribe"),
            i18n::colon(lang),
            published_url(base, "feed", "xml", lang)
        ));
    }
    let headers: Vec<String> = COLUMNS
        .iter()
        .map(|c| text(lang, &format!("page.col.{c}")))
        .collect();
    let cell = |lines: &[String]| {
        lines
            .iter()
            .map(|l| super::markdown_text(l))
            .collect::<Vec<_>>()
            .join("<br>")
    };
    for section in sections(sources.register, lang) {
        out.push_str(&format!(
            "\n## {}\n\n",
            super::markdown_text(&section.title)
        ));
        out.push_str(&format!(
            "| {} |\n|{}\n",
            headers.join(" | "),
            "---|".repeat(headers.len())
        ));
        for p in section.processors {
            let row: Vec<String> = cells(lang, p, true).iter().map(|c| cell(c)).collect();
            out.push_str(&format!("| {} |\n", row.join(" | ")));
            if out.len() >= PIECE {
                to.write_all(out.as_bytes())?;
                out.clear();
            }
        }
    }
    out.push_str(&format!("\n{}\n", text(lang, "meta.generated_by")));
    to.write_all(out.as_bytes())
}

/// Whether a column is a line of a card: the name heads it and links to the url, notes
/// follow it, and the seat is shown only where it is not the place of processing.
fn on_card(column: &str, p: &Processor) -> bool {
    match column {
        "name" | "url" | "notes" => false,
        "country" => !p.locations.is_empty(),
        _ => true,
    }
}

/// Writes the page as a self-contained HTML file, a card per processor, in sections: the
/// cards are rendered and written one at a time (made whole, L's page of 26 MB was held
/// twice over while it grew).
pub fn write_html(
    sources: &PageSources,
    lang: Lang,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let (title, updated, intro, contact) = header_lines(lang, sources);
    let labels: Vec<String> = COLUMNS
        .iter()
        .map(|c| text(lang, &format!("page.col.{c}")))
        .collect();
    let sections = sections(sources.register, lang);
    let notices = notices(lang, sources);
    let header: Markup = html! {
        header {
            h1 { (title) }
            @for notice in &notices { p.status-error role="alert" { (notice) } }
            p.meta { (updated) }
            p { (intro) }
            @if let Some(contact) = &contact { p { (contact) } }
            @if let Some(base) = &sources.publish_url {
                @let feed = published_url(base, "feed", "xml", lang);
                p { (text(lang, "notice.subscribe")) (i18n::colon(lang)) a href=(feed) { (feed) } }
            }
        }
        @if sections.len() > 1 {
            nav {
                ul {
                    @for (i, s) in sections.iter().enumerate() {
                        li { a href={ "#section-" (i + 1) } { (s.title) } " (" (s.processors.len()) ")" }
                    }
                }
            }
        }
    };
    let parts = sections.iter().enumerate().flat_map(|(i, section)| {
        // The section's opening and closing tags, as one `html!` around its cards writes
        // them: rendered around a mark and cut there.
        let frame = html! {
            section id={ "section-" (i + 1) } {
                h2 { (section.title) }
                div.cards { (html::MARK) }
            }
        }
        .into_string();
        let mut pieces = html::cut_at_marks(&frame, 1).into_iter();
        let (open, close) = (
            pieces.next().unwrap_or_default(),
            pieces.next().unwrap_or_default(),
        );
        std::iter::once(maud::PreEscaped(open))
            .chain(section.processors.iter().map(|p| card(lang, &labels, p)))
            .chain(std::iter::once(maud::PreEscaped(close)))
    });
    let footer = html! { footer { (text(lang, "meta.generated_by")) " · " (updated) } };
    html::write_page(
        out,
        lang,
        &title,
        html::Extras::default(),
        std::iter::once(header)
            .chain(parts)
            .chain(std::iter::once(footer)),
    )?;
    Ok(())
}

/// A processor's card on the page.
fn card(lang: Lang, labels: &[String], p: &Processor) -> Markup {
    html! {
        article.card {
            h3 {
                @if let Some(url) = p.details().url.as_deref().filter(|u| u.starts_with("https://") || u.starts_with("http://")) {
                    a href=(url) { (p.name) }
                } @else {
                    (p.name)
                }
            }
            dl {
                @for ((column, label), lines) in COLUMNS.iter().zip(labels).zip(cells(lang, p, false)) {
                    @if !lines.is_empty() && on_card(column, p) {
                        dt { (label) }
                        dd {
                            @for (n, line) in lines.iter().enumerate() {
                                @if n > 0 { br; }
                                (line)
                            }
                        }
                    }
                }
            }
            @for note in &p.details().notes {
                p.note { (note) }
            }
        }
    }
}

/// The page as a JSON document ropa reads back, its processors made one at a time as the
/// document is written (see [`Listed`]).
pub fn document<'a>(sources: &'a PageSources, lang: Lang) -> SubprocessorList<Listed<'a>> {
    let register = sources.register;
    let o = &register.organisation;
    let place = |p: &crate::model::Place| ListedPlace::new(p, i18n::place(lang, p));
    let sections = sections(register, lang);
    let mut processors: Vec<&Processor> = listed(register).collect();
    processors.sort_by_key(|p| (fold(&p.name), p.key.clone()));
    SubprocessorList {
        document: DOCUMENT.to_string(),
        version: 1,
        language: lang.code().to_string(),
        last_updated: sources.date.to_string(),
        notices: notices(lang, sources),
        organisation: ListedOrganisation {
            name: o.name.clone(),
            role: Some(crate::model::published::role_key(o.role).to_string()),
            country: o.country.as_ref().map(place),
            address: o.address.clone(),
            email: o.email.clone(),
            dpo: o.dpo.clone(),
            website: o.website.clone(),
        },
        groups: sections.iter().map(|s| s.title.clone()).collect(),
        processors: Listed {
            processors,
            transfers: sources.transfers.by_importer(),
            lang,
        },
    }
}

/// The processors of the JSON document, in name order, each made into its entry as it is
/// written and dropped after: made whole first, L's 50,000 entries held about 60 MB.
pub struct Listed<'a> {
    processors: Vec<&'a Processor>,
    transfers: std::collections::BTreeMap<&'a str, Vec<&'a crate::analysis::Transfer>>,
    lang: Lang,
}

impl Listed<'_> {
    /// The entries, made now.
    fn entries(&self) -> impl Iterator<Item = ListedProcessor> + '_ {
        self.processors.iter().map(|p| self.entry(p))
    }

    fn entry(&self, p: &Processor) -> ListedProcessor {
        let lang = self.lang;
        let place = |p: &crate::model::Place| ListedPlace::new(p, i18n::place(lang, p));
        ListedProcessor {
            name: p.name.to_string(),
            legal_entity: p.legal_entity.as_ref().map(ToString::to_string),
            service: p.service.as_ref().map(ToString::to_string),
            groups: p.groups.iter().map(|g| g.to_string()).collect(),
            role: match p.role {
                RecipientRole::SubProcessor => "sub_processor",
                _ => "processor",
            }
            .to_string(),
            seat: p.country.as_ref().map(place),
            locations: p.locations.iter().map(place).collect(),
            data_categories: p
                .data_categories
                .iter()
                .map(|c| ListedCategory {
                    text: c.text.to_string(),
                    key: c.key.as_deref().map(str::to_string),
                    label: c
                        .key
                        .as_deref()
                        .and_then(|k| crate::vocabulary::categories::label(k, lang.code()))
                        .map(str::to_string),
                })
                .collect(),
            dpa: ListedEvidence::new(&p.dpa),
            encryption_in_transit: tristate_key(p.encryption_in_transit).to_string(),
            encryption_at_rest: tristate_key(p.encryption_at_rest).to_string(),
            certifications: p.certifications.iter().map(|c| c.to_string()).collect(),
            retention: p.retention.as_ref().map(ToString::to_string),
            transfer_mechanisms: p
                .transfer_mechanisms
                .iter()
                .map(|m| m.key().to_string())
                .collect(),
            transfer_mechanism_text: p.transfer_mechanism_text.as_ref().map(ToString::to_string),
            dpf_certified: tristate_key(p.dpf_certified).to_string(),
            parent: p.details().parent.as_ref().map(|r| r.text.to_string()),
            sub_processors: p
                .details()
                .sub_processors
                .iter()
                .map(|r| r.text.to_string())
                .collect(),
            url: p.details().url.as_ref().map(ToString::to_string),
            notes: p.details().notes.clone(),
            transfers: self
                .transfers
                .get(p.key.as_str())
                .into_iter()
                .flatten()
                .map(|t| ListedTransfer {
                    country: t.country.to_string(),
                    status: serde_json::to_value(t.status)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                    reason: i18n::assessment(lang, &t.assessment),
                })
                .collect(),
        }
    }
}

impl serde::Serialize for Listed<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.entries())
    }
}

/// Writes the three files of the page in one language into `dir`, the JSON streamed.
pub fn write(
    sources: &PageSources,
    lang: Lang,
    dir: &std::path::Path,
) -> Result<Vec<std::path::PathBuf>, super::ExportError> {
    let mut written = vec![super::write_streamed(
        &dir.join(file_name("subprocessors", "html", lang)),
        |out| Ok(write_html(sources, lang, out)?),
    )?];
    written.push(super::write_streamed(
        &dir.join(file_name("subprocessors", "md", lang)),
        |out| Ok(write_markdown(sources, lang, out)?),
    )?);
    written.push(super::write_streamed(
        &dir.join(file_name("subprocessors", "json", lang)),
        |out| super::json::stream(out, &document(sources, lang)),
    )?);
    Ok(written)
}
