//! GitHub Actions: every workflow, local action, Dependabot and Renovate file parsed with
//! positions, measured (triggers, jobs, matrices, runners, caching, test commands, every
//! `uses:` and its pin), and checked by the rules in [`rules`].
//!
//! Locations follow zizmor's convention so the two can be compared line for line: a
//! finding about a step points at the step's first line, one about a job at its key, one
//! about the whole workflow at line 1 or at `on:`.

pub mod checks;
pub mod expr;
mod flow_indent;
pub mod injection;
pub mod python;
pub mod rules;
pub mod triggers;
pub mod yaml;

use crate::model::{ActionFacts, Confidence, DependabotFacts, Location, Role, Rule, ScanNote, Severity, SkipReason};
use crate::scan::{File, FileInfo};

use super::caps::thousands;
use super::{Analysis, Analyzer, Conclusion};
pub(crate) use rules::fingerprint;
use rules::Judgement;
pub(super) use rules::Reporter;
use yaml::Node;

pub struct WorkflowsAnalyzer;

/// At most this many `uses:` of one workflow or action are kept (the first in file order,
/// for Appendix C and the SBOM); a scan note counts the rest. A large real workflow has a
/// few dozen.
pub const ACTION_REFS_PER_FILE: usize = 1_000;

/// What kind of GitHub file a path is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Workflow,
    Action,
    Dependabot,
    Renovate,
}

fn kind(path: &str) -> Option<Kind> {
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
    Some(match (dir, name) {
        // GitHub runs only the workflows at the root's .github/workflows, not nested ones.
        (".github/workflows", _) if yaml => Kind::Workflow,
        (".github", "dependabot.yml" | "dependabot.yaml") => Kind::Dependabot,
        (_, "action.yml" | "action.yaml") => Kind::Action,
        ("" | ".github" | ".gitlab", "renovate.json" | "renovate.json5") => Kind::Renovate,
        ("", n) if n.starts_with(".renovaterc") => Kind::Renovate,
        _ => return None,
    })
}

impl Analyzer for WorkflowsAnalyzer {
    fn id(&self) -> &'static str {
        "workflows"
    }

    fn rules(&self) -> &'static [Rule] {
        rules::ALL
    }

    fn wants(&self, file: &FileInfo) -> bool {
        file.tracked && file.role != Role::Vendored && kind(&file.path).is_some()
    }

    fn visit(&self, file: &File<'_>, out: &mut Analysis) {
        let Some(kind) = kind(&file.info.path) else { return };
        let path = file.info.path.as_str();
        if kind == Kind::Renovate {
            out.ci.renovate.push(path.to_string());
            return;
        }
        let Some(text) = file.text() else {
            let mut reporter = Reporter::new(path, "");
            parse_error(&mut reporter, (1, 1), "the file is not UTF-8".to_string());
            out.findings.extend(reporter.into_findings());
            return;
        };
        let mut reporter = Reporter::new(path, text);
        let first_ref = out.ci.action_refs.len();
        let first_python = out.ci.python_versions.len();
        let relaxed;
        let loaded = match yaml::load(text) {
            // A file refused for its size is refused again: not copied to find out.
            Err(error) if text.len() > yaml::MAX_BYTES => Err(error),
            Err(error) => match flow_indent::relaxed(text) {
                Some(copy) => {
                    relaxed = copy;
                    yaml::load(&relaxed).map_err(|_| error)
                }
                None => Err(error),
            },
            loaded => loaded,
        };
        match loaded {
            Err(e) => parse_error(&mut reporter, (e.line.max(1), e.column.max(1)), e.message),
            Ok(docs) => match (kind, docs.first()) {
                (_, None) => parse_error(&mut reporter, (1, 1), "the file is empty".to_string()),
                (Kind::Workflow, Some(doc)) => checks::workflow(doc, &mut reporter, &mut out.ci),
                (Kind::Action, Some(doc)) => action(doc, &mut reporter, out),
                (Kind::Dependabot, Some(doc)) => dependabot(doc, path, out),
                (Kind::Renovate, Some(_)) => {}
            },
        }
        out.findings.extend(reporter.into_findings());
        keep_first(
            &mut out.ci.action_refs,
            first_ref,
            ACTION_REFS_PER_FILE,
            "`uses:`",
            path,
            &mut out.notes,
        );
        keep_first(
            &mut out.ci.python_versions,
            first_python,
            python::PER_FILE,
            "`python-version` values",
            path,
            &mut out.notes,
        );
    }

    fn finish(&self, analysis: &Analysis) -> Conclusion {
        let mut ci = analysis.ci.clone();
        ci.workflows.sort();
        ci.actions.sort();
        ci.action_refs.sort();
        ci.dependabot.sort();
        ci.renovate.sort();
        ci.actionlint.sort();
        count_composite_caching(&mut ci);
        ci.workflow_linters.sort();
        ci.python_versions.sort();
        let finding = missing_update_tool(&ci);
        Box::new(move |audit| {
            audit.findings.extend(finding);
            audit.ci = ci;
        })
    }
}

/// Keeps the first `limit` entries one file added to `list` (those from `first` on), and
/// a scan note counting the rest.
fn keep_first<T>(list: &mut Vec<T>, first: usize, limit: usize, what: &str, path: &str, notes: &mut Vec<ScanNote>) {
    let added = list.len() - first;
    if added > limit {
        list.truncate(first + limit);
        let detail = format!(
            "and {} more {what}, not kept: plumb keeps at most {} per file",
            thousands(added - limit),
            thousands(limit)
        );
        notes.push(ScanNote::new(path, SkipReason::TooManyEntries, Some(detail)));
    }
}

