//! Judgement: what the measured model means for a refactor. Everything here reads the
//! model and writes judgement into it: findings over the graph and the posture facts,
//! declared guardrails checked against the graph, the baseline's comparison, and then
//! scores by the published rubric (`docs/scoring.md`), the ranked top issues and the
//! plan. No I/O: whatever a judgement needs from a file was read by the scan.

pub mod guardrails;
pub mod rules;

use crate::model::Audit;

/// Findings judged from the measured model (import cycles, layer violations, missing
/// tests, broken guardrails...). They are made before the caps and the masking, like the
/// analyzers' own, so suppression, caps and the baseline treat them alike.
pub fn findings(audit: &mut Audit) {
    rules::apply(audit);
    guardrails::apply(audit);
}

/// Scores, ranked issues and the plan, once the findings are final.
pub fn judge(_audit: &mut Audit) {}
