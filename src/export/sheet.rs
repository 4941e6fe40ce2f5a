//! The one way ropa lays out a table in a workbook: title lines across the table, a bold
//! wrapped header row that is frozen, filtered and repeated on every printed page, wrapped text
//! cells framed by the printed grid, status colours, landscape A4 fitted to the page width, and
//! the organisation and page numbers in the header and footer. Cells are always written as
//! text, so `=…` never becomes a formula. Tables go into workbooks made by [`workbook`].

use super::ExportError;
use super::i18n::{Lang, fill, text};
use crate::analysis::Status;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Worksheet};

/// A cell: its text, and whether it stands for a required value that is missing.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: String,
    pub missing: bool,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            missing: false,
        }
    }

    /// A required value that is empty, shown as `placeholder` and highlighted.
    pub fn missing(placeholder: impl Into<String>) -> Cell {
        Cell {
            text: placeholder.into(),
            missing: true,
        }
    }

    /// `text` if there is any, else a highlighted placeholder.
    pub fn required<S: AsRef<str> + Into<String>>(text: Option<S>, placeholder: &str) -> Cell {
        match text.filter(|t| !t.as_ref().trim().is_empty()) {
            Some(text) => Cell::text(text),
            None => Cell::missing(placeholder),
        }
    }
}

/// A table row, with the status that colours its status cell (if the table has one).
#[derive(Debug, Clone)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub status: Option<Status>,
}

impl Row {
    pub fn plain(cells: Vec<Cell>) -> Row {
        Row {
            cells,
            status: None,
        }
    }
}

/// Rows are made this many at a time when a table makes them as they are written.
const CHUNK_ROWS: usize = 4_096;

/// A table's rows: made at once (small tables), or made a chunk at a time on every core as
/// they are written, so that a sheet of 100,000 activities is never held whole in memory.
pub struct Rows<'a> {
    len: usize,
    source: RowSource<'a>,
}

type MakeRows<'a> = Box<dyn Fn(std::ops::Range<usize>) -> Vec<Row> + Sync + 'a>;

enum RowSource<'a> {
    Made(Vec<Row>),
    Lazy(MakeRows<'a>),
}

impl<'a> Rows<'a> {
    /// Rows already made.
    pub fn made(rows: Vec<Row>) -> Rows<'a> {
        Rows {
            len: rows.len(),
            source: RowSource::Made(rows),
        }
    }

    /// One row per item, made from it when the rows are written; the order is the items'.
    pub fn of<T: Sync + 'a>(items: Vec<T>, row: impl Fn(&T) -> Row + Sync + 'a) -> Rows<'a> {
        use rayon::prelude::*;
        Rows {
            len: items.len(),
            source: RowSource::Lazy(Box::new(move |range| {
                items[range].par_iter().map(&row).collect()
            })),
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Hands the rows to `each` in order, a chunk at a time, with the index of the chunk's
    /// first row. The next chunk is made while `each` writes one, on another core when one
    /// is free: writing a sheet is one core's work.
    pub fn each_chunk<E: Send>(
        &self,
        mut each: impl FnMut(usize, &[Row]) -> Result<(), E> + Send,
    ) -> Result<(), E> {
        match &self.source {
            RowSource::Made(rows) => each(0, rows),
            RowSource::Lazy(make) => {
                let chunk = |start: usize| make(start..(start + CHUNK_ROWS).min(self.len));
                let mut start = 0;
                let mut rows = if self.len > 0 { chunk(0) } else { Vec::new() };
                while !rows.is_empty() {
                    let next = start + rows.len();
                    let (written, made) = rayon::join(
                        || each(start, &rows),
                        || {
                            if next < self.len {
                                chunk(next)
                            } else {
                                Vec::new()
                            }
                        },
                    );
                    written?;
                    (start, rows) = (next, made);
                }
                Ok(())
            }
        }
    }
}

/// Excel's limits: rows per sheet and characters per cell. Beyond them the workbook says
/// where the rest is (the CSV files hold every row and every character).
const MAX_ROWS: usize = 1_048_576 - 16;
const MAX_CELL_CHARS: usize = 32_000;

