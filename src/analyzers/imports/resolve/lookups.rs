//! The path list of the snapshot as hash lookups, and the per-language indexes built
//! on it once per audit (Python package roots, C/C++ include roots).

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::sync::Arc;

// Paths are hashed tens of thousands of times per audit; FxHash is several times faster
// than std's SipHash on short strings, and no key here comes from an adversary that could
// exploit its collisions to slow the audit more than the files themselves can.
use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use smallvec::SmallVec;

use crate::model::SkipReason;
use crate::scan::FileRecord;

use super::super::super::Analysis;
use super::super::{parent, Family, FileImports, Names, PythonImport, RustCrate, Target};
use super::Outcome;

/// `a` + `/` + `b`, either may be empty.
pub fn join(a: &str, b: &str) -> String {
    // Not `format!`: its machinery was a tenth of building the lookups of executorch.
    let mut path = String::with_capacity(a.len() + 1 + b.len());
    join_into(&mut path, a, b);
    path
}

/// [`join`] into `out`, which is cleared first.
fn join_into(out: &mut String, a: &str, b: &str) {
    dir_into(out, a, b);
    out.push_str(b);
}

/// Clears `out` and writes `dir` into it, with the slash that a non-empty `rest` needs
/// after a non-empty `dir`.
fn dir_into(out: &mut String, dir: &str, rest: &str) {
    out.clear();
    out.push_str(dir);
    if !dir.is_empty() && !rest.is_empty() {
        out.push('/');
    }
}

/// `a/./b/../c` → `a/c`; `None` when the path climbs out of the repository (it is never
/// looked up on disk).
pub fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            _ => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

/// [`normalize`], without copying a path that is already normal (most includes are).
fn normalized(path: String) -> Option<String> {
    let normal = path.split('/').all(|part| !matches!(part, "" | "." | ".."));
    if normal {
        Some(path)
    } else {
        normalize(&path)
    }
}

/// How many directory symlinks deep a path is followed (links through links).
const MAX_LINK_DEPTH: usize = 4;

/// Every tracked path of the snapshot.
pub struct Tree<'a> {
    records: HashMap<&'a str, &'a FileRecord>,
    /// Every path, in path order.
    paths: Vec<&'a str>,
    dirs: HashSet<&'a str>,
    /// Symlinks inside the repository: `link → normalized target`.
    links: BTreeMap<String, String>,
    /// Every file and directory path that exists only through a directory symlink, to
    /// its real path (computed once: lookups then never allocate).
    aliases: HashMap<Arc<str>, &'a str>,
    alias_dirs: HashSet<String>,
    /// Go package directories → code lines of their `.go` files.
    pub go_packages: HashMap<String, u64>,
}

