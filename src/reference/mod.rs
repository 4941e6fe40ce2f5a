//! Legal reference data embedded in the binary: how every place stands under Chapter V over
//! time (EU and EEA membership, territories, adequacy decisions with their scope, the UK's
//! time line, international organisations), the transfer tools with their validity windows per
//! generation, and the legal texts cited. Every row cites its act (CELEX number, OJ) or
//! judgment.
//!
//! The CSV files under `src/reference/data/` are the single source; `docs/reference-data.md`
//! lists every row. [`AS_OF`] is the date up to which they were checked.

use chrono::NaiveDate;
use foldhash::{HashMap, HashMapExt};
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// The date up to which the embedded reference data was checked against its sources (the
/// legal review of November 2026 and EUR-Lex).
pub const AS_OF: &str = "2026-11-23";

const JURISDICTIONS_CSV: &str = include_str!("data/jurisdictions.csv");
const MECHANISMS_CSV: &str = include_str!("data/mechanisms.csv");
const LAW_CSV: &str = include_str!("data/law.csv");
const TRANSLATIONS_CSV: &str = include_str!("data/translations.csv");

/// A place's standing under Chapter V in a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// EU member state or EU territory.
    Eu,
    /// EEA EFTA state.
    Eea,
    /// The EU-UK Trade and Cooperation Agreement's bridge (1 January to 27 June 2021): data
    /// sent to the UK was not a transfer to a third country.
    Bridge,
    /// Adequacy decision covering the whole place.
    Adequate,
    /// Adequacy limited to certain recipients or sectors (its `scope` says which).
    AdequatePartial,
    /// No adequacy decision.
    ThirdCountry,
}

impl Standing {
    /// Whether data sent there is no transfer under Chapter V.
    pub fn is_inside(self) -> bool {
        matches!(self, Standing::Eu | Standing::Eea | Standing::Bridge)
    }
}

/// What kind of place a row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    Country,
    Territory,
    InternationalOrganisation,
}

/// How an adequacy decision treats employees' (HR) data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HrData {
    /// Covered like any other data (or not an adequacy row).
    #[default]
    #[serde(rename = "")]
    Covered,
    /// Largely outside the decision's scope (PIPEDA).
    Outside,
    /// Covered only for importers certified for HR data (the DPF).
    CertifiedOnly,
}

/// One row of `jurisdictions.csv`: a place's standing in a period.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Period {
    pub code: String,
    pub name: String,
    pub kind: PlaceKind,
    #[serde(rename = "status")]
    pub standing: Standing,
    /// What the decision covers, quoted or closely paraphrased from it.
    pub scope: String,
    /// For a decision of limited scope, what it covers in a few words, as reports quote it
    /// with each transfer (the decision's own words are in `scope`).
    #[serde(rename = "covers")]
    pub scope_in_brief: String,
    /// How the decision treats employees' data.
    pub hr_data: HrData,
    /// The act the standing rests on.
    pub decision: String,
    pub celex: String,
    pub oj: String,
    pub adopted: Option<NaiveDate>,
    #[serde(rename = "in_force_from")]
    pub from: Option<NaiveDate>,
    #[serde(rename = "in_force_until")]
    pub until: Option<NaiveDate>,
    pub source_url: String,
    pub verified: String,
    pub note: String,
}

impl Period {
    /// Whether the period covers the date (both ends inclusive, open ends unbounded).
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= date) && self.until.is_none_or(|u| date <= u)
    }

    /// The decision with its CELEX number, as reasons cite it.
    pub fn citation(&self) -> String {
        cite(&self.decision, &self.celex)
    }
}

/// One row of `mechanisms.csv`: a transfer tool of one generation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Tool {
    pub key: String,
    /// The provision it rests on (`Art. 46(2)(c) GDPR`, `Art. 26(4) Directive 95/46/EC`).
    pub article: String,
    pub instrument: String,
    pub celex: String,
    pub oj: String,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    /// The last day on which contracts concluded before `valid_until` stay covered.
    pub grace_until: Option<NaiveDate>,
    pub ended_by: String,
    pub tia_expected_from: Option<NaiveDate>,
    /// Where the tool governs onward transfers from the importer.
    pub onward_terms: String,
    pub note: String,
    pub source_url: String,
    pub verified: String,
}

