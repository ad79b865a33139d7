//! import-linter and tach contracts, evaluated on plumb's import graph by each tool's
//! documented semantics, with these differences, said in the rows' notes and the README:
//! - the graph holds the repository's Python modules as plumb resolves them: imports of
//!   external packages are not edges, so a contract forbidding one is not checked there;
//! - import-linter counts every import statement, in functions too (grimp does), and
//!   leaves typing-only ones out with `exclude_type_checking_imports`; tach leaves them out
//!   unless `ignore_type_checking_imports = false`. Neither sees the submodules a lazy
//!   module loads from its `_import_structure` (they are names in a dict, not import
//!   statements), so those edges are left out;
//! - import-linter's indirect imports: one shortest chain per importing module that does
//!   not import the forbidden one directly, through modules outside both sides (and, for
//!   layers and independence, outside the other layers or modules of the contract);
//! - tach: direct imports only, as `tach check`; interfaces and visibility not evaluated.

use std::collections::HashMap;
use std::rc::Rc;

use crate::analyzers::{Judgement, Reporter};
use crate::model::{
    Audit, Confidence, Contract, ContractFile, ContractKind, ContractTool, GuardReason, ImportEdge, ImportKind, Module,
    Severity, TachModule,
};

use super::chains::{cost, dotted_match, is_within, violations, Pair, View, Violation, BUDGET};
use super::{edge_finding, kind_name, listed, row, EdgeBreak, Judged, GUARDRAIL_INVALID, GUARDRAIL_UNKNOWN_MODULE};

/// How many modules of a chain a message names.
const CHAIN_SHOWN: usize = 6;

pub(super) fn judge(audit: &Audit, judged: &mut Judged) {
    let mut budget = BUDGET;
    for file in &audit.governance.contract_files {
        let mut reporter = Reporter::new(&file.path, &file.text);
        for problem in &file.problems {
            let judgement = Judgement {
                severity: Severity::Medium,
                confidence: Confidence::High,
                message: format!("{} configuration: {}", file.tool.name(), problem.value),
                remediation: GUARDRAIL_INVALID.help,
            };
            let at = (problem.location.line, problem.location.column);
            reporter.report(&GUARDRAIL_INVALID, at, 1, judgement);
        }
        for contract in &file.contracts {
            unknown_modules(file, contract, &mut reporter);
        }
        match file.tool {
            ContractTool::ImportLinter => import_linter(audit, file, &mut budget, judged),
            ContractTool::Tach => tach(audit, file, judged),
        }
        judged.findings.extend(reporter.into_findings());
    }
}

/// A `guardrail-unknown-module` finding at each name the snapshot lacks.
fn unknown_modules(file: &ContractFile, contract: &Contract, reporter: &mut Reporter<'_>) {
    for module in &contract.missing {
        let at = reporter
            .find(module.line, module.line, &module.name)
            .unwrap_or((module.line, 1));
        let judgement = Judgement {
            severity: Severity::Medium,
            confidence: Confidence::High,
            message: format!(
                "{} contract \"{}\" names `{}`, which no Python file of the snapshot holds",
                file.tool.name(),
                contract.name,
                module.name
            ),
            remediation: GUARDRAIL_UNKNOWN_MODULE.help,
        };
        reporter.report(&GUARDRAIL_UNKNOWN_MODULE, at, module.name.chars().count(), judgement);
    }
}

/// Whether the tool's graph has the import: not a submodule a lazy module loads from its
/// `_import_structure` (no import statement), not a typing-only one when the file leaves
/// those out.
fn counted(file: &ContractFile, edge: &ImportEdge) -> bool {
    let lazy_module_entry = edge.guard.as_ref().is_some_and(|g| g.reason == GuardReason::LazyModule);
    let left_out = file.exclude_type_checking && edge.kind == ImportKind::TypingOnly;
    !lazy_module_entry && !left_out
}

