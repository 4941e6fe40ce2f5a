//! Registers and published lists written by others, in the layouts of public templates (ICO,
//! CNIL, DSK, AP/VNG, AEPD, Garante, an Austrian one-sheet VVT) and as vendors publish them
//! (GitHub, Basecamp, HEY, Kinde, Embrace, a CSV with region lines, an xlsx with a repeated
//! header): each is read to exactly the activities, processors and organisation its
//! `<file>.expected.json` states. The fixtures and their sources are listed in the README.md
//! beside them.

use ropa::import::{self, Imported};
use ropa::model::{Activity, Place, Processor, Tristate};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixtures(folder: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(folder);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            dir.join(format!(
                "{}.expected.json",
                p.file_name().unwrap().to_string_lossy()
            ))
            .exists()
        })
        .collect();
    files.sort();
    files
}

fn expected(path: &Path) -> Value {
    let json = path.with_file_name(format!(
        "{}.expected.json",
        path.file_name().unwrap().to_string_lossy()
    ));
    serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap()
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn place(code: &str) -> Place {
    match code {
        "EU" => Place::Eu,
        "EEA" => Place::Eea,
        "worldwide" => Place::Worldwide,
        _ => Place::Country(code.into()),
    }
}

fn tristate(text: &str) -> Tristate {
    match text {
        "yes" => Tristate::Yes,
        "no" => Tristate::No,
        _ => Tristate::Unknown,
    }
}

fn contains(haystack: Option<&str>, needle: &str) -> bool {
    haystack.is_some_and(|h| h.replace('\n', " ").contains(needle))
}

/// What the importer got wrong about one fixture, layout first.
fn check(path: &Path, imported: &Imported) -> Vec<String> {
    let want = expected(path);
    let r = &imported.register;
    let mut wrong = Vec::new();
    let mut differ = |what: String| wrong.push(what);

    if let Some(org) = want["organisation"].as_object() {
        let o = &r.organisation;
        if let Some(name) = org.get("name").and_then(Value::as_str)
            && o.name != name
        {
            differ(format!("organisation name `{}`, expected `{name}`", o.name));
        }
        if let Some(country) = org.get("country").and_then(Value::as_str)
            && o.country != Some(place(country))
        {
            differ(format!(
                "organisation country {:?}, expected {country}",
                o.country
            ));
        }
        if let Some(email) = org.get("email").and_then(Value::as_str)
            && !contains(o.email.as_deref(), email)
        {
            differ(format!(
                "organisation email {:?}, expected {email}",
                o.email
            ));
        }
        for (key, value) in [
            ("address_contains", &o.address),
            ("dpo_contains", &o.dpo),
            ("representative_contains", &o.representative),
        ] {
            if let Some(needle) = org.get(key).and_then(Value::as_str)
                && !contains(value.as_deref(), needle)
            {
                differ(format!("organisation {key} {value:?}, expected `{needle}`"));
            }
        }
    }

    let names = |items: &Value| -> Vec<String> {
        let mut names: Vec<String> = items
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| a["name"].as_str().map(str::to_string))
            .collect();
        names.sort();
        names
    };
    if want.get("activities").is_some() {
        let mut got: Vec<String> = r.activities.iter().map(|a| a.name.to_string()).collect();
        got.sort();
        let expected = names(&want["activities"]);
        if got != expected {
            differ(format!("activities {got:?}, expected {expected:?}"));
        }
    }
    if want.get("processors").is_some() {
        let mut got: Vec<String> = r
            .processors
            .iter()
            .filter(|p| !p.implicit)
            .map(|p| p.name.to_string())
            .collect();
        got.sort();
        got.dedup();
        let mut expected = names(&want["processors"]);
        expected.dedup();
        if got != expected {
            differ(format!("processors {got:?}, expected {expected:?}"));
        }
    }
    for text in strings(&want["not_entities"]) {
        if r.activities.iter().any(|a| a.name == text)
            || r.processors.iter().any(|p| p.name == text)
        {
            differ(format!("`{text}` became an entity"));
        }
    }

    for a in want["activities"].as_array().into_iter().flatten() {
        let Some(name) = a["name"].as_str() else {
            continue;
        };
        let Some(got) = r.activities.iter().find(|x| x.name == name) else {
            continue;
        };
        wrong.extend(check_activity(name, got, a));
    }
    // A provider listed on several rows (once per region or service) is one processor with
    // all their places, services and groups.
    let listed: Vec<&Value> = want["processors"]
        .as_array()
        .into_iter()
        .flatten()
        .collect();
    for p in &listed {
        let Some(name) = p["name"].as_str() else {
            continue;
        };
        let Some(got) = r.processors.iter().find(|x| x.name == name) else {
            continue;
        };
        let rows: Vec<&&Value> = listed
            .iter()
            .filter(|q| q["name"].as_str() == Some(name))
            .collect();
        if rows.len() > 1 {
            let mut places: Vec<Place> = Vec::new();
            for q in &rows {
                for code in strings(&q["locations"]) {
                    if !places.contains(&place(&code)) {
                        places.push(place(&code));
                    }
                }
            }
            let mut got_places = got.effective_locations();
            got_places.sort();
            places.sort();
            if got_places != places {
                wrong.push(format!(
                    "{name}: locations {got_places:?}, expected {places:?} (all its rows)"
                ));
            }
            let mut one = (*p).clone();
            one["locations"] = Value::Null;
            one["country"] = Value::Null;
            wrong.extend(check_processor(name, got, &one));
        } else {
            wrong.extend(check_processor(name, got, p));
        }
    }
    wrong
}

