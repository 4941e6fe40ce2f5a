//! The record of processing activities (Art. 30) as an auditor-ready workbook:
//! `records-of-processing.xlsx` with a cover, the controller record (30(1)), the processor
//! record (30(2)), the recipients, the transfers and the findings, and the three record tables
//! as CSV. Recipients and transfers come from the flow graph and the transfer analysis, so what
//! is reached through systems and sub-processors is listed too.

use super::i18n::{self, Lang, text};
use super::sheet::{self, Cell, Row, Rows, Table};
use super::transfers::{file_name, transfer_table};
use super::{ExportError, workbook_properties};
use crate::analysis::recipients::ActivityRecipients;
use crate::analysis::{Status, Transfer, TransferAnalysis};
use crate::diag::{Diagnostic, Severity};
use crate::graph::{FlowGraph, NodeKind};
use crate::model::{
    Activity, ActivityRole, Organisation, OrganisationRole, Place, Processor, RecipientRole,
    Register,
};
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use rust_xlsxwriter::{Format, XlsxError};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The translation keys of the letters of Art. 30(1), in column order ((c) takes two).
const CONTROLLER_LETTERS: [&str; 8] = [
    "art30.1a",
    "art30.1b",
    "art30.1c_subjects",
    "art30.1c_data",
    "art30.1d",
    "art30.1e",
    "art30.1f",
    "art30.1g",
];

/// The translation keys of the letters of Art. 30(2).
const PROCESSOR_LETTERS: [&str; 4] = ["art30.2a", "art30.2b", "art30.2c", "art30.2d"];

/// Everything the record is made from.
pub struct RecordSources<'a> {
    pub register: &'a Register,
    pub graph: &'a FlowGraph,
    pub analysis: &'a TransferAnalysis,
    pub diagnostics: &'a [Diagnostic],
}

fn lines<T: AsRef<str>>(items: impl IntoIterator<Item = T>) -> String {
    let mut out = String::new();
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(item.as_ref());
    }
    out
}

/// What the activity itself records of its transfers (the places, each with its tools, and the
/// safeguards documented for Art. 49 transfers) as one labelled line, places written by
/// `place`.
pub fn stated_transfers(
    lang: Lang,
    activity: &Activity,
    place: fn(Lang, &Place) -> String,
) -> Option<String> {
    if activity.details().transfers.is_empty() {
        return activity
            .details()
            .transfer_safeguards
            .as_ref()
            .map(|s| i18n::labelled(lang, &text(lang, "records.safeguards"), s));
    }
    let stated: Vec<String> = activity
        .details()
        .transfers
        .iter()
        .map(|t| {
            let tools = i18n::mechanisms(lang, &t.mechanisms);
            if tools.is_empty() {
                place(lang, &t.place)
            } else {
                format!("{} ({})", place(lang, &t.place), tools.join(", "))
            }
        })
        .collect();
    let safeguards = activity
        .details()
        .transfer_safeguards
        .as_ref()
        .map(|s| format!(" – {s}"))
        .unwrap_or_default();
    Some(i18n::labelled(
        lang,
        &text(lang, "records.recorded_countries"),
        &format!("{}{safeguards}", stated.join(", ")),
    ))
}

pub fn recipient_role(lang: Lang, role: RecipientRole) -> String {
    text(
        lang,
        match role {
            RecipientRole::Processor => "recipient_role.processor",
            RecipientRole::SubProcessor => "recipient_role.sub_processor",
            RecipientRole::Controller => "recipient_role.controller",
            RecipientRole::JointController => "recipient_role.joint_controller",
        },
    )
}

pub fn organisation_role(lang: Lang, role: OrganisationRole) -> String {
    text(
        lang,
        match role {
            OrganisationRole::Controller => "role.controller",
            OrganisationRole::Processor => "role.processor",
            OrganisationRole::Both => "role.both",
        },
    )
}

/// Name and contact details, one item per line, then the representative and the DPO.
fn contact_block(
    lang: Lang,
    details: Vec<String>,
    representative: Option<&String>,
    dpo: Option<&String>,
) -> String {
    let mut out = details;
    if let Some(representative) = representative {
        out.push(i18n::labelled(
            lang,
            &text(lang, "cover.representative"),
            representative,
        ));
    }
    if let Some(dpo) = dpo {
        out.push(i18n::labelled(lang, &text(lang, "cover.dpo"), dpo));
    }
    lines(out)
}

fn contact(lang: Lang, o: &Organisation) -> String {
    let mut details = vec![o.name.clone()];
    details.extend(o.address.clone());
    details.extend(o.country.as_ref().map(|c| code(lang, c)));
    details.extend(o.email.clone());
    details.extend(o.phone.clone());
    contact_block(lang, details, o.representative.as_ref(), o.dpo.as_ref())
}

