//! Hostile names in every output: a register whose names start with formula prefixes, hold
//! quotes, angle brackets, `<script>`, control characters, right-to-left marks and overrides, a
//! path, and 40,000 characters (`support/hostile.rs`), built into CSV, xlsx, Markdown, DOT, SVG
//! and SARIF. Every output stays well-formed and shows the names as text: no formula, no
//! markup, no control character or bidi override, nothing lost but what a format cannot hold.
//! The HTML review report checks its page, and the DOM Chromium makes of it, with
//! `hostile::assert_html_shows_names_as_text` (`tests/report.rs`).

#[path = "support/hostile.rs"]
mod hostile;
#[path = "support/sarif.rs"]
mod sarif;

use calamine::{Data, Reader, open_workbook_auto};
use hostile::{MARKERS, is_hostile_char};
use std::path::{Path, PathBuf};
use std::process::Command;

fn files(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == extension) {
                out.push(path);
            }
        }
    }
    out.sort();
    assert!(
        !out.is_empty(),
        "no .{extension} output in {}",
        dir.display()
    );
    out
}

/// Builds the hostile register; returns its output folder.
fn build(dir: &Path) -> PathBuf {
    hostile::write_register(dir);
    let out = Command::new(env!("CARGO_BIN_EXE_ropa"))
        .args([
            "build",
            hostile::FOLDER,
            "--out",
            "out",
            "--as-of",
            "2026-01-01",
        ])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "build: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(!stdout.chars().any(is_hostile_char), "the terminal report");
    dir.join("out").join(hostile::FOLDER)
}

#[test]
fn every_output_shows_hostile_names_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let out = build(dir.path());

    // No output file carries a control character or a bidi override, and each names them.
    for extension in ["csv", "md", "dot", "svg", "json", "txt"] {
        for file in files(&out, extension) {
            let text = std::fs::read_to_string(&file).unwrap();
            let json = extension == "json";
            assert!(
                json || !text.chars().any(is_hostile_char),
                "{}: a control character or bidi override",
                file.display()
            );
            // The processor's record names its controllers, not every party.
            if !file.ends_with("records-processor.csv")
                && !file.ends_with("records-controllers.csv")
            {
                for marker in MARKERS {
                    assert!(text.contains(marker), "{}: no `{marker}`", file.display());
                }
            }
        }
    }

    // CSV: no cell a spreadsheet would run as a formula.
    for file in files(&out, "csv") {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_path(&file)
            .unwrap();
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{}: formula cell `{cell}`",
                    file.display()
                );
            }
        }
    }

    // xlsx: every cell is text, none a formula; the 40,000-character name is cut at Excel's
    // limit with a note, the others are whole.
    for file in files(&out, "xlsx") {
        let mut workbook = open_workbook_auto(&file).unwrap();
        let mut texts = Vec::new();
        for name in workbook.sheet_names() {
            let formulas = workbook.worksheet_formula(&name).unwrap();
            assert!(
                formulas.used_cells().all(|(_, _, f)| f.is_empty()),
                "{}: a formula",
                file.display()
            );
            let range = workbook.worksheet_range(&name).unwrap();
            for (_, _, cell) in range.used_cells() {
                if let Data::String(s) = cell {
                    assert!(s.chars().count() <= 32_767);
                    assert!(!s.chars().any(is_hostile_char), "{}: `{s}`", file.display());
                    texts.push(s.clone());
                }
            }
        }
        for name in hostile::names()
            .iter()
            .filter(|n| n.len() < 1000 && !n.chars().any(is_hostile_char))
        {
            assert!(
                texts.iter().any(|t| t.contains(name.as_str())),
                "{}: `{name}` is not kept whole",
                file.display()
            );
        }
        assert!(
            texts
                .iter()
                .any(|t| t.contains("cut at Excel's cell limit"))
        );
    }

    // Markdown: no raw HTML (every `<` but `<br>` escaped), tables keep their columns.
    for file in files(&out, "md") {
        let text = std::fs::read_to_string(&file).unwrap();
        let unescaped = text
            .match_indices('<')
            .filter(|(i, _)| !text[*i..].starts_with("<br>") && !text[..*i].ends_with('\\'))
            .count();
        assert_eq!(unescaped, 0, "{}: raw `<`", file.display());
        let mut columns = None;
        for line in text.lines() {
            if line.starts_with('|') {
                let cells = line
                    .char_indices()
                    .filter(|(i, c)| *c == '|' && !line[..*i].ends_with('\\'))
                    .count();
                if line.starts_with("|---") || line.starts_with("| ---") || columns.is_none() {
                    columns = Some(cells);
                }
                assert_eq!(Some(cells), columns, "{}: {line:.120}", file.display());
            } else {
                columns = None;
            }
        }
    }

    // DOT: graphviz-rust parses every file.
    for file in files(&out, "dot") {
        let text = std::fs::read_to_string(&file).unwrap();
        graphviz_rust::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    }

    // SVG: well-formed XML with no script and no markup from a name.
    for file in files(&out, "svg") {
        let text = std::fs::read_to_string(&file).unwrap();
        let svg =
            roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for node in svg.descendants() {
            assert!(
                !matches!(node.tag_name().name(), "script" | "b" | "foreignObject"),
                "{}: a <{}> element",
                file.display(),
                node.tag_name().name()
            );
        }
        assert!(text.contains("&lt;script&gt;") || text.contains("&lt;script"));
    }

    // No file escapes its folder because of a name like `../../escape`.
    assert!(!dir.path().join("escape").exists());
    assert!(!out.parent().unwrap().join("escape").exists());
}

#[test]
fn sarif_shows_hostile_names_as_text() {
    let dir = tempfile::tempdir().unwrap();
    hostile::write_register(dir.path());
    let out = Command::new(env!("CARGO_BIN_EXE_ropa"))
        .args(["check", "--format", "sarif", hostile::FOLDER])
        .current_dir(dir.path())
        .output()
        .unwrap();
    sarif::assert_code_scanning_accepts(&out.stdout, "hostile register");
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let messages: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["message"]["text"].as_str())
        .collect();
    assert!(messages.iter().all(|m| !m.chars().any(is_hostile_char)));
    for marker in MARKERS {
        assert!(messages.iter().any(|m| m.contains(marker)), "no `{marker}`");
    }
}
