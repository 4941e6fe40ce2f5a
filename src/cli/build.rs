//! `ropa build` and `ropa export`: the pipeline for each register, outputs written atomically.

use super::pipeline::{self, Analysed};
use super::progress::Progress;
use super::registers::RegisterInput;
use super::{ColorChoice, PipelineArgs, inspect, stream};
use crate::diag::{Counts, Severity, render};
use crate::export::{self, diagrams, records, register_json, report, subprocessors, transfers};
use crate::i18n::Lang;
use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};

/// Which outputs a run writes.
#[derive(Debug, Clone, Copy)]
pub struct Products {
    pub register: bool,
    pub transfers: bool,
    pub records: bool,
    pub diagrams: bool,
    pub subprocessors: bool,
    pub report: bool,
}

impl Products {
    pub const ALL: Products = Products {
        register: true,
        transfers: true,
        records: true,
        diagrams: true,
        subprocessors: true,
        report: true,
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
    pub const SUBPROCESSORS: Products = Products {
        subprocessors: true,
        ..Products::NONE
    };
    pub const REPORT: Products = Products {
        report: true,
        ..Products::NONE
    };
    fn is_all(self) -> bool {
        self.register
            && self.transfers
            && self.records
            && self.diagrams
            && self.subprocessors
            && self.report
    }

    const NONE: Products = Products {
        register: false,
        transfers: false,
        records: false,
        diagrams: false,
        subprocessors: false,
        report: false,
    };
}

/// One product of a register, made on whichever core is free.
enum Job {
    Register,
    Diagnostics,
    Records(crate::i18n::Lang),
    Subprocessors(crate::i18n::Lang),
    Transfers(crate::i18n::Lang),
    Report(crate::i18n::Lang),
    Diagrams,
}

impl Job {
    /// Where the job comes in a run's schedule: the records take longest on a large
    /// register, then the drawing of the diagrams, the transfer reports, the register
    /// document, the sub-processor page and the diagnostics (short, and the last to start).
    fn turn(&self) -> u8 {
        match self {
            Job::Records(_) => 0,
            Job::Transfers(_) => 2,
            Job::Register => 3,
            Job::Subprocessors(_) => 4,
            Job::Diagnostics => 5,
            Job::Report(_) | Job::Diagrams => Job::DRAWING_TURN,
        }
    }

    /// The drawing of the diagrams, with the jobs that wait for it, comes after the records.
    const DRAWING_TURN: u8 = 1;

    /// The jobs a run does for each register, in the order their files are listed.
    fn all(products: Products, languages: &[crate::i18n::Lang]) -> Vec<Job> {
        let mut jobs = Vec::new();
        if products.register {
            jobs.push(Job::Register);
            jobs.push(Job::Diagnostics);
        }
        for &lang in languages {
            if products.records {
                jobs.push(Job::Records(lang));
            }
            if products.subprocessors {
                jobs.push(Job::Subprocessors(lang));
            }
            if products.transfers {
                jobs.push(Job::Transfers(lang));
            }
            if products.report {
                jobs.push(Job::Report(lang));
            }
        }
        if products.diagrams {
            jobs.push(Job::Diagrams);
        }
        jobs
    }

