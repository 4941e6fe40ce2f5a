//! The command line: parsing, the subcommands, and the mapping of outcomes to exit codes
//! (0 fine, 1 error-level diagnostics, 2 ropa could not run).
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod build;
mod check;
mod diff;
mod init;
mod inspect;
mod pipeline;
mod progress;
mod registers;
mod sarif;

use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Reads GDPR registers (xlsx, ods, csv) and writes Art. 30 records, transfer reports,
/// data-flow diagrams and findings.
#[derive(Debug, Parser)]
#[command(name = "ropa", version, about, max_term_width = 100)]
pub struct Cli {
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

/// The organisation, for registers without an organisation table (a published sub-processor
/// list, say).
#[derive(Debug, Clone, clap::Args)]
pub struct OrganisationArgs {
    /// The organisation's name, when the register has no organisation table.
    #[arg(long, value_name = "NAME")]
    pub organisation: Option<String>,
    /// The organisation's country (ISO code or name), when the register gives none.
    #[arg(long, value_name = "COUNTRY")]
    pub country: Option<String>,
}

impl OrganisationArgs {
    fn overrides(&self) -> crate::import::Overrides {
        crate::import::Overrides {
            organisation: self.organisation.clone(),
            country: self.country.clone(),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Reads a register and reports what was read: tables, row counts, the flow graph's size and
    /// every diagnostic. All INPUTs are merged into one register.
    Inspect {
        /// Workbooks, CSV files or folders of CSV files.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        #[command(flatten)]
        organisation: OrganisationArgs,
    },
    /// Runs the whole pipeline for each register and writes all its outputs. Each INPUT is one
    /// register; a folder holding workbooks or sub-folders (like `inputs/`) stands for each of
    /// them.
    Build(PipelineArgs),
    /// Checks each register against the compliance rules and reports findings at their cells,
    /// like a linter: exit 0 when nothing is at `deny`, 1 when something is.
    Check(check::CheckArgs),
    /// Compares two versions of a register by meaning: processors, activities and systems
    /// added, removed, renamed or changed, and transfers whose status changed. Exit 0 when
    /// nothing changed, 1 when something did; `--notice DIR` writes the customer notice.
    Diff(diff::DiffArgs),
    /// Writes a commented default policy file (ropa.toml) into a folder.
    Init {
        /// The folder to write ropa.toml into.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Replace an existing ropa.toml.
        #[arg(long)]
        force: bool,
    },
    /// Writes one kind of output for each register.
    Export {
        #[command(subcommand)]
        what: Export,
    },
}

/// The outputs `ropa export` can write on their own.
#[derive(Debug, Subcommand)]
pub enum Export {
    /// Per-country transfer reports (transfers.xlsx, .csv, .json, .md), judged as of a date.
    Transfers(PipelineArgs),
    /// Data-flow diagrams (diagrams/*.dot and .svg): the overview, one per third country, and
    /// one per activity (one per department above 100 activities).
    Diagrams(DiagramArgs),
    /// The Art. 30 records of processing (records-of-processing.xlsx and the record tables as
    /// CSV): controller record, processor record, recipients, transfers, findings.
    Records(PipelineArgs),
    /// The publishable sub-processor page (subprocessors.html, .md, .json per language):
    /// grouped like the register, each with service, places, data categories, DPA,
    /// encryption, certifications, retention, transfer mechanism and a "last updated" date.
    Subprocessors(PipelineArgs),
    /// The review report (report.html per language): one self-contained page with the
    /// summary, the findings with filters, every activity with its Art. 30 fields and
    /// diagram, every third country with its transfers, and the processors; it works offline
    /// from disk.
    Report(PipelineArgs),
}

/// Options shared by `build` and `export`.
#[derive(Debug, Clone, clap::Args)]
pub struct PipelineArgs {
    /// Registers to read [default: inputs]
    pub inputs: Vec<PathBuf>,
    /// Folder to write into; each register gets a sub-folder named after it.
    #[arg(long, short, default_value = "outputs")]
    pub out: PathBuf,
    /// Judge transfers as of this date (YYYY-MM-DD) [default: the policy's as-of, else today]
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<chrono::NaiveDate>,
    /// Report language; repeat for several [default: the policy's languages, else en]
    #[arg(long, value_enum)]
    pub lang: Vec<crate::i18n::Lang>,
    /// Policy file [default: ropa.toml beside the inputs]
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Also print info-level diagnostics.
    #[arg(long, short)]
    pub verbose: bool,
    /// How diagrams are drawn to SVG.
    #[arg(long, value_enum, default_value_t = crate::export::diagrams::Renderer::Auto)]
    pub renderer: crate::export::diagrams::Renderer,
    #[command(flatten)]
    pub organisation: OrganisationArgs,
    #[command(flatten)]
    pub levels: pipeline::LevelArgs,
}

/// Options of `ropa export diagrams`.
#[derive(Debug, Clone, clap::Args)]
pub struct DiagramArgs {
    #[command(flatten)]
    pub pipeline: PipelineArgs,
    /// Draw this activity's diagram (its id or name) instead of the per-activity or
    /// per-department ones; repeatable.
    #[arg(long = "activity", value_name = "ID")]
    pub activities: Vec<String>,
    /// Draw one diagram per activity, however many activities there are.
    #[arg(long, conflicts_with = "activities")]
    pub per_activity: bool,
}

impl DiagramArgs {
    fn per_activity(&self) -> crate::export::diagrams::PerActivity {
        use crate::export::diagrams::PerActivity;
        if self.per_activity {
            PerActivity::All
        } else if self.activities.is_empty() {
            PerActivity::Auto
        } else {
            PerActivity::Only(self.activities.clone())
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// A terminal stream that keeps or strips ANSI styles per `--color`.
pub(crate) fn stream<W: Write + anstream::stream::RawStream>(
    raw: W,
    choice: ColorChoice,
) -> anstream::AutoStream<W> {
    let choice = match choice {
        ColorChoice::Auto => anstream::ColorChoice::Auto,
        ColorChoice::Always => anstream::ColorChoice::Always,
        ColorChoice::Never => anstream::ColorChoice::Never,
    };
    anstream::AutoStream::new(raw, choice)
}

/// Runs a parsed command line and returns the process's exit code.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Inspect {
            inputs,
            format,
            organisation,
        } => inspect::run(&inputs, format, &organisation.overrides(), cli.color),
        Command::Build(args) => {
            build::run(&args, build::Products::ALL, &Default::default(), cli.color)
        }
        Command::Check(args) => check::run(&args, cli.color),
        Command::Diff(args) => diff::run(&args, cli.color),
        Command::Init { dir, force } => init::run(&dir, force),
        Command::Export {
            what: Export::Transfers(args),
        } => build::run(
            &args,
            build::Products::TRANSFERS,
            &Default::default(),
            cli.color,
        ),
        Command::Export {
            what: Export::Records(args),
        } => build::run(
            &args,
            build::Products::RECORDS,
            &Default::default(),
            cli.color,
        ),
        Command::Export {
            what: Export::Diagrams(args),
        } => build::run(
            &args.pipeline,
            build::Products::DIAGRAMS,
            &args.per_activity(),
            cli.color,
        ),
        Command::Export {
            what: Export::Subprocessors(args),
        } => build::run(
            &args,
            build::Products::SUBPROCESSORS,
            &Default::default(),
            cli.color,
        ),
        Command::Export {
            what: Export::Report(args),
        } => build::run(
            &args,
            build::Products::REPORT,
            &Default::default(),
            cli.color,
        ),
    };
    match result {
        Ok(has_errors) => ExitCode::from(u8::from(has_errors)),
        Err(error) => {
            let mut err = stream(std::io::stderr(), cli.color);
            let style = anstyle::Style::new()
                .fg_color(Some(anstyle::AnsiColor::Red.into()))
                .bold();
            let _ = writeln!(err, "{style}error{style:#}: {error:#}");
            ExitCode::from(2)
        }
    }
}
