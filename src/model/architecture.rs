//! Architecture facts: the import graph of the repository's own modules and what it
//! measures (fan-in/out, cycles, layering, encapsulation), plus surfaces and their blast
//! radius. Filled by the architecture analyzer, read by sections 2 and 3 and `--format dot`.

use std::sync::Arc;

use serde::Serialize;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Architecture {
    /// Every module (one source file) that takes part in the graph, sorted by path; edges
    /// refer to modules by index into this list.
    pub modules: Vec<Module>,
    /// Resolved imports between modules of this repository, sorted.
    pub edges: Vec<ImportEdge>,
    /// Imports per language that resolved to no file of the tree and are not known to be
    /// external (counted, never guessed).
    pub unresolved: Vec<Unresolved>,
    /// External imports counted by top-level name (`numpy`, `<vector>`, `serde`), per language.
    pub external: Vec<ExternalImport>,
    /// What the graph stage measured on the edges above (empty until it runs).
    pub measures: ArchitectureMeasures,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Module {
    pub path: String,
    /// Dotted name for Python (`torch.nn.functional`), the path otherwise.
    pub name: String,
    /// tokei language name.
    pub language: String,
    /// The package it is aggregated under (`src/mylib/models`, `tests`, `.`), by the rule
    /// of `analyzers::packages`; set by the graph stage.
    pub package: String,
    pub code_lines: u64,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum ImportKind {
    /// Executed when the module loads.
    Eager,
    /// Inside a function body: executed only when called.
    Lazy,
    /// Under `if TYPE_CHECKING:`: never executed.
    TypingOnly,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ImportEdge {
    /// Index into [`Architecture::modules`] of the importing module.
    pub from: usize,
    /// Index of the imported module.
    pub to: usize,
    /// 1-based line of the import statement in `from`.
    pub line: usize,
    pub kind: ImportKind,
    /// The import as written (`from ..p import y`, `#include "a.h"`), trimmed; shared
    /// with the statement's other edges.
    pub text: Arc<str>,
}

/// In `audit.json` an edge is the array `[from, to, line, kind]`. Large trees have
/// hundreds of thousands of edges (Linux: 335,000), and objects with keys and the
/// statement text made executorch's file 6.9 MB and its rendering a tenth of the audit's
/// time. The text stays in the model for the evidence lists (cycles, layering, private
/// imports), which carry it in full.
impl Serialize for ImportEdge {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (self.from, self.to, self.line, self.kind).serialize(serializer)
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unresolved {
    pub language: String,
    pub count: usize,
    /// The first few, as `path:line: text`, for the report.
    pub examples: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct ExternalImport {
    pub language: String,
    pub name: String,
    /// Import statements naming it.
    pub count: usize,
}

/// The graph stage's measures of [`Architecture`]: every figure is counted from its edges.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ArchitectureMeasures {
    /// Distinct modules importing each module, indexed like [`Architecture::modules`].
    pub fan_in: Vec<usize>,
    /// Distinct modules each module imports, indexed like [`Architecture::modules`].
    pub fan_out: Vec<usize>,
    /// Per package, sorted by name.
    pub packages: Vec<PackageMeasures>,
    /// The modules that import the most other modules, most first.
    pub hubs: Vec<RankedModule>,
    /// The modules ranked by code lines × fan-in, highest first (score above zero only).
    pub god_modules: Vec<RankedModule>,
    pub cycles: Cycles,
    pub layering: Layering,
    pub encapsulation: Encapsulation,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct PackageMeasures {
    pub name: String,
    pub modules: usize,
    pub code_lines: u64,
    /// Distinct other packages importing this one.
    pub fan_in: usize,
    /// Distinct other packages this one imports.
    pub fan_out: usize,
    /// Import edges between two modules of this package.
    pub internal_edges: usize,
    /// Import edges from other packages into this one.
    pub edges_in: usize,
    /// Import edges from this package to others.
    pub edges_out: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RankedModule {
    pub path: String,
    pub package: String,
    pub code_lines: u64,
    pub fan_in: usize,
    pub fan_out: usize,
    /// `code_lines × fan_in`, the god-module score.
    pub score: u64,
}

/// Strongly connected components of the module graph with more than one module, or one
/// module importing itself.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Cycles {
    /// Modules that sit in some cycle.
    pub modules_in_cycles: usize,
    /// Largest first, then by the path of their first module.
    pub components: Vec<CycleComponent>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CycleComponent {
    /// Module paths, sorted.
    pub modules: Vec<String>,
    /// Import edges between two modules of the component.
    pub edges: usize,
    pub lazy_edges: usize,
    pub typing_only_edges: usize,
    /// Whether the component still holds a cycle when only eager imports count; `false`
    /// means lazy or typing-only imports break every cycle at import time.
    pub eager_cycle: bool,
    /// One shortest cycle through the component's smallest module, edge by edge.
    pub shortest: Vec<EdgeEvidence>,
}

/// One import edge, written so a reader can open the file at the line.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct EdgeEvidence {
    pub from: String,
    pub to: String,
    pub line: usize,
    pub kind: ImportKind,
    pub text: String,
}

#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum LayerSource {
    /// Inferred from the acyclic order of the package graph's condensation.
    #[default]
    Inferred,
    /// Declared in `plumb.toml` `[layers]`.
    Declared,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Layering {
    pub source: LayerSource,
    /// Layers from the top (depends on the others) to the bottom; packages sorted within.
    pub layers: Vec<Vec<String>>,
    /// Groups of packages that import each other in a cycle, each sorted.
    pub package_cycles: Vec<Vec<String>>,
    /// The package dependency matrix: edge counts between two different packages.
    pub matrix: Vec<PackageDependency>,
    /// Edges that run against the layering (a lower package importing a higher one).
    pub against_count: usize,
    /// The first of them, in path order.
    pub against: Vec<EdgeEvidence>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct PackageDependency {
    pub from: String,
    pub to: String,
    pub edges: usize,
    pub lazy: usize,
    pub typing_only: usize,
    /// Of `edges`, those that run against the layering.
    pub against: usize,
}

/// Imports of private modules (a path component starting with `_`, dunder names such as
/// `__init__` excepted) from another package.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Encapsulation {
    pub private_imports: usize,
    /// The first of them, in path order.
    pub examples: Vec<EdgeEvidence>,
}
