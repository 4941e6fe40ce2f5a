//! Legal grounds as registers write them: Art. 6(1) bases (`data/legal_bases.csv`), Art. 9(2)
//! conditions and Art. 10 wording (`data/art9_conditions.csv`), by name in six languages or by
//! article reference (`6(1)(f)`, `Art. 6 Abs. 1 lit. b und c DSGVO`, `art. 6 lid 1 sub b AVG`,
//! `art. 6, par. 1, lett. b)`, `Art. 9(2)(h)`).

use super::{known_language, rows};
use crate::model::LegalBasis;
use crate::model::key::fold;
use foldhash::{HashMap, HashMapExt};
use serde::Deserialize;
use std::sync::LazyLock;

const LEGAL_BASES_CSV: &str = include_str!("data/legal_bases.csv");
const ART9_CSV: &str = include_str!("data/art9_conditions.csv");

#[derive(Deserialize)]
struct BasisRow {
    basis: String,
    lang: String,
    phrase: String,
}

#[derive(Deserialize)]
struct ConditionRow {
    letter: String,
    lang: String,
    phrase: String,
}

fn basis_of(key: &str) -> Option<LegalBasis> {
    Some(match key {
        "consent" => LegalBasis::Consent,
        "contract" => LegalBasis::Contract,
        "legal_obligation" => LegalBasis::LegalObligation,
        "vital_interests" => LegalBasis::VitalInterests,
        "public_task" => LegalBasis::PublicTask,
        "legitimate_interests" => LegalBasis::LegitimateInterests,
        _ => return None,
    })
}

/// Whether a phrase is an article reference, which the parser must read on its own (the
/// unit test checks it does).
#[cfg(test)]
fn is_reference(phrase: &str) -> bool {
    phrase.chars().any(|c| c.is_ascii_digit())
}

/// Folded name phrases → basis, longest first.
static BASES: LazyLock<Phrases<LegalBasis>> = LazyLock::new(|| {
    let phrases: Vec<(String, LegalBasis)> = rows::<BasisRow>("legal_bases.csv", LEGAL_BASES_CSV)
        .into_iter()
        .map(|r| {
            assert!(
                known_language(&r.lang),
                "legal_bases.csv: language `{}`",
                r.lang
            );
            let basis = basis_of(&r.basis)
                .unwrap_or_else(|| panic!("legal_bases.csv: unknown basis `{}`", r.basis));
            (fold(&r.phrase), basis)
        })
        .collect();
    Phrases::new(phrases)
});

/// What a condition phrase stands for: a letter of Art. 9(2), or Art. 10.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ground {
    Art9(char),
    Art10,
}

static CONDITIONS: LazyLock<Phrases<Ground>> = LazyLock::new(|| {
    let phrases: Vec<(String, Ground)> = rows::<ConditionRow>("art9_conditions.csv", ART9_CSV)
        .into_iter()
        .map(|r| {
            assert!(
                known_language(&r.lang),
                "art9_conditions.csv: language `{}`",
                r.lang
            );
            let ground = match r.letter.as_str() {
                "art10" => Ground::Art10,
                l if l.len() == 1 && ('a'..='j').contains(&l.chars().next().unwrap_or(' ')) => {
                    Ground::Art9(l.chars().next().unwrap_or('a'))
                }
                other => panic!("art9_conditions.csv: unknown letter `{other}`"),
            };
            (fold(&r.phrase), ground)
        })
        .collect();
    Phrases::new(phrases)
});

