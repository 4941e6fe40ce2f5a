//! Outputs. Each exporter writes its files through [`write_atomic`], so a reader never sees a
//! half-written file and an interrupted run leaves the previous output intact.

pub mod changes;
pub mod diagrams;
pub mod feed;
pub mod html;
pub mod i18n;
pub mod json;
pub mod notice;
pub mod records;
pub mod register_json;
pub mod report;
pub mod sheet;
pub mod subprocessors;
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
    /// Writing a streamed file failed: only made inside [`write_streamed`], which turns it
    /// into a [`WriteError`] naming the file.
    #[error("cannot write")]
    Io(#[from] std::io::Error),
    #[error("cannot draw the diagram {0}")]
    Render(String),
    #[error("no activity has the id or name `{0}` (`ropa inspect` lists them)")]
    UnknownActivity(String),
    #[error(transparent)]
    Feed(#[from] feed::FeedError),
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

/// Markdown text that stays text: [`printable`], the punctuation that makes emphasis, links,
/// code, strike-through, headings, HTML (angle brackets, entities) and table cells escaped
/// with a backslash, line breaks as `<br>` (which keeps a table row on one line).
pub fn markdown_text(cell: &str) -> String {
    let cell = printable(cell);
    let chars: Vec<char> = cell.chars().collect();
    let mut out = String::with_capacity(cell.len());
    for (i, &c) in chars.iter().enumerate() {
        // `_` inside a word (`privacy_shield`) is no emphasis and stays as written.
        let inside_word = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric());
        let word_underscore = c == '_'
            && inside_word(i.checked_sub(1).and_then(|p| chars.get(p)))
            && inside_word(chars.get(i + 1));
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '&' | '~' | '#'
                if !word_underscore =>
            {
                out.push('\\');
                out.push(c);
            }
            '\r' => {}
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
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
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes).map_err(|e| file.error(e))?;
    file.commit()
}

/// Writes `path` atomically as [`write_atomic`] does, streaming: `fill` writes into a buffered
/// temporary file, so a large document (a register's JSON, a CSV table) never sits in memory
/// whole. Nothing is put in place when `fill` fails.
pub fn write_streamed(
    path: &Path,
    fill: impl FnOnce(&mut (dyn Write + Send)) -> Result<(), ExportError>,
) -> Result<PathBuf, ExportError> {
    let mut file = AtomicFile::create(path)?;
    match fill(&mut file) {
        Ok(()) => {}
        Err(ExportError::Io(source)) => return Err(file.error(source).into()),
        Err(other) => return Err(other),
    }
    file.commit()?;
    Ok(path.to_path_buf())
}

/// Saves a workbook to `path` atomically, streamed; a failed write names the file.
pub fn write_workbook(
    path: &Path,
    workbook: &mut rust_xlsxwriter::Workbook,
) -> Result<PathBuf, ExportError> {
    let mut file = AtomicFile::create(path)?;
    match workbook.save_to_writer(&mut file) {
        Ok(()) => {}
        Err(rust_xlsxwriter::XlsxError::IoError(source)) => {
            return Err(file.error(source).into());
        }
        Err(other) => return Err(other.into()),
    }
    file.commit()?;
    Ok(path.to_path_buf())
}

/// A file being written beside its place, buffered; [`AtomicFile::commit`] syncs it and renames
/// it into place, and dropping it uncommitted removes it.
struct AtomicFile {
    path: PathBuf,
    writer: std::io::BufWriter<tempfile::NamedTempFile>,
}

impl AtomicFile {
    fn create(path: &Path) -> Result<AtomicFile, WriteError> {
        let wrap = |source| WriteError {
            path: path.to_path_buf(),
            source,
        };
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(wrap)?;
        // Read-write for everyone the umask allows, as any other new file (a temporary file is
        // private by default, which an output folder shared with a team must not be).
        let mut builder = tempfile::Builder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let file = builder.tempfile_in(dir).map_err(wrap)?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            writer: std::io::BufWriter::with_capacity(1 << 16, file),
        })
    }

    fn error(&self, source: std::io::Error) -> WriteError {
        WriteError {
            path: self.path.clone(),
            source,
        }
    }

    fn commit(self) -> Result<(), WriteError> {
        let path = self.path.clone();
        let wrap = |source| WriteError {
            path: path.clone(),
            source,
        };
        let file = self.writer.into_inner().map_err(|e| wrap(e.into_error()))?;
        file.as_file().sync_all().map_err(wrap)?;
        file.persist(&path).map_err(|e| wrap(e.error))?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writer.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.writer.write_all(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.writer.flush()
    }
}

impl std::io::Seek for AtomicFile {
    fn seek(&mut self, pos: std::io::SeekFrom) -> std::io::Result<u64> {
        self.writer.seek(pos)
    }
}

/// A register's output folder, written aside and swapped in whole: files go into a hidden
/// sibling (`.NAME.ropa-new-…`), and [`FolderSwap::commit`] puts it in the folder's place. A
/// run killed at any moment leaves the previous folder, or the new one, complete; what it left
/// aside is cleaned up (or put back) by the next run.
pub struct FolderSwap {
    target: PathBuf,
    staging: tempfile::TempDir,
}

