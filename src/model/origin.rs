//! Where a value came from, in the user's terms.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// How a file addresses its cells: workbooks by sheet and A1 reference, CSV files by line and
/// column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CellStyle {
    /// `file:Sheet!D7`
    A1,
    /// `file:7:3`
    LineColumn,
}

/// A place in the user's input: a file, optionally a sheet, a row (1-based line or row number)
/// and a column (1-based).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(from = "LocationFields")]
pub struct Location {
    /// The file and sheet, shared by every location in them: each entity and finding of a large
    /// register holds a location, and one pointer takes a quarter of the two names' room.
    source: Arc<Source>,
    pub row: Option<u32>,
    pub column: Option<u32>,
}

/// A file, and the sheet for workbooks. Fields in this order, so that locations sort by file,
/// sheet, row and column.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Source {
    file: Arc<str>,
    sheet: Option<Arc<str>>,
}

/// A location as `register.json` writes it; the cell style follows from the sheet, which only
/// workbooks have.
#[derive(Serialize, Deserialize)]
struct LocationFields {
    file: Arc<str>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sheet: Option<Arc<str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    row: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    column: Option<u32>,
}

impl From<LocationFields> for Location {
    fn from(fields: LocationFields) -> Self {
        Location {
            source: Arc::new(Source {
                file: fields.file,
                sheet: fields.sheet,
            }),
            row: fields.row,
            column: fields.column,
        }
    }
}

impl Serialize for Location {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        LocationFields {
            file: self.source.file.clone(),
            sheet: self.source.sheet.clone(),
            row: self.row,
            column: self.column,
        }
        .serialize(serializer)
    }
}

impl Location {
    /// The whole file.
    pub fn in_file(file: impl Into<Arc<str>>) -> Self {
        Location {
            source: Arc::new(Source {
                file: file.into(),
                sheet: None,
            }),
            row: None,
            column: None,
        }
    }

    /// A whole sheet of a workbook.
    pub fn in_sheet(file: impl Into<Arc<str>>, sheet: impl Into<Arc<str>>) -> Self {
        Location {
            source: Arc::new(Source {
                file: file.into(),
                sheet: Some(sheet.into()),
            }),
            row: None,
            column: None,
        }
    }

    /// The file, as the user named it.
    pub fn file(&self) -> &str {
        &self.source.file
    }

    /// The sheet, for workbooks.
    pub fn sheet(&self) -> Option<&str> {
        self.source.sheet.as_deref()
    }

    /// How the file addresses its cells: workbooks by sheet, other files by line.
    pub fn style(&self) -> CellStyle {
        if self.source.sheet.is_some() {
            CellStyle::A1
        } else {
            CellStyle::LineColumn
        }
    }

    /// The same file and sheet, without row or column.
    pub fn whole(&self) -> Self {
        Location {
            source: self.source.clone(),
            row: None,
            column: None,
        }
    }

    /// The same place, narrowed to a row.
    pub fn at_row(&self, row: u32) -> Self {
        Location {
            source: self.source.clone(),
            row: Some(row),
            column: None,
        }
    }

    /// The same place, narrowed to a column of its row.
    pub fn at_column(&self, column: u32) -> Self {
        Location {
            column: Some(column),
            ..self.clone()
        }
    }
}

/// A location serialised as findings name it (`file:Sheet!D7`, `file:7:3`); for documents
/// that list many cells, where the fields of [`Location`] would repeat the file for each.
pub struct CellName<'a>(pub &'a Location);

impl Serialize for CellName<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self.0)
    }
}

