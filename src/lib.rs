//! plumb audits a repository statically and writes the baseline refactoring audit pack.
//!
//! Data flows one way: [`source`] opens a snapshot (work tree, revision or plain
//! directory), [`scan`] reads every file once in parallel and hands it to the
//! [`analyzers`], whose facts make up the [`model::Audit`], which [`render`] turns into
//! Markdown, JSON and SARIF. The CLI only wires these together.

pub mod analyzers;
pub mod cli;
pub mod error;
// Also in plumb's own tests, so that `cargo test` runs the fuzz targets' entry points.
#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;
pub mod graph;
mod init;
pub mod model;
pub mod render;
pub mod scan;
pub mod source;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::ValueEnum;
use rayon::prelude::*;

use crate::cli::{AuditArgs, Command, Format, SbomArgs};
use crate::error::UserError;
use crate::model::{Audit, SnapshotFacts, Tool};
use crate::scan::ScanOptions;
use crate::source::Snapshot;

/// Runs the command line; `Err` is printed as one line and exits with 2.
pub fn run(cli: cli::Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Audit(args) => audit_command(&args),
        Command::Sbom(args) => sbom_command(&args),
        Command::Init(args) => init::run(&args),
    }
}

fn audit_command(args: &AuditArgs) -> anyhow::Result<ExitCode> {
    let snapshot = Snapshot::open(&args.path, args.rev.as_deref())?;
    let out_dir = match (&args.stdout, &args.out, &snapshot.worktree) {
        (Some(_), _, _) => None,
        (None, Some(out), _) => Some(out.clone()),
        (None, None, Some(root)) => Some(root.join("docs").join("audit")),
        (None, None, None) => return Err(UserError::BareNeedsOut.into()),
    };
    let options = ScanOptions {
        max_file_bytes: args.max_file_size,
        excluded: own_outputs(&snapshot, out_dir.as_deref()),
    };
    let progress = Progress::start(snapshot.entries.len() as u64, args.quiet);
    let (audit, scanned) = audit_and_scan(&snapshot, &options, generated_at(), &|| progress.tick());
    progress.finish();

    if args.findings {
        let listing = render::terminal::findings(&audit);
        if args.stdout.is_some() {
            eprint!("{listing}");
        } else {
            print!("{listing}");
        }
    }
    if let Some(format) = args.stdout {
        return print_stdout(&render::render(format, &audit));
    }
    let out_dir = out_dir.expect("an output folder is chosen unless --stdout");
    let mut formats = args.format.clone();
    formats.sort();
    formats.dedup();
    // The renderers only read the audit: each format on its own thread.
    let files: Vec<(PathBuf, Vec<Vec<u8>>)> = formats
        .par_iter()
        .map(|format| (out_dir.join(format.file_name()), render::render_parts(*format, &audit)))
        .collect();
    let summary = (!args.quiet).then(|| summary(&audit, &files));
    // Neither the audit nor what the scan gathered is read again, and the process ends
    // once the files are written: its memory goes back to the system with it. Freeing
    // them first (Linux: 400,000 allocations of edges and modules; executorch: 40,000 raw
    // imports), even on a spare pool thread while the files were written, made the
    // executorch audit 4 ms longer (172.0 against 176.2 ms, 30 rounds in alternation), 2.5
    // ms of it after the last write: mimalloc hands freed pages back with `madvise`, and
    // the exit waited for it.
    std::mem::forget((audit, scanned));
    render::write_all_atomic(&out_dir, &files)?;
    if let Some(summary) = summary {
        println!("{summary}");
    }
    Ok(ExitCode::SUCCESS)
}

/// `plumb sbom`: the audit of `plumb audit`, rendered as CycloneDX only. A BOM written into
/// the audited tree is left out of the scan like the pack's own files (by its folder's
/// report names, `sbom.cdx.json` among them).
fn sbom_command(args: &SbomArgs) -> anyhow::Result<ExitCode> {
    let snapshot = Snapshot::open(&args.path, args.rev.as_deref())?;
    let out_dir = args.output.as_deref().map(|file| {
        file.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    });
    let options = ScanOptions {
        max_file_bytes: args.max_file_size,
        excluded: own_outputs(&snapshot, out_dir),
    };
    let progress = Progress::start(snapshot.entries.len() as u64, false);
    let audit = audit(&snapshot, &options, generated_at(), &|| progress.tick());
    progress.finish();
    let bom = render::cyclonedx::render(&audit);
    match (&args.output, out_dir) {
        (Some(file), Some(dir)) => {
            render::write_all_atomic(dir, &[(file.clone(), vec![bom.into_bytes()])])?;
            Ok(ExitCode::SUCCESS)
        }
        _ => print_stdout(&bom),
    }
}

