//! Architecture facts: the import graph of the repository's own modules and what it
//! measures (fan-in/out, cycles, layering, encapsulation), plus surfaces and their blast
//! radius. Filled by the architecture analyzer, read by sections 2 and 3 and `--format dot`.

use std::sync::Arc;

use serde::Serialize;

#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Architecture {
    /// Every module (one source file) that takes part in the graph, sorted by path; edges
    /// refer to modules by index into this list.
    pub modules: Vec<Module>,
    /// Resolved imports between modules of this repository, sorted.
    pub edges: Vec<ImportEdge>,
    /// Imports per language that resolved to no file of the tree and are not known to be
    /// external (counted, never guessed).
    pub unresolved: Vec<Unresolved>,
    /// Lazy imports whose target the scan cannot read (an `_import_structure` built at run
    /// time, a condition too deep to read): counted with examples, never guessed.
    pub uncertain: Vec<Uncertain>,
    /// External imports counted by top-level name (`numpy`, `<vector>`, `serde`), per language.
    pub external: Vec<ExternalImport>,
    /// What the graph stage measured on the edges above (empty until it runs).
    pub measures: ArchitectureMeasures,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
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
    /// The file's role (`source`, `test`, ...); a Go package directory is `source`.
    pub role: super::Role,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ImportKind {
    /// Executed when the module loads.
    Eager,
    /// Executed later or only on a condition: inside a function body, a submodule a lazy
    /// module loads on first use, under `if TYPE_CHECKING or FLAG:` (see [`GuardReason`]).
    Lazy,
    /// Never executed: under `if TYPE_CHECKING:` or another branch only a type checker takes.
    TypingOnly,
}

/// What made an import lazy or typing-only, at its line: the evidence a reader checks.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Guard {
    pub reason: GuardReason,
    /// The guarding statement as written (`if TYPE_CHECKING or SLOW_IMPORT`, `def load`,
    /// `sys.modules[__name__] = _LazyModule(…)`), whitespace collapsed, capped.
    pub text: String,
    /// 1-based line of that statement in the importing file.
    pub line: usize,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum GuardReason {
    /// A branch of an `if` whose condition names `TYPE_CHECKING`: typing-only when the
    /// branch never runs with `TYPE_CHECKING` false, lazy when it runs only if another
    /// condition holds (`if TYPE_CHECKING or SLOW_IMPORT:`).
    TypeChecking,
    /// Inside a function body.
    Function,
    /// Inside a module's own `def __getattr__`: runs when a missing attribute is read.
    ModuleGetattr,
    /// A key of `_import_structure`, which the module hands to a lazy module installed in
    /// `sys.modules[__name__]`: the submodule loads when one of its names is first read.
    LazyModule,
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
    /// What made it lazy or typing-only (Python); shared by the imports it guards.
    pub guard: Option<Arc<Guard>>,
}

/// In `audit.json` an edge is the array `[from, to, line, kind]`. Large trees have
/// hundreds of thousands of edges (Linux: 335,000), and objects with keys and the
/// statement text made executorch's file 6.9 MB and its rendering a tenth of the audit's
/// time. The text and guard stay in the model for the evidence lists (cycles, layering,
/// private imports), which carry them in full.
impl Serialize for ImportEdge {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (self.from, self.to, self.line, self.kind).serialize(serializer)
    }
}

