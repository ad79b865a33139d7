//! `sbom.cdx.json` and `plumb sbom`: the audited snapshot's software bill of materials as
//! CycloneDX 1.6 JSON. Spec: <https://cyclonedx.org/docs/1.6/json/>
//!
//! Like SARIF, CycloneDX is a public contract, so it is written from the wire types at the
//! end of this file, not by serialising the model. They are hand-written because the
//! `cyclonedx-bom` crate stops at 1.5 (see `shared/design/DEPENDENCIES.md`) and 1.6 is
//! what carries `evidence.occurrences[].line`, which lets every component say where the
//! tree declares it.
//!
//! What becomes a component, each with a `bom-ref` that is unique and derived from what it
//! is (so it does not move between runs):
//! - every declared dependency of every manifest, one component per distinct
//!   (ecosystem, name, version or range); see [`locked_versions`] and
//!   [`declared_version`] for which that is (a range is never a `version`, only a
//!   `plumb:specifier`); a dependency on a local folder is the repository, no component;
//! - every package of every lockfile, so that the `dependencies` graph can name what the
//!   lockfile says each package depends on; a declared dependency the lockfile resolves
//!   is the same component as its locked package; an npm alias is named and purl'd by the
//!   package it installs;
//! - every GitHub Action or reusable workflow a workflow `uses:` (type `application`,
//!   purl `pkg:github/owner/repo@ref#path`), and `docker://` images (type `container`);
//! - every submodule (version = the pinned commit, `vcs` reference = its URL);
//! - every vendored component (version and license as the tree states them); a vendored
//!   folder that is a submodule is one component, not two.
//!
//! The `dependencies` graph has an entry for the repository (everything it declares, uses
//! or vendors) and one for each locked package (what its lockfile says it depends on, an
//! empty list when the lockfile says nothing). A component that no lockfile describes has
//! no entry: in CycloneDX an absent entry means "unknown", which is what plumb knows.
//!
//! Output is deterministic: components sorted by `bom-ref`, every list sorted, no absolute
//! paths or host names (URLs are the redacted ones of the model). The serial number is a
//! UUID derived from the content ([`serial_number`]), and the time stamp is the audit's
//! (`SOURCE_DATE_EPOCH` when set).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::model::{
    ActionRef, Audit, Dependency, DependencyScope, Ecosystem, LicenseMatch, Location, LockedPackage, Lockfile,
    Manifest, PinClass, PinKind, Submodule, VendoredBy, VendoredComponent,
};

const SPEC_VERSION: &str = "1.6";
/// The `bom-ref` of the audited repository, the BOM's subject.
const ROOT_REF: &str = "repository";

/// The BOM of the audit, two-space indented, ending in a newline.
pub fn render(audit: &Audit) -> String {
    let mut text = serde_json::to_string_pretty(&bom(audit)).expect("the CycloneDX wire types serialise: plain data");
    text.push('\n');
    text
}

/// How many components the BOM lists and where they come from, for the audit's
/// "SBOM / Provenance" line: counted from the same inventory [`render`] writes, so the
/// two always agree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SbomSummary {
    pub components: usize,
    /// Components per origin: an ecosystem name (`pypi`, `cargo`, `github-actions`, ...),
    /// `submodule` or `vendored`.
    pub by_origin: BTreeMap<&'static str, usize>,
    /// `dependsOn` edges of the graph, the repository's own included.
    pub relationships: usize,
}

impl SbomSummary {
    /// `12 components (3 cargo, 8 github-actions, 1 submodule)`.
    pub fn describe(&self) -> String {
        let origins: Vec<String> = self.by_origin.iter().map(|(o, n)| format!("{n} {o}")).collect();
        let noun = if self.components == 1 {
            "component"
        } else {
            "components"
        };
        if origins.is_empty() {
            format!("{} {noun}", self.components)
        } else {
            format!("{} {noun} ({})", self.components, origins.join(", "))
        }
    }
}

pub fn summary(audit: &Audit) -> SbomSummary {
    let inventory = Inventory::of(audit);
    let mut by_origin = BTreeMap::new();
    for entry in inventory.components.values() {
        *by_origin.entry(entry.origin).or_insert(0) += 1;
    }
    SbomSummary {
        components: inventory.components.len(),
        by_origin,
        relationships: inventory.graph.values().map(Vec::len).sum(),
    }
}

fn bom(audit: &Audit) -> Bom {
    let inventory = Inventory::of(audit);
    let mut bom = Bom {
        bom_format: "CycloneDX",
        spec_version: SPEC_VERSION,
        serial_number: None,
        version: 1,
        metadata: Metadata {
            timestamp: None,
            lifecycles: [Lifecycle { phase: "pre-build" }],
            tools: Tools {
                components: vec![Component::tool(&audit.tool.name, &audit.tool.version)],
            },
            component: root_component(audit),
        },
        components: inventory.components.into_iter().map(|(r, e)| e.into_wire(r)).collect(),
        dependencies: inventory
            .graph
            .into_iter()
            .map(|(r, on)| DependencyEdge {
                reference: r,
                depends_on: on.into_iter().collect(),
            })
            .collect(),
    };
    bom.serial_number = Some(serial_number(&bom));
    bom.metadata.timestamp = Some(audit.generated_at.clone());
    bom
}

/// `urn:uuid:` of a name-based UUID (RFC 9562 version 5: SHA-1 in the URL namespace) of
/// the BOM as it is before the serial number and the time stamp are set. The same content
/// gets the same serial on every machine and at every time, and any change of content a
/// new one; CycloneDX's advice of a fresh random serial per BOM would make two runs on one
/// snapshot differ, which plumb never does.
fn serial_number(body: &Bom) -> String {
    /// RFC 9562's namespace for URLs, `6ba7b811-9dad-11d1-80b4-00c04fd430c8`.
    const NAMESPACE: [u8; 16] = [
        0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
    ];
    let text = serde_json::to_vec(body).expect("the CycloneDX wire types serialise: plain data");
    let mut hasher = gix::hash::hasher(gix::hash::Kind::Sha1);
    hasher.update(&NAMESPACE);
    hasher.update(b"plumb-sbom:");
    hasher.update(&text);
    // `try_finalize` fails only on input built as a SHA-1 collision attack; its serial is
    // then the null hash's, still deterministic.
    let digest = hasher
        .try_finalize()
        .unwrap_or_else(|_| gix::hash::ObjectId::null(gix::hash::Kind::Sha1));
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest.as_bytes()[..16]);
    bytes[6] = (bytes[6] & 0x0f) | 0x50; // version 5
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 9562 variant
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// The repository itself: its name (`root_name`), the audited commit as its version, its remote
/// (`origin` first) as its `vcs` reference, and its license when one was detected.
fn root_component(audit: &Audit) -> Component {
    let mut root = Component::new(ComponentType::Application, &audit.snapshot.root_name);
    root.bom_ref = Some(ROOT_REF.to_string());
    root.version = audit.snapshot.commit.clone();
    root.licenses = audit
        .supply_chain
        .posture
        .repository_license
        .as_ref()
        .map(|l| license_of(&l.expression))
        .into_iter()
        .collect();
    let remotes = audit
        .repository
        .as_ref()
        .map(|r| r.remotes.as_slice())
        .unwrap_or_default();
    let remote = remotes.iter().find(|r| r.name == "origin").or(remotes.first());
    if let Some(url) = remote.and_then(|r| r.fetch_url.as_deref()).and_then(vcs_url) {
        root.external_references.push(ExternalReference { kind: "vcs", url });
    }
    root
}

/// Every component by `bom-ref`, and the `dependsOn` edges, before they are written.
/// Lists are gathered in `Vec`s and put in order once, at the end ([`Inventory::settle`]):
/// a set per component cost a tree node per list (1.5 KB per component, 60 MB for the
/// 40,000 dependencies of a hostile manifest).
#[derive(Default)]
struct Inventory {
    components: BTreeMap<String, Entry>,
    graph: BTreeMap<String, Vec<String>>,
}

impl Inventory {
    fn of(audit: &Audit) -> Inventory {
        let mut inventory = Inventory::default();
        let supply = &audit.supply_chain;
        let locks: BTreeMap<&str, &Lockfile> = supply.lockfiles.iter().map(|l| (l.path.as_str(), l)).collect();
        for manifest in &supply.manifests {
            let lock = manifest.lockfile.as_deref().and_then(|path| locks.get(path).copied());
            for dependency in &manifest.dependencies {
                inventory.add_declared(manifest, dependency, lock);
            }
        }
        let own = OwnPackages::of(&supply.manifests);
        for lockfile in &supply.lockfiles {
            inventory.add_lockfile(lockfile, &own);
        }
        for action in &audit.ci.action_refs {
            inventory.add_action(action);
        }
        if let Some(repository) = &audit.repository {
            for submodule in &repository.submodules {
                inventory.add_submodule(submodule);
            }
        }
        for component in &supply.vendored {
            inventory.add_vendored(component);
        }
        inventory.settle();
        inventory
    }

