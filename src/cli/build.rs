//! `ropa build`: the whole pipeline for each register, outputs written atomically.

use super::registers::{self, Loaded};
use super::{ColorChoice, inspect, stream};
use crate::diag::{Counts, Severity, render};
use crate::export::{self, register_json};
use anyhow::{Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Runs `build`; `Ok(true)` when a register had an error-level diagnostic.
pub fn run(
    inputs: &[PathBuf],
    out: &Path,
    verbose: bool,
    overrides: &crate::import::Overrides,
    color: ColorChoice,
) -> Result<bool> {
    let inputs = if inputs.is_empty() {
        vec![PathBuf::from("inputs")]
    } else {
        inputs.to_vec()
    };
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
    let mut stdout = stream(std::io::stdout(), color);
    let mut any_errors = false;
    for input in &registers {
        let Loaded {
            register,
            graph,
            diagnostics,
        } = registers::load(input, overrides)?;
        let shown: Vec<_> = diagnostics
            .iter()
            .filter(|d| verbose || d.severity != Severity::Info)
            .cloned()
            .collect();
        render::human_all(&shown, &mut stdout)?;
        let counts = Counts::of(&diagnostics);
        any_errors |= counts.errors > 0;

        let dir = out.join(&input.name);
        let json = register_json::to_json(&register, &graph, &diagnostics)
            .context("serialising the register")?;
        let json_path = dir.join("register.json");
        export::write_atomic(&json_path, json.as_bytes())?;

        // The same report a terminal shows, without colour, for reviewers of outputs/.
        let mut report = Vec::new();
        render::human_all(&diagnostics, &mut report)?;
        inspect::summary(&register, &graph, counts, &mut report)?;
        let plain = anstream::adapter::strip_str(&String::from_utf8_lossy(&report)).to_string();
        let report_path = dir.join("diagnostics.txt");
        export::write_atomic(&report_path, plain.as_bytes())?;

        inspect::summary(&register, &graph, counts, &mut stdout)?;
        writeln!(
            stdout,
            "  wrote {}, {}",
            json_path.display(),
            report_path.display()
        )?;
        writeln!(stdout)?;
    }
    Ok(any_errors)
}
