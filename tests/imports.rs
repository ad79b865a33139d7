//! The imports analyzer from the real binary: a fixture repository in five languages,
//! resolved into `audit["architecture"]` (modules, edges with path:line and kind,
//! unresolved and external imports), and hostile input that must be counted, not crash.

mod common;

use common::{audit_json, TestRepo};
use serde_json::Value;

const FILES: &[(&str, &str)] = &[
    // Python: a package, a subpackage, relative imports, typing-only and lazy imports.
    ("pkg/__init__.py", "from . import a\nfrom .sub import b as bee\nimport numpy as np\n"),
    (
        "pkg/a.py",
        "import pkg.sub.b\nfrom pkg import sub\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.sub import c\ndef f():\n    import pkg.missing\n",
    ),
    ("pkg/sub/__init__.py", ""),
    ("pkg/sub/b.py", "from .. import a\nfrom ... import outside\nfrom .c import *\n"),
    ("pkg/sub/c.py", "import os, numpy.linalg\n"),
    // The src layout, and a directory symlink into the tree (executorch's `src/executorch`).
    ("src/mylib/__init__.py", ""),
    ("src/mylib/core.py", "from mylib import util\nfrom linked.tools import helper\nfrom linked.again import helper\n"),
    ("src/mylib/util.py", ""),
    // A namespace package: a directory of .py files without __init__.py.
    ("scripts/run.py", "import scripts.helper\n"),
    ("scripts/helper.py", ""),
    // C/C++: next to the file, an include root, a detected root, escapes and misses.
    ("include/proj/api.h", "#pragma once\n#include <proj/detail.h>\n#include <vector>\n"),
    ("include/proj/detail.h", ""),
    (
        "lib/api.c",
        "#include \"proj/api.h\"\n#include \"local.h\"\n#include \"../../escape.h\"\n#include \"sub/missing.h\"\n#include <stdio.h>\n/*\n#include \"commented.h\"\n*/\n#include <acme/rt/core.h>\n",
    ),
    // Reached through the directory symlink `src/acme/rt -> ../../rt`; the quoted include
    // makes `src` an include root, which the angle include in lib/api.c then uses.
    ("rt/core.h", ""),
    ("tools/uses_root.c", "#include \"acme/rt/core.h\"\n"),
    ("lib/local.h", "#include \"local.h\"\n"),
    ("vendor_like/sub/missing.h.txt", ""),
    // Rust: mod declarations and use paths inside one crate.
    ("rs/Cargo.toml", "[package]\nname = \"rs\"\n"),
    ("rs/src/lib.rs", "mod net;\nmod util;\nmod gone;\npub use crate::net::http::Client;\nuse serde::Serialize;\n"),
    ("rs/src/net/mod.rs", "pub mod http;\n"),
    ("rs/src/net/http.rs", "use super::super::util::{self, helper};\nuse crate::Thing;\n"),
    ("rs/src/util.rs", ""),
    // JavaScript/TypeScript.
    (
        "web/app.ts",
        "import { x } from './lib';\nimport type { T } from './types';\nimport React from 'react';\nconst m = import('./lazy.js');\nimport y from '@/alias';\nimport z from '../../../../out';\n",
    ),
    ("web/lib/index.ts", "export * from '../types';\n"),
    ("web/types.ts", ""),
    ("web/lazy.ts", "const fs = require('node:fs');\n"),
    // Go: a package under the module path, the standard library, a missing package.
    ("go/go.mod", "module example.com/m\n\ngo 1.22\n"),
    ("go/main.go", "package main\n\nimport (\n\t\"fmt\"\n\t\"example.com/m/util\"\n\t\"example.com/m/nope\"\n)\n"),
    ("go/util/u.go", "package util\n"),
];

fn fixture() -> TestRepo {
    let repo = TestRepo::new();
    for (path, text) in FILES {
        repo.write(path, text);
    }
    repo.write("linked/tools/helper.py", "");
    repo.symlink("src/linked", "../linked");
    repo.symlink("linked/again", "tools"); // a link seen through a link
    repo.symlink("src/acme/rt", "../../rt");
    repo.commit("fixture");
    repo
}

/// Every edge as `from:line -> to (kind)`, in the model's order (an edge is the array
/// `[from, to, line, kind]` in `audit.json`).
fn edges(architecture: &Value) -> Vec<String> {
    let modules = architecture["modules"].as_array().expect("modules");
    let path = |i: &Value| {
        modules[i.as_u64().expect("index") as usize]["path"]
            .as_str()
            .expect("path")
            .to_string()
    };
    architecture["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| {
            format!(
                "{}:{} -> {} ({})",
                path(&e[0]),
                e[2],
                path(&e[1]),
                e[3].as_str().expect("kind")
            )
        })
        .collect()
}

