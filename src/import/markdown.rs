//! Markdown documents, as vendors publish sub-processor lists (GitHub's pipe tables,
//! Basecamp's bulleted `[Name](link). Purpose.` lists): parsed with pulldown-cmark into rows
//! that keep their line numbers. Headings and paragraphs become one-cell rows the layout reads
//! as titles and section lines; a list whose items start with a name becomes a table.

use super::delimited::decode;
use super::table::{CellValue, RawRow, RawTable, RowHint};
use crate::diag::{Code, Diagnostic};
use crate::model::Location;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::path::Path;

/// One list item: its name (link or bold text at its start), the rest, and the link.
#[derive(Debug, Default)]
struct Item {
    line: u32,
    name: String,
    rest: String,
    link: Option<String>,
    /// Whether the name came from a link or bold text rather than a separator.
    marked: bool,
}

/// What is being collected while walking the events.
enum Open {
    None,
    /// A heading or paragraph outside lists and tables.
    Text {
        line: u32,
        hint: RowHint,
        text: String,
    },
    /// A table row (or its head), cell by cell.
    TableRow {
        line: u32,
        head: bool,
        cells: Vec<String>,
        current: Option<String>,
    },
}

/// Reads one Markdown file as a raw table named after its file stem.
pub fn read(path: &Path, shown: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<RawTable> {
    match std::fs::read(path) {
        Ok(bytes) => read_bytes(&bytes, shown, diagnostics),
        Err(e) => {
            diagnostics.push(
                Diagnostic::new(Code::UnreadableFile, format!("cannot read the file: {e}"))
                    .at(Location::in_file(shown)),
            );
            None
        }
    }
}

/// Reads a Markdown file's bytes as a raw table named after the stem of `shown`, touching no
/// file.
pub fn read_bytes(
    bytes: &[u8],
    shown: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<RawTable> {
    let location = Location::in_file(shown);
    if bytes.contains(&0) && !bytes.starts_with(&[0xFF, 0xFE]) && !bytes.starts_with(&[0xFE, 0xFF])
    {
        diagnostics.push(
            Diagnostic::new(
                Code::UnreadableFile,
                "this is a binary file, not Markdown text",
            )
            .at(location),
        );
        return None;
    }
    let (text, _) = decode(bytes);
    let name = super::delimited::stem(shown);
    Some(RawTable {
        location,
        name,
        first_column: 1,
        rows: rows(&text),
        merged: Vec::new(),
    })
}

/// The rows of a Markdown document.
pub fn rows(text: &str) -> Vec<RawRow> {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| line_starts.partition_point(|&s| s <= offset) as u32;
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_STRIKETHROUGH;
    let mut rows: Vec<RawRow> = Vec::new();
    let mut open = Open::None;
    // Lists: the items of the list being read (nested lists fold into their item).
    let mut list_depth = 0usize;
    let mut items: Vec<Item> = Vec::new();
    let mut item: Option<Item> = None;
    let mut in_link: Option<String> = None;
    let mut in_strong = false;
    let mut in_metadata = false;

    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::MetadataBlock(_)) => in_metadata = true,
            Event::End(TagEnd::MetadataBlock(_)) => in_metadata = false,
            _ if in_metadata => {}
            Event::Start(Tag::Heading { level, .. }) if list_depth == 0 => {
                let _ = level == HeadingLevel::H1;
                open = Open::Text {
                    line: line_of(range.start),
                    hint: RowHint::Heading,
                    text: String::new(),
                };
            }
            Event::Start(Tag::Paragraph) if list_depth == 0 => {
                open = Open::Text {
                    line: line_of(range.start),
                    hint: RowHint::Prose,
                    text: String::new(),
                };
            }
            Event::End(TagEnd::Heading(_) | TagEnd::Paragraph) if list_depth == 0 => {
                if let Open::Text { line, hint, text } = std::mem::replace(&mut open, Open::None) {
                    let text = text.trim();
                    if !text.is_empty() {
                        let end = line_of(range.end.saturating_sub(1)).max(line);
                        rows.push(RawRow {
                            number: line,
                            cells: vec![CellValue::Text(text.to_string())],
                            hint,
                            lines: end - line + 1,
                        });
                    }
                }
            }
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => {
                open = Open::TableRow {
                    line: line_of(range.start),
                    head: matches!(event, Event::Start(Tag::TableHead)),
                    cells: Vec::new(),
                    current: None,
                };
            }
            Event::Start(Tag::TableCell) => {
                if let Open::TableRow { current, .. } = &mut open {
                    *current = Some(String::new());
                }
            }
            Event::End(TagEnd::TableCell) => {
                if let Open::TableRow { cells, current, .. } = &mut open {
                    cells.push(current.take().unwrap_or_default().trim().to_string());
                }
            }
            Event::End(TagEnd::TableHead) | Event::End(TagEnd::TableRow) => {
                if let Open::TableRow {
                    line, head, cells, ..
                } = std::mem::replace(&mut open, Open::None)
                {
                    let row = RawRow {
                        number: line,
                        cells: cells.iter().map(|c| CellValue::from_text(c)).collect(),
                        hint: if head {
                            RowHint::TableHeader
                        } else {
                            RowHint::Cells
                        },
                        lines: 1,
                    };
                    if !row.is_blank() {
                        rows.push(row);
                    }
                }
            }
            Event::Start(Tag::List(_)) => {
                list_depth += 1;
            }
            Event::End(TagEnd::List(_)) => {
                list_depth = list_depth.saturating_sub(1);
                if list_depth == 0 {
                    emit_list(std::mem::take(&mut items), &mut rows);
                }
            }
            Event::Start(Tag::Item) if list_depth == 1 => {
                item = Some(Item {
                    line: line_of(range.start),
                    ..Item::default()
                });
            }
            Event::End(TagEnd::Item) if list_depth == 1 => {
                if let Some(done) = item.take() {
                    items.push(done);
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                in_link = Some(dest_url.to_string());
            }
            Event::End(TagEnd::Link) => {
                in_link = None;
            }
            Event::Start(Tag::Strong) => in_strong = true,
            Event::End(TagEnd::Strong) => in_strong = false,
            Event::Text(t) | Event::Code(t) => {
                push_text(&mut open, &mut item, &t, in_link.as_deref(), in_strong);
            }
            Event::SoftBreak | Event::HardBreak => {
                push_text(&mut open, &mut item, " ", None, false);
            }
            // `<br>` in a table cell separates list items.
            Event::Html(h) | Event::InlineHtml(h)
                if h.trim().to_ascii_lowercase().starts_with("<br") =>
            {
                push_text(&mut open, &mut item, "\n", None, false);
            }
            _ => {}
        }
    }
    rows.sort_by_key(|r| r.number);
    rows
}

