//! The audit model: plain serde types that every renderer reads and nothing else writes to
//! after the analyzers have finished.
//!
//! Everything here is deterministic: maps are `BTreeMap`, lists are sorted by
//! [`Audit::normalize`], and nothing refers to the machine the audit ran on (no absolute
//! paths, no host names) so that the same snapshot gives byte-identical JSON anywhere.

mod architecture;
mod baseline;
mod facts;
mod finding;
mod governance;
mod judgement;
mod note;
#[cfg(test)]
mod sample;
#[cfg(test)]
mod schema;
mod supply;
mod suppression;
mod surfaces;
mod url;

pub use architecture::*;
pub use baseline::*;
pub use facts::*;
pub use finding::*;
pub use governance::*;
pub use judgement::*;
pub use note::*;
#[cfg(test)]
pub use sample::sample;
pub use supply::*;
pub use suppression::*;
pub use surfaces::*;
pub use url::redact_url;

use serde::Serialize;

/// Version of the `audit.json` layout, whose contract is `docs/audit.schema.json` (see
/// `schema`). Bump it on any breaking change: a field removed, renamed, retyped or given
/// another meaning; adding fields or enum values is not one.
pub const SCHEMA_VERSION: u32 = 1;

/// One audit of one snapshot.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Audit {
    pub schema_version: u32,
    pub tool: Tool,
    /// When the audit ran (UTC, RFC 3339); `SOURCE_DATE_EPOCH` overrides the clock.
    pub generated_at: String,
    pub snapshot: SnapshotFacts,
    pub repository: Option<RepositoryFacts>,
    pub inventory: Inventory,
    pub module_tree: Vec<ModuleNode>,
    pub god_modules: GodModules,
    pub tests: TestInventory,
    pub toolchains: Vec<ToolchainDecl>,
    /// The Python versions CI asks for against the declared requirement (judged after the
    /// analyzers: it reads both `toolchains` and `ci`).
    pub python_versions: PythonVersionCheck,
    pub ci: CiFacts,
    pub supply_chain: SupplyChain,
    pub architecture: Architecture,
    pub surfaces: SurfaceFacts,
    /// The baseline the findings were compared with, if any (`plumb check`).
    pub baseline: Option<Baseline>,
    /// Section 7: the refactor's governance files and the guardrails checked.
    pub governance: Governance,
    /// Ids of the analyzers that ran; a section whose analyzer is absent says
    /// "not audited by this version".
    pub analyzers: Vec<String>,
    /// Metadata of every rule the analyzers that ran can report, sorted by id.
    pub rules: Vec<Rule>,
    pub findings: Vec<Finding>,
    pub scan_notes: Vec<ScanNote>,
    /// Scores by the rubric of `docs/scoring.md` (`crate::judge`).
    pub scores: Scores,
    /// Section 8: at most seven, ranked.
    pub top_issues: Vec<TopIssue>,
    /// Section 9.
    pub plan: Plan,
    /// The `plumb: ignore[...]` comments, for the findings judged after the scan.
    #[serde(skip)]
    pub inline_suppressions: InlineSuppressions,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Tool {
    pub name: String,
    pub version: String,
}

impl Audit {
    /// Sorts every list whose order is not already meaningful, so output never depends
    /// on thread scheduling.
    pub fn normalize(&mut self) {
        self.toolchains.sort();
        self.rules.sort();
        self.rules.dedup();
        self.findings.sort();
        self.scan_notes.sort();
        // Two analyzers that skip the same file for the same reason say it once.
        self.scan_notes.dedup();
    }
}