impl FolderSwap {
    /// Starts writing `target` aside. With `keep_existing`, the new folder starts as a copy of
    /// the old one (for runs that write only some outputs); otherwise it starts empty, so
    /// outputs the register no longer has disappear.
    pub fn begin(target: &Path, keep_existing: bool) -> Result<FolderSwap, WriteError> {
        let wrap = |source| WriteError {
            path: target.to_path_buf(),
            source,
        };
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        std::fs::create_dir_all(parent).map_err(|source| WriteError {
            path: parent.to_path_buf(),
            source,
        })?;
        Self::clean_up(parent, target, &name).map_err(wrap)?;
        let staging = tempfile::Builder::new()
            .prefix(&format!(".{name}.ropa-new-"))
            .tempdir_in(parent)
            .map_err(wrap)?;
        if keep_existing && target.is_dir() {
            copy_dir(target, staging.path()).map_err(wrap)?;
        }
        Ok(FolderSwap {
            target: target.to_path_buf(),
            staging,
        })
    }

    /// Where to write the files.
    pub fn path(&self) -> &Path {
        self.staging.path()
    }

    /// What an interrupted run left beside `target`: unfinished new folders are removed; an old
    /// folder set aside is put back when `target` is missing, else removed.
    fn clean_up(parent: &Path, target: &Path, name: &str) -> std::io::Result<()> {
        let new = format!(".{name}.ropa-new-");
        let old = format!(".{name}.ropa-old-");
        let Ok(entries) = std::fs::read_dir(parent) else {
            return Ok(());
        };
        for entry in entries.flatten() {
            let file_name = entry.file_name().to_string_lossy().into_owned();
            if file_name.starts_with(&new) {
                std::fs::remove_dir_all(entry.path())?;
            } else if file_name.starts_with(&old) {
                if target.exists() {
                    std::fs::remove_dir_all(entry.path())?;
                } else {
                    std::fs::rename(entry.path(), target)?;
                }
            }
        }
        Ok(())
    }

    /// Puts the new folder in the old one's place, and removes the old one.
    pub fn commit(self) -> Result<PathBuf, WriteError> {
        let target = self.target;
        let wrap = |source| WriteError {
            path: target.clone(),
            source,
        };
        let staging = self.staging.keep();
        if !target.exists() {
            std::fs::rename(&staging, &target).map_err(wrap)?;
            return Ok(target);
        }
        #[cfg(target_os = "linux")]
        if rustix::fs::renameat_with(
            rustix::fs::CWD,
            &staging,
            rustix::fs::CWD,
            &target,
            rustix::fs::RenameFlags::EXCHANGE,
        )
        .is_ok()
        {
            // `staging` now holds the old folder.
            std::fs::remove_dir_all(&staging).map_err(wrap)?;
            return Ok(target);
        }
        let name = staging
            .file_name()
            .map(|n| n.to_string_lossy().replace(".ropa-new-", ".ropa-old-"))
            .unwrap_or_default();
        let aside = staging.with_file_name(name);
        std::fs::rename(&target, &aside).map_err(wrap)?;
        std::fs::rename(&staging, &target).map_err(wrap)?;
        std::fs::remove_dir_all(&aside).map_err(wrap)?;
        Ok(target)
    }
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let destination = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            std::fs::create_dir_all(&destination)?;
            copy_dir(&entry.path(), &destination)?;
        } else {
            std::fs::copy(entry.path(), &destination)?;
        }
    }
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
    fn a_folder_swap_replaces_the_whole_folder_or_keeps_it() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("register");
        write_atomic(&target.join("stale.txt"), b"old").unwrap();
        write_atomic(&target.join("kept.txt"), b"old").unwrap();
        // Everything anew: the stale file goes.
        let swap = FolderSwap::begin(&target, false).unwrap();
        write_atomic(&swap.path().join("kept.txt"), b"new").unwrap();
        assert_eq!(std::fs::read(target.join("stale.txt")).unwrap(), b"old");
        swap.commit().unwrap();
        assert!(!target.join("stale.txt").exists());
        assert_eq!(std::fs::read(target.join("kept.txt")).unwrap(), b"new");
        // Some outputs only: the others stay.
        let swap = FolderSwap::begin(&target, true).unwrap();
        write_atomic(&swap.path().join("more.txt"), b"more").unwrap();
        swap.commit().unwrap();
        assert_eq!(std::fs::read(target.join("kept.txt")).unwrap(), b"new");
        assert_eq!(std::fs::read(target.join("more.txt")).unwrap(), b"more");
        // Abandoned: the folder is as it was, nothing is left beside it.
        let swap = FolderSwap::begin(&target, false).unwrap();
        write_atomic(&swap.path().join("x.txt"), b"x").unwrap();
        drop(swap);
        assert!(target.join("more.txt").exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn an_old_folder_left_aside_is_put_back() {
        let dir = tempfile::tempdir().unwrap();
        let aside = dir.path().join(".register.ropa-old-123");
        write_atomic(&aside.join("a.txt"), b"old").unwrap();
        write_atomic(&dir.path().join(".register.ropa-new-456/b.txt"), b"half").unwrap();
        let target = dir.path().join("register");
        let swap = FolderSwap::begin(&target, true).unwrap();
        assert_eq!(std::fs::read(target.join("a.txt")).unwrap(), b"old");
        assert!(swap.path().join("a.txt").exists());
        drop(swap);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
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

    #[cfg(unix)]
    #[test]
    fn written_files_have_the_mode_of_any_new_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("plain.txt");
        std::fs::write(&plain, b"x").unwrap();
        let written = dir.path().join("written.txt");
        write_atomic(&written, b"x").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&written), mode(&plain));
    }
}