/// The schema of the array [`ImportEdge`] serialises to, for `docs/audit.schema.json`.
#[cfg(test)]
impl schemars::JsonSchema for ImportEdge {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ImportEdge".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let mut schema = <(usize, usize, usize, ImportKind)>::json_schema(generator);
        schema.insert(
            "description".to_string(),
            "A resolved import, as the array `[from, to, line, kind]`: `from` and `to` index \
             `architecture.modules` (the importing and the imported module), `line` is the \
             1-based line of the import statement in `from`."
                .into(),
        );
        schema
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Unresolved {
    pub language: String,
    pub count: usize,
    /// The first few, as `path:line: text`, for the report.
    pub examples: Vec<String>,
}

/// Lazy imports of one language the scan saw but could not read a target from, for one
/// reason (`_import_structure` built at run time, ...).
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Uncertain {
    pub language: String,
    pub reason: String,
    pub count: usize,
    /// The first few, as `path:line: text`, for the report.
    pub examples: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct ExternalImport {
    pub language: String,
    pub name: String,
    /// Import statements naming it.
    pub count: usize,
}

/// The graph stage's measures of [`Architecture`]: every figure is counted from its edges.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct ArchitectureMeasures {
    /// Distinct modules importing each module, indexed like [`Architecture::modules`].
    pub fan_in: Vec<usize>,
    /// Of `fan_in`, the production importers: modules that are neither tests nor docs nor
    /// below an examples, samples, demos, tutorials, benchmarks or docs directory.
    pub fan_in_production: Vec<usize>,
    /// Distinct modules each module imports, indexed like [`Architecture::modules`].
    pub fan_out: Vec<usize>,
    /// Per package, sorted by name.
    pub packages: Vec<PackageMeasures>,
    /// The modules that import the most other modules, most first.
    pub hubs: Vec<RankedModule>,
    /// Production modules (not tests, examples or docs; not data or generated files) ranked
    /// by code lines × production fan-in, highest first (score above zero only).
    pub god_modules: Vec<RankedModule>,
    pub cycles: Cycles,
    pub layering: Layering,
    pub encapsulation: Encapsulation,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
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
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct RankedModule {
    pub path: String,
    pub package: String,
    pub code_lines: u64,
    /// Distinct importers, all of them.
    pub fan_in: usize,
    /// Of `fan_in`, the production importers (see [`ArchitectureMeasures::fan_in_production`]).
    pub fan_in_production: usize,
    pub fan_out: usize,
    /// `code_lines × fan_in_production`, the god-module score.
    pub score: u64,
}

/// Strongly connected components of the module graph with more than one module, or one
/// module importing itself: over every import edge, and over eager ones alone.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Cycles {
    /// Modules that sit in some cycle of any imports.
    pub modules_in_cycles: usize,
    /// Over every edge, lazy and typing-only too; largest first, then by the path of
    /// their first module.
    pub components: Vec<CycleComponent>,
    /// Over eager imports only: the cycles that run when the modules load. Scores and
    /// rankings read these.
    pub eager: CycleSet,
}

/// The cycles of one graph (in [`Cycles::eager`], of eager imports: its components have
/// no lazy or typing-only edge, and `eager_cycle` is always true).
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct CycleSet {
    pub modules_in_cycles: usize,
    /// Largest first, then by the path of their first module.
    pub components: Vec<CycleComponent>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
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
    /// Of its modules, those in a cycle of eager imports.
    pub eager_modules: usize,
    /// One shortest cycle through the component's smallest module, edge by edge.
    pub shortest: Vec<EdgeEvidence>,
}

impl CycleComponent {
    /// Made of Rust modules only: inside one crate, `mod` points down and `use super::`/
    /// `use crate::` points back up, so nearly every module sits in such a cycle (ruff:
    /// 1,670 of 3,245 modules). The compiler takes a crate whole and nothing runs in import
    /// order, so it is coupling to read, not a load-time failure.
    pub fn of_rust_modules_only(&self) -> bool {
        self.modules.iter().all(|m| m.ends_with(".rs"))
    }
}

/// One import edge, written so a reader can open the file at the line.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct EdgeEvidence {
    pub from: String,
    pub to: String,
    pub line: usize,
    pub kind: ImportKind,
    pub text: String,
    /// What made the import lazy or typing-only; absent for an eager one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guard: Option<Guard>,
}

#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum LayerSource {
    /// Inferred from the acyclic order of the package graph's condensation.
    #[default]
    Inferred,
    /// Declared in `plumb.toml` `[layers]`.
    Declared,
}

#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
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
#[cfg_attr(test, derive(schemars::JsonSchema))]
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
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Encapsulation {
    pub private_imports: usize,
    /// The first of them, in path order.
    pub examples: Vec<EdgeEvidence>,
}
