//! The languages ropa writes and their fixed texts, from one table with a column per language
//! (`src/i18n/strings.csv`): adding a language is adding a column. Below `analysis` and
//! `export`, which both word their results with it.

use crate::model::Tristate;
use crate::reference::Standing;
use clap::ValueEnum;
use foldhash::{HashMap, HashMapExt};
use serde::Serialize;
use std::sync::LazyLock;

const STRINGS_CSV: &str = include_str!("strings.csv");

/// A report language.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, ValueEnum, Serialize, serde::Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    De,
    Nl,
    Fr,
}

impl Lang {
    /// Every language, in the order declared: `lang as usize` is its place here.
    pub const ALL: [Lang; 4] = [Lang::En, Lang::De, Lang::Nl, Lang::Fr];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
            Lang::Nl => "nl",
            Lang::Fr => "fr",
        }
    }
}

/// The table as read: the languages (column order), key → one text per language, and what
/// was wrong with it (rows that do not parse or have the wrong number of fields, repeated
/// keys), which a test turns into a failure.
struct Table {
    languages: Vec<String>,
    texts: HashMap<String, Vec<String>>,
    /// Read by the tests, which fail on any.
    #[cfg_attr(not(test), allow(dead_code))]
    errors: Vec<String>,
}

fn read_table(csv_text: &str) -> Table {
    // Flexible, so that a row with too few or too many fields is read and reported rather
    // than skipped.
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(csv_text.as_bytes());
    let mut errors = Vec::new();
    let languages: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().skip(1).map(str::to_string).collect(),
        Err(e) => {
            errors.push(format!("header: {e}"));
            Vec::new()
        }
    };
    let mut texts = HashMap::new();
    for (n, record) in reader.records().enumerate() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                errors.push(format!("record {}: {e}", n + 1));
                continue;
            }
        };
        let key = record.get(0).unwrap_or_default().to_string();
        if record.len() != languages.len() + 1 {
            errors.push(format!(
                "`{key}` (line {}): {} fields, expected {}",
                record.position().map_or(0, |p| p.line()),
                record.len(),
                languages.len() + 1
            ));
            continue;
        }
        let row: Vec<String> = record.iter().skip(1).map(str::to_string).collect();
        if texts.insert(key.clone(), row).is_some() {
            errors.push(format!("`{key}` appears twice"));
        }
    }
    Table {
        languages,
        texts,
        errors,
    }
}

static TABLE: LazyLock<Table> = LazyLock::new(|| read_table(STRINGS_CSV));

/// The text for `key` in `lang`; the key itself if the table lacks it (a test forbids that).
pub fn text(lang: Lang, key: &str) -> String {
    let table = &*TABLE;
    let column = table.languages.iter().position(|l| l == lang.code());
    match (table.texts.get(key), column) {
        (Some(row), Some(column)) => row.get(column).cloned().unwrap_or_else(|| key.to_string()),
        _ => key.to_string(),
    }
}

