//! CSV files as Excel writes them in Europe: `,` `;` or tab, UTF-8 (with or without BOM),
//! UTF-16 with BOM, or Windows-1252.

use super::table::{CellValue, RawRow, RawTable, RowHint};
use crate::diag::{Code, Diagnostic, Severity};
use crate::model::Location;
use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};
use std::path::Path;

/// The text encodings ropa recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Windows1252,
}

/// Decodes a CSV file's bytes: a BOM decides, else UTF-8 when valid, else Windows-1252.
pub fn decode(bytes: &[u8]) -> (String, Encoding) {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return (String::from_utf8_lossy(rest).into_owned(), Encoding::Utf8);
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        let (text, _) = UTF_16LE.decode_with_bom_removal(bytes);
        return (text.into_owned(), Encoding::Utf16);
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        let (text, _) = UTF_16BE.decode_with_bom_removal(bytes);
        return (text.into_owned(), Encoding::Utf16);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), Encoding::Utf8),
        Err(_) => {
            let (text, _, _) = WINDOWS_1252.decode(bytes);
            (text.into_owned(), Encoding::Windows1252)
        }
    }
}

/// Picks the delimiter that splits the first lines most consistently: the candidate with the
/// most fields per line, provided the count is the same on most lines. Quoted text is skipped.
pub fn sniff_delimiter(text: &str) -> u8 {
    let candidates = [b';', b',', b'\t'];
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(20)
        .collect();
    let mut best = (b',', 0usize, 0usize); // (delimiter, consistent lines, fields)
    for &delimiter in &candidates {
        let counts: Vec<usize> = lines
            .iter()
            .map(|line| count_unquoted(line, delimiter))
            .collect();
        let Some(&first) = counts.first() else {
            continue;
        };
        if first == 0 {
            continue;
        }
        let consistent = counts.iter().filter(|&&c| c == first).count();
        if (consistent, first) > (best.1, best.2) {
            best = (delimiter, consistent, first);
        }
    }
    best.0
}

fn count_unquoted(line: &str, delimiter: u8) -> usize {
    let mut quoted = false;
    let mut count = 0;
    for b in line.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if b == delimiter && !quoted {
            count += 1;
        }
    }
    count
}

/// Reads one CSV file as a raw table named after its file stem.
pub fn read(path: &Path, shown: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<RawTable> {
    match std::fs::read(path) {
        Ok(bytes) => read_bytes(&bytes, shown, diagnostics),
        Err(e) => {
            diagnostics.push(
                Diagnostic::new(Code::UnreadableFile, format!("cannot read the file: {e}"))
                    .at(Location::in_file(shown)),
            );
            None
        }
    }
}

/// Reads a CSV file's bytes as a raw table named after the stem of `shown`, touching no file.
pub fn read_bytes(
    bytes: &[u8],
    shown: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<RawTable> {
    let location = Location::in_file(shown);
    if bytes.contains(&0) && !bytes.starts_with(&[0xFF, 0xFE]) && !bytes.starts_with(&[0xFE, 0xFF])
    {
        diagnostics.push(
            Diagnostic::new(Code::UnreadableFile, "this is a binary file, not CSV text")
                .at(location)
                .help("save the sheet as CSV (UTF-8 or Windows-1252), or pass the workbook itself"),
        );
        return None;
    }
    let (text, _encoding) = decode(bytes);
    let delimiter = sniff_delimiter(&text);
    let name = stem(shown);

    // A quote that never closes would swallow the rest of the file into one cell: read only
    // the lines before it, and say which lines were lost.
    let mut readable: &str = &text;
    if let Some(open) = unclosed_quote(&text, delimiter) {
        let last = text.lines().count() as u32;
        let line_start = text[..open.byte].rfind('\n').map(|i| i + 1).unwrap_or(0);
        readable = &text[..line_start];
        diagnostics.push(
            Diagnostic::new(
                Code::UnclosedQuote,
                format!(
                    "a quote opens on line {} and never closes, so lines {}–{last} form no rows; they are not read",
                    open.line, open.line
                ),
            )
            .at(location.at_row(open.line).at_column(open.column))
            .help("close the quote (a quote inside a quoted cell is written twice: \"\"), or remove it"),
        );
    }

    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(readable.as_bytes());
    // Line numbers come from byte offsets: the csv crate's own line count is off by one for
    // CRLF files, and users look the line up in an editor.
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(readable.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let bytes = readable.as_bytes();
    let line_of = |byte: u64| {
        // A record after a CRLF starts, for the csv crate, at the LF.
        let mut at = byte as usize;
        while at < bytes.len() && matches!(bytes[at], b'\r' | b'\n') {
            at += 1;
        }
        line_starts.partition_point(|&start| start <= at) as u32
    };
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map(|p| line_of(p.byte())).unwrap_or(0);
                let breaks = record
                    .iter()
                    .map(|f| f.matches('\n').count())
                    .sum::<usize>();
                let row = RawRow {
                    number: line,
                    cells: record.iter().map(CellValue::from_text).collect(),
                    hint: RowHint::Cells,
                    lines: 1 + breaks as u32,
                };
                if !row.is_blank() {
                    rows.push(row);
                }
            }
            Err(e) => {
                let line = e.position().map(|p| line_of(p.byte()));
                let at = match line {
                    Some(line) => location.at_row(line),
                    None => location.clone(),
                };
                diagnostics.push(
                    Diagnostic::new(Code::UnreadableFile, format!("malformed CSV: {e}"))
                        .at(at)
                        .severity(Severity::Error),
                );
                break;
            }
        }
    }
    report_ragged(&rows, &location, diagnostics);
    Some(RawTable {
        location,
        name,
        first_column: 1,
        rows,
        merged: Vec::new(),
    })
}

