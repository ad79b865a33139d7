//! `plumb check`'s verdict, printed: only what fails or needs the reader (new findings,
//! expired and stale entries of the baseline, the score against its minimum), then one
//! line saying whether the check passed. As text (the new findings rustc-style, as
//! `plumb audit --findings` lists them) or as GitHub workflow commands, which annotate
//! the lines of a pull request. Everything from the repository is masked and escaped.

use std::fmt::Write;

use super::escape;
use super::terminal::{finding_block, headed_block, level};
use crate::judge::baseline::{Gate, ScoreCheck};
use crate::model::{Audit, BaselineEntry, Finding};

/// The verdict as text for a terminal or a CI log.
pub fn text(audit: &Audit, gate: &Gate<'_>) -> String {
    let mut out = String::new();
    for finding in &gate.new {
        finding_block(&mut out, audit, finding);
    }
    for (entry, finding) in &gate.expired {
        let headline = format!("expired[{}]: {}", finding.rule, expired_message(gate, entry, finding));
        headed_block(&mut out, audit, finding, &headline);
    }
    for entry in &gate.fixed {
        let stale = if gate.strict { "error: stale" } else { "stale" };
        let _ = writeln!(out, "{stale}: {}", escape::terminal(&fixed_message(gate, entry)));
    }
    if !gate.fixed.is_empty() {
        out.push('\n');
    }
    if let Some(message) = score_message(gate.score) {
        let _ = writeln!(out, "score: {message}\n");
    }
    let _ = writeln!(out, "{}", escape::terminal(&summary(audit, gate)));
    out
}

/// The verdict as GitHub Actions workflow commands
/// (<https://docs.github.com/actions/reference/workflow-commands-for-github-actions>):
/// every new finding and expired entry an `::error` at its line, every stale entry a
/// `::warning` (an `::error` with `--strict`), then the summary as a plain line.
pub fn github(audit: &Audit, gate: &Gate<'_>) -> String {
    let mut out = String::new();
    let help = |finding: &Finding| {
        audit
            .rules
            .iter()
            .find(|rule| rule.id == finding.rule)
            .map(|rule| rule.help)
    };
    for finding in &gate.new {
        let title = format!("plumb: {} ({})", finding.rule, level(finding.severity));
        let message = [Some(finding.message.as_str()), help(finding)];
        command(&mut out, "error", Some(&finding.location), &title, &message);
    }
    for (entry, finding) in &gate.expired {
        let title = format!("plumb: {} (expired in the baseline)", finding.rule);
        let message = expired_message(gate, entry, finding);
        command(
            &mut out,
            "error",
            Some(&finding.location),
            &title,
            &[Some(&message), help(finding)],
        );
    }
    for entry in &gate.fixed {
        let place = gate.baseline.map(|baseline| crate::model::Location {
            path: baseline.path.clone(),
            line: entry.line,
            column: 1,
        });
        let kind = if gate.strict { "error" } else { "warning" };
        let title = format!("plumb: {} (stale baseline entry)", entry.rule);
        command(
            &mut out,
            kind,
            place.as_ref(),
            &title,
            &[Some(&fixed_message(gate, entry))],
        );
    }
    if let Some(message) = score_message(gate.score) {
        let failed = !matches!(gate.score, ScoreCheck::Met { .. });
        let kind = if failed { "error" } else { "notice" };
        command(&mut out, kind, None, "plumb: score", &[Some(&message)]);
    }
    let _ = writeln!(out, "{}", escape::terminal(&summary(audit, gate)));
    out
}

/// One workflow command: `::kind file=...,line=...,col=...,title=...::message`, the
/// message's parts on lines of their own.
fn command(
    out: &mut String,
    kind: &str,
    location: Option<&crate::model::Location>,
    title: &str,
    parts: &[Option<&str>],
) {
    let mut properties = Vec::new();
    if let Some(location) = location {
        properties.push(format!("file={}", property(&location.path)));
        if location.line > 0 {
            properties.push(format!("line={}", location.line));
            properties.push(format!("col={}", location.column.max(1)));
        }
    }
    properties.push(format!("title={}", property(title)));
    let message: Vec<String> = parts.iter().flatten().map(|part| data(part)).collect();
    let _ = writeln!(out, "::{kind} {}::{}", properties.join(","), message.join("%0A"));
}

