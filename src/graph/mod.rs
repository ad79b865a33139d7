//! The graph stage ("score"): after every analyzer has finished, measures the import graph
//! in `audit.architecture` (fan-in/out, hubs, god modules, cycles, layering,
//! encapsulation) and the surfaces' dependencies and blast radius, and gives Python test
//! files the framework of the base classes they import ([`frameworks`]). It reads and
//! writes the model only; every step is linear in the number of edges, but for one sort
//! of the distinct edge pairs.

use std::borrow::Cow;

use rustc_hash::FxHashSet;

mod cycles;
pub mod frameworks;
mod layering;
mod scc;
mod surfaces;

use crate::model::{
    Architecture, ArchitectureMeasures, Audit, EdgeEvidence, Encapsulation, ImportEdge, PackageMeasures, RankedModule,
    Role,
};

/// How many modules the hub and god-module rankings keep.
pub const TOP: usize = 10;
/// How many examples an evidence list keeps (the count covers them all).
pub const EXAMPLES: usize = 50;

/// Fills `audit.architecture.measures` and the surfaces' dependencies and blast radius.
pub fn measure(audit: &mut Audit) {
    let architecture = &audit.architecture;
    let edges = valid_edges(architecture);
    let index = PackageIndex::new(architecture);
    // Judged once per module: the fans read it per edge, each surface's reach per module
    // reached (executorch: 40 walks over 6,000 modules, each judgement a split path).
    let production: Vec<bool> = {
        use rayon::prelude::*;
        architecture.modules.par_iter().map(is_production).collect()
    };
    let declared_layers = audit
        .surfaces
        .config
        .as_ref()
        .map(|c| c.layers.as_slice())
        .unwrap_or(&[]);
    // Five independent measures, in two halves of about equal time (Linux: cycles and
    // fan-in/out against the rest).
    let ((cycles, (fan_in, fan_in_production, fan_out)), ((packages, encapsulation), (layering, surface_connections))) =
        rayon::join(
            || rayon::join(|| cycles::measure(architecture, &edges), || fans(&production, &edges)),
            || {
                rayon::join(
                    || {
                        (
                            packages(architecture, &index, &edges),
                            encapsulation(architecture, &index, &edges),
                        )
                    },
                    || {
                        rayon::join(
                            || layering::measure(architecture, &index, &edges, declared_layers),
                            || surfaces::connections(audit, &edges, &production),
                        )
                    },
                )
            },
        );
    let fans = Fans {
        all: &fan_in,
        production: &fan_in_production,
        out: &fan_out,
    };
    let measures = ArchitectureMeasures {
        packages,
        hubs: ranked(architecture, &fans, |i| fan_out[i] as u64),
        god_modules: ranked(architecture, &fans, |i| {
            let module = &architecture.modules[i];
            let counted = production[i] && !matches!(module.role, Role::Data | Role::Generated);
            if counted {
                god_score(module.code_lines, fan_in_production[i])
            } else {
                0
            }
        }),
        cycles,
        layering,
        encapsulation,
        fan_in,
        fan_in_production,
        fan_out,
    };
    audit.architecture.measures = measures;
    surfaces::measure(audit, &surface_connections);
    audit.findings.extend(unknown_layers(audit));
    frameworks::inherit(audit);
}

/// Sets every module's package by the rule the surfaces were derived with (see
/// `analyzers::packages`); runs before [`measure`], which aggregates by it.
pub fn assign_packages(audit: &mut Audit) {
    let partition = crate::analyzers::Partition::new(&audit.surfaces.package_rule);
    // A package depends on the module's directory only, and the modules are in path
    // order, so a directory's modules come together: its package is found once, not once
    // per module (each a walk up its directories and a new name).
    let mut last: Option<(String, String)> = None;
    for module in &mut audit.architecture.modules {
        // A Go module is a package directory, every other one a file.
        let is_dir = module.language == "Go" && !module.path.ends_with(".go");
        let dir = match is_dir {
            true => module.path.as_str(),
            false => module.path.rfind('/').map_or("", |i| &module.path[..i]),
        };
        match &last {
            Some((at, package)) if at == dir => module.package = package.clone(),
            _ => {
                let package = partition.package(&module.path, is_dir).name;
                last = Some((dir.to_string(), package.clone()));
                module.package = package;
            }
        }
    }
}

