//! The workflows analyzer from the real binary: every rule with positives and negatives at
//! exact lines, columns and severities; inline suppression; the CI facts (`audit["ci"]`);
//! and bad input (broken YAML, alias bombs, huge files) that must be reported, not crash.
//!
//! Every repository is built here with [`TestRepo`]. Workflow texts are written from their
//! first line (`"\` then a newline), so line numbers in the assertions can be counted in the
//! source. `@SHA` in a text stands for a full 40-hex commit SHA.

mod common;

use std::time::{Duration, Instant};

use common::{audit_json, report, TestRepo};
use serde_json::Value;

const SHA: &str = "8e5e7e5ab8b370d6c329ec480221332ada57f0ab";
const WORKFLOW: &str = ".github/workflows/ci.yml";
/// Keeps `no-dependency-updates` quiet in the tests of the other rules.
const DEPENDABOT: &str = "version: 2\nupdates:\n  - package-ecosystem: github-actions\n    directory: /\n";

/// The audit of a repository with `files` committed (`@SHA` expanded in each text).
fn audit_of(files: &[(&str, &str)]) -> Value {
    let repo = TestRepo::new();
    for (path, text) in files {
        repo.write(path, text.replace("@SHA", &format!("@{SHA}")));
    }
    repo.commit("fixture");
    audit_json(repo.path(), &[])
}

/// audit.md of a repository with `files` committed (`@SHA` expanded in each text).
fn audit_markdown_of(files: &[(&str, &str)]) -> String {
    let repo = TestRepo::new();
    for (path, text) in files {
        repo.write(path, text.replace("@SHA", &format!("@{SHA}")));
    }
    repo.commit("fixture");
    report(repo.path(), "md", &[])
}

/// The audit of a repository holding `text` as its one workflow, and a Dependabot file.
fn audit_workflow(text: &str) -> Value {
    audit_of(&[(WORKFLOW, text), (".github/dependabot.yml", DEPENDABOT)])
}

fn findings(audit: &Value) -> &[Value] {
    audit["findings"].as_array().expect("findings is a list")
}

/// One finding as `rule path line:column severity`, and ` suppressed` when it is.
fn compact(finding: &Value) -> String {
    let at = &finding["location"];
    format!(
        "{} {} {}:{} {}{}",
        finding["rule"].as_str().expect("rule"),
        at["path"].as_str().expect("path"),
        at["line"],
        at["column"],
        finding["severity"].as_str().expect("severity"),
        if finding["suppressed"] == true {
            " suppressed"
        } else {
            ""
        },
    )
}

/// The findings of `rule` as `line:column severity` (all in [`WORKFLOW`]), in report order.
fn of_rule(audit: &Value, rule: &str) -> Vec<String> {
    findings(audit)
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| {
            let full = compact(f);
            let prefix = format!("{rule} {WORKFLOW} ");
            full.strip_prefix(&prefix)
                .unwrap_or_else(|| panic!("{full} is not in {WORKFLOW}"))
                .to_string()
        })
        .collect()
}

/// The findings of `rule` in a one-workflow repository.
fn found(text: &str, rule: &str) -> Vec<String> {
    of_rule(&audit_workflow(text), rule)
}

/// Every finding of the workflow rules, compact (the fixtures have no security policy,
/// which another rule reports).
fn all(audit: &Value) -> Vec<String> {
    let workflow_rules: Vec<&Value> = audit["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .filter(|r| r["group"] == "workflows")
        .map(|r| &r["id"])
        .collect();
    findings(audit)
        .iter()
        .filter(|f| workflow_rules.contains(&&f["rule"]))
        .map(compact)
        .collect()
}

/// The one finding of `rule` in the audit.
fn the<'a>(audit: &'a Value, rule: &str) -> &'a Value {
    let matching: Vec<&Value> = findings(audit).iter().filter(|f| f["rule"] == rule).collect();
    assert_eq!(matching.len(), 1, "{:#?}", all(audit));
    matching[0]
}

/// The message of the finding of `rule` at `line`.
fn the_message(audit: &Value, rule: &str, line: u64) -> String {
    findings(audit)
        .iter()
        .find(|f| f["rule"] == rule && f["location"]["line"] == line)
        .unwrap_or_else(|| panic!("no {rule} at line {line}: {:#?}", all(audit)))["message"]
        .as_str()
        .expect("message")
        .to_string()
}

fn workflow_facts<'a>(audit: &'a Value, path: &str) -> &'a Value {
    audit["ci"]["workflows"]
        .as_array()
        .expect("ci.workflows is a list")
        .iter()
        .find(|w| w["path"] == path)
        .unwrap_or_else(|| panic!("no facts for {path}: {:#}", audit["ci"]))
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .expect("a list")
        .iter()
        .map(|v| v.as_str().expect("a string"))
        .collect()
}

// ---------------------------------------------------------------------------------------
// unpinned-uses

#[test]
fn unpinned_uses_grades_each_ref_by_how_easily_it_moves() {
    let text = "\
on: push
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    steps:
      - uses: actions/checkout@main
      - uses: actions/setup-python@v4
      - uses: some-org/some-action
      - uses: docker://alpine:3.19
      - uses: actions/cache@SHA
      - uses: ./.github/actions/local
      - uses: docker://alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
      - name: named first
        uses: org/action@release/v2
  call:
    uses: org/repo/.github/workflows/w.yml@main
  pinned-call:
    uses: org/repo/.github/workflows/w.yml@SHA
  own-call:
    uses: ./.github/workflows/reusable.yml
";
    let audit = audit_workflow(text);
    assert_eq!(
        of_rule(&audit, "unpinned-uses"),
        [
            "8:9 high",    // @main: a branch
            "9:9 medium",  // @v4: a tag
            "10:9 high",   // no ref
            "11:9 medium", // docker tag, no digest
            "15:9 high",   // a branch with a slash; the step's first line, not `uses:`
            "17:3 high",   // a remote reusable workflow at a branch: the job's key
        ]
    );
    let message = the_message(&audit, "unpinned-uses", 17);
    assert!(message.contains("org/repo/.github/workflows/w.yml@main"), "{message}");

    let pins: Vec<String> = audit["ci"]["action_refs"]
        .as_array()
        .expect("action_refs")
        .iter()
        .map(|r| {
            format!(
                "{} {} {}{}",
                r["location"]["line"],
                r["pin"].as_str().expect("pin"),
                r["uses"].as_str().expect("uses").split('@').next().expect("name"),
                if r["workflow_call"] == true { " (call)" } else { "" }
            )
        })
        .collect();
    assert_eq!(
        pins,
        [
            "8 branch actions/checkout",
            "9 tag actions/setup-python",
            "10 unpinned some-org/some-action",
            "11 docker-tag docker://alpine:3.19",
            "12 sha actions/cache",
            "13 local ./.github/actions/local",
            "14 docker-digest docker://alpine",
            "16 branch org/action",
            "18 branch org/repo/.github/workflows/w.yml (call)",
            "20 sha org/repo/.github/workflows/w.yml (call)",
            "22 local ./.github/workflows/reusable.yml (call)",
        ]
    );
}