/// A command's message: masked, control characters shown escaped, then `%`, CR and LF
/// encoded as the runner decodes them (actions/toolkit `escapeData`).
fn data(text: &str) -> String {
    escape::terminal(text)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A command's property value: as [`data`], and `:` and `,` encoded too, which would end
/// the property (actions/toolkit `escapeProperty`).
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

fn baseline_place(gate: &Gate<'_>, entry: &BaselineEntry) -> String {
    let path = gate.baseline.map_or("the baseline", |baseline| baseline.path.as_str());
    format!("{path}:{}", entry.line)
}

fn expired_message(gate: &Gate<'_>, entry: &BaselineEntry, finding: &Finding) -> String {
    let expires = entry.expires.as_deref().unwrap_or("?");
    let owner = entry
        .owner
        .as_deref()
        .map(|owner| format!(" (owner {owner})"))
        .unwrap_or_default();
    format!(
        "{} accepted this until {expires}{owner}, and it is still open: {}",
        baseline_place(gate, entry),
        finding.message
    )
}

fn fixed_message(gate: &Gate<'_>, entry: &BaselineEntry) -> String {
    format!(
        "{}: `{}` in {} is fixed: remove the entry (`plumb baseline` rewrites the file without it)",
        baseline_place(gate, entry),
        entry.rule,
        entry.path
    )
}

fn score_message(score: ScoreCheck) -> Option<String> {
    match score {
        ScoreCheck::NotAsked => None,
        ScoreCheck::Met { score, min } => Some(format!("the overall score {score:.1} meets the minimum {min}")),
        ScoreCheck::Below { score, min } => Some(format!("the overall score {score:.1} is below the minimum {min}")),
        ScoreCheck::NotAssessable { min } => Some(format!(
            "the overall score is not assessable, so the minimum {min} cannot be met"
        )),
    }
}

/// The last line: passed or failed, and the counts behind it.
fn summary(audit: &Audit, gate: &Gate<'_>) -> String {
    let open = audit.findings.iter().filter(|f| !f.suppressed).count();
    let mut failures = Vec::new();
    if !gate.new.is_empty() {
        failures.push(counted(gate.new.len(), "new finding"));
    }
    if !gate.expired.is_empty() {
        failures.push(counted(gate.expired.len(), "expired entry"));
    }
    if gate.strict && !gate.fixed.is_empty() {
        failures.push(counted(gate.fixed.len(), "stale entry"));
    }
    if !matches!(gate.score, ScoreCheck::NotAsked | ScoreCheck::Met { .. }) {
        failures.push("the score".to_string());
    }
    let against = match gate.baseline {
        Some(baseline) => format!("{} ({})", baseline.path, counted(baseline.entries.len(), "entry")),
        None => format!(
            "no baseline ({}): every open finding counts as new, and `plumb baseline` writes one",
            crate::analyzers::baseline::BASELINE_PATH
        ),
    };
    let stale = match (gate.strict, gate.fixed.len()) {
        (false, 1..) => format!("; {} can be removed", counted(gate.fixed.len(), "stale entry")),
        _ => String::new(),
    };
    if gate.passed() {
        format!(
            "plumb check: passed: {}, all accepted by {against}{stale}",
            counted(open, "open finding")
        )
    } else {
        format!("plumb check: failed: {} against {against}{stale}", failures.join(", "))
    }
}

/// `1 new finding`, `2 new findings`, `3 entries`.
fn counted(n: usize, noun: &str) -> String {
    match (n, noun.strip_suffix('y')) {
        (1, _) => format!("1 {noun}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        (_, None) => format!("{n} {noun}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_command_values_are_escaped_as_the_runner_reads_them() {
        assert_eq!(data("50% done\r\nnext"), "50%25 done\\r\\nnext");
        assert_eq!(property("a:b,c%"), "a%3Ab%2Cc%25");
        let mut out = String::new();
        let location = crate::model::Location {
            path: "dir,x/a:b.yml".to_string(),
            line: 3,
            column: 7,
        };
        command(
            &mut out,
            "error",
            Some(&location),
            "plumb: r (high)",
            &[Some("one"), Some("two")],
        );
        assert_eq!(
            out,
            "::error file=dir%2Cx/a%3Ab.yml,line=3,col=7,title=plumb%3A r (high)::one%0Atwo\n"
        );
    }

    #[test]
    fn counts_read_as_english() {
        assert_eq!(counted(1, "entry"), "1 entry");
        assert_eq!(counted(2, "entry"), "2 entries");
        assert_eq!(counted(0, "new finding"), "0 new findings");
    }
}
