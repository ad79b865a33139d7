//! Governance and guardrails on fixture repositories: the refactor's files as section 7
//! measures them, every kind of guardrail kept and broken (plumb.toml, import-linter in
//! its three files, tach), contracts naming modules that do not exist, and
//! `--update-refactor-md` on REFACTOR.md with and without its markers.

mod common;

use common::{audit_json, plumb, report, TestRepo};
use serde_json::Value;

/// A Python package with three layers: `pkg.ui` imports `pkg.core`, `pkg.core`
/// imports `pkg.db`; `pkg.db.models` reaches back up to `pkg.ui.page` lazily (in a
/// function body) and `pkg.db.cache` imports `pkg.util`, which imports `pkg.ui`.
fn layered() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("pkg/__init__.py", "")
        .write("pkg/ui/__init__.py", "from pkg.core import service\n")
        .write("pkg/core/__init__.py", "")
        .write("pkg/core/service.py", "from pkg.db import models\n")
        .write("pkg/db/__init__.py", "")
        .write(
            "pkg/db/models.py",
            "import os\n\n\ndef render():\n    from pkg.ui import page\n    return page\n",
        )
        .write("pkg/db/cache.py", "from pkg import util\n")
        .write("pkg/util.py", "import pkg.ui\n")
        .write("pkg/ui/page.py", "X = 1\n");
    repo
}

/// Rows of section 7 as `kind | name | status broken`.
fn rows(audit: &Value) -> Vec<String> {
    audit["governance"]["guardrails"]
        .as_array()
        .expect("guardrails")
        .iter()
        .map(|r| {
            format!(
                "{} | {} | {} {}",
                r["kind"].as_str().unwrap_or_default(),
                r["name"].as_str().unwrap_or_default(),
                r["status"].as_str().unwrap_or_default(),
                r["broken"]
            )
        })
        .collect()
}

