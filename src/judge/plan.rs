//! Section 9: the ranked issues cut into pull-request-sized items, ordered so that an item
//! lands after the items it depends on, each with the score points it restores.

use std::collections::BTreeMap;

use super::rubric::Area;
use super::scores::{self, Inputs};
use crate::model::{Audit, Blocker, Finding, Plan, PlanItem, Restore, TopIssue};

/// The plan holds at most this many items, as the seed's section 9 asks (3–10).
pub const MAX_ITEMS: usize = 10;
/// One pull request touches at most this many files...
pub const FILES_PER_ITEM: usize = 20;
/// ...and clears at most this many findings.
pub const FINDINGS_PER_ITEM: usize = 100;
/// An issue shows at most this many items; the rest is one line of `remaining`.
const ITEMS_PER_ISSUE: usize = 2;

/// Rules whose fix is the refactor of one file (split it): one item per finding.
const ONE_FILE_RULES: &[&str] = &["god-module", "oversized-file"];
/// The files a split counts at least: the file and the ones its parts go to, which makes
/// it Medium at least.
const SPLIT_FILES: usize = 6;

/// Documented orderings between rules: the first must land before the second.
pub const RELATIONS: &[(&str, &str, &str)] = &[
    (
        "unpinned-uses",
        "no-dependency-updates",
        "pin actions before enabling updates for them",
    ),
    (
        "docker-image-unpinned",
        "no-dependency-updates",
        "pin images by digest before enabling updates for them",
    ),
    (
        "import-cycle",
        "layer-violation",
        "break cycles before enforcing layers",
    ),
    ("no-tests", "god-module", "test a package before splitting its modules"),
    (
        "no-tests",
        "oversized-file",
        "test a package before splitting its files",
    ),
];

/// One item before it is numbered.
struct Draft {
    rule: String,
    task: String,
    findings: usize,
    files: usize,
    priority: String,
    /// Cycle modules this item takes out of the eager cycles (import-cycle items).
    cycle_modules: u64,
}

pub fn plan(audit: &Audit, issues: &[TopIssue], inputs: &Inputs) -> Plan {
    let mut drafts = Vec::new();
    let mut remaining = Vec::new();
    for issue in issues {
        if drafts.len() >= MAX_ITEMS {
            remaining.push(format!(
                "`{}`: {} in {} (issue ranked {}), after these items",
                issue.rule,
                plural(issue.findings, "finding"),
                plural(issue.files, "file"),
                issue.rank
            ));
            continue;
        }
        let (items, left) = drafts_of(audit, issue);
        let room = MAX_ITEMS - drafts.len();
        let taken = items.len().min(room);
        let mut items = items;
        let extra = items.split_off(taken);
        drafts.extend(items);
        let left_over: usize = extra.len() + left;
        if left_over > 0 {
            remaining.push(format!(
                "`{}`: {} more {} of the same size",
                issue.rule,
                left_over,
                if left_over == 1 {
                    "pull request"
                } else {
                    "pull requests"
                }
            ));
        }
    }
    let order = order(&drafts);
    let drafts: Vec<Draft> = {
        let mut slots: Vec<Option<Draft>> = drafts.into_iter().map(Some).collect();
        order
            .iter()
            .map(|&i| slots[i].take().expect("each index once"))
            .collect()
    };
    let ids: Vec<String> = (1..=drafts.len()).map(|n| format!("M{n:02}")).collect();
    let mut items: Vec<PlanItem> = Vec::new();
    let mut state = inputs.clone();
    let mut before = scores::scores(&state);
    for (index, draft) in drafts.iter().enumerate() {
        clear(&mut state, draft);
        let after = scores::scores(&state);
        let restores = Area::ALL
            .iter()
            .filter_map(|area| {
                let (b, a) = (area_score(&before, *area), area_score(&after, *area));
                match (b, a) {
                    (Some(b), Some(a)) if a > b => Some(Restore {
                        score: area.key().to_string(),
                        points: f64::from(a - b) / 10.0,
                    }),
                    _ => None,
                }
            })
            .collect();
        before = after;
        let blockers = RELATIONS
            .iter()
            .filter(|(_, later, _)| *later == draft.rule)
            .filter_map(|(first, _, reason)| {
                let last = drafts[..index].iter().rposition(|d| d.rule == *first)?;
                Some(Blocker {
                    item: ids[last].clone(),
                    reason: reason.to_string(),
                })
            })
            .collect();
        items.push(PlanItem {
            id: ids[index].clone(),
            task: draft.task.clone(),
            rule: draft.rule.clone(),
            findings: draft.findings,
            files: draft.files,
            complexity: complexity(draft.files, draft.findings).to_string(),
            priority: draft.priority.clone(),
            blockers,
            restores,
        });
    }
    let first_milestone = first_milestone(&items);
    Plan {
        items,
        first_milestone,
        remaining,
    }
}

