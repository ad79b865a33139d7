//! The judgement's sections: the executive summary's Wins, Top Risks and One Next Action,
//! section 8 (top issues), section 9 (plan), section 11 (scores with their waterfalls),
//! and the rubric in Appendix F. Everything read from `audit.scores`, `top_issues`, `plan`.

use super::{code, count, plural, severity_name, Markdown};
use crate::model::{Audit, Deduction, Score};

/// The scores in the seed's column order, with their titles.
fn areas(audit: &Audit) -> [(&'static str, &Score); 4] {
    let s = &audit.scores;
    [
        ("Arch", &s.arch),
        ("Tests", &s.tests),
        ("CI", &s.ci),
        ("Security", &s.security),
    ]
}

/// A score's value as the pack shows it: `7.5/10`, or `not assessable`.
pub fn value(score: &Score) -> String {
    match score.value {
        Some(v) => format!("{v:.1}/10"),
        None => "not assessable".to_string(),
    }
}

fn points(p: f64) -> String {
    format!("{p:.1}")
}

/// A score with a colour, as the seed's table shows them: 🟢 8 and up, 🟡 6 and up, 🔴 below.
fn badge(score: &Score) -> String {
    match score.value {
        Some(v) if v >= 8.0 => format!("🟢 {}", value(score)),
        Some(v) if v >= 6.0 => format!("🟡 {}", value(score)),
        Some(_) => format!("🔴 {}", value(score)),
        None => "not assessable".to_string(),
    }
}

pub fn verdict(audit: &Audit) -> String {
    format!(
        "**Verdict:** {} (rubric {}; section 11)  ",
        audit.scores.verdict, audit.scores.rubric_version
    )
}

pub fn summary(md: &mut Markdown, audit: &Audit) {
    md.heading("Wins");
    let wins: Vec<String> = areas(audit)
        .iter()
        .filter(|(_, s)| s.value.is_some_and(|v| v >= 8.0))
        .map(|(title, s)| format!("**{title} {}**: {}.", value(s), win_reason(s)))
        .collect();
    if wins.is_empty() {
        let best = areas(audit)
            .iter()
            .filter(|(_, s)| s.value.is_some())
            .max_by(|a, b| a.1.value.partial_cmp(&b.1.value).expect("scores are finite"))
            .map(|(title, s)| format!(" (the highest is {title}, {})", value(s)));
        md.line(format!(
            "No score reaches 8/10{}; section 11 shows what each lost.",
            best.unwrap_or_default()
        ));
    } else {
        for (n, win) in wins.iter().enumerate() {
            md.line(format!("{}. {win}", n + 1));
        }
    }
    md.blank();
    md.heading("Top Risks");
    if audit.top_issues.is_empty() {
        md.line("No open finding of a scored rule above info severity.");
    }
    for issue in &audit.top_issues {
        md.line(format!(
            "{}. **{}** ({}, {}): {} in {}, {}.",
            issue.rank,
            issue.title,
            issue.priority,
            area_title(&issue.area),
            plural(issue.findings, "finding"),
            plural(issue.files, "file"),
            code(&issue.rule)
        ));
    }
    md.blank();
    md.heading("One Next Action");
    match audit.plan.items.first() {
        Some(item) => md.line(format!(
            "**{}**: {} ({}, {}). The plan is in section 9.",
            item.id, item.task, item.complexity, item.priority
        )),
        None => md.line("Nothing to fix from what this audit measures: keep it so with `plumb check` (section 10)."),
    }
    md.blank();
}

/// What a score of 8 or more rests on: the inputs that cost nothing, or the little lost.
fn win_reason(score: &Score) -> String {
    let lost: Vec<&Deduction> = score.deductions.iter().filter(|d| d.points > 0.0).collect();
    match lost.as_slice() {
        [] => format!(
            "nothing deducted over the {} inputs checked",
            count(score.deductions.len())
        ),
        [one] => format!("one deduction, {} ({} points)", one.input, points(one.points)),
        many => format!(
            "{} deductions, {} points in all",
            many.len(),
            points(many.iter().map(|d| d.points).sum())
        ),
    }
}

fn area_title(key: &str) -> &'static str {
    match key {
        "arch" => "Arch",
        "tests" => "Tests",
        "ci" => "CI",
        _ => "Security",
    }
}

