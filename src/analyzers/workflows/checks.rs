//! The walk over one workflow: facts for section 4 and findings for the rules.

use std::collections::BTreeSet;

use crate::model::{ActionRef, CiFacts, Confidence, Evidence, PinKind, Severity, WorkflowFacts};

use super::injection::{self, Scope};
use super::rules::{self, Judgement, Reporter};
use super::triggers::{self, Exposure, JobExposure};
use super::yaml::{self, Node};
use super::{location, parse_error};

/// What the steps of one job have shown so far.
#[derive(Default)]
pub struct JobContext {
    /// Checkout steps (their start) that keep the token in .git/config, no step after yet.
    persisting_checkouts: Vec<(usize, usize)>,
    /// Those of them followed by another step: reported by [`JobContext::report_leaky_checkouts`].
    leaky_checkouts: Vec<(usize, usize)>,
    /// Who can set the job off and what it runs (for dangerous-triggers).
    pub exposure: JobExposure,
    pub caching_steps: usize,
    /// Steps with `if: always()`.
    always_runs: usize,
    test_commands: BTreeSet<&'static str>,
}

/// Events that can carry a write-scoped token: all but `workflow_call`, whose token the
/// caller decides. (`pull_request` counts: a pull request from a branch of the repository
/// itself gets the default scopes; only forks get a read-only token.)
fn write_capable(triggers: &[String]) -> bool {
    triggers.iter().any(|t| t != "workflow_call")
}

pub fn workflow(doc: &Node<'_>, r: &mut Reporter<'_>, ci: &mut CiFacts) {
    if !yaml::is_mapping(doc) {
        parse_error(
            r,
            yaml::position(doc),
            "not a workflow: the top level is not a mapping".to_string(),
        );
        return;
    }
    let (Some((on_key, on)), Some(jobs)) = (yaml::get_entry(doc, "on"), yaml::get(doc, "jobs")) else {
        parse_error(r, (1, 1), "not a workflow: it needs both `on:` and `jobs:`".to_string());
        return;
    };
    let triggers = triggers(on);
    let workflow_scope = Scope::of_workflow(doc, on);
    let mut facts = WorkflowFacts {
        path: r.path.to_string(),
        name: yaml::get(doc, "name").and_then(yaml::text).map(|s| s.into_owned()),
        reusable: triggers.iter().any(|t| t == "workflow_call"),
        concurrency: yaml::get(doc, "concurrency").is_some(),
        max_matrix: 1,
        triggers,
        ..Default::default()
    };
    let write_triggers = write_capable(&facts.triggers);
    let top_permissions = yaml::get_entry(doc, "permissions");
    let job_entries = yaml::entries(jobs);
    facts.permissions = top_level_permissions(top_permissions, r, job_entries.len());
    let unscoped_jobs = job_entries
        .iter()
        .filter(|(_, _, job)| yaml::get(job, "permissions").is_none())
        .count();
    if top_permissions.is_none() && write_triggers && job_entries.len() > 1 && unscoped_jobs > 0 {
        r.report(
            &rules::EXCESSIVE_PERMISSIONS,
            yaml::position(doc),
            0,
            judgement(
                Severity::Medium,
                Confidence::Medium,
                &format!(
                    "no `permissions:` block: {unscoped_jobs} of {} jobs get the default token scopes",
                    job_entries.len()
                ),
                "Add `permissions: contents: read` at the top and grant more per job.",
            ),
        );
    }
    let mut exposure = Exposure::default();
    let mut runners = BTreeSet::new();
    let mut tests = BTreeSet::new();
    for (id, key, job) in job_entries {
        facts.jobs += 1;
        let job_permissions = yaml::get_entry(job, "permissions");
        // Every event can carry a write-scoped token (a pull request from a branch of the
        // repository gets the default scopes). A workflow run only by `workflow_call` takes
        // its caller's token: there only jobs that pass it on to another workflow count.
        let passes_token_on = write_triggers || yaml::get(job, "uses").is_some();
        if top_permissions.is_none() && job_permissions.is_none() && passes_token_on {
            let (confidence, whose) = if write_triggers {
                (Confidence::Medium, "the repository's default")
            } else {
                (Confidence::Low, "its caller's")
            };
            r.report(
                &rules::EXCESSIVE_PERMISSIONS,
                yaml::position(key),
                id.chars().count(),
                judgement(
                    Severity::Medium,
                    confidence,
                    &format!("job `{id}` runs with {whose} token permissions"),
                    "Give the job a `permissions:` block with only the scopes it needs.",
                ),
            );
        }
        if let Some((perm_key, value)) = job_permissions {
            if yaml::text(value).as_deref() == Some("write-all") {
                r.report(
                    &rules::EXCESSIVE_PERMISSIONS,
                    yaml::position(perm_key),
                    11,
                    judgement(
                        Severity::High,
                        Confidence::High,
                        &format!("job `{id}` grants `write-all`"),
                        "List the scopes the job needs instead.",
                    ),
                );
            }
        }
        facts.concurrency |= yaml::get(job, "concurrency").is_some();
        facts.always_runs += usize::from(silent_failure_flags(job, r, "job"));
        let python_scope = super::python::JobScope {
            path: r.path,
            workflow: doc,
            job,
        };
        super::python::job(&python_scope, &mut ci.python_versions);
        if let Some(uses) = yaml::get(job, "uses") {
            exposure.job(job, &JobExposure::default());
            reusable_call(key, uses, job, r, ci, &mut facts);
            continue;
        }
        job_body(&id, key, job, r, &mut facts, &mut runners);
        let mut context = JobContext::default();
        let scope = workflow_scope.in_job(job);
        let steps = yaml::get(job, "steps").map(yaml::items).unwrap_or_default();
        for step_node in steps {
            step(step_node, r, ci, &mut context, &scope);
        }
        facts.steps += steps.len();
        facts.step_jobs += 1;
        facts.caching_steps += context.caching_steps;
        facts.always_runs += context.always_runs;
        tests.extend(context.test_commands.iter().copied());
        exposure.job(job, &context.exposure);
        context.report_leaky_checkouts(r);
    }
    triggers::report(&facts.triggers, on_key, &exposure, r);
    facts.runners = runners.into_iter().collect();
    facts.test_commands = tests.into_iter().map(str::to_string).collect();
    ci.workflows.push(facts);
}