/// A place as a short code in the language (`US`, `UE`, `hors de l'EEE`).
fn code(lang: Lang, place: &Place) -> String {
    i18n::destination_code(lang, &place.to_string())
}

/// Worst transfer per (importer, country).
fn worst_transfers(analysis: &TransferAnalysis) -> HashMap<(&str, &str), &Transfer> {
    let mut worst: HashMap<(&str, &str), &Transfer> = HashMap::new();
    for t in &analysis.transfers {
        let key = (t.importer.key.as_str(), t.country.as_str());
        match worst.get(&key) {
            Some(existing) if existing.status >= t.status => {}
            _ => {
                worst.insert(key, t);
            }
        }
    }
    worst
}

/// What the record says about one activity's recipients and transfers, from the graph.
/// Borrowed from the parties where it can be: every activity's row lists them.
struct Reach<'p> {
    recipients: Vec<std::borrow::Cow<'p, str>>,
    transfers: Vec<&'p str>,
    worst: Option<Status>,
}

/// A party an activity's data reaches: a processor of the register, or the importer of a
/// transfer the activity states; with what it was reached through and the worst transfer to
/// each place it holds data in.
pub struct Party<'a> {
    pub name: &'a str,
    pub key: &'a str,
    /// `None` for an importer known only from the activity's statement.
    pub role: Option<RecipientRole>,
    pub places: &'a [Place],
    /// The system or processor the data passes through, when not the organisation itself.
    pub via: Option<&'a str>,
    pub transfers: Vec<&'a Transfer>,
}

/// What the records and the report read an activity's reach from.
pub struct Context<'a> {
    sources: &'a RecordSources<'a>,
    lang: Lang,
    /// Each processor and importer node of the graph as a party, by node index: made once
    /// per node, not once for each of the thousands of activities that reach it. Boxed: systems,
    /// customers and data subjects, half the nodes of a large register, are no party.
    nodes: Vec<Option<Box<NodeParty<'a>>>>,
    reached: &'a ActivityRecipients,
    /// `via`, in the language, before the system or processor a party is reached through.
    via: String,
}

/// A processor or importer node as a party: [`Party`] without the route, and its lines in the
/// record.
struct NodeParty<'a> {
    name: &'a str,
    key: &'a str,
    role: Option<RecipientRole>,
    places: &'a [Place],
    transfers: Vec<&'a Transfer>,
    /// The worst status of its transfers, found once: every activity that reaches the party
    /// asks for it.
    worst: Option<Status>,
    /// `name (places) – role`, the recipients line before its route.
    line: String,
    /// A line per transfer: place, name, mechanism and status.
    transfer_lines: Vec<String>,
}

impl<'a> Context<'a> {
    pub fn new(sources: &'a RecordSources<'a>, lang: Lang) -> Self {
        let processors: HashMap<&str, &Processor> = sources
            .register
            .processors
            .iter()
            .map(|p| (p.key.as_str(), p))
            .collect();
        let worst = worst_transfers(sources.analysis);
        let graph = &sources.graph.graph;
        let nodes = graph
            .node_indices()
            .map(|n| NodeParty::of(&graph[n], &processors, &worst, lang).map(Box::new))
            .collect();
        Context {
            sources,
            lang,
            nodes,
            reached: &sources.analysis.recipients,
            via: text(lang, "records.via"),
        }
    }

