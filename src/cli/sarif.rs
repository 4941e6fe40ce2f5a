//! `ropa check --format sarif`: SARIF 2.1.0 as GitHub code scanning takes it. Every code is a
//! rule with short and full descriptions, help and a help URI taken from its documentation
//! page; every finding is a result with a region (the line, and the column of the field, in a
//! CSV file; line 1 of a workbook, whose sheet and cell are a logical location), a
//! percent-encoded URI relative to the working directory (`SRCROOT`), and a fingerprint that
//! follows the finding, not its row, across runs.

use crate::diag::{Code, Diagnostic, Severity};
use crate::model::text::printable;
use crate::model::{CellStyle, Location};
use foldhash::{HashMap, HashMapExt};
use serde_sarif::sarif;
use std::collections::BTreeMap;
use std::path::{Component, Path};

use crate::diag::{HOMEPAGE, help_uri};

/// The base every relative artifact URI is resolved against.
const SRCROOT: &str = "SRCROOT";

fn level(severity: Severity) -> sarif::ResultLevel {
    match severity {
        Severity::Error => sarif::ResultLevel::Error,
        Severity::Warning => sarif::ResultLevel::Warning,
        Severity::Info => sarif::ResultLevel::Note,
    }
}

/// The SARIF log for the findings; `root` is the working directory relative paths start from,
/// `as_of` the date transfers were judged on.
pub fn log(findings: &[&Diagnostic], root: &Path, as_of: chrono::NaiveDate) -> sarif::Sarif {
    let rules: Vec<sarif::ReportingDescriptor> = Code::ALL.iter().map(|c| rule(*c)).collect();
    let rule_index: HashMap<Code, i64> = Code::ALL
        .iter()
        .enumerate()
        .map(|(i, c)| (*c, i as i64))
        .collect();
    let mut columns = ColumnFinder::new(root);
    let mut seen: HashMap<String, usize> = HashMap::new();
    let results: Vec<sarif::Result> = findings
        .iter()
        .map(|d| {
            let mut result = sarif::Result::builder()
                .rule_id(d.code.as_str())
                .level(level(d.severity))
                .message(sarif::Message::builder().text(message_text(d)).build())
                .build();
            result.rule_index = rule_index.get(&d.code).copied();
            if let Some(location) = &d.location {
                result.locations = Some(vec![sarif_location(location, root, &mut columns)]);
                let related: Vec<sarif::Location> = d
                    .related
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let mut l = sarif_location(&r.location, root, &mut columns);
                        l.id = Some(i as i64);
                        l.message =
                            Some(sarif::Message::builder().text(sentence(&r.message)).build());
                        l
                    })
                    .collect();
                if !related.is_empty() {
                    result.related_locations = Some(related);
                }
            }
            let hash = fingerprint(d);
            let occurrence = seen.entry(hash.clone()).or_default();
            *occurrence += 1;
            result.partial_fingerprints = Some(BTreeMap::from([(
                "ropaFindingHash/v1".to_string(),
                format!("{hash}:{occurrence}"),
            )]));
            result
        })
        .collect();
    let driver = sarif::ToolComponent::builder()
        .name("ropa")
        .full_name(format!("ropa {}", env!("CARGO_PKG_VERSION")))
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri(HOMEPAGE)
        .rules(rules)
        .build();
    let mut run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .results(results)
        .build();
    run.column_kind = Some(serde_json::json!("unicodeCodePoints"));
    // The evaluation date and the date the legal reference data was checked up to: a finding
    // is only as good as both.
    run.properties = Some(
        sarif::PropertyBag::builder()
            .additional_properties(BTreeMap::from([
                ("asOf".to_string(), serde_json::json!(as_of.to_string())),
                (
                    "referenceDataAsOf".to_string(),
                    serde_json::json!(crate::reference::AS_OF),
                ),
            ]))
            .build(),
    );
    run.original_uri_base_ids = Some(BTreeMap::from([(
        SRCROOT.to_string(),
        sarif::ArtifactLocation::builder()
            .uri(format!("{}/", file_uri(root)))
            .build(),
    )]));
    sarif::Sarif::builder()
        .version(serde_json::json!("2.1.0"))
        .schema(sarif::SCHEMA_URL)
        .runs(vec![run])
        .build()
}