fn judgement(severity: Severity, confidence: Confidence, message: &str, remediation: &'static str) -> Judgement {
    Judgement {
        severity,
        confidence,
        message: message.to_string(),
        remediation,
    }
}

/// The events under `on:`: a name, a list of names, or a mapping keyed by name.
fn triggers(on: &Node<'_>) -> Vec<String> {
    if let Some(name) = yaml::text(on) {
        return vec![name.into_owned()];
    }
    let listed: Vec<String> = yaml::items(on)
        .iter()
        .filter_map(yaml::text)
        .map(|s| s.into_owned())
        .collect();
    if !listed.is_empty() {
        return listed;
    }
    yaml::entries(on).into_iter().map(|(name, _, _)| name).collect()
}

/// Summarises the top-level `permissions:` and reports `write-all`, `read-all` and write
/// scopes granted to every job of a multi-job workflow.
fn top_level_permissions(entry: Option<(&Node<'_>, &Node<'_>)>, r: &mut Reporter<'_>, jobs: usize) -> String {
    let Some((key, value)) = entry else {
        return "absent".to_string();
    };
    match yaml::text(value).as_deref() {
        Some("write-all") => {
            r.report(
                &rules::EXCESSIVE_PERMISSIONS,
                yaml::position(key),
                11,
                judgement(
                    Severity::High,
                    Confidence::High,
                    "the workflow grants `write-all` to every job",
                    "List the scopes each job needs instead.",
                ),
            );
            return "write-all".to_string();
        }
        Some("read-all") => {
            r.report(
                &rules::EXCESSIVE_PERMISSIONS,
                yaml::position(key),
                11,
                judgement(
                    Severity::Medium,
                    Confidence::High,
                    "the workflow grants `read-all` to every job",
                    "Grant `contents: read` and the few scopes needed.",
                ),
            );
            return "read-all".to_string();
        }
        Some(other) => return other.to_string(),
        None => {}
    }
    let scopes = yaml::entries(value);
    if scopes.is_empty() {
        return "none".to_string();
    }
    for (scope, scope_key, grant) in scopes {
        if yaml::text(grant).as_deref() == Some("write") && jobs > 1 {
            r.report(
                &rules::EXCESSIVE_PERMISSIONS,
                yaml::position(scope_key),
                scope.chars().count(),
                judgement(
                    Severity::Medium,
                    Confidence::High,
                    &format!("`{scope}: write` is granted at the workflow level, to all {jobs} jobs"),
                    "Move the write scope to the job that needs it.",
                ),
            );
        }
    }
    "scoped".to_string()
}

