//! `ropa build` and `ropa export`: the pipeline for each register, outputs written atomically.

use super::pipeline::{self, Analysed};
use super::registers::RegisterInput;
use super::{ColorChoice, PipelineArgs, inspect, stream};
use crate::diag::{Counts, Severity, render};
use crate::export::{self, diagrams, records, register_json, transfers};
use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Which outputs a run writes.
#[derive(Debug, Clone, Copy)]
pub struct Products {
    pub register: bool,
    pub transfers: bool,
    pub records: bool,
    pub diagrams: bool,
}

impl Products {
    pub const ALL: Products = Products {
        register: true,
        transfers: true,
        records: true,
        diagrams: true,
    };
    pub const TRANSFERS: Products = Products {
        transfers: true,
        ..Products::NONE
    };
    pub const RECORDS: Products = Products {
        records: true,
        ..Products::NONE
    };
    pub const DIAGRAMS: Products = Products {
        diagrams: true,
        ..Products::NONE
    };
    fn is_all(self) -> bool {
        self.register && self.transfers && self.records && self.diagrams
    }

    const NONE: Products = Products {
        register: false,
        transfers: false,
        records: false,
        diagrams: false,
    };
}

/// Runs the pipeline; `Ok(true)` when the import of a register reported an error (compliance
/// findings are in the outputs; `ropa check` is the gate for them).
pub fn run(args: &PipelineArgs, products: Products, color: ColorChoice) -> Result<bool> {
    let (inputs, registers) = pipeline::registers(&args.inputs)?;
    let settings = pipeline::settings(
        &inputs,
        args.policy.as_ref(),
        args.as_of,
        &args.lang,
        &args.levels,
    )?;
    let overrides = args.organisation.overrides();
    let mut stdout = stream(std::io::stdout(), color);
    let mut any_errors = false;
    for input in &registers {
        let Analysed {
            register,
            graph,
            import_diagnostics,
            transfers: analysis,
            findings,
        } = pipeline::analyse(input, &settings, &overrides)?;
        let shown: Vec<_> = import_diagnostics
            .iter()
            .filter(|d| args.verbose || d.severity != Severity::Info)
            .cloned()
            .collect();
        render::human_all(&shown, &mut stdout)?;
        let import_counts = Counts::of(&import_diagnostics);
        any_errors |= import_counts.errors > 0;
        let counts = Counts::of(&findings);
        let dir = args.out.join(&input.name);
        refuse_overlap(&dir, &registers)?;
        // The register's folder is written aside and swapped in whole (a build replaces it; an
        // export of some outputs keeps the others).
        let swap = export::FolderSwap::begin(&dir, !products.is_all())?;
        let staging = swap.path().to_path_buf();
        let mut written: Vec<PathBuf> = Vec::new();

        if products.register {
            let json = register_json::to_json(&register, &graph, &findings)
                .context("serialising the register")?;
            written.extend(export::write_files(
                &staging,
                vec![("register.json".to_string(), json.into_bytes())],
            )?);
            // The same report `ropa check` prints, without colour, for reviewers of outputs/.
            let mut report = Vec::new();
            render::human_all(&findings, &mut report)?;
            inspect::summary(&register, &graph, counts, &mut report)?;
            let plain = anstream::adapter::strip_str(&String::from_utf8_lossy(&report)).to_string();
            written.extend(export::write_files(
                &staging,
                vec![("diagnostics.txt".to_string(), plain.into_bytes())],
            )?);
        }
        let sources = records::RecordSources {
            register: &register,
            graph: &graph,
            analysis: &analysis,
            diagnostics: &findings,
        };
        for &lang in &settings.languages {
            if products.records {
                written.extend(records::write(&sources, lang, &staging)?);
            }
            if products.transfers {
                written.extend(transfers::write(
                    &analysis,
                    &register.organisation.name,
                    lang,
                    &staging,
                )?);
            }
        }

        if products.diagrams {
            let sources = diagrams::DiagramSources {
                register: &register,
                graph: &graph,
                analysis: &analysis,
            };
            written.extend(diagrams::write(&sources, args.renderer, &staging)?);
        }

        let count = written.len();
        swap.commit()?;

        inspect::summary(&register, &graph, import_counts, &mut stdout)?;
        writeln!(
            stdout,
            "  findings: {} (in {}; `ropa check` gates on them)",
            render::summary_line(counts),
            dir.join("diagnostics.txt").display()
        )?;
        writeln!(stdout, "  wrote {} files in {}", count, dir.display())?;
        writeln!(stdout)?;
    }
    Ok(any_errors)
}

/// Refuses an output folder that is, holds or lies inside an input: replacing it would delete
/// the inputs, or the next run would read the outputs as inputs.
fn refuse_overlap(dir: &Path, registers: &[RegisterInput]) -> Result<()> {
    let absolute = |path: &Path| -> PathBuf {
        // The nearest existing ancestor, resolved, and the rest as written.
        let mut existing = path.to_path_buf();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.file_name(), existing.parent()) {
                (Some(name), Some(parent)) => {
                    rest.push(name.to_os_string());
                    existing = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let base = if existing.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            existing
        };
        let mut resolved = base.canonicalize().unwrap_or(base);
        resolved.extend(rest.iter().rev());
        resolved
    };
    let out = absolute(dir);
    for input in registers.iter().flat_map(|r| &r.paths) {
        let input_path = absolute(input);
        if input_path.starts_with(&out) || out.starts_with(&input_path) {
            bail!(
                "the output folder `{}` overlaps the input `{}`; choose another --out",
                dir.display(),
                input.display()
            );
        }
    }
    Ok(())
}
