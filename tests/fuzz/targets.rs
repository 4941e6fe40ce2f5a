//! What each fuzz target feeds ropa, in one place: the fuzz targets in `fuzz_targets/` call
//! these, and `tests/corpus.rs` replays the committed findings through the same functions.
//! Each must return normally for every input: a panic or an abort is a finding.
#![allow(dead_code)]

/// A fuzz target's body.
pub type Target = fn(&[u8]);

/// The targets by name, as `cargo fuzz run` and the fixture folders name them.
pub const TARGETS: [(&str, Target); 6] = [
    ("csv", csv),
    ("workbook", workbook),
    ("markdown", markdown),
    ("values", values),
    ("policy", policy),
    ("register", register),
];

/// A CSV file's bytes through the whole import: decoding, delimiter, layout, rows, linking.
pub fn csv(data: &[u8]) {
    let _ = ropa::import::load_bytes("fuzz", &[("fuzz.csv", data)]);
}

/// A workbook's bytes (calamine tells xls, xlsx, xlsb and ods apart by their content) through
/// the whole import.
pub fn workbook(data: &[u8]) {
    let _ = ropa::import::load_bytes("fuzz", &[("fuzz.xlsx", data)]);
}

/// A Markdown document's bytes through the whole import.
pub fn markdown(data: &[u8]) {
    let _ = ropa::import::load_bytes("fuzz", &[("fuzz.md", data)]);
}

/// One cell's text through every value parser: countries and places, dates, transfer
/// mechanisms, legal bases, lists, yes/no, data categories.
pub fn values(data: &[u8]) {
    use ropa::import::values;
    let text = String::from_utf8_lossy(data);
    let _ = values::parse_places(&text);
    let _ = values::parse_date(&text);
    let _ = values::parse_mechanisms(&text);
    let _ = values::parse_legal_bases(&text);
    let _ = values::parse_tristate(&text);
    let _ = values::read_yes_no(&text);
    let _ = values::is_pointer(&text);
    let _ = ropa::vocabulary::categories::read(&text);
    let _ = ropa::vocabulary::legal::conditions(&text);
    for item in values::split_list(&text) {
        let _ = values::parse_places(&item);
    }
}

/// A policy file's text (`ropa.toml`).
pub fn policy(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = ropa::analysis::policy::Policy::parse(&text, "ropa.toml");
}

/// A `register.json` document's bytes, read back as a register, then its graph, the transfer
/// analysis and the rules: a document can hold references and values no import makes.
pub fn register(data: &[u8]) {
    let imported = ropa::import::load_bytes("fuzz", &[("register.json", data)]);
    let graph = ropa::graph::build(&imported.register);
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    let transfers = ropa::analysis::analyse(&imported.register, &graph, as_of);
    let _ = ropa::analysis::findings(
        &imported.register,
        &graph,
        &transfers,
        &imported.diagnostics,
        &ropa::analysis::policy::Levels::default(),
        5,
    );
}
