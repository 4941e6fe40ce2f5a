//! Every rule has a register that triggers it and one that nearly does but must not.

use ropa::analysis::policy::{Levels, Policy};
use ropa::diag::{Code, Diagnostic};

const ORG: &str = "Key,Value\nName,Acme B.V.\nRole,both\nCountry,NL\n";
const ACTIVITY_HEAD: &str = "Name,Role,Controllers,Purpose,Legal basis,Data subjects,Personal data,Recipients,Systems,Retention,Security measures,Special categories,Art9 condition\n";
const PROCESSOR_HEAD: &str =
    "Name,Service,Country,Parent,Transfer mechanism,DPF certified,TIA,DPA,Encrypted in transit\n";
/// A complete controller activity sending data to `Vendor`.
const GOOD_ACTIVITY: &str =
    "Support,controller,,Answer questions,contract,Customers,Name,Vendor,,1 year,TLS,,\n";

fn findings(
    activities: &str,
    processors: &str,
    extra: &[(&str, &str)],
    on: &str,
) -> Vec<Diagnostic> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("organisation.csv"), ORG).unwrap();
    std::fs::write(
        dir.path().join("activities.csv"),
        format!("{ACTIVITY_HEAD}{activities}"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("processors.csv"),
        format!("{PROCESSOR_HEAD}{processors}"),
    )
    .unwrap();
    for (name, text) in extra {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let imported = ropa::import::load("t", &[dir.path().to_path_buf()]).unwrap();
    let graph = ropa::graph::build(&imported.register);
    let as_of = chrono::NaiveDate::parse_from_str(on, "%Y-%m-%d").unwrap();
    let transfers = ropa::analysis::analyse(&imported.register, &graph, as_of);
    let policy = Policy::default();
    ropa::analysis::findings(
        &imported.register,
        &graph,
        &transfers,
        &imported.diagnostics,
        &Levels::default(),
        policy.max_chain_depth(),
    )
}

fn codes(findings: &[Diagnostic]) -> Vec<&'static str> {
    findings.iter().map(|d| d.code.as_str()).collect()
}

/// The date most cases are judged on.
const ON: &str = "2026-01-01";

