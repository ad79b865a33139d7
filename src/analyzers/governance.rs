//! Governance: the files a refactor is run by, measured. `REFACTOR.md` (its lines, whether
//! it is empty, its plumb block), the milestone and audit folders (`docs/refactor/`,
//! `docs/audit/`, telling plumb's own reports apart), instructions for coding agents,
//! `.pre-commit-config.yaml` and its hooks, `CONTRIBUTING`, CODEOWNERS and which files
//! and surfaces it gives an owner, the linters of workflows that CI or pre-commit runs,
//! and the architecture contracts of import-linter and tach (read here, judged on the
//! import graph by `judge::guardrails`).
//!
//! Posture (`posture.rs`) already finds the CODEOWNERS file and workflows already find
//! where actionlint runs; this analyzer reads what they do not: the file's rules, and the
//! other linters.

mod codeowners;
mod contracts;
mod ini;

use crate::model::{
    DocFile, Evidence, Governance, GovernanceFolder, Location, PreCommit, PreCommitHook, RefactorMd, Role, SkipReason,
};
use crate::refactor_md;
use crate::scan::{File, FileInfo};

use super::workflows::checks::workflow_linters;
use super::workflows::yaml;
use super::{Analysis, Analyzer, Conclusion};

pub use codeowners::CodeownersText;
pub use contracts::ParsedContracts;

pub struct GovernanceAnalyzer;

const PRE_COMMIT: &str = ".pre-commit-config.yaml";
/// Folders of the refactor's records; `docs/audit/` is also where plumb writes its pack.
const FOLDERS: [&str; 2] = ["docs/refactor", "docs/audit"];
/// Hooks read from `.pre-commit-config.yaml`: far above any real file.
const MAX_HOOKS: usize = 1_000;
/// pre-commit hooks that lint workflows without the tool's name in their id.
const WORKFLOW_LINTER_HOOKS: [&str; 2] = ["check-github-workflows", "check-github-actions"];

/// What the visits gathered.
#[derive(Debug, Default)]
pub struct Gathered {
    refactor_md: Option<RefactorMd>,
    /// Agent instructions and CONTRIBUTING candidates, with their lines.
    docs: Vec<DocFile>,
    pre_commit: Option<PreCommit>,
    codeowners: Vec<CodeownersText>,
    contracts: Vec<ParsedContracts>,
}

impl Gathered {
    pub fn merge(&mut self, other: Gathered) {
        self.refactor_md = self.refactor_md.take().or(other.refactor_md);
        self.docs.extend(other.docs);
        self.pre_commit = self.pre_commit.take().or(other.pre_commit);
        self.codeowners.extend(other.codeowners);
        self.contracts.extend(other.contracts);
    }
}

/// What a wanted file is to this analyzer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    RefactorMd,
    /// Agent instructions, of this kind.
    Agent(&'static str),
    Contributing,
    PreCommit,
    Codeowners,
    Contracts,
}

fn kind(file: &FileInfo) -> Option<Kind> {
    if !file.tracked || file.role == Role::Vendored {
        return None;
    }
    let path = file.path.as_str();
    let name = file.name();
    let at_root = !path.contains('/');
    let in_policy_dir = super::posture::POLICY_DIRS
        .iter()
        .any(|dir| path.strip_prefix(dir).is_some_and(|rest| !rest.contains('/')));
    Some(match name {
        "REFACTOR.md" if at_root => Kind::RefactorMd,
        "AGENTS.md" | "CLAUDE.md" | "GEMINI.md" => Kind::Agent(agent_kind(name)),
        ".cursorrules" | ".windsurfrules" | ".clinerules" if at_root => Kind::Agent(agent_kind(name)),
        _ if path.starts_with(".cursor/rules/") => Kind::Agent("Cursor rules"),
        _ if path.starts_with(".clinerules/") => Kind::Agent("Cline rules"),
        "copilot-instructions.md" if path == ".github/copilot-instructions.md" => Kind::Agent("Copilot instructions"),
        _ if path.starts_with(".github/instructions/") && name.ends_with(".instructions.md") => {
            Kind::Agent("Copilot instructions")
        }
        _ if in_policy_dir && is_contributing(name) => Kind::Contributing,
        "CODEOWNERS" if in_policy_dir => Kind::Codeowners,
        PRE_COMMIT if at_root => Kind::PreCommit,
        ".importlinter" | "setup.cfg" | "pyproject.toml" | "tach.toml" if at_root => Kind::Contracts,
        _ => return None,
    })
}

fn agent_kind(name: &str) -> &'static str {
    match name {
        "AGENTS.md" => "AGENTS.md",
        "CLAUDE.md" => "CLAUDE.md",
        "GEMINI.md" => "GEMINI.md",
        ".cursorrules" => "Cursor rules",
        ".windsurfrules" => "Windsurf rules",
        _ => "Cline rules",
    }
}

