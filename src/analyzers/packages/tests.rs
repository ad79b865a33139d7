//! One tree per class the rule must handle: each test states the packages a reader of the
//! package table would see.

use crate::model::{LineCounts, PackageRule, PackageRuleSource, PlumbConfig, Role};
use crate::scan::{FileInfo, FileRecord};

use super::{derived_surfaces, package_files, rule, Partition};

/// Files as `(path, code lines)`; the role follows the path (`tests/` is test, the rest
/// source), as the scan's rule would.
fn records(files: &[(&str, u64)]) -> Vec<FileRecord> {
    files
        .iter()
        .map(|&(path, code)| FileRecord {
            counted: true,
            info: FileInfo {
                path: path.to_string(),
                language: None,
                role: if path.starts_with("tests/") {
                    Role::Test
                } else {
                    Role::Source
                },
                bytes: code * 20,
                tracked: true,
            },
            lines: LineCounts {
                code,
                ..Default::default()
            },
            embedded: LineCounts::default(),
        })
        .collect()
}

fn inferred(files: &[(&str, u64)]) -> PackageRule {
    let records = records(files);
    let refs: Vec<&FileRecord> = records.iter().collect();
    rule(&refs, None)
}

/// `path => package` for each path, by `rule`.
fn packages(rule: &PackageRule, paths: &[&str]) -> Vec<String> {
    let partition = Partition::new(rule);
    paths
        .iter()
        .map(|p| format!("{p} => {}", partition.package(p, false).name))
        .collect()
}

#[test]
fn a_src_layout_python_library_is_divided_below_its_top_level_package() {
    let rule = inferred(&[
        ("src/mylib/__init__.py", 10),
        ("src/mylib/models/__init__.py", 1),
        ("src/mylib/models/unet.py", 300),
        ("src/mylib/pipelines/__init__.py", 1),
        ("src/mylib/pipelines/run.py", 200),
        ("src/mylib/utils.py", 50),
        ("tests/test_unet.py", 900),
        ("setup.py", 20),
    ]);
    assert_eq!(rule.roots, ["src", "src/mylib"]);
    assert_eq!(rule.source, PackageRuleSource::Inferred);
    assert_eq!(
        rule.steps,
        [
            "`src` holds 96.5% of the source code lines of the repository",
            "`src/mylib` holds 100.0% of the source code lines of `src`",
            "`src/mylib` is a Python top-level package: its subdirectories are packages",
        ]
    );
    assert_eq!(
        packages(
            &rule,
            &[
                "src/mylib/models/unet.py",
                "src/mylib/utils.py",
                "tests/test_unet.py",
                "setup.py"
            ]
        ),
        [
            "src/mylib/models/unet.py => src/mylib/models",
            "src/mylib/utils.py => src/mylib",
            "tests/test_unet.py => tests",
            "setup.py => .",
        ]
    );
}

/// transformers: `models/` holds most of the package, but the package is where the
/// descent stops; its subpackages are the units.
#[test]
fn a_python_package_stops_the_descent_even_when_one_subpackage_dominates() {
    let rule = inferred(&[
        ("mylib/__init__.py", 5),
        ("mylib/models/__init__.py", 1),
        ("mylib/models/bert/__init__.py", 1),
        ("mylib/models/bert/modeling.py", 900),
        ("mylib/generation/utils.py", 100),
        ("examples/run.py", 40),
    ]);
    assert_eq!(rule.roots, ["mylib"]);
    assert_eq!(
        packages(&rule, &["mylib/models/bert/modeling.py", "examples/run.py"]),
        [
            "mylib/models/bert/modeling.py => mylib/models",
            "examples/run.py => examples"
        ]
    );
}

