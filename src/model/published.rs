//! `subprocessors.json`: the published sub-processor list as a document, written by the
//! export and read back by the importer. Its top-level `document` field says what it is, so
//! the importer tells it from other JSON. Values are canonical: ISO codes, mechanism keys,
//! category keys, `yes`/`no`/`unknown`.

use super::{Evidence, Mechanism, Place, Tristate};
use serde::{Deserialize, Serialize};

/// The value of the top-level `document` field.
pub const DOCUMENT: &str = "ropa-subprocessors";

/// The whole list. Its processors are a `Vec` when read; written, they may be any sequence
/// that serialises as one (ropa's page makes each processor's entry as it is written: a large
/// register's list runs to tens of megabytes).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SubprocessorList<P = Vec<ListedProcessor>> {
    /// Always [`DOCUMENT`].
    pub document: String,
    /// The format's version: 1.
    pub version: u32,
    /// The language of the texts ropa added (headings, labels); the register's own words are
    /// as written.
    pub language: String,
    /// The evaluation date the list was written for.
    pub last_updated: String,
    /// What the page says first when ropa could not read the whole register (or judges past
    /// its reference data): a list that may be incomplete must not pass for a complete one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<String>,
    pub organisation: ListedOrganisation,
    /// The sections of the page, in order.
    pub groups: Vec<String>,
    pub processors: P,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct ListedOrganisation {
    pub name: String,
    /// `controller`, `processor` or `both`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<ListedPlace>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpo: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
}

/// A place: `{"kind": "country", "code": "NL"}`, `{"kind": "eu"}`, …
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedPlace {
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The place's name in the list's language, for readers; ignored when read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl ListedPlace {
    pub fn new(place: &Place, name: String) -> ListedPlace {
        let (kind, code) = match place {
            Place::Country(code) => ("country", Some(code.to_string())),
            Place::Organisation(code) => ("organisation", Some(code.to_string())),
            Place::Eu => ("eu", None),
            Place::Eea => ("eea", None),
            Place::OutsideEea => ("outside_eea", None),
            Place::Europe => ("europe", None),
            Place::Worldwide => ("worldwide", None),
        };
        ListedPlace {
            kind: kind.to_string(),
            code,
            name: Some(name),
        }
    }

    /// The place, or `None` for a kind this version does not know.
    pub fn place(&self) -> Option<Place> {
        Some(match (self.kind.as_str(), &self.code) {
            ("country", Some(code)) => Place::Country(code.to_ascii_uppercase().into()),
            ("organisation", Some(code)) => Place::Organisation(code.as_str().into()),
            ("eu", _) => Place::Eu,
            ("eea", _) => Place::Eea,
            ("outside_eea", _) => Place::OutsideEea,
            ("europe", _) => Place::Europe,
            ("worldwide", _) => Place::Worldwide,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedCategory {
    /// The words as the register writes them.
    pub text: String,
    /// The canonical category, when the words name one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The canonical category's label in the list's language, for readers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// A yes/no/date/link field: `status` is `yes`, `no` or `unknown`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedEvidence {
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl ListedEvidence {
    pub fn new(evidence: &Evidence) -> ListedEvidence {
        ListedEvidence {
            status: tristate_key(evidence.status).to_string(),
            date: evidence.date().map(str::to_string),
            link: evidence.link().map(str::to_string),
            text: evidence.text().map(str::to_string),
        }
    }

    pub fn evidence(&self) -> Option<Evidence> {
        Some(Evidence::new(
            tristate(&self.status)?,
            self.date.clone(),
            self.link.clone(),
            self.text.clone(),
        ))
    }
}

/// How the transfer to a sub-processor stands on the list's date, for readers; ignored when
/// read.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ListedTransfer {
    pub country: String,
    pub status: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ListedProcessor {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_entity: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(default)]
    pub groups: Vec<String>,
    /// `processor` or `sub_processor`.
    pub role: String,
    /// The seat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seat: Option<ListedPlace>,
    /// Where it processes data as the register records it (empty: at its seat).
    #[serde(default)]
    pub locations: Vec<ListedPlace>,
    #[serde(default)]
    pub data_categories: Vec<ListedCategory>,
    pub dpa: ListedEvidence,
    pub encryption_in_transit: String,
    pub encryption_at_rest: String,
    #[serde(default)]
    pub certifications: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention: Option<String>,
    /// Mechanism keys (`scc_2021`, `dpf`, …).
    #[serde(default)]
    pub transfer_mechanisms: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer_mechanism_text: Option<String>,
    pub dpf_certified: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    #[serde(default)]
    pub sub_processors: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default)]
    pub notes: Vec<String>,
    #[serde(default)]
    pub transfers: Vec<ListedTransfer>,
}

/// `yes`, `no`, `unknown`.
pub fn tristate_key(value: Tristate) -> &'static str {
    match value {
        Tristate::Yes => "yes",
        Tristate::No => "no",
        Tristate::Unknown => "unknown",
    }
}

/// The tristate a key names.
pub fn tristate(key: &str) -> Option<Tristate> {
    match key {
        "yes" => Some(Tristate::Yes),
        "no" => Some(Tristate::No),
        "unknown" => Some(Tristate::Unknown),
        _ => None,
    }
}

/// `controller`, `processor`, `both`.
pub fn role_key(role: super::OrganisationRole) -> &'static str {
    match role {
        super::OrganisationRole::Controller => "controller",
        super::OrganisationRole::Processor => "processor",
        super::OrganisationRole::Both => "both",
    }
}

/// The organisation role a key names.
pub fn role(key: &str) -> Option<super::OrganisationRole> {
    [
        super::OrganisationRole::Controller,
        super::OrganisationRole::Processor,
        super::OrganisationRole::Both,
    ]
    .into_iter()
    .find(|r| role_key(*r) == key)
}

/// The mechanism a key names.
pub fn mechanism(key: &str) -> Option<Mechanism> {
    Mechanism::ALL.into_iter().find(|m| m.key() == key)
}
