//! Test inventory: test files per language and framework, test directories, test-to-source
//! ratios, inline tests in sources, and how many tests mirror a source module by name.
//!
//! Frameworks are recognised from markers in the file's bytes (imports, macros), never
//! guessed from the directory alone; a test file with none says "none detected".

use std::collections::{BTreeMap, HashMap, HashSet};

use tokei::LanguageType;

use crate::model::{Mirroring, PathSample, Role, TestDirectory, TestGroup, TestInventory};
use crate::scan::role::{is_test_path, test_subject};
use crate::scan::{File, FileInfo, FileRecord};

use super::{Analysis, Analyzer, Conclusion};

pub struct TestsAnalyzer;

/// What a visit learned about a file with tests.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TestFile {
    pub path: String,
    pub framework: &'static str,
    /// A source file that carries its own tests (Rust `#[test]`).
    pub inline: bool,
}

const NONE_DETECTED: &str = "none detected";

/// Markers per language family, first match wins.
const PYTHON: &[(&str, &str)] = &[
    ("import pytest", "pytest"),
    ("from pytest", "pytest"),
    ("@pytest.", "pytest"),
    ("unittest", "unittest"),
];
const C_FAMILY: &[(&str, &str)] = &[
    ("gtest/gtest.h", "GoogleTest"),
    ("TEST_F(", "GoogleTest"),
    ("TEST_P(", "GoogleTest"),
    ("gmock/gmock.h", "GoogleTest"),
    ("catch2/", "Catch2"),
    ("catch.hpp", "Catch2"),
    ("doctest.h", "doctest"),
    ("BOOST_AUTO_TEST_CASE", "Boost.Test"),
    ("kselftest", "kselftest"),
    ("kunit/test.h", "KUnit"),
    ("TEST(", "GoogleTest"),
];
const JAVASCRIPT: &[(&str, &str)] = &[
    ("vitest", "Vitest"),
    ("@jest/globals", "Jest"),
    ("jest.", "Jest"),
    ("node:test", "node:test"),
    ("mocha", "Mocha"),
    ("@playwright/test", "Playwright"),
    ("cypress", "Cypress"),
];
const JAVA: &[(&str, &str)] = &[
    ("org.junit.jupiter", "JUnit 5"),
    ("org.junit", "JUnit 4"),
    ("org.testng", "TestNG"),
];

/// How much of a test file is searched for framework markers.
const MARKER_WINDOW: usize = 32 * 1024;

/// A family's markers, searched for all at once.
struct Family {
    table: &'static [(&'static str, &'static str)],
    searcher: aho_corasick::AhoCorasick,
}

impl Family {
    fn new(table: &'static [(&'static str, &'static str)]) -> Family {
        let searcher = aho_corasick::AhoCorasick::new(table.iter().map(|(marker, _)| marker))
            .expect("a handful of short literal markers always build");
        Family { table, searcher }
    }

    /// The framework of the first marker in table order that occurs in the head of
    /// `bytes`, found in one pass. Markers are imports, includes and the first test
    /// macros, which stand at the top: the first [`MARKER_WINDOW`] bytes are searched, so
    /// a 10,000-line test file costs no more than a short one.
    fn framework(&self, bytes: &[u8]) -> &'static str {
        let head = &bytes[..bytes.len().min(MARKER_WINDOW)];
        let mut best = self.table.len();
        for found in self.searcher.find_overlapping_iter(head) {
            best = best.min(found.pattern().as_usize());
            if best == 0 {
                break;
            }
        }
        self.table.get(best).map_or(NONE_DETECTED, |(_, framework)| framework)
    }
}

fn markers(language: LanguageType) -> Option<&'static Family> {
    use std::sync::LazyLock;
    use LanguageType::*;
    static PYTHON_FAMILY: LazyLock<Family> = LazyLock::new(|| Family::new(PYTHON));
    static C_FAMILY_MARKERS: LazyLock<Family> = LazyLock::new(|| Family::new(C_FAMILY));
    static JAVASCRIPT_FAMILY: LazyLock<Family> = LazyLock::new(|| Family::new(JAVASCRIPT));
    static JAVA_FAMILY: LazyLock<Family> = LazyLock::new(|| Family::new(JAVA));
    match language {
        Python | Cython => Some(&PYTHON_FAMILY),
        C | CHeader | Cpp | CppHeader | Cuda | ObjectiveC | ObjectiveCpp => Some(&C_FAMILY_MARKERS),
        JavaScript | TypeScript | Jsx | Tsx => Some(&JAVASCRIPT_FAMILY),
        Java | Kotlin => Some(&JAVA_FAMILY),
        _ => None,
    }
}