fn is_contributing(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "contributing.md" | "contributing.rst" | "contributing.txt" | "contributing"
    )
}

impl Analyzer for GovernanceAnalyzer {
    fn id(&self) -> &'static str {
        "governance"
    }

    fn wants(&self, file: &FileInfo) -> bool {
        kind(file).is_some()
    }

    fn visit(&self, file: &File<'_>, out: &mut Analysis) {
        let Some(kind) = kind(file.info) else { return };
        let Some(text) = file.text() else { return };
        let path = &file.info.path;
        let gathered = &mut out.governance;
        match kind {
            Kind::RefactorMd => {
                gathered.refactor_md = Some(RefactorMd {
                    path: path.clone(),
                    lines: text.lines().count(),
                    empty: text.trim().is_empty(),
                    block: refactor_md::block(text),
                })
            }
            Kind::Agent(kind) => gathered.docs.push(doc(path, kind, text)),
            Kind::Contributing => gathered.docs.push(doc(path, "CONTRIBUTING", text)),
            Kind::PreCommit => gathered.pre_commit = Some(pre_commit(path, text)),
            Kind::Codeowners => gathered.codeowners.push(CodeownersText {
                path: path.clone(),
                text: text.to_string(),
            }),
            Kind::Contracts => gathered.contracts.extend(contracts::read(path, text)),
        }
    }

    fn finish(&self, analysis: &Analysis) -> Conclusion {
        let gathered = &analysis.governance;
        let mut docs = gathered.docs.clone();
        docs.extend(linked_docs(analysis, &gathered.docs));
        docs.sort();
        let contributing_path = super::posture::policy_file(analysis, is_contributing);
        let contributing = docs
            .iter()
            .find(|d| Some(&d.path) == contributing_path.as_ref())
            .cloned();
        let agent_files: Vec<DocFile> = docs.into_iter().filter(|d| d.kind != "CONTRIBUTING").collect();
        let pre_commit = gathered.pre_commit.clone();
        let workflow_linters = linters(analysis, pre_commit.as_ref());
        let codeowners = super::posture::policy_file(analysis, |name| name == "CODEOWNERS")
            .and_then(|path| gathered.codeowners.iter().find(|c| c.path == path))
            .map(|text| codeowners::measure(text, analysis));
        let contract_files = contracts::resolve(&gathered.contracts, analysis);
        let facts = Governance {
            refactor_md: gathered.refactor_md.clone(),
            folders: folders(analysis),
            agent_files_total: agent_files.len(),
            agent_files: agent_files.into_iter().take(Governance::KEEP).collect(),
            pre_commit,
            contributing,
            codeowners: None,
            workflow_linters,
            contract_files,
            file_limits: Vec::new(),
            guardrails: Vec::new(),
        };
        Box::new(move |audit| {
            // `file_limits` is the config analyzer's, applied before this (`ALL` order).
            let file_limits = std::mem::take(&mut audit.governance.file_limits);
            audit.governance = Governance { file_limits, ..facts };
            // The surfaces were written by the config analyzer's conclusion, before this
            // one: ownership is tallied against them here.
            audit.governance.codeowners = codeowners.map(|measured| measured.by_surface(&audit.surfaces.surfaces));
        })
    }
}

/// Agent instructions and CONTRIBUTING files that are symlinks (AGENTS.md to CLAUDE.md is
/// common): never followed, listed with their target and its lines when it is one of
/// them.
fn linked_docs(analysis: &Analysis, read: &[DocFile]) -> Vec<DocFile> {
    let mut found = Vec::new();
    for file in analysis.tracked() {
        let kind = match kind(&file.info) {
            Some(Kind::Agent(kind)) => kind,
            Some(Kind::Contributing) => "CONTRIBUTING",
            _ => continue,
        };
        if read.iter().any(|d| d.path == file.info.path) {
            continue;
        }
        let Some(note) = analysis.notes.iter().find(|n| n.path == file.info.path) else {
            continue;
        };
        let (said, lines) = match (note.reason, note.detail.as_deref()) {
            (SkipReason::SymlinkInside, Some(target)) => {
                let lines = read
                    .iter()
                    .find(|d| d.path == resolve(&file.info.path, target))
                    .map_or(0, |d| d.lines);
                (format!("{kind}, a symlink to {target}"), lines)
            }
            (reason, _) => (format!("{kind}, not read: {}", reason.describe()), 0),
        };
        found.push(DocFile {
            path: file.info.path.clone(),
            kind: said,
            lines,
        });
    }
    found
}

/// A symlink's target as a repository path, from the link's folder.
fn resolve(link: &str, target: &str) -> String {
    let mut parts: Vec<&str> = link
        .rsplit_once('/')
        .map_or(Vec::new(), |(dir, _)| dir.split('/').collect());
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    parts.join("/")
}

