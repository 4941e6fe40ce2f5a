//! Chapter V rule, read from the transfer analysis.

use super::{Rule, RuleContext, transfer_findings};
use crate::diag::{Code, Diagnostic};

/// ## What it does
/// Finds transfers relying on a tool that did not cover them on the date (R002): Safe Harbor
/// after 2015-10-05, the Privacy Shield after 2020-07-15, the old SCCs after 2022-12-27, codes
/// of conduct or certification before 2018-05-25.
///
/// ## Why it matters
/// The CJEU struck down Safe Harbor (C-362/14, 2015-10-06) and the Privacy Shield (C-311/18,
/// 2020-07-16); Implementing Decision (EU) 2021/914 repealed the old SCCs from 2021-09-27, with
/// contracts concluded before covered until 2022-12-27; Art. 46(2)(e) and (f) tools exist only
/// under the GDPR.
pub const RULE: Rule = Rule {
    code: Code::InvalidTransferMechanism,
    check: |cx: &RuleContext, out: &mut Vec<Diagnostic>| {
        transfer_findings(
            cx,
            out,
            Code::InvalidTransferMechanism,
            "certify the importer under the EU-US Data Privacy Framework (US) or sign the 2021 SCCs and record a transfer impact assessment",
        )
    },
};
