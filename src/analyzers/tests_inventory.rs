//! Test inventory: test files per language and framework, test directories, test-to-source
//! ratios, inline tests in sources, and how many tests mirror a source module by name.
//!
//! Frameworks are recognised from markers in the file's bytes (imports, macros), never
//! guessed from the directory alone; a test file with none says "none detected".
//!
//! A Python test file often names no framework itself: its classes derive from a base
//! class of another file (`from tests.base import Base`, where `base.py` holds
//! `class Base(unittest.TestCase)`). The visits note, for every Python test and source
//! file, its own marker and its classes with their bases ([`classes`]); once the import
//! graph is built, the graph stage (`graph::frameworks`, which states the rule) gives such
//! a test file the framework of the module that defines the test base class its classes
//! derive from, and moves it out of "none detected".

use std::collections::{BTreeMap, HashMap, HashSet};

use tokei::LanguageType;

use crate::model::{
    Mirroring, PathSample, PythonClass, PythonTestHints, Role, TestDirectory, TestGroup, TestInventory, UndetectedTest,
    NONE_DETECTED,
};
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
            // Python sources too, for the markers and class bases of test helpers.
            Some(LanguageType::Rust | LanguageType::Python | LanguageType::Cython) => {
                matches!(file.role, Role::Test | Role::Source)
            }
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
            LanguageType::Python | LanguageType::Cython => {
                let framework = markers(language).map_or(NONE_DETECTED, |family| family.framework(file.bytes));
                let classes = classes(file.bytes);
                if framework != NONE_DETECTED || !classes.is_empty() {
                    out.python_hints.push(PythonTestHints {
                        path: file.info.path.clone(),
                        framework: (framework != NONE_DETECTED).then(|| framework.to_string()),
                        classes,
                    });
                }
                if file.info.role != Role::Test {
                    return;
                }
                framework
            }
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
        let mut undetected = Vec::new();
        for file in &tests {
            let language = file.info.language.map_or("(no language)", |l| l.name());
            let framework = match (file.info.language, frameworks.get(file.info.path.as_str())) {
                (_, Some(test)) => test.framework,
                (None, None) => "test data",
                (Some(_), None) => NONE_DETECTED,
            };
            if framework == NONE_DETECTED {
                undetected.push(UndetectedTest {
                    path: file.info.path.clone(),
                    language: language.to_string(),
                    code: code(file),
                });
            }
            let group = groups.entry((language.to_string(), framework)).or_default();
            group.0 += 1;
            group.1 += code(file);
            if let Some(dir) = test_root(&file.info.path) {
                let entry = directories.entry(dir.to_string()).or_default();
                entry.0 += 1;
                entry.1 += code(file);
            }
        }
        let groups: Vec<TestGroup> = groups
            .into_iter()
            .map(|((language, framework), (files, code))| TestGroup {
                language,
                framework: framework.to_string(),
                files,
                code,
            })
            .collect();
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
        let mut inventory = TestInventory {
            files: tests.len(),
            code: tests.iter().map(code).sum(),
            groups,
            directories,
            inline_test_files: inline_test_paths.len(),
            inline_test_paths,
            source_files: sources.len(),
            source_code: sources.iter().map(code).sum(),
            mirroring: mirroring(&tests, &sources),
            inherited: Default::default(),
            python_hints: analysis.python_hints.clone(),
            undetected,
        };
        inventory.sort_groups();
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