/// Small: up to 5 files and 20 findings; Medium: up to 20 files and 100 findings; Large:
/// more.
pub fn complexity(files: usize, findings: usize) -> &'static str {
    if files <= 5 && findings <= 20 {
        "Small"
    } else if files <= FILES_PER_ITEM && findings <= FINDINGS_PER_ITEM {
        "Medium"
    } else {
        "Large"
    }
}

fn area_score(scores: &crate::model::Scores, area: Area) -> Option<u32> {
    let score = match area {
        Area::Arch => &scores.arch,
        Area::Tests => &scores.tests,
        Area::Ci => &scores.ci,
        Area::Security => &scores.security,
    };
    scores::tenths(score)
}

/// The items of one issue (at most [`ITEMS_PER_ISSUE`]), and how many more pull requests
/// its findings need.
fn drafts_of(audit: &Audit, issue: &TopIssue) -> (Vec<Draft>, usize) {
    let mut findings: Vec<&Finding> = audit
        .findings
        .iter()
        .filter(|f| f.open_weight() > 0 && f.rule == issue.rule)
        .collect();
    findings.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.location.cmp(&b.location)));
    if issue.rule == "import-cycle" {
        return cycle_drafts(audit, issue, &findings);
    }
    if ONE_FILE_RULES.contains(&issue.rule.as_str()) {
        return split_drafts(audit, issue, &findings);
    }
    // Files in the order of their worst finding; batches of whole files.
    let mut by_file: Vec<(&str, usize)> = Vec::new();
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for finding in &findings {
        let path = finding.location.path.as_str();
        // A cap's summary stands for the findings it counts, in its file.
        let weight = finding.open_weight();
        match index.get(path) {
            Some(&i) => by_file[i].1 += weight,
            None => {
                index.insert(path, by_file.len());
                by_file.push((path, weight));
            }
        }
    }
    let mut batches: Vec<Vec<(&str, usize)>> = Vec::new();
    for entry in by_file {
        let fits = batches.last().is_some_and(|batch| {
            batch.len() < FILES_PER_ITEM && batch.iter().map(|(_, n)| n).sum::<usize>() + entry.1 <= FINDINGS_PER_ITEM
        });
        match fits {
            true => batches.last_mut().expect("checked").push(entry),
            false => batches.push(vec![entry]),
        }
    }
    let total = batches.len();
    let drafts = batches
        .iter()
        .take(ITEMS_PER_ISSUE)
        .enumerate()
        .map(|(part, batch)| {
            let findings: usize = batch.iter().map(|(_, n)| n).sum();
            let part = match total {
                1 => String::new(),
                _ => format!(" (part {} of {total})", part + 1),
            };
            Draft {
                rule: issue.rule.clone(),
                task: format!(
                    "Fix {} `{}` {} ({}) in {}{part}",
                    findings,
                    issue.rule,
                    if findings == 1 { "finding" } else { "findings" },
                    issue.title,
                    files_text(batch.iter().map(|(p, _)| *p).collect())
                ),
                findings,
                files: batch.len(),
                priority: issue.priority.clone(),
                cycle_modules: 0,
            }
        })
        .collect();
    (drafts, total.saturating_sub(ITEMS_PER_ISSUE))
}

/// One item per file to split, worst first: splitting a module is a pull request of its own,
/// which touches the module and the production modules that import it (at least Medium).
fn split_drafts(audit: &Audit, issue: &TopIssue, findings: &[&Finding]) -> (Vec<Draft>, usize) {
    let architecture = &audit.architecture;
    let importers = |path: &str| {
        architecture
            .modules
            .binary_search_by(|m| m.path.as_str().cmp(path))
            .ok()
            .and_then(|i| architecture.measures.fan_in_production.get(i).copied())
            .unwrap_or(0)
    };
    let files: Vec<&Finding> = findings.iter().copied().filter(|f| f.omitted.is_none()).collect();
    let drafts = files
        .iter()
        .take(ITEMS_PER_ISSUE)
        .map(|finding| Draft {
            rule: issue.rule.clone(),
            task: format!(
                "Split `{}` (`{}`: {})",
                finding.location.path, issue.rule, finding.message
            ),
            findings: 1,
            files: (1 + importers(&finding.location.path)).max(SPLIT_FILES),
            priority: issue.priority.clone(),
            cycle_modules: 0,
        })
        .collect();
    (drafts, files.len().saturating_sub(ITEMS_PER_ISSUE))
}

