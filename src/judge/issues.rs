//! Section 8: the open findings of each scored rule form one candidate issue; candidates
//! are ranked by `severity weight × blast radius weight × breadth` (`docs/scoring.md`),
//! and the first seven are the top issues.

use std::collections::{BTreeMap, BTreeSet};

use super::playbook::{self, GENERAL};
use super::rubric::{self, Area};
use super::scores::severity_word;
use crate::analyzers::SurfaceMatcher;
use crate::model::{Audit, BlastRadius, Finding, IssueEvidence, RankInputs, Rule, Severity, TopIssue};

/// Section 8 lists at most this many; the plan may draw on the rest.
pub const TOP: usize = 7;
/// IssueEvidence quoted per issue.
const EVIDENCE: usize = 5;

/// Every candidate issue, best-ranked first.
pub fn ranked(audit: &Audit) -> Vec<TopIssue> {
    let mut by_rule: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for finding in audit.findings.iter().filter(|f| f.open_weight() > 0) {
        by_rule.entry(finding.rule.as_str()).or_default().push(finding);
    }
    let surfaces = Surfaces::new(audit);
    let mut issues: Vec<TopIssue> = by_rule
        .into_iter()
        .filter_map(|(id, findings)| {
            let rule = audit.rules.iter().find(|r| r.id == id)?;
            let area = rubric::area_of(rule.group, rule.id)?;
            issue(audit, rule, area, findings, &surfaces)
        })
        .collect();
    issues.sort_by(|a, b| {
        b.rank_inputs
            .rank
            .cmp(&a.rank_inputs.rank)
            .then(b.severity.cmp(&a.severity))
            .then(b.findings.cmp(&a.findings))
            .then(a.rule.cmp(&b.rule))
    });
    for (index, issue) in issues.iter_mut().enumerate() {
        issue.rank = index + 1;
    }
    issues
}

/// Weights of the ranking: how bad one finding is.
pub fn severity_weight(severity: Severity) -> u64 {
    match severity {
        Severity::High => 4,
        Severity::Medium => 2,
        Severity::Low => 1,
        Severity::Info => 0,
    }
}

/// How far a change in the findings' files reaches.
pub fn blast_weight(radius: BlastRadius) -> u64 {
    match radius {
        BlastRadius::Critical => 4,
        BlastRadius::High => 3,
        BlastRadius::Medium => 2,
        BlastRadius::Low => 1,
    }
}

fn digits(n: usize) -> u64 {
    n.max(1).ilog10() as u64 + 1
}

fn issue(audit: &Audit, rule: &Rule, area: Area, mut findings: Vec<&Finding>, surfaces: &Surfaces) -> Option<TopIssue> {
    let severity = findings.iter().map(|f| f.severity).max()?;
    if severity == Severity::Info {
        return None;
    }
    // A cap's summary stands for the findings it counts, in its file.
    let open: usize = findings.iter().map(|f| f.open_weight()).sum();
    let mut files: BTreeSet<&str> = findings.iter().map(|f| f.location.path.as_str()).collect();
    if rule.id == "import-cycle" {
        // A cycle's finding sits at one edge; the cycle is every module in it.
        for component in super::rules::judged_cycles(audit) {
            files.extend(component.modules.iter().map(String::as_str));
        }
    }
    let (blast_radius, in_surfaces) = surfaces.reach(&files);
    let severity_weight = severity_weight(severity);
    let blast_weight = blast_weight(blast_radius);
    let breadth = digits(open) + digits(files.len()) - 1;
    findings.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.location.cmp(&b.location)));
    let evidence: Vec<IssueEvidence> = findings
        .iter()
        .filter(|f| f.omitted.is_none())
        .take(EVIDENCE)
        .map(|f| IssueEvidence {
            location: f.location.clone(),
            severity: f.severity,
            message: f.message.clone(),
        })
        .collect();
    let priority = priority(severity, blast_radius, rule.group);
    let playbook = playbook::playbook(rule.id);
    let surfaces_text = match in_surfaces.is_empty() {
        true => String::new(),
        false => {
            format!(", in {}", plural_word(in_surfaces.len(), "surface")) + &format!(" ({})", in_surfaces.join(", "))
        }
    };
    let observation = format!(
        "{} open `{}` {} ({}) in {}{surfaces_text}; highest severity {}, blast radius {}.",
        count(open),
        rule.id,
        if open == 1 { "finding" } else { "findings" },
        rule.title,
        plural_word(files.len(), "file"),
        severity_word(severity),
        blast_radius.name(),
    );
    let interpretation = match playbook {
        Some(p) => p.meaning.to_string(),
        None => rule.help.to_string(),
    };
    let recommendation = match open {
        1 => format!("{} One pull request (section 9).", rule.help),
        n => format!(
            "{} Work through the {} findings worst first, a pull request at a time (section 9).",
            rule.help,
            count(n)
        ),
    };
    let playbook = playbook.unwrap_or(&GENERAL);
    Some(TopIssue {
        rank: 0,
        rule: rule.id.to_string(),
        title: rule.title.to_string(),
        area: area.key().to_string(),
        severity,
        priority: priority.to_string(),
        rank_inputs: RankInputs {
            severity_weight,
            blast_radius,
            blast_weight,
            breadth,
            rank: severity_weight * blast_weight * breadth,
        },
        findings: open,
        files: files.len(),
        surfaces: in_surfaces,
        evidence,
        observation,
        interpretation,
        recommendation,
        guardrail: playbook.guardrail.to_string(),
        rollback: playbook.rollback.to_string(),
    })
}

/// P0: a secret, or a high-severity finding where a change reaches far (high or critical
/// blast radius); P1: another high-severity finding, or a medium one where a change reaches
/// far; P2: the rest.
fn priority(severity: Severity, radius: BlastRadius, group: &str) -> &'static str {
    let far = radius >= BlastRadius::High;
    match severity {
        Severity::High if far || group == "secrets" => "P0",
        Severity::High => "P1",
        Severity::Medium if far => "P1",
        _ => "P2",
    }
}

/// Which surface a file belongs to, and the blast radius that gives it.
struct Surfaces<'a> {
    audit: &'a Audit,
    matcher: SurfaceMatcher,
}

impl<'a> Surfaces<'a> {
    fn new(audit: &'a Audit) -> Self {
        Surfaces {
            audit,
            matcher: SurfaceMatcher::new(&audit.surfaces.surfaces),
        }
    }

    /// The widest blast radius among the files' surfaces, and those surfaces by name. A
    /// file in no surface counts as low, except CI configuration (`.github/`), which
    /// gates every merge: medium, as the seed rates its CI surface.
    fn reach(&self, files: &BTreeSet<&str>) -> (BlastRadius, Vec<String>) {
        let mut radius = BlastRadius::Low;
        let mut names: BTreeSet<usize> = BTreeSet::new();
        for path in files {
            match self.matcher.surface_of(path) {
                Some(index) => {
                    names.insert(index);
                    radius = radius.max(self.audit.surfaces.surfaces[index].blast_radius);
                }
                None if path.starts_with(".github/") => radius = radius.max(BlastRadius::Medium),
                None => {}
            }
        }
        let names = names
            .into_iter()
            .map(|i| self.audit.surfaces.surfaces[i].name.clone())
            .collect();
        (radius, names)
    }
}

fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn plural_word(n: usize, noun: &str) -> String {
    format!("{} {noun}{}", count(n), if n == 1 { "" } else { "s" })
}