#[test]
fn resolves_five_languages() {
    let repo = fixture();
    let audit = audit_json(repo.path(), &[]);
    let architecture = &audit["architecture"];
    let mut got = edges(architecture);
    got.sort();
    let mut expected = vec![
        "go/main.go:5 -> go/util (eager)",
        "include/proj/api.h:2 -> include/proj/detail.h (eager)",
        "lib/api.c:1 -> include/proj/api.h (eager)",
        "lib/api.c:2 -> lib/local.h (eager)",
        "lib/api.c:9 -> rt/core.h (eager)",
        "tools/uses_root.c:1 -> rt/core.h (eager)",
        "pkg/__init__.py:1 -> pkg/a.py (eager)",
        "pkg/__init__.py:2 -> pkg/sub/b.py (eager)",
        "pkg/a.py:1 -> pkg/sub/b.py (eager)",
        "pkg/a.py:2 -> pkg/sub/__init__.py (eager)",
        "pkg/a.py:5 -> pkg/sub/c.py (typing-only)",
        "pkg/sub/b.py:1 -> pkg/a.py (eager)",
        "pkg/sub/b.py:3 -> pkg/sub/c.py (eager)",
        "rs/src/lib.rs:1 -> rs/src/net/mod.rs (eager)",
        "rs/src/lib.rs:2 -> rs/src/util.rs (eager)",
        "rs/src/lib.rs:4 -> rs/src/net/http.rs (eager)",
        "rs/src/net/http.rs:1 -> rs/src/util.rs (eager)",
        "rs/src/net/http.rs:2 -> rs/src/lib.rs (eager)",
        "rs/src/net/mod.rs:1 -> rs/src/net/http.rs (eager)",
        "scripts/run.py:1 -> scripts/helper.py (eager)",
        "src/mylib/core.py:1 -> src/mylib/util.py (eager)",
        "src/mylib/core.py:2 -> linked/tools/helper.py (eager)",
        "src/mylib/core.py:3 -> linked/tools/helper.py (eager)",
        "web/app.ts:1 -> web/lib/index.ts (eager)",
        "web/app.ts:2 -> web/types.ts (typing-only)",
        "web/app.ts:4 -> web/lazy.ts (lazy)",
        "web/lib/index.ts:1 -> web/types.ts (eager)",
    ];
    expected.sort();
    assert_eq!(got, expected);
    insta::assert_json_snapshot!("architecture", architecture);
}

#[test]
fn unresolved_and_external_are_counted_not_guessed() {
    let repo = fixture();
    let audit = audit_json(repo.path(), &[]);
    let architecture = &audit["architecture"];
    let counts: Vec<String> = architecture["unresolved"]
        .as_array()
        .expect("unresolved")
        .iter()
        .map(|u| format!("{} {}", u["language"].as_str().unwrap_or(""), u["count"]))
        .collect();
    // C: `../../escape.h` climbs out, `sub/missing.h`... is not a file name of the tree,
    // so it counts as external; Python: `pkg.missing`, `from ... import outside`.
    assert_eq!(
        counts,
        ["C/C++ 1", "Go 1", "JavaScript/TypeScript 2", "Python 2", "Rust 1"]
    );
    let external: Vec<String> = architecture["external"]
        .as_array()
        .expect("external")
        .iter()
        .map(|e| {
            format!(
                "{} {} {}",
                e["language"].as_str().unwrap_or(""),
                e["name"].as_str().unwrap_or(""),
                e["count"]
            )
        })
        .collect();
    assert_eq!(
        external,
        [
            "C/C++ stdio.h 1",
            "C/C++ sub 1",
            "C/C++ vector 1",
            "Go fmt 1",
            "JavaScript/TypeScript node:fs 1",
            "JavaScript/TypeScript react 1",
            "Python numpy 2",
            "Python os 1",
            "Python typing 1",
            "Rust serde 1",
        ]
    );
}

