//! Personal-data categories (`data/data_categories.csv`): canonical keys aligned with the W3C
//! Data Privacy Vocabulary's personal-data concepts, their Art. 9 / Art. 10 class, labels and
//! synonyms in six languages. A register's category text is read to the canonical category it
//! names and every special category it mentions (`Gesundheitsdaten (AU-Bescheinigungen)`,
//! `sickness records`, `données de santé`, `Religionszugehörigkeit`).

use super::{LANGUAGES, rows};
use crate::model::SpecialKind;
use crate::model::key::fold;
use foldhash::{HashMap, HashMapExt};
use serde::Deserialize;
use std::sync::LazyLock;

const CATEGORIES_CSV: &str = include_str!("data/data_categories.csv");

#[derive(Deserialize)]
struct CategoryRow {
    key: String,
    dpv: String,
    parent: String,
    special: String,
    label_en: String,
    label_de: String,
    label_nl: String,
    label_fr: String,
    label_es: String,
    label_it: String,
    synonyms_en: String,
    synonyms_de: String,
    synonyms_nl: String,
    synonyms_fr: String,
    synonyms_es: String,
    synonyms_it: String,
}

/// One canonical category.
#[derive(Debug)]
pub struct CategoryDef {
    pub key: String,
    /// The DPV concept (`pd:Health`).
    pub dpv: String,
    pub parent: Option<String>,
    pub special: Option<SpecialKind>,
    /// Labels in the order of [`LANGUAGES`].
    labels: Vec<String>,
}

/// A word of a synonym: whole, or a part marked with `*`.
#[derive(Debug)]
enum Part {
    Word(String),
    Prefix(String),
    Suffix(String),
    Infix(String),
}

impl Part {
    fn parse(word: &str) -> Part {
        let stem = word.trim_matches('*').to_string();
        match (word.starts_with('*'), word.ends_with('*')) {
            (true, true) => Part::Infix(stem),
            (true, false) => Part::Suffix(stem),
            (false, true) => Part::Prefix(stem),
            (false, false) => Part::Word(stem),
        }
    }

    fn matches(&self, word: &str) -> bool {
        match self {
            Part::Word(w) => word == w,
            Part::Prefix(p) => word.starts_with(p.as_str()),
            Part::Suffix(s) => word.ends_with(s.as_str()),
            Part::Infix(i) => word.contains(i.as_str()),
        }
    }
}

struct Synonym {
    parts: Vec<Part>,
    /// Index into the definitions; `None` for phrases that are no data category.
    category: Option<usize>,
}

struct Index {
    defs: Vec<CategoryDef>,
    by_key: HashMap<String, usize>,
    synonyms: Vec<Synonym>,
    by_first_word: HashMap<String, Vec<usize>>,
    affix_led: Vec<usize>,
}

fn special_of(text: &str) -> Option<SpecialKind> {
    let key = text.split_once(':').map(|(_, k)| k).unwrap_or(text);
    if text.is_empty() {
        return None;
    }
    Some(match key {
        "racial_ethnic_origin" => SpecialKind::RacialEthnicOrigin,
        "political_opinions" => SpecialKind::PoliticalOpinions,
        "religious_beliefs" => SpecialKind::ReligiousBeliefs,
        "trade_union" => SpecialKind::TradeUnion,
        "genetic" => SpecialKind::Genetic,
        "biometric" => SpecialKind::Biometric,
        "health" => SpecialKind::Health,
        "sex_life" => SpecialKind::SexLife,
        "unspecified" => SpecialKind::Unspecified,
        "criminal" => SpecialKind::Criminal,
        other => panic!("data_categories.csv: unknown special class `{other}`"),
    })
}

static INDEX: LazyLock<Index> = LazyLock::new(|| {
    let mut index = Index {
        defs: Vec::new(),
        by_key: HashMap::new(),
        synonyms: Vec::new(),
        by_first_word: HashMap::new(),
        affix_led: Vec::new(),
    };
    for row in rows::<CategoryRow>("data_categories.csv", CATEGORIES_CSV) {
        let category = if row.key == "-" {
            None
        } else {
            let i = index.defs.len();
            index.by_key.insert(row.key.clone(), i);
            index.defs.push(CategoryDef {
                key: row.key.clone(),
                dpv: row.dpv.clone(),
                parent: (!row.parent.is_empty()).then(|| row.parent.clone()),
                special: special_of(&row.special),
                labels: vec![
                    row.label_en.clone(),
                    row.label_de.clone(),
                    row.label_nl.clone(),
                    row.label_fr.clone(),
                    row.label_es.clone(),
                    row.label_it.clone(),
                ],
            });
            Some(i)
        };
        let all = [
            &row.synonyms_en,
            &row.synonyms_de,
            &row.synonyms_nl,
            &row.synonyms_fr,
            &row.synonyms_es,
            &row.synonyms_it,
        ];
        let labels = [
            &row.label_en,
            &row.label_de,
            &row.label_nl,
            &row.label_fr,
            &row.label_es,
            &row.label_it,
        ];
        let texts = all.iter().flat_map(|s| s.split(';')).chain(
            labels
                .iter()
                .filter(|_| category.is_some())
                .map(|l| l.as_str()),
        );
        for text in texts.map(str::trim).filter(|t| !t.is_empty()) {
            // Stars survive folding as word parts: fold each word on its own.
            let parts: Vec<Part> = text
                .split_whitespace()
                .flat_map(|w| {
                    let lead = if w.starts_with('*') { "*" } else { "" };
                    let tail = if w.ends_with('*') { "*" } else { "" };
                    fold(w)
                        .split(' ')
                        .filter(|p| !p.is_empty())
                        .map(|p| Part::parse(&format!("{lead}{p}{tail}")))
                        .collect::<Vec<_>>()
                })
                .collect();
            if parts.is_empty() {
                continue;
            }
            let id = index.synonyms.len();
            match &parts[0] {
                Part::Word(w) => index.by_first_word.entry(w.clone()).or_default().push(id),
                _ => index.affix_led.push(id),
            }
            index.synonyms.push(Synonym { parts, category });
        }
    }
    index
});

