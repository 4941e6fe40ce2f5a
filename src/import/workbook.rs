//! Workbooks (xlsx, xlsm, xlsb, xls, ods) through calamine: every sheet becomes a raw table.

use super::contain::contain;
use super::table::{CellValue, RawRow, RawTable, RowHint};
use super::{ods_limits, xls_limits};
use crate::diag::{Code, Diagnostic};
use crate::model::Location;
use calamine::{Data, DataRef, Range, Reader, Sheets, open_workbook_auto_from_rs};
use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

/// Reads every worksheet of a workbook. Unreadable files and sheets become diagnostics.
pub fn read(path: &Path, shown: &str, diagnostics: &mut Vec<Diagnostic>) -> Vec<RawTable> {
    match std::fs::read(path) {
        Ok(bytes) => read_bytes(&bytes, shown, diagnostics),
        Err(e) => {
            diagnostics.push(
                Diagnostic::new(
                    Code::UnreadableFile,
                    format!("cannot read the workbook: {e}"),
                )
                .at(Location::in_file(shown)),
            );
            Vec::new()
        }
    }
}

/// What to do about a corrupt workbook.
const RESAVE: &str = "save the file again from Excel or LibreOffice, or export the sheets as CSV";

/// Reads every worksheet of a workbook's bytes (xlsx, xlsm, xlsb, xls or ods, told apart by
/// their content), touching no file. A panic inside the workbook library is contained per
/// file and per sheet and reported as a corrupt workbook.
pub fn read_bytes(bytes: &[u8], shown: &str, diagnostics: &mut Vec<Diagnostic>) -> Vec<RawTable> {
    read_bytes_then(bytes, shown, diagnostics, &|table| table)
}

/// [`read_bytes`], handing each table to `then` as soon as it is read, on the core that read
/// it: a large sheet's rows are turned into entities while the other core still reads, and
/// its raw cells are dropped as soon as they are. The results keep the sheet order, and the
/// reading's diagnostics come before anything `then` reports.
pub fn read_bytes_then<T: Send>(
    bytes: &[u8],
    shown: &str,
    diagnostics: &mut Vec<Diagnostic>,
    then: &(dyn Fn(RawTable) -> T + Sync),
) -> Vec<T> {
    use rayon::prelude::*;
    let file_location = Location::in_file(shown);
    if bytes.is_empty() {
        diagnostics.push(
            Diagnostic::new(Code::EmptyInput, "the workbook file is empty (0 bytes)")
                .at(file_location)
                .severity(crate::diag::Severity::Error),
        );
        return Vec::new();
    }
    // calamine reads every sheet of an .xls file as it opens it, sizing its memory by the
    // ranges the file claims: those are checked first.
    if bytes.starts_with(&xls_limits::SIGNATURE) {
        let checked = contain(|| xls_limits::check(bytes)).unwrap_or_else(Err);
        if let Err(why) = checked {
            diagnostics.push(
                Diagnostic::new(Code::UnreadableFile, format!("corrupt workbook: {why}"))
                    .at(file_location)
                    .help(RESAVE),
            );
            return Vec::new();
        }
    }
    // So does an .ods file, expanding repeated rows and cells.
    if bytes.starts_with(b"PK") && ods_limits::is_ods(Cursor::new(bytes)) {
        let checked =
            contain(|| ods_limits::check(Cursor::new(bytes), bytes.len())).unwrap_or_else(Err);
        if let Err(why) = checked {
            diagnostics.push(
                Diagnostic::new(Code::UnreadableFile, format!("corrupt workbook: {why}"))
                    .at(file_location)
                    .help(RESAVE),
            );
            return Vec::new();
        }
    }
    let budget = cell_budget(bytes.len());
    let mut workbook = match contain(|| open_workbook_auto_from_rs(Cursor::new(bytes))) {
        Ok(Ok(workbook)) => workbook,
        Ok(Err(e)) => {
            diagnostics.push(
                Diagnostic::new(
                    Code::UnreadableFile,
                    format!("not a readable workbook: {e}"),
                )
                .at(file_location)
                .help(RESAVE),
            );
            return Vec::new();
        }
        Err(panic) => {
            diagnostics.push(
                Diagnostic::new(
                    Code::UnreadableFile,
                    format!("corrupt workbook: the workbook reader failed ({panic})"),
                )
                .at(file_location)
                .help(RESAVE),
            );
            return Vec::new();
        }
    };

    let file: Arc<str> = Arc::from(shown);
    let names = workbook.sheet_names();
    // The sheets of an xlsx file are separate parts of the zip: each is read on whichever core
    // is free, from its own reader of the same bytes, and the tables and diagnostics are
    // kept in sheet order. Other formats are read at once when opened.
    if matches!(workbook, Sheets::Xlsx(_)) && names.len() > 1 {
        // One sheet per task: the activities sheet alone may be half the work, and the other
        // core takes the other sheets one by one.
        let read: Vec<(Option<T>, Vec<Diagnostic>)> = names
            .par_iter()
            .with_max_len(1)
            .map(|name| {
                let mut found = Vec::new();
                let table = match contain(|| open_workbook_auto_from_rs(Cursor::new(bytes))) {
                    Ok(Ok(mut own)) => read_sheet(&mut own, name, &file, budget, &mut found).map(then),
                    _ => {
                        found.push(
                            Diagnostic::new(
                                Code::UnreadableFile,
                                format!("cannot read sheet `{name}`: the workbook could not be opened again"),
                            )
                            .at(Location::in_file(shown)),
                        );
                        None
                    }
                };
                (table, found)
            })
            .collect();
        let mut tables = Vec::new();
        for (table, found) in read {
            diagnostics.extend(found);
            tables.extend(table);
        }
        return tables;
    }
    let tables: Vec<RawTable> = names
        .iter()
        .filter_map(|name| read_sheet(&mut workbook, name, &file, budget, diagnostics))
        .collect();
    tables.into_par_iter().map(then).collect()
}

