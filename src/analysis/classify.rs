//! Chapter V: how one transfer to one place stands on a date. The legal facts (each place's
//! standing per period, each tool's validity window per generation) are data in
//! [`crate::reference`]; this module is the decision table that combines them, written out for
//! lawyers in `docs/transfers.md`. Dates before 2018-05-25 are judged under Directive 95/46/EC
//! (Arts. 25 and 26), later ones under the GDPR (Arts. 44-49).
//!
//! A transfer may name several tools; each gives an option and the best one decides, so that
//! SCCs with a TIA still cover a US importer that is not DPF-certified.

use crate::model::{Mechanism, Place, Tristate};
use crate::reference::{self, HrData, Period, ReferenceData, Standing, Tool};
use chrono::NaiveDate;
use serde::Serialize;
use std::sync::Arc;

/// How a transfer stands, from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Not a transfer under Chapter V (EEA, or the UK during the TCA bridge).
    NoTransfer,
    /// Covered.
    Ok,
    /// Covered with a gap to close (no TIA, a derogation, the contract date decides).
    Warning,
    /// Not covered.
    Error,
}

/// The body of law a date is judged under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Regime {
    /// Directive 95/46/EC, Arts. 25 and 26 (before 2018-05-25).
    Directive,
    /// Regulation (EU) 2016/679, Chapter V.
    Gdpr,
}

/// Why a transfer has its status: a stable key for rules and translations, with the act and
/// dates the reader needs to check it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "key")]
pub enum Reason {
    /// The destination is inside the EU or EEA on the date (`act`: what makes it so, empty
    /// when the register says only `EU`/`EEA`).
    Eea { act: String },
    /// The EU-UK Trade and Cooperation Agreement's bridge (2021-01-01 to 2021-06-27): not a
    /// transfer to a third country.
    UkBridge { act: String },
    /// An adequacy decision covering the whole place.
    Adequacy {
        article: String,
        decision: String,
        since: String,
    },
    /// An adequacy decision limited in scope: the importer must fall within it.
    PartialAdequacy {
        article: String,
        decision: String,
        since: String,
        scope: String,
    },
    /// Employees' data to a place whose decision largely leaves it out (PIPEDA).
    EmployeeDataOutsideAdequacy { decision: String, scope: String },
    /// US importer certified under the DPF.
    DpfCertified { decision: String },
    /// HR data to a DPF-certified importer whose certification is not known to cover HR data.
    DpfHrUnknown { decision: String },
    /// HR data to a DPF-certified importer whose certification excludes HR data.
    DpfWithoutHr { decision: String },
    /// US importer relying on adequacy or the DPF without being certified.
    UsWithoutDpf,
    /// Adequacy or the DPF claimed for a US importer on a date the DPF did not cover:
    /// `scheme` is the US decision then in force (Safe Harbor, Privacy Shield), if any.
    UsAdequacyNotOnDate { scheme: Option<String> },
    /// Adequacy claimed for a place no decision covers on the date; `ended` names the last
    /// decision and its end, if one has lapsed.
    NoAdequacy { ended: Option<Lapsed> },
    /// An Art. 46 (or Directive Art. 26) tool in force, with a TIA where one is expected.
    Safeguard { article: String, instrument: String },
    /// An Art. 46 tool without the transfer impact assessment expected since 2020-07-16.
    SafeguardWithoutTia { article: String, instrument: String },
    /// A tool that did not (yet, or any longer) cover transfers on the date.
    SafeguardOutOfForce {
        instrument: String,
        from: String,
        until: String,
    },
    /// No old SCC set covered transfers on the date (before the first, after the last grace
    /// day).
    OldSccsOutOfForce { from: String, until: String },
    /// The old SCC sets after their repeal: they cover only contracts concluded before
    /// `repealed`, until `grace_until`.
    OldSccInGrace {
        instrument: String,
        repealed: String,
        grace_until: String,
    },
    /// `SCC` without a generation while both generations were in use: the contract date
    /// decides which set applies.
    SccGenerationUnclear {
        new_from: String,
        old_repealed: String,
        grace_until: String,
    },
    /// A derogation: occasional transfers only.
    Derogation { article: String },
    /// Privacy Shield or Safe Harbor after the judgment that invalidated it.
    Invalidated {
        instrument: String,
        judgment: String,
        date: String,
    },
    /// Privacy Shield or Safe Harbor while it was in force.
    FormerlyValid { article: String, instrument: String },
    /// No mechanism recorded.
    NoMechanism,
    /// The importer's location is unknown, `Europe` or `worldwide`.
    UnknownLocation,
}

