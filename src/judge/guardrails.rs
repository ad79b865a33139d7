//! Guardrails: the rules a team declares for its refactor, checked against what the scan
//! measured. Two sources: `[[guardrail]]` tables of `plumb.toml` ([`declared`]), and the
//! contracts teams already keep for import-linter and tach ([`contracts`]), evaluated on
//! plumb's import graph. Every guardrail gets a row in section 7 with its status (kept,
//! broken with the count, or not assessable and why); every import, file, action or
//! folder that breaks one is a `guardrail-broken` finding where it breaks it, its message
//! naming the guardrail and the file and line that declare it. A guardrail naming a
//! module the snapshot lacks is a `guardrail-unknown-module` finding at that name; what
//! plumb cannot read in a contract file, a `guardrail-invalid` finding at its line.

mod chains;
mod contracts;
mod declared;

use std::sync::Arc;

use crate::analyzers::fingerprint;
use crate::model::{Audit, Confidence, Finding, GuardrailState, GuardrailStatus, ImportEdge, Location, Rule, Severity};

pub const GUARDRAIL_BROKEN: Rule = Rule {
    group: "guardrails",
    id: "guardrail-broken",
    title: "import, file, action or vendored folder that breaks a declared guardrail",
    help: "The repository breaks a rule its own team declared for the refactor: a `[[guardrail]]` of plumb.toml (forbidden imports, layers, a file-size limit, pinned actions, vendored folders) or an import-linter or tach contract, evaluated on plumb's import graph. Each finding is the import (or file, `uses:`, folder) that breaks it; the message names the guardrail and where it is declared. While it stays broken, the refactor is adding to the coupling the team means to remove: fix the import (or move the code), or change the guardrail in review if the rule itself is wrong.",
};

pub const GUARDRAIL_UNKNOWN_MODULE: Rule = Rule {
    group: "guardrails",
    id: "guardrail-unknown-module",
    title: "guardrail or contract naming a package or module the snapshot lacks",
    help: "A guardrail of plumb.toml names a package that is not in the import graph, or an import-linter or tach contract names a Python module that no file of the snapshot holds (renamed, moved, or misspelt). The guardrail judges nothing there, and the refactor's safety net has a hole: its status is not assessable until the name is fixed. Use a package from section 3's table, or the module's dotted name.",
};

pub const GUARDRAIL_INVALID: Rule = Rule {
    group: "guardrails",
    id: "guardrail-invalid",
    title: "contract file that plumb cannot read",
    help: "An import-linter (`.importlinter`, `setup.cfg`, `pyproject.toml`) or tach (`tach.toml`) file is not valid INI or TOML, or a contract lacks what its type needs (`type`, `source_modules`, two `layers`...), or a root package is missing. The tool itself would fail on it, so the contract protects nothing during the refactor; fix the reported line.",
};

pub const RULES: &[Rule] = &[GUARDRAIL_BROKEN, GUARDRAIL_INVALID, GUARDRAIL_UNKNOWN_MODULE];

/// Rows and findings as they are judged.
#[derive(Default)]
struct Judged {
    rows: Vec<GuardrailStatus>,
    findings: Vec<Finding>,
}

/// Judges every guardrail: rows into `audit.governance.guardrails`, findings into
/// `audit.findings`, and the rules into `audit.rules`.
pub fn apply(audit: &mut Audit) {
    let mut judged = Judged::default();
    declared::judge(audit, &mut judged);
    contracts::judge(audit, &mut judged);
    audit.findings.extend(judged.findings);
    audit.governance.guardrails = judged.rows;
    audit.rules.extend(RULES.iter().copied());
}

/// A row's status from what was counted: broken wins, then a name the snapshot lacks.
fn status(broken: usize, assessable: bool) -> GuardrailState {
    match (broken, assessable) {
        (1.., _) => GuardrailState::Broken,
        (0, false) => GuardrailState::NotAssessable,
        (0, true) => GuardrailState::Kept,
    }
}

fn row(name: &str, kind: &str, path: &str, line: usize, broken: usize, assessable: bool) -> GuardrailStatus {
    GuardrailStatus {
        name: name.to_string(),
        kind: kind.to_string(),
        source: Location {
            path: path.to_string(),
            line,
            column: 1,
        },
        status: status(broken, assessable),
        broken,
        notes: Vec::new(),
    }
}

/// What a broken guardrail's finding at an import says, apart from where.
struct EdgeBreak<'a> {
    /// The whole message.
    message: String,
    confidence: Confidence,
    /// Stable parts for the fingerprint (no line numbers): the guardrail's file and
    /// name, and what the import reaches.
    key: [&'a str; 3],
}

/// A `guardrail-broken` finding at an import edge: its line of the importing file, the
/// statement as snippet, suppressed by a `plumb: ignore[guardrail-broken]` there.
fn edge_finding(audit: &Audit, edge: &ImportEdge, broken: EdgeBreak<'_>) -> Finding {
    let path = &audit.architecture.modules[edge.from].path;
    let text: &Arc<str> = &edge.text;
    let fingerprint = fingerprint(&[
        GUARDRAIL_BROKEN.id,
        path,
        text.trim(),
        broken.key[0],
        broken.key[1],
        broken.key[2],
    ]);
    Finding {
        location: Location {
            path: path.clone(),
            line: edge.line,
            column: 1,
        },
        rule: GUARDRAIL_BROKEN.id.to_string(),
        severity: Severity::High,
        confidence: broken.confidence,
        message: broken.message,
        remediation: GUARDRAIL_BROKEN.help,
        snippet: Some(text.to_string()),
        snippet_column: 1,
        span: text.chars().count(),
        fingerprint,
        suppressed: suppressed(audit, path, GUARDRAIL_BROKEN.id, edge.line),
        omitted: None,
    }
}

/// `plumb: ignore[rule]` on the line or the line above (`InlineSuppressions`).
fn suppressed(audit: &Audit, path: &str, rule: &str, line: usize) -> bool {
    audit.inline_suppressions.suppressed(path, rule, line)
}

/// `a`, `b` and `c`; at most `keep` named, then how many more.
fn listed(names: &[String], keep: usize) -> String {
    let mut shown: Vec<String> = names.iter().take(keep).map(|n| format!("`{n}`")).collect();
    if names.len() > keep {
        shown.push(format!("{} more", names.len() - keep));
    }
    match shown.len() {
        0 => String::new(),
        1 => shown.remove(0),
        n => format!("{} and {}", shown[..n - 1].join(", "), shown[n - 1]),
    }
}

fn kind_name(kind: crate::model::ImportKind) -> &'static str {
    match kind {
        crate::model::ImportKind::Eager => "eager",
        crate::model::ImportKind::Lazy => "lazy",
        crate::model::ImportKind::TypingOnly => "typing-only",
    }
}

#[cfg(test)]
mod tests;
