//! The words registers are written in, as data: table and sheet names, column headings,
//! yes/no words, legal bases, Art. 9(2) conditions, data categories and places, in English,
//! German, Dutch, French, Spanish and Italian. Each concern is one CSV file under
//! `src/vocabulary/data/`, embedded at build time and citing its sources in its leading `#`
//! lines; adding a language or a template is adding rows (and a fixture), not code.

pub mod categories;
pub mod headings;
pub mod legal;
pub mod mechanisms;
pub mod names;
pub mod places;
pub mod words;

use serde::de::DeserializeOwned;

/// Parses an embedded vocabulary file. `#` lines are comments (sources, notes). The files
/// are compiled in and every one is parsed by a unit test, so a malformed file is a build
/// defect rather than a user error.
pub(crate) fn rows<T: DeserializeOwned>(name: &str, text: &str) -> Vec<T> {
    csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes())
        .deserialize()
        .collect::<Result<Vec<T>, _>>()
        .unwrap_or_else(|e| panic!("embedded vocabulary file {name} is malformed: {e}"))
}

/// The languages the vocabulary covers; `*` in a file means any.
pub const LANGUAGES: [&str; 6] = ["en", "de", "nl", "fr", "es", "it"];

/// Whether a `lang` cell names a covered language (or `*`).
pub(crate) fn known_language(lang: &str) -> bool {
    lang == "*" || LANGUAGES.contains(&lang)
}
