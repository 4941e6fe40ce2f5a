//! `ropa diff OLD NEW`: what changed between two versions of a register, by meaning; exit 1
//! when something did, so CI can require a notice. `--notice DIR` writes the customer notice
//! and extends the Atom feed there.

use super::pipeline::{self, LevelArgs};
use super::registers::{self, Loaded};
use super::{ColorChoice, OrganisationArgs, stream};
use crate::analysis::{self, TransferAnalysis, changes};
use crate::diag::{Code, Counts, Severity};
use crate::export::{self, changes as report, feed, notice, write_atomic};
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

struct Version {
    register: Register,
    graph: FlowGraph,
    transfers: TransferAnalysis,
}

/// Reads and analyses one version; refuses one that could not be read at all, whose
/// "changes" would be everything.
fn version(
    path: &Path,
    args: &DiffArgs,
    as_of: chrono::NaiveDate,
    color: ColorChoice,
) -> Result<Version> {
    let input = registers::for_inspect(std::slice::from_ref(&path.to_path_buf()));
    let Loaded {
        register,
        graph,
        diagnostics,
    } = registers::load(&input, &args.organisation.overrides())?;
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
    let transfers = analysis::analyse(&register, &graph, as_of);
    Ok(Version {
        register,
        graph,
        transfers,
    })
}

/// Runs the comparison; `Ok(true)` when something changed.
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
    let old = version(&args.old, args, settings.as_of, color)?;
    let new = version(&args.new, args, settings.as_of, color)?;
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
    let text = match args.format {
        DiffFormat::Human => report::human(&changes, lang),
        DiffFormat::Md => report::markdown(&changes, lang),
        DiffFormat::Json => report::json(&changes).context("serialising the changes")?,
    };
    match &args.output {
        Some(path) => write_atomic(path, text.as_bytes())?,
        None => {
            let mut out = stream(std::io::stdout(), color);
            out.write_all(text.as_bytes())?;
        }
    }

    if let Some(dir) = &args.notice {
        let mut err = stream(std::io::stderr(), color);
        if changes.notifiable().next().is_none() {
            writeln!(
                err,
                "no processor or transfer changed: no notice written in {}",
                dir.display()
            )?;
        } else {
            let policy = &settings.notice;
            let terms = notice::Terms::new(
                settings.as_of,
                policy.notice_days,
                policy.objection_days,
                policy.objection_contact.clone(),
                &new.register.organisation,
                policy.publish_url.clone(),
            );
            if terms.contact.is_none() {
                writeln!(
                    err,
                    "warning: no objection contact: the notice asks customers to reply; set objection-contact in ropa.toml or an e-mail in the organisation table"
                )?;
            }
            let sources = notice::NoticeSources {
                changes: &changes,
                register: &new.register,
                graph: &new.graph,
                transfers: &new.transfers,
                old_register: &old.register,
                terms,
            };
            // Every file is made first, so a feed that cannot be extended leaves DIR as it was.
            let mut files: Vec<(String, Vec<u8>)> = Vec::new();
            for &lang in &settings.languages {
                let built = notice::build(&sources, lang);
                files.extend(notice::files(&built));
                let name = export::transfers::file_name("feed", "xml", lang);
                let feed_path = dir.join(&name);
                let existing = match std::fs::read(&feed_path) {
                    Ok(bytes) => Some(bytes),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                    Err(e) => {
                        return Err(e).with_context(|| format!("reading {}", feed_path.display()));
                    }
                };
                let feed_text = feed::extend(
                    existing.as_deref(),
                    &feed_path.display().to_string(),
                    &built,
                    &changes,
                    &new.register.organisation,
                    &sources.terms,
                )?;
                files.push((name, feed_text.into_bytes()));
            }
            let written = export::write_files(dir, files)?;
            writeln!(
                err,
                "wrote {} files in {} (effective {}, objections by {})",
                written.len(),
                dir.display(),
                sources.terms.effective,
                sources.terms.objection_deadline
            )?;
        }
    }
    Ok(!changes.is_empty())
}
