//! What `build`, `export` and `check` share: settings from the command line and the policy,
//! and the run of import → graph → analysis → findings for each register.

use super::registers::{self, Loaded, RegisterInput};
use crate::analysis::policy::{Level, Levels, Policy};
use crate::analysis::{self, TransferAnalysis};
use crate::diag::{Code, Diagnostic};
use crate::graph::FlowGraph;
use crate::i18n::Lang;
use crate::import::Overrides;
use crate::model::Register;
use anyhow::{Result, bail};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// `-D`, `-W` and `-A`: levels for codes, on top of the policy's.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct LevelArgs {
    /// Report CODE (or rule name) as an error; repeatable.
    #[arg(short = 'D', long = "deny", value_name = "CODE")]
    pub deny: Vec<String>,
    /// Report CODE as a warning; repeatable.
    #[arg(short = 'W', long = "warn", value_name = "CODE")]
    pub warn: Vec<String>,
    /// Do not report CODE; repeatable.
    #[arg(short = 'A', long = "allow", value_name = "CODE")]
    pub allow: Vec<String>,
}

/// The settings a run uses.
pub struct Settings {
    pub as_of: NaiveDate,
    pub languages: Vec<Lang>,
    pub levels: Levels,
    pub max_chain_depth: usize,
    /// The policy's terms for sub-processor notices.
    pub notice: NoticePolicy,
    /// Earlier versions of registers by register name, resolved against the policy's folder.
    pub previous: std::collections::BTreeMap<String, PathBuf>,
}

/// What the policy says about sub-processor notices.
#[derive(Debug, Clone)]
pub struct NoticePolicy {
    pub notice_days: u32,
    pub objection_days: u32,
    pub objection_contact: Option<String>,
    pub publish_url: Option<String>,
}

/// Settings: the command line first, then the policy (`--policy` or `ropa.toml` beside the
/// inputs), then defaults (today, English).
pub fn settings(
    inputs: &[PathBuf],
    policy_path: Option<&PathBuf>,
    as_of: Option<NaiveDate>,
    languages: &[Lang],
    level_args: &LevelArgs,
) -> Result<Settings> {
    let (policy_path, policy) = match policy_path {
        Some(path) => (Some(path.clone()), Policy::read(path)?),
        None => match Policy::find(inputs)? {
            Some((path, policy)) => (Some(path), policy),
            None => (None, Policy::default()),
        },
    };
    let policy_dir = policy_path
        .as_deref()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut levels = policy.levels();
    for (codes, level) in [
        (&level_args.allow, Level::Allow),
        (&level_args.warn, Level::Warn),
        (&level_args.deny, Level::Deny),
    ] {
        for text in codes {
            match Code::find(text) {
                Some(code) => levels.set(code, level),
                None => bail!("unknown code `{text}`; `ropa check --list-rules` lists them"),
            }
        }
    }
    Ok(Settings {
        as_of: as_of
            .or(policy.as_of)
            .unwrap_or_else(|| chrono::Local::now().date_naive()),
        languages: if languages.is_empty() {
            policy.languages()
        } else {
            languages.to_vec()
        },
        levels,
        max_chain_depth: policy.max_chain_depth(),
        notice: NoticePolicy {
            notice_days: policy.notice_days(),
            objection_days: policy.objection_days(),
            objection_contact: policy.objection_contact.clone(),
            publish_url: policy.publish_url.clone(),
        },
        previous: policy
            .previous
            .iter()
            .map(|(name, path)| (name.clone(), policy_dir.join(path)))
            .collect(),
    })
}

/// The inputs, `inputs/` when none are given, and the registers they stand for.
pub fn registers(inputs: &[PathBuf]) -> Result<(Vec<PathBuf>, Vec<RegisterInput>)> {
    let inputs = if inputs.is_empty() {
        vec![PathBuf::from("inputs")]
    } else {
        inputs.to_vec()
    };
    let registers = registers::for_build(&inputs)?;
    if registers.is_empty() {
        bail!(
            "no register found in {}",
            inputs
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok((inputs, registers))
}

/// A register taken through the whole analysis.
pub struct Analysed {
    pub register: Register,
    pub graph: FlowGraph,
    /// What the importer said, levels applied.
    pub import_diagnostics: Vec<Diagnostic>,
    pub transfers: TransferAnalysis,
    /// The import diagnostics and the rules' findings, levels applied.
    pub findings: Vec<Diagnostic>,
}

/// Lets go of a register's analysis. When it was the run's last, nothing runs after it but
/// the process's exit, which hands the memory back at once: freeing it piece by piece took
/// L's build 0.15 s on one core at its very end, so it is left to the exit instead.
pub fn release<T>(analysis: T, last: bool) {
    if last {
        std::mem::forget(analysis);
    }
}

pub fn analyse(
    input: &RegisterInput,
    settings: &Settings,
    overrides: &Overrides,
) -> Result<Analysed> {
    let Loaded {
        register,
        graph,
        diagnostics,
    } = registers::load(input, overrides)?;
    let mut transfers = analysis::analyse(&register, &graph, settings.as_of);
    transfers.apply_levels(&settings.levels);
    transfers.notices = analysis::notices::notices(&register, &diagnostics, settings.as_of);
    let findings = analysis::findings(
        &register,
        &graph,
        &transfers,
        &diagnostics,
        &settings.levels,
        settings.max_chain_depth,
    );
    let import_diagnostics = settings.levels.apply(diagnostics);
    Ok(Analysed {
        register,
        graph,
        import_diagnostics,
        transfers,
        findings,
    })
}
