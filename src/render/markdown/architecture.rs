//! Sections 2 (Major Surfaces & Blast Radius) and 3 (Architecture & Modularity Review),
//! from the surfaces, the module tree, the import graph and what the graph stage measured.
//! Every status cell comes from a rule written next to the function that applies it.

use crate::model::{
    Architecture, ArchitectureMeasures, Audit, BlastRadius, CycleComponent, EdgeEvidence, Guard, GuardReason,
    ImportKind, LayerSource, ModuleNode, PackageRule, PackageRuleSource, Surface, SurfaceReach, SurfaceSource,
    TestInventory,
};

use super::{code, count, int, percent, plural, Markdown, LIST_ROWS};

/// How many second-level directories the module tree shows per top-level directory.
const TREE_CHILDREN: usize = 12;
/// How many import cycles the report writes out; audit.json has them all.
const CYCLES_SHOWN: usize = 5;
/// How many names a "depends on" cell lists before counting the rest.
const NAMES_SHOWN: usize = 6;

const GOOD: &str = "🟢 **GOOD**";
const MIXED: &str = "🟡 **MIXED**";
const HIGH: &str = "🟠 **HIGH**";
const POOR: &str = "🔴 **POOR**";
const NONE: &str = "⚪ **N/A**";

pub(super) fn surfaces(md: &mut Markdown, audit: &Audit) {
    md.section("2. Delta Map & Blast Radius (Baseline: Major Surfaces)");
    md.line("This is a baseline audit: there is no delta yet. The surfaces a refactor must protect:");
    md.blank();
    let facts = &audit.surfaces;
    let origin = match facts.source {
        SurfaceSource::Declared => "declared in `plumb.toml`".to_string(),
        SurfaceSource::Derived => {
            "derived: one per package holding source files (`plumb init` writes them to `plumb.toml` to edit)"
                .to_string()
        }
    };
    md.line(format!("Surfaces {origin}. \"Depends on\" and \"Depended on by\" count surfaces linked by import edges; \"Reach\" counts the modules of other surfaces that depend on the surface through eager imports, directly or transitively; a blast radius is declared, or computed from the reach by the rule under the table."));
    md.blank();
    if facts.surfaces.is_empty() {
        md.line("No surface: no top-level directory holds a source file.");
        md.blank();
        return;
    }
    md.table(
        &[
            "Surface",
            "Files",
            "Code lines",
            "Languages",
            "Depends on",
            "Depended on by",
            "Reach",
            "Blast radius",
        ],
        facts.surfaces.iter().map(surface_row),
    );
    md.line("Blast radius rule (computed, from the reach alone; the surface's own size is the Code lines column): critical when modules holding 50% or more of the other surfaces' code lines in the import graph depend on it through eager imports, directly or through other modules; high from 25%; medium from 5%; low below, or when nothing depends on it. Lazy and typing-only imports do not count: a change behind them does not break the importer when it loads. A radius declared in `plumb.toml` wins.");
    md.blank();
}

fn surface_row(surface: &Surface) -> Vec<String> {
    let paths: Vec<String> = surface.paths.iter().map(|p| code(p)).collect();
    let name = match &surface.description {
        Some(description) => format!("**{}** ({}) — {description}", surface.name, paths.join(", ")),
        None => format!("**{}** ({})", surface.name, paths.join(", ")),
    };
    let how = match surface.declared_blast_radius {
        Some(_) => "declared",
        None => "computed",
    };
    vec![
        name,
        count(surface.files),
        int(surface.code_lines),
        names(&surface.languages, 3),
        names(&surface.depends_on, NAMES_SHOWN),
        names(&surface.depended_on_by, NAMES_SHOWN),
        reach(surface.reach.as_ref()),
        format!("{} ({how})", radius(surface.blast_radius)),
    ]
}

