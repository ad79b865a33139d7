//! Declared dependencies: every manifest and lockfile of the project (vendored and test
//! files left out: their dependencies are not the project's), each dependency with its
//! specifier, scope, pin class and file:line, and whether a lockfile of the same ecosystem
//! covers it.
//!
//! Each ecosystem's parsers live in their own file and run during the scan. What needs
//! several files — which lockfile covers which manifest, `-r` includes between
//! requirements files, `workspace = true` in Cargo — is resolved in `finish`, where all
//! files are known.

mod cargo;
mod compiled;
mod coverage;
mod cpp;
mod docker;
mod go;
mod js;
mod python;
mod requirement;
mod rules;
mod setup_py;
mod toml_lock;

pub use setup_py::python_requires as setup_py_python_requires;

use std::collections::BTreeMap;

use crate::model::{
    Dependency, DependencyScope, Ecosystem, Location, LockedPackage, Lockfile, Manifest, PinClass, Role, ScanNote,
    SkipReason,
};
use crate::scan::{File, FileInfo};

use super::caps::{thousands, too_large_for_a_tree};
use super::positions::Positions;
use super::workflows::rules::Reporter;
use super::{Analysis, Analyzer, Conclusion};

pub struct DependenciesAnalyzer;

impl Analyzer for DependenciesAnalyzer {
    fn id(&self) -> &'static str {
        "dependencies"
    }

    fn rules(&self) -> &'static [crate::model::Rule] {
        rules::ALL
    }

    /// A path test only: the file name decides (see [`Kind::of`]). Test paths are left out
    /// by path, not only by role: a lockfile that says "generated" has role `generated`
    /// even below `test/`.
    fn wants(&self, file: &FileInfo) -> bool {
        Kind::of(&file.path).is_some()
            && !matches!(file.role, Role::Vendored | Role::Test | Role::Binary)
            && !crate::scan::role::is_test_path(&file.path)
    }

    fn visit(&self, file: &File<'_>, out: &mut Analysis) {
        let Some(kind) = Kind::of(&file.info.path) else { return };
        let Some(text) = file.text() else {
            out.notes.push(ScanNote::new(
                &file.info.path,
                SkipReason::NonUtf8,
                Some("dependencies".into()),
            ));
            return;
        };
        let path = file.info.path.as_str();
        if let Some(detail) = kind.read_as_tree().then(|| too_large_for_a_tree(text)).flatten() {
            out.notes.push(ScanNote::new(path, SkipReason::TooLarge, Some(detail)));
            return;
        }
        match parse(kind, path, text) {
            Ok(Parsed::Manifest(mut draft)) => {
                out.notes.append(&mut draft.notes);
                out.dependencies.manifests.push(draft);
            }
            Ok(Parsed::Lockfile(mut draft)) => {
                out.notes.extend(draft.cap());
                out.dependencies.lockfiles.push(draft);
            }
            Ok(Parsed::Nothing) => {}
            Err(error) => {
                let mut reporter = Reporter::new(path, text);
                rules::parse_error(&mut reporter, kind.label(), error);
                out.findings.extend(reporter.into_findings());
            }
        }
    }

    fn finish(&self, analysis: &Analysis) -> Conclusion {
        let resolved = coverage::resolve(&analysis.dependencies, &analysis.files);
        let mut lockfiles: Vec<Lockfile> = analysis
            .dependencies
            .lockfiles
            .iter()
            .map(|l| l.lockfile.clone())
            .collect();
        lockfiles.sort();
        let mut present: Vec<Ecosystem> = resolved.manifests.iter().map(|m| m.ecosystem).collect();
        present.extend(lockfiles.iter().map(|l| l.ecosystem));
        if !analysis.ci.workflows.is_empty() {
            present.push(Ecosystem::GithubActions);
        }
        present.sort();
        present.dedup();
        Box::new(move |audit| {
            let supply = &mut audit.supply_chain;
            supply.manifests = resolved.manifests;
            supply.lockfiles = lockfiles;
            supply.posture.ecosystems_present = present;
            audit.findings.extend(resolved.findings);
            audit.scan_notes.extend(resolved.notes);
        })
    }
}

