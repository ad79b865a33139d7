//! Surfaces' dependencies and blast radius: which surfaces import from which (through the
//! module graph), and how far a change to each reaches, where `plumb.toml` does not say.
//!
//! The blast radius is a surface's reach, not its size: the modules of other surfaces that
//! depend on it through eager imports, directly or through any chain of modules, as a
//! share of the other surfaces' code lines in the import graph (see [`computed`]). A big
//! surface that nothing imports is low; a small one everything loads is critical.

use std::collections::BTreeSet;

use rayon::prelude::*;
use rustc_hash::FxHashSet as HashSet;

use crate::analyzers::SurfaceMatcher;
use crate::model::{Audit, BlastRadius, ImportEdge, ImportKind, Role, SurfaceReach};

/// What the graph says about the surfaces, measured read-only beside the other measures.
pub struct Connections {
    /// The pairs of different surfaces that an import edge links (importing, imported).
    pub links: BTreeSet<(usize, usize)>,
    /// Every surface's reach, indexed like the surfaces; empty without an import graph.
    pub reach: Vec<SurfaceReach>,
    /// For every surface, the test modules that import one of its modules directly
    /// (`None` for a surface with no module in the graph); empty without an import graph.
    pub test_importers: Vec<Option<usize>>,
}

/// `edges` are the valid ones: both ends name a module; `production` says which modules
/// are production code.
pub fn connections(audit: &Audit, edges: &[ImportEdge], production: &[bool]) -> Connections {
    let matcher = SurfaceMatcher::new(&audit.surfaces.surfaces);
    let surface_of: Vec<Option<usize>> = audit
        .architecture
        .modules
        .par_iter()
        .map(|m| matcher.surface_of(&m.path))
        .collect();
    let (reach, test_importers) = if audit.architecture.modules.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        (
            reach(audit, edges, &surface_of, production),
            test_importers(audit, edges, &surface_of),
        )
    };
    Connections {
        links: links(edges, &surface_of),
        reach,
        test_importers,
    }
}

/// How many test modules import each surface directly (any kind of import): the tests a
/// change to the surface is checked by, as far as the import graph can tell.
fn test_importers(audit: &Audit, edges: &[ImportEdge], surface_of: &[Option<usize>]) -> Vec<Option<usize>> {
    let modules = &audit.architecture.modules;
    let mut counts: Vec<Option<usize>> = vec![None; audit.surfaces.surfaces.len()];
    for surface in surface_of.iter().flatten() {
        counts[*surface] = Some(0);
    }
    let mut pairs: HashSet<(usize, usize)> = HashSet::default();
    for edge in edges {
        if modules[edge.from].role == Role::Test {
            if let Some(surface) = surface_of[edge.to] {
                pairs.insert((surface, edge.from));
            }
        }
    }
    for (surface, _) in pairs {
        *counts[surface].get_or_insert(0) += 1;
    }
    counts
}

/// The pairs of different surfaces that an import edge links, in order.
fn links(edges: &[ImportEdge], surface_of: &[Option<usize>]) -> BTreeSet<(usize, usize)> {
    // Distinct pairs in a hash set first: Linux has 335,000 edges and a few hundred pairs.
    let mut links: HashSet<(usize, usize)> = HashSet::default();
    for edge in edges {
        if let (Some(from), Some(to)) = (surface_of[edge.from], surface_of[edge.to]) {
            if from != to {
                links.insert((from, to));
            }
        }
    }
    links.into_iter().collect()
}

/// Every surface's dependents: a walk from its modules up the eager import edges
/// (importer of importer, through modules of any surface or of none), counting the
/// modules reached that belong to another surface. One walk per surface, each linear in
/// the edges, in parallel.
fn reach(audit: &Audit, edges: &[ImportEdge], surface_of: &[Option<usize>], production: &[bool]) -> Vec<SurfaceReach> {
    let modules = &audit.architecture.modules;
    let importers = eager_importers(modules.len(), edges);
    // Production code lines only, as the dependents counted below: the share compares
    // like with like.
    let mut surface_code = vec![0u64; audit.surfaces.surfaces.len()];
    for ((module, surface), &production) in modules.iter().zip(surface_of).zip(production) {
        if let Some(surface) = surface.filter(|_| production) {
            surface_code[surface] += module.code_lines;
        }
    }
    let graph_code: u64 = surface_code.iter().sum();
    (0..surface_code.len())
        .into_par_iter()
        .map(|surface| {
            let mut seen = vec![false; modules.len()];
            let mut stack: Vec<usize> = (0..modules.len()).filter(|&m| surface_of[m] == Some(surface)).collect();
            stack.iter().for_each(|&m| seen[m] = true);
            let mut reach = SurfaceReach {
                other_code_lines: graph_code - surface_code[surface],
                ..Default::default()
            };
            let mut surfaces_reached = BTreeSet::new();
            while let Some(module) = stack.pop() {
                for &importer in importers.of(module) {
                    if std::mem::replace(&mut seen[importer], true) {
                        continue;
                    }
                    stack.push(importer);
                    // Tests, examples and docs that import it are not the product depending on it.
                    if let Some(other) = surface_of[importer].filter(|&o| o != surface && production[importer]) {
                        reach.dependent_modules += 1;
                        reach.dependent_code_lines += modules[importer].code_lines;
                        surfaces_reached.insert(other);
                    }
                }
            }
            reach.dependent_surfaces = surfaces_reached.len();
            reach
        })
        .collect()
}

