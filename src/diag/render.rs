//! The one place diagnostics become text. Human output follows rustc's layout and always
//! carries ANSI styles; the caller's stream strips them when colour is off.

use super::{Counts, Diagnostic, Severity};
use crate::model::text::printable;
use anstyle::{AnsiColor, Style};
use std::io::{self, Write};

fn severity_style(severity: Severity) -> Style {
    let colour = match severity {
        Severity::Error => AnsiColor::Red,
        Severity::Warning => AnsiColor::Yellow,
        Severity::Info => AnsiColor::Cyan,
    };
    Style::new().fg_color(Some(colour.into())).bold()
}

const ARROW: Style = Style::new()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Blue)))
    .bold();
const BOLD: Style = Style::new().bold();

/// Writes one diagnostic:
///
/// ```text
/// warning[I008]: country read from free text: `US- EU/USprivacyshield in place.`
///   --> inputs/dyflexis.xlsx:Unterauftragsverarbeiter!D5
///    = help: ...
/// ```
pub fn human(d: &Diagnostic, out: &mut dyn Write) -> io::Result<()> {
    human_noted(d, None, out)
}

/// Writes one diagnostic as [`human`] does, with `note` (what the rule checks, in the reader's
/// language) under its first line.
pub fn human_noted(d: &Diagnostic, note: Option<&str>, out: &mut dyn Write) -> io::Result<()> {
    // Names from the register must not drive the terminal: no escapes, no bidi overrides.
    let style = severity_style(d.severity);
    writeln!(
        out,
        "{style}{}[{}]{style:#}{BOLD}: {}{BOLD:#}",
        d.severity,
        d.code,
        printable(&d.message)
    )?;
    if let Some(note) = note {
        writeln!(out, "   {ARROW}={ARROW:#} {}", printable(note))?;
    }
    if let Some(location) = &d.location {
        writeln!(
            out,
            "  {ARROW}-->{ARROW:#} {}",
            printable(&location.to_string())
        )?;
    }
    for related in &d.related {
        writeln!(
            out,
            "   {ARROW}={ARROW:#} note: {}: {}",
            printable(&related.message),
            printable(&related.location.to_string())
        )?;
    }
    if let Some(help) = &d.help {
        writeln!(out, "   {ARROW}={ARROW:#} help: {}", printable(help))?;
    }
    Ok(())
}

/// Writes every diagnostic followed by a blank line each.
pub fn human_all<'d>(
    diagnostics: impl IntoIterator<Item = &'d Diagnostic>,
    out: &mut dyn Write,
) -> io::Result<()> {
    for d in diagnostics {
        human(d, out)?;
        writeln!(out)?;
    }
    Ok(())
}

/// The closing count line: `3 errors, 12 warnings, 4 infos`.
pub fn summary_line(counts: Counts) -> String {
    fn plural(n: usize, word: &str) -> String {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    }
    format!(
        "{}, {}, {}",
        plural(counts.errors, "error"),
        plural(counts.warnings, "warning"),
        plural(counts.infos, "info")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;
    use crate::model::Location;

    #[test]
    fn human_output_names_code_location_and_help() {
        let d = Diagnostic::new(Code::UnknownCountry, "unknown country `Atlantis`")
            .at(Location::in_file("in/p.csv").at_row(7).at_column(3))
            .help("write an ISO code");
        let mut out = Vec::new();
        human(&d, &mut out).unwrap();
        let plain = anstream::adapter::strip_str(std::str::from_utf8(&out).unwrap()).to_string();
        assert_eq!(
            plain,
            "warning[I007]: unknown country `Atlantis`\n  --> in/p.csv:7:3\n   = help: write an ISO code\n"
        );
    }
}