/// `12 modules, 3,400 code lines (27.1%) in 2 surfaces`: the blast radius's inputs.
fn reach(reach: Option<&SurfaceReach>) -> String {
    match reach {
        None => "not measured (no import graph)".to_string(),
        Some(r) if r.dependent_modules == 0 => "none".to_string(),
        Some(r) => format!(
            "{}, {} code lines ({}) in {}",
            plural(r.dependent_modules, "module"),
            int(r.dependent_code_lines),
            percent(r.dependent_code_lines, r.other_code_lines),
            plural(r.dependent_surfaces, "surface")
        ),
    }
}

fn radius(radius: BlastRadius) -> &'static str {
    match radius {
        BlastRadius::Critical => "🔴 **CRITICAL**",
        BlastRadius::High => "🟠 **HIGH**",
        BlastRadius::Medium => "🟡 **MEDIUM**",
        BlastRadius::Low => "🟢 **LOW**",
    }
}

/// `a, b, c +2 more`, or `—` for none.
fn names(list: &[String], shown: usize) -> String {
    if list.is_empty() {
        return "—".to_string();
    }
    let mut text = list.iter().take(shown).cloned().collect::<Vec<_>>().join(", ");
    if list.len() > shown {
        text.push_str(&format!(" +{} more", list.len() - shown));
    }
    text
}

pub(super) fn section(md: &mut Markdown, audit: &Audit) {
    md.section("3. Architecture & Modularity Review");
    module_structure(md, audit);
    graph_summary(md, &audit.architecture);
    modularity(md, audit);
    packages(md, &audit.architecture.measures, &audit.surfaces.package_rule);
    hotspots(md, audit);
    cycles(md, &audit.architecture);
}

fn module_structure(md: &mut Markdown, audit: &Audit) {
    md.heading("Current Module Structure");
    md.line("Top two directory levels; each line: files, code lines, dominant language by code.");
    md.blank();
    md.line("```");
    md.line(format!("{}/", audit.snapshot.root_name));
    let nodes = &audit.module_tree;
    for (i, node) in nodes.iter().enumerate() {
        let last = i + 1 == nodes.len();
        tree_line(md, node, if last { "└── " } else { "├── " });
        let mut children: Vec<&ModuleNode> = node.children.iter().collect();
        children.sort_by(|a, b| b.code.cmp(&a.code).then_with(|| a.path.cmp(&b.path)));
        let hidden = children.len().saturating_sub(TREE_CHILDREN);
        children.truncate(TREE_CHILDREN);
        let prefix = if last { "    " } else { "│   " };
        for (j, child) in children.iter().enumerate() {
            let branch = if j + 1 == children.len() && hidden == 0 {
                "└── "
            } else {
                "├── "
            };
            tree_line(md, child, &format!("{prefix}{branch}"));
        }
        if hidden > 0 {
            md.line(format!(
                "{prefix}└── … {hidden} more directories (audit.json has them all)"
            ));
        }
    }
    md.line("```");
    md.blank();
}

fn tree_line(md: &mut Markdown, node: &ModuleNode, prefix: &str) {
    let name = node.path.rsplit('/').next().unwrap_or(&node.path);
    let name = if node.path == "." {
        "(files at the root)".to_string()
    } else {
        format!("{name}/")
    };
    let language = node.dominant_language.as_deref().unwrap_or("no code");
    md.line(format!(
        "{prefix}{name:<24} {}, {} code lines, {language}",
        plural(node.files, "file"),
        int(node.code)
    ));
}

fn graph_summary(md: &mut Markdown, architecture: &Architecture) {
    md.heading("Import Graph");
    if architecture.modules.is_empty() {
        md.line("0 modules measured: no file of a language whose imports this version resolves, so fan-in, cycles, layering and encapsulation below have nothing to count.");
        md.blank();
        return;
    }
    let kind = |k: ImportKind| architecture.edges.iter().filter(|e| e.kind == k).count();
    let unresolved: usize = architecture.unresolved.iter().map(|u| u.count).sum();
    let external: usize = architecture.external.iter().map(|e| e.count).sum();
    md.line(format!(
        "{}, {} between them ({} eager, {} lazy, {} typing-only) in {}; {} unresolved and {} external import statements counted apart.",
        plural(architecture.modules.len(), "module"),
        plural(architecture.edges.len(), "import edge"),
        count(kind(ImportKind::Eager)),
        count(kind(ImportKind::Lazy)),
        count(kind(ImportKind::TypingOnly)),
        plural(architecture.measures.packages.len(), "package"),
        count(unresolved),
        count(external),
    ));
    md.blank();
    uncertain(md, architecture);
}

