//! Generated registers import completely: every row read is used, every reference resolves,
//! and the chains (cycles included) end up in the graph.

#[path = "generator/mod.rs"]
mod generator;

use ropa::diag::Severity;
use ropa::graph::{self, EdgeRule};

#[test]
fn a_generated_register_imports_without_errors_or_lost_rows() {
    let dir = tempfile::tempdir().unwrap();
    generator::generate(generator::Size::new(400, 150, 200), dir.path()).unwrap();
    let imported = ropa::import::load("generated", &[dir.path().to_path_buf()]).unwrap();
    let r = &imported.register;
    assert_eq!(r.activities.len(), 400);
    assert_eq!(r.systems.len(), 150);
    assert_eq!(r.processors.len(), 200);
    assert_eq!(r.customers.len(), 40);
    for table in &r.tables {
        assert_eq!(table.read, table.used, "{:?}", table.kind);
    }
    let errors: Vec<_> = imported
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let g = graph::build(r);
    let sub_edges = g
        .graph
        .edge_weights()
        .filter(|e| e.rules.contains(EdgeRule::SubProcessor))
        .count();
    assert!(sub_edges > 40, "chains are generated: {sub_edges}");
    assert!(
        petgraph::algo::is_cyclic_directed(&g.graph),
        "some chains loop back"
    );
}

#[test]
fn the_generator_is_deterministic() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for dir in [&a, &b] {
        generator::generate(generator::Size::new(50, 20, 30), dir.path()).unwrap();
    }
    for file in [
        "activities.csv",
        "processors.csv",
        "systems.csv",
        "flows.csv",
    ] {
        assert_eq!(
            std::fs::read(a.path().join(file)).unwrap(),
            std::fs::read(b.path().join(file)).unwrap()
        );
    }
}

/// A register kept for reading, with a blank row after each entry, reads as the same register:
/// an entry after a gap whose cells hold heading words by chance (`Purpose of activity 32`,
/// `until deletion request`) does not start a new table.
#[test]
fn blank_rows_between_entries_do_not_split_tables() {
    let dir = tempfile::tempdir().unwrap();
    let size = generator::Size::new(300, 100, 150);
    let plain = dir.path().join("plain.xlsx");
    let spaced = dir.path().join("spaced.xlsx");
    generator::generate_workbook(size, &plain).unwrap();
    generator::generate_workbook(size.with_blank_rows(), &spaced).unwrap();
    let read = |path: &std::path::Path| {
        let imported = ropa::import::load("register", &[path.to_path_buf()]).unwrap();
        let r = imported.register;
        let tables: Vec<_> = r.tables.iter().map(|t| (t.kind, t.read, t.used)).collect();
        let activities: Vec<_> = r.activities.iter().map(|a| a.key.clone()).collect();
        let processors: Vec<_> = r.processors.iter().map(|p| p.key.clone()).collect();
        (tables, activities, processors)
    };
    let (tables, activities, processors) = read(&spaced);
    assert_eq!(
        (tables.clone(), activities.clone(), processors),
        read(&plain)
    );
    assert_eq!(activities.len(), 300);
    assert_eq!(tables.len(), 6, "{tables:?}");
}

/// The generator's register in the ICO template's layout (which `cargo bench` times at M) is
/// read as that template is: the controller's block, every activity, the transfers each row
/// states and the recipients it names, with nothing rejected.
#[test]
fn a_generated_register_in_the_ico_layout_is_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ico.xlsx");
    generator::generate_ico_workbook(generator::Size::new(300, 0, 40), &path).unwrap();
    let imported = ropa::import::load("ico", &[path]).unwrap();
    let r = &imported.register;
    assert_eq!(r.organisation.name, "Synthetic Garden Centres Ltd");
    assert_eq!(r.activities.len(), 300);
    for table in &r.tables {
        assert_eq!(table.rejected, 0, "{:?}", table.kind);
    }
    let stated = r
        .activities
        .iter()
        .filter(|a| !a.details().transfers.is_empty())
        .count();
    assert!(stated > 100, "third countries stated per row: {stated}");
    assert!(
        r.activities
            .iter()
            .all(|a| a.details().recipient_categories.iter().any(|c| c == "HMRC")),
        "every row's recipients are read"
    );
}
