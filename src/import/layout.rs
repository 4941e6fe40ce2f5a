//! Where the tables are on a sheet. A sheet (or CSV file, or Markdown document) is read top to
//! bottom into regions: tables found by their header rows, key/value blocks (`Zweck: …`,
//! `Name | Muster GmbH`), and the lines around them: titles, section lines, repeated header
//! rows, footers and prose. Every non-blank row ends up in exactly one place, so none is lost
//! without being counted.

use super::recognise::{Header, header_at};
use super::table::{CellValue, RawTable, RowHint};
use super::values::parse_places;
use crate::model::{Place, Skipped, TableKind};
use crate::vocabulary::headings::{self, CONFIDENT, NamedAs};
use crate::vocabulary::words::{self, Concept};

/// A line inside a table that stands for the rows below it (`United States`, `Affiliates`).
#[derive(Debug, Clone)]
pub struct Section {
    /// Index into [`RawTable::rows`].
    pub row: usize,
    pub text: String,
    /// The place it names, when the whole line is a place.
    pub places: Vec<Place>,
    /// A sentence of running text (`These subprocessors are located in the EU:`) rather
    /// than a section title: it places rows but does not name a group.
    pub prose: bool,
}

/// A table: its header and its data rows, each with the section it sits in.
#[derive(Debug, Clone)]
pub struct TableRegion {
    pub header: Header,
    /// The line just above the header that titles it, if any.
    pub title: Option<(usize, String)>,
    /// Data rows (indices into [`RawTable::rows`]) and the index of their section.
    pub rows: Vec<(usize, Option<usize>)>,
    pub sections: Vec<Section>,
    pub skipped: Skipped,
}

/// One `key: value` line of a block.
#[derive(Debug, Clone)]
pub struct KeyValue {
    /// Index into [`RawTable::rows`].
    pub row: usize,
    pub key: String,
    /// The cell index of the value (the key's own cell for `Key: value` lines).
    pub column: usize,
    pub value: CellValue,
}

/// Key/value lines that describe one organisation or one activity.
#[derive(Debug, Clone)]
pub struct BlockRegion {
    pub kind: TableKind,
    /// The line just above the block that names it (`1. Personalverwaltung`).
    pub title: Option<(usize, String)>,
    pub lines: Vec<KeyValue>,
}

/// Rows that form no table, for the error that says so.
#[derive(Debug, Clone)]
pub struct Unrecognised {
    /// Indices into [`RawTable::rows`]; the first is taken as the headings.
    pub rows: Vec<usize>,
}

/// What a sheet holds.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub tables: Vec<TableRegion>,
    pub blocks: Vec<BlockRegion>,
    pub unrecognised: Vec<Unrecognised>,
    /// Lines outside any table: titles, prose, footers.
    pub loose: Vec<(usize, LineKind)>,
}

/// What a line outside a table is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Title,
    Footer,
    Prose,
    /// `Key | Value` above a key/value block.
    BlockHeading,
}

/// The text of a row that holds a single cell (or a cell merged across the row).
fn single_text(table: &RawTable, row: usize) -> Option<String> {
    let raw = &table.rows[row];
    let mut filled = raw.filled();
    let first = filled.next()?;
    if filled.next().is_some() {
        return None;
    }
    raw.get(first).text()
}

/// Blank rows between row `i` and the one before it.
fn gap_before(table: &RawTable, i: usize) -> u32 {
    if i == 0 {
        return 0;
    }
    let before = &table.rows[i - 1];
    table.rows[i]
        .number
        .saturating_sub(before.number + before.lines.max(1))
}

/// Whether a row repeats the header row's texts (a list that repeats its header per section
/// or per printed page).
fn repeats(table: &RawTable, row: usize, header: usize) -> bool {
    let (a, b) = (&table.rows[row], &table.rows[header]);
    let width = a.cells.len().max(b.cells.len());
    (0..width).all(|i| match (a.get(i), b.get(i)) {
        (CellValue::Text(x), CellValue::Text(y)) => x.trim().eq_ignore_ascii_case(y.trim()),
        (x, y) => x.is_empty() && y.is_empty(),
    })
}

