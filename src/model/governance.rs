//! Governance: the files a refactor is run by (`REFACTOR.md`, milestone and audit folders,
//! agent instructions, pre-commit hooks, `CONTRIBUTING.md`, CODEOWNERS and what it covers,
//! workflow linters), the architecture contracts teams already keep (import-linter, tach),
//! the guardrails declared in `plumb.toml`, and the table of every guardrail with its
//! status. The governance analyzer fills the facts, the judge the table (section 7).

use serde::Serialize;

use super::{Evidence, FileSize, Location};

#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Governance {
    /// `REFACTOR.md` at the root, if any.
    pub refactor_md: Option<RefactorMd>,
    /// `docs/refactor/` and `docs/audit/`, when they hold files.
    pub folders: Vec<GovernanceFolder>,
    /// Instructions for coding agents (`AGENTS.md`, `CLAUDE.md`, `.cursorrules`, ...), in
    /// path order; at most [`Governance::KEEP`], `agent_files_total` counts them all.
    pub agent_files: Vec<DocFile>,
    pub agent_files_total: usize,
    /// `.pre-commit-config.yaml` at the root.
    pub pre_commit: Option<PreCommit>,
    /// `CONTRIBUTING.md` (or `.rst`, `.txt`) at the root, in `.github/` or `docs/`.
    pub contributing: Option<DocFile>,
    pub codeowners: Option<Codeowners>,
    /// Linters of GitHub workflows run in CI or as pre-commit hooks (actionlint, zizmor,
    /// ...): the tool's name, where it runs.
    pub workflow_linters: Vec<Evidence>,
    /// import-linter and tach configuration, read from the root.
    pub contract_files: Vec<ContractFile>,
    /// For every `max_file_lines` guardrail of `plumb.toml`: the hand-maintained files
    /// over the limit (measured by the config analyzer, which reads the limits).
    pub file_limits: Vec<FileLimit>,
    /// Every guardrail, declared in `plumb.toml` or kept as a contract, with its status:
    /// written by the judge.
    pub guardrails: Vec<GuardrailStatus>,
}

