//! Chapter V rule, read from the transfer analysis.

use super::{Rule, RuleContext, transfer_findings};
use crate::diag::{Code, Diagnostic};

/// ## What it does
/// Finds transfers under an Art. 46 tool (SCCs, BCRs, codes of conduct, certification, ad hoc
/// clauses) without a recorded transfer impact assessment, on dates from 2020-07-16 (R004).
///
/// ## Why it matters
/// Since C-311/18 the exporter must assess whether the importer's law undermines the safeguards,
/// and add measures where it does (EDPB Recommendations 01/2020, v2.0).
pub const RULE: Rule = Rule {
    code: Code::SafeguardWithoutTia,
    check: |cx: &RuleContext, out: &mut Vec<Diagnostic>| {
        transfer_findings(
            cx,
            out,
            Code::SafeguardWithoutTia,
            "carry out and record a transfer impact assessment (TIA column: yes, a date or a link)",
        )
    },
};
