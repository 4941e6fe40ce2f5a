//! Country lookup: ISO 3166-1 codes and English names (from `celes`), German, Dutch and French
//! names and aliases (from `country_names.csv`), and the regions EU, EEA and worldwide.

use super::COUNTRY_NAMES_CSV;
use crate::model::Place;
use crate::model::key::fold;
use celes::{Country, LookupTable};
use std::collections::HashMap;
use std::sync::LazyLock;

/// Words for "somewhere in the world": unknown, treated as a third country.
const WORLDWIDE: &[&str] = &[
    "worldwide",
    "world wide",
    "global",
    "weltweit",
    "wereldwijd",
    "monde entier",
    "dans le monde entier",
    "international",
];

/// Upper-case abbreviations that stand for a country in running text too (`Chicago (USA)`),
/// unlike alpha-3 codes in general (`EU AND US` does not mention Andorra).
const TEXT_ABBREVIATIONS: &[(&str, &str)] = &[
    ("USA", "US"),
    ("UAE", "AE"),
    ("VAE", "AE"),
    ("BRD", "DE"),
    ("PRC", "CN"),
];

/// Everything needed to turn a country cell into places.
pub struct CountryIndex {
    /// Folded names and aliases → place.
    names: HashMap<String, Place>,
    /// Upper-case alpha-2 codes → place (`UK` and `EL` included as aliases).
    alpha2: HashMap<String, Place>,
    /// Upper-case alpha-3 codes → place.
    alpha3: HashMap<String, Place>,
    /// Code → English name for display.
    english: HashMap<String, String>,
    /// The longest name, in words, for the free-text scan.
    longest_name_words: usize,
}

fn place_for_code(code: &str) -> Place {
    match code {
        "EU" => Place::Eu,
        "EEA" => Place::Eea,
        _ => Place::Country(code.to_string()),
    }
}

static INDEX: LazyLock<CountryIndex> = LazyLock::new(CountryIndex::build);

/// The country index, built once.
pub fn index() -> &'static CountryIndex {
    &INDEX
}

impl CountryIndex {
    fn build() -> Self {
        let mut index = CountryIndex {
            names: HashMap::new(),
            alpha2: HashMap::new(),
            alpha3: HashMap::new(),
            english: HashMap::new(),
            longest_name_words: 1,
        };
        for country in Country::get_countries() {
            let place = Place::Country(country.alpha2.to_string());
            index
                .alpha2
                .insert(country.alpha2.to_string(), place.clone());
            index
                .alpha3
                .insert(country.alpha3.to_string(), place.clone());
            index.add_name(country.long_name, &place);
            for alias in country.aliases.iter() {
                index.add_name(alias, &place);
            }
            index
                .english
                .insert(country.alpha2.to_string(), country.long_name.to_string());
        }
        // Our table's names win over celes' for display and lookup: they are the ones
        // registers use ("United States", not "The United States Of America").
        let mut reader = csv::Reader::from_reader(COUNTRY_NAMES_CSV.as_bytes());
        for record in reader.records().flatten() {
            let code = record.get(0).unwrap_or_default().trim();
            if code.is_empty() {
                continue;
            }
            let place = place_for_code(code);
            for name in record.iter().skip(1).take(4) {
                index.add_name(name, &place);
            }
            for alias in record.get(5).unwrap_or_default().split(';') {
                let alias = alias.trim();
                if alias.len() <= 3 && alias.chars().all(|c| c.is_ascii_uppercase()) {
                    let table = if alias.len() == 3 {
                        &mut index.alpha3
                    } else {
                        &mut index.alpha2
                    };
                    table.insert(alias.to_string(), place.clone());
                } else {
                    index.add_name(alias, &place);
                }
            }
            if let Some(english) = record.get(1) {
                index.english.insert(code.to_string(), english.to_string());
            }
        }
        for word in WORLDWIDE {
            index.add_name(word, &Place::Worldwide);
        }
        for (abbreviation, code) in TEXT_ABBREVIATIONS {
            index.add_name(abbreviation, &Place::Country(code.to_string()));
        }
        index.alpha2.insert("EU".to_string(), Place::Eu);
        index
    }

    fn add_name(&mut self, name: &str, place: &Place) {
        let mut key = fold(name);
        if let Some(rest) = key.strip_prefix("the ") {
            key = rest.to_string();
        }
        if key.is_empty() {
            return;
        }
        self.longest_name_words = self.longest_name_words.max(key.split(' ').count());
        self.names.insert(key, place.clone());
    }

    /// A whole list item as a country or region: a code (alpha-3 only in upper case), a name in
    /// English, German, Dutch or French, or an alias.
    pub fn lookup(&self, item: &str) -> Option<Place> {
        let item = item.trim().trim_end_matches('.');
        if item.is_empty() {
            return None;
        }
        if item.len() == 2
            && item.chars().all(|c| c.is_ascii_alphabetic())
            && let Some(place) = self.alpha2.get(&item.to_ascii_uppercase())
        {
            return Some(place.clone());
        }
        if item.len() == 3
            && item.chars().all(|c| c.is_ascii_uppercase())
            && let Some(place) = self.alpha3.get(item)
        {
            return Some(place.clone());
        }
        let mut key = fold(item);
        if let Some(rest) = key.strip_prefix("the ") {
            key = rest.to_string();
        }
        self.names.get(&key).cloned()
    }

