//! The baseline's comparison: which open findings an entry of the baseline accepts, which
//! are new, and which entries are still open, expired or fixed; then the gate of
//! `plumb check` over that comparison.
//!
//! # The baseline key
//!
//! A finding's line moves with every edit above it, so an entry cannot name it by line,
//! nor by [`Finding::fingerprint`], which holds the path. An entry holds the finding's
//! rule, its path, and a key of 16 hexadecimal digits: FNV-1a over
//! - the rule id;
//! - the finding's snippet (its source line, secrets masked) without any whitespace, so
//!   re-indenting or re-spacing the line keeps it;
//! - the finding's message (secrets masked) without whitespace, with its own path taken
//!   out and every run of digits written `#`, so that a figure it quotes (a line number,
//!   a count of lines or findings) can change without making it another finding;
//! - its occurrence: 1 for the first finding of the file with the same rule and text, 2
//!   for the second, in line order, so that two identical lines are two entries.
//!
//! Entries are matched to findings first by path and key, then, for entries left over,
//! by key among the findings left over in a file of the same name in another folder (a
//! file moved by `git mv dir/a.py lib/a.py`): the first such finding in path order. A
//! finding no entry matches is new; an entry no finding matches is fixed.
//!
//! No I/O here: the snapshot's baseline was read by the scan
//! ([`crate::analyzers::baseline`]), a `--baseline` file by the CLI.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::analyzers::baseline::unknown_rules;
use crate::analyzers::fingerprint;
use crate::analyzers::secrets::mask;
use crate::model::{Audit, Baseline, BaselineEntry, BaselineSource, EntryStatus, Finding, Matched, NewFinding};

/// `baseline-invalid` findings for the entries of the snapshot's baseline that name no
/// rule of this plumb; called once every rule is in `audit.rules`. (A `--baseline`
/// file's unknown rules are the CLI's error: see [`unknown_rule_entries`].)
pub fn findings(audit: &mut Audit) {
    let Some(baseline) = audit.baseline.as_mut().filter(|b| b.source == BaselineSource::Snapshot) else {
        return;
    };
    let rules = &audit.rules;
    let invalid = unknown_rules(baseline, |id| rules.iter().any(|rule| rule.id == id));
    audit.findings.extend(invalid);
}

/// The entries of `baseline` whose rule is none of `rules`.
pub fn unknown_rule_entries<'a>(baseline: &'a Baseline, audit: &Audit) -> Vec<&'a BaselineEntry> {
    baseline
        .entries
        .iter()
        .filter(|entry| !audit.rules.iter().any(|rule| rule.id == entry.rule))
        .collect()
}

/// Compares the audit's baseline, if it has one, with its final findings.
pub fn compare(audit: &mut Audit) {
    let today = date_of(&audit.generated_at).to_string();
    if let Some(baseline) = audit.baseline.as_mut() {
        compare_with(&audit.findings, baseline, &today);
    }
}

/// Sets every entry's status and match and lists the new findings. `today` is the
/// audit's own date (`YYYY-MM-DD` of `generated_at`, which `SOURCE_DATE_EPOCH` sets), so
/// that the same snapshot and clock give the same verdict.
pub fn compare_with(findings: &[Finding], baseline: &mut Baseline, today: &str) {
    let keys = keys(findings);
    let matches = match_entries(findings, &keys, &baseline.entries);
    for (entry, matched) in baseline.entries.iter_mut().zip(&matches) {
        entry.matched = matched.map(|index| Matched {
            finding: index,
            location: findings[index].location.clone(),
        });
        entry.status = match (matched, &entry.expires) {
            (None, _) => EntryStatus::Fixed,
            (Some(_), Some(expires)) if expires.as_str() < today => EntryStatus::Expired,
            (Some(_), _) => EntryStatus::Open,
        };
    }
    let mut accepted = vec![false; findings.len()];
    matches.iter().flatten().for_each(|&index| accepted[index] = true);
    baseline.new = keys
        .into_iter()
        .enumerate()
        .filter(|(index, _)| !accepted[*index])
        .filter_map(|(index, key)| {
            let finding = &findings[index];
            Some(NewFinding {
                finding: index,
                rule: finding.rule.clone(),
                location: finding.location.clone(),
                fingerprint: key?,
            })
        })
        .collect();
}

