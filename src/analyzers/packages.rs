//! Packages: the unit that derived surfaces, the package table, layering, encapsulation
//! and `graph.dot` all measure. The first path segment is the right unit for a monorepo
//! (several top-level directories of comparable size), and the wrong one for a
//! single-package repository, where it makes the whole product one package: packages
//! must sit where the code divides. Two thirds, not a bare majority, so that two crates
//! or services of about equal size (51 % and 49 %) stay side by side.
//!
//! The rule, when `plumb.toml` declares neither `package_depth` nor `package_roots`:
//!
//! 1. **Descend.** From the repository root, go down into the subdirectory that holds
//!    at least two thirds of the directory's source code lines (files of role source, not
//!    below an examples, samples, demos, tutorials, benchmarks or docs folder), and
//!    again from there, until no subdirectory does, or until the directory reached is an
//!    *import root*: a Python top-level package (it holds `__init__.py`, its parent does
//!    not), a Rust crate's module root (it holds `lib.rs` or `main.rs`) or a directory
//!    named `src`. An import root whose source files all lie in one subdirectory (`src/`
//!    holding one Python package) is only a wrapper, and is descended through.
//! 2. **Roots.** The directories descended into are the package roots. A path belongs to
//!    the subdirectory of the deepest root above it (`src/mylib/models`), or to the root
//!    itself when it sits directly in it (`src/mylib`); a path under no root belongs to
//!    its top-level directory (`tests`), and a file at the repository root to `.`.
//! 3. **Source layouts.** A package directory named `src` that holds no source file of
//!    its own and source files in exactly one subdirectory (the src layout of a Python
//!    project beside others, `src/mylib/`) becomes a root too: the package is named for
//!    what it holds, `src/mylib`, not `src`.
//!
//! Declared (`plumb.toml`): `package_roots` are the roots (with every directory above
//! them, so that no package holds another), `package_depth` the number of leading
//! directories that name a package outside them (1 unless given; a file shallower than
//! that belongs to its own directory). Nothing is inferred then.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use tokei::LanguageType;

use crate::model::{
    Confidence, Finding, PackageFiles, PackageRule, PackageRuleSource, PlumbConfig, Role, Severity, Surface,
};
use crate::scan::FileRecord;

use super::workflows::rules::{Judgement, Reporter};

/// Name of the derived surface of the source files at the root of the tree.
pub const ROOT_SURFACE: &str = "(root)";

/// The package rule of the snapshot: declared in `config`, or inferred from `files` (the
/// tracked ones).
pub fn rule(files: &[&FileRecord], config: Option<&PlumbConfig>) -> PackageRule {
    match config {
        Some(config) if config.package_depth.is_some() || !config.package_roots.is_empty() => declared(config),
        _ => inferred(&Tree::new(files)),
    }
}

fn declared(config: &PlumbConfig) -> PackageRule {
    let depth = config.package_depth.unwrap_or(1);
    let mut steps: Vec<String> = config
        .package_roots
        .iter()
        .map(|root| format!("`{root}` is declared a package root: its subdirectories are packages"))
        .collect();
    steps.push(format!(
        "elsewhere a package is the first {} of a path (`package_depth`{})",
        plural_directories(depth),
        if config.package_depth.is_some() {
            ""
        } else {
            " not declared"
        }
    ));
    PackageRule {
        source: PackageRuleSource::Declared,
        roots: config
            .package_roots
            .iter()
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
        depth,
        steps,
    }
}

fn plural_directories(depth: usize) -> String {
    match depth {
        1 => "directory".to_string(),
        n => format!("{n} directories"),
    }
}

