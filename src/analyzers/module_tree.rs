//! Module tree: the top two directory levels with files, code lines and the dominant
//! language, the measured form of the seed's "Current Module Structure".

use std::collections::{BTreeMap, HashMap};

use tokei::LanguageType;

use crate::model::ModuleNode;
use crate::scan::FileRecord;

use super::{Analysis, Analyzer, Conclusion};

pub struct ModuleTreeAnalyzer;

/// Name of the node that collects the files at the root of the tree.
pub const ROOT_FILES: &str = ".";

#[derive(Default)]
struct Tally {
    files: usize,
    code: u64,
    code_by_language: HashMap<LanguageType, u64>,
    children: BTreeMap<String, Tally>,
}

impl Tally {
    fn add(&mut self, file: &FileRecord) {
        self.files += 1;
        self.code += file.lines.code + file.embedded.code;
        // Embedded code (code blocks in Markdown) counts for the file's own language, so a
        // folder of documentation with examples is "Markdown", not "no code".
        if let Some(language) = file.info.language {
            *self.code_by_language.entry(language).or_default() += file.lines.code + file.embedded.code;
        }
    }

    fn into_node(self, path: String) -> ModuleNode {
        let dominant_language = self
            .code_by_language
            .iter()
            .filter(|(_, code)| **code > 0)
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.name().cmp(a.0.name())))
            .map(|(language, _)| language.name().to_string());
        ModuleNode {
            path,
            files: self.files,
            code: self.code,
            dominant_language,
            children: self
                .children
                .into_iter()
                .map(|(path, tally)| tally.into_node(path))
                .collect(),
        }
    }
}

impl Analyzer for ModuleTreeAnalyzer {
    fn id(&self) -> &'static str {
        "module-tree"
    }

    fn finish(&self, analysis: &Analysis) -> Conclusion {
        let mut top: BTreeMap<String, Tally> = BTreeMap::new();
        for file in analysis.tracked() {
            let mut parts = file.info.path.split('/');
            let first = parts.next().unwrap_or_default();
            let second = parts.next();
            let is_nested = parts.next().is_some();
            let Some(_) = second else {
                top.entry(ROOT_FILES.to_string()).or_default().add(file);
                continue;
            };
            let node = top.entry(first.to_string()).or_default();
            node.add(file);
            if let (true, Some(second)) = (is_nested, second) {
                node.children.entry(format!("{first}/{second}")).or_default().add(file);
            }
        }
        let tree = top.into_iter().map(|(path, tally)| tally.into_node(path)).collect();
        Box::new(move |audit| audit.module_tree = tree)
    }
}
