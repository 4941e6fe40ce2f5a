//! Every product in Dutch and French, end to end: the example registers built with `--lang nl`
//! and `--lang fr`, their change report and customer notice, and nothing in them that is a
//! key of the strings table or one of its English texts; the workbooks read back with calamine
//! for their sheet names and column headers.

use calamine::{Data, Reader, open_workbook_auto};
use ropa::i18n::{Lang, text};
use ropa::model::Mechanism;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn ropa(args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_ropa"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the binary runs");
    assert!(
        output.status.code().is_some_and(|c| c <= 1),
        "ropa {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// The registers under `inputs/`, as `build` names their output folders.
const REGISTERS: [&str; 3] = ["dealerdesk", "dyflexis", "dyflexis-2023"];

/// Each product's files for one language.
fn products(lang: &str) -> Vec<String> {
    let mut files: Vec<String> = [
        ("records-of-processing", "xlsx"),
        ("records-controller", "csv"),
        ("records-processor", "csv"),
        ("records-controllers", "csv"),
        ("records-recipients", "csv"),
        ("transfers", "xlsx"),
        ("transfers", "csv"),
        ("transfers", "json"),
        ("transfers", "md"),
        ("report", "html"),
        ("subprocessors", "html"),
        ("subprocessors", "md"),
        ("subprocessors", "json"),
    ]
    .iter()
    .map(|(stem, ext)| format!("{stem}.{lang}.{ext}"))
    .collect();
    files.sort();
    files
}

/// The strings table as the binary has it: key, then en, de, nl, fr.
fn table() -> Vec<Vec<String>> {
    let mut reader = csv::Reader::from_reader(include_str!("../src/i18n/strings.csv").as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// The longest stretch of a text between its placeholders.
fn longest_literal(text: &str) -> &str {
    text.split(['{', '}'])
        .step_by(2)
        .max_by_key(|part| part.chars().count())
        .unwrap_or("")
        .trim()
}

/// What must not appear in a report: the keys of the table, and each English text (its
/// longest literal part, when it is a phrase).
fn forbidden() -> (Vec<String>, Vec<String>) {
    let rows = table();
    let keys = rows
        .iter()
        .map(|r| r[0].clone())
        .filter(|k| k.contains('.'))
        .collect();
    // Mechanism names are also proper names that registers and the legal reference data
    // write in English (`EU-US Privacy Shield` in an act's title); the keys check them.
    let english = rows
        .iter()
        .filter(|r| !r[0].starts_with("mechanism."))
        .map(|r| longest_literal(&r[1]).to_string())
        .filter(|t| t.contains(' ') && t.chars().count() >= 14)
        .collect();
    (keys, english)
}

/// The legal reference data is quoted in the language: no English title, article, scope or
/// judgment of `translations.csv` that reads differently in the language.
fn assert_reference_data_not_english(files: &[PathBuf]) {
    let english: Vec<String> = ropa::reference::translations()
        .iter()
        .filter(|t| t.en.chars().count() >= 20 && t.en != t.nl && t.en != t.fr)
        .map(|t| t.en.clone())
        .collect();
    assert!(english.len() > 60, "{}", english.len());
    // JSON documents carry the verdicts as data (`assessment.reason` with the act as cited),
    // beside their sentences in the language.
    for path in files
        .iter()
        .filter(|p| p.extension().is_none_or(|e| e != "json"))
    {
        let content = std::fs::read_to_string(path).unwrap();
        for sentence in &english {
            assert!(
                !content.contains(sentence.as_str()),
                "{}: English reference text `{sentence}`",
                path.display()
            );
        }
    }
}

/// No English text of a diagram (its titles, legend, clusters and groups) in the files.
fn assert_diagrams_not_english(files: &[PathBuf]) {
    let english: Vec<String> = table()
        .iter()
        .filter(|r| r[0].starts_with("diagram."))
        .map(|r| longest_literal(&r[1]).to_string())
        .filter(|t| t.chars().count() >= 8)
        .collect();
    assert!(english.len() >= 10, "{english:?}");
    for path in files {
        let content = std::fs::read_to_string(path).unwrap();
        // What a reader sees of a drawing: its SVG text elements (ids such as
        // `legend_processor` are not shown), or the DOT file's labels.
        let content: String = if path.extension().is_some_and(|e| e == "dot") {
            content
                .split("label=\"")
                .skip(1)
                .filter_map(|part| part.split_once('"').map(|(label, _)| label))
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            content
                .split("</text>")
                .filter_map(|part| part.rsplit_once('>').map(|(_, text)| text))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert!(!content.is_empty(), "{}: no drawing", path.display());
        for sentence in &english {
            assert!(
                !content.contains(sentence.as_str()),
                "{}: English `{sentence}`",
                path.display()
            );
        }
    }
}

fn text_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|e| {
                ["md", "csv", "html", "txt", "xml", "json"]
                    .iter()
                    .any(|x| e == *x)
            })
        })
        .collect();
    files.sort();
    files
}