#[test]
fn hostile_input_is_survived() {
    let repo = TestRepo::new();
    let deep = format!("from {} import x\n", ".".repeat(10_000));
    repo.write("deep/mod.py", &deep);
    repo.write("deep/other.py", "");
    let mut generated = String::with_capacity(21 << 20);
    while generated.len() < 20 << 20 {
        generated.push_str("x = ('''import no''', \"\\\"\", [1, 2, {3: 4}])  # import no\n");
    }
    let import_line = generated.matches('\n').count() + 1;
    generated.push_str("import deep.other\n'''unterminated\nimport no\n");
    repo.write("deep/generated.py", &generated);
    repo.write("c/loop.h", "#include \"loop.h\"\n#include \"../../../../etc/passwd\"\n");
    repo.commit("hostile");
    let audit = audit_json(repo.path(), &["--max-file-size", "30000000"]);
    let architecture = &audit["architecture"];
    assert_eq!(
        edges(architecture),
        [format!("deep/generated.py:{import_line} -> deep/other.py (eager)")]
    );
    let unresolved: Vec<String> = architecture["unresolved"]
        .as_array()
        .expect("unresolved")
        .iter()
        .map(|u| format!("{} {}", u["language"].as_str().unwrap_or(""), u["count"]))
        .collect();
    assert_eq!(unresolved, ["C/C++ 1", "Python 1"]);
}

/// The bad input of lazy and typing-only imports, each counted or read, none guessed:
/// `TYPE_CHECKING` under another name, conditions nested 1,000 deep (blocks) and 10,000
/// brackets deep (counted as uncertain, the branch keeps its kind), an `_import_structure`
/// built at run time (uncertain), keys naming modules that do not exist (unresolved), one
/// whose file holds no lazy module (uncertain, no edge).
#[test]
fn guarded_imports_on_bad_input_are_counted_not_guessed() {
    let repo = TestRepo::new();
    let mut nested = String::from("from typing import TYPE_CHECKING as TC\nimport sys\n");
    for depth in 0..1_000 {
        nested.push_str(&format!("{}if not TC:\n", " ".repeat(depth)));
    }
    nested.push_str(&format!(
        "{}from g import eager\nelse:\n    from g import typed\n",
        " ".repeat(1_000)
    ));
    nested.push_str(&format!(
        "if {}TC{}:\n    from g import deep\n",
        "(".repeat(10_000),
        ")".repeat(10_000)
    ));
    repo.write("g/__init__.py", "")
        .write("g/eager.py", "")
        .write("g/typed.py", "")
        .write("g/deep.py", "")
        .write("g/nested.py", &nested)
        .write(
            "lazy/__init__.py",
            "_import_structure = {\"gone\": [], \"sub.missing\": []}\n_import_structure[key] = []\n\
             _import_structure.update(build())\nimport sys\nsys.modules[__name__] = _LazyModule(__name__, _import_structure)\n",
        )
        .write("lazy/sub/__init__.py", "")
        .write("plain/__init__.py", "_import_structure = {\"x\": []}\nimport os\n")
        .write("plain/x.py", "")
        .commit("hostile");
    let audit = audit_json(repo.path(), &[]);
    let architecture = &audit["architecture"];
    assert_eq!(
        edges(architecture),
        [
            "g/nested.py:1007 -> g/deep.py (eager)",
            "g/nested.py:1003 -> g/eager.py (eager)",
            "g/nested.py:1005 -> g/typed.py (typing-only)",
        ]
    );
    let counted = |key: &str| -> Vec<String> {
        architecture[key]
            .as_array()
            .expect(key)
            .iter()
            .map(|u| {
                format!(
                    "{} {} {}",
                    u["reason"].as_str().unwrap_or("-"),
                    u["count"],
                    u["examples"][0]
                )
            })
            .collect()
    };
    assert_eq!(
        counted("uncertain"),
        [
            format!(
                "`TYPE_CHECKING` condition too long or too deep to read 1 \"g/nested.py:1006: if {}…\"",
                "(".repeat(157)
            ),
            "`_import_structure` built at run time 2 \"lazy/__init__.py:2: _import_structure[key] = []\"".to_string(),
            "`_import_structure` with no lazy module in `sys.modules[__name__]` 1 \"plain/__init__.py:1: _import_structure\"".to_string(),
        ]
    );
    assert_eq!(
        counted("unresolved"),
        ["- 2 \"lazy/__init__.py:1: _import_structure[\\\"gone\\\"]\""]
    );
}

