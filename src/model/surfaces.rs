//! Surfaces: the parts of the repository a refactor must protect, declared in `plumb.toml`
//! or derived from the packages, with their size, their dependencies on each
//! other and their blast radius.

use serde::Serialize;

/// How far a change to a surface reaches, from a declaration or the rule in
/// `graph::surfaces`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
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
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct PlumbConfig {
    pub path: String,
    pub surfaces: Vec<SurfaceDecl>,
    /// `[layers] order`, top (depends on the others) first.
    pub layers: Vec<LayerDecl>,
    /// `package_depth`: outside the package roots, a path's package is its first this
    /// many directories.
    pub package_depth: Option<usize>,
    /// `package_roots`: directories whose subdirectories are packages, as written
    /// (trailing `/` removed).
    pub package_roots: Vec<String>,
    /// `[check]`: what `plumb check` asks beyond the baseline.
    pub check: super::CheckConfig,
    /// `[[guardrail]]` tables.
    pub guardrails: Vec<super::GuardrailDecl>,
    /// The file's text, kept for findings that point into it after the scan.
    #[serde(skip)]
    pub text: String,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct SurfaceDecl {
    pub name: String,
    pub paths: Vec<String>,
    pub description: Option<String>,
    pub blast_radius: Option<BlastRadius>,
    /// 1-based line of its `[[surface]]` header.
    pub line: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct LayerDecl {
    pub package: String,
    pub line: usize,
}

#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum SurfaceSource {
    /// One surface per package (see [`PackageRule`]) holding source files.
    #[default]
    Derived,
    /// The `[[surface]]` entries of `plumb.toml`.
    Declared,
}

#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct SurfaceFacts {
    pub source: SurfaceSource,
    pub config: Option<PlumbConfig>,
    /// How paths are grouped into packages: derived surfaces are its packages, and the
    /// graph stage aggregates modules by it.
    pub package_rule: PackageRule,
    pub surfaces: Vec<Surface>,
    /// The source and test files of every package holding some, sorted by name: what
    /// the `no-tests` rule reads (its findings carry the figures).
    #[serde(skip)]
    pub packages: Vec<PackageFiles>,
}

/// The files of one package (see [`PackageRule`]) that say whether it is tested.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackageFiles {
    pub name: String,
    /// Production source: files of role source, in a programming language (not markup,
    /// stylesheets or templates), not below an examples, samples, demos, tutorials,
    /// benchmarks or docs folder.
    pub source_files: usize,
    pub source_code_lines: u64,
    /// The production source file with the most code lines (the first by path among equals).
    pub largest_source: Option<String>,
    /// Files of role test in a language tokei knows.
    pub test_files: usize,
}

/// The unit "package" (`analyzers::packages` has the rule): a path under a root belongs
/// to the root's subdirectory it lies in (a file directly in the root, to the root);
/// any other path to its first `depth` directories (`.` for a file at the repository
/// root).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct PackageRule {
    pub source: PackageRuleSource,
    /// Sorted; the deepest root holding a path decides.
    pub roots: Vec<String>,
    pub depth: usize,
    /// How the roots were chosen, one step a line, for the report.
    pub steps: Vec<String>,
}

impl Default for PackageRule {
    /// The first path segment.
    fn default() -> PackageRule {
        PackageRule {
            source: PackageRuleSource::Inferred,
            roots: Vec::new(),
            depth: 1,
            steps: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum PackageRuleSource {
    /// Descended from the tree's source code lines.
    #[default]
    Inferred,
    /// `package_depth` or `package_roots` in `plumb.toml`.
    Declared,
}

/// How much of the rest of the repository depends on a surface: the modules of other
/// surfaces that import one of its modules through eager imports, directly or through
/// other modules.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct SurfaceReach {
    /// Dependent modules (files; Go: package directories) in other surfaces.
    pub dependent_modules: usize,
    pub dependent_code_lines: u64,
    /// Other surfaces holding at least one dependent module.
    pub dependent_surfaces: usize,
    /// Code lines of every module of the import graph in another surface: what the
    /// dependent code lines are a share of.
    pub other_code_lines: u64,
}

/// A share as a percentage with one decimal, rounded to the nearest tenth (`27.1%`), or
/// `n/a` when there is nothing to divide by: one text for the reach, wherever it is
/// written (the Markdown table and the blast radius's reason).
pub fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "n/a".to_string();
    }
    format!("{:.1}%", part as f64 * 100.0 / whole as f64)
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
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
    /// What depends on it; `None` without an import graph.
    pub reach: Option<SurfaceReach>,
    /// Test modules (role test) that import one of its modules directly; `None` without
    /// an import graph or without a module of the surface in it.
    pub test_importers: Option<usize>,
    pub declared_blast_radius: Option<BlastRadius>,
    /// The declared radius, or else the computed one.
    pub blast_radius: BlastRadius,
    /// Why: the declaration, or the measures the rule used.
    pub blast_radius_reason: String,
}
