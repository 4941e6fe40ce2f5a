//! Time travel: every place and transfer tool the legal review names, judged the day before,
//! on, and after each date that changes the answer. The expected statuses are written from the
//! review (`legal-review.md`) and the acts it cites, not from ropa's tables, so a wrong row in
//! `src/reference/data` fails here.

use chrono::{Days, NaiveDate};
use ropa::analysis::classify::{Importer, Reason, Regime, Status, assess};
use ropa::model::{Mechanism as M, Place, Tristate};

const N: Status = Status::NoTransfer;
const OK: Status = Status::Ok;
const W: Status = Status::Warning;
const E: Status = Status::Error;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// What the importer and its data are.
#[derive(Clone, Copy)]
struct Facts {
    dpf: Tristate,
    dpf_hr: Tristate,
    tia: Tristate,
    hr: bool,
}

const PLAIN: Facts = Facts {
    dpf: Tristate::Unknown,
    dpf_hr: Tristate::Unknown,
    tia: Tristate::Unknown,
    hr: false,
};
const WITH_TIA: Facts = Facts {
    tia: Tristate::Yes,
    ..PLAIN
};
const CERTIFIED: Facts = Facts {
    dpf: Tristate::Yes,
    ..PLAIN
};

fn judge(place: &str, mechanisms: &[M], facts: Facts, on: NaiveDate) -> (Status, Reason, Regime) {
    let place = match place {
        "EU" => Place::Eu,
        "non-EEA" => Place::OutsideEea,
        "EPO" => Place::Organisation("EPO".into()),
        code => Place::Country(code.into()),
    };
    let a = assess(
        Some(&place),
        mechanisms,
        Importer {
            dpf_certified: facts.dpf,
            dpf_hr: facts.dpf_hr,
            tia: facts.tia,
            hr_data: facts.hr,
        },
        on,
    );
    (a.status, a.reason, a.regime)
}

/// One boundary: the place and tools, the first day of the new answer, and the statuses the
/// day before, on that day, and the day after.
struct Boundary {
    what: &'static str,
    place: &'static str,
    mechanisms: &'static [M],
    facts: Facts,
    date: &'static str,
    expect: [Status; 3],
}

const fn b(
    what: &'static str,
    place: &'static str,
    mechanisms: &'static [M],
    facts: Facts,
    date: &'static str,
    expect: [Status; 3],
) -> Boundary {
    Boundary {
        what,
        place,
        mechanisms,
        facts,
        date,
        expect,
    }
}

