//! Issue 19, package granularity, end to end: the unit "package" sits where the code
//! divides, the surfaces and the layering follow it, and `plumb.toml` overrides it.

mod common;

use common::{audit_json, plumb, report, TestRepo};
use serde_json::Value;

/// A single-package library in a src layout: its sub-packages import each other both
/// ways, which a first-segment rule (one package, `src`) could never show.
const LIBRARY: &[(&str, &str)] = &[
    ("pyproject.toml", "[project]\nname = \"mylib\"\n"),
    ("src/mylib/__init__.py", "from mylib import models\n"),
    ("src/mylib/models/__init__.py", ""),
    (
        "src/mylib/models/unet.py",
        "from mylib.utils import log\n\n\nclass UNet:\n    pass\n",
    ),
    ("src/mylib/pipelines/__init__.py", ""),
    (
        "src/mylib/pipelines/run.py",
        "from mylib.models.unet import UNet\nfrom mylib.utils import log\n\n\ndef run():\n    return UNet()\n",
    ),
    (
        "src/mylib/utils.py",
        "from mylib.pipelines import run\n\n\ndef log(x):\n    print(x)\n",
    ),
    ("tests/test_unet.py", "from mylib.models.unet import UNet\n"),
];

fn library() -> TestRepo {
    let repo = TestRepo::new();
    for (path, text) in LIBRARY {
        repo.write(path, text);
    }
    repo
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

fn names(list: &Value, key: &str) -> Vec<String> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|item| text(&item[key]).to_string())
        .collect()
}

