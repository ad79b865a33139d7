//! Guardrails judged on hand-built graphs: each test states the row and the findings a
//! reader of section 7 would see.

use super::*;
use crate::model::{
    ActionRef, Architecture, Contract, ContractFile, ContractKind, ContractTool, GuardrailDecl, GuardrailRule,
    IgnoredImport, ImportKind, LayerLevel, Module, NamedModule, PinKind, PlumbConfig, TachLayer, TachModule,
};

use ImportKind::{Eager, Lazy, TypingOnly};

/// Python modules named by dotted names (`pkg.low.a` is `pkg/low/a.py`, package
/// `pkg/low`); edges as `(from, to, line, kind)`.
fn graph(names: &[&str], edges: &[(usize, usize, usize, ImportKind)]) -> Audit {
    let mut audit = crate::model::sample();
    audit.findings.clear();
    audit.architecture = Architecture {
        modules: names
            .iter()
            .map(|name| {
                let path = format!("{}.py", name.replace('.', "/"));
                let package = path.rsplit_once('/').map_or(".", |(dir, _)| dir).to_string();
                Module {
                    path,
                    name: name.to_string(),
                    language: "Python".to_string(),
                    package,
                    code_lines: 10,
                    role: crate::model::Role::Source,
                }
            })
            .collect(),
        edges: edges
            .iter()
            .map(|&(from, to, line, kind)| crate::model::ImportEdge {
                from,
                to,
                line,
                kind,
                text: format!("import {}", names[to]).into(),
                guard: None,
            })
            .collect(),
        ..Default::default()
    };
    audit
}

fn named(name: &str, line: usize) -> NamedModule {
    NamedModule {
        name: name.to_string(),
        line,
    }
}

fn contract(name: &str, line: usize, kind: ContractKind) -> Contract {
    Contract {
        name: name.to_string(),
        line,
        kind,
        ignore_imports: Vec::new(),
        missing: Vec::new(),
        notes: Vec::new(),
    }
}

fn contract_file(tool: ContractTool, contracts: Vec<Contract>) -> ContractFile {
    let path = match tool {
        ContractTool::ImportLinter => ".importlinter",
        ContractTool::Tach => "tach.toml",
    };
    ContractFile {
        path: path.to_string(),
        tool,
        roots: vec!["pkg".to_string()],
        exclude_type_checking: tool == ContractTool::Tach,
        layers: Vec::new(),
        contracts,
        problems: Vec::new(),
        notes: Vec::new(),
        text: "line\n".repeat(40),
    }
}

/// Rows as `(name, status, broken)`.
fn rows(audit: &Audit) -> Vec<(&str, GuardrailState, usize)> {
    audit
        .governance
        .guardrails
        .iter()
        .map(|r| (r.name.as_str(), r.status, r.broken))
        .collect()
}

/// `guardrail-broken` findings as `path:line`.
fn broken_at(audit: &Audit) -> Vec<String> {
    let mut at: Vec<String> = audit
        .findings
        .iter()
        .filter(|f| f.rule == GUARDRAIL_BROKEN.id)
        .map(|f| format!("{}:{}", f.location.path, f.location.line))
        .collect();
    at.sort();
    at
}

const NAMES: [&str; 5] = ["pkg.low.a", "pkg.mid.b", "pkg.high.c", "pkg.util.d", "pkg.low.e"];

