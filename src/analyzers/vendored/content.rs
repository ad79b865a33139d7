//! Vendored code found by its content, after the scan and before any analyzer finishes,
//! so that every fact (roles, god modules, largest hand-maintained files, line counts by
//! role) treats it as vendored code found by folder name is treated.
//!
//! The rule. The repository's **own holders** are the copyright holders its root license
//! files name, the names and authors of its root manifests (`executorch`, so `The
//! ExecuTorch Authors` is its own), and any holder named in the headers of at least
//! [`DOMINANT_PERCENT`] % of its source files. Then, outside vendoring folders:
//!
//! 1. **own license file**: a folder holding a license file (`LICENSE*`, `LICENCE*`,
//!    `COPYING*`, `UNLICENSE`) that names no own holder, and either names another holder,
//!    or names none and matches a license the repository's expression does not hold (an
//!    Apache-2.0 text without a name in a BSD-3-Clause repository).
//! 2. **own manifest**: a folder holding a `Cargo.toml`, `pyproject.toml` or `package.json`
//!    of another project: it states a name and a literal version, declares a license that
//!    is not one of the repository's, is neither private (`"private": true`) nor a
//!    workspace member (`x.workspace = true`, or matched by a `members` / `workspaces` glob
//!    of a manifest above it), names no own holder among its authors, and is not a test
//!    fixture (a test folder on its path). Workspace members and packages under the
//!    repository's license are the repository's own code, however many a monorepo has.
//! 3. **known single file**: a well-known single-file library by name and marker
//!    (`json.hpp` with `nlohmann`, `stb_*.h`, `sqlite3.c`, `catch.hpp`, `cl.hpp` with
//!    `Khronos`; see `known.rs`), unless its header names an own holder.
//! 4. **license header**: a source file whose header (first 4 KiB) names copyright holders,
//!    none of them own, and does not say it is under the repository's root license file
//!    (`the LICENSE file in the root directory of this source tree`). Such files of one
//!    folder make one component (named after the folder, its evidence the first file's). When the repository has no own holder
//!    at all, this rule is off: every header would name "another" holder.
//!
//! Folder rules need source code in the folder (a folder of documents is not a
//! component) and the outermost folder wins. Files inside a component found by a folder
//! rule belong to it, whatever their headers say.

use std::collections::BTreeMap;

use globset::{GlobBuilder, GlobSet};

use crate::model::{Evidence, LicenseMatch, Location, Role, VendoredBy};
use crate::scan::role::{is_test_path, is_vendoring_dir};

use super::holder::{key_of, same_owner, Holder};
use super::manifest::ManifestFacts;
use super::repository::{as_expression, files_expression, ids_of, repository_license, same_license};
use crate::analyzers::supply::SupplyFacts;
use crate::analyzers::Analysis;

/// A holder named in this share of the source files' headers is the repository's own.
pub const DOMINANT_PERCENT: usize = 10;

/// A license file outside vendoring folders and the holders it names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct LicenseFileFacts {
    pub path: String,
    pub holders: Vec<Holder>,
}

/// What a source file's header says, kept when it names a holder or is a known library.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct HeaderFacts {
    pub path: String,
    pub holders: Vec<Holder>,
    pub refers_to_root_license: bool,
    /// `SPDX-License-Identifier` value and line.
    pub spdx: Option<(String, usize)>,
    /// A well-known single-file library: its name and the version its header states.
    pub known: Option<(&'static str, Option<Evidence>)>,
}

/// A component found by content.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ContentComponent {
    /// The folder (folder rules, or a folder's files naming one holder) or the file.
    pub path: String,
    pub name: String,
    pub found_by: VendoredBy,
    pub evidence: Option<Evidence>,
    pub version: Option<Evidence>,
    pub license: Option<LicenseMatch>,
    /// For header and known-file components: their files; empty for a folder rule (every
    /// file below the folder).
    pub files: Vec<String>,
}

