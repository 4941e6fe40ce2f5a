//! The publishable sub-processor page: ropa reads its own `subprocessors.md` and
//! `subprocessors.json` back to the same processors, in every language, and the HTML page is
//! self-contained.

use ropa::analysis;
use ropa::export::subprocessors::{PageSources, write};
use ropa::i18n::Lang;
use ropa::import;
use ropa::model::key::{fold, name_key};
use ropa::model::{Processor, RecipientRole, Register};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// What a processor is, by meaning: what the page shows.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct View {
    name: String,
    service: Option<String>,
    seat: Option<String>,
    places: BTreeSet<String>,
    categories: BTreeSet<String>,
    dpa: String,
    encryption: (String, String),
    certifications: BTreeSet<String>,
    retention: Option<String>,
    mechanisms: BTreeSet<String>,
    dpf: String,
    parent: Option<String>,
    /// Compared only where the register has groups: the page's sections name the others.
    groups: Option<BTreeSet<String>>,
}

fn view(p: &Processor, with_groups: bool) -> View {
    View {
        name: name_key(&p.name).to_string(),
        service: p.service.as_deref().map(fold),
        seat: p.country.as_ref().map(|c| c.to_string()),
        places: p
            .effective_locations()
            .iter()
            .map(|c| c.to_string())
            .collect(),
        categories: p
            .data_categories
            .iter()
            .map(|c| c.id().to_string())
            .collect(),
        dpa: format!("{:?} {:?}", p.dpa.status, p.dpa.date().map(str::to_string)),
        encryption: (
            format!("{:?}", p.encryption_in_transit),
            format!("{:?}", p.encryption_at_rest),
        ),
        certifications: p.certifications.iter().map(|c| fold(c)).collect(),
        retention: p.retention.as_deref().map(fold),
        mechanisms: p
            .transfer_mechanisms
            .iter()
            .map(|m| m.key().to_string())
            .collect(),
        dpf: format!("{:?}", p.dpf_certified),
        parent: p
            .details()
            .parent
            .as_ref()
            .map(|r| name_key(&r.text).to_string()),
        groups: with_groups.then(|| p.groups.iter().map(|g| fold(g)).collect()),
    }
}

fn views(register: &Register, with_groups: bool) -> Vec<View> {
    let mut v: Vec<View> = register
        .processors
        .iter()
        .filter(|p| {
            matches!(
                p.role,
                RecipientRole::Processor | RecipientRole::SubProcessor
            )
        })
        .map(|p| view(p, with_groups))
        .collect();
    v.sort();
    v
}

fn page_files(input: &str, dir: &Path) -> (Register, Vec<PathBuf>) {
    let imported = import::load("original", &[root().join(input)]).unwrap();
    let register = imported.register;
    let graph = ropa::graph::build(&register);
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let transfers = analysis::analyse(&register, &graph, date);
    let sources = PageSources {
        register: &register,
        transfers: &transfers,
        date,
        notice_days: 30,
        contact: register.organisation.email.clone(),
        publish_url: Some("https://example.com/legal".into()),
    };
    let mut paths = Vec::new();
    for lang in Lang::ALL {
        let written = write(&sources, lang, dir).unwrap();
        paths.extend(written);
    }
    (register, paths)
}

#[test]
fn the_page_reads_back_to_the_same_processors_in_every_language() {
    for input in ["inputs/dyflexis.xlsx", "inputs/dealerdesk"] {
        let dir = tempfile::tempdir().unwrap();
        let (original, paths) = page_files(input, dir.path());
        let with_groups = original.processors.iter().any(|p| !p.groups.is_empty());
        let expected = views(&original, with_groups);
        assert!(expected.len() >= 7, "{input}");
        let mut read = 0;
        for path in paths
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e != "html"))
        {
            let imported = import::load("page", std::slice::from_ref(path)).unwrap();
            assert!(
                imported
                    .diagnostics
                    .iter()
                    .all(|d| d.severity != ropa::diag::Severity::Error),
                "{}: {:?}",
                path.display(),
                imported.diagnostics
            );
            let back = views(&imported.register, with_groups);
            assert_eq!(back, expected, "{input} → {}", path.display());
            read += 1;
        }
        assert_eq!(read, 2 * Lang::ALL.len(), "md and json in every language");
        // The JSON keeps the organisation too.
        let json = paths
            .iter()
            .find(|p| p.ends_with("subprocessors.json"))
            .unwrap();
        let back = import::load("page", std::slice::from_ref(json))
            .unwrap()
            .register;
        assert_eq!(back.organisation.name, original.organisation.name);
        assert_eq!(back.organisation.role, original.organisation.role);
        assert_eq!(back.organisation.country, original.organisation.country);
    }
}

#[test]
fn the_html_page_is_self_contained_and_escapes_register_text() {
    let dir = tempfile::tempdir().unwrap();
    let (_, paths) = page_files("inputs/dyflexis.xlsx", dir.path());
    let html = std::fs::read_to_string(
        paths
            .iter()
            .find(|p| p.ends_with("subprocessors.html"))
            .unwrap(),
    )
    .unwrap();
    assert!(html.starts_with("<!DOCTYPE html><html lang=\"en\">"));
    assert!(!html.contains("<script") && !html.contains("<link") && !html.contains("src="));
    assert!(html.contains("@media print"));
    assert!(html.contains("Last updated: 2026-11-23"));
    // Grouped like the published page, in its order.
    let use_at = html.find("Nutzung des Dyflexis-Service").unwrap();
    let website_at = html.find("Besuch der Website").unwrap();
    assert!(use_at < website_at);
    assert!(html.contains("„Passwort vergessen“"));
    // The mechanism as the register records it, in words the importer reads back.
    assert!(html.contains("<dt>Transfer mechanism</dt><dd>EU-US Privacy Shield</dd>"));
    let german = std::fs::read_to_string(dir.path().join("subprocessors.de.html")).unwrap();
    assert!(german.contains("Zuletzt aktualisiert: 2026-11-23") && german.contains("lang=\"de\""));
}

#[test]
fn a_json_file_that_is_not_a_list_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.json");
    std::fs::write(&other, "{\"document\": \"something else\"}").unwrap();
    let imported = import::load("x", std::slice::from_ref(&other)).unwrap();
    assert!(
        imported
            .diagnostics
            .iter()
            .any(|d| d.code.as_str() == "I002")
    );
    let broken = dir.path().join("subprocessors.json");
    std::fs::write(
        &broken,
        "{\"document\": \"ropa-subprocessors\", \"version\": 1,\n \"processors\": 3}",
    )
    .unwrap();
    let imported = import::load("x", std::slice::from_ref(&broken)).unwrap();
    let d = imported
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "I001")
        .unwrap();
    assert!(
        d.location
            .as_ref()
            .unwrap()
            .to_string()
            .contains("subprocessors.json:"),
        "{d:?}"
    );
}
