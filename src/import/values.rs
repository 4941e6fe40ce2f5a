//! Cell values as registers write them, in English, German, Dutch and French.

use crate::model::key::fold;
use crate::model::{LegalBasis, Mechanism, Place, Tristate};
use crate::reference::countries;
use chrono::NaiveDate;

/// Splits a list cell. Newlines, `;`, `|` and bullets separate items; when none of them is
/// present, commas do. A `-` starts an item only at the start of a line.
pub fn split_list(text: &str) -> Vec<String> {
    const BULLETS: &[char] = &['•', '✓', '✔', '☑', '▪', '◦', '·', '●'];
    let strong = text.contains(['\n', ';', '|']) || text.contains(BULLETS);
    let mut items = Vec::new();
    let pieces: Vec<&str> = if strong {
        text.split(|c: char| c == '\n' || c == ';' || c == '|' || BULLETS.contains(&c))
            .collect()
    } else {
        text.split(',').collect()
    };
    for piece in pieces {
        let mut item = piece.trim();
        if let Some(rest) = item.strip_prefix("- ").or_else(|| item.strip_prefix("– ")) {
            item = rest.trim();
        } else if item.starts_with('-') && item.len() > 1 && !item[1..].starts_with('-') {
            item = item[1..].trim();
        }
        let item = item.trim_end_matches([',', ';']).trim();
        if !item.is_empty() && !items.iter().any(|i: &String| i == item) {
            items.push(item.to_string());
        }
    }
    items
}

/// yes / no / unknown in the four languages; `None` when the text is none of them.
pub fn parse_tristate(text: &str) -> Option<Tristate> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Some(Tristate::Unknown);
    }
    if trimmed.starts_with(['✓', '✔', '☑']) {
        return Some(Tristate::Yes);
    }
    if trimmed.starts_with(['✗', '✘', '×', '☒']) {
        return Some(Tristate::No);
    }
    let folded = fold(trimmed);
    const YES: &[&str] = &[
        "yes",
        "y",
        "true",
        "1",
        "x",
        "ja",
        "j",
        "oui",
        "o",
        "wahr",
        "waar",
        "vrai",
        "signed",
        "unterzeichnet",
        "unterschrieben",
        "getekend",
        "ondertekend",
        "signe",
        "vorhanden",
        "aanwezig",
        "done",
        "erledigt",
        "gedaan",
        "fait",
        "ok",
    ];
    const NO: &[&str] = &[
        "no",
        "n",
        "false",
        "0",
        "nein",
        "nee",
        "non",
        "falsch",
        "onwaar",
        "faux",
        "none",
        "keine",
        "kein",
        "geen",
        "aucun",
        "aucune",
        "fehlt",
        "ontbreekt",
    ];
    const UNKNOWN: &[&str] = &[
        "unknown",
        "unbekannt",
        "onbekend",
        "inconnu",
        "n a",
        "na",
        "tbd",
        "unklar",
        "unsure",
        "unclear",
        "?",
    ];
    if YES.contains(&folded.as_str()) {
        Some(Tristate::Yes)
    } else if NO.contains(&folded.as_str()) {
        Some(Tristate::No)
    } else if UNKNOWN.contains(&folded.as_str()) || trimmed == "?" {
        Some(Tristate::Unknown)
    } else {
        None
    }
}

/// Text that says something is requested but not there yet.
pub fn is_pending(text: &str) -> bool {
    let folded = fold(text);
    [
        "pending",
        "requested",
        "in progress",
        "angefragt",
        "ausstehend",
        "in bearbeitung",
        "in arbeit",
        "aangevraagd",
        "in behandeling",
        "en cours",
        "demande",
    ]
    .iter()
    .any(|w| folded.contains(w))
}

/// ISO dates and day-first European dates.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let date_part = text.split(['T', ' ']).next().unwrap_or(text);
    for format in ["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d"] {
        if let Ok(date) = NaiveDate::parse_from_str(date_part, format) {
            return Some(date);
        }
    }
    None
}