    /// The language the context writes in.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    fn not_recorded(&self) -> String {
        text(self.lang, "records.not_recorded")
    }

    /// The processors an activity's data reaches and the importers of the transfers it
    /// states, in the order the graph reaches them.
    pub fn parties(&self, activity: &Activity) -> Vec<Party<'a>> {
        self.reached_parties(activity)
            .map(|(party, via)| Party {
                name: party.name,
                key: party.key,
                role: party.role,
                places: party.places,
                via,
                transfers: party.transfers.clone(),
            })
            .collect()
    }

    /// The parties an activity reaches, each with the system or processor it is reached
    /// through (`None` for the organisation itself).
    fn reached_parties(
        &self,
        activity: &Activity,
    ) -> impl Iterator<Item = (&NodeParty<'a>, Option<&'a str>)> {
        let graph = &self.sources.graph.graph;
        self.reached.of(&activity.key).iter().filter_map(move |r| {
            let party = self.nodes[r.node.index()].as_deref()?;
            let via = &graph[r.via];
            Some((
                party,
                (via.kind != NodeKind::Organisation).then_some(via.label.as_str()),
            ))
        })
    }

    fn reach<'p>(&'p self, activity: &'p Activity) -> Reach<'p> {
        use std::borrow::Cow;
        let mut recipients = Vec::new();
        let mut transfers = Vec::new();
        let mut worst = None;
        for (party, via) in self.reached_parties(activity) {
            recipients.push(match via {
                Some(via) => Cow::Owned(format!("{}, {} {via}", party.line, self.via)),
                None => Cow::Borrowed(party.line.as_str()),
            });
            worst = worst.max(party.worst);
            transfers.extend(party.transfer_lines.iter().map(String::as_str));
        }
        recipients.extend(
            activity
                .details()
                .recipient_categories
                .iter()
                .map(|c| Cow::Borrowed(c.as_str())),
        );
        Reach {
            recipients,
            transfers,
            worst,
        }
    }

    /// The recipients cell (30(1)(d); the sub-processors column of the processor record): each
    /// party the data reaches, else "none".
    fn recipients_cell(&self, reach: &Reach) -> Cell {
        if reach.recipients.is_empty() {
            Cell::text(text(self.lang, "records.none"))
        } else {
            Cell::text(lines(&reach.recipients))
        }
    }

    /// The 30(1)(e) / 30(2)(c) cell: analysed transfers, what the register itself records, and
    /// the documented safeguards for Art. 49 transfers.
    fn transfers_cell(&self, activity: &Activity, reach: &Reach) -> Cell {
        let lang = self.lang;
        let stated = stated_transfers(lang, activity, code);
        if reach.transfers.is_empty() && stated.is_none() {
            Cell::text(text(lang, "records.no_transfers"))
        } else {
            Cell::text(lines(
                reach.transfers.iter().copied().chain(stated.as_deref()),
            ))
        }
    }
}

impl<'a> NodeParty<'a> {
    /// The node as a party, if it is a processor of the register or the importer of a
    /// transfer an activity states.
    fn of(
        node: &'a crate::graph::Node,
        processors: &HashMap<&str, &'a Processor>,
        worst: &HashMap<(&str, &str), &'a Transfer>,
        lang: Lang,
    ) -> Option<NodeParty<'a>> {
        let (name, key, role) = match node.kind {
            NodeKind::Processor => {
                let processor = processors.get(node.key.as_str())?;
                (
                    processor.name.as_str(),
                    processor.key.as_str(),
                    Some(processor.role),
                )
            }
            NodeKind::Recipient => (node.label.as_str(), node.key.as_str(), None),
            _ => return None,
        };
        let transfers: Vec<&Transfer> = if node.places.is_empty() {
            worst.get(&(key, "unknown")).copied().into_iter().collect()
        } else {
            node.places
                .iter()
                .filter_map(|place| worst.get(&(key, place.to_string().as_str())).copied())
                .collect()
        };
        let mut line = if node.places.is_empty() {
            format!("{name} ({})", text(lang, "tristate.unknown"))
        } else {
            format!("{name} ({})", i18n::place_codes(lang, &node.places))
        };
        if let Some(role) = role {
            line.push_str(&format!(" – {}", recipient_role(lang, role)));
        }
        let transfer_lines = transfers
            .iter()
            .map(|t| {
                let mechanism = t
                    .assessment
                    .mechanism
                    .map(|m| i18n::mechanism(lang, m))
                    .unwrap_or_else(|| text(lang, "none"));
                i18n::labelled(
                    lang,
                    &super::changes::destination(lang, &t.country),
                    &format!("{name} – {mechanism} – {}", i18n::status(lang, t.status)),
                )
            })
            .collect();
        Some(NodeParty {
            name,
            key,
            role,
            places: &node.places,
            worst: transfers.iter().map(|t| t.status).max(),
            transfers,
            line,
            transfer_lines,
        })
    }
}

/// A special category: the register's words, and what they are when the words do not say it.
pub fn special_text(lang: Lang, s: &crate::model::SpecialCategory) -> String {
    let label = i18n::special_kind(lang, s.kind);
    let base = label.split(" (Art.").next().unwrap_or(&label);
    if crate::model::key::fold(base) == crate::model::key::fold(&s.text) {
        s.text.clone()
    } else {
        format!("{} – {label}", s.text)
    }
}

