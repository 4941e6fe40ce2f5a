//! Transfer reports: `transfers.xlsx` (a summary sheet, then one sheet per third country),
//! `transfers.csv` and `transfers.json` with the same rows, and `transfers.md` for reviews.

use super::i18n::{self, Lang, text};
use super::{ExportError, safe_csv, workbook_properties, write_atomic};
use crate::analysis::{Status, Transfer, TransferAnalysis};
use crate::model::Mechanism;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// The file name for a language: English plain, others with the language before the extension.
pub fn file_name(stem: &str, extension: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{stem}.{extension}"),
        other => format!("{stem}.{}.{extension}", other.code()),
    }
}

fn mechanisms_text(lang: Lang, t: &Transfer) -> String {
    if t.mechanisms.is_empty() {
        return text(lang, "none");
    }
    let keys: Vec<&str> = t.mechanisms.iter().map(|m| Mechanism::key(*m)).collect();
    match &t.mechanism_text {
        Some(written) if written != &keys.join(", ") => format!("{} ({written})", keys.join(", ")),
        _ => keys.join(", "),
    }
}

fn kind(lang: Lang, t: &Transfer) -> String {
    text(
        lang,
        if t.onward {
            "kind.onward"
        } else {
            "kind.first"
        },
    )
}

/// The columns of a transfer row, shared by the xlsx sheets and the CSV.
const TRANSFER_COLUMNS: [&str; 14] = [
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
];

