//! Transfer reports: `transfers.xlsx` (a summary sheet, then one sheet per third country),
//! `transfers.csv` and `transfers.json` with the same rows, and `transfers.md` for reviews.

use super::i18n::{self, Lang, text};
use super::sheet::{self, Cell, Row, Rows, Table};
use super::{ExportError, workbook_properties, write_streamed};
use crate::analysis::{Transfer, TransferAnalysis};
use foldhash::{HashSet, HashSetExt};
use rust_xlsxwriter::Workbook;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file name for a language: English plain, others with the language before the extension.
pub fn file_name(stem: &str, extension: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{stem}.{extension}"),
        other => format!("{stem}.{}.{extension}", other.code()),
    }
}

/// Where a published output is found: `base` (the policy's `publish-url`) and its file name.
pub fn published_url(base: &str, stem: &str, extension: &str, lang: Lang) -> String {
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        file_name(stem, extension, lang)
    )
}

fn mechanisms_text(lang: Lang, t: &Transfer) -> String {
    if t.mechanisms.is_empty() {
        return text(lang, "none");
    }
    let names = i18n::mechanisms(lang, &t.mechanisms).join(", ");
    match &t.importer.mechanism_text {
        Some(written) if !names.eq_ignore_ascii_case(written) => format!("{names} ({written})"),
        _ => names,
    }
}

fn kind(lang: Lang, t: &Transfer) -> String {
    i18n::transfer_kind(lang, t.onward, t.onward_terms.as_deref())
}

/// The columns of a transfer row, shared by the xlsx sheets and the CSV.
const TRANSFER_COLUMNS: [&str; 15] = [
    "col.country",
    "col.path",
    "col.exporter",
    "col.importer",
    "col.kind",
    "col.categories",
    "col.activities",
    "col.mechanism",
    "col.dpf",
    "col.tia",
    "col.dpa",
    "col.retention",
    "col.status",
    "col.reason",
    "col.finding",
];

/// The rule a transfer is a finding of, with its severity under the policy.
fn finding_text(lang: Lang, t: &Transfer) -> String {
    match (t.finding, t.finding_severity) {
        (Some(code), Some(severity)) => format!(
            "{code} {} ({})",
            code.name(),
            text(lang, &format!("severity.{severity}"))
        ),
        (Some(code), None) => format!(
            "{code} {} ({})",
            code.name(),
            text(lang, "severity.allowed")
        ),
        (None, _) => String::new(),
    }
}

pub fn transfer_row(
    lang: Lang,
    t: &Transfer,
    words: &BTreeMap<String, Vec<String>>,
) -> [String; 15] {
    [
        i18n::destination_in_brackets(lang, &t.country),
        t.path_line(),
        t.exporter.to_string(),
        t.importer.name.to_string(),
        kind(lang, t),
        i18n::category_ids(lang, t.categories(), words).join("\n"),
        t.activities().collect::<Vec<_>>().join("\n"),
        mechanisms_text(lang, t),
        i18n::tristate(lang, t.importer.dpf_certified),
        i18n::tristate(lang, t.importer.tia),
        i18n::tristate(lang, t.importer.dpa),
        t.importer
            .retention
            .as_deref()
            .unwrap_or_default()
            .to_string(),
        i18n::status(lang, t.status),
        i18n::assessment(lang, &t.assessment),
        finding_text(lang, t),
    ]
}

const SUMMARY_COLUMNS: [&str; 9] = [
    "col.country",
    "col.standing",
    "col.status",
    "col.basis",
    "col.importers",
    "col.categories",
    "col.paths",
    "col.worst",
    "col.country_name",
];

fn top_lines(
    lang: Lang,
    analysis: &TransferAnalysis,
    organisation: &str,
    title: &str,
) -> Vec<String> {
    let mut lines = vec![
        i18n::labelled(lang, title, organisation),
        format!(
            "{} {} · {} {} · {}",
            text(lang, "meta.as_of"),
            analysis.as_of,
            text(lang, "meta.reference"),
            analysis.reference_as_of,
            text(lang, "meta.generated_by")
        ),
    ];
    lines.extend(analysis.notices.iter().map(|n| i18n::notice(lang, n)));
    lines
}

