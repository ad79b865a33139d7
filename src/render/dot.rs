//! `graph.dot`: the package-level import graph for Graphviz (`dot -Tsvg graph.dot`).
//! Nodes are packages with their code lines and modules, ranked by layer; edges carry
//! their import count. Edges inside a package cycle are red, or grey and dotted when all
//! their imports are lazy or typing-only (they do not run at load time); edges against the
//! layering dashed (orange outside a cycle): the things a reader of the picture looks for.

use std::collections::BTreeMap;

use crate::model::{Audit, Layering, PackageDependency};

pub fn render(audit: &Audit) -> String {
    let measures = &audit.architecture.measures;
    let mut out = String::new();
    out.push_str("digraph packages {\n");
    out.push_str(&format!(
        "  graph [label=\"{} package imports\", labelloc=t, rankdir=TB];\n",
        escape(&audit.snapshot.root_name)
    ));
    out.push_str("  node [shape=box, fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\"];\n");
    if measures.packages.is_empty() {
        out.push_str("  // 0 modules measured: no import graph\n");
    }
    for package in &measures.packages {
        out.push_str(&format!(
            "  \"{}\" [label=\"{}\\n{} code lines, {} module{}\"];\n",
            escape(&package.name),
            escape(&package.name),
            package.code_lines,
            package.modules,
            if package.modules == 1 { "" } else { "s" }
        ));
    }
    for layer in &measures.layering.layers {
        let names: Vec<String> = layer.iter().map(|n| format!("\"{}\";", escape(n))).collect();
        out.push_str(&format!("  {{ rank=same; {} }}\n", names.join(" ")));
    }
    let cycle_of = cycle_groups(&measures.layering);
    for dependency in &measures.layering.matrix {
        out.push_str(&edge(dependency, &cycle_of));
    }
    out.push_str("}\n");
    out
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
    let mut attributes = vec![format!("label=\"{}\"", dependency.edges)];
    let lazy_only = dependency.lazy + dependency.typing_only == dependency.edges;
    let color = match (in_cycle, dependency.against > 0) {
        (true, _) if lazy_only => Some("color=grey"),
        (true, _) => Some("color=red"),
        (false, true) => Some("color=orange"),
        (false, false) => None,
    };
    attributes.extend(color.map(str::to_string));
    if dependency.against > 0 {
        attributes.push(format!(
            "style=dashed, xlabel=\"{} against layers\"",
            dependency.against
        ));
    } else if in_cycle && lazy_only {
        attributes.push("style=dotted".to_string());
    }
    format!(
        "  \"{}\" -> \"{}\" [{}];\n",
        escape(&dependency.from),
        escape(&dependency.to),
        attributes.join(", ")
    )
}

/// A DOT double-quoted string's content.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
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
}