/// A cell's text as a workbook shows it: [`printable`](super::printable), and cut at Excel's
/// limit with a note in the report's language.
pub fn fit(cell: &str, lang: Lang) -> std::borrow::Cow<'_, str> {
    let cell = super::printable(cell);
    if cell.len() <= MAX_CELL_CHARS {
        return cell;
    }
    let mut end = MAX_CELL_CHARS;
    while !cell.is_char_boundary(end) {
        end -= 1;
    }
    std::borrow::Cow::Owned(format!("{} … {}", &cell[..end], text(lang, "sheet.cut")))
}

/// A whole table for one worksheet.
pub struct Table<'a> {
    /// Lines above the header: the first is the title.
    pub top: Vec<String>,
    pub headers: Vec<String>,
    pub widths: Vec<f64>,
    pub rows: Rows<'a>,
    /// The column whose cell takes the row's status colour.
    pub status_column: Option<usize>,
    /// Left and right page-header texts.
    pub page_header: (&'a str, &'a str),
    /// The language of the notes the sheet adds (a cut cell, rows beyond Excel's limit).
    pub lang: Lang,
}

/// The rows a workbook's sheets hold in memory until it is saved. A sheet is held only while
/// the workbook's held rows stay within [`CONSTANT_MEMORY_ROWS`]; past that it is written in
/// constant-memory mode and compact (see [`write`]). Per sheet alone, a transfer workbook of
/// dozens of countries each just under the limit held them all: 73 MB on a large register.
#[derive(Debug, Default)]
pub struct HeldRows(usize);

impl HeldRows {
    /// Whether `table` is written in constant-memory mode; if not, its rows are counted as
    /// held.
    fn streams(&mut self, table: &Table) -> bool {
        let rows = table.rows.len();
        // A short table (a summary, a handful of controllers) is held whatever came before.
        if rows > SHORT_TABLE && self.0 + rows > CONSTANT_MEMORY_ROWS {
            return true;
        }
        self.0 += rows;
        false
    }
}

pub fn status_colour(status: Status) -> Color {
    match status {
        Status::NoTransfer => Color::RGB(0xE7E6E6),
        Status::Ok => Color::RGB(0xC6EFCE),
        Status::Warning => Color::RGB(0xFFEB9C),
        Status::Error => Color::RGB(0xFFC7CE),
    }
}

/// Excel forbids some characters and more than 31 characters in sheet names.
pub fn sheet_name(name: &str, used: &mut foldhash::HashSet<String>) -> String {
    let clean: String = name
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect();
    let clean = clean.trim().trim_matches('\'').to_string();
    let mut candidate = clean.clone();
    let mut n = 2;
    while !used.insert(candidate.to_lowercase()) {
        let suffix = format!(" {n}");
        candidate = clean.chars().take(31 - suffix.len()).collect::<String>() + &suffix;
        n += 1;
    }
    candidate
}

/// The height (points) of a row whose cells wrap within their columns' widths.
pub fn row_height<'t>(
    cells: impl Iterator<Item = &'t str>,
    width_of: &dyn Fn(usize) -> f64,
) -> f64 {
    let lines = cells
        .enumerate()
        .map(|(c, text)| {
            // A column of width w holds about w characters of the default font.
            let per_line = (width_of(c) * 0.95).max(4.0) as usize;
            text.split('\n')
                .map(|line| {
                    // A line of no more bytes than fit has no more characters either: most
                    // cells are short, and counting characters costs a pass over each.
                    if line.len() <= per_line {
                        1
                    } else {
                        line.chars().count().div_ceil(per_line).max(1)
                    }
                })
                .sum::<usize>()
        })
        .max()
        .unwrap_or(1)
        .clamp(1, MAX_LINES);
    DEFAULT_ROW_HEIGHT * lines as f64
}

/// The most lines a row is made tall for: Excel's tallest row is 409 points ("Excel
/// specifications and limits"; the binary format's limit is 8,179 twips), 27 lines of 15.
const MAX_LINES: usize = 27;

/// The height of one line of the default font, and the height of a row nobody set.
const DEFAULT_ROW_HEIGHT: f64 = 15.0;

/// `&` starts a control code in Excel page headers; a literal one is doubled.
fn header_text(text: &str) -> String {
    text.replace('&', "&&")
}