    /// Every list sorted, each item once.
    fn settle(&mut self) {
        for entry in self.components.values_mut() {
            sort_once(&mut entry.external_references);
            sort_once(&mut entry.properties);
            sort_once(&mut entry.occurrences);
        }
        for depends_on in self.graph.values_mut() {
            sort_once(depends_on);
        }
    }

    /// The entry under `bom_ref`, made by `new` the first time; with `direct`, the
    /// repository depends on it.
    fn entry(&mut self, bom_ref: String, direct: bool, new: impl FnOnce() -> Entry) -> &mut Entry {
        if direct {
            self.graph
                .entry(ROOT_REF.to_string())
                .or_default()
                .push(bom_ref.clone());
        }
        self.components.entry(bom_ref).or_insert_with(new)
    }

    /// A declaration is the component of each version it stands for: its locked
    /// versions when a lockfile resolves it, else the version or range it states (a
    /// range only tells components apart, see [`Inventory::declare`]). A declaration of
    /// a local folder is none: see [`is_local_path`].
    fn add_declared(&mut self, manifest: &Manifest, dependency: &Dependency, lock: Option<&Lockfile>) {
        if is_local_path(dependency) {
            return;
        }
        let ecosystem = manifest.ecosystem;
        let locked = locked_versions(manifest, dependency, lock);
        for version in &locked {
            let version = Some(version.to_string());
            self.declare(ecosystem, dependency, version.clone(), version);
        }
        if !locked.is_empty() {
            return;
        }
        let (version, purl_version) = match ecosystem {
            Ecosystem::Docker => {
                let tag = image_version(&dependency.specifier);
                (tag.clone(), tag)
            }
            _ => (
                declared_version(dependency),
                exact_version(&dependency.specifier, dependency.pin),
            ),
        };
        self.declare(ecosystem, dependency, version, purl_version);
    }

    /// The component of a declaration: told apart from the name's others by `reference`
    /// (a version, or a range as written), with `version` as its one version, if any.
    /// A range is never the component's version: CycloneDX's `version` names what the
    /// component is, and a range names what it may be (the `plumb:specifier` property
    /// keeps it).
    fn declare(
        &mut self,
        ecosystem: Ecosystem,
        dependency: &Dependency,
        reference: Option<String>,
        version: Option<String>,
    ) {
        let entry = self.entry(
            package_ref(ecosystem, &dependency.name, reference.as_deref()),
            true,
            || {
                let mut entry = Entry::new(package_type(ecosystem), ecosystem_name(ecosystem), &dependency.name);
                entry.version = version.clone();
                entry.purl = Some(purl(ecosystem, &dependency.name, version.as_deref()));
                entry
            },
        );
        entry.scope = entry.scope.max(Some(Scope::from(dependency.scope)));
        entry.occur(&dependency.location);
        entry.property("plumb:declared-in", &place(&dependency.location));
        entry.property("plumb:pin-class", dependency.pin.name());
        entry.property("plumb:dependency-scope", scope_name(dependency.scope));
        if !dependency.specifier.is_empty() {
            entry.property("plumb:specifier", &dependency.specifier);
        }
        if let Some(group) = &dependency.group {
            entry.property("plumb:group", group);
        }
        if !dependency.confidence.is_literal() {
            entry.property("plumb:confidence", "inferred");
        }
    }

    /// Each locked package, and what it depends on as the lockfile states it: a name
    /// alone when the lockfile has one version of it, `name@version` when it has several.
    /// A locked package that is one of the repository's own (a workspace member, the
    /// project itself in `uv.lock`) is the repository: no component of its own, and what
    /// it depends on, the repository depends on. A package version that several lockfiles
    /// lock is one component with the union of their edges: CycloneDX has one `dependsOn`
    /// per `bom-ref`, and each edge is one some lockfile states.
    fn add_lockfile(&mut self, lockfile: &Lockfile, own: &OwnPackages<'_>) {
        let ecosystem = lockfile.ecosystem;
        let mut versions: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        let mut ours: BTreeSet<(&str, &str)> = BTreeSet::new();
        for package in &lockfile.packages {
            versions.entry(&package.name).or_default().push(&package.version);
            if own.is(ecosystem, package) {
                ours.insert((&package.name, &package.version));
            }
        }
        let reference = |name: &str, version: &str| {
            if ours.contains(&(name, version)) {
                ROOT_REF.to_string()
            } else {
                package_ref(ecosystem, name, Some(version))
            }
        };
        for package in &lockfile.packages {
            let bom_ref = reference(&package.name, &package.version);
            if bom_ref != ROOT_REF {
                self.add_locked(ecosystem, package, bom_ref.clone(), &lockfile.path);
            }
            let depends_on = package
                .dependencies
                .iter()
                .filter_map(|d| resolve_locked(d, &versions))
                .map(|(name, version)| reference(name, version))
                .filter(|target| target != ROOT_REF);
            self.graph.entry(bom_ref).or_default().extend(depends_on);
        }
    }

    /// A locked package's component, under the name it is installed by (which is how the
    /// manifest and the lockfile's graph refer to it) but named and purl'd by the
    /// registry's name when the lockfile states another (an npm alias): the registry name
    /// is what identifies the package anywhere else. Set here, whichever of declaration or
    /// lockfile made the component first.
    fn add_locked(&mut self, ecosystem: Ecosystem, package: &LockedPackage, bom_ref: String, lockfile: &str) {
        let entry = self.entry(bom_ref, false, || {
            Entry::new(package_type(ecosystem), ecosystem_name(ecosystem), &package.name)
        });
        let name = package.registry_name.as_deref().unwrap_or(&package.name);
        entry.name = name.to_string();
        entry.version = Some(package.version.clone());
        entry.purl = Some(purl(ecosystem, name, Some(&package.version)));
        entry.property("plumb:locked-in", lockfile);
        if package.registry_name.is_some() {
            entry.property("plumb:installed-as", &package.name);
        }
    }

    fn add_action(&mut self, action: &ActionRef) {
        let Some((ecosystem, name, version)) = action_package(action) else {
            return;
        };
        let entry = self.entry(package_ref(ecosystem, &name, version), true, || {
            let mut entry = Entry::new(package_type(ecosystem), ecosystem_name(ecosystem), &name);
            entry.version = version.map(str::to_string);
            entry.purl = Some(purl(ecosystem, &name, version));
            entry
        });
        // CI tooling is not reachable from the software at run time: CycloneDX's
        // `excluded`, unless a manifest also declares it for run time.
        entry.scope = entry.scope.max(Some(Scope::Excluded));
        entry.occur(&action.location);
        entry.property("plumb:declared-in", &place(&action.location));
        entry.property("plumb:pin-class", action_pin_class(action.pin).name());
    }

    fn add_submodule(&mut self, submodule: &Submodule) {
        let name = last_segment(&submodule.path);
        let entry = self.entry(submodule_ref(&submodule.path), true, || {
            let mut entry = Entry::new(ComponentType::Library, "submodule", name);
            entry.version = Some(submodule.commit.clone());
            let github = submodule.url.as_deref().and_then(github_repository);
            entry.purl = Some(match github {
                Some(repository) => purl(Ecosystem::GithubActions, &repository, Some(&submodule.commit)),
                None => generic_purl(name, Some(&submodule.commit)),
            });
            entry
        });
        entry.occurrences.push((submodule.path.clone(), None));
        entry.property("plumb:path", &submodule.path);
        if let Some(url) = submodule.url.as_deref().and_then(vcs_url) {
            entry.external_references.push(("vcs", url));
        }
        if let Some(branch) = &submodule.branch {
            entry.property("plumb:tracks-branch", branch);
        }
    }

    fn add_vendored(&mut self, component: &VendoredComponent) {
        let version = component
            .version
            .as_ref()
            .map(|v| v.value.clone())
            .or_else(|| component.submodule_commit.clone());
        let bom_ref = vendored_ref(component, &self.components);
        let entry = self.entry(bom_ref, true, || {
            let mut entry = Entry::new(ComponentType::Library, "vendored", &component.name);
            entry.version = version.clone();
            entry.purl = Some(generic_purl(&component.name, version.as_deref()));
            entry
        });
        entry.occurrences.push((component.path.clone(), None));
        if let Some(evidence) = &component.version {
            entry.occur(&evidence.location);
        }
        entry.property("plumb:path", &component.path);
        if component.found_by != VendoredBy::FolderName {
            entry.property("plumb:found-by", component.found_by.label());
        }
        entry.property("plumb:files", &component.files.to_string());
        entry.property("plumb:code-lines", &component.code_lines.to_string());
        if let Some(found) = &component.license {
            entry.license = Some(license(found));
            entry.property("plumb:license-file", &found.path);
            entry.property(
                "plumb:license-confidence-percent",
                &found.confidence_percent.to_string(),
            );
        }
    }
}

