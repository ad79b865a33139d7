//! The workflow rules: their ids and help (what SARIF and the report show), and the
//! helper that turns a judged node into a [`Finding`] with its snippet, fingerprint and
//! inline suppression.

use crate::analyzers::caps::{FileFindings, Head};
use crate::analyzers::snippet::{self, CharOffsets, Excerpt};
use crate::model::{Confidence, FileSuppressions, Finding, Location, Rule, Severity};

pub const UNPINNED_USES: Rule = Rule {
    group: "workflows",
    id: "unpinned-uses",
    title: "action or reusable workflow not pinned to a commit SHA",
    help: "A tag or branch can be moved to other code after review; a branch moves with every push. Pin `uses:` to a full 40-character commit SHA (keep the version in a trailing comment) and let Dependabot or Renovate update it. Docker images: pin by `@sha256:` digest.",
};

pub const EXCESSIVE_PERMISSIONS: Rule = Rule {
    group: "workflows",
    id: "excessive-permissions",
    title: "GITHUB_TOKEN permissions broader than needed",
    help: "Without a `permissions:` block the token gets the repository's default scopes, often write on everything; `write-all` and `read-all` grant every scope; write scopes at the workflow level reach every job. Set `permissions: {}` or `contents: read` at the top and grant write scopes to the single job that needs them.",
};

pub const DANGEROUS_TRIGGERS: Rule = Rule {
    group: "workflows",
    id: "dangerous-triggers",
    title: "workflow runs with secrets on events from forks",
    help: "`pull_request_target` and `workflow_run` run in the base repository's context, with its secrets and a write token, on behalf of untrusted contributions; checking out the pull request's head then runs attacker code with those privileges. Prefer `pull_request`; otherwise never check out or execute the head, and keep permissions minimal.",
};

pub const TEMPLATE_INJECTION: Rule = Rule {
    group: "workflows",
    id: "template-injection",
    title: "expression expanded into a script",
    help: "`${{ ... }}` is substituted into the script text before the shell runs it, so a value such as an issue title or branch name becomes code. Pass the value through an environment variable (`env: TITLE: ${{ github.event.issue.title }}`) and use `\"$TITLE\"` in the script.",
};

pub const SILENT_FAILURE: Rule = Rule {
    group: "workflows",
    id: "silent-failure",
    title: "a failure that CI will not report",
    help: "`continue-on-error: true`, `|| true` and `set +e` turn a failing step, job or command into a success. Each hides a real failure unless it is deliberate; make it explicit (a comment and an issue link) or remove it. (`if: always()` runs a step after a failure, to upload reports or clean up, and hides nothing: section 4 counts it, no finding.)",
};

pub const SECRETS_INHERIT: Rule = Rule {
    group: "workflows",
    id: "secrets-inherit",
    title: "every secret passed to a called workflow",
    help: "`secrets: inherit` hands all of the caller's secrets to the reusable workflow, whatever it needs. Pass only the secrets it uses, by name.",
};

pub const HARDCODED_CREDENTIALS: Rule = Rule {
    group: "workflows",
    id: "hardcoded-credentials",
    title: "password written in the workflow",
    help: "A literal password for a container or service registry is readable by anyone who can read the repository. Store it as an encrypted secret and reference it as `${{ secrets.NAME }}`.",
};

pub const PERSIST_CREDENTIALS: Rule = Rule {
    group: "workflows",
    id: "persist-credentials",
    title: "checkout leaves the token in .git/config for later steps",
    help: "actions/checkout writes the GITHUB_TOKEN into the repository's git config by default, where every later step (scripts, third-party actions, uploaded artifacts) can read it. Set `with: persist-credentials: false` unless a later step pushes.",
};

pub const MISSING_TIMEOUT: Rule = Rule {
    group: "workflows",
    id: "missing-timeout",
    title: "job without timeout-minutes",
    help: "A job without `timeout-minutes` can hang for the default six hours, holding a runner. Set a timeout a little above the job's usual duration.",
};

pub const NO_DEPENDENCY_UPDATES: Rule = Rule {
    group: "workflows",
    id: "no-dependency-updates",
    title: "no Dependabot or Renovate updates for GitHub Actions",
    help: "Pinned actions only stay safe if they are updated. Add a `.github/dependabot.yml` entry with `package-ecosystem: github-actions` (or a Renovate configuration) so pins move with reviewed releases.",
};

