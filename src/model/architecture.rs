//! Architecture facts: the import graph of the repository's own modules and what it
//! measures (fan-in/out, cycles, layering, encapsulation), plus surfaces and their blast
//! radius. Filled by the architecture analyzer, read by sections 2 and 3 and `--format dot`.

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
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Module {
    pub path: String,
    /// Dotted name for Python (`torch.nn.functional`), the path otherwise.
    pub name: String,
    /// tokei language name.
    pub language: String,
    /// The package / top-level directory it is aggregated under.
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

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct ImportEdge {
    /// Index into [`Architecture::modules`] of the importing module.
    pub from: usize,
    /// Index of the imported module.
    pub to: usize,
    /// 1-based line of the import statement in `from`.
    pub line: usize,
    pub kind: ImportKind,
    /// The import as written (`from ..p import y`, `#include "a.h"`), trimmed.
    pub text: String,
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