/// One item per eager cycle, largest first: the files it touches are the cycle's modules.
fn cycle_drafts(audit: &Audit, issue: &TopIssue, findings: &[&Finding]) -> (Vec<Draft>, usize) {
    let components = &audit.architecture.measures.cycles.eager.components;
    let drafts: Vec<Draft> = findings
        .iter()
        .filter_map(|finding| {
            let component = components.iter().find(|c| c.modules.contains(&finding.location.path))?;
            Some(Draft {
                rule: issue.rule.clone(),
                task: format!(
                    "Break the eager import cycle of {} at `{}:{}`",
                    plural(component.modules.len(), "module"),
                    finding.location.path,
                    finding.location.line
                ),
                findings: 1,
                files: component.modules.len(),
                priority: issue.priority.clone(),
                cycle_modules: component.modules.len() as u64,
            })
        })
        .collect();
    let total = drafts.len();
    (
        drafts.into_iter().take(ITEMS_PER_ISSUE).collect(),
        total.saturating_sub(ITEMS_PER_ISSUE),
    )
}

/// Lowers the rubric's inputs by what an item clears.
fn clear(state: &mut Inputs, draft: &Draft) {
    if let Some(tally) = state.rules.get_mut(&draft.rule) {
        tally.open = tally.open.saturating_sub(draft.findings as u64);
        if tally.open == 0 {
            state.rules.remove(&draft.rule);
            // The rules counted as facts: their fact is gone with their last finding.
            match draft.rule.as_str() {
                "layer-violation" => state.layer_edges_against = 0,
                "private-import" => state.private_imports = 0,
                _ => {}
            }
        }
    }
    if draft.cycle_modules > 0 {
        if let Some(modules) = state.eager_cycle_modules.as_mut() {
            *modules = modules.saturating_sub(draft.cycle_modules);
        }
    }
}

/// Keeps the ranked order, except that an item moves after the items of the rules the
/// documented relations put first.
fn order(drafts: &[Draft]) -> Vec<usize> {
    let mut placed: Vec<usize> = Vec::new();
    let mut pending: Vec<usize> = (0..drafts.len()).collect();
    while !pending.is_empty() {
        let ready = pending
            .iter()
            .position(|&i| {
                RELATIONS.iter().all(|(first, later, _)| {
                    *later != drafts[i].rule || pending.iter().all(|&j| drafts[j].rule != *first)
                })
            })
            // The relations have no cycle; a safety net keeps the order total anyway.
            .unwrap_or(0);
        placed.push(pending.remove(ready));
    }
    placed
}

/// The first items of the highest priority present that nothing blocks, at most two.
fn first_milestone(items: &[PlanItem]) -> Vec<String> {
    let Some(best) = items.iter().map(|i| i.priority.as_str()).min() else {
        return Vec::new();
    };
    items
        .iter()
        .filter(|i| i.priority == best && i.blockers.is_empty())
        .take(2)
        .map(|i| i.id.clone())
        .collect()
}

fn files_text(paths: Vec<&str>) -> String {
    match paths.as_slice() {
        [one] => format!("`{one}`"),
        [a, b] => format!("`{a}` and `{b}`"),
        [a, b, c] => format!("`{a}`, `{b}` and `{c}`"),
        _ => {
            let prefix = common_folder(&paths);
            match prefix.is_empty() {
                true => format!("{} files (Appendix C lists them)", paths.len()),
                false => format!("{} files under `{prefix}/`", paths.len()),
            }
        }
    }
}

fn common_folder(paths: &[&str]) -> String {
    let mut common: Vec<&str> = paths[0].split('/').collect();
    common.pop();
    for path in &paths[1..] {
        let parts: Vec<&str> = path.split('/').collect();
        let shared = common.iter().zip(&parts).take_while(|(a, b)| a == b).count();
        common.truncate(shared.min(parts.len().saturating_sub(1)));
    }
    common.join("/")
}

fn plural(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}