/// The Art. 9(2) condition as the row states it, with the letters read from it.
pub fn art9_text(lang: Lang, a: &Activity) -> Option<String> {
    let letters: Vec<String> = a
        .details()
        .art9_conditions
        .iter()
        .map(|l| {
            i18n::fill(
                text(lang, "records.art9_letter"),
                &[("letter", &l.to_string())],
            )
        })
        .collect();
    match (&a.details().art9_condition, letters.is_empty()) {
        (Some(text), true) => Some(text.to_string()),
        (Some(text), false) => Some(format!("{} – {text}", letters.join(", "))),
        (None, false) => Some(letters.join(", ")),
        (None, true) => None,
    }
}

fn controller_table<'a>(
    cx: &'a Context,
    org: &'a str,
    title: &'a str,
    extra: &'a [String],
) -> Table<'a> {
    let lang = cx.lang;
    let register = cx.sources.register;
    let missing = cx.not_recorded();
    let mut headers: Vec<String> = ["col.id", "col.activity"]
        .into_iter()
        .chain(CONTROLLER_LETTERS)
        .chain([
            "col.legal_basis",
            "col.special",
            "col.art9",
            "col.systems",
            "col.department",
            "col.source",
            "col.dpia",
        ])
        .map(|k| text(lang, k))
        .collect();
    headers.extend(extra.iter().cloned());
    let mut widths = vec![
        6.0, 22.0, 24.0, 26.0, 18.0, 18.0, 30.0, 32.0, 16.0, 22.0, 18.0, 12.0, 12.0, 14.0, 12.0,
        12.0, 10.0,
    ];
    widths.extend(extra.iter().map(|_| 18.0));
    // Rows are made as they are written, on every core, in register order.
    let controlled: Vec<&Activity> = register
        .activities
        .iter()
        .filter(|a| a.role == ActivityRole::Controller)
        .collect();
    let organisation = contact(lang, &register.organisation);
    let rows = Rows::of(controlled, move |a| {
        let reach = cx.reach(a);
        let mut controller = organisation.clone();
        if let Some(joint) = &a.details().joint_controllers {
            controller.push_str(&format!("\n{joint}"));
        }
        let special = !a.details().special_categories.is_empty();
        let mut cells = vec![
            Cell::text(a.id.clone().unwrap_or_default()),
            Cell::text(a.name.clone()),
            Cell::text(controller),
            Cell::required(a.purpose.clone(), &missing),
            Cell::required(Some(lines(&a.data_subjects)), &missing),
            Cell::required(
                Some(lines(
                    a.data_categories.iter().map(|c| i18n::category(lang, c)),
                )),
                &missing,
            ),
            cx.recipients_cell(&reach),
            cx.transfers_cell(a, &reach),
            Cell::required(a.retention, &missing),
            Cell::required(a.security, &missing),
            if a.legal_basis.is_empty() {
                Cell::required(a.legal_basis_text, &missing)
            } else {
                Cell::text(lines(
                    a.legal_basis.iter().map(|b| i18n::legal_basis(lang, *b)),
                ))
            },
            Cell::text(lines(
                a.details()
                    .special_categories
                    .iter()
                    .map(|s| special_text(lang, s)),
            )),
            if special {
                Cell::required(art9_text(lang, a), &missing)
            } else {
                Cell::text(a.details().art9_condition.clone().unwrap_or_default())
            },
            Cell::text(lines(a.systems.iter().map(|s| &s.text))),
            Cell::text(a.department.unwrap_or_default()),
            Cell::text(a.details().source.clone().unwrap_or_default()),
            Cell::text(a.details().dpia.clone().unwrap_or_default()),
        ];
        cells.extend(
            extra
                .iter()
                .map(|k| Cell::text(a.details().extra.get(k).cloned().unwrap_or_default())),
        );
        Row {
            cells,
            status: reach.worst,
        }
    });
    Table {
        top: vec![
            i18n::labelled(lang, &text(lang, "records.controller_sheet"), org),
            text(lang, "records.controller_intro"),
        ],
        headers,
        widths,
        rows,
        status_column: Some(7),
        page_header: (org, title),
        lang,
    }
}

