//! Section 4 (CI/CD & Workflow Audit), the CI trust boundaries of section 6, and
//! Appendix C, from the workflow facts and findings. Every status cell comes from a rule
//! written next to the function that applies it.

use std::collections::BTreeMap;

use crate::model::{Audit, CiFacts, Finding, PinKind, WorkflowFacts};

use super::{code, count, percent, plural, Markdown, LIST_ROWS};

const GOOD: &str = "🟢 **GOOD**";
const PARTIAL: &str = "🟡 **PARTIAL**";
const POOR: &str = "🔴 **POOR**";
const NONE: &str = "⚪ **N/A**";

/// Open findings of `rule`, those a cap's summary stands for included.
fn open_count(audit: &Audit, rule: &str) -> usize {
    audit
        .findings
        .iter()
        .filter(|f| f.rule == rule)
        .map(Finding::open_weight)
        .sum()
}

/// Open findings of `rule` whose message contains `text` (a cap's summary does not tell
/// what the findings it stands for say: only listed findings count).
fn open_matching(audit: &Audit, rule: &str, text: &str) -> usize {
    audit
        .findings
        .iter()
        .filter(|f| f.rule == rule && !f.suppressed && f.omitted.is_none() && f.message.contains(text))
        .count()
}

pub(super) fn section(md: &mut Markdown, audit: &Audit) {
    let ci = &audit.ci;
    md.section("4. CI/CD & Workflow Audit");
    if ci.workflows.is_empty() && ci.actions.is_empty() {
        md.line("No GitHub Actions workflows (`.github/workflows/*.yml`) or actions (`action.yml`) in the tree.");
        md.blank();
        return;
    }
    scale(md, ci);
    architecture(md, ci);
    health(md, audit);
    gaps(md, audit);
}

fn scale(md: &mut Markdown, ci: &CiFacts) {
    md.heading("CI Scale & Coverage");
    let reusable = ci.workflows.iter().filter(|w| w.reusable).count();
    let composite = ci.actions.iter().filter(|a| a.using == "composite").count();
    md.line(format!(
        "- **{}** (`.github/workflows/`), {} of them reusable (`on: workflow_call`); {} in the tree ({} composite).",
        plural(ci.workflows.len(), "workflow file"),
        count(reusable),
        plural(ci.actions.len(), "local action"),
        count(composite)
    ));
    md.line("- **Primary workflows**, named by their triggers:");
    for (label, test) in PRIMARY {
        let names: Vec<String> = ci
            .workflows
            .iter()
            .filter(|w| test(w))
            .map(|w| code(file_name(&w.path)))
            .collect();
        if !names.is_empty() {
            md.line(format!("  - {label} ({}): {}", names.len(), capped(&names, 12)));
        }
    }
    md.blank();
    let mut rows: Vec<(&str, usize)> = per_workflow(ci, |w| &w.triggers).into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    md.table(
        &["Trigger", "Workflows"],
        rows.iter().map(|(t, n)| vec![code(t), count(*n)]),
    );
}

type WorkflowTest = fn(&WorkflowFacts) -> bool;

/// How workflows are named by their triggers (a workflow can be in several groups).
const PRIMARY: &[(&str, WorkflowTest)] = &[
    ("PR gate (`pull_request`)", |w| has(w, "pull_request")),
    ("Post-merge (`push`)", |w| has(w, "push")),
    ("Nightly / periodic (`schedule`)", |w| has(w, "schedule")),
    ("Merge queue (`merge_group`)", |w| has(w, "merge_group")),
    ("Release (`release`)", |w| has(w, "release")),
    (
        "Fork-context (`pull_request_target`, `workflow_run`, `issue_comment`)",
        |w| has(w, "pull_request_target") || has(w, "workflow_run") || has(w, "issue_comment"),
    ),
    ("Manual only (`workflow_dispatch`)", |w| {
        w.triggers.iter().all(|t| t == "workflow_dispatch")
    }),
];

fn has(workflow: &WorkflowFacts, trigger: &str) -> bool {
    workflow.triggers.iter().any(|t| t == trigger)
}

/// How many workflows list each value of `field` (triggers, test commands).
fn per_workflow<'a>(ci: &'a CiFacts, field: impl Fn(&'a WorkflowFacts) -> &'a Vec<String>) -> BTreeMap<&'a str, usize> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for workflow in &ci.workflows {
        for value in field(workflow) {
            *counts.entry(value.as_str()).or_default() += 1;
        }
    }
    counts
}

