//! `audit.sarif` from the real binary: valid against the official OASIS SARIF 2.1.0 schema,
//! within what GitHub code scanning accepts, identical from run to run, and wired into
//! `--format`, `--stdout` and the own-outputs exclusion.
//!
//! Schema validation runs `tests/validate_sarif.py`, whose validator `.ci/run` installs
//! (`bash .ci/install-sarif-validator`); without it these tests fail and say so. The sample
//! audit's SARIF, which has rules, snippets and a suppression, is validated by the unit
//! tests in `src/render/sarif.rs`.

mod common;

use std::path::Path;

use common::{plumb, TestRepo};
use serde_json::Value;

/// A small repository; today's analyzers report no findings on it, so its SARIF has an
/// empty `results` (a real upload case too: "nothing found").
fn fixture() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("README.md", "# Fixture\n")
        .write("src/app.py", "import os\n\n\ndef main():\n    return os.getcwd()\n")
        .write(
            "tests/test_app.py",
            "from src.app import main\n\n\ndef test_main():\n    assert main()\n",
        )
        .write("dir with space/ünïcode.rs", "fn main() {}\n")
        .write(
            ".github/workflows/ci.yml",
            "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n",
        )
        .commit("initial import");
    repo
}

fn sarif_stdout(repo: &TestRepo, extra: &[&str]) -> String {
    common::report(repo.path(), "sarif", extra)
}

/// Validates `file` with `tests/validate_sarif.py` against the official schema.
fn validate(file: &Path) {
    common::validate("validate_sarif.py", file);
}

/// What GitHub code scanning checks beyond the schema, as its documentation lists it
/// ("SARIF support for code scanning": limits, and the properties it requires).
fn assert_github_accepts(text: &str) {
    // The upload limit is 10 MB gzip-compressed; staying under 10 MB uncompressed is stricter.
    assert!(text.len() < 10_000_000, "SARIF is {} bytes", text.len());
    let sarif: Value = serde_json::from_str(text).expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
    let runs = sarif["runs"].as_array().expect("runs");
    assert!(!runs.is_empty() && runs.len() <= 20, "{} runs", runs.len());
    for run in runs {
        let driver = &run["tool"]["driver"];
        assert!(
            driver["name"].as_str().is_some_and(|n| !n.is_empty()),
            "tool.driver.name"
        );
        let rules = driver["rules"].as_array().expect("tool.driver.rules");
        assert!(rules.len() <= 25_000, "{} rules", rules.len());
        let results = run["results"].as_array().expect("results, even when empty");
        assert!(results.len() <= 25_000, "{} results", results.len());
        for rule in rules {
            let tags = rule["properties"]["tags"].as_array().map_or(0, Vec::len);
            assert!(tags <= 20, "{tags} tags on {rule}");
        }
        for result in results {
            let rule_id = result["ruleId"].as_str().expect("ruleId");
            if let Some(index) = result["ruleIndex"].as_u64() {
                assert_eq!(rules[index as usize]["id"], rule_id, "ruleIndex of {result}");
            }
            assert!(result["message"]["text"].as_str().is_some_and(|t| !t.is_empty()));
            let locations = result["locations"].as_array().expect("locations");
            assert!(!locations.is_empty() && locations.len() <= 1_000);
            for location in locations {
                let artifact = &location["physicalLocation"]["artifactLocation"];
                let uri = artifact["uri"].as_str().expect("uri");
                assert!(!uri.starts_with('/') && !uri.contains("://"), "{uri} is not relative");
                assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
                assert!(location["physicalLocation"]["region"]["startLine"].as_u64() >= Some(1));
            }
            assert!(result["partialFingerprints"]["plumb/v1"].is_string());
        }
    }
}

#[test]
fn binary_output_is_valid_sarif_that_github_accepts() {
    let repo = fixture();
    let text = sarif_stdout(&repo, &[]);
    let file = repo.parent().join("stdout.sarif");
    std::fs::write(&file, &text).expect("write SARIF");
    validate(&file);
    assert_github_accepts(&text);

    let sarif: Value = serde_json::from_str(&text).expect("JSON");
    let driver = &sarif["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "plumb");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let parent = repo.parent().to_string_lossy().into_owned();
    assert!(!text.contains(&parent), "no absolute path may appear:\n{text}");
}

#[test]
fn revision_output_is_valid_too() {
    let repo = fixture();
    let text = sarif_stdout(&repo, &["--rev", "HEAD"]);
    let file = repo.parent().join("rev.sarif");
    std::fs::write(&file, &text).expect("write SARIF");
    validate(&file);
    assert_eq!(text, sarif_stdout(&repo, &[]), "work tree and revision agree");
}

#[test]
fn output_is_byte_identical_across_runs() {
    let repo = fixture();
    assert_eq!(sarif_stdout(&repo, &[]), sarif_stdout(&repo, &[]));
}

#[test]
fn format_sarif_writes_audit_sarif_beside_the_pack() {
    let repo = fixture();
    let out = repo.parent().join("pack");
    let output = plumb()
        .args(["audit", "--quiet", "--format", "md,json,sarif", "--out"])
        .arg(&out)
        .arg(repo.path())
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .expect("pack dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["audit.json", "audit.md", "audit.sarif"]);
    let written = std::fs::read_to_string(out.join("audit.sarif")).expect("audit.sarif");
    assert_eq!(written, sarif_stdout(&repo, &[]), "the file and --stdout agree");
}

#[test]
fn an_earlier_audit_sarif_is_not_analysed() {
    let repo = fixture();
    common::audit_in_place(repo.path(), "sarif");
    // Even a run that does not write SARIF leaves the earlier audit.sarif alone.
    common::audit_in_place(repo.path(), "json");
    let audit = common::read_audit_json(&repo.path().join("docs/audit/audit.json"));
    let notes: Vec<String> = common::notes(&audit);
    assert!(
        notes.contains(&"plumb-output docs/audit/audit.sarif".to_string()),
        "{notes:?}"
    );
}