/// Adds text to whatever is being collected.
fn push_text(
    open: &mut Open,
    item: &mut Option<Item>,
    text: &str,
    link: Option<&str>,
    strong: bool,
) {
    if let Some(item) = item {
        // The item's name is the link or bold text it starts with.
        let starts = item.name.is_empty() && item.rest.trim().is_empty();
        if (link.is_some() || strong) && (starts || (item.marked && item.rest.is_empty())) {
            item.name.push_str(text);
            item.marked = true;
            if item.link.is_none() {
                item.link = link.map(str::to_string);
            }
        } else {
            item.rest.push_str(text);
        }
        return;
    }
    match open {
        Open::Text { text: t, .. } => t.push_str(text),
        Open::TableRow {
            current: Some(c), ..
        } => c.push_str(text),
        _ => {}
    }
}

/// A list becomes a table (name, service, link) when its items start with a name; otherwise
/// its items are lines of prose.
fn emit_list(items: Vec<Item>, rows: &mut Vec<RawRow>) {
    if items.is_empty() {
        return;
    }
    // Items that start with a link or bold name are entries however few; items named only
    // by a separator (`Name - purpose`) need company to be told from prose.
    let named = |item: &Item| item.marked || separator(&item.rest).is_some();
    let entity_list = items.iter().all(|i| i.marked)
        || (items.len() >= 2 && items.iter().filter(|i| named(i)).count() * 2 >= items.len());
    if !entity_list {
        for item in items {
            let text = format!("{}{}", item.name, item.rest).trim().to_string();
            if !text.is_empty() {
                rows.push(RawRow {
                    number: item.line,
                    cells: vec![CellValue::Text(text)],
                    hint: RowHint::Prose,
                    lines: 1,
                });
            }
        }
        return;
    }
    // The canonical field keys head the made-up table; they are headings ropa knows in every
    // language, and the rows keep the list's own line numbers.
    rows.push(RawRow {
        number: items[0].line,
        cells: ["name", "service", "url"]
            .iter()
            .map(|h| CellValue::Text(h.to_string()))
            .collect(),
        hint: RowHint::TableHeader,
        lines: 1,
    });
    for item in items {
        let (name, rest) = if item.marked {
            (item.name.trim().to_string(), item.rest.clone())
        } else {
            match separator(&item.rest) {
                Some((name, rest)) => (name.to_string(), rest.to_string()),
                None => (item.rest.trim().to_string(), String::new()),
            }
        };
        let service = rest
            .trim()
            .trim_start_matches(['.', ',', ':', ';', '-', '–', '—', ' '])
            .trim()
            .trim_end_matches('.')
            .to_string();
        rows.push(RawRow {
            number: item.line,
            cells: vec![
                CellValue::from_text(&name),
                CellValue::from_text(&service),
                CellValue::from_text(item.link.as_deref().unwrap_or("")),
            ],
            hint: RowHint::Cells,
            lines: 1,
        });
    }
}

