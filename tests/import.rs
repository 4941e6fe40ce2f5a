//! Import from fixtures: every language, template layouts, CSV dialects and encodings, and
//! every kind of bad input, each reported at its cell.

#[path = "support/sheets.rs"]
mod sheets;

use ropa::diag::{Diagnostic, Severity};
use ropa::import::{self, Imported};
use ropa::model::{CompactString, LegalBasis, Mechanism, Place, TableKind, Tristate};
use sheets::{Cell, Sheet};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

fn load(paths: &[PathBuf]) -> Imported {
    import::load("test", paths).expect("inputs exist")
}

/// (code, location) of every diagnostic, for compact assertions.
fn found(imported: &Imported) -> Vec<(String, String)> {
    imported
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.code.as_str().to_string(),
                d.location
                    .as_ref()
                    .map(|l| l.to_string())
                    .unwrap_or_default(),
            )
        })
        .collect()
}

fn has(imported: &Imported, code: &str, location: &str) -> bool {
    found(imported)
        .iter()
        .any(|(c, l)| c == code && l == location)
}

fn diagnostic<'a>(imported: &'a Imported, code: &str) -> &'a Diagnostic {
    imported
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == code)
        .unwrap_or_else(|| panic!("no {code} in {:#?}", found(imported)))
}

fn us() -> Place {
    Place::Country("US".into())
}

fn write_xlsx(dir: &Path, name: &str, sheets: &[Sheet]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, sheets::workbook(sheets).unwrap()).unwrap();
    path
}

#[test]
fn english_processor_list_reads_every_column() {
    let imported = load(&[fixture("processors_en.csv")]);
    let r = &imported.register;
    assert_eq!(r.processors.len(), 3);
    let postmark = r.processors.iter().find(|p| p.name == "Postmark").unwrap();
    assert_eq!(postmark.country, Some(us()));
    assert_eq!(postmark.transfer_mechanisms, [Mechanism::Scc]);
    assert_eq!(postmark.dpf_certified, Tristate::No);
    assert_eq!(postmark.dpa.status, Tristate::Yes);
    let zendesk = r.processors.iter().find(|p| p.name == "Zendesk").unwrap();
    assert_eq!(zendesk.locations, [us(), Place::Eu]);
    let texts: Vec<&str> = zendesk
        .data_categories
        .iter()
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(texts, ["Name", "e-mail"]);
    assert_eq!(
        zendesk.data_categories[0].key.as_deref(),
        Some("name"),
        "mapped to the canonical category"
    );
    assert_eq!(zendesk.dpa.date(), Some("2023-05-01"));
    assert_eq!(zendesk.transfer_mechanisms, [Mechanism::Dpf]);
    let spryng = r.processors.iter().find(|p| p.name == "Spryng").unwrap();
    assert_eq!(spryng.certifications, ["ISO 27001", "NEN 7510"]);
    assert_eq!(r.tables[0].kind, TableKind::Processors);
    assert_eq!(
        (r.tables[0].read, r.tables[0].used, r.tables[0].rejected),
        (3, 3, 0)
    );
}

#[test]
fn german_dutch_and_french_headings_map_to_the_same_fields() {
    let de = load(&[fixture("auftragsverarbeiter_de.csv")]);
    let postmark = &de.register.processors[0];
    assert_eq!(postmark.name, "Active Campaign LLC");
    assert_eq!(postmark.service.as_deref(), Some("E-Mail-Versand"));
    assert_eq!(postmark.country, Some(us()));
    assert_eq!(postmark.transfer_mechanisms, [Mechanism::Scc]);
    assert_eq!(postmark.encryption_in_transit, Tristate::Yes);
    assert_eq!(postmark.retention.as_deref(), Some("45 Tage"));

    let nl = load(&[fixture("verwerkers_nl.csv")]);
    let xelion = nl
        .register
        .processors
        .iter()
        .find(|p| p.name == "Xelion")
        .unwrap();
    assert_eq!(xelion.country, Some(Place::Country("NL".into())));
    assert_eq!(xelion.encryption_in_transit, Tristate::No);
    assert_eq!(xelion.service.as_deref(), Some("Telefonie"));

    let fr = load(&[fixture("sous_traitants_fr.csv")]);
    let mailchimp = fr
        .register
        .processors
        .iter()
        .find(|p| p.name == "Mailchimp")
        .unwrap();
    assert_eq!(mailchimp.country, Some(us()));
    assert_eq!(mailchimp.transfer_mechanisms, [Mechanism::Scc]);
    assert_eq!(mailchimp.dpa.status, Tristate::Yes);
    for imported in [&de, &nl, &fr] {
        assert!(
            imported
                .diagnostics
                .iter()
                .all(|d| d.severity == Severity::Info || d.code.as_str() == "I021"),
            "{:#?}",
            found(imported)
        );
    }
}