/// A vendored folder that is also a submodule is described once, under the submodule's
/// `bom-ref`, which already holds its URL and commit.
fn vendored_ref(component: &VendoredComponent, known: &BTreeMap<String, Entry>) -> String {
    let as_submodule = submodule_ref(&component.path);
    if known.contains_key(&as_submodule) {
        as_submodule
    } else {
        format!("vendored/{}", component.path)
    }
}

/// Sorts `items` and keeps each once.
fn sort_once<T: Ord>(items: &mut Vec<T>) {
    items.sort_unstable();
    items.dedup();
}

fn submodule_ref(path: &str) -> String {
    format!("submodule/{path}")
}

/// `pypi/torch@2.1.0`, `pypi/rich` (no version): unique per (ecosystem, name, version),
/// which is what makes one component of several declarations.
fn package_ref(ecosystem: Ecosystem, name: &str, version: Option<&str>) -> String {
    match version {
        Some(version) => format!("{}/{name}@{version}", ecosystem_name(ecosystem)),
        None => format!("{}/{name}", ecosystem_name(ecosystem)),
    }
}

/// The locked versions a declaration stands for, each its own component.
///
/// The rule, for a name its lockfile holds at several versions (the model's
/// `locked_version` then lists them all, `1.3.2, 2.13.1`): a purl names exactly one
/// version, so the versions are never joined into one. The declaration is
/// - the version the lockfile's entry for the manifest's own package names, when it
///   names one (Cargo.lock writes `bitflags 2.13.1` in a workspace member's dependencies
///   whenever two bitflags are locked);
/// - else the one an exact pin names, when that version is locked;
/// - else every locked version: which one a range selects depends on the rest of the
///   resolve (other members, markers), which only the lockfile's graph records, and the
///   graph then tells which package needs which version.
///
/// Empty when no lockfile resolves the declaration.
fn locked_versions<'a>(manifest: &Manifest, dependency: &'a Dependency, lock: Option<&Lockfile>) -> Vec<&'a str> {
    let all: Vec<&str> = dependency
        .locked_version
        .as_deref()
        .map(|v| v.split(", ").filter(|v| !v.is_empty()).collect())
        .unwrap_or_default();
    if all.len() < 2 {
        return all;
    }
    let named_by_own = lock.and_then(|lock| own_package(manifest, lock)).and_then(|own| {
        all.iter()
            .copied()
            .find(|version| own.dependencies.contains(&format!("{}@{version}", dependency.name)))
    });
    let pinned = exact_version(&dependency.specifier, dependency.pin);
    let named = named_by_own.or_else(|| all.iter().copied().find(|v| Some(*v) == pinned.as_deref()));
    match named {
        Some(version) => vec![version],
        None => all,
    }
}

/// The lockfile's entry for the manifest's own package (a Cargo workspace member, the
/// project in `uv.lock`).
fn own_package<'a>(manifest: &Manifest, lock: &'a Lockfile) -> Option<&'a LockedPackage> {
    let name = manifest.package.as_deref()?;
    let version = manifest.version.as_deref();
    lock.packages
        .iter()
        .find(|p| p.name == name && (version == Some(p.version.as_str()) || installed_from_tree(lock.ecosystem, p)))
}

/// The repository's own packages, which lockfiles list beside what they lock: a Cargo
/// workspace's members, the project of a `uv.lock`.
struct OwnPackages<'a> {
    versioned: BTreeSet<(Ecosystem, &'a str, &'a str)>,
    names: BTreeSet<(Ecosystem, &'a str)>,
}

impl<'a> OwnPackages<'a> {
    fn of(manifests: &'a [Manifest]) -> OwnPackages<'a> {
        let declared = || manifests.iter().filter_map(|m| Some((m, m.package.as_deref()?)));
        OwnPackages {
            versioned: declared()
                .filter_map(|(m, name)| Some((m.ecosystem, name, m.version.as_deref()?)))
                .collect(),
            names: declared().map(|(m, name)| (m.ecosystem, name)).collect(),
        }
    }

    /// The rule: a locked package is the repository's own when a manifest declares its
    /// name and version, or declares its name and the lockfile installs it from the tree
    /// itself, or it is a Cargo package without `source` (Cargo.lock writes none only for
    /// a crate built from a folder: a workspace member or a path dependency, whose
    /// `Cargo.toml` may be one plumb does not read, below `tests/` or `vendor/`). The second case is a lockfile older than its manifest's version bump
    /// (ruff's `scripts/benchmarks/uv.lock` locks `scripts 0.16.3` from `virtual = "."`
    /// while the pyproject says 0.16.4): it still locks the project, not a registry
    /// package of that name.
    fn is(&self, ecosystem: Ecosystem, package: &LockedPackage) -> bool {
        let from_tree = installed_from_tree(ecosystem, package);
        self.versioned.contains(&(ecosystem, &package.name, &package.version))
            || (from_tree
                && (ecosystem == Ecosystem::Cargo || self.names.contains(&(ecosystem, package.name.as_str()))))
    }
}

/// The rule: a dependency on a local folder (`path = "..."` in Cargo, Poetry and
/// Pipfile, a Go `replace` by a folder; its specifier reads `path ...`) is built from
/// that folder, not fetched from a registry: a workspace member or a crate of the tree is
/// the repository itself, and a folder outside the snapshot is nothing a purl could name.
/// It is no component; what it declares in its own manifest, the repository declares.
fn is_local_path(dependency: &Dependency) -> bool {
    dependency.specifier.starts_with("path ")
}

/// Whether the lockfile installs the package from a folder of the tree rather than a
/// registry or a repository: a Cargo package without a `source`, a uv/pdm package whose
/// source is `editable`, `virtual`, `directory` or `path`.
fn installed_from_tree(ecosystem: Ecosystem, package: &LockedPackage) -> bool {
    let source = package.source.as_deref();
    match ecosystem {
        Ecosystem::Cargo => source.is_none(),
        Ecosystem::Pypi => source.is_some_and(|s| {
            ["editable+", "virtual+", "directory+", "path+"]
                .iter()
                .any(|kind| s.starts_with(kind))
        }),
        _ => false,
    }
}

/// What tells a declaration no lockfile resolves apart from the name's others: the one
/// version an exact pin names; else the specifier as written (a range such as
/// `>=2.0,<3`, in the `bom-ref` only); else none. Only the first is the component's
/// version and goes into its purl.
fn declared_version(dependency: &Dependency) -> Option<String> {
    let specifier = dependency.specifier.trim();
    exact_version(specifier, dependency.pin).or_else(|| (!specifier.is_empty()).then(|| specifier.to_string()))
}

/// The tag or digest of a `FROM` image reference (`python:3.12-slim` → `3.12-slim`,
/// `ubuntu@sha256:…` → `sha256:…`), whose name is the dependency's name; `None` for an
/// untagged image, or a tag still holding a `$` (a build argument without a default).
fn image_version(reference: &str) -> Option<String> {
    let (_, version) = split_image(reference.trim());
    version
        .filter(|v| !v.is_empty() && !v.contains('$'))
        .map(str::to_string)
}

/// The version an exact or hash pin names: its first word after the operator
/// (`==1.2.3 --hash=...` and `== 1.2.3` → `1.2.3`, `=1.2.3`, `@sha256:...`, `:22.04`);
/// `None` when what is left still reads as a range, a URL or a path.
fn exact_version(specifier: &str, pin: PinClass) -> Option<String> {
    if !matches!(pin, PinClass::Exact | PinClass::HashPinned) {
        return None;
    }
    // The operator may stand apart from the version (`== 1.0.7`, which pip accepts).
    let unprefixed = specifier.trim_start().trim_start_matches(['=', '@', ':']);
    let version = unprefixed.split_whitespace().next()?;
    let ranged = version.contains(['<', '>', '!', '~', '^', '*', ',', '|', '/', '=']);
    (!version.is_empty() && !ranged).then(|| version.to_string())
}

/// Finds a lockfile's dependency reference among its packages: `name@version` exactly, or
/// a name with exactly one locked version. An ambiguous or unknown name is left out
/// rather than guessed.
fn resolve_locked<'a>(reference: &'a str, versions: &BTreeMap<&'a str, Vec<&'a str>>) -> Option<(&'a str, &'a str)> {
    if let Some([version]) = versions.get(reference).map(Vec::as_slice) {
        return Some((reference, version));
    }
    // `@scope/name@1.0` splits at its last `@`; a leading `@` is the npm scope's.
    let (name, version) = reference.rsplit_once('@').filter(|(name, _)| !name.is_empty())?;
    let known = versions.get(name)?.contains(&version);
    known.then_some((name, version))
}

