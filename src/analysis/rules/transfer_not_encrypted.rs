//! ## What it does
//! Finds transfers to third-country importers whose row records the data as not encrypted in
//! transit (R009).
//!
//! ## Why it matters
//! Encryption in transit is a baseline measure under Art. 32 and one of the supplementary
//! measures the EDPB expects for transfers (Recommendations 01/2020).

use super::{Rule, RuleContext};
use crate::diag::{Code, Diagnostic};
use crate::model::Tristate;
use foldhash::{HashSet, HashSetExt};

pub const RULE: Rule = Rule {
    code: Code::TransferNotEncrypted,
    check,
};

fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    let processors = cx.processors();
    let mut seen = HashSet::new();
    for t in &cx.transfers.transfers {
        let Some(p) = processors.get(t.importer.key.as_str()) else {
            continue;
        };
        if p.encryption_in_transit != Tristate::No || !seen.insert(&t.importer.key) {
            continue;
        }
        out.push(
            Diagnostic::new(
                Code::TransferNotEncrypted,
                format!(
                    "data goes to {} in {} without encryption in transit",
                    t.importer.name, t.country_name
                ),
            )
            .at(p.origin.cell("encryption_in_transit"))
            .help("encrypt the connection (TLS) and record it"),
        );
    }
}
