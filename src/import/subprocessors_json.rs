//! Reads `subprocessors.json`, the sub-processor list ropa publishes, back into processors and
//! the organisation. The document is told from other JSON by its top-level `document` field.
//! Its values are canonical (ISO codes, mechanism keys, category keys), so they are taken as
//! they are; each processor keeps the line of each of its fields as its origin.

use super::rows::Parsed;
use crate::diag::{Code, Diagnostic};
use crate::model::key::name_key;
use crate::model::published::{self, DOCUMENT, ListedProcessor, SubprocessorList};
use crate::model::{
    Category, Evidence, Extra, Location, Organisation, Origin, Processor, ProcessorDetails,
    RecipientRole, Reference, TableKind, TableStats, Tristate,
};
use foldhash::{HashMap, HashMapExt};

/// Whether a JSON text is a sub-processor list ropa wrote (its top-level `document` field).
pub fn is_list(text: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct Head {
        document: Option<String>,
    }
    serde_json::from_str::<Head>(text).is_ok_and(|h| h.document.as_deref() == Some(DOCUMENT))
}

/// A line and column, 1-based.
type At = (u32, u32);

/// Where each processor object and each of its keys starts. A small scan of the text, since
/// JSON parsers do not report positions.
struct Positions {
    processors: Vec<(At, HashMap<String, At>)>,
    organisation: Option<At>,
}

fn positions(text: &str) -> Positions {
    #[derive(PartialEq)]
    enum Frame {
        Object { key: Option<String> },
        Array,
    }
    let mut out = Positions {
        processors: Vec::new(),
        organisation: None,
    };
    let mut stack: Vec<Frame> = Vec::new();
    let (mut line, mut column) = (1u32, 0u32);
    let mut chars = text.chars().peekable();
    // Whether the path is root object → "processors" array.
    let in_processors = |stack: &[Frame]| {
        stack.len() == 2
            && stack[0]
                == Frame::Object {
                    key: Some("processors".to_string()),
                }
            && stack[1] == Frame::Array
    };
    while let Some(c) = chars.next() {
        column += 1;
        match c {
            '\n' => {
                line += 1;
                column = 0;
            }
            '"' => {
                let start = (line, column);
                let mut s = String::new();
                while let Some(d) = chars.next() {
                    column += 1;
                    match d {
                        '\\' => {
                            if let Some(e) = chars.next() {
                                column += 1;
                                s.push(e);
                            }
                        }
                        '"' => break,
                        '\n' => {
                            line += 1;
                            column = 0;
                        }
                        _ => s.push(d),
                    }
                }
                // A string followed by `:` is a key.
                while chars.peek().is_some_and(|c| *c == ' ' || *c == '\t') {
                    chars.next();
                    column += 1;
                }
                if chars.peek() == Some(&':') && matches!(stack.last(), Some(Frame::Object { .. }))
                {
                    if stack.len() == 1 && s == "organisation" {
                        out.organisation = Some(start);
                    }
                    if stack.len() == 3
                        && in_processors(&stack[..2])
                        && let Some((_, keys)) = out.processors.last_mut()
                    {
                        keys.entry(s.clone()).or_insert(start);
                    }
                    if let Some(Frame::Object { key }) = stack.last_mut() {
                        *key = Some(s);
                    }
                }
            }
            '{' => {
                if in_processors(&stack) {
                    out.processors.push(((line, column), HashMap::new()));
                }
                stack.push(Frame::Object { key: None });
            }
            '[' => stack.push(Frame::Array),
            '}' | ']' => {
                stack.pop();
            }
            _ => {}
        }
    }
    out
}

/// Reads the text of one `subprocessors.json` into `parsed`, touching no file.
pub fn read_text(
    text: &str,
    shown: &str,
    parsed: &mut Parsed,
    tables: &mut Vec<TableStats>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let file = Location::in_file(shown);
    let list: SubprocessorList = match serde_json::from_str(text) {
        Ok(list) => list,
        Err(e) => {
            diagnostics.push(
                Diagnostic::new(
                    Code::UnreadableFile,
                    format!("this sub-processor list is not valid: {e}"),
                )
                .at(file.at_row(e.line() as u32).at_column(e.column() as u32))
                .help("write it again with `ropa export subprocessors`"),
            );
            return;
        }
    };
    let positions = positions(text);
    let o = &list.organisation;
    parsed.organisations.push(Organisation {
        name: o.name.clone(),
        role: o
            .role
            .as_deref()
            .and_then(published::role)
            .unwrap_or_default(),
        country: o.country.as_ref().and_then(|p| p.place()),
        address: o.address.clone(),
        email: o.email.clone(),
        dpo: o.dpo.clone(),
        website: o.website.clone(),
        origin: Some(Origin::new(match positions.organisation {
            Some((line, column)) => file.at_row(line).at_column(column),
            None => file.clone(),
        })),
        ..Organisation::default()
    });
    let mut used = 0;
    for (i, listed) in list.processors.iter().enumerate() {
        let (row, keys) = positions
            .processors
            .get(i)
            .cloned()
            .unwrap_or(((1, 1), HashMap::new()));
        let cells = FIELDS.iter().filter_map(|(json_key, field)| {
            keys.get(*json_key)
                .map(|(line, column)| (*field, *line, *column))
        });
        let origin = Origin::with_cells(file.at_row(row.0), cells);
        match processor(listed, origin, diagnostics) {
            Some(p) => {
                used += 1;
                parsed.processors.push(p);
            }
            None => continue,
        }
    }
    tables.push(TableStats {
        kind: TableKind::Processors,
        location: file,
        header_row: None,
        read: list.processors.len(),
        used,
        rejected: list.processors.len() - used,
        skipped: Default::default(),
    });
}

