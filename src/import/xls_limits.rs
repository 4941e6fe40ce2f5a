//! The ranges an `.xls` file claims, checked before calamine reads it.
//!
//! calamine (0.38) parses every sheet of an `.xls` workbook while opening it and sizes its
//! memory by what the records claim, not by what they hold: a sheet's `DIMENSIONS` record
//! reserves rows × columns cells, and the sheet's range spans its first to its last cell. A
//! few hundred bytes can so claim terabytes, and the allocation aborts the process, which no
//! `catch_unwind` can contain. This walks the same records first (the workbook stream of the
//! compound file, its `BoundSheet8` records, each sheet's cell records) and refuses a file
//! whose claims lie beyond the limits of the format or beyond what its size can hold.
//!
//! The report for upstream (calamine, `src/xls.rs`; not yet filed from here): "`Xls::new` aborts on a DIMENSIONS record whose
//! last row is below its first (`end.0 - start.0 + 1` underflows, then `cells.reserve` asks
//! for ~2^48 cells), and on cells at far-apart positions (`Range::from_sparse` allocates their
//! bounding box: a cell at column 65535 lays out 65,536 × 65,536 cells); minimal reproducers
//! (20 KB each) are `tests/fixtures/broken/dimension-underflow.xls` (515 GB requested) and
//! `far-apart-cells.xls` (137 GB) in ropa. Suggest `try_reserve` with a cap, rejecting
//! dimensions and cells beyond 65,536 × 256, and `Range::from_sparse` refusing a bounding box
//! far larger than its cells. Also, `parse_sheet_metadata` panics (index out of bounds) on a
//! BoundSheet8 record shorter than 6 bytes: `short-boundsheet.xls`." That panic needs no check
//! here: [`super::contain`] turns it into a diagnostic.

use super::workbook::cell_budget;
use std::io::Read;

/// The compound-file signature every `.xls` workbook starts with.
pub const SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The limits of the `.xls` format (BIFF8): 65,536 rows and 256 columns.
const MAX_ROWS: u64 = 65_536;
const MAX_COLUMNS: u64 = 256;

/// `Ok` when calamine can read the file within the limits; otherwise why not. A container
/// that cannot be checked is not handed on: calamine's own reader may be more lenient.
pub fn check(bytes: &[u8]) -> Result<(), String> {
    let mut container = cfb::CompoundFile::open(std::io::Cursor::new(bytes))
        .map_err(|e| format!("the compound file cannot be read ({e})"))?;
    let mut stream = Vec::new();
    let opened = ["/Workbook", "/Book"]
        .iter()
        .find(|name| container.is_stream(name))
        .map(|name| container.open_stream(name));
    match opened {
        Some(Ok(mut s)) => {
            // A stream longer than the file is a lie of the directory; read what is there.
            (&mut s)
                .take(bytes.len() as u64)
                .read_to_end(&mut stream)
                .map_err(|e| format!("the workbook stream cannot be read: {e}"))?;
        }
        Some(Err(e)) => return Err(format!("the workbook stream cannot be read: {e}")),
        None => return Ok(()),
    }
    let budget = cell_budget(bytes.len());
    let mut claimed: u64 = 0;
    for position in sheet_positions(&stream) {
        let Some(sheet) = stream.get(position..) else {
            return Err(format!(
                "a sheet is said to start at byte {position}, beyond the workbook stream's {} bytes",
                stream.len()
            ));
        };
        claimed = claimed.saturating_add(sheet_claim(sheet)?);
        if claimed > budget {
            return Err(format!(
                "its sheets span {claimed} cells from first to last, more than a file of {} bytes can hold ({budget} at most)",
                bytes.len()
            ));
        }
    }
    Ok(())
}

/// One BIFF record: its type and data (continuation records are separate; only the first bytes
/// of a record are read here).
struct Record<'a> {
    kind: u16,
    data: &'a [u8],
}

/// The records of a stream, as calamine splits them, up to the first malformed one.
fn records(mut stream: &[u8]) -> impl Iterator<Item = Record<'_>> {
    std::iter::from_fn(move || {
        let kind = u16::from_le_bytes([*stream.first()?, *stream.get(1)?]);
        let len = u16::from_le_bytes([*stream.get(2)?, *stream.get(3)?]) as usize;
        let data = stream.get(4..4 + len)?;
        stream = &stream[4 + len..];
        Some(Record { kind, data })
    })
}

fn u16_at(data: &[u8], at: usize) -> Option<u64> {
    Some(u16::from_le_bytes([*data.get(at)?, *data.get(at + 1)?]) as u64)
}

fn u32_at(data: &[u8], at: usize) -> Option<u64> {
    Some(u32::from_le_bytes(data.get(at..at + 4)?.try_into().ok()?) as u64)
}

/// Where the sheets start, from the globals' `BoundSheet8` records (until the globals' EOF).
fn sheet_positions(stream: &[u8]) -> Vec<usize> {
    let mut positions = Vec::new();
    for record in records(stream) {
        match record.kind {
            0x0085 => {
                if let Some(position) = u32_at(record.data, 0) {
                    positions.push(position as usize);
                }
            }
            0x000A => break,
            _ => {}
        }
    }
    positions
}

