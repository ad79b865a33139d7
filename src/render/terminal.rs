//! `--findings`: open findings in the terminal, rustc-style, each with its source line and
//! a caret under the offending text, then a one-line tally. Everything that comes from the
//! repository (paths, lines, messages) goes through [`escape::terminal`].

use std::fmt::Write;

use super::escape;
use crate::model::{Audit, Finding, Severity};

pub fn findings(audit: &Audit) -> String {
    let mut out = String::new();
    let open: Vec<&Finding> = audit.findings.iter().filter(|f| !f.suppressed).collect();
    for finding in &open {
        finding_block(&mut out, audit, finding);
    }
    // A cap's summary counts for every finding it stands for, at its (highest) severity.
    let all: usize = audit.findings.iter().map(Finding::weight).sum();
    let open_count: usize = audit.findings.iter().map(Finding::open_weight).sum();
    let count = |s: Severity| {
        audit
            .findings
            .iter()
            .filter(|f| f.severity == s)
            .map(Finding::open_weight)
            .sum::<usize>()
    };
    let suppressed = all - open_count;
    let _ = writeln!(
        out,
        "{} findings ({} high, {} medium, {} low, {} info), {} suppressed",
        open_count,
        count(Severity::High),
        count(Severity::Medium),
        count(Severity::Low),
        count(Severity::Info),
        suppressed
    );
    out
}

/// One finding, rustc-style: `medium[rule]: message`, its place, its line with a caret,
/// and the rule's help.
pub(super) fn finding_block(out: &mut String, audit: &Audit, finding: &Finding) {
    let headline = format!("{}[{}]: {}", level(finding.severity), finding.rule, finding.message);
    headed_block(out, audit, finding, &headline);
}

pub(super) fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::High => "high",
        Severity::Medium => "medium",
        Severity::Low => "low",
        Severity::Info => "info",
    }
}

/// [`finding_block`] under another first line (`headline`, escaped here).
pub(super) fn headed_block(out: &mut String, audit: &Audit, finding: &Finding, headline: &str) {
    let location = &finding.location;
    let gutter = location.line.to_string().len();
    let pad = " ".repeat(gutter);
    let _ = writeln!(out, "{}", escape::terminal(headline));
    let path = escape::terminal(&location.path);
    let _ = writeln!(out, "{pad}--> {path}:{}:{}", location.line, location.column);
    if let Some(snippet) = &finding.snippet {
        // A cut snippet starts at `snippet_column` of its line.
        let column = location.column.saturating_sub(finding.snippet_column.saturating_sub(1));
        let underline = caret(snippet, column, finding.span);
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{} | {}", location.line, escape::terminal(snippet));
        let _ = writeln!(out, "{pad} | {underline}");
    }
    if let Some(rule) = audit.rules.iter().find(|r| r.id == finding.rule) {
        let _ = writeln!(out, "{pad} = help: {}", rule.help);
    }
    out.push('\n');
}

/// Spaces up to the 1-based `column`, then `^` under `span` characters, or under the rest
/// of the line's text when the span is unknown (0). Measured on the line as it is shown,
/// escapes included, so that the caret stays under its text.
fn caret(line: &str, column: usize, span: usize) -> String {
    let start = column.saturating_sub(1);
    let before: String = line.chars().take(start).collect();
    let rest: String = line.chars().skip(start).collect();
    let width = match span {
        0 => escape::terminal(rest.trim_end()).chars().count().max(1),
        n => {
            // A span past the line's end keeps its length, as before escaping.
            let spanned: String = rest.chars().take(n).collect();
            escape::terminal(&spanned).chars().count() + n.saturating_sub(spanned.chars().count())
        }
    };
    let indent: String = escape::terminal(&before)
        .chars()
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    format!("{indent}{}", "^".repeat(width))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carets_sit_under_the_text() {
        assert_eq!(
            caret("      - uses: actions/checkout@v4", 9, 0),
            format!("{}{}", " ".repeat(8), "^".repeat(25))
        );
        assert_eq!(caret("  job:", 3, 3), "  ^^^");
        assert_eq!(caret("\tx", 2, 1), "\t^");
        assert_eq!(caret("\x1b[2J RUN curl", 9, 4), format!("{}^^^^", " ".repeat(11)));
    }

    #[test]
    fn carets_sit_under_the_text_of_a_cut_line() {
        let mut audit = crate::model::sample();
        let finding = audit
            .findings
            .iter_mut()
            .find(|f| f.snippet.is_some())
            .expect("a finding with a snippet");
        finding.location.column = 1001;
        finding.snippet_column = 941;
        finding.span = 6;
        finding.snippet = Some(format!("{}TARGET{}", "a".repeat(60), "b".repeat(94)));
        let finding = finding.clone();
        let mut out = String::new();
        finding_block(&mut out, &audit, &finding);
        let caret_line = out.lines().find(|l| l.contains('^')).expect("a caret line");
        let snippet_line = out.lines().find(|l| l.contains("TARGET")).expect("the snippet");
        assert_eq!(caret_line.find('^'), snippet_line.find("TARGET"), "{out}");
    }

    #[test]
    fn listing_of_the_sample() {
        let audit = crate::model::sample();
        insta::assert_snapshot!(findings(&audit));
    }
}
