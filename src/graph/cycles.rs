//! Import cycles: the strongly connected components of the module graph, one shortest
//! cycle of each written out edge by edge; once over every import edge and once over the
//! eager ones alone. The eager cycles are the ones that run when the modules load (a
//! lazy or typing-only import breaks a cycle at import time): scores and rankings read
//! those, and each all-edge component says how many of its modules are in one.

use crate::model::{Architecture, CycleComponent, CycleSet, Cycles, ImportEdge, ImportKind};

use super::scc::{shortest_cycle, tarjan, Components, Digraph, Visit};
use super::{evidence, KindCounts};

pub fn measure(architecture: &Architecture, edges: &[ImportEdge]) -> Cycles {
    let eager_edges: Vec<&ImportEdge> = edges.iter().filter(|e| e.kind == ImportKind::Eager).collect();
    let (eager, in_eager_cycle) = components(architecture, &eager_edges, &[]);
    // Every edge eager (C and Rust trees, Linux's 335,000 edges): one graph, measured once.
    let every = if eager_edges.len() == edges.len() {
        eager.clone()
    } else {
        let all: Vec<&ImportEdge> = edges.iter().collect();
        components(architecture, &all, &in_eager_cycle).0
    };
    Cycles {
        modules_in_cycles: every.modules_in_cycles,
        components: every.components,
        eager,
    }
}

/// The cyclic components of the graph of `edges`, and whether each module is in one;
/// `in_eager_cycle` (empty for the eager graph itself) is that flag on the eager graph.
fn components(architecture: &Architecture, edges: &[&ImportEdge], in_eager_cycle: &[bool]) -> (CycleSet, Vec<bool>) {
    let n = architecture.modules.len();
    let graph = Digraph::new(n, edges.iter().map(|e| (e.from, e.to)));
    let components = tarjan(&graph);
    let sizes = components.sizes();
    let cyclic: Vec<bool> = (0..n).map(|v| components.cyclic(&graph, &sizes, v)).collect();
    // The graph of eager edges is its own eager graph.
    let in_eager_cycle = if in_eager_cycle.is_empty() {
        &cyclic
    } else {
        in_eager_cycle
    };
    let tallies = tally_inside(edges, &components);
    let mut seen = vec![Visit::NONE; n];
    let mut result = CycleSet::default();
    for (stamp, members) in components.members().into_iter().enumerate() {
        let Some(&first) = members.first() else { continue };
        if !cyclic[first] {
            continue;
        }
        result.modules_in_cycles += members.len();
        let cycle = shortest_cycle(&graph, &components, first, &mut seen, stamp);
        let tally = tallies[components.of[first]];
        result
            .components
            .push(component(architecture, edges, &members, tally, in_eager_cycle, &cycle));
    }
    result.components.sort_by(|a, b| {
        b.modules
            .len()
            .cmp(&a.modules.len())
            .then_with(|| a.modules.cmp(&b.modules))
    });
    (result, cyclic)
}

/// Edges inside each component: all, lazy, typing-only; one pass over the edges.
fn tally_inside(edges: &[&ImportEdge], components: &Components) -> Vec<KindCounts> {
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
    edges: &[&ImportEdge],
    members: &[usize],
    tally: KindCounts,
    in_eager_cycle: &[bool],
    cycle: &[usize],
) -> CycleComponent {
    let eager_modules = members.iter().filter(|&&m| in_eager_cycle[m]).count();
    CycleComponent {
        // Members are ascending indices and modules are sorted by path: paths in order.
        modules: members.iter().map(|&m| architecture.modules[m].path.clone()).collect(),
        edges: tally.edges,
        lazy_edges: tally.lazy,
        typing_only_edges: tally.typing_only,
        eager_cycle: eager_modules > 0,
        eager_modules,
        shortest: cycle.iter().map(|&e| evidence(architecture, edges[e])).collect(),
    }
}