/// Several top-level directories of comparable size keep the first path segment.
#[test]
fn a_monorepo_keeps_its_top_level_directories() {
    let rule = inferred(&[
        ("backend/api/server.py", 400),
        ("frontend/src/app.ts", 350),
        ("src/mytool/make.py", 100),
    ]);
    assert_eq!(rule.roots, ["src"], "src/ only wraps src/mytool/");
    assert!(rule.steps[0].starts_with("no subdirectory holds two thirds of the source code lines of the repository (the largest, `backend`, 47.0%)"), "{:?}", rule.steps);
    assert_eq!(
        packages(
            &rule,
            &["backend/api/server.py", "frontend/src/app.ts", "src/mytool/make.py"]
        ),
        [
            "backend/api/server.py => backend",
            "frontend/src/app.ts => frontend",
            "src/mytool/make.py => src/mytool",
        ]
    );
}

#[test]
fn a_typescript_app_is_divided_below_src() {
    let rule = inferred(&[
        ("src/index.ts", 10),
        ("src/components/button/Button.tsx", 300),
        ("src/components/menu/Menu.tsx", 200),
        ("src/utils/format.ts", 100),
        ("vite.config.ts", 15),
    ]);
    assert_eq!(
        rule.roots,
        ["src"],
        "a `src` directory is an import root: src/components is not descended into"
    );
    assert_eq!(
        packages(
            &rule,
            &["src/components/menu/Menu.tsx", "src/index.ts", "vite.config.ts"]
        ),
        [
            "src/components/menu/Menu.tsx => src/components",
            "src/index.ts => src",
            "vite.config.ts => .",
        ]
    );
}

/// Go modules are package directories.
#[test]
fn a_go_module_is_divided_below_pkg() {
    let rule = inferred(&[
        ("cmd/app/main.go", 50),
        ("pkg/api/api.go", 300),
        ("pkg/store/store.go", 300),
        ("pkg/store/sql/sql.go", 100),
    ]);
    assert_eq!(rule.roots, ["pkg"]);
    let partition = Partition::new(&rule);
    let package = |dir: &str| partition.package(dir, true).name;
    assert_eq!(
        [
            package("pkg/store/sql"),
            package("cmd/app"),
            package("pkg"),
            package("")
        ],
        ["pkg/store", "cmd", "pkg", "."]
    );
}

#[test]
fn a_rust_crate_is_divided_below_its_module_root_and_a_workspace_by_crate() {
    let single = inferred(&[
        ("src/lib.rs", 40),
        ("src/graph/mod.rs", 300),
        ("src/graph/scc.rs", 200),
        ("src/render/dot.rs", 250),
        ("build.rs", 10),
    ]);
    assert_eq!(single.roots, ["src"]);
    assert!(
        single
            .steps
            .last()
            .is_some_and(|s| s.contains("a Rust crate's module root")),
        "{:?}",
        single.steps
    );
    let workspace = inferred(&[
        ("crates/a/src/lib.rs", 300),
        ("crates/a/src/x.rs", 300),
        ("crates/b/src/lib.rs", 280),
        ("crates/c/src/main.rs", 100),
    ]);
    assert_eq!(workspace.roots, ["crates"], "no crate holds two thirds of crates/");
    assert_eq!(
        packages(&workspace, &["crates/a/src/x.rs", "crates/c/src/main.rs"]),
        ["crates/a/src/x.rs => crates/a", "crates/c/src/main.rs => crates/c"]
    );
}

#[test]
fn a_c_project_is_divided_below_src() {
    let rule = inferred(&[
        ("include/lib.h", 100),
        ("src/core/a.c", 500),
        ("src/io/b.c", 400),
        ("CMakeLists.txt", 0),
    ]);
    assert_eq!(rule.roots, ["src"]);
    assert_eq!(
        packages(&rule, &["src/io/b.c", "include/lib.h"]),
        ["src/io/b.c => src/io", "include/lib.h => include"]
    );
}

fn declared(depth: Option<usize>, roots: &[&str]) -> PackageRule {
    let config = PlumbConfig {
        package_depth: depth,
        package_roots: roots.iter().map(|r| r.to_string()).collect(),
        ..Default::default()
    };
    let records = records(&[("src/mylib/a/x.py", 900)]);
    let refs: Vec<&FileRecord> = records.iter().collect();
    rule(&refs, Some(&config))
}