    /// Countries and regions mentioned in free text, in order of appearance: names (up to the
    /// longest known name in words) and upper-case alpha-2 codes standing as words. Mentions of
    /// the EU-US arrangements (`EU/US privacy shield`, `EU-U.S. DPF`) name a mechanism, not a
    /// place, and are skipped.
    pub fn scan(&self, text: &str) -> Vec<Place> {
        let cleaned = strip_eu_us_pairs(&text.replace("U.S.A.", "USA").replace("U.S.", "US"));
        // Words keep their original case so `US` is a code and `us` is a pronoun.
        let words: Vec<&str> = cleaned
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
        let mut found: Vec<Place> = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let mut matched = 0;
            for n in (1..=self.longest_name_words.min(words.len() - i)).rev() {
                let phrase = folded[i..i + n].join(" ");
                if let Some(place) = self.names.get(&phrase) {
                    // Single short words match names only when written as names.
                    if n == 1 && words[i].len() <= 3 && !is_upper(words[i]) {
                        continue;
                    }
                    push_unique(&mut found, place.clone());
                    matched = n;
                    break;
                }
            }
            if matched == 0
                && words[i].len() == 2
                && is_upper(words[i])
                && let Some(place) = self.alpha2.get(words[i])
            {
                push_unique(&mut found, place.clone());
            }
            i += matched.max(1);
        }
        found
    }

    /// The English name of a code, for display.
    pub fn english_name(&self, code: &str) -> Option<&str> {
        self.english.get(code).map(String::as_str)
    }
}

fn is_upper(word: &str) -> bool {
    word.chars().all(|c| c.is_ascii_uppercase())
}

fn push_unique(found: &mut Vec<Place>, place: Place) {
    if !found.contains(&place) {
        found.push(place);
    }
}

/// Blanks out `EU/US`, `EU-US`, `EU – US` and the like: the name of an arrangement.
fn strip_eu_us_pairs(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if i + 1 < chars.len()
            && chars[i].eq_ignore_ascii_case(&'e')
            && chars[i + 1].eq_ignore_ascii_case(&'u')
            && (i == 0 || !chars[i - 1].is_alphanumeric())
        {
            let mut j = i + 2;
            while j < chars.len() && chars[j] == ' ' {
                j += 1;
            }
            if j < chars.len() && matches!(chars[j], '/' | '-' | '–' | '—') {
                j += 1;
                while j < chars.len() && chars[j] == ' ' {
                    j += 1;
                }
                if j + 1 < chars.len()
                    && chars[j].eq_ignore_ascii_case(&'u')
                    && chars[j + 1].eq_ignore_ascii_case(&'s')
                {
                    out.push(' ');
                    i = j + 2;
                    continue;
                }
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn country(code: &str) -> Option<Place> {
        Some(Place::Country(code.to_string()))
    }

    #[test]
    fn codes_names_and_aliases_in_four_languages() {
        let idx = index();
        assert_eq!(idx.lookup("US"), country("US"));
        assert_eq!(idx.lookup("USA"), country("US"));
        assert_eq!(idx.lookup("U.S."), country("US"));
        assert_eq!(idx.lookup("Vereinigte Staaten"), country("US"));
        assert_eq!(idx.lookup("États-Unis"), country("US"));
        assert_eq!(idx.lookup("Niederlande"), country("NL"));
        assert_eq!(idx.lookup("Nederland"), country("NL"));
        assert_eq!(idx.lookup("Holland"), country("NL"));
        assert_eq!(idx.lookup("UK"), country("GB"));
        assert_eq!(idx.lookup("VK"), country("GB"));
        assert_eq!(idx.lookup("EL"), country("GR"));
        assert_eq!(idx.lookup("Irland"), country("IE"));
        assert_eq!(
            idx.lookup("Kiribati"),
            country("KI"),
            "every ISO country by name"
        );
        assert_eq!(idx.lookup("deu"), None, "alpha-3 only in upper case");
        assert_eq!(idx.lookup("DEU"), country("DE"));
        assert_eq!(idx.lookup("EU"), Some(Place::Eu));
        assert_eq!(idx.lookup("EWR"), Some(Place::Eea));
        assert_eq!(idx.lookup("EER"), Some(Place::Eea));
        assert_eq!(idx.lookup("weltweit"), Some(Place::Worldwide));
        assert_eq!(idx.lookup("monde entier"), Some(Place::Worldwide));
        assert_eq!(idx.lookup("Atlantis"), None);
    }

    #[test]
    fn free_text_finds_the_country_not_the_arrangement() {
        let idx = index();
        for text in [
            "US- EU/USprivacyshield in place.",
            "US-EU/USprivacyshield inplace.",
            "US-EU/USprivacyshieldinplace.",
            "Rechenzentrum in der Nähe von Chicago (USA)",
        ] {
            assert_eq!(idx.scan(text), vec![Place::Country("US".into())], "{text}");
        }
        assert_eq!(
            idx.scan("EU and US"),
            vec![Place::Eu, Place::Country("US".into())],
            "AND inside a sentence is not Andorra"
        );
        assert_eq!(
            idx.scan("Servers in Germany and the Netherlands"),
            vec![Place::Country("DE".into()), Place::Country("NL".into())]
        );
    }
}
