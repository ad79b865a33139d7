//! Declared dependencies in `audit.md`: the Lockfiles and Dependency Pinning rows of
//! section 6's "Dependency Posture" table, and Appendix B's manifests.

use std::collections::BTreeMap;

use crate::model::{Audit, Dependency, DependencyScope, Ecosystem, Finding, Manifest, PinClass};

use super::{code, count, more, plural, Markdown, LIST_ROWS};

/// Dependencies named per scope in Appendix B before "… and N more".
const NAMED_PER_SCOPE: usize = 12;
/// Example files or dependencies named in an Evidence cell.
const EVIDENCE_EXAMPLES: usize = 3;

const PIN_CLASSES: [PinClass; 5] = [
    PinClass::HashPinned,
    PinClass::Exact,
    PinClass::Bounded,
    PinClass::LowerBound,
    PinClass::Unpinned,
];

fn scope_name(scope: DependencyScope) -> &'static str {
    match scope {
        DependencyScope::Runtime => "Runtime",
        DependencyScope::Build => "Build",
        DependencyScope::Dev => "Dev",
        DependencyScope::Optional => "Optional",
    }
}

/// The section 6 rows this analyzer measures: Lockfiles and Dependency Pinning.
pub(super) fn posture_rows(audit: &Audit) -> Vec<Vec<String>> {
    let manifests = &audit.supply_chain.manifests;
    let (status, evidence) = lockfile_status(manifests, audit);
    let (pin_status, pin_evidence) = pinning_status(manifests);
    vec![
        vec!["**Lockfiles**".into(), status, evidence],
        vec!["**Dependency Pinning**".into(), pin_status, pin_evidence],
    ]
}

/// Manifests that declare dependencies, of a kind a lockfile can cover (requirements
/// files, setup.py, setup.cfg, Dockerfiles, CMake, Conan and vcpkg manifests have no
/// lockfile of their own here), or covered by one (a requirements file or setup.py that
/// `pip-compile` compiled).
fn lockable(manifest: &Manifest) -> bool {
    !manifest.dependencies.is_empty()
        && (manifest.lockfile.is_some()
            || match manifest.ecosystem {
                Ecosystem::Cargo | Ecosystem::Npm | Ecosystem::Golang => true,
                Ecosystem::Pypi => manifest.format.starts_with("pyproject.toml") || manifest.format == "Pipfile",
                _ => false,
            })
}

/// The rule: of the manifests a lockfile can cover, all covered is COMPLETE, some is
/// PARTIAL, none is NONE; without such manifests the row is N/A.
fn lockfile_status(manifests: &[Manifest], audit: &Audit) -> (String, String) {
    let lockable: Vec<&Manifest> = manifests.iter().filter(|m| lockable(m)).collect();
    let covered = lockable.iter().filter(|m| m.lockfile.is_some()).count();
    let status = match (lockable.len(), covered) {
        (0, _) => "N/A",
        (all, covered) if covered == all => "🟢 **COMPLETE**",
        (_, 0) => "🔴 **NONE**",
        _ => "⚠️ **PARTIAL**",
    };
    if lockable.is_empty() {
        return (
            status.into(),
            "no manifest with dependencies of an ecosystem that has lockfiles".into(),
        );
    }
    let lockfiles = &audit.supply_chain.lockfiles;
    let mut evidence = format!(
        "{} of {} manifests with lockable dependencies covered",
        count(covered),
        count(lockable.len()),
    );
    if !lockfiles.is_empty() {
        evidence.push_str(&format!(
            " by {} ({})",
            plural(lockfiles.len(), "lockfile"),
            examples(lockfiles.iter().map(|l| code(&l.path)), lockfiles.len())
        ));
    }
    let uncovered: Vec<String> = lockable
        .iter()
        .filter(|m| m.lockfile.is_none())
        .map(|m| code(&m.path))
        .collect();
    if !uncovered.is_empty() {
        evidence.push_str(&format!(
            "; not covered: {}",
            examples(uncovered.iter().cloned(), uncovered.len())
        ));
    }
    let missing = audit
        .findings
        .iter()
        .filter(|f| f.rule == "dependency-not-locked")
        .map(Finding::weight)
        .sum::<usize>();
    if missing > 0 {
        evidence.push_str(&format!(
            "; {} missing from their lockfile",
            plural(missing, "dependency")
        ));
    }
    (status.into(), evidence)
}