fn config_findings(audit: &Value) -> Vec<String> {
    audit["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| text(&f["rule"]).starts_with("config-"))
        .map(|f| format!("{} {}", text(&f["rule"]), text(&f["message"])))
        .collect()
}

#[test]
fn a_single_package_library_is_divided_into_its_sub_packages() {
    let repo = library();
    repo.commit("fixture");
    let audit = audit_json(repo.path(), &[]);
    let measures = &audit["architecture"]["measures"];
    assert_eq!(
        names(&measures["packages"], "name"),
        ["src/mylib", "src/mylib/models", "src/mylib/pipelines", "tests"]
    );
    let rule = &audit["surfaces"]["package_rule"];
    assert_eq!(rule["source"], "inferred");
    assert_eq!(rule["roots"], serde_json::json!(["src", "src/mylib"]));
    // The surfaces are the packages holding source code.
    assert_eq!(
        names(&audit["surfaces"]["surfaces"], "name"),
        ["src/mylib", "src/mylib/models", "src/mylib/pipelines"]
    );
    // `utils` imports `pipelines`, which imports `utils` back: a package cycle that the
    // single package `src` hid.
    let cycles = &measures["layering"]["package_cycles"];
    assert!(
        cycles.as_array().expect("cycles").iter().any(|c| c
            .as_array()
            .expect("a cycle")
            .iter()
            .any(|p| p == "src/mylib/pipelines")),
        "{cycles}"
    );
    assert!(measures["layering"]["against_count"].as_u64() > Some(0));
    let md = report(repo.path(), "md", &[]);
    assert!(
        md.contains("- **Packages** (inferred): `src` holds 100.0% of the source code lines of the repository; `src/mylib` holds 100.0% of the source code lines of `src`; `src/mylib` is a Python top-level package: its subdirectories are packages."),
        "{md}"
    );
}

/// `package_depth = 1` brings back the first path segment: one package `src`.
#[test]
fn a_declared_package_depth_wins_over_the_inference() {
    let repo = library();
    repo.write("plumb.toml", "package_depth = 1\n").commit("fixture");
    let audit = audit_json(repo.path(), &[]);
    assert_eq!(audit["surfaces"]["package_rule"]["source"], "declared");
    assert_eq!(
        names(&audit["architecture"]["measures"]["packages"], "name"),
        ["src", "tests"]
    );
    assert!(config_findings(&audit).is_empty(), "{:?}", config_findings(&audit));
}

#[test]
fn declared_package_roots_name_the_packages() {
    let repo = library();
    repo.write("plumb.toml", "package_roots = [\"src/mylib/\"]\n")
        .commit("fixture");
    let audit = audit_json(repo.path(), &[]);
    assert_eq!(
        audit["surfaces"]["package_rule"]["roots"],
        serde_json::json!(["src/mylib"])
    );
    assert_eq!(
        names(&audit["architecture"]["measures"]["packages"], "name"),
        ["src/mylib", "src/mylib/models", "src/mylib/pipelines", "tests"]
    );
}

/// Bad settings are findings at their line and are ignored; a depth beyond the tree is
/// valid and gives every directory its own package.
#[test]
fn bad_package_settings_are_findings_and_a_deep_depth_is_no_error() {
    let repo = library();
    repo.write(
        "plumb.toml",
        "package_depth = 0\npackage_roots = [\"../up\", \"/abs\", \"src/nothing\", \"src/mylib\", \"src/mylib\"]\n",
    )
    .commit("fixture");
    let audit = audit_json(repo.path(), &[]);
    assert_eq!(
        config_findings(&audit),
        [
            "config-invalid `package_depth` is 0: it must be 1 or more",
            "config-invalid package root `../up` is not a relative directory path such as `src/mylib`",
            "config-invalid package root `/abs` is not a relative directory path such as `src/mylib`",
            "config-invalid package root `src/nothing` holds no tracked file",
            "config-invalid package root `src/mylib` is listed twice",
        ]
    );
    repo.write("plumb.toml", "package_depth = 40\n").commit("deep");
    let audit = audit_json(repo.path(), &[]);
    assert_eq!(
        names(&audit["architecture"]["measures"]["packages"], "name"),
        ["src/mylib", "src/mylib/models", "src/mylib/pipelines", "tests"]
    );
}

/// `plumb init` writes the inferred roots, commented, with the steps that chose them;
/// uncommented they give the same packages, now declared.
#[test]
fn init_writes_the_package_roots_to_fix_them() {
    let repo = library();
    repo.commit("fixture");
    let before = audit_json(repo.path(), &[]);
    let output = plumb().arg("init").arg(repo.path()).output().expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let path = repo.path().join("plumb.toml");
    let written = std::fs::read_to_string(&path).expect("plumb.toml written");
    for expected in [
        "# - `src/mylib` is a Python top-level package: its subdirectories are packages\n",
        "# package_roots = [\"src\", \"src/mylib\"]\n# package_depth = 1\n",
    ] {
        assert!(written.contains(expected), "missing {expected:?} in\n{written}");
    }
    std::fs::write(&path, written.replace("# package_roots", "package_roots")).expect("edit");
    let after = audit_json(repo.path(), &[]);
    assert!(config_findings(&after).is_empty(), "{:?}", config_findings(&after));
    assert_eq!(after["surfaces"]["package_rule"]["source"], "declared");
    let packages = |audit: &Value| names(&audit["architecture"]["measures"]["packages"], "name");
    assert_eq!(packages(&after), packages(&before));
}

/// A Go module: package directories and files aggregate alike below `pkg/`, which holds
/// most of the code.
#[test]
fn a_go_module_is_divided_into_its_package_directories() {
    let repo = TestRepo::new();
    repo.write("go.mod", "module example.com/m\n\ngo 1.22\n")
        .write(
            "cmd/app/main.go",
            "package main\n\nimport \"example.com/m/pkg/api\"\n\nfunc main() { api.Serve() }\n",
        )
        .write(
            "pkg/api/api.go",
            "package api\n\nimport \"example.com/m/pkg/store\"\n\nfunc Serve() {\n\tstore.Open()\n\tstore.Open()\n\tstore.Open()\n}\n",
        )
        .write(
            "pkg/store/store.go",
            "package store\n\nfunc Open() {\n\tprintln(1)\n\tprintln(2)\n\tprintln(3)\n\tprintln(4)\n}\n",
        )
        .commit("fixture");
    let audit = audit_json(repo.path(), &[]);
    assert_eq!(audit["surfaces"]["package_rule"]["roots"], serde_json::json!(["pkg"]));
    let modules: Vec<String> = audit["architecture"]["modules"]
        .as_array()
        .expect("modules")
        .iter()
        .map(|m| format!("{} {}", text(&m["path"]), text(&m["package"])))
        .collect();
    assert_eq!(
        modules,
        [
            "cmd/app/main.go cmd",
            "pkg/api pkg/api",
            "pkg/api/api.go pkg/api",
            "pkg/store pkg/store",
        ]
    );
}
