//! `import-cycle`: each strongly connected component of the eager import graph
//! (`cycles.eager`), at the first import of its shortest cycle. `package-cycle`: each group
//! of packages that import one another (`layering.package_cycles`).

use rustc_hash::FxHashSet;

use crate::model::{Audit, Confidence, CycleComponent, Finding, Role, Rule, Severity};

use super::{at_import, int, plural, Judgement, Packages};

pub const IMPORT_CYCLE: Rule = Rule {
    group: "architecture",
    id: "import-cycle",
    title: "modules that import one another when they load",
    help: "These modules import one another through eager imports (those that run when a module loads; in C and C++, includes), so none of them can be moved, split, tested or reused alone, and which one sees the other half-initialised depends on the import order. Lazy and typing-only imports do not close a cycle here; cycles of Rust modules only are left out (a crate compiles as a whole), and so are cycles of generated files only (their generator is what to change). Before a refactor moves code across these modules, break the cycle at one import: move what both sides need into a lower module, invert the dependency, or make the import lazy (inside the function that needs it, or under `if TYPE_CHECKING:` for annotations). Reported once per cycle of 2 modules or more, at the first import of one shortest cycle, which starts at the component's first module by path; high from 10 modules.",
};

pub const PACKAGE_CYCLE: Rule = Rule {
    group: "architecture",
    id: "package-cycle",
    title: "packages that import one another",
    help: "Each of these packages imports another of the group, directly or through the others, so no order of layers fits them: none can be extracted, released or tested without the rest, and a layering rule cannot be enforced until the cycle is broken. With inferred layers, the imports that close it are the ones against the layers, reported per pair of packages as `layer-violation`: remove those (move the shared code down, or invert the dependency). Reported once per cycle, at its first import against the layers in path order (or its first import between two of its packages); high from 3 packages.",
};

/// The smallest component reported: every cycle of modules; a module that imports itself
/// does not make one.
pub const IMPORT_CYCLE_MIN_MODULES: usize = 2;
/// From this many modules a cycle is high severity: a tangle one import cannot cut.
pub const IMPORT_CYCLE_HIGH_MODULES: usize = 10;
/// From this many packages a package cycle is high severity; two packages that import
/// each other are one package in two folders, more are a knot.
pub const PACKAGE_CYCLE_HIGH_PACKAGES: usize = 3;
/// How many modules of a shortest cycle a message names before it says how many more.
const SHOWN_STEPS: usize = 8;

pub fn import_cycles(audit: &Audit) -> Vec<Finding> {
    judged_cycles(audit).filter_map(import_cycle).collect()
}

/// The eager cycles the rule judges: of 2 modules or more, not of Rust modules only, not
/// of generated files only. The scores and the ranking count these, as the rule does.
pub fn judged_cycles(audit: &Audit) -> impl Iterator<Item = &CycleComponent> {
    audit
        .architecture
        .measures
        .cycles
        .eager
        .components
        .iter()
        .filter(|c| c.modules.len() >= IMPORT_CYCLE_MIN_MODULES && !c.of_rust_modules_only())
        .filter(|c| !all_generated(audit, c))
}

/// Whether every module of the cycle is a generated file: it is fixed in the generator,
/// not by hand.
fn all_generated(audit: &Audit, component: &CycleComponent) -> bool {
    let modules = &audit.architecture.modules;
    component.modules.iter().all(|path| {
        modules
            .binary_search_by(|m| m.path.as_str().cmp(path))
            .is_ok_and(|i| modules[i].role == Role::Generated)
    })
}

