//! Issue 5 end to end: real source trees in fixture repositories, through extraction,
//! resolution, the graph stage and the renderers, as a user reads them in `audit.json`,
//! sections 2 and 3 of `audit.md` and `graph.dot`. The figures of the Markdown are checked
//! against the JSON they come from.

mod common;

use common::{audit_json, plumb, report, TestRepo};
use serde_json::Value;

/// Six top-level packages, each holding one thing the report must show:
/// - `app`: an eager cycle a → b → c → a;
/// - `lazy`: a cycle closed by an import inside a function;
/// - `typed`: a cycle closed by an import under `if TYPE_CHECKING:`;
/// - `api` ⇄ `core`: a package cycle, and `api` importing `core`'s `_private` module;
/// - `native`: two C headers including each other.
const FILES: &[(&str, &str)] = &[
    ("app/__init__.py", ""),
    ("app/a.py", "from app import b\n"),
    ("app/b.py", "import app.c\n"),
    ("app/c.py", "\"\"\"Closes the cycle.\"\"\"\nfrom app.a import thing\n"),
    ("lazy/__init__.py", ""),
    ("lazy/x.py", "from lazy import y\n"),
    ("lazy/y.py", "def f():\n    from lazy import x\n    return x\n"),
    ("typed/__init__.py", ""),
    ("typed/p.py", "from typed import q\n"),
    (
        "typed/q.py",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from typed.p import P\n",
    ),
    ("core/__init__.py", ""),
    ("core/_impl.py", "X = 1\n"),
    ("core/engine.py", "from core._impl import X\nimport api.server\n"),
    ("api/__init__.py", ""),
    (
        "api/server.py",
        "from core._impl import X\nfrom core import engine\n\n\ndef serve():\n    return X\n",
    ),
    ("native/a.h", "#pragma once\n#include \"b.h\"\nint a(void);\n"),
    ("native/b.h", "#pragma once\n#include \"a.h\"\nint b(void);\n"),
    ("native/main.c", "#include \"a.h\"\nint main(void) { return a(); }\n"),
];

fn fixture() -> TestRepo {
    let repo = TestRepo::new();
    for (path, text) in FILES {
        repo.write(path, text);
    }
    repo
}

fn committed() -> TestRepo {
    let repo = fixture();
    repo.commit("fixture");
    repo
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

/// An edge as evidence: `from:line -> to (kind) text`.
fn step(edge: &Value) -> String {
    format!(
        "{}:{} -> {} ({}) {}",
        text(&edge["from"]),
        edge["line"],
        text(&edge["to"]),
        text(&edge["kind"]),
        text(&edge["text"])
    )
}

fn measures(audit: &Value) -> &Value {
    &audit["architecture"]["measures"]
}

/// The cycle component whose modules are exactly `modules`; panics when there is none.
fn component<'a>(audit: &'a Value, modules: &[&str]) -> &'a Value {
    let components = measures(audit)["cycles"]["components"].as_array().expect("components");
    components
        .iter()
        .find(|c| c["modules"] == serde_json::json!(modules))
        .unwrap_or_else(|| panic!("no component {modules:?} in {components:#?}"))
}

fn shortest(component: &Value) -> Vec<String> {
    component["shortest"]
        .as_array()
        .expect("shortest")
        .iter()
        .map(step)
        .collect()
}

/// Section `number` of the Markdown, from its heading to the next section's.
fn section(md: &str, number: u32) -> &str {
    let start = md
        .find(&format!("\n## {number}. "))
        .unwrap_or_else(|| panic!("section {number}"));
    let end = md[start + 1..].find("\n## ").map_or(md.len(), |i| start + 1 + i);
    &md[start..end]
}

