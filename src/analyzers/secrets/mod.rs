//! Committed credentials, found in the scan's one pass over each text file's bytes: one
//! aho-corasick search for every rule's anchor, then the rule's validator at each hit
//! (see [`rules`] for the rule set and what counts as a placeholder).
//!
//! The secret itself is never kept: a finding holds its place, its rule, a masked
//! snippet ([`crate::analyzers::snippet`]: the value's characters other than its format's
//! public prefix are `*`) and a fingerprint of a hash of the value, so it can be tracked
//! across runs without being stored. Nothing here formats the value into a message, a note
//! or a panic. [`mask`] is what every other rule's snippet and message pass through, and
//! [`mask_audit`] masks the facts drawn from files' text once the audit is assembled.

mod mask;
mod rules;

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};

pub use mask::{mask, spans, Span};

use crate::model::{Audit, InlineSuppressions, Location, Role, Rule};
use crate::scan::{File, FileInfo};

use super::caps::{FileFindings, Head};
use super::snippet;
use super::supply::finding;
use super::workflows::rules::file_suppressions;
use super::workflows::{fingerprint, Reporter};
use super::{Analysis, Analyzer, Conclusion};

use rules::{Detector, DETECTORS};

pub struct SecretsAnalyzer;

/// Every detector's anchors in one automaton; pattern `i` belongs to `ANCHORS[i]`, and the
/// one after them is [`SUPPRESSION_ANCHOR`]: the findings judged after the scan need to
/// know which files carry a `plumb: ignore[...]` comment, and this is the pass that reads
/// every text file's bytes already.
static ANCHORS: LazyLock<(AhoCorasick, Vec<(&'static Detector, usize)>)> = LazyLock::new(|| {
    let mut owners: Vec<(&Detector, &str)> = DETECTORS
        .iter()
        .flat_map(|d| d.anchors.iter().map(move |a| (d, *a)))
        .collect();
    // Shortest first. The SIMD prefilter puts anchors in eight buckets by their order,
    // and a text position is a candidate when its first three bytes fit a bucket's mix:
    // in the detectors' order, the search of executorch's, ruff's and folly's files took
    // twice as long (45, 57 and 15 ms against 25, 33 and 8.5 ms, one thread). No anchor
    // is a prefix of another, so at most one matches at a position, and the order decides
    // nothing else.
    owners.sort_by_key(|(_, anchor)| anchor.len());
    // Leftmost-first, not the default standard semantics: only then does aho-corasick use
    // its SIMD (Teddy) prefilter; measured 5 times faster over executorch's 65 MB of text.
    let automaton = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        .build(owners.iter().map(|(_, a)| *a).chain([SUPPRESSION_ANCHOR]))
        .expect("the anchors are a handful of short literals");
    (automaton, owners.into_iter().map(|(d, a)| (d, a.len())).collect())
});

/// What the pass looks for to find a suppression comment: the middle of
/// `plumb: ignore[`, whose files are then read for the comment itself. Measured on
/// executorch's 82 MB (CPU time, best of 20): the whole marker, which starts with `p` like
/// `pypi-`, made the search 4.1 ms slower (21.7 → 25.8 ms; a pass of its own, `memmem`,
/// took 12.8 ms); `mb: ig` 0.3 ms, within the noise.
const SUPPRESSION_ANCHOR: &str = "mb: ig";

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
        let (hits, marked) = scan(file.bytes, true);
        // The anchor found, the comment is looked for: `None` when the file has none.
        if marked {
            out.suppressions
                .extend(file.text().and_then(|text| file_suppressions(&file.info.path, text)));
        }
        if hits.is_empty() {
            return;
        }
        // Suppression comments need the lines; only files with a hit pay for splitting them.
        let reporter = file.text().map(|text| Reporter::new(&file.info.path, text));
        let mut lines = LineIndex::default();
        let mut findings = FileFindings::default();
        for hit in hits {
            let (line, column) = lines.locate(file.bytes, hit.start);
            let rule = hit.detector.rule;
            let head = Head {
                rule: rule.id,
                line,
                column,
                severity: hit.detector.severity,
                suppressed: reporter.as_ref().is_some_and(|r| r.suppressed(rule.id, line)),
            };
            findings.report(head, || {
                let value = &file.bytes[hit.start..hit.end];
                let shown = around(file.bytes, &mut lines, hit.start, column);
                let location = Location {
                    path: file.info.path.clone(),
                    line,
                    column,
                };
                let message = format!("{} `{}` in the tree", hit.detector.noun, redacted(hit.detector, value));
                let mut found = finding(rule, location, hit.detector.severity, message);
                // Every detector's alphabet is ASCII: bytes are characters.
                found.span = value.len();
                found.snippet = Some(shown.text);
                found.snippet_column = shown.column;
                found.fingerprint = fingerprint(&[
                    rule.id,
                    &file.info.path,
                    &fingerprint(&[&String::from_utf8_lossy(value)]),
                ]);
                found.suppressed = head.suppressed;
                found
            });
        }
        out.findings.extend(findings.into_findings());
    }

    fn finish(&self, analysis: &Analysis) -> Conclusion {
        let suppressions = InlineSuppressions::new(analysis.suppressions.clone());
        Box::new(move |audit| audit.inline_suppressions = suppressions)
    }
}