fn kinds_note(file: &ContractFile) -> String {
    match (file.tool, file.exclude_type_checking) {
        (ContractTool::ImportLinter, true) => {
            "every import counts, lazy ones too; typing-only ones are left out (`exclude_type_checking_imports`)"
        }
        (ContractTool::ImportLinter, false) => "every import counts, lazy and typing-only ones too, as import-linter's",
        (ContractTool::Tach, true) => "direct imports, lazy ones too; typing-only ones are left out, as tach's default",
        (ContractTool::Tach, false) => {
            "direct imports, lazy and typing-only ones too (`ignore_type_checking_imports = false`)"
        }
    }
    .to_string()
}

/// One contract's broken imports, each with why it breaks it and what it reaches.
struct Broken<'a> {
    violation: Violation<'a>,
    why: String,
}

fn import_linter(audit: &Audit, file: &ContractFile, budget: &mut usize, judged: &mut Judged) {
    let in_roots = |m: &Module| m.language == "Python" && file.roots.iter().any(|r| is_within(&m.name, r));
    let view = View::new(&audit.architecture, in_roots, |e| counted(file, e));
    let graph_modules = view.kept.iter().filter(|k| **k).count();
    for contract in &file.contracts {
        let ignored: Vec<bool> = view
            .edges
            .iter()
            .map(|e| {
                contract.ignore_imports.iter().any(|i| {
                    dotted_match(&i.importer, &view.modules[e.from].name)
                        && dotted_match(&i.imported, &view.modules[e.to].name)
                })
            })
            .collect();
        let mut search = Search::new(&view, &ignored, budget);
        let (contract_type, indirect) = match &contract.kind {
            ContractKind::Forbidden {
                sources,
                forbidden,
                allow_indirect,
            } => {
                let none = vec![false; view.modules.len()];
                for source in sources {
                    for target in forbidden {
                        let why = format!("`{}` must not import `{}`", source.name, target.name);
                        search.pair(&source.name, &target.name, &none, !allow_indirect, why);
                    }
                }
                ("forbidden", !allow_indirect)
            }
            ContractKind::Independence { modules } => {
                let names: Vec<&str> = modules.iter().map(|m| m.name.as_str()).collect();
                match search.union(&names) {
                    Some(blocked) => {
                        for a in &names {
                            for b in names.iter().filter(|b| *b != a) {
                                let why = format!("`{a}` and `{b}` must be independent");
                                search.pair(a, b, &blocked, true, why);
                            }
                        }
                    }
                    None => search.pairs_skipped = true,
                }
                ("independence", true)
            }
            ContractKind::Layers { stacks } => {
                for stack in stacks {
                    search.stack(stack);
                }
                ("layers", true)
            }
            ContractKind::Unsupported { contract_type } => {
                let mut status = row(
                    &contract.name,
                    &format!("import-linter {contract_type}"),
                    &file.path,
                    contract.line,
                    0,
                    false,
                );
                status
                    .notes
                    .push(format!("plumb does not evaluate contracts of type `{contract_type}`"));
                judged.rows.push(status);
                continue;
            }
            ContractKind::TachModule(_) => continue,
        };
        let (chains_skipped, pairs_skipped) = (search.chains_skipped, search.pairs_skipped);
        let broken = search.broken;
        let count = broken.len();
        for broken in broken {
            let finding = contract_finding(audit, file, contract, "import-linter contract", broken);
            judged.findings.push(finding);
        }
        let assessable = contract.missing.is_empty() && graph_modules > 0 && !pairs_skipped;
        let mut status = row(
            &contract.name,
            &format!("import-linter {contract_type}"),
            &file.path,
            contract.line,
            count,
            assessable,
        );
        status.notes.push(kinds_note(file));
        status.notes.push(match (indirect, chains_skipped, pairs_skipped) {
            (_, _, true) => "not all of it checked: plumb's work limit for contracts ran out on this graph".to_string(),
            (_, true, false) => "indirect imports not checked: plumb's work limit for contracts ran out".to_string(),
            (true, false, false) => "indirect imports checked".to_string(),
            (false, false, false) => "direct imports only (`allow_indirect_imports`)".to_string(),
        });
        notes(&mut status.notes, contract, graph_modules);
        judged.rows.push(status);
    }
}

