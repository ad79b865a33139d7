//! The published rubric (`docs/scoring.md` says the same in prose; a test holds the two
//! together): which score each rule counts in, the step tables, the severity weights.
//! Points are kept in tenths so that every sum a reader redoes by hand is exact.

use crate::model::Severity;

/// The four scores of the seed's Scoring Key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Area {
    Arch,
    Tests,
    Ci,
    Security,
}

impl Area {
    pub const ALL: [Area; 4] = [Area::Arch, Area::Tests, Area::Ci, Area::Security];

    /// The key in `audit.json` and the plan's `restores`.
    pub fn key(self) -> &'static str {
        match self {
            Area::Arch => "arch",
            Area::Tests => "tests",
            Area::Ci => "ci",
            Area::Security => "security",
        }
    }

    /// The column header of section 11.
    pub fn title(self) -> &'static str {
        match self {
            Area::Arch => "Arch",
            Area::Tests => "Tests",
            Area::Ci => "CI",
            Area::Security => "Security",
        }
    }
}

/// Workflow rules that are about who can run what with which secrets: they count in
/// Security. The other workflow rules are about whether CI reports the truth: CI.
const WORKFLOW_SECURITY_RULES: &[&str] = &[
    "dangerous-triggers",
    "excessive-permissions",
    "hardcoded-credentials",
    "no-dependency-updates",
    "persist-credentials",
    "secrets-inherit",
    "template-injection",
    "unpinned-uses",
];

/// Rules whose figure enters a score as a measured fact rather than as a count of
/// findings (one `import-cycle` finding can stand for 200 modules): counted once, there.
///
/// `package-cycle` is counted by the layers' input: with inferred layers every import
/// against them lies in a package cycle, and the edges are the finer count.
pub const COUNTED_AS_FACTS: &[&str] = &[
    "import-cycle",
    "layer-violation",
    "package-cycle",
    "private-import",
    "test-ratio-low",
];

/// The score a rule's open findings count in, by its group; `None` for plumb's own
/// configuration (`config`), which says nothing about the audited code.
pub fn area_of(group: &str, rule: &str) -> Option<Area> {
    match group {
        "architecture" | "guardrails" => Some(Area::Arch),
        "tests" => Some(Area::Tests),
        "workflows" if WORKFLOW_SECURITY_RULES.contains(&rule) => Some(Area::Security),
        "workflows" => Some(Area::Ci),
        "secrets" | "dependencies" | "supply-chain" | "security" => Some(Area::Security),
        _ => None,
    }
}

/// What a level of the rule steps weighs at the highest severity among a rule's open
/// findings, in tenths: high 0.5, medium 0.3, low 0.1, info 0 (an info finding is a fact,
/// not a fault).
pub fn severity_tenths(severity: Severity) -> u32 {
    match severity {
        Severity::High => 5,
        Severity::Medium => 3,
        Severity::Low => 1,
        Severity::Info => 0,
    }
}

