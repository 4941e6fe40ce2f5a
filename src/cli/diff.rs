//! `ropa diff OLD NEW`: what changed between two versions of a register, by meaning; exit 1
//! when something did, so CI can require a notice. `--notice DIR` writes the customer notice
//! and extends the Atom feed there.

use super::pipeline::{self, LevelArgs};
use super::registers::{self, Loaded};
use super::{ColorChoice, OrganisationArgs, stream};
use crate::analysis::{self, TransferAnalysis, changes};
use crate::diag::{Code, Counts, Severity};
use crate::export::{self, changes as report, feed, notice};
use crate::graph::FlowGraph;
use crate::model::Register;
use anyhow::{Context, Result, bail};
use clap::ValueEnum;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Human,
    Json,
    Md,
}

/// Options of `ropa diff`.
#[derive(Debug, Clone, clap::Args)]
pub struct DiffArgs {
    /// The earlier version: a workbook, CSV file, Markdown list, ropa's subprocessors.json, or
    /// a folder of them.
    pub old: PathBuf,
    /// The current version, in any format ropa reads.
    pub new: PathBuf,
    /// Report format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write the customer notice (notice.md, .html, .txt per report language) into DIR and
    /// add it to DIR/feed.xml.
    #[arg(long, value_name = "DIR")]
    pub notice: Option<PathBuf>,
    /// Judge both versions' transfers as of this date (YYYY-MM-DD) and date the notice
    /// [default: the policy's as-of, else today]
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<chrono::NaiveDate>,
    /// Report language; repeat for several; the report uses the first [default: the
    /// policy's languages, else en]
    #[arg(long, value_enum)]
    pub lang: Vec<crate::i18n::Lang>,
    /// Policy file [default: ropa.toml beside NEW]
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    #[command(flatten)]
    pub organisation: OrganisationArgs,
}

pub(super) struct Version {
    pub(super) register: Register,
    pub(super) graph: FlowGraph,
    pub(super) transfers: TransferAnalysis,
}

/// Reads and analyses one version; refuses one that could not be read at all, whose
/// "changes" would be everything.
pub(super) fn version(
    path: &Path,
    overrides: &crate::import::Overrides,
    as_of: chrono::NaiveDate,
    color: ColorChoice,
) -> Result<Version> {
    let input = registers::for_inspect(std::slice::from_ref(&path.to_path_buf()));
    let Loaded {
        register,
        graph,
        diagnostics,
    } = registers::load(&input, overrides)?;
    if let Some(fatal) = diagnostics.iter().find(|d| {
        d.severity == Severity::Error && matches!(d.code, Code::NothingRead | Code::UnreadableFile)
    }) {
        bail!(
            "`{}` cannot be compared: {} ({}); `ropa inspect {}` shows why",
            path.display(),
            fatal.message,
            fatal.code,
            path.display()
        );
    }
    let errors = Counts::of(&diagnostics).errors;
    if errors > 0 {
        let mut err = stream(std::io::stderr(), color);
        writeln!(
            err,
            "warning: `{}` has {errors} import error(s); `ropa inspect {}` lists them",
            path.display(),
            path.display()
        )?;
    }
    let mut transfers = analysis::analyse(&register, &graph, as_of);
    transfers.notices = analysis::notices::notices(&register, &diagnostics, as_of);
    Ok(Version {
        register,
        graph,
        transfers,
    })
}

