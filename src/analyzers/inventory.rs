//! Inventory: files, bytes and tokei line counts per language and per role, the large
//! files that were only counted, and the untracked files apart.

use std::collections::BTreeMap;

use crate::model::{Inventory, LanguageStats, Role, RoleStats, SizedPath, SkipReason, UntrackedSummary};

use super::{Analysis, Analyzer, Conclusion};

pub struct InventoryAnalyzer;

impl Analyzer for InventoryAnalyzer {
    fn id(&self) -> &'static str {
        "inventory"
    }

    fn finish(&self, analysis: &Analysis) -> Conclusion {
        let mut inventory = Inventory::default();
        let mut languages: BTreeMap<&'static str, LanguageStats> = BTreeMap::new();
        let mut roles: BTreeMap<Role, RoleStats> = Role::ALL
            .iter()
            .map(|role| {
                let stats = RoleStats {
                    role: *role,
                    files: 0,
                    code: 0,
                    bytes: 0,
                };
                (*role, stats)
            })
            .collect();
        for file in analysis.tracked() {
            inventory.tracked_files += 1;
            inventory.bytes += file.info.bytes;
            let role = roles.get_mut(&file.info.role).expect("every role is in the map");
            role.files += 1;
            role.code += file.lines.code + file.embedded.code;
            role.bytes += file.info.bytes;
            match file.info.language {
                Some(language) if file.counted => {
                    let stats = languages.entry(language.name()).or_default();
                    stats.files += 1;
                    stats.lines.add(file.lines);
                    stats.embedded.add(file.embedded);
                    inventory.lines.add(file.lines);
                    inventory.lines.add(file.embedded);
                }
                Some(_) => {}
                None => inventory.unrecognized_files += 1,
            }
        }
        inventory.submodules = analysis.submodules.len();
        inventory.tracked_entries = inventory.tracked_files + inventory.submodules;
        inventory.languages = languages
            .into_iter()
            .map(|(name, stats)| LanguageStats {
                name: name.to_string(),
                ..stats
            })
            .collect();
        inventory
            .languages
            .sort_by(|a, b| b.lines.code.cmp(&a.lines.code).then_with(|| a.name.cmp(&b.name)));
        inventory.roles = roles.into_values().collect();
        inventory.large_files = large_files(analysis);
        inventory.untracked = untracked(analysis);
        Box::new(move |audit| audit.inventory = inventory)
    }
}

fn large_files(analysis: &Analysis) -> Vec<SizedPath> {
    let sizes: BTreeMap<&str, u64> = analysis
        .tracked()
        .map(|f| (f.info.path.as_str(), f.info.bytes))
        .collect();
    analysis
        .notes
        .iter()
        .filter(|note| note.reason == SkipReason::TooLarge)
        .filter_map(|note| {
            let bytes = *sizes.get(note.path.as_str())?;
            Some(SizedPath {
                path: note.path.clone(),
                bytes,
            })
        })
        .collect()
}

fn untracked(analysis: &Analysis) -> UntrackedSummary {
    let mut summary = UntrackedSummary::default();
    for file in analysis.files.iter().filter(|f| !f.info.tracked) {
        summary.files += 1;
        summary.bytes += file.info.bytes;
        let mut lines = file.lines;
        lines.add(file.embedded);
        summary.code += lines.code;
        if let Some(language) = file.info.language {
            *summary.languages.entry(language.name().to_string()).or_default() += 1;
        }
    }
    summary
}
