//! The repository's security posture: a security policy, code owners, its license (SPDX
//! expression, declared or from its license files), release provenance and signing in CI, and which ecosystems Dependabot or Renovate
//! keep up to date. Each is recorded with the file that shows it; absent means no such
//! file in the snapshot, measured, not assumed.

use crate::model::{Ecosystem, Evidence, Location, Role};
use crate::scan::{File, FileInfo};

use super::vendored::{best_license, repository_license};
use super::{Analysis, Analyzer, Conclusion};

pub struct PostureAnalyzer;

/// Where GitHub looks for `SECURITY.md` and `CODEOWNERS`, in its order of precedence.
pub(super) const POLICY_DIRS: &[&str] = &[".github/", "", "docs/"];

/// Actions and reusable workflows that produce provenance or signatures (matched on the
/// `uses:` name before `@`; a trailing `/` matches an owner's every action).
const PROVENANCE_USES: &[&str] = &[
    "actions/attest",
    "actions/attest-build-provenance",
    "actions/attest-sbom",
    "sigstore/",
    "slsa-framework/slsa-github-generator/",
];

impl Analyzer for PostureAnalyzer {
    fn id(&self) -> &'static str {
        "posture"
    }

    /// CI files, for `cosign sign` / `cosign attest` in their scripts.
    fn wants(&self, file: &FileInfo) -> bool {
        file.role == Role::Ci
    }

    fn visit(&self, file: &File<'_>, out: &mut Analysis) {
        let Some(text) = file.text() else { return };
        for (index, line) in text.lines().enumerate() {
            if let Some(evidence) = cosign_call(&file.info.path, index + 1, line) {
                out.supply.signing.push(evidence);
            }
        }
    }

    fn finish(&self, analysis: &Analysis) -> Conclusion {
        let security_policy = policy_file(analysis, |name| {
            matches!(
                name.to_ascii_lowercase().as_str(),
                "security.md" | "security.rst" | "security.txt" | "security"
            )
        });
        let codeowners = policy_file(analysis, |name| name == "CODEOWNERS");
        let license = best_license(&analysis.supply.licenses, "");
        let repository_license = repository_license(&analysis.supply.licenses, &analysis.supply.manifests);
        let provenance = provenance(analysis);
        let dependabot_ecosystems = dependabot_ecosystems(analysis);
        let renovate = !analysis.ci.renovate.is_empty();
        Box::new(move |audit| {
            let posture = &mut audit.supply_chain.posture;
            posture.security_policy = security_policy;
            posture.codeowners = codeowners;
            posture.license = license;
            posture.repository_license = repository_license;
            posture.provenance = provenance;
            posture.dependabot_ecosystems = dependabot_ecosystems;
            posture.renovate = renovate;
        })
    }
}

/// The first tracked file, in GitHub's order of folders, whose name passes `is_named`.
pub(super) fn policy_file(analysis: &Analysis, is_named: impl Fn(&str) -> bool) -> Option<String> {
    POLICY_DIRS.iter().find_map(|dir| {
        analysis
            .tracked()
            .map(|f| f.info.path.as_str())
            .find(|path| {
                path.strip_prefix(dir)
                    .is_some_and(|name| !name.contains('/') && is_named(name))
            })
            .map(str::to_string)
    })
}

/// A `cosign sign...` or `cosign attest...` command on a line that is not a comment.
fn cosign_call(path: &str, line: usize, text: &str) -> Option<Evidence> {
    if text.trim_start().starts_with('#') {
        return None;
    }
    let start = text.find("cosign ")?;
    let command = text[start + "cosign ".len()..].split_whitespace().next()?;
    (command.starts_with("sign") || command.starts_with("attest")).then(|| Evidence {
        value: format!("cosign {command}"),
        location: Location {
            path: path.to_string(),
            line,
            column: text[..start].chars().count() + 1,
        },
    })
}

fn provenance(analysis: &Analysis) -> Vec<Evidence> {
    let mut found: Vec<Evidence> = analysis
        .ci
        .action_refs
        .iter()
        .filter(|r| {
            let name = r.uses.split('@').next().unwrap_or(&r.uses);
            PROVENANCE_USES
                .iter()
                .any(|p| name == p.trim_end_matches('/') || (p.ends_with('/') && name.starts_with(p)))
        })
        .map(|r| Evidence {
            value: r.uses.clone(),
            location: r.location.clone(),
        })
        .chain(analysis.supply.signing.iter().cloned())
        .collect();
    found.sort();
    found.dedup();
    found
}

/// Dependabot's `package-ecosystem` values mapped to the ecosystems plumb names; those
/// plumb has no manifest parser for (maven, bundler, ...) are left out.
fn dependabot_ecosystems(analysis: &Analysis) -> Vec<Ecosystem> {
    let mut found: Vec<Ecosystem> = analysis
        .ci
        .dependabot
        .iter()
        .flat_map(|d| d.ecosystems.iter())
        .filter_map(|e| match e.as_str() {
            "pip" | "pipenv" | "poetry" | "uv" => Some(Ecosystem::Pypi),
            "cargo" => Some(Ecosystem::Cargo),
            "npm" | "yarn" | "pnpm" | "bun" => Some(Ecosystem::Npm),
            "gomod" => Some(Ecosystem::Golang),
            "docker" | "docker-compose" => Some(Ecosystem::Docker),
            "github-actions" => Some(Ecosystem::GithubActions),
            _ => None,
        })
        .collect();
    found.sort();
    found.dedup();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cosign_commands_outside_comments() {
        let found = cosign_call("ci.yml", 7, "        run: cosign sign-blob --yes x.tar.gz");
        assert_eq!(
            found.map(|e| (e.value, e.location.column)),
            Some(("cosign sign-blob".into(), 14))
        );
        assert!(cosign_call("ci.yml", 1, "  # cosign sign later").is_none());
        assert!(cosign_call("ci.yml", 1, "  run: cosign version").is_none());
    }
}
