//! Caps on how many findings an audit lists, so that a hostile file (thousands of
//! expressions or key ids on one line) cannot make the audit's memory, time and reports
//! grow without bound.
//!
//! Past a cap, the findings left out are not lost from the counts: one summary finding of
//! the same rule says how many more there are ("and 1,234 more `template-injection`
//! findings in this file"), at the place of the first one left out, with the highest
//! severity among them. Suppressed findings count toward the caps like open ones (a
//! file could otherwise grow without bound by suppressing its own findings), but open
//! ones are listed first, so a suppression never pushes an open finding out of the list.

use std::collections::{BTreeMap, HashMap};

use crate::model::Finding;

use super::workflows::rules::fingerprint;

/// At most this many findings of one rule in one file are listed; the rest are counted in
/// one summary finding. Far above what a real file has (the most in one file of the
/// repositories in BENCHMARKS.md is a few dozen), far below what a generated one can.
pub const PER_RULE_AND_FILE: usize = 200;

/// At most this many findings in one audit (before the per-rule summaries of those left
/// out): the open and most severe first, then in place order.
pub const PER_AUDIT: usize = 20_000;

/// Caps the findings from index `from` on (one file's, or those made after the scan) at
/// [`PER_RULE_AND_FILE`] for each rule and file, open ones first, then in place order.
pub fn cap_per_file(findings: &mut Vec<Finding>, from: usize) {
    let from = from.min(findings.len());
    if findings.len() - from <= PER_RULE_AND_FILE || !any_group_over(&findings[from..]) {
        return;
    }
    let mut tail = findings.split_off(from);
    tail.sort_by(|a, b| {
        (&a.location.path, &a.rule, a.suppressed)
            .cmp(&(&b.location.path, &b.rule, b.suppressed))
            .then_with(|| a.cmp(b))
    });
    let mut group: Option<(String, String)> = None;
    let mut listed = 0;
    let mut omitted: Option<Omitted> = None;
    for finding in tail {
        if group.as_ref() != Some(&(finding.location.path.clone(), finding.rule.clone())) {
            findings.extend(omitted.take().map(|o| o.summary(Scope::File)));
            group = Some((finding.location.path.clone(), finding.rule.clone()));
            listed = 0;
        }
        if listed < PER_RULE_AND_FILE {
            listed += 1;
            findings.push(finding);
        } else {
            match omitted.as_mut() {
                Some(omitted) => omitted.add(&finding),
                None => omitted = Some(Omitted::new(finding)),
            }
        }
    }
    findings.extend(omitted.map(|o| o.summary(Scope::File)));
}

fn any_group_over(findings: &[Finding]) -> bool {
    let mut counts: HashMap<(&str, &str), usize> = HashMap::new();
    findings.iter().any(|f| {
        let count = counts.entry((&f.location.path, &f.rule)).or_default();
        *count += 1;
        *count > PER_RULE_AND_FILE
    })
}

/// Caps the audit's findings at [`PER_AUDIT`]: the open and most severe are kept, then in
/// place order; those left out are summed up in one finding per rule.
pub fn cap_audit(findings: &mut Vec<Finding>) {
    if findings.len() <= PER_AUDIT {
        return;
    }
    findings.sort_by(|a, b| {
        (a.suppressed, b.severity)
            .cmp(&(b.suppressed, a.severity))
            .then_with(|| a.cmp(b))
    });
    let mut by_rule: BTreeMap<String, Omitted> = BTreeMap::new();
    for finding in findings.split_off(PER_AUDIT) {
        match by_rule.get_mut(&finding.rule) {
            Some(omitted) => omitted.add(&finding),
            None => {
                by_rule.insert(finding.rule.clone(), Omitted::new(finding));
            }
        }
    }
    findings.extend(by_rule.into_values().map(|o| o.summary(Scope::Audit)));
}

/// Where a cap applies, for the summary's words.
#[derive(Clone, Copy)]
enum Scope {
    File,
    Audit,
}

/// The findings of one rule left out by a cap: the first in place order stands for them.
struct Omitted {
    first: Finding,
    count: usize,
    suppressed: usize,
}

impl Omitted {
    fn new(finding: Finding) -> Self {
        Omitted {
            suppressed: usize::from(finding.suppressed),
            count: 1,
            first: finding,
        }
    }