/// An adequacy decision that has lapsed: the act and its last day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lapsed {
    pub decision: String,
    pub until: String,
}

/// The verdict on one transfer to one place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub status: Status,
    /// The mechanism the verdict rests on, if any.
    pub mechanism: Option<Mechanism>,
    pub reason: Reason,
    pub regime: Regime,
    /// What the partial adequacy decision the verdict rests on covers (its `covers` in
    /// reference data), quoted in every report.
    pub scope: Option<String>,
    /// Where the tool the verdict rests on governs onward transfers from the importer.
    pub onward_terms: Option<Arc<str>>,
}

/// What is known about the importer and the data that matters for its transfers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Importer {
    pub dpf_certified: Tristate,
    /// Whether its DPF certification covers HR data.
    pub dpf_hr: Tristate,
    pub tia: Tristate,
    /// Whether the data is about employees or job applicants (HR data).
    pub hr_data: bool,
}

fn iso(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// The options one date gives for one transfer.
struct Judge<'a> {
    data: &'a ReferenceData,
    on: NaiveDate,
    regime: Regime,
    importer: Importer,
}

impl<'a> Judge<'a> {
    fn verdict(&self, status: Status, mechanism: Option<Mechanism>, reason: Reason) -> Assessment {
        Assessment {
            status,
            mechanism,
            reason,
            regime: self.regime,
            scope: None,
            onward_terms: None,
        }
    }