impl<'a> Tree<'a> {
    pub fn new(analysis: &'a Analysis) -> Tree<'a> {
        let files = analysis.files.len();
        let mut tree = Tree {
            records: HashMap::with_capacity_and_hasher(files, Default::default()),
            paths: Vec::with_capacity(files),
            dirs: HashSet::default(),
            links: directory_links(analysis),
            aliases: HashMap::default(),
            alias_dirs: HashSet::default(),
            go_packages: HashMap::default(),
        };
        // In path order, a file's directory is most often the one before's: it is then
        // known without hashing it.
        let mut last_dir = "";
        for record in analysis.tracked() {
            let path = record.info.path.as_str();
            tree.records.insert(path, record);
            tree.paths.push(path);
            let mut dir = parent(path);
            if dir != last_dir {
                last_dir = dir;
                while !dir.is_empty() && tree.dirs.insert(dir) {
                    dir = parent(dir);
                }
            }
            if path.ends_with(".go") {
                *tree.go_packages.entry(parent(path).to_string()).or_default() += record.lines.code;
            }
        }
        tree.add_aliases();
        tree
    }

    /// Fills `aliases`: each real path below a linked directory, spelled through the link;
    /// links seen through links too, up to [`MAX_LINK_DEPTH`] deep (a link loop ends there).
    fn add_aliases(&mut self) {
        if self.links.is_empty() {
            return;
        }
        // In path order (as `paths` is), so which spelling of a path wins never depends on
        // hashing, and the paths below a link's target are one run of the list. The first
        // round reads the path list itself (executorch: 30,000 paths, 24 links).
        let paths = std::mem::take(&mut self.paths);
        let mut frontier = self.spell_through_links(&paths, |path| (path, path));
        self.paths = paths;
        for _ in 1..MAX_LINK_DEPTH {
            if frontier.is_empty() {
                break;
            }
            frontier.sort_unstable();
            frontier = self.spell_through_links(&frontier, |(alias, real)| (alias, *real));
        }
    }

    /// The spellings of the sorted `frontier` (each a spelling and its real path) seen
    /// through each link that are new, recorded in `aliases`. Each alias is written into
    /// one buffer and allocated once, shared by the map and the next frontier; a directory
    /// only when it is new: allocating every candidate and every directory on its way up
    /// took executorch's 7,800 aliases 3.2 ms.
    fn spell_through_links<T>(
        &mut self,
        frontier: &[T],
        spelled: impl Fn(&T) -> (&str, &'a str),
    ) -> Vec<(Arc<str>, &'a str)> {
        let mut next = Vec::new();
        let mut alias = String::new();
        for (link, target) in &self.links {
            let prefix = if target.is_empty() {
                String::new()
            } else {
                format!("{target}/")
            };
            let start = frontier.partition_point(|item| spelled(item).0 < prefix.as_str());
            let below = frontier[start..].iter().map_while(|item| {
                let (spelling, real) = spelled(item);
                Some((spelling.strip_prefix(prefix.as_str())?, real))
            });
            for (rest, real) in below {
                join_into(&mut alias, link, rest);
                if self.records.contains_key(alias.as_str()) || self.aliases.contains_key(alias.as_str()) {
                    continue;
                }
                let mut dir = parent(&alias);
                while dir.len() >= link.len() && !self.alias_dirs.contains(dir) {
                    self.alias_dirs.insert(dir.to_string());
                    dir = parent(dir);
                }
                let alias: Arc<str> = Arc::from(alias.as_str());
                self.aliases.insert(Arc::clone(&alias), real);
                next.push((alias, real));
            }
        }
        next
    }

    pub fn record(&self, path: &str) -> Option<&'a FileRecord> {
        self.records.get(path).copied()
    }

    /// The tracked file at `path`, following directory symlinks inside the repository;
    /// its real path.
    pub fn file(&self, path: &str) -> Option<&'a str> {
        match self.records.get_key_value(path) {
            Some((real, _)) => Some(*real),
            None => self.aliases.get(path).copied(),
        }
    }

    pub fn is_dir(&self, path: &str) -> bool {
        path.is_empty() || self.dirs.contains(path) || self.alias_dirs.contains(path)
    }

    /// The other names of a real path: the same file seen through each directory
    /// symlink of the repository that points above it (`src/pkg/x.h` for `x.h` when
    /// `src/pkg -> ..`).
    fn spellings<'p>(&'p self, path: &'p str) -> impl Iterator<Item = Cow<'p, str>> + 'p {
        let aliases = self.links.iter().filter_map(move |(link, target)| {
            let rest = if target.is_empty() {
                Some(path)
            } else {
                path.strip_prefix(target.as_str()).and_then(|r| r.strip_prefix('/'))
            };
            rest.map(|rest| Cow::Owned(join(link, rest)))
        });
        std::iter::once(Cow::Borrowed(path)).chain(aliases)
    }
}

/// Symlinks the scan found to point inside the repository.
fn directory_links(analysis: &Analysis) -> BTreeMap<String, String> {
    analysis
        .notes
        .iter()
        .filter(|n| n.reason == SkipReason::SymlinkInside)
        .filter_map(|n| {
            let target = normalize(&join(parent(&n.path), n.detail.as_deref()?))?;
            Some((n.path.clone(), target))
        })
        .collect()
}

/// Python package roots: the directory above each top-most `__init__.py` package, every
/// `src` directory (the src layout), and the repository root, from which any directory
/// of `.py` files is importable by dotted path (namespace packages).
pub struct Python<'a> {
    tree: &'a Tree<'a>,
    /// Hashed, not ordered: a module's name looks up each directory above it, and
    /// `holders` every directory and module of the tree (executorch: these lookups were
    /// built in 2.4 ms instead of 2.8, medians of eight runs).
    roots: HashSet<&'a str>,
    /// Name of a directory or `.py` file → the roots holding it, in path order (built in
    /// one pass over the tree, before resolution, which then runs in parallel).
    holders: HashMap<&'a str, Vec<&'a str>>,
    /// The module files of every dotted path, as [`module_files`] indexes them.
    modules: HashMap<&'a str, ModuleFiles<'a>>,
}

