//! Reading registers: files and folders → raw tables → recognised tables → entities → one
//! merged, linked [`Register`] plus diagnostics.

pub mod delimited;
pub mod layout;
pub mod link;
pub mod markdown;
pub mod meaning;
pub mod merge;
pub mod recognise;
pub mod rows;
pub mod subprocessors_json;
pub mod table;
pub mod values;
pub mod workbook;

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
    let mut files = Vec::new();
    let mut pending = vec![path.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|source| ImportError::ListFolder {
            path: shown(&dir),
            source,
        })?;
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for entry in entries {
            if entry.is_dir() {
                pending.push(entry);
            } else {
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
            .at(Location::file(shown(path))),
        );
    }
    Ok(files)
}

/// Reads the raw tables of one file.
fn read_file(path: &Path, explicit: bool, diagnostics: &mut Vec<Diagnostic>) -> Vec<RawTable> {
    let name = shown(path);
    match file_kind(path) {
        FileKind::Workbook => workbook::read(path, &name, diagnostics),
        FileKind::Csv => delimited::read(path, &name, diagnostics)
            .into_iter()
            .collect(),
        FileKind::Markdown => markdown::read(path, &name, diagnostics)
            .into_iter()
            .collect(),
        FileKind::Ignored if !explicit => Vec::new(),
        // Read apart (see `load_with`); other JSON in a folder is not part of the register.
        FileKind::Json if !explicit => Vec::new(),
        FileKind::Ignored | FileKind::Json | FileKind::Unsupported => {
            let mut d = Diagnostic::new(
                Code::UnsupportedFileType,
                "ropa reads .xlsx, .xlsm, .xlsb, .xls, .ods, .csv, .tsv and .md files, and the subprocessors.json it writes",
            )
            .at(Location::file(name));
            if !explicit {
                d = d
                    .severity(Severity::Info)
                    .help("skipped; move it out of the register's folder to silence this");
            }
            diagnostics.push(d);
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
    let mut parsed = rows::Parsed::default();
    let mut tables = Vec::new();
    let mut sources = Vec::new();
    let mut unread: Vec<String> = Vec::new();
    for input in inputs {
        sources.push(shown(input));
        let explicit_file = input.is_file();
        for file in files_of(input, &mut diagnostics)? {
            if file_kind(&file) == FileKind::Json
                && std::fs::read_to_string(&file).is_ok_and(|t| subprocessors_json::is_list(&t))
            {
                subprocessors_json::read(
                    &file,
                    &shown(&file),
                    &mut parsed,
                    &mut tables,
                    &mut diagnostics,
                );
                continue;
            }
            for raw in read_file(&file, explicit_file, &mut diagnostics) {
                read_raw_table(
                    &raw,
                    &mut parsed,
                    &mut tables,
                    &mut unread,
                    &mut diagnostics,
                );
            }
        }
    }
    if parsed.activities.is_empty() && parsed.processors.is_empty() {
        let mut d = Diagnostic::new(
            Code::NothingRead,
            "no processing activity and no processor could be read: ropa has nothing to judge, and no report from it is an all-clear",
        )
        .at(Location::file(sources.join(", ")));
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
                .at(Location::file(register.sources.join(", ")))
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
    activities.extend(parsed.activities);
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
    Ok(Imported {
        register,
        diagnostics,
    })
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
        let list = words.entry(category.id()).or_default();
        if !list.contains(&category.text) {
            list.push(category.text.clone());
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
    let what = if raw.location.sheet.is_some() {
        "sheet"
    } else {
        "file"
    };
    if raw.rows.is_empty() {
        // An empty sheet beside others is normal; an empty file is not.
        let severity = if raw.location.sheet.is_some() {
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