/// The rule: no lower-bound or unpinned dependency is PINNED (BOUNDED when some are
/// ranges); none exact, hash-pinned or bounded is UNPINNED; anything between is MIXED.
fn pinning_status(manifests: &[Manifest]) -> (String, String) {
    let all: Vec<&Dependency> = manifests.iter().flat_map(|m| &m.dependencies).collect();
    if all.is_empty() {
        return ("N/A".into(), "no declared dependencies".into());
    }
    let counts = pin_counts(all.iter().copied());
    let loose = counts[&PinClass::LowerBound] + counts[&PinClass::Unpinned];
    let tight = counts[&PinClass::HashPinned] + counts[&PinClass::Exact] + counts[&PinClass::Bounded];
    let status = match (loose, tight) {
        (0, _) if counts[&PinClass::Bounded] == 0 => "🟢 **PINNED**",
        (0, _) => "🟢 **BOUNDED**",
        (_, 0) => "🔴 **UNPINNED**",
        _ => "🟡 **MIXED**",
    };
    let loose_examples: Vec<String> = all
        .iter()
        .filter(|d| matches!(d.pin, PinClass::LowerBound | PinClass::Unpinned))
        .map(|d| {
            format!(
                "{} ({})",
                code(&declared(d)),
                code(&format!("{}:{}", d.location.path, d.location.line))
            )
        })
        .collect();
    let mut evidence = format!(
        "{} {} declared in {}: {}",
        count(all.len()),
        if all.len() == 1 { "dependency" } else { "dependencies" },
        plural(manifests.len(), "manifest"),
        pin_summary(&counts)
    );
    if !loose_examples.is_empty() {
        evidence.push_str(&format!(
            "; e.g. {}",
            examples(loose_examples.iter().cloned(), loose_examples.len())
        ));
    }
    (status.into(), evidence)
}

/// A dependency as a user would write it: `numpy>=1.2`, `react ^18`, an image reference
/// (which already holds the name) as is.
fn declared(dependency: &Dependency) -> String {
    let specifier = dependency.specifier.as_str();
    if specifier.starts_with(dependency.name.as_str()) {
        specifier.to_string()
    } else if specifier.is_empty() || specifier.starts_with(['=', '<', '>', '!']) || specifier.starts_with("~=") {
        format!("{}{specifier}", dependency.name)
    } else {
        format!("{} {specifier}", dependency.name)
    }
}

fn pin_counts<'a>(dependencies: impl Iterator<Item = &'a Dependency>) -> BTreeMap<PinClass, usize> {
    let mut counts: BTreeMap<PinClass, usize> = PIN_CLASSES.iter().map(|p| (*p, 0)).collect();
    for dependency in dependencies {
        *counts.entry(dependency.pin).or_default() += 1;
    }
    counts
}