impl Tool {
    /// The instrument with its CELEX number, as reasons cite it.
    pub fn citation(&self) -> String {
        cite(&self.instrument, &self.celex)
    }

    /// The provision the tool rests on at a date: `article` reads `Art. 26(4) Directive
    /// 95/46/EC; from 2018-05-25 Art. 46(5) GDPR` for tools the GDPR kept.
    pub fn article_on(&self, date: NaiveDate) -> &str {
        let mut current = self.article.as_str();
        for part in self.article.split("; from ").skip(1) {
            if let Some((from, article)) = part.split_once(' ')
                && NaiveDate::parse_from_str(from, "%Y-%m-%d").is_ok_and(|f| f <= date)
            {
                current = article;
            }
        }
        current.split("; from ").next().unwrap_or(current)
    }

    /// Whether the tool is in force on the date (both ends inclusive).
    pub fn in_force(&self, date: NaiveDate) -> bool {
        self.valid_from.is_none_or(|f| f <= date) && self.valid_until.is_none_or(|u| date <= u)
    }

    /// Whether the date falls after the tool's end but within the grace period for contracts
    /// concluded before it.
    pub fn in_grace(&self, date: NaiveDate) -> bool {
        self.valid_until.is_some_and(|u| u < date) && self.grace_until.is_some_and(|g| date <= g)
    }

    /// Whether a transfer impact assessment is expected for transfers under it on the date.
    pub fn tia_expected(&self, date: NaiveDate) -> bool {
        self.tia_expected_from.is_some_and(|d| d <= date)
    }
}

/// One row of `law.csv`: a legal text or judgment ropa cites.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Law {
    pub id: String,
    pub title: String,
    pub celex_or_case: String,
    pub date: Option<NaiveDate>,
    pub url: String,
    pub note: String,
}

/// `Decision 2003/490/EC (CELEX 32003D0490)`; the first CELEX number when there are several.
fn cite(what: &str, celex: &str) -> String {
    let first = celex.split(';').next().unwrap_or("").trim();
    if first.is_empty() {
        what.to_string()
    } else {
        format!("{what} (CELEX {first})")
    }
}

/// The parsed reference tables.
#[derive(Debug)]
pub struct ReferenceData {
    pub as_of: NaiveDate,
    pub periods: Vec<Period>,
    pub tools: Vec<Tool>,
    pub law: Vec<Law>,
    by_code: HashMap<String, Vec<usize>>,
}

fn parse<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> Vec<T> {
    // The files are compiled in and checked by a unit test, so a parse failure is a build
    // defect, not a user error.
    csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(text.as_bytes())
        .deserialize()
        .collect::<Result<Vec<T>, _>>()
        .unwrap_or_else(|e| panic!("embedded reference file {name} is malformed: {e}"))
}

static DATA: LazyLock<ReferenceData> = LazyLock::new(|| {
    let periods: Vec<Period> = parse("jurisdictions.csv", JURISDICTIONS_CSV);
    let mut by_code: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, p) in periods.iter().enumerate() {
        by_code.entry(p.code.clone()).or_default().push(i);
    }
    ReferenceData {
        as_of: NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d").expect("AS_OF is an ISO date"),
        periods,
        tools: parse("mechanisms.csv", MECHANISMS_CSV),
        law: parse("law.csv", LAW_CSV),
        by_code,
    }
});

/// The embedded reference data.
pub fn data() -> &'static ReferenceData {
    &DATA
}

/// One row of `translations.csv`: a text of the reference data that reports quote (an act's
/// title, an article, what a decision covers, how a tool ended) in each report language.
#[derive(Debug, Clone, Deserialize)]
pub struct Translation {
    /// Which column of the reference data the text comes from.
    pub kind: String,
    pub en: String,
    pub de: String,
    pub nl: String,
    pub fr: String,
}