/// (code, activities, processors) that trigger, then the near miss, judged on `on`.
struct Case {
    code: Code,
    on: &'static str,
    trigger: (&'static str, &'static str),
    near_miss: (&'static str, &'static str),
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            code: Code::TransferWithoutMechanism,
            on: ON,
            trigger: (GOOD_ACTIVITY, "Vendor,Hosting,IN,,,,,yes,yes\n"),
            near_miss: (GOOD_ACTIVITY, "Vendor,Hosting,CH,,,,,yes,yes\n"),
        },
        Case {
            code: Code::InvalidTransferMechanism,
            on: ON,
            trigger: (
                GOOD_ACTIVITY,
                "Vendor,Hosting,US,,EU-US Privacy Shield,,,yes,yes\n",
            ),
            near_miss: (GOOD_ACTIVITY, "Vendor,Hosting,US,,DPF,yes,,yes,yes\n"),
        },
        Case {
            code: Code::UsAdequacyWithoutDpf,
            on: ON,
            trigger: (GOOD_ACTIVITY, "Vendor,Hosting,US,,adequacy,no,,yes,yes\n"),
            near_miss: (GOOD_ACTIVITY, "Vendor,Hosting,US,,adequacy,yes,,yes,yes\n"),
        },
        Case {
            code: Code::SafeguardWithoutTia,
            on: ON,
            trigger: (GOOD_ACTIVITY, "Vendor,Hosting,US,,SCC,no,,yes,yes\n"),
            near_miss: (
                GOOD_ACTIVITY,
                "Vendor,Hosting,US,,SCC,no,2025-01-10,yes,yes\n",
            ),
        },
        Case {
            code: Code::DerogationForRegularTransfer,
            on: ON,
            trigger: (
                GOOD_ACTIVITY,
                "Vendor,Hosting,IN,,Art. 49 consent,,,yes,yes\n",
            ),
            near_miss: (GOOD_ACTIVITY, "Vendor,Hosting,IN,,BCR,,yes,yes,yes\n"),
        },
        Case {
            code: Code::ImporterLocationUnknown,
            on: ON,
            trigger: (
                GOOD_ACTIVITY,
                "Vendor,Hosting,worldwide,,SCC,,yes,yes,yes\n",
            ),
            near_miss: (GOOD_ACTIVITY, "Vendor,Hosting,EU,,,,,yes,yes\n"),
        },
        Case {
            code: Code::ProcessorWithoutDpa,
            on: ON,
            trigger: (GOOD_ACTIVITY, "Vendor,Hosting,DE,,,,,no,yes\n"),
            near_miss: (GOOD_ACTIVITY, "Vendor,Hosting,DE,,,,,,yes\n"),
        },
        Case {
            code: Code::DpaUnknown,
            on: ON,
            trigger: (GOOD_ACTIVITY, "Vendor,Hosting,DE,,,,,,yes\n"),
            near_miss: (GOOD_ACTIVITY, "Vendor,Hosting,DE,,,,,2023-04-01,yes\n"),
        },
        Case {
            code: Code::TransferNotEncrypted,
            on: ON,
            trigger: (GOOD_ACTIVITY, "Vendor,Hosting,US,,DPF,yes,,yes,no\n"),
            near_miss: (GOOD_ACTIVITY, "Vendor,Hosting,DE,,,,,yes,no\n"),
        },
        Case {
            code: Code::MissingPurpose,
            on: ON,
            trigger: (
                "Support,controller,,,contract,Customers,Name,Vendor,,1 year,TLS,,\n",
                "Vendor,Hosting,DE,,,,,yes,yes\n",
            ),
            near_miss: (GOOD_ACTIVITY, "Vendor,Hosting,DE,,,,,yes,yes\n"),
        },
        Case {
            code: Code::MissingDataSubjects,
            on: ON,
            trigger: (
                "Support,controller,,Help,contract,,Name,Vendor,,1 year,TLS,,\n",
                "Vendor,Hosting,DE,,,,,yes,yes\n",
            ),
            near_miss: (GOOD_ACTIVITY, "Vendor,Hosting,DE,,,,,yes,yes\n"),
        },
        Case {
            code: Code::MissingDataCategories,
            on: ON,
            trigger: (
                "Support,controller,,Help,contract,Customers,,Vendor,,1 year,TLS,,\n",
                "Vendor,Hosting,DE,,,,,yes,yes\n",
            ),
            near_miss: (GOOD_ACTIVITY, "Vendor,Hosting,DE,,,,,yes,yes\n"),
        },
        Case {
            code: Code::MissingRecipients,
            on: ON,
            trigger: (
                "Support,controller,,Help,contract,Customers,Name,,App,1 year,TLS,,\n",
                "Vendor,Hosting,DE,,,,,yes,yes\n",
            ),
            // The same activity naming no system reaches nobody: nothing is missing.
            near_miss: (
                "Support,controller,,Help,contract,Customers,Name,,,1 year,TLS,,\n",
                "Vendor,Hosting,DE,,,,,yes,yes\n",
            ),
        },
        Case {
            code: Code::MissingRetention,
            on: ON,
            trigger: (
                "Support,controller,,Help,contract,Customers,Name,Vendor,,,TLS,,\n",
                "Vendor,Hosting,DE,,,,,yes,yes\n",
            ),
            near_miss: (GOOD_ACTIVITY, "Vendor,Hosting,DE,,,,,yes,yes\n"),
        },
        Case {
            code: Code::MissingSecurityMeasures,
            on: ON,
            trigger: (
                "Support,controller,,Help,contract,Customers,Name,Vendor,,1 year,,,\n",
                "Vendor,Hosting,DE,,,,,yes,yes\n",
            ),
            near_miss: (GOOD_ACTIVITY, "Vendor,Hosting,DE,,,,,yes,yes\n"),
        },
        Case {
            code: Code::MissingLegalBasis,
            on: ON,
            trigger: (
                "Support,controller,,Help,,Customers,Name,Vendor,,1 year,TLS,,\n",
                "Vendor,Hosting,DE,,,,,yes,yes\n",
            ),
            // Processor activities take the controller's basis.
            near_miss: (
                "Hosting,processor,*,Host,,Users,Name,Vendor,,1 year,TLS,,\n",
                "Vendor,Hosting,DE,,,,,yes,yes\n",
            ),
        },
        Case {
            code: Code::SpecialCategoriesWithoutCondition,
            on: ON,
            trigger: (
                "HR,controller,,Sick leave,legal obligation,Employees,Name,Vendor,,1 year,TLS,Health data,\n",
                "Vendor,Hosting,DE,,,,,yes,yes\n",
            ),
            near_miss: (
                "HR,controller,,Sick leave,legal obligation,Employees,Name,Vendor,,1 year,TLS,Health data,9(2)(b) employment law\n",
                "Vendor,Hosting,DE,,,,,yes,yes\n",
            ),
        },
        Case {
            code: Code::CriminalDataWithoutBasis,
            on: ON,
            trigger: (
                "Hiring,controller,,Screening,legal obligation,Applicants,Name; criminal records checks,Vendor,,1 year,TLS,,\n",
                "Vendor,Hosting,DE,,,,,yes,yes\n",
            ),
            near_miss: (
                "Hiring,controller,,Screening,legal obligation,Applicants,Name; criminal records checks,Vendor,,1 year,TLS,,Art. 10 GDPR: authorised by Member State law\n",
                "Vendor,Hosting,DE,,,,,yes,yes\n",
            ),
        },
        Case {
            code: Code::ProcessorActivityWithoutControllers,
            on: ON,
            trigger: (
                "Hosting,processor,,Host,,Users,Name,Vendor,,1 year,TLS,,\n",
                "Vendor,Hosting,DE,,,,,yes,yes\n",
            ),
            near_miss: (
                "Hosting,processor,*,Host,,Users,Name,Vendor,,1 year,TLS,,\n",
                "Vendor,Hosting,DE,,,,,yes,yes\n",
            ),
        },
        Case {
            code: Code::OrphanProcessor,
            on: ON,
            trigger: (
                GOOD_ACTIVITY,
                "Vendor,Hosting,DE,,,,,yes,yes\nForgotten,Analytics,DE,,,,,yes,yes\n",
            ),
            near_miss: (
                GOOD_ACTIVITY,
                "Vendor,Hosting,DE,,,,,yes,yes\nHelper,Analytics,DE,Vendor,,,,yes,yes\n",
            ),
        },
        Case {
            code: Code::SubProcessorChainTooDeep,
            on: ON,
            trigger: (
                GOOD_ACTIVITY,
                "Vendor,Hosting,DE,,,,,yes,yes\nTwo,x,DE,Vendor,,,,yes,yes\nThree,x,DE,Two,,,,yes,yes\nFour,x,DE,Three,,,,yes,yes\n",
            ),
            near_miss: (
                GOOD_ACTIVITY,
                "Vendor,Hosting,DE,,,,,yes,yes\nTwo,x,DE,Vendor,,,,yes,yes\nThree,x,DE,Two,,,,yes,yes\n",
            ),
        },
        Case {
            code: Code::NoAdequacyDecision,
            on: ON,
            trigger: (GOOD_ACTIVITY, "Vendor,Hosting,IN,,adequacy,,,yes,yes\n"),
            near_miss: (GOOD_ACTIVITY, "Vendor,Hosting,CH,,adequacy,,,yes,yes\n"),
        },
        Case {
            code: Code::PartialAdequacyScope,
            on: ON,
            trigger: (GOOD_ACTIVITY, "Vendor,Hosting,JP,,,,,yes,yes\n"),
            near_miss: (GOOD_ACTIVITY, "Vendor,Hosting,CH,,,,,yes,yes\n"),
        },
        Case {
            code: Code::HrDataOutsideAdequacy,
            on: ON,
            trigger: (
                "Payroll,controller,,Pay staff,contract,Employees,Salary,Vendor,,10 years,TLS,,\n",
                "Vendor,Payroll,CA,,,,,yes,yes\n",
            ),
            near_miss: (GOOD_ACTIVITY, "Vendor,Hosting,CA,,,,,yes,yes\n"),
        },
        Case {
            code: Code::SccContractDateDecides,
            on: "2022-03-01",
            trigger: (GOOD_ACTIVITY, "Vendor,Hosting,IN,,SCC,,yes,yes,yes\n"),
            near_miss: (
                GOOD_ACTIVITY,
                "Vendor,Hosting,IN,,SCC 2021/914 module 2,,yes,yes,yes\n",
            ),
        },
    ]
}