/// At most this many dependencies of one manifest are kept (the first its parser reads);
/// the rest are counted in a scan note. Manifests list direct
/// dependencies: the largest real ones hold hundreds (a `go.mod` with its indirect
/// requirements, a frozen requirements file), a generated one can hold any number, and
/// each kept dependency costs about 2 KB over the model and the reports.
pub const DEPENDENCIES_PER_MANIFEST: usize = 5_000;

/// At most this many notes of one manifest (lines it could not read) are kept, and this
/// many `-r`/`-c` includes: a generated file of a million unreadable lines would
/// otherwise make a note of each (900,000 lines: 865 MB and a 157 MB `audit.json`).
pub const NOTES_PER_MANIFEST: usize = 100;
pub const INCLUDES_PER_MANIFEST: usize = 1_000;

/// At most this many packages of one lockfile are kept (the first in the file, which
/// lockfile tools sort by name); the rest are counted in a scan note. Real lockfiles of large monorepos lock a few thousand
/// packages.
pub const PACKAGES_PER_LOCKFILE: usize = 20_000;

/// The scan note of a file of which `left_out` entries were not kept.
fn entries_left_out(path: &str, left_out: usize, noun: &str, cap: usize, per: &str) -> ScanNote {
    ScanNote::new(
        path,
        SkipReason::TooManyEntries,
        Some(format!(
            "and {} more {noun}, not kept: plumb keeps at most {} per {per}",
            thousands(left_out),
            thousands(cap)
        )),
    )
}

/// What the visits gathered, resolved across files in `finish`.
#[derive(Debug, Default)]
pub struct Gathered {
    pub manifests: Vec<ManifestDraft>,
    pub lockfiles: Vec<LockDraft>,
}

impl Gathered {
    pub fn merge(&mut self, other: Gathered) {
        self.manifests.extend(other.manifests);
        self.lockfiles.extend(other.lockfiles);
    }

    pub fn sort(&mut self) {
        self.manifests.sort_by(|a, b| a.manifest.path.cmp(&b.manifest.path));
        self.lockfiles.sort_by(|a, b| a.lockfile.path.cmp(&b.lockfile.path));
    }
}

/// A parsed manifest plus what only `finish` can resolve.
#[derive(Debug)]
pub struct ManifestDraft {
    pub manifest: Manifest,
    /// The manifest's text, kept (manifests are few and small) so findings made in
    /// `finish` get their snippet and inline suppressions.
    pub text: String,
    /// `-r`/`-c` lines of a requirements file: (1-based line, target as written).
    pub includes: Vec<(usize, String)>,
    /// Cargo `[workspace.dependencies]`, for `workspace = true` in members.
    pub workspace_deps: Vec<WorkspaceDependency>,
    /// Lines it could not read, for the scan notes.
    pub notes: Vec<ScanNote>,
}

/// One entry of Cargo's `[workspace.dependencies]`.
#[derive(Debug)]
pub struct WorkspaceDependency {
    /// The key members refer to it by.
    pub key: String,
    /// The package it names (`package = "..."` renames).
    pub package: String,
    pub specifier: String,
    pub pin: PinClass,
}

/// A parsed lockfile plus what tells which manifests it covers.
#[derive(Debug)]
pub struct LockDraft {
    pub lockfile: Lockfile,
    /// Folders (relative to the lockfile's) of the workspace members it resolves.
    pub member_dirs: Vec<String>,
    /// Package names of the members (Cargo.lock lists members as packages without source).
    pub member_names: Vec<String>,
    /// package-lock.json v2+: the version installed in each `node_modules` folder (keyed by
    /// folder), so that a member's dependency resolves to the copy Node loads for it.
    pub installed: BTreeMap<String, String>,
    /// The manifests a `pip-compile`/`uv pip compile` output was compiled from, as its
    /// header writes them (relative to where the command ran); empty for other formats.
    pub compiled_from: Vec<String>,
    /// Names the lockfile records without locking their code (go.sum's `/go.mod`-only
    /// lines), sorted: a requirement of one is resolved, without a version.
    pub graph_only: Vec<String>,
    /// Packages [`LockDraft::push`] or a parser did not keep.
    left_out: usize,
    /// Dependency names of one package past [`DEPENDENCIES_PER_MANIFEST`], not kept.
    names_left_out: usize,
}