#[test]
fn an_eager_cycle_is_one_component_with_its_shortest_cycle_at_file_and_line() {
    let repo = committed();
    let audit = audit_json(repo.path(), &[]);
    let app = component(&audit, &["app/a.py", "app/b.py", "app/c.py"]);
    assert_eq!(app["edges"], 3);
    assert_eq!(app["lazy_edges"], 0);
    assert_eq!(app["typing_only_edges"], 0);
    assert_eq!(app["eager_cycle"], true);
    assert_eq!(
        shortest(app),
        [
            "app/a.py:1 -> app/b.py (eager) from app import b",
            "app/b.py:1 -> app/c.py (eager) import app.c",
            "app/c.py:2 -> app/a.py (eager) from app.a import thing",
        ]
    );

    let md = report(repo.path(), "md", &[]);
    let architecture = section(&md, 3);
    let eager = &measures(&audit)["cycles"]["eager"]["components"];
    assert!(
        array(eager).iter().any(|c| c == app),
        "a cycle of eager imports is a load-time one too: {eager:#?}"
    );
    let expected = "**Load-time cycle 1:** 3 modules under `app/`, 3 edges. Shortest cycle:\n\n\
        1. `app/a.py:1` → `app/b.py` (`from app import b`)\n\
        1. `app/b.py:1` → `app/c.py` (`import app.c`)\n\
        1. `app/c.py:2` → `app/a.py` (`from app.a import thing`)\n";
    assert!(architecture.contains(expected), "{architecture}");
}

#[test]
fn lazy_and_typing_only_imports_mitigate_a_cycle() {
    let repo = committed();
    let audit = audit_json(repo.path(), &[]);
    let lazy = component(&audit, &["lazy/x.py", "lazy/y.py"]);
    assert_eq!(lazy["eager_cycle"], false);
    assert_eq!(lazy["lazy_edges"], 1);
    assert_eq!(
        shortest(lazy),
        [
            "lazy/x.py:1 -> lazy/y.py (eager) from lazy import y",
            "lazy/y.py:2 -> lazy/x.py (lazy) from lazy import x",
        ]
    );
    let typed = component(&audit, &["typed/p.py", "typed/q.py"]);
    assert_eq!(typed["eager_cycle"], false);
    assert_eq!(typed["typing_only_edges"], 1);
    assert_eq!(
        shortest(typed)[1],
        "typed/q.py:3 -> typed/p.py (typing-only) from typed.p import P"
    );

    let md = report(repo.path(), "md", &[]);
    let architecture = section(&md, 3);
    for expected in [
        "2 modules under `lazy/`, 2 edges (1 lazy, 0 typing-only); no cycle with eager imports alone: lazy or typing-only imports break it at load time.",
        "1. `lazy/y.py:2` → `lazy/x.py` (`from lazy import x`, lazy inside `def f` at line 1)",
        "2 modules under `typed/`, 2 edges (0 lazy, 1 typing-only); no cycle with eager imports alone: lazy or typing-only imports break it at load time.",
        "1. `typed/q.py:3` → `typed/p.py` (`from typed.p import P`, typing-only under `if TYPE_CHECKING` at line 2)",
        "- **Import cycles at load time** (cycles of eager imports only, the imports that run as a module loads; the Coupling row above counts the same): 3 (strongly connected components) holding 7 modules of 13; largest: 3 modules.",
        "- **Import cycles of all imports** (lazy and typing-only too): 5 holding 11 modules; largest: 3 modules; 2 with no cycle of eager imports inside",
    ] {
        assert!(architecture.contains(expected), "missing {expected:?} in\n{architecture}");
    }
}

#[test]
fn c_headers_including_each_other_form_a_cycle() {
    let repo = committed();
    let audit = audit_json(repo.path(), &[]);
    let native = component(&audit, &["native/a.h", "native/b.h"]);
    assert_eq!(native["eager_cycle"], true);
    assert_eq!(
        shortest(native),
        [
            "native/a.h:2 -> native/b.h (eager) #include \"b.h\"",
            "native/b.h:2 -> native/a.h (eager) #include \"a.h\"",
        ]
    );
}

