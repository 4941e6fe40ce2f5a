//! Rules on the fields Art. 30(1) requires of every activity.

use super::{Rule, RuleContext};
use crate::diag::{Code, Diagnostic};
use crate::graph::NodeKind;
use crate::model::{Activity, ActivityRole};

/// One finding per activity for which `missing` holds, at the field's cell.
fn each(
    cx: &RuleContext,
    out: &mut Vec<Diagnostic>,
    code: Code,
    field: &str,
    what: &str,
    help: &'static str,
    missing: fn(&Activity) -> bool,
) {
    for a in &cx.register.activities {
        if missing(a) {
            out.push(
                Diagnostic::new(code, format!("activity `{}` records no {what}", a.name))
                    .at(a.origin.cell(field))
                    .help(help),
            );
        }
    }
}

fn blank<T: AsRef<str>>(value: &Option<T>) -> bool {
    value.as_ref().is_none_or(|v| v.as_ref().trim().is_empty())
}

/// ## What it does
/// Finds activities without a purpose (R010), required by Art. 30(1)(b) and, for processor
/// activities, as the category of processing (Art. 30(2)(b)).
pub const MISSING_PURPOSE: Rule = Rule {
    code: Code::MissingPurpose,
    check: |cx: &RuleContext, out: &mut Vec<Diagnostic>| {
        each(
            cx,
            out,
            Code::MissingPurpose,
            "purpose",
            "purpose",
            "state what the processing is for (Art. 30(1)(b))",
            |a| blank(&a.purpose),
        )
    },
};

/// ## What it does
/// Finds activities without categories of data subjects (R011), Art. 30(1)(c).
pub const MISSING_DATA_SUBJECTS: Rule = Rule {
    code: Code::MissingDataSubjects,
    check: |cx: &RuleContext, out: &mut Vec<Diagnostic>| {
        each(
            cx,
            out,
            Code::MissingDataSubjects,
            "data_subjects",
            "categories of data subjects",
            "list whose data it is: employees, customers, website visitors …",
            |a| a.data_subjects.is_empty(),
        )
    },
};

/// ## What it does
/// Finds activities without categories of personal data (R012), Art. 30(1)(c).
pub const MISSING_DATA_CATEGORIES: Rule = Rule {
    code: Code::MissingDataCategories,
    check: |cx: &RuleContext, out: &mut Vec<Diagnostic>| {
        each(
            cx,
            out,
            Code::MissingDataCategories,
            "data_categories",
            "categories of personal data",
            "list the kinds of data: contact details, bank details, IP address …",
            |a| a.data_categories.is_empty(),
        )
    },
};

/// ## What it does
/// Finds activities whose data reaches processors (through the systems they use and their
/// hosts) while their recipients column is empty (R013), Art. 30(1)(d).
pub const MISSING_RECIPIENTS: Rule = Rule {
    code: Code::MissingRecipients,
    check: |cx: &RuleContext, out: &mut Vec<Diagnostic>| {
        let reached = &cx.transfers.recipients;
        for a in &cx.register.activities {
            if !a.recipients.is_empty() || !a.details().recipient_categories.is_empty() {
                continue;
            }
            let processors: Vec<&str> = reached
                .of(&a.key)
                .iter()
                .filter(|r| cx.graph.graph[r.node].kind == NodeKind::Processor)
                .map(|r| cx.graph.graph[r.node].label.as_str())
                .collect();
            if let Some(first) = processors.first() {
                out.push(
                    Diagnostic::new(
                        Code::MissingRecipients,
                        format!(
                            "activity `{}` lists no recipients, but its data reaches {} processor(s), such as {first}",
                            a.name,
                            processors.len()
                        ),
                    )
                    .at(a.origin.cell("recipients"))
                    .help("list the recipients or categories of recipients (Art. 30(1)(d)); the records list the ones reached"),
                );
            }
        }
    },
};

/// ## What it does
/// Finds activities without a time limit for erasure (R014), Art. 30(1)(f) ("where possible").
pub const MISSING_RETENTION: Rule = Rule {
    code: Code::MissingRetention,
    check: |cx: &RuleContext, out: &mut Vec<Diagnostic>| {
        each(
            cx,
            out,
            Code::MissingRetention,
            "retention",
            "time limit for erasure",
            "state how long the data is kept, or the rule that decides it",
            |a| blank(&a.retention),
        )
    },
};

/// ## What it does
/// Finds activities without a description of technical and organisational measures (R015),
/// Art. 30(1)(g) and 30(2)(d) ("where possible").
pub const MISSING_SECURITY_MEASURES: Rule = Rule {
    code: Code::MissingSecurityMeasures,
    check: |cx: &RuleContext, out: &mut Vec<Diagnostic>| {
        each(
            cx,
            out,
            Code::MissingSecurityMeasures,
            "security",
            "technical and organisational measures",
            "describe the measures in general terms, or refer to the TOM document",
            |a| blank(&a.security),
        )
    },
};

/// ## What it does
/// Finds controller activities without an Art. 6(1) legal basis (R016). Processor activities
/// are exempt: the basis is the controller's.
pub const MISSING_LEGAL_BASIS: Rule = Rule {
    code: Code::MissingLegalBasis,
    check: |cx: &RuleContext, out: &mut Vec<Diagnostic>| {
        each(
            cx,
            out,
            Code::MissingLegalBasis,
            "legal_basis",
            "Art. 6(1) legal basis",
            "name the basis: consent, contract, legal obligation, vital interests, public task or legitimate interests",
            |a| {
                a.role == ActivityRole::Controller
                    && a.legal_basis.is_empty()
                    && blank(&a.legal_basis_text)
            },
        )
    },
};
