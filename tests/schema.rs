//! `docs/audit.schema.json`, the contract of `audit.json`: every audit the tests read is
//! validated against it (`common::validate_audit_json`, called by `common::report` and
//! `common::audit_json`), and here it is shown strict enough that drift fails: a key it
//! does not list, a key missing, a value of another type or outside an enum, an edge of
//! another shape. The committed file is kept the model's by a unit test in
//! src/model/schema.rs (`UPDATE_SCHEMA=1 cargo test --lib committed_schema` rewrites it).

mod common;

use common::{audit_json, schema_errors, TestRepo};
use serde_json::{json, Value};

/// A repository that fills most of the model: Python packages importing each other in a
/// cycle, a lazy import under `TYPE_CHECKING`, `plumb.toml` surfaces and layers, a workflow
/// with findings, declared dependencies, vendored code with a license, a binary.
fn rich() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "app/__init__.py",
        "from typing import TYPE_CHECKING\n\nfrom core import engine\n\nif TYPE_CHECKING:\n    from app import views\n",
    )
    .write("app/views.py", "import app\n")
    .write("core/__init__.py", "")
    .write("core/engine.py", "from core import _private\nimport app\n")
    .write("core/_private.py", "X = 1\n")
    .write("tools/run.py", "from core import _private\n")
    .write("tests/test_engine.py", "from core import engine\n\n\ndef test_engine():\n    assert engine\n")
    .write("requirements.txt", "requests>=2.0\nnumpy==1.26.0\n")
    .write("pyproject.toml", "[project]\nname = \"rich\"\nrequires-python = \">=3.10\"\ndependencies = [\"click\"]\n")
    .write(
        "plumb.toml",
        "[[surface]]\nname = \"core\"\npaths = [\"core/**\"]\nblast_radius = \"high\"\n\n[[surface]]\nname = \"app\"\npaths = [\"app/**\"]\n\n[layers]\norder = [\"app\", \"core\"]\n",
    )
    .write(
        ".github/workflows/ci.yml",
        "on: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@main\n      - run: pytest\n",
    )
    .write("third_party/lib/lib.c", "int lib(void) { return 0; }\n")
    .write("third_party/lib/LICENSE", MIT)
    .write("bin/tool.so", b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0")
    .write("SECURITY.md", "Report issues privately.\n")
    .commit("initial import");
    repo
}

const MIT: &str = "MIT License\n\nPermission is hereby granted, free of charge, to any person obtaining a copy of this software and associated documentation files (the \"Software\"), to deal in the Software without restriction, including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all copies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.\n";

/// The work tree, a revision and a plain directory give different snapshots (status,
/// audited commit, no repository at all); each is valid.
#[test]
fn every_kind_of_snapshot_is_valid() {
    let repo = rich();
    repo.write("untracked.py", "print(1)\n")
        .write("core/engine.py", "import app\n");
    let worktree = audit_json(repo.path(), &[]);
    assert_eq!(worktree["snapshot"]["kind"], "work-tree");
    // The parts of the model that are empty in most fixtures are validated filled here.
    for filled in [
        "/repository/status/untracked/first/0",
        "/architecture/edges/0",
        "/architecture/measures/cycles/components/0/shortest/0",
        "/architecture/measures/layering/against/0",
        "/architecture/measures/encapsulation/examples/0",
        "/surfaces/config/layers/0",
        "/supply_chain/manifests/0/dependencies/0",
        "/supply_chain/vendored/0/license",
        "/supply_chain/binary_artifacts/0",
        "/ci/action_refs/0",
        "/findings/0",
    ] {
        assert!(
            worktree.pointer(filled).is_some_and(|value| !value.is_null()),
            "the fixture fills {filled}"
        );
    }
    assert_eq!(
        audit_json(repo.path(), &["--rev", "HEAD"])["snapshot"]["kind"],
        "revision"
    );
    let plain = TestRepo::plain();
    plain.write("main.py", "import os\n");
    assert!(audit_json(plain.path(), &[])["repository"].is_null());
}

/// What a consumer relies on: the version it dispatches on is the schema's.
#[test]
fn the_schema_is_for_the_version_plumb_writes() {
    let mut audit = audit_json(rich().path(), &[]);
    let version = audit["schema_version"].as_u64().expect("a number");
    audit["schema_version"] = json!(version + 1);
    let errors = schema_errors(&audit);
    assert!(
        errors.iter().any(|e| e.starts_with("/schema_version:")),
        "another version is refused: {errors:?}"
    );
}

/// Each edit is drift the schema must catch, at the path a reader would look.
#[test]
fn drift_from_the_model_is_refused() {
    let audit = audit_json(rich().path(), &[]);
    let refused = |edit: &dyn Fn(&mut Value)| -> Vec<String> {
        let mut changed = audit.clone();
        edit(&mut changed);
        schema_errors(&changed)
    };
    let at = |errors: Vec<String>, path: &str| {
        assert!(
            errors.iter().any(|e| e.starts_with(&format!("{path}:"))),
            "no error at {path}: {errors:?}"
        );
    };
    at(refused(&|a| a["findings"][0]["extra"] = json!(1)), "/findings/0");
    at(
        refused(&|a| {
            a["findings"][0]
                .as_object_mut()
                .expect("a finding")
                .remove("fingerprint");
        }),
        "/findings/0",
    );
    at(
        refused(&|a| a["findings"][0]["severity"] = json!("critical")),
        "/findings/0/severity",
    );
    at(
        refused(&|a| a["findings"][0]["location"]["line"] = json!("3")),
        "/findings/0/location/line",
    );
    at(
        refused(&|a| a["architecture"]["edges"][0] = json!([0, 1, 2])),
        "/architecture/edges/0",
    );
    at(
        refused(&|a| a["architecture"]["edges"][0] = json!([0, 1, 2, "eager", "import x"])),
        "/architecture/edges/0",
    );
    at(
        refused(&|a| a["architecture"]["modules"][0]["role"] = json!("library")),
        "/architecture/modules/0/role",
    );
    at(
        refused(&|a| a["supply_chain"]["posture"]["renovate"] = json!(null)),
        "/supply_chain/posture/renovate",
    );
    at(refused(&|a| a["tests"]["files"] = json!(-1)), "/tests/files");
    // Maps stay open: any language is a key of the untracked files' languages.
    assert_eq!(
        refused(&|a| a["inventory"]["untracked"]["languages"]["Brainfuck"] = json!(1)),
        Vec::<String>::new()
    );
}