/// What a row says about the names and the graph.
fn notes(notes: &mut Vec<String>, contract: &Contract, graph_modules: usize) {
    if graph_modules == 0 {
        notes.push("no Python module of the import graph is in its roots".to_string());
    }
    if !contract.missing.is_empty() {
        let names: Vec<String> = contract.missing.iter().map(|m| m.name.clone()).collect();
        notes.push(format!("names {} not in the snapshot", listed(&names, 3)));
    }
    notes.extend(contract.notes.iter().cloned());
}

/// The searches of one contract, within the audit's budget.
struct Search<'v, 'a> {
    view: &'v View<'a>,
    ignored: &'v [bool],
    budget: &'v mut usize,
    /// Each named module's mask, computed once.
    masks: HashMap<String, Rc<Vec<bool>>>,
    /// Chains of some pair were not searched, or some pair not checked at all.
    chains_skipped: bool,
    pairs_skipped: bool,
    broken: Vec<Broken<'a>>,
}

impl<'v, 'a> Search<'v, 'a> {
    fn new(view: &'v View<'a>, ignored: &'v [bool], budget: &'v mut usize) -> Self {
        Search {
            view,
            ignored,
            budget,
            masks: HashMap::new(),
            chains_skipped: false,
            pairs_skipped: false,
            broken: Vec::new(),
        }
    }

    /// Takes `cost` from the budget, if it holds that much.
    fn spend(&mut self, cost: usize) -> bool {
        let enough = *self.budget >= cost;
        if enough {
            *self.budget -= cost;
        }
        enough
    }

    /// The module `name` and its descendants.
    fn mask(&mut self, name: &str) -> Option<Rc<Vec<bool>>> {
        if let Some(mask) = self.masks.get(name) {
            return Some(mask.clone());
        }
        if !self.spend(self.view.modules.len()) {
            return None;
        }
        let mask = Rc::new(self.view.members(name));
        self.masks.insert(name.to_string(), mask.clone());
        Some(mask)
    }

    /// Every module of `names`, as one mask.
    fn union(&mut self, names: &[&str]) -> Option<Vec<bool>> {
        let mut union = vec![false; self.view.modules.len()];
        for name in names {
            for (u, m) in union.iter_mut().zip(self.mask(name)?.iter()) {
                *u |= m;
            }
        }
        Some(union)
    }

    /// Imports from `source` into `target`; chains not passing through `blocked`.
    fn pair(&mut self, source: &str, target: &str, blocked: &[bool], indirect: bool, why: String) {
        let (Some(source_mask), Some(target_mask)) = (self.mask(source), self.mask(target)) else {
            self.pairs_skipped = true;
            return;
        };
        let indirect = match indirect {
            true if self.spend(cost(self.view, true)) => true,
            _ if self.spend(cost(self.view, false)) => {
                self.chains_skipped |= indirect;
                false
            }
            _ => {
                self.pairs_skipped = true;
                return;
            }
        };
        let pair = Pair {
            source: &source_mask,
            target: &target_mask,
            blocked,
        };
        let found = violations(self.view, &pair, self.ignored, indirect);
        self.broken.extend(found.into_iter().map(|violation| Broken {
            violation,
            why: why.clone(),
        }));
    }

