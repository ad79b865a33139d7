//! `plumb baseline` and `plumb check` from the real binary: a baseline written, then the
//! gate after the edits a pull request makes (lines inserted, re-indented, files moved,
//! new findings), expiry by the audit's own date, stale entries, both output formats, and
//! malformed baselines, which are an error or a finding and are never rewritten.

mod common;

use std::process::Output;

use common::{audit_json, plumb, TestRepo};

const SHA: &str = "8e5e7e5ab8b370d6c329ec480221332ada57f0ab";
const WORKFLOW: &str = ".github/workflows/ci.yml";
const BASELINE: &str = ".plumb/baseline.toml";

/// One finding of `unpinned-uses` (the checkout at line 9); nothing else in the file.
const CI: &str = "\
name: ci
on: [push]
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - uses: actions/setup-python@SHA
";

/// A fixture whose open findings are the workflow's unpinned checkout and the
/// Dockerfile's unpinned base image, with a small Python package and its tests.
fn fixture() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(WORKFLOW, CI.replace("@SHA", &format!("@{SHA}")))
        .write(
            ".github/dependabot.yml",
            "version: 2\nupdates:\n  - package-ecosystem: github-actions\n    directory: /\n",
        )
        .write("SECURITY.md", "Report vulnerabilities to security@example.com.\n")
        .write("docker/Dockerfile", "FROM python:3.12\nRUN true\n")
        .write("pkg/__init__.py", "")
        .write("pkg/core.py", "def answer():\n    return 42\n")
        .write(
            "tests/test_core.py",
            "from pkg.core import answer\n\n\ndef test_answer():\n    assert answer() == 42\n",
        )
        .commit("fixture");
    repo
}