fn transfer_row(lang: Lang, t: &Transfer) -> [String; 14] {
    [
        format!("{} ({})", t.country, t.country_name),
        t.path.join(" → "),
        t.exporter.clone(),
        t.importer.clone(),
        kind(lang, t),
        t.categories.join("\n"),
        t.activities.join("\n"),
        mechanisms_text(lang, t),
        i18n::tristate(lang, t.dpf_certified),
        i18n::tristate(lang, t.tia),
        i18n::tristate(lang, t.dpa),
        t.retention.clone().unwrap_or_default(),
        i18n::status(lang, t.status),
        i18n::reason(lang, &t.assessment.reason),
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

fn status_colour(status: Status) -> Color {
    match status {
        Status::NoTransfer => Color::RGB(0xE7E6E6),
        Status::Ok => Color::RGB(0xC6EFCE),
        Status::Warning => Color::RGB(0xFFEB9C),
        Status::Error => Color::RGB(0xFFC7CE),
    }
}

/// Excel forbids some characters and more than 31 characters in sheet names.
fn sheet_name(code: &str, name: &str, used: &mut HashSet<String>) -> String {
    let clean: String = format!("{code} {name}")
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect();
    let mut candidate = clean.trim_matches('\'').to_string();
    let mut n = 2;
    while !used.insert(candidate.to_lowercase()) {
        let suffix = format!(" {n}");
        candidate = clean.chars().take(31 - suffix.len()).collect::<String>() + &suffix;
        n += 1;
    }
    candidate
}

struct Formats {
    header: Format,
    wrap: Format,
    title: Format,
}

fn formats() -> Formats {
    Formats {
        header: Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_background_color(Color::RGB(0xD9E1F2))
            .set_border(FormatBorder::Thin),
        wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        title: Format::new().set_bold().set_font_size(14),
    }
}

/// A table with a frozen, filtered header row below `top` rows of title text; cells are always
/// written as text, so `=…` in a name never becomes a formula.
fn write_table(
    ws: &mut Worksheet,
    f: &Formats,
    top: &[String],
    headers: &[String],
    widths: &[f64],
    rows: &[(Vec<String>, Status)],
    status_column: usize,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    for (r, line) in top.iter().enumerate() {
        let format = if r == 0 { &f.title } else { &f.wrap };
        ws.write_string_with_format(r as u32, 0, line, format)?;
    }
    let header_row = top.len() as u32 + 1;
    for (c, header) in headers.iter().enumerate() {
        ws.write_string_with_format(header_row, c as u16, header, &f.header)?;
        ws.set_column_width(c as u16, widths.get(c).copied().unwrap_or(18.0))?;
    }
    for (i, (cells, status)) in rows.iter().enumerate() {
        let r = header_row + 1 + i as u32;
        for (c, cell) in cells.iter().enumerate() {
            let format = if c == status_column {
                f.wrap.clone().set_background_color(status_colour(*status))
            } else {
                f.wrap.clone()
            };
            ws.write_string_with_format(r, c as u16, cell, &format)?;
        }
    }
    ws.set_freeze_panes(header_row + 1, 1)?;
    let last_row = header_row + rows.len().max(1) as u32;
    ws.autofilter(header_row, 0, last_row, headers.len() as u16 - 1)?;
    ws.set_landscape();
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(header_row, header_row)?;
    Ok(())
}

fn top_lines(
    lang: Lang,
    analysis: &TransferAnalysis,
    organisation: &str,
    title: &str,
) -> Vec<String> {
    vec![
        format!("{title}: {organisation}"),
        format!(
            "{} {} · {} {} · {}",
            text(lang, "meta.as_of"),
            analysis.as_of,
            text(lang, "meta.reference"),
            analysis.reference_as_of,
            text(lang, "meta.generated_by")
        ),
    ]
}

fn xlsx(
    analysis: &TransferAnalysis,
    organisation: &str,
    lang: Lang,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let f = formats();
    let mut workbook = Workbook::new();
    workbook.set_properties(&workbook_properties(
        &text(lang, "transfers.title"),
        organisation,
        lang,
        analysis.as_of,
    )?);
    let title = text(lang, "transfers.title");
    let mut used = HashSet::new();

    let summary = workbook.add_worksheet();
    summary.set_name(sheet_name("", &text(lang, "summary.sheet"), &mut used).trim())?;
    let headers: Vec<String> = SUMMARY_COLUMNS.iter().map(|k| text(lang, k)).collect();
    let rows: Vec<(Vec<String>, Status)> = analysis
        .destinations
        .iter()
        .map(|d| {
            (
                vec![
                    d.country.clone(),
                    i18n::standing(lang, d.standing),
                    i18n::status(lang, d.status),
                    d.mechanisms.join("\n"),
                    d.importers.join("\n"),
                    d.categories.join("\n"),
                    d.paths.to_string(),
                    i18n::reason(lang, &d.worst),
                    d.country_name.clone(),
                ],
                d.status,
            )
        })
        .collect();
    write_table(
        summary,
        &f,
        &top_lines(lang, analysis, organisation, &title),
        &headers,
        &[10.0, 22.0, 18.0, 18.0, 30.0, 30.0, 8.0, 60.0, 20.0],
        &rows,
        2,
    )?;
    // `&` starts a control code in Excel headers; a literal one is doubled.
    let org_header = organisation.replace('&', "&&");
    summary.set_header(format!("&L{org_header}&R{title}"));
    summary.set_footer("&C&P / &N");

    let mut by_country: BTreeMap<&str, Vec<&Transfer>> = BTreeMap::new();
    for t in &analysis.transfers {
        by_country.entry(t.country.as_str()).or_default().push(t);
    }
    let headers: Vec<String> = TRANSFER_COLUMNS.iter().map(|k| text(lang, k)).collect();
    for (code, transfers) in by_country {
        let ws = workbook.add_worksheet();
        ws.set_name(sheet_name(code, &transfers[0].country_name, &mut used))?;
        let rows: Vec<(Vec<String>, Status)> = transfers
            .iter()
            .map(|t| (transfer_row(lang, t).to_vec(), t.status))
            .collect();
        write_table(
            ws,
            &f,
            &top_lines(
                lang,
                analysis,
                organisation,
                &format!("{title} · {code} {}", transfers[0].country_name),
            ),
            &headers,
            &[
                14.0, 44.0, 20.0, 20.0, 16.0, 26.0, 24.0, 22.0, 10.0, 8.0, 8.0, 14.0, 14.0, 60.0,
            ],
            &rows,
            12,
        )?;
        ws.set_header(format!("&L{org_header}&R{title} · {code}"));
        ws.set_footer("&C&P / &N");
    }
    workbook.save_to_buffer()
}

fn csv_text(analysis: &TransferAnalysis, lang: Lang) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(TRANSFER_COLUMNS.iter().map(|k| text(lang, k)))?;
    for t in &analysis.transfers {
        writer.write_record(transfer_row(lang, t).iter().map(|c| safe_csv(c)))?;
    }
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[derive(Serialize)]
struct JsonDocument<'a> {
    organisation: &'a str,
    language: Lang,
    #[serde(flatten)]
    analysis: &'a TransferAnalysis,
    /// The reason of each transfer as text, in the same order as `transfers`.
    reasons: Vec<String>,
}

/// Markdown cells: pipes escaped, line breaks as `<br>`.
fn md(cell: &str) -> String {
    cell.replace('|', "\\|").replace('\n', "<br>")
}

fn markdown(analysis: &TransferAnalysis, organisation: &str, lang: Lang) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "# {}: {}\n\n",
        text(lang, "transfers.title"),
        md(organisation)
    ));
    out.push_str(&format!(
        "{} **{}** · {} {} · {}\n\n{}\n\n",
        text(lang, "meta.as_of"),
        analysis.as_of,
        text(lang, "meta.reference"),
        analysis.reference_as_of,
        text(lang, "meta.generated_by"),
        text(lang, "transfers.intro")
    ));
    out.push_str(&format!("## {}\n\n", text(lang, "summary.heading")));
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
    out.push_str(&format!(
        "| {} |\n|{}\n",
        headers.join(" | "),
        "---|".repeat(headers.len())
    ));
    for d in &analysis.destinations {
        out.push_str(&format!(
            "| {} {} | {} | {} | {} | {} | {} |\n",
            d.country,
            md(&d.country_name),
            i18n::standing(lang, d.standing),
            i18n::status(lang, d.status),
            md(&d.mechanisms.join(", ")),
            md(&d.importers.join(", ")),
            d.paths
        ));
    }
    out.push('\n');
    if analysis.transfers.is_empty() {
        out.push_str(&format!("{}\n", text(lang, "md.no_transfers")));
    }
    let mut by_country: BTreeMap<&str, Vec<&Transfer>> = BTreeMap::new();
    for t in &analysis.transfers {
        by_country.entry(t.country.as_str()).or_default().push(t);
    }
    for (code, transfers) in by_country {
        out.push_str(&format!("## {code} {}\n\n", md(&transfers[0].country_name)));
        for t in transfers {
            out.push_str(&format!(
                "- **{}**: {} ({})\n  - {}: {}\n  - {}: {} · {}: {} · {}: {} · {}: {}\n  - {}\n",
                i18n::status(lang, t.status),
                md(&t.path.join(" → ")),
                kind(lang, t),
                text(lang, "col.categories"),
                md(&t.categories.join(", ")),
                text(lang, "col.mechanism"),
                md(&mechanisms_text(lang, t)),
                text(lang, "col.tia"),
                i18n::tristate(lang, t.tia),
                text(lang, "col.dpa"),
                i18n::tristate(lang, t.dpa),
                text(lang, "col.retention"),
                md(t.retention.as_deref().unwrap_or("–")),
                md(&i18n::reason(lang, &t.assessment.reason)),
            ));
        }
        out.push('\n');
    }
    out
}

/// Writes the four transfer reports into `dir`, returning their paths.
pub fn write(
    analysis: &TransferAnalysis,
    organisation: &str,
    lang: Lang,
    dir: &Path,
) -> Result<Vec<PathBuf>, ExportError> {
    let mut written = Vec::new();
    let mut put = |name: String, bytes: Vec<u8>| -> Result<(), ExportError> {
        let path = dir.join(name);
        write_atomic(&path, &bytes)?;
        written.push(path);
        Ok(())
    };
    put(
        file_name("transfers", "xlsx", lang),
        xlsx(analysis, organisation, lang)?,
    )?;
    put(
        file_name("transfers", "csv", lang),
        csv_text(analysis, lang)?.into_bytes(),
    )?;
    let document = JsonDocument {
        organisation,
        language: lang,
        analysis,
        reasons: analysis
            .transfers
            .iter()
            .map(|t| i18n::reason(lang, &t.assessment.reason))
            .collect(),
    };
    let mut json = serde_json::to_string_pretty(&document)?;
    json.push('\n');
    put(file_name("transfers", "json", lang), json.into_bytes())?;
    put(
        file_name("transfers", "md", lang),
        markdown(analysis, organisation, lang).into_bytes(),
    )?;
    Ok(written)
}
