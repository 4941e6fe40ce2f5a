//! The library's modules form layers, and a lower layer never names a higher one: the pipeline
//! reads `import → model/graph → analysis → export`, with the command line on top. A `use` of a
//! higher module fails here with the file and line.

use std::path::{Path, PathBuf};

/// Bottom to top. A module may use itself and the modules before it.
const LAYERS: [&str; 10] = [
    "model",
    "vocabulary",
    "reference",
    "diag",
    "i18n",
    "import",
    "graph",
    "analysis",
    "export",
    "cli",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file of `src/` belongs to (`src/export/sheet.rs` → `export`).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let first = file.strip_prefix(src).ok()?.components().next()?;
    let name = first.as_os_str().to_string_lossy();
    Some(name.trim_end_matches(".rs").to_string())
}

#[test]
fn no_module_uses_a_higher_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut violations = Vec::new();
    for file in &files {
        let Some(module) = module_of(&src, file) else {
            continue;
        };
        let Some(level) = LAYERS.iter().position(|l| *l == module) else {
            continue; // lib.rs, main.rs
        };
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            for (higher, name) in LAYERS.iter().enumerate().skip(level + 1) {
                if code.contains(&format!("crate::{name}::"))
                    || code.contains(&format!("crate::{name};"))
                    || code.contains(&format!("crate::{name}}}"))
                    || code.contains(&format!("crate::{name},"))
                {
                    violations.push(format!(
                        "{}:{}: `{module}` (layer {level}) uses `{name}` (layer {higher})",
                        file.strip_prefix(&src).unwrap().display(),
                        n + 1
                    ));
                }
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn every_module_has_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    for line in lib.lines() {
        if let Some(name) = line.strip_prefix("pub mod ") {
            let name = name.trim_end_matches(';');
            assert!(
                LAYERS.contains(&name),
                "`{name}` is in no layer of tests/layers.rs"
            );
        }
    }
}
