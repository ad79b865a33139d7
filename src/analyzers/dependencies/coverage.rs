//! What needs every file at once: `workspace = true` inheritance, which lockfile covers
//! which manifest (and so each dependency's locked version), `-r` include chains, and the
//! findings that follow from them.

use std::collections::{BTreeMap, BTreeSet};

use crate::analyzers::workflows::rules::Reporter;
use crate::model::{Dependency, DependencyScope, Ecosystem, Finding, Manifest, PinClass, ScanNote, SkipReason};
use crate::scan::FileRecord;

use super::{cargo, compiled, go, js, rules, Gathered, LockDraft, ManifestDraft};

pub struct Resolved {
    pub manifests: Vec<Manifest>,
    pub findings: Vec<Finding>,
    pub notes: Vec<ScanNote>,
}

pub fn resolve(gathered: &Gathered, files: &[FileRecord]) -> Resolved {
    let paths: BTreeSet<&str> = files.iter().map(|f| f.info.path.as_str()).collect();
    let locks: BTreeMap<&str, &LockDraft> = gathered
        .lockfiles
        .iter()
        .map(|l| (l.lockfile.path.as_str(), l))
        .collect();
    let mut resolved = Resolved {
        manifests: Vec::new(),
        findings: Vec::new(),
        notes: Vec::new(),
    };
    let compiled = compiled_sources(gathered, &paths);
    for draft in &gathered.manifests {
        let mut manifest = draft.manifest.clone();
        inherit_workspace(&mut manifest, &gathered.manifests);
        let mut reporter = Reporter::new(&draft.manifest.path, &draft.text);
        let coverage = match (
            covering_lockfile(&manifest, &locks, &paths),
            compiled.get(manifest.path.as_str()),
        ) {
            (Coverage::None, Some(lock)) => Coverage::Covered(lock),
            (coverage, _) => coverage,
        };
        match coverage {
            Coverage::Covered(lock) => lock_versions(&mut manifest, lock, &mut reporter),
            Coverage::Shadowed { root, beside } => {
                lock_versions(&mut manifest, root, &mut reporter);
                resolved.notes.push(ScanNote::new(
                    &beside.lockfile.path,
                    SkipReason::LockfileUnused,
                    Some(format!(
                        "`{}` is a member of the workspace `{}` locks, and Cargo ignores a member's own lockfile: its packages are listed (each with `plumb:locked-in` in the SBOM) but lock nothing",
                        manifest.path, root.lockfile.path
                    )),
                ));
            }
            Coverage::Unread(lockfile) => resolved.notes.push(ScanNote::new(
                &manifest.path,
                SkipReason::LockfileUnread,
                Some(lockfile),
            )),
            Coverage::None => {}
        }
        docker_findings(&manifest, &mut reporter);
        resolved.findings.extend(reporter.into_findings());
        resolved.manifests.push(manifest);
    }
    includes(gathered, &paths, &mut resolved);
    resolved
}

