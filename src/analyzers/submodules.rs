//! Submodules: the gitlinks the scan met (path and pinned commit), joined with what
//! `.gitmodules` says of them (url, branch). Submodules are never descended.

use crate::model::{redact_url, Finding, Location, Rule, ScanNote, Severity, SkipReason, Submodule};
use crate::scan::{File, FileInfo};

use super::supply::finding;
use super::{Analysis, Analyzer, Conclusion};

pub struct SubmodulesAnalyzer;

/// A gitlink entry of the snapshot.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SubmoduleEntry {
    pub path: String,
    pub commit: String,
    pub checked_out: Option<bool>,
}

/// One `[submodule "name"]` section of `.gitmodules`.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct GitmodulesEntry {
    pub path: String,
    pub url: Option<String>,
    pub branch: Option<String>,
    /// 1-based line and column of the `branch` key, for the finding.
    pub branch_at: Option<(usize, usize)>,
}

pub const SUBMODULE_TRACKS_BRANCH: Rule = Rule {
    group: "supply-chain",
    id: "submodule-tracks-branch",
    title: "submodule set to follow a branch",
    help: "With `branch =` in `.gitmodules`, `git submodule update --remote` moves the submodule to whatever the branch points at, so an update pulls unreviewed upstream code. Remove the `branch` key and move the pinned commit deliberately, in a reviewed change.",
};

impl Analyzer for SubmodulesAnalyzer {
    fn id(&self) -> &'static str {
        "submodules"
    }

    fn rules(&self) -> &'static [Rule] {
        &[SUBMODULE_TRACKS_BRANCH]
    }

    fn wants(&self, file: &FileInfo) -> bool {
        file.path == ".gitmodules"
    }

    fn visit(&self, file: &File<'_>, out: &mut Analysis) {
        match file.text() {
            Some(text) => out.gitmodules.extend(parse_gitmodules(text)),
            None => out.notes.push(ScanNote::new(
                &file.info.path,
                SkipReason::NonUtf8,
                Some("submodules".into()),
            )),
        }
    }

    fn finish(&self, analysis: &Analysis) -> Conclusion {
        let findings: Vec<Finding> = analysis.gitmodules.iter().filter_map(tracks_branch).collect();
        let submodules: Vec<Submodule> = analysis
            .submodules
            .iter()
            .map(|entry| {
                let declared = analysis.gitmodules.iter().find(|g| g.path == entry.path);
                Submodule {
                    path: entry.path.clone(),
                    commit: entry.commit.clone(),
                    url: declared.and_then(|g| g.url.as_deref()).map(redact_url),
                    branch: declared.and_then(|g| g.branch.clone()),
                    checked_out: entry.checked_out,
                }
            })
            .collect();
        Box::new(move |audit| {
            audit.findings.extend(findings);
            if let Some(repository) = audit.repository.as_mut() {
                repository.submodules = submodules;
            }
        })
    }
}

/// The finding for a `.gitmodules` section that names a branch.
fn tracks_branch(entry: &GitmodulesEntry) -> Option<Finding> {
    let (branch, (line, column)) = entry.branch.as_ref().zip(entry.branch_at)?;
    let location = Location {
        path: ".gitmodules".to_string(),
        line,
        column,
    };
    let message = format!("submodule `{}` tracks branch `{branch}`", entry.path);
    let mut found = finding(&SUBMODULE_TRACKS_BRANCH, location, Severity::Low, message);
    found.span = "branch".len();
    Some(found)
}

/// Reads the git-config subset `.gitmodules` uses: `[submodule "name"]` sections with
/// `path`, `url` and `branch` keys. Unknown keys and malformed lines are ignored.
fn parse_gitmodules(text: &str) -> Vec<GitmodulesEntry> {
    let mut entries: Vec<GitmodulesEntry> = Vec::new();
    let mut in_submodule = false;
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.starts_with('[') {
            in_submodule = line.to_ascii_lowercase().starts_with("[submodule");
            if in_submodule {
                entries.push(GitmodulesEntry::default());
            }
            continue;
        }
        let (Some(entry), Some((key, value))) = (entries.last_mut().filter(|_| in_submodule), line.split_once('='))
        else {
            continue;
        };
        let value = value.trim().trim_matches('"').to_string();
        match key.trim().to_ascii_lowercase().as_str() {
            "path" => entry.path = value,
            "url" => entry.url = Some(value),
            "branch" => {
                entry.branch = Some(value);
                entry.branch_at = Some((index + 1, raw.len() - raw.trim_start().len() + 1));
            }
            _ => {}
        }
    }
    entries.retain(|e| !e.path.is_empty());
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gitmodules_sections_are_read() {
        let text = "[submodule \"a\"]\n\tpath = third-party/a\n\turl = https://tok@host/a.git\n# c\n[core]\n\tpath = no\n[submodule \"b\"]\n path=b\n branch = main\n";
        let entries = parse_gitmodules(text);
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].path, "third-party/a");
        assert_eq!(entries[0].url.as_deref(), Some("https://tok@host/a.git"));
        assert_eq!(entries[1].branch.as_deref(), Some("main"));
        assert_eq!(entries[1].branch_at, Some((9, 2)));
        let found = tracks_branch(&entries[1]).expect("a branch is a finding");
        assert_eq!(
            (found.location.line, found.message.as_str()),
            (9, "submodule `b` tracks branch `main`")
        );
    }
}
