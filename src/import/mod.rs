//! Reading registers: files and folders → raw tables → recognised tables → entities → one
//! merged, linked [`Register`] plus diagnostics.

pub mod contain;
pub mod delimited;
pub mod layout;
pub mod link;
pub mod markdown;
pub mod meaning;
pub mod merge;
mod ods_limits;
pub mod recognise;
pub mod register_json;
pub mod rows;
pub mod subprocessors_json;
pub mod table;
pub mod values;
pub mod workbook;
mod xls_limits;

use crate::diag::{self, Code, Diagnostic, Severity};
use crate::model::{Location, Organisation, Register};
use std::path::{Path, PathBuf};
use table::RawTable;
use thiserror::Error;

/// Problems that stop an import before it starts. Everything else is a diagnostic.
#[derive(Debug, Error)]
pub enum ImportError {
    /// An input path does not exist.
    #[error("input `{0}` does not exist")]
    NotFound(String),
    /// `--country` names no country.
    #[error("`{0}` is not a country ropa knows; give an ISO code such as NL or a country name")]
    UnknownCountry(String),
    /// A folder could not be listed.
    #[error("cannot list the folder `{path}`")]
    ListFolder {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// What a file is, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Workbook,
    Csv,
    /// Markdown with pipe tables or lists, as sub-processor lists are published.
    Markdown,
    /// JSON: read when it is a sub-processor list ropa wrote (`subprocessors.json`).
    Json,
    /// A register ropa wrote (`register.json`, `NAME.register.json`): a whole register.
    RegisterJson,
    /// Documentation and the like, skipped silently inside folders.
    Ignored,
    Unsupported,
}

/// Classifies a file by extension. Hidden files and Office lock files (`~$x.xlsx`) are
/// ignored.
pub fn file_kind(path: &Path) -> FileKind {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name.starts_with('.') || name.starts_with("~$") {
        return FileKind::Ignored;
    }
    // A folder's documentation is not part of its register.
    let upper = name.to_ascii_uppercase();
    if ["README", "CHANGELOG", "LICENSE", "CONTRIBUTING"]
        .iter()
        .any(|doc| upper.starts_with(doc))
    {
        return FileKind::Ignored;
    }
    let lower = name.to_lowercase();
    if lower == "register.json" || lower.ends_with(".register.json") {
        return FileKind::RegisterJson;
    }
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => FileKind::Workbook,
        "csv" | "tsv" => FileKind::Csv,
        "md" | "markdown" => FileKind::Markdown,
        "json" => FileKind::Json,
        "txt" | "pdf" | "toml" => FileKind::Ignored,
        _ => FileKind::Unsupported,
    }
}

/// A register read from its inputs, with everything ropa had to say about them.
#[derive(Debug)]
pub struct Imported {
    pub register: Register,
    pub diagnostics: Vec<Diagnostic>,
}

