//! What a rule's findings mean for a refactor, what to forbid while the work goes on, and
//! how to undo a fix: the documented text section 8 quotes for each rule (`docs/scoring.md`
//! points here). A rule without an entry gets its own help text and the general guardrail
//! and rollback of [`GENERAL`].

pub struct Playbook {
    /// The Interpretation: what the findings mean for a refactor.
    pub meaning: &'static str,
    /// What to forbid while the refactor goes on.
    pub guardrail: &'static str,
    /// How to undo the fix if it breaks something.
    pub rollback: &'static str,
}

/// For rules without an entry of their own.
pub const GENERAL: Playbook = Playbook {
    meaning: "",
    guardrail: "No new findings of this rule: run `plumb check` with a baseline in CI, so the count only goes down.",
    rollback: "Each fix is its own pull request; `git revert` it.",
};

pub fn playbook(rule: &str) -> Option<&'static Playbook> {
    if rule.starts_with("secret-") {
        return Some(&SECRET);
    }
    PLAYBOOKS.iter().find(|(id, _)| *id == rule).map(|(_, p)| p)
}

/// Every `secret-*` rule.
const SECRET: Playbook = Playbook {
    meaning: "A credential committed to the repository is exposed to everyone who can read it, in every clone and in the history, whatever a refactor later does to the file.",
    guardrail: "No credential in any file: a secret scanner (this audit, or a pre-commit hook) runs before every merge.",
    rollback: "None for the exposure: revoke and rotate the credential first; removing it from the file does not remove it from history.",
};