#[test]
fn ico_template_with_title_rows_and_no_name_column() {
    let imported = load(&[fixture("activities_ico.csv")]);
    let r = &imported.register;
    assert_eq!(r.tables[0].kind, TableKind::Activities);
    assert_eq!(r.tables[0].header_row, Some(4));
    assert_eq!(r.activities.len(), 2);
    let payroll = r.activities.iter().find(|a| a.name == "Payroll").unwrap();
    assert_eq!(payroll.department.as_deref(), Some("HR"));
    assert_eq!(payroll.legal_basis, [LegalBasis::LegalObligation]);
    assert_eq!(
        payroll.details().recipient_categories,
        ["Payroll bureau", "HMRC"]
    );
    assert_eq!(payroll.retention.as_deref(), Some("6 years after leaving"));
    assert_eq!(payroll.security.as_deref(), Some("Access control"));
    let newsletter = r
        .activities
        .iter()
        .find(|a| a.name == "Newsletter")
        .unwrap();
    assert_eq!(newsletter.details().transfers.len(), 1);
    assert_eq!(newsletter.details().transfers[0].place, us());
    assert_eq!(
        newsletter.details().transfers[0].mechanisms,
        [Mechanism::Scc]
    );
    assert_eq!(newsletter.legal_basis, [LegalBasis::Consent]);
    assert!(
        found(&imported)
            .iter()
            .any(|(c, l)| c == "I023" && l.ends_with("activities_ico.csv:4")),
        "activities named after their purpose, reported at the header row"
    );
    // The link column is kept, not dropped.
    assert_eq!(
        payroll
            .details()
            .extra
            .get("Link to contract with processor")
            .map(String::as_str),
        Some("https://example.com/dpa")
    );
}

#[test]
fn messy_cells_are_reported_at_their_cells_and_no_row_is_lost() {
    let imported = load(&[fixture("messy_processors.csv")]);
    let file = fixture("messy_processors.csv")
        .to_string_lossy()
        .replace('\\', "/");
    let at = |line: u32, column: u32| format!("{file}:{line}:{column}");
    assert!(has(&imported, "I007", &at(2, 3)), "{:#?}", found(&imported));
    assert!(has(&imported, "I009", &at(2, 4)));
    assert!(
        has(&imported, "I006", &at(3, 1)),
        "nameless row rejected at its name cell"
    );
    assert!(has(&imported, "I016", &at(4, 5)), "error cell");
    assert!(
        has(&imported, "I014", &at(5, 4)),
        "conflicting duplicate at the second mechanism"
    );
    assert!(found(&imported).iter().any(|(c, _)| c == "I017"));
    let table = &imported.register.tables[0];
    assert_eq!((table.read, table.used, table.rejected), (4, 3, 1));
    let acme = imported
        .register
        .processors
        .iter()
        .find(|p| p.name == "Acme Mail")
        .unwrap();
    assert_eq!(
        acme.details()
            .extra
            .get("Favourite colour")
            .map(String::as_str),
        Some("blue")
    );
    let globex = imported
        .register
        .processors
        .iter()
        .find(|p| p.name == "Globex")
        .unwrap();
    assert_eq!(globex.country, Some(Place::Worldwide));
    assert_eq!(globex.transfer_mechanisms, [Mechanism::None]);
    let conflict = diagnostic(&imported, "I014");
    assert_eq!(conflict.related[0].location.to_string(), at(2, 4));
    assert_eq!(
        acme.country,
        Some(us()),
        "the unknown first country is filled by the second row"
    );
}