fn run(repo: &TestRepo, args: &[&str]) -> Output {
    plumb().args(args).arg(repo.path()).output().expect("plumb runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs `plumb check` and returns its exit code and what it printed.
fn check(repo: &TestRepo, extra: &[&str]) -> (i32, String) {
    let mut args = vec!["check"];
    args.extend(extra);
    let output = run(repo, &args);
    assert!(stderr(&output).is_empty(), "{}", stderr(&output));
    (output.status.code().expect("an exit code"), stdout(&output))
}

fn write_baseline(repo: &TestRepo) -> String {
    let output = run(repo, &["baseline"]);
    assert!(output.status.success(), "{}", stderr(&output));
    std::fs::read_to_string(repo.path().join(BASELINE)).expect("the baseline is written")
}

/// The headlines of the findings `plumb check` lists: `severity[rule]: message`.
fn headlines(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|line| {
            ["high[", "medium[", "low[", "info["]
                .iter()
                .any(|p| line.starts_with(p))
        })
        .collect()
}

/// The places (`path:line:column`) of the findings listed.
fn places(text: &str) -> Vec<&str> {
    text.lines()
        .filter_map(|line| line.trim_start().strip_prefix("--> "))
        .collect()
}

#[test]
fn a_baseline_passes_until_a_pull_request_adds_findings_and_then_only_those_are_listed() {
    let repo = fixture();
    let (code, before) = check(&repo, &[]);
    assert_eq!(code, 1, "without a baseline every open finding is new: {before}");
    assert_eq!(headlines(&before).len(), 2, "{before}");

    let baseline = write_baseline(&repo);
    assert_eq!(baseline.matches("[[finding]]").count(), 2, "{baseline}");
    let (code, passed) = check(&repo, &[]);
    assert_eq!(code, 0, "{passed}");
    assert_eq!(
        passed,
        "plumb check: passed: 2 open findings, all accepted by .plumb/baseline.toml (2 entries)\n"
    );

    // The pull request: a line above the old finding, a new unpinned action, and an
    // eager import cycle between two new modules.
    let edited = CI
        .replace("name: ci\n", "# Continuous integration.\nname: ci\n")
        .replace("@SHA", &format!("@{SHA}"))
        + "      - uses: actions/cache@v4\n";
    repo.write(WORKFLOW, edited)
        .write("pkg/a.py", "from pkg import b\n\n\ndef f():\n    return b.g()\n")
        .write("pkg/b.py", "from pkg import a\n\n\ndef g():\n    return 1\n")
        .write(
            "tests/test_a.py",
            "from pkg.a import f\n\n\ndef test_f():\n    assert f() == 1\n",
        )
        .commit("the pull request");
    let (code, failed) = check(&repo, &[]);
    assert_eq!(code, 1, "{failed}");
    let expected = vec![".github/workflows/ci.yml:14:9", "pkg/a.py:1:1"];
    let mut found = places(&failed);
    found.sort();
    assert_eq!(found, expected, "{failed}");
    assert!(failed.contains("`actions/cache@v4` is pinned to a tag"), "{failed}");
    assert!(
        !failed.contains("actions/checkout@v4"),
        "the old finding moved a line down: {failed}"
    );
    assert!(
        failed.ends_with("plumb check: failed: 2 new findings against .plumb/baseline.toml (2 entries)\n"),
        "{failed}"
    );
}

#[test]
fn the_fingerprint_survives_reindentation_and_a_moved_file() {
    let repo = fixture();
    write_baseline(&repo);
    let reindented = CI
        .replace("@SHA", &format!("@{SHA}"))
        .replace("\n  ", "\n    ")
        .replace("\n      ", "\n        ");
    repo.write(WORKFLOW, reindented);
    repo.git(&["mv", "docker", "build"]);
    let (code, text) = check(&repo, &[]);
    assert_eq!(code, 0, "{text}");
    let audit = audit_json(repo.path(), &[]);
    let entries = audit["baseline"]["entries"].as_array().expect("entries");
    let moved = entries
        .iter()
        .find(|e| e["rule"] == "docker-image-unpinned")
        .expect("the Dockerfile's entry");
    assert_eq!(moved["path"], "docker/Dockerfile");
    assert_eq!(moved["matched"]["location"]["path"], "build/Dockerfile");
    assert_eq!(moved["status"], "open");
}

#[test]
fn a_renamed_file_is_new_and_its_old_entry_is_stale() {
    let repo = fixture();
    write_baseline(&repo);
    repo.git(&["mv", "docker/Dockerfile", "docker/Dockerfile.dev"]);
    let (code, text) = check(&repo, &[]);
    assert_eq!(code, 1, "{text}");
    assert_eq!(places(&text), ["docker/Dockerfile.dev:1:6"], "{text}");
    assert!(
        text.contains("stale: .plumb/baseline.toml:"),
        "the Dockerfile's entry is stale: {text}"
    );
}

#[test]
fn a_fixed_finding_leaves_a_stale_entry_that_fails_only_strict_checks() {
    let repo = fixture();
    write_baseline(&repo);
    repo.write(
        "docker/Dockerfile",
        format!("FROM python:3.12@sha256:{}\nRUN true\n", "a".repeat(64)),
    );
    let (code, text) = check(&repo, &[]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.starts_with(
            "stale: .plumb/baseline.toml:16: `docker-image-unpinned` in docker/Dockerfile is fixed: remove the entry"
        ),
        "{text}"
    );
    assert!(text.ends_with("; 1 stale entry can be removed\n"), "{text}");
    let (code, strict) = check(&repo, &["--strict"]);
    assert_eq!(code, 1, "{strict}");
    assert!(strict.starts_with("error: stale: "), "{strict}");
    // The rewrite drops the stale entry and keeps the other.
    let baseline = write_baseline(&repo);
    assert_eq!(baseline.matches("[[finding]]").count(), 1, "{baseline}");
    assert_eq!(check(&repo, &["--strict"]).0, 0);
}

#[test]
fn entries_expire_by_the_audits_own_date_and_rewrites_keep_their_notes() {
    let repo = fixture();
    let baseline = write_baseline(&repo);
    // SOURCE_DATE_EPOCH of the tests is 2026-01-02: the first entry expires that day
    // (still accepted), the second the day before.
    let annotated = baseline
        .replace(
            "path = \"docker/Dockerfile\"\n",
            "path = \"docker/Dockerfile\"\nreason = \"base image chosen by the platform team\"\nowner = \"@platform\"\nexpires = 2026-01-02\n",
        )
        .replace(
            "rule = \"unpinned-uses\"\n",
            "rule = \"unpinned-uses\"\nexpires = \"2026-01-01\"\nowner = \"@ci\"\n",
        );
    repo.write(BASELINE, &annotated);
    let (code, text) = check(&repo, &[]);
    assert_eq!(code, 1, "{text}");
    assert_eq!(places(&text), [".github/workflows/ci.yml:9:9"], "{text}");
    assert!(
        text.starts_with(
            "expired[unpinned-uses]: .plumb/baseline.toml:10 accepted this until 2026-01-01 (owner @ci), and it is still open"
        ),
        "{text}"
    );
    assert!(
        text.ends_with("failed: 1 expired entry against .plumb/baseline.toml (2 entries)\n"),
        "{text}"
    );
    let (code, _) = {
        let output = plumb()
            .env("SOURCE_DATE_EPOCH", "1767139200") // 2025-12-31
            .args(["check"])
            .arg(repo.path())
            .output()
            .expect("plumb runs");
        (output.status.code(), stdout(&output))
    };
    assert_eq!(code, Some(0), "before the expiry the entry accepts its finding");

    let rewritten = write_baseline(&repo);
    assert!(
        rewritten.contains(
            "reason = \"base image chosen by the platform team\"\nowner = \"@platform\"\nexpires = 2026-01-02\n"
        ),
        "{rewritten}"
    );
    assert!(
        rewritten.contains("owner = \"@ci\"\nexpires = 2026-01-01\n"),
        "{rewritten}"
    );
    assert_eq!(write_baseline(&repo), rewritten, "a second rewrite changes nothing");
}

#[test]
fn github_format_prints_workflow_commands() {
    let repo = fixture();
    let (code, text) = check(&repo, &["--format", "github"]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[0].starts_with(
            "::error file=.github/workflows/ci.yml,line=9,col=9,title=plumb%3A unpinned-uses (medium)::`actions/checkout@v4` is pinned to a tag, which its owner can move%0AA tag or branch"
        ),
        "{text}"
    );
    assert!(
        lines[1].starts_with("::error file=docker/Dockerfile,line=1,col=6,"),
        "{text}"
    );
    assert!(lines[2].starts_with("plumb check: failed: 2 new findings"), "{text}");
}

#[test]
fn a_malformed_baseline_file_is_one_line_and_exit_2_and_stays_as_it_was() {
    let repo = fixture();
    let outside = repo.parent().join("baseline.toml");
    for (text, message) in [
        ("[[finding]\n", "baseline.toml:1:"),
        (
            "[[finding]]\nrule = \"no-such-rule\"\npath = \"a\"\nfingerprint = \"0123456789abcdef\"\n",
            "baseline.toml:1:1: entry for `no-such-rule`, which is no rule of this plumb",
        ),
        (
            "[[finding]]\nrule = \"unpinned-uses\"\npath = \"a\"\nfingerprint = \"0123456789abcdef\"\nexpires = \"soon\"\n",
            "baseline.toml:5:11: `expires` is soon: it must be a date such as 2026-06-30",
        ),
    ] {
        std::fs::write(&outside, text).expect("write the baseline");
        let output = plumb()
            .arg("check")
            .arg(repo.path())
            .arg("--baseline")
            .arg(&outside)
            .output()
            .expect("plumb runs");
        assert_eq!(output.status.code(), Some(2), "{text}");
        let error = stderr(&output);
        assert_eq!(error.lines().count(), 1, "{error}");
        assert!(error.starts_with("plumb: ") && error.contains(message), "{error}");
        // `plumb baseline` will not replace a file it cannot read.
        let output = plumb()
            .arg("baseline")
            .arg(repo.path())
            .arg("--output")
            .arg(&outside)
            .output()
            .expect("plumb runs");
        assert_eq!(output.status.code(), Some(2), "{text}");
        assert_eq!(std::fs::read_to_string(&outside).expect("read"), text);
    }
}

#[test]
fn a_malformed_baseline_in_the_snapshot_is_a_finding_at_its_line() {
    let repo = fixture();
    let baseline = write_baseline(&repo);
    let duplicated = format!(
        "{baseline}{}",
        &baseline[baseline.rfind("\n[[finding]]").expect("an entry")..]
    );
    repo.write(BASELINE, &duplicated);
    let (code, text) = check(&repo, &[]);
    assert_eq!(code, 1, "{text}");
    assert_eq!(headlines(&text).len(), 1, "{text}");
    assert!(
        text.starts_with("medium[baseline-invalid]: `docker-image-unpinned` in `docker/Dockerfile`"),
        "{text}"
    );
    assert_eq!(places(&text), [".plumb/baseline.toml:21:1"], "{text}");
    assert_eq!(
        std::fs::read_to_string(repo.path().join(BASELINE)).expect("read"),
        duplicated,
        "the audit never rewrites the baseline"
    );
}

#[test]
fn an_external_baseline_replaces_the_snapshots_own() {
    let repo = fixture();
    write_baseline(&repo);
    let outside = repo.parent().join("accepted.toml");
    std::fs::rename(repo.path().join(BASELINE), &outside).expect("move the baseline out");
    assert_eq!(check(&repo, &[]).0, 1);
    let (code, text) = check(&repo, &["--baseline", outside.to_str().expect("UTF-8 path")]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("accepted.toml (2 entries)"), "{text}");
}

#[test]
fn a_minimum_score_that_cannot_be_met_fails_the_check() {
    let repo = fixture();
    write_baseline(&repo);
    let (code, text) = check(&repo, &["--min-score", "10"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("the minimum 10"), "{text}");
    let (code, text) = check(&repo, &["--min-score", "0"]);
    assert_eq!(code, 0, "any overall score meets 0: {text}");
    let output = run(&repo, &["check", "--min-score", "11"]);
    assert_eq!(output.status.code(), Some(2));
    repo.write("plumb.toml", "[check]\nmin_score = 10\n");
    let (code, text) = check(&repo, &[]);
    assert_eq!(code, 1, "plumb.toml's minimum applies: {text}");
    assert!(text.contains("the minimum 10"), "{text}");
}

#[test]
fn check_writes_the_pack_only_when_asked() {
    let repo = fixture();
    write_baseline(&repo);
    assert_eq!(check(&repo, &[]).0, 0);
    assert!(!repo.path().join("docs").exists(), "no pack without --out");
    let out = repo.parent().join("pack");
    let (code, _) = check(&repo, &["--out", out.to_str().expect("UTF-8 path")]);
    assert_eq!(code, 0);
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .expect("the pack")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["audit.json", "audit.md", "audit.sarif"]);
}

#[test]
fn the_action_and_the_hook_call_options_that_exist_and_pass_plumbs_own_rules() {
    let action = include_str!("../action.yml");
    let hooks = include_str!("../.pre-commit-hooks.yaml");
    let help = stdout(&plumb().args(["check", "--help"]).output().expect("plumb runs"));
    for option in ["--format github", "--out", "--baseline", "--min-score", "--strict"] {
        assert!(action.contains(option), "action.yml passes {option}");
        let name = option.split(' ').next().expect("a name");
        assert!(help.contains(name), "plumb check has {name}: {help}");
    }
    assert!(hooks.contains("entry: plumb check\n"), "{hooks}");
    // The action as a composite action of a repository: plumb's workflow rules find
    // nothing in it (every `uses:` pinned by SHA, no expression expanded into a script).
    let repo = TestRepo::new();
    repo.write("action.yml", action).commit("the action");
    let audit = audit_json(repo.path(), &[]);
    let in_action: Vec<String> = audit["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["location"]["path"] == "action.yml")
        .map(|f| f.to_string())
        .collect();
    assert_eq!(in_action, Vec::<String>::new());
    assert_eq!(
        audit["ci"]["actions"].as_array().map(Vec::len),
        Some(1),
        "{}",
        audit["ci"]
    );
}
