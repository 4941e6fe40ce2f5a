//! Results in words: the sentences that explain a transfer's verdict, its status and the
//! notices at the top of a report, from the strings table of [`crate::i18n`].

use crate::analysis::{Assessment, Notice, Reason, Status};
use crate::i18n::{Lang, fill, text};

pub fn status(lang: Lang, status: Status) -> String {
    let key = match status {
        Status::NoTransfer => "status.no_transfer",
        Status::Ok => "status.ok",
        Status::Warning => "status.warning",
        Status::Error => "status.error",
    };
    text(lang, key)
}

/// A notice at the top of a report.
pub fn notice(lang: Lang, notice: &Notice) -> String {
    match notice {
        Notice::NothingRead => text(lang, "notice.nothing_read"),
        Notice::IncompleteRead { errors } => fill(
            text(lang, "notice.incomplete_read"),
            &[("errors", &errors.to_string())],
        ),
        Notice::ReferenceOutdated {
            as_of,
            reference_as_of,
        } => fill(
            text(lang, "notice.reference_outdated"),
            &[
                ("as_of", &as_of.to_string()),
                ("reference_as_of", &reference_as_of.to_string()),
            ],
        ),
    }
}

/// The sentence explaining a transfer's status.
pub fn reason(lang: Lang, reason: &Reason) -> String {
    let (key, values): (&str, Vec<(&str, &str)>) = match reason {
        Reason::Eea { act } if act.is_empty() => ("reason.eea", vec![]),
        Reason::Eea { act } => ("reason.eea_act", vec![("act", act)]),
        Reason::UkBridge { act } => ("reason.uk_bridge", vec![("act", act)]),
        Reason::Adequacy {
            article,
            decision,
            since,
        } => (
            "reason.adequacy",
            vec![
                ("article", article),
                ("decision", decision),
                ("since", since),
            ],
        ),
        Reason::PartialAdequacy {
            article,
            decision,
            since,
            scope,
        } => (
            "reason.partial_adequacy",
            vec![
                ("article", article),
                ("decision", decision),
                ("since", since),
                ("scope", scope),
            ],
        ),
        Reason::EmployeeDataOutsideAdequacy { decision, scope } => (
            "reason.employee_data_outside_adequacy",
            vec![("decision", decision), ("scope", scope)],
        ),
        Reason::DpfCertified { decision } => ("reason.dpf_certified", vec![("decision", decision)]),
        Reason::DpfHrUnknown { decision } => {
            ("reason.dpf_hr_unknown", vec![("decision", decision)])
        }
        Reason::DpfWithoutHr { decision } => {
            ("reason.dpf_without_hr", vec![("decision", decision)])
        }
        Reason::UsWithoutDpf => ("reason.us_without_dpf", vec![]),
        Reason::UsAdequacyNotOnDate { scheme: None } => ("reason.us_no_adequacy_on_date", vec![]),
        Reason::UsAdequacyNotOnDate {
            scheme: Some(scheme),
        } => ("reason.us_earlier_scheme", vec![("scheme", scheme)]),
        Reason::NoAdequacy { ended: None } => ("reason.no_adequacy", vec![]),
        Reason::NoAdequacy { ended: Some(ended) } => (
            "reason.adequacy_ended",
            vec![("ended", &ended.decision), ("until", &ended.until)],
        ),
        Reason::Safeguard {
            article,
            instrument,
        } => (
            "reason.safeguard",
            vec![("article", article), ("instrument", instrument)],
        ),
        Reason::SafeguardWithoutTia {
            article,
            instrument,
        } => (
            "reason.safeguard_without_tia",
            vec![("article", article), ("instrument", instrument)],
        ),
        Reason::SafeguardOutOfForce {
            instrument,
            from,
            until,
        } => (
            match (from.is_empty(), until.is_empty()) {
                (false, false) => "reason.out_of_force_window",
                (false, true) => "reason.out_of_force_from",
                _ => "reason.out_of_force",
            },
            vec![("instrument", instrument), ("from", from), ("until", until)],
        ),
        Reason::OldSccsOutOfForce { from, until } => (
            "reason.old_sccs_out_of_force",
            vec![("from", from), ("until", until)],
        ),
        Reason::OldSccInGrace {
            instrument,
            repealed,
            grace_until,
        } => (
            "reason.old_scc_in_grace",
            vec![
                ("instrument", instrument),
                ("repealed", repealed),
                ("grace_until", grace_until),
            ],
        ),
        Reason::SccGenerationUnclear {
            new_from,
            old_repealed,
            grace_until,
        } => (
            "reason.scc_generation_unclear",
            vec![
                ("new_from", new_from),
                ("old_repealed", old_repealed),
                ("grace_until", grace_until),
            ],
        ),
        Reason::Derogation { article } => ("reason.derogation", vec![("article", article)]),
        Reason::Invalidated {
            instrument,
            judgment,
            date,
        } => (
            "reason.invalidated",
            vec![
                ("instrument", instrument),
                ("judgment", judgment),
                ("date", date),
            ],
        ),
        Reason::FormerlyValid {
            article,
            instrument,
        } => (
            "reason.formerly_valid",
            vec![("article", article), ("instrument", instrument)],
        ),
        Reason::NoMechanism => ("reason.no_mechanism", vec![]),
        Reason::UnknownLocation => ("reason.unknown_location", vec![]),
    };
    // Acts, articles, judgments and scopes come from the reference data, in the language's
    // version; dates stay as they are.
    const QUOTED: [&str; 8] = [
        "act",
        "decision",
        "scope",
        "scheme",
        "ended",
        "instrument",
        "judgment",
        "article",
    ];
    let values: Vec<(&str, String)> = values
        .into_iter()
        .map(|(name, value)| {
            let value = if QUOTED.contains(&name) {
                crate::i18n::reference_text(lang, value)
            } else {
                value.to_string()
            };
            (name, value)
        })
        .collect();
    let values: Vec<(&str, &str)> = values.iter().map(|(n, v)| (*n, v.as_str())).collect();
    // A sentence may open with a quoted article (`art. 45, lid 3, AVG …`).
    let sentence = fill(text(lang, key), &values);
    let mut chars = sentence.chars();
    match chars.next() {
        Some(first) if first.is_lowercase() => first.to_uppercase().chain(chars).collect(),
        _ => sentence,
    }
}

/// The reason for a verdict, followed by the scope of a partial adequacy decision when
/// another tool decided (the reader must still know it).
pub fn assessment(lang: Lang, assessment: &Assessment) -> String {
    let mut sentence = reason(lang, &assessment.reason);
    if let Some(scope) = &assessment.scope
        && !matches!(
            assessment.reason,
            Reason::PartialAdequacy { .. } | Reason::EmployeeDataOutsideAdequacy { .. }
        )
    {
        sentence.push(' ');
        sentence.push_str(&fill(
            text(lang, "reason.scope_note"),
            &[("scope", &crate::i18n::reference_text(lang, scope))],
        ));
    }
    sentence
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled() {
        let text = reason(
            Lang::De,
            &Reason::Invalidated {
                instrument: "Privacy Shield".into(),
                judgment: "EuGH C-311/18, 2020-07-16".into(),
                date: "2020-07-16".into(),
            },
        );
        assert!(
            text.contains("Privacy Shield") && text.contains("2020-07-16") && !text.contains('{')
        );
    }
}
