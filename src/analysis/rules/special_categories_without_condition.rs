//! ## What it does
//! Finds controller activities processing special categories of data (Art. 9(1)), wherever the
//! row states them, without a valid Art. 9(2) condition, one of (a) to (j) (R017).
//!
//! ## Why it matters
//! Special categories may be processed only under one of the conditions of Art. 9(2), in
//! addition to an Art. 6 basis. `none`, `n/a` or an Art. 6 basis is no such condition. The
//! condition is the controller's to state: processor activities are not asked for it.

use super::{Rule, RuleContext};
use crate::diag::{Code, Diagnostic};
use crate::model::ActivityRole;

pub const RULE: Rule = Rule {
    code: Code::SpecialCategoriesWithoutCondition,
    check,
};

fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for a in &cx.register.activities {
        if a.role == ActivityRole::Processor || !a.details().art9_conditions.is_empty() {
            continue;
        }
        let special: Vec<&crate::model::SpecialCategory> = a
            .details()
            .special_categories
            .iter()
            .filter(|s| !s.kind.is_criminal())
            .collect();
        let Some(first) = special.first() else {
            continue;
        };
        let kinds: Vec<&str> = special.iter().map(|s| s.kind.key()).collect();
        let written = a
            .details()
            .art9_condition
            .as_deref()
            .filter(|c| !c.trim().is_empty());
        let message = match written {
            Some(text) => format!(
                "activity `{}` processes special categories ({}) and `{text}` is no Art. 9(2) condition (a)–(j)",
                a.name,
                kinds.join(", ")
            ),
            None => format!(
                "activity `{}` processes special categories ({}, read from `{}`) without an Art. 9(2) condition",
                a.name,
                kinds.join(", "),
                first.text
            ),
        };
        out.push(
            Diagnostic::new(Code::SpecialCategoriesWithoutCondition, message)
                .at(a.origin.cell(if written.is_some() {
                    "art9_condition"
                } else {
                    first.field
                }))
                .help("record the Art. 9(2) condition, such as 9(2)(b) employment and social security law or 9(2)(a) explicit consent"),
        );
    }
}
