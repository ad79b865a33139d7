//! The graph stage on hand-built graphs: each test states what a reader of the report
//! would see.

use crate::model::{
    Architecture, Audit, BlastRadius, ImportEdge, ImportKind, LayerDecl, Module, PlumbConfig, Surface, SurfaceFacts,
};

use super::measure;

/// Modules as `(path, package, code lines)`; edges as `(from, to, line, kind)`.
pub(crate) fn architecture(modules: &[(&str, &str, u64)], edges: &[(usize, usize, usize, ImportKind)]) -> Architecture {
    Architecture {
        modules: modules
            .iter()
            .map(|&(path, package, code_lines)| Module {
                path: path.to_string(),
                name: path.to_string(),
                language: "Python".to_string(),
                package: package.to_string(),
                code_lines,
                role: if crate::scan::role::is_test_path(path) {
                    crate::model::Role::Test
                } else {
                    crate::model::Role::Source
                },
            })
            .collect(),
        edges: edges
            .iter()
            .map(|&(from, to, line, kind)| ImportEdge {
                from,
                to,
                line,
                kind,
                text: format!("import m{to}").into(),
                guard: None,
            })
            .collect(),
        ..Default::default()
    }
}

pub(crate) fn measured(architecture: Architecture) -> Audit {
    let mut audit = crate::model::sample();
    audit.architecture = architecture;
    audit.surfaces = SurfaceFacts::default();
    measure(&mut audit);
    audit
}

use ImportKind::{Eager, Lazy, TypingOnly};

#[test]
fn shortest_cycle_through_the_smallest_module_with_lines() {
    // a -> b -> c -> a, and the shortcut a -> c -> a.
    let graph = architecture(
        &[("a.py", "p", 1), ("b.py", "p", 1), ("c.py", "p", 1), ("d.py", "p", 1)],
        &[
            (0, 1, 1, Eager),
            (0, 2, 2, Eager),
            (1, 2, 3, Eager),
            (2, 0, 4, Eager),
            (3, 0, 5, Eager),
        ],
    );
    let cycles = measured(graph).architecture.measures.cycles;
    assert_eq!(cycles.components.len(), 1, "d.py imports the cycle but is not in it");
    assert_eq!(cycles.modules_in_cycles, 3);
    let component = &cycles.components[0];
    assert_eq!(component.modules, ["a.py", "b.py", "c.py"]);
    assert_eq!(component.edges, 4);
    let steps: Vec<String> = component
        .shortest
        .iter()
        .map(|e| format!("{}:{} -> {}", e.from, e.line, e.to))
        .collect();
    assert_eq!(steps, ["a.py:2 -> c.py", "c.py:4 -> a.py"]);
}

#[test]
fn a_cycle_closed_only_by_lazy_or_typing_imports_is_mitigated() {
    let graph = architecture(
        &[("a.py", "p", 1), ("b.py", "p", 1), ("c.py", "p", 1), ("d.py", "p", 1)],
        &[
            (0, 1, 1, Eager),
            (1, 0, 7, Lazy),
            (2, 3, 1, Eager),
            (3, 2, 9, TypingOnly),
            (3, 2, 10, Eager),
        ],
    );
    let cycles = measured(graph).architecture.measures.cycles;
    let [first, second] = &cycles.components[..] else {
        panic!("two cycles expected: {cycles:?}")
    };
    assert_eq!(
        (first.lazy_edges, first.typing_only_edges, first.eager_cycle),
        (1, 0, false)
    );
    assert_eq!(
        (second.lazy_edges, second.typing_only_edges, second.eager_cycle),
        (0, 1, true)
    );
}

