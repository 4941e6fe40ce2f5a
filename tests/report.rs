//! The review report in a real browser: headless Chromium opens `report.html` from disk, and
//! the DOM it builds holds every activity, third country and finding; a register of hostile
//! names injects nothing (no element, no handler that runs); the screenshot is a page, not a
//! blank. Without Chromium the browser tests say so and pass, except under CI (`CI` set),
//! where `.ci/run` installs it and its absence fails them.
#![allow(clippy::print_stderr)]

#[path = "generator/mod.rs"]
mod generator;
#[path = "support/hostile.rs"]
mod hostile;

use ropa::export::report::{self, Layout};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Chromium on the PATH; `None` (with a message) when it is not installed outside CI.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "Chromium is not installed, and CI requires the browser tests: install the chromium package (.ci/run does)"
    );
    eprintln!("skipping the browser test: Chromium is not installed (apt-get install chromium)");
    None
}

/// Runs a command with a time limit, so a browser that hangs fails the test instead.
fn run(mut command: Command, limit: Duration) -> Output {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the command starts");
    // Read the output on threads, so a full pipe cannot block the child.
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut bytes).ok();
        bytes
    });
    let err = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut stderr, &mut bytes).ok();
        bytes
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting") {
            break status;
        }
        if start.elapsed() > limit {
            child.kill().ok();
            child.wait().ok();
            panic!("{command:?} took longer than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Output {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    }
}

/// A `file://` URL for a path, every byte outside the unreserved set percent-encoded (the
/// hostile folder's name has a space, an umlaut, `#` and `%`).
fn file_url(path: &Path) -> String {
    let path = path.canonicalize().expect("the file exists");
    let mut url = String::from("file://");
    for &b in path.to_str().expect("a UTF-8 path").as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            url.push(b as char);
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

fn headless(browser: &Path, profile: &Path) -> Command {
    let mut command = Command::new(browser);
    command.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--hide-scrollbars",
    ]);
    // Each run its own profile, so tests running at once do not share one.
    command.arg(format!("--user-data-dir={}", profile.display()));
    command
}

/// The DOM Chromium builds from a page, after its script ran.
fn dump_dom(browser: &Path, page: &Path, profile: &Path) -> String {
    let mut command = headless(browser, profile);
    command.arg("--dump-dom").arg(file_url(page));
    let output = run(command, Duration::from_secs(180));
    assert!(
        output.status.success(),
        "chromium --dump-dom: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("the DOM is UTF-8")
}

/// A screenshot of the page's first screen, decoded: (width, height, RGB(A) bytes, channels).
fn screenshot(
    browser: &Path,
    page: &Path,
    profile: &Path,
    png: &Path,
) -> (u32, u32, Vec<u8>, usize) {
    let mut command = headless(browser, profile);
    command
        .arg("--window-size=1280,1600")
        .arg(format!("--screenshot={}", png.display()))
        .arg(file_url(page));
    let output = run(command, Duration::from_secs(180));
    assert!(
        output.status.success() && png.is_file(),
        "chromium --screenshot: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let file = std::io::BufReader::new(std::fs::File::open(png).expect("the screenshot"));
    let mut decoder = png::Decoder::new(file);
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buffer = vec![0; reader.output_buffer_size().expect("a frame size")];
    let info = reader.next_frame(&mut buffer).expect("a frame");
    buffer.truncate(info.buffer_size());
    let channels = info.color_type.samples();
    (info.width, info.height, buffer, channels)
}

/// Text as the DOM serialiser writes it between tags.
fn dom_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\u{a0}', "&nbsp;")
}

fn build(dir: &Path, inputs: &[&str]) {
    let mut args = vec!["build", "--color", "never", "--out"];
    let out = dir.to_str().expect("a UTF-8 path");
    args.push(out);
    args.extend(inputs);
    let output = Command::new(env!("CARGO_BIN_EXE_ropa"))
        .args(&args)
        .current_dir(root())
        .output()
        .expect("ropa runs");
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "build: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("report: ") && stdout.contains("report.html ("),
        "the build names the report and its size: {stdout}"
    );
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("the JSON output"))
        .expect("valid JSON")
}