    fn tool(&self, key: &str) -> &'a Tool {
        self.data
            .tool(key)
            .unwrap_or_else(|| panic!("mechanisms.csv has the `{key}` row"))
    }

    /// The article an adequacy decision rests on at the date: Art. 25(6) of the Directive
    /// before the GDPR, Art. 45(9) for decisions the GDPR kept, else Art. 45(3).
    fn adequacy_article(&self, period: &Period) -> String {
        let directive = self.tool("adequacy_directive");
        let gdpr = self.data.gdpr_applies();
        let adopted = period.adopted.or(period.from);
        if self.on < gdpr {
            directive.article.clone()
        } else if adopted.is_some_and(|d| d < gdpr) {
            format!("Art. 45(9) GDPR ({})", directive.article)
        } else {
            "Art. 45(3) GDPR".to_string()
        }
    }

    /// Art. 45 (Art. 25(6) of the Directive): the place's own decision, outside the US.
    fn adequacy(&self, period: Option<&Period>, claimed: bool, code: &str) -> Option<Assessment> {
        let covering =
            period.filter(|p| matches!(p.standing, Standing::Adequate | Standing::AdequatePartial));
        let Some(p) = covering else {
            if !claimed {
                return None;
            }
            let ended = self
                .data
                .periods_of(code)
                .filter(|p| {
                    matches!(p.standing, Standing::Adequate | Standing::AdequatePartial)
                        && p.until.is_some_and(|u| u < self.on)
                })
                .max_by_key(|p| p.until)
                .map(|p| Lapsed {
                    decision: p.citation(),
                    until: iso(p.until),
                });
            return Some(self.verdict(
                Status::Error,
                Some(Mechanism::Adequacy),
                Reason::NoAdequacy { ended },
            ));
        };
        let article = self.adequacy_article(p);
        let since = iso(p.from);
        let mut verdict = if p.standing == Standing::Adequate {
            self.verdict(
                Status::Ok,
                Some(Mechanism::Adequacy),
                Reason::Adequacy {
                    article,
                    decision: p.citation(),
                    since,
                },
            )
        } else if self.importer.hr_data && p.hr_data == HrData::Outside {
            self.verdict(
                Status::Warning,
                Some(Mechanism::Adequacy),
                Reason::EmployeeDataOutsideAdequacy {
                    decision: p.citation(),
                    scope: p.scope_in_brief.clone(),
                },
            )
        } else {
            self.verdict(
                Status::Ok,
                Some(Mechanism::Adequacy),
                Reason::PartialAdequacy {
                    article,
                    decision: p.citation(),
                    since,
                    scope: p.scope_in_brief.clone(),
                },
            )
        };
        verdict.onward_terms = Some(self.tool("adequacy").onward_terms.as_str().into());
        Some(verdict)
    }

    /// The US: covered by adequacy only through a certification scheme (Safe Harbor, Privacy
    /// Shield, the DPF), each judged on its own dates.
    fn united_states(&self, period: Option<&Period>, mechanisms: &[Mechanism]) -> Vec<Assessment> {
        let mut options = Vec::new();
        let claimed = mechanisms
            .iter()
            .any(|m| matches!(m, Mechanism::Dpf | Mechanism::Adequacy));
        let dpf = self.tool("dpf");
        let dpf_period = period.filter(|p| {
            p.standing == Standing::AdequatePartial && p.celex.contains(dpf.celex.as_str())
        });
        if let Some(p) = dpf_period {
            let decision = p.citation();
            if self.importer.dpf_certified == Tristate::Yes {
                let (status, reason) = match (
                    self.importer.hr_data && p.hr_data == HrData::CertifiedOnly,
                    self.importer.dpf_hr,
                ) {
                    (false, _) | (true, Tristate::Yes) => {
                        (Status::Ok, Reason::DpfCertified { decision })
                    }
                    (true, Tristate::No) => (Status::Error, Reason::DpfWithoutHr { decision }),
                    (true, Tristate::Unknown) => {
                        (Status::Warning, Reason::DpfHrUnknown { decision })
                    }
                };
                let mut verdict = self.verdict(status, Some(Mechanism::Dpf), reason);
                verdict.onward_terms = Some(dpf.onward_terms.as_str().into());
                options.push(verdict);
            } else if claimed {
                options.push(self.verdict(
                    Status::Error,
                    Some(Mechanism::Dpf),
                    Reason::UsWithoutDpf,
                ));
            }
        } else if claimed {
            let scheme = period
                .filter(|p| p.standing == Standing::AdequatePartial)
                .map(Period::citation);
            options.push(self.verdict(
                Status::Error,
                Some(Mechanism::Dpf),
                Reason::UsAdequacyNotOnDate { scheme },
            ));
        }
        options
    }

    /// Safe Harbor and the Privacy Shield: US certification schemes, in force until the
    /// judgments that struck them down.
    fn us_scheme(&self, mechanism: Mechanism, code: &str) -> Assessment {
        let tool = self.tool(match mechanism {
            Mechanism::SafeHarbor => "safe_harbor",
            _ => "privacy_shield",
        });
        if code != "US" {
            // Both decisions covered only US organisations.
            return self.verdict(
                Status::Error,
                Some(mechanism),
                Reason::NoAdequacy { ended: None },
            );
        }
        if tool.in_force(self.on) {
            let mut verdict = self.verdict(
                Status::Ok,
                Some(mechanism),
                Reason::FormerlyValid {
                    article: tool.article_on(self.on).to_string(),
                    instrument: tool.citation(),
                },
            );
            verdict.onward_terms = Some(tool.onward_terms.as_str().into());
            verdict
        } else if tool.valid_from.is_some_and(|f| self.on < f) {
            self.out_of_force(mechanism, tool)
        } else {
            self.verdict(
                Status::Error,
                Some(mechanism),
                Reason::Invalidated {
                    instrument: tool.citation(),
                    judgment: tool.ended_by.clone(),
                    date: iso(tool.valid_until.and_then(|d| d.succ_opt())),
                },
            )
        }
    }

    fn out_of_force(&self, mechanism: Mechanism, tool: &Tool) -> Assessment {
        self.verdict(
            Status::Error,
            Some(mechanism),
            Reason::SafeguardOutOfForce {
                instrument: tool.citation(),
                from: iso(tool.valid_from),
                until: iso(tool.grace_until.or(tool.valid_until)),
            },
        )
    }

    /// An Art. 46 tool (Art. 26 of the Directive) in force: covered, with a TIA where one is
    /// expected on the date.
    fn safeguard(&self, mechanism: Mechanism, tools: &[&Tool]) -> Assessment {
        let first = tools[0];
        let article = first.article_on(self.on).to_string();
        let instrument = tools
            .iter()
            .map(|t| t.citation())
            .collect::<Vec<_>>()
            .join("; ");
        let tia_missing =
            tools.iter().any(|t| t.tia_expected(self.on)) && self.importer.tia != Tristate::Yes;
        let (status, reason) = if tia_missing {
            (
                Status::Warning,
                Reason::SafeguardWithoutTia {
                    article,
                    instrument,
                },
            )
        } else {
            (
                Status::Ok,
                Reason::Safeguard {
                    article,
                    instrument,
                },
            )
        };
        let mut verdict = self.verdict(status, Some(mechanism), reason);
        let terms: Vec<&str> = tools
            .iter()
            .map(|t| t.onward_terms.as_str())
            .filter(|t| !t.is_empty())
            .collect();
        if !terms.is_empty() {
            verdict.onward_terms = Some(terms.join("; ").into());
        }
        verdict
    }

    /// One tool row judged on the date.
    fn one_tool(&self, mechanism: Mechanism, key: &str) -> Assessment {
        let tool = self.tool(key);
        if tool.in_force(self.on) {
            self.safeguard(mechanism, &[tool])
        } else {
            self.out_of_force(mechanism, tool)
        }
    }

    /// The tool for a mechanism under the regime of the date: the Directive's rows before the
    /// GDPR applied (kept valid afterwards by Art. 46(5)), the GDPR's from then on.
    fn by_regime(&self, mechanism: Mechanism, directive: &str, gdpr: &str) -> Assessment {
        match self.regime {
            Regime::Directive => self.one_tool(mechanism, directive),
            Regime::Gdpr => self.one_tool(mechanism, gdpr),
        }
    }

    /// The old SCC sets (2001/497/EC, 2004/915/EC, 2002/16/EC, 2010/87/EU) on the date.
    fn old_sccs(&self, mechanism: Mechanism) -> Assessment {
        let old: Vec<&Tool> = self
            .data
            .tools
            .iter()
            .filter(|t| t.key.starts_with("scc_") && t.key != "scc_2021_914")
            .collect();
        let in_force: Vec<&Tool> = old
            .iter()
            .copied()
            .filter(|t| t.in_force(self.on))
            .collect();
        if !in_force.is_empty() {
            return self.safeguard(mechanism, &in_force);
        }
        if let Some(t) = old.iter().find(|t| t.in_grace(self.on)) {
            let mut verdict = self.verdict(
                Status::Warning,
                Some(mechanism),
                Reason::OldSccInGrace {
                    instrument: old
                        .iter()
                        .filter(|t| t.in_grace(self.on))
                        .map(|t| t.citation())
                        .collect::<Vec<_>>()
                        .join("; "),
                    repealed: iso(t.valid_until.and_then(|d| d.succ_opt())),
                    grace_until: iso(t.grace_until),
                },
            );
            verdict.onward_terms = Some(t.onward_terms.as_str().into());
            return verdict;
        }
        // Before the first set or after the last grace day.
        let first = old
            .iter()
            .min_by_key(|t| t.valid_from)
            .expect("mechanisms.csv has the old SCC sets");
        let last = old
            .iter()
            .max_by_key(|t| t.grace_until.or(t.valid_until))
            .expect("mechanisms.csv has the old SCC sets");
        self.verdict(
            Status::Error,
            Some(mechanism),
            Reason::OldSccsOutOfForce {
                from: iso(first.valid_from),
                until: iso(last.grace_until.or(last.valid_until)),
            },
        )
    }

    /// `SCC` with no generation: the old sets before the 2021 clauses existed, either while
    /// both were in use, the 2021 clauses once the old ones ended.
    fn plain_sccs(&self) -> Assessment {
        let new = self.tool("scc_2021_914");
        let last_old = self
            .data
            .tools
            .iter()
            .filter(|t| t.key.starts_with("scc_") && t.key != "scc_2021_914")
            .filter_map(|t| t.grace_until.map(|g| (g, t)))
            .max_by_key(|(g, _)| *g);
        let new_from = new.valid_from.expect("the 2021 clauses have a start date");
        match last_old {
            _ if self.on < new_from => self.old_sccs(Mechanism::Scc),
            Some((grace, old)) if self.on <= grace => self.verdict(
                Status::Warning,
                Some(Mechanism::Scc),
                Reason::SccGenerationUnclear {
                    new_from: iso(Some(new_from)),
                    old_repealed: iso(old.valid_until.and_then(|d| d.succ_opt())),
                    grace_until: iso(Some(grace)),
                },
            ),
            _ => self.one_tool(Mechanism::Scc, "scc_2021_914"),
        }
    }

    /// The option a named tool gives (adequacy and the DPF are judged with the place).
    fn mechanism(&self, mechanism: Mechanism, code: &str) -> Option<Assessment> {
        Some(match mechanism {
            Mechanism::Adequacy | Mechanism::Dpf | Mechanism::None => return None,
            Mechanism::PrivacyShield | Mechanism::SafeHarbor => self.us_scheme(mechanism, code),
            Mechanism::Scc => self.plain_sccs(),
            Mechanism::SccLegacy => self.old_sccs(mechanism),
            Mechanism::Scc2021 => self.one_tool(mechanism, "scc_2021_914"),
            Mechanism::Bcr => self.by_regime(mechanism, "bcr_directive", "bcr"),
            Mechanism::AdHocClauses => {
                self.by_regime(mechanism, "ad_hoc_clauses_directive", "ad_hoc_clauses")
            }
            Mechanism::CodeOfConduct => self.one_tool(mechanism, "code_of_conduct"),
            Mechanism::Certification => self.one_tool(mechanism, "certification"),
            Mechanism::PublicAuthorityInstrument => {
                self.one_tool(mechanism, "public_authority_instrument")
            }
            Mechanism::SupervisoryAuthorityClauses => self.one_tool(mechanism, "sa_scc"),
            Mechanism::AdministrativeArrangement => {
                self.one_tool(mechanism, "administrative_arrangement")
            }
            Mechanism::Derogation => {
                let tool = self.tool(match self.regime {
                    Regime::Directive => "derogation_directive",
                    Regime::Gdpr => "derogation",
                });
                self.verdict(
                    Status::Warning,
                    Some(mechanism),
                    Reason::Derogation {
                        article: tool.article_on(self.on).to_string(),
                    },
                )
            }
        })
    }
}

