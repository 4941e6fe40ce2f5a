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
