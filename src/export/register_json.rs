//! The normalised register as JSON: every entity with its origin, the table counts, the flow
//! graph and the diagnostics. Other tools can read it instead of the spreadsheets.

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
    diagnostic_counts: Counts,
    diagnostics: &'a [Diagnostic],
}

/// The register document, pretty-printed, ending in a newline.
pub fn to_json(
    register: &Register,
    graph: &FlowGraph,
    diagnostics: &[Diagnostic],
) -> Result<String, serde_json::Error> {
    let document = Document {
        ropa_version: env!("CARGO_PKG_VERSION"),
        reference_data_as_of: reference::AS_OF,
        register,
        graph: graph.summary(),
        diagnostic_counts: Counts::of(diagnostics),
        diagnostics,
    };
    let mut text = serde_json::to_string_pretty(&document)?;
    text.push('\n');
    Ok(text)
}