static TRANSLATIONS: LazyLock<(Vec<Translation>, HashMap<String, usize>)> = LazyLock::new(|| {
    let rows: Vec<Translation> = parse("translations.csv", TRANSLATIONS_CSV);
    let index = rows
        .iter()
        .enumerate()
        .map(|(i, t)| (t.en.clone(), i))
        .collect();
    (rows, index)
});

/// Every translation row, in file order.
pub fn translations() -> &'static [Translation] {
    &TRANSLATIONS.0
}

/// A reference text in a language (`de`, `nl`, `fr`), when `translations.csv` has it.
pub fn translation(text: &str, language: &str) -> Option<&'static str> {
    let row = &TRANSLATIONS.0[*TRANSLATIONS.1.get(text)?];
    Some(match language {
        "de" => row.de.as_str(),
        "nl" => row.nl.as_str(),
        "fr" => row.fr.as_str(),
        _ => row.en.as_str(),
    })
}

/// The texts of the reference data that reports quote, with the column they come from: what
/// `translations.csv` must cover.
pub fn quoted_texts() -> Vec<(&'static str, &'static str)> {
    let data = data();
    let mut texts: Vec<(&str, &str)> = Vec::new();
    for p in &data.periods {
        texts.push(("decision", p.decision.as_str()));
        texts.push(("covers", p.scope_in_brief.as_str()));
    }
    for t in &data.tools {
        texts.push(("instrument", t.instrument.as_str()));
        texts.push(("ended_by", t.ended_by.as_str()));
        texts.push(("onward_terms", t.onward_terms.as_str()));
        let mut parts = t.article.split("; from ");
        texts.extend(parts.next().map(|a| ("article", a)));
        texts.extend(parts.filter_map(|p| p.split_once(' ').map(|(_, a)| ("article", a))));
    }
    texts.retain(|(_, t)| !t.trim().is_empty());
    let mut seen = std::collections::HashSet::new();
    texts.retain(|(_, t)| seen.insert(*t));
    texts
}

impl ReferenceData {
    /// A place's standing on a date (`DE`, `US`, `EPO`), if the table has a row for it then.
    pub fn standing(&self, code: &str, date: NaiveDate) -> Option<&Period> {
        self.by_code
            .get(code)?
            .iter()
            .map(|&i| &self.periods[i])
            .find(|p| p.covers(date))
    }

    /// Every period of a place, in table order.
    pub fn periods_of(&self, code: &str) -> impl Iterator<Item = &Period> {
        self.by_code
            .get(code)
            .into_iter()
            .flatten()
            .map(|&i| &self.periods[i])
    }

    /// A place's latest standing, for displays that are not about a date.
    pub fn latest(&self, code: &str) -> Option<&Period> {
        self.by_code
            .get(code)?
            .iter()
            .map(|&i| &self.periods[i])
            .max_by_key(|p| p.from)
    }

    /// Whether data sent to the place on the date is no transfer (EU, EEA, the UK bridge).
    pub fn inside_on(&self, code: &str, date: NaiveDate) -> bool {
        self.standing(code, date)
            .is_some_and(|p| p.standing.is_inside())
    }

    /// Whether the place is in the EEA by its latest standing.
    pub fn in_eea(&self, code: &str) -> bool {
        self.latest(code)
            .is_some_and(|p| matches!(p.standing, Standing::Eu | Standing::Eea))
    }

    /// The first day the GDPR applies (Art. 99(2)); earlier dates are judged under Directive
    /// 95/46/EC. Read from the `adequacy` tool row, which starts that day.
    pub fn gdpr_applies(&self) -> NaiveDate {
        self.tool("adequacy")
            .and_then(|t| t.valid_from)
            .expect("mechanisms.csv has the `adequacy` row with its start date")
    }