/// What a category text names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reading {
    /// The canonical category the text names; of several, the one its words say most of.
    pub key: Option<&'static str>,
    /// Every special category or criminal data the text mentions.
    pub specials: Vec<SpecialKind>,
}

/// Reads a category text: each synonym found as whole words, the longest at each position,
/// each word used once. Words in brackets detail the category: they add special categories
/// but name it only when the words outside say nothing (`Gesundheitsdaten
/// (AU-Bescheinigungen)` is health data).
pub fn read(text: &str) -> Reading {
    let mut outside = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => outside.push(c),
            _ => {}
        }
    }
    let mut reading = read_words(text);
    if outside.len() < text.len()
        && let Some(key) = read_words(&outside).key
    {
        reading.key = Some(key);
    }
    reading
}

fn read_words(text: &str) -> Reading {
    let index = &*INDEX;
    let folded = fold(text);
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    let mut reading = Reading::default();
    let mut best: Option<(usize, usize)> = None; // (words, def)
    let mut i = 0;
    while i < words.len() {
        let candidates = index
            .by_first_word
            .get(words[i])
            .into_iter()
            .flatten()
            .chain(index.affix_led.iter());
        let mut hit: Option<&Synonym> = None;
        for &id in candidates {
            let synonym = &index.synonyms[id];
            let n = synonym.parts.len();
            if i + n <= words.len()
                && synonym
                    .parts
                    .iter()
                    .zip(&words[i..])
                    .all(|(p, w)| p.matches(w))
                && hit.is_none_or(|h| n > h.parts.len())
            {
                hit = Some(synonym);
            }
        }
        match hit {
            Some(synonym) => {
                let n = synonym.parts.len();
                if let Some(def) = synonym.category {
                    if best.is_none_or(|(words, _)| n > words) {
                        best = Some((n, def));
                    }
                    if let Some(kind) = index.defs[def].special
                        && !reading.specials.contains(&kind)
                    {
                        reading.specials.push(kind);
                    }
                }
                i += n;
            }
            None => i += 1,
        }
    }
    reading.key = best.map(|(_, def)| index.defs[def].key.as_str());
    reading
}

/// The canonical category with this key.
pub fn def(key: &str) -> Option<&'static CategoryDef> {
    INDEX.by_key.get(key).map(|&i| &INDEX.defs[i])
}

/// Whether a canonical category is `ancestor` or below it (`salary` is within
/// `employment_data`).
pub fn is_within(key: &str, ancestor: &str) -> bool {
    let mut current = def(key);
    // The bound guards against a parent cycle in the data file.
    for _ in 0..INDEX.defs.len() {
        match current {
            Some(d) if d.key == ancestor => return true,
            Some(d) => current = d.parent.as_deref().and_then(def),
            None => return false,
        }
    }
    false
}

/// The label of a canonical category in a language (`en`, `de`, `nl`, `fr`, `es`, `it`).
pub fn label(key: &str, lang: &str) -> Option<&'static str> {
    let def = def(key)?;
    let column = LANGUAGES.iter().position(|l| *l == lang).unwrap_or(0);
    def.labels.get(column).map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use SpecialKind as S;

    #[test]
    fn categories_and_special_categories_in_six_languages() {
        let health = read("Gesundheitsdaten (AU-Bescheinigungen)");
        assert_eq!(health.key, Some("health"));
        assert_eq!(health.specials, [S::Health]);
        assert_eq!(read("sickness records").specials, [S::Health]);
        assert_eq!(
            read("données de santé (allergies, mobilité réduite)").specials,
            [S::Health]
        );
        assert_eq!(
            read("Religionszugehörigkeit").specials,
            [S::ReligiousBeliefs]
        );
        assert_eq!(read("political opinions").specials, [S::PoliticalOpinions]);
        assert_eq!(read("Strafregister").specials, [S::Criminal]);
        assert!(read("health and safety training").specials.is_empty());
        assert_eq!(read("E-Mail-Adresse").key, Some("email_address"));
        assert_eq!(read("E-mailadres").key, Some("email_address"));
        assert_eq!(read("Naam").key, read("Name").key);
        assert_eq!(read("IP-Adresse").key, Some("ip_address"));
        assert_eq!(read("Favourite colour").key, None);
        assert_eq!(label("health", "de"), Some("Gesundheitsdaten"));
    }
}