/// The cells calamine lays out for one sheet: what its `DIMENSIONS` record reserves plus the
/// bounding box of its cells (values and formulas), or why the sheet is beyond the limits.
fn sheet_claim(sheet: &[u8]) -> Result<u64, String> {
    let mut reserved: u64 = 0;
    let mut bounds: Option<(u64, u64, u64, u64)> = None;
    let mut include = |row: u64, first: u64, last: u64| -> Result<(), String> {
        if first > last || last >= MAX_COLUMNS {
            return Err(format!(
                "a cell lies in column {}, beyond the 256 columns of an .xls sheet",
                last.max(first) + 1
            ));
        }
        bounds = Some(match bounds {
            None => (row, row, first, last),
            Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(first), c1.max(last)),
        });
        Ok(())
    };
    let mut seen_bof = false;
    let mut depth = 0usize;
    for record in records(sheet) {
        if depth > 0 {
            match record.kind {
                0x0809 => depth += 1,
                0x000A => depth -= 1,
                _ => {}
            }
            continue;
        }
        let data = record.data;
        match record.kind {
            0x0809 if seen_bof => depth += 1,
            0x0809 => seen_bof = true,
            0x000A => break,
            0x0200 => reserved = reserved.saturating_add(dimensions(data)?),
            // Number, Label, RString, BoolErr, RK, LabelSst, Formula: row, column first.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                if let (Some(row), Some(column)) = (u16_at(data, 0), u16_at(data, 2)) {
                    include(row, column, column)?;
                }
            }
            // MulRk: row, first column, ..., last column.
            0x00BD if data.len() >= 6 => {
                if let (Some(row), Some(first), Some(last)) = (
                    u16_at(data, 0),
                    u16_at(data, 2),
                    u16_at(data, data.len() - 2),
                ) {
                    include(row, first, last)?;
                }
            }
            _ => {}
        }
    }
    let spanned = bounds.map_or(0, |(r0, r1, c0, c1)| (r1 - r0 + 1) * (c1 - c0 + 1));
    Ok(reserved.saturating_add(spanned))
}

/// The cells a `DIMENSIONS` record makes calamine reserve, read as calamine reads it, or why
/// it is beyond the limits.
fn dimensions(data: &[u8]) -> Result<u64, String> {
    let (first_row, last_row, first_column, last_column) = match data.len() {
        10 => (
            u16_at(data, 0),
            u16_at(data, 2),
            u16_at(data, 4),
            u16_at(data, 6),
        ),
        14 | 16 => (
            u32_at(data, 0),
            u32_at(data, 4),
            u16_at(data, 8),
            u16_at(data, 10),
        ),
        // calamine rejects other lengths with an error of its own.
        _ => return Ok(0),
    };
    let (Some(first_row), Some(last_row), Some(mut first_column), Some(last_column)) =
        (first_row, last_row, first_column, last_column)
    else {
        return Ok(0);
    };
    if first_column > 0xFF || last_column < first_column {
        first_column = 0;
    }
    if last_row == 0 || last_column == 0 {
        return Ok(1);
    }
    // Past-the-end values: the last row and column are one less.
    if last_row - 1 < first_row {
        return Err(format!(
            "its dimensions record ends at row {last_row}, before it starts at row {}",
            first_row + 1
        ));
    }
    if last_row > MAX_ROWS || last_column > MAX_COLUMNS {
        return Err(format!(
            "its dimensions record claims {last_row} rows and {last_column} columns, beyond the 65,536 rows and 256 columns of an .xls sheet"
        ));
    }
    Ok((last_row - first_row) * (last_column - first_column))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: u16, data: &[u8]) -> Vec<u8> {
        let mut bytes = kind.to_le_bytes().to_vec();
        bytes.extend((data.len() as u16).to_le_bytes());
        bytes.extend(data);
        bytes
    }

    fn dimensions_record(first_row: u32, last_row: u32, first_col: u16, last_col: u16) -> Vec<u8> {
        let mut data = first_row.to_le_bytes().to_vec();
        data.extend(last_row.to_le_bytes());
        data.extend(first_col.to_le_bytes());
        data.extend(last_col.to_le_bytes());
        data.extend([0, 0]);
        record(0x0200, &data)
    }

    fn number(row: u16, col: u16) -> Vec<u8> {
        let mut data = row.to_le_bytes().to_vec();
        data.extend(col.to_le_bytes());
        data.extend([0; 10]);
        record(0x0203, &data)
    }

    #[test]
    fn a_sheet_within_the_limits_claims_its_range() {
        let sheet = [
            record(0x0809, &[0; 16]),
            dimensions_record(0, 3, 0, 2),
            number(0, 0),
            number(2, 1),
            record(0x000A, &[]),
        ]
        .concat();
        assert_eq!(sheet_claim(&sheet), Ok(6 + 6));
    }

    #[test]
    fn dimensions_that_end_before_they_start_or_exceed_the_format_are_refused() {
        let underflow = dimensions_record(10, 5, 0, 2);
        assert!(
            sheet_claim(&underflow)
                .unwrap_err()
                .contains("before it starts")
        );
        let huge = dimensions_record(0, 1_048_576, 0, 16_384);
        assert!(
            sheet_claim(&huge)
                .unwrap_err()
                .contains("beyond the 65,536 rows")
        );
    }

    #[test]
    fn a_cell_beyond_column_iv_is_refused() {
        let sheet = [number(0, 0), number(1, 300)].concat();
        assert!(sheet_claim(&sheet).unwrap_err().contains("column 301"));
    }

    #[test]
    fn the_budget_grows_with_the_file() {
        assert!(cell_budget(100) < cell_budget(100_000));
        assert_eq!(cell_budget(0), 1_000_000);
    }
}