/// When several files could hold a module: `m.py` before the stub `m.pyi` before the
/// package `m/__init__.py`, a stub alone holds it, and through a directory symlink the
/// same rule picks the real file.
#[test]
fn a_module_is_its_file_then_its_stub_then_its_package() {
    let repo = TestRepo::new();
    repo.write("app/__init__.py", "")
        .write("app/both.py", "")
        .write("app/both.pyi", "")
        .write("app/both/__init__.py", "")
        .write("app/stub.pyi", "")
        .write("app/pkg/__init__.py", "")
        .write("app/pkg/pkg.pyi", "")
        .write(
            "app/main.py",
            "from app import both, stub, pkg, missing\nfrom app.pkg import pkg\nimport app.pkg\nfrom app import __init__\nfrom mirror import both\n",
        )
        .symlink("mirror", "app")
        .commit("fixture");
    let audit = audit_json(repo.path(), &[]);
    let mut got = edges(&audit["architecture"]);
    got.sort();
    assert_eq!(
        got,
        [
            "app/main.py:1 -> app/__init__.py (eager)",
            "app/main.py:1 -> app/both.py (eager)",
            "app/main.py:1 -> app/pkg/__init__.py (eager)",
            "app/main.py:1 -> app/stub.pyi (eager)",
            "app/main.py:2 -> app/pkg/pkg.pyi (eager)",
            "app/main.py:3 -> app/pkg/__init__.py (eager)",
            "app/main.py:4 -> app/__init__.py (eager)",
            "app/main.py:5 -> app/both.py (eager)",
        ]
    );
}

/// Rust workspaces: `use other_crate::…` names another package of the repository, found
/// by its `Cargo.toml` (`[lib] name` and `path`, else the package name with `-` as `_`
/// and `src/lib.rs`), the one nearest the importer when two share a name; a package
/// without a library, or a crate of no manifest of the tree, stays external.
#[test]
fn a_use_of_another_crate_of_the_workspace_resolves_to_its_library() {
    let repo = TestRepo::new();
    repo.write("Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n")
        .write("crates/core-ast/Cargo.toml", "[package]\nname = \"core-ast\"\n")
        .write("crates/core-ast/src/lib.rs", "pub mod visitor;\npub struct Expr;\n")
        .write("crates/core-ast/src/visitor.rs", "pub trait Visitor {}\n")
        .write(
            "crates/linter/Cargo.toml",
            "[package]\nname = \"linter\"\n\n[lib]\nname = \"lint\"\npath = \"lib.rs\"\n",
        )
        .write(
            "crates/linter/lib.rs",
            "use core_ast::visitor::Visitor;\nuse core_ast::{self, Expr};\nuse serde::Serialize;\npub mod rules;\nuse cli_only::run;\n",
        )
        .write("crates/linter/rules.rs", "use core_ast::Expr;\n")
        .write("crates/linter/tests/it.rs", "use lint::rules::check;\n")
        .write("crates/cli-only/Cargo.toml", "[package]\nname = \"cli-only\"\n")
        .write("crates/cli-only/src/main.rs", "use lint::rules;\n")
        // A second `core-ast`, in another workspace: its neighbours mean that one.
        .write("other/core-ast/Cargo.toml", "[package]\nname = \"core-ast\"\n")
        .write("other/core-ast/src/lib.rs", "")
        .write("other/app/Cargo.toml", "[package]\nname = \"app\"\n")
        .write("other/app/src/main.rs", "use core_ast::Expr;\n")
        .commit("fixture");
    let audit = audit_json(repo.path(), &[]);
    let architecture = &audit["architecture"];
    let mut got = edges(architecture);
    got.sort();
    assert_eq!(
        got,
        [
            "crates/cli-only/src/main.rs:1 -> crates/linter/rules.rs (eager)",
            "crates/core-ast/src/lib.rs:1 -> crates/core-ast/src/visitor.rs (eager)",
            "crates/linter/lib.rs:1 -> crates/core-ast/src/visitor.rs (eager)",
            "crates/linter/lib.rs:2 -> crates/core-ast/src/lib.rs (eager)",
            "crates/linter/lib.rs:4 -> crates/linter/rules.rs (eager)",
            "crates/linter/rules.rs:1 -> crates/core-ast/src/lib.rs (eager)",
            "crates/linter/tests/it.rs:1 -> crates/linter/rules.rs (eager)",
            "other/app/src/main.rs:1 -> other/core-ast/src/lib.rs (eager)",
        ]
    );
    let external: Vec<String> = architecture["external"]
        .as_array()
        .expect("external")
        .iter()
        .map(|e| format!("{} {}", e["name"].as_str().unwrap_or(""), e["count"]))
        .collect();
    assert_eq!(external, ["cli_only 1", "serde 1"]);
}
