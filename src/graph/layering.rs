//! Layering between packages: the package dependency matrix, the layers (declared in
//! `plumb.toml`, or inferred from the package graph), and the import edges that run
//! against them.
//!
//! Inferred layers: the packages' strongly connected components, condensed, form an
//! acyclic graph; a component's layer is the length of the longest path below it (0 for
//! one that imports no other package). Packages of one component share a layer, and inside
//! it the rule of [`rank_inside`] decides which of their edges run against the grain.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use crate::model::{Architecture, ImportEdge, LayerDecl, LayerSource, Layering, PackageDependency};

use super::scc::{tarjan, Components, Digraph};
use super::{evidence, KindCounts, PackageIndex, EXAMPLES};

pub fn measure(
    architecture: &Architecture,
    index: &PackageIndex<'_>,
    edges: &[ImportEdge],
    declared: &[LayerDecl],
) -> Layering {
    let (names, package_of) = (&index.names, &index.of);
    let matrix = matrix(edges, package_of);
    let mut against: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    let graph = Digraph::new(names.len(), matrix.keys().copied());
    let components = tarjan(&graph);
    let mut layering = Layering {
        package_cycles: package_cycles(&components, names),
        ..Default::default()
    };
    let rank = if declared.is_empty() {
        layering.layers = inferred_layers(&components, &matrix, names);
        inferred_rank(&components, &matrix)
    } else {
        layering.source = LayerSource::Declared;
        layering.layers = declared.iter().map(|d| vec![d.package.clone()]).collect();
        declared_rank(declared, names)
    };
    for edge in edges {
        let (from, to) = (package_of[edge.from], package_of[edge.to]);
        if from != to && runs_against(&rank, from, to) {
            layering.against_count += 1;
            *against.entry((from, to)).or_default() += 1;
            if layering.against.len() < EXAMPLES {
                layering.against.push(evidence(architecture, edge));
            }
        }
    }
    layering.matrix = matrix
        .into_iter()
        .map(|((from, to), counts)| PackageDependency {
            from: names[from].to_string(),
            to: names[to].to_string(),
            edges: counts.edges,
            lazy: counts.lazy,
            typing_only: counts.typing_only,
            against: against.get(&(from, to)).copied().unwrap_or(0),
        })
        .collect();
    layering
}

/// Where a package sits: higher layers may import lower ones. `None`: not judged (a
/// package the declared layers do not name).
type Rank = Vec<Option<(usize, usize)>>;

/// An edge runs against the layering when a package imports one ranked above it.
fn runs_against(rank: &Rank, from: usize, to: usize) -> bool {
    matches!((rank[from], rank[to]), (Some(a), Some(b)) if a < b)
}

/// Edge counts between two different packages, by kind: counted in a hash map, then
/// sorted (Linux: 335,000 edges between a few hundred pairs of packages).
fn matrix(edges: &[ImportEdge], package_of: &[usize]) -> BTreeMap<(usize, usize), KindCounts> {
    let mut matrix: FxHashMap<(usize, usize), KindCounts> = FxHashMap::default();
    for edge in edges {
        let key = (package_of[edge.from], package_of[edge.to]);
        if key.0 != key.1 {
            matrix.entry(key).or_default().add(edge.kind);
        }
    }
    matrix.into_iter().collect()
}

fn package_cycles(components: &Components, names: &[&str]) -> Vec<Vec<String>> {
    let mut cycles: Vec<Vec<String>> = components
        .members()
        .into_iter()
        .filter(|m| m.len() > 1)
        .map(|m| m.iter().map(|&p| names[p].to_string()).collect())
        .collect();
    cycles.sort();
    cycles
}

/// The layer of every component: 0 when it imports no other component, else one above
/// the highest component it imports. Tarjan numbers a component after every component it
/// reaches, so one pass in number order sees each import's layer final.
fn depths(components: &Components, matrix: &BTreeMap<(usize, usize), KindCounts>) -> Vec<usize> {
    let mut links: Vec<(usize, usize)> = matrix
        .keys()
        .map(|&(from, to)| (components.of[from], components.of[to]))
        .filter(|(a, b)| a != b)
        .collect();
    links.sort_unstable();
    let mut depth = vec![0usize; components.count];
    for (from, to) in links {
        depth[from] = depth[from].max(depth[to] + 1);
    }
    depth
}

fn inferred_layers(
    components: &Components,
    matrix: &BTreeMap<(usize, usize), KindCounts>,
    names: &[&str],
) -> Vec<Vec<String>> {
    let depth = depths(components, matrix);
    let mut layers: BTreeMap<std::cmp::Reverse<usize>, Vec<String>> = BTreeMap::new();
    for (package, name) in names.iter().enumerate() {
        let layer = depth[components.of[package]];
        layers
            .entry(std::cmp::Reverse(layer))
            .or_default()
            .push(name.to_string());
    }
    layers.into_values().collect()
}

fn inferred_rank(components: &Components, matrix: &BTreeMap<(usize, usize), KindCounts>) -> Rank {
    let depth = depths(components, matrix);
    let inside = rank_inside(components, matrix);
    (0..components.of.len())
        .map(|p| Some((depth[components.of[p]], inside[p])))
        .collect()
}

/// Inside a cycle of packages every order leaves some edge pointing up; the rule: the
/// package more depended on within the cycle sits lower. "More depended on" is eager
/// imports in minus eager imports out, from and to its other members — lazy and
/// typing-only imports are how a reverse import is usually written, so they do not count —
/// then the same with every import, then the name. Edges from a lower package to a higher
/// one are the ones reported, so a cycle always shows at least one edge, and the reverse
/// imports of a mostly one-way pair are the ones named.
fn rank_inside(components: &Components, matrix: &BTreeMap<(usize, usize), KindCounts>) -> Vec<usize> {
    let n = components.of.len();
    let (mut eager_net, mut net) = (vec![0i64; n], vec![0i64; n]);
    for (&(from, to), dependency) in matrix {
        if components.of[from] == components.of[to] {
            let eager = dependency.eager() as i64;
            (eager_net[to], eager_net[from]) = (eager_net[to] + eager, eager_net[from] - eager);
            (net[to], net[from]) = (net[to] + dependency.edges as i64, net[from] - dependency.edges as i64);
        }
    }
    let mut rank = vec![0usize; n];
    for mut members in components.members() {
        // `members` is ascending and package indices follow names, so ties go by name.
        members.sort_by_key(|&p| (std::cmp::Reverse(eager_net[p]), std::cmp::Reverse(net[p])));
        for (position, &p) in members.iter().enumerate() {
            rank[p] = position;
        }
    }
    rank
}

/// Declared layers: the first entry is the top. Packages not named are not judged.
fn declared_rank(declared: &[LayerDecl], names: &[&str]) -> Rank {
    names
        .iter()
        .map(|name| {
            declared
                .iter()
                .position(|d| d.package == *name)
                .map(|position| (declared.len() - position, 0))
        })
        .collect()
}