/// Words between an article number and its paragraph.
const PARAGRAPH_WORDS: &[&str] = &[
    "abs",
    "absatz",
    "lid",
    "par",
    "paragraph",
    "para",
    "paragrafo",
    "paragraphe",
    "apartado",
    "apdo",
    "al",
    "alinea",
    "comma",
    "c",
];
/// Words between the paragraph and its letters.
const LETTER_WORDS: &[&str] = &[
    "lit",
    "litt",
    "littera",
    "buchst",
    "buchstabe",
    "sub",
    "onder",
    "lett",
    "lettera",
    "letter",
    "point",
    "punt",
    "punto",
    "let",
    "letra",
    "sous",
];
/// Words that join letters: `lit. b und c`, `(b) and (c)`.
const JOINERS: &[&str] = &[
    "und", "and", "et", "y", "e", "en", "o", "oder", "or", "ou", "bzw", "sowie",
];
/// A sentence counted inside a paragraph: `Abs. 1 S. 1 lit. a`, `UAbs. 1`.
const SENTENCE_WORDS: &[&str] = &[
    "s",
    "satz",
    "uabs",
    "unterabsatz",
    "subparagraph",
    "sentence",
];

/// The letters an article reference gives: article `article`, paragraph `paragraph` (or its
/// Roman numeral), then single letters in `letters`, joined by `and`/`und`/`,`. Letters are
/// read only as one run right after the paragraph, so `Art. 6.1.b (exécution d'un contrat)`
/// gives `b`, not also the `d` of `d'un`.
fn article_letters(
    folded: &str,
    article: &str,
    paragraph: (&str, &str),
    letters: std::ops::RangeInclusive<char>,
) -> Vec<char> {
    let words: Vec<&str> = folded.split(' ').collect();
    let mut found = Vec::new();
    for start in 0..words.len() {
        if words[start] != article {
            continue;
        }
        let mut i = start + 1;
        while i < words.len() && PARAGRAPH_WORDS.contains(&words[i]) {
            i += 1;
        }
        if i >= words.len() || (words[i] != paragraph.0 && words[i] != paragraph.1) {
            continue;
        }
        i += 1;
        let mut expect_letter = true;
        while i < words.len() {
            let word = words[i];
            let mut chars = word.chars();
            let single = match (chars.next(), chars.next()) {
                (Some(c), None) if letters.contains(&c) => Some(c),
                _ => None,
            };
            if SENTENCE_WORDS.contains(&word) && i + 1 < words.len() && words[i + 1] == "1" {
                i += 2;
                continue;
            }
            if LETTER_WORDS.contains(&word) {
                i += 1;
                continue;
            }
            if let Some(c) = single.filter(|_| expect_letter) {
                if !found.contains(&c) {
                    found.push(c);
                }
                expect_letter = false;
            } else if JOINERS.contains(&word) && !expect_letter {
                expect_letter = true;
            } else {
                break;
            }
            i += 1;
        }
    }
    found
}

/// Phrases by their first word, each list longest first, for a scan in one pass over a text's
/// words.
struct Phrases<T> {
    by_first: HashMap<String, Vec<(Vec<String>, T)>>,
}

impl<T: Copy + PartialEq> Phrases<T> {
    fn new(phrases: Vec<(String, T)>) -> Self {
        let mut by_first: HashMap<String, Vec<(Vec<String>, T)>> = HashMap::new();
        for (phrase, meaning) in phrases {
            let words: Vec<String> = phrase.split(' ').map(str::to_string).collect();
            if let Some(first) = words.first().cloned() {
                by_first.entry(first).or_default().push((words, meaning));
            }
        }
        for list in by_first.values_mut() {
            list.sort_by_key(|(phrase, _)| std::cmp::Reverse(phrase.len()));
        }
        Phrases { by_first }
    }

    /// The meanings of the phrases found in folded text as whole words, longest first at
    /// each position, each word used once.
    fn find(&self, folded: &str) -> Vec<T> {
        let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
        let mut found = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let hit = self.by_first.get(words[i]).and_then(|list| {
                list.iter().find(|(phrase, _)| {
                    i + phrase.len() <= words.len()
                        && phrase.iter().zip(&words[i..]).all(|(p, w)| p == w)
                })
            });
            match hit {
                Some((phrase, meaning)) => {
                    if !found.contains(meaning) {
                        found.push(*meaning);
                    }
                    i += phrase.len();
                }
                None => i += 1,
            }
        }
        found
    }
}

