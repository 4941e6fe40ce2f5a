//! Diagnostics: what ropa has to say about a register, as data. Rendering lives in
//! [`render`]; every code is listed once in [`codes`].

pub mod codes;
pub mod render;

pub use codes::Code;

use crate::model::{List, Location};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

/// Where ropa and its documentation live; rule help URIs point at the pages under `docs/`.
pub const HOMEPAGE: &str = "https://github.com/ropa/ropa";

/// The documentation page of a code, relative to `docs/`: a rule's own page, or a
/// diagnostic's section of `diagnostics.md`.
pub fn doc_page(code: Code) -> String {
    if code.is_rule() {
        format!("rules/{}.md", code.as_str())
    } else {
        format!(
            "diagnostics.md#{}-{}",
            code.as_str().to_lowercase(),
            code.name()
        )
    }
}

/// The absolute URI of a code's documentation page.
pub fn help_uri(code: Code) -> String {
    format!("{HOMEPAGE}/blob/main/docs/{}", doc_page(code))
}

/// How serious a diagnostic is. Errors make `ropa` exit with 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

/// One thing ropa has to say: a code, a severity, a message, where, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    /// At its exact length: a large register has a hundred thousand findings, and a formatted
    /// message keeps room for up to as much again.
    pub message: Box<str>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Most rules give every finding the same help, so a fixed text is not copied into each.
    pub help: Option<Cow<'static, str>>,
    /// Other places involved, such as the first of two duplicates (few findings have any).
    #[serde(default, skip_serializing_if = "List::is_empty")]
    pub related: List<Related>,
}

/// A secondary place a diagnostic points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Related {
    pub location: Location,
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic at the code's default severity.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.default_severity(),
            message: message.into().into_boxed_str(),
            location: None,
            help: None,
            related: List::new(),
        }
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn help(mut self, help: impl Into<Cow<'static, str>>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn related(mut self, location: Location, message: impl Into<String>) -> Self {
        self.related.push(Related {
            location,
            message: message.into(),
        });
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Stable order for output: by file, sheet, row, column, then code and message.
    fn sort_key(&self) -> impl Ord + '_ {
        let loc = self.location.as_ref();
        (
            loc.map(|l| l.file()),
            loc.and_then(|l| l.sheet()),
            loc.and_then(|l| l.row),
            loc.and_then(|l| l.column),
            self.code,
            &self.message,
        )
    }
}

/// Sorts diagnostics into their stable output order and drops exact repeats.
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
}

/// Counts per severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let mut counts = Counts::default();
        for d in diagnostics {
            counts.add(d.severity);
        }
        counts
    }

    /// Counts one more diagnostic of this severity.
    pub fn add(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
    }
}