#[test]
fn private_modules_imported_across_packages_are_counted_with_examples() {
    let repo = committed();
    let audit = audit_json(repo.path(), &[]);
    let encapsulation = &measures(&audit)["encapsulation"];
    // `core/engine.py` imports `core/_impl.py` too, from inside its own package: not counted.
    assert_eq!(encapsulation["private_imports"], 1);
    let examples: Vec<String> = encapsulation["examples"]
        .as_array()
        .expect("examples")
        .iter()
        .map(step)
        .collect();
    assert_eq!(
        examples,
        ["api/server.py:1 -> core/_impl.py (eager) from core._impl import X"]
    );

    let md = report(repo.path(), "md", &[]);
    let architecture = section(&md, 3);
    for expected in [
        "| **Encapsulation** | 🔴 **POOR** | 1 of 3 cross-package edges import a `_private` module |",
        "- **Encapsulation:** 1 import of another package's `_private` modules.",
        "- `api/server.py:1` → `core/_impl.py` (`from core._impl import X`)",
    ] {
        assert!(
            architecture.contains(expected),
            "missing {expected:?} in\n{architecture}"
        );
    }
}

const CONFIG: &str = r#"[[surface]]
name = "service"
paths = ["api/**"]
description = "the HTTP API"
blast_radius = "critical"

[[surface]]
name = "engine"
paths = ["core/**"]

[layers]
order = ["api", "core"]
"#;