/// Nothing in the files is a key of the strings table or one of its English texts.
fn assert_not_english(files: &[PathBuf]) {
    let (keys, english) = forbidden();
    assert!(english.len() > 150, "{}", english.len());
    // Mechanism keys (`privacy_shield`) are data in JSON; elsewhere a reader sees names.
    let mechanism_keys: Vec<&str> = Mechanism::ALL
        .iter()
        .map(|m| m.key())
        .filter(|k| k.contains('_'))
        .collect();
    for path in files {
        let content = std::fs::read_to_string(path).unwrap();
        let shown = path.display();
        for key in &keys {
            assert!(
                !content.contains(key.as_str()),
                "{shown}: untranslated key `{key}`"
            );
        }
        for sentence in &english {
            assert!(
                !content.contains(sentence.as_str()),
                "{shown}: English `{sentence}`"
            );
        }
        if path.extension().is_some_and(|e| e != "json") {
            for key in &mechanism_keys {
                assert!(!content.contains(key), "{shown}: mechanism key `{key}`");
            }
        }
    }
}

/// Row `n` (0-based) of a sheet as text.
fn row(range: &calamine::Range<Data>, n: usize) -> Vec<String> {
    range
        .rows()
        .nth(n)
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .unwrap_or_default()
}

/// The header row of a ropa table: the first row whose first cell is the given label.
fn header(range: &calamine::Range<Data>, first: &str) -> Vec<String> {
    (0..range.height())
        .map(|n| row(range, n))
        .find(|r| r.first().is_some_and(|c| c == first))
        .unwrap_or_else(|| panic!("no header starting with {first}"))
}

#[test]
fn every_product_is_written_in_dutch_and_french() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    ropa(&[
        "build", "--color", "never", "--lang", "nl", "--lang", "fr", "-o", dir,
    ]);
    for register in REGISTERS {
        let folder = out.path().join(register);
        let mut written: Vec<String> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".nl.") || n.contains(".fr."))
            .collect();
        written.sort();
        let mut expected = [products("fr"), products("nl")].concat();
        expected.sort();
        assert_eq!(written, expected, "{register}");
        // No English report beside them: the languages asked for replace the policy's.
        assert!(!folder.join("transfers.md").exists(), "{register}");
        for lang in [Lang::Nl, Lang::Fr] {
            let files: Vec<PathBuf> = text_files(&folder)
                .into_iter()
                .filter(|p| p.to_string_lossy().contains(&format!(".{}.", lang.code())))
                .collect();
            assert_eq!(files.len(), 11, "{register} {lang:?}");
            // The review report quotes the findings' messages, which ropa writes in English
            // only; its own texts are checked through the strings table, and its diagrams
            // here.
            let (reports, others): (Vec<PathBuf>, Vec<PathBuf>) = files
                .iter()
                .cloned()
                .partition(|p| p.to_string_lossy().contains("report."));
            assert_not_english(&others);
            assert_reference_data_not_english(&others);
            assert_diagrams_not_english(&reports);
            let json: serde_json::Value = serde_json::from_str(
                &std::fs::read_to_string(folder.join(format!("transfers.{}.json", lang.code())))
                    .unwrap(),
            )
            .unwrap();
            assert_eq!(json["language"], lang.code());
        }
        // diagrams/ is drawn in the first language asked for.
        let diagrams: Vec<PathBuf> = std::fs::read_dir(folder.join("diagrams"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert!(diagrams.len() >= 4, "{register}");
        assert_not_english(&diagrams);
        assert_diagrams_not_english(&diagrams);
    }

    // Destinations by their names in the language.
    let read =
        |name: &str| std::fs::read_to_string(out.path().join("dyflexis").join(name)).unwrap();
    let nl = read("transfers.nl.md");
    assert!(
        nl.starts_with("# Doorgiften aan derde landen: Dyflexis"),
        "{nl}"
    );
    assert!(nl.contains("## US Verenigde Staten") && nl.contains("| NL Nederland |"));
    assert!(nl.contains("EU-VS-privacyschild (Privacy Shield)"));
    let fr = read("transfers.fr.md");
    assert!(
        fr.starts_with("# Transferts vers des pays tiers\u{a0}: Dyflexis"),
        "{fr}"
    );
    assert!(fr.contains("## US États-Unis") && fr.contains("| UE Union européenne |"));
    assert!(read("subprocessors.fr.html").contains("<html lang=\"fr\">"));
    assert!(read("subprocessors.nl.md").contains("| Subverwerker | Rechtspersoon | Dienst |"));

    // The workbooks: sheet names and headers in the language.
    let dyflexis = out.path().join("dyflexis");
    let mut records = open_workbook_auto(dyflexis.join("records-of-processing.nl.xlsx")).unwrap();
    assert_eq!(
        records.sheet_names(),
        [
            "Voorblad",
            "Art. 30 lid 1 verantwoordelijke",
            "Art. 30 lid 2 verwerker",
            "Verwerkingsverantwoordelijken",
            "Ontvangers",
            "Doorgiften derde landen",
            "Bevindingen",
        ]
    );
    let controller = records
        .worksheet_range("Art. 30 lid 1 verantwoordelijke")
        .unwrap();
    let headers = header(&controller, "ID");
    assert_eq!(headers[1], "Verwerkingsactiviteit");
    assert_eq!(headers[3], "b) Verwerkingsdoeleinden");
    assert!(
        headers.contains(&"Grondslag (art. 6, lid 1)".to_string()),
        "{headers:?}"
    );
    let cover = records.worksheet_range("Voorblad").unwrap();
    assert_eq!(
        row(&cover, 0)[0],
        "Register van de verwerkingsactiviteiten: Dyflexis"
    );

    let mut records = open_workbook_auto(dyflexis.join("records-of-processing.fr.xlsx")).unwrap();
    assert_eq!(
        records.sheet_names(),
        [
            "Page de garde",
            "Art. 30 par. 1 responsable",
            "Art. 30 par. 2 sous-traitant",
            "Responsables du traitement",
            "Destinataires",
            "Transferts vers pays tiers",
            "Constats",
        ]
    );
    let recipients = records.worksheet_range("Destinataires").unwrap();
    let headers = header(&recipients, "Nom");
    assert_eq!(headers[1], "Entité juridique");
    assert!(
        headers.contains(&"Sous-traitants ultérieurs".to_string()),
        "{headers:?}"
    );

    let mut transfers = open_workbook_auto(dyflexis.join("transfers.fr.xlsx")).unwrap();
    assert_eq!(transfers.sheet_names(), ["Synthèse", "US États-Unis"]);
    let us = transfers.worksheet_range("US États-Unis").unwrap();
    let headers = header(&us, "Pays");
    assert_eq!(headers[1], "Chemin");
    assert!(
        headers.contains(&"Mécanisme renseigné".to_string()),
        "{headers:?}"
    );
    let first = (0..us.height())
        .map(|n| row(&us, n))
        .find(|r| r.first().is_some_and(|c| c.starts_with("US ")))
        .unwrap();
    assert_eq!(first[0], "US (États-Unis)");
    assert!(first.contains(&"non couvert".to_string()), "{first:?}");

    let mut transfers = open_workbook_auto(dyflexis.join("transfers.nl.xlsx")).unwrap();
    assert_eq!(
        transfers.sheet_names(),
        ["Overzicht", "US Verenigde Staten"]
    );
    let summary = transfers.worksheet_range("Overzicht").unwrap();
    assert_eq!(header(&summary, "Land")[1], "Kwalificatie");
}

