//! `ropa build` and `ropa export`: the pipeline for each register, outputs written atomically.

use super::registers::{self, Loaded};
use super::{ColorChoice, PipelineArgs, inspect, stream};
use crate::analysis::{self, policy::Policy};
use crate::diag::{Counts, Severity, render};
use crate::export::{self, i18n::Lang, records, register_json, transfers};
use anyhow::{Context, Result};
use chrono::NaiveDate;
use std::io::Write;
use std::path::PathBuf;

/// Which outputs a run writes.
#[derive(Debug, Clone, Copy)]
pub struct Products {
    pub register: bool,
    pub transfers: bool,
    pub records: bool,
}

impl Products {
    pub const ALL: Products = Products {
        register: true,
        transfers: true,
        records: true,
    };
    pub const TRANSFERS: Products = Products {
        register: false,
        transfers: true,
        records: false,
    };
    pub const RECORDS: Products = Products {
        register: false,
        transfers: false,
        records: true,
    };
}

/// The evaluation date and languages: command line, else policy, else today and English.
struct Settings {
    as_of: NaiveDate,
    languages: Vec<Lang>,
}

fn settings(args: &PipelineArgs, inputs: &[PathBuf]) -> Result<Settings> {
    let policy = match &args.policy {
        Some(path) => Some(Policy::read(path)?),
        None => Policy::find(inputs)?.map(|(_, policy)| policy),
    }
    .unwrap_or_default();
    Ok(Settings {
        as_of: args
            .as_of
            .or(policy.as_of)
            .unwrap_or_else(|| chrono::Local::now().date_naive()),
        languages: if args.lang.is_empty() {
            policy.languages()
        } else {
            args.lang.clone()
        },
    })
}

/// Runs the pipeline; `Ok(true)` when a register had an error-level diagnostic.
pub fn run(args: &PipelineArgs, products: Products, color: ColorChoice) -> Result<bool> {
    let inputs = if args.inputs.is_empty() {
        vec![PathBuf::from("inputs")]
    } else {
        args.inputs.clone()
    };
    let settings = settings(args, &inputs)?;
    let registers = registers::for_build(&inputs)?;
    if registers.is_empty() {
        anyhow::bail!(
            "no register found in {}",
            inputs
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let overrides = args.organisation.overrides();
    let mut stdout = stream(std::io::stdout(), color);
    let mut any_errors = false;
    for input in &registers {
        let Loaded {
            register,
            graph,
            diagnostics,
        } = registers::load(input, &overrides)?;
        let shown: Vec<_> = diagnostics
            .iter()
            .filter(|d| args.verbose || d.severity != Severity::Info)
            .cloned()
            .collect();
        render::human_all(&shown, &mut stdout)?;
        let counts = Counts::of(&diagnostics);
        any_errors |= counts.errors > 0;
        let dir = args.out.join(&input.name);
        let mut written: Vec<PathBuf> = Vec::new();

        if products.register {
            let json = register_json::to_json(&register, &graph, &diagnostics)
                .context("serialising the register")?;
            let path = dir.join("register.json");
            export::write_atomic(&path, json.as_bytes())?;
            written.push(path);
            // The same report a terminal shows, without colour, for reviewers of outputs/.
            let mut report = Vec::new();
            render::human_all(&diagnostics, &mut report)?;
            inspect::summary(&register, &graph, counts, &mut report)?;
            let plain = anstream::adapter::strip_str(&String::from_utf8_lossy(&report)).to_string();
            let path = dir.join("diagnostics.txt");
            export::write_atomic(&path, plain.as_bytes())?;
            written.push(path);
        }
        if products.transfers || products.records {
            let analysis = analysis::analyse(&register, &graph, settings.as_of);
            let sources = records::RecordSources {
                register: &register,
                graph: &graph,
                analysis: &analysis,
                diagnostics: &diagnostics,
            };
            for &lang in &settings.languages {
                if products.records {
                    written.extend(records::write(&sources, lang, &dir)?);
                }
                if products.transfers {
                    written.extend(transfers::write(
                        &analysis,
                        &register.organisation.name,
                        lang,
                        &dir,
                    )?);
                }
            }
        }

        inspect::summary(&register, &graph, counts, &mut stdout)?;
        writeln!(stdout, "  wrote {}", list(&written))?;
        writeln!(stdout)?;
    }
    Ok(any_errors)
}

fn list(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
