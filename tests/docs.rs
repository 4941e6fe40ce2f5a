//! The documentation keeps up with the code: every diagnostic code has its section.

use ropa::diag::Code;

#[test]
fn every_diagnostic_code_is_documented() {
    let page = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/diagnostics.md"))
        .expect("docs/diagnostics.md exists");
    for code in Code::ALL.iter().filter(|c| !c.is_rule()) {
        let heading = format!("## {} {}", code.as_str(), code.name());
        assert!(
            page.contains(&heading),
            "docs/diagnostics.md lacks `{heading}`"
        );
    }
}

#[test]
fn every_rule_has_a_doc_page_with_the_required_sections() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules");
    let index = std::fs::read_to_string(format!("{dir}/README.md")).expect("docs/rules/README.md");
    for code in Code::ALL.iter().filter(|c| c.is_rule()) {
        let path = format!("{dir}/{}.md", code.as_str());
        let page = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{path} is missing"));
        let title = format!("# {} {}", code.as_str(), code.name());
        assert!(page.starts_with(&title), "{path} must start with `{title}`");
        for section in [
            "## What it checks",
            "## Why it matters",
            "## Example",
            "## How to fix",
        ] {
            assert!(page.contains(section), "{path} lacks `{section}`");
        }
        assert!(
            index.contains(code.as_str()),
            "docs/rules/README.md does not list {code}"
        );
    }
}

#[test]
fn rules_and_codes_are_one_registry() {
    use ropa::analysis::rules::RULES;
    let rule_codes: Vec<Code> = RULES.iter().map(|r| r.code).collect();
    let codes: Vec<Code> = Code::ALL.iter().copied().filter(|c| c.is_rule()).collect();
    assert_eq!(
        rule_codes, codes,
        "every rule code has exactly one rule, in order"
    );
}

#[test]
fn the_readme_gives_the_two_commands() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(readme.contains("cargo run --release -- build"));
    assert!(readme.contains("cargo test"));
    let ci = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/run")).unwrap();
    assert!(
        ci.contains("cargo test"),
        ".ci/run runs the README's test command"
    );
}

/// The generated part of `docs/reference-data.md`: every row of the embedded reference data
/// with its source, so a lawyer can audit the data without reading CSV.
fn reference_tables() -> String {
    use ropa::reference::{self, HrData, PlaceKind, Standing};
    let data = reference::data();
    let cell = |text: &str| text.replace('|', "\\|").replace('\n', " ");
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let link = |urls: &str| {
        urls.split(" ; ")
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(|u| format!("<{u}>"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut out = String::new();
    out.push_str("## Places (`src/reference/data/jurisdictions.csv`)\n\n");
    out.push_str(
        "| place | kind | standing | from | until | act (CELEX; OJ) | scope | HR data | source | checked | note |\n|---|---|---|---|---|---|---|---|---|---|---|\n",
    );
    for p in &data.periods {
        let kind = match p.kind {
            PlaceKind::Country => "country",
            PlaceKind::Territory => "territory",
            PlaceKind::InternationalOrganisation => "international organisation",
        };
        let standing = match p.standing {
            Standing::Eu => "EU",
            Standing::Eea => "EEA",
            Standing::Bridge => "TCA bridge (no transfer)",
            Standing::Adequate => "adequate",
            Standing::AdequatePartial => "adequate, limited scope",
            Standing::ThirdCountry => "third country",
        };
        let hr = match p.hr_data {
            HrData::Covered => "",
            HrData::Outside => "largely outside",
            HrData::CertifiedOnly => "only if certified",
        };
        let act = [p.decision.as_str(), p.celex.as_str(), p.oj.as_str()]
            .into_iter()
            .filter(|t| !t.is_empty() && *t != "none")
            .collect::<Vec<_>>()
            .join("; ");
        out.push_str(&format!(
            "| {} {} | {kind} | {standing} | {} | {} | {} | {} | {hr} | {} | {} | {} |\n",
            p.code,
            cell(&p.name),
            date(p.from),
            date(p.until),
            cell(&act),
            cell(&p.scope),
            link(&p.source_url),
            cell(&p.verified),
            cell(&p.note),
        ));
    }
    out.push_str("\n## Transfer tools (`src/reference/data/mechanisms.csv`)\n\n");
    out.push_str(
        "| key | provision | instrument (CELEX; OJ) | from | until | grace until | ended by | TIA expected from | onward transfers | source | checked | note |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n",
    );
    for t in &data.tools {
        let instrument = [t.instrument.as_str(), t.celex.as_str(), t.oj.as_str()]
            .into_iter()
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            t.key,
            cell(&t.article),
            cell(&instrument),
            date(t.valid_from),
            date(t.valid_until),
            date(t.grace_until),
            cell(&t.ended_by),
            date(t.tia_expected_from),
            cell(&t.onward_terms),
            link(&t.source_url),
            cell(&t.verified),
            cell(&t.note),
        ));
    }
    out.push_str("\n## Legal texts and judgments (`src/reference/data/law.csv`)\n\n");
    out.push_str(
        "| id | title | CELEX or case | date | source | note |\n|---|---|---|---|---|---|\n",
    );
    for l in &data.law {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            l.id,
            cell(&l.title),
            cell(&l.celex_or_case),
            date(l.date),
            link(&l.url),
            cell(&l.note),
        ));
    }
    out
}

#[test]
fn reference_data_page_lists_every_row_with_its_source() {
    const MARKER: &str =
        "<!-- Generated from src/reference/data by tests/docs.rs: do not edit below. -->\n";
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/reference-data.md");
    let page = std::fs::read_to_string(path).expect("docs/reference-data.md exists");
    let (intro, generated) = page
        .split_once(MARKER)
        .expect("docs/reference-data.md has the generated-part marker");
    let expected = reference_tables();
    if generated != expected {
        if std::env::var_os("ROPA_BLESS").is_some() {
            std::fs::write(path, format!("{intro}{MARKER}{expected}")).unwrap();
        } else {
            panic!(
                "docs/reference-data.md is stale: run `ROPA_BLESS=1 cargo test --test docs` and commit it"
            );
        }
    }
    let data = ropa::reference::data();
    for p in &data.periods {
        assert!(!p.source_url.trim().is_empty(), "{} has no source", p.code);
    }
    assert!(
        expected.matches("\n| ").count() >= data.periods.len() + data.tools.len() + data.law.len()
    );
    assert!(!expected.to_lowercase().contains("unconfirmed"));
}