/// The document's keys → the register's field keys, for origins.
const FIELDS: &[(&str, &str)] = &[
    ("name", "name"),
    ("legal_entity", "legal_entity"),
    ("service", "service"),
    ("groups", "group"),
    ("role", "role"),
    ("seat", "country"),
    ("locations", "locations"),
    ("data_categories", "data_categories"),
    ("dpa", "dpa"),
    ("encryption_in_transit", "encryption_in_transit"),
    ("encryption_at_rest", "encryption_at_rest"),
    ("certifications", "certifications"),
    ("retention", "retention"),
    ("transfer_mechanisms", "transfer_mechanism"),
    ("dpf_certified", "dpf_certified"),
    ("parent", "parent"),
    ("sub_processors", "sub_processors"),
    ("url", "url"),
    ("notes", "notes"),
];

fn processor(
    p: &ListedProcessor,
    origin: Origin,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Processor> {
    if p.name.trim().is_empty() {
        diagnostics.push(
            Diagnostic::new(
                Code::MissingRequiredValue,
                "this processor has no name; it is not used",
            )
            .at(origin.cell("name")),
        );
        return None;
    }
    // A value this version does not know is reported at its field and read as unknown.
    let mut bad = |field: &'static str, value: &str| {
        diagnostics.push(
            Diagnostic::new(
                Code::UnrecognisedValue,
                format!("`{value}` is not a value ropa writes here; read as unknown"),
            )
            .at(origin.cell(field)),
        );
    };
    let mut tri = |field: &'static str, value: &str| {
        published::tristate(value).unwrap_or_else(|| {
            bad(field, value);
            Tristate::Unknown
        })
    };
    let encryption_in_transit = tri("encryption_in_transit", &p.encryption_in_transit);
    let encryption_at_rest = tri("encryption_at_rest", &p.encryption_at_rest);
    let dpf_certified = tri("dpf_certified", &p.dpf_certified);
    let dpa = p.dpa.evidence().unwrap_or_else(|| {
        tri("dpa", &p.dpa.status);
        Evidence::default()
    });
    let mut transfer_mechanisms = Vec::new();
    for key in &p.transfer_mechanisms {
        match published::mechanism(key) {
            Some(m) => transfer_mechanisms.push(m),
            None => diagnostics.push(
                Diagnostic::new(
                    Code::UnrecognisedMechanism,
                    format!("`{key}` is not a transfer mechanism ropa knows"),
                )
                .at(origin.cell("transfer_mechanism")),
            ),
        }
    }
    let places = |list: &[published::ListedPlace]| -> Vec<crate::model::Place> {
        list.iter().filter_map(|x| x.place()).collect()
    };
    let mut processor = Processor {
        key: name_key(&p.name),
        id: None,
        name: p.name.as_str().into(),
        legal_entity: p.legal_entity.as_deref().map(Into::into),
        service: p.service.as_deref().map(Into::into),
        groups: p.groups.iter().map(|g| g.as_str().into()).collect(),
        country: p.seat.as_ref().and_then(|x| x.place()),
        locations: places(&p.locations).into(),
        data_categories: p
            .data_categories
            .iter()
            .map(|c| {
                Category::new(
                    c.text.as_str().into(),
                    c.key.clone().map(std::borrow::Cow::Owned),
                )
            })
            .collect(),
        role: if p.role == "sub_processor" {
            RecipientRole::SubProcessor
        } else {
            RecipientRole::Processor
        },
        dpa,
        transfer_mechanisms: transfer_mechanisms.into(),
        transfer_mechanism_text: p.transfer_mechanism_text.as_deref().map(Into::into),
        dpf_certified,
        dpf_hr: Tristate::Unknown,
        tia: Evidence::default(),
        encryption_in_transit,
        encryption_at_rest,
        certifications: p.certifications.iter().map(|c| c.as_str().into()).collect(),
        retention: p.retention.as_deref().map(Into::into),
        implicit: false,
        details: None,
        origin,
    };
    processor.set_details(ProcessorDetails {
        parent: p.parent.clone().map(Reference::new),
        sub_processors: p
            .sub_processors
            .iter()
            .cloned()
            .map(Reference::new)
            .collect(),
        url: p.url.as_deref().map(Into::into),
        notes: p.notes.clone(),
        extra: Extra::new(),
    });
    Some(processor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_find_each_processor_and_its_keys() {
        let text = "{\n  \"document\": \"ropa-subprocessors\",\n  \"organisation\": {\"name\": \"X\"},\n  \"processors\": [\n    {\n      \"name\": \"A \\\"quoted\\\" {x}\",\n      \"groups\": [\"g\"]\n    },\n    {\n      \"name\": \"B\"\n    }\n  ]\n}\n";
        assert!(is_list(text));
        assert!(!is_list("{\"document\": \"other\"}"));
        assert!(!is_list("[1, 2]"));
        let p = positions(text);
        assert_eq!(p.organisation, Some((3, 3)));
        assert_eq!(p.processors.len(), 2);
        assert_eq!(p.processors[0].0, (5, 5));
        assert_eq!(p.processors[0].1.get("name"), Some(&(6, 7)));
        assert_eq!(p.processors[0].1.get("groups"), Some(&(7, 7)));
        assert_eq!(p.processors[1].1.get("name"), Some(&(10, 7)));
    }
}
