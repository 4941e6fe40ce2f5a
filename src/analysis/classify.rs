//! Chapter V status of one transfer to one country, as of a date, from the embedded reference
//! data: EEA, adequacy (Art. 45, the DPF for certified US importers), Art. 46 tools, Art. 49
//! derogations, and the invalidated Safe Harbor and Privacy Shield.

use crate::model::{Mechanism, Place, Tristate};
use crate::reference::{self, Standing};
use chrono::NaiveDate;
use serde::Serialize;

/// How a transfer stands, from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The destination is in the EEA: no transfer under Chapter V.
    NoTransfer,
    /// Covered.
    Ok,
    /// Covered with a gap to close (no TIA, a derogation).
    Warning,
    /// Not covered.
    Error,
}

/// Why a transfer has its status: a stable key for rules and translations, with parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "key")]
pub enum Reason {
    /// EEA destination.
    Eea,
    /// Full adequacy decision in force.
    Adequacy { decision: String, since: String },
    /// Adequacy limited in scope: the importer must be covered.
    PartialAdequacy {
        decision: String,
        since: String,
        scope: String,
    },
    /// US importer certified under the DPF.
    DpfCertified,
    /// US importer relying on adequacy or the DPF without being certified.
    UsWithoutDpf,
    /// The DPF did not exist yet on the date.
    DpfNotYetInForce,
    /// Adequacy claimed for a country that has none (on the date).
    NoAdequacy,
    /// An Art. 46 tool in force, with a TIA where one is expected.
    Safeguard { article: String, instrument: String },
    /// SCCs or BCRs without a recorded transfer impact assessment.
    SafeguardWithoutTia { article: String, instrument: String },
    /// A tool that was not (yet, or any longer) in force on the date, with its window.
    SafeguardOutOfForce {
        instrument: String,
        from: String,
        until: String,
    },
    /// An Art. 49 derogation: occasional transfers only, documented per Art. 49(6).
    Derogation,
    /// Privacy Shield or Safe Harbor after the judgment that invalidated it.
    Invalidated {
        instrument: String,
        judgment: String,
        date: String,
    },
    /// Privacy Shield or Safe Harbor while it was still in force.
    FormerlyValid { instrument: String },
    /// No mechanism recorded.
    NoMechanism,
    /// The importer's location is unknown or `worldwide`.
    UnknownLocation,
}

/// The verdict on one transfer to one country.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub status: Status,
    /// The mechanism the verdict rests on, if any.
    pub mechanism: Option<Mechanism>,
    pub reason: Reason,
}

/// What is known about the importer that matters for its transfers.
#[derive(Debug, Clone, Copy)]
pub struct Importer {
    pub dpf_certified: Tristate,
    pub tia: Tristate,
}

fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

