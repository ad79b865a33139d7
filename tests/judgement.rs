//! The judgement from the real binary: scores that add up and say when they cannot be
//! assessed, top issues ranked across areas with the seed's five parts, a plan whose items
//! respect the documented order between rules, and the sections of audit.md that show them.

mod common;

use common::{audit_json, report, TestRepo};
use serde_json::Value;

/// A Python package with an eager import cycle and a test, one workflow that runs the
/// tests with a branch-pinned action, a tag-pinned one and no timeout, and no Dependabot.
fn repository() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("app/__init__.py", "")
        .write("app/a.py", "from app import b\n\n\ndef f():\n    return b.g()\n")
        .write("app/b.py", "from app import a\n\n\ndef g():\n    return 1\n")
        .write("tests/test_a.py", "from app import a\n\n\ndef test_f():\n    assert a.f() == 1\n")
        .write(
            ".github/workflows/ci.yml",
            "on: push\npermissions:\n  contents: read\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n      - uses: someone/setup@main\n      - run: pytest\n",
        )
        .commit("fixture");
    repo
}

fn issues(audit: &Value) -> Vec<String> {
    audit["top_issues"]
        .as_array()
        .expect("top_issues")
        .iter()
        .map(|i| {
            format!(
                "{} {} {}",
                i["rank"],
                i["rule"].as_str().unwrap_or(""),
                i["priority"].as_str().unwrap_or("")
            )
        })
        .collect()
}

#[test]
fn scores_list_every_input_and_add_up() {
    let repo = repository();
    let audit = audit_json(repo.path(), &[]);
    let scores = &audit["scores"];
    assert_eq!(scores["rubric_version"], "1");
    for area in ["arch", "tests", "ci", "security", "overall"] {
        assert_eq!(scores[area]["assessable"], true, "{area}: {}", scores[area]);
    }
    let security: Vec<&str> = scores["security"]["deductions"]
        .as_array()
        .expect("deductions")
        .iter()
        .map(|d| d["rule"].as_str().unwrap_or(""))
        .collect();
    assert!(security.contains(&"unpinned-uses"), "{security:?}");
    assert!(security.contains(&"no-dependency-updates"), "{security:?}");
    // The branch pin is high: 1–9 findings, level 1, at weight 0.5.
    let unpinned = &scores["security"]["deductions"]
        .as_array()
        .expect("deductions")
        .iter()
        .find(|d| d["rule"] == "unpinned-uses")
        .expect("unpinned-uses deduction")
        .clone();
    assert_eq!(unpinned["observed"], 2);
    assert_eq!(unpinned["points"], 0.5);
    let cycle = scores["arch"]["deductions"]
        .as_array()
        .expect("deductions")
        .iter()
        .find(|d| d["input"] == "modules in eager import cycles")
        .expect("cycle input")
        .clone();
    assert_eq!(cycle["observed"], 2);
    assert_eq!(cycle["points"], 0.5);
}

#[test]
fn a_folder_without_code_tests_or_workflows_is_not_assessable_but_for_security() {
    let repo = TestRepo::plain();
    repo.write("README.md", "# Notes\n")
        .write("SECURITY.md", "Report vulnerabilities to security@example.com.\n");
    let audit = audit_json(repo.path(), &[]);
    let scores = &audit["scores"];
    for area in ["arch", "tests", "ci"] {
        assert_eq!(scores[area]["assessable"], false, "{area}");
        assert!(scores[area]["value"].is_null(), "{area}");
    }
    assert_eq!(scores["security"]["value"], 10.0);
    assert_eq!(scores["overall"]["value"], 10.0);
    assert_eq!(scores["overall"]["formula"], "(10.0) / 1 = 10.0, rounded to a tenth");
    let md = report(repo.path(), "md", &[]);
    assert!(md.contains("### Arch: not assessable"), "{md}");
    assert!(md.contains("Not assessable: no import graph"), "{md}");
    assert!(md.contains("Not assessable: no test files found"), "{md}");
    assert!(md.contains("Not assessable: no GitHub Actions workflows"), "{md}");
}

#[test]
fn top_issues_rank_by_severity_blast_radius_and_breadth() {
    let repo = repository();
    let audit = audit_json(repo.path(), &[]);
    let ranked = issues(&audit);
    // The branch pin is high severity; the tag pin in the same rule raises its count.
    assert_eq!(
        ranked.first().map(String::as_str),
        Some("1 unpinned-uses P1"),
        "{ranked:?}"
    );
    let first = &audit["top_issues"][0];
    let inputs = &first["rank_inputs"];
    assert_eq!(
        inputs["rank"].as_u64(),
        Some(
            inputs["severity_weight"].as_u64().unwrap()
                * inputs["blast_weight"].as_u64().unwrap()
                * inputs["breadth"].as_u64().unwrap()
        )
    );
    // Worst evidence first: the branch pin (high) before the tag pin (medium).
    assert_eq!(first["evidence"][0]["location"]["line"], 11);
    assert_eq!(first["evidence"][0]["severity"], "high");
    for part in [
        "observation",
        "interpretation",
        "recommendation",
        "guardrail",
        "rollback",
    ] {
        assert!(!first[part].as_str().expect(part).is_empty(), "{part}");
    }
}

#[test]
fn the_plan_pins_actions_before_enabling_updates_for_them() {
    let repo = repository();
    let audit = audit_json(repo.path(), &[]);
    let items = audit["plan"]["items"].as_array().expect("items");
    let position = |rule: &str| items.iter().position(|i| i["rule"] == rule);
    let pin = position("unpinned-uses").expect("a pin item");
    let updates = position("no-dependency-updates").expect("an updates item");
    assert!(pin < updates, "{items:?}");
    assert_eq!(items[updates]["blockers"][0]["item"], items[pin]["id"]);
    assert_eq!(
        items[updates]["blockers"][0]["reason"],
        "pin actions before enabling updates for them"
    );
    // The last item of a rule restores what its findings cost.
    assert_eq!(items[pin]["restores"][0]["score"], "security");
    assert_eq!(items[pin]["restores"][0]["points"], 0.5);
    assert!(!audit["plan"]["first_milestone"].as_array().expect("ids").is_empty());
}

#[test]
fn the_pack_fills_the_judged_sections() {
    let repo = repository();
    let md = report(repo.path(), "md", &[]);
    for heading in [
        "### Wins",
        "### Top Risks",
        "### One Next Action",
        "## 8. Top Issues",
        "## 9. PR-Sized Action Plan",
        "## 11. Score Trend",
    ] {
        let section = md.split(heading).nth(1).unwrap_or_else(|| panic!("{heading} missing"));
        let body = section.split("\n#").next().unwrap_or_default();
        assert!(!body.contains("Not audited by this version"), "{heading}: {body}");
    }
    assert!(md.contains("**Verdict:** "), "{md}");
    assert!(!md.contains("not scored by this version"), "{md}");
    assert!(md.contains("**Recommended First Milestone**"), "{md}");
    // Section 5: the test that imports `app` is counted for its surface.
    assert!(md.contains("| app | low | 1 | ✅ imported by tests |"), "{md}");
    let sarif: Value = serde_json::from_str(&report(repo.path(), "sarif", &[])).expect("SARIF is JSON");
    assert_eq!(sarif["runs"][0]["properties"]["rubricVersion"], "1");
}
