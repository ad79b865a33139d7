//! The dependencies analyzer from the real binary: a polyglot fixture (snapshot of
//! `supply_chain` and the findings), lockfile coverage across workspaces, and bad input
//! (malformed manifests, a lockfile over the size limit, non-UTF-8, include cycles) that
//! must become findings or notes, never a crash.

mod common;

use common::{audit_json, notes, TestRepo};
use serde_json::Value;

const SHA: &str = "8e5e7e5ab8b370d6c329ec480221332ada57f0ab";

fn audit_of(files: &[(&str, &[u8])], extra: &[&str]) -> Value {
    let repo = TestRepo::new();
    for (path, bytes) in files {
        repo.write(path, bytes);
    }
    repo.commit("fixture");
    audit_json(repo.path(), extra)
}

/// Findings of the `dependencies` group as `rule path:line severity`.
fn dependency_findings(audit: &Value) -> Vec<String> {
    let rules = [
        "dependency-not-locked",
        "manifest-parse-error",
        "docker-image-unpinned",
        "requirements-include-cycle",
    ];
    audit["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| rules.contains(&f["rule"].as_str().unwrap_or("")))
        .map(|f| {
            format!(
                "{} {}:{} {}",
                f["rule"].as_str().unwrap_or(""),
                f["location"]["path"].as_str().unwrap_or(""),
                f["location"]["line"],
                f["severity"].as_str().unwrap_or("")
            )
        })
        .collect()
}

fn manifest<'a>(audit: &'a Value, path: &str) -> &'a Value {
    audit["supply_chain"]["manifests"]
        .as_array()
        .expect("manifests")
        .iter()
        .find(|m| m["path"] == path)
        .unwrap_or_else(|| panic!("no manifest {path}"))
}

/// `name specifier pin locked_version` of each dependency of a manifest.
fn deps(audit: &Value, path: &str) -> Vec<String> {
    manifest(audit, path)["dependencies"]
        .as_array()
        .expect("dependencies")
        .iter()
        .map(|d| {
            format!(
                "{} {:?} {} {}:{}",
                d["name"].as_str().unwrap_or(""),
                d["specifier"].as_str().unwrap_or(""),
                d["pin"].as_str().unwrap_or(""),
                d["location"]["line"],
                d["locked_version"].as_str().unwrap_or("-"),
            )
        })
        .collect()
}

const PYPROJECT: &str = r#"[project]
name = "demo"
version = "0.1.0"
dependencies = [
  "requests>=2.31",
  "numpy==1.26.4",
  "missing-one~=1.0",
]

[project.optional-dependencies]
cuda = ["torch>=2,<3"]

[dependency-groups]
dev = ["pytest"]

[build-system]
requires = ["setuptools>=64"]
"#;

const UV_LOCK: &str = r#"version = 1

[[package]]
name = "demo"
version = "0.1.0"
source = { editable = "." }
dependencies = [{ name = "requests" }, { name = "numpy" }]

[[package]]
name = "numpy"
version = "1.26.4"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://x/numpy.tar.gz", hash = "sha256:aa" }

[[package]]
name = "pytest"
version = "8.0.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "requests"
version = "2.31.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "torch"
version = "2.2.0"
source = { registry = "https://pypi.org/simple" }
"#;

const CARGO_ROOT: &str = "[workspace]\nmembers = [\"crates/*\"]\n\n[workspace.dependencies]\nserde = \"1.0\"\n";
const CARGO_MEMBER: &str = "[package]\nname = \"app\"\nversion = \"0.2.0\"\n\n[dependencies]\nserde = { workspace = true }\nlog = \"=0.4.20\"\nanyhow = \"1\"\n";
const CARGO_LOCK: &str = "version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.2.0\"\ndependencies = [\"log\", \"serde\"]\n\n[[package]]\nname = \"log\"\nversion = \"0.4.20\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"ab\"\n\n[[package]]\nname = \"serde\"\nversion = \"1.0.200\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"cd\"\n";