/// `jobs.<id>.uses`: a reusable workflow call.
fn reusable_call(
    key: &Node<'_>,
    uses: &Node<'_>,
    job: &Node<'_>,
    r: &mut Reporter<'_>,
    ci: &mut CiFacts,
    facts: &mut WorkflowFacts,
) {
    let Some(target) = yaml::text(uses) else { return };
    facts.calls.push(target.to_string());
    let pin = pin_kind(&target);
    ci.action_refs.push(ActionRef {
        location: location(r.path, uses),
        uses: target.to_string(),
        pin,
        workflow_call: true,
    });
    unpinned(&target, pin, yaml::position(key), r);
    if let Some(secrets) = yaml::get(job, "secrets") {
        if yaml::text(secrets).as_deref() == Some("inherit") {
            r.report(
                &rules::SECRETS_INHERIT,
                yaml::position(uses),
                target.chars().count(),
                judgement(
                    Severity::Medium,
                    Confidence::High,
                    &format!("every secret is passed to `{target}`"),
                    "Pass the secrets the workflow needs by name under `secrets:`.",
                ),
            );
        }
    }
}

/// Facts and checks of a job that runs steps: timeout, runners, matrix, credentials.
fn job_body(
    id: &str,
    key: &Node<'_>,
    job: &Node<'_>,
    r: &mut Reporter<'_>,
    facts: &mut WorkflowFacts,
    runners: &mut BTreeSet<String>,
) {
    if yaml::get(job, "timeout-minutes").is_none() {
        facts.jobs_without_timeout += 1;
        r.report(
            &rules::MISSING_TIMEOUT,
            yaml::position(key),
            id.chars().count(),
            judgement(
                Severity::Low,
                Confidence::High,
                &format!("job `{id}` has no `timeout-minutes` (GitHub's default is 360)"),
                "Set `timeout-minutes:` a little above the job's usual duration.",
            ),
        );
    }
    if let Some(runs_on) = yaml::get(job, "runs-on") {
        let labels = yaml::get(runs_on, "labels").unwrap_or(runs_on);
        runners.extend(yaml::text(labels).map(|s| s.into_owned()));
        runners.extend(
            yaml::items(labels)
                .iter()
                .filter_map(yaml::text)
                .map(|s| s.into_owned()),
        );
        runners.extend(
            yaml::get(runs_on, "group")
                .and_then(yaml::text)
                .map(|g| format!("group:{g}")),
        );
    }
    if let Some(matrix) = yaml::get(job, "strategy").and_then(|s| yaml::get(s, "matrix")) {
        match matrix_size(matrix) {
            Some(size) => facts.max_matrix = facts.max_matrix.max(size),
            None => facts.dynamic_matrices += 1,
        }
        if yaml::entries(matrix)
            .iter()
            .any(|(k, _, _)| k.to_ascii_lowercase().contains("shard"))
        {
            facts.sharded_jobs += 1;
        }
    }
    let container = yaml::get(job, "container").into_iter();
    let services = yaml::get(job, "services").map(yaml::entries).unwrap_or_default();
    for holder in container.chain(services.iter().map(|(_, _, v)| *v)) {
        let password = yaml::get(holder, "credentials").and_then(|c| yaml::get_entry(c, "password"));
        if let Some((_, value)) = password {
            if yaml::text(value).is_some_and(|p| !p.contains("${{")) {
                r.report(
                    &rules::HARDCODED_CREDENTIALS,
                    yaml::position(value),
                    0,
                    judgement(
                        Severity::High,
                        Confidence::High,
                        "a registry password is written in the workflow",
                        "Use `password: ${{ secrets.REGISTRY_PASSWORD }}`.",
                    ),
                );
            }
        }
    }
}

