//! Vendored components: each child folder of a vendoring root (`third_party/x`,
//! `vendor/x`, committed `node_modules/x`, ... — the role rule's list, see
//! `scan::role::vendored_component`), and the folders and files found vendored by their
//! content (own license file, own manifest, license header, known single file: the rule
//! is in `content.rs`), each with its files and code lines, the version it states, its
//! license and, when it is a submodule, its pinned commit. Also matches the repository's
//! own license files and reads its root manifests' `license`, which the `posture`
//! analyzer reports as one SPDX expression (`repository.rs`).

mod content;
mod holder;
mod known;
mod license;
mod manifest;
mod repository;
mod version;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use crate::model::{Evidence, LicenseMatch, Location, Role, ScanNote, SkipReason, VendoredBy, VendoredComponent};
use crate::scan::role::vendored_component;
use crate::scan::{File, FileInfo};

use super::supply::VersionClaim;
use super::{Analysis, Analyzer, Conclusion};

pub use content::{settle, ContentComponent, HeaderFacts, LicenseFileFacts};
pub use manifest::ManifestFacts;
pub use repository::repository_license;

pub struct VendoredAnalyzer;

impl Analyzer for VendoredAnalyzer {
    fn id(&self) -> &'static str {
        "vendored"
    }

    fn wants(&self, file: &FileInfo) -> bool {
        is_matched_license(&file.path)
            || version_file(&file.path).is_some()
            || (file.tracked && file.role != Role::Vendored && reads_content(file))
    }

    fn visit(&self, file: &File<'_>, out: &mut Analysis) {
        let path = file.info.path.as_str();
        if file.info.role == Role::Source {
            read_header(file, out);
        }
        let outside = file.info.tracked && file.info.role != Role::Vendored;
        if outside {
            if let Some(kind) = manifest::kind(file.info.name()) {
                // An unreadable manifest is the dependency analyzer's to note; this rule
                // only loses one candidate.
                if let Some(Ok(facts)) = file.text().map(|text| manifest::read(kind, path, text)) {
                    out.supply.manifests.push(facts);
                }
            }
        }
        let license_file = license::is_license_file(file.info.name());
        if !(is_matched_license(path) || (outside && license_file) || version_file(path).is_some()) {
            return;
        }
        let Some(text) = file.text() else {
            out.notes
                .push(ScanNote::new(path, SkipReason::NonUtf8, Some("vendored".into())));
            return;
        };
        if is_matched_license(path) || (outside && license_file) {
            out.supply.licenses.extend(license::detect(path, text));
        }
        if outside && license_file {
            out.supply.license_files.push(LicenseFileFacts {
                path: path.to_string(),
                holders: holder::holders(holder::header(text.as_bytes())),
            });
        }
        if let Some((component, depth, source)) = version_file(path) {
            if let Some((value, line, column)) = version::find(source, text) {
                out.supply.versions.push(VersionClaim {
                    component: component.to_string(),
                    rank: (depth, source as u8),
                    evidence: Evidence {
                        value,
                        location: Location {
                            path: path.to_string(),
                            line,
                            column,
                        },
                    },
                });
            }
        }
    }

    fn finish(&self, analysis: &Analysis) -> Conclusion {
        let mut components: BTreeMap<&str, VendoredComponent> = BTreeMap::new();
        for file in analysis.tracked() {
            if let Some(path) = vendored_component(&file.info.path, false) {
                let component = components.entry(path).or_insert_with(|| empty(path));
                component.files += 1;
                component.code_lines += file.lines.code;
            }
        }
        for submodule in &analysis.submodules {
            if let Some(path) = vendored_component(&submodule.path, true) {
                let component = components.entry(path).or_insert_with(|| empty(path));
                if path == submodule.path {
                    component.submodule_commit = Some(submodule.commit.clone());
                }
            }
        }
        for component in components.values_mut() {
            component.version = best_version(analysis, &component.path);
            component.license = best_license(&analysis.supply.licenses, &component.path);
        }
        let mut vendored: Vec<VendoredComponent> = components.into_values().collect();
        vendored.extend(
            analysis
                .supply
                .content_vendored
                .iter()
                .map(|found| counted(analysis, found)),
        );
        vendored.sort_by(|a, b| a.path.cmp(&b.path));
        Box::new(move |audit| audit.supply_chain.vendored = vendored)
    }
}