#[test]
fn declared_layers_and_surfaces_are_measured_against_the_graph() {
    let repo = fixture();
    repo.write("plumb.toml", CONFIG).commit("fixture");
    let audit = audit_json(repo.path(), &[]);
    let findings: Vec<&str> = audit["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| text(&f["rule"]))
        .filter(|r| r.starts_with("config-"))
        .collect();
    assert!(findings.is_empty(), "{findings:?}");

    let layering = &measures(&audit)["layering"];
    assert_eq!(layering["source"], "declared");
    assert_eq!(layering["layers"], serde_json::json!([["api"], ["core"]]));
    // `core` sits below `api`, so `core` importing `api` runs against the declared order.
    assert_eq!(layering["against_count"], 1);
    assert_eq!(
        step(&layering["against"][0]),
        "core/engine.py:2 -> api/server.py (eager) import api.server"
    );

    let surfaces = audit["surfaces"]["surfaces"].as_array().expect("surfaces");
    let service = &surfaces[0];
    assert_eq!(
        (text(&service["name"]), text(&service["blast_radius"])),
        ("service", "critical")
    );
    assert_eq!(service["depends_on"], serde_json::json!(["engine"]));
    assert_eq!(service["depended_on_by"], serde_json::json!(["engine"]));
    let engine = &surfaces[1];
    assert_eq!(engine["declared_blast_radius"], Value::Null);
    assert_eq!(
        text(&engine["blast_radius_reason"]),
        "1 module in 1 other surface (4 code lines, 100.0% of theirs in the import graph) depends on it through eager imports"
    );
    assert_eq!(engine["blast_radius"], "critical");

    let md = report(repo.path(), "md", &[]);
    for expected in [
        "| **service** (`api/**`) — the HTTP API | 2 | 4 | Python | engine | engine | 1 module, 2 code lines (66.7%) in 1 surface | 🔴 **CRITICAL** (declared) |",
        "| **engine** (`core/**`) | 3 | 3 | Python | service | service | 1 module, 4 code lines (100.0%) in 1 surface | 🔴 **CRITICAL** (computed) |",
    ] {
        assert!(section(&md, 2).contains(expected), "missing {expected:?} in\n{}", section(&md, 2));
    }
    for expected in [
        "- **Layering** (declared in `plumb.toml`, top first): api → core (2 layers); 1 edge against it.",
        "| **Dependency Direction** | 🔴 **POOR** | 1 of 3 cross-package edges run against the declared layers; 1 cycle between packages |",
        "- `core/engine.py:2` → `api/server.py` (`import api.server`)",
    ] {
        assert!(section(&md, 3).contains(expected), "missing {expected:?} in\n{}", section(&md, 3));
    }
}

#[test]
fn surfaces_are_derived_without_config_and_linked_by_imports() {
    let repo = committed();
    let audit = audit_json(repo.path(), &[]);
    assert_eq!(audit["surfaces"]["source"], "derived");
    let linked: Vec<String> = audit["surfaces"]["surfaces"]
        .as_array()
        .expect("surfaces")
        .iter()
        .map(|s| {
            format!(
                "{} out={} in={} {}",
                text(&s["name"]),
                s["depends_on"],
                s["depended_on_by"],
                text(&s["blast_radius"])
            )
        })
        .collect();
    assert_eq!(
        linked,
        [
            "api out=[\"core\"] in=[\"core\"] medium",
            "app out=[] in=[] low",
            "core out=[\"api\"] in=[\"api\"] medium",
            "lazy out=[] in=[] low",
            // The largest surface, but nothing imports it.
            "native out=[] in=[] low",
            "typed out=[] in=[] low",
        ]
    );
}

/// `plumb init` writes what the audit measured; the audit reads it back without a single
/// config finding, with the same surfaces and the inferred layers now declared.
#[test]
fn init_then_audit_reads_the_starter_back_cleanly() {
    let repo = committed();
    let before = audit_json(repo.path(), &[]);
    let output = plumb().arg("init").arg(repo.path()).output().expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let after = audit_json(repo.path(), &[]);
    let config_findings: Vec<&Value> = after["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| text(&f["rule"]).starts_with("config-"))
        .collect();
    assert!(config_findings.is_empty(), "{config_findings:#?}");
    assert_eq!(after["surfaces"]["source"], "declared");
    let names = |audit: &Value| -> Vec<String> {
        audit["surfaces"]["surfaces"]
            .as_array()
            .expect("surfaces")
            .iter()
            .map(|s| format!("{} {} {}", text(&s["name"]), s["files"], s["code_lines"]))
            .collect()
    };
    assert_eq!(names(&after), names(&before));
    assert_eq!(measures(&after)["layering"]["source"], "declared");
    assert_eq!(
        measures(&after)["layering"]["against_count"],
        measures(&before)["layering"]["against_count"]
    );
}

#[test]
fn dot_graph_of_the_packages() {
    let repo = committed();
    insta::assert_snapshot!(report(repo.path(), "dot", &[]));
}

/// Every figure sections 2 and 3 print about the graph is the JSON's figure.
#[test]
fn markdown_figures_agree_with_the_json() {
    let repo = fixture();
    repo.write("plumb.toml", CONFIG).commit("fixture");
    let audit = audit_json(repo.path(), &[]);
    let md = report(repo.path(), "md", &[]);
    let (surfaces_md, architecture_md) = (section(&md, 2), section(&md, 3));
    assert_surface_rows(&audit, surfaces_md);
    let mut expected = vec![graph_line(&audit)];
    expected.extend(cycles_lines(&audit));
    expected.extend(package_rows(&audit));
    expected.extend(god_module_rows(&audit));
    for line in expected {
        assert!(
            architecture_md.contains(&line),
            "missing {line:?} in\n{architecture_md}"
        );
    }
}

fn array(value: &Value) -> &Vec<Value> {
    value.as_array().expect("an array")
}

/// Each surface's row of section 2 holds its files and code lines.
fn assert_surface_rows(audit: &Value, surfaces_md: &str) {
    for surface in array(&audit["surfaces"]["surfaces"]) {
        let start = format!("| **{}** (", text(&surface["name"]));
        let row = surfaces_md
            .lines()
            .find(|l| l.starts_with(&start))
            .unwrap_or_else(|| panic!("no row {start:?} in\n{surfaces_md}"));
        let figures = format!(" | {} | {} | ", surface["files"], surface["code_lines"]);
        assert!(row.contains(&figures), "{figures:?} not in {row:?}");
    }
}

fn graph_line(audit: &Value) -> String {
    let architecture = &audit["architecture"];
    let edges = array(&architecture["edges"]);
    let kind = |k: &str| edges.iter().filter(|e| e[3] == k).count();
    format!(
        "{} modules, {} import edges between them ({} eager, {} lazy, {} typing-only) in {} packages;",
        array(&architecture["modules"]).len(),
        edges.len(),
        kind("eager"),
        kind("lazy"),
        kind("typing-only"),
        array(&measures(audit)["packages"]).len()
    )
}

/// The headline of the cycles: load-time ones, then those of all imports.
fn cycles_lines(audit: &Value) -> [String; 2] {
    let cycles = &measures(audit)["cycles"];
    let (eager, all) = (array(&cycles["eager"]["components"]), array(&cycles["components"]));
    let broken = all.iter().filter(|c| c["eager_cycle"] == false).count();
    let largest = |components: &[Value]| array(&components[0]["modules"]).len();
    [
        format!(
            "- **Import cycles at load time** (cycles of eager imports only, the imports that run as a module loads; the Coupling row above counts the same): {} (strongly connected components) holding {} modules of {}; largest: {} modules.",
            eager.len(),
            cycles["eager"]["modules_in_cycles"],
            array(&audit["architecture"]["modules"]).len(),
            largest(eager),
        ),
        format!(
            "- **Import cycles of all imports** (lazy and typing-only too): {} holding {} modules; largest: {} modules; {} with no cycle of eager imports inside",
            all.len(),
            cycles["modules_in_cycles"],
            largest(all),
            broken
        ),
    ]
}

fn package_rows(audit: &Value) -> Vec<String> {
    array(&measures(audit)["packages"])
        .iter()
        .map(|p| {
            format!(
                "| `{}` | {} | {} | {} | {} | {} | {} | {} |",
                text(&p["name"]),
                p["modules"],
                p["code_lines"],
                p["fan_in"],
                p["fan_out"],
                p["internal_edges"],
                p["edges_in"],
                p["edges_out"]
            )
        })
        .collect()
}

fn god_module_rows(audit: &Value) -> Vec<String> {
    array(&measures(audit)["god_modules"])
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let other = m["fan_in"].as_u64().unwrap_or_default() - m["fan_in_production"].as_u64().unwrap_or_default();
            format!(
                "| {} | `{}` | {} | {} | {} | {} | {} |",
                i + 1,
                text(&m["path"]),
                m["code_lines"],
                m["fan_in_production"],
                other,
                m["fan_out"],
                m["score"]
            )
        })
        .collect()
}

