//! Analyzers: independent analyses that see the files the scan hands them and turn what
//! they saw into facts of the audit. They never print or write.
//!
//! Adding one: a file here with a unit struct implementing [`Analyzer`], a `mod` line and
//! an entry in [`ALL`].

pub mod baseline;
mod binary_artifacts;
mod caps;
mod config;
mod dependencies;
mod god_modules;
mod governance;
mod imports;
mod inventory;
mod module_tree;
mod packages;
mod positions;
mod posture;
pub mod secrets;
pub mod snippet;
mod submodules;
mod supply;
mod tests_inventory;
mod toml_tables;
mod toolchains;
mod vendored;
mod workflows;

use std::sync::Arc;

use crate::model::{Audit, CiFacts, FileSuppressions, Finding, Rule, ScanNote, ToolchainDecl};
use crate::scan::{File, FileInfo, FileRecord};

pub(crate) use caps::thousands;
pub use caps::{cap_audit, cap_per_file, PER_AUDIT, PER_RULE_AND_FILE};
pub use config::{unknown_layers, SurfaceMatcher, CONFIG_PATH};
pub use imports::{FileImports, GoModule, RustCrate};
pub use packages::Partition;
pub use submodules::{GitmodulesEntry, SubmoduleEntry};
pub use tests_inventory::TestFile;
pub use vendored::settle as settle_vendored;
/// For findings judged after the scan at a file's line: snippet, fingerprint, suppression.
pub(crate) use workflows::rules::{fingerprint, Judgement, Reporter};

/// One independent analysis. Implementations are unit structs listed in [`ALL`].
pub trait Analyzer: Sync {
    /// Stable kebab-case id.
    fn id(&self) -> &'static str;
    /// The rules whose findings this analyzer can report.
    fn rules(&self) -> &'static [Rule] {
        &[]
    }
    /// Cheap test on path, role and language: only wanted files are handed to `visit`.
    fn wants(&self, _file: &FileInfo) -> bool {
        false
    }
    /// Whether `visit` reads [`File::directive_lines`] of a wanted file: the line counter
    /// then notes them as it passes.
    fn wants_directive_lines(&self, _file: &FileInfo) -> bool {
        false
    }
    /// Per-file work inside the parallel scan; `out` is this thread's accumulator.
    fn visit(&self, _file: &File<'_>, _out: &mut Analysis) {}
    /// Whole-snapshot work after the scan: reads what the visits gathered (never another
    /// analyzer's facts), so the analyzers finish in parallel; the returned
    /// [`Conclusion`]s then write their facts into the audit in [`ALL`] order.
    fn finish(&self, analysis: &Analysis) -> Conclusion;
    /// Whether `finish` is long: long ones start first, so that the short ones run beside
    /// them rather than before them on the same thread.
    fn finishes_long(&self) -> bool {
        false
    }
}

/// The text of a file an analyzer reads whole in `finish` (`plumb.toml`, the baseline),
/// kept from the scan.
#[derive(Debug, Clone)]
pub struct KeptText {
    pub path: String,
    /// Shared with what the analyzer's `finish` makes of it (the baseline keeps it for
    /// its findings), so a file of 10 MiB is not held twice.
    pub text: Arc<str>,
}

/// `file`'s text to keep, or `None` and a scan note saying which analyzer could not read
/// it when it is not UTF-8.
fn keep_text(file: &File<'_>, notes: &mut Vec<ScanNote>, analyzer: &str) -> Option<KeptText> {
    match file.text() {
        Some(text) => Some(KeptText {
            path: file.info.path.clone(),
            text: Arc::from(text),
        }),
        None => {
            notes.push(ScanNote::new(
                &file.info.path,
                crate::model::SkipReason::NonUtf8,
                Some(analyzer.into()),
            ));
            None
        }
    }
}

/// How an analyzer's facts enter the audit.
pub type Conclusion = Box<dyn FnOnce(&mut Audit) + Send>;

/// Every analyzer, in the order their conclusions are applied (each writes its own facts,
/// and findings are sorted afterwards, so the order does not change results).
pub const ALL: &[&dyn Analyzer] = &[
    &baseline::BaselineAnalyzer,
    &binary_artifacts::BinaryArtifactsAnalyzer,
    &config::ConfigAnalyzer,
    &dependencies::DependenciesAnalyzer,
    &god_modules::GodModulesAnalyzer,
    &governance::GovernanceAnalyzer,
    &imports::ImportsAnalyzer,
    &inventory::InventoryAnalyzer,
    &module_tree::ModuleTreeAnalyzer,
    &posture::PostureAnalyzer,
    &secrets::SecretsAnalyzer,
    &submodules::SubmodulesAnalyzer,
    &tests_inventory::TestsAnalyzer,
    &toolchains::ToolchainsAnalyzer,
    &vendored::VendoredAnalyzer,
    &workflows::WorkflowsAnalyzer,
];

