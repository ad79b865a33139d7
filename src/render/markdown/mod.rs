//! `audit.md`: the seed audit's 13 sections and appendices, in its order, every figure
//! taken from the model. A section whose analyzer is not in this version says so.

mod architecture;
mod baseline;
mod ci;
mod dependencies;
mod guardrails;
mod judgement;

pub(crate) use judgement::{plan_table, scores_table};
mod security;
mod toolchains;

use super::escape;
use crate::model::{Audit, LineCounts, NameSource, PathSample, Role, ScanNote, Severity, SkipReason, SnapshotKind};

/// What a section says when no analyzer of this version measures it.
const NOT_AUDITED: &str = "_Not audited by this version._";

/// How many rows long lists show; audit.json has them all.
const LIST_ROWS: usize = 20;

pub(super) use guardrails::guardrail_table;

pub fn render(audit: &Audit) -> String {
    let mut md = Markdown(String::new());
    header(&mut md, audit);
    executive_summary(&mut md, audit);
    architecture::surfaces(&mut md, audit);
    architecture::section(&mut md, audit);
    ci::section(&mut md, audit);
    tests(&mut md, audit);
    security::section(&mut md, audit);
    guardrails::section(&mut md, audit);
    judgement::top_issues(&mut md, audit);
    judgement::action_plan(&mut md, audit);
    deferred(&mut md, audit);
    score_trend(&mut md, audit);
    regression_log(&mut md, audit);
    json_appendix(&mut md, audit);
    appendix_repository(&mut md, audit);
    appendix_manifests(&mut md, audit);
    ci::appendix(&mut md, audit);
    appendix_tests(&mut md, audit);
    appendix_notes(&mut md, audit);
    appendix_method(&mut md, audit);
    md.line("**End of Baseline Audit**");
    md.0
}

/// A string builder whose writes cannot fail.
pub(super) struct Markdown(pub(super) String);

impl Markdown {
    /// One line of the document. Control characters in it are shown escaped
    /// ([`escape::markdown`]): whatever of the repository a line quotes (a path, a commit
    /// subject, a message) stays on its line, and no section has to remember to escape.
    pub(super) fn line(&mut self, text: impl AsRef<str>) {
        self.0.push_str(&escape::markdown(text.as_ref()));
        self.0.push('\n');
    }

    pub(super) fn blank(&mut self) {
        self.0.push('\n');
    }

    fn section(&mut self, title: &str) {
        self.line("---");
        self.blank();
        self.line(format!("## {title}"));
        self.blank();
    }

    fn heading(&mut self, title: &str) {
        self.line(format!("### {title}"));
        self.blank();
    }

    pub(super) fn table(&mut self, headers: &[&str], rows: impl IntoIterator<Item = Vec<String>>) {
        self.line(format!("| {} |", headers.join(" | ")));
        let rule: Vec<String> = headers
            .iter()
            .map(|h| {
                if h.starts_with(char::is_alphabetic) && !is_numeric_header(h) {
                    "---"
                } else {
                    "---:"
                }
                .to_string()
            })
            .collect();
        self.line(format!("|{}|", rule.join("|")));
        for row in rows {
            let cells: Vec<String> = row.iter().map(|c| table_cell(c)).collect();
            self.line(format!("| {} |", cells.join(" | ")));
        }
        self.blank();
    }
}

fn is_numeric_header(header: &str) -> bool {
    matches!(
        header,
        "Files"
            | "Code"
            | "Comments"
            | "Blanks"
            | "Bytes"
            | "Count"
            | "Code lines"
            | "Embedded lines"
            | "#"
            | "Open"
            | "Suppressed"
            | "Workflows"
            | "Uses"
            | "Jobs"
            | "Steps"
            | "Largest matrix"
            | "Callers"
            | "Modules"
            | "Fan-in"
            | "Fan-in (production)"
            | "Observed"
            | "Points"
            | "Running"
            | "Test modules"
            | "Fan-in (tests, examples, docs)"
            | "Fan-out"
            | "Internal edges"
            | "Edges in"
            | "Edges out"
            | "Edges"
            | "Lazy"
            | "Typing-only"
            | "Score"
            | "Layer"
            | "Against layers"
            | "Owned files"
    )
}