/// Declared roots replace the inference, and the directories above them are roots too,
/// so that `src/` is never a package holding `src/mylib/`'s.
#[test]
fn declared_roots_and_depth_win_over_the_inference() {
    let rule = declared(None, &["src/mylib"]);
    assert_eq!(rule.source, PackageRuleSource::Declared);
    assert_eq!(
        packages(
            &rule,
            &["src/mylib/a/x.py", "src/other/y.py", "src/z.py", "docs/conf.py"]
        ),
        [
            "src/mylib/a/x.py => src/mylib/a",
            "src/other/y.py => src/other",
            "src/z.py => src",
            "docs/conf.py => docs",
        ]
    );
    let deep = declared(Some(2), &[]);
    assert_eq!(
        packages(&deep, &["src/mylib/a/x.py", "src/y.py", "z.py"]),
        ["src/mylib/a/x.py => src/mylib", "src/y.py => src", "z.py => ."]
    );
}

/// A depth beyond the tree is no error: every file belongs to its own directory.
#[test]
fn a_package_depth_deeper_than_the_tree_gives_each_directory_its_package() {
    let rule = declared(Some(usize::MAX), &[]);
    assert_eq!(
        packages(&rule, &["a/b/c.py", "a/d.py", "e.py"]),
        ["a/b/c.py => a/b", "a/d.py => a", "e.py => ."]
    );
}

/// Derived surfaces are the packages, with globs that never overlap: a root's own files
/// (`src/mylib/*`) apart from its subdirectories' (`src/mylib/models/**`).
#[test]
fn derived_surfaces_are_the_packages_holding_source() {
    let files = records(&[
        ("src/mylib/__init__.py", 10),
        ("src/mylib/models/unet.py", 300),
        ("src/mylib/pipelines/run.py", 200),
        ("tests/test_unet.py", 900),
        ("setup.py", 20),
    ]);
    let refs: Vec<&FileRecord> = files.iter().collect();
    let rule = rule(&refs, None);
    let surfaces: Vec<String> = derived_surfaces(&refs, &rule)
        .into_iter()
        .map(|s| format!("{} {}", s.name, s.paths.join(" ")))
        .collect();
    assert_eq!(
        surfaces,
        [
            "(root) *",
            "src/mylib src/mylib/*",
            "src/mylib/models src/mylib/models/**",
            "src/mylib/pipelines src/mylib/pipelines/**",
        ]
    );
}

#[test]
fn an_empty_tree_has_the_first_segment_rule() {
    let rule = inferred(&[]);
    assert!(rule.roots.is_empty());
    assert_eq!(rule.depth, 1);
}

/// Per package, its production source in a programming language (not examples, not a
/// stylesheet) and its test files; the first of the largest source files on a tie.
#[test]
fn package_files_count_production_source_and_tests() {
    let mut files = records(&[
        ("a/big.py", 300),
        ("a/small.py", 100),
        ("a/style.css", 900),
        ("a/tie.py", 300),
        ("b/examples/demo.py", 700),
        ("b/x.py", 10),
        ("tests/test_a.py", 20),
    ]);
    for file in &mut files {
        let css = file.info.path.ends_with(".css");
        file.info.language = Some(if css {
            tokei::LanguageType::Css
        } else {
            tokei::LanguageType::Python
        });
    }
    let refs: Vec<&FileRecord> = files.iter().collect();
    let found: Vec<String> = package_files(&refs, &PackageRule::default())
        .into_iter()
        .map(|p| {
            format!(
                "{} {} {} {} {}",
                p.name,
                p.source_files,
                p.source_code_lines,
                p.largest_source.unwrap_or_default(),
                p.test_files
            )
        })
        .collect();
    assert_eq!(found, ["a 3 700 a/big.py 0", "b 1 10 b/x.py 0", "tests 0 0  1"]);
}