const PACKAGE_JSON: &str = r#"{
  "name": "web",
  "version": "1.0.0",
  "dependencies": {
    "react": "^18.2.0",
    "left-pad": "1.3.0"
  },
  "devDependencies": {
    "typescript": "latest"
  },
  "peerDependencies": {
    "react-dom": ">=18"
  }
}
"#;

const PACKAGE_LOCK: &str = r#"{
  "name": "web",
  "lockfileVersion": 3,
  "packages": {
    "": { "name": "web", "version": "1.0.0" },
    "node_modules/react": { "version": "18.2.0", "integrity": "sha512-x" },
    "node_modules/left-pad": { "version": "1.3.0", "integrity": "sha512-y" }
  }
}
"#;

const YARN_PACKAGE: &str = "{\n  \"name\": \"docs\",\n  \"dependencies\": {\n    \"lodash\": \"^4.17.0\",\n    \"@scope/pkg\": \"~2.0.0\"\n  }\n}\n";
const YARN_LOCK: &str = "# yarn lockfile v1\n\n\n\"@scope/pkg@~2.0.0\":\n  version \"2.0.3\"\n  resolved \"https://r/pkg.tgz\"\n  integrity sha512-z\n\nlodash@^4.17.0, lodash@^4.17.21:\n  version \"4.17.21\"\n  integrity sha512-w\n  dependencies:\n    \"@scope/pkg\" \"~2.0.0\"\n";

const PNPM_PACKAGE: &str = "{\n  \"name\": \"site\",\n  \"devDependencies\": {\n    \"vite\": \"^5.0.0\"\n  }\n}\n";
const PNPM_LOCK: &str = "lockfileVersion: '9.0'\n\nimporters:\n  .:\n    devDependencies:\n      vite:\n        specifier: ^5.0.0\n        version: 5.1.0\n\npackages:\n  vite@5.1.0:\n    resolution: {integrity: sha512-v}\n";

const GO_MOD: &str = "module example.com/tool\n\ngo 1.22\n\nrequire (\n\tgolang.org/x/sys v0.20.0\n\tgithub.com/pkg/errors v0.9.1 // indirect\n)\n";
const GO_SUM: &str = "golang.org/x/sys v0.20.0 h1:aa=\ngolang.org/x/sys v0.20.0/go.mod h1:bb=\n";

fn dockerfile() -> String {
    format!("FROM ubuntu:22.04 AS build\nFROM build\nFROM python@sha256:{SHA}{SHA}\nFROM alpine\n")
}

fn cmake() -> String {
    format!("cmake_minimum_required(VERSION 3.24)\ninclude(FetchContent)\nFetchContent_Declare(\n  googletest\n  GIT_REPOSITORY https://github.com/google/googletest.git\n  GIT_TAG {SHA}\n)\nFetchContent_Declare(fmt GIT_REPOSITORY https://github.com/fmtlib/fmt GIT_TAG master)\n")
}

fn polyglot() -> Value {
    let dockerfile = dockerfile();
    let cmake = cmake();
    audit_of(
        &[
            ("pyproject.toml", PYPROJECT.as_bytes()),
            ("uv.lock", UV_LOCK.as_bytes()),
            ("requirements.txt", b"-r requirements-base.txt\nflask==3.0.0 \\\n    --hash=sha256:abc\n-e .\n"),
            ("requirements-base.txt", b"click>=8\n"),
            ("rust/Cargo.toml", CARGO_ROOT.as_bytes()),
            ("rust/crates/app/Cargo.toml", CARGO_MEMBER.as_bytes()),
            ("rust/Cargo.lock", CARGO_LOCK.as_bytes()),
            ("web/package.json", PACKAGE_JSON.as_bytes()),
            ("web/package-lock.json", PACKAGE_LOCK.as_bytes()),
            ("docs/package.json", YARN_PACKAGE.as_bytes()),
            ("docs/yarn.lock", YARN_LOCK.as_bytes()),
            ("site/package.json", PNPM_PACKAGE.as_bytes()),
            ("site/pnpm-lock.yaml", PNPM_LOCK.as_bytes()),
            ("tool/go.mod", GO_MOD.as_bytes()),
            ("tool/go.sum", GO_SUM.as_bytes()),
            ("docker/Dockerfile", dockerfile.as_bytes()),
            ("CMakeLists.txt", cmake.as_bytes()),
            ("vcpkg.json", b"{\n  \"name\": \"native\",\n  \"dependencies\": [\n    \"zlib\",\n    { \"name\": \"fmt\", \"version>=\": \"10.0\" }\n  ]\n}\n"),
            ("third_party/lib/requirements.txt", b"vendored==1.0\n"),
            ("tests/fixtures/package.json", b"{\"dependencies\": {\"fixture\": \"*\"}}"),
        ],
        &[],
    )
}

