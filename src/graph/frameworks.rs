//! Test frameworks through base classes: a Python test file whose own text names no
//! framework takes the framework of the module that defines the test base class its
//! classes derive from.
//!
//! The rule: for a test file counted under "none detected", the bases of its classes
//! (`class TestX(Base)`, `class TestX(base.Base)`) are looked for. A base defined in the
//! same file is replaced by its own bases; one defined elsewhere is looked for through the
//! file's imports that name it (`from tests.base import Base`, `from . import base`,
//! `from .base import *`), in line order, over resolved edges that are not typing-only.
//! In the module reached the same is done: a module that only imports the name (a
//! package `__init__.py` re-exporting it) is passed through, a class that derives from
//! other names (a mixin of a mixin) continues with those. The chain ends at a *test base
//! class*: a class whose bases are none, or include a name ending in `TestCase`
//! (`unittest.TestCase`, `IsolatedAsyncioTestCase`, `absltest.TestCase`, ...). The module
//! that defines it gives the framework its own text names (`import unittest`, `import
//! pytest`: the markers of `analyzers::tests_inventory`); a module that names none gives
//! nothing. A class deriving from anything else that is not in the repository
//! (`torch.nn.Module`) ends the chain without a framework: a test importing a model class
//! from a pytest file is not thereby a pytest test. At most [`MAX_DEPTH`] imports are
//! followed and [`MAX_VISITS`] modules visited per test file. The first chain that ends in
//! a framework wins; the file moves from "none detected" to that framework in the
//! inventory's groups, and `tests.inherited` keeps the import that starts the chain and
//! the module that ends it.

use std::collections::{HashMap, HashSet};

use crate::model::{Audit, ImportEdge, ImportKind, InheritedFramework, PythonTestHints, TestGroup, NONE_DETECTED};

/// Most imports followed from a test file to the module that names its framework.
pub const MAX_DEPTH: usize = 8;
/// Most modules visited for one test file.
pub const MAX_VISITS: usize = 256;

/// Moves the "none detected" Python test files whose base classes come from a module
/// that names a framework to that framework.
pub fn inherit(audit: &mut Audit) {
    if audit.tests.undetected.is_empty() || audit.tests.python_hints.is_empty() {
        return;
    }
    let architecture = &audit.architecture;
    let edges = super::valid_edges(architecture);
    let hints: HashMap<&str, &PythonTestHints> =
        audit.tests.python_hints.iter().map(|h| (h.path.as_str(), h)).collect();
    let index: HashMap<&str, usize> = architecture
        .modules
        .iter()
        .enumerate()
        .filter(|(_, m)| hints.contains_key(m.path.as_str()))
        .map(|(i, m)| (m.path.as_str(), i))
        .collect();
    // The imports of every Python module, in line order (a package `__init__.py` that only
    // re-exports has no hints but is passed through).
    let python = |m: &crate::model::Module| matches!(m.language.as_str(), "Python" | "Cython");
    let mut imports: HashMap<usize, Vec<&ImportEdge>> = HashMap::new();
    for edge in edges
        .iter()
        .filter(|e| e.kind != ImportKind::TypingOnly && e.from != e.to)
    {
        if python(&architecture.modules[edge.from]) {
            imports.entry(edge.from).or_default().push(edge);
        }
    }
    for list in imports.values_mut() {
        list.sort_by_key(|e| (e.line, e.to));
    }
    let graph = Graph {
        paths: architecture.modules.iter().map(|m| m.path.as_str()).collect(),
        hints,
        imports,
    };
    let mut found = Vec::new();
    for test in &audit.tests.undetected {
        let (Some(&start), Some(hint)) = (index.get(test.path.as_str()), graph.hints.get(test.path.as_str())) else {
            continue;
        };
        if let Some(inherited) = graph.search(start, hint) {
            found.push((test.language.clone(), test.code, inherited));
        }
    }
    let tests = &mut audit.tests;
    // Read once: emptied so that nothing moves a file twice.
    tests.python_hints = Vec::new();
    tests.undetected = Vec::new();
    for (language, code, inherited) in &found {
        move_file(&mut tests.groups, language, &inherited.framework, *code);
    }
    tests.groups.retain(|g| g.files > 0);
    tests.sort_groups();
    tests.inherited.files = found.len();
    tests.inherited.examples = found
        .into_iter()
        .map(|(_, _, inherited)| inherited)
        .take(crate::model::InheritedFrameworks::EXAMPLES)
        .collect();
}

