//! Transfer tools as registers name them (`data/mechanisms.csv`), in six languages, including
//! which generation of standard contractual clauses a cell means.

use super::{known_language, rows};
use crate::model::Mechanism;
use crate::model::key::fold;
use serde::Deserialize;
use std::sync::LazyLock;

const MECHANISMS_CSV: &str = include_str!("data/mechanisms.csv");

#[derive(Deserialize)]
struct CueRow {
    mechanism: String,
    lang: String,
    cue: String,
    #[serde(rename = "match")]
    how: String,
}

/// What a cue stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Meaning {
    Tool(Mechanism),
    /// The cell names no tool: `none`, `keine`.
    NoTool,
    /// The 2021 clauses (Implementing Decision (EU) 2021/914).
    Scc2021,
    /// The old sets (2001/497, 2004/915, 2010/87, 2002/16, "model clauses").
    SccLegacy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum How {
    Whole,
    Word,
    Part,
}

struct Cue {
    meaning: Meaning,
    how: How,
    text: String,
}

static CUES: LazyLock<Vec<Cue>> = LazyLock::new(|| {
    rows::<CueRow>("mechanisms.csv", MECHANISMS_CSV)
        .into_iter()
        .map(|row| {
            assert!(
                known_language(&row.lang),
                "mechanisms.csv: language `{}`",
                row.lang
            );
            let meaning = match row.mechanism.as_str() {
                "none" => Meaning::NoTool,
                "scc_2021" => Meaning::Scc2021,
                "scc_legacy" => Meaning::SccLegacy,
                key => Meaning::Tool(
                    Mechanism::ALL
                        .into_iter()
                        .find(|m| m.key() == key)
                        .unwrap_or_else(|| panic!("mechanisms.csv: unknown mechanism `{key}`")),
                ),
            };
            let how = match row.how.as_str() {
                "whole" => How::Whole,
                "word" => How::Word,
                "part" => How::Part,
                other => panic!("mechanisms.csv: unknown match `{other}`"),
            };
            let text = match how {
                How::Part => fold(&row.cue).replace(' ', ""),
                _ => fold(&row.cue),
            };
            Cue { meaning, how, text }
        })
        .collect()
});

/// The transfer tools a cell names, in the order of the vocabulary; `[None]` for a cell that
/// says there is none, empty when it names nothing ropa knows. Standard contractual clauses
/// come out as [`Mechanism::Scc2021`] or [`Mechanism::SccLegacy`] when the cell says which
/// generation, else as [`Mechanism::Scc`].
pub fn find(text: &str) -> Vec<Mechanism> {
    let folded = fold(text);
    if folded.is_empty() {
        return if text.trim() == "-" || text.trim() == "–" {
            vec![Mechanism::None]
        } else {
            Vec::new()
        };
    }
    let compact = folded.replace(' ', "");
    let padded = format!(" {folded} ");
    let hit = |cue: &Cue| match cue.how {
        How::Whole => folded == cue.text,
        How::Word => padded.contains(&format!(" {} ", cue.text)),
        How::Part => compact.contains(&cue.text),
    };
    let mut found: Vec<Mechanism> = Vec::new();
    let (mut new_set, mut old_set) = (false, false);
    for cue in CUES.iter().filter(|c| hit(c)) {
        match cue.meaning {
            Meaning::NoTool => return vec![Mechanism::None],
            Meaning::Scc2021 => new_set = true,
            Meaning::SccLegacy => old_set = true,
            Meaning::Tool(m) if !found.contains(&m) => found.push(m),
            Meaning::Tool(_) => {}
        }
    }
    // Self-certification under a US scheme is no Art. 42 certification, and clauses adopted
    // by a supervisory authority are not the Commission's.
    if found.iter().any(|m| {
        matches!(
            m,
            Mechanism::Dpf | Mechanism::PrivacyShield | Mechanism::SafeHarbor
        )
    }) {
        found.retain(|m| *m != Mechanism::Certification);
    }
    if found.contains(&Mechanism::SupervisoryAuthorityClauses) {
        found.retain(|m| *m != Mechanism::Scc);
        new_set = false;
        old_set = false;
    }
    // A generation marker alone (`2010/87/EU`, `model clauses`) names the clauses too.
    if (new_set || old_set) && !found.contains(&Mechanism::Scc) {
        found.push(Mechanism::Scc);
    }
    if let Some(scc) = found.iter_mut().find(|m| **m == Mechanism::Scc) {
        *scc = match (new_set, old_set) {
            (true, false) => Mechanism::Scc2021,
            (false, true) => Mechanism::SccLegacy,
            _ => Mechanism::Scc,
        };
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use Mechanism as M;

    #[test]
    fn tools_in_six_languages_and_scc_generations() {
        assert_eq!(find("EU/US privacy shield in place"), [M::PrivacyShield]);
        assert_eq!(find("US- EU/USprivacyshield in place."), [M::PrivacyShield]);
        assert_eq!(find("EU-Standardvertragsklauseln"), [M::Scc]);
        assert_eq!(find("SCC (2010/87/EU)"), [M::SccLegacy]);
        assert_eq!(find("EU Model Clauses"), [M::SccLegacy]);
        assert_eq!(find("SCCs 2021/914 module 2"), [M::Scc2021]);
        assert_eq!(find("Standaardcontractbepalingen"), [M::Scc]);
        assert_eq!(find("clauses contractuelles types"), [M::Scc]);
        assert_eq!(find("cláusulas contractuales tipo"), [M::Scc]);
        assert_eq!(find("clausole contrattuali standard"), [M::Scc]);
        assert_eq!(find("Data Privacy Framework"), [M::Dpf]);
        assert_eq!(find("EU-VS-kader voor gegevensbescherming"), [M::Dpf]);
        assert_eq!(
            find("cadre de protection des données UE-États-Unis"),
            [M::Dpf]
        );
        assert_eq!(find("DPF; SCC"), [M::Dpf, M::Scc]);
        assert_eq!(find("Angemessenheitsbeschluss"), [M::Adequacy]);
        assert_eq!(find("decisión de adecuación"), [M::Adequacy]);
        assert_eq!(find("Art. 49 Abs. 1 lit. a"), [M::Derogation]);
        assert_eq!(find("Safe Harbour"), [M::SafeHarbor]);
        assert_eq!(find("binding corporate rules"), [M::Bcr]);
        assert_eq!(find("code_of_conduct"), [M::CodeOfConduct]);
        assert_eq!(find("keine"), [M::None]);
        assert_eq!(find("-"), [M::None]);
        assert!(find("trust us").is_empty());
        assert_eq!(find("DPF self-certification"), [M::Dpf]);
        assert_eq!(find("Art. 46(2)(a) GDPR"), [M::PublicAuthorityInstrument]);
        assert_eq!(
            find("Verwaltungsvereinbarung (Art. 46 Abs. 3 lit. b)"),
            [M::AdministrativeArrangement]
        );
        assert_eq!(
            find("standard data protection clauses adopted by a supervisory authority"),
            [M::SupervisoryAuthorityClauses]
        );
        assert_eq!(find("Zertifizierung nach Art. 42"), [M::Certification]);
    }
}
