//! Rust: `Cargo.toml` (all dependency tables, target-specific ones included, and
//! `workspace = true` inheritance, resolved in `finish`) and `Cargo.lock`.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::model::{DependencyScope, Ecosystem, LockedPackage, PinClass};

use super::{table_entry, toml_lock, Declaration, Declared, LockDraft, ParseError, Parsed, WorkspaceDependency};

/// What `workspace = true` says until `finish` finds the workspace root's entry.
pub const INHERITED: &str = "workspace = true";

type Table = BTreeMap<String, Spanned<toml::Value>>;

#[derive(Deserialize)]
struct DependencyTables {
    dependencies: Option<Table>,
    #[serde(rename = "dev-dependencies", alias = "dev_dependencies")]
    dev_dependencies: Option<Table>,
    #[serde(rename = "build-dependencies", alias = "build_dependencies")]
    build_dependencies: Option<Table>,
}

#[derive(Deserialize)]
struct CargoToml {
    package: Option<Package>,
    // Not `#[serde(flatten)]`: flattening buffers values and loses their spans.
    dependencies: Option<Table>,
    #[serde(rename = "dev-dependencies", alias = "dev_dependencies")]
    dev_dependencies: Option<Table>,
    #[serde(rename = "build-dependencies", alias = "build_dependencies")]
    build_dependencies: Option<Table>,
    #[serde(default)]
    target: BTreeMap<String, DependencyTables>,
    workspace: Option<Workspace>,
}

#[derive(Deserialize)]
struct Package {
    name: Option<String>,
    version: Option<toml::Value>,
}

#[derive(Deserialize)]
struct Workspace {
    dependencies: Option<Table>,
}

pub fn manifest(path: &str, text: &str) -> Result<Parsed, ParseError> {
    let parsed: CargoToml = toml::from_str(text).map_err(|e| ParseError::toml(text, &e))?;
    let mut declared = Declared::new(path, text);
    let own = DependencyTables {
        dependencies: parsed.dependencies,
        dev_dependencies: parsed.dev_dependencies,
        build_dependencies: parsed.build_dependencies,
    };
    add_tables(&mut declared, &own, None);
    for (target, tables) in &parsed.target {
        add_tables(&mut declared, tables, Some(target));
    }
    let mut draft = declared.into_manifest(Ecosystem::Cargo, "Cargo.toml", text);
    if let Some(package) = parsed.package {
        draft.manifest.package = package.name;
        draft.manifest.version = package.version.as_ref().and_then(|v| v.as_str()).map(str::to_string);
    }
    for (name, value) in parsed.workspace.and_then(|w| w.dependencies).iter().flatten() {
        let (specifier, pin, _) = table_entry(value.get_ref(), cargo_pin);
        draft.workspace_deps.push(WorkspaceDependency {
            key: name.clone(),
            package: package_name(name, value.get_ref()),
            specifier,
            pin,
        });
    }
    Ok(Parsed::Manifest(draft))
}

fn add_tables(declared: &mut Declared<'_>, tables: &DependencyTables, target: Option<&str>) {
    for (table, scope) in [
        (&tables.dependencies, DependencyScope::Runtime),
        (&tables.dev_dependencies, DependencyScope::Dev),
        (&tables.build_dependencies, DependencyScope::Build),
    ] {
        for (key, value) in table.iter().flatten() {
            let inherited = value
                .get_ref()
                .get("workspace")
                .and_then(toml::Value::as_bool)
                .unwrap_or(false);
            let (specifier, pin, optional) = match inherited {
                true => (INHERITED.to_string(), PinClass::Unpinned, is_optional(value.get_ref())),
                false => table_entry(value.get_ref(), cargo_pin),
            };
            declared.add_near(
                value.span().start,
                Declaration {
                    name: package_name(key, value.get_ref()),
                    specifier,
                    scope: if optional { DependencyScope::Optional } else { scope },
                    group: target.map(str::to_string),
                    pin,
                },
            );
        }
    }
}

fn is_optional(value: &toml::Value) -> bool {
    value.get("optional").and_then(toml::Value::as_bool).unwrap_or(false)
}