/// `YYYY-MM-DD` of an RFC 3339 time stamp.
fn date_of(timestamp: &str) -> &str {
    timestamp.get(..10).unwrap_or(timestamp)
}

/// The path an entry holds for a finding: secrets masked, as in every output.
pub fn entry_path(finding: &Finding) -> Cow<'_, str> {
    mask(&finding.location.path)
}

/// The baseline key of every open finding (None for a suppressed one), as the module
/// documentation describes it.
pub fn keys(findings: &[Finding]) -> Vec<Option<String>> {
    let mut occurrences: HashMap<(&str, String), usize> = HashMap::new();
    findings
        .iter()
        .map(|finding| {
            if finding.suppressed {
                return None;
            }
            let text = text_key(finding);
            let occurrence = occurrences.entry((&finding.location.path, text.clone())).or_default();
            *occurrence += 1;
            Some(fingerprint(&[&text, &occurrence.to_string()]))
        })
        .collect()
}

/// A finding's rule and text, without its place: see the module documentation.
fn text_key(finding: &Finding) -> String {
    let snippet = finding.snippet.as_deref().map(mask).unwrap_or_default();
    let message = finding.message.replace(&finding.location.path, "\u{1}");
    let message = mask(&message);
    fingerprint(&[&finding.rule, &squeezed(&snippet, false), &squeezed(&message, true)])
}

