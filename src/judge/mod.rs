//! Judgement: what the measured model means for a refactor. Everything here reads the
//! model and writes judgement into it: findings over the graph and the posture facts,
//! declared guardrails checked against the graph, the baseline's comparison, and then
//! scores by the published rubric (`docs/scoring.md`), the ranked top issues and the
//! plan. No I/O: whatever a judgement needs from a file was read by the scan.

pub mod baseline;
pub mod guardrails;
mod issues;
mod plan;
mod playbook;
pub mod rubric;
pub mod rules;
mod scores;

use crate::model::Audit;

/// Findings judged from the measured model (import cycles, layer violations, missing
/// tests, broken guardrails...). They are made before the caps and the masking, like the
/// analyzers' own, so suppression, caps and the baseline treat them alike.
pub fn findings(audit: &mut Audit) {
    rules::apply(audit);
    guardrails::apply(audit);
    // Once every rule is known: the baseline's entries for no rule are findings too.
    baseline::findings(audit);
}

/// Scores, ranked issues and the plan, once the findings are final.
pub fn judge(audit: &mut Audit) {
    // The comparison refers to findings by their index: it needs them final, so nothing
    // after it may add, remove or reorder findings (the scores and the plan only read them).
    baseline::compare(audit);
    let inputs = scores::Inputs::measure(audit);
    audit.scores = scores::scores(&inputs);
    let ranked = issues::ranked(audit);
    audit.plan = plan::plan(audit, &ranked, &inputs);
    audit.top_issues = ranked.into_iter().take(issues::TOP).collect();
    let first_priority = audit.top_issues.iter().map(|i| i.priority.as_str()).min();
    audit.scores.verdict = scores::verdict(&audit.scores, first_priority);
}
