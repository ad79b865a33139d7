//! `plumb sbom` and `plumb audit --format cyclonedx` from the real binary: valid against the
//! official CycloneDX 1.6 schema, identical from run to run, with a serial number that
//! follows the content, and nothing of the machine in it.
//!
//! Schema validation runs `tests/validate_cyclonedx.py`, whose validator `.ci/run` installs
//! (`bash .ci/install-cyclonedx-validator`); without it these tests fail and say so. A BOM
//! with every kind of component (manifests, lockfiles, vendored code), built from a
//! hand-made audit, is validated by the unit tests in `src/render/cyclonedx.rs`.

mod common;

use std::path::Path;

use common::{plumb, TestRepo};
use serde_json::Value;

const SUBMODULE_URL: &str = "https://ghp_token@github.com/Pybind/pybind11.git";

/// A repository with two submodules (one on GitHub behind a token, one tracking a branch)
/// and a workflow with a tag-pinned, a SHA-pinned, a subpath, a docker and a local action.
fn fixture() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("README.md", "# Fixture\n")
        .write("src/app.py", "print('hi')\n")
        .write(
            ".github/workflows/ci.yml",
            "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/setup-python@0123456789abcdef0123456789abcdef01234567\n      - uses: github/codeql-action/init@v3\n      - uses: docker://alpine:3.20\n      - uses: ./.github/actions/local\n      - uses: actions/checkout@v4\n",
        )
        .commit("initial import");
    let head = repo.git(&["rev-parse", "HEAD"]);
    repo.write(
        ".gitmodules",
        format!(
            "[submodule \"pybind11\"]\n\tpath = third_party/pybind11\n\turl = {SUBMODULE_URL}\n[submodule \"tracked\"]\n\tpath = deps/tracked\n\turl = https://gitlab.example/team/tracked.git\n\tbranch = main\n"
        ),
    );
    for path in ["third_party/pybind11", "deps/tracked"] {
        let info = format!("160000,{},{path}", head.trim());
        repo.git(&["update-index", "--add", "--cacheinfo", &info]);
    }
    repo.git(&["add", ".gitmodules"]);
    repo.git(&["commit", "-q", "-m", "submodules"]);
    repo
}