/// The format of a table's cells: wrapped, at the top, without borders of their own. It is the
/// workbook's default (see [`workbook`]), because rust_xlsxwriter hashes a cell's given format
/// on every write (a seventh of an L build's work); a table sheet prints its grid instead.
pub fn body_format() -> Format {
    Format::new().set_text_wrap().set_align(FormatAlign::Top)
}

/// The format of a large table's cells (see [`write`]): at the top, one line, not wrapped. It
/// is each column's format, which rust_xlsxwriter gives the column's cells written without
/// one, so no cell's format is looked up as it is written.
fn compact_format() -> Format {
    Format::new().set_align(FormatAlign::Top)
}

/// A cell's lines as one, `; ` between them, for a large table's one-line rows.
fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('\n') {
        return std::borrow::Cow::Borrowed(text);
    }
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim_end)
        .filter(|line| !line.is_empty())
        .collect();
    std::borrow::Cow::Owned(lines.join("; "))
}

/// The default font's size, and the title's.
const BODY_POINTS: f64 = 11.0;
const TITLE_POINTS: f64 = 14.0;

/// A workbook whose cells are by default formatted as a table's cells ([`body_format`]), in
/// the default font and sizes (rows of 20 pixels, columns of 64), deflated a little faster
/// than rust_xlsxwriter's default.
pub fn workbook() -> Result<rust_xlsxwriter::Workbook, ExportError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    workbook.set_default_format(&body_format(), 20, 64)?;
    // Deflate level 5 instead of 6: on L, workbooks 1.2% larger for 0.4 to 0.8 s less CPU
    // (deflating is a third of the records' time). Level 4 made them 7% larger.
    workbook.set_zip_compression_level(5);
    Ok(workbook)
}

/// The most rows a workbook holds in memory: a table that would take its workbook past this
/// is written in rust_xlsxwriter's constant-memory mode, each row going to a temporary file as
/// it is written instead of staying in memory ([`HeldRows`]).
pub const CONSTANT_MEMORY_ROWS: usize = 5_000;

/// Tables of at most this many rows are always held, and written with their rows' heights.
const SHORT_TABLE: usize = 100;

/// Adds a worksheet named `name` holding `table`, in constant-memory mode when the workbook
/// would otherwise hold too many rows (`held`: its rows held so far), to a workbook made by
/// [`workbook`] (whose default format the table's cells take).
pub fn add(
    workbook: &mut rust_xlsxwriter::Workbook,
    held: &mut HeldRows,
    name: &str,
    table: &Table,
) -> Result<(), ExportError> {
    add_writing(workbook, held, name, table, |_| Ok(()))
}

/// [`add`], writing each row to `csv` as well (whose header the caller has written): one
/// pass over rows that are made as they are written.
pub fn add_with_csv<W: std::io::Write + Send>(
    workbook: &mut rust_xlsxwriter::Workbook,
    held: &mut HeldRows,
    name: &str,
    table: &Table,
    csv: &mut csv::Writer<W>,
) -> Result<(), ExportError> {
    add_writing(workbook, held, name, table, |rows| {
        for row in rows {
            csv_row(csv, row)?;
        }
        Ok(())
    })
}

fn add_writing(
    workbook: &mut rust_xlsxwriter::Workbook,
    held: &mut HeldRows,
    name: &str,
    table: &Table,
    also: impl FnMut(&[Row]) -> Result<(), ExportError> + Send,
) -> Result<(), ExportError> {
    let compact = held.streams(table);
    let ws = if compact {
        workbook.add_worksheet_with_constant_memory()?
    } else {
        workbook.add_worksheet()
    };
    ws.set_name(name)?;
    write(ws, table, compact, also)
}

/// The formats of a table, made once: rust_xlsxwriter looks each format up per cell.
struct Formats {
    title: Format,
    note: Format,
    header: Format,
    missing: Format,
    /// The cells' format coloured per status, in [`Status`] order.
    status: [Format; 4],
}

