//! `ropa check`: the register against the rules, for people (rustc-style), tools (JSON) and
//! code-scanning dashboards (SARIF 2.1.0).

use super::pipeline::{self, LevelArgs};
use super::sarif;
use super::{ColorChoice, OrganisationArgs, stream};
use crate::diag::{Code, Counts, Diagnostic, Severity, render};
use anyhow::Result;
use clap::ValueEnum;
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Human,
    Json,
    Sarif,
}

#[derive(Debug, Clone, clap::Args)]
pub struct CheckArgs {
    /// Registers to check [default: inputs]
    pub inputs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Judge transfers as of this date (YYYY-MM-DD) [default: the policy's as-of, else today]
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<chrono::NaiveDate>,
    /// Policy file [default: ropa.toml beside the inputs]
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Also report info-level diagnostics.
    #[arg(long, short)]
    pub verbose: bool,
    /// List the rules and diagnostic codes with their default levels, and exit.
    #[arg(long)]
    pub list_rules: bool,
    /// In human output, also say what each rule checks in this language (ropa writes its
    /// messages in English; JSON and SARIF keep them as they are) [default: en]
    #[arg(long, value_enum)]
    pub lang: Option<crate::i18n::Lang>,
    #[command(flatten)]
    pub levels: LevelArgs,
    #[command(flatten)]
    pub organisation: OrganisationArgs,
}

#[derive(Serialize)]
struct RegisterReport {
    register: String,
    counts: Counts,
    findings: Vec<Diagnostic>,
}

/// Runs `check`; `Ok(true)` when a finding is at `deny` (error).
pub fn run(args: &CheckArgs, color: ColorChoice) -> Result<bool> {
    let mut out = stream(std::io::stdout(), color);
    if args.list_rules {
        for code in Code::ALL {
            let level = match code.default_severity() {
                Severity::Error => "deny",
                Severity::Warning => "warn",
                Severity::Info => "info",
            };
            writeln!(
                out,
                "{}  {:<40} {:<5} {}",
                code,
                code.name(),
                level,
                code.summary()
            )?;
        }
        return Ok(false);
    }
    let (inputs, registers) = pipeline::registers(&args.inputs)?;
    let settings =
        pipeline::settings(&inputs, args.policy.as_ref(), args.as_of, &[], &args.levels)?;
    let overrides = args.organisation.overrides();
    let mut reports = Vec::new();
    for (index, input) in registers.iter().enumerate() {
        let mut analysed = pipeline::analyse(input, &settings, &overrides)?;
        let findings: Vec<Diagnostic> = std::mem::take(&mut analysed.findings)
            .into_iter()
            .filter(|d| args.verbose || d.severity != Severity::Info)
            .collect();
        pipeline::release(analysed, index + 1 == registers.len());
        reports.push(RegisterReport {
            register: input.name.clone(),
            counts: Counts::of(&findings),
            findings,
        });
    }
    let total = reports.iter().fold(Counts::default(), |mut t, r| {
        t.errors += r.counts.errors;
        t.warnings += r.counts.warnings;
        t.infos += r.counts.infos;
        t
    });
    match args.format {
        CheckFormat::Human => {
            let lang = args.lang.unwrap_or_default();
            for report in &reports {
                for d in &report.findings {
                    let note = (lang != crate::i18n::Lang::En)
                        .then(|| crate::i18n::rule_summary(lang, d.code));
                    render::human_noted(d, note.as_deref(), &mut out)?;
                    writeln!(out)?;
                }
            }
            for report in &reports {
                writeln!(
                    out,
                    "{}: {}",
                    report.register,
                    render::summary_line(report.counts)
                )?;
            }
            writeln!(
                out,
                "total: {} (as of {}; reference data checked up to {})",
                render::summary_line(total),
                settings.as_of,
                crate::reference::AS_OF
            )?;
        }
        CheckFormat::Json => {
            #[derive(Serialize)]
            struct Document<'a> {
                as_of: chrono::NaiveDate,
                /// The date the legal reference data was checked up to.
                reference_data_as_of: &'static str,
                counts: Counts,
                registers: &'a [RegisterReport],
            }
            serde_json::to_writer_pretty(
                &mut out,
                &Document {
                    as_of: settings.as_of,
                    reference_data_as_of: crate::reference::AS_OF,
                    counts: total,
                    registers: &reports,
                },
            )?;
            writeln!(out)?;
        }
        CheckFormat::Sarif => {
            let all: Vec<&Diagnostic> = reports.iter().flat_map(|r| &r.findings).collect();
            let root = std::env::current_dir()?;
            serde_json::to_writer_pretty(&mut out, &sarif::log(&all, &root, settings.as_of))?;
            writeln!(out)?;
        }
    }
    Ok(total.errors > 0)
}
