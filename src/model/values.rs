//! Typed cell values: places, transfer mechanisms, legal bases, yes/no/unknown, roles.

use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where data is or goes: a country, a region, an international organisation, or nowhere
/// known.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "code")]
pub enum Place {
    /// An ISO 3166-1 alpha-2 code (kept inline: a large register holds hundreds of thousands
    /// of places).
    Country(CompactString),
    /// Somewhere in the EU, country not stated.
    Eu,
    /// Somewhere in the EEA, country not stated.
    Eea,
    /// An international organisation (`EPO`, `UN`): a destination like a third country
    /// (Arts. 44-46 GDPR).
    Organisation(CompactString),
    /// Outside the EU or EEA, country not stated: an unknown third country.
    OutsideEea,
    /// `Europe`: not said whether inside the EEA.
    Europe,
    /// `worldwide`: unknown, treated as a third country.
    Worldwide,
}

impl Place {
    /// Places that say where data is only vaguely: an unknown country.
    pub fn is_vague(&self) -> bool {
        matches!(self, Place::OutsideEea | Place::Europe | Place::Worldwide)
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Country(code) | Place::Organisation(code) => f.write_str(code),
            Place::Eu => f.write_str("EU"),
            Place::Eea => f.write_str("EEA"),
            Place::OutsideEea => f.write_str("non-EEA"),
            Place::Europe => f.write_str("Europe"),
            Place::Worldwide => f.write_str("worldwide"),
        }
    }
}

/// A Chapter V transfer tool, including the ones the CJEU struck down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mechanism {
    Adequacy,
    Dpf,
    /// Standard contractual clauses, generation not stated.
    Scc,
    /// The 2021 clauses (Implementing Decision (EU) 2021/914).
    Scc2021,
    /// The old sets (2001/497/EC, 2004/915/EC, 2010/87/EU, 2002/16/EC).
    SccLegacy,
    Bcr,
    CodeOfConduct,
    Certification,
    AdHocClauses,
    /// A legally binding instrument between public authorities (Art. 46(2)(a)).
    PublicAuthorityInstrument,
    /// Standard clauses adopted by a supervisory authority (Art. 46(2)(d)).
    SupervisoryAuthorityClauses,
    /// Provisions in administrative arrangements between public authorities (Art. 46(3)(b)).
    AdministrativeArrangement,
    Derogation,
    None,
    PrivacyShield,
    SafeHarbor,
}

impl Mechanism {
    pub const ALL: [Mechanism; 16] = [
        Mechanism::Adequacy,
        Mechanism::Dpf,
        Mechanism::Scc,
        Mechanism::Scc2021,
        Mechanism::SccLegacy,
        Mechanism::Bcr,
        Mechanism::CodeOfConduct,
        Mechanism::Certification,
        Mechanism::AdHocClauses,
        Mechanism::PublicAuthorityInstrument,
        Mechanism::SupervisoryAuthorityClauses,
        Mechanism::AdministrativeArrangement,
        Mechanism::Derogation,
        Mechanism::None,
        Mechanism::PrivacyShield,
        Mechanism::SafeHarbor,
    ];

    /// The key used in the reference data and in exports.
    pub fn key(self) -> &'static str {
        match self {
            Mechanism::Adequacy => "adequacy",
            Mechanism::Dpf => "dpf",
            Mechanism::Scc => "scc",
            Mechanism::Scc2021 => "scc_2021",
            Mechanism::SccLegacy => "scc_legacy",
            Mechanism::Bcr => "bcr",
            Mechanism::CodeOfConduct => "code_of_conduct",
            Mechanism::Certification => "certification",
            Mechanism::AdHocClauses => "ad_hoc_clauses",
            Mechanism::PublicAuthorityInstrument => "public_authority_instrument",
            Mechanism::SupervisoryAuthorityClauses => "sa_scc",
            Mechanism::AdministrativeArrangement => "administrative_arrangement",
            Mechanism::Derogation => "derogation",
            Mechanism::None => "none",
            Mechanism::PrivacyShield => "privacy_shield",
            Mechanism::SafeHarbor => "safe_harbor",
        }
    }
}

impl fmt::Display for Mechanism {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// An Art. 6(1) legal basis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalBasis {
    /// Art. 6(1)(a)
    Consent,
    /// Art. 6(1)(b)
    Contract,
    /// Art. 6(1)(c)
    LegalObligation,
    /// Art. 6(1)(d)
    VitalInterests,
    /// Art. 6(1)(e)
    PublicTask,
    /// Art. 6(1)(f)
    LegitimateInterests,
}