/// `1234567` → `1,234,567`.
pub(super) fn int(n: impl Into<u64>) -> String {
    let digits = n.into().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub(super) fn count(n: usize) -> String {
    int(n as u64)
}

/// `1 file`, `2 files`.
pub(super) fn plural(n: usize, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        _ => format!("{} {noun}s", count(n)),
    }
}

/// A share as a percentage with one decimal, or `n/a` when there is nothing to divide by.
fn percent(part: u64, whole: u64) -> String {
    crate::model::percent(part, whole)
}

fn ratio(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "n/a".to_string();
    }
    format!("{:.2}", part as f64 / whole as f64)
}

/// A table cell's text: control characters escaped (a newline would end the row) and
/// pipes too (one would start a new cell, even inside a code span, in GitHub's tables).
fn table_cell(text: &str) -> String {
    escape::markdown(text).replace('|', "\\|")
}

/// An inline code span, safe for any text: control characters escaped, and fenced with
/// one backtick more than the longest run of backticks inside it (CommonMark closes a
/// span at a run of the same length), padded with a space where the text starts or ends
/// with a backtick or a space.
pub(super) fn code(text: &str) -> String {
    let text = escape::markdown(text);
    let longest_run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    if longest_run == 0 {
        return format!("`{text}`");
    }
    let fence = "`".repeat(longest_run + 1);
    format!("{fence} {text} {fence}")
}

fn short(sha: &str) -> &str {
    &sha[..sha.len().min(7)]
}

fn date_of(timestamp: &str) -> &str {
    &timestamp[..timestamp.len().min(10)]
}

fn header(md: &mut Markdown, audit: &Audit) {
    let repository = audit.repository.as_ref();
    let name = repository
        .and_then(|r| r.remotes.iter().find(|r| r.name == "origin").or(r.remotes.first()))
        .and_then(|r| r.fetch_url.clone())
        .unwrap_or_else(|| audit.snapshot.root_name.clone());
    md.line(format!("# {} Baseline Refactoring Audit", audit.snapshot.root_name));
    md.blank();
    md.line("**Mode:** BASELINE  ");
    md.line(format!("**Repository:** {}  ", code(&name)));
    let named = match audit.snapshot.name_source {
        NameSource::Remote => "its remote's URL",
        NameSource::Folder => "the audited folder (no remote with a host)",
    };
    md.line(format!("**Name:** {}, from {named}  ", code(&audit.snapshot.root_name)));
    md.line(format!("**Audit Date:** {}  ", date_of(&audit.generated_at)));
    md.line(format!("**Snapshot:** {}  ", snapshot_line(audit)));
    if let Some(repository) = repository {
        let branch = match (&repository.branch, &repository.upstream) {
            (Some(branch), Some(up)) => format!("{branch} ({})", upstream_text(up)),
            (Some(branch), None) => format!("{branch} (no upstream configured)"),
            (None, _) => "detached HEAD".to_string(),
        };
        md.line(format!("**Branch:** {branch}  "));
        let commit = repository.audited_commit.as_ref().or(repository.head.as_ref());
        match commit {
            Some(c) => md.line(format!(
                "**Last Commit:** {} ({}) {}  ",
                code(short(&c.sha)),
                date_of(&c.date),
                c.subject
            )),
            None => md.line("**Last Commit:** none (the repository has no commits)  "),
        }
    }
    md.line(format!(
        "**Python Version:** {}  ",
        declared(audit, crate::model::Toolchain::Python)
    ));
    md.line("**CI Status:** not determined: plumb reads files and runs nothing (deferred, see section 10)  ");
    md.line(judgement::verdict(audit));
    md.line(format!(
        "**Generated by:** {} {} (audit.json schema {})",
        audit.tool.name, audit.tool.version, audit.schema_version
    ));
    md.blank();
}

