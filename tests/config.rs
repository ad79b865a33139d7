//! `plumb.toml`, `plumb init` and `--format dot` on fixture repositories: what a user
//! sees when the config is right, when it is wrong (a finding at the line), and absent.

mod common;

use common::{audit_json, plumb, TestRepo};
use serde_json::Value;

/// Sources in three top-level directories, plus docs that hold no source file.
fn project() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("core/engine.py", "def run():\n    return 1\n")
        .write("core/_impl.py", "X = 1\nY = 2\n")
        .write("api/server.py", "from core import engine\n\n\ndef serve():\n    pass\n")
        .write("tools/gen.py", "print('gen')\n")
        .write("docs/guide.md", "# Guide\n");
    repo
}

/// The `config-*` findings as `rule line:column message`.
fn config_findings(audit: &Value) -> Vec<String> {
    audit["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"].as_str().is_some_and(|r| r.starts_with("config-")))
        .map(|f| {
            format!(
                "{} {}:{} {}",
                f["rule"].as_str().unwrap_or_default(),
                f["location"]["line"],
                f["location"]["column"],
                f["message"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

/// Surfaces as `name files code [languages] radius`.
fn surfaces(audit: &Value) -> Vec<String> {
    audit["surfaces"]["surfaces"]
        .as_array()
        .expect("surfaces")
        .iter()
        .map(|s| {
            format!(
                "{} {} {} {} {}",
                s["name"].as_str().unwrap_or_default(),
                s["files"],
                s["code_lines"],
                s["languages"],
                s["blast_radius"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

#[test]
fn without_config_one_surface_per_top_level_directory_with_source() {
    let repo = project();
    repo.commit("init");
    let audit = audit_json(repo.path(), &[]);
    assert_eq!(audit["surfaces"]["source"], "derived");
    assert_eq!(
        surfaces(&audit),
        [
            "api 1 3 [\"Python\"] low",
            "core 2 4 [\"Python\"] critical",
            "tools 1 1 [\"Python\"] low"
        ]
    );
}

#[test]
fn declared_surfaces_take_each_file_once_in_declaration_order() {
    let repo = project();
    repo.write(
        "plumb.toml",
        "[[surface]]\nname = \"internals\"\npaths = [\"core/_*.py\"]\nblast_radius = \"critical\"\n\n[[surface]]\nname = \"python\"\npaths = [\"**/*.py\"]\ndescription = \"all the rest\"\n",
    )
    .commit("init");
    let audit = audit_json(repo.path(), &[]);
    assert_eq!(audit["surfaces"]["source"], "declared");
    assert_eq!(
        surfaces(&audit),
        ["internals 1 2 [\"Python\"] critical", "python 3 6 [\"Python\"] low"]
    );
    assert!(config_findings(&audit).is_empty(), "{:?}", config_findings(&audit));
    let md = common::report(repo.path(), "md", &[]);
    assert!(md.contains("| **python** (`**/*.py`) — all the rest | 3 | 6 |"), "{md}");
    assert!(md.contains("🔴 **CRITICAL** (declared)"), "{md}");
}

#[test]
fn config_mistakes_are_findings_at_their_line_and_the_rest_is_used() {
    let repo = project();
    let config = "\
# surfaces
[[surface]]
name = \"core\"
paths = [\"core/**\", \"old_core/**\", \"core/[oops\"]
blast_radius = \"enormous\"

[[surface]]
name = \"core\"
paths = [\"api/**\"]

[[surface]]
name = \"empty\"

[layers]
order = [\"api\", \"api\"]
";
    repo.write("plumb.toml", config).commit("init");
    let audit = audit_json(repo.path(), &[]);
    assert_eq!(
        config_findings(&audit),
        [
            "config-glob-matches-nothing 4:21 surface `core`: glob `old_core/**` matches no tracked file",
            "config-bad-glob 4:36 surface `core`: glob `core/[oops` does not parse: unclosed character class; missing ']'",
            "config-invalid 5:16 surface `core`: blast radius `enormous` is not critical, high, medium or low",
            "config-invalid 8:8 surface `core` is declared twice",
            "config-invalid 12:8 surface `empty` has no `paths`",
            "config-invalid 15:17 layer `api` is listed twice",
        ]
    );
    assert_eq!(surfaces(&audit), ["core 2 4 [\"Python\"] low"]);
}

#[test]
fn every_mistake_is_a_finding_at_its_line_and_broken_toml_derives_the_surfaces() {
    for (config, expected, source) in [
        (
            "[[surface]]\nname = \"a\"\npath = [\"core/**\"]\n",
            &[
                "config-invalid 2:8 surface `a` has no `paths`",
                "config-invalid 3:1 unknown field `path`, expected one of `name`, `paths`, `description`, `blast_radius`",
            ][..],
            "derived",
        ),
        (
            "[[surface]\nname = 1\nx = = 2\n[layers\n",
            &[
                "config-invalid 1:11 unclosed array table, expected `]`",
                "config-invalid 3:5 extra `=`, expected nothing",
                "config-invalid 3:7 unexpected key or value, expected newline, `#`",
                "config-invalid 4:8 unclosed table, expected `]`",
            ][..],
            "derived",
        ),
        (
            "top = 1\n[[surface]]\nname = 1\npaths = [\"core/**\"]\n\n[[surface]]\nname = \"core\"\npaths = [\"core/**\", 2]\nblast_radius = 3\n\n[layers]\norder = [\"nowhere\"]\n",
            &[
                "config-invalid 1:1 unknown field `top`, expected one of `surface`, `layers`, `package_depth`, `package_roots`, `check`, `guardrail`",
                "config-invalid 3:8 `name` must be a string, not an integer",
                "config-invalid 8:21 surface `core`: a glob must be a string, not an integer",
                "config-invalid 9:16 surface `core`: `blast_radius` must be a string, not an integer",
                "config-unknown-layer 12:10 layer `nowhere` names no package of the import graph",
            ][..],
            "declared",
        ),
        (
            "[check]\nmin_score = 11\nother = 1\n",
            &[
                "config-invalid 2:13 `min_score` must be a number from 0 to 10",
                "config-invalid 3:1 unknown field `other`, expected one of `min_score`",
            ][..],
            "derived",
        ),
    ] {
        let repo = project();
        repo.write("plumb.toml", config).commit("init");
        let audit = audit_json(repo.path(), &[]);
        assert_eq!(config_findings(&audit), expected, "{config}");
        assert_eq!(audit["surfaces"]["source"], source);
    }
}

#[test]
fn a_config_asking_for_more_than_plumb_reads_is_a_finding_at_the_first_entry_left_out() {
    let globs: Vec<String> = (0..1_005).map(|i| format!("\"core/{i}/**\"")).collect();
    let layers: Vec<String> = (0..105).map(|i| format!("\"l{i}\"")).collect();
    let mut config = format!("[layers]\norder = [{}]\n", layers.join(", "));
    config += &format!(
        "[[surface]]\nname = \"core\"\npaths = [\"core/**\", {}]\n",
        globs.join(",\n")
    );
    for i in 1..102 {
        config += &format!("[[surface]]\nname = \"s{i}\"\npaths = [\"s{i}/**\"]\n");
    }
    let repo = project();
    repo.write("plumb.toml", &config).commit("init");
    let audit = audit_json(repo.path(), &[]);
    let findings = config_findings(&audit);
    let invalid: Vec<&String> = findings.iter().filter(|f| f.starts_with("config-invalid")).collect();
    assert_eq!(
        invalid,
        [
            "config-invalid 2:700 plumb reads at most 100 layers: this one and the 4 after it are ignored",
            "config-invalid 1004:1 plumb reads at most 1,000 globs: this one and the 104 after it are ignored",
            "config-invalid 1307:1 plumb reads at most 100 surfaces: this one and the 1 after it are ignored",
        ]
    );
    assert_eq!(audit["surfaces"]["surfaces"].as_array().map(Vec::len), Some(100));
}

#[test]
fn init_writes_a_starter_that_audits_cleanly_and_refuses_to_overwrite() {
    let repo = project();
    repo.commit("init");
    let output = plumb().arg("init").arg(repo.path()).output().expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let written = std::fs::read_to_string(repo.path().join("plumb.toml")).expect("plumb.toml written");
    assert!(
        written.contains("[[surface]]\nname = \"core\"\npaths = [\"core/**\"]\n"),
        "{written}"
    );
    assert!(
        written.contains("# blast_radius = \"critical\"  # computed:"),
        "{written}"
    );

    let audit = audit_json(repo.path(), &[]);
    assert_eq!(audit["surfaces"]["source"], "declared");
    assert!(config_findings(&audit).is_empty(), "{:?}", config_findings(&audit));
    assert_eq!(
        surfaces(&audit),
        [
            "api 1 3 [\"Python\"] low",
            "core 2 4 [\"Python\"] critical",
            "tools 1 1 [\"Python\"] low"
        ]
    );

    std::fs::write(repo.path().join("plumb.toml"), "# mine\n").expect("write");
    let again = plumb().arg("init").arg(repo.path()).output().expect("runs");
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already: pass --force"));
    assert_eq!(
        std::fs::read_to_string(repo.path().join("plumb.toml")).expect("kept"),
        "# mine\n"
    );

    let forced = plumb()
        .args(["init", "--force"])
        .arg(repo.path())
        .output()
        .expect("runs");
    assert!(forced.status.success());
    assert!(std::fs::read_to_string(repo.path().join("plumb.toml"))
        .expect("replaced")
        .contains("[[surface]]"));
}

#[test]
fn dot_format_is_written_and_printed() {
    let repo = project();
    repo.commit("init");
    let out = repo.parent().join("pack");
    let output = plumb()
        .args(["audit", "--quiet", "--format", "dot,md", "--out"])
        .arg(&out)
        .arg(repo.path())
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let written = std::fs::read_to_string(out.join("graph.dot")).expect("graph.dot");
    assert!(written.starts_with("digraph packages {\n"), "{written}");
    assert_eq!(written, common::report(repo.path(), "dot", &[]));
}

#[test]
fn a_plumb_toml_that_is_not_utf8_is_a_scan_note_and_surfaces_are_derived() {
    let repo = project();
    repo.write("plumb.toml", b"[[surface]]\nname = \"\xff\xfe\"\n")
        .commit("init");
    let audit = audit_json(repo.path(), &[]);
    assert!(
        common::notes(&audit).contains(&"non-utf8 plumb.toml".to_string()),
        "{:?}",
        common::notes(&audit)
    );
    assert_eq!(audit["surfaces"]["source"], "derived");
    assert!(config_findings(&audit).is_empty());
}