fn empty(path: &str) -> VendoredComponent {
    VendoredComponent {
        path: path.to_string(),
        name: path.rsplit('/').next().unwrap_or(path).to_string(),
        files: 0,
        code_lines: 0,
        version: None,
        license: None,
        submodule_commit: None,
        found_by: VendoredBy::FolderName,
        evidence: None,
    }
}

/// A component found by content, with its files and code lines.
fn counted(analysis: &Analysis, found: &ContentComponent) -> VendoredComponent {
    let (files, code_lines) = analysis
        .tracked()
        .filter(|f| found.holds(&f.info.path))
        .fold((0, 0), |(files, lines), f| (files + 1, lines + f.lines.code));
    VendoredComponent {
        path: found.path.clone(),
        name: found.name.clone(),
        files,
        code_lines,
        version: found.version.clone(),
        license: found.license.clone(),
        submodule_commit: None,
        found_by: found.found_by,
        evidence: found.evidence.clone(),
    }
}

/// Files whose content the vendoring rules read: license files, package manifests, and
/// source files (for their header).
fn reads_content(file: &FileInfo) -> bool {
    file.role == Role::Source || manifest::kind(file.name()).is_some() || license::is_license_file(file.name())
}

/// What a copyright line holds, in any case: one pass over a header tells whether any
/// line may name a holder.
static NOTICE: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(["copyright", "portions (c)"])
        .expect("two literal patterns build")
});

/// A source file's header: its holders, SPDX identifier and whether it is a known
/// library; kept only when it names a holder or is one. Reads at most
/// [`holder::HEADER_BYTES`].
fn read_header(file: &File<'_>, out: &mut Analysis) {
    let prefix = &file.bytes[..file.bytes.len().min(holder::HEADER_BYTES)];
    let name = file.info.name();
    let mentions = NOTICE.is_match(prefix);
    let known_name = known::could_be(name);
    if !mentions && !known_name {
        return;
    }
    let text = holder::header(prefix);
    let path = &file.info.path;
    let known = known_name
        .then(|| known::known_library(name, text))
        .flatten()
        .map(|(library, version)| {
            let version = version.map(|(value, line, column)| Evidence {
                value,
                location: Location {
                    path: path.clone(),
                    line,
                    column,
                },
            });
            (library, version)
        });
    let holders = if mentions { holder::holders(text) } else { Vec::new() };
    if holders.is_empty() && known.is_none() {
        return;
    }
    out.supply.headers.push(HeaderFacts {
        path: path.clone(),
        holders,
        refers_to_root_license: holder::refers_to_root_license(text),
        spdx: holder::spdx_identifier(text),
        known,
    });
}

/// A license file the analyzer matches: at the repository root, or directly in a vendored
/// component's folder (a license deeper down covers only part of the component).
fn is_matched_license(path: &str) -> bool {
    let (parent, name) = path.rsplit_once('/').unwrap_or(("", path));
    license::is_license_file(name) && (parent.is_empty() || vendored_component(parent, true) == Some(parent))
}

/// For a file that may state its component's version (directly in the component's folder
/// or one level down): the component, the depth and the kind of file.
fn version_file(path: &str) -> Option<(&str, usize, version::Source)> {
    let component = vendored_component(path, false)?;
    let inner = &path[component.len() + 1..];
    let depth = inner.matches('/').count();
    let source = version::source(inner.rsplit('/').next().unwrap_or(inner))?;
    (depth <= 1).then_some((component, depth, source))
}

fn best_version(analysis: &Analysis, component: &str) -> Option<Evidence> {
    // Claims are sorted by component, then rank: the first is the most trusted.
    analysis
        .supply
        .versions
        .iter()
        .find(|claim| claim.component == component)
        .map(|claim| claim.evidence.clone())
}

/// The best-matching license file directly in `folder` (`""`: the repository root);
/// ties go to the first path.
pub fn best_license(licenses: &[LicenseMatch], folder: &str) -> Option<LicenseMatch> {
    licenses
        .iter()
        .filter(|m| m.path.rsplit_once('/').map_or("", |(parent, _)| parent) == folder)
        .min_by(|a, b| {
            b.confidence_percent
                .cmp(&a.confidence_percent)
                .then(a.path.cmp(&b.path))
        })
        .cloned()
}
