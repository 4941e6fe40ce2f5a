//! Places as registers write them: ISO codes, country names in six languages
//! (`data/country_names.csv`, from CLDR), regions and territories (`data/places.csv`: EU, EEA,
//! "outside the EU", "Europe", "worldwide", Northern Ireland, the Canary Islands, data-centre
//! cities), cloud regions (`data/cloud_regions.csv`: `eu-central-1`, `West Europe`) and
//! international organisations (`data/international_organisations.csv`).

use super::rows;
use crate::model::Place;
use crate::model::key::fold;
use foldhash::{HashMap, HashMapExt};
use serde::Deserialize;
use std::sync::LazyLock;

const COUNTRY_NAMES_CSV: &str = include_str!("data/country_names.csv");
const PLACES_CSV: &str = include_str!("data/places.csv");
const CLOUD_REGIONS_CSV: &str = include_str!("data/cloud_regions.csv");
const ORGANISATIONS_CSV: &str = include_str!("data/international_organisations.csv");

/// Everything needed to turn a place cell into places.
pub struct PlaceIndex {
    /// Folded names, phrases and long aliases → place.
    names: HashMap<String, Place>,
    /// Codes and short upper-case aliases, matched as written in upper case (`US`, `USA`, `UK`;
    /// not the pronoun `us`).
    codes: HashMap<String, Place>,
    /// Two-letter codes, matched in any case when they are the whole cell (`de`, `nl`).
    alpha2: HashMap<String, Place>,
    /// Code → English name for display.
    english: HashMap<String, String>,
    /// Code → its name in each of [`super::LANGUAGES`], in that order, for reports.
    localised: HashMap<String, (Place, [String; 6])>,
    /// The longest name, in words, for the free-text scan.
    longest_name_words: usize,
}

#[derive(Deserialize)]
struct CountryRow {
    code: String,
    en: String,
    de: String,
    nl: String,
    fr: String,
    es: String,
    it: String,
    aliases: String,
}

#[derive(Deserialize)]
struct PlaceRow {
    phrase: String,
    meaning: String,
    code: String,
}

#[derive(Deserialize)]
struct RegionRow {
    region: String,
    display_name: String,
    country: String,
}

#[derive(Deserialize)]
struct OrganisationRow {
    code: String,
    name_en: String,
    name_de: String,
    name_fr: String,
    name_nl: String,
    name_es: String,
    name_it: String,
    aliases: String,
}

fn place_for_code(code: &str) -> Place {
    match code {
        "EU" => Place::Eu,
        "EEA" => Place::Eea,
        _ => Place::Country(code.into()),
    }
}

/// Whether an alias is a short upper-case code, matched only as written.
fn is_code_like(alias: &str) -> bool {
    alias.chars().count() <= 4 && alias.chars().all(|c| c.is_ascii_uppercase())
}

static INDEX: LazyLock<PlaceIndex> = LazyLock::new(PlaceIndex::build);

/// The place index, built once.
pub fn index() -> &'static PlaceIndex {
    &INDEX
}

