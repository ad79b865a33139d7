//! plumb audits a repository statically and writes the baseline refactoring audit pack.
//!
//! Data flows one way: [`source`] opens a snapshot (work tree, revision or plain
//! directory), [`scan`] reads every file once in parallel and hands it to the
//! [`analyzers`], whose facts make up the [`model::Audit`], which [`render`] turns into
//! Markdown, JSON and SARIF. The CLI only wires these together.

pub mod analyzers;
mod check;
pub mod cli;
pub mod error;
// Also in plumb's own tests, so that `cargo test` runs the fuzz targets' entry points.
#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;
pub mod graph;
mod init;
pub mod judge;
pub mod model;
pub mod refactor_md;
pub mod render;
pub mod scan;
pub mod source;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;
use std::time::Duration;

use clap::ValueEnum;
use rayon::prelude::*;

use crate::cli::{AuditArgs, Command, Format, SbomArgs};
use crate::error::UserError;
use crate::model::{Audit, SnapshotFacts, Tool};
use crate::scan::ScanOptions;
use crate::source::Snapshot;

/// Runs the command line; `Err` is printed as one line and exits with 2.
/// Hands the pages the allocator keeps after they are freed back to the system; the binary
/// sets it to mimalloc's collection. Called once, between the audit and its reports:
/// mimalloc keeps freed pages 10 ms before it returns them, so the reports of a large file
/// (20,000 lockfile packages, 9 MB) were laid out on top of the scan's freed pages: 8 to 10
/// MB of its peak (BENCHMARKS.md). Collecting at every free instead (`MIMALLOC_PURGE_DELAY=0`)
/// made the executorch audit 9 % slower; once here, no slower within the noise.
pub static RELEASE_FREED_MEMORY: OnceLock<fn()> = OnceLock::new();

pub(crate) fn release_freed_memory() {
    if let Some(release) = RELEASE_FREED_MEMORY.get() {
        release();
    }
}

pub fn run(cli: cli::Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Audit(args) => audit_command(&args),
        Command::Sbom(args) => sbom_command(&args),
        Command::Init(args) => init::run(&args),
        Command::Baseline(args) => check::baseline_command(&args),
        Command::Check(args) => check::check_command(&args),
    }
}