/// The importers of every module through eager edges, as one flat list with offsets.
struct Importers {
    start: Vec<usize>,
    list: Vec<usize>,
}

impl Importers {
    fn of(&self, module: usize) -> &[usize] {
        &self.list[self.start[module]..self.start[module + 1]]
    }
}

fn eager_importers(modules: usize, edges: &[ImportEdge]) -> Importers {
    let eager = || edges.iter().filter(|e| e.kind == ImportKind::Eager && e.from != e.to);
    let mut start = vec![0usize; modules + 1];
    for edge in eager() {
        start[edge.to + 1] += 1;
    }
    for i in 0..modules {
        start[i + 1] += start[i];
    }
    let mut next = start.clone();
    let mut list = vec![0usize; start[modules]];
    for edge in eager() {
        list[next[edge.to]] = edge.from;
        next[edge.to] += 1;
    }
    Importers { start, list }
}

/// Fills every surface's dependencies and reach (from [`connections`]) and blast radius.
pub fn measure(audit: &mut Audit, connections: &Connections) {
    let surfaces = &mut audit.surfaces.surfaces;
    let names: Vec<String> = surfaces.iter().map(|s| s.name.clone()).collect();
    for &(from, to) in &connections.links {
        surfaces[from].depends_on.push(names[to].clone());
        surfaces[to].depended_on_by.push(names[from].clone());
    }
    for (index, surface) in surfaces.iter_mut().enumerate() {
        surface.depends_on.sort();
        surface.depended_on_by.sort();
        surface.reach = connections.reach.get(index).copied();
        surface.test_importers = connections.test_importers.get(index).copied().flatten();
        let (radius, reason) = match surface.declared_blast_radius {
            Some(declared) => (declared, "declared in plumb.toml".to_string()),
            None => computed(surface.reach.as_ref()),
        };
        (surface.blast_radius, surface.blast_radius_reason) = (radius, reason);
    }
}

/// The rule: the share of the other surfaces' code lines (in the import graph) that
/// depends on the surface through eager imports, directly or transitively.
/// - critical: 50 % or more;
/// - high: 25 % or more;
/// - medium: 5 % or more;
/// - low: below 5 %, or nothing depends on it.
///
/// Lazy and typing-only imports do not count: a change behind them does not break the
/// importer when it loads. The surface's own size plays no part (it is its own column).
/// Without an import graph nothing is measured: the radius is low and the reason says
/// that the reach is unknown.
fn computed(reach: Option<&SurfaceReach>) -> (BlastRadius, String) {
    let Some(reach) = reach else {
        return (
            BlastRadius::Low,
            "reach not measured: no import graph (no language whose imports plumb resolves)".to_string(),
        );
    };
    let (part, whole) = (reach.dependent_code_lines, reach.other_code_lines);
    let radius = if part * 2 >= whole && part > 0 {
        BlastRadius::Critical
    } else if part * 4 >= whole && part > 0 {
        BlastRadius::High
    } else if part * 20 >= whole && part > 0 {
        BlastRadius::Medium
    } else {
        BlastRadius::Low
    };
    if reach.dependent_modules == 0 {
        return (
            radius,
            "no module of another surface depends on it through eager imports".to_string(),
        );
    }
    let reason = format!(
        "{} in {} ({} code lines, {} of theirs in the import graph) {} on it through eager imports",
        plural(reach.dependent_modules, "module"),
        plural(reach.dependent_surfaces, "other surface"),
        reach.dependent_code_lines,
        // Rounded as the Markdown table's reach column rounds it.
        crate::model::percent(part, whole),
        if reach.dependent_modules == 1 {
            "depends"
        } else {
            "depend"
        }
    );
    (radius, reason)
}

fn plural(count: usize, noun: &str) -> String {
    format!("{count} {noun}{}", if count == 1 { "" } else { "s" })
}
