//! `plumb baseline` and `plumb check`: the audit, compared with the findings a team has
//! accepted (the baseline), as a gate for CI and pre-commit. The comparison itself is the
//! judge's ([`crate::judge::baseline`]); this module reads and writes the files and
//! prints the verdict.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rayon::prelude::*;

use crate::analyzers::baseline::{read, BASELINE_PATH};
use crate::cli::{BaselineArgs, CheckArgs, CheckFormat, Format};
use crate::error::UserError;
use crate::judge::baseline::{compare_with, unknown_rule_entries, Gate};
use crate::model::{Audit, Baseline, BaselineSource};
use crate::scan::ScanOptions;
use crate::source::Snapshot;
use crate::{audit_and_scan_with, generated_at, own_outputs, print_or_stop, render, Progress, Stream};

/// The reports `plumb check --out` writes: the pack a reviewer reads and the SARIF that
/// code scanning uploads.
const CHECK_PACK: [Format; 3] = [Format::Md, Format::Json, Format::Sarif];

/// `plumb baseline`: writes the open findings to the baseline file, keeping the reason,
/// owner and expiry of the entries of the file it replaces that still match.
pub fn baseline_command(args: &BaselineArgs) -> anyhow::Result<ExitCode> {
    let generated_at = generated_at()?;
    let snapshot = Snapshot::open(&args.path, args.rev.as_deref())?;
    let output = match (&args.output, &snapshot.worktree) {
        (Some(file), _) => file.clone(),
        (None, Some(root)) => root.join(BASELINE_PATH),
        (None, None) => return Err(UserError::BaselineNeedsOutput.into()),
    };
    // Before the audit: a file that does not read stops the run, and stays as it is.
    let previous = match output.try_exists() {
        Ok(true) => Some(read_file(&output)?),
        Ok(false) => None,
        Err(e) => return Err(UserError::Unreadable(output, e.to_string()).into()),
    };
    let options = ScanOptions {
        max_file_bytes: args.max_file_size,
        excluded: Default::default(),
    };
    let progress = Progress::start(snapshot.entries.len() as u64, args.quiet);
    let (audit, scanned) = audit_and_scan_with(&snapshot, &options, generated_at, None, &|| progress.tick());
    progress.finish();
    let previous = match previous {
        Some(mut previous) => {
            known_rules_only(&previous, &output, &audit)?;
            let today = audit.generated_at.get(..10).unwrap_or_default().to_string();
            compare_with(&audit.findings, &mut previous, &today);
            Some(previous)
        }
        None => None,
    };
    let (text, written) = render::baseline_file::render(&audit, previous.as_ref());
    std::mem::forget((audit, scanned));
    let dir = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    render::write_all_atomic(dir, &[(output.clone(), vec![text.into_bytes()])])?;
    if !args.quiet {
        let kept = match written.annotated {
            0 => String::new(),
            n => format!(", {n} with a reason, owner or expiry kept"),
        };
        let dropped = match written.dropped {
            0 => String::new(),
            n => format!("; {n} fixed left out"),
        };
        let line = format!(
            "plumb: wrote {} ({} entries{kept}{dropped})",
            output.display(),
            written.entries
        );
        print_or_stop(Stream::Stdout, &format!("{}\n", render::escape::terminal(&line)))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `plumb check`: exit 0 when the baseline accepts every open finding (and the rest of
/// the gate holds), 1 when not, 2 on a usage error.
pub fn check_command(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let generated_at = generated_at()?;
    let external = args.baseline.as_deref().map(read_file).transpose()?;
    let snapshot = Snapshot::open(&args.path, args.rev.as_deref())?;
    if let Some(out) = &args.out {
        render::remove_stale_temps(out);
    }
    let options = ScanOptions {
        max_file_bytes: args.max_file_size,
        excluded: own_outputs(&snapshot, args.out.as_deref()),
    };
    // A check is quiet but for its verdict: no progress bar in a hook or a CI log.
    let (audit, scanned) = audit_and_scan_with(&snapshot, &options, generated_at, external, &|| {});
    if let (Some(file), Some(baseline)) = (&args.baseline, &audit.baseline) {
        known_rules_only(baseline, file, &audit)?;
    }
    if let Some(out) = &args.out {
        crate::release_freed_memory();
        let files: Vec<(PathBuf, Vec<Vec<u8>>)> = CHECK_PACK
            .par_iter()
            .map(|format| (out.join(format.file_name()), render::render_parts(*format, &audit)))
            .collect();
        render::write_pack(out, &files, true)?;
    }
    let gate = Gate::new(&audit, args.min_score, args.strict);
    let verdict = match args.format {
        CheckFormat::Text => render::gate::text(&audit, &gate),
        CheckFormat::Github => render::gate::github(&audit, &gate),
    };
    let passed = gate.passed();
    drop(gate);
    std::mem::forget((audit, scanned));
    print_or_stop(Stream::Stdout, &verdict)?;
    Ok(if passed { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// A baseline file named on the command line: its first mistake is the user's error, in
/// one line (`FILE:LINE:COLUMN: message`, and how many more there are).
fn read_file(file: &Path) -> Result<Baseline, UserError> {
    let bytes = std::fs::read(file).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => UserError::NoSuchPath(file.to_path_buf()),
        _ => UserError::Unreadable(file.to_path_buf(), e.to_string()),
    })?;
    let text = String::from_utf8(bytes)
        .map_err(|_| UserError::Unreadable(file.to_path_buf(), "not UTF-8 text".to_string()))?;
    let shown = file.display().to_string();
    let (baseline, problems) = read(&shown, text.into(), BaselineSource::File);
    match problems.first() {
        None => Ok(baseline),
        Some(first) => {
            let more = match problems.len() - 1 {
                0 => String::new(),
                n => format!(" (and {n} more)"),
            };
            let location = &first.location;
            let message = format!("{}{more}", first.message);
            Err(UserError::Baseline(
                file.to_path_buf(),
                location.line,
                location.column,
                message,
            ))
        }
    }
}

/// The first entry of a baseline file that names no rule of this plumb, as the user's
/// error.
fn known_rules_only(baseline: &Baseline, file: &Path, audit: &Audit) -> Result<(), UserError> {
    let unknown = unknown_rule_entries(baseline, audit);
    match unknown.first() {
        None => Ok(()),
        Some(entry) => {
            let more = match unknown.len() - 1 {
                0 => String::new(),
                n => format!(" (and {n} more)"),
            };
            let message = format!("entry for `{}`, which is no rule of this plumb{more}", entry.rule);
            Err(UserError::Baseline(file.to_path_buf(), entry.line, 1, message))
        }
    }
}
