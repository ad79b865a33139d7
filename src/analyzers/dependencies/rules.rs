//! The dependency rules: their ids and help, and the findings made with them.

use crate::analyzers::workflows::rules::{Judgement, Reporter};
use crate::model::{Confidence, Dependency, Rule, Severity};

use super::ParseError;

pub const DEPENDENCY_NOT_LOCKED: Rule = Rule {
    group: "dependencies",
    id: "dependency-not-locked",
    title: "manifest dependency missing from the lockfile that covers the manifest",
    help: "The lockfile was not regenerated after the manifest changed, so installs from the lockfile do not get this dependency (or a frozen install fails). Run the ecosystem's lock command (`uv lock`, `cargo update -w`, `npm install`, `poetry lock`, ...) and commit the lockfile with the manifest.",
};

pub const MANIFEST_PARSE_ERROR: Rule = Rule {
    group: "dependencies",
    id: "manifest-parse-error",
    title: "manifest or lockfile that its tool cannot parse",
    help: "The file is not valid TOML, JSON or YAML (or not the structure its tool expects), so the package manager will reject it and this audit could not read its dependencies. Fix the reported line.",
};

pub const DOCKER_IMAGE_UNPINNED: Rule = Rule {
    group: "dependencies",
    id: "docker-image-unpinned",
    title: "base image not pinned by digest",
    help: "A tag can be pushed again with different content, and `latest` or no tag moves with every release, so the same Dockerfile builds different images over time. Pin `FROM image:tag@sha256:<digest>` (keep the tag for readers) and let Dependabot or Renovate update the digest.",
};

pub const REQUIREMENTS_INCLUDE_CYCLE: Rule = Rule {
    group: "dependencies",
    id: "requirements-include-cycle",
    title: "requirements files that include each other in a cycle",
    help: "`-r`/`-c` lines that lead back to the file itself make the set of requirements depend on where pip starts reading; pip follows the chain until it recurses too deep. Move the shared requirements into one file that the others include.",
};

pub const ALL: &[Rule] = &[
    DEPENDENCY_NOT_LOCKED,
    DOCKER_IMAGE_UNPINNED,
    MANIFEST_PARSE_ERROR,
    REQUIREMENTS_INCLUDE_CYCLE,
];

pub fn parse_error(reporter: &mut Reporter<'_>, label: &str, error: ParseError) {
    reporter.report(
        &MANIFEST_PARSE_ERROR,
        (error.line, error.column),
        1,
        Judgement {
            severity: Severity::Medium,
            confidence: Confidence::High,
            message: format!("{label} could not be parsed: {}", first_line(&error.message)),
            remediation: "Fix the syntax at this line; the package manager rejects the file as it is.",
        },
    );
}

pub fn not_locked(reporter: &mut Reporter<'_>, dependency: &Dependency, lockfile: &str) {
    reporter.report(
        &DEPENDENCY_NOT_LOCKED,
        (dependency.location.line, dependency.location.column),
        dependency.name.chars().count(),
        Judgement {
            severity: Severity::Medium,
            confidence: Confidence::High,
            message: format!(
                "`{}` is declared here but `{lockfile}` does not resolve it",
                dependency.name
            ),
            remediation: "Regenerate the lockfile with the package manager and commit it with the manifest.",
        },
    );
}

/// `moving`: no tag or `latest`, which changes with every release (medium); a fixed tag
/// can still be re-pushed (low).
pub fn docker_unpinned(reporter: &mut Reporter<'_>, dependency: &Dependency, moving: bool) {
    let (severity, what) = if moving {
        (Severity::Medium, "has no tag or `latest`: it moves with every release")
    } else {
        (Severity::Low, "is pinned by tag only: the tag can be pushed again")
    };
    reporter.report(
        &DOCKER_IMAGE_UNPINNED,
        (dependency.location.line, dependency.location.column),
        dependency.specifier.chars().count().max(1),
        Judgement {
            severity,
            confidence: Confidence::High,
            message: format!("base image `{}` {what}", dependency.specifier),
            remediation: "Pin the image by digest: `FROM image:tag@sha256:<digest>`.",
        },
    );
}

pub fn include_cycle(reporter: &mut Reporter<'_>, line: usize, cycle: &[String]) {
    reporter.report(
        &REQUIREMENTS_INCLUDE_CYCLE,
        (line, 1),
        1,
        Judgement {
            severity: Severity::Low,
            confidence: Confidence::High,
            message: format!("this include closes a cycle: {}", cycle.join(" → ")),
            remediation: "Break the cycle: keep shared requirements in one file that the others include.",
        },
    );
}

fn first_line(message: &str) -> &str {
    message.lines().find(|l| !l.trim().is_empty()).unwrap_or(message).trim()
}

#[cfg(test)]
mod tests {
    use super::ALL;

    #[test]
    fn rules_are_sorted_and_unique() {
        assert!(ALL.windows(2).all(|w| w[0].id < w[1].id));
    }
}
