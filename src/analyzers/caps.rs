//! Caps on how many findings an audit lists, so that a hostile file (thousands of
//! expressions or key ids on one line) cannot make the audit's memory, time and reports
//! grow without bound.
//!
//! Past a cap, the findings left out are not lost from the counts: one summary finding of
//! the same rule says how many more there are ("and 1,234 more `template-injection`
//! findings in this file"), at the place of the first one left out, with the highest
//! severity among them, and carries their exact number ([`Omitted`]), which every later
//! cap and count adds up. Suppressed findings count toward the caps like open ones (a
//! file could otherwise grow without bound by suppressing its own findings), but open
//! ones are listed first, so a suppression never pushes an open finding out of the list.
//!
//! The scan caps each file's findings as they are reported ([`FileFindings`]): past the
//! cap a finding is only built if it would be listed, so a file's cost is the cap's, not
//! its findings'. Findings made after the scan are capped at the end ([`cap_per_file`]).

use std::cmp::Ordering;
use std::collections::{BTreeMap, BinaryHeap, HashMap};

use crate::model::{Finding, Omitted, Severity};

use super::workflows::rules::fingerprint;

/// At most this many findings of one rule in one file are listed; the rest are counted in
/// one summary finding. Far above what a real file has (the most in one file of the
/// repositories in BENCHMARKS.md is a few dozen), far below what a generated one can.
pub const PER_RULE_AND_FILE: usize = 200;

/// At most this many findings in one audit (before the per-rule summaries of those left
/// out): the open and most severe first, then in place order.
pub const PER_AUDIT: usize = 20_000;

/// Largest file an analyzer reads whole into a tree (TOML and JSON manifests a person
/// writes: `Cargo.toml`, `pyproject.toml`, `Pipfile`, `package.json`, `vcpkg.json`). Real
/// manifests are a few KiB, the largest of seven repositories here 38 KiB. Lockfiles,
/// which tools write and can be megabytes, are read a table or an event at a time, or
/// line by line, instead.
pub const TREE_FILE_BYTES: usize = 1 << 20;

/// A tree costs some 300 bytes of memory a value (a key, a string, a table), so beside the
/// size, the values a file may hold are bounded: [`TREE_BASE_VALUES`] and one more per
/// [`TREE_BYTES_PER_VALUE`] bytes, which keeps a tree within about 4 times its file (plus
/// a few MB for a small file). Real manifests hold a value per 10 to 30 bytes and far
/// fewer than the base: the bound stops only files made of tiny entries.
pub const TREE_BASE_VALUES: usize = 10_000;

/// See [`TREE_BASE_VALUES`].
pub const TREE_BYTES_PER_VALUE: usize = 64;

/// Why `text` is not read into a tree: larger than [`TREE_FILE_BYTES`], or more values
/// than its size allows. Values are over-counted, cheaply and alike in TOML and JSON, as
/// the bytes that can start or separate one (`=`, `:`, `,`, `[`, `{`), in strings too.
pub fn too_large_for_a_tree(text: &str) -> Option<String> {
    if text.len() > TREE_FILE_BYTES {
        return Some(format!(
            "{} bytes: read whole into a tree, at some 20 to 40 bytes of memory a byte, a file over {} bytes is not read",
            thousands(text.len()),
            thousands(TREE_FILE_BYTES)
        ));
    }
    let allowed = TREE_BASE_VALUES + text.len() / TREE_BYTES_PER_VALUE;
    if text.len() <= allowed {
        return None; // fewer bytes than values allowed
    }
    let values = text
        .bytes()
        .filter(|b| matches!(b, b'=' | b':' | b',' | b'[' | b'{'))
        .count();
    (values > allowed).then(|| {
        format!(
            "{} values in {} bytes: read whole into a tree, a file may hold {} values and one more per {} bytes, to bound memory",
            thousands(values),
            thousands(text.len()),
            thousands(TREE_BASE_VALUES),
            TREE_BYTES_PER_VALUE
        )
    })
}

/// What a finding of one file is known by before it is built: enough for the cap to tell
/// whether it is listed.
#[derive(Debug, Clone, Copy)]
pub struct Head<'a> {
    pub rule: &'a str,
    /// 1-based, as in its [`crate::model::Location`].
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    pub suppressed: bool,
}

impl Head<'_> {
    /// The order the cap lists findings in, open first, then by place.
    fn rank(&self) -> (bool, usize, usize) {
        (self.suppressed, self.line, self.column)
    }
}