/// A key of a key/value line and the table whose field it names.
fn key_field(key: &str, named: Option<TableKind>) -> Option<TableKind> {
    let words = key.split_whitespace().count();
    if words == 0 || words > 12 {
        return None;
    }
    let mut best: Option<(i32, TableKind)> = None;
    for kind in [TableKind::Organisation, TableKind::Activities] {
        let score = headings::score(kind, key)
            .first()
            .filter(|m| m.is_heading())
            .map(|m| m.score + if named == Some(kind) { 2 } else { 0 })
            .unwrap_or(0);
        if score >= CONFIDENT && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, kind));
        }
    }
    best.map(|(_, kind)| kind)
}

/// Splits `Key: value` (the colon within the first words).
fn split_colon(text: &str) -> Option<(&str, &str)> {
    let (key, value) = text.split_once(':')?;
    // `https://…` and times are not keys.
    if value.starts_with("//") || key.trim().is_empty() || key.len() > 80 {
        return None;
    }
    Some((key.trim(), value.trim()))
}

/// The row as a key/value line, and the table its key belongs to.
fn key_value(
    table: &RawTable,
    row: usize,
    named: Option<TableKind>,
) -> Option<(KeyValue, Option<TableKind>)> {
    key_value_in(table, row, named, false)
}

/// [`key_value`]; inside a block (`in_block`) a two-cell line with a key ropa does not know
/// (`Date de création de la fiche | 2023-02-10`) continues the block, kept as an extra.
fn key_value_in(
    table: &RawTable,
    row: usize,
    named: Option<TableKind>,
    in_block: bool,
) -> Option<(KeyValue, Option<TableKind>)> {
    let raw = &table.rows[row];
    if raw.hint != RowHint::Cells && raw.hint != RowHint::Prose {
        return None;
    }
    let filled: Vec<usize> = raw.filled().collect();
    match filled.as_slice() {
        [only] => {
            let text = raw.get(*only).text()?;
            // `Key: value`, or on a sheet named after its table a key whose value is empty.
            // `Key: value`; or, on an organisation or activity sheet or inside a block, a
            // known key whose value is empty (`Catégories de destinataires` above its parts).
            let (key, value) = match split_colon(&text) {
                Some(split) => split,
                None if (in_block
                    || matches!(named, Some(TableKind::Organisation | TableKind::Activities)))
                    && *only <= 2
                    && text.split_whitespace().count() <= 8 =>
                {
                    (text.as_str(), "")
                }
                None => return None,
            };
            let kind = key_field(key, named)?;
            Some((
                KeyValue {
                    row,
                    key: key.to_string(),
                    column: *only,
                    value: CellValue::from_text(value),
                },
                Some(kind),
            ))
        }
        [k, v] if *k <= 2 => {
            let key_cell = raw.get(*k);
            let CellValue::Text(key) = key_cell else {
                return None;
            };
            let key = key.trim().trim_end_matches(':').trim();
            let kind = key_field(key, named);
            // On an organisation or activity sheet every two-cell line is a key and its value;
            // elsewhere the key must name a field.
            let block_sheet =
                matches!(named, Some(TableKind::Organisation | TableKind::Activities));
            if kind.is_none() && !block_sheet && !in_block {
                return None;
            }
            Some((
                KeyValue {
                    row,
                    key: key.to_string(),
                    column: *v,
                    value: raw.get(*v).clone(),
                },
                kind,
            ))
        }
        _ => None,
    }
}

/// Whether every cell of the row is a word such as `Key` or `Wert`.
fn is_block_heading(table: &RawTable, row: usize) -> bool {
    let raw = &table.rows[row];
    let mut any = false;
    for i in raw.filled() {
        any = true;
        if !raw
            .get(i)
            .text()
            .is_some_and(|t| words::is(Concept::KvHeading, &t))
        {
            return false;
        }
    }
    any
}

/// The places a section line names, when the whole line is places (`United States`,
/// `European Union`, `EU / EEA`).
fn section_places(text: &str) -> Vec<Place> {
    let read = parse_places(text);
    if read.unknown.is_empty() && !read.from_free_text {
        read.places
    } else {
        Vec::new()
    }
}