/// The lazy `__init__` of a large library: one component of every import holds the
/// whole package, the cycle that runs at load time is a part of it, measured apart with
/// its own shortest cycle of eager edges.
#[test]
fn eager_cycles_are_measured_apart_from_the_cycles_of_all_imports() {
    let graph = architecture(
        &[
            ("pkg/__init__.py", "pkg", 10),
            ("pkg/a.py", "pkg", 1),
            ("pkg/b.py", "pkg", 1),
            ("pkg/c.py", "pkg", 1),
            ("pkg/d.py", "pkg", 1),
        ],
        &[
            (0, 1, 3, Lazy),
            (0, 2, 4, TypingOnly),
            (0, 3, 5, Lazy),
            (1, 0, 1, Eager),
            (2, 0, 1, Eager),
            (3, 4, 1, Eager),
            (4, 3, 2, Eager),
            (4, 0, 3, Eager),
        ],
    );
    let cycles = measured(graph).architecture.measures.cycles;
    assert_eq!(cycles.modules_in_cycles, 5);
    let [all] = &cycles.components[..] else {
        panic!("one component of all imports: {cycles:?}")
    };
    assert_eq!((all.edges, all.lazy_edges, all.typing_only_edges), (8, 2, 1));
    assert_eq!((all.eager_cycle, all.eager_modules), (true, 2));
    assert_eq!(cycles.eager.modules_in_cycles, 2);
    let [eager] = &cycles.eager.components[..] else {
        panic!("one load-time cycle: {cycles:?}")
    };
    assert_eq!(eager.modules, ["pkg/c.py", "pkg/d.py"]);
    assert_eq!((eager.edges, eager.lazy_edges, eager.eager_modules), (2, 0, 2));
    let steps: Vec<String> = eager
        .shortest
        .iter()
        .map(|e| format!("{}:{}", e.from, e.line))
        .collect();
    assert_eq!(steps, ["pkg/c.py:1", "pkg/d.py:2"]);
}

#[test]
fn a_module_importing_itself_is_a_cycle_of_one() {
    let graph = architecture(
        &[("a.py", "p", 1), ("b.py", "p", 1)],
        &[(0, 0, 3, Eager), (0, 1, 4, Eager)],
    );
    let audit = measured(graph);
    let cycles = &audit.architecture.measures.cycles;
    assert_eq!(cycles.components.len(), 1);
    assert_eq!(cycles.components[0].shortest.len(), 1);
    assert_eq!(
        audit.architecture.measures.fan_out,
        [1, 0],
        "an import of itself is no fan-out"
    );
}

#[test]
fn a_chain_of_100k_modules_and_a_cycle_through_all_of_them_do_not_overflow() {
    let n = 100_000;
    let paths: Vec<String> = (0..n).map(|i| format!("m/{i:06}.py")).collect();
    let modules: Vec<(&str, &str, u64)> = paths.iter().map(|p| (p.as_str(), "m", 1)).collect();
    let mut edges: Vec<(usize, usize, usize, ImportKind)> = (0..n - 1).map(|i| (i, i + 1, 1, Eager)).collect();
    let chain = measured(architecture(&modules, &edges));
    assert!(chain.architecture.measures.cycles.components.is_empty());
    assert_eq!(chain.architecture.measures.layering.layers, [["m"]]);

    edges.push((n - 1, 0, 2, Lazy));
    let ring = measured(architecture(&modules, &edges)).architecture.measures.cycles;
    assert_eq!(ring.modules_in_cycles, n);
    assert_eq!(ring.components[0].shortest.len(), n);
    assert_eq!(ring.components[0].shortest[n - 1].to, "m/000000.py");
    assert!(!ring.components[0].eager_cycle, "the one lazy edge breaks the ring");
    assert_eq!(ring.eager.modules_in_cycles, 0);
}

#[test]
fn fans_count_distinct_modules_and_rank_hubs_and_god_modules() {
    // hub imports a, b, c (a twice); a is big and imported by two modules.
    let graph = architecture(
        &[
            ("a.py", "p", 500),
            ("b.py", "p", 10),
            ("c.py", "p", 10),
            ("hub.py", "p", 5),
            ("x.py", "q", 1),
        ],
        &[
            (3, 0, 1, Eager),
            (3, 0, 2, Lazy),
            (3, 1, 3, Eager),
            (3, 2, 4, Eager),
            (4, 0, 1, Eager),
        ],
    );
    let measures = measured(graph).architecture.measures;
    assert_eq!(measures.fan_in, [2, 1, 1, 0, 0]);
    assert_eq!(measures.fan_out, [0, 0, 0, 3, 1]);
    assert_eq!(measures.hubs[0].path, "hub.py");
    assert_eq!(measures.hubs[0].fan_out, 3);
    assert_eq!(
        (measures.god_modules[0].path.as_str(), measures.god_modules[0].score),
        ("a.py", 1000)
    );
    let q = measures.packages.iter().find(|p| p.name == "q").expect("package q");
    assert_eq!((q.edges_out, q.fan_out, q.internal_edges), (1, 1, 0));
}

