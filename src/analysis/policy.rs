//! `ropa.toml`: the settings a privacy team keeps beside its register. Unknown keys are errors
//! that name their line, so a typo never silently changes a result.

use crate::diag::{Code, Diagnostic, Severity};
use crate::i18n::Lang;
use chrono::NaiveDate;
use foldhash::HashMap;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// The file name ropa looks for next to the inputs.
pub const FILE_NAME: &str = "ropa.toml";

/// The policy file's contents.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Policy {
    /// The date transfers are judged on (`--as-of` overrides it; default: today). Pin it to
    /// make reports reproducible. A TOML date (`2026-11-23`) or a string.
    #[serde(default, deserialize_with = "date")]
    pub as_of: Option<NaiveDate>,
    /// The languages reports are written in; the first is the main one (default: `["en"]`).
    pub languages: Option<Vec<Lang>>,
    /// The longest chain of processors data may pass through (organisation → processor →
    /// sub-processor … counts the processors); longer ones are `sub-processor-chain-too-deep`.
    pub max_chain_depth: Option<usize>,
    /// Days between a sub-processor change notice and the change taking effect (Art. 28(2)
    /// GDPR: customers must be able to object first). Default 30.
    pub notice_days: Option<u32>,
    /// Days customers have to object, counted from the notice; default: the notice period.
    pub objection_days: Option<u32>,
    /// Where customers send objections (an e-mail address or a web address); default: the
    /// organisation's e-mail, else its DPO.
    pub objection_contact: Option<String>,
    /// The web address the sub-processor page, the notices and the feed are published under;
    /// the feed links to them when it is set.
    pub publish_url: Option<String>,
    /// Earlier versions of registers, by register name, as paths relative to this file:
    /// `ropa build` writes what changed since into the register's `changes/` folder, with the
    /// customer notice and its feed.
    #[serde(default)]
    pub previous: BTreeMap<String, PathBuf>,
    /// Level per rule or diagnostic, by code (`R002`) or name (`orphan-processor`).
    #[serde(default)]
    pub rules: BTreeMap<toml::Spanned<String>, Level>,
}

/// How seriously to take a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Not reported.
    Allow,
    /// Reported as a warning.
    Warn,
    /// Reported as an error: `ropa check` exits with 1.
    Deny,
}

/// The default chain depth: the organisation's processor, its sub-processor and theirs.
pub const DEFAULT_MAX_CHAIN_DEPTH: usize = 3;

/// The default notice period for sub-processor changes, in days (AWS and GitHub give 30).
pub const DEFAULT_NOTICE_DAYS: u32 = 30;

/// Levels per code: the policy's, then the command line's on top.
#[derive(Debug, Clone, Default)]
pub struct Levels(HashMap<Code, Level>);

impl Levels {
    pub fn set(&mut self, code: Code, level: Level) {
        self.0.insert(code, level);
    }

    /// The severity a code is reported at: its level if set, else its default; `None` when
    /// allowed.
    pub fn severity(&self, code: Code) -> Option<Severity> {
        match self.0.get(&code) {
            Some(Level::Allow) => None,
            Some(Level::Warn) => Some(Severity::Warning),
            Some(Level::Deny) => Some(Severity::Error),
            None => Some(code.default_severity()),
        }
    }

    /// Applies the levels: `allow` drops a diagnostic, `warn` and `deny` set its severity.
    pub fn apply(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        diagnostics
            .into_iter()
            .filter_map(|d| match self.0.get(&d.code) {
                Some(Level::Allow) => None,
                Some(Level::Warn) => Some(d.severity(Severity::Warning)),
                Some(Level::Deny) => Some(d.severity(Severity::Error)),
                None => Some(d),
            })
            .collect()
    }
}

/// A TOML date literal or an ISO date string.
fn date<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<NaiveDate>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum DateValue {
        Toml(toml::value::Datetime),
        Text(String),
    }
    let text = match DateValue::deserialize(deserializer)? {
        DateValue::Toml(datetime) => datetime.to_string(),
        DateValue::Text(text) => text,
    };
    NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| serde::de::Error::custom(format!("`{text}` is not a date such as 2026-11-23")))
}

