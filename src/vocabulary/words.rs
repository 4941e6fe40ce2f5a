//! Words with a fixed meaning in cells (`data/words.csv`): yes, no, unknown and pending in six
//! languages and as symbols (✅, ⏳), "all customers", the lines that end a published list
//! (`Last updated: …`), pointers elsewhere (`see …`), the headings of key/value sheets and the
//! small words headings are matched without.

use super::{known_language, rows};
use crate::model::key::fold;
use foldhash::{HashMap, HashMapExt, HashSet};
use serde::Deserialize;
use std::sync::LazyLock;

const WORDS_CSV: &str = include_str!("data/words.csv");

/// What a word means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Concept {
    Yes,
    No,
    Unknown,
    /// Requested or in progress, not there yet: `pending`, `⏳ In Bearbeitung`, `to sign`.
    Pending,
    /// Every customer, in a processor activity's controllers cell.
    AllCustomers,
    /// A line that ends a list: `Last updated: 2025-03-01`.
    Footer,
    /// Text that points elsewhere instead of naming: `see …`, `on request`.
    Pointer,
    /// The heading row of a key/value sheet: `Key | Value`, `Feld | Wert`.
    KvHeading,
    /// Role words: who an organisation, activity or recipient is.
    RoleController,
    RoleProcessor,
    RoleBoth,
    RoleSubProcessor,
    RoleJointController,
    /// An independent recipient (a controller in its own right).
    RoleRecipient,
    /// Words headings are matched without.
    Stopword,
    /// Data subjects who are staff or job applicants: their data is HR data.
    Employees,
}

#[derive(Deserialize)]
struct WordRow {
    concept: Concept,
    lang: String,
    word: String,
}

struct Words {
    /// Folded words per concept.
    words: HashMap<Concept, HashSet<String>>,
    /// Symbol words per concept (no letters or digits).
    symbols: Vec<(Concept, String)>,
    /// The most words any entry has, for prefix matching.
    longest: usize,
}

static WORDS: LazyLock<Words> = LazyLock::new(|| {
    let mut words = Words {
        words: HashMap::new(),
        symbols: Vec::new(),
        longest: 1,
    };
    for row in rows::<WordRow>("words.csv", WORDS_CSV) {
        assert!(
            known_language(&row.lang),
            "words.csv: language `{}`",
            row.lang
        );
        if !row.word.chars().any(char::is_alphanumeric) && row.word != "*" && row.word != "?" {
            words.symbols.push((row.concept, row.word));
            continue;
        }
        let folded = if row.word == "*" || row.word == "?" {
            row.word
        } else {
            fold(&row.word)
        };
        words.longest = words.longest.max(folded.split(' ').count());
        words.words.entry(row.concept).or_default().insert(folded);
    }
    words
});

/// The symbols a text starts with (`✅`, `⏳ `), and the text after them.
pub fn leading_symbols(text: &str) -> (&str, &str) {
    let text = text.trim();
    let end = text
        .char_indices()
        .find(|(_, c)| c.is_alphanumeric() || *c == '*' || *c == '?')
        .map(|(i, _)| i)
        .unwrap_or(text.len());
    (text[..end].trim(), text[end..].trim())
}

/// The concept the text's leading symbols stand for, if any.
pub fn symbol_concept(text: &str) -> Option<Concept> {
    let (symbols, _) = leading_symbols(text);
    if symbols.is_empty() {
        return None;
    }
    WORDS
        .symbols
        .iter()
        .find(|(_, symbol)| symbols.starts_with(symbol.as_str()))
        .map(|(concept, _)| *concept)
}

fn has(concept: Concept, folded: &str) -> bool {
    WORDS
        .words
        .get(&concept)
        .is_some_and(|set| set.contains(folded))
}

/// Whether the whole text (symbols aside) is a word of the concept.
pub fn is(concept: Concept, text: &str) -> bool {
    let trimmed = text.trim();
    if trimmed == "*" || trimmed == "?" {
        return has(concept, trimmed);
    }
    let (_, rest) = leading_symbols(trimmed);
    let folded = fold(rest);
    !folded.is_empty() && has(concept, &folded)
}

/// Whether the text starts with a word of the concept, as whole words (`Last updated: …`).
pub fn starts_with(concept: Concept, text: &str) -> bool {
    let (_, rest) = leading_symbols(text);
    let folded = fold(rest);
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    (1..=WORDS.longest.min(words.len())).any(|n| has(concept, &words[..n].join(" ")))
}

/// Whether the text contains a word of the concept as whole words.
pub fn contains(concept: Concept, text: &str) -> bool {
    let folded = fold(text);
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    (0..words.len()).any(|start| {
        (1..=WORDS.longest.min(words.len() - start))
            .any(|n| has(concept, &words[start..start + n].join(" ")))
    })
}

/// Whether a folded word is one headings are matched without.
pub fn is_stopword(word: &str) -> bool {
    has(Concept::Stopword, word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_symbols() {
        assert!(is(Concept::Yes, "Ja"));
        assert!(is(Concept::Yes, "✅ Unterzeichnet"));
        assert_eq!(symbol_concept("✅ Unterzeichnet"), Some(Concept::Yes));
        assert_eq!(symbol_concept("⏳ In Bearbeitung"), Some(Concept::Pending));
        assert!(starts_with(Concept::Pending, "in Bearbeitung seit Mai"));
        assert!(starts_with(Concept::Footer, "Last updated: 2025-03-01"));
        assert!(!starts_with(Concept::Footer, "Amazon Web Services"));
        assert!(is(Concept::AllCustomers, "*"));
        assert!(is(Concept::AllCustomers, "alle Kunden"));
        assert!(is_stopword("der"));
        assert!(contains(Concept::Pending, "DPA: to sign"));
    }
}