/// A link: a URL or a `www.` address.
pub fn is_link(text: &str) -> bool {
    let t = text.trim().to_ascii_lowercase();
    (t.starts_with("http://") || t.starts_with("https://") || t.starts_with("www."))
        && !t.contains(char::is_whitespace)
}

/// Transfer mechanisms named in a cell. Empty when the text names none.
pub fn parse_mechanisms(text: &str) -> Vec<Mechanism> {
    let folded = fold(text);
    if folded.is_empty() {
        return Vec::new();
    }
    let words: Vec<&str> = folded.split(' ').collect();
    let compact: String = folded.replace(' ', "");
    let has_word = |w: &str| words.contains(&w);
    let has = |needle: &str| compact.contains(needle);
    let mut found = Vec::new();
    let mut add = |m: Mechanism| {
        if !found.contains(&m) {
            found.push(m);
        }
    };

    // Whole-cell canonical keys and "none" words first.
    const NONE: &[&str] = &[
        "none",
        "no",
        "keine",
        "kein",
        "geen",
        "aucun",
        "aucune",
        "n a",
        "nicht erforderlich",
        "not required",
        "niet nodig",
        "non requis",
    ];
    if NONE.contains(&folded.as_str()) || text.trim() == "-" {
        return vec![Mechanism::None];
    }
    if has("privacyshield") {
        add(Mechanism::PrivacyShield);
    }
    if has("safeharbo") {
        add(Mechanism::SafeHarbor);
    }
    if has("dataprivacyframework") || has_word("dpf") || has("euusdpf") {
        add(Mechanism::Dpf);
    }
    let scc = [
        "standardvertragsklausel",
        "standardcontractualclause",
        "standarddataprotectionclause",
        "standardschutzklausel",
        "standarddatenschutzklausel",
        "modelclause",
        "modelcontractclause",
        "modelvertragsklausel",
        "standaardcontractbepaling",
        "modelcontractbepaling",
        "standaardbepaling",
        "clausescontractuellestypes",
        "clausecontractuelletype",
        "clausestypes",
    ]
    .iter()
    .any(|n| has(n))
        || has_word("scc")
        || has_word("sccs")
        || has_word("scc legacy")
        || folded == "scc legacy";
    if scc {
        let legacy = [
            "2010 87", "2001 497", "2004 915", "legacy", "alte", "old", "oude",
        ]
        .iter()
        .any(|n| folded.contains(n));
        add(if legacy {
            Mechanism::SccLegacy
        } else {
            Mechanism::Scc
        });
    }
    if has("bindingcorporaterule")
        || has("verbindlicheinternedatenschutzvorschrift")
        || has("bindendebedrijfsvoorschrift")
        || has("reglesdentreprisecontraignante")
        || has("reglesdentreprisescontraignantes")
        || has_word("bcr")
        || has_word("bcrs")
    {
        add(Mechanism::Bcr);
    }
    if has("codeofconduct") || has("verhaltensregel") || has("gedragscode") || has("codedeconduite")
    {
        add(Mechanism::CodeOfConduct);
    }
    if has("certification") || has("zertifizierung") || has("certificering") || has("certificatie")
    {
        add(Mechanism::Certification);
    }
    if has("adhoc") || has("463a") {
        add(Mechanism::AdHocClauses);
    }
    if has("adequacy")
        || has("angemessenheit")
        || has("adequaat")
        || has("adequatie")
        || has("adequation")
        || has("passendbeschermingsniveau")
        || has("art45")
        || has("artikel45")
        || has("article45")
    {
        add(Mechanism::Adequacy);
    }
    if has("derogation")
        || has("ausnahme")
        || has("uitzondering")
        || has("art49")
        || has("artikel49")
        || has("article49")
    {
        add(Mechanism::Derogation);
    }
    found
}

