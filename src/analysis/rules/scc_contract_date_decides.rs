//! Chapter V rule, read from the transfer analysis.

use super::{Rule, RuleContext, transfer_findings};
use crate::diag::{Code, Diagnostic};

/// ## What it does
/// Finds SCCs whose coverage depends on the contract date (R025): `SCC` without a generation
/// between 2021-06-27 and 2022-12-27, when both the old sets and the 2021 clauses were in use,
/// and the old sets between their repeal (2021-09-27) and the end of the grace period
/// (2022-12-27), when they covered only contracts concluded before the repeal.
///
/// ## Why it matters
/// Implementing Decision (EU) 2021/914, Art. 4: the old decisions were repealed from 2021-09-27;
/// contracts concluded before that day stayed valid until 2022-12-27 if the processing was
/// unchanged.
pub const RULE: Rule = Rule {
    code: Code::SccContractDateDecides,
    check: |cx: &RuleContext, out: &mut Vec<Diagnostic>| {
        transfer_findings(
            cx,
            out,
            Code::SccContractDateDecides,
            "record which SCCs the contract uses (2021/914 module, or the old decision) and when it was concluded",
        )
    },
};
