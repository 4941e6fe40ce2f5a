//! Chapter V rule, read from the transfer analysis.

use super::{Rule, RuleContext, transfer_findings};
use crate::diag::{Code, Diagnostic};

/// ## What it does
/// Finds data reaching recipients whose location is unknown, `Europe` or `worldwide` (R006).
///
/// ## Why it matters
/// Without the country, no transfer can be assessed; it is treated as a third country with
/// no basis.
pub const RULE: Rule = Rule {
    code: Code::ImporterLocationUnknown,
    check: |cx: &RuleContext, out: &mut Vec<Diagnostic>| {
        transfer_findings(
            cx,
            out,
            Code::ImporterLocationUnknown,
            "record the countries where the recipient stores or processes the data",
        )
    },
};
