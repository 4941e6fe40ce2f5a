//! Column headings by meaning. Each field of each table has **cues** in
//! `data/headings.csv`: a template's full heading (`exact`), words and phrases that on their own
//! say the field (`strong`), words that only help (`weak`), and words that argue against it
//! (`not`). A heading scores for every field by the cues it contains; the importer then picks
//! the best assignment of columns to fields per table. Sheet and file names per table are in
//! `data/tables.csv`.

use super::{known_language, rows};
use crate::model::TableKind;
use crate::model::key::fold;
use crate::model::schema::field_of;
use foldhash::{HashMap, HashMapExt};
use serde::Deserialize;
use std::sync::LazyLock;

const HEADINGS_CSV: &str = include_str!("data/headings.csv");
const TABLES_CSV: &str = include_str!("data/tables.csv");

/// How much a cue says about its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    /// A template's heading verbatim: the whole heading, nothing else.
    Exact,
    /// Says the field on its own.
    Strong,
    /// Only supports the field.
    Weak,
    /// Argues against the field.
    Not,
}

impl Strength {
    /// Score points a cue of `words` words adds: longer phrases are more specific.
    fn points(self, words: usize) -> i32 {
        let extra = words.saturating_sub(1) as i32;
        match self {
            Strength::Exact => 20,
            Strength::Strong => 3 + extra,
            Strength::Weak => 1 + extra,
            Strength::Not => -4,
        }
    }
}

/// One word of a cue: a whole word, or a word part marked with `*`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Pattern {
    Word(String),
    Prefix(String),
    Suffix(String),
    Infix(String),
}

impl Pattern {
    fn parse(word: &str) -> Pattern {
        let starts = word.starts_with('*');
        let ends = word.ends_with('*');
        let stem = word.trim_matches('*').to_string();
        match (starts, ends) {
            (true, true) => Pattern::Infix(stem),
            (true, false) => Pattern::Suffix(stem),
            (false, true) => Pattern::Prefix(stem),
            (false, false) => Pattern::Word(stem),
        }
    }

    fn matches(&self, token: &str) -> bool {
        match self {
            Pattern::Word(w) => token == w,
            Pattern::Prefix(p) => token.starts_with(p.as_str()),
            Pattern::Suffix(s) => token.ends_with(s.as_str()),
            Pattern::Infix(i) => token.contains(i.as_str()),
        }
    }
}

#[derive(Debug, Deserialize)]
struct HeadingRow {
    table: String,
    field: String,
    lang: String,
    strength: Strength,
    cue: String,
}

#[derive(Debug, Deserialize)]
struct TableRow {
    table: String,
    lang: String,
    name: String,
}

/// A cue, ready to match.
#[derive(Debug)]
struct Cue {
    /// `None`: any table that has the field.
    table: Option<TableKind>,
    field: String,
    strength: Strength,
    patterns: Vec<Pattern>,
    /// The cue as written in the file, for diagnostics.
    text: String,
    /// Per table of [`TableKind::ALL`], whether the cue names one of its fields: decided once
    /// here, since every heading of every candidate header row tries every cue.
    applies: [bool; TableKind::ALL.len()],
}

/// What a sheet or file name says about its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedAs {
    Table(TableKind),
    /// Template instructions, notes or value lists: skipped quietly.
    Instructions,
}

/// How many leading characters of a prefix cue index it: every prefix cue in the vocabulary
/// is at least this long (a shorter one is tried against every token).
const STEM_KEY: usize = 3;

struct Index {
    cues: Vec<Cue>,
    /// First word of word-led cues → cue indices.
    by_first_word: HashMap<String, Vec<usize>>,
    /// Cues led by a word's beginning (`system*`), by the first [`STEM_KEY`] characters of
    /// that beginning: only those a token starts with are tried.
    prefix_led: HashMap<String, Vec<usize>>,
    /// Cues led by a word's end or middle (`*nummer`), tried against every token.
    affix_led: Vec<usize>,
    /// Folded full heading → exact cue indices.
    exact: HashMap<String, Vec<usize>>,
    names: HashMap<String, NamedAs>,
}

fn table_kind(name: &str) -> Option<TableKind> {
    TableKind::ALL.into_iter().find(|k| k.name() == name)
}