/// app -> core (2 edges), core -> util (3 edges), and one import back from util to core.
fn layered() -> Architecture {
    architecture(
        &[
            ("app/main.py", "app", 1),
            ("core/a.py", "core", 1),
            ("util/u.py", "util", 1),
        ],
        &[
            (0, 1, 1, Eager),
            (0, 1, 2, Eager),
            (1, 2, 1, Eager),
            (1, 2, 2, Eager),
            (1, 2, 3, Eager),
            (2, 1, 5, Lazy),
        ],
    )
}

#[test]
fn inferred_layers_put_the_reverse_import_of_a_package_cycle_against_the_grain() {
    let layering = measured(layered()).architecture.measures.layering;
    assert_eq!(layering.layers, [vec!["app"], vec!["core", "util"]]);
    assert_eq!(layering.package_cycles, [["core", "util"]]);
    assert_eq!(layering.against_count, 1);
    assert_eq!(
        (layering.against[0].from.as_str(), layering.against[0].line),
        ("util/u.py", 5)
    );
    let matrix: Vec<String> = layering
        .matrix
        .iter()
        .map(|d| format!("{}->{} {} lazy {} against {}", d.from, d.to, d.edges, d.lazy, d.against))
        .collect();
    assert_eq!(
        matrix,
        [
            "app->core 2 lazy 0 against 0",
            "core->util 3 lazy 0 against 0",
            "util->core 1 lazy 1 against 1"
        ]
    );
}

#[test]
fn declared_layers_judge_every_upward_edge() {
    let mut audit = crate::model::sample();
    audit.architecture = layered();
    let layers = ["util", "core", "nowhere"]; // upside down: util at the top
    audit.surfaces.config = Some(PlumbConfig {
        path: "plumb.toml".into(),
        layers: layers
            .iter()
            .enumerate()
            .map(|(i, p)| LayerDecl {
                package: p.to_string(),
                line: i + 2,
            })
            .collect(),
        text: "[layers]\norder = [\n\"util\",\n\"core\",\n\"nowhere\",\n]\n".into(),
        ..Default::default()
    });
    measure(&mut audit);
    let layering = &audit.architecture.measures.layering;
    assert_eq!(
        layering.against_count, 3,
        "core -> util three times; app is not declared"
    );
    let unknown: Vec<String> = audit
        .findings
        .iter()
        .filter(|f| f.rule.starts_with("config-"))
        .map(|f| format!("{} {}:{}", f.rule, f.location.line, f.message))
        .collect();
    assert_eq!(
        unknown,
        ["config-unknown-layer 4:layer `nowhere` names no package of the import graph"]
    );
}

#[test]
fn private_modules_imported_from_another_package_are_counted() {
    let graph = architecture(
        &[
            ("a/x.py", "a", 1),
            ("a/_own.py", "a", 1),
            ("b/__init__.py", "b", 1),
            ("b/_impl.py", "b", 1),
            ("b/_inner/y.py", "b", 1),
        ],
        &[(0, 1, 1, Eager), (0, 2, 2, Eager), (0, 3, 3, Eager), (0, 4, 4, Eager)],
    );
    let encapsulation = measured(graph).architecture.measures.encapsulation;
    assert_eq!(encapsulation.private_imports, 2);
    let targets: Vec<&str> = encapsulation.examples.iter().map(|e| e.to.as_str()).collect();
    assert_eq!(targets, ["b/_impl.py", "b/_inner/y.py"]);
}

fn surface(name: &str, glob: &str, code_lines: u64) -> Surface {
    Surface {
        name: name.to_string(),
        paths: vec![glob.to_string()],
        files: 1,
        code_lines,
        ..Default::default()
    }
}