/// A package root found deep in the tree (an `__init__.py` missing on the way) does not
/// make a package of its own: two unrelated `passes` folders stay under their top-level
/// directories instead of being lumped together as one `passes` package (`src/` holding
/// one Python package is named for it, `src/mylib`); and only code
/// below such a root imports from it (elsewhere the same name is someone else's, as
/// executorch's `import logging` is the standard library's).
#[test]
fn python_modules_under_a_deep_package_root_aggregate_under_their_top_directory() {
    let repo = TestRepo::new();
    repo.write("tools/a/passes/__init__.py", "from passes import fold\n")
        .write("tools/a/passes/fold.py", "")
        .write("plugins/b/passes/__init__.py", "from passes import fold\n")
        .write("plugins/b/passes/fold.py", "")
        .write("src/mylib/__init__.py", "from mylib import core\n")
        .write("src/mylib/core.py", "")
        .write("setup.py", "import mylib\n")
        // Below `tools/a`, on whose path `passes` is; from elsewhere `passes` is not ours.
        .write("tools/a/run.py", "from passes import fold\n")
        .write("other/use.py", "import passes\n")
        .commit("fixture");
    let audit = audit_json(repo.path(), &[]);
    let packages: Vec<String> = array(&audit["architecture"]["modules"])
        .iter()
        .map(|m| format!("{} {} {}", text(&m["path"]), text(&m["name"]), text(&m["package"])))
        .collect();
    assert_eq!(
        packages,
        [
            "other/use.py other.use other",
            "plugins/b/passes/__init__.py passes plugins",
            "plugins/b/passes/fold.py passes.fold plugins",
            "setup.py setup .",
            "src/mylib/__init__.py mylib src/mylib",
            "src/mylib/core.py mylib.core src/mylib",
            "tools/a/passes/__init__.py passes tools",
            "tools/a/passes/fold.py passes.fold tools",
            "tools/a/run.py run tools",
        ]
    );
    let external: Vec<String> = array(&audit["architecture"]["external"])
        .iter()
        .map(|e| format!("{} {}", text(&e["name"]), e["count"]))
        .collect();
    assert_eq!(external, ["passes 1"]);
}

