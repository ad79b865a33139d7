//! The graph stage ("score"): after every analyzer has finished, measures the import graph
//! in `audit.architecture` (fan-in/out, hubs, god modules, cycles, layering,
//! encapsulation) and the surfaces' dependencies and blast radius. It reads and writes the
//! model only, and every step is linear in the number of edges.

mod cycles;
mod layering;
mod scc;
pub mod surfaces;

use crate::model::{
    Architecture, ArchitectureMeasures, Audit, EdgeEvidence, Encapsulation, ImportEdge, PackageMeasures, RankedModule,
};

/// How many modules the hub and god-module rankings keep.
pub const TOP: usize = 10;
/// How many examples an evidence list keeps (the count covers them all).
pub const EXAMPLES: usize = 50;

/// Fills `audit.architecture.measures` and the surfaces' dependencies and blast radius.
pub fn measure(audit: &mut Audit) {
    let architecture = &audit.architecture;
    let edges = valid_edges(architecture);
    let (fan_in, fan_out) = fans(architecture, &edges);
    let declared_layers = audit
        .surfaces
        .config
        .as_ref()
        .map(|c| c.layers.as_slice())
        .unwrap_or(&[]);
    let measures = ArchitectureMeasures {
        packages: packages(architecture, &edges),
        hubs: ranked(architecture, &fan_in, &fan_out, |m| m.fan_out as u64),
        god_modules: ranked(architecture, &fan_in, &fan_out, |m| m.score),
        cycles: cycles::measure(architecture, &edges),
        layering: layering::measure(architecture, &edges, declared_layers),
        encapsulation: encapsulation(architecture, &edges),
        fan_in,
        fan_out,
    };
    audit.architecture.measures = measures;
    surfaces::measure(audit);
    audit.findings.extend(unknown_layers(audit));
}

/// Declared layers that name no package; only judged when there is a graph to name.
fn unknown_layers(audit: &Audit) -> Vec<crate::model::Finding> {
    let (Some(config), false) = (&audit.surfaces.config, audit.architecture.modules.is_empty()) else {
        return Vec::new();
    };
    let packages = &audit.architecture.measures.packages;
    crate::analyzers::unknown_layers(config, |name| packages.iter().any(|p| p.name == name))
}

/// The edges whose ends name modules of the list; the extraction guarantees it, but a
/// wrong index must not bring the audit down.
fn valid_edges(architecture: &Architecture) -> Vec<&ImportEdge> {
    let n = architecture.modules.len();
    architecture.edges.iter().filter(|e| e.from < n && e.to < n).collect()
}

/// Import edges counted by kind: the lazy and typing-only ones are what breaks a cycle
/// at import time.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct KindCounts {
    pub edges: usize,
    pub lazy: usize,
    pub typing_only: usize,
}

impl KindCounts {
    pub fn add(&mut self, kind: crate::model::ImportKind) {
        use crate::model::ImportKind;
        self.edges += 1;
        match kind {
            ImportKind::Lazy => self.lazy += 1,
            ImportKind::TypingOnly => self.typing_only += 1,
            ImportKind::Eager => {}
        }
    }

    pub fn eager(&self) -> usize {
        self.edges - self.lazy - self.typing_only
    }
}

/// The edge as a reader can check it: importing file, imported file, line, statement.
pub(crate) fn evidence(architecture: &Architecture, edge: &ImportEdge) -> EdgeEvidence {
    EdgeEvidence {
        from: architecture.modules[edge.from].path.clone(),
        to: architecture.modules[edge.to].path.clone(),
        line: edge.line,
        kind: edge.kind,
        text: edge.text.clone(),
    }
}

/// Distinct importers and distinct imports of every module; an import of itself does not
/// count, nor does a second statement importing the same module.
fn fans(architecture: &Architecture, edges: &[&ImportEdge]) -> (Vec<usize>, Vec<usize>) {
    let n = architecture.modules.len();
    let mut pairs: Vec<(usize, usize)> = edges
        .iter()
        .filter(|e| e.from != e.to)
        .map(|e| (e.from, e.to))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let (mut fan_in, mut fan_out) = (vec![0; n], vec![0; n]);
    for (from, to) in pairs {
        fan_out[from] += 1;
        fan_in[to] += 1;
    }
    (fan_in, fan_out)
}

fn packages(architecture: &Architecture, edges: &[&ImportEdge]) -> Vec<PackageMeasures> {
    let mut by_name: std::collections::BTreeMap<&str, PackageMeasures> = Default::default();
    for module in &architecture.modules {
        let package = by_name.entry(&module.package).or_insert_with(|| PackageMeasures {
            name: module.package.clone(),
            ..Default::default()
        });
        package.modules += 1;
        package.code_lines += module.code_lines;
    }
    let mut pairs = std::collections::BTreeSet::new();
    for edge in edges {
        let (from, to) = (
            architecture.modules[edge.from].package.as_str(),
            architecture.modules[edge.to].package.as_str(),
        );
        if from == to {
            by_name.entry(from).or_default().internal_edges += 1;
            continue;
        }
        by_name.entry(from).or_default().edges_out += 1;
        by_name.entry(to).or_default().edges_in += 1;
        pairs.insert((from, to));
    }
    for (from, to) in pairs {
        by_name.entry(from).or_default().fan_out += 1;
        by_name.entry(to).or_default().fan_in += 1;
    }
    by_name.into_values().collect()
}

/// The [`TOP`] modules by `key`, highest first (ties by path), leaving out a key of zero.
fn ranked(
    architecture: &Architecture,
    fan_in: &[usize],
    fan_out: &[usize],
    key: impl Fn(&RankedModule) -> u64,
) -> Vec<RankedModule> {
    let mut all: Vec<RankedModule> = architecture
        .modules
        .iter()
        .enumerate()
        .map(|(i, m)| RankedModule {
            path: m.path.clone(),
            package: m.package.clone(),
            code_lines: m.code_lines,
            fan_in: fan_in[i],
            fan_out: fan_out[i],
            score: m.code_lines.saturating_mul(fan_in[i] as u64),
        })
        .filter(|m| key(m) > 0)
        .collect();
    all.sort_by(|a, b| key(b).cmp(&key(a)).then_with(|| a.path.cmp(&b.path)));
    all.truncate(TOP);
    all
}

/// Imports of another package's private modules: the imported path has a component that
/// starts with `_` and is not a dunder name (`__init__.py`, `__main__.py` are public
/// entry points, `_impl.py` and `_internal/` are not).
fn encapsulation(architecture: &Architecture, edges: &[&ImportEdge]) -> Encapsulation {
    let modules = &architecture.modules;
    let mut result = Encapsulation::default();
    for edge in edges {
        let (from, to) = (&modules[edge.from], &modules[edge.to]);
        if from.package == to.package || !is_private(&to.path) {
            continue;
        }
        result.private_imports += 1;
        if result.examples.len() < EXAMPLES {
            result.examples.push(evidence(architecture, edge));
        }
    }
    result
}

fn is_private(path: &str) -> bool {
    path.split('/').any(|component| {
        let stem = component.split('.').next().unwrap_or(component);
        let dunder = stem.len() > 4 && stem.starts_with("__") && stem.ends_with("__");
        stem.starts_with('_') && !dunder
    })
}

#[cfg(test)]
pub(crate) mod tests;
