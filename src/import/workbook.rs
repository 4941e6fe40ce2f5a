//! Workbooks (xlsx, xlsm, xlsb, xls, ods) through calamine: every sheet becomes a raw table.

use super::table::{CellValue, RawRow, RawTable};
use crate::diag::{Code, Diagnostic};
use crate::model::{CellStyle, Location};
use calamine::{Data, Range, Reader, Sheets, open_workbook_auto_from_rs};
use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

/// Reads every worksheet of a workbook. Unreadable files and sheets become diagnostics.
pub fn read(path: &Path, shown: &str, diagnostics: &mut Vec<Diagnostic>) -> Vec<RawTable> {
    let file_location = Location::file(shown);
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            diagnostics.push(
                Diagnostic::new(
                    Code::UnreadableFile,
                    format!("cannot read the workbook: {e}"),
                )
                .at(file_location),
            );
            return Vec::new();
        }
    };
    if bytes.is_empty() {
        diagnostics.push(
            Diagnostic::new(Code::EmptyInput, "the workbook file is empty (0 bytes)")
                .at(file_location)
                .severity(crate::diag::Severity::Error),
        );
        return Vec::new();
    }
    // calamine can panic on some malformed archives; a corrupt file must stay a diagnostic.
    let opened = std::panic::catch_unwind(|| open_workbook_auto_from_rs(Cursor::new(bytes)));
    let mut workbook = match opened {
        Ok(Ok(workbook)) => workbook,
        Ok(Err(e)) => {
            diagnostics.push(
                Diagnostic::new(
                    Code::UnreadableFile,
                    format!("not a readable workbook: {e}"),
                )
                .at(file_location)
                .help("save the file again from Excel or LibreOffice, or export the sheets as CSV"),
            );
            return Vec::new();
        }
        Err(_) => {
            diagnostics.push(
                Diagnostic::new(Code::UnreadableFile, "the workbook is corrupt")
                    .at(file_location)
                    .help("save the file again from Excel or LibreOffice, or export the sheets as CSV"),
            );
            return Vec::new();
        }
    };

    let file: Arc<str> = Arc::from(shown);
    let mut tables = Vec::new();
    let names = workbook.sheet_names();
    for name in names {
        let location = Location {
            file: file.clone(),
            sheet: Some(Arc::from(name.as_str())),
            row: None,
            column: None,
            style: CellStyle::A1,
        };
        let range = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            workbook.worksheet_range(&name)
        }));
        let range = match range {
            Ok(Ok(range)) => range,
            Ok(Err(e)) => {
                diagnostics.push(
                    Diagnostic::new(
                        Code::UnreadableFile,
                        format!("cannot read sheet `{name}`: {e}"),
                    )
                    .at(location),
                );
                continue;
            }
            Err(_) => {
                diagnostics.push(
                    Diagnostic::new(Code::UnreadableFile, format!("sheet `{name}` is corrupt"))
                        .at(location),
                );
                continue;
            }
        };
        let sheet_merged = merged_regions(&mut workbook, &name);
        tables.push(to_table(&range, location, name, sheet_merged));
    }
    tables
}

/// A sheet's merged cells, where the format reports them (xlsx), as (r0, c0, r1, c1) 1-based.
fn merged_regions<RS: std::io::Read + std::io::Seek>(
    workbook: &mut Sheets<RS>,
    sheet: &str,
) -> Vec<(u32, u32, u32, u32)> {
    let Sheets::Xlsx(xlsx) = workbook else {
        return Vec::new();
    };
    xlsx.merge_cells_by_sheet_name(sheet)
        .unwrap_or_default()
        .iter()
        .map(|d| (d.start.0 + 1, d.start.1 + 1, d.end.0 + 1, d.end.1 + 1))
        .collect()
}

fn to_table(
    range: &Range<Data>,
    location: Location,
    name: String,
    merged: Vec<(u32, u32, u32, u32)>,
) -> RawTable {
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let cells: Vec<CellValue> = row.iter().map(convert).collect();
        let raw = RawRow {
            number: row0 + i as u32 + 1,
            cells,
        };
        if !raw.is_blank() {
            rows.push(raw);
        }
    }
    RawTable {
        location,
        name,
        first_column: col0 + 1,
        rows,
        merged,
    }
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
