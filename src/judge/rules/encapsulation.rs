//! `private-import`: each pair of packages where one imports the other's private modules
//! (the imports `encapsulation.private_imports` counts), at the pair's first such import.

use std::collections::BTreeMap;

use rustc_hash::FxHashSet;

use crate::model::{Audit, Confidence, Finding, ImportEdge, Rule, Severity};

use super::{at_import, plural, Judgement, Packages};

pub const PRIVATE_IMPORT: Rule = Rule {
    group: "architecture",
    id: "private-import",
    title: "a package imports another package's private modules",
    help: "A module whose path has a component starting with `_` (dunder names such as `__init__` excepted) is private to its package by convention. These imports reach into another package's private modules, so that package cannot change its internals without breaking this one, and a refactor must move or change both together. Import what the package offers publicly instead (re-export the name from a public module such as its `__init__.py`), or make the shared module public. Reported once per pair of packages, at the pair's first such import in path order, with the count of imports and of private modules; low severity, medium confidence (the underscore is a convention, not every language's).",
};

/// A pair's imports of private modules: how many, of which modules, and the first.
struct Tally<'a> {
    imports: usize,
    modules: FxHashSet<usize>,
    first: &'a ImportEdge,
}

pub fn findings(audit: &Audit, packages: &Packages<'_>) -> Vec<Finding> {
    let architecture = &audit.architecture;
    if architecture.measures.encapsulation.private_imports == 0 {
        return Vec::new();
    }
    // Judged once per module, and only for modules imported from another package.
    let mut private: Vec<Option<bool>> = vec![None; architecture.modules.len()];
    // Few pairs, many edges: a sorted map keeps the findings in pair order.
    let mut pairs: BTreeMap<(usize, usize), Tally<'_>> = BTreeMap::new();
    for (edge, from, to) in packages.edges() {
        if from == to
            || !*private[edge.to].get_or_insert_with(|| crate::graph::is_private(&architecture.modules[edge.to].path))
        {
            continue;
        }
        let tally = pairs.entry((from, to)).or_insert_with(|| Tally {
            imports: 0,
            modules: FxHashSet::default(),
            first: edge,
        });
        tally.imports += 1;
        tally.modules.insert(edge.to);
    }
    pairs
        .into_iter()
        .map(|((from, to), tally)| {
            let (from, to) = (packages.name(from), packages.name(to));
            let evidence = crate::graph::evidence(architecture, tally.first);
            let message = format!(
                "{} from `{from}` {} into `{to}`'s private modules ({}); the first imports `{}`",
                plural(tally.imports, "import"),
                if tally.imports == 1 { "reaches" } else { "reach" },
                plural(tally.modules.len(), "private module"),
                evidence.to,
            );
            at_import(
                &PRIVATE_IMPORT,
                &evidence,
                &[from, to],
                Judgement {
                    severity: Severity::Low,
                    confidence: Confidence::Medium,
                    message,
                },
            )
        })
        .collect()
}
