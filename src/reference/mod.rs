//! Reference data embedded in the binary: EU and EEA membership, adequacy decisions with their
//! dates and scopes, transfer mechanisms with their validity windows, and country names.
//!
//! The CSV files under `src/reference/data/` are the single source; `docs/reference-data.md`
//! describes them. [`AS_OF`] is the date up to which they were checked.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// The date up to which the embedded reference data was checked against its sources.
pub const AS_OF: &str = "2026-06-30";

const ADEQUACY_CSV: &str = include_str!("data/adequacy.csv");
const MECHANISMS_CSV: &str = include_str!("data/mechanisms.csv");

/// A jurisdiction's standing under Chapter V.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// EU member state.
    Eu,
    /// EEA EFTA state.
    Eea,
    /// Full adequacy decision (Art. 45).
    Adequate,
    /// Adequacy limited to a sector or to certain recipients.
    AdequatePartial,
    /// No adequacy decision.
    ThirdCountry,
}

/// One row of `adequacy.csv`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Jurisdiction {
    pub code: String,
    pub name: String,
    #[serde(rename = "status")]
    pub standing: Standing,
    pub scope: String,
    pub decision: String,
    /// When the membership or decision took effect.
    pub date: Option<NaiveDate>,
    /// When the decision stops applying, if it has an end date (the UK's runs to 2031-12-27).
    pub valid_until: Option<NaiveDate>,
    pub source: String,
}

/// One row of `mechanisms.csv`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MechanismInfo {
    pub mechanism: String,
    pub article: String,
    pub instrument: String,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    pub ended_by: String,
    pub note: String,
}

/// The parsed reference tables.
#[derive(Debug)]
pub struct ReferenceData {
    pub as_of: NaiveDate,
    pub jurisdictions: Vec<Jurisdiction>,
    pub mechanisms: Vec<MechanismInfo>,
}

fn parse<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> Vec<T> {
    // The files are compiled in and checked by a unit test, so a parse failure is a build
    // defect, not a user error.
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .collect::<Result<Vec<T>, _>>()
        .unwrap_or_else(|e| panic!("embedded reference file {name} is malformed: {e}"))
}

static DATA: LazyLock<ReferenceData> = LazyLock::new(|| ReferenceData {
    as_of: NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d").expect("AS_OF is an ISO date"),
    jurisdictions: parse("adequacy.csv", ADEQUACY_CSV),
    mechanisms: parse("mechanisms.csv", MECHANISMS_CSV),
});

/// The embedded reference data.
pub fn data() -> &'static ReferenceData {
    &DATA
}

impl ReferenceData {
    /// The jurisdiction with this code (`DE`, `US`, `EPO`), if the table lists it.
    pub fn jurisdiction(&self, code: &str) -> Option<&Jurisdiction> {
        self.jurisdictions.iter().find(|j| j.code == code)
    }

    /// The mechanism row for a key such as `scc`.
    pub fn mechanism(&self, key: &str) -> Option<&MechanismInfo> {
        self.mechanisms.iter().find(|m| m.mechanism == key)
    }

    /// Whether a country code is in the EEA (EU or EEA EFTA). Countries the table does not list
    /// are outside it: the table lists every member.
    pub fn in_eea(&self, code: &str) -> bool {
        matches!(
            self.jurisdiction(code).map(|j| j.standing),
            Some(Standing::Eu | Standing::Eea)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Mechanism;

    #[test]
    fn embedded_tables_parse_and_cover_the_eea() {
        let data = data();
        let members = data
            .jurisdictions
            .iter()
            .filter(|j| matches!(j.standing, Standing::Eu | Standing::Eea))
            .count();
        assert_eq!(members, 30, "27 EU member states and 3 EEA EFTA states");
        assert!(data.in_eea("NL") && data.in_eea("NO") && !data.in_eea("CH"));
        assert_eq!(
            data.jurisdiction("BR").and_then(|j| j.date),
            NaiveDate::from_ymd_opt(2026, 1, 26)
        );
    }

    #[test]
    fn every_mechanism_has_a_reference_row() {
        for mechanism in Mechanism::ALL {
            if mechanism == Mechanism::None {
                continue;
            }
            assert!(
                data().mechanism(mechanism.key()).is_some(),
                "{mechanism} missing from mechanisms.csv"
            );
        }
    }
}
