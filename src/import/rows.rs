//! Rows of recognised tables become register entities. Every value keeps its cell; every
//! problem is a diagnostic at that cell; no row disappears without being counted.

use super::layout::{BlockRegion, Layout, Section, TableRegion, Unrecognised};
use super::meaning;
use super::recognise::{Column, closest_fields};
use super::table::{CellValue, RawTable, RowHint};
use super::values::{
    parse_legal_bases, parse_mechanisms, parse_places, parse_tristate, read_yes_no, split_list,
};
use crate::diag::{Code, Diagnostic};
use crate::model::key::name_key;
use crate::model::schema::fields;
use crate::model::{
    Activity, ActivityDetails, ActivityRole, Customer, Evidence, Extra, Flow, List, Location,
    Mechanism, Organisation, OrganisationRole, Origin, Place, Processor, ProcessorDetails,
    RecipientRole, Reference, SharedCells, SharedText, Skipped, System, TableKind, TableStats,
    Tristate, column_letters,
};
use crate::vocabulary::headings::{self, CONFIDENT};
use crate::vocabulary::words::{self, Concept};
use compact_str::CompactString;
use foldhash::{HashMap, HashMapExt};

/// Entities read from tables, before merging and linking.
#[derive(Debug, Default)]
pub struct Parsed {
    pub organisations: Vec<Organisation>,
    pub activities: Vec<Activity>,
    pub systems: Vec<System>,
    pub processors: Vec<Processor>,
    pub flows: Vec<Flow>,
    pub customers: Vec<Customer>,
    /// The organisation's DPO or representative, described apart from it.
    pub contacts: Vec<Contact>,
    /// Activities described in key/value blocks (a fiche per activity). They are merged
    /// before the table rows, so where an overview table and a detail block describe the same
    /// activity, the detail's values are kept.
    pub block_activities: Vec<Activity>,
}

impl Parsed {
    /// Appends what another table read, after what this one holds.
    pub fn append(&mut self, other: Parsed) {
        join(&mut self.organisations, other.organisations);
        join(&mut self.activities, other.activities);
        join(&mut self.systems, other.systems);
        join(&mut self.processors, other.processors);
        join(&mut self.flows, other.flows);
        join(&mut self.customers, other.customers);
        join(&mut self.contacts, other.contacts);
        join(&mut self.block_activities, other.block_activities);
    }

    /// The DPO or representative, described in `text` at `at`; nothing when the text is empty.
    fn add_contact(&mut self, field: &'static str, text: String, at: Location) {
        if !text.is_empty() {
            self.contacts.push(Contact { field, text, at });
        }
    }

    /// Appends the parts in order, each list grown once.
    pub fn append_all(&mut self, parts: Vec<Parsed>) {
        fn reserve<T>(into: &mut Vec<T>, parts: &[Parsed], list: fn(&Parsed) -> &Vec<T>) {
            into.reserve(parts.iter().map(|p| list(p).len()).sum());
        }
        reserve(&mut self.organisations, &parts, |p| &p.organisations);
        reserve(&mut self.activities, &parts, |p| &p.activities);
        reserve(&mut self.systems, &parts, |p| &p.systems);
        reserve(&mut self.processors, &parts, |p| &p.processors);
        reserve(&mut self.flows, &parts, |p| &p.flows);
        reserve(&mut self.customers, &parts, |p| &p.customers);
        reserve(&mut self.contacts, &parts, |p| &p.contacts);
        reserve(&mut self.block_activities, &parts, |p| &p.block_activities);
        for part in parts {
            self.append(part);
        }
    }
}

/// What became of a table's rows.
#[derive(Default)]
struct Counted {
    read: usize,
    used: usize,
    rejected: usize,
}

/// Rows of one table read together on one core: enough to outweigh the joining, few enough
/// that a large table keeps both cores busy.
const ROWS_AT_ONCE: usize = 4096;

/// `more` after what `into` holds; taken over whole when `into` is empty, as it is for most
/// tables (a large register's activities are a hundred megabytes to copy), unless `into` was
/// made room in for more than `more` holds: taking over would drop that room and grow the list
/// again by doubling (on L, 131,072 activities' room for 100,000).
pub fn join<T>(into: &mut Vec<T>, mut more: Vec<T>) {
    if into.is_empty() && into.capacity() <= more.capacity() {
        *into = more;
    } else {
        into.append(&mut more);
    }
}

/// The organisation's DPO or representative as a row of a contact grid (ICO) or a block titled
/// for them (CNIL): one text to put in the organisation's field.
#[derive(Debug, Clone)]
pub struct Contact {
    /// `dpo` or `representative`.
    pub field: &'static str,
    pub text: String,
    pub at: Location,
}

/// The organisation field a row label or block title stands for when it names the DPO or the
/// representative (`Data Protection Officer`, `Nom et coordonnées du délégué …`).
fn contact_role(label: &str) -> Option<&'static str> {
    headings::score(TableKind::Organisation, label)
        .into_iter()
        .find(|m| m.score >= CONFIDENT)
        .map(|m| m.field)
        .filter(|f| matches!(*f, "dpo" | "representative"))
}

/// A line on the sheet that names a company (it ends in a legal form such as `SARL`), for
/// contact blocks that describe a person rather than the organisation.
fn company_line(table: &RawTable, layout: &Layout) -> Option<(usize, String)> {
    let mut lines: Vec<usize> = layout.loose.iter().map(|(r, _)| *r).collect();
    lines.extend(
        layout
            .tables
            .iter()
            .filter_map(|t| t.title.as_ref().map(|(r, _)| *r)),
    );
    lines.extend(
        layout
            .blocks
            .iter()
            .filter_map(|b| b.title.as_ref().map(|(r, _)| *r)),
    );
    lines.sort_unstable();
    lines.into_iter().find_map(|r| {
        let raw = &table.rows[r];
        let text = raw.filled().next().and_then(|i| raw.get(i).text())?;
        (text.split_whitespace().count() <= 8
            && crate::vocabulary::names::legal_form(&text).is_some())
        .then_some((r, text))
    })
}

/// The canonical values of one entity's row, each with its cell.
struct Cells<'t> {
    values: HashMap<&'static str, (CellValue, u32, u32)>,
    row: Location,
    extra: Extra,
    /// The cell lists of the table's origins, each kept once.
    shared: &'t SharedCells,
}