fn snapshot_line(audit: &Audit) -> String {
    let snapshot = &audit.snapshot;
    match (snapshot.kind, &snapshot.requested_revision, &snapshot.commit) {
        (SnapshotKind::PlainDirectory, _, _) => "plain directory, not a git repository".to_string(),
        (SnapshotKind::WorkTree, _, Some(commit)) => format!(
            "work tree at {} (tracked files as the index lists them)",
            code(short(commit))
        ),
        (SnapshotKind::WorkTree, _, None) => "work tree of a repository with no commits".to_string(),
        (SnapshotKind::Revision, Some(rev), Some(commit)) => {
            format!(
                "revision {} = {} read from the object database",
                code(rev),
                code(commit)
            )
        }
        (SnapshotKind::Revision, None, Some(commit)) => format!("HEAD of a bare repository = {}", code(commit)),
        (SnapshotKind::Revision, _, None) => "a bare repository with no commits".to_string(),
    }
}

fn upstream_text(up: &crate::model::Upstream) -> String {
    match (up.ahead, up.behind) {
        (Some(ahead), Some(behind)) => format!("{ahead} ahead, {behind} behind {}", up.name),
        _ => format!("upstream {} not fetched", up.name),
    }
}

fn declared(audit: &Audit, toolchain: crate::model::Toolchain) -> String {
    let decls: Vec<String> = audit
        .toolchains
        .iter()
        .filter(|d| d.toolchain == toolchain)
        .take(3)
        .map(|d| format!("{} ({}:{})", code(&d.value), d.path, d.line))
        .collect();
    let total = audit.toolchains.iter().filter(|d| d.toolchain == toolchain).count();
    match total {
        0 => "not declared in the tree".to_string(),
        n if n > decls.len() => format!("declared {} (+{} more, Appendix A)", decls.join(", "), n - decls.len()),
        _ => format!("declared {}", decls.join(", ")),
    }
}

fn executive_summary(md: &mut Markdown, audit: &Audit) {
    let inventory = &audit.inventory;
    md.section("1. Executive Summary");
    md.heading("Scale (measured)");
    md.line(format!(
        "- **{} tracked files**{}, {} bytes; **{} lines** ({} code, {} comments, {} blank) in **{} languages**.",
        count(inventory.tracked_files),
        if inventory.submodules > 0 {
            format!(" and {} submodules", count(inventory.submodules))
        } else {
            String::new()
        },
        int(inventory.bytes),
        int(inventory.lines.lines()),
        int(inventory.lines.code),
        int(inventory.lines.comments),
        int(inventory.lines.blanks),
        count(inventory.languages.len()),
    ));
    let top: Vec<String> = inventory
        .languages
        .iter()
        .take(5)
        .map(|l| {
            format!(
                "{} {} ({})",
                l.name,
                percent(l.lines.code, inventory.lines.code),
                plural(l.files, "file")
            )
        })
        .collect();
    if !top.is_empty() {
        md.line(format!("- Languages by share of code: {}.", top.join(", ")));
    }
    let role = |r: Role| inventory.roles.iter().find(|s| s.role == r);
    if let Some(vendored) = role(Role::Vendored).filter(|v| v.files > 0) {
        md.line(format!(
            "- Vendored code: {}, {} code lines ({} of all code).",
            plural(vendored.files, "file"),
            int(vendored.code),
            percent(vendored.code, inventory.lines.code)
        ));
    }
    md.line(format!(
        "- Tests: {} test files against {} source files (ratio {}); {} test code lines against {} source code lines.",
        count(audit.tests.files),
        count(audit.tests.source_files),
        ratio(audit.tests.files as u64, audit.tests.source_files as u64),
        int(audit.tests.code),
        int(audit.tests.source_code)
    ));
    if let Some(largest) = audit.god_modules.overall.first() {
        md.line(format!(
            "- Largest hand-maintained file: {} ({} code lines, {}).",
            code(&largest.path),
            int(largest.lines.code),
            largest.language
        ));
    }
    if inventory.untracked.files > 0 {
        md.line(format!(
            "- Untracked, not ignored: {} files ({} code lines), counted apart from the figures above.",
            count(inventory.untracked.files),
            int(inventory.untracked.code)
        ));
    }
    md.line(format!(
        "- Scan notes: {} skipped or only counted, each with its reason (Appendix E).",
        plural(audit.scan_notes.len(), "file")
    ));
    md.blank();
    judgement::summary(md, audit);
}

fn files_of_role(audit: &Audit, role: Role) -> usize {
    audit
        .inventory
        .roles
        .iter()
        .find(|r| r.role == role)
        .map_or(0, |r| r.files)
}

