//! `template-injection`: `${{ }}` expanded into a script, judged by where its value can
//! come from.
//!
//! The value of each expression is followed (see [`expr`]) to the contexts it can come
//! from, and each such context is one finding, as zizmor counts them:
//! - `github.*`: attacker-controllable (high) unless GitHub fills it from the run itself
//!   ([`github_is_fixed`]);
//! - `inputs.*` (and `github.event.inputs.*`): high for a `string` input, nothing for a
//!   `boolean`, `number`, `choice` or `environment` one, low when not declared;
//! - `env.*`: followed to its `env:` definition (step, then job, then workflow): a literal
//!   holds nothing, an expression is judged like one written in the script, a name the
//!   workflow does not set (written to `$GITHUB_ENV`, say) is low;
//! - `matrix.*`: medium when the job's matrix, the key's values or an `include` are
//!   computed at run time (`fromJSON(...)`), nothing for a literal matrix;
//! - secrets, `needs.*.result`, `steps.*.outcome` and `steps.*.conclusion`: nothing;
//! - anything else (step and job outputs, `vars`, fields of a function's result): info,
//!   its value is not fixed by the workflow.

use crate::model::{Confidence, Severity};

use super::expr::{self, Flow};
use super::rules::{self, Judgement, Reporter};
use super::yaml::{self, Node};

/// Actions whose inputs are run or evaluated as code, with those inputs: an expression in
/// them is expanded into code as in `run:`. From GitHub CodeQL's models of injection sinks
/// and zizmor's additions (both MIT); documented in the README.
pub const SCRIPT_INPUTS: &[(&str, &[&str])] = &[
    ("8398a7/action-slack", &["custom_payload"]),
    ("actions/github-script", &["script"]),
    ("addnab/docker-run-action", &["options", "run"]),
    ("amadevus/pwsh-script", &["script"]),
    ("appleboy/ssh-action", &["script"]),
    ("azure/cli", &["inlineScript"]),
    ("azure/powershell", &["inlineScript"]),
    ("cardinalby/js-eval-action", &["expression"]),
    ("devorbitus/yq-action-output", &["cmd"]),
    ("gautamkrishnar/blog-post-workflow", &["item_exec"]),
    (
        "imjohnbo/issue-bot",
        &[
            "body",
            "linked-comments-previous-issue-text",
            "linked-comments-new-issue-text",
        ],
    ),
    ("jannekem/run-python-script-action", &["script"]),
    ("lucasbento/auto-close-issues", &["issue-close-message"]),
    ("mikefarah/yq", &["cmd"]),
    (
        "roots/issue-closer-action",
        &["issue-close-message", "pr-close-message"],
    ),
    ("sergeysova/jq-action", &["cmd"]),
    ("skitionek/notify-microsoft-teams", &["overwrite"]),
    (
        "tibdex/backport",
        &["body_template", "head_template", "labels_template", "title_template"],
    ),
];

/// The inputs of `action` (lowercased `owner/repo`, no ref) that run as code.
pub fn script_inputs(action: &str) -> &'static [&'static str] {
    SCRIPT_INPUTS
        .iter()
        .find(|(name, _)| *name == action)
        .map_or(&[], |(_, inputs)| inputs)
}

/// What a declared input can hold.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum InputKind {
    /// A string the caller or dispatcher writes.
    Free,
    /// A boolean, a number, or one of listed choices or environments.
    Fixed,
}

/// What the expressions of one step can read besides the event: the `env:` blocks around
/// it, its job's matrix and the declared inputs of its workflow or action.
#[derive(Default, Clone)]
pub struct Scope<'n, 'a> {
    pub workflow_env: Option<&'n Node<'a>>,
    pub job_env: Option<&'n Node<'a>>,
    pub matrix: Option<&'n Node<'a>>,
    /// Declared inputs by lowercased name (input names are case-insensitive).
    pub inputs: Vec<(String, InputKind)>,
    /// The workflow runs only on pushes whose branch and tag filters admit no name with
    /// a character a shell would read ([`names_limited_by_filters`]).
    pub ref_names_limited: bool,
}

