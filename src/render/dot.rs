//! `graph.dot`: the package-level import graph for Graphviz (`dot -Tsvg graph.dot`), laid
//! out to be read rather than complete:
//! - nodes are packages (the unit of `analyzers::packages`) with their code lines and
//!   modules;
//! - the packages of one package cycle (a strongly connected component) are drawn inside
//!   one red frame, and the edges between them red, or grey and dotted when all their
//!   imports are lazy or typing-only (they do not run at load time);
//! - ranks come from the layering: packages of one layer outside any cycle share a rank,
//!   and an edge against the layering is dashed and, outside a cycle, does not pull ranks
//!   (so the picture keeps the layers' order instead of folding around the reverse
//!   imports);
//! - edges are thinned to the significant ones (see [`thin`]), and a legend counts what
//!   was left out;
//! - packages with no drawn edge are set in rows of [`ROW`] rather than one long row.
//!
//! A test renders the output with Graphviz and requires it to render without a warning.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Audit, Layering, PackageDependency, PackageMeasures};

/// Every package keeps this many of its heaviest outgoing dependencies.
const HEAVIEST_PER_PACKAGE: usize = 2;
/// A dependency carrying this share (per mille) of all cross-package import edges is
/// drawn whatever its rank in its package.
const SIGNIFICANT_PER_MILLE: usize = 20;
/// At most this many dependencies are drawn, the heaviest first.
const MAX_EDGES: usize = 80;
/// Packages without a drawn edge are set in rows of this many.
const ROW: usize = 8;

pub fn render(audit: &Audit) -> String {
    let measures = &audit.architecture.measures;
    let layering = &measures.layering;
    let mut out = String::new();
    out.push_str("digraph packages {\n");
    out.push_str(&format!(
        "  graph [label=\"{} package imports\", labelloc=t, rankdir=TB, newrank=true, nodesep=0.3, ranksep=0.7, fontname=\"Helvetica\"];\n",
        escape(&audit.snapshot.root_name)
    ));
    out.push_str("  node [shape=box, fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\"];\n");
    if measures.packages.is_empty() {
        out.push_str("  // 0 modules measured: no import graph\n");
        out.push_str("}\n");
        return out;
    }
    let cycle_of = cycle_groups(layering);
    let drawn = thin(&layering.matrix);
    let connected: BTreeSet<&str> = drawn.iter().flat_map(|d| [d.from.as_str(), d.to.as_str()]).collect();
    let by_name: BTreeMap<&str, &PackageMeasures> = measures.packages.iter().map(|p| (p.name.as_str(), p)).collect();
    cycle_clusters(&mut out, layering, &by_name);
    let loose: Vec<&PackageMeasures> = measures
        .packages
        .iter()
        .filter(|p| !cycle_of.contains_key(p.name.as_str()))
        .collect();
    for package in loose.iter().filter(|p| connected.contains(p.name.as_str())) {
        out.push_str(&format!("  {}\n", node(package)));
    }
    let isolated: Vec<&PackageMeasures> = loose
        .iter()
        .copied()
        .filter(|p| !connected.contains(p.name.as_str()))
        .collect();
    isolated_rows(&mut out, &isolated);
    layer_ranks(&mut out, layering, &cycle_of, &connected);
    for dependency in &drawn {
        out.push_str(&edge(dependency, &cycle_of));
    }
    let unresolved = audit.architecture.unresolved.iter().map(|u| u.count).sum();
    legend(&mut out, &layering.matrix, &drawn, unresolved);
    out.push_str("}\n");
    out
}

fn node(package: &PackageMeasures) -> String {
    let plural = |n: u64| if n == 1 { "" } else { "s" };
    // `.` alone is a speck on the picture.
    let shown = if package.name == "." {
        "(files at the root)"
    } else {
        package.name.as_str()
    };
    format!(
        "\"{}\" [label=\"{}\\n{} code line{}, {} module{}\"];",
        escape(&package.name),
        escape(shown),
        package.code_lines,
        plural(package.code_lines),
        package.modules,
        plural(package.modules as u64)
    )
}

/// One red frame per package cycle, holding its packages.
fn cycle_clusters(out: &mut String, layering: &Layering, by_name: &BTreeMap<&str, &PackageMeasures>) {
    for (i, group) in layering.package_cycles.iter().enumerate() {
        out.push_str(&format!(
            "  subgraph cluster_cycle_{i} {{\n    label=\"package cycle {}: {} packages\"; color=red; style=rounded;\n",
            i + 1,
            group.len()
        ));
        for name in group {
            if let Some(package) = by_name.get(name.as_str()) {
                out.push_str(&format!("    {}\n", node(package)));
            }
        }
        out.push_str("  }\n");
    }
}

