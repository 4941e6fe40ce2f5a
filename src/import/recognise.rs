//! Header rows by meaning: every heading is scored against every field of a table
//! ([`crate::vocabulary::headings`]), columns get the best consistent assignment, and a row is
//! a header when the assignment says enough about one table.

use super::table::{CellValue, RawTable};
use crate::model::schema::identifies;
use crate::model::{TableKind, column_letters};
use crate::vocabulary::headings::{self, CONFIDENT, FieldMatch};

/// A column of a recognised table.
#[derive(Debug, Clone)]
pub struct Column {
    /// Index into the row's cells.
    pub index: usize,
    /// The heading as written (or `Column F` when empty).
    pub heading: String,
    /// The canonical key, or `None` for an extra column.
    pub key: Option<&'static str>,
    /// How the heading matched its key.
    pub matched: Option<FieldMatch>,
    /// The best other field the heading also fits, when that was close.
    pub runner_up: Option<FieldMatch>,
}

impl Column {
    /// Whether the choice of key deserves a word to the user: not a template heading, not a
    /// heading whose every word the vocabulary explains, or close to another field.
    pub fn is_guess(&self) -> bool {
        match &self.matched {
            Some(m) => {
                !m.exact && (!m.covered || m.score < CONFIDENT + 1)
                    || self
                        .runner_up
                        .as_ref()
                        .is_some_and(|r| r.score + 1 >= m.score)
            }
            None => false,
        }
    }
}

/// A header row and what its columns mean.
#[derive(Debug, Clone)]
pub struct Header {
    pub kind: TableKind,
    /// Index into [`RawTable::rows`].
    pub row: usize,
    pub columns: Vec<Column>,
    /// How strongly the row reads as this table's header.
    pub score: i32,
    /// How many headings plainly name a field ([`FieldMatch::is_heading`]).
    pub plain: usize,
}

impl Header {
    pub fn keys(&self) -> Vec<&'static str> {
        self.columns.iter().filter_map(|c| c.key).collect()
    }

    pub fn has(&self, key: &str) -> bool {
        self.columns.iter().any(|c| c.key == Some(key))
    }

    /// Whether the row is unmistakably a header: three headings name fields, or most of them
    /// do. A key/value block ends at such a row; a data row whose cells happen to contain a
    /// heading word does not count (cells count only when they read as headings, see
    /// [`FieldMatch::is_heading`]).
    pub fn is_clear(&self) -> bool {
        self.plain >= 3 || self.mostly_plain()
    }

    /// At least two headings, and most of them, plainly name fields.
    fn mostly_plain(&self) -> bool {
        let headings = self
            .columns
            .iter()
            .filter(|c| !c.heading.trim().is_empty())
            .count();
        self.plain >= 2 && self.plain * 2 >= headings
    }

    /// Whether the row starts a new table inside another table's body, after a blank row: most
    /// of its headings name fields. A count is not enough there: a data row of a dozen cells
    /// (`Activity 32 | … | Purpose of activity 32 | … | until deletion request`) holds three
    /// heading words by chance, and a register with a blank row after each entry would be cut
    /// into dozens of tables of the wrong kinds.
    pub fn starts_new_table(&self) -> bool {
        self.mostly_plain()
    }
}

/// Kinds in the order that breaks ties: a lone table is most often a published sub-processor
/// list.
pub const TIE_ORDER: [TableKind; 6] = [
    TableKind::Processors,
    TableKind::Activities,
    TableKind::Systems,
    TableKind::Flows,
    TableKind::Customers,
    TableKind::Organisation,
];

/// The text of a header cell, filling merged cells from their region's top-left value; the
/// flag says the text came from the region rather than the cell.
fn heading_text(table: &RawTable, row: usize, index: usize) -> (String, bool) {
    let raw = &table.rows[row];
    let value = raw.get(index);
    if value.is_empty()
        && let Some(merged) = table.merged_value(raw.number, index)
    {
        return (merged.text().unwrap_or_default(), true);
    }
    (value.text().unwrap_or_default(), false)
}

/// Assigns fields to the cells of a row for one table: every (column, field) pair that
/// matches confidently, best score first, each column and field used once. Ties go to the
/// leftmost column, so the first of two `Unterauftragsverarbeiter` columns names the row.
pub fn assign(table: &RawTable, kind: TableKind, row: usize) -> Vec<Column> {
    let read = row_headings(table, row);
    let cues = read.cues();
    assign_scored(
        table,
        kind,
        score_row(&read, &cues, kind),
        FieldMatch::is_heading,
    )
}

/// A row's headings, each scored against the fields of one table.
#[derive(Clone)]
struct RowScores {
    columns: Vec<Column>,
    scored: Vec<Vec<FieldMatch>>,
    /// Whether each heading came from a merged region.
    merged: Vec<bool>,
}