impl Analyzer for TestsAnalyzer {
    fn id(&self) -> &'static str {
        "tests"
    }

    fn wants(&self, file: &FileInfo) -> bool {
        match file.language {
            Some(LanguageType::Rust) => matches!(file.role, Role::Test | Role::Source),
            Some(_) => file.role == Role::Test,
            None => false,
        }
    }

    fn visit(&self, file: &File<'_>, out: &mut Analysis) {
        let Some(language) = file.info.language else { return };
        let framework = match language {
            LanguageType::Rust => match (file.info.role, has(file.bytes, "#[test]")) {
                (Role::Test, _) => "cargo test",
                (_, true) => {
                    out.test_files.push(TestFile {
                        path: file.info.path.clone(),
                        framework: "cargo test",
                        inline: true,
                    });
                    return;
                }
                _ => return,
            },
            LanguageType::Go => "go test",
            _ => markers(language).map_or(NONE_DETECTED, |family| family.framework(file.bytes)),
        };
        out.test_files.push(TestFile {
            path: file.info.path.clone(),
            framework,
            inline: false,
        });
    }

    fn finish(&self, analysis: &Analysis) -> Conclusion {
        let frameworks: HashMap<&str, &TestFile> = analysis.test_files.iter().map(|t| (t.path.as_str(), t)).collect();
        let tests: Vec<&FileRecord> = analysis.tracked().filter(|f| f.info.role == Role::Test).collect();
        let sources: Vec<&FileRecord> = analysis.tracked().filter(|f| f.info.role == Role::Source).collect();
        let code = |f: &&FileRecord| f.lines.code + f.embedded.code;

        let mut groups: BTreeMap<(String, &str), (usize, u64)> = BTreeMap::new();
        let mut directories: BTreeMap<String, (usize, u64)> = BTreeMap::new();
        for file in &tests {
            let language = file.info.language.map_or("(no language)", |l| l.name());
            let framework = match (file.info.language, frameworks.get(file.info.path.as_str())) {
                (_, Some(test)) => test.framework,
                (None, None) => "test data",
                (Some(_), None) => NONE_DETECTED,
            };
            let group = groups.entry((language.to_string(), framework)).or_default();
            group.0 += 1;
            group.1 += code(file);
            if let Some(dir) = test_root(&file.info.path) {
                let entry = directories.entry(dir.to_string()).or_default();
                entry.0 += 1;
                entry.1 += code(file);
            }
        }
        let mut groups: Vec<TestGroup> = groups
            .into_iter()
            .map(|((language, framework), (files, code))| TestGroup {
                language,
                framework: framework.to_string(),
                files,
                code,
            })
            .collect();
        groups.sort_by(|a, b| b.files.cmp(&a.files).then_with(|| a.cmp(b)));
        let mut directories: Vec<TestDirectory> = directories
            .into_iter()
            .map(|(path, (files, code))| TestDirectory { path, files, code })
            .collect();
        directories.sort_by(|a, b| b.files.cmp(&a.files).then_with(|| a.path.cmp(&b.path)));

        // Test files are sorted by path: so are these.
        let inline_test_paths: Vec<String> = analysis
            .test_files
            .iter()
            .filter(|t| t.inline)
            .map(|t| t.path.clone())
            .collect();
        let inventory = TestInventory {
            files: tests.len(),
            code: tests.iter().map(code).sum(),
            groups,
            directories,
            inline_test_files: inline_test_paths.len(),
            inline_test_paths,
            source_files: sources.len(),
            source_code: sources.iter().map(code).sum(),
            mirroring: mirroring(&tests, &sources),
        };
        Box::new(move |audit| audit.tests = inventory)
    }
}

/// The outermost test directory above `path` (`test`, `pkg/tests`, ...), if any.
fn test_root(path: &str) -> Option<&str> {
    let mut end = 0;
    while let Some(offset) = path[end..].find('/') {
        let dir_end = end + offset;
        if is_test_path(&path[..dir_end + 1]) && !is_test_path(&path[..end]) {
            return Some(&path[..dir_end]);
        }
        end = dir_end + 1;
    }
    None
}

/// Test files named after a subject (`test_x.py`, `x_test.go`, ...) whose subject exists as
/// a source file stem or a directory holding sources.
fn mirroring(tests: &[&FileRecord], sources: &[&FileRecord]) -> Mirroring {
    let mut subjects: HashSet<&str> = HashSet::new();
    for source in sources {
        let mut parts = source.info.path.rsplit('/');
        if let Some(name) = parts.next() {
            subjects.insert(name.split('.').next().unwrap_or(name));
        }
        subjects.extend(parts);
    }
    let mut named = 0;
    let mut unmatched = Vec::new();
    for test in tests {
        let Some(subject) = test_subject(test.info.path.rsplit('/').next().unwrap_or_default()) else {
            continue;
        };
        named += 1;
        if !subjects.contains(subject) {
            unmatched.push(test.info.path.clone());
        }
    }
    Mirroring {
        named_tests: named,
        mirrored: named - unmatched.len(),
        unmatched: PathSample::from_sorted(unmatched),
    }
}

fn has(bytes: &[u8], marker: &str) -> bool {
    memchr::memmem::find(bytes, marker.as_bytes()).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_marker_in_table_order_wins_wherever_it_stands() {
        let python = markers(LanguageType::Python).expect("python");
        assert_eq!(python.framework(b"import unittest\n...\nimport pytest\n"), "pytest");
        assert_eq!(python.framework(b"class T(unittest.TestCase): pass\n"), "unittest");
        assert_eq!(python.framework(b"def test_x(): pass\n"), NONE_DETECTED);
        let c = markers(LanguageType::Cpp).expect("c++");
        assert_eq!(c.framework(b"TEST(A, B) {}\n#include <gtest/gtest.h>\n"), "GoogleTest");
        assert_eq!(c.framework(b"#include \"kselftest_harness.h\"\n"), "kselftest");
    }

    #[test]
    fn outermost_test_directory() {
        assert_eq!(test_root("test/a/tests/x.py"), Some("test"));
        assert_eq!(test_root("c10/test/util/x.cpp"), Some("c10/test"));
        assert_eq!(test_root("src/test_x.py"), None);
        assert_eq!(test_root("test_x.py"), None);
    }
}