/// One sheet of an open workbook as a raw table; a sheet that cannot be read is a
/// diagnostic (one bad sheet must not lose the others).
fn read_sheet(
    workbook: &mut Sheets<Cursor<&[u8]>>,
    name: &str,
    file: &Arc<str>,
    budget: u64,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<RawTable> {
    let name = name.to_string();
    let location = Location::in_sheet(file.clone(), name.as_str());
    // One bad sheet must not lose the others.
    let read = contain(|| match &mut *workbook {
        Sheets::Xlsx(xlsx) => read_xlsx_sheet(xlsx, &name, &location, budget, diagnostics),
        Sheets::Xlsb(xlsb) => read_xlsb_sheet(xlsb, &name, &location, budget, diagnostics),
        other => other
            .worksheet_range(&name)
            .map(|range| range_rows(&range))
            .map_err(|e| e.to_string()),
    });
    let (rows, first_column) = match read {
        Ok(Ok(read)) => read,
        Ok(Err(e)) => {
            diagnostics.push(
                Diagnostic::new(
                    Code::UnreadableFile,
                    format!("cannot read sheet `{name}`: {e}"),
                )
                .at(location),
            );
            return None;
        }
        Err(panic) => {
            diagnostics.push(
                Diagnostic::new(
                    Code::UnreadableFile,
                    format!(
                        "corrupt workbook: sheet `{name}` cannot be read (the workbook reader failed: {panic})"
                    ),
                )
                .at(location)
                .help(RESAVE),
            );
            return None;
        }
    };
    let merged = contain(|| merged_regions(workbook, &name)).unwrap_or_default();
    Some(RawTable {
        location,
        name,
        first_column,
        rows,
        merged,
    })
}

/// Excel's limits: a cell beyond them comes from a damaged or hostile file.
const MAX_ROWS: u32 = 1_048_576;
const MAX_COLUMNS: u32 = 16_384;

/// Reads an xlsx sheet cell by cell, keeping only cells that hold something, so memory follows
/// the cells the file really has, not the range its header claims. Formulas without a saved
/// result are read as their formula text.
fn read_xlsx_sheet<RS: std::io::Read + std::io::Seek>(
    xlsx: &mut calamine::Xlsx<RS>,
    name: &str,
    location: &Location,
    budget: u64,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(Vec<RawRow>, u32), String> {
    let mut reader = xlsx
        .worksheet_cells_reader(name)
        .map_err(|e| e.to_string())?;
    let mut cells = Cells::new(budget);
    while let Some(cell) = reader.next_cell_with_formula().map_err(|e| e.to_string())? {
        let (row, column) = cell.pos;
        if !cells.within_limits(row, column) {
            continue;
        }
        let mut value = convert_ref(&cell.value);
        if value.is_empty()
            && let Some(formula) = cell.formula.filter(|f| !f.trim().is_empty())
        {
            let text = format!("={formula}");
            diagnostics.push(
                Diagnostic::new(
                    Code::FormulaWithoutValue,
                    format!("the formula `{text}` has no saved result; its text is read as the value"),
                )
                .at(location.at_row(row + 1).at_column(column + 1))
                .help("open and save the file in Excel or LibreOffice so the result is stored, or type the value"),
            );
            value = CellValue::Text(text);
        }
        cells.push(row, column, value);
    }
    cells.into_rows(location, diagnostics)
}

/// Reads an xlsb sheet cell by cell, like [`read_xlsx_sheet`]: calamine's range for xlsb is
/// sized by the first and last cell, which a damaged file can put a sheet apart.
fn read_xlsb_sheet<RS: std::io::Read + std::io::Seek>(
    xlsb: &mut calamine::Xlsb<RS>,
    name: &str,
    location: &Location,
    budget: u64,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(Vec<RawRow>, u32), String> {
    let mut reader = xlsb
        .worksheet_cells_reader(name)
        .map_err(|e| e.to_string())?;
    let mut cells = Cells::new(budget);
    while let Some(cell) = reader.next_cell().map_err(|e| e.to_string())? {
        let (row, column) = cell.get_position();
        if cells.within_limits(row, column) {
            cells.push(row, column, convert_ref(cell.get_value()));
        }
    }
    cells.into_rows(location, diagnostics)
}

/// Cells calamine may lay out for a file, and a sheet's rows may span from their first column
/// to each row's last filled cell: a million, plus sixteen per byte of the file, so memory
/// stays proportional to the input (a cell in column A and one in XFD on every row would
/// otherwise cost 16,384 cells a row). Shared by the `.xls` and `.ods` checks.
pub(super) fn cell_budget(file_bytes: usize) -> u64 {
    1_000_000 + 16 * file_bytes as u64
}

/// The filled cells of a sheet as they are read, and how many lay beyond Excel's limits.
struct Cells {
    cells: Vec<(u32, u32, CellValue)>,
    beyond: usize,
    budget: u64,
}

impl Cells {
    fn new(budget: u64) -> Self {
        Cells {
            cells: Vec::new(),
            beyond: 0,
            budget,
        }
    }

    fn within_limits(&mut self, row: u32, column: u32) -> bool {
        let within = row < MAX_ROWS && column < MAX_COLUMNS;
        if !within {
            self.beyond += 1;
        }
        within
    }

    fn push(&mut self, row: u32, column: u32, value: CellValue) {
        if !value.is_empty() {
            self.cells.push((row, column, value));
        }
    }

    /// The non-blank rows, and the first column (1-based).
    fn into_rows(
        self,
        location: &Location,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<(Vec<RawRow>, u32), String> {
        let Cells {
            mut cells,
            beyond,
            budget,
        } = self;
        if beyond > 0 {
            diagnostics.push(
                Diagnostic::new(
                    Code::UnreadableFile,
                    format!("{beyond} cells lie beyond Excel's limits of {MAX_ROWS} rows and {MAX_COLUMNS} columns and are not read"),
                )
                .at(location.clone())
                .help("the file is damaged; save it again from Excel or LibreOffice"),
            );
        }
        // Excel writes cells in row order; other writers need not.
        if !cells.is_sorted_by_key(|(r, c, _)| (*r, *c)) {
            cells.sort_by_key(|(r, c, _)| (*r, *c));
        }
        let first_column = cells.iter().map(|(_, c, _)| *c).min().unwrap_or(0);
        // Each row is as wide as its last filled cell: count before laying them out.
        let mut spanned: u64 = 0;
        for (i, (row, column, _)) in cells.iter().enumerate() {
            let last_of_row = cells.get(i + 1).is_none_or(|(next, _, _)| next != row);
            if last_of_row {
                spanned += (column - first_column) as u64 + 1;
            }
        }
        if spanned > budget {
            return Err(format!(
                "its rows span {spanned} cells from the first column to each row's last filled cell, more than a file of this size can hold ({budget} at most); the file is damaged or holds stray cells far to the right"
            ));
        }
        let mut rows: Vec<RawRow> = Vec::new();
        for (row, column, value) in cells {
            if rows.last().is_none_or(|r| r.number != row + 1) {
                rows.push(RawRow {
                    number: row + 1,
                    cells: Vec::new(),
                    hint: RowHint::Cells,
                    lines: 1,
                });
            }
            let Some(current) = rows.last_mut() else {
                continue;
            };
            let index = (column - first_column) as usize;
            if current.cells.len() <= index {
                current.cells.resize(index + 1, CellValue::Empty);
            }
            current.cells[index] = value;
        }
        Ok((rows, first_column + 1))
    }
}

fn convert_ref(data: &DataRef<'_>) -> CellValue {
    match data {
        DataRef::Empty => CellValue::Empty,
        DataRef::String(s) => CellValue::from_text(s),
        DataRef::SharedString(s) => CellValue::from_text(s),
        DataRef::Int(i) => CellValue::Number(*i as f64),
        DataRef::Float(f) => CellValue::Number(*f),
        DataRef::Bool(b) => CellValue::Bool(*b),
        DataRef::DateTime(dt) => match dt.as_datetime() {
            Some(datetime) => CellValue::Date(datetime.date()),
            None => CellValue::Number(dt.as_f64()),
        },
        DataRef::DateTimeIso(s) => match super::values::parse_date(s) {
            Some(date) => CellValue::Date(date),
            None => CellValue::Text(s.clone()),
        },
        DataRef::DurationIso(s) => CellValue::Text(s.clone()),
        DataRef::Error(e) => CellValue::Error(format!("{e}")),
    }
}

/// The non-blank rows of a range, and its first column (1-based).
fn range_rows(range: &Range<Data>) -> (Vec<RawRow>, u32) {
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let raw = RawRow {
            number: row0 + i as u32 + 1,
            cells: row.iter().map(convert).collect(),
            hint: RowHint::Cells,
            lines: 1,
        };
        if !raw.is_blank() {
            rows.push(raw);
        }
    }
    (rows, col0 + 1)
}

/// A sheet's merged cells, where the format reports them (xlsx), as (r0, c0, r1, c1) 1-based.
fn merged_regions<RS: std::io::Read + std::io::Seek>(
    workbook: &mut Sheets<RS>,
    sheet: &str,
) -> Vec<(u32, u32, u32, u32)> {
    let Sheets::Xlsx(xlsx) = workbook else {
        return Vec::new();
    };
    // A region beyond Excel's limits comes from a damaged file; it would widen every row.
    xlsx.merge_cells_by_sheet_name(sheet)
        .unwrap_or_default()
        .iter()
        .filter(|d| {
            d.start.0 <= d.end.0
                && d.start.1 <= d.end.1
                && d.end.0 < MAX_ROWS
                && d.end.1 < MAX_COLUMNS
        })
        .map(|d| (d.start.0 + 1, d.start.1 + 1, d.end.0 + 1, d.end.1 + 1))
        .collect()
}

fn convert(data: &Data) -> CellValue {
    match data {
        Data::Empty => CellValue::Empty,
        Data::String(s) => CellValue::from_text(s),
        Data::Int(i) => CellValue::Number(*i as f64),
        Data::Float(f) => CellValue::Number(*f),
        Data::Bool(b) => CellValue::Bool(*b),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(datetime) => CellValue::Date(datetime.date()),
            None => CellValue::Number(dt.as_f64()),
        },
        Data::DateTimeIso(s) => match super::values::parse_date(s) {
            Some(date) => CellValue::Date(date),
            None => CellValue::Text(s.clone()),
        },
        Data::DurationIso(s) => CellValue::Text(s.clone()),
        Data::Error(e) => CellValue::Error(format!("{e}")),
    }
}
