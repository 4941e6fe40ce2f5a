//! What the cells mean: transfers stated per activity are judged like any other, places in
//! free text, data categories in six languages and the special categories hidden in them,
//! recipients named loosely, processors naming themselves, and yes/no cells with evidence.

use ropa::diag::Diagnostic;
use ropa::import::{self, Imported};
use ropa::model::{Mechanism, Place, SpecialKind, Tristate};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Writes CSV files into a fresh folder and imports them as one register.
fn register(files: &[(&str, &str)]) -> (tempfile::TempDir, Imported) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let imported = import::load("test", &[dir.path().to_path_buf()]).unwrap();
    (dir, imported)
}

fn codes(imported: &Imported) -> Vec<&str> {
    imported
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect()
}

fn said<'a>(imported: &'a Imported, code: &str) -> Vec<&'a Diagnostic> {
    imported
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == code)
        .collect()
}

fn ropa(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ropa"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

const ORG: &str = "key,value\nname,Example B.V.\ncountry,NL\n";

#[test]
fn every_third_country_stated_per_activity_is_judged() {
    let out = tempfile::tempdir().unwrap();
    let result = ropa(&[
        "export",
        "transfers",
        "tests/fixtures/registers/ico_controller.xlsx",
        "--as-of",
        "2026-11-23",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let json: Value = serde_json::from_str(
        &std::fs::read_to_string(out.path().join("ico_controller/transfers.json")).unwrap(),
    )
    .unwrap();
    let by_country = |code: &str| -> Vec<&Value> {
        json["transfers"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["country"] == code)
            .collect()
    };
    let us = by_country("US");
    assert_eq!(us.len(), 1);
    assert_eq!(us[0]["mechanisms"][0], "scc");
    assert_eq!(us[0]["status"], "warning", "SCCs without a TIA");
    assert_eq!(us[0]["finding"], "R004");
    let au = by_country("AU");
    assert_eq!(
        au[0]["status"], "error",
        "no mechanism stated for Australia"
    );
    assert_eq!(au[0]["finding"], "R001");
    let ch = by_country("CH");
    assert_eq!(ch[0]["status"], "ok", "Switzerland is adequate");
    // Each is located at the activity's transfer cell.
    let cell = au[0]["country_cell"].as_str().unwrap();
    assert!(cell.ends_with(":Template!H12"), "{cell}");
}

#[test]
fn places_in_free_text() {
    let (_dir, imported) = register(&[
        ("organisation.csv", ORG),
        (
            "processors.csv",
            "Name,Service,Country,Locations\n\
             Alpha,Hosting,NL,may be transferred and stored outside the European Union\n\
             Beta,Hosting,NL,Europe\n\
             Gamma,Hosting,US,AWS eu-central-1\n\
             Delta,Mail,US (DPF certified),\n\
             Epsilon,Hosting,ES,Canary Islands\n\
             Zeta,Support,Northern Ireland,\n\
             Eta,Support,New Caledonia,\n\
             Theta,Patents,European Patent Organisation,\n\
             Iota,Hosting,US,Frankfurt; us-east-1\n",
        ),
    ]);
    let p = |name: &str| {
        imported
            .register
            .processors
            .iter()
            .find(|p| p.name == name)
            .unwrap()
    };
    assert_eq!(p("Alpha").locations, [Place::OutsideEea], "never the EU");
    assert_eq!(p("Beta").locations, [Place::Europe]);
    assert_eq!(p("Gamma").locations, [Place::Country("DE".into())]);
    assert_eq!(p("Delta").country, Some(Place::Country("US".into())));
    assert_eq!(p("Delta").dpf_certified, Tristate::Yes);
    assert_eq!(p("Epsilon").locations, [Place::Country("ES".into())]);
    assert_eq!(
        p("Zeta").country,
        Some(Place::Country("GB".into())),
        "Northern Ireland is GB"
    );
    assert_eq!(p("Eta").country, Some(Place::Country("NC".into())));
    assert_eq!(p("Theta").country, Some(Place::Organisation("EPO".into())));
    assert_eq!(
        p("Iota").locations,
        [Place::Country("DE".into()), Place::Country("US".into())],
        "several places in one cell are several"
    );
    let vague = said(&imported, "I031");
    assert_eq!(vague.len(), 2, "outside the EU and Europe: {vague:#?}");
}

#[test]
fn health_in_german_dutch_or_french_text_gives_the_special_category_finding() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("organisation.csv"), ORG).unwrap();
    std::fs::write(
        dir.path().join("activities.csv"),
        "Name;Purpose;Legal basis;Data subjects;Data categories;Art. 9 condition\n\
         Krankmeldungen;HR;Art. 6 Abs. 1 lit. b;Mitarbeiter;Name, Gesundheitsdaten (AU-Bescheinigungen);\n\
         Verzuim;HR;contract;Medewerkers;Naam, gezondheidsgegevens;\n\
         Ateliers;Ateliers;consent;Participants;Nom, données de santé;none\n\
         Betriebsarzt;HR;contract;Mitarbeiter;Gesundheitsdaten;Art. 9 Abs. 2 lit. h DSGVO\n\
         Screening;HR;contract;Bewerber;Name, Führungszeugnis;\n\
         Training;HR;contract;Employees;Name, health and safety training;\n",
    )
    .unwrap();
    let result = ropa(&["check", "--format", "json", dir.path().to_str().unwrap()]);
    let report: Value = serde_json::from_slice(&result.stdout).unwrap();
    let findings: Vec<(String, String)> = report["registers"][0]["findings"]
        .as_array()
        .or_else(|| report["findings"].as_array())
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let r017: Vec<&String> = findings
        .iter()
        .filter(|(c, _)| c == "R017")
        .map(|(_, m)| m)
        .collect();
    assert_eq!(
        r017.len(),
        3,
        "German, Dutch and French health data: {r017:#?}"
    );
    assert!(
        r017.iter()
            .any(|m| m.contains("`none` is no Art. 9(2) condition"))
    );
    assert!(
        !r017.iter().any(|m| m.contains("Betriebsarzt")),
        "9(2)(h) is a condition"
    );
    assert!(
        !r017.iter().any(|m| m.contains("Training")),
        "health and safety is no health data"
    );
    assert!(
        findings
            .iter()
            .any(|(c, m)| c == "R021" && m.contains("Screening")),
        "criminal-record checks need an Art. 10 ground: {findings:#?}"
    );
}

#[test]
fn the_same_category_in_two_languages_is_one() {
    let (_dir, imported) = register(&[
        ("organisation.csv", ORG),
        (
            "activities.csv",
            "Name,Purpose,Data subjects,Data categories\n\
             A,Support,Klanten,Naam; E-mailadres\n\
             B,Support,Kunden,Name; E-Mail-Adresse\n",
        ),
    ]);
    let words = &imported.register.categories;
    assert_eq!(words["email_address"], ["E-mailadres", "E-Mail-Adresse"]);
    assert_eq!(words["name"], ["Naam", "Name"]);
    assert_eq!(words.len(), 2);
}

#[test]
fn recipients_named_loosely_are_linked_unless_two_processors_fit() {
    let (_dir, imported) = register(&[
        ("organisation.csv", ORG),
        (
            "processors.csv",
            "Name,Service,Country\n\
             Anthropic,AI,US\n\
             Heroku (Salesforce),Hosting,US\n\
             Google Analytics,Statistics,US\n\
             Google Cloud,Hosting,IE\n",
        ),
        (
            "activities.csv",
            "Name,Purpose,Data subjects,Data categories,Recipients\n\
             A,Support,Customers,Name,Anthropic USA; Heroku EU; Google\n",
        ),
    ]);
    let a = &imported.register.activities[0];
    let linked: Vec<&str> = a.recipients.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(linked, ["Anthropic USA", "Heroku EU"]);
    assert_eq!(
        a.details().recipient_categories,
        ["Google"],
        "two processors fit: no link"
    );
    assert_eq!(said(&imported, "I033").len(), 2, "each link is stated");
}

#[test]
fn a_processor_naming_itself_makes_no_loop() {
    let (_dir, imported) = register(&[
        ("organisation.csv", ORG),
        (
            "processors.csv",
            "Name,Service,Country,Parent,Sub-processors\nAcme,Hosting,US,Acme,Acme\n",
        ),
    ]);
    assert_eq!(said(&imported, "I034").len(), 2, "{:?}", codes(&imported));
    let acme = &imported.register.processors[0];
    assert!(acme.details().parent.is_none() && acme.details().sub_processors.is_empty());
    let graph = ropa::graph::build(&imported.register);
    assert!(
        graph
            .graph
            .edge_indices()
            .filter_map(|e| graph.graph.edge_endpoints(e))
            .all(|(a, b)| a != b),
        "no self-loop"
    );
}

#[test]
fn yes_no_cells_with_evidence() {
    let (_dir, imported) = register(&[
        ("organisation.csv", ORG),
        (
            "processors.csv",
            "Name,Service,Country,DPA,TIA\n\
             A,Mail,DE,✅ Unterzeichnet,\n\
             B,Mail,DE,⏳ In Bearbeitung,\n\
             C,Mail,FR,Oui,\n\
             D,Mail,IE,DPA in Place: Yes,\n\
             E,Mail,NL,signed 2024-01-02,to sign\n\
             F,Mail,NL,part of the MSA,\n",
        ),
    ]);
    let dpa = |name: &str| {
        let p = imported
            .register
            .processors
            .iter()
            .find(|p| p.name == name)
            .unwrap();
        (p.dpa.status, p.dpa.date().map(str::to_string), p.tia.status)
    };
    assert_eq!(dpa("A").0, Tristate::Yes);
    assert_eq!(dpa("B").0, Tristate::No, "in progress is not there yet");
    assert_eq!(dpa("C").0, Tristate::Yes);
    assert_eq!(dpa("D").0, Tristate::Yes);
    assert_eq!(
        dpa("E"),
        (Tristate::Yes, Some("2024-01-02".into()), Tristate::No)
    );
    assert_eq!(
        dpa("F").0,
        Tristate::Unknown,
        "a note without a yes is no yes"
    );
    assert_eq!(said(&imported, "I011").len(), 1);
}

#[test]
fn a_stated_transfer_and_the_importers_row_disagreeing_is_said() {
    let (_dir, imported) = register(&[
        ("organisation.csv", ORG),
        (
            "processors.csv",
            "Name,Service,Country\nStripe,Payments,IE\n",
        ),
        (
            "activities.csv",
            "Name,Purpose,Data subjects,Data categories,Recipients,Third countries\n\
             Shop,Orders,Customers,Name,Stripe,Stripe USA — DPF\n",
        ),
    ]);
    let stated = &imported.register.activities[0].details().transfers[0];
    assert_eq!(stated.place, Place::Country("US".into()));
    assert_eq!(stated.mechanisms, [Mechanism::Dpf]);
    assert!(stated.importer.as_ref().is_some_and(|r| r.target.is_some()));
    assert_eq!(said(&imported, "I032").len(), 1, "{:?}", codes(&imported));
}

#[test]
fn special_categories_come_from_every_cell() {
    let (_dir, imported) = register(&[
        ("organisation.csv", ORG),
        (
            "activities.csv",
            "Naam verwerking;Doel;Grondslag;Betrokkenen;Persoonsgegevens;Bijzondere persoonsgegevens\n\
             Behandeling;Zorg;wettelijke verplichting;Cliënten;Naam;Ja — gezondheidsgegevens (art. 9 lid 2 sub h AVG)\n\
             Nieuwsbrief;Marketing;toestemming;Abonnees;E-mailadres;Nee\n",
        ),
    ]);
    let a = |name: &str| {
        imported
            .register
            .activities
            .iter()
            .find(|a| a.name == name)
            .unwrap()
    };
    assert_eq!(
        a("Behandeling").details().special_categories[0].kind,
        SpecialKind::Health
    );
    assert_eq!(a("Behandeling").details().art9_conditions, ['h']);
    assert!(a("Nieuwsbrief").details().special_categories.is_empty());
}