/// The processor record (Art. 30(2)): one row per activity carried out on behalf of
/// controllers. Letter (a) is answered in the record itself: the processor's own contact
/// details with its representative and DPO, and the controllers it acts for (their contact
/// details, representatives and DPOs are on the controllers sheet, once each, so that an
/// activity for every customer does not repeat every customer).
fn processor_table<'a>(cx: &'a Context, org: &'a str, title: &'a str) -> Table<'a> {
    let lang = cx.lang;
    let register = cx.sources.register;
    let missing = cx.not_recorded();
    let headers: Vec<String> = [
        "art30.2a_processor",
        "art30.2a_controllers",
        "col.id",
        "col.activity",
        "art30.2b",
        "col.categories",
        "col.sub_processors",
        "art30.2c",
        "art30.2d",
    ]
    .iter()
    .map(|k| text(lang, k))
    .collect();
    let processor_contact = contact(lang, &register.organisation);
    let all_customers = i18n::fill(
        text(lang, "records.all_customers"),
        &[("count", &register.customers.len().to_string())],
    );
    let processing: Vec<&Activity> = register
        .activities
        .iter()
        .filter(|a| a.role == ActivityRole::Processor)
        .collect();
    let rows = Rows::of(processing, move |activity| {
        let reach = cx.reach(activity);
        let controllers = if activity.all_controllers {
            Cell::text(all_customers.clone())
        } else if activity.controllers.is_empty() {
            Cell::missing(missing.clone())
        } else {
            Cell::text(lines(activity.controllers.iter().map(|r| &r.text)))
        };
        Row {
            cells: vec![
                Cell::text(processor_contact.clone()),
                controllers,
                Cell::text(activity.id.clone().unwrap_or_default()),
                Cell::text(activity.name.clone()),
                Cell::required(activity.purpose.clone(), &missing),
                Cell::text(lines(
                    activity
                        .data_categories
                        .iter()
                        .map(|c| i18n::category(lang, c)),
                )),
                cx.recipients_cell(&reach),
                cx.transfers_cell(activity, &reach),
                Cell::required(activity.security, &missing),
            ],
            status: reach.worst,
        }
    });
    Table {
        top: vec![
            i18n::labelled(lang, &text(lang, "records.processor_sheet"), org),
            text(lang, "records.processor_intro"),
        ],
        headers,
        widths: vec![30.0, 30.0, 8.0, 24.0, 34.0, 26.0, 36.0, 40.0, 30.0],
        rows,
        status_column: Some(7),
        page_header: (org, title),
        lang,
    }
}

/// `{count}` in a text replaced by a number.
/// The controllers on whose behalf the organisation processes (Art. 30(2)(a)): one row per
/// customer with its contact details, representative and DPO, and the activities that name
/// it.
fn controllers_table<'a>(cx: &Context, org: &'a str, title: &'a str) -> Table<'a> {
    let lang = cx.lang;
    let register = cx.sources.register;
    let missing = cx.not_recorded();
    let headers: Vec<String> = [
        "col.name",
        "col.contact",
        "cover.country",
        "cover.representative",
        "cover.dpo",
        "col.processing_for",
    ]
    .iter()
    .map(|k| text(lang, k))
    .collect();
    let processing = register
        .activities
        .iter()
        .filter(|a| a.role == ActivityRole::Processor);
    let for_all = processing.clone().filter(|a| a.all_controllers).count();
    let mut named: HashMap<&str, Vec<String>> = HashMap::new();
    for activity in processing.filter(|a| !a.all_controllers) {
        for reference in &activity.controllers {
            if let Some(crate::model::EntityRef::Customer(key)) = &reference.target {
                named
                    .entry(key.as_str())
                    .or_default()
                    .push(activity.name.to_string());
            }
        }
    }
    let rows = register
        .customers
        .iter()
        .map(|c| {
            let mut activities = named.remove(c.key.as_str()).unwrap_or_default();
            if for_all > 0 {
                activities.push(i18n::fill(
                    text(lang, "records.activities_for_all"),
                    &[("count", &for_all.to_string())],
                ));
            }
            Row::plain(vec![
                Cell::text(c.name.clone()),
                Cell::required(c.contact.clone(), &missing),
                Cell::text(
                    c.country
                        .as_ref()
                        .map(|p| code(lang, p))
                        .unwrap_or_default(),
                ),
                Cell::text(c.representative.clone().unwrap_or_default()),
                Cell::text(c.dpo.clone().unwrap_or_default()),
                Cell::text(lines(activities)),
            ])
        })
        .collect();
    let rows = Rows::made(rows);
    Table {
        top: vec![
            i18n::labelled(lang, &text(lang, "records.controllers_sheet"), org),
            text(lang, "records.controllers_intro"),
        ],
        headers,
        widths: vec![28.0, 34.0, 10.0, 28.0, 28.0, 40.0],
        rows,
        status_column: None,
        page_header: (org, title),
        lang,
    }
}