/// Art. 6(1) legal bases named in a cell, by article reference or by name.
pub fn parse_legal_bases(text: &str) -> Vec<LegalBasis> {
    let mut found = Vec::new();
    for item in split_list(text) {
        let folded = fold(&item);
        let mut bases: Vec<LegalBasis> = article_six_letters(&folded);
        const NAMES: &[(&str, LegalBasis)] = &[
            ("consent", LegalBasis::Consent),
            ("einwilligung", LegalBasis::Consent),
            ("toestemming", LegalBasis::Consent),
            ("consentement", LegalBasis::Consent),
            ("contract", LegalBasis::Contract),
            ("vertrag", LegalBasis::Contract),
            ("overeenkomst", LegalBasis::Contract),
            ("contrat", LegalBasis::Contract),
            ("legal obligation", LegalBasis::LegalObligation),
            ("rechtliche verpflichtung", LegalBasis::LegalObligation),
            ("gesetzliche verpflichtung", LegalBasis::LegalObligation),
            ("rechtlichen verpflichtung", LegalBasis::LegalObligation),
            ("gesetzlichen verpflichtung", LegalBasis::LegalObligation),
            ("wettelijke verplichting", LegalBasis::LegalObligation),
            ("obligation legale", LegalBasis::LegalObligation),
            ("vital interest", LegalBasis::VitalInterests),
            ("lebenswichtig", LegalBasis::VitalInterests),
            ("vitaal belang", LegalBasis::VitalInterests),
            ("vitale belangen", LegalBasis::VitalInterests),
            ("interets vitaux", LegalBasis::VitalInterests),
            ("interet vital", LegalBasis::VitalInterests),
            ("public task", LegalBasis::PublicTask),
            ("public interest", LegalBasis::PublicTask),
            ("offentliche aufgabe", LegalBasis::PublicTask),
            ("offentlichen interesse", LegalBasis::PublicTask),
            ("offentliches interesse", LegalBasis::PublicTask),
            ("algemeen belang", LegalBasis::PublicTask),
            ("publieke taak", LegalBasis::PublicTask),
            ("openbaar gezag", LegalBasis::PublicTask),
            ("interet public", LegalBasis::PublicTask),
            ("legitimate interest", LegalBasis::LegitimateInterests),
            ("berechtigte interesse", LegalBasis::LegitimateInterests),
            ("berechtigtes interesse", LegalBasis::LegitimateInterests),
            ("berechtigten interesse", LegalBasis::LegitimateInterests),
            ("berechtigter interessen", LegalBasis::LegitimateInterests),
            ("berechtigten interessen", LegalBasis::LegitimateInterests),
            ("gerechtvaardigd belang", LegalBasis::LegitimateInterests),
            ("gerechtvaardigde belangen", LegalBasis::LegitimateInterests),
            ("gerechtvaardigde belang", LegalBasis::LegitimateInterests),
            ("interet legitime", LegalBasis::LegitimateInterests),
            ("interets legitimes", LegalBasis::LegitimateInterests),
        ];
        for (name, basis) in NAMES {
            if folded.contains(name) && !bases.contains(basis) {
                bases.push(*basis);
            }
        }
        // Canonical keys such as `legitimate_interests` fold to the names above; `contract`
        // inside "legal obligation under a contract" is ambiguous, so an article reference wins.
        for basis in bases {
            if !found.contains(&basis) {
                found.push(basis);
            }
        }
    }
    found
}

/// Letters of Art. 6(1) in references such as `6(1)(f)`, `Art. 6 Abs. 1 lit. f DSGVO`,
/// `art. 6 lid 1 sub f AVG` or `6.1.f`: a `6`, then a `1`, then single letters a–f.
fn article_six_letters(folded: &str) -> Vec<LegalBasis> {
    let words: Vec<&str> = folded.split(' ').collect();
    let mut letters = Vec::new();
    let Some(six) = words.iter().position(|w| *w == "6") else {
        return letters;
    };
    let Some(one) = words[six + 1..].iter().position(|w| *w == "1") else {
        return letters;
    };
    for word in &words[six + 1 + one + 1..] {
        let mut chars = word.chars();
        if let (Some(c), None) = (chars.next(), chars.next())
            && let Some(basis) = LegalBasis::from_letter(c)
            && !letters.contains(&basis)
        {
            letters.push(basis);
        }
    }
    letters
}

