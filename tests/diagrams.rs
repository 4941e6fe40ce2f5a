//! Diagrams: valid DOT (graphviz-rust's parser, Graphviz without warnings), valid SVG from
//! both renderers, hostile names, and an overview that stays readable at scale.

#[path = "generator/mod.rs"]
mod generator;

use std::path::{Path, PathBuf};
use std::process::Command;

fn ropa(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ropa"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn files(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .collect();
    out.sort();
    out
}

fn dot_installed() -> bool {
    Command::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Every .dot parses with graphviz-rust and, where Graphviz is installed (CI installs it),
/// renders with `dot -Tsvg` without a warning; every .svg is well-formed XML.
fn assert_valid(dir: &Path) {
    let dots = files(dir, "dot");
    assert!(!dots.is_empty());
    let require_dot = std::env::var_os("CI").is_some();
    let have_dot = dot_installed();
    assert!(have_dot || !require_dot, "CI must install Graphviz");
    for dot in &dots {
        let text = std::fs::read_to_string(dot).unwrap();
        graphviz_rust::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", dot.display()));
        if have_dot {
            let run = Command::new("dot")
                .args(["-Tsvg", "-o", "/dev/null"])
                .arg(dot)
                .output()
                .unwrap();
            assert!(run.status.success(), "{}", dot.display());
            assert!(
                run.stderr.is_empty(),
                "{}: {}",
                dot.display(),
                String::from_utf8_lossy(&run.stderr)
            );
        }
    }
    for svg in files(dir, "svg") {
        let text = std::fs::read_to_string(&svg).unwrap();
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        roxmltree::Document::parse_with_options(&text, options)
            .unwrap_or_else(|e| panic!("{}: {e}", svg.display()));
    }
}

#[test]
fn example_diagrams_are_valid_and_make_privacy_shield_stand_out() {
    let out = tempfile::tempdir().unwrap();
    let result = ropa(&["export", "diagrams", "--out", out.path().to_str().unwrap()]);
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let dir = out.path().join("dyflexis/diagrams");
    let names: Vec<String> = files(&dir, "dot")
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "activity-v1",
            "activity-v2",
            "activity-v3",
            "activity-v4",
            "country-us",
            "overview"
        ]
    );
    assert_valid(&dir);
    assert_valid(&out.path().join("dealerdesk/diagrams"));
    let overview = std::fs::read_to_string(dir.join("overview.dot")).unwrap();
    // Privacy Shield transfers are drawn red and thick.
    let red_edges = overview
        .lines()
        .filter(|l| l.contains("->") && l.contains("#C00000") && l.contains("penwidth"))
        .count();
    assert_eq!(red_edges, 7, "{overview}");
    assert!(overview.contains("cluster_third") && overview.contains("cluster_eea"));
    assert!(overview.contains("Dyflexis: data flows · as of 2026-11-23"));
}

const HOSTILE: &[(&str, &str)] = &[
    (
        "organisation.csv",
        "Key,Value\nName,\"Evil \"\"Corp\"\" {x} <b>&amp;\"\nCountry,DE\n",
    ),
    (
        "activities.csv",
        "Name,Purpose,Data subjects,Personal data,Recipients\n\
         \"A \\\" } { -> x\",p,\"Kunden <\"\"VIP\"\">\",\"Name\nE-Mail & Co\",\"Back\\\\slash; 数据处理; شركة\"\n",
    ),
    (
        "processors.csv",
        "Name,Service,Country,Sub-processors\n\
         \"Back\\\\slash\",x,US,\"</svg><script>\"\n\
         数据处理,x,CN,\n\
         شركة,x,AE,\n",
    ),
];