fn recipients_table<'a>(
    cx: &'a Context,
    org: &'a str,
    title: &'a str,
    extra: &'a [String],
) -> Table<'a> {
    let lang = cx.lang;
    let keys = [
        "col.name",
        "col.legal_entity",
        "col.service",
        "col.group",
        "col.seat",
        "col.locations",
        "col.categories",
        "col.role",
        "col.parent",
        "col.sub_processors",
        "col.dpa",
        "col.mechanism",
        "col.dpf",
        "col.tia",
        "col.encryption_in_transit",
        "col.encryption_at_rest",
        "col.certifications",
        "col.retention",
        "col.url",
        "col.notes",
    ];
    let mut headers: Vec<String> = keys.iter().map(|k| text(lang, k)).collect();
    headers.extend(extra.iter().cloned());
    let evidence = move |e: &crate::model::Evidence| {
        let mut parts = vec![i18n::tristate(lang, e.status)];
        parts.extend(
            [e.date(), e.link(), e.text()]
                .into_iter()
                .flatten()
                .map(str::to_string),
        );
        parts.join(", ")
    };
    let processors: Vec<&Processor> = cx.sources.register.processors.iter().collect();
    let rows = Rows::of(processors, move |p| {
        let mut cells = vec![
            Cell::text(p.name.clone()),
            Cell::text(p.legal_entity.clone().unwrap_or_default()),
            Cell::required(p.service, &cx.not_recorded()),
            Cell::text(lines(&p.groups)),
            Cell::required(
                p.country.as_ref().map(|c| code(lang, c)),
                &cx.not_recorded(),
            ),
            Cell::text(i18n::place_codes(lang, &p.locations)),
            Cell::text(lines(
                p.data_categories.iter().map(|c| i18n::category(lang, c)),
            )),
            Cell::text(recipient_role(lang, p.role)),
            Cell::text(
                p.details()
                    .parent
                    .as_ref()
                    .map(|r| r.text.clone())
                    .unwrap_or_default(),
            ),
            Cell::text(lines(p.details().sub_processors.iter().map(|r| &r.text))),
            Cell::text(evidence(&p.dpa)),
            Cell::text(
                p.transfer_mechanism_text
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_else(|| lines(i18n::mechanisms(lang, &p.transfer_mechanisms))),
            ),
            Cell::text(i18n::tristate(lang, p.dpf_certified)),
            Cell::text(evidence(&p.tia)),
            Cell::text(i18n::tristate(lang, p.encryption_in_transit)),
            Cell::text(i18n::tristate(lang, p.encryption_at_rest)),
            Cell::text(lines(&p.certifications)),
            Cell::text(p.retention.unwrap_or_default()),
            Cell::text(p.details().url.clone().unwrap_or_default()),
            Cell::text(lines(&p.details().notes)),
        ];
        cells.extend(
            extra
                .iter()
                .map(|k| Cell::text(p.details().extra.get(k).cloned().unwrap_or_default())),
        );
        Row::plain(cells)
    });
    let mut widths = vec![
        20.0, 22.0, 22.0, 20.0, 10.0, 14.0, 26.0, 16.0, 18.0, 22.0, 14.0, 22.0, 10.0, 10.0, 12.0,
        12.0, 24.0, 16.0, 24.0, 50.0,
    ];
    widths.extend(extra.iter().map(|_| 18.0));
    Table {
        top: vec![i18n::labelled(
            lang,
            &text(lang, "records.recipients_sheet"),
            org,
        )],
        headers,
        widths,
        rows,
        status_column: None,
        page_header: (org, title),
        lang,
    }
}

fn findings_table<'a>(cx: &'a Context, org: &'a str, title: &'a str) -> Table<'a> {
    let lang = cx.lang;
    let severity = move |s: Severity| {
        text(
            lang,
            match s {
                Severity::Error => "severity.error",
                Severity::Warning => "severity.warning",
                Severity::Info => "severity.info",
            },
        )
    };
    let diagnostics: Vec<&Diagnostic> = cx.sources.diagnostics.iter().collect();
    let rows = Rows::of(diagnostics, move |d| Row {
        cells: vec![
            Cell::text(format!("{} {}", d.code, d.code.name())),
            Cell::text(severity(d.severity)),
            // What the rule checks in the language; the message is in English.
            Cell::text(i18n::rule_summary(lang, d.code)),
            Cell::text(d.message.clone()),
            Cell::text(
                d.location
                    .as_ref()
                    .map(|l| l.to_string())
                    .unwrap_or_default(),
            ),
            Cell::text(d.help.clone().unwrap_or_default()),
        ],
        status: Some(match d.severity {
            Severity::Error => Status::Error,
            Severity::Warning => Status::Warning,
            Severity::Info => Status::NoTransfer,
        }),
    });
    Table {
        top: vec![i18n::labelled(
            lang,
            &text(lang, "records.findings_sheet"),
            org,
        )],
        headers: [
            "col.code",
            "col.severity",
            "col.rule",
            "col.message",
            "col.location",
            "col.help",
        ]
        .iter()
        .map(|k| text(lang, k))
        .collect(),
        widths: vec![26.0, 12.0, 40.0, 60.0, 44.0, 50.0],
        rows,
        status_column: Some(1),
        page_header: (org, title),
        lang,
    }
}

