//! Rules on data processing agreements (Art. 28(3)).

use super::{Rule, RuleContext};
use crate::diag::{Code, Diagnostic};
use crate::model::{RecipientRole, Tristate};

fn is_processor(role: RecipientRole) -> bool {
    matches!(role, RecipientRole::Processor | RecipientRole::SubProcessor)
}

/// ## What it does
/// Finds processors and sub-processors recorded as having no data processing agreement (R007).
///
/// ## Why it matters
/// Art. 28(3) GDPR requires processing by a processor to be governed by a contract or legal act
/// with the content the article lists; sub-processors need the same obligations (Art. 28(4)).
pub const PROCESSOR_WITHOUT_DPA: Rule = Rule {
    code: Code::ProcessorWithoutDpa,
    check: |cx: &RuleContext, out: &mut Vec<Diagnostic>| {
        for p in &cx.register.processors {
            if is_processor(p.role) && p.dpa.status == Tristate::No {
                out.push(
                    Diagnostic::new(
                        Code::ProcessorWithoutDpa,
                        format!("processor `{}` has no data processing agreement", p.name),
                    )
                    .at(p.origin.cell("dpa"))
                    .help(
                        "conclude an Art. 28(3) agreement and record it (yes, its date or a link)",
                    ),
                );
            }
        }
    },
};

/// ## What it does
/// Finds processors for which the register does not say whether a data processing agreement
/// exists (R008). An empty DPA cell means unknown, not no.
///
/// ## Why it matters
/// An auditor will ask for the agreement; a register that cannot answer is a gap in itself.
pub const DPA_UNKNOWN: Rule = Rule {
    code: Code::DpaUnknown,
    check: |cx: &RuleContext, out: &mut Vec<Diagnostic>| {
        for p in &cx.register.processors {
            if is_processor(p.role) && p.dpa.status == Tristate::Unknown {
                out.push(
                    Diagnostic::new(
                        Code::DpaUnknown,
                        format!("whether processor `{}` has a data processing agreement is not recorded", p.name),
                    )
                    .at(p.origin.cell("dpa"))
                    .help("record the agreement: yes, no, its date or a link"),
                );
            }
        }
    },
};