impl Cells<'_> {
    fn origin(&self) -> Origin {
        Origin::with_shared_cells(
            self.row.clone(),
            self.values
                .iter()
                .map(|(key, (_, row, column))| (*key, *row, *column)),
            self.shared,
        )
    }

    fn at(&self, key: &str) -> Location {
        match self.values.get(key) {
            Some((_, row, column)) => self.row.at_row(*row).at_column(*column),
            None => self.row.clone(),
        }
    }

    fn value(&self, key: &str) -> Option<&CellValue> {
        self.values.get(key).map(|(value, _, _)| value)
    }

    fn text(&self, key: &str) -> Option<String> {
        self.value(key).and_then(CellValue::text)
    }

    /// [`Cells::text`] as a `CompactString`: ids, names and the short free text most cells
    /// hold stay inline (up to 24 bytes), with no allocation of their own.
    fn short(&self, key: &str) -> Option<CompactString> {
        self.text(key).map(CompactString::from)
    }

    fn list(&self, key: &str) -> Vec<CompactString> {
        self.text(key).map(|t| split_list(&t)).unwrap_or_default()
    }

    /// A cell's text that rows repeat, kept once for the run.
    fn shared(&self, key: &str) -> Option<SharedText> {
        self.text(key).map(SharedText::from)
    }

    /// A cell's list of texts that rows repeat, each kept once for the run, in a list as long
    /// as the items (collected in place, it would keep the room of the 24-byte words).
    fn shared_list(&self, key: &str) -> Vec<SharedText> {
        let items = self.list(key);
        let mut shared = Vec::with_capacity(items.len());
        shared.extend(items.into_iter().map(SharedText::from));
        shared
    }

    fn references(&self, key: &str) -> Vec<Reference> {
        self.list(key).into_iter().map(Reference::new).collect()
    }

    fn tristate(&self, key: &str, diagnostics: &mut Vec<Diagnostic>) -> Tristate {
        let Some(text) = self.text(key) else {
            return Tristate::Unknown;
        };
        match parse_tristate(&text) {
            Some(value) => value,
            None => {
                diagnostics.push(
                    Diagnostic::new(
                        Code::UnrecognisedValue,
                        format!("`{text}` is not yes, no or unknown; read as unknown"),
                    )
                    .at(self.at(key))
                    .help("write yes, no or unknown (ja/nein, ja/nee, oui/non also work)"),
                );
                Tristate::Unknown
            }
        }
    }

    /// yes / no / date / link: whether a DPA or TIA exists, and its evidence. Text that says
    /// none of these is kept, read as unknown, and reported.
    fn evidence(&self, key: &str, diagnostics: &mut Vec<Diagnostic>) -> Evidence {
        match self.value(key) {
            Some(CellValue::Date(date)) => Evidence::new(
                Tristate::Yes,
                Some(date.format("%Y-%m-%d").to_string()),
                None,
                None,
            ),
            Some(value) => {
                let Some(text) = value.text() else {
                    return Evidence::default();
                };
                let read = read_yes_no(&text);
                let status = read.status.unwrap_or_else(|| {
                    diagnostics.push(
                        Diagnostic::new(
                            Code::UnrecognisedValue,
                            format!("`{text}` says neither yes nor no; read as unknown"),
                        )
                        .at(self.at(key))
                        .help("write yes, no, a date or a link (signed 2024-01-02, ✅, ⏳ in progress also work)"),
                    );
                    Tristate::Unknown
                });
                // The words are kept when they say more than the status (`✓ unterzeichnet`
                // says only yes; `signed with the MSA, 2024-01-02` says more).
                let (_, rest) = words::leading_symbols(&text);
                let only_status = rest.is_empty()
                    || [
                        Concept::Yes,
                        Concept::No,
                        Concept::Unknown,
                        Concept::Pending,
                    ]
                    .into_iter()
                    .any(|c| words::is(c, rest));
                Evidence::new(
                    status,
                    read.date.map(|d| d.format("%Y-%m-%d").to_string()),
                    read.link,
                    (!only_status).then_some(text),
                )
            }
            None => Evidence::default(),
        }
    }

    /// Places in a country or locations cell; mechanisms mentioned alongside go to
    /// `mentioned`.
    fn places(
        &self,
        key: &str,
        diagnostics: &mut Vec<Diagnostic>,
        mentioned: &mut Vec<Mechanism>,
    ) -> Vec<Place> {
        let Some(text) = self.text(key) else {
            return Vec::new();
        };
        let read = parse_places(&text);
        for unknown in &read.unknown {
            diagnostics.push(
                Diagnostic::new(Code::UnknownCountry, format!("unknown country `{unknown}`"))
                    .at(self.at(key))
                    .help("write an ISO code (DE, US) or a country name; EU, EEA and worldwide are also understood"),
            );
        }
        if read.from_free_text {
            let places: Vec<String> = read.places.iter().map(Place::to_string).collect();
            diagnostics.push(
                Diagnostic::new(
                    Code::CountryFromFreeText,
                    format!("read country {} out of the text `{}`", places.join(", "), text.trim()),
                )
                .at(self.at(key))
                .help("put only the country in this cell and the transfer mechanism in its own column"),
            );
        }
        mentioned.extend(read.mechanisms.iter().copied());
        read.places
    }

    fn mechanisms(&self, key: &str, diagnostics: &mut Vec<Diagnostic>) -> Vec<Mechanism> {
        let Some(text) = self.text(key) else {
            return Vec::new();
        };
        let found = parse_mechanisms(&text);
        if found.is_empty() {
            diagnostics.push(
                Diagnostic::new(
                    Code::UnrecognisedMechanism,
                    format!("`{text}` names no transfer mechanism ropa knows"),
                )
                .at(self.at(key))
                .help("use adequacy, dpf, scc, bcr, code_of_conduct, certification, derogation or none"),
            );
        }
        found
    }

    fn required_text(
        &self,
        key: &str,
        what: &str,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<String> {
        let text = self.text(key);
        if text.is_none() && self.values.contains_key(key) {
            diagnostics.push(
                Diagnostic::new(Code::MissingRequiredValue, format!("{what} is empty"))
                    .at(self.at(key)),
            );
        }
        text
    }
}

