//! Submodules: the gitlinks the scan met (path and pinned commit), joined with what
//! `.gitmodules` says of them (url, branch). Submodules are never descended.

use crate::model::{redact_url, Audit, ScanNote, SkipReason, Submodule};
use crate::scan::{File, FileInfo};

use super::{Analysis, Analyzer};

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
}

impl Analyzer for SubmodulesAnalyzer {
    fn id(&self) -> &'static str {
        "submodules"
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

    fn finish(&self, analysis: &Analysis, audit: &mut Audit) {
        let Some(repository) = audit.repository.as_mut() else {
            return;
        };
        repository.submodules = analysis
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
    }
}

/// Reads the git-config subset `.gitmodules` uses: `[submodule "name"]` sections with
/// `path`, `url` and `branch` keys. Unknown keys and malformed lines are ignored.
fn parse_gitmodules(text: &str) -> Vec<GitmodulesEntry> {
    let mut entries: Vec<GitmodulesEntry> = Vec::new();
    let mut in_submodule = false;
    for line in text.lines() {
        let line = line.trim();
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
            "branch" => entry.branch = Some(value),
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
    }
}