/// The files that can hold the module at a path without extension (`a/b`): `a/b.py`,
/// `a/b.pyi`, `a/b/__init__.py`, as real paths.
#[derive(Debug, Default, Clone, Copy)]
struct ModuleFiles<'a> {
    py: Option<&'a str>,
    pyi: Option<&'a str>,
    init: Option<&'a str>,
}

impl<'a> Python<'a> {
    pub fn new(tree: &'a Tree<'a>) -> Python<'a> {
        let modules = module_files(tree);
        // Asked of the real directories above a tracked file only, so an `__init__.py`
        // found is the directory's own, not one seen through a symlink.
        let is_package = |dir: &str| modules.get(dir).is_some_and(|files| files.init.is_some());
        let mut roots: HashSet<&str> = HashSet::from_iter([""]);
        for path in tree.records.keys() {
            if path.ends_with("/__init__.py") {
                let mut package = parent(path);
                while !package.is_empty() && is_package(parent(package)) {
                    package = parent(package);
                }
                roots.insert(parent(package));
            }
        }
        roots.extend(tree.dirs.iter().filter(|d| is_src(d)));
        let holders = holders(tree, &roots);
        Python {
            tree,
            roots,
            holders,
            modules,
        }
    }

    /// The dotted name of a module file, from the deepest root above it.
    pub fn module_name(&self, path: &str) -> Option<String> {
        let stem = path.strip_suffix(".py").or_else(|| path.strip_suffix(".pyi"))?;
        let root = self.root_of(path);
        let rest = stem[root.len()..].trim_start_matches('/');
        let rest = rest.strip_suffix("/__init__").unwrap_or(rest);
        (rest != "__init__").then(|| rest.replace('/', "."))
    }

    fn root_of<'p>(&self, path: &'p str) -> &'p str {
        let mut dir = parent(path);
        while !dir.is_empty() && !self.roots.contains(dir) {
            dir = parent(dir);
        }
        dir
    }

    pub fn resolve(&self, importer: &str, import: &'a PythonImport) -> Outcome<'a> {
        let (module, names) = (import.module(), import.names());
        if import.level > 0 {
            return self.relative(importer, import.level, module, names);
        }
        let top = &module[..module.bytes().position(|b| b == b'.').unwrap_or(module.len())];
        let is_ancestor =
            |root: &str| root.is_empty() || importer.strip_prefix(root).is_some_and(|rest| rest.starts_with('/'));
        // A root deep in the tree is on `sys.path` only for code run from below it; from
        // elsewhere a same-named import is the standard library or an installed package
        // (executorch: `import logging` is not `backends/apple/coreml/logging.py`).
        let mut ordered: SmallVec<[&str; 4]> = self
            .holders
            .get(top)
            .map_or(&[][..], |r| r.as_slice())
            .iter()
            .copied()
            .filter(|root| is_ancestor(root) || is_src(root))
            .collect();
        if ordered.is_empty() {
            return Outcome::External(Cow::Borrowed(top));
        }
        ordered.sort_by_key(|root| {
            (
                Reverse(is_ancestor(root)),
                Reverse(if is_ancestor(root) { root.len() } else { 0 }),
            )
        });
        ordered
            .into_iter()
            .find_map(|root| self.in_base(root, module, names.clone()))
            .unwrap_or(Outcome::Unresolved)
    }

    /// `from ..p import x` in `a/b/c.py`: the package of `c` is `a/b`, each dot beyond
    /// the first climbs one directory; climbing out of the repository is unresolved.
    fn relative<'n>(&self, importer: &str, level: usize, module: &str, names: Names<'n>) -> Outcome<'a> {
        let mut base = parent(importer);
        for _ in 1..level {
            if base.is_empty() {
                return Outcome::Unresolved;
            }
            base = parent(base);
        }
        self.in_base(base, module, names).unwrap_or(Outcome::Unresolved)
    }

    /// `module` (dotted, may be empty) below directory `base`, and each imported name as
    /// a submodule if there is one, else the module itself. `None` when `base` does not
    /// hold the module at all (the caller tries another root).
    fn in_base<'n>(&self, base: &str, module: &str, names: Names<'n>) -> Option<Outcome<'a>> {
        let dir = dotted_path(base, module);
        let this = self.module_file(&dir, module.is_empty());
        if names.clone().next().is_none() {
            return match this {
                Some(path) => Some(Outcome::Module(path)),
                None if self.tree.is_dir(&dir) => Some(Outcome::Nothing),
                None => None,
            };
        }
        // One buffer for every name's path.
        let mut path = String::new();
        // On the stack: most `from` statements name one module.
        let mut targets: SmallVec<[&'a str; 4]> = names
            .filter_map(|name| match name {
                "*" => this,
                _ => {
                    dotted_into(&mut path, &dir, name);
                    self.module_file(&path, false).or(this)
                }
            })
            .collect();
        targets.sort();
        targets.dedup();
        if let [one] = targets[..] {
            Some(Outcome::Module(one))
        } else if !targets.is_empty() {
            Some(Outcome::Modules(targets.into_vec()))
        } else if self.tree.is_dir(&dir) {
            Some(Outcome::Unresolved)
        } else {
            None
        }
    }

    /// `dir.py`, else `dir.pyi`, else `dir/__init__.py` (only the last for a bare package
    /// directory).
    fn module_file(&self, dir: &str, package_only: bool) -> Option<&'a str> {
        let files = self.modules.get(dir)?;
        if package_only || dir.is_empty() {
            files.init
        } else {
            files.py.or(files.pyi).or(files.init)
        }
    }
}

