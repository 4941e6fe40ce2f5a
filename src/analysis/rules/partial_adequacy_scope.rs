//! Chapter V rule, read from the transfer analysis.

use super::{Rule, RuleContext, transfer_findings};
use crate::diag::{Code, Diagnostic};

/// ## What it does
/// Reports transfers to places whose adequacy decision covers only some recipients (R023):
/// Canada (PIPEDA), Japan (private sector with the Supplementary Rules), Korea (PIPA), the UK
/// until 2025-12-18 (immigration-control data excluded). The finding quotes the scope.
///
/// ## Why it matters
/// Covered is right for the usual vendor, but only if the importer falls within the decision's
/// scope; a public body in Japan or a credit bureau in Korea does not.
pub const RULE: Rule = Rule {
    code: Code::PartialAdequacyScope,
    check: |cx: &RuleContext, out: &mut Vec<Diagnostic>| {
        transfer_findings(
            cx,
            out,
            Code::PartialAdequacyScope,
            "confirm that the importer falls within the decision's scope, or put an Art. 46 tool in place",
        )
    },
};