/// `plumb sbom PATH EXTRA...` on stdout; panics when plumb fails.
fn sbom(path: &Path, extra: &[&str]) -> String {
    let output = plumb().arg("sbom").arg(path).args(extra).output().expect("plumb runs");
    assert!(
        output.status.success(),
        "plumb failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// Validates `file` with `tests/validate_cyclonedx.py` against the official schema.
fn validate(file: &Path) {
    common::validate("validate_cyclonedx.py", file);
}

fn bom_refs(bom: &Value) -> Vec<String> {
    let components = bom["components"].as_array().expect("components");
    components
        .iter()
        .map(|c| c["bom-ref"].as_str().expect("bom-ref").to_string())
        .collect()
}

#[test]
fn the_sbom_of_a_repository_with_submodules_and_actions_is_valid_cyclonedx_1_6() {
    let repo = fixture();
    let text = sbom(repo.path(), &[]);
    let file = repo.parent().join("fixture.cdx.json");
    std::fs::write(&file, &text).expect("write BOM");
    validate(&file);

    let bom: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(bom["specVersion"], "1.6");
    let head = repo.git(&["rev-parse", "HEAD"]);
    assert_eq!(bom["metadata"]["component"]["name"], "fixture");
    assert_eq!(bom["metadata"]["component"]["version"], head.trim());
    assert_eq!(
        bom["metadata"]["tools"]["components"][0]["version"],
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(
        bom["metadata"]["timestamp"], "2026-01-02T03:00:00+00:00",
        "SOURCE_DATE_EPOCH"
    );
    assert_eq!(
        bom_refs(&bom),
        [
            "docker/alpine@3.20",
            "github-actions/actions/checkout@v4",
            "github-actions/actions/setup-python@0123456789abcdef0123456789abcdef01234567",
            "github-actions/github/codeql-action/init@v3",
            "submodule/deps/tracked",
            "submodule/third_party/pybind11",
        ]
    );
    let pinned = repo.git(&["rev-parse", "HEAD~1"]);
    let pybind = &bom["components"][5];
    assert_eq!(pybind["version"], pinned.trim(), "the pinned commit");
    assert_eq!(pybind["purl"], format!("pkg:github/pybind/pybind11@{}", pinned.trim()));
    assert_eq!(
        pybind["externalReferences"][0]["url"],
        "https://***@github.com/Pybind/pybind11.git"
    );
    let checkout = &bom["components"][1];
    assert_eq!(checkout["purl"], "pkg:github/actions/checkout@v4");
    let lines: Vec<&Value> = checkout["evidence"]["occurrences"]
        .as_array()
        .expect("occurrences")
        .iter()
        .map(|o| &o["line"])
        .collect();
    assert_eq!(lines, [6, 11], "both uses: of checkout, by line");
    let root_depends_on = bom["dependencies"][0]["dependsOn"].as_array().map_or(0, Vec::len);
    assert_eq!(
        (bom["dependencies"][0]["ref"].as_str(), root_depends_on),
        (Some("repository"), 6)
    );
}

#[test]
fn output_is_byte_identical_across_runs_and_between_work_tree_and_revision() {
    let repo = fixture();
    let first = sbom(repo.path(), &[]);
    assert_eq!(first, sbom(repo.path(), &[]));
    assert_eq!(
        first,
        sbom(repo.path(), &["--rev", "HEAD"]),
        "the same commit, the same BOM"
    );
}

#[test]
fn the_serial_number_changes_with_the_content() {
    let repo = fixture();
    let serial = |text: &str| {
        let bom: Value = serde_json::from_str(text).expect("JSON");
        bom["serialNumber"].as_str().expect("serialNumber").to_string()
    };
    let before = serial(&sbom(repo.path(), &[]));
    let later = plumb()
        .args(["sbom"])
        .arg(repo.path())
        .env("SOURCE_DATE_EPOCH", "1900000000")
        .output()
        .expect("runs");
    assert_eq!(
        serial(&String::from_utf8_lossy(&later.stdout)),
        before,
        "the clock is not content"
    );

    repo.write(
        ".github/workflows/ci.yml",
        "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v5\n",
    )
    .commit("bump checkout");
    assert_ne!(serial(&sbom(repo.path(), &[])), before);
}

#[test]
fn no_absolute_path_token_or_host_name_appears() {
    let repo = fixture();
    let text = sbom(repo.path(), &[]);
    let parent = repo.parent().to_string_lossy().into_owned();
    assert!(!text.contains(&parent), "no absolute path may appear:\n{text}");
    assert!(!text.contains("ghp_token"), "credentials are redacted:\n{text}");
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
    let host = host.trim();
    if host.len() >= 4 {
        assert!(!text.contains(host), "the host name {host} may not appear:\n{text}");
    }
}

#[test]
fn format_cyclonedx_and_sbom_output_write_the_same_bom() {
    let repo = fixture();
    let pack = repo.parent().join("pack");
    let output = plumb()
        .args(["audit", "--quiet", "--format", "json,cyclonedx", "--out"])
        .arg(&pack)
        .arg(repo.path())
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let written = std::fs::read_to_string(pack.join("sbom.cdx.json")).expect("sbom.cdx.json");
    let stdout = sbom(repo.path(), &[]);
    assert_eq!(written, stdout, "the pack's file and `plumb sbom` agree");
    assert_eq!(
        common::report(repo.path(), "cyclonedx", &[]),
        stdout,
        "and so does --stdout"
    );

    let file = repo.parent().join("out/bom.json");
    let output = plumb()
        .args(["sbom", "--output"])
        .arg(&file)
        .arg(repo.path())
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.stdout.is_empty(), "with --output, nothing on stdout");
    assert_eq!(std::fs::read_to_string(&file).expect("bom.json"), stdout);
}

#[test]
fn an_earlier_sbom_in_the_tree_is_not_analysed() {
    let repo = fixture();
    common::audit_in_place(repo.path(), "cyclonedx");
    common::audit_in_place(repo.path(), "json");
    let audit = common::read_audit_json(&repo.path().join("docs/audit/audit.json"));
    let notes = common::notes(&audit);
    assert!(
        notes.contains(&"plumb-output docs/audit/sbom.cdx.json".to_string()),
        "{notes:?}"
    );
}

#[test]
fn a_plain_directory_has_a_bom_without_a_version() {
    let dir = TestRepo::plain();
    dir.write(
        ".github/workflows/ci.yml",
        "on: push\njobs:\n  t:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n",
    );
    let text = sbom(dir.path(), &[]);
    let file = dir.parent().join("plain.cdx.json");
    std::fs::write(&file, &text).expect("write BOM");
    validate(&file);
    let bom: Value = serde_json::from_str(&text).expect("JSON");
    assert!(bom["metadata"]["component"].get("version").is_none());
    assert_eq!(bom_refs(&bom), ["github-actions/actions/checkout@v4"]);
}

#[test]
fn a_missing_path_is_a_clear_error() {
    let output = plumb()
        .args(["sbom", "/nonexistent/plumb-sbom"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert!(!output.stderr.is_empty());
}

const MIT: &str = "MIT License\n\nCopyright (c) 2020 Someone\n\nPermission is hereby granted, free of charge, to any person obtaining a copy of this software and associated documentation files (the \"Software\"), to deal in the Software without restriction, including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all copies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.\n";

const REQUIREMENTS: &str = "requests>=2.31,<3\ntimm == 1.0.7\nflask==3.0.0 \\\n    --hash=sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n";

const PYPROJECT: &str = "[project]\nname = \"demo\"\nversion = \"0.1.0\"\ndependencies = [\"idna>=2\", \"numpy==1.26.4\"]\n\n[dependency-groups]\ndev = [\"pytest>=8\"]\n";

/// `pytest` needs `iniconfig`, which no manifest declares; `idna` is locked twice (uv's
/// forked resolution), so a range declaration stands for both. The project is locked at
/// 0.0.9, older than its pyproject's 0.1.0: still the project, not a component.
const UV_LOCK: &str = r#"version = 1

[[package]]
name = "demo"
version = "0.0.9"
source = { editable = "." }
dependencies = [{ name = "idna" }, { name = "numpy" }]

[[package]]
name = "idna"
version = "2.10"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "idna"
version = "3.7"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "iniconfig"
version = "2.0.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "numpy"
version = "1.26.4"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://x/numpy.tar.gz", hash = "sha256:aa" }

[[package]]
name = "pytest"
version = "8.0.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "iniconfig" }]
"#;

const CARGO_ROOT: &str = "[workspace]\nmembers = [\"crates/*\"]\n\n[workspace.dependencies]\nserde = \"1.0\"\n";
const CARGO_APP: &str = "[package]\nname = \"app\"\nversion = \"0.2.0\"\n\n[dependencies]\nserde = { workspace = true }\nbitflags = \"2\"\nold = \"0.1\"\n";
/// Two bitflags: the member's entry says which one it uses (`bitflags 2.4.0`).
const CARGO_LOCK: &str = r#"version = 4

[[package]]
name = "app"
version = "0.2.0"
dependencies = ["bitflags 2.4.0", "old", "serde"]

[[package]]
name = "bitflags"
version = "1.3.2"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "aa"

[[package]]
name = "bitflags"
version = "2.4.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "bb"

[[package]]
name = "old"
version = "0.1.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "cc"
dependencies = ["bitflags 1.3.2"]

[[package]]
name = "serde"
version = "1.0.200"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "dd"
dependencies = ["serde_derive"]

[[package]]
name = "serde_derive"
version = "1.0.200"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "ee"
"#;

const PACKAGE_JSON: &str = "{\n  \"name\": \"web\",\n  \"version\": \"1.0.0\",\n  \"dependencies\": {\n    \"@types/node\": \"^20.0.0\",\n    \"left-pad\": \"1.3.0\"\n  },\n  \"devDependencies\": {\n    \"typescript\": \"^5.4.0\",\n    \"ts-old\": \"npm:typescript@^4.9.0\"\n  }\n}\n";
const PACKAGE_LOCK: &str = r#"{
  "name": "web",
  "version": "1.0.0",
  "lockfileVersion": 3,
  "packages": {
    "": { "name": "web", "version": "1.0.0", "dependencies": { "@types/node": "^20.0.0", "left-pad": "1.3.0" } },
    "node_modules/@types/node": { "version": "20.1.0", "integrity": "sha512-a", "dependencies": { "undici-types": "~5.26.4" } },
    "node_modules/left-pad": { "version": "1.3.0", "integrity": "sha512-b", "dependencies": { "typescript": "^4.0.0", "undici-types": "^6.0.0" }, "peerDependencies": { "@types/node": "*", "absent-peer": "*" } },
    "node_modules/left-pad/node_modules/undici-types": { "version": "6.0.0", "integrity": "sha512-f" },
    "node_modules/left-pad/node_modules/typescript": { "version": "4.0.0", "integrity": "sha512-g" },
    "node_modules/typescript": { "version": "5.4.5", "integrity": "sha512-c", "dev": true },
    "node_modules/ts-old": { "name": "typescript", "version": "4.9.5", "integrity": "sha512-e", "dev": true },
    "node_modules/undici-types": { "version": "5.26.5", "integrity": "sha512-d" }
  }
}
"#;

const GO_MOD: &str = "module example.com/tool\n\ngo 1.22\n\nrequire (\n\tgithub.com/BurntSushi/toml v1.3.2\n\tgolang.org/x/sys v0.20.0 // indirect\n)\n";
const GO_SUM: &str = "github.com/BurntSushi/toml v1.3.2 h1:aa=\ngithub.com/BurntSushi/toml v1.3.2/go.mod h1:bb=\ngolang.org/x/sys v0.20.0 h1:cc=\ngolang.org/x/sys v0.20.0/go.mod h1:dd=\n";

const WORKFLOW: &str = "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/setup-python@0123456789abcdef0123456789abcdef01234567\n";

/// Every kind of component at once: requirements with hashes and ranges, pyproject +
/// uv.lock, a Cargo workspace + Cargo.lock, package.json + package-lock.json (with a
/// nested second copy of a package, a peer and an alias), go.mod +
/// go.sum, a Dockerfile, vendored code with a license and a version, a submodule, and
/// workflows using actions.
fn polyglot() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("requirements.txt", REQUIREMENTS)
        .write("pyproject.toml", PYPROJECT)
        .write("uv.lock", UV_LOCK)
        .write("rust/Cargo.toml", CARGO_ROOT)
        .write("rust/crates/app/Cargo.toml", CARGO_APP)
        .write("rust/crates/app/src/lib.rs", "pub fn f() {}\n")
        .write("rust/Cargo.lock", CARGO_LOCK)
        .write("web/package.json", PACKAGE_JSON)
        .write("web/package-lock.json", PACKAGE_LOCK)
        .write("tool/go.mod", GO_MOD)
        .write("tool/go.sum", GO_SUM)
        .write("docker/Dockerfile", "FROM python:3.12-slim\nRUN true\n")
        .write("third_party/x/LICENSE", MIT)
        .write("third_party/x/VERSION", "1.4.2\n")
        .write("third_party/x/x.c", "int x(void) { return 1; }\n")
        .write(".github/workflows/ci.yml", WORKFLOW)
        .commit("polyglot");
    let head = repo.git(&["rev-parse", "HEAD"]);
    repo.write(
        ".gitmodules",
        "[submodule \"fmt\"]\n\tpath = third_party/fmt\n\turl = https://github.com/fmtlib/fmt.git\n",
    );
    let info = format!("160000,{},third_party/fmt", head.trim());
    repo.git(&["update-index", "--add", "--cacheinfo", &info]);
    repo.git(&["add", ".gitmodules"]);
    repo.git(&["commit", "-q", "-m", "submodule"]);
    repo
}

fn find<'a>(bom: &'a Value, bom_ref: &str) -> &'a Value {
    bom["components"]
        .as_array()
        .expect("components")
        .iter()
        .find(|c| c["bom-ref"] == bom_ref)
        .unwrap_or_else(|| panic!("no component {bom_ref} among {:?}", bom_refs(bom)))
}