impl<'n, 'a> Scope<'n, 'a> {
    /// The scope of a workflow's jobs: its `env:` and the inputs of `workflow_call` and
    /// `workflow_dispatch` (a name declared by both takes the freer kind).
    pub fn of_workflow(doc: &'n Node<'a>, on: &'n Node<'a>) -> Self {
        let mut inputs: Vec<(String, InputKind)> = Vec::new();
        for event in ["workflow_call", "workflow_dispatch"] {
            let declared = yaml::get(on, event).and_then(|e| yaml::get(e, "inputs"));
            for (name, _, input) in declared.map(yaml::entries).unwrap_or_default() {
                let kind = match yaml::get(input, "type").and_then(yaml::text).as_deref() {
                    Some("boolean" | "number" | "choice" | "environment") => InputKind::Fixed,
                    _ => InputKind::Free,
                };
                let name = name.to_ascii_lowercase();
                match inputs.iter_mut().find(|(known, _)| *known == name) {
                    Some((_, known)) if kind == InputKind::Free => *known = kind,
                    Some(_) => {}
                    None => inputs.push((name, kind)),
                }
            }
        }
        Scope {
            workflow_env: yaml::get(doc, "env"),
            inputs,
            ref_names_limited: names_limited_by_filters(on),
            ..Scope::default()
        }
    }

    /// The scope of a composite action's steps: its inputs, all strings.
    pub fn of_action(doc: &'n Node<'a>) -> Self {
        let inputs = yaml::get(doc, "inputs").map(yaml::entries).unwrap_or_default();
        Scope {
            inputs: inputs
                .into_iter()
                .map(|(name, _, _)| (name.to_ascii_lowercase(), InputKind::Free))
                .collect(),
            ..Scope::default()
        }
    }

    /// This scope inside job `job`: its `env:` and matrix.
    pub fn in_job(&self, job: &'n Node<'a>) -> Self {
        Scope {
            job_env: yaml::get(job, "env"),
            matrix: yaml::get(job, "strategy").and_then(|s| yaml::get(s, "matrix")),
            ..self.clone()
        }
    }
}

/// Why a context's value is dangerous, and how much.
struct Taint {
    severity: Severity,
    confidence: Confidence,
    why: String,
}

fn taint(severity: Severity, confidence: Confidence, why: String) -> Option<Taint> {
    Some(Taint {
        severity,
        confidence,
        why,
    })
}

/// GitHub's default environment variables, which a step cannot overwrite through
/// `$GITHUB_ENV`: `${{ env.NAME }}` of one of them is empty or GitHub's own value. Any
/// other name (`GITHUB_SHA_SHORT` included) may have been written there by a step, and
/// `CI` may be overwritten.
const DEFAULT_VARIABLES: &[&str] = &[
    "GITHUB_ACTION",
    "GITHUB_ACTION_PATH",
    "GITHUB_ACTION_REPOSITORY",
    "GITHUB_ACTIONS",
    "GITHUB_ACTOR",
    "GITHUB_ACTOR_ID",
    "GITHUB_API_URL",
    "GITHUB_BASE_REF",
    "GITHUB_ENV",
    "GITHUB_EVENT_NAME",
    "GITHUB_EVENT_PATH",
    "GITHUB_GRAPHQL_URL",
    "GITHUB_HEAD_REF",
    "GITHUB_JOB",
    "GITHUB_OUTPUT",
    "GITHUB_PATH",
    "GITHUB_REF",
    "GITHUB_REF_NAME",
    "GITHUB_REF_PROTECTED",
    "GITHUB_REF_TYPE",
    "GITHUB_REPOSITORY",
    "GITHUB_REPOSITORY_ID",
    "GITHUB_REPOSITORY_OWNER",
    "GITHUB_REPOSITORY_OWNER_ID",
    "GITHUB_RETENTION_DAYS",
    "GITHUB_RUN_ATTEMPT",
    "GITHUB_RUN_ID",
    "GITHUB_RUN_NUMBER",
    "GITHUB_SERVER_URL",
    "GITHUB_SHA",
    "GITHUB_STEP_SUMMARY",
    "GITHUB_TRIGGERING_ACTOR",
    "GITHUB_WORKFLOW",
    "GITHUB_WORKFLOW_REF",
    "GITHUB_WORKFLOW_SHA",
    "GITHUB_WORKSPACE",
    "RUNNER_ARCH",
    "RUNNER_DEBUG",
    "RUNNER_ENVIRONMENT",
    "RUNNER_NAME",
    "RUNNER_OS",
    "RUNNER_TEMP",
    "RUNNER_TOOL_CACHE",
];

/// `env:` definitions are followed at most this deep (an `env:` value naming another).
const MAX_ENV_DEPTH: usize = 4;