/// Art. 6(1) bases named in a text. An article reference wins over names in the same list
/// item (`legal obligation under a contract` with `6(1)(c)` is (c)).
pub fn legal_bases(text: &str) -> Vec<LegalBasis> {
    let folded = fold(text);
    let letters = article_letters(&folded, "6", ("1", "i"), 'a'..='f');
    if !letters.is_empty() {
        return letters
            .into_iter()
            .filter_map(LegalBasis::from_letter)
            .collect();
    }
    BASES.find(&folded)
}

/// Art. 9(2) letters a text states, by reference or by wording, and whether it gives an
/// Art. 10 ground.
pub fn conditions(text: &str) -> (Vec<char>, bool) {
    let folded = fold(text);
    let mut letters = article_letters(&folded, "9", ("2", "ii"), 'a'..='j');
    let mut art10 = folded.split(' ').collect::<Vec<_>>().windows(2).any(|w| {
        matches!(
            w[0],
            "art" | "article" | "artikel" | "articulo" | "articolo"
        ) && w[1] == "10"
    });
    for ground in CONDITIONS.find(&folded) {
        match ground {
            Ground::Art9(c) if !letters.contains(&c) => letters.push(c),
            Ground::Art10 => art10 = true,
            Ground::Art9(_) => {}
        }
    }
    (letters, art10)
}

#[cfg(test)]
mod tests {
    use super::*;
    use LegalBasis as L;

    #[test]
    fn every_reference_in_the_vocabulary_reads_as_its_basis() {
        for row in rows::<BasisRow>("legal_bases.csv", LEGAL_BASES_CSV) {
            // The parser itself must read every reference, not the phrase list.
            if is_reference(&row.phrase) {
                let letters = article_letters(&fold(&row.phrase), "6", ("1", "i"), 'a'..='f');
                let bases: Vec<LegalBasis> = letters
                    .into_iter()
                    .filter_map(LegalBasis::from_letter)
                    .collect();
                assert_eq!(bases, [basis_of(&row.basis).unwrap()], "{}", row.phrase);
            }
        }
        for row in rows::<ConditionRow>("art9_conditions.csv", ART9_CSV) {
            let folded = fold(&row.phrase);
            let words: Vec<&str> = folded.split(' ').collect();
            let cites_paragraph = words
                .iter()
                .position(|w| *w == "9")
                .is_some_and(|at| words[at..].iter().any(|w| *w == "2" || *w == "ii"));
            if row.letter != "art10" && cites_paragraph {
                let letters = article_letters(&fold(&row.phrase), "9", ("2", "ii"), 'a'..='j');
                assert!(
                    letters.contains(&row.letter.chars().next().unwrap()),
                    "{}: {letters:?}",
                    row.phrase
                );
            }
        }
    }

    #[test]
    fn names_references_and_their_traps() {
        assert_eq!(legal_bases("6(1)(f)"), [L::LegitimateInterests]);
        assert_eq!(
            legal_bases("Art. 6 Abs. 1 lit. b und c DSGVO"),
            [L::Contract, L::LegalObligation]
        );
        assert_eq!(
            legal_bases("Art. 6.1.b RGPD (exécution d'un contrat)"),
            [L::Contract]
        );
        assert_eq!(
            legal_bases("art. 6, par. 1, lett. b) e c) GDPR"),
            [L::Contract, L::LegalObligation]
        );
        assert_eq!(legal_bases("Art. 6 I f DSGVO"), [L::LegitimateInterests]);
        assert_eq!(
            legal_bases("gerechtvaardigd belang"),
            [L::LegitimateInterests]
        );
        assert_eq!(legal_bases("Consenso dell'interessato"), [L::Consent]);
        assert_eq!(legal_bases("interés legítimo"), [L::LegitimateInterests]);
        assert!(legal_bases("because we can").is_empty());
        assert_eq!(conditions("Article 9(2)(b) - employment law").0, ['b']);
        assert_eq!(conditions("Art. 9 Abs. 2 lit. h DSGVO").0, ['h']);
        assert!(conditions("Art. 10 GDPR").1);
    }
}
