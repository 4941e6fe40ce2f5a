//! The binary end to end: exit codes, output formats, the committed outputs, and a corpus of
//! broken files that must never make it panic.
#![allow(clippy::print_stderr)]

#[path = "support/dyflexis.rs"]
mod dyflexis;
#[path = "support/sheets.rs"]
mod sheets;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn ropa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ropa"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the binary runs")
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    files.sort();
    files
}

#[test]
fn committed_outputs_are_what_build_makes_of_the_inputs() {
    let out = tempfile::tempdir().unwrap();
    let result = ropa(&[
        "build",
        "--color",
        "never",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&result.stdout)
    );
    let made = files_under(out.path());
    let committed = files_under(&root().join("outputs"));
    assert_eq!(made, committed, "outputs/ holds exactly what build writes");
    for file in made {
        let fresh = std::fs::read(out.path().join(&file)).unwrap();
        let kept = std::fs::read(root().join("outputs").join(&file)).unwrap();
        // An SVG, and the report that inlines SVGs, depend on the renderer installed: compare
        // them only when the same one drew them (the .dot beside an SVG is always compared).
        let renderer = |bytes: &[u8]| {
            String::from_utf8_lossy(bytes)
                .lines()
                .find(|l| l.starts_with("<!-- ropa: rendered by"))
                .map(str::to_string)
        };
        if file.extension().is_some_and(|e| e == "svg" || e == "html")
            && renderer(&fresh) != renderer(&kept)
        {
            eprintln!(
                "{}: drawn by another renderer here; not compared",
                file.display()
            );
            continue;
        }
        assert!(
            fresh == kept,
            "outputs/{} is stale: run `cargo run -- build` and the example diff (README, Development) and commit the result",
            file.display()
        );
    }
}

#[test]
fn build_is_deterministic() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for dir in [&a, &b] {
        let result = ropa(&["build", "--out", dir.path().to_str().unwrap()]);
        assert_eq!(result.status.code(), Some(0));
    }
    for file in files_under(a.path()) {
        assert_eq!(
            std::fs::read(a.path().join(&file)).unwrap(),
            std::fs::read(b.path().join(&file)).unwrap(),
            "{}",
            file.display()
        );
    }
}

#[test]
fn committed_example_workbook_matches_its_source() {
    for (name, sheets) in [
        ("dyflexis.xlsx", dyflexis::dyflexis()),
        ("dyflexis-2023.xlsx", dyflexis::dyflexis_2023()),
    ] {
        let expected = sheets::workbook(&sheets).unwrap();
        let committed = std::fs::read(root().join("inputs").join(name)).unwrap();
        assert!(
            expected == committed,
            "inputs/{name} is stale: run `cargo run --example example-inputs`"
        );
    }
}

#[test]
fn inspect_reports_tables_graph_and_diagnostics() {
    let result = ropa(&["inspect", "--color", "never", "inputs/dyflexis.xlsx"]);
    assert_eq!(result.status.code(), Some(0));
    let stdout = String::from_utf8(result.stdout).unwrap();
    assert!(
        stdout.contains(
            "warning[I015]: recipient `Spryng` is one letter away from processor `Sprung`"
        )
    );
    assert!(stdout.contains("--> inputs/dyflexis.xlsx:Unterauftragsverarbeiter!D5"));
    assert!(stdout.contains(
        "processors    inputs/dyflexis.xlsx:Unterauftragsverarbeiter!3:3     15     15         0        1"
    ));
    assert!(
        stdout.contains("skipped at inputs/dyflexis.xlsx:Unterauftragsverarbeiter!3:3: 1 title")
    );
    assert!(stdout.contains("graph: "));
    assert!(
        !stdout.contains('\u{1b}'),
        "no colour codes when not asked and not a terminal"
    );

    let coloured = ropa(&["inspect", "--color", "always", "inputs/dyflexis.xlsx"]);
    assert!(
        String::from_utf8(coloured.stdout)
            .unwrap()
            .contains('\u{1b}')
    );
}

#[test]
fn inspect_json_is_machine_readable() {
    let result = ropa(&["inspect", "--format", "json", "inputs/dealerdesk"]);
    assert_eq!(result.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&result.stdout).unwrap();
    assert_eq!(report["register"], "dealerdesk");
    assert_eq!(report["entities"]["processors"], 7);
    assert_eq!(report["counts"]["errors"], 0);
    assert!(report["graph"]["edges"].as_u64().unwrap() > 10);
    let tables = report["tables"].as_array().unwrap();
    assert!(tables.iter().all(|t| t["rejected"] == 0));
}