/// Rust modules of one crate refer to each other both ways (`mod` down, `use super::` up):
/// the cycle is reported, but counted apart from the import cycles that can fail at load
/// time, so it does not make the coupling status.
#[test]
fn cycles_of_rust_modules_are_counted_apart_from_load_order_cycles() {
    let repo = TestRepo::new();
    repo.write("rs/Cargo.toml", "[package]\nname = \"rs\"\n")
        .write("rs/src/lib.rs", "mod a;\npub struct X;\n")
        .write("rs/src/a.rs", "use super::X;\n")
        .commit("fixture");
    let audit = audit_json(repo.path(), &[]);
    component(&audit, &["rs/src/a.rs", "rs/src/lib.rs"]);
    let md = report(repo.path(), "md", &[]);
    let architecture = section(&md, 3);
    for expected in [
        "| **Coupling** | 🟢 **GOOD** | `rs/src/a.rs` imports 1 module; 0 of 2 modules in load-time import cycles, 0 counting lazy and typing-only imports (2 more in cycles of Rust modules) |",
        "- **Import cycles at load time** (cycles of eager imports only, the imports that run as a module loads; cycles of Rust modules included, which the Coupling row above counts apart): 1 (strongly connected components) holding 2 modules of 2;",
        "- **Of these, 1 cycle of Rust modules** (2 modules): inside a crate",
    ] {
        assert!(architecture.contains(expected), "missing {expected:?} in\n{architecture}");
    }
}

