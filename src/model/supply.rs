//! Supply-chain facts: declared dependencies, lockfiles, vendored components, committed
//! binaries and the repository's security posture. Filled by the dependency and supply
//! analyzers, read by section 6, Appendix B and the CycloneDX renderer.

use serde::Serialize;

use super::Location;

#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct SupplyChain {
    /// Every manifest parsed, sorted by path.
    pub manifests: Vec<Manifest>,
    /// Every lockfile parsed, sorted by path.
    pub lockfiles: Vec<Lockfile>,
    /// Children of vendoring folders (`third_party/x`, `vendor/x`, ...), sorted by path.
    pub vendored: Vec<VendoredComponent>,
    /// Executables, shared libraries, archives, bytecode committed to the tree, sorted by path.
    pub binary_artifacts: Vec<BinaryArtifact>,
    pub posture: SecurityPosture,
}

/// A package ecosystem, named as in package URLs (purl types) where one exists.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Ecosystem {
    Pypi,
    Cargo,
    Npm,
    Golang,
    Conan,
    Vcpkg,
    /// CMake `FetchContent_Declare` / `ExternalProject_Add`: a git or URL source.
    Cmake,
    Docker,
    GithubActions,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Manifest {
    pub path: String,
    pub ecosystem: Ecosystem,
    /// The format as a user names it: `requirements.txt`, `pyproject.toml (PEP 621)`, `Cargo.toml`, ...
    pub format: String,
    /// The manifest's own package name and version, when it declares them.
    pub package: Option<String>,
    pub version: Option<String>,
    pub dependencies: Vec<Dependency>,
    /// Path of the lockfile of the same ecosystem that covers this manifest, if any.
    pub lockfile: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Dependency {
    /// Normalised the way the ecosystem compares names (PEP 503 for Python).
    pub name: String,
    /// The version requirement as written (`>=2.0,<3`, `^1.2`, a git URL, ...); empty when none.
    pub specifier: String,
    pub scope: DependencyScope,
    /// Extra, feature, optional-dependency group or dependency group it belongs to.
    pub group: Option<String>,
    pub pin: PinClass,
    /// Where it is declared.
    pub location: Location,
    /// The version a lockfile resolves it to, when one covers the manifest.
    pub locked_version: Option<String>,
    /// How it was read; absent when written literally where its tool reads it.
    #[serde(skip_serializing_if = "DeclarationConfidence::is_literal")]
    pub confidence: DeclarationConfidence,
}

/// How a declaration was read.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum DeclarationConfidence {
    /// Written as a literal where the tool reads it.
    #[default]
    Literal,
    /// Recovered from code that computes it when it runs (a `setup.py` list held in a
    /// variable, a `_deps` list turned into a dict), followed without running it.
    Inferred,
}

impl DeclarationConfidence {
    pub fn is_literal(&self) -> bool {
        *self == DeclarationConfidence::Literal
    }
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum DependencyScope {
    Runtime,
    Build,
    Dev,
    Optional,
}

/// How tightly a declared dependency is pinned; the rule is written next to the parser
/// that decides it.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum PinClass {
    /// An exact version plus a content hash (`--hash=`, image digest, `URL_HASH`, commit SHA).
    HashPinned,
    /// Exactly one version (`==1.2.3`, `=1.2.3`, `1.2.3` in npm, a go.mod version, a git tag).
    Exact,
    /// Lower and upper bound (`>=1,<2`, `^1.2`, `~1.2`, `~=1.2`), or a container image tag
    /// (a release line whose image can be pushed again; only a digest pins one).
    Bounded,
    /// Only a lower bound (`>=1.2`).
    LowerBound,
    /// No version constraint, `*`, `latest`, or a moving reference (branch).
    Unpinned,
}