/// The rule for a code, its texts from its documentation page.
fn rule(code: Code) -> sarif::ReportingDescriptor {
    let docs = docs::of(code);
    let text = |t: String| sarif::MultiformatMessageString::builder().text(t).build();
    let mut help = text(format!("{} See {}", docs.fix, help_uri(code)));
    help.markdown = Some(format!(
        "{}\n\n[Documentation of {} {}]({})",
        docs.fix_markdown,
        code.as_str(),
        code.name(),
        help_uri(code)
    ));
    let mut tags = vec![if code.is_rule() {
        "compliance"
    } else {
        "register-import"
    }];
    tags.push("gdpr");
    sarif::ReportingDescriptor::builder()
        .id(code.as_str())
        .name(code.name())
        .short_description(text(sentence(code.summary())))
        .full_description(text(docs.description))
        .help(help)
        .help_uri(help_uri(code))
        .default_configuration(
            sarif::ReportingConfiguration::builder()
                .level(serde_json::json!(
                    level(code.default_severity()).to_string()
                ))
                .build(),
        )
        .properties(
            sarif::PropertyBag::builder()
                .tags(tags.iter().map(|t| t.to_string()).collect::<Vec<_>>())
                .build(),
        )
        .build()
}

/// A text as a sentence: code scanning wants messages that end with a full stop.
fn sentence(text: &str) -> String {
    let text = text.trim_end();
    if text.ends_with(['.', '!', '?']) {
        text.to_string()
    } else {
        format!("{text}.")
    }
}

/// The message and its help; names from the register as [`printable`] text.
fn message_text(d: &Diagnostic) -> String {
    let mut text = sentence(&printable(&d.message));
    if let Some(help) = &d.help {
        text.push_str(" Help: ");
        text.push_str(&sentence(&printable(help)));
    }
    text
}

/// A finding's identity across runs: its code, file, sheet and message, which name the entity
/// and field, and not its row, which moves when rows are added above it. FNV-1a, so the value
/// never changes with the Rust version.
fn fingerprint(d: &Diagnostic) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |text: &str| {
        for byte in text.bytes().chain([0]) {
            hash ^= byte as u64;
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    feed(d.code.as_str());
    if let Some(location) = &d.location {
        feed(location.file());
        feed(location.sheet().unwrap_or(""));
    }
    feed(&d.message);
    format!("{hash:016x}")
}

fn sarif_location(location: &Location, root: &Path, columns: &mut ColumnFinder) -> sarif::Location {
    let mut artifact = sarif::ArtifactLocation::builder().build();
    match relative_uri(location.file(), root) {
        Some(relative) => {
            artifact.uri = Some(relative);
            artifact.uri_base_id = Some(SRCROOT.to_string());
        }
        None => artifact.uri = Some(file_uri(Path::new(location.file()))),
    }
    let mut region = sarif::Region::builder().start_line(1).build();
    let mut logical = None;
    match location.style() {
        CellStyle::LineColumn => {
            if let Some(line) = location.row {
                region.start_line = Some(line as i64);
                if let Some(field) = location.column
                    && let Some((line, column)) = columns.start(location.file(), line, field)
                {
                    region.start_line = Some(line as i64);
                    region.start_column = Some(column as i64);
                }
            }
        }
        CellStyle::A1 => {
            // A workbook is no text file: the region is the file's start, the sheet and cell
            // say where in it.
            if location.sheet().is_some() {
                let name = printable(&location.to_string()).into_owned();
                let place = name
                    .strip_prefix(location.file())
                    .map(|s| s.trim_start_matches(':').to_string())
                    .unwrap_or(name.clone());
                logical = Some(vec![
                    sarif::LogicalLocation::builder()
                        .name(place)
                        .fully_qualified_name(name)
                        .kind(if location.row.is_some() && location.column.is_some() {
                            "element"
                        } else {
                            "module"
                        })
                        .build(),
                ]);
            }
        }
    }
    let physical = sarif::PhysicalLocation::builder()
        .artifact_location(artifact)
        .region(region)
        .build();
    let mut sarif_location = sarif::Location::builder()
        .physical_location(physical)
        .build();
    sarif_location.logical_locations = logical;
    sarif_location
}

/// Percent-encodes a path for a URI: unreserved characters and `/` stay, everything else
/// (spaces, umlauts, `#`, `%`) becomes `%XX` of its UTF-8 bytes.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// An absolute path as a `file:` URI.
fn file_uri(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let text = text.trim_end_matches('/');
    if text.starts_with('/') {
        format!("file://{}", encode_path(text))
    } else {
        format!("file:///{}", encode_path(text))
    }
}

/// The path relative to `root` as a URI reference, when it lies within `root`.
fn relative_uri(file: &str, root: &Path) -> Option<String> {
    let path = Path::new(file);
    let relative = if path.is_absolute() {
        path.strip_prefix(root).ok()?.to_path_buf()
    } else {
        path.to_path_buf()
    };
    let mut parts = Vec::new();
    for component in relative.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            Component::CurDir => {}
            // Outside the working directory: no relative URI.
            _ => return None,
        }
    }
    (!parts.is_empty()).then(|| encode_path(&parts.join("/")))
}