/// Declared layers that name no package; only judged when there is a graph to name.
fn unknown_layers(audit: &Audit) -> Vec<crate::model::Finding> {
    let (Some(config), false) = (&audit.surfaces.config, audit.architecture.modules.is_empty()) else {
        return Vec::new();
    };
    let packages = &audit.architecture.measures.packages;
    crate::analyzers::unknown_layers(config, |name| packages.iter().any(|p| p.name == name))
}

/// The edges whose ends name modules of the list; the extraction guarantees it (then the
/// list is borrowed as it is), but a wrong index must not bring the audit down.
pub(crate) fn valid_edges(architecture: &Architecture) -> Cow<'_, [ImportEdge]> {
    let n = architecture.modules.len();
    let valid = |e: &&ImportEdge| e.from < n && e.to < n;
    if architecture.edges.iter().all(|e| valid(&e)) {
        Cow::Borrowed(&architecture.edges)
    } else {
        Cow::Owned(architecture.edges.iter().filter(valid).cloned().collect())
    }
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
        text: edge.text.to_string(),
        guard: edge.guard.as_deref().cloned(),
    }
}

/// Distinct importers (all, and production ones) and distinct imports of every module; an
/// import of itself does not count, nor does a second statement importing the same module.
/// `production` says which modules are production code.
fn fans(production: &[bool], edges: &[ImportEdge]) -> (Vec<usize>, Vec<usize>, Vec<usize>) {
    let n = production.len();
    let mut pairs: Vec<(usize, usize)> = edges
        .iter()
        .filter(|e| e.from != e.to)
        .map(|e| (e.from, e.to))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let (mut fan_in, mut fan_in_production, mut fan_out) = (vec![0; n], vec![0; n], vec![0; n]);
    for (from, to) in pairs {
        fan_out[from] += 1;
        fan_in[to] += 1;
        fan_in_production[to] += usize::from(production[from]);
    }
    (fan_in, fan_in_production, fan_out)
}

/// Production code: not a test or docs file, and not below a folder of examples, samples,
/// demos, tutorials, benchmarks or docs ([`crate::scan::role::shows_the_product`]). A
/// `__init__.py` that hundreds of tests and examples import is not central to the product
/// for that; what production code imports it says.
pub(crate) fn is_production(module: &crate::model::Module) -> bool {
    !crate::scan::role::shows_the_product(&module.path) && !matches!(module.role, Role::Test | Role::Docs)
}

/// The three fans of every module, for the rankings.
struct Fans<'a> {
    all: &'a [usize],
    production: &'a [usize],
    out: &'a [usize],
}

/// Packages by index, so that per-edge work compares integers, not names.
pub(crate) struct PackageIndex<'a> {
    /// Package names, sorted.
    pub names: Vec<&'a str>,
    /// The package of every module.
    pub of: Vec<usize>,
}

