//! Surfaces: the parts of the repository a refactor must protect, declared in `plumb.toml`
//! or derived from the top-level directories, with their size, their dependencies on each
//! other and their blast radius.

use serde::Serialize;

/// How far a change to a surface reaches, from a declaration or the rule in
/// `graph::surfaces`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BlastRadius {
    #[default]
    Low,
    Medium,
    High,
    Critical,
}

impl BlastRadius {
    pub const ALL: [BlastRadius; 4] = [
        BlastRadius::Critical,
        BlastRadius::High,
        BlastRadius::Medium,
        BlastRadius::Low,
    ];

    /// The spelling `plumb.toml` uses.
    pub fn name(self) -> &'static str {
        match self {
            BlastRadius::Low => "low",
            BlastRadius::Medium => "medium",
            BlastRadius::High => "high",
            BlastRadius::Critical => "critical",
        }
    }

    pub fn parse(text: &str) -> Option<BlastRadius> {
        BlastRadius::ALL.into_iter().find(|b| b.name() == text)
    }
}

/// `plumb.toml` as read, after validation (entries with errors left out).
#[derive(Debug, Clone, Default, Serialize)]
pub struct PlumbConfig {
    pub path: String,
    pub surfaces: Vec<SurfaceDecl>,
    /// `[layers] order`, top (depends on the others) first.
    pub layers: Vec<LayerDecl>,
    /// The file's text, kept for findings that point into it after the scan.
    #[serde(skip)]
    pub text: String,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct SurfaceDecl {
    pub name: String,
    pub paths: Vec<String>,
    pub description: Option<String>,
    pub blast_radius: Option<BlastRadius>,
    /// 1-based line of its `[[surface]]` header.
    pub line: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LayerDecl {
    pub package: String,
    pub line: usize,
}

#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum SurfaceSource {
    /// One surface per top-level directory holding source files.
    #[default]
    Derived,
    /// The `[[surface]]` entries of `plumb.toml`.
    Declared,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct SurfaceFacts {
    pub source: SurfaceSource,
    pub config: Option<PlumbConfig>,
    pub surfaces: Vec<Surface>,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Surface {
    pub name: String,
    /// Globs matched against repository-relative paths; a file belongs to the first
    /// surface whose globs match it.
    pub paths: Vec<String>,
    pub description: Option<String>,
    pub files: usize,
    pub code_lines: u64,
    /// Languages by code lines, most first (ties by name).
    pub languages: Vec<String>,
    /// Other surfaces this one imports from, by name.
    pub depends_on: Vec<String>,
    /// Other surfaces importing from this one, by name.
    pub depended_on_by: Vec<String>,
    pub declared_blast_radius: Option<BlastRadius>,
    /// The declared radius, or else the computed one.
    pub blast_radius: BlastRadius,
    /// Why: the declaration, or the measures the rule used.
    pub blast_radius_reason: String,
}
