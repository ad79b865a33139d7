//! Typed facts, one struct per domain of the audit pack.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Location;

/// What was audited, described without machine-specific paths.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct SnapshotFacts {
    pub kind: SnapshotKind,
    /// The repository's name for reports: the `owner/name` of its remote's URL when it
    /// has one (`origin`, or its only remote), so that every clone gets the same pack;
    /// else the name of the audited folder. Never an absolute path.
    pub root_name: String,
    /// Where `root_name` comes from.
    pub name_source: NameSource,
    /// The revision as the user gave it (`--rev`), if any.
    pub requested_revision: Option<String>,
    /// The commit whose files were audited; `None` for a work tree with no commit yet or a
    /// plain directory.
    pub commit: Option<String>,
    /// Maximum size of a file whose content is analysed; larger files are only counted.
    pub max_file_bytes: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum NameSource {
    /// The path of the fetch URL of `origin`, or of the only remote.
    Remote,
    /// The audited folder's name: no remote, or none with a host and a path.
    Folder,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum SnapshotKind {
    /// Tracked files as the index lists them, with their work-tree contents.
    WorkTree,
    /// A commit's tree read from the object database (`--rev`, or HEAD of a bare repository).
    Revision,
    /// A folder that is not inside a git repository.
    PlainDirectory,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct RepositoryFacts {
    pub bare: bool,
    pub shallow: bool,
    /// Current branch; `None` when HEAD is detached.
    pub branch: Option<String>,
    pub upstream: Option<Upstream>,
    /// HEAD's commit; `None` in a repository with no commits.
    pub head: Option<CommitFacts>,
    /// The audited commit when it is not HEAD (`--rev`).
    pub audited_commit: Option<CommitFacts>,
    pub remotes: Vec<Remote>,
    /// Work-tree status; `None` for a revision audit or a bare repository.
    pub status: Option<WorktreeStatus>,
    pub submodules: Vec<Submodule>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct CommitFacts {
    pub sha: String,
    pub author: String,
    pub author_email: String,
    /// Author date, ISO 8601 with the author's offset.
    pub date: String,
    pub subject: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Upstream {
    pub name: String,
    /// Commits on the branch that the upstream lacks; `None` when the upstream ref is absent.
    pub ahead: Option<usize>,
    pub behind: Option<usize>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Remote {
    pub name: String,
    /// Fetch URL with any credentials replaced by `***`.
    pub fetch_url: Option<String>,
    pub push_url: Option<String>,
}

/// Counts and the first paths of each kind, like `git status`.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct WorktreeStatus {
    pub staged: PathSample,
    pub modified: PathSample,
    pub deleted: PathSample,
    pub untracked: PathSample,
}

impl WorktreeStatus {
    pub fn is_clean(&self) -> bool {
        self.staged.count + self.modified.count + self.deleted.count + self.untracked.count == 0
    }
}

/// How many paths there are, and the first of them in path order.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct PathSample {
    pub count: usize,
    pub first: Vec<String>,
}

impl PathSample {
    /// How many paths a sample keeps.
    pub const KEEP: usize = 10;

    pub fn from_sorted(mut paths: Vec<String>) -> Self {
        paths.sort();
        paths.dedup();
        let count = paths.len();
        paths.truncate(Self::KEEP);
        PathSample { count, first: paths }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Submodule {
    pub path: String,
    /// The commit the superproject pins.
    pub commit: String,
    /// URL from `.gitmodules`, credentials redacted; `None` when `.gitmodules` does not name it.
    pub url: Option<String>,
    /// Branch from `.gitmodules` (`submodule.<name>.branch`), if any.
    pub branch: Option<String>,
    /// Whether the submodule's work tree is populated; `None` for a revision audit.
    pub checked_out: Option<bool>,
}

/// Code, comment and blank lines as tokei counts them.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct LineCounts {
    pub code: u64,
    pub comments: u64,
    pub blanks: u64,
}

impl LineCounts {
    pub fn lines(&self) -> u64 {
        self.code + self.comments + self.blanks
    }

    pub fn add(&mut self, other: LineCounts) {
        self.code += other.code;
        self.comments += other.comments;
        self.blanks += other.blanks;
    }
}

/// Exactly one per file; see `scan::role` for the rule that assigns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Vendored,
    Binary,
    Generated,
    Ci,
    Test,
    Build,
    Docs,
    Config,
    /// Files that would be source but hold data, not code (see `scan::role`, rule 9).
    Data,
    Source,
    Other,
}

impl Role {
    /// Every role, in the precedence order of the classification rule.
    pub const ALL: [Role; 11] = [
        Role::Vendored,
        Role::Binary,
        Role::Generated,
        Role::Ci,
        Role::Test,
        Role::Build,
        Role::Docs,
        Role::Config,
        Role::Data,
        Role::Source,
        Role::Other,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Role::Vendored => "vendored",
            Role::Binary => "binary",
            Role::Generated => "generated",
            Role::Data => "data",
            Role::Ci => "ci",
            Role::Test => "test",
            Role::Build => "build",
            Role::Docs => "docs",
            Role::Config => "config",
            Role::Source => "source",
            Role::Other => "other",
        }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Inventory {
    /// Entries the git index (or the tree) lists: files, symlinks and submodules, as
    /// `git ls-files` / `git ls-tree -r` count them.
    pub tracked_entries: usize,
    /// Tracked entries that are not submodules.
    pub tracked_files: usize,
    pub submodules: usize,
    pub bytes: u64,
    /// Totals over every counted file, embedded code included (tokei's "Total" row).
    pub lines: LineCounts,
    pub languages: Vec<LanguageStats>,
    pub roles: Vec<RoleStats>,
    /// Files tokei has no language for.
    pub unrecognized_files: usize,
    /// Files larger than `max_file_bytes`: counted, not parsed.
    pub large_files: Vec<SizedPath>,
    pub untracked: UntrackedSummary,
}

#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct LanguageStats {
    /// tokei's language name.
    pub name: String,
    pub files: usize,
    /// The language's own lines (tokei JSON's `code`/`comments`/`blanks`).
    pub lines: LineCounts,
    /// Lines of other languages embedded in these files (code blocks in Markdown, ...).
    pub embedded: LineCounts,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct RoleStats {
    pub role: Role,
    pub files: usize,
    pub code: u64,
    pub bytes: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct SizedPath {
    pub path: String,
    pub bytes: u64,
}

/// Untracked, not ignored files: counted apart from the tracked inventory.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct UntrackedSummary {
    pub files: usize,
    pub bytes: u64,
    pub code: u64,
    /// Files per language (tokei name), for the languages present.
    pub languages: BTreeMap<String, usize>,
}

/// A directory of the top two levels of the tree, measured.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct ModuleNode {
    /// Directory path; `.` collects the files at the root.
    pub path: String,
    pub files: usize,
    pub code: u64,
    /// Language of the files with the most code lines (embedded code included) below
    /// this directory.
    pub dominant_language: Option<String>,
    pub children: Vec<ModuleNode>,
}

/// The largest hand-maintained files by code lines.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct GodModules {
    pub overall: Vec<FileSize>,
    pub by_language: BTreeMap<String, Vec<FileSize>>,
    /// Every source file (role source) over the `oversized-file` rule's limit, largest
    /// first: what the rule reports, so not written again in `audit.json`.
    #[serde(skip)]
    pub oversized: Vec<FileSize>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct FileSize {
    pub path: String,
    pub language: String,
    pub role: Role,
    pub lines: LineCounts,
}

#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct TestInventory {
    /// Files whose role is `test`.
    pub files: usize,
    pub code: u64,
    /// Test files per language and framework.
    pub groups: Vec<TestGroup>,
    /// Directories named like test roots (`test/`, `tests/`, `__tests__/`, ...), outermost only.
    pub directories: Vec<TestDirectory>,
    /// Source files (role `source`) that carry tests inline, e.g. Rust `#[test]`.
    pub inline_test_files: usize,
    /// Their paths, sorted, for the `no-tests` rule (a package whose files test themselves
    /// has tests); the count above is what `audit.json` shows.
    #[serde(skip)]
    pub inline_test_paths: Vec<String>,
    pub source_files: usize,
    pub source_code: u64,
    pub mirroring: Mirroring,
    /// Python test files with no framework marker of their own that take one from a base
    /// class they import (the graph stage follows the import graph to it).
    pub inherited: InheritedFrameworks,
    /// What every Python test or source file's own text says (its framework marker, the
    /// bases of its classes), for the graph stage, which empties it once read; not written.
    #[serde(skip)]
    pub python_hints: Vec<PythonTestHints>,
    /// The test files counted under [`NONE_DETECTED`], for the graph stage (emptied with
    /// the hints); not written.
    #[serde(skip)]
    pub undetected: Vec<UndetectedTest>,
}

/// The framework of a test file whose text names none.
pub const NONE_DETECTED: &str = "none detected";

impl TestInventory {
    /// Groups by files, most first, then by language and framework.
    pub fn sort_groups(&mut self) {
        self.groups.sort_by(|a, b| b.files.cmp(&a.files).then_with(|| a.cmp(b)));
    }
}

/// Test files that take their framework from an imported base class: how many, and the
/// first [`InheritedFrameworks::EXAMPLES`] by path, each with the import a reader checks.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct InheritedFrameworks {
    pub files: usize,
    pub examples: Vec<InheritedFramework>,
}

impl InheritedFrameworks {
    pub const EXAMPLES: usize = 50;
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct InheritedFramework {
    /// The test file, whose own text names no framework.
    pub path: String,
    pub framework: String,
    /// 1-based line of the import of the base class in `path`.
    pub line: usize,
    /// That import as written.
    pub import: String,
    /// The module whose own text names the framework, at the end of the chain of imports.
    pub marked_by: String,
}

/// A Python file's own framework marker and its classes with the bases they name.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct PythonTestHints {
    pub path: String,
    pub framework: Option<String>,
    /// At most [`PythonTestHints::MAX_CLASSES`], in file order.
    pub classes: Vec<PythonClass>,
}

impl PythonTestHints {
    pub const MAX_CLASSES: usize = 256;
    pub const MAX_BASES: usize = 16;
}

/// A class statement: its name and its bases as written without spaces (`Base`,
/// `mixins.Base`), at most [`PythonTestHints::MAX_BASES`].
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct PythonClass {
    pub name: String,
    pub bases: Vec<String>,
}

/// A test file counted under [`NONE_DETECTED`], with what its group counts.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct UndetectedTest {
    pub path: String,
    pub language: String,
    pub code: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct TestGroup {
    pub language: String,
    pub framework: String,
    pub files: usize,
    pub code: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct TestDirectory {
    pub path: String,
    pub files: usize,
    pub code: u64,
}

/// Whether test files name a source module that exists (`test_foo.py` ↔ `foo.py`).
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Mirroring {
    /// Test files whose name follows a convention that names a subject.
    pub named_tests: usize,
    /// Of those, the ones whose subject exists as a source file or package.
    pub mirrored: usize,
    /// Test files whose subject was not found.
    pub unmatched: PathSample,
}

/// A toolchain version declared in the tree, with where it is declared.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct ToolchainDecl {
    pub toolchain: Toolchain,
    pub value: String,
    pub path: String,
    /// 1-based line of the declaration.
    pub line: usize,
    /// The key or directive that declares it (`requires-python`, `go`, `CMAKE_CXX_STANDARD`, ...).
    pub key: String,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Toolchain {
    Python,
    Rust,
    Go,
    Node,
    Cxx,
    C,
}

impl Toolchain {
    pub fn name(self) -> &'static str {
        match self {
            Toolchain::Python => "Python",
            Toolchain::Rust => "Rust",
            Toolchain::Go => "Go",
            Toolchain::Node => "Node.js",
            Toolchain::Cxx => "C++ standard",
            Toolchain::C => "C standard",
        }
    }
}

/// GitHub Actions as the tree declares it: workflows, local actions, every `uses:`, and
/// the dependency-update configuration.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct CiFacts {
    pub workflows: Vec<WorkflowFacts>,
    /// Local actions (`action.yml`), composite or not.
    pub actions: Vec<ActionFacts>,
    /// Every `uses:` of workflows and composite actions.
    pub action_refs: Vec<ActionRef>,
    pub dependabot: Vec<DependabotFacts>,
    /// Renovate configuration files.
    pub renovate: Vec<String>,
    /// Where a workflow runs actionlint.
    pub actionlint: Vec<Location>,
    /// Where a workflow runs a linter of workflows (actionlint, zizmor, ...): the tool's
    /// name, and the `uses:` or `run:` that runs it.
    pub workflow_linters: Vec<super::Evidence>,
    /// The `python-version` values workflows ask setup actions and reusable workflows for,
    /// resolved through the job's matrix and literal `env:` where they can be.
    pub python_versions: Vec<CiPythonVersion>,
}