impl PinClass {
    /// The name reports print, the same as in `audit.json`.
    pub fn name(self) -> &'static str {
        match self {
            PinClass::HashPinned => "hash-pinned",
            PinClass::Exact => "exact",
            PinClass::Bounded => "bounded",
            PinClass::LowerBound => "lower-bound",
            PinClass::Unpinned => "unpinned",
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Lockfile {
    pub path: String,
    pub ecosystem: Ecosystem,
    /// `Cargo.lock`, `uv.lock`, `package-lock.json`, ...
    pub format: String,
    pub packages: Vec<LockedPackage>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct LockedPackage {
    /// The name it is installed and referred to by.
    pub name: String,
    /// The registry's name for it when that is another: an npm alias (`"x": "npm:real@1"`)
    /// installs `real` as `x`, and only `real` identifies it in a purl. `None` when `name`
    /// is the registry's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registry_name: Option<String>,
    pub version: String,
    /// Registry, git or path source as the lockfile states it.
    pub source: Option<String>,
    /// Whether the lockfile records a checksum/integrity hash for it.
    pub hashed: bool,
    /// Its direct dependencies: names, or `name@version` where the lockfile tells which
    /// copy (Cargo.lock when it holds several versions; package-lock.json v2+ always,
    /// resolved the way Node resolves a folder's `require`).
    pub dependencies: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct VendoredComponent {
    /// The component's folder (`third_party/pybind11`).
    pub path: String,
    pub name: String,
    pub files: usize,
    pub code_lines: u64,
    /// A version the component states, with the file and line that states it.
    pub version: Option<Evidence>,
    pub license: Option<LicenseMatch>,
    /// When the component is a submodule: its pinned commit.
    pub submodule_commit: Option<String>,
    /// Which rule found it (see [`VendoredBy`]).
    pub found_by: VendoredBy,
    /// What the content rules read: the copyright line of its license file or header
    /// naming another holder, or its manifest's `name`; `None` for a folder name.
    pub evidence: Option<Evidence>,
}

/// The rule that found a vendored component.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum VendoredBy {
    /// A child of a vendoring folder (`third_party/x`).
    FolderName,
    /// A folder with its own license file whose holder is not the repository's.
    LicenseFile,
    /// A folder with its own package manifest of another project.
    Manifest,
    /// Files whose license header names only another holder.
    LicenseHeader,
    /// A well-known single-file library (`json.hpp`, `stb_image.h`, `sqlite3.c`, ...).
    KnownFile,
}

impl VendoredBy {
    pub fn label(self) -> &'static str {
        match self {
            VendoredBy::FolderName => "folder name",
            VendoredBy::LicenseFile => "own license file",
            VendoredBy::Manifest => "own manifest",
            VendoredBy::LicenseHeader => "license header",
            VendoredBy::KnownFile => "known single file",
        }
    }
}

/// A value read from the tree, with where it was read.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Evidence {
    pub value: String,
    pub location: Location,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct LicenseMatch {
    /// SPDX license id (`Apache-2.0`).
    pub spdx: String,
    /// Match score of the license matcher, in percent (integer, so output is exact).
    pub confidence_percent: u32,
    /// The license file the id was detected from.
    pub path: String,
}

/// The repository's license. The rule: the `license` a root manifest declares
/// (`Cargo.toml` `[package]` or `[workspace.package]`, then `pyproject.toml` `[project]` or
/// `[tool.poetry]`, then `package.json`; the first that parses as an SPDX expression) is
/// the expression; without one, the SPDX ids the root license files match, in path order,
/// joined with `OR` (`LICENSE-APACHE` and `LICENSE-MIT` make `Apache-2.0 OR MIT`: a
/// project ships several license texts to offer a choice), except that `COPYING` (GPL)
/// with `COPYING.LESSER` (LGPL) of the same version is the LGPL alone.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct RepositoryLicense {
    /// SPDX expression: one id (`MIT`) or a compound one (`Unlicense OR MIT`).
    pub expression: String,
    /// Every root manifest `license` field, with its file:line; the first that parses as
    /// SPDX is the expression, and a different one is a disagreement worth reading.
    pub declared: Vec<Evidence>,
    /// The root license files whose text matches an SPDX license.
    pub files: Vec<LicenseMatch>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct BinaryArtifact {
    pub path: String,
    /// `executable`, `shared-library`, `static-library`, `jar`, `class`, `pyc`, `archive`, ...
    pub kind: String,
    pub bytes: u64,
}

/// Files and workflow steps that show how the repository is kept safe; `None` or empty
/// means absent (measured, not assumed).
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct SecurityPosture {
    pub security_policy: Option<String>,
    pub codeowners: Option<String>,
    /// The best-matching root license file (kept as it was; the repository's license is
    /// `repository_license`).
    pub license: Option<LicenseMatch>,
    /// The repository's license: the SPDX expression a root manifest declares, else the
    /// one its root license files make together (see [`RepositoryLicense`]).
    pub repository_license: Option<RepositoryLicense>,
    /// Release provenance and signing in workflows: SLSA generator, attest-build-provenance,
    /// sigstore / cosign.
    pub provenance: Vec<Evidence>,
    /// Ecosystems present in the tree (from manifests), against those Dependabot updates.
    pub ecosystems_present: Vec<Ecosystem>,
    pub dependabot_ecosystems: Vec<Ecosystem>,
    pub renovate: bool,
}
