//! Findings: something an analyzer judged, at a precise place, under a stable rule.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

/// A place in the snapshot. Lines and columns are 1-based; a parser's 0-based positions
/// are converted where they enter the model.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Location {
    pub path: String,
    pub line: usize,
    pub column: usize,
}

/// What a rule checks, for reports and SARIF rule metadata. Each analyzer declares its
/// rules as `const`s next to the code that applies them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Rule {
    /// The analyzer that reports it (`workflows`), for grouping in reports.
    pub group: &'static str,
    /// Stable kebab-case id (`unpinned-uses`); never reused for another meaning.
    pub id: &'static str,
    /// One line: what is wrong.
    pub title: &'static str,
    /// Why it matters and how to fix it, a short paragraph.
    pub help: &'static str,
}

/// Field order is the sort order: by place, then rule.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Finding {
    pub location: Location,
    /// The id of a [`Rule`] listed in [`super::Audit::rules`].
    pub rule: String,
    pub severity: Severity,
    pub confidence: Confidence,
    pub message: String,
    /// How to fix it: a rule's fixed text, shared by all its findings, never copied.
    pub remediation: &'static str,
    /// The offending source line as read during the scan (renderers never re-read files),
    /// secrets masked, cut to a window around the column when long (`analyzers::snippet`).
    pub snippet: Option<String>,
    /// The 1-based column of the line at which `snippet` starts: 1 unless a long line was cut.
    pub snippet_column: usize,
    /// Length in characters of the span the finding points at, from `location.column`.
    pub span: usize,
    /// Stable across unrelated edits: rule, path and the snippet's text, not its line.
    pub fingerprint: String,
    /// Silenced by an inline `# plumb: ignore[rule-id]` comment: counted, not reported as open.
    /// A cap's summary is suppressed when every finding it stands for is.
    pub suppressed: bool,
    /// Set on the summary a cap lists in place of the findings it left out
    /// (`analyzers::caps`): how many it stands for, so that every count stays exact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub omitted: Option<Omitted>,
}

impl Finding {
    /// How many findings this one counts for: those a cap's summary stands for, else 1.
    pub fn weight(&self) -> usize {
        self.omitted.map_or(1, |o| o.findings)
    }

    /// How many of the findings it counts for are open (not suppressed).
    pub fn open_weight(&self) -> usize {
        match self.omitted {
            Some(o) => o.findings - o.suppressed,
            None => usize::from(!self.suppressed),
        }
    }
}

/// The findings a cap's summary stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Omitted {
    pub findings: usize,
    /// How many of them are suppressed.
    pub suppressed: usize,
}
