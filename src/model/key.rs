//! Normalised forms of names and headings, so `Google  Mail`, `google mail` and `Google-Mail`
//! are one key, and `Österreich` matches `Osterreich`.

/// Lower-case ASCII words separated by single spaces: accents folded, punctuation dropped.
pub fn fold(text: &str) -> String {
    // ASCII text needs no transliteration, and its spaces and controls are separators
    // anyway: one pass, one string (reports fold category words for every row).
    if text.is_ascii() {
        words_of(text)
    } else {
        transliterated(text)
    }
}

/// [`fold`] for any text: transliterated to ASCII first.
fn transliterated(text: &str) -> String {
    // deunicode drops control characters, so line breaks become spaces first.
    let spaced: String = text
        .chars()
        .map(|c| {
            if c.is_whitespace() || c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect();
    words_of(&deunicode::deunicode(&spaced))
}

/// The ASCII letters and digits of `ascii`, lower-cased, each run separated by one space.
fn words_of(ascii: &str) -> String {
    let mut out = String::with_capacity(ascii.len());
    let mut pending_space = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c.to_ascii_lowercase());
        } else {
            pending_space = true;
        }
    }
    out
}

/// The key an entity is known by when it has no id: its name, case- and whitespace-insensitive.
/// Punctuation is kept apart from spacing so `A.B.` and `AB` stay distinct entities; the
/// near-duplicate check reports such pairs instead.
pub fn name_key(name: &str) -> compact_str::CompactString {
    // Built in place: keys are mostly short enough to stay inline, and this runs for every
    // reference of a register.
    let mut key = compact_str::CompactString::default();
    for word in name.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        if word.is_ascii() {
            key.extend(word.chars().map(|c| c.to_ascii_lowercase()));
        } else {
            // str::to_lowercase, not per character: it knows a word-final capital sigma.
            key.push_str(&word.to_lowercase());
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_ignores_case_accents_and_punctuation() {
        assert_eq!(fold("  Österreich "), "osterreich");
        assert_eq!(
            fold("Catégories de\ndonnées (Art. 30)"),
            "categories de donnees art 30"
        );
        assert_eq!(fold("Maßnahmen"), "massnahmen");
        assert_eq!(fold("E-Mail-Adresse"), "e mail adresse");
        assert_eq!(
            fold("Categorieën van\nbetrokkenen"),
            "categorieen van betrokkenen"
        );
    }

    #[test]
    fn ascii_text_folds_as_transliterated_text_does() {
        // The ASCII path skips transliteration; it must give what the full path gives.
        let full = transliterated;
        let every_ascii: String = (0u8..=0x7F).map(char::from).collect();
        for text in [
            every_ascii.as_str(),
            "E-Mail-Adresse",
            " Name\t(first,\r\nlast)\u{7f}x ",
            "IP-address\u{0}\u{1b}[31m",
        ] {
            assert_eq!(fold(text), full(text), "{text:?}");
        }
        for (a, b) in (0u8..=0x7F).flat_map(|a| (0u8..=0x7F).map(move |b| (a, b))) {
            let text = format!("x{}{}y", char::from(a), char::from(b));
            assert_eq!(fold(&text), full(&text), "{text:?}");
        }
    }

    #[test]
    fn name_key_ignores_case_and_spacing_only() {
        assert_eq!(name_key(" Google   Mail "), "google mail");
        assert_ne!(name_key("Google-Mail"), name_key("Google Mail"));
        assert_eq!(name_key("ΟΔΟΣ Σ  Ab"), "οδος σ ab");
    }
}