/// How many bytes either side of a hit its snippet is cut from: enough for the snippet's
/// window and the masking margin around it in any encoding, so that a hit on a long line
/// costs the same as one on a short line.
const AROUND: usize = 4 * (snippet::WIDTH + snippet::BEFORE) + 2048;

/// The snippet of the hit at byte `at` (1-based `column`), cut from its line's bytes
/// within [`AROUND`] of it; each side decoded apart, so that the hit's offset holds even
/// where the bytes are not UTF-8.
fn around(bytes: &[u8], lines: &mut LineIndex, at: usize, column: usize) -> snippet::Excerpt {
    let line_end = lines.line_end(bytes);
    let start = lines.line_start.max(at.saturating_sub(AROUND));
    let end = line_end.min(at + AROUND);
    let before = String::from_utf8_lossy(&bytes[start..at]);
    let text = format!("{before}{}", String::from_utf8_lossy(&bytes[at..end]));
    snippet::excerpt(&text, before.len(), column)
}

/// A validated credential: its detector and byte range.
struct Hit {
    detector: &'static Detector,
    start: usize,
    end: usize,
}

/// Every credential in `bytes`, in order, none overlapping, with or without the AWS secret
/// keys beside their id: masking leaves those to its rule for random-looking runs, which
/// masks them too, and saves the search.
fn find_hits(bytes: &[u8], beside: bool) -> Vec<Hit> {
    scan(bytes, beside).0
}

/// [`find_hits`], and whether the bytes hold the suppression marker.
fn scan(bytes: &[u8], beside: bool) -> (Vec<Hit>, bool) {
    let (automaton, owners) = &*ANCHORS;
    let mut hits: Vec<Hit> = Vec::new();
    let mut beside_ids = Vec::new();
    let mut marked = false;
    for candidate in automaton.find_iter(bytes) {
        let Some(&(detector, anchor)) = owners.get(candidate.pattern().as_usize()) else {
            marked = true;
            continue;
        };
        let start = candidate.start();
        if hits.last().is_some_and(|h| start < h.end) {
            continue;
        }
        if let Some(value) = (detector.validate)(bytes, start, anchor) {
            if beside && detector.rule.id == rules::AWS_ACCESS_KEY.id {
                beside_ids.extend(aws_secrets_beside(bytes, value.clone()));
            }
            hits.push(Hit {
                detector,
                start: value.start,
                end: value.end,
            });
        }
    }
    if !beside_ids.is_empty() {
        hits.extend(beside_ids);
        hits.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
        let mut end = 0;
        hits.retain(|h| {
            let keep = h.start >= end;
            end = end.max(h.end);
            keep
        });
    }
    (hits, marked)
}

/// How far either side of an AWS access key id its secret key is looked for, on its line.
const AWS_SECRET_REACH: usize = 256;