/// `template-injection` for one script: a `run:` or an input of [`SCRIPT_INPUTS`] of
/// `step`, reported at the step's first line.
pub fn check(script_node: &Node<'_>, step: &Node<'_>, scope: &Scope<'_, '_>, r: &mut Reporter<'_>) {
    let Some(script) = yaml::text(script_node) else { return };
    let envs = [yaml::get(step, "env"), scope.job_env, scope.workflow_env];
    let lookup = Lookup { scope, envs: &envs };
    for expression in expressions(&script) {
        for taint in lookup.expression(expression, 0, 0) {
            r.report(
                &rules::TEMPLATE_INJECTION,
                yaml::position(step),
                0,
                Judgement {
                    severity: taint.severity,
                    confidence: taint.confidence,
                    message: format!("{} is expanded into the script: `${{{{ {expression} }}}}`", taint.why),
                    remediation: "Move the expression to `env:` and use the variable in the script.",
                },
            );
        }
    }
}

/// The inner text of every `${{ ... }}` (unbalanced ones are ignored).
pub fn expressions(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        let after = &rest[start + 3..];
        let Some(end) = after.find("}}") else { break };
        found.push(after[..end].trim());
        rest = &after[end + 2..];
    }
    found
}

/// Judges contexts as read from one step: `envs` are its `env:` blocks, innermost first.
struct Lookup<'s, 'n, 'a> {
    scope: &'s Scope<'n, 'a>,
    envs: &'s [Option<&'n Node<'a>>; 3],
}

impl Lookup<'_, '_, '_> {
    /// The taint of every flow of `expression`; `level` is the first `env:` block its own
    /// `env.*` reads may see (an `env:` value sees only the blocks around its own).
    fn expression(&self, expression: &str, level: usize, depth: usize) -> Vec<Taint> {
        expr::flows(expression)
            .unwrap_or_default()
            .iter()
            .filter_map(|flow| self.flow(flow, level, depth))
            .collect()
    }

    fn flow(&self, flow: &Flow, level: usize, depth: usize) -> Option<Taint> {
        let (path, raw) = match flow {
            Flow::Computed { raw } => {
                return taint(
                    Severity::Info,
                    Confidence::Low,
                    format!("`{raw}` (a field of a function's result, not fixed by the workflow)"),
                )
            }
            Flow::Context { path, raw } => (path.as_str(), raw.as_str()),
        };
        let mut segments = path.split('.');
        let head = segments.next().unwrap_or_default();
        let field = segments.next();
        match head {
            "secrets" => None,
            "github" if path.starts_with("github.event.inputs.") => self.input(path, raw),
            "github" if github_is_fixed(path) => None,
            "github" if self.scope.ref_names_limited && is_pushed_ref(path) => taint(
                Severity::Low,
                Confidence::Medium,
                format!("`{raw}` (a branch or tag name, but the workflow runs only on pushes its `branches:`/`tags:` filters limit to letters, digits and `._-/`)"),
            ),
            "github" if path.ends_with("upload_url") => taint(
                Severity::Medium,
                Confidence::High,
                format!("`{raw}` (a URL whose path an outsider can partly choose)"),
            ),
            "github" => taint(
                Severity::High,
                Confidence::High,
                format!("`{raw}` (attacker-controllable)"),
            ),
            "inputs" => self.input(path, raw),
            "env" => self.env(raw, level, depth),
            "matrix" => self.matrix(field, raw),
            "steps" if path.ends_with(".outcome") || path.ends_with(".conclusion") => None,
            "needs" if path.ends_with(".result") => None,
            "runner" if matches!(field, Some("arch" | "debug" | "os" | "temp" | "tool_cache")) => None,
            _ => taint(
                Severity::Info,
                Confidence::Low,
                format!("`{raw}` (not fixed by the workflow)"),
            ),
        }
    }

    /// `inputs.NAME` or `github.event.inputs.NAME`, by the declared type.
    fn input(&self, path: &str, raw: &str) -> Option<Taint> {
        let name = path.rsplit('.').next().unwrap_or_default();
        match self.scope.inputs.iter().find(|(known, _)| known == name) {
            Some((_, InputKind::Fixed)) => None,
            Some((_, InputKind::Free)) => taint(
                Severity::High,
                Confidence::High,
                format!("`{raw}` (a string input its caller or dispatcher chooses)"),
            ),
            None => taint(
                Severity::Low,
                Confidence::Low,
                format!("`{raw}` (an input the workflow does not declare)"),
            ),
        }
    }

    /// `env.NAME`, followed to its definition.
    fn env(&self, raw: &str, level: usize, depth: usize) -> Option<Taint> {
        let name = raw.split_once(['.', '[']).map_or("", |(_, rest)| rest);
        let name = name.trim_matches(|c| matches!(c, '[' | ']' | '\''));
        for (at, block) in self.envs.iter().enumerate().skip(level) {
            let Some(block) = block else { continue };
            if yaml::text(block).is_some() {
                return taint(
                    Severity::Low,
                    Confidence::Medium,
                    format!("`{raw}` (from an `env:` block computed at run time)"),
                );
            }
            let entries = yaml::entries(block);
            let found = entries
                .iter()
                .find(|(key, _, _)| key == name)
                .or_else(|| entries.iter().find(|(key, _, _)| key.eq_ignore_ascii_case(name)));
            let Some((_, _, value)) = found else { continue };
            let value = yaml::text(value).unwrap_or_default();
            if !value.contains("${{") {
                return None;
            }
            if depth >= MAX_ENV_DEPTH {
                return taint(
                    Severity::Low,
                    Confidence::Low,
                    format!("`{raw}` (set from an expression)"),
                );
            }
            let worst = expressions(&value)
                .into_iter()
                .flat_map(|e| self.expression(e, at + 1, depth + 1))
                .max_by_key(|t| (t.severity, t.confidence))?;
            return Some(Taint {
                why: format!("`{raw}`, set from {}", worst.why),
                ..worst
            });
        }
        (!DEFAULT_VARIABLES.contains(&name)).then(|| Taint {
            severity: Severity::Low,
            confidence: Confidence::Medium,
            why: format!("`{raw}` (not set by the workflow; a step may write it to $GITHUB_ENV)"),
        })
    }

    /// `matrix.KEY`: tainted when its values can be computed at run time.
    fn matrix(&self, key: Option<&str>, raw: &str) -> Option<Taint> {
        let matrix = self.scope.matrix?;
        matrix_is_computed(matrix, key).then(|| Taint {
            severity: Severity::Medium,
            confidence: Confidence::Medium,
            why: format!("`{raw}` (from a matrix computed at run time)"),
        })
    }
}

