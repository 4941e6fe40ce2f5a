//! The words of the reports: the languages and fixed texts of [`crate::i18n`] and the
//! explanations of [`crate::analysis::explain`], in one place for the writers.

pub use crate::analysis::explain::*;
pub use crate::i18n::*;
