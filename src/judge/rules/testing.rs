//! `no-tests`: a package with production source and no test that reaches it.
//! `test-ratio-low`: test code lines per source code line, over the repository.

use rustc_hash::FxHashSet;

use crate::model::{Audit, Confidence, Finding, Role, Rule, Severity};

use super::{finding, plural, Judgement, Packages};

pub const NO_TESTS: Rule = Rule {
    group: "tests",
    id: "no-tests",
    title: "a package no test file reaches",
    help: "No test file (role test) lies in the package, no test file imports one of its modules, and none of its source files carries inline tests (Rust `#[test]`). A refactor of this package has no automated check that its behaviour is kept: write characterisation tests of its public entry points before changing it. Tests that reach it only through a command line, another language or data files are not seen, hence medium confidence. Packages with fewer than 500 code lines of production source (not tests, docs or examples; not markup, stylesheets or templates) are not judged. Reported at line 1 of the package's largest source file.",
};

pub const TEST_RATIO_LOW: Rule = Rule {
    group: "tests",
    id: "test-ratio-low",
    title: "little test code for the source code",
    help: "Test code lines per source code line, over the repository (files of role test against files of role source), is below 0.1, the poor band of section 3's Testability assessment: most of the code has no test that would catch a behaviour change in a refactor. Add tests around the code the refactor touches first (characterisation tests of its entry points), and let the ratio rise with each pull request. Inline tests (Rust `#[test]` in source files) count as source here and lower the ratio, so the confidence is medium where there are some. Repositories with fewer than 500 source code lines are not judged. Reported at the largest test directory, or without one at the largest source file, line 1.",
};

/// Packages with less production source than this are not judged by `no-tests`: a
/// package of a few small files is more often glue than a unit worth its own tests.
pub const NO_TESTS_MIN_CODE_LINES: u64 = 500;
/// Below this many test code lines per source code line the ratio is low: the boundary
/// of the poor band of section 3's Testability assessment.
pub const TEST_RATIO_LOW_BELOW: f64 = 0.1;
/// Repositories with less source than this are not judged by `test-ratio-low`, as
/// packages are not by `no-tests`: a ratio of a few lines says nothing.
pub const TEST_RATIO_MIN_SOURCE_LINES: u64 = NO_TESTS_MIN_CODE_LINES;

pub fn findings(audit: &Audit, packages: &Packages<'_>) -> Vec<Finding> {
    let mut found = no_tests(audit, packages);
    found.extend(test_ratio_low(audit));
    found
}

fn no_tests(audit: &Audit, packages: &Packages<'_>) -> Vec<Finding> {
    let tested = reached_by_tests(audit, packages);
    audit
        .surfaces
        .packages
        .iter()
        .filter(|p| p.test_files == 0 && p.source_code_lines >= NO_TESTS_MIN_CODE_LINES)
        .filter(|p| !tested.contains(p.name.as_str()))
        .filter_map(|package| {
            let largest = package.largest_source.as_deref()?;
            let message = format!(
                "package `{}` has {} with {}, and no test file in it, importing it or inline",
                package.name,
                plural(package.source_files, "source file"),
                plural(package.source_code_lines, "code line"),
            );
            Some(finding(
                &NO_TESTS,
                (largest, 1),
                &[&package.name],
                Judgement {
                    severity: Severity::Medium,
                    confidence: Confidence::Medium,
                    message,
                },
            ))
        })
        .collect()
}

/// The packages a test reaches from outside: those a test module of the graph imports,
/// and those holding a source file with inline tests.
fn reached_by_tests<'a>(audit: &'a Audit, packages: &Packages<'a>) -> FxHashSet<&'a str> {
    let modules = &audit.architecture.modules;
    let mut tested: FxHashSet<&str> = FxHashSet::default();
    for (edge, _, to) in packages.edges() {
        if modules[edge.from].role == Role::Test {
            tested.insert(packages.name(to));
        }
    }
    let partition = crate::analyzers::Partition::new(&audit.surfaces.package_rule);
    let inline: FxHashSet<String> = audit
        .tests
        .inline_test_paths
        .iter()
        .map(|path| partition.package(path, false).name)
        .collect();
    let packages = &audit.surfaces.packages;
    tested.extend(
        packages
            .iter()
            .filter(|p| inline.contains(&p.name))
            .map(|p| p.name.as_str()),
    );
    tested
}

fn test_ratio_low(audit: &Audit) -> Option<Finding> {
    let tests = &audit.tests;
    if tests.source_code < TEST_RATIO_MIN_SOURCE_LINES {
        return None;
    }
    let ratio = tests.code as f64 / tests.source_code as f64;
    if ratio >= TEST_RATIO_LOW_BELOW {
        return None;
    }
    // Directories are sorted by files, most first; source files by code lines.
    let at = match tests.directories.first() {
        Some(directory) => directory.path.as_str(),
        None => largest_source_file(audit)?,
    };
    let inline = match tests.inline_test_files {
        0 => String::new(),
        n => format!("; {} with inline tests count as source", plural(n, "source file")),
    };
    // Rounded down, so that a ratio just below the limit does not show as the limit.
    let shown = (ratio * 1000.0).floor() / 1000.0;
    let message = format!(
        "{shown:.3} test code lines per source code line, below {TEST_RATIO_LOW_BELOW}: {} in {} for {} of source{inline}",
        plural(tests.code, "code line"),
        plural(tests.files, "test file"),
        plural(tests.source_code, "code line"),
    );
    Some(finding(
        &TEST_RATIO_LOW,
        (at, 1),
        &[],
        Judgement {
            severity: Severity::Medium,
            confidence: if tests.inline_test_files > 0 {
                Confidence::Medium
            } else {
                Confidence::High
            },
            message,
        },
    ))
}

/// The largest hand-maintained file of role source, from the size ranking.
fn largest_source_file(audit: &Audit) -> Option<&str> {
    let overall = &audit.god_modules.overall;
    overall
        .iter()
        .find(|f| f.role == Role::Source)
        .or(overall.first())
        .map(|f| f.path.as_str())
}