/// The headings of a row as written, whether each came from a merged region, and their words:
/// read once, then scored for each table.
struct RowHeadings {
    headings: Vec<(String, bool)>,
    words: Vec<Vec<String>>,
}

impl RowHeadings {
    /// The cues in each heading, found once and then scored for each table.
    fn cues(&self) -> Vec<headings::HeadingCues<'_>> {
        self.words
            .iter()
            .map(|words| headings::HeadingCues::of(words))
            .collect()
    }
}

fn row_headings(table: &RawTable, row: usize) -> RowHeadings {
    // A merged heading may reach beyond the last filled cell, but not beyond the widest row:
    // columns no row fills hold nothing to read.
    let width = table.rows[row].cells.len();
    let merged_width = table
        .merged
        .iter()
        .filter(|m| (m.0..=m.2).contains(&table.rows[row].number))
        .map(|m| (m.3 + 1).saturating_sub(table.first_column) as usize)
        .max()
        .unwrap_or(0);
    // Only a merged region wider than the row needs the widest row: a scan of every row.
    let width = if merged_width > width {
        width.max(merged_width.min(table.width()))
    } else {
        width
    };
    let headings: Vec<(String, bool)> = (0..width)
        .map(|index| heading_text(table, row, index))
        .collect();
    let words = headings
        .iter()
        .map(|(heading, _)| headings::heading_words(heading))
        .collect();
    RowHeadings { headings, words }
}

fn score_row(read: &RowHeadings, cues: &[headings::HeadingCues], kind: TableKind) -> RowScores {
    let width = read.headings.len();
    let mut scores = RowScores {
        columns: Vec::with_capacity(width),
        scored: Vec::with_capacity(width),
        merged: Vec::with_capacity(width),
    };
    for (index, ((heading, from_merge), found)) in read.headings.iter().zip(cues).enumerate() {
        scores.scored.push(headings::score_found(kind, found));
        scores.merged.push(*from_merge);
        scores.columns.push(Column {
            index,
            heading: heading.clone(),
            key: None,
            matched: None,
            runner_up: None,
        });
    }
    scores
}

/// [`assign`] from a row's scores, with the test a heading must pass to be given a field:
/// strict when deciding whether a row is a header at all ([`FieldMatch::is_heading`]:
/// `Gestion des commandes et de la relation client` contains a cue but is a value), confident
/// only once it is (a DSK heading that is a whole sentence still names its field by its cue).
fn assign_scored(
    table: &RawTable,
    kind: TableKind,
    scores: RowScores,
    fits: fn(&FieldMatch) -> bool,
) -> Vec<Column> {
    let RowScores {
        mut columns,
        scored,
        merged,
    } = scores;
    // The best assignment of columns to fields as a whole (Hungarian method): `Vendor |
    // Entity Name` gives Vendor the name and Entity Name the legal entity, where taking the
    // single best pair first would not. Ties go to reading order: earlier fields to earlier
    // columns, so the first of two `Unterauftragsverarbeiter` columns names the row.
    let fields = crate::model::schema::fields(kind);
    let n = columns.len();
    let m = fields.len();
    let mut taken: Vec<&'static str> = Vec::new();
    const SCALE: i64 = 1_000_000;
    let weight =
        |column: usize, f: usize| match scored[column].iter().find(|x| x.field == fields[f].key) {
            Some(x) if fits(x) => x.score as i64 * SCALE + ((m - f) * (n - column)) as i64,
            // Never chosen: every column can stay unassigned at weight 0.
            _ => -SCALE * 1000,
        };
    // Each column's fields worth taking. When no two columns want the same field and no column
    // wants two, every column takes its own: the assignment below would find the same, and most
    // rows tried as headers (entries after a blank row) are such rows.
    // Found from each column's matches (most cells of a row tried as a header have none), not
    // by trying every field on every column.
    let wanted: Vec<Vec<usize>> = scored
        .iter()
        .enumerate()
        .map(|(column, matches)| {
            let mut fs: Vec<usize> = matches
                .iter()
                .filter_map(|x| fields.iter().position(|field| field.key == x.field))
                .filter(|&f| weight(column, f) > 0)
                .collect();
            fs.sort_unstable();
            fs.dedup();
            fs
        })
        .collect();
    let mut wanted_fields: Vec<usize> = wanted.iter().flatten().copied().collect();
    wanted_fields.sort_unstable();
    let contested = wanted.iter().any(|fs| fs.len() > 1)
        || wanted_fields.windows(2).any(|pair| pair[0] == pair[1]);
    let assignment: Vec<Option<usize>> = if !contested {
        wanted.iter().map(|fs| fs.first().copied()).collect()
    } else {
        let mut weights = pathfinding::matrix::Matrix::new(n, m + n, 0i64);
        for column in 0..n {
            for f in 0..m {
                weights[(column, f)] = weight(column, f);
            }
        }
        let (_, assignment) = pathfinding::kuhn_munkres::kuhn_munkres(&weights);
        assignment
            .iter()
            .enumerate()
            .map(|(column, &f)| (f < m && weights[(column, f)] > 0).then_some(f))
            .collect()
    };
    for (column, f) in assignment.into_iter().enumerate() {
        if let Some(f) = f {
            let key = fields[f].key;
            let matched = scored[column].iter().find(|x| x.field == key).cloned();
            taken.push(key);
            columns[column].key = Some(key);
            columns[column].matched = matched;
        }
    }
    // A heading merged across several columns names the first; the others keep it with
    // their letter.
    for (index, column) in columns.iter_mut().enumerate() {
        if merged[index] && column.key.is_none() {
            column.heading = format!(
                "{} ({})",
                column.heading,
                column_letters(table.column_of(index))
            );
        }
    }
    // A close second field is worth mentioning only if no other column took it.
    for (column, matches) in scored.iter().enumerate() {
        let Some(key) = columns[column].key else {
            continue;
        };
        columns[column].runner_up = matches
            .iter()
            .find(|other| {
                other.field != key && other.score >= CONFIDENT && !taken.contains(&other.field)
            })
            .cloned();
    }
    columns
}

