//! ## What it does
//! Finds controller activities processing personal data relating to criminal convictions and
//! offences (Art. 10) without a ground under Art. 10: official authority, or Union or Member
//! State law authorising the processing (R021).
//!
//! ## Why it matters
//! Criminal data is not an Art. 9 special category: an Art. 9(2) condition does not allow it.
//! Art. 10 allows it only under the control of official authority or where a law provides
//! for it with safeguards.

use super::{Rule, RuleContext};
use crate::diag::{Code, Diagnostic};
use crate::model::ActivityRole;

pub const RULE: Rule = Rule {
    code: Code::CriminalDataWithoutBasis,
    check,
};

fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for a in &cx.register.activities {
        if a.role == ActivityRole::Processor || a.details().art10_basis {
            continue;
        }
        let Some(criminal) = a
            .details()
            .special_categories
            .iter()
            .find(|s| s.kind.is_criminal())
        else {
            continue;
        };
        out.push(
            Diagnostic::new(
                Code::CriminalDataWithoutBasis,
                format!(
                    "activity `{}` processes criminal-offence data (`{}`) without an Art. 10 ground",
                    a.name, criminal.text
                ),
            )
            .at(a.origin.cell(criminal.field))
            .help("record the law that authorises it (for example a national act on employment screening) or that it is under official authority; an Art. 9(2) condition does not cover it"),
        );
    }
}