impl LockDraft {
    /// Adds a package, unless [`PACKAGES_PER_LOCKFILE`] are kept already: then counts it.
    fn push(&mut self, package: LockedPackage) {
        if self.lockfile.packages.len() < PACKAGES_PER_LOCKFILE {
            self.lockfile.packages.push(package);
        } else {
            self.left_out += 1;
        }
    }

    /// Keeps the first [`PACKAGES_PER_LOCKFILE`] packages (of those a parser gathered at
    /// once); notes count the rest, and the dependency names a parser did not keep.
    fn cap(&mut self) -> Vec<ScanNote> {
        let packages = &mut self.lockfile.packages;
        let kept = packages.len().min(PACKAGES_PER_LOCKFILE);
        let left_out = self.left_out + (packages.len() - kept);
        if left_out > 0 {
            packages.truncate(kept);
            packages.shrink_to_fit();
        }
        let path = &self.lockfile.path;
        [
            (left_out, "packages", PACKAGES_PER_LOCKFILE, "lockfile"),
            (
                self.names_left_out,
                "dependency names",
                DEPENDENCIES_PER_MANIFEST,
                "package",
            ),
        ]
        .into_iter()
        .filter(|(left_out, ..)| *left_out > 0)
        .map(|(left_out, noun, cap, per)| entries_left_out(path, left_out, noun, cap, per))
        .collect()
    }

    fn new(path: &str, ecosystem: Ecosystem, format: &str, packages: Vec<LockedPackage>) -> Self {
        LockDraft {
            lockfile: Lockfile {
                path: path.to_string(),
                ecosystem,
                format: format.to_string(),
                packages,
            },
            member_dirs: Vec::new(),
            member_names: Vec::new(),
            installed: BTreeMap::new(),
            compiled_from: Vec::new(),
            graph_only: Vec::new(),
            left_out: 0,
            names_left_out: 0,
        }
    }
}

enum Parsed {
    Manifest(ManifestDraft),
    Lockfile(LockDraft),
    /// A file of a manifest's name that declares nothing (a `pyproject.toml` holding only
    /// tool settings, a CMake file without `FetchContent_Declare`).
    Nothing,
}

/// Where a parser stopped, 1-based.
#[derive(Debug)]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl ParseError {
    fn at_offset(text: &str, offset: Option<usize>, message: impl Into<String>) -> Self {
        let mut offset = offset.unwrap_or(0).min(text.len());
        // A parser's offset should sit on a character boundary; never slice through one.
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = line_of(text, offset);
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        ParseError {
            line,
            column: text[line_start..offset].chars().count() + 1,
            message: message.into(),
        }
    }

    fn toml(text: &str, error: &toml::de::Error) -> Self {
        let message = error.message().to_string();
        ParseError::at_offset(text, error.span().map(|s| s.start), message)
    }

    fn json(error: &serde_json::Error) -> Self {
        ParseError {
            line: error.line().max(1),
            column: error.column().max(1),
            message: error.to_string(),
        }
    }
}

/// The files this analyzer reads, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Requirements,
    Pyproject,
    SetupCfg,
    SetupPy,
    Pipfile,
    PythonLock(python::LockFormat),
    CargoToml,
    CargoLock,
    PackageJson,
    PackageLock,
    YarnLock,
    PnpmLock,
    GoMod,
    GoSum,
    ConanTxt,
    ConanPy,
    Vcpkg,
    Cmake,
    Dockerfile,
}

