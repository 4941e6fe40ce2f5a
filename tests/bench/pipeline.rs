//! `cargo bench`: times each stage of the pipeline on generated registers of growing size, so
//! a stage that stops being linear shows up as a per-row time that grows.
#![allow(clippy::print_stdout)]

#[path = "../generator/mod.rs"]
mod generator;

use std::time::{Duration, Instant};

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let value = f();
        best = best.min(start.elapsed());
        last = Some(value);
    }
    (best, last.expect("at least one run"))
}

fn main() {
    // `cargo bench -- --quick` (or any filter argument cargo passes) keeps it short.
    let quick = std::env::args().any(|a| a == "--quick");
    let sizes: &[(usize, usize, usize)] = if quick {
        &[(1_000, 500, 500)]
    } else {
        &[
            (1_000, 500, 500),
            (2_000, 1_000, 1_000),
            (4_000, 2_000, 2_000),
            (10_000, 5_000, 5_000),
        ]
    };
    println!(
        "{:>10} {:>8} {:>10} | {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} | {:>9} {:>12}",
        "activities",
        "systems",
        "processors",
        "import",
        "graph",
        "json",
        "transfers",
        "reports",
        "records",
        "diff",
        "page",
        "transfers",
        "µs/row import"
    );
    for &(activities, systems, processors) in sizes {
        let dir = tempfile::tempdir().expect("temp dir");
        generator::generate(
            generator::Size::new(activities, systems, processors),
            dir.path(),
        )
        .expect("generate");
        let inputs = [dir.path().to_path_buf()];
        let (import_time, imported) =
            best_of(3, || ropa::import::load("bench", &inputs).expect("import"));
        let (graph_time, graph) = best_of(3, || ropa::graph::build(&imported.register));
        let (json_time, _) = best_of(3, || {
            ropa::export::register_json::to_json(&imported.register, &graph, &imported.diagnostics)
                .expect("json")
        });
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date");
        let (analysis_time, analysis) = best_of(3, || {
            ropa::analysis::analyse(&imported.register, &graph, as_of)
        });
        let out = tempfile::tempdir().expect("temp dir");
        let (reports_time, _) = best_of(3, || {
            ropa::export::transfers::write(
                &analysis,
                "Bench",
                ropa::export::i18n::Lang::En,
                out.path(),
            )
            .expect("reports")
        });
        let sources = ropa::export::records::RecordSources {
            register: &imported.register,
            graph: &graph,
            analysis: &analysis,
            diagnostics: &imported.diagnostics,
        };
        let (records_time, _) = best_of(3, || {
            ropa::export::records::write(&sources, ropa::export::i18n::Lang::En, out.path())
                .expect("records")
        });
        // A later version: every tenth processor respelled (a rename to find through the
        // near-name index), every seventh moved, so the diff does more than match keys.
        let mut later = imported.register.clone();
        for (i, p) in later.processors.iter_mut().enumerate() {
            if i % 10 == 0 {
                p.name.push('x');
                p.key = ropa::model::key::name_key(&p.name);
            }
            if i % 7 == 0 {
                p.locations = vec![ropa::model::Place::Country("FR".into())];
            }
        }
        let later_graph = ropa::graph::build(&later);
        let later_analysis = ropa::analysis::analyse(&later, &later_graph, as_of);
        let (diff_time, changes) = best_of(3, || {
            ropa::analysis::changes::compare(
                ropa::analysis::changes::Side {
                    register: &imported.register,
                    transfers: &analysis,
                },
                ropa::analysis::changes::Side {
                    register: &later,
                    transfers: &later_analysis,
                },
            )
        });
        assert!(!changes.is_empty());
        let page = ropa::export::subprocessors::PageSources {
            register: &imported.register,
            transfers: &analysis,
            date: as_of,
            notice_days: 30,
            contact: None,
            publish_url: None,
        };
        let (page_time, _) = best_of(3, || {
            ropa::export::subprocessors::files(&page, ropa::export::i18n::Lang::En).expect("page")
        });
        let rows = activities + systems + processors;
        println!(
            "{:>10} {:>8} {:>10} | {:>9.0?} {:>9.0?} {:>9.0?} {:>9.0?} {:>9.0?} {:>9.0?} {:>9.0?} {:>9.0?} | {:>9} {:>12.1}",
            activities,
            systems,
            processors,
            import_time,
            graph_time,
            json_time,
            analysis_time,
            reports_time,
            records_time,
            diff_time,
            page_time,
            analysis.transfers.len(),
            import_time.as_secs_f64() * 1e6 / rows as f64
        );
    }
}