/// `3 hash-pinned, 10 exact, 0 bounded, ...`.
fn pin_summary(counts: &BTreeMap<PinClass, usize>) -> String {
    PIN_CLASSES
        .iter()
        .map(|p| format!("{} {}", count(counts[p]), p.name()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The first few items, then `… +N`.
fn examples(items: impl Iterator<Item = String>, total: usize) -> String {
    let mut shown: Vec<String> = items.take(EVIDENCE_EXAMPLES).collect();
    if total > shown.len() {
        shown.push(format!("… +{}", count(total - shown.len())));
    }
    shown.join(", ")
}

/// Appendix B: one table of every manifest, one of the lockfiles, then the key
/// dependencies of each manifest split by scope.
pub(super) fn appendix(md: &mut Markdown, audit: &Audit) {
    let supply = &audit.supply_chain;
    if supply.manifests.is_empty() && supply.lockfiles.is_empty() {
        md.line("No dependency manifest or lockfile found (the names read are listed in Appendix F).");
        md.blank();
        return;
    }
    md.line("Pin classes: hash-pinned (exact version and content hash), exact, bounded (a range with an upper bound; a container image tag, which can be pushed again), lower-bound only, unpinned; a container image is pinned only by `@sha256:` digest, as `docker-image-unpinned` checks. A lockfile covers a manifest in its folder, or below it when it lists the manifest as a workspace member.");
    md.blank();
    md.table(
        &[
            "Manifest", "Format", "Runtime", "Build", "Dev", "Optional", "Pins", "Lockfile",
        ],
        supply.manifests.iter().take(LIST_ROWS * 2).map(manifest_row),
    );
    more(md, supply.manifests.len(), LIST_ROWS * 2);
    if !supply.lockfiles.is_empty() {
        md.table(
            &["Lockfile", "Format", "Packages", "With hash"],
            supply.lockfiles.iter().map(|l| {
                vec![
                    code(&l.path),
                    l.format.clone(),
                    count(l.packages.len()),
                    count(l.packages.iter().filter(|p| p.hashed).count()),
                ]
            }),
        );
    }
    let declaring: Vec<&Manifest> = supply.manifests.iter().filter(|m| !m.dependencies.is_empty()).collect();
    if declaring.is_empty() {
        return;
    }
    md.heading("Key Dependencies per Manifest");
    for manifest in declaring.iter().take(LIST_ROWS) {
        key_dependencies(md, manifest);
    }
    more(md, declaring.len(), LIST_ROWS);
}

fn manifest_row(manifest: &Manifest) -> Vec<String> {
    let in_scope = |scope| count(manifest.dependencies.iter().filter(|d| d.scope == scope).count());
    let counts = pin_counts(manifest.dependencies.iter());
    let pins: Vec<String> = PIN_CLASSES
        .iter()
        .filter(|p| counts[*p] > 0)
        .map(|p| format!("{} {}", count(counts[p]), p.name()))
        .collect();
    vec![
        code(&manifest.path),
        manifest.format.clone(),
        in_scope(DependencyScope::Runtime),
        in_scope(DependencyScope::Build),
        in_scope(DependencyScope::Dev),
        in_scope(DependencyScope::Optional),
        if pins.is_empty() { "–".into() } else { pins.join(", ") },
        manifest.lockfile.as_deref().map_or_else(|| "none".to_string(), code),
    ]
}

fn key_dependencies(md: &mut Markdown, manifest: &Manifest) {
    let package = manifest
        .package
        .as_ref()
        .map(|p| {
            format!(
                " — {}{}",
                code(p),
                manifest.version.as_ref().map(|v| format!(" {v}")).unwrap_or_default()
            )
        })
        .unwrap_or_default();
    md.line(format!("**{}** ({}){package}", code(&manifest.path), manifest.format));
    md.blank();
    for scope in [
        DependencyScope::Build,
        DependencyScope::Runtime,
        DependencyScope::Dev,
        DependencyScope::Optional,
    ] {
        let of_scope: Vec<&Dependency> = manifest.dependencies.iter().filter(|d| d.scope == scope).collect();
        if of_scope.is_empty() {
            continue;
        }
        let named: Vec<String> = of_scope
            .iter()
            .take(NAMED_PER_SCOPE)
            .map(|d| code(&declared(d)))
            .collect();
        let rest = of_scope.len().saturating_sub(NAMED_PER_SCOPE);
        let tail = if rest > 0 {
            format!(" … and {} more", count(rest))
        } else {
            String::new()
        };
        md.line(format!(
            "- {} ({}): {}{tail}",
            scope_name(scope),
            count(of_scope.len()),
            named.join(", ")
        ));
    }
    md.blank();
}
