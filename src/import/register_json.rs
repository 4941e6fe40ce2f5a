//! `register.json` as an input: the normalised register ropa wrote, read back as it was, with
//! its origins still pointing at the cells of the files it was first read from, and the
//! import diagnostics those files gave. The graph and the rules' findings in the file are not
//! read: they follow from the register and are worked out again.

use crate::diag::{Code, Diagnostic};
use crate::model::{Location, Register};
use serde::Deserialize;

/// The parts of the document that are read.
#[derive(Deserialize)]
struct Document {
    /// Present in every document ropa writes; its absence says the JSON is something else.
    #[allow(dead_code)]
    ropa_version: String,
    register: Register,
    #[serde(default)]
    diagnostics: Vec<Diagnostic>,
}

/// The register a `register.json` holds and the import diagnostics it records, or the
/// diagnostic saying why it cannot be read (at the line and column of the problem).
pub fn read_bytes(
    bytes: &[u8],
    shown: &str,
) -> Result<(Register, Vec<Diagnostic>), Box<Diagnostic>> {
    let document: Document = serde_json::from_slice(bytes).map_err(|e| {
        let location = Location::in_file(shown);
        let at = if e.line() > 0 {
            location
                .at_row(e.line() as u32)
                .at_column(e.column() as u32)
        } else {
            location
        };
        Box::new(
            Diagnostic::new(
                Code::UnreadableFile,
                format!("not a register document written by ropa: {e}"),
            )
            .at(at)
            .help("a register.json is read as ropa wrote it; rebuild it with `ropa build`"),
        )
    })?;
    let import = document
        .diagnostics
        .into_iter()
        .filter(|d| !d.code.is_rule())
        .collect();
    Ok((document.register, import))
}