/// `items` joined by `separator`, or `fallback` when there are none.
fn joined_or(items: &[String], separator: &str, fallback: &str) -> String {
    if items.is_empty() {
        fallback.to_string()
    } else {
        items.join(separator)
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn capped(items: &[String], most: usize) -> String {
    let mut shown: Vec<String> = items.iter().take(most).cloned().collect();
    if items.len() > most {
        shown.push(format!("… +{}", items.len() - most));
    }
    shown.join(", ")
}

fn architecture(md: &mut Markdown, ci: &CiFacts) {
    md.heading("CI Architecture");
    let jobs: usize = ci.workflows.iter().map(|w| w.jobs).sum();
    let steps: usize = ci.workflows.iter().map(|w| w.steps).sum();
    md.line(format!("- **Jobs**: {}; **steps**: {}.", count(jobs), count(steps)));
    if let Some(largest) = ci
        .workflows
        .iter()
        .max_by(|a, b| a.max_matrix.cmp(&b.max_matrix).then(b.path.cmp(&a.path)))
    {
        let dynamic: usize = ci.workflows.iter().map(|w| w.dynamic_matrices).sum();
        md.line(format!(
            "- **Largest matrix**: {} in {} (includes and excludes applied); matrices computed at run time (`fromJSON`), not counted: {}.",
            plural(largest.max_matrix, "combination"),
            code(file_name(&largest.path)),
            count(dynamic)
        ));
    }
    let sharded: Vec<String> = ci
        .workflows
        .iter()
        .filter(|w| w.sharded_jobs > 0)
        .map(|w| code(file_name(&w.path)))
        .collect();
    md.line(format!(
        "- **Sharding** (a matrix key like `shard`): {}.",
        if sharded.is_empty() {
            "none".to_string()
        } else {
            capped(&sharded, 10)
        }
    ));
    let calls: Vec<&str> = ci
        .workflows
        .iter()
        .flat_map(|w| w.calls.iter().map(String::as_str))
        .collect();
    let local_calls = calls.iter().filter(|c| c.starts_with("./")).count();
    md.line(format!(
        "- **Reusable workflow calls**: {} ({} local, {} remote).",
        count(calls.len()),
        count(local_calls),
        count(calls.len() - local_calls)
    ));
    let runners: std::collections::BTreeSet<&str> = ci
        .workflows
        .iter()
        .flat_map(|w| w.runners.iter().map(String::as_str))
        .collect();
    let (mut hosted, mut gpu, mut other) = (Vec::new(), Vec::new(), Vec::new());
    for label in runners {
        match runner_kind(label) {
            RunnerKind::Hosted => hosted.push(code(label)),
            RunnerKind::Gpu => gpu.push(code(label)),
            RunnerKind::Other => other.push(code(label)),
        }
    }
    let groups: Vec<String> = [
        ("GitHub-hosted", &hosted),
        ("GPU-looking", &gpu),
        ("self-hosted, custom or computed", &other),
    ]
    .iter()
    .filter(|(_, labels)| !labels.is_empty())
    .map(|(kind, labels)| format!("{} {kind} ({})", labels.len(), capped(labels, 8)))
    .collect();
    md.line(format!("- **Runner labels**: {}.", joined_or(&groups, "; ", "none")));
    let concurrency = ci.workflows.iter().filter(|w| w.concurrency).count();
    md.line(format!(
        "- **Concurrency groups**: {} of {} workflows.",
        count(concurrency),
        count(ci.workflows.len())
    ));
    let tests: Vec<String> = per_workflow(ci, |w| &w.test_commands)
        .iter()
        .map(|(c, n)| format!("{} ({})", code(c), plural(*n, "workflow")))
        .collect();
    md.line(format!(
        "- **Test commands run**: {}.",
        joined_or(&tests, ", ", "none found")
    ));
    md.blank();
}

enum RunnerKind {
    Hosted,
    Gpu,
    Other,
}

/// GitHub-hosted labels start with `ubuntu-`, `windows-` or `macos-`; GPU-looking labels
/// name a GPU or accelerator vendor or model.
fn runner_kind(label: &str) -> RunnerKind {
    let lower = label.to_ascii_lowercase();
    if [
        "gpu", "cuda", "nvidia", "a100", "h100", "a10g", "t4", "rocm", "mi2", "mi3", "amd", "xpu", "tpu", "neuron",
        ".g4dn", ".g5", ".g6", ".p4", ".p5",
    ]
    .iter()
    .any(|k| lower.contains(k))
    {
        RunnerKind::Gpu
    } else if ["ubuntu-", "windows-", "macos-"].iter().any(|p| lower.starts_with(p)) {
        RunnerKind::Hosted
    } else {
        RunnerKind::Other
    }
}

/// Pin counts over the references to other repositories' actions and workflows.
struct Pins {
    external: usize,
    pinned: usize,
    tags: usize,
    branches: usize,
    unpinned: usize,
    docker_tags: usize,
}

fn pins(ci: &CiFacts) -> Pins {
    let kinds: Vec<PinKind> = ci
        .action_refs
        .iter()
        .map(|r| r.pin)
        .filter(|p| *p != PinKind::Local)
        .collect();
    let of = |k: PinKind| kinds.iter().filter(|p| **p == k).count();
    Pins {
        external: kinds.len(),
        pinned: of(PinKind::Sha) + of(PinKind::DockerDigest),
        tags: of(PinKind::Tag),
        branches: of(PinKind::Branch),
        unpinned: of(PinKind::Unpinned),
        docker_tags: of(PinKind::DockerTag),
    }
}

/// Action pinning: GOOD when every external reference is a SHA or digest; POOR when fewer
/// than half are and some follow a branch or no ref; PARTIAL otherwise.
fn pinning_status(p: &Pins) -> &'static str {
    if p.external == 0 {
        NONE
    } else if p.pinned == p.external {
        GOOD
    } else if p.pinned * 2 < p.external && p.branches + p.unpinned > 0 {
        POOR
    } else {
        PARTIAL
    }
}

/// Share-based status: GOOD with no offenders, POOR when at least half of `total` offend,
/// PARTIAL in between.
fn share_status(offenders: usize, total: usize) -> &'static str {
    if total == 0 {
        NONE
    } else if offenders == 0 {
        GOOD
    } else if offenders * 2 >= total {
        POOR
    } else {
        PARTIAL
    }
}