impl Governance {
    /// How many entries a list of files keeps.
    pub const KEEP: usize = 20;
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct RefactorMd {
    pub path: String,
    pub lines: usize,
    /// No line with anything but whitespace.
    pub empty: bool,
    /// The `<!-- plumb:begin -->` … `<!-- plumb:end -->` block `--update-refactor-md`
    /// rewrites.
    pub block: MarkerState,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case", tag = "state")]
pub enum MarkerState {
    /// Neither marker.
    Absent,
    /// One well-formed block: the 1-based lines of its two markers.
    Block { begin: usize, end: usize },
    /// Markers that do not make one block; `line` is the first that is wrong.
    Malformed { line: usize, problem: String },
}

/// A folder of the refactor's records.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct GovernanceFolder {
    pub path: String,
    /// Tracked files below it, plumb's own reports included.
    pub files: usize,
    /// Of them, plumb's reports of an earlier run (`audit.md`, `audit.json`, ...): the
    /// default output folder is `docs/audit/`.
    pub plumb_reports: Vec<String>,
    /// The other files, first ones in path order.
    pub other_files: Vec<String>,
    pub other_files_total: usize,
}

/// A document, its kind and its size.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct DocFile {
    pub path: String,
    /// What it is (`AGENTS.md`, `Cursor rules`, `Copilot instructions`, ...).
    pub kind: String,
    pub lines: usize,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct PreCommit {
    pub path: String,
    /// Every hook of every repository, in file order.
    pub hooks: Vec<PreCommitHook>,
    /// Why the file could not be read, at its line.
    pub error: Option<Evidence>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct PreCommitHook {
    pub id: String,
    /// The hook's `repo:` as written (`local`, `meta` or a URL).
    pub repo: String,
    pub line: usize,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Codeowners {
    /// The file GitHub reads (`.github/`, then the root, then `docs/`).
    pub path: String,
    /// Lines with a pattern.
    pub rules: usize,
    /// Patterns GitHub does not accept (`!`, `[`...`]`, `\#`), at their lines: ignored.
    pub invalid: Vec<Evidence>,
    /// Tracked files, and those a rule gives an owner to (the last matching rule wins;
    /// one without owners takes ownership away).
    pub files: usize,
    pub owned_files: usize,
    /// Per surface, in the surfaces' order.
    pub surfaces: Vec<SurfaceOwnership>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct SurfaceOwnership {
    pub surface: String,
    pub files: usize,
    pub owned_files: usize,
}

/// Where a contract tool's configuration was read from.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ContractTool {
    ImportLinter,
    Tach,
}

impl ContractTool {
    pub fn name(self) -> &'static str {
        match self {
            ContractTool::ImportLinter => "import-linter",
            ContractTool::Tach => "tach",
        }
    }
}

/// One configuration file of import-linter or tach, as read.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct ContractFile {
    pub path: String,
    pub tool: ContractTool,
    /// import-linter: `root_package(s)`; tach: `source_roots` (as written).
    pub roots: Vec<String>,
    /// Whether imports under `if TYPE_CHECKING:` are left out (import-linter's
    /// `exclude_type_checking_imports`, default false; tach's
    /// `ignore_type_checking_imports`, default true).
    pub exclude_type_checking: bool,
    /// tach's `layers`, top first.
    pub layers: Vec<TachLayer>,
    pub contracts: Vec<Contract>,
    /// What plumb could not read, at its line (also a `guardrail-invalid` finding).
    pub problems: Vec<Evidence>,
    /// What of the file plumb does not evaluate, one sentence each.
    pub notes: Vec<String>,
    /// The file's text, for the findings that point into it after the scan.
    #[serde(skip)]
    pub text: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct TachLayer {
    pub name: String,
    /// A closed layer cannot be passed over: the layers above it import only it.
    pub closed: bool,
}

/// A module a contract names, where it is named.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct NamedModule {
    /// Dotted (`mypackage.models`), or a tach glob (`libs.**`).
    pub name: String,
    pub line: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Contract {
    /// import-linter: `name`; tach: the module's path.
    pub name: String,
    /// Where the contract (or tach module) starts.
    pub line: usize,
    pub kind: ContractKind,
    /// import-linter's `ignore_imports`: `importer -> imported`, wildcards allowed.
    pub ignore_imports: Vec<IgnoredImport>,
    /// Modules it names that no Python file of the snapshot holds (optional layers
    /// excepted).
    pub missing: Vec<NamedModule>,
    /// What plumb leaves out of it, one sentence each (external packages, tach's
    /// interfaces...).
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case", tag = "type")]
pub enum ContractKind {
    /// No source module may import a forbidden one (descendants included), directly or,
    /// unless `allow_indirect`, through other modules.
    Forbidden {
        sources: Vec<NamedModule>,
        forbidden: Vec<NamedModule>,
        allow_indirect: bool,
    },
    /// No imports in either direction between the modules, even indirect.
    Independence { modules: Vec<NamedModule> },
    /// One stack of layers per container (one stack without containers), top first: a
    /// lower layer imports no higher one, even indirectly.
    Layers { stacks: Vec<Vec<LayerLevel>> },
    /// A tach module: what it may import.
    TachModule(TachModule),
    /// A contract type plumb does not evaluate (custom, `protected`, ...).
    Unsupported { contract_type: String },
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct LayerLevel {
    pub modules: Vec<NamedModule>,
    /// `a | b`: siblings that must not import each other; `a : b` may.
    pub independent: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct TachModule {
    pub module: NamedModule,
    /// `None`: `depends_on` omitted, the module may import any other.
    pub depends_on: Option<Vec<NamedModule>>,
    pub cannot_depend_on: Vec<NamedModule>,
    /// Every module may import a utility without declaring it.
    pub utility: bool,
    /// Its imports are not checked.
    pub unchecked: bool,
    pub layer: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct IgnoredImport {
    pub importer: String,
    pub imported: String,
    pub line: usize,
}

/// A `[[guardrail]]` of `plumb.toml`, as read.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct GuardrailDecl {
    /// `name`, or a description of the rule when it has none.
    pub name: String,
    pub rule: GuardrailRule,
    /// 1-based line of its `[[guardrail]]` header.
    pub line: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum GuardrailRule {
    /// No import from a package at or below `from` to one at or below `to`.
    Forbid { from: Vec<String>, to: Vec<String> },
    /// Layers from the top; the packages of one layer may import each other.
    Layers { layers: Vec<Vec<String>> },
    /// No hand-maintained file with more code lines.
    MaxFileLines { max: u64 },
    /// Every `uses:` pinned to a full commit SHA (local actions and docker digests count).
    ActionsPinned,
    /// No vendored directory but these (and what lies below them).
    Vendored { allowed: Vec<String> },
}

impl GuardrailRule {
    /// The key that declares it in `plumb.toml`.
    pub fn key(&self) -> &'static str {
        match self {
            GuardrailRule::Forbid { .. } => "forbid",
            GuardrailRule::Layers { .. } => "layers",
            GuardrailRule::MaxFileLines { .. } => "max_file_lines",
            GuardrailRule::ActionsPinned => "actions_pinned",
            GuardrailRule::Vendored { .. } => "vendored",
        }
    }
}

/// The hand-maintained files over one `max_file_lines` limit.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct FileLimit {
    pub max: u64,
    pub files_over: usize,
    /// The largest of them, most code lines first.
    pub largest: Vec<FileSize>,
}

/// A guardrail's row in section 7.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct GuardrailStatus {
    pub name: String,
    /// What kind of guardrail (`plumb.toml forbid`, `import-linter layers`, `tach module`).
    pub kind: String,
    /// Where it is declared.
    pub source: Location,
    pub status: GuardrailState,
    /// How many imports, files, actions or folders break it (0 unless broken).
    pub broken: usize,
    /// What was checked and what was not, one sentence each.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum GuardrailState {
    Kept,
    Broken,
    /// The snapshot lacks what it needs (a module it names, an import graph).
    NotAssessable,
}