/// The folder of a path, `""` at the root.
fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// `dir` and each folder above it, nearest first, ending with the root (`""`).
fn ancestors(dir: &str) -> impl Iterator<Item = &str> {
    let mut next = Some(dir);
    std::iter::from_fn(move || {
        let current = next?;
        next = (!current.is_empty()).then(|| dir_of(current));
        Some(current)
    })
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// `workspace = true` takes the package name, specifier and pin of the nearest
/// `Cargo.toml` above (or beside) it whose `[workspace.dependencies]` declares the key.
fn inherit_workspace(manifest: &mut Manifest, all: &[ManifestDraft]) {
    if manifest.ecosystem != Ecosystem::Cargo {
        return;
    }
    let dir = dir_of(&manifest.path).to_string();
    for dependency in manifest
        .dependencies
        .iter_mut()
        .filter(|d| d.specifier == cargo::INHERITED)
    {
        let root = ancestors(&dir)
            .filter_map(|d| all.iter().find(|m| m.manifest.path == join(d, "Cargo.toml")))
            .find_map(|m| m.workspace_deps.iter().find(|w| w.key == dependency.name));
        if let Some(root) = root {
            dependency.name = root.package.clone();
            dependency.specifier = format!("{} (workspace)", root.specifier);
            dependency.pin = root.pin;
        }
    }
    manifest.dependencies.sort();
}

/// The rule for `pip-compile`/`uv pip compile` output: it covers each manifest its
/// header's command names, found relative to the output's folder, else to the root
/// (where such commands usually run); a command that names none compiled the first of
/// pip-compile's defaults (`requirements.in`, `setup.py`, `pyproject.toml`, `setup.cfg`)
/// in the output's folder. A lockfile found by the rule by name (a `uv.lock` beside a
/// pyproject.toml, which locks every extra and group) comes first; of two outputs of one
/// manifest (one per platform or Python version), the first by path covers it.
fn compiled_sources<'a>(gathered: &'a Gathered, paths: &BTreeSet<&str>) -> BTreeMap<String, &'a LockDraft> {
    let mut out: BTreeMap<String, &LockDraft> = BTreeMap::new();
    for lock in &gathered.lockfiles {
        let dir = dir_of(&lock.lockfile.path);
        let in_snapshot = |source: &str| {
            [normalize_path(&join(dir, source)), normalize_path(source)]
                .into_iter()
                .find(|path| paths.contains(path.as_str()))
        };
        let sources: Vec<String> = match lock.compiled_from.as_slice() {
            [] if lock.lockfile.format == compiled::PIP_COMPILE => compiled::DEFAULT_SOURCES
                .iter()
                .find_map(|source| in_snapshot(source))
                .into_iter()
                .collect(),
            named => named.iter().filter_map(|source| in_snapshot(source)).collect(),
        };
        for source in sources {
            out.entry(source).or_insert(lock);
        }
    }
    out
}

/// Lockfile names that can cover a manifest, by manifest format.
fn lock_names(manifest: &Manifest) -> &'static [&'static str] {
    match (manifest.ecosystem, manifest.format.as_str()) {
        (Ecosystem::Pypi, "Pipfile") => &["Pipfile.lock"],
        (Ecosystem::Pypi, format) if format.starts_with("pyproject.toml") => &["uv.lock", "poetry.lock", "pdm.lock"],
        (Ecosystem::Cargo, _) => &["Cargo.lock"],
        (Ecosystem::Npm, _) => &[
            "package-lock.json",
            "npm-shrinkwrap.json",
            "pnpm-lock.yaml",
            "yarn.lock",
        ],
        (Ecosystem::Golang, _) => &["go.sum"],
        _ => &[],
    }
}

enum Coverage<'a> {
    Covered(&'a LockDraft),
    /// Covered by the workspace root's lockfile; the one `beside` the member is not used.
    Shadowed {
        root: &'a LockDraft,
        beside: &'a LockDraft,
    },
    /// A lockfile is there but could not be read (its own note or finding says why).
    Unread(String),
    None,
}

/// The rule: a lockfile of the manifest's ecosystem in the same folder covers it; one in
/// a folder above covers it when it lists the manifest as a workspace member (by folder
/// or by package name): Cargo, npm/yarn/pnpm and uv workspaces lock at their root. For
/// Cargo the workspace root's lockfile wins over one beside the member, which Cargo
/// ignores (a stale copy from before the crate joined the workspace): that one covers
/// nothing, and a note says so. go.sum only covers the go.mod beside it. A lockfile
/// present but unread (too large, not UTF-8, malformed) stops the search: the manifest is
/// reported uncovered with a note, rather than every dependency "not locked".
fn covering_lockfile<'a>(
    manifest: &Manifest,
    locks: &BTreeMap<&str, &'a LockDraft>,
    paths: &BTreeSet<&str>,
) -> Coverage<'a> {
    let dir = dir_of(&manifest.path);
    let names = lock_names(manifest);
    if manifest.ecosystem == Ecosystem::Cargo {
        if let Some(root) = workspace_root_lock(manifest, locks) {
            return match locks.get(join(dir, "Cargo.lock").as_str()) {
                Some(beside) => Coverage::Shadowed { root, beside },
                None => Coverage::Covered(root),
            };
        }
    }
    for candidate in ancestors(dir) {
        if candidate != dir && manifest.ecosystem == Ecosystem::Golang {
            break;
        }
        for name in names {
            let path = join(candidate, name);
            match locks.get(path.as_str()) {
                Some(lock) if candidate == dir || is_member(lock, candidate, dir, manifest) => {
                    return Coverage::Covered(lock)
                }
                Some(_) => {}
                None if candidate == dir && paths.contains(path.as_str()) => return Coverage::Unread(path),
                None => {}
            }
        }
    }
    Coverage::None
}