/// Lazy imports whose target the scan could not read, by reason: said, not guessed.
fn uncertain(md: &mut Markdown, architecture: &Architecture) {
    if architecture.uncertain.is_empty() {
        return;
    }
    let reasons: Vec<String> = architecture
        .uncertain
        .iter()
        .map(|u| format!("{} ({}): {}", u.reason, u.language, count(u.count)))
        .collect();
    md.line(format!(
        "Lazy imports whose target could not be read, counted apart and left out of the graph (audit.json `uncertain` has examples): {}.",
        reasons.join("; ")
    ));
    md.blank();
}

/// Edges between modules of two different packages, and all edges.
fn cross_and_total(measures: &ArchitectureMeasures) -> (usize, usize) {
    let internal: usize = measures.packages.iter().map(|p| p.internal_edges).sum();
    let cross: usize = measures.packages.iter().map(|p| p.edges_out).sum();
    (cross, cross + internal)
}

fn modularity(md: &mut Markdown, audit: &Audit) {
    md.heading("Modularity Assessment");
    let architecture = &audit.architecture;
    let rows = [
        ("Separation of Concerns", separation(architecture)),
        ("Dependency Direction", direction(&architecture.measures)),
        ("Encapsulation", encapsulation(&architecture.measures)),
        ("Coupling", coupling(architecture)),
        ("Testability", testability(&audit.tests)),
    ];
    md.table(
        &["Aspect", "Status", "Measured"],
        rows.into_iter()
            .map(|(aspect, (status, notes))| vec![format!("**{aspect}**"), status.to_string(), notes]),
    );
}