#[test]
fn every_csv_dialect_and_encoding_reads_the_same() {
    let original = std::fs::read_to_string(fixture("auftragsverarbeiter_de.csv")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let reference = load(&[fixture("auftragsverarbeiter_de.csv")]);
    let names = |i: &Imported| -> Vec<(
        CompactString,
        Option<Place>,
        Option<ropa::model::SharedText>,
    )> {
        i.register
            .processors
            .iter()
            .map(|p| (p.name.clone(), p.country.clone(), p.retention))
            .collect()
    };
    let crlf = original.replace('\n', "\r\n");
    let (cp1252, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&crlf);
    assert!(!unmappable);
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(original.encode_utf16().flat_map(|u| u.to_le_bytes()))
        .collect();
    let utf16be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(original.encode_utf16().flat_map(|u| u.to_be_bytes()))
        .collect();
    let bom: Vec<u8> = [0xEF, 0xBB, 0xBF]
        .into_iter()
        .chain(original.bytes())
        .collect();
    let tabs = original.replace(';', "\t").into_bytes();
    let commas = original.replace(';', ",").into_bytes();
    let variants: Vec<(&str, Vec<u8>)> = vec![
        ("windows1252.csv", cp1252.into_owned()),
        ("utf16le.csv", utf16),
        ("utf16be.csv", utf16be),
        ("utf8bom.csv", bom),
        ("tabs.tsv", tabs),
        ("commas.csv", commas),
    ];
    for (name, bytes) in variants {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let imported = load(&[path]);
        assert_eq!(names(&imported), names(&reference), "{name}");
        assert_eq!(
            imported.register.processors[1].retention.as_deref(),
            Some("nur während der Analyse"),
            "{name}"
        );
    }
}

fn processor_sheet_with_title_and_merged_header() -> Sheet {
    Sheet::new("Sub-processors")
        .merge(0, 0, 0, 5, "Sub-processors of Example B.V.")
        .row(&[])
        .row(&["Last reviewed: 2024"])
        .row(&[])
        // The location heading spans two columns (D:E), as when a heading is merged across.
        .merge(3, 3, 3, 4, "Storage location")
        .cells(vec![
            "Name".into(),
            "Service".into(),
            "Country".into(),
            Cell::Empty,
            Cell::Empty,
            "DPA".into(),
        ])
        .cells(vec![
            "Postmark".into(),
            "E-mail".into(),
            "USA".into(),
            "US".into(),
            "Chicago".into(),
            Cell::Date(2021, 3, 4),
        ])
        .row(&[])
        .cells(vec![
            "Spryng".into(),
            "SMS".into(),
            "Nederland".into(),
            "EU".into(),
            Cell::Empty,
            Cell::Error("#N/A"),
        ])
        .cells(vec![
            "Sprung".into(),
            "SMS".into(),
            "NL".into(),
            Cell::Empty,
            Cell::Empty,
            "yes".into(),
        ])
}

#[test]
fn workbook_with_title_rows_merged_headers_blank_rows_and_error_cells() {
    let dir = tempfile::tempdir().unwrap();
    let organisation = Sheet::new("Organisation")
        .row(&["Name", "Example B.V."])
        .row(&["Role", "both"])
        .row(&["Country", "Netherlands"])
        .row(&["DPO", "dpo@example.test"])
        .row(&["Founded", "1999"]);
    let path = write_xlsx(
        dir.path(),
        "register.xlsx",
        &[organisation, processor_sheet_with_title_and_merged_header()],
    );
    let imported = load(std::slice::from_ref(&path));
    let r = &imported.register;
    let file = path.to_string_lossy().replace('\\', "/");
    assert_eq!(r.organisation.name, "Example B.V.");
    assert_eq!(r.organisation.dpo.as_deref(), Some("dpo@example.test"));
    assert_eq!(
        r.organisation.extra.get("Founded").map(String::as_str),
        Some("1999")
    );
    let table = r
        .tables
        .iter()
        .find(|t| t.kind == TableKind::Processors)
        .unwrap();
    assert_eq!(table.header_row, Some(4));
    assert_eq!((table.read, table.used, table.rejected), (3, 3, 0));
    let postmark = r.processors.iter().find(|p| p.name == "Postmark").unwrap();
    assert_eq!(
        postmark.locations,
        [us()],
        "merged heading D:E: D is locations"
    );
    assert_eq!(
        postmark
            .details()
            .extra
            .get("Storage location (E)")
            .map(String::as_str),
        Some("Chicago")
    );
    assert_eq!(postmark.dpa.date(), Some("2021-03-04"));
    assert!(
        has(&imported, "I016", &format!("{file}:'Sub-processors'!F7")),
        "{:#?}",
        found(&imported)
    );
    assert!(has(
        &imported,
        "I015",
        &format!("{file}:'Sub-processors'!A8")
    ));
    let near = diagnostic(&imported, "I015");
    assert_eq!(
        near.related[0].location.to_string(),
        format!("{file}:'Sub-processors'!A7")
    );
}

#[test]
fn references_resolve_by_id_or_name_and_report_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let activities = Sheet::new("Activities")
        .row(&[
            "ID",
            "Name",
            "Purpose",
            "Data subjects",
            "Personal data",
            "Recipients",
            "Systems",
            "Role",
            "Controllers",
        ])
        .row(&[
            "A1",
            "Support",
            "Answer questions",
            "Customers",
            "Name",
            "zendesk; Tax office",
            "CRM",
            "",
            "",
        ])
        .row(&[
            "A2",
            "Hosting",
            "Run the service",
            "Users",
            "Everything",
            "",
            "Ghost system",
            "processor",
            "Acme; Nobody Ltd",
        ])
        .row(&["A1", "Other", "Reused id", "Users", "Name", "", "", "", ""]);
    let systems = Sheet::new("Systems")
        .row(&["Name", "Hosted by", "Data location"])
        .row(&["CRM", "Hetzner", ""]);
    let processors = Sheet::new("Processors")
        .row(&["Name", "Service", "Country", "Sub-processors", "Parent"])
        .row(&[
            "Zendesk",
            "Tickets",
            "US",
            "AWS; see https://zendesk.example/subprocessors",
            "",
        ])
        .row(&["Hetzner", "Hosting", "DE", "", ""])
        .row(&["AWS", "Cloud", "US", "", "Zendesk"])
        .row(&["Fastly", "CDN", "US", "Cloudflare", "Nowhere Inc"]);
    let customers = Sheet::new("Customers")
        .row(&["Name", "Country"])
        .row(&["Acme", "DE"]);
    let path = write_xlsx(
        dir.path(),
        "r.xlsx",
        &[activities, systems, processors, customers],
    );
    let imported = load(std::slice::from_ref(&path));
    let file = path.to_string_lossy().replace('\\', "/");
    let r = &imported.register;
    let support = r.activities.iter().find(|a| a.name == "Support").unwrap();
    assert_eq!(
        support.recipients[0].target,
        Some(ropa::model::EntityRef::Processor("zendesk".into()))
    );
    assert_eq!(support.details().recipient_categories, ["Tax office"]);
    assert!(
        has(&imported, "I012", &format!("{file}:Activities!G3")),
        "{:#?}",
        found(&imported)
    );
    assert!(
        has(&imported, "I012", &format!("{file}:Activities!I3")),
        "unknown customer"
    );
    assert!(
        has(&imported, "I012", &format!("{file}:Processors!E5")),
        "unknown parent"
    );
    assert!(
        has(&imported, "I013", &format!("{file}:Activities!A4")),
        "duplicate id"
    );
    assert!(
        has(&imported, "I020", &format!("{file}:Processors!D5")),
        "sub-processor without a row"
    );
    assert!(
        has(&imported, "I019", &format!("{file}:Processors!D2")),
        "the URL is a pointer"
    );
    let zendesk = r.processors.iter().find(|p| p.name == "Zendesk").unwrap();
    assert_eq!(
        zendesk.details().sub_processors.len(),
        1,
        "AWS is a sub-processor, the URL a note"
    );
    assert_eq!(
        zendesk.details().notes,
        ["see https://zendesk.example/subprocessors"]
    );
    let fastly_sub = r
        .processors
        .iter()
        .find(|p| p.name == "Cloudflare")
        .unwrap();
    assert!(fastly_sub.implicit && fastly_sub.country.is_none());
    let table = r
        .tables
        .iter()
        .find(|t| t.kind == TableKind::Activities)
        .unwrap();
    assert_eq!((table.read, table.used, table.rejected), (3, 2, 1));
    assert!(
        r.systems[0].hosted_by.as_ref().unwrap().target.is_some(),
        "Hetzner resolves"
    );
}

