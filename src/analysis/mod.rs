//! Analysis of the flow graph: what reaches whom ([`reach`]), which hops are transfers to
//! third countries and how each stands under Chapter V as of a date ([`transfers`],
//! [`classify`]).

pub mod changes;
pub mod classify;
pub mod explain;
pub mod notices;
pub mod policy;
pub mod reach;
pub mod recipients;
pub mod rules;
pub mod transfers;

pub use classify::{Assessment, Reason, Status};
pub use notices::Notice;
pub use transfers::{Destination, Transfer, TransferAnalysis, analyse};

use crate::diag::{self, Diagnostic};
use crate::graph::FlowGraph;
use crate::model::Register;

/// Everything ropa has to say about a register: the import diagnostics and the rules'
/// findings as one stream, with the policy's levels applied and in stable order.
pub fn findings(
    register: &Register,
    graph: &FlowGraph,
    transfers: &TransferAnalysis,
    import_diagnostics: &[Diagnostic],
    levels: &policy::Levels,
    max_chain_depth: usize,
) -> Vec<Diagnostic> {
    let cx = rules::RuleContext::new(register, graph, transfers, max_chain_depth);
    let mut all = import_diagnostics.to_vec();
    // About the whole register: placed at its input, as code-scanning tools need a place.
    all.extend(
        notices::reference_outdated_diagnostic(transfers.as_of).map(|d| {
            match register.sources.first() {
                Some(source) => d.at(crate::model::Location::in_file(source.as_str())),
                None => d,
            }
        }),
    );
    rules::run(&cx, &mut all);
    let mut all = levels.apply(all);
    diag::sort(&mut all);
    all
}
