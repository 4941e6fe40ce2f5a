//! The register: what a privacy team keeps about its processing, normalised from whatever
//! layout it was read from. Every entity keeps its [`Origin`].

pub mod key;
pub mod list;
pub mod origin;
pub mod published;
pub mod schema;
pub mod shared;
pub mod text;
pub mod values;

pub use origin::{CellStyle, Location, Origin, SharedCells, column_letters};
pub use values::{
    ActivityRole, Category, Evidence, LegalBasis, Mechanism, OrganisationRole, Place,
    RecipientRole, SpecialCategory, SpecialKind, StatedTransfer, Tristate,
};

pub use compact_str::CompactString;
pub use list::List;
use serde::{Deserialize, Serialize};
pub use shared::SharedText;
use std::collections::BTreeMap;

/// Columns the importer did not know, kept by their heading as the user wrote it.
pub type Extra = BTreeMap<String, String>;

/// A reference from one entity to another (by id or name), and what it resolved to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// The text as written.
    pub text: CompactString,
    /// The entity it names, once the register is linked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<EntityRef>,
}

impl Reference {
    pub fn new(text: impl Into<CompactString>) -> Self {
        Reference {
            text: text.into(),
            target: None,
        }
    }
}

/// A resolved reference: the table and the entity's key there.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "table", content = "key")]
pub enum EntityRef {
    Organisation,
    Activity(CompactString),
    System(CompactString),
    Processor(CompactString),
    Customer(CompactString),
    /// A category of data subjects, named in an activity.
    DataSubjects(CompactString),
}

/// The organisation keeping the register (Art. 30(1)(a), 30(2)(a)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Organisation {
    pub name: String,
    pub role: OrganisationRole,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<Place>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub representative: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpo: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supervisory_authority: Option<String>,
    #[serde(default, skip_serializing_if = "Extra::is_empty")]
    pub extra: Extra,
    /// `None` when no organisation table was found and the name was made up from the input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
}

/// A processing activity: one line of the Art. 30 record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// The stable key: the id when given, else the normalised name.
    pub key: CompactString,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<CompactString>,
    pub name: CompactString,
    pub role: ActivityRole,
    /// For processor activities: the customers on whose behalf.
    #[serde(default, skip_serializing_if = "List::is_empty")]
    pub controllers: List<Reference>,
    /// `*` in the controllers column: every customer.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub all_controllers: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<CompactString>,
    #[serde(default, skip_serializing_if = "List::is_empty")]
    pub legal_basis: List<LegalBasis>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_basis_text: Option<SharedText>,
    #[serde(default, skip_serializing_if = "List::is_empty")]
    pub data_subjects: List<SharedText>,
    #[serde(default, skip_serializing_if = "List::is_empty")]
    pub data_categories: List<Category>,
    /// Recipients that name processors.
    #[serde(default, skip_serializing_if = "List::is_empty")]
    pub recipients: List<Reference>,
    #[serde(default, skip_serializing_if = "List::is_empty")]
    pub systems: List<Reference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention: Option<SharedText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security: Option<SharedText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<SharedText>,
    /// What few activities state (Art. 9 and 10 grounds, stated transfers, joint
    /// controllers, source, DPIA, unknown columns): boxed, and absent when empty, as most rows
    /// of a large register leave them blank (inline they took about 250 of an activity's 656
    /// bytes). Read through [`Activity::details`]; `register.json` writes them flat.
    #[serde(
        flatten,
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "read_rare"
    )]
    pub details: Option<Box<ActivityDetails>>,
    pub origin: Origin,
}

/// The fields of an [`Activity`] that most rows leave blank.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ActivityDetails {
    /// Art. 9(1) special categories and Art. 10 criminal data, wherever the row states them:
    /// in the data categories, a special-categories column, or the legal basis.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub special_categories: Vec<SpecialCategory>,
    /// The Art. 9(2) condition cell as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub art9_condition: Option<CompactString>,
    /// The letters of Art. 9(2) the row states, (a) to (j), from its condition, special
    /// categories or legal-basis cell.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub art9_conditions: Vec<char>,
    /// Whether the row states a ground under Art. 10 (official authority, or a Union or
    /// Member State law authorising the processing) for criminal data.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub art10_basis: bool,
    /// Recipient items that name no entity: categories of recipients (Art. 30(1)(d)).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recipient_categories: Vec<CompactString>,
    /// Transfers to third countries or international organisations the row states
    /// (30(1)(e)).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transfers: Vec<StatedTransfer>,
    /// The safeguards cell as written (Art. 49(1) documentation may be text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer_safeguards: Option<CompactString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joint_controllers: Option<CompactString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<CompactString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpia: Option<CompactString>,
    #[serde(default, skip_serializing_if = "Extra::is_empty")]
    pub extra: Extra,
}