/// `Name - purpose`, `Name: purpose`, `Name – purpose`.
fn separator(text: &str) -> Option<(&str, &str)> {
    for sep in [" – ", " — ", " - ", ": "] {
        if let Some((name, rest)) = text.split_once(sep) {
            let name = name.trim();
            if !name.is_empty() && name.split_whitespace().count() <= 6 {
                return Some((name, rest));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(rows: &[RawRow]) -> Vec<(u32, RowHint, Vec<String>)> {
        rows.iter()
            .map(|r| {
                (
                    r.number,
                    r.hint,
                    r.cells
                        .iter()
                        .map(|c| c.text().unwrap_or_default())
                        .collect(),
                )
            })
            .collect()
    }

    #[test]
    fn tables_headings_and_paragraphs_keep_their_lines() {
        let md = "---\ntitle: x\n---\n\n# Subprocessors\n\nSome text.\n\n| Name | Location |\n|---|---|\n| AWS | US |\n| OVH | FR<br>DE |\n";
        let rows = rows(md);
        assert_eq!(
            texts(&rows),
            vec![
                (5, RowHint::Heading, vec!["Subprocessors".to_string()]),
                (7, RowHint::Prose, vec!["Some text.".to_string()]),
                (
                    9,
                    RowHint::TableHeader,
                    vec!["Name".into(), "Location".into()]
                ),
                (11, RowHint::Cells, vec!["AWS".into(), "US".into()]),
                (12, RowHint::Cells, vec!["OVH".into(), "FR\nDE".into()]),
            ]
        );
    }

    #[test]
    fn a_list_of_named_items_is_a_table() {
        let md = "These are located in the United States:\n\n* [Amazon Web Services](https://aws.amazon.com/). Cloud services provider.\n* [Sentry](https://sentry.io). Error reporting software.\n";
        let rows = rows(md);
        assert_eq!(
            texts(&rows)[1..],
            [
                (
                    3,
                    RowHint::TableHeader,
                    vec!["name".into(), "service".into(), "url".into()]
                ),
                (
                    3,
                    RowHint::Cells,
                    vec![
                        "Amazon Web Services".into(),
                        "Cloud services provider".into(),
                        "https://aws.amazon.com/".into()
                    ]
                ),
                (
                    4,
                    RowHint::Cells,
                    vec![
                        "Sentry".into(),
                        "Error reporting software".into(),
                        "https://sentry.io".into()
                    ]
                ),
            ]
        );
    }
}
