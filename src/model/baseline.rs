//! The baseline: findings a team has accepted for now (`.plumb/baseline.toml`, or the file
//! `plumb check --baseline` names), each entry compared with this audit's open findings by
//! [`crate::judge::baseline`]. The file's format is in README.md ("Baseline").

use std::sync::Arc;

use serde::Serialize;

use super::Location;

/// The baseline this audit was compared with.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Baseline {
    /// Where it was read: a path of the snapshot, or the `--baseline` file as given.
    pub path: String,
    pub source: BaselineSource,
    /// The valid entries, in file order; a malformed one is a `baseline-invalid` finding
    /// (or, for a `--baseline` file, an error) instead.
    pub entries: Vec<BaselineEntry>,
    /// The open findings no entry accepts, in the order of `findings`: what fails
    /// `plumb check`.
    pub new: Vec<NewFinding>,
    /// The file's text, kept for findings that point into it after the scan.
    #[serde(skip)]
    pub text: Arc<str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum BaselineSource {
    /// `.plumb/baseline.toml` of the audited snapshot, read by the scan.
    Snapshot,
    /// A file outside the snapshot, given with `plumb check --baseline FILE`.
    File,
}

/// One accepted finding, as written in the file, and what became of it in this audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct BaselineEntry {
    pub rule: String,
    /// Where the finding was when the entry was written; a finding that moved with its
    /// file to another folder still matches (see [`crate::judge::baseline`]).
    pub path: String,
    /// The finding's baseline key: 16 hexadecimal digits, without its line.
    pub fingerprint: String,
    pub reason: Option<String>,
    pub owner: Option<String>,
    /// `YYYY-MM-DD`: the last day the entry accepts its finding.
    pub expires: Option<String>,
    /// 1-based line of its `[[finding]]` header in the baseline file.
    pub line: usize,
    /// Set by the judge's comparison.
    pub status: EntryStatus,
    /// The finding the entry accepts in this audit: its index in `findings` and where it
    /// is now. None when the entry is fixed.
    pub matched: Option<Matched>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum EntryStatus {
    /// Past its `expires` date while its finding is still open: `plumb check` fails.
    Expired,
    /// Its finding is gone (fixed, or suppressed inline): the entry is stale, and
    /// `plumb check --strict` fails until it is removed.
    Fixed,
    /// Its finding is still open and accepted.
    Open,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Matched {
    /// Index of the finding in the audit's `findings`.
    pub finding: usize,
    pub location: Location,
}

/// An open finding that no entry accepts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct NewFinding {
    /// Index of the finding in the audit's `findings`.
    pub finding: usize,
    pub rule: String,
    pub location: Location,
    /// Its baseline key: what an entry accepting it would hold.
    pub fingerprint: String,
}

/// `[check]` of `plumb.toml`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct CheckConfig {
    /// `min_score`: `plumb check` fails when the overall score is below it (0 to 10), as
    /// with `--min-score`, which overrides it.
    pub min_score: Option<f64>,
}