fn health(md: &mut Markdown, audit: &Audit) {
    let ci = &audit.ci;
    md.heading("CI Health Signals");
    let p = pins(ci);
    let workflows = ci.workflows.len();
    let no_permissions = ci.workflows.iter().filter(|w| w.permissions == "absent").count();
    let write_all = open_matching(audit, "excessive-permissions", "write-all");
    let caching_workflows = ci.workflows.iter().filter(|w| w.caching_steps > 0).count();
    let caching_steps: usize = ci.workflows.iter().map(|w| w.caching_steps).sum();
    let inherit = open_count(audit, "secrets-inherit");
    let hardcoded = open_count(audit, "hardcoded-credentials");
    let silent = |text: &str| open_matching(audit, "silent-failure", text);
    let silent_total = open_count(audit, "silent-failure");
    let jobs: usize = ci.workflows.iter().map(|w| w.step_jobs).sum();
    let always: usize = ci.workflows.iter().map(|w| w.always_runs).sum();
    let no_timeout: usize = ci.workflows.iter().map(|w| w.jobs_without_timeout).sum();
    let parse_errors = open_count(audit, "workflow-parse-error");
    let ecosystems: Vec<String> = ci
        .dependabot
        .iter()
        .flat_map(|d| d.ecosystems.iter().map(|e| code(e)))
        .collect();
    let dependabot = joined_or(&ecosystems, ", ", "none");
    let renovate = joined_or(&ci.renovate.iter().map(|r| code(r)).collect::<Vec<_>>(), ", ", "absent");
    let covered = ci
        .dependabot
        .iter()
        .any(|d| d.ecosystems.iter().any(|e| e == "github-actions"))
        || !ci.renovate.is_empty();
    let rows = vec![
        vec![
            "**Action Pinning**".to_string(),
            pinning_status(&p).to_string(),
            format!(
                "{} of {} external references pinned by SHA or digest ({}); {} tags, {} branch-like, {} without ref, {} docker tags",
                count(p.pinned),
                count(p.external),
                percent(p.pinned as u64, p.external as u64),
                count(p.tags),
                count(p.branches),
                count(p.unpinned),
                count(p.docker_tags)
            ),
        ],
        vec![
            "**Permissions**".to_string(),
            if write_all > 0 { POOR } else { share_status(no_permissions, workflows) }.to_string(),
            format!(
                "{} of {} workflows without a top-level `permissions:`; {} `write-all`; {} open excessive-permissions findings",
                count(no_permissions),
                count(workflows),
                count(write_all),
                count(open_count(audit, "excessive-permissions"))
            ),
        ],
        vec![
            "**Caching**".to_string(),
            if caching_steps > 0 { GOOD } else { NONE }.to_string(),
            format!("{} caching steps in {} of {} workflows", count(caching_steps), count(caching_workflows), count(workflows)),
        ],
        vec![
            "**Secret Handling**".to_string(),
            if hardcoded > 0 { POOR } else if inherit > 0 { PARTIAL } else { GOOD }.to_string(),
            format!("{} `secrets: inherit`; {} hard-coded credentials", count(inherit), count(hardcoded)),
        ],
        vec![
            "**Continue-on-Error / silent failures**".to_string(),
            if silent_total == 0 { GOOD } else { PARTIAL }.to_string(),
            format!(
                "{} `continue-on-error: true`, {} `|| true`, {} `set +e`; {} jobs and steps run `if: always()` (after a failure too: reports, cleanup; not findings)",
                count(silent("continue-on-error")),
                count(silent("|| true")),
                count(silent("set +e")),
                count(always)
            ),
        ],
        vec![
            "**Timeouts**".to_string(),
            share_status(no_timeout, jobs).to_string(),
            format!("{} of {} step-running jobs without `timeout-minutes`", count(no_timeout), count(jobs)),
        ],
        vec![
            "**Workflow linting**".to_string(),
            if ci.actionlint.is_empty() { POOR } else { GOOD }.to_string(),
            match ci.actionlint.first() {
                Some(at) => format!("actionlint runs in CI ({})", code(&format!("{}:{}", at.path, at.line))),
                None => "no workflow runs actionlint".to_string(),
            },
        ],
        vec![
            "**Dependency updates for actions**".to_string(),
            if covered { GOOD } else { POOR }.to_string(),
            format!("Dependabot ecosystems: {dependabot}; Renovate: {renovate}"),
        ],
        vec![
            "**Workflow files that load**".to_string(),
            share_status(parse_errors, workflows + ci.actions.len()).to_string(),
            format!("{} files failed to parse (workflow-parse-error)", count(parse_errors)),
        ],
    ];
    md.table(&["Metric", "Status", "Evidence"], rows);
    md.line("Status rules: pinning GOOD when every external reference is a SHA or digest, POOR when fewer than half are and some follow a branch; permissions, timeouts and loading GOOD with no offender, POOR when half or more offend; secret handling POOR with a hard-coded credential, PARTIAL with `secrets: inherit`.");
    md.blank();
}

