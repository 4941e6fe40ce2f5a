//! The documentation keeps up with the code: every diagnostic code has its section.

use ropa::diag::Code;

#[test]
fn every_diagnostic_code_is_documented() {
    let page = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/diagnostics.md"))
        .expect("docs/diagnostics.md exists");
    for code in Code::ALL {
        let heading = format!("## {} {}", code.as_str(), code.name());
        assert!(
            page.contains(&heading),
            "docs/diagnostics.md lacks `{heading}`"
        );
    }
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
