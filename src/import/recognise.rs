//! Which register table a raw table is, and where its header row is.

use super::schema::{keys_for_heading, table_for_name};
use super::table::RawTable;
use crate::model::{TableKind, column_letters};

/// How many non-blank rows are searched for the header row.
const HEADER_SEARCH_ROWS: usize = 30;

/// A column of a recognised table.
#[derive(Debug, Clone)]
pub struct Column {
    /// Index into the row's cells.
    pub index: usize,
    /// The heading as written (or `Column F` when empty).
    pub heading: String,
    /// The canonical key, or `None` for an extra column.
    pub key: Option<&'static str>,
}

/// How the table is laid out.
#[derive(Debug, Clone)]
pub enum Layout {
    /// A header row (index into `RawTable::rows`) and one entity per row below it.
    Header { row: usize, columns: Vec<Column> },
    /// Keys in the first column, values in the second (organisation sheets).
    KeyValue,
}

/// A raw table's meaning.
#[derive(Debug, Clone)]
pub struct Recognised {
    pub kind: TableKind,
    pub layout: Layout,
}

/// Kinds in the order that breaks ties when a table is recognised by headings alone: a lone
/// CSV file is most often a published sub-processor list.
const TIE_ORDER: [TableKind; 6] = [
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

/// Assigns keys to a candidate header row, left to right; a heading whose first candidate key
/// is taken falls back to its next one (`Unterauftragsverarbeiter`: name, then sub_processors).
/// A column under a heading merged across several columns keeps the heading with its letter.
fn assign(table: &RawTable, kind: TableKind, row: usize) -> Vec<Column> {
    let width = table.rows[row].cells.len();
    let mut taken: Vec<&'static str> = Vec::new();
    let mut columns = Vec::with_capacity(width);
    for index in 0..width {
        let (mut heading, from_merge) = heading_text(table, row, index);
        let key = keys_for_heading(kind, &heading)
            .into_iter()
            .find(|k| !taken.contains(k));
        match key {
            Some(key) => taken.push(key),
            None if from_merge => {
                heading = format!("{heading} ({})", column_letters(table.column_of(index)));
            }
            None => {}
        }
        columns.push(Column {
            index,
            heading,
            key,
        });
    }
    columns
}

fn score(columns: &[Column]) -> usize {
    columns.iter().filter(|c| c.key.is_some()).count()
}

/// Rows whose first cell is an organisation key and whose second cell holds a value.
fn key_value_score(table: &RawTable) -> usize {
    table
        .rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .filter(|row| {
            let key = row.get(0).text().unwrap_or_default();
            !keys_for_heading(TableKind::Organisation, &key).is_empty() && !row.get(1).is_empty()
        })
        .count()
}

/// Recognises a table by its name, else by its headings. `None` when nothing fits.
pub fn recognise(table: &RawTable) -> Option<Recognised> {
    let rows = table.rows.len().min(HEADER_SEARCH_ROWS);
    if let Some(kind) = table_for_name(&table.name) {
        if kind == TableKind::Organisation {
            let kv = key_value_score(table);
            let header = (0..rows).map(|r| score(&assign(table, kind, r))).max();
            if kv >= 2 && kv >= header.unwrap_or(0) {
                return Some(Recognised {
                    kind,
                    layout: Layout::KeyValue,
                });
            }
        }
        for minimum in [2, 1] {
            for row in 0..rows {
                let columns = assign(table, kind, row);
                if score(&columns) >= minimum {
                    return Some(header(kind, row, columns));
                }
            }
        }
        return None;
    }

    for minimum in [3, 2] {
        for row in 0..rows {
            let best = TIE_ORDER
                .iter()
                .map(|&kind| (kind, assign(table, kind, row)))
                .max_by_key(|(kind, columns)| {
                    let tie =
                        TIE_ORDER.len() - TIE_ORDER.iter().position(|k| k == kind).unwrap_or(0);
                    (score(columns), tie)
                });
            if let Some((kind, columns)) = best
                && score(&columns) >= minimum
                && has_name(kind, &columns)
            {
                return Some(header(kind, row, columns));
            }
        }
    }
    if key_value_score(table) >= 3 {
        return Some(Recognised {
            kind: TableKind::Organisation,
            layout: Layout::KeyValue,
        });
    }
    None
}

/// A table found by headings alone must have its identifying column (or, for activities, a
/// purpose to name them by).
fn has_name(kind: TableKind, columns: &[Column]) -> bool {
    let has = |key: &str| columns.iter().any(|c| c.key == Some(key));
    match kind {
        TableKind::Flows => has("from") && has("to"),
        TableKind::Activities => has("name") || has("purpose"),
        _ => has("name"),
    }
}

fn header(kind: TableKind, row: usize, columns: Vec<Column>) -> Recognised {
    Recognised {
        kind,
        layout: Layout::Header { row, columns },
    }
}
