//! Every fixture through the binary: a broken file ends in the exit code and diagnostic its
//! `tests/fixtures/broken/expected.json` states, naming the file (and the line or cell); and no
//! fixture anywhere yields an empty register with exit 0, which would read as an all-clear.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `ropa inspect FILE` as JSON: its exit code, and the parsed report. A panic message on
/// stderr fails the test even when the panic was contained.
fn inspect(file: &Path) -> (i32, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_ropa"))
        .args(["inspect", "--format", "json"])
        .arg(file)
        .current_dir(root())
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{}: {stderr}", file.display());
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: no JSON report ({e}); stderr: {}",
            file.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), report)
}

#[test]
fn broken_files_end_in_their_diagnostics_at_their_place() {
    let dir = root().join("tests/fixtures/broken");
    let expected: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let mut wrong = Vec::new();
    for entry in &expected {
        let file = entry["file"].as_str().unwrap();
        let path = PathBuf::from("tests/fixtures/broken").join(file);
        let (code, report) = inspect(&path);
        if Some(code as i64) != entry["exit"].as_i64() {
            wrong.push(format!("{file}: exit {code}, expected {}", entry["exit"]));
        }
        let diagnostics = report["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let said: Vec<String> = diagnostics
            .iter()
            .map(|d| {
                let at = &d["location"];
                let place = format!(
                    "{}{}{}{}",
                    at["file"].as_str().unwrap_or(""),
                    at["sheet"]
                        .as_str()
                        .map(|s| format!(":{s}"))
                        .unwrap_or_default(),
                    at["row"]
                        .as_u64()
                        .map(|r| format!(":{r}"))
                        .unwrap_or_default(),
                    at["column"]
                        .as_u64()
                        .map(|c| format!(":{c}"))
                        .unwrap_or_default(),
                );
                format!(
                    "{} {} @ {place}",
                    d["code"].as_str().unwrap_or(""),
                    d["message"].as_str().unwrap_or("")
                )
            })
            .collect();
        if let Some(code) = entry["code"].as_str() {
            let relevant: Vec<&String> = said.iter().filter(|s| s.starts_with(code)).collect();
            if relevant.is_empty() {
                wrong.push(format!("{file}: no {code} in {said:#?}"));
                continue;
            }
            for phrase in entry["must_say"].as_array().into_iter().flatten() {
                let phrase = phrase.as_str().unwrap();
                if !said.iter().any(|s| s.contains(phrase)) {
                    wrong.push(format!("{file}: nothing says `{phrase}` in {said:#?}"));
                }
            }
            if !relevant.iter().any(|s| s.contains(file)) {
                wrong.push(format!(
                    "{file}: {code} does not name the file: {relevant:?}"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn no_fixture_reads_as_an_empty_clean_register() {
    let mut files = Vec::new();
    for folder in ["registers", "lists", "broken", "import", "workbooks"] {
        let dir = root().join("tests/fixtures").join(folder);
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if name.ends_with(".json") || name == "README.md" || name.ends_with(".py") {
                continue;
            }
            files.push(path.strip_prefix(root()).unwrap().to_path_buf());
        }
    }
    files.sort();
    assert!(files.len() > 30, "the corpus was found: {}", files.len());
    let mut wrong = Vec::new();
    for file in &files {
        let (code, report) = inspect(file);
        let entities = &report["entities"];
        let read = entities["activities"].as_u64().unwrap_or(0)
            + entities["processors"].as_u64().unwrap_or(0);
        if code == 0 && read == 0 {
            wrong.push(format!("{}: exit 0 with nothing read", file.display()));
        }
        if code != 0 && code != 1 {
            wrong.push(format!("{}: exit {code}", file.display()));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[path = "fuzz/targets.rs"]
mod targets;

/// The inputs each fuzz target is replayed with: `tests/fixtures/fuzz/TARGET/` (what fuzzing
/// found or kept, see tests/fuzz/README.md), and for workbooks the broken fixtures too, among
/// them the `.xls` files that made calamine abort.
fn replay_inputs(target: &str) -> Vec<PathBuf> {
    let mut dirs = vec![root().join("tests/fixtures/fuzz").join(target)];
    if target == "workbook" {
        dirs.push(root().join("tests/fixtures/broken"));
    }
    let mut files: Vec<PathBuf> = dirs
        .iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flatten()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && !p.ends_with("README.md") && !p.ends_with("expected.json"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_fuzz_finding_and_corpus_entry_is_handled() {
    let mut replayed = 0;
    for (target, run) in targets::TARGETS {
        for file in replay_inputs(target) {
            let bytes = std::fs::read(&file).unwrap();
            // A panic fails the test with the file's name; an abort ends the test binary.
            let outcome = std::panic::catch_unwind(|| run(&bytes));
            assert!(
                outcome.is_ok(),
                "{target}: {} is not handled",
                file.display()
            );
            replayed += 1;
        }
    }
    assert!(replayed >= 1500, "the corpus was found: {replayed} inputs");
}

#[test]
fn a_symlink_loop_and_a_pipe_end_in_a_result_or_a_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let register = dir.path().join("register");
    std::fs::create_dir(&register).unwrap();
    std::fs::copy(
        root().join("tests/fixtures/import/processors_en.csv"),
        register.join("processors.csv"),
    )
    .unwrap();
    std::os::unix::fs::symlink(&register, register.join("again")).unwrap();
    let (code, report) = inspect(&register);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["entities"]["processors"], 3, "read once: {report:#}");
    let pipe = dir.path().join("pipe.csv");
    let made = Command::new("mkfifo").arg(&pipe).status();
    if made.is_ok_and(|s| s.success()) {
        let (code, report) = inspect(&pipe);
        assert_eq!(code, 1);
        assert_eq!(report["diagnostics"][0]["code"], "I001", "{report:#}");
    }
}