/// Runs the comparison; `Ok(true)` when something changed, or may have (a version was not read
/// whole).
pub fn run(args: &DiffArgs, color: ColorChoice) -> Result<bool> {
    for path in [&args.old, &args.new] {
        if !path.exists() {
            bail!("input `{}` does not exist", path.display());
        }
    }
    let settings = pipeline::settings(
        std::slice::from_ref(&args.new),
        args.policy.as_ref(),
        args.as_of,
        &args.lang,
        &LevelArgs::default(),
    )?;
    let overrides = args.organisation.overrides();
    let old = version(&args.old, &overrides, settings.as_of, color)?;
    let new = version(&args.new, &overrides, settings.as_of, color)?;
    let changes = changes::compare(
        changes::Side {
            register: &old.register,
            transfers: &old.transfers,
        },
        changes::Side {
            register: &new.register,
            transfers: &new.transfers,
        },
    );
    let lang = settings.languages.first().copied().unwrap_or_default();
    // Written as it is made, into the file or onto standard output.
    let write_report = |out: &mut dyn Write| -> Result<(), export::ExportError> {
        match args.format {
            DiffFormat::Human => report::human(&changes, lang, out)?,
            DiffFormat::Md => report::markdown(&changes, lang, out)?,
            DiffFormat::Json => report::json(&changes, out)?,
        }
        Ok(())
    };
    match &args.output {
        Some(path) => {
            export::write_streamed(path, |out| write_report(out))?;
        }
        None => {
            let mut out = std::io::BufWriter::new(stream(std::io::stdout().lock(), color));
            write_report(&mut out).context("writing the changes")?;
            out.flush()?;
        }
    }

    if let Some(dir) = &args.notice {
        refuse_incomplete(&changes)?;
        let mut err = stream(std::io::stderr(), color);
        if changes.notifiable().next().is_none() {
            writeln!(
                err,
                "no processor or transfer changed: no notice written in {}",
                dir.display()
            )?;
        } else {
            let existing_feed = |name: &str| -> Result<Option<Vec<u8>>> {
                let feed_path = dir.join(name);
                match std::fs::read(&feed_path) {
                    Ok(bytes) => Ok(Some(bytes)),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                    Err(e) => Err(e).with_context(|| format!("reading {}", feed_path.display())),
                }
            };
            let (files, terms) = notice_files(
                &changes,
                &old.register,
                (&new.register, &new.graph, &new.transfers),
                &settings,
                dir,
                &existing_feed,
                &mut err,
            )?;
            let written = export::write_files(dir, files)?;
            writeln!(
                err,
                "wrote {} files in {} (effective {}, objections by {})",
                written.len(),
                dir.display(),
                terms.effective,
                terms.objection_deadline
            )?;
        }
    }
    // What could not be read may have changed.
    Ok(!changes.is_empty() || !changes.read_fully())
}

/// A notice tells customers which sub-processors were added or dropped: from a version ropa
/// could not read whole it would announce changes that did not happen.
fn refuse_incomplete(changes: &changes::RegisterChanges) -> Result<()> {
    if let Some(version) = [&changes.old, &changes.new]
        .into_iter()
        .find(|v| !v.notices.is_empty())
    {
        bail!(
            "no customer notice written: `{}` could not be read whole; `ropa inspect {}` shows why",
            version.sources.join(", "),
            version.sources.join(" ")
        );
    }
    Ok(())
}

/// A file to write: its name and bytes.
type NamedFile = (String, Vec<u8>);

/// The customer notice in each report language and the feeds extended with it; `existing_feed`
/// gives a feed file's current bytes by name. Every file is made first, so a feed that cannot
/// be extended leaves the folder as it was.
pub(super) fn notice_files(
    changes: &changes::RegisterChanges,
    old_register: &Register,
    (register, graph, transfers): (&Register, &FlowGraph, &TransferAnalysis),
    settings: &pipeline::Settings,
    dir: &Path,
    existing_feed: &dyn Fn(&str) -> Result<Option<Vec<u8>>>,
    err: &mut dyn Write,
) -> Result<(Vec<NamedFile>, notice::Terms)> {
    refuse_incomplete(changes)?;
    let policy = &settings.notice;
    let terms = notice::Terms::new(
        settings.as_of,
        policy.notice_days,
        policy.objection_days,
        policy.objection_contact.clone(),
        &register.organisation,
        policy.publish_url.clone(),
    );
    if terms.contact.is_none() {
        writeln!(
            err,
            "warning: no objection contact: the notice asks customers to reply; set objection-contact in ropa.toml or an e-mail in the organisation table"
        )?;
    }
    let sources = notice::NoticeSources {
        changes,
        register,
        graph,
        transfers,
        old_register,
        terms,
    };
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for &lang in &settings.languages {
        let built = notice::build(&sources, lang);
        files.extend(notice::files(&built));
        let name = export::transfers::file_name("feed", "xml", lang);
        let existing = existing_feed(&name)?;
        let feed_text = feed::extend(
            existing.as_deref(),
            &dir.join(&name).display().to_string(),
            &built,
            changes,
            &register.organisation,
            &sources.terms,
        )?;
        files.push((name, feed_text.into_bytes()));
    }
    Ok((files, sources.terms))
}
