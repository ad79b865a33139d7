//! The scores: 10 minus the deductions of the rubric ([`super::rubric`]), each deduction
//! listed with the input it read, so the waterfall in the pack adds up by hand.

use std::collections::BTreeMap;

use super::rubric::{self, Area, Steps};
use crate::model::{Audit, Deduction, Score, Scores, Severity, RUBRIC_VERSION};

/// What the rubric reads: open findings per rule and the measured facts. The plan
/// lowers these to see what an item would restore.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pub rules: BTreeMap<String, RuleTally>,
    /// `None` when there is no import graph (no module in a language plumb reads).
    pub eager_cycle_modules: Option<u64>,
    pub layer_edges_against: u64,
    pub cross_package_edges: u64,
    pub private_imports: u64,
    /// Test and source code lines; `None` when no test file was found.
    pub test_code: Option<u64>,
    pub source_code: u64,
    /// Workflows that run a test command; `None` without workflows.
    pub workflows_running_tests: Option<usize>,
    pub workflows: usize,
}

#[derive(Debug, Clone)]
pub struct RuleTally {
    pub area: Area,
    pub title: String,
    pub open: u64,
    pub worst: Severity,
}

impl Inputs {
    pub fn measure(audit: &Audit) -> Inputs {
        let mut rules: BTreeMap<String, RuleTally> = BTreeMap::new();
        // A cap's summary stands for every open finding it counts.
        for finding in audit.findings.iter().filter(|f| f.open_weight() > 0) {
            let Some(rule) = audit.rules.iter().find(|r| r.id == finding.rule) else {
                continue;
            };
            let Some(area) = rubric::area_of(rule.group, rule.id) else {
                continue;
            };
            let tally = rules.entry(finding.rule.clone()).or_insert(RuleTally {
                area,
                title: rule.title.to_string(),
                open: 0,
                worst: Severity::Info,
            });
            tally.open += finding.open_weight() as u64;
            tally.worst = tally.worst.max(finding.severity);
        }
        let architecture = &audit.architecture;
        let measures = &architecture.measures;
        let has_graph = !architecture.modules.is_empty() && audit.analyzers.iter().any(|a| a == "imports");
        let has_tests = audit.tests.files > 0 || audit.tests.inline_test_files > 0;
        let workflows = audit.ci.workflows.len();
        Inputs {
            rules,
            eager_cycle_modules: has_graph
                .then(|| super::rules::judged_cycles(audit).map(|c| c.modules.len() as u64).sum()),
            layer_edges_against: measures.layering.against_count as u64,
            cross_package_edges: measures.layering.matrix.iter().map(|d| d.edges as u64).sum(),
            private_imports: measures.encapsulation.private_imports as u64,
            test_code: has_tests.then_some(audit.tests.code),
            source_code: audit.tests.source_code,
            workflows_running_tests: (workflows > 0).then(|| {
                audit
                    .ci
                    .workflows
                    .iter()
                    .filter(|w| !w.test_commands.is_empty())
                    .count()
            }),
            workflows,
        }
    }
}

pub fn scores(inputs: &Inputs) -> Scores {
    let [arch, tests, ci, security] = Area::ALL.map(|area| score(area, inputs));
    let overall = overall(&[&arch, &tests, &ci, &security]);
    Scores {
        rubric_version: RUBRIC_VERSION.to_string(),
        arch,
        tests,
        ci,
        security,
        overall,
        verdict: String::new(),
    }
}

/// The value of a score in tenths, `None` when not assessable: what the plan compares.
pub fn tenths(score: &Score) -> Option<u32> {
    score.value.map(|v| (v * 10.0).round() as u32)
}

fn score(area: Area, inputs: &Inputs) -> Score {
    let (not_assessable, facts, unmeasured) = match area {
        Area::Arch => arch_facts(inputs),
        Area::Tests => tests_facts(inputs),
        Area::Ci => ci_facts(inputs),
        Area::Security => (None, Vec::new(), Vec::new()),
    };
    let mut lines: Vec<(Deduction, u32)> = facts;
    lines.extend(rule_deductions(area, inputs));
    let lost: u32 = lines.iter().map(|(_, tenths)| tenths).sum();
    let value = 100u32.saturating_sub(lost);
    let formula = match &not_assessable {
        Some(_) => "not assessable: no value, left out of the overall score".to_string(),
        None => {
            let listed: Vec<String> = lines
                .iter()
                .filter(|(_, t)| *t > 0)
                .map(|(_, t)| rubric::tenths_text(*t))
                .collect();
            match listed.is_empty() {
                true => "10.0, nothing deducted".to_string(),
                false if lost >= 100 => format!("10.0 − {} = 0.0 (floored at 0)", listed.join(" − ")),
                false => format!("10.0 − {} = {}", listed.join(" − "), rubric::tenths_text(value)),
            }
        }
    };
    let assessable = not_assessable.is_none();
    Score {
        value: assessable.then_some(f64::from(value) / 10.0),
        assessable,
        not_assessable,
        deductions: lines.into_iter().map(|(d, _)| d).collect(),
        unmeasured,
        formula,
        rubric_version: RUBRIC_VERSION.to_string(),
    }
}

