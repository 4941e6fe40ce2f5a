//! Hostile names: text a register may hold that breaks outputs which do not escape it. Formula
//! prefixes, quotes, angle brackets, `<script>`, control characters, right-to-left marks and
//! overrides, a path, and very long names. `write_register` puts them into a small CSV
//! register, in a folder whose name needs percent-encoding, as processors, an activity, a
//! system and a customer, so every output that shows names shows them. Shared by the output
//! tests (and meant for the HTML report's) via `#[path]`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The folder the register is written to: a space, an umlaut, `#` and `%` in one name.
pub const FOLDER: &str = "Verträge #1 100% ok";

/// The hostile names, each a processor of the register.
pub fn names() -> Vec<String> {
    vec![
        "=HYPERLINK(\"http://evil.example\",\"click\")".to_string(),
        "+SUM(1+1)*cmd|' /C calc'!A0".to_string(),
        "-2+3 Minus GmbH".to_string(),
        "@SUM(A1) At Ltd".to_string(),
        "\"Quoted\" 'Vendor' Inc.".to_string(),
        "<b>Bold</b> & Co | Pipe".to_string(),
        "<script>alert(1)</script> Script SA".to_string(),
        "Bell\u{7}Escape\u{1b}[31mRed\u{1b}[0m Ltd".to_string(),
        "\u{202e}gpj.exe\u{202c} Override BV".to_string(),
        "שירותי ענן בע\"מ \u{200f}Mark".to_string(),
        "../../escape/Path Oy".to_string(),
        format!("Long {} AG", "x".repeat(300)),
        format!("Huge {} AG", "y".repeat(40_000)),
        IMG.to_string(),
    ]
}

/// An element whose handler would run as soon as a page parses it, and say so in the title.
pub const IMG: &str = "<img src=x onerror=\"document.title='pwned'\"> Image GmbH";

/// A CSV field, quoted.
fn field(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// Writes the register into `parent/FOLDER` and returns that folder.
pub fn write_register(parent: &Path) -> PathBuf {
    let dir = parent.join(FOLDER);
    std::fs::create_dir_all(&dir).unwrap();
    let names = names();
    let mut processors =
        String::from("Name,Service,Country,Transfer mechanism,DPA,Personal data\n");
    for name in &names {
        processors.push_str(&format!(
            "{},{},US,,yes,{}\n",
            field(name),
            field(&format!("Service of {name}")),
            field(name)
        ));
    }
    std::fs::write(dir.join("processors.csv"), processors).unwrap();
    let recipients = names.join(";");
    std::fs::write(
        dir.join("activities.csv"),
        format!(
            "Name,Purpose,Legal basis,Data subjects,Personal data,Recipients,Systems,Retention,Security measures\n{},{},consent,{},{},{},{},1 year,{}\n",
            field(&names[6]),
            field(&names[0]),
            field(&names[5]),
            field(&names[8]),
            field(&recipients),
            field(&names[7]),
            field(&names[1]),
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("systems.csv"),
        format!(
            "Name,Hosted by\n{},{}\n",
            field(&names[7]),
            field(&names[0])
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("organisation.csv"),
        format!(
            "Key,Value\nName,{}\nRole,controller\nCountry,DE\n",
            field(&names[5])
        ),
    )
    .unwrap();
    dir
}

/// Words of the names that every output keeps, whatever it escapes around them.
pub const MARKERS: &[&str] = &[
    "Minus GmbH",
    "At Ltd",
    "Script SA",
    "Override BV",
    "Path Oy",
    "Image GmbH",
];

/// Characters no output may carry from a name: controls (but line breaks and tabs) and bidi
/// embeddings, overrides and isolates.
pub fn is_hostile_char(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// For an HTML report built from `write_register`'s register: the page shows every name as
/// text. No element from a name (`<script>`, `<b>`, `<img onerror>`), no live link to
/// `evil.example`, no control character or bidi override; the names are there, escaped. Holds
/// for the file and for the DOM a browser made of it.
pub fn assert_html_shows_names_as_text(html: &str) {
    assert!(
        !html.contains("<script>alert(1)</script>"),
        "a live <script> from a name"
    );
    assert!(!html.contains("<b>Bold</b>"), "a live <b> from a name");
    assert!(!html.contains("<img"), "a live <img> from a name");
    assert!(
        html.contains("&lt;img src=x onerror="),
        "the <img onerror> name is not shown escaped"
    );
    assert!(
        !html.contains("href=\"http://evil.example"),
        "a live link from a formula"
    );
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the <script> name is not shown escaped"
    );
    assert!(
        !html.chars().any(is_hostile_char),
        "a control character or bidi override"
    );
    for marker in MARKERS {
        assert!(html.contains(marker), "no `{marker}`");
    }
}