impl Kind {
    /// The rule: manifest and lockfile names of each ecosystem; requirements files are any
    /// `.txt` whose name contains `requirements` or `constraints`, or that sits in a
    /// `requirements/` folder; Dockerfiles are `Dockerfile`, `Dockerfile.*`, `*.Dockerfile`
    /// and `Containerfile`; every CMake file (only those calling `FetchContent_Declare` or
    /// `ExternalProject_Add` become manifests).
    fn of(path: &str) -> Option<Kind> {
        let name = path.rsplit('/').next().unwrap_or(path);
        Some(match name {
            "pyproject.toml" => Kind::Pyproject,
            "setup.cfg" => Kind::SetupCfg,
            "setup.py" => Kind::SetupPy,
            "Pipfile" => Kind::Pipfile,
            "uv.lock" => Kind::PythonLock(python::LockFormat::Uv),
            "poetry.lock" => Kind::PythonLock(python::LockFormat::Poetry),
            "pdm.lock" => Kind::PythonLock(python::LockFormat::Pdm),
            "Pipfile.lock" => Kind::PythonLock(python::LockFormat::Pipfile),
            "Cargo.toml" => Kind::CargoToml,
            "Cargo.lock" => Kind::CargoLock,
            "package.json" => Kind::PackageJson,
            "package-lock.json" | "npm-shrinkwrap.json" => Kind::PackageLock,
            "yarn.lock" => Kind::YarnLock,
            "pnpm-lock.yaml" => Kind::PnpmLock,
            "go.mod" => Kind::GoMod,
            "go.sum" => Kind::GoSum,
            "conanfile.txt" => Kind::ConanTxt,
            "conanfile.py" => Kind::ConanPy,
            "vcpkg.json" => Kind::Vcpkg,
            "CMakeLists.txt" => Kind::Cmake,
            "Dockerfile" | "Containerfile" => Kind::Dockerfile,
            _ if name.ends_with(".cmake") => Kind::Cmake,
            _ if name.starts_with("Dockerfile.") || name.ends_with(".Dockerfile") || name.ends_with(".dockerfile") => {
                Kind::Dockerfile
            }
            _ if is_requirements(path, name) => Kind::Requirements,
            _ => return None,
        })
    }

    /// Whether the parser holds the whole file as a tree (see [`too_large_for_a_tree`]).
    fn read_as_tree(self) -> bool {
        matches!(
            self,
            Kind::Pyproject | Kind::Pipfile | Kind::CargoToml | Kind::PackageJson | Kind::Vcpkg
        )
    }

    /// The format as a user names it, for messages.
    fn label(self) -> &'static str {
        match self {
            Kind::Requirements => "requirements file",
            Kind::Pyproject => "pyproject.toml",
            Kind::SetupCfg => "setup.cfg",
            Kind::SetupPy => "setup.py",
            Kind::Pipfile => "Pipfile",
            Kind::PythonLock(format) => format.name(),
            Kind::CargoToml => "Cargo.toml",
            Kind::CargoLock => "Cargo.lock",
            Kind::PackageJson => "package.json",
            Kind::PackageLock => "package-lock.json",
            Kind::YarnLock => "yarn.lock",
            Kind::PnpmLock => "pnpm-lock.yaml",
            Kind::GoMod => "go.mod",
            Kind::GoSum => "go.sum",
            Kind::ConanTxt => "conanfile.txt",
            Kind::ConanPy => "conanfile.py",
            Kind::Vcpkg => "vcpkg.json",
            Kind::Cmake => "CMake file",
            Kind::Dockerfile => "Dockerfile",
        }
    }
}

fn is_requirements(path: &str, name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    (lower.ends_with(".txt") || lower.ends_with(".in"))
        && (lower.contains("requirements")
            || lower.contains("constraints")
            || path.split('/').rev().nth(1) == Some("requirements"))
}