static INDEX: LazyLock<Index> = LazyLock::new(|| {
    let mut index = Index {
        cues: Vec::new(),
        by_first_word: HashMap::new(),
        prefix_led: HashMap::new(),
        affix_led: Vec::new(),
        exact: HashMap::new(),
        names: HashMap::new(),
    };
    for row in rows::<HeadingRow>("headings.csv", HEADINGS_CSV) {
        assert!(
            known_language(&row.lang),
            "headings.csv: language `{}`",
            row.lang
        );
        let table = if row.table == "*" {
            None
        } else {
            Some(
                table_kind(&row.table)
                    .unwrap_or_else(|| panic!("headings.csv: unknown table `{}`", row.table)),
            )
        };
        let known = match table {
            Some(kind) => field_of(kind, &row.field).is_some(),
            None => TableKind::ALL
                .iter()
                .any(|&kind| field_of(kind, &row.field).is_some()),
        };
        assert!(
            known,
            "headings.csv: `{}` is no field of `{}`",
            row.field, row.table
        );
        // Stars survive folding as word parts: fold each word on its own.
        let words: Vec<String> = row
            .cue
            .split_whitespace()
            .flat_map(|w| {
                let lead = if w.starts_with('*') { "*" } else { "" };
                let tail = if w.ends_with('*') { "*" } else { "" };
                fold(w)
                    .split(' ')
                    .filter(|p| !p.is_empty())
                    .map(|p| format!("{lead}{p}{tail}"))
                    .collect::<Vec<_>>()
            })
            .collect();
        if words.is_empty() {
            continue;
        }
        let id = index.cues.len();
        let patterns: Vec<Pattern> = words.iter().map(|w| Pattern::parse(w)).collect();
        if row.strength == Strength::Exact {
            let folded = words.join(" ");
            index.exact.entry(folded).or_default().push(id);
        } else {
            match &patterns[0] {
                Pattern::Word(w) => index.by_first_word.entry(w.clone()).or_default().push(id),
                Pattern::Prefix(p) if p.chars().count() >= STEM_KEY => index
                    .prefix_led
                    .entry(p.chars().take(STEM_KEY).collect())
                    .or_default()
                    .push(id),
                _ => index.affix_led.push(id),
            }
        }
        let applies = TableKind::ALL
            .map(|kind| table.is_none_or(|t| t == kind) && field_of(kind, &row.field).is_some());
        index.cues.push(Cue {
            table,
            field: row.field,
            strength: row.strength,
            patterns,
            text: row.cue,
            applies,
        });
    }
    for row in rows::<TableRow>("tables.csv", TABLES_CSV) {
        assert!(
            known_language(&row.lang),
            "tables.csv: language `{}`",
            row.lang
        );
        let named = if row.table == "instructions" {
            NamedAs::Instructions
        } else {
            NamedAs::Table(
                table_kind(&row.table)
                    .unwrap_or_else(|| panic!("tables.csv: unknown table `{}`", row.table)),
            )
        };
        index.names.entry(fold(&row.name)).or_insert(named);
    }
    index
});

/// The words of a heading as matched: folded, with text in brackets dropped (unless that
/// leaves nothing) and trailing numbering such as `1.` kept as a word.
pub fn heading_words(heading: &str) -> Vec<String> {
    let mut outside = String::with_capacity(heading.len());
    let mut depth = 0usize;
    for c in heading.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => outside.push(c),
            _ => {}
        }
    }
    let mut folded = fold(&outside);
    if folded.is_empty() {
        folded = fold(heading);
    }
    folded
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// How well a heading fits one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldMatch {
    pub field: &'static str,
    pub score: i32,
    /// The heading is a template heading for this field, verbatim.
    pub exact: bool,
    /// Whether every word of the heading that matters was explained by a cue.
    pub covered: bool,
    /// The share of the heading's words that matter that a cue explained: a heading is mostly
    /// explained, a sentence of data that happens to contain a cue word is not. In percent.
    pub coverage: u8,
    /// The cues that matched, as written in the vocabulary.
    pub cues: Vec<&'static str>,
}

/// A match scores as a field's heading when it reaches this many points: one strong cue.
pub const CONFIDENT: i32 = 3;

impl FieldMatch {
    /// Whether the text reads as this field's heading: a template heading, or confident cues
    /// that explain most of its words (three in five). `Gestion des commandes et de la relation
    /// client` contains the cue `client*` but is a value, not a heading.
    pub fn is_heading(&self) -> bool {
        self.score >= CONFIDENT && (self.exact || self.coverage >= 60)
    }
}

