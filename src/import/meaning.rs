//! What an activity's cells mean beyond their words: canonical data categories, special
//! categories wherever the row states them, Art. 9(2) conditions and Art. 10 grounds, and the
//! transfers it states per third country.

use super::values::{parse_places, read_yes_no, split_list};
use crate::model::{
    Category, Mechanism, Place, Reference, SpecialCategory, SpecialKind, StatedTransfer, Tristate,
};
use crate::vocabulary::{categories, legal, mechanisms, words};

/// Data categories with their canonical category, in a list as long as the items: collected
/// in place, the items' list (24 bytes an item) would be kept for categories of 8.
pub fn categories(items: Vec<compact_str::CompactString>) -> Vec<Category> {
    let mut read = Vec::with_capacity(items.len());
    read.extend(items.into_iter().map(|text| {
        let key = categories::read(&text).key.map(std::borrow::Cow::Borrowed);
        Category::new(text, key)
    }));
    read
}

/// What a row says about special categories and their grounds.
#[derive(Debug, Default)]
pub struct Special {
    pub categories: Vec<SpecialCategory>,
    pub art9_conditions: Vec<char>,
    pub art10_basis: bool,
}

impl Special {
    fn add(&mut self, kind: SpecialKind, text: &str, field: &'static str) {
        if !self.categories.iter().any(|c| c.kind == kind) {
            self.categories.push(SpecialCategory {
                kind,
                text: text.to_string(),
                field,
            });
        }
    }

    fn grounds(&mut self, text: &str) {
        let (letters, art10) = legal::conditions(text);
        for letter in letters {
            if !self.art9_conditions.contains(&letter) {
                self.art9_conditions.push(letter);
            }
        }
        self.art10_basis |= art10;
    }
}

/// Special categories and their grounds from every cell that may state them: the data
/// categories (`Gesundheitsdaten`), a special-categories column (`Ja — gezondheidsgegevens`,
/// `Non`), the Art. 9 condition cell and the legal-basis cell (`Art. 9 Abs. 2 lit. b`).
pub fn special(
    data_categories: &[Category],
    special_cell: Option<&str>,
    condition_cell: Option<&str>,
    legal_basis_cell: Option<&str>,
) -> Special {
    let mut special = Special::default();
    for category in data_categories {
        for kind in categories::read(&category.text).specials {
            special.add(kind, &category.text, "data_categories");
        }
    }
    if let Some(text) = special_cell {
        let said = read_yes_no(text).status;
        let kinds = categories::read(text).specials;
        for kind in &kinds {
            special.add(*kind, text, "special_categories");
        }
        // `Yes`, or words that name no category: special data of a kind not stated.
        if kinds.is_empty() && said != Some(Tristate::No) && said != Some(Tristate::Unknown) {
            special.add(SpecialKind::Unspecified, text, "special_categories");
        }
        if said != Some(Tristate::No) {
            special.grounds(text);
        }
    }
    if let Some(text) = condition_cell {
        special.grounds(text);
    }
    if let Some(text) = legal_basis_cell {
        let before = special.art9_conditions.len();
        special.grounds(text);
        // An Art. 9(2) condition in the legal basis says special data is processed.
        if special.art9_conditions.len() > before
            && !special.categories.iter().any(|c| !c.kind.is_criminal())
        {
            special.add(SpecialKind::Unspecified, text, "legal_basis");
        }
    }
    // Kept with the activity for the whole run.
    special.categories.shrink_to_fit();
    special.art9_conditions.shrink_to_fit();
    special
}

