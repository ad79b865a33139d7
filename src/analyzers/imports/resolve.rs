//! Resolution: every raw import of the scan is matched against the path list of the
//! snapshot and becomes an edge between two modules, an external import (counted by
//! top-level name) or an unresolved one (counted with examples). Nothing is guessed: an
//! import whose target is not a file of the tree is never attached to a near miss.
//!
//! All lookups are hash lookups on the path list (a file-name index stands in for a
//! search), so the cost is linear in the number of imports.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use rayon::prelude::*;

use crate::model::{Architecture, ExternalImport, ImportEdge, Module, Uncertain, Unresolved};
use crate::scan::FileRecord;

use super::super::Analysis;
use super::{parent, FileImports, GoModule, RawImport, Target};

mod lookups;

use lookups::{Cpp, Crates, Python, Tree};

/// How many unresolved imports per language are kept as examples.
const EXAMPLES: usize = 5;

/// What one import came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome<'a> {
    /// The path of the imported module (a file; for Go, a package directory), borrowed
    /// from the path index: nearly every import names one, and Linux has 335,000.
    Module(&'a str),
    /// The paths of several imported modules (`from p import a, b` of submodules).
    Modules(Vec<&'a str>),
    /// Outside the repository, by top-level name: borrowed from the import when the
    /// import spells it as is (executorch has 20,000 external imports).
    External(Cow<'a, str>),
    /// Looks internal but names nothing of the tree.
    Unresolved,
    /// Resolved to something that is not a module file (a namespace package directory).
    Nothing,
    /// A lazy import whose target the scanner could not read, and why.
    Uncertain(&'static str),
}

impl<'a> Outcome<'a> {
    /// The imported modules' paths (none unless the import resolved to modules).
    fn targets(&self) -> &[&'a str] {
        match self {
            Outcome::Module(path) => std::slice::from_ref(path),
            Outcome::Modules(paths) => paths,
            _ => &[],
        }
    }
}

/// The import graph of the snapshot.
pub fn resolve(analysis: &Analysis) -> Architecture {
    let tree = Tree::new(analysis);
    let (python, cpp) = rayon::join(|| Python::new(&tree), || Cpp::new(&tree, &analysis.raw_imports));
    let crates = Crates::new(&tree, &analysis.rust_crates);
    let context = Context {
        tree: &tree,
        python: &python,
        cpp: &cpp,
        crates: &crates,
        go_modules: &analysis.go_modules,
    };
    // Resolution is read-only on the lookups, so it runs in parallel; the graph is then
    // put in path order, so the result does not depend on scheduling.
    let outcomes: Vec<Vec<Outcome<'_>>> = analysis
        .raw_imports
        .par_iter()
        .map(|file| {
            file.imports
                .iter()
                .map(|import| context.resolve(file, import))
                .collect()
        })
        .collect();
    graph(&context, &analysis.raw_imports, &outcomes)
}

/// Everything resolution reads.
pub struct Context<'a> {
    pub tree: &'a Tree<'a>,
    python: &'a Python<'a>,
    cpp: &'a Cpp<'a>,
    crates: &'a Crates<'a>,
    go_modules: &'a [GoModule],
}

impl<'a> Context<'a> {
    fn resolve(&self, file: &FileImports, import: &'a RawImport) -> Outcome<'a> {
        match &import.target {
            Target::Python(target) => self.python.resolve(&file.path, target),
            Target::Include { path, angle } => self.cpp.resolve(&file.path, path, *angle),
            Target::RustMod(name) => rust_mod(self.tree, &file.path, name),
            Target::RustUse(path) => rust_use(self.tree, self.crates, &file.path, path),
            Target::JavaScript(specifier) => javascript(self.tree, &file.path, specifier),
            Target::Go(path) => self.go(&file.path, path),
            Target::Uncertain(reason) => Outcome::Uncertain(reason),
        }
    }

    /// A Go import under the module path of the nearest `go.mod` names the package
    /// directory below that `go.mod`; one without a dot in its first element is the
    /// standard library.
    fn go(&self, importer: &str, path: &str) -> Outcome<'a> {
        let module = self
            .go_modules
            .iter()
            .filter(|m| m.dir.is_empty() || importer.starts_with(&format!("{}/", m.dir)))
            .max_by_key(|m| m.dir.len());
        if let Some(module) = module {
            let rest = if path == module.module {
                Some("")
            } else {
                path.strip_prefix(&format!("{}/", module.module))
            };
            if let Some(rest) = rest {
                let dir = lookups::join(&module.dir, rest);
                return match self.tree.go_packages.get_key_value(dir.as_str()) {
                    Some((package, _)) => Outcome::Module(package.as_str()),
                    None => Outcome::Unresolved,
                };
            }
        }
        let first = path.split('/').next().unwrap_or(path);
        let name = if first.contains('.') {
            path.split('/').take(3).collect::<Vec<_>>().join("/")
        } else {
            first.to_string()
        };
        Outcome::External(Cow::Owned(name))
    }
}

/// `mod x;` in a file: `x.rs` or `x/mod.rs` in the directory of the file's module.
fn rust_mod<'a>(tree: &Tree<'a>, importer: &str, name: &str) -> Outcome<'a> {
    let dir = rust_module_dir(importer);
    rust_child(tree, &dir, name).map_or(Outcome::Unresolved, Outcome::Module)
}