/// `continue-on-error: true` on a job or a step; whether it runs `if: always()`. That
/// runs it after a failure too (to upload reports, to clean up) but turns no failure into
/// a success, so it is a fact for section 4, not a finding.
fn silent_failure_flags(node: &Node<'_>, r: &mut Reporter<'_>, what: &str) -> bool {
    if let Some((key, value)) = yaml::get_entry(node, "continue-on-error") {
        if yaml::text(value).as_deref() == Some("true") {
            r.report(
                &rules::SILENT_FAILURE,
                yaml::position(key),
                "continue-on-error".len(),
                judgement(
                    Severity::Low,
                    Confidence::High,
                    &format!("`continue-on-error: true`: this {what} can fail without failing the run"),
                    "Remove it, or say in a comment why this failure may be ignored.",
                ),
            );
        }
    }
    yaml::get(node, "if")
        .and_then(yaml::text)
        .is_some_and(|condition| condition.contains("always()"))
}

/// One step (of a job or a composite action).
pub fn step(step: &Node<'_>, r: &mut Reporter<'_>, ci: &mut CiFacts, context: &mut JobContext, scope: &Scope<'_, '_>) {
    let start = yaml::position(step);
    context.step_after_checkouts();
    context.always_runs += usize::from(silent_failure_flags(step, r, "step"));
    let with = yaml::get(step, "with");
    let with_text = |key: &str| {
        with.and_then(|w| yaml::get(w, key))
            .and_then(yaml::text)
            .map(|s| s.into_owned())
    };
    if let Some(uses_node) = yaml::get(step, "uses") {
        let Some(uses) = yaml::text(uses_node) else { return };
        let pin = pin_kind(&uses);
        ci.action_refs.push(ActionRef {
            location: location(r.path, uses_node),
            uses: uses.to_string(),
            pin,
            workflow_call: false,
        });
        unpinned(&uses, pin, start, r);
        let action = uses.split('@').next().unwrap_or_default().to_ascii_lowercase();
        if action == "actions/checkout" {
            if with_text("persist-credentials").as_deref() != Some("false") {
                context.persisting_checkouts.push(start);
            }
            let reference = with_text("ref").unwrap_or_default();
            let head = [
                "github.event.pull_request.head",
                "github.head_ref",
                "refs/pull/",
                "github.event.workflow_run.head",
            ]
            .iter()
            .any(|p| reference.contains(p));
            context.exposure.step(step, Some(&action), head);
        } else {
            context.exposure.step(step, Some(&action), false);
        }
        if is_caching(&action, |k| with_text(k)) {
            context.caching_steps += 1;
        }
        if action.contains("actionlint") {
            ci.actionlint.push(location(r.path, uses_node));
        }
        for tool in workflow_linters(&action) {
            ci.workflow_linters.push(Evidence {
                value: tool.to_string(),
                location: location(r.path, uses_node),
            });
        }
        let inputs = with.map(yaml::entries).unwrap_or_default();
        for sink in injection::script_inputs(&action) {
            for (_, _, script) in inputs.iter().filter(|(name, _, _)| name.eq_ignore_ascii_case(sink)) {
                injection::check(script, step, scope, r);
            }
        }
    }
    if let Some(run) = yaml::get(step, "run") {
        context.exposure.step(step, None, false);
        let Some(script) = yaml::text(run) else { return };
        injection::check(run, step, scope, r);
        shell_silent_failures(run, &script, r);
        context.test_commands.extend(test_commands(&script));
        if script.contains("actionlint") {
            ci.actionlint.push(location(r.path, run));
        }
        for tool in workflow_linters(&script) {
            ci.workflow_linters.push(Evidence {
                value: tool.to_string(),
                location: location(r.path, run),
            });
        }
    }
}

/// Linters of GitHub workflow files, as their actions, commands and pre-commit hooks
/// are named.
pub const WORKFLOW_LINTERS: &[&str] = &["actionlint", "ghalint", "octoscan", "pinact", "poutine", "zizmor"];

/// The workflow linters `text` names (an action's name, a script).
pub fn workflow_linters(text: &str) -> impl Iterator<Item = &'static str> + '_ {
    WORKFLOW_LINTERS.iter().copied().filter(move |tool| text.contains(tool))
}