/// The summary table: one row per destination country.
fn summary_table<'a>(
    analysis: &TransferAnalysis,
    organisation: &'a str,
    lang: Lang,
    title: &'a str,
) -> Table<'a> {
    Table {
        top: top_lines(lang, analysis, organisation, title),
        headers: SUMMARY_COLUMNS.iter().map(|k| text(lang, k)).collect(),
        widths: vec![10.0, 22.0, 18.0, 18.0, 30.0, 30.0, 8.0, 60.0, 20.0],
        rows: Rows::made(
            analysis
                .destinations
                .iter()
                .map(|d| Row {
                    cells: [
                        i18n::destination_code(lang, &d.country),
                        i18n::standing(lang, d.standing),
                        i18n::status(lang, d.status),
                        i18n::mechanisms(lang, &d.mechanisms).join("\n"),
                        d.importers.join("\n"),
                        i18n::category_ids(lang, &d.categories, &analysis.category_words)
                            .join("\n"),
                        d.paths.to_string(),
                        i18n::assessment(lang, &d.worst),
                        i18n::destination_name(lang, &d.country),
                    ]
                    .into_iter()
                    .map(Cell::text)
                    .collect(),
                    status: Some(d.status),
                })
                .collect(),
        ),
        status_column: Some(2),
        page_header: (organisation, title),
        lang,
    }
}

/// A table of transfer rows (one country's, or all of them), made as they are written.
pub fn transfer_table<'a>(
    transfers: Vec<&'a Transfer>,
    words: &'a BTreeMap<String, Vec<String>>,
    top: Vec<String>,
    lang: Lang,
    page_header: (&'a str, &'a str),
) -> Table<'a> {
    Table {
        top,
        headers: transfer_headers(lang),
        widths: vec![
            14.0, 44.0, 20.0, 20.0, 16.0, 26.0, 24.0, 22.0, 10.0, 8.0, 8.0, 14.0, 14.0, 60.0, 24.0,
        ],
        rows: Rows::of(transfers, move |t| Row {
            cells: transfer_row(lang, t, words)
                .into_iter()
                .map(Cell::text)
                .collect(),
            status: Some(t.status),
        }),
        status_column: Some(12),
        page_header,
        lang,
    }
}

fn transfer_headers(lang: Lang) -> Vec<String> {
    TRANSFER_COLUMNS.iter().map(|k| text(lang, k)).collect()
}

/// Fills `workbook` with the summary and a sheet per destination, and writes the same rows
/// to `csv` (all countries, in the sheets' order) in the same pass.
fn xlsx_and_csv(
    workbook: &mut Workbook,
    analysis: &TransferAnalysis,
    organisation: &str,
    lang: Lang,
    csv: &mut (dyn std::io::Write + Send),
) -> Result<(), ExportError> {
    let title = text(lang, "transfers.title");
    workbook.set_properties(&workbook_properties(
        &title,
        organisation,
        lang,
        analysis.as_of,
    )?);
    let mut used = HashSet::new();
    let mut held = sheet::HeldRows::default();
    sheet::add(
        workbook,
        &mut held,
        &sheet::sheet_name(&text(lang, "summary.sheet"), &mut used),
        &summary_table(analysis, organisation, lang, &title),
    )?;

    // The transfers are sorted by country, so the CSV follows the sheets.
    let mut csv = sheet::csv_writer(csv, &transfer_headers(lang))?;
    let mut by_country: BTreeMap<&str, Vec<&Transfer>> = BTreeMap::new();
    for t in &analysis.transfers {
        by_country.entry(t.country.as_str()).or_default().push(t);
    }
    for (code, transfers) in by_country {
        let country = i18n::destination(lang, code);
        let name = sheet::sheet_name(&country, &mut used);
        let heading = format!("{title} · {country}");
        let top = top_lines(lang, analysis, organisation, &heading);
        sheet::add_with_csv(
            workbook,
            &mut held,
            &name,
            &transfer_table(
                transfers,
                &analysis.category_words,
                top,
                lang,
                (organisation, &heading),
            ),
            &mut csv,
        )?;
    }
    csv.flush()?;
    Ok(())
}

#[derive(Serialize)]
struct JsonDocument<'a> {
    organisation: &'a str,
    language: Lang,
    #[serde(flatten)]
    analysis: &'a TransferAnalysis,
    /// The reason of each transfer as text, in the same order as `transfers`.
    reasons: Reasons<'a>,
}

/// The reasons, made as they are written.
struct Reasons<'a>(&'a TransferAnalysis, Lang);

impl Serialize for Reasons<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            self.0
                .transfers
                .iter()
                .map(|t| i18n::assessment(self.1, &t.assessment)),
        )
    }
}