fn check_activity(name: &str, got: &Activity, want: &Value) -> Vec<String> {
    let mut wrong = Vec::new();
    if let Some(needle) = want["purpose_contains"].as_str()
        && !contains(got.purpose.as_deref(), needle)
    {
        wrong.push(format!(
            "{name}: purpose {:?}, expected `{needle}`",
            got.purpose
        ));
    }
    let bases = strings(&want["legal_basis"]);
    if want.get("legal_basis").is_some() {
        let mut have: Vec<String> = got
            .legal_basis
            .iter()
            .map(|b| {
                serde_json::to_value(b)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        have.sort();
        let mut bases = bases;
        bases.sort();
        if have != bases {
            wrong.push(format!("{name}: legal bases {have:?}, expected {bases:?}"));
        }
    }
    for (key, have) in [
        (
            "data_subjects",
            got.data_subjects
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>(),
        ),
        (
            "data_categories",
            got.data_categories
                .iter()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>(),
        ),
    ] {
        for item in strings(&want[key]) {
            if !have.iter().any(|h| *h == item) {
                wrong.push(format!("{name}: {key} {have:?} lacks `{item}`"));
            }
        }
    }
    let recipients: Vec<&str> = got
        .recipients
        .iter()
        .map(|r| r.text.as_str())
        .chain(
            got.details()
                .recipient_categories
                .iter()
                .map(|c| c.as_str()),
        )
        .collect();
    for item in strings(&want["recipients"]) {
        if !recipients.contains(&item.as_str()) {
            wrong.push(format!("{name}: recipients {recipients:?} lack `{item}`"));
        }
    }
    // What the cells mean: special categories wherever stated, the Art. 9(2) condition, and
    // the transfers stated per activity.
    if want.get("special").is_some() {
        let mut have: Vec<String> = got
            .details()
            .special_categories
            .iter()
            .map(|s| s.kind.key().to_string())
            .collect();
        have.sort();
        have.dedup();
        let mut special = strings(&want["special"]);
        special.sort();
        if have != special {
            wrong.push(format!(
                "{name}: special categories {have:?}, expected {special:?}"
            ));
        }
    }
    if let Some(letter) = want["art9_letter"].as_str() {
        let have: Vec<String> = got
            .details()
            .art9_conditions
            .iter()
            .map(|c| c.to_string())
            .collect();
        if !have.iter().any(|h| h == letter) {
            wrong.push(format!(
                "{name}: Art. 9(2) conditions {have:?}, expected ({letter})"
            ));
        }
    }
    if let Some(transfers) = want["transfers"].as_array() {
        let mechanism = |m: Option<&str>| match m {
            None | Some("none") => "-".to_string(),
            Some(other) if other.starts_with("scc") => "scc".to_string(),
            Some(other) => other.to_string(),
        };
        let mut have: Vec<String> = got
            .details()
            .transfers
            .iter()
            .map(|t| {
                format!(
                    "{}:{}",
                    t.place,
                    mechanism(t.mechanisms.first().map(|m| m.key()))
                )
            })
            .collect();
        have.sort();
        let mut expected: Vec<String> = transfers
            .iter()
            .map(|t| {
                format!(
                    "{}:{}",
                    t["country"].as_str().unwrap_or("non-EEA"),
                    mechanism(t["mechanism"].as_str())
                )
            })
            .collect();
        expected.sort();
        if have != expected {
            wrong.push(format!("{name}: transfers {have:?}, expected {expected:?}"));
        }
    }
    wrong
}

fn check_processor(name: &str, got: &Processor, want: &Value) -> Vec<String> {
    let mut wrong = Vec::new();
    if let Some(country) = want["country"].as_str()
        && got.country != Some(place(country))
    {
        wrong.push(format!(
            "{name}: country {:?}, expected {country}",
            got.country
        ));
    }
    let locations: Vec<Place> = strings(&want["locations"])
        .iter()
        .map(|c| place(c))
        .collect();
    if !locations.is_empty() && got.effective_locations() != locations {
        wrong.push(format!(
            "{name}: locations {:?}, expected {locations:?}",
            got.effective_locations()
        ));
    }
    if let Some(needle) = want["service_contains"].as_str()
        && !contains(got.service.as_deref(), needle)
    {
        wrong.push(format!(
            "{name}: service {:?}, expected `{needle}`",
            got.service
        ));
    }
    if let Some(group) = want["group"].as_str()
        && !got.groups.iter().any(|g| g == group)
    {
        wrong.push(format!(
            "{name}: groups {:?}, expected `{group}`",
            got.groups
        ));
    }
    for (key, have) in [
        ("dpa", got.dpa.status),
        ("dpf_certified", got.dpf_certified),
    ] {
        if let Some(text) = want[key].as_str()
            && have != tristate(text)
        {
            wrong.push(format!("{name}: {key} {have:?}, expected {text}"));
        }
    }
    if want.get("mechanisms").is_some() {
        // A cell that says there is none (`–`) is no mechanism either way.
        let have: Vec<&str> = got
            .transfer_mechanisms
            .iter()
            .map(|m| m.key())
            .filter(|m| *m != "none")
            .collect();
        let expected: Vec<String> = strings(&want["mechanisms"])
            .into_iter()
            .filter(|m| m != "none")
            .collect();
        if have != expected {
            wrong.push(format!(
                "{name}: mechanisms {have:?}, expected {expected:?}"
            ));
        }
    }
    wrong
}

fn check_all(folder: &str) {
    let mut report = Vec::new();
    for path in fixtures(folder) {
        let imported = import::load("test", std::slice::from_ref(&path)).unwrap();
        for what in check(&path, &imported) {
            report.push(format!(
                "{}: {what}",
                path.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    assert!(
        report.is_empty(),
        "{} differences:\n{}",
        report.len(),
        report.join("\n")
    );
}

#[test]
fn registers_in_public_template_layouts_read_exactly() {
    check_all("registers");
}

#[test]
fn published_sub_processor_lists_read_exactly() {
    check_all("lists");
}