impl Formats {
    /// The formats of a table's sheet: a large table's cells are one line, not wrapped.
    fn new(compact: bool) -> Formats {
        let cell = || {
            if compact {
                compact_format()
            } else {
                body_format()
            }
        };
        let coloured = |status| cell().set_background_color(status_colour(status));
        Formats {
            title: body_format().set_bold().set_font_size(TITLE_POINTS),
            note: body_format().set_italic(),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(0xD9E1F2))
                .set_border(FormatBorder::Thin),
            missing: cell()
                .set_italic()
                .set_font_color(Color::RGB(0x9C0006))
                .set_background_color(Color::RGB(0xFFC7CE)),
            status: [
                coloured(Status::NoTransfer),
                coloured(Status::Ok),
                coloured(Status::Warning),
                coloured(Status::Error),
            ],
        }
    }

    fn of_status(&self, status: Status) -> &Format {
        &self.status[match status {
            Status::NoTransfer => 0,
            Status::Ok => 1,
            Status::Warning => 2,
            Status::Error => 3,
        }]
    }
}

/// Writes a table into a worksheet, row by row (as constant-memory mode requires), handing
/// each chunk of rows to `also` as well once it is in the sheet.
///
/// Row heights: rust_xlsxwriter cannot autofit and LibreOffice keeps the stored height (a
/// wrapped row without one shows its lines over the next rows'), so a table's rows are made as
/// tall as the lines their cells need. A table written in constant-memory mode (`compact`: its
/// workbook would hold more than [`CONSTANT_MEMORY_ROWS`] rows, see [`HeldRows`]) is written
/// compact instead: each row one line high, its cells not wrapped and each
/// cell's lines joined by `; `, the whole text in the cell (and in the CSV, line by line).
/// rust_xlsxwriter keeps every set row height, with a whole row format of 216 bytes, until
/// the workbook is saved, even in constant-memory mode: on L (100,000 activities) the heights
/// of the records' large sheets held 100 MB and the transfer workbook's 23 MB, most of the
/// build's peak above what the register holds. A table of that size is read with filters, not
/// printed; selecting its cells and wrapping them in Excel or LibreOffice fits the rows.
fn write(
    ws: &mut Worksheet,
    table: &Table,
    compact: bool,
    mut also: impl FnMut(&[Row]) -> Result<(), ExportError> + Send,
) -> Result<(), ExportError> {
    let formats = Formats::new(compact);
    let width_of = |c: usize| table.widths.get(c).copied().unwrap_or(20.0);
    let last_column = table.headers.len().saturating_sub(1) as u16;
    let table_width: f64 = (0..table.headers.len()).map(width_of).sum();
    let header_row = table.top.len() as u32 + 1;
    let compact_cells = compact_format();
    for c in 0..table.headers.len() {
        ws.set_column_width(c as u16, width_of(c))?;
        if compact {
            ws.set_column_format(c as u16, &compact_cells)?;
        }
    }
    for (r, line) in table.top.iter().enumerate() {
        let (format, point_size) = if r == 0 {
            (&formats.title, TITLE_POINTS)
        } else {
            (&formats.note, BODY_POINTS)
        };
        let r = r as u32;
        let line = fit(line, table.lang);
        // A line spans the table's width, wrapping within it: the printed grid (see
        // [`body_format`]) then frames it instead of crossing it.
        let lines = row_height([line.as_ref()].into_iter(), &|_| table_width) / DEFAULT_ROW_HEIGHT;
        // One line keeps the automatic height, which fits the title's font.
        if lines > 1.0 {
            ws.set_row_height(r, lines * DEFAULT_ROW_HEIGHT * point_size / BODY_POINTS)?;
        }
        if last_column > 0 {
            ws.merge_range(r, 0, r, last_column, line.as_ref(), format)?;
        } else {
            ws.write_string_with_format(r, 0, line.as_ref(), format)?;
        }
    }
    ws.set_row_height(
        header_row,
        row_height(table.headers.iter().map(String::as_str), &width_of),
    )?;
    for (c, text) in table.headers.iter().enumerate() {
        ws.write_string_with_format(header_row, c as u16, text, &formats.header)?;
    }
    // Rows beyond Excel's limit still go to `also` (the CSV holds every row).
    let shown = table.rows.len().min(MAX_ROWS - header_row as usize);
    let sheet_rows = |ws: &mut Worksheet, first: usize, rows: &[Row]| {
        let rows = &rows[..rows.len().min(shown.saturating_sub(first))];
        for (i, row) in rows.iter().enumerate() {
            let r = header_row + 1 + (first + i) as u32;
            if !compact {
                let height = row_height(row.cells.iter().map(|c| c.text.as_str()), &width_of);
                if height != DEFAULT_ROW_HEIGHT {
                    ws.set_row_height(r, height)?;
                }
            }
            for (c, cell) in row.cells.iter().enumerate() {
                let format = match (table.status_column, row.status) {
                    (Some(column), Some(status)) if column == c => Some(formats.of_status(status)),
                    _ if cell.missing => Some(&formats.missing),
                    _ => None,
                };
                let line = if compact {
                    one_line(&cell.text)
                } else {
                    std::borrow::Cow::Borrowed(cell.text.as_str())
                };
                let text = fit(&line, table.lang);
                match format {
                    Some(format) => {
                        ws.write_string_with_format(r, c as u16, text.as_ref(), format)?
                    }
                    // The workbook's default format (see [`workbook`]), or a large table's
                    // column format; an empty text writes no cell.
                    None => ws.write_string(r, c as u16, text.as_ref())?,
                };
            }
        }
        Ok::<(), ExportError>(())
    };
    table.rows.each_chunk(|first, rows| {
        // The sheet's rows and `also` (a CSV file) are written at once, `also` on another
        // core when one is free.
        let (sheet, other) = rayon::join(|| sheet_rows(ws, first, rows), || also(rows));
        sheet.and(other)
    })?;
    if shown < table.rows.len() {
        ws.write_string_with_format(
            header_row + 1 + shown as u32,
            0,
            format!(
                "… {}",
                fill(
                    text(table.lang, "sheet.more_rows"),
                    &[("count", &(table.rows.len() - shown).to_string())]
                )
            ),
            &formats.note,
        )?;
    }
    ws.set_freeze_panes(header_row + 1, 1)?;
    let last_row = header_row + shown.max(1) as u32;
    if !table.headers.is_empty() {
        ws.autofilter(header_row, 0, last_row, table.headers.len() as u16 - 1)?;
    }
    // Cells carry no borders of their own (see [`body_format`]).
    ws.set_print_gridlines(true);
    ws.set_landscape();
    // Wide records go on A3 so that fitting them to the page width keeps the text legible.
    ws.set_paper_size(if table_width > 200.0 { 8 } else { 9 });
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(header_row, header_row)?;
    ws.set_header(format!(
        "&L{}&R{}",
        header_text(table.page_header.0),
        header_text(table.page_header.1)
    ));
    ws.set_footer("&C&P / &N");
    Ok(())
}