/// Packages with no drawn edge, in a frame of rows of [`ROW`]: invisible edges from each
/// to the one a row below stack the rows.
fn isolated_rows(out: &mut String, isolated: &[&PackageMeasures]) {
    if isolated.is_empty() {
        return;
    }
    out.push_str(&format!(
        "  subgraph cluster_isolated {{\n    label=\"{} with no drawn dependency\"; color=gray; style=dashed;\n",
        if isolated.len() == 1 {
            "1 package".to_string()
        } else {
            format!("{} packages", isolated.len())
        }
    ));
    for package in isolated {
        out.push_str(&format!("    {}\n", node(package)));
    }
    for (above, below) in isolated.iter().zip(isolated.iter().skip(ROW)) {
        out.push_str(&format!(
            "    \"{}\" -> \"{}\" [style=invis];\n",
            escape(&above.name),
            escape(&below.name)
        ));
    }
    out.push_str("  }\n");
}

/// `rank=same` for the packages of one layer that are drawn outside a cycle frame and
/// outside the isolated rows (Graphviz cannot hold a rank across frames).
fn layer_ranks(out: &mut String, layering: &Layering, cycle_of: &BTreeMap<&str, usize>, connected: &BTreeSet<&str>) {
    for layer in &layering.layers {
        let names: Vec<String> = layer
            .iter()
            .filter(|n| !cycle_of.contains_key(n.as_str()) && connected.contains(n.as_str()))
            .map(|n| format!("\"{}\";", escape(n)))
            .collect();
        if names.len() > 1 {
            out.push_str(&format!("  {{ rank=same; {} }}\n", names.join(" ")));
        }
    }
}

/// The dependencies drawn: each package's [`HEAVIEST_PER_PACKAGE`] heaviest outgoing ones,
/// and any carrying [`SIGNIFICANT_PER_MILLE`] of all cross-package import edges; then the
/// [`MAX_EDGES`] heaviest of those. In matrix order (by names).
fn thin(matrix: &[PackageDependency]) -> Vec<&PackageDependency> {
    let total: usize = matrix.iter().map(|d| d.edges).sum();
    let mut by_source: BTreeMap<&str, Vec<&PackageDependency>> = BTreeMap::new();
    for dependency in matrix {
        by_source.entry(dependency.from.as_str()).or_default().push(dependency);
    }
    let mut kept: BTreeSet<(&str, &str)> = BTreeSet::new();
    for dependencies in by_source.values_mut() {
        dependencies.sort_by(|a, b| b.edges.cmp(&a.edges).then_with(|| a.to.cmp(&b.to)));
        kept.extend(
            dependencies
                .iter()
                .take(HEAVIEST_PER_PACKAGE)
                .map(|d| (d.from.as_str(), d.to.as_str())),
        );
    }
    let significant = |d: &PackageDependency| d.edges * 1000 >= total * SIGNIFICANT_PER_MILLE;
    let mut drawn: Vec<&PackageDependency> = matrix
        .iter()
        .filter(|d| significant(d) || kept.contains(&(d.from.as_str(), d.to.as_str())))
        .collect();
    if drawn.len() > MAX_EDGES {
        drawn.sort_by(|a, b| {
            b.edges
                .cmp(&a.edges)
                .then_with(|| (&a.from, &a.to).cmp(&(&b.from, &b.to)))
        });
        drawn.truncate(MAX_EDGES);
        drawn.sort_by(|a, b| (&a.from, &a.to).cmp(&(&b.from, &b.to)));
    }
    drawn
}

/// What the picture shows and what it leaves out, counted: the dependencies not drawn and
/// the imports that resolved to no file of the tree.
fn legend(out: &mut String, matrix: &[PackageDependency], drawn: &[&PackageDependency], unresolved: usize) {
    let total: usize = matrix.iter().map(|d| d.edges).sum();
    let shown: usize = drawn.iter().map(|d| d.edges).sum();
    let lines = [
        format!(
            "{} of {} package dependencies drawn ({} of {} import edges).",
            drawn.len(),
            matrix.len(),
            shown,
            total
        ),
        format!(
            "Not drawn: {} dependencies carrying {} import edges (audit.json has them all).",
            matrix.len() - drawn.len(),
            total - shown
        ),
        format!(
            "Drawn: each package's {HEAVIEST_PER_PACKAGE} heaviest, and any carrying {}.{}% of the import edges; at most {MAX_EDGES}.",
            SIGNIFICANT_PER_MILLE / 10,
            SIGNIFICANT_PER_MILLE % 10
        ),
        format!("Unresolved imports, in no edge: {unresolved} (never guessed to a package)."),
        "Label: import edges. Red: inside a package cycle (red frame).".to_string(),
        "Dashed: against the layering (outside a cycle, it does not set the ranks).".to_string(),
    ];
    let label: String = lines.iter().map(|l| format!("{}\\l", escape(l))).collect();
    out.push_str(&format!("  legend [shape=note, fontsize=10, label=\"{label}\"];\n"));
}