/// The Python versions CI workflows ask for, against the requirement the project declares.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct PythonVersionCheck {
    /// The declarations compared against: `requires-python`, Poetry's `python` and
    /// `python_requires` at the root, else the one value every such declaration agrees on.
    pub requirement: Vec<ToolchainDecl>,
    /// Why there is no comparison, when there is none.
    pub not_compared: Option<String>,
    /// The lowest `X.Y` the requirement admits, when it has a lower bound.
    pub lowest_declared: Option<String>,
    /// Whether a version CI asks for is of that `X.Y`.
    pub lowest_tested: bool,
    /// Every distinct version CI asks for, in version order.
    pub versions: Vec<CheckedPythonVersion>,
    /// `python-version` values left to expressions plumb does not resolve.
    pub unresolved: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct CheckedPythonVersion {
    /// As CI writes it (`3.11`, `pypy3.10`, `3.x`).
    pub version: String,
    pub status: PythonVersionStatus,
    /// How many `python-version` values ask for it.
    pub uses: usize,
    /// How many distinct places write it (a matrix or `env:` value serves several inputs).
    pub places: usize,
    /// Those places, the first [`CheckedPythonVersion::LOCATIONS`] in path and line order.
    pub locations: Vec<Location>,
}

impl CheckedPythonVersion {
    pub const LOCATIONS: usize = 5;
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum PythonVersionStatus {
    /// The requirement admits it.
    Admitted,
    /// The requirement excludes it.
    Outside,
    /// Not a version plumb compares (`3.x`, `latest`, a range), or nothing to compare with.
    NotJudged,
}

/// One Python version a workflow asks for.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct CiPythonVersion {
    /// The version as the job receives it (`3.11`, `3.x`, `pypy3.10`); the expression as
    /// written when it is not resolved.
    pub value: String,
    /// Where the value is written: the input itself, or the matrix or `env:` entry that
    /// holds it.
    pub location: Location,
    /// Where the `python-version:` input is.
    pub input: Location,
    /// The setup action (`actions/setup-python`) or the reusable workflow called.
    pub used_by: String,
    pub source: CiValueSource,
}