fn audit_command(args: &AuditArgs) -> anyhow::Result<ExitCode> {
    let generated_at = generated_at()?;
    let snapshot = Snapshot::open(&args.path, args.rev.as_deref())?;
    // Checked before the scan: a REFACTOR.md without its block stops the run at once.
    let refactor_root = match (args.update_refactor_md, &snapshot.worktree) {
        (false, _) => None,
        (true, Some(root)) => {
            refactor_md::check(root)?;
            Some(root.clone())
        }
        (true, None) => {
            return Err(
                UserError::RefactorMd("a bare repository has no work tree holding REFACTOR.md".to_string()).into(),
            )
        }
    };
    let out_dir = match (&args.stdout, &args.out, &snapshot.worktree) {
        (Some(_), _, _) => None,
        (None, Some(out), _) => Some(out.clone()),
        (None, None, Some(root)) => Some(root.join("docs").join("audit")),
        (None, None, None) => return Err(UserError::BareNeedsOut.into()),
    };
    if let Some(out_dir) = &out_dir {
        render::remove_stale_temps(out_dir);
    }
    let options = ScanOptions {
        max_file_bytes: args.max_file_size,
        excluded: own_outputs(&snapshot, out_dir.as_deref()),
    };
    let progress = Progress::start(snapshot.entries.len() as u64, args.quiet);
    let (audit, scanned) = audit_and_scan(&snapshot, &options, generated_at, &|| progress.tick());
    progress.finish();

    let listing = args.findings.then(|| render::terminal::findings(&audit));
    // Rendered now: the audit is not kept once the pack is rendered.
    let refactor_block = refactor_root
        .as_ref()
        .map(|root| (root, render::refactor_md::block(&audit)));
    if let Some(format) = args.stdout {
        // The report owns stdout: the listing goes to stderr, before it.
        if let Some(listing) = &listing {
            print_or_stop(Stream::Stderr, listing)?;
        }
        print_or_stop(Stream::Stdout, &render::render(format, &audit))?;
        if let Some((root, block)) = refactor_block {
            update_refactor_md(root, &block)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let out_dir = out_dir.expect("an output folder is chosen unless --stdout");
    let mut formats = args.format.clone();
    formats.sort();
    formats.dedup();
    release_freed_memory();
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
    // The pack first: a reader that stops the listing early (`| head`) still gets it.
    render::write_pack(&out_dir, &files, args.quiet)?;
    let refactor_note = match refactor_block {
        Some((root, block)) => Some(update_refactor_md(root, &block)?),
        None => None,
    };
    let printed = match listing {
        Some(listing) => print_or_stop(Stream::Stdout, &listing)?,
        None => Printed::All,
    };
    if let (Printed::All, Some(summary)) = (printed, summary) {
        let summary = match refactor_note {
            Some(note) => format!("{summary}\n{note}"),
            None => summary,
        };
        print_or_stop(Stream::Stdout, &format!("{summary}\n"))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Rewrites REFACTOR.md's block; what was done, for the closing lines.
fn update_refactor_md(root: &Path, block: &str) -> Result<String, UserError> {
    Ok(match refactor_md::update(root, block)? {
        refactor_md::Updated::Written => format!("plumb: rewrote the plumb block of {}", refactor_md::FILE),
        refactor_md::Updated::Unchanged => format!("plumb: the plumb block of {} is up to date", refactor_md::FILE),
    })
}

/// `plumb sbom`: the audit of `plumb audit`, rendered as CycloneDX only. A BOM written into
/// the audited tree is left out of the scan like the pack's own files (by its folder's
/// report names, `sbom.cdx.json` among them).
fn sbom_command(args: &SbomArgs) -> anyhow::Result<ExitCode> {
    let generated_at = generated_at()?;
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
    let audit = audit(&snapshot, &options, generated_at, &|| progress.tick());
    progress.finish();
    let bom = render::cyclonedx::render(&audit);
    match (&args.output, out_dir) {
        (Some(file), Some(dir)) => render::write_all_atomic(dir, &[(file.clone(), vec![bom.into_bytes()])])?,
        _ => {
            print_or_stop(Stream::Stdout, &bom)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Clone, Copy)]
pub(crate) enum Stream {
    Stdout,
    Stderr,
}

/// Whether all of a text reached its reader.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Printed {
    All,
    /// The reader closed the pipe (`| head`): nothing more is printed, and the run still
    /// ends with 0, as ripgrep and git do. (Rust ignores SIGPIPE, so the write fails
    /// instead of killing the process, and `print!` would panic with exit 101.)
    ReaderGone,
}

pub(crate) fn print_or_stop(stream: Stream, text: &str) -> anyhow::Result<Printed> {
    let written = match stream {
        Stream::Stdout => write_flushed(&mut std::io::stdout().lock(), text),
        Stream::Stderr => write_flushed(&mut std::io::stderr().lock(), text),
    };
    match written {
        Ok(()) => Ok(Printed::All),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(Printed::ReaderGone),
        Err(e) => Err(e.into()),
    }
}

fn write_flushed(out: &mut impl Write, text: &str) -> std::io::Result<()> {
    out.write_all(text.as_bytes())?;
    out.flush()
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
    audit_and_scan_with(snapshot, options, generated_at, None, tick)
}

/// [`audit_and_scan`], compared with `baseline` (a `plumb check --baseline` file, read by
/// the CLI) instead of the snapshot's own.
fn audit_and_scan_with(
    snapshot: &Snapshot,
    options: &ScanOptions,
    generated_at: String,
    baseline: Option<model::Baseline>,
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
    let mut analysis = pass.finish();
    // No analyzer's `finish` reads the scan's findings: they move into the audit.
    let findings = std::mem::take(&mut analysis.findings);
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
            name_source: snapshot.name_source,
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
        python_versions: Default::default(),
        ci: Default::default(),
        supply_chain: Default::default(),
        architecture: Default::default(),
        surfaces: Default::default(),
        baseline: None,
        governance: Default::default(),
        analyzers: analyzers::ALL.iter().map(|a| a.id().to_string()).collect(),
        rules: analyzers::ALL.iter().flat_map(|a| a.rules().iter().copied()).collect(),
        findings,
        scan_notes: analysis.notes.clone(),
        scores: Default::default(),
        top_issues: Vec::new(),
        plan: Default::default(),
        inline_suppressions: Default::default(),
    };
    // Long finishes first: each thread runs its share of the list in order.
    let mut order: Vec<(usize, &dyn analyzers::Analyzer)> = analyzers::ALL.iter().copied().enumerate().collect();
    order.sort_by_key(|(_, analyzer)| !analyzer.finishes_long());
    let scanned_findings = audit.findings.len();
    let mut conclusions: Vec<(usize, analyzers::Conclusion)> = order
        .into_par_iter()
        .map(|(position, analyzer)| (position, analyzer.finish(&analysis)))
        .collect();
    conclusions.sort_by_key(|(position, _)| *position);
    for (_, conclude) in conclusions {
        conclude(&mut audit);
    }
    if baseline.is_some() {
        audit.baseline = baseline;
    }
    graph::assign_packages(&mut audit);
    graph::measure(&mut audit);
    judge::findings(&mut audit);
    // The scan capped its findings as they were reported; these were made after it.
    analyzers::cap_per_file(&mut audit.findings, scanned_findings);
    analyzers::cap_audit(&mut audit.findings);
    // What the renderers transform before writing it; the rest is masked as written.
    analyzers::secrets::mask_audit(&mut audit);
    audit.normalize();
    judge::judge(&mut audit);
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

/// The last second a four-digit year can show, 9999-12-31T23:59:59Z: RFC 3339 and the
/// CycloneDX schema's `date-time` have no room for a later one.
const LATEST_SOURCE_DATE_EPOCH: u64 = 253_402_300_799;

/// The audit's time stamp: `SOURCE_DATE_EPOCH` when set (reproducible builds), else now.
/// A malformed value is the user's error, as the reproducible-builds specification asks
/// (<https://reproducible-builds.org/specs/source-date-epoch/>): ASCII digits only (what
/// `date +%s` prints; no sign, exponent, fraction or space), no later than
/// [`LATEST_SOURCE_DATE_EPOCH`].
fn generated_at() -> Result<String, UserError> {
    let seconds = match std::env::var_os("SOURCE_DATE_EPOCH") {
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        Some(value) => source_date_epoch(&value.to_string_lossy())?,
    };
    Ok(rfc3339_utc(seconds.min(LATEST_SOURCE_DATE_EPOCH)))
}

/// `seconds` since 1970 as `YYYY-MM-DDThh:mm:ss+00:00`, for any year up to 9999. (gix's
/// formatter gives up on the last day of 9999 and falls back to the bare number, which
/// is no date at all.)
fn rfc3339_utc(seconds: u64) -> String {
    let (days, second_of_day) = (seconds / 86_400, seconds % 86_400);
    // Howard Hinnant's `civil_from_days`, for days on or after 1970-01-01 (era 4 on).
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}+00:00",
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60
    )
}

fn source_date_epoch(value: &str) -> Result<u64, UserError> {
    let malformed = || UserError::SourceDateEpoch(value.to_string(), LATEST_SOURCE_DATE_EPOCH);
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed());
    }
    value
        .parse::<u64>()
        .ok()
        .filter(|&seconds| seconds <= LATEST_SOURCE_DATE_EPOCH)
        .ok_or_else(malformed)
}