fn iso(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

const DPF_FROM: &str = "2023-07-10";

fn assessment(status: Status, mechanism: Option<Mechanism>, reason: Reason) -> Assessment {
    Assessment {
        status,
        mechanism,
        reason,
    }
}

/// Judges a transfer to `place` relying on `mechanisms`, as of `as_of`. `None` as the place
/// means the importer's location is unknown.
pub fn assess(
    place: Option<&Place>,
    mechanisms: &[Mechanism],
    importer: Importer,
    as_of: NaiveDate,
) -> Assessment {
    let data = reference::data();
    let code = match place {
        Some(Place::Eu | Place::Eea) => return assessment(Status::NoTransfer, None, Reason::Eea),
        Some(Place::Country(code)) if data.in_eea(code) => {
            return assessment(Status::NoTransfer, None, Reason::Eea);
        }
        Some(Place::Country(code) | Place::Organisation(code)) => code.as_str(),
        // A third country the register does not name: no adequacy can hold for it.
        Some(Place::OutsideEea) => "non-EEA",
        Some(Place::Worldwide | Place::Europe) | None => {
            return assessment(Status::Error, None, Reason::UnknownLocation);
        }
    };
    let mut options: Vec<Assessment> = Vec::new();

    // Art. 45: an adequacy decision in force on the date (the US only through the DPF).
    let jurisdiction = data.jurisdiction(code);
    let in_force = jurisdiction.is_some_and(|j| {
        matches!(j.standing, Standing::Adequate | Standing::AdequatePartial)
            && j.date.is_some_and(|d| d <= as_of)
            && j.valid_until.is_none_or(|u| as_of <= u)
    });
    if code == "US" {
        let dpf_in_force = date(DPF_FROM).is_some_and(|d| d <= as_of);
        if dpf_in_force && importer.dpf_certified == Tristate::Yes {
            options.push(assessment(
                Status::Ok,
                Some(Mechanism::Dpf),
                Reason::DpfCertified,
            ));
        }
        if mechanisms
            .iter()
            .any(|m| matches!(m, Mechanism::Dpf | Mechanism::Adequacy))
        {
            let reason = if dpf_in_force {
                Reason::UsWithoutDpf
            } else {
                Reason::DpfNotYetInForce
            };
            options.push(assessment(Status::Error, Some(Mechanism::Dpf), reason));
        }
    } else if let (true, Some(j)) = (in_force, jurisdiction) {
        let since = iso(j.date);
        let reason = if j.standing == Standing::AdequatePartial {
            Reason::PartialAdequacy {
                decision: j.decision.clone(),
                since,
                scope: j.scope.clone(),
            }
        } else {
            Reason::Adequacy {
                decision: j.decision.clone(),
                since,
            }
        };
        // Partial adequacy is a basis too; the reason carries its scope for the reader to check.
        options.push(assessment(Status::Ok, Some(Mechanism::Adequacy), reason));
    } else if mechanisms
        .iter()
        .any(|m| matches!(m, Mechanism::Adequacy | Mechanism::Dpf))
    {
        options.push(assessment(
            Status::Error,
            Some(Mechanism::Adequacy),
            Reason::NoAdequacy,
        ));
    }

    for &mechanism in mechanisms {
        if let Some(option) = mechanism_option(mechanism, importer, as_of) {
            options.push(option);
        }
    }
    if mechanisms.contains(&Mechanism::None) || options.is_empty() {
        options.push(assessment(Status::Error, None, Reason::NoMechanism));
    }
    // The best option decides; among equals, the first (adequacy before tools).
    options
        .into_iter()
        .enumerate()
        .min_by_key(|(i, a)| (a.status, *i))
        .map(|(_, a)| a)
        .unwrap_or_else(|| assessment(Status::Error, None, Reason::NoMechanism))
}

/// The verdict for a transfer tool (not adequacy), or `None` when the tool is adequacy.
fn mechanism_option(
    mechanism: Mechanism,
    importer: Importer,
    as_of: NaiveDate,
) -> Option<Assessment> {
    let data = reference::data();
    let info = data.mechanism(mechanism.key())?;
    let from_ok = info.valid_from.is_none_or(|d| d <= as_of);
    // A tool struck down by a judgment is invalid from the judgment's day; an end set by law
    // (the old SCCs' grace period) includes its last day.
    let struck_down = !info.ended_by.is_empty() && info.ended_by.contains("CJEU");
    let until_ok = info
        .valid_until
        .is_none_or(|d| if struck_down { as_of < d } else { as_of <= d });
    let instrument = info.instrument.clone();
    Some(match mechanism {
        Mechanism::Adequacy | Mechanism::Dpf | Mechanism::None => return None,
        Mechanism::PrivacyShield | Mechanism::SafeHarbor if !from_ok => assessment(
            Status::Error,
            Some(mechanism),
            Reason::SafeguardOutOfForce {
                instrument,
                from: iso(info.valid_from),
                until: iso(info.valid_until),
            },
        ),
        Mechanism::PrivacyShield | Mechanism::SafeHarbor => {
            if until_ok {
                assessment(
                    Status::Ok,
                    Some(mechanism),
                    Reason::FormerlyValid { instrument },
                )
            } else {
                assessment(
                    Status::Error,
                    Some(mechanism),
                    Reason::Invalidated {
                        instrument,
                        judgment: info.ended_by.clone(),
                        date: iso(info.valid_until),
                    },
                )
            }
        }
        Mechanism::Derogation => assessment(Status::Warning, Some(mechanism), Reason::Derogation),
        _ if !(from_ok && until_ok) => assessment(
            Status::Error,
            Some(mechanism),
            Reason::SafeguardOutOfForce {
                instrument,
                from: iso(info.valid_from),
                until: iso(info.valid_until),
            },
        ),
        Mechanism::Scc | Mechanism::Scc2021 | Mechanism::SccLegacy | Mechanism::Bcr
            if importer.tia != Tristate::Yes =>
        {
            assessment(
                Status::Warning,
                Some(mechanism),
                Reason::SafeguardWithoutTia {
                    article: info.article.clone(),
                    instrument,
                },
            )
        }
        _ => assessment(
            Status::Ok,
            Some(mechanism),
            Reason::Safeguard {
                article: info.article.clone(),
                instrument,
            },
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Mechanism as M;

    fn day(text: &str) -> NaiveDate {
        date(text).unwrap()
    }

    fn at(
        code: &str,
        mechanisms: &[Mechanism],
        dpf: Tristate,
        tia: Tristate,
        on: &str,
    ) -> Assessment {
        assess(
            Some(&Place::Country(code.into())),
            mechanisms,
            Importer {
                dpf_certified: dpf,
                tia,
            },
            day(on),
        )
    }

    const U: Tristate = Tristate::Unknown;
    const Y: Tristate = Tristate::Yes;

    #[test]
    fn eea_is_no_transfer() {
        assert_eq!(at("DE", &[], U, U, "2026-01-01").status, Status::NoTransfer);
        assert_eq!(at("NO", &[], U, U, "2026-01-01").status, Status::NoTransfer);
        let eu = assess(
            Some(&Place::Eu),
            &[],
            Importer {
                dpf_certified: U,
                tia: U,
            },
            day("2026-01-01"),
        );
        assert_eq!(eu.status, Status::NoTransfer);
    }

    #[test]
    fn us_needs_dpf_certification_from_2023_07_10() {
        assert_eq!(
            at("US", &[M::Dpf], Y, U, "2024-01-01").reason,
            Reason::DpfCertified
        );
        assert_eq!(
            at("US", &[M::Dpf], U, U, "2024-01-01").reason,
            Reason::UsWithoutDpf
        );
        assert_eq!(
            at("US", &[M::Dpf], Y, U, "2022-01-01").reason,
            Reason::DpfNotYetInForce
        );
        assert_eq!(
            at("US", &[], Y, U, "2022-01-01").reason,
            Reason::NoMechanism
        );
        // SCCs cover an uncertified importer, with a warning until a TIA is recorded.
        assert_eq!(
            at("US", &[M::Dpf, M::Scc], U, U, "2024-01-01").status,
            Status::Warning
        );
        assert_eq!(at("US", &[M::Scc], U, Y, "2024-01-01").status, Status::Ok);
    }

    #[test]
    fn adequacy_follows_the_dates() {
        assert_eq!(
            at("BR", &[], U, U, "2025-06-01").reason,
            Reason::NoMechanism
        );
        assert_eq!(at("BR", &[], U, U, "2026-02-01").status, Status::Ok);
        assert_eq!(at("GB", &[], U, U, "2021-06-27").status, Status::Error);
        assert_eq!(at("GB", &[], U, U, "2021-06-28").status, Status::Ok);
        assert_eq!(
            at("GB", &[], U, U, "2032-01-01").status,
            Status::Error,
            "after 2031-12-27"
        );
        let canada = at("CA", &[], U, U, "2026-01-01");
        assert_eq!(canada.status, Status::Ok);
        assert!(
            matches!(canada.reason, Reason::PartialAdequacy { ref scope, .. } if scope.contains("PIPEDA"))
        );
        assert_eq!(
            at("IN", &[M::Adequacy], U, U, "2026-01-01").reason,
            Reason::NoAdequacy
        );
    }

    #[test]
    fn invalidated_tools_are_errors_after_their_judgments() {
        let shield = at("US", &[M::PrivacyShield], U, U, "2026-01-01");
        assert_eq!(shield.status, Status::Error);
        assert!(
            matches!(shield.reason, Reason::Invalidated { ref judgment, ref date, .. } if judgment.contains("C-311/18") && date == "2020-07-16")
        );
        assert_eq!(
            at("US", &[M::PrivacyShield], U, U, "2019-01-01").status,
            Status::Ok
        );
        assert_eq!(
            at("US", &[M::PrivacyShield], U, U, "2016-07-11").status,
            Status::Error
        );
        let harbor = at("US", &[M::SafeHarbor], U, U, "2016-01-01");
        assert!(
            matches!(harbor.reason, Reason::Invalidated { ref judgment, .. } if judgment.contains("C-362/14"))
        );
        assert_eq!(
            at("IN", &[M::SccLegacy], U, Y, "2022-12-26").status,
            Status::Ok
        );
        assert_eq!(
            at("IN", &[M::SccLegacy], U, Y, "2023-01-01").status,
            Status::Error
        );
    }

    #[test]
    fn derogations_warn_and_nothing_is_an_error() {
        assert_eq!(
            at("IN", &[M::Derogation], U, U, "2026-01-01").reason,
            Reason::Derogation
        );
        assert_eq!(
            at("IN", &[M::Derogation], U, U, "2026-01-01").status,
            Status::Warning
        );
        assert_eq!(
            at("IN", &[M::None], U, U, "2026-01-01").reason,
            Reason::NoMechanism
        );
        assert_eq!(at("IN", &[], U, U, "2026-01-01").status, Status::Error);
        assert_eq!(at("IN", &[M::Bcr], U, Y, "2026-01-01").status, Status::Ok);
        assert_eq!(
            at("IN", &[M::CodeOfConduct], U, U, "2026-01-01").status,
            Status::Ok
        );
        let unknown = assess(
            None,
            &[M::Scc],
            Importer {
                dpf_certified: U,
                tia: Y,
            },
            day("2026-01-01"),
        );
        assert_eq!(unknown.reason, Reason::UnknownLocation);
        let world = assess(
            Some(&Place::Worldwide),
            &[],
            Importer {
                dpf_certified: U,
                tia: U,
            },
            day("2026-01-01"),
        );
        assert_eq!(world.status, Status::Error);
    }
}
