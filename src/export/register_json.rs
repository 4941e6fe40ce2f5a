//! The normalised register as JSON: every entity with its origin, the table counts, the flow
//! graph and what the import said about the files. Other tools can read it instead of the
//! spreadsheets, and ropa reads it back as a register. The rules' findings are counted, not
//! listed: they are judged again from the register on every read, and listed in
//! `diagnostics.txt` and by `ropa check --format json` (listing them here too made the document
//! of a 10,000-activity register an eighth larger).

use crate::diag::{Counts, Diagnostic};
use crate::graph::{FlowGraph, GraphSummary};
use crate::model::Register;
use crate::reference;
use serde::Serialize;

#[derive(Serialize)]
struct Document<'a> {
    ropa_version: &'static str,
    reference_data_as_of: &'static str,
    register: &'a Register,
    graph: GraphSummary<'a>,
    /// Every finding, the rules' included.
    diagnostic_counts: Counts,
    /// What the import said about the files.
    diagnostics: Vec<&'a Diagnostic>,
}

fn document<'a>(
    register: &'a Register,
    graph: &'a FlowGraph,
    diagnostics: &'a [Diagnostic],
) -> Document<'a> {
    Document {
        ropa_version: env!("CARGO_PKG_VERSION"),
        reference_data_as_of: reference::AS_OF,
        register,
        graph: graph.summary(),
        diagnostic_counts: Counts::of(diagnostics),
        diagnostics: diagnostics.iter().filter(|d| !d.code.is_rule()).collect(),
    }
}

/// The register document, one record per line, ending in a newline.
pub fn to_json(
    register: &Register,
    graph: &FlowGraph,
    diagnostics: &[Diagnostic],
) -> Result<String, serde_json::Error> {
    super::json::to_string(&document(register, graph, diagnostics))
}

/// Writes the register document as [`to_json`] makes it to `path`, streamed.
pub fn write(
    path: &std::path::Path,
    register: &Register,
    graph: &FlowGraph,
    diagnostics: &[Diagnostic],
) -> Result<std::path::PathBuf, super::ExportError> {
    super::write_streamed(path, |out| {
        super::json::stream(out, &document(register, graph, diagnostics))
    })
}