/// The result of reading a country or locations cell.
#[derive(Debug, Default, PartialEq)]
pub struct PlacesRead {
    pub places: Vec<Place>,
    /// Items that named no country or region.
    pub unknown: Vec<String>,
    /// Whether any place was read out of free text rather than a clean item.
    pub from_free_text: bool,
    /// Mechanisms mentioned in the same text (`EU/US privacy shield in place`).
    pub mechanisms: Vec<Mechanism>,
}

/// Reads a country or locations cell: list items that are codes or names, else free text.
pub fn parse_places(text: &str) -> PlacesRead {
    let index = countries::index();
    let mut read = PlacesRead::default();
    let add = |read: &mut PlacesRead, place: Place| {
        if !read.places.contains(&place) {
            read.places.push(place);
        }
    };
    for item in split_list(text) {
        if let Some(place) = index.lookup(&item) {
            add(&mut read, place);
            continue;
        }
        // "Irland (EU)", "Deutschland / Frankfurt": a clean name followed by detail.
        let scanned = index.scan(&item);
        if scanned.is_empty() {
            read.unknown.push(item);
            continue;
        }
        read.from_free_text = true;
        for place in scanned {
            add(&mut read, place);
        }
        for mechanism in parse_mechanisms(&item) {
            if !read.mechanisms.contains(&mechanism) {
                read.mechanisms.push(mechanism);
            }
        }
    }
    read
}