#[test]
fn unpinned_uses_is_quiet_for_shas_local_actions_and_digests() {
    let text = "\
on: push
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    steps:
      - uses: actions/checkout@SHA
      - uses: ./local
      - uses: docker://ghcr.io/org/tool@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
";
    assert_eq!(found(text, "unpinned-uses"), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------
// excessive-permissions

#[test]
fn no_permissions_anywhere_is_reported_for_the_workflow_and_each_job() {
    let text = "\
name: two jobs

on: push
jobs:
  lint:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: make lint
  test:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: make test
";
    let audit = audit_workflow(text);
    // The workflow-level finding sits on the root mapping (its first key), each job's on its key.
    assert_eq!(
        of_rule(&audit, "excessive-permissions"),
        ["1:1 medium", "5:3 medium", "10:3 medium"]
    );
    assert!(the_message(&audit, "excessive-permissions", 1).contains("2 of 2 jobs"));
    assert!(the_message(&audit, "excessive-permissions", 10).contains("job `test`"));
    assert_eq!(workflow_facts(&audit, WORKFLOW)["permissions"], "absent");
}

#[test]
fn a_single_job_without_permissions_gets_only_the_job_finding() {
    let text = "\
on: push
jobs:
  only:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: make
";
    assert_eq!(found(text, "excessive-permissions"), ["3:3 medium"]);
}

#[test]
fn jobs_with_their_own_permissions_are_not_reported() {
    let text = "\
# leading comment
on: push
jobs:
  scoped:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    permissions:
      contents: read
    steps:
      - run: make
  open:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: make
";
    let audit = audit_workflow(text);
    assert_eq!(of_rule(&audit, "excessive-permissions"), ["2:1 medium", "11:3 medium"]);
    assert!(the_message(&audit, "excessive-permissions", 2).contains("1 of 2 jobs"));
}

#[test]
fn write_all_and_read_all_are_reported_where_they_are_granted() {
    let write_all = "\
on: push
permissions: write-all
jobs:
  a:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    permissions: write-all
    steps:
      - run: make
";
    let audit = audit_workflow(write_all);
    assert_eq!(of_rule(&audit, "excessive-permissions"), ["2:1 high", "7:5 high"]);
    assert_eq!(workflow_facts(&audit, WORKFLOW)["permissions"], "write-all");

    let read_all = "\
on: push
permissions: read-all
jobs:
  a:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: make
";
    let audit = audit_workflow(read_all);
    assert_eq!(of_rule(&audit, "excessive-permissions"), ["2:1 medium"]);
    assert_eq!(workflow_facts(&audit, WORKFLOW)["permissions"], "read-all");
}

#[test]
fn a_workflow_level_write_scope_is_reported_only_with_several_jobs() {
    let two_jobs = "\
on: push
permissions:
  contents: read
  pull-requests: write
jobs:
  a:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: make
  b:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: make
";
    let audit = audit_workflow(two_jobs);
    assert_eq!(of_rule(&audit, "excessive-permissions"), ["4:3 medium"]);
    assert!(the_message(&audit, "excessive-permissions", 4).contains("`pull-requests: write`"));
    assert_eq!(workflow_facts(&audit, WORKFLOW)["permissions"], "scoped");

    let one_job = "\
on: push
permissions:
  contents: write
jobs:
  release:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: make release
";
    assert_eq!(found(one_job, "excessive-permissions"), Vec::<String>::new());
}

#[test]
fn read_only_top_level_permissions_are_enough() {
    let text = "\
on: push
permissions:
  contents: read
jobs:
  a:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: make
  b:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: make
";
    assert_eq!(found(text, "excessive-permissions"), Vec::<String>::new());
}

#[test]
fn a_reusable_workflow_takes_its_callers_token() {
    // Only `workflow_call`: the caller decides the token; jobs that run steps are not
    // reported, a job passing the token on to another workflow is (with low confidence).
    let text = "\
on:
  workflow_call:
    inputs:
      version:
        type: string
jobs:
  build:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: make
  test:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: make test
  publish:
    uses: ./.github/workflows/publish.yml
";
    let audit = audit_workflow(text);
    assert_eq!(of_rule(&audit, "excessive-permissions"), ["17:3 medium"]);
    assert_eq!(the(&audit, "excessive-permissions")["confidence"], "low");
    let facts = workflow_facts(&audit, WORKFLOW);
    assert_eq!(facts["reusable"], true);
    assert_eq!(strings(&facts["triggers"]), ["workflow_call"]);
}

// ---------------------------------------------------------------------------------------
// dangerous-triggers

#[test]
fn each_dangerous_trigger_is_reported_once_at_on() {
    for event in ["pull_request_target", "workflow_run", "issue_comment"] {
        let text = format!(
            "\
name: {event}
on:
  {event}:
permissions: {{}}
jobs:
  a:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: echo hello
"
        );
        let audit = audit_workflow(&text);
        assert_eq!(of_rule(&audit, "dangerous-triggers"), ["2:1 medium"], "{event}");
        assert!(
            the_message(&audit, "dangerous-triggers", 2).contains(&format!("`{event}`")),
            "{event}"
        );
    }
}

#[test]
fn several_dangerous_triggers_make_one_finding() {
    let text = "\
on: [push, workflow_run, issue_comment]
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: echo hello
";
    let audit = audit_workflow(text);
    assert_eq!(of_rule(&audit, "dangerous-triggers"), ["1:1 medium"]);
    let message = the_message(&audit, "dangerous-triggers", 1);
    assert!(message.contains("`workflow_run`, `issue_comment`"), "{message}");
}

#[test]
fn checking_out_the_pull_request_head_makes_it_high() {
    let text = "\
name: pr
on:
  pull_request_target:
    types: [opened, synchronize]
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - uses: actions/checkout@SHA
        with:
          ref: ${{ github.event.pull_request.head.sha }}
          persist-credentials: false
      - run: make test
";
    assert_eq!(found(text, "dangerous-triggers"), ["2:1 high"]);
}

#[test]
fn jobs_gated_on_the_actors_association_or_permission_lower_the_severity() {
    let gated_by_condition = "\
on: issue_comment
permissions: {}
jobs:
  bench:
    if: contains(fromJSON('[\"OWNER\", \"MEMBER\"]'), github.event.comment.author_association)
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: make bench
";
    assert_eq!(found(gated_by_condition, "dangerous-triggers"), ["1:1 low"]);
    let audit = audit_workflow(gated_by_condition);
    let message = the_message(&audit, "dangerous-triggers", 1);
    assert!(
        message.contains("every job first checks that the actor is trusted"),
        "{message}"
    );
    let checked_then_checked_out = "\
on: pull_request_target
permissions: {}
jobs:
  test:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - uses: actions-cool/check-user-permission@SHA
        with:
          require: write
      - uses: actions/checkout@SHA
        with:
          ref: ${{ github.event.pull_request.head.sha }}
          persist-credentials: false
      - run: make test
";
    assert_eq!(found(checked_then_checked_out, "dangerous-triggers"), ["1:1 low"]);
    // Checked after the head is already on disk, or in one job of two: no gate.
    let checked_too_late = "\
on: pull_request_target
permissions: {}
jobs:
  test:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - uses: actions/checkout@SHA
        with:
          ref: ${{ github.event.pull_request.head.sha }}
          persist-credentials: false
      - uses: actions/github-script@SHA
        with:
          script: |
            await github.rest.repos.getCollaboratorPermissionLevel({owner: 'o', repo: 'r', username: 'u'})
  other:
    if: github.event.pull_request.author_association == 'MEMBER'
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: make
";
    assert_eq!(found(checked_too_late, "dangerous-triggers"), ["1:1 high"]);
}

#[test]
fn a_workflow_that_only_labels_pull_requests_is_not_dangerous() {
    let text = "\
on: pull_request_target
permissions: {}
jobs:
  label:
    permissions:
      contents: read
      pull-requests: write
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - uses: actions/labeler@SHA
";
    assert_eq!(found(text, "dangerous-triggers"), Vec::<String>::new());
}

#[test]
fn pull_request_is_not_a_dangerous_trigger() {
    let text = "\
on: pull_request
permissions: {}
jobs:
  test:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - uses: actions/checkout@SHA
        with:
          ref: ${{ github.event.pull_request.head.sha }}
          persist-credentials: false
      - run: make test
";
    assert_eq!(found(text, "dangerous-triggers"), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------
// template-injection

#[test]
fn attacker_controlled_expressions_in_scripts_are_high_at_the_steps_first_line() {
    let text = "\
on: issues
permissions: {}
jobs:
  triage:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - name: Greet
        run: |
          echo checking
          echo \"${{ github.event.issue.title }}\"
      - uses: actions/github-script@SHA
        with:
          script: |
            console.log(\"${{ github.event.comment.body }}\")
      - run: echo ${{ steps.meta.outputs.version }}
";
    let audit = audit_workflow(text);
    assert_eq!(
        of_rule(&audit, "template-injection"),
        ["8:9 high", "12:9 high", "16:9 info"]
    );
    let message = the_message(&audit, "template-injection", 8);
    assert!(message.contains("github.event.issue.title"), "{message}");
    let info = findings(&audit)
        .iter()
        .find(|f| f["rule"] == "template-injection" && f["severity"] == "info")
        .expect("info finding");
    assert_eq!(info["confidence"], "low");
}

#[test]
fn every_occurrence_is_one_finding() {
    let text = "\
on: pull_request_target
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: echo \"${{ github.head_ref }} ${{ github.event.pull_request.title }}\"
";
    assert_eq!(found(text, "template-injection"), ["8:9 high", "8:9 high"]);
}

#[test]
fn fixed_values_env_variables_and_results_are_not_injections() {
    let text = "\
on: issues
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: git checkout ${{ github.sha }} && echo ${{ github.ref_name == 'main' }}
      - env:
          TITLE: ${{ github.event.issue.title }}
        run: echo \"$TITLE\"
      - run: echo ${{ needs.build.result }} ${{ steps.test.outcome }}
      - name: ${{ github.event.issue.title }}
        run: echo named
";
    assert_eq!(found(text, "template-injection"), Vec::<String>::new());
}

#[test]
fn a_matrix_computed_at_run_time_is_attacker_influenced_a_literal_one_is_not() {
    let text = "\
on: pull_request
permissions: {}
jobs:
  dynamic:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    strategy:
      matrix:
        module: ${{ fromJSON(needs.plan.outputs.modules) }}
    steps:
      - run: pytest tests/${{ matrix.module }}
  included:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    strategy:
      matrix:
        os: [ubuntu-latest]
        include: ${{ fromJSON(needs.plan.outputs.extra) }}
    steps:
      - run: echo ${{ matrix.os }} ${{ matrix.extra }}
  literal:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    strategy:
      matrix:
        python: ['3.10', '3.12']
        include:
          - python: '3.13'
            label: ${{ github.event.pull_request.title }}
    steps:
      - run: echo ${{ matrix.python }} ${{ matrix.label }}
  none:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: echo ${{ matrix.python }}
";
    let audit = audit_workflow(text);
    assert_eq!(
        of_rule(&audit, "template-injection"),
        ["11:9 medium", "20:9 medium", "20:9 medium", "31:9 medium"]
    );
    let message = the_message(&audit, "template-injection", 11);
    assert!(message.contains("matrix computed at run time"), "{message}");
    // `matrix.python` of the literal job takes only the written values: one finding on its
    // line, for `matrix.label`, whose include row holds an expression.
    assert!(the_message(&audit, "template-injection", 31).contains("matrix.label"));
}

#[test]
fn env_and_inputs_are_followed_to_their_definition() {
    let text = "\
on:
  workflow_dispatch:
    inputs:
      dry-run:
        type: boolean
      count:
        type: number
      target:
        type: choice
        options: [a, b]
      note:
        type: string
env:
  MODE: release
  TITLE: ${{ github.event.pull_request.title }}
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    strategy:
      matrix:
        python: ['3.10', '3.12']
    env:
      PY: ${{ matrix.python }}
      FLAG: ${{ inputs.dry-run && '--dry-run' || '' }}
    steps:
      - run: make ${{ inputs.dry-run }} ${{ inputs.count }} ${{ inputs.target }} ${{ github.event.inputs.target }}
      - run: make ${{ env.MODE }} ${{ env.PY }} ${{ env.FLAG }} ${{ env.GITHUB_REF_NAME }}
      - env:
          SHA: ${{ github.sha }}
        run: git checkout ${{ env.SHA }}
      - run: echo ${{ inputs.note }}
      - run: echo ${{ env.TITLE }}
      - run: echo ${{ env.FROM_GITHUB_ENV }} ${{ inputs.undeclared }}
      - run: echo ${{ env.GITHUB_SHA_SHORT }} ${{ env.CI }}
";
    let audit = audit_workflow(text);
    // GitHub's own variables cannot be overwritten through $GITHUB_ENV; a look-alike name
    // such as GITHUB_SHA_SHORT (github-slug-action writes it) and CI can.
    assert_eq!(
        of_rule(&audit, "template-injection"),
        ["33:9 high", "34:9 high", "35:9 low", "35:9 low", "36:9 low", "36:9 low"]
    );
    assert!(the_message(&audit, "template-injection", 34).contains("github.event.pull_request.title"));
}

#[test]
fn a_string_input_of_a_reusable_workflow_is_high_as_in_zizmor() {
    let text = "\
on:
  workflow_call:
    inputs:
      version:
        type: string
        required: true
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: ./release.sh ${{ inputs.version }}
";
    assert_eq!(found(text, "template-injection"), ["13:9 high"]);
}

#[test]
fn script_inputs_of_other_actions_are_scripts_too() {
    let text = "\
on: issue_comment
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - uses: azure/cli@SHA
        with:
          inlineScript: az group show -n ${{ github.event.comment.body }}
      - uses: Azure/powershell@SHA
        with:
          inlineScript: Write-Output '${{ github.event.issue.title }}'
          azPSVersion: latest
      - uses: jannekem/run-python-script-action@SHA
        with:
          script: print('${{ github.head_ref }}')
      - uses: some/other-action@SHA
        with:
          script: ${{ github.event.issue.title }}
";
    assert_eq!(
        found(text, "template-injection"),
        ["8:9 high", "11:9 high", "15:9 high"]
    );
}

#[test]
fn branch_tag_and_actor_names_are_attacker_controllable() {
    let text = "\
on: push
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: echo ${{ github.ref_name }}
      - run: echo ${{ github.event.ref }}
      - run: echo ${{ github.base_ref }}
      - run: echo ${{ github.actor }}
      - run: echo ${{ format('v{0}', github.event.head_commit.message) }}
      - run: echo ${{ github.event.pull_request.number }} ${{ github.run_id }} ${{ github.event_name }}
";
    assert_eq!(
        found(text, "template-injection"),
        ["8:9 high", "9:9 high", "10:9 high", "11:9 high", "12:9 high"]
    );
}

/// A workflow that runs only on pushes of tags its filter limits to digits and dots
/// cannot be given a ref name that carries shell syntax: low, and the message says why.
/// A filter with `*`, an `-ignore` filter or a second trigger leaves it high.
#[test]
fn ref_names_limited_by_push_filters_are_low() {
    let workflow = |on: &str| {
        format!(
            "on:\n{on}permissions: {{}}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    timeout-minutes: 5\n    steps:\n      - run: echo ${{{{ github.ref_name }}}} ${{{{ github.head_ref }}}}\n"
        )
    };
    let limited = workflow("  push:\n    tags: ['v[0-9]+.[0-9]+.[0-9]+', '!v0.0.0']\n");
    let audit = audit_workflow(&limited);
    let severities = |audit: &Value| -> Vec<String> {
        let found = of_rule(audit, "template-injection");
        found
            .iter()
            .map(|f| f.split(' ').nth(1).unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(severities(&audit), ["low", "high"]);
    let low = findings(&audit)
        .iter()
        .find(|f| f["rule"] == "template-injection" && f["severity"] == "low")
        .expect("the ref name's finding");
    assert!(
        low["message"].as_str().expect("message").contains("filters limit"),
        "{low}"
    );
    for open in [
        "  push:\n    tags: ['v*']\n",
        "  push:\n    tags-ignore: ['x']\n",
        "  push:\n    branches: [main]\n  workflow_dispatch:\n",
        "  push:\n",
    ] {
        assert_eq!(severities(&audit_workflow(&workflow(open))), ["high", "high"], "{open}");
    }
}

#[test]
fn unbalanced_expressions_and_unknown_events_do_not_break_the_audit() {
    let text = "\
on: [push, some_future_event]
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: echo \"${{ github.event.issue.title\"
      - run: echo }} ${{ ${{
      - run: \"${{\"
";
    let audit = audit_workflow(text);
    assert_eq!(all(&audit), Vec::<String>::new());
    assert_eq!(
        strings(&workflow_facts(&audit, WORKFLOW)["triggers"]),
        ["push", "some_future_event"]
    );
}

// ---------------------------------------------------------------------------------------
// silent-failure

#[test]
fn silent_failures_on_jobs_steps_and_inside_scripts() {
    let text = "\
on: push
permissions: {}
jobs:
  flaky:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    continue-on-error: true
    if: always()
    steps:
      - run: make
        continue-on-error: true
      - if: ${{ always() }}
        run: |
          set -x
          set +e
          make lint || true
          echo done
";
    let audit = audit_workflow(text);
    assert_eq!(
        of_rule(&audit, "silent-failure"),
        [
            "7:5 low",   // job continue-on-error
            "11:9 low",  // step continue-on-error
            "15:11 low", // `set +e`, its own line and column inside the block
            "16:21 low", // `|| true`
        ]
    );
    // `if: always()` (job and step) runs after a failure but turns none into a success.
    assert_eq!(workflow_facts(&audit, WORKFLOW)["always_runs"], 2);
}

#[test]
fn uploading_reports_and_cleaning_up_always_is_a_fact_not_a_finding() {
    let text = "\
on: push
permissions: {}
jobs:
  test:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: pytest --junitxml=report.xml
      - if: always()
        uses: actions/upload-artifact@SHA
        with:
          name: report
          path: report.xml
      - if: ${{ always() }}
        run: docker compose down
";
    let audit = audit_workflow(text);
    assert_eq!(of_rule(&audit, "silent-failure"), Vec::<String>::new());
    assert_eq!(workflow_facts(&audit, WORKFLOW)["always_runs"], 2);
    let markdown = audit_markdown_of(&[(WORKFLOW, text), (".github/dependabot.yml", DEPENDABOT)]);
    assert!(
        markdown
            .contains("0 `continue-on-error: true`, 0 `\\|\\| true`, 0 `set +e`; 2 jobs and steps run `if: always()`"),
        "{markdown}"
    );
}

#[test]
fn silent_failure_stays_inside_its_run_block() {
    // The block scalar's span ends on the line of the next token: that line (a step with
    // its own `|| true`, a name, a comment) is not part of the script.
    let text = "\
on: push
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: |
          make || true
      - run: \"make check || true\"
      - run: |
          set +e
          make

      # a YAML comment: make || true, set +e
      - name: never || true
        run: make
";
    assert_eq!(found(text, "silent-failure"), ["9:16 low", "10:26 low", "12:11 low"]);
}

#[test]
fn deliberate_and_conditional_failures_are_not_silent() {
    let text = "\
on: push
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    continue-on-error: ${{ matrix.experimental }}
    if: success()
    steps:
      - run: make
        continue-on-error: false
      - if: ${{ !cancelled() }}
        run: |
          set -euo pipefail
          make lint || exit 1
";
    assert_eq!(found(text, "silent-failure"), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------
// secrets-inherit, hardcoded-credentials

#[test]
fn secrets_inherit_is_reported_at_the_called_workflow() {
    let text = "\
on: push
permissions: {}
jobs:
  deploy:
    uses: org/deploy/.github/workflows/deploy.yml@SHA
    secrets: inherit
  named:
    uses: org/deploy/.github/workflows/deploy.yml@SHA
    secrets:
      TOKEN: ${{ secrets.DEPLOY_TOKEN }}
";
    let audit = audit_workflow(text);
    assert_eq!(of_rule(&audit, "secrets-inherit"), ["5:11 medium"]);
    let facts = workflow_facts(&audit, WORKFLOW);
    assert_eq!(facts["calls"].as_array().expect("calls").len(), 2);
    // Reusable workflow calls run no steps of their own: no timeout to ask for.
    assert_eq!(of_rule(&audit, "missing-timeout"), Vec::<String>::new());
}

#[test]
fn registry_passwords_written_in_the_workflow_are_reported_at_the_value() {
    let text = "\
on: push
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    container:
      image: ghcr.io/org/build:1
      credentials:
        username: bot
        password: hunter2
    services:
      db:
        image: registry.example/postgres:16
        credentials:
          username: bot
          password: ${{ secrets.REGISTRY_PASSWORD }}
      cache:
        image: registry.example/redis:7
        credentials:
          username: bot
          password: \"s3cr3t\"
    steps:
      - run: make
";
    assert_eq!(found(text, "hardcoded-credentials"), ["11:19 high", "22:21 high"]);
}

#[test]
fn credentials_from_secrets_are_fine() {
    let text = "\
on: push
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    container:
      image: ghcr.io/org/build:1
      credentials:
        username: ${{ github.actor }}
        password: ${{ secrets.GITHUB_TOKEN }}
    steps:
      - run: make
";
    assert_eq!(found(text, "hardcoded-credentials"), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------
// persist-credentials

#[test]
fn a_checkout_followed_by_code_keeps_the_token_within_reach() {
    let text = "\
on: push
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - name: Checkout
        uses: actions/checkout@SHA
      - run: make
  b:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - uses: actions/checkout@SHA
      - uses: third-party/lint-action@SHA
  c:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - uses: actions/checkout@SHA
      - uses: actions/setup-python@SHA
      - uses: ./.github/actions/build
";
    assert_eq!(
        found(text, "persist-credentials"),
        ["8:9 medium", "15:9 medium", "21:9 medium"]
    );
}

#[test]
fn a_composite_action_that_checks_out_and_goes_on_keeps_the_token_within_reach() {
    let composite = "\
name: Build
runs:
  using: composite
  steps:
    - uses: actions/checkout@SHA
      with:
        repository: org/tools
    - uses: actions/setup-node@SHA
    - uses: actions/checkout@SHA
      with:
        persist-credentials: false
    - run: make
      shell: bash
    - uses: actions/checkout@SHA
";
    let audit = audit_of(&[
        (".github/dependabot.yml", DEPENDABOT),
        (WORKFLOW, QUIET_WORKFLOW),
        (".github/actions/build/action.yml", composite),
    ]);
    assert_eq!(
        all(&audit),
        ["persist-credentials .github/actions/build/action.yml 5:7 medium"]
    );
}

#[test]
fn checkouts_without_the_token_or_with_nothing_after_are_fine() {
    let text = "\
on: push
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - uses: actions/checkout@SHA
        with:
          persist-credentials: false
      - run: make
  b:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: make
      - uses: actions/checkout@SHA
";
    assert_eq!(found(text, "persist-credentials"), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------
// missing-timeout

#[test]
fn jobs_without_timeout_minutes_are_reported_at_their_key() {
    let text = "\
on: push
permissions: {}
jobs:
  slow:
    runs-on: ubuntu-latest
    steps:
      - run: make
  bounded:
    runs-on: ubuntu-latest
    timeout-minutes: 15
    steps:
      - run: make
";
    let audit = audit_workflow(text);
    assert_eq!(of_rule(&audit, "missing-timeout"), ["4:3 low"]);
    assert_eq!(workflow_facts(&audit, WORKFLOW)["jobs_without_timeout"], 1);
}

// ---------------------------------------------------------------------------------------
// no-dependency-updates

const QUIET_WORKFLOW: &str = "\
on: push
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: make
";

#[test]
fn workflows_without_an_update_tool_give_one_finding() {
    let audit = audit_of(&[
        (".github/workflows/b.yml", QUIET_WORKFLOW),
        (".github/workflows/a.yml", QUIET_WORKFLOW),
    ]);
    assert_eq!(
        all(&audit),
        ["no-dependency-updates .github/workflows/a.yml 1:1 medium"]
    );

    // A Dependabot file that does not cover the actions carries the finding.
    let pip_only = "version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: /\n";
    let audit = audit_of(&[(WORKFLOW, QUIET_WORKFLOW), (".github/dependabot.yml", pip_only)]);
    assert_eq!(all(&audit), ["no-dependency-updates .github/dependabot.yml 1:1 medium"]);
    assert_eq!(audit["ci"]["dependabot"][0]["ecosystems"][0], "pip");
}

#[test]
fn dependabot_for_actions_or_renovate_keeps_pins_updated() {
    let dependabot = "\
version: 2
updates:
  - package-ecosystem: pip
    directory: /
  - package-ecosystem: github-actions
    directory: /
";
    let audit = audit_of(&[(WORKFLOW, QUIET_WORKFLOW), (".github/dependabot.yml", dependabot)]);
    assert_eq!(all(&audit), Vec::<String>::new());
    assert_eq!(
        strings(&audit["ci"]["dependabot"][0]["ecosystems"]),
        ["pip", "github-actions"]
    );

    for renovate in ["renovate.json", ".github/renovate.json5", ".renovaterc.json"] {
        let audit = audit_of(&[(WORKFLOW, QUIET_WORKFLOW), (renovate, "{}\n")]);
        assert_eq!(all(&audit), Vec::<String>::new(), "{renovate}");
        assert_eq!(strings(&audit["ci"]["renovate"]), [renovate]);
    }

    // No workflows: nothing to keep updated.
    let audit = audit_of(&[("README.md", "# x\n")]);
    assert_eq!(all(&audit), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------
// workflow-parse-error

#[test]
fn broken_workflows_are_reported_and_the_others_still_analysed() {
    let audit = audit_of(&[
        (".github/dependabot.yml", DEPENDABOT),
        (
            ".github/workflows/good.yml",
            "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: org/a@main\n",
        ),
        (
            ".github/workflows/syntax.yml",
            "on: push\njobs:\n  a:\n    runs-on: x: y\n",
        ),
        (".github/workflows/scalar.yml", "just some text\n"),
        (".github/workflows/list.yaml", "- on: push\n- jobs: {}\n"),
        (".github/workflows/no-jobs.yml", "name: half\non: push\n"),
        (
            ".github/workflows/no-on.yml",
            "# no trigger\njobs:\n  a:\n    runs-on: x\n",
        ),
        (
            ".github/workflows/duplicate.yml",
            "on: push\njobs:\n  a:\n    runs-on: x\n  a:\n    runs-on: y\n",
        ),
        (".github/workflows/tabs.yml", "on: push\njobs:\n\ta:\n\t\truns-on: x\n"),
        (".github/workflows/empty.yml", ""),
    ]);
    let errors: Vec<String> = findings(&audit)
        .iter()
        .filter(|f| f["rule"] == "workflow-parse-error")
        .map(|f| {
            assert_eq!(f["severity"], "high");
            let at = &f["location"];
            let path = at["path"].as_str().expect("path");
            let message = f["message"].as_str().expect("message");
            format!(
                "{} {}:{} {message}",
                path.trim_start_matches(".github/workflows/"),
                at["line"],
                at["column"]
            )
        })
        .collect();
    // Where each error is, and words of its message. Syntax errors carry the parser's
    // position; a file that loads but is not a workflow is reported at its start.
    let expect = [
        ("duplicate.yml", "5:3 ", "duplicated key"),
        ("empty.yml", "1:1 ", "the file is empty"),
        ("list.yaml", "1:1 ", "top level is not a mapping"),
        ("no-jobs.yml", "1:1 ", "needs both `on:` and `jobs:`"),
        ("no-on.yml", "1:1 ", "needs both `on:` and `jobs:`"),
        ("scalar.yml", "1:1 ", "top level is not a mapping"),
        ("syntax.yml", "4:15 ", "mapping values are not allowed"),
        ("tabs.yml", "3:", "tabs"), // the parser's column is just past the tab
    ];
    assert_eq!(errors.len(), expect.len(), "{errors:#?}");
    for ((path, at, words), error) in expect.iter().zip(&errors) {
        assert!(
            error.starts_with(&format!("{path} {at}")) && error.contains(words),
            "expected {path} at {at:?} saying {words:?}, got {error:?}"
        );
    }
    // The good workflow is analysed, and the only one in the facts.
    let paths: Vec<&str> = audit["ci"]["workflows"]
        .as_array()
        .expect("workflows")
        .iter()
        .map(|w| w["path"].as_str().expect("path"))
        .collect();
    assert_eq!(paths, [".github/workflows/good.yml"]);
    assert!(all(&audit).contains(&"unpinned-uses .github/workflows/good.yml 6:9 high".to_string()));
}

/// GitHub runs a workflow whose flow sequence closes at its key's indentation, which
/// YAML 1.2 forbids: it is read (the lines moved right), not reported as broken, and its
/// findings keep their lines. A file broken otherwise is still a parse error.
#[test]
fn a_flow_sequence_closed_at_its_key_is_read_as_github_reads_it() {
    let text = "on: push\njobs:\n  a:\n    runs-on: x\n    strategy:\n      matrix:\n        python: [\n          \"3.10\",\n          \"3.11\"\n        ]\n    steps:\n      - uses: org/a@main\n";
    let audit = audit_workflow(text);
    assert_eq!(of_rule(&audit, "workflow-parse-error"), Vec::<String>::new());
    assert_eq!(of_rule(&audit, "unpinned-uses"), ["12:9 high"]);
    let broken = format!("{text}    runs-on: x: y\n");
    assert_eq!(of_rule(&audit_workflow(&broken), "workflow-parse-error").len(), 1);
}

#[test]
fn a_workflow_that_is_not_utf8_is_a_parse_error() {
    let repo = TestRepo::new();
    repo.write(".github/dependabot.yml", DEPENDABOT)
        .write(".github/workflows/latin1.yml", b"on: push\nname: caf\xe9\njobs: {}\n")
        .write(".github/workflows/ok.yml", QUIET_WORKFLOW)
        .commit("fixture");
    let audit = audit_json(repo.path(), &[]);
    assert_eq!(
        all(&audit),
        ["workflow-parse-error .github/workflows/latin1.yml 1:1 high"]
    );
    assert!(the_message(&audit, "workflow-parse-error", 1).contains("not UTF-8"));
    assert_eq!(audit["ci"]["workflows"][0]["path"], ".github/workflows/ok.yml");
}

#[test]
fn an_alias_bomb_is_refused_quickly() {
    // Ten scalars, then nine levels of ten aliases each: 10^10 nodes once expanded.
    let mut bomb =
        String::from("on: push\njobs:\n  a:\n    runs-on: x\n    timeout-minutes: 5\n    steps:\n      - run: echo\n");
    bomb.push_str("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..=9 {
        let aliases = vec![format!("*l{}", level - 1); 10].join(", ");
        bomb.push_str(&format!("l{level}: &l{level} [{aliases}]\n"));
    }
    let repo = TestRepo::new();
    repo.write(".github/dependabot.yml", DEPENDABOT)
        .write(".github/workflows/bomb.yml", &bomb)
        .write(WORKFLOW, QUIET_WORKFLOW)
        .commit("fixture");
    let started = Instant::now();
    let audit = audit_json(repo.path(), &[]);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(
        all(&audit),
        ["workflow-parse-error .github/workflows/bomb.yml 1:1 high"]
    );
    assert!(the_message(&audit, "workflow-parse-error", 1).contains("alias bomb"));
    assert_eq!(audit["ci"]["workflows"][0]["path"], WORKFLOW);
}

#[test]
fn ordinary_anchors_and_aliases_still_load() {
    let text = "\
on: push
permissions: {}
jobs:
  a: &job
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - uses: org/tool@main
  b: *job
";
    let audit = audit_workflow(text);
    assert_eq!(workflow_facts(&audit, WORKFLOW)["jobs"], 2);
    // The alias repeats the node, positions and all: both findings point at the anchor.
    assert_eq!(of_rule(&audit, "unpinned-uses"), ["8:9 high", "8:9 high"]);
}

#[test]
fn a_workflow_over_one_mebibyte_is_reported_not_parsed() {
    let mut huge = String::from("on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n");
    while huge.len() <= 1 << 20 {
        huge.push_str("      - run: echo 'a long line of padding that makes this workflow far too large'\n");
    }
    let repo = TestRepo::new();
    repo.write(".github/dependabot.yml", DEPENDABOT)
        .write(".github/workflows/huge.yml", &huge)
        .write(WORKFLOW, QUIET_WORKFLOW)
        .commit("fixture");
    let audit = audit_json(repo.path(), &[]);
    assert_eq!(
        all(&audit),
        ["workflow-parse-error .github/workflows/huge.yml 1:1 high"]
    );
    let message = the_message(&audit, "workflow-parse-error", 1);
    assert!(message.contains("more than the 1048576 bytes"), "{message}");
    assert_eq!(audit["ci"]["workflows"][0]["path"], WORKFLOW);
}

// ---------------------------------------------------------------------------------------
// Inline suppression

#[test]
fn suppression_comments_on_the_line_or_above_mark_findings_suppressed() {
    let text = "\
on: push
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - uses: org/one@main # plumb: ignore[unpinned-uses]
      # plumb: ignore[template-injection, unpinned-uses]
      - uses: org/two@main
      - uses: org/three@main # plumb: ignore[template-injection]
      - run: |
          make || true # plumb: ignore[silent-failure]
          echo the comment above reaches this line only
          make check || true
";
    let audit = audit_workflow(text);
    assert_eq!(
        of_rule(&audit, "unpinned-uses"),
        ["8:9 high suppressed", "10:9 high suppressed", "11:9 high"]
    );
    assert_eq!(of_rule(&audit, "silent-failure"), ["13:16 low suppressed", "15:22 low"]);
}

#[test]
fn suppression_of_a_job_level_finding() {
    let text = "\
on: push
permissions: {}
jobs:
  # plumb: ignore[missing-timeout]
  a:
    runs-on: ubuntu-latest
    steps:
      - run: make
  b: # plumb: ignore[excessive-permissions]
    runs-on: ubuntu-latest
    steps:
      - run: make
";
    assert_eq!(found(text, "missing-timeout"), ["5:3 low suppressed", "9:3 low"]);
}

// ---------------------------------------------------------------------------------------
// Facts

#[test]
fn workflow_facts_count_jobs_matrices_runners_caches_tests_and_calls() {
    let text = "\
name: CI
on:
  push:
    branches: [main]
  pull_request:
  workflow_call:
concurrency: ci-${{ github.ref }}
permissions:
  contents: read
jobs:
  test:
    runs-on: ${{ matrix.os }}
    timeout-minutes: 30
    strategy:
      matrix:
        os: [ubuntu-latest, macos-latest]
        python: ['3.10', '3.11', '3.12']
        exclude:
          - os: macos-latest
            python: '3.10'
        include:
          - os: windows-latest
            python: '3.12'
    steps:
      - uses: actions/checkout@SHA
        with:
          persist-credentials: false
      - uses: actions/setup-python@SHA
        with:
          python-version: ${{ matrix.python }}
          cache: pip
      - uses: actions/cache@SHA
        with:
          path: ~/.cache/pre-commit
          key: pre-commit
      - run: python -m pytest -q
  shards:
    runs-on: [self-hosted, linux]
    timeout-minutes: 30
    strategy:
      matrix:
        shard: [1, 2, 3, 4]
    steps:
      - run: cargo test --workspace
      - run: actionlint -color
  dynamic:
    runs-on:
      group: large
      labels: ubuntu-22.04
    timeout-minutes: 30
    strategy:
      matrix: ${{ fromJSON(needs.plan.outputs.matrix) }}
    steps:
      - uses: actions/setup-python@SHA
  local-call:
    uses: ./.github/workflows/reusable.yml
  remote-call:
    uses: org/repo/.github/workflows/release.yml@SHA
";
    let audit = audit_workflow(text);
    let facts = workflow_facts(&audit, WORKFLOW);
    assert_eq!(facts["name"], "CI");
    assert_eq!(strings(&facts["triggers"]), ["push", "pull_request", "workflow_call"]);
    assert_eq!(facts["reusable"], true);
    assert_eq!(facts["concurrency"], true);
    assert_eq!(facts["jobs"], 5);
    assert_eq!(facts["steps"], 7);
    // 2 × 3 = 6, minus macos/3.10, plus windows/3.12 (not on an existing combination).
    assert_eq!(facts["max_matrix"], 6);
    assert_eq!(facts["dynamic_matrices"], 1);
    assert_eq!(facts["sharded_jobs"], 1);
    assert_eq!(
        strings(&facts["runners"]),
        [
            "${{ matrix.os }}",
            "group:large",
            "linux",
            "self-hosted",
            "ubuntu-22.04"
        ]
    );
    // actions/cache, and setup-python with `cache: pip`; setup-python without it is not.
    assert_eq!(facts["caching_steps"], 2);
    assert_eq!(strings(&facts["test_commands"]), ["cargo test", "pytest"]);
    assert_eq!(
        strings(&facts["calls"]),
        [
            "./.github/workflows/reusable.yml",
            &format!("org/repo/.github/workflows/release.yml@{SHA}"),
        ]
    );
    assert_eq!(facts["jobs_without_timeout"], 0);
    assert_eq!(facts["permissions"], "scoped");
    assert_eq!(
        audit["ci"]["actionlint"],
        serde_json::json!([{"path": WORKFLOW, "line": 45, "column": 14}])
    );
}

#[test]
fn matrix_include_and_exclude_follow_github() {
    let matrix = |body: &str| {
        let text = format!(
            "on: push\npermissions: {{}}\njobs:\n  a:\n    runs-on: x\n    timeout-minutes: 5\n    strategy:\n      matrix:\n{body}    steps:\n      - run: echo\n"
        );
        workflow_facts(&audit_workflow(&text), WORKFLOW)["max_matrix"].clone()
    };
    // GitHub's documented example: `color: green` joins all four combinations, `shape`
    // joins apple's, `animal: cat` with pink joins the cats; each banana is a new job.
    let github_example = "        fruit: [apple, pear]
        animal: [cat, dog]
        include:
          - color: green
          - color: pink
            animal: cat
          - fruit: apple
            shape: circle
          - fruit: banana
          - fruit: banana
            animal: cat
";
    assert_eq!(matrix(github_example), 6);
    // Only new keys: added to every combination, no job of its own.
    assert_eq!(
        matrix("        os: [ubuntu, macos]\n        include:\n          - experimental: true\n"),
        2
    );
    // Includes alone: one job each.
    assert_eq!(
        matrix("        include:\n          - os: ubuntu\n          - os: macos\n"),
        2
    );
}

#[test]
fn actionlint_as_an_action_is_found_too() {
    let text = "\
on: push
permissions: {}
jobs:
  lint:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - uses: raven-actions/actionlint@SHA
";
    let audit = audit_workflow(text);
    assert_eq!(
        audit["ci"]["actionlint"],
        serde_json::json!([{"path": WORKFLOW, "line": 8, "column": 15}])
    );
}

#[test]
fn only_the_root_github_workflows_folder_holds_workflows() {
    let broken = "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: org/a@main\n";
    let audit = audit_of(&[
        (".github/dependabot.yml", DEPENDABOT),
        (WORKFLOW, QUIET_WORKFLOW),
        ("sub/.github/workflows/x.yml", broken),
        (".github/workflows/nested/y.yml", broken),
        ("docs/ci.yml", broken),
    ]);
    assert_eq!(audit["ci"]["workflows"].as_array().expect("workflows").len(), 1);
    assert_eq!(audit["ci"]["workflows"][0]["path"], WORKFLOW);
    assert_eq!(all(&audit), Vec::<String>::new());
}

#[test]
fn caching_in_local_composite_actions_counts_for_the_workflows_that_use_them() {
    let workflow = "\
on: push
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - uses: ./.github/actions/setup
      - run: make
  b:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - uses: ./.github/actions/setup/
  release:
    uses: ./.github/workflows/release.yml
";
    let setup = "\
runs:
  using: composite
  steps:
    - uses: actions/cache@SHA
      with:
        path: ~/.cache
        key: k
    - uses: ./.github/actions/toolchain
";
    let toolchain = "\
runs:
  using: composite
  steps:
    - uses: swatinem/rust-cache@SHA
    - uses: ./.github/actions/setup
";
    let audit = audit_of(&[
        (".github/dependabot.yml", DEPENDABOT),
        (WORKFLOW, workflow),
        (".github/actions/setup/action.yml", setup),
        (".github/actions/toolchain/action.yaml", toolchain),
    ]);
    let facts = workflow_facts(&audit, WORKFLOW);
    // Two uses of `setup`, each caching once itself and once through `toolchain` (whose
    // use of `setup` again closes a cycle, followed no further).
    assert_eq!(facts["caching_steps"], 4);
    // The reusable-workflow call runs no steps: it has no timeout to set.
    assert_eq!(facts["jobs"], 3);
    assert_eq!(facts["step_jobs"], 2);
    let markdown = audit_markdown_of(&[
        (".github/dependabot.yml", DEPENDABOT),
        (WORKFLOW, workflow),
        (".github/actions/setup/action.yml", setup),
    ]);
    assert!(
        markdown.contains("0 of 2 step-running jobs without `timeout-minutes`"),
        "{markdown}"
    );
}

#[test]
fn an_action_whose_runs_has_no_using_is_a_parse_error() {
    let broken = "name: Broken\nruns:\n  steps:\n    - run: make\n      shell: bash\n";
    let audit = audit_of(&[
        (".github/dependabot.yml", DEPENDABOT),
        (WORKFLOW, QUIET_WORKFLOW),
        (".github/actions/broken/action.yml", broken),
    ]);
    assert_eq!(
        all(&audit),
        ["workflow-parse-error .github/actions/broken/action.yml 2:1 high"]
    );
    assert!(the_message(&audit, "workflow-parse-error", 2).contains("no `using:`"));
}

#[test]
fn composite_actions_are_described_and_their_steps_checked() {
    let composite = "\
name: Setup
description: Installs the toolchain
runs:
  using: composite
  steps:
    - uses: actions/setup-node@main
    - uses: actions/cache@SHA
      with:
        path: ~/.npm
        key: npm
    - run: echo \"${{ github.event.issue.title }}\"
      shell: bash
";
    let javascript = "name: Hello\nruns:\n  using: node20\n  main: index.js\n";
    let audit = audit_of(&[
        (".github/dependabot.yml", DEPENDABOT),
        (WORKFLOW, QUIET_WORKFLOW),
        (".github/actions/setup/action.yml", composite),
        ("action.yaml", javascript),
    ]);
    assert_eq!(
        audit["ci"]["actions"],
        serde_json::json!([
            {"path": ".github/actions/setup/action.yml", "name": "Setup", "using": "composite", "steps": 3, "caching_steps": 1},
            {"path": "action.yaml", "name": "Hello", "using": "node20", "steps": 0, "caching_steps": 0},
        ])
    );
    assert_eq!(
        all(&audit),
        [
            "unpinned-uses .github/actions/setup/action.yml 6:7 high",
            "template-injection .github/actions/setup/action.yml 11:7 high",
        ]
    );
    let refs: Vec<&str> = audit["ci"]["action_refs"]
        .as_array()
        .expect("action_refs")
        .iter()
        .map(|r| r["pin"].as_str().expect("pin"))
        .collect();
    assert_eq!(refs, ["branch", "sha"]);
}

#[test]
fn a_revision_gives_the_same_workflow_findings_as_the_work_tree() {
    let text = "\
on: pull_request_target
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo ${{ github.event.pull_request.title }} || true
";
    let repo = TestRepo::new();
    repo.write(WORKFLOW, text).commit("fixture");
    let worktree = audit_json(repo.path(), &[]);
    let revision = audit_json(repo.path(), &["--rev", "HEAD"]);
    assert_eq!(worktree["findings"], revision["findings"]);
    assert_eq!(worktree["ci"], revision["ci"]);
    assert_eq!(
        all(&worktree),
        [
            "dangerous-triggers .github/workflows/ci.yml 1:1 medium",
            "no-dependency-updates .github/workflows/ci.yml 1:1 medium",
            "excessive-permissions .github/workflows/ci.yml 3:3 medium",
            "missing-timeout .github/workflows/ci.yml 3:3 low",
            "persist-credentials .github/workflows/ci.yml 6:9 medium",
            "unpinned-uses .github/workflows/ci.yml 6:9 medium",
            "template-injection .github/workflows/ci.yml 7:9 high",
            "silent-failure .github/workflows/ci.yml 7:58 low",
        ]
    );
}

/// `python_versions` as `version status uses`, and its other fields.
fn python_check(audit: &Value) -> (Vec<String>, String) {
    let check = &audit["python_versions"];
    let versions = check["versions"]
        .as_array()
        .expect("versions")
        .iter()
        .map(|v| {
            let at: Vec<String> = v["locations"]
                .as_array()
                .expect("locations")
                .iter()
                .map(|l| format!("{}:{}", l["path"].as_str().unwrap_or_default(), l["line"]))
                .collect();
            format!(
                "{} {} {}/{} {}",
                v["version"].as_str().unwrap_or_default(),
                v["status"].as_str().unwrap_or_default(),
                v["uses"],
                v["places"],
                at.join(",")
            )
        })
        .collect();
    let requirement: Vec<String> = check["requirement"]
        .as_array()
        .expect("requirement")
        .iter()
        .map(|d| {
            format!(
                "{}@{}:{}",
                d["value"].as_str().unwrap_or_default(),
                d["path"].as_str().unwrap_or_default(),
                d["line"]
            )
        })
        .collect();
    let rest = format!(
        "requirement={} lowest={} tested={} unresolved={} not_compared={}",
        requirement.join(","),
        check["lowest_declared"],
        check["lowest_tested"],
        check["unresolved"],
        check["not_compared"]
    );
    (versions, rest)
}

const PYTHON_MATRIX: &str = "\
on: push
permissions: {}
jobs:
  test:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    strategy:
      matrix:
        python-version: ['3.8', '3.9', '3.12']
    env:
      LINT_PY: '3.12'
    steps:
      - uses: actions/setup-python@SHA
        with:
          python-version: ${{ matrix.python-version }}
      - uses: actions/setup-python@SHA
        with:
          python-version: ${{ inputs.py }}
      - uses: astral-sh/setup-uv@SHA
        with:
          python-version: ${{ env.LINT_PY }}
";

#[test]
fn ci_python_versions_are_compared_with_python_requires() {
    let setup = "from setuptools import setup\n\nsetup(\n    name='x',\n    python_requires='>=3.9',\n)\n";
    let files = [
        (WORKFLOW, PYTHON_MATRIX),
        (".github/dependabot.yml", DEPENDABOT),
        ("setup.py", setup),
    ];
    let audit = audit_of(&files);
    let (versions, rest) = python_check(&audit);
    assert_eq!(
        versions,
        [
            format!("3.8 outside 1/1 {WORKFLOW}:9"),
            format!("3.9 admitted 1/1 {WORKFLOW}:9"),
            format!("3.12 admitted 2/2 {WORKFLOW}:9,{WORKFLOW}:11"),
        ]
    );
    assert_eq!(
        rest,
        "requirement=>=3.9@setup.py:5 lowest=\"3.9\" tested=true unresolved=1 not_compared=null"
    );
    assert_eq!(of_rule(&audit, "ci-python-outside-requirement"), ["9:1 low"]);
    let finding = findings(&audit)
        .iter()
        .find(|f| f["rule"] == "ci-python-outside-requirement")
        .expect("finding");
    assert_eq!(
        finding["message"],
        "CI asks `actions/setup-python` for Python `3.8`, a matrix value of the input at line 15, which the declared `>=3.9` (setup.py:5) excludes"
    );
    let md = audit_markdown_of(&files);
    assert!(md.contains("**Python Version:** declared `>=3.9` (setup.py:5)"), "{md}");
    assert!(
        md.contains("Declared: `>=3.9` (`setup.py:5`). The lowest declared version, 3.9, is tested by CI."),
        "{md}"
    );
    assert!(
        md.contains("| `3.8` | **outside** | 1 time | `.github/workflows/ci.yml:9` |"),
        "{md}"
    );
    assert!(
        md.contains("1 `python-version` value not resolved (inputs, outputs, matrices computed at run time): `${{ inputs.py }}` (`.github/workflows/ci.yml:18`)."),
        "{md}"
    );
}

#[test]
fn an_untested_lowest_version_is_a_fact_and_unclear_requirements_are_not_compared() {
    let workflow = "\
on: push
permissions: {}
jobs:
  test:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    steps:
      - uses: actions/setup-python@SHA
        with:
          python-version: |
            3.12
            3.x
";
    let pyproject = "[project]\nname = 'x'\nrequires-python = '>=3.10,<3.14'\n";
    let audit = audit_of(&[
        (WORKFLOW, workflow),
        (".github/dependabot.yml", DEPENDABOT),
        ("pyproject.toml", pyproject),
    ]);
    let (versions, rest) = python_check(&audit);
    assert_eq!(
        versions,
        [
            format!("3.12 admitted 1/1 {WORKFLOW}:11"),
            format!("3.x not-judged 1/1 {WORKFLOW}:12")
        ]
    );
    assert_eq!(
        rest,
        "requirement=>=3.10,<3.14@pyproject.toml:3 lowest=\"3.10\" tested=false unresolved=0 not_compared=null"
    );
    assert!(of_rule(&audit, "ci-python-outside-requirement").is_empty());
    // Two packages below the root that disagree: nothing to compare with; garbage is said.
    let audit = audit_of(&[
        (WORKFLOW, workflow),
        (".github/dependabot.yml", DEPENDABOT),
        ("a/pyproject.toml", pyproject),
        ("b/pyproject.toml", "[project]\nname = 'y'\nrequires-python = '>=3.8'\n"),
    ]);
    let (_, rest) = python_check(&audit);
    assert!(
        rest.ends_with("not_compared=\"no Python requirement at the root, and the 2 declared below it differ\""),
        "{rest}"
    );
    let audit = audit_of(&[
        (WORKFLOW, workflow),
        (".github/dependabot.yml", DEPENDABOT),
        (
            "pyproject.toml",
            "[project]\nname = 'x'\nrequires-python = '>= three'\n",
        ),
    ]);
    let (versions, rest) = python_check(&audit);
    assert_eq!(versions[0], format!("3.12 not-judged 1/1 {WORKFLOW}:11"));
    assert!(
        rest.ends_with(
            "not_compared=\"the requirement `>= three` (pyproject.toml:3) is not a version specifier plumb reads\""
        ),
        "{rest}"
    );
}