pub const WORKFLOW_PARSE_ERROR: Rule = Rule {
    group: "workflows",
    id: "workflow-parse-error",
    title: "workflow file that GitHub cannot load",
    help: "The file is not valid YAML, or not a workflow (it needs `on:` and `jobs:`), so GitHub will not run it and this audit could not check it. Fix the reported line; actionlint catches these before merge.",
};

pub const ALL: &[Rule] = &[
    DANGEROUS_TRIGGERS,
    EXCESSIVE_PERMISSIONS,
    HARDCODED_CREDENTIALS,
    MISSING_TIMEOUT,
    NO_DEPENDENCY_UPDATES,
    PERSIST_CREDENTIALS,
    SECRETS_INHERIT,
    SILENT_FAILURE,
    TEMPLATE_INJECTION,
    UNPINNED_USES,
    WORKFLOW_PARSE_ERROR,
];

/// Turns judgements on one file into findings, capped per rule as they are reported
/// ([`FileFindings`]): a finding the cap would not list is counted, not built.
pub struct Reporter<'a> {
    pub path: &'a str,
    lines: Lines<'a>,
    findings: FileFindings,
    /// Where the characters of the last line reported on start: findings come many to a
    /// line, and counting from the line's start for each would be quadratic.
    offsets: Option<(usize, CharOffsets)>,
    /// The rule ids of every `plumb: ignore[...]` comment, by 1-based line, in line order:
    /// read once, so that a finding's check costs a lookup, not a read of its line.
    ignores: Vec<(usize, Vec<&'a str>)>,
}

/// What a finding says, apart from where.
pub struct Judgement {
    pub severity: Severity,
    pub confidence: Confidence,
    pub message: String,
    pub remediation: &'static str,
}

impl<'a> Reporter<'a> {
    pub fn new(path: &'a str, text: &'a str) -> Self {
        Reporter {
            path,
            lines: Lines::new(text),
            findings: FileFindings::default(),
            offsets: None,
            ignores: ignores(text),
        }
    }

    /// Reports `rule` at 1-based `line`/`column`, pointing at `span` characters.
    pub fn report(&mut self, rule: &Rule, (line, column): (usize, usize), span: usize, judgement: Judgement) {
        let suppressed = self.suppressed(rule.id, line);
        let head = Head {
            rule: rule.id,
            line,
            column,
            severity: judgement.severity,
            suppressed,
        };
        let (path, lines, offsets) = (self.path, &mut self.lines, &mut self.offsets);
        self.findings.report(head, || {
            let excerpt = excerpt(lines, offsets, line, column);
            let fingerprint = fingerprint(&[
                rule.id,
                path,
                excerpt.as_ref().map_or("", |e| e.text.trim()),
                &judgement.message,
            ]);
            let (snippet, snippet_column) = excerpt.map_or((None, 1), |e| (Some(e.text), e.column));
            Finding {
                location: Location {
                    path: path.to_string(),
                    line,
                    column,
                },
                rule: rule.id.to_string(),
                severity: judgement.severity,
                confidence: judgement.confidence,
                message: judgement.message,
                remediation: judgement.remediation,
                snippet,
                snippet_column,
                span,
                fingerprint,
                suppressed,
                omitted: None,
            }
        });
    }

    /// The findings reported, capped.
    pub fn into_findings(self) -> Vec<Finding> {
        self.findings.into_findings()
    }

    /// The first line in `first..=last` (1-based) containing `needle`, with the 1-based
    /// column where it starts (in characters, as the model counts them).
    pub fn find(&mut self, first: usize, last: usize, needle: &str) -> Option<(usize, usize)> {
        (first.max(1)..=last)
            .map_while(|line| self.lines.get(line).map(|text| (line, text)))
            .find_map(|(line, text)| text.find(needle).map(|byte| (line, text[..byte].chars().count() + 1)))
    }

    /// Whether 1-based `line` has only whitespace before its first `chars` characters (or
    /// is past the end of the file).
    pub fn blank_before(&mut self, line: usize, chars: usize) -> bool {
        self.lines
            .get(line)
            .is_none_or(|text| text.chars().take(chars).all(char::is_whitespace))
    }

    /// `# plumb: ignore[rule-a, rule-b]` on the line itself or the line above.
    pub(crate) fn suppressed(&self, rule: &str, line: usize) -> bool {
        crate::model::silenced(&self.ignores, rule, line)
    }
}

