//! The compliance rules: one file per rule, one registry ([`RULES`]). Each rule reads the
//! register, its graph and the transfer analysis and reports findings as diagnostics, located
//! at the cell to fix. Their codes, names and default levels are in `diag::codes`; each has a
//! page `docs/rules/<code>.md`.

mod activity_fields;
mod criminal_data_without_basis;
mod derogation_for_regular_transfer;
mod dpa;
mod hr_data_outside_adequacy;
mod importer_location_unknown;
mod invalid_transfer_mechanism;
mod no_adequacy_decision;
mod orphan_processor;
mod partial_adequacy_scope;
mod processor_activity_without_controllers;
mod safeguard_without_tia;
mod scc_contract_date_decides;
mod special_categories_without_condition;
mod sub_processor_chain_too_deep;
mod transfer_not_encrypted;
mod transfer_without_mechanism;
mod us_adequacy_without_dpf;

use crate::analysis::explain;
use crate::analysis::{Reason, Transfer, TransferAnalysis};
use crate::diag::{Code, Diagnostic};
use crate::graph::FlowGraph;
use crate::i18n::Lang;
use crate::model::{Location, Processor, Register};
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::sync::OnceLock;

/// What every rule may look at.
pub struct RuleContext<'a> {
    pub register: &'a Register,
    pub graph: &'a FlowGraph,
    pub transfers: &'a TransferAnalysis,
    pub max_chain_depth: usize,
    /// Made once, by the first rule that asks, for every rule.
    processors: OnceLock<HashMap<&'a str, &'a Processor>>,
    paths: OnceLock<HashMap<(&'a str, &'a str), usize>>,
}

impl<'a> RuleContext<'a> {
    pub fn new(
        register: &'a Register,
        graph: &'a FlowGraph,
        transfers: &'a TransferAnalysis,
        max_chain_depth: usize,
    ) -> Self {
        RuleContext {
            register,
            graph,
            transfers,
            max_chain_depth,
            processors: OnceLock::new(),
            paths: OnceLock::new(),
        }
    }

    /// Processors by key.
    pub fn processors(&self) -> &HashMap<&'a str, &'a Processor> {
        self.processors.get_or_init(|| {
            self.register
                .processors
                .iter()
                .map(|p| (p.key.as_str(), p))
                .collect()
        })
    }

    /// How many transfers (paths) reach each importer and country.
    fn paths(&self) -> &HashMap<(&'a str, &'a str), usize> {
        self.paths.get_or_init(|| {
            let mut paths: HashMap<(&str, &str), usize> = HashMap::new();
            for t in &self.transfers.transfers {
                *paths.entry((&t.importer.key, &t.country)).or_default() += 1;
            }
            paths
        })
    }
}

/// A rule: its code (name, default level and summary live with the code) and its check.
pub struct Rule {
    pub code: Code,
    pub check: fn(&RuleContext, &mut Vec<Diagnostic>),
}

/// Every rule, in code order.
pub static RULES: &[Rule] = &[
    transfer_without_mechanism::RULE,
    invalid_transfer_mechanism::RULE,
    us_adequacy_without_dpf::RULE,
    safeguard_without_tia::RULE,
    derogation_for_regular_transfer::RULE,
    importer_location_unknown::RULE,
    dpa::PROCESSOR_WITHOUT_DPA,
    dpa::DPA_UNKNOWN,
    transfer_not_encrypted::RULE,
    activity_fields::MISSING_PURPOSE,
    activity_fields::MISSING_DATA_SUBJECTS,
    activity_fields::MISSING_DATA_CATEGORIES,
    activity_fields::MISSING_RECIPIENTS,
    activity_fields::MISSING_RETENTION,
    activity_fields::MISSING_SECURITY_MEASURES,
    activity_fields::MISSING_LEGAL_BASIS,
    special_categories_without_condition::RULE,
    processor_activity_without_controllers::RULE,
    orphan_processor::RULE,
    sub_processor_chain_too_deep::RULE,
    criminal_data_without_basis::RULE,
    no_adequacy_decision::RULE,
    partial_adequacy_scope::RULE,
    hr_data_outside_adequacy::RULE,
    scc_contract_date_decides::RULE,
];