    /// A stack of layers: no lower layer imports a higher one, independent siblings do
    /// not import each other; chains do not pass through the stack's other layers.
    fn stack(&mut self, stack: &[crate::model::LayerLevel]) {
        let all: Vec<&str> = stack
            .iter()
            .flat_map(|l| l.modules.iter().map(|m| m.name.as_str()))
            .collect();
        let Some(blocked) = self.union(&all) else {
            self.pairs_skipped = true;
            return;
        };
        for (high_index, high) in stack.iter().enumerate() {
            for low in &stack[high_index + 1..] {
                for l in &low.modules {
                    for h in &high.modules {
                        let why = format!("layer `{}` is below `{}`", l.name, h.name);
                        self.pair(&l.name, &h.name, &blocked, true, why);
                    }
                }
            }
            if high.independent {
                for a in &high.modules {
                    for b in high.modules.iter().filter(|b| b.name != a.name) {
                        let why = format!("`{}` and `{}` are independent siblings of one layer", a.name, b.name);
                        self.pair(&a.name, &b.name, &blocked, true, why);
                    }
                }
            }
        }
    }
}

fn contract_finding(
    audit: &Audit,
    file: &ContractFile,
    contract: &Contract,
    what: &str,
    broken: Broken<'_>,
) -> crate::model::Finding {
    let modules = &audit.architecture.modules;
    let edge = broken.violation.edge;
    let (importer, imported) = (&modules[edge.from].name, &modules[edge.to].name);
    let via = &broken.violation.via;
    let target = via.last().map_or(imported, |&m| &modules[m].name);
    let reach = if via.len() > 1 {
        let names: Vec<String> = std::iter::once(importer.clone())
            .chain(via.iter().map(|&m| modules[m].name.clone()))
            .collect();
        let shown = if names.len() > CHAIN_SHOWN {
            format!(
                "{} → … → {}",
                names[..CHAIN_SHOWN - 1].join(" → "),
                names[names.len() - 1]
            )
        } else {
            names.join(" → ")
        };
        format!(", which leads on to `{target}` ({shown})")
    } else {
        String::new()
    };
    let message = format!(
        "`{importer}` imports `{imported}` ({}){reach}: {}, by {what} \"{}\" ({}:{})",
        kind_name(edge.kind),
        broken.why,
        contract.name,
        file.path,
        contract.line
    );
    let confidence = if via.is_empty() {
        Confidence::High
    } else {
        Confidence::Medium
    };
    edge_finding(
        audit,
        edge,
        EdgeBreak {
            message,
            confidence,
            key: [&file.path, &contract.name, target],
        },
    )
}

/// tach: each Python module belongs to the tach module with the longest path that holds
/// it; an import from one tach module into another must be allowed by the importer's
/// `depends_on` (all when omitted), a utility, or lower layers, and never by
/// `cannot_depend_on` or a higher layer.
fn tach(audit: &Audit, file: &ContractFile, judged: &mut Judged) {
    let declared: Vec<(&Contract, &TachModule)> = file
        .contracts
        .iter()
        .filter_map(|c| match &c.kind {
            ContractKind::TachModule(module) => Some((c, module)),
            _ => None,
        })
        .collect();
    let view = View::new(&audit.architecture, |m| m.language == "Python", |e| counted(file, e));
    let owner: Vec<Option<usize>> = view
        .modules
        .iter()
        .map(|m| {
            declared
                .iter()
                .enumerate()
                .filter(|(_, (_, t))| is_within(&m.name, &t.module.name))
                .max_by_key(|(_, (_, t))| t.module.name.len())
                .map(|(index, _)| index)
        })
        .collect();
    let mut broken: Vec<Vec<Broken<'_>>> = declared.iter().map(|_| Vec::new()).collect();
    for edge in &view.edges {
        let (Some(a), Some(b)) = (owner[edge.from], owner[edge.to]) else {
            continue;
        };
        if a == b || declared[a].1.unchecked {
            continue;
        }
        if let Some(why) = tach_refusal(file, declared[a].1, declared[b].1) {
            broken[a].push(Broken {
                violation: Violation { edge, via: Vec::new() },
                why,
            });
        }
    }
    let graph_modules = owner.iter().filter(|o| o.is_some()).count();
    for ((contract, module), broken) in declared.iter().zip(broken) {
        let count = broken.len();
        for broken in broken {
            judged
                .findings
                .push(contract_finding(audit, file, contract, "tach module", broken));
        }
        let mut status = row(
            &contract.name,
            "tach module",
            &file.path,
            contract.line,
            count,
            contract.missing.is_empty() && graph_modules > 0,
        );
        if module.unchecked {
            status
                .notes
                .push("`unchecked`: its imports are not checked".to_string());
        }
        status.notes.push(kinds_note(file));
        notes(&mut status.notes, contract, graph_modules);
        judged.rows.push(status);
    }
    for contract in file
        .contracts
        .iter()
        .filter(|c| matches!(c.kind, ContractKind::Unsupported { .. }))
    {
        let mut status = row(&contract.name, "tach module", &file.path, contract.line, 0, false);
        status
            .notes
            .push("module paths with globs and `<root>` are not evaluated".to_string());
        judged.rows.push(status);
    }
}