/// Scores a heading against every field of a table, best first. Fields without a positive
/// score are left out.
pub fn score(kind: TableKind, heading: &str) -> Vec<FieldMatch> {
    score_words(kind, &heading_words(heading))
}

/// [`score`] for a heading already split into its words ([`heading_words`]), which do not
/// depend on the table: a candidate header row is scored for every table.
pub fn score_words(kind: TableKind, words: &[String]) -> Vec<FieldMatch> {
    score_found(kind, &HeadingCues::of(words))
}

/// The cues a heading's words hold, whatever table they name fields of: found once for a
/// candidate header row's cell and then scored for each table ([`score_found`]). Rows tried
/// as headers are many in a register with a blank row after each entry.
pub struct HeadingCues<'w> {
    words: &'w [String],
    /// The cues the whole heading is exactly.
    exact: &'static [usize],
    /// Every (cue, start) occurrence in the heading.
    found: Vec<(usize, usize)>,
}

impl<'w> HeadingCues<'w> {
    pub fn of(words: &'w [String]) -> Self {
        let index = &*INDEX;
        if words.is_empty() {
            return HeadingCues {
                words,
                exact: &[],
                found: Vec::new(),
            };
        }
        let exact = index
            .exact
            .get(&words.join(" "))
            .map_or(&[][..], Vec::as_slice);
        let mut found: Vec<(usize, usize)> = Vec::new();
        for start in 0..words.len() {
            let try_cues = |ids: &[usize], found: &mut Vec<(usize, usize)>| {
                for &id in ids {
                    let cue = &index.cues[id];
                    if start + cue.patterns.len() > words.len() {
                        continue;
                    }
                    if cue
                        .patterns
                        .iter()
                        .zip(&words[start..])
                        .all(|(p, w)| p.matches(w))
                    {
                        found.push((id, start));
                    }
                }
            };
            let word = &words[start];
            try_cues(
                index.by_first_word.get(word).map_or(&[], Vec::as_slice),
                &mut found,
            );
            // The cues led by a word part, in the order of the vocabulary as when they were all
            // tried: the order decides which of two equal cues a field is credited with.
            let led_by_part = found.len();
            let stem: String = word.chars().take(STEM_KEY).collect();
            try_cues(
                index.prefix_led.get(&stem).map_or(&[], Vec::as_slice),
                &mut found,
            );
            try_cues(&index.affix_led, &mut found);
            found[led_by_part..].sort_unstable();
        }
        HeadingCues {
            words,
            exact,
            found,
        }
    }
}

/// Scores a heading's cues against the fields of one table, best first, as [`score_words`].
pub fn score_found(kind: TableKind, heading: &HeadingCues) -> Vec<FieldMatch> {
    let index = &*INDEX;
    let words = heading.words;
    if words.is_empty() {
        return Vec::new();
    }
    let kind_at = TableKind::ALL
        .iter()
        .position(|&k| k == kind)
        .expect("every table kind is in TableKind::ALL");
    let applies = |cue: &Cue| cue.applies[kind_at];
    let mut matches: Vec<FieldMatch> = Vec::new();
    for &id in heading.exact {
        let cue = &index.cues[id];
        if applies(cue) && !matches.iter().any(|m| m.field == cue.field) {
            matches.push(FieldMatch {
                field: static_field(kind, &cue.field),
                score: Strength::Exact.points(words.len()),
                exact: true,
                covered: true,
                coverage: 100,
                cues: vec![cue.text.as_str()],
            });
        }
    }
    // The occurrences of this table's cues, in the order they were found.
    let mut found: Vec<(usize, usize)> = heading
        .found
        .iter()
        .copied()
        .filter(|&(id, _)| applies(&index.cues[id]))
        .collect();
    // Per field: the longest cues first, then the strongest; each word counts once per field
    // (so `system*` and `systemen` do not both score `Systemen`), for and against alike.
    let order = |&(id, start): &(usize, usize)| {
        let cue = &index.cues[id];
        (
            cue.field.as_str(),
            cue.strength == Strength::Not,
            std::cmp::Reverse(cue.patterns.len()),
            cue.strength,
            start,
        )
    };
    found.sort_by(|a, b| order(a).cmp(&order(b)));
    let mut i = 0;
    while i < found.len() {
        let field = index.cues[found[i].0].field.clone();
        let mut used = vec![false; words.len()];
        let mut against = vec![false; words.len()];
        let mut score = 0;
        let mut cues: Vec<&'static str> = Vec::new();
        while i < found.len() && index.cues[found[i].0].field == field {
            let (id, start) = found[i];
            i += 1;
            let cue = &index.cues[id];
            let span = start..start + cue.patterns.len();
            let seen = if cue.strength == Strength::Not {
                &mut against
            } else {
                &mut used
            };
            if span.clone().any(|w| seen[w]) || cues.contains(&cue.text.as_str()) {
                continue;
            }
            span.for_each(|w| seen[w] = true);
            score += cue.strength.points(cue.patterns.len());
            cues.push(cue.text.as_str());
        }
        if matches.iter().any(|m| m.field == field) {
            continue;
        }
        let content: Vec<bool> = words
            .iter()
            .zip(&used)
            .filter(|(w, _)| !super::words::is_stopword(w))
            .map(|(_, u)| *u)
            .collect();
        let explained = content.iter().filter(|u| **u).count();
        let coverage = if content.is_empty() {
            100
        } else {
            (explained * 100 / content.len()) as u8
        };
        let covered = explained == content.len();
        if covered && score > 0 {
            score += 1;
        }
        if score > 0 {
            matches.push(FieldMatch {
                field: static_field(kind, &field),
                score,
                exact: false,
                covered,
                coverage,
                cues,
            });
        }
    }
    let order = |field: &str| {
        crate::model::schema::fields(kind)
            .iter()
            .position(|f| f.key == field)
            .unwrap_or(usize::MAX)
    };
    matches.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| order(a.field).cmp(&order(b.field)))
    });
    matches
}

