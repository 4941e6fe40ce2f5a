//! Writes `inputs/dyflexis.xlsx` from `tests/support/dyflexis.rs`. Run
//! `cargo run --example example-inputs` after changing that file; a test checks that the
//! committed workbook matches it.
#![allow(clippy::print_stdout)]

#[path = "../support/dyflexis.rs"]
mod dyflexis;
#[path = "../support/sheets.rs"]
mod sheets;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let bytes = sheets::workbook(&dyflexis::dyflexis())?;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs/dyflexis.xlsx");
    std::fs::write(&path, bytes)?;
    println!("wrote {}", path.display());
    Ok(())
}