impl LegalBasis {
    /// The letter of Art. 6(1).
    pub fn letter(self) -> char {
        match self {
            LegalBasis::Consent => 'a',
            LegalBasis::Contract => 'b',
            LegalBasis::LegalObligation => 'c',
            LegalBasis::VitalInterests => 'd',
            LegalBasis::PublicTask => 'e',
            LegalBasis::LegitimateInterests => 'f',
        }
    }

    pub fn from_letter(letter: char) -> Option<LegalBasis> {
        Some(match letter.to_ascii_lowercase() {
            'a' => LegalBasis::Consent,
            'b' => LegalBasis::Contract,
            'c' => LegalBasis::LegalObligation,
            'd' => LegalBasis::VitalInterests,
            'e' => LegalBasis::PublicTask,
            'f' => LegalBasis::LegitimateInterests,
            _ => return None,
        })
    }
}

/// yes / no / unknown. An empty cell is unknown, never no.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Tristate {
    Yes,
    No,
    #[default]
    Unknown,
}

/// A yes/no/date/link field such as `dpa` or `tia`: whether it exists, and what the cell said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Evidence {
    pub status: Tristate,
    /// The date, link or words besides the answer: boxed, and absent when the cell was a plain
    /// yes or no (each of a large register's processors has two of these).
    #[serde(
        flatten,
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::read_rare"
    )]
    detail: Option<Box<EvidenceDetail>>,
}

/// What an [`Evidence`] cell said besides its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
struct EvidenceDetail {
    /// A date (ISO) when the cell held one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    /// A link when the cell held one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    link: Option<String>,
    /// The cell's text when it was neither yes/no, a date nor a link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    text: Option<String>,
}

impl super::Rare for EvidenceDetail {
    fn is_empty(&self) -> bool {
        self.date.is_none() && self.link.is_none() && self.text.is_none()
    }
}

impl Evidence {
    /// An answer with what else the cell said.
    pub fn new(
        status: Tristate,
        date: Option<String>,
        link: Option<String>,
        text: Option<String>,
    ) -> Evidence {
        use super::Rare;
        Evidence {
            status,
            detail: EvidenceDetail { date, link, text }.boxed(),
        }
    }

    /// The date (ISO) when the cell held one.
    pub fn date(&self) -> Option<&str> {
        self.detail.as_ref()?.date.as_deref()
    }

    /// The link when the cell held one.
    pub fn link(&self) -> Option<&str> {
        self.detail.as_ref()?.link.as_deref()
    }

    /// The cell's text when it was neither yes/no, a date nor a link.
    pub fn text(&self) -> Option<&str> {
        self.detail.as_ref()?.text.as_deref()
    }
}

/// The organisation's role under the GDPR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationRole {
    #[default]
    Controller,
    Processor,
    /// Processor for its customers' data, controller for its own.
    Both,
}

impl fmt::Display for OrganisationRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OrganisationRole::Controller => "controller",
            OrganisationRole::Processor => "processor",
            OrganisationRole::Both => "controller and processor",
        })
    }
}

/// Whether an activity is the organisation's own or carried out for customers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ActivityRole {
    #[default]
    Controller,
    Processor,
}

/// What a recipient is to the organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RecipientRole {
    #[default]
    Processor,
    SubProcessor,
    /// An independent controller receiving data.
    Controller,
    JointController,
}

/// A data category as the register words it, and the canonical category it means
/// (`Gesundheitsdaten (AU-Bescheinigungen)` → `health`), so the same data in two languages is
/// one category in reports and in the analysis.
///
/// Interned: a register repeats a few dozen category words on every row (L, the benchmark's
/// large register, has 715,000 of them), so each distinct wording is kept once for the run and
/// a category is one pointer to it (8 bytes, not 48). Read its fields through `Deref`
/// (`category.text`, `category.key`); it compares, orders and hashes by those fields.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Category(&'static CategoryWords);

/// What a [`Category`] holds.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CategoryWords {
    /// The words as written.
    pub text: CompactString,
    /// The canonical category (`src/vocabulary/data/data_categories.csv`), when the words
    /// name one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<std::borrow::Cow<'static, str>>,
}

