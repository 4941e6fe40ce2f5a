//! The registry of diagnostic codes. A code never changes meaning once released; each is
//! documented in `docs/diagnostics.md` (a test checks that).

use super::Severity;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

macro_rules! codes {
    ($( $variant:ident => ($code:literal, $name:literal, $severity:ident, $summary:literal), )*) => {
        /// Every diagnostic code ropa can emit.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $( $variant, )* }

        impl Code {
            /// All codes, in registry order.
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The short stable code, such as `I007`.
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $code, )* }
            }

            /// The kebab-case name stating the problem.
            pub fn name(self) -> &'static str {
                match self { $( Code::$variant => $name, )* }
            }

            pub fn default_severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$severity, )* }
            }

            /// One line on what the code means.
            pub fn summary(self) -> &'static str {
                match self { $( Code::$variant => $summary, )* }
            }
        }
    };
}

codes! {
    UnreadableFile => ("I001", "unreadable-file", Error,
        "a file or folder could not be read, or is not a valid workbook or CSV file"),
    UnsupportedFileType => ("I002", "unsupported-file-type", Error,
        "a file's extension is not one ropa reads"),
    EmptyInput => ("I003", "empty-input", Warning,
        "a file, sheet or folder holds no data"),
    UnrecognisedTable => ("I004", "unrecognised-table", Error,
        "a sheet or file holds a table whose headings match no register table; its rows are not used"),
    MissingRequiredColumn => ("I005", "missing-required-column", Error,
        "a table lacks a column the register format requires"),
    MissingRequiredValue => ("I006", "missing-required-value", Warning,
        "a row leaves a required cell empty; rows without a name are rejected"),
    UnknownCountry => ("I007", "unknown-country", Warning,
        "a country cell names no known country or region"),
    CountryFromFreeText => ("I008", "country-from-free-text", Warning,
        "a country (and maybe a mechanism) was read out of free text; check it"),
    UnrecognisedMechanism => ("I009", "unrecognised-mechanism", Warning,
        "a transfer-mechanism cell names no known transfer tool"),
    UnrecognisedLegalBasis => ("I010", "unrecognised-legal-basis", Warning,
        "a legal-basis cell names no Art. 6(1) basis"),
    UnrecognisedValue => ("I011", "unrecognised-value", Warning,
        "a yes/no, role or date cell holds something else"),
    UnknownReference => ("I012", "unknown-reference", Error,
        "a reference names no entity of the register"),
    DuplicateId => ("I013", "duplicate-id", Error,
        "two rows of a table share an id but name different entities"),
    ConflictingDuplicate => ("I014", "conflicting-duplicate", Warning,
        "the same entity is described twice and the descriptions disagree"),
    NearDuplicateName => ("I015", "near-duplicate-name", Warning,
        "two names differ by one letter or only in spacing and punctuation"),
    ErrorCell => ("I016", "error-cell", Warning,
        "a cell holds a spreadsheet error such as #N/A or #REF!"),
    ExtraColumns => ("I017", "extra-columns", Info,
        "columns ropa does not know are kept as extra attributes"),
    RecipientCategory => ("I018", "recipient-category", Info,
        "a recipient names no processor and is kept as a category of recipients"),
    SubProcessorPointer => ("I019", "sub-processor-pointer", Info,
        "a sub-processors cell points elsewhere and is kept as a note"),
    ImplicitSubProcessor => ("I020", "implicit-sub-processor", Warning,
        "a listed sub-processor has no row of its own; its location is unknown"),
    MissingOrganisation => ("I021", "missing-organisation", Warning,
        "no organisation table was found"),
    MergedDuplicate => ("I022", "merged-duplicate", Info,
        "the same entity is listed twice and was merged into one"),
    NameFromPurpose => ("I023", "name-from-purpose", Info,
        "a table without a name column: activities are named after their purpose"),
    HeadingGuessed => ("I024", "heading-guessed", Info,
        "a heading was matched to a field by some of its words, or could mean another field too"),
    NothingRead => ("I025", "nothing-read", Error,
        "no activity and no processor could be read from the register's inputs"),
    FormulaWithoutValue => ("I026", "formula-without-value", Warning,
        "a formula cell has no saved result; its formula text is read as the value"),
    SectionLine => ("I027", "section-line", Info,
        "a line inside a table stands for the rows below it (a place or a group), not for an entity"),
    UnclosedQuote => ("I028", "unclosed-quote", Error,
        "a quote in a CSV file opens and never closes, swallowing the lines after it"),
    RaggedRow => ("I029", "ragged-row", Warning,
        "a CSV line has more or fewer fields than the header"),
    SkippedSheet => ("I030", "skipped-sheet", Info,
        "a sheet of instructions, notes or prose is skipped"),
    VaguePlace => ("I031", "vague-place", Warning,
        "a place cell says only `Europe`, `worldwide` or `outside the EU`: an unknown third country"),
    StatedTransferMismatch => ("I032", "stated-transfer-mismatch", Warning,
        "an activity states a transfer to a country where its named importer is not recorded"),
    RecipientLinked => ("I033", "recipient-linked", Info,
        "a recipient named loosely (`Anthropic USA`) was linked to the processor it names"),
    SelfParent => ("I034", "self-parent", Warning,
        "a processor names itself as its parent or sub-processor"),
    BesideRegisterDocument => ("I035", "beside-register-document", Info,
        "an input given with a register.json is not read: a register document is a whole register"),
    ReferenceDataOutdated => ("I045", "reference-data-outdated", Warning,
        "the evaluation date is later than the date ropa's legal reference data was checked up to"),
    TransferWithoutMechanism => ("R001", "transfer-without-mechanism", Error,
        "personal data goes to a third country and no transfer mechanism is recorded"),
    InvalidTransferMechanism => ("R002", "invalid-transfer-mechanism", Error,
        "a transfer relies on a tool that no longer covers it (Privacy Shield, Safe Harbor, old SCCs)"),
    UsAdequacyWithoutDpf => ("R003", "us-adequacy-without-dpf", Error,
        "a US importer is treated as adequate but is not DPF-certified on the date (for HR data: certified for HR data)"),
    SafeguardWithoutTia => ("R004", "safeguard-without-tia", Warning,
        "a transfer under an Art. 46 tool has no recorded transfer impact assessment (expected since 2020-07-16)"),
    DerogationForRegularTransfer => ("R005", "derogation-for-regular-transfer", Warning,
        "an Art. 49 derogation is used for a transfer the register describes as regular"),
    ImporterLocationUnknown => ("R006", "importer-location-unknown", Error,
        "data reaches a recipient whose location is unknown or `worldwide`"),
    ProcessorWithoutDpa => ("R007", "processor-without-dpa", Error,
        "a processor is recorded as having no data processing agreement (Art. 28(3))"),
    DpaUnknown => ("R008", "dpa-unknown", Warning,
        "whether a processor has a data processing agreement is not recorded"),
    TransferNotEncrypted => ("R009", "transfer-not-encrypted", Warning,
        "data goes to a third-country importer without encryption in transit"),
    MissingPurpose => ("R010", "missing-purpose", Error,
        "an activity records no purpose (Art. 30(1)(b))"),
    MissingDataSubjects => ("R011", "missing-data-subjects", Error,
        "an activity records no categories of data subjects (Art. 30(1)(c))"),
    MissingDataCategories => ("R012", "missing-data-categories", Error,
        "an activity records no categories of personal data (Art. 30(1)(c))"),
    MissingRecipients => ("R013", "missing-recipients", Warning,
        "an activity's data reaches recipients but its recipients column is empty (Art. 30(1)(d))"),
    MissingRetention => ("R014", "missing-retention", Warning,
        "an activity records no time limit for erasure (Art. 30(1)(f))"),
    MissingSecurityMeasures => ("R015", "missing-security-measures", Warning,
        "an activity records no technical and organisational measures (Art. 30(1)(g))"),
    MissingLegalBasis => ("R016", "missing-legal-basis", Error,
        "a controller activity records no Art. 6(1) legal basis"),
    SpecialCategoriesWithoutCondition => ("R017", "special-categories-without-condition", Error,
        "a controller activity processes special categories of data without a valid Art. 9(2) condition"),
    ProcessorActivityWithoutControllers => ("R018", "processor-activity-without-controllers", Error,
        "a processing activity carried out for customers names none of them (Art. 30(2)(a))"),
    OrphanProcessor => ("R019", "orphan-processor", Warning,
        "no activity, system or flow sends data to a listed processor"),
    SubProcessorChainTooDeep => ("R020", "sub-processor-chain-too-deep", Warning,
        "data passes through more sub-processors than the policy allows"),
    CriminalDataWithoutBasis => ("R021", "criminal-data-without-basis", Error,
        "a controller activity processes criminal-offence data without an Art. 10 ground"),
    NoAdequacyDecision => ("R022", "no-adequacy-decision", Error,
        "adequacy is claimed for a place outside the US that no adequacy decision covers on the date"),
    PartialAdequacyScope => ("R023", "partial-adequacy-scope", Info,
        "a transfer goes to a place whose adequacy decision is limited in scope: the importer must fall within it"),
    HrDataOutsideAdequacy => ("R024", "hr-data-outside-adequacy", Warning,
        "HR data goes to an importer whose adequacy may not cover it (DPF certification without HR recorded, PIPEDA)"),
    SccContractDateDecides => ("R025", "scc-contract-date-decides", Warning,
        "SCCs without a generation in 2021-2022, or old SCCs after their repeal: the contract date decides"),
}

impl Code {
    /// Whether the code belongs to a compliance rule (`R…`) rather than to the importer.
    pub fn is_rule(self) -> bool {
        self.as_str().starts_with('R')
    }

    /// The code named by `text`: its short code (`R002`) or its name
    /// (`invalid-transfer-mechanism`).
    pub fn find(text: &str) -> Option<Code> {
        let text = text.trim();
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(text) || c.name() == text)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Code::find(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not a ropa code")))
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn codes_and_names_are_unique() {
        let mut codes = BTreeSet::new();
        let mut names = BTreeSet::new();
        for code in Code::ALL {
            assert!(codes.insert(code.as_str()), "code {} twice", code.as_str());
            assert!(names.insert(code.name()), "name {} twice", code.name());
        }
    }
}