impl<'a> PackageIndex<'a> {
    pub(crate) fn new(architecture: &'a Architecture) -> PackageIndex<'a> {
        let set: std::collections::BTreeSet<&str> = architecture.modules.iter().map(|m| m.package.as_str()).collect();
        let names: Vec<&str> = set.into_iter().collect();
        let of = architecture
            .modules
            .iter()
            .map(|m| names.binary_search(&m.package.as_str()).unwrap_or_default())
            .collect();
        PackageIndex { names, of }
    }
}

fn packages(architecture: &Architecture, index: &PackageIndex<'_>, edges: &[ImportEdge]) -> Vec<PackageMeasures> {
    let mut packages: Vec<PackageMeasures> = index
        .names
        .iter()
        .map(|name| PackageMeasures {
            name: name.to_string(),
            ..Default::default()
        })
        .collect();
    for (module, &package) in architecture.modules.iter().zip(&index.of) {
        packages[package].modules += 1;
        packages[package].code_lines += module.code_lines;
    }
    // Distinct pairs in a hash set: many edges, few pairs of packages.
    let mut pairs: FxHashSet<(usize, usize)> = FxHashSet::default();
    for edge in edges {
        let (from, to) = (index.of[edge.from], index.of[edge.to]);
        if from == to {
            packages[from].internal_edges += 1;
            continue;
        }
        packages[from].edges_out += 1;
        packages[to].edges_in += 1;
        pairs.insert((from, to));
    }
    for (from, to) in pairs {
        packages[from].fan_out += 1;
        packages[to].fan_in += 1;
    }
    packages
}

/// The [`TOP`] modules by `key` of their index, highest first, ties by path, leaving out
/// a key of zero. Only the kept ones are built: the graph can have 100k modules.
fn ranked(architecture: &Architecture, fans: &Fans<'_>, key: impl Fn(usize) -> u64) -> Vec<RankedModule> {
    let modules = &architecture.modules;
    let mut order: Vec<(std::cmp::Reverse<u64>, usize)> = (0..modules.len())
        .map(|i| (std::cmp::Reverse(key(i)), i))
        .filter(|(k, _)| k.0 > 0)
        .collect();
    // Modules are sorted by path, so the index breaks ties by path.
    if order.len() > TOP {
        order.select_nth_unstable(TOP);
        order.truncate(TOP);
    }
    order.sort_unstable();
    order
        .into_iter()
        .map(|(_, i)| RankedModule {
            path: modules[i].path.clone(),
            package: modules[i].package.clone(),
            code_lines: modules[i].code_lines,
            fan_in: fans.all[i],
            fan_in_production: fans.production[i],
            fan_out: fans.out[i],
            score: god_score(modules[i].code_lines, fans.production[i]),
        })
        .collect()
}

/// A god module is big and depended on by the product: code lines × production fan-in.
fn god_score(code_lines: u64, fan_in: usize) -> u64 {
    code_lines.saturating_mul(fan_in as u64)
}

/// Imports of another package's private modules: the imported path has a component that
/// starts with `_` and is not a dunder name (`__init__.py`, `__main__.py` are public
/// entry points, `_impl.py` and `_internal/` are not).
fn encapsulation(architecture: &Architecture, index: &PackageIndex<'_>, edges: &[ImportEdge]) -> Encapsulation {
    let modules = &architecture.modules;
    // Judged once per module, not once per edge: there are several edges per module.
    let private: Vec<bool> = modules.iter().map(|m| is_private(&m.path)).collect();
    let mut result = Encapsulation::default();
    for edge in edges {
        if !private[edge.to] || index.of[edge.from] == index.of[edge.to] {
            continue;
        }
        result.private_imports += 1;
        if result.examples.len() < EXAMPLES {
            result.examples.push(evidence(architecture, edge));
        }
    }
    result
}

pub(crate) fn is_private(path: &str) -> bool {
    // Most paths have no component that starts with `_`: one search says so.
    let bytes = path.as_bytes();
    let starts_a_component = |i: usize| i == 0 || bytes[i - 1] == b'/';
    if !memchr::memchr_iter(b'_', bytes).any(starts_a_component) {
        return false;
    }
    path.split('/').any(|component| {
        let stem = component.split('.').next().unwrap_or(component);
        let dunder = stem.len() > 4 && stem.starts_with("__") && stem.ends_with("__");
        stem.starts_with('_') && !dunder
    })
}

#[cfg(test)]
pub(crate) mod tests;
