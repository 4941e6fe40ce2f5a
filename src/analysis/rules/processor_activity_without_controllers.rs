//! ## What it does
//! Finds processing activities carried out for customers (role `processor`) that name no
//! controller, when the organisation acts as a processor (R018).
//!
//! ## Why it matters
//! The processor's record must name each controller on whose behalf it acts (Art. 30(2)(a)).

use super::{Rule, RuleContext};
use crate::diag::{Code, Diagnostic};
use crate::model::{ActivityRole, OrganisationRole};

pub const RULE: Rule = Rule {
    code: Code::ProcessorActivityWithoutControllers,
    check,
};

fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    if cx.register.organisation.role == OrganisationRole::Controller {
        return;
    }
    for a in &cx.register.activities {
        let none = if a.all_controllers {
            cx.register.customers.is_empty()
        } else {
            a.controllers.is_empty()
        };
        if a.role == ActivityRole::Processor && none {
            out.push(
                Diagnostic::new(
                    Code::ProcessorActivityWithoutControllers,
                    format!(
                        "processor activity `{}` names no controller it is carried out for",
                        a.name
                    ),
                )
                .at(a.origin.cell("controllers"))
                .help(
                    "name the customers in the controllers column, or `*` with a customers table",
                ),
            );
        }
    }
}