/// Every `.py`, `.pyi` and `__init__.py` file of the tree, by the path that names its
/// module without extension, through directory symlinks too. A candidate module is then
/// one lookup, not three in each of the tree's two maps (a missed name, the most common
/// kind, cost six): executorch's Python imports resolved in 4.2 ms instead of 6.5.
fn module_files<'a>(tree: &'a Tree<'a>) -> HashMap<&'a str, ModuleFiles<'a>> {
    let real = tree.records.keys().map(|path| (*path, *path));
    let aliases = tree.aliases.iter().map(|(alias, real)| (&**alias, *real));
    let spellings = real.chain(aliases);
    // Sized first, rather than grown while filled (its growth showed in profiles).
    let count = spellings
        .clone()
        .filter(|(path, _)| path.ends_with(".py") || path.ends_with(".pyi"))
        .count();
    let mut modules: HashMap<&'a str, ModuleFiles<'a>> = HashMap::with_capacity_and_hasher(count, Default::default());
    for (spelling, real) in spellings {
        if let Some(stem) = spelling.strip_suffix(".py") {
            modules.entry(stem).or_default().py = Some(real);
            if stem == "__init__" || stem.ends_with("/__init__") {
                modules.entry(parent(stem)).or_default().init = Some(real);
            }
        } else if let Some(stem) = spelling.strip_suffix(".pyi") {
            modules.entry(stem).or_default().pyi = Some(real);
        }
    }
    modules
}

/// The path of dotted name `name` below directory `dir` (`a/b` + `c.d` → `a/b/c/d`), in
/// one allocation: it runs for every Python import.
fn dotted_path(dir: &str, name: &str) -> String {
    let mut path = String::with_capacity(dir.len() + 1 + name.len());
    dotted_into(&mut path, dir, name);
    path
}

/// [`dotted_path`] into `out`, which is cleared first: it runs for every imported name.
fn dotted_into(out: &mut String, dir: &str, name: &str) {
    // Room for the whole path first: the buffer of a statement's names started empty and
    // grew two or three times on the first (executorch: 430 instructions a path).
    out.clear();
    out.reserve(dir.len() + 1 + name.len());
    dir_into(out, dir, name);
    // Found by bytes, not by `str::split`'s searcher (with the names split by bytes too,
    // [`Names`]): executorch's Python imports resolved in 3.4 ms instead of 4.2.
    let mut rest = name;
    while let Some(dot) = memchr::memchr(b'.', rest.as_bytes()) {
        out.push_str(&rest[..dot]);
        out.push('/');
        rest = &rest[dot + 1..];
    }
    out.push_str(rest);
}

/// A `src` directory: the src layout's package root, importable from anywhere.
fn is_src(root: &str) -> bool {
    root == "src" || root.ends_with("/src")
}

/// Every name that a root holds as a directory or a `.py` module (the roots that can
/// satisfy an absolute import of that top-level name), read off each path of the tree
/// once: the path's name is held by its parent directory when that is a root.
fn holders<'a>(tree: &'a Tree<'a>, roots: &HashSet<&'a str>) -> HashMap<&'a str, Vec<&'a str>> {
    let dirs = tree
        .dirs
        .iter()
        .copied()
        .chain(tree.alias_dirs.iter().map(String::as_str));
    let files = tree
        .records
        .keys()
        .copied()
        .chain(tree.aliases.keys().map(|alias| &**alias));
    let modules = files.filter_map(|path| path.strip_suffix(".py"));
    let mut holders: HashMap<&'a str, Vec<&'a str>> = HashMap::default();
    for path in dirs.chain(modules) {
        let (root, name) = path.rsplit_once('/').unwrap_or(("", path));
        if let Some(root) = roots.get(root) {
            holders.entry(name).or_default().push(root);
        }
    }
    for found in holders.values_mut() {
        // A name can be both a directory and a module of the same root.
        found.sort_unstable();
        found.dedup();
    }
    holders
}