fn static_field(kind: TableKind, key: &str) -> &'static str {
    field_of(kind, key).map(|f| f.key).unwrap_or("")
}

/// What a sheet name or file stem says, if anything.
pub fn named(name: &str) -> Option<NamedAs> {
    let folded = fold(name);
    if let Some(named) = INDEX.names.get(&folded) {
        return Some(*named);
    }
    // `5 - Listes`, `1. Activities`: numbering in front of a known name.
    let trimmed = folded.trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ');
    INDEX.names.get(trimmed).copied()
}

/// The table a sheet name or file stem names.
pub fn table_for_name(name: &str) -> Option<TableKind> {
    match named(name) {
        Some(NamedAs::Table(kind)) => Some(kind),
        _ => None,
    }
}

/// Every cue of a field in a table, as written, for help texts ("add a column headed …").
pub fn examples(kind: TableKind, field: &str, count: usize) -> Vec<&'static str> {
    INDEX
        .cues
        .iter()
        .filter(|c| {
            c.field == field
                && c.table.is_none_or(|t| t == kind)
                && c.strength == Strength::Strong
                && c.patterns.iter().all(|p| matches!(p, Pattern::Word(_)))
        })
        .map(|c| c.text.as_str())
        .take(count)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn best(kind: TableKind, heading: &str) -> Option<&'static str> {
        score(kind, heading)
            .first()
            .filter(|m| m.score >= CONFIDENT)
            .map(|m| m.field)
    }

    #[test]
    fn the_vocabulary_loads() {
        assert!(!INDEX.cues.is_empty());
        assert!(!INDEX.names.is_empty());
    }

    #[test]
    fn headings_in_four_languages() {
        let a = TableKind::Activities;
        assert_eq!(best(a, "Zwecke der\nVerarbeitung"), Some("purpose"));
        assert_eq!(
            best(a, "Retention schedule (if possible)"),
            Some("retention")
        );
        assert_eq!(best(a, "Categories of individuals*"), Some("data_subjects"));
        assert_eq!(
            best(a, "Catégories de personnes concernées"),
            Some("data_subjects")
        );
        assert_eq!(
            best(a, "Categorieën van persoonsgegevens"),
            Some("data_categories")
        );
        assert_eq!(best(a, "Favourite colour"), None);
        let p = TableKind::Processors;
        assert_eq!(best(p, "Standort"), Some("country"));
    }

    #[test]
    fn sheet_names() {
        assert_eq!(
            table_for_name("Verarbeitungstätigkeiten"),
            Some(TableKind::Activities)
        );
        assert_eq!(
            table_for_name("Sub-processors"),
            Some(TableKind::Processors)
        );
        assert_eq!(table_for_name("Datenflüsse"), Some(TableKind::Flows));
        assert_eq!(table_for_name("Tabelle1"), None);
    }
}