/// `alias = { package = "real" }`: the lockfile knows the real name.
fn package_name(key: &str, value: &toml::Value) -> String {
    value
        .get("package")
        .and_then(toml::Value::as_str)
        .unwrap_or(key)
        .to_string()
}

/// The rule for Cargo: a bare `1.2` is a caret requirement, so bounded, as are `^`, `~`,
/// wildcards and `<`; `=1.2.3` with all three parts is exact (`=1.2` is a range); `>=`
/// alone is lower-bound; `*` or nothing is unpinned.
pub fn cargo_pin(requirement: &str) -> PinClass {
    let comparators: Vec<&str> = requirement
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    let exact = |c: &str| {
        c.strip_prefix('=')
            .is_some_and(|v| v.trim().split('.').count() == 3 && !v.contains('*'))
    };
    let bounded =
        |c: &str| c.starts_with(['^', '~', '<', '=']) || (c.starts_with(|ch: char| ch.is_ascii_digit()) && c != "*");
    if comparators.iter().any(|c| exact(c)) {
        PinClass::Exact
    } else if comparators.iter().any(|c| bounded(c)) {
        PinClass::Bounded
    } else if comparators.iter().any(|c| c.starts_with('>')) {
        PinClass::LowerBound
    } else {
        PinClass::Unpinned
    }
}

#[derive(Deserialize)]
struct CargoLockPackage {
    name: String,
    version: String,
    source: Option<String>,
    checksum: Option<String>,
    #[serde(default)]
    dependencies: Vec<String>,
}

/// Packages without a `source` are the workspace's own crates (or path dependencies):
/// they tell which manifests the lockfile covers.
pub fn lockfile(path: &str, text: &str) -> Result<Parsed, ParseError> {
    let mut draft = LockDraft::new(path, Ecosystem::Cargo, "Cargo.lock", Vec::new());
    toml_lock::each_package(text, |package: CargoLockPackage| {
        if package.source.is_none() {
            draft.member_names.push(package.name.clone());
        }
        let mut dependencies: Vec<String> = package
            .dependencies
            .iter()
            .map(|d| d.split(' ').take(2).collect::<Vec<_>>().join("@"))
            .collect();
        dependencies.sort();
        draft.push(LockedPackage {
            registry_name: None,
            name: package.name,
            version: package.version,
            hashed: package.checksum.is_some(),
            source: package.source,
            dependencies,
        });
    })?;
    draft.lockfile.packages.sort();
    Ok(Parsed::Lockfile(draft))
}

#[cfg(test)]
mod tests {
    use super::super::PACKAGES_PER_LOCKFILE;
    use super::*;
    use crate::model::ScanNote;

    #[test]
    fn a_lockfile_keeps_the_first_packages_and_counts_the_rest() {
        let text: String = (0..PACKAGES_PER_LOCKFILE + 2)
            .map(|i| format!("[[package]]\nname = \"p{i:05}\"\nversion = \"1.0.0\"\n\n"))
            .collect();
        let Ok(Parsed::Lockfile(mut draft)) = lockfile("Cargo.lock", &text) else {
            panic!("a lockfile")
        };
        let [note] = <[ScanNote; 1]>::try_from(draft.cap()).expect("one note");
        assert_eq!(draft.lockfile.packages.len(), PACKAGES_PER_LOCKFILE);
        assert_eq!(draft.lockfile.packages.last().map(|p| p.name.as_str()), Some("p19999"));
        assert_eq!(
            note.detail.as_deref(),
            Some("and 2 more packages, not kept: plumb keeps at most 20,000 per lockfile")
        );
    }

    #[test]
    fn cargo_pins() {
        for (req, pin) in [
            ("1.2", PinClass::Bounded),
            ("^1", PinClass::Bounded),
            ("=1.2.3", PinClass::Exact),
            ("=1.2", PinClass::Bounded),
            (">=1", PinClass::LowerBound),
            (">=1, <2", PinClass::Bounded),
            ("*", PinClass::Unpinned),
        ] {
            assert_eq!(cargo_pin(req), pin, "{req}");
        }
    }
}