    /// The tool row with this key (`scc_2021_914`, `bcr_directive`).
    pub fn tool(&self, key: &str) -> Option<&Tool> {
        self.tools.iter().find(|t| t.key == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_quoted_reference_text_is_translated_and_no_row_is_stale() {
        let quoted = quoted_texts();
        assert!(quoted.len() > 100, "{}", quoted.len());
        let mut missing = Vec::new();
        for (kind, text) in &quoted {
            match translations().iter().find(|t| t.en == *text) {
                None => missing.push(format!("{kind}: {text}")),
                Some(row) => {
                    assert_eq!(row.kind, *kind, "{text}");
                    for (lang, value) in [("de", &row.de), ("nl", &row.nl), ("fr", &row.fr)] {
                        assert!(!value.trim().is_empty(), "{text}: no {lang}");
                        assert_eq!(value.trim(), value, "{text} ({lang}): spaces around it");
                    }
                }
            }
        }
        assert!(missing.is_empty(), "translations.csv lacks {missing:#?}");
        for row in translations() {
            assert!(
                quoted.iter().any(|(_, t)| *t == row.en),
                "translations.csv has a row no reference data quotes: {}",
                row.en
            );
        }
        let mut seen = std::collections::HashSet::new();
        assert!(translations().iter().all(|t| seen.insert(&t.en)));
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_eea_has_thirty_members_today() {
        let data = data();
        let today = day("2026-11-23");
        let members: std::collections::BTreeSet<&str> = data
            .periods
            .iter()
            .filter(|p| {
                p.kind == PlaceKind::Country
                    && matches!(p.standing, Standing::Eu | Standing::Eea)
                    && p.covers(today)
            })
            .map(|p| p.code.as_str())
            .collect();
        assert_eq!(
            members.len(),
            30,
            "27 EU member states and 3 EEA EFTA states: {members:?}"
        );
        assert!(data.in_eea("NL") && data.in_eea("NO") && !data.in_eea("CH"));
    }

    #[test]
    fn every_decision_of_limited_scope_says_briefly_what_it_covers() {
        for p in &data().periods {
            let brief = &p.scope_in_brief;
            if p.standing == Standing::AdequatePartial {
                assert!(
                    !brief.is_empty() && brief.len() <= 120,
                    "{} from {:?}: `covers` must say in a few words what the decision covers",
                    p.code,
                    p.from
                );
            } else {
                assert!(
                    brief.is_empty(),
                    "{}: `covers` is for limited decisions",
                    p.code
                );
            }
        }
    }

    #[test]
    fn every_row_cites_its_source() {
        let data = data();
        for p in &data.periods {
            assert!(
                !p.source_url.trim().is_empty(),
                "{} {:?}: no source",
                p.code,
                p.from
            );
            if matches!(p.standing, Standing::Adequate | Standing::AdequatePartial) {
                assert!(
                    !p.celex.trim().is_empty(),
                    "{} {:?}: an adequacy row cites its act's CELEX number",
                    p.code,
                    p.from
                );
            }
            for text in [&p.scope, &p.decision] {
                assert!(
                    !text.to_lowercase().contains("unconfirmed"),
                    "{}: reported text says unconfirmed",
                    p.code
                );
            }
        }
        for t in &data.tools {
            assert!(!t.source_url.trim().is_empty(), "{}: no source", t.key);
            assert!(!t.article.trim().is_empty(), "{}: no article", t.key);
            // The texts reports quote.
            for text in [&t.article, &t.instrument, &t.ended_by, &t.onward_terms] {
                assert!(
                    !text.to_lowercase().contains("unconfirmed"),
                    "{}: reported text says unconfirmed",
                    t.key
                );
            }
        }
        for l in &data.law {
            assert!(!l.url.trim().is_empty(), "{}: no source", l.id);
        }
    }

    #[test]
    fn known_corrections_hold() {
        let data = data();
        let on = day("2026-01-01");
        assert!(
            data.standing("AR", on)
                .unwrap()
                .celex
                .contains("32003D0490")
        );
        assert!(
            data.standing("UY", on)
                .unwrap()
                .celex
                .contains("32012D0484")
        );
        assert!(
            data.standing("GG", on)
                .unwrap()
                .celex
                .contains("32003D0821")
        );
        assert_eq!(
            data.standing("BR", day("2026-02-01")).unwrap().standing,
            Standing::Adequate
        );
        assert_eq!(
            data.standing("EPO", day("2025-08-01")).unwrap().kind,
            PlaceKind::InternationalOrganisation
        );
    }
}