#[test]
fn bad_files_are_diagnostics_not_crashes() {
    let dir = tempfile::tempdir().unwrap();
    let corrupt = dir.path().join("corrupt.xlsx");
    std::fs::write(&corrupt, b"PK\x03\x04 this is not really a zip archive").unwrap();
    let empty = dir.path().join("empty.xlsx");
    std::fs::write(&empty, b"").unwrap();
    let empty_csv = dir.path().join("empty.csv");
    std::fs::write(&empty_csv, b"").unwrap();
    let binary_csv = dir.path().join("binary.csv");
    std::fs::write(&binary_csv, [0u8, 159, 146, 150, 0, 1]).unwrap();
    let unsupported = dir.path().join("register.docx");
    std::fs::write(&unsupported, b"whatever").unwrap();
    let unrelated = dir.path().join("shopping.csv");
    std::fs::write(&unrelated, "Item,Price\nMilk,1\n").unwrap();
    let no_name = dir.path().join("processors.csv");
    std::fs::write(&no_name, "Service,Country\nHosting,DE\n").unwrap();
    let inputs = [
        corrupt,
        empty,
        empty_csv,
        binary_csv,
        unsupported,
        unrelated,
        no_name,
    ];
    let imported = load(&inputs);
    let codes: Vec<String> = found(&imported).into_iter().map(|(c, _)| c).collect();
    for code in ["I001", "I002", "I003", "I004", "I005", "I021"] {
        assert!(
            codes.contains(&code.to_string()),
            "{code} missing from {codes:?}"
        );
    }
    let no_name_table = imported
        .register
        .tables
        .iter()
        .find(|t| t.location.file().ends_with("processors.csv"))
        .unwrap();
    assert_eq!(
        (
            no_name_table.read,
            no_name_table.used,
            no_name_table.rejected
        ),
        (1, 0, 1)
    );
    assert!(matches!(
        import::load("x", &[PathBuf::from("/no/such/register.xlsx")]),
        Err(import::ImportError::NotFound(_))
    ));
}