type Assessment = (&'static str, String);

/// Share of import edges that stay inside their package: good at 70 % or more, mixed from
/// 40 %, poor below; not applicable with fewer than two packages or no edges.
fn separation(architecture: &Architecture) -> Assessment {
    let measures = &architecture.measures;
    let (cross, total) = cross_and_total(measures);
    if measures.packages.len() < 2 || total == 0 {
        let why = format!(
            "{} and {}: nothing to separate",
            plural(measures.packages.len(), "package"),
            plural(total, "edge")
        );
        return (NONE, why);
    }
    let internal = (total - cross) as u64;
    let status = match internal * 10 {
        x if x >= 7 * total as u64 => GOOD,
        x if x >= 4 * total as u64 => MIXED,
        _ => POOR,
    };
    let notes = format!(
        "{} of {} import edges stay inside their package ({} packages)",
        percent(internal, total as u64),
        count(total),
        count(measures.packages.len())
    );
    (status, notes)
}

/// Good with no edge against the layering and no package cycle; mixed when edges against
/// it are at most 5 % of the cross-package edges; poor above.
fn direction(measures: &ArchitectureMeasures) -> Assessment {
    let layering = &measures.layering;
    let (cross, _) = cross_and_total(measures);
    if cross == 0 {
        return (NONE, "no import between packages".to_string());
    }
    let against = layering.against_count;
    let status = if against == 0 && layering.package_cycles.is_empty() {
        GOOD
    } else if against * 20 <= cross {
        MIXED
    } else {
        POOR
    };
    let source = match layering.source {
        LayerSource::Declared => "declared layers",
        LayerSource::Inferred => "inferred layers",
    };
    let notes = format!(
        "{} of {} cross-package edges run against the {source}; {} between packages",
        count(against),
        count(cross),
        plural(layering.package_cycles.len(), "cycle"),
    );
    (status, notes)
}

/// Imports of another package's `_private` modules: good at none, mixed up to 5 % of the
/// cross-package edges, poor above.
fn encapsulation(measures: &ArchitectureMeasures) -> Assessment {
    let (cross, _) = cross_and_total(measures);
    if cross == 0 {
        return (NONE, "no import between packages".to_string());
    }
    let private = measures.encapsulation.private_imports;
    let status = match private {
        0 => GOOD,
        n if n * 20 <= cross => MIXED,
        _ => POOR,
    };
    let notes = format!(
        "{} of {} cross-package edges import a `_private` module",
        count(private),
        count(cross)
    );
    (status, notes)
}

/// High when one module imports 50 others or more, or 10 % of the modules sit in import
/// cycles of eager imports (the ones that run at load time); mixed from 20 imports or any
/// such cycle; good otherwise. Cycles of Rust modules are left out (see
/// [`is_rust_crate_cycle`]).
fn coupling(architecture: &Architecture) -> Assessment {
    let measures = &architecture.measures;
    let modules = architecture.modules.len();
    if modules == 0 {
        return (NONE, "0 modules measured".to_string());
    }
    let widest = measures.hubs.first().map_or(0, |h| h.fan_out);
    let eager = &measures.cycles.eager;
    let (rust, _) = rust_crate_cycles(&eager.components);
    let cyclic = eager.modules_in_cycles - rust;
    let status = if widest >= 50 || cyclic * 10 >= modules && cyclic > 0 {
        HIGH
    } else if widest >= 20 || cyclic > 0 {
        MIXED
    } else {
        GOOD
    };
    let hub = measures
        .hubs
        .first()
        .map_or("no module imports another".to_string(), |h| {
            format!("{} imports {}", code(&h.path), plural(h.fan_out, "module"))
        });
    let mut notes = format!(
        "{hub}; {} of {} modules in load-time import cycles, {} counting lazy and typing-only imports",
        count(cyclic),
        count(modules),
        count(measures.cycles.modules_in_cycles - rust_crate_cycles(&measures.cycles.components).0)
    );
    if rust > 0 {
        notes.push_str(&format!(" ({} more in cycles of Rust modules)", count(rust)));
    }
    (status, notes)
}

/// A cycle made of Rust modules only ([`CycleComponent::of_rust_modules_only`]) is
/// counted apart from the import cycles that can fail.
fn is_rust_crate_cycle(component: &CycleComponent) -> bool {
    component.of_rust_modules_only()
}

/// Modules and components in cycles of Rust modules.
fn rust_crate_cycles(components: &[CycleComponent]) -> (usize, usize) {
    components
        .iter()
        .filter(|c| is_rust_crate_cycle(c))
        .fold((0, 0), |(modules, cycles), c| (modules + c.modules.len(), cycles + 1))
}

/// Test code lines per source code line: good at 0.3 or more, mixed from 0.1, poor below
/// (or with no test file); not applicable without source code.
fn testability(tests: &TestInventory) -> Assessment {
    if tests.source_code == 0 {
        return (NONE, "no source code".to_string());
    }
    let status = match tests.code * 10 {
        _ if tests.files == 0 => POOR,
        x if x >= 3 * tests.source_code => GOOD,
        x if x >= tests.source_code => MIXED,
        _ => POOR,
    };
    let notes = format!(
        "{} with {} code lines for {} source code lines ({} test lines per source line)",
        plural(tests.files, "test file"),
        int(tests.code),
        int(tests.source_code),
        super::ratio(tests.code, tests.source_code)
    );
    (status, notes)
}

fn packages(md: &mut Markdown, measures: &ArchitectureMeasures, rule: &PackageRule) {
    if measures.packages.is_empty() {
        return;
    }
    md.heading("Packages");
    package_rule(md, rule);
    let layer_of = |name: &str| {
        measures
            .layering
            .layers
            .iter()
            .position(|layer| layer.iter().any(|p| p == name))
            .map_or("—".to_string(), |top_down| {
                (measures.layering.layers.len() - top_down).to_string()
            })
    };
    let mut rows: Vec<_> = measures.packages.iter().collect();
    rows.sort_by(|a, b| b.code_lines.cmp(&a.code_lines).then_with(|| a.name.cmp(&b.name)));
    md.line("Fan-in / fan-out count other packages; layer 1 is the bottom (imports no other package).");
    md.blank();
    md.table(
        &[
            "Package",
            "Modules",
            "Code lines",
            "Fan-in",
            "Fan-out",
            "Internal edges",
            "Edges in",
            "Edges out",
            "Layer",
        ],
        rows.iter().take(LIST_ROWS).map(|p| {
            vec![
                code(&p.name),
                count(p.modules),
                int(p.code_lines),
                count(p.fan_in),
                count(p.fan_out),
                count(p.internal_edges),
                count(p.edges_in),
                count(p.edges_out),
                layer_of(&p.name),
            ]
        }),
    );
    super::more(md, rows.len(), LIST_ROWS.min(rows.len()));
    dependency_matrix(md, measures);
}

/// Where the packages come from: each step of the rule (Appendix F) as it applied here.
fn package_rule(md: &mut Markdown, rule: &PackageRule) {
    let source = match rule.source {
        PackageRuleSource::Inferred => "inferred",
        PackageRuleSource::Declared => "declared in `plumb.toml`",
    };
    let steps = if rule.steps.is_empty() {
        "no source code to descend into: the top-level directories".to_string()
    } else {
        rule.steps.join("; ")
    };
    md.line(format!("- **Packages** ({source}): {steps}."));
    md.blank();
}

/// The package dependency matrix as a list, heaviest first.
fn dependency_matrix(md: &mut Markdown, measures: &ArchitectureMeasures) {
    let mut pairs: Vec<_> = measures.layering.matrix.iter().collect();
    if pairs.is_empty() {
        return;
    }
    pairs.sort_by(|a, b| {
        b.edges
            .cmp(&a.edges)
            .then_with(|| (&a.from, &a.to).cmp(&(&b.from, &b.to)))
    });
    md.line("Package dependencies (import edges from one package to another):");
    md.blank();
    md.table(
        &["From", "To", "Edges", "Lazy", "Typing-only", "Against layers"],
        pairs.iter().take(LIST_ROWS).map(|d| {
            vec![
                code(&d.from),
                code(&d.to),
                count(d.edges),
                count(d.lazy),
                count(d.typing_only),
                count(d.against),
            ]
        }),
    );
    super::more(md, pairs.len(), LIST_ROWS.min(pairs.len()));
}

fn hotspots(md: &mut Markdown, audit: &Audit) {
    let measures = &audit.architecture.measures;
    md.heading("God Modules / Hotspots");
    if !measures.god_modules.is_empty() {
        md.line("Ranked by code lines × production fan-in: big files much of the product depends on. Production fan-in counts the importing modules that are not tests, docs, or below an examples, samples, demos, tutorials, benchmarks or docs folder; the other importers are shown beside it. Tests, examples, data and generated files are not ranked.");
        md.blank();
        md.table(
            &[
                "#",
                "Module",
                "Code lines",
                "Fan-in (production)",
                "Fan-in (tests, examples, docs)",
                "Fan-out",
                "Score",
            ],
            measures.god_modules.iter().enumerate().map(|(i, m)| {
                vec![
                    (i + 1).to_string(),
                    code(&m.path),
                    int(m.code_lines),
                    count(m.fan_in_production),
                    count(m.fan_in - m.fan_in_production),
                    count(m.fan_out),
                    int(m.score),
                ]
            }),
        );
    }
    if !measures.hubs.is_empty() {
        md.line("Hub modules: the most modules imported.");
        md.blank();
        md.table(
            &["#", "Module", "Fan-out", "Fan-in", "Code lines"],
            measures.hubs.iter().enumerate().map(|(i, m)| {
                vec![
                    (i + 1).to_string(),
                    code(&m.path),
                    count(m.fan_out),
                    count(m.fan_in),
                    int(m.code_lines),
                ]
            }),
        );
    }
    largest_files(md, audit);
}

fn largest_files(md: &mut Markdown, audit: &Audit) {
    md.line("The largest hand-maintained files (roles source, test, build, ci) by code lines:");
    md.blank();
    md.table(
        &["#", "File", "Language", "Role", "Code", "Comments", "Blanks"],
        audit.god_modules.overall.iter().enumerate().map(|(i, f)| {
            vec![
                (i + 1).to_string(),
                code(&f.path),
                f.language.clone(),
                f.role.name().to_string(),
                int(f.lines.code),
                int(f.lines.comments),
                int(f.lines.blanks),
            ]
        }),
    );
    if audit.god_modules.by_language.is_empty() {
        return;
    }
    md.line("<details><summary>Largest files per language</summary>");
    md.blank();
    for (language, files) in &audit.god_modules.by_language {
        md.line(format!("**{language}**"));
        md.blank();
        md.table(
            &["#", "File", "Code"],
            files
                .iter()
                .enumerate()
                .map(|(i, f)| vec![(i + 1).to_string(), code(&f.path), int(f.lines.code)]),
        );
    }
    md.line("</details>");
    md.blank();
}

fn cycles(md: &mut Markdown, architecture: &Architecture) {
    md.heading("Cycles & Anti-Patterns");
    if architecture.modules.is_empty() {
        md.line("Import cycles, layering and encapsulation: 0 modules measured.");
        md.blank();
        return;
    }
    let cycles = &architecture.measures.cycles;
    let (eager, all) = (&cycles.eager.components, &cycles.components);
    let largest = |components: &[CycleComponent]| {
        components
            .first()
            .map_or("none".to_string(), |c| plural(c.modules.len(), "module"))
    };
    let (rust_modules, rust_cycles) = rust_crate_cycles(eager);
    // What the Coupling row counts: these, less the cycles of Rust modules.
    let coupling = match rust_cycles {
        0 => "the Coupling row above counts the same",
        _ => "cycles of Rust modules included, which the Coupling row above counts apart",
    };
    md.line(format!(
        "- **Import cycles at load time** (cycles of eager imports only, the imports that run as a module loads; {coupling}): {} (strongly connected components) holding {} of {}; largest: {}.",
        count(eager.len()),
        plural(cycles.eager.modules_in_cycles, "module"),
        count(architecture.modules.len()),
        largest(eager),
    ));
    md.line(format!(
        "- **Import cycles of all imports** (lazy and typing-only too): {} holding {}; largest: {}; {} with no cycle of eager imports inside: lazy or typing-only imports break them at load time.",
        count(all.len()),
        plural(cycles.modules_in_cycles, "module"),
        largest(all),
        count(all.iter().filter(|c| !c.eager_cycle).count()),
    ));
    if rust_cycles > 0 {
        md.line(format!(
            "- **Of these, {} of Rust modules** ({}): inside a crate `mod` points down and `use super::`/`crate::` back up; the compiler takes the crate whole, so these are coupling to read, not load-order failures.",
            plural(rust_cycles, "cycle"),
            plural(rust_modules, "module")
        ));
    }
    layering_lines(md, &architecture.measures);
    md.blank();
    for (i, component) in eager.iter().take(CYCLES_SHOWN).enumerate() {
        cycle(md, &format!("Load-time cycle {}", i + 1), component);
    }
    super::more(md, eager.len(), CYCLES_SHOWN.min(eager.len()));
    // A component of eager edges only is a load-time one, listed above already.
    let through_lazy: Vec<&CycleComponent> = all.iter().filter(|c| c.lazy_edges + c.typing_only_edges > 0).collect();
    for (i, component) in through_lazy.iter().take(CYCLES_SHOWN).enumerate() {
        cycle(md, &format!("Cycle {} of all imports", i + 1), component);
    }
    super::more(md, through_lazy.len(), CYCLES_SHOWN.min(through_lazy.len()));
    let measures = &architecture.measures;
    evidence_list(
        md,
        "Edges against the layering",
        &measures.layering.against,
        measures.layering.against_count,
    );
    evidence_list(
        md,
        "Imports of private modules",
        &measures.encapsulation.examples,
        measures.encapsulation.private_imports,
    );
}

fn layering_lines(md: &mut Markdown, measures: &ArchitectureMeasures) {
    let layering = &measures.layering;
    let source = match layering.source {
        LayerSource::Declared => "declared in `plumb.toml`",
        LayerSource::Inferred => "inferred from the package graph",
    };
    md.line(format!(
        "- **Layering** ({source}, top first): {}; {} against it.",
        layers_text(&layering.layers),
        plural(layering.against_count, "edge")
    ));
    for group in &layering.package_cycles {
        md.line(format!(
            "- **Package cycle:** {} import each other, directly or through one another: {}.",
            plural(group.len(), "package"),
            names(group, NAMES_SHOWN * 2)
        ));
    }
    md.line(format!(
        "- **Encapsulation:** {} of another package's `_private` modules.",
        plural(measures.encapsulation.private_imports, "import")
    ));
}

/// `a → b, c → d`: one group per layer, top first. A layer of many packages is counted,
/// not listed in full (executorch infers 20 in one layer); the Packages table gives each
/// package's layer.
fn layers_text(layers: &[Vec<String>]) -> String {
    if layers.is_empty() {
        return "none".to_string();
    }
    let layer_text = |layer: &Vec<String>| match layer.len() {
        n if n > NAMES_SHOWN => format!("[{n} packages: {}]", names(layer, NAMES_SHOWN)),
        _ => layer.join(", "),
    };
    let text: Vec<String> = layers.iter().map(layer_text).collect();
    format!("{} ({})", text.join(" → "), plural(layers.len(), "layer"))
}

/// One component with its shortest cycle; one of all imports says what of it still
/// cycles at load time.
fn cycle(md: &mut Markdown, title: &str, component: &CycleComponent) {
    let kinds = match component.lazy_edges + component.typing_only_edges {
        0 => String::new(),
        _ => format!(
            " ({} lazy, {} typing-only); {}",
            count(component.lazy_edges),
            count(component.typing_only_edges),
            match component.eager_modules {
                0 => "no cycle with eager imports alone: lazy or typing-only imports break it at load time".to_string(),
                n => format!("{} of its modules still in load-time cycles", count(n)),
            }
        ),
    };
    md.line(format!(
        "**{title}:** {}{}, {}{kinds}. Shortest cycle:",
        plural(component.modules.len(), "module"),
        common_folder(&component.modules).map_or(String::new(), |f| format!(" under {}", code(&f))),
        plural(component.edges, "edge"),
    ));
    md.blank();
    for step in &component.shortest {
        md.line(format!("1. {}", step_text(step)));
    }
    md.blank();
}

/// The deepest folder holding every module of a cycle (`backends/arm/`), so that a
/// component of hundreds of modules says where it lies; `None` when they share no folder.
fn common_folder(paths: &[String]) -> Option<String> {
    let first = paths.first()?;
    let mut folder = &first[..first.rfind('/')? + 1];
    for path in paths {
        while !path.starts_with(folder) {
            let trimmed = folder.trim_end_matches('/');
            folder = &folder[..trimmed.rfind('/').map_or(0, |i| i + 1)];
        }
    }
    (!folder.is_empty()).then(|| folder.to_string())
}

/// `a.py:12` → `b.py` (`import b`, lazy inside `def f` at line 10).
fn step_text(step: &EdgeEvidence) -> String {
    let kind = match step.kind {
        ImportKind::Eager => "",
        ImportKind::Lazy => ", lazy",
        ImportKind::TypingOnly => ", typing-only",
    };
    let guard = step.guard.as_ref().map_or(String::new(), guard_text);
    format!(
        "{} → {} ({}{kind}{guard})",
        code(&format!("{}:{}", step.from, step.line)),
        code(&step.to),
        code(&step.text)
    )
}

/// ` under `if TYPE_CHECKING` at line 3`: what made an import lazy or typing-only.
fn guard_text(guard: &Guard) -> String {
    let what = match guard.reason {
        GuardReason::TypeChecking => format!("under {}", code(&guard.text)),
        GuardReason::Function => format!("inside {}", code(&guard.text)),
        GuardReason::ModuleGetattr => format!("in the module's {}", code(&guard.text)),
        GuardReason::LazyModule => format!(
            "as a key of `_import_structure`, for the lazy module {}",
            code(&guard.text)
        ),
    };
    format!(" {what} at line {}", guard.line)
}

/// The first examples of `total` edges; audit.json keeps up to `graph::EXAMPLES` of them.
fn evidence_list(md: &mut Markdown, title: &str, list: &[EdgeEvidence], total: usize) {
    if list.is_empty() {
        return;
    }
    md.line(format!(
        "<details><summary>{title}: {} of {}, in path order</summary>",
        count(list.len().min(LIST_ROWS)),
        count(total)
    ));
    md.blank();
    for step in list.iter().take(LIST_ROWS) {
        md.line(format!("- {}", step_text(step)));
    }
    md.blank();
    md.line("</details>");
    md.blank();
}

#[cfg(test)]
mod tests {
    use crate::graph::tests::{architecture, measured};
    use crate::model::ImportKind::{Eager, Lazy, TypingOnly};

    /// A layer or package cycle of many packages is counted, not listed in full: on
    /// executorch one line named 20 packages.
    #[test]
    fn many_packages_in_a_layer_are_counted() {
        let many: Vec<String> = (1..=9).map(|i| format!("p{i}")).collect();
        let layers = vec![vec!["top".to_string()], many];
        assert_eq!(
            super::layers_text(&layers),
            "top → [9 packages: p1, p2, p3, p4, p5, p6 +3 more] (2 layers)"
        );
        assert_eq!(super::layers_text(&[]), "none");
    }

    #[test]
    fn a_cycle_says_which_folder_holds_it() {
        let paths = |list: &[&str]| list.iter().map(|p| p.to_string()).collect::<Vec<_>>();
        let folder = |list: &[&str]| super::common_folder(&paths(list));
        assert_eq!(folder(&["a/b/c.py", "a/b/d/e.py"]), Some("a/b/".to_string()));
        assert_eq!(folder(&["a/bc/x.py", "a/b/y.py"]), Some("a/".to_string()));
        assert_eq!(folder(&["a/x.py", "b/y.py"]), None);
        assert_eq!(folder(&["x.py", "a/y.py"]), None);
    }

    /// Sections 2 and 3 of a small graph: a package cycle held by a lazy import, a private
    /// import across packages, a hub.
    #[test]
    fn sections_two_and_three_of_a_measured_graph() {
        let audit = measured(architecture(
            &[
                ("app/main.py", "app", 40),
                ("core/__init__.py", "core", 5),
                ("core/_impl.py", "core", 300),
                ("core/api.py", "core", 60),
                ("util/u.py", "util", 30),
            ],
            &[
                (0, 2, 3, Eager),
                (0, 3, 4, Eager),
                (0, 4, 5, Eager),
                (1, 3, 1, Eager),
                (3, 2, 2, Eager),
                (2, 3, 9, TypingOnly),
                (3, 4, 3, Eager),
                (4, 3, 12, Lazy),
            ],
        ));
        let md = super::super::render(&audit);
        let start = md.find("## 3.").expect("section 3");
        let end = md.find("## 4.").expect("section 4");
        let structure = md[start..].find("### Import Graph").expect("graph summary") + start;
        insta::assert_snapshot!(&md[structure..end]);
    }
}