/// The rule a transfer reason is a finding of.
pub fn code_for(reason: &Reason) -> Option<Code> {
    Some(match reason {
        Reason::NoMechanism => Code::TransferWithoutMechanism,
        Reason::Invalidated { .. }
        | Reason::SafeguardOutOfForce { .. }
        | Reason::OldSccsOutOfForce { .. } => Code::InvalidTransferMechanism,
        Reason::UsWithoutDpf | Reason::UsAdequacyNotOnDate { .. } | Reason::DpfWithoutHr { .. } => {
            Code::UsAdequacyWithoutDpf
        }
        Reason::NoAdequacy { .. } => Code::NoAdequacyDecision,
        Reason::PartialAdequacy { .. } => Code::PartialAdequacyScope,
        Reason::DpfHrUnknown { .. } | Reason::EmployeeDataOutsideAdequacy { .. } => {
            Code::HrDataOutsideAdequacy
        }
        Reason::SccGenerationUnclear { .. } | Reason::OldSccInGrace { .. } => {
            Code::SccContractDateDecides
        }
        Reason::SafeguardWithoutTia { .. } => Code::SafeguardWithoutTia,
        Reason::Derogation { .. } => Code::DerogationForRegularTransfer,
        Reason::UnknownLocation => Code::ImporterLocationUnknown,
        Reason::Eea { .. }
        | Reason::UkBridge { .. }
        | Reason::Adequacy { .. }
        | Reason::DpfCertified { .. }
        | Reason::Safeguard { .. }
        | Reason::FormerlyValid { .. } => return None,
    })
}

/// Runs every rule, adding its findings to `findings`. Findings carry their code's default
/// severity; the policy's levels are applied by the caller, together with the import
/// diagnostics'.
pub fn run(cx: &RuleContext, findings: &mut Vec<Diagnostic>) {
    use rayon::prelude::*;
    // The rules are independent: each runs on whichever core is free into a list of its own,
    // and the lists are joined in the registry's order, so the result does not depend on
    // which finished first.
    let each: Vec<Vec<Diagnostic>> = RULES
        .par_iter()
        .map(|rule| {
            let mut found = Vec::new();
            (rule.check)(cx, &mut found);
            found
        })
        .collect();
    findings.reserve(each.iter().map(Vec::len).sum());
    findings.extend(each.into_iter().flatten());
}

/// Where to fix a transfer: the mechanism cell when the register has one for the importer,
/// else the cell that states its location (which may also state the mechanism, as in
/// `US- EU/USprivacyshield in place.`).
fn transfer_cell(t: &Transfer, importer: Option<&&Processor>) -> Location {
    match importer {
        Some(p) if p.transfer_mechanism_text.is_some() => t.importer.mechanism_cell.as_ref(),
        _ => t.importer.country_cell.as_ref(),
    }
    .clone()
}

/// One finding per importer and country whose transfer is a finding of `code` (the analysis
/// names it with [`code_for`]), at the importer's cell.
fn transfer_findings(cx: &RuleContext, out: &mut Vec<Diagnostic>, code: Code, help: &'static str) {
    let processors = cx.processors();
    let paths = cx.paths();
    let mut seen = HashSet::new();
    for t in &cx.transfers.transfers {
        if t.finding != Some(code) || !seen.insert((&t.importer.key, &t.country)) {
            continue;
        }
        let paths = paths[&(t.importer.key.as_str(), t.country.as_str())];
        let more = if paths > 1 {
            format!(" (and {} more paths)", paths - 1)
        } else {
            String::new()
        };
        out.push(
            Diagnostic::new(
                code,
                format!(
                    "transfer to {} in {} ({}) via {}{more}: {}",
                    t.importer.name,
                    t.country_name,
                    t.country,
                    t.path_line(),
                    explain::assessment(Lang::En, &t.assessment)
                ),
            )
            .help(help)
            .at(transfer_cell(t, processors.get(t.importer.key.as_str()))),
        );
    }
}