/// The words of an item that remain when its places and mechanisms are taken out: the
/// importer it names (`Stripe` in `Stripe USA — DPF`).
fn importer_words(item: &str) -> Option<String> {
    let index = crate::vocabulary::places::index();
    let mut kept: Vec<&str> = item
        .split(|c: char| c.is_whitespace() || matches!(c, '—' | '–' | ':' | ',' | ';' | '(' | ')'))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '.'))
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect();
    // Runs of words that name a place (`United States`, `EE. UU.`), a tool (`Data Privacy
    // Framework`) or an answer (`Ja`) are not the name; the longest run first.
    let mut i = 0;
    while i < kept.len() {
        let run = (1..=5.min(kept.len() - i)).rev().find(|&n| {
            let text = kept[i..i + n].join(" ");
            // A run names a tool only if it needs its first and last words to (`Data Privacy
            // Framework`, not `Stripe USA DPF`).
            let tool = !mechanisms::find(&text).is_empty()
                && (n == 1
                    || (mechanisms::find(&kept[i + 1..i + n].join(" ")).is_empty()
                        && mechanisms::find(&kept[i..i + n - 1].join(" ")).is_empty()));
            index.lookup(&text).is_some()
                || (n == 1 && !index.scan(&text).is_empty())
                || tool
                || words::is(words::Concept::Yes, &text)
                || words::is(words::Concept::No, &text)
        });
        match run {
            Some(n) => {
                kept.drain(i..i + n);
            }
            None => i += 1,
        }
    }
    // What remains names an importer when it reads as a name (`Stripe`, `Mailchimp (Intuit
    // Inc.)`), not as the rest of a sentence (`may be transferred and stored`).
    let name_like = kept.first().is_some_and(|w| {
        w.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
    }) && kept.len() <= 5;
    name_like.then(|| kept.join(" "))
}

/// `US (DPF certified)`, `DPF-zertifiziert`: the text says the importer is certified.
pub fn says_dpf_certified(text: &str) -> bool {
    let folded = crate::model::key::fold(text);
    folded.split(' ').any(|w| w == "dpf")
        && [
            "certified",
            "zertifiziert",
            "gecertificeerd",
            "certifie",
            "certificado",
            "certificato",
            "listed",
        ]
        .iter()
        .any(|w| folded.contains(w))
}