/// For every package in a package cycle, the number of its cycle.
fn cycle_groups(layering: &Layering) -> BTreeMap<&str, usize> {
    layering
        .package_cycles
        .iter()
        .enumerate()
        .flat_map(|(i, group)| group.iter().map(move |p| (p.as_str(), i)))
        .collect()
}

fn edge(dependency: &PackageDependency, cycle_of: &BTreeMap<&str, usize>) -> String {
    let in_cycle = matches!(
        (cycle_of.get(dependency.from.as_str()), cycle_of.get(dependency.to.as_str())),
        (Some(a), Some(b)) if a == b
    );
    let label = match dependency.against {
        0 => dependency.edges.to_string(),
        against => format!("{} ({against} against layers)", dependency.edges),
    };
    let mut attributes = vec![
        format!("label=\"{label}\""),
        format!("penwidth={}", pen_width(dependency.edges)),
    ];
    let lazy_only = dependency.lazy + dependency.typing_only == dependency.edges;
    let color = match (in_cycle, dependency.against > 0) {
        (true, _) if lazy_only => Some("color=grey"),
        (true, _) => Some("color=red"),
        (false, true) => Some("color=orange"),
        (false, false) => None,
    };
    attributes.extend(color.map(str::to_string));
    // Outside a cycle the layering sets the ranks, so an edge against it must not; inside
    // one, the frame is laid out by its edges, or its packages would stand in one row.
    match (dependency.against > 0, in_cycle) {
        (true, false) => attributes.push("style=dashed, constraint=false".to_string()),
        (true, true) => attributes.push("style=dashed".to_string()),
        (false, true) if lazy_only => attributes.push("style=dotted".to_string()),
        (false, _) => {}
    }
    format!(
        "  \"{}\" -> \"{}\" [{}];\n",
        escape(&dependency.from),
        escape(&dependency.to),
        attributes.join(", ")
    )
}

/// 1 for one import edge, one more per tenfold, at most 4: heavy dependencies stand out.
fn pen_width(edges: usize) -> usize {
    let mut width = 1;
    let mut threshold = 10;
    while edges >= threshold && width < 4 {
        width += 1;
        threshold *= 10;
    }
    width
}

/// A DOT double-quoted string's content, secrets masked.
fn escape(text: &str) -> String {
    let masked = crate::analyzers::secrets::mask(text);
    masked.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use crate::graph::tests::{architecture, measured};
    use crate::model::ImportKind::{Eager, Lazy};

    #[test]
    fn package_graph_with_a_cycle_and_an_edge_against_the_layers() {
        let audit = measured(architecture(
            &[
                ("app/main.py", "app", 10),
                ("core/a.py", "core", 200),
                ("util/u.py", "util", 30),
                ("odd/\"q\".py", "odd \"q\"", 1),
            ],
            &[
                (0, 1, 1, Eager),
                (0, 1, 2, Eager),
                (1, 2, 1, Eager),
                (1, 2, 2, Eager),
                (2, 1, 5, Lazy),
                (3, 0, 1, Eager),
            ],
        ));
        insta::assert_snapshot!(super::render(&audit));
    }

    /// Each package keeps its two heaviest dependencies; a light third one is left out
    /// unless it carries 2% of all import edges.
    #[test]
    fn thinning_keeps_the_heaviest_per_package_and_the_significant() {
        use crate::model::PackageDependency;
        let dependency = |from: &str, to: &str, edges: usize| PackageDependency {
            from: from.to_string(),
            to: to.to_string(),
            edges,
            lazy: 0,
            typing_only: 0,
            against: 0,
        };
        let mut matrix = vec![
            dependency("a", "b", 500),
            dependency("a", "c", 400),
            dependency("a", "d", 1),
            dependency("a", "e", 30),
            dependency("x", "y", 1),
        ];
        matrix.sort();
        let drawn: Vec<String> = super::thin(&matrix)
            .iter()
            .map(|d| format!("{}->{}", d.from, d.to))
            .collect();
        assert_eq!(drawn, ["a->b", "a->c", "a->e", "x->y"]);
        assert_eq!([1, 9, 10, 99, 100, 1_000_000].map(super::pen_width), [1, 1, 2, 2, 3, 4]);
    }
}