/// The places a section line names: a line of only places (`United States`, `EU / EEA`), or
/// in running text the places a sentence mentions (`These subprocessors are located in the
/// EU:`).
fn line_places(table: &RawTable, row: usize, text: &str) -> Vec<Place> {
    if table.rows[row].hint == RowHint::Prose {
        crate::vocabulary::places::index().scan(text)
    } else {
        section_places(text)
    }
}

/// Reads a sheet into regions. `named` is what the sheet or file name says.
pub fn segment(table: &RawTable, named: Option<NamedAs>) -> Layout {
    let hint = match named {
        Some(NamedAs::Table(kind)) => Some(kind),
        _ => None,
    };
    let mut layout = Layout::default();
    let rows = table.rows.len();
    // One-cell lines since the last region: titles or prose, decided by what follows.
    let mut pending: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < rows {
        // On an organisation sheet a line of one or two cells is a key and its value.
        let kv_first = hint == Some(TableKind::Organisation)
            && table.rows[i].filled_count() <= 2
            && key_value(table, i, hint).is_some();
        // A table starts at a header; of two adjacent header rows (group headings above
        // column headings) the stronger one is the header.
        if !kv_first && let Some(mut header) = header_at(table, i, hint) {
            if i + 1 < rows
                && gap_before(table, i + 1) == 0
                && let Some(next) = header_at(table, i + 1, hint)
                && next.score > header.score
            {
                pending.push(i);
                header = next;
            }
            let (region, next) = read_table(table, header, &pending, hint, &mut layout.loose);
            pending.clear();
            layout.tables.push(region);
            i = next;
            continue;
        }
        if is_block_heading(table, i) {
            layout.loose.push((i, LineKind::BlockHeading));
            i += 1;
            continue;
        }
        if let Some((first, kind)) = key_value(table, i, hint) {
            // A line directly above names the block; lines further up are loose.
            let title = match pending.last() {
                Some(&t) if table.rows[i].number - table.rows[t].number <= 2 => {
                    Some((t, single_text(table, t).unwrap_or_default()))
                }
                _ => None,
            };
            for &p in &pending {
                if title.as_ref().is_none_or(|(t, _)| *t != p) {
                    layout.loose.push((p, LineKind::Title));
                }
            }
            // A lone `Key:` line without a value is a title, not a block.
            if first.value.is_empty()
                && (i + 1 >= rows
                    || gap_before(table, i + 1) > 1
                    || key_value(table, i + 1, hint).is_none())
                && !kv_first
            {
                pending.push(i);
                i += 1;
                continue;
            }
            pending.clear();
            let (block, next, known) = read_block(table, first, kind, title, hint);
            // Lines whose keys name fewer than two fields (`Item | Price`, `Milk | 1`) are
            // no block but a table ropa does not know; on an organisation or activity sheet
            // one field is enough.
            let needed = if matches!(hint, Some(TableKind::Organisation | TableKind::Activities)) {
                1
            } else {
                2
            };
            if known < needed {
                layout.unrecognised.push(Unrecognised {
                    rows: block.lines.iter().map(|l| l.row).collect(),
                });
                i = next;
                continue;
            }
            // One line right above a header titles the table (`Verarbeitungstätigkeiten –
            // Stand | 01.03.2025`); it describes no entity.
            if block.lines.len() == 1
                && next < rows
                && table.rows[next].number <= table.rows[i].number + 2
                && header_at(table, next, hint).is_some()
            {
                if let Some((t, _)) = block.title {
                    layout.loose.push((t, LineKind::Title));
                }
                pending.push(i);
                i = next;
                continue;
            }
            layout.blocks.push(block);
            i = next;
            continue;
        }
        if single_text(table, i).is_some() {
            let text = single_text(table, i).unwrap_or_default();
            if words::starts_with(Concept::Footer, &text) {
                layout.loose.push((i, LineKind::Footer));
            } else {
                pending.push(i);
            }
            i += 1;
            continue;
        }
        // Group headings right above a header row (`Article 30 Record | Privacy Notices`).
        if i + 1 < rows && gap_before(table, i + 1) == 0 && header_at(table, i + 1, hint).is_some()
        {
            pending.push(i);
            i += 1;
            continue;
        }
        // Cells that form no table: gather them up to the next blank line or header.
        for &p in &pending {
            layout.loose.push((p, LineKind::Title));
        }
        pending.clear();
        let mut region = Unrecognised { rows: vec![i] };
        i += 1;
        while i < rows
            && gap_before(table, i) == 0
            && single_text(table, i).is_none()
            && header_at(table, i, hint).is_none()
        {
            region.rows.push(i);
            i += 1;
        }
        layout.unrecognised.push(region);
    }
    for p in pending {
        layout.loose.push((p, LineKind::Prose));
    }
    layout.loose.sort_by_key(|(row, _)| *row);
    layout.loose.dedup_by_key(|(row, _)| *row);
    layout
}