/// The transfers an activity states: each item of the third-countries cell with its places,
/// mechanism and importer; the safeguards cell gives the mechanism to items that state none
/// (per country when it names countries). A cell that says no (`No`, `Keine`, `Non`) states
/// none; places inside the EEA are no transfers.
pub fn stated_transfers(countries: Option<&str>, safeguards: Option<&str>) -> Vec<StatedTransfer> {
    let Some(text) = countries else {
        return Vec::new();
    };
    // `Oui : Stripe USA — DPF`: the answer after the question.
    let answered = match text.split_once(':') {
        Some((head, rest))
            if words::is(words::Concept::Yes, head) || words::is(words::Concept::No, head) =>
        {
            if words::is(words::Concept::No, head) {
                return Vec::new();
            }
            rest
        }
        _ => text,
    };
    let says_no = words::is(words::Concept::No, answered)
        || words::starts_with(words::Concept::No, answered)
        || mechanisms::find(answered) == [Mechanism::None];
    let data = crate::reference::data();
    let third_country = |p: &Place| match p {
        Place::Eu | Place::Eea => false,
        Place::Country(code) => !data.in_eea(code),
        _ => true,
    };
    // A safeguard item that names third countries (`US: SCC`) is theirs; one that names none
    // (`EU-Standardvertragsklauseln`, `EU SCCs with the UK Addendum`) is every transfer's.
    let safeguard_items: Vec<(Vec<Place>, Vec<Mechanism>)> = safeguards
        .map(split_list)
        .unwrap_or_default()
        .iter()
        .map(|item| {
            let places: Vec<Place> = parse_places(item)
                .places
                .into_iter()
                .filter(third_country)
                .collect();
            (places, mechanisms::find(item))
        })
        .collect();
    let items = split_list(answered);
    let stated_places: Vec<Place> = items
        .iter()
        .flat_map(|i| parse_places(i).places)
        .filter(third_country)
        .collect();
    // A safeguard for places the row does not state (`EU SCCs with the UK Addendum` for a
    // transfer to the US) is the row's safeguard.
    let mut all_safeguards: Vec<Mechanism> = safeguard_items
        .iter()
        .filter(|(places, _)| !places.iter().any(|p| stated_places.contains(p)))
        .flat_map(|(_, m)| m.iter().copied())
        .collect();
    // Items of the transfer cell that only name a tool (`…, Data Privacy Framework`) give the
    // others their mechanism, unless they are all there is.
    let tool_only = |item: &str| {
        parse_places(item).places.iter().all(|p| !third_country(p))
            && importer_words(item).is_none()
            && mechanisms::find(item).iter().any(|m| *m != Mechanism::None)
    };
    let has_places = items.iter().any(|i| !tool_only(i.as_str()));
    if has_places {
        for item in items.iter().filter(|i| tool_only(i.as_str())) {
            all_safeguards.extend(mechanisms::find(item));
        }
    }
    let mut stated: Vec<StatedTransfer> = Vec::new();
    for item in items
        .iter()
        .filter(|i| !has_places || !tool_only(i.as_str()))
    {
        let item = item.to_string();
        let read = parse_places(&item);
        let mut places: Vec<Place> = read.places.into_iter().filter(third_country).collect();
        let mut tools = mechanisms::find(&item);
        tools.retain(|m| *m != Mechanism::None);
        let importer = importer_words(&item);
        if places.is_empty() {
            // The column is about third countries: an item that names an importer or a tool
            // but no country is a transfer to a third country the row does not name.
            if says_no || (importer.is_none() && tools.is_empty()) {
                continue;
            }
            places.push(Place::OutsideEea);
        }
        for place in places {
            let mut mechanisms = tools.clone();
            if mechanisms.is_empty() {
                mechanisms = safeguard_items
                    .iter()
                    .filter(|(p, _)| p.contains(&place))
                    .flat_map(|(_, m)| m.iter().copied())
                    .collect();
            }
            if mechanisms.is_empty() {
                mechanisms = all_safeguards.clone();
            }
            mechanisms.dedup();
            stated.push(StatedTransfer {
                place,
                importer: importer.clone().map(Reference::new),
                mechanisms,
                dpf_certified: if says_dpf_certified(&item) {
                    Tristate::Yes
                } else {
                    Tristate::Unknown
                },
                text: item.clone(),
            });
        }
    }
    stated
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(transfers: &[StatedTransfer]) -> Vec<String> {
        transfers
            .iter()
            .map(|t| {
                format!(
                    "{} {} {}",
                    t.place,
                    t.mechanisms
                        .iter()
                        .map(|m| m.key())
                        .collect::<Vec<_>>()
                        .join("+"),
                    t.importer.as_ref().map(|r| r.text.as_str()).unwrap_or("-")
                )
            })
            .collect()
    }

    #[test]
    fn transfers_stated_per_activity() {
        assert_eq!(
            summary(&stated_transfers(Some("Oui : Stripe USA — DPF"), None)),
            ["US dpf Stripe"]
        );
        assert_eq!(
            summary(&stated_transfers(Some("Cloudinary — SCC"), None)),
            ["non-EEA scc Cloudinary"]
        );
        assert_eq!(
            summary(&stated_transfers(
                Some("United States"),
                Some("EU SCCs with the UK Addendum")
            )),
            ["US scc -"]
        );
        assert!(stated_transfers(Some("Non"), None).is_empty());
        assert!(stated_transfers(Some("None"), Some("N/A")).is_empty());
        assert!(
            stated_transfers(Some("No se prevén. Servidores en Alemania (UE)"), None).is_empty()
        );
        assert_eq!(
            summary(&stated_transfers(
                Some("may be transferred and stored outside the European Union"),
                None
            )),
            ["non-EEA  -"]
        );
        let dpf = stated_transfers(Some("US (DPF certified)"), None);
        assert_eq!(dpf[0].dpf_certified, Tristate::Yes);
        assert_eq!(
            summary(&stated_transfers(
                Some("EE. UU. – Cláusulas contractuales tipo"),
                None
            )),
            ["US scc -"]
        );
    }

    #[test]
    fn special_categories_from_every_cell() {
        let cats = categories(vec![
            "Name".into(),
            "Gesundheitsdaten (AU-Bescheinigungen)".into(),
        ]);
        let s = special(&cats, None, Some("Art. 9 Abs. 2 lit. b DSGVO"), None);
        assert_eq!(s.categories[0].kind, SpecialKind::Health);
        assert_eq!(s.art9_conditions, ['b']);
        let s = special(
            &[],
            Some("Ja — gezondheidsgegevens (art. 9 lid 2 sub h AVG)"),
            None,
            None,
        );
        assert_eq!(s.categories[0].kind, SpecialKind::Health);
        assert_eq!(s.art9_conditions, ['h']);
        assert!(special(&[], Some("Non"), None, None).categories.is_empty());
        let s = special(
            &[],
            None,
            None,
            Some("Art. 6 Abs. 1 lit. b; Art. 9 Abs. 2 lit. b DSGVO"),
        );
        assert_eq!(s.categories[0].kind, SpecialKind::Unspecified);
    }
}