/// The classes of a Python file with the bases they name, as written without spaces
/// (`Base`, `mixins.Base`; `object`, keyword arguments such as `metaclass=`, calls and
/// subscripts left out), at most [`PythonTestHints::MAX_CLASSES`] classes of
/// [`PythonTestHints::MAX_BASES`] bases. A class statement is `class` at the start of a
/// line (after indentation), a name, and an optional parenthesised list, which may span
/// lines; a list longer than [`MAX_CLASS_HEAD`] bytes is cut there.
pub(crate) fn classes(bytes: &[u8]) -> Vec<PythonClass> {
    let mut classes: Vec<PythonClass> = Vec::new();
    for start in memchr::memmem::find_iter(bytes, b"class") {
        let line_start = bytes[..start].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        if !bytes[line_start..start].iter().all(|b| *b == b' ' || *b == b'\t') {
            continue;
        }
        let rest = &bytes[start + "class".len()..];
        let name_start = rest.iter().position(|b| !matches!(b, b' ' | b'\t'));
        let Some(name_start) = name_start.filter(|&i| i > 0) else {
            continue;
        };
        let name_len = rest[name_start..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
            .unwrap_or(rest.len() - name_start);
        let after = &rest[name_start + name_len..];
        let after = &after[after
            .iter()
            .position(|b| !matches!(b, b' ' | b'\t'))
            .unwrap_or(after.len())..];
        if name_len == 0 || !matches!(after.first(), Some(b'(' | b':')) {
            continue;
        }
        let name = String::from_utf8_lossy(&rest[name_start..name_start + name_len]).into_owned();
        let bases = match after.first() {
            Some(b'(') => bases(&after[1..after.len().min(MAX_CLASS_HEAD)]),
            _ => Vec::new(),
        };
        classes.push(PythonClass { name, bases });
        if classes.len() == PythonTestHints::MAX_CLASSES {
            break;
        }
    }
    classes
}

/// The names in a base list (after its `(`), up to its closing `)`.
fn bases(head: &[u8]) -> Vec<String> {
    let mut depth = 0usize;
    let mut end = head.len();
    for (i, b) in head.iter().enumerate() {
        match b {
            b'(' | b'[' => depth += 1,
            b')' | b']' if depth > 0 => depth -= 1,
            b')' => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    // Top-level commas split the list; subscripts (`Generic[T]`) are cut off, and a call
    // (`with_metaclass(M, B)`) is no name.
    let mut bases: Vec<String> = Vec::new();
    let mut depth = 0usize;
    let mut item = Vec::new();
    let mut called = false;
    for &b in head[..end].iter().chain(std::iter::once(&b',')) {
        match b {
            b'(' => {
                called |= depth == 0;
                depth += 1;
            }
            b'[' => depth += 1,
            b')' | b']' => depth = depth.saturating_sub(1),
            b',' if depth == 0 => {
                let base: String = String::from_utf8_lossy(&item).split_whitespace().collect();
                item.clear();
                let dotted_name = !std::mem::take(&mut called)
                    && !base.is_empty()
                    && !base.starts_with(|c: char| c.is_ascii_digit() || c == '.')
                    && base.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
                if dotted_name && base != "object" && !bases.contains(&base) {
                    bases.push(base);
                    if bases.len() == PythonTestHints::MAX_BASES {
                        break;
                    }
                }
            }
            _ if depth == 0 => item.push(b),
            _ => {}
        }
    }
    bases
}

/// The most bytes of a class statement's base list read.
const MAX_CLASS_HEAD: usize = 1024;

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
    fn classes_are_read_across_lines_without_keywords_calls_or_subscripts() {
        let text = b"import x\nclass A(Base, mixins.Helper):\n    class Inner(object): pass\nclass B(\n    Base,\n    Generic[T],\n    metaclass=Meta,\n):\n    pass\nsubclass(Other)\nclass C: pass\nclass D(f(x), E): pass\n";
        let read: Vec<String> = classes(text)
            .iter()
            .map(|c| format!("{}({})", c.name, c.bases.join(",")))
            .collect();
        assert_eq!(
            read,
            ["A(Base,mixins.Helper)", "Inner()", "B(Base,Generic)", "C()", "D(E)"]
        );
        assert!(classes(b"class").is_empty());
        assert!(classes(b"class X(").iter().all(|c| c.bases.is_empty()));
        assert!(classes(b"  class  (A)").is_empty());
        assert!(classes(b"classes = 1\nclass_ = 2\n").is_empty());
    }

    #[test]
    fn outermost_test_directory() {
        assert_eq!(test_root("test/a/tests/x.py"), Some("test"));
        assert_eq!(test_root("c10/test/util/x.cpp"), Some("c10/test"));
        assert_eq!(test_root("src/test_x.py"), None);
        assert_eq!(test_root("test_x.py"), None);
    }
}
