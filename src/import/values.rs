//! Cell values as registers write them, in English, German, Dutch and French.

use crate::model::{LegalBasis, Mechanism, Place, Tristate};
use crate::vocabulary::places;
use crate::vocabulary::words::{self, Concept};
use chrono::NaiveDate;
use compact_str::CompactString;

/// Splits a list cell. Newlines, `;`, `|` and bullets separate items; when none of them is
/// present, commas do. A `-` starts an item only at the start of a line.
pub fn split_list(text: &str) -> Vec<CompactString> {
    const BULLETS: &[char] = &['•', '✓', '✔', '☑', '▪', '◦', '·', '●'];
    let strong = text.contains(['\n', ';', '|']) || text.contains(BULLETS);
    let mut items: Vec<CompactString> = Vec::new();
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
        // `Zoom Video Communications, Inc.`: a legal form after a comma belongs to the name.
        if !strong
            && crate::vocabulary::names::is_legal_form(item)
            && let Some(last) = items.last_mut()
        {
            last.push_str(", ");
            last.push_str(item);
            continue;
        }
        if !item.is_empty() && !items.iter().any(|i| i == item) {
            items.push(item.into());
        }
    }
    // Kept for the whole run: a list grown by pushing holds room for four items.
    items.shrink_to_fit();
    items
}

/// What a yes/no cell says, with the evidence it gives: `✅ signed 2024-01-02`,
/// `⏳ In Bearbeitung`, `DPA in Place: Yes`, `https://…/dpa.pdf`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YesNo {
    /// `None` when the text says neither yes, no nor unknown.
    pub status: Option<Tristate>,
    pub date: Option<NaiveDate>,
    pub link: Option<String>,
}

/// Reads a yes/no/unknown cell in six languages and as symbols. Requested or in-progress
/// (`pending`, `⏳`, `to sign`) is no: it is not there yet. A date or a link alone is yes.
pub fn read_yes_no(text: &str) -> YesNo {
    let mut read = YesNo::default();
    let trimmed = text.trim();
    if trimmed.is_empty() {
        read.status = Some(Tristate::Unknown);
        return read;
    }
    // `DPA in Place: Yes`: the answer follows the question.
    let answer = match trimmed.split_once(':') {
        Some((_, after)) if !after.starts_with("//") && !after.trim().is_empty() => after.trim(),
        _ => trimmed,
    };
    read.link = answer
        .split_whitespace()
        .find(|w| is_link(w))
        .map(str::to_string);
    read.date = answer
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == '(' || c == ')')
        .find_map(parse_date);
    let symbol = words::symbol_concept(answer);
    let (_, rest) = words::leading_symbols(answer);
    let concept = |c| words::is(c, rest) || (rest.is_empty() && symbol == Some(c));
    // Pending is no: requested or in progress, it is not there yet.
    let pending = symbol == Some(Concept::Pending)
        || words::starts_with(Concept::Pending, rest)
        || words::contains(Concept::Pending, rest);
    let no = symbol == Some(Concept::No)
        || concept(Concept::No)
        || words::starts_with(Concept::No, rest);
    let yes = symbol == Some(Concept::Yes)
        || concept(Concept::Yes)
        || words::starts_with(Concept::Yes, rest)
        || read.date.is_some()
        || read.link.is_some();
    read.status = if concept(Concept::Unknown) {
        Some(Tristate::Unknown)
    } else if pending || no {
        Some(Tristate::No)
    } else if yes {
        Some(Tristate::Yes)
    } else {
        None
    };
    read
}

/// yes / no / unknown; `None` when the text is none of them.
pub fn parse_tristate(text: &str) -> Option<Tristate> {
    read_yes_no(text).status
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

/// Transfer mechanisms named in a cell ([`crate::vocabulary::mechanisms`]). Empty when the
/// text names none.
pub fn parse_mechanisms(text: &str) -> Vec<Mechanism> {
    crate::vocabulary::mechanisms::find(text)
}

/// Art. 6(1) legal bases named in a cell, by article reference or by name
/// ([`crate::vocabulary::legal`]).
pub fn parse_legal_bases(text: &str) -> Vec<LegalBasis> {
    // Per list item, so a reference in one (`Art. 6 lid 1 sub b AVG`) does not hide a name in
    // another (`toestemming`).
    let mut found = Vec::new();
    for item in split_list(text) {
        for basis in crate::vocabulary::legal::legal_bases(&item) {
            if !found.contains(&basis) {
                found.push(basis);
            }
        }
    }
    found
}

/// The result of reading a country or locations cell.
#[derive(Debug, Default, PartialEq)]
pub struct PlacesRead {
    pub places: Vec<Place>,
    /// Items that named no country or region.
    pub unknown: Vec<CompactString>,
    /// Whether any place was read out of free text rather than a clean item.
    pub from_free_text: bool,
    /// Mechanisms mentioned in the same text (`EU/US privacy shield in place`).
    pub mechanisms: Vec<Mechanism>,
}

/// Reads a country or locations cell: list items that are codes or names, else free text.
pub fn parse_places(text: &str) -> PlacesRead {
    let index = places::index();
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

/// Text in a sub-processors cell that points elsewhere instead of naming entities (`see the
/// vendor's list`, `siehe …`, a link).
pub fn is_pointer(text: &str) -> bool {
    is_link(text) || text.contains("://") || words::starts_with(Concept::Pointer, text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Mechanism as M;

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
    fn yes_no_with_evidence_and_symbols() {
        let signed = read_yes_no("signed 2024-01-02");
        assert_eq!(signed.status, Some(Tristate::Yes));
        assert_eq!(signed.date, NaiveDate::from_ymd_opt(2024, 1, 2));
        assert_eq!(read_yes_no("✅ Unterzeichnet").status, Some(Tristate::Yes));
        assert_eq!(read_yes_no("⏳ In Bearbeitung").status, Some(Tristate::No));
        assert_eq!(read_yes_no("to sign").status, Some(Tristate::No));
        assert_eq!(read_yes_no("❌ fehlt").status, Some(Tristate::No));
        assert_eq!(read_yes_no("Oui").status, Some(Tristate::Yes));
        assert_eq!(read_yes_no("Sí").status, Some(Tristate::Yes));
        assert_eq!(read_yes_no("DPA in Place: Yes").status, Some(Tristate::Yes));
        let link = read_yes_no("https://example.com/dpa.pdf");
        assert_eq!(link.status, Some(Tristate::Yes));
        assert_eq!(link.link.as_deref(), Some("https://example.com/dpa.pdf"));
        assert_eq!(read_yes_no("part of the MSA").status, None);
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