/// Judges a transfer to `place` relying on `mechanisms`, on the date `on`. `None` as the place
/// means the importer's location is unknown.
pub fn assess(
    place: Option<&Place>,
    mechanisms: &[Mechanism],
    importer: Importer,
    on: NaiveDate,
) -> Assessment {
    let data = reference::data();
    let judge = Judge {
        data,
        on,
        regime: if on < data.gdpr_applies() {
            Regime::Directive
        } else {
            Regime::Gdpr
        },
        importer,
    };
    let code = match place {
        Some(Place::Eu | Place::Eea) => {
            return judge.verdict(Status::NoTransfer, None, Reason::Eea { act: String::new() });
        }
        Some(Place::Country(code) | Place::Organisation(code)) => code.as_str(),
        // A third country the register does not name: no adequacy can hold for it.
        Some(Place::OutsideEea) => "non-EEA",
        Some(Place::Worldwide | Place::Europe) | None => {
            return judge.verdict(Status::Error, None, Reason::UnknownLocation);
        }
    };
    let period = data.standing(code, on);
    match period.map(|p| p.standing) {
        Some(Standing::Eu | Standing::Eea) => {
            let act = period.map(Period::citation).unwrap_or_default();
            return judge.verdict(Status::NoTransfer, None, Reason::Eea { act });
        }
        Some(Standing::Bridge) => {
            let act = period.map(Period::citation).unwrap_or_default();
            return judge.verdict(Status::NoTransfer, None, Reason::UkBridge { act });
        }
        _ => {}
    }

    let mut options: Vec<Assessment> = if code == "US" {
        judge.united_states(period, mechanisms)
    } else {
        let claimed = mechanisms
            .iter()
            .any(|m| matches!(m, Mechanism::Adequacy | Mechanism::Dpf));
        judge.adequacy(period, claimed, code).into_iter().collect()
    };
    options.extend(mechanisms.iter().filter_map(|&m| judge.mechanism(m, code)));
    if options.is_empty() || mechanisms.contains(&Mechanism::None) {
        options.push(judge.verdict(Status::Error, None, Reason::NoMechanism));
    }
    // The best option decides; among equals, the first (adequacy before tools).
    let mut best = options
        .into_iter()
        .enumerate()
        .min_by_key(|(i, a)| (a.status, *i))
        .map(|(_, a)| a)
        .unwrap_or_else(|| judge.verdict(Status::Error, None, Reason::NoMechanism));
    // A verdict resting on a partial decision quotes its scope: the reader must check that
    // the importer falls within it.
    if matches!(best.mechanism, Some(Mechanism::Adequacy | Mechanism::Dpf))
        && best.status != Status::Error
        && let Some(p) = period.filter(|p| p.standing == Standing::AdequatePartial)
    {
        best.scope = Some(p.scope_in_brief.clone());
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use Mechanism as M;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    const U: Tristate = Tristate::Unknown;
    const Y: Tristate = Tristate::Yes;

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
                dpf_hr: U,
                tia,
                hr_data: false,
            },
            day(on),
        )
    }

    #[test]
    fn eea_and_unknown_places() {
        assert_eq!(at("DE", &[], U, U, "2026-01-01").status, Status::NoTransfer);
        let importer = Importer {
            dpf_certified: U,
            dpf_hr: U,
            tia: Y,
            hr_data: false,
        };
        let eu = assess(Some(&Place::Eu), &[], importer, day("2026-01-01"));
        assert_eq!(eu.status, Status::NoTransfer);
        let unknown = assess(None, &[M::Scc], importer, day("2026-01-01"));
        assert_eq!(unknown.reason, Reason::UnknownLocation);
        let world = assess(Some(&Place::Worldwide), &[], importer, day("2026-01-01"));
        assert_eq!(world.status, Status::Error);
    }

    #[test]
    fn the_best_option_decides() {
        // SCCs with a TIA cover a US importer that is not certified.
        assert_eq!(
            at("US", &[M::Dpf, M::Scc], U, Y, "2024-01-01").status,
            Status::Ok
        );
        // An explicit `none` does not hide an adequacy decision.
        assert_eq!(at("CH", &[M::None], U, U, "2024-01-01").status, Status::Ok);
    }

    #[test]
    fn reasons_cite_the_directive_before_the_gdpr() {
        let before = at("IN", &[M::Bcr], U, U, "2017-01-01");
        assert_eq!(before.regime, Regime::Directive);
        assert!(
            matches!(before.reason, Reason::Safeguard { ref article, .. } if article.contains("Directive 95/46/EC")),
            "{before:?}"
        );
        let after = at("CH", &[], U, U, "2024-01-01");
        assert!(
            matches!(after.reason, Reason::Adequacy { ref article, ref decision, .. } if article.starts_with("Art. 45(9)") && decision.contains("CELEX")),
            "{after:?}"
        );
    }
}
