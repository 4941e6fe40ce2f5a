//! ## What it does
//! Finds activities processing special categories of data (Art. 9(1)) or criminal-offence
//! data (Art. 10) without an Art. 9(2) condition (R017).
//!
//! ## Why it matters
//! Special categories may be processed only under one of the conditions of Art. 9(2), in
//! addition to an Art. 6 basis.

use super::{Rule, RuleContext};
use crate::diag::{Code, Diagnostic};

pub const RULE: Rule = Rule {
    code: Code::SpecialCategoriesWithoutCondition,
    check,
};

fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for a in &cx.register.activities {
        let condition = a
            .art9_condition
            .as_deref()
            .is_some_and(|c| !c.trim().is_empty());
        if !a.special_categories.is_empty() && !condition {
            out.push(
                Diagnostic::new(
                    Code::SpecialCategoriesWithoutCondition,
                    format!(
                        "activity `{}` processes special categories ({}) without an Art. 9(2) condition",
                        a.name,
                        a.special_categories.join(", ")
                    ),
                )
                .at(a.origin.cell("art9_condition"))
                .help("record the Art. 9(2) condition, such as 9(2)(b) employment law or 9(2)(a) explicit consent"),
            );
        }
    }
}