/// Text in a sub-processors cell that points elsewhere instead of naming entities.
pub fn is_pointer(text: &str) -> bool {
    let folded = fold(text);
    is_link(text)
        || text.contains("://")
        || [
            "see ",
            "siehe",
            "zie ",
            "voir ",
            "refer to",
            "listed at",
            "list at",
            "vendor s list",
            "auf anfrage",
            "on request",
            "op aanvraag",
            "sur demande",
        ]
        .iter()
        .any(|w| folded.starts_with(w.trim_end()) || folded.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LegalBasis as L, Mechanism as M};

    #[test]
    fn lists_split_on_strong_separators_before_commas() {
        assert_eq!(
            split_list("Name\nE-Mail-Adresse"),
            ["Name", "E-Mail-Adresse"]
        );
        assert_eq!(split_list("a; b | c"), ["a", "b", "c"]);
        assert_eq!(split_list("✓ Name ✓ E-Mail"), ["Name", "E-Mail"]);
        assert_eq!(split_list("• one\n• two"), ["one", "two"]);
        assert_eq!(split_list("- one\n- two"), ["one", "two"]);
        assert_eq!(split_list("ISO 27001, NEN 7510"), ["ISO 27001", "NEN 7510"]);
        assert_eq!(
            split_list("E-Mail-Adresse; Name, Vorname"),
            ["E-Mail-Adresse", "Name, Vorname"]
        );
        assert_eq!(split_list("E-Mail-Inhalte"), ["E-Mail-Inhalte"]);
        assert!(split_list("  ").is_empty());
    }

    #[test]
    fn yes_no_unknown_in_four_languages() {
        for yes in ["yes", "Ja", "oui", "x", "✓", "✔ signed", "TRUE", "1", "y"] {
            assert_eq!(parse_tristate(yes), Some(Tristate::Yes), "{yes}");
        }
        for no in ["no", "Nein", "nee", "non", "✗", "false", "0", "n"] {
            assert_eq!(parse_tristate(no), Some(Tristate::No), "{no}");
        }
        for unknown in ["", "unbekannt", "onbekend", "?", "unknown"] {
            assert_eq!(
                parse_tristate(unknown),
                Some(Tristate::Unknown),
                "{unknown}"
            );
        }
        assert_eq!(parse_tristate("perhaps"), None);
    }

    #[test]
    fn dates_iso_and_day_first() {
        let d = NaiveDate::from_ymd_opt(2024, 5, 1);
        assert_eq!(parse_date("2024-05-01"), d);
        assert_eq!(parse_date("01.05.2024"), d);
        assert_eq!(parse_date("01/05/2024"), d);
        assert_eq!(parse_date("2024-05-01T00:00:00"), d);
        assert_eq!(parse_date("soon"), None);
    }

    #[test]
    fn mechanisms_from_free_text() {
        assert_eq!(
            parse_mechanisms("EU/US privacy shield in place"),
            [M::PrivacyShield]
        );
        assert_eq!(
            parse_mechanisms("US- EU/USprivacyshield in place."),
            [M::PrivacyShield]
        );
        assert_eq!(parse_mechanisms("EU-Standardvertragsklauseln"), [M::Scc]);
        assert_eq!(parse_mechanisms("SCC (2010/87/EU)"), [M::SccLegacy]);
        assert_eq!(parse_mechanisms("Standaardcontractbepalingen"), [M::Scc]);
        assert_eq!(parse_mechanisms("clauses contractuelles types"), [M::Scc]);
        assert_eq!(parse_mechanisms("Data Privacy Framework"), [M::Dpf]);
        assert_eq!(parse_mechanisms("DPF; SCC"), [M::Dpf, M::Scc]);
        assert_eq!(parse_mechanisms("Angemessenheitsbeschluss"), [M::Adequacy]);
        assert_eq!(parse_mechanisms("Art. 49 Abs. 1 lit. a"), [M::Derogation]);
        assert_eq!(parse_mechanisms("Safe Harbour"), [M::SafeHarbor]);
        assert_eq!(parse_mechanisms("binding corporate rules"), [M::Bcr]);
        assert_eq!(parse_mechanisms("code_of_conduct"), [M::CodeOfConduct]);
        assert_eq!(parse_mechanisms("keine"), [M::None]);
        assert!(parse_mechanisms("trust us").is_empty());
    }

    #[test]
    fn legal_bases_by_reference_and_name() {
        assert_eq!(parse_legal_bases("6(1)(f)"), [L::LegitimateInterests]);
        assert_eq!(
            parse_legal_bases("Art. 6 Abs. 1 lit. f DSGVO"),
            [L::LegitimateInterests]
        );
        assert_eq!(parse_legal_bases("art. 6 lid 1 sub b AVG"), [L::Contract]);
        assert_eq!(parse_legal_bases("Art. 6(1)(a) GDPR"), [L::Consent]);
        assert_eq!(
            parse_legal_bases("berechtigtes Interesse"),
            [L::LegitimateInterests]
        );
        assert_eq!(
            parse_legal_bases("gerechtvaardigd belang"),
            [L::LegitimateInterests]
        );
        assert_eq!(
            parse_legal_bases("intérêt légitime"),
            [L::LegitimateInterests]
        );
        assert_eq!(parse_legal_bases("Einwilligung"), [L::Consent]);
        assert_eq!(
            parse_legal_bases("wettelijke verplichting"),
            [L::LegalObligation]
        );
        assert_eq!(
            parse_legal_bases("Contract; legal obligation"),
            [L::Contract, L::LegalObligation]
        );
        assert_eq!(
            parse_legal_bases("legitimate_interests"),
            [L::LegitimateInterests]
        );
        assert!(parse_legal_bases("because we can").is_empty());
    }

    #[test]
    fn places_from_items_and_free_text() {
        let us = Place::Country("US".into());
        let read = parse_places("US- EU/USprivacyshield in place.");
        assert_eq!(read.places, std::slice::from_ref(&us));
        assert!(read.from_free_text);
        assert_eq!(read.mechanisms, [M::PrivacyShield]);

        let read = parse_places("Niederlande");
        assert_eq!(read.places, [Place::Country("NL".into())]);
        assert!(!read.from_free_text);

        let read = parse_places("DE; US");
        assert_eq!(read.places, [Place::Country("DE".into()), us]);

        let read = parse_places("Atlantis");
        assert_eq!(read.unknown, ["Atlantis"]);
    }

    #[test]
    fn pointers_are_not_names() {
        assert!(is_pointer("see vendor's list"));
        assert!(is_pointer("Siehe Liste des Anbieters"));
        assert!(is_pointer("https://example.com/subprocessors"));
        assert!(!is_pointer("Amazon Web Services"));
    }
}
