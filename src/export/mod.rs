//! Outputs. Each exporter writes its files through [`write_atomic`], so a reader never sees a
//! half-written file and an interrupted run leaves the previous output intact.

pub mod diagrams;
pub mod i18n;
pub mod records;
pub mod register_json;
pub mod sheet;
pub mod transfers;

pub use crate::model::text::printable;
use chrono::Datelike;
use std::io::Write;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// A file could not be written.
#[derive(Debug, Error)]
#[error("cannot write `{path}`")]
pub struct WriteError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

/// Anything that can go wrong while exporting.
#[derive(Debug, Error)]
pub enum ExportError {
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error("cannot build the workbook")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("cannot write CSV")]
    Csv(#[from] csv::Error),
    #[error("cannot write JSON")]
    Json(#[from] serde_json::Error),
    #[error("cannot draw the diagram {0}")]
    Render(String),
}

/// A CSV cell that a spreadsheet will not run as a formula: text starting with `=`, `+`, `-`,
/// `@`, tab or carriage return gets a leading apostrophe, which spreadsheets hide. Control
/// characters and bidi overrides are shown as `�` ([`printable`]).
pub fn safe_csv(cell: &str) -> String {
    let cell = printable(cell);
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.into_owned()
    }
}

/// Document properties with a fixed creation time (the evaluation date), so the same register
/// gives the same bytes.
pub fn workbook_properties(
    title: &str,
    organisation: &str,
    lang: i18n::Lang,
    date: chrono::NaiveDate,
) -> Result<rust_xlsxwriter::DocProperties, rust_xlsxwriter::XlsxError> {
    Ok(rust_xlsxwriter::DocProperties::new()
        .set_title(title)
        .set_company(organisation)
        .set_author("ropa")
        .set_comment(format!("language: {}", lang.code()))
        .set_creation_datetime(&rust_xlsxwriter::ExcelDateTime::from_ymd(
            date.year() as u16,
            date.month() as u8,
            date.day() as u8,
        )?))
}

/// Writes several files into `dir`, each atomically, returning their paths in order.
pub fn write_files(dir: &Path, files: Vec<(String, Vec<u8>)>) -> Result<Vec<PathBuf>, WriteError> {
    let mut written = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let path = dir.join(name);
        write_atomic(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}

/// Writes `bytes` to `path` by writing a temporary file beside it and renaming it into place.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let wrap = |source| WriteError {
        path: path.to_path_buf(),
        source,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(wrap)?;
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(wrap)?;
    file.write_all(bytes).map_err(wrap)?;
    file.as_file().sync_all().map_err(wrap)?;
    file.persist(path).map_err(|e| wrap(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_that_look_like_formulas_stay_text() {
        assert_eq!(safe_csv("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe_csv("+49 30 1234"), "'+49 30 1234");
        assert_eq!(safe_csv("-1"), "'-1");
        assert_eq!(safe_csv("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe_csv("\tx"), "'\tx");
        assert_eq!(safe_csv("Postmark"), "Postmark");
    }

    #[test]
    fn atomic_writes_replace_whole_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b.txt");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(
            std::fs::read_dir(dir.path().join("a")).unwrap().count(),
            1,
            "no temp files left"
        );
    }
}