/// An activity's details when it has none.
static NO_DETAILS: ActivityDetails = ActivityDetails {
    special_categories: Vec::new(),
    art9_condition: None,
    art9_conditions: Vec::new(),
    art10_basis: false,
    recipient_categories: Vec::new(),
    transfers: Vec::new(),
    transfer_safeguards: None,
    joint_controllers: None,
    source: None,
    dpia: None,
    extra: BTreeMap::new(),
};

/// Fields most rows leave blank, kept together in a box that exists only when one of them is
/// set: inline, they would take their room in each of a large register's rows.
pub trait Rare: Sized {
    fn is_empty(&self) -> bool;

    /// Boxed when any field is set.
    fn boxed(self) -> Option<Box<Self>> {
        (!self.is_empty()).then(|| Box::new(self))
    }
}

/// Rare fields read from JSON (written flat among their owner's), boxed only when one is set.
fn read_rare<'de, D: serde::Deserializer<'de>, T: Rare + Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<Box<T>>, D::Error> {
    Ok(T::deserialize(deserializer)?.boxed())
}

impl Rare for ActivityDetails {
    fn is_empty(&self) -> bool {
        *self == NO_DETAILS
    }
}

impl Activity {
    /// Its details, empty when it has none.
    pub fn details(&self) -> &ActivityDetails {
        self.details.as_deref().unwrap_or(&NO_DETAILS)
    }

    /// Its details to change; call only to set something.
    pub fn details_mut(&mut self) -> &mut ActivityDetails {
        self.details.get_or_insert_with(Box::default)
    }

    /// Details made while reading, boxed only when there are any.
    pub fn set_details(&mut self, details: ActivityDetails) {
        self.details = details.boxed();
    }
}

/// An application or data store the organisation runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct System {
    pub key: CompactString,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<CompactString>,
    pub name: CompactString,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<CompactString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hosted_by: Option<Reference>,
    /// Where its data is stored; empty means the host's locations.
    #[serde(default, skip_serializing_if = "List::is_empty")]
    pub locations: List<Place>,
    #[serde(default, skip_serializing_if = "List::is_empty")]
    pub data_categories: List<Category>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<SharedText>,
    #[serde(default, skip_serializing_if = "Extra::is_empty")]
    pub extra: Extra,
    pub origin: Origin,
}

/// A recipient: processor, sub-processor or independent recipient.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Processor {
    pub key: CompactString,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<CompactString>,
    pub name: CompactString,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_entity: Option<CompactString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<SharedText>,
    /// How the organisation presents it; several when it is listed under several headings.
    #[serde(default, skip_serializing_if = "List::is_empty")]
    pub groups: List<SharedText>,
    /// Seat of the recipient.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<Place>,
    /// Where it stores or processes data; empty means its country.
    #[serde(default, skip_serializing_if = "List::is_empty")]
    pub locations: List<Place>,
    #[serde(default, skip_serializing_if = "List::is_empty")]
    pub data_categories: List<Category>,
    pub role: RecipientRole,
    pub dpa: Evidence,
    #[serde(default, skip_serializing_if = "List::is_empty")]
    pub transfer_mechanisms: List<Mechanism>,
    /// The mechanism cell as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer_mechanism_text: Option<SharedText>,
    pub dpf_certified: Tristate,
    /// Whether its DPF certification covers HR data (employees' data needs it).
    pub dpf_hr: Tristate,
    pub tia: Evidence,
    pub encryption_in_transit: Tristate,
    pub encryption_at_rest: Tristate,
    #[serde(default, skip_serializing_if = "List::is_empty")]
    pub certifications: List<SharedText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention: Option<SharedText>,
    /// Made up from another processor's `sub_processors` list: nothing is known about it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub implicit: bool,
    /// What few rows state (parent, sub-processors, URL, notes, unknown columns): boxed, and
    /// absent when empty, as an activity's details are. Read through [`Processor::details`];
    /// `register.json` writes them flat.
    #[serde(
        flatten,
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "read_rare"
    )]
    pub details: Option<Box<ProcessorDetails>>,
    pub origin: Origin,
}