/// The blast radius follows what depends on a surface, transitively and through eager
/// imports only; a big surface nothing imports is low.
#[test]
fn blast_radius_is_the_share_of_the_rest_that_depends_on_a_surface() {
    let mut audit = crate::model::sample();
    audit.architecture = architecture(
        &[
            ("app/b.py", "app", 100),
            ("cli/c.py", "cli", 100),
            ("core/a.py", "core", 100),
            ("tools/e.py", "tools", 100),
            ("web/d.py", "web", 102),
        ],
        // app and cli import core; web imports app (so core too); tools imports core
        // only inside a function. web's 102 lines make app's share 25.37%: rounded, as
        // the Markdown table rounds it.
        &[(0, 2, 1, Eager), (1, 2, 1, Eager), (4, 0, 1, Eager), (3, 2, 1, Lazy)],
    );
    audit.surfaces.surfaces = vec![
        surface("app", "app/**", 100),
        surface("cli", "cli/**", 100),
        surface("core", "core/**", 100),
        surface("tools", "tools/**", 100),
        surface("web", "web/**", 4900),
    ];
    audit.surfaces.surfaces[1].declared_blast_radius = Some(BlastRadius::Critical);
    measure(&mut audit);
    let rows: Vec<String> = audit
        .surfaces
        .surfaces
        .iter()
        .map(|s| format!("{} {} ({})", s.name, s.blast_radius.name(), s.blast_radius_reason))
        .collect();
    assert_eq!(
        rows,
        [
            "app high (1 module in 1 other surface (102 code lines, 25.4% of theirs in the import graph) depends on it through eager imports)",
            "cli critical (declared in plumb.toml)",
            "core critical (3 modules in 3 other surfaces (302 code lines, 75.1% of theirs in the import graph) depend on it through eager imports)",
            "tools low (no module of another surface depends on it through eager imports)",
            "web low (no module of another surface depends on it through eager imports)",
        ]
    );
    let core = audit.surfaces.surfaces[2].reach.expect("measured");
    assert_eq!(
        (
            core.dependent_modules,
            core.dependent_code_lines,
            core.dependent_surfaces,
            core.other_code_lines
        ),
        (3, 302, 3, 402)
    );
    assert_eq!(
        audit.surfaces.surfaces[1].depends_on,
        ["core"],
        "links count every import kind"
    );
}

#[test]
fn without_an_import_graph_the_reach_is_not_measured() {
    let mut audit = crate::model::sample();
    audit.architecture = Architecture::default();
    audit.surfaces.surfaces = vec![surface("docs", "docs/**", 900)];
    measure(&mut audit);
    let docs = &audit.surfaces.surfaces[0];
    assert_eq!(docs.reach, None);
    assert_eq!(docs.blast_radius, BlastRadius::Low);
    assert!(
        docs.blast_radius_reason.starts_with("reach not measured"),
        "{}",
        docs.blast_radius_reason
    );
}

#[test]
fn out_of_range_edges_are_ignored() {
    let graph = architecture(&[("a.py", "p", 1)], &[(0, 7, 1, Eager), (9, 0, 1, Eager)]);
    let measures = measured(graph).architecture.measures;
    assert_eq!((measures.fan_in[0], measures.fan_out[0]), (0, 0));
}

/// Not a timed test: prints how long the stage takes on synthetic graphs of growing size,
/// for BENCHMARKS.md. `cargo test --release --lib graph_scale -- --ignored --nocapture`
#[test]
#[ignore]
fn graph_scale() {
    for (modules, edges) in [
        (50_000, 250_000),
        (100_000, 500_000),
        (200_000, 1_000_000),
        (400_000, 2_000_000),
    ] {
        let paths: Vec<String> = (0..modules).map(|i| format!("p{:02}/m{i:07}.py", i % 50)).collect();
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut random = move |bound: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound as u64) as usize
        };
        let kinds = [Eager, Eager, Eager, Lazy, TypingOnly];
        let mut list: Vec<(usize, usize, usize, ImportKind)> = (0..edges)
            .map(|i| {
                (
                    random(modules),
                    random(modules),
                    i % 400 + 1,
                    kinds[random(kinds.len())],
                )
            })
            .collect();
        list.sort_unstable();
        let modules_list: Vec<(&str, &str, u64)> = paths.iter().map(|p| (p.as_str(), &p[..3], 100)).collect();
        let graph = architecture(&modules_list, &list);
        let mut audit = crate::model::sample();
        audit.architecture = graph;
        let start = std::time::Instant::now();
        measure(&mut audit);
        let cycles = &audit.architecture.measures.cycles;
        println!(
            "{modules} modules, {edges} edges: {:?} ({} cycles, largest {} modules)",
            start.elapsed(),
            cycles.components.len(),
            cycles.components.first().map_or(0, |c| c.modules.len())
        );
    }
}

