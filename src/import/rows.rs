//! Rows of recognised tables become register entities. Every value keeps its cell; every
//! problem is a diagnostic at that cell; no row disappears without being counted.

use super::recognise::{Column, Layout, Recognised};
use super::schema::{keys_for_heading, schema};
use super::table::{CellValue, RawTable};
use super::values::{
    is_link, is_pending, parse_date, parse_legal_bases, parse_mechanisms, parse_places,
    parse_tristate, split_list,
};
use crate::diag::{Code, Diagnostic};
use crate::model::key::{fold, name_key};
use crate::model::{
    Activity, ActivityRole, Customer, Evidence, Extra, Flow, Location, Mechanism, Organisation,
    OrganisationRole, Origin, Place, Processor, RecipientRole, Reference, System, TableKind,
    TableStats, Tristate, column_letters,
};
use std::collections::HashMap;

/// Entities read from tables, before merging and linking.
#[derive(Debug, Default)]
pub struct Parsed {
    pub organisations: Vec<Organisation>,
    pub activities: Vec<Activity>,
    pub systems: Vec<System>,
    pub processors: Vec<Processor>,
    pub flows: Vec<Flow>,
    pub customers: Vec<Customer>,
}

/// The canonical values of one entity's row, each with its cell.
struct Cells {
    values: HashMap<&'static str, (CellValue, u32, u32)>,
    row: Location,
    extra: Extra,
    /// For key/value sheets: how many key rows were read.
    key_rows: usize,
}