/// Whether a row can be a header: at least `minimum` cells, all of them text.
fn looks_like_headings(table: &RawTable, row: usize, minimum: usize) -> bool {
    let raw = &table.rows[row];
    let mut filled = 0;
    for cell in &raw.cells {
        match cell {
            CellValue::Empty => {}
            CellValue::Text(t) if t.trim().is_empty() => {}
            CellValue::Text(_) => filled += 1,
            _ => return false,
        }
    }
    filled >= minimum
}

/// The header this row is, if any: the table whose fields its headings name best. `named` is
/// the table the sheet or file is named after, which needs fewer recognised headings.
pub fn header_at(table: &RawTable, row: usize, named: Option<TableKind>) -> Option<Header> {
    let forced = table.rows[row].hint == super::table::RowHint::TableHeader;
    // A sheet named after its table may have a single known heading among unknown ones, but a
    // two-cell line there is more likely a key and its value.
    let lenient = forced || (named.is_some() && table.rows[row].filled_count() >= 3);
    if !looks_like_headings(table, row, if lenient { 1 } else { 2 }) {
        return None;
    }
    let read = row_headings(table, row);
    let cues = read.cues();
    let mut best: Option<Header> = None;
    for kind in TIE_ORDER {
        // Whether the row is a header is decided by the headings that plainly name fields;
        // once it is, every heading is read by its cues.
        // Scored once, read twice: strictly, then with weak cues.
        let scores = score_row(&read, &cues, kind);
        let strict = assign_scored(table, kind, scores.clone(), FieldMatch::is_heading);
        let strict_keys: Vec<&str> = strict.iter().filter_map(|c| c.key).collect();
        let minimum = if lenient && (forced || named == Some(kind)) {
            1
        } else {
            2
        };
        // Decided before the weak cues are read: most data rows tried as headers (entries
        // after a blank row) have at most one heading-like cell, and stop here.
        if strict_keys.len() < minimum {
            continue;
        }
        // Weak cues count here when they explain the whole heading: the second
        // `Unterauftragsverarbeiter` beside a name column is the sub-processors.
        let columns = assign_scored(table, kind, scores, |m| {
            m.score >= CONFIDENT || (m.covered && m.score > 0)
        });
        let keys: Vec<&str> = columns.iter().filter_map(|c| c.key).collect();
        // A table named after its kind is that table even without its naming column (which
        // is then reported missing); one found by headings alone must have it.
        if named != Some(kind) && !identifies(kind, &keys) {
            continue;
        }
        let mut score: i32 = columns
            .iter()
            .filter_map(|c| c.matched.as_ref())
            .map(|m| m.score.min(10))
            .sum();
        if named == Some(kind) {
            score += 6;
        }
        if best.as_ref().is_none_or(|b| score > b.score) {
            best = Some(Header {
                kind,
                row,
                columns,
                score,
                plain: strict_keys.len(),
            });
        }
    }
    best
}

/// The fields a heading comes closest to in any table, for help on unrecognised tables.
pub fn closest_fields(heading: &str) -> Vec<String> {
    let mut found: Vec<(i32, String)> = Vec::new();
    for kind in TIE_ORDER {
        for m in headings::score(kind, heading).into_iter().take(1) {
            found.push((m.score, format!("{}.{}", kind.name(), m.field)));
        }
    }
    found.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    found.into_iter().take(2).map(|(_, f)| f).collect()
}