/// Finds where a field of a CSV record starts, reading each file once: a record's later
/// fields may lie on later lines when a quoted cell holds line breaks.
struct ColumnFinder<'a> {
    root: &'a Path,
    /// Each file's lines and delimiter; `None` when it cannot be read.
    files: HashMap<String, Option<(Vec<String>, char)>>,
}

impl<'a> ColumnFinder<'a> {
    fn new(root: &'a Path) -> Self {
        ColumnFinder {
            root,
            files: HashMap::new(),
        }
    }

    /// The 1-based line and character column where field `field` (1-based) of the record
    /// starting on line `line` starts.
    fn start(&mut self, file: &str, line: u32, field: u32) -> Option<(u32, u32)> {
        let root = self.root;
        let read = self.files.entry(file.to_string()).or_insert_with(|| {
            let bytes = std::fs::read(root.join(file)).ok()?;
            let (text, _) = crate::import::delimited::decode(&bytes);
            let delimiter = crate::import::delimited::sniff_delimiter(&text) as char;
            Some((text.lines().map(str::to_string).collect(), delimiter))
        });
        let (lines, delimiter) = read.as_ref()?;
        let first = line.checked_sub(1)? as usize;
        lines.get(first)?;
        if field == 1 {
            return Some((line, 1));
        }
        let mut current = 1;
        let mut quoted = false;
        for (n, text) in lines.iter().enumerate().skip(first) {
            for (i, c) in text.chars().enumerate() {
                if c == '"' {
                    quoted = !quoted;
                } else if c == *delimiter && !quoted {
                    current += 1;
                    if current == field {
                        return Some((n as u32 + 1, i as u32 + 2));
                    }
                }
            }
            if !quoted {
                return None;
            }
        }
        None
    }
}

/// Texts from the documentation pages, so SARIF says what the docs say.
mod docs {
    use crate::diag::Code;

    const DIAGNOSTICS: &str = include_str!("../../docs/diagnostics.md");

    /// The rule pages, one per `R` code.
    const RULE_PAGES: &[(&str, &str)] = &[
        ("R001", include_str!("../../docs/rules/R001.md")),
        ("R002", include_str!("../../docs/rules/R002.md")),
        ("R003", include_str!("../../docs/rules/R003.md")),
        ("R004", include_str!("../../docs/rules/R004.md")),
        ("R005", include_str!("../../docs/rules/R005.md")),
        ("R006", include_str!("../../docs/rules/R006.md")),
        ("R007", include_str!("../../docs/rules/R007.md")),
        ("R008", include_str!("../../docs/rules/R008.md")),
        ("R009", include_str!("../../docs/rules/R009.md")),
        ("R010", include_str!("../../docs/rules/R010.md")),
        ("R011", include_str!("../../docs/rules/R011.md")),
        ("R012", include_str!("../../docs/rules/R012.md")),
        ("R013", include_str!("../../docs/rules/R013.md")),
        ("R014", include_str!("../../docs/rules/R014.md")),
        ("R015", include_str!("../../docs/rules/R015.md")),
        ("R016", include_str!("../../docs/rules/R016.md")),
        ("R017", include_str!("../../docs/rules/R017.md")),
        ("R018", include_str!("../../docs/rules/R018.md")),
        ("R019", include_str!("../../docs/rules/R019.md")),
        ("R020", include_str!("../../docs/rules/R020.md")),
        ("R021", include_str!("../../docs/rules/R021.md")),
        ("R022", include_str!("../../docs/rules/R022.md")),
        ("R023", include_str!("../../docs/rules/R023.md")),
        ("R024", include_str!("../../docs/rules/R024.md")),
        ("R025", include_str!("../../docs/rules/R025.md")),
    ];

