//! What code scanning needs of `ropa check --format sarif`: the official SARIF 2.1.0 schema
//! (committed in `tests/schemas/`, checked offline), the requirements GitHub code scanning
//! states, and, when it is installed, Microsoft's SARIF validator with the rule kinds `Sarif`
//! and `Gh` at levels error and warning. Shared via `#[path]`.
#![allow(dead_code)]

use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// Whether a URI reference is written only with the characters RFC 3986 allows, every `%`
/// starting an escape.
fn is_uri_reference(uri: &str) -> bool {
    let bytes = uri.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            if !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
            {
                return false;
            }
            i += 3;
            continue;
        }
        if !(b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&b)) {
            return false;
        }
        i += 1;
    }
    true
}

/// Problems the official schema finds.
pub fn schema_errors(sarif: &Value) -> Vec<String> {
    let mut schema: Value =
        serde_json::from_str(include_str!("../schemas/sarif-schema-2.1.0.json"))
            .expect("the committed schema is JSON");
    // The published schema's pattern for `language` has a stray `]` that the schema's own
    // `regex` format rejects; ropa writes no `language`, so the intended pattern stands in.
    fn fix_language(value: &mut Value, fixed: &mut usize) {
        match value {
            Value::String(s) if s == "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$" => {
                *s = "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$".to_string();
                *fixed += 1;
            }
            Value::Array(items) => items.iter_mut().for_each(|v| fix_language(v, fixed)),
            Value::Object(map) => map.values_mut().for_each(|v| fix_language(v, fixed)),
            _ => {}
        }
    }
    let mut fixed = 0;
    fix_language(&mut schema, &mut fixed);
    assert_eq!(fixed, 2, "the erratum is where it was");
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles");
    validator
        .iter_errors(sarif)
        .map(|e| format!("{e} (at {})", e.instance_path()))
        .collect()
}

/// Problems against GitHub code scanning's requirements.
pub fn github_errors(sarif: &Value) -> Vec<String> {
    let mut wrong = Vec::new();
    let mut check = |ok: bool, what: String| {
        if !ok {
            wrong.push(what);
        }
    };
    check(sarif["version"] == "2.1.0", "version 2.1.0".into());
    let runs = sarif["runs"].as_array().cloned().unwrap_or_default();
    check(runs.len() == 1, "one run".into());
    for run in &runs {
        let driver = &run["tool"]["driver"];
        check(driver["name"].is_string(), "tool.driver.name".into());
        let rules = driver["rules"].as_array().cloned().unwrap_or_default();
        check(!rules.is_empty(), "rules".into());
        for rule in &rules {
            let id = rule["id"].as_str().unwrap_or("?");
            for field in ["shortDescription", "fullDescription", "help"] {
                check(
                    rule[field]["text"]
                        .as_str()
                        .is_some_and(|t| !t.trim().is_empty()),
                    format!("rule {id}: {field}.text"),
                );
            }
            check(
                rule["helpUri"]
                    .as_str()
                    .is_some_and(|u| u.starts_with("https://") && is_uri_reference(u)),
                format!("rule {id}: absolute helpUri"),
            );
            check(
                rule["defaultConfiguration"]["level"].is_string(),
                format!("rule {id}: defaultConfiguration.level"),
            );
        }
        let base = run["originalUriBaseIds"]["SRCROOT"]["uri"]
            .as_str()
            .unwrap_or("");
        check(
            base.starts_with("file:///") && base.ends_with('/') && is_uri_reference(base),
            format!("originalUriBaseIds.SRCROOT is an absolute file URI ending in /: {base}"),
        );
        for (n, result) in run["results"].as_array().into_iter().flatten().enumerate() {
            let rule_id = result["ruleId"].as_str().unwrap_or("");
            let index = result["ruleIndex"].as_u64().unwrap_or(u64::MAX) as usize;
            check(
                rules.get(index).is_some_and(|r| r["id"] == rule_id),
                format!("result {n}: ruleIndex points at {rule_id}"),
            );
            check(
                result["message"]["text"]
                    .as_str()
                    .is_some_and(|t| !t.is_empty()),
                format!("result {n}: message.text"),
            );
            check(
                result["partialFingerprints"]
                    .as_object()
                    .is_some_and(|f| !f.is_empty()),
                format!("result {n}: partialFingerprints"),
            );
            let locations = result["locations"].as_array().cloned().unwrap_or_default();
            check(
                (1..=10).contains(&locations.len()),
                format!("result {n}: 1 to 10 locations"),
            );
            for location in locations
                .iter()
                .chain(result["relatedLocations"].as_array().into_iter().flatten())
            {
                let physical = &location["physicalLocation"];
                let uri = physical["artifactLocation"]["uri"].as_str().unwrap_or("");
                check(
                    is_uri_reference(uri) && !uri.is_empty(),
                    format!("result {n}: valid URI reference `{uri}`"),
                );
                check(
                    physical["artifactLocation"]["uriBaseId"] == "SRCROOT"
                        || uri.starts_with("file:///"),
                    format!("result {n}: `{uri}` is relative to SRCROOT or absolute"),
                );
                check(
                    physical["region"]["startLine"]
                        .as_u64()
                        .is_some_and(|l| l >= 1),
                    format!("result {n}: region.startLine"),
                );
            }
        }
    }
    wrong
}

/// Problems Microsoft's SARIF validator reports at error and warning level, or `None` when
/// `Sarif.Multitool` is not installed (`npm install -g @microsoft/sarif-multitool`).
pub fn multitool_errors(sarif: &[u8], dir: &Path) -> Option<Vec<String>> {
    let input = dir.join("check.sarif");
    let output = dir.join("validation.sarif");
    std::fs::write(&input, sarif).unwrap();
    let ran = Command::new("Sarif.Multitool")
        .arg("validate")
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .args(["--rule-kind", "Sarif;Gh", "--level", "Error;Warning"])
        .output()
        .ok()?;
    assert!(
        ran.status.success(),
        "the validator failed ({}): {}{}",
        ran.status,
        String::from_utf8_lossy(&ran.stdout),
        String::from_utf8_lossy(&ran.stderr)
    );
    let report: Value = serde_json::from_slice(&std::fs::read(&output).unwrap()).unwrap();
    Some(
        report["runs"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|run| run["results"].as_array().cloned().unwrap_or_default())
            .map(|r| {
                format!(
                    "{} {}: {}",
                    r["level"].as_str().unwrap_or("warning"),
                    r["ruleId"].as_str().unwrap_or(""),
                    r["message"]
                )
            })
            .collect(),
    )
}

/// Asserts all three on a SARIF log; `what` names it in failures.
#[allow(clippy::print_stderr)] // says in the test log that the validator was skipped
pub fn assert_code_scanning_accepts(bytes: &[u8], what: &str) {
    let sarif: Value = serde_json::from_slice(bytes).expect("SARIF is JSON");
    let schema = schema_errors(&sarif);
    assert!(schema.is_empty(), "{what}: schema: {schema:#?}");
    let github = github_errors(&sarif);
    assert!(github.is_empty(), "{what}: GitHub: {github:#?}");
    let dir = tempfile::tempdir().unwrap();
    match multitool_errors(bytes, dir.path()) {
        Some(found) => assert!(found.is_empty(), "{what}: Sarif.Multitool: {found:#?}"),
        None => eprintln!("{what}: Sarif.Multitool is not installed; its check was skipped"),
    }
}
