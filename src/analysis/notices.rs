//! What every report must say before anything else: that the register could not be read, or
//! not all of it. A report that lists no transfers because ropa read nothing is not an
//! all-clear, and must not look like one.

use crate::diag::{Code, Diagnostic, Severity};
use crate::model::Register;
use serde::Serialize;

/// A statement at the top of every report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "key")]
pub enum Notice {
    /// No activity and no processor was read.
    NothingRead,
    /// Some of the register could not be read: this many import errors.
    IncompleteRead { errors: usize },
}

/// The notices for a register and what its import said.
pub fn notices(register: &Register, import: &[Diagnostic]) -> Vec<Notice> {
    if register.activities.is_empty() && register.processors.is_empty()
        || import.iter().any(|d| d.code == Code::NothingRead)
    {
        return vec![Notice::NothingRead];
    }
    let errors = import
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if errors > 0 {
        vec![Notice::IncompleteRead { errors }]
    } else {
        Vec::new()
    }
}