/// An edge naming a module past the list (a bug upstream) is left out, not a panic: the
/// other edges are still measured.
#[test]
fn an_edge_past_the_module_list_is_left_out() {
    let graph = architecture(
        &[("a.py", "p", 1), ("b.py", "q", 1)],
        &[(0, 1, 1, Eager), (1, 0, 2, Eager), (1, 7, 3, Eager)],
    );
    let measures = measured(graph).architecture.measures;
    assert_eq!(measures.fan_out, [1, 1]);
    assert_eq!(measures.cycles.components.len(), 1);
    assert_eq!(measures.layering.matrix.iter().map(|d| d.edges).sum::<usize>(), 2);
}

#[test]
fn god_modules_rank_by_production_fan_in() {
    // `pkg/__init__.py` is small and imported by six tests and examples; `pkg/core.py` is
    // imported by two production modules. A data header, however big, is not ranked.
    let mut modules = vec![
        ("examples/demo.py", "examples", 10),
        ("pkg/__init__.py", "pkg", 200),
        ("pkg/a.py", "pkg", 10),
        ("pkg/b.py", "pkg", 10),
        ("pkg/core.py", "pkg", 150),
        ("pkg/weights.py", "pkg", 90_000),
    ];
    let tests: Vec<String> = (0..5).map(|i| format!("tests/test_{i}.py")).collect();
    modules.extend(tests.iter().map(|t| (t.as_str(), "tests", 5)));
    let mut edges = vec![
        (0, 1, 1, ImportKind::Eager),
        (2, 4, 1, ImportKind::Eager),
        (3, 4, 1, ImportKind::Eager),
    ];
    edges.extend((0..5).map(|i| (6 + i, 1, 1, ImportKind::Eager)));
    edges.push((4, 5, 2, ImportKind::Eager));
    let mut architecture = architecture(&modules, &edges);
    architecture.modules[5].role = crate::model::Role::Data;
    let audit = measured(architecture);
    let measures = &audit.architecture.measures;
    let ranked: Vec<(&str, usize, usize)> = measures
        .god_modules
        .iter()
        .map(|m| (m.path.as_str(), m.fan_in_production, m.fan_in))
        .collect();
    assert_eq!(ranked, [("pkg/core.py", 2, 2)]);
    assert_eq!(measures.fan_in[1], 6);
    assert_eq!(
        measures.fan_in_production[1], 0,
        "tests and examples are not production importers"
    );
}

#[test]
fn a_private_component_is_found_wherever_it_stands() {
    let private = [
        "_a.py",
        "a/_b.py",
        "a/_b/c.py",
        "__x/a.py",
        "a/_.py",
        "a/__b.py",
        "a/.b/_",
    ];
    // `.b`'s stem is empty: not private.
    let public = [
        "a.py",
        "a_b/c_.py",
        "a/__init__.py",
        "__main__.py",
        "a/.b/c",
        "a/b_/c",
        "",
    ];
    for path in private {
        assert!(super::is_private(path), "{path}");
    }
    for path in public {
        assert!(!super::is_private(path), "{path}");
    }
}

#[test]
fn modules_of_one_directory_share_the_package_their_directory_has() {
    let modules = [
        ("src/pkg/a/x.py", "", 1),
        ("src/pkg/a/y.py", "", 1),
        ("src/pkg/b/z.py", "", 1),
        ("src/pkg/b/w/v.py", "", 1),
        ("top.py", "", 1),
    ];
    let mut audit = crate::model::sample();
    audit.architecture = architecture(&modules, &[]);
    audit.surfaces = SurfaceFacts::default();
    audit.surfaces.package_rule.depth = 2;
    super::assign_packages(&mut audit);
    let partition = crate::analyzers::Partition::new(&audit.surfaces.package_rule);
    for module in &audit.architecture.modules {
        assert_eq!(
            module.package,
            partition.package(&module.path, false).name,
            "{}",
            module.path
        );
    }
}
