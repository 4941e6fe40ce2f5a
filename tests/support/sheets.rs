//! Writes small workbooks for fixtures and examples from readable Rust data, so binary
//! fixtures need not be committed. Shared by tests, examples and benches via `#[path]`.
#![allow(dead_code)]

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

/// A cell to write: text, a number, a date, or an Excel error (written as a formula whose
/// cached result is the error, as Excel stores `#N/A`).
pub enum Cell {
    Text(&'static str),
    Owned(String),
    Number(f64),
    Date(u16, u8, u8),
    Error(&'static str),
    Empty,
}

impl From<&'static str> for Cell {
    fn from(text: &'static str) -> Self {
        if text.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(text)
        }
    }
}

/// A sheet: name, rows from row 1 (index 0), and merged ranges (r0, c0, r1, c1, text), 0-based.
pub struct Sheet {
    pub name: &'static str,
    pub rows: Vec<Vec<Cell>>,
    pub merged: Vec<(u32, u16, u32, u16, &'static str)>,
    pub widths: Vec<f64>,
}

impl Sheet {
    pub fn new(name: &'static str) -> Self {
        Sheet {
            name,
            rows: Vec::new(),
            merged: Vec::new(),
            widths: Vec::new(),
        }
    }

    /// Appends a row of text cells (empty strings are empty cells).
    pub fn row(mut self, cells: &[&'static str]) -> Self {
        self.rows
            .push(cells.iter().map(|&c| Cell::from(c)).collect());
        self
    }

    /// Appends a row of arbitrary cells.
    pub fn cells(mut self, cells: Vec<Cell>) -> Self {
        self.rows.push(cells);
        self
    }

    pub fn merge(mut self, r0: u32, c0: u16, r1: u32, c1: u16, text: &'static str) -> Self {
        self.merged.push((r0, c0, r1, c1, text));
        self
    }

    pub fn widths(mut self, widths: &[f64]) -> Self {
        self.widths = widths.to_vec();
        self
    }
}

/// The workbook's bytes. The creation time is fixed so the same sheets give the same file.
pub fn workbook(sheets: &[Sheet]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let properties =
        DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2026, 1, 1)?);
    workbook.set_properties(&properties);
    let wrap = Format::new().set_text_wrap();
    let bold = Format::new().set_bold().set_text_wrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for sheet in sheets {
        let ws = workbook.add_worksheet();
        ws.set_name(sheet.name)?;
        for (c, width) in sheet.widths.iter().enumerate() {
            ws.set_column_width(c as u16, *width)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    Cell::Text(t) => {
                        ws.write_string_with_format(r, c, *t, &wrap)?;
                    }
                    Cell::Owned(t) => {
                        ws.write_string_with_format(r, c, t.as_str(), &wrap)?;
                    }
                    Cell::Number(n) => {
                        ws.write_number(r, c, *n)?;
                    }
                    Cell::Date(y, m, d) => {
                        ws.write_datetime_with_format(
                            r,
                            c,
                            &ExcelDateTime::from_ymd(*y, *m, *d)?,
                            &date,
                        )?;
                    }
                    Cell::Error(e) => {
                        ws.write_formula(
                            r,
                            c,
                            rust_xlsxwriter::Formula::new("=NA()").set_result(*e),
                        )?;
                    }
                    Cell::Empty => {}
                }
            }
        }
        for (r0, c0, r1, c1, text) in &sheet.merged {
            ws.merge_range(*r0, *c0, *r1, *c1, text, &bold)?;
        }
    }
    workbook.save_to_buffer()
}