/// Why tach refuses an import from module `from` into module `to`, if it does.
fn tach_refusal(file: &ContractFile, from: &TachModule, to: &TachModule) -> Option<String> {
    let target = &to.module.name;
    let named = |list: &[crate::model::NamedModule]| list.iter().any(|d| dotted_match(&d.name, target));
    if named(&from.cannot_depend_on) {
        return Some(format!(
            "`{target}` is in the `cannot_depend_on` of `{}`",
            from.module.name
        ));
    }
    if to.utility {
        return None;
    }
    let layer = |m: &TachModule| {
        m.layer
            .as_ref()
            .and_then(|l| file.layers.iter().position(|x| &x.name == l))
    };
    if let (Some(low), Some(high)) = (layer(from), layer(to)) {
        if high < low {
            return Some(format!(
                "layer `{}` of `{target}` is above layer `{}`",
                file.layers[high].name, file.layers[low].name
            ));
        }
        if high > low {
            return file.layers[low + 1..high]
                .iter()
                .find(|l| l.closed)
                .map(|closed| format!("the closed layer `{}` lies between them", closed.name));
        }
    }
    match &from.depends_on {
        Some(list) if !named(list) => Some(format!(
            "`{target}` is not in the `depends_on` of `{}`",
            from.module.name
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Architecture, Role};

    /// `a.x` imports `b.y`, which imports `c.z`.
    fn chain() -> Architecture {
        let module = |name: &str| Module {
            path: format!("{}.py", name.replace('.', "/")),
            name: name.to_string(),
            language: "Python".to_string(),
            package: String::new(),
            code_lines: 1,
            role: Role::Source,
        };
        let edge = |from, to| ImportEdge {
            from,
            to,
            line: 1,
            kind: ImportKind::Eager,
            text: "import x".into(),
            guard: None,
        };
        Architecture {
            modules: vec![module("a.x"), module("b.y"), module("c.z")],
            edges: vec![edge(0, 1), edge(1, 2)],
            ..Default::default()
        }
    }

    #[test]
    fn past_the_budget_chains_then_pairs_are_left_out_and_said_so() {
        let architecture = chain();
        let view = View::new(&architecture, |_| true, |_| true);
        let ignored = vec![false; view.edges.len()];
        let none = vec![false; 3];
        let search_with = |mut budget: usize| {
            let mut search = Search::new(&view, &ignored, &mut budget);
            search.pair("a", "c", &none, true, String::new());
            (search.broken.len(), search.chains_skipped, search.pairs_skipped)
        };
        // Two masks (3 each), a direct pass (3) and a chain search (3 + 2).
        assert_eq!(search_with(14), (1, false, false), "the chain a → b → c");
        assert_eq!(search_with(9), (0, true, false), "direct imports only");
        assert_eq!(search_with(5), (0, false, true), "not even the masks");
    }
}