/// The fields of a [`Processor`] that most rows leave blank.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ProcessorDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Reference>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sub_processors: Vec<Reference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<CompactString>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    #[serde(default, skip_serializing_if = "Extra::is_empty")]
    pub extra: Extra,
}

/// A processor's details when it has none.
static NO_PROCESSOR_DETAILS: ProcessorDetails = ProcessorDetails {
    parent: None,
    sub_processors: Vec::new(),
    url: None,
    notes: Vec::new(),
    extra: BTreeMap::new(),
};

impl Rare for ProcessorDetails {
    fn is_empty(&self) -> bool {
        *self == NO_PROCESSOR_DETAILS
    }
}

impl Processor {
    /// Its details, empty when it has none.
    pub fn details(&self) -> &ProcessorDetails {
        self.details.as_deref().unwrap_or(&NO_PROCESSOR_DETAILS)
    }

    /// Its details to change; call only to set something.
    pub fn details_mut(&mut self) -> &mut ProcessorDetails {
        self.details.get_or_insert_with(Box::default)
    }

    /// Details made while reading, boxed only when there are any.
    pub fn set_details(&mut self, details: ProcessorDetails) {
        self.details = details.boxed();
    }

    /// Where the recipient stores or processes data: its locations, else its seat.
    pub fn effective_locations(&self) -> Vec<Place> {
        if self.locations.is_empty() {
            self.country.iter().cloned().collect()
        } else {
            self.locations.to_vec()
        }
    }
}

/// An explicit data flow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flow {
    pub from: Reference,
    pub to: Reference,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_categories: Vec<Category>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<Reference>,
    pub encrypted: Tristate,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transfer_mechanisms: Vec<Mechanism>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(default, skip_serializing_if = "Extra::is_empty")]
    pub extra: Extra,
    pub origin: Origin,
}

/// A controller on whose behalf the organisation processes data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    pub key: CompactString,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<CompactString>,
    pub name: CompactString,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<CompactString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<Place>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub representative: Option<CompactString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpo: Option<CompactString>,
    #[serde(default, skip_serializing_if = "Extra::is_empty")]
    pub extra: Extra,
    pub origin: Origin,
}

/// The kinds of table a register has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    Organisation,
    Activities,
    Systems,
    Processors,
    Flows,
    Customers,
}

impl TableKind {
    pub const ALL: [TableKind; 6] = [
        TableKind::Organisation,
        TableKind::Activities,
        TableKind::Systems,
        TableKind::Processors,
        TableKind::Flows,
        TableKind::Customers,
    ];

    pub fn name(self) -> &'static str {
        match self {
            TableKind::Organisation => "organisation",
            TableKind::Activities => "activities",
            TableKind::Systems => "systems",
            TableKind::Processors => "processors",
            TableKind::Flows => "flows",
            TableKind::Customers => "customers",
        }
    }
}

/// How many rows of one table were read, used and rejected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableStats {
    pub kind: TableKind,
    /// The table's place: file, and sheet for workbooks.
    pub location: Location,
    /// The header row, when one was found.
    pub header_row: Option<u32>,
    /// Non-blank rows below the header (for key/value blocks: their lines).
    pub read: usize,
    pub used: usize,
    pub rejected: usize,
    /// Lines that were not entities: titles, section lines, repeated headers, footers.
    pub skipped: Skipped,
}

/// How many lines of a table were not entities.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    pub titles: usize,
    pub sections: usize,
    pub repeated_headers: usize,
    pub footers: usize,
}

impl Skipped {
    pub fn total(&self) -> usize {
        self.titles + self.sections + self.repeated_headers + self.footers
    }
}

