//! `register.json` is an input: reading what `ropa build` wrote gives the same register (every
//! entity and field, origins still pointing at the cells of the original files), the same
//! graph and the same findings, for every example and for a generated register.

#[path = "generator/mod.rs"]
mod generator;

use calamine::{Reader, open_workbook_auto};
use ropa::model::Register;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn ropa(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ropa"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the binary runs")
}

/// Reads a register and the register read back from the `register.json` written of it.
fn both(name: &str, inputs: &[PathBuf], out: &Path) -> (Register, Register) {
    let original = ropa::import::load(name, inputs).unwrap();
    let graph = ropa::graph::build(&original.register);
    let json =
        ropa::export::register_json::to_json(&original.register, &graph, &original.diagnostics)
            .unwrap();
    let path = out.join(name).join("register.json");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, json).unwrap();
    let read = ropa::import::load(name, &[path]).unwrap();
    assert_eq!(
        read.diagnostics, original.diagnostics,
        "{name}: diagnostics"
    );
    let read_graph = ropa::graph::build(&read.register);
    assert_eq!(
        serde_json::to_value(read_graph.summary()).unwrap(),
        serde_json::to_value(graph.summary()).unwrap(),
        "{name}: graph"
    );
    (original.register, read.register)
}

#[test]
fn every_example_reads_back_as_the_same_register() {
    let out = tempfile::tempdir().unwrap();
    for (name, input) in [
        ("dyflexis", "inputs/dyflexis.xlsx"),
        ("dealerdesk", "inputs/dealerdesk"),
    ] {
        let (original, read) = both(name, &[root().join(input)], out.path());
        assert!(!original.processors.is_empty());
        assert_eq!(read, original, "{name}");
        // The origins still point at the original files' cells.
        assert!(read.processors[0].origin.row.file().contains(input));
        assert!(read.processors[0].origin.cells().next().is_some());
    }
}

#[test]
fn origins_read_back_point_at_the_cell_that_holds_the_value() {
    let out = tempfile::tempdir().unwrap();
    let input = root().join("inputs/dyflexis.xlsx");
    let (_, read) = both("dyflexis", std::slice::from_ref(&input), out.path());
    let mut workbook = open_workbook_auto(&input).unwrap();
    let mut checked = 0;
    for processor in &read.processors {
        let at = processor.origin.cell("name");
        let (Some(sheet), Some(row), Some(column)) = (at.sheet(), at.row, at.column) else {
            continue;
        };
        let range = workbook.worksheet_range(sheet).unwrap();
        let cell = range
            .get_value((row - 1, column - 1))
            .map(|c| c.to_string())
            .unwrap_or_default();
        assert!(
            ropa::model::key::name_key(&cell) == ropa::model::key::name_key(&processor.name)
                || cell.contains(processor.name.as_str()),
            "{at}: `{cell}` is not `{}`",
            processor.name
        );
        checked += 1;
    }
    assert!(checked > 5, "{checked} cells checked");
}

#[test]
fn a_generated_register_reads_back_as_the_same_register() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("generated");
    generator::generate(generator::Size::new(300, 120, 150), &input).unwrap();
    let (original, read) = both("generated", &[input], dir.path());
    assert_eq!(original.activities.len(), 300);
    assert_eq!(read, original);
}

#[test]
fn check_on_register_json_finds_what_check_on_the_spreadsheets_finds() {
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().to_str().unwrap();
    let built = ropa(&["build", "inputs/", "--out", out_dir]);
    assert!(built.status.code().is_some_and(|c| c <= 1));
    for (name, input) in [
        ("dyflexis", "inputs/dyflexis.xlsx"),
        ("dealerdesk", "inputs/dealerdesk"),
    ] {
        let document = out.path().join(name).join("register.json");
        let findings = |input: &str| {
            let run = ropa(&[
                "check",
                "--format",
                "json",
                "--policy",
                "inputs/ropa.toml",
                "-v",
                input,
            ]);
            let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
            (
                run.status.code(),
                report["registers"][0]["findings"].clone(),
            )
        };
        let (code, expected) = findings(input);
        let (read_code, read) = findings(document.to_str().unwrap());
        assert_eq!(read_code, code, "{name}");
        assert_eq!(read, expected, "{name}");
        // `ropa build` of an output folder names the register after the folder.
        let inspect = ropa(&["inspect", out.path().join(name).to_str().unwrap()]);
        let text = String::from_utf8_lossy(&inspect.stdout);
        assert!(text.contains(&format!("register `{name}`")), "{text}");
    }
}