impl JobContext {
    /// Another step of the job: a script or an action (GitHub's own included: any of them
    /// can read .git/config, and upload-artifact can publish it), so the checkouts before
    /// it leave the token within its reach. Checkouts that no step follows are not reported.
    fn step_after_checkouts(&mut self) {
        self.leaky_checkouts.append(&mut self.persisting_checkouts);
    }

    /// `persist-credentials` for the checkouts some later step of the job or composite
    /// action could read the token of.
    pub fn report_leaky_checkouts(self, r: &mut Reporter<'_>) {
        for at in self.leaky_checkouts {
            r.report(
                &rules::PERSIST_CREDENTIALS,
                at,
                0,
                judgement(
                    Severity::Medium,
                    Confidence::Low,
                    "actions/checkout keeps the token in .git/config, within reach of the later steps (scripts and actions)",
                    "Add `with: persist-credentials: false` to the checkout step.",
                ),
            );
        }
    }
}

fn is_caching(action: &str, with: impl Fn(&str) -> Option<String>) -> bool {
    action.starts_with("actions/cache")
        || action == "swatinem/rust-cache"
        || action.contains("ccache-action")
        || action.contains("sccache-action")
        || (action.contains("/setup-")
            && (with("cache").is_some_and(|c| !c.is_empty() && c != "false")
                || with("enable-cache").as_deref() == Some("true")))
}

/// `unpinned-uses` for anything but a SHA, a digest or a local path.
fn unpinned(uses: &str, pin: PinKind, at: (usize, usize), r: &mut Reporter<'_>) {
    let (severity, what) = match pin {
        PinKind::Sha | PinKind::DockerDigest | PinKind::Local => return,
        PinKind::Branch => (Severity::High, "a branch-like ref, which moves with every push"),
        PinKind::Unpinned => (Severity::High, "no ref at all"),
        PinKind::Tag => (Severity::Medium, "a tag, which its owner can move"),
        PinKind::DockerTag => (Severity::Medium, "a docker tag, not a digest"),
    };
    r.report(
        &rules::UNPINNED_USES,
        at,
        0,
        Judgement {
            severity,
            confidence: Confidence::High,
            message: format!("`{uses}` is pinned to {what}"),
            remediation: "Pin to a full commit SHA (`@<40 hex>  # vX.Y.Z`) or an image digest.",
        },
    );
}

/// How `uses:` is pinned.
pub fn pin_kind(uses: &str) -> PinKind {
    if uses.starts_with("./") || uses.starts_with("../") {
        return PinKind::Local;
    }
    if let Some(image) = uses.strip_prefix("docker://") {
        return if image.contains("@sha256:") {
            PinKind::DockerDigest
        } else {
            PinKind::DockerTag
        };
    }
    let Some((_, reference)) = uses.rsplit_once('@') else {
        // A workflow path without a ref is this repository's own (cargo-dist writes `$/`).
        let own_workflow = uses.contains(".github/workflows/") && (uses.ends_with(".yml") || uses.ends_with(".yaml"));
        return if own_workflow {
            PinKind::Local
        } else {
            PinKind::Unpinned
        };
    };
    let hex = reference.bytes().all(|b| b.is_ascii_hexdigit());
    if hex && (reference.len() == 40 || reference.len() == 64) {
        PinKind::Sha
    } else if reference
        .trim_start_matches(['v', 'V'])
        .starts_with(|c: char| c.is_ascii_digit())
    {
        PinKind::Tag
    } else {
        PinKind::Branch
    }
}

/// `|| true` and `set +e` inside a script, each at its own line.
fn shell_silent_failures(run: &Node<'_>, script: &str, r: &mut Reporter<'_>) {
    let first = run.span.start.line();
    // A block scalar (`run: |`) ends where the next key, item or comment starts, on a line
    // that is not part of the script: stop before it.
    let (end_line, end_column) = (run.span.end.line(), run.span.end.col());
    let last = if r.blank_before(end_line, end_column) {
        end_line.saturating_sub(1)
    } else {
        end_line
    }
    .max(first);
    for (needle, what) in [
        ("|| true", "`|| true` turns a failing command into success"),
        ("set +e", "`set +e` lets the script go on after a failing command"),
    ] {
        if !script.contains(needle) {
            continue;
        }
        let mut from = first;
        while let Some(at) = r.find(from, last, needle) {
            r.report(
                &rules::SILENT_FAILURE,
                at,
                needle.len(),
                judgement(
                    Severity::Low,
                    Confidence::Medium,
                    what,
                    "Handle the failure explicitly, or say in a comment why it is harmless.",
                ),
            );
            from = at.0 + 1;
        }
    }
}