/// Whether `matrix.KEY` (any key when `None`) can take a value computed at run time: the
/// whole matrix, the key's values or an `include` is an expression, or an `include` entry
/// gives the key an expression. (An `exclude` only takes combinations away.)
fn matrix_is_computed(matrix: &Node<'_>, key: Option<&str>) -> bool {
    if let Some(text) = yaml::text(matrix) {
        return text.contains("${{");
    }
    let is_key = |k: &str| key.is_none_or(|key| k.eq_ignore_ascii_case(key));
    yaml::entries(matrix)
        .iter()
        .any(|(name, _, value)| match name.as_str() {
            "exclude" => false,
            "include" => {
                yaml::text(value).is_some_and(|t| t.contains("${{"))
                    || yaml::items(value).iter().any(|row| {
                        yaml::entries(row)
                            .iter()
                            .any(|(k, _, v)| is_key(k) && holds_expression(v))
                    })
            }
            axis => is_key(axis) && holds_expression(value),
        })
}

/// Whether a node or anything under it is a string holding `${{`.
fn holds_expression(node: &Node<'_>) -> bool {
    match yaml::text(node) {
        Some(text) => text.contains("${{"),
        None => {
            yaml::items(node).iter().any(holds_expression)
                || yaml::entries(node).iter().any(|(_, _, v)| holds_expression(v))
        }
    }
}

/// The name of the pushed ref, in the contexts that hold it.
fn is_pushed_ref(path: &str) -> bool {
    matches!(path, "github.ref" | "github.ref_name" | "github.event.ref")
}

/// Whether `on:` is only `push`, with `branches:`/`tags:` filters whose every pattern
/// admits only letters, digits and `._-/` (literal characters, classes of them, and the
/// `+`/`?` quantifiers; no `*`, which admits anything but `/`): a tag filter such as
/// `v[0-9]+.[0-9]+.[0-9]+`. A push of any other name does not start the workflow, so its
/// ref name cannot carry shell syntax. Negated patterns (`!…`) only take names out; the
/// `-ignore` filters let every other name in, so they limit nothing.
fn names_limited_by_filters(on: &Node<'_>) -> bool {
    let events = yaml::entries(on);
    let [(event, _, push)] = events.as_slice() else {
        return false;
    };
    let filters: Vec<_> = ["branches", "tags"]
        .iter()
        .filter_map(|key| yaml::get(push, key))
        .collect();
    event == "push"
        && !filters.is_empty()
        && yaml::get(push, "branches-ignore").is_none()
        && yaml::get(push, "tags-ignore").is_none()
        && filters.iter().all(|filter| {
            let patterns = yaml::items(filter);
            !patterns.is_empty()
                && patterns
                    .iter()
                    .all(|item| yaml::text(item).is_some_and(|pattern| admits_only_plain_names(&pattern)))
        })
}

fn admits_only_plain_names(pattern: &str) -> bool {
    pattern.starts_with('!')
        || pattern
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-/[]+?".contains(&b))
}