#[test]
fn hostile_names_give_valid_dot_and_svg_with_both_renderers() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("hostile");
    std::fs::create_dir(&input).unwrap();
    for (name, text) in HOSTILE {
        std::fs::write(input.join(name), text).unwrap();
    }
    for renderer in ["builtin", "auto"] {
        let out = dir.path().join(renderer);
        let result = ropa(&[
            "export",
            "diagrams",
            input.to_str().unwrap(),
            "--renderer",
            renderer,
            "--as-of",
            "2026-01-01",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(
            result.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&result.stderr)
        );
        let diagrams = out.join("hostile/diagrams");
        assert_valid(&diagrams);
        let svg = std::fs::read_to_string(diagrams.join("overview.svg")).unwrap();
        if renderer == "builtin" {
            assert!(svg.contains("rendered by ropa's built-in renderer"));
        }
        assert!(!svg.contains("<script>"), "names are text, not markup");
        assert!(svg.contains("数据处理"), "non-Latin names survive");
    }
}

#[test]
fn a_register_of_5000_processors_gives_a_readable_overview() {
    let dir = tempfile::tempdir().unwrap();
    generator::generate(generator::Size::new(20, 50, 5000), &dir.path().join("big")).unwrap();
    let out = dir.path().join("out");
    let result = ropa(&[
        "export",
        "diagrams",
        dir.path().join("big").to_str().unwrap(),
        "--renderer",
        "builtin",
        "--as-of",
        "2026-01-01",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let overview = std::fs::read_to_string(out.join("big/diagrams/overview.dot")).unwrap();
    let graph = graphviz_rust::parse(&overview).unwrap();
    let text = format!("{graph:?}");
    let boxes = overview
        .lines()
        .filter(|l| l.contains("label=") && !l.contains("->") && l.trim_start().starts_with('"'))
        .count();
    assert!(boxes <= 60 + 6, "{boxes} boxes in the overview");
    assert!(
        overview.contains("grouped into"),
        "the overview says it aggregated"
    );
    assert!(text.len() > 100);
}

fn diagram_names(dir: &Path) -> Vec<String> {
    files(dir, "dot")
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn large_registers_get_a_bounded_set_of_diagrams_and_any_activity_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("large");
    generator::generate(generator::Size::new(300, 100, 200), &input).unwrap();
    let run = |out: &str, extra: &[&str]| {
        let out = dir.path().join(out);
        let mut args = vec![
            "export",
            "diagrams",
            input.to_str().unwrap(),
            "--as-of",
            "2026-01-01",
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let result = ropa(&args);
        (result, out.join("large/diagrams"))
    };

    // Above 100 activities: one diagram per department, not per activity.
    let (result, diagrams) = run("default", &[]);
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let names = diagram_names(&diagrams);
    assert!(names.contains(&"overview".to_string()));
    assert!(names.contains(&"department-hr".to_string()), "{names:?}");
    assert!(
        names.iter().all(|n| !n.starts_with("activity-")),
        "{names:?}"
    );
    let count = std::fs::read_dir(&diagrams).unwrap().count();
    assert!(
        count <= 2 * ropa::export::diagrams::DIAGRAM_BUDGET,
        "{count} files"
    );
    assert_valid(&diagrams);

    // One activity on request, by id or by name.
    let (result, diagrams) = run(
        "one",
        &["--activity", "A000007", "--activity", "Activity 000042"],
    );
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let names = diagram_names(&diagrams);
    let activities: Vec<&String> = names
        .iter()
        .filter(|n| n.starts_with("activity-"))
        .collect();
    assert_eq!(activities, ["activity-a000007", "activity-a000042"]);
    assert!(names.iter().all(|n| !n.starts_with("department-")));

    // Every activity when asked.
    let (result, diagrams) = run("all", &["--per-activity"]);
    assert_eq!(result.status.code(), Some(0));
    let names = diagram_names(&diagrams);
    assert_eq!(
        names.iter().filter(|n| n.starts_with("activity-")).count(),
        300
    );

    // An unknown activity is an error that names it, not an empty diagram.
    let (result, _) = run("unknown", &["--activity", "A999999"]);
    assert_eq!(result.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.contains("no activity has the id or name `A999999`"),
        "{stderr}"
    );
}