/// `{name}` placeholders replaced by values, in one pass over the template: a value (a name
/// from a register) that contains `{date}` stays as written. Braces that name no value are
/// kept.
pub fn fill(template: String, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template.as_str();
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, value)| (*value, close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

pub fn standing(lang: Lang, standing: Option<Standing>) -> String {
    let key = match standing {
        Some(Standing::Eu) => "standing.eu",
        Some(Standing::Eea) => "standing.eea",
        Some(Standing::Bridge) => "standing.bridge",
        Some(Standing::Adequate) => "standing.adequate",
        Some(Standing::AdequatePartial) => "standing.adequate_partial",
        Some(Standing::ThirdCountry) => "standing.third_country",
        None => "standing.unknown",
    };
    text(lang, key)
}

pub fn tristate(lang: Lang, value: Tristate) -> String {
    let key = match value {
        Tristate::Yes => "tristate.yes",
        Tristate::No => "tristate.no",
        Tristate::Unknown => "tristate.unknown",
    };
    text(lang, key)
}

/// A place in the report's language, in words the importer reads back as the same place
/// (`Niederlande`, `EU`, `UE`, `outside the EEA`, `hors de l'EEE`).
pub fn place(lang: Lang, place: &crate::model::Place) -> String {
    use crate::model::Place;
    let names = crate::vocabulary::places::index();
    let named = |code: &str| {
        names
            .name(code, lang.code())
            .map(str::to_string)
            .unwrap_or_else(|| code.to_string())
    };
    match place {
        Place::Country(code) | Place::Organisation(code) => named(code),
        Place::Eu => text(lang, "place.eu"),
        Place::Eea => text(lang, "place.eea"),
        Place::OutsideEea => text(lang, "place.outside_eea"),
        Place::Europe => text(lang, "place.europe"),
        Place::Worldwide => text(lang, "place.worldwide"),
    }
}

/// A destination code of the transfer analysis (`US`, `EU`, `non-EEA`, `worldwide`,
/// `unknown`) as reports show it: country and organisation codes as they are, the others in
/// the language's words (`UE`, `hors de l'EEE`).
pub fn destination_code(lang: Lang, code: &str) -> String {
    match code {
        "EU" => text(lang, "place.eu"),
        "EEA" => text(lang, "place.eea"),
        "non-EEA" => text(lang, "place.outside_eea"),
        "Europe" => text(lang, "place.europe"),
        "worldwide" => text(lang, "place.worldwide"),
        "unknown" => text(lang, "tristate.unknown"),
        code => code.to_string(),
    }
}

/// A destination as a heading names it: its code and name (`US Verenigde Staten`), or only the
/// name when the place has no code of its own (`outside the EEA`).
pub fn destination(lang: Lang, code: &str) -> String {
    let (short, name) = (destination_code(lang, code), destination_name(lang, code));
    if short == name {
        name
    } else {
        format!("{short} {name}")
    }
}

/// A destination as a cell names it: `US (United States)`, or only the name when the place
/// has no code of its own.
pub fn destination_in_brackets(lang: Lang, code: &str) -> String {
    let (short, name) = (destination_code(lang, code), destination_name(lang, code));
    if short == name {
        name
    } else {
        format!("{short} ({name})")
    }
}

/// The name of a destination in the language (`Verenigde Staten`, `Union européenne`,
/// `lieu inconnu`).
pub fn destination_name(lang: Lang, code: &str) -> String {
    match code {
        "worldwide" => text(lang, "country.worldwide"),
        "unknown" => text(lang, "country.unknown"),
        "non-EEA" | "Europe" => destination_code(lang, code),
        code => crate::vocabulary::places::index()
            .name(code, lang.code())
            .unwrap_or(code)
            .to_string(),
    }
}

/// Places as short codes in the language (`US, UE`): for recipient lines and record cells.
pub fn place_codes(lang: Lang, places: &[crate::model::Place]) -> String {
    places
        .iter()
        .map(|p| destination_code(lang, &p.to_string()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What goes between a label and its value (`: `; in French a no-break space before the
/// colon).
pub fn colon(lang: Lang) -> String {
    let template = text(lang, "punct.label");
    template
        .split_once("{label}")
        .and_then(|(_, rest)| rest.split_once("{value}"))
        .map(|(between, _)| between.to_string())
        .unwrap_or_else(|| ": ".to_string())
}

/// `label: value` with the language's colon.
pub fn labelled(lang: Lang, label: &str, value: &str) -> String {
    format!("{label}{}{value}", colon(lang))
}

/// Transfer mechanisms by their names, in order.
pub fn mechanisms(lang: Lang, mechanisms: &[crate::model::Mechanism]) -> Vec<String> {
    mechanisms.iter().map(|m| mechanism(lang, *m)).collect()
}

/// A transfer mechanism's name, which the importer reads back as the same mechanism.
pub fn mechanism(lang: Lang, mechanism: crate::model::Mechanism) -> String {
    text(lang, &format!("mechanism.{}", mechanism.key()))
}

/// A yes/no/date/link field: the answer, with its date when the register gives one.
pub fn evidence(lang: Lang, evidence: &crate::model::Evidence) -> String {
    let answer = tristate(lang, evidence.status);
    match evidence.date() {
        Some(date) => format!("{answer} ({date})"),
        None => answer,
    }
}

/// An Art. 6(1) legal basis, named.
pub fn legal_basis(lang: Lang, basis: crate::model::LegalBasis) -> String {
    use crate::model::LegalBasis;
    let key = match basis {
        LegalBasis::Consent => "consent",
        LegalBasis::Contract => "contract",
        LegalBasis::LegalObligation => "legal_obligation",
        LegalBasis::VitalInterests => "vital_interests",
        LegalBasis::PublicTask => "public_task",
        LegalBasis::LegitimateInterests => "legitimate_interests",
    };
    text(lang, &format!("legal_basis.{key}"))
}

/// A data category as reports show it: the canonical category in the report's language, with
/// the register's words beside it when they differ (`Health data (Gesundheitsdaten
/// (AU-Bescheinigungen))`).
pub fn category(lang: Lang, category: &crate::model::Category) -> String {
    let label = category
        .key
        .as_deref()
        .and_then(|k| crate::vocabulary::categories::label(k, lang.code()));
    match label {
        Some(label)
            if crate::model::key::fold(label) != crate::model::key::fold(&category.text) =>
        {
            format!("{label} ({})", category.text)
        }
        Some(label) => label.to_string(),
        None => category.text.to_string(),
    }
}

/// A category identity from the analysis ([`crate::model::Category::id`]) as reports show
/// it: the canonical label, or the register's first wording for it.
pub fn category_id(
    lang: Lang,
    id: &str,
    words: &std::collections::BTreeMap<String, Vec<String>>,
) -> String {
    if let Some(label) = crate::vocabulary::categories::label(id, lang.code()) {
        return label.to_string();
    }
    words
        .get(id)
        .and_then(|w| w.first().cloned())
        .unwrap_or_else(|| id.to_string())
}

/// Category identities as reports show them, each with the register's words when they
/// differ from the label.
pub fn category_ids(
    lang: Lang,
    ids: impl IntoIterator<Item = impl AsRef<str>>,
    words: &std::collections::BTreeMap<String, Vec<String>>,
) -> Vec<String> {
    ids.into_iter()
        .map(|id| {
            let id = id.as_ref();
            let label = category_id(lang, id, words);
            let written: Vec<&String> = words
                .get(id)
                .into_iter()
                .flatten()
                .filter(|w| crate::model::key::fold(w) != crate::model::key::fold(&label))
                .collect();
            if written.is_empty() || crate::vocabulary::categories::def(id).is_none() {
                label
            } else {
                format!(
                    "{label} ({})",
                    written
                        .iter()
                        .map(|w| w.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                )
            }
        })
        .collect()
}

/// A special category or criminal data, named.
pub fn special_kind(lang: Lang, kind: crate::model::SpecialKind) -> String {
    text(lang, &format!("special.{}", kind.key()))
}

/// What kind of transfer a hop is: a first transfer by an exporter in the EEA, or an onward
/// transfer from a third-country importer resting on the first tool's onward terms.
pub fn transfer_kind(lang: Lang, onward: bool, terms: Option<&str>) -> String {
    match (onward, terms) {
        (false, _) => text(lang, "kind.first"),
        (true, None) => text(lang, "kind.onward"),
        (true, Some(terms)) => fill(
            text(lang, "kind.onward_terms"),
            &[("terms", &reference_text(lang, terms))],
        ),
    }
}

/// A text of the legal reference data (an act's title, an article, what a decision covers,
/// how a tool ended) in the language, from `reference/data/translations.csv`; a citation
/// `X (CELEX n)` keeps its number, and texts joined by `; ` are taken one by one. A text the
/// table lacks stays as written (a test keeps the table complete).
pub fn reference_text(lang: Lang, text: &str) -> String {
    if lang == Lang::En {
        return text.to_string();
    }
    let (what, celex) = match text.rfind(" (CELEX ") {
        Some(at) if text.ends_with(')') => text.split_at(at),
        _ => (text, ""),
    };
    match crate::reference::translation(what, lang.code()) {
        Some(translated) => format!("{translated}{celex}"),
        // Several texts joined (the onward terms of two tools).
        None if text.contains("; ") => text
            .split("; ")
            .map(|part| reference_text(lang, part))
            .collect::<Vec<_>>()
            .join("; "),
        None => text.to_string(),
    }
}

/// What a rule checks, in one line: the finding's meaning in the language, beside its message
/// (which ropa writes in English).
pub fn rule_summary(lang: Lang, code: crate::diag::Code) -> String {
    text(lang, &format!("rule.{code}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_languages_number_is_its_place_in_all() {
        for (i, lang) in Lang::ALL.into_iter().enumerate() {
            assert_eq!(lang as usize, i, "{lang:?}");
        }
    }

    #[test]
    fn a_destination_without_a_code_is_named_once() {
        assert_eq!(destination(Lang::Nl, "US"), "US Verenigde Staten");
        assert_eq!(
            destination_in_brackets(Lang::En, "US"),
            "US (United States)"
        );
        assert_eq!(destination(Lang::En, "non-EEA"), "outside the EEA");
        assert_eq!(
            destination_in_brackets(Lang::Fr, "non-EEA"),
            "hors de l'EEE"
        );
    }

    #[test]
    fn fill_leaves_placeholders_inside_values_alone() {
        let filled = fill(
            "{organisation}: {what} · as of {date}".to_string(),
            &[
                ("organisation", "Acme {date} {what}"),
                ("what", "data flows"),
                ("date", "2026-11-23"),
            ],
        );
        assert_eq!(filled, "Acme {date} {what}: data flows · as of 2026-11-23");
        assert_eq!(fill("{a} {b} {".to_string(), &[("a", "x")]), "x {b} {");
    }

    #[test]
    fn every_rule_has_its_summary_in_every_language() {
        for &code in crate::diag::Code::ALL {
            let key = format!("rule.{code}");
            assert!(TABLE.texts.contains_key(&key), "strings.csv lacks {key}");
            // The English row is the rule's own summary (codes.rs, docs, SARIF).
            assert_eq!(rule_summary(Lang::En, code), code.summary(), "{key}");
        }
    }

    #[test]
    fn every_key_has_every_language() {
        let table = &*TABLE;
        assert!(table.errors.is_empty(), "strings.csv: {:#?}", table.errors);
        assert_eq!(table.languages, ["en", "de", "nl", "fr"]);
        let codes: Vec<&str> = Lang::ALL.iter().map(|l| l.code()).collect();
        assert_eq!(table.languages, codes, "one column per Lang, in its order");
        assert!(table.texts.len() > 300, "{}", table.texts.len());
        for (key, row) in &table.texts {
            assert_eq!(row.len(), table.languages.len(), "{key}");
            for (lang, text) in table.languages.iter().zip(row) {
                assert!(!text.trim().is_empty(), "{key} has no {lang} text");
                assert_eq!(text.trim(), text, "{key} ({lang}) has spaces around it");
            }
            // The same placeholders in every language.
            let placeholders = |t: &str| {
                let mut found: Vec<String> = t
                    .split('{')
                    .skip(1)
                    .filter_map(|p| p.split_once('}').map(|(name, _)| name.to_string()))
                    .collect();
                found.sort();
                found
            };
            for (lang, text) in table.languages.iter().zip(row).skip(1) {
                assert_eq!(
                    placeholders(text),
                    placeholders(&row[0]),
                    "{key} ({lang}): placeholders differ from en"
                );
            }
        }
    }

    #[test]
    fn a_malformed_row_is_an_error_not_a_skipped_row() {
        let table = read_table("key,en,de\na,A,Ä\nb,B\nc,C,C,C\na,A2,Ä2\n");
        assert_eq!(table.errors.len(), 3, "{:?}", table.errors);
        assert!(table.errors[0].contains("`b`") && table.errors[0].contains("2 fields"));
        assert!(table.errors[1].contains("`c`") && table.errors[1].contains("4 fields"));
        assert!(table.errors[2].contains("twice"));
        let table = read_table("key,en\n\"unterminated,x\n");
        assert_eq!(table.errors.len(), 1, "{:?}", table.errors);
    }

    #[test]
    fn destinations_and_labels_in_the_language() {
        assert_eq!(destination_name(Lang::Nl, "US"), "Verenigde Staten");
        assert_eq!(destination_name(Lang::Fr, "EU"), "Union européenne");
        assert_eq!(destination_name(Lang::En, "EU"), "European Union");
        assert_eq!(destination_code(Lang::Fr, "EU"), "UE");
        assert_eq!(destination_code(Lang::Nl, "GB"), "GB");
        assert_eq!(destination_name(Lang::De, "unknown"), "unbekannter Ort");
        assert_eq!(labelled(Lang::En, "Status", "ok"), "Status: ok");
        assert_eq!(labelled(Lang::Fr, "Statut", "ok"), "Statut\u{a0}: ok");
        assert_eq!(colon(Lang::Nl), ": ");
    }

    #[test]
    fn places_and_mechanisms_read_back_in_every_language() {
        use crate::model::{Mechanism, Place};
        let places = [
            Place::Country("NL".into()),
            Place::Country("US".into()),
            Place::Country("GB".into()),
            Place::Eu,
            Place::Eea,
            Place::OutsideEea,
            Place::Europe,
            Place::Worldwide,
            Place::Organisation("EPO".into()),
        ];
        for lang in Lang::ALL {
            for p in &places {
                let shown = place(lang, p);
                assert_eq!(
                    crate::vocabulary::places::index().lookup(&shown).as_ref(),
                    Some(p),
                    "{lang:?}: {shown}"
                );
            }
            for m in Mechanism::ALL {
                let shown = mechanism(lang, m);
                assert_eq!(
                    crate::vocabulary::mechanisms::find(&shown),
                    [m],
                    "{lang:?}: {shown}"
                );
            }
        }
    }
}