/// Test runners a script calls.
fn test_commands(script: &str) -> Vec<&'static str> {
    const RUNNERS: &[(&str, &str)] = &[
        ("pytest", "pytest"),
        ("cargo test", "cargo test"),
        ("cargo nextest", "cargo nextest"),
        ("ctest", "ctest"),
        ("go test", "go test"),
        ("npm test", "npm test"),
        ("npm run test", "npm test"),
        ("yarn test", "yarn test"),
        ("pnpm test", "pnpm test"),
        ("make test", "make test"),
        ("make check", "make check"),
        ("bazel test", "bazel test"),
        ("buck2 test", "buck2 test"),
        ("gradlew test", "gradle test"),
        ("mvn test", "mvn test"),
        ("tox", "tox"),
        ("nox", "nox"),
        ("unittest", "unittest"),
        ("vitest", "vitest"),
        ("jest", "jest"),
    ];
    RUNNERS
        .iter()
        .filter(|(needle, _)| contains_word(script, needle))
        .map(|(_, name)| *name)
        .collect()
}

fn contains_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'));
        boundary(before) && boundary(after)
    })
}

/// Most cells (combinations times axes, times the include and exclude pairs compared with
/// each) that [`matrix_size`] expands one by one; real matrices stay far below it.
const MAX_MATRIX_WORK: usize = 1_000_000;

/// Combinations a matrix expands to, or `None` when it is computed at run time. A matrix
/// too large to expand (see [`MAX_MATRIX_WORK`]) counts as the product of its axes.
pub fn matrix_size(matrix: &Node<'_>) -> Option<usize> {
    if yaml::text(matrix).is_some() {
        return None; // `matrix: ${{ fromJSON(...) }}`
    }
    let mut axes: Vec<(String, Vec<String>)> = Vec::new();
    let mut includes = Vec::new();
    let mut excludes = Vec::new();
    for (key, _, value) in yaml::entries(matrix) {
        match key.as_str() {
            "include" => includes = yaml::items(value).iter().map(combination).collect(),
            "exclude" => excludes = yaml::items(value).iter().map(combination).collect(),
            _ => {
                if yaml::text(value).is_some_and(|v| v.contains("${{")) {
                    return None;
                }
                let values: Vec<String> = yaml::items(value).iter().map(|v| render(v)).collect();
                axes.push((key, values));
            }
        }
    }
    // Saturating: 64 axes of two values overflow a usize.
    let product = axes.iter().fold(1usize, |p, (_, v)| p.saturating_mul(v.len()));
    let compared = 1 + includes.iter().chain(&excludes).map(Vec::len).sum::<usize>();
    let work = product.saturating_mul(axes.len()).saturating_mul(compared);
    if product > 100_000 || work > MAX_MATRIX_WORK {
        return Some(product); // too many to expand one by one; GitHub caps at 256 anyway
    }
    // Combinations borrow the rendered values: a value can be a large aliased subtree.
    let mut combos: Vec<Vec<(&str, &str)>> = vec![Vec::new()];
    if !axes.is_empty() {
        for (key, values) in &axes {
            combos = combos
                .into_iter()
                .flat_map(|c| {
                    values.iter().map(move |v| {
                        let mut next = c.clone();
                        next.push((key.as_str(), v.as_str()));
                        next
                    })
                })
                .collect();
        }
    } else {
        combos.clear();
    }
    let matches = |combo: &[(&str, &str)], partial: &[(String, String)]| {
        partial
            .iter()
            .all(|(k, v)| combo.iter().find(|(ck, _)| ck == k).is_none_or(|(_, cv)| cv == v))
    };
    combos.retain(|combo| {
        !excludes
            .iter()
            .any(|ex: &Vec<(String, String)>| matches(combo, ex) && !ex.is_empty())
    });
    let base = combos.len();
    let added = includes
        .iter()
        .filter(|include| {
            let on_axes: Vec<(String, String)> = include
                .iter()
                .filter(|(k, _)| axes.iter().any(|(a, _)| a == k))
                .cloned()
                .collect();
            // Only new keys: GitHub adds them to every combination, so it makes a job of
            // its own only when there is no combination. Else a new job when no
            // combination has its axis values.
            if on_axes.is_empty() {
                base == 0
            } else {
                !combos.iter().any(|c| matches(c, &on_axes))
            }
        })
        .count();
    Some(base + added)
}

