//! Section 10's second half: the baseline's entries, the findings a team has deferred on
//! purpose, each with its reason, owner, expiry, status in this audit and when to
//! revisit it.

use crate::analyzers::baseline::BASELINE_PATH;
use crate::model::{Audit, BaselineEntry, BaselineSource, EntryStatus};

use super::{code, count, more, plural, Markdown, LIST_ROWS};

pub(super) fn entries(md: &mut Markdown, audit: &Audit) {
    md.heading("Accepted Findings (Baseline)");
    let Some(baseline) = &audit.baseline else {
        md.line(format!(
            "No baseline: `plumb baseline` writes the open findings to {}, and `plumb check` then fails only on findings not in it.",
            code(BASELINE_PATH)
        ));
        md.blank();
        return;
    };
    let of = |status| baseline.entries.iter().filter(|e| e.status == status).count();
    let source = match baseline.source {
        BaselineSource::Snapshot => "in the snapshot",
        BaselineSource::File => "given with `--baseline`",
    };
    md.line(format!(
        "{} ({source}): {}, {} open, {} expired, {} fixed (stale); {} not in it.",
        code(&baseline.path),
        match baseline.entries.len() {
            1 => "1 entry".to_string(),
            n => format!("{} entries", count(n)),
        },
        count(of(EntryStatus::Open)),
        count(of(EntryStatus::Expired)),
        count(of(EntryStatus::Fixed)),
        plural(baseline.new.len(), "open finding")
    ));
    md.blank();
    if baseline.entries.is_empty() {
        return;
    }
    let mut shown: Vec<&BaselineEntry> = baseline.entries.iter().collect();
    // What needs a decision first: expired, then stale, then open.
    shown.sort_by(|a, b| (a.status, &a.path, &a.rule, a.line).cmp(&(b.status, &b.path, &b.rule, b.line)));
    let rows = shown.iter().take(LIST_ROWS).map(|entry| {
        vec![
            code(&entry.rule),
            place(entry),
            status(entry.status).to_string(),
            entry.reason.clone().unwrap_or_else(|| "—".to_string()),
            entry.owner.clone().unwrap_or_else(|| "—".to_string()),
            entry.expires.clone().unwrap_or_else(|| "—".to_string()),
            revisit(entry),
        ]
    });
    md.table(
        &["Rule", "Path", "Status", "Reason", "Owner", "Expires", "Revisit When"],
        rows,
    );
    more(md, shown.len(), LIST_ROWS);
}

/// Where the finding is now (`path:line`), or the path the entry names when it is fixed.
fn place(entry: &BaselineEntry) -> String {
    match &entry.matched {
        Some(matched) if matched.location.path != entry.path => format!(
            "{} (moved from {})",
            code(&format!("{}:{}", matched.location.path, matched.location.line)),
            code(&entry.path)
        ),
        Some(matched) => code(&format!("{}:{}", matched.location.path, matched.location.line)),
        None => code(&entry.path),
    }
}

fn status(status: EntryStatus) -> &'static str {
    match status {
        EntryStatus::Expired => "EXPIRED",
        EntryStatus::Fixed => "FIXED (stale)",
        EntryStatus::Open => "OPEN",
    }
}

fn revisit(entry: &BaselineEntry) -> String {
    match (entry.status, &entry.expires) {
        (EntryStatus::Expired, _) => "Now: past its expiry, `plumb check` fails on it".to_string(),
        (EntryStatus::Fixed, _) => "Now: the finding is gone; remove the entry (`plumb baseline`)".to_string(),
        (EntryStatus::Open, Some(expires)) => format!("By {expires}, when it expires"),
        (EntryStatus::Open, None) => "When the finding is fixed (no expiry set)".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Baseline, Matched};

    fn rendered(audit: &Audit) -> String {
        let mut md = Markdown(String::new());
        entries(&mut md, audit);
        md.0
    }

    #[test]
    fn no_baseline_says_how_to_write_one() {
        let text = rendered(&crate::model::sample());
        assert!(text.contains("No baseline: `plumb baseline` writes"), "{text}");
    }

    #[test]
    fn entries_are_tabled_with_what_needs_a_decision_first() {
        let mut audit = crate::model::sample();
        let (finding, location) = audit
            .findings
            .iter()
            .enumerate()
            .find(|(_, f)| !f.suppressed)
            .map(|(i, f)| (i, f.location.clone()))
            .expect("an open finding");
        let entry = |rule: &str, path: &str, status, expires: Option<&str>, moved: bool| BaselineEntry {
            rule: rule.to_string(),
            path: path.to_string(),
            fingerprint: "0123456789abcdef".to_string(),
            reason: Some("vendored | kept".to_string()),
            owner: (status != EntryStatus::Fixed).then(|| "@team".to_string()),
            expires: expires.map(str::to_string),
            line: 9,
            status,
            matched: (status != EntryStatus::Fixed).then(|| Matched {
                finding,
                location: if moved {
                    location.clone()
                } else {
                    crate::model::Location {
                        path: path.to_string(),
                        ..location.clone()
                    }
                },
            }),
        };
        audit.baseline = Some(Baseline {
            path: ".plumb/baseline.toml".to_string(),
            source: BaselineSource::Snapshot,
            entries: vec![
                entry("unpinned-uses", "a.yml", EntryStatus::Open, None, false),
                entry(
                    "unpinned-uses",
                    "old/b.yml",
                    EntryStatus::Open,
                    Some("2026-06-30"),
                    true,
                ),
                entry("missing-timeout", "c.yml", EntryStatus::Fixed, None, false),
                entry("large-file", "d.bin", EntryStatus::Expired, Some("2025-12-31"), false),
            ],
            new: Vec::new(),
            text: "".into(),
        });
        insta::assert_snapshot!(rendered(&audit));
    }
}
