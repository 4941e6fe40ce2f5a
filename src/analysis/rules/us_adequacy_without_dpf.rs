//! Chapter V rule, read from the transfer analysis.

use super::{Rule, RuleContext, transfer_findings};
use crate::diag::{Code, Diagnostic};

/// ## What it does
/// Finds US importers treated as adequate without DPF certification on the date, with a
/// certification that excludes HR data they receive, or on dates no US decision covered (R003).
///
/// ## Why it matters
/// Decision (EU) 2023/1795 covers only organisations on the DPF List, within their certified
/// scope (HR data only if certified for it), from 2023-07-10; between 2015-10-06 and 2016-07-11
/// and between 2020-07-16 and 2023-07-09 no US decision was in force.
pub const RULE: Rule = Rule {
    code: Code::UsAdequacyWithoutDpf,
    check: |cx: &RuleContext, out: &mut Vec<Diagnostic>| {
        transfer_findings(
            cx,
            out,
            Code::UsAdequacyWithoutDpf,
            "check the importer on the DPF List (for HR data: certified for HR) and record it, or rely on the 2021 SCCs with a TIA",
        )
    },
};