/// A `use` path: `crate::`, `self::`, `super::` paths, and a path whose first element is
/// a child module of the current one, resolve to the deepest module file that exists
/// along it (the rest names items); so does a path whose first element names a library
/// of the repository (a workspace member), from that library's root file; any other
/// first element is an external crate.
fn rust_use<'a>(tree: &Tree<'a>, crates: &Crates<'a>, importer: &str, path: &'a [String]) -> Outcome<'a> {
    let Some(first) = path.first() else {
        return Outcome::Nothing;
    };
    let module_dir = rust_module_dir(importer);
    // The file of the module the path starts from, when it is not found from `base`.
    let mut start_file = None;
    let (mut base, mut rest) = match first.as_str() {
        "crate" => match rust_crate_dir(tree, importer) {
            Some(dir) => (dir, &path[1..]),
            None => return Outcome::Unresolved,
        },
        "self" | "super" => (module_dir, &path[1..]),
        _ if rust_child(tree, &module_dir, first).is_some() => (module_dir, path),
        _ => match crates.root(first, importer) {
            // A library root declares its children in its own directory, whatever its
            // file is called (`[lib] path`).
            Some(root) => {
                start_file = Some(root);
                (parent(root).to_string(), &path[1..])
            }
            None => return Outcome::External(Cow::Borrowed(first)),
        },
    };
    if first == "super" {
        base = parent(&base).to_string();
    }
    while rest.first().is_some_and(|s| s == "super") {
        base = parent(&base).to_string();
        rest = &rest[1..];
    }
    for depth in (1..=rest.len()).rev() {
        let dir = lookups::join(&base, &rest[..depth - 1].join("/"));
        if let Some(found) = rust_child(tree, &dir, &rest[depth - 1]) {
            return Outcome::Module(found);
        }
    }
    start_file
        .or_else(|| rust_module_file(tree, &base))
        .map_or(Outcome::Unresolved, Outcome::Module)
}

/// Crate roots and `mod.rs` declare children in their own directory; other files in a
/// directory named after them.
fn rust_module_dir(path: &str) -> String {
    let dir = parent(path);
    let name = path.rsplit('/').next().unwrap_or(path);
    let dir_name = dir.rsplit('/').next().unwrap_or(dir);
    let root_like = matches!(name, "lib.rs" | "main.rs" | "mod.rs" | "build.rs")
        || matches!(dir_name, "bin" | "tests" | "examples" | "benches");
    if root_like {
        dir.to_string()
    } else {
        path.trim_end_matches(".rs").to_string()
    }
}

/// The nearest directory at or above the file's holding `lib.rs` or `main.rs`.
fn rust_crate_dir(tree: &Tree<'_>, path: &str) -> Option<String> {
    let mut dir = parent(path);
    loop {
        if tree.file(&lookups::join(dir, "lib.rs")).is_some() || tree.file(&lookups::join(dir, "main.rs")).is_some() {
            return Some(dir.to_string());
        }
        if dir.is_empty() {
            return None;
        }
        dir = parent(dir);
    }
}

fn rust_child<'a>(tree: &Tree<'a>, dir: &str, name: &str) -> Option<&'a str> {
    let file = lookups::join(dir, &format!("{name}.rs"));
    let nested = lookups::join(dir, &format!("{name}/mod.rs"));
    tree.file(&file).or_else(|| tree.file(&nested))
}

/// The file of the module whose children live in `dir`.
fn rust_module_file<'a>(tree: &Tree<'a>, dir: &str) -> Option<&'a str> {
    let candidates = [
        format!("{dir}.rs"),
        lookups::join(dir, "mod.rs"),
        lookups::join(dir, "lib.rs"),
        lookups::join(dir, "main.rs"),
    ];
    candidates.iter().find_map(|c| tree.file(c))
}

/// Extensions tried, in order, for a relative specifier without one (TypeScript first,
/// as its compiler does).
const JS_EXTENSIONS: [&str; 10] = [
    ".ts", ".tsx", ".d.ts", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts", ".json",
];