#[test]
fn polyglot_supply_chain_snapshot() {
    let audit = polyglot();
    insta::assert_json_snapshot!("polyglot_supply_chain", audit["supply_chain"]);
    insta::assert_snapshot!("polyglot_dependency_findings", dependency_findings(&audit).join("\n"));
}

#[test]
fn python_lock_coverage_and_pins() {
    let audit = polyglot();
    assert_eq!(manifest(&audit, "pyproject.toml")["lockfile"], "uv.lock");
    assert_eq!(
        deps(&audit, "pyproject.toml"),
        [
            "missing-one \"~=1.0\" bounded 7:-",
            "numpy \"==1.26.4\" exact 6:1.26.4",
            "pytest \"\" unpinned 14:8.0.0",
            "requests \">=2.31\" lower-bound 5:2.31.0",
            "setuptools \">=64\" lower-bound 17:-",
            "torch \">=2,<3\" bounded 11:2.2.0",
        ]
    );
    let findings = dependency_findings(&audit);
    assert!(
        findings.contains(&"dependency-not-locked pyproject.toml:7 medium".to_string()),
        "{findings:?}"
    );
    // Build requirements are never in uv.lock: not a finding.
    assert!(
        !findings.iter().any(|f| f.contains("pyproject.toml:17")),
        "{findings:?}"
    );
}