/// Source code lines per directory, and the directories that mark an import root.
#[derive(Default)]
struct Tree<'a> {
    /// Code lines of the source files at or below each directory (`""`: the root).
    code: HashMap<&'a str, u64>,
    /// Code lines of the source files directly in each directory.
    direct: HashMap<&'a str, u64>,
    /// The subdirectories holding source code, per directory, sorted.
    children: HashMap<&'a str, BTreeSet<&'a str>>,
    /// Directories holding `__init__.py`.
    python: HashSet<&'a str>,
    /// Directories holding `lib.rs` or `main.rs`.
    rust: HashSet<&'a str>,
}

impl<'a> Tree<'a> {
    fn new(files: &[&'a FileRecord]) -> Tree<'a> {
        let mut tree = Tree::default();
        for file in files {
            let path = file.info.path.as_str();
            let dir = parent(path);
            match path.rsplit('/').next().unwrap_or(path) {
                "__init__.py" => _ = tree.python.insert(dir),
                "lib.rs" | "main.rs" => _ = tree.rust.insert(dir),
                _ => {}
            }
            let code = file.lines.code;
            // Examples and benchmarks are not where the product's code divides.
            if file.info.role != Role::Source || code == 0 || crate::scan::role::shows_the_product(path) {
                continue;
            }
            *tree.direct.entry(dir).or_default() += code;
            let mut at = dir;
            loop {
                *tree.code.entry(at).or_default() += code;
                if at.is_empty() {
                    break;
                }
                tree.children.entry(parent(at)).or_default().insert(at);
                at = parent(at);
            }
        }
        tree
    }

    fn code(&self, dir: &str) -> u64 {
        self.code.get(dir).copied().unwrap_or(0)
    }

    fn children(&self, dir: &str) -> impl Iterator<Item = &'a str> + '_ {
        self.children.get(dir).into_iter().flatten().copied()
    }

    /// Source files in exactly one subdirectory and none directly.
    fn is_wrapper(&self, dir: &str) -> bool {
        self.direct.get(dir).copied().unwrap_or(0) == 0 && self.children(dir).count() == 1
    }

    /// Why `dir` is an import root, if it is one.
    fn import_root(&self, dir: &str) -> Option<&'static str> {
        if self.python.contains(dir) && !self.python.contains(parent(dir)) {
            Some("a Python top-level package")
        } else if self.rust.contains(dir) {
            Some("a Rust crate's module root")
        } else if dir.rsplit('/').next() == Some("src") {
            Some("a `src` directory")
        } else {
            None
        }
    }
}

fn inferred(tree: &Tree<'_>) -> PackageRule {
    let (mut roots, mut steps) = descend(tree);
    let wrappers = wrappers(tree, &roots);
    if !wrappers.is_empty() {
        let shown: Vec<String> = wrappers.iter().take(5).map(|w| format!("`{w}`")).collect();
        steps.push(format!(
            "{} {} source files in one subdirectory only, so the subdirectory is the package: {}{}",
            wrappers.len(),
            if wrappers.len() == 1 {
                "directory holds"
            } else {
                "directories hold"
            },
            shown.join(", "),
            if wrappers.len() > shown.len() { ", …" } else { "" }
        ));
    }
    roots.extend(wrappers);
    roots.sort();
    PackageRule {
        source: PackageRuleSource::Inferred,
        roots,
        depth: 1,
        steps,
    }
}

/// Rule 1: the directories descended into, and each step's reason.
fn descend(tree: &Tree<'_>) -> (Vec<String>, Vec<String>) {
    let (mut roots, mut steps) = (Vec::new(), Vec::new());
    let mut at = "";
    loop {
        let total = tree.code(at);
        // The largest subdirectory, the first by name among equals.
        let largest = tree
            .children(at)
            .max_by(|a, b| tree.code(a).cmp(&tree.code(b)).then_with(|| b.cmp(a)));
        let (Some(largest), true) = (largest, total > 0) else {
            break;
        };
        if !at.is_empty() && !tree.is_wrapper(at) {
            if let Some(why) = tree.import_root(at) {
                steps.push(format!("`{at}` is {why}: its subdirectories are packages"));
                break;
            }
        }
        let share = percent(tree.code(largest), total);
        let name = if at.is_empty() {
            "the repository".to_string()
        } else {
            format!("`{at}`")
        };
        if tree.code(largest) * 3 < total * 2 {
            let packages = if at.is_empty() {
                "the top-level directories"
            } else {
                "its subdirectories"
            };
            steps.push(format!(
                "no subdirectory holds two thirds of the source code lines of {name} (the largest, `{largest}`, {share}): {packages} are packages"
            ));
            break;
        }
        steps.push(format!("`{largest}` holds {share} of the source code lines of {name}"));
        roots.push(largest.to_string());
        at = largest;
    }
    (roots, steps)
}

/// Rule 3: `src` package directories that only wrap one subdirectory.
fn wrappers(tree: &Tree<'_>, roots: &[String]) -> Vec<String> {
    let mut is_root: HashSet<&str> = roots.iter().map(String::as_str).collect();
    let mut dirs: Vec<&str> = tree.code.keys().copied().filter(|d| !d.is_empty()).collect();
    dirs.sort_by_key(|d| (d.matches('/').count(), *d));
    let mut found = Vec::new();
    for dir in dirs {
        let up = parent(dir);
        let package_dir = up.is_empty() || is_root.contains(up);
        let named_src = dir.rsplit('/').next() == Some("src");
        if package_dir && named_src && !is_root.contains(dir) && tree.is_wrapper(dir) {
            is_root.insert(dir);
            found.push(dir.to_string());
        }
    }
    found
}

/// The package of every path, by the rule.
pub struct Partition<'a> {
    /// The rule's roots and every directory above them.
    roots: HashSet<&'a str>,
    depth: usize,
}