#[test]
fn forbidden_contract_reports_direct_imports_and_one_chain_per_importer() {
    // low.a imports high.c directly; low.e reaches it through util.d.
    let mut audit = graph(&NAMES, &[(0, 2, 3, Eager), (4, 3, 7, Lazy), (3, 2, 2, Eager)]);
    let forbidden = ContractKind::Forbidden {
        sources: vec![named("pkg.low", 5)],
        forbidden: vec![named("pkg.high", 7)],
        allow_indirect: false,
    };
    audit.governance.contract_files = vec![contract_file(
        ContractTool::ImportLinter,
        vec![contract("No high from low", 3, forbidden.clone())],
    )];
    apply(&mut audit);
    assert_eq!(rows(&audit), [("No high from low", GuardrailState::Broken, 2)]);
    assert_eq!(broken_at(&audit), ["pkg/low/a.py:3", "pkg/low/e.py:7"]);
    let chain = audit
        .findings
        .iter()
        .find(|f| f.location.path == "pkg/low/e.py")
        .expect("the chain's first import");
    assert!(
        chain
            .message
            .contains("which leads on to `pkg.high.c` (pkg.low.e → pkg.util.d → pkg.high.c)"),
        "{}",
        chain.message
    );
    assert!(chain
        .message
        .ends_with("by import-linter contract \"No high from low\" (.importlinter:3)"));
    assert_eq!(chain.confidence, Confidence::Medium);

    // allow_indirect_imports: the chain no longer counts; an ignored import neither.
    let mut audit = graph(&NAMES, &[(0, 2, 3, Eager), (4, 3, 7, Lazy), (3, 2, 2, Eager)]);
    let ContractKind::Forbidden { sources, forbidden, .. } = forbidden else {
        unreachable!()
    };
    let mut allowing = contract(
        "No high from low",
        3,
        ContractKind::Forbidden {
            sources,
            forbidden,
            allow_indirect: true,
        },
    );
    allowing.ignore_imports = vec![IgnoredImport {
        importer: "pkg.low.*".into(),
        imported: "pkg.high.c".into(),
        line: 9,
    }];
    audit.governance.contract_files = vec![contract_file(ContractTool::ImportLinter, vec![allowing])];
    apply(&mut audit);
    assert_eq!(rows(&audit), [("No high from low", GuardrailState::Kept, 0)]);
}

#[test]
fn layers_contract_with_independent_siblings_and_typing_only_imports_left_out() {
    let levels = vec![
        LayerLevel {
            modules: vec![named("pkg.high", 4)],
            independent: true,
        },
        LayerLevel {
            modules: vec![named("pkg.mid", 5), named("pkg.util", 5)],
            independent: true,
        },
        LayerLevel {
            modules: vec![named("pkg.low", 6)],
            independent: true,
        },
    ];
    // mid.b → low.a (down: fine), mid.b → util.d (siblings), high.c → low.a (fine),
    // low.e → high.c under TYPE_CHECKING (left out by the setting).
    let edges = [
        (1, 0, 1, Eager),
        (1, 3, 2, Eager),
        (2, 0, 3, Eager),
        (4, 2, 4, TypingOnly),
    ];
    let mut audit = graph(&NAMES, &edges);
    let mut file = contract_file(
        ContractTool::ImportLinter,
        vec![contract(
            "Layers",
            2,
            ContractKind::Layers {
                stacks: vec![levels.clone()],
            },
        )],
    );
    file.exclude_type_checking = true;
    audit.governance.contract_files = vec![file];
    apply(&mut audit);
    assert_eq!(rows(&audit), [("Layers", GuardrailState::Broken, 1)]);
    assert_eq!(broken_at(&audit), ["pkg/mid/b.py:2"]);
    assert!(audit.findings[0].message.contains("independent siblings"));

    // Counted, the typing-only import of a higher layer breaks it too.
    let mut audit = graph(&NAMES, &edges);
    let file = contract_file(
        ContractTool::ImportLinter,
        vec![contract("Layers", 2, ContractKind::Layers { stacks: vec![levels] })],
    );
    audit.governance.contract_files = vec![file];
    apply(&mut audit);
    assert_eq!(broken_at(&audit), ["pkg/low/e.py:4", "pkg/mid/b.py:2"]);
}

