//! Chapter V rule, read from the transfer analysis.

use super::{Rule, RuleContext, transfer_findings};
use crate::diag::{Code, Diagnostic};

/// ## What it does
/// Finds adequacy claimed for a place outside the US that no adequacy decision covers on the
/// date (R022), including a decision that has lapsed and the US-only Safe Harbor and Privacy
/// Shield named for another country.
///
/// ## Why it matters
/// Art. 45(1) allows a transfer without further authorisation only where the Commission has
/// decided that the place ensures an adequate level of protection; the decisions in force are
/// listed in docs/reference-data.md.
pub const RULE: Rule = Rule {
    code: Code::NoAdequacyDecision,
    check: |cx: &RuleContext, out: &mut Vec<Diagnostic>| {
        transfer_findings(
            cx,
            out,
            Code::NoAdequacyDecision,
            "put an Art. 46 tool in place (the 2021 SCCs with a TIA) or correct the importer's country",
        )
    },
};
