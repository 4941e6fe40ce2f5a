//! What every report must say before anything else: that the register could not be read, or
//! not all of it, and that the legal reference data may be out of date for the evaluation date.
//! A report that lists no transfers because ropa read nothing is not an all-clear, and must not
//! look like one.

use crate::diag::{Code, Diagnostic, Severity};
use crate::model::Register;
use crate::reference;
use chrono::NaiveDate;
use serde::Serialize;

/// A statement at the top of every report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "key")]
pub enum Notice {
    /// No activity and no processor was read.
    NothingRead,
    /// Some of the register could not be read: this many import errors.
    IncompleteRead { errors: usize },
    /// The evaluation date is later than the date the reference data was checked up to: a
    /// decision adopted, amended or struck down since is not known to ropa.
    ReferenceOutdated {
        as_of: NaiveDate,
        reference_as_of: NaiveDate,
    },
}

impl Notice {
    /// Whether the notice says the register was not (fully) read, so that an empty result is
    /// no all-clear.
    pub fn is_about_the_read(&self) -> bool {
        matches!(self, Notice::NothingRead | Notice::IncompleteRead { .. })
    }
}

/// The notice that the reference data may be out of date on the evaluation date, if it is.
pub fn reference_outdated(as_of: NaiveDate) -> Option<Notice> {
    let reference_as_of = reference::data().as_of;
    (as_of > reference_as_of).then_some(Notice::ReferenceOutdated {
        as_of,
        reference_as_of,
    })
}

/// The diagnostic `ropa check` reports when the reference data may be out of date.
pub fn reference_outdated_diagnostic(as_of: NaiveDate) -> Option<Diagnostic> {
    reference_outdated(as_of)?;
    let reference_as_of = reference::data().as_of;
    Some(
        Diagnostic::new(
            Code::ReferenceDataOutdated,
            format!(
                "transfers are judged as of {as_of}, but ropa's legal reference data was checked only up to {reference_as_of}; adequacy decisions, judgments and transfer tools since then are not known"
            ),
        )
        .help("check the Commission's adequacy list and the decisions since that date, or update ropa"),
    )
}

/// The notices for a register, what its import said, and the evaluation date.
pub fn notices(register: &Register, import: &[Diagnostic], as_of: NaiveDate) -> Vec<Notice> {
    let mut notices = Vec::new();
    let errors = import
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if register.activities.is_empty() && register.processors.is_empty()
        || import.iter().any(|d| d.code == Code::NothingRead)
    {
        notices.push(Notice::NothingRead);
    } else if errors > 0 {
        notices.push(Notice::IncompleteRead { errors });
    }
    notices.extend(reference_outdated(as_of));
    notices
}
