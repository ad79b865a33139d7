//! Committed credentials, found in the scan's one pass over each text file's bytes: one
//! aho-corasick search for every rule's anchor, then the rule's validator at each hit
//! (see [`rules`] for the rule set and what counts as a placeholder).
//!
//! The secret itself is never kept: a finding holds its place, its rule, a redacted
//! snippet (the line up to the credential, long token-like runs masked, then the first
//! four characters and `***`, or a PEM block's armour line) and a fingerprint of a hash of
//! the value, so it can be tracked across runs without being stored. Nothing here formats
//! the value into a message, a note or a panic.

mod rules;

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::model::{Location, Role, Rule};
use crate::scan::{File, FileInfo};

use super::supply::finding;
use super::workflows::{fingerprint, Reporter};
use super::{Analysis, Analyzer, Conclusion};

use rules::{Detector, DETECTORS};

pub struct SecretsAnalyzer;

/// Every detector's anchors in one automaton; pattern `i` belongs to `ANCHORS[i]`.
static ANCHORS: LazyLock<(AhoCorasick, Vec<(&'static Detector, usize)>)> = LazyLock::new(|| {
    let owners: Vec<(&Detector, &str)> = DETECTORS
        .iter()
        .flat_map(|d| d.anchors.iter().map(move |a| (d, *a)))
        .collect();
    // Leftmost-first, not the default standard semantics: only then does aho-corasick use
    // its SIMD (Teddy) prefilter; measured 5 times faster over executorch's 65 MB of text.
    let automaton = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        .build(owners.iter().map(|(_, a)| a))
        .expect("the anchors are a handful of short literals");
    (automaton, owners.into_iter().map(|(d, a)| (d, a.len())).collect())
});

impl Analyzer for SecretsAnalyzer {
    fn id(&self) -> &'static str {
        "secrets"
    }

    fn rules(&self) -> &'static [Rule] {
        rules::ALL
    }

    /// Every file the scan reads as text; binary formats are not read at all.
    fn wants(&self, file: &FileInfo) -> bool {
        file.role != Role::Binary
    }

    fn visit(&self, file: &File<'_>, out: &mut Analysis) {
        let hits = find(file.bytes);
        if hits.is_empty() {
            return;
        }
        // Suppression comments need the lines; only files with a hit pay for splitting them.
        let reporter = file.text().map(|text| Reporter::new(&file.info.path, text));
        let mut lines = LineIndex::default();
        for hit in hits {
            let (line, column) = lines.locate(file.bytes, hit.start);
            let value = &file.bytes[hit.start..hit.end];
            let shown = redacted(hit.detector, value);
            let before = masked(&String::from_utf8_lossy(&file.bytes[lines.line_start..hit.start]));
            let location = Location {
                path: file.info.path.clone(),
                line,
                column,
            };
            let message = format!("{} `{shown}` in the tree", hit.detector.noun);
            let mut found = finding(hit.detector.rule, location, hit.detector.severity, message);
            // Every detector's alphabet is ASCII: bytes are characters.
            found.span = value.len();
            found.snippet = Some(format!("{before}{shown}"));
            found.fingerprint = fingerprint(&[
                hit.detector.rule.id,
                &file.info.path,
                &fingerprint(&[&String::from_utf8_lossy(value)]),
            ]);
            found.suppressed = reporter
                .as_ref()
                .is_some_and(|r| r.suppressed(hit.detector.rule.id, line));
            out.findings.push(found);
        }
    }

    fn finish(&self, _analysis: &Analysis) -> Conclusion {
        Box::new(|_| {})
    }
}

/// A validated credential: its detector and byte range.
struct Hit {
    detector: &'static Detector,
    start: usize,
    end: usize,
}

/// Every credential in `bytes`, in order, none overlapping.
fn find(bytes: &[u8]) -> Vec<Hit> {
    let (automaton, owners) = &*ANCHORS;
    let mut hits: Vec<Hit> = Vec::new();
    for candidate in automaton.find_iter(bytes) {
        let (detector, anchor) = owners[candidate.pattern().as_usize()];
        let start = candidate.start();
        if hits.last().is_some_and(|h| start < h.end) {
            continue;
        }
        if let Some(end) = (detector.validate)(bytes, start, anchor) {
            hits.push(Hit { detector, start, end });
        }
    }
    hits
}

/// What a report may show of a credential: a PEM block's armour line (the key is below
/// it), else the first four characters, which are the format's public prefix.
fn redacted(detector: &Detector, value: &[u8]) -> String {
    let text = String::from_utf8_lossy(value);
    if detector.rule.id == rules::PRIVATE_KEY.id {
        return text.into_owned();
    }
    let prefix: String = text.chars().take(4).collect();
    format!("{prefix}***")
}

/// The line's text before a credential, as a snippet may show it: any run of 16 or more
/// token characters (another credential, such as an AWS secret key beside its id, has no
/// format to detect it by) is masked with as many `*`, so columns stay aligned. What
/// follows the credential on its line is never shown.
fn masked(before: &str) -> String {
    let token = |c: char| c.is_ascii_alphanumeric() || "+/_-".contains(c);
    let mut out = String::with_capacity(before.len());
    let mut run = String::new();
    for c in before.chars().chain(std::iter::once('\n')) {
        if token(c) {
            run.push(c);
            continue;
        }
        match run.chars().count() {
            n if n >= 16 => out.push_str(&"*".repeat(n)),
            _ => out.push_str(&run),
        }
        run.clear();
        out.push(c);
    }
    out.pop();
    out
}

/// Turns byte offsets into 1-based lines and columns (in characters), moving forward only,
/// since hits come in order.
#[derive(Default)]
struct LineIndex {
    offset: usize,
    line: usize,
    line_start: usize,
}

impl LineIndex {
    fn locate(&mut self, bytes: &[u8], at: usize) -> (usize, usize) {
        for newline in memchr::memchr_iter(b'\n', &bytes[self.offset..at]) {
            self.line += 1;
            self.line_start = self.offset + newline + 1;
        }
        self.offset = at;
        // Characters, not bytes: UTF-8 continuation bytes do not start one.
        let column = bytes[self.line_start..at]
            .iter()
            .filter(|b| (**b & 0xC0) != 0x80)
            .count();
        (self.line + 1, column + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hits_are_located_and_redacted() {
        let token = format!("ghp_{}", "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5");
        let text = format!("a\nb = \"é{token}\"\n");
        let hits = find(text.as_bytes());
        assert_eq!(hits.len(), 1);
        let mut lines = LineIndex::default();
        assert_eq!(lines.locate(text.as_bytes(), hits[0].start), (2, 7));
        let shown = redacted(hits[0].detector, token.as_bytes());
        assert_eq!(shown, "ghp_***");
        assert_eq!(lines.line_start, 2);
        let secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzKEY";
        assert_eq!(
            masked(&format!("k={secret_key}, id=")),
            format!("k={}, id=", "*".repeat(34))
        );
    }
}
