//! Chapter V rule, read from the transfer analysis.

use super::{Rule, RuleContext, transfer_findings};
use crate::diag::{Code, Diagnostic};

/// ## What it does
/// Finds HR data (employment categories, or employees and applicants as data subjects) going to
/// a DPF-certified US importer whose certification is not recorded as covering HR data, or to a
/// place whose decision largely leaves employee data out (Canada: PIPEDA) (R024).
///
/// ## Why it matters
/// The DPF covers HR data only for organisations certified for it (Decision (EU) 2023/1795,
/// Annex I, Supplemental Principle 9); PIPEDA applies to employee data only of federal works,
/// undertakings and businesses.
pub const RULE: Rule = Rule {
    code: Code::HrDataOutsideAdequacy,
    check: |cx: &RuleContext, out: &mut Vec<Diagnostic>| {
        transfer_findings(
            cx,
            out,
            Code::HrDataOutsideAdequacy,
            "record whether the importer is covered for HR data (for a DPF-certified importer: the `DPF HR` column), or rely on the 2021 SCCs with a TIA",
        )
    },
};