/// Relative specifiers resolve like Node and TypeScript do (the file, with an extension,
/// `.js` written for a `.ts` source, or the folder's `index`); bare ones are packages;
/// aliases (`@/x`, `~/x`, `#x`) and absolute paths depend on bundler configuration and
/// stay unresolved.
fn javascript<'a>(tree: &Tree<'a>, importer: &str, specifier: &str) -> Outcome<'a> {
    let specifier = specifier.split(['?', '#']).next().unwrap_or(specifier);
    let relative = specifier == "." || specifier == ".." || specifier.starts_with("./") || specifier.starts_with("../");
    if !relative {
        return match specifier {
            "" => Outcome::Unresolved,
            _ if specifier.starts_with(['/', '~', '#']) || specifier.starts_with("@/") => Outcome::Unresolved,
            _ => Outcome::External(Cow::Owned(package_name(specifier))),
        };
    }
    let Some(base) = lookups::normalize(&lookups::join(parent(importer), specifier)) else {
        return Outcome::Unresolved;
    };
    let stem = ["js", "jsx", "mjs", "cjs"]
        .iter()
        .find_map(|ext| base.strip_suffix(&format!(".{ext}")))
        .map(|s| s.to_string());
    let mut candidates = vec![base.clone()];
    candidates.extend(JS_EXTENSIONS.iter().map(|ext| format!("{base}{ext}")));
    if let Some(stem) = stem {
        candidates.extend([".ts", ".tsx", ".mts", ".cts"].iter().map(|ext| format!("{stem}{ext}")));
    }
    candidates.extend(
        JS_EXTENSIONS
            .iter()
            .map(|ext| lookups::join(&base, &format!("index{ext}"))),
    );
    candidates
        .iter()
        .find_map(|c| tree.file(c))
        .map_or(Outcome::Unresolved, Outcome::Module)
}

/// `@scope/name/sub` → `@scope/name`; `name/sub` → `name`.
fn package_name(specifier: &str) -> String {
    let parts = if specifier.starts_with('@') { 2 } else { 1 };
    specifier.split('/').take(parts).collect::<Vec<_>>().join("/")
}

/// The graph: one module per importing file and per import target, numbered in path
/// order, so edges need no renumbering (Linux has 335,000).
fn graph(context: &Context<'_>, files: &[FileImports], outcomes: &[Vec<Outcome<'_>>]) -> Architecture {
    // The importers' paths as the tree spells them, so that every path below is the
    // tree's own string.
    let importers: Vec<&str> = files
        .iter()
        .map(|f| context.tree.file(&f.path).unwrap_or(&f.path))
        .collect();
    let targets = outcomes.iter().flatten().flat_map(Outcome::targets);
    // Distinct first: Linux names 40,000 files in 335,000 imports.
    let distinct: HashSet<ByAddress<'_>> = importers.iter().chain(targets).map(|p| ByAddress(p)).collect();
    let mut spellings: Vec<&str> = distinct.into_iter().map(|p| p.0).collect();
    spellings.par_sort_unstable();
    // Two strings of one path (none are expected) still make one module.
    let mut ids: HashMap<ByAddress<'_>, usize> = HashMap::with_capacity_and_hasher(spellings.len(), Default::default());
    let mut paths: Vec<&str> = Vec::with_capacity(spellings.len());
    for path in spellings {
        if paths.last() != Some(&path) {
            paths.push(path);
        }
        ids.insert(ByAddress(path), paths.len() - 1);
    }
    // The modules, the edges and the counts read the outcomes apart: three tasks.
    let (modules, (edges, counted)) = rayon::join(
        || paths.par_iter().map(|path| module(context, path)).collect(),
        || rayon::join(|| edges(files, &importers, outcomes, &ids), || counts(files, outcomes)),
    );
    let Counts {
        unresolved,
        uncertain,
        external,
    } = counted;
    Architecture {
        modules,
        edges,
        unresolved,
        uncertain,
        external,
        // Measured after every analyzer, by the graph stage.
        measures: Default::default(),
    }
}

/// One edge per imported module of each import, in order.
fn edges(
    files: &[FileImports],
    importers: &[&str],
    outcomes: &[Vec<Outcome<'_>>],
    ids: &HashMap<ByAddress<'_>, usize>,
) -> Vec<ImportEdge> {
    // One pass on one thread into a vector of the exact size: collecting in parallel
    // concatenated per-thread vectors into fresh pages, and took 20 to 100 ms on Linux.
    let count = outcomes.iter().flatten().map(|o| o.targets().len()).sum();
    let mut edges: Vec<ImportEdge> = Vec::with_capacity(count);
    for ((file, importer), outcomes) in files.iter().zip(importers).zip(outcomes) {
        let from = ids[&ByAddress(importer)];
        for (import, outcome) in file.imports.iter().zip(outcomes) {
            let targets = outcome
                .targets()
                .iter()
                .map(|t| ids[&ByAddress(t)])
                .filter(|&to| to != from);
            edges.extend(targets.map(|to| ImportEdge {
                from,
                to,
                line: import.line,
                kind: import.kind,
                text: Arc::clone(&import.text),
                guard: import.guard.clone(),
            }));
        }
    }
    edges.par_sort_unstable();
    edges.dedup();
    edges
}

/// A path borrowed from the tree, hashed and compared by its address: the graph looks
/// paths up 700,000 times on Linux, and hashing the strings read each one from memory.
#[derive(Clone, Copy)]
struct ByAddress<'a>(&'a str);

