//! Import cycles: the strongly connected components of the module graph, one shortest
//! cycle of each written out edge by edge, and whether lazy or typing-only imports are
//! what keeps it from failing at import time.

use crate::model::{Architecture, CycleComponent, Cycles, ImportEdge, ImportKind};

use super::scc::{shortest_cycle, tarjan, Components, Digraph, Visit};
use super::{evidence, KindCounts};

pub fn measure(architecture: &Architecture, edges: &[ImportEdge]) -> Cycles {
    let n = architecture.modules.len();
    let graph = Digraph::new(n, edges.iter().map(|e| (e.from, e.to)));
    let components = tarjan(&graph);
    let sizes = components.sizes();
    let eager = eager_cyclic(n, edges);
    let tallies = tally_inside(edges, &components);
    let mut seen = vec![Visit::NONE; n];
    let mut result = Cycles::default();
    for (stamp, members) in components.members().into_iter().enumerate() {
        let Some(&first) = members.first() else { continue };
        if !components.cyclic(&graph, &sizes, first) {
            continue;
        }
        result.modules_in_cycles += members.len();
        let cycle = shortest_cycle(&graph, &components, first, &mut seen, stamp);
        let tally = tallies[components.of[first]];
        result
            .components
            .push(component(architecture, edges, &members, tally, &eager, &cycle));
    }
    result.components.sort_by(|a, b| {
        b.modules
            .len()
            .cmp(&a.modules.len())
            .then_with(|| a.modules.cmp(&b.modules))
    });
    result
}

/// Whether each module lies on a cycle made of eager imports only.
fn eager_cyclic(n: usize, edges: &[ImportEdge]) -> Vec<bool> {
    let eager: Vec<&ImportEdge> = edges.iter().filter(|e| e.kind == ImportKind::Eager).collect();
    let graph = Digraph::new(n, eager.iter().map(|e| (e.from, e.to)));
    let components = tarjan(&graph);
    let sizes = components.sizes();
    (0..n).map(|v| components.cyclic(&graph, &sizes, v)).collect()
}

/// Edges inside each component: all, lazy, typing-only; one pass over the edges.
fn tally_inside(edges: &[ImportEdge], components: &Components) -> Vec<KindCounts> {
    let mut tallies = vec![KindCounts::default(); components.count];
    for edge in edges {
        let id = components.of[edge.from];
        if components.of[edge.to] != id {
            continue;
        }
        tallies[id].add(edge.kind);
    }
    tallies
}

fn component(
    architecture: &Architecture,
    edges: &[ImportEdge],
    members: &[usize],
    tally: KindCounts,
    eager: &[bool],
    cycle: &[usize],
) -> CycleComponent {
    CycleComponent {
        // Members are ascending indices and modules are sorted by path: paths in order.
        modules: members.iter().map(|&m| architecture.modules[m].path.clone()).collect(),
        edges: tally.edges,
        lazy_edges: tally.lazy,
        typing_only_edges: tally.typing_only,
        eager_cycle: members.iter().any(|&m| eager[m]),
        shortest: cycle.iter().map(|&e| evidence(architecture, &edges[e])).collect(),
    }
}