/// The layout of large ML libraries (transformers, diffusers): the package `__init__`
/// names its submodules in `_import_structure` and installs a lazy module in
/// `sys.modules[__name__]`; its eager-looking imports sit under `if TYPE_CHECKING or
/// SLOW_IMPORT:`. Every import together makes one large cycle through the `__init__`;
/// the cycle that runs at load time is the two modules that import each other eagerly,
/// and that is what the report leads with. Bad input is counted: a key naming no module
/// (unresolved), a structure built at run time (uncertain).
#[test]
fn a_lazy_init_keeps_its_cycle_out_of_the_load_time_cycles() {
    let repo = TestRepo::new();
    repo.write(
        "lib/__init__.py",
        "from typing import TYPE_CHECKING\n\
         from .utils import _LazyModule, SLOW_IMPORT\n\
         _import_structure = {\n\
         \x20   \"models\": [],\n\
         \x20   \"pipeline\": [\"Pipeline\"],\n\
         \x20   \"missing\": [],\n\
         }\n\
         \n\
         if TYPE_CHECKING or SLOW_IMPORT:\n\
         \x20   from .models import Model\n\
         \x20   from .pipeline import Pipeline\n\
         else:\n\
         \x20   import sys\n\
         \n\
         \x20   sys.modules[__name__] = _LazyModule(__name__, globals()[\"__file__\"], _import_structure)\n",
    )
    .write("lib/utils.py", "SLOW_IMPORT = False\n")
    .write("lib/models/__init__.py", "from .bert import Model\n")
    .write("lib/models/bert.py", "import lib\nfrom lib.pipeline import Pipeline\n")
    .write("lib/pipeline.py", "from lib.models import bert\nfrom lib import extras\n")
    .write(
        "lib/extras.py",
        "def __getattr__(name):\n    from lib.pipeline import Pipeline\n    return Pipeline\n",
    )
    .write(
        "lib/dynamic/__init__.py",
        "_import_structure = define_import_structure(__file__)\nimport sys\nsys.modules[__name__] = _LazyModule(__name__, _import_structure)\n",
    )
    .commit("fixture");
    let audit = audit_json(repo.path(), &[]);
    let cycles = &measures(&audit)["cycles"];
    let all = component(
        &audit,
        &[
            "lib/__init__.py",
            "lib/extras.py",
            "lib/models/__init__.py",
            "lib/models/bert.py",
            "lib/pipeline.py",
        ],
    );
    assert_eq!(
        (all["eager_cycle"].clone(), all["eager_modules"].clone()),
        (true.into(), 2.into())
    );
    let eager = array(&cycles["eager"]["components"]);
    assert_eq!(eager.len(), 1, "{eager:#?}");
    assert_eq!(
        eager[0]["modules"],
        serde_json::json!(["lib/models/bert.py", "lib/pipeline.py"])
    );
    assert_eq!(cycles["eager"]["modules_in_cycles"], 2);
    let lazy_module = serde_json::json!({
        "reason": "lazy-module",
        "line": 15,
        "text": "sys.modules[__name__] = _LazyModule(…)",
    });
    assert_eq!(all["shortest"][0]["guard"], lazy_module);
    assert_eq!(
        shortest(all),
        [
            "lib/__init__.py:4 -> lib/models/__init__.py (lazy) _import_structure[\"models\"]",
            "lib/models/__init__.py:1 -> lib/models/bert.py (eager) from .bert import Model",
            "lib/models/bert.py:1 -> lib/__init__.py (eager) import lib",
        ]
    );
    // The `__init__`'s edges by line: the eager-looking imports under `if TYPE_CHECKING or
    // SLOW_IMPORT:` are lazy, as are the dict's keys.
    let edges = array(&audit["architecture"]["edges"]);
    let init: Vec<String> = edges
        .iter()
        .filter(|e| e[0] == 0)
        .map(|e| format!("{} {}", e[2], text(&e[3])))
        .collect();
    assert_eq!(init, ["4 lazy", "10 lazy", "5 lazy", "11 lazy", "2 eager"]);

    let uncertain = &audit["architecture"]["uncertain"];
    assert_eq!(
        uncertain,
        &serde_json::json!([{
            "language": "Python",
            "reason": "`_import_structure` built at run time",
            "count": 1,
            "examples": ["lib/dynamic/__init__.py:1: _import_structure = define_import_structure(__file__)"],
        }])
    );
    let unresolved = array(&audit["architecture"]["unresolved"]);
    assert!(
        unresolved.iter().any(|u| u["examples"]
            .as_array()
            .is_some_and(|e| e.contains(&"lib/__init__.py:6: _import_structure[\"missing\"]".into()))),
        "{unresolved:#?}"
    );

    let md = report(repo.path(), "md", &[]);
    let architecture = section(&md, 3);
    for expected in [
        "- **Import cycles at load time** (cycles of eager imports only, the imports that run as a module loads; the Coupling row above counts the same): 1 (strongly connected components) holding 2 modules of 7; largest: 2 modules.",
        "- **Import cycles of all imports** (lazy and typing-only too): 1 holding 5 modules; largest: 5 modules; 0 with no cycle",
        "**Load-time cycle 1:** 2 modules under `lib/`, 2 edges. Shortest cycle:\n\n\
         1. `lib/models/bert.py:2` → `lib/pipeline.py` (`from lib.pipeline import Pipeline`)\n\
         1. `lib/pipeline.py:1` → `lib/models/bert.py` (`from lib.models import bert`)\n",
        "**Cycle 1 of all imports:** 5 modules under `lib/`, 10 edges (5 lazy, 0 typing-only); 2 of its modules still in load-time cycles.",
        "1. `lib/__init__.py:4` → `lib/models/__init__.py` (`_import_structure[\"models\"]`, lazy as a key of `_import_structure`, for the lazy module `sys.modules[__name__] = _LazyModule(…)` at line 15)",
        "Lazy imports whose target could not be read, counted apart and left out of the graph (audit.json `uncertain` has examples): `_import_structure` built at run time (Python): 1.",
        "2 of 7 modules in load-time import cycles, 5 counting lazy and typing-only imports",
    ] {
        assert!(architecture.contains(expected), "missing {expected:?} in\n{architecture}");
    }
}

