//! `ropa inspect`: what was read, and everything ropa has to say about it.

use super::registers::{self, Loaded};
use super::{ColorChoice, Format, stream};
use crate::diag::{Counts, Diagnostic, render};
use crate::model::{Register, TableStats};
use anyhow::Result;
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;

#[derive(Serialize)]
struct Report<'a> {
    register: &'a str,
    sources: &'a [String],
    organisation: &'a str,
    tables: &'a [TableStats],
    entities: Entities,
    graph: GraphSize,
    counts: Counts,
    diagnostics: &'a [Diagnostic],
}

#[derive(Serialize)]
struct Entities {
    activities: usize,
    systems: usize,
    processors: usize,
    flows: usize,
    customers: usize,
}

#[derive(Serialize)]
struct GraphSize {
    nodes: usize,
    edges: usize,
}

fn entities(register: &Register) -> Entities {
    Entities {
        activities: register.activities.len(),
        systems: register.systems.len(),
        processors: register.processors.len(),
        flows: register.flows.len(),
        customers: register.customers.len(),
    }
}

/// Runs `inspect`; `Ok(true)` when an error-level diagnostic was reported.
pub fn run(
    inputs: &[PathBuf],
    format: Format,
    overrides: &crate::import::Overrides,
    color: ColorChoice,
) -> Result<bool> {
    let input = registers::for_inspect(inputs);
    let Loaded {
        register,
        graph,
        diagnostics,
    } = registers::load(&input, overrides)?;
    let counts = Counts::of(&diagnostics);
    let mut out = stream(std::io::stdout(), color);
    match format {
        Format::Json => {
            let report = Report {
                register: &register.name,
                sources: &register.sources,
                organisation: &register.organisation.name,
                tables: &register.tables,
                entities: entities(&register),
                graph: GraphSize {
                    nodes: graph.node_count(),
                    edges: graph.edge_count(),
                },
                counts,
                diagnostics: &diagnostics,
            };
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
        Format::Human => {
            render::human_all(&diagnostics, &mut out)?;
            summary(&register, &graph, counts, &mut out)?;
        }
    }
    Ok(counts.errors > 0)
}

/// The per-table summary that closes human output.
pub fn summary(
    register: &Register,
    graph: &crate::graph::FlowGraph,
    counts: Counts,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let bold = anstyle::Style::new().bold();
    writeln!(
        out,
        "{bold}register `{}`{bold:#} from {}",
        register.name,
        register.sources.join(", ")
    )?;
    writeln!(
        out,
        "  organisation: {} ({})",
        register.organisation.name, register.organisation.role
    )?;
    // A table is located at its header row: a sheet may hold several.
    let at = |t: &crate::model::TableStats| match t.header_row {
        Some(row) => t.location.at_row(row).to_string(),
        None => t.location.to_string(),
    };
    let width = register
        .tables
        .iter()
        .map(|t| at(t).len())
        .max()
        .unwrap_or(0)
        .max(8);
    writeln!(
        out,
        "  {:<13} {:<width$} {:>6} {:>6} {:>9} {:>8}",
        "table", "location", "read", "used", "rejected", "skipped"
    )?;
    for t in &register.tables {
        writeln!(
            out,
            "  {:<13} {:<width$} {:>6} {:>6} {:>9} {:>8}",
            t.kind.name(),
            at(t),
            t.read,
            t.used,
            t.rejected,
            t.skipped.total()
        )?;
    }
    // What the skipped lines were, for the tables that had any.
    for t in register.tables.iter().filter(|t| t.skipped.total() > 0) {
        let s = t.skipped;
        let parts: Vec<String> = [
            (s.titles, "title"),
            (s.sections, "section line"),
            (s.repeated_headers, "repeated header"),
            (s.footers, "footer"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}{}", if n == 1 { "" } else { "s" }))
        .collect();
        writeln!(out, "  skipped at {}: {}", at(t), parts.join(", "))?;
    }
    let e = entities(register);
    writeln!(
        out,
        "  entities: {} activities, {} systems, {} processors, {} flows, {} customers",
        e.activities, e.systems, e.processors, e.flows, e.customers
    )?;
    writeln!(
        out,
        "  graph: {} nodes, {} edges",
        graph.node_count(),
        graph.edge_count()
    )?;
    let style = if counts.errors > 0 {
        anstyle::Style::new()
            .fg_color(Some(anstyle::AnsiColor::Red.into()))
            .bold()
    } else if counts.warnings > 0 {
        anstyle::Style::new()
            .fg_color(Some(anstyle::AnsiColor::Yellow.into()))
            .bold()
    } else {
        anstyle::Style::new()
            .fg_color(Some(anstyle::AnsiColor::Green.into()))
            .bold()
    };
    writeln!(out, "  {style}{}{style:#}", render::summary_line(counts))?;
    Ok(())
}