/// The Rust libraries of the repository (every `Cargo.toml` with a package, workspace
/// member or not) by the name a `use` in another crate spells.
pub struct Crates<'a> {
    /// Crate name → the real paths of the root files of the libraries of that name, in
    /// path order (two crates can share a name in different workspaces).
    roots: HashMap<&'a str, Vec<&'a str>>,
}

impl<'a> Crates<'a> {
    pub fn new(tree: &Tree<'a>, crates: &'a [RustCrate]) -> Crates<'a> {
        let mut roots: HashMap<&'a str, Vec<&'a str>> = HashMap::default();
        for library in crates {
            // A root outside the repository, or not a file of it, is no library of it.
            let Some(path) = (!library.root.starts_with('/'))
                .then(|| normalize(&join(&library.dir, &library.root)))
                .flatten()
            else {
                continue;
            };
            if let Some(root) = tree.file(&path) {
                roots.entry(library.name.as_str()).or_default().push(root);
            }
        }
        for found in roots.values_mut() {
            found.sort_unstable();
            found.dedup();
        }
        Crates { roots }
    }

    /// The root file of the library `name` nearest the importer (the most leading
    /// directories shared, then path order), as with includes.
    pub fn root(&self, name: &str, importer: &str) -> Option<&'a str> {
        self.roots
            .get(name)?
            .iter()
            .max_by_key(|root| (common_prefix(root, importer), Reverse(**root)))
            .copied()
    }
}

/// C/C++ include roots: the repository root, every `include` directory, and every
/// directory that a quoted multi-component include (`"executorch/runtime/x.h"`) is found
/// below.
pub struct Cpp<'a> {
    tree: &'a Tree<'a>,
    roots: HashSet<String>,
    /// File name → every path with that name, in path order (the include search).
    by_name: HashMap<&'a str, Vec<&'a str>>,
    /// Include path as written → the files of that name it can name from an include root
    /// (`None` when no file has that name); absent when the path climbs out of the
    /// repository. Computed once per distinct path, in parallel (Linux has 30 times more
    /// includes than distinct include paths).
    candidates: HashMap<String, Option<Vec<&'a str>>>,
}

impl<'a> Cpp<'a> {
    pub fn new(tree: &'a Tree<'a>, files: &[FileImports]) -> Cpp<'a> {
        let mut roots: HashSet<String> = HashSet::from_iter([String::new()]);
        roots.extend(
            tree.dirs
                .iter()
                .filter(|d| **d == "include" || d.ends_with("/include"))
                .map(|d| d.to_string()),
        );
        // Each distinct include path once, and whether it is ever written quoted; beside
        // it, the file-name index (each took 15 ms on Linux), when there are includes.
        let has_includes = files.iter().any(|f| f.family == Family::Cpp);
        let (written, by_name) = rayon::join(
            || distinct_includes(files),
            || {
                if has_includes {
                    file_names(tree)
                } else {
                    HashMap::default()
                }
            },
        );
        let nested = written
            .iter()
            .filter(|&(path, &quoted)| quoted && path.contains('/') && !path.starts_with('.'))
            .map(|(path, _)| *path);
        for path in nested {
            for candidate in by_name.get(file_name(path)).into_iter().flatten() {
                for spelling in tree.spellings(candidate) {
                    if let Some(prefix) = spelling.strip_suffix(path).and_then(|p| p.strip_suffix('/')) {
                        roots.insert(prefix.to_string());
                    }
                }
            }
        }
        let mut cpp = Cpp {
            tree,
            roots,
            by_name,
            candidates: HashMap::default(),
        };
        cpp.candidates = written
            .into_par_iter()
            .filter_map(|(written, _)| {
                let path = normalize(written)?;
                let candidates = cpp.by_name.get(file_name(&path)).map(|named| {
                    let under_root = named.iter().filter(|c| cpp.under_root(c, &path));
                    under_root.copied().collect()
                });
                Some((written.to_string(), candidates))
            })
            .collect();
        cpp
    }

    /// A quoted include is looked up next to the including file first; then both kinds
    /// below the include roots, the candidate nearest the including file winning.
    pub fn resolve(&self, importer: &str, path: &'a str, angle: bool) -> Outcome<'a> {
        if path.starts_with('/') {
            return Outcome::Unresolved;
        }
        if !angle {
            let Some(beside) = normalized(join(parent(importer), path)) else {
                return Outcome::Unresolved;
            };
            if let Some((real, _)) = self.tree.records.get_key_value(beside.as_str()) {
                return Outcome::Module(real);
            }
        }
        let external = || Outcome::External(Cow::Borrowed(path.split('/').next().unwrap_or(path)));
        let Some(named) = self.candidates.get(path) else {
            // The path climbs out of the repository.
            return if angle { external() } else { Outcome::Unresolved };
        };
        let named = named.as_ref();
        let best = named
            .into_iter()
            .flatten()
            .max_by_key(|c| (common_prefix(c, importer), Reverse(**c)));
        match best {
            Some(found) => Outcome::Module(found),
            None if !angle && named.is_some() => Outcome::Unresolved,
            None => external(),
        }
    }

    /// Whether `candidate`, or one of its spellings through a directory symlink, is
    /// `path` below an include root.
    fn under_root(&self, candidate: &str, path: &str) -> bool {
        self.tree
            .spellings(candidate)
            .any(|spelling| match spelling.strip_suffix(path) {
                Some("") => true,
                Some(prefix) => prefix.strip_suffix('/').is_some_and(|root| self.roots.contains(root)),
                None => false,
            })
    }
}