    fn name(&self) -> String {
        match self {
            Job::Register => "register.json".to_string(),
            Job::Diagnostics => "diagnostics.txt".to_string(),
            Job::Records(lang) => format!("records ({})", lang.code()),
            Job::Subprocessors(lang) => format!("sub-processor page ({})", lang.code()),
            Job::Transfers(lang) => format!("transfer reports ({})", lang.code()),
            Job::Report(lang) => format!("review report ({})", lang.code()),
            Job::Diagrams => "diagrams".to_string(),
        }
    }
}

/// Runs the pipeline; `Ok(true)` when the import of a register reported an error (compliance
/// findings are in the outputs; `ropa check` is the gate for them).
pub fn run(
    args: &PipelineArgs,
    products: Products,
    per_activity: &diagrams::PerActivity,
    color: ColorChoice,
) -> Result<bool> {
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
    // The products are independent: each is made on whichever core is free, and the files are
    // listed in a fixed order afterwards.
    let jobs = Job::all(products, &settings.languages);
    // Per register: reading and analysing, then each job.
    let progress = Progress::new((1 + jobs.len() as u64) * registers.len() as u64);
    for (index, input) in registers.iter().enumerate() {
        progress.doing(format!("{}: reading and analysing", input.name));
        let Analysed {
            register,
            graph,
            import_diagnostics,
            transfers: analysis,
            findings,
        } = pipeline::analyse(input, &settings, &overrides)?;
        progress.step(format!("{}: analysed", input.name));
        // Printed from the list itself: a copy would live as long as this register's exports.
        let shown = import_diagnostics
            .iter()
            .filter(|d| args.verbose || d.severity != Severity::Info);
        progress.suspend(|| render::human_all(shown, &mut stdout))?;
        let import_counts = Counts::of(&import_diagnostics);
        // The findings hold these too; one list is enough while the products are made.
        drop(import_diagnostics);
        any_errors |= import_counts.errors > 0;
        let counts = Counts::of(&findings);
        let dir = args.out.join(&input.name);
        refuse_overlap(&dir, &registers)?;
        // The register's folder is written aside and swapped in whole (a build replaces it; an
        // export of some outputs keeps the others).
        let swap = export::FolderSwap::begin(&dir, !products.is_all())?;
        let staging = swap.path().to_path_buf();
        let mut written: Vec<PathBuf> = Vec::new();
        if products.is_all()
            && let Some(previous) = settings.previous.get(&input.name)
        {
            let files = progress.suspend(|| {
                changes_since(
                    previous,
                    (&register, &graph, &analysis),
                    &settings,
                    &overrides,
                    color,
                )
            })?;
            written.extend(export::write_files(&staging.join("changes"), files)?);
        }

        let records_sources = records::RecordSources {
            register: &register,
            graph: &graph,
            analysis: &analysis,
            diagnostics: &findings,
        };
        // The records' context of each language, made by whichever of the records and the
        // report needs it first and shared by the other.
        let record_contexts: [OnceLock<records::Context>; Lang::ALL.len()] =
            std::array::from_fn(|_| OnceLock::new());
        let record_context = |lang: Lang| {
            // `Lang::ALL` lists the languages in their declared order.
            record_contexts[lang as usize]
                .get_or_init(|| records::Context::new(&records_sources, lang))
        };
        let diagram_sources = diagrams::DiagramSources {
            register: &register,
            graph: &graph,
            analysis: &analysis,
        };
        // Each job's files, and what the report says of its size and cuts.
        type JobResult = Result<(Vec<PathBuf>, Option<String>)>;
        let run = |job: &Job, drawn: &[diagrams::Drawn]| -> JobResult {
            let mut note = None;
            let files = match job {
                Job::Register => vec![
                    register_json::write(
                        &staging.join("register.json"),
                        &register,
                        &graph,
                        &findings,
                    )
                    .context("writing the register document")?,
                ],
                // The same report `ropa check` prints, without colour, for reviewers of
                // outputs/.
                Job::Diagnostics => vec![export::write_streamed(
                    &staging.join("diagnostics.txt"),
                    |out| Ok(plain_report(out, &findings, (&register, &graph), counts)?),
                )?],
                Job::Records(lang) => records::write_with(record_context(*lang), &staging)?,
                Job::Subprocessors(lang) => {
                    let page = subprocessors::PageSources {
                        register: &register,
                        transfers: &analysis,
                        date: settings.as_of,
                        notice_days: settings.notice.notice_days,
                        contact: export::notice::objection_contact(
                            settings.notice.objection_contact.as_deref(),
                            &register.organisation,
                        ),
                        publish_url: settings.notice.publish_url.clone(),
                    };
                    subprocessors::write(&page, *lang, &staging)
                        .context("writing the sub-processor page")?
                }
                Job::Transfers(lang) => {
                    transfers::write(&analysis, &register.organisation.name, *lang, &staging)?
                }
                Job::Report(lang) => {
                    let report_sources = report::ReportSources {
                        register: &register,
                        graph: &graph,
                        analysis: &analysis,
                        findings: &findings,
                        diagrams: drawn,
                    };
                    let file = report::file(*lang);
                    let mut made = None;
                    let path = export::write_streamed(&staging.join(&file), |out| {
                        made = Some(report::write_with(
                            &report_sources,
                            record_context(*lang),
                            out,
                        )?);
                        Ok(())
                    })?;
                    if let Some(made) = made {
                        let mut notes = vec![human_size(made.bytes as usize)];
                        match made.layout {
                            report::Layout::Open => {}
                            report::Layout::Collapsed => {
                                notes.push("activity sections collapsed".to_string())
                            }
                            report::Layout::Index => notes
                                .push("activities as an index: over the size budget".to_string()),
                        }
                        if made.findings_listed < made.findings_total {
                            notes.push(format!(
                                "the {} most serious of {} findings listed",
                                made.findings_listed, made.findings_total
                            ));
                        }
                        note = Some(format!(
                            "{} ({})",
                            dir.join(&made.file).display(),
                            notes.join("; ")
                        ));
                    }
                    vec![path]
                }
                Job::Diagrams => diagrams::write_drawn(drawn, &staging)?,
            };
            progress.step(format!("{}: {}", input.name, job.name()));
            Ok((files, note))
        };
        // Diagrams are drawn once, for diagrams/ and for the report, which inlines the
        // activities' own (a report alone draws only those). They are drawn while the jobs
        // that do not need them run.
        let needs_drawing = |job: &Job| matches!(job, Job::Report(_) | Job::Diagrams);
        // In each language of the run: all of them in the first (diagrams/), the activities'
        // own for the reports in the others.
        type Drawings = Vec<(crate::i18n::Lang, Vec<diagrams::Drawn>)>;
        let draw_all = || -> Result<Drawings, export::ExportError> {
            let mut drawn = Vec::new();
            if !(products.diagrams || products.report) {
                return Ok(drawn);
            }
            for (i, &lang) in settings.languages.iter().enumerate() {
                let all = products.diagrams && i == 0;
                if !all && !products.report {
                    break;
                }
                let made =
                    diagrams::draw(&diagram_sources, per_activity, args.renderer, lang, |s| {
                        all || matches!(s, diagrams::Subject::Activity(_))
                    })?;
                drawn.push((lang, made));
            }
            Ok(drawn)
        };
        // The jobs that need no drawing, and the drawing followed by the jobs that need it,
        // are tasks taken in order by whichever core is free: longest first, so that the
        // records (the longest) do not start behind the others.
        let results: Vec<Mutex<Option<JobResult>>> =
            jobs.iter().map(|_| Mutex::new(None)).collect();
        let drawing_failed = Mutex::new(None);
        let store = |i: usize, result: JobResult| {
            *results[i].lock().unwrap_or_else(PoisonError::into_inner) = Some(result);
        };
        let draw_then_jobs = || match draw_all() {
            Ok(drawn) => {
                for (i, job) in jobs
                    .iter()
                    .enumerate()
                    .filter(|(_, job)| needs_drawing(job))
                {
                    let lang = match job {
                        Job::Report(lang) => Some(*lang),
                        _ => None,
                    };
                    // The report's own language; diagrams/ gets the first.
                    let mine = drawn
                        .iter()
                        .find(|(l, _)| Some(*l) == lang)
                        .or(drawn.first())
                        .map(|(_, d)| d.as_slice())
                        .unwrap_or_default();
                    store(i, run(job, mine));
                }
            }
            Err(e) => {
                *drawing_failed
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner) = Some(e)
            }
        };
        let mut tasks: Vec<(u8, Option<(usize, &Job)>)> = jobs
            .iter()
            .enumerate()
            .filter(|(_, job)| !needs_drawing(job))
            .map(|(i, job)| (job.turn(), Some((i, job))))
            .collect();
        tasks.push((Job::DRAWING_TURN, None));
        tasks.sort_by_key(|(share, task)| (*share, task.map(|(i, _)| i)));
        rayon::scope_fifo(|scope| {
            for (_, task) in tasks {
                match task {
                    Some((i, job)) => scope.spawn_fifo(move |_| store(i, run(job, &[]))),
                    None => scope.spawn_fifo(|_| draw_then_jobs()),
                }
            }
        });
        if let Some(e) = drawing_failed
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
        {
            return Err(e.into());
        }
        // Listed in the jobs' order, whichever finished first.
        let results = results.into_iter().zip(&jobs).map(|(result, job)| {
            result
                .into_inner()
                .unwrap_or_else(PoisonError::into_inner)
                .unwrap_or_else(|| Err(anyhow::anyhow!("{} was not made", job.name())))
        });
        let mut report_notes = Vec::new();
        for result in results {
            let (files, note) = result?;
            written.extend(files);
            report_notes.extend(note);
        }
        swap.commit()?;

        if index + 1 == registers.len() {
            progress.finish();
        }
        progress.suspend(|| -> Result<()> {
            inspect::summary(&register, &graph, import_counts, &mut stdout)?;
            writeln!(
                stdout,
                "  findings: {} (in {}; `ropa check` gates on them)",
                render::summary_line(counts),
                dir.join("diagnostics.txt").display()
            )?;
            for note in &report_notes {
                writeln!(stdout, "  report: {note}")?;
            }
            writeln!(
                stdout,
                "  wrote {} files in {}",
                written.len(),
                dir.display()
            )?;
            writeln!(stdout)?;
            Ok(())
        })?;
        pipeline::release(
            (register, graph, analysis, findings),
            index + 1 == registers.len(),
        );
    }
    Ok(any_errors)
}