/// The closing lines: what was audited, under which name, and the files written.
fn summary(audit: &Audit, files: &[(PathBuf, Vec<Vec<u8>>)]) -> String {
    use crate::model::{NameSource, SnapshotKind};
    use render::escape::terminal;
    let snapshot = &audit.snapshot;
    let name = terminal(&snapshot.root_name);
    let short = |commit: &str| commit[..commit.len().min(12)].to_string();
    let what = match (snapshot.kind, &snapshot.requested_revision, &snapshot.commit) {
        (SnapshotKind::PlainDirectory, _, _) => format!("the plain directory {name} (not a git repository)"),
        (SnapshotKind::WorkTree, _, Some(commit)) => format!("the work tree of {name} at {}", short(commit)),
        (SnapshotKind::WorkTree, _, None) => format!("the work tree of {name}, which has no commits"),
        (SnapshotKind::Revision, Some(rev), Some(commit)) => {
            format!("revision {} ({}) of {name}", terminal(rev), short(commit))
        }
        (SnapshotKind::Revision, None, Some(commit)) => {
            format!("HEAD ({}) of the bare repository {name}", short(commit))
        }
        (SnapshotKind::Revision, _, None) => format!("the bare repository {name}, which has no commits"),
    };
    let named = match (snapshot.name_source, snapshot.kind) {
        (_, SnapshotKind::PlainDirectory) => "",
        (NameSource::Remote, _) => " (named after its remote's URL)",
        (NameSource::Folder, _) => " (named after its folder: no remote with a host)",
    };
    let inventory = &audit.inventory;
    let written: Vec<String> = files
        .iter()
        .map(|(p, _)| terminal(&p.display().to_string()).into_owned())
        .collect();
    format!(
        "plumb: audited {what}{named}: {} files ({} untracked), {} lines of code in {} languages, {} scan notes\nplumb: wrote {}",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_stamps_cover_every_four_digit_year() {
        assert_eq!(rfc3339_utc(0), "1970-01-01T00:00:00+00:00");
        assert_eq!(rfc3339_utc(951_782_400), "2000-02-29T00:00:00+00:00");
        assert_eq!(rfc3339_utc(1_767_322_800), "2026-01-02T03:00:00+00:00");
        assert_eq!(rfc3339_utc(4_107_542_399), "2100-02-28T23:59:59+00:00");
        assert_eq!(rfc3339_utc(LATEST_SOURCE_DATE_EPOCH), "9999-12-31T23:59:59+00:00");
    }

    #[test]
    fn source_date_epoch_is_digits_in_range() {
        assert_eq!(source_date_epoch("0").ok(), Some(0));
        assert_eq!(source_date_epoch("253402300799").ok(), Some(LATEST_SOURCE_DATE_EPOCH));
        for malformed in [
            "",
            "x",
            "1e9",
            "-1",
            "+1",
            "1 ",
            "1.0",
            "253402300800",
            "18446744073709551616",
        ] {
            assert!(source_date_epoch(malformed).is_err(), "{malformed:?}");
        }
    }
}