/// `text` without whitespace, and with every run of digits written `#` when `digits`.
fn squeezed(text: &str, digits: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        if digits && c.is_ascii_digit() {
            if !out.ends_with('#') {
                out.push('#');
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// For every entry, the index of the open finding it accepts, if any.
fn match_entries(findings: &[Finding], keys: &[Option<String>], entries: &[BaselineEntry]) -> Vec<Option<usize>> {
    let mut matches: Vec<Option<usize>> = vec![None; entries.len()];
    let mut taken = vec![false; findings.len()];
    // Same path and key. Entries are unique by rule, path and fingerprint (the reader
    // leaves repeats out), and the key holds the rule.
    let by_place: HashMap<(&str, &str), usize> = entries
        .iter()
        .enumerate()
        .map(|(index, entry)| ((entry.path.as_str(), entry.fingerprint.as_str()), index))
        .collect();
    let paths: Vec<Cow<'_, str>> = findings.iter().map(entry_path).collect();
    for (index, key) in keys.iter().enumerate() {
        let Some(key) = key else { continue };
        if let Some(&entry) = by_place.get(&(paths[index].as_ref(), key.as_str())) {
            if entries[entry].rule == findings[index].rule {
                matches[entry] = Some(index);
                taken[index] = true;
            }
        }
    }
    // Moved files: the same file name and key in another folder.
    let mut moved: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    let mut left: Vec<usize> = (0..findings.len())
        .filter(|&i| keys[i].is_some() && !taken[i])
        .collect();
    left.sort_by(|&a, &b| paths[a].cmp(&paths[b]).then(a.cmp(&b)));
    for &index in left.iter().rev() {
        let key = keys[index].as_deref().expect("left holds keyed findings only");
        moved.entry((file_name(&paths[index]), key)).or_default().push(index);
    }
    for (entry_index, entry) in entries.iter().enumerate() {
        if matches[entry_index].is_some() {
            continue;
        }
        let candidates = moved.get_mut(&(file_name(&entry.path), entry.fingerprint.as_str()));
        if let Some(index) = candidates.and_then(|c| c.pop()) {
            if findings[index].rule == entry.rule {
                matches[entry_index] = Some(index);
            }
        }
    }
    matches
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The overall score the gate compares with `--min-score`: the judge's overall figure,
/// None while it is not assessable.
pub fn overall_score(audit: &Audit) -> Option<f64> {
    audit.scores.overall.value
}

/// What `plumb check` decides, given the compared audit.
#[derive(Debug)]
pub struct Gate<'a> {
    /// Open findings no entry accepts.
    pub new: Vec<&'a Finding>,
    /// Entries past their date whose finding is still open, with that finding.
    pub expired: Vec<(&'a BaselineEntry, &'a Finding)>,
    /// Entries whose finding is gone.
    pub fixed: Vec<&'a BaselineEntry>,
    pub score: ScoreCheck,
    /// Fixed entries fail the gate (`--strict`): the baseline only shrinks.
    pub strict: bool,
    /// The baseline compared with, if any.
    pub baseline: Option<&'a Baseline>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ScoreCheck {
    /// No threshold was set.
    NotAsked,
    Met {
        score: f64,
        min: f64,
    },
    Below {
        score: f64,
        min: f64,
    },
    /// A threshold was set and the score is not assessable: the gate cannot pass on it.
    NotAssessable {
        min: f64,
    },
}

impl ScoreCheck {
    /// The score against the threshold, if one is set.
    pub fn new(score: Option<f64>, min: Option<f64>) -> ScoreCheck {
        match (score, min) {
            (_, None) => ScoreCheck::NotAsked,
            (None, Some(min)) => ScoreCheck::NotAssessable { min },
            (Some(score), Some(min)) if score < min => ScoreCheck::Below { score, min },
            (Some(score), Some(min)) => ScoreCheck::Met { score, min },
        }
    }

    fn fails(self) -> bool {
        matches!(self, ScoreCheck::Below { .. } | ScoreCheck::NotAssessable { .. })
    }
}

impl<'a> Gate<'a> {
    /// The gate over an audit already compared with its baseline (or with none: then
    /// every open finding is new). `min_score` is `--min-score`, else `plumb.toml`'s.
    pub fn new(audit: &'a Audit, min_score: Option<f64>, strict: bool) -> Gate<'a> {
        let baseline = audit.baseline.as_ref();
        let new = match baseline {
            Some(baseline) => baseline.new.iter().map(|n| &audit.findings[n.finding]).collect(),
            None => audit.findings.iter().filter(|f| !f.suppressed).collect(),
        };
        let entries = baseline.map(|b| b.entries.as_slice()).unwrap_or_default();
        let expired = entries
            .iter()
            .filter(|e| e.status == EntryStatus::Expired)
            .filter_map(|e| Some((e, &audit.findings[e.matched.as_ref()?.finding])))
            .collect();
        let fixed = entries.iter().filter(|e| e.status == EntryStatus::Fixed).collect();
        let min = min_score.or_else(|| config_min_score(audit));
        Gate {
            new,
            expired,
            fixed,
            score: ScoreCheck::new(overall_score(audit), min),
            strict,
            baseline,
        }
    }

    pub fn passed(&self) -> bool {
        let stale_fails = self.strict && !self.fixed.is_empty();
        self.new.is_empty() && self.expired.is_empty() && !stale_fails && !self.score.fails()
    }
}

/// `[check] min_score` of `plumb.toml`.
fn config_min_score(audit: &Audit) -> Option<f64> {
    audit.surfaces.config.as_ref()?.check.min_score
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Location;

    fn finding(path: &str, line: usize, snippet: &str, message: &str) -> Finding {
        Finding {
            location: Location {
                path: path.to_string(),
                line,
                column: 3,
            },
            rule: "unpinned-uses".to_string(),
            severity: crate::model::Severity::Medium,
            confidence: crate::model::Confidence::High,
            message: message.to_string(),
            remediation: "",
            snippet: Some(snippet.to_string()),
            snippet_column: 1,
            span: 1,
            fingerprint: String::new(),
            suppressed: false,
            omitted: None,
        }
    }

    fn key(finding: &Finding) -> String {
        keys(std::slice::from_ref(finding))[0]
            .clone()
            .expect("an open finding has a key")
    }

    #[test]
    fn the_key_survives_lines_above_reindentation_and_figures() {
        let before = finding("a.yml", 10, "    - uses: x/y@v1", "`x/y@v1`: 12 lines, at line 10");
        let mut after = before.clone();
        after.location.line = 11;
        after.snippet = Some("\t\t-  uses:   x/y@v1".to_string());
        after.message = "`x/y@v1`: 13 lines, at line 11".to_string();
        assert_eq!(key(&before), key(&after));
        let mut other = before.clone();
        other.snippet = Some("    - uses: x/z@v1".to_string());
        assert_ne!(key(&before), key(&other));
    }

    #[test]
    fn the_key_leaves_the_path_out() {
        let before = finding("ci/a.yml", 10, "uses: x/y@v1", "in ci/a.yml");
        let mut moved = before.clone();
        moved.location.path = "build/a.yml".to_string();
        moved.message = "in build/a.yml".to_string();
        assert_eq!(key(&before), key(&moved));
    }

    #[test]
    fn identical_lines_get_one_key_each() {
        let findings = [
            finding("a.yml", 3, "uses: x/y@v1", "m"),
            finding("a.yml", 9, "uses: x/y@v1", "m"),
            finding("b.yml", 9, "uses: x/y@v1", "m"),
        ];
        let keys = keys(&findings);
        assert_ne!(keys[0], keys[1]);
        assert_eq!(keys[0], keys[2]);
    }

    fn entry(path: &str, fingerprint: &str, expires: Option<&str>) -> BaselineEntry {
        BaselineEntry {
            rule: "unpinned-uses".to_string(),
            path: path.to_string(),
            fingerprint: fingerprint.to_string(),
            reason: None,
            owner: None,
            expires: expires.map(str::to_string),
            line: 1,
            status: EntryStatus::Fixed,
            matched: None,
        }
    }

    fn baseline(entries: Vec<BaselineEntry>) -> Baseline {
        Baseline {
            path: ".plumb/baseline.toml".to_string(),
            source: BaselineSource::Snapshot,
            entries,
            new: Vec::new(),
            text: "".into(),
        }
    }

    #[test]
    fn entries_match_in_place_then_in_a_moved_file_and_the_rest_is_new_or_fixed() {
        let findings = vec![
            finding("a.yml", 1, "uses: x/a@v1", "m"),
            finding("lib/b.yml", 2, "uses: x/b@v1", "m"),
            finding("lib/c.yml", 2, "uses: x/c@v1", "m"),
        ];
        let keys = keys(&findings);
        let [a, b, c] = [0, 1, 2].map(|i| keys[i].clone().expect("open"));
        let mut baseline = baseline(vec![
            entry("a.yml", &a, Some("2026-01-02")),
            entry("ci/b.yml", &b, Some("2026-01-01")),
            entry("ci/c2.yml", &c, None),
            entry("gone.yml", "0000000000000000", None),
        ]);
        compare_with(&findings, &mut baseline, "2026-01-02");
        let statuses: Vec<EntryStatus> = baseline.entries.iter().map(|e| e.status).collect();
        // a: in place, expires today (still accepted); b: moved, expired yesterday;
        // c: renamed, so not matched; gone: fixed.
        assert_eq!(
            statuses,
            [
                EntryStatus::Open,
                EntryStatus::Expired,
                EntryStatus::Fixed,
                EntryStatus::Fixed
            ]
        );
        assert_eq!(baseline.entries[1].matched.as_ref().map(|m| m.finding), Some(1));
        let new: Vec<usize> = baseline.new.iter().map(|n| n.finding).collect();
        assert_eq!(new, [2]);
        assert_eq!(baseline.new[0].fingerprint, c);
    }

    #[test]
    fn suppressed_findings_are_neither_new_nor_accepted() {
        let mut findings = vec![finding("a.yml", 1, "uses: x/a@v1", "m")];
        let key = key(&findings[0]);
        findings[0].suppressed = true;
        let mut baseline = baseline(vec![entry("a.yml", &key, None)]);
        compare_with(&findings, &mut baseline, "2026-01-02");
        assert!(baseline.new.is_empty());
        assert_eq!(baseline.entries[0].status, EntryStatus::Fixed);
    }

    #[test]
    fn the_score_gate_fails_below_the_threshold_or_when_not_assessable() {
        assert_eq!(ScoreCheck::new(Some(4.0), None), ScoreCheck::NotAsked);
        assert!(!ScoreCheck::new(Some(7.0), Some(7.0)).fails());
        assert!(ScoreCheck::new(Some(6.9), Some(7.0)).fails());
        assert!(ScoreCheck::new(None, Some(7.0)).fails());
    }
}
