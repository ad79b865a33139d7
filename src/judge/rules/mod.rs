//! Rules judged over the whole model after the graph is measured: each family a file
//! here, reading facts the analyzers and the graph wrote, adding findings and their rules.
//! Every threshold is a documented `const` beside its rule, and the README lists them.
//!
//! A judged finding sits at a file and line a reader can open (an import's line, line 1 of
//! a file, or, for what has no file, the folder or the file to add, as its rule's help
//! says); its message carries the measured figures, its remediation is its rule's help,
//! and its fingerprint names what it is about (a module, a pair of packages), never a
//! line or a figure, so a baseline keeps it through edits that leave that thing as it is.
//! A `plumb: ignore[rule-id]` comment on its line or the line above suppresses it, as for
//! every rule.

mod cycles;

pub use cycles::judged_cycles;
mod encapsulation;
mod layering;
mod posture;
mod python_versions;
mod size;
mod testing;

use crate::analyzers::fingerprint;
use crate::model::{Audit, Confidence, EdgeEvidence, Finding, ImportEdge, Location, Rule, Severity};

pub use size::OVERSIZED_FILE_CODE_LINES;

/// Every judged rule, sorted by id.
pub const ALL: &[Rule] = &[
    python_versions::CI_PYTHON_OUTSIDE_REQUIREMENT,
    size::GOD_MODULE,
    cycles::IMPORT_CYCLE,
    layering::LAYER_VIOLATION,
    posture::NO_SECURITY_POLICY,
    testing::NO_TESTS,
    size::OVERSIZED_FILE,
    cycles::PACKAGE_CYCLE,
    encapsulation::PRIVATE_IMPORT,
    testing::TEST_RATIO_LOW,
    posture::VENDORED_WITHOUT_LICENSE,
];

/// Adds every judged rule's findings and metadata to the audit.
pub fn apply(audit: &mut Audit) {
    let mut found = Vec::new();
    // A fact as well as findings: written before the rules borrow the audit.
    let (python_versions, python_outside) = python_versions::check(audit);
    audit.python_versions = python_versions;
    // The package of every module, found once for the rules that read the edges.
    let packages = Packages::new(audit);
    found.extend(cycles::import_cycles(audit));
    found.extend(cycles::package_cycles(audit, &packages));
    found.extend(layering::findings(audit, &packages));
    found.extend(encapsulation::findings(audit, &packages));
    found.extend(size::god_modules(audit));
    found.extend(size::oversized_files(audit));
    found.extend(testing::findings(audit, &packages));
    found.extend(posture::findings(audit));
    found.extend(python_outside);
    for finding in &mut found {
        let at = &finding.location;
        finding.suppressed = audit.inline_suppressions.suppressed(&at.path, &finding.rule, at.line);
    }
    audit.findings.extend(found);
    audit.rules.extend(ALL.iter().copied());
}

/// What a judged finding says, apart from where.
struct Judgement {
    severity: Severity,
    confidence: Confidence,
    message: String,
}

/// A finding of `rule` at 1-based `line` of `path`, column 1, with the rule's help as the
/// remediation and a fingerprint of the rule and `identity`.
fn finding(rule: &Rule, (path, line): (&str, usize), identity: &[&str], judgement: Judgement) -> Finding {
    let mut parts = vec![rule.id];
    parts.extend_from_slice(identity);
    Finding {
        location: Location {
            path: path.to_string(),
            line,
            column: 1,
        },
        rule: rule.id.to_string(),
        severity: judgement.severity,
        confidence: judgement.confidence,
        message: judgement.message,
        remediation: rule.help,
        snippet: None,
        snippet_column: 1,
        span: 0,
        fingerprint: fingerprint(&parts),
        suppressed: false,
        omitted: None,
    }
}

/// A finding at an import: the importing file and line, the statement as its snippet.
fn at_import(rule: &Rule, edge: &EdgeEvidence, identity: &[&str], judgement: Judgement) -> Finding {
    let mut found = finding(rule, (&edge.from, edge.line), identity, judgement);
    // The statement as written, whitespace collapsed: the line's text from its first word.
    found.snippet = Some(edge.text.clone());
    found
}

/// The graph's packages by index (sorted names) and the package of every module, so that
/// per-edge work compares integers; and the edges whose ends name modules.
struct Packages<'a> {
    index: crate::graph::PackageIndex<'a>,
    edges: std::borrow::Cow<'a, [ImportEdge]>,
}

impl<'a> Packages<'a> {
    fn new(audit: &'a Audit) -> Packages<'a> {
        Packages {
            index: crate::graph::PackageIndex::new(&audit.architecture),
            edges: crate::graph::valid_edges(&audit.architecture),
        }
    }

    fn count(&self) -> usize {
        self.index.names.len()
    }

    /// The index of the package named `name`.
    fn index(&self, name: &str) -> Option<usize> {
        self.index.names.binary_search(&name).ok()
    }

    fn name(&self, package: usize) -> &'a str {
        self.index.names[package]
    }

    /// Every valid edge with the packages of its ends, in the edges' (path) order.
    fn edges(&self) -> impl Iterator<Item = (&ImportEdge, usize, usize)> {
        self.edges
            .iter()
            .map(|e| (e, self.index.of[e.from], self.index.of[e.to]))
    }
}

/// `n` with thousands separators (`12,345`).
fn int(n: impl TryInto<usize>) -> String {
    crate::analyzers::thousands(n.try_into().unwrap_or(usize::MAX))
}

/// `1 import` / `3 imports`.
fn plural(n: impl TryInto<usize>, noun: &str) -> String {
    match n.try_into().unwrap_or(usize::MAX) {
        1 => format!("1 {noun}"),
        n => format!("{} {noun}s", int(n)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_sorted_and_none_is_also_an_analyzers() {
        assert!(ALL.windows(2).all(|w| w[0].id < w[1].id), "{ALL:#?}");
        let analyzers: Vec<&str> = crate::analyzers::ALL
            .iter()
            .flat_map(|a| a.rules().iter().map(|r| r.id))
            .collect();
        assert!(ALL.iter().all(|r| !analyzers.contains(&r.id)));
    }
}