/// `transfers.md`, written straight into `out` (it runs to tens of megabytes for a large
/// register).
fn markdown(
    analysis: &TransferAnalysis,
    organisation: &str,
    lang: Lang,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    write!(
        out,
        "# {}\n\n",
        i18n::labelled(
            lang,
            &text(lang, "transfers.title"),
            &super::markdown_text(organisation)
        )
    )?;
    for notice in &analysis.notices {
        write!(
            out,
            "> **{}**\n\n",
            super::markdown_text(&i18n::notice(lang, notice))
        )?;
    }
    write!(
        out,
        "{} **{}** · {} {} · {}\n\n{}\n\n",
        text(lang, "meta.as_of"),
        analysis.as_of,
        text(lang, "meta.reference"),
        analysis.reference_as_of,
        text(lang, "meta.generated_by"),
        text(lang, "transfers.intro")
    )?;
    write!(out, "## {}\n\n", text(lang, "summary.heading"))?;
    let headers: Vec<String> = [
        "col.country",
        "col.standing",
        "col.status",
        "col.basis",
        "col.importers",
        "col.paths",
    ]
    .iter()
    .map(|k| text(lang, k))
    .collect();
    write!(
        out,
        "| {} |\n|{}\n",
        headers.join(" | "),
        "---|".repeat(headers.len())
    )?;
    for d in &analysis.destinations {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            super::markdown_text(&i18n::destination(lang, &d.country)),
            i18n::standing(lang, d.standing),
            i18n::status(lang, d.status),
            super::markdown_text(&i18n::mechanisms(lang, &d.mechanisms).join(", ")),
            super::markdown_text(&d.importers.join(", ")),
            d.paths
        )?;
    }
    out.write_all(b"\n")?;
    // "No transfers" only when ropa read the whole register.
    if analysis.transfers.is_empty() && analysis.read_fully() {
        writeln!(out, "{}", text(lang, "md.no_transfers"))?;
    }
    let mut by_country: BTreeMap<&str, Vec<&Transfer>> = BTreeMap::new();
    for t in &analysis.transfers {
        by_country.entry(t.country.as_str()).or_default().push(t);
    }
    for (code, transfers) in by_country {
        write!(
            out,
            "## {}\n\n",
            super::markdown_text(&i18n::destination(lang, code))
        )?;
        let c = i18n::colon(lang);
        for t in transfers {
            write!(
                out,
                "- **{}**{c}{}\n  - {}{c}{}\n  - {}{c}{}\n  - {}{c}{} · {}{c}{} · {}{c}{} · {}{c}{}\n  - {}\n",
                i18n::status(lang, t.status),
                super::markdown_text(&t.path_line()),
                text(lang, "col.kind"),
                super::markdown_text(&kind(lang, t)),
                text(lang, "col.categories"),
                super::markdown_text(
                    &i18n::category_ids(lang, t.categories(), &analysis.category_words).join(", ")
                ),
                text(lang, "col.mechanism"),
                super::markdown_text(&mechanisms_text(lang, t)),
                text(lang, "col.tia"),
                i18n::tristate(lang, t.importer.tia),
                text(lang, "col.dpa"),
                i18n::tristate(lang, t.importer.dpa),
                text(lang, "col.retention"),
                super::markdown_text(t.importer.retention.as_deref().unwrap_or("–")),
                super::markdown_text(&i18n::assessment(lang, &t.assessment)),
            )?;
            let finding = finding_text(lang, t);
            if !finding.is_empty() {
                writeln!(out, "  - {}{c}{finding}", text(lang, "col.finding"))?;
            }
        }
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Writes the four transfer reports into `dir`, returning their paths.
pub fn write(
    analysis: &TransferAnalysis,
    organisation: &str,
    lang: Lang,
    dir: &Path,
) -> Result<Vec<PathBuf>, ExportError> {
    let document = JsonDocument {
        organisation,
        language: lang,
        analysis,
        reasons: Reasons(analysis, lang),
    };
    let mut workbook = sheet::workbook()?;
    let csv = write_streamed(&dir.join(file_name("transfers", "csv", lang)), |out| {
        xlsx_and_csv(&mut workbook, analysis, organisation, lang, out)
    })?;
    let xlsx_path = super::write_workbook(
        &dir.join(file_name("transfers", "xlsx", lang)),
        &mut workbook,
    )?;
    let json = write_streamed(&dir.join(file_name("transfers", "json", lang)), |out| {
        super::json::stream(out, &document)
    })?;
    let markdown = write_streamed(&dir.join(file_name("transfers", "md", lang)), |out| {
        Ok(markdown(analysis, organisation, lang, out)?)
    })?;
    Ok(vec![xlsx_path, csv, json, markdown])
}
