//! Judgement: scores by the published rubric (`docs/scoring.md`), the ranked top issues
//! and the PR-sized plan, all derived from the measured model by `crate::judge`.

use serde::Serialize;

use super::{Location, Severity};

/// Changes whenever a rule of `docs/scoring.md` changes (an input, a step, a weight, the
/// ranking formula): two packs compare scores only under the same version.
pub const RUBRIC_VERSION: &str = "1";

/// The four scores of the seed's Scoring Key and their mean.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Scores {
    pub rubric_version: String,
    pub arch: Score,
    pub tests: Score,
    pub ci: Score,
    pub security: Score,
    /// The mean of the assessable scores; not assessable when none is.
    pub overall: Score,
    /// The header's verdict, from the overall score and the lowest score.
    pub verdict: String,
}

/// One score: 10 minus its deductions, floored at 0, in tenths of a point.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Score {
    /// `None` when not assessable.
    pub value: Option<f64>,
    pub assessable: bool,
    /// Why not, when not assessable: the input that could not be measured.
    pub not_assessable: Option<String>,
    /// In the rubric's order; every input the rubric lists for this score, including
    /// those that cost nothing (points 0), so the waterfall shows what was checked.
    pub deductions: Vec<Deduction>,
    /// Parts of the area a static audit cannot measure (coverage, flakiness): said, and
    /// left out of the value rather than given a default.
    pub unmeasured: Vec<String>,
    /// How the value follows from the deductions, in words a reader can redo by hand.
    pub formula: String,
    pub rubric_version: String,
}

/// One line of a score's waterfall.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Deduction {
    /// What was counted, in words (`modules in eager import cycles`).
    pub input: String,
    /// The rule id whose open findings were counted, when the input is a rule.
    pub rule: Option<String>,
    /// The count measured.
    pub observed: u64,
    /// What the count is a share of, when the step reads a share.
    pub of: Option<u64>,
    /// The step of the rubric's table that the count reached (`10–99 → 1.0`), or why
    /// none was (`0 → 0`).
    pub step: String,
    pub points: f64,
}

/// An issue of section 8: the open findings of one rule, ranked against every other rule.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct TopIssue {
    /// 1-based rank.
    pub rank: usize,
    pub rule: String,
    pub title: String,
    /// `arch`, `tests`, `ci` or `security`: the score the rule counts in.
    pub area: String,
    pub severity: Severity,
    /// P0, P1 or P2, from severity and blast radius (`docs/scoring.md`).
    pub priority: String,
    /// The ranking formula's inputs and its product.
    pub rank_inputs: RankInputs,
    pub findings: usize,
    pub files: usize,
    /// Surfaces holding at least one of the findings' files, by name.
    pub surfaces: Vec<String>,
    /// The worst findings first (severity, then place): at most five.
    pub evidence: Vec<IssueEvidence>,
    pub observation: String,
    pub interpretation: String,
    pub recommendation: String,
    pub guardrail: String,
    pub rollback: String,
}

/// `rank = severity weight × blast radius weight × breadth`.
#[derive(Debug, Clone, Copy, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct RankInputs {
    pub severity_weight: u64,
    pub blast_radius: super::BlastRadius,
    pub blast_weight: u64,
    /// Digits of the finding count plus digits of the file count, minus one.
    pub breadth: u64,
    pub rank: u64,
}

/// A finding quoted as evidence: where, how bad, and its message.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct IssueEvidence {
    pub location: Location,
    pub severity: Severity,
    pub message: String,
}

/// An item of section 9: one pull request's worth of one issue's findings.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct PlanItem {
    /// `M01`, `M02`, ... in plan order.
    pub id: String,
    pub task: String,
    pub rule: String,
    /// The findings this item clears, and the files they are in.
    pub findings: usize,
    pub files: usize,
    /// Small, Medium or Large, from `files` and `findings` (`docs/scoring.md`).
    pub complexity: String,
    pub priority: String,
    /// Items to land first, by id, each with the documented relation that orders them.
    pub blockers: Vec<Blocker>,
    /// Score points the item would restore, per score, computed by re-running the rubric
    /// without the findings it clears.
    pub restores: Vec<Restore>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Blocker {
    pub item: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Restore {
    pub score: String,
    pub points: f64,
}

/// Section 9: the items in the order to land them, and the first milestone.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Plan {
    pub items: Vec<PlanItem>,
    /// The ids of the recommended first milestone: the first items of the highest
    /// priority that nothing blocks.
    pub first_milestone: Vec<String>,
    /// Work the plan leaves for later pull requests of the same size, in words.
    pub remaining: Vec<String>,
}