/// A CSV error as an export error: a failed write is the output file's I/O error, so that
/// [`super::write_streamed`] names the file.
fn csv_error(e: csv::Error) -> ExportError {
    if e.is_io_error() {
        ExportError::Io(e.into())
    } else {
        ExportError::Csv(e)
    }
}

/// A CSV writer into `out` with the table's header row written.
pub fn csv_writer<W: std::io::Write>(
    out: W,
    headers: &[String],
) -> Result<csv::Writer<W>, ExportError> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(headers).map_err(csv_error)?;
    Ok(writer)
}

/// A row as CSV, cells neutralised against formula injection.
fn csv_row<W: std::io::Write>(writer: &mut csv::Writer<W>, row: &Row) -> Result<(), ExportError> {
    writer
        .write_record(row.cells.iter().map(|c| super::safe_csv(&c.text)))
        .map_err(csv_error)
}

/// Writes the table as CSV into an output file (see [`super::write_streamed`]).
pub fn stream_csv(out: &mut (dyn std::io::Write + Send), table: &Table) -> Result<(), ExportError> {
    let mut writer = csv_writer(out, &table.headers)?;
    table
        .rows
        .each_chunk(|_, rows| rows.iter().try_for_each(|row| csv_row(&mut writer, row)))?;
    writer.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_longer_than_excel_allows_are_cut_with_a_note() {
        let long = "é".repeat(20_000);
        let cut = fit(&long, Lang::En);
        assert!(cut.len() < 32_767);
        assert!(cut.ends_with("the CSV has it all)"));
        assert!(fit(&long, Lang::Nl).ends_with("het CSV-bestand bevat alles)"));
        assert_eq!(fit("short", Lang::Fr), "short");
    }

    #[test]
    fn row_heights_grow_with_wrapped_lines() {
        let widths = |_| 10.0;
        assert_eq!(row_height(["one"].into_iter(), &widths), 15.0);
        assert_eq!(row_height(["a\nb\nc"].into_iter(), &widths), 45.0);
        assert!(row_height(["x".repeat(100).as_str()].into_iter(), &widths) > 100.0);
        // No taller than Excel allows (409 points).
        assert_eq!(
            row_height(["a\n".repeat(40).as_str()].into_iter(), &widths),
            405.0
        );
    }

    /// The `<row>` elements of `table` saved as a worksheet.
    fn written_rows(table: &Table) -> Vec<String> {
        part(&saved(table), "xl/worksheets/sheet1.xml")
            .split("<row ")
            .skip(1)
            .map(|row| row[..row.find('>').unwrap()].to_string())
            .collect()
    }

    #[test]
    fn only_rows_of_more_than_one_line_get_a_height() {
        let table = Table {
            top: vec!["Title".to_string()],
            headers: vec!["Name".to_string(), "Notes".to_string()],
            widths: vec![20.0, 20.0],
            rows: Rows::of(
                vec![("one line", "short"), ("two", "first\nsecond")],
                |(name, notes)| Row::plain(vec![Cell::text(*name), Cell::text(*notes)]),
            ),
            status_column: None,
            page_header: ("", ""),
            lang: Lang::En,
        };
        let rows = written_rows(&table);
        // Title, header, then the two entries.
        assert_eq!(rows.len(), 4, "{rows:?}");
        assert!(
            !rows[2].contains("ht="),
            "a one-line row keeps the default: {rows:?}"
        );
        assert!(
            rows[3].contains("ht=\"30\""),
            "two lines, two heights: {rows:?}"
        );
        assert!(!rows[0].contains("ht="), "the title: {rows:?}");
    }

    /// A table of `n` rows of one cell: `lines(i)` lines for row `i`.
    fn table_of(
        n: usize,
        lines: impl Fn(usize) -> usize + Send + Sync + 'static,
    ) -> Table<'static> {
        Table {
            top: vec!["Title".to_string()],
            headers: vec!["Name".to_string()],
            widths: vec![20.0],
            rows: Rows::of((0..n).collect(), move |&i| {
                Row::plain(vec![Cell::text(vec![i.to_string(); lines(i)].join("\n"))])
            }),
            status_column: None,
            page_header: ("", ""),
            lang: Lang::En,
        }
    }

    #[test]
    fn a_large_table_is_written_one_line_a_row_its_lines_joined() {
        let n = CONSTANT_MEMORY_ROWS + 10;
        let bytes = saved(&table_of(n, |i| 1 + i % 3));
        let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
        assert!(
            sheet.contains("<sheetFormatPr defaultRowHeight=\"15\"/>"),
            "{}",
            &sheet[..600]
        );
        // No row has a height of its own (the header's is one line).
        assert_eq!(sheet.matches(" ht=\"").count(), 0, "{}", &sheet[..2000]);
        // Title, blank row and header (rows 1 to 3), then the table from row 4.
        assert!(
            sheet.contains(">5; 5; 5<"),
            "row 5 of the table, three lines"
        );
        assert!(sheet.contains(">4; 4<"));
        assert!(!sheet.contains(">5\n5"));
        // The column's format is the cells' (written without a style of their own, they
        // take it): at the top, not wrapped.
        let styles = part(&bytes, "xl/styles.xml");
        let column = &sheet[sheet.find("<col ").unwrap()..];
        let style: usize = {
            let at = &column[column.find(" style=\"").unwrap() + 8..];
            at[..at.find('"').unwrap()].parse().unwrap()
        };
        let xfs = &styles[styles.find("<cellXfs").unwrap()..];
        let xf = xfs.split("<xf ").nth(style + 1).unwrap();
        let xf = &xf[..xf.find("</xf>").unwrap()];
        assert!(xf.contains("vertical=\"top\""), "{xf}");
        assert!(!xf.contains("wrapText"), "{xf}");
    }

    #[test]
    fn a_small_table_keeps_its_lines_and_heights() {
        let bytes = saved(&table_of(CONSTANT_MEMORY_ROWS, |i| 1 + i % 3));
        let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
        assert!(part(&bytes, "xl/sharedStrings.xml").contains(">5\n5\n5<"));
        assert_eq!(
            sheet.matches(" ht=\"45\"").count(),
            CONSTANT_MEMORY_ROWS / 3
        );
    }

    #[test]
    fn a_large_tables_rows_are_each_written_once() {
        // rust_xlsxwriter (0.102) writes a constant-memory sheet's last row a second time,
        // empty, when it has a height of its own: two rows of one number, which Excel reports
        // as damage. A large table's rows have none.
        for last_lines in [1, 2, 3] {
            let n = CONSTANT_MEMORY_ROWS + 10;
            let sheet = part(
                &saved(&table_of(
                    n,
                    move |i| if i == n - 1 { last_lines } else { 2 },
                )),
                "xl/worksheets/sheet1.xml",
            );
            let rows: Vec<u32> = sheet
                .match_indices("<row r=\"")
                .map(|(at, _)| {
                    let r = &sheet[at + 8..];
                    r[..r.find('"').unwrap()].parse().unwrap()
                })
                .collect();
            assert!(
                rows.windows(2).all(|w| w[0] < w[1]),
                "a row written twice when the last row has {last_lines} lines: {:?}",
                &rows[rows.len() - 3..]
            );
            // Title, blank row, header, then the table: its last row and its text are there.
            assert_eq!(rows.last(), Some(&(3 + n as u32)));
            assert!(sheet.contains(&format!(
                ">{}<",
                vec![(n - 1).to_string(); last_lines].join("; ")
            )));
        }
    }

    /// A workbook made by [`workbook`] holding `table`, saved.
    fn saved(table: &Table) -> Vec<u8> {
        let mut workbook = workbook().unwrap();
        add(&mut workbook, &mut HeldRows::default(), "Sheet", table).unwrap();
        workbook.save_to_buffer().unwrap()
    }

    /// The text of a part of a saved workbook.
    fn part(bytes: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut xml).unwrap();
        xml
    }

    #[test]
    fn body_cells_take_the_wrapped_default_and_only_marked_cells_a_format_of_their_own() {
        let table = Table {
            top: vec!["A title long enough to wrap across the table's two columns".to_string()],
            headers: vec!["Name".to_string(), "Notes".to_string()],
            widths: vec![10.0, 10.0],
            rows: Rows::of(
                vec![("plain", false), ("missing", true)],
                |(text, missing)| {
                    let cell = if *missing {
                        Cell::missing(*text)
                    } else {
                        Cell::text(*text)
                    };
                    Row::plain(vec![Cell::text("name"), cell])
                },
            ),
            status_column: None,
            page_header: ("", ""),
            lang: Lang::En,
        };
        let bytes = saved(&table);
        let styles = part(&bytes, "xl/styles.xml");
        let default_xf = &styles[styles.find("<cellXfs").unwrap()..];
        let default_xf = &default_xf[..default_xf.find("</xf>").unwrap()];
        assert!(default_xf.contains("wrapText=\"1\""), "{default_xf}");
        assert!(default_xf.contains("vertical=\"top\""), "{default_xf}");
        let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
        let cell = |r: &str| {
            let at = sheet.find(&format!("<c r=\"{r}\"")).unwrap();
            sheet[at..at + sheet[at..].find('>').unwrap()].to_string()
        };
        assert!(!cell("A4").contains(" s="), "a body cell: {}", cell("A4"));
        assert!(!cell("B4").contains(" s="), "a body cell: {}", cell("B4"));
        assert!(
            cell("B5").contains(" s="),
            "a missing value: {}",
            cell("B5")
        );
        // The title spans the table and wraps within it; the grid is printed.
        assert!(sheet.contains("<mergeCell ref=\"A1:B1\"/>"), "{sheet}");
        assert!(
            sheet.contains("<row r=\"1\" spans=\"1:2\" ht=\""),
            "{sheet}"
        );
        assert!(sheet.contains("gridLines=\"1\""), "{sheet}");
    }
}
