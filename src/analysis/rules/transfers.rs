//! Rules on the legal basis of transfers, read from the transfer analysis (Chapter V).

use super::{Rule, RuleContext, transfer_findings};
use crate::analysis::Reason;
use crate::diag::{Code, Diagnostic};

/// ## What it does
/// Finds transfers to third countries with no transfer mechanism recorded (R001).
///
/// ## Why it matters
/// Art. 44 GDPR allows a transfer only under Chapter V: adequacy (Art. 45), appropriate
/// safeguards (Art. 46) or a derogation (Art. 49). Without one the transfer is unlawful, onward
/// transfers included.
pub const TRANSFER_WITHOUT_MECHANISM: Rule = Rule {
    code: Code::TransferWithoutMechanism,
    check: |cx: &RuleContext, out: &mut Vec<Diagnostic>| {
        transfer_findings(
            cx,
            out,
            Code::TransferWithoutMechanism,
            |r| matches!(r, Reason::NoMechanism),
            "record the transfer mechanism (SCCs with a TIA, BCRs, DPF certification for US importers) or stop the transfer",
        )
    },
};

/// ## What it does
/// Finds transfers relying on the invalidated Privacy Shield or Safe Harbor, or on old SCCs
/// after 2022-12-27 (R002).
///
/// ## Why it matters
/// The CJEU struck down Safe Harbor (C-362/14, 2015-10-06) and the Privacy Shield (C-311/18,
/// 2020-07-16); the old SCCs stopped covering transfers after 2022-12-27.
pub const INVALID_TRANSFER_MECHANISM: Rule = Rule {
    code: Code::InvalidTransferMechanism,
    check: |cx: &RuleContext, out: &mut Vec<Diagnostic>| {
        transfer_findings(
            cx,
            out,
            Code::InvalidTransferMechanism,
            |r| {
                matches!(
                    r,
                    Reason::Invalidated { .. } | Reason::SafeguardOutOfForce { .. }
                )
            },
            "certify the importer under the EU-US Data Privacy Framework (US) or sign the 2021 SCCs and record a transfer impact assessment",
        )
    },
};

/// ## What it does
/// Finds US importers treated as adequate without DPF certification, or before the DPF existed,
/// and adequacy claimed for countries without a decision (R003).
///
/// ## Why it matters
/// Decision (EU) 2023/1795 covers only organisations on the DPF List, from 2023-07-10.
pub const US_ADEQUACY_WITHOUT_DPF: Rule = Rule {
    code: Code::UsAdequacyWithoutDpf,
    check: |cx: &RuleContext, out: &mut Vec<Diagnostic>| {
        transfer_findings(
            cx,
            out,
            Code::UsAdequacyWithoutDpf,
            |r| {
                matches!(
                    r,
                    Reason::UsWithoutDpf | Reason::DpfNotYetInForce | Reason::NoAdequacy
                )
            },
            "check the importer on the DPF List and record `DPF certified: yes`, or rely on SCCs with a TIA",
        )
    },
};

/// ## What it does
/// Finds transfers under SCCs or BCRs without a recorded transfer impact assessment (R004).
///
/// ## Why it matters
/// Since C-311/18 the exporter must assess whether the importer's law undermines the
/// safeguards, and add measures where it does.
pub const SAFEGUARD_WITHOUT_TIA: Rule = Rule {
    code: Code::SafeguardWithoutTia,
    check: |cx: &RuleContext, out: &mut Vec<Diagnostic>| {
        transfer_findings(
            cx,
            out,
            Code::SafeguardWithoutTia,
            |r| matches!(r, Reason::SafeguardWithoutTia { .. }),
            "carry out and record a transfer impact assessment (TIA column: yes, a date or a link)",
        )
    },
};

/// ## What it does
/// Finds processors reached under an Art. 49 derogation (R005): a processor receives data as a
/// matter of course, which is the regular, repetitive transfer Art. 49 does not cover.
///
/// ## Why it matters
/// Derogations are for occasional, non-repetitive transfers and must be documented in the
/// record (Art. 49(6)); the EDPB reads them restrictively.
pub const DEROGATION_FOR_REGULAR_TRANSFER: Rule = Rule {
    code: Code::DerogationForRegularTransfer,
    check: |cx: &RuleContext, out: &mut Vec<Diagnostic>| {
        transfer_findings(
            cx,
            out,
            Code::DerogationForRegularTransfer,
            |r| matches!(r, Reason::Derogation),
            "put an Art. 46 safeguard in place (SCCs with a TIA), or document why the transfer is occasional",
        )
    },
};

/// ## What it does
/// Finds data reaching recipients whose location is unknown or `worldwide` (R006).
///
/// ## Why it matters
/// Without the country, no transfer can be assessed; it is treated as a third country with
/// no basis.
pub const IMPORTER_LOCATION_UNKNOWN: Rule = Rule {
    code: Code::ImporterLocationUnknown,
    check: |cx: &RuleContext, out: &mut Vec<Diagnostic>| {
        transfer_findings(
            cx,
            out,
            Code::ImporterLocationUnknown,
            |r| matches!(r, Reason::UnknownLocation),
            "record the countries where the recipient stores or processes the data",
        )
    },
};