fn tests(md: &mut Markdown, audit: &Audit) {
    let tests = &audit.tests;
    md.section("5. Tests, Coverage, and Invariants (Baseline Status)");
    md.heading("Test Inventory");
    md.table(
        &["Language", "Framework", "Files", "Code lines"],
        tests
            .groups
            .iter()
            .map(|g| vec![g.language.clone(), g.framework.clone(), count(g.files), int(g.code)]),
    );
    md.line(format!(
        "- Test files : source files = {} : {} (**{}**); test code : source code = {} : {} lines (**{}**).",
        count(tests.files),
        count(tests.source_files),
        ratio(tests.files as u64, tests.source_files as u64),
        int(tests.code),
        int(tests.source_code),
        ratio(tests.code, tests.source_code)
    ));
    if tests.inline_test_files > 0 {
        md.line(format!(
            "- Source files with inline tests (Rust `#[test]`): {}.",
            count(tests.inline_test_files)
        ));
    }
    if tests.inherited.files > 0 {
        let first = tests.inherited.examples.first().map_or(String::new(), |e| {
            format!(
                ", e.g. {} by {} (line {}) from {}",
                code(&e.path),
                code(&e.import),
                e.line,
                code(&e.marked_by)
            )
        });
        md.line(format!(
            "- Python test files whose framework comes from an imported base class (they name none themselves): {}{first}.",
            count(tests.inherited.files)
        ));
    }
    let mirroring = &tests.mirroring;
    md.line(format!(
        "- Tests mirroring sources: {} of {} test files named after a subject (`test_x.py`, `x_test.go`, `x.test.ts`, ...) name an existing source module (**{}**).",
        count(mirroring.mirrored),
        count(mirroring.named_tests),
        percent(mirroring.mirrored as u64, mirroring.named_tests as u64)
    ));
    md.blank();
    md.heading("Coverage Snapshot");
    md.line("Not measurable statically: coverage needs the tests to run (deferred, section 10).");
    md.blank();
    invariants(md, audit);
}

/// What a static audit can say of a surface's invariants: whether any test imports it,
/// so a refactor of it is checked by something. Whether those tests pin its behaviour
/// needs them to run (section 10).
fn invariants(md: &mut Markdown, audit: &Audit) {
    md.heading("Invariant Verification");
    let surfaces = &audit.surfaces.surfaces;
    if surfaces.iter().all(|s| s.test_importers.is_none()) {
        md.line("Not measurable: no import graph, so which tests import which surface is unknown (no language whose imports plumb reads).");
        md.blank();
        return;
    }
    md.line("Test modules that import each surface with modules in the import graph directly (any import kind), widest blast radius first. A surface no test imports has no automated check of its behaviour that the graph can see; whether the tests that do pin its invariants needs them to run.");
    md.blank();
    let mut measured: Vec<(&crate::model::Surface, usize)> = surfaces
        .iter()
        .filter_map(|s| s.test_importers.map(|tests| (s, tests)))
        .collect();
    measured.sort_by(|a, b| b.0.blast_radius.cmp(&a.0.blast_radius).then(a.0.name.cmp(&b.0.name)));
    let rows = measured.into_iter().map(|(s, tests)| {
        vec![
            s.name.clone(),
            s.blast_radius.name().to_string(),
            count(tests),
            match tests {
                0 => "⚠️ no test imports it".to_string(),
                _ => "✅ imported by tests".to_string(),
            },
        ]
    });
    md.table(&["Surface", "Blast Radius", "Test modules", "State"], rows);
}

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::High => "high",
        Severity::Medium => "medium",
        Severity::Low => "low",
        Severity::Info => "info",
    }
}