/// Each distinct relative include path, and whether it is ever written quoted.
fn distinct_includes(files: &[FileImports]) -> HashMap<&str, bool> {
    files
        .par_iter()
        .filter(|f| f.family == Family::Cpp)
        .fold(HashMap::default, |mut written, file| {
            for import in &file.imports {
                if let Target::Include { path, angle } = &import.target {
                    if !path.starts_with('/') {
                        *written.entry(path.as_str()).or_default() |= !angle;
                    }
                }
            }
            written
        })
        .reduce(HashMap::default, |mut all, part| {
            for (path, quoted) in part {
                *all.entry(path).or_default() |= quoted;
            }
            all
        })
}

/// File name → every path with that name, in path order.
fn file_names<'a>(tree: &Tree<'a>) -> HashMap<&'a str, Vec<&'a str>> {
    let mut by_name: HashMap<&'a str, Vec<&'a str>> = HashMap::default();
    for path in &tree.paths {
        by_name.entry(file_name(path)).or_default().push(path);
    }
    by_name
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// How many leading components two paths share (`a/b/x.h` and `a/b/y.c`: 2), counted on
/// bytes: it runs for every candidate of every include, and splitting into components
/// took 5 % of the resolution of Linux's includes.
fn common_prefix(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let same = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    // Every `/` in the shared bytes closes a shared component; the bytes' end closes one
    // more when it ends a component in both paths.
    let ends_component = |path: &[u8]| path.get(same).is_none_or(|&byte| byte == b'/');
    memchr::memchr_iter(b'/', &a[..same]).count() + usize::from(ends_component(a) && ends_component(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_prefix_counts_whole_components() {
        let by_split = |a: &str, b: &str| a.split('/').zip(b.split('/')).take_while(|(x, y)| x == y).count();
        let paths = [
            "", "/", "a", "a/", "ab", "a/b", "a/b/", "a/bc", "a/b/c.h", "a/bc/d.h", "/a/b", "ab/c",
        ];
        for a in paths {
            for b in paths {
                assert_eq!(common_prefix(a, b), by_split(a, b), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn dotted_path_joins_as_the_separate_steps_did() {
        for (dir, name) in [("", ""), ("", "a.b"), ("x", ""), ("x/y", "a.b.c"), ("x", "a")] {
            assert_eq!(
                dotted_path(dir, name),
                join(dir, &name.replace('.', "/")),
                "{dir:?} {name:?}"
            );
        }
    }

    #[test]
    fn normalize_never_climbs_out() {
        assert_eq!(normalize("a/./b/../c").as_deref(), Some("a/c"));
        assert_eq!(normalize("a/../../etc/passwd"), None);
        for path in ["a/b.h", "a//b.h", "./a.h", "a/../b.h", "/etc/passwd", "../x.h", ""] {
            assert_eq!(normalized(path.to_string()), normalize(path), "{path}");
        }
        assert_eq!(join("", "x"), "x");
    }
}