fn gaps(md: &mut Markdown, audit: &Audit) {
    md.heading("CI Findings by Rule");
    let mut by_rule: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for finding in audit.findings.iter().filter(|f| is_workflow_rule(audit, &f.rule)) {
        let entry = by_rule.entry(finding.rule.as_str()).or_default();
        entry.0 += finding.open_weight();
        entry.1 += finding.weight() - finding.open_weight();
    }
    if by_rule.is_empty() {
        md.line("No findings.");
        md.blank();
        return;
    }
    md.table(
        &["Rule", "Open", "Suppressed", "What it means"],
        by_rule.iter().map(|(rule, (open, suppressed))| {
            let title = audit.rules.iter().find(|r| r.id == *rule).map_or("", |r| r.title);
            vec![code(rule), count(*open), count(*suppressed), title.to_string()]
        }),
    );
    md.line("Every finding, with file:line, is in audit.json (and audit.sarif with `--format sarif`); `plumb audit --findings` lists them in the terminal.");
    md.blank();
}

fn is_workflow_rule(audit: &Audit, rule: &str) -> bool {
    audit.rules.iter().any(|r| r.id == rule && r.group == "workflows")
}

/// Section 6's "CI Trust Boundaries" table.
pub(super) fn trust_boundaries(md: &mut Markdown, audit: &Audit) {
    let ci = &audit.ci;
    md.heading("CI Trust Boundaries");
    if ci.workflows.is_empty() {
        md.line("No workflows.");
        md.blank();
        return;
    }
    let p = pins(ci);
    let owners: std::collections::BTreeSet<&str> = ci
        .action_refs
        .iter()
        .filter(|r| r.pin != PinKind::Local && !r.uses.starts_with("docker://"))
        .filter_map(|r| r.uses.split('/').next())
        .filter(|o| !matches!(*o, "actions" | "github"))
        .collect();
    let dangerous = open_count(audit, "dangerous-triggers");
    let rows = vec![
        vec![
            "**Unpinned Actions**".to_string(),
            pinning_status(&p).to_string(),
            format!(
                "{} of {} external references not pinned by SHA",
                count(p.external - p.pinned),
                count(p.external)
            ),
        ],
        vec![
            "**Third-Party Actions**".to_string(),
            if owners.is_empty() { GOOD } else { PARTIAL }.to_string(),
            format!("{} owners besides `actions` and `github`", count(owners.len())),
        ],
        vec![
            "**PR from Forks**".to_string(),
            if dangerous == 0 { GOOD } else { POOR }.to_string(),
            format!(
                "{} workflows on `pull_request_target`, `workflow_run` or `issue_comment`",
                count(dangerous)
            ),
        ],
        vec![
            "**Workflow Permissions**".to_string(),
            share_status(
                ci.workflows.iter().filter(|w| w.permissions == "absent").count(),
                ci.workflows.len(),
            )
            .to_string(),
            format!(
                "{} open excessive-permissions findings",
                count(open_count(audit, "excessive-permissions"))
            ),
        ],
    ];
    md.table(&["Boundary", "Risk", "Evidence"], rows);
}

