//! The cells an `.ods` workbook makes calamine lay out, counted before calamine reads it.
//!
//! OpenDocument compresses repeats: `table:number-rows-repeated="6000"` on a row whose cell
//! says `table:number-columns-repeated="16384"` is 98 million cells in 200 bytes of XML, and a
//! 31 KB file holding it made ropa allocate gigabytes and run for minutes. calamine (0.38)
//! caps a sheet at 100 million cells, which is still 3 GB for its values and as much again for
//! its formulas, and it reads every sheet while opening the file. This walks `content.xml` as
//! calamine does (rows, their repeats, the last filled cell of each) and refuses a file whose
//! sheets span more cells than its size can hold.

use super::workbook::cell_budget;
use quick_xml::events::{BytesStart, Event};
use std::io::{BufReader, Read, Seek};

/// Excel's limits, which calamine applies to ods sheets too.
const MAX_ROWS: u64 = 1_048_576;
const MAX_COLUMNS: u64 = 16_384;

/// Whether a zip archive is an OpenDocument file: it has a `content.xml`.
pub fn is_ods<R: Read + Seek>(reader: R) -> bool {
    zip::ZipArchive::new(reader).is_ok_and(|mut zip| zip.by_name("content.xml").is_ok())
}

fn repeats(element: &BytesStart<'_>, name: &str) -> u64 {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.value.trim().parse::<u64>().ok())
        .unwrap_or(1)
        .max(1)
}

fn has_value(element: &BytesStart<'_>) -> bool {
    element.attributes().flatten().any(|a| {
        matches!(
            a.key.as_ref(),
            "office:value-type" | "table:formula" | "calcext:value-type"
        )
    })
}

/// One sheet as it is read: the rows so far, and the span of its filled rows and columns.
#[derive(Default)]
struct Sheet {
    rows: u64,
    first_filled: Option<u64>,
    end_filled: u64,
    width: u64,
}

impl Sheet {
    fn row(&mut self, repeats: u64, width: u64) {
        let repeats = repeats.min(MAX_ROWS.saturating_sub(self.rows));
        if width > 0 && repeats > 0 {
            self.first_filled.get_or_insert(self.rows);
            self.end_filled = self.rows + repeats;
            self.width = self.width.max(width);
        }
        self.rows += repeats;
    }

    fn cells(&self) -> u64 {
        self.first_filled
            .map_or(0, |first| (self.end_filled - first) * self.width)
    }
}

/// `Ok` when calamine can lay the sheets out within the budget; otherwise why not.
pub fn check<R: Read + Seek>(reader: R, file_bytes: usize) -> Result<(), String> {
    let mut zip = zip::ZipArchive::new(reader).map_err(|e| format!("not a zip archive: {e}"))?;
    let content = zip
        .by_name("content.xml")
        .map_err(|e| format!("content.xml cannot be read: {e}"))?;
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(content));
    let budget = cell_budget(file_bytes);
    let mut claimed: u64 = 0;
    let mut sheet = Sheet::default();
    let mut row: Option<(u64, u64, u64)> = None; // (repeats, column, width)
    let mut buf = Vec::new();
    loop {
        let event = xml
            .read_event_into(&mut buf)
            .map_err(|e| format!("content.xml is not well-formed: {e}"))?;
        let (element, closed) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            Event::End(e) => {
                match e.name().as_ref() {
                    "table:table-row" => {
                        if let Some((repeats, _, width)) = row.take() {
                            sheet.row(repeats, width);
                        }
                    }
                    "table:table" => {
                        claimed = claimed.saturating_add(sheet.cells());
                        sheet = Sheet::default();
                    }
                    _ => {}
                }
                (None, false)
            }
            Event::Eof => break,
            _ => (None, false),
        };
        if let Some(element) = element {
            match element.name().as_ref() {
                "table:table" => sheet = Sheet::default(),
                "table:table-row" => {
                    let repeats = repeats(element, "table:number-rows-repeated");
                    if closed {
                        sheet.row(repeats, 0);
                    } else {
                        row = Some((repeats, 0, 0));
                    }
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    if let Some((_, column, width)) = &mut row {
                        let span = repeats(element, "table:number-columns-repeated");
                        *column = (*column + span).min(MAX_COLUMNS);
                        // A cell with content (an element with children counts) is filled.
                        if has_value(element) || !closed {
                            *width = *column;
                        }
                    }
                }
                _ => {}
            }
        }
        if claimed.saturating_add(sheet.cells()) > budget {
            return Err(format!(
                "its sheets span more than {budget} cells from first to last filled cell (repeated rows and cells counted out), more than a file of {file_bytes} bytes can hold"
            ));
        }
        buf.clear();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ods(rows: &str) -> Vec<u8> {
        let mut bytes = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut bytes);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("content.xml", options).unwrap();
        std::io::Write::write_all(
            &mut zip,
            format!("<office:document-content><office:body><office:spreadsheet><table:table table:name=\"S\">{rows}</table:table></office:spreadsheet></office:body></office:document-content>").as_bytes(),
        )
        .unwrap();
        zip.finish().unwrap();
        bytes.into_inner()
    }

    #[test]
    fn repeated_filled_cells_count_out() {
        let small = ods(
            "<table:table-row><table:table-cell office:value-type=\"string\"><text:p>a</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated=\"1048000\"><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>",
        );
        assert!(is_ods(std::io::Cursor::new(&small)));
        assert_eq!(check(std::io::Cursor::new(&small), small.len()), Ok(()));
        let huge = ods(
            "<table:table-row table:number-rows-repeated=\"6000\"><table:table-cell table:number-columns-repeated=\"16384\" office:value-type=\"string\"><text:p>x</text:p></table:table-cell></table:table-row>",
        );
        let refused = check(std::io::Cursor::new(&huge), huge.len()).unwrap_err();
        assert!(refused.contains("more than"), "{refused}");
    }
}