    /// What a code's page says.
    pub struct Docs {
        /// What the code reports, in full.
        pub description: String,
        /// How to fix it, as plain text and as Markdown.
        pub fix: String,
        pub fix_markdown: String,
    }

    /// A Markdown block as one plain line of text.
    fn plain(markdown: &str) -> String {
        let text = markdown.split_whitespace().collect::<Vec<_>>().join(" ");
        super::sentence(&text)
    }

    /// The text after `heading` up to the next heading.
    fn section<'a>(page: &'a str, heading: &str) -> Option<&'a str> {
        let start = page.find(heading)? + heading.len();
        let rest = &page[start..];
        let end = rest.find("\n## ").unwrap_or(rest.len());
        Some(rest[..end].trim())
    }

    /// The paragraph that starts with `label` (and the list that follows it, when it ends in
    /// a colon), without the label.
    fn paragraph<'a>(section: &'a str, label: &str) -> Option<&'a str> {
        let start = section.find(label)? + label.len();
        let rest = &section[start..];
        let mut end = 0;
        // Take blocks while what was taken is empty or ends in a colon (a list follows).
        while end < rest.len()
            && (rest[..end].trim().is_empty() || rest[..end].trim_end().ends_with(':'))
        {
            let from = end + rest[end..].len() - rest[end..].trim_start().len();
            end = rest[from..].find("\n\n").map_or(rest.len(), |i| from + i);
        }
        Some(rest[..end].trim())
    }

    pub fn of(code: Code) -> Docs {
        let (description, fix) = if code.is_rule() {
            let page = RULE_PAGES
                .iter()
                .find(|(c, _)| *c == code.as_str())
                .map(|(_, p)| *p)
                .unwrap_or("");
            let checks = section(page, "## What it checks").unwrap_or(code.summary());
            let first = checks.split("\n\n").next().unwrap_or(checks);
            (first, section(page, "## How to fix").unwrap_or(""))
        } else {
            let heading = format!("## {} {}\n", code.as_str(), code.name());
            let body = section(DIAGNOSTICS, &heading).unwrap_or("");
            (
                paragraph(body, "**When:**").unwrap_or(code.summary()),
                paragraph(body, "**Fix:**").unwrap_or(""),
            )
        };
        let fix = if fix.is_empty() { code.summary() } else { fix };
        Docs {
            description: plain(description),
            fix: plain(fix),
            fix_markdown: fix.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_description_and_a_fix_from_its_page() {
        for code in Code::ALL {
            let d = docs::of(*code);
            assert!(
                d.description.len() > code.summary().len() / 2
                    && d.description != sentence(code.summary()),
                "{code}: {}",
                d.description
            );
            assert!(d.fix.len() > 3, "{code}: {}", d.fix);
        }
    }

    #[test]
    fn paths_become_percent_encoded_uri_references() {
        assert_eq!(
            encode_path("inputs/Aufträge 2024.xlsx"),
            "inputs/Auftr%C3%A4ge%202024.xlsx"
        );
        assert_eq!(encode_path("a#b%c"), "a%23b%25c");
        let root = Path::new("/work/repo");
        assert_eq!(
            relative_uri("./inputs/x y.csv", root).as_deref(),
            Some("inputs/x%20y.csv")
        );
        assert_eq!(
            relative_uri("/work/repo/inputs/x.csv", root).as_deref(),
            Some("inputs/x.csv")
        );
        assert_eq!(relative_uri("/elsewhere/x.csv", root), None);
        assert_eq!(relative_uri("../x.csv", root), None);
        assert_eq!(
            file_uri(Path::new("/elsewhere/ä.csv")),
            "file:///elsewhere/%C3%A4.csv"
        );
    }

    #[test]
    fn fingerprints_ignore_the_row() {
        let at = |row| Location::in_file("a.csv").at_row(row).at_column(2);
        let d = Diagnostic::new(Code::DpaUnknown, "no DPA for `X`").at(at(3));
        let moved = Diagnostic::new(Code::DpaUnknown, "no DPA for `X`").at(at(9));
        assert_eq!(fingerprint(&d), fingerprint(&moved));
        let other = Diagnostic::new(Code::DpaUnknown, "no DPA for `Y`").at(at(3));
        assert_ne!(fingerprint(&d), fingerprint(&other));
    }
}