/// Where a workflow value comes from.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum CiValueSource {
    /// Written in the input.
    Literal,
    /// A literal value of the job's `strategy.matrix`.
    Matrix,
    /// A literal `env:` value.
    Env,
    /// An expression plumb does not resolve (inputs, outputs, a matrix computed at run time).
    Unresolved,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct WorkflowFacts {
    pub path: String,
    pub name: Option<String>,
    /// Events under `on:`, in file order.
    pub triggers: Vec<String>,
    /// Declares `on: workflow_call`.
    pub reusable: bool,
    pub jobs: usize,
    /// Jobs that run steps: all but reusable-workflow calls (`jobs.<id>.uses`).
    pub step_jobs: usize,
    pub steps: usize,
    /// Largest matrix expansion of any job (includes and excludes applied); 1 without a matrix.
    pub max_matrix: usize,
    /// Jobs whose matrix is computed at run time (`fromJSON(...)`), so not counted.
    pub dynamic_matrices: usize,
    /// Jobs with a shard-like matrix key (`shard`, `num_shards`, ...).
    pub sharded_jobs: usize,
    /// Runner labels (`runs-on`), sorted and distinct.
    pub runners: Vec<String>,
    /// Jobs that run steps and have no `timeout-minutes`.
    pub jobs_without_timeout: usize,
    pub concurrency: bool,
    /// Steps that cache (actions/cache, `cache:` on setup actions, rust-cache, ccache, sccache),
    /// those of the local composite actions its steps use included (once per use).
    pub caching_steps: usize,
    /// Jobs and steps with `if: always()`: they run after a failure (to upload reports, to
    /// clean up), which hides nothing, so they are counted, not reported.
    pub always_runs: usize,
    /// Test runners the `run:` scripts call (pytest, cargo test, ...), sorted and distinct.
    pub test_commands: Vec<String>,
    /// Reusable workflows this one calls (`jobs.<id>.uses`), as written.
    pub calls: Vec<String>,
    /// `permissions:` at the top: absent, read-all, write-all, or scoped.
    pub permissions: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct ActionFacts {
    pub path: String,
    pub name: Option<String>,
    /// `runs.using`: composite, node20, docker, ...
    pub using: String,
    pub steps: usize,
    /// Caching steps of a composite action, its own (not those of actions it uses).
    pub caching_steps: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct ActionRef {
    pub location: Location,
    pub uses: String,
    pub pin: PinKind,
    /// A reusable workflow call (`jobs.<id>.uses`) rather than a step.
    pub workflow_call: bool,
}

/// How a `uses:` reference is pinned.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum PinKind {
    /// A full commit SHA: immutable.
    Sha,
    /// A version-like tag (`v4`, `1.2.3`): movable by the action's owner.
    Tag,
    /// Anything else (`main`, `master`, `release/x`): moves with every push.
    Branch,
    /// No `@ref` at all.
    Unpinned,
    /// `./path`: this repository's own action or workflow.
    Local,
    /// `docker://image@sha256:...`.
    DockerDigest,
    /// `docker://image:tag`.
    DockerTag,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct DependabotFacts {
    pub path: String,
    /// `package-ecosystem` of every update entry, as written.
    pub ecosystems: Vec<String>,
}