#[test]
fn exit_codes_distinguish_findings_from_failures() {
    let missing = ropa(&["inspect", "no/such/register.xlsx"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("does not exist"));

    let dir = tempfile::tempdir().unwrap();
    let corrupt = dir.path().join("broken.xlsx");
    std::fs::write(&corrupt, b"not a workbook").unwrap();
    let result = ropa(&["inspect", "--format", "json", corrupt.to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&result.stdout).unwrap();
    assert_eq!(report["diagnostics"][0]["code"], "I001");
    assert_eq!(report["diagnostics"][0]["severity"], "error");

    let bad_usage = ropa(&["inspect"]);
    assert_eq!(bad_usage.status.code(), Some(2));
}

#[test]
fn build_never_touches_its_inputs() {
    let before: Vec<Vec<u8>> = files_under(&root().join("inputs"))
        .iter()
        .map(|f| std::fs::read(root().join("inputs").join(f)).unwrap())
        .collect();
    let out = tempfile::tempdir().unwrap();
    ropa(&["build", "--out", out.path().to_str().unwrap()]);
    let after: Vec<Vec<u8>> = files_under(&root().join("inputs"))
        .iter()
        .map(|f| std::fs::read(root().join("inputs").join(f)).unwrap())
        .collect();
    assert!(before == after);
}

/// Broken inputs of every kind: truncated and garbled workbooks, wrong extensions, bad CSV.
fn broken_corpus(dir: &Path) -> Vec<PathBuf> {
    let workbook = std::fs::read(root().join("inputs/dyflexis.xlsx")).unwrap();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for cut in [
        0,
        1,
        4,
        30,
        100,
        500,
        workbook.len() / 2,
        workbook.len() - 10,
    ] {
        files.push((format!("truncated-{cut}.xlsx"), workbook[..cut].to_vec()));
    }
    let mut flipped = workbook.clone();
    for i in (200..flipped.len()).step_by(97) {
        flipped[i] ^= 0x5A;
    }
    files.push(("flipped.xlsx".into(), flipped));
    for ext in ["xlsx", "xlsm", "xlsb", "xls", "ods"] {
        files.push((
            format!("noise.{ext}"),
            (0..2048u32).map(|i| (i * 7919 % 251) as u8).collect(),
        ));
        files.push((format!("text.{ext}"), b"Name,Country\nX,DE\n".to_vec()));
    }
    files.push(("workbook-as.ods".into(), workbook.clone()));
    files.push(("workbook-as.csv".into(), workbook));
    files.push((
        "quotes.csv".into(),
        b"Name,Service,Country\n\"unclosed,Hosting,DE\nX,Y,Z\n".to_vec(),
    ));
    files.push(("only-delimiters.csv".into(), b";;;;\n;;;;\n,,,\n".to_vec()));
    files.push((
        "odd-utf16.csv".into(),
        vec![0xFF, 0xFE, b'N', 0, b'a', 0, b'm'],
    ));
    files.push(("bom-only.csv".into(), vec![0xEF, 0xBB, 0xBF]));
    files.push((
        "long-line.csv".into(),
        format!("Name,Service,Country\n{},x,DE\n", "A".repeat(200_000)).into_bytes(),
    ));
    files.push((
        "ragged.csv".into(),
        b"Name,Service,Country\nA\nB,C,D,E,F,G\n,,\n".to_vec(),
    ));
    files.push(("header-only.csv".into(), b"Name,Service,Country\n".to_vec()));
    files.push((
        "control-chars.csv".into(),
        b"Name,Service,Country\n\x01\x02,\x7f,\x1b[31mDE\n".to_vec(),
    ));
    files.push((
        "cycle.csv".into(),
        b"Name,Service,Country,Parent,Sub-processors\nA,x,US,B,B\nB,y,US,A,A\n".to_vec(),
    ));
    files.push(("no-extension".into(), b"Name\n".to_vec()));
    let mut paths = Vec::new();
    for (name, bytes) in files {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        paths.push(path);
    }
    let empty_dir = dir.join("empty-folder");
    std::fs::create_dir(&empty_dir).unwrap();
    paths.push(empty_dir);
    paths
}

#[test]
fn no_broken_input_makes_the_binary_panic() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = broken_corpus(dir.path());
    for path in &corpus {
        for format in ["human", "json"] {
            let result = ropa(&["inspect", "--format", format, path.to_str().unwrap()]);
            let stderr = String::from_utf8_lossy(&result.stderr);
            assert!(
                matches!(result.status.code(), Some(0..=2)) && !stderr.contains("panicked"),
                "{}: exit {:?}\n{stderr}",
                path.display(),
                result.status.code()
            );
        }
    }
    // All of them at once, merged into one register.
    let mut args = vec!["inspect".to_string()];
    args.extend(corpus.iter().map(|p| p.to_string_lossy().into_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = ropa(&args);
    assert!(!String::from_utf8_lossy(&result.stderr).contains("panicked"));
    assert_eq!(result.status.code(), Some(1));
}

#[test]
fn the_organisation_can_come_from_the_command_line() {
    let result = ropa(&[
        "inspect",
        "--format",
        "json",
        "--organisation",
        "Example B.V.",
        "--country",
        "Nederland",
        "tests/fixtures/import/processors_en.csv",
    ]);
    assert_eq!(result.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&result.stdout).unwrap();
    assert_eq!(report["organisation"], "Example B.V.");
    assert!(
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["code"] != "I021"),
        "no missing-organisation warning"
    );
    let unknown = ropa(&["inspect", "--country", "Narnia", "inputs/dealerdesk"]);
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn export_records_writes_the_workbook_and_tables_per_language() {
    let out = tempfile::tempdir().unwrap();
    let result = ropa(&[
        "export",
        "records",
        "inputs/dealerdesk",
        "--lang",
        "en",
        "--lang",
        "de",
        "--as-of",
        "2026-01-01",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let made = files_under(&out.path().join("dealerdesk"));
    let names: Vec<String> = made.iter().map(|p| p.display().to_string()).collect();
    assert_eq!(
        names,
        [
            "records-controller.csv",
            "records-controller.de.csv",
            "records-controllers.csv",
            "records-controllers.de.csv",
            "records-of-processing.de.xlsx",
            "records-of-processing.xlsx",
            "records-processor.csv",
            "records-processor.de.csv",
            "records-recipients.csv",
            "records-recipients.de.csv",
        ]
    );
}

#[test]
fn check_reports_privacy_shield_and_the_near_duplicate_and_fails() {
    let result = ropa(&["check", "--color", "never", "inputs/"]);
    assert_eq!(
        result.status.code(),
        Some(1),
        "denied findings fail the check"
    );
    let stdout = String::from_utf8(result.stdout).unwrap();
    assert!(stdout.contains("error[R002]: transfer to Postmark in United States (US)"));
    assert!(stdout.contains("  --> inputs/dyflexis.xlsx:Unterauftragsverarbeiter!D5"));
    assert!(
        stdout.contains(
            "warning[I015]: recipient `Spryng` is one letter away from processor `Sprung`"
        )
    );
    assert!(stdout.contains("dyflexis: 7 errors"));
    // The 2023 version of the example has its own seven (Salesforce was in the US then,
    // Intercom was not yet listed).
    assert!(stdout.contains("dyflexis-2023: 7 errors"));
    assert!(
        stdout
            .lines()
            .last()
            .unwrap()
            .starts_with("total: 14 errors")
    );

    // Levels from the command line: allowing R002 lets the check pass.
    let allowed = ropa(&["check", "-A", "invalid-transfer-mechanism", "inputs/"]);
    assert_eq!(allowed.status.code(), Some(0));
    let denied = ropa(&[
        "check",
        "-D",
        "I015",
        "--format",
        "json",
        "inputs/dyflexis.xlsx",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&denied.stdout).unwrap();
    let near = report["registers"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "I015")
        .unwrap();
    assert_eq!(near["severity"], "error");
    assert_eq!(
        ropa(&["check", "-D", "R999", "inputs/"]).status.code(),
        Some(2)
    );
}

#[test]
fn check_writes_valid_sarif() {
    let result = ropa(&["check", "--format", "sarif", "inputs/"]);
    assert_eq!(result.status.code(), Some(1));
    let sarif: serde_json::Value = serde_json::from_slice(&result.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "ropa");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(
        rules
            .iter()
            .any(|r| r["id"] == "R002" && r["name"] == "invalid-transfer-mechanism")
    );
    let results = run["results"].as_array().unwrap();
    let shield = results
        .iter()
        .find(|r| {
            r["ruleId"] == "R002"
                && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    == "inputs/dyflexis.xlsx"
        })
        .unwrap();
    assert_eq!(shield["level"], "error");
    assert!(
        shield["message"]["text"]
            .as_str()
            .unwrap()
            .contains("C-311/18")
    );
    let location = &shield["locations"][0];
    assert_eq!(
        location["physicalLocation"]["artifactLocation"]["uri"],
        "inputs/dyflexis.xlsx"
    );
    assert!(
        location["logicalLocations"][0]["fullyQualifiedName"]
            .as_str()
            .unwrap()
            .contains("Unterauftragsverarbeiter!D")
    );
    // CSV findings carry line and column.
    let csv = results
        .iter()
        .find(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .is_some_and(|u| u.ends_with(".csv"))
        })
        .expect("a finding in a CSV file");
    assert!(
        csv["locations"][0]["physicalLocation"]["region"]["startLine"]
            .as_i64()
            .unwrap()
            > 1
    );
}

#[test]
fn check_states_the_reference_date_and_warns_when_the_evaluation_date_is_later() {
    let reference = ropa::reference::AS_OF;
    let human = ropa(&["check", "--color", "never", "inputs/dealerdesk"]);
    let stdout = String::from_utf8(human.stdout).unwrap();
    assert!(
        stdout
            .lines()
            .last()
            .unwrap()
            .contains(&format!("reference data checked up to {reference}")),
        "{stdout}"
    );
    assert!(
        !stdout.contains("I045"),
        "inputs/ropa.toml pins the reference date"
    );

    let later = ropa(&[
        "check",
        "--color",
        "never",
        "--as-of",
        "2030-01-01",
        "inputs/dealerdesk",
    ]);
    let stdout = String::from_utf8(later.stdout).unwrap();
    assert!(
        stdout.contains(&format!(
            "warning[I045]: transfers are judged as of 2030-01-01, but ropa's legal reference data was checked only up to {reference}"
        )),
        "{stdout}"
    );
    let json = ropa(&[
        "check",
        "--format",
        "json",
        "--as-of",
        "2030-01-01",
        "inputs/dealerdesk",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["reference_data_as_of"], reference);
    assert!(
        report["registers"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "I045")
    );
    let sarif = ropa(&[
        "check",
        "--format",
        "sarif",
        "--as-of",
        "2030-01-01",
        "inputs/dealerdesk",
    ]);
    let log: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    assert_eq!(log["runs"][0]["properties"]["referenceDataAsOf"], reference);
    assert_eq!(log["runs"][0]["properties"]["asOf"], "2030-01-01");

    // Every report says it too.
    let out = tempfile::tempdir().unwrap();
    let built = ropa(&[
        "export",
        "transfers",
        "inputs/dealerdesk",
        "--as-of",
        "2030-01-01",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(built.status.code(), Some(0));
    let md = std::fs::read_to_string(out.path().join("dealerdesk/transfers.md")).unwrap();
    assert!(md.contains("REFERENCE DATA MAY BE OUT OF DATE"), "{md}");
}

#[test]
fn init_writes_a_policy_that_check_accepts_and_unknown_keys_fail() {
    let dir = tempfile::tempdir().unwrap();
    let result = ropa(&["init", dir.path().to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(0));
    let policy = dir.path().join("ropa.toml");
    assert!(
        std::fs::read_to_string(&policy)
            .unwrap()
            .contains("max-chain-depth")
    );
    assert_eq!(
        ropa(&["init", dir.path().to_str().unwrap()]).status.code(),
        Some(2),
        "no overwrite"
    );
    let ok = ropa(&[
        "check",
        "--policy",
        policy.to_str().unwrap(),
        "inputs/dealerdesk",
    ]);
    assert_eq!(ok.status.code(), Some(0));
    std::fs::write(
        &policy,
        "as-of = 2026-01-01\n[rules]\nR004 = \"deny\"\nmax_depth = 2\n",
    )
    .unwrap();
    let bad = ropa(&[
        "check",
        "--policy",
        policy.to_str().unwrap(),
        "inputs/dealerdesk",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(stderr.contains("ropa.toml:4"), "{stderr}");
}

#[test]
fn a_previous_version_that_does_not_exist_stops_the_build_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("inputs");
    std::fs::create_dir(&inputs).unwrap();
    std::fs::copy(
        root().join("inputs/dyflexis.xlsx"),
        inputs.join("dyflexis.xlsx"),
    )
    .unwrap();
    std::fs::write(
        inputs.join("ropa.toml"),
        "as-of = 2026-11-23\n[previous]\ndyflexis = \"dyflexis-2019.xlsx\"\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let result = ropa(&[
        "build",
        inputs.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(result.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("dyflexis-2019.xlsx"), "{stderr}");
    assert!(!out.join("dyflexis").exists(), "nothing half-written");
}

#[test]
fn a_register_read_in_part_never_reads_as_all_clear() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    // An unterminated quote swallows the rest of the file: nothing can be read.
    std::fs::write(
        inputs.join("processors.csv"),
        "Name,Service,Country\n\"Unclosed quote,Mail,US\nOther,Mail,DE\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let result = ropa(&[
        "build",
        inputs.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--as-of",
        "2026-11-23",
    ]);
    assert_eq!(result.status.code(), Some(1));
    let folder = out.join("in");
    for file in [
        "report.html",
        "transfers.md",
        "subprocessors.md",
        "subprocessors.html",
    ] {
        let text = std::fs::read_to_string(folder.join(file)).unwrap();
        assert!(!text.contains("No transfers"), "{file} reads as all clear");
        assert!(
            text.contains("NOTHING COULD BE READ"),
            "{file} says nothing of it"
        );
    }
    let page: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join("subprocessors.json")).unwrap())
            .unwrap();
    assert_eq!(page["notices"].as_array().map(Vec::len), Some(1));
}