/// The nearest `Cargo.lock` in a folder above the manifest's that lists it as a member.
fn workspace_root_lock<'a>(manifest: &Manifest, locks: &BTreeMap<&str, &'a LockDraft>) -> Option<&'a LockDraft> {
    let dir = dir_of(&manifest.path);
    ancestors(dir).skip(1).find_map(|candidate| {
        let lock = locks.get(join(candidate, "Cargo.lock").as_str())?;
        is_member(lock, candidate, dir, manifest).then_some(*lock)
    })
}

fn is_member(lock: &LockDraft, lock_dir: &str, dir: &str, manifest: &Manifest) -> bool {
    let relative = match lock_dir {
        "" => dir,
        _ => dir.strip_prefix(lock_dir).map_or(dir, |d| d.trim_start_matches('/')),
    };
    lock.member_dirs.iter().any(|m| m == relative)
        || manifest.package.as_ref().is_some_and(|p| lock.member_names.contains(p))
}

/// Sets each dependency's locked version (every version the lockfile holds for the name,
/// joined) and reports those it does not resolve. Not checked, because lockfiles leave
/// them out by design: Python build requirements (`[build-system]`, not locked by uv or
/// Poetry), npm peer dependencies, and Go requirements replaced by a local folder (a
/// requirement replaced by another module is checked under the replacement's name). A
/// workspace member, or a module whose `go.mod` alone go.sum hashes, is resolved without
/// a version.
fn lock_versions(manifest: &mut Manifest, lock: &LockDraft, reporter: &mut Reporter<'_>) {
    manifest.lockfile = Some(lock.lockfile.path.clone());
    let mut versions: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut hashed: BTreeSet<&str> = BTreeSet::new();
    for package in &lock.lockfile.packages {
        versions.entry(&package.name).or_default().insert(&package.version);
        if package.hashed {
            hashed.insert(&package.name);
        }
    }
    let ecosystem = manifest.ecosystem;
    let manifest_dir = dir_of(&manifest.path).to_string();
    // pip-compile locks extras and groups only when told to (`--extra`, `--group`): of
    // a manifest it compiled, only runtime requirements must be there.
    let compiled = compiled::is_compiled(&lock.lockfile.format);
    for dependency in &mut manifest.dependencies {
        if !lockable(ecosystem, dependency) {
            continue;
        }
        let checked = !compiled || dependency.scope == DependencyScope::Runtime;
        match versions.get(dependency.name.as_str()) {
            Some(found) => {
                let found: Vec<&str> = match npm_loaded(&manifest_dir, lock, &dependency.name) {
                    Some(version) => vec![version],
                    None => found.iter().copied().filter(|v| !v.is_empty()).collect(),
                };
                dependency.locked_version = (!found.is_empty()).then(|| found.join(", "));
                if ecosystem == Ecosystem::Golang && hashed.contains(dependency.name.as_str()) {
                    dependency.pin = PinClass::HashPinned;
                }
            }
            None if !checked
                || lock.member_names.contains(&dependency.name)
                || lock.graph_only.binary_search(&dependency.name).is_ok() => {}
            None => rules::not_locked(reporter, dependency, &lock.lockfile.path),
        }
    }
}

/// The version a package-lock.json (v2+) installs where Node looks for `name` from the
/// manifest's folder: when the tree holds several copies of a name, the one the manifest
/// gets (the others are nested under the packages that need them).
fn npm_loaded<'a>(manifest_dir: &str, lock: &'a LockDraft, name: &str) -> Option<&'a str> {
    let lock_dir = dir_of(&lock.lockfile.path);
    let folder = match lock_dir {
        "" => manifest_dir,
        _ => manifest_dir.strip_prefix(lock_dir)?.trim_start_matches('/'),
    };
    js::nearest_installed(&lock.installed, folder, name).map(String::as_str)
}

fn lockable(ecosystem: Ecosystem, dependency: &Dependency) -> bool {
    let group = dependency.group.as_deref();
    !match ecosystem {
        Ecosystem::Pypi => dependency.scope == DependencyScope::Build,
        Ecosystem::Npm => group == Some(js::PEER),
        Ecosystem::Golang => group == Some(go::REPLACE),
        _ => false,
    }
}

