//! The report of `ropa diff`: every change between two versions of a register in words, with
//! the cell in each version, as terminal text, Markdown or JSON.

use super::i18n::{self, Lang, fill, text};
use crate::analysis::changes::{Change, ChangeKind, RegisterChanges, Subject, Value};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// A value as reports show it.
pub fn value(lang: Lang, value: &Value, words: &BTreeMap<String, Vec<String>>) -> String {
    let none = || text(lang, "none");
    let list = |items: Vec<String>| {
        if items.is_empty() {
            none()
        } else {
            items.join(", ")
        }
    };
    match value {
        Value::Text(Some(t)) => t.clone(),
        Value::Text(None) => none(),
        Value::Texts(items) => list(items.clone()),
        Value::Places(places) => list(places.iter().map(|p| i18n::place(lang, p)).collect()),
        Value::Mechanisms(ms) => list(i18n::mechanisms(lang, ms)),
        Value::Tristate(t) => i18n::tristate(lang, *t),
        Value::Categories(ids) => list(i18n::category_ids(lang, ids, words)),
        Value::Evidence(e) => i18n::evidence(lang, e),
        Value::LegalBases(bases) => {
            list(bases.iter().map(|b| i18n::legal_basis(lang, *b)).collect())
        }
        Value::Status(s) => i18n::status(lang, *s),
    }
}

/// A transfer's destination: the code and its name in the language.
pub fn destination(lang: Lang, code: &str) -> String {
    match crate::vocabulary::places::index().name(code, lang.code()) {
        Some(name) if name != code => format!("{name} ({})", i18n::destination_code(lang, code)),
        _ => i18n::destination_name(lang, code),
    }
}

/// What a kind of field change is called (`place of processing`).
fn what(lang: Lang, change: &Change) -> String {
    match (change.kind, change.field) {
        (ChangeKind::EncryptionChanged, Some(field)) => text(lang, &format!("col.{field}")),
        (kind, _) => text(lang, &format!("change.{}", kind.key())),
    }
}

/// One change in a sentence; `name` formats entity names for the medium.
pub fn describe(
    lang: Lang,
    change: &Change,
    words: &BTreeMap<String, Vec<String>>,
    name: &dyn Fn(&str) -> String,
) -> String {
    let subject = text(lang, &format!("subject.{}", change.subject.key()));
    let shown = |v: &Option<Value>| {
        v.as_ref()
            .map(|v| value(lang, v, words))
            .unwrap_or_else(|| text(lang, "none"))
    };
    let (old, new) = (shown(&change.old), shown(&change.new));
    let country = change
        .country
        .as_deref()
        .map(|c| destination(lang, c))
        .unwrap_or_default();
    let values = [
        ("subject", subject.as_str()),
        ("name", &name(&change.name)),
        (
            "old_name",
            &name(change.old_name.as_deref().unwrap_or_default()),
        ),
        ("what", &what(lang, change)),
        ("old", &old),
        ("new", &new),
        ("items", if change.new.is_some() { &new } else { &old }),
        ("country", &country),
        ("status", &new),
    ];
    let template = match change.kind {
        ChangeKind::Added | ChangeKind::Removed | ChangeKind::Renamed => {
            format!("diff.{}", change.kind.key())
        }
        ChangeKind::NewTransfer
        | ChangeKind::TransferEnded
        | ChangeKind::NoLongerCovered
        | ChangeKind::NowCovered
        | ChangeKind::StatusChanged => format!("diff.{}", change.kind.key()),
        kind if kind.is_set_change() => "diff.set".to_string(),
        _ => "diff.value".to_string(),
    };
    let sentence = fill(text(lang, &template), &values);
    // A sentence starts with a capital, whatever the subject's word.
    let mut chars = sentence.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => sentence,
    }
}

/// The headline: the two versions and the date.
fn compared(lang: Lang, changes: &RegisterChanges, code: &dyn Fn(&str) -> String) -> String {
    fill(
        text(lang, "diff.compared"),
        &[
            ("old", &code(&changes.old.sources.join(", "))),
            ("new", &code(&changes.new.sources.join(", "))),
            ("date", &changes.as_of.to_string()),
        ],
    )
}