#[test]
fn requirements_hashes_includes_and_local_paths() {
    let audit = polyglot();
    assert_eq!(deps(&audit, "requirements.txt"), ["flask \"==3.0.0\" hash-pinned 2:-"]);
    assert_eq!(manifest(&audit, "requirements.txt")["lockfile"], Value::Null);
    assert!(notes(&audit).contains(&"unknown-syntax requirements.txt".to_string()));
    // Vendored and test manifests are not the project's.
    let paths: Vec<&str> = audit["supply_chain"]["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["path"].as_str())
        .collect();
    assert!(
        !paths
            .iter()
            .any(|p| p.starts_with("third_party/") || p.starts_with("tests/")),
        "{paths:?}"
    );
}

#[test]
fn cargo_workspace_inheritance_and_root_lockfile() {
    let audit = polyglot();
    assert_eq!(
        manifest(&audit, "rust/crates/app/Cargo.toml")["lockfile"],
        "rust/Cargo.lock"
    );
    assert_eq!(
        deps(&audit, "rust/crates/app/Cargo.toml"),
        [
            "anyhow \"1\" bounded 8:-",
            "log \"=0.4.20\" exact 7:0.4.20",
            "serde \"1.0 (workspace)\" bounded 6:1.0.200",
        ]
    );
    assert!(
        dependency_findings(&audit).contains(&"dependency-not-locked rust/crates/app/Cargo.toml:8 medium".to_string())
    );
}

#[test]
fn javascript_lockfiles() {
    let audit = polyglot();
    assert_eq!(
        deps(&audit, "web/package.json"),
        [
            "left-pad \"1.3.0\" exact 6:1.3.0",
            "react \"^18.2.0\" bounded 5:18.2.0",
            "react-dom \">=18\" lower-bound 12:-",
            "typescript \"latest\" unpinned 9:-",
        ]
    );
    let findings = dependency_findings(&audit);
    assert!(
        findings.contains(&"dependency-not-locked web/package.json:9 medium".to_string()),
        "{findings:?}"
    );
    // Peer dependencies are the host's to install.
    assert!(
        !findings.iter().any(|f| f.contains("web/package.json:12")),
        "{findings:?}"
    );
    assert_eq!(
        deps(&audit, "docs/package.json")[0],
        "@scope/pkg \"~2.0.0\" bounded 5:2.0.3"
    );
    assert_eq!(deps(&audit, "site/package.json"), ["vite \"^5.0.0\" bounded 4:5.1.0"]);
}

#[test]
fn go_sum_hashes_make_requirements_hash_pinned() {
    let audit = polyglot();
    assert_eq!(
        deps(&audit, "tool/go.mod"),
        [
            "github.com/pkg/errors \"v0.9.1\" exact 7:-",
            "golang.org/x/sys \"v0.20.0\" hash-pinned 6:v0.20.0",
        ]
    );
    assert!(dependency_findings(&audit).contains(&"dependency-not-locked tool/go.mod:7 medium".to_string()));
}

#[test]
fn docker_and_cmake_pins() {
    let audit = polyglot();
    let findings = dependency_findings(&audit);
    assert!(
        findings.contains(&"docker-image-unpinned docker/Dockerfile:1 low".to_string()),
        "{findings:?}"
    );
    assert!(
        findings.contains(&"docker-image-unpinned docker/Dockerfile:4 medium".to_string()),
        "{findings:?}"
    );
    assert!(!findings
        .iter()
        .any(|f| f.contains("Dockerfile:2") || f.contains("Dockerfile:3")));
    let cmake = deps(&audit, "CMakeLists.txt");
    assert_eq!(cmake.len(), 2);
    assert!(
        cmake[0].starts_with("fmt ") && cmake[0].contains(" unpinned 8:"),
        "{cmake:?}"
    );
    assert!(
        cmake[1].starts_with("googletest ") && cmake[1].contains(" hash-pinned 3:"),
        "{cmake:?}"
    );
    let present = &audit["supply_chain"]["posture"]["ecosystems_present"];
    assert_eq!(
        present,
        &serde_json::json!(["pypi", "cargo", "npm", "golang", "vcpkg", "cmake", "docker"])
    );
}

#[test]
fn malformed_manifests_are_findings_at_the_parser_line() {
    let audit = audit_of(
        &[
            ("pyproject.toml", b"[project]\nname = \"x\"\ndependencies = [\"a\",\n"),
            (
                "web/package.json",
                b"{\n  \"dependencies\": {\n    \"a\": \"1\",\n  }\n}\n",
            ),
            ("site/pnpm-lock.yaml", b"lockfileVersion: '9.0'\npackages:\n  a: [\n"),
            ("site/package.json", b"{\"dependencies\": {\"a\": \"1.0.0\"}}"),
            ("Cargo.toml", b"[package]\nname = \"ok\"\n"),
        ],
        &[],
    );
    let findings = dependency_findings(&audit);
    assert_eq!(
        findings
            .iter()
            .filter(|f| f.starts_with("manifest-parse-error"))
            .count(),
        3,
        "{findings:?}"
    );
    assert!(
        findings.contains(&"manifest-parse-error web/package.json:4 medium".to_string()),
        "{findings:?}"
    );
    // The malformed lockfile leaves its manifest uncovered with a note, not a finding per dependency.
    assert!(
        !findings.iter().any(|f| f.starts_with("dependency-not-locked")),
        "{findings:?}"
    );
    assert!(notes(&audit).contains(&"lockfile-unread site/package.json".to_string()));
    // The rest of the audit is complete.
    assert_eq!(manifest(&audit, "Cargo.toml")["package"], "ok");
}

#[test]
fn lockfile_over_the_size_limit_leaves_the_manifest_uncovered() {
    let mut big = CARGO_LOCK.to_string();
    big.push_str(&"# padding\n".repeat(2_000));
    let audit = audit_of(
        &[("Cargo.toml", CARGO_MEMBER.as_bytes()), ("Cargo.lock", big.as_bytes())],
        &["--max-file-size", "4096"],
    );
    let notes = notes(&audit);
    assert!(notes.contains(&"too-large Cargo.lock".to_string()), "{notes:?}");
    assert!(notes.contains(&"lockfile-unread Cargo.toml".to_string()), "{notes:?}");
    assert_eq!(manifest(&audit, "Cargo.toml")["lockfile"], Value::Null);
    assert!(
        dependency_findings(&audit).is_empty(),
        "{:?}",
        dependency_findings(&audit)
    );
    assert_eq!(audit["supply_chain"]["lockfiles"], serde_json::json!([]));
}

#[test]
fn non_utf8_manifest_is_a_note() {
    let audit = audit_of(&[("requirements.txt", b"numpy==1.0\n\xff\xfe bad\n")], &[]);
    assert!(notes(&audit).contains(&"non-utf8 requirements.txt".to_string()));
    assert_eq!(audit["supply_chain"]["manifests"], serde_json::json!([]));
}

#[test]
fn requirements_include_cycle_and_missing_include() {
    let audit = audit_of(
        &[
            ("requirements.txt", b"-r requirements/dev.txt\nnumpy\n"),
            (
                "requirements/dev.txt",
                b"-r ../requirements.txt\n-c missing-constraints.txt\npytest\n",
            ),
        ],
        &[],
    );
    assert_eq!(
        dependency_findings(&audit),
        ["requirements-include-cycle requirements/dev.txt:1 low"]
    );
    let message = audit["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "requirements-include-cycle")
        .map(|f| f["message"].as_str().unwrap_or("").to_string());
    assert_eq!(
        message.as_deref(),
        Some("this include closes a cycle: requirements.txt → requirements/dev.txt → requirements.txt")
    );
    assert!(notes(&audit).contains(&"unknown-syntax requirements/dev.txt".to_string()));
}

/// The Markdown between `start` and the next `## ` section.
fn section<'a>(markdown: &'a str, start: &str) -> &'a str {
    let from = markdown.find(start).unwrap_or_else(|| panic!("no {start}"));
    let rest = &markdown[from..];
    let end = rest[start.len()..]
        .find("\n## ")
        .map_or(rest.len(), |i| i + start.len());
    &rest[..end]
}

