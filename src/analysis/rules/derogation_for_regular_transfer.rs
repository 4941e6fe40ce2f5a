//! Chapter V rule, read from the transfer analysis.

use super::{Rule, RuleContext, transfer_findings};
use crate::diag::{Code, Diagnostic};

/// ## What it does
/// Finds processors reached under an Art. 49 derogation (R005): a processor receives data as a
/// matter of course, which is the regular, repetitive transfer Art. 49 does not cover.
///
/// ## Why it matters
/// Derogations are for occasional, non-repetitive transfers and must be documented in the
/// record (Art. 49(6)); the EDPB reads them restrictively (Guidelines 2/2018).
pub const RULE: Rule = Rule {
    code: Code::DerogationForRegularTransfer,
    check: |cx: &RuleContext, out: &mut Vec<Diagnostic>| {
        transfer_findings(
            cx,
            out,
            Code::DerogationForRegularTransfer,
            "put an Art. 46 safeguard in place (SCCs with a TIA), or document why the transfer is occasional",
        )
    },
};