fn parse(kind: Kind, path: &str, text: &str) -> Result<Parsed, ParseError> {
    match kind {
        Kind::Requirements => Ok(python::requirements(path, text)),
        Kind::Pyproject => python::pyproject(path, text),
        Kind::SetupCfg => Ok(python::setup_cfg(path, text)),
        Kind::SetupPy => Ok(setup_py::manifest(path, text)),
        Kind::Pipfile => python::pipfile(path, text),
        Kind::PythonLock(format) => python::lockfile(format, path, text),
        Kind::CargoToml => cargo::manifest(path, text),
        Kind::CargoLock => cargo::lockfile(path, text),
        Kind::PackageJson => js::package_json(path, text),
        Kind::PackageLock => js::package_lock(path, text),
        Kind::YarnLock => Ok(js::yarn_lock(path, text)),
        Kind::PnpmLock => js::pnpm_lock(path, text),
        Kind::GoMod => Ok(go::go_mod(path, text)),
        Kind::GoSum => Ok(go::go_sum(path, text)),
        Kind::ConanTxt => Ok(cpp::conanfile_txt(path, text)),
        Kind::ConanPy => Ok(cpp::conanfile_py(path, text)),
        Kind::Vcpkg => cpp::vcpkg(path, text),
        Kind::Cmake => Ok(cpp::cmake(path, text)),
        Kind::Dockerfile => Ok(docker::dockerfile(path, text)),
    }
}

/// Builds one manifest's dependency list, each dependency located at its line; past
/// [`DEPENDENCIES_PER_MANIFEST`], a dependency is counted, not kept.
struct Declared<'a> {
    path: &'a str,
    text: &'a str,
    positions: Positions<'a>,
    dependencies: Vec<Dependency>,
    left_out: usize,
    /// Lines the parser could not read, the first [`NOTES_PER_MANIFEST`] of them.
    notes: Vec<ScanNote>,
    notes_left_out: usize,
    /// `-r`/`-c` includes (line, target), the first [`INCLUDES_PER_MANIFEST`].
    includes: Vec<(usize, String)>,
    includes_left_out: usize,
}

/// What a parser knows about one declared dependency, apart from where.
struct Declaration {
    name: String,
    specifier: String,
    scope: DependencyScope,
    group: Option<String>,
    pin: PinClass,
}

/// Lines up to this long are searched whole for a dependency's name; in a longer one (a
/// minified manifest, a one-line inline table) only this far either side of the entry,
/// so that a line of many entries is not searched once per entry.
const NAME_SEARCH_BYTES: usize = 4096;

impl<'a> Declared<'a> {
    fn new(path: &'a str, text: &'a str) -> Self {
        Declared {
            path,
            text,
            positions: Positions::new(text),
            dependencies: Vec::new(),
            left_out: 0,
            notes: Vec::new(),
            notes_left_out: 0,
            includes: Vec::new(),
            includes_left_out: 0,
        }
    }

    /// Notes that 1-based `line`, written `text`, could not be read, and why.
    fn note_unreadable(&mut self, line: usize, text: &str, why: &str) {
        if self.notes.len() >= NOTES_PER_MANIFEST {
            self.notes_left_out += 1;
            return;
        }
        let why = why.lines().next().unwrap_or(why);
        self.notes.push(ScanNote::new(
            self.path,
            SkipReason::UnknownSyntax,
            Some(format!("line {line}: `{text}`: {why}")),
        ));
    }

    /// Records an include of `target` (`-r`, `-c`) at 1-based `line`.
    fn include(&mut self, line: usize, target: &str) {
        if self.includes.len() >= INCLUDES_PER_MANIFEST {
            self.includes_left_out += 1;
            return;
        }
        self.includes.push((line, target.to_string()));
    }

    fn has_notes(&self) -> bool {
        !self.notes.is_empty()
    }

    /// 1-based line of a byte offset into the manifest.
    fn line_of(&self, offset: usize) -> usize {
        self.positions.line(offset)
    }

    /// Byte offset of 1-based `line`'s start.
    fn line_start(&self, line: usize) -> usize {
        self.positions.line_range(line).start
    }

    /// Records `declaration` at 1-based `line`, its column where the name is written.
    fn add(&mut self, line: usize, declaration: Declaration) {
        self.add_near(self.line_start(line), declaration);
    }