/// The table, from the review. `date` is the first day of the new status.
const BOUNDARIES: &[Boundary] = &[
    // US: Safe Harbor, invalid from C-362/14 (2015-10-06).
    b(
        "Safe Harbor starts",
        "US",
        &[M::SafeHarbor],
        PLAIN,
        "2000-07-26",
        [E, OK, OK],
    ),
    b(
        "Safe Harbor struck down",
        "US",
        &[M::SafeHarbor],
        PLAIN,
        "2015-10-06",
        [OK, E, E],
    ),
    // Privacy Shield from 2016-07-12, invalid from C-311/18 (2020-07-16).
    b(
        "Privacy Shield starts",
        "US",
        &[M::PrivacyShield],
        PLAIN,
        "2016-07-12",
        [E, OK, OK],
    ),
    b(
        "Privacy Shield struck down",
        "US",
        &[M::PrivacyShield],
        PLAIN,
        "2020-07-16",
        [OK, E, E],
    ),
    // The DPF for certified importers from 2023-07-10; never for uncertified ones.
    b(
        "DPF starts (certified)",
        "US",
        &[M::Dpf],
        CERTIFIED,
        "2023-07-10",
        [E, OK, OK],
    ),
    b(
        "DPF starts (uncertified)",
        "US",
        &[M::Dpf],
        PLAIN,
        "2023-07-10",
        [E, E, E],
    ),
    // SCCs: no TIA expected before C-311/18, a warning without one after.
    b(
        "TIA expected (old SCCs)",
        "US",
        &[M::Scc],
        PLAIN,
        "2020-07-16",
        [OK, W, W],
    ),
    b(
        "TIA recorded (old SCCs)",
        "US",
        &[M::Scc],
        WITH_TIA,
        "2020-07-16",
        [OK, OK, OK],
    ),
    // Every Art. 46 tool needs a TIA from 2020-07-16, not SCCs and BCRs only.
    b(
        "TIA expected (BCR)",
        "IN",
        &[M::Bcr],
        PLAIN,
        "2020-07-16",
        [OK, W, W],
    ),
    b(
        "TIA expected (code of conduct)",
        "IN",
        &[M::CodeOfConduct],
        PLAIN,
        "2020-07-16",
        [OK, W, W],
    ),
    b(
        "TIA expected (certification)",
        "IN",
        &[M::Certification],
        PLAIN,
        "2020-07-16",
        [OK, W, W],
    ),
    b(
        "TIA expected (ad hoc clauses)",
        "IN",
        &[M::AdHocClauses],
        PLAIN,
        "2020-07-16",
        [OK, W, W],
    ),
    // Plain SCCs: the old sets, then either generation (the contract date decides), then the
    // 2021 clauses only.
    b(
        "2021 SCCs usable",
        "IN",
        &[M::Scc],
        WITH_TIA,
        "2021-06-27",
        [OK, W, W],
    ),
    b(
        "plain SCCs mean the 2021 set",
        "IN",
        &[M::Scc],
        WITH_TIA,
        "2022-12-28",
        [W, OK, OK],
    ),
    // Old sets: repealed from 2021-09-27, earlier contracts covered until 2022-12-27.
    b(
        "old SCC sets start",
        "IN",
        &[M::SccLegacy],
        WITH_TIA,
        "2001-09-03",
        [E, OK, OK],
    ),
    b(
        "old SCCs repealed",
        "IN",
        &[M::SccLegacy],
        WITH_TIA,
        "2021-09-27",
        [OK, W, W],
    ),
    b(
        "old SCCs' grace ends",
        "IN",
        &[M::SccLegacy],
        WITH_TIA,
        "2022-12-28",
        [W, E, E],
    ),
    b(
        "2021 SCCs start",
        "IN",
        &[M::Scc2021],
        WITH_TIA,
        "2021-06-27",
        [E, OK, OK],
    ),
    // Codes of conduct and certification exist only under the GDPR; BCRs and ad hoc clauses
    // authorised under the Directive were valid before it.
    b(
        "codes of conduct start",
        "IN",
        &[M::CodeOfConduct],
        WITH_TIA,
        "2018-05-25",
        [E, OK, OK],
    ),
    b(
        "certification starts",
        "IN",
        &[M::Certification],
        WITH_TIA,
        "2018-05-25",
        [E, OK, OK],
    ),
    b(
        "Art. 46(2)(a) starts",
        "IN",
        &[M::PublicAuthorityInstrument],
        WITH_TIA,
        "2018-05-25",
        [E, OK, OK],
    ),
    b(
        "Art. 46(3)(b) starts",
        "IN",
        &[M::AdministrativeArrangement],
        WITH_TIA,
        "2018-05-25",
        [E, OK, OK],
    ),
    b(
        "Art. 46(2)(d) starts",
        "IN",
        &[M::SupervisoryAuthorityClauses],
        WITH_TIA,
        "2018-05-25",
        [E, OK, OK],
    ),
    b(
        "BCRs across the GDPR",
        "IN",
        &[M::Bcr],
        WITH_TIA,
        "2018-05-25",
        [OK, OK, OK],
    ),
    b(
        "ad hoc clauses across the GDPR",
        "IN",
        &[M::AdHocClauses],
        WITH_TIA,
        "2018-05-25",
        [OK, OK, OK],
    ),
    // The UK: member state, transition, the TCA bridge, adequacy, its extension and renewal.
    b(
        "UK leaves the EU",
        "GB",
        &[],
        PLAIN,
        "2020-02-01",
        [N, N, N],
    ),
    b(
        "UK transition ends: TCA bridge",
        "GB",
        &[],
        PLAIN,
        "2021-01-01",
        [N, N, N],
    ),
    b(
        "UK adequacy starts",
        "GB",
        &[],
        PLAIN,
        "2021-06-28",
        [N, OK, OK],
    ),
    b(
        "UK adequacy renewed",
        "GB",
        &[],
        PLAIN,
        "2025-12-19",
        [OK, OK, OK],
    ),
    b(
        "UK adequacy expires",
        "GB",
        &[],
        PLAIN,
        "2031-12-28",
        [OK, E, E],
    ),
    b(
        "UK adequacy expires (claimed)",
        "GB",
        &[M::Adequacy],
        PLAIN,
        "2031-12-28",
        [OK, E, E],
    ),
    // Gibraltar is outside the UK decision and the bridge.
    b(
        "Gibraltar leaves with the UK",
        "GI",
        &[],
        PLAIN,
        "2021-01-01",
        [N, E, E],
    ),
    b(
        "Gibraltar under the UK decision?",
        "GI",
        &[M::Adequacy],
        PLAIN,
        "2021-06-28",
        [E, E, E],
    ),
    // Territories.
    b(
        "Mayotte becomes an outermost region",
        "YT",
        &[],
        PLAIN,
        "2014-01-01",
        [E, N, N],
    ),
    b(
        "Saint-Barthélemy becomes an OCT",
        "BL",
        &[],
        PLAIN,
        "2012-01-01",
        [N, E, E],
    ),
    // The EEA EFTA states are no third countries before or after the GDPR reaches them.
    b("GDPR in the EEA", "NO", &[], PLAIN, "2018-07-20", [N, N, N]),
    // Adequacy decisions on their dates.
    b(
        "Brazil adequacy",
        "BR",
        &[],
        PLAIN,
        "2026-01-26",
        [E, OK, OK],
    ),
    b(
        "European Patent Organisation adequacy",
        "EPO",
        &[],
        PLAIN,
        "2025-07-15",
        [E, OK, OK],
    ),
    b(
        "Argentina adequacy",
        "AR",
        &[],
        PLAIN,
        "2003-06-30",
        [E, OK, OK],
    ),
    b(
        "Japan adequacy",
        "JP",
        &[],
        PLAIN,
        "2019-01-23",
        [E, OK, OK],
    ),
    b(
        "Korea adequacy",
        "KR",
        &[],
        PLAIN,
        "2021-12-17",
        [E, OK, OK],
    ),
];