/// A whole register, merged from one or more inputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Register {
    /// A short name for outputs: the input's file or folder stem.
    pub name: String,
    /// The inputs it was read from, as given.
    pub sources: Vec<String>,
    pub organisation: Organisation,
    pub activities: Vec<Activity>,
    pub systems: Vec<System>,
    pub processors: Vec<Processor>,
    pub flows: Vec<Flow>,
    pub customers: Vec<Customer>,
    pub tables: Vec<TableStats>,
    /// Every data category's identity ([`Category::id`]) → the wordings the register uses for
    /// it, for reports that show the canonical category with the register's own words.
    pub categories: BTreeMap<String, Vec<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn activity() -> Activity {
        Activity {
            key: "a1".into(),
            id: Some("A1".into()),
            name: "Payroll".into(),
            role: ActivityRole::Controller,
            controllers: List::new(),
            all_controllers: false,
            purpose: Some("Paying staff".into()),
            legal_basis: [LegalBasis::Contract].into(),
            legal_basis_text: None,
            data_subjects: ["Employees".into()].into(),
            data_categories: List::new(),
            recipients: List::new(),
            systems: List::new(),
            retention: None,
            security: None,
            department: Some("HR".into()),
            details: None,
            origin: Origin::new(Location::in_file("register.csv").at_row(2)),
        }
    }

    #[test]
    fn an_activity_boxes_details_only_when_it_has_some() {
        let mut plain = activity();
        plain.set_details(ActivityDetails::default());
        assert!(plain.details.is_none());
        assert_eq!(plain.details().dpia, None);
        let json = serde_json::to_string(&plain).unwrap();
        assert!(!json.contains("dpia") && !json.contains("extra"), "{json}");
        let read: Activity = serde_json::from_str(&json).unwrap();
        assert_eq!(
            read, plain,
            "no details read back as none, not as an empty box"
        );

        let mut detailed = activity();
        detailed.set_details(ActivityDetails {
            dpia: Some("DPIA-7, 2024".into()),
            art9_conditions: vec!['b'],
            ..ActivityDetails::default()
        });
        assert!(detailed.details.is_some());
        let json = serde_json::to_string(&detailed).unwrap();
        // Written as fields of the activity, not as a nested object.
        assert!(json.contains(r#""dpia":"DPIA-7, 2024""#), "{json}");
        assert!(json.contains(r#""art9_conditions":["b"]"#), "{json}");
        assert!(!json.contains("details"), "{json}");
        let read: Activity = serde_json::from_str(&json).unwrap();
        assert_eq!(read, detailed);
    }

    /// A processor read as `register.json` writes it: rare fields and evidence details flat.
    fn processor(tia: &str, extra_fields: &str) -> Processor {
        serde_json::from_str(&format!(
            r#"{{"key":"p1","name":"Mailer","role":"processor","dpa":{{"status":"yes"}},
            "dpf_certified":"unknown","dpf_hr":"unknown","tia":{tia},
            "encryption_in_transit":"unknown","encryption_at_rest":"unknown",
            "origin":{{"row":{{"file":"p.csv","row":2}},"cells":{{}}}}{extra_fields}}}"#
        ))
        .unwrap()
    }

    #[test]
    fn a_processor_boxes_its_rare_fields_and_evidence_details_only_when_it_has_some() {
        let plain = processor(r#"{"status":"unknown"}"#, "");
        assert!(plain.details.is_none() && plain.dpa.date().is_none());
        let json = serde_json::to_string(&plain).unwrap();
        assert!(!json.contains("notes") && !json.contains("date"), "{json}");
        assert_eq!(serde_json::from_str::<Processor>(&json).unwrap(), plain);

        let detailed = processor(
            r#"{"status":"yes","date":"2024-01-02","text":"signed"}"#,
            r#","parent":{"text":"Host"},"notes":["EU only"]"#,
        );
        assert_eq!(detailed.details().parent, Some(Reference::new("Host")));
        assert_eq!(detailed.details().notes, ["EU only"]);
        assert_eq!(
            (
                detailed.tia.date(),
                detailed.tia.link(),
                detailed.tia.text()
            ),
            (Some("2024-01-02"), None, Some("signed"))
        );
        let json = serde_json::to_string(&detailed).unwrap();
        // Written as fields of the processor and of its evidence, not as nested objects.
        assert!(json.contains(r#""notes":["EU only"]"#), "{json}");
        assert!(
            json.contains(r#""tia":{"status":"yes","date":"2024-01-02","text":"signed"}"#),
            "{json}"
        );
        assert!(
            !json.contains("details") && !json.contains("detail"),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Processor>(&json).unwrap(), detailed);

        let mut emptied = detailed.clone();
        emptied.set_details(ProcessorDetails::default());
        assert!(emptied.details.is_none());
        assert_eq!(
            serde_json::to_string(&Evidence::new(Tristate::No, None, None, None)).unwrap(),
            r#"{"status":"no"}"#
        );
    }
}
