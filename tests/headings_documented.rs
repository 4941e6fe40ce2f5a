//! Every heading `docs/register-format.md` promises is one the importer maps to that key.

use ropa::model::TableKind;
use ropa::vocabulary::headings::{CONFIDENT, score};

fn kind(section: &str) -> Option<TableKind> {
    TableKind::ALL.into_iter().find(|k| k.name() == section)
}

/// (table, key, heading) for every heading listed in the page's column tables.
fn documented() -> Vec<(TableKind, String, String, bool)> {
    let page = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/register-format.md"
    ))
    .unwrap();
    let mut out = Vec::new();
    let mut table = None;
    for line in page.lines() {
        if let Some(section) = line.strip_prefix("### ") {
            table = kind(section.trim());
            continue;
        }
        let Some(table) = table else { continue };
        if !line.starts_with("| ") || line.starts_with("| key") || line.starts_with("|---") {
            continue;
        }
        let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
        let headings = cells.last().unwrap();
        if headings.starts_with("as for") {
            continue;
        }
        let keys: Vec<&str> = cells[0].split(", ").collect();
        // Template tags such as `[ICO, Fides]` name sources, not headings.
        let mut untagged = String::new();
        let mut depth = 0;
        for c in headings.chars() {
            match c {
                '[' => depth += 1,
                ']' => depth -= 1,
                _ if depth == 0 => untagged.push(c),
                _ => {}
            }
        }
        for group in untagged.split(" · ") {
            let group = ["EN ", "DE ", "NL ", "FR ", "ES ", "IT "]
                .iter()
                .fold(group.trim(), |g, tag| g.trim_start_matches(tag));
            for heading in group.split(", ") {
                let heading = heading.trim().trim_matches('`').trim();
                if heading.is_empty() {
                    continue;
                }
                // A row for several keys (`email, phone, website`) lists their headings in
                // order; it is enough that the heading maps to one of them.
                // A row whose meaning says `beside` documents headings that mean the key only
                // next to another column (`Entity Name` beside a name column).
                let contextual = cells.iter().any(|c| c.contains("beside"));
                out.push((table, keys.join(","), heading.to_string(), contextual));
            }
        }
    }
    out
}

#[test]
fn documented_headings_map_to_their_keys() {
    let listed = documented();
    assert!(
        listed.len() > 200,
        "the page's tables were found: {}",
        listed.len()
    );
    let mut wrong = Vec::new();
    for (table, keys, heading, contextual) in &listed {
        // The documented key must be among the heading's best confident matches in its table
        // (`Unterauftragsverarbeiter` names a processor and its sub-processors equally well;
        // the column's position decides).
        let matches = score(*table, heading);
        let best = matches.first().map(|m| m.score).unwrap_or(0);
        let found: Vec<&str> = matches
            .iter()
            .filter(|m| (m.score >= CONFIDENT && m.score == best) || (*contextual && m.score > 0))
            .map(|m| m.field)
            .collect();
        let keys: Vec<&str> = keys.split(',').map(|k| k.trim_matches('`')).collect();
        if !found.iter().any(|f| keys.contains(f)) {
            wrong.push(format!(
                "{}: `{heading}` → {found:?}, documented as {keys:?}",
                table.name()
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} headings differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