fn print_stdout(text: &str) -> anyhow::Result<ExitCode> {
    let mut stdout = std::io::stdout().lock();
    let written = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
    match written {
        // A reader that stops early (`| head`) is not an error of the audit.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}

/// Audits a snapshot: the scan, then every analyzer's `finish`, then sorting.
pub fn audit(snapshot: &Snapshot, options: &ScanOptions, generated_at: String, tick: &(dyn Fn() + Sync)) -> Audit {
    let (audit, scanned) = audit_and_scan(snapshot, options, generated_at, tick);
    // Freed beside whatever the caller does next.
    rayon::spawn(move || drop(scanned));
    audit
}

/// [`audit`], and what the scan gathered (every file record, every raw import), which is
/// not read again: the caller frees it when it suits (`plumb audit` leaves it to the
/// process's exit).
fn audit_and_scan(
    snapshot: &Snapshot,
    options: &ScanOptions,
    generated_at: String,
    tick: &(dyn Fn() + Sync),
) -> (Audit, analyzers::Analysis) {
    // `git status` stats every file and walks for untracked ones: it runs alongside the
    // scan of the tracked files, and its untracked files are scanned after.
    let (status, tracked) = rayon::join(
        || snapshot.worktree_status(),
        || scan::scan(snapshot, &snapshot.entries, options, tick),
    );
    let mut repository = snapshot.repo.clone();
    let pass = match status {
        Some(worktree) => {
            if let Some(repository) = repository.as_mut() {
                repository.status = Some(worktree.status);
            }
            tracked.merge(scan::scan(snapshot, &worktree.untracked, options, tick))
        }
        None => tracked,
    };
    let analysis = pass.finish();
    let mut audit = Audit {
        schema_version: model::SCHEMA_VERSION,
        tool: Tool {
            name: env!("CARGO_PKG_NAME").to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        },
        generated_at,
        snapshot: SnapshotFacts {
            kind: snapshot.kind,
            root_name: snapshot.root_name.clone(),
            requested_revision: snapshot.requested_revision.clone(),
            commit: snapshot.commit.clone(),
            max_file_bytes: options.max_file_bytes,
        },
        repository,
        inventory: Default::default(),
        module_tree: Vec::new(),
        god_modules: Default::default(),
        tests: Default::default(),
        toolchains: Vec::new(),
        ci: Default::default(),
        supply_chain: Default::default(),
        architecture: Default::default(),
        surfaces: Default::default(),
        analyzers: analyzers::ALL.iter().map(|a| a.id().to_string()).collect(),
        rules: analyzers::ALL.iter().flat_map(|a| a.rules().iter().copied()).collect(),
        findings: analysis.findings.clone(),
        scan_notes: analysis.notes.clone(),
    };
    // Long finishes first: each thread runs its share of the list in order.
    let mut order: Vec<(usize, &dyn analyzers::Analyzer)> = analyzers::ALL.iter().copied().enumerate().collect();
    order.sort_by_key(|(_, analyzer)| !analyzer.finishes_long());
    let mut conclusions: Vec<(usize, analyzers::Conclusion)> = order
        .into_par_iter()
        .map(|(position, analyzer)| (position, analyzer.finish(&analysis)))
        .collect();
    conclusions.sort_by_key(|(position, _)| *position);
    for (_, conclude) in conclusions {
        conclude(&mut audit);
    }
    graph::measure(&mut audit);
    audit.normalize();
    (audit, analysis)
}

/// The repository-relative paths of the reports this run writes, when they sit inside the
/// audited tree: an earlier run's reports are counted but not analysed, or every run would
/// audit the previous one and no two runs would agree.
fn own_outputs(snapshot: &Snapshot, out_dir: Option<&Path>) -> std::collections::BTreeSet<String> {
    let (Some(out_dir), Some(root)) = (out_dir, &snapshot.worktree) else {
        return Default::default();
    };
    let absolute = |p: &Path| {
        std::fs::canonicalize(p)
            .or_else(|_| std::path::absolute(p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    let (root, out) = (absolute(root), absolute(out_dir));
    let Ok(relative) = out.strip_prefix(&root) else {
        return Default::default();
    };
    let prefix = relative.to_string_lossy().replace('\\', "/");
    // Every format, not only those asked for: a report left by an earlier run with other
    // formats is just as much the tool's own output.
    Format::value_variants()
        .iter()
        .map(|f| match prefix.as_str() {
            "" => f.file_name().to_string(),
            dir => format!("{dir}/{}", f.file_name()),
        })
        .collect()
}

/// The audit's time stamp: `SOURCE_DATE_EPOCH` when set (reproducible builds), else now.
fn generated_at() -> String {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    gix::date::Time::new(seconds, 0).format_or_unix(gix::date::time::format::ISO8601_STRICT)
}

fn summary(audit: &Audit, files: &[(PathBuf, Vec<Vec<u8>>)]) -> String {
    let what = match (&audit.snapshot.requested_revision, &audit.snapshot.commit) {
        (Some(rev), Some(commit)) => format!("revision {rev} ({})", &commit[..commit.len().min(12)]),
        (None, Some(commit)) => format!("work tree at {}", &commit[..commit.len().min(12)]),
        _ => format!("{} ({:?})", audit.snapshot.root_name, audit.snapshot.kind),
    };
    let inventory = &audit.inventory;
    let written: Vec<String> = files.iter().map(|(p, _)| p.display().to_string()).collect();
    format!(
        "plumb: audited {what}: {} files ({} untracked), {} lines of code in {} languages, {} scan notes\nplumb: wrote {}",
        inventory.tracked_files,
        inventory.untracked.files,
        inventory.lines.code,
        inventory.languages.len(),
        audit.scan_notes.len(),
        written.join(", ")
    )
}

/// A progress bar on stderr, shown only on a terminal and only once a run takes longer
/// than a moment.
struct Progress {
    bar: indicatif::ProgressBar,
}

impl Progress {
    fn start(total: u64, quiet: bool) -> Progress {
        let bar = indicatif::ProgressBar::with_draw_target(Some(total), indicatif::ProgressDrawTarget::hidden());
        if !quiet && std::io::stderr().is_terminal() {
            let style =
                indicatif::ProgressStyle::with_template("{spinner} scanning {pos}/{len} files {wide_bar} {eta}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
            bar.set_style(style);
            let delayed = bar.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(300));
                if !delayed.is_finished() {
                    delayed.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                }
            });
        }
        Progress { bar }
    }

    fn tick(&self) {
        self.bar.inc(1);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
