//! Transfer analysis end to end: chains, cycles, category restrictions, several storage
//! countries, DPF, partial adequacy and the dates that change the answer; the reports read
//! back.

use calamine::{Reader, open_workbook_auto};
use chrono::NaiveDate;
use ropa::analysis::{self, Reason, Status, TransferAnalysis};
use std::path::Path;
use std::process::Command;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// Shared strings (a transfer's path, categories) as plain ones, to compare.
fn texts<'a>(names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    names.collect()
}

fn analyse(tables: &[(&str, &str)], on: &str) -> TransferAnalysis {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in tables {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let imported = ropa::import::load("t", &[dir.path().to_path_buf()]).unwrap();
    let graph = ropa::graph::build(&imported.register);
    analysis::analyse(&imported.register, &graph, day(on))
}

const ORG: (&str, &str) = (
    "organisation.csv",
    "Name,Role,Country\nAcme,controller,DE\n",
);

fn chain() -> Vec<(&'static str, &'static str)> {
    vec![
        ORG,
        (
            "activities.csv",
            "Name,Purpose,Data subjects,Personal data,Recipients\n\
             Mailing,Newsletters,Subscribers,E-mail address;Name;Purchase history,Mailer\n",
        ),
        (
            "processors.csv",
            "Name,Service,Country,Data location,Personal data,Parent,Transfer mechanism,DPF certified,TIA\n\
             Mailer,E-mail,DE,DE,,,,,\n\
             Relay,SMTP,US,US,E-mail address;Name,Mailer,SCC,no,yes\n\
             Logs,Logging,IN,IN,E-mail address,Relay,SCC,no,\n\
             Archive,Backup,CA,CA; SG,,Logs,,,\n\
             Loop,Monitoring,US,US,,Archive,DPF,yes,\n",
        ),
    ]
}

#[test]
fn chains_three_deep_keep_their_paths_and_narrow_their_categories() {
    let a = analyse(&chain(), "2026-01-01");
    let relay = a
        .transfers
        .iter()
        .find(|t| &*t.importer.name == "Relay")
        .unwrap();
    assert_eq!(
        texts(relay.path()),
        ["Acme (DE)", "Mailer (DE)", "Relay (US)"]
    );
    // An EEA processor sending data to the US makes the first transfer (EDPB Guidelines
    // 05/2021): it is the exporter.
    assert!(!relay.onward);
    assert_eq!(&*relay.exporter, "Mailer");
    // Transfers carry category identities (the canonical categories the words name).
    assert_eq!(
        texts(relay.categories()),
        ["email_address", "name"],
        "the edge restricts categories"
    );
    assert_eq!(relay.status, Status::Ok, "SCCs with a TIA");

    let logs = a
        .transfers
        .iter()
        .find(|t| &*t.importer.name == "Logs")
        .unwrap();
    assert_eq!(
        texts(logs.path()),
        ["Acme (DE)", "Mailer (DE)", "Relay (US)", "Logs (IN)"]
    );
    assert_eq!(texts(logs.categories()), ["email_address"]);
    // The US importer passing data on to India makes an onward transfer, resting on the
    // onward clause of the SCCs that brought the data to the US.
    assert!(logs.onward);
    let terms = logs.onward_terms.as_deref().unwrap_or_default();
    assert!(terms.contains("Clause 8.8"), "{terms}");
    assert_eq!(logs.status, Status::Warning, "SCCs without a TIA");
    assert!(matches!(
        logs.assessment.reason,
        Reason::SafeguardWithoutTia { .. }
    ));

    // Storage in two countries: one transfer each, judged separately.
    let archive: Vec<_> = a
        .transfers
        .iter()
        .filter(|t| &*t.importer.name == "Archive")
        .collect();
    let countries: Vec<&str> = archive.iter().map(|t| t.country.as_str()).collect();
    assert_eq!(countries, ["CA", "SG"]);
    assert_eq!(archive[0].status, Status::Ok, "Canada: partial adequacy");
    assert!(
        matches!(archive[0].assessment.reason, Reason::PartialAdequacy { ref scope, .. } if scope.contains("PIPEDA"))
    );
    assert_eq!(archive[1].status, Status::Error, "Singapore: no mechanism");
    assert_eq!(
        texts(archive[0].categories()),
        ["email_address"],
        "nothing wider than what reached Logs"
    );
}

#[test]
fn a_cycle_terminates_and_every_member_is_judged() {
    let mut tables = chain();
    // Loop → Relay closes a cycle Relay → Logs → Archive → Loop → Relay.
    tables[2].1 = "Name,Service,Country,Data location,Personal data,Parent,Sub-processors,Transfer mechanism,DPF certified,TIA\n\
             Mailer,E-mail,DE,DE,,,,,,\n\
             Relay,SMTP,US,US,E-mail address;Name,Mailer,,SCC,no,yes\n\
             Logs,Logging,IN,IN,E-mail address,Relay,,SCC,no,\n\
             Archive,Backup,CA,CA; SG,,Logs,,,,\n\
             Loop,Monitoring,US,US,,Archive,Relay,DPF,yes,\n";
    let a = analyse(&tables, "2026-01-01");
    let back = a
        .transfers
        .iter()
        .find(|t| &*t.exporter == "Loop" && &*t.importer.name == "Relay")
        .unwrap();
    assert_eq!(texts(back.categories()), ["email_address"]);
    let looped = a
        .transfers
        .iter()
        .find(|t| &*t.importer.name == "Loop")
        .unwrap();
    assert!(matches!(
        looped.assessment.reason,
        Reason::DpfCertified { .. }
    ));
}

fn us_importer(mechanism: &str, dpf: &str) -> Vec<(&'static str, String)> {
    vec![
        ("organisation.csv", ORG.1.to_string()),
        (
            "processors.csv",
            format!(
                "Name,Service,Country,Personal data,Transfer mechanism,DPF certified\nCloud,Hosting,US,Name,{mechanism},{dpf}\n"
            ),
        ),
    ]
}

fn status_of(tables: &[(&'static str, String)], on: &str) -> (Status, Reason) {
    let borrowed: Vec<(&str, &str)> = tables.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let a = analyse(&borrowed, on);
    let t = &a.transfers[0];
    (t.status, t.assessment.reason.clone())
}

#[test]
fn dpf_counts_only_for_certified_importers_from_2023_07_10() {
    assert!(matches!(
        status_of(&us_importer("DPF", "yes"), "2025-01-01"),
        (Status::Ok, Reason::DpfCertified { .. })
    ));
    assert_eq!(
        status_of(&us_importer("DPF", "no"), "2025-01-01"),
        (Status::Error, Reason::UsWithoutDpf)
    );
    assert_eq!(
        status_of(&us_importer("DPF", "yes"), "2022-01-01"),
        (Status::Error, Reason::UsAdequacyNotOnDate { scheme: None })
    );
    assert_eq!(
        status_of(&us_importer("", ""), "2025-01-01"),
        (Status::Error, Reason::NoMechanism)
    );
}

#[test]
fn privacy_shield_and_old_sccs_follow_their_dates() {
    let shield = us_importer("EU-US Privacy Shield", "");
    assert_eq!(status_of(&shield, "2019-06-01").0, Status::Ok);
    let (status, reason) = status_of(&shield, "2026-01-01");
    assert_eq!(status, Status::Error);
    assert!(
        matches!(reason, Reason::Invalidated { ref judgment, .. } if judgment.contains("C-311/18"))
    );
    let old = us_importer("SCC 2010/87/EU", "");
    assert_eq!(
        status_of(&old, "2022-06-01").0,
        Status::Warning,
        "valid, but no TIA"
    );
    assert_eq!(status_of(&old, "2023-01-01").0, Status::Error);
}

#[test]
fn brazil_and_the_uk_change_on_their_decision_dates() {
    let country = |code: &str| {
        vec![
            ("organisation.csv", ORG.1.to_string()),
            (
                "processors.csv",
                format!("Name,Service,Country,Personal data\nX,Hosting,{code},Name\n"),
            ),
        ]
    };
    assert_eq!(status_of(&country("BR"), "2025-06-01").0, Status::Error);
    assert_eq!(status_of(&country("BR"), "2026-02-01").0, Status::Ok);
    // The TCA bridge: not a transfer to a third country until 2021-06-27.
    let bridge = country("GB");
    let borrowed: Vec<(&str, &str)> = bridge.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let a = analyse(&borrowed, "2021-06-01");
    assert!(a.transfers.is_empty());
    let gb = a.destinations.iter().find(|d| d.country == "GB").unwrap();
    assert_eq!(gb.status, Status::NoTransfer);
    assert!(matches!(gb.worst.reason, Reason::UkBridge { .. }));
    assert_eq!(status_of(&country("GB"), "2021-06-28").0, Status::Ok);
}

#[test]
fn eea_recipients_are_summarised_as_no_transfer() {
    let a = analyse(&chain(), "2026-01-01");
    let de = a.destinations.iter().find(|d| d.country == "DE").unwrap();
    assert_eq!(de.status, Status::NoTransfer);
    assert!(a.transfers.iter().all(|t| t.country != "DE"));
    let us = a.destinations.iter().find(|d| d.country == "US").unwrap();
    assert_eq!(us.importers, ["Loop", "Relay"]);
}

#[test]
fn export_transfers_writes_four_readable_reports() {
    let out = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let result = Command::new(env!("CARGO_BIN_EXE_ropa"))
        .args([
            "export",
            "transfers",
            "inputs/dyflexis.xlsx",
            "--as-of",
            "2026-01-01",
            "--lang",
            "de",
            "--out",
        ])
        .arg(out.path())
        .current_dir(root)
        .output()
        .unwrap();
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let dir = out.path().join("dyflexis");
    for file in [
        "transfers.de.xlsx",
        "transfers.de.csv",
        "transfers.de.json",
        "transfers.de.md",
    ] {
        assert!(dir.join(file).is_file(), "{file}");
    }
    let mut workbook = open_workbook_auto(dir.join("transfers.de.xlsx")).unwrap();
    assert_eq!(
        workbook.sheet_names(),
        ["Übersicht", "US Vereinigte Staaten"]
    );
    let summary = workbook.worksheet_range("Übersicht").unwrap();
    let us_row = summary
        .rows()
        .find(|r| r[0] == "US")
        .expect("a US row in the summary");
    assert_eq!(us_row[2].to_string(), "nicht abgedeckt");
    let us = workbook.worksheet_range("US Vereinigte Staaten").unwrap();
    let rows: Vec<_> = us.rows().skip(4).collect();
    assert_eq!(rows.len(), 7, "seven US importers");
    let postmark = rows.iter().find(|r| r[3] == "Postmark").unwrap();
    assert_eq!(postmark[1].to_string(), "Dyflexis (NL) → Postmark (US)");
    assert!(
        postmark[13].to_string().contains("C-311/18"),
        "{}",
        postmark[13]
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("transfers.de.json")).unwrap()).unwrap();
    assert_eq!(json["as_of"], "2026-01-01");
    assert_eq!(json["transfers"].as_array().unwrap().len(), 7);
    let mut csv = csv::Reader::from_path(dir.join("transfers.de.csv")).unwrap();
    assert_eq!(csv.headers().unwrap().get(0), Some("Land"));
    assert_eq!(csv.records().count(), 7);
}

#[test]
fn hr_data_to_a_dpf_importer_needs_its_hr_certification() {
    let register = |hr: &str| {
        vec![
            ("organisation.csv", ORG.1.to_string()),
            (
                "activities.csv",
                "Name,Purpose,Data subjects,Personal data,Recipients\n\
                 Payroll,Pay salaries,Employees,Name;Salary,Portal\n\
                 Shop,Sell,Customers,Name,Portal\n"
                    .to_string(),
            ),
            (
                "processors.csv",
                format!(
                    "Name,Service,Country,Transfer mechanism,DPF certified,DPF HR\nPortal,HR portal,US,DPF,yes,{hr}\n"
                ),
            ),
        ]
    };
    let judged = |hr: &str| {
        let tables = register(hr);
        let borrowed: Vec<(&str, &str)> = tables.iter().map(|(n, t)| (*n, t.as_str())).collect();
        let a = analyse(&borrowed, "2026-01-01");
        assert_eq!(a.transfers.len(), 1, "one edge into Portal");
        (
            a.transfers[0].status,
            a.transfers[0].assessment.reason.clone(),
        )
    };
    assert!(matches!(
        judged("yes"),
        (Status::Ok, Reason::DpfCertified { .. })
    ));
    assert!(matches!(
        judged(""),
        (Status::Warning, Reason::DpfHrUnknown { .. })
    ));
    assert!(matches!(
        judged("no"),
        (Status::Error, Reason::DpfWithoutHr { .. })
    ));
}
