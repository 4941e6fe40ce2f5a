//! The Art. 30 records, read back with calamine and checked letter by letter against the
//! register, including an activity whose recipients are reached only through a system's host
//! and a sub-processor chain.

use calamine::{Data, Range, Reader, open_workbook_auto};
use ropa::export::records::{RecordSources, write};
use ropa::i18n::Lang;
use std::path::{Path, PathBuf};

const TABLES: &[(&str, &str)] = &[
    (
        "organisation.csv",
        "Key,Value\nName,Shiftly B.V.\nRole,both\nCountry,NL\nAddress,Keizersgracht 1 Amsterdam\nEmail,privacy@shiftly.example\nDPO,Jan Jansen dpo@shiftly.example\n",
    ),
    (
        "activities.csv",
        "ID,Name,Role,Controllers,Purpose,Legal basis,Data subjects,Personal data,Systems,Recipients,Retention,Security measures,Special categories,Art9 condition,Joint controller\n\
         A1,Scheduling,processor,*,Plan shifts for customers,,Employees of customers,Name;Phone,App,,30 days after contract end,Encryption in transit,,,\n\
         A2,Payroll export,controller,,Send payroll data,legal obligation,Employees,Name;Salary,App,Tax office,,ISO 27001,Health data,,Payroll Partner B.V.\n\
         A3,=HYPERLINK(\"http://evil.example\"),controller,,Marketing,consent,Prospects,E-mail,,,1 year,Double opt-in,,,\n",
    ),
    ("systems.csv", "Name,Hosted by\nApp,Cloudy\n"),
    (
        "processors.csv",
        "Name,Service,Country,Parent,Transfer mechanism,TIA,DPA,Personal data\n\
         Cloudy,Hosting,NL,,,,yes,\n\
         Mailgun,E-mail,US,Cloudy,SCC,yes,yes,Name\n\
         Indexer,Search,IN,Mailgun,,,no,Name\n",
    ),
    (
        "customers.csv",
        "Name,Contact,Country\nCafe One,one@cafe.example,NL\nCafe Two,two@cafe.example,BE\n",
    ),
];

fn build(dir: &Path, lang: Lang) -> Vec<PathBuf> {
    let input = dir.join("register");
    std::fs::create_dir_all(&input).unwrap();
    for (name, text) in TABLES {
        std::fs::write(input.join(name), text).unwrap();
    }
    let imported = ropa::import::load("shiftly", &[input]).unwrap();
    let graph = ropa::graph::build(&imported.register);
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let analysis = ropa::analysis::analyse(&imported.register, &graph, as_of);
    let sources = RecordSources {
        register: &imported.register,
        graph: &graph,
        analysis: &analysis,
        diagnostics: &imported.diagnostics,
    };
    write(&sources, lang, &dir.join("out")).unwrap()
}

/// The sheet as rows of strings, from the header row on (found by its first heading).
fn table(range: &Range<Data>, first_heading: &str) -> Vec<Vec<String>> {
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let start = rows
        .iter()
        .position(|r| r.first().is_some_and(|c| c == first_heading))
        .unwrap_or_else(|| panic!("no header starting with {first_heading}"));
    rows[start..].to_vec()
}

fn column(rows: &[Vec<String>], heading_start: &str) -> usize {
    rows[0]
        .iter()
        .position(|h| h.starts_with(heading_start))
        .unwrap_or_else(|| panic!("no column {heading_start} in {:?}", rows[0]))
}

#[test]
fn controller_record_answers_every_letter_of_article_30_1() {
    let dir = tempfile::tempdir().unwrap();
    build(dir.path(), Lang::En);
    let mut workbook =
        open_workbook_auto(dir.path().join("out/records-of-processing.xlsx")).unwrap();
    assert_eq!(
        workbook.sheet_names(),
        [
            "Cover",
            "Controller record (Art. 30(1))",
            "Processor record (Art. 30(2))",
            "Controllers (Art. 30(2)(a))",
            "Recipients",
            "Transfers",
            "Findings"
        ]
    );
    let range = workbook
        .worksheet_range("Controller record (Art. 30(1))")
        .unwrap();
    let rows = table(&range, "ID");
    let payroll = rows.iter().find(|r| r[0] == "A2").unwrap();
    let cell = |heading: &str| payroll[column(&rows, heading)].clone();
    assert!(cell("(a)").contains("Shiftly B.V."));
    assert!(cell("(a)").contains("Data protection officer: Jan Jansen"));
    assert!(
        cell("(a)").contains("Payroll Partner B.V."),
        "joint controller"
    );
    assert_eq!(cell("(b)"), "Send payroll data");
    assert_eq!(cell("(c) Categories of data subjects"), "Employees");
    // The canonical category in the report's language, with the register's words beside it
    // when they differ.
    assert_eq!(
        cell("(c) Categories of personal data"),
        "Name\nSalary / payroll data (Salary)"
    );
    // (d): nothing listed as a recipient but the tax office; the rest is reached through the
    // system's host and its sub-processor chain.
    let recipients = cell("(d)");
    assert!(
        recipients.contains("Cloudy (NL) – processor"),
        "{recipients}"
    );
    assert!(
        recipients.contains("Mailgun (US) – processor, via Cloudy"),
        "{recipients}"
    );
    assert!(
        recipients.contains("Indexer (IN) – processor, via Mailgun"),
        "{recipients}"
    );
    assert!(recipients.contains("Tax office"), "{recipients}");
    let transfers = cell("(e)");
    assert!(
        transfers.contains("United States (US): Mailgun – Standard contractual clauses – covered"),
        "{transfers}"
    );
    assert!(
        transfers.contains("India (IN): Indexer – none recorded – not covered"),
        "{transfers}"
    );
    assert_eq!(
        cell("(f)"),
        "not recorded",
        "missing retention is marked, not blank"
    );
    assert_eq!(cell("(g)"), "ISO 27001");
    assert_eq!(cell("Legal basis"), "legal obligation (Art. 6(1)(c))");
    assert_eq!(cell("Special categories"), "Health data");
    assert_eq!(
        cell("Art. 9(2) condition"),
        "not recorded",
        "special categories need a condition"
    );
    // The processor activity is not in the controller record.
    assert!(rows.iter().all(|r| r[0] != "A1"));
}

