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
    let text = std::fs::read_to_string(repo.path().join("docs/audit/audit.json")).expect("audit.json");
    let audit: Value = serde_json::from_str(&text).expect("audit.json");
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
