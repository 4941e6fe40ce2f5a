//! `ropa check --format sarif` as code scanning takes it: the examples and a register of
//! hostile names pass the official schema, GitHub's requirements and (when installed)
//! Microsoft's validator; CSV findings carry line and column, workbook findings the cell; and a
//! finding keeps its fingerprint when rows move.

#[path = "support/hostile.rs"]
mod hostile;
#[path = "support/sarif.rs"]
mod sarif;

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn check(dir: &Path, input: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ropa"))
        .args(["check", "--format", "sarif", input])
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

#[test]
fn the_examples_pass_the_schema_github_and_the_validator() {
    let out = check(Path::new(env!("CARGO_MANIFEST_DIR")), "inputs/");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    sarif::assert_code_scanning_accepts(&out.stdout, "inputs/");
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(results.len() > 20, "{} results", results.len());
    // A CSV finding: line and the column where its field starts.
    let csv = results
        .iter()
        .map(|r| &r["locations"][0]["physicalLocation"])
        .find(|p| {
            p["artifactLocation"]["uri"]
                .as_str()
                .is_some_and(|u| u.ends_with(".csv"))
                && p["region"]["startColumn"].is_u64()
        })
        .expect("a CSV finding with a column");
    assert!(csv["region"]["startLine"].as_u64().unwrap() > 1);
    // `Datenflüsse.csv` and the like are percent-encoded.
    assert!(results.iter().all(|r| {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .is_some_and(|u| u.is_ascii() && !u.contains(' '))
    }));
    // A workbook finding: line 1 of the file, the cell as a logical location.
    let cell = results
        .iter()
        .map(|r| &r["locations"][0])
        .find(|l| l["physicalLocation"]["artifactLocation"]["uri"] == "inputs/dyflexis.xlsx")
        .expect("a workbook finding");
    assert_eq!(cell["physicalLocation"]["region"]["startLine"], 1);
    assert!(
        cell["logicalLocations"][0]["fullyQualifiedName"]
            .as_str()
            .unwrap()
            .starts_with("inputs/dyflexis.xlsx:")
    );
    // Every rule has its documentation page as help.
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let r002 = rules.iter().find(|r| r["id"] == "R002").unwrap();
    assert!(
        r002["helpUri"]
            .as_str()
            .unwrap()
            .ends_with("docs/rules/R002.md")
    );
    assert!(r002["fullDescription"]["text"].as_str().unwrap().len() > 80);
}

/// A date after the reference data adds I045, which is about the whole register: it is placed
/// at the register's input, as code scanning requires every result to have a place (before,
/// every `check` without a pinned date failed GitHub's rules once the data was a day old).
#[test]
fn a_date_after_the_reference_data_passes_too() {
    let out = Command::new(env!("CARGO_BIN_EXE_ropa"))
        .args([
            "check",
            "--format",
            "sarif",
            "--as-of",
            "2099-01-01",
            "inputs/dyflexis.xlsx",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs");
    sarif::assert_code_scanning_accepts(&out.stdout, "as of 2099");
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    let outdated = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "I045")
        .expect("I045 is reported");
    assert_eq!(
        outdated["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "inputs/dyflexis.xlsx"
    );
}

#[test]
fn hostile_names_and_paths_pass_too() {
    let dir = tempfile::tempdir().unwrap();
    hostile::write_register(dir.path());
    let out = check(dir.path(), hostile::FOLDER);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    sarif::assert_code_scanning_accepts(&out.stdout, "hostile register");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Vertr%C3%A4ge%20%231%20100%25%20ok/processors.csv"));
    assert!(!text.contains('\u{202e}') && !text.contains("\\u001b"));
}

/// The fingerprints of a register's findings, by message.
fn fingerprints(dir: &Path) -> Vec<(String, String)> {
    let out = check(dir, hostile::FOLDER);
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut prints: Vec<(String, String)> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["message"]["text"].as_str().unwrap().to_string(),
                r["partialFingerprints"]["ropaFindingHash/v1"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect();
    prints.sort();
    prints
}

#[test]
fn a_finding_keeps_its_fingerprint_when_rows_move() {
    let dir = tempfile::tempdir().unwrap();
    let register = hostile::write_register(dir.path());
    let before = fingerprints(dir.path());
    // A new processor above the others moves every row down by one.
    let path = register.join("processors.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let (header, rows) = text.split_once('\n').unwrap();
    std::fs::write(
        &path,
        format!("{header}\nNewcomer GmbH,Mail,DE,,yes,Name\n{rows}"),
    )
    .unwrap();
    let after = fingerprints(dir.path());
    let unique: std::collections::HashSet<&String> = before.iter().map(|(_, f)| f).collect();
    assert_eq!(unique.len(), before.len(), "fingerprints are unique");
    for (message, print) in &before {
        assert!(
            after.iter().any(|(m, p)| m == message && p == print),
            "`{message}` lost its fingerprint {print}"
        );
    }
}