/// AWS secret access keys on the line of an access key id, near it: the pair is how they
/// are written down (`id,secret` in a credentials CSV, `id:secret`), and the secret has no
/// prefix of its own.
fn aws_secrets_beside(bytes: &[u8], id: std::ops::Range<usize>) -> Vec<Hit> {
    let detector = DETECTORS
        .iter()
        .find(|d| d.rule.id == rules::AWS_SECRET_KEY.id)
        .expect("the AWS secret key detector is listed");
    let from = memchr::memrchr(b'\n', &bytes[id.start.saturating_sub(AWS_SECRET_REACH)..id.start])
        .map_or(id.start.saturating_sub(AWS_SECRET_REACH), |i| {
            id.start.saturating_sub(AWS_SECRET_REACH) + i + 1
        });
    let to_limit = (id.end + AWS_SECRET_REACH).min(bytes.len());
    let to = memchr::memchr(b'\n', &bytes[id.end..to_limit]).map_or(to_limit, |i| id.end + i);
    // Run by run, not byte by byte: each byte of the neighbourhood is looked at once.
    let base64 = |c: &u8| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/';
    let mut hits = Vec::new();
    let mut at = from;
    while at < to {
        let run = bytes[at..to].iter().take_while(|c| base64(c)).count();
        if run == 0 {
            at += 1;
            continue;
        }
        if !id.contains(&at) {
            if let Some(value) = rules::aws_secret_at(bytes, at) {
                hits.push(Hit {
                    detector,
                    start: value.start,
                    end: value.end,
                });
            }
        }
        at += run;
    }
    hits
}

/// What a message may show of a credential: a PEM block's armour line (the key is below
/// it), else the format's public prefix and `***`.
fn redacted(detector: &Detector, value: &[u8]) -> String {
    let text = String::from_utf8_lossy(value);
    if detector.shows_value {
        return text.into_owned();
    }
    let prefix: String = text.chars().take(detector.public_prefix).collect();
    format!("{prefix}***")
}

/// Masks the dependency facts that the renderers transform before writing them (a name
/// normalised into a package URL or a `bom-ref`, a specifier or a source made into a
/// version or a URL), where a secret would no longer be recognised. Everything else is
/// masked where it is written (`render::escape`), once.
pub fn mask_audit(audit: &mut Audit) {
    let apply = |text: &mut String| {
        if let std::borrow::Cow::Owned(masked) = mask(text) {
            *text = masked;
        }
    };
    let supply = &mut audit.supply_chain;
    for dependency in supply.manifests.iter_mut().flat_map(|m| m.dependencies.iter_mut()) {
        apply(&mut dependency.name);
        apply(&mut dependency.specifier);
    }
    for package in supply.lockfiles.iter_mut().flat_map(|l| l.packages.iter_mut()) {
        apply(&mut package.name);
        if let Some(source) = package.source.as_mut() {
            apply(source);
        }
    }
}

/// Turns byte offsets into 1-based lines and columns (in characters), moving forward only,
/// since hits come in order; a column is counted from the previous hit on the same line,
/// so many hits on one long line cost one pass over it.
#[derive(Default)]
struct LineIndex {
    offset: usize,
    line: usize,
    line_start: usize,
    /// Characters from `line_start` to `offset`.
    column: usize,
    /// The end of the current line, once looked for.
    line_end: Option<usize>,
}

impl LineIndex {
    fn locate(&mut self, bytes: &[u8], at: usize) -> (usize, usize) {
        if let Some(newline) = memchr::memrchr(b'\n', &bytes[self.offset..at]) {
            self.line += memchr::memchr_iter(b'\n', &bytes[self.offset..at]).count();
            self.line_start = self.offset + newline + 1;
            self.offset = self.line_start;
            self.column = 0;
            self.line_end = None;
        }
        // Characters, not bytes: UTF-8 continuation bytes do not start one.
        self.column += bytes[self.offset..at].iter().filter(|b| (**b & 0xC0) != 0x80).count();
        self.offset = at;
        (self.line + 1, self.column + 1)
    }