impl PlaceIndex {
    fn build() -> Self {
        let mut index = PlaceIndex {
            names: HashMap::new(),
            codes: HashMap::new(),
            alpha2: HashMap::new(),
            english: HashMap::new(),
            localised: HashMap::new(),
            longest_name_words: 1,
        };
        // celes gives the ISO alpha-3 codes; names come from our CLDR table.
        for country in celes::Country::get_countries() {
            let place = Place::Country(country.alpha2.into());
            index
                .codes
                .insert(country.alpha3.to_string(), place.clone());
        }
        for row in rows::<CountryRow>("country_names.csv", COUNTRY_NAMES_CSV) {
            let place = place_for_code(&row.code);
            if row.code.len() == 2 {
                index.alpha2.insert(row.code.clone(), place.clone());
                index.codes.insert(row.code.clone(), place.clone());
            }
            for name in [&row.en, &row.de, &row.nl, &row.fr, &row.es, &row.it] {
                index.add_name(name, &place);
            }
            index.add_aliases(&row.aliases, &place);
            index.english.insert(row.code.clone(), row.en.clone());
            index.localised.insert(
                row.code.clone(),
                (place, [row.en, row.de, row.nl, row.fr, row.es, row.it]),
            );
        }
        index
            .alpha2
            .insert("UK".to_string(), Place::Country("GB".into()));
        index
            .alpha2
            .insert("EL".to_string(), Place::Country("GR".into()));
        for row in rows::<OrganisationRow>("international_organisations.csv", ORGANISATIONS_CSV) {
            let place = Place::Organisation(row.code.as_str().into());
            for name in [
                &row.name_en,
                &row.name_de,
                &row.name_fr,
                &row.name_nl,
                &row.name_es,
                &row.name_it,
            ] {
                index.add_name(name, &place);
            }
            index.add_aliases(&row.aliases, &place);
            index.english.insert(row.code.clone(), row.name_en.clone());
            index.localised.insert(
                row.code.clone(),
                (
                    place,
                    [
                        row.name_en,
                        row.name_de,
                        row.name_nl,
                        row.name_fr,
                        row.name_es,
                        row.name_it,
                    ],
                ),
            );
        }
        for row in rows::<PlaceRow>("places.csv", PLACES_CSV) {
            let place = match row.meaning.as_str() {
                "eu" => Place::Eu,
                "eea" => Place::Eea,
                "outside_eea" => Place::OutsideEea,
                "europe_unknown" => Place::Europe,
                "worldwide" => Place::Worldwide,
                "territory" => place_for_code(&row.code),
                other => panic!("places.csv: unknown meaning `{other}`"),
            };
            if is_code_like(&row.phrase) {
                index.codes.insert(row.phrase, place);
            } else {
                index.add_name(&row.phrase, &place);
            }
        }
        for row in rows::<RegionRow>("cloud_regions.csv", CLOUD_REGIONS_CSV) {
            let place = place_for_code(&row.country);
            index.add_name(&row.region, &place);
            // Display names such as `West Europe` are regions only with their provider's
            // wording; the shorter ones (`Germany`) are countries anyway.
            if row.display_name.split_whitespace().count() > 1 {
                index.add_name(&row.display_name, &place);
            }
        }
        index
    }

    fn add_aliases(&mut self, aliases: &str, place: &Place) {
        for alias in aliases.split(';').map(str::trim).filter(|a| !a.is_empty()) {
            if is_code_like(alias) {
                self.codes.insert(alias.to_string(), place.clone());
            } else {
                self.add_name(alias, place);
            }
        }
    }

    fn add_name(&mut self, name: &str, place: &Place) {
        let mut key = fold(name);
        if let Some(rest) = key.strip_prefix("the ") {
            key = rest.to_string();
        }
        // Folded dotted abbreviations (`U.S.` → `u s`) of one-letter words are too easily
        // found in running text; the upper-case codes cover them.
        if key.is_empty() || key.split(' ').all(|w| w.len() <= 1) {
            return;
        }
        self.longest_name_words = self.longest_name_words.max(key.split(' ').count());
        self.names.entry(key).or_insert_with(|| place.clone());
    }

    /// A whole list item as a place: a code, a name in one of six languages, an alias, a
    /// region, a territory, a cloud region or an international organisation.
    pub fn lookup(&self, item: &str) -> Option<Place> {
        let item = item.trim().trim_end_matches(['.', ':']);
        if item.is_empty() {
            return None;
        }
        if item.len() == 2
            && item.chars().all(|c| c.is_ascii_alphabetic())
            && let Some(place) = self.alpha2.get(&item.to_ascii_uppercase())
        {
            return Some(place.clone());
        }
        if let Some(place) = self.codes.get(item) {
            return Some(place.clone());
        }
        // Dotted abbreviations: `U.S.`, `E.U.`, `EE. UU.`.
        let compact: String = item.chars().filter(|c| !matches!(c, '.' | ' ')).collect();
        if compact.len() <= 4
            && compact.chars().all(|c| c.is_ascii_uppercase())
            && let Some(place) = self.codes.get(&compact)
        {
            return Some(place.clone());
        }
        let mut key = fold(item);
        if let Some(rest) = key.strip_prefix("the ") {
            key = rest.to_string();
        }
        self.names.get(&key).cloned()
    }