pub fn top_issues(md: &mut Markdown, audit: &Audit) {
    md.section("8. Top Issues (Max 7, Ranked)");
    if audit.top_issues.is_empty() {
        md.line(format!(
            "No open finding of a scored rule above info severity, from the {} rules this version checks.",
            count(audit.rules.len())
        ));
        md.blank();
        return;
    }
    md.line("Each scored rule's open findings (not silenced by `# plumb: ignore[...]`) are one candidate; rank = severity weight × blast radius weight × breadth (Appendix F). Architecture, tests, CI and supply chain compete on that one scale.");
    md.blank();
    for issue in &audit.top_issues {
        let inputs = &issue.rank_inputs;
        md.heading(&format!("Issue {}: {} ({})", issue.rank, issue.title, issue.priority));
        md.line(format!(
            "_Rank {} = severity {} × blast radius {} ({}) × breadth {}; counts in {}._",
            inputs.rank,
            inputs.severity_weight,
            inputs.blast_weight,
            inputs.blast_radius.name(),
            inputs.breadth,
            area_title(&issue.area)
        ));
        md.blank();
        md.line(format!("**Observation**: {} Worst first:", issue.observation));
        for evidence in &issue.evidence {
            md.line(format!(
                "- {} ({}): {}",
                code(&format!("{}:{}", evidence.location.path, evidence.location.line)),
                severity_name(evidence.severity),
                evidence.message
            ));
        }
        if issue.findings > issue.evidence.len() {
            md.line(format!(
                "- and {} more (Appendix C, `audit.json`).",
                count(issue.findings - issue.evidence.len())
            ));
        }
        md.blank();
        md.line(format!("**Interpretation**: {}", issue.interpretation));
        md.blank();
        md.line(format!("**Recommendation**: {}", issue.recommendation));
        md.blank();
        md.line(format!("**Guardrail**: {}", issue.guardrail));
        md.blank();
        md.line(format!("**Rollback**: {}", issue.rollback));
        md.blank();
    }
}

pub fn action_plan(md: &mut Markdown, audit: &Audit) {
    md.section("9. PR-Sized Action Plan (3–10 Items)");
    let plan = &audit.plan;
    if plan.items.is_empty() {
        md.line("No item: no open finding of a scored rule above info severity.");
        md.blank();
        return;
    }
    md.line("Each item is one pull request's worth of one issue (whole files, at most 20 files and 100 findings); Complexity from that size, Priority from the issue, Blockers from the documented order between rules, and the score points the item restores when it lands after the items above it.");
    md.blank();
    plan_table(md, audit);
    for line in &plan.remaining {
        md.line(format!("- Later: {line}."));
    }
    if !plan.remaining.is_empty() {
        md.blank();
    }
    if !plan.first_milestone.is_empty() {
        let ids: Vec<String> = plan.first_milestone.iter().map(|id| format!("**{id}**")).collect();
        md.line(format!(
            "**Recommended First Milestone**: {}: the first items of the highest priority that nothing blocks.",
            ids.join(" + ")
        ));
        md.blank();
    }
}

/// The plan's items as one table (section 9, and the block of REFACTOR.md).
pub fn plan_table(md: &mut Markdown, audit: &Audit) {
    let plan = &audit.plan;
    let rows = plan.items.iter().map(|item| {
        let blockers = match item.blockers.is_empty() {
            true => "None".to_string(),
            false => item
                .blockers
                .iter()
                .map(|b| format!("{} ({})", b.item, b.reason))
                .collect::<Vec<_>>()
                .join("; "),
        };
        let restores = match item.restores.is_empty() {
            true => "—".to_string(),
            false => item
                .restores
                .iter()
                .map(|r| format!("+{} {}", points(r.points), area_title(&r.score)))
                .collect::<Vec<_>>()
                .join(", "),
        };
        vec![
            format!("**{}**", item.id),
            item.task.clone(),
            complexity_badge(&item.complexity),
            item.priority.clone(),
            blockers,
            format!("{} {}", count(item.findings), code(&item.rule)),
            restores,
        ]
    });
    md.table(
        &["ID", "Task", "Complexity", "Priority", "Blockers", "Clears", "Restores"],
        rows,
    );
}

/// The scores in one row, each with its value or "not assessable" (REFACTOR.md's block).
pub fn scores_table(md: &mut Markdown, audit: &Audit) {
    let [arch, tests, ci, security] = areas(audit).map(|(_, s)| value(s));
    md.table(
        &["Arch", "Tests", "CI", "Security", "Overall", "Rubric"],
        [vec![
            arch,
            tests,
            ci,
            security,
            value(&audit.scores.overall),
            audit.scores.rubric_version.clone(),
        ]],
    );
}

fn complexity_badge(complexity: &str) -> String {
    match complexity {
        "Small" => "🟢 Small".to_string(),
        "Medium" => "🟡 Medium".to_string(),
        other => format!("🟠 {other}"),
    }
}