/// [`Head::rank`] of a built finding (of the same file).
fn rank(finding: &Finding) -> (bool, usize, usize) {
    (finding.suppressed, finding.location.line, finding.location.column)
}

/// One file's findings, capped per rule as they are reported: once a rule has
/// [`PER_RULE_AND_FILE`] findings, a new one is built only when it ranks before one of
/// them (open first, then in place order) or before the first left out, which its
/// summary stands at; any other is only counted. What a file holds is bounded by the cap,
/// whatever it reports.
#[derive(Debug, Default)]
pub struct FileFindings {
    /// One per rule reported, in the order of their first finding (a file has few rules).
    groups: Vec<Group>,
}

#[derive(Debug)]
struct Group {
    rule: String,
    /// The listed findings, the last in the cap's order on top: the next to leave out.
    listed: BinaryHeap<Listed>,
    left_out: Option<LeftOut>,
}

/// A listed finding, ordered as the cap ranks them; equal ranks by the whole finding, so
/// that the choice never depends on the order of reports.
#[derive(Debug, PartialEq, Eq)]
struct Listed(Finding);

impl Ord for Listed {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.0.suppressed, &self.0).cmp(&(other.0.suppressed, &other.0))
    }
}

impl PartialOrd for Listed {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl FileFindings {
    /// Reports the finding `head` describes; `build` makes it, if the cap lists it or its
    /// summary stands at it.
    pub fn report(&mut self, head: Head<'_>, build: impl FnOnce() -> Finding) {
        let group = match self.groups.iter().position(|g| g.rule == head.rule) {
            Some(i) => &mut self.groups[i],
            None => {
                self.groups.push(Group {
                    rule: head.rule.to_string(),
                    listed: BinaryHeap::new(),
                    left_out: None,
                });
                self.groups.last_mut().expect("just pushed")
            }
        };
        if group.listed.len() < PER_RULE_AND_FILE {
            group.listed.push(Listed(build()));
            return;
        }
        let mut last = group.listed.peek_mut().expect("a full group");
        let pushed_out = match head.rank().cmp(&rank(&last.0)) {
            Ordering::Greater => {
                drop(last);
                group.leave_out(head, build);
                return;
            }
            Ordering::Less => std::mem::replace(&mut last.0, build()),
            Ordering::Equal => {
                let finding = build();
                if (finding.suppressed, &finding) < (last.0.suppressed, &last.0) {
                    std::mem::replace(&mut last.0, finding)
                } else {
                    finding
                }
            }
        };
        drop(last);
        group.left_out(pushed_out);
    }

    /// The listed findings, rule by rule in place order, each rule's summary after them.
    pub fn into_findings(self) -> Vec<Finding> {
        let mut findings = Vec::new();
        for group in self.groups {
            findings.extend(group.listed.into_sorted_vec().into_iter().map(|l| l.0));
            findings.extend(group.left_out.map(|l| l.summary(Scope::File)));
        }
        findings
    }
}

impl Group {
    /// Counts a finding the cap does not list; builds it only if the summary stands at it.
    fn leave_out(&mut self, head: Head<'_>, build: impl FnOnce() -> Finding) {
        match &mut self.left_out {
            Some(left_out) if head.rank() >= rank(&left_out.first) => left_out.count(
                head.severity,
                Omitted {
                    findings: 1,
                    suppressed: usize::from(head.suppressed),
                },
            ),
            _ => self.left_out(build()),
        }
    }

    fn left_out(&mut self, finding: Finding) {
        match &mut self.left_out {
            Some(left_out) => left_out.add(finding),
            None => self.left_out = Some(LeftOut::new(finding)),
        }
    }
}

/// Caps the findings from index `from` on (those made after the scan) at
/// [`PER_RULE_AND_FILE`] for each rule and file, open ones first, then in place order.
/// A cap's summary among them is added to the count of those left out.
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
    let mut left_out: Option<LeftOut> = None;
    for finding in tail {
        if group.as_ref() != Some(&(finding.location.path.clone(), finding.rule.clone())) {
            findings.extend(left_out.take().map(|o| o.summary(Scope::File)));
            group = Some((finding.location.path.clone(), finding.rule.clone()));
            listed = 0;
        }
        if listed < PER_RULE_AND_FILE && finding.omitted.is_none() {
            listed += 1;
            findings.push(finding);
        } else {
            match left_out.as_mut() {
                Some(left_out) => left_out.add(finding),
                None => left_out = Some(LeftOut::new(finding)),
            }
        }
    }
    findings.extend(left_out.map(|o| o.summary(Scope::File)));
}