/// The `dependsOn` list of `bom_ref`, empty when the graph has no entry for it.
fn depends_on(bom: &Value, bom_ref: &str) -> Vec<String> {
    let edges = bom["dependencies"].as_array().expect("dependencies");
    let edge = edges.iter().find(|d| d["ref"] == bom_ref);
    edge.and_then(|e| e["dependsOn"].as_array())
        .map(|on| on.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default()
}

/// `purl version scope` of a component, what a consumer of the BOM reads first.
fn summary(bom: &Value, bom_ref: &str) -> String {
    let component = find(bom, bom_ref);
    format!(
        "{} {} {}",
        component["purl"].as_str().unwrap_or("-"),
        component["version"].as_str().unwrap_or("-"),
        component["scope"].as_str().unwrap_or("-")
    )
}

#[test]
fn a_polyglot_repository_has_every_ecosystem_in_a_valid_bom() {
    let repo = polyglot();
    let text = sbom(repo.path(), &[]);
    let file = repo.parent().join("polyglot.cdx.json");
    std::fs::write(&file, &text).expect("write BOM");
    validate(&file);
    let bom: Value = serde_json::from_str(&text).expect("JSON");
    let expected = [
        ("pypi/requests@>=2.31,<3", "pkg:pypi/requests - required"),
        ("pypi/flask@3.0.0", "pkg:pypi/flask@3.0.0 3.0.0 required"),
        ("pypi/timm@1.0.7", "pkg:pypi/timm@1.0.7 1.0.7 required"),
        ("pypi/numpy@1.26.4", "pkg:pypi/numpy@1.26.4 1.26.4 required"),
        ("pypi/idna@2.10", "pkg:pypi/idna@2.10 2.10 required"),
        ("pypi/idna@3.7", "pkg:pypi/idna@3.7 3.7 required"),
        ("pypi/pytest@8.0.0", "pkg:pypi/pytest@8.0.0 8.0.0 excluded"),
        ("pypi/iniconfig@2.0.0", "pkg:pypi/iniconfig@2.0.0 2.0.0 -"),
        ("cargo/bitflags@2.4.0", "pkg:cargo/bitflags@2.4.0 2.4.0 required"),
        ("cargo/bitflags@1.3.2", "pkg:cargo/bitflags@1.3.2 1.3.2 -"),
        ("cargo/serde@1.0.200", "pkg:cargo/serde@1.0.200 1.0.200 required"),
        ("npm/@types/node@20.1.0", "pkg:npm/%40types/node@20.1.0 20.1.0 required"),
        ("npm/typescript@5.4.5", "pkg:npm/typescript@5.4.5 5.4.5 excluded"),
        ("npm/undici-types@5.26.5", "pkg:npm/undici-types@5.26.5 5.26.5 -"),
        ("npm/ts-old@4.9.5", "pkg:npm/typescript@4.9.5 4.9.5 excluded"),
        (
            "golang/github.com/BurntSushi/toml@v1.3.2",
            "pkg:golang/github.com/BurntSushi/toml@v1.3.2 v1.3.2 required",
        ),
        (
            "docker/python@3.12-slim",
            "pkg:docker/python@3.12-slim 3.12-slim required",
        ),
        ("vendored/third_party/x", "pkg:generic/x@1.4.2 1.4.2 -"),
        (
            "github-actions/actions/checkout@v4",
            "pkg:github/actions/checkout@v4 v4 excluded",
        ),
    ];
    for (bom_ref, line) in expected {
        assert_eq!(summary(&bom, bom_ref), line, "{bom_ref}");
    }
    assert_eq!(
        find(&bom, "vendored/third_party/x")["licenses"],
        serde_json::json!([{"license": {"id": "MIT"}}])
    );
    let head = repo.git(&["rev-parse", "HEAD~1"]);
    assert_eq!(find(&bom, "submodule/third_party/fmt")["version"], head.trim());
    assert!(!text.contains("%2C"), "no joined versions in a purl");
    assert_eq!(
        find(&bom, "npm/ts-old@4.9.5")["name"],
        "typescript",
        "an alias is its package"
    );
    assert!(
        bom_refs(&bom).iter().all(|r| !r.starts_with("pypi/demo")),
        "the project in its own uv.lock is the repository"
    );
}

#[test]
fn lockfile_relationships_reach_packages_no_manifest_declares() {
    let repo = polyglot();
    let bom: Value = serde_json::from_str(&sbom(repo.path(), &[])).expect("JSON");
    assert_eq!(depends_on(&bom, "pypi/pytest@8.0.0"), ["pypi/iniconfig@2.0.0"]);
    assert_eq!(depends_on(&bom, "cargo/serde@1.0.200"), ["cargo/serde_derive@1.0.200"]);
    assert_eq!(depends_on(&bom, "cargo/old@0.1.0"), ["cargo/bitflags@1.3.2"]);
    // Two undici-types: each dependent gets the copy Node would load (the nearest
    // node_modules up its folder), and an installed peer is an edge, a missing one not.
    assert_eq!(depends_on(&bom, "npm/@types/node@20.1.0"), ["npm/undici-types@5.26.5"]);
    assert_eq!(
        depends_on(&bom, "npm/left-pad@1.3.0"),
        [
            "npm/@types/node@20.1.0",
            "npm/typescript@4.0.0",
            "npm/undici-types@6.0.0"
        ]
    );
    // package.json's typescript is the copy in web/node_modules, not left-pad's own.
    assert!(find(&bom, "npm/typescript@4.0.0").get("scope").is_none());
    let direct = depends_on(&bom, "repository");
    for declared in [
        "cargo/bitflags@2.4.0",
        "pypi/numpy@1.26.4",
        "npm/left-pad@1.3.0",
        "submodule/third_party/fmt",
    ] {
        assert!(direct.contains(&declared.to_string()), "{declared} in {direct:?}");
    }
    for transitive in [
        "cargo/bitflags@1.3.2",
        "pypi/iniconfig@2.0.0",
        "npm/undici-types@5.26.5",
        "npm/typescript@4.0.0",
    ] {
        assert!(!direct.contains(&transitive.to_string()), "{transitive} is not direct");
    }
}

#[test]
fn a_polyglot_bom_is_deterministic_and_the_same_at_the_revision() {
    let repo = polyglot();
    let first = sbom(repo.path(), &[]);
    assert_eq!(first, sbom(repo.path(), &[]), "two runs, byte-identical");
    assert_eq!(first, sbom(repo.path(), &["--rev", "HEAD"]), "work tree = --rev HEAD");
}