#[test]
fn independence_contract_and_a_missing_module_at_its_line() {
    let mut audit = graph(&NAMES, &[(0, 2, 3, Eager)]);
    let mut independent = contract(
        "Independent",
        3,
        ContractKind::Independence {
            modules: vec![named("pkg.low", 4), named("pkg.high", 5), named("pkg.gone", 6)],
        },
    );
    independent.missing = vec![named("pkg.gone", 6)];
    let mut kept = contract(
        "Kept apart",
        8,
        ContractKind::Independence {
            modules: vec![named("pkg.mid", 9), named("pkg.util", 10), named("pkg.gone", 11)],
        },
    );
    kept.missing = vec![named("pkg.gone", 11)];
    audit.governance.contract_files = vec![contract_file(ContractTool::ImportLinter, vec![independent, kept])];
    apply(&mut audit);
    assert_eq!(
        rows(&audit),
        [
            ("Independent", GuardrailState::Broken, 1),
            ("Kept apart", GuardrailState::NotAssessable, 0)
        ]
    );
    let unknown: Vec<(usize, &str)> = audit
        .findings
        .iter()
        .filter(|f| f.rule == GUARDRAIL_UNKNOWN_MODULE.id)
        .map(|f| (f.location.line, f.location.path.as_str()))
        .collect();
    assert_eq!(unknown, [(6, ".importlinter"), (11, ".importlinter")]);
}

fn tach_module(name: &str, line: usize, depends_on: Option<&[&str]>) -> Contract {
    contract(
        name,
        line,
        ContractKind::TachModule(TachModule {
            module: named(name, line + 1),
            depends_on: depends_on.map(|names| names.iter().map(|n| named(n, line + 2)).collect()),
            cannot_depend_on: Vec::new(),
            utility: false,
            unchecked: false,
            layer: None,
        }),
    )
}

#[test]
fn tach_modules_import_only_what_they_declare_utilities_and_lower_layers() {
    // low.a → mid.b (declared), low.e → util.d (a utility), mid.b → high.c (not
    // declared), high.c → low.a (lower layer), util.d → mid.b (depends_on omitted).
    let edges = [
        (0, 1, 1, Eager),
        (4, 3, 2, Eager),
        (1, 2, 3, Eager),
        (2, 0, 4, Eager),
        (3, 1, 5, Eager),
    ];
    let mut audit = graph(&NAMES, &edges);
    let mut util = tach_module("pkg.util", 13, None);
    let mut high = tach_module("pkg.high", 9, Some(&[]));
    let mut low = tach_module("pkg.low", 1, Some(&["pkg.mid"]));
    if let ContractKind::TachModule(m) = &mut util.kind {
        m.utility = true;
    }
    if let ContractKind::TachModule(m) = &mut high.kind {
        m.layer = Some("ui".into());
    }
    if let ContractKind::TachModule(m) = &mut low.kind {
        m.layer = Some("core".into());
    }
    let mut file = contract_file(
        ContractTool::Tach,
        vec![low, tach_module("pkg.mid", 5, Some(&["pkg.low"])), high, util],
    );
    file.layers = vec![
        TachLayer {
            name: "ui".into(),
            closed: false,
        },
        TachLayer {
            name: "core".into(),
            closed: false,
        },
    ];
    audit.governance.contract_files = vec![file];
    apply(&mut audit);
    assert_eq!(
        rows(&audit),
        [
            ("pkg.low", GuardrailState::Kept, 0),
            ("pkg.mid", GuardrailState::Broken, 1),
            ("pkg.high", GuardrailState::Kept, 0),
            ("pkg.util", GuardrailState::Kept, 0)
        ]
    );
    assert_eq!(broken_at(&audit), ["pkg/mid/b.py:3"]);
    assert!(audit.findings[0]
        .message
        .contains("`pkg.high` is not in the `depends_on` of `pkg.mid`, by tach module \"pkg.mid\" (tach.toml:5)"));
}