fn doc(path: &str, kind: &'static str, text: &str) -> DocFile {
    DocFile {
        path: path.to_string(),
        kind: kind.to_string(),
        lines: text.lines().count(),
    }
}

/// Tracked files below each records folder; plumb's reports told apart by name.
fn folders(analysis: &Analysis) -> Vec<GovernanceFolder> {
    use clap::ValueEnum;
    let reports: Vec<&str> = crate::cli::Format::value_variants()
        .iter()
        .map(|f| f.file_name())
        .collect();
    FOLDERS
        .iter()
        .filter_map(|folder| {
            let prefix = format!("{folder}/");
            let (mut plumb_reports, mut others) = (Vec::new(), Vec::new());
            for path in analysis.tracked().map(|f| f.info.path.as_str()) {
                match path.strip_prefix(&prefix) {
                    Some(name) if reports.contains(&name) => plumb_reports.push(path.to_string()),
                    Some(_) => others.push(path.to_string()),
                    None => {}
                }
            }
            let files = plumb_reports.len() + others.len();
            (files > 0).then(|| GovernanceFolder {
                path: folder.to_string(),
                files,
                plumb_reports,
                other_files_total: others.len(),
                other_files: others.into_iter().take(Governance::KEEP).collect(),
            })
        })
        .collect()
}

/// `repos[].hooks[].id`, with each hook's repository and line.
fn pre_commit(path: &str, text: &str) -> PreCommit {
    let mut facts = PreCommit {
        path: path.to_string(),
        ..Default::default()
    };
    let error = |line, column, message: String| Evidence {
        value: message,
        location: Location {
            path: path.to_string(),
            line,
            column,
        },
    };
    let docs = match yaml::load(text) {
        Ok(docs) => docs,
        Err(e) => {
            facts.error = Some(error(e.line.max(1), e.column, e.message));
            return facts;
        }
    };
    let Some(repos) = docs.first().and_then(|d| yaml::get(d, "repos")) else {
        facts.error = Some(error(1, 1, "no `repos:` list".to_string()));
        return facts;
    };
    for repo in yaml::items(repos) {
        let name = yaml::get(repo, "repo").and_then(yaml::text).unwrap_or_default();
        for hook in yaml::get(repo, "hooks").map(yaml::items).unwrap_or_default() {
            let Some(id) = yaml::get(hook, "id") else { continue };
            if facts.hooks.len() == MAX_HOOKS {
                let (line, column) = yaml::position(hook);
                facts.error = Some(error(
                    line,
                    column,
                    format!("more than {MAX_HOOKS} hooks: the rest are not read"),
                ));
                return facts;
            }
            facts.hooks.push(PreCommitHook {
                id: yaml::text(id).unwrap_or_default().into_owned(),
                repo: name.to_string(),
                line: yaml::position(id).0,
            });
        }
    }
    facts
}

/// Workflow linters run by workflows (gathered by the workflows analyzer) or as
/// pre-commit hooks.
fn linters(analysis: &Analysis, pre_commit: Option<&PreCommit>) -> Vec<Evidence> {
    let mut found = analysis.ci.workflow_linters.clone();
    for (hook, path) in pre_commit
        .iter()
        .flat_map(|p| p.hooks.iter().map(move |h| (h, &p.path)))
    {
        let location = Location {
            path: path.clone(),
            line: hook.line,
            column: 1,
        };
        let named = workflow_linters(&hook.id).chain(WORKFLOW_LINTER_HOOKS.iter().copied().filter(|id| hook.id == *id));
        found.extend(named.map(|tool| Evidence {
            value: tool.to_string(),
            location: location.clone(),
        }));
    }
    found.sort();
    found.dedup();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_symlink_target_is_read_from_the_link_folder() {
        assert_eq!(resolve("AGENTS.md", "CLAUDE.md"), "CLAUDE.md");
        assert_eq!(resolve("a/b/AGENTS.md", "../docs/./AI.md"), "a/docs/AI.md");
    }

    #[test]
    fn pre_commit_hooks_with_their_lines_and_a_parse_error_at_its_line() {
        let text = "repos:\n  - repo: https://github.com/rhysd/actionlint\n    rev: v1.7.7\n    hooks:\n      - id: actionlint\n  - repo: local\n    hooks:\n      - id: fmt\n        name: fmt\n";
        let facts = pre_commit(PRE_COMMIT, text);
        let hooks: Vec<(&str, &str, usize)> = facts
            .hooks
            .iter()
            .map(|h| (h.id.as_str(), h.repo.as_str(), h.line))
            .collect();
        assert_eq!(
            hooks,
            [
                ("actionlint", "https://github.com/rhysd/actionlint", 5),
                ("fmt", "local", 8)
            ]
        );
        assert_eq!(facts.error, None);
        let broken = pre_commit(PRE_COMMIT, "repos:\n  - repo: x\n    hooks: [\n");
        assert!(broken.error.is_some_and(|e| e.location.line >= 3));
    }
}