/// What changed since the register's previous version (`previous` in `ropa.toml`): the
/// change report as Markdown and JSON and, when a processor or transfer changed, the customer
/// notice with a new feed, as `ropa diff OLD NEW --notice DIR` writes them.
fn changes_since(
    previous: &Path,
    current: (
        &crate::model::Register,
        &crate::graph::FlowGraph,
        &crate::analysis::TransferAnalysis,
    ),
    settings: &pipeline::Settings,
    overrides: &crate::import::Overrides,
    color: ColorChoice,
) -> Result<Vec<(String, Vec<u8>)>> {
    use crate::analysis::changes;
    use crate::export::changes as report;
    if !previous.exists() {
        bail!(
            "the previous version `{}` named in ropa.toml does not exist",
            previous.display()
        );
    }
    let old = super::diff::version(previous, overrides, settings.as_of, color)?;
    let (register, graph, transfers) = current;
    let found = changes::compare(
        changes::Side {
            register: &old.register,
            transfers: &old.transfers,
        },
        changes::Side {
            register,
            transfers,
        },
    );
    let lang = settings.languages.first().copied().unwrap_or_default();
    let mut markdown = Vec::new();
    report::markdown(&found, lang, &mut markdown)?;
    let mut json = Vec::new();
    report::json(&found, &mut json).context("serialising the changes")?;
    let mut files = vec![
        ("changes.md".to_string(), markdown),
        ("changes.json".to_string(), json),
    ];
    let mut err = stream(std::io::stderr(), color);
    if !found.read_fully() {
        writeln!(
            err,
            "warning: no customer notice in changes/: a version of `{}` could not be read whole (see changes.md)",
            register.name
        )?;
    } else if found.notifiable().next().is_some() {
        let (notice, _) = super::diff::notice_files(
            &found,
            &old.register,
            (register, graph, transfers),
            settings,
            Path::new("changes"),
            &|_| Ok(None),
            &mut err,
        )?;
        files.extend(notice);
    }
    Ok(files)
}