impl Cells {
    fn origin(&self) -> Origin {
        let mut cells: Vec<(&'static str, u32, u32)> = self
            .values
            .iter()
            .map(|(key, (_, row, column))| (*key, *row, *column))
            .collect();
        cells.sort();
        Origin {
            row: self.row.clone(),
            cells,
        }
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

    fn list(&self, key: &str) -> Vec<String> {
        self.text(key).map(|t| split_list(&t)).unwrap_or_default()
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

    /// yes / no / date / link / note: whether a DPA or TIA exists and what the cell says.
    fn evidence(&self, key: &str) -> Evidence {
        let mut evidence = Evidence::default();
        match self.value(key) {
            Some(CellValue::Date(date)) => {
                evidence.status = Tristate::Yes;
                evidence.date = Some(date.format("%Y-%m-%d").to_string());
            }
            Some(value) => {
                let Some(text) = value.text() else {
                    return evidence;
                };
                if let Some(status) = parse_tristate(&text) {
                    evidence.status = status;
                } else if let Some(date) = parse_date(&text) {
                    evidence.status = Tristate::Yes;
                    evidence.date = Some(date.format("%Y-%m-%d").to_string());
                } else if is_link(&text) {
                    evidence.status = Tristate::Yes;
                    evidence.link = Some(text);
                } else {
                    // A note such as "signed with the MSA": recorded, unless it says pending.
                    evidence.status = if is_pending(&text) {
                        Tristate::No
                    } else {
                        Tristate::Yes
                    };
                    evidence.text = Some(text);
                }
            }
            None => {}
        }
        evidence
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

/// Reads every row of a recognised table into `parsed`, and reports what happened.
pub fn read_table(
    table: &RawTable,
    recognised: &Recognised,
    parsed: &mut Parsed,
    diagnostics: &mut Vec<Diagnostic>,
) -> TableStats {
    let kind = recognised.kind;
    let mut stats = TableStats {
        kind,
        location: table.location.clone(),
        header_row: None,
        read: 0,
        used: 0,
        rejected: 0,
    };
    match &recognised.layout {
        Layout::KeyValue => {
            let cells = key_value_cells(table, diagnostics);
            stats.read = cells.key_rows;
            stats.header_row = table.rows.first().map(|r| r.number);
            report_missing_columns(
                table,
                kind,
                &cells.values,
                table.location.clone(),
                diagnostics,
            );
            if let Some(organisation) = organisation(&cells, diagnostics) {
                parsed.organisations.push(organisation);
                stats.used = stats.read;
            } else {
                stats.rejected = stats.read;
            }
        }
        Layout::Header { row, columns } => {
            let header = &table.rows[*row];
            stats.header_row = Some(header.number);
            let header_location = table.location.at_row(header.number);
            let columns = name_unheaded_columns(table, columns);
            let by_key: HashMap<&'static str, usize> = columns
                .iter()
                .filter_map(|c| c.key.map(|k| (k, c.index)))
                .collect();
            let present: HashMap<&'static str, (CellValue, u32, u32)> = by_key
                .keys()
                .map(|k| (*k, (CellValue::Empty, 0, 0)))
                .collect();
            report_missing_columns(table, kind, &present, header_location.clone(), diagnostics);
            report_extra_columns(&columns, &header_location, diagnostics);
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
            let usable = by_key.contains_key("name")
                || name_from_purpose
                || (kind == TableKind::Flows
                    && by_key.contains_key("from")
                    && by_key.contains_key("to"));

            for raw in &table.rows[row + 1..] {
                stats.read += 1;
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
                    key_rows: 0,
                };
                if !usable {
                    stats.rejected += 1;
                    continue;
                }
                let ok = match kind {
                    TableKind::Organisation => organisation(&cells, diagnostics)
                        .map(|o| parsed.organisations.push(o))
                        .is_some(),
                    TableKind::Activities => activity(&cells, name_from_purpose, diagnostics)
                        .map(|a| parsed.activities.push(a))
                        .is_some(),
                    TableKind::Systems => system(&cells, diagnostics)
                        .map(|s| parsed.systems.push(s))
                        .is_some(),
                    TableKind::Processors => processor(&cells, diagnostics)
                        .map(|p| parsed.processors.push(p))
                        .is_some(),
                    TableKind::Flows => flow(&cells, diagnostics)
                        .map(|f| parsed.flows.push(f))
                        .is_some(),
                    TableKind::Customers => customer(&cells, diagnostics)
                        .map(|c| parsed.customers.push(c))
                        .is_some(),
                };
                if ok {
                    stats.used += 1;
                } else {
                    stats.rejected += 1;
                }
            }
        }
    }
    stats
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
    present: &HashMap<&'static str, (CellValue, u32, u32)>,
    at: Location,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for field in schema(kind).fields {
        if !field.required || present.contains_key(field.key) {
            continue;
        }
        let consequence = match (kind, field.key) {
            (TableKind::Activities, "name") if present.contains_key("purpose") => continue,
            (_, "name" | "from" | "to") => "; its rows cannot be used",
            _ => "",
        };
        let headings: Vec<&str> = field.headings.iter().take(3).copied().collect();
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

/// Key/value organisation sheets: keys in column A, values in column B.
fn key_value_cells(table: &RawTable, diagnostics: &mut Vec<Diagnostic>) -> Cells {
    const HEADER_WORDS: &[&str] = &[
        "key",
        "value",
        "field",
        "feld",
        "wert",
        "schlussel",
        "veld",
        "waarde",
        "champ",
        "valeur",
        "attribute",
        "property",
        "eigenschaft",
        "angabe",
        "item",
    ];
    let mut values = HashMap::new();
    let mut extra = Extra::new();
    let mut first_row = None;
    let mut key_rows = 0;
    for row in &table.rows {
        let key_text = row.get(0).text().unwrap_or_default();
        if HEADER_WORDS.contains(&fold(&key_text).as_str()) {
            continue;
        }
        first_row.get_or_insert(row.number);
        key_rows += 1;
        let value = row.get(1);
        if let CellValue::Error(error) = value {
            diagnostics.push(
                Diagnostic::new(
                    Code::ErrorCell,
                    format!("the cell holds the error {error}; read as empty"),
                )
                .at(table.cell(row.number, 1)),
            );
            continue;
        }
        let key = keys_for_heading(TableKind::Organisation, &key_text)
            .into_iter()
            .find(|k| !values.contains_key(k));
        match key {
            Some(key) => {
                values.insert(key, (value.clone(), row.number, table.column_of(1)));
            }
            None => {
                if let Some(text) = value.text() {
                    extra.insert(key_text, text);
                }
            }
        }
    }
    Cells {
        values,
        row: table.location.at_row(first_row.unwrap_or(1)),
        extra,
        key_rows,
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
    let country = cells
        .places("country", diagnostics, &mut ignored)
        .into_iter()
        .next();
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
    Some(Organisation {
        name,
        role,
        address: cells.text("address"),
        country,
        email: cells.text("email"),
        phone: cells.text("phone"),
        website: cells.text("website"),
        representative: cells.text("representative"),
        dpo: cells.text("dpo"),
        supervisory_authority: cells.text("supervisory_authority"),
        extra: cells.extra.clone(),
        origin: Some(cells.origin()),
    })
}

fn parse_organisation_role(text: &str) -> Option<OrganisationRole> {
    let folded = fold(text);
    let controller = [
        "controller",
        "verantwortlicher",
        "verantwoordelijke",
        "responsable",
    ]
    .iter()
    .any(|w| folded.contains(w));
    let processor = [
        "processor",
        "auftragsverarbeiter",
        "verwerker",
        "sous traitant",
    ]
    .iter()
    .any(|w| folded.contains(w));
    match folded.as_str() {
        "both" | "beides" | "beide" | "les deux" => Some(OrganisationRole::Both),
        _ if controller && processor => Some(OrganisationRole::Both),
        _ if processor => Some(OrganisationRole::Processor),
        _ if controller => Some(OrganisationRole::Controller),
        _ => None,
    }
}

fn parse_activity_role(text: &str) -> Option<ActivityRole> {
    match parse_organisation_role(text)? {
        OrganisationRole::Processor => Some(ActivityRole::Processor),
        OrganisationRole::Controller => Some(ActivityRole::Controller),
        OrganisationRole::Both => None,
    }
}

fn parse_recipient_role(text: &str) -> Option<RecipientRole> {
    let folded = fold(text);
    let compact = folded.replace(' ', "");
    if compact.contains("joint") || compact.contains("gemeinsam") || compact.contains("gezamenlijk")
    {
        Some(RecipientRole::JointController)
    } else if compact.contains("subprocessor")
        || compact.contains("unterauftragsverarbeiter")
        || compact.contains("subverwerker")
        || compact.contains("soustraitantulterieur")
    {
        Some(RecipientRole::SubProcessor)
    } else if compact.contains("processor")
        || compact.contains("auftragsverarbeiter")
        || compact.contains("verwerker")
        || compact.contains("soustraitant")
    {
        Some(RecipientRole::Processor)
    } else if compact.contains("controller")
        || compact.contains("verantwortlich")
        || compact.contains("verantwoordelijke")
        || compact.contains("responsable")
        || compact.contains("recipient")
        || compact.contains("empfanger")
    {
        Some(RecipientRole::Controller)
    } else {
        None
    }
}

/// The key of an entity: its id when given, else its normalised name.
fn entity_key(id: &Option<String>, name: &str) -> String {
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
    let data_subjects = cells.list("data_subjects");
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
    let all_controllers = controllers_text.as_deref().is_some_and(|t| {
        matches!(
            fold(t).as_str(),
            "" | "all"
                | "alle"
                | "tous"
                | "all customers"
                | "alle kunden"
                | "alle klanten"
                | "tous les clients"
        ) && t.trim() != ""
            || t.trim() == "*"
    });
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
    let mut special_categories = cells.list("special_categories");
    if special_categories.len() == 1 {
        match parse_tristate(&special_categories[0]) {
            Some(Tristate::No) | Some(Tristate::Unknown) => special_categories.clear(),
            Some(Tristate::Yes) => {
                special_categories = vec!["special categories (unspecified)".to_string()]
            }
            None => {}
        }
    }
    let mut mentioned = Vec::new();
    let transfer_countries = cells.places("transfer_countries", diagnostics, &mut mentioned);
    let transfer_safeguards = cells.text("transfer_safeguards");
    // The safeguards column may hold documentation rather than a mechanism name (Art. 49(6)),
    // so text that names no mechanism is kept without a warning.
    let mut transfer_mechanisms = transfer_safeguards
        .as_deref()
        .map(parse_mechanisms)
        .unwrap_or_default();
    if transfer_mechanisms.is_empty() {
        transfer_mechanisms = mentioned;
    }
    let id = cells.text("id");
    Some(Activity {
        key: entity_key(&id, &name),
        id,
        name,
        role,
        controllers,
        all_controllers,
        purpose,
        legal_basis,
        legal_basis_text,
        data_subjects,
        data_categories,
        special_categories,
        art9_condition: cells.text("art9_condition"),
        recipients: cells.references("recipients"),
        recipient_categories: Vec::new(),
        transfer_countries,
        transfer_safeguards,
        transfer_mechanisms,
        systems: cells.references("systems"),
        retention: cells.text("retention"),
        security: cells.text("security"),
        joint_controllers: cells.text("joint_controllers"),
        department: cells.text("department"),
        source: cells.text("source"),
        dpia: cells.text("dpia"),
        extra: cells.extra.clone(),
        origin: cells.origin(),
    })
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
    let id = cells.text("id");
    Some(System {
        key: entity_key(&id, &name),
        id,
        name,
        description: cells.text("description"),
        hosted_by: cells.text("hosted_by").map(Reference::new),
        locations: cells.places("locations", diagnostics, &mut ignored),
        data_categories: cells.list("data_categories"),
        owner: cells.text("owner"),
        extra: cells.extra.clone(),
        origin: cells.origin(),
    })
}

fn processor(cells: &Cells, diagnostics: &mut Vec<Diagnostic>) -> Option<Processor> {
    let Some(name) = cells.text("name") else {
        missing_name(cells, "processor", diagnostics);
        return None;
    };
    if cells.text("service").is_none() {
        cells.required_text("service", &format!("the service of `{name}`"), diagnostics);
    }
    let mut mentioned = Vec::new();
    let country_places = cells.places("country", diagnostics, &mut mentioned);
    if country_places.is_empty() && cells.text("country").is_none() {
        cells.required_text("country", &format!("the country of `{name}`"), diagnostics);
    }
    let mut locations = cells.places("locations", diagnostics, &mut mentioned);
    // A seat cell naming several places ("DE; US") names locations too.
    let country = country_places.first().cloned();
    if locations.is_empty() && country_places.len() > 1 {
        locations = country_places;
    }
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
    }
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
            notes.push(item);
        } else {
            sub_processors.push(Reference::new(item));
        }
    }
    let id = cells.text("id");
    Some(Processor {
        key: entity_key(&id, &name),
        id,
        name,
        legal_entity: cells.text("legal_entity"),
        service: cells.text("service"),
        groups: cells.text("group").into_iter().collect(),
        country,
        locations,
        data_categories: cells.list("data_categories"),
        role,
        parent: cells.text("parent").map(Reference::new),
        sub_processors,
        dpa: cells.evidence("dpa"),
        transfer_mechanisms,
        transfer_mechanism_text,
        dpf_certified: cells.tristate("dpf_certified", diagnostics),
        tia: cells.evidence("tia"),
        encryption_in_transit: cells.tristate("encryption_in_transit", diagnostics),
        encryption_at_rest: cells.tristate("encryption_at_rest", diagnostics),
        certifications: cells.list("certifications"),
        retention: cells.text("retention"),
        url: cells.text("url"),
        notes,
        implicit: false,
        extra: cells.extra.clone(),
        origin: cells.origin(),
    })
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
        data_categories: cells.list("data_categories"),
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
    let id = cells.text("id");
    Some(Customer {
        key: entity_key(&id, &name),
        id,
        name,
        contact: cells.text("contact"),
        country: cells
            .places("country", diagnostics, &mut ignored)
            .into_iter()
            .next(),
        representative: cells.text("representative"),
        dpo: cells.text("dpo"),
        extra: cells.extra.clone(),
        origin: cells.origin(),
    })
}