    /// Places mentioned in free text, in order of appearance: names and phrases (longest
    /// first, so `outside the European Union` is not the EU and `Northern Ireland` is not
    /// Ireland) and upper-case codes standing as words. Mentions of the EU-US arrangements
    /// (`EU/US privacy shield`, `EU-U.S. DPF`) name a mechanism, not a place, and are skipped.
    pub fn scan(&self, text: &str) -> Vec<Place> {
        let cleaned = strip_eu_us_pairs(
            &text
                .replace("U.S.A.", "USA")
                .replace("U.S.", "US")
                .replace("EE. UU.", "EEUU")
                .replace("EE.UU.", "EEUU"),
        );
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
                && is_upper(words[i])
                && let Some(place) = self.codes.get(words[i])
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

    /// The name of a country, `EU`, `EEA` or international organisation code in a language
    /// of [`super::LANGUAGES`] (`NL`, `de` → `Niederlande`), for reports; a name this index
    /// reads back as the same place.
    pub fn name(&self, code: &str, lang: &str) -> Option<&str> {
        let column = super::LANGUAGES.iter().position(|l| *l == lang)?;
        self.localised
            .get(code)
            .map(|(_, names)| names[column].as_str())
            .filter(|name| !name.is_empty())
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
        Some(Place::Country(code.into()))
    }

    #[test]
    fn every_localised_name_reads_back_as_its_place() {
        let idx = index();
        for (code, (place, names)) in &idx.localised {
            for (lang, name) in super::super::LANGUAGES.iter().zip(names) {
                if name.is_empty() {
                    continue;
                }
                assert_eq!(
                    idx.lookup(name).as_ref(),
                    Some(place),
                    "{code} in {lang}: {name}"
                );
            }
        }
        assert_eq!(idx.name("NL", "de"), Some("Niederlande"));
        assert_eq!(idx.name("US", "en"), Some("United States"));
        assert_eq!(idx.name("NL", "xx"), None);
    }

    #[test]
    fn codes_names_and_aliases_in_six_languages() {
        let idx = index();
        assert_eq!(idx.lookup("US"), country("US"));
        assert_eq!(idx.lookup("USA"), country("US"));
        assert_eq!(idx.lookup("U.S."), country("US"));
        assert_eq!(idx.lookup("Vereinigte Staaten"), country("US"));
        assert_eq!(idx.lookup("États-Unis"), country("US"));
        assert_eq!(idx.lookup("EE. UU."), country("US"));
        assert_eq!(idx.lookup("Stati Uniti"), country("US"));
        assert_eq!(idx.lookup("Alemania"), country("DE"));
        assert_eq!(idx.lookup("Niederlande"), country("NL"));
        assert_eq!(idx.lookup("Holland"), country("NL"));
        assert_eq!(idx.lookup("UK"), country("GB"));
        assert_eq!(idx.lookup("VK"), country("GB"));
        assert_eq!(idx.lookup("EL"), country("GR"));
        assert_eq!(idx.lookup("Kiribati"), country("KI"));
        assert_eq!(idx.lookup("deu"), None, "alpha-3 only in upper case");
        assert_eq!(idx.lookup("DEU"), country("DE"));
        assert_eq!(idx.lookup("EU"), Some(Place::Eu));
        assert_eq!(idx.lookup("EWR"), Some(Place::Eea));
        assert_eq!(idx.lookup("weltweit"), Some(Place::Worldwide));
        assert_eq!(idx.lookup("Europe"), Some(Place::Europe));
        assert_eq!(idx.lookup("outside the EU"), Some(Place::OutsideEea));
        assert_eq!(idx.lookup("Northern Ireland"), country("GB"));
        assert_eq!(idx.lookup("Åland"), country("AX"));
        assert_eq!(idx.lookup("eu-central-1"), country("DE"));
        assert_eq!(idx.lookup("europe-west3"), country("DE"));
        assert_eq!(idx.lookup("West Europe"), country("NL"));
        assert_eq!(
            idx.lookup("European Patent Organisation"),
            Some(Place::Organisation("EPO".into()))
        );
        assert_eq!(idx.lookup("Atlantis"), None);
    }

    #[test]
    fn free_text_finds_the_place_not_the_arrangement() {
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
        assert_eq!(
            idx.scan("may be transferred and stored outside the European Union"),
            vec![Place::OutsideEea]
        );
        assert_eq!(
            idx.scan("AWS eu-central-1"),
            vec![Place::Country("DE".into())]
        );
        assert_eq!(idx.scan("tell us who we are"), Vec::<Place>::new());
    }
}