/// `github` context fields that no outsider chooses: set by GitHub from the run and the
/// repository, or in the event payload numbers, booleans, enumerations, timestamps and
/// commit SHAs (40 hex digits cannot carry shell syntax). Everything else under `github`
/// is taken as attacker-controllable: branch and tag names (`github.ref_name`,
/// `github.head_ref`, `github.base_ref`, `github.event.ref`), logins (`github.actor`),
/// titles, bodies, messages, labels, URLs.
fn github_is_fixed(path: &str) -> bool {
    const RUN: &[&str] = &[
        "github.action_path",
        "github.event_name",
        "github.job",
        "github.repository",
        "github.repository_id",
        "github.repository_owner",
        "github.repository_owner_id",
        "github.repositoryurl",
        "github.run_attempt",
        "github.run_id",
        "github.run_number",
        "github.server_url",
        "github.sha",
        "github.token",
        "github.triggering_actor",
        "github.workspace",
    ];
    if RUN.contains(&path) {
        return true;
    }
    let Some(event_field) = path.strip_prefix("github.event.") else {
        return false;
    };
    const FIXED_FIELDS: &[&str] = &[
        "action",
        "additions",
        "after",
        "archived",
        "author_association",
        "before",
        "changed_files",
        "conclusion",
        "deleted",
        "deletions",
        "distinct",
        "draft",
        "forced",
        "fork",
        "id",
        "locked",
        "merged",
        "mergeable",
        "number",
        "prerelease",
        "private",
        "rebaseable",
        "ref_type",
        "run_attempt",
        "run_number",
        "sha",
        "site_admin",
        "state",
        "status",
    ];
    let leaf = event_field.rsplit('.').next().unwrap_or_default();
    FIXED_FIELDS.contains(&leaf)
        || ["_id", "_count", "_at", "_sha"].iter().any(|s| leaf.ends_with(s))
        || event_field.ends_with("head_commit.id")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README's table of script inputs is the user's only view of [`SCRIPT_INPUTS`].
    #[test]
    fn the_readme_lists_every_script_input() {
        let readme = include_str!("../../../README.md");
        for (action, inputs) in SCRIPT_INPUTS {
            let row = readme
                .lines()
                .find(|line| line.starts_with('|') && line.contains(&format!("`{action}`")))
                .unwrap_or_else(|| panic!("{action} is not in the README"));
            for input in *inputs {
                assert!(row.contains(&format!("`{input}`")), "{action} {input}: {row}");
            }
        }
    }

    #[test]
    fn expressions_are_cut_at_their_braces() {
        assert_eq!(
            expressions("a ${{ github.sha }} b ${{x}} ${{ open"),
            ["github.sha", "x"]
        );
    }

    #[test]
    fn github_fields_set_by_the_run_or_typed_are_fixed() {
        for fixed in [
            "github.sha",
            "github.run_id",
            "github.event.pull_request.number",
            "github.event.pull_request.head.sha",
            "github.event.workflow_run.head_sha",
            "github.event.issue.created_at",
            "github.event.comment.id",
        ] {
            assert!(github_is_fixed(fixed), "{fixed}");
        }
        for open in [
            "github.ref_name",
            "github.head_ref",
            "github.base_ref",
            "github.actor",
            "github.event.ref",
            "github.event.issue.title",
            "github.event.pull_request.head.ref",
            "github.event.commits.*.message",
            "github.event",
        ] {
            assert!(!github_is_fixed(open), "{open}");
        }
    }

    #[test]
    fn computed_matrices_include_rows_and_axes() {
        let computed = |text: &str, key: &str| {
            let doc = &yaml::load(text).expect("yaml")[0];
            matrix_is_computed(yaml::get(doc, "m").expect("m"), Some(key))
        };
        assert!(computed("m: ${{ fromJSON(needs.a.outputs.m) }}\n", "x"));
        assert!(computed("m:\n  x: ${{ fromJSON(needs.a.outputs.x) }}\n", "x"));
        assert!(computed("m:\n  x: [a, '${{ inputs.v }}']\n", "x"));
        assert!(computed("m:\n  x: [a]\n  include: ${{ fromJSON(y) }}\n", "x"));
        assert!(computed(
            "m:\n  x: [a]\n  include:\n    - {x: '${{ inputs.v }}'}\n",
            "x"
        ));
        assert!(!computed("m:\n  x: [a, b]\n  y: ['${{ inputs.v }}']\n", "x"));
        assert!(!computed("m:\n  x: [a]\n  exclude: ${{ fromJSON(y) }}\n", "x"));
    }
}
