//! Writes `inputs/dyflexis.xlsx` and its invented earlier version `inputs/dyflexis-2023.xlsx`
//! from `tests/support/dyflexis.rs`. Run
//! `cargo run --example example-inputs` after changing that file; a test checks that the
//! committed workbook matches it.
#![allow(clippy::print_stdout)]

#[path = "../support/dyflexis.rs"]
mod dyflexis;
#[path = "../support/sheets.rs"]
mod sheets;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let inputs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs");
    for (name, sheets) in [
        ("dyflexis.xlsx", dyflexis::dyflexis()),
        ("dyflexis-2023.xlsx", dyflexis::dyflexis_2023()),
    ] {
        let path = inputs.join(name);
        std::fs::write(&path, sheets::workbook(&sheets)?)?;
        println!("wrote {}", path.display());
    }
    Ok(())
}