/// What could not be read of either version, one line each, naming the version's files.
fn read_notices(lang: Lang, changes: &RegisterChanges) -> Vec<String> {
    [&changes.old, &changes.new]
        .into_iter()
        .flat_map(|version| {
            version
                .notices
                .iter()
                .map(|n| i18n::labelled(lang, &version.sources.join(", "), &i18n::notice(lang, n)))
        })
        .collect()
}

/// How many changes; "no changes" only when both versions were read whole.
fn count_line(lang: Lang, changes: &RegisterChanges) -> String {
    if changes.is_empty() && changes.read_fully() {
        text(lang, "diff.none")
    } else {
        fill(
            text(lang, "diff.count"),
            &[("count", &changes.changes.len().to_string())],
        )
    }
}

/// The report as terminal text, a line per change and its cells, written as it is made: two
/// versions of a large register can differ in a million places.
pub fn human(changes: &RegisterChanges, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    write!(
        out,
        "{}\n  {}\n\n",
        i18n::labelled(lang, &text(lang, "diff.title"), &changes.organisation),
        compared(lang, changes, &|s| s.to_string())
    )?;
    for notice in read_notices(lang, changes) {
        write!(out, "{notice}\n\n")?;
    }
    let quoted = |s: &str| format!("`{s}`");
    for c in &changes.changes {
        writeln!(
            out,
            "{}",
            describe(lang, c, &changes.category_words, &quoted)
        )?;
        if let Some(reason) = &c.reason {
            writeln!(out, "  = {}", i18n::reason(lang, reason))?;
        }
        match (&c.new_at, &c.old_at) {
            (Some(new), Some(old)) => {
                writeln!(out, "  --> {new}\n  {} {old}", text(lang, "diff.was"))?
            }
            (Some(at), None) | (None, Some(at)) => writeln!(out, "  --> {at}")?,
            (None, None) => {}
        }
    }
    if !changes.is_empty() {
        writeln!(out)?;
    }
    writeln!(out, "{}", count_line(lang, changes))
}

/// The report as Markdown, by subject, written as it is made.
pub fn markdown(changes: &RegisterChanges, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    write!(
        out,
        "# {}\n\n{} · {}\n\n**{}**\n",
        i18n::labelled(
            lang,
            &text(lang, "diff.title"),
            &super::markdown_text(&changes.organisation)
        ),
        compared(lang, changes, &|s| format!("`{}`", s.replace('`', "'"))),
        text(lang, "meta.generated_by"),
        count_line(lang, changes)
    )?;
    for notice in read_notices(lang, changes) {
        write!(out, "\n> **{}**\n", super::markdown_text(&notice))?;
    }
    let bold = |s: &str| format!("**{}**", super::markdown_text(s));
    let cell = |at: &crate::model::Location| format!("`{}`", at.to_string().replace('`', "'"));
    let mut current: Option<Subject> = None;
    for c in &changes.changes {
        if current != Some(c.subject) {
            current = Some(c.subject);
            write!(
                out,
                "\n## {}\n\n",
                text(lang, &format!("diff.section.{}", c.subject.key()))
            )?;
        }
        writeln!(
            out,
            "- {}",
            describe(lang, c, &changes.category_words, &bold)
        )?;
        if let Some(reason) = &c.reason {
            writeln!(
                out,
                "  - {}",
                super::markdown_text(&i18n::reason(lang, reason))
            )?;
        }
        for (at, label) in [(&c.new_at, "diff.new_cell"), (&c.old_at, "diff.old_cell")] {
            if let Some(at) = at {
                writeln!(
                    out,
                    "  - {}{}{}",
                    text(lang, label),
                    i18n::colon(lang),
                    cell(at)
                )?;
            }
        }
    }
    Ok(())
}

/// The report as JSON, the changes with their typed values and cells, written as it is made.
pub fn json(changes: &RegisterChanges, out: &mut dyn Write) -> Result<(), super::ExportError> {
    super::json::stream(out, changes)
}
