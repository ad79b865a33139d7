//! Strongly connected components and shortest cycles, without recursion: the module graph
//! of a large repository has 100k nodes and a chain that deep would overflow the stack.
//!
//! Hand-written rather than `petgraph::algo::tarjan_scc` because the callers need the edge
//! of every step (its line is the evidence), a filter on edge kinds, and the components in
//! completion order (sinks first) for layering; building a petgraph copy of the graph for
//! each of those costs more code than the forty lines of Tarjan below.

/// A directed graph in compressed adjacency form: the out-edges of node `v` are
/// `out[start[v]..start[v + 1]]`, each `(target, edge id)`, in the order they were given.
pub struct Digraph {
    start: Vec<usize>,
    out: Vec<(usize, usize)>,
}

impl Digraph {
    /// `edges[i] = (from, to)` gets id `i`; every endpoint must be below `nodes`.
    pub fn new(nodes: usize, edges: impl Iterator<Item = (usize, usize)> + Clone) -> Digraph {
        let mut start = vec![0usize; nodes + 1];
        for (from, _) in edges.clone() {
            start[from + 1] += 1;
        }
        for v in 0..nodes {
            start[v + 1] += start[v];
        }
        let mut next = start.clone();
        let mut out = vec![(0, 0); start[nodes]];
        for (id, (from, to)) in edges.enumerate() {
            out[next[from]] = (to, id);
            next[from] += 1;
        }
        Digraph { start, out }
    }

    pub fn nodes(&self) -> usize {
        self.start.len() - 1
    }

    pub fn successors(&self, v: usize) -> &[(usize, usize)] {
        &self.out[self.start[v]..self.start[v + 1]]
    }
}

/// The component of every node, numbered in the order Tarjan completes them: every edge
/// leaving a component goes to one with a smaller number (sinks come first).
pub struct Components {
    pub of: Vec<usize>,
    pub count: usize,
}

const UNVISITED: usize = usize::MAX;

/// Tarjan's algorithm with an explicit call stack: linear in nodes and edges.
pub fn tarjan(graph: &Digraph) -> Components {
    let n = graph.nodes();
    let mut state = Tarjan {
        index: vec![UNVISITED; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        calls: Vec::new(),
        counter: 0,
        components: Components {
            of: vec![0; n],
            count: 0,
        },
    };
    for root in 0..n {
        if state.index[root] == UNVISITED {
            state.enter(root);
            state.run(graph);
        }
    }
    state.components
}

struct Tarjan {
    index: Vec<usize>,
    low: Vec<usize>,
    on_stack: Vec<bool>,
    stack: Vec<usize>,
    /// The recursion of the textbook version: each node with the position of its next
    /// out-edge to look at.
    calls: Vec<(usize, usize)>,
    counter: usize,
    components: Components,
}

impl Tarjan {
    fn enter(&mut self, v: usize) {
        (self.index[v], self.low[v], self.on_stack[v]) = (self.counter, self.counter, true);
        self.counter += 1;
        self.stack.push(v);
        self.calls.push((v, 0));
    }

    fn run(&mut self, graph: &Digraph) {
        while let Some((v, next)) = self.calls.last_mut() {
            let v = *v;
            if let Some(&(w, _)) = graph.successors(v).get(*next) {
                *next += 1;
                if self.index[w] == UNVISITED {
                    self.enter(w);
                } else if self.on_stack[w] {
                    self.low[v] = self.low[v].min(self.index[w]);
                }
                continue;
            }
            self.calls.pop();
            if let Some(&(parent, _)) = self.calls.last() {
                self.low[parent] = self.low[parent].min(self.low[v]);
            }
            if self.low[v] == self.index[v] {
                self.close(v);
            }
        }
    }

    /// Pops the component whose root is `v` off the stack.
    fn close(&mut self, v: usize) {
        while let Some(w) = self.stack.pop() {
            self.on_stack[w] = false;
            self.components.of[w] = self.components.count;
            if w == v {
                break;
            }
        }
        self.components.count += 1;
    }
}

impl Components {
    /// The members of every component, each list ascending.
    pub fn members(&self) -> Vec<Vec<usize>> {
        let mut members = vec![Vec::new(); self.count];
        for (v, &c) in self.of.iter().enumerate() {
            members[c].push(v);
        }
        members
    }

    /// Whether node `v` lies on a cycle: its component has another node, or it has an
    /// edge to itself.
    pub fn cyclic(&self, graph: &Digraph, sizes: &[usize], v: usize) -> bool {
        sizes[self.of[v]] > 1 || graph.successors(v).iter().any(|&(w, _)| w == v)
    }

    pub fn sizes(&self) -> Vec<usize> {
        let mut sizes = vec![0; self.count];
        for &c in &self.of {
            sizes[c] += 1;
        }
        sizes
    }
}

/// Where a breadth-first search reached a node from: its stamp (which search), the
/// previous node and the edge taken.
#[derive(Clone, Copy)]
pub struct Visit {
    stamp: usize,
    parent: usize,
    edge: usize,
}

impl Visit {
    pub const NONE: Visit = Visit {
        stamp: usize::MAX,
        parent: usize::MAX,
        edge: usize::MAX,
    };
}

/// Breadth-first search for a shortest cycle through `source` that stays inside its
/// component; returns the edge ids in order. `seen` is scratch space of one entry per
/// node, stamped per search, so that many searches together stay linear in edges.
pub fn shortest_cycle(
    graph: &Digraph,
    components: &Components,
    source: usize,
    seen: &mut [Visit],
    stamp: usize,
) -> Vec<usize> {
    let component = components.of[source];
    let mut queue = std::collections::VecDeque::from([source]);
    seen[source] = Visit {
        stamp,
        parent: usize::MAX,
        edge: usize::MAX,
    };
    while let Some(v) = queue.pop_front() {
        for &(w, edge) in graph.successors(v) {
            if w == source {
                return path_back(seen, v, edge);
            }
            if components.of[w] == component && seen[w].stamp != stamp {
                seen[w] = Visit { stamp, parent: v, edge };
                queue.push_back(w);
            }
        }
    }
    Vec::new()
}

/// The edges from the search's source to `last`, then `closing`.
fn path_back(seen: &[Visit], last: usize, closing: usize) -> Vec<usize> {
    let mut path = vec![closing];
    let mut v = last;
    while seen[v].parent != usize::MAX {
        path.push(seen[v].edge);
        v = seen[v].parent;
    }
    path.reverse();
    path
}