/// The test groups as `language framework files code`.
fn test_groups(audit: &Value) -> Vec<String> {
    audit["tests"]["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| {
            format!(
                "{} {} {} {}",
                text(&g["language"]),
                text(&g["framework"]),
                g["files"],
                g["code"]
            )
        })
        .collect()
}

#[test]
fn a_test_file_takes_the_framework_of_the_base_class_it_imports() {
    let repo = TestRepo::new();
    repo.write("pkg/__init__.py", "")
        .write("pkg/core.py", "def run():\n    return 1\n")
        .write("tests/__init__.py", "")
        // The base names the framework; the tests only derive from it.
        .write("tests/base.py", "import unittest\n\n\nclass Base(unittest.TestCase):\n    pass\n")
        .write(
            "tests/test_relative.py",
            "from pkg.core import run\nfrom .base import Base\n\n\nclass TestX(Base):\n    def test_run(self):\n        self.assertEqual(run(), 1)\n",
        )
        .write(
            "tests/test_absolute.py",
            "from tests.base import Base\n\n\nclass TestY(Base):\n    pass\n",
        )
        // Through a mixin that derives from the base, re-exported by a package.
        .write("tests/mixins/__init__.py", "from .more import Mixin\n")
        .write("tests/mixins/more.py", "from tests.base import Base\n\n\nclass Mixin(Base):\n    pass\n")
        .write("tests/test_mixin.py", "from tests.mixins import Mixin\n\n\nclass TestZ(Mixin):\n    pass\n")
        // A helper that uses pytest but gives no base class is not followed.
        .write("tests/helpers.py", "import pytest\n\n\ndef data():\n    return 1\n")
        .write("tests/test_plain.py", "from tests.helpers import data\n\n\ndef test_data():\n    assert data() == 1\n")
        // A model class from a pytest file is no test base.
        .write("tests/models.py", "import pytest\nimport torch\n\n\nclass Model(torch.nn.Module):\n    pass\n")
        .write("tests/test_model.py", "from tests.models import Model\n\n\nclass MyModel(Model):\n    pass\n")
        // A plain base class of a pytest module is.
        .write("tests/pbase.py", "import pytest\n\n\nclass PBase:\n    pass\n")
        .write("tests/test_p.py", "from tests.pbase import PBase\n\n\nclass TestP(PBase):\n    pass\n")
        .commit("fixture");
    let audit = audit_json(repo.path(), &[]);
    let groups = test_groups(&audit);
    assert_eq!(
        groups,
        ["Python unittest 5 17", "Python none detected 4 7", "Python pytest 4 13"],
        "{groups:?}"
    );
    let inherited = &audit["tests"]["inherited"];
    assert_eq!(inherited["files"], 5, "{inherited:#}");
    let examples: Vec<String> = inherited["examples"]
        .as_array()
        .expect("examples")
        .iter()
        .map(|e| {
            format!(
                "{} {} {}:{} {}",
                text(&e["path"]),
                text(&e["framework"]),
                e["line"],
                text(&e["import"]),
                text(&e["marked_by"])
            )
        })
        .collect();
    assert_eq!(
        examples,
        [
            "tests/mixins/more.py unittest 1:from tests.base import Base tests/base.py",
            "tests/test_absolute.py unittest 1:from tests.base import Base tests/base.py",
            "tests/test_mixin.py unittest 1:from tests.mixins import Mixin tests/base.py",
            "tests/test_p.py pytest 1:from tests.pbase import PBase tests/pbase.py",
            "tests/test_relative.py unittest 2:from .base import Base tests/base.py",
        ]
    );
    let md = report(repo.path(), "md", &[]);
    assert!(
        md.contains("- Python test files whose framework comes from an imported base class (they name none themselves): 5, e.g. `tests/mixins/more.py` by `from tests.base import Base` (line 1) from `tests/base.py`."),
        "{}",
        section(&md, 5)
    );
}