#[test]
fn the_change_report_notice_and_feed_are_written_in_dutch_and_french() {
    let out = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for lang in ["nl", "fr"] {
        let report = out.path().join(format!("changes.{lang}.md"));
        let notices = out.path().join(format!("notice-{lang}"));
        ropa(&[
            "diff",
            "--color",
            "never",
            "inputs/dyflexis-2023.xlsx",
            "inputs/dyflexis.xlsx",
            "--lang",
            lang,
            "--format",
            "md",
            "--output",
            report.to_str().unwrap(),
            "--notice",
            notices.to_str().unwrap(),
        ]);
        let mut written: Vec<String> = std::fs::read_dir(&notices)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        written.sort();
        assert_eq!(
            written,
            ["html", "md", "txt"]
                .iter()
                .map(|e| format!("notice.{lang}.{e}"))
                .chain([format!("feed.{lang}.xml")])
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect::<Vec<_>>()
        );
        files.push(report);
        files.extend(text_files(&notices));
    }
    assert_not_english(&files);
    let read = |p: &str| std::fs::read_to_string(out.path().join(p)).unwrap();
    assert!(read("changes.nl.md").starts_with("# Wijzigingen in het register: Dyflexis"));
    assert!(read("changes.fr.md").contains(
        "Nouveau transfert par **Intercom**, destination États-Unis (US)\u{a0}: non couvert"
    ));
    let notice = read("notice-nl/notice.nl.txt");
    assert!(
        notice.starts_with(
            "Onderwerp: Kennisgeving van wijzigingen in de subverwerkers van Dyflexis"
        )
    );
    assert!(notice.contains("Geachte klant,"));
    let notice = read("notice-fr/notice.fr.md");
    assert!(notice.contains("Madame, Monsieur,") && notice.contains("sous-traitant ultérieur"));
    assert!(read("notice-fr/feed.fr.xml").contains("xml:lang=\"fr\""));
    // The strings table itself knows every word used here.
    assert_eq!(text(Lang::Fr, "notice.greeting"), "Madame, Monsieur,");
}
