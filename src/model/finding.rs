//! Findings: something an analyzer judged, at a precise place.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

/// A place in the snapshot. Lines and columns are 1-based; a parser's 0-based positions
/// are converted where they enter the model.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Location {
    pub path: String,
    pub line: usize,
    pub column: usize,
}

/// Field order is the sort order: by place, then rule.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    pub location: Location,
    /// Stable kebab-case id, prefixed by the analyzer's id.
    pub rule: String,
    pub severity: Severity,
    pub confidence: Confidence,
    pub message: String,
    pub remediation: String,
}
