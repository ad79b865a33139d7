//! God-module candidates: the largest hand-maintained files by code lines, overall and per
//! language. Hand-maintained means role source, test, build or ci: vendored, generated,
//! docs and config files are left out, since nobody refactors them by hand. Also every
//! source file over the `oversized-file` rule's limit, which the judge reports.

use std::collections::BTreeMap;

use crate::judge::rules::OVERSIZED_FILE_CODE_LINES;
use crate::model::{FileSize, Role};
use crate::scan::FileRecord;

use super::{Analysis, Analyzer, Conclusion};

pub struct GodModulesAnalyzer;

/// How many files each list keeps.
pub const TOP: usize = 10;

const HAND_MAINTAINED: [Role; 4] = [Role::Source, Role::Test, Role::Build, Role::Ci];

impl Analyzer for GodModulesAnalyzer {
    fn id(&self) -> &'static str {
        "god-modules"
    }

    fn finish(&self, analysis: &Analysis) -> Conclusion {
        let mut candidates: Vec<&FileRecord> = analysis.tracked().filter(|f| is_hand_maintained(f)).collect();
        candidates.sort_by(|a, b| {
            b.lines
                .code
                .cmp(&a.lines.code)
                .then_with(|| a.info.path.cmp(&b.info.path))
        });
        let mut by_language: BTreeMap<String, Vec<FileSize>> = BTreeMap::new();
        for file in &candidates {
            let list = by_language.entry(language_name(file)).or_default();
            if list.len() < TOP {
                list.push(size(file));
            }
        }
        let overall = candidates.iter().take(TOP).map(|f| size(f)).collect();
        // Largest first, so the oversized ones lead the list.
        let oversized = candidates
            .iter()
            .take_while(|f| f.lines.code > OVERSIZED_FILE_CODE_LINES)
            .filter(|f| f.info.role == Role::Source)
            .map(|f| size(f))
            .collect();
        Box::new(move |audit| {
            audit.god_modules.overall = overall;
            audit.god_modules.by_language = by_language;
            audit.god_modules.oversized = oversized;
        })
    }
}

/// A file people edit by hand, with code: role source, test, build or ci, in a known
/// language.
pub fn is_hand_maintained(file: &FileRecord) -> bool {
    HAND_MAINTAINED.contains(&file.info.role) && file.info.language.is_some() && file.lines.code > 0
}

fn language_name(file: &FileRecord) -> String {
    file.info.language.map(|l| l.name().to_string()).unwrap_or_default()
}

fn size(file: &FileRecord) -> FileSize {
    FileSize {
        path: file.info.path.clone(),
        language: language_name(file),
        role: file.info.role,
        lines: file.lines,
    }
}
