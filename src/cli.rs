//! Command-line types. The doc comments are the `--help` text.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// The end of `--help`: what a script calling plumb needs to know. (A macro, for
/// `concat!`.)
macro_rules! exit_codes {
    () => {
        "\
Exit codes:
  0    done (also when the reader of stdout stops early, as `| head` does)
  2    a mistake in the command line or its inputs, told in one line on stderr
  101  a bug in plumb: please report it with its message"
    };
}

const EXIT_CODES: &str = exit_codes!();

/// `--help` of `audit` and `sbom`, which stamp what they write with the time.
const EXIT_CODES_AND_ENVIRONMENT: &str = concat!(
    exit_codes!(),
    "

Environment:
  SOURCE_DATE_EPOCH  the audit's time stamp, in seconds since 1970 (reproducible builds);
                     a value that is not a whole number from 0 to 253402300799 exits with 2"
);

/// `--help` of `check`, whose exit code is its verdict.
const CHECK_EXIT_CODES: &str = "\
Exit codes:
  0    every open finding is in the baseline, no entry has expired, and the score (if a
       minimum is set) is met; with --strict, no entry is stale either
  1    new findings, expired entries, a score below the minimum or not assessable, or
       (--strict) entries whose finding is gone
  2    a mistake in the command line or its inputs (a malformed --baseline file among
       them), told in one line on stderr
  101  a bug in plumb: please report it with its message

Environment:
  SOURCE_DATE_EPOCH  the audit's time stamp, in seconds since 1970, and the date entries'
                     `expires` are compared with; a malformed value exits with 2";

/// Static baseline refactoring audit of a git repository: measured, never guessed.
#[derive(Debug, Parser)]
#[command(name = "plumb", version, about, after_help = EXIT_CODES_AND_ENVIRONMENT)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Audit a repository, a revision or a plain directory and write the audit pack.
    #[command(after_help = EXIT_CODES_AND_ENVIRONMENT)]
    Audit(AuditArgs),
    /// Print the software bill of materials as CycloneDX 1.6 JSON.
    ///
    /// Components: declared and locked dependencies, the GitHub Actions workflows use,
    /// submodules and vendored code, each with its purl, version and where it is declared.
    #[command(after_help = EXIT_CODES_AND_ENVIRONMENT)]
    Sbom(SbomArgs),
    /// Write the open findings to the baseline that `plumb check` accepts
    /// (.plumb/baseline.toml), keeping the reason, owner and expiry of entries that still
    /// match.
    #[command(after_help = EXIT_CODES_AND_ENVIRONMENT)]
    Baseline(BaselineArgs),
    /// Audit, and fail on what the baseline does not accept: new findings, expired
    /// entries, a score below the minimum. For CI and pre-commit.
    #[command(after_help = CHECK_EXIT_CODES)]
    Check(CheckArgs),
    /// Write a commented starter plumb.toml at the repository root from what the scan
    /// finds: surfaces with their globs and blast radius, and the inferred layers.
    #[command(after_help = EXIT_CODES)]
    Init(InitArgs),
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Anywhere inside a work tree, or a plain directory.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Replace an existing plumb.toml.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    /// Anywhere inside a work tree, a bare repository, or a plain directory.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Audit this commit-ish (sha, tag, branch, HEAD~3) straight from the object
    /// database, without a checkout.
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,

    /// Where to write the pack [default: docs/audit under the repository root]. A run
    /// that finds another writing the same folder waits for it to finish.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Formats to write, comma-separated.
    #[arg(long, value_delimiter = ',', default_values = ["md", "json"])]
    pub format: Vec<Format>,

    /// Print one format on stdout instead of writing files.
    #[arg(long, value_name = "FORMAT", conflicts_with = "out")]
    pub stdout: Option<Format>,

    /// List the open findings in the terminal, each with its line and a caret (on stderr
    /// when --stdout prints a report).
    #[arg(long)]
    pub findings: bool,

    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,

    /// Files larger than this many bytes are counted and listed, not parsed.
    #[arg(long, value_name = "BYTES", default_value_t = 10 * 1024 * 1024)]
    pub max_file_size: u64,

    /// Also rewrite the block between the lines `<!-- plumb:begin -->` and
    /// `<!-- plumb:end -->` of REFACTOR.md at the root of the work tree with the verdict,
    /// key figures and guardrails; the rest of the file is never touched. Without one such
    /// block the run stops before the scan (exit 2).
    #[arg(long, conflicts_with = "rev")]
    pub update_refactor_md: bool,
}

#[derive(Debug, clap::Args)]
pub struct BaselineArgs {
    /// Anywhere inside a work tree, a bare repository, or a plain directory.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Take the findings of this commit-ish, straight from the object database.
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,

    /// Write the baseline to this file (atomically) [default: .plumb/baseline.toml under
    /// the repository root]. An existing file there must read without error: its
    /// entries' reason, owner and expiry are kept.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,

    /// Files larger than this many bytes are counted and listed, not parsed.
    #[arg(long, value_name = "BYTES", default_value_t = 10 * 1024 * 1024)]
    pub max_file_size: u64,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Anywhere inside a work tree, a bare repository, or a plain directory.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Check this commit-ish straight from the object database, without a checkout.
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,

    /// Compare with this baseline file instead of .plumb/baseline.toml of the snapshot.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Fail when the overall score is below this (0 to 10) or not assessable; overrides
    /// `[check] min_score` of plumb.toml.
    #[arg(long, value_name = "N", value_parser = score)]
    pub min_score: Option<f64>,

    /// Fail on stale entries too (their finding is gone), so the baseline only shrinks.
    #[arg(long)]
    pub strict: bool,

    /// How to print the verdict: rustc-style text, or GitHub workflow commands that
    /// annotate the pull request.
    #[arg(long, value_name = "FORMAT", default_value = "text")]
    pub format: CheckFormat,

    /// Also write the pack (audit.md, audit.json, audit.sarif) into this folder.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Files larger than this many bytes are counted and listed, not parsed.
    #[arg(long, value_name = "BYTES", default_value_t = 10 * 1024 * 1024)]
    pub max_file_size: u64,
}

/// `--min-score`: a number from 0 to 10.
fn score(text: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .ok()
        .filter(|n| (0.0..=10.0).contains(n))
        .ok_or_else(|| format!("`{text}` is not a number from 0 to 10"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// The new findings rustc-style, as `plumb audit --findings` lists them.
    Text,
    /// `::error file=...,line=...::` workflow commands, one a finding.
    Github,
}

#[derive(Debug, clap::Args)]
pub struct SbomArgs {
    /// Anywhere inside a work tree, a bare repository, or a plain directory.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Describe this commit-ish straight from the object database, without a checkout.
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,

    /// Write the BOM to this file (atomically) instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Files larger than this many bytes are counted and listed, not parsed.
    #[arg(long, value_name = "BYTES", default_value_t = 10 * 1024 * 1024)]
    pub max_file_size: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
pub enum Format {
    /// audit.md: the audit pack in the seed's 13 sections and appendices.
    Md,
    /// audit.json: the whole model, deterministic.
    Json,
    /// audit.sarif: the findings as SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// sbom.cdx.json: the software bill of materials as CycloneDX 1.6 JSON (as `plumb sbom`).
    Cyclonedx,
    /// graph.dot: the package-level import graph for Graphviz.
    Dot,
}

impl Format {
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Md => "audit.md",
            Format::Json => "audit.json",
            Format::Sarif => "audit.sarif",
            Format::Cyclonedx => "sbom.cdx.json",
            Format::Dot => "graph.dot",
        }
    }
}
