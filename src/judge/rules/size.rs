//! `god-module`: a module both large and imported by many production modules (code lines
//! × production fan-in, the ranking of section 3). `oversized-file`: a hand-maintained
//! source file over a size common linters agree on.

use crate::model::{Audit, Confidence, Finding, Role, Rule, Severity};

use super::{finding, int, Judgement};

pub const GOD_MODULE: Rule = Rule {
    group: "architecture",
    id: "god-module",
    title: "a large module that much of the product imports",
    help: "A module that is both large and imported by many production modules (importers that are not tests, docs or examples; data and generated files never count): every change to it reaches all its importers, it mixes responsibilities that change for different reasons, and it is the hardest file to move in a refactor. Split it along what its importers use (the names one group of importers needs become a module of their own), keeping the old module as a re-export while the importers move, one pull request per new module. Reported at line 1 of a module with at least 500 code lines and 20 production importers; high from a score (code lines × production importers) of 100,000.",
};

pub const OVERSIZED_FILE: Rule = Rule {
    group: "architecture",
    id: "oversized-file",
    title: "a hand-maintained source file over 1,000 code lines",
    help: "A source file (role source: not generated, data, vendored or test) with more than 1,000 code lines, the default limit of SonarQube's rule S104 and of pylint's `max-module-lines`. Such a file is hard to review and to test in parts, draws merge conflicts, and a refactor that touches it touches everything in it. Split it along its sections (classes or groups of functions that change together), one pull request per new module, keeping the old file as a re-export until its users move. Reported at line 1; medium over 3,000 code lines.",
};

/// A god module has at least this many code lines: below it a module is small enough to
/// read whole, however many import it (a constants file, a package `__init__`).
pub const GOD_MODULE_MIN_CODE_LINES: u64 = 500;
/// And at least this many production importers. No standard exists: plumb's choice, which
/// with the size above keeps 14 of executorch's 6,175 modules and 22 of ruff's 3,245,
/// the head of section 3's ranking.
pub const GOD_MODULE_MIN_FAN_IN: usize = 20;
/// From this score (code lines × production importers) a god module is high severity: a
/// 1,000-line module that 100 modules import.
pub const GOD_MODULE_HIGH_SCORE: u64 = 100_000;
/// Source files with more code lines than this are oversized: SonarQube's S104 and
/// pylint's `max-module-lines` default to 1,000 (plumb's own guide splits files there).
pub const OVERSIZED_FILE_CODE_LINES: u64 = 1_000;
/// Over this many code lines an oversized file is medium severity.
pub const OVERSIZED_FILE_MEDIUM_CODE_LINES: u64 = 3_000;

pub fn god_modules(audit: &Audit) -> Vec<Finding> {
    let architecture = &audit.architecture;
    let fan_in = &architecture.measures.fan_in_production;
    architecture
        .modules
        .iter()
        .zip(fan_in)
        .filter(|(module, &importers)| {
            // What section 3's ranking counts: production code, never data or generated
            // files; the figures first, which leave few modules to look at the path of.
            module.code_lines >= GOD_MODULE_MIN_CODE_LINES
                && importers >= GOD_MODULE_MIN_FAN_IN
                && !matches!(module.role, Role::Data | Role::Generated)
                && crate::graph::is_production(module)
        })
        .map(|(module, &importers)| {
            let score = module.code_lines.saturating_mul(importers as u64);
            let message = format!(
                "{} code lines imported by {} production modules: score {} (code lines × production importers)",
                int(module.code_lines),
                int(importers),
                int(score),
            );
            let severity = if score >= GOD_MODULE_HIGH_SCORE {
                Severity::High
            } else {
                Severity::Medium
            };
            finding(
                &GOD_MODULE,
                (&module.path, 1),
                &[&module.path],
                Judgement {
                    severity,
                    confidence: Confidence::High,
                    message,
                },
            )
        })
        .collect()
}

pub fn oversized_files(audit: &Audit) -> Vec<Finding> {
    audit
        .god_modules
        .oversized
        .iter()
        .map(|file| {
            let code = file.lines.code;
            let message = format!(
                "{} code lines of {} in one hand-maintained file ({} lines in all), over the limit of {}",
                int(code),
                file.language,
                int(code + file.lines.comments + file.lines.blanks),
                int(OVERSIZED_FILE_CODE_LINES),
            );
            let severity = if code > OVERSIZED_FILE_MEDIUM_CODE_LINES {
                Severity::Medium
            } else {
                Severity::Low
            };
            finding(
                &OVERSIZED_FILE,
                (&file.path, 1),
                &[&file.path],
                Judgement {
                    severity,
                    confidence: Confidence::High,
                    message,
                },
            )
        })
        .collect()
}