/// The findings and the summary as `ropa check` prints them, without colour, written in
/// chunks (each cut between two findings, so no colour code is split).
fn plain_report(
    out: &mut dyn Write,
    findings: &[crate::diag::Diagnostic],
    (register, graph): (&crate::model::Register, &crate::graph::FlowGraph),
    counts: Counts,
) -> std::io::Result<()> {
    let mut chunk = Vec::with_capacity(1 << 16);
    let flush = |chunk: &mut Vec<u8>, out: &mut dyn Write| {
        let plain = anstream::adapter::strip_bytes(chunk).into_vec();
        chunk.clear();
        out.write_all(&plain)
    };
    for finding in findings {
        render::human(finding, &mut chunk)?;
        writeln!(chunk)?;
        if chunk.len() >= 1 << 16 {
            flush(&mut chunk, out)?;
        }
    }
    inspect::summary(register, graph, counts, &mut chunk)?;
    flush(&mut chunk, out)
}

/// A file size for people: bytes, KB or MB (powers of 1024, one decimal).
fn human_size(bytes: usize) -> String {
    let b = bytes as f64;
    if b < 1024.0 {
        format!("{bytes} B")
    } else if b < 1024.0 * 1024.0 {
        format!("{:.1} KB", b / 1024.0)
    } else {
        format!("{:.1} MB", b / (1024.0 * 1024.0))
    }
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