/// `owner/repo[/path]@ref` as a GitHub package, `docker://image[:tag|@digest]` as a
/// Docker image; a local `./action` is the repository's own code, not a component.
fn action_package(action: &ActionRef) -> Option<(Ecosystem, String, Option<&str>)> {
    if action.pin == PinKind::Local || action.uses.starts_with("./") {
        return None;
    }
    if let Some(image) = action.uses.strip_prefix("docker://") {
        let (name, version) = split_image(image);
        return Some((Ecosystem::Docker, name.to_string(), version));
    }
    match action.uses.rsplit_once('@') {
        Some((name, version)) => Some((Ecosystem::GithubActions, name.to_string(), Some(version))),
        None => Some((Ecosystem::GithubActions, action.uses.clone(), None)),
    }
}

/// `ubuntu@sha256:…` → (`ubuntu`, `sha256:…`); `ghcr.io/o/i:1.2` → (`ghcr.io/o/i`, `1.2`);
/// a `:` before the last `/` is a registry port, not a tag.
fn split_image(image: &str) -> (&str, Option<&str>) {
    if let Some((name, digest)) = image.split_once('@') {
        return (name, Some(digest));
    }
    match image.rsplit_once(':') {
        Some((name, tag)) if !tag.contains('/') => (name, Some(tag)),
        _ => (image, None),
    }
}

/// The rule that maps a `uses:` pin to the dependency pin classes: a commit SHA or image
/// digest is hash-pinned, an action's tag exact (one version, movable, as `PinClass::Exact`
/// says), a docker image's tag bounded (a release line, as for a Dockerfile's `FROM`), a
/// branch or nothing unpinned.
fn action_pin_class(pin: PinKind) -> PinClass {
    match pin {
        PinKind::Sha | PinKind::DockerDigest => PinClass::HashPinned,
        PinKind::Tag => PinClass::Exact,
        PinKind::DockerTag => PinClass::Bounded,
        PinKind::Branch | PinKind::Unpinned | PinKind::Local => PinClass::Unpinned,
    }
}

/// `owner/repo` of a GitHub URL in any of its forms (https, ssh, scp-like), lowercased as
/// the purl `github` type wants it.
fn github_repository(url: &str) -> Option<String> {
    let (_, rest) = url.split_once("github.com")?;
    let rest = rest.strip_prefix([':', '/'])?;
    let rest = rest.trim_end_matches('/');
    let rest = rest.strip_suffix(".git").unwrap_or(rest);
    let (owner, repo) = rest.split_once('/')?;
    let valid = !owner.is_empty() && !repo.is_empty() && !repo.contains('/');
    valid.then(|| format!("{owner}/{repo}").to_ascii_lowercase())
}