/// Column number (1-based) to spreadsheet letters: 1 → A, 27 → AA.
pub fn column_letters(mut column: u32) -> String {
    let mut letters = Vec::new();
    while column > 0 {
        let rem = (column - 1) % 26;
        letters.push(b'A' + rem as u8);
        column = (column - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// Sheet names that are not plain words are quoted as Excel quotes them in formulas.
fn quoted_sheet(sheet: &str) -> String {
    if !sheet.is_empty() && sheet.chars().all(|c| c.is_alphanumeric() || c == '_') {
        sheet.to_string()
    } else {
        format!("'{}'", sheet.replace('\'', "''"))
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.file())?;
        match self.style() {
            CellStyle::A1 => {
                if let Some(sheet) = self.sheet() {
                    write!(f, ":{}", quoted_sheet(sheet))?;
                    match (self.row, self.column) {
                        (Some(row), Some(column)) => write!(f, "!{}{row}", column_letters(column))?,
                        (Some(row), None) => write!(f, "!{row}:{row}")?,
                        (None, Some(column)) => {
                            let letters = column_letters(column);
                            write!(f, "!{letters}:{letters}")?
                        }
                        (None, None) => {}
                    }
                }
            }
            CellStyle::LineColumn => {
                if let Some(row) = self.row {
                    write!(f, ":{row}")?;
                    if let Some(column) = self.column {
                        write!(f, ":{column}")?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// Where an entity was read: its row, and the cell of each canonical field that had a heading,
/// so a message about any field can point at its cell.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "OriginFields")]
pub struct Origin {
    /// The row the entity was read from (for key/value sheets: the first key's row).
    pub row: Location,
    /// The cell of each field with a heading, sorted by field key ([`Origin::cells`]), with
    /// rows relative to the entity's own. The rows of a table mostly fill the same columns,
    /// so they share one list ([`SharedCells`]) instead of holding a dozen cells each.
    cells: Arc<[FieldCell]>,
}

/// A field's cell: the field by its number in the register format
/// ([`crate::model::schema::key_number`]), its row as an offset from the entity's own row
/// (wrapping, so that any two row numbers have one), and its column, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct FieldCell {
    field: u16,
    row_offset: u32,
    column: u32,
}

/// Origins' cell lists, each kept once: the entities of one table hand their lists through
/// one of these so that equal lists are shared.
#[derive(Debug, Default)]
pub struct SharedCells(std::cell::RefCell<foldhash::HashSet<Arc<[FieldCell]>>>);

impl SharedCells {
    fn share(&self, cells: Vec<FieldCell>) -> Arc<[FieldCell]> {
        let mut known = self.0.borrow_mut();
        if let Some(shared) = known.get(cells.as_slice()) {
            return shared.clone();
        }
        let shared: Arc<[FieldCell]> = cells.into();
        known.insert(shared.clone());
        shared
    }
}

/// A cell of an origin as `register.json` writes it.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum CellAt {
    /// A column of the entity's own row.
    Column(u32),
    Cell(u32, u32),
}

#[derive(Deserialize)]
struct OriginFields {
    row: Location,
    #[serde(default)]
    cells: std::collections::BTreeMap<String, CellAt>,
}

impl TryFrom<OriginFields> for Origin {
    type Error = String;

    /// Maps each field key back to the register format's own (static) key.
    fn try_from(fields: OriginFields) -> Result<Self, Self::Error> {
        let own_row = fields.row.row;
        let cells = fields
            .cells
            .into_iter()
            .map(|(key, at)| {
                let key = crate::model::schema::static_key(&key)
                    .ok_or_else(|| format!("`{key}` is not a field of the register format"))?;
                match (at, own_row) {
                    (CellAt::Cell(row, column), _) => Ok((key, row, column)),
                    (CellAt::Column(column), Some(row)) => Ok((key, row, column)),
                    (CellAt::Column(_), None) => {
                        Err(format!("`{key}` gives a column but the origin has no row"))
                    }
                }
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Origin::with_cells(fields.row, cells))
    }
}

impl Serialize for Origin {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        struct Cells<'a>(&'a Origin);
        impl Serialize for Cells<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let own_row = self.0.row.row;
                serializer.collect_map(self.0.cells().map(|(key, row, column)| {
                    let at = if own_row == Some(row) {
                        CellAt::Column(column)
                    } else {
                        CellAt::Cell(row, column)
                    };
                    (key, at)
                }))
            }
        }
        let mut origin = serializer.serialize_struct("Origin", 2)?;
        origin.serialize_field("row", &self.row)?;
        origin.serialize_field("cells", &Cells(self))?;
        origin.end()
    }
}

impl Origin {
    pub fn new(row: Location) -> Self {
        Origin {
            row,
            cells: Arc::new([]),
        }
    }

    /// An origin with the cells of its fields: (field key, row, column). Keys must be the
    /// register format's; any other is not a field and has no cell.
    pub fn with_cells(
        row: Location,
        cells: impl IntoIterator<Item = (&'static str, u32, u32)>,
    ) -> Self {
        Self::with_shared_cells(row, cells, &SharedCells::default())
    }

    /// [`Origin::with_cells`], its cell list shared with equal ones made through `shared`.
    pub fn with_shared_cells(
        row: Location,
        cells: impl IntoIterator<Item = (&'static str, u32, u32)>,
        shared: &SharedCells,
    ) -> Self {
        let own_row = row.row.unwrap_or(0);
        let mut cells: Vec<FieldCell> = cells
            .into_iter()
            .filter_map(|(key, row, column)| {
                let field = crate::model::schema::key_number(key);
                debug_assert!(
                    field.is_some(),
                    "`{key}` is not a field of the register format"
                );
                Some(FieldCell {
                    field: field?,
                    row_offset: row.wrapping_sub(own_row),
                    column,
                })
            })
            .collect();
        cells.sort_unstable();
        Origin {
            cells: shared.share(cells),
            row,
        }
    }

    /// The cells of its fields, (field key, row, column), sorted by key.
    pub fn cells(&self) -> impl Iterator<Item = (&'static str, u32, u32)> + '_ {
        let own_row = self.row.row.unwrap_or(0);
        self.cells.iter().map(move |c| {
            (
                crate::model::schema::numbered_key(c.field),
                own_row.wrapping_add(c.row_offset),
                c.column,
            )
        })
    }

    /// The cell of a field, or the row when the table had no such column.
    pub fn cell(&self, field: &str) -> Location {
        let found = crate::model::schema::key_number(field)
            .and_then(|number| self.cells.iter().find(|c| c.field == number));
        match found {
            Some(c) => self
                .row
                .at_row(self.row.row.unwrap_or(0).wrapping_add(c.row_offset))
                .at_column(c.column),
            None => self.row.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_roll_over_like_excel() {
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(26), "Z");
        assert_eq!(column_letters(27), "AA");
        assert_eq!(column_letters(702), "ZZ");
        assert_eq!(column_letters(703), "AAA");
    }

    /// Locations share their file and sheet, yet sort, compare and read back as the four
    /// fields they stand for.
    #[test]
    fn locations_share_their_file_and_sheet_and_sort_by_all_four_fields() {
        let sheet = Location::in_sheet("in/x.xlsx", "Activities");
        let cell = sheet.at_row(7).at_column(3);
        assert!(Arc::ptr_eq(&sheet.source, &cell.source));
        assert_eq!(
            cell,
            Location::in_sheet("in/x.xlsx", "Activities")
                .at_row(7)
                .at_column(3)
        );
        let mut sorted = [
            Location::in_sheet("in/x.xlsx", "B").at_row(1),
            sheet.at_row(9),
            Location::in_file("in/a.csv").at_row(20),
            cell.clone(),
            sheet.at_row(7),
        ];
        sorted.sort();
        let names: Vec<String> = sorted.iter().map(ToString::to_string).collect();
        assert_eq!(
            names,
            [
                "in/a.csv:20",
                "in/x.xlsx:Activities!7:7",
                "in/x.xlsx:Activities!C7",
                "in/x.xlsx:Activities!9:9",
                "in/x.xlsx:B!1:1",
            ]
        );
        let json = serde_json::to_string(&cell).unwrap();
        assert_eq!(
            json,
            r#"{"file":"in/x.xlsx","sheet":"Activities","row":7,"column":3}"#
        );
        assert_eq!(serde_json::from_str::<Location>(&json).unwrap(), cell);
        assert_eq!(
            serde_json::to_string(&Location::in_file("in/a.csv")).unwrap(),
            r#"{"file":"in/a.csv"}"#
        );
    }

    #[test]
    fn locations_print_in_the_users_terms() {
        let sheet = Location::in_sheet("inputs/x.xlsx", "Processors")
            .at_row(7)
            .at_column(4);
        assert_eq!(sheet.to_string(), "inputs/x.xlsx:Processors!D7");
        let spaced = Location::in_sheet("inputs/x.xlsx", "Data flows")
            .at_row(7)
            .at_column(4);
        assert_eq!(spaced.to_string(), "inputs/x.xlsx:'Data flows'!D7");
        let csv = Location::in_file("inputs/y/processors.csv")
            .at_row(7)
            .at_column(3);
        assert_eq!(csv.to_string(), "inputs/y/processors.csv:7:3");
    }

    #[test]
    fn rows_with_the_same_columns_share_their_cell_list() {
        let sheet = Location::in_sheet("inputs/x.xlsx", "Activities");
        let shared = SharedCells::default();
        let first = Origin::with_shared_cells(
            sheet.at_row(7),
            [("name", 7, 2), ("purpose", 7, 5)],
            &shared,
        );
        let second = Origin::with_shared_cells(
            sheet.at_row(8),
            [("purpose", 8, 5), ("name", 8, 2)],
            &shared,
        );
        // A cell on another row (a merged entity's, or a key/value block's) is its own list.
        let third = Origin::with_shared_cells(
            sheet.at_row(9),
            [("name", 9, 2), ("purpose", 3, 5)],
            &shared,
        );
        assert!(Arc::ptr_eq(&first.cells, &second.cells));
        assert!(!Arc::ptr_eq(&first.cells, &third.cells));
        assert_eq!(
            second.cell("purpose").to_string(),
            "inputs/x.xlsx:Activities!E8"
        );
        assert_eq!(
            third.cell("purpose").to_string(),
            "inputs/x.xlsx:Activities!E3"
        );
        assert_eq!(
            third.cells().collect::<Vec<_>>(),
            [("name", 9, 2), ("purpose", 3, 5)]
        );
        // Without a row of its own, the cells keep their rows as they are.
        let block = Origin::with_cells(sheet.clone(), [("name", 4, 2)]);
        assert_eq!(
            block.cell("name").to_string(),
            "inputs/x.xlsx:Activities!B4"
        );
    }
}
