//! `layer-violation`: each pair of packages whose imports run against the layering
//! (`layering.matrix`, `against`), at the pair's first import in path order.

use rustc_hash::FxHashMap;

use crate::model::{Audit, Confidence, Finding, LayerSource, PackageDependency, Rule, Severity};

use super::{at_import, int, plural, Judgement, Packages};

pub const LAYER_VIOLATION: Rule = Rule {
    group: "architecture",
    id: "layer-violation",
    title: "a package imports one that sits above it in the layers",
    help: "The layers are those declared in `plumb.toml` (`[layers] order`, the first on top), or else inferred from the package graph: a package sits above every package it imports, and inside a package cycle the package its cycle depends on more (eager imports in minus out) sits lower. An import from a lower package to a higher one ties the two together: they cannot be moved, released or tested apart, and a refactor that enforces the layers fails on each such import. With inferred layers every one of them closes a package cycle (`package-cycle`). Move the imported code down (into the lower package or a new shared one), or invert the dependency (pass it in, register it); a lazy or typing-only import is a cheaper form of it, still a dependency. Reported once per pair of packages, at the pair's first import in path order, with the count; medium, or low when all of the pair's imports are lazy or typing-only; medium confidence with inferred layers.",
};

pub fn findings(audit: &Audit, packages: &Packages<'_>) -> Vec<Finding> {
    let layering = &audit.architecture.measures.layering;
    if layering.against_count == 0 {
        return Vec::new();
    }
    let offending: Vec<(usize, usize, &PackageDependency)> = layering
        .matrix
        .iter()
        .filter(|pair| pair.against > 0)
        .filter_map(|pair| Some((packages.index(&pair.from)?, packages.index(&pair.to)?, pair)))
        .collect();
    let slot: FxHashMap<(usize, usize), usize> = offending
        .iter()
        .enumerate()
        .map(|(i, (from, to, _))| ((*from, *to), i))
        .collect();
    let mut first = vec![None; offending.len()];
    // Most edges stay inside their package: those are passed over before any lookup.
    for (edge, from, to) in packages.edges().filter(|(_, from, to)| from != to) {
        if let Some(&i) = slot.get(&(from, to)) {
            first[i].get_or_insert(edge);
        }
    }
    let (source, confidence) = match layering.source {
        LayerSource::Declared => ("declared", Confidence::High),
        LayerSource::Inferred => ("inferred", Confidence::Medium),
    };
    offending
        .iter()
        .zip(first)
        .filter_map(|((_, _, pair), edge)| {
            let evidence = crate::graph::evidence(&audit.architecture, edge?);
            let message = format!(
                "{} from `{}` to `{}` {} against the {source} layers, which put `{}` above `{}`{}; the first imports `{}`",
                plural(pair.against, "import"),
                pair.from,
                pair.to,
                if pair.against == 1 { "runs" } else { "run" },
                pair.to,
                pair.from,
                kinds(pair),
                evidence.to,
            );
            let severity = if pair.edges > pair.lazy + pair.typing_only {
                Severity::Medium
            } else {
                Severity::Low
            };
            Some(at_import(
                &LAYER_VIOLATION,
                &evidence,
                &[&pair.from, &pair.to],
                Judgement {
                    severity,
                    confidence,
                    message,
                },
            ))
        })
        .collect()
}

/// `(3 lazy, 1 typing-only)` of a pair's imports, when some are; all of a pair's imports
/// run against the layers or none do, so these are of the ones reported.
fn kinds(pair: &PackageDependency) -> String {
    let parts: Vec<String> = [(pair.lazy, "lazy"), (pair.typing_only, "typing-only")]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, kind)| format!("{} {kind}", int(n)))
        .collect();
    match parts.is_empty() {
        true => String::new(),
        false => format!(" ({})", parts.join(", ")),
    }
}