fn import_cycle(component: &CycleComponent) -> Option<Finding> {
    let first = component.shortest.first()?;
    let size = component.modules.len();
    let path: Vec<&str> = component
        .shortest
        .iter()
        .take(SHOWN_STEPS)
        .map(|e| e.from.as_str())
        .collect();
    // Back to where it started, or how many steps are left out before it gets there.
    let closing = match component.shortest.len().saturating_sub(SHOWN_STEPS) {
        0 => format!(" → {}", first.from),
        n => format!(" → … ({} more)", plural(n, "module")),
    };
    let message = format!(
        "load-time import cycle of {} modules with {} among them; shortest cycle ({} imports): {}{closing}",
        int(size),
        plural(component.edges, "import"),
        component.shortest.len(),
        path.join(" → "),
    );
    let severity = if size >= IMPORT_CYCLE_HIGH_MODULES {
        Severity::High
    } else {
        Severity::Medium
    };
    // The component's first module identifies it: no other cycle holds it.
    let identity = component.modules.first().map_or(first.from.as_str(), String::as_str);
    Some(at_import(
        &IMPORT_CYCLE,
        first,
        &[identity],
        Judgement {
            severity,
            confidence: Confidence::High,
            message,
        },
    ))
}

pub fn package_cycles(audit: &Audit, packages: &Packages<'_>) -> Vec<Finding> {
    let layering = &audit.architecture.measures.layering;
    if layering.package_cycles.is_empty() {
        return Vec::new();
    }
    let mut cycle_of: Vec<Option<usize>> = vec![None; packages.count()];
    for (cycle, members) in layering.package_cycles.iter().enumerate() {
        for p in members.iter().filter_map(|name| packages.index(name)) {
            cycle_of[p] = Some(cycle);
        }
    }
    // The cycle a pair of packages lies in, when both are of one cycle.
    let inside = |from: usize, to: usize| cycle_of[from].filter(|_| from != to && cycle_of[from] == cycle_of[to]);
    let cycles = layering.package_cycles.len();
    let (mut imports, mut against) = (vec![0usize; cycles], vec![0usize; cycles]);
    let mut against_pairs: FxHashSet<(usize, usize)> = FxHashSet::default();
    for pair in &layering.matrix {
        let (Some(from), Some(to)) = (packages.index(&pair.from), packages.index(&pair.to)) else {
            continue;
        };
        if let Some(cycle) = inside(from, to) {
            imports[cycle] += pair.edges;
            against[cycle] += pair.against;
            if pair.against > 0 {
                against_pairs.insert((from, to));
            }
        }
    }
    // Per cycle, its first import against the layers, and its first import at all.
    let (mut first_against, mut first_any) = (vec![None; cycles], vec![None; cycles]);
    for (edge, from, to) in packages.edges() {
        if let Some(cycle) = inside(from, to) {
            first_any[cycle].get_or_insert(edge);
            if against_pairs.contains(&(from, to)) {
                first_against[cycle].get_or_insert(edge);
            }
        }
    }
    let architecture = &audit.architecture;
    let mut found = Vec::new();
    for (cycle, members) in layering.package_cycles.iter().enumerate() {
        let Some(edge) = first_against[cycle].or(first_any[cycle]) else {
            continue;
        };
        let shown: Vec<String> = members.iter().take(SHOWN_STEPS).map(|m| format!("`{m}`")).collect();
        let more = match members.len().saturating_sub(SHOWN_STEPS) {
            0 => String::new(),
            n => format!(" and {} more", int(n)),
        };
        let message = format!(
            "{} packages import one another: {}{more}; {} between them, {} against the layers",
            int(members.len()),
            shown.join(", "),
            plural(imports[cycle], "import"),
            int(against[cycle]),
        );
        let severity = if members.len() >= PACKAGE_CYCLE_HIGH_PACKAGES {
            Severity::High
        } else {
            Severity::Medium
        };
        // Its first package identifies the cycle: no other cycle holds it.
        let identity = members.first().map_or("", String::as_str);
        found.push(at_import(
            &PACKAGE_CYCLE,
            &crate::graph::evidence(architecture, edge),
            &[identity],
            Judgement {
                severity,
                confidence: Confidence::High,
                message,
            },
        ));
    }
    found
}
