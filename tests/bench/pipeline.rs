//! `cargo bench`: times each stage of the pipeline on generated registers S, M and L (one
//! workbook each, like a register people keep), `ropa build` end to end on both cores, and the
//! floor: reading the same workbook with calamine and writing as many cells with
//! rust_xlsxwriter, which no tool that reads and writes workbooks can beat. A stage that stops
//! being linear shows as a per-row time that grows from S to L.
//!
//! `cargo bench -- --quick` runs S only; `cargo bench -- M` runs up to M.
//!
//! When the project's shared benchmark scripts are beside it (`../shared/bench`, or the folder
//! `ROPA_BENCH_SHARED` names) and Python has pandas, networkx, xlsxwriter, openpyxl and
//! python-calamine, it then compares `ropa build` with the pandas pipeline
//! (`baseline_pandas.py`) on `gen_register.py`'s S and M, in the same run, runs alternating.
#![allow(clippy::print_stdout)]

#[path = "../generator/mod.rs"]
mod generator;

use calamine::{Reader, open_workbook_auto};
use ropa::i18n::Lang;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn timed<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let start = Instant::now();
    let value = f();
    (start.elapsed(), value)
}

/// The floor: every cell of the workbook read with calamine, and as many string cells
/// written with rust_xlsxwriter.
fn floor(path: &Path) -> (Duration, usize) {
    let (time, cells) = timed(|| {
        let mut workbook = open_workbook_auto(path).expect("the generated workbook opens");
        let mut cells: Vec<String> = Vec::new();
        for name in workbook.sheet_names() {
            let range = workbook.worksheet_range(&name).expect("a sheet");
            cells.extend(range.used_cells().map(|(_, _, c)| c.to_string()));
        }
        let mut out = rust_xlsxwriter::Workbook::new();
        let sheet = out.add_worksheet();
        for (i, cell) in cells.iter().enumerate() {
            sheet
                .write_string((i / 16) as u32, (i % 16) as u16, cell)
                .expect("a cell");
        }
        out.save_to_buffer().expect("the workbook");
        cells.len()
    });
    (time, cells)
}

/// Wall time and peak memory (KB, when GNU time is installed) of `ropa build`.
fn build(input: &Path, out: &Path) -> (Duration, Option<u64>) {
    let ropa = env!("CARGO_BIN_EXE_ropa");
    let args = [
        "build",
        input.to_str().expect("a UTF-8 path"),
        "--as-of",
        "2026-11-23",
        "--out",
        out.to_str().expect("a UTF-8 path"),
    ];
    let gnu_time = Path::new("/usr/bin/time").exists();
    let mut command = if gnu_time {
        let mut c = Command::new("/usr/bin/time");
        c.args(["-f", "%M"]).arg(ropa);
        c
    } else {
        Command::new(ropa)
    };
    command
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let (time, output) = timed(|| command.output().expect("ropa runs"));
    let peak = gnu_time
        .then(|| {
            String::from_utf8_lossy(&output.stderr)
                .lines()
                .last()?
                .trim()
                .parse()
                .ok()
        })
        .flatten();
    (time, peak)
}