/// Extra columns of a table, in sorted order.
fn extra_keys<'a>(maps: impl Iterator<Item = &'a crate::model::Extra>) -> Vec<String> {
    maps.flat_map(|m| m.keys().cloned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

fn cover(
    ws: &mut rust_xlsxwriter::Worksheet,
    cx: &Context,
    title: &str,
    counts: &[(String, usize)],
) -> Result<(), XlsxError> {
    let lang = cx.lang;
    let register = cx.sources.register;
    let o = &register.organisation;
    let bold = Format::new().set_bold();
    let heading = Format::new().set_bold().set_font_size(16);
    let wrap = Format::new()
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    let missing = Format::new()
        .set_italic()
        .set_font_color(rust_xlsxwriter::Color::RGB(0x9C0006))
        .set_background_color(rust_xlsxwriter::Color::RGB(0xFFC7CE));
    // Labels wrap within their column (Dutch and French labels run long); each row is as
    // high as its longest cell.
    let label = Format::new()
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    let widths = |c: usize| if c == 0 { 40.0 } else { 70.0 };
    let number = Format::new().set_align(rust_xlsxwriter::FormatAlign::Top);
    ws.set_column_width(0, widths(0))?;
    ws.set_column_width(1, widths(1))?;
    ws.write_string_with_format(
        0,
        0,
        sheet::fit(&i18n::labelled(lang, title, &o.name), lang).as_ref(),
        &heading,
    )?;
    ws.write_string(
        1,
        0,
        format!(
            "{} {} · {} {} · {}",
            text(lang, "meta.as_of"),
            cx.sources.analysis.as_of,
            text(lang, "meta.reference"),
            cx.sources.analysis.reference_as_of,
            text(lang, "meta.generated_by")
        ),
    )?;
    let mut row = 3;
    for notice in &cx.sources.analysis.notices {
        ws.write_string_with_format(row, 0, i18n::notice(lang, notice), &missing)?;
        row += 1;
    }
    if !cx.sources.analysis.notices.is_empty() {
        row += 1;
    }
    ws.write_string_with_format(row, 0, text(lang, "cover.organisation"), &bold)?;
    row += 1;
    let fields: Vec<(&str, Option<String>, bool)> = vec![
        ("cover.name", Some(o.name.clone()), true),
        ("cover.role", Some(organisation_role(lang, o.role)), false),
        ("cover.address", o.address.clone(), true),
        (
            "cover.country",
            o.country.as_ref().map(|c| code(lang, c)),
            true,
        ),
        ("cover.email", o.email.clone(), true),
        ("cover.phone", o.phone.clone(), false),
        ("cover.website", o.website.clone(), false),
        ("cover.representative", o.representative.clone(), false),
        ("cover.dpo", o.dpo.clone(), true),
        ("cover.authority", o.supervisory_authority.clone(), false),
    ];
    for (key, value, required) in fields {
        let name = text(lang, key);
        let shown = value.as_deref().unwrap_or_default();
        ws.set_row_height(
            row,
            sheet::row_height([name.as_str(), shown].into_iter(), &widths),
        )?;
        ws.write_string_with_format(row, 0, name, &label)?;
        match value {
            Some(value) => {
                ws.write_string_with_format(row, 1, sheet::fit(&value, lang).as_ref(), &wrap)?
            }
            None if required => {
                ws.write_string_with_format(row, 1, text(lang, "records.not_recorded"), &missing)?
            }
            None => ws.write_string(row, 1, "")?,
        };
        row += 1;
    }
    row += 1;
    ws.write_string_with_format(row, 0, text(lang, "cover.sources"), &bold)?;
    ws.write_string_with_format(
        row,
        1,
        sheet::fit(&register.sources.join("\n"), lang).as_ref(),
        &wrap,
    )?;
    row += 2;
    ws.write_string_with_format(row, 0, text(lang, "cover.counts"), &bold)?;
    row += 1;
    for (name, count) in counts {
        ws.set_row_height(row, sheet::row_height([name.as_str()].into_iter(), &widths))?;
        ws.write_string_with_format(row, 0, name, &label)?;
        ws.write_number_with_format(row, 1, *count as f64, &number)?;
        row += 1;
    }
    row += 1;
    ws.write_string_with_format(row, 0, text(lang, "cover.legend"), &bold)?;
    row += 1;
    for key in CONTROLLER_LETTERS.into_iter().chain(PROCESSOR_LETTERS) {
        let sheet = if key.starts_with("art30.1") {
            text(lang, "records.controller_sheet")
        } else {
            text(lang, "records.processor_sheet")
        };
        let meaning = text(lang, key);
        ws.set_row_height(
            row,
            sheet::row_height([sheet.as_str(), meaning.as_str()].into_iter(), &widths),
        )?;
        ws.write_string_with_format(row, 0, sheet, &label)?;
        ws.write_string_with_format(row, 1, meaning, &wrap)?;
        row += 1;
    }
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_header(format!("&L{}&R{title}", o.name.replace('&', "&&")));
    ws.set_footer("&C&P / &N");
    Ok(())
}

/// Writes the workbook and the CSV tables for one language. Each table is made, added to the
/// workbook and written as CSV before the next is made, so only one is held at a time.
pub fn write(sources: &RecordSources, lang: Lang, dir: &Path) -> Result<Vec<PathBuf>, ExportError> {
    write_with(&Context::new(sources, lang), dir)
}

/// [`write`] with a context made already (see [`crate::export::report::report_with`]).
pub fn write_with(cx: &Context, dir: &Path) -> Result<Vec<PathBuf>, ExportError> {
    let (sources, lang) = (cx.sources, cx.lang);
    let register = sources.register;
    let org = register.organisation.name.as_str();
    let title = text(lang, "records.title");
    let mut workbook = sheet::workbook()?;
    workbook.set_properties(&workbook_properties(
        &title,
        org,
        lang,
        sources.analysis.as_of,
    )?);
    let mut used = HashSet::new();
    // The cover comes first and counts the tables, so it is filled in last.
    workbook
        .add_worksheet()
        .set_name(sheet::sheet_name(&text(lang, "records.cover"), &mut used))?;
    let mut counts = vec![(text(lang, "cover.activities"), register.activities.len())];
    let mut written = Vec::new();
    let activity_extra = extra_keys(register.activities.iter().map(|a| &a.details().extra));
    let processor_extra = extra_keys(register.processors.iter().map(|p| &p.details().extra));
    let transfers = || {
        let all: Vec<&Transfer> = sources.analysis.transfers.iter().collect();
        let top = vec![i18n::labelled(
            lang,
            &text(lang, "records.transfers_sheet"),
            org,
        )];
        transfer_table(
            all,
            &sources.analysis.category_words,
            top,
            lang,
            (org, &title),
        )
    };
    // (sheet name, cover line, CSV file stem, the table)
    type Make<'t> = &'t dyn Fn() -> Table<'t>;
    let tables: [(&str, &str, Option<&str>, Make); 6] = [
        (
            "records.controller_tab",
            "cover.controller_rows",
            Some("records-controller"),
            &|| controller_table(cx, org, &title, &activity_extra),
        ),
        (
            "records.processor_tab",
            "cover.processor_rows",
            Some("records-processor"),
            &|| processor_table(cx, org, &title),
        ),
        (
            "records.controllers_tab",
            "cover.controllers",
            Some("records-controllers"),
            &|| controllers_table(cx, org, &title),
        ),
        (
            "records.recipients_sheet",
            "cover.recipients",
            Some("records-recipients"),
            &|| recipients_table(cx, org, &title, &processor_extra),
        ),
        (
            "records.transfers_sheet",
            "cover.transfers",
            None,
            &transfers,
        ),
        ("records.findings_sheet", "cover.findings", None, &|| {
            findings_table(cx, org, &title)
        }),
    ];
    let mut held = sheet::HeldRows::default();
    for (sheet_key, count_key, csv, make) in tables {
        let table = make();
        counts.push((text(lang, count_key), table.rows.len()));
        let name = sheet::sheet_name(&text(lang, sheet_key), &mut used);
        match csv {
            // The sheet and its CSV from one pass over the rows.
            Some(stem) => written.push(super::write_streamed(
                &dir.join(file_name(stem, "csv", lang)),
                |out| {
                    let mut csv = sheet::csv_writer(out, &table.headers)?;
                    sheet::add_with_csv(&mut workbook, &mut held, &name, &table, &mut csv)?;
                    Ok(csv.flush()?)
                },
            )?),
            None => sheet::add(&mut workbook, &mut held, &name, &table)?,
        }
    }
    cover(workbook.worksheet_from_index(0)?, cx, &title, &counts)?;
    let path = dir.join(file_name("records-of-processing", "xlsx", lang));
    written.insert(0, super::write_workbook(&path, &mut workbook)?);
    Ok(written)
}
