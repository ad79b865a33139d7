//! `.plumb/baseline.toml` as `plumb baseline` writes it: one `[[finding]]` entry per open
//! finding, sorted by path, rule and fingerprint (so that a rewrite after unrelated edits
//! changes nothing, and a review sees one line per change), each after a comment with
//! its finding's message. The format is in README.md ("Baseline").

use std::fmt::Write;

use super::escape;
use crate::analyzers::baseline::BASELINE_VERSION;
use crate::judge::baseline::{entry_path, keys};
use crate::model::{Audit, Baseline, BaselineEntry, EntryStatus};

const HEADER: &str = "\
# plumb baseline: the open findings accepted for now. `plumb check` fails on any open
# finding not listed here, and on an entry past its `expires` date (with `--strict`,
# also on an entry whose finding is gone). Each entry may carry a `reason`, an `owner`
# and an `expires` date (2026-06-30); `plumb baseline` rewrites the file with the open
# findings and keeps those three for the entries that still match. Other comments are
# not kept. Format: README.md, \"Baseline\".
";

/// What a rewrite did, for the closing line.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Written {
    pub entries: usize,
    /// Entries that kept a reason, owner or expiry of the previous file.
    pub annotated: usize,
    /// Entries of the previous file whose finding is gone.
    pub dropped: usize,
}

/// The baseline of the audit's open findings. `previous`, the file being replaced,
/// compared with the same findings ([`crate::judge::baseline::compare_with`]), gives its
/// matched entries' reason, owner and expiry to their findings' new entries.
pub fn render(audit: &Audit, previous: Option<&Baseline>) -> (String, Written) {
    let previous_entries = previous.map(|b| b.entries.as_slice()).unwrap_or_default();
    let mut annotations: Vec<Option<&BaselineEntry>> = vec![None; audit.findings.len()];
    for entry in previous_entries {
        if let Some(matched) = &entry.matched {
            annotations[matched.finding] = Some(entry);
        }
    }
    let mut entries: Vec<(BaselineEntry, &str)> = keys(&audit.findings)
        .into_iter()
        .enumerate()
        .filter_map(|(index, key)| {
            let finding = &audit.findings[index];
            let before = annotations[index];
            let entry = BaselineEntry {
                rule: finding.rule.clone(),
                path: entry_path(finding).into_owned(),
                fingerprint: key?,
                reason: before.and_then(|e| e.reason.clone()),
                owner: before.and_then(|e| e.owner.clone()),
                expires: before.and_then(|e| e.expires.clone()),
                line: 0,
                status: EntryStatus::Open,
                matched: None,
            };
            Some((entry, finding.message.as_str()))
        })
        .collect();
    entries.sort_by(|(a, _), (b, _)| (&a.path, &a.rule, &a.fingerprint).cmp(&(&b.path, &b.rule, &b.fingerprint)));
    let mut out = format!("{HEADER}version = {BASELINE_VERSION}\n");
    for (entry, message) in &entries {
        write_entry(&mut out, entry, message);
    }
    let written = Written {
        entries: entries.len(),
        annotated: entries
            .iter()
            .filter(|(e, _)| e.reason.is_some() || e.owner.is_some() || e.expires.is_some())
            .count(),
        dropped: previous_entries.iter().filter(|e| e.matched.is_none()).count(),
    };
    (out, written)
}

fn write_entry(out: &mut String, entry: &BaselineEntry, message: &str) {
    // The message on one comment line: masked, and a line break in it shown escaped, so
    // that it cannot end the comment.
    let _ = writeln!(out, "\n# {}", escape::terminal(message));
    let _ = writeln!(out, "[[finding]]");
    let _ = writeln!(out, "rule = {}", string(&entry.rule));
    let _ = writeln!(out, "path = {}", string(&entry.path));
    let _ = writeln!(out, "fingerprint = {}", string(&entry.fingerprint));
    if let Some(reason) = &entry.reason {
        let _ = writeln!(out, "reason = {}", string(reason));
    }
    if let Some(owner) = &entry.owner {
        let _ = writeln!(out, "owner = {}", string(owner));
    }
    if let Some(expires) = &entry.expires {
        // Read as a calendar date, so written as a TOML date.
        let _ = writeln!(out, "expires = {expires}");
    }
}

/// `text` as a TOML basic string: `"` and `\` escaped, and every control character
/// (which TOML does not allow raw in a string) as `\uXXXX`, or its short escape.
fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyzers::baseline::read;
    use crate::model::BaselineSource;

    #[test]
    fn strings_survive_a_round_trip_through_toml() {
        for text in [
            "plain",
            "a \"quoted\" \\path",
            "line\nbreak\ttab\r\u{7f}\u{1b}[2J",
            "é ünï",
        ] {
            let written = format!(
                "[[finding]]\nrule = {}\npath = \"p\"\nfingerprint = \"0123456789abcdef\"\n",
                string(text)
            );
            let (baseline, problems) = read("b.toml", written.as_str().into(), BaselineSource::Snapshot);
            assert!(problems.is_empty(), "{written}: {problems:?}");
            assert_eq!(baseline.entries[0].rule, text);
        }
    }

    #[test]
    fn the_written_file_reads_back_with_every_entry() {
        let mut audit = crate::model::sample();
        let (text, written) = render(&audit, None);
        let (mut baseline, problems) = read("b.toml", text.as_str().into(), BaselineSource::Snapshot);
        assert!(problems.is_empty(), "{text}\n{problems:?}");
        let open = audit.findings.iter().filter(|f| !f.suppressed).count();
        assert_eq!(written.entries, open);
        assert_eq!(baseline.entries.len(), open);
        crate::judge::baseline::compare_with(&audit.findings, &mut baseline, "2026-01-02");
        assert!(baseline.new.is_empty());
        // A rewrite keeps the annotations of the entries that still match.
        baseline.entries[0].reason = Some("accepted".to_string());
        baseline.entries[0].expires = Some("2026-06-30".to_string());
        audit.findings.iter_mut().for_each(|f| f.location.line += 3);
        crate::judge::baseline::compare_with(&audit.findings, &mut baseline, "2026-01-02");
        let (again, written) = render(&audit, Some(&baseline));
        assert_eq!(written.annotated, 1);
        assert_eq!(written.dropped, 0);
        assert!(
            again.contains("reason = \"accepted\"\nexpires = 2026-06-30\n"),
            "{again}"
        );
        insta::assert_snapshot!(again);
    }
}
