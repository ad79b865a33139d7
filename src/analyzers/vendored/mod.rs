//! Vendored components: each child folder of a vendoring root (`third_party/x`,
//! `vendor/x`, committed `node_modules/x`, ... — the role rule's list, see
//! `scan::role::vendored_component`), with its files and code lines, the version it
//! states, its license and, when it is a submodule, its pinned commit. Also matches the
//! repository's own license file, which the `posture` analyzer reports.

mod license;
mod version;

use std::collections::BTreeMap;

use crate::model::{Evidence, LicenseMatch, Location, ScanNote, SkipReason, VendoredComponent};
use crate::scan::role::vendored_component;
use crate::scan::{File, FileInfo};

use super::supply::VersionClaim;
use super::{Analysis, Analyzer, Conclusion};

pub struct VendoredAnalyzer;

impl Analyzer for VendoredAnalyzer {
    fn id(&self) -> &'static str {
        "vendored"
    }

    fn wants(&self, file: &FileInfo) -> bool {
        is_matched_license(&file.path) || version_file(&file.path).is_some()
    }

    fn visit(&self, file: &File<'_>, out: &mut Analysis) {
        let path = file.info.path.as_str();
        let Some(text) = file.text() else {
            out.notes
                .push(ScanNote::new(path, SkipReason::NonUtf8, Some("vendored".into())));
            return;
        };
        if is_matched_license(path) {
            out.supply.licenses.extend(license::detect(path, text));
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
        let vendored = components.into_values().collect();
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
    }
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