const PLAYBOOKS: &[(&str, Playbook)] = &[
    (
        "import-cycle",
        Playbook {
            meaning: "Modules in one eager import cycle load together: none can be moved, split or tested without the others, and the import order decides which names exist when. Every refactor that touches one of them touches the whole cycle.",
            guardrail: "No new import into a module of the cycle from the modules it imports (`plumb check` fails on a new or larger cycle); break cycles before enforcing layers.",
            rollback: "Breaking a cycle moves imports, not behaviour: `git revert` the pull request; the cycle returns and nothing else changes.",
        },
    ),
    (
        "layer-violation",
        Playbook {
            meaning: "Imports that run against the layers tie a lower package to a higher one, so the packages cannot be changed, released or replaced one at a time.",
            guardrail: "Declare the layers (`[[layer]]` in plumb.toml, or an import-linter layers contract) and fail CI on a new edge against them.",
            rollback: "`git revert` the pull request that moved the import; the layers stay declared.",
        },
    ),
    (
        "private-import",
        Playbook {
            meaning: "Code that imports another package's private modules depends on details its owners may change without notice; a refactor of that package breaks callers it did not know it had.",
            guardrail: "No new imports of another package's private modules: expose what callers need through the package's public interface.",
            rollback: "`git revert` the pull request; the private import returns unchanged.",
        },
    ),
    (
        "god-module",
        Playbook {
            meaning: "A large module that much production code imports is where changes collide: every edit to it reaches its importers, and splitting it is the refactor most likely to ripple.",
            guardrail: "No growth of the module while it is split: new code goes into the modules it is being split into.",
            rollback: "Split in steps that keep the old import path working (re-exports), so each step reverts alone.",
        },
    ),
    (
        "oversized-file",
        Playbook {
            meaning: "A hand-maintained file this long is hard to review and to move piece by piece; refactors that touch it produce large diffs and conflicts.",
            guardrail: "No file grows past the size it has at the baseline; new code goes into new modules.",
            rollback: "Split in pull requests that move code without changing it, each reverted alone.",
        },
    ),
    (
        "no-tests",
        Playbook {
            meaning: "A package without tests has no check that a refactor kept its behaviour: its changes are verified by reading alone.",
            guardrail: "Refactor a package only after it has at least one test of its public behaviour.",
            rollback: "Tests only add files: revert them if they prove wrong.",
        },
    ),
    (
        "unpinned-uses",
        Playbook {
            meaning: "A workflow that runs an action by tag or branch runs whatever that ref points to on the day: the CI that is meant to check the refactor can change under it, and a moved tag can run code nobody reviewed with the workflow's token.",
            guardrail: "Every new or edited `uses:` is pinned to a full commit SHA (with the version in a comment).",
            rollback: "A pin that breaks a job is moved to the last SHA that worked; `git revert` restores the old ref.",
        },
    ),
    (
        "template-injection",
        Playbook {
            meaning: "An expression expanded into a script turns text from an issue, a pull request or a branch name into code that runs with the workflow's token and secrets.",
            guardrail: "No `${{ }}` of an attacker-controllable context inside `run:` or a script input; pass values through `env:`.",
            rollback: "Moving a value into `env:` changes no behaviour for honest input; `git revert` restores the old step.",
        },
    ),
    (
        "excessive-permissions",
        Playbook {
            meaning: "A workflow token with broad write scopes lets any step it runs, including third-party actions, change the repository, its releases or its packages.",
            guardrail: "New workflows start with `permissions: {}` or `contents: read` and grant write scopes per job.",
            rollback: "A job that fails for lack of a scope gets that one scope back at job level.",
        },
    ),
    (
        "dangerous-triggers",
        Playbook {
            meaning: "A workflow triggered by `pull_request_target` or `workflow_run` runs with the base repository's secrets on events that strangers can cause.",
            guardrail: "No new `pull_request_target`/`workflow_run` workflow that checks out or runs the contribution's code.",
            rollback: "`git revert` the trigger change; the workflow runs as before.",
        },
    ),
    (
        "persist-credentials",
        Playbook {
            meaning: "A checkout that keeps the token in `.git/config` lets every later step, and any artifact that includes the folder, read it.",
            guardrail: "New checkouts set `persist-credentials: false` unless a later step pushes.",
            rollback: "A step that needed the stored token gets `persist-credentials: true` back on its own checkout.",
        },
    ),
    (
        "missing-timeout",
        Playbook {
            meaning: "A job without a timeout can hold a runner for six hours when a refactor makes it hang, delaying every other pull request's checks.",
            guardrail: "New jobs set `timeout-minutes`.",
            rollback: "A timeout that cuts a healthy job short is raised, not removed.",
        },
    ),
    (
        "silent-failure",
        Playbook {
            meaning: "A step or job allowed to fail reports success when it breaks: a refactor can break what it checks and CI stays green.",
            guardrail: "No new `continue-on-error`, `|| true` or `set +e` without a comment linking the issue that tracks it.",
            rollback: "A step that starts failing once its failure shows is a real failure: fix it or mark it deliberate with its issue.",
        },
    ),
    (
        "hardcoded-credentials",
        Playbook {
            meaning: "A password in a workflow is readable by everyone who can read the repository and stays in its history after removal.",
            guardrail: "No literal credential in any file: secrets come from the CI's secret store.",
            rollback: "None for the exposure: rotate the credential; removing it from the file does not remove it from history.",
        },
    ),
    (
        "no-dependency-updates",
        Playbook {
            meaning: "Pins that nothing updates age in place: fixed versions stop receiving security fixes.",
            guardrail: "Every ecosystem with pinned dependencies has an update configuration (Dependabot or Renovate).",
            rollback: "Delete the update configuration entry; pins stay as they are.",
        },
    ),
    (
        "dependency-not-locked",
        Playbook {
            meaning: "A dependency declared but missing from the lockfile resolves to whatever the registry serves at install time: two installs of the same commit can differ.",
            guardrail: "Manifests and lockfiles change in the same commit (the ecosystem's lock command in CI, `--locked`/`--frozen` installs).",
            rollback: "`git revert` the lockfile update; installs return to the old versions.",
        },
    ),
    (
        "docker-image-unpinned",
        Playbook {
            meaning: "An image by tag builds differently over time: the same commit can produce a different container before and after a refactor.",
            guardrail: "New `FROM` lines pin a digest (`image:tag@sha256:...`).",
            rollback: "A digest that breaks the build is moved back to the last one that worked.",
        },
    ),
    (
        "binary-artifact",
        Playbook {
            meaning: "Committed binaries cannot be reviewed or rebuilt from the sources, and a refactor cannot tell whether they still match the code.",
            guardrail: "No new committed binaries: build them in CI or fetch them by digest.",
            rollback: "`git revert` the removal restores the file.",
        },
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_playbook_names_a_rule_of_this_version() {
        let ids: Vec<&str> = crate::analyzers::ALL
            .iter()
            .flat_map(|a| a.rules())
            .map(|r| r.id)
            .chain(crate::judge::rules::ALL.iter().map(|r| r.id))
            .collect();
        for (id, _) in PLAYBOOKS {
            assert!(ids.contains(id), "the playbook of {id} names no rule");
        }
    }
}