fn deferred(md: &mut Markdown, audit: &Audit) {
    md.section("10. Deferred Issues Registry");
    md.line("What a static audit cannot know, and what this audit did not read:");
    md.blank();
    let mut rows = vec![
        vec![
            "D01".to_string(),
            "Test coverage".to_string(),
            "Needs the tests to run; plumb builds and runs nothing".to_string(),
            "When a coverage report is supplied to a later version".to_string(),
        ],
        vec![
            "D02".to_string(),
            "CI status (green or red)".to_string(),
            "Needs the CI provider's records; plumb reads the repository only".to_string(),
            "Not planned for static audits".to_string(),
        ],
        vec![
            "D03".to_string(),
            "Velocity (time from idea to merged pull request)".to_string(),
            "Needs the repository's history; this audit reads one snapshot".to_string(),
            "When plumb audits history".to_string(),
        ],
    ];
    let unread = audit
        .scan_notes
        .iter()
        .filter(|n| !matches!(n.reason, SkipReason::Submodule | SkipReason::SymlinkInside))
        .count();
    if unread > 0 {
        rows.push(vec![
            "D04".to_string(),
            format!("{} not (fully) analysed", plural(unread, "file")),
            "Too large, binary, missing, unreadable or symlinks: Appendix E names each".to_string(),
            "When the files are restored or the limit is raised (`--max-file-size`)".to_string(),
        ]);
    }
    md.table(&["ID", "Issue", "Reason Deferred", "Revisit When"], rows);
    baseline::entries(md, audit);
}

fn score_trend(md: &mut Markdown, audit: &Audit) {
    let commit = audit.snapshot.commit.as_deref().map(short).unwrap_or("no commit");
    judgement::score_trend(md, audit, date_of(&audit.generated_at), commit);
}

fn regression_log(md: &mut Markdown, audit: &Audit) {
    md.section("12. Flake & Regression Log (Initialize)");
    md.line("No refactors yet; this log starts at the baseline.");
    md.blank();
    md.table(
        &["Date", "Milestone", "Flake/Regression", "Root Cause", "Fix"],
        [vec![
            date_of(&audit.generated_at).to_string(),
            "M00 (Baseline)".to_string(),
            "N/A".to_string(),
            "N/A".to_string(),
            "N/A".to_string(),
        ]],
    );
}

fn json_appendix(md: &mut Markdown, audit: &Audit) {
    md.section("13. Machine-Readable JSON Appendix");
    md.line("A summary of `audit.json`, which holds the whole model:");
    md.blank();
    md.line("```json");
    let summary = super::json::summary(audit);
    let pretty = serde_json::to_string_pretty(&summary).expect("a Value always serialises");
    // Line by line: `line` would show a newline inside its text as `\n`.
    for json_line in pretty.lines() {
        md.line(json_line);
    }
    md.line("```");
    md.blank();
}

fn appendix_repository(md: &mut Markdown, audit: &Audit) {
    md.section("Appendix A: Repository Facts (measured)");
    match &audit.repository {
        None => {
            md.line("Not a git repository: the folder was walked honouring `.gitignore` files.");
            md.blank();
        }
        Some(repository) => {
            md.heading("Git Status");
            match &repository.status {
                None => md.line("Not applicable: a revision audit reads the object database, not a work tree."),
                Some(status) if status.is_clean() => md.line("Clean: nothing staged, modified, deleted or untracked."),
                Some(status) => {
                    md.table(
                        &["Kind", "Count", "First paths"],
                        [
                            ("staged", &status.staged),
                            ("modified", &status.modified),
                            ("deleted", &status.deleted),
                            ("untracked", &status.untracked),
                        ]
                        .into_iter()
                        .filter(|(_, sample)| sample.count > 0)
                        .map(|(kind, sample)| vec![kind.to_string(), count(sample.count), sample_text(sample)]),
                    );
                }
            }
            md.blank();
            md.line(format!(
                "Shallow clone: {}. Bare repository: {}.",
                yes_no(repository.shallow),
                yes_no(repository.bare)
            ));
            md.blank();
            md.heading("Last Commit");
            match &repository.head {
                Some(c) => {
                    md.line("```");
                    md.line(format!("commit {}", c.sha));
                    md.line(format!("Author: {} <{}>", c.author, c.author_email));
                    md.line(format!("Date:   {}", c.date));
                    md.blank();
                    md.line(format!("    {}", c.subject));
                    md.line("```");
                }
                None => md.line("No commits yet."),
            }
            md.blank();
            md.heading("Remotes");
            if repository.remotes.is_empty() {
                md.line("None configured.");
                md.blank();
            } else {
                md.table(
                    &["Remote", "Fetch URL", "Push URL"],
                    repository.remotes.iter().map(|r| {
                        vec![
                            r.name.clone(),
                            r.fetch_url.as_deref().map(code).unwrap_or_default(),
                            r.push_url.as_deref().map(code).unwrap_or_default(),
                        ]
                    }),
                );
            }
            md.heading("Submodules");
            if repository.submodules.is_empty() {
                md.line("None.");
                md.blank();
            } else {
                md.table(
                    &["Path", "Pinned commit", "URL", "Checked out"],
                    repository.submodules.iter().map(|s| {
                        vec![
                            code(&s.path),
                            code(short(&s.commit)),
                            s.url
                                .as_deref()
                                .map(code)
                                .unwrap_or_else(|| "not in .gitmodules".to_string()),
                            s.checked_out
                                .map_or("n/a (revision)".to_string(), |c| yes_no(c).to_string()),
                        ]
                    }),
                );
            }
        }
    }
    file_counts(md, audit);
    md.heading("Declared Toolchains");
    if audit.toolchains.is_empty() {
        md.line("None declared in the tree.");
        md.blank();
    } else {
        md.table(
            &["Toolchain", "Value", "Declared by", "Where"],
            audit.toolchains.iter().take(LIST_ROWS * 2).map(|d| {
                vec![
                    d.toolchain.name().to_string(),
                    code(&d.value),
                    code(&d.key),
                    code(&format!("{}:{}", d.path, d.line)),
                ]
            }),
        );
        more(md, audit.toolchains.len(), LIST_ROWS * 2);
    }
    toolchains::python_versions(md, audit);
}

