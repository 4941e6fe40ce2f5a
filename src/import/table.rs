//! A table as read from a sheet or CSV file, before anything is known about its meaning.

use crate::model::Location;
use chrono::NaiveDate;

/// A cell's value as the file stored it.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    Date(NaiveDate),
    /// A spreadsheet error such as `#N/A`.
    Error(String),
}

/// Error values as spreadsheets show them, in English and German Excel.
const ERROR_LITERALS: &[&str] = &[
    "#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!", "#NV", "#BEZUG!", "#WERT!",
    "#ZAHL!", "#SPILL!", "#CALC!",
];

impl CellValue {
    /// A text cell, recognising the error values Excel writes into CSV files and caches as
    /// formula results.
    pub fn from_text(text: &str) -> CellValue {
        let trimmed = text.trim();
        if ERROR_LITERALS.contains(&trimmed) {
            CellValue::Error(trimmed.to_string())
        } else if trimmed.is_empty() {
            CellValue::Empty
        } else {
            CellValue::Text(text.to_string())
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            CellValue::Empty => true,
            CellValue::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The value as text: numbers without a needless `.0`, dates in ISO form, errors as empty.
    pub fn text(&self) -> Option<String> {
        match self {
            CellValue::Empty | CellValue::Error(_) => None,
            CellValue::Text(t) => {
                let t = t.trim();
                (!t.is_empty()).then(|| t.to_string())
            }
            CellValue::Number(n) => Some(format_number(*n)),
            CellValue::Bool(b) => Some(if *b { "yes" } else { "no" }.to_string()),
            CellValue::Date(d) => Some(d.format("%Y-%m-%d").to_string()),
        }
    }
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// What the format says a row is, where it says anything (Markdown does; sheets and CSV do
/// not, and their rows are [`RowHint::Cells`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RowHint {
    /// A row of cells, meaning unknown.
    #[default]
    Cells,
    /// A heading (`## GitHub Subsidiaries`): a title or section, never an entity.
    Heading,
    /// A paragraph or list item of running text.
    Prose,
    /// The header row of a Markdown table.
    TableHeader,
}

/// One non-blank row: its 1-based number in the file (line for CSV and Markdown, row for
/// sheets) and its cells, the first of which is in column [`RawTable::first_column`].
#[derive(Debug, Clone)]
pub struct RawRow {
    pub number: u32,
    pub cells: Vec<CellValue>,
    pub hint: RowHint,
    /// How many lines of the file the row spans (a CSV record with line breaks in a quoted
    /// cell spans several), so blank lines between rows can be told from long rows.
    pub lines: u32,
}

impl RawRow {
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(CellValue::is_empty)
    }

    pub fn get(&self, index: usize) -> &CellValue {
        self.cells.get(index).unwrap_or(&CellValue::Empty)
    }

    /// Indices of the cells that hold something.
    pub fn filled(&self) -> impl Iterator<Item = usize> + '_ {
        self.cells
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.is_empty())
            .map(|(i, _)| i)
    }

    /// One past the last cell that holds something: the row's width whatever the format pads
    /// it to (xls and ods rows are as wide as the sheet, xlsx rows end at their last cell).
    pub fn extent(&self) -> usize {
        self.filled().last().map_or(0, |i| i + 1)
    }

    /// How many cells hold something.
    pub fn filled_count(&self) -> usize {
        self.filled().count()
    }
}

/// A sheet, CSV file or Markdown document: rows of cells, before anything is known about
/// which tables it holds.
#[derive(Debug, Clone)]
pub struct RawTable {
    /// The file, and the sheet for workbooks.
    pub location: Location,
    /// The sheet name or the CSV file stem: what table recognition by name looks at.
    pub name: String,
    /// 1-based column of the first cell of each row.
    pub first_column: u32,
    pub rows: Vec<RawRow>,
    /// Merged regions as (first row, first column, last row, last column), 1-based, when the
    /// format reports them. Header cells inside one take the region's value.
    pub merged: Vec<(u32, u32, u32, u32)>,
}

impl RawTable {
    /// The 1-based column of a cell index.
    pub fn column_of(&self, index: usize) -> u32 {
        self.first_column + index as u32
    }

    /// The location of a cell.
    pub fn cell(&self, row: u32, index: usize) -> Location {
        self.location.at_row(row).at_column(self.column_of(index))
    }

    /// The widest row.
    pub fn width(&self) -> usize {
        self.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0)
    }

    /// The merged region's top-left value for a cell that lies inside a region but is not its
    /// top-left corner.
    pub fn merged_value(&self, row: u32, index: usize) -> Option<&CellValue> {
        let column = self.column_of(index);
        let &(r0, c0, _, _) = self.merged.iter().find(|&&(r0, c0, r1, c1)| {
            (r0..=r1).contains(&row) && (c0..=c1).contains(&column) && (r0, c0) != (row, column)
        })?;
        let source = self.rows.iter().find(|r| r.number == r0)?;
        let value = source.get((c0 - self.first_column) as usize);
        (!value.is_empty()).then_some(value)
    }
}