fn combination(node: &Node<'_>) -> Vec<(String, String)> {
    yaml::entries(node)
        .into_iter()
        .map(|(k, _, v)| (k, render(v)))
        .collect()
}

/// A value as comparable text (scalars as written, collections by their content).
fn render(node: &Node<'_>) -> String {
    yaml::text(node).map_or_else(|| yaml::flow_text(node), |s| s.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pin_kinds() {
        assert_eq!(
            pin_kind("actions/checkout@8e5e7e5ab8b370d6c329ec480221332ada57f0ab"),
            PinKind::Sha
        );
        assert_eq!(pin_kind("actions/checkout@v4"), PinKind::Tag);
        assert_eq!(pin_kind("actions/checkout@4.1.0"), PinKind::Tag);
        assert_eq!(pin_kind("org/repo/.github/workflows/x.yml@main"), PinKind::Branch);
        assert_eq!(pin_kind("org/repo"), PinKind::Unpinned);
        assert_eq!(pin_kind("./.github/actions/setup"), PinKind::Local);
        assert_eq!(pin_kind("docker://alpine:3.19"), PinKind::DockerTag);
        assert_eq!(pin_kind("docker://alpine@sha256:abc"), PinKind::DockerDigest);
    }

    #[test]
    fn matrix_sizes_apply_include_and_exclude() {
        let size = |text: &str| matrix_size(&yaml::load(text).expect("yaml")[0]);
        assert_eq!(size("os: [a, b]\npy: [1, 2, 3]\n"), Some(6));
        assert_eq!(size("os: [a, b]\npy: [1, 2]\nexclude:\n  - {os: a, py: 1}\n"), Some(3));
        assert_eq!(
            size("os: [a, b]\ninclude:\n  - {os: a, extra: x}\n  - {os: c}\n"),
            Some(3)
        );
        assert_eq!(size("include:\n  - {a: 1}\n  - {a: 2}\n"), Some(2));
        assert_eq!(size("os: [a, b]\ninclude:\n  - {experimental: true}\n"), Some(2));
        assert_eq!(size("${{ fromJSON(needs.x.outputs.m) }}"), None);
        assert_eq!(size("shard: ${{ fromJSON(x) }}\n"), None);
    }

    /// Found while fuzzing the workflow path (fuzz/README.md): the product of 64 two-valued
    /// axes overflowed (a panic with overflow checks; without them it wrapped to 0 and the
    /// expansion ran out of memory).
    #[test]
    fn matrix_product_saturates() {
        let axes: String = (0..64).map(|i| format!("k{i}: [a, b]\n")).collect();
        assert_eq!(matrix_size(&yaml::load(&axes).expect("yaml")[0]), Some(usize::MAX));
    }

    /// Combinations are expanded only while that stays cheap: many single-valued axes or a
    /// long exclude list made the expansion quadratic. Past the limit the answer is the plain
    /// product of the axes.
    #[test]
    fn matrix_expansion_is_bounded() {
        let size = |text: &str| matrix_size(&yaml::load(text).expect("yaml")[0]);
        let mut wide: String = (0..12).map(|i| format!("k{i}: [a, b]\n")).collect();
        wide.push_str(&(0..300).map(|i| format!("one{i}: [x]\n")).collect::<String>());
        wide.push_str("exclude:\n  - {k0: a}\n");
        assert_eq!(size(&wide), Some(4096));
        // Below the limit, excludes still count.
        assert_eq!(size("k0: [a, b]\nk1: [a, b]\nexclude:\n  - {k0: a}\n"), Some(2));
    }

    #[test]
    fn test_runners_are_whole_words() {
        assert!(contains_word("python -m pytest -x", "pytest"));
        assert!(!contains_word("pytest_plugins", "pytest"));
    }
}