impl PartialEq for ByAddress<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

impl Eq for ByAddress<'_> {}

impl std::hash::Hash for ByAddress<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::ptr::hash(self.0, state);
    }
}

/// What resolution counts rather than links.
struct Counts {
    unresolved: Vec<Unresolved>,
    uncertain: Vec<Uncertain>,
    external: Vec<ExternalImport>,
}

/// Unresolved imports per language and uncertain ones per language and reason (each with
/// the first [`EXAMPLES`] in path order), and external ones per language and name.
fn counts(files: &[FileImports], outcomes: &[Vec<Outcome<'_>>]) -> Counts {
    let mut unresolved: BTreeMap<&'static str, (usize, Vec<String>)> = BTreeMap::new();
    let mut uncertain: BTreeMap<(&'static str, &'static str), (usize, Vec<String>)> = BTreeMap::new();
    let mut external: HashMap<(&'static str, &str), usize> = HashMap::default();
    for (file, outcomes) in files.iter().zip(outcomes) {
        let language = file.family.name();
        for (import, outcome) in file.imports.iter().zip(outcomes) {
            match outcome {
                Outcome::External(name) => *external.entry((language, name.as_ref())).or_default() += 1,
                Outcome::Unresolved => example(unresolved.entry(language).or_default(), file, import),
                Outcome::Uncertain(reason) => example(uncertain.entry((language, reason)).or_default(), file, import),
                Outcome::Module(_) | Outcome::Modules(_) | Outcome::Nothing => {}
            }
        }
    }
    let unresolved = unresolved
        .into_iter()
        .map(|(language, (count, examples))| Unresolved {
            language: language.to_string(),
            count,
            examples,
        })
        .collect();
    let uncertain = uncertain
        .into_iter()
        .map(|((language, reason), (count, examples))| Uncertain {
            language: language.to_string(),
            reason: reason.to_string(),
            count,
            examples,
        })
        .collect();
    let mut external: Vec<ExternalImport> = external
        .into_iter()
        .map(|((language, name), count)| ExternalImport {
            language: language.to_string(),
            name: name.to_string(),
            count,
        })
        .collect();
    external.sort_unstable();
    Counts {
        unresolved,
        uncertain,
        external,
    }
}

/// One more import counted, kept as an example while there are fewer than [`EXAMPLES`].
fn example((count, examples): &mut (usize, Vec<String>), file: &FileImports, import: &RawImport) {
    *count += 1;
    if examples.len() < EXAMPLES {
        examples.push(format!("{}:{}: {}", file.path, import.line, import.text));
    }
}

/// The module at `path`: a file, or else a Go package directory.
fn module(context: &Context<'_>, path: &str) -> Module {
    match context.tree.record(path) {
        Some(record) => file_module(context, record),
        None => go_package_module(context, path),
    }
}

fn file_module(context: &Context<'_>, record: &FileRecord) -> Module {
    let path = &record.info.path;
    let language = record.info.language.map(|l| l.name().to_string()).unwrap_or_default();
    let python_name = (record.info.language == Some(tokei::LanguageType::Python))
        .then(|| context.python.module_name(path))
        .flatten();
    Module {
        path: path.clone(),
        name: python_name.unwrap_or_else(|| path.clone()),
        language,
        // Assigned by the graph stage, from the package rule of the whole tree.
        package: String::new(),
        code_lines: record.lines.code,
        role: record.info.role,
    }
}

/// A Go package: its directory, named by its import path, with the code lines of its
/// `.go` files.
fn go_package_module(context: &Context<'_>, dir: &str) -> Module {
    let name = context
        .go_modules
        .iter()
        .filter(|m| m.dir.is_empty() || dir == m.dir || dir.starts_with(&format!("{}/", m.dir)))
        .max_by_key(|m| m.dir.len())
        .map(|m| {
            let rest = dir.strip_prefix(m.dir.as_str()).unwrap_or(dir).trim_start_matches('/');
            lookups::join(&m.module, rest)
        })
        .unwrap_or_else(|| dir.to_string());
    Module {
        path: dir.to_string(),
        name,
        language: "Go".to_string(),
        package: String::new(),
        code_lines: context.tree.go_packages.get(dir).copied().unwrap_or(0),
        role: crate::model::Role::Source,
    }
}