type Facts = (Option<String>, Vec<(Deduction, u32)>, Vec<String>);

fn arch_facts(inputs: &Inputs) -> Facts {
    let Some(cycle_modules) = inputs.eager_cycle_modules else {
        return (
            Some("no import graph: no file in a language whose imports plumb reads".to_string()),
            Vec::new(),
            Vec::new(),
        );
    };
    let facts = vec![
        stepped(
            "modules in eager import cycles",
            Some("import-cycle"),
            cycle_modules,
            None,
            rubric::EAGER_CYCLE_STEPS,
        ),
        stepped(
            "cross-package import edges against the layers",
            Some("layer-violation"),
            inputs.layer_edges_against,
            Some(inputs.cross_package_edges),
            rubric::LAYER_STEPS,
        ),
        stepped(
            "imports of another package's private modules",
            Some("private-import"),
            inputs.private_imports,
            None,
            rubric::PRIVATE_IMPORT_STEPS,
        ),
    ];
    (None, facts, Vec::new())
}

fn tests_facts(inputs: &Inputs) -> Facts {
    let unmeasured = vec![
        "coverage: needs the tests to run".to_string(),
        "determinism and speed: need test runs".to_string(),
    ];
    let Some(test_code) = inputs.test_code else {
        return (
            Some("no test files found in the layouts plumb recognises (Appendix D)".to_string()),
            Vec::new(),
            unmeasured,
        );
    };
    let per_hundred = (test_code * 100).checked_div(inputs.source_code).unwrap_or(u64::MAX);
    let below = rubric::TEST_SHARE_BELOW
        .iter()
        .find(|(threshold, _)| per_hundred < *threshold);
    let (step, tenths) = match below {
        Some((threshold, tenths)) => (format!("< {threshold} → {}", rubric::tenths_text(*tenths)), *tenths),
        None => {
            let last = rubric::TEST_SHARE_BELOW.last().map_or(0, |(t, _)| *t);
            (format!("≥ {last} → 0"), 0)
        }
    };
    let mut facts = vec![(
        Deduction {
            input: "test code lines per 100 source code lines".to_string(),
            rule: Some("test-ratio-low".to_string()),
            observed: test_code,
            of: Some(inputs.source_code),
            step: format!(
                "{} per 100: {step}",
                if per_hundred == u64::MAX {
                    "∞".to_string()
                } else {
                    per_hundred.to_string()
                }
            ),
            points: f64::from(tenths) / 10.0,
        },
        tenths,
    )];
    match inputs.workflows_running_tests {
        Some(running) => {
            let tenths = if running > 0 { 0 } else { rubric::NO_TESTS_IN_CI_TENTHS };
            facts.push((
                Deduction {
                    input: "workflows that run a test command".to_string(),
                    rule: None,
                    observed: running as u64,
                    of: Some(inputs.workflows as u64),
                    step: match running {
                        0 => format!("none → {}", rubric::tenths_text(tenths)),
                        _ => "at least one → 0".to_string(),
                    },
                    points: f64::from(tenths) / 10.0,
                },
                tenths,
            ));
            (None, facts, unmeasured)
        }
        None => {
            let mut unmeasured = unmeasured;
            unmeasured.push("whether CI runs the tests: no workflows".to_string());
            (None, facts, unmeasured)
        }
    }
}

fn ci_facts(inputs: &Inputs) -> Facts {
    let unmeasured = vec!["reliability and speed: need the CI provider's run history".to_string()];
    if inputs.workflows == 0 {
        return (Some("no GitHub Actions workflows".to_string()), Vec::new(), unmeasured);
    }
    (None, Vec::new(), unmeasured)
}