#[test]
fn posture_rows_and_appendix_b() {
    let repo = TestRepo::new();
    repo.write("pyproject.toml", PYPROJECT)
        .write("uv.lock", UV_LOCK)
        .write("requirements.txt", "flask==3.0.0 --hash=sha256:abc\nclick>=8\n")
        .write("web/package.json", PACKAGE_JSON)
        .write("docker/Dockerfile", dockerfile())
        .commit("fixture");
    let markdown = common::report(repo.path(), "md", &[]);
    insta::assert_snapshot!("posture_rows", section(&markdown, "### Dependency Posture"));
    insta::assert_snapshot!("appendix_b", section(&markdown, "## Appendix B"));
}

#[test]
fn poetry_pipfile_setup_cfg_and_yarn_berry_workspaces() {
    let poetry = "[tool.poetry]\nname = \"svc\"\nversion = \"1.0\"\n\n[tool.poetry.dependencies]\npython = \"^3.11\"\nhttpx = \"^0.27\"\nattrs = \"23.2.0\"\n\n[tool.poetry.group.test.dependencies]\npytest = \"*\"\n";
    let poetry_lock = "[[package]]\nname = \"httpx\"\nversion = \"0.27.0\"\nfiles = [{file = \"httpx.whl\", hash = \"sha256:aa\"}]\n\n[package.dependencies]\nanyio = \"*\"\n\n[[package]]\nname = \"pytest\"\nversion = \"8.1.0\"\n";
    let pipfile =
        "[packages]\nrequests = \"==2.31.0\"\nflask = \"*\"\n\n[dev-packages]\nblack = {version = \">=24\"}\n";
    let pipfile_lock = "{\"default\": {\"requests\": {\"version\": \"==2.31.0\", \"hashes\": [\"sha256:x\"]}, \"flask\": {\"version\": \"==3.0.0\"}}, \"develop\": {}}";
    let setup_cfg = "[metadata]\nname = legacy\n\n[options]\ninstall_requires =\n    six>=1.16\n    idna==3.6\n\n[options.extras_require]\nfast = orjson~=3.9\n";
    let berry = "__metadata:\n  version: 8\n\n\"app@workspace:packages/app\":\n  version: 0.0.0-use.local\n  resolution: \"app@workspace:packages/app\"\n  dependencies:\n    chalk: \"npm:^5.3.0\"\n\n\"chalk@npm:^5.3.0\":\n  version: 5.3.0\n  resolution: \"chalk@npm:5.3.0\"\n  checksum: 10c0/abc\n";
    let app =
        "{\n  \"name\": \"app\",\n  \"dependencies\": {\n    \"chalk\": \"^5.3.0\",\n    \"ora\": \"^8.0.0\"\n  }\n}\n";
    let audit = audit_of(
        &[
            ("svc/pyproject.toml", poetry.as_bytes()),
            ("svc/poetry.lock", poetry_lock.as_bytes()),
            ("web/Pipfile", pipfile.as_bytes()),
            ("web/Pipfile.lock", pipfile_lock.as_bytes()),
            ("legacy/setup.cfg", setup_cfg.as_bytes()),
            ("js/yarn.lock", berry.as_bytes()),
            ("js/packages/app/package.json", app.as_bytes()),
        ],
        &[],
    );
    assert_eq!(
        deps(&audit, "svc/pyproject.toml"),
        [
            "attrs \"23.2.0\" exact 8:-",
            "httpx \"^0.27\" bounded 7:0.27.0",
            "pytest \"*\" unpinned 11:8.1.0",
        ]
    );
    assert_eq!(
        manifest(&audit, "svc/pyproject.toml")["format"],
        "pyproject.toml (Poetry)"
    );
    assert_eq!(
        deps(&audit, "web/Pipfile"),
        [
            "black \">=24\" lower-bound 6:-",
            "flask \"*\" unpinned 3:3.0.0",
            "requests \"==2.31.0\" exact 2:2.31.0",
        ]
    );
    assert_eq!(
        deps(&audit, "legacy/setup.cfg"),
        [
            "idna \"==3.6\" exact 7:-",
            "orjson \"~=3.9\" bounded 10:-",
            "six \">=1.16\" lower-bound 6:-",
        ]
    );
    // The berry lockfile at the root covers the workspace member below it.
    assert_eq!(
        manifest(&audit, "js/packages/app/package.json")["lockfile"],
        "js/yarn.lock"
    );
    assert_eq!(
        dependency_findings(&audit),
        [
            "dependency-not-locked js/packages/app/package.json:5 medium",
            "dependency-not-locked svc/pyproject.toml:8 medium",
            "dependency-not-locked web/Pipfile:6 medium",
        ]
    );
}