/// All of a row's cells as one line of text.
fn row_text(table: &RawTable, row: usize) -> String {
    let raw = &table.rows[row];
    raw.filled()
        .filter_map(|i| raw.get(i).text())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads a table's body from the row below its header, and returns where the next region
/// starts. `above` are the one-cell lines since the previous region: the last heading among
/// them (else the line right above) titles the table, and a line right above that names a
/// place places the rows up to the first section line.
fn read_table(
    table: &RawTable,
    header: Header,
    above: &[usize],
    hint: Option<TableKind>,
    loose: &mut Vec<(usize, LineKind)>,
) -> (TableRegion, usize) {
    let header_row = header.row;
    let multi_column = header.columns.iter().filter(|c| c.key.is_some()).count() > 1;
    let first_column = header
        .columns
        .iter()
        .find(|c| !c.heading.trim().is_empty())
        .map(|c| c.index)
        .unwrap_or(0);
    let near = |r: usize| table.rows[header_row].number - table.rows[r].number <= 3;
    let title_row = above
        .iter()
        .rev()
        .copied()
        .find(|&r| table.rows[r].hint == RowHint::Heading)
        .or_else(|| above.last().copied().filter(|&r| near(r)));
    let title = title_row.map(|t| {
        let text = single_text(table, t).unwrap_or_else(|| row_text(table, t));
        (t, text)
    });
    let mut region = TableRegion {
        header,
        title,
        rows: Vec::new(),
        sections: Vec::new(),
        skipped: Skipped::default(),
    };
    for &r in above {
        if Some(r) == title_row {
            region.skipped.titles += 1;
        } else {
            loose.push((r, LineKind::Prose));
        }
    }
    let mut section: Option<usize> = None;
    if let Some(&last) = above.last()
        && near(last)
    {
        let text = single_text(table, last).unwrap_or_default();
        let places = line_places(table, last, &text);
        if !places.is_empty() {
            region.sections.push(Section {
                row: last,
                prose: table.rows[last].hint == RowHint::Prose,
                text,
                places,
            });
            section = Some(0);
        }
    }
    let rows = table.rows.len();
    let mut j = region.header.row + 1;
    while j < rows {
        let raw = &table.rows[j];
        if repeats(table, j, header_row) {
            region.skipped.repeated_headers += 1;
            j += 1;
            continue;
        }
        if raw.hint == RowHint::TableHeader || raw.hint == RowHint::Heading {
            break;
        }
        // A row right below the header that explains its columns (`Korte naam | Art. 30
        // lid 1 sub b AVG | …`) is part of the header.
        if j == header_row + 1 && is_hint_row(table, j, &region.header) {
            region.skipped.titles += 1;
            j += 1;
            continue;
        }
        if let Some(text) = single_text(table, j) {
            let column = raw.filled().next().unwrap_or(0);
            if words::starts_with(Concept::Footer, &text) {
                region.skipped.footers += 1;
                j += 1;
                break;
            }
            // A lone cell in the first column of a multi-column table, followed by rows of
            // the table, stands for the rows below it.
            let next_is_body = j + 1 < rows
                && (repeats(table, j + 1, header_row)
                    || (single_text(table, j + 1).is_none()
                        && key_value(table, j + 1, hint).is_none()
                        && header_at(table, j + 1, hint).is_none()));
            if multi_column && column == first_column && next_is_body {
                region.sections.push(Section {
                    row: j,
                    places: line_places(table, j, &text),
                    prose: raw.hint == RowHint::Prose,
                    text,
                });
                section = Some(region.sections.len() - 1);
                region.skipped.sections += 1;
                j += 1;
                continue;
            }
            if multi_column && (split_colon(&text).is_some() || gap_before(table, j) > 0) {
                // A `Key: value` line or a title after a blank row starts something else.
                break;
            }
        } else if gap_before(table, j) > 0
            && (starts_table(table, j, hint, table.rows[region.header.row].extent())
                || key_value(table, j, hint).is_some())
        {
            break;
        }
        region.rows.push((j, section));
        j += 1;
    }
    (region, j)
}

/// Whether a row explains the header's columns rather than holding data: most of its cells
/// cite an article (`Art. 30 lid 1 sub c AVG`) or read as the heading of their column.
fn is_hint_row(table: &RawTable, row: usize, header: &Header) -> bool {
    let raw = &table.rows[row];
    let mut filled = 0;
    let mut hints = 0;
    for i in raw.filled() {
        filled += 1;
        let Some(text) = raw.get(i).text() else {
            continue;
        };
        let folded = crate::model::key::fold(&text);
        let words: Vec<&str> = folded.split(' ').collect();
        let cites = words.windows(2).any(|w| {
            matches!(
                w[0],
                "art" | "artikel" | "article" | "articulo" | "articolo"
            ) && w[1].chars().all(|c| c.is_ascii_digit())
        });
        let names_column = header
            .columns
            .iter()
            .find(|c| c.index == i)
            .and_then(|c| c.key)
            .is_some_and(|key| {
                headings::score(header.kind, &text)
                    .iter()
                    .any(|m| m.field == key && m.score >= CONFIDENT)
            });
        if cites || names_column {
            hints += 1;
        }
    }
    filled >= 2 && hints * 4 >= filled * 3
}

/// Whether a new table starts at row `j` of a table `width` columns wide: a clear header there,
/// or group headings there and a clear header right below. A row within the table's columns
/// must read as a header in most of its cells ([`Header::starts_new_table`]): it has the shape
/// of the table's own rows.
fn starts_table(table: &RawTable, j: usize, hint: Option<TableKind>, width: usize) -> bool {
    let clear = |r: usize| {
        header_at(table, r, hint).is_some_and(|h| {
            if table.rows[r].extent() > width {
                h.is_clear()
            } else {
                h.starts_new_table()
            }
        })
    };
    clear(j) || (j + 1 < table.rows.len() && gap_before(table, j + 1) == 0 && clear(j + 1))
}

/// Reads consecutive key/value lines (blank rows between them allowed) into one block.
fn read_block(
    table: &RawTable,
    first: KeyValue,
    kind: Option<TableKind>,
    title: Option<(usize, String)>,
    hint: Option<TableKind>,
) -> (BlockRegion, usize, usize) {
    let mut lines = vec![first];
    let mut votes: [i32; 2] = [0, 0];
    let mut known_keys: Vec<String> = Vec::new();
    let mut vote = |kind: Option<TableKind>, key: &str| {
        match kind {
            Some(TableKind::Organisation) => votes[0] += 1,
            Some(TableKind::Activities) => votes[1] += 1,
            _ => return,
        }
        let folded = crate::model::key::fold(key);
        if !known_keys.contains(&folded) {
            known_keys.push(folded);
        }
    };
    vote(kind, &lines[0].key);
    let rows = table.rows.len();
    let mut j = lines[0].row + 1;
    while j < rows {
        // Blank lines end a block, and so does a header of three or more headings; a
        // two-cell line that reads as a heading pair is still a key and its value here.
        if gap_before(table, j) > 1
            || (table.rows[j].filled_count() > 2
                && header_at(table, j, hint).is_some_and(|h| h.is_clear()))
        {
            break;
        }
        // A title line (`2. Lohnverrechnung`) starts the next block.
        let Some((line, kind)) = key_value_in(table, j, hint, true) else {
            break;
        };
        vote(kind, &line.key);
        lines.push(line);
        j += 1;
    }
    // The keys decide; the sheet's name breaks a tie.
    let kind = if votes[1] > votes[0] {
        TableKind::Activities
    } else if votes[0] > votes[1] {
        TableKind::Organisation
    } else {
        match hint {
            Some(TableKind::Activities) => TableKind::Activities,
            _ => TableKind::Organisation,
        }
    };
    let known = known_keys.len();
    (BlockRegion { kind, title, lines }, j, known)
}