fn sample_text(sample: &PathSample) -> String {
    let mut paths: Vec<String> = sample.first.iter().map(|p| code(p)).collect();
    if sample.count > sample.first.len() {
        paths.push(format!("… +{}", count(sample.count - sample.first.len())));
    }
    paths.join(", ")
}

fn yes_no(value: bool) -> &'static str {
    if value {
        "yes"
    } else {
        "no"
    }
}

fn more(md: &mut Markdown, total: usize, shown: usize) {
    if total > shown {
        md.line(format!(
            "… and {} more (audit.json lists them all).",
            count(total - shown)
        ));
        md.blank();
    }
}

fn file_counts(md: &mut Markdown, audit: &Audit) {
    let inventory = &audit.inventory;
    md.heading("File Counts");
    md.line(format!(
        "- **Tracked entries**: {} = {} files + {} submodules{}",
        count(inventory.tracked_entries),
        count(inventory.tracked_files),
        count(inventory.submodules),
        if audit.repository.is_some() {
            " (as `git ls-files` counts them)"
        } else {
            " (plain directory: files not ignored)"
        }
    ));
    md.line(format!(
        "- **Untracked, not ignored**: {} files, {} code lines",
        count(inventory.untracked.files),
        int(inventory.untracked.code)
    ));
    md.line(format!(
        "- **Files tokei has no language for**: {}",
        count(inventory.unrecognized_files)
    ));
    md.blank();
    md.line("Lines per language (tokei's definitions; \"embedded\" is code of other languages inside these files, such as code blocks in Markdown):");
    md.blank();
    let mut rows: Vec<Vec<String>> = inventory
        .languages
        .iter()
        .map(|l| {
            vec![
                l.name.clone(),
                count(l.files),
                int(l.lines.code),
                int(l.lines.comments),
                int(l.lines.blanks),
                int(l.embedded.lines()),
            ]
        })
        .collect();
    let own: LineCounts = inventory.languages.iter().fold(LineCounts::default(), |mut sum, l| {
        sum.add(l.lines);
        sum
    });
    let files: usize = inventory.languages.iter().map(|l| l.files).sum();
    rows.push(vec![
        "**Total**".to_string(),
        count(files),
        int(own.code),
        int(own.comments),
        int(own.blanks),
        int(inventory.lines.lines() - own.lines()),
    ]);
    md.table(
        &["Language", "Files", "Code", "Comments", "Blanks", "Embedded lines"],
        rows,
    );
    md.line("Files per role (each file has exactly one; the rule is in Appendix F):");
    md.blank();
    md.table(
        &["Role", "Files", "Code lines", "Bytes"],
        inventory
            .roles
            .iter()
            .map(|r| vec![r.role.name().to_string(), count(r.files), int(r.code), int(r.bytes)]),
    );
    if !inventory.large_files.is_empty() {
        md.line(format!(
            "Files over the size limit ({} bytes), counted but not parsed:",
            int(audit.snapshot.max_file_bytes)
        ));
        md.blank();
        md.table(
            &["File", "Bytes"],
            inventory
                .large_files
                .iter()
                .take(LIST_ROWS)
                .map(|f| vec![code(&f.path), int(f.bytes)]),
        );
        more(md, inventory.large_files.len(), LIST_ROWS);
    }
}