/// The path as the user wrote it, with `/` separators, for locations.
fn shown(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The files an input stands for: the file itself, or a folder's files (recursively, sorted).
fn files_of(path: &Path, diagnostics: &mut Vec<Diagnostic>) -> Result<Vec<PathBuf>, ImportError> {
    if !path.exists() {
        return Err(ImportError::NotFound(shown(path)));
    }
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    if !path.is_dir() {
        // A pipe or a device: reading it could block forever.
        diagnostics.push(
            Diagnostic::new(
                Code::UnreadableFile,
                "not a regular file or folder (a pipe or a device, say); not read",
            )
            .at(Location::in_file(shown(path))),
        );
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    let mut pending = vec![path.to_path_buf()];
    // A symbolic link back up the tree must not read the same files again and again.
    let mut visited = std::collections::HashSet::new();
    while let Some(dir) = pending.pop() {
        if !visited.insert(dir.canonicalize().unwrap_or_else(|_| dir.clone())) {
            continue;
        }
        let entries = std::fs::read_dir(&dir).map_err(|source| ImportError::ListFolder {
            path: shown(&dir),
            source,
        })?;
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for entry in entries {
            if entry.is_dir() {
                pending.push(entry);
            } else if entry.is_file() {
                files.push(entry);
            }
        }
    }
    files.sort();
    if files.iter().all(|f| file_kind(f) == FileKind::Ignored) {
        diagnostics.push(
            Diagnostic::new(
                Code::EmptyInput,
                "the folder holds no workbook, CSV or Markdown file",
            )
            .severity(Severity::Error)
            .at(Location::in_file(shown(path))),
        );
    }
    Ok(files)
}

/// Says that a file of this kind is not read: an error for a file given by name, an info for
/// one in a register's folder (where documentation, other JSON and the like are skipped
/// silently).
fn not_read(kind: FileKind, explicit: bool, name: String, diagnostics: &mut Vec<Diagnostic>) {
    if !explicit
        && matches!(
            kind,
            FileKind::Ignored | FileKind::Json | FileKind::RegisterJson
        )
    {
        return;
    }
    let mut d = Diagnostic::new(
        Code::UnsupportedFileType,
        "ropa reads .xlsx, .xlsm, .xlsb, .xls, .ods, .csv, .tsv and .md files, and the subprocessors.json it writes",
    )
    .at(Location::in_file(name));
    if !explicit {
        d = d
            .severity(Severity::Info)
            .help("skipped; move it out of the register's folder to silence this");
    }
    diagnostics.push(d);
}

/// Reads the raw tables of a file's bytes, touching no file: `shown` names the file in
/// diagnostics and its stem names the table. Kinds that hold no tables give none.
pub fn read_bytes(
    kind: FileKind,
    bytes: &[u8],
    shown: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<RawTable> {
    match kind {
        FileKind::Workbook => workbook::read_bytes(bytes, shown, diagnostics),
        FileKind::Csv => delimited::read_bytes(bytes, shown, diagnostics)
            .into_iter()
            .collect(),
        FileKind::Markdown => markdown::read_bytes(bytes, shown, diagnostics)
            .into_iter()
            .collect(),
        // A sub-processor list is read apart, into the parsed entities (`Reading::add_bytes`).
        FileKind::Ignored | FileKind::Json | FileKind::Unsupported | FileKind::RegisterJson => {
            Vec::new()
        }
    }
}

/// What the command line says about the organisation, for registers whose files do not.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// The organisation's name, used when the register has no organisation table.
    pub organisation: Option<String>,
    /// The organisation's country (code or name), used when the register gives none.
    pub country: Option<String>,
}

/// Reads one register from one or more inputs (files or folders), merging them.
pub fn load(name: &str, inputs: &[PathBuf]) -> Result<Imported, ImportError> {
    load_with(name, inputs, &Overrides::default())
}

/// [`load`], with the organisation's details filled in from the command line where the
/// register lacks them.
pub fn load_with(
    name: &str,
    inputs: &[PathBuf],
    overrides: &Overrides,
) -> Result<Imported, ImportError> {
    let override_country = match &overrides.country {
        None => None,
        Some(text) => Some(
            crate::vocabulary::places::index()
                .lookup(text)
                .ok_or_else(|| ImportError::UnknownCountry(text.clone()))?,
        ),
    };
    let mut diagnostics = Vec::new();
    let mut reading = Reading::default();
    let mut files = Vec::new();
    for input in inputs {
        reading.sources.push(shown(input));
        let explicit_file = input.is_file();
        for file in files_of(input, &mut diagnostics)? {
            files.push((file, explicit_file));
        }
    }
    if let Some((document, _)) = files
        .iter()
        .find(|(file, _)| file_kind(file) == FileKind::RegisterJson)
    {
        let shown_document = shown(document);
        let others: Vec<String> = files
            .iter()
            .filter(|(file, _)| file != document)
            .filter(|(file, _)| {
                matches!(
                    file_kind(file),
                    FileKind::Workbook
                        | FileKind::Csv
                        | FileKind::Markdown
                        | FileKind::RegisterJson
                )
            })
            .map(|(file, _)| shown(file))
            .collect();
        let bytes = std::fs::read(document);
        let bytes = match bytes {
            Ok(bytes) => bytes,
            Err(e) => {
                diagnostics.push(
                    Diagnostic::new(Code::UnreadableFile, format!("cannot read the file: {e}"))
                        .at(Location::in_file(shown_document.as_str())),
                );
                Vec::new()
            }
        };
        return Ok(from_document(
            name,
            &shown_document,
            &bytes,
            &others,
            diagnostics,
        ));
    }
    for (file, explicit_file) in &files {
        reading.read_file(file, *explicit_file, &mut diagnostics);
    }
    Ok(assemble(
        name,
        reading,
        override_country,
        overrides,
        diagnostics,
    ))
}

/// A register read whole from a register document; `others` are the register's other inputs,
/// which are not merged into it.
fn from_document(
    name: &str,
    shown_document: &str,
    bytes: &[u8],
    others: &[String],
    mut diagnostics: Vec<Diagnostic>,
) -> Imported {
    for other in others {
        diagnostics.push(
            Diagnostic::new(
                Code::BesideRegisterDocument,
                format!("not read: the register is read whole from `{shown_document}`"),
            )
            .at(Location::in_file(other.as_str()))
            .help("give a register.json on its own; ropa does not merge it with other inputs"),
        );
    }
    let register = match register_json::read_bytes(bytes, shown_document) {
        Ok((register, recorded)) => {
            diagnostics.extend(recorded);
            register
        }
        Err(unreadable) => {
            diagnostics.push(*unreadable);
            Register {
                name: name.to_string(),
                sources: vec![shown_document.to_string()],
                ..Register::default()
            }
        }
    };
    diag::sort(&mut diagnostics);
    Imported {
        register,
        diagnostics,
    }
}

/// Reads one register from files given as bytes (name as shown, bytes), touching no file:
/// what the fuzzers and other embedders use. Each file's kind follows its name's extension.
pub fn load_bytes(name: &str, files: &[(&str, &[u8])]) -> Imported {
    let mut diagnostics = Vec::new();
    if let Some((document, bytes)) = files
        .iter()
        .find(|(shown, _)| file_kind(Path::new(shown)) == FileKind::RegisterJson)
    {
        let others: Vec<String> = files
            .iter()
            .filter(|(shown, _)| shown != document)
            .map(|(shown, _)| shown.to_string())
            .collect();
        return from_document(name, document, bytes, &others, diagnostics);
    }
    let mut reading = Reading::default();
    for (shown, bytes) in files {
        reading.sources.push(shown.to_string());
        reading.add_bytes(file_kind(Path::new(shown)), bytes, shown, &mut diagnostics);
    }
    assemble(name, reading, None, &Overrides::default(), diagnostics)
}

/// What the tables of a register's files gave, before merging and linking.
#[derive(Default)]
struct Reading {
    parsed: rows::Parsed,
    tables: Vec<crate::model::TableStats>,
    sources: Vec<String>,
    unread: Vec<String>,
}

impl Reading {
    fn add(&mut self, raw: &RawTable, diagnostics: &mut Vec<Diagnostic>) {
        read_raw_table(
            raw,
            &mut self.parsed,
            &mut self.tables,
            &mut self.unread,
            diagnostics,
        );
    }

    /// Reads one file into the register, once; says so when its kind is not read.
    fn read_file(&mut self, path: &Path, explicit: bool, diagnostics: &mut Vec<Diagnostic>) {
        let name = shown(path);
        let kind = file_kind(path);
        if !matches!(
            kind,
            FileKind::Workbook | FileKind::Csv | FileKind::Markdown | FileKind::Json
        ) {
            return not_read(kind, explicit, name, diagnostics);
        }
        match std::fs::read(path) {
            Ok(bytes) => {
                if !self.add_bytes(kind, &bytes, &name, diagnostics) {
                    not_read(kind, explicit, name, diagnostics);
                }
            }
            Err(e) => diagnostics.push(
                Diagnostic::new(Code::UnreadableFile, format!("cannot read the file: {e}"))
                    .at(Location::in_file(name)),
            ),
        }
    }

    /// Reads a file's bytes into the register: its tables, or the sub-processor list ropa
    /// wrote when it is one. `false` when the bytes are JSON but no such list.
    fn add_bytes(
        &mut self,
        kind: FileKind,
        bytes: &[u8],
        shown: &str,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> bool {
        if kind == FileKind::Json {
            let Some(text) = std::str::from_utf8(bytes)
                .ok()
                .filter(|t| subprocessors_json::is_list(t))
            else {
                return false;
            };
            subprocessors_json::read_text(
                text,
                shown,
                &mut self.parsed,
                &mut self.tables,
                diagnostics,
            );
            return true;
        }
        // Each table is read on whichever core is free, and what it gives is kept in table
        // order, so the register does not depend on the schedule.
        use rayon::prelude::*;
        let layout = |raw: RawTable| {
            let mut read = Reading::default();
            let mut found = Vec::new();
            read.add(&raw, &mut found);
            (read, found)
        };
        let read: Vec<(Reading, Vec<Diagnostic>)> = match kind {
            // A workbook's sheets are laid out as each is read.
            FileKind::Workbook => workbook::read_bytes_then(bytes, shown, diagnostics, &layout),
            _ => read_bytes(kind, bytes, shown, diagnostics)
                .into_par_iter()
                .map(layout)
                .collect(),
        };
        for (read, found) in read {
            self.parsed.append(read.parsed);
            self.tables.extend(read.tables);
            self.unread.extend(read.unread);
            diagnostics.extend(found);
        }
        true
    }
}

/// Merges, links and sorts what was read into the register.
fn assemble(
    name: &str,
    reading: Reading,
    override_country: Option<crate::model::Place>,
    overrides: &Overrides,
    mut diagnostics: Vec<Diagnostic>,
) -> Imported {
    let Reading {
        mut parsed,
        mut tables,
        sources,
        unread,
    } = reading;
    if parsed.activities.is_empty() && parsed.processors.is_empty() {
        let mut d = Diagnostic::new(
            Code::NothingRead,
            "no processing activity and no processor could be read: ropa has nothing to judge, and no report from it is an all-clear",
        )
        .at(Location::in_file(sources.join(", ")));
        d = if unread.is_empty() {
            d.help("see docs/register-format.md for the tables ropa reads and their headings")
        } else {
            d.help(format!(
                "headings found: {}; see docs/register-format.md for the headings ropa reads",
                unread.join("; ")
            ))
        };
        diagnostics.push(d);
    }
    let mut register = Register {
        name: name.to_string(),
        sources,
        ..Register::default()
    };
    register.organisation = match merge::organisations(parsed.organisations, &mut diagnostics) {
        Some(organisation) => {
            if let Some(given) = &overrides.organisation
                && crate::model::key::name_key(given)
                    != crate::model::key::name_key(&organisation.name)
            {
                let mut d = Diagnostic::new(
                    Code::ConflictingDuplicate,
                    format!(
                        "the register names the organisation `{}`, the command line `{given}`; the register's name is used",
                        organisation.name
                    ),
                );
                if let Some(origin) = &organisation.origin {
                    d = d.at(origin.cell("name"));
                }
                diagnostics.push(d);
            }
            organisation
        }
        None if overrides.organisation.is_some() => Organisation {
            name: overrides.organisation.clone().unwrap_or_default(),
            ..Organisation::default()
        },
        None => {
            diagnostics.push(
                Diagnostic::new(
                    Code::MissingOrganisation,
                    format!("no organisation table; the organisation is called `{name}` for now"),
                )
                .at(Location::in_file(register.sources.join(", ")))
                .help("add a sheet `Organisation` with the keys name, role, country, address, email, dpo"),
            );
            Organisation {
                name: name.to_string(),
                ..Organisation::default()
            }
        }
    };
    for contact in parsed.contacts.drain(..) {
        let slot = match contact.field {
            "dpo" => &mut register.organisation.dpo,
            _ => &mut register.organisation.representative,
        };
        match slot {
            None => *slot = Some(contact.text),
            Some(existing)
                if crate::model::key::fold(existing) != crate::model::key::fold(&contact.text) =>
            {
                diagnostics.push(
                    Diagnostic::new(
                        Code::ConflictingDuplicate,
                        format!(
                            "the organisation's {} is given again as `{}`; `{existing}` is kept",
                            contact.field, contact.text
                        ),
                    )
                    .at(contact.at),
                );
            }
            Some(_) => {}
        }
    }
    if register.organisation.country.is_none() {
        register.organisation.country = override_country;
    }
    if register.organisation.country.is_none()
        && let Some(origin) = &register.organisation.origin
    {
        diagnostics.push(
            Diagnostic::new(
                Code::MissingRequiredValue,
                format!(
                    "the country of the organisation `{}` is not recorded",
                    register.organisation.name
                ),
            )
            .at(origin.row.clone())
            .help("add a country line or column, or pass --country"),
        );
    }
    let mut activities = parsed.block_activities;
    rows::join(&mut activities, parsed.activities);
    register.activities = merge::dedupe(activities, "activity", &mut tables, &mut diagnostics);
    register.systems = merge::dedupe(parsed.systems, "system", &mut tables, &mut diagnostics);
    register.processors = merge::dedupe(
        parsed.processors,
        "processor",
        &mut tables,
        &mut diagnostics,
    );
    register.customers = merge::dedupe(parsed.customers, "customer", &mut tables, &mut diagnostics);
    register.flows = parsed.flows;
    register.tables = tables;
    link::link(&mut register, &mut diagnostics);
    register.categories = category_words(&register);

    register.activities.sort_by(|a, b| a.key.cmp(&b.key));
    register.systems.sort_by(|a, b| a.key.cmp(&b.key));
    register.processors.sort_by(|a, b| a.key.cmp(&b.key));
    register.customers.sort_by(|a, b| a.key.cmp(&b.key));
    diag::sort(&mut diagnostics);
    Imported {
        register,
        diagnostics,
    }
}

/// Every data category's identity and the wordings the register uses for it, in the order
/// they first appear.
fn category_words(register: &Register) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut words: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    let all = register
        .activities
        .iter()
        .flat_map(|a| &a.data_categories)
        .chain(register.systems.iter().flat_map(|s| &s.data_categories))
        .chain(register.processors.iter().flat_map(|p| &p.data_categories))
        .chain(register.flows.iter().flat_map(|f| &f.data_categories));
    for category in all {
        let list = words.entry(category.id().into()).or_default();
        if !list.iter().any(|t| *t == category.text) {
            list.push(category.text.to_string());
        }
    }
    words
}

fn read_raw_table(
    raw: &RawTable,
    parsed: &mut rows::Parsed,
    tables: &mut Vec<crate::model::TableStats>,
    unread: &mut Vec<String>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let what = if raw.location.sheet().is_some() {
        "sheet"
    } else {
        "file"
    };
    if raw.rows.is_empty() {
        // An empty sheet beside others is normal; an empty file is not.
        let severity = if raw.location.sheet().is_some() {
            Severity::Info
        } else {
            Severity::Error
        };
        diagnostics.push(
            Diagnostic::new(
                Code::EmptyInput,
                format!("the {what} `{}` is empty", raw.name),
            )
            .at(raw.location.clone())
            .severity(severity),
        );
        return;
    }
    let named = crate::vocabulary::headings::named(&raw.name);
    if named == Some(crate::vocabulary::headings::NamedAs::Instructions) {
        diagnostics.push(
            Diagnostic::new(
                Code::SkippedSheet,
                format!(
                    "the {what} `{}` holds instructions or value lists, not register entries; skipped",
                    raw.name
                ),
            )
            .at(raw.location.clone()),
        );
        return;
    }
    let layout = layout::segment(raw, named);
    if layout.tables.is_empty() && layout.blocks.is_empty() {
        if layout.unrecognised.is_empty() {
            diagnostics.push(
                Diagnostic::new(
                    Code::SkippedSheet,
                    format!(
                        "the {what} `{}` holds only lines of text, no table; skipped",
                        raw.name
                    ),
                )
                .at(raw.location.clone()),
            );
        }
        for region in &layout.unrecognised {
            let first = &raw.rows[region.rows[0]];
            let headings: Vec<String> = first
                .filled()
                .filter_map(|i| first.get(i).text())
                .map(|h| format!("`{h}`"))
                .collect();
            unread.push(format!("{} ({})", raw.name, headings.join(", ")));
        }
    }
    rows::read_layout(raw, &layout, parsed, tables, diagnostics);
}