/// The policy file could not be used.
#[derive(Debug, Error)]
pub enum PolicyError {
    #[error("cannot read `{path}`")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

impl Policy {
    /// Parses a policy file's text; `path` names it in errors.
    pub fn parse(text: &str, path: &str) -> Result<Policy, PolicyError> {
        let line_of = |offset: usize| {
            text.as_bytes()[..offset.min(text.len())]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1
        };
        let policy: Policy = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|span| {
                text.as_bytes()[..span.start.min(text.len())]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
                    + 1
            });
            PolicyError::Invalid {
                path: match line {
                    Some(line) => format!("{path}:{line}"),
                    None => path.to_string(),
                },
                message: e.message().to_string(),
            }
        })?;
        for key in policy.rules.keys() {
            if Code::find(key.get_ref()).is_none() {
                return Err(PolicyError::Invalid {
                    path: format!("{path}:{}", line_of(key.span().start)),
                    message: format!(
                        "unknown rule `{}`; `ropa check --list-rules` lists them",
                        key.get_ref()
                    ),
                });
            }
        }
        Ok(policy)
    }

    /// The levels the policy sets.
    pub fn levels(&self) -> Levels {
        let mut levels = Levels::default();
        for (key, level) in &self.rules {
            if let Some(code) = Code::find(key.get_ref()) {
                levels.set(code, *level);
            }
        }
        levels
    }

    pub fn max_chain_depth(&self) -> usize {
        self.max_chain_depth.unwrap_or(DEFAULT_MAX_CHAIN_DEPTH)
    }

    /// The notice period for sub-processor changes, in days.
    pub fn notice_days(&self) -> u32 {
        self.notice_days.unwrap_or(DEFAULT_NOTICE_DAYS)
    }

    /// The days customers have to object: the policy's, else the notice period.
    pub fn objection_days(&self) -> u32 {
        self.objection_days.unwrap_or_else(|| self.notice_days())
    }

    /// Reads a policy file.
    pub fn read(path: &Path) -> Result<Policy, PolicyError> {
        let shown = path.to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(path).map_err(|source| PolicyError::Read {
            path: shown.clone(),
            source,
        })?;
        Policy::parse(&text, &shown)
    }

    /// The policy that applies to some inputs: `ropa.toml` in the first input folder (or the
    /// folder of the first input file, or its parent), or none.
    pub fn find(inputs: &[PathBuf]) -> Result<Option<(PathBuf, Policy)>, PolicyError> {
        let Some(first) = inputs.first() else {
            return Ok(None);
        };
        let mut candidates = Vec::new();
        if first.is_dir() {
            candidates.push(first.join(FILE_NAME));
        }
        if let Some(parent) = first.parent() {
            let parent = if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            };
            candidates.push(parent.join(FILE_NAME));
        }
        for candidate in candidates {
            if candidate.is_file() {
                return Ok(Some((candidate.clone(), Policy::read(&candidate)?)));
            }
        }
        Ok(None)
    }

    /// The report languages, English when none is set.
    pub fn languages(&self) -> Vec<Lang> {
        match &self.languages {
            Some(list) if !list.is_empty() => list.clone(),
            _ => vec![Lang::En],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_kebab_case_and_unknown_ones_name_their_line() {
        let policy = Policy::parse(
            "as-of = 2026-01-01\nlanguages = [\"en\", \"de\"]\n",
            "p.toml",
        )
        .unwrap();
        let quoted = Policy::parse("as-of = \"2026-01-01\"\n", "p.toml").unwrap();
        assert_eq!(quoted.as_of, policy.as_of);
        assert!(Policy::parse("as-of = \"soon\"\n", "p.toml").is_err());
        assert_eq!(policy.as_of, NaiveDate::from_ymd_opt(2026, 1, 1));
        assert_eq!(policy.languages(), [Lang::En, Lang::De]);
        let dutch_french = Policy::parse("languages = [\"nl\", \"fr\"]\n", "p.toml").unwrap();
        assert_eq!(dutch_french.languages(), [Lang::Nl, Lang::Fr]);
        let error = Policy::parse("languages = [\"es\"]\n", "p.toml").unwrap_err();
        assert!(
            error.to_string().contains("`en`, `de`, `nl`, `fr`"),
            "{error}"
        );
        let error = Policy::parse("as-of = 2026-01-01\n\nas_off = 1\n", "p.toml").unwrap_err();
        assert!(error.to_string().starts_with("p.toml:3: "), "{error}");
        assert!(error.to_string().contains("as_off"), "{error}");
        let rules = Policy::parse(
            "[rules]\nR002 = \"warn\"\norphan-processor = \"allow\"\n",
            "p.toml",
        )
        .unwrap();
        assert_eq!(
            rules.levels().0.get(&Code::InvalidTransferMechanism),
            Some(&Level::Warn)
        );
        assert_eq!(
            rules.levels().0.get(&Code::OrphanProcessor),
            Some(&Level::Allow)
        );
        let unknown = Policy::parse("[rules]\n\nR999 = \"deny\"\n", "p.toml").unwrap_err();
        assert!(
            unknown
                .to_string()
                .starts_with("p.toml:3: unknown rule `R999`"),
            "{unknown}"
        );
        let bad_level = Policy::parse("[rules]\nR001 = \"loud\"\n", "p.toml").unwrap_err();
        assert!(bad_level.to_string().starts_with("p.toml:2"), "{bad_level}");
    }

    #[test]
    fn notice_periods_default_to_thirty_days_and_objections_to_the_notice_period() {
        let default = Policy::parse("", "p.toml").unwrap();
        assert_eq!((default.notice_days(), default.objection_days()), (30, 30));
        let set = Policy::parse(
            "notice-days = 14\nobjection-contact = \"privacy@example.com\"\n",
            "p.toml",
        )
        .unwrap();
        assert_eq!((set.notice_days(), set.objection_days()), (14, 14));
        assert_eq!(
            set.objection_contact.as_deref(),
            Some("privacy@example.com")
        );
        let both = Policy::parse("notice-days = 30\nobjection-days = 10\n", "p.toml").unwrap();
        assert_eq!((both.notice_days(), both.objection_days()), (30, 10));
        assert!(Policy::parse("notice-days = -1\n", "p.toml").is_err());
        assert!(Policy::parse("notice_days = 30\n", "p.toml").is_err());
    }
}