impl ContentComponent {
    pub fn holds(&self, path: &str) -> bool {
        if self.files.is_empty() {
            path.strip_prefix(&self.path).is_some_and(|rest| rest.starts_with('/'))
        } else {
            self.files.binary_search_by(|f| f.as_str().cmp(path)).is_ok()
        }
    }
}

/// Finds the components, sets their files' role to vendored and keeps them in
/// `analysis.supply.content_vendored`. `analysis` is sorted.
pub fn settle(analysis: &mut Analysis) {
    let components = find(analysis);
    if components.is_empty() {
        return;
    }
    for file in &mut analysis.files {
        if file.info.role != Role::Vendored && components.iter().any(|c| c.holds(&file.info.path)) {
            file.info.role = Role::Vendored;
        }
    }
    analysis.supply.content_vendored = components;
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

fn base(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

struct Own {
    keys: Vec<String>,
}

impl Own {
    fn holds(&self, key: &str) -> bool {
        self.keys.iter().any(|own| same_owner(own, key))
    }

    fn names_any(&self, holders: &[Holder]) -> bool {
        holders.iter().any(|h| self.holds(&h.key))
    }
}

fn own_holders(analysis: &Analysis) -> Own {
    let supply = &analysis.supply;
    let mut keys: Vec<String> = supply
        .license_files
        .iter()
        .filter(|f| !f.path.contains('/'))
        .flat_map(|f| f.holders.iter().map(|h| h.key.clone()))
        .collect();
    for manifest in supply.manifests.iter().filter(|m| !m.path.contains('/')) {
        keys.extend(manifest.name.iter().map(|n| key_of(n)));
        keys.extend(manifest.authors.iter().map(|a| key_of(a)));
    }
    let sources = analysis.tracked().filter(|f| f.info.role == Role::Source).count();
    let mut heading: BTreeMap<&str, usize> = BTreeMap::new();
    for header in &supply.headers {
        let mut seen: Vec<&str> = header.holders.iter().map(|h| h.key.as_str()).collect();
        seen.sort_unstable();
        seen.dedup();
        for key in seen {
            *heading.entry(key).or_default() += 1;
        }
    }
    keys.extend(
        heading
            .into_iter()
            .filter(|(_, n)| *n * 100 >= sources * DOMINANT_PERCENT && *n > 0)
            .map(|(key, _)| key.to_string()),
    );
    keys.retain(|k| !k.is_empty());
    keys.sort();
    keys.dedup();
    Own { keys }
}

/// Whether a tracked source file lies below `dir` (files are sorted by path).
fn has_source(analysis: &Analysis, dir: &str) -> bool {
    let prefix = format!("{dir}/");
    let start = analysis
        .files
        .partition_point(|f| f.info.path.as_str() < prefix.as_str());
    analysis.files[start..]
        .iter()
        .take_while(|f| f.info.path.starts_with(&prefix))
        .any(|f| f.info.tracked && f.info.role == Role::Source)
}

fn find(analysis: &Analysis) -> Vec<ContentComponent> {
    let supply = &analysis.supply;
    let own = own_holders(analysis);
    let repository = repository_license(&supply.licenses, &supply.manifests);
    let repo_ids: Vec<String> = repository.as_ref().map(|r| ids_of(&r.expression)).unwrap_or_default();
    let foreign_license = |id: &str| !repo_ids.is_empty() && !repo_ids.iter().any(|own| same_license(own, id));

    let mut folders: BTreeMap<String, ContentComponent> = BTreeMap::new();
    // Rule 1: own license files.
    let mut by_dir: BTreeMap<&str, Vec<&LicenseFileFacts>> = BTreeMap::new();
    for file in &supply.license_files {
        let dir = parent(&file.path);
        if !dir.is_empty() && !is_vendoring_dir(dir) {
            by_dir.entry(dir).or_default().push(file);
        }
    }
    for (dir, files) in by_dir {
        let holders: Vec<&Holder> = files.iter().flat_map(|f| f.holders.iter()).collect();
        if holders.iter().any(|h| own.holds(&h.key)) {
            continue;
        }
        let license = folder_license(supply, dir);
        let evidence = if let (Some(holder), false) = (holders.first(), own.keys.is_empty()) {
            let path = files
                .iter()
                .find(|f| f.holders.contains(holder))
                .map_or("", |f| f.path.as_str());
            Some(holder_evidence(path, holder))
        } else {
            match &license {
                Some(found) if holders.is_empty() && foreign_license(&found.spdx) => Some(Evidence {
                    value: format!("{} license text naming no holder", found.spdx),
                    location: Location {
                        path: found.path.clone(),
                        line: 1,
                        column: 1,
                    },
                }),
                _ => None,
            }
        };
        if let Some(evidence) = evidence.filter(|_| has_source(analysis, dir)) {
            folders.insert(
                dir.to_string(),
                ContentComponent {
                    path: dir.to_string(),
                    name: base(dir).to_string(),
                    found_by: VendoredBy::LicenseFile,
                    evidence: Some(evidence),
                    version: manifest_in(supply.manifests.as_slice(), dir).and_then(|m| m.version.clone()),
                    license,
                    files: Vec::new(),
                },
            );
        }
    }
    // Rule 2: own manifests of other projects.
    let members = workspace_members(&supply.manifests);
    for manifest in &supply.manifests {
        let dir = parent(&manifest.path);
        if dir.is_empty() || folders.contains_key(dir) || !other_project(manifest, &own, &foreign_license) {
            continue;
        }
        if is_vendoring_dir(dir) || is_test_path(&manifest.path) || members.iter().any(|m| m.is_match(dir)) {
            continue;
        }
        if !has_source(analysis, dir) {
            continue;
        }
        let (Some(name), Some(version)) = (&manifest.name, &manifest.version) else {
            continue;
        };
        folders.insert(
            dir.to_string(),
            ContentComponent {
                path: dir.to_string(),
                name: name.clone(),
                found_by: VendoredBy::Manifest,
                evidence: Some(Evidence {
                    value: format!("{name} {}", version.value),
                    location: version.location.clone(),
                }),
                version: Some(version.clone()),
                license: folder_license(supply, dir),
                files: Vec::new(),
            },
        );
    }
    // The outermost folder wins.
    let dirs: Vec<String> = folders.keys().cloned().collect();
    folders.retain(|dir, _| {
        !dirs
            .iter()
            .any(|other| other != dir && dir.starts_with(other.as_str()) && dir[other.len()..].starts_with('/'))
    });
    let mut components: Vec<ContentComponent> = folders.into_values().collect();
    let in_folder = |path: &str, components: &[ContentComponent]| components.iter().any(|c| c.holds(path));

    // Rules 3 and 4: single files.
    let mut groups: BTreeMap<String, ContentComponent> = BTreeMap::new();
    for header in &supply.headers {
        if in_folder(&header.path, &components) || own.names_any(&header.holders) {
            continue;
        }
        let license = header.spdx.as_ref().map(|(id, _)| LicenseMatch {
            spdx: id.clone(),
            confidence_percent: 100,
            path: header.path.clone(),
        });
        if let Some((library, version)) = &header.known {
            groups.insert(
                header.path.clone(),
                ContentComponent {
                    path: header.path.clone(),
                    name: library.to_string(),
                    found_by: VendoredBy::KnownFile,
                    evidence: header.holders.first().map(|h| holder_evidence(&header.path, h)),
                    version: version.clone(),
                    license,
                    files: vec![header.path.clone()],
                },
            );
            continue;
        }
        let Some(holder) = header.holders.first() else {
            continue;
        };
        if own.keys.is_empty() || header.refers_to_root_license {
            continue;
        }
        let dir = parent(&header.path);
        let group = groups.entry(format!("{dir}/")).or_insert_with(|| ContentComponent {
            path: header.path.clone(),
            name: base(&header.path).to_string(),
            found_by: VendoredBy::LicenseHeader,
            evidence: Some(holder_evidence(&header.path, holder)),
            version: None,
            license: license.clone(),
            files: Vec::new(),
        });
        group.files.push(header.path.clone());
        if group.files.len() >= 2 && !dir.is_empty() {
            // Several files of one folder: the component is named after the folder, and
            // its evidence says it is those files only, not the whole folder.
            group.path = dir.to_string();
            group.name = base(dir).to_string();
            if let Some(evidence) = group.evidence.as_mut() {
                let first = evidence.value.rsplit("first: ").next().unwrap_or_default().to_string();
                evidence.value = format!(
                    "{} files here whose header names another holder, first: {first}",
                    group.files.len()
                );
            }
        }
        if group.license.as_ref().map(|l| &l.spdx) != license.as_ref().map(|l| &l.spdx) {
            group.license = None;
        }
    }
    components.extend(groups.into_values());
    // A header group named after its folder and a known file of that folder never share
    // a path, but keep the merge so that no path is listed twice.
    components.sort_by(|a, b| a.path.cmp(&b.path));
    components.dedup_by(|later, kept| {
        if later.path != kept.path {
            return false;
        }
        kept.files.append(&mut later.files);
        kept.files.sort();
        kept.files.dedup();
        true
    });
    for component in &mut components {
        component.files.sort();
    }
    components
}

fn holder_evidence(path: &str, holder: &Holder) -> Evidence {
    Evidence {
        value: format!("Copyright holder: {}", holder.name),
        location: Location {
            path: path.to_string(),
            line: holder.line,
            column: 1,
        },
    }
}

/// A folder component's license: the expression its manifest declares, else what its
/// license files make together (several texts: `A OR B`, as for the repository).
fn folder_license(supply: &SupplyFacts, dir: &str) -> Option<LicenseMatch> {
    let declared = manifest_in(&supply.manifests, dir)
        .and_then(|m| m.license.as_ref())
        .and_then(|l| Some((as_expression(&l.value)?, l.location.path.clone())));
    if let Some((spdx, path)) = declared {
        return Some(LicenseMatch {
            spdx,
            confidence_percent: 100,
            path,
        });
    }
    let files: Vec<LicenseMatch> = supply
        .licenses
        .iter()
        .filter(|m| parent(&m.path) == dir)
        .cloned()
        .collect();
    let spdx = files_expression(&files)?;
    Some(LicenseMatch {
        spdx,
        confidence_percent: files.iter().map(|f| f.confidence_percent).min().unwrap_or(0),
        path: files.first().map(|f| f.path.clone()).unwrap_or_default(),
    })
}

fn manifest_in<'a>(manifests: &'a [ManifestFacts], dir: &str) -> Option<&'a ManifestFacts> {
    manifests.iter().find(|m| parent(&m.path) == dir)
}

