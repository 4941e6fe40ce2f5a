//! The registry of diagnostic codes. A code never changes meaning once released; each is
//! documented in `docs/diagnostics.md` (a test checks that).

use super::Severity;
use serde::{Serialize, Serializer};
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
    UnrecognisedTable => ("I004", "unrecognised-table", Warning,
        "a sheet or file matches no register table by name or headings; its rows are not used"),
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
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
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