    /// Where the current line ends (its newline, or the end of `bytes`).
    fn line_end(&mut self, bytes: &[u8]) -> usize {
        let from = self.offset;
        *self
            .line_end
            .get_or_insert_with(|| memchr::memchr(b'\n', &bytes[from..]).map_or(bytes.len(), |i| from + i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(bytes: &[u8]) -> Vec<Hit> {
        find_hits(bytes, true)
    }

    #[test]
    fn the_pass_finds_suppression_comments_beside_credentials() {
        assert!(super::super::workflows::rules::SUPPRESSION_MARKER.contains(SUPPRESSION_ANCHOR));
        assert!(scan(b"x = 1  # plumb: ignore[god-module]\n", true).1);
        assert!(!scan(b"x = 1  # type: ignore[attr-defined]\n", true).1);
        // The anchor is there, the comment is not: read, and found to be none.
        assert!(scan(b"x = 1  # plumb: ignore god-module\n", true).1);
        assert_eq!(file_suppressions("a.py", "x = 1  # plumb: ignore god-module\n"), None);
        let (hits, marked) = scan(b"AKIAQ2W3E4R5T6Y7U2I3 # plumb: ignore[secret-aws-access-key]\n", true);
        assert_eq!((hits.len(), marked), (1, true));
    }

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
    }

    #[test]
    fn aws_secret_keys_beside_their_id_or_by_name() {
        let id = format!("AKIA{}", "Q2W3E4R5T6Y7U2I3");
        let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzKEY7Q2W3E";
        let rule_of = |text: &str| -> Vec<&str> { find(text.as_bytes()).iter().map(|h| h.detector.rule.id).collect() };
        assert_eq!(
            rule_of(&format!("{id},{secret}\n")),
            ["secret-aws-access-key", "secret-aws-secret-key"]
        );
        assert_eq!(
            rule_of(&format!("aws_secret_access_key = {secret}\n")),
            ["secret-aws-secret-key"]
        );
        assert!(
            rule_of(&format!("{id}\n{secret}\n")) == ["secret-aws-access-key"],
            "another line is not beside"
        );
        // Every name, found by the `ecret` in it, and only those names.
        for name in rules::AWS_SECRET_NAMES {
            for text in [format!("{name} = {secret}\n"), format!("  \"x_{name}\": \"{secret}\"")] {
                let hits = find(text.as_bytes());
                assert_eq!(hits.len(), 1, "{text}");
                assert_eq!(&text[hits[0].start..hits[0].end], secret, "{text}");
            }
        }
        for other in [
            "secret = ",
            "aws_secret = ",
            "SECRET_KEY: ",
            "Secret_Access_Key=",
            "ecret_access_key=",
        ] {
            assert!(rule_of(&format!("{other}{secret}\n")).is_empty(), "{other}");
        }
    }

    #[test]
    fn no_anchor_is_a_prefix_of_another() {
        let anchors: Vec<&str> = DETECTORS.iter().flat_map(|d| d.anchors.iter().copied()).collect();
        for a in &anchors {
            for b in &anchors {
                assert!(
                    a == b || !b.starts_with(a),
                    "{a:?} starts {b:?}: their order would matter"
                );
            }
        }
    }

    /// The search reports anchors without overlap, leftmost first. The AWS secret key's
    /// names are found by their middle (`ecret`), so an anchor that could overlap it, from
    /// before or from inside it, would hide the name and the secret given to it, or be
    /// hidden by it.
    #[test]
    fn no_anchor_overlaps_the_middle_of_an_aws_secret_name() {
        // Whether `second` can start inside a match of `first`, after its first byte.
        let overlaps = |first: &str, second: &str| {
            (1..first.len()).any(|start| {
                let tail = &first[start..];
                second.starts_with(tail) || tail.starts_with(second)
            })
        };
        let middles = rules::AWS_SECRET_NAMES.map(|name| {
            let at = name
                .find("ecret")
                .or_else(|| name.find("ECRET"))
                .expect("every name has one");
            &name[at..at + "ecret".len()]
        });
        let aws = DETECTORS
            .iter()
            .find(|d| d.rule.id == rules::AWS_SECRET_KEY.id)
            .expect("the AWS secret key has a detector");
        for middle in middles {
            assert!(aws.anchors.contains(&middle), "{middle} is an anchor");
        }
        let others = DETECTORS
            .iter()
            .filter(|d| d.rule.id != rules::AWS_SECRET_KEY.id)
            .flat_map(|d| d.anchors.iter().copied())
            .chain([SUPPRESSION_ANCHOR]);
        for other in others {
            for middle in aws.anchors {
                assert!(
                    !overlaps(other, middle) && !overlaps(middle, other),
                    "{other:?} and {middle:?} can overlap"
                );
            }
        }
        assert!(overlaps("secrets", "ecret") && overlaps("xse", "ecret") && overlaps("ecret", "tx"));
        // An anchor before the name does not hide it.
        let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzKEY7Q2W3E";
        let text = format!("https://x ASIA docker login aws_secret_access_key={secret}");
        assert!(find(text.as_bytes()).iter().any(|h| &text[h.start..h.end] == secret));
    }

    #[test]
    fn many_hits_on_one_line_are_located_in_one_pass() {
        let text = format!("é{}", " AKIAQ2W3E4R5T6Y7U2I3".repeat(3));
        let mut lines = LineIndex::default();
        let columns: Vec<usize> = find(text.as_bytes())
            .iter()
            .map(|h| lines.locate(text.as_bytes(), h.start).1)
            .collect();
        assert_eq!(columns, [3, 24, 45]);
    }
}