/// The pandas pipeline's folder of scripts, when it and the Python packages it needs are
/// there.
fn shared_bench() -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("ROPA_BENCH_SHARED")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench"));
    let scripts = ["gen_register.py", "baseline_pandas.py"];
    if !scripts.iter().all(|s| dir.join(s).exists()) {
        return None;
    }
    let packages = Command::new("python3")
        .args([
            "-c",
            "import pandas, networkx, xlsxwriter, openpyxl, python_calamine",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    packages
        .is_ok_and(|s| s.success())
        .then(|| dir.canonicalize().unwrap_or(dir))
}

/// The wall time of `command`, which must succeed.
fn run_timed(command: &mut Command) -> Duration {
    let (time, status) = timed(|| {
        command
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("the command runs")
    });
    assert!(status.success(), "{command:?} failed");
    time
}

/// Runs of each side of the comparison.
const RUNS: usize = 3;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// `ropa build` against `baseline_pandas.py` (with calamine, as `../shared/bench/README.md`
/// runs it, and with pandas' default engine) on `gen_register.py`'s registers, alternating
/// so that both see the machine's same minutes.
fn compare_with_pandas(shared: &Path, sizes: &[(&str, usize, usize, usize)]) {
    println!();
    println!(
        "against the pandas pipeline ({}), on gen_register.py's registers, median of {RUNS} runs each, alternating:",
        shared.join("baseline_pandas.py").display()
    );
    println!(
        "size | ropa build | pandas --engine calamine | ropa faster | pandas (openpyxl) | ropa faster | floor | 20x pandas (calamine) / floor"
    );
    for &(label, activities, systems, processors) in sizes {
        let dir = tempfile::tempdir().expect("temp dir");
        let workbook = dir.path().join("register.xlsx");
        let made = Command::new("python3")
            .arg(shared.join("gen_register.py"))
            .arg(&workbook)
            .args(["--activities", &activities.to_string()])
            .args(["--processors", &processors.to_string()])
            .args(["--systems", &systems.to_string()])
            .stdout(Stdio::null())
            .status()
            .expect("gen_register.py runs");
        assert!(made.success(), "gen_register.py failed");
        let pandas = |engine: Option<&str>, out: &str| {
            let mut c = Command::new("python3");
            c.arg(shared.join("baseline_pandas.py"))
                .arg(&workbook)
                .arg(dir.path().join(out));
            if let Some(engine) = engine {
                c.args(["--engine", engine]);
            }
            c
        };
        let (mut ropa, mut calamine, mut openpyxl) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..RUNS {
            let (time, _) = build(&workbook, &dir.path().join("ropa"));
            ropa.push(time);
            calamine.push(run_timed(&mut pandas(Some("calamine"), "calamine")));
            openpyxl.push(run_timed(&mut pandas(None, "openpyxl")));
        }
        let (ropa, calamine, openpyxl) = (median(ropa), median(calamine), median(openpyxl));
        let (floor_time, _) = floor(&workbook);
        let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
        println!(
            "{label} | {} | {} | {:.1}x | {} | {:.1}x | {} | {:.2}",
            ms(ropa),
            ms(calamine),
            ratio(calamine, ropa),
            ms(openpyxl),
            ratio(openpyxl, ropa),
            ms(floor_time),
            ratio(calamine, floor_time) / 20.0,
        );
    }
    println!(
        "(a last column under 1 means that 20 times faster than pandas is faster than reading and writing the workbook's cells once)"
    );
}

/// How a generated register is laid out.
#[derive(Clone, Copy)]
enum Shape {
    /// A sheet per table under ropa's own headings.
    Sheets,
    /// The same, with a blank row after each entry.
    BlankRows,
    /// One sheet in the layout of the ICO's controller template.
    IcoTemplate,
}

fn ms(d: Duration) -> String {
    format!("{:.0}", d.as_secs_f64() * 1000.0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick");
    let up_to_m = args.iter().any(|a| a == "M");
    // M with a blank row after each entry: every entry is then tried as a header, so the
    // header search must stay cheap per row. M in the ICO template's layout: a layout ropa was
    // not designed around, its recipients and third countries written in each row.
    let sizes: &[(&str, usize, usize, usize, Shape)] = &[
        ("S", 1_000, 500, 500, Shape::Sheets),
        ("M", 10_000, 5_000, 5_000, Shape::Sheets),
        ("M, blank rows", 10_000, 5_000, 5_000, Shape::BlankRows),
        ("M, ICO template", 10_000, 0, 5_000, Shape::IcoTemplate),
        ("L", 100_000, 50_000, 50_000, Shape::Sheets),
    ];
    let sizes = &sizes[..if quick {
        1
    } else if up_to_m {
        4
    } else {
        5
    }];
    println!(
        "size | rows | import | graph | analysis | json | records | transfers | page | diagrams | report | report MB | stages | build (2 cores) | peak MB | floor | build/floor | µs/row import"
    );
    for &(label, activities, systems, processors, shape) in sizes {
        let dir = tempfile::tempdir().expect("temp dir");
        let workbook = dir.path().join("register.xlsx");
        let size = generator::Size::new(activities, systems, processors);
        match shape {
            Shape::Sheets => generator::generate_workbook(size, &workbook),
            Shape::BlankRows => generator::generate_workbook(size.with_blank_rows(), &workbook),
            // Its processors are only names in the recipients cells.
            Shape::IcoTemplate => generator::generate_ico_workbook(size, &workbook),
        }
        .expect("generate");
        let inputs = [workbook.clone()];
        let (import, imported) = timed(|| ropa::import::load("bench", &inputs).expect("import"));
        let (graph_time, graph) = timed(|| ropa::graph::build(&imported.register));
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("a date");
        let (analysis_time, analysis) = timed(|| {
            let analysis = ropa::analysis::analyse(&imported.register, &graph, as_of);
            let findings = ropa::analysis::findings(
                &imported.register,
                &graph,
                &analysis,
                &imported.diagnostics,
                &ropa::analysis::policy::Levels::default(),
                4,
            );
            (analysis, findings)
        });
        let (analysis, findings) = analysis;
        let out = dir.path().join("out");
        let (json, _) = timed(|| {
            ropa::export::register_json::to_json(&imported.register, &graph, &findings)
                .expect("json")
        });
        let sources = ropa::export::records::RecordSources {
            register: &imported.register,
            graph: &graph,
            analysis: &analysis,
            diagnostics: &findings,
        };
        let (records, _) =
            timed(|| ropa::export::records::write(&sources, Lang::En, &out).expect("records"));
        let (transfers, _) = timed(|| {
            ropa::export::transfers::write(&analysis, "Bench", Lang::En, &out).expect("reports")
        });
        let page = ropa::export::subprocessors::PageSources {
            register: &imported.register,
            transfers: &analysis,
            date: as_of,
            notice_days: 30,
            contact: None,
            publish_url: None,
        };
        let (page_time, _) = timed(|| {
            ropa::export::subprocessors::write(&page, Lang::En, &out).expect("page files")
        });
        let diagram_sources = ropa::export::diagrams::DiagramSources {
            register: &imported.register,
            graph: &graph,
            analysis: &analysis,
        };
        let (diagrams, _) = timed(|| {
            ropa::export::diagrams::write(
                &diagram_sources,
                &ropa::export::diagrams::PerActivity::Auto,
                ropa::export::diagrams::Renderer::Auto,
                Lang::En,
                &out,
            )
            .expect("diagrams")
        });
        // The review report, with the activities' own diagrams it inlines (drawn above too).
        let drawn = ropa::export::diagrams::draw(
            &diagram_sources,
            &ropa::export::diagrams::PerActivity::Auto,
            ropa::export::diagrams::Renderer::Auto,
            Lang::En,
            |s| matches!(s, ropa::export::diagrams::Subject::Activity(_)),
        )
        .expect("diagrams");
        let report_sources = ropa::export::report::ReportSources {
            register: &imported.register,
            graph: &graph,
            analysis: &analysis,
            findings: &findings,
            diagrams: &drawn,
        };
        let (report_time, report) =
            timed(|| ropa::export::report::report(&report_sources, Lang::En));
        let stages = import
            + graph_time
            + analysis_time
            + json
            + records
            + transfers
            + page_time
            + diagrams
            + report_time;
        let (build_time, peak) = build(&workbook, &dir.path().join("build"));
        let (floor_time, cells) = floor(&workbook);
        let rows = match shape {
            Shape::IcoTemplate => activities,
            _ => activities + systems + processors,
        };
        println!(
            "{label} | {rows} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.1} | {} | {} | {} | {} | {:.1}x | {:.1} ({cells} cells)",
            ms(import),
            ms(graph_time),
            ms(analysis_time),
            ms(json),
            ms(records),
            ms(transfers),
            ms(page_time),
            ms(diagrams),
            ms(report_time),
            report.html.len() as f64 / (1024.0 * 1024.0),
            ms(stages),
            ms(build_time),
            peak.map(|kb| (kb / 1024).to_string())
                .unwrap_or_else(|| "-".into()),
            ms(floor_time),
            build_time.as_secs_f64() / floor_time.as_secs_f64(),
            import.as_secs_f64() * 1e6 / rows as f64,
        );
    }
    println!("(times in ms; `stages` is the sum of the stages on one core)");
    if let Some(shared) = shared_bench() {
        let compared: &[(&str, usize, usize, usize)] =
            &[("S", 1_000, 500, 500), ("M", 10_000, 5_000, 5_000)];
        compare_with_pandas(&shared, &compared[..if quick { 1 } else { 2 }]);
    }
}