    /// Records `declaration` on the line of byte `offset`, its column where the name is
    /// first written on that line (near `offset` on a long line).
    fn add_near(&mut self, offset: usize, declaration: Declaration) {
        if self.dependencies.len() >= DEPENDENCIES_PER_MANIFEST {
            self.left_out += 1;
            return;
        }
        let line = self.positions.line(offset);
        let mut range = self.positions.line_range(line);
        if range.len() > NAME_SEARCH_BYTES {
            range = offset.saturating_sub(NAME_SEARCH_BYTES).max(range.start)
                ..offset.saturating_add(NAME_SEARCH_BYTES).min(range.end);
        }
        let bytes = &self.text.as_bytes()[range.clone()];
        let column = memchr::memmem::find(bytes, declaration.name.as_bytes())
            .map_or(1, |at| self.positions.position(range.start + at).1);
        self.push(line, column, declaration);
    }

    fn push(&mut self, line: usize, column: usize, declaration: Declaration) {
        self.dependencies.push(Dependency {
            name: declaration.name,
            specifier: declaration.specifier,
            scope: declaration.scope,
            group: declaration.group,
            pin: declaration.pin,
            location: Location {
                path: self.path.to_string(),
                line: line.max(1),
                column,
            },
            locked_version: None,
            confidence: Default::default(),
        });
    }

    fn into_manifest(self, ecosystem: Ecosystem, format: &str, text: &str) -> ManifestDraft {
        let mut dependencies = self.dependencies;
        dependencies.sort();
        let left_out_notes = [
            (self.left_out, "dependencies", DEPENDENCIES_PER_MANIFEST),
            (self.notes_left_out, "unreadable lines", NOTES_PER_MANIFEST),
            (self.includes_left_out, "includes", INCLUDES_PER_MANIFEST),
        ]
        .into_iter()
        .filter(|(left_out, ..)| *left_out > 0)
        .map(|(left_out, noun, cap)| entries_left_out(self.path, left_out, noun, cap, "manifest"));
        ManifestDraft {
            manifest: Manifest {
                path: self.path.to_string(),
                ecosystem,
                format: format.to_string(),
                package: None,
                version: None,
                dependencies,
                lockfile: None,
            },
            text: text.to_string(),
            includes: self.includes,
            workspace_deps: Vec::new(),
            notes: self.notes.into_iter().chain(left_out_notes).collect(),
        }
    }
}

/// A table entry's specifier, pin (by `pin_of` for version strings) and `optional` flag.
/// Git sources: `rev` with a full commit is hash-pinned, a `tag` or `rev` exact, a branch
/// or nothing unpinned; `path` is exact (this snapshot fixes it); `url` per its form.
fn table_entry(value: &toml::Value, pin_of: fn(&str) -> PinClass) -> (String, PinClass, bool) {
    let Some(table) = value.as_table() else {
        let text = value.as_str().unwrap_or("").to_string();
        let pin = pin_of(&text);
        return (text, pin, false);
    };
    let get = |key: &str| table.get(key).and_then(toml::Value::as_str);
    let optional = table.get("optional").and_then(toml::Value::as_bool).unwrap_or(false);
    let (specifier, pin) = if let Some(git) = get("git") {
        let reference = get("rev").or(get("tag")).or(get("branch"));
        let pin = match (get("rev"), get("tag")) {
            (Some(rev), _) if is_commit_sha(rev) => PinClass::HashPinned,
            (Some(_), _) | (_, Some(_)) => PinClass::Exact,
            _ => PinClass::Unpinned,
        };
        (
            format!("git {git}{}", reference.map(|r| format!(" @ {r}")).unwrap_or_default()),
            pin,
        )
    } else if let Some(path) = get("path") {
        (format!("path {path}"), PinClass::Exact)
    } else if let Some(url) = get("url") {
        (url.to_string(), requirement::url_pin(url))
    } else {
        let version = get("version").unwrap_or("").to_string();
        let pin = pin_of(&version);
        (version, pin)
    };
    (specifier, pin, optional)
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    super::toolchains::line_of(text, offset)
}

/// A 40-hex-digit git commit id.
fn is_commit_sha(text: &str) -> bool {
    text.len() == 40 && text.bytes().all(|b| b.is_ascii_hexdigit())
}