/// A step table: the last step whose threshold the count reaches gives its points, in
/// tenths. Below the first threshold, nothing.
#[derive(Debug, Clone, Copy)]
pub struct Steps(pub &'static [(u64, u32)]);

impl Steps {
    pub fn reached(self, count: u64) -> Option<(u64, u32)> {
        self.0.iter().rev().find(|(threshold, _)| count >= *threshold).copied()
    }

    /// The range of counts of the step reached (`10–99`, `≥ 1000`), or `0` below the first.
    pub fn range(self, count: u64) -> String {
        match self.describe(count, 10).split(" → ").next() {
            Some(range) if self.reached(count).is_some() => range.to_string(),
            _ => format!("{count}"),
        }
    }

    /// The step reached, as the waterfall shows it: `10–99 → 1.0`, `≥ 100 → 2.0`, or
    /// `< 10 → 0` when none is; `scale` multiplies the step's value (10: as it is).
    pub fn describe(self, count: u64, scale: u32) -> String {
        let Some((threshold, tenths)) = self.reached(count) else {
            let first = self.0.first().map_or(1, |(t, _)| *t);
            return format!("< {first} → 0");
        };
        let next = self.0.iter().find(|(t, _)| *t > threshold).map(|(t, _)| *t);
        let range = match next {
            Some(next) if next - 1 == threshold => format!("{threshold}"),
            Some(next) => format!("{threshold}–{}", next - 1),
            None => format!("≥ {threshold}"),
        };
        format!("{range} → {}", tenths_text(tenths * scale / 10))
    }
}

/// The levels of every rule input, one more for every tenfold more open findings (1–9:
/// level 1, 10–99: 2, 100–999: 3, 1,000 or more: 4), each level worth the weight of the
/// highest severity among them. Levels are kept ×10 so that they read as tenths.
pub const RULE_STEPS: Steps = Steps(&[(1, 10), (10, 20), (100, 30), (1000, 40)]);

/// Modules in eager import cycles (`architecture.measures.cycles.eager`).
pub const EAGER_CYCLE_STEPS: Steps = Steps(&[(2, 5), (10, 10), (50, 15), (200, 20)]);
/// Cross-package import edges against the inferred or declared layers.
pub const LAYER_STEPS: Steps = Steps(&[(1, 5), (10, 10), (100, 15), (1000, 20)]);
/// Imports of another package's private (underscore) modules.
pub const PRIVATE_IMPORT_STEPS: Steps = Steps(&[(1, 3), (10, 6), (100, 9), (1000, 12)]);
/// Test code lines per 100 source code lines, below each threshold: `< 10 → 3.0`,
/// `< 25 → 2.0`, `< 50 → 1.0`. (Read upwards: the lowest threshold the share is under.)
pub const TEST_SHARE_BELOW: &[(u64, u32)] = &[(10, 30), (25, 20), (50, 10)];
/// No workflow runs a test command although workflows exist.
pub const NO_TESTS_IN_CI_TENTHS: u32 = 20;

/// Tenths as the pack writes points: `1.0`, `0.5`.
pub fn tenths_text(tenths: u32) -> String {
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// Verdict thresholds, in tenths of the overall score and of the lowest score.
pub const READY_OVERALL: u32 = 80;
pub const READY_LOWEST: u32 = 60;
pub const CONDITIONAL_OVERALL: u32 = 60;
pub const CONDITIONAL_LOWEST: u32 = 40;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_take_the_last_threshold_reached() {
        assert_eq!(RULE_STEPS.reached(0), None);
        assert_eq!(RULE_STEPS.reached(9), Some((1, 10)));
        assert_eq!(RULE_STEPS.reached(10), Some((10, 20)));
        assert_eq!(RULE_STEPS.reached(999), Some((100, 30)));
        assert_eq!(RULE_STEPS.reached(1000), Some((1000, 40)));
        assert_eq!(RULE_STEPS.describe(0, 10), "< 1 → 0");
        assert_eq!(RULE_STEPS.describe(12, 5), "10–99 → 1.0");
        assert_eq!(EAGER_CYCLE_STEPS.describe(233, 10), "≥ 200 → 2.0");
    }

    /// The published rubric names this version and every rule this code sorts by hand.
    #[test]
    fn docs_scoring_md_describes_this_rubric() {
        let docs = include_str!("../../docs/scoring.md");
        assert!(
            docs.starts_with(&format!("# Scoring rubric, version {}\n", crate::model::RUBRIC_VERSION)),
            "bump the version in docs/scoring.md with the rubric"
        );
        for rule in WORKFLOW_SECURITY_RULES.iter().chain(COUNTED_AS_FACTS) {
            assert!(
                docs.contains(&format!("`{rule}`")),
                "docs/scoring.md does not name {rule}"
            );
        }
    }

    #[test]
    fn every_workflow_security_rule_is_a_workflow_rule() {
        let ids: Vec<&str> = crate::analyzers::ALL
            .iter()
            .flat_map(|a| a.rules())
            .filter(|r| r.group == "workflows")
            .map(|r| r.id)
            .collect();
        for rule in WORKFLOW_SECURITY_RULES {
            assert!(ids.contains(rule), "{rule}");
        }
    }
}