/// One file's count and code from `language`'s "none detected" group to `framework`'s.
fn move_file(groups: &mut Vec<TestGroup>, language: &str, framework: &str, code: u64) {
    if let Some(from) = groups
        .iter_mut()
        .find(|g| g.language == language && g.framework == NONE_DETECTED)
    {
        from.files = from.files.saturating_sub(1);
        from.code = from.code.saturating_sub(code);
    }
    match groups
        .iter_mut()
        .find(|g| g.language == language && g.framework == framework)
    {
        Some(to) => {
            to.files += 1;
            to.code += code;
        }
        None => groups.push(TestGroup {
            language: language.to_string(),
            framework: framework.to_string(),
            files: 1,
            code,
        }),
    }
}

struct Graph<'a> {
    paths: Vec<&'a str>,
    hints: HashMap<&'a str, &'a PythonTestHints>,
    imports: HashMap<usize, Vec<&'a ImportEdge>>,
}

/// Where a search ended: the module naming the framework, and the framework.
type Marked = (String, String);

impl Graph<'_> {
    /// The first chain from `start` that ends in a test base class whose module names a
    /// framework.
    fn search(&self, start: usize, hint: &PythonTestHints) -> Option<InheritedFramework> {
        let mut visited = HashSet::from([start]);
        let names: Vec<&str> = hint
            .classes
            .iter()
            .flat_map(|c| c.bases.iter().map(String::as_str))
            .collect();
        let (_, remote) = self.local(hint, names);
        for edge in self.imports.get(&start).into_iter().flatten() {
            if !names_any(&edge.text, &remote) {
                continue;
            }
            if let Some((marked_by, framework)) = self.framework_of(edge.to, &remote, 1, &mut visited) {
                return Some(InheritedFramework {
                    path: hint.path.clone(),
                    framework,
                    line: edge.line,
                    import: edge.text.to_string(),
                    marked_by,
                });
            }
        }
        None
    }

    /// Follows `names` through the classes of `hint`'s module: whether one of them is a
    /// test base class defined there, and the names left to look for elsewhere (those not
    /// defined there, and the bases of the classes defined there that are not test bases).
    fn local<'h>(&self, hint: &'h PythonTestHints, names: Vec<&'h str>) -> (bool, Vec<&'h str>) {
        let mut todo = names;
        let mut seen: HashSet<&str> = HashSet::new();
        let mut remote = Vec::new();
        let mut test_base = false;
        while let Some(name) = todo.pop() {
            if !seen.insert(name) || seen.len() > MAX_VISITS {
                continue;
            }
            let class_name = name.rsplit('.').next().unwrap_or(name);
            match hint.classes.iter().find(|c| c.name == class_name) {
                Some(class) if is_test_base(&class.bases) => test_base = true,
                Some(class) => todo.extend(class.bases.iter().map(String::as_str)),
                None => remote.push(name),
            }
        }
        remote.sort_unstable();
        (test_base, remote)
    }

    /// The module (and its framework) that defines the test base class one of `names`
    /// leads to from `module`.
    fn framework_of(
        &self,
        module: usize,
        names: &[&str],
        depth: usize,
        visited: &mut HashSet<usize>,
    ) -> Option<Marked> {
        if !visited.insert(module) || visited.len() > MAX_VISITS {
            return None;
        }
        let path = *self.paths.get(module)?;
        let empty = PythonTestHints::default();
        let hint = self.hints.get(path).copied().unwrap_or(&empty);
        let (test_base, remote) = self.local(hint, names.to_vec());
        if test_base {
            if let Some(framework) = &hint.framework {
                return Some((path.to_string(), framework.clone()));
            }
        }
        if depth >= MAX_DEPTH {
            return None;
        }
        for edge in self.imports.get(&module).into_iter().flatten() {
            if names_any(&edge.text, &remote) {
                if let Some(found) = self.framework_of(edge.to, &remote, depth + 1, visited) {
                    return Some(found);
                }
            }
        }
        None
    }
}

/// A test base class: no bases, or one ending in `TestCase`.
fn is_test_base(bases: &[String]) -> bool {
    bases.is_empty() || bases.iter().any(|b| b.ends_with("TestCase"))
}

/// Whether an import statement names one of `bases` (the first dotted part, as a whole
/// word: `base` of `base.Base`), or imports `*`.
fn names_any(statement: &str, bases: &[&str]) -> bool {
    statement.contains('*')
        || bases.iter().any(|base| {
            let head = base.split('.').next().unwrap_or(base);
            has_word(statement, head)
        })
}

fn has_word(text: &str, word: &str) -> bool {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    !word.is_empty()
        && text.match_indices(word).any(|(i, _)| {
            let before = text[..i].chars().next_back();
            let after = text[i + word.len()..].chars().next();
            !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_name_bases_by_their_first_part_as_a_word() {
        assert!(names_any("from tests.base import Base", &["Base"]));
        assert!(names_any("from . import base", &["base.Base"]));
        assert!(names_any("from .base import *", &["Anything"]));
        assert!(!names_any("from tests.base import BaseHelper", &["Base"]));
        assert!(!names_any("import tests.database", &["base.Base"]));
    }
}