#[test]
fn every_boundary_flips_on_its_day() {
    let mut failures = Vec::new();
    for row in BOUNDARIES {
        let date = day(row.date);
        let days = [
            date.checked_sub_days(Days::new(1)).unwrap(),
            date,
            date.checked_add_days(Days::new(1)).unwrap(),
        ];
        for (on, expected) in days.iter().zip(row.expect) {
            let (status, reason, _) = judge(row.place, row.mechanisms, row.facts, *on);
            if status != expected {
                failures.push(format!(
                    "{} ({} {:?}) on {on}: expected {expected:?}, got {status:?} ({reason:?})",
                    row.what, row.place, row.mechanisms
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn places_stand_where_the_treaties_put_them() {
    let on = day("2026-11-23");
    for code in [
        "GF", "GP", "MQ", "RE", "YT", "MF", "AX", "DE", "NO", "IS", "LI",
    ] {
        assert_eq!(judge(code, &[], PLAIN, on).0, N, "{code} is in the EU/EEA");
    }
    for code in [
        "GL", "BL", "PM", "NC", "PF", "WF", "AW", "CW", "SX", "BQ", "GI",
    ] {
        assert_eq!(
            judge(code, &[], PLAIN, on).0,
            E,
            "{code} is a third country"
        );
    }
    assert_eq!(
        judge("FO", &[], PLAIN, on).0,
        OK,
        "the Faroe Islands are adequate"
    );
    assert_eq!(judge("EU", &[], PLAIN, on).0, N);
    // A place only said to be outside the EEA has no adequacy.
    assert_eq!(judge("non-EEA", &[M::Adequacy], PLAIN, on).0, E);
}

#[test]
fn the_bridge_and_the_transition_say_why() {
    let (status, reason, _) = judge("GB", &[], PLAIN, day("2021-03-01"));
    assert_eq!(status, N);
    assert!(
        matches!(reason, Reason::UkBridge { ref act } if act.contains("FINPROV.10A")),
        "{reason:?}"
    );
    let (_, reason, _) = judge("GB", &[], PLAIN, day("2020-06-01"));
    assert!(
        matches!(reason, Reason::Eea { ref act } if act.contains("Withdrawal Agreement")),
        "{reason:?}"
    );
}

#[test]
fn dates_before_the_gdpr_are_judged_under_the_directive() {
    let (_, reason, regime) = judge("IN", &[M::Scc], PLAIN, day("2015-01-01"));
    assert_eq!(regime, Regime::Directive);
    assert!(
        matches!(reason, Reason::Safeguard { ref article, .. } if article == "Art. 26(4) Directive 95/46/EC"),
        "{reason:?}"
    );
    let (_, reason, _) = judge("CH", &[], PLAIN, day("2015-01-01"));
    assert!(
        matches!(reason, Reason::Adequacy { ref article, .. } if article == "Art. 25(6) Directive 95/46/EC"),
        "{reason:?}"
    );
    let (_, reason, _) = judge("IN", &[M::Derogation], PLAIN, day("2015-01-01"));
    assert!(
        matches!(reason, Reason::Derogation { ref article } if article.contains("Art. 26(1) Directive")),
        "{reason:?}"
    );
    let (_, reason, regime) = judge("IN", &[M::Scc], PLAIN, day("2019-01-01"));
    assert_eq!(regime, Regime::Gdpr);
    assert!(
        matches!(reason, Reason::Safeguard { ref article, .. } if article == "Art. 46(5) GDPR"),
        "{reason:?}"
    );
}

#[test]
fn us_importers_follow_the_review_time_line() {
    // The review's table: what a US importer's record gives in each period.
    let periods = [
        // Safe Harbor, Privacy Shield, DPF (certified), SCCs without TIA, SCCs with TIA.
        ("2014-01-01", [OK, E, E, OK, OK]),
        ("2016-01-01", [E, E, E, OK, OK]),
        ("2018-01-01", [E, OK, E, OK, OK]),
        ("2021-01-01", [E, E, E, W, OK]),
        ("2025-01-01", [E, E, OK, W, OK]),
    ];
    for (on, expected) in periods {
        let on = day(on);
        let got = [
            judge("US", &[M::SafeHarbor], PLAIN, on).0,
            judge("US", &[M::PrivacyShield], PLAIN, on).0,
            judge("US", &[M::Dpf], CERTIFIED, on).0,
            judge("US", &[M::Scc], PLAIN, on).0,
            judge("US", &[M::Scc], WITH_TIA, on).0,
        ];
        assert_eq!(got, expected, "US on {on}");
    }
}

#[test]
fn hr_data_needs_the_right_coverage() {
    let on = day("2026-01-01");
    let hr = Facts {
        hr: true,
        ..CERTIFIED
    };
    assert!(matches!(
        judge("US", &[M::Dpf], hr, on),
        (W, Reason::DpfHrUnknown { .. }, _)
    ));
    let excluded = Facts {
        dpf_hr: Tristate::No,
        ..hr
    };
    assert!(matches!(
        judge("US", &[M::Dpf], excluded, on),
        (E, Reason::DpfWithoutHr { .. }, _)
    ));
    let included = Facts {
        dpf_hr: Tristate::Yes,
        ..hr
    };
    assert_eq!(judge("US", &[M::Dpf], included, on).0, OK);
    // Employee data is largely outside PIPEDA.
    let staff = Facts { hr: true, ..PLAIN };
    assert!(matches!(
        judge("CA", &[], staff, on),
        (W, Reason::EmployeeDataOutsideAdequacy { .. }, _)
    ));
    assert!(matches!(
        judge("CA", &[], PLAIN, on),
        (OK, Reason::PartialAdequacy { .. }, _)
    ));
}

#[test]
fn adequacy_wording_distinguishes_the_us_from_other_places() {
    let on = day("2026-01-01");
    // R003's reason only for the US; elsewhere "no adequacy decision".
    assert!(matches!(
        judge("US", &[M::Adequacy], PLAIN, on).1,
        Reason::UsWithoutDpf
    ));
    assert!(matches!(
        judge("IN", &[M::Adequacy], PLAIN, on).1,
        Reason::NoAdequacy { ended: None }
    ));
    assert!(matches!(
        judge("GB", &[M::Adequacy], PLAIN, day("2032-01-01")).1,
        Reason::NoAdequacy { ended: Some(_) }
    ));
    // The Privacy Shield covered only US organisations.
    assert_eq!(
        judge("IN", &[M::PrivacyShield], PLAIN, day("2018-01-01")).0,
        E
    );
}