/// What a row learns from the lines around it.
#[derive(Debug, Default, Clone, Copy)]
struct Context<'a> {
    /// The section line above it (`United States`, `Affiliates`).
    section: Option<&'a Section>,
    /// The table's title, when it tells several tables of one kind on a sheet apart
    /// (`GitHub Subsidiaries`).
    title: Option<&'a str>,
    /// The entity comes from a key/value block.
    block: bool,
}

/// Reads the regions found on one sheet into `parsed`: every table and key/value block, with
/// their counts in `stats`, and every unrecognised table as an error.
pub fn read_layout(
    table: &RawTable,
    layout: &Layout,
    parsed: &mut Parsed,
    stats: &mut Vec<TableStats>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for region in &layout.tables {
        let kind = region.header.kind;
        let titled = layout
            .tables
            .iter()
            .filter(|t| t.header.kind == kind)
            .count()
            > 1;
        stats.push(read_table(table, region, titled, parsed, diagnostics));
    }
    for block in &layout.blocks {
        stats.push(read_block(table, block, layout, parsed, diagnostics));
    }
    for region in &layout.unrecognised {
        diagnostics.push(unrecognised(table, region));
    }
}

/// One entity from its cells, into `parsed`; `false` when the row cannot be used.
fn add_entity(
    kind: TableKind,
    cells: &Cells,
    name_from_purpose: bool,
    context: Context,
    parsed: &mut Parsed,
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    match kind {
        TableKind::Organisation => organisation(cells, diagnostics)
            .map(|o| parsed.organisations.push(o))
            .is_some(),
        TableKind::Activities => activity(cells, name_from_purpose, diagnostics)
            .map(|a| {
                if context.block {
                    parsed.block_activities.push(a)
                } else {
                    parsed.activities.push(a)
                }
            })
            .is_some(),
        TableKind::Systems => system(cells, diagnostics)
            .map(|s| parsed.systems.push(s))
            .is_some(),
        TableKind::Processors => processor(cells, context, diagnostics)
            .map(|p| parsed.processors.push(p))
            .is_some(),
        TableKind::Flows => flow(cells, diagnostics)
            .map(|f| parsed.flows.push(f))
            .is_some(),
        TableKind::Customers => customer(cells, diagnostics)
            .map(|c| parsed.customers.push(c))
            .is_some(),
    }
}

/// Reads every data row of a table region, and reports what happened.
fn read_table(
    table: &RawTable,
    region: &TableRegion,
    titled: bool,
    parsed: &mut Parsed,
    diagnostics: &mut Vec<Diagnostic>,
) -> TableStats {
    let kind = region.header.kind;
    let header = &table.rows[region.header.row];
    let header_location = table.location.at_row(header.number);
    let mut stats = TableStats {
        kind,
        location: table.location.clone(),
        header_row: Some(header.number),
        read: 0,
        used: 0,
        rejected: 0,
        skipped: region.skipped,
    };
    let columns = name_unheaded_columns(table, &region.header.columns);
    let by_key: HashMap<&'static str, usize> = columns
        .iter()
        .filter_map(|c| c.key.map(|k| (k, c.index)))
        .collect();
    let mut present: Vec<&'static str> = by_key.keys().copied().collect();
    // Where a list keeps its places in `locations` or in section lines, the seat is not
    // missing from the table, only from some rows.
    let sections_place_every_row = !region.rows.is_empty()
        && region
            .rows
            .iter()
            .all(|(_, s)| s.is_some_and(|s| !region.sections[s].places.is_empty()));
    if kind == TableKind::Processors && (present.contains(&"locations") || sections_place_every_row)
    {
        present.push("country");
    }
    // The organisation is checked once, whole, after all its sources are merged.
    if kind != TableKind::Organisation {
        report_missing_columns(table, kind, &present, header_location.clone(), diagnostics);
    }
    report_extra_columns(&columns, &header_location, diagnostics);
    report_guesses(table, kind, header.number, &columns, diagnostics);
    let name_from_purpose = kind == TableKind::Activities
        && !by_key.contains_key("name")
        && by_key.contains_key("purpose");
    if name_from_purpose {
        diagnostics.push(
            Diagnostic::new(
                Code::NameFromPurpose,
                "no activity-name column: each activity is named after its purpose",
            )
            .at(header_location.clone()),
        );
    }
    report_sections(table, region, diagnostics);
    // A title tells tables apart when it is a heading or a line of its own, not a sentence.
    let title = region
        .title
        .as_ref()
        .filter(|(row, _)| titled && table.rows[*row].hint != RowHint::Prose)
        .map(|(_, t)| t.as_str());

    // In an organisation table rows labelled for the DPO or the representative (the ICO's
    // contact grid) describe those people, not the organisation.
    let label_column = columns
        .iter()
        .find(|c| c.key.is_none())
        .map(|c| c.index)
        .filter(|_| kind == TableKind::Organisation);
    // Rows are read a chunk at a time on whichever core is free, and joined in table order.
    let read_rows = |rows: &[(usize, Option<usize>)],
                     parsed: &mut Parsed,
                     diagnostics: &mut Vec<Diagnostic>,
                     counted: &mut Counted| {
        let shared = SharedCells::default();
        for &(row, section) in rows {
            let raw = &table.rows[row];
            counted.read += 1;
            if let Some(label) = label_column.and_then(|i| raw.get(i).text())
                && let Some(field) = contact_role(&label)
            {
                let text = columns
                    .iter()
                    .filter(|c| c.key.is_some())
                    .filter_map(|c| raw.get(c.index).text())
                    .collect::<Vec<_>>()
                    .join(", ");
                parsed.add_contact(
                    field,
                    text,
                    table.cell(raw.number, label_column.unwrap_or(0)),
                );
                counted.used += 1;
                continue;
            }
            let mut values = HashMap::new();
            let mut extra = Extra::new();
            for column in &columns {
                let value = raw.get(column.index);
                if let CellValue::Error(error) = value {
                    diagnostics.push(
                        Diagnostic::new(
                            Code::ErrorCell,
                            format!("the cell holds the error {error}; read as empty"),
                        )
                        .at(table.cell(raw.number, column.index))
                        .help("fix the formula or type the value"),
                    );
                    continue;
                }
                match column.key {
                    Some(key) => {
                        values.insert(
                            key,
                            (value.clone(), raw.number, table.column_of(column.index)),
                        );
                    }
                    None => {
                        if let Some(text) = value.text() {
                            extra.insert(column.heading.clone(), text);
                        }
                    }
                }
            }
            // Cells beyond the header's width still hold data: keep them.
            for index in columns.len()..raw.cells.len() {
                if let Some(text) = raw.get(index).text() {
                    extra.insert(
                        format!("Column {}", column_letters(table.column_of(index))),
                        text,
                    );
                }
            }
            let cells = Cells {
                values,
                row: table.location.at_row(raw.number),
                extra,
                shared: &shared,
            };
            let context = Context {
                section: section.map(|s| &region.sections[s]),
                title,
                block: false,
            };
            if add_entity(
                kind,
                &cells,
                name_from_purpose,
                context,
                parsed,
                diagnostics,
            ) {
                counted.used += 1;
            } else {
                counted.rejected += 1;
            }
        }
    };
    let mut counted = Counted::default();
    if region.rows.len() <= ROWS_AT_ONCE {
        read_rows(&region.rows, parsed, diagnostics, &mut counted);
    } else {
        use rayon::prelude::*;
        let parts: Vec<(Parsed, Vec<Diagnostic>, Counted)> = region
            .rows
            .par_chunks(ROWS_AT_ONCE)
            .map(|rows| {
                let mut part = (Parsed::default(), Vec::new(), Counted::default());
                read_rows(rows, &mut part.0, &mut part.1, &mut part.2);
                part
            })
            .collect();
        let mut entities = Vec::with_capacity(parts.len());
        for (part, found, part_counted) in parts {
            entities.push(part);
            diagnostics.extend(found);
            counted.read += part_counted.read;
            counted.used += part_counted.used;
            counted.rejected += part_counted.rejected;
        }
        parsed.append_all(entities);
    }
    stats.read += counted.read;
    stats.used += counted.used;
    stats.rejected += counted.rejected;
    stats
}