/// Rule 2's test on the manifest's own fields.
fn other_project(manifest: &ManifestFacts, own: &Own, foreign_license: &dyn Fn(&str) -> bool) -> bool {
    if manifest.own_marker || manifest.authors.iter().any(|a| own.holds(&key_of(a))) {
        return false;
    }
    if manifest.name.as_deref().is_some_and(|n| own.holds(&key_of(n))) {
        return false;
    }
    let Some(license) = manifest.license.as_ref().and_then(|l| as_expression(&l.value)) else {
        return false;
    };
    let ids = ids_of(&license);
    !ids.is_empty() && ids.iter().all(|id| foreign_license(id))
}

/// For every manifest listing workspace members: its globs, from the repository root.
fn workspace_members(manifests: &[ManifestFacts]) -> Vec<GlobSet> {
    manifests
        .iter()
        .filter(|m| !m.members.is_empty())
        .filter_map(|m| {
            let base = parent(&m.path).to_string();
            let mut builder = globset::GlobSetBuilder::new();
            for member in &m.members {
                let member = member.trim_start_matches("./").trim_end_matches('/');
                let glob = if base.is_empty() {
                    member.to_string()
                } else {
                    format!("{base}/{member}")
                };
                if let Ok(glob) = GlobBuilder::new(&glob).literal_separator(true).build() {
                    builder.add(glob);
                }
            }
            builder.build().ok()
        })
        .collect()
}