/// The lines of a text as `str::lines` splits them, found when first asked for: most
/// files a reporter is made for get no finding, and a hostile file of short lines would
/// otherwise cost 16 bytes a line up front (issue 18).
struct Lines<'a> {
    text: &'a str,
    /// Where each line starts, once a line is asked for.
    starts: Option<Vec<usize>>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines { text, starts: None }
    }

    /// 1-based `line` without its line ending, if the text has it.
    fn get(&mut self, line: usize) -> Option<&'a str> {
        let text = self.text;
        let starts = self.starts.get_or_insert_with(|| {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
                .filter(|&start| start < text.len())
                .collect()
        });
        let start = *starts.get(line.checked_sub(1)?)?;
        let raw = &text[start..starts.get(line).copied().unwrap_or(text.len())];
        Some(match raw.strip_suffix('\n') {
            Some(line) => line.strip_suffix('\r').unwrap_or(line),
            None => raw,
        })
    }
}

/// What silences a finding: `plumb: ignore[rule-a, rule-b]`, on its line or the line above.
pub(crate) const SUPPRESSION_MARKER: &str = "plumb: ignore[";

/// The `plumb: ignore[...]` comments of a file, for the findings judged after the scan;
/// `None` when it has none.
pub(crate) fn file_suppressions(path: &str, text: &str) -> Option<FileSuppressions> {
    let lines: Vec<(usize, Vec<String>)> = ignores(text)
        .into_iter()
        .map(|(line, ids)| (line, ids.into_iter().map(str::to_string).collect()))
        .collect();
    (!lines.is_empty()).then(|| FileSuppressions {
        path: path.to_string(),
        lines,
    })
}

/// The snippet of 1-based `line` of `lines` around 1-based `column`, if the line exists;
/// `offsets` caches the last long line's character offsets.
fn excerpt(
    lines: &mut Lines<'_>,
    offsets: &mut Option<(usize, CharOffsets)>,
    line: usize,
    column: usize,
) -> Option<Excerpt> {
    let text = lines.get(line)?;
    if text.len() <= snippet::WIDTH {
        return Some(snippet::excerpt(text, 0, column));
    }
    let offsets = match offsets {
        Some((cached, offsets)) if *cached == line => offsets,
        _ => &offsets.insert((line, CharOffsets::new(text))).1,
    };
    Some(snippet::excerpt(text, offsets.byte_of(text, column), column))
}

/// The rule ids named by `plumb: ignore[...]` comments, by 1-based line: one search over
/// the text for the marker, then the lines it is on.
pub(crate) fn ignores(text: &str) -> Vec<(usize, Vec<&str>)> {
    const MARKER: &str = SUPPRESSION_MARKER;
    let mut out: Vec<(usize, Vec<&str>)> = Vec::new();
    let (mut line, mut counted_to) = (1, 0);
    for at in memchr::memmem::find_iter(text.as_bytes(), MARKER) {
        line += memchr::memchr_iter(b'\n', &text.as_bytes()[counted_to..at]).count();
        counted_to = at;
        let rest = &text[at + MARKER.len()..];
        let ids = rest[..rest.find([']', '\n']).unwrap_or(rest.len())]
            .split(',')
            .map(str::trim);
        match out.last_mut() {
            Some((last, known)) if *last == line => known.extend(ids),
            _ => out.push((line, ids.collect())),
        }
    }
    out
}

/// FNV-1a over the parts: stable across runs, machines and unrelated edits (no line numbers).
pub(crate) fn fingerprint(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0xff]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_as_str_lines_does() {
        for text in ["", "a", "a\n", "a\r\nb", "a\n\nb\n", "\r\n", "a\rb\r", "x\n\n"] {
            let mut lines = Lines::new(text);
            let got: Vec<&str> = (1..).map_while(|i| lines.get(i)).collect();
            assert_eq!(got, text.lines().collect::<Vec<_>>(), "{text:?}");
            assert_eq!(lines.get(0), None);
        }
    }

    #[test]
    fn rules_are_sorted_and_unique() {
        assert!(ALL.windows(2).all(|w| w[0].id < w[1].id));
    }

    #[test]
    fn suppression_on_the_line_or_above() {
        let text = "a: 1 # plumb: ignore[unpinned-uses]\n# plumb: ignore[other, silent-failure]\nb: 2\nc: 3\n";
        let reporter = Reporter::new("x.yml", text);
        assert!(reporter.suppressed("unpinned-uses", 1));
        assert!(reporter.suppressed("silent-failure", 3));
        assert!(!reporter.suppressed("unpinned-uses", 3));
        assert!(!reporter.suppressed("silent-failure", 4));
    }
}
