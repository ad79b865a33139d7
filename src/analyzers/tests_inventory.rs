//! Test inventory: test files per language and framework, test directories, test-to-source
//! ratios, inline tests in sources, and how many tests mirror a source module by name.
//!
//! Frameworks are recognised from markers in the file's bytes (imports, macros), never
//! guessed from the directory alone; a test file with none says "none detected".

use std::collections::{BTreeMap, HashMap, HashSet};

use tokei::LanguageType;

use crate::model::{Audit, Mirroring, PathSample, Role, TestDirectory, TestGroup, TestInventory};
use crate::scan::role::{is_test_path, test_subject};
use crate::scan::{File, FileInfo, FileRecord};

use super::{Analysis, Analyzer};

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

fn markers(language: LanguageType) -> Option<&'static [(&'static str, &'static str)]> {
    use LanguageType::*;
    match language {
        Python | Cython => Some(PYTHON),
        C | CHeader | Cpp | CppHeader | Cuda | ObjectiveC | ObjectiveCpp => Some(C_FAMILY),
        JavaScript | TypeScript | Jsx | Tsx => Some(JAVASCRIPT),
        Java | Kotlin => Some(JAVA),
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
            _ => markers(language)
                .and_then(|table| table.iter().find(|(marker, _)| has(file.bytes, marker)))
                .map_or(NONE_DETECTED, |(_, framework)| *framework),
        };
        out.test_files.push(TestFile {
            path: file.info.path.clone(),
            framework,
            inline: false,
        });
    }

    fn finish(&self, analysis: &Analysis, audit: &mut Audit) {
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

        audit.tests = TestInventory {
            files: tests.len(),
            code: tests.iter().map(code).sum(),
            groups,
            directories,
            inline_test_files: analysis.test_files.iter().filter(|t| t.inline).count(),
            source_files: sources.len(),
            source_code: sources.iter().map(code).sum(),
            mirroring: mirroring(&tests, &sources),
        };
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
    use super::test_root;

    #[test]
    fn outermost_test_directory() {
        assert_eq!(test_root("test/a/tests/x.py"), Some("test"));
        assert_eq!(test_root("c10/test/util/x.cpp"), Some("c10/test"));
        assert_eq!(test_root("src/test_x.py"), None);
        assert_eq!(test_root("test_x.py"), None);
    }
}