/// What one scan thread gathered; merged once at the end of the scan.
#[derive(Debug, Default)]
pub struct Analysis {
    /// Every file (not submodules), tracked or untracked.
    pub files: Vec<FileRecord>,
    pub submodules: Vec<SubmoduleEntry>,
    pub gitmodules: Vec<GitmodulesEntry>,
    pub test_files: Vec<TestFile>,
    /// Python files' framework markers and class bases (the tests analyzer's).
    pub python_hints: Vec<crate::model::PythonTestHints>,
    pub toolchains: Vec<ToolchainDecl>,
    pub ci: CiFacts,
    /// `plumb.toml` at the root, if any.
    pub config: Option<KeptText>,
    /// `.plumb/baseline.toml`, if any.
    pub baseline: Option<KeptText>,
    pub dependencies: dependencies::Gathered,
    pub supply: supply::SupplyFacts,
    /// Raw imports per file, resolved by the imports analyzer's `finish`.
    pub raw_imports: Vec<FileImports>,
    pub go_modules: Vec<GoModule>,
    pub governance: governance::Gathered,
    pub rust_crates: Vec<RustCrate>,
    /// Each file's findings, capped as they were reported ([`caps::FileFindings`], which
    /// every visit reports through).
    pub findings: Vec<Finding>,
    pub notes: Vec<ScanNote>,
    /// Files with `plumb: ignore[...]` comments, found by the secrets pass.
    pub suppressions: Vec<FileSuppressions>,
}

impl Analysis {
    pub fn merge(mut self, other: Analysis) -> Analysis {
        self.files.extend(other.files);
        self.submodules.extend(other.submodules);
        self.gitmodules.extend(other.gitmodules);
        self.test_files.extend(other.test_files);
        self.python_hints.extend(other.python_hints);
        self.toolchains.extend(other.toolchains);
        self.ci.workflows.extend(other.ci.workflows);
        self.ci.actions.extend(other.ci.actions);
        self.ci.action_refs.extend(other.ci.action_refs);
        self.ci.dependabot.extend(other.ci.dependabot);
        self.ci.renovate.extend(other.ci.renovate);
        self.ci.actionlint.extend(other.ci.actionlint);
        self.ci.workflow_linters.extend(other.ci.workflow_linters);
        self.ci.python_versions.extend(other.ci.python_versions);
        self.config = self.config.or(other.config);
        self.baseline = self.baseline.or(other.baseline);
        self.dependencies.merge(other.dependencies);
        self.supply.merge(other.supply);
        self.raw_imports.extend(other.raw_imports);
        self.go_modules.extend(other.go_modules);
        self.governance.merge(other.governance);
        self.rust_crates.extend(other.rust_crates);
        self.findings.extend(other.findings);
        self.notes.extend(other.notes);
        self.suppressions.extend(other.suppressions);
        self
    }

    /// Puts every list in path order, so results never depend on thread scheduling.
    pub fn sort(&mut self) {
        // The two longest, side by side: the whole pool waits for this.
        let (files, raw_imports) = (&mut self.files, &mut self.raw_imports);
        rayon::join(
            || files.sort_by(|a, b| a.info.path.cmp(&b.info.path)),
            || raw_imports.sort_by(|a, b| a.path.cmp(&b.path)),
        );
        self.submodules.sort();
        self.gitmodules.sort();
        self.test_files.sort();
        self.python_hints.sort();
        self.toolchains.sort();
        self.dependencies.sort();
        self.supply.sort();
        self.go_modules.sort();
        self.rust_crates.sort();
        self.findings.sort();
        self.notes.sort();
        self.suppressions.sort();
    }

    /// The tracked (inventoried) files.
    pub fn tracked(&self) -> impl Iterator<Item = &FileRecord> {
        self.files.iter().filter(|f| f.info.tracked)
    }
}

#[cfg(test)]
mod tests {
    use super::ALL;

    #[test]
    fn ids_are_unique_and_sorted() {
        let ids: Vec<_> = ALL.iter().map(|a| a.id()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    }
}