/// Findings of a rule as `path:line message`, in the audit's order.
fn findings(audit: &Value, rule: &str) -> Vec<String> {
    audit["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| {
            format!(
                "{}:{} {}",
                f["location"]["path"].as_str().unwrap_or_default(),
                f["location"]["line"],
                f["message"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

#[test]
fn every_governance_file_is_measured_and_section_7_shows_it() {
    let repo = TestRepo::new();
    repo.write("src/app/main.py", "print(1)\n")
        .write("src/lib/util.py", "X = 1\n")
        .write("REFACTOR.md", "\n\n")
        .write("docs/refactor/M01-baseline.md", "# M01\n")
        .write("docs/audit/audit.md", "# old pack\n")
        .write("docs/audit/audit.json", "{}\n")
        .write("docs/audit/decisions.md", "# ADR\n")
        .write("AGENTS.md", "Run the tests.\nKeep modules small.\n")
        .write("src/app/CLAUDE.md", "Local rules\n")
        .write(".cursorrules", "rule\n")
        .write(".cursor/rules/python.mdc", "---\nglobs: *.py\n---\n")
        .write(".github/copilot-instructions.md", "Be brief.\n")
        .write(
            ".pre-commit-config.yaml",
            "repos:\n  - repo: https://github.com/rhysd/actionlint\n    rev: v1.7.7\n    hooks:\n      - id: actionlint\n  - repo: local\n    hooks:\n      - id: fmt\n        name: fmt\n        entry: cargo fmt\n        language: system\n",
        )
        .write(".github/CONTRIBUTING.md", "# Contributing\n\nOpen a pull request.\n")
        .write(".github/CODEOWNERS", "# owners\n/src/app/ @app-team\n[bad] @x\n")
        .write(
            ".github/workflows/lint.yml",
            "on: push\npermissions: {}\njobs:\n  zizmor:\n    runs-on: ubuntu-latest\n    timeout-minutes: 5\n    steps:\n      - uses: zizmorcore/zizmor-action@0123456789abcdef0123456789abcdef01234567\n",
        )
        .write(
            "plumb.toml",
            "[[surface]]\nname = \"app\"\npaths = [\"src/app/**\"]\n\n[[surface]]\nname = \"lib\"\npaths = [\"src/lib/**\"]\n",
        )
        .commit("governance files");
    let audit = audit_json(repo.path(), &[]);
    let governance = &audit["governance"];
    assert_eq!(
        governance["refactor_md"],
        serde_json::json!({"path": "REFACTOR.md", "lines": 2, "empty": true, "block": {"state": "absent"}})
    );
    let folders: Vec<String> = governance["folders"]
        .as_array()
        .expect("folders")
        .iter()
        .map(|f| {
            format!(
                "{} {} {} {}",
                f["path"], f["files"], f["plumb_reports"], f["other_files"]
            )
        })
        .collect();
    assert_eq!(
        folders,
        [
            r#""docs/refactor" 1 [] ["docs/refactor/M01-baseline.md"]"#,
            r#""docs/audit" 3 ["docs/audit/audit.json","docs/audit/audit.md"] ["docs/audit/decisions.md"]"#,
        ]
    );
    let agents: Vec<String> = governance["agent_files"]
        .as_array()
        .expect("agent files")
        .iter()
        .map(|a| {
            format!(
                "{} {} {}",
                a["path"].as_str().unwrap_or_default(),
                a["kind"].as_str().unwrap_or_default(),
                a["lines"]
            )
        })
        .collect();
    assert_eq!(
        agents,
        [
            ".cursor/rules/python.mdc Cursor rules 3",
            ".cursorrules Cursor rules 1",
            ".github/copilot-instructions.md Copilot instructions 1",
            "AGENTS.md AGENTS.md 2",
            "src/app/CLAUDE.md CLAUDE.md 1",
        ]
    );
    let hooks: Vec<&str> = governance["pre_commit"]["hooks"]
        .as_array()
        .expect("hooks")
        .iter()
        .map(|h| h["id"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(hooks, ["actionlint", "fmt"]);
    assert_eq!(governance["contributing"]["path"], ".github/CONTRIBUTING.md");
    assert_eq!(governance["contributing"]["lines"], 3);
    let codeowners = &governance["codeowners"];
    assert_eq!(codeowners["path"], ".github/CODEOWNERS");
    assert_eq!(codeowners["rules"], 1, "the `[bad]` line is skipped, as GitHub does");
    assert_eq!(codeowners["invalid"][0]["location"]["line"], 3);
    assert_eq!(
        codeowners["surfaces"],
        serde_json::json!([
            {"surface": "app", "files": 2, "owned_files": 2},
            {"surface": "lib", "files": 1, "owned_files": 0},
        ])
    );
    let linters: Vec<String> = governance["workflow_linters"]
        .as_array()
        .expect("linters")
        .iter()
        .map(|l| {
            format!(
                "{} {}:{}",
                l["value"].as_str().unwrap_or_default(),
                l["location"]["path"].as_str().unwrap_or_default(),
                l["location"]["line"]
            )
        })
        .collect();
    assert_eq!(
        linters,
        [
            "actionlint .pre-commit-config.yaml:5",
            "zizmor .github/workflows/lint.yml:8"
        ]
    );

    let md = report(repo.path(), "md", &[]);
    let section = &md[md.find("## 7.").expect("section 7")..md.find("## 8.").expect("section 8")];
    assert!(!section.contains("Not audited"), "{section}");
    for row in [
        "| `REFACTOR.md` | present, empty (2 lines) | no plumb block: `--update-refactor-md` needs a line `<!-- plumb:begin -->` and a line `<!-- plumb:end -->` |",
        "| `docs/audit/` | 3 files | 2 are plumb's reports of an earlier run (`docs/audit/audit.json`, `docs/audit/audit.md`); 1 other: `docs/audit/decisions.md` |",
        "| `.pre-commit-config.yaml` | 2 hooks | `actionlint`, `fmt` |",
        "| app | 2 | 2 | 100.0% |",
        "| lib | 1 | 0 | 0.0% |",
        "**Verdict**: No guardrail is declared",
    ] {
        assert!(section.contains(row), "{row}\n---\n{section}");
    }
}

#[test]
fn a_repository_without_governance_files_says_each_is_absent() {
    let repo = TestRepo::new();
    repo.write("main.py", "print(1)\n").commit("bare");
    let md = report(repo.path(), "md", &[]);
    let section = &md[md.find("## 7.").expect("section 7")..md.find("## 8.").expect("section 8")];
    for row in [
        "| `REFACTOR.md` | absent |",
        "| `docs/refactor/` | absent |",
        "| Agent instructions | absent |",
        "| `.pre-commit-config.yaml` | absent |",
        "| CONTRIBUTING | absent |",
        "| CODEOWNERS | absent |",
        "| Workflow linters | none |",
    ] {
        assert!(section.contains(row), "{row}\n---\n{section}");
    }
}

const GUARDRAILS_BROKEN: &str = r#"
[[guardrail]]
name = "the database layer never imports the UI"
forbid = { from = "pkg/db", to = "pkg/ui" }

[[guardrail]]
layers = ["pkg/ui", "pkg/core", "pkg/db"]

[[guardrail]]
max_file_lines = 3

[[guardrail]]
actions_pinned = true

[[guardrail]]
vendored = []
"#;

const GUARDRAILS_KEPT: &str = r#"
[[guardrail]]
name = "the UI never imports the database"
forbid = { from = "pkg/ui", to = ["pkg/db"] }

[[guardrail]]
layers = [["pkg/ui"], "pkg/core"]

[[guardrail]]
max_file_lines = 1000

[[guardrail]]
actions_pinned = true

[[guardrail]]
vendored = ["third_party"]
"#;

fn with_ci_and_vendored(repo: &TestRepo, uses: &str) {
    repo.write(
        ".github/workflows/ci.yml",
        format!("on: push\npermissions: {{}}\njobs:\n  test:\n    runs-on: ubuntu-latest\n    timeout-minutes: 5\n    steps:\n      - uses: {uses}\n"),
    )
    .write("third_party/zlib/zlib.h", "int deflate(void);\n")
    .write("third_party/zlib/LICENSE", "zlib license\n");
}

#[test]
fn each_plumb_toml_guardrail_broken_is_a_finding_where_it_breaks() {
    let repo = layered();
    with_ci_and_vendored(&repo, "actions/checkout@v4");
    repo.write("plumb.toml", GUARDRAILS_BROKEN).commit("broken");
    let audit = audit_json(repo.path(), &[]);
    assert_eq!(
        rows(&audit),
        [
            "plumb.toml forbid | the database layer never imports the UI | broken 1",
            "plumb.toml layers | layers pkg/ui > pkg/core > pkg/db | broken 1",
            "plumb.toml max_file_lines | no hand-maintained file over 3 code lines | broken 2",
            "plumb.toml actions_pinned | every action pinned to a commit SHA | broken 1",
            "plumb.toml vendored | no vendored code | broken 1",
        ]
    );
    let broken = findings(&audit, "guardrail-broken");
    for expected in [
        ".github/workflows/ci.yml:1 `.github/workflows/ci.yml` has 8 code lines, over the 3 of guardrail \"no hand-maintained file over 3 code lines\" (plumb.toml:9)",
        ".github/workflows/ci.yml:8 `uses: actions/checkout@v4` is pinned to a tag, not a commit SHA, against guardrail \"every action pinned to a commit SHA\" (plumb.toml:12)",
        "pkg/db/models.py:5 `pkg/db/models.py` imports `pkg/ui/page.py` (lazy): package `pkg/db` must not import `pkg/ui`, by guardrail \"the database layer never imports the UI\" (plumb.toml:2)",
        "pkg/db/models.py:5 `pkg/db/models.py` imports `pkg/ui/page.py` (lazy): layer 3 (`pkg/db`) is below layer 1 (`pkg/ui`) in guardrail \"layers pkg/ui > pkg/core > pkg/db\" (plumb.toml:6)",
        "plumb.toml:16 vendored folder `third_party/zlib` (files: 2, code lines: 1) is not in the list of guardrail \"no vendored code\"",
    ] {
        assert!(broken.contains(&expected.to_string()), "{expected}\n---\n{broken:#?}");
    }
    assert_eq!(broken.len(), 6, "{broken:#?}");
}

#[test]
fn each_plumb_toml_guardrail_kept_is_a_row_and_no_finding() {
    let repo = layered();
    with_ci_and_vendored(&repo, "actions/checkout@0123456789abcdef0123456789abcdef01234567");
    repo.write("plumb.toml", GUARDRAILS_KEPT).commit("kept");
    let audit = audit_json(repo.path(), &[]);
    assert_eq!(
        rows(&audit),
        [
            "plumb.toml forbid | the UI never imports the database | kept 0",
            "plumb.toml layers | layers pkg/ui > pkg/core | kept 0",
            "plumb.toml max_file_lines | no hand-maintained file over 1000 code lines | kept 0",
            "plumb.toml actions_pinned | every action pinned to a commit SHA | kept 0",
            "plumb.toml vendored | vendored code only in third_party | kept 0",
        ]
    );
    assert_eq!(findings(&audit, "guardrail-broken"), Vec::<String>::new());
}

#[test]
fn a_guardrail_with_two_rules_or_an_unknown_package_is_reported_at_its_line() {
    let repo = layered();
    repo.write(
        "plumb.toml",
        "[[guardrail]]\nmax_file_lines = 10\nactions_pinned = true\n\n[[guardrail]]\nforbid = { from = \"pkg/gone\", to = \"pkg/ui\" }\n",
    )
    .commit("mistakes");
    let audit = audit_json(repo.path(), &[]);
    assert_eq!(
        findings(&audit, "config-invalid"),
        ["plumb.toml:3 a guardrail holds one rule: `actions_pinned` is a second; write another `[[guardrail]]`"]
    );
    assert_eq!(
        findings(&audit, "guardrail-unknown-module"),
        ["plumb.toml:6 guardrail \"pkg/gone must not import pkg/ui\" names `pkg/gone`, which is no package of the import graph"]
    );
    assert_eq!(
        rows(&audit),
        ["plumb.toml forbid | pkg/gone must not import pkg/ui | not-assessable 0"]
    );
}

const IMPORT_LINTER_INI: &str = "[importlinter]
root_package = pkg

[importlinter:contract:layers]
name = Three layers
type = layers
layers =
    ui
    core
    db
containers =
    pkg

[importlinter:contract:forbidden]
name = Database below the UI
type = forbidden
source_modules =
    pkg.db
forbidden_modules =
    pkg.ui

[importlinter:contract:independent]
name = Core and util apart
type = independence
modules =
    pkg.core
    pkg.util

[importlinter:contract:gone]
name = Names a ghost
type = forbidden
source_modules =
    pkg.ghost
forbidden_modules =
    pkg.core

[importlinter:contract:page]
name = The page imports no data
type = forbidden
source_modules =
    pkg.ui.page
forbidden_modules =
    pkg.db
";

#[test]
fn import_linter_contracts_are_evaluated_with_indirect_imports() {
    let repo = layered();
    repo.write(".importlinter", IMPORT_LINTER_INI).commit("contracts");
    let audit = audit_json(repo.path(), &[]);
    assert_eq!(
        rows(&audit),
        [
            "import-linter layers | Three layers | broken 2",
            "import-linter forbidden | Database below the UI | broken 2",
            "import-linter independence | Core and util apart | broken 1",
            "import-linter forbidden | Names a ghost | not-assessable 0",
            "import-linter forbidden | The page imports no data | kept 0",
        ]
    );
    let broken = findings(&audit, "guardrail-broken");
    let chain = "pkg/db/cache.py:1 `pkg.db.cache` imports `pkg.util` (eager), which leads on to `pkg.ui` (pkg.db.cache → pkg.util → pkg.ui): `pkg.db` must not import `pkg.ui`, by import-linter contract \"Database below the UI\" (.importlinter:14)";
    assert!(broken.contains(&chain.to_string()), "{broken:#?}");
    let independence = "pkg/util.py:1 `pkg.util` imports `pkg.ui` (eager), which leads on to `pkg.core.service` (pkg.util → pkg.ui → pkg.core.service): `pkg.util` and `pkg.core` must be independent, by import-linter contract \"Core and util apart\" (.importlinter:22)";
    assert!(broken.contains(&independence.to_string()), "{broken:#?}");
    assert!(
        broken.contains(&"pkg/db/models.py:5 `pkg.db.models` imports `pkg.ui.page` (lazy): layer `pkg.db` is below `pkg.ui`, by import-linter contract \"Three layers\" (.importlinter:4)".to_string()),
        "{broken:#?}"
    );
    assert_eq!(
        findings(&audit, "guardrail-unknown-module"),
        ["import-linter contract \"Names a ghost\" names `pkg.ghost`, which no Python file of the snapshot holds"]
            .map(|m| format!(".importlinter:33 {m}"))
    );
}

#[test]
fn import_linter_reads_setup_cfg_and_pyproject_toml_too() {
    let repo = layered();
    repo.write("setup.cfg", format!("[metadata]\nname = pkg\n\n{IMPORT_LINTER_INI}"))
        .commit("setup.cfg");
    let from_setup = audit_json(repo.path(), &[]);
    assert_eq!(rows(&from_setup).len(), 5);
    assert_eq!(from_setup["governance"]["guardrails"][1]["source"]["line"], 17);

    let repo = layered();
    repo.write(
        "pyproject.toml",
        "[project]\nname = \"pkg\"\n\n[tool.importlinter]\nroot_packages = [\"pkg\"]\nexclude_type_checking_imports = true\n\n[[tool.importlinter.contracts]]\nname = \"Database below the UI\"\ntype = \"forbidden\"\nsource_modules = [\"pkg.db\"]\nforbidden_modules = [\"pkg.ui\"]\nallow_indirect_imports = true\n",
    )
    .commit("pyproject");
    let audit = audit_json(repo.path(), &[]);
    assert_eq!(
        rows(&audit),
        ["import-linter forbidden | Database below the UI | broken 1"]
    );
    let notes = &audit["governance"]["guardrails"][0]["notes"];
    assert_eq!(notes[1], "direct imports only (`allow_indirect_imports`)");
    assert_eq!(audit["governance"]["guardrails"][0]["source"]["line"], 8);
}

#[test]
fn a_contract_file_that_does_not_parse_is_a_finding_at_its_line() {
    let repo = layered();
    repo.write(
        ".importlinter",
        "[importlinter]\nroot_package = pkg\nthis line is not ini\n",
    )
    .write("tach.toml", "[[modules]\npath = 'pkg.ui'\n")
    .commit("broken files");
    let audit = audit_json(repo.path(), &[]);
    let invalid = findings(&audit, "guardrail-invalid");
    assert_eq!(invalid.len(), 2, "{invalid:#?}");
    assert!(
        invalid[0].starts_with(".importlinter:3 import-linter configuration: "),
        "{invalid:#?}"
    );
    assert!(
        invalid[1].starts_with("tach.toml:1 tach configuration: "),
        "{invalid:#?}"
    );
}

#[test]
fn tach_modules_are_checked_on_direct_imports() {
    let repo = layered();
    repo.write(
        "tach.toml",
        "layers = [\"ui\", \"core\", \"data\"]\n\n[[modules]]\npath = \"pkg.ui\"\nlayer = \"ui\"\n\n[[modules]]\npath = \"pkg.core\"\nlayer = \"core\"\ndepends_on = []\n\n[[modules]]\npath = \"pkg.db\"\nlayer = \"data\"\ndepends_on = [\"pkg.util\"]\n\n[[modules]]\npath = \"pkg.util\"\ndepends_on = [{ path = \"pkg.missing\" }]\n",
    )
    .commit("tach");
    let audit = audit_json(repo.path(), &[]);
    assert_eq!(
        rows(&audit),
        [
            "tach module | pkg.ui | kept 0",
            "tach module | pkg.core | kept 0",
            "tach module | pkg.db | broken 1",
            "tach module | pkg.util | broken 1",
        ]
    );
    let broken = findings(&audit, "guardrail-broken");
    assert_eq!(
        broken,
        [
            "pkg/db/models.py:5 `pkg.db.models` imports `pkg.ui.page` (lazy): layer `ui` of `pkg.ui` is above layer `data`, by tach module \"pkg.db\" (tach.toml:12)",
            "pkg/util.py:1 `pkg.util` imports `pkg.ui` (eager): `pkg.ui` is not in the `depends_on` of `pkg.util`, by tach module \"pkg.util\" (tach.toml:17)",
        ]
    );
    assert_eq!(
        findings(&audit, "guardrail-unknown-module"),
        ["tach.toml:19 tach contract \"pkg.util\" names `pkg.missing`, which no Python file of the snapshot holds"]
    );
}

#[test]
fn a_suppressed_import_is_counted_but_not_open() {
    let repo = layered();
    repo.write("pkg/util.py", "import pkg.ui  # plumb: ignore[guardrail-broken]\n")
        .write(
            "plumb.toml",
            "[[guardrail]]\nforbid = { from = \"pkg\", to = \"pkg/ui\" }\n",
        )
        .commit("suppressed");
    let audit = audit_json(repo.path(), &[]);
    let suppressed: Vec<bool> = audit["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "guardrail-broken" && f["location"]["path"] == "pkg/util.py")
        .map(|f| f["suppressed"].as_bool().unwrap_or_default())
        .collect();
    assert_eq!(suppressed, [true]);
}

const REFACTOR_MD: &str = "# Refactor plan\r\n\r\nOur notes, kept by hand.\r\n\r\n<!-- plumb:begin -->\r\nstale text\r\n<!-- plumb:end -->\r\n\r\n## Milestones\r\n- M01\r\n";

fn update(repo: &TestRepo, extra: &[&str]) -> std::process::Output {
    plumb()
        .arg("audit")
        .arg(repo.path())
        .args(["--update-refactor-md", "--quiet"])
        .args(extra)
        .output()
        .expect("plumb runs")
}

#[test]
fn update_refactor_md_rewrites_only_the_marked_block() {
    let repo = layered();
    repo.write("REFACTOR.md", REFACTOR_MD)
        .write(".importlinter", IMPORT_LINTER_INI)
        .commit("plan");
    let output = update(&repo, &[]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = std::fs::read_to_string(repo.path().join("REFACTOR.md")).expect("read");
    let (before, rest) = text.split_once("<!-- plumb:begin -->\r\n").expect("begin kept");
    let (block, after) = rest.split_once("<!-- plumb:end -->\r\n").expect("end kept");
    assert_eq!(before, "# Refactor plan\r\n\r\nOur notes, kept by hand.\r\n\r\n");
    assert_eq!(after, "\r\n## Milestones\r\n- M01\r\n");
    assert!(!block.contains("stale text"));
    assert!(
        block.contains(
            "**Verdict**: 1 of 5 guardrails kept, 3 broken (5 `guardrail-broken` findings), 1 not assessable.\r\n"
        ),
        "{block}"
    );
    assert!(
        block.contains("| Three layers | import-linter layers | `.importlinter:4` | **Broken (2)** |"),
        "{block}"
    );
    assert!(
        block.split_inclusive('\n').all(|l| l.ends_with("\r\n")),
        "the file's line endings: {block:?}"
    );

    // Nothing changed: the file is not written again.
    let written = std::fs::metadata(repo.path().join("REFACTOR.md"))
        .expect("stat")
        .modified()
        .expect("mtime");
    std::thread::sleep(std::time::Duration::from_millis(20));
    let output = plumb()
        .arg("audit")
        .arg(repo.path())
        .arg("--update-refactor-md")
        .output()
        .expect("plumb runs");
    assert!(String::from_utf8_lossy(&output.stdout).contains("the plumb block of REFACTOR.md is up to date"));
    let again = std::fs::metadata(repo.path().join("REFACTOR.md"))
        .expect("stat")
        .modified()
        .expect("mtime");
    assert_eq!(written, again);
}

#[test]
fn update_refactor_md_without_one_block_is_an_error_and_leaves_the_file_as_it_was() {
    let cases = [
        (
            "# Plan\n\nno markers\n",
            "REFACTOR.md has no plumb block: add a line `<!-- plumb:begin -->`",
        ),
        (
            "# Plan\n<!-- plumb:begin -->\ntext\n",
            "REFACTOR.md line 2: `<!-- plumb:begin -->` with no `<!-- plumb:end -->` after it",
        ),
        (
            "<!-- plumb:end -->\n<!-- plumb:begin -->\n",
            "REFACTOR.md line 1: `<!-- plumb:end -->` with no `<!-- plumb:begin -->` before it",
        ),
        (
            "<!-- plumb:begin -->\n<!-- plumb:end -->\n<!-- plumb:begin -->\n<!-- plumb:end -->\n",
            "REFACTOR.md line 3: a second marker after the block",
        ),
    ];
    for (text, said) in cases {
        let repo = layered();
        repo.write("REFACTOR.md", text).commit("plan");
        let output = update(&repo, &[]);
        assert_eq!(output.status.code(), Some(2), "{text:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(said), "{stderr}");
        let after = std::fs::read(repo.path().join("REFACTOR.md")).expect("read");
        assert_eq!(after, text.as_bytes(), "the file is unchanged, byte for byte");
        assert!(!repo.path().join("docs/audit").exists(), "stopped before the audit");
    }
}

#[test]
fn update_refactor_md_needs_a_regular_file_in_a_work_tree() {
    let repo = layered();
    repo.commit("no plan");
    let output = update(&repo, &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("there is no REFACTOR.md at the repository root"));

    repo.write("docs/plan.md", "<!-- plumb:begin -->\n<!-- plumb:end -->\n")
        .symlink("REFACTOR.md", "docs/plan.md");
    let output = update(&repo, &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not a regular file"));

    let output = update(&repo, &["--rev", "HEAD"]);
    assert_eq!(output.status.code(), Some(2), "--rev has no work tree to write");

    let bare = tempfile::tempdir().expect("tempdir");
    common::git_in(
        bare.path(),
        &["clone", "-q", "--bare", &repo.path().to_string_lossy(), "b.git"],
    );
    let output = plumb()
        .arg("audit")
        .arg(bare.path().join("b.git"))
        .args(["--update-refactor-md", "--stdout", "json"])
        .output()
        .expect("plumb runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("a bare repository has no work tree"));
}