impl Category {
    /// The category with these words and canonical key, made once per run.
    pub fn new(text: CompactString, key: Option<std::borrow::Cow<'static, str>>) -> Category {
        Category(internment::Intern::new(CategoryWords { text, key }).as_ref())
    }

    /// The category's identity in the analysis: its canonical key, else its words
    /// (case- and spacing-insensitive).
    pub fn id(&self) -> CompactString {
        match &self.key {
            Some(key) => key.as_ref().into(),
            None => crate::model::key::name_key(&self.text),
        }
    }
}

impl std::ops::Deref for Category {
    type Target = CategoryWords;

    fn deref(&self) -> &CategoryWords {
        self.0
    }
}

impl std::fmt::Debug for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for Category {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Category {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let words = CategoryWords::deserialize(deserializer)?;
        Ok(Category::new(words.text, words.key))
    }
}

/// A special category of personal data (Art. 9(1) GDPR) or criminal data (Art. 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpecialKind {
    RacialEthnicOrigin,
    PoliticalOpinions,
    /// Religious or philosophical beliefs.
    ReligiousBeliefs,
    TradeUnion,
    Genetic,
    /// Biometric data for uniquely identifying a person.
    Biometric,
    Health,
    /// Sex life or sexual orientation.
    SexLife,
    /// Art. 9 data whose kind the register does not say (`Ja`, an Art. 9(2) condition).
    Unspecified,
    /// Personal data relating to criminal convictions and offences (Art. 10).
    Criminal,
}

impl SpecialKind {
    pub const ALL: [SpecialKind; 10] = [
        SpecialKind::RacialEthnicOrigin,
        SpecialKind::PoliticalOpinions,
        SpecialKind::ReligiousBeliefs,
        SpecialKind::TradeUnion,
        SpecialKind::Genetic,
        SpecialKind::Biometric,
        SpecialKind::Health,
        SpecialKind::SexLife,
        SpecialKind::Unspecified,
        SpecialKind::Criminal,
    ];

    pub fn key(self) -> &'static str {
        match self {
            SpecialKind::RacialEthnicOrigin => "racial_ethnic_origin",
            SpecialKind::PoliticalOpinions => "political_opinions",
            SpecialKind::ReligiousBeliefs => "religious_beliefs",
            SpecialKind::TradeUnion => "trade_union",
            SpecialKind::Genetic => "genetic",
            SpecialKind::Biometric => "biometric",
            SpecialKind::Health => "health",
            SpecialKind::SexLife => "sex_life",
            SpecialKind::Unspecified => "unspecified",
            SpecialKind::Criminal => "criminal",
        }
    }

    /// Art. 10 data rather than an Art. 9(1) special category.
    pub fn is_criminal(self) -> bool {
        self == SpecialKind::Criminal
    }
}

/// Special-category or criminal data an activity processes, and where the register says so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpecialCategory {
    pub kind: SpecialKind,
    /// The words it was read from.
    pub text: String,
    /// The field it was read from (`data_categories`, `special_categories`, `legal_basis`).
    pub field: &'static str,
}

/// A special category as `register.json` writes it: the field becomes the register format's
/// own key again.
#[derive(Deserialize)]
struct SpecialCategoryFields {
    kind: SpecialKind,
    text: String,
    field: String,
}

// By hand: a derived impl would borrow the `&'static str` from the input.
impl<'de> Deserialize<'de> for SpecialCategory {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let fields = SpecialCategoryFields::deserialize(deserializer)?;
        let field = crate::model::schema::static_key(&fields.field).ok_or_else(|| {
            <D::Error as serde::de::Error>::custom(format!(
                "`{}` is not a field of the register format",
                fields.field
            ))
        })?;
        Ok(SpecialCategory {
            kind: fields.kind,
            text: fields.text,
            field,
        })
    }
}

/// A transfer to a third country or international organisation stated on an activity (the
/// ICO's `Names of third countries …`, the CNIL's `Transferts hors UE`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatedTransfer {
    /// Where the data goes; [`Place::OutsideEea`] when the text names no country.
    pub place: Place,
    /// The importer the text names (`Stripe` in `Stripe USA — DPF`), resolved to a processor
    /// when the register has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub importer: Option<crate::model::Reference>,
    pub mechanisms: Vec<Mechanism>,
    /// Whether the text says the importer is certified under the EU-US Data Privacy
    /// Framework (`US (DPF certified)`).
    pub dpf_certified: Tristate,
    /// The words it was read from.
    pub text: String,
}