#[test]
fn several_inputs_merge_into_one_register() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.csv");
    std::fs::write(
        &a,
        "Name,Service,Country,Group\nPostmark,E-mail,US,service\n",
    )
    .unwrap();
    let b = dir.path().join("b.csv");
    std::fs::write(
        &b,
        "Name,Service,Country,Group,DPA\npostmark ,E-mail,US,sales,yes\n",
    )
    .unwrap();
    let imported = load(&[a, b]);
    assert_eq!(imported.register.processors.len(), 1);
    let p = &imported.register.processors[0];
    assert_eq!(p.groups, ["service", "sales"]);
    assert_eq!(p.dpa.status, Tristate::Yes);
    assert_eq!(
        found(&imported).iter().filter(|(c, _)| c == "I022").count(),
        1
    );
}

#[test]
fn free_text_locations_give_country_and_mechanism_with_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Unterauftragsverarbeiter.csv");
    std::fs::write(
        &path,
        "Name;Dienst;Standort\nPostmark;E-Mail Dienst;US- EU/USprivacyshield in place.\n",
    )
    .unwrap();
    let imported = load(std::slice::from_ref(&path));
    let p = &imported.register.processors[0];
    assert_eq!(p.country, Some(us()));
    assert_eq!(p.transfer_mechanisms, [Mechanism::PrivacyShield]);
    let file = path.to_string_lossy().replace('\\', "/");
    let warnings: Vec<_> = found(&imported)
        .into_iter()
        .filter(|(c, l)| c == "I008" && *l == format!("{file}:2:3"))
        .collect();
    assert_eq!(
        warnings.len(),
        2,
        "one for the country, one for the mechanism"
    );
}

#[test]
fn crlf_files_report_the_line_an_editor_shows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("processors.csv");
    std::fs::write(
        &path,
        "Name;Service;Country\r\nA;x;DE\r\n\"B\r\nsecond line\";y;DE\r\n;z;Atlantis\r\n",
    )
    .unwrap();
    let imported = load(std::slice::from_ref(&path));
    let file = path.to_string_lossy().replace('\\', "/");
    assert!(
        has(&imported, "I006", &format!("{file}:5:1")),
        "{:#?}",
        found(&imported)
    );
}

/// Workbooks saved by LibreOffice in the other formats calamine reads (from a CSV with title
/// rows above Dutch and German headings).
#[test]
fn ods_xls_and_xlsm_workbooks_read_like_xlsx() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workbooks");
    for name in ["verwerkers.ods", "verwerkers.xlsm"] {
        let path = dir.join(name);
        let imported = load(std::slice::from_ref(&path));
        let r = &imported.register;
        assert_eq!(r.processors.len(), 3, "{name}");
        assert_eq!(
            r.tables[0].header_row,
            Some(3),
            "{name}: title rows skipped"
        );
        let mailchimp = r.processors.iter().find(|p| p.name == "Mailchimp").unwrap();
        assert_eq!(mailchimp.country, Some(us()), "{name}");
        let file = path.to_string_lossy().replace('\\', "/");
        assert!(
            has(&imported, "I007", &format!("{file}:verwerkers!C6")),
            "{name}: {:#?}",
            found(&imported)
        );
    }
    let path = dir.join("auftragsverarbeiter.xls");
    let imported = load(std::slice::from_ref(&path));
    let r = &imported.register;
    assert_eq!(r.tables[0].header_row, Some(4));
    let names: Vec<&str> = r.processors.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Active Campaign LLC", "WorNet AG"], "sorted by key");
    assert_eq!(r.processors[0].country, Some(us()));
}