const EXTRA: &[(&str, &str)] = &[
    ("systems.csv", "Name,Hosted by\nApp,Vendor\n"),
    ("customers.csv", "Name,Country\nShop,DE\n"),
];

#[test]
fn every_rule_triggers_on_its_fixture_and_not_on_the_near_miss() {
    let cases = cases();
    let covered: Vec<Code> = cases.iter().map(|c| c.code).collect();
    for rule in ropa::analysis::rules::RULES {
        assert!(covered.contains(&rule.code), "{} has no fixture", rule.code);
    }
    for case in cases {
        let hit = findings(case.trigger.0, case.trigger.1, EXTRA, case.on);
        assert!(
            codes(&hit).contains(&case.code.as_str()),
            "{} did not trigger: {:?}",
            case.code,
            codes(&hit)
        );
        let miss = findings(case.near_miss.0, case.near_miss.1, EXTRA, case.on);
        assert!(
            !codes(&miss).contains(&case.code.as_str()),
            "{} triggered on its near miss: {:#?}",
            case.code,
            miss.iter()
                .filter(|d| d.code == case.code)
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn transfer_findings_point_at_the_cell_that_states_the_mechanism() {
    let hit = findings(
        GOOD_ACTIVITY,
        "Vendor,Hosting,US,,EU-US Privacy Shield,,,yes,yes\n",
        EXTRA,
        ON,
    );
    let d = hit
        .iter()
        .find(|d| d.code == Code::InvalidTransferMechanism)
        .unwrap();
    let location = d.location.as_ref().unwrap().to_string();
    assert!(location.ends_with("processors.csv:2:5"), "{location}");
    assert!(d.message.contains("C-311/18"));
}