/// A `replace` makes the requirement its replacement (looked up in go.sum under the
/// replacement's name), a replace by a folder is the tree's own code, and go.sum lines
/// that hash only a `go.mod` lock no package.
#[test]
fn go_replacements_resolve_and_go_mod_only_hashes_lock_nothing() {
    let go_mod = "module example.com/app\n\ngo 1.22\n\nrequire (\n\tgithub.com/orig/lib v1.0.0\n\texample.com/local v0.0.0\n\tgolang.org/x/mod v0.17.0 // indirect\n)\n\nreplace github.com/orig/lib => github.com/fork/lib v1.0.1\nreplace example.com/local => ./local\n";
    let go_sum = "github.com/fork/lib v1.0.1 h1:aa=\ngithub.com/fork/lib v1.0.1/go.mod h1:bb=\ngithub.com/orig/lib v1.0.0/go.mod h1:cc=\ngolang.org/x/mod v0.17.0/go.mod h1:dd=\ngolang.org/x/mod v0.16.0/go.mod h1:ee=\n";
    let audit = audit_of(&[("go.mod", go_mod.as_bytes()), ("go.sum", go_sum.as_bytes())], &[]);
    assert_eq!(
        deps(&audit, "go.mod"),
        [
            "example.com/local \"path ./local (replaces example.com/local v0.0.0)\" exact 12:-",
            "github.com/fork/lib \"v1.0.1 (replaces github.com/orig/lib v1.0.0)\" hash-pinned 11:v1.0.1",
            "golang.org/x/mod \"v0.17.0\" exact 8:-",
        ]
    );
    assert_eq!(dependency_findings(&audit), Vec::<String>::new());
    let locked: Vec<String> = audit["supply_chain"]["lockfiles"][0]["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| {
            format!(
                "{}@{}",
                p["name"].as_str().unwrap_or(""),
                p["version"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(locked, ["github.com/fork/lib@v1.0.1"]);
}

/// A member's own `Cargo.lock` is not what Cargo builds it with: the workspace root's
/// lockfile covers it, and a note names the one it ignores.
#[test]
fn a_members_stale_lockfile_is_shadowed_by_the_workspace_root() {
    let stale = CARGO_LOCK.replace("1.0.200", "1.0.100");
    let audit = audit_of(
        &[
            ("Cargo.toml", CARGO_ROOT.as_bytes()),
            ("crates/app/Cargo.toml", CARGO_MEMBER.as_bytes()),
            ("Cargo.lock", CARGO_LOCK.as_bytes()),
            ("crates/app/Cargo.lock", stale.as_bytes()),
        ],
        &[],
    );
    assert_eq!(manifest(&audit, "crates/app/Cargo.toml")["lockfile"], "Cargo.lock");
    assert!(deps(&audit, "crates/app/Cargo.toml").contains(&"serde \"1.0 (workspace)\" bounded 6:1.0.200".to_string()));
    assert!(
        notes(&audit).contains(&"lockfile-unused crates/app/Cargo.lock".to_string()),
        "{:?}",
        notes(&audit)
    );
}

/// A tag is a release line, not one image: bounded, and reported; only a digest pins.
#[test]
fn an_image_tag_is_bounded_and_only_a_digest_is_a_pin() {
    let audit = polyglot();
    let pins: Vec<String> = deps(&audit, "docker/Dockerfile");
    assert!(
        pins.contains(&"ubuntu \"ubuntu:22.04\" bounded 1:-".to_string()),
        "{pins:?}"
    );
    assert!(
        pins.iter()
            .any(|p| p.starts_with("python ") && p.contains(" hash-pinned 3:")),
        "{pins:?}"
    );
    assert!(pins.contains(&"alpine \"alpine\" unpinned 4:-".to_string()), "{pins:?}");
}

const SETUP_PY: &str = r#"from setuptools import setup

_deps = ["numpy>=1.20", "torch>=2.0"]
deps = {b: a for a, b in (re.findall(r"^(([^!=<>~]+)(?:[!=<>~].*)?$)", x)[0] for x in _deps)}
extras = {}
extras["cli"] = ["rich"]
setup(
    name="lib",
    python_requires=">=3.10",
    install_requires=["requests>=2", deps["numpy"]],
    extras_require=extras,
    tests_require=[f"pkg=={VERSION}"],
)
"#;

/// A library declaring its requirements in setup.py: they are in the posture table,
/// Appendix B and the SBOM like pyproject's, what is read through a name is `inferred`,
/// what is computed is a note, and `python_requires` (setup.py's and setup.cfg's) is the
/// header's Python version.
#[test]
fn setup_py_requirements_and_python_requires() {
    let repo = common::TestRepo::new();
    repo.write("setup.py", SETUP_PY.as_bytes());
    repo.write(
        "legacy/setup.cfg",
        b"[options]\npython_requires = >=3.8\ninstall_requires =\n    six\n",
    );
    repo.commit("fixture");
    let audit = audit_json(repo.path(), &[]);
    assert_eq!(
        deps(&audit, "setup.py"),
        [
            "numpy \">=1.20\" lower-bound 3:-",
            "requests \">=2\" lower-bound 10:-",
            "rich \"\" unpinned 6:-",
        ]
    );
    let confidence: Vec<&str> = manifest(&audit, "setup.py")["dependencies"]
        .as_array()
        .expect("dependencies")
        .iter()
        .map(|d| d["confidence"].as_str().unwrap_or("literal"))
        .collect();
    assert_eq!(confidence, ["inferred", "literal", "inferred"]);
    assert!(
        notes(&audit).contains(&"computed-value setup.py".to_string()),
        "{:?}",
        notes(&audit)
    );
    let markdown = common::report(repo.path(), "md", &[]);
    assert!(
        markdown.contains("**Python Version:** declared `>=3.10` (setup.py:9), `>=3.8` (legacy/setup.cfg:2)"),
        "{}",
        markdown.lines().find(|l| l.contains("Python Version")).unwrap_or("")
    );
    assert!(
        markdown.contains("| `setup.py` | setup.py | 2 | 0 | 0 | 1 |"),
        "{}",
        section(&markdown, "## Appendix B")
    );
    let output = common::plumb()
        .arg("sbom")
        .arg(repo.path())
        .output()
        .expect("plumb runs");
    let bom: Value = serde_json::from_slice(&output.stdout).expect("a BOM");
    let numpy = bom["components"]
        .as_array()
        .expect("components")
        .iter()
        .find(|c| c["name"] == "numpy")
        .expect("numpy is a component");
    assert!(numpy["properties"]
        .as_array()
        .expect("properties")
        .contains(&serde_json::json!({"name": "plumb:confidence", "value": "inferred"})));
}

const PIP_COMPILED: &str = "#\n# This file is autogenerated by pip-compile with Python 3.11\n# by the following command:\n#\n#    pip-compile --output-file=requirements.txt requirements.in\n#\ncertifi==2024.2.2 \\\n    --hash=sha256:aa\n    # via requests\nidna==3.6 \\\n    --hash=sha256:bb\n    # via requests\nrequests==2.31.0 \\\n    --hash=sha256:cc\n    # via -r requirements.in\n";

/// A `pip-compile` output is the lockfile of the `.in` file its header names (and `uv
/// pip compile` of a pyproject.toml): the manifest's requirements resolve to it, a
/// requirement it lacks is not locked, `# via` lines are its graph, and a `-c` of it
/// from another input is no unread include.
#[test]
fn pip_compile_output_is_the_lockfile_of_its_source() {
    let uv_compiled = "# This file was autogenerated by uv via the following command:\n#    uv pip compile pyproject.toml -o tools/requirements.lock.txt\nrich==13.7.1\n    # via tools (pyproject.toml)\n";
    let audit = audit_of(
        &[
            ("requirements.in", b"requests>=2\nflask\n"),
            ("requirements.txt", PIP_COMPILED.as_bytes()),
            ("dev-requirements.in", b"-c requirements.txt\npytest\n"),
            (
                "tools/pyproject.toml",
                b"[project]\nname = \"tools\"\ndependencies = [\"rich>=13\"]\n",
            ),
            ("tools/requirements.lock.txt", uv_compiled.as_bytes()),
        ],
        &[],
    );
    assert_eq!(manifest(&audit, "requirements.in")["lockfile"], "requirements.txt");
    assert_eq!(
        deps(&audit, "requirements.in"),
        ["flask \"\" unpinned 2:-", "requests \">=2\" lower-bound 1:2.31.0"]
    );
    assert_eq!(
        dependency_findings(&audit),
        ["dependency-not-locked requirements.in:2 medium"]
    );
    assert_eq!(
        manifest(&audit, "tools/pyproject.toml")["lockfile"],
        "tools/requirements.lock.txt"
    );
    let lockfiles = audit["supply_chain"]["lockfiles"].as_array().expect("lockfiles");
    let pip = lockfiles
        .iter()
        .find(|l| l["path"] == "requirements.txt")
        .expect("a lockfile");
    assert_eq!(pip["format"], "pip-compile");
    let requests = pip["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .find(|p| p["name"] == "requests")
        .expect("requests");
    assert_eq!(requests["dependencies"], serde_json::json!(["certifi", "idna"]));
    assert_eq!(requests["hashed"], true);
    assert!(
        !notes(&audit).iter().any(|n| n.contains("dev-requirements.in")),
        "{:?}",
        notes(&audit)
    );
    assert!(audit["supply_chain"]["manifests"]
        .as_array()
        .expect("manifests")
        .iter()
        .all(|m| m["path"] != "requirements.txt"));
}