    fn add(&mut self, finding: &Finding) {
        self.count += 1;
        self.suppressed += usize::from(finding.suppressed);
        // Open ones first: the summary is open when any finding it stands for is.
        let earlier = (finding.suppressed, &finding.location) < (self.first.suppressed, &self.first.location);
        let severity = self.first.severity.max(finding.severity);
        if earlier {
            self.first = finding.clone();
        }
        self.first.severity = severity;
    }

    /// One finding of the same rule saying how many were left out.
    fn summary(self, scope: Scope) -> Finding {
        let Omitted {
            mut first,
            count,
            suppressed,
        } = self;
        let (place, cap) = match scope {
            Scope::File => ("in this file", format!("{PER_RULE_AND_FILE} per rule and file")),
            Scope::Audit => ("in this audit", format!("{} per audit", thousands(PER_AUDIT))),
        };
        let of_them = match suppressed {
            0 => String::new(),
            n => format!(" ({} of them suppressed)", thousands(n)),
        };
        first.message = format!(
            "and {} more `{}` findings {place}{of_them}, not listed: plumb lists at most {cap}",
            thousands(count),
            first.rule
        );
        first.suppressed = suppressed == count;
        let path = match scope {
            Scope::File => first.location.path.as_str(),
            Scope::Audit => "",
        };
        first.fingerprint = fingerprint(&[&first.rule, path, place, "more findings"]);
        first
    }
}

/// `12345` as `12,345`.
pub(crate) fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Confidence, Location, Severity};

    fn finding(path: &str, rule: &str, line: usize, suppressed: bool) -> Finding {
        Finding {
            location: Location {
                path: path.to_string(),
                line,
                column: 1,
            },
            rule: rule.to_string(),
            severity: if line.is_multiple_of(2) {
                Severity::High
            } else {
                Severity::Low
            },
            confidence: Confidence::High,
            message: format!("finding at {line}"),
            remediation: String::new(),
            snippet: None,
            snippet_column: 1,
            span: 1,
            fingerprint: String::new(),
            suppressed,
        }
    }

    #[test]
    fn a_file_lists_the_first_findings_of_each_rule_and_counts_the_rest() {
        let mut findings = vec![finding("other.yml", "a", 1, false)];
        for line in (1..=PER_RULE_AND_FILE + 50).rev() {
            findings.push(finding("big.yml", "a", line, line == 3));
        }
        findings.push(finding("big.yml", "b", 7, false));
        cap_per_file(&mut findings, 1);

        let of = |rule: &'static str| {
            findings
                .iter()
                .filter(move |f| f.location.path == "big.yml" && f.rule == rule)
        };
        assert_eq!(of("a").count(), PER_RULE_AND_FILE + 1);
        assert_eq!(of("b").count(), 1);
        assert_eq!(findings[0].location.path, "other.yml", "findings before `from` stay");
        let summary = of("a").next_back().expect("a summary");
        assert_eq!(
            summary.message,
            "and 50 more `a` findings in this file (1 of them suppressed), not listed: plumb lists at most 200 per rule and file"
        );
        // The open ones are listed first, then the lines in order: the suppressed line 3 is
        // left out, and the summary stands at the first open line left out.
        assert!(of("a").take(PER_RULE_AND_FILE).all(|f| !f.suppressed));
        assert_eq!(summary.location.line, PER_RULE_AND_FILE + 2);
        assert_eq!(summary.severity, Severity::High);
        assert!(!summary.suppressed);
    }

    #[test]
    fn an_audit_keeps_the_most_severe_and_sums_up_the_rest_per_rule() {
        let mut findings: Vec<Finding> = (1..=PER_AUDIT + 10)
            .map(|line| {
                finding(
                    &format!("f{}.yml", line % 7),
                    if line.is_multiple_of(3) { "a" } else { "b" },
                    line,
                    false,
                )
            })
            .collect();
        cap_audit(&mut findings);
        let listed = findings.iter().filter(|f| f.message.starts_with("finding at"));
        assert_eq!(listed.clone().count(), PER_AUDIT);
        let summaries: Vec<&Finding> = findings.iter().filter(|f| f.message.starts_with("and ")).collect();
        let left_out: usize = summaries
            .iter()
            .map(|f| {
                f.message
                    .split(' ')
                    .nth(1)
                    .expect("a count")
                    .replace(',', "")
                    .parse::<usize>()
                    .expect("a number")
            })
            .sum();
        assert_eq!(left_out, 10, "counts stay exact");
        assert!(
            summaries.iter().all(|f| f.severity == Severity::Low),
            "the least severe are left out"
        );
    }

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(1_234), "1,234");
        assert_eq!(thousands(20_000_000), "20,000,000");
    }
}
