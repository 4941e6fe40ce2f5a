//! Which registers a command line names, and the pipeline that reads one.

use crate::diag::Diagnostic;
use crate::graph::{self, FlowGraph};
use crate::import::{self, FileKind, file_kind};
use crate::model::Register;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// One register to build: a name for its outputs and the inputs it is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterInput {
    pub name: String,
    pub paths: Vec<PathBuf>,
}

/// A register read and turned into its graph.
pub struct Loaded {
    pub register: Register,
    pub graph: FlowGraph,
    pub diagnostics: Vec<Diagnostic>,
}

/// Imports a register and builds its graph.
pub fn load(input: &RegisterInput, overrides: &import::Overrides) -> Result<Loaded> {
    let imported = import::load_with(&input.name, &input.paths, overrides)
        .with_context(|| format!("reading register `{}`", input.name))?;
    let graph = graph::build(&imported.register);
    Ok(Loaded {
        register: imported.register,
        graph,
        diagnostics: imported.diagnostics,
    })
}

fn stem(path: &Path) -> String {
    // `outputs/dyflexis/register.json` is the register `dyflexis`.
    if file_kind(path) == FileKind::RegisterJson
        && let Some(lower) = path.file_name().map(|n| n.to_string_lossy().to_lowercase())
        && lower == "register.json"
    {
        return path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(stem)
            .unwrap_or_else(|| "register".to_string());
    }
    let name = if path.is_dir() {
        path.file_name()
    } else {
        path.file_stem()
    };
    name.map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.is_empty() && n != "." && n != "..")
        .unwrap_or_else(|| "register".to_string())
}

/// A folder is a collection of registers when it holds workbooks or sub-folders; a folder of
/// CSV files only is one register.
fn is_collection(dir: &Path) -> Result<bool> {
    let entries = std::fs::read_dir(dir).with_context(|| format!("listing `{}`", dir.display()))?;
    let mut collection = false;
    for entry in entries.flatten() {
        let path = entry.path();
        match file_kind(&path) {
            // A folder with a register document is that register (an output folder, say).
            FileKind::RegisterJson => return Ok(false),
            FileKind::Workbook => collection = true,
            _ if path.is_dir() => collection = true,
            _ => {}
        }
    }
    Ok(collection)
}

/// The registers a `build` command line names, in a stable order with unique names.
pub fn for_build(inputs: &[PathBuf]) -> Result<Vec<RegisterInput>> {
    let mut registers: Vec<RegisterInput> = Vec::new();
    for input in inputs {
        if !input.exists() {
            anyhow::bail!("input `{}` does not exist", input.display());
        }
        if input.is_dir() && is_collection(input)? {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(input)
                .with_context(|| format!("listing `{}`", input.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.is_dir()
                        || matches!(
                            file_kind(p),
                            FileKind::Workbook
                                | FileKind::Csv
                                | FileKind::Markdown
                                | FileKind::RegisterJson
                        )
                })
                .collect();
            entries.sort();
            for entry in entries {
                registers.push(RegisterInput {
                    name: stem(&entry),
                    paths: vec![entry],
                });
            }
        } else {
            registers.push(RegisterInput {
                name: stem(input),
                paths: vec![input.clone()],
            });
        }
    }
    // Two inputs with one stem (a.xlsx and a/) must not overwrite each other's outputs.
    let mut seen = std::collections::HashMap::<String, usize>::new();
    for register in &mut registers {
        let count = seen.entry(register.name.clone()).or_default();
        *count += 1;
        if *count > 1 {
            register.name = format!("{}-{}", register.name, count);
        }
    }
    Ok(registers)
}

/// The one register an `inspect` command line names: all inputs merged.
pub fn for_inspect(inputs: &[PathBuf]) -> RegisterInput {
    RegisterInput {
        name: inputs.first().map(|p| stem(p)).unwrap_or_default(),
        paths: inputs.to_vec(),
    }
}