fn parse_error(reporter: &mut Reporter<'_>, at: (usize, usize), message: String) {
    reporter.report(
        &rules::WORKFLOW_PARSE_ERROR,
        at,
        0,
        Judgement {
            severity: Severity::High,
            confidence: Confidence::High,
            message,
            remediation: "Fix the file so that it loads; run actionlint on it.",
        },
    );
}

/// A local action: its `runs.using`, and for composite actions their steps and `uses:`.
fn action(doc: &Node<'_>, reporter: &mut Reporter<'_>, out: &mut Analysis) {
    let Some((runs_key, runs)) = yaml::get_entry(doc, "runs") else {
        parse_error(reporter, (1, 1), "not an action: no `runs:`".to_string());
        return;
    };
    let Some(using) = yaml::get(runs, "using").and_then(yaml::text).map(|s| s.into_owned()) else {
        // GitHub refuses such an action when a workflow uses it.
        parse_error(
            reporter,
            yaml::position(runs_key),
            "not an action: `runs:` has no `using:`".to_string(),
        );
        return;
    };
    let steps = yaml::get(runs, "steps").map(yaml::items).unwrap_or_default();
    let scope = injection::Scope::of_action(doc);
    let mut context = checks::JobContext::default();
    for step in steps {
        checks::step(step, reporter, &mut out.ci, &mut context, &scope);
    }
    let caching_steps = context.caching_steps;
    context.report_leaky_checkouts(reporter);
    out.ci.actions.push(ActionFacts {
        path: reporter.path.to_string(),
        name: yaml::get(doc, "name").and_then(yaml::text).map(|s| s.into_owned()),
        using,
        steps: steps.len(),
        caching_steps,
    });
}

/// Local composite actions followed this deep (GitHub itself stops at 10 levels).
const MAX_ACTION_NESTING: usize = 10;

/// Adds to each workflow the caching steps of the local composite actions it uses, once
/// per use, through the local actions those use in turn.
fn count_composite_caching(ci: &mut crate::model::CiFacts) {
    let mut memo = std::collections::HashMap::new();
    let added: Vec<usize> = ci
        .workflows
        .iter()
        .map(|w| caching_through(ci, &w.path, &mut memo, 0))
        .collect();
    for (workflow, added) in ci.workflows.iter_mut().zip(added) {
        workflow.caching_steps += added;
    }
}

/// The caching steps of the local actions `path` uses, theirs included. `memo` holds each
/// action's total once known (so a chain shared by many uses is walked once) and 0 while
/// it is being walked (so a cycle of actions ends); chains end at [`MAX_ACTION_NESTING`].
fn caching_through(
    ci: &crate::model::CiFacts,
    path: &str,
    memo: &mut std::collections::HashMap<String, usize>,
    depth: usize,
) -> usize {
    let mut total = 0usize;
    if depth >= MAX_ACTION_NESTING {
        return total;
    }
    for target in local_actions_used(ci, path) {
        let nested = match memo.get(&target.path) {
            Some(known) => *known,
            None => {
                memo.insert(target.path.clone(), 0);
                let nested = target
                    .caching_steps
                    .saturating_add(caching_through(ci, &target.path, memo, depth + 1));
                memo.insert(target.path.clone(), nested);
                nested
            }
        };
        total = total.saturating_add(nested);
    }
    total
}

/// The local actions (`uses: ./dir`) that the file at `path` uses, as found in this tree.
fn local_actions_used<'c>(ci: &'c crate::model::CiFacts, path: &str) -> Vec<&'c ActionFacts> {
    ci.action_refs
        .iter()
        .filter(|r| r.location.path == path && !r.workflow_call)
        .filter_map(|r| r.uses.strip_prefix("./"))
        .filter_map(|dir| {
            let dir = dir.trim_end_matches('/');
            ci.actions
                .iter()
                .find(|a| a.path == format!("{dir}/action.yml") || a.path == format!("{dir}/action.yaml"))
        })
        .collect()
}

fn dependabot(doc: &Node<'_>, path: &str, out: &mut Analysis) {
    let ecosystems = yaml::get(doc, "updates")
        .map(yaml::items)
        .unwrap_or_default()
        .iter()
        .filter_map(|update| yaml::get(update, "package-ecosystem").and_then(yaml::text))
        .map(|s| s.into_owned())
        .collect();
    out.ci.dependabot.push(DependabotFacts {
        path: path.to_string(),
        ecosystems,
    });
}

/// `no-dependency-updates`: workflows exist, and neither Dependabot (with the
/// `github-actions` ecosystem) nor Renovate keeps their pins current. Reported on the
/// Dependabot file when there is one, else on the first workflow.
fn missing_update_tool(ci: &crate::model::CiFacts) -> Option<crate::model::Finding> {
    let first = ci.workflows.first()?;
    let covered = ci
        .dependabot
        .iter()
        .any(|d| d.ecosystems.iter().any(|e| e == "github-actions"));
    if covered || !ci.renovate.is_empty() {
        return None;
    }
    let path = ci.dependabot.first().map_or(first.path.as_str(), |d| d.path.as_str());
    let mut reporter = Reporter::new(path, "");
    reporter.report(
        &rules::NO_DEPENDENCY_UPDATES,
        (1, 1),
        0,
        Judgement {
            severity: Severity::Medium,
            confidence: Confidence::High,
            message:
                "no Dependabot `github-actions` entry and no Renovate configuration: action pins are never updated"
                    .to_string(),
            remediation: "Add `- package-ecosystem: github-actions` with `directory: /` to .github/dependabot.yml.",
        },
    );
    reporter.into_findings().pop()
}

/// Where a node starts, as a model location in `path`.
fn location(path: &str, node: &Node<'_>) -> Location {
    let (line, column) = yaml::position(node);
    Location {
        path: path.to_string(),
        line,
        column,
    }
}