/// Numbering in front of a title (`1.`, `2)`, `A3 -`) is the entity's id.
fn numbered(title: &str) -> (Option<String>, String) {
    let title = title.trim();
    let end = title
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric()) || c.is_whitespace())
        .map(|(i, _)| i)
        .unwrap_or(title.len());
    let (number, rest) = title.split_at(end);
    let rest_trimmed = rest.trim_start_matches(['.', ')', ':', '-', '–', ' ']);
    let has_digit = number.chars().any(|c| c.is_ascii_digit());
    if has_digit && number.len() <= 6 && !rest_trimmed.is_empty() && rest_trimmed.len() < rest.len()
    {
        (Some(number.to_string()), rest_trimmed.trim().to_string())
    } else {
        (None, title.to_string())
    }
}

/// Reads a key/value block as one organisation or activity.
fn read_block(
    table: &RawTable,
    block: &BlockRegion,
    layout: &Layout,
    parsed: &mut Parsed,
    diagnostics: &mut Vec<Diagnostic>,
) -> TableStats {
    let kind = block.kind;
    let first = &table.rows[block.lines[0].row];
    let read = block.lines.len();
    let stats = |used: bool| TableStats {
        kind,
        location: table.location.clone(),
        header_row: None,
        read,
        used: if used { read } else { 0 },
        rejected: if used { 0 } else { read },
        skipped: Skipped {
            titles: usize::from(block.title.is_some()),
            ..Skipped::default()
        },
    };
    // A block titled for the DPO or the representative describes that person.
    if kind == TableKind::Organisation
        && let Some(field) = block.title.as_ref().and_then(|(_, t)| contact_role(t))
    {
        let text = block
            .lines
            .iter()
            .filter_map(|l| l.value.text())
            .collect::<Vec<_>>()
            .join(", ");
        parsed.add_contact(field, text, table.cell(first.number, block.lines[0].column));
        return stats(true);
    }
    let mut values: HashMap<&'static str, (CellValue, u32, u32)> = HashMap::new();
    let mut extra = Extra::new();
    for line in &block.lines {
        let raw = &table.rows[line.row];
        if let CellValue::Error(error) = &line.value {
            diagnostics.push(
                Diagnostic::new(
                    Code::ErrorCell,
                    format!("the cell holds the error {error}; read as empty"),
                )
                .at(table.cell(raw.number, line.column)),
            );
            continue;
        }
        let field = headings::score(kind, &line.key)
            .into_iter()
            .filter(|m| m.score >= CONFIDENT)
            .map(|m| m.field)
            .find(|f| match values.get(f) {
                None => true,
                // A key line without a value (`Angaben zum Verantwortlichen`) does not take
                // the field from the line that has one.
                Some((value, _, _)) => value.is_empty() || crate::model::schema::is_list(f),
            });
        // A list given on several lines (`Destinataires internes`, `Sous-traitants`) is one
        // list; its cell is the first line's.
        if let Some(field) = field
            && let Some((CellValue::Text(existing), _, _)) = values.get_mut(field)
            && !existing.trim().is_empty()
        {
            if let Some(more) = line.value.text() {
                existing.push('\n');
                existing.push_str(&more);
            }
            continue;
        }
        match field {
            Some(field) => {
                values.insert(
                    field,
                    (line.value.clone(), raw.number, table.column_of(line.column)),
                );
            }
            None => {
                if let Some(text) = line.value.text() {
                    extra.insert(line.key.clone(), text);
                }
            }
        }
    }
    // The title line names an activity that has no name line.
    if kind == TableKind::Activities
        && let Some((row, title)) = &block.title
    {
        let (id, name) = numbered(title);
        let raw = &table.rows[*row];
        let column = raw.filled().next().unwrap_or(0);
        let at = (raw.number, table.column_of(column));
        values
            .entry("name")
            .or_insert((CellValue::Text(name), at.0, at.1));
        if let Some(id) = id {
            values
                .entry("id")
                .or_insert((CellValue::Text(id), at.0, at.1));
        }
    }
    // A contact block of a person (a first name beside the name) gives the organisation's
    // contact; the organisation's own name is the line on the sheet that names a company.
    if kind == TableKind::Organisation
        && let Some((CellValue::Text(first_name), _, _)) = values.remove("first_name")
    {
        let surname = values
            .remove("name")
            .and_then(|(v, _, _)| v.text())
            .unwrap_or_default();
        extra.insert(
            "Contact person".to_string(),
            format!("{first_name} {surname}").trim().to_string(),
        );
        if let Some((row, text)) = company_line(table, layout) {
            let raw = &table.rows[row];
            let column = table.column_of(raw.filled().next().unwrap_or(0));
            values.insert("name", (CellValue::Text(text), raw.number, column));
        }
    }
    let cells = Cells {
        values,
        row: table.location.at_row(first.number),
        extra,
        shared: &SharedCells::default(),
    };
    let used = add_entity(
        kind,
        &cells,
        kind == TableKind::Activities && !cells.values.contains_key("name"),
        Context {
            block: true,
            ..Context::default()
        },
        parsed,
        diagnostics,
    );
    stats(used)
}