/// Manifest names this version recognises (role `build`); their contents are issue 4's.
fn appendix_manifests(md: &mut Markdown, audit: &Audit) {
    md.section("Appendix B: Dependency Manifests");
    let manifests: Vec<&str> = audit
        .toolchains
        .iter()
        .map(|d| d.path.as_str())
        .filter(|p| {
            p.ends_with("pyproject.toml")
                || p.ends_with("setup.py")
                || p.ends_with("setup.cfg")
                || p.ends_with("Cargo.toml")
                || p.ends_with("package.json")
                || p.ends_with("go.mod")
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    md.line(format!(
        "Build and dependency files in the tree (role `build`): **{}**.",
        count(files_of_role(audit, Role::Build))
    ));
    if !manifests.is_empty() {
        md.line(format!(
            "Manifests that declare a toolchain: {}.",
            manifests
                .iter()
                .take(LIST_ROWS)
                .map(|p| code(p))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    md.blank();
    dependencies::appendix(md, audit);
}

fn appendix_tests(md: &mut Markdown, audit: &Audit) {
    md.section("Appendix D: Test Structure Overview");
    let dirs = &audit.tests.directories;
    if dirs.is_empty() {
        md.line("No test directories (`test/`, `tests/`, `__tests__/`, `spec/`, ...) in the tree.");
        md.blank();
    } else {
        md.line("Test directories (outermost), by test files:");
        md.blank();
        md.table(
            &["Directory", "Files", "Code lines"],
            dirs.iter()
                .take(LIST_ROWS)
                .map(|d| vec![code(&format!("{}/", d.path)), count(d.files), int(d.code)]),
        );
        more(md, dirs.len(), LIST_ROWS);
    }
    let unmatched = &audit.tests.mirroring.unmatched;
    if unmatched.count > 0 {
        md.line(format!(
            "Test files whose subject has no source file of that name ({}): {}",
            count(unmatched.count),
            sample_text(unmatched)
        ));
        md.blank();
    }
}

fn appendix_notes(md: &mut Markdown, audit: &Audit) {
    md.section("Appendix E: Scan Notes");
    if audit.scan_notes.is_empty() {
        md.line("Every file was read and analysed.");
        md.blank();
        return;
    }
    let mut by_reason: std::collections::BTreeMap<SkipReason, Vec<&ScanNote>> = Default::default();
    for note in &audit.scan_notes {
        by_reason.entry(note.reason).or_default().push(note);
    }
    md.table(
        &["Reason", "Count"],
        by_reason
            .iter()
            .map(|(reason, notes)| vec![reason.describe().to_string(), count(notes.len())]),
    );
    for (reason, notes) in &by_reason {
        md.line(format!("**{}** ({}):", reason.describe(), count(notes.len())));
        md.blank();
        for note in notes.iter().take(LIST_ROWS) {
            match &note.detail {
                Some(detail) => md.line(format!("- {} ({})", code(&note.path), detail)),
                None => md.line(format!("- {}", code(&note.path))),
            }
        }
        if notes.len() > LIST_ROWS {
            md.line(format!(
                "- … and {} more (audit.json lists them all)",
                count(notes.len() - LIST_ROWS)
            ));
        }
        md.blank();
    }
}

fn appendix_method(md: &mut Markdown, audit: &Audit) {
    md.section("Appendix F: Method");
    md.line(format!(
        "- Every figure is counted from the snapshot above by {} {}; nothing is estimated. The same snapshot gives the same report.",
        audit.tool.name, audit.tool.version
    ));
    md.line("- Lines are counted with tokei's language definitions on the bytes as read (a byte-order mark is decoded as tokei does). Binary files (a known binary format by extension, not read at all, or a NUL byte in the first 8,000 bytes) and files over the size limit are counted as files, not as lines.");
    md.line("- Roles, first match wins: vendored (a `third_party`, `third-party`, `thirdparty`, `3rdparty`, `vendor`, `vendored`, `external`, `extern` or `node_modules` directory on the path), binary (known binary extensions, or a NUL byte), generated (the first 10 lines say so, in any case and wording: `@generated`, `do not edit`, `autogenerated`, `automatically generated`, `code generated by`, ...), ci (workflow and pipeline files), test (a test directory on the path or a test file name), build (build and dependency manifests), docs (`.md`, `.rst`, `.txt`, `.adoc`, README/LICENSE-like names), config (`.yml`, `.toml`, `.json`, `.ini`, dotfiles, ...), data (a file that would be source of at least 16 KB whose middle 2 KB are at least 70 % numeric literals: an array of numbers dressed as source, left out of god modules and largest-file claims), source (any other file tokei has a language for), other.");
    md.line("- Vendored code found by content, after the scan (files then take the role vendored): outside vendoring folders, a folder with its own license file naming no holder of the repository's (the holders its root license files name, its root manifests' names and authors, any holder heading 10 % of its source files) and naming another or, unnamed, a license the repository's does not hold; a folder with the `Cargo.toml`, `pyproject.toml` or `package.json` of another project (name, literal version, a declared license not the repository's; not private, not a workspace member, not under a test folder); a well-known single-file library (`json.hpp`, `catch.hpp`, `doctest.h`, `stb_*.h`, `sqlite3.c`, `cl.hpp`) whose header holds its marker; a source file whose header (first 4 KiB) names only other holders and does not refer to the root license file (off when the repository has no own holder). Folder rules need source code in the folder; the outermost folder wins.");
    md.line("- The repository's license: the first SPDX expression a root manifest declares (`Cargo.toml`, then `pyproject.toml`, then `package.json` `license`); else the SPDX ids of the root license files joined with `OR` (several license texts offer a choice; an LGPL text beside the GPL's is the LGPL).");
    md.line("- God-module candidates are files of roles source, test, build and ci; vendored and generated code is left out.");
    md.line("- Test frameworks (section 5) are recognised from markers in a test file's first 32 KiB (`import pytest`, `unittest`, `gtest/gtest.h`, ...). A Python test file with none whose classes derive from an imported base class takes the framework named by the module that defines the test base class (one with no bases or a `*TestCase` base) at the end of the chain, following the imports that name a base (not every helper imported) at most 8 imports deep; a chain ending in another class (`torch.nn.Module`) gives nothing.");
    md.line("- Packages (the unit of surfaces, the package table, layering, encapsulation and graph.dot): from the root, descend into the subdirectory holding at least two thirds of the directory's source code lines, until none does or an import root is reached (a Python top-level package, a Rust crate's `lib.rs`/`main.rs` directory, a directory named `src`; one whose source lies in a single subdirectory is passed through). The directories descended into are package roots; a path belongs to the subdirectory of the deepest root above it, to the root for a file directly in it, else to its top-level directory (`.` at the root); a `src` directory wrapping one subdirectory is a root too. `package_roots` and `package_depth` in `plumb.toml` replace the inference.");
    md.line("- Symlinks are never followed: their targets are resolved against the snapshot's own path list.");
    judgement::rubric(md, audit);
    md.blank();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_hold_any_text() {
        assert_eq!(code("src/a.py"), "`src/a.py`");
        assert_eq!(code("a`b"), "`` a`b ``");
        assert_eq!(code("a``b`"), "``` a``b` ```");
        assert_eq!(code("x\x1b[2J\ny"), "`x\\x1b[2J\\ny`");
    }

    #[test]
    fn a_cell_stays_in_its_row_and_column() {
        let mut md = Markdown(String::new());
        md.table(&["Path"], [vec![code("a|b\nc")]]);
        assert_eq!(md.0, "| Path |\n|---|\n| `a\\|b\\nc` |\n\n");
    }
}