/// Every activity, third country and finding of the register is in `dom`.
fn assert_complete(dom: &str, out: &Path) {
    let register = json(&out.join("register.json"));
    let activities = register["register"]["activities"]
        .as_array()
        .expect("activities");
    assert!(!activities.is_empty());
    assert_eq!(
        dom.matches("<section class=\"activity\" id=\"activity-")
            .count(),
        activities.len(),
        "a section per activity"
    );
    for a in activities {
        let name = a["name"].as_str().expect("a name");
        assert!(
            dom.contains(&format!("<h3>{}</h3>", dom_text(name))),
            "activity `{name}` is not in the DOM"
        );
    }
    // register.json lists the import's diagnostics and counts every finding: each listed one
    // is a row of the report, and the report has a row per finding counted.
    let findings = register["diagnostics"].as_array().expect("diagnostics");
    let counts = &register["diagnostic_counts"];
    let total: u64 = ["errors", "warnings", "infos"]
        .iter()
        .map(|k| counts[k].as_u64().expect("a count"))
        .sum();
    assert!(total > 0);
    let rows: Vec<&str> = dom
        .split("<tr id=\"finding-")
        .skip(1)
        .map(|rest| &rest[..rest.find("</tr>").expect("the row ends")])
        .collect();
    assert_eq!(rows.len() as u64, total, "a row per finding");
    for d in findings {
        let message = dom_text(d["message"].as_str().expect("a message"));
        let code = d["code"].as_str().expect("a code");
        assert!(
            rows.iter()
                .any(|row| row.contains(&message) && row.contains(code)),
            "finding {code} `{message}` is not in a row"
        );
    }
    let transfers = json(&out.join("transfers.json"));
    let countries: BTreeSet<(String, String)> = transfers["transfers"]
        .as_array()
        .expect("transfers")
        .iter()
        .map(|t| {
            (
                t["country"].as_str().unwrap_or_default().to_string(),
                t["country_name"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert!(!countries.is_empty(), "the example transfers data");
    assert_eq!(
        dom.matches("<section class=\"country\" id=\"country-")
            .count(),
        countries.len(),
        "a section per third country"
    );
    for (code, name) in &countries {
        assert!(
            dom.contains(&format!("<h3>{} ({code}) ", dom_text(name))),
            "third country {code} is not in the DOM"
        );
    }
}

#[test]
fn the_report_shows_every_activity_country_and_finding_in_a_browser() {
    let dir = tempfile::tempdir().unwrap();
    build(dir.path(), &["inputs/dyflexis.xlsx"]);
    let out = dir.path().join("dyflexis");
    let page = out.join("report.html");
    // Without a browser, the file itself holds everything (it reads without JavaScript).
    let html = std::fs::read_to_string(&page).unwrap();
    assert_complete(&html, &out);
    assert!(
        out.join("report.de.html").is_file(),
        "a report per language"
    );

    let Some(browser) = chromium() else { return };
    let profile = tempfile::tempdir().unwrap();
    let dom = dump_dom(&browser, &page, profile.path());
    assert_complete(&dom, &out);
    // The script ran: the filters are shown, with their count.
    let form = dom.find("id=\"filters\"").expect("the filters");
    let start = dom[..form].rfind('<').unwrap();
    let tag = &dom[start..start + dom[start..].find('>').unwrap()];
    assert!(
        !tag.contains("hidden"),
        "the script shows the filters: {tag}"
    );
    let counts = &json(&out.join("register.json"))["diagnostic_counts"];
    let findings: u64 = ["errors", "warnings", "infos"]
        .iter()
        .map(|k| counts[k].as_u64().unwrap())
        .sum();
    assert!(
        dom.contains(&format!("{findings} of {findings} shown")),
        "the filters count the findings"
    );
    // Each activity's own diagram is inlined as SVG and drawn.
    assert!(dom.matches("<figure class=\"diagram\"><svg").count() >= 1);

    let png = dir.path().join("report.png");
    let (width, height, pixels, channels) = screenshot(&browser, &page, profile.path(), &png);
    assert_eq!((width, height), (1280, 1600));
    let colours: BTreeSet<&[u8]> = pixels
        .chunks(channels)
        .map(|p| &p[..channels.min(3)])
        .collect();
    let ink = pixels
        .chunks(channels)
        .filter(|p| p.iter().take(3).any(|&c| c < 200))
        .count();
    let share = ink as f64 / f64::from(width * height);
    assert!(
        colours.len() >= 64 && share > 0.01,
        "the screenshot looks blank: {} colours, {:.2}% ink",
        colours.len(),
        share * 100.0
    );
}

#[test]
fn hostile_names_inject_nothing_into_the_rendered_report() {
    let dir = tempfile::tempdir().unwrap();
    hostile::write_register(dir.path());
    let out = dir.path().join("out");
    let output = Command::new(env!("CARGO_BIN_EXE_ropa"))
        .args([
            "build",
            hostile::FOLDER,
            "--out",
            "out",
            "--as-of",
            "2026-01-01",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "build: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let page = out.join(hostile::FOLDER).join("report.html");
    let html = std::fs::read_to_string(&page).unwrap();
    hostile::assert_html_shows_names_as_text(&html);
    assert_eq!(
        html.matches("<script").count(),
        1,
        "only the report's script"
    );
    assert!(html.contains("Content-Security-Policy"));

    let Some(browser) = chromium() else { return };
    let profile = tempfile::tempdir().unwrap();
    let dom = dump_dom(&browser, &page, profile.path());
    hostile::assert_html_shows_names_as_text(&dom);
    assert_eq!(
        dom.matches("<script").count(),
        1,
        "only the report's script"
    );
    let title = &dom[dom.find("<title>").unwrap()..dom.find("</title>").unwrap()];
    assert!(
        !title.contains("pwned"),
        "a handler from a name ran: {title}"
    );
    // The hostile activity's diagram is inlined, its names as text.
    assert!(dom.contains("<figure class=\"diagram\"><svg"));
}

/// The library's way in, for registers made here: import, graph, analysis, findings.
fn analysed(
    dir: &Path,
    size: generator::Size,
) -> (
    ropa::model::Register,
    ropa::graph::FlowGraph,
    ropa::analysis::TransferAnalysis,
    Vec<ropa::diag::Diagnostic>,
) {
    generator::generate(size, dir).expect("the generator writes");
    let imported = ropa::import::load("generated", &[dir.to_path_buf()]).expect("it imports");
    let graph = ropa::graph::build(&imported.register);
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let analysis = ropa::analysis::analyse(&imported.register, &graph, as_of);
    let findings = ropa::analysis::findings(
        &imported.register,
        &graph,
        &analysis,
        &imported.diagnostics,
        &ropa::analysis::policy::Levels::default(),
        4,
    );
    (imported.register, graph, analysis, findings)
}

#[test]
fn large_registers_keep_the_report_within_its_budget() {
    let dir = tempfile::tempdir().unwrap();
    let (register, graph, analysis, findings) =
        analysed(dir.path(), generator::Size::new(300, 100, 120));
    let sources = report::ReportSources {
        register: &register,
        graph: &graph,
        analysis: &analysis,
        findings: &findings,
        diagrams: &[],
    };
    let lang = ropa::i18n::Lang::En;
    // Over the per-activity limit: a closed section each.
    let roomy = report::report(&sources, lang);
    assert_eq!(roomy.written.layout, Layout::Collapsed);
    let roomy_html = roomy.html;
    assert_eq!(
        roomy_html.matches("<section class=\"activity\"").count(),
        register.activities.len()
    );
    assert!(!roomy_html.contains("<details open"), "sections closed");
    // Over the budget: an index row each, with the same anchors, and a smaller page.
    let tight = report::report_within(&sources, lang, 500_000);
    assert_eq!(tight.written.layout, Layout::Index);
    let tight_html = tight.html;
    assert!(tight_html.len() < roomy_html.len());
    for a in &register.activities {
        let id = format!("id=\"activity-{}\"", a.key.to_lowercase());
        assert!(roomy_html.contains(&id) && tight_html.contains(&id), "{id}");
    }
    // Rows for the most serious activities, as many as fit; the others named, with anchors.
    let rows = tight_html.matches("<tr id=\"activity-").count();
    let named = tight_html.matches("<span id=\"activity-").count();
    assert!(rows > 0 && named > 0, "rows {rows}, named {named}");
    assert_eq!(rows + named, register.activities.len());
    // Findings beyond the table's limit are counted, the most serious listed.
    assert_eq!(roomy.written.findings_total, findings.len());
    assert_eq!(
        roomy.written.findings_listed,
        findings.len().min(report::FINDINGS_LIMIT)
    );
    // The same register gives the same bytes.
    assert_eq!(report::report(&sources, lang).html, roomy_html);
}

#[test]
fn export_report_writes_the_report_alone_per_language() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_ropa"))
        .args(["export", "report", "inputs/dealerdesk", "--out"])
        .arg(dir.path())
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut files: Vec<String> = std::fs::read_dir(dir.path().join("dealerdesk"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    // inputs/ropa.toml asks for English, German and Dutch.
    assert_eq!(files, ["report.de.html", "report.html", "report.nl.html"]);
    let german = std::fs::read_to_string(dir.path().join("dealerdesk/report.de.html")).unwrap();
    assert!(german.contains("<html lang=\"de\">") && german.contains("Prüfbericht"));
    // The same bytes as the build's, which draws the same diagrams.
    let built = std::fs::read(root().join("outputs/dealerdesk/report.html")).unwrap();
    let exported = std::fs::read(dir.path().join("dealerdesk/report.html")).unwrap();
    let renderer = |bytes: &[u8]| {
        String::from_utf8_lossy(bytes)
            .lines()
            .find(|l| l.starts_with("<!-- ropa: rendered by"))
            .map(str::to_string)
    };
    if renderer(&built) == renderer(&exported) {
        assert!(built == exported, "export report and build differ");
    }
}