/// A table of data that matches no register table: an error that lists its headings and
/// what they come closest to.
fn unrecognised(table: &RawTable, region: &Unrecognised) -> Diagnostic {
    let first = &table.rows[region.rows[0]];
    let headings: Vec<String> = first.filled().filter_map(|i| first.get(i).text()).collect();
    let close: Vec<String> = headings
        .iter()
        .filter_map(|h| {
            let fields = closest_fields(h);
            (!fields.is_empty()).then(|| format!("`{h}` ~ {}", fields.join(" or ")))
        })
        .collect();
    let where_ = if table.location.sheet().is_some() {
        format!("sheet `{}`", table.name)
    } else {
        format!("`{}`", table.name)
    };
    let last = table.rows[*region.rows.last().unwrap_or(&region.rows[0])].number;
    let mut help = format!(
        "headings found: {}",
        headings
            .iter()
            .map(|h| format!("`{}`", h.replace('\n', " ")))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if close.is_empty() {
        help.push_str("; none of them names a register field. A table needs headings such as `Name`, `Purpose`, `Service`, `Country` (see docs/register-format.md)");
    } else {
        help.push_str(&format!("; closest fields: {}", close.join("; ")));
    }
    Diagnostic::new(
        Code::UnrecognisedTable,
        format!(
            "{where_} holds a table ropa does not recognise (rows {}–{last}); its {} rows are not used",
            first.number,
            region.rows.len()
        ),
    )
    .at(table.location.at_row(first.number))
    .help(help)
}

/// Info on every column whose field was a judgement call.
fn report_guesses(
    table: &RawTable,
    kind: TableKind,
    header_row: u32,
    columns: &[Column],
    diagnostics: &mut Vec<Diagnostic>,
) {
    for column in columns.iter().filter(|c| c.is_guess()) {
        let (Some(key), Some(m)) = (column.key, &column.matched) else {
            continue;
        };
        let mut message = format!(
            "heading `{}` read as the {} field `{key}` (matched {})",
            column.heading.replace('\n', " "),
            kind.name(),
            m.cues
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        if let Some(other) = &column.runner_up {
            message.push_str(&format!("; it could also be `{}`", other.field));
        }
        diagnostics.push(
            Diagnostic::new(Code::HeadingGuessed, message)
                .at(table.cell(header_row, column.index))
                .help("rename the heading to the field's name if ropa guessed wrong"),
        );
    }
}

/// Info on every section line: what it applies to.
fn report_sections(table: &RawTable, region: &TableRegion, diagnostics: &mut Vec<Diagnostic>) {
    for (i, section) in region.sections.iter().enumerate() {
        let rows: Vec<u32> = region
            .rows
            .iter()
            .filter(|(_, s)| *s == Some(i))
            .map(|(r, _)| table.rows[*r].number)
            .collect();
        let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
            continue;
        };
        let meaning = if section.places.is_empty() {
            "a group".to_string()
        } else {
            format!(
                "the place {} for rows that name none",
                section
                    .places
                    .iter()
                    .map(Place::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let raw = &table.rows[section.row];
        diagnostics.push(
            Diagnostic::new(
                Code::SectionLine,
                format!(
                    "`{}` is a section line, read as {meaning}: rows {first}–{last}",
                    section.text
                ),
            )
            .at(table.cell(raw.number, raw.filled().next().unwrap_or(0))),
        );
    }
}

/// Columns with an empty heading but data below are named after their letter.
fn name_unheaded_columns(table: &RawTable, columns: &[Column]) -> Vec<Column> {
    columns
        .iter()
        .map(|c| {
            let mut column = c.clone();
            if column.heading.trim().is_empty() {
                column.heading = format!("Column {}", column_letters(table.column_of(c.index)));
            }
            column
        })
        .collect()
}

fn report_missing_columns(
    table: &RawTable,
    kind: TableKind,
    present: &[&'static str],
    at: Location,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for field in fields(kind) {
        if !field.required || present.contains(&field.key) {
            continue;
        }
        let consequence = match (kind, field.key) {
            (TableKind::Activities, "name") if present.contains(&"purpose") => continue,
            (_, "name" | "from" | "to") => "; its rows cannot be used",
            _ => "",
        };
        let headings = headings::examples(kind, field.key, 3);
        diagnostics.push(
            Diagnostic::new(
                Code::MissingRequiredColumn,
                format!(
                    "the {} table `{}` has no `{}` column{consequence}",
                    kind.name(),
                    table.name,
                    field.key
                ),
            )
            .at(at.clone())
            .help(format!(
                "add a column headed, for example, `{}`",
                headings.join("`, `")
            )),
        );
    }
}

fn report_extra_columns(columns: &[Column], at: &Location, diagnostics: &mut Vec<Diagnostic>) {
    let extra: Vec<&str> = columns
        .iter()
        .filter(|c| c.key.is_none() && !c.heading.starts_with("Column "))
        .map(|c| c.heading.as_str())
        .filter(|h| !h.trim().is_empty())
        .collect();
    if !extra.is_empty() {
        diagnostics.push(
            Diagnostic::new(
                Code::ExtraColumns,
                format!(
                    "kept as extra attributes: {}",
                    extra
                        .iter()
                        .map(|h| format!("`{}`", h.replace('\n', " ")))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .at(at.clone()),
        );
    }
}

fn organisation(cells: &Cells, diagnostics: &mut Vec<Diagnostic>) -> Option<Organisation> {
    let Some(name) = cells.required_text("name", "the organisation's name", diagnostics) else {
        if cells.text("name").is_none() {
            diagnostics.push(
                Diagnostic::new(Code::MissingRequiredValue, "the organisation has no name")
                    .at(cells.row.clone()),
            );
        }
        return None;
    };
    let role = match cells.text("role") {
        None => OrganisationRole::Controller,
        Some(text) => match parse_organisation_role(&text) {
            Some(role) => role,
            None => {
                diagnostics.push(
                    Diagnostic::new(
                        Code::UnrecognisedValue,
                        format!("`{text}` is not a role; read as controller"),
                    )
                    .at(cells.at("role"))
                    .help("write controller, processor or both"),
                );
                OrganisationRole::Controller
            }
        },
    };
    let mut ignored = Vec::new();
    let mut country = cells
        .places("country", diagnostics, &mut ignored)
        .into_iter()
        .next();
    // Controller blocks often give the country only as the last line of the address.
    if country.is_none()
        && cells.text("country").is_none()
        && let Some(address) = cells.text("address")
        && let Some(place) = crate::vocabulary::places::index()
            .scan(&address)
            .into_iter()
            .rfind(|p| matches!(p, Place::Country(_)))
    {
        diagnostics.push(
            Diagnostic::new(
                Code::CountryFromFreeText,
                format!("the organisation's country {place} is read from its address"),
            )
            .at(cells.at("address"))
            .severity(crate::diag::Severity::Info)
            .help("give the country its own line or column to be sure"),
        );
        country = Some(place);
    }
    if country.is_none() && cells.values.contains_key("country") && cells.text("country").is_none()
    {
        diagnostics.push(
            Diagnostic::new(
                Code::MissingRequiredValue,
                "the organisation's country is empty",
            )
            .at(cells.at("country")),
        );
    }
    // `Adresse`, `CP` and `Ville` on three lines are one postal address.
    let address = [
        cells.text("address"),
        [cells.text("postcode"), cells.text("city")]
            .into_iter()
            .flatten()
            .reduce(|a, b| format!("{a} {b}")),
    ]
    .into_iter()
    .flatten()
    .reduce(|a, b| format!("{a}, {b}"));
    // An e-mail address written among other contact details (`privacy@… – PEC … – tel …`).
    let email = cells.text("email").or_else(|| {
        ["phone", "address", "website"]
            .iter()
            .filter_map(|k| cells.text(k))
            .chain(cells.extra.values().cloned())
            .find_map(|text| email_in(&text))
    });
    Some(Organisation {
        name,
        role,
        address,
        country,
        email,
        phone: cells.text("phone"),
        website: cells.text("website"),
        representative: cells.text("representative"),
        dpo: cells.text("dpo"),
        supervisory_authority: cells.text("supervisory_authority"),
        extra: cells.extra.clone(),
        origin: Some(cells.origin()),
    })
}

/// A role cell in six languages (`verwerker en verwerkingsverantwoordelijke` is both).
/// The first e-mail address in a text, with its local part and domain.
fn email_in(text: &str) -> Option<String> {
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '<' | '>' | '(' | ')' | '–'))
        .find(|w| {
            w.split_once('@')
                .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'))
        })
        .map(|w| w.trim_end_matches('.').to_string())
}

fn parse_organisation_role(text: &str) -> Option<OrganisationRole> {
    let has = |c| words::is(c, text) || words::contains(c, text);
    if words::is(Concept::RoleBoth, text)
        || (has(Concept::RoleController) && has(Concept::RoleProcessor))
    {
        Some(OrganisationRole::Both)
    } else if has(Concept::RoleProcessor) || has(Concept::RoleSubProcessor) {
        Some(OrganisationRole::Processor)
    } else if has(Concept::RoleController) {
        Some(OrganisationRole::Controller)
    } else {
        None
    }
}

fn parse_activity_role(text: &str) -> Option<ActivityRole> {
    match parse_organisation_role(text)? {
        OrganisationRole::Processor => Some(ActivityRole::Processor),
        OrganisationRole::Controller => Some(ActivityRole::Controller),
        OrganisationRole::Both => None,
    }
}

/// What a recipient is, in six languages.
fn parse_recipient_role(text: &str) -> Option<RecipientRole> {
    let has = |c| words::is(c, text) || words::contains(c, text);
    if has(Concept::RoleJointController) {
        Some(RecipientRole::JointController)
    } else if has(Concept::RoleSubProcessor) {
        Some(RecipientRole::SubProcessor)
    } else if has(Concept::RoleProcessor) {
        Some(RecipientRole::Processor)
    } else if has(Concept::RoleController) || has(Concept::RoleRecipient) {
        Some(RecipientRole::Controller)
    } else {
        None
    }
}

/// A name with runs of spaces and tabs collapsed (`Twilio     (SendGrid)`); line breaks stay.
fn collapse_spaces(name: &str) -> String {
    name.lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The key of an entity: its id when given, else its normalised name.
fn entity_key(id: &Option<CompactString>, name: &str) -> CompactString {
    match id {
        Some(id) => name_key(id),
        None => name_key(name),
    }
}

fn activity(
    cells: &Cells,
    name_from_purpose: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Activity> {
    let purpose = cells.text("purpose");
    let name = if name_from_purpose {
        purpose
            .as_deref()
            .and_then(|p| p.lines().map(str::trim).find(|l| !l.is_empty()))
            .map(str::to_string)
    } else {
        cells.text("name")
    };
    let Some(name) = name else {
        diagnostics.push(
            Diagnostic::new(
                Code::MissingRequiredValue,
                "this activity has no name; the row is not used",
            )
            .at(cells.at(if name_from_purpose { "purpose" } else { "name" }))
            .help("give every activity a name"),
        );
        return None;
    };
    if purpose.is_none() && !name_from_purpose {
        cells.required_text("purpose", &format!("the purpose of `{name}`"), diagnostics);
    }
    let data_subjects = cells.shared_list("data_subjects");
    if data_subjects.is_empty() {
        cells.required_text(
            "data_subjects",
            &format!("the data subjects of `{name}`"),
            diagnostics,
        );
    }
    let data_categories = cells.list("data_categories");
    if data_categories.is_empty() {
        cells.required_text(
            "data_categories",
            &format!("the data categories of `{name}`"),
            diagnostics,
        );
    }
    let role = match cells.text("role") {
        None => ActivityRole::Controller,
        Some(text) => parse_activity_role(&text).unwrap_or_else(|| {
            diagnostics.push(
                Diagnostic::new(
                    Code::UnrecognisedValue,
                    format!("`{text}` is not an activity role; read as controller"),
                )
                .at(cells.at("role"))
                .help("write controller or processor"),
            );
            ActivityRole::Controller
        }),
    };
    let controllers_text = cells.text("controllers");
    let all_controllers = controllers_text
        .as_deref()
        .is_some_and(|t| words::is(Concept::AllCustomers, t));
    let controllers = if all_controllers {
        Vec::new()
    } else {
        cells.references("controllers")
    };
    let legal_basis_text = cells.text("legal_basis");
    let legal_basis = legal_basis_text
        .as_deref()
        .map(parse_legal_bases)
        .unwrap_or_default();
    if let Some(text) = &legal_basis_text
        && legal_basis.is_empty()
    {
        diagnostics.push(
                Diagnostic::new(
                    Code::UnrecognisedLegalBasis,
                    format!("`{text}` names no Art. 6(1) legal basis"),
                )
                .at(cells.at("legal_basis"))
                .help("write consent, contract, legal obligation, vital interests, public task or legitimate interests, or a reference such as 6(1)(f)"),
            );
    }
    let data_categories = meaning::categories(data_categories);
    let special = meaning::special(
        &data_categories,
        cells.text("special_categories").as_deref(),
        cells.text("art9_condition").as_deref(),
        legal_basis_text.as_deref(),
    );
    let transfer_safeguards = cells.text("transfer_safeguards");
    let transfers = meaning::stated_transfers(
        cells.text("transfer_countries").as_deref(),
        transfer_safeguards.as_deref(),
    );
    report_vague_places(
        cells,
        "transfer_countries",
        transfers.iter().map(|t| &t.place),
        diagnostics,
    );
    let id = cells.short("id");
    let mut activity = Activity {
        key: entity_key(&id, &name),
        id,
        name: name.into(),
        role,
        controllers: controllers.into(),
        all_controllers,
        purpose: purpose.map(Into::into),
        legal_basis: legal_basis.into(),
        legal_basis_text: legal_basis_text.map(SharedText::from),
        data_subjects: data_subjects.into(),
        data_categories: data_categories.into(),
        recipients: cells.references("recipients").into(),
        systems: cells.references("systems").into(),
        retention: cells.shared("retention"),
        security: cells.shared("security"),
        department: cells.shared("department"),
        details: None,
        origin: cells.origin(),
    };
    activity.set_details(ActivityDetails {
        special_categories: special.categories,
        art9_condition: cells.short("art9_condition"),
        art9_conditions: special.art9_conditions,
        art10_basis: special.art10_basis,
        recipient_categories: Vec::new(),
        transfers,
        transfer_safeguards: transfer_safeguards.map(Into::into),
        joint_controllers: cells.short("joint_controllers"),
        source: cells.short("source"),
        dpia: cells.short("dpia"),
        extra: cells.extra.clone(),
    });
    Some(activity)
}

/// A warning for every place that says where data goes only vaguely: `Europe` may include
/// countries outside the EEA, `worldwide` says nothing, `outside the EU` names no country.
fn report_vague_places<'a>(
    cells: &Cells,
    field: &str,
    places: impl Iterator<Item = &'a Place>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for place in places.filter(|p| p.is_vague()) {
        let what = match place {
            Place::OutsideEea => "a third country it does not name",
            Place::Europe => "Europe, which includes countries outside the EEA",
            _ => "anywhere in the world",
        };
        diagnostics.push(
            Diagnostic::new(
                Code::VaguePlace,
                format!("the cell says only that data goes to {what}; it is judged as an unknown third country"),
            )
            .at(cells.at(field))
            .help("name the country (or the cloud region, such as eu-central-1)"),
        );
    }
}

fn missing_name(cells: &Cells, what: &str, diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.push(
        Diagnostic::new(
            Code::MissingRequiredValue,
            format!("this {what} has no name; the row is not used"),
        )
        .at(cells.at("name"))
        .help(format!("give every {what} a name, or delete the row")),
    );
}

fn system(cells: &Cells, diagnostics: &mut Vec<Diagnostic>) -> Option<System> {
    let Some(name) = cells.text("name") else {
        missing_name(cells, "system", diagnostics);
        return None;
    };
    let mut ignored = Vec::new();
    let id = cells.short("id");
    Some(System {
        key: entity_key(&id, &name),
        id,
        name: name.into(),
        description: cells.short("description"),
        hosted_by: cells.text("hosted_by").map(Reference::new),
        locations: cells.places("locations", diagnostics, &mut ignored).into(),
        data_categories: meaning::categories(cells.list("data_categories")).into(),
        owner: cells.shared("owner"),
        extra: cells.extra.clone(),
        origin: cells.origin(),
    })
}

fn processor(
    cells: &Cells,
    context: Context,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Processor> {
    let Some(name) = cells.text("name").map(|n| collapse_spaces(&n)) else {
        missing_name(cells, "processor", diagnostics);
        return None;
    };
    if cells.text("service").is_none() {
        cells.required_text("service", &format!("the service of `{name}`"), diagnostics);
    }
    let mut mentioned = Vec::new();
    let mut country_places = cells.places("country", diagnostics, &mut mentioned);
    let mut locations = cells.places("locations", diagnostics, &mut mentioned);
    // A location cell naming several countries gives where data is processed, not a seat.
    if country_places.len() > 1 && locations.is_empty() {
        locations = std::mem::take(&mut country_places);
    }
    // A list without a country column says where its rows are in section lines.
    let section_places = context.section.map(|s| s.places.as_slice()).unwrap_or(&[]);
    if country_places.is_empty()
        && locations.is_empty()
        && cells.text("country").is_none()
        && !section_places.is_empty()
    {
        country_places = section_places.to_vec();
    } else if country_places.is_empty() && cells.text("country").is_none() && locations.is_empty() {
        cells.required_text("country", &format!("the country of `{name}`"), diagnostics);
    }
    let country = if country_places.len() == 1 {
        country_places.first().cloned()
    } else {
        if locations.is_empty() {
            locations = country_places;
        }
        None
    };
    let transfer_mechanism_text = cells.text("transfer_mechanism");
    let mut transfer_mechanisms = cells.mechanisms("transfer_mechanism", diagnostics);
    if transfer_mechanism_text.is_none() && !mentioned.is_empty() {
        let names: Vec<String> = mentioned.iter().map(Mechanism::to_string).collect();
        diagnostics.push(
            Diagnostic::new(
                Code::CountryFromFreeText,
                format!(
                    "read transfer mechanism {} from the location text of `{name}`",
                    names.join(", ")
                ),
            )
            .at(cells.at("country"))
            .help("record the mechanism in its own column (Transfer mechanism / Garantien)"),
        );
        transfer_mechanisms = mentioned;
    } else if transfer_mechanism_text.is_none()
        && let Some(dpa) = cells.text("dpa")
    {
        // `Yes (with SCCs)` in a DPA column, when there is no mechanism column: a DPA that
        // incorporates the clauses is how many published lists state the tool.
        let named: Vec<Mechanism> = parse_mechanisms(&dpa)
            .into_iter()
            .filter(|m| *m != Mechanism::None)
            .collect();
        if !named.is_empty() {
            let names: Vec<String> = named.iter().map(Mechanism::to_string).collect();
            diagnostics.push(
                Diagnostic::new(
                    Code::CountryFromFreeText,
                    format!(
                        "read transfer mechanism {} from the DPA cell of `{name}`",
                        names.join(", ")
                    ),
                )
                .at(cells.at("dpa"))
                .help("record the mechanism in its own column (Transfer mechanism / Garantien)"),
            );
            transfer_mechanisms = named;
        }
    }
    // `US (DPF certified)` in a place or mechanism cell, when there is no DPF column.
    let mut dpf_certified = cells.tristate("dpf_certified", diagnostics);
    if dpf_certified == Tristate::Unknown
        && ["country", "locations", "transfer_mechanism"]
            .iter()
            .filter_map(|k| cells.text(k))
            .any(|t| meaning::says_dpf_certified(&t))
    {
        dpf_certified = Tristate::Yes;
    }
    report_vague_places(
        cells,
        if locations.is_empty() {
            "country"
        } else {
            "locations"
        },
        country.iter().chain(&locations),
        diagnostics,
    );
    let role = match cells.text("role") {
        None => RecipientRole::Processor,
        Some(text) => parse_recipient_role(&text).unwrap_or_else(|| {
            diagnostics.push(
                Diagnostic::new(
                    Code::UnrecognisedValue,
                    format!("`{text}` is not a recipient role; read as processor"),
                )
                .at(cells.at("role"))
                .help("write processor, sub_processor, controller or joint_controller"),
            );
            RecipientRole::Processor
        }),
    };
    let mut notes: Vec<String> = cells.text("notes").into_iter().collect();
    let mut sub_processors = Vec::new();
    for item in cells.list("sub_processors") {
        if super::values::is_pointer(&item) {
            diagnostics.push(
                Diagnostic::new(
                    Code::SubProcessorPointer,
                    format!("`{item}` among the sub-processors of `{name}` points elsewhere; kept as a note"),
                )
                .at(cells.at("sub_processors"))
                .help("list the sub-processors by name so onward transfers can be analysed"),
            );
            notes.push(item.to_string());
        } else {
            sub_processors.push(Reference::new(item));
        }
    }
    let id = cells.short("id");
    let mut processor = Processor {
        key: entity_key(&id, &name),
        id,
        name: name.into(),
        legal_entity: cells.short("legal_entity"),
        service: cells.shared("service"),
        groups: match cells.shared("group") {
            Some(group) => List::from([group]),
            None => context
                .section
                .filter(|s| !s.prose)
                .map(|s| SharedText::from(s.text.as_str()))
                .or_else(|| context.title.map(SharedText::from))
                .into_iter()
                .collect(),
        },
        country,
        locations: locations.into(),
        data_categories: meaning::categories(cells.list("data_categories")).into(),
        role,
        dpa: cells.evidence("dpa", diagnostics),
        transfer_mechanisms: transfer_mechanisms.into(),
        transfer_mechanism_text: transfer_mechanism_text.map(SharedText::from),
        dpf_certified,
        dpf_hr: cells.tristate("dpf_hr", diagnostics),
        tia: cells.evidence("tia", diagnostics),
        encryption_in_transit: cells.tristate("encryption_in_transit", diagnostics),
        encryption_at_rest: cells.tristate("encryption_at_rest", diagnostics),
        certifications: cells.shared_list("certifications").into(),
        retention: cells.shared("retention"),
        implicit: false,
        details: None,
        origin: cells.origin(),
    };
    processor.set_details(ProcessorDetails {
        parent: cells.text("parent").map(Reference::new),
        sub_processors,
        url: cells.short("url"),
        notes,
        extra: cells.extra.clone(),
    });
    Some(processor)
}

fn flow(cells: &Cells, diagnostics: &mut Vec<Diagnostic>) -> Option<Flow> {
    let (Some(from), Some(to)) = (cells.text("from"), cells.text("to")) else {
        let missing = if cells.text("from").is_none() {
            "from"
        } else {
            "to"
        };
        diagnostics.push(
            Diagnostic::new(
                Code::MissingRequiredValue,
                format!("this flow has no `{missing}`; the row is not used"),
            )
            .at(cells.at(missing)),
        );
        return None;
    };
    Some(Flow {
        from: Reference::new(from),
        to: Reference::new(to),
        data_categories: meaning::categories(cells.list("data_categories")),
        activity: cells.text("activity").map(Reference::new),
        encrypted: cells.tristate("encrypted", diagnostics),
        transfer_mechanisms: cells.mechanisms("transfer_mechanism", diagnostics),
        notes: cells.text("notes"),
        extra: cells.extra.clone(),
        origin: cells.origin(),
    })
}

fn customer(cells: &Cells, diagnostics: &mut Vec<Diagnostic>) -> Option<Customer> {
    let Some(name) = cells.text("name") else {
        missing_name(cells, "customer", diagnostics);
        return None;
    };
    let mut ignored = Vec::new();
    let id = cells.short("id");
    Some(Customer {
        key: entity_key(&id, &name),
        id,
        name: name.into(),
        contact: cells.short("contact"),
        country: cells
            .places("country", diagnostics, &mut ignored)
            .into_iter()
            .next(),
        representative: cells.short("representative"),
        dpo: cells.short("dpo"),
        extra: cells.extra.clone(),
        origin: cells.origin(),
    })
}