#[test]
fn a_suppression_on_the_import_line_silences_its_finding() {
    let mut audit = graph(&NAMES, &[(0, 2, 3, Eager)]);
    audit.inline_suppressions = crate::model::InlineSuppressions::new(vec![crate::model::FileSuppressions {
        path: "pkg/low/a.py".into(),
        lines: vec![(2, vec!["guardrail-broken".into()])],
    }]);
    let forbidden = ContractKind::Forbidden {
        sources: vec![named("pkg.low", 5)],
        forbidden: vec![named("pkg.high", 7)],
        allow_indirect: true,
    };
    audit.governance.contract_files = vec![contract_file(
        ContractTool::ImportLinter,
        vec![contract("F", 3, forbidden)],
    )];
    apply(&mut audit);
    assert!(audit.findings.iter().all(|f| f.suppressed), "{:?}", audit.findings);
}

fn declared(audit: &mut Audit, guardrails: Vec<(GuardrailRule, usize)>) {
    audit.surfaces.config = Some(PlumbConfig {
        path: "plumb.toml".into(),
        text: "[[guardrail]]\nforbid = { from = \"pkg/low\", to = \"pkg/nowhere\" }\n".repeat(20),
        guardrails: guardrails
            .into_iter()
            .map(|(rule, line)| GuardrailDecl {
                name: format!("rule at {line}"),
                rule,
                line,
            })
            .collect(),
        ..Default::default()
    });
}

#[test]
fn declared_forbid_and_layers_on_packages() {
    let mut audit = graph(&NAMES, &[(0, 2, 3, Eager), (2, 0, 4, Eager), (1, 3, 5, Eager)]);
    let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    declared(
        &mut audit,
        vec![
            (
                GuardrailRule::Forbid {
                    from: names(&["pkg/low"]),
                    to: names(&["pkg/high"]),
                },
                1,
            ),
            (
                GuardrailRule::Layers {
                    layers: vec![
                        names(&["pkg/high"]),
                        names(&["pkg/mid", "pkg/util"]),
                        names(&["pkg/low"]),
                    ],
                },
                3,
            ),
            (
                GuardrailRule::Forbid {
                    from: names(&["pkg/low"]),
                    to: names(&["pkg/nowhere"]),
                },
                5,
            ),
            (
                GuardrailRule::Forbid {
                    from: names(&["pkg"]),
                    to: names(&["pkg/util"]),
                },
                7,
            ),
        ],
    );
    apply(&mut audit);
    assert_eq!(
        rows(&audit),
        [
            ("rule at 1", GuardrailState::Broken, 1),
            ("rule at 3", GuardrailState::Broken, 1),
            ("rule at 5", GuardrailState::NotAssessable, 0),
            ("rule at 7", GuardrailState::Broken, 1)
        ]
    );
    assert_eq!(
        broken_at(&audit),
        ["pkg/low/a.py:3", "pkg/low/a.py:3", "pkg/mid/b.py:5"]
    );
    let unknown = audit
        .findings
        .iter()
        .find(|f| f.rule == GUARDRAIL_UNKNOWN_MODULE.id)
        .expect("the unknown package");
    assert_eq!(
        (unknown.location.path.as_str(), unknown.location.line),
        ("plumb.toml", 6)
    );
}

#[test]
fn actions_pinned_counts_every_uses_not_pinned_to_a_sha() {
    let mut audit = graph(&NAMES, &[]);
    let uses = |uses: &str, pin, line| ActionRef {
        location: crate::model::Location {
            path: ".github/workflows/ci.yml".into(),
            line,
            column: 15,
        },
        uses: uses.to_string(),
        pin,
        workflow_call: false,
    };
    audit.ci.action_refs = vec![
        uses("actions/checkout@v4", PinKind::Tag, 8),
        uses("./local", PinKind::Local, 9),
        uses(
            "actions/setup-python@0123456789abcdef0123456789abcdef01234567",
            PinKind::Sha,
            10,
        ),
    ];
    declared(&mut audit, vec![(GuardrailRule::ActionsPinned, 1)]);
    apply(&mut audit);
    assert_eq!(rows(&audit), [("rule at 1", GuardrailState::Broken, 1)]);
    assert_eq!(broken_at(&audit), [".github/workflows/ci.yml:8"]);
    assert!(audit.governance.guardrails[0].notes[0].starts_with("2 of 3 `uses:` pinned"));
}