/// Base images without a digest. An image still holding a `$` is not judged: its value
/// comes from a build argument.
fn docker_findings(manifest: &Manifest, reporter: &mut Reporter<'_>) {
    if manifest.ecosystem != Ecosystem::Docker {
        return;
    }
    for dependency in &manifest.dependencies {
        if dependency.pin != PinClass::HashPinned && !dependency.specifier.contains('$') {
            rules::docker_unpinned(reporter, dependency, dependency.pin == PinClass::Unpinned);
        }
    }
}

/// `-r`/`-c` targets, relative to the including file. A target that is not in the
/// snapshot, or not read as a requirements file, gets a note; a chain that leads back to
/// a file gets one finding, at the include that closes the cycle.
fn includes(gathered: &Gathered, paths: &BTreeSet<&str>, resolved: &mut Resolved) {
    let drafts: BTreeMap<&str, &ManifestDraft> = gathered
        .manifests
        .iter()
        .filter(|m| !m.includes.is_empty() || m.manifest.format == "requirements.txt")
        .map(|m| (m.manifest.path.as_str(), m))
        .collect();
    let mut edges: BTreeMap<&str, Vec<(usize, String)>> = BTreeMap::new();
    for (path, draft) in &drafts {
        for (line, target) in &draft.includes {
            let resolved_path = normalize_path(&join(dir_of(path), target));
            if drafts.contains_key(resolved_path.as_str()) {
                edges.entry(path).or_default().push((*line, resolved_path));
                continue;
            }
            // A `pip-compile` output, read as a lockfile (`-c requirements.txt` in a
            // `dev.in` is pip-tools' layering).
            if gathered.lockfiles.iter().any(|l| l.lockfile.path == resolved_path) {
                continue;
            }
            let why = match paths.contains(resolved_path.as_str()) {
                true => "not read: its name is not a requirements file name",
                false => "not in the snapshot",
            };
            resolved.notes.push(ScanNote::new(
                *path,
                SkipReason::UnknownSyntax,
                Some(format!("line {line}: include `{target}`: {why}")),
            ));
        }
    }
    let mut cycles = Cycles {
        edges: &edges,
        state: BTreeMap::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for path in edges.keys() {
        cycles.visit(path);
    }
    for (path, line, cycle) in cycles.found {
        let Some(draft) = drafts.get(path) else { continue };
        let mut reporter = Reporter::new(path, &draft.text);
        rules::include_cycle(&mut reporter, line, &cycle);
        resolved.findings.extend(reporter.into_findings());
    }
}

/// Depth-first search that records each back edge (an include of a file still being
/// read) as a cycle.
struct Cycles<'a> {
    edges: &'a BTreeMap<&'a str, Vec<(usize, String)>>,
    /// `false` while on the stack, `true` once done.
    state: BTreeMap<&'a str, bool>,
    stack: Vec<&'a str>,
    found: Vec<(&'a str, usize, Vec<String>)>,
}

impl<'a> Cycles<'a> {
    fn visit(&mut self, path: &'a str) {
        if self.state.contains_key(path) {
            return;
        }
        self.state.insert(path, false);
        self.stack.push(path);
        let edges = self.edges;
        for (line, target) in edges.get(path).into_iter().flatten() {
            match self.state.get(target.as_str()) {
                Some(false) => {
                    let start = self.stack.iter().position(|p| p == target).unwrap_or(0);
                    let mut cycle: Vec<String> = self.stack[start..].iter().map(|p| p.to_string()).collect();
                    cycle.push(target.clone());
                    self.found.push((path, *line, cycle));
                }
                Some(true) => {}
                None => self.visit(target.as_str()),
            }
        }
        self.stack.pop();
        self.state.insert(path, true);
    }
}

/// Resolves `.` and `..` segments; a path that climbs out of the snapshot keeps its `..`
/// and so matches no file.
fn normalize_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(normalize_path("a/./b/../c.txt"), "a/c.txt");
        assert_eq!(normalize_path("../x.txt"), "../x.txt");
        assert_eq!(ancestors("a/b").collect::<Vec<_>>(), ["a/b", "a", ""]);
        assert_eq!(ancestors("").collect::<Vec<_>>(), [""]);
    }
}
