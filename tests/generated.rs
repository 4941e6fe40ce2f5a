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