/// A file's name without folder and extension, which names its table.
pub(crate) fn stem(shown: &str) -> String {
    Path::new(shown)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Where a quote opened that never closed.
#[derive(Debug, PartialEq, Eq)]
struct OpenQuote {
    byte: usize,
    line: u32,
    column: u32,
}

/// Finds a quoted field that runs to the end of the text, as RFC 4180 quoting reads it: a
/// quote at the start of a field opens it, `""` inside is a quote, a lone quote closes it.
fn unclosed_quote(text: &str, delimiter: u8) -> Option<OpenQuote> {
    let bytes = text.as_bytes();
    let mut line = 1u32;
    let mut line_start = 0usize;
    let mut field = 1u32;
    let mut at_field_start = true;
    let mut open: Option<OpenQuote> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if open.is_some() {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    open = None;
                }
            } else if b == b'\n' {
                line += 1;
                line_start = i + 1;
            }
        } else if b == b'"' && at_field_start {
            open = Some(OpenQuote {
                byte: i,
                line,
                column: field,
            });
            let _ = line_start;
        } else if b == delimiter {
            field += 1;
            at_field_start = true;
            i += 1;
            continue;
        } else if b == b'\n' {
            line += 1;
            line_start = i + 1;
            field = 1;
            at_field_start = true;
            i += 1;
            continue;
        }
        if b != b' ' && b != b'\r' {
            at_field_start = false;
        }
        i += 1;
    }
    open
}

/// Warns at every line with more or fewer fields than most lines have. Lines of one field are
/// titles, section lines or footers and are left to the layout.
fn report_ragged(rows: &[RawRow], location: &Location, diagnostics: &mut Vec<Diagnostic>) {
    let widths = |row: &RawRow| {
        // Trailing empty fields are how some exporters pad; they do not make a row ragged.
        row.cells
            .iter()
            .rposition(|c| !c.is_empty())
            .map(|p| p + 1)
            .unwrap_or(0)
            .max(row.cells.len())
    };
    let mut counts: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    for row in rows.iter().filter(|r| r.cells.len() > 1) {
        *counts.entry(widths(row)).or_default() += 1;
    }
    let Some((&usual, _)) = counts
        .iter()
        .max_by_key(|(w, n)| (**n, std::cmp::Reverse(**w)))
    else {
        return;
    };
    for row in rows.iter().filter(|r| r.cells.len() > 1) {
        let width = widths(row);
        if width != usual {
            let lost = width > usual && row.cells[usual..].iter().any(|c| !c.is_empty());
            diagnostics.push(
                Diagnostic::new(
                    Code::RaggedRow,
                    format!(
                        "line {} has {width} fields where the file's lines have {usual}{}",
                        row.number,
                        if lost {
                            "; the extra cells are kept as extra attributes"
                        } else {
                            ""
                        }
                    ),
                )
                .at(location.at_row(row.number))
                .help("a cell with a delimiter inside must be quoted"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_is_sniffed() {
        assert_eq!(sniff_delimiter("a;b;c\n1;2;3\n"), b';');
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(sniff_delimiter("a\tb\tc\n1\t2\t3\n"), b'\t');
        assert_eq!(
            sniff_delimiter("Name;Dienst\n\"Smith, J.\";\"a, b, c\"\n"),
            b';',
            "commas inside quotes do not count"
        );
    }

    #[test]
    fn an_unclosed_quote_is_found_where_it_opens() {
        let text = "Name,Service,Country\n\"Unclosed quote,Mail,US\nOther,Mail\n,,\n";
        assert_eq!(
            unclosed_quote(text, b','),
            Some(OpenQuote {
                byte: 21,
                line: 2,
                column: 1
            })
        );
        assert_eq!(unclosed_quote("a,\"b \"\"x\"\" c\",d\n", b','), None);
        assert_eq!(
            unclosed_quote("a,b\"c,d\n", b','),
            None,
            "a quote inside a field is text"
        );
    }

    #[test]
    fn encodings_are_detected() {
        assert_eq!(
            decode("Straße".as_bytes()),
            ("Straße".into(), Encoding::Utf8)
        );
        assert_eq!(decode(b"\xEF\xBB\xBFName"), ("Name".into(), Encoding::Utf8));
        assert_eq!(
            decode(b"Stra\xDFe \x84x\x93"),
            ("Straße „x“".into(), Encoding::Windows1252)
        );
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Größe".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode(&utf16), ("Größe".into(), Encoding::Utf16));
    }
}