pub fn score_trend(md: &mut Markdown, audit: &Audit, date: &str, commit: &str) {
    md.section("11. Score Trend (Baseline Row)");
    let [arch, tests, ci, security] = areas(audit).map(|(_, s)| badge(s));
    md.table(
        &[
            "Date", "Mode", "Arch", "Tests", "CI", "Security", "Velocity", "Overall", "Notes",
        ],
        [vec![
            date.to_string(),
            "BASELINE".to_string(),
            arch,
            tests,
            ci,
            security,
            "N/A".to_string(),
            value(&audit.scores.overall),
            format!(
                "rubric {}; snapshot {}; velocity needs history",
                audit.scores.rubric_version,
                code(commit)
            ),
        ]],
    );
    md.line("**Scoring Key** (`docs/scoring.md`; every input below is a count from this snapshot):");
    md.line("- **Arch**: eager import cycles, imports against the layers, private imports, god modules, oversized files, broken guardrails");
    md.line("- **Tests**: test code against source code, packages without tests, whether CI runs tests (coverage is not measured statically)");
    md.line(
        "- **CI**: the workflow rules about whether CI reports the truth (silent failures, timeouts, parse errors)",
    );
    md.line("- **Security**: secrets, workflow trust boundaries, pins, lockfiles, binaries, security policy");
    md.line("- **Velocity**: N/A until history is audited");
    md.blank();
    md.line(format!(
        "**Overall**: {} = {}.",
        value(&audit.scores.overall),
        audit.scores.overall.formula
    ));
    md.blank();
    for (title, score) in areas(audit) {
        waterfall(md, title, score);
    }
}

/// 10, then each deduction with its input, down to the score.
fn waterfall(md: &mut Markdown, title: &str, score: &Score) {
    md.heading(&format!("{title}: {}", value(score)));
    if let Some(reason) = &score.not_assessable {
        md.line(format!("Not assessable: {reason}. Left out of the overall score."));
        for part in &score.unmeasured {
            md.line(format!("- Not measured: {part}."));
        }
        md.blank();
        return;
    }
    let mut running = 100i64;
    let mut rows = vec![vec![
        "Start".to_string(),
        String::new(),
        String::new(),
        String::new(),
        "10.0".to_string(),
    ]];
    for deduction in &score.deductions {
        running -= (deduction.points * 10.0).round() as i64;
        let observed = match deduction.of {
            Some(of) => format!("{} of {}", count(deduction.observed as usize), count(of as usize)),
            None => count(deduction.observed as usize),
        };
        rows.push(vec![
            deduction.input.clone(),
            observed,
            deduction.step.clone(),
            match deduction.points > 0.0 {
                true => format!("−{}", points(deduction.points)),
                false => "0".to_string(),
            },
            format!("{:.1}", running.max(0) as f64 / 10.0),
        ]);
    }
    md.table(&["Input", "Observed", "Step", "Points", "Running"], rows);
    md.line(format!("{title} = {}.", score.formula));
    for part in &score.unmeasured {
        md.line(format!("- Not measured: {part}."));
    }
    md.blank();
}

/// The rubric, for Appendix F.
pub fn rubric(md: &mut Markdown, audit: &Audit) {
    md.line(format!(
        "- Scores (rubric {}, `docs/scoring.md`): each starts at 10; each input of the rubric deducts the points of the step its count reaches, and the score is 10 minus the deductions, floored at 0. A rule's open findings reach a level, one more for every tenfold more (1–9: 1, 10–99: 2, 100–999: 3, 1,000 or more: 4), each worth the weight of their highest severity (high 0.5, medium 0.3, low 0.1, info 0). Measured facts have their own steps: modules in eager import cycles 2–9: 0.5, 10–49: 1.0, 50–199: 1.5, 200 or more: 2.0; cross-package edges against the layers (which stand for `layer-violation` and `package-cycle`) 1–9: 0.5, 10–99: 1.0, 100–999: 1.5, 1,000 or more: 2.0; private imports 1–9: 0.3, 10–99: 0.6, 100–999: 0.9, 1,000 or more: 1.2; test code lines per 100 source lines under 10: 3.0, under 25: 2.0, under 50: 1.0; no workflow running tests: 2.0. A score whose input cannot be measured (no import graph, no test files, no workflows) is not assessable and left out of the overall score, the mean of the others rounded to a tenth.",
        audit.scores.rubric_version
    ));
    md.line("- Top issues: rank = severity weight (high 4, medium 2, low 1; info findings are facts and not ranked) × blast radius weight of the surfaces holding the findings' files (critical 4, high 3, medium 2, low 1; a file in no surface is low, CI files under `.github/` medium because CI gates every merge) × breadth (digits of the finding count + digits of the file count − 1). So one high-severity fault in a critical surface outranks a hundred medium findings in a low-radius file, and breadth grows by one for every tenfold more findings or files: wide exposure counts, but cannot bury one deep fault. Priority: P0 for a high-severity finding in a high or critical surface, or any secret; P1 for other high-severity findings and medium ones in a high or critical surface; P2 for the rest.");
    md.line("- Plan: each issue in rank order is cut into pull requests of whole files, at most 20 files and 100 findings each (an import cycle: one item per cycle; a god module or an oversized file: one item per file), at most two items an issue and ten in all; Small is up to 5 files and 20 findings, Medium up to 20 and 100, Large more. Items move after the items of the rules they depend on (pin actions and images before enabling updates for them; break cycles before enforcing layers; test a package before splitting its modules or files). An item's restored points are the rubric's scores recomputed without the findings it and the items before it clear.");
}