/// Whether a rule has more findings in one file than the cap lists, or more than one
/// summary.
fn any_group_over(findings: &[Finding]) -> bool {
    let mut counts: HashMap<(&str, &str), (usize, usize)> = HashMap::new();
    findings.iter().any(|f| {
        let (listed, summaries) = counts.entry((&f.location.path, &f.rule)).or_default();
        match f.omitted {
            Some(_) => *summaries += 1,
            None => *listed += 1,
        }
        *listed > PER_RULE_AND_FILE || *summaries > 1
    })
}

/// Caps the audit's findings at [`PER_AUDIT`]: the open and most severe are kept, then in
/// place order; those left out (a file's summary included) are summed up in one finding
/// per rule.
pub fn cap_audit(findings: &mut Vec<Finding>) {
    if findings.len() <= PER_AUDIT {
        return;
    }
    findings.sort_by(|a, b| {
        (a.suppressed, b.severity)
            .cmp(&(b.suppressed, a.severity))
            .then_with(|| a.cmp(b))
    });
    let mut by_rule: BTreeMap<String, LeftOut> = BTreeMap::new();
    for finding in findings.split_off(PER_AUDIT) {
        match by_rule.get_mut(&finding.rule) {
            Some(left_out) => left_out.add(finding),
            None => {
                by_rule.insert(finding.rule.clone(), LeftOut::new(finding));
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

/// The findings of one rule left out by a cap: the first in the cap's order (open ones
/// first, then by place) stands for them.
#[derive(Debug)]
struct LeftOut {
    first: Finding,
    count: Omitted,
    /// The highest severity among them.
    severity: Severity,
}

impl LeftOut {
    fn new(finding: Finding) -> Self {
        LeftOut {
            count: omitted(&finding),
            severity: finding.severity,
            first: finding,
        }
    }

    fn add(&mut self, finding: Finding) {
        self.count(finding.severity, omitted(&finding));
        if (finding.suppressed, &finding.location) < (self.first.suppressed, &self.first.location) {
            self.first = finding;
        }
    }

    fn count(&mut self, severity: Severity, more: Omitted) {
        self.count.findings += more.findings;
        self.count.suppressed += more.suppressed;
        self.severity = self.severity.max(severity);
    }

    /// One finding of the same rule saying how many were left out.
    fn summary(self, scope: Scope) -> Finding {
        let LeftOut {
            mut first,
            count,
            severity,
        } = self;
        let (place, cap) = match scope {
            Scope::File => ("in this file", format!("{PER_RULE_AND_FILE} per rule and file")),
            Scope::Audit => ("in this audit", format!("{} per audit", thousands(PER_AUDIT))),
        };
        let of_them = match count.suppressed {
            0 => String::new(),
            n => format!(" ({} of them suppressed)", thousands(n)),
        };
        first.message = format!(
            "and {} more `{}` findings {place}{of_them}, not listed: plumb lists at most {cap}",
            thousands(count.findings),
            first.rule
        );
        first.severity = severity;
        first.suppressed = count.suppressed == count.findings;
        first.omitted = Some(count);
        let path = match scope {
            Scope::File => first.location.path.as_str(),
            Scope::Audit => "",
        };
        first.fingerprint = fingerprint(&[&first.rule, path, place, "more findings"]);
        first
    }
}

/// The findings `finding` counts for: a summary's, or itself.
fn omitted(finding: &Finding) -> Omitted {
    finding.omitted.unwrap_or(Omitted {
        findings: 1,
        suppressed: usize::from(finding.suppressed),
    })
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

    #[test]
    fn a_tree_is_refused_past_its_size_or_its_values() {
        let entries = |n: usize, each: &str| (0..n).map(|i| format!("d{i} = \"{each}\"\n")).collect::<String>();
        // 20,000 short entries (about 12 bytes each): too many values for the size.
        let dense = entries(20_000, "1");
        let why = too_large_for_a_tree(&dense).expect("refused");
        assert!(why.starts_with("20,000 values in"), "{why}");
        // More entries than the base, with room for them (80 bytes each), are read.
        assert_eq!(too_large_for_a_tree(&entries(12_000, &"1".repeat(70))), None);
        // A real-sized manifest of short entries is read, whatever its density.
        assert_eq!(too_large_for_a_tree(&entries(5_000, "1")), None);
        assert!(too_large_for_a_tree(&" ".repeat(TREE_FILE_BYTES + 1)).is_some());
    }

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
            remediation: "",
            snippet: None,
            snippet_column: 1,
            span: 1,
            fingerprint: String::new(),
            suppressed,
            omitted: None,
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
        assert_eq!(
            summary.omitted,
            Some(Omitted {
                findings: 50,
                suppressed: 1
            })
        );
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

    /// Reports `findings` through a [`FileFindings`], counting the ones built.
    fn report_all(findings: &[Finding]) -> (Vec<Finding>, usize) {
        let mut file = FileFindings::default();
        let mut built = 0;
        for f in findings {
            let head = Head {
                rule: &f.rule,
                line: f.location.line,
                column: f.location.column,
                severity: f.severity,
                suppressed: f.suppressed,
            };
            file.report(head, || {
                built += 1;
                f.clone()
            });
        }
        (file.into_findings(), built)
    }

    #[test]
    fn a_file_capped_as_it_reports_lists_what_the_cap_after_it_would() {
        // Out of place order, some suppressed, two rules: the same list and summary.
        let findings: Vec<Finding> = (1..=PER_RULE_AND_FILE + 75)
            .map(|i| (i * 37) % (PER_RULE_AND_FILE + 75) + 1)
            .map(|line| finding("big.yml", if line % 5 == 0 { "b" } else { "a" }, line, line % 7 == 0))
            .collect();
        let (mut streamed, _) = report_all(&findings);
        let mut after = findings.clone();
        cap_per_file(&mut after, 0);
        streamed.sort();
        after.sort();
        assert_eq!(streamed, after);
        let summary = streamed.iter().find(|f| f.omitted.is_some()).expect("a summary");
        assert_eq!(summary.rule, "a");
        // 188 open findings of `a` and 32 suppressed: every open one is listed.
        assert_eq!(
            summary.omitted,
            Some(Omitted {
                findings: 20,
                suppressed: 20
            })
        );
        assert!(summary.suppressed);
    }

    #[test]
    fn past_the_cap_a_finding_in_place_order_is_counted_not_built() {
        let findings: Vec<Finding> = (1..=10 * PER_RULE_AND_FILE)
            .map(|line| finding("big.yml", "a", line, false))
            .collect();
        let (listed, built) = report_all(&findings);
        assert_eq!(built, PER_RULE_AND_FILE + 1, "the listed ones and the first left out");
        assert_eq!(listed.len(), PER_RULE_AND_FILE + 1);
        let summary = listed.last().expect("a summary");
        assert_eq!(summary.location.line, PER_RULE_AND_FILE + 1);
        assert_eq!(summary.severity, Severity::High, "the highest among those left out");
        assert_eq!(summary.weight(), 9 * PER_RULE_AND_FILE);
    }

    #[test]
    fn a_summary_capped_again_adds_its_count() {
        // A file's summary, then more findings of that rule and file made after the scan.
        let first: Vec<Finding> = (1..=PER_RULE_AND_FILE + 30)
            .map(|line| finding("big.yml", "a", line, false))
            .collect();
        let (mut findings, _) = report_all(&first);
        findings.extend((1000..1010).map(|line| finding("big.yml", "a", line, true)));
        cap_per_file(&mut findings, 0);
        let summaries: Vec<&Finding> = findings.iter().filter(|f| f.omitted.is_some()).collect();
        assert_eq!(summaries.len(), 1);
        assert_eq!(
            summaries[0].omitted,
            Some(Omitted {
                findings: 40,
                suppressed: 10
            })
        );
        assert_eq!(
            findings.iter().map(Finding::weight).sum::<usize>(),
            PER_RULE_AND_FILE + 40
        );

        // Left out of a full audit, a summary still counts for all it stands for.
        let mut audit: Vec<Finding> = (0..PER_AUDIT)
            .map(|line| finding("f.yml", "b", 2 * line, false))
            .collect();
        audit.extend(findings);
        cap_audit(&mut audit);
        assert_eq!(
            audit.iter().map(Finding::weight).sum::<usize>(),
            PER_AUDIT + PER_RULE_AND_FILE + 40
        );
    }

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(1_234), "1,234");
        assert_eq!(thousands(20_000_000), "20,000,000");
    }
}