#[test]
fn processor_record_gives_the_processor_and_its_controllers_and_sub_processor_transfers() {
    let dir = tempfile::tempdir().unwrap();
    build(dir.path(), Lang::En);
    let mut workbook =
        open_workbook_auto(dir.path().join("out/records-of-processing.xlsx")).unwrap();
    let range = workbook
        .worksheet_range("Processor record (Art. 30(2))")
        .unwrap();
    let rows = table(
        &range,
        "(a) Processor: name and contact details, representative, data protection officer",
    );
    // One row per activity: an activity for every customer does not repeat every customer.
    assert_eq!(rows.len(), 2, "a header and the one processor activity");
    // Art. 30(2)(a): the processor's own name and contact details, and its DPO, in the
    // record itself.
    let processor = &rows[1][0];
    assert!(processor.starts_with("Shiftly B.V."), "{processor}");
    assert!(processor.contains("privacy@shiftly.example"));
    assert!(
        processor.contains("Data protection officer: Jan Jansen"),
        "{processor}"
    );
    assert_eq!(rows[1][1], "all customers (2): see the controllers sheet");
    let c = column(&rows, "(c)");
    assert!(
        rows[1][c].contains("United States (US): Mailgun"),
        "{}",
        rows[1][c]
    );
    assert!(rows[1][c].contains("India (IN): Indexer"));
    assert_eq!(rows[1][column(&rows, "(b)")], "Plan shifts for customers");
    assert_eq!(rows[1][column(&rows, "(d)")], "Encryption in transit");

    // The controllers, once each, with their contact details.
    let range = workbook
        .worksheet_range("Controllers (Art. 30(2)(a))")
        .unwrap();
    let controllers = table(&range, "Name");
    assert_eq!(controllers.len(), 3, "a header and the two customers");
    assert_eq!(controllers[1][0], "Cafe One");
    assert_eq!(controllers[1][1], "one@cafe.example");
    assert_eq!(controllers[2][2], "BE");
    assert_eq!(
        controllers[1][column(&controllers, "Processing carried out")],
        "every activity carried out for all customers (1)"
    );
}

#[test]
fn cells_are_text_never_formulas_and_output_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let first = build(dir.path(), Lang::En);
    let bytes: Vec<Vec<u8>> = first.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let again = build(dir.path(), Lang::En);
    for (path, before) in again.iter().zip(&bytes) {
        assert!(
            &std::fs::read(path).unwrap() == before,
            "{} differs",
            path.display()
        );
    }
    let mut workbook =
        open_workbook_auto(dir.path().join("out/records-of-processing.xlsx")).unwrap();
    let formulas = workbook
        .worksheet_formula("Controller record (Art. 30(1))")
        .unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no formulas"
    );
    let range = workbook
        .worksheet_range("Controller record (Art. 30(1))")
        .unwrap();
    assert!(
        range
            .used_cells()
            .any(|(_, _, c)| *c == Data::String("=HYPERLINK(\"http://evil.example\")".into()))
    );
    let csv = std::fs::read_to_string(dir.path().join("out/records-controller.csv")).unwrap();
    assert!(csv.contains("'=HYPERLINK"), "neutralised in CSV");
}

#[test]
fn german_record_uses_the_german_wording_of_article_30() {
    let dir = tempfile::tempdir().unwrap();
    let written = build(dir.path(), Lang::De);
    assert!(
        written
            .iter()
            .any(|p| p.ends_with("records-of-processing.de.xlsx"))
    );
    let mut workbook =
        open_workbook_auto(dir.path().join("out/records-of-processing.de.xlsx")).unwrap();
    assert_eq!(workbook.sheet_names()[1], "Art. 30 Abs. 1 Verantwortlicher");
    let range = workbook
        .worksheet_range("Art. 30 Abs. 1 Verantwortlicher")
        .unwrap();
    let rows = table(&range, "ID");
    assert!(rows[0].iter().any(|h| h == "b) Zwecke der Verarbeitung"));
    let cover = workbook.worksheet_range("Deckblatt").unwrap();
    assert_eq!(
        cover.get_value((0, 0)).map(|c| c.to_string()).as_deref(),
        Some("Verzeichnis von Verarbeitungstätigkeiten: Shiftly B.V.")
    );
}