/// A package, and whether it holds its whole directory tree or only the files directly
/// in it (a root, or a directory shallower than the depth).
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Package {
    pub name: String,
    pub subtree: bool,
}

impl<'a> Partition<'a> {
    pub fn new(rule: &'a PackageRule) -> Partition<'a> {
        let mut roots = HashSet::default();
        for root in &rule.roots {
            let mut at = root.as_str();
            while !at.is_empty() && roots.insert(at) {
                at = parent(at);
            }
        }
        Partition {
            roots,
            depth: rule.depth.max(1),
        }
    }

    /// The package of a module or file at `path`; `is_dir` for a Go package directory.
    pub fn package(&self, path: &str, is_dir: bool) -> Package {
        let dir = if is_dir { path } else { parent(path) };
        let mut at = dir;
        while !at.is_empty() {
            if self.roots.contains(at) {
                return match dir[at.len()..].trim_start_matches('/').split('/').next() {
                    Some(child) if !child.is_empty() => Package {
                        name: format!("{at}/{child}"),
                        subtree: true,
                    },
                    _ => Package {
                        name: at.to_string(),
                        subtree: false,
                    },
                };
            }
            at = parent(at);
        }
        if dir.is_empty() {
            return Package {
                name: ".".to_string(),
                subtree: false,
            };
        }
        let components: Vec<&str> = dir.split('/').collect();
        Package {
            name: components[..components.len().min(self.depth)].join("/"),
            subtree: components.len() >= self.depth,
        }
    }
}

/// One surface per package holding a file of role source, named after the package
/// (`(root)` for the files at the root): the parts a refactor plans around.
pub fn derived_surfaces(files: &[&FileRecord], rule: &PackageRule) -> Vec<Surface> {
    let partition = Partition::new(rule);
    let packages: BTreeMap<String, bool> = files
        .iter()
        .filter(|f| f.info.role == Role::Source)
        .map(|f| partition.package(&f.info.path, false))
        .map(|p| (p.name, p.subtree))
        .collect();
    packages
        .into_iter()
        .map(|(name, subtree)| {
            let glob = match (name.as_str(), subtree) {
                (".", _) => "*".to_string(),
                (_, true) => format!("{}/**", globset::escape(&name)),
                (_, false) => format!("{}/*", globset::escape(&name)),
            };
            Surface {
                name: if name == "." { ROOT_SURFACE.to_string() } else { name },
                paths: vec![glob],
                ..Default::default()
            }
        })
        .collect()
}

/// Source languages that describe rather than run: markup, stylesheets and templates. A
/// package of them has nothing for a unit test to call.
const NOT_PROGRAMS: &[LanguageType] = {
    use LanguageType::*;
    &[
        Css, Handlebars, Html, Jinja2, Less, Liquid, PostCss, Sass, Stylus, Svg, Xaml, Xml,
    ]
};

/// The production source and the test files of every package holding either, by name.
pub fn package_files(files: &[&FileRecord], rule: &PackageRule) -> Vec<PackageFiles> {
    let partition = Partition::new(rule);
    // Each package, with the code lines of its largest source file so far.
    let mut packages: Vec<(PackageFiles, u64)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::default();
    // Files are in path order, so a directory's files come together: its package and
    // whether it shows the product are found once per directory, not once per file.
    let mut last: Option<(&str, usize, bool)> = None;
    for file in files {
        let path = file.info.path.as_str();
        let language = file.info.language;
        let test = file.info.role == Role::Test && language.is_some();
        let source = file.info.role == Role::Source && language.is_some_and(|l| !NOT_PROGRAMS.contains(&l));
        if !test && !source {
            continue;
        }
        let dir = parent(path);
        let (package, showcase) = match last {
            Some((at, package, showcase)) if at == dir => (package, showcase),
            _ => {
                let name = partition.package(path, false).name;
                let next = packages.len();
                let package = *index.entry(name.clone()).or_insert(next);
                if package == next {
                    packages.push((
                        PackageFiles {
                            name,
                            ..Default::default()
                        },
                        0,
                    ));
                }
                let showcase = crate::scan::role::shows_the_product(path);
                last = Some((dir, package, showcase));
                (package, showcase)
            }
        };
        let (package, most) = &mut packages[package];
        if test {
            package.test_files += 1;
        } else if !showcase {
            package.source_files += 1;
            package.source_code_lines += file.lines.code;
            // The first of the largest keeps its place on a tie.
            if package.largest_source.is_none() || file.lines.code > *most {
                package.largest_source = Some(path.to_string());
                *most = file.lines.code;
            }
        }
    }
    let mut packages: Vec<PackageFiles> = packages.into_iter().map(|(package, _)| package).collect();
    packages.sort_by(|a, b| a.name.cmp(&b.name));
    packages
}

/// Declared package roots that hold no tracked file, as findings at their line: they
/// group nothing, and a misspelt root would otherwise pass unnoticed.
pub fn empty_roots(config: &PlumbConfig, files: &[&FileRecord]) -> Vec<Finding> {
    let mut reporter = Reporter::new(&config.path, &config.text);
    for root in &config.package_roots {
        let prefix = format!("{root}/");
        if files.iter().any(|f| f.info.path.starts_with(&prefix)) {
            continue;
        }
        let at = reporter.find(1, usize::MAX, &format!("\"{root}")).unwrap_or((1, 1));
        let judgement = Judgement {
            severity: Severity::Low,
            confidence: Confidence::High,
            message: format!("package root `{root}` holds no tracked file"),
            remediation: "Name a directory of the repository, or remove the entry.",
        };
        reporter.report(&super::config::CONFIG_INVALID, at, root.chars().count() + 2, judgement);
    }
    reporter.into_findings()
}

/// `97.3%`: tenths of a percent, rounded down (integers: the same text everywhere).
fn percent(part: u64, whole: u64) -> String {
    let tenths = part.saturating_mul(1000) / whole.max(1);
    format!("{}.{}%", tenths / 10, tenths % 10)
}

/// The directory of `path` (`""` at the root).
fn parent(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

#[cfg(test)]
mod tests;
