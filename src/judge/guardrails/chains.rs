//! The part of the import graph a contract is judged on, and the imports that break it:
//! direct ones, and chains of imports through other modules (import-linter checks those
//! unless told not to). A chain is found by one breadth-first search backwards from the
//! forbidden modules, so a contract costs time linear in the graph's edges per pair of
//! modules it relates; a budget over all contracts keeps a hostile file from making that
//! quadratic.

use std::collections::VecDeque;

use crate::model::{Architecture, ImportEdge, Module};

/// Module and edge visits the contracts of one audit may cost in all ([`cost`]); past
/// it, chains are not searched, then pairs not checked, and the rows say so.
/// executorch's Python graph has 6,000 modules and 20,000 edges: this is 400 searches of
/// it, far more than real contracts make.
pub const BUDGET: usize = 10_000_000;

/// The modules and edges a tool's graph holds.
pub struct View<'a> {
    pub modules: &'a [Module],
    /// Whether the module is in the tool's graph.
    pub kept: Vec<bool>,
    pub edges: Vec<&'a ImportEdge>,
    /// Per module, the indices into `edges` of its imports, and of its importers.
    outgoing: Vec<Vec<u32>>,
    incoming: Vec<Vec<u32>>,
}

impl<'a> View<'a> {
    pub fn new(
        architecture: &'a Architecture,
        keep_module: impl Fn(&Module) -> bool,
        keep_edge: impl Fn(&ImportEdge) -> bool,
    ) -> View<'a> {
        let modules = &architecture.modules[..];
        let kept: Vec<bool> = modules.iter().map(keep_module).collect();
        let edges: Vec<&ImportEdge> = architecture
            .edges
            .iter()
            .filter(|e| e.from != e.to && kept[e.from] && kept[e.to] && keep_edge(e))
            .collect();
        let mut outgoing = vec![Vec::new(); modules.len()];
        let mut incoming = vec![Vec::new(); modules.len()];
        for (index, edge) in edges.iter().enumerate() {
            outgoing[edge.from].push(index as u32);
            incoming[edge.to].push(index as u32);
        }
        View {
            modules,
            kept,
            edges,
            outgoing,
            incoming,
        }
    }

    /// The module `name` and its descendants (`name.*`), as a mask over the modules.
    pub fn members(&self, name: &str) -> Vec<bool> {
        self.modules
            .iter()
            .zip(&self.kept)
            .map(|(m, kept)| *kept && is_within(&m.name, name))
            .collect()
    }
}

/// `module` is `name` or below it.
pub fn is_within(module: &str, name: &str) -> bool {
    module
        .strip_prefix(name)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

/// One import that breaks a contract: the edge, and for an indirect one the modules the
/// chain passes through after the edge's target, up to the forbidden module.
pub struct Violation<'a> {
    pub edge: &'a ImportEdge,
    pub via: Vec<usize>,
}

/// What a search relates: imports from `source` modules into `target` ones may not
/// happen; chains may pass only through modules in neither and not `blocked`.
pub struct Pair<'m> {
    pub source: &'m [bool],
    pub target: &'m [bool],
    pub blocked: &'m [bool],
}

/// What a search of one pair costs in the budget: a pass over the modules for the
/// direct imports, and one over the modules and edges for the chains.
pub fn cost(view: &View<'_>, indirect: bool) -> usize {
    view.modules.len()
        + if indirect {
            view.modules.len() + view.edges.len()
        } else {
            0
        }
}

/// The imports from the source into the target, every direct one; and, when `indirect`,
/// for each source module that imports none directly, the first step of one shortest
/// chain. Edges marked in `ignored` do not count, anywhere in a chain.
pub fn violations<'a>(view: &View<'a>, pair: &Pair<'_>, ignored: &[bool], indirect: bool) -> Vec<Violation<'a>> {
    let through = |m: usize| view.kept[m] && !pair.source[m] && !pair.target[m] && !pair.blocked[m];
    let next = if indirect {
        distances(view, pair.target, ignored, &through)
    } else {
        Vec::new()
    };
    let mut found = Vec::new();
    for source in (0..view.modules.len()).filter(|&m| pair.source[m]) {
        let mut direct = false;
        let mut best: Option<(u32, u32)> = None;
        for &index in &view.outgoing[source] {
            if ignored[index as usize] {
                continue;
            }
            let edge = view.edges[index as usize];
            if pair.target[edge.to] {
                direct = true;
                found.push(Violation { edge, via: Vec::new() });
            } else if let Some(&(distance, _)) = next.get(edge.to).filter(|(d, _)| *d != u32::MAX) {
                if through(edge.to) && best.is_none_or(|(d, _)| distance < d) {
                    best = Some((distance, index));
                }
            }
        }
        if let (false, Some((_, index))) = (direct, best) {
            let edge = view.edges[index as usize];
            found.push(Violation {
                edge,
                via: chain(view, &next, edge.to),
            });
        }
    }
    found
}

/// For every module: how many imports it is from a target module through modules that
/// `through` allows (`u32::MAX`: none), and the edge that starts its shortest way there.
fn distances(view: &View<'_>, target: &[bool], ignored: &[bool], through: &dyn Fn(usize) -> bool) -> Vec<(u32, u32)> {
    let mut next = vec![(u32::MAX, u32::MAX); view.modules.len()];
    let mut queue = VecDeque::new();
    for module in (0..view.modules.len()).filter(|&m| target[m]) {
        next[module].0 = 0;
        queue.push_back(module);
    }
    while let Some(module) = queue.pop_front() {
        let distance = next[module].0;
        for &index in &view.incoming[module] {
            let importer = view.edges[index as usize].from;
            if ignored[index as usize] || next[importer].0 != u32::MAX || !through(importer) {
                continue;
            }
            next[importer] = (distance + 1, index);
            queue.push_back(importer);
        }
    }
    next
}

/// The modules from `start` along the shortest way to a target, the target included.
fn chain(view: &View<'_>, next: &[(u32, u32)], start: usize) -> Vec<usize> {
    let mut modules = vec![start];
    let mut at = start;
    while next[at].0 > 0 && next[at].0 != u32::MAX {
        at = view.edges[next[at].1 as usize].to;
        modules.push(at);
    }
    modules
}

/// import-linter's and tach's patterns over dotted names: `*` stands for one name, `**`
/// for one or more.
pub fn dotted_match(pattern: &str, name: &str) -> bool {
    fn matches(pattern: &[&str], name: &[&str]) -> bool {
        match (pattern.split_first(), name.split_first()) {
            (None, None) => true,
            (Some((&"**", rest)), Some(_)) => (1..=name.len()).any(|n| matches(rest, &name[n..])),
            (Some((&"*", rest)), Some((_, tail))) => matches(rest, tail),
            (Some((part, rest)), Some((first, tail))) => part == first && matches(rest, tail),
            _ => false,
        }
    }
    let pattern: Vec<&str> = pattern.split('.').collect();
    let name: Vec<&str> = name.split('.').collect();
    matches(&pattern, &name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_stand_for_one_name_or_more() {
        assert!(dotted_match("pkg.*", "pkg.a"));
        assert!(!dotted_match("pkg.*", "pkg.a.b"));
        assert!(dotted_match("pkg.**", "pkg.a.b"));
        assert!(dotted_match("pkg.**.x", "pkg.a.b.x"));
        assert!(!dotted_match("pkg.**", "pkg"));
        assert!(dotted_match("pkg.a", "pkg.a"));
        assert!(is_within("pkg.a.b", "pkg.a") && !is_within("pkg.ab", "pkg.a"));
    }
}