pub(super) fn appendix(md: &mut Markdown, audit: &Audit) {
    let ci = &audit.ci;
    md.section("Appendix C: CI Workflow Overview");
    if ci.workflows.is_empty() {
        md.line(format!("No workflows. {NOT_AUDITED_NOTE}"));
        md.blank();
        return;
    }
    md.line(format!("**Total workflows**: {}.", count(ci.workflows.len())));
    md.blank();
    md.table(
        &["Workflow", "Triggers", "Jobs", "Steps", "Largest matrix", "Permissions"],
        ci.workflows.iter().take(LIST_ROWS * 5).map(|w| {
            vec![
                code(&w.path),
                w.triggers.join(", "),
                count(w.jobs),
                count(w.steps),
                count(w.max_matrix),
                w.permissions.clone(),
            ]
        }),
    );
    super::more(md, ci.workflows.len(), LIST_ROWS * 5);
    let reusable: Vec<String> = ci
        .workflows
        .iter()
        .filter(|w| w.reusable)
        .map(|w| code(&w.path))
        .collect();
    md.line(format!(
        "**Reusable workflows** ({}): {}.",
        reusable.len(),
        joined_or(&reusable, ", ", "none")
    ));
    md.blank();
    calls(md, ci);
    if !ci.actions.is_empty() {
        md.line(format!(
            "**Local actions** ({}): {}.",
            ci.actions.len(),
            ci.actions
                .iter()
                .map(|a| format!("{} ({})", code(&a.path), a.using))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        md.blank();
    }
    let mut uses: BTreeMap<String, (usize, BTreeMap<PinKind, usize>)> = BTreeMap::new();
    for reference in ci.action_refs.iter().filter(|r| r.pin != PinKind::Local) {
        let name = reference.uses.split('@').next().unwrap_or(&reference.uses).to_string();
        let entry = uses.entry(name).or_default();
        entry.0 += 1;
        *entry.1.entry(reference.pin).or_default() += 1;
    }
    let mut rows: Vec<(String, usize, BTreeMap<PinKind, usize>)> =
        uses.into_iter().map(|(k, (n, p))| (k, n, p)).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    md.line("Most used external actions and workflows, with how their references are pinned:");
    md.blank();
    md.table(
        &["Action", "Uses", "Pins"],
        rows.iter().take(LIST_ROWS).map(|(name, n, pins)| {
            let pins: Vec<String> = pins.iter().map(|(k, n)| format!("{} {}", n, pin_name(*k))).collect();
            vec![code(name), count(*n), pins.join(", ")]
        }),
    );
    super::more(md, rows.len(), LIST_ROWS);
}

/// Which workflows call which reusable workflow (`jobs.<id>.uses`), local and remote.
fn calls(md: &mut Markdown, ci: &CiFacts) {
    let mut callers: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for workflow in &ci.workflows {
        for call in &workflow.calls {
            callers
                .entry(call.as_str())
                .or_default()
                .push(code(file_name(&workflow.path)));
        }
    }
    if callers.is_empty() {
        return;
    }
    md.line("Which workflows call which (`jobs.<id>.uses`):");
    md.blank();
    md.table(
        &["Called workflow", "Callers", "Called from"],
        callers.iter().take(LIST_ROWS * 2).map(|(called, from)| {
            let mut from = from.clone();
            from.dedup();
            vec![code(called), count(from.len()), capped(&from, 8)]
        }),
    );
    super::more(md, callers.len(), LIST_ROWS * 2);
}

const NOT_AUDITED_NOTE: &str = "Other CI systems (GitLab CI, CircleCI, Jenkins, ...) are counted as role `ci` files but not parsed by this version.";

fn pin_name(kind: PinKind) -> &'static str {
    match kind {
        PinKind::Sha => "SHA",
        PinKind::Tag => "tag",
        PinKind::Branch => "branch-like",
        PinKind::Unpinned => "no ref",
        PinKind::Local => "local",
        PinKind::DockerDigest => "digest",
        PinKind::DockerTag => "docker tag",
    }
}