/// One deduction per rule of the area with open findings, plus the area's rules counted
/// as facts left out.
fn rule_deductions(area: Area, inputs: &Inputs) -> Vec<(Deduction, u32)> {
    inputs
        .rules
        .iter()
        .filter(|(id, tally)| tally.area == area && !rubric::COUNTED_AS_FACTS.contains(&id.as_str()))
        .map(|(id, tally)| {
            let weight = rubric::severity_tenths(tally.worst);
            let level = rubric::RULE_STEPS
                .reached(tally.open)
                .map_or(0, |(_, level)| level / 10);
            let tenths = level * weight;
            let deduction = Deduction {
                input: format!(
                    "open `{id}` findings ({}), highest severity {}",
                    tally.title,
                    severity_word(tally.worst)
                ),
                rule: Some(id.clone()),
                observed: tally.open,
                of: None,
                step: format!(
                    "{}: level {level} × {}",
                    rubric::RULE_STEPS.range(tally.open),
                    rubric::tenths_text(weight)
                ),
                points: f64::from(tenths) / 10.0,
            };
            (deduction, tenths)
        })
        .collect()
}

fn stepped(input: &str, rule: Option<&str>, observed: u64, of: Option<u64>, steps: Steps) -> (Deduction, u32) {
    let tenths = steps.reached(observed).map_or(0, |(_, t)| t);
    let deduction = Deduction {
        input: input.to_string(),
        rule: rule.map(str::to_string),
        observed,
        of,
        step: steps.describe(observed, 10),
        points: f64::from(tenths) / 10.0,
    };
    (deduction, tenths)
}

pub fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::High => "high",
        Severity::Medium => "medium",
        Severity::Low => "low",
        Severity::Info => "info",
    }
}

/// The mean of the assessable scores, rounded to the nearest tenth (halves up).
fn overall(scores: &[&Score; 4]) -> Score {
    let values: Vec<u32> = scores.iter().filter_map(|s| tenths(s)).collect();
    let mut score = Score {
        rubric_version: RUBRIC_VERSION.to_string(),
        ..Score::default()
    };
    if values.is_empty() {
        score.not_assessable = Some("no score is assessable".to_string());
        score.formula = "not assessable: no score is".to_string();
        return score;
    }
    let sum: u32 = values.iter().sum();
    let count = values.len() as u32;
    let mean = (2 * sum + count) / (2 * count);
    let terms: Vec<String> = values.iter().map(|v| rubric::tenths_text(*v)).collect();
    score.value = Some(f64::from(mean) / 10.0);
    score.assessable = true;
    score.formula = format!(
        "({}) / {count} = {}, rounded to a tenth",
        terms.join(" + "),
        rubric::tenths_text(mean)
    );
    score
}

/// The header's verdict: ready when the overall score is 8 or more, none is under 6 and no
/// top issue is P0; ready with conditions from 6 with none under 4; else stabilise first; `first_priority` is the highest
/// priority among the top issues, which the conditions name.
pub fn verdict(scores: &Scores, first_priority: Option<&str>) -> String {
    let overall = &scores.overall;
    let scores = [
        (Area::Arch, &scores.arch),
        (Area::Tests, &scores.tests),
        (Area::Ci, &scores.ci),
        (Area::Security, &scores.security),
    ];
    let Some(overall_tenths) = tenths(overall) else {
        return "NOT SCORED: no score was assessable".to_string();
    };
    let lowest = scores
        .iter()
        .filter_map(|(area, s)| tenths(s).map(|t| (t, *area)))
        .min()
        .expect("an assessable overall has an assessable score");
    let summary = format!(
        "overall {}/10, lowest {} {}/10",
        rubric::tenths_text(overall_tenths),
        lowest.1.title(),
        rubric::tenths_text(lowest.0)
    );
    let first = first_priority.map_or(String::new(), |p| format!(": fix the {p} issues first"));
    let p0 = first_priority == Some("P0");
    if overall_tenths >= rubric::READY_OVERALL && lowest.0 >= rubric::READY_LOWEST && !p0 {
        format!("READY FOR PHASED REFACTORING; {summary}")
    } else if overall_tenths >= rubric::CONDITIONAL_OVERALL && lowest.0 >= rubric::CONDITIONAL_LOWEST {
        format!("READY WITH CONDITIONS{first}; {summary}")
    } else {
        format!("STABILISE BEFORE REFACTORING{first}; {summary}")
    }
}
