//! Chapter V rule, read from the transfer analysis.

use super::{Rule, RuleContext, transfer_findings};
use crate::diag::{Code, Diagnostic};

/// ## What it does
/// Finds transfers to third countries or international organisations with no transfer mechanism
/// recorded (R001).
///
/// ## Why it matters
/// Art. 44 GDPR allows a transfer only under Chapter V: adequacy (Art. 45), appropriate
/// safeguards (Art. 46) or a derogation (Art. 49). Without one the transfer is unlawful, onward
/// transfers included.
pub const RULE: Rule = Rule {
    code: Code::TransferWithoutMechanism,
    check: |cx: &RuleContext, out: &mut Vec<Diagnostic>| {
        transfer_findings(
            cx,
            out,
            Code::TransferWithoutMechanism,
            "record the transfer mechanism (the 2021 SCCs with a TIA, BCRs, DPF certification for US importers) or stop the transfer",
        )
    },
};
