//! `ropa check`: the register against the rules, for people (rustc-style), tools (JSON) and
//! code-scanning dashboards (SARIF 2.1.0).

use super::pipeline::{self, LevelArgs};
use super::{ColorChoice, OrganisationArgs, stream};
use crate::diag::{Code, Counts, Diagnostic, Severity, render};
use crate::model::CellStyle;
use anyhow::Result;
use clap::ValueEnum;
use serde::Serialize;
use serde_sarif::sarif;
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
    for input in &registers {
        let analysed = pipeline::analyse(input, &settings, &overrides)?;
        let findings: Vec<Diagnostic> = analysed
            .findings
            .into_iter()
            .filter(|d| args.verbose || d.severity != Severity::Info)
            .collect();
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
            for report in &reports {
                render::human_all(&report.findings, &mut out)?;
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
            serde_json::to_writer_pretty(&mut out, &sarif_log(&all, settings.as_of))?;
            writeln!(out)?;
        }
    }
    Ok(total.errors > 0)
}

fn level(severity: Severity) -> sarif::ResultLevel {
    match severity {
        Severity::Error => sarif::ResultLevel::Error,
        Severity::Warning => sarif::ResultLevel::Warning,
        Severity::Info => sarif::ResultLevel::Note,
    }
}

/// The SARIF log: one run of ropa, every code as a rule, every finding as a result at its
/// file (and line and column for CSV; the sheet and cell as a logical location for workbooks),
/// with the evaluation and reference dates as run properties.
pub fn sarif_log(findings: &[&Diagnostic], as_of: chrono::NaiveDate) -> sarif::Sarif {
    let rules: Vec<sarif::ReportingDescriptor> = Code::ALL
        .iter()
        .map(|code| {
            sarif::ReportingDescriptor::builder()
                .id(code.as_str())
                .name(code.name())
                .short_description(
                    sarif::MultiformatMessageString::builder()
                        .text(code.summary())
                        .build(),
                )
                .help_uri(format!("docs/{}", doc_page(*code)))
                .default_configuration(
                    sarif::ReportingConfiguration::builder()
                        .level(serde_json::json!(
                            level(code.default_severity()).to_string()
                        ))
                        .build(),
                )
                .build()
        })
        .collect();
    let results: Vec<sarif::Result> = findings
        .iter()
        .map(|d| {
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str(&format!(" Help: {help}"));
            }
            let builder = sarif::Result::builder()
                .rule_id(d.code.as_str())
                .level(level(d.severity))
                .message(sarif::Message::builder().text(text).build());
            match &d.location {
                Some(location) => {
                    let artifact = sarif::ArtifactLocation::builder()
                        .uri(location.file.to_string())
                        .build();
                    let physical = match (location.style, location.row) {
                        (CellStyle::LineColumn, Some(line)) => {
                            let region = match location.column {
                                Some(column) => sarif::Region::builder()
                                    .start_line(line as i64)
                                    .start_column(column as i64)
                                    .build(),
                                None => sarif::Region::builder().start_line(line as i64).build(),
                            };
                            sarif::PhysicalLocation::builder()
                                .artifact_location(artifact)
                                .region(region)
                                .build()
                        }
                        _ => sarif::PhysicalLocation::builder()
                            .artifact_location(artifact)
                            .build(),
                    };
                    let mut sarif_location = sarif::Location::builder()
                        .physical_location(physical)
                        .build();
                    if location.style == CellStyle::A1 && location.sheet.is_some() {
                        sarif_location.logical_locations = Some(vec![
                            sarif::LogicalLocation::builder()
                                .fully_qualified_name(location.to_string())
                                .kind("cell")
                                .build(),
                        ]);
                    }
                    builder.locations(vec![sarif_location]).build()
                }
                None => builder.build(),
            }
        })
        .collect();
    let driver = sarif::ToolComponent::builder()
        .name("ropa")
        .version(env!("CARGO_PKG_VERSION"))
        .information_uri("https://github.com/ropa/ropa")
        .rules(rules)
        .build();
    sarif::Sarif::builder()
        .version(serde_json::json!("2.1.0"))
        .schema(sarif::SCHEMA_URL)
        .runs(vec![
            sarif::Run::builder()
                .tool(sarif::Tool::builder().driver(driver).build())
                .results(results)
                // The evaluation date and the date the legal reference data was checked up
                // to: a finding is only as good as both.
                .properties(
                    sarif::PropertyBag::builder()
                        .additional_properties(std::collections::BTreeMap::from([
                            ("asOf".to_string(), serde_json::json!(as_of.to_string())),
                            (
                                "referenceDataAsOf".to_string(),
                                serde_json::json!(crate::reference::AS_OF),
                            ),
                        ]))
                        .build(),
                )
                .build(),
        ])
        .build()
}

/// The documentation page of a code.
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