/// A URL as an IRI reference, which CycloneDX requires of `externalReferences[].url`: the
/// scp-like `git@host:path` becomes `ssh://git@host/path`, and spaces, controls and the
/// characters URIs exclude are percent-encoded. A remote that is a folder of this machine
/// (an absolute path, `file://`) is left out: it means nothing elsewhere and would put a
/// local path into a document meant to be shared.
fn vcs_url(url: &str) -> Option<String> {
    let url = url.trim();
    let local = url.starts_with(['/', '\\']) || url.to_ascii_lowercase().starts_with("file:");
    let drive = matches!(url.as_bytes(), [letter, b':', b'/' | b'\\', ..] if letter.is_ascii_alphabetic());
    if local || drive {
        return None;
    }
    let scp_like = !url.contains("://")
        && url
            .split_once(':')
            .is_some_and(|(host, _)| host.contains('@') && !host.contains('/'));
    let url = if scp_like {
        format!("ssh://{}", url.replacen(':', "/", 1))
    } else {
        url.to_string()
    };
    let mut encoded = String::with_capacity(url.len());
    for c in url.chars() {
        if c.is_ascii_graphic() && !"\"<>\\^`{|}".contains(c) {
            encoded.push(c);
        } else {
            let mut buffer = [0u8; 4];
            for byte in c.encode_utf8(&mut buffer).bytes() {
                encoded.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    (!encoded.is_empty()).then_some(encoded)
}

/// A package URL (<https://github.com/package-url/purl-spec>) of a package of `ecosystem`.
/// Each name segment and the version are percent-encoded, so an npm scope's `@` becomes
/// `%40` and a digest's `:` `%3A`.
fn purl(ecosystem: Ecosystem, name: &str, version: Option<&str>) -> String {
    let lower = name.to_ascii_lowercase();
    let (kind, path, qualifier, subpath) = match ecosystem {
        Ecosystem::Pypi => ("pypi", lower.replace('_', "-"), None, None),
        Ecosystem::Cargo => ("cargo", name.to_string(), None, None),
        Ecosystem::Npm => ("npm", name.to_string(), None, None),
        // Capitals stay: Go module paths are case sensitive (the module proxy escapes
        // `BurntSushi` as `!burnt!sushi`), so the purl-spec note to lowercase them would
        // name another module; its type definition marks the name case sensitive too.
        Ecosystem::Golang => ("golang", name.to_string(), None, None),
        Ecosystem::Conan => ("conan", name.to_string(), None, None),
        Ecosystem::Vcpkg | Ecosystem::Cmake => ("generic", name.to_string(), None, None),
        Ecosystem::Docker => {
            let (registry, image) = docker_registry(name);
            ("docker", image.to_string(), registry, None)
        }
        Ecosystem::GithubActions => {
            let mut segments = lower.splitn(3, '/');
            let repository: Vec<&str> = segments.by_ref().take(2).collect();
            ("github", repository.join("/"), None, segments.next())
        }
    };
    let mut purl = format!("pkg:{kind}/{}", encode_segments(&path));
    if let Some(version) = version.filter(|v| !v.is_empty()) {
        purl.push('@');
        purl.push_str(&percent_encode(version));
    }
    if let Some(registry) = qualifier {
        purl.push_str("?repository_url=");
        purl.push_str(&percent_encode(registry));
    }
    if let Some(subpath) = subpath.filter(|s| !s.is_empty()) {
        purl.push('#');
        purl.push_str(&encode_segments(subpath));
    }
    purl
}

/// `pkg:generic/name@version`, for vendored code and submodules outside GitHub.
fn generic_purl(name: &str, version: Option<&str>) -> String {
    purl(Ecosystem::Cmake, name, version)
}

/// `ghcr.io/owner/image` → (`Some("ghcr.io")`, `owner/image`): a first segment with a dot,
/// a port or `localhost` is a registry, which the docker purl puts in `repository_url`.
fn docker_registry(name: &str) -> (Option<&str>, &str) {
    match name.split_once('/') {
        Some((first, rest)) if first.contains(['.', ':']) || first == "localhost" => (Some(first), rest),
        _ => (None, name),
    }
}

fn encode_segments(path: &str) -> String {
    let segments: Vec<String> = path.split('/').filter(|s| !s.is_empty()).map(percent_encode).collect();
    segments.join("/")
}

/// Every byte but ASCII letters, digits and `.-_~` percent-encoded.
fn percent_encode(text: &str) -> String {
    super::percent_encode(text, b"")
}

/// A detected license as CycloneDX wants it: an SPDX id when the matcher's id is one
/// (the schema refuses any other `id`), an SPDX expression when it parses as one, else
/// the text as a `name`.
fn license(found: &LicenseMatch) -> LicenseChoice {
    license_of(&found.spdx)
}

/// [`license`] of an id or expression.
fn license_of(text: &str) -> LicenseChoice {
    let text = text.trim();
    if let Some(id) = spdx::license_id(text).filter(|id| id.name == text) {
        return LicenseChoice::License {
            license: License::Id { id: id.name },
        };
    }
    if text.contains(' ') && spdx::Expression::parse(text).is_ok() {
        return LicenseChoice::Expression {
            expression: text.to_string(),
        };
    }
    LicenseChoice::License {
        license: License::Name { name: text.to_string() },
    }
}

fn package_type(ecosystem: Ecosystem) -> ComponentType {
    match ecosystem {
        Ecosystem::Docker => ComponentType::Container,
        Ecosystem::GithubActions => ComponentType::Application,
        _ => ComponentType::Library,
    }
}

/// The model's ecosystem names (its serde names), which also label the summary.
fn ecosystem_name(ecosystem: Ecosystem) -> &'static str {
    match ecosystem {
        Ecosystem::Pypi => "pypi",
        Ecosystem::Cargo => "cargo",
        Ecosystem::Npm => "npm",
        Ecosystem::Golang => "golang",
        Ecosystem::Conan => "conan",
        Ecosystem::Vcpkg => "vcpkg",
        Ecosystem::Cmake => "cmake",
        Ecosystem::Docker => "docker",
        Ecosystem::GithubActions => "github-actions",
    }
}

fn scope_name(scope: DependencyScope) -> &'static str {
    match scope {
        DependencyScope::Runtime => "runtime",
        DependencyScope::Build => "build",
        DependencyScope::Dev => "dev",
        DependencyScope::Optional => "optional",
    }
}

fn place(location: &Location) -> String {
    format!("{}:{}", location.path, location.line)
}

fn last_segment(path: &str) -> &str {
    path.trim_end_matches('/').rsplit('/').next().unwrap_or(path)
}

/// A component while the inventory is gathered: declarations of the same package merge
/// into it; [`Inventory::settle`] puts its lists in order, each item once.
struct Entry {
    kind: ComponentType,
    origin: &'static str,
    name: String,
    version: Option<String>,
    purl: Option<String>,
    scope: Option<Scope>,
    license: Option<LicenseChoice>,
    external_references: Vec<(&'static str, String)>,
    properties: Vec<(&'static str, String)>,
    occurrences: Vec<(String, Option<usize>)>,
}

impl Entry {
    fn new(kind: ComponentType, origin: &'static str, name: &str) -> Entry {
        Entry {
            kind,
            origin,
            name: name.to_string(),
            version: None,
            purl: None,
            scope: None,
            license: None,
            external_references: Vec::new(),
            properties: Vec::new(),
            occurrences: Vec::new(),
        }
    }

    fn occur(&mut self, location: &Location) {
        self.occurrences.push((location.path.clone(), Some(location.line)));
    }

    fn property(&mut self, name: &'static str, value: &str) {
        self.properties.push((name, value.to_string()));
    }

    fn into_wire(self, bom_ref: String) -> Component {
        let mut component = Component::new(self.kind, &self.name);
        component.bom_ref = Some(bom_ref);
        component.version = self.version;
        component.scope = self.scope;
        component.purl = self.purl;
        component.licenses = self.license.into_iter().collect();
        component.external_references = self
            .external_references
            .into_iter()
            .map(|(kind, url)| ExternalReference { kind, url })
            .collect();
        component.properties = self
            .properties
            .into_iter()
            .map(|(name, value)| Property { name, value })
            .collect();
        let occurrences: Vec<Occurrence> = self
            .occurrences
            .into_iter()
            .map(|(location, line)| Occurrence { location, line })
            .collect();
        component.evidence = (!occurrences.is_empty()).then_some(Evidence { occurrences });
        component
    }
}

// The wire types: CycloneDX 1.6 objects, only the properties plumb sets. Field order is the
// order in the file.

/// The BOM document.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Bom {
    bom_format: &'static str,
    spec_version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    serial_number: Option<String>,
    version: u32,
    metadata: Metadata,
    components: Vec<Component>,
    dependencies: Vec<DependencyEdge>,
}

#[derive(Serialize)]
struct Metadata {
    #[serde(skip_serializing_if = "Option::is_none")]
    timestamp: Option<String>,
    /// Always `pre-build`: CycloneDX's phase for a BOM read from "source files and
    /// development artifacts and manifests" before anything is built, which is all plumb
    /// reads.
    lifecycles: [Lifecycle; 1],
    tools: Tools,
    component: Component,
}

#[derive(Serialize)]
struct Lifecycle {
    phase: &'static str,
}

/// `metadata.tools` in its 1.5+ form: the tools as components.
#[derive(Serialize)]
struct Tools {
    components: Vec<Component>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Component {
    #[serde(rename = "type")]
    kind: ComponentType,
    #[serde(rename = "bom-ref", skip_serializing_if = "Option::is_none")]
    bom_ref: Option<String>,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<Scope>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    licenses: Vec<LicenseChoice>,
    #[serde(skip_serializing_if = "Option::is_none")]
    purl: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    external_references: Vec<ExternalReference>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    properties: Vec<Property>,
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<Evidence>,
}

impl Component {
    fn new(kind: ComponentType, name: &str) -> Component {
        Component {
            kind,
            bom_ref: None,
            name: name.to_string(),
            version: None,
            scope: None,
            licenses: Vec::new(),
            purl: None,
            external_references: Vec::new(),
            properties: Vec::new(),
            evidence: None,
        }
    }

    fn tool(name: &str, version: &str) -> Component {
        let mut tool = Component::new(ComponentType::Application, name);
        tool.version = Some(version.to_string());
        tool
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
enum ComponentType {
    Application,
    Container,
    Library,
}

/// Ordered weakest first, so that a component declared in several scopes takes the
/// strongest (`max`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
enum Scope {
    Excluded,
    Optional,
    Required,
}

impl From<DependencyScope> for Scope {
    /// CycloneDX's scopes are about run time: `required` is needed to run, `optional`
    /// may be absent when the software runs, `excluded` is "not reachable within a call
    /// graph at runtime", which is what build and development dependencies are.
    fn from(scope: DependencyScope) -> Scope {
        match scope {
            DependencyScope::Runtime => Scope::Required,
            DependencyScope::Optional => Scope::Optional,
            DependencyScope::Build | DependencyScope::Dev => Scope::Excluded,
        }
    }
}

/// licenseChoice: a license, or one SPDX expression.
#[derive(Serialize)]
#[serde(untagged)]
enum LicenseChoice {
    License { license: License },
    Expression { expression: String },
}

#[derive(Serialize)]
#[serde(untagged)]
enum License {
    Id { id: &'static str },
    Name { name: String },
}

#[derive(Serialize)]
struct ExternalReference {
    #[serde(rename = "type")]
    kind: &'static str,
    url: String,
}

#[derive(Serialize)]
struct Property {
    name: &'static str,
    value: String,
}

#[derive(Serialize)]
struct Evidence {
    occurrences: Vec<Occurrence>,
}

/// Where the tree declares a component (1.6 added `line`).
#[derive(Serialize)]
struct Occurrence {
    location: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DependencyEdge {
    #[serde(rename = "ref")]
    reference: String,
    depends_on: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{sample, Evidence as Stated, Remote, RepositoryFacts};
    use serde_json::Value;

    fn at(path: &str, line: usize) -> Location {
        Location {
            path: path.to_string(),
            line,
            column: 1,
        }
    }

    fn dependency(name: &str, specifier: &str, scope: DependencyScope, pin: PinClass, line: usize) -> Dependency {
        Dependency {
            name: name.to_string(),
            specifier: specifier.to_string(),
            scope,
            group: None,
            pin,
            location: at("", line),
            locked_version: None,
            confidence: Default::default(),
        }
    }

    fn manifest(path: &str, ecosystem: Ecosystem, mut dependencies: Vec<Dependency>) -> Manifest {
        for dependency in &mut dependencies {
            dependency.location.path = path.to_string();
        }
        Manifest {
            path: path.to_string(),
            ecosystem,
            format: path.rsplit('/').next().unwrap_or(path).to_string(),
            package: None,
            version: None,
            dependencies,
            lockfile: None,
        }
    }

    /// A package from a registry.
    fn locked(name: &str, version: &str, dependencies: &[&str]) -> LockedPackage {
        LockedPackage {
            registry_name: None,
            name: name.to_string(),
            version: version.to_string(),
            source: Some("registry+https://github.com/rust-lang/crates.io-index".to_string()),
            hashed: true,
            dependencies: dependencies.iter().map(|d| d.to_string()).collect(),
        }
    }

    fn action(uses: &str, pin: PinKind, line: usize) -> ActionRef {
        ActionRef {
            location: at(".github/workflows/ci.yml", line),
            uses: uses.to_string(),
            pin,
            workflow_call: uses.contains(".github/workflows/"),
        }
    }

    fn submodule(path: &str, url: Option<&str>, branch: Option<&str>) -> Submodule {
        Submodule {
            path: path.to_string(),
            commit: "89abcdef0123456789abcdef0123456789abcdef".to_string(),
            url: url.map(str::to_string),
            branch: branch.map(str::to_string),
            checked_out: Some(true),
        }
    }

    fn vendored(path: &str, version: Option<&str>, license: Option<&str>) -> VendoredComponent {
        VendoredComponent {
            path: path.to_string(),
            name: last_segment(path).to_string(),
            files: 12,
            code_lines: 3400,
            version: version.map(|value| Stated {
                value: value.to_string(),
                location: at(&format!("{path}/VERSION"), 1),
            }),
            license: license.map(|spdx| LicenseMatch {
                spdx: spdx.to_string(),
                confidence_percent: 97,
                path: format!("{path}/LICENSE"),
            }),
            submodule_commit: None,
            found_by: crate::model::VendoredBy::FolderName,
            evidence: None,
        }
    }

    /// The shared sample with every kind of component: ranges, exact, hash and locked
    /// pins of six ecosystems, a lockfile with a graph (a name locked twice), actions of
    /// every pin kind, submodules on GitHub, elsewhere, relative and local, and vendored
    /// code with an SPDX id, an expression, an unknown license and none.
    fn supply_sample() -> Audit {
        use DependencyScope::*;
        use PinClass::*;
        let mut audit = sample();
        let mut torch = dependency("torch", ">=2.0", Runtime, LowerBound, 3);
        torch.locked_version = Some("2.5.1".to_string());
        let mut rich = dependency("rich", "", Optional, Unpinned, 5);
        rich.group = Some("cli".to_string());
        audit.supply_chain.manifests = vec![
            manifest(
                "pyproject.toml",
                Ecosystem::Pypi,
                vec![
                    torch,
                    dependency("numpy", ">=1.24,<3", Runtime, Bounded, 4),
                    rich,
                    dependency("typing_extensions", "==4.12.2", Build, Exact, 6),
                    dependency("pytest", ">=8", Dev, LowerBound, 9),
                ],
            ),
            manifest(
                "requirements-dev.txt",
                Ecosystem::Pypi,
                vec![
                    dependency("pytest", ">=8", Runtime, LowerBound, 1),
                    dependency("numpy", "==1.26.4 --hash=sha256:0123", Dev, HashPinned, 2),
                ],
            ),
            manifest(
                "web/package.json",
                Ecosystem::Npm,
                vec![
                    dependency("@types/node", "^20.1.0", Dev, Bounded, 12),
                    dependency("left-pad", "1.3.0", Runtime, Exact, 8),
                ],
            ),
            manifest(
                "Cargo.toml",
                Ecosystem::Cargo,
                vec![dependency("serde", "1", Runtime, Bounded, 7)],
            ),
            manifest(
                "go.mod",
                Ecosystem::Golang,
                vec![dependency("github.com/spf13/cobra", "v1.8.0", Runtime, Exact, 5)],
            ),
            manifest(
                "docker/Dockerfile",
                Ecosystem::Docker,
                vec![
                    dependency(
                        "nvcr.io/nvidia/pytorch",
                        "nvcr.io/nvidia/pytorch:24.01-py3",
                        Build,
                        Exact,
                        1,
                    ),
                    dependency("ubuntu", "ubuntu@sha256:abc123", Runtime, HashPinned, 9),
                ],
            ),
            manifest(
                "CMakeLists.txt",
                Ecosystem::Cmake,
                vec![dependency("googletest", "v1.14.0", Dev, Exact, 20)],
            ),
        ];
        let cargo = &mut audit.supply_chain.manifests[3];
        cargo.dependencies[0].locked_version = Some("1.0.210".to_string());
        (cargo.package, cargo.version) = (Some("sample".to_string()), Some("0.1.0".to_string()));
        audit.supply_chain.lockfiles = vec![Lockfile {
            path: "Cargo.lock".to_string(),
            ecosystem: Ecosystem::Cargo,
            format: "Cargo.lock".to_string(),
            packages: vec![
                locked("sample", "0.1.0", &["serde", "syn@1.0.109"]),
                locked("serde", "1.0.210", &["serde_derive"]),
                locked(
                    "serde_derive",
                    "1.0.210",
                    &["syn@2.0.79", "quote", "proc-macro2", "unknown"],
                ),
                locked("syn", "1.0.109", &["proc-macro2"]),
                locked("syn", "2.0.79", &["proc-macro2", "quote"]),
                locked("quote", "1.0.37", &["proc-macro2"]),
                locked("proc-macro2", "1.0.86", &[]),
            ],
        }];
        audit.ci.action_refs = vec![
            action("actions/checkout@v4", PinKind::Tag, 8),
            action("actions/checkout@v4", PinKind::Tag, 30),
            action(
                "github/codeql-action/init@0123456789abcdef0123456789abcdef01234567",
                PinKind::Sha,
                12,
            ),
            action("octo/reusable/.github/workflows/build.yml@main", PinKind::Branch, 40),
            action("docker://alpine:3.20", PinKind::DockerTag, 15),
            action("./.github/actions/setup", PinKind::Local, 10),
        ];
        audit.repository = Some(RepositoryFacts {
            bare: false,
            shallow: false,
            branch: Some("main".to_string()),
            upstream: None,
            head: None,
            audited_commit: None,
            remotes: vec![
                Remote {
                    name: "backup".to_string(),
                    fetch_url: Some("/srv/git/sample.git".to_string()),
                    push_url: None,
                },
                Remote {
                    name: "origin".to_string(),
                    fetch_url: Some("git@github.com:Sample/Sample.git".to_string()),
                    push_url: None,
                },
            ],
            status: None,
            submodules: vec![
                submodule(
                    "third_party/pybind11",
                    Some("https://github.com/pybind/pybind11.git"),
                    None,
                ),
                submodule("third_party/local", Some("/home/someone/mirror/local.git"), None),
                submodule("third_party/relative", Some("../relative.git"), None),
                submodule("deps/gitlab", Some("https://***@gitlab.example/team/lib"), Some("main")),
            ],
        });
        audit.supply_chain.vendored = vec![
            vendored("third_party/pybind11", Some("2.13.6"), Some("BSD-3-Clause")),
            vendored("third_party/fmt", Some("11.0.2"), Some("MIT")),
            vendored("third_party/dual", None, Some("Apache-2.0 OR MIT")),
            vendored("third_party/odd", None, Some("Some Custom License")),
            vendored("vendor/bare", None, None),
        ];
        audit.supply_chain.posture.repository_license = Some(crate::model::RepositoryLicense {
            expression: "Apache-2.0".to_string(),
            declared: Vec::new(),
            files: vec![LicenseMatch {
                spdx: "Apache-2.0".to_string(),
                confidence_percent: 100,
                path: "LICENSE".to_string(),
            }],
        });
        audit
    }

    fn json(audit: &Audit) -> Value {
        serde_json::from_str(&render(audit)).expect("the BOM is JSON")
    }

    fn component<'a>(bom: &'a Value, bom_ref: &str) -> &'a Value {
        bom["components"]
            .as_array()
            .expect("components")
            .iter()
            .find(|c| c["bom-ref"] == bom_ref)
            .unwrap_or_else(|| panic!("no component {bom_ref}"))
    }

    fn depends_on(bom: &Value, bom_ref: &str) -> Vec<String> {
        let edge = bom["dependencies"]
            .as_array()
            .expect("dependencies")
            .iter()
            .find(|d| d["ref"] == bom_ref)
            .unwrap_or_else(|| panic!("no dependency entry for {bom_ref}"));
        let on = edge["dependsOn"].as_array().expect("dependsOn");
        on.iter().map(|r| r.as_str().expect("ref").to_string()).collect()
    }

    #[test]
    fn supply_sample_snapshot() {
        insta::assert_snapshot!(render(&supply_sample()));
    }

    /// Every kind of component against the official CycloneDX 1.6 schema
    /// (`tests/validate_cyclonedx.py`; `tests/cyclonedx.rs` does the same for the binary).
    #[test]
    fn every_kind_of_component_is_valid_cyclonedx_1_6() {
        crate::render::assert_valid("validate_cyclonedx.py", "sample.cdx.json", &render(&supply_sample()));
    }

    #[test]
    fn output_does_not_depend_on_input_order() {
        let audit = supply_sample();
        assert_eq!(render(&audit), render(&audit));
        let mut shuffled = supply_sample();
        shuffled.supply_chain.manifests.reverse();
        shuffled.supply_chain.lockfiles[0].packages.reverse();
        shuffled.supply_chain.vendored.reverse();
        shuffled.ci.action_refs.reverse();
        if let Some(repository) = shuffled.repository.as_mut() {
            repository.submodules.reverse();
        }
        assert_eq!(render(&audit), render(&shuffled));
    }

    #[test]
    fn the_serial_number_follows_the_content_not_the_clock() {
        let audit = supply_sample();
        let serial = |audit: &Audit| json(audit)["serialNumber"].as_str().expect("serial").to_string();
        let first = serial(&audit);
        let uuid_v5 = first.len() == 45 && first.starts_with("urn:uuid:") && first.as_bytes()[23] == b'5';
        assert!(uuid_v5, "{first}");

        let mut later = supply_sample();
        later.generated_at = "2030-01-01T00:00:00Z".to_string();
        assert_eq!(serial(&later), first, "the time stamp is not content");
        assert_eq!(json(&later)["metadata"]["timestamp"], "2030-01-01T00:00:00Z");

        let mut changed = supply_sample();
        changed.ci.action_refs[0].uses = "actions/checkout@v5".to_string();
        assert_ne!(serial(&changed), first, "a changed component changes the serial");
    }

    #[test]
    fn one_component_per_package_version_with_every_declaration() {
        let bom = json(&supply_sample());
        // Runtime in one manifest, dev in another: required wins.
        let pytest = component(&bom, "pypi/pytest@>=8");
        assert_eq!(pytest["scope"], "required");
        assert!(pytest.get("version").is_none(), "a range is no version: {pytest}");
        assert_eq!(pytest["purl"], "pkg:pypi/pytest", "a range is no purl version");
        let places: Vec<&str> = pytest["evidence"]["occurrences"]
            .as_array()
            .expect("occurrences")
            .iter()
            .map(|o| o["location"].as_str().expect("location"))
            .collect();
        assert_eq!(places, ["pyproject.toml", "requirements-dev.txt"]);
        // A range and an exact pin of one name are two components.
        assert_eq!(component(&bom, "pypi/numpy@>=1.24,<3")["scope"], "required");
        let hashed = component(&bom, "pypi/numpy@1.26.4");
        assert_eq!(hashed["purl"], "pkg:pypi/numpy@1.26.4");
        assert_eq!(hashed["scope"], "excluded");
        // The locked version wins over the range, and the specifier stays as a property.
        let torch = component(&bom, "pypi/torch@2.5.1");
        assert_eq!(torch["purl"], "pkg:pypi/torch@2.5.1");
        let properties = torch["properties"].as_array().expect("properties");
        assert!(properties.contains(&serde_json::json!({"name": "plumb:specifier", "value": ">=2.0"})));
        assert!(properties.contains(&serde_json::json!({"name": "plumb:declared-in", "value": "pyproject.toml:3"})));
        assert_eq!(component(&bom, "pypi/rich")["scope"], "optional");
    }

    /// A name locked at several versions: the model joins them (`1.3.2, 2.13.1`), a purl
    /// holds one. The member's own lockfile entry picks one, an exact pin picks one, and a
    /// range nobody disambiguates is a component per locked version.
    #[test]
    fn a_name_locked_at_several_versions_is_never_one_joined_version() {
        use DependencyScope::*;
        let mut audit = sample();
        let mut bitflags = dependency("bitflags", "1", Runtime, PinClass::Bounded, 7);
        bitflags.locked_version = Some("1.3.2, 2.13.1".to_string());
        let mut pinned = dependency("syn", "=1.0.109", Dev, PinClass::Exact, 8);
        pinned.locked_version = Some("1.0.109, 2.0.79".to_string());
        let mut app = manifest("Cargo.toml", Ecosystem::Cargo, vec![bitflags, pinned]);
        (app.package, app.version) = (Some("app".to_string()), Some("0.1.0".to_string()));
        app.lockfile = Some("Cargo.lock".to_string());
        let mut ranged = dependency("idna", ">=2", Runtime, PinClass::LowerBound, 2);
        ranged.locked_version = Some("2.10, 3.7".to_string());
        let mut requirements = manifest("tools/pyproject.toml", Ecosystem::Pypi, vec![ranged]);
        requirements.lockfile = Some("tools/uv.lock".to_string());
        audit.supply_chain.manifests = vec![app, requirements];
        audit.supply_chain.lockfiles = vec![Lockfile {
            path: "Cargo.lock".to_string(),
            ecosystem: Ecosystem::Cargo,
            format: "Cargo.lock".to_string(),
            packages: vec![
                locked("app", "0.1.0", &["bitflags@2.13.1", "syn@1.0.109"]),
                locked("bitflags", "1.3.2", &[]),
                locked("bitflags", "2.13.1", &[]),
                locked("syn", "1.0.109", &[]),
                locked("syn", "2.0.79", &[]),
            ],
        }];
        let bom = json(&audit);
        let text = render(&audit);
        assert!(
            !text.contains(", ") && !text.contains("%2C"),
            "no joined version:\n{text}"
        );
        assert_eq!(
            component(&bom, "cargo/bitflags@2.13.1")["purl"],
            "pkg:cargo/bitflags@2.13.1"
        );
        assert_eq!(component(&bom, "cargo/bitflags@2.13.1")["scope"], "required");
        assert!(
            component(&bom, "cargo/bitflags@1.3.2").get("scope").is_none(),
            "locked, not declared"
        );
        assert_eq!(component(&bom, "cargo/syn@1.0.109")["scope"], "excluded");
        assert!(component(&bom, "cargo/syn@2.0.79").get("scope").is_none());
        for version in ["2.10", "3.7"] {
            let idna = component(&bom, &format!("pypi/idna@{version}"));
            assert_eq!(idna["purl"], format!("pkg:pypi/idna@{version}"));
            assert_eq!(idna["scope"], "required", "a range either version may satisfy");
        }
        let direct = depends_on(&bom, ROOT_REF);
        assert_eq!(
            direct,
            [
                "cargo/bitflags@2.13.1",
                "cargo/syn@1.0.109",
                "pypi/idna@2.10",
                "pypi/idna@3.7"
            ]
        );
    }

    /// A crate built from a folder of the tree (a path dependency whose `Cargo.toml` is
    /// not read, below `vendor/`) is the repository, on the declaring side and on the
    /// lockfile's; a Go requirement replaced by a folder too.
    #[test]
    fn local_path_dependencies_are_the_repository() {
        use DependencyScope::*;
        let mut audit = sample();
        let mut helper = dependency("helper", "path vendor/helper", Runtime, PinClass::Exact, 8);
        helper.locked_version = Some("0.2.0".to_string());
        let mut serde = dependency("serde", "1", Runtime, PinClass::Bounded, 7);
        serde.locked_version = Some("1.0.210".to_string());
        let mut app = manifest("Cargo.toml", Ecosystem::Cargo, vec![helper, serde]);
        (app.package, app.version) = (Some("app".to_string()), Some("0.1.0".to_string()));
        app.lockfile = Some("Cargo.lock".to_string());
        let local = |name: &str, dependencies: &[&str]| LockedPackage {
            source: None,
            ..locked(name, "0.2.0", dependencies)
        };
        let replaced = dependency(
            "example.com/lib",
            "path ../lib (replaces example.com/lib v1.0.0)",
            Runtime,
            PinClass::Exact,
            4,
        );
        audit.supply_chain.manifests = vec![app, manifest("go.mod", Ecosystem::Golang, vec![replaced])];
        audit.supply_chain.lockfiles = vec![Lockfile {
            path: "Cargo.lock".to_string(),
            ecosystem: Ecosystem::Cargo,
            format: "Cargo.lock".to_string(),
            packages: vec![
                LockedPackage {
                    version: "0.1.0".to_string(),
                    ..local("app", &["helper", "serde"])
                },
                local("helper", &["serde"]),
                locked("serde", "1.0.210", &[]),
            ],
        }];
        let bom = json(&audit);
        let refs: Vec<&str> = bom["components"]
            .as_array()
            .expect("components")
            .iter()
            .map(|c| c["bom-ref"].as_str().expect("bom-ref"))
            .collect();
        assert_eq!(refs, ["cargo/serde@1.0.210"]);
        assert_eq!(depends_on(&bom, ROOT_REF), ["cargo/serde@1.0.210"]);
    }

    #[test]
    fn purls_follow_each_ecosystem() {
        let bom = json(&supply_sample());
        let purl = |r: &str| component(&bom, r)["purl"].as_str().expect("purl").to_string();
        assert_eq!(
            purl("pypi/typing_extensions@4.12.2"),
            "pkg:pypi/typing-extensions@4.12.2"
        );
        assert_eq!(purl("npm/@types/node@^20.1.0"), "pkg:npm/%40types/node");
        assert_eq!(purl("npm/left-pad@1.3.0"), "pkg:npm/left-pad@1.3.0");
        assert_eq!(
            purl("golang/github.com/spf13/cobra@v1.8.0"),
            "pkg:golang/github.com/spf13/cobra@v1.8.0"
        );
        assert_eq!(
            purl("docker/nvcr.io/nvidia/pytorch@24.01-py3"),
            "pkg:docker/nvidia/pytorch@24.01-py3?repository_url=nvcr.io"
        );
        assert_eq!(purl("docker/ubuntu@sha256:abc123"), "pkg:docker/ubuntu@sha256%3Aabc123");
        assert_eq!(purl("cmake/googletest@v1.14.0"), "pkg:generic/googletest@v1.14.0");
        assert_eq!(
            purl("github-actions/github/codeql-action/init@0123456789abcdef0123456789abcdef01234567"),
            "pkg:github/github/codeql-action@0123456789abcdef0123456789abcdef01234567#init"
        );
        assert_eq!(
            purl("github-actions/octo/reusable/.github/workflows/build.yml@main"),
            "pkg:github/octo/reusable@main#.github/workflows/build.yml"
        );
        assert_eq!(purl("docker/alpine@3.20"), "pkg:docker/alpine@3.20");
        assert_eq!(
            purl("submodule/third_party/pybind11"),
            "pkg:github/pybind/pybind11@89abcdef0123456789abcdef0123456789abcdef"
        );
        assert_eq!(
            purl("submodule/deps/gitlab"),
            "pkg:generic/gitlab@89abcdef0123456789abcdef0123456789abcdef"
        );
    }

    #[test]
    fn actions_are_ci_applications_and_local_ones_are_not_components() {
        let bom = json(&supply_sample());
        let checkout = component(&bom, "github-actions/actions/checkout@v4");
        assert_eq!(checkout["type"], "application");
        assert_eq!(checkout["scope"], "excluded");
        assert_eq!(checkout["evidence"]["occurrences"].as_array().map(Vec::len), Some(2));
        assert_eq!(component(&bom, "docker/alpine@3.20")["type"], "container");
        let text = render(&supply_sample());
        assert!(
            !text.contains(".github/actions/setup"),
            "a local action is the repository's own code"
        );
    }

    #[test]
    fn the_graph_is_the_repository_and_what_lockfiles_state() {
        let bom = json(&supply_sample());
        let direct = depends_on(&bom, ROOT_REF);
        assert!(direct.contains(&"cargo/serde@1.0.210".to_string()), "{direct:?}");
        assert!(direct.contains(&"submodule/third_party/pybind11".to_string()));
        assert!(
            !direct.contains(&"cargo/syn@2.0.79".to_string()),
            "a locked-only package is not direct"
        );
        // The repository's own crate is the repository: what it depends on is direct.
        assert!(direct.contains(&"cargo/syn@1.0.109".to_string()), "{direct:?}");
        assert!(bom["components"]
            .as_array()
            .expect("components")
            .iter()
            .all(|c| c["name"] != "sample"));
        assert_eq!(depends_on(&bom, "cargo/serde@1.0.210"), ["cargo/serde_derive@1.0.210"]);
        // `syn@2.0.79` names one of two locked syns; `unknown` is not locked and left out.
        assert_eq!(
            depends_on(&bom, "cargo/serde_derive@1.0.210"),
            ["cargo/proc-macro2@1.0.86", "cargo/quote@1.0.37", "cargo/syn@2.0.79"]
        );
        assert_eq!(depends_on(&bom, "cargo/proc-macro2@1.0.86"), Vec::<String>::new());
        let refs: BTreeSet<&str> = bom["components"]
            .as_array()
            .expect("components")
            .iter()
            .map(|c| c["bom-ref"].as_str().expect("bom-ref"))
            .collect();
        for edge in bom["dependencies"].as_array().expect("dependencies") {
            for target in edge["dependsOn"].as_array().expect("dependsOn") {
                assert!(
                    refs.contains(target.as_str().expect("ref")),
                    "{target} is not a component"
                );
            }
        }
    }

    #[test]
    fn submodules_and_vendored_code_carry_commit_url_and_license() {
        let bom = json(&supply_sample());
        // A vendored folder that is a submodule is one component with both.
        let pybind = component(&bom, "submodule/third_party/pybind11");
        assert_eq!(pybind["version"], "89abcdef0123456789abcdef0123456789abcdef");
        assert_eq!(
            pybind["licenses"],
            serde_json::json!([{"license": {"id": "BSD-3-Clause"}}])
        );
        assert_eq!(
            pybind["externalReferences"],
            serde_json::json!([{"type": "vcs", "url": "https://github.com/pybind/pybind11.git"}])
        );
        assert!(bom["components"]
            .as_array()
            .expect("components")
            .iter()
            .all(|c| c["bom-ref"] != "vendored/third_party/pybind11"));
        let fmt = component(&bom, "vendored/third_party/fmt");
        assert_eq!(fmt["version"], "11.0.2");
        assert_eq!(fmt["purl"], "pkg:generic/fmt@11.0.2");
        assert_eq!(
            component(&bom, "vendored/third_party/dual")["licenses"],
            serde_json::json!([{"expression": "Apache-2.0 OR MIT"}])
        );
        assert_eq!(
            component(&bom, "vendored/third_party/odd")["licenses"],
            serde_json::json!([{"license": {"name": "Some Custom License"}}])
        );
        assert!(component(&bom, "vendored/vendor/bare").get("licenses").is_none());
        let gitlab = component(&bom, "submodule/deps/gitlab");
        assert!(gitlab["properties"]
            .as_array()
            .expect("properties")
            .contains(&serde_json::json!({"name": "plumb:tracks-branch", "value": "main"})));
    }

    #[test]
    fn a_compound_repository_license_is_an_expression() {
        let mut audit = supply_sample();
        if let Some(license) = audit.supply_chain.posture.repository_license.as_mut() {
            license.expression = "Unlicense OR MIT".to_string();
        }
        let bom = json(&audit);
        assert_eq!(
            bom["metadata"]["component"]["licenses"],
            serde_json::json!([{"expression": "Unlicense OR MIT"}])
        );
    }

    #[test]
    fn no_local_path_leaves_the_machine() {
        let bom = json(&supply_sample());
        let root = &bom["metadata"]["component"];
        assert_eq!(root["name"], "sample");
        assert_eq!(root["version"], "0123456789abcdef0123456789abcdef01234567");
        assert_eq!(
            root["externalReferences"],
            serde_json::json!([{"type": "vcs", "url": "ssh://git@github.com/Sample/Sample.git"}]),
            "origin, scp-like made a URL"
        );
        assert_eq!(root["licenses"], serde_json::json!([{"license": {"id": "Apache-2.0"}}]));
        assert!(component(&bom, "submodule/third_party/local")
            .get("externalReferences")
            .is_none());
        assert_eq!(
            component(&bom, "submodule/third_party/relative")["externalReferences"][0]["url"],
            "../relative.git"
        );
        let text = render(&supply_sample());
        assert!(!text.contains("/home/") && !text.contains("/srv/"), "{text}");
    }

    #[test]
    fn urls_become_iri_references() {
        assert_eq!(
            vcs_url("git@github.com:o/r.git").as_deref(),
            Some("ssh://git@github.com/o/r.git")
        );
        assert_eq!(vcs_url("https://h/a b").as_deref(), Some("https://h/a%20b"));
        assert_eq!(vcs_url("file:///srv/x.git"), None);
        assert_eq!(vcs_url("C:\\repos\\x"), None);
        assert_eq!(vcs_url(""), None);
    }

    /// A Dockerfile dependency's specifier is the whole `FROM` reference; its version is
    /// the tag or digest alone, never the image name again.
    #[test]
    fn image_versions_are_the_tag_or_digest() {
        assert_eq!(image_version("python:3.12-slim").as_deref(), Some("3.12-slim"));
        assert_eq!(image_version("ubuntu@sha256:abc").as_deref(), Some("sha256:abc"));
        assert_eq!(image_version("localhost:5000/app:1.0").as_deref(), Some("1.0"));
        assert_eq!(image_version("localhost:5000/app"), None);
        assert_eq!(image_version("alpine"), None);
        assert_eq!(image_version("python:${TAG}"), None);
    }

    #[test]
    fn exact_versions_are_read_only_from_exact_pins() {
        assert_eq!(exact_version("==1.2.3", PinClass::Exact).as_deref(), Some("1.2.3"));
        assert_eq!(exact_version("=1.2.3", PinClass::Exact).as_deref(), Some("1.2.3"));
        assert_eq!(exact_version("===1.0", PinClass::Exact).as_deref(), Some("1.0"));
        assert_eq!(exact_version("== 1.0.7", PinClass::Exact).as_deref(), Some("1.0.7"));
        assert_eq!(
            exact_version("==2.0 --hash=sha256:ab", PinClass::HashPinned).as_deref(),
            Some("2.0")
        );
        assert_eq!(exact_version(">=1.2", PinClass::LowerBound), None);
        assert_eq!(exact_version("==1.*", PinClass::Exact), None);
        assert_eq!(exact_version("git+https://h/r@v1", PinClass::Exact), None);
        assert_eq!(exact_version("", PinClass::Exact), None);
    }

    #[test]
    fn the_summary_counts_what_the_bom_lists() {
        let audit = supply_sample();
        let summary = summary(&audit);
        let bom = json(&audit);
        assert_eq!(summary.components, bom["components"].as_array().map_or(0, Vec::len));
        let edges: usize = bom["dependencies"]
            .as_array()
            .expect("dependencies")
            .iter()
            .map(|d| d["dependsOn"].as_array().map_or(0, Vec::len))
            .sum();
        assert_eq!(summary.relationships, edges);
        assert_eq!(summary.by_origin.get("submodule"), Some(&4));
        assert_eq!(
            summary.by_origin.get("vendored"),
            Some(&4),
            "pybind11 is counted as its submodule"
        );
        assert_eq!(summary.by_origin.values().sum::<usize>(), summary.components);
        assert!(summary
            .describe()
            .starts_with(&format!("{} components (", summary.components)));
        assert_eq!(SbomSummary::default().describe(), "0 components");
    }

    #[test]
    fn an_audit_without_supply_facts_is_a_bom_of_the_repository_alone() {
        let bom = json(&sample());
        assert_eq!(bom["components"], serde_json::json!([]));
        assert_eq!(bom["dependencies"], serde_json::json!([]));
        assert_eq!(bom["metadata"]["component"]["bom-ref"], ROOT_REF);
    }
}
